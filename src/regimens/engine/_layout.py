"""Laying out courses on a resolved timeline: dated administrations with their doses.

Two steps, each a pure function of the last: :func:`resolve` fixes the
participant's timeline (period lengths, where Study Day 1 falls, body size,
time zone); :func:`expand` lays every course on it and computes each dose.
All date arithmetic is in whole days from Study Day 1; no clock is read.
"""

from __future__ import annotations

import gc
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import repeat
from operator import add, itemgetter, mul
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from ..errors import (
    ExpandOptionError,
    InvalidRegimenError,
    Problem,
    RegimenWarning,
    TimeShiftWarning,
)
from ..model import (
    BLINDED_VISIT,
    PLAUSIBLE_BMI,
    AfterLastAnchor,
    Course,
    Dose,
    DoseLevel,
    HoursPattern,
    MonthAnchor,
    Participant,
    PeriodAnchor,
    Regimen,
    RepeatAnchor,
    StudyDayAnchor,
    Visit,
    implausible_bmi,
)
from ..quantities import (
    Amount,
    Basis,
    Duration,
    Months,
    StudyDay,
    exactly,
    human_dose_quantity,
    human_route,
    least_waste_vials,
    shared_study_days,
)
from ._bands import banded_text, dated_by_birth
from ._calendar import move_administrations, move_visits
from ._computed import ComputedDose
from ._dose import compute_dose, symbolic_level
from ._schedule import (
    Administration,
    AdministrationColumns,
    CourseSpan,
    PeriodSpan,
    Schedule,
    Slot,
    VisitOccurrence,
    blank_administration,
    lazy_schedule,
)
from ._timeline import OUTSIDE_CALENDAR, Timeline

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = ["OUTSIDE_CALENDAR", "expand"]


# Laying out courses ------------------------------------------------------------------


def _step_dose(course: Course, step: int | None) -> Dose | None:
    if course.dose is not None:
        return course.dose
    if step is not None:
        return course.steps[step].dose
    return None


def _place_times(rows: list[Administration], zone: ZoneInfo,
                 warnings: list[RegimenWarning]) -> None:
    """Give every timed administration its instant in ``zone`` (in place).

    The rule (docs/format.md, "Times of day"): a written time that does not exist
    (clocks move forward) is read with the UTC offset before the gap, so it moves
    forward by the gap's length (RFC 5545 §3.3.5); an ambiguous time (clocks move
    back) is its first occurrence (fold=0, also §3.3.5). A later time of the same
    date that a moved one would reach or pass moves by the same length, so the day
    keeps its order and spacing (a premedication written for 02:30 stays 30
    minutes before an infusion written for 03:00): distinct written moments keep
    distinct instants, in the written order. A move that would reach a time
    written for another date (a whole skipped day, as Pacific/Apia on
    2011-12-30) has no safe place and is refused. Each moved administration gets
    its own warning, in the order of the written moments, then by drug name.

    Raises ExpandOptionError ("tz") when no safe move exists.
    """
    # Rows placed already (elapsed-hour intervals, see _elapsed) keep their instant.
    moments = sorted({(a.date, a.time) for a in rows if a.time is not None and a.at is None},
                     key=lambda m: (m[0], m[1] or time.min))
    placed: dict[tuple[date, time], datetime] = {}
    reasons: dict[tuple[date, time], str] = {}
    last: tuple[date, time, datetime] | None = None  # the previous moment and its instant
    block: tuple[date, timedelta] | None = None  # date and UTC offset of the moved run
    for day, written in moments:
        wall = datetime.combine(day, written, tzinfo=zone)
        instant = wall.astimezone(UTC)
        local = instant.astimezone(zone)
        if local.replace(tzinfo=None) != wall.replace(tzinfo=None):
            offset = wall.utcoffset()
            assert offset is not None
            block = (day, offset)
            reasons[(day, written)] = (
                f"{written:%H:%M} does not exist on {day.isoformat()} in {zone.key} "
                + ("(the date was skipped)" if local.date() != day else
                   "(clocks move forward)"))
        elif last is not None and instant <= last[2]:
            if block is not None and block[0] == day:
                # Read with the offset before the gap, as the moved times were.
                instant = (datetime.combine(day, written) - block[1]).replace(tzinfo=UTC)
                local = instant.astimezone(zone)
            if block is None or block[0] != day or instant <= last[2]:
                raise _no_safe_move(rows, last, (day, written), zone)
            reasons[(day, written)] = (
                f"{written:%H:%M} on {day.isoformat()} in {zone.key} moves with the earlier "
                "times moved out of the gap (clocks move forward), to stay after them")
        placed[(day, written)] = local
        last = (day, written, instant)
    moved: list[tuple[tuple[date, time, str, int], Administration]] = []
    for i, a in enumerate(rows):
        if a.time is None or a.at is not None:
            continue
        key = (a.date, a.time)
        local = placed[key]
        # A copy of the frozen record with its instant (the fast path: replace() would
        # run the frozen __init__ for every timed row).
        fields = dict(a.__dict__)
        fields["at"] = local
        if key in reasons:
            fields["time"] = local.time()
            moved.append(((a.date, a.time, a.drug_name, a.study_day.value), a))
        rows[i] = Administration._unchecked(*fields.values())
    # One warning per moved administration, in the order of the written moments and by
    # drug name, never by course: every arm of a blinded design lists them alike.
    for (day, written, name, study_day), _ in sorted(moved, key=lambda item: item[0]):
        local = placed[(day, written)]
        where = f" on {local.date().isoformat()}" if local.date() != day else ""
        warnings.append(TimeShiftWarning(
            f"{name}, Study Day {study_day}: {reasons[(day, written)]}; the administration "
            f"is at {local:%H:%M}{where} local time"))


