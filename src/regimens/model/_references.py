"""Cross-references of a regimen: every rule that relates its parts.

Run by :class:`Regimen` when it is made; each problem carries the location a
regimen file would have (``periods[0].courses[1].drug``), so the format layer
can map it to a line.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from ..errors import (
    InvalidRegimenError,
    Loc,
    UnitError,
)
from ..quantities import (
    Amount,
    Basis,
    Dimension,
    Duration,
    Months,
    counted,
    form_count,
    form_part_problem,
    human_amount,
    human_number,
)
from ._course import WINDOW_NEEDS_CLINIC, Course
from ._cycles import cycle_text, cycles_days, open_step_problem
from ._dose import Dose
from ._invariants import Problems, reason_of
from ._parts import Arm, Drug, Expectation, Period
from ._steps import AdministrationStep, CycleStep
from ._visits import (
    AfterLastAnchor,
    CourseAnchor,
    PeriodAnchor,
    RepeatAnchor,
    StudyDayAnchor,
    Visit,
)

if TYPE_CHECKING:
    from ._regimen import Regimen

__all__ = ["BLINDED_SITE_RULES", "BLINDED_VISIT", "COURSE_ANCHOR_MONTHS", "MONTHS_NOT_CHOSEN",
           "NO_DAY_ZERO",
           "check_regimen", "cycles_past", "day_one_may_vanish", "months_before_day_one",
           "months_before_text", "site_rules", "strength_problem"]


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
    for dup in _duplicates([c.id for p in r.periods for c in p.courses if c.id is not None]):
        problems.add("periods", "duplicate course id", dup, code="duplicate-id")
    if problems.found:
        return  # visits and expectations would only repeat the same mistakes
    _check_visits(r, periods, arms, no_period, no_arm, problems)
    _check_expectations(r, drugs, arms, no_drug, no_arm, problems)


def day_one_may_vanish(period: Period) -> str:
    """Why a period that may last 0 days cannot hold Study Day 1 (or a visit at its ends)."""
    return (f"period {period.id!r} may last 0 days (length: {period.length}), so it may have "
            "no first or last day")


def _check_day_one_lengths(r: Regimen, periods: dict[str, Period], problems: Problems) -> None:
    """Study Day 1 is the first day of the day_one period: that period always has days."""
    reported: set[Loc] = set()
    for arm in r.arms:
        period = periods[r.day_one_period(arm.id)]
        if period.length.shortest.days:
            continue
        at: Loc = (("arms", arm.id, "day_one") if arm.day_one is not None else
                   ("day_one",) if r.day_one is not None else ("arms", arm.id))
        if at not in reported:
            reported.add(at)
            problems.add(at, f"Study Day 1 is the first day of the day_one period, and "
                         f"{day_one_may_vanish(period)}: give day_one a period whose length "
                         "starts at 1 day or more", period.id, code="day-one-zero-length")


def kind_problem(drug: Drug, dimension: Dimension) -> str | None:
    """What is wrong when a dose of ``dimension`` does not suit the drug's kind (only
    radiotherapy is dosed in Gy, and radiotherapy only in Gy), else None. The problem's
    code is ``radiotherapy-not-in-gy`` for radiotherapy, else ``gy-not-radiotherapy``."""
    if drug.kind == "radiotherapy" and dimension is not Dimension.RADIATION:
        return f"{drug.id!r} is radiotherapy: its doses are absorbed doses in Gy (e.g. '2 Gy')"
    if drug.kind != "radiotherapy" and dimension is Dimension.RADIATION:
        return f"a dose in Gy is radiation: give drug {drug.id!r} 'kind: radiotherapy'"
    return None


def _check_kind(drug: Drug, course: Course, where: Loc, problems: Problems) -> None:
    doses = [course.dose] if course.dose is not None else [s.dose for s in course.steps]
    for dose in doses:
        found = kind_problem(drug, dose.quantity.amount.unit.dimension)
        if found is not None and drug.kind == "radiotherapy":
            problems.add((*where, "dose"), found, str(dose.quantity),
                         code="radiotherapy-not-in-gy")
            return
        if found is not None:
            problems.add((*where, "dose"), found, str(dose.quantity), code="gy-not-radiotherapy")
            return


def _misfit(field: str, message: str, value: object, *, code: str
            ) -> tuple[str, str, object, str]:
    """A problem found by :func:`strength_problem`: (field, message, value, code)."""
    return field, message, value, code


def strength_problem(drug: Drug, dose: Dose) -> tuple[str, str, object, str] | None:
    """What is wrong with ``dose`` given its drug's dosage form and strength, or None:
    ``(field, message, value, code)``, ``field`` relative to the dose's course or step
    (``"dose"`` or ``"round"``).

    A ``round`` in a form (``0.5 tablet``) needs the drug's strength in that form and in
    the dose's dimension; a dose written in a form must be the strength's form; any other
    dose of a drug with a strength is in the strength's dimension; a flat dose (and each
    band's) is a count the form can be given in (whole capsules, whole or half tablets).
    """
    if dose.equivalence is not None and dose.equivalence != drug.equivalence:
        return _misfit("dose", "the dose's equivalence must be its drug's "
                       f"({_equivalence_text(drug)})", str(dose.quantity),
                       code="equivalence-mismatch")
    strength = drug.strength
    dimension = dose.quantity.amount.unit.dimension
    if dose.round is not None and dose.round.unit.dimension.form and not dimension.form:
        form = dose.round.unit.dimension.value
        if strength is None:
            return _misfit("round", f"rounding to {form} needs the drug's strength (e.g. "
                           f"'strength: 500 mg/{dose.round.unit.symbol}' on drug {drug.id!r})",
                           str(dose.round), code="round-without-strength")
        if strength.per != dose.round.unit:
            return _misfit("round", f"drug {drug.id!r} is {strength}: round in "
                           f"{strength.per.dimension.value}", str(dose.round),
                           code="form-mismatch")
    if strength is not None:
        per = strength.per
        if dimension.form and dose.quantity.amount.unit != per:
            return _misfit("dose", f"drug {drug.id!r} is {strength}: a dose in "
                           f"{dimension.value} is not in its form ({per.dimension.value})",
                           str(dose.quantity), code="form-mismatch")
        if dimension is not per.dimension and dimension is not strength.amount.unit.dimension:
            return _misfit("dose", f"drug {drug.id!r} is {strength}: its doses are in "
                           f"{strength.amount.unit.dimension.value} or {per.dimension.value}, "
                           f"not {dimension.value}", str(dose.quantity),
                           code="strength-dimension")
    written = [b.dose.amount for b in dose.bands] or (
        [dose.quantity.amount] if dose.quantity.basis is Basis.FLAT else [])
    for amount in written:
        found = _count_problem(amount, drug)
        if found is not None:
            return _misfit("dose", found, str(dose.quantity), code="dose-not-whole-forms")
    return None


def _equivalence_text(drug: Drug) -> str:
    if drug.equivalence is None:
        return f"drug {drug.id!r} declares none"
    left, right = drug.equivalence
    return f"{left} = {right}"


def _count_problem(amount: Amount, drug: Drug) -> str | None:
    """Why a flat ``amount`` is not a count its drug's form can be given in, or None."""
    if amount.unit.dimension.form:
        return form_part_problem(amount)
    strength = drug.strength
    if strength is None or amount.unit.dimension is not strength.amount.unit.dimension:
        return None
    count = form_count(amount, strength)
    forms = strength.per.dimension.value
    if count is None:
        return (f"{human_amount(amount)} is not an exact number of {forms} of "
                f"{human_amount(strength.amount)}")
    found = form_part_problem(Amount(count, strength.per))
    if found is None:
        return None
    return (f"{human_amount(amount)} is {human_number(count)} {forms} of "
            f"{human_amount(strength.amount)}; {found}")


