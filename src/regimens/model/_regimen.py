"""The regimen model: frozen, validated value objects.

Objects here are built by :mod:`regimens.format` from a document (which
checks every cross-reference and reports file lines), or directly in Python.
Either way each record checks its own invariants when it is made: local rules
in its ``__post_init__`` (a day inside its cycle, one timing pattern per
course), and :class:`Regimen` checks every cross-reference (drug, arm and
period ids; courses that fit their periods; visits and expectations). A
violation raises :class:`~regimens.errors.InvalidRegimenError` listing every
:class:`~regimens.errors.Problem` found in that record, with the record type
in ``file`` (``<Course>``, ``<Regimen>``) and the field path in ``path``
(for a regimen, the same path as in a regimen file: ``periods[0].courses[1].drug``).
The engine (:mod:`regimens.engine`) only ever sees valid objects.
"""

from __future__ import annotations

import enum
import warnings
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, time
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import (
    NO_VALUE,
    InvalidRegimenError,
    Loc,
    ParticipantError,
    Problem,
    RegimenLookupError,
    UnitError,
)
from ..quantities import Amount, Basis, DoseQuantity, Duration, LengthRange, counted
from ._participant import Participant

if TYPE_CHECKING:
    from ..engine import CheckReport, Schedule
    from ..quantities import BSAFormula

__all__ = [
    "MAX_ADMINISTRATIONS",
    "AdministrationStep",
    "Arm",
    "Course",
    "CycleStep",
    "DailyPattern",
    "DayStep",
    "DaysPattern",
    "Dose",
    "Drug",
    "EveryPattern",
    "Expectation",
    "Period",
    "PeriodAnchor",
    "Regimen",
    "Rounding",
    "StudyDayAnchor",
    "Visit",
    "WeekdaysPattern",
    "Window",
]

#: One administration slot of a course: (offset, cycle, cycle day, time, step index).
#: A plain tuple: courses of daily drugs give hundreds of slots per participant.
Slot = tuple[int, int | None, int | None, time | None, int | None]

#: (file, line, location) of an item in its source document, for messages.
Location = tuple[str, int | None, Loc]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: A problem found in a record, before it is placed: (loc, message, value, code).
Misfit = tuple[Loc, str, object, str]


class _Problems:
    """Problems found in one record built in Python: all reported at once, in one error.

    ``file`` names the record (``<Course>``); ``loc`` is relative to it, and for a
    :class:`Regimen` it is the location a regimen file would have.
    """

    def __init__(self, record: str) -> None:
        self.file = f"<{record}>"
        self.found: list[Problem] = []

    def add(self, loc: Loc | str, message: str, value: object = NO_VALUE, *,
            code: str) -> None:
        """One problem; a ``str`` loc is one field name."""
        self.found.append(Problem(self.file, None, (loc,) if isinstance(loc, str) else loc,
                                  message, value, code=code))

    def raise_any(self) -> None:
        if self.found:
            raise InvalidRegimenError(self.found)


def _days_problem(problems: _Problems, key: str, days: object) -> None:
    """Days of a pattern or step: a non-empty tuple of whole days from 1, increasing."""
    if not isinstance(days, tuple) or not days:
        problems.add(key, "give at least one day, as a tuple of ints", days, code="too-few-items")
        return
    for day in days:
        if isinstance(day, bool) or not isinstance(day, int) or day < 1:
            problems.add(key, "days are whole numbers counted from 1: there is no day 0", day,
                         code="day-zero")
            return
    if list(days) != sorted(set(days)):
        problems.add(key, "list the days in increasing order, each once", days,
                     code="not-increasing")


class Rounding(enum.Enum):
    """How a computed dose is rounded to a multiple of ``round``: to the nearest (halves
    up, ``ROUND_HALF_UP``, the pharmacy convention), up, or down."""

    NEAREST = "nearest"  # halves go up (ROUND_HALF_UP), the pharmacy convention
    UP = "up"
    DOWN = "down"


@dataclass(frozen=True)
class Dose:
    """A dose as the protocol states it, with optional cap and rounding.

    ``quantity.basis`` says whether it is flat, per kg or per m2; the three are
    computed differently and explained differently (see :mod:`regimens.engine`).
    The order of operations is fixed: amount x body size, then rounded to a
    multiple of ``round`` (by ``rounding``), then capped at ``max``, so a cap is
    never exceeded. ``max`` and ``round`` are absolute amounts in the dose's
    :class:`Dimension`.
    """

    quantity: DoseQuantity
    max: Amount | None = None
    round: Amount | None = None
    rounding: Rounding = Rounding.NEAREST

    def __post_init__(self) -> None:
        # Raises InvalidRegimenError: a cap or rounding increment in another dimension than
        # the dose (2 mL on a mg dose), or on a flat dose (which nothing computes).
        problems = _Problems("Dose")
        if not isinstance(self.quantity, DoseQuantity):
            problems.add("quantity", "a dose is a DoseQuantity", self.quantity, code="wrong-type")
            problems.raise_any()
        dimension = self.quantity.amount.unit.dimension
        for key, limit in (("max", self.max), ("round", self.round)):
            if limit is None:
                continue
            if not isinstance(limit, Amount):
                problems.add(key, "an Amount of drug", limit, code="wrong-type")
            elif limit.unit.dimension is not dimension:
                problems.add(key, f"must be in the dose's dimension ({dimension.value})",
                             str(limit), code="wrong-dimension")
            elif self.quantity.basis is Basis.FLAT:
                problems.add(key, f"{key} applies to computed (per kg or per m2) doses; "
                             "this dose is flat", str(limit), code="limit-on-flat-dose")
        if not isinstance(self.rounding, Rounding):
            problems.add("rounding", "a Rounding", self.rounding, code="wrong-type")
        problems.raise_any()

    @property
    def basis(self) -> Basis:
        """Flat, per kg or per m2: ``quantity.basis``."""
        return self.quantity.basis


@dataclass(frozen=True)
class Drug:
    """A drug of the regimen: its id (lowercase, digits, hyphens), name and default route.

    ``route`` is written as people read it (``"subcutaneous"``); a course may override it.
    """

    id: str
    name: str
    route: str
    notes: str = ""

    def __post_init__(self) -> None:
        problems = _Problems("Drug")
        for key in ("id", "name", "route"):
            value = getattr(self, key)
            if not isinstance(value, str) or not value.strip():
                problems.add(key, "non-empty text", value, code="wrong-type")
        problems.raise_any()


