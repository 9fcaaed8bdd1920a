"""A participant's record (:class:`Record`): its rows in file order, each ``void`` checked
against the row it withdraws (named by its line, restated cell by cell), and the words its
messages use to name a row and to say how a void restates it."""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal

from .._records import dataclass
from ..model import Participant, Regimen
from ..quantities import plain
from ._check import check_record
from ._model import EventKind, Measurement, RecordRow, _Problems

__all__ = ["Record"]


@dataclass(frozen=True)
class Record:
    """A participant's record: its rows in file order, voided rows included.

    ``source`` names the file (``"P-017.csv"``). :meth:`effective` gives the rows that
    count (``void`` rows and the rows they withdraw left out); :meth:`voided` the pairs
    (void row, withdrawn row) for the report. Each row's ``line`` is unique; each void
    names an earlier row of the record that is not itself a void and is withdrawn once.

    Raises:
        InvalidRecordError: rows that are not :class:`RecordRow`, a line twice, or a void
            that withdraws nothing (code ``void-unknown-line``), a void or an already
            withdrawn row.
    """

    source: str
    rows: tuple[RecordRow, ...] = ()
    _withdrawn: dict[int, RecordRow] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        problems = _Problems("Record", self.source)
        withdrawn: dict[int, RecordRow] = {}
        if not isinstance(self.rows, tuple) or not all(
                isinstance(r, RecordRow) for r in self.rows):
            problems.add("rows", "a tuple of RecordRow", self.rows, code="wrong-type")
            problems.raise_any()
        by_line: dict[int, RecordRow] = {}
        for row in self.rows:
            if row.line in by_line:
                problems.at(row, "line", "two rows have the same line", row.line,
                            code="duplicate-line")
            by_line[row.line] = row
        for row in self.rows:
            if row.event is not EventKind.VOID:
                continue
            assert row.voids is not None  # RecordRow: a void names its line
            target = by_line.get(row.voids)
            if target is None or target.line >= row.line:
                problems.at(row, "line", "a void names an earlier row of the record by its "
                            "line: no row starts on that line", row.voids,
                            code="void-unknown-line")
            elif target.event is EventKind.VOID:
                problems.at(row, "line", f"line {target.line} is a void itself: enter the "
                            "row again instead of voiding a void", row.voids,
                            code="void-of-void")
            elif row.voided_event is None:
                problems.at(row, "event", f"{_RESTATES}, so that a stale line number ({_STALE}) "
                            f"cannot withdraw another row: line {target.line} is "
                            f"{_row_words(target)}; to withdraw it, write "
                            f"{_restatement(target)}", "void", code="void-not-restated")
            elif differences := _void_differences(row, target):
                problems.at(row, "line", f"line {target.line} is {_row_words(target)}; this void "
                            f"names {', '.join(differences)}: {_RESTATES}, so correct the void, "
                            f"or name the line of the row meant ({_STALE})", row.voids,
                            code="void-mismatch")
            elif target.line in withdrawn:
                problems.at(row, "line", f"line {target.line} is withdrawn already (by line "
                            f"{withdrawn[target.line].line})", row.voids,
                            code="void-twice")
            else:
                withdrawn[target.line] = row
        problems.raise_any()
        object.__setattr__(self, "_withdrawn", withdrawn)

    def effective(self) -> tuple[RecordRow, ...]:
        """The rows that count, in file order: void rows and the rows they withdraw left out."""
        return tuple(r for r in self.rows
                     if r.event is not EventKind.VOID and r.line not in self._withdrawn)

    def voided(self) -> tuple[tuple[RecordRow, RecordRow], ...]:
        """(void row, withdrawn row) for each withdrawal, in the order of the void rows."""
        by_line = {r.line: r for r in self.rows}
        return tuple(sorted(((void, by_line[line]) for line, void in self._withdrawn.items()),
                            key=lambda pair: pair[0].line))

    def check_against(self, regimen: Regimen, arm: str | None = None, *,
                      blinded: bool = False) -> None:
        """Check that every row that counts names what ``regimen`` has (on ``arm``, when
        given): its drug (a look-alike id is named), the protocol cycle number (within the
        cycles of a course of the drug; every cycled course when the drug is empty) and the
        cycle day (a dosing day of a ``days`` pattern, else within the cycle), and for
        ``reduce`` a declared dose level (a level below the lowest declared one is allowed:
        the drug then stops) that agrees with the row's percentage when both are given, and
        that does not raise a dose the course's reductions keep permanent. A misspelt or
        look-alike drug id is named ("did you mean 'dox'?"). ``blinded``: the record is
        for an output that blinds the arm: in a blinded period a ``reduce`` row's level is
        judged against every arm's courses there, alike on every arm, and a row they take
        differently (one gives the level, another stops the drug or refuses it) is refused
        (docs/record.md, "Dose changes").

        Raises:
            InvalidRecordError: every row that names something the regimen lacks, in line
                order, with its file, line and column (codes ``unknown-drug``,
                ``drug-not-in-arm``, ``unknown-cycle``, ``unknown-cycle-day``,
                ``undeclared-level``, ``level-percent-mismatch``, ``nothing-to-reduce``,
                ``re-escalation``, ``blinded-levels-differ``).
            RegimenLookupError: ``arm`` is not an arm of the regimen.
            ExpandOptionTypeError: ``regimen`` is not a :class:`Regimen` (a catalogue id).
        """
        check_record(self, regimen, arm, blinded=blinded)

    def row_at(self, line: int) -> RecordRow | None:
        """The row written on ``line`` (None: no row starts there)."""
        return next((r for r in self.rows if r.line == line), None)


