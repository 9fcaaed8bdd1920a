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
from dataclasses import field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from .._records import dataclass
from ..engine import (
    Administration,
    AdministrationStatus,
    BodySize,
    ComputedDose,
    Replayed,
    Schedule,
    Timeline,
    VisitOccurrence,
    open_day,
    visit_day,
)
from ..engine import expand as expand_plan
from ..errors import (
    ClosedDayWarning,
    CumulativeDoseWarning,
    DoseError,
    ExpandOptionError,
    InvalidRegimenError,
    OverdoseWarning,
    ParticipantError,
    Problem,
    RecordWarning,
    RegimenWarning,
    UnitError,
)
from ..model import AfterLastAnchor, Course, CourseAnchor, Regimen
from ..quantities import Amount, Basis, Months, StudyDay, human_amount
from ._check import check_record
from ._dosing import (
    BodyUsed,
    CumulativeEntry,
    CumulativeFlag,
    DoseChange,
    Dosing,
    cumulative_flags,
    limit_not_checked,
    unsized_limits,
)
from ._model import EventKind, Record, RecordRow
from ._plausible import implausible_measurements
from ._summary import Delay, Outcome, reduction_text, summarize

__all__ = ["expand_with_record", "history", "planned_limits", "replay"]

_S = AdministrationStatus
#: Doses computed from the body's size or kidney function.
_SCALED = (Basis.PER_KG, Basis.PER_M2, Basis.AUC)


#: ``date`` for the annotations of :class:`_Row`, whose field ``date`` hides the type.
_Date = date


@dataclass
class _Row:
    """An administration being replayed (mutable while the rows are applied)."""

    plan: Administration
    date: date
    status: AdministrationStatus = _S.PLANNED
    dose: ComputedDose | None = None  # the dose given, when it differs from the plan's
    time_given: time | None = None  # when a given row says when
    notes: list[str] = field(default_factory=list)
    revision: int = 0
    moved_by_row: bool = False  # a move row placed it: keep's cancelling spares it
    line: int | None = None  # the given or missed row that fulfilled or missed it
    moved_by: list[int] = field(default_factory=list)  # the delay and move rows' lines
    unplanned: bool = False  # a given row that fulfils no planned administration
    placed_by: int | None = None  # the line of the row that names its date (move, delay)
    calendar_note: str | None = None  # the site calendar's note, when the replay re-moved it
    last_mover: RecordRow | None = None  # the last delay or move row that moved it
    # The day it is due by the protocol and the record's delays, before the site calendar
    # moves it (the plan's target day: a delay moves that, never the day the plan's
    # calendar chose, which the calendar's rule then places again).
    target: _Date | None = None
    made_up: int | None = None  # a make-up: the line of the missed row it makes up
    change: DoseChange | None = None  # its dose as the record's dose changes make it

    @property
    def due(self) -> _Date:
        return self.target if self.target is not None else self.date

    @property
    def key(self) -> tuple[str, int]:
        return (self.plan.period, self.plan.course)

    def touch(self, note: str) -> None:
        self.notes.append(note)
        self.revision += 1


def _problem(row: RecordRow, name: str, message: str, value: object,
             code: str) -> InvalidRegimenError:
    return InvalidRegimenError([Problem(row.source, row.line, (name,), message, value,
                                        code=code)])


def _where(row: RecordRow) -> str:
    return f"line {row.line}" + (f": {row.reason}" if row.reason else "")


def _day(d: date) -> str:
    return f"{('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')[d.weekday()]} {d.isoformat()}"


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def _on_delay(schedule: Schedule, course: Course) -> str:
    """The course's ``on_delay`` (its own, else the regimen's; default ``shift``)."""
    return schedule.regimen.policy_for(course).on_delay or "shift"


def _make_up(schedule: Schedule, course: Course) -> bool:
    """Whether the course's missed doses are made up (``missed: make_up``)."""
    return schedule.regimen.policy_for(course).missed == "make_up"


def _max_delay(schedule: Schedule, course: Course) -> int | None:
    """The course's ``max_delay`` in days (its own, else the regimen's), or None."""
    limit = schedule.regimen.policy_for(course).max_delay
    return None if limit is None else limit.days