def _check_strength(drug: Drug, course: Course, where: Loc, problems: Problems) -> None:
    """A course's doses suit its drug's dosage form and strength (:func:`strength_problem`)."""
    if course.dose is not None:
        pairs = [((*where,), course.dose)]
    else:
        pairs = [((*where, "steps", i), s.dose) for i, s in enumerate(course.steps)]
    for at, dose in pairs:
        found = strength_problem(drug, dose)
        if found is not None:
            key, message, value, code = found
            if key == "dose" and dose.divided is not None:
                key = "daily_dose"
            problems.add((*at, key), message, value, code=code)


#: Why ``round: {to_vial: true}`` is refused for a drug without vials.
TO_VIAL_NEEDS_VIALS = ("rounds the dose to whole vials, but drug {drug!r} has no vials: give "
                       "the drug its vial sizes ('vials: [100 mg, 500 mg]')")


def _check_to_vial(drug: Drug, course: Course, where: Loc, problems: Problems) -> None:
    """A dose rounded to whole vials needs its drug's vials."""
    doses = [(where, course.dose)] if course.dose is not None else [
        ((*where, "steps", i), s.dose) for i, s in enumerate(course.steps)]
    for at, dose in doses:
        if dose.standard is not None and dose.standard.to_vial:
            problems.add((*at, "round", "to_vial"), TO_VIAL_NEEDS_VIALS.format(drug=drug.id),
                         code="to-vial-without-vials")
            return


