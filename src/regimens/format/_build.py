"""Document -> model: every cross-reference and range checked, every problem reported.

Structure (types, fields) is checked first by :mod:`regimens.format._schema`; this
module checks meaning and reports each problem with file, line, field path,
offending value and what is allowed. It collects as many problems as it can
in one pass rather than stopping at the first.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..errors import InvalidRegimenError, Loc, ParticipantError, Problem, UnitError
from ..model import (
    BLINDED_SITE_RULES,
    DRUG_INSTRUCTIONS,
    MIN_INTERVAL_NEEDS_WINDOW,
    MONTHS_NOT_CHOSEN,
    NO_POLICY,
    WINDOW_NEEDS_CLINIC,
    AdministrationStep,
    AfterLastAnchor,
    Arm,
    Course,
    CourseAnchor,
    CycleStep,
    DaysPattern,
    Drug,
    Expectation,
    MonthAnchor,
    MonthsPattern,
    Participant,
    Period,
    PeriodAnchor,
    Regimen,
    RepeatAnchor,
    StudyDayAnchor,
    Visit,
    VisitAnchor,
    cycle_day_overlap,
    cycle_where,
    cycles_past,
    day_one_may_vanish,
    kind_problem,
    months_before_text,
    months_combination,
    open_step_problem,
    site_rules,
    strength_problem,
)
from ..quantities import (
    Amount,
    Duration,
    Elapsed,
    LengthRange,
    Months,
    counted,
    human_route,
    parse_dose_quantity,
    parse_equivalence,
    parse_strength,
)
from ._course_doses import read_course_dose, read_levels
from ._doses import (
    read_max_cumulative,
    read_measure_limit,
    read_vials,
)
from ._fail import Fail, fail, unit_fail
from ._lengths import read_cycle, read_duration, read_length, read_window
from ._policy import read_policy
from ._schema import structure_problems
from ._source import Cursor, Document
from ._timing import read_pattern, read_times

__all__ = ["build"]

def build(doc: Document, *, sha256: str = "") -> Regimen:
    """Build a :class:`Regimen` from a parsed document, or raise InvalidRegimenError."""
    root = doc.root()
    problems = structure_problems(root)
    if problems:
        raise InvalidRegimenError(problems)
    builder = _Builder(doc)
    regimen = builder.regimen(sha256)
    if regimen is None:
        raise InvalidRegimenError(sorted(builder.problems, key=lambda p: p.line or 0))
    return regimen


def _located(doc: Document, error: InvalidRegimenError, base: Cursor) -> list[Problem]:
    """The model's problems, placed in the file: each ``loc``, relative to ``base``,
    gets the line of the nearest part of the document that has one.

    The builder checks every rule the model checks, with lines, before it makes a
    record; this only keeps a rule added to the model later from printing
    ``<Regimen>`` instead of the file and line.
    """
    located = []
    for problem in error.problems:
        loc = (*base.path, *problem.loc)
        probe = loc
        while probe and probe not in doc.lines:
            probe = probe[:-1]
        line = doc.lines.get(probe, base.line)
        located.append(Problem(doc.name, line, loc, problem.message, problem.value,
                               code=problem.code))
    return located


class _BuilderBase:
    """The builder's shared state and helpers. ``_Builder.regimen`` sets the ids it reads
    at the top level before it builds the periods, courses and visits that use them."""

    clinic_drugs: set[str]
    drug_ids: set[str]
    bsa_max: Any
    regimen_policy: Any
    drug_routes: dict[str, str]
    drug_vials: dict[str, tuple[Amount, ...]]
    drugs_by_id: dict[str, Drug]
    periods_raw: Cursor
    course_ids: set[str]
    periods: list[Period]
    period_ids: list[str]
    period_lengths: dict[str, LengthRange]
    period_min: dict[str, int]
    arms: dict[str, Arm]
    excluding: set[str]
    course_drugs: set[tuple[str, str]]

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.root = doc.root()
        self.problems: list[Problem] = []

    def attempt(self, make: Any, *args: Any) -> Any:
        try:
            return make(*args)
        except Fail as fail:
            self.problems.append(fail.problem)
            return None

    def no_drug(self) -> str:
        return f"no drug has this id (drugs: {', '.join(sorted(self.drug_ids))})"

    def no_arm(self) -> str:
        return f"no arm has this id (arms: {', '.join(self.arms)})"

    def where(self, cur: Cursor) -> tuple[str, int | None, Loc]:
        return (self.doc.name, cur.line, cur.path)


    def make(self, cur: Cursor, record: Any, *args: Any, **fields: Any) -> Any:
        """``record(*args, **fields)``, with the model's own problems placed in the file."""
        try:
            return record(*args, **fields)
        except InvalidRegimenError as exc:
            problems = _located(self.doc, exc, cur)
            if record is Regimen:
                self.problems.extend(problems)
                return None
            raise Fail(problems[0]) from None


    def items(self, key: str) -> list[tuple[int, Cursor]]:
        if not self.root.has(key):
            return []
        return list(self.root.at(key).items())


