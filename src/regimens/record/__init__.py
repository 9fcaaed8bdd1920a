"""The record of treatment as it happens: what was given, missed, delayed, reduced, measured.

Above :mod:`regimens.engine` and below :mod:`regimens.export` (file -> parse -> model ->
resolve -> expand -> record replay -> render): a :class:`Record` is read from a
participant's file and replayed over the schedule the engine expands. docs/record.md
describes the file, the events and the regimen's policies.
"""

import importlib
import sys
from typing import TYPE_CHECKING, Any

from .._public import PUBLIC, claim
from ._plan import expand

# PEP 562: everything but ``expand`` is imported when one of its names is first used:
# expanding a schedule without a record (``regimens expand`` without ``--record``) needs
# no reading, replay, summary or intensity. Type checkers see the names here.
if TYPE_CHECKING:
    from ._body_used import BodyUsed
    from ._check import level_percent
    from ._cumulative import (
        CumulativeEntry,
        CumulativeFlag,
        cumulative_flags,
        flag_moved_to,
        limit_not_checked,
    )
    from ._dosing import DoseChange, Dosing
    from ._intensity import (
        RDI_BANDS,
        RDI_BASES,
        RDI_OVER,
        Intensity,
        intensity_band,
        one_decimal,
        relative_dose_intensity,
    )
    from ._model import MEASUREMENT_KINDS, EventKind, Measurement, RecordRow
    from ._plausible import PLAUSIBLE_CHANGE, ImplausibleMeasurement, implausible_measurements
    from ._rdi_time import cycle_length, planned_cycle_days
    from ._read import COLUMNS, OPTIONAL_COLUMNS, load_record, read_record, record_schema
    from ._record import Record
    from ._replay import expand_with_record, history, planned_limits, replay
    from ._summary import (
        OUTCOMES,
        Delay,
        DrugSummary,
        Outcome,
        RecordSummary,
        summarize,
    )

#: The module of each name imported on first use.
_LAZY = {
    "level_percent": "_check",
    "CumulativeEntry": "_cumulative",
    "CumulativeFlag": "_cumulative",
    "cumulative_flags": "_cumulative",
    "flag_moved_to": "_cumulative",
    "limit_not_checked": "_cumulative",
    "BodyUsed": "_body_used",
    "DoseChange": "_dosing",
    "Dosing": "_dosing",
    "Intensity": "_intensity",
    "RDI_BANDS": "_intensity",
    "RDI_BASES": "_intensity",
    "RDI_OVER": "_intensity",
    "one_decimal": "_intensity",
    "intensity_band": "_intensity",
    "relative_dose_intensity": "_intensity",
    "EventKind": "_model",
    "MEASUREMENT_KINDS": "_model",
    "Measurement": "_model",
    "RecordRow": "_model",
    "Record": "_record",
    "ImplausibleMeasurement": "_plausible",
    "PLAUSIBLE_CHANGE": "_plausible",
    "implausible_measurements": "_plausible",
    "COLUMNS": "_read",
    "OPTIONAL_COLUMNS": "_read",
    "load_record": "_read",
    "read_record": "_read",
    "record_schema": "_read",
    "expand_with_record": "_replay",
    "history": "_replay",
    "planned_limits": "_replay",
    "replay": "_replay",
    "Delay": "_summary",
    "DrugSummary": "_summary",
    "OUTCOMES": "_summary",
    "Outcome": "_summary",
    "RecordSummary": "_summary",
    "cycle_length": "_rdi_time",
    "planned_cycle_days": "_rdi_time",
    "summarize": "_summary",
}

__all__ = [
    "COLUMNS",
    "MEASUREMENT_KINDS",
    "OPTIONAL_COLUMNS",
    "OUTCOMES",
    "PLAUSIBLE_CHANGE",
    "RDI_BANDS",
    "RDI_BASES",
    "RDI_OVER",
    "BodyUsed",
    "CumulativeEntry",
    "CumulativeFlag",
    "Delay",
    "DoseChange",
    "Dosing",
    "DrugSummary",
    "EventKind",
    "ImplausibleMeasurement",
    "Intensity",
    "Measurement",
    "Outcome",
    "Record",
    "RecordRow",
    "RecordSummary",
    "cumulative_flags",
    "cycle_length",
    "expand",
    "expand_with_record",
    "flag_moved_to",
    "history",
    "implausible_measurements",
    "intensity_band",
    "level_percent",
    "limit_not_checked",
    "load_record",
    "one_decimal",
    "planned_cycle_days",
    "planned_limits",
    "read_record",
    "record_schema",
    "relative_dose_intensity",
    "replay",
    "summarize",
]



def __getattr__(name: str) -> Any:
    """``record.X``: imports the module that defines ``X`` on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    # The public names of every module imported by now are regimens's (a Record read by
    # load_record says regimens.Record before regimens.record.Record is asked for).
    for public in PUBLIC["record"]:
        loaded = sys.modules.get(f"{__name__}.{_LAZY[public]}")
        if public not in globals() and hasattr(loaded, public):
            globals()[public] = getattr(loaded, public)
            globals()[public].__module__ = "regimens"
    if name in PUBLIC["record"]:
        value.__module__ = "regimens"
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


claim(globals())