@dataclass(frozen=True)
class Arm:
    """A treatment arm: its path through the periods (None: every period, in order) and,
    optionally, which period's first day is Study Day 1 on this arm."""

    id: str
    label: str
    periods: tuple[str, ...] | None = None  # path through the periods; None = all
    day_one: str | None = None  # overrides the regimen's day_one for this arm
    notes: str = ""

    def __post_init__(self) -> None:
        problems = _Problems("Arm")
        if self.periods is not None:
            if not isinstance(self.periods, tuple) or not self.periods:
                problems.add("periods", "a path is a non-empty tuple of period ids "
                             "(None: every period)", self.periods, code="too-few-items")
            elif len(set(self.periods)) != len(self.periods):
                problems.add("periods", "a period appears twice in the path",
                             ", ".join(self.periods), code="duplicate-period")
        problems.raise_any()


# Course timing patterns: exactly one per course (day steps are their own pattern).


@dataclass(frozen=True)
class DaysPattern:
    """Given days of the cycle (or course span), 1-based: ``days: [1, 8, 15]``, ``days: 1-5``."""

    days: tuple[int, ...]

    #: The days depend on the calendar (a weekday pattern), not only on the window length.
    date_dependent: ClassVar[bool] = False

    def __post_init__(self) -> None:
        problems = _Problems("DaysPattern")
        _days_problem(problems, "days", self.days)
        problems.raise_any()

    def misfit(self, length: int, where: str) -> Misfit | None:
        """(loc, message, value, code) when the pattern does not fit a ``length``-day window.

        ``where`` names the window in the message (``"a 28-day cycle"``).
        """
        late = [d for d in self.days if d > length]
        return (("days",), f"day {late[0]} is outside {where}", late[0],
                "day-outside-cycle") if late else None

    def days_in(self, length: int, weekday0: int) -> list[int]:
        """1-based days of a ``length``-day window (cycle or span) on which to dose.

        ``weekday0`` is the weekday (0 = Monday) of the window's first day; only
        patterns with ``date_dependent`` set read it.
        """
        return [d for d in self.days if d <= length]


@dataclass(frozen=True)
class EveryPattern:
    """Every N days from day 1, ``count`` times or until the cycle/span ends."""

    every: Duration
    count: int | None = None

    date_dependent: ClassVar[bool] = False

    def __post_init__(self) -> None:
        problems = _Problems("EveryPattern")
        if not isinstance(self.every, Duration) or self.every.days < 1:
            problems.add("every", "an interval is a Duration of at least 1 day", self.every,
                         code="too-small")
        if self.count is not None and (isinstance(self.count, bool) or not isinstance(
                self.count, int) or self.count < 1):
            problems.add("count", "a count is a whole number from 1 (None: to the end)",
                         self.count, code="too-small")
        problems.raise_any()

    def misfit(self, length: int, where: str) -> Misfit | None:
        """(loc, message, value, code) when the pattern does not fit a ``length``-day window."""
        if self.every.days > length:
            # Only day 1 of each cycle would be given: "every" would never be honoured.
            return (("every",), f"an interval of {counted(self.every.days, 'day')} is longer than "
                    f"{where}; give one dose per cycle with days (1,), or a longer cycle",
                    str(self.every), "interval-too-long")
        if self.count is not None and 1 + (self.count - 1) * self.every.days > length:
            return (("count",), f"{counted(self.count, 'administration')} every "
                    f"{counted(self.every.days, 'day')} "
                    f"end on day {1 + (self.count - 1) * self.every.days}, outside {where}",
                    self.count, "count-outside-cycle")
        return None

    def days_in(self, length: int, weekday0: int) -> list[int]:
        """Day 1, 1 + N, 1 + 2N, ... within the window, at most ``count`` of them."""
        count = self.count if self.count is not None else length
        return list(range(1, length + 1, self.every.days))[:count]


@dataclass(frozen=True)
class WeekdaysPattern:
    """Calendar weekdays (0 = Monday) within the cycle/span."""

    weekdays: tuple[int, ...]

    date_dependent: ClassVar[bool] = True

    def __post_init__(self) -> None:
        problems = _Problems("WeekdaysPattern")
        days = self.weekdays
        if not isinstance(days, tuple) or not days or any(
                isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in days):
            problems.add("weekdays", "weekdays are a non-empty tuple of ints from 0 (Monday) "
                         "to 6 (Sunday)", days, code="not-one-of")
        elif list(days) != sorted(set(days)):
            problems.add("weekdays", "list the weekdays in increasing order, each once", days,
                         code="not-increasing")
        problems.raise_any()

    def misfit(self, length: int, where: str) -> Misfit | None:
        """Never: a weekday pattern takes the weekdays that fall in the window."""
        return None

    def days_in(self, length: int, weekday0: int) -> list[int]:
        """The window's days whose weekday is one of ``weekdays``."""
        return [d for d in range(1, length + 1) if (weekday0 + d - 1) % 7 in self.weekdays]


@dataclass(frozen=True)
class DailyPattern:
    """Every day of the cycle/span."""

    date_dependent: ClassVar[bool] = False

    def misfit(self, length: int, where: str) -> Misfit | None:
        """Never: every day of the window."""
        return None

    def days_in(self, length: int, weekday0: int) -> list[int]:
        """Every day of the window."""
        return list(range(1, length + 1))


Pattern = DaysPattern | EveryPattern | WeekdaysPattern | DailyPattern


@dataclass(frozen=True)
class CycleStep:
    """Escalation or taper by cycles: this dose for the next ``cycles`` cycles."""

    dose: Dose
    cycles: int

    def __post_init__(self) -> None:
        problems = _Problems("CycleStep")
        if isinstance(self.cycles, bool) or not isinstance(self.cycles, int) or self.cycles < 1:
            problems.add("cycles", "a step lasts a whole number of cycles, from 1", self.cycles,
                         code="too-small")
        problems.raise_any()


@dataclass(frozen=True)
class AdministrationStep:
    """This dose for the next ``administrations`` administrations (a whole number from 1).

    The steps of a course must cover exactly its administrations (checked by
    :class:`Regimen` at both ends of a variable period, and when a weekday
    pattern is laid out).
    """

    dose: Dose
    administrations: int

    def __post_init__(self) -> None:
        # None would count as no administrations when the steps are matched to the slots.
        problems = _Problems("AdministrationStep")
        n = self.administrations
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            problems.add("administrations", "a step lasts a whole number of administrations, "
                         "from 1", n, code="too-small")
        problems.raise_any()


