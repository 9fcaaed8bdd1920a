"""Laying out courses on a resolved timeline: dated administrations with their doses.

Two steps, each a pure function of the last: :func:`resolve` fixes the
participant's timeline (period lengths, where Study Day 1 falls, body size,
time zone); :func:`expand` lays every course on it and computes each dose.
All date arithmetic is in whole days from Study Day 1; no clock is read.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ..errors import (
    ExpandOptionError,
    RegimenWarning,
    TimeShiftWarning,
)
from ..model import (
    Course,
    Dose,
    Participant,
    PeriodAnchor,
    Regimen,
)
from ..quantities import (
    Basis,
    Duration,
    StudyDay,
    exactly,
    human_dose_quantity,
    human_route,
)
from ._dose import ComputedDose, compute_dose
from ._schedule import Administration, CourseSpan, PeriodSpan, Schedule, VisitOccurrence
from ._timeline import Timeline

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["OUTSIDE_CALENDAR", "expand"]


# Laying out courses ------------------------------------------------------------------


def _step_dose(course: Course, step: int | None) -> Dose | None:
    if course.dose is not None:
        return course.dose
    if step is not None:
        return course.steps[step].dose
    return None


def _local(day: date, at: time, zone: ZoneInfo) -> tuple[datetime, TimeShiftWarning | None]:
    wall = datetime.combine(day, at, tzinfo=zone)
    # RFC 5545 §3.3.5: a local time in a gap is read with the offset before the gap,
    # which is what zoneinfo gives with fold=0; the wall time then moves forward.
    real = wall.astimezone(UTC).astimezone(zone)
    if real.replace(tzinfo=None) != wall.replace(tzinfo=None):
        # A whole skipped day (Pacific/Apia, 2011-12-30) moves it to another date: say so.
        moved = f" on {real.date().isoformat()}" if real.date() != day else ""
        return real, TimeShiftWarning(
            f"{at:%H:%M} does not exist on {day.isoformat()} in {zone.key} (clocks move forward); "
            f"the administration is at {real:%H:%M}{moved} local time")
    # An ambiguous time (clocks move back) is its first occurrence (fold=0), per RFC 5545.
    return wall, None


#: Why a start is refused when a date of its schedule would fall before year 1 or after
#: 9999 (Python's dates, and NumPy's ``datetime64[D]`` as the batch API checks it).
OUTSIDE_CALENDAR = "the schedule would fall outside the calendar (years 1 to 9999)"


def expand(
    regimen: Regimen,
    line: Timeline,
    *,
    symbolic: bool = False,
    exact_drugs: frozenset[str] = frozenset(),
) -> Schedule:
    """Lay every course of ``regimen`` on a participant's resolved timeline.

    With ``symbolic=True`` (used by ``check`` and the batch API), per-kg and
    per-m2 doses are not computed, except for the drug ids in ``exact_drugs``:
    their administrations carry the dose as written and no amount.
    """
    try:
        return _lay_out(regimen, line, symbolic, exact_drugs)
    except OverflowError:
        raise ExpandOptionError("start", OUTSIDE_CALENDAR, line.start.isoformat()) from None


def _lay_out(regimen: Regimen, line: Timeline, symbolic: bool,
             exact_drugs: frozenset[str]) -> Schedule:
    arm = line.arm
    warnings: list[RegimenWarning] = []
    doses: dict[Dose, ComputedDose] = {}
    # Administrations and their sort keys (see _key), in parallel lists: no tuple per row.
    rows: list[Administration] = []
    keys: list[int] = []
    spans: list[CourseSpan] = []
    excluded: list[tuple[Course, list[Administration], list[int]]] = []
    periods = len(line.periods)
    courses = 1 + max((len(p.courses) for p, _, _ in line.periods), default=0)
    unchecked, study_day = Administration._unchecked, _study_day
    zone = line.zone
    day_one, from_ordinal = line.start.toordinal(), date.fromordinal
    for period_index, (period, first, length) in enumerate(line.periods):
        for course_index, course in enumerate(period.courses):
            if course.arms is not None and arm not in course.arms:
                continue
            drug = regimen.drug(course.drug)
            slots, span_first, span_last = course.slots(first, length, line.start.weekday())
            spans.append(CourseSpan(period.id, course_index, course.drug,
                                    line.offset_date(span_first), line.offset_date(span_last),
                                    course.cycles if course.cycle else None))
            # Everything but the day, time, cycle and dose is the same for the whole course.
            route = human_route(course.route or drug.route)
            avoid = tuple(regimen.drug(d).name for d in course.no_same_day)
            computed_by_step: dict[int | None, ComputedDose] = {}
            made: list[Administration] = []
            made_keys: list[int] = []
            for offset, cycle, cycle_day, slot_time, step in slots:
                computed = computed_by_step.get(step)
                if computed is None:
                    dose = _step_dose(course, step)
                    if dose is None:
                        computed = _no_amount(course)
                    elif (symbolic and dose.basis is not Basis.FLAT
                          and course.drug not in exact_drugs):
                        computed = ComputedDose(None, human_dose_quantity(dose.quantity),
                                                "computed per participant", dose.basis, dose)
                    else:
                        if dose not in doses:
                            fresh = doses[dose] = compute_dose(dose, line.body)
                            warnings += fresh.warnings
                        computed = doses[dose]
                    computed_by_step[step] = computed
                day = from_ordinal(day_one + offset)  # in range: the span's ends were dated
                at = None
                wall = slot_time
                if slot_time is not None and zone is not None:
                    at, shifted = _local(day, slot_time, zone)
                    if shifted is not None:
                        warnings.append(shifted)
                    wall = at.time()
                admin = unchecked(study_day(offset), day, wall, at, period.id, course.drug,
                                  drug.name, route, course_index, cycle, cycle_day, computed,
                                  course.placebo, step, period.blinded, course.dose_note,
                                  avoid)
                made.append(admin)
                made_keys.append(_key(offset, wall, period_index, course_index, periods,
                                      courses))
            if course.not_on:
                excluded.append((course, made, made_keys))
            else:
                rows += made
                keys += made_keys
    # Same-day exclusions: a course skips days on which the named drugs are given by
    # courses without exclusions of their own, so the order of courses does not matter.
    given: dict[str, set[date]] = {}
    for a in rows:
        given.setdefault(a.drug, set()).add(a.date)
    for course, made, made_keys in excluded:
        blocked = set().union(*(given.get(d, set()) for d in course.not_on))
        for a, key in zip(made, made_keys, strict=True):
            if a.date not in blocked:
                rows.append(a)
                keys.append(key)
    _check_no_same_day(regimen, line, rows)
    order = sorted(range(len(rows)), key=keys.__getitem__)  # stable, as a sort of rows
    _plausibility(line.body.participant, warnings)
    return Schedule(
        regimen=regimen, arm=arm, start=line.start, participant=line.body.participant,
        tz=line.zone.key if line.zone is not None else None, bsa_formula=line.body.formula,
        bsa_decimals=line.body.bsa_decimals, periods=_period_spans(line), courses=tuple(spans),
        administrations=tuple([rows[i] for i in order]), visits=tuple(_visits(regimen, line)),
        warnings=tuple({str(w): w for w in warnings}.values()),
    )


def _check_no_same_day(regimen: Regimen, line: Timeline, rows: list[Administration]) -> None:
    """A drug that must not be given on a course's days may not be scheduled on them."""
    restricted = {(p.id, i): c for p, _, _ in line.periods for i, c in enumerate(p.courses)
                  if c.no_same_day}
    if not restricted:
        return
    by_date: dict[date, list[Administration]] = {}
    for a in rows:
        by_date.setdefault(a.date, []).append(a)
    for a in rows:
        course = restricted.get((a.period, a.course))
        if course is None:
            continue
        clash = next((b for b in by_date[a.date] if b.drug in course.no_same_day), None)
        if clash is not None:
            raise course.problem(f"{clash.drug_name} is scheduled on Study Day "
                           f"{a.study_day.value}, a {a.drug_name} day, which excludes it "
                           f"(no_same_day); give its course 'not_on: [{course.drug}]'",
                           code="same-day-clash")


