"""One row of a record file as written (:mod:`._read`), whatever the file's kind, read
into a :class:`RecordRow`: the file's columns, every cell read by one function (so a CSV
file and its YAML twin give equal records), each problem named by its line and column."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, time
from decimal import Decimal
from typing import Any

from .._records import dataclass
from ..errors import (
    NO_VALUE,
    InvalidRecordError,
    InvalidRegimenError,
    ParticipantError,
    Problem,
    UnitError,
)
from ..format import INVISIBLE
from ..model import closest
from ..quantities import (
    Amount,
    number_fault,
    parse_amount,
    parse_creatinine,
    parse_gfr,
    parse_measure,
)
from ._model import EventKind, Measurement, RecordRow

#: The columns every record file has, in the order the documentation writes them (a CSV
#: file may put them in any order: its header names them).
COLUMNS = ("date", "event", "drug", "cycle", "day", "amount", "level", "reason")
#: Columns a file may add: the local time of day, the line a ``void`` row withdraws, and
#: the date the administration a ``given`` row fulfils was planned on.
OPTIONAL_COLUMNS = ("time", "line", "planned")
#: Longest reason kept (a reason is a short note, not a clinical narrative).
MAX_REASON = 1000

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_TIME = re.compile(r"(?P<h>[01][0-9]|2[0-3]):(?P<m>[0-5][0-9])\Z")
_WHOLE = re.compile(r"[-+]?[0-9]{1,9}\Z")
_PERCENT = re.compile(r"(?P<num>[0-9]+(?:\.[0-9]+)?)\s*%\Z")
# "-1 (80%)": a level and the percentage of the level-0 dose it stands for.
_LEVEL_AND_PERCENT = re.compile(r"(?P<level>[-+]?[0-9]{1,3})\s*\(\s*(?P<pct>[^)]*?)\s*\)\Z")
# Fields of RecordRow written in another column of the file.
_COLUMN_OF = {"measurement": "amount", "percent": "level", "voids": "line",
              "voided_event": "event"}

_MEASURE_KINDS = ("a weight ('68 kg'), height ('172 cm'), BSA ('1.8 m2'), serum creatinine "
                  "('1.1 mg/dL' or '97 umol/L') or GFR ('95 mL/min')")
_MEASURE_HINT = "write the measurement with its unit: " + _MEASURE_KINDS


class _Bad(Exception):
    """One cell that cannot be read: its message, code and whether to show the value."""

    def __init__(self, message: str, *, code: str, show: bool = True) -> None:
        self.message = message
        self.code = code
        self.show = show


@dataclass
class _Row:
    """One row as written: its line and its cells by column name (text, int or None)."""

    line: int
    cells: dict[str, Any]
    #: The row has problems of its own already (an unknown column): its cells are read
    #: for their problems, but it is not made into a RecordRow.
    broken: bool = False


# Rows -> RecordRow ----------------------------------------------------------------------------

def _says_void(cells: dict[str, Any]) -> bool:
    """The row's event cell is a void's ('void', 'void given'), whether it reads or not."""
    event = cells.get("event")
    return isinstance(event, str) and event.partition(" ")[0] == "void"


def _build_row(row: _Row, name: str, problems: list[Problem]) -> RecordRow | None:
    cells = row.cells
    found: list[Problem] = []

    def read(column: str, reader: Any, *args: Any) -> Any:
        value = cells.get(column)
        if value is None:
            return None
        try:
            return reader(value, *args)
        except _Bad as bad:
            found.append(Problem(name, row.line, (column,), bad.message,
                                 value if bad.show else NO_VALUE, code=bad.code))
            return None

    event, voided = read("event", _event) or (None, None)
    if cells.get("event") is None and not row.broken:
        # (A row with an unknown column has it reported: "did you mean 'event'?".)
        found.append(Problem(name, row.line, ("event",), "every row names its event ("
                             + ", ".join(k.value for k in EventKind) + ")",
                             code="missing-field"))
    fields: dict[str, Any] = {
        "date": read("date", _date),
        "time": read("time", _time),
        "drug": read("drug", _drug),
        "cycle": read("cycle", _whole, "cycle"),
        "day": read("day", _whole, "day"),
        "reason": read("reason", _reason) or "",
        "planned": read("planned", _date),
    }
    # A void restates its row: its cells are read as that row's event reads them.
    shape = voided if voided is not None else event
    if shape is EventKind.MEASURE:
        fields["measurement"] = read("amount", _measurement)
    elif shape is EventKind.REDUCE and cells.get("amount") is not None:
        # A reduction is a dose level or a percentage, never an amount: say where it goes
        # (a level typed one column early read as "a bare number is not an amount").
        found.append(Problem(name, row.line, ("amount",), "a reduce row takes no amount: "
                             "write the dose level (-1, -2 ...) or a percentage of the "
                             "level-0 dose (80%) in the level column", cells["amount"],
                             code="field-not-for-event"))
    else:
        fields["amount"] = read("amount", _amount)
    if event is EventKind.VOID:
        fields["voids"] = read("line", _whole, "line")
        fields["voided_event"] = voided
    elif cells.get("line") is not None and not _says_void(cells):
        # (A void whose event cannot be read, 'void givne', has that problem said.)
        found.append(Problem(name, row.line, ("line",), "the line column names the row a void "
                             "withdraws: leave it empty on other rows", cells["line"],
                             code="field-not-for-event"))
    level = read("level", _level)
    if level is not None:
        fields["level"], fields["percent"] = level
    if found or event is None or row.broken:
        problems.extend(found)
        return None
    # A date cell that was empty stays None: the model says which events need one.
    try:
        return RecordRow(name, row.line, event=event, **fields)
    except InvalidRegimenError as exc:
        problems.extend(_in_file(p) for p in exc.problems)
        return None


def _in_file(problem: Problem) -> Problem:
    """A model problem with the file's column name for its field."""
    loc = tuple(_COLUMN_OF.get(k, k) if isinstance(k, str) else k for k in problem.loc)
    return Problem(problem.file, problem.line, loc, problem.message, problem.value,
                   code=problem.code)