@dataclass(frozen=True)
class DayStep:
    """A taper step: this dose daily on these days of the cycle/span."""

    dose: Dose
    days: tuple[int, ...]

    def __post_init__(self) -> None:
        problems = _Problems("DayStep")
        _days_problem(problems, "days", self.days)
        problems.raise_any()


Step = CycleStep | AdministrationStep | DayStep


#: The most administrations one expansion may hold. A real protocol stays far below it
#: (daily for the longest duration the format allows, 100 years, is 36,525; four times a
#: day for ten years is 14,610); a schedule past it is a typing mistake (a dose every minute
#: for 100 years is 52,596,000) and would exhaust memory. Counted before the administrations
#: are made, so refusing costs nothing. See docs/reliability.md.
MAX_ADMINISTRATIONS = 1_000_000


@dataclass(frozen=True)
class Course:
    """One drug given on a pattern within a period.

    ``drug`` is a drug id of the regimen; ``pattern`` the days of each window
    (None only with day steps); ``dose`` or ``steps`` the amounts (neither: a
    ``placebo``, or ``dose: unspecified`` explained by ``dose_note``). Days are
    1-based: ``start`` is the day of the period the course begins on; ``span`` how
    long it lasts (None: to the end of the period); ``cycle`` the length of a cycle
    and ``cycles`` how many (None: until the span ends, the last cycle possibly cut
    short; with steps by cycles, their sum). ``times`` are local wall-clock times
    of day. ``arms`` limits the course to some arms (None: every arm). ``not_on``
    and ``no_same_day`` name other drugs (docs/format.md, "Extensions").
    """

    drug: str
    pattern: Pattern | None  # None only when the steps are day steps
    dose: Dose | None = None
    steps: tuple[Step, ...] = ()
    placebo: bool = False
    dose_note: str = ""  # why the amount is not fixed (dose unspecified), or a remark
    arms: tuple[str, ...] | None = None
    start: int = 1  # day of the period the course starts on
    span: Duration | None = None  # "for:"; None = to the end of the period
    cycle: Duration | None = None
    cycles: int | None = None  # None = until the span ends (steps by cycles: their sum)
    times: tuple[time, ...] = ()
    route: str | None = None  # overrides the drug's route
    label: str = ""
    not_on: tuple[str, ...] = ()  # drugs whose administration days this course skips
    no_same_day: tuple[str, ...] = ()  # drugs that must not be given on this course's days
    notes: str = ""
    where: Location = field(default=("", None, ()), compare=False)  # for messages

    def __post_init__(self) -> None:
        # Rules within the course; those that need its period or the regimen's ids
        # (the drug exists, the course fits its period) are checked by Regimen.
        problems = _Problems("Course")
        self._check(problems)
        problems.raise_any()

    def _check(self, problems: _Problems) -> None:
        steps = self.steps
        if not isinstance(self.drug, str) or not self.drug:
            problems.add("drug", "a drug id (text)", self.drug, code="wrong-type")
        if not isinstance(steps, tuple) or not all(
                isinstance(s, CycleStep | AdministrationStep | DayStep) for s in steps):
            problems.add("steps", "a tuple of CycleStep, AdministrationStep or DayStep", steps,
                         code="wrong-type")
            return
        kinds = {type(s) for s in steps}
        if len(kinds) > 1:
            problems.add("steps", "all steps of a course count the same thing (cycles, "
                         "administrations or days)", code="mixed-step-kinds")
        elif len({(s.dose.basis, s.dose.quantity.amount.unit.dimension) for s in steps}) > 1:
            problems.add("steps", "all steps of a course use the same dose basis and dimension",
                         code="mixed-step-doses")
        day_steps = [(i, s) for i, s in enumerate(steps) if isinstance(s, DayStep)]
        pattern = self.pattern
        if pattern is None and not day_steps:
            problems.add("pattern", "a course needs exactly one timing pattern (DaysPattern, "
                         "EveryPattern, WeekdaysPattern or DailyPattern) or steps by days",
                         code="missing-pattern")
        elif pattern is not None and day_steps:
            problems.add("pattern", "day steps are the course's pattern: give pattern=None",
                         pattern, code="pattern-with-day-steps")
        elif pattern is not None and not isinstance(
                pattern, DaysPattern | EveryPattern | WeekdaysPattern | DailyPattern):
            problems.add("pattern", "a DaysPattern, EveryPattern, WeekdaysPattern or "
                         "DailyPattern", pattern, code="wrong-type")
            pattern = None
        seen: dict[int, int] = {}
        for index, step in day_steps:
            for day in step.days:
                if day in seen:
                    problems.add(("steps", index, "days"), f"day {day} is already in "
                                 f"steps[{seen[day]}]: steps overlap", day,
                                 code="overlapping-steps")
                    break
                seen[day] = index
        # What is given: one of a dose, steps, placebo, or an unspecified dose with a note.
        if self.dose is not None and not isinstance(self.dose, Dose):
            problems.add("dose", "a Dose", self.dose, code="wrong-type")
        if self.dose is not None and steps:
            problems.add("steps", "give either dose or steps, not both", code="dose-and-steps")
        if self.placebo and (self.dose is not None or steps):
            problems.add("placebo", "a placebo course has no active dose or steps: remove them",
                         code="placebo-with-dose")
        if self.unspecified and not self.dose_note:
            problems.add("dose_note", "a course with no dose, steps or placebo needs a "
                         "dose_note saying why the amount is not fixed (e.g. 'titrated to "
                         "trough level')", code="unspecified-dose-without-note")
        # Where the course lies within its period, and how its cycles count.
        start = self.start
        if isinstance(start, bool) or not isinstance(start, int) or start < 1:
            problems.add("start", "the day of the period the course starts on, from 1", start,
                         code="too-small")
        for key, length in (("span", self.span), ("cycle", self.cycle)):
            if length is not None and (not isinstance(length, Duration) or length.days < 1):
                problems.add(key, "a Duration of at least 1 day", length, code="too-small")
                return
        cycles = self.cycles
        if cycles is not None:
            if isinstance(cycles, bool) or not isinstance(cycles, int) or cycles < 1:
                problems.add("cycles", "a whole number of cycles, from 1", cycles, code="too-small")
                return
            if self.cycle is None:
                problems.add("cycles", "cycles needs a cycle length (cycle=Duration(28))",
                             cycles, code="cycles-without-cycle")
        if CycleStep in kinds:
            covered = sum(s.cycles for s in steps if isinstance(s, CycleStep))
            if self.cycle is None:
                problems.add("steps", "steps by cycles need a cycle length (cycle=Duration(28))",
                             code="cycles-without-cycle")
            elif cycles != covered:
                # Cycles beyond the steps would have no dose: never leave it to chance.
                problems.add("cycles", f"the steps cover {counted(covered, 'cycle')} but the "
                             f"course has {cycles}" if cycles is not None else
                             f"the steps cover {counted(covered, 'cycle')}: give cycles={covered}",
                             code="steps-mismatch")
        if self.cycle is not None and cycles is not None and self.span is not None and (
                cycles * self.cycle.days > self.span.days):
            problems.add("cycles", f"{counted(cycles, 'cycle')} of "
                         f"{counted(self.cycle.days, 'day')} {'needs' if cycles == 1 else 'need'} "
                         f"{counted(cycles * self.cycle.days, 'day')}, but the course has "
                         f"{self.span.days}", cycles, code="cycles-past-course")
        if self.cycle is not None:
            window, where = self.cycle.days, f"a {self.cycle.days}-day cycle"
        elif self.span is not None:
            window, where = self.span.days, f"the course ({counted(self.span.days, 'day')})"
        else:
            window, where = 0, ""  # the period's length: checked by Regimen
        if window and (pattern is not None or day_steps):
            for loc, message, value, code in self.misfits(window, where):
                problems.add(loc, message, value, code=code)
        # Times, arms and the drugs this course names.
        if not isinstance(self.times, tuple) or not all(isinstance(t, time) for t in self.times):
            problems.add("times", "a tuple of datetime.time", self.times, code="wrong-type")
        elif len(set(self.times)) != len(self.times):
            problems.add("times", "a time of day is listed twice", code="duplicate-time")
        if self.arms is not None and (not isinstance(self.arms, tuple) or not self.arms):
            # An empty tuple would give the course to no arm: a silent drop.
            problems.add("arms", "a non-empty tuple of arm ids (None: every arm)", self.arms,
                         code="too-few-items")
        for key, ids in (("not_on", self.not_on), ("no_same_day", self.no_same_day)):
            for i, other in enumerate(ids):
                if other == self.drug:
                    problems.add((key, i), "must name another drug of this regimen", other,
                                 code="not-another-drug")

    def misfits(self, length: int, where: str) -> list[Misfit]:
        """(loc, message, value, code) of days that do not fit a ``length``-day window.

        The window is a cycle, the span, or what remains of the period; ``where``
        names it in the message (``"a 28-day cycle"``).
        """
        if self.pattern is not None:
            found = self.pattern.misfit(length, where)
            return [] if found is None else [(("pattern", *found[0]), *found[1:])]
        for index, step in enumerate(self.steps):
            if isinstance(step, DayStep):
                late = [d for d in step.days if d > length]
                if late:
                    return [(("steps", index, "days"), f"day {late[0]} is outside {where}",
                             late[0], "day-outside-cycle")]
        return []

    @property
    def unspecified(self) -> bool:
        """True when the protocol fixes no amount (e.g. titrated to a trough level)."""
        return not self.placebo and self.dose is None and not self.steps

    @property
    def date_dependent(self) -> bool:
        """True when the course's days depend on the calendar (a weekday pattern)."""
        return self.pattern is not None and self.pattern.date_dependent

    def window_days(self, length: int, weekday0: int) -> list[int]:
        """1-based days of a ``length``-day cycle (or the span) on which the course doses.

        ``weekday0``: weekday (0 = Monday) of the window's first day. Day steps
        (a taper by days) are their own pattern.
        """
        if self.pattern is not None:
            return self.pattern.days_in(length, weekday0)
        days = sorted(d for s in self.steps if isinstance(s, DayStep) for d in s.days)
        return [d for d in days if d <= length]

    def slots(self, first: int, period_length: int, weekday0: int,
              used: int = 0) -> tuple[list[Slot], int, int]:
        """Every administration slot of the course, and its first and last offset.

        ``first``: offset from Study Day 1 of the period's first day;
        ``period_length``: the period's length in days; ``weekday0``: the
        weekday (0 = Monday) of offset 0; ``used``: the administrations the
        expansion already holds from other courses. Slots are ``(offset, cycle,
        cycle day, time, step index)``, in order.

        Raises:
            InvalidRegimenError: administration-counted steps that do not cover
                exactly the course's administrations; more than
                :data:`MAX_ADMINISTRATIONS` with ``used`` (counted window by
                window, before a slot of the window is made).
        """
        span_first = first + self.start - 1
        available = period_length - self.start + 1
        span = self.span.days if self.span is not None else available
        if self.cycle is not None:
            size = self.cycle.days
            count = self.cycles if self.cycles is not None else -(-span // size)
            windows: list[tuple[int, int, int | None]] = [
                (span_first + k * size, min(size, span - k * size), k + 1) for k in range(count)]
            span_last = span_first + min(span, count * size) - 1
        else:
            windows = [(span_first, span, None)]
            span_last = span_first + span - 1
        slots: list[Slot] = []
        times: tuple[time | None, ...] = self.times or (None,)
        cycle_steps = [s for s in self.steps if isinstance(s, CycleStep)]
        day_steps = [s for s in self.steps if isinstance(s, DayStep)]
        # The days of a window depend only on its length, except for weekday patterns.
        by_length: dict[int, list[int]] = {}
        dated = self.date_dependent
        for window_first, length, cycle in windows:
            step = None
            if cycle_steps and cycle is not None:
                bound = 0
                for index, s in enumerate(cycle_steps):
                    bound += s.cycles
                    if cycle <= bound:
                        step = index
                        break
            if dated:
                days = self.window_days(length, (weekday0 + window_first) % 7)
            elif length in by_length:
                days = by_length[length]
            else:
                days = by_length[length] = self.window_days(length, 0)
            if used + len(slots) + len(days) * len(times) > MAX_ADMINISTRATIONS:
                raise self._too_many(windows, dated, weekday0, len(times), used)
            cycle_day_of = cycle is not None
            for day in days:
                if day_steps:
                    step = next(i for i, s in enumerate(day_steps) if day in s.days)
                offset = window_first + day - 1
                for t in times:
                    slots.append((offset, cycle, day if cycle_day_of else None, t, step))
        admin_steps = [s for s in self.steps if isinstance(s, AdministrationStep)]
        if admin_steps:
            covered = sum(s.administrations for s in admin_steps)
            if covered != len(slots):
                raise self.problem(f"the steps cover {counted(covered, 'administration')} but "
                                   f"the course gives {len(slots)}", code="steps-mismatch")
            index, left = 0, admin_steps[0].administrations
            for n, (offset, cycle, cycle_day, t, _) in enumerate(slots):
                while left == 0:
                    index += 1
                    left = admin_steps[index].administrations
                slots[n] = (offset, cycle, cycle_day, t, index)
                left -= 1
        return slots, span_first, span_last

    def _too_many(self, windows: list[tuple[int, int, int | None]], dated: bool,
                  weekday0: int, times: int, used: int) -> InvalidRegimenError:
        # Count the whole course (window by window, nothing made) to say how far over it is.
        count = sum(len(self.window_days(length, (weekday0 + start) % 7 if dated else 0))
                    for start, length, _ in windows) * times
        others = f", {count + used:,} with the other courses" if used else ""
        return self.problem(
            f"the course gives {count:,} administrations{others}: more than "
            f"{MAX_ADMINISTRATIONS:,}, the most one expansion may hold; check its times, "
            "pattern and length", code="too-many-administrations")

    def problem(self, message: str, *, code: str) -> InvalidRegimenError:
        """An error about this course, located at its place in the source file.

        ``code`` names the rule broken (see :class:`~regimens.Problem`). A course
        built in Python has no place in a file: its record, ``<Course>``, is named instead.
        """
        file, line, loc = self.where
        return InvalidRegimenError([Problem(file or "<Course>", line, loc, message, code=code)])


@dataclass(frozen=True)
class Period:
    """A stretch of the study, with its courses; each period starts the day after the last.

    Whether each course fits the period (its start, span, cycles and days) is
    checked by :class:`Regimen`, which reports the course's full path.
    """

    id: str
    length: LengthRange
    courses: tuple[Course, ...] = ()
    blinded: bool = False
    label: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        problems = _Problems("Period")
        if not isinstance(self.id, str) or not self.id:
            problems.add("id", "a period id (text)", self.id, code="wrong-type")
        if not isinstance(self.length, LengthRange):
            problems.add("length", "a LengthRange", self.length, code="wrong-type")
        if not isinstance(self.courses, tuple) or not all(
                isinstance(c, Course) for c in self.courses):
            problems.add("courses", "a tuple of Course", self.courses, code="wrong-type")
        problems.raise_any()


@dataclass(frozen=True)
class Window:
    """How many days before and after its target day a visit may take place."""

    before: Duration
    after: Duration

    def __post_init__(self) -> None:
        problems = _Problems("Window")
        for key, value in (("before", self.before), ("after", self.after)):
            if not isinstance(value, Duration):
                problems.add(key, "a Duration (0 days or more)", value, code="wrong-type")
        problems.raise_any()


@dataclass(frozen=True)
class StudyDayAnchor:
    """A visit on a Study Day: ..., -1, 1, 2, ... (never 0); ``week: N`` is day 7N+1."""

    day: int  # an int, not a StudyDay: the writer and the check report print it as written

    def __post_init__(self) -> None:
        problems = _Problems("StudyDayAnchor")
        if isinstance(self.day, bool) or not isinstance(self.day, int):
            problems.add("day", "a Study Day is an int", self.day, code="wrong-type")
        elif self.day == 0:
            problems.add("day", "there is no Study Day 0: the day before Day 1 is Day -1", 0,
                         code="day-zero")
        problems.raise_any()


@dataclass(frozen=True)
class PeriodAnchor:
    """A visit on the first or last day of a period (``at``), or on day N of it (``day``)."""

    period: str
    at: str | None = None  # "start" | "end"
    day: int | None = None  # day N of the period

    def __post_init__(self) -> None:
        problems = _Problems("PeriodAnchor")
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
class Visit:
    """A protocol visit: on a Study Day or a day of a period, with an optional window of
    days before and after; ``arms`` limits it to some arms (None: every arm)."""

    id: str
    anchor: StudyDayAnchor | PeriodAnchor
    window: Window | None = None
    label: str = ""
    arms: tuple[str, ...] | None = None
    week: int | None = None  # kept to write the visit back as it was written
    notes: str = ""

    def __post_init__(self) -> None:
        problems = _Problems("Visit")
        if not isinstance(self.anchor, StudyDayAnchor | PeriodAnchor):
            problems.add("anchor", "a StudyDayAnchor or a PeriodAnchor", self.anchor,
                         code="wrong-type")
        if self.window is not None and not isinstance(self.window, Window):
            problems.add("window", "a Window", self.window, code="wrong-type")
        if self.arms is not None and (not isinstance(self.arms, tuple) or not self.arms):
            # An empty tuple would show the visit to no arm: a silent drop.
            problems.add("arms", "a non-empty tuple of arm ids (None: every arm)", self.arms,
                         code="too-few-items")
        problems.raise_any()


@dataclass(frozen=True)
class Expectation:
    """Arithmetic the protocol states, verified by ``regimens check`` (:meth:`Regimen.check`).

    For ``arm`` and ``drug``: the number of ``administrations`` (placebo included),
    the cumulative ``total`` (per kg or per m2: the sum in that basis before caps
    and rounding; absolute: flat doses, or every dose for the reference participant
    given by ``weight``, ``height``, ``bsa``), and the Study Days of the first and
    last administration. ``lengths`` (period id, length text) and ``start``
    (``YYYY-MM-DD``) fix the conditions evaluated; see docs/format.md, "Expectations".
    """

    arm: str
    drug: str
    administrations: int | None = None
    total: DoseQuantity | None = None  # flat: absolute total; per kg/m2: sum of the basis
    first_day: int | None = None
    last_day: int | None = None
    weight: str | None = None
    height: str | None = None
    bsa: str | None = None
    lengths: tuple[tuple[str, str], ...] = ()
    start: str | None = None
    notes: str = ""
    where: Location = field(default=("", None, ()), compare=False)

    def __post_init__(self) -> None:
        problems = _Problems("Expectation")
        if not isinstance(self.lengths, tuple) or not all(
                isinstance(pair, tuple) and len(pair) == 2 for pair in self.lengths):
            problems.add("lengths", "a tuple of (period id, length text) pairs, e.g. "
                         "(('treatment', '12 weeks'),)", self.lengths, code="wrong-type")
        n = self.administrations
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 0):
            problems.add("administrations", "a whole number from 0", n, code="too-small")
        for key in ("first_day", "last_day"):
            day = getattr(self, key)
            if day is not None and (isinstance(day, bool) or not isinstance(day, int)
                                    or day == 0):
                problems.add(key, "a Study Day: a non-zero int (there is no Day 0)", day,
                             code="day-zero")
        if self.total is not None and not isinstance(self.total, DoseQuantity):
            problems.add("total", "a DoseQuantity", self.total, code="wrong-type")
        for key in ("weight", "height", "bsa"):
            text = getattr(self, key)
            if text is not None:
                try:
                    Participant(**{key: text})
                except (UnitError, ParticipantError) as exc:
                    problems.add(key, _reason(exc), text, code="bad-measurement")
        if self.start is not None:
            try:
                date.fromisoformat(self.start)
            except (TypeError, ValueError):
                problems.add("start", "not a calendar date (YYYY-MM-DD)", self.start,
                             code="bad-date")
        problems.raise_any()


