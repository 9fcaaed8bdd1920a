"""The state of one replay (:mod:`._replay`): the administrations being replayed, the
changes and deviations said so far, and what every step of the replay shares (the course's
policies, the words for a row, a day, a number of days)."""

from __future__ import annotations

from dataclasses import field
from datetime import date, time

from .._records import dataclass
from ..engine import Administration, AdministrationStatus, ComputedDose, Schedule
from ..errors import NO_VALUE, InvalidRecordError, Problem, RegimenWarning
from ..model import Course, suggestion
from ..quantities import Basis
from ._dosing import DoseChange
from ._model import RecordRow
from ._record import Record
from ._summary import Delay, _days

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
    said: list[int] = field(default_factory=list)  # the notes that revise nothing (say())
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
    # The day the protocol gives it (the regimen's day, before the site calendar and the
    # record), moved only by another cycle's delay that shifts the grid (on_delay: shift):
    # what max_delay counts from, so that the record's delays and moves of it and a late
    # given row add up (:meth:`_ReplayState.too_late`). None for a make-up or an
    # unplanned dose.
    protocol: _Date | None = None
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

    def say(self, note: str) -> None:
        """A note that revises nothing (what a dose was computed from; a measurement that
        left it as it was): shown, but no calendar revision (docs/ics.md, "SEQUENCE")."""
        self.said.append(len(self.notes))
        self.notes.append(note)

    @property
    def revising_note(self) -> str | None:
        """The notes joined as ``record_note`` joins them, without those :meth:`say`
        added; None when there are none of those (all of ``record_note`` revises)."""
        if not self.said:
            return None
        return "; ".join(n for i, n in enumerate(self.notes) if i not in self.said)


def _problem(row: RecordRow, name: str, message: str, value: object,
             code: str) -> InvalidRecordError:
    if value is None:
        # A cell left empty: said so, never "(got null)" (JSON's word, not the file's).
        message, value = f"{message} (the {name} cell is empty)", NO_VALUE
    return InvalidRecordError([Problem(row.source, row.line, (name,), message, value,
                                        code=code)])


def _where(row: RecordRow) -> str:
    return f"line {row.line}" + (f": {row.reason}" if row.reason else "")


def _day(d: date) -> str:
    return f"{('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')[d.weekday()]} {d.isoformat()}"


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


def _one_period(row: RecordRow, found: list[_Row], what: str) -> None:
    """Refuse a row whose cycle (and day) names administrations of more than one period
    (the same drug's cycles 1-2 in induction and again in maintenance): taking the first
    would fulfil, miss, move or delay another period's dose silently."""
    periods: dict[str, date] = {}
    for r in sorted(found, key=lambda r: r.plan.date):
        periods.setdefault(r.plan.period, r.plan.date)
    if len(periods) < 2:
        return
    where = "; ".join(f"{p}: {_day(d)}" for p, d in periods.items())
    by_date = {"given": "a given row names the administration by the date it is planned on "
                        "(the planned column), and ",
               "missed": "a missed row without cycle and day names the administration "
                         "planned on its date, and "}.get(row.event.value, "")
    raise _problem(row, "cycle", f"{what} is in more than one period ({where}): the record "
                   f"cannot tell them apart by cycle number; {by_date}the regimen can "
                   "number the later period's cycles on with first_cycle (docs/format.md)",
                   row.cycle, "record-ambiguous-cycle")


class _ReplayState:
    """The state of one replay: the rows, the changes and deviations said so far."""

    def __init__(self, schedule: Schedule, record: Record) -> None:
        self.schedule = schedule
        self.record = record
        self.regimen = schedule.regimen
        self.rows = [_Row(a, a.date, target=a.planned_date or a.date,
                          protocol=a.planned_date or a.date)
                     for a in schedule.administrations]
        # (course key, cycle, cycle day) -> (the date a delay row names for it, its line):
        # a visit on that day is kept there, as the administration is.
        self.named_days: dict[tuple[tuple[str, int], int, int], tuple[date, int]] = {}
        self.extra: list[_Row] = []  # given rows that fulfil no planned administration
        # Under missed: make_up, each missed administration's make-up (by id of the row).
        self.made_up_by: dict[int, _Row] = {}
        # Given and missed rows that can only be read once make-ups are planned.
        self.later_given: list[RecordRow] = []
        self.later_missed: list[RecordRow] = []
        self.changes: list[tuple[date, int, str]] = []
        self.deviations: list[tuple[date, int, str]] = []
        self.delays: list[Delay] = []
        self.delay_rows: dict[int, RecordRow] = {}  # the delay rows applied, by line
        # Each administration's date once delays and moves are applied, before the given
        # rows: the date a given row's planned column names it by.
        self.planned_on: dict[int, date] = {}
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
                names = {d.id: d.name for d in self.regimen.drugs}
                raise _problem(row, "drug", suggestion(row.drug, known, names) + "no drug of "
                               "the regimen has this id (drugs: " + ", ".join(known) + ")",
                               row.drug, "record-unknown-drug")

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

    def out_of_order(self, named: list[_Row], to: date) -> list[str]:
        """Why moving ``named`` (one administration's rows, still on the day they were
        due) to ``to`` changes the order of the doses of their drug: on or after the next
        administration, or on or before the previous one (empty when it keeps the order).
        The one rule for every way a dose's date changes (a move, a dose given on another
        day than it was due, a make-up; docs/record.md): doses of one drug never silently
        change order, and two doses never silently fall on one day."""
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

        if after and to >= after[0].date:
            why.append(f"on or after the next administration of {first.plan.drug_name} "
                       f"({which(after[0])})")
        if before and to <= before[-1].date:
            why.append(f"on or before the previous administration of "
                       f"{first.plan.drug_name} ({which(before[-1])})")
        return why

    def too_late(self, first: _Row, due: date, to: date) -> list[str]:
        """Why ``first`` (an administration, or its make-up) on ``to`` is later than its
        course's ``max_delay`` allows (empty when it is not, or the course has no limit).
        The one limit for every way a dose lands later than it was due (a delay, a move,
        a dose given late, after a hold too, and any of them together; docs/record.md):
        counted from the day the protocol gives it (``first.protocol``: the record's
        delays and moves of it count, as a cycle's delays add up to its delay in all;
        another cycle's delay that shifts the grid does not), else, for a make-up, from
        ``due``, the day the plan makes it up on. ``due`` is the day the deviation names
        as due (after the record's delays and moves); when the count starts on another
        day, the reason names that day."""
        limit = _max_delay(self.schedule, self.course(first.key))
        since = first.protocol if first.protocol is not None else due
        days = (to - since).days
        if limit is None or days <= limit:
            return []
        why = f"{_days(days)} after it was due, more than max_delay ({_days(limit)})"
        if since != due:
            why += (f", counted from {_day(since)}, the day the protocol gives it (the "
                    "record's delays and moves of it count)")
        return [why]

    def same_day(self, target: _Row, to: date) -> list[str]:
        """Why giving ``target`` on ``to`` doubles a dose: another administration of its
        drug given or planned that day (empty when none)."""
        clash = [r for r in self.rows if r is not target and r.plan.drug == target.plan.drug
                 and r.date == to and r.status in (_S.GIVEN, _S.PLANNED)]
        return [f"on the day of another administration of {target.plan.drug_name} ("
                + (f"cycle {r.plan.cycle} day {r.plan.cycle_day} on "
                   if r.plan.cycle is not None else "") + f"{_day(r.date)})"
                for r in clash[:1]]
