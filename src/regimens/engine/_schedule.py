"""A participant's schedule: the dated result of expanding a regimen.

Plain frozen records; rendering lives in :mod:`regimens.export`, reached through
the one-line ``Schedule.to_*`` delegates.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import MISSING, fields, replace
from datetime import date, datetime
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar

from .._records import dataclass
from ..errors import ExpandOptionError, RegimenWarning
from ..model import lookalike_text
from ..quantities import Duration, StudyDay, plain, shared_study_days
from ._computed import ComputedDose
from ._totals import DrugTotal, drug_totals

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..export import Reminder
    from ..model import Participant, Regimen, SiteCalendar
    from ..quantities import BSAFormula

__all__ = ["Administration", "AdministrationColumns", "AdministrationStatus", "CourseSpan",
           "PeriodSpan", "Replayed", "Schedule", "VisitOccurrence", "columns_of", "lazy_schedule"]


class AdministrationStatus(enum.Enum):
    """Where an administration stands once a participant's record is replayed
    (docs/record.md, "Statuses"): ``given`` (a ``given`` row fulfils it); ``planned`` (no
    row says otherwise: still to come, or not yet recorded); ``missed`` (a ``missed`` row:
    counts as zero, never as a dose of 0 given); ``held`` (within a ``hold``, before its
    ``resume``); ``cancelled`` (dropped by the record: the rest of a delayed cycle that
    runs into the next cycle under ``on_delay: keep``); ``stopped`` (on or after a
    ``stop``). Without a record every administration is ``planned``.
    """

    GIVEN = "given"
    PLANNED = "planned"
    MISSED = "missed"
    HELD = "held"
    CANCELLED = "cancelled"
    STOPPED = "stopped"

    @property
    def happens(self) -> bool:
        """True when the dose is, or will be, given (``given`` or ``planned``)."""
        return self in (AdministrationStatus.GIVEN, AdministrationStatus.PLANNED)


@dataclass(frozen=True)
class Administration:
    """One planned administration of one drug.

    ``study_day`` and ``date`` say when (``time``: local wall-clock time, None for
    any time that day; ``at``: the same instant, aware, when the schedule has a
    time zone). ``course`` is the course's index (from 0) within ``period``;
    ``cycle`` and ``cycle_day`` count from 1; ``step`` is the index (from 0) of the
    escalation or taper step. ``dose`` holds the exact amount and its derivation;
    ``blinded``: given in a blinded period; ``avoid``: drugs not to be given the
    same day (``no_same_day``).

    With a site calendar (``Regimen.expand(..., calendar=...)``), clinic work on a
    closed day moves within its course's window: ``date`` (and ``study_day``) are then
    the day it is given and ``planned_date`` the day the regimen plans (None when not
    moved); ``calendar_note`` says why it moved ("moved from Sat 2027-12-25: public
    holiday (Christmas Day)"), or, when no open day was found, that it stays on a
    closed day (a conflict, also issued as a :class:`~regimens.ClosedDayWarning`).
    ``cycle`` and ``cycle_day`` stay the protocol's: a move does not re-anchor cycles.

    Replayed over a participant's record (``Regimen.expand(..., record=...)``,
    docs/record.md): ``status`` says whether it was given, is still planned, or was
    missed, held, cancelled or stopped; ``date`` is the day given (or, when not given,
    the day it is or was due after the record's delays and moves) and ``planned_date``
    the protocol's day when they differ; a dose not given has no ``amount`` in JSON and
    CSV (it counts as zero) and keeps the dose it would have had here;
    ``dose`` is what was given (or is now planned) and ``planned_dose`` the dose the plan
    had, when the record changed it (else None); ``record_note`` says what the record
    did, naming its lines; ``revision`` counts the record's changes to it (an iCalendar
    event's SEQUENCE). A ``given`` row that fulfils no planned administration is an
    administration of its own with ``unplanned`` True: its own date, drug and amount, no
    cycle, cycle day, planned date or planned dose.
    """

    study_day: StudyDay
    date: dt.date
    time: dt.time | None  # local wall time; None = any time that day
    at: datetime | None  # the same instant, aware, when a time zone was given
    period: str
    drug: str  # the drug's id
    drug_name: str
    route: str
    course: int  # index of the course within its period
    cycle: int | None
    cycle_day: int | None
    dose: ComputedDose
    placebo: bool
    step: int | None  # index of the escalation/taper step, if any
    blinded: bool
    note: str = ""
    #: Names of drugs that must not be given the same day (``no_same_day``).
    avoid: tuple[str, ...] = ()
    #: The date the regimen plans, when the site's calendar moved it; else None.
    planned_date: dt.date | None = None
    #: Why it moved, or why it stays on a closed day (a conflict); "" otherwise.
    calendar_note: str = ""
    #: Given, planned, missed, held, cancelled or stopped (a record's replay); else planned.
    status: AdministrationStatus = AdministrationStatus.PLANNED
    #: The dose the plan had, when a record changed it (another amount given); else None.
    planned_dose: ComputedDose | None = None
    #: What the participant's record did to it, naming the record's lines; "" otherwise.
    record_note: str = ""
    #: How many of the record's rows changed it (its date, dose or status): from 0.
    revision: int = 0
    #: A dose the record gives that fulfils no planned administration (a protocol
    #: deviation): no planned date or amount, no cycle or cycle day of its own.
    unplanned: bool = False

    @classmethod
    def _unchecked(
        cls, study_day: StudyDay, date: dt.date, time: dt.time | None, at: datetime | None,
        period: str, drug: str, drug_name: str, route: str, course: int, cycle: int | None,
        cycle_day: int | None, dose: ComputedDose, placebo: bool, step: int | None,
        blinded: bool, note: str, avoid: tuple[str, ...], planned_date: dt.date | None = None,
        calendar_note: str = "", status: AdministrationStatus = AdministrationStatus.PLANNED,
        planned_dose: ComputedDose | None = None, record_note: str = "", revision: int = 0,
        unplanned: bool = False,
    ) -> Administration:
        """An administration from fields the engine has already checked (the fast path).

        The frozen ``__init__`` sets the 17 fields one ``object.__setattr__`` at a
        time, which was a third of the time of ``expand()``; this fills the instance
        ``__dict__`` at once. The result is equal to ``Administration(...)`` with the
        same fields: the class has no ``__post_init__`` to skip, and a test pins that
        the keys are exactly the dataclass fields, in order. Positional parameters,
        in field order: keyword matching would cost more than the dict it saves.
        """
        self = _new(cls)
        _set(self, "__dict__", {
            "study_day": study_day, "date": date, "time": time, "at": at, "period": period,
            "drug": drug, "drug_name": drug_name, "route": route, "course": course,
            "cycle": cycle, "cycle_day": cycle_day, "dose": dose, "placebo": placebo,
            "step": step, "blinded": blinded, "note": note, "avoid": avoid,
            "planned_date": planned_date, "calendar_note": calendar_note, "status": status,
            "planned_dose": planned_dose, "record_note": record_note, "revision": revision,
            "unplanned": unplanned})
        return self

    @property
    def conflict(self) -> bool:
        """True when it falls on a day the site is closed and no open day was found."""
        return bool(self.calendar_note) and self.planned_date is None

    @property
    def amount(self) -> str | None:
        """The exact amount as a decimal string, or None (placebo, unspecified)."""

        return None if self.dose.amount is None else plain(self.dose.amount.magnitude)

    @property
    def planned_amount(self) -> str | None:
        """The planned dose's exact amount as a decimal string (the plan's, when a record
        changed the dose; else the same as :attr:`amount`), or None (none planned: also
        for an :attr:`unplanned` dose)."""
        if self.unplanned:
            return None
        dose = self.planned_dose or self.dose
        return None if dose.amount is None else plain(dose.amount.magnitude)

    @property
    def unit(self) -> str | None:
        """The amount's unit symbol (``mg``, ``MIU``, ``cells``...), or None with no amount."""
        return None if self.dose.amount is None else self.dose.amount.unit.symbol

    @property
    def step_number(self) -> int | None:
        """The escalation/taper step as people count it, from 1 (``step`` is the 0-based
        index), or None outside steps; what JSON, CSV and the cohort's ``step`` column show."""
        return None if self.step is None else self.step + 1