def _check_vials(drug: Drug, course: Course, where: Loc, problems: Problems) -> None:
    """A course of a drug with vials gives doses the vials can hold (their dimension)."""
    dimension = drug.vials[0].unit.dimension
    doses = [course.dose] if course.dose is not None else [s.dose for s in course.steps]
    for dose in doses:
        if dose.quantity.amount.unit.dimension is not dimension:
            problems.add((*where, "dose"), f"drug {drug.id!r} comes in vials of "
                         f"{dimension.value}; this dose is in "
                         f"{dose.quantity.amount.unit.dimension.value}", str(dose.quantity),
                         code="dose-not-in-vials")
            return


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


def months_before_text(period: Period, anchor: str, arm: str) -> str:
    """Why ``period``, in calendar months, may not come before Study Day 1 (``anchor``,
    the day_one period of ``arm``)."""
    return (f"a period in calendar months ({period.length}) before Study Day 1 (period "
            f"{anchor!r}, arm {arm!r}): its first day would be counted back from Study Day 1, "
            "where a month may be clamped; give it in days or weeks, or make it the day_one "
            "period")


def months_before_day_one(r: Regimen) -> list[tuple[int, str]]:
    """(index, message) of each period in calendar months before an arm's day_one period.

    A period after Study Day 1 counts its months from its first day; one before it would
    count them back from the next period's first day or forward from a first day that its
    own length places: two readings that differ when a month is clamped. Refused.
    """
    found: dict[int, str] = {}
    index = {p.id: i for i, p in enumerate(r.periods)}
    for arm in r.arms:
        path = r.path(arm.id)
        try:
            anchor = r.day_one_period(arm.id)
        except LookupError:
            continue  # an unknown day_one is reported on its own
        for period in path:
            if period.id == anchor:
                break
            if period.length.months is not None and index[period.id] not in found:
                found[index[period.id]] = months_before_text(period, anchor, arm.id)
    return sorted(found.items())


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
BLINDED_VISIT = ("a visit in a blinded period is for every arm that goes through the period, "
                 "so that no participant's calendar reveals the arm; remove 'arms' or list "
                 "every such arm")


def _arms_through(r: Regimen, period_id: str) -> list[str]:
    """Ids of the arms whose path goes through a period."""
    return [a.id for a in r.arms if a.periods is None or period_id in a.periods]


def receives(r: Regimen, arm_id: str, drug: str) -> bool:
    """Whether an arm is given a drug by some course on its path (placebo included)."""
    return any(c.drug == drug for p in r.path(arm_id) for c in p.courses
               if c.arms is None or arm_id in c.arms)


#: Why a visit is not anchored to a cycle in calendar months (format and model alike).
COURSE_ANCHOR_MONTHS = ("course {!r} has cycles in calendar months, whose days depend on the "
                        "start date: anchor the visit with 'month' (calendar months from Study "
                        "Day 1) or to a day of its period instead")

#: Why a length is not chosen for a period in calendar months (``--length``, ``lengths``).
MONTHS_NOT_CHOSEN = ("this period lasts {} (calendar months from its first day): its days "
                     "follow from the start date, not from a choice")

#: Why Day 0 is refused in a regimen without ``day_zero``.
NO_DAY_ZERO = ("there is no Study Day 0: the day before Day 1 is Day -1 (a protocol that "
               "counts from Day 0 says so with day_zero: true)")


