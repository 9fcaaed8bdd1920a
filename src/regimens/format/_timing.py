"""Reading when a course gives its drug: days of a cycle, the timing pattern, times of day."""

from __future__ import annotations

import re
from collections import Counter
from datetime import time

from ..errors import UnitError
from ..model import (
    WEEKDAYS,
    DailyPattern,
    DaysPattern,
    DayStep,
    EveryPattern,
    HoursPattern,
    MonthsPattern,
    Pattern,
    Step,
    WeekdaysPattern,
)
from ..quantities import MAX_DAYS, Elapsed, Months, counted
from ._fail import fail, unit_fail
from ._lengths import read_duration
from ._source import Cursor

__all__ = [
    "read_days",
    "read_pattern",
    "read_times",
]


_RANGE = re.compile(r"\s*([0-9]+)\s*-\s*([0-9]+)\s*\Z")
_PATTERN_KEYS = ("days", "every", "weekdays", "daily")


def read_days(cur: Cursor) -> tuple[int, ...]:
    value = cur.value
    items = value if isinstance(value, list) else [value]
    days: list[int] = []
    for index, item in enumerate(items):
        at = cur.at(index) if isinstance(value, list) else cur
        if isinstance(item, int):
            days.append(item)
            continue
        match = _RANGE.match(item)
        assert match is not None  # the structure check saw the pattern
        if max(len(match[1].lstrip("0")), len(match[2].lstrip("0"))) > 6:
            raise fail(at, f"a day is at most {MAX_DAYS:,} (100 years)", code="day-too-large")
        first, last = int(match[1]), int(match[2])
        if last > MAX_DAYS:
            raise fail(at, f"a day is at most {MAX_DAYS:,} (100 years)", code="day-too-large")
        if first < 1:
            raise fail(at, "days count from 1: there is no day 0", code="day-zero")
        if first > last:
            raise fail(at, f"the range runs backwards ({first} is after {last})",
                       code="backwards-range")
        days.extend(range(first, last + 1))
    if len(set(days)) != len(days):
        dup = sorted(d for d, n in Counter(days).items() if n > 1)
        raise fail(cur, f"day {dup[0]} is listed more than once", code="duplicate-day")
    return tuple(sorted(days))