_new = object.__new__
_set = object.__setattr__


@dataclass(frozen=True)
class VisitOccurrence:
    """A visit placed on the calendar: its target day and its window (inclusive dates).

    With a site calendar, a visit on a closed day moves to the nearest open day of its
    window: ``date`` and ``study_day`` are then the day of the visit, ``planned_date``
    its target day, and ``calendar_note`` says why (as for :class:`Administration`).
    """

    id: str
    label: str
    study_day: StudyDay
    date: dt.date
    earliest: dt.date
    latest: dt.date
    period: str | None  # the period the target day falls in, if any
    planned_date: dt.date | None = None
    calendar_note: str = ""

    @property
    def conflict(self) -> bool:
        """True when it falls on a day the site is closed and no open day was found."""
        return bool(self.calendar_note) and self.planned_date is None


@dataclass(frozen=True)
class PeriodSpan:
    """Where one period of the arm's path lies: first and last Study Day and date, inclusive.

    ``length`` is the period's length for this participant (a fixed length, or the one
    chosen with ``lengths`` within the period's range).
    """

    id: str
    label: str
    first_day: StudyDay
    last_day: StudyDay
    first_date: date
    last_date: date
    length: Duration
    blinded: bool


@dataclass(frozen=True)
class CourseSpan:
    """Where a course's cycles lie, off days included: the basis of dose intensity."""

    period: str
    course: int
    drug: str
    first_date: date
    last_date: date
    cycles: int | None