def _elapsed(pattern: HoursPattern, made: list[Administration], made_keys: list[int],
             line: Timeline, warnings: list[RegimenWarning],
             where: tuple[int, int, int, int]) -> None:
    """Place a course of elapsed-hour intervals in the time zone (in place).

    Each window (cycle, or the span) starts on its day 1 at ``at`` local time (read as
    any written time is, docs/format.md "Times of day"); each later administration is
    that many hours of elapsed time after it, so a clock change in between shifts its
    local time (and, near midnight, its date and Study Day) by the change. Without a
    time zone the moments are wall times counted as if no clock changed, and a warning
    says so.
    """
    first = made[0]
    name = f"{first.drug_name}, every {pattern.every} from {pattern.at:%H:%M}"
    zone = line.zone
    if zone is None:
        warning = TimeShiftWarning(
            f"{name}: the interval is elapsed time, counted here as if no clock change "
            "falls in the course (no time zone given); give the time zone (--tz) to place "
            "the administrations across a clock change")
        warnings.append(warning)
        return
    day_one = line.start
    shifted: tuple[Administration, datetime] | None = None
    base: tuple[int | None, datetime, datetime] | None = None  # cycle, wall and instant
    for i, a in enumerate(made):
        assert a.time is not None  # every moment of the pattern has a time
        wall = datetime.combine(a.date, a.time)
        if base is None or base[0] != a.cycle:
            base = (a.cycle, wall, wall.replace(tzinfo=zone).astimezone(UTC))
        local = (base[2] + (wall - base[1])).astimezone(zone)
        if shifted is None and local.replace(tzinfo=None) != wall:
            shifted = (a, local)
        fields = dict(a.__dict__)
        offset = (local.date() - day_one).days
        fields.update(study_day=StudyDay.from_offset(offset), date=local.date(),
                      time=local.time(), at=local)
        made[i] = Administration._unchecked(*fields.values())
        made_keys[i] = _key(offset, local.time(), *where)
    if shifted is not None:
        a, local = shifted
        where_on = f" on {local.date().isoformat()}" if local.date() != a.date else ""
        warnings.append(TimeShiftWarning(
            f"{name}: the interval is elapsed time and the clocks change in {zone.key} during "
            f"the course: the administration of Study Day {a.study_day.value} counted for "
            f"{a.time:%H:%M} is at {local:%H:%M}{where_on} local time, and those after it "
            "shift with it"))


