"""The engine: a regimen and a participant's options in, a dated schedule out.

Pure functions of their inputs (no clock, locale, file or network):
:func:`resolve` fixes a participant's timeline (arm, Study Day 1, period
lengths, time zone, body size), :func:`expand` lays out every course on it
with exact doses and their derivations, and :func:`check` computes the
regimen's own arithmetic. Results are data; :mod:`regimens.export` renders them.
"""

from ._arithmetic import CheckReport, DrugSummary, ExpectationResult, check
from ._dose import (
    BodySize,
    ComputedDose,
    check_measurements,
    compute_dose,
    dose_amount,
    dose_rounding_moves,
    dosing_area,
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
from ._schedule import (
    Administration,
    AdministrationStatus,
    CourseSpan,
    PeriodSpan,
    Replayed,
    Schedule,
    VisitOccurrence,
)
from ._site_check import SiteCount, site_counts
from ._timeline import Timeline, resolve
from ._totals import DrugTotal, drug_totals

__all__ = [
    "OUTSIDE_CALENDAR",
    "Administration",
    "AdministrationStatus",
    "BodySize",
    "CheckReport",
    "ComputedDose",
    "CourseSpan",
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
    "compute_dose",
    "dose_amount",
    "dose_rounding_moves",
    "dosing_area",
    "drug_totals",
    "expand",
    "parse_formula",
    "parse_lengths",
    "parse_start",
    "parse_zone",
    "refuse_unsupported",
    "resolve",
    "site_counts",
]

from .._public import claim

claim(globals())
