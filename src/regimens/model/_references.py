"""Cross-references of a regimen: every rule that relates its parts.

Run by :class:`Regimen` when it is made; each problem carries the location a
regimen file would have (``periods[0].courses[1].drug``), so the format layer
can map it to a line.

The rules of Study Day 1 (``_day_one``), of a course's dose against its drug
(``_drug_checks``) and of visits and expectations (``_visit_checks``) have their own
modules; :func:`check_regimen` runs them all.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from ..errors import InvalidRegimenError, Loc
from ..quantities import Duration, Months, counted
from ._blinded_placing import blinded_placing_problems
from ._course import WINDOW_NEEDS_CLINIC, Course
from ._cycles import cycle_text, cycles_days, open_step_problem
from ._day_one import _check_day_one_lengths, day_one_may_vanish, months_before_day_one
from ._drug_checks import _check_kind, _check_strength, _check_to_vial, _check_vials
from ._invariants import Problems
from ._parts import Arm, Drug, Expectation, Period
from ._steps import AdministrationStep, CycleStep
from ._visit_checks import _check_expectations, _check_visits
from ._visits import Visit

if TYPE_CHECKING:
    from ._regimen import Regimen

__all__ = ["BLINDED_SITE_RULES", "check_regimen", "cycles_past", "site_rules"]


# Cross-references of a regimen ---------------------------------------------------------


def _duplicates(ids: list[str]) -> list[str]:
    return [i for i, n in Counter(ids).items() if n > 1]


def check_regimen(r: Regimen, problems: Problems) -> None:
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
    if not problems.found:
        _check_day_one_lengths(r, periods, problems)
        for index, message in months_before_day_one(r):
            problems.add(("periods", index, "length"), message, str(r.periods[index].length),
                         code="months-before-day-one")
    for index, period in enumerate(r.periods):
        _check_courses(period, ("periods", index), drugs, arms, no_drug, no_arm, problems)
    for index, period in enumerate(r.periods):
        _check_blinded_placing(r, period, ("periods", index), problems)
    for dup in _duplicates([c.id for p in r.periods for c in p.courses if c.id is not None]):
        problems.add("periods", "duplicate course id", dup, code="duplicate-id")
    if problems.found:
        return  # visits and expectations would only repeat the same mistakes
    _check_visits(r, periods, arms, no_period, no_arm, problems)
    _check_expectations(r, drugs, arms, no_drug, no_arm, problems)




def _check_blinded_placing(r: Regimen, period: Period, at: Loc, problems: Problems) -> None:
    """What places, moves or makes up a blinded drug's doses is the same on every arm
    (:mod:`._blinded_placing`)."""
    arms = tuple(a.id for a in r.arms if a.periods is None or period.id in a.periods)
    for found in blinded_placing_problems(period, r.policy, arms):
        loc: Loc = (*at, "courses", found.index,
                    *(("policy", found.field) if found.policy else (found.field,)))
        problems.add(loc, found.message, code=found.code)


def cycles_past(cycles: int, cycle: Duration | Months, period: Period, whole: bool,
                span: int) -> str | None:
    """Why ``cycles`` cycles of ``cycle`` do not fit a course of ``span`` days, or None.

    In days: cycles x cycle days. A cycle in calendar months fits a period in months
    exactly when the course fills the period from its first day (``whole``: no ``start``,
    no ``for``): both count months from the same date. Otherwise its cycles must fit
    whatever the start date (the most days that many months span).
    """
    months = period.length.months
    if isinstance(cycle, Months) and months is not None and whole:
        if cycles * cycle.months <= months.months:
            return None
        return (f"{counted(cycles, 'cycle')} of {cycle} {'needs' if cycles == 1 else 'need'} "
                f"{cycles * cycle.months} months, but the period has {months}")
    most = cycles_days(cycle, cycles)
    if most <= span:
        return None
    return (f"{counted(cycles, 'cycle')} of {cycle_text(cycle)} "
            f"{'needs' if cycles == 1 else 'need'} {'up to ' if isinstance(cycle, Months) else ''}"
            f"{counted(most, 'day')}, but the course has {span}")



def _check_courses(period: Period, at: Loc, drugs: dict[str, Drug], arms: dict[str, Arm],
                   no_drug: str, no_arm: str, problems: Problems) -> None:
    shortest, fixed = period.length.shortest.days, period.length.fixed
    for index, course in enumerate(period.courses):
        where: Loc = (*at, "courses", index)
        before = len(problems.found)
        if course.drug not in drugs:
            problems.add((*where, "drug"), no_drug, course.drug, code="unknown-drug")
        else:
            if not (course.clinic or drugs[course.drug].clinic):
                for key in ("window", "min_interval"):
                    if getattr(course, key) is not None:
                        problems.add((*where, key), WINDOW_NEEDS_CLINIC,
                                     code="window-without-clinic")
                        break
            if drugs[course.drug].vials:
                _check_vials(drugs[course.drug], course, where, problems)
            else:
                _check_to_vial(drugs[course.drug], course, where, problems)
            _check_kind(drugs[course.drug], course, where, problems)
            _check_strength(drugs[course.drug], course, where, problems)
        for key, ids in (("not_on", course.not_on), ("no_same_day", course.no_same_day)):
            for i, other in enumerate(ids):
                if other not in drugs:
                    problems.add((*where, key, i), "must name another drug of this regimen",
                                 other, code="not-another-drug")
        drug = drugs.get(course.drug)
        delivery = course.delivery_problem(drug.route) if drug is not None else None
        if delivery is not None and delivery[0] == "method":
            problems.add((*where, "method"), delivery[1], course.method,
                         code="method-with-route")
        elif delivery is not None:
            problems.add((*where, "duration"), delivery[1], str(course.duration),
                         code="duration-with-route")
        for i, arm_id in enumerate(course.arms or ()):
            arm = arms.get(arm_id)
            if arm is None:
                problems.add((*where, "arms", i), no_arm, arm_id, code="unknown-arm")
            elif arm.periods is not None and period.id not in arm.periods:
                problems.add((*where, "arms", i), "this arm does not go through period "
                             f"{period.id!r}", arm_id, code="arm-not-in-period")
        if not shortest:
            problems.add(where, f"{day_one_may_vanish(period)}: a course needs a period that "
                         "always has days", code="course-in-zero-length-period")
            continue
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
        if course.cycle is not None and course.cycles is not None:
            past = cycles_past(course.cycles, course.cycle, period,
                               course.start == 1 and course.span is None, span)
            if past is not None:
                problems.add((*where, "cycles"), past, course.cycles, code="cycles-past-course")
        covered = sum(s.cycles or 0 for s in course.steps if isinstance(s, CycleStep))
        unreached = (open_step_problem(covered, course.cycle, span)
                     if course.cycle is not None and course.cycles is None
                     and course.span is None and any(isinstance(s, CycleStep) and s.cycles
                                                     is None for s in course.steps) else None)
        if unreached is not None:
            problems.add((*where, "steps"), unreached
                         + ("" if fixed else " at the shortest length of its period"),
                         code="open-step-unreached")
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
        overlap = course.overlap_problem(tuple(sorted({shortest, period.length.longest.days})))
        if overlap is not None:
            problems.add((*where, "duration"), overlap, str(course.duration),
                         code="duration-overlaps-next")
    _check_period_rules(period, at, problems)


def _check_period_rules(period: Period, at: Loc, problems: Problems) -> None:
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
        if period.blinded and any(c.drug == course.drug and site_rules(c) != site_rules(course)
                                  for c in period.courses):
            problems.add(where, BLINDED_SITE_RULES, code="blinded-site-rules-differ")
        if period.blinded and course.placebo and not any(
                c.drug == course.drug and not c.placebo for c in period.courses):
            problems.add((*where, "drug"), "in a blinded period a placebo course uses the id "
                         "of the drug it matches (with placebo: true), so that every arm's "
                         "calendar reads the same; no active course gives this drug here",
                         course.drug, code="blinded-placebo-drug")


#: Why the courses of a drug in a blinded period share clinic, window and min_interval.
BLINDED_SITE_RULES = ("in a blinded period every course of a drug has the same clinic, window "
                      "and min_interval, so that the site's calendar moves every arm's "
                      "administrations alike")


def site_rules(course: Course) -> tuple[object, ...]:
    """What decides how a site calendar moves a course's administrations."""
    return (course.clinic, course.window, course.min_interval)


#: Why a visit in a blinded period is for every arm that goes through the period.