class _CourseBuilder(_BuilderBase):
    def build_courses(self, period: Period, index: int) -> tuple[Course, ...]:
        cur = self.periods_raw.at(index)
        if not cur.has("courses"):
            return ()
        built = (self.attempt(self.course, period, c) for _, c in cur.at("courses").items())
        return tuple(c for c in built if c is not None)

    def course(self, period: Period, cur: Cursor) -> Course:
        raw = cur.value
        if raw["drug"] not in self.drug_ids:
            raise fail(cur.at("drug"), self.no_drug(), code="unknown-drug")
        arms = raw.get("arms")
        if arms is not None:
            for i, arm_id in enumerate(arms):
                arm = self.arms.get(arm_id)
                if arm is None:
                    raise fail(cur.at("arms").at(i), self.no_arm(), code="unknown-arm")
                if arm.periods is not None and period.id not in arm.periods:
                    raise fail(cur.at("arms").at(i),
                                f"this arm does not go through period {period.id!r}",
                                code="arm-not-in-period")
        shortest = period.length.shortest.days
        start = raw.get("start", 1)
        if not shortest:
            raise fail(cur, f"{day_one_may_vanish(period)}: a course needs a period that "
                       "always has days", show=False, code="course-in-zero-length-period")
        if start > shortest:
            raise fail(cur.at("start"),
                        "the course starts after the end of its period "
                        f"({counted(shortest, 'day')}"
                        + (" at the shortest length)" if not period.length.fixed else ")"),
                        code="start-after-period")
        available = shortest - start + 1
        span = read_duration(cur.at("for")) if "for" in raw else None
        if span is not None and span.days > available:
            raise fail(cur.at("for"),
                        f"the course would run past the end of its period (from day {start}, "
                        f"{counted(available, 'day')} {'remains' if available == 1 else 'remain'}"
                        f" of {shortest})", code="course-past-period")
        span_days = span.days if span is not None else available
        cycle = read_cycle(cur.at("cycle")) if "cycle" in raw else None
        if "cycles" in raw and cycle is None:
            raise fail(cur.at("cycles"), "cycles needs a cycle length ('cycle: 28 days')",
                       code="cycles-without-cycle")
        dose, steps, placebo, note = read_course_dose(
            cur, self.bsa_max, equivalence=self.drugs_by_id[raw["drug"]].equivalence)
        levels: tuple[Any, ...] = ()
        if "levels" in raw:
            levels = read_levels(cur.at("levels"), dose, steps)
        elif dose is not None or steps:
            # The drug's levels serve every course of it that has a dose to change.
            drug_cur = self.root.at("drugs").at(raw["drug"])
            if drug_cur.has("levels"):
                levels = read_levels(drug_cur.at("levels"), dose, steps)
        vials = self.drug_vials[raw["drug"]]
        dose_key = "daily_dose" if "daily_dose" in raw else "dose"
        for holder, key, given in ([(cur, dose_key, dose)] if dose is not None else
                                   [(cur.at("steps").at(i), "dose", s.dose) for i, s in
                                    enumerate(steps)]):
            at = holder.at(key)
            dimension = given.quantity.amount.unit.dimension
            if vials and dimension is not vials[0].unit.dimension:
                raise fail(at, f"drug {raw['drug']!r} comes in vials of "
                           f"{vials[0].unit.dimension.value}; this dose is in "
                           f"{dimension.value}", code="dose-not-in-vials")
            drug = self.drugs_by_id[raw["drug"]]
            limit = drug.max_cumulative
            if limit is not None and dimension is not limit.amount.unit.dimension:
                raise fail(at, f"drug {raw['drug']!r} has max_cumulative {limit}, in "
                           f"{limit.amount.unit.dimension.value}; this dose is in "
                           f"{dimension.value}: the two could never be added up",
                           code="dose-not-in-limit")
            found = kind_problem(drug, dimension)
            if found is not None and drug.kind == "radiotherapy":
                raise fail(at, found, code="radiotherapy-not-in-gy")
            if found is not None:
                raise fail(at, found, code="gy-not-radiotherapy")
            misfit = strength_problem(drug, given)
            if misfit is not None:
                field, message, _value, code = misfit
                raise fail(at if field == "dose" else holder.at(field), message, code=code)
        cycles = raw.get("cycles")
        step_cycles = [s.cycles for s in steps if isinstance(s, CycleStep)]
        if "first_cycle" in raw and cycle is None:
            raise fail(cur.at("first_cycle"), "first_cycle numbers the course's cycles: give "
                       "cycle too ('cycle: 28 days')", code="first-cycle-without-cycle")
        open_ended = None in step_cycles
        covered = sum(c or 0 for c in step_cycles)
        if step_cycles:
            if cycle is None:
                raise fail(cur.at("steps"),
                            "steps by cycles need a cycle length ('cycle: 4 weeks')",
                            code="cycles-without-cycle")
            if open_ended:
                if cycles is not None and cycles <= covered:
                    raise fail(cur.at("cycles"), "the steps before the open-ended last step "
                               f"cover {counted(covered, 'cycle')}, so the course's {cycles} "
                               "leave it none", code="steps-mismatch")
                unreached = open_step_problem(covered, cycle, span_days)
                if cycles is None and unreached is not None:
                    raise fail(cur.at("steps"), unreached + (
                        "" if period.length.fixed or span is not None else
                        " at the shortest length of its period"), show=False,
                        code="open-step-unreached")
            elif cycles is not None and covered != cycles:
                raise fail(cur.at("steps"),
                            f"the steps cover {counted(covered, 'cycle')} but the "
                            f"course has {cycles}", show=False, code="steps-mismatch")
            else:
                cycles = covered
        window = cycle.days if cycle is not None else span_days
        past = (cycles_past(cycles, cycle, period, start == 1 and span is None, span_days)
                if cycle is not None and cycles is not None else None)
        if past is not None:
            # The number of cycles is written as 'cycles', or is the sum of the steps' cycles.
            at, show_cycles = (cur.at("cycles"), True) if "cycles" in raw else (
                cur.at("steps"), False)
            raise fail(at, past, show=show_cycles, code="cycles-past-course")
        where_window = (cycle_where(cycle) if cycle is not None
                        else f"the course ({counted(span_days, 'day')})")
        if cycle is not None and Months.match(raw.get("every")):
            # Before the interval is compared with the cycle: the two do not combine.
            combination = months_combination(MonthsPattern(Months(1)), cycle)
            assert combination is not None
            raise fail(cur.at("every"), combination[1], show=False,
                       code="calendar-months-combination")
        pattern = read_pattern(cur, window, where_window, steps)
        combination = months_combination(pattern, cycle)
        if combination is not None:
            raise fail(cur.at(combination[0]), combination[1], show=False,
                       code="calendar-months-combination")
        if isinstance(cycle, Duration) and isinstance(pattern, DaysPattern):
            overlap = cycle_day_overlap(pattern.days, cycle.days)
            if overlap is not None:
                raise fail(cur.at("days"), overlap, show=False, code="cycle-day-overlap")
        times = read_times(cur)
        not_on = tuple(raw.get("not_on", ()))
        no_same_day = tuple(raw.get("no_same_day", ()))
        for key, ids in (("not_on", not_on), ("no_same_day", no_same_day)):
            for i, other in enumerate(ids):
                if other not in self.drug_ids or other == raw["drug"]:
                    raise fail(cur.at(key).at(i), "must name another drug of this regimen",
                               code="not-another-drug")
        duration = None
        if "duration" in raw:
            try:
                duration = Elapsed.parse(raw["duration"])
            except UnitError as exc:
                raise unit_fail(cur.at("duration"), exc) from None
            if raw.get("method") in ("bolus", "push"):
                raise fail(cur.at("duration"), f"a {raw['method']} is given at once; "
                           "'duration' goes with 'method: infusion' (or no method)",
                           code="method-and-duration")
        course_id = raw.get("id")
        if course_id is not None:
            if course_id in self.course_ids:
                raise fail(cur.at("id"), "duplicate course id", code="duplicate-id")
            self.course_ids.add(course_id)
        if "count" in raw and "every" not in raw and "weekdays" not in raw:
            raise fail(cur.at("count"), "count goes with every or weekdays ('every: 2 days, "
                       "count: 7', 'weekdays: [mon, fri], count: 10')",
                       code="count-without-every")
        clinic = raw.get("clinic", False)
        window = read_window(cur.at("window")) if "window" in raw else None
        min_interval = read_duration(cur.at("min_interval")) if "min_interval" in raw else None
        for key in ("window", "min_interval"):
            if key in raw and not (clinic or raw["drug"] in self.clinic_drugs):
                raise fail(cur.at(key), WINDOW_NEEDS_CLINIC, show=False,
                           code="window-without-clinic")
        if min_interval is not None and window is None:
            raise fail(cur.at("min_interval"), MIN_INTERVAL_NEEDS_WINDOW,
                       code="min-interval-without-window")
        course: Course = self.make(
            cur, Course, drug=raw["drug"], pattern=pattern, dose=dose, steps=steps,
            placebo=placebo,
            dose_note=note, arms=tuple(arms) if arms is not None else None, start=start,
            span=span, cycle=cycle, cycles=cycles, times=times, route=raw.get("route"),
            first_cycle=raw.get("first_cycle", 1),
            label=raw.get("label", ""), not_on=not_on, no_same_day=no_same_day,
            id=course_id, duration=duration, method=raw.get("method"),
            notes=raw.get("notes", ""), clinic=clinic, window=window,
            min_interval=min_interval, where=self.where(cur), levels=levels,
            policy=read_policy(cur),
        )
        delivery = course.delivery_problem(self.drug_routes[course.drug])
        if delivery is not None and delivery[0] == "method":
            raise fail(cur.at("method"), delivery[1], code="method-with-route")
        if delivery is not None:
            raise fail(cur.at("duration"), delivery[1], code="duration-with-route")
        if any(isinstance(s, AdministrationStep) for s in steps) and not (
                course.date_dependent):
            self.check_administration_steps(cur, course, period)
        overlap = course.overlap_problem(tuple(sorted(
            {period.length.shortest.days, period.length.longest.days})))
        if overlap is not None:
            raise fail(cur.at("duration"), overlap, code="duration-overlaps-next")
        return course

    def check_period_courses(self, period: Period, cur: Cursor) -> None:
        """Rules across the courses of one period."""
        for course in period.courses:
            at = self.course_cursor(cur, course)
            # Only courses without exclusions of their own block days: a chain or a pair
            # of mutual exclusions would depend on an order that the file does not give.
            chained = [d for d in course.not_on if d in self.excluding]
            if chained:
                raise fail(at.at("not_on"), f"{chained[0]!r} has courses with not_on of their "
                           "own; exclusions do not chain: give one of the two drugs not_on",
                           show=False, code="chained-exclusion")
            # Steps are counted before same-day exclusions remove administrations, so
            # a skipped day would silently drop or shift a step (a loading dose).
            if course.not_on and any(isinstance(s, AdministrationStep) for s in course.steps):
                raise fail(at.at("not_on"), "steps by administrations cannot be combined with "
                            "not_on: a skipped day would shift the steps; use steps by days or "
                            "cycles", show=False, code="administration-steps-with-not-on")
            # Same-day instructions appear in blinded calendars too: they must not differ
            # between the courses of one drug, or they would reveal the arm.
            if period.blinded and any(c.drug == course.drug and set(c.no_same_day) != set(
                    course.no_same_day) for c in period.courses):
                raise fail(at.at("no_same_day") if course.no_same_day else at,
                            "in a blinded period every course of a drug has the same "
                            "no_same_day list, so that every arm's calendar reads the same",
                            show=False, code="blinded-same-day-differs")
            # The site calendar moves each course by its own rules: alike in every arm.
            if period.blinded and any(c.drug == course.drug and site_rules(c) != site_rules(
                    course) for c in period.courses):
                raise fail(at, BLINDED_SITE_RULES, show=False, code="blinded-site-rules-differ")
            # So does the route, in every blinded event's summary.
            if period.blinded and len({self.route(c) for c in period.courses
                                       if c.drug == course.drug}) > 1:
                raise fail(at.at("route") if course.route is not None else at,
                            "in a blinded period every course of a drug has the same route, "
                            "so that every arm's calendar reads the same", show=False,
                            code="blinded-route-differs")
            # A blinded calendar names the drug and uses it in event ids: a placebo that
            # is another drug would reveal the arm.
            if period.blinded and course.placebo and not any(
                    c.drug == course.drug and not c.placebo for c in period.courses):
                raise fail(at.at("drug"), "in a blinded period a placebo course uses the "
                            "id of the drug it matches (with placebo: true), so that every "
                            "arm's calendar reads the same; no active course gives this drug "
                            "here", code="blinded-placebo-drug")

    def route(self, course: Course) -> str:
        """The route a course's administrations are shown with."""
        return human_route(course.route or self.drug_routes[course.drug])

    def course_cursor(self, period_cur: Cursor, course: Course) -> Cursor:
        # Courses that failed to build are missing from period.courses: find it by path.
        loc = course.where[2]
        return next(c for _, c in period_cur.at("courses").items() if c.path == loc)

    def check_administration_steps(self, cur: Cursor, course: Course, period: Period) -> None:
        # The count does not depend on dates (no weekday pattern): verify it now, at
        # both ends of a variable period, rather than when a participant is expanded.
        for length in sorted({period.length.shortest.days, period.length.longest.days}):
            try:
                course.slots(0, length, 0)
            except InvalidRegimenError as exc:
                problem = exc.problems[0]
                message = problem.message
                if not period.length.fixed:
                    message += f" (with a {length}-day {period.id} period)"
                raise fail(cur.at("steps"), message, show=False, code=problem.code) from None