def _check_visits(r: Regimen, periods: dict[str, Period], arms: dict[str, Arm],
                  no_period: str, no_arm: str, problems: Problems) -> None:
    courses = {c.id: (p, c) for p in r.periods for c in p.courses if c.id is not None}
    repeating = {v.id for v in r.visits if isinstance(v.anchor, RepeatAnchor)}
    if not isinstance(r.day_zero, bool):
        problems.add("day_zero", "true or false", r.day_zero, code="wrong-type")
    for index, visit in enumerate(r.visits):
        where: Loc = ("visits", index)
        anchor = visit.anchor
        if isinstance(anchor, StudyDayAnchor) and anchor.day == 0 and not r.day_zero:
            problems.add((*where, "anchor", "day"), NO_DAY_ZERO, 0, code="day-zero")
        stem, _, number = visit.id.rpartition("-")
        if stem in repeating and number.isdigit():
            # Repeating visit 'ct' is numbered ct-1, ct-2, ...: one of them would be this.
            problems.add((*where, "id"), f"visit {stem!r} repeats as {stem}-1, {stem}-2, ...: "
                         "give this visit another id", visit.id, code="duplicate-id")
        if isinstance(anchor, AfterLastAnchor):
            _check_after_last(r, visit, anchor, where, problems)
        elif isinstance(anchor, CourseAnchor):
            _check_course_anchor(r, visit, anchor, courses, where, problems)
        elif isinstance(anchor, RepeatAnchor):
            period = periods.get(anchor.period)
            if period is None:
                problems.add((*where, "period"), no_period, anchor.period, code="unknown-period")
            elif anchor.every.days >= period.length.shortest.days:
                days = counted(period.length.shortest.days, "day")
                problems.add((*where, "every"), f"every {anchor.every} from the first day of "
                             f"period {anchor.period!r} ({days}"
                             f"{'' if period.length.fixed else ' at the shortest length'}) gives "
                             "no visit inside it; anchor one visit with 'day' or 'at' instead",
                             str(anchor.every), code="day-outside-period")
        period_id = anchor.period if isinstance(anchor, PeriodAnchor | RepeatAnchor) else None
        if isinstance(anchor, PeriodAnchor):
            period = periods.get(anchor.period)
            if period is None:
                problems.add((*where, "anchor", "period"), no_period, anchor.period,
                             code="unknown-period")
            elif anchor.at is not None and not period.length.shortest.days:
                problems.add((*where, "anchor", "at"), f"{day_one_may_vanish(period)}: anchor "
                             "the visit to a period that always has days", anchor.at,
                             code="visit-zero-length-period")
            elif anchor.day is not None and anchor.day > period.length.shortest.days:
                problems.add((*where, "anchor", "day"), f"day {anchor.day} is outside period "
                             f"{anchor.period!r} (1 to {period.length.shortest.days})",
                             anchor.day, code="day-outside-period")
        period = periods.get(period_id) if period_id is not None else None
        if period is not None and period.blinded and visit.arms is not None:
            lacking = [a for a in _arms_through(r, period.id) if a not in visit.arms]
            if lacking and any(a in visit.arms for a in _arms_through(r, period.id)):
                problems.add((*where, "arms"), BLINDED_VISIT + f" (not for: {', '.join(lacking)})",
                             list(visit.arms), code="blinded-visit-arms")
        for i, arm_id in enumerate(visit.arms or ()):
            arm = arms.get(arm_id)
            if arm is None:
                problems.add((*where, "arms", i), no_arm, arm_id, code="unknown-arm")
            elif period_id is not None and arm.periods is not None and (
                    period_id not in arm.periods):
                problems.add((*where, "arms", i), f"this arm does not go through period "
                             f"{period_id!r}", arm_id, code="arm-not-in-period")


def _check_after_last(r: Regimen, visit: Visit, anchor: AfterLastAnchor, where: Loc,
                      problems: Problems) -> None:
    drugs = r._index[0]
    if anchor.drug not in drugs:
        problems.add((*where, "after_last"), f"no drug has this id (drugs: "
                     f"{', '.join(drugs)})", anchor.drug, code="unknown-drug")
        return
    # Left out silently for an arm without the drug, the visit would vanish from its
    # schedule (and, in a blinded design, reveal the arm).
    lacking = [a.id for a in r.arms if (visit.arms is None or a.id in visit.arms)
               and not receives(r, a.id, anchor.drug)]
    if lacking:
        problems.add((*where, "after_last"), f"arm {lacking[0]!r} never receives this drug, so "
                     "the visit has no day there; give the visit 'arms' (the arms that "
                     "receive it)", anchor.drug, code="drug-not-in-arm")


