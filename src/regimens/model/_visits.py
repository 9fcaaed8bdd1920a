"""Visits: a target day (a Study Day, a day of a period, a day after a drug's last dose, a
day of a course's cycle, or every N days of a period) and a window around it."""

from __future__ import annotations

from .._records import dataclass
from ..quantities import MAX_MONTHS, Duration
from ._invariants import Problems

__all__ = ["AfterLastAnchor", "CourseAnchor", "MonthAnchor", "PeriodAnchor", "RepeatAnchor",
           "StudyDayAnchor", "Visit", "VisitAnchor", "Window"]


@dataclass(frozen=True)
class Window:
    """How many days before and after its target day a visit may take place."""

    before: Duration
    after: Duration

    def __post_init__(self) -> None:
        problems = Problems("Window")
        for key, value in (("before", self.before), ("after", self.after)):
            if not isinstance(value, Duration):
                problems.add(key, "a Duration (0 days or more)", value, code="wrong-type")
        problems.raise_any()


@dataclass(frozen=True)
class StudyDayAnchor:
    """A visit on a Study Day: ..., -1, 1, 2, ...; ``week: N`` is day 7N+1.

    Day 0 exists only in a regimen with ``day_zero`` (checked by :class:`Regimen`,
    which knows the convention); there ``week: N`` is day 7N.
    """

    day: int  # an int, not a StudyDay: the writer and the check report print it as written

    def __post_init__(self) -> None:
        problems = Problems("StudyDayAnchor")
        if isinstance(self.day, bool) or not isinstance(self.day, int):
            problems.add("day", "a Study Day is an int", self.day, code="wrong-type")
        problems.raise_any()


@dataclass(frozen=True)
class MonthAnchor:
    """A visit ``months`` calendar months after Study Day 1 (``month: 3``): the date of
    Study Day 1 (of Day 0 with ``day_zero``) + 3 calendar months, the same day of the month
    clamped to the month's last day (Day 1 on 31 August: Month 6 is 28 or 29 February).
    ``months`` is a whole number from 1 to 1,200.
    """

    months: int

    def __post_init__(self) -> None:
        problems = Problems("MonthAnchor")
        if isinstance(self.months, bool) or not isinstance(self.months, int) or not (
                1 <= self.months <= MAX_MONTHS):
            problems.add("months", f"a whole number of calendar months, 1 to {MAX_MONTHS:,}",
                         self.months, code="too-small")
        problems.raise_any()


@dataclass(frozen=True)
class PeriodAnchor:
    """A visit on the first or last day of a period (``at``), or on day N of it (``day``)."""

    period: str
    at: str | None = None  # "start" | "end"
    day: int | None = None  # day N of the period

    def __post_init__(self) -> None:
        problems = Problems("PeriodAnchor")
        if (self.at is None) == (self.day is None):
            problems.add("at", "a visit in a period gives either at ('start' or 'end') or "
                         "day (day N of the period)", code="visit-anchor")
        elif self.at is not None and self.at not in ("start", "end"):
            problems.add("at", "must be one of: start, end", self.at, code="not-one-of")
        elif self.day is not None and (isinstance(self.day, bool) or not isinstance(
                self.day, int) or self.day < 1):
            problems.add("day", "day N of the period is a whole number from 1", self.day,
                         code="too-small")
        problems.raise_any()


@dataclass(frozen=True)
class AfterLastAnchor:
    """A visit ``offset`` days after the participant's last administration of ``drug``
    (``after_last: DRUG, offset: 30 days``); 0 days is the day of that administration."""

    drug: str
    offset: Duration

    def __post_init__(self) -> None:
        problems = Problems("AfterLastAnchor")
        if not isinstance(self.drug, str) or not self.drug:
            problems.add("drug", "a drug id (text)", self.drug, code="wrong-type")
        if not isinstance(self.offset, Duration):
            problems.add("offset", "a Duration (0 days or more)", self.offset,
                         code="wrong-type")
        problems.raise_any()


@dataclass(frozen=True)
class CourseAnchor:
    """A visit on day ``day`` of cycle ``cycle`` of the course whose ``id`` is ``course``
    (``course: ID, cycle: 3, day: 1``): it moves with that cycle."""

    course: str
    cycle: int
    day: int

    def __post_init__(self) -> None:
        problems = Problems("CourseAnchor")
        if not isinstance(self.course, str) or not self.course:
            problems.add("course", "a course id (text)", self.course, code="wrong-type")
        for key in ("cycle", "day"):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                problems.add(key, f"a {key} is a whole number from 1", value, code="too-small")
        problems.raise_any()


@dataclass(frozen=True)
class RepeatAnchor:
    """Visits every ``every`` days of period ``period``: on its first day + k x ``every``
    for k = 1, 2, ... while inside the period (at the length chosen), numbered ``ID-1``,
    ``ID-2``, ... (a baseline on the first day is a visit of its own)."""

    period: str
    every: Duration

    def __post_init__(self) -> None:
        problems = Problems("RepeatAnchor")
        if not isinstance(self.every, Duration) or self.every.days < 1:
            problems.add("every", "a Duration of at least 1 day", self.every, code="too-small")
        problems.raise_any()


#: Every kind of visit anchor.
VisitAnchor = (StudyDayAnchor | PeriodAnchor | AfterLastAnchor | CourseAnchor | RepeatAnchor
               | MonthAnchor)


@dataclass(frozen=True)
class Visit:
    """A protocol visit: on a Study Day, a day of a period, a day after a drug's last
    administration, a day of a course's cycle, or repeating through a period; with an
    optional window of days before and after; ``arms`` limits it to some arms (None:
    every arm)."""

    id: str
    anchor: VisitAnchor
    window: Window | None = None
    label: str = ""
    arms: tuple[str, ...] | None = None
    week: int | None = None  # kept to write the visit back as it was written
    notes: str = ""

    def __post_init__(self) -> None:
        problems = Problems("Visit")
        if not isinstance(self.anchor, StudyDayAnchor | PeriodAnchor | AfterLastAnchor
                          | CourseAnchor | RepeatAnchor | MonthAnchor):
            problems.add("anchor", "a StudyDayAnchor, PeriodAnchor, AfterLastAnchor, "
                         "CourseAnchor, RepeatAnchor or MonthAnchor", self.anchor,
                         code="wrong-type")
        if self.window is not None and not isinstance(self.window, Window):
            problems.add("window", "a Window", self.window, code="wrong-type")
        if self.arms is not None and (not isinstance(self.arms, tuple) or not self.arms):
            # An empty tuple would show the visit to no arm: a silent drop.
            problems.add("arms", "a non-empty tuple of arm ids (None: every arm)", self.arms,
                         code="too-few-items")
        problems.raise_any()