def _no_safe_move(rows: list[Administration], last: tuple[date, time, datetime],
                  reached: tuple[date, time], zone: ZoneInfo) -> ExpandOptionError:
    def names(day: date, at: time) -> str:
        return " and ".join(sorted({a.drug_name for a in rows
                                    if a.date == day and a.time == at}))

    moved = last[2].astimezone(zone)
    return ExpandOptionError(
        "tz", f"in {zone.key}, {names(last[0], last[1])} written for {last[1]:%H:%M} on "
        f"{last[0].isoformat()} would move to {moved:%H:%M} on {moved.date().isoformat()} "
        "(clocks move forward), reaching "
        f"{names(*reached)} written for {reached[1]:%H:%M} on {reached[0].isoformat()}: no "
        "move keeps the administrations in order; change the start date, or the times of "
        "the courses on those days")




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
        raise ExpandOptionError("start", OUTSIDE_CALENDAR, line.start.isoformat()) from None
    finally:
        if paused:
            gc.enable()


def _lay_out(regimen: Regimen, line: Timeline, symbolic: bool,
             exact_drugs: frozenset[str], allow_bulk: bool = True) -> Schedule:
    """:func:`expand`'s work; ``allow_bulk=False`` takes the row by row path everywhere
    (the tests hold the two paths equal)."""
    arm = line.arm
    warnings: list[RegimenWarning] = []
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
        "warnings": tuple({str(w): w for w in warnings}.values()), "calendar": line.calendar}


def _dated(course: Course, participant: Participant) -> bool:
    """Whether a dose of the course (of any of its steps) depends on the date given."""
    steps: list[int | None] = list(range(len(course.steps))) or [None]
    return any(dated_by_birth(_step_dose(course, step), participant) for step in steps)


def _last_given(regimen: Regimen, rows: list[Administration], line: Timeline
                ) -> dict[str, int]:
    """The offset from Study Day 1 of each drug's last administration (only when a visit
    follows one: otherwise no pass over every row)."""
    last_given: dict[str, int] = {}
    day_one = line.start.toordinal()
    after_last = any(isinstance(v.anchor, AfterLastAnchor) for v in regimen.visits)
    for a in rows if after_last else ():
        offset = a.date.toordinal() - day_one
        if offset > last_given.get(a.drug, offset - 1):
            last_given[a.drug] = offset
    return last_given


_T = TypeVar("_T")


def _in_order(rows: list[_T], order: list[int]) -> tuple[_T, ...]:
    """``tuple(rows[i] for i in order)``, taken at C speed (operator.itemgetter)."""
    if len(order) < 2:
        return tuple([rows[i] for i in order])
    taken: tuple[_T, ...] = itemgetter(*order)(rows)
    return taken


_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                  "Sunday")


def _check_received(course: Course, drug_name: str, kept: Sequence[object],
                    made: Sequence[object], start: date, length: int | None) -> None:
    """A course gives the participant at least one administration.

    A course that none reaches (every day skipped by ``not_on``, or its only cycle cut
    short before its first day) would leave a drug of the protocol out without a word.
    Refused, like a step that no administration receives. ``length``: the days of the
    period at the length chosen (for the message), or None after ``not_on``.
    """
    if kept or (not made and course.date_dependent):
        # A weekday course may miss a short span for some starts only: that depends on
        # the participant, not on the protocol's text, and is left to the schedule.
        return
    if made:
        why = (f"not_on ({', '.join(course.not_on)}) skips every day it falls on; change "
               "the course's days or its not_on")
    else:
        why = ("none of its days falls within its span"
               + (f" (the period has {length} day{'s' if length != 1 else ''})"
                  if length is not None else "")
               + "; change the course's days, cycle or start, or the period's length")
    what = ("placebo" if course.placebo else
            human_dose_quantity(course.dose.quantity) if course.dose is not None else "")
    raise course.problem(
        f"no administration receives this course{f' ({what})' if what else ''}, so the "
        f"participant would never be given {drug_name}: {why}",
        code="course-without-administrations")