def _reason(exc: UnitError | ParticipantError) -> str:
    """What is wrong, without the field name and value that the problem adds itself."""
    return str(exc) if isinstance(exc, UnitError) else exc.reason


@dataclass(frozen=True)
class Regimen:
    """A protocol's dosing regimen, ready to expand for any participant.

    Built by :func:`regimens.load` or directly in Python; either way every
    cross-reference is checked when it is made (ids unique and known, arm paths,
    courses that fit their periods, steps that cover their administrations,
    visits and expectations that name known arms, drugs and periods).

    Raises:
        InvalidRegimenError: every problem found, each with its field path
            (``periods[0].courses[1].drug``) and ``<Regimen>`` as its file.
    """

    id: str
    title: str
    drugs: tuple[Drug, ...]
    arms: tuple[Arm, ...]
    periods: tuple[Period, ...]
    visits: tuple[Visit, ...] = ()
    expect: tuple[Expectation, ...] = ()
    day_one: str | None = None
    registry: str = ""
    version: str = ""
    sources: tuple[Any, ...] = ()
    notes: str = ""
    format: str = "regimens/1"
    origin: str = field(default="", compare=False)  # file name or catalogue id
    sha256: str = field(default="", compare=False)  # of the source bytes, for provenance

    def __post_init__(self) -> None:
        problems = _Problems("Regimen")
        for key in ("id", "title"):
            value = getattr(self, key)
            if not isinstance(value, str) or not value.strip():
                problems.add(key, "non-empty text", value, code="wrong-type")
        _check_regimen(self, problems)
        problems.raise_any()

    # Lookups -----------------------------------------------------------------

    @cached_property
    def _index(self) -> tuple[dict[str, Drug], dict[str, Arm], dict[str, Period]]:
        # Computed once per regimen (the engine looks up a drug per course); kept in
        # the instance __dict__, so not a field: not compared, hashed or printed.
        return ({d.id: d for d in self.drugs}, {a.id: a for a in self.arms},
                {p.id: p for p in self.periods})

    def drug(self, drug_id: str) -> Drug:
        """The drug with this id.

        Raises:
            RegimenLookupError: no drug has this id (a ``LookupError``).
        """
        found = self._index[0].get(drug_id)
        if found is None:
            raise RegimenLookupError("drug", drug_id, tuple(self._index[0]))
        return found

    def arm(self, arm_id: str) -> Arm:
        """The arm with this id.

        Raises:
            RegimenLookupError: no arm has this id (a ``LookupError``).
        """
        found = self._index[1].get(arm_id)
        if found is None:
            raise RegimenLookupError("arm", arm_id, tuple(self._index[1]))
        return found

    def period(self, period_id: str) -> Period:
        """The period with this id.

        Raises:
            RegimenLookupError: no period has this id (a ``LookupError``).
        """
        found = self._index[2].get(period_id)
        if found is None:
            raise RegimenLookupError("period", period_id, tuple(self._index[2]))
        return found

    def path(self, arm_id: str) -> tuple[Period, ...]:
        """The periods an arm goes through, in order."""
        arm = self.arm(arm_id)
        if arm.periods is None:
            return self.periods
        return tuple(self.period(p) for p in arm.periods)

    def date_dependent(self, arm_id: str) -> bool:
        """True when an arm's days depend on the calendar (a weekday pattern on its path).

        Its counts then vary with the weekday of Study Day 1: ``check`` evaluates
        every start weekday, and the batch API groups participants by it.
        """
        return any(c.date_dependent for p in self.path(arm_id) for c in p.courses
                   if c.arms is None or arm_id in c.arms)

    def day_one_period(self, arm_id: str) -> str:
        """The id of the period whose first day is Study Day 1 on this arm.

        The arm's ``day_one``, else the regimen's, else the arm's first period; the
        periods before it fall on negative Study Days (a run-in: Day -14 to Day -1).
        """
        arm = self.arm(arm_id)
        return arm.day_one or self.day_one or self.path(arm_id)[0].id

    # The flow ------------------------------------------------------------------

    def expand(
        self,
        arm: str,
        start: date | str,
        participant: Participant | None = None,
        *,
        lengths: dict[str, str] | None = None,
        tz: str | None = None,
        bsa_formula: BSAFormula | str | None = None,
        bsa_decimals: int | None = 2,
    ) -> Schedule:
        """Expand for one participant on ``arm``, with Study Day 1 on ``start``.

        Args:
            arm: an arm id of this regimen.
            start: the date of Study Day 1, a :class:`~datetime.date` or
                ``"YYYY-MM-DD"`` (a datetime is refused). The day before is Day -1.
            participant: body measurements, needed only by per-kg and per-m2 doses.
            lengths: period id -> chosen length (``{"maintenance": "14 weeks"}``) for
                periods on the arm's path with a range; it must lie within the range.
                A range not chosen takes its shortest length.
            tz: an IANA time zone name (``"Europe/Paris"``) placing the regimen's times
                of day; fixed offsets and the machine's zone are refused. Without it,
                times stay local wall times.
            bsa_formula: a :class:`BSAFormula` or its name; Mosteller by default.
            bsa_decimals: decimals of the computed BSA, a whole number from 1 to 6,
                rounded half up before it scales a dose.

        Returns:
            A :class:`Schedule`: exact amounts (:class:`~decimal.Decimal`) with their
            derivations, doses in safe notation (ISMP List of Error-Prone
            Abbreviations), visits with their windows.

        Raises:
            ExpandOptionError: an unknown arm, a malformed start, time zone, formula,
                ``bsa_decimals`` or length, or a date outside the years 1 to 9999.
            MissingMeasurementError: a per-kg or per-m2 dose without the weight (and
                height, or BSA) it needs.
            DoseError: a dose that rounds to nothing.
            InvalidRegimenError: a course whose days or steps do not fit the chosen
                period lengths.

        Risky but legal situations (a rounding that moves a dose by more than
        10%, a time of day in a daylight-saving gap) are issued as
        :class:`RegimenWarning` and kept in ``schedule.warnings``.
        """
        from ..engine import expand, resolve

        timeline = resolve(self, arm=arm, start=start, participant=participant,
                           lengths=lengths, tz=tz, bsa_formula=bsa_formula,
                           bsa_decimals=bsa_decimals)
        schedule = expand(self, timeline)
        for warning in schedule.warnings:
            warnings.warn(warning, stacklevel=2)
        return schedule

    def check(self) -> CheckReport:
        """Regimen arithmetic per arm and drug, and every ``expect`` (``regimens check``).

        Needs no participant: per-kg and per-m2 totals stay per kg and per m2.
        Where period lengths vary, or a weekday pattern makes the counts depend on
        the start, every case is evaluated and the report gives the least and the
        most (see :class:`CheckReport`).
        """
        from ..engine import check

        return check(self)