@dataclass(frozen=True)
class Replayed:
    """What replaying a participant's record did to a schedule (``Schedule.replayed``).

    ``source``: the record's name (its file); ``record``: the record itself (a
    :class:`regimens.record.Record`), for the summary; ``planned``: the schedule before
    the record (the plan); ``changes``: one line per row applied, in the order of its
    date ("2027-03-01 delay (line 7): cycle 3 of aldesleukin starts on ..., 7 days
    later"); ``deviations``: protocol deviations the rows show (a delay over
    ``max_delay``, a ``given`` row that fulfils no planned administration), each naming
    its line; ``summary``: the record's summary (a :class:`regimens.record.RecordSummary`).
    """

    source: str
    record: Any
    planned: Schedule
    changes: tuple[str, ...] = ()
    deviations: tuple[str, ...] = ()
    #: The summary (a :class:`regimens.record.RecordSummary`): counts, totals, delays,
    #: reductions, deviations, relative dose intensity (docs/record.md, "Summary").
    summary: Any = None


@dataclass(frozen=True)
class Schedule:
    """Everything a participant on one arm receives, dated (from :meth:`Regimen.expand`).

    ``administrations`` are ordered by date, then time, then period and course;
    ``start`` is the date of Study Day 1; ``warnings`` are the :class:`RegimenWarning`
    issued while expanding; ``calendar``: the site calendar it was expanded with, if any;
    ``replayed``: what a participant's record did to it (None: the plan, no record).
    Outputs: :meth:`to_table`, :meth:`to_calendar` (people),
    :meth:`to_json`, :meth:`to_csv`, :meth:`to_dict` (data), :meth:`to_ics` (calendars).
    """

    regimen: Regimen
    arm: str
    start: date  # date of Study Day 1
    participant: Participant
    tz: str | None
    bsa_formula: BSAFormula
    bsa_decimals: int
    periods: tuple[PeriodSpan, ...]
    courses: tuple[CourseSpan, ...]
    administrations: tuple[Administration, ...]
    visits: tuple[VisitOccurrence, ...]
    warnings: tuple[RegimenWarning, ...] = ()
    calendar: SiteCalendar | None = None
    replayed: Replayed | None = None

    def __getstate__(self) -> dict[str, Any]:
        """The fields for pickle and copy: the administrations as a tuple, never the
        engine's columns (:class:`AdministrationColumns`), so that a pickle holds only
        public classes and reads back as an equal schedule."""
        state = {f.name: getattr(self, f.name) for f in fields(self)}
        return state

    @property
    def totals(self) -> tuple[DrugTotal, ...]:
        """The participant's totals per drug (administrations, cumulative dose per
        dimension, vials), in the order the regimen declares its drugs: what the dose
        sheet (:meth:`to_table`, :meth:`to_calendar`, :meth:`to_json`) ends with."""
        columns = columns_of(self)
        if columns is not None:
            # Each group's rows share one dose and one placebo flag: counted, not walked.
            return drug_totals(self.regimen, (), columns.weighted())
        return drug_totals(self.regimen, self.administrations)

    def only(self, drugs: Sequence[str]) -> Schedule:
        """The same schedule with only these drugs' administrations (visits are kept).

        For a calendar or dose sheet of one drug when another, such as a daily
        background drug, would fill every day.
        """
        known = [d.id for d in self.regimen.drugs]
        for drug in drugs:
            if drug not in known:
                raise ExpandOptionError("drug", f"no drug has this id ("
                                        f"{lookalike_text(drug, known)}drugs: "
                                        f"{', '.join(known)})", drug)
        wanted = set(drugs)
        return replace(
            self,
            administrations=tuple(a for a in self.administrations if a.drug in wanted),
            courses=tuple(c for c in self.courses if c.drug in wanted))

    def to_dict(self) -> dict[str, Any]:
        """The schedule as plain data (``"format": "regimens-schedule/1"``), as in :meth:`to_json`.

        Amounts are exact decimal strings with their unit symbol, dates ISO 8601
        (``YYYY-MM-DD``), times ``HH:MM`` local wall time; each administration carries its
        dose in safe notation and its derivation. See docs/cli.md for every field.
        """
        from ..export import schedule_dict

        return schedule_dict(self)

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text: UTF-8, indented by 2, keys in a fixed order."""
        from ..export import render_json

        return render_json(self)

    def to_csv(self) -> str:
        """One CSV row per administration, with a header; fields as in :meth:`to_dict`.

        Lines end with ``\n``; an empty cell is no value; booleans are ``true``/``false``.
        """
        from ..export import render_csv

        return render_csv(self)

    def to_table(self) -> str:
        """An aligned text table for people: dates with weekday, doses in safe notation.

        Safe notation follows the ISMP List of Error-Prone Abbreviations: "1 million
        units", never "1 MIU" or a trailing zero.
        """
        from ..export import render_table

        return render_table(self)

    def to_ics(
        self,
        *,
        stamp: datetime,
        blinded: bool | None = None,
        reminders: Sequence[Reminder | str] = (),
        previous: bytes | str | None = None,
    ) -> bytes:
        """The schedule as an iCalendar file (:rfc:`5545`): one event per administration.

        ``stamp``: an aware datetime, written as every event's DTSTAMP
        (:rfc:`5545#section-3.8.7.2`); no clock is read. ``blinded``: True hides arm,
        dose and placebo everywhere, None (default) only in periods marked ``blinded``,
        False nowhere. ``reminders``: :class:`Reminder` values or their text (``"1h"``,
        ``"30m"``, ``"09:00-day-before"``), written as VALARMs
        (:rfc:`5545#section-3.6.6`). ``previous``: the file
        published before, so that dropped events are written as cancelled
        (:rfc:`5545#section-3.8.1.11`) and changed ones get a higher SEQUENCE
        (:rfc:`5545#section-3.8.7.4`). See docs/ics.md.

        Raises:
            ExpandOptionError: a naive ``stamp``, a timed administration without a time
                zone, a malformed reminder, or an unreadable ``previous`` file.
        """
        from ..export import to_ics

        return to_ics(self, stamp=stamp, blinded=blinded, reminders=reminders,
                      previous=previous)

    def to_html(self, *, lang: str = "en", blinded: bool | None = None, paper: str = "a4",
                contact: Sequence[str] = ()) -> str:
        """The participant's calendar handout: one self-contained HTML page (no script, no
        fetch), month pages naming each day's doses and visits in words; see
        docs/handouts.md.

        ``lang``: ``"en"`` or ``"fr"``; ``blinded`` as in :meth:`to_calendar` (blinded
        doses read "study drug", never dose, placebo or arm); ``paper``: ``"a4"`` or
        ``"letter"``, the page of the print CSS; ``contact``: the site's contact lines
        (default: blank lines to write them in).

        Raises:
            ExpandOptionError: an unknown language or paper, or an empty contact line.
        """
        from ..export import render_html

        return render_html(self, lang=lang, blinded=blinded, paper=paper,
                           contact=tuple(contact))

    def to_diary(self, *, lang: str = "en", blinded: bool | None = None, paper: str = "a4",
                 contact: Sequence[str] = ()) -> str:
        """The participant's dosing diary as one HTML page: a line per dose to tick, by
        study week, with the drugs' instructions (``missed_dose``...), clinic visits and a
        page for other medicines. Options and errors as in :meth:`to_html`."""
        from ..export import render_diary

        return render_diary(self, lang=lang, blinded=blinded, paper=paper,
                            contact=tuple(contact))

    def to_pdf(self, *, sheet: str = "handout", lang: str = "en", blinded: bool | None = None,
               paper: str = "a4", contact: Sequence[str] = (),
               stamp: datetime | None = None) -> bytes:
        """The handout (``sheet="handout"``) or diary (``"diary"``) as PDF, laid out with
        fpdf2 (``pip install 'regimens[pdf]'``). ``stamp`` (aware): the creation date
        written (none without it). Other options as in :meth:`to_html`.

        Raises:
            ExpandOptionError: fpdf2 missing, an unknown sheet, or as :meth:`to_html`.
        """
        from ..export import render_pdf

        return render_pdf(self, sheet=sheet, lang=lang, blinded=blinded, paper=paper,
                          contact=tuple(contact), stamp=stamp)

    def to_calendar(self, *, blinded: bool | None = None) -> str:
        """Month grids. ``blinded`` as in :meth:`to_ics`: by default the arm is not
        named when the schedule has administrations in a blinded period."""
        from ..export import render_calendar

        return render_calendar(self, blinded=blinded)


#: An administration's fields in order, each at its default (None where it has none):
#: what the engine copies and fills for each row (engine/_layout.py), so that a field
#: added with a default is filled as ``Administration(...)`` would fill it.
_BLANK: dict[str, Any] = {
    f.name: (None if f.default is MISSING else f.default) for f in fields(Administration)}
assert all(f.default_factory is MISSING for f in fields(Administration)), \
    "the engine's rows would share one mutable default"


def blank_administration() -> dict[str, Any]:
    """A copy of :data:`_BLANK`: the fields of an administration at their defaults, in order."""
    return _BLANK.copy()


#: A slot of a course (``Course.slots``): offset from Study Day 1, cycle, cycle day, time of
#: day and step index.
Slot = tuple[int, int | None, int | None, dt.time | None, int | None]


@dataclass(frozen=True, eq=False)
class AdministrationColumns:
    """A schedule's administrations as the engine lays them out in bulk: one group per
    course, one slot per row, no :class:`Administration` object until one is asked for.

    ``groups``: per course, the fields every row of it shares (a complete field
    dictionary, in field order; its per-row fields are overwritten) and the dose of each
    step index (``None`` without steps); ``slots``: each group's slots (offset from Study
    Day 1, cycle, cycle day, time, step), in the course's order; ``order``: the schedule's
    order, as indexes into the groups' slots laid end to end; ``day_one``: the proleptic
    ordinal of the date of offset 0; ``day_zero``: the regimen counts a Day 0; ``plain``:
    see below. :meth:`rows` makes the same administrations the row by row path makes (a property
    test holds them equal field by field).
    """

    groups: tuple[tuple[dict[str, Any], dict[int | None, ComputedDose]], ...]
    slots: tuple[list[Slot], ...]
    order: list[int]
    day_one: int
    day_zero: bool
    #: Per group: True when none of its slots has a cycle, cycle day or time (the course
    #: has no cycle and no times), so that its rows differ only in their day.
    plain: tuple[bool, ...] = ()

    def __len__(self) -> int:
        """The number of administrations."""
        return len(self.order)

    def in_order(self, per_group: Sequence[Sequence[_T]]) -> tuple[_T, ...]:
        """Values given group by group, one per slot, in the schedule's order."""
        flat = list(chain.from_iterable(per_group))
        if len(flat) < 2:
            return tuple(flat)
        taken: tuple[_T, ...] = itemgetter(*self.order)(flat)
        return taken

    def rows(self) -> tuple[Administration, ...]:
        """The administrations, in schedule order (made on each call)."""
        return self.in_order([self.group_rows(group) for group in range(len(self.groups))])

    def group_rows(self, group: int, slots: Sequence[Slot] | None = None
                   ) -> list[Administration]:
        """The administrations of ``group`` (of ``slots``, default its own), made as the
        engine makes each row: the group's fields, then the row's day, date, time, cycle,
        cycle day, step and the dose of its step."""
        template, doses = self.groups[group]
        study_day = shared_study_days(self.day_zero).__getitem__
        from_ordinal, day_one = dt.date.fromordinal, self.day_one
        out: list[Administration] = []
        append = out.append
        for offset, cycle, cycle_day, at, step in self.slots[group] if slots is None else slots:
            admin = _new(Administration)
            row = admin.__dict__
            row.update(template)
            row["study_day"] = study_day(offset)
            row["date"] = from_ordinal(day_one + offset)  # in range: the span was dated
            row["time"] = at
            row["cycle"] = cycle
            row["cycle_day"] = cycle_day
            row["dose"] = doses[step]
            row["step"] = step
            append(admin)
        return out

    def weighted(self) -> list[tuple[Administration, int]]:
        """One administration per group and dose (a representative), with how many rows
        it stands for, in the order of each one's first row in the schedule: what the
        totals need, without a row per administration."""
        firsts: dict[tuple[int, int | None], list[Any]] = {}
        if all(len(doses) == 1 for _, doses in self.groups):
            # One dose per group: the groups in the order of their first rows.
            owners = self.in_order([[g] * len(s) for g, s in enumerate(self.slots)])
            for group in dict.fromkeys(owners):
                slots = self.slots[group]
                firsts[(group, slots[0][4])] = [slots[0], len(slots)]
        else:
            pairs = self.in_order([[(g, slot) for slot in s] for g, s in enumerate(self.slots)])
            for group, slot in pairs:
                found = firsts.get((group, slot[4]))
                if found is None:
                    firsts[(group, slot[4])] = [slot, 1]
                else:
                    found[1] += 1
        return [(self.group_rows(group, (slot,))[0], count)
                for (group, _), (slot, count) in firsts.items()]