# Cells --------------------------------------------------------------------------------------

def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise _Bad(f"expected {what} as text", code="wrong-type")
    return value


def _event(value: Any) -> tuple[EventKind, EventKind | None]:
    """The event, and for a void (``void given``) the event of the row it withdraws."""
    text = _text(value, "an event")
    first, _, rest = text.partition(" ")
    if first == "void" and rest.strip():
        names = [k.value for k in EventKind]
        try:
            return EventKind.VOID, EventKind(rest.strip())
        except ValueError:
            near = closest(rest.strip().lower(), names)
            hint = f"did you mean 'void {near}'? " if near else ""
            raise _Bad(f"{hint}a void is written 'void' and the event of the row it withdraws "
                       f"(void given, void missed ...; events: {', '.join(names[:-1])})",
                       code="not-one-of") from None
    try:
        return EventKind(text), None
    except ValueError:
        names = [k.value for k in EventKind]
        near = closest(text.lower(), names)
        hint = f"did you mean {near!r}? " if near else ""
        raise _Bad(f"{hint}an event is one of: {', '.join(names)}", code="not-one-of") from None


def _date(value: Any) -> date:
    text = _text(value, "a date (YYYY-MM-DD)")
    if not _DATE.match(text):
        raise _Bad("a date is written YYYY-MM-DD, e.g. 2027-01-04", code="bad-date")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _Bad("not a calendar date", code="bad-date") from None


def _time(value: Any) -> time:
    text = _text(value, "a time (HH:MM)")
    match = _TIME.match(text)
    if match is None:
        raise _Bad("a time of day is written HH:MM (24-hour clock), e.g. 09:30", code="bad-time")
    return time(int(match["h"]), int(match["m"]))


def _drug(value: Any) -> str:
    text = _text(value, "a drug id")
    _plain_text(text)
    return text


def _miswritten(text: str, what: str) -> str | None:
    """What is wrong with how a number in ``text`` is written, as an amount's number is told
    (``number_fault``), when no numeric field reads it written so: a comma (a decimal comma
    or a thousands separator) or digits of another script; else None (a record's numeric
    fields are told one way, whatever else each field allows)."""
    if "," in text or any(not c.isascii() and unicodedata.category(c) == "Nd" for c in text):
        return number_fault(text, what)
    return None


