"""The RDI's time base (docs/record.md, "Summary": "one planned cycle length" after a dose):
a drug's cycle in days (:func:`cycle_length`) and the planned length after each dose by its
own course (:func:`planned_cycle_days`: cycles, intervals, months, and the planned interval a
dose opens for a course dosing by a list of days, weekdays, day steps or hours)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..model import Course, DailyPattern, EveryPattern, MonthsPattern, Regimen
from ..quantities import Months

if TYPE_CHECKING:
    from ._summary import Outcome

__all__ = ["cycle_length", "planned_cycle_days"]


def cycle_length(regimen: Regimen, drug: str) -> int:
    """One planned cycle of ``drug`` in days, for the RDI's times when nothing finer is known:
    its first cycled course's cycle; else the interval of an ``every`` pattern; else 1 day.
    A cycle (or interval) in calendar months gives its fewest days (28 for a month). The
    summary uses :func:`planned_cycle_days`, the planned length after each dose by its own
    course (a course dosing by a list of days, weekdays, day steps or hours adds the planned
    interval the dose opens, not 1 day)."""
    courses = [c for p in regimen.periods for c in p.courses if c.drug == drug]
    for course in courses:
        if course.cycle is not None:
            return course.cycle.days
    for course in courses:
        if isinstance(course.pattern, EveryPattern):
            return course.pattern.every.days
    return 1


def _in_months(course: Course) -> bool:
    return isinstance(course.cycle, Months) or isinstance(course.pattern, MonthsPattern)


def _by_interval(course: Course) -> bool:
    """Whether the RDI's "one planned cycle length" after a dose of ``course`` is the planned
    interval that dose opens (:func:`planned_cycle_days`): a course without a cycle, an
    ``every`` interval or a daily pattern (a list of days, weekdays, day steps, an interval
    in hours)."""
    return (course.cycle is None
            and not isinstance(course.pattern, EveryPattern | MonthsPattern | DailyPattern))


def _window_end(regimen: Regimen, outcome: Outcome, course: Course,
                starts: Mapping[str, date] | None, ends: Mapping[str, date] | None) -> date:
    """The day after the last day of ``course``'s window: its span's, when it has one (the
    course ends there), else its period's (``ends``: each period's last date; ``starts``:
    each period's first date, for a span)."""
    period = outcome.period
    if ends is None or period not in ends or (
            course.span is not None and (starts is None or period not in starts)):
        raise ValueError(f"the planned interval after the last dose of period {period!r}'s "
                         f"course {outcome.course + 1} needs the period's first and last "
                         "dates (starts=, ends=)")
    last = ends[period]
    if course.span is not None:
        assert starts is not None
        last = min(last, starts[period] + timedelta(days=course.start - 1 + course.span.days
                                                    - 1))
    return last + timedelta(days=1)


def planned_cycle_days(regimen: Regimen, outcome: Outcome,
                       starts: Mapping[str, date] | None, *,
                       ends: Mapping[str, date] | None = None,
                       plan: Collection[date] = ()) -> int:
    """The planned length in days after ``outcome``'s dose that the RDI's time adds ("one
    planned cycle length", docs/record.md, "Summary"), from the plan of the dose's course:

    - a cycle in days: the cycle; an ``every`` interval in days: the interval; daily: 1;
    - a cycle in calendar months: from the cycle's start to the next cycle's (cycle k of a
      course starting on 31 January: 28 or 29 days for February); an interval in months:
      from its planned date to the next interval's (a dose given that fulfils no planned
      administration: the cycle its date falls in);
    - any other course (a list of days, weekdays, day steps, an interval in hours: no
      cycle and no fixed interval): the planned interval the dose opens, from its planned
      date to the course's next planned date after it (``plan``: the planned dates of
      every administration of the course, whatever became of it); for the course's last
      planned date, to the day after its window (its span's last day when it has a span,
      else its period's last day, from ``ends``), at least 1 day (a dose on the window's
      last day, or moved past it).

    ``starts``: each period's first date (needed for courses in months, and for a span);
    ``ends``: each period's last date (needed for the last dose of a course by interval).

    Raises:
        ValueError: a course in months without its period's first date in ``starts``; the
            last planned dose of a course by interval without its period's dates.
    """
    course = _course(regimen, outcome)
    if not _in_months(course):
        if course.cycle is not None:
            return course.cycle.days
        if isinstance(course.pattern, EveryPattern):
            return course.pattern.every.days
        if isinstance(course.pattern, DailyPattern):
            return 1
        later = [d for d in plan if d > outcome.planned_date]
        after = min(later) if later else _window_end(regimen, outcome, course, starts, ends)
        return max(1, (after - outcome.planned_date).days)
    if starts is None or outcome.period not in starts:
        raise ValueError(f"the length of a cycle in calendar months of period "
                         f"{outcome.period!r} needs the period's first date (starts=)")
    anchor = starts[outcome.period] + timedelta(days=course.start - 1)
    if isinstance(course.cycle, Months) and outcome.cycle is not None:
        step, k = course.cycle, outcome.cycle - course.first_cycle
    else:
        # An interval in months, or a dose given that fulfils no planned administration
        # (no cycle of its own): the cycle or interval its date falls in (the first
        # before the course starts).
        if isinstance(course.cycle, Months):
            step = course.cycle
        else:
            assert isinstance(course.pattern, MonthsPattern)
            step = course.pattern.every
        k = 0
        while step.after(anchor, k + 1) <= outcome.planned_date:
            k += 1
    return (step.after(anchor, k + 1) - step.after(anchor, k)).days


#: The planned dates of each course's administrations, by (period, course index).
_Plans = Mapping[tuple[str, int], Collection[date]]


def _last_cycle_days(regimen: Regimen, outcomes: Sequence[Outcome], when: str,
                     starts: Mapping[str, date] | None, default: int,
                     ends: Mapping[str, date] | None, plans: _Plans) -> int:
    """The planned length after the last of ``outcomes`` (by ``when``: its ``date`` or
    ``planned_date``; :func:`planned_cycle_days`); ``default`` without any."""
    if not outcomes:
        return default
    last = max(outcomes, key=lambda o: (getattr(o, when), o.planned_date))
    return planned_cycle_days(regimen, last, starts, ends=ends,
                              plan=plans.get((last.period, last.course), ()))


def _course(regimen: Regimen, outcome: Outcome) -> Course:
    return regimen.period(outcome.period).courses[outcome.course]
