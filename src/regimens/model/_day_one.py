"""Rules about Study Day 1 across a regimen's parts: its period always has days, and no
period in calendar months comes before it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import Loc
from ._invariants import Problems
from ._parts import Period

if TYPE_CHECKING:
    from ._regimen import Regimen

__all__ = [
    "day_one_may_vanish",
    "months_before_day_one",
    "months_before_text",
]


def day_one_may_vanish(period: Period) -> str:
    """Why a period that may last 0 days cannot hold Study Day 1 (or a visit at its ends)."""
    return (f"period {period.id!r} may last 0 days (length: {period.length}), so it may have "
            "no first or last day")


def _check_day_one_lengths(r: Regimen, periods: dict[str, Period], problems: Problems) -> None:
    """Study Day 1 is the first day of the day_one period: that period always has days."""
    reported: set[Loc] = set()
    for arm in r.arms:
        period = periods[r.day_one_period(arm.id)]
        if period.length.shortest.days:
            continue
        at: Loc = (("arms", arm.id, "day_one") if arm.day_one is not None else
                   ("day_one",) if r.day_one is not None else ("arms", arm.id))
        if at not in reported:
            reported.add(at)
            problems.add(at, f"Study Day 1 is the first day of the day_one period, and "
                         f"{day_one_may_vanish(period)}: give day_one a period whose length "
                         "starts at 1 day or more", period.id, code="day-one-zero-length")


def months_before_text(period: Period, anchor: str, arm: str) -> str:
    """Why ``period``, in calendar months, may not come before Study Day 1 (``anchor``,
    the day_one period of ``arm``)."""
    return (f"a period in calendar months ({period.length}) before Study Day 1 (period "
            f"{anchor!r}, arm {arm!r}): its first day would be counted back from Study Day 1, "
            "where a month may be clamped; give it in days or weeks, or make it the day_one "
            "period")


def months_before_day_one(r: Regimen) -> list[tuple[int, str]]:
    """(index, message) of each period in calendar months before an arm's day_one period.

    A period after Study Day 1 counts its months from its first day; one before it would
    count them back from the next period's first day or forward from a first day that its
    own length places: two readings that differ when a month is clamped. Refused.
    """
    found: dict[int, str] = {}
    index = {p.id: i for i, p in enumerate(r.periods)}
    for arm in r.arms:
        path = r.path(arm.id)
        try:
            anchor = r.day_one_period(arm.id)
        except LookupError:
            continue  # an unknown day_one is reported on its own
        for period in path:
            if period.id == anchor:
                break
            if period.length.months is not None and index[period.id] not in found:
                found[index[period.id]] = months_before_text(period, anchor, arm.id)
    return sorted(found.items())