# Cross-references of a regimen ---------------------------------------------------------


def _duplicates(ids: list[str]) -> list[str]:
    return [i for i, n in Counter(ids).items() if n > 1]


def _check_regimen(r: Regimen, problems: _Problems) -> None:
    """Every rule that relates the parts of a regimen, reported with its location.

    The format layer checks the same rules with file lines before it builds a
    regimen, so a loaded file never reaches a problem here.
    """
    parts: tuple[tuple[str, str, type, tuple[Any, ...]], ...] = (
        ("drugs", "drug", Drug, r.drugs), ("arms", "arm", Arm, r.arms),
        ("periods", "period", Period, r.periods), ("visits", "visit", Visit, r.visits),
        ("expect", "expectation", Expectation, r.expect))
    for key, kind, cls, items in parts:
        if not isinstance(items, tuple) or not all(isinstance(x, cls) for x in items):
            problems.add(key, f"a tuple of {cls.__name__}", items, code="wrong-type")
            problems.raise_any()
        if kind not in ("visit", "expectation") and not items:
            problems.add(key, f"a regimen has at least one {kind}", code="too-few-items")
        if kind != "expectation":
            for dup in _duplicates([x.id for x in items]):
                problems.add(key, f"duplicate {kind} id", dup, code="duplicate-id")
    drugs, arms, periods = r._index
    drug_list, period_list = ", ".join(drugs), ", ".join(periods)
    no_drug = f"no drug has this id (drugs: {drug_list})"
    no_period = f"no period has this id (periods: {period_list})"
    no_arm = f"no arm has this id (arms: {', '.join(arms)})"
    order = list(periods)
    for arm in r.arms:
        at: Loc = ("arms", arm.id)
        if arm.periods is not None:
            unknown = [p for p in arm.periods if p not in periods]
            for p in unknown:
                problems.add((*at, "periods", arm.periods.index(p)), no_period, p,
                             code="unknown-period")
            if not unknown and [order.index(p) for p in arm.periods] != sorted(
                    order.index(p) for p in arm.periods):
                problems.add((*at, "periods"), f"the path must follow the order of periods "
                             f"({period_list})", ", ".join(arm.periods),
                             code="path-out-of-order")
        if arm.day_one is not None:
            if arm.day_one not in periods:
                problems.add((*at, "day_one"), no_period, arm.day_one, code="unknown-period")
            elif arm.periods is not None and arm.day_one not in arm.periods:
                problems.add((*at, "day_one"), "this period is not on the arm's path "
                             f"({', '.join(arm.periods)})", arm.day_one,
                             code="day-one-off-path")
    if r.day_one is not None:
        if r.day_one not in periods:
            problems.add("day_one", no_period, r.day_one, code="unknown-period")
        else:
            for arm in r.arms:
                if arm.day_one is None and arm.periods is not None and (
                        r.day_one not in arm.periods):
                    problems.add(("arms", arm.id), f"day_one period {r.day_one!r} is not on "
                                 f"this arm's path ({', '.join(arm.periods)}); give the arm "
                                 "its own day_one", arm.id, code="day-one-off-path")
    for index, period in enumerate(r.periods):
        _check_courses(period, ("periods", index), drugs, arms, no_drug, no_arm, problems)
    if problems.found:
        return  # visits and expectations would only repeat the same mistakes
    _check_visits(r, periods, arms, no_period, no_arm, problems)
    _check_expectations(r, drugs, arms, no_drug, no_arm, problems)


