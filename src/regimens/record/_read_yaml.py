"""A YAML (or JSON) record file (:mod:`._read`) split into rows as written: a list of
mappings with the same keys as a CSV file's columns."""

from __future__ import annotations

from dataclasses import replace

from ..errors import InvalidRecordError, InvalidRegimenError, Problem
from ..format import parse_document
from ..model import closest
from ._read_row import COLUMNS, OPTIONAL_COLUMNS, _fail, _Row

#: The format reader's problems of a whole file, as said of a YAML record (by code).
_RECORD_WORDS = {
    "empty-file": "the file is empty; a YAML record is a list of rows, each a mapping "
                  "(- {date: 2027-01-04, event: given, drug: dox})",
    "nul-character": "the file contains a NUL character; record files are text",
}


def _yaml_rows(data: str | bytes, name: str, problems: list[Problem]) -> list[_Row]:
    try:
        doc = parse_document(data, name)
    except InvalidRegimenError as exc:
        # Not UTF-8, not YAML: the format's reader says so, of a record file here (its
        # words of an empty file or a NUL are a regimen file's: said of a record instead).
        raise InvalidRecordError([replace(p, message=_RECORD_WORDS.get(p.code, p.message))
                                  for p in exc.problems]) from None
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
                                        f"{', '.join(COLUMNS)}; time, line and planned may be "
                                        "added)",
                                        key, code="unknown-column"))
        cells = {k: v for k, v in item.items() if k in allowed}
        rows.append(_Row(line, {k: (v.strip() or None) if isinstance(v, str) else v
                                for k, v in cells.items()}, broken))
    return rows
