"""Replaying a participant's record over the plan: what was given, and what comes next.

:func:`replay` is a pure function of the planned schedule (the regimen expanded for the
participant) and the record: no clock is read, and "today" is nowhere: an administration
no row speaks of stays ``planned``, whether its date is past or to come. The steps, each
on the result of the last (docs/record.md, "Replay"):

1. moves of structure: ``delay`` rows (three scopes), in the order of the cycles they
   delay, then ``move`` rows; later cycles follow the course's ``on_delay`` policy
   (``shift``: they move by exactly the delay; ``keep``: they stay on the grid, and the
   delayed cycle's doses that run into the next cycle's start are cancelled); with a site
   calendar, clinic work a delay carried onto a closed day moves again by the plan's rule
   (a delay moves work from the day it was due, not the day the plan's calendar chose),
   and the date a row names itself is kept (a ``ClosedDayWarning``);
2. what happened to each dose: ``given`` rows fulfil the administration planned that day
   (or the one named by ``cycle`` and ``day``), ``missed`` rows mark one missed (made up
   after the course's last dose under ``missed: make_up``);
3. ``hold``/``resume`` and ``stop`` mark the doses still planned in their span;
4. visits anchored to a delayed cycle move with it; visits after a drug's last dose
   follow its last dose that happens; with a site calendar, both are placed by the plan's
   rule (off a closed day, within their window), as the administrations are.

A row that names nothing (a cycle the drug does not have) is an error naming its file,
line and field; a ``given`` row that fulfils no planned administration is kept (a dose
was given) and reported as a protocol deviation. No row is ever silently left out.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from ..engine import Administration, BodySize, ComputedDose, Replayed, Schedule, Timeline
from ..engine import expand as expand_plan
from ..errors import (
    ClosedDayWarning,
    CumulativeDoseWarning,
    DoseError,
    ExpandOptionTypeError,
    ImplausibleMeasurementWarning,
    InvalidRecordError,
    InvalidRegimenError,
    ParticipantError,
    Problem,
    RegimenWarning,
)
from ..model import Regimen
from ..quantities import Basis, StudyDay
from ._body_used import BodyUsed, measured_text
from ._check import check_record
from ._cumulative import CumulativeEntry, cumulative_flags, limit_not_checked, unsized_limits
from ._dosing import Dosing
from ._model import EventKind, RecordRow
from ._plausible import ImplausibleMeasurement, implausible_measurements
from ._record import Record
from ._replay_doses import _DoseChanges
from ._replay_holds import _Holds
from ._replay_makeup import _MakeUps
from ._replay_moves import _Moves
from ._replay_state import _S, _SCALED, _problem, _Row
from ._row_words import reduction_text
from ._summary import Outcome, found_deviations, summarize

__all__ = ["expand_with_record", "history", "planned_limits", "replay"]


class _Replay(_Moves, _MakeUps, _Holds, _DoseChanges):
    """One replay: its state (:class:`_ReplayState`), its steps (the moves, what happened
    to each dose, the dose changes) and its result."""

    # The result ------------------------------------------------------------------------
    def outcomes(self, due: dict[int, date], dosing: Dosing | None) -> list[Outcome]:
        """What became of each planned administration, for the summary, with the body size
        each amount was computed from (the RDI's basis: docs/record.md, "Summary"; no
        sizes without ``dosing``, for the deviations alone)."""
        out = []
        planned_sizes: dict[tuple[str, int, int | None, date], Decimal | None] = {}
        for r in self.rows + self.extra:
            planned = r.plan.dose.amount if id(r) in due else None
            basis = r.plan.dose.basis or Basis.FLAT
            planned_size = size = None
            if basis in _SCALED and dosing is not None:
                # The plan's amount: computed from the body at enrolment on its planned
                # date (a per-m2 dose's BSA is the same every day; an AUC dose's GFR from
                # an age is not).
                key = (r.plan.period, r.plan.course, r.plan.step, r.plan.date)
                if key not in planned_sizes:
                    planned_sizes[key] = dosing.size(r.plan, self.schedule.participant,
                                                     basis, r.plan.date)
                planned_size = planned_sizes[key]
                size = self.given_size(r, dosing, basis)
            out.append(Outcome(r.plan.drug, r.plan.period, r.plan.course, r.plan.cycle,
                               r.status.value, r.plan.date, r.date, planned,
                               (r.dose or r.plan.dose).amount, r.line, due.get(id(r)),
                               unplanned=r.unplanned, basis=basis,
                               planned_size=planned_size, size=size,
                               placebo=r.plan.placebo))
        return out

    def given_size(self, r: _Row, dosing: Dosing, basis: Basis) -> Decimal | None:
        """The body size the amount of ``r`` (given, or now planned) was computed from: the
        body in effect on its day after the record's measurements (as the dose changes
        found it); None unless its dose is on ``basis`` too, or for a dose not given."""
        if r.status not in (_S.GIVEN, _S.PLANNED):
            return None
        change = r.change
        if change is None:
            # A dose the replay did not recompute (a make-up, a dose fulfilling no planned
            # one): its size if it can be found; else the RDI falls back to amounts.
            try:
                change = dosing.dose(r.plan, r.date, as_of=r.date)
            except (ParticipantError, DoseError, InvalidRegimenError):
                return None
        dose = r.dose or change.dose
        if dose.basis is not basis:
            return None
        return dosing.size(r.plan, change.body.participant, basis, r.date)

    def administration(self, r: _Row) -> Administration:
        a = r.plan
        zone = ZoneInfo(self.schedule.tz) if self.schedule.tz else None
        when = r.time_given if r.time_given is not None else a.time
        at = a.at
        if r.date != a.date or when != a.time:
            at = None
            if zone is not None and when is not None:
                wall = datetime.combine(r.date, when)
                at = wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
        planned_date = a.planned_date or (a.date if r.date != a.date else None)
        planned_dose = a.dose if r.dose is not None else None
        if r.unplanned:
            # Nothing was planned: no planned amount (not the nearest planned dose's).
            planned_dose = ComputedDose(None, "not planned", "no planned administration",
                                        a.dose.basis, a.dose.per_basis)
        return dataclasses.replace(
            a, date=r.date, time=when, at=at,
            study_day=StudyDay.from_offset((r.date - self.schedule.start).days,
                                           self.regimen.day_zero)
            if r.date != a.date else a.study_day,
            planned_date=None if r.unplanned else planned_date, dose=r.dose or a.dose,
            planned_dose=planned_dose, status=r.status,
            record_note="; ".join(r.notes), revision=r.revision, unplanned=r.unplanned,
            revising_note=r.revising_note,
            calendar_note=a.calendar_note if r.calendar_note is None else r.calendar_note,
            # Its identity, whatever the record says of it (a UID is made from it).
            plan=None if r.unplanned else a)


#: What ``record`` is, in the message refusing another value.
_A_RECORD = "a Record (regimens.record.Record), as read from the participant's record file"


def replay(schedule: Schedule, record: Record,
           levels: Mapping[str, int] | None = None, *,
           memo: dict[object, object] | None = None, with_summary: bool = True) -> Schedule:
    """The schedule as the participant's record makes it (docs/record.md, "Replay").

    ``schedule``: the plan (the regimen expanded for the participant, without a record);
    ``record``: the participant's :class:`Record`. Every administration gets its status
    (given, planned, missed, held, cancelled, stopped), its date (the day given, or the
    day now planned), its planned date and dose when they changed, and a note naming the
    record's lines; ``schedule.replayed`` lists the changes in date order and the
    protocol deviations (a delay over ``max_delay``, a dose moved or given later than
    that after its day, a dose given on no planned administration, or after a stop or
    hold). An empty record (no rows) gives the plan
    itself, so every output keeps its bytes. ``memo``: as :class:`Dosing` takes it (the
    doses of replays of one plan, computed once). ``with_summary`` False leaves the summary
    out (``replayed.summary`` None, and no warnings about the record's measurements): the
    administrations, visits, changes and deviations are the same, sooner.

    Raises:
        InvalidRecordError: a row that names nothing on this schedule (an unknown drug,
            cycle or cycle day), a delay that does not move its cycle later, a dose both
            given and missed, a resume without a hold; each with the record's file,
            line and field. Rows that would move a date past 9999-12-31 (the delay or
            the missed dose named when it is theirs, else the record).
        ExpandOptionTypeError: ``schedule`` is not a :class:`Schedule` or ``record`` not a
            :class:`Record`.
    """
    if not isinstance(schedule, Schedule):
        raise ExpandOptionTypeError("schedule", "the plan, a Schedule (regimen.expand(...) "
                                    "without a record)", schedule)
    if not isinstance(record, Record):
        raise ExpandOptionTypeError("record", _A_RECORD, record)
    try:
        return _replay(schedule, record, levels, memo=memo, with_summary=with_summary)
    except OverflowError:
        # A date moved past the calendar's last day by none of the rows the replay names
        # itself (a visit after a drug's last dose, moved with it): the record is named.
        raise InvalidRecordError([Problem(
            record.source, None, (), "the record's rows would move a date of the schedule past "
            "9999-12-31, the last day of the calendar (years 1 to 9999)",
            code="record-outside-calendar")]) from None


def _replay(schedule: Schedule, record: Record, levels: Mapping[str, int] | None, *,
            memo: dict[object, object] | None, with_summary: bool) -> Schedule:
    """:func:`replay`'s work."""
    if not record.rows:
        # Nothing happened yet: the plan, byte for byte in every output.
        return schedule
    # The plan's own cumulative flags (planned_limits) are recomputed below over what was
    # given and what is planned: never both.
    schedule = dataclasses.replace(schedule, warnings=tuple(
        w for w in schedule.warnings if not isinstance(w, CumulativeDoseWarning)))
    state = _Replay(schedule, record)
    rows = record.effective()
    by_kind: dict[EventKind, list[RecordRow]] = {}
    for row in rows:
        by_kind.setdefault(row.event, []).append(row)
    # Reductions and measurements are checked first (a re-escalation the policy forbids).
    dosing = Dosing(schedule, record, levels, memo=memo)

    def order(row: RecordRow) -> tuple[object, ...]:
        return (row.cycle or 0, row.day or -(10**9), row.date or date.min, row.line)

    for row in sorted(by_kind.get(EventKind.DELAY, []), key=order):
        try:
            state.delay(row)
        except OverflowError:
            # A delay near the end of the calendar (a participant placed by --anchor or
            # --start in year 9999): the row that moves the dates out is named.
            assert row.date is not None  # (a delay row's date is required)
            raise _problem(row, "date", "this delay would move administrations past "
                           "9999-12-31, the last day of the calendar (years 1 to 9999)",
                           row.date.isoformat(), "record-outside-calendar") from None
    for row in sorted(by_kind.get(EventKind.MOVE, []), key=lambda r: (r.date, r.line)):
        state.move(row)
    state.keep_cancels()
    state.recalendar()
    due = {id(r): r.date for r in state.rows}  # after delays and moves, before the doses
    state.planned_on = due
    for row in sorted(by_kind.get(EventKind.MISSED, []), key=lambda r: (r.date, r.line)):
        state.missed(row)
    for row in sorted(by_kind.get(EventKind.GIVEN, []),
                      key=lambda r: (r.date, r.time is not None, r.time, r.line)):
        state.given(row, dosing)
    # Make-ups before holds and stops: a hold or a stop applies to a make-up too (one
    # planned after a stop is stopped, never planned).
    state.make_up()
    state.make_ups_recorded(dosing)
    state.spans(by_kind.get(EventKind.HOLD, []) + by_kind.get(EventKind.RESUME, []),
                by_kind.get(EventKind.STOP, []))
    state.stops(by_kind.get(EventKind.STOP, []))
    state.unplanned_hints()
    state.past_period_end()
    state.doses(dosing)
    flags = state.cumulative(dosing)
    # Rows that reach nothing are said (a RecordWarning each, and in their line of the
    # changes); a reduction that changes nothing is no reduction of the summary.
    idle = state.changing_nothing([row for kind in (EventKind.REDUCE, EventKind.HOLD,
                                                    EventKind.STOP, EventKind.MEASURE)
                                   for row in by_kind.get(kind, [])], dosing)
    reducing = [row for row in by_kind.get(EventKind.REDUCE, []) if row.line not in idle]
    reaching = state.reduction_notes(reducing, dosing)
    for row in by_kind.get(EventKind.REDUCE, []):
        state.change(row, f"{state.name(row.drug or '')}: {reduction_text(row)}" + (
            f"; {reaching[row.line]}" if row.line in reaching else ""))
    for row in by_kind.get(EventKind.MEASURE, []):
        assert row.measurement is not None
        state.change(row, f"{measured_text(row.measurement)} measured")
    state.changes = [(when, line, f"{text}; {idle[line]}" if line in idle else text)
                     for when, line, text in state.changes]
    made = [state.administration(r) for r in state.rows + state.extra]
    made.sort(key=lambda a: (a.date, a.time is not None, a.time or datetime.min.time()))
    if not rows:
        made = list(schedule.administrations)
    deviations = tuple(text for *_, text in sorted(state.deviations))
    # Compared with the previous measurement and with what the doses were computed from:
    # the BSA in use (computed as the schedule computes it), the weight each course's
    # re-dosing rule kept.
    odd: tuple[ImplausibleMeasurement, ...] = ()
    summary = None
    if with_summary:
        thresholds = sorted({t for a in schedule.administrations if (t := schedule.regimen
                             .policy_for(state.course((a.period, a.course)))
                             .redose_weight_change) is not None})
        odd = implausible_measurements(schedule.participant, rows, redose=thresholds,
                                       bsa_formula=schedule.bsa_formula,
                                       bsa_decimals=schedule.bsa_decimals)
        summary = summarize(schedule.regimen, record, state.outcomes(due, dosing),
                            deviations=deviations, cumulative=flags, delays=state.delays,
                            measurements=[f"line {m.row.line}: {m.text}" for m in odd],
                            reduction_notes=reaching, starts=state.first_of,
                            idle_lines=frozenset(idle),
                            ends={p.id: p.last_date for p in schedule.periods})
    replayed = Replayed(
        source=record.source, record=record, planned=schedule,
        changes=tuple(text for *_, text in sorted(state.changes)),
        # One list of deviations (the replay's, then those the summary finds from the
        # outcomes: a dose outside its window, one past max_cumulative): every output
        # reads it.
        deviations=(summary.deviations if summary is not None else tuple(
            found_deviations(schedule.regimen, state.outcomes(due, None), deviations,
                             flags))),
        summary=summary,
        levels=tuple(sorted((levels or {}).items())))
    visits = state.visits() if rows else schedule.visits
    # The plan's warnings about a closed day an item was due on, when the record moved it
    # from there. One warning speaks for every item of its drug and day (two doses at 08:00
    # and 20:00): it is dropped only when none of them is still there with the plan's note.
    stale = Counter(state.stale)
    still = state.still_closed(visits)
    kept = []
    for w in schedule.warnings:
        if isinstance(w, ClosedDayWarning) and stale[str(w)] > 0 and str(w) not in still:
            stale[str(w)] -= 1
            continue
        kept.append(w)
    return dataclasses.replace(
        schedule, administrations=tuple(made), visits=visits, replayed=replayed,
        warnings=tuple(kept) + tuple(state.warnings) + tuple(f.warning for f in flags)
        + _measurement_warnings(schedule.regimen, odd))


def _redose_rules(regimen: Regimen, arm: str) -> frozenset[Decimal]:
    """The re-dosing thresholds (``weight_change`` percentages) of the courses ``arm``
    goes through."""
    return frozenset(t for period in regimen.path(arm) for course in period.courses
                     if course.arms is None or arm in course.arms
                     if (t := regimen.policy_for(course).redose_weight_change) is not None)


def _measurement_warnings(regimen: Regimen, odd: tuple[ImplausibleMeasurement, ...]
                          ) -> tuple[ImplausibleMeasurementWarning, ...]:
    """The warnings of the implausible measurements. A measurement is compared with the
    weight each re-dosing rule of the arm kept, so when the arms' rules differ (a
    ``redose`` on the active course, none on its placebo) whether a row warns, and what
    it says, tells the arms apart: then no such warning is blind-safe, on any arm, so that
    every arm's blinded outputs withhold them alike (docs/ics.md, "Blinding")."""
    warnings = tuple(m.warning for m in odd)
    if len({_redose_rules(regimen, arm.id) for arm in regimen.arms}) > 1:
        for w in warnings:
            w.blind_safe = False
    return warnings


def history(schedule: Schedule, *, summaries: bool = True) -> Iterator[Schedule]:
    """The schedule as each record the participant's record has been, oldest first.

    A record is only ever appended to (docs/record.md): ``schedule`` replayed over its
    record's first row, then its first two rows, and so on in the order of their lines
    (void rows included), after the plan itself (no row): each a schedule the site could
    have exported then. A part of the record that cannot be replayed on its own (a row
    given twice, voided by a later row) is left out, as no schedule was made of it; the
    whole record is last (``schedule`` itself). ``schedule`` without a record gives itself
    only. Pure: the same schedule gives the same schedules. ``summaries`` False: the parts
    before the whole record come without their summaries, as :func:`replay` says of
    ``with_summary`` (for what needs only their administrations and visits, such as a
    calendar's ``SEQUENCE``).
    """
    replayed = schedule.replayed
    if replayed is None:
        yield schedule
        return
    plan, record = replayed.planned, replayed.record
    levels = dict(replayed.levels)
    rows = sorted(record.rows, key=lambda r: r.line)
    memo: dict[object, object] = {}  # the doses, computed once for all the parts
    yield plan
    for n in range(1, len(rows)):
        try:
            yield replay(plan, Record(record.source, tuple(rows[:n])), levels, memo=memo,
                         with_summary=summaries)
        except InvalidRegimenError:
            continue  # not a record on its own: no schedule was made of it
    yield schedule


def expand_with_record(regimen: Regimen, arm: str, timeline: Timeline, record: Record,
                       levels: Mapping[str, int] | None) -> Schedule:
    """:func:`regimens.record.expand` given a record, once the participant's ``timeline``
    is resolved: the plan replayed over ``record``.

    Raises:
        ExpandOptionError: a ``record`` that is not a :class:`Record`.
        InvalidRecordError: every row of ``record`` that names what the regimen lacks
            (:meth:`Record.check_against`, all in one error); then as :func:`replay` says.
    """
    if not isinstance(record, Record):
        raise ExpandOptionTypeError("record", _A_RECORD, record)
    # Every row against the regimen first, every problem in one error (a record built in
    # Python, or read without its regimen, has not been checked yet); the replay's own
    # problems (a row that names nothing on this participant's schedule) come once the
    # rows name what the regimen has. ``levels``: a reduction is compared with the level
    # the plan is expanded at.
    check_record(record, regimen, arm, levels)
    schedule = expand_plan(regimen, timeline)
    if not record.rows:
        # Nothing happened yet: the plan, with its own cumulative limits checked (a plan
        # that crosses one is flagged before anything is given).
        return planned_limits(schedule)
    return replay(schedule, record, levels)


def planned_limits(schedule: Schedule) -> Schedule:
    """The plan ``schedule`` with a :class:`CumulativeDoseWarning` in its warnings for each
    drug whose planned doses add up past its ``max_cumulative``, naming the administration
    that would cross it (its date, cycle and day) and the totals before and after it
    (docs/record.md, "Cumulative limits"). No administration changes: the warning is in
    ``schedule.warnings`` only, so a plan and the same plan replayed over an empty record
    stay equal. A per-m2 (per-kg) limit on doses computed without the participant's body
    surface area (weight) cannot be added up: a warning says it was not checked.
    """
    regimen = schedule.regimen
    limited = [d for d in regimen.drugs if d.max_cumulative is not None]
    if not limited:
        return schedule
    person = schedule.participant
    try:
        bsa: Decimal | None = BodySize(person, schedule.bsa_formula,
                                       schedule.bsa_decimals).area()[0]
    except (ParticipantError, DoseError):
        bsa = None
    body = BodyUsed(person, (), bsa)
    entries = [CumulativeEntry(a.drug, a.date, a.dose.amount, False, body, a.cycle,
                               a.cycle_day)
               for a in schedule.administrations if not a.placebo]
    found: list[RegimenWarning] = []
    unsized = unsized_limits(regimen, entries)
    for drug in limited:
        mine = [e for e in entries if e.drug == drug.id and e.amount is not None]
        if drug in unsized:
            found.append(limit_not_checked(drug))
            continue
        # Only this drug's entries: the other limits have nothing to add up here.
        found.extend(f.warning for f in cumulative_flags(regimen, mine))
    if not found:
        return schedule
    return dataclasses.replace(schedule, warnings=schedule.warnings + tuple(found))
