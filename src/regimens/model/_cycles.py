"""Cycles in messages and bounds: cycle lengths in days or calendar months, the days they
span, and why a cycle, its steps or its days are refused."""

from __future__ import annotations

from ..quantities import (
    Duration,
    Months,
    counted,
)
from ._patterns import (
    DaysPattern,
    MonthsPattern,
    Pattern,
    WeekdaysPattern,
)

__all__ = [
    "cycle_day_overlap",
    "cycle_text",
    "cycle_where",
    "cycles_days",
    "months_combination",
    "open_step_problem",
    "open_step_unreached",
]


def cycle_day_overlap(days: tuple[int, ...], size: int) -> str | None:
    """Why a day before day 1 falls on a day the previous cycle already doses, or None.

    Day -1 of a 28-day cycle is day 28 of the cycle before: listing both would give
    the drug twice on that date (once per cycle), which no protocol means.
    """
    for day in days:
        if day < 0 and size + day + 1 in days:
            return (f"day {day} of a cycle is day {size + day + 1} of the cycle before, "
                    f"which is also listed: the drug would be given twice that date; list "
                    "it once")
    return None


def cycle_text(cycle: Duration | Months) -> str:
    """A cycle's length in a message: ``28 days``, ``1 month``."""
    return str(cycle) if isinstance(cycle, Months) else counted(cycle.days, "day")


def cycles_days(cycle: Duration | Months, cycles: int) -> int:
    """The most days ``cycles`` cycles can take: cycles x days, or for a cycle in calendar
    months the most days that many months span over every start date."""
    if not isinstance(cycle, Months):
        return cycles * cycle.days
    months = cycle.months * cycles
    # Past 1,200 months (100 years) no span holds them: any bound past the longest does.
    return Months(months).most_days if months <= 1200 else months * 31


def months_combination(pattern: Pattern | None, cycle: Duration | Months | None
                       ) -> tuple[str, str] | None:
    """(field, message) when calendar months are combined with what makes them ambiguous.

    A cycle in months with a weekday pattern (the cycle and the weekdays both follow the
    calendar: which weekdays a 28- to 31-day cycle holds is a second variable) or with
    days before day 1 (day -1 of a cycle is a day of the previous month's cycle, 28 to 31
    days long); an interval in months inside a cycle (from the cycle's start or from the
    course's, never said). Refused, naming both fields.
    """
    if isinstance(pattern, MonthsPattern) and cycle is not None:
        return ("every", "an interval in calendar months counts from the course's first "
                "day, and a cycle ('cycle') would restart it: give the interval without a "
                "cycle, or a cycle with 'days: [1]'")
    if not isinstance(cycle, Months):
        return None
    if isinstance(pattern, WeekdaysPattern):
        return ("weekdays", f"a cycle in calendar months ({cycle}) with weekdays: both follow "
                "the calendar, and which weekdays a 28- to 31-day cycle holds is left unsaid; "
                "give the cycle in days or weeks, or the days of the cycle ('days')")
    if isinstance(pattern, DaysPattern) and pattern.days[0] < 0:
        return ("days", f"a day before day 1 in a cycle in calendar months ({cycle}): the "
                "previous cycle is 28 to 31 days long, so day -1 could be any of its last "
                "days; give the cycle in days or weeks")
    return None


def cycle_where(cycle: Duration | Months) -> str:
    """A cycle as a window in a message: ``a 28-day cycle``, ``a cycle of 1 month (28 days
    at the shortest)``."""
    if isinstance(cycle, Months):
        return f"a cycle of {cycle} ({counted(cycle.days, 'day')} at the shortest)"
    return f"a {cycle.days}-day cycle"


def open_step_problem(covered: int, cycle: Duration | Months, span: int) -> str | None:
    """Why an open-ended last step after ``covered`` cycles never starts in a ``span``-day
    course, or None. For a cycle in months: when it never starts whatever the start date."""
    if not isinstance(cycle, Months):
        return (open_step_unreached(covered, cycle.days, span)
                if covered * cycle.days >= span else None)
    least = Months(covered * cycle.months).days if covered * cycle.months <= 1200 else span
    if least < span:
        return None
    return (f"the steps before the open-ended last step cover {counted(covered, 'cycle')} "
            f"of {cycle} (at least {counted(least, 'day')}), but the course has "
            f"{counted(span, 'day')}: the open-ended step would never start")


def open_step_unreached(covered: int, size: int, span: int) -> str:
    """Why an open-ended last step gets no cycle: the earlier steps fill the course."""
    return (f"the steps before the open-ended last step cover {counted(covered, 'cycle')} "
            f"of {counted(size, 'day')} ({counted(covered * size, 'day')}), but the course has "
            f"{counted(span, 'day')}: the last step would get no cycle")