def _whole(value: Any, what: str) -> int:
    if isinstance(value, bool):
        raise _Bad("expected a whole number", code="wrong-type")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _WHOLE.match(value):
        return int(value)
    if isinstance(value, str) and "," in value:
        # The amounts' advice ("write a decimal point") would mislead: no point either.
        raise _Bad(f"{what} has a comma: write a whole number, with no decimal point and no "
                   "thousands separators", code="not-whole-number")
    fault = _miswritten(value, what) if isinstance(value, str) else None
    if fault is not None:
        raise _Bad(fault, code="not-whole-number")
    raise _Bad("expected a whole number (no decimal point)", code="not-whole-number")


def _reason(value: Any) -> str:
    text = _text(value, "a reason")
    if len(text) > MAX_REASON:
        raise _Bad(f"a reason is at most {MAX_REASON:,} characters", code="too-long", show=False)
    _plain_text(text)
    return text


def _plain_text(text: str) -> None:
    if any((ord(c) < 32 and c != "\t") or 0x7F <= ord(c) <= 0x9F for c in text):
        raise _Bad("contains control characters", code="control-characters")
    hidden = next((c for c in text if c in INVISIBLE), None)
    if hidden is not None:
        raise _Bad(f"contains U+{ord(hidden):04X} ({unicodedata.name(hidden).lower()}), an "
                   "invisible character that can reorder or hide the text around it; remove it",
                   code="invisible-character")


_BARE = re.compile(r"[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?\Z")


def _amount(value: Any) -> Amount:
    if not isinstance(value, str) or _BARE.match(value):
        raise _Bad("a bare number is not an amount: give its unit, e.g. '60 mg'",
                   code="bare-number")
    try:
        return parse_amount(value, "amount given")
    except UnitError as exc:
        raise _Bad(str(exc), code="bad-quantity") from None


def _measurement(value: Any) -> Measurement:
    if not isinstance(value, str):
        raise _Bad(f"a bare number is not a measurement: {_MEASURE_HINT}", code="bare-number")
    kinds = [k for k, ok in _MEASURE_READERS.items() if _reads(ok, value)]
    if not kinds:
        # The number read as a given amount's is ("62,5 kg": a decimal comma), so both get
        # the same advice; the unit is there, so "write it with its unit" would mislead.
        fault = number_fault(value, "measurement")
        if fault is not None:
            raise _Bad(f"{fault}; write {_MEASURE_KINDS}", code="bad-measurement")
    if len(kinds) != 1:
        raise _Bad(_MEASURE_HINT, code="bad-measurement")
    try:
        return Measurement(kinds[0], value)
    except InvalidRegimenError as exc:
        raise _Bad(exc.problems[0].message, code="bad-measurement") from None


def _reads(reader: Any, text: str) -> bool:
    try:
        reader(text)
    except (UnitError, ParticipantError):
        return False
    return True


_MEASURE_READERS: dict[str, Any] = {
    "weight": lambda t: parse_measure("weight", t),
    "height": lambda t: parse_measure("height", t),
    "bsa": lambda t: parse_measure("bsa", t),
    "creatinine": parse_creatinine,
    "gfr": parse_gfr,
}


def _level(value: Any) -> tuple[int | None, Decimal | None]:
    """``-1``, ``80%`` or ``-1 (80%)``: a dose level, a percentage of level 0, or both."""
    hint = ("write a dose level (-1, -2; 0 is the written dose), a percentage of the level-0 "
            "dose (80%), or both: -1 (80%)")
    if isinstance(value, bool):
        raise _Bad(hint, code="bad-level")
    if isinstance(value, int):
        return value, None
    if not isinstance(value, str):
        raise _Bad(hint, code="bad-level")
    fault = _miswritten(value, "level")
    if fault is not None:
        # "87,5%": the advice an amount gets ("has a comma: write a decimal point").
        raise _Bad(f"{fault}; {hint}", code="bad-level")
    if _WHOLE.match(value):
        return int(value), None
    percent = _PERCENT.match(value)
    if percent is not None:
        return None, Decimal(percent["num"])
    both = _LEVEL_AND_PERCENT.match(value)
    if both is not None:
        inner = _PERCENT.match(both["pct"])
        if inner is not None:
            return int(both["level"]), Decimal(inner["num"])
    raise _Bad(hint, code="bad-level")


def _fail(name: str, line: int | None, message: str, value: object = NO_VALUE, *,
          code: str) -> InvalidRecordError:
    return InvalidRecordError([Problem(name, line, (), message, value, code=code)])
