"""A per-m² (per-kg) ``max_cumulative`` on doses without the BSA (weight) they were
computed from is not checked, and says so, with a record as without one (API and CLI);
the record's replay raised DoseError where the plan alone warned.

Hand-computed: 6 x 100 mg flat, cycle 21 days from Monday 2027-01-04 (cycle 2 on
2027-01-25). With a BSA of 1.5 m² measured on 2027-01-04, before any dose, every dose has
its BSA: 600 / 1.5 = 400 mg per m², above 399.99 at cycle 6 (2027-04-19; 333.33 before).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import regimens
from regimens import Participant
from regimens.cli import main
from regimens.record import read_record
from support.records import RECORD_HEADER

DOC = """\
format: regimens/1
id: c
title: C
drugs:
  d: {name: drugd, route: intravenous, max_cumulative: %s}
arms:
  a: {label: A}
periods:
  - id: t
    length: 18 weeks
    courses:
      - {drug: d, dose: 100 mg, cycle: 21 days, cycles: 6, days: [1]}
"""
NOT_M2 = ("d (drugd): max_cumulative 400 mg per m² is not checked: it adds up doses per m² "
          "and the participant's body surface area is not given")
NOT_KG = ("d (drugd): max_cumulative 4 mg per kg is not checked: it adds up doses per kg "
          "and the participant's weight is not given")
FLAG = ("d (drugd): the administration planned on 2027-04-19 (cycle 6, day 1) would bring "
        "the cumulative dose to 400 mg per m², above max_cumulative 399.99 mg per m² "
        "(333.33 mg per m² before it); review before giving it")

GIVEN = "2027-01-04,given,d,1,1,100 mg,,\n"
MISSED = "2027-01-04,missed,d,1,1,,,\n"
LATER_BSA = GIVEN + "2027-01-20,measure,,,,1.5 m2,,\n"


def _cumulative(limit: str, record: str | None, person: Participant | None = None
                ) -> list[str]:
    r = regimens.loads(DOC % limit, "c.yaml")
    options = {} if record is None else {"record": read_record(RECORD_HEADER + record,
                                                               name="r.csv")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = r.expand("a", "2027-01-04", participant=person, **options)  # type: ignore[arg-type]
    return [str(w) for w in s.warnings if isinstance(w, regimens.CumulativeDoseWarning)]


@pytest.mark.parametrize(("limit", "record", "person", "expected"), [
    ("400 mg/m2", None, None, [NOT_M2]),
    ("400 mg/m2", "", None, [NOT_M2]),
    ("400 mg/m2", GIVEN, None, [NOT_M2]),
    ("400 mg/m2", MISSED, None, [NOT_M2]),
    # A BSA measured after the first dose: that dose's share cannot be known.
    ("400 mg/m2", LATER_BSA, None, [NOT_M2]),
    # Only a height: still no BSA.
    ("400 mg/m2", GIVEN, Participant(height="170 cm"), [NOT_M2]),
    ("4 mg/kg", None, None, [NOT_KG]),
    ("4 mg/kg", GIVEN, None, [NOT_KG]),
    ("4 mg/kg", GIVEN, Participant(bsa="1.5 m2"), [NOT_KG]),
    # Measured before the first dose: every dose has its BSA, the limit is checked.
    ("399.99 mg/m2", "2027-01-04,measure,,,,1.5 m2,,\n" + GIVEN, None, [FLAG]),
    ("399.99 mg/m2", GIVEN, Participant(bsa="1.5 m2"), [FLAG]),
])
def test_a_limit_without_the_body_size_is_not_checked_with_a_record_too(
        limit: str, record: str | None, person: Participant | None,
        expected: list[str]) -> None:
    assert _cumulative(limit, record, person) == expected


def test_the_command_line_says_not_checked_with_a_record(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(DOC % "400 mg/m2", encoding="utf-8")
    record = tmp_path / "r.csv"
    record.write_text(RECORD_HEADER + GIVEN, encoding="utf-8")
    assert main(["expand", str(path), "--arm", "a", "--start", "2027-01-04", "--record",
                 str(record), "--format", "csv"]) == 0
    _, err = capsys.readouterr()
    assert err == f"regimens: warning: {NOT_M2}\n"
