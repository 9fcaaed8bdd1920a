"""Cross-references of visits and expectations: anchors, arms, periods, courses and drugs
they name, and the messages the format layer shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import Loc, UnitError
from ..quantities import Duration, Months, counted
from ._day_one import day_one_may_vanish
from ._invariants import Problems, reason_of
from ._parts import Arm, Drug, Period
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

__all__ = [
    "BLINDED_VISIT",
    "COURSE_ANCHOR_MONTHS",
    "MONTHS_NOT_CHOSEN",
    "NO_DAY_ZERO",
]


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
