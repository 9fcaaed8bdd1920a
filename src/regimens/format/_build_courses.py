"""Building the courses of a period: each course from its fields, then the rules across the
courses of a period (same-day exclusions, blinded placebos, administration steps)."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidRegimenError, UnitError
from ..model import (
    BLINDED_SITE_RULES,
    MIN_INTERVAL_NEEDS_WINDOW,
    NO_POLICY,
    WINDOW_NEEDS_CLINIC,
    AdministrationStep,
    Course,
    CycleStep,
    DaysPattern,
    MonthsPattern,
    Period,
    blinded_placing_problems,
    cycle_day_overlap,
    cycle_where,
    cycles_past,
    day_one_may_vanish,
    kind_problem,
    months_combination,
    open_step_problem,
    site_rules,
    strength_problem,
)
from ..quantities import Duration, Elapsed, Months, counted, human_route
from ._builder import _BuilderBase
from ._course_doses import read_course_dose, read_levels
from ._fail import fail, unit_fail
from ._lengths import read_cycle, read_duration, read_window
from ._policy import read_policy
from ._source import Cursor
from ._timing import read_pattern, read_times

__all__: list[str] = []


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

    def check_blinded_placing(self, period: Period, cur: Cursor, arms: tuple[str, ...]
                              ) -> None:
        """What places, moves or makes up a blinded drug's doses (record policy, cycles,
        not_on) is the same on every arm (``model._blinded_placing``)."""
        for found in blinded_placing_problems(period, self.regimen_policy or NO_POLICY, arms):
            at = self.course_cursor(cur, period.courses[found.index])
            raise fail(at.at(found.field) if at.has(found.field) else at, found.message,
                       show=False, code=found.code)

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
