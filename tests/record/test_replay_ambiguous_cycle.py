"""A row naming a cycle (and day) that the same drug has in more than one period is refused
as ambiguous, whatever its event (docs/record.md, "Replay"): never silently another period's
dose.

Hand-worked: gemcitabine day 1 of two 21-day cycles in induction (1,000 mg, from Mon
2027-01-04: cycle 1 on 01-04, cycle 2 on 01-25) and again in maintenance (500 mg, from Mon
2027-02-15, 42 days later: cycle 1 on 02-15, cycle 2 on 03-08).
"""

from __future__ import annotations

import pytest

import regimens
from regimens import InvalidRegimenError, read_record

REGIMEN = """\
format: regimens/1
id: twoper
title: Same drug in two periods
drugs:
  gem: {name: gemcitabine, route: intravenous}
  cis: {name: cisplatin, route: intravenous}
arms:
  a: {label: A}
periods:
  - id: induction
    length: 42 days
    courses:
      - {drug: gem, dose: 1000 mg, cycle: 21 days, cycles: 2, days: [1]}
      - {drug: cis, dose: 75 mg, cycle: 21 days, cycles: 2, days: [1]}
  - id: maintenance
    length: 42 days
    courses:
      - {drug: gem, dose: 500 mg, cycle: 21 days, cycles: 2, days: [1]}
"""
HEADER = "date,event,drug,cycle,day,amount,level,reason\n"
WHERE = "(induction: Mon 2027-01-04; maintenance: Mon 2027-02-15)"
BY_DATE = ("a given row names the administration by the date it is planned on (the planned "
           "column), and ")
MISSED = ("a missed row without cycle and day names the administration planned on its "
          "date, and ")
FIRST = "the regimen can number the later period's cycles on with first_cycle (docs/format.md)"


def expand(rows: str) -> regimens.Schedule:
    return regimens.loads(REGIMEN, "t.yaml").expand(
        "a", "2027-01-04", record=read_record(HEADER + rows, name="P.csv"))


@pytest.mark.parametrize(("row", "what", "advice"), [
    ("2027-02-16,given,gem,1,1,,,late", "day 1 of cycle 1 of gemcitabine", BY_DATE),
    ("2027-02-16,given,gem,1,1,500 mg,,late", "day 1 of cycle 1 of gemcitabine", BY_DATE),
    ("2027-02-15,missed,gem,1,1,,,", "day 1 of cycle 1 of gemcitabine", MISSED),
    ("2027-02-16,move,gem,1,1,,,", "day 1 of cycle 1 of gemcitabine", ""),
    ("2027-02-16,delay,gem,1,,,,", "cycle 1 of gemcitabine", ""),
    ("2027-02-18,delay,gem,1,1,,,", "cycle 1 of gemcitabine", ""),
])
def test_a_cycle_in_two_periods_is_ambiguous(row: str, what: str, advice: str) -> None:
    with pytest.raises(InvalidRegimenError) as caught:
        expand(row + "\n")
    (problem,) = caught.value.problems
    assert problem.code == "record-ambiguous-cycle"
    assert problem.line == 2
    assert problem.loc == ("cycle",)
    assert problem.message == (f"{what} is in more than one period {WHERE}: the record cannot "
                               f"tell them apart by cycle number; {advice}{FIRST}")


def test_a_delay_without_drug_names_the_drug_when_that_tells_them_apart() -> None:
    # Cisplatin has cycle 1 in induction only: naming it is a way out (the message as before,
    # the empty drug cell said so: it read "(got null)", cold try 4, C5).
    with pytest.raises(InvalidRegimenError) as caught:
        expand("2027-01-06,delay,,1,,,,\n")
    (problem,) = caught.value.problems
    assert problem.code == "record-ambiguous-cycle"
    assert problem.message == ("cycle 1 is in more than one period (induction, maintenance); "
                               "name the drug (the drug cell is empty)")
    assert not problem.has_value


@pytest.mark.parametrize(("row", "period", "day"), [
    # Named by its date: the one planned that day, in either period.
    ("2027-02-15,given,gem,,,,,", "maintenance", "2027-02-15"),
    ("2027-01-04,given,gem,,,,,", "induction", "2027-01-04"),
])
def test_a_row_without_cycle_names_the_dose_of_its_date(row: str, period: str,
                                                         day: str) -> None:
    s = expand(row + "\n")
    given = [a for a in s.administrations if a.status is regimens.AdministrationStatus.GIVEN]
    assert [(a.period, a.date.isoformat()) for a in given] == [(period, day)]