class _Replay:
    """The state of one replay: the rows, the changes and deviations said so far."""

    def __init__(self, schedule: Schedule, record: Record) -> None:
        self.schedule = schedule
        self.record = record
        self.regimen = schedule.regimen
        self.rows = [_Row(a, a.date, target=a.planned_date or a.date)
                     for a in schedule.administrations]
        # (course key, cycle, cycle day) -> (the date a delay row names for it, its line):
        # a visit on that day is kept there, as the administration is.
        self.named_days: dict[tuple[tuple[str, int], int, int], tuple[date, int]] = {}
        self.extra: list[_Row] = []  # given rows that fulfil no planned administration
        self.changes: list[tuple[date, int, str]] = []
        self.deviations: list[tuple[date, int, str]] = []
        self.delays: list[Delay] = []
        self.warnings: list[RegimenWarning] = []
        # The plan's ClosedDayWarnings about items the record moved off that day.
        self.stale: list[str] = []
        # Given rows that fulfil nothing, with the index of their deviation.
        self.unplanned: list[tuple[RecordRow, int]] = []
        # (period, course) -> the delays applied: (cycle, day or None, days, policy).
        self.shifts: dict[tuple[str, int], list[tuple[int, int | None, int, str]]] = {}
        self.first_of = {p.id: p.first_date for p in schedule.periods}
        known = [d.id for d in self.regimen.drugs]
        for row in record.effective():
            if row.drug is not None and row.drug not in known:
                raise _problem(row, "drug", "no drug of the regimen has this id (drugs: "
                               + ", ".join(known) + ")", row.drug, "record-unknown-drug")

    def course(self, key: tuple[str, int]) -> Course:
        return self.regimen.period(key[0]).courses[key[1]]

    def name(self, drug: str) -> str:
        return self.regimen.drug(drug).name

    def change(self, row: RecordRow, text: str) -> None:
        assert row.date is not None
        self.changes.append((row.date, row.line, f"{row.date.isoformat()} {row.event.value} "
                             f"(line {row.line}): {text}"))

    def deviation(self, row: RecordRow, text: str) -> None:
        assert row.date is not None
        self.deviations.append((row.date, row.line, f"line {row.line}: {text}"))

    # 1. Delays and moves -------------------------------------------------------------

    def nominal_start(self, key: tuple[str, int], cycle: int) -> date:
        """The grid's day 1 of a protocol cycle of a cycled course (before any delay)."""
        course = self.course(key)
        assert course.cycle is not None
        anchor = self.first_of[key[0]] + timedelta(days=course.start - 1)
        if isinstance(course.cycle, Months):
            # A cycle in calendar months starts on its calendar date, counted from the
            # course's first day (never chained; docs/format.md, "Calendar months"): its
            # length in days is the month's, not Months.days (the fewest over any anchor).
            return course.cycle.after(anchor, cycle - course.first_cycle)
        return anchor + timedelta(days=(cycle - course.first_cycle) * course.cycle.days)

    def shift_of(self, key: tuple[str, int], cycle: int, day: int | None) -> int:
        """Days the delays applied so far move (``cycle``, ``day``) of a course (day None:
        its day 1, the cycle's start)."""
        total = 0
        at = (cycle, 1 if day is None else day)
        for c0, d0, days, policy in self.shifts.get(key, ()):
            start = (c0, -(10**9) if d0 is None else d0)
            # Under keep, and for a delay from a cycle day under either policy, only the
            # delayed cycle moves: later cycles keep their own day 1.
            if policy == "keep" or d0 is not None:
                if cycle == c0 and at >= start:
                    total += days
            elif at >= start:
                total += days
        return total

    def delay_targets(self, row: RecordRow) -> list[tuple[str, int]]:
        """The cycled courses a delay row moves: the drug's courses that have its cycle
        (no drug: every cycled course of the period that has it)."""
        assert row.cycle is not None
        found = list(dict.fromkeys(
            r.key for r in self.rows
            if r.plan.cycle == row.cycle and (row.drug is None or r.plan.drug == row.drug)))
        if not found:
            what = f"{self.name(row.drug)} has" if row.drug else "no cycled course has"
            raise _problem(row, "cycle", f"{what} no cycle {row.cycle} on this "
                           "participant's schedule" if row.drug else
                           f"{what} a cycle {row.cycle} on this participant's schedule",
                           row.cycle, "record-unknown-cycle")
        periods = {k[0] for k in found}
        if len(periods) > 1:
            raise _problem(row, "drug", f"cycle {row.cycle} is in more than one period ("
                           f"{', '.join(sorted(periods))}); name the drug", None,
                           "record-ambiguous-cycle")
        return found

    def delay(self, row: RecordRow) -> None:
        assert row.cycle is not None
        assert row.date is not None
        measured: list[Delay] = []
        for key in self.delay_targets(row):
            course = self.course(key)
            policy = _on_delay(self.schedule, course)
            drug = self.name(course.drug)
            if row.day is None:
                reference = self.nominal_start(key, row.cycle) + timedelta(
                    days=self.shift_of(key, row.cycle, None))
                what = f"cycle {row.cycle} of {drug}"
            else:
                named = [r for r in self.rows if r.key == key and r.plan.cycle == row.cycle
                         and r.plan.cycle_day == row.day]
                if not named:
                    raise _problem(row, "day", f"{drug} has no administration on day "
                                   f"{row.day} of cycle {row.cycle}", row.day,
                                   "record-unknown-day")
                reference = named[0].due
                what = f"cycle {row.cycle} of {drug} from day {row.day}"
            days = (row.date - reference).days
            if days <= 0:
                raise _problem(row, "date", f"a delay moves {what} later: it starts on "
                               f"{_day(reference)} (to give one administration earlier, "
                               "use a move row)", row.date.isoformat(),
                               "record-delay-not-later")
            for r in self.rows:
                c, d = r.plan.cycle, r.plan.cycle_day
                if r.key != key or c is None or d is None:
                    continue
                inside = c == row.cycle and (row.day is None or d >= row.day)
                # A delay from a cycle day moves that day and the rest of its cycle only:
                # the next cycle starts on its own day 1, as dose-modification tables
                # have it (a day-8 delay does not move cycle 3); a whole-cycle delay moves
                # later cycles under on_delay: shift.
                if inside or (policy == "shift" and row.day is None and c > row.cycle):
                    # From the day it was due, not the day the plan's site calendar chose
                    # (recalendar places it again by the calendar's rule).
                    r.target = r.due + timedelta(days=days)
                    r.date = r.target
                    r.moved_by.append(row.line)
                    if inside and r.date == row.date:
                        r.placed_by = row.line  # the date the delay row names
                    r.last_mover = row
                    r.touch(f"delayed {_days(days)} ({_where(row)})" if inside else
                            f"moved {_days(days)} with the delay of cycle {row.cycle} "
                            f"({_where(row)})")
            self.shifts.setdefault(key, []).append((row.cycle, row.day, days, policy))
            self.named_days[(key, row.cycle, row.day or 1)] = (row.date, row.line)
            later = ("later cycles move with it (on_delay: shift)" if policy == "shift" else
                     "later cycles stay on the grid (on_delay: keep)")
            if row.day is not None:
                later = "later cycles keep their own day 1 (a delay from a cycle day)"
                if policy == "shift":
                    self.into_next_cycle(row, key, days)
            self.change(row, f"{what} starts on {_day(row.date)}, {_days(days)} later; "
                        f"{later}")
            limit = _max_delay(self.schedule, course)
            total = sum(n for c0, _, n, _ in self.shifts[key] if c0 == row.cycle)
            # One measurement for the summary's delays and the deviation: the delay this
            # row causes is from the date the item was due just before it (``reference``,
            # after earlier shifts); max_delay is about the cycle's delays in all.
            found = Delay(row.line, row.date, course.drug, row.cycle, row.day, reference,
                          days, total, limit, row.reason)
            if found not in measured:
                measured.append(found)
            if found.deviation and limit is not None:
                self.deviation(row, f"cycle {row.cycle} of {drug} is delayed "
                               f"{_days(total)} in all, more than max_delay ({_days(limit)})")
        alike = {dataclasses.replace(d, drug=None) for d in measured}
        if row.drug is None and len(alike) == 1:
            self.delays.append(alike.pop())
        else:
            self.delays.extend(measured)

    def into_next_cycle(self, row: RecordRow, key: tuple[str, int], days: int) -> None:
        """A delay from a cycle day that pushes the rest of its cycle onto or past the next
        cycle's day 1 (which does not move) is a protocol deviation (under ``on_delay:
        keep`` those doses are cancelled instead)."""
        assert row.cycle is not None
        following = [r for r in self.rows if r.key == key and r.plan.cycle == row.cycle + 1
                     and r.plan.cycle_day == 1]
        if not following:
            return
        start = following[0].date
        late = [r for r in self.rows if r.key == key and r.plan.cycle == row.cycle
                and r.date >= start]
        if late:
            self.deviation(row, f"the delay of cycle {row.cycle} from day {row.day} of "
                           f"{late[0].plan.drug_name} ({_days(days)}) puts day "
                           f"{late[0].plan.cycle_day} on {_day(late[0].date)}, on or after "
                           f"day 1 of cycle {row.cycle + 1} ({_day(start)})")

    def keep_cancels(self) -> None:
        """Under ``on_delay: keep``, a delayed cycle's doses that fall on or after the next
        cycle's start are not given (none made up)."""
        for key, shifts in self.shifts.items():
            for cycle in sorted({c for c, _, _, policy in shifts if policy == "keep"}):
                following = self.nominal_start(key, cycle + 1) + timedelta(
                    days=self.shift_of(key, cycle + 1, None))
                for r in self.rows:
                    if (r.key == key and r.plan.cycle == cycle and r.date >= following
                            and not r.moved_by_row and r.status is _S.PLANNED):
                        r.status = _S.CANCELLED
                        r.touch(f"cancelled: the delayed cycle {cycle} reaches the start of "
                                f"cycle {cycle + 1} on {_day(following)} (on_delay: keep)")

    def move(self, row: RecordRow) -> None:
        assert row.date is not None
        named = [r for r in self.rows
                 if r.plan.drug == row.drug and r.plan.cycle == row.cycle
                 and r.plan.cycle_day == row.day
                 and (row.time is None or r.plan.time == row.time)]
        if not named:
            assert row.drug is not None
            raise _problem(row, "day", f"{self.name(row.drug)} has no administration on day "
                           f"{row.day} of cycle {row.cycle}"
                           + (f" at {row.time:%H:%M}" if row.time is not None else ""),
                           row.day, "record-unknown-day")
        self.move_deviation(row, named)
        for r in named:
            before = r.date
            r.date = row.date
            r.moved_by_row = True
            r.moved_by.append(row.line)
            r.placed_by = row.line
            r.last_mover = row
            r.touch(f"moved from {_day(before)} ({_where(row)})")
        self.change(row, f"{named[0].plan.drug_name}, cycle {row.cycle} day {row.day}, moves "
                    f"to {_day(row.date)}")

    def move_deviation(self, row: RecordRow, named: list[_Row]) -> None:
        """A move is taken as written (it says what happened), but a move past the next
        administration of the same drug (or before the previous one), or later than
        ``max_delay`` after the day it was due, is a protocol deviation: the same limit a
        ``delay`` is held to, and doses of one drug never silently change order."""
        assert row.date is not None
        first = named[0]
        due = first.date
        others = [r for r in self.rows if r.plan.drug == first.plan.drug
                  and all(r is not n for n in named)]
        after = sorted((r for r in others if r.date > due), key=lambda r: r.date)
        before = sorted((r for r in others if r.date < due), key=lambda r: r.date)
        why = []

        def which(r: _Row) -> str:
            place = (f"cycle {r.plan.cycle} day {r.plan.cycle_day} on "
                     if r.plan.cycle is not None else "")
            return place + _day(r.date)

        if after and row.date >= after[0].date:
            why.append(f"on or after the next administration of {first.plan.drug_name} "
                       f"({which(after[0])})")
        if before and row.date <= before[-1].date:
            why.append(f"on or before the previous administration of "
                       f"{first.plan.drug_name} ({which(before[-1])})")
        limit = _max_delay(self.schedule, self.course(first.key))
        days = (row.date - due).days
        if limit is not None and days > limit:
            why.append(f"{_days(days)} after it was due, more than max_delay "
                       f"({_days(limit)})")
        if why:
            self.deviation(row, f"{first.plan.drug_name} cycle {row.cycle} day {row.day} "
                           f"moved from {_day(due)} to {_day(row.date)}: " + "; ".join(why))

    def recalendar(self) -> None:
        """Clinic work a delay moved onto a day the site is closed moves again by the
        plan's rule (the nearest open day of its window: :func:`regimens.engine.open_day`),
        the note saying so; with no open day it stays, a conflict, as in the plan. The date
        a row names itself (a ``move`` row's date, a ``delay`` row's new start) is kept as
        recorded, with a :class:`ClosedDayWarning` (docs/record.md, "Site calendar")."""
        calendar = self.schedule.calendar
        if calendar is None:
            return
        clinic = {d.id for d in self.regimen.drugs if d.clinic}
        for r in sorted(self.rows, key=lambda r: (r.date, r.plan.drug, r.plan.cycle_day or 0)):
            if r.status is not _S.PLANNED or not r.moved_by:
                continue  # not moved by the record
            course = self.course(r.key)
            if not (r.plan.drug in clinic or course.clinic):
                continue  # taken at home: never moves
            if r.plan.calendar_note:
                # The plan's note is about the day the record moved it from.
                r.calendar_note = ""
                self.stale.append(f"{r.plan.drug_name}, Study Day {r.plan.study_day.value}: "
                               f"{r.plan.calendar_note}")
            why = calendar.closure(r.date)
            if why is None:
                continue
            day = StudyDay.from_offset((r.date - self.schedule.start).days,
                                       self.regimen.day_zero)
            if r.placed_by is not None:
                note = (f"kept on {_day(r.date)}, the date record line {r.placed_by} gives, "
                        f"a day the site is closed ({why})")
                r.notes.append(note)
                r.calendar_note = note
                self.warnings.append(ClosedDayWarning(
                    f"{r.plan.drug_name}, Study Day {day.value}: {note}"))
                continue
            others = [(x.plan.drug, x.date) for x in self.rows
                      if x is not r and x.status in (_S.PLANNED, _S.GIVEN)]
            found, note = open_day(calendar, self.regimen, course, r.plan.drug,
                                   r.plan.drug_name, r.date, others)
            r.calendar_note = note
            if found is None:
                r.notes.append(f"{note} (after the record's delay)")
                self.warnings.append(ClosedDayWarning(
                    f"{r.plan.drug_name}, Study Day {day.value}: {note}"))
                continue
            r.date = found
            r.touch(f"{note}, by the site calendar's rule, as in the plan (after the "
                    "record's delay)")

    # 2. Given and missed ---------------------------------------------------------------

    def named_rows(self, row: RecordRow) -> list[_Row]:
        """The administrations a given or missed row names: by cycle and day, else the
        drug's administrations on its date; with a time, the one at that time."""
        if row.cycle is not None:
            found = [r for r in self.rows if r.plan.drug == row.drug
                     and r.plan.cycle == row.cycle and r.plan.cycle_day == row.day]
            if not found:
                assert row.drug is not None
                raise _problem(row, "day", f"{self.name(row.drug)} has no administration on "
                               f"day {row.day} of cycle {row.cycle}", row.day,
                               "record-unknown-day")
        else:
            found = [r for r in self.rows if r.plan.drug == row.drug and r.date == row.date]
        if row.time is not None and len(found) > 1:
            timed = [r for r in found if r.plan.time == row.time]
            found = timed or found
        return found

    def open_one(self, row: RecordRow, open_rows: list[_Row]) -> _Row | None:
        """The administration a given or missed row without a cycle and day fulfils among
        ``open_rows`` (those of its drug on its date not given or missed yet): a planned
        one before one the record cancelled (``on_delay: keep``); two planned ones of
        different cycle days are ambiguous, and the row is refused naming them (the doses
        of one cycle day at several times are taken in time order)."""
        if not open_rows:
            return None
        planned = [r for r in open_rows if r.status is _S.PLANNED]
        pool = planned or open_rows
        which = list(dict.fromkeys((r.plan.cycle, r.plan.cycle_day) for r in pool
                                   if r.plan.cycle is not None))
        if row.cycle is None and len(which) > 1:
            assert row.date is not None
            assert row.drug is not None
            named = ", ".join(f"cycle {c} day {d}" for c, d in which)
            raise _problem(row, "date", f"this {row.event.value} row could be any of "
                           f"{len(which)} planned administrations of {self.name(row.drug)} "
                           f"on {_day(row.date)} ({named}): add its cycle and day (the "
                           "cycle and day columns) to say which one",
                           row.date.isoformat(), "record-ambiguous-day")
        return pool[0]

    def given(self, row: RecordRow, dosing: Dosing) -> None:
        assert row.date is not None
        assert row.drug is not None
        candidates = self.named_rows(row)
        open_rows = [r for r in candidates if r.status is not _S.GIVEN
                     and r.status is not _S.MISSED]
        missed = [r for r in candidates if r.status is _S.MISSED]
        target: _Row | None = self.open_one(row, open_rows)
        if target is None and missed:
            m = missed[0]
            course = self.course(m.key)
            if _make_up(self.schedule, course) and row.cycle is not None:
                target = m
            else:
                raise _problem(row, "event", f"line {m.line} says this dose was missed; void "
                               "one of the two rows (a missed dose is made up only under "
                               "'missed: make_up', by a given row naming its cycle and day)",
                               row.event.value, "record-given-and-missed")
        if target is None:
            self.given_unplanned(row, candidates)
            return
        # The dose due that day, after the record's reductions and measurements dated on
        # or before it: an amount given is compared with it, never with the protocol's
        # dose before them (a reduction forgotten at the bedside is an overdose, and the
        # amount the record gives is what was given, even when it is the protocol's).
        due = dosing.dose(target.plan, row.date, as_of=row.date)
        planned = target.plan.dose if due.stopped else due.dose
        dose = self.given_dose(row, planned)
        before = target.date
        status_before = target.status
        missed_line = target.line
        target.status = _S.GIVEN
        target.line = row.line
        target.date = row.date
        if row.time is not None:
            target.time_given = row.time
        if dose is not None:
            target.dose = dose
        text = "given" + (f" {dose.text}" if dose is not None else "")
        if before != row.date:
            text += f" on {_day(row.date)}, planned for {_day(before)}"
        if status_before is _S.MISSED:
            text += f", making up the dose missed (line {missed_line})"
        target.touch(f"{text} ({_where(row)})")
        self.change(row, f"{target.plan.drug_name} " + text + (
            f", cycle {target.plan.cycle} day {target.plan.cycle_day}"
            if target.plan.cycle is not None else ""))
        given_amount = dose.amount if dose is not None else None
        if (given_amount is not None and planned.amount is not None
                and given_amount.magnitude > planned.amount.magnitude):
            # Same unit (given_dose converts): more than planned is never taken silently.
            text = (f"{target.plan.drug_name} given {human_amount(given_amount)} on "
                    f"{_day(row.date)}, more than the {planned.text} planned")
            self.deviation(row, text)
            self.warnings.append(OverdoseWarning(f"{row.source}:{row.line}: {text}"))
        if status_before in (_S.STOPPED, _S.HELD, _S.CANCELLED):
            self.deviation(row, f"{target.plan.drug_name} given on {_day(row.date)} although "
                           f"{status_before.value} by the record")

    def given_dose(self, row: RecordRow, planned: ComputedDose) -> ComputedDose | None:
        """The dose a given row records, when it gives an amount other than the plan's."""
        if row.amount is None:
            return None
        amount: Amount = row.amount
        if planned.amount is not None:
            try:
                amount = row.amount.to(planned.amount.unit)
            except UnitError:
                raise _problem(row, "amount", "the amount given must be in the planned dose's "
                               f"dimension ({planned.amount.unit.dimension.value}: planned "
                               f"{planned.text})", str(row.amount),
                               "record-wrong-dimension") from None
            if amount.magnitude == planned.amount.magnitude:
                return None
        text = human_amount(amount)
        derivation = f"given: {text} (record line {row.line}" + (
            f": {row.reason})" if row.reason else ")") + f"; planned: {planned.text}"
        return ComputedDose(amount, text, derivation, planned.basis, planned.per_basis)

    def given_unplanned(self, row: RecordRow, candidates: list[_Row]) -> None:
        """A given row that fulfils no planned administration: kept, and a deviation."""
        assert row.date is not None
        assert row.drug is not None
        name = self.name(row.drug)
        done = [r for r in candidates if r.status is _S.GIVEN and r.line is not None]
        if row.amount is None and done:
            # The likeliest cause is a row entered twice: name the row that fulfilled it.
            raise _problem(row, "event", f"the planned administration of {name} on "
                           f"{_day(done[0].date)} was already fulfilled by line "
                           f"{done[0].line}; void one of the two rows, or name the "
                           "administration this dose fulfils by its cycle and day",
                           row.event.value, "record-given-twice")
        moved = [r for r in self.rows if r.plan.drug == row.drug and r.plan.date == row.date
                 and r.last_mover is not None and r.status is _S.PLANNED]
        if moved:
            # Given on its planned day, yet a delay or move row moved it away: the two rows
            # contradict each other. Reported at the moving row, naming the given one (the
            # given row alone only showed that nothing was open on its day).
            r = moved[0]
            mover = r.last_mover
            assert mover is not None
            what = (f"{r.plan.drug_name}, cycle {r.plan.cycle} day {r.plan.cycle_day}"
                    if r.plan.cycle is not None else r.plan.drug_name)
            assert mover.date is not None
            raise _problem(mover, "date",
                           f"this {mover.event.value} row moves {what} from its planned day "
                           f"{_day(r.plan.date)} to {_day(r.date)}, but line {row.line} "
                           f"records it given on {_day(row.date)}: the two rows contradict "
                           "each other; void the wrong one (a dose given late is a given "
                           "row on the day it was given, naming its cycle and day)",
                           mover.date.isoformat(), "record-moved-after-given")
        if row.amount is None:
            raise _problem(row, "amount", f"no planned administration of {name} is open on "
                           f"{_day(row.date)} to take its amount from: give the amount "
                           "given, or the cycle and day of the dose it fulfils",
                           None, "record-given-without-amount")
        same = [r for r in self.rows if r.plan.drug == row.drug]
        if not same:
            raise _problem(row, "drug", f"{name} is not given on this participant's arm",
                           row.drug, "record-drug-not-on-arm")
        given_on = row.date
        # The nearest planned administration of the drug gives the row its period, course,
        # route and dose basis; never its date, cycle, day or planned amount.
        nearest = min(same, key=lambda r: (abs((r.date - given_on).days), r.date))
        plan = nearest.plan
        start = self.schedule.start
        offset = (row.date - start).days
        template = dataclasses.replace(
            plan, study_day=StudyDay.from_offset(offset, self.regimen.day_zero),
            date=row.date, time=row.time, at=None, cycle=None, cycle_day=None, step=None,
            planned_date=None, calendar_note="")
        extra = _Row(template, row.date, _S.GIVEN, line=row.line, unplanned=True)
        # In the planned dose's unit (a wrong dimension is refused), but no planned amount
        # beside it: no plan is fulfilled, so none is borrowed from the nearest one.
        self.given_dose(row, plan.dose)  # refuses an amount in another dimension
        amount: Amount = row.amount
        if plan.dose.amount is not None:
            amount = row.amount.to(plan.dose.amount.unit)
        text = human_amount(amount)
        dose = ComputedDose(amount, text, f"given: {text} (record line {row.line}"
                            + (f": {row.reason}" if row.reason else "")
                            + "); fulfils no planned administration",
                            plan.dose.basis, plan.dose.per_basis)
        extra.dose = dose
        extra.time_given = row.time
        why = ("it was given already" if candidates else
               f"none is planned on {_day(row.date)}")
        # A new event, not a change of one: no revision (an iCalendar SEQUENCE of 0).
        extra.notes.append(f"given, matching no planned administration ({why}; "
                           f"{_where(row)})")
        self.extra.append(extra)
        self.change(row, f"{name} {dose.text} given, fulfilling no planned administration")
        self.deviation(row, f"{name} {dose.text} given on {_day(row.date)} fulfils no planned "
                       f"administration ({why})")
        self.unplanned.append((row, len(self.deviations) - 1))

    def unplanned_hints(self) -> None:
        """A dose given that fulfils nothing while the drug's dose planned before it is
        still counted as planned: the totals would count both, so its deviation says so
        (the record has no "as of" date: a past planned dose is not known to be missed)."""
        for row, index in self.unplanned:
            assert row.date is not None
            given_on = row.date
            open_before = [r for r in self.rows if r.plan.drug == row.drug
                           and r.status is _S.PLANNED and r.date < given_on]
            if not open_before:
                continue
            last = max(open_before, key=lambda r: r.date)
            what = (f", cycle {last.plan.cycle} day {last.plan.cycle_day}"
                    if last.plan.cycle is not None else "")
            when, line, text = self.deviations[index]
            self.deviations[index] = (when, line, (
                f"{text}; the dose planned on {_day(last.date)}{what}, before it, is still "
                "counted as planned beside it: if this row gave that dose, name it by its "
                "cycle and day (or record the planned one missed)"))

    def missed(self, row: RecordRow) -> None:
        assert row.date is not None
        assert row.drug is not None
        candidates = self.named_rows(row)
        open_rows = [r for r in candidates if r.status is not _S.MISSED]
        if not open_rows:
            raise _problem(row, "date" if row.cycle is None else "day",
                           f"no planned administration of {self.name(row.drug)} "
                           + (f"on {_day(row.date)}" if row.cycle is None else
                              f"on day {row.day} of cycle {row.cycle}") + " to be missed",
                           row.date.isoformat() if row.cycle is None else row.day,
                           "record-missed-nothing")
        target = self.open_one(row, [r for r in open_rows if r.status is not _S.GIVEN])
        if target is None:
            target = open_rows[0]
        if target.status is _S.GIVEN:
            raise _problem(row, "event", f"line {target.line} says this dose was given; void "
                           "one of the two rows", row.event.value, "record-given-and-missed")
        target.status = _S.MISSED
        target.line = row.line
        target.touch(f"missed ({_where(row)})")
        self.change(row, f"{target.plan.drug_name} missed on {_day(target.date)}" + (
            f", cycle {target.plan.cycle} day {target.plan.cycle_day}"
            if target.plan.cycle is not None else ""))

    def make_up(self) -> None:
        """Under ``missed: make_up``, each missed dose not made up by a given row is planned
        again after the course's last administration (after the record's delays and moves,
        whatever its status): the missed doses in the order they were due, one a day, each
        on the first day after the course's last administration (and after the make-up
        before it) with no other administration of the drug given or planned, and, for
        clinic work under a site calendar, a day the site is open (docs/record.md,
        "Policies"). Two make-ups never stack into one day's double dose."""
        missed = sorted((r for r in self.rows if r.status is _S.MISSED),
                        key=lambda r: (r.date, r.plan.cycle or 0, r.plan.cycle_day or 0,
                                       r.line or 0))
        taken = {(x.plan.drug, x.date) for x in self.rows + self.extra
                 if x.status in (_S.GIVEN, _S.PLANNED)}
        calendar = self.schedule.calendar
        clinic = {d.id for d in self.regimen.drugs if d.clinic}
        latest: dict[tuple[str, int], date] = {}  # each course's last make-up so far
        for r in missed:
            course = self.course(r.key)
            if not _make_up(self.schedule, course):
                continue
            last = max(x.date for x in self.rows if x.key == r.key)
            day = max(last, latest.get(r.key, last)) + timedelta(days=1)
            at_site = calendar is not None and (r.plan.drug in clinic or course.clinic)
            while (r.plan.drug, day) in taken or (
                    at_site and calendar is not None and calendar.closure(day) is not None):
                day += timedelta(days=1)
            taken.add((r.plan.drug, day))
            latest[r.key] = day
            again = _Row(r.plan, day, made_up=r.line)
            if day == last + timedelta(days=1):
                where = "the day after the course's last dose"
            else:
                where = (f"{_days((day - last).days)} after the course's last dose "
                         f"({_day(last)}): make-ups go one a day, on days with no other dose "
                         f"of {r.plan.drug_name}" + (" and the site open" if at_site else ""))
            again.touch(f"make-up of the dose missed on {_day(r.date)} (line {r.line}), "
                        f"{where} (missed: make_up)")
            self.extra.append(again)

    # 3. Holds and stops ----------------------------------------------------------------

    def spans(self, rows: list[RecordRow]) -> None:
        holds: dict[str | None, tuple[RecordRow, list[tuple[date, date | None, RecordRow]]]] = {}
        spans: list[tuple[str | None, date, date | None, RecordRow]] = []
        for row in sorted(rows, key=lambda r: (r.date or date.min, r.line)):
            assert row.date is not None
            what = self.name(row.drug) if row.drug else "the whole treatment"
            if row.event is EventKind.HOLD:
                if row.drug in holds:
                    raise _problem(row, "event", f"{what} is held already (line "
                                   f"{holds[row.drug][0].line}); resume it first",
                                   row.event.value, "record-hold-twice")
                holds[row.drug] = (row, [])
                self.change(row, f"{what} held from {_day(row.date)}")
            elif row.event is EventKind.RESUME:
                opened = holds.pop(row.drug, None)
                if opened is None:
                    raise _problem(row, "event", f"{what} is not held on {_day(row.date)} "
                                   "(a resume closes an earlier hold of the same drug, or of "
                                   "the whole treatment when the drug is empty)",
                                   row.event.value, "record-resume-without-hold")
                spans.append((row.drug, opened[0].date or row.date, row.date, opened[0]))
                self.change(row, f"{what} resumed from {_day(row.date)}")
        for drug, (row, _) in holds.items():
            assert row.date is not None
            spans.append((drug, row.date, None, row))
        for drug, first, end, row in spans:
            for r in self.rows + self.extra:  # make-ups too
                if not ((drug is None or r.plan.drug == drug) and r.date >= first
                        and (end is None or r.date < end)):
                    continue
                if r.status is _S.PLANNED:
                    r.status = _S.HELD
                    r.touch(f"held ({_where(row)})")
                elif r.status is _S.GIVEN and r.date > first:
                    # Given while held (after the day of the hold, as after a stop): what
                    # happened, and a protocol deviation, never taken silently.
                    self.deviations.append((r.date, r.line or 0, f"line {r.line}: "
                                            f"{r.plan.drug_name} given on {_day(r.date)}, "
                                            f"during the hold of line {row.line}"))

    def stops(self, rows: list[RecordRow]) -> None:
        first: dict[str | None, RecordRow] = {}
        for row in sorted(rows, key=lambda r: (r.date or date.min, r.line)):
            first.setdefault(row.drug, row)
            what = self.name(row.drug) if row.drug else "the whole treatment"
            assert row.date is not None
            self.change(row, f"{what} stops from {_day(row.date)}")
        for drug, row in first.items():
            assert row.date is not None
            for r in self.rows + self.extra:
                if not (drug is None or r.plan.drug == drug) or r.date < row.date:
                    continue
                if r.status in (_S.PLANNED, _S.HELD):
                    r.status = _S.STOPPED
                    r.touch(f"stopped ({_where(row)})")
                elif r.status is _S.GIVEN and r.date > row.date:
                    self.deviations.append((r.date, r.line or 0, f"line {r.line}: "
                                            f"{r.plan.drug_name} given on {_day(r.date)}, "
                                            f"after the stop of line {row.line}"))

    def past_period_end(self) -> None:
        """An administration the record's delays or moves (or a late given row) take past
        the planned end of its period is a protocol deviation, one per period, naming the
        last such administration and the rows that moved it."""
        ends = {p.id: p.last_date for p in self.schedule.periods}
        late: dict[str, list[_Row]] = {}
        for r in self.rows + self.extra:
            end = ends.get(r.plan.period)
            if end is not None and r.date > end and r.status in (_S.GIVEN, _S.PLANNED):
                late.setdefault(r.plan.period, []).append(r)
        for period, found in late.items():
            last = max(found, key=lambda r: (r.date, r.plan.drug))
            lines = sorted({n for r in found for n in r.moved_by}
                           | {r.line for r in found if r.status is _S.GIVEN and r.line}
                           # A make-up past the end: the missed row it makes up.
                           | {r.made_up for r in found if r.made_up is not None})
            where = ("line" if len(lines) == 1 else "lines") + " " + ", ".join(
                str(n) for n in lines) if lines else "the record"
            what = last.plan.drug_name + (
                f" cycle {last.plan.cycle} day {last.plan.cycle_day}"
                if last.plan.cycle is not None else "")
            count = (f"{len(found)} administrations past it, the last " if len(found) > 1
                     else "")
            self.deviations.append((last.date, lines[0] if lines else 0, (
                f"{where}: period {period} runs past its planned end "
                f"({_day(ends[period])}): {count}{what} {last.status.value} on "
                f"{_day(last.date)}")))

    # 4. Visits -------------------------------------------------------------------------

    def visits(self) -> tuple[VisitOccurrence, ...]:
        """The visits as the record leaves them: a visit on a cycle's day moves with the
        delays of that cycle, a visit after a drug's last dose with the last dose that
        happens; a study-day visit stays. A visit the record moves is due on its target day
        moved by as much (its window with it), and with a site calendar it is placed by the
        plan's rule: on a closed day it moves to the nearest open day of its window
        (:func:`regimens.engine.visit_day`), or stays, a conflict; on the day a delay row
        names for its cycle day it is kept, as the administration is. Each with its note
        and, when on a closed day, a :class:`ClosedDayWarning` (docs/record.md, "Site
        calendar")."""
        by_id = {v.id: v for v in self.regimen.visits}
        course_keys = {c.id: (p.id, i) for p in self.regimen.periods
                       for i, c in enumerate(p.courses) if c.id is not None}
        out = []
        for v in self.schedule.visits:
            visit = by_id.get(v.id)
            days = 0
            named: tuple[date, int] | None = None
            if visit is not None and isinstance(visit.anchor, CourseAnchor):
                key = course_keys.get(visit.anchor.course)
                if key is not None:
                    days = self.shift_of(key, visit.anchor.cycle, visit.anchor.day)
                    named = self.named_days.get((key, visit.anchor.cycle, visit.anchor.day))
            elif visit is not None and isinstance(visit.anchor, AfterLastAnchor):
                happening = [r.date for r in self.rows + self.extra
                             if r.plan.drug == visit.anchor.drug
                             and r.status in (_S.GIVEN, _S.PLANNED)]
                planned_last = max((a.date for a in self.schedule.administrations
                                    if a.drug == visit.anchor.drug), default=None)
                if happening and planned_last is not None:
                    days = (max(happening) - planned_last).days
            if not days:
                out.append(v)
                continue
            out.append(self.moved_visit(v, days, named))
        return tuple(sorted(out, key=lambda v: v.date))

    def moved_visit(self, v: VisitOccurrence, days: int,
                    named: tuple[date, int] | None) -> VisitOccurrence:
        """``v`` moved ``days`` from its target day, then placed by the site calendar."""
        step = timedelta(days=days)
        due = (v.planned_date or v.date) + step  # the plan's target day, moved
        earliest, latest = v.earliest + step, v.latest + step
        when, note = due, ""
        calendar = self.schedule.calendar
        why = calendar.closure(due) if calendar is not None else None
        if v.calendar_note:
            # The plan's note is about the day the record moved it from.
            self.stale.append(f"visit {v.label or v.id}, Study Day {v.study_day.value}: "
                              f"{v.calendar_note}")
        if calendar is not None and why is not None:
            if named is not None and named[0] == due:
                note = (f"kept on {_day(due)}, the date record line {named[1]} gives, a day "
                        f"the site is closed ({why})")
                found = None
            else:
                found, note = visit_day(calendar, due, earliest, latest)
            if found is None:
                day = StudyDay.from_offset((due - self.schedule.start).days,
                                           self.regimen.day_zero)
                self.warnings.append(ClosedDayWarning(
                    f"visit {v.label or v.id}, Study Day {day.value}: {note}"))
            else:
                when = found
        return dataclasses.replace(
            v, date=when, earliest=earliest, latest=latest,
            study_day=StudyDay.from_offset((when - self.schedule.start).days,
                                           self.regimen.day_zero),
            planned_date=v.planned_date or v.date, calendar_note=note)

    # The result ------------------------------------------------------------------------

    # 4. Dose changes: reductions, new measurements, cumulative limits --------------------

    def doses(self, dosing: Dosing) -> None:
        """Each dose given without its own amount, or still planned, as the record's
        ``reduce`` and ``measure`` rows make it (:class:`Dosing`; docs/record.md, "Dose
        changes"); a reduction below the lowest declared level stops the drug."""
        # With new measurements in the record, every dose that scales with the body says
        # what it was computed from, with the dates measured (a pharmacist's audit),
        # whatever its status; without them the plan's derivation says it, except for a
        # dose given with its own amount (its derivation is the amount given), whose note
        # says it always.
        audit = bool(dosing.measures)
        # Make-ups too (a dose made up after a reduction is given at the reduced dose), and
        # doses given that fulfil no planned administration (the body in effect that day).
        for r in self.rows + self.extra:
            # A dose the record says was given or missed is a fact of its day: only rows
            # dated on or before it change it (a later reduce row never rewrites it).
            as_of = r.date if r.status in (_S.GIVEN, _S.MISSED) else None
            change = dosing.dose(r.plan, r.date, as_of=as_of)
            scaled = r.plan.dose.basis in _SCALED and not change.stopped
            if r.status not in (_S.PLANNED, _S.GIVEN):
                # Not given (missed, held, cancelled, stopped): shown at the dose it would
                # have had that day (after reductions and measurements), not the plan's.
                if r.dose is None and change.changed and not change.stopped:
                    r.dose = change.dose
                if audit and scaled:
                    r.notes.append("computed from " + change.body.text)
                continue
            r.change = change
            own = r.status is _S.GIVEN and r.dose is not None  # given with its own amount
            if scaled and (own or (audit and not (change.changed and r.dose is None))):
                r.notes.append("computed from " + change.body.text)
            if change.stopped:
                row = change.stop_row
                assert row is not None
                if r.status is _S.PLANNED:
                    r.status = _S.STOPPED
                    r.touch(change.notes[-1])
                else:
                    self.deviation(row, f"{r.plan.drug_name} given on {_day(r.date)} although "
                                   f"stopped by the reduction on line {row.line}")
                continue
            if change.changed and r.dose is None:
                r.dose = change.dose
                r.touch("; ".join(change.notes))
            elif change.notes and r.status is _S.PLANNED:
                # Said (a new weight within the redose threshold), but nothing changed: no
                # new revision, so a calendar does not update an unchanged event.
                r.notes.extend(change.notes)

    def reduction_notes(self, rows: list[RecordRow], dosing: Dosing) -> dict[int, str]:
        """What the summary says of each ``reduce`` row beside it (by line): a reduction
        that applies only to doses not yet given (:meth:`reaching_back`), one below the
        lowest declared level (the drug stops), one to level 0 (or 100%) with no
        reduction before it to undo (changes nothing: a :class:`RecordWarning`)."""
        notes = self.reaching_back(rows)
        by_drug: dict[str, list[RecordRow]] = {}
        for row in sorted(rows, key=lambda r: (r.date or date.min, r.line)):
            assert row.drug is not None
            earlier = by_drug.setdefault(row.drug, [])
            said = []
            name = self.name(row.drug)
            declared = sorted({0, *(x.level for p in self.regimen.periods for c in p.courses
                                    if c.drug == row.drug for x in c.levels)})
            if row.level is not None and row.level < declared[0]:
                stopped = sum(1 for r in self.rows if r.plan.drug == row.drug
                              and r.status is _S.STOPPED
                              and any(f"record line {row.line})" in n for n in r.notes))
                said.append(f"below the lowest declared level ({declared[0]}): {name} stops "
                            f"from then on ({stopped} dose{'' if stopped == 1 else 's'} "
                            "stopped)")
            undoes = (row.level == 0 and row.percent in (None, 100)) or (
                row.level is None and row.percent == 100)
            if undoes and not earlier and dosing.levels.get(row.drug, 0) == 0:
                said.append("changes nothing: no reduction before it to undo (dose level 0 "
                            "is the dose as written)")
                self.warnings.append(RecordWarning(
                    f"{row.source}:{row.line}: the reduction of {name} to "
                    f"{reduction_text(row).split(' from ')[0]} changes nothing: no reduction "
                    "before it to undo (dose level 0 is the dose as written)"))
            earlier.append(row)
            if said:
                notes[row.line] = "; ".join(([notes[row.line]] if row.line in notes else [])
                                            + said)
        return notes

    def reaching_back(self, rows: list[RecordRow]) -> dict[int, str]:
        """For each ``reduce`` row "from cycle N" dated after doses of cycle N or later were
        given, what it does not change (by its line): a :class:`RecordWarning` each. A given
        dose is a fact of its day: the reduction applies only to doses not yet given."""
        found: dict[int, str] = {}
        for row in sorted(rows, key=lambda r: r.line):
            if row.cycle is None:
                continue  # from its date on: it cannot reach a dose given before it
            assert row.date is not None
            cycle = row.cycle
            before = sorted((r for r in self.rows + self.extra
                             if r.status is _S.GIVEN and r.plan.drug == row.drug
                             and r.plan.cycle is not None and r.plan.cycle >= cycle
                             and r.date < row.date), key=lambda r: (r.date, r.line or 0))
            if not before:
                continue
            given = ", ".join(f"cycle {r.plan.cycle} day {r.plan.cycle_day} given on "
                              f"{r.date.isoformat()} by line {r.line}" for r in before)
            found[row.line] = f"applies only to doses not yet given ({given})"
            self.warnings.append(RecordWarning(
                f"{row.source}:{row.line}: the reduction of {self.name(row.drug or '')} from "
                f"cycle {cycle} is dated {row.date.isoformat()}, after {given}: it applies "
                "only to doses not yet given; a given dose keeps the dose of its day"))
        return found

    def cumulative(self, dosing: Dosing) -> tuple[CumulativeFlag, ...]:
        """Given plus planned doses against each drug's ``max_cumulative``: the
        administration that would cross it is flagged on it (and a given one is a
        deviation)."""
        if all(d.max_cumulative is None for d in self.regimen.drugs):
            return ()
        rows = [r for r in self.rows + self.extra if r.status in (_S.GIVEN, _S.PLANNED)]
        entries = [CumulativeEntry(r.plan.drug, r.date, (r.dose or r.plan.dose).amount,
                                   r.status is _S.GIVEN, dosing.dose(r.plan, r.date).body,
                                   r.plan.cycle, r.plan.cycle_day)
                   for r in rows]
        # A per-m2 (per-kg) limit on doses without the BSA (weight) they were computed
        # from is not checked, and says so, as on the plan alone (planned_limits).
        unsized = unsized_limits(self.regimen, entries)
        self.warnings.extend(limit_not_checked(drug) for drug in unsized)
        skip = {drug.id for drug in unsized}
        kept = [i for i, e in enumerate(entries) if e.drug not in skip]
        rows = [rows[i] for i in kept]
        flags = cumulative_flags(self.regimen, [entries[i] for i in kept])
        for flag in flags:
            r = rows[flag.index]
            r.touch(str(flag.warning))
            if flag.given and r.line is not None:
                row = self.record.row_at(r.line)
                assert row is not None
                self.deviation(row, str(flag.warning))
        return flags

    def outcomes(self, due: dict[int, date], dosing: Dosing) -> list[Outcome]:
        """What became of each planned administration, for the summary, with the body size
        each amount was computed from (the RDI's basis: docs/record.md, "Summary")."""
        out = []
        planned_sizes: dict[tuple[str, int, int | None, date], Decimal | None] = {}
        for r in self.rows + self.extra:
            planned = r.plan.dose.amount if id(r) in due else None
            basis = r.plan.dose.basis or Basis.FLAT
            planned_size = size = None
            if basis in _SCALED:
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
                               planned_size=planned_size, size=size))
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
            calendar_note=a.calendar_note if r.calendar_note is None else r.calendar_note,
            # Its identity, whatever the record says of it (a UID is made from it).
            plan=None if r.unplanned else a)


