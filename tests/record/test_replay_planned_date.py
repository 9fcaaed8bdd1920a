"""A given row names the administration it fulfils by the date it was planned on (the
``planned`` column), when it was given on another day: the way a course without cycles (no
cycle and day to name) records a late dose as its planned one (docs/record.md, "Events").

Hand-worked: methotrexate 15 mg every week for 4 weeks from Monday 2027-01-04: planned on
Mon 01-04, 01-11, 01-18 and 01-25. The dose of 01-18 given a day late, Tue 01-19.
"""

from __future__ import annotations

import warnings
from datetime import date

import pytest

import regimens
from regimens import AdministrationStatus, InvalidRegimenError, read_record

MTX = """\
format: regimens/1
id: mtx
title: MTX
drugs:
  mtx: {name: methotrexate, route: oral}
arms:
  x: {label: X}
periods:
  - id: t
    length: 4 weeks
    courses:
      - {drug: mtx, id: mtx, dose: 15 mg, every: 1 week}
"""
HEADER = "date,event,drug,cycle,day,amount,level,reason,planned\n"


def expand(rows: str, regimen: str = MTX, arm: str = "x") -> regimens.Schedule:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return regimens.loads(regimen, "m.yaml").expand(
            arm, "2027-01-04", record=read_record(HEADER + rows, name="P.csv"))


def problem(rows: str, regimen: str = MTX, arm: str = "x") -> regimens.Problem:
    with pytest.raises(InvalidRegimenError) as caught:
        expand(rows, regimen, arm)
    (found,) = caught.value.problems
    return found


@pytest.mark.parametrize(("amount", "dose"), [("", "15 mg"), ("14 mg", "14 mg")])
def test_a_late_dose_fulfils_the_one_planned_on_its_planned_date(amount: str,
                                                                 dose: str) -> None:
    s = expand(f"2027-01-19,given,mtx,,,{amount},,late,2027-01-18\n")
    rows = [(a.date.isoformat(), a.planned_date.isoformat() if a.planned_date else None,
             a.status.value, a.dose.text, a.unplanned) for a in s.administrations]
    assert rows == [
        ("2027-01-04", None, "planned", "15 mg", False),
        ("2027-01-11", None, "planned", "15 mg", False),
        ("2027-01-19", "2027-01-18", "given", dose, False),
        ("2027-01-25", None, "planned", "15 mg", False),
    ]
    assert s.replayed is not None
    assert s.replayed.deviations == ()
    assert s.replayed.changes == (
        "2027-01-19 given (line 2): methotrexate given"
        + (f" {dose}" if amount else "") + " on Tue 2027-01-19, planned for Mon 2027-01-18",)


def test_a_planned_date_with_no_administration_is_refused() -> None:
    found = problem("2027-01-19,given,mtx,,,,,,2027-01-17\n")
    assert (found.line, found.loc, found.code) == (2, ("planned",), "record-unknown-planned")
    assert found.message == "no administration of methotrexate is planned on Sun 2027-01-17"


def test_a_second_row_for_the_same_planned_dose_is_given_twice() -> None:
    found = problem("2027-01-18,given,mtx,,,,,,\n2027-01-19,given,mtx,,,,,,2027-01-18\n")
    assert found.code == "record-given-twice"
    assert found.message == (
        "the planned administration of methotrexate on Mon 2027-01-18 was already fulfilled "
        "by line 2; void one of the two rows, or name the administration this dose fulfils "
        "by its planned date (the planned column)")


def test_a_late_dose_without_amount_nor_planned_date_says_the_planned_column() -> None:
    found = problem("2027-01-19,given,mtx,,,,,,\n")
    assert found.code == "record-given-without-amount"
    # The empty amount cell said so (it read "(got null)": cold try 4, C5).
    assert found.message == (
        "no planned administration of methotrexate is open on Tue 2027-01-19 to take its "
        "amount from: give the amount given, or the planned date (the planned column) of "
        "the dose it fulfils (the amount cell is empty)")
    assert not found.has_value


def test_an_unplanned_dose_of_a_course_without_cycles_is_told_the_planned_column() -> None:
    s = expand("2027-01-19,given,mtx,,,15 mg,,late,\n")
    assert s.replayed is not None
    assert s.replayed.deviations == (
        "line 2: methotrexate 15 mg given on Tue 2027-01-19 fulfils no planned administration "
        "(none is planned on Tue 2027-01-19); the dose planned on Mon 2027-01-18, before it, "
        "is still counted as planned beside it: if this row gave that dose, name it by the "
        "date it was planned on, 2027-01-18, in the planned column (or record the planned "
        "one missed)",)


@pytest.mark.parametrize(("rows", "column", "code"), [
    # One way to name it, not two.
    ("2027-01-19,given,mtx,1,1,,,,2027-01-18\n", "planned", "planned-with-cycle"),
    # Only a given row takes it (a missed row is dated on the day it was due).
    ("2027-01-18,missed,mtx,,,,,,2027-01-18\n", "planned", "field-not-for-event"),
    ("2027-01-19,given,mtx,,,,,,2027-01-32\n", "planned", "bad-date"),
])
def test_the_planned_column_is_read_strictly(rows: str, column: str, code: str) -> None:
    with pytest.raises(InvalidRegimenError) as caught:
        read_record(HEADER + rows, name="P.csv")
    assert [(p.line, p.loc, p.code) for p in caught.value.problems] == [(2, (column,), code)]


def test_a_void_restates_the_planned_date() -> None:
    rows = ("2027-01-19,given,mtx,,,,,,2027-01-18,\n"
            "2027-01-19,void given,mtx,,,,,typo,,2\n")
    with pytest.raises(InvalidRegimenError) as caught:
        read_record(HEADER.rstrip("\n") + ",line\n" + rows, name="P.csv")
    (found,) = caught.value.problems
    assert found.code == "void-mismatch"
    assert "this void names no planned date" in found.message
    ok = read_record(HEADER.rstrip("\n") + ",line\n" + rows.replace(
        ",typo,,2", ",typo,2027-01-18,2"), name="P.csv")
    assert [r.line for r in ok.effective()] == []


def test_the_yaml_form_and_the_row() -> None:
    record = read_record("- {date: 2027-01-19, event: given, drug: mtx, planned: 2027-01-18}\n",
                         name="P.yaml", kind="yaml")
    (row,) = record.rows
    assert row.planned == date(2027, 1, 18)


TWO_PERIODS = """\
format: regimens/1
id: twoper
title: Same drug in two periods
drugs:
  gem: {name: gemcitabine, route: intravenous}
arms:
  a: {label: A}
periods:
  - id: induction
    length: 42 days
    courses:
      - {drug: gem, dose: 1000 mg, cycle: 21 days, cycles: 2, days: [1]}
  - id: maintenance
    length: 42 days
    courses:
      - {drug: gem, dose: 500 mg, cycle: 21 days, cycles: 2, days: [1]}
"""


def test_a_cycle_in_two_periods_is_named_by_its_planned_date() -> None:
    # Maintenance cycle 1 day 1, planned Mon 2027-02-15 (42 days after 01-04), given 02-16.
    s = expand("2027-02-16,given,gem,,,,,,2027-02-15\n", TWO_PERIODS, "a")
    given = [a for a in s.administrations if a.status is AdministrationStatus.GIVEN]
    assert [(a.period, a.cycle, a.date.isoformat(), a.dose.text) for a in given] == [
        ("maintenance", 1, "2027-02-16", "500 mg")]