def _check_steps(course: Course, kept: set[int | None], made: Sequence[object],
                 start: date) -> None:
    """Every step of a course reaches the participant.

    A step that no administration receives (every day of it skipped by ``not_on``, or
    none of its days in this participant's schedule) would silently start the
    participant on the next step's dose: an escalation or a loading dose skipped.
    Refused, like steps by administrations that do not cover the course.
    """
    if not course.steps:
        return
    for index, step in enumerate(course.steps):
        if index in kept:
            continue
        if course.not_on and any(getattr(a, "step", None) == index for a in made):
            why = (f"not_on ({', '.join(course.not_on)}) skips every day it falls on; "
                   "change the step's days or cycles, or the course's not_on")
        elif course.in_months:
            why = (f"with Study Day 1 on {start.isoformat()}, none of its days falls within "
                   "the course, whose cycles in calendar months are 28 to 31 days long; "
                   "change the step's cycles or the course's length, or give 'cycles'")
        elif course.date_dependent:
            why = (f"with Study Day 1 on a {_WEEKDAY_NAMES[start.weekday()]}, none of its "
                   "days falls on the course's weekdays; change the step's cycles, the cycle "
                   "length or the weekdays")
        else:  # not reached today (the format and the model check first): be safe anyway
            why = "none of its days falls within the course; change the step's days or cycles"
        file, line, loc = course.where
        reached = ("the participant would start on the next step's dose" if index == 0 else
                   "the participant would go on to the next step's dose"
                   if index + 1 < len(course.steps) else
                   "the course would end before it")
        raise InvalidRegimenError([Problem(
            file, line, (*loc, "steps", index),
            f"no administration receives this step ({human_dose_quantity(step.dose.quantity)}), "
            f"so {reached}: {why}", code="step-without-administrations")])


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


_DAY_US = 86_400_000_000
_OFFSET, _STEP = itemgetter(0), itemgetter(4)  # a slot's offset and step index


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


def _with_vials(computed: ComputedDose, vials: tuple[Amount, ...],
                memo: dict[tuple[ComputedDose, tuple[Amount, ...]], ComputedDose]
                ) -> ComputedDose:
    """``computed`` with the whole vials that make it up (the vial rule), once per dose."""
    key = (computed, vials)
    found = memo.get(key)
    if found is None:
        assert computed.amount is not None
        found = memo[key] = replace(computed, vials=least_waste_vials(computed.amount, vials))
    return found


def _course_dose(regimen: Regimen, course: Course, step: int | None, age: object, day: date,
                 line: Timeline, level: DoseLevel | None, symbolic: bool,
                 exact_drugs: frozenset[str],
                 doses: dict[tuple[Dose, DoseLevel | None, object, tuple[Amount, ...]],
                             ComputedDose],
                 vialled: dict[tuple[ComputedDose, tuple[Amount, ...]], ComputedDose],
                 warnings: list[RegimenWarning]) -> ComputedDose:
    """The dose of a course's ``step`` (at ``age``, on ``day``), once per distinct dose:
    ``doses`` and ``vialled`` hold what the expansion computed already, and a dose's
    warnings are added to ``warnings`` when it is first computed."""
    dose = _step_dose(course, step)
    vials = regimen.drug(course.drug).vials
    if dose is None:
        computed = _no_amount(course)
    elif symbolic and dose.bands and course.drug not in exact_drugs:
        # No participant, no band: the amount is not fixed (check's
        # totals say "not fixed"; with a participant they are exact).
        computed = ComputedDose(None, banded_text(dose),
                                "chosen per participant by band", None, None)
    elif (symbolic and dose.basis is not Basis.FLAT
          and course.drug not in exact_drugs):
        text, per = human_dose_quantity(dose.quantity), dose
        if level is not None:
            per, text = symbolic_level(dose, level)
        computed = ComputedDose(None, text, "computed per participant",
                                dose.basis, per)
    else:
        strength = regimen.drug(course.drug).strength
        if strength is not None:
            # Counts the dose in its form; converts a round in tablets (0.5 x 500 mg).
            dose = replace(dose, strength=strength)
        # Everything the derivation depends on: the drug's vials too (round: {to_vial:
        # true}); two drugs may share a Dose.
        key = (dose, level, age, vials)
        if key not in doses:
            fresh = doses[key] = compute_dose(dose, line.body, level, day, vials)
            warnings += fresh.warnings
        computed = doses[key]
    if vials and computed.amount is not None:
        computed = _with_vials(computed, vials, vialled)
    return computed


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
        bmi = implausible_bmi(w, h)
        if bmi is not None:
            low, high = PLAUSIBLE_BMI
            warning = RegimenWarning(
                f"weight and height give a body-mass index of {bmi:.1f}, outside {low} to "
                f"{high}; check both measurements and their units")
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


