"""The engine: a regimen and a participant's options in, a dated schedule out.

Pure functions of their inputs (no clock, locale, file or network):
:func:`resolve` fixes a participant's timeline (arm, Study Day 1, period
lengths, time zone, body size), :func:`expand` lays out every course on it
with exact doses and their derivations, and :func:`check` computes the
regimen's own arithmetic. Results are data; :mod:`regimens.export` renders them.
"""

import importlib
from typing import TYPE_CHECKING, Any

from .._public import PUBLIC, claim
from ._administration import Administration, AdministrationStatus
from ._body_size import BodySize, check_measurements, dosing_area
from ._calendar import open_day, visit_day
from ._columns import AdministrationColumns
from ._computed import ComputedDose
from ._dose import (
    compute_dose,
    dose_amount,
    dose_rounding_moves,
    refuse_unsupported,
)
from ._layout import OUTSIDE_CALENDAR, expand
from ._options import (
    check_arm,
    check_bsa_decimals,
    parse_formula,
    parse_lengths,
    parse_start,
    parse_zone,
)
from ._resolve import resolve
from ._schedule import (
    CourseSpan,
    PeriodSpan,
    Replayed,
    Schedule,
    VisitOccurrence,
    columns_of,
)
from ._timeline import Timeline
from ._totals import DrugTotal, drug_totals

# PEP 562: the regimen's arithmetic (``check``) and the site-calendar counts are imported
# when one of their names is first used: expanding a schedule needs neither. Type
# checkers see the names here.
if TYPE_CHECKING:
    from ._arithmetic import (
        CheckReport,
        CumulativeResult,
        DrugSummary,
        ExpectationResult,
        check,
    )
    from ._site_check import SiteCount, site_counts

#: The module of each name imported on first use.
_LAZY = {"CheckReport": "_arithmetic", "CumulativeResult": "_arithmetic",
         "DrugSummary": "_arithmetic",
         "ExpectationResult": "_arithmetic", "check": "_arithmetic",
         "SiteCount": "_site_check", "site_counts": "_site_check"}

__all__ = [
    "OUTSIDE_CALENDAR",
    "Administration",
    "AdministrationColumns",
    "AdministrationStatus",
    "BodySize",
    "CheckReport",
    "ComputedDose",
    "CourseSpan",
    "CumulativeResult",
    "DrugSummary",
    "DrugTotal",
    "ExpectationResult",
    "PeriodSpan",
    "Replayed",
    "Schedule",
    "SiteCount",
    "Timeline",
    "VisitOccurrence",
    "check",
    "check_arm",
    "check_bsa_decimals",
    "check_measurements",
    "columns_of",
    "compute_dose",
    "dose_amount",
    "dose_rounding_moves",
    "dosing_area",
    "drug_totals",
    "expand",
    "open_day",
    "parse_formula",
    "parse_lengths",
    "parse_start",
    "parse_zone",
    "refuse_unsupported",
    "resolve",
    "site_counts",
    "visit_day",
]


def __getattr__(name: str) -> Any:
    """``engine.X``: imports the module that defines ``X`` on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    if name in PUBLIC["engine"]:
        value.__module__ = "regimens"  # regimens.CheckReport, as regimens exports it
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


claim(globals())