#: What a void restates, and why, as its messages say it.
_RESTATES = "a void restates the row it withdraws (every cell but the reason)"
_STALE = "lines change when a file is converted or its rows reordered"


def _row_words(row: RecordRow) -> str:
    """A row in words, as a void's messages name it: "a given row of il2 on 2027-02-03,
    cycle 2 day 1, 0.5 MIU" (a void: "a void given row ...")."""
    head = f"a {row.event_text} row" + (f" of {row.drug}" if row.drug is not None else "")
    if row.date is not None:
        head += f" on {row.date.isoformat()}"
    if row.time is not None:
        head += f" at {row.time.strftime('%H:%M')}"
    details = [text for name, text in _cells(row) if name in ("cycle", "amount", "level")
               and text is not None]
    return ", ".join([head, *details])


def _cells(row: RecordRow) -> list[tuple[str, str | None]]:
    """The cells a void restates, each (its name in a file, its value in words or None):
    event, date, drug, time, cycle and day, amount (or the measurement), level."""
    event = row.voided_event if row.event is EventKind.VOID else row.event
    cycle = None
    if row.cycle is not None:
        cycle = f"cycle {row.cycle}" + (f" day {row.day}" if row.day is not None else "")
    elif row.day is not None:
        cycle = f"day {row.day}"
    level = [f"level {row.level}"] if row.level is not None else []
    if row.percent is not None:
        level.append(f"{plain(row.percent)}%")
    return [("event", None if event is None else event.value),
            ("date", None if row.date is None else row.date.isoformat()),
            ("drug", row.drug),
            ("time", None if row.time is None else row.time.strftime("%H:%M")),
            ("cycle", cycle),
            ("amount", str(row.amount) if row.amount is not None else
             (str(row.measurement) if row.measurement is not None else None)),
            ("level", " ".join(level) or None),
            ("planned", None if row.planned is None else row.planned.isoformat())]


def _void_differences(void: RecordRow, target: RecordRow) -> list[str]:
    """What ``void`` says of the row it withdraws that ``target`` (the row on that line)
    does not, in words ("2027-02-04", "a missed row", "no amount"); empty when the void
    restates it. Values are compared as read (``50 mg`` is ``50.0 mg``; a measurement by
    its value in its kind's unit), never the reason."""
    out = []
    if void.voided_event is not target.event:
        out.append(f"a {void.voided_event.value if void.voided_event else 'void'} row")
    if void.date != target.date:
        out.append(void.date.isoformat() if void.date is not None else "no date")
    if void.drug != target.drug:
        out.append(f"drug {void.drug}" if void.drug is not None else "no drug")
    if void.time != target.time:
        out.append(f"at {void.time.strftime('%H:%M')}" if void.time is not None else "no time")
    if (void.cycle, void.day) != (target.cycle, target.day):
        words = dict(_cells(void))["cycle"]
        out.append(words if words is not None else "no cycle")
    if void.amount != target.amount or not _same_measure(void.measurement,
                                                          target.measurement):
        words = dict(_cells(void))["amount"]
        out.append(words if words is not None else "no amount")
    if (void.level, void.percent) != (target.level, target.percent):
        words = dict(_cells(void))["level"]
        out.append(words if words is not None else "no level")
    if void.planned != target.planned:
        out.append(f"planned {void.planned.isoformat()}" if void.planned is not None
                   else "no planned date")
    return out


def _same_measure(a: Measurement | None, b: Measurement | None) -> bool:
    """Two measurements of one kind and value (``63 kg`` is ``63.0 kg``), or none."""
    if a is None or b is None:
        return a is b
    if a.kind != b.kind:
        return False
    return _measured(a) == _measured(b)


def _measured(m: Measurement) -> tuple[Decimal | None, ...]:
    """A measurement's value as Participant reads it: kg, cm, m², mL/min; a creatinine
    with its unit's factor (mg/dL and µmol/L are not converted: no division, no rounding)."""
    p = Participant(**{m.kind: m.text})
    if m.kind == "creatinine":
        return (p.creatinine_value, p.creatinine_factor)
    return (getattr(p, {"weight": "weight_kg", "height": "height_cm", "bsa": "bsa_m2",
                        "gfr": "gfr_ml_min"}[m.kind]),)


def _restatement(row: RecordRow) -> str:
    """The cells a void of ``row`` writes: "event 'void given', date 2027-02-03, drug
    il2, cycle 2, day 1" (in the file's columns)."""
    out = [f"event 'void {row.event.value}'"]
    if row.date is not None:
        out.append(f"date {row.date.isoformat()}")
    if row.drug is not None:
        out.append(f"drug {row.drug}")
    if row.time is not None:
        out.append(f"time {row.time.strftime('%H:%M')}")
    if row.cycle is not None:
        out.append(f"cycle {row.cycle}")
    if row.day is not None:
        out.append(f"day {row.day}")
    if row.amount is not None:
        out.append(f"amount {row.amount}")
    if row.measurement is not None:
        out.append(f"amount {row.measurement.text}")
    if row.level is not None or row.percent is not None:
        percent = f"{plain(row.percent)}%" if row.percent is not None else None
        cell = (f"{row.level} ({percent})" if row.level is not None and percent
                else str(row.level) if row.level is not None else percent)
        out.append(f"level {cell}")
    if row.planned is not None:
        out.append(f"planned {row.planned.isoformat()}")
    return ", ".join(out)