_T = TypeVar("_T")


class _FromColumns:
    """``Schedule.administrations`` of a schedule the engine built in bulk
    (:func:`lazy_schedule`): made from its columns on first access and kept in the
    instance, whose own value then answers every later access at plain-attribute speed.

    A non-data descriptor: a schedule made by ``Schedule(...)`` (or ``replace``) holds
    its ``administrations`` in its instance dictionary, which takes precedence.
    """

    def __get__(self, obj: Schedule | None, owner: type | None = None) -> Any:
        if obj is None:
            raise AttributeError("administrations")  # a field, as on any dataclass
        rows = obj.__dict__["_columns"].rows()
        obj.__dict__["administrations"] = rows
        return rows


# After the dataclass is made: its field keeps no default, its __init__ stays as it is.
setattr(Schedule, "administrations", _FromColumns())  # noqa: B010 (mypy: the field's type)


def lazy_schedule(columns: AdministrationColumns, **values: Any) -> Schedule:
    """A :class:`Schedule` with every field in ``values`` but ``administrations``, which
    are made from ``columns`` when first read (the engine's bulk path)."""
    schedule = Schedule(administrations=(), **values)
    del schedule.__dict__["administrations"]
    schedule.__dict__["_columns"] = columns
    return schedule


def columns_of(schedule: Schedule) -> AdministrationColumns | None:
    """The columns ``schedule`` was built from in bulk, or None (built row by row, or
    made by ``Schedule(...)`` or ``replace``, whose administrations may be anything)."""
    found: AdministrationColumns | None = schedule.__dict__.get("_columns")
    return found