def replay(schedule: Schedule, record: Record,
           levels: Mapping[str, int] | None = None) -> Schedule:
    """The schedule as the participant's record makes it (docs/record.md, "Replay").

    ``schedule``: the plan (the regimen expanded for the participant, without a record);
    ``record``: the participant's :class:`Record`. Every administration gets its status
    (given, planned, missed, held, cancelled, stopped), its date (the day given, or the
    day now planned), its planned date and dose when they changed, and a note naming the
    record's lines; ``schedule.replayed`` lists the changes in date order and the
    protocol deviations (a delay over ``max_delay``, a dose given on no planned
    administration, or after a stop or hold). An empty record (no rows) gives the plan
    itself, so every output keeps its bytes.

    Raises:
        InvalidRegimenError: a row that names nothing on this schedule (an unknown drug,
            cycle or cycle day), a delay that does not move its cycle later, a dose both
            given and missed, a resume without a hold; each with the record's file,
            line and field.
    """
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
    dosing = Dosing(schedule, record, levels)

    def order(row: RecordRow) -> tuple[object, ...]:
        return (row.cycle or 0, row.day or -(10**9), row.date or date.min, row.line)

    for row in sorted(by_kind.get(EventKind.DELAY, []), key=order):
        state.delay(row)
    for row in sorted(by_kind.get(EventKind.MOVE, []), key=lambda r: (r.date, r.line)):
        state.move(row)
    state.keep_cancels()
    state.recalendar()
    due = {id(r): r.date for r in state.rows}  # after delays and moves, before the doses
    for row in sorted(by_kind.get(EventKind.MISSED, []), key=lambda r: (r.date, r.line)):
        state.missed(row)
    for row in sorted(by_kind.get(EventKind.GIVEN, []),
                      key=lambda r: (r.date, r.time is not None, r.time, r.line)):
        state.given(row, dosing)
    # Make-ups before holds and stops: a hold or a stop applies to a make-up too (one
    # planned after a stop is stopped, never planned).
    state.make_up()
    state.spans(by_kind.get(EventKind.HOLD, []) + by_kind.get(EventKind.RESUME, []))
    state.stops(by_kind.get(EventKind.STOP, []))
    state.unplanned_hints()
    state.past_period_end()
    state.doses(dosing)
    flags = state.cumulative(dosing)
    reaching = state.reduction_notes(by_kind.get(EventKind.REDUCE, []), dosing)
    for row in by_kind.get(EventKind.REDUCE, []):
        state.change(row, f"{state.name(row.drug or '')}: {reduction_text(row)}" + (
            f"; {reaching[row.line]}" if row.line in reaching else ""))
    for row in by_kind.get(EventKind.MEASURE, []):
        assert row.measurement is not None
        state.change(row, f"{row.measurement} measured")
    made = [state.administration(r) for r in state.rows + state.extra]
    made.sort(key=lambda a: (a.date, a.time is not None, a.time or datetime.min.time()))
    if not rows:
        made = list(schedule.administrations)
    deviations = tuple(text for *_, text in sorted(state.deviations))
    # Compared with the previous measurement and with what the doses were computed from:
    # the BSA in use (computed as the schedule computes it), the weight each course's
    # re-dosing rule kept.
    thresholds = sorted({t for a in schedule.administrations if (t := schedule.regimen
                         .policy_for(state.course((a.period, a.course))).redose_weight_change)
                         is not None})
    odd = implausible_measurements(schedule.participant, rows, redose=thresholds,
                                   bsa_formula=schedule.bsa_formula,
                                   bsa_decimals=schedule.bsa_decimals)
    summary = summarize(schedule.regimen, record, state.outcomes(due, dosing),
                        deviations=deviations, cumulative=flags, delays=state.delays,
                        measurements=[f"line {m.row.line}: {m.text}" for m in odd],
                        reduction_notes=reaching, starts=state.first_of)
    replayed = Replayed(
        source=record.source, record=record, planned=schedule,
        changes=tuple(text for *_, text in sorted(state.changes)),
        deviations=deviations, summary=summary,
        levels=tuple(sorted((levels or {}).items())))
    visits = state.visits() if rows else schedule.visits
    # The plan's warnings about a closed day an item was due on, when the record moved it
    # from there (each once: another item's warning of the same words stays).
    stale = Counter(state.stale)
    kept = []
    for w in schedule.warnings:
        if isinstance(w, ClosedDayWarning) and stale[str(w)] > 0:
            stale[str(w)] -= 1
            continue
        kept.append(w)
    return dataclasses.replace(
        schedule, administrations=tuple(made), visits=visits, replayed=replayed,
        warnings=tuple(kept) + tuple(state.warnings) + tuple(f.warning for f in flags)
        + tuple(m.warning for m in odd))