def _check_courses(period: Period, at: Loc, drugs: dict[str, Drug], arms: dict[str, Arm],
                   no_drug: str, no_arm: str, problems: _Problems) -> None:
    shortest, fixed = period.length.shortest.days, period.length.fixed
    for index, course in enumerate(period.courses):
        where: Loc = (*at, "courses", index)
        before = len(problems.found)
        if course.drug not in drugs:
            problems.add((*where, "drug"), no_drug, course.drug, code="unknown-drug")
        for key, ids in (("not_on", course.not_on), ("no_same_day", course.no_same_day)):
            for i, other in enumerate(ids):
                if other not in drugs:
                    problems.add((*where, key, i), "must name another drug of this regimen",
                                 other, code="not-another-drug")
        for i, arm_id in enumerate(course.arms or ()):
            arm = arms.get(arm_id)
            if arm is None:
                problems.add((*where, "arms", i), no_arm, arm_id, code="unknown-arm")
            elif arm.periods is not None and period.id not in arm.periods:
                problems.add((*where, "arms", i), "this arm does not go through period "
                             f"{period.id!r}", arm_id, code="arm-not-in-period")
        if course.start > shortest:
            problems.add((*where, "start"), f"the course starts after the end of its period "
                         f"({counted(shortest, 'day')}"
                         + (")" if fixed else " at the shortest length)"),
                         course.start, code="start-after-period")
            continue
        available = shortest - course.start + 1
        if course.span is not None and course.span.days > available:
            problems.add((*where, "span"), "the course would run past the end of its period "
                         f"(from day {course.start}, {counted(available, 'day')} "
                         f"{'remains' if available == 1 else 'remain'} of {shortest})",
                         str(course.span), code="course-past-period")
            continue
        span = course.span.days if course.span is not None else available
        if course.cycle is not None and course.cycles is not None and (
                course.cycles * course.cycle.days > span):
            problems.add((*where, "cycles"), f"{counted(course.cycles, 'cycle')} of "
                         f"{counted(course.cycle.days, 'day')} "
                         f"{'needs' if course.cycles == 1 else 'need'} "
                         f"{counted(course.cycles * course.cycle.days, 'day')}, but the course "
                         f"has {span}", course.cycles, code="cycles-past-course")
        if course.cycle is None and course.span is None:
            for loc, message, value, code in course.misfits(
                    span, f"the course ({counted(span, 'day')})"):
                problems.add((*where, *loc), message, value, code=code)
        if len(problems.found) > before:
            continue
        if any(isinstance(s, AdministrationStep) for s in course.steps) and (
                not course.date_dependent):
            # Steps by administrations must cover them exactly, at both ends of a
            # variable period (a weekday pattern is checked when it is laid out).
            for length in sorted({shortest, period.length.longest.days}):
                try:
                    course.slots(0, length, 0)
                except InvalidRegimenError as exc:
                    message = exc.problems[0].message
                    if not fixed:
                        message += f" (with a {length}-day {period.id} period)"
                    problems.add((*where, "steps"), message, code="steps-mismatch")
                    break
    _check_period_rules(period, at, problems)


