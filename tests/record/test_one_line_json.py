"""A JSON record written on one line, as ``json.dump`` writes it by default: its rows do not
each start on a line of their own, so they are named by their position in the list, from
1, in errors and in a void's ``line`` (docs/record.md, "The file"). It was refused with
"two rows have the same line (got 1)" once per row.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from regimens import EventKind, InvalidRegimenError, load_record, read_record

ROWS: list[dict[str, Any]] = [
    {"date": "2027-01-04", "event": "given", "drug": "dox"},
    {"date": "2027-01-04", "event": "given", "drug": "cyc"},
    {"date": "2027-01-25", "event": "given", "drug": "dox", "amount": "50 mg"},
    # A void restates the row it withdraws (docs/record.md, "void").
    {"date": "2027-01-25", "event": "void given", "drug": "dox", "amount": "50 mg", "line": 3,
     "reason": "entered in error"},
]


def _rows(void: int) -> list[dict[str, Any]]:
    return [*ROWS[:3], {**ROWS[3], "line": void}]


@pytest.mark.parametrize(("text", "lines"), [
    # One line (json.dump's default): positions 1 to 4; the void names row 3.
    (json.dumps(_rows(3)), [1, 2, 3, 4]),
    # A YAML flow list on one line: the same.
    ("[" + ", ".join(json.dumps(r) for r in _rows(3)) + "]", [1, 2, 3, 4]),
    # One row a line: the lines of the file, as before (line 1 is the '['): row 3 is on
    # line 4.
    ("[\n" + ",\n".join(json.dumps(r) for r in _rows(4)) + "\n]\n", [2, 3, 4, 5]),
])
def test_rows_are_named_by_position_when_they_share_a_line(text: str, lines: list[int],
                                                           tmp_path: Path) -> None:
    path = tmp_path / "P.json"
    path.write_text(text)
    record = load_record(path)
    assert [r.line for r in record.rows] == lines
    # The void withdraws the 50 mg dose, the third row, by the number that names it.
    assert [(r.drug, r.event) for r in record.effective()] == [
        ("dox", EventKind.GIVEN), ("cyc", EventKind.GIVEN)]


def test_an_error_names_the_row_by_its_position() -> None:
    rows = [*ROWS[:2], {"date": "2027-01-25", "event": "givne", "drug": "dox"}]
    with pytest.raises(InvalidRegimenError) as exc:
        read_record(json.dumps(rows), name="one.json", kind="yaml")
    (problem,) = exc.value.problems
    assert problem.line == 3
    assert str(problem) == (
        "one.json:3: event: did you mean 'given'? an event is one of: given, missed, delay, "
        "move, hold, resume, reduce, measure, stop, void (got 'givne')")


def test_an_unknown_column_names_the_row_by_its_position() -> None:
    rows = [*ROWS[:2], {"date": "2027-01-25", "event": "given", "drug": "dox", "dose": "1"}]
    with pytest.raises(InvalidRegimenError) as exc:
        read_record(json.dumps(rows), name="one.json", kind="yaml")
    assert [(p.line, p.code) for p in exc.value.problems] == [(3, "unknown-column")]
