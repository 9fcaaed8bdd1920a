"""The table's Planned column shows the plan's dose only where it reads otherwise than the
Dose column (cold try 5, finding 12: after a weight came back, re-dosing gave the plan's
amount again and the column repeated it, "145.6 mg ... given 145.6 mg"); its day where the
record moved it. JSON and CSV keep ``planned_amount`` on every row (docs/record.md, "What
each field holds, per status").

The reproducer (cold try 5, w1.csv): paclitaxel 80 mg/m2 weekly, redose at a 10% weight
change, 70 kg and 170 cm at enrolment. By hand: BSA sqrt(170 x 70 / 3600) = 1.8181 ->
1.82 m2, 145.6 mg; 63 kg (10% below 70: recomputed) sqrt(170 x 63 / 3600) = 1.7248 ->
1.72 m2, 137.6 mg; 66 kg (4.76% above 63: not recomputed); 154 lb = 69.85322498 kg
(10.88% above 63: recomputed) sqrt(170 x 69.85322498 / 3600) = 1.8162 -> 1.82 m2, 145.6
mg: the plan's amount again, by another derivation.
"""

from __future__ import annotations

import json

import pytest

import regimens
from regimens import Participant, read_record
from support.cold5 import CP
from support.records import RECORD_HEADER

W1 = ("2027-01-04,given,pac,,,,,\n2027-01-10,measure,,,,63 kg,,\n2027-01-11,given,pac,,,,,\n"
      "2027-01-17,measure,,,,66 kg,,\n2027-01-18,given,pac,,,,,\n"
      "2027-01-24,measure,,,,154 lb,,\n2027-01-25,given,pac,,,,,\n")


def _schedule(rows: str) -> regimens.Schedule:
    return regimens.loads(CP, "cp.yaml").expand(
        "cp", "2027-01-04", Participant(weight="70 kg", height="170 cm", gfr="80 mL/min"),
        record=read_record(RECORD_HEADER + rows, name="w1.csv"))


def _columns(s: regimens.Schedule) -> dict[str, tuple[str, str, str]]:
    """Paclitaxel's rows of the table by date: (Dose, Status, Planned)."""
    lines = s.to_table().splitlines()
    header = next(line for line in lines if line.startswith("Day "))
    dose, status, planned = (header.index(n) for n in ("Dose", "Status", "Planned"))
    route = header.index("Route")
    found = {}
    for line in lines[lines.index(header) + 1:]:
        if not line[:1].isspace() and not line[:1].isdigit():
            break
        if "paclitaxel" in line:
            found[line[9:19]] = (line[dose:route].strip(), line[status:planned].strip(),
                                 line[planned:].strip())
    return found


@pytest.mark.parametrize(("rows", "day", "expected"), [
    # Re-computed to the plan's amount, given: nothing to repeat.
    (W1, "2027-01-25", ("145.6 mg", "given", "")),
    # ... and still planned.
    (W1, "2027-02-01", ("145.6 mg", "planned", "")),
    # Re-computed to another amount: the plan's shown.
    (W1, "2027-01-11", ("137.6 mg", "given", "145.6 mg")),
    (W1, "2027-01-18", ("137.6 mg", "given", "145.6 mg")),
    # Missed at the plan's amount, by another derivation.
    (W1 + "2027-02-01,missed,pac,,,,,\n", "2027-02-01",
     ("missed (would have been 145.6 mg)", "missed", "")),
    # Given a day late at the plan's amount: its day alone.
    (W1 + "2027-02-02,given,pac,2,8,,,\n", "2027-02-02",
     ("145.6 mg", "given", "Mon 2027-02-01")),
    # A partial dose: the plan's dose beside it.
    (W1 + "2027-02-01,given,pac,,,100 mg,,vomited\n", "2027-02-01",
     ("100 mg", "given", "145.6 mg")),
    # Reduced (level -1: 70 x 1.82 = 127.4 mg): the plan's beside it.
    ("2027-01-11,reduce,pac,,,,-1,\n", "2027-01-11", ("127.4 mg", "planned", "145.6 mg")),
])
def test_the_planned_column_says_what_differs(rows: str, day: str,
                                              expected: tuple[str, str, str]) -> None:
    assert _columns(_schedule(rows))[day] == expected


def test_json_keeps_the_planned_amount() -> None:
    data = json.loads(_schedule(W1).to_json())
    row = next(a for a in data["administrations"]
               if a["drug"] == "pac" and a["date"] == "2027-01-25")
    assert (row["amount"], row["planned_amount"]) == ("145.6", "145.6")
