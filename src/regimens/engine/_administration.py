"""One administration of a schedule (:class:`Administration`) and its status, with the
engine's unchecked fast path (``Administration._unchecked``, :func:`blank_administration`)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import MISSING, fields
from datetime import datetime
from typing import Any

from .._records import dataclass
from ..quantities import StudyDay, plain
from ._computed import ComputedDose

__all__ = ["Administration", "AdministrationStatus", "blank_administration"]


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
    did, naming its lines; ``revision`` counts the record's rows that changed it,
    voided rows left out (a delay and its void: 0). It is not the iCalendar event's
    ``SEQUENCE``, which is counted over the record's history, voids included (the same
    delay and void: 2; docs/ics.md). A ``given`` row that fulfils no planned administration is an
    administration of its own with ``unplanned`` True: its own date, drug and amount, no
    cycle, cycle day, planned date or planned dose. ``plan`` is the planned
    administration a replayed one is (None without a record, and for an unplanned dose).
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
    #: Replayed over a record: the planned administration it is (as the plan has it, with
    #: its own date, time and dose), whatever the record says of it; its identity, from
    #: which its iCalendar UID is made. None without a record and for an unplanned dose.
    plan: Administration | None = None
    #: ``record_note`` without what revises nothing (what a dose was computed from; a
    #: measurement or reduction said that left the dose as it was): what an iCalendar
    #: event's revision (its SEQUENCE, docs/ics.md) is counted on. None: all of it.
    revising_note: str | None = None

    @classmethod
    def _unchecked(
        cls, study_day: StudyDay, date: dt.date, time: dt.time | None, at: datetime | None,
        period: str, drug: str, drug_name: str, route: str, course: int, cycle: int | None,
        cycle_day: int | None, dose: ComputedDose, placebo: bool, step: int | None,
        blinded: bool, note: str, avoid: tuple[str, ...], planned_date: dt.date | None = None,
        calendar_note: str = "", status: AdministrationStatus = AdministrationStatus.PLANNED,
        planned_dose: ComputedDose | None = None, record_note: str = "", revision: int = 0,
        unplanned: bool = False, plan: Administration | None = None,
        revising_note: str | None = None,
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
            "unplanned": unplanned, "plan": plan, "revising_note": revising_note})
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