def _check_period_rules(period: Period, at: Loc, problems: _Problems) -> None:
    """Rules across the courses of one period (as :mod:`regimens.format` checks them)."""
    excluding = {c.drug for c in period.courses if c.not_on}
    for index, course in enumerate(period.courses):
        where: Loc = (*at, "courses", index)
        chained = [d for d in course.not_on if d in excluding]
        if chained:
            problems.add((*where, "not_on"), f"{chained[0]!r} has courses with not_on of "
                         "their own; exclusions do not chain: give one of the two drugs not_on",
                         code="chained-exclusion")
        if course.not_on and any(isinstance(s, AdministrationStep) for s in course.steps):
            problems.add((*where, "not_on"), "steps by administrations cannot be combined with "
                         "not_on: a skipped day would shift the steps; use steps by days or "
                         "cycles", code="administration-steps-with-not-on")
        if period.blinded and any(c.drug == course.drug and set(c.no_same_day) != set(
                course.no_same_day) for c in period.courses):
            problems.add((*where, "no_same_day"), "in a blinded period every course of a drug "
                         "has the same no_same_day list, so that every arm's calendar reads "
                         "the same", code="blinded-same-day-differs")
        if period.blinded and course.placebo and not any(
                c.drug == course.drug and not c.placebo for c in period.courses):
            problems.add((*where, "drug"), "in a blinded period a placebo course uses the id "
                         "of the drug it matches (with placebo: true), so that every arm's "
                         "calendar reads the same; no active course gives this drug here",
                         course.drug, code="blinded-placebo-drug")


