"""The readers of one value of a planning file: percentages, rates, measurements, dates,
time zones (the structure check ran first: each reads a value of the right shape)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from ..engine import parse_zone
from ..errors import ExpandOptionError, UnitError
from ..format import Cursor, fail, unit_fail
from ..model import implausible
from ..quantities import exactly, parse_measure

_PERCENT = re.compile(r"\s*(?P<n>-?[0-9]+(?:\.[0-9]+)?)\s*%\s*\Z")


@exactly  # the fraction exactly, whatever the caller's decimal context
def _percentage(cur: Cursor, *, below_100: bool, zero: bool = False) -> Decimal:
    match = _PERCENT.match(cur.value)
    assert match is not None  # the structure check ran first
    value = Decimal(match["n"])
    if zero:
        if value < 0 or value > 100 or (below_100 and value == 100):
            raise fail(cur, "a proportion is from 0% to "
                       + ("below 100%" if below_100 else "100%"), code="bad-percentage")
    elif below_100 and not 0 < value < 100:
        raise fail(cur, "a service level is above 0% and below 100%", code="bad-percentage")
    elif not below_100 and value < 0:
        raise fail(cur, "an overage is from 0% to 1000% (it adds to what is shipped)",
                   code="bad-percentage")
    elif not below_100 and value > 1000:
        raise fail(cur, "an overage is at most 1000%", code="bad-percentage")
    return value / 100


def _per_week(cur: Cursor) -> Decimal:
    """A rate ``N/week`` (the structure check ran first)."""
    return Decimal(cur.value.split("/")[0].strip())


def _quantity(cur: Cursor, kind: str) -> float:
    """A distribution's mean or sd, in kg or cm (``'12 kg'``, ``'7 cm'``)."""
    try:
        return float(parse_measure(kind, cur.value))
    except UnitError as exc:
        raise unit_fail(cur, exc) from None


def _measure(cur: Cursor, kind: str) -> Decimal:
    try:
        value = parse_measure(kind, cur.value)
    except UnitError as exc:
        raise unit_fail(cur, exc) from None
    reason = implausible(kind, value)
    if reason is not None:
        raise fail(cur, reason, code="bad-measurement")
    return value


def _a_date(cur: Cursor) -> date:
    try:
        return date.fromisoformat(cur.value)
    except ValueError:
        raise fail(cur, "not a calendar date (YYYY-MM-DD)", code="bad-date") from None


def _known_zone(name: str) -> bool:
    """Whether ``name`` is a zone the engine takes (its own rule: IANA names only)."""
    try:
        parse_zone(name)
    except ExpandOptionError:
        return False
    return True
