"""The record of treatment as it happens: one row per event, appended to, never edited.

A :class:`Record` is what a site writes down for one participant (docs/record.md): doses
given and missed, delays and moves, holds, reductions, new measurements, stops, and
``void`` rows that withdraw a row entered in error (the record is only ever appended to,
as EHRs and CDISC EC/EX keep it). The types here are frozen and check their own shape:
which fields each :class:`EventKind` takes. Whether a row fits a regimen (its drug,
cycle and level exist) is :meth:`Record.check_against`'s business; what the rows do to a
schedule is the replay's. The rows are here; the :class:`Record` of them, and
how it checks and restates its voids, in :mod:`._record`.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import replace
from decimal import Decimal

from .._records import dataclass
from ..errors import NO_VALUE, InvalidRecordError, ParticipantError, Problem
from ..model import Participant
from ..quantities import Amount, decimal_argument

__all__ = ["MEASUREMENT_KINDS", "EventKind", "Measurement", "RecordRow"]


class EventKind(enum.Enum):
    """What a row of a record says happened (docs/record.md, "Events").

    ``GIVEN`` a dose was given (the amount actually given; default the planned one);
    ``MISSED`` a planned dose was not given (counts as zero, never as a dose of 0);
    ``DELAY`` a cycle (or an administration and the rest of its cycle) starts later;
    ``MOVE`` one administration moves, nothing else; ``HOLD`` / ``RESUME`` a drug (or
    the whole treatment) is paused and resumed; ``REDUCE`` a drug goes to a dose level
    or a percentage of its level-0 dose; ``MEASURE`` a new weight, height, BSA, serum
    creatinine or GFR; ``STOP`` a drug (or the whole treatment) stops; ``VOID`` withdraws
    an earlier row, named by its line and restated (its event, date and other cells), so
    that a line number gone stale cannot withdraw another row.
    """

    GIVEN = "given"
    MISSED = "missed"
    DELAY = "delay"
    MOVE = "move"
    HOLD = "hold"
    RESUME = "resume"
    REDUCE = "reduce"
    MEASURE = "measure"
    STOP = "stop"
    VOID = "void"


#: The measurements a ``measure`` row may record, as :class:`~regimens.Participant` names
#: them: the new value replaces the participant's from the row's date on.
MEASUREMENT_KINDS = ("weight", "height", "bsa", "creatinine", "gfr")


@dataclass(frozen=True)
class Measurement:
    """A body measurement recorded on a date: ``Measurement("weight", "68 kg")``.

    ``kind`` is one of :data:`MEASUREMENT_KINDS`; ``text`` the value with its unit as
    written, read and range-checked exactly as :class:`~regimens.Participant` reads it
    (weight 0.5-400 kg, height 30-250 cm, BSA 0.1-4 m2, creatinine 0.1-20 mg/dL, GFR 1-250
    mL/min). :meth:`apply` gives the participant with this measurement in place.

    Raises:
        InvalidRecordError: an unknown kind, or a value Participant refuses.
    """

    kind: str
    text: str

    def __post_init__(self) -> None:
        problems = _Problems("Measurement")
        if self.kind not in MEASUREMENT_KINDS:
            problems.add("kind", "one of " + ", ".join(MEASUREMENT_KINDS), self.kind,
                         code="not-one-of")
        elif not isinstance(self.text, str):
            problems.add("text", "a measurement with its unit, as text ('68 kg')", self.text,
                         code="wrong-type")
        else:
            try:
                Participant(**{self.kind: self.text})
            except ParticipantError as exc:
                problems.add("text", exc.reason, self.text,
                             code="bad-measurement")
        problems.raise_any()

    def apply(self, participant: Participant) -> Participant:
        """``participant`` with this measurement replacing its own (others kept).

        A new creatinine replaces a measured GFR and a new GFR replaces a creatinine:
        the latest renal value is the one a dose is computed from.
        """
        changes: dict[str, object] = {self.kind: self.text}
        if self.kind == "creatinine":
            changes["gfr"] = None
        elif self.kind == "gfr":
            changes["creatinine"] = None
        elif self.kind in ("weight", "height") and participant.bsa is not None:
            # A given BSA would hide the new weight or height: BSA is recomputed from them.
            changes["bsa"] = None
        return replace(participant, **changes)  # type: ignore[arg-type]

    def __str__(self) -> str:
        return f"{self.kind} {self.text}"


#: Fields a row may carry, besides ``source``, ``line``, ``date``, ``event``, ``reason``.
_OPTIONAL = ("time", "drug", "cycle", "day", "amount", "measurement", "level", "percent",
             "voids", "voided_event", "planned")

# For each event: the fields it needs and the fields it may have (docs/record.md).
_NEEDS: dict[EventKind, tuple[str, ...]] = {
    EventKind.GIVEN: ("drug",),
    EventKind.MISSED: ("drug",),
    EventKind.DELAY: ("cycle",),
    EventKind.MOVE: ("drug", "cycle", "day"),
    EventKind.HOLD: (),
    EventKind.RESUME: (),
    EventKind.REDUCE: ("drug",),
    EventKind.MEASURE: ("measurement",),
    EventKind.STOP: (),
    EventKind.VOID: ("voids",),
}
_MAY: dict[EventKind, tuple[str, ...]] = {
    EventKind.GIVEN: ("time", "drug", "cycle", "day", "amount", "planned"),
    EventKind.MISSED: ("time", "drug", "cycle", "day"),
    EventKind.DELAY: ("drug", "cycle", "day"),
    EventKind.MOVE: ("time", "drug", "cycle", "day"),
    EventKind.HOLD: ("drug",),
    EventKind.RESUME: ("drug",),
    EventKind.REDUCE: ("drug", "cycle", "level", "percent"),
    EventKind.MEASURE: ("time", "measurement"),
    EventKind.STOP: ("drug",),
    EventKind.VOID: ("voids",),
}


@dataclass(frozen=True)
class RecordRow:
    """One event of a record, as written on one line of its file.

    ``source`` and ``line`` say where it was written (the file name and its 1-based line:
    the CSV line, or the line a YAML row starts on); ``date`` the day it happened (or, for
    ``reduce``/``delay``, the day it takes effect) and ``time`` the local time, if given.
    ``drug`` is a drug id of the regimen (None: every drug, where the event allows it);
    ``cycle`` the protocol's cycle number (from 1; with ``first_cycle`` the protocol's own
    number) and ``day`` the cycle day (no day 0; -1 is the day before day 1). ``amount``
    the amount actually given (``given``; None: the planned amount); ``measurement`` the
    new value (``measure``); ``level`` a declared dose level (0, -1, -2 ...) and
    ``percent`` a percentage of the level-0 dose (above 0, at most 100) for ``reduce``
    (at least one; when both, they must agree with the regimen's levels); ``reason`` free
    text; ``voids`` the line of the row a ``void`` withdraws; ``planned`` (``given``) the
    date the administration it fulfils is planned on, naming it when it was given on
    another day (instead of its cycle and day: a course without cycles has none).

    A ``void`` also restates the row it withdraws: ``voided_event`` is that row's event
    (written ``void given`` in a file) and ``date``, ``time``, ``drug``, ``cycle``,
    ``day``, ``amount``, ``measurement``, ``level`` and ``percent`` are that row's (its
    reason is the void's own), so a line number gone stale (a file converted, its rows
    reordered) is an error, never a silent wrong withdrawal (:class:`Record` compares
    them). A restating void needs and may have what its ``voided_event`` does; a void
    without ``voided_event`` (as records were written before) is read, and refused by
    :class:`Record`, which names the cells to add.

    Which fields each event needs and may have is in docs/record.md ("Events"); ``day``
    goes with ``cycle`` (a cycle day names nothing without its cycle).

    Raises:
        InvalidRecordError: every shape problem at once, each naming the field (``code``
            ``missing-field``, ``field-not-for-event``, ``wrong-type``, ...).
    """

    source: str
    line: int
    date: dt.date | None
    event: EventKind
    drug: str | None = None
    cycle: int | None = None
    day: int | None = None
    amount: Amount | None = None
    level: int | None = None
    percent: Decimal | None = None
    reason: str = ""
    time: dt.time | None = None
    measurement: Measurement | None = None
    voids: int | None = None
    voided_event: EventKind | None = None
    planned: dt.date | None = None

    def __post_init__(self) -> None:
        if isinstance(self.percent, (int, float)) and not isinstance(self.percent, bool):
            # As the quantities API reads numbers: 80 as 80, a float as written (82.5).
            object.__setattr__(self, "percent", decimal_argument(self.percent, "percent",
                                                                 "dose level"))
        problems = _Problems("RecordRow", self.source, self.line)
        self._check(problems)
        problems.raise_any()

    @property
    def event_text(self) -> str:
        """The event as a file writes it: ``given``, or ``void given`` for a void that
        restates a given row (a void restating nothing: ``void``)."""
        if self.event is EventKind.VOID and isinstance(self.voided_event, EventKind):
            return f"void {self.voided_event.value}"
        return self.event.value

    def _shape(self) -> EventKind:
        """The event whose fields this row has: a restating void has its row's."""
        if self.event is EventKind.VOID and isinstance(self.voided_event, EventKind):
            return self.voided_event
        return self.event

    def _check(self, problems: _Problems) -> None:
        if not isinstance(self.event, EventKind):
            problems.add("event", _event_taken(self.event), self.event, code="not-one-of")
            return
        if self.voided_event is not None and not isinstance(self.voided_event, EventKind):
            problems.add("voided_event", _event_taken(self.voided_event), self.voided_event,
                         code="not-one-of")
            return
        if self.voided_event is EventKind.VOID:
            problems.add("voided_event", "a void withdraws a row that is not a void: enter the "
                         "row again instead of voiding a void", code="void-of-void")
            return
        if not isinstance(self.line, int) or isinstance(self.line, bool) or self.line < 1:
            problems.add("line", "a line number from 1", self.line, code="wrong-type")
        shape, text = self._shape(), self.event_text
        bare_void = self.event is EventKind.VOID and self.voided_event is None
        if self.date is None:
            if not bare_void:
                problems.add("date", f"a {text} row needs its date", code="missing-field")
        elif not isinstance(self.date, dt.date) or isinstance(self.date, dt.datetime):
            problems.add("date", "a date (YYYY-MM-DD)", self.date, code="bad-date")
        if not isinstance(self.reason, str):
            problems.add("reason", "text", self.reason, code="wrong-type")
        may = _may(self.event, self.voided_event)
        for name in _needs(self.event, self.voided_event):
            if getattr(self, name) is None:
                problems.add(name, f"a {text} row needs {_FIELD_TEXT[name]}",
                             code="missing-field")
        for name in _OPTIONAL:
            value = getattr(self, name)
            if value is not None and name not in may:
                problems.add(name, f"a {text} row takes no {name}"
                             f" ({text} takes {_takes(self.event, self.voided_event)})", value,
                             code="field-not-for-event")
        self._check_types(problems)
        if self.day is not None and self.cycle is None and "day" in may:
            problems.add("day", "a cycle day goes with its cycle: give cycle too", self.day,
                         code="day-without-cycle")
        if self.planned is not None and self.cycle is not None:
            problems.add("planned", "name the administration by its cycle and day or by its "
                         "planned date, not both", self.planned, code="planned-with-cycle")
        if (shape in (EventKind.GIVEN, EventKind.MISSED) and self.cycle is not None
                and self.day is None):
            problems.add("cycle", "name the administration by cycle and day (a cycle has "
                         "several days)", self.cycle, code="cycle-without-day")
        if shape is EventKind.REDUCE and self.level is None and self.percent is None:
            problems.add("level", f"a {text} row needs a level (-1, -2 ...) or a percentage of "
                         "the level-0 dose (80%), or both", code="missing-field")

    def _check_types(self, problems: _Problems) -> None:
        if self.drug is not None and (not isinstance(self.drug, str) or not self.drug):
            problems.add("drug", "a drug id (text)", self.drug, code="wrong-type")
        for name in ("cycle", "day", "level", "voids"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                problems.add(name, "a whole number", value, code="not-whole-number")
        if isinstance(self.cycle, int) and not isinstance(self.cycle, bool) and self.cycle < 1:
            problems.add("cycle", "cycles are numbered from 1", self.cycle, code="too-small")
        if self.day == 0:
            problems.add("day", "there is no cycle day 0 (-1 is the day before day 1)",
                         self.day, code="day-zero")
        if isinstance(self.level, int) and not isinstance(self.level, bool) and self.level > 0:
            problems.add("level", "dose levels are 0 (the written dose) or below (-1, -2 ...)",
                         self.level, code="bad-level")
        if isinstance(self.voids, int) and not isinstance(self.voids, bool) and (
                self.voids < 1 or (isinstance(self.line, int) and self.voids >= self.line)):
            problems.add("voids", "a void names an earlier row by its line", self.voids,
                         code="void-not-earlier")
        if self.percent is not None and (
                not isinstance(self.percent, Decimal) or not self.percent.is_finite()
                or not Decimal(0) < self.percent <= Decimal(100)):
            problems.add("percent", "a percentage of the level-0 dose, above 0% and at most "
                         "100%", self.percent, code="bad-level")
        if self.amount is not None and (not isinstance(self.amount, Amount)
                                        or not self.amount.magnitude > 0):
            problems.add("amount", "an amount of drug given, above zero (a dose not given is "
                         "a missed row, never a dose of 0)", self.amount, code="wrong-type")
        if self.measurement is not None and not isinstance(self.measurement, Measurement):
            problems.add("measurement", "a Measurement", self.measurement, code="wrong-type")
        if self.time is not None and not isinstance(self.time, dt.time):
            problems.add("time", "a local time of day (HH:MM)", self.time, code="wrong-type")
        if self.planned is not None and (not isinstance(self.planned, dt.date)
                                         or isinstance(self.planned, dt.datetime)):
            problems.add("planned", "a date (YYYY-MM-DD)", self.planned, code="bad-date")


def _event_taken(value: object) -> str:
    """What a RecordRow takes as an event, said to ``value`` (not an EventKind): an event's
    text ("given", as a file writes it) is told the EventKind it names, never "one of
    given, ..." beside "(got 'given')"."""
    known = {k.value: k for k in EventKind}
    if isinstance(value, str) and value in known:
        return (f"an EventKind, not its text: EventKind.{known[value].name} "
                "(regimens.EventKind)")
    return "an EventKind (regimens.EventKind): one of " + ", ".join(k.value for k in EventKind)


_FIELD_TEXT = {
    "drug": "a drug",
    "cycle": "a cycle",
    "day": "a cycle day",
    "measurement": "the measurement with its unit in amount ('68 kg')",
    "voids": "the line of the row it withdraws",
}


def _needs(event: EventKind, voided: EventKind | None) -> tuple[str, ...]:
    """The fields a row of ``event`` needs (a restating void: its row's, and the line)."""
    if event is EventKind.VOID and voided is not None:
        return (*_NEEDS[voided], "voids")
    return _NEEDS[event]


def _may(event: EventKind, voided: EventKind | None) -> tuple[str, ...]:
    """The fields a row of ``event`` may have. A void restates its row: with the row's
    event, what that event may have; without it (a void written before voids restated
    their rows), anything, for :class:`Record` to say what the void must restate."""
    if event is EventKind.VOID:
        return (*_MAY[voided], "voids", "voided_event") if voided is not None else _OPTIONAL
    return _MAY[event]


def _takes(event: EventKind, voided: EventKind | None = None) -> str:
    shape = voided if event is EventKind.VOID and voided is not None else event
    names = [n for n in ("date", *_may(event, voided), "reason")
             if not (shape is EventKind.MEASURE and n == "measurement") and n != "voided_event"]
    if shape is EventKind.MEASURE:
        names.insert(1, "amount (the measurement)")
    if event is EventKind.VOID:
        names = ["line (of the row withdrawn)" if n == "voids" else n for n in names]
    if shape is EventKind.REDUCE:
        # A file has no percent column: a percentage is written in the level column.
        names = [n for n in names if n != "percent"]
        names[names.index("level")] = "level (a dose level, a percentage of level 0, or both)"
    return ", ".join(names)


class _Problems:
    """Problems of one record type, placed at its file and line when it has them."""

    def __init__(self, record: str, source: object = None, line: object = None) -> None:
        self.file = source if isinstance(source, str) and source else f"<{record}>"
        self.line = line if isinstance(line, int) and not isinstance(line, bool) else None
        self.found: list[Problem] = []

    def add(self, name: str, message: str, value: object = NO_VALUE, *, code: str) -> None:
        self.found.append(Problem(self.file, self.line, (name,), message, value, code=code))

    def at(self, row: RecordRow, name: str, message: str, value: object = NO_VALUE, *,
           code: str) -> None:
        self.found.append(Problem(row.source, row.line, (name,), message, value, code=code))

    def raise_any(self) -> None:
        if self.found:
            raise InvalidRecordError(self.found)
