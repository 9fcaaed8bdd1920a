"""Reading a record file: CSV with a header, or the same rows as YAML (or JSON), into a
:class:`~regimens.record.Record`.

Every cell is read by one function whatever the file's kind, so a CSV file and its YAML
twin give equal records, and every problem names the file, the line and the column
(``P-017.csv:4: amount: ...``). All problems of a file are reported at once.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection
from pathlib import Path
from typing import Any

from ..errors import (
    ExpandOptionError,
    ExpandOptionTypeError,
    InvalidRecordError,
    InvalidRegimenError,
    Problem,
)
from ..format import MAX_BYTES
from ..model import Regimen
from ._check import check_record, without_cycles
from ._model import EventKind, RecordRow
from ._read_csv import _csv_rows
from ._read_row import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    _Bad,
    _build_row,
    _fail,
    _in_file,
    _Row,
    _says_void,
    _whole,
)
from ._read_schema import record_schema
from ._read_yaml import _yaml_rows
from ._record import Record

__all__ = ["COLUMNS", "OPTIONAL_COLUMNS", "load_record", "read_record", "record_schema"]


def load_record(path: str | os.PathLike[str], *, regimen: Regimen | None = None,
                arm: str | None = None, blinded: bool = False) -> Record:
    """Read a participant's record file: ``.csv``, or ``.yaml``/``.yml``/``.json``.

    With ``regimen`` (and ``arm``, when known), the rows are also checked against it
    (:meth:`Record.check_against`) and every problem of every row comes in one error
    (docs/record.md, "Every problem at once"). ``blinded``: the record is for an output
    that blinds the arm: a ``reduce`` row is judged alike on every arm in a blinded period
    (:meth:`Record.check_against`).

    Raises:
        InvalidRecordError: the file cannot be read (missing, a directory, not a regular
            file, over 2 MiB, not UTF-8), has another suffix, or any row is invalid (or,
            with ``regimen``, names what the regimen lacks); each problem names the file,
            line and column.
        RegimenLookupError: ``arm`` is not an arm of ``regimen``.
    """
    try:
        name = os.fspath(path)
    except TypeError:
        raise ExpandOptionTypeError("path", "a record's path is str or os.PathLike; to read "
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
    return read_record(data, name=name, kind=kind, regimen=regimen, arm=arm,
                       blinded=blinded)


def read_record(text: str | bytes, *, name: str = "<record>", kind: str = "csv",
                regimen: Regimen | None = None, arm: str | None = None,
                blinded: bool = False) -> Record:
    """Read a record from its text: ``kind`` ``"csv"`` (a header, then one row per line) or
    ``"yaml"`` (a list of mappings with the same keys; JSON is YAML). ``name`` is the file
    name messages cite. With ``regimen`` (and ``arm``), the rows that could be read are
    also checked against it, in the same error (``blinded``: as :func:`load_record`).

    Every row is read, whatever the problems of the others: a row with a problem of its
    own (a cell, a field its event does not take) is reported and left out of the checks
    of the whole record (voids) and against the regimen; the other rows are still
    checked. Only a file that cannot be split into rows stops at once: not UTF-8, not
    valid CSV, a header with a problem (its cells cannot be given a column), a YAML
    document that is not a list.

    Raises:
        InvalidRecordError: every problem of the file at once, each with its line and
            column, in line order (docs/record.md, "The file").
        RegimenLookupError: ``arm`` is not an arm of ``regimen``.
    """
    if kind not in ("csv", "yaml"):
        raise ExpandOptionError("kind", "a record is read as 'csv' or 'yaml' (JSON is read as "
                                "YAML)", kind)
    if not isinstance(text, (str, bytes)):
        raise ExpandOptionTypeError("text", "a record's text is str or bytes; to read a file, use "
                                    "load_record(path)", type(text).__name__)
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > MAX_BYTES:
        raise _fail(name, None, f"the file is {size:,} bytes; record files are limited to "
                    f"{MAX_BYTES:,} bytes", code="file-too-large")
    problems: list[Problem] = []
    rows = (_csv_rows(text, name, problems) if kind == "csv"
            else _yaml_rows(text, name, problems))
    built: list[RecordRow] = []
    failed: dict[int, dict[str, Any]] = {}  # the rows that could not be read: their cells
    for row in rows:
        target = _void_of(row)
        if target is not None and target in failed:
            # A void of a row reported already has nothing to withdraw in what was read,
            # and the cells it restates have that row's problems, reported there once; its
            # own problems (a cell that is not the withdrawn row's, a void that restates
            # nothing at all) are reported now, never in a later round.
            failed[row.line] = row.cells
            if row.cells.get("event") == "void":
                problems.append(Problem(name, row.line, ("event",), "a void restates the row "
                                        "it withdraws (every cell but the reason): write "
                                        f"'void' and line {target}'s event in the event cell "
                                        f"(as 'void given'), and line {target}'s other cells "
                                        "as it has them", "void", code="void-not-restated"))
                continue
            own: list[Problem] = []
            _build_row(row, name, own)
            problems.extend(p for p in own
                            if not _restated(p, row.cells, failed[target]))
            continue
        made = _build_row(row, name, problems)
        if made is None:
            failed[row.line] = row.cells
        else:
            built.append(made)
    record = _readable(name, built, failed, problems)
    if regimen is not None:
        problems = _without_cycles(problems, rows, regimen, arm, name)
        try:
            check_record(record, regimen, arm, blinded=blinded)
        except InvalidRegimenError as exc:
            problems.extend(exc.problems)
    if problems:
        # In line order (a row's own problems, then those of the whole record, then those
        # against the regimen); problems of the file itself (no line) first.
        raise InvalidRecordError(sorted(problems, key=lambda p: p.line or 0))
    return record


#: The problems of a row's cycle and day that a drug without cycles explains: a cycle (or a
#: day) a move or a delay needs, a day without its cycle, a cycle without its day.
_CYCLE_CODES = frozenset({"missing-field", "day-without-cycle", "cycle-without-day"})


def _without_cycles(problems: list[Problem], rows: list[_Row], regimen: Regimen,
                    arm: str | None, name: str) -> list[Problem]:
    """``problems`` with those of the cycle and day of a row of a drug whose courses have
    no cycles (``every: 1 week``; for a delay with no drug, of every course of the arm) said
    once, as what it is, with what to write instead (:func:`without_cycles`): such a dose
    cannot be moved or delayed ahead of time, and is recorded when it happens, by a given
    row naming the date it was planned on (docs/record.md, "Events"); a given or missed
    row names it by its date, a reduction is from its date."""
    if not isinstance(regimen, Regimen):
        return problems  # check_record refuses it, naming what it takes
    said: dict[int, Problem] = {}
    names = {d.id: d.name for d in regimen.drugs}
    for row in rows:
        event, drug = row.cells.get("event"), row.cells.get("drug")
        if not isinstance(event, str) or (drug is not None and not isinstance(drug, str)):
            continue
        courses = [c for p in (regimen.periods if arm is None else regimen.path(arm))
                   for c in p.courses if (drug is None or c.drug == drug)
                   and (arm is None or c.arms is None or arm in c.arms)]
        advice = without_cycles(event, drug, names)
        if advice is None or not courses or any(c.cycle is not None for c in courses):
            continue
        said[row.line] = Problem(name, row.line, ("cycle",), advice, code="unknown-cycle")
    if not said:
        return problems

    def explained(p: Problem) -> bool:
        return (p.line in said and p.code in _CYCLE_CODES
                and p.loc in (("cycle",), ("day",)))

    kept = [p for p in problems if not explained(p)]
    return kept + [p for line, p in said.items()
                   if any(q.line == line and explained(q) for q in problems)]


def _restated(problem: Problem, cells: dict[str, Any], withdrawn: dict[str, Any]) -> bool:
    """Whether ``problem`` of a void row is about a cell it restates as the withdrawn row
    (``withdrawn``: its cells) has it, a problem reported at that row already."""
    if not problem.loc or not isinstance(problem.loc[0], str):
        return False
    column = problem.loc[0]

    def text(value: Any) -> str:
        return "" if value is None else str(value).strip()

    mine, theirs = text(cells.get(column)), text(withdrawn.get(column))
    if column == "event":
        return mine == f"void {theirs}"
    return mine == theirs


def _void_of(row: _Row) -> int | None:
    """The line a void row names (None: not a void, or no line that can be read)."""
    line = row.cells.get("line")
    if not _says_void(row.cells):
        return None
    try:
        return _whole(line, "line") if line is not None else None
    except _Bad:
        return None


def _readable(name: str, built: list[RecordRow], failed: Collection[int],
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
