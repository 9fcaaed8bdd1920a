"""The regimen model: frozen, validated value objects.

Objects here are built by :mod:`regimens.format` from a document (which
checks every cross-reference and reports file lines), or directly in Python.
The engine (:mod:`regimens.engine`) only ever sees valid objects.
"""

from __future__ import annotations

import enum
import warnings
from dataclasses import dataclass, field
from datetime import time
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import InvalidRegimenError, Loc, Problem
from ..quantities import Amount, Basis, DoseQuantity, Duration, LengthRange

if TYPE_CHECKING:
    from datetime import date

    from ..engine import CheckReport, Schedule
    from ..quantities import BSAFormula
    from ._participant import Participant

__all__ = [
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


class Rounding(enum.Enum):
    """How a computed dose is rounded to a multiple of ``round``."""

    NEAREST = "nearest"  # halves go up (ROUND_HALF_UP), the pharmacy convention
    UP = "up"
    DOWN = "down"


@dataclass(frozen=True)
class Dose:
    """A dose as the protocol states it, with optional cap and rounding.

    ``quantity.basis`` says whether it is flat, per kg or per m2; the three are
    computed differently and explained differently (see :mod:`regimens._dose`).
    """

    quantity: DoseQuantity
    max: Amount | None = None
    round: Amount | None = None
    rounding: Rounding = Rounding.NEAREST

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


@dataclass(frozen=True)
class Arm:
    """A treatment arm: its path through the periods (None: every period, in order) and,
    optionally, which period's first day is Study Day 1 on this arm."""

    id: str
    label: str
    periods: tuple[str, ...] | None = None  # path through the periods; None = all
    day_one: str | None = None  # overrides the regimen's day_one for this arm
    notes: str = ""


# Course timing patterns: exactly one per course (day steps are their own pattern).


@dataclass(frozen=True)
class DaysPattern:
    """Given days of the cycle (or course span), 1-based: ``days: [1, 8, 15]``, ``days: 1-5``."""

    days: tuple[int, ...]

    #: The days depend on the calendar (a weekday pattern), not only on the window length.
    date_dependent: ClassVar[bool] = False

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

    def days_in(self, length: int, weekday0: int) -> list[int]:
        """Day 1, 1 + N, 1 + 2N, ... within the window, at most ``count`` of them."""
        count = self.count if self.count is not None else length
        return list(range(1, length + 1, self.every.days))[:count]


@dataclass(frozen=True)
class WeekdaysPattern:
    """Calendar weekdays (0 = Monday) within the cycle/span."""

    weekdays: tuple[int, ...]

    date_dependent: ClassVar[bool] = True

    def days_in(self, length: int, weekday0: int) -> list[int]:
        """The window's days whose weekday is one of ``weekdays``."""
        return [d for d in range(1, length + 1) if (weekday0 + d - 1) % 7 in self.weekdays]


@dataclass(frozen=True)
class DailyPattern:
    """Every day of the cycle/span."""

    date_dependent: ClassVar[bool] = False

    def days_in(self, length: int, weekday0: int) -> list[int]:
        """Every day of the window."""
        return list(range(1, length + 1))


Pattern = DaysPattern | EveryPattern | WeekdaysPattern | DailyPattern


@dataclass(frozen=True)
class CycleStep:
    """Escalation or taper by cycles: this dose for the next ``cycles`` cycles."""

    dose: Dose
    cycles: int


@dataclass(frozen=True)
class AdministrationStep:
    """This dose for the next ``administrations`` administrations (None: all the rest)."""

    dose: Dose
    administrations: int | None


@dataclass(frozen=True)
class DayStep:
    """A taper step: this dose daily on these days of the cycle/span."""

    dose: Dose
    days: tuple[int, ...]


Step = CycleStep | AdministrationStep | DayStep


@dataclass(frozen=True)
class Course:
    """One drug given on a pattern within a period."""

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

    def slots(self, first: int, period_length: int, weekday0: int) -> tuple[list[Slot], int, int]:
        """Every administration slot of the course, and its first and last offset.

        ``first``: offset from Study Day 1 of the period's first day;
        ``period_length``: the period's length in days; ``weekday0``: the
        weekday (0 = Monday) of offset 0. Slots are ``(offset, cycle, cycle day,
        time, step index)``, in order.

        Raises:
            InvalidRegimenError: administration-counted steps that do not cover
                exactly the course's administrations.
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
            cycle_day_of = cycle is not None
            for day in days:
                if day_steps:
                    step = next(i for i, s in enumerate(day_steps) if day in s.days)
                offset = window_first + day - 1
                for t in times:
                    slots.append((offset, cycle, day if cycle_day_of else None, t, step))
        admin_steps = [s for s in self.steps if isinstance(s, AdministrationStep)]
        if admin_steps:
            covered = sum(s.administrations or 0 for s in admin_steps)
            if covered != len(slots):
                raise self.problem(f"the steps cover {covered} administrations but the course "
                                   f"gives {len(slots)}", code="steps-mismatch")
            index, left = 0, admin_steps[0].administrations or 0
            for n, (offset, cycle, cycle_day, t, _) in enumerate(slots):
                while left == 0:
                    index += 1
                    left = admin_steps[index].administrations or 0
                slots[n] = (offset, cycle, cycle_day, t, index)
                left -= 1
        return slots, span_first, span_last

    def problem(self, message: str, *, code: str) -> InvalidRegimenError:
        """An error about this course, located at its place in the source file.

        ``code`` names the rule broken (see :class:`~regimens.Problem`).
        """
        file, line, loc = self.where
        return InvalidRegimenError([Problem(file, line, loc, message, code=code)])


@dataclass(frozen=True)
class Period:
    id: str
    length: LengthRange
    courses: tuple[Course, ...] = ()
    blinded: bool = False
    label: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Window:
    before: Duration
    after: Duration


@dataclass(frozen=True)
class StudyDayAnchor:
    day: int  # a Study Day (never 0); ``week: N`` is stored as day 7N+1


@dataclass(frozen=True)
class PeriodAnchor:
    period: str
    at: str | None = None  # "start" | "end"
    day: int | None = None  # day N of the period


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


@dataclass(frozen=True)
class Expectation:
    """Arithmetic the protocol states, verified by ``regimens check``."""

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


@dataclass(frozen=True)
class Regimen:
    """A protocol's dosing regimen, ready to expand for any participant."""

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

    # Lookups -----------------------------------------------------------------

    def drug(self, drug_id: str) -> Drug:
        return {d.id: d for d in self.drugs}[drug_id]

    def arm(self, arm_id: str) -> Arm:
        return {a.id: a for a in self.arms}[arm_id]

    def period(self, period_id: str) -> Period:
        return {p.id: p for p in self.periods}[period_id]

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
