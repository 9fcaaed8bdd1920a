"""Reading lengths: a period's length, a cycle, a duration and a window."""

from __future__ import annotations

from ..errors import UnitError
from ..model import Window
from ..quantities import Duration, LengthRange, Months
from ._fail import unit_fail
from ._source import Cursor

__all__ = [
    "read_cycle",
    "read_duration",
    "read_length",
    "read_window",
]


def read_length(cur: Cursor) -> LengthRange:
    try:
        if Months.match(cur.value):
            # Calendar months: the days follow from the date the period starts on.
            return LengthRange.of_months(Months.parse(cur.value))
        return LengthRange.parse(cur.value)
    except UnitError as exc:
        raise unit_fail(cur, exc) from None


def read_cycle(cur: Cursor) -> Duration | Months:
    """A cycle length: days or weeks, or calendar months (``1 month``)."""
    try:
        if Months.match(cur.value):
            return Months.parse(cur.value)
        return Duration.parse(cur.value)
    except UnitError as exc:
        raise unit_fail(cur, exc) from None


def read_duration(cur: Cursor, *, allow_zero: bool = False) -> Duration:
    try:
        return Duration.parse(cur.value, allow_zero=allow_zero)
    except UnitError as exc:
        raise unit_fail(cur, exc) from None


def read_window(cur: Cursor) -> Window:
    """A window: one length before and after (``1 day``), or ``{before: ..., after: ...}``."""
    raw = cur.value
    if isinstance(raw, str):
        both = read_duration(cur, allow_zero=True)
        return Window(both, both)
    zero = Duration(0)
    return Window(
        read_duration(cur.at("before"), allow_zero=True) if "before" in raw else zero,
        read_duration(cur.at("after"), allow_zero=True) if "after" in raw else zero,
    )
