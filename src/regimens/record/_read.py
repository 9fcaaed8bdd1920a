"""Reading a record file: CSV with a header, or the same rows as YAML (or JSON), into a
:class:`~regimens.record.Record`.

Every cell is read by one function whatever the file's kind, so a CSV file and its YAML
twin give equal records, and every problem names the file, the line and the column
(``P-017.csv:4: amount: ...``). All problems of a file are reported at once.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import unicodedata
from collections.abc import Iterable
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from .._records import dataclass
from ..errors import (
    NO_VALUE,
    ExpandOptionError,
    InvalidRegimenError,
    ParticipantError,
    Problem,
    UnitError,
)
from ..format import INVISIBLE, MAX_BYTES, parse_document
from ..model import Regimen, closest
from ..quantities import Amount, parse_amount, parse_creatinine, parse_gfr, parse_measure
from ._check import check_record
from ._model import EventKind, Measurement, Record, RecordRow

__all__ = ["COLUMNS", "OPTIONAL_COLUMNS", "load_record", "read_record", "record_schema"]

#: The columns every record file has, in the order the documentation writes them (a CSV
#: file may put them in any order: its header names them).
COLUMNS = ("date", "event", "drug", "cycle", "day", "amount", "level", "reason")
#: Columns a file may add: the local time of day, and the line a ``void`` row withdraws.
OPTIONAL_COLUMNS = ("time", "line")
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

_MEASURE_HINT = ("write the measurement with its unit: a weight ('68 kg'), height ('172 cm'), "
                 "BSA ('1.8 m2'), serum creatinine ('1.1 mg/dL' or '97 umol/L') or GFR "
                 "('95 mL/min')")


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


def load_record(path: str | os.PathLike[str], *, regimen: Regimen | None = None,
                arm: str | None = None) -> Record:
    """Read a participant's record file: ``.csv``, or ``.yaml``/``.yml``/``.json``.

    With ``regimen`` (and ``arm``, when known), the rows are also checked against it
    (:meth:`Record.check_against`) and every problem of every row comes in one error
    (docs/record.md, "Every problem at once").

    Raises:
        InvalidRegimenError: the file cannot be read (missing, a directory, not a regular
            file, over 2 MiB, not UTF-8), has another suffix, or any row is invalid (or,
            with ``regimen``, names what the regimen lacks); each problem names the file,
            line and column.
        RegimenLookupError: ``arm`` is not an arm of ``regimen``.
    """
    try:
        name = os.fspath(path)
    except TypeError:
        raise ExpandOptionError("path", "a record's path is str or os.PathLike; to read "
                                "text, use read_record(text)", type(path).__name__) from None
    suffix = Path(name).suffix.lower()
    kind = {".csv": "csv", ".yaml": "yaml", ".yml": "yaml", ".json": "yaml"}.get(suffix)
    if kind is None:
        raise _fail(name, None, "a record file is .csv, or .yaml, .yml or .json (the same rows "
                    "as a list of mappings)", suffix or name, code="record-suffix")
    try:
        info = os.stat(name)
        if stat.S_ISDIR(info.st_mode):
            raise _fail(name, None, "is a directory, not a record file", code="is-a-directory")
        if not stat.S_ISREG(info.st_mode):
            raise _fail(name, None, "is not a regular file (a device, a pipe or a socket)",
                        code="unreadable-file")
        if info.st_size > MAX_BYTES:
            raise _fail(name, None, f"the file is {info.st_size:,} bytes; record files are "
                        f"limited to {MAX_BYTES:,} bytes", code="file-too-large")
        with open(name, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise _fail(name, None, f"cannot read the file: {exc.strerror}",
                    code="unreadable-file") from None
    return read_record(data, name=name, kind=kind, regimen=regimen, arm=arm)


def read_record(text: str | bytes, *, name: str = "<record>", kind: str = "csv",
                regimen: Regimen | None = None, arm: str | None = None) -> Record:
    """Read a record from its text: ``kind`` ``"csv"`` (a header, then one row per line) or
    ``"yaml"`` (a list of mappings with the same keys; JSON is YAML). ``name`` is the file
    name messages cite. With ``regimen`` (and ``arm``), the rows that could be read are
    also checked against it, in the same error.

    Every row is read, whatever the problems of the others: a row with a problem of its
    own (a cell, a field its event does not take) is reported and left out of the checks
    of the whole record (voids) and against the regimen; the other rows are still
    checked. Only a file that cannot be split into rows stops at once: not UTF-8, not
    valid CSV, a header with a problem (its cells cannot be given a column), a YAML
    document that is not a list.

    Raises:
        InvalidRegimenError: every problem of the file at once, each with its line and
            column, in line order (docs/record.md, "The file").
        RegimenLookupError: ``arm`` is not an arm of ``regimen``.
    """
    if kind not in ("csv", "yaml"):
        raise ExpandOptionError("kind", "a record is read as 'csv' or 'yaml' (JSON is read as "
                                "YAML)", kind)
    if not isinstance(text, (str, bytes)):
        raise ExpandOptionError("text", "a record's text is str or bytes; to read a file, use "
                                "load_record(path)", type(text).__name__)
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > MAX_BYTES:
        raise _fail(name, None, f"the file is {size:,} bytes; record files are limited to "
                    f"{MAX_BYTES:,} bytes", code="file-too-large")
    problems: list[Problem] = []
    rows = (_csv_rows(text, name, problems) if kind == "csv"
            else _yaml_rows(text, name, problems))
    built: list[RecordRow] = []
    failed: set[int] = set()
    for row in rows:
        target = _void_of(row)
        if target is not None and target in failed:
            # A void of a row reported already has nothing to withdraw in what was read,
            # and its cells restate that row's (its problems too): it adds nothing, but a
            # void that restates nothing at all, whatever row it names.
            failed.add(row.line)
            if row.cells.get("event") == "void":
                problems.append(Problem(name, row.line, ("event",), "a void restates the row "
                                        "it withdraws (every cell but the reason): write "
                                        f"'void' and line {target}'s event in the event cell "
                                        f"(as 'void given'), and line {target}'s other cells "
                                        "as it has them", "void", code="void-not-restated"))
            continue
        made = _build_row(row, name, problems)
        if made is None:
            failed.add(row.line)
        else:
            built.append(made)
    record = _readable(name, built, failed, problems)
    if regimen is not None:
        try:
            check_record(record, regimen, arm)
        except InvalidRegimenError as exc:
            problems.extend(exc.problems)
    if problems:
        # In line order (a row's own problems, then those of the whole record, then those
        # against the regimen); problems of the file itself (no line) first.
        raise InvalidRegimenError(sorted(problems, key=lambda p: p.line or 0))
    return record


def _void_of(row: _Row) -> int | None:
    """The line a void row names (None: not a void, or no line that can be read)."""
    line = row.cells.get("line")
    if not _says_void(row.cells):
        return None
    try:
        return _whole(line) if line is not None else None
    except _Bad:
        return None


def _says_void(cells: dict[str, Any]) -> bool:
    """The row's event cell is a void's ('void', 'void given'), whether it reads or not."""
    event = cells.get("event")
    return isinstance(event, str) and event.partition(" ")[0] == "void"


def _readable(name: str, built: list[RecordRow], failed: set[int],
              problems: list[Problem]) -> Record:
    """The record of the rows that could be read, its own problems (voids) added to
    ``problems``; rows with such a problem are left out of it, so that the rest is
    checked against the regimen."""
    # A void of a row that could not be read withdraws a row already reported: it has
    # nothing to withdraw in what was read, and nothing of its own to report.
    kept = tuple(r for r in built if r.event is not EventKind.VOID or r.voids not in failed)
    try:
        return Record(name, kept)
    except InvalidRegimenError as exc:
        problems.extend(_in_file(p) for p in exc.problems)
        bad = {p.line for p in exc.problems}
        return Record(name, tuple(r for r in kept if r.line not in bad))


# Files -> rows ------------------------------------------------------------------------------

def _decode(data: str | bytes, name: str) -> str:
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise _fail(name, line, f"the file is not UTF-8 text (byte "
                        f"0x{data[exc.start]:02x} at offset {exc.start})",
                        code="not-utf8") from None
    else:
        text = data.removeprefix("\ufeff")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise _fail(name, line, "the file contains a NUL character; record files are text",
                    code="nul-character")
    if not text.strip():
        raise _fail(name, None, "the file is empty; a CSV record starts with its header ("
                    + ",".join(COLUMNS) + ")", code="empty-file")
    return text


def _csv_rows(data: str | bytes, name: str, problems: list[Problem]) -> list[_Row]:
    text = _decode(data, name)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    header_line = 0
    rows: list[_Row] = []
    end = 0  # the line the previous record ended on
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue  # a blank line (or a line of empty cells)
            if header is None:
                header, header_line = _header(cells, name, start), start
                continue
            if len(cells) != len(header):
                # This row's cells cannot be given their columns; the other rows can.
                problems.append(Problem(name, start, (), f"the row has {len(cells)} cells "
                                        f"and the header (line {header_line}) {len(header)}: "
                                        "a cell left empty still needs its comma",
                                        code="row-length"))
                continue
            rows.append(_Row(start, {k: (c.strip() or None) for k, c in zip(
                header, cells, strict=True)}))
    except csv.Error as exc:
        raise _fail(name, reader.line_num or None, f"not valid CSV: {exc}",
                    code="invalid-csv") from None
    if header is None:  # pragma: no cover - _decode refused a blank file
        raise _fail(name, None, "the file has no header", code="empty-file")
    return rows


#: Separators a spreadsheet may write instead of commas, as the message names them.
_SEPARATORS = {";": "';'", "\t": "a tab", "|": "'|'"}


def _header(cells: list[str], name: str, line: int) -> list[str]:
    names = [c.strip() for c in cells]
    if len(names) == 1:
        # One header cell holding the column names: the file uses another separator (a
        # spreadsheet in a locale with decimal commas writes ';'); every row would be one
        # cell, so say that once rather than report the whole header as a column.
        for sep, shown in _SEPARATORS.items():
            if set(COLUMNS[:2]) <= {c.strip() for c in names[0].split(sep)}:
                raise _fail(name, line, f"the record must be comma-separated (found {shown} "
                            "between the column names): save it as CSV with commas",
                            code="wrong-separator")
    problems: list[Problem] = []
    allowed = (*COLUMNS, *OPTIONAL_COLUMNS)
    for index, column in enumerate(names):
        if column not in allowed:
            near = closest(column.lower(), allowed)
            hint = f"; did you mean {near!r}?" if near else ""
            problems.append(Problem(name, line, (f"column {index + 1}",), f"unknown column{hint} "
                                    f"(the columns are {', '.join(COLUMNS)}; time and line may "
                                    "be added)", column, code="unknown-column"))
        elif column in names[:index]:
            problems.append(Problem(name, line, (column,), "the column is named twice",
                                    code="duplicate-column"))
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        problems.append(Problem(name, line, (), "the header lacks "
                                + ", ".join(missing) + f" (a record has the columns "
                                f"{', '.join(COLUMNS)}, in any order; cells may be empty)",
                                code="missing-column"))
    if problems:
        raise InvalidRegimenError(problems)
    return names


def _yaml_rows(data: str | bytes, name: str, problems: list[Problem]) -> list[_Row]:
    doc = parse_document(data, name)
    if not isinstance(doc.value, list):
        raise _fail(name, doc.lines.get(()), "a YAML record is a list of rows, each a mapping "
                    "(- {date: 2027-01-04, event: given, drug: dox})", code="wrong-type")
    allowed = (*COLUMNS, *OPTIONAL_COLUMNS)
    rows: list[_Row] = []
    starts = [doc.lines[(index,)] for index in range(len(doc.value))]
    # Rows that do not each start on a line of their own (JSON written on one line, as
    # json.dump writes it; a YAML flow list) are named by their position in the list,
    # from 1, in errors and in a void's line column: a line would name several rows.
    positional = len(set(starts)) < len(starts)
    for index, item in enumerate(doc.value):
        line = index + 1 if positional else starts[index]
        if not isinstance(item, dict):
            problems.append(Problem(name, line, (index,), "a row is a mapping of column: value",
                                    item, code="wrong-type"))
            continue
        broken = False
        for key in item:
            if key not in allowed:
                broken = True
                near = closest(key, allowed) if isinstance(key, str) else None
                hint = f"; did you mean {near!r}?" if near else ""
                problems.append(Problem(name, line if positional
                                        else doc.lines.get((index, key), line), (key,),
                                        f"unknown column{hint} (the columns are "
                                        f"{', '.join(COLUMNS)}; time and line may be added)",
                                        key, code="unknown-column"))
        cells = {k: v for k, v in item.items() if k in allowed}
        rows.append(_Row(line, {k: (v.strip() or None) if isinstance(v, str) else v
                                for k, v in cells.items()}, broken))
    return rows


# Rows -> RecordRow ----------------------------------------------------------------------------

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
        "cycle": read("cycle", _whole),
        "day": read("day", _whole),
        "reason": read("reason", _reason) or "",
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
        fields["voids"] = read("line", _whole)
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


def _whole(value: Any) -> int:
    if isinstance(value, bool):
        raise _Bad("expected a whole number", code="wrong-type")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _WHOLE.match(value):
        return int(value)
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
          code: str) -> InvalidRegimenError:
    return InvalidRegimenError([Problem(name, line, (), message, value, code=code)])


# The JSON Schema ------------------------------------------------------------------------------

def _cell(description: str, *types: str, pattern: str | None = None,
          enum: Iterable[str] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {"description": description}
    kinds: list[dict[str, Any]] = []
    for kind in types:
        option: dict[str, Any] = {"type": kind}
        if kind == "string" and pattern is not None:
            option["pattern"] = pattern
        if kind == "string" and enum:
            option["enum"] = list(enum)
        kinds.append(option)
    # Not given: null in YAML or JSON, an empty cell in CSV (read as not given, as an
    # empty string in YAML is): each CSV row fits the schema as it is.
    kinds.append({"type": "string", "maxLength": 0})
    kinds.append({"type": "null"})
    out["anyOf"] = kinds
    return out


def record_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a record file read as YAML or JSON: a list of rows.

    A CSV record is the same rows, every cell text: each row of a CSV file, as a mapping
    of its header's columns to its cells (an empty cell an empty string, allowed wherever a
    cell may be empty), fits the schema of a row. It checks structure
    only (columns, types, spellings); :func:`read_record` checks each event's fields and
    :meth:`Record.check_against` the regimen.
    """
    whole = r"^[-+]?[0-9]{1,9}$"
    row = {
        "type": "object",
        "description": "one event of a participant's treatment (docs/record.md)",
        "additionalProperties": False,
        "required": ["date", "event"],
        "properties": {
            "date": _cell("the day it happened or takes effect, YYYY-MM-DD (a void: the "
                          "date of the row it withdraws)", "string",
                          pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
            "event": {"description": "what happened; a void is 'void' and the event of the "
                      "row it withdraws ('void given'), and restates that row's other cells "
                      "but its reason", "type": "string",
                      "enum": [*(k.value for k in EventKind),
                               *(f"void {k.value}" for k in EventKind
                                 if k is not EventKind.VOID)]},
            "drug": _cell("a drug id of the regimen (empty: every drug, where the event "
                          "allows it)", "string"),
            "cycle": _cell("the protocol's cycle number, from 1", "integer", "string",
                           pattern=whole),
            "day": _cell("the cycle day (no day 0; -1 is the day before day 1)", "integer",
                         "string", pattern=whole),
            "amount": _cell("given: the amount given ('60 mg'); measure: the measurement "
                            "with its unit ('68 kg')", "string"),
            "level": _cell("reduce: a dose level (-1), a percentage of the level-0 dose "
                           "('80%'), or both ('-1 (80%)')", "integer", "string",
                           pattern=r"^(?:[-+]?[0-9]{1,3}|[0-9]+(?:\.[0-9]+)?\s*%|[-+]?[0-9]"
                           r"{1,3}\s*\(\s*[0-9]+(?:\.[0-9]+)?\s*%\s*\))$"),
            "reason": _cell("free text, at most 1,000 characters", "string"),
            "time": _cell("the local time of day, HH:MM", "string",
                          pattern=r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$"),
            "line": _cell("void: the line of the row it withdraws", "integer", "string",
                          pattern=whole),
        },
    }
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://regimens.invalid/schema/record-1.json",
            "title": "regimens record of treatment",
            "description": "a participant's record of treatment as it happens: one row per "
                           "event, appended to, never edited",
            "type": "array", "items": row}
