"""A dose given that fulfils no planned administration (issue 13, cold user's report, item
6): nothing planned is shown beside it, and the totals never add it to the dose still
planned before it without saying so.

By hand: doxorubicin 60 mg every 21 days x 6 from Monday 2027-01-04 (360 mg planned). The
record gives 60 mg on Tuesday 2027-01-05, the day after cycle 1 day 1, without naming it.
"""

from __future__ import annotations

import json

import pytest

import regimens
from regimens import AdministrationStatus
from support.records import replay_rows

REGIMEN = regimens.loads("""\
format: regimens/1
id: v
title: V
drugs:
  dox: {name: doxorubicin, route: intravenous}
arms:
  a: {label: A}
periods:
  - id: treatment
    length: 18 weeks
    courses:
      - {drug: dox, dose: 60 mg, cycle: 21 days, cycles: 6, days: [1]}
""", "v.yaml")
HEADER = "date,event,drug,cycle,day,amount,level,reason,time\n"
DAY_AFTER = "2027-01-05,given,dox,,,60 mg,,,14:30\n"


def replayed(rows: str) -> regimens.Schedule:
    return replay_rows(REGIMEN, rows, HEADER)


def test_nothing_planned_is_shown_beside_an_unplanned_dose() -> None:
    s = replayed(DAY_AFTER)
    (extra,) = [a for a in s.administrations if a.cycle is None]
    assert extra.status is AdministrationStatus.GIVEN
    assert extra.planned_amount is None
    assert extra.dose.text == "60 mg"
    row = next(a for a in json.loads(s.to_json())["administrations"] if a["cycle"] is None)
    assert (row["amount"], row["planned_amount"]) == ("60", None)
    (line,) = [x for x in s.to_table().splitlines() if "14:30" in x]
    assert line.rstrip().endswith("given    not planned")


def test_the_open_dose_before_it_is_named_and_the_totals_say_they_count_both() -> None:
    s = replayed(DAY_AFTER)
    assert s.replayed is not None
    assert s.replayed.deviations == (
        "line 2: doxorubicin 60 mg given on Tue 2027-01-05 fulfils no planned administration "
        "(none is planned on Tue 2027-01-05); the dose planned on Mon 2027-01-04, cycle 1 day "
        "1, before it, is still counted as planned beside it: if this row gave that dose, "
        "name it by its cycle and day (or record the planned one missed)",)
    (drug,) = s.replayed.summary.drugs
    assert drug.unplanned == (2,)
    table = s.to_table()
    # 60 mg given + 6 x 60 mg still planned = 420 mg, and the heading says why.
    assert ("Totals for this participant (doses given and still planned; they count 1 dose "
            "given that fulfils no planned administration (record line 2) beside the doses "
            "still planned: see the deviations):") in table
    # Said beside the given count it belongs to, not after the planned one.
    assert "doxorubicin (dox): 1 given (1 of them fulfilling no planned administration: " \
           "line 2), 6 planned\n" in table


def test_named_by_cycle_and_day_it_fulfils_the_planned_dose_and_nothing_is_counted_twice(
        ) -> None:
    s = replayed("2027-01-05,given,dox,1,1,,,,14:30\n")
    assert s.replayed is not None
    assert s.replayed.deviations == ()
    (total,) = s.totals
    # Cycle 1 given on 01-05 + cycles 2 to 6 planned: 6 x 60 = 360 mg.
    assert (total.administrations, [str(a) for a in total.amounts]) == (6, ["360 mg"])
    assert "Totals for this participant (doses given and still planned):" in s.to_table()


def test_with_the_planned_dose_recorded_missed_nothing_is_open_before_it() -> None:
    s = replayed("2027-01-04,missed,dox,,,,,,\n" + DAY_AFTER)
    assert s.replayed is not None
    assert s.replayed.deviations == (
        "line 3: doxorubicin 60 mg given on Tue 2027-01-05 fulfils no planned administration "
        "(none is planned on Tue 2027-01-05)",)


@pytest.mark.parametrize(("rows", "line"), [
    # Cycle 1 given on its day, one extra dose: 2 given (1 of them extra), 5 planned.
    ("2027-01-04,given,dox,,,,,,\n" + DAY_AFTER,
     "doxorubicin (dox): 2 given (1 of them fulfilling no planned administration: line 3), "
     "5 planned\n"),
    # Two extra doses, cycle 1 missed: 2 given (both extra), 6 - 1 = 5 planned, 1 missed.
    ("2027-01-04,missed,dox,,,,,,\n" + DAY_AFTER + "2027-01-06,given,dox,,,60 mg,,,\n",
     "doxorubicin (dox): 2 given (2 of them fulfilling no planned administration: lines 3, "
     "4), 5 planned, 1 missed\n"),
])
def test_the_count_of_unplanned_doses_goes_with_the_given_count(rows: str, line: str) -> None:
    assert line in replayed(rows).to_table()
