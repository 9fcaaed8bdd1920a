"""A zone's changes of UTC offset, read from zoneinfo alone (no iCalendar code): the
independent answer that VTIMEZONE observances are checked against."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

_SECOND = timedelta(seconds=1)
_STEP = timedelta(hours=1)


def offset_at(zone: ZoneInfo, instant: datetime) -> timedelta:
    """The zone's UTC offset at ``instant`` (a naive UTC time): unambiguous, unlike a
    local time."""
    offset = instant.replace(tzinfo=UTC).astimezone(zone).utcoffset()
    assert offset is not None
    return offset


def transitions(zone: ZoneInfo, first: datetime,
                last: datetime) -> list[tuple[datetime, timedelta, timedelta]]:
    """Every change of offset from ``first`` to ``last`` (naive UTC times) as (instant in
    UTC, offset before, offset after), to the second.

    The range is sampled every hour and each change found is narrowed down by bisection,
    so a change that is undone within the hour would be missed (tzdata has none).
    """
    found = []
    here, before = first, offset_at(zone, first)
    while here < last:
        there = min(here + _STEP, last)
        after = offset_at(zone, there)
        if after != before:
            low, high = here, there  # offset_at(low) == before, offset_at(high) != before
            while high - low > _SECOND:
                middle = low + (high - low) // 2
                middle -= timedelta(microseconds=middle.microsecond)
                if middle <= low:
                    middle = low + _SECOND
                if offset_at(zone, middle) == before:
                    low = middle
                else:
                    high = middle
            found.append((high, before, offset_at(zone, high)))
            before = offset_at(zone, high)
            if before != after:  # a second change within the hour: look again from it
                here = high
                continue
        here, before = there, after
    return found
