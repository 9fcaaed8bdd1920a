"""Courses: one drug given on a pattern within a period.

Each timing pattern knows its own days (``days_in``) and whether they depend on
the calendar (``date_dependent``); a :class:`Course` lays out its administration
slots from them (:meth:`Course.slots`, inherited from ``_course_layout``). Its doses
(``_dose``), dose steps (``_steps``), bands and standard doses (``_bands``) and cycle
arithmetic (``_cycles``) live in their own modules; every record checks its own
invariants in ``__post_init__``.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date, time, timedelta
from itertools import pairwise, product

from .._records import dataclass
from ..errors import InvalidRegimenError
from ..quantities import Duration, Elapsed, Months, counted, human_dose_quantity, human_route
from ._course_layout import _CourseLayout
from ._cycles import (
    cycle_day_overlap,
    cycle_text,
    cycle_where,
    cycles_days,
    months_combination,
    open_step_problem,
)
from ._dose import Dose, DoseLevel
from ._invariants import Location, Misfit, Problems
from ._patterns import (
    DailyPattern,
    DaysPattern,
    EveryPattern,
    HoursPattern,
    MonthsPattern,
    Pattern,
    WeekdaysPattern,
)
from ._policy import NO_POLICY, Policy
from ._steps import AdministrationStep, CycleStep, DayStep, Step
from ._visits import Window

__all__ = [
    "INFUSION_ROUTES",
    "METHODS",
    "MIN_INTERVAL_NEEDS_WINDOW",
    "MONTHS_REFERENCE",
    "MONTHS_STARTS",
    "WINDOW_NEEDS_CLINIC",
    "Course",
]


def _open(step: Step) -> bool:
    """True for an open-ended step (no count: until the course ends)."""
    return (isinstance(step, CycleStep) and step.cycles is None) or (
        isinstance(step, AdministrationStep) and step.administrations is None)


#: Why ``min_interval`` is refused on a course without a window.
MIN_INTERVAL_NEEDS_WINDOW = ("min_interval limits how far an administration moves within its "
                             "window; give the course a window ('window: 1 day')")

#: Why ``window`` or ``min_interval`` is refused on a course taken at home.
WINDOW_NEEDS_CLINIC = ("only work at the site moves off its closed days: mark the course or "
                       "its drug 'clinic: true' (home-taken doses are never moved)")


#: The first of the starts over which counts in calendar months are evaluated (by
#: ``check`` and the file's own rules): every day of the four-year leap cycle from here,
#: :data:`MONTHS_STARTS` days, which holds every weekday too (docs/format.md, "Calendar
#: months", says which starts this leaves out: a span through 2100, not a leap year).
MONTHS_REFERENCE = date(2001, 1, 1)
MONTHS_STARTS = 1461


#: How a parenteral dose goes in (``method``): a bolus or a push is an injection given at
#: once, an infusion runs over a time (``duration``).
METHODS = ("bolus", "infusion", "push")

#: Routes by which a dose can run over a time: ``duration`` without ``method`` is an
#: infusion by one of them (``by continuous intravenous infusion over 46 hours``).
INFUSION_ROUTES = frozenset({"intravenous", "subcutaneous", "intrathecal", "intra-arterial",
                             "epidural", "intraperitoneal", "intravesical"})

#: Routes a dose is given by at once: an oral dose has no method and no duration.
AT_ONCE_ROUTES = frozenset({"oral", "intramuscular", "sublingual", "buccal", "inhaled"})


@dataclass(frozen=True)
class Course(_CourseLayout):
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
    ``first_cycle`` is the protocol's number of the first cycle (from 1; a second
    part of a regimen numbered on from the first: 2), used in every output; steps
    by cycles still count the course's own cycles. The last step may be open-ended
    (``cycles`` or ``administrations`` None): it lasts until the course ends.
    ``id`` names the course for visits anchored to its cycles; ``duration`` is how
    long each administration lasts (elapsed time: an infusion over 46 hours),
    ``method`` how it goes in (one of :data:`METHODS`); ``label`` is shown with its
    administrations (docs/format.md, "Duration and method", "Labels and notes").
    ``policy``: the course's own record policy (:class:`Policy`; keys it leaves None come
    from the regimen's, see :meth:`Regimen.policy_for`).
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
    cycle: Duration | Months | None = None  # Months: calendar months from the span's start
    cycles: int | None = None  # None = until the span ends (steps by cycles: their sum)
    times: tuple[time, ...] = ()
    first_cycle: int = 1  # the protocol's number of the course's first cycle
    route: str | None = None  # overrides the drug's route
    label: str = ""
    not_on: tuple[str, ...] = ()  # drugs whose administration days this course skips
    no_same_day: tuple[str, ...] = ()  # drugs that must not be given on this course's days
    id: str | None = None  # for visits anchored to this course's cycles
    duration: Elapsed | None = None  # how long each administration lasts (elapsed time)
    method: str | None = None  # one of METHODS
    notes: str = ""
    #: Given at the site (an infusion, an injection): moved off the site's closed days
    #: within ``window``; otherwise taken at home and never moved.
    clinic: bool = False
    window: Window | None = None  # how far an administration may move (site calendar)
    min_interval: Duration | None = None  # least time from the previous dose when moved
    where: Location = field(default=("", None, ()), compare=False)  # for messages
    #: Dose levels other than 0, in the order written (the course's own, or its drug's).
    levels: tuple[DoseLevel, ...] = ()
    #: What to do with delays, missed doses, reductions and new measurements when a record
    #: is replayed (docs/record.md); keys not written here come from the regimen's policy.
    policy: Policy = NO_POLICY

    def __post_init__(self) -> None:
        # Rules within the course; those that need its period or the regimen's ids
        # (the drug exists, the course fits its period) are checked by Regimen.
        problems = Problems("Course")
        self._check(problems)
        problems.raise_any()

    def _check(self, problems: Problems) -> None:
        steps = self.steps
        if not isinstance(self.drug, str) or not self.drug:
            problems.add("drug", "a drug id (text)", self.drug, code="wrong-type")
        if not isinstance(steps, tuple) or not all(
                isinstance(s, CycleStep | AdministrationStep | DayStep) for s in steps):
            problems.add("steps", "a tuple of CycleStep, AdministrationStep or DayStep", steps,
                         code="wrong-type")
            return
        kinds = {type(s) for s in steps}
        open_steps = [i for i, s in enumerate(steps) if _open(s)]
        if open_steps and open_steps[0] != len(steps) - 1:
            problems.add(("steps", open_steps[0]), "only the last step may leave out its count "
                         "(it then lasts until the course ends)", code="open-step-not-last")
        elif open_steps and len(steps) == 1:
            problems.add(("steps", 0), "a course with one open-ended step has one dose: give "
                         "dose instead of steps", code="open-step-alone")
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
                         "EveryPattern, WeekdaysPattern, DailyPattern or HoursPattern) or steps "
                         "by days",
                         code="missing-pattern")
        elif pattern is not None and day_steps:
            problems.add("pattern", "day steps are the course's pattern: give pattern=None",
                         pattern, code="pattern-with-day-steps")
        elif pattern is not None and not isinstance(
                pattern, DaysPattern | EveryPattern | WeekdaysPattern | DailyPattern
                | HoursPattern | MonthsPattern):
            problems.add("pattern", "a DaysPattern, EveryPattern, WeekdaysPattern, "
                         "DailyPattern, HoursPattern or MonthsPattern", pattern,
                         code="wrong-type")
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
        if self.id is not None and (not isinstance(self.id, str) or not self.id):
            problems.add("id", "a course id (text) or None", self.id, code="wrong-type")
        if self.duration is not None and not isinstance(self.duration, Elapsed):
            problems.add("duration", "an Elapsed time (Elapsed.parse('46 hours'))",
                         self.duration, code="wrong-type")
        if not isinstance(self.policy, Policy):
            problems.add("policy", "a Policy", self.policy, code="wrong-type")
        if self.method is not None and self.method not in METHODS:
            problems.add("method", f"must be one of: {', '.join(METHODS)}", self.method,
                         code="not-one-of")
        elif self.method in ("bolus", "push") and self.duration is not None:
            problems.add("duration", f"a {self.method} is given at once; 'duration' goes with "
                         "'method: infusion' (or no method)", str(self.duration),
                         code="method-and-duration")
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
            if isinstance(length, Months) and key == "cycle":
                continue  # whole months from 1 (checked by Months)
            if length is not None and (not isinstance(length, Duration) or length.days < 1):
                problems.add(key, "a Duration of at least 1 day", length, code="too-small")
                return
        combination = months_combination(pattern, self.cycle)
        if combination is not None:
            problems.add(("pattern", combination[0]), combination[1],
                         code="calendar-months-combination")
            return
        cycles = self.cycles
        if cycles is not None:
            if isinstance(cycles, bool) or not isinstance(cycles, int) or cycles < 1:
                problems.add("cycles", "a whole number of cycles, from 1", cycles, code="too-small")
                return
            if self.cycle is None:
                problems.add("cycles", "cycles needs a cycle length (cycle=Duration(28))",
                             cycles, code="cycles-without-cycle")
        first_cycle = self.first_cycle
        if isinstance(first_cycle, bool) or not isinstance(first_cycle, int) or first_cycle < 1:
            problems.add("first_cycle", "the protocol's number of the first cycle, from 1",
                         first_cycle, code="too-small")
        elif first_cycle != 1 and self.cycle is None:
            problems.add("first_cycle", "first_cycle numbers the course's cycles: give cycle "
                         "too (cycle=Duration(28))", first_cycle,
                         code="first-cycle-without-cycle")
        if CycleStep in kinds:
            covered = sum(s.cycles or 0 for s in steps if isinstance(s, CycleStep))
            if self.cycle is None:
                problems.add("steps", "steps by cycles need a cycle length (cycle=Duration(28))",
                             code="cycles-without-cycle")
            elif open_steps:
                if cycles is not None and cycles <= covered:
                    problems.add("cycles", f"the steps before the open-ended last step cover "
                                 f"{counted(covered, 'cycle')}, so the course's {cycles} leave "
                                 "it none", cycles, code="steps-mismatch")
            elif cycles != covered:
                # Cycles beyond the steps would have no dose: never leave it to chance.
                problems.add("cycles", f"the steps cover {counted(covered, 'cycle')} but the "
                             f"course has {cycles}" if cycles is not None else
                             f"the steps cover {counted(covered, 'cycle')}: give cycles={covered}",
                             code="steps-mismatch")
        if self.cycle is not None and cycles is not None and self.span is not None and (
                cycles_days(self.cycle, cycles) > self.span.days):
            problems.add("cycles", f"{counted(cycles, 'cycle')} of "
                         f"{cycle_text(self.cycle)} {'needs' if cycles == 1 else 'need'} "
                         f"{'up to ' if isinstance(self.cycle, Months) else ''}"
                         f"{counted(cycles_days(self.cycle, cycles), 'day')}, but the course "
                         f"has {self.span.days}", cycles, code="cycles-past-course")
        if self.cycle is not None:
            window, where = self.cycle.days, cycle_where(self.cycle)
        elif self.span is not None:
            window, where = self.span.days, f"the course ({counted(self.span.days, 'day')})"
        else:
            window, where = 0, ""  # the period's length: checked by Regimen
        if window and (pattern is not None or day_steps):
            for loc, message, value, code in self.misfits(window, where):
                problems.add(loc, message, value, code=code)
        if isinstance(self.cycle, Duration) and isinstance(pattern, DaysPattern):
            overlap = cycle_day_overlap(pattern.days, self.cycle.days)
            if overlap is not None:
                problems.add(("pattern", "days"), overlap, code="cycle-day-overlap")
        if open_steps and CycleStep in kinds and self.cycle is not None and (
                self.span is not None and cycles is None):
            covered = sum(s.cycles or 0 for s in steps if isinstance(s, CycleStep))
            unreached = open_step_problem(covered, self.cycle, self.span.days)
            if unreached is not None:
                problems.add("steps", unreached, code="open-step-unreached")
        if isinstance(pattern, HoursPattern) and self.times:
            problems.add("times", "an interval in hours gives its own times from 'at'; "
                         "remove 'times'", code="times-with-hours")
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
        self._check_site(problems)
        self._check_levels(problems)
        self._check_divided(problems)

    def _check_divided(self, problems: Problems) -> None:
        """A divided daily dose is given in one part at each time of day: as many parts as
        times (otherwise the day would get more or less than its daily dose)."""
        doses = [("dose", self.dose)] if self.dose is not None else [
            (("steps", i, "dose"), s.dose) for i, s in enumerate(self.steps)]
        for loc, dose in doses:
            if isinstance(dose, Dose) and dose.divided is not None and (
                    dose.divided != len(self.times)):
                problems.add(loc, f"a daily dose divided in {dose.divided} is given at as many "
                             f"times of day; the course lists {len(self.times)}",
                             dose.divided, code="divided-not-times")
                return

    def _check_site(self, problems: Problems) -> None:
        """``clinic``, ``window`` and ``min_interval`` (the site calendar's rules)."""
        if not isinstance(self.clinic, bool):
            problems.add("clinic", "true or false", self.clinic, code="wrong-type")
        if self.window is not None and not isinstance(self.window, Window):
            problems.add("window", "a Window", self.window, code="wrong-type")
        interval = self.min_interval
        if interval is not None and (not isinstance(interval, Duration) or interval.days < 1):
            problems.add("min_interval", "a Duration of at least 1 day", interval,
                         code="too-small")
        elif interval is not None and self.window is None:
            # Without a window nothing moves, so the interval would never be used.
            problems.add("min_interval", MIN_INTERVAL_NEEDS_WINDOW, str(interval),
                         code="min-interval-without-window")

    def _check_levels(self, problems: Problems) -> None:
        levels = self.levels
        if not isinstance(levels, tuple) or not all(isinstance(x, DoseLevel) for x in levels):
            problems.add("levels", "a tuple of DoseLevel", levels, code="wrong-type")
            return
        if not levels:
            return
        if len({x.level for x in levels}) != len(levels):
            problems.add("levels", "a dose level is given twice", code="duplicate-level")
        doses = [self.dose] if self.dose is not None else [s.dose for s in self.steps]
        if not doses:
            problems.add("levels", "dose levels need a dose: a placebo or unspecified dose "
                         "has none to change", code="levels-without-dose")
            return
        for x in levels:
            q = x.quantity
            if q is None:
                continue
            if self.steps:
                problems.add("levels", f"dose level {x.level}: a course with steps takes "
                             "dose levels as percentages only (an absolute dose would replace "
                             "every step alike)", str(x), code="absolute-level-with-steps")
            elif doses[0] is not None and doses[0].bands:
                problems.add("levels", f"dose level {x.level}: a banded dose takes dose "
                             "levels as percentages only (an absolute dose would replace "
                             "every band alike)", str(x), code="absolute-level-with-bands")
            elif doses[0] is not None and (q.basis, q.amount.unit.dimension) != (
                    doses[0].basis, doses[0].quantity.amount.unit.dimension):
                problems.add("levels", f"dose level {x.level} must be in the basis and "
                             f"dimension of the dose ({human_dose_quantity(doses[0].quantity)})",
                             str(x), code="level-basis-mismatch")

    def level(self, number: int) -> DoseLevel | None:
        """The dose level ``number`` of this course; None for level 0 (the written dose).

        Raises:
            KeyError: the course declares no such level.
        """
        if number == 0:
            return None
        for x in self.levels:
            if x.level == number:
                return x
        raise KeyError(number)

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

    def overlap_problem(self, lengths: tuple[int, ...]) -> str | None:
        """Why one administration would still be running when the next one starts, or None.

        ``duration`` (elapsed time) is compared with the shortest gap between two
        consecutive administrations of this course, laid out in a period of each of
        ``lengths`` days (both ends of a ranged period) and, for a weekday pattern, from
        each start weekday; for a course in calendar months, from each start of a
        four-year leap cycle (:data:`MONTHS_STARTS` days from :data:`MONTHS_REFERENCE`).
        A gap is counted in nominal time: whole days of 24 hours plus the difference of
        the written times (an administration without a time is taken at the same time
        each day); a clock change is not counted, as the timing is
        written in days. A duration equal to the gap is a continuous infusion, allowed.
        Layouts the expansion itself refuses (too many administrations, steps that do
        not cover them) are left to it.
        """
        if self.duration is None:
            return None
        starts = range(7) if self.date_dependent else range(1)
        dates: list[date | None] = [None]
        if self.in_months:
            # Every day of a four-year leap cycle (docs/format.md, "Calendar months").
            dates = [MONTHS_REFERENCE + timedelta(days=k) for k in range(MONTHS_STARTS)]
            starts = range(1)
        worst: tuple[int, int] | None = None  # (gap in minutes, day of the first)
        seen: set[tuple[int, tuple[int, ...]]] = set()
        for length, weekday0, day_one in product(lengths, starts, dates):
            if day_one is not None:
                # Starts that place the months alike give the same gaps: lay out one.
                key = (length, self.calendar_key(0, length, day_one))
                if key in seen:
                    continue
                seen.add(key)
            try:
                slots = self.slots(0, length, day_one.weekday() if day_one else weekday0,
                                   day_one=day_one)[0]
            except InvalidRegimenError:
                continue
            moments = sorted(
                offset * 1440 + (0 if t is None else t.hour * 60 + t.minute)
                for offset, _, _, t, _ in slots)
            for first, then in pairwise(moments):
                gap = then - first
                if worst is None or gap < worst[0]:
                    worst = (gap, first // 1440 + 1)
        if worst is None or self.duration.minutes <= worst[0]:
            return None
        day = worst[1] if worst[1] > 0 else worst[1] - 1  # no day 0 before day 1
        return (f"each administration lasts {self.duration} (duration), longer than the "
                f"{Elapsed(worst[0])} from one administration of this course to the next "
                f"(from day {day} of its period): the next would start before the previous "
                "one ends; shorten the duration, or space the administrations")

    def delivery_problem(self, drug_route: str) -> tuple[str, str] | None:
        """Why ``method`` or ``duration`` do not fit the course's route, or None.

        ``drug_route``: the drug's route (the course's own ``route`` wins). Returns
        (field, message): an oral or intramuscular dose is given at once, so it has no
        method and no duration.
        """
        route = human_route(self.route or drug_route)
        if route not in AT_ONCE_ROUTES:
            return None
        if self.method is not None:
            return ("method", f"the route is {route}: 'method' ({', '.join(METHODS)}) "
                    "describes an injection or infusion; remove 'method' or change 'route'")
        if self.duration is not None:
            return ("duration", f"the route is {route}, given at once: 'duration' is for an "
                    "infusion (or a route such as transdermal); remove 'duration' or change "
                    "'route'")
        return None
