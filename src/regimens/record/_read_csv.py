"""A CSV record file (:mod:`._read`) split into rows as written: UTF-8 text, a header
naming the columns, then one row per line."""

from __future__ import annotations

import csv
import io

from ..errors import InvalidRecordError, Problem
from ..format import wide_encoding
from ..model import closest
from ._read_row import COLUMNS, OPTIONAL_COLUMNS, _fail, _Row


def _decode(data: str | bytes, name: str) -> str:
    if isinstance(data, bytes):
        wide = wide_encoding(data)
        if wide is not None:
            # Excel's "Unicode Text" (or a Windows editor's "Unicode"): say what it is and
            # how to save it, not which byte failed.
            raise _fail(name, 1, f"the file is {wide} text, not UTF-8: save it as CSV UTF-8 "
                        "(in Excel: Save As, then the type CSV UTF-8)", code="not-utf8")
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
    columns_text = (f"the columns are {', '.join(COLUMNS)}; time, line and planned may be "
                    "added")
    # A column written in another case ("Date", as a spreadsheet capitalises it) is not taken
    # as the column (the format's words are lower case: docs/record.md), but it is one
    # mistake, said once for the whole header, not once a column.
    # A column written in two cases ('Date' beside 'date') is a column named twice: told
    # to write 'Date' as date, the file would have date twice (review A).
    known = {column: column if column in allowed else column.lower() for column in names
             if column in allowed or column.lower() in allowed}
    spellings: dict[str, list[str]] = {}
    for column in names:
        if column in known:
            spellings.setdefault(known[column], []).append(column)
    twice = {lower: found for lower, found in spellings.items()
             if len(found) > 1 and len(set(found)) > 1}
    cased = {column: column.lower() for column in names
             if column not in allowed and column.lower() in allowed
             and column.lower() not in twice}
    if cased:
        problems.append(Problem(name, line, (), "column names are written in lower case: "
                                "write " + ", ".join(f"{c!r} as {lower}"
                                                     for c, lower in cased.items())
                                + f" ({columns_text})", code="unknown-column"))
    for lower, found in twice.items():
        times = "twice" if len(found) == 2 else f"{len(found)} times"
        shown = ", ".join(repr(c) for c in found[:-1]) + f" and {found[-1]!r}"
        problems.append(Problem(name, line, (lower,), f"the column is named {times}, as "
                                f"{shown} (column names are written in lower case): keep one "
                                f"of {'the two' if len(found) == 2 else 'them'}",
                                code="duplicate-column"))
    for index, column in enumerate(names):
        if column in cased or known.get(column) in twice:
            continue
        if column not in allowed:
            near = closest(column.lower(), allowed)
            hint = f"; did you mean {near!r}?" if near else ""
            problems.append(Problem(name, line, (f"column {index + 1}",), f"unknown column{hint} "
                                    f"({columns_text})", column, code="unknown-column"))
        elif column in names[:index]:
            problems.append(Problem(name, line, (column,), "the column is named twice",
                                    code="duplicate-column"))
    missing = [c for c in COLUMNS if c not in names and c not in cased.values()
               and c not in twice]
    if missing:
        problems.append(Problem(name, line, (), "the header lacks "
                                + ", ".join(missing) + f" (a record has the columns "
                                f"{', '.join(COLUMNS)}, in any order; cells may be empty)",
                                code="missing-column"))
    if problems:
        raise InvalidRecordError(problems)
    return names
