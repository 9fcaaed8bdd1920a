"""The record of treatment as it happens: what was given, missed, delayed, reduced, measured.

Above :mod:`regimens.engine` and below :mod:`regimens.export` (file -> parse -> model ->
resolve -> expand -> record replay -> render): a :class:`Record` is read from a
participant's file and replayed over the schedule the engine expands. docs/record.md
describes the file, the events and the regimen's policies.
"""

from ._model import MEASUREMENT_KINDS, EventKind, Measurement, Record, RecordRow

__all__ = ["MEASUREMENT_KINDS", "EventKind", "Measurement", "Record", "RecordRow"]

from .._public import claim

claim(globals())