def _check_course_anchor(r: Regimen, visit: Visit, anchor: CourseAnchor,
                         courses: dict[str, tuple[Period, Any]], where: Loc,
                         problems: Problems) -> None:
    found = courses.get(anchor.course)
    if found is None:
        known = ", ".join(courses) or "none has an id"
        problems.add((*where, "course"), f"no course has this id (courses: {known})",
                     anchor.course, code="unknown-course")
        return
    period, course = found
    if course.cycle is None:
        problems.add((*where, "cycle"), f"course {anchor.course!r} has no cycles: anchor the "
                     f"visit to a day of period {period.id!r} ('period' with 'day') instead",
                     anchor.cycle, code="cycles-without-cycle")
        return
    if isinstance(course.cycle, Months):
        problems.add((*where, "cycle"), COURSE_ANCHOR_MONTHS.format(anchor.course),
                     anchor.cycle, code="calendar-months-combination")
        return
    size = course.cycle.days
    span = (course.span.days if course.span is not None
            else period.length.shortest.days - course.start + 1)
    count = course.cycles if course.cycles is not None else -(-span // size)
    # The protocol's cycle number (first_cycle numbers them on): the course's k-th cycle.
    k = anchor.cycle - course.first_cycle + 1
    if not 1 <= k <= count:
        first, last = course.first_cycle, course.first_cycle + count - 1
        problems.add((*where, "cycle"), f"course {anchor.course!r} has "
                     + (f"{counted(count, 'cycle')}" if first == 1 else
                        f"cycles {first} to {last}")
                     + ("" if course.cycles is not None or period.length.fixed else
                        " at the shortest length"),
                     anchor.cycle, code="cycle-outside-course")
        return
    if anchor.day > size or (k - 1) * size + anchor.day > span:
        days = counted(min(size, span - (k - 1) * size), "day")
        problems.add((*where, "day"), f"day {anchor.day} is outside cycle {anchor.cycle} of "
                     f"course {anchor.course!r} ({days})",
                     anchor.day, code="day-outside-cycle")
        return
    through = _arms_through(r, period.id)
    given = [a for a in through if course.arms is None or a in course.arms]
    outside = [a for a in (visit.arms or ()) if a in r._index[1] and a not in given]
    if outside:
        problems.add((*where, "arms"), f"arm {outside[0]!r} does not receive course "
                     f"{anchor.course!r}", list(visit.arms or ()), code="arm-not-in-period")
    elif period.blinded and len(given) < len(through):
        problems.add((*where, "course"), BLINDED_VISIT.replace("remove 'arms' or list every "
                     "such arm", "anchor it to a course every such arm receives, or to a "
                     "day of the period") + f" (course {anchor.course!r} is not for: "
                     f"{', '.join(a for a in through if a not in given)})", anchor.course,
                     code="blinded-visit-arms")


def _check_expectations(r: Regimen, drugs: dict[str, Drug], arms: dict[str, Arm],
                        no_drug: str, no_arm: str, problems: Problems) -> None:
    for index, e in enumerate(r.expect):
        where: Loc = ("expect", index)
        for key in ("first_day", "last_day"):
            if getattr(e, key) == 0 and not r.day_zero:
                problems.add((*where, key), NO_DAY_ZERO, 0, code="day-zero")
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
            allowed = on_path[period_id].length
            if allowed.months is not None:
                problems.add(at, MONTHS_NOT_CHOSEN.format(allowed), text,
                             code="length-out-of-range")
                continue
            try:
                length = Duration.parse(text, allow_zero=not allowed.shortest.days)
            except UnitError as exc:
                problems.add(at, reason_of(exc), text, code="bad-quantity")
                continue
            if length not in allowed:
                problems.add(at, f"must be within {allowed} ({allowed.shortest.days}-"
                             f"{allowed.longest.days} days)" if not allowed.fixed else
                             f"this period has a fixed length of {allowed}", text,
                             code="length-out-of-range")
