"""The record of treatment as it happens: what was given, missed, delayed, reduced, measured.

Above :mod:`regimens.engine` and below :mod:`regimens.export` (file -> parse -> model ->
resolve -> expand -> record replay -> render): a :class:`Record` is read from a
participant's file and replayed over the schedule the engine expands. docs/record.md
describes the file, the events and the regimen's policies.
"""

from ._check import level_percent
from ._dosing import BodyUsed, CumulativeEntry, CumulativeFlag, DoseChange, Dosing, cumulative_flags
from ._model import MEASUREMENT_KINDS, EventKind, Measurement, Record, RecordRow
from ._read import COLUMNS, OPTIONAL_COLUMNS, load_record, read_record, record_schema

__all__ = [
    "COLUMNS",
    "MEASUREMENT_KINDS",
    "OPTIONAL_COLUMNS",
    "BodyUsed",
    "CumulativeEntry",
    "CumulativeFlag",
    "DoseChange",
    "Dosing",
    "EventKind",
    "Measurement",
    "Record",
    "RecordRow",
    "cumulative_flags",
    "level_percent",
    "load_record",
    "read_record",
    "record_schema",
]

from .._public import claim

claim(globals())
