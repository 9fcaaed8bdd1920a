"""Checks shared by the simulation model's spec types: numbers, ids, proportions.

Each refusal is an :class:`~regimens.errors.ExpandOptionError` whose ``option`` is
the field's name inside the spec (``"rate"``, ``"arms.il2"``); the planning file's
reader puts the spec's own place in front of it (``sites[0].rate``).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal

from ..errors import ExpandOptionError

__all__ = ["check_date", "check_id", "count", "number", "proportion"]


def number(field: str, value: object, *, positive: bool = False,
           minimum: float | None = None) -> float:
    """``value`` as a finite float (an int, float or Decimal; never a bool or text).

    ``positive``: must be > 0; ``minimum``: must be >= it.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ExpandOptionError(field, "must be a number", value)
    result = float(value)
    if not math.isfinite(result):
        raise ExpandOptionError(field, "must be a finite number", value)
    if positive and result <= 0:
        raise ExpandOptionError(field, "must be greater than 0", value)
    if minimum is not None and result < minimum:
        raise ExpandOptionError(field, f"must be at least {minimum:g}", value)
    return result


def proportion(field: str, value: object, *, below_one: bool = False) -> float:
    """A probability in [0, 1] (``below_one``: [0, 1)), as a float; 20% is ``0.2``."""
    result = number(field, value)
    if not 0 <= result <= 1 or (below_one and result == 1):
        allowed = "from 0 up to but not including 1" if below_one else "from 0 to 1"
        raise ExpandOptionError(field, f"must be a proportion {allowed} (20% is 0.2)", value)
    return result


def count(field: str, value: object, *, minimum: int = 0) -> int:
    """An int (never a bool or a float such as 3.0) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ExpandOptionError(field, "must be a whole number", value)
    if value < minimum:
        raise ExpandOptionError(field, f"must be at least {minimum}", value)
    return value


def check_id(field: str, value: object) -> str:
    """A non-empty id without surrounding blanks."""
    if not isinstance(value, str) or not value or value != value.strip():
        raise ExpandOptionError(field, "must be a non-empty id without surrounding spaces",
                                value)
    return value


def check_date(field: str, value: object) -> date:
    """A calendar date (a ``datetime.date``, not a datetime)."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ExpandOptionError(field, "must be a calendar date (datetime.date)", value)
    return value
