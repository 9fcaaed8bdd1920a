"""A participant placed by the date of enrolment (issue 13, "Anchoring"; acceptance review
item 5): ``anchor={"enrolment": date}`` (or ``enrollment``, or ``--anchor enrolment=DATE``)
is the first day of the arm's first period.

By hand: screening 2 weeks, run-in 3 weeks, then treatment (Study Day 1). Enrolled on
Monday 2027-01-04: the run-in starts 2027-01-18 and Study Day 1 is 2027-01-04 + 14 + 21
days = Monday 2027-02-08; cycle 2 of doxorubicin (21 days) on 2027-03-01.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

import regimens
from regimens.cli import main

TEXT = """\
format: regimens/1
id: ri
title: RI
day_one: treatment
drugs:
  dox: {name: doxorubicin, route: intravenous}
arms:
  a: {label: A}
periods:
  - id: screening
    length: 2 weeks
  - id: run-in
    length: 3 weeks
  - id: treatment
    length: 6 weeks
    courses:
      - {drug: dox, dose: 60 mg, cycle: 21 days, cycles: 2, days: [1]}
"""
REGIMEN = regimens.loads(TEXT, "ri.yaml")


@pytest.mark.parametrize("anchor", [
    {"enrolment": "2027-01-04"}, {"enrollment": date(2027, 1, 4)}, "enrolment=2027-01-04",
    "enrollment=2027-01-04", {"screening": "2027-01-04"}, {"run-in": "2027-01-18"},
])
def test_enrolment_is_the_first_day_of_the_first_period(anchor: object) -> None:
    s = REGIMEN.expand("a", anchor=anchor)  # type: ignore[arg-type]
    assert s.start == date(2027, 2, 8)
    assert [a.date for a in s.administrations] == [date(2027, 2, 8), date(2027, 3, 1)]
    assert s == REGIMEN.expand("a", "2027-02-08")


def test_enrolment_with_a_chosen_run_in_length() -> None:
    # The mirocals run-in (the arm's first period) chosen at 14 weeks: 98 days after
    # Monday 2027-01-04 is Monday 2027-04-12.
    mirocals = regimens.load("mirocals")
    by_start = mirocals.expand("il2", "2027-04-12", lengths={"run-in": "14 weeks"})
    assert mirocals.path("il2")[0].id == "run-in"
    assert mirocals.expand("il2", anchor={"enrolment": "2027-01-04"},
                           lengths={"run-in": "14 weeks"}) == by_start


def test_a_period_named_enrolment_is_that_period() -> None:
    regimen = regimens.loads(TEXT.replace("id: run-in", "id: enrolment"), "ri.yaml")
    # The period "enrolment" (the run-in) starts 2027-01-18: Study Day 1 21 days later.
    assert regimen.expand("a", anchor={"enrolment": "2027-01-18"}).start == date(2027, 2, 8)


def test_cli_anchor_enrolment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ri.yaml"
    path.write_text(TEXT, encoding="utf-8")
    for flag in ("enrolment=2027-01-04", "enrollment=2027-01-04"):
        assert main(["expand", str(path), "--arm", "a", "--anchor", flag,
                     "--format", "csv"]) == 0
        rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
        assert [(r["study_day"], r["date"]) for r in rows] == [
            ("1", "2027-02-08"), ("22", "2027-03-01")]
