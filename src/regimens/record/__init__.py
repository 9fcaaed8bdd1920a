"""The record of treatment as it happens: what was given, missed, delayed, reduced, measured.

Above :mod:`regimens.engine` and below :mod:`regimens.export` (file -> parse -> model ->
resolve -> expand -> record replay -> render): a :class:`Record` is read from a
participant's file and replayed over the schedule the engine expands. docs/record.md
describes the file, the events and the regimen's policies.
"""

from ._check import level_percent
from ._dosing import (
    BodyUsed,
    CumulativeEntry,
    CumulativeFlag,
    DoseChange,
    Dosing,
    cumulative_flags,
    flag_moved_to,
    limit_not_checked,
)
from ._intensity import RDI_BANDS, RDI_OVER, Intensity, intensity_band, relative_dose_intensity
from ._model import MEASUREMENT_KINDS, EventKind, Measurement, Record, RecordRow
from ._plausible import PLAUSIBLE_CHANGE, ImplausibleMeasurement, implausible_measurements
from ._read import COLUMNS, OPTIONAL_COLUMNS, load_record, read_record, record_schema
from ._replay import expand, planned_limits, replay
from ._summary import (
    OUTCOMES,
    Delay,
    DrugSummary,
    Outcome,
    RecordSummary,
    cycle_length,
    planned_cycle_days,
    summarize,
)

__all__ = [
    "COLUMNS",
    "MEASUREMENT_KINDS",
    "OPTIONAL_COLUMNS",
    "OUTCOMES",
    "PLAUSIBLE_CHANGE",
    "RDI_BANDS",
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
    "flag_moved_to",
    "implausible_measurements",
    "intensity_band",
    "level_percent",
    "limit_not_checked",
    "load_record",
    "planned_cycle_days",
    "planned_limits",
    "read_record",
    "record_schema",
    "relative_dose_intensity",
    "replay",
    "summarize",
]

from .._public import claim

claim(globals())
