"""Laying out courses on a resolved timeline: dated administrations with their doses.

Two steps, each a pure function of the last: :func:`resolve` fixes the
participant's timeline (period lengths, where Study Day 1 falls, body size,
time zone); :func:`expand` lays every course on it and computes each dose.
All date arithmetic is in whole days from Study Day 1; no clock is read.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import date
from itertools import repeat
from operator import add, itemgetter, mul
from typing import Any, TypeVar

from ..errors import RegimenError, RegimenWarning
from ..model import (
    PLAUSIBLE_BMI,
    Course,
    Dose,
    DoseLevel,
    HoursPattern,
    Participant,
    Regimen,
    bmi_text,
    implausible_bmi,
)
from ..quantities import Amount, Duration, exactly, human_route, shared_study_days
from ._administration import Administration, blank_administration
from ._bands import dated_by_birth
from ._calendar import move_administrations, move_visits
from ._columns import AdministrationColumns, Slot
from ._computed import ComputedDose
from ._course_dose import _course_dose, _dated, _step_dose
from ._layout_checks import _check_no_same_day, _check_received, _check_steps
from ._schedule import CourseSpan, PeriodSpan, Schedule, VisitOccurrence, lazy_schedule
from ._timeline import OUTSIDE_CALENDAR, Timeline, outside_calendar
from ._times import _DAY_US, _elapsed, _key, _place_times
from ._visits import _last_given, _visits

__all__ = ["OUTSIDE_CALENDAR", "expand"]


# Laying out courses ------------------------------------------------------------------


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
    # The rows are acyclic records, so the cyclic garbage collector has nothing to find
    # among them; left on, its passes over the ever larger set of live rows made a
    # 100-year daily expansion cost 1.6x per row what a 10-year one costs. Paused for the
    # expansion only, and restored (to its previous state) whatever happens.
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _lay_out(regimen, line, symbolic, exact_drugs)
    except OverflowError:
        option, given = line.start_option  # --anchor when Study Day 1 was placed from it
        shortened = line.shortened
        # A length given longer than the shortest is named only when the schedule would
        # have fitted with it at its shortest; else the date given placed it.
        raise outside_calendar(
            option, given, line.longer_lengths if shortened is not None else (),
            lambda periods: shortened is not None and fits(
                regimen, lambda: shortened(periods))) from None
    finally:
        if paused:
            gc.enable()


def fits(regimen: Regimen, line: Callable[[], Timeline]) -> bool:
    """Whether the schedule of the timeline ``line()`` makes lies inside the calendar
    (years 1 to 9999): resolved, laid out (its dates only: no dose computed) and dropped,
    for an out-of-calendar refusal to name what placed the date. Any other refusal on the
    way is no proof that it fits."""
    try:
        _lay_out(regimen, line(), True, frozenset())
    except (OverflowError, RegimenError):
        return False
    return True


def _lay_out(regimen: Regimen, line: Timeline, symbolic: bool,
             exact_drugs: frozenset[str], allow_bulk: bool = True) -> Schedule:
    """:func:`expand`'s work; ``allow_bulk=False`` takes the row by row path everywhere
    (the tests hold the two paths equal)."""
    arm = line.arm
    warnings: list[RegimenWarning] = list(line.warnings)
    doses: dict[tuple[Dose, DoseLevel | None, object, tuple[Amount, ...]],
                ComputedDose] = {}
    vialled: dict[tuple[ComputedDose, tuple[Amount, ...]], ComputedDose] = {}
    # Administrations and their sort keys (see _key), in parallel lists: no tuple per row.
    rows: list[Administration] = []
    keys: list[int] = []
    spans: list[CourseSpan] = []
    excluded: list[tuple[Course, list[Administration], list[int]]] = []
    held = 0  # administrations in excluded, counted towards MAX_ADMINISTRATIONS
    periods = len(line.periods)
    courses = 1 + max((len(p.courses) for p, _, _ in line.periods), default=0)
    # Study days are immutable values: one instance per day, shared by every expansion.
    study_day = shared_study_days(line.day_zero).__getitem__
    blank, new = blank_administration(), object.__new__
    zone = line.zone
    day_one, from_ordinal = line.start.toordinal(), date.fromordinal
    participant = line.body.participant
    # The bulk path (docs/performance.md): no row is made here, the schedule keeps each
    # course's slots, shared fields and dose per step, and makes its rows when they are
    # read. Taken only where every row is its slot and its step's dose, nothing more:
    # whatever moves, drops or re-times rows by their day (a site calendar, not_on,
    # no_same_day, times of day placed in a time zone, elapsed-hour intervals, doses
    # dated by a birth date) takes the row by row path.
    dated = {id(c): _dated(c, participant) for p, _, _ in line.periods for c in p.courses
             if c.arms is None or arm in c.arms}
    bulk = allow_bulk and line.calendar is None and not any(
        c.not_on or c.no_same_day or isinstance(c.pattern, HoursPattern)
        or (zone is not None and c.times) or dated[id(c)]
        for p, _, _ in line.periods for c in p.courses if c.arms is None or arm in c.arms)
    groups: list[tuple[dict[str, Any], dict[int | None, ComputedDose]]] = []
    laid: list[list[Slot]] = []  # each group's slots
    plain: list[bool] = []  # each group's: no cycle, no time (AdministrationColumns.plain)
    count = 0  # rows in groups
    last_given: dict[str, int] = {}  # the offset of each drug's last administration
    for period_index, (period, first, length) in enumerate(line.periods):
        for course_index, course in enumerate(period.courses):
            if course.arms is not None and arm not in course.arms:
                continue
            drug = regimen.drug(course.drug)
            slots, span_first, span_last = course.slots(
                first, length, line.start.weekday(), len(rows) + held + count,
                day_one=line.start)
            spans.append(CourseSpan(period.id, course_index, course.drug,
                                    line.offset_date(span_first), line.offset_date(span_last),
                                    course.cycles if course.cycle else None))
            # Everything but the day, time, cycle and dose is the same for the whole course.
            route = human_route(course.route or drug.route)
            avoid = tuple(regimen.drug(d).name for d in course.no_same_day)
            computed_by_step: dict[tuple[int | None, object], ComputedDose] = {}
            made: list[Administration] = []
            made_keys: list[int] = []
            level = (course.level(line.levels[course.drug])
                     if course.drug in line.levels and not course.unspecified
                     and not course.placebo else None)
            # The fields every administration of the course shares, in field order: each
            # row's instance dictionary is filled from it, then its day, time, cycle, step
            # and dose are set (one update and a few stores: far cheaper than the frozen
            # __init__, or a call with 19 arguments, per row).
            template = blank.copy()
            template.update(period=period.id, drug=course.drug, drug_name=drug.name,
                            route=route, course=course_index, placebo=course.placebo,
                            blinded=period.blinded, note=course.dose_note, avoid=avoid)
            # Sort keys (see _key): the day, then the time, then period and course.
            day_key, course_key = _DAY_US * periods * courses, period_index * courses + (
                course_index)
            timed = bool(course.times) or isinstance(course.pattern, HoursPattern)
            if not isinstance(course.pattern, HoursPattern) and not dated[id(course)]:
                # One dose per step (one for the whole course without steps), computed
                # in the order of the rows, at the first row of each step, as the row by
                # row loop below would compute it; every row of a step shares it.
                step_doses: dict[int | None, ComputedDose] = {}
                for slot in (slots[:1] if not course.steps else slots):
                    if slot[4] not in step_doses:
                        step_doses[slot[4]] = _course_dose(
                            regimen, course, slot[4], None, from_ordinal(day_one + slot[0]),
                            line, level, symbolic, exact_drugs, doses, vialled, warnings)
                made_keys = (
                    # offset * day_key + course_key for each slot, at C speed (map).
                    list(map(add, map(mul, map(_OFFSET, slots), repeat(day_key, len(slots))),
                             repeat(course_key, len(slots)))) if not timed else
                    [_key(s[0], s[3], period_index, course_index, periods, courses)
                     for s in slots])
                if bulk:
                    # Kept as columns: the schedule makes its rows when they are read.
                    _check_received(course, drug.name, slots, slots, line.start, length)
                    _check_steps(course, set(map(_STEP, slots)) if course.steps else set(),
                                 slots, line.start)
                    groups.append((template, step_doses))
                    # A slot has a cycle (and cycle day) only in a course with a cycle, and
                    # a time only from the course's times (elapsed hours take the other
                    # path).
                    plain.append(course.cycle is None and not course.times)
                    laid.append(slots)
                    keys += made_keys
                    count += len(slots)
                    if slots:
                        last = max(map(_OFFSET, slots))
                        if last > last_given.get(course.drug, last - 1):
                            last_given[course.drug] = last
                    continue
                made = AdministrationColumns(((template, step_doses),), (slots,), [],
                                             day_one, line.day_zero).group_rows(0)
            else:
                for offset, cycle, cycle_day, slot_time, step in slots:
                    day = from_ordinal(day_one + offset)  # in range: the span's ends were dated
                    # A dose whose derivation takes the age from a birth date names this
                    # date (and the band or GFR may change on a birthday): one computation
                    # per date. Keyed on less (the age), it would show the first date of
                    # that age.
                    age: object = (day if dated_by_birth(_step_dose(course, step),
                                                         line.body.participant) else None)
                    computed = computed_by_step.get((step, age))
                    if computed is None:
                        computed = computed_by_step[(step, age)] = _course_dose(
                            regimen, course, step, age, day, line, level, symbolic,
                            exact_drugs, doses, vialled, warnings)
                    admin = new(Administration)
                    fields = admin.__dict__
                    fields.update(template)
                    fields["study_day"] = study_day(offset)
                    fields["date"] = day
                    fields["time"] = slot_time
                    fields["cycle"] = cycle
                    fields["cycle_day"] = cycle_day
                    fields["dose"] = computed
                    fields["step"] = step
                    made.append(admin)
                    made_keys.append(_key(offset, slot_time, period_index, course_index,
                                          periods, courses))
            if isinstance(course.pattern, HoursPattern) and made:
                _elapsed(course.pattern, made, made_keys, line, warnings,
                         (period_index, course_index, periods, courses))
            if course.not_on:
                excluded.append((course, made, made_keys))
                held += len(made)
            else:
                _check_received(course, drug.name, made, made, line.start, length)
                _check_steps(course, {a.step for a in made}, made, line.start)
                rows += made
                keys += made_keys
    # Same-day exclusions: a course skips days on which the named drugs are given by
    # courses without exclusions of their own, so the order of courses does not matter.
    given: dict[str, set[date]] = {}
    for a in rows if excluded else ():
        given.setdefault(a.drug, set()).add(a.date)
    for course, made, made_keys in excluded:
        blocked = set().union(*(given.get(d, set()) for d in course.not_on))
        kept = [i for i, a in enumerate(made) if a.date not in blocked]
        _check_received(course, regimen.drug(course.drug).name, [made[i] for i in kept], made,
                        line.start, None)
        _check_steps(course, {made[i].step for i in kept}, made, line.start)
        rows += [made[i] for i in kept]
        keys += [made_keys[i] for i in kept]
    if bulk:
        columns = AdministrationColumns(
            tuple(groups), tuple(laid),
            sorted(range(count), key=keys.__getitem__),  # stable, as a sort of rows
            day_one, line.day_zero, tuple(plain))
        visits = list(_visits(regimen, line, last_given))
        _plausibility(participant, warnings)
        return lazy_schedule(columns, **_schedule_fields(regimen, line, spans, visits,
                                                         warnings))
    if line.calendar is not None:
        # After the exclusions (what is given is what moves), before the instants.
        move_administrations(line.calendar, regimen, line, rows, keys,
                             _DAY_US * periods * courses, warnings)
    _check_no_same_day(regimen, line, rows)
    if zone is not None:
        # Instants after the exclusions: only what is given can collide or overtake.
        _place_times(rows, zone, warnings)
    order = sorted(range(len(rows)), key=keys.__getitem__)  # stable, as a sort of rows
    visits = list(_visits(regimen, line, _last_given(regimen, rows, line)))
    if line.calendar is not None:
        visits = move_visits(line.calendar, visits, line, warnings)
    _plausibility(participant, warnings)
    return Schedule(administrations=_in_order(rows, order),
                    **_schedule_fields(regimen, line, spans, visits, warnings))


def _schedule_fields(regimen: Regimen, line: Timeline, spans: list[CourseSpan],
                     visits: list[VisitOccurrence], warnings: list[RegimenWarning]
                     ) -> dict[str, Any]:
    """Every field of the schedule but its administrations."""
    return {
        "regimen": regimen, "arm": line.arm, "start": line.start,
        "participant": line.body.participant,
        "tz": line.zone.key if line.zone is not None else None,
        "bsa_formula": line.body.formula, "bsa_decimals": line.body.bsa_decimals,
        "periods": _period_spans(line), "courses": tuple(spans), "visits": tuple(visits),
        "warnings": tuple({str(w): w for w in warnings}.values()), "calendar": line.calendar,
        "anchor": line.anchor, "lengths_assumed": line.lengths_assumed,
        "lengths_assumed_before": line.lengths_assumed_before}


_T = TypeVar("_T")


def _in_order(rows: list[_T], order: list[int]) -> tuple[_T, ...]:
    """``tuple(rows[i] for i in order)``, taken at C speed (operator.itemgetter)."""
    if len(order) < 2:
        return tuple([rows[i] for i in order])
    taken: tuple[_T, ...] = itemgetter(*order)(rows)
    return taken


_OFFSET, _STEP = itemgetter(0), itemgetter(4)  # a slot's offset and step index


@exactly
def _plausibility(participant: Participant, warnings: list[RegimenWarning]) -> None:
    w, h = participant.weight_kg, participant.height_cm
    if w is not None and h is not None:
        bmi = implausible_bmi(w, h)
        if bmi is not None:
            low, high = PLAUSIBLE_BMI
            warning = RegimenWarning(
                f"weight and height give a body-mass index of "
                f"{bmi_text(bmi, low if bmi < low else high)}, outside {low} to {high}; "
                "check both measurements and their units")
            warning.blind_safe = True  # about the participant, whatever the arm
            warnings.append(warning)


def _period_spans(line: Timeline) -> tuple[PeriodSpan, ...]:
    return tuple(
        PeriodSpan(p.id, p.label, line.study_day(first),
                   line.study_day(first + n - 1), line.offset_date(first),
                   line.offset_date(first + n - 1), Duration(n), p.blinded)
        for p, first, n in line.periods
        if n  # a period of a range from 0 days, left out for this participant, has no span
    )