class _VisitBuilder(_BuilderBase):
    def build_visits(self) -> tuple[Visit, ...]:
        visits: list[Visit] = []
        seen: set[str] = set()
        for _, cur in self.items("visits"):
            visit = self.attempt(self.visit, cur)
            if visit is None:
                continue
            if visit.id in seen:
                self.problems.append(cur.at("id").problem("duplicate visit id",
                                                          code="duplicate-id"))
                continue
            seen.add(visit.id)
            visits.append(visit)
        return tuple(visits)

    def visit(self, cur: Cursor) -> Visit:
        raw = cur.value
        if "month" in raw:
            other = next((k for k in ("day", "week", "period", "after_last", "course", "at",
                                      "every", "offset", "cycle") if k in raw), None)
            if other is not None:
                raise fail(cur.at("month"), f"give 'month' or {other!r}, not both",
                           code="visit-anchor")
            window = read_window(cur.at("window")) if "window" in raw else None
            arms = raw.get("arms")
            for i, arm_id in enumerate(arms or ()):
                if arm_id not in self.arms:
                    raise fail(cur.at("arms").at(i), self.no_arm(), code="unknown-arm")
            return Visit(raw["id"], MonthAnchor(raw["month"]), window, raw.get("label", ""),
                         tuple(arms) if arms is not None else None, None,
                         raw.get("notes", ""))
        anchors = [k for k in ("day", "week", "period") if k in raw]
        for key, partner in (("every", "period"), ("offset", "after_last"), ("cycle", "course")):
            if key in raw and partner not in raw:
                raise fail(cur.at(key), f"{key!r} goes with {partner!r}", code="visit-anchor")
        new = next((k for k in ("after_last", "course") if k in raw), None)
        if new is not None:
            other = next((k for k in ("after_last", "course", "week", "period", "at")
                          if k in raw and k != new), None)
            if new == "after_last" and other is None and "day" in raw:
                other = "day"
            if other is not None:
                raise fail(cur.at(other), f"give {new!r} or {other!r}, not both",
                           code="visit-anchor")
        anchor: VisitAnchor
        if new == "after_last":
            if "offset" not in raw:
                raise fail(cur, "a visit after the last administration gives 'offset' (e.g. "
                           "'offset: 30 days'; '0 days' is the day of that administration)",
                           show=False, code="missing-field")
            anchor = AfterLastAnchor(raw["after_last"],
                                     read_duration(cur.at("offset"), allow_zero=True))
        elif new == "course":
            if "cycle" not in raw or "day" not in raw:
                raise fail(cur, "a visit anchored to a course gives 'cycle' and 'day' (e.g. "
                           "'course: c1, cycle: 3, day: 1')", show=False, code="visit-anchor")
            if raw["day"] < 1:
                raise fail(cur.at("day"), "a day of a cycle counts from 1", code="too-small")
            anchor = CourseAnchor(raw["course"], raw["cycle"], raw["day"])
        elif "period" in raw:
            if raw["period"] not in self.period_ids:
                raise fail(cur.at("period"),
                            f"no period has this id (periods: {', '.join(self.period_ids)})",
                            code="unknown-period")
            if "every" in raw and ("at" in raw or "day" in raw):
                raise fail(cur.at("every"), "give 'every' or "
                           f"{'at' if 'at' in raw else 'day'!r}, not both", code="visit-anchor")
            if "every" in raw and "week" in raw:
                raise fail(cur.at("week"), "give 'every' or 'week', not both",
                           code="visit-anchor")
        if new is None and "period" in raw and "every" in raw:
            anchor = RepeatAnchor(raw["period"], read_duration(cur.at("every")))
        elif new is None and "period" in raw:
            if ("at" in raw) == ("day" in raw):
                raise fail(cur, "a visit in a period gives either 'at: start|end' or 'day: N'",
                            show=False, code="visit-anchor")
            if "week" in raw:
                raise fail(cur.at("week"), "give week or period, not both", code="visit-anchor")
            day = raw.get("day")
            shortest = self.period_min.get(raw["period"], day or 1)
            if "at" in raw and shortest == 0:
                period = next(p for p in self.periods if p.id == raw["period"])
                raise fail(cur.at("at"), f"{day_one_may_vanish(period)}: anchor the visit to "
                           "a period that always has days", code="visit-zero-length-period")
            if day is not None and not 1 <= day <= shortest:
                raise fail(cur.at("day"), f"day {day} is outside period {raw['period']!r} "
                            f"(1 to {shortest})", day, code="day-outside-period")
            anchor = PeriodAnchor(raw["period"], raw.get("at"), day)
        elif new is None:
            if len(anchors) != 1:
                raise fail(cur, "a visit gives exactly one of day, week or period",
                           show=False, code="visit-anchor")
            if "at" in raw:
                raise fail(cur.at("at"), "'at' goes with 'period'", code="visit-anchor")
            # Week 0 is the day_one period's first day: Day 1, or Day 0 with day_zero.
            first = 0 if self.root.value.get("day_zero", False) else 1
            day = raw["day"] if "day" in raw else 7 * raw["week"] + first
            anchor = StudyDayAnchor(day)
        window = read_window(cur.at("window")) if "window" in raw else None
        arms = raw.get("arms")
        for i, arm_id in enumerate(arms or ()):
            arm = self.arms.get(arm_id)
            if arm is None:
                raise fail(cur.at("arms").at(i), self.no_arm(), code="unknown-arm")
            period = raw.get("period")
            if period is not None and arm.periods is not None and period not in arm.periods:
                raise fail(cur.at("arms").at(i),
                            f"this arm does not go through period {period!r}",
                            code="arm-not-in-period")
        return Visit(raw["id"], anchor, window, raw.get("label", ""),
                     tuple(arms) if arms is not None else None, raw.get("week"),
                     raw.get("notes", ""))

    def expectation(self, cur: Cursor) -> Expectation:

        raw = cur.value
        if raw["arm"] not in self.arms:
            raise fail(cur.at("arm"), self.no_arm(), code="unknown-arm")
        if raw["drug"] not in self.drug_ids:
            raise fail(cur.at("drug"), self.no_drug(), code="unknown-drug")
        if not self.problems and (raw["arm"], raw["drug"]) not in self.course_drugs:
            raise fail(cur.at("drug"), f"arm {raw['arm']!r} never receives this drug",
                       code="drug-not-in-arm")
        total = None
        if "total" in raw:
            try:
                total = parse_dose_quantity(raw["total"])
            except UnitError as exc:
                raise unit_fail(cur.at("total"), exc) from None
        for key in ("weight", "height", "bsa"):
            if key in raw:
                try:
                    Participant(**{key: raw[key]})
                except (UnitError, ParticipantError) as exc:
                    raise unit_fail(cur.at(key), exc) from None
        lengths = raw.get("lengths", {})
        arm = self.arms[raw["arm"]]
        for period_id in lengths:
            at = cur.at("lengths").at(period_id)
            if period_id not in self.period_ids:
                raise fail(at, "no period has this id", period_id, code="unknown-period")
            if arm.periods is not None and period_id not in arm.periods:
                raise fail(at, f"arm {arm.id!r} does not go through this period", period_id,
                           code="arm-not-in-period")
            allowed = self.period_lengths.get(period_id)
            if allowed is not None and allowed.months is not None:
                raise fail(at, MONTHS_NOT_CHOSEN.format(allowed), code="length-out-of-range")
            length = read_duration(at, allow_zero=allowed is not None
                                   and not allowed.shortest.days)
            if allowed is not None and length not in allowed:
                raise fail(at, f"must be within {allowed} ({allowed.shortest.days}-"
                            f"{allowed.longest.days} days)" if not allowed.fixed else
                            f"this period has a fixed length of {allowed}",
                            code="length-out-of-range")
        if "start" in raw:
            try:
                date.fromisoformat(raw["start"])
            except ValueError:
                raise fail(cur.at("start"), "not a calendar date (YYYY-MM-DD)",
                           code="bad-date") from None
        return Expectation(
            arm=raw["arm"], drug=raw["drug"], administrations=raw.get("administrations"),
            total=total, first_day=raw.get("first_day"), last_day=raw.get("last_day"),
            weight=raw.get("weight"), height=raw.get("height"), bsa=raw.get("bsa"),
            lengths=tuple(lengths.items()), start=raw.get("start"), notes=raw.get("notes", ""),
            where=self.where(cur),
        )