#: Study days are immutable values: share one instance per offset.
_study_day = functools.lru_cache(maxsize=4096)(StudyDay.from_offset)

_DAY_US = 86_400_000_000


def _key(offset: int, at: time | None, period_index: int, course_index: int, periods: int,
         courses: int) -> int:
    """Sort key of an administration: by day, time (none first), period, course.

    The tuple (offset, at or time.min, period_index, course_index) as one int,
    in the same order: an int is not tracked by the garbage collector, and a
    schedule has hundreds of rows.
    """
    us = 0 if at is None else ((at.hour * 60 + at.minute) * 60 + at.second) * 1_000_000 + (
        at.microsecond)
    return ((offset * _DAY_US + us) * periods + period_index) * courses + course_index


def _no_amount(course: Course) -> ComputedDose:
    if course.placebo:
        return ComputedDose(None, "placebo", "matching placebo (no active drug)")
    note = course.dose_note
    return ComputedDose(None, "dose not stated in the regimen",
                        f"dose not stated in the regimen: {note}" if note else
                        "dose not stated in the regimen")


@exactly
def _plausibility(participant: Participant, warnings: list[RegimenWarning]) -> None:
    w, h = participant.weight_kg, participant.height_cm
    if w is not None and h is not None:
        bmi = w / (h / 100) ** 2
        if not 10 <= bmi <= 80:
            warnings.append(RegimenWarning(
                f"weight and height give a body-mass index of {bmi:.1f}, outside 10 to 80; "
                "check both measurements and their units"))


def _period_spans(line: Timeline) -> tuple[PeriodSpan, ...]:
    return tuple(
        PeriodSpan(p.id, p.label, StudyDay.from_offset(first),
                   StudyDay.from_offset(first + n - 1), line.offset_date(first),
                   line.offset_date(first + n - 1), Duration(n), p.blinded)
        for p, first, n in line.periods
    )


def _visits(regimen: Regimen, line: Timeline) -> Iterator[VisitOccurrence]:
    placed = {p.id: (first, n) for p, first, n in line.periods}
    found: list[tuple[int, int, VisitOccurrence]] = []
    for index, visit in enumerate(regimen.visits):
        if visit.arms is not None and line.arm not in visit.arms:
            continue
        anchor = visit.anchor
        if isinstance(anchor, PeriodAnchor):
            if anchor.period not in placed:
                continue  # the arm does not go through that period
            first, n = placed[anchor.period]
            offset = (first if anchor.at == "start" else first + n - 1 if anchor.at == "end"
                      else first + (anchor.day or 1) - 1)
        else:
            offset = StudyDay(anchor.day).offset
        day = line.offset_date(offset)
        before = visit.window.before.days if visit.window else 0
        after = visit.window.after.days if visit.window else 0
        inside = next((p for p, (f, n) in placed.items() if f <= offset < f + n), None)
        found.append((offset, index, VisitOccurrence(
            visit.id, visit.label, StudyDay.from_offset(offset), day,
            day - timedelta(days=before), day + timedelta(days=after), inside)))
    found.sort(key=lambda item: item[:2])
    for _, _, occurrence in found:
        yield occurrence
