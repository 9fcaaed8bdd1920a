"""The cohort's columns: their NumPy dtypes (:data:`COLUMNS`) and their Arrow schema."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import _inputs

__all__ = ["CODED", "COLUMNS", "arrow_schema"]

#: Every column, in order, with its NumPy dtype. Codes index ``Cohort.categories``;
#: -1 (or NaT, NaN) marks "none".
COLUMNS: dict[str, str] = {
    "participant": "int32",  # index into the inputs (starts, weights, ...)
    "arm": "int16",  # code into categories["arm"]
    "study_day": "int32",  # ..., -1, 1, 2, ... (no Day 0, unless the regimen's day_zero)
    "date": "datetime64[D]",
    "time": "timedelta64[m]",  # wall time after midnight; NaT = any time that day
    "at": "datetime64[s]",  # the instant in UTC, with tz=; NaT: untimed, or no zone given
    "period": "int16",  # code into categories["period"]
    "drug": "int16",  # code into categories["drug"] (drug ids)
    "course": "int16",  # index of the course within its period
    "cycle": "int32",  # -1: the course has no cycles
    "cycle_day": "int32",  # -1: the course has no cycles
    "step": "int16",  # -1: no escalation/taper step
    "amount": "float64",  # NaN: placebo or no amount fixed by the protocol
    "unit": "int16",  # code into categories["unit"]; -1 when there is no amount
    "placebo": "bool",
    "blinded": "bool",
}

_NULLABLE = frozenset({"time", "at", "cycle", "cycle_day", "step", "amount", "unit"})
CODED = ("arm", "period", "drug", "unit")


def _types(pa: Any) -> dict[str, Any]:
    codes = pa.dictionary(pa.int16(), pa.string())
    return {
        "participant": pa.int32(), "arm": codes, "study_day": pa.int32(), "date": pa.date32(),
        "time": pa.time32("s"), "at": pa.timestamp("s", tz="UTC"), "period": codes,
        "drug": codes, "course": pa.int16(), "cycle": pa.int32(), "cycle_day": pa.int32(),
        "step": pa.int16(), "amount": pa.float64(), "unit": codes, "placebo": pa.bool_(),
        "blinded": pa.bool_(),
    }


def arrow_schema(columns: Sequence[str] | None = None) -> Any:
    """The Arrow schema of :meth:`Cohort.to_arrow` and :meth:`Cohort.iter_batches`.

    All columns of :data:`COLUMNS` by default, in that order; ``columns``
    selects some. ``date`` is ``date32``, ``time`` ``time32[s]``, ``at``
    ``timestamp[s, tz=UTC]``; ``arm``, ``period``, ``drug`` and ``unit`` are
    ``dictionary<int16, string>``; "none" is null.
    """
    pa = _inputs.pyarrow()
    types = _types(pa)
    names = list(COLUMNS) if columns is None else list(columns)
    return pa.schema([pa.field(n, types[n], nullable=n in _NULLABLE) for n in names])