class _Builder(_CourseBuilder, _VisitBuilder):
    """Reads the top level, the drugs, the periods and the arms; the courses and the
    visits are read by the mixins it inherits (``_build_courses``, ``_build_visits``)."""

    def regimen(self, sha256: str) -> Regimen | None:
        """The regimen, or None when a problem was found (in ``self.problems``)."""
        root = self.root
        value = root.value
        drugs = tuple(self.drug(i, root.at("drugs").at(i)) for i in value["drugs"])
        self.clinic_drugs = {d.id for d in drugs if d.clinic}
        self.drug_ids = {d.id for d in drugs}
        self.bsa_max = (self.attempt(read_measure_limit, root.at("bsa_max"), "bsa_max")
                        if root.has("bsa_max") else None)
        self.regimen_policy = self.attempt(read_policy, root)
        self.drug_routes = {d.id: d.route for d in drugs}
        self.drug_vials = {d.id: d.vials for d in drugs}
        self.drugs_by_id = {d.id: d for d in drugs}
        self.periods_raw = root.at("periods")
        self.course_ids: set[str] = set()
        periods = self.periods = self.build_periods()
        # Every declared id counts, even of a period whose length was refused, so
        # one mistake does not cascade into "no period has this id" elsewhere.
        self.period_ids = list(dict.fromkeys(p["id"] for p in value["periods"]))
        self.period_lengths = {p.id: p.length for p in periods}
        self.period_min = {p.id: p.length.shortest.days for p in periods}
        arms = tuple(
            a for a in (self.attempt(self.arm, i, root.at("arms").at(i)) for i in value["arms"])
            if a is not None
        )
        self.arms = {a.id: a for a in arms}
        day_one = value.get("day_one")
        if day_one is not None:
            self.attempt(self.check_day_one, day_one)
        for arm in arms:
            self.attempt(self.check_day_one_length, arm, day_one)
            self.attempt(self.check_months_before_day_one, arm, day_one)
        # Index into the document, not into the periods that built: a refused period
        # must not shift the next one's courses out of view.
        raw_index: dict[str, int] = {}
        for index, raw in enumerate(value["periods"]):
            raw_index.setdefault(raw["id"], index)
        courses_by_period = {p.id: self.build_courses(p, raw_index[p.id]) for p in periods}
        complete = tuple(
            Period(p.id, p.length, courses_by_period[p.id], p.blinded, p.label, p.notes)
            for p in periods
        )
        self.excluding = {c.drug for p in complete for c in p.courses if c.not_on}
        for period, index in ((p, raw_index[p.id]) for p in complete):
            self.attempt(self.check_period_courses, period, self.periods_raw.at(index))
        self.course_drugs = {
            (arm.id, c.drug)
            for arm in arms
            for p in complete
            if arm.periods is None or p.id in arm.periods
            for c in p.courses
            if c.arms is None or arm.id in c.arms
        }
        visits = self.build_visits()
        expect = tuple(
            e for e in (self.attempt(self.expectation, c) for _, c in self.items("expect"))
            if e is not None
        )
        sources = tuple(
            s if isinstance(s, str) else tuple(s.items()) for s in value.get("sources", ())
        )
        if self.problems:
            return None  # the model would only find the same problems again, without lines
        regimen: Regimen | None = self.make(root, Regimen,
            id=value["id"],
            title=value["title"],
            drugs=drugs,
            arms=arms,
            periods=complete,
            visits=visits,
            expect=expect,
            day_one=day_one,
            day_zero=value.get("day_zero", False),
            policy=self.regimen_policy or NO_POLICY,
            registry=value.get("registry", ""),
            version=value.get("version", ""),
            sources=sources,
            notes=value.get("notes", ""),
            format=value["format"],
            origin=self.doc.name,
            sha256=sha256,
        )
        return regimen

    def drug(self, drug_id: str, cur: Cursor) -> Drug:
        raw = cur.value
        vials = self.attempt(read_vials, cur.at("vials")) if "vials" in raw else ()
        kind = raw.get("kind", "drug")
        if kind == "radiotherapy" and vials:
            self.problems.append(cur.at("vials").problem(
                "radiotherapy has no vials", show_value=False, code="vials-on-radiotherapy"))
            vials = ()
        limit = (self.attempt(read_max_cumulative, cur.at("max_cumulative"))
                 if "max_cumulative" in raw else None)
        equivalence = None
        if "equivalence" in raw:
            try:
                equivalence = parse_equivalence(raw["equivalence"])
            except UnitError as exc:
                self.problems.append(unit_fail(cur.at("equivalence"), exc).problem)
        strength = None
        if "strength" in raw:
            try:
                strength = parse_strength(raw["strength"])
            except UnitError as exc:
                self.problems.append(unit_fail(cur.at("strength"), exc).problem)
            if strength is not None and kind == "radiotherapy":
                self.problems.append(cur.at("strength").problem(
                    "radiotherapy has no dosage form", code="strength-on-radiotherapy"))
                strength = None
        return Drug(drug_id, raw["name"], raw["route"], raw.get("notes", ""),
                    **{k: raw[k] for k in DRUG_INSTRUCTIONS if k in raw},
                    clinic=raw.get("clinic", False), vials=vials or (), kind=kind,
                    max_cumulative=limit, strength=strength, equivalence=equivalence)



    def check_day_one(self, day_one: str) -> None:
        cur = self.root.at("day_one")
        if day_one not in self.period_ids:
            raise fail(cur, f"no period has this id (periods: {', '.join(self.period_ids)})",
                       code="unknown-period")
        for arm in self.arms.values():
            if arm.day_one is None and arm.periods is not None and day_one not in arm.periods:
                raise fail(
                    self.root.at("arms").at(arm.id),
                    f"day_one period {day_one!r} is not on this arm's path "
                    f"({', '.join(arm.periods)}); give the arm its own day_one",
                    arm.id,
                    code="day-one-off-path",
                )

    def check_day_one_length(self, arm: Arm, day_one: str | None) -> None:
        """Study Day 1 is the first day of a period that always has days."""
        first = arm.day_one or day_one or (arm.periods or self.period_ids)[0]
        if self.period_min.get(first, 1):
            return
        period = next(p for p in self.periods if p.id == first)
        cur = (self.root.at("arms").at(arm.id).at("day_one") if arm.day_one is not None else
               self.root.at("day_one") if day_one is not None else
               self.root.at("arms").at(arm.id))
        if any(p.loc == cur.path for p in self.problems):
            return  # reported once, at the regimen's day_one
        raise fail(cur, "Study Day 1 is the first day of the day_one period, and "
                   f"{day_one_may_vanish(period)}: give day_one a period whose length starts "
                   "at 1 day or more", first, code="day-one-zero-length")

    def check_months_before_day_one(self, arm: Arm, day_one: str | None) -> None:
        """A period in calendar months comes on or after Study Day 1 (see the model's
        :func:`~regimens.model.months_before_day_one`)."""
        first = arm.day_one or day_one or (arm.periods or self.period_ids)[0]
        built = {p.id: p for p in self.periods}
        for period_id in arm.periods or self.period_ids:
            if period_id == first:
                return
            period = built.get(period_id)
            if period is None or period.length.months is None:
                continue
            index = self.period_ids.index(period_id)
            cur = self.periods_raw.at(index).at("length")
            if any(p.loc == cur.path for p in self.problems):
                return  # reported once, for the first arm
            raise fail(cur, months_before_text(period, first, arm.id),
                       code="months-before-day-one")

    # Periods and arms ------------------------------------------------------------

    def build_periods(self) -> list[Period]:
        periods: list[Period] = []
        seen: set[str] = set()
        for _, cur in self.periods_raw.items():
            raw = cur.value
            if raw["id"] in seen:
                self.problems.append(cur.at("id").problem("duplicate period id",
                                                          code="duplicate-id"))
                continue
            seen.add(raw["id"])
            length = self.attempt(read_length, cur.at("length"))
            if length is None:
                # Refused length: keep the period with an unbounded placeholder so its
                # courses are still checked (the regimen is refused anyway).
                length = LengthRange(Duration(10**6), Duration(10**6))
            periods.append(Period(raw["id"], length, (), raw.get("blinded", False),
                                  raw.get("label", ""), raw.get("notes", "")))
        return periods

    def arm(self, arm_id: str, cur: Cursor) -> Arm:
        raw = cur.value
        path = raw.get("periods")
        if path is not None:
            for index, period_id in enumerate(path):
                if period_id not in self.period_ids:
                    raise fail(cur.at("periods").at(index),
                                f"no period has this id (periods: {', '.join(self.period_ids)})",
                                code="unknown-period")
            if len(set(path)) != len(path):
                raise fail(cur.at("periods"), "a period appears twice in the path",
                            ", ".join(path), code="duplicate-period")
            order = [self.period_ids.index(p) for p in path]
            if order != sorted(order):
                raise fail(cur.at("periods"),
                            "the path must follow the order of 'periods' "
                            f"({', '.join(self.period_ids)})", ", ".join(path),
                            code="path-out-of-order")
        day_one = raw.get("day_one")
        if day_one is not None and day_one not in self.period_ids:
            raise fail(cur.at("day_one"),
                        f"no period has this id (periods: {', '.join(self.period_ids)})",
                        code="unknown-period")
        if day_one is not None and day_one not in (path or self.period_ids):
            raise fail(cur.at("day_one"), "this period is not on the arm's path "
                        f"({', '.join(path or ())})", code="day-one-off-path")
        return Arm(arm_id, raw["label"], tuple(path) if path is not None else None, day_one,
                   raw.get("notes", ""))