def _targets(regimen: Regimen, line: Timeline, visit: Visit,
             last_given: dict[str, int]) -> list[tuple[int, str, str]]:
    """The target offsets of one visit on this participant's timeline, with the id and
    label of each occurrence: none when the arm does not go through its period (or
    receive its course or drug), several for a repeating visit."""
    anchor = visit.anchor
    placed = {p.id: (first, n) for p, first, n in line.periods}
    if isinstance(anchor, StudyDayAnchor):
        return [(StudyDay(anchor.day, regimen.day_zero).offset, visit.id, visit.label)]
    if isinstance(anchor, PeriodAnchor):
        if anchor.period not in placed:
            return []  # the arm does not go through that period
        first, n = placed[anchor.period]
        offset = (first if anchor.at == "start" else first + n - 1 if anchor.at == "end"
                  else first + (anchor.day or 1) - 1)
        return [(offset, visit.id, visit.label)]
    if isinstance(anchor, RepeatAnchor):
        if anchor.period not in placed:
            return []
        first, n = placed[anchor.period]
        step = anchor.every.days
        # First day + k x every, k = 1, 2, ..., while inside the period as chosen.
        return [(first + k * step, f"{visit.id}-{k}", f"{visit.label} {k}" if visit.label else "")
                for k in range(1, (n - 1) // step + 1)]
    if isinstance(anchor, MonthAnchor):
        # The date of Study Day 1 (Day 0) + N calendar months, from that date.
        reached = Months(anchor.months).after(line.start)
        return [((reached - line.start).days, visit.id, visit.label)]
    if isinstance(anchor, AfterLastAnchor):
        last = last_given.get(anchor.drug)
        if last is None:
            return []  # no administration of the drug on this schedule
        return [(last + anchor.offset.days, visit.id, visit.label)]
    for period, first, _ in line.periods:
        for course in period.courses:
            if course.id != anchor.course:
                continue
            if course.arms is not None and line.arm not in course.arms:
                return []
            assert course.cycle is not None  # the regimen checks it
            k = anchor.cycle - course.first_cycle + 1  # the course's k-th cycle
            offset = first + course.start - 1 + (k - 1) * course.cycle.days + anchor.day - 1
            return [(offset, visit.id, visit.label)]
    return []  # the course's period is not on this arm's path


def _visits(regimen: Regimen, line: Timeline,
            last_given: dict[str, int]) -> Iterator[VisitOccurrence]:
    """The visits, with ``last_given``: the offset of each drug's last administration."""
    placed = {p.id: (first, n) for p, first, n in line.periods}
    blinded = {p.id: p.blinded for p, _, _ in line.periods}
    found: list[tuple[int, int, int, VisitOccurrence]] = []
    for index, visit in enumerate(regimen.visits):
        before = visit.window.before.days if visit.window else 0
        after = visit.window.after.days if visit.window else 0
        for number, (offset, visit_id, label) in enumerate(
                _targets(regimen, line, visit, last_given)):
            day = line.offset_date(offset)
            inside = next((p for p, (f, n) in placed.items() if f <= offset < f + n), None)
            if visit.arms is not None and inside is not None and blinded.get(inside):
                # A visit only some arms have would tell a blinded calendar which arm this is.
                through = [a.id for a in regimen.arms
                           if a.periods is None or inside in a.periods]
                lacking = [a for a in through if a not in visit.arms]
                if lacking and len(lacking) < len(through):
                    raise InvalidRegimenError([Problem(
                        regimen.origin or "<Regimen>", None, ("visits", index, "arms"),
                        BLINDED_VISIT + f" (not for: {', '.join(lacking)}; its "
                        f"{line.study_day(offset)} falls in period {inside!r})",
                        list(visit.arms), code="blinded-visit-arms")])
            if visit.arms is not None and line.arm not in visit.arms:
                continue
            found.append((offset, index, number, VisitOccurrence(
                visit_id, label, line.study_day(offset), day,
                day - timedelta(days=before), day + timedelta(days=after), inside)))
    found.sort(key=lambda item: item[:3])
    for *_, occurrence in found:
        yield occurrence