def history(schedule: Schedule) -> Iterator[Schedule]:
    """The schedule as each record the participant's record has been, oldest first.

    A record is only ever appended to (docs/record.md): ``schedule`` replayed over its
    record's first row, then its first two rows, and so on in the order of their lines
    (void rows included), after the plan itself (no row): each a schedule the site could
    have exported then. A part of the record that cannot be replayed on its own (a row
    given twice, voided by a later row) is left out, as no schedule was made of it; the
    whole record is last (``schedule`` itself). ``schedule`` without a record gives itself
    only. Pure: the same schedule gives the same schedules.
    """
    replayed = schedule.replayed
    if replayed is None:
        yield schedule
        return
    plan, record = replayed.planned, replayed.record
    levels = dict(replayed.levels)
    rows = sorted(record.rows, key=lambda r: r.line)
    yield plan
    for n in range(1, len(rows)):
        try:
            yield replay(plan, Record(record.source, tuple(rows[:n])), levels)
        except InvalidRegimenError:
            continue  # not a record on its own: no schedule was made of it
    yield schedule


def expand_with_record(regimen: Regimen, arm: str, timeline: Timeline, record: Record,
                       levels: Mapping[str, int] | None) -> Schedule:
    """:func:`regimens.record.expand` given a record, once the participant's ``timeline``
    is resolved: the plan replayed over ``record``.

    Raises:
        ExpandOptionError: a ``record`` that is not a :class:`Record`.
        InvalidRegimenError: every row of ``record`` that names what the regimen lacks
            (:meth:`Record.check_against`, all in one error); then as :func:`replay` says.
    """
    if not isinstance(record, Record):
        raise ExpandOptionError("record", "a Record (regimens.record.Record), as read from "
                                "the participant's record file", record)
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