def _check_visits(r: Regimen, periods: dict[str, Period], arms: dict[str, Arm],
                  no_period: str, no_arm: str, problems: _Problems) -> None:
    for index, visit in enumerate(r.visits):
        where: Loc = ("visits", index)
        anchor = visit.anchor
        period_id = anchor.period if isinstance(anchor, PeriodAnchor) else None
        if isinstance(anchor, PeriodAnchor):
            period = periods.get(anchor.period)
            if period is None:
                problems.add((*where, "anchor", "period"), no_period, anchor.period,
                             code="unknown-period")
            elif anchor.day is not None and anchor.day > period.length.shortest.days:
                problems.add((*where, "anchor", "day"), f"day {anchor.day} is outside period "
                             f"{anchor.period!r} (1 to {period.length.shortest.days})",
                             anchor.day, code="day-outside-period")
        for i, arm_id in enumerate(visit.arms or ()):
            arm = arms.get(arm_id)
            if arm is None:
                problems.add((*where, "arms", i), no_arm, arm_id, code="unknown-arm")
            elif period_id is not None and arm.periods is not None and (
                    period_id not in arm.periods):
                problems.add((*where, "arms", i), f"this arm does not go through period "
                             f"{period_id!r}", arm_id, code="arm-not-in-period")


def _check_expectations(r: Regimen, drugs: dict[str, Drug], arms: dict[str, Arm],
                        no_drug: str, no_arm: str, problems: _Problems) -> None:
    for index, e in enumerate(r.expect):
        where: Loc = ("expect", index)
        arm = arms.get(e.arm)
        if arm is None:
            problems.add((*where, "arm"), no_arm, e.arm, code="unknown-arm")
            continue
        if e.drug not in drugs:
            problems.add((*where, "drug"), no_drug, e.drug, code="unknown-drug")
            continue
        path = r.path(arm.id)
        if not any(c.drug == e.drug for p in path for c in p.courses
                   if c.arms is None or arm.id in c.arms):
            problems.add((*where, "drug"), f"arm {arm.id!r} never receives this drug", e.drug,
                         code="drug-not-in-arm")
        on_path = {p.id: p for p in path}
        for period_id, text in e.lengths:
            at: Loc = (*where, "lengths", period_id)
            if period_id not in on_path:
                if period_id in r._index[2]:
                    problems.add(at, f"arm {arm.id!r} does not go through this period",
                                 period_id, code="arm-not-in-period")
                else:
                    problems.add(at, "no period has this id", period_id,
                                 code="unknown-period")
                continue
            try:
                length = Duration.parse(text)
            except UnitError as exc:
                problems.add(at, _reason(exc), text, code="bad-quantity")
                continue
            allowed = on_path[period_id].length
            if length not in allowed:
                problems.add(at, f"must be within {allowed} ({allowed.shortest.days}-"
                             f"{allowed.longest.days} days)" if not allowed.fixed else
                             f"this period has a fixed length of {allowed}", text,
                             code="length-out-of-range")