def read_pattern(
    cur: Cursor, window: int, where: str, steps: tuple[Step, ...]
) -> Pattern | None:
    raw = cur.value
    present = [k for k in _PATTERN_KEYS if k in raw]
    day_steps = [s for s in steps if isinstance(s, DayStep)]
    if "at" in raw and not _is_hours(raw.get("every")):
        raise fail(cur.at("at"), "'at' gives the first time of an interval in hours ('every: "
                   "8 hours, at: \"06:00\"'); other patterns give their times of day with "
                   "'times'", code="at-without-hours")
    if day_steps:
        if present:
            raise fail(cur.at(present[0]), "day steps are the course's pattern: remove this",
                       code="pattern-with-day-steps")
        seen: dict[int, int] = {}
        for index, step in enumerate(day_steps):
            for day in step.days:
                if day > window:
                    raise fail(cur.at("steps").at(index).at("days"),
                                f"day {day} is outside {where}", day, code="day-outside-cycle")
                if day in seen:
                    raise fail(cur.at("steps").at(index).at("days"),
                                f"day {day} is already in steps[{seen[day]}]: steps overlap",
                                day, code="overlapping-steps")
                seen[day] = index
        return None
    if len(present) != 1:
        if not present:
            raise fail(cur, "a course needs exactly one timing pattern: days, every, "
                        "weekdays or daily", show=False, code="missing-pattern")
        raise fail(cur.at(present[1]), "a course has exactly one timing pattern; found "
                    f"{' and '.join(present)}", show=False, code="several-patterns")
    key = present[0]
    at = cur.at(key)
    if key == "days":
        days = read_days(at)
        for day in days:
            if day > window:
                raise fail(at, f"day {day} is outside {where}", day, code="day-outside-cycle")
            if day <= -window:
                raise fail(at, f"day {day} is {-day} days before day 1, further back than "
                           f"{where} allows (at most {window - 1})", day,
                           code="day-outside-cycle")
        return DaysPattern(days)
    if key == "every" and _is_hours(raw["every"]):
        return _read_hours(cur, window, where)
    if key == "every" and Months.match(raw["every"]):
        try:
            monthly = MonthsPattern(Months.parse(raw["every"]), raw.get("count"))
        except UnitError as exc:
            raise unit_fail(at, exc) from None
        misfit = monthly.misfit(window, where)
        if misfit is not None:
            raise fail(cur.at(misfit[0][0]), misfit[1], code=misfit[3])
        return monthly
    if key == "every":
        every = read_duration(at)
        if every.days > window:
            # Only day 1 of each cycle would be given: "every" would never be honoured.
            raise fail(at, f"an interval of {counted(every.days, 'day')} is longer than {where}; "
                        "give one dose per cycle with 'days: [1]', or a longer cycle",
                        code="interval-too-long")
        count = raw.get("count")
        if count is not None and 1 + (count - 1) * every.days > window:
            raise fail(cur.at("count"),
                        f"{counted(count, 'administration')} every {counted(every.days, 'day')} "
                        "end on day "
                        f"{1 + (count - 1) * every.days}, outside {where}",
                        code="count-outside-cycle")
        return EveryPattern(every, count)
    if key == "weekdays":
        names = raw["weekdays"]
        if len(set(names)) != len(names):
            raise fail(at, "a weekday is listed twice", code="duplicate-weekday")
        pattern = WeekdaysPattern(tuple(sorted(WEEKDAYS.index(n) for n in names)),
                                  raw.get("count"))
        misfit = pattern.misfit(window, where)
        if misfit is not None:
            raise fail(cur.at("count"), misfit[1], code=misfit[3])
        return pattern
    if raw["daily"] is not True:
        raise fail(at, "'daily: false' is not a pattern: remove it and give days, every "
                    "or weekdays", code="daily-false")
    return DailyPattern()


# A comma included ("8,5 hours"): read as elapsed time, which says what the comma is.
_HOURS = re.compile(r"\s*[0-9]+(?:,[0-9]+)*\s*(?:minutes?|mins?|hours?|hrs?|h)\s*\Z",
                    re.IGNORECASE)


def _is_hours(text: object) -> bool:
    """An ``every`` in hours or minutes: elapsed time, not days of the calendar."""
    return isinstance(text, str) and _HOURS.match(text) is not None


def _read_hours(cur: Cursor, window: int, where: str) -> HoursPattern:
    """``every: 8 hours`` with ``at`` (the first time on day 1) and an optional ``count``."""
    raw = cur.value
    try:
        every = Elapsed.parse(raw["every"])
    except UnitError as exc:
        raise unit_fail(cur.at("every"), exc) from None
    if "times" in raw:
        raise fail(cur.at("times"), "give 'times' or an interval in hours with 'at', not "
                   "both: the interval gives the times", show=False, code="times-with-hours")
    if "at" not in raw:
        raise fail(cur.at("every"), "an interval in hours needs the time of the first "
                   "administration on day 1: 'at: \"06:00\"'", code="hours-without-at")
    text = raw["at"]
    at = time(int(text[:2]), int(text[3:]))
    if every.minutes > window * 1440:
        raise fail(cur.at("every"), f"an interval of {every} is longer than {where}; give one "
                   "dose per cycle with 'days: [1]', or a longer cycle", code="interval-too-long")
    pattern = HoursPattern(every, at, raw.get("count"))
    misfit = pattern.misfit(window, where)
    if misfit is not None:
        raise fail(cur.at("count"), misfit[1], code=misfit[3])
    return pattern


def read_times(cur: Cursor) -> tuple[time, ...]:
    if not cur.has("times"):
        return ()
    values = [time(int(t[:2]), int(t[3:])) for t in cur.get("times")]
    if len(set(values)) != len(values):
        raise fail(cur.at("times"), "a time of day is listed twice", code="duplicate-time")
    return tuple(sorted(values))
