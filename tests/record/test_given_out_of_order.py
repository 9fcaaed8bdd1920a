"""A dose given on another day than it was due is held to the move's ordering rule: on or
after the next administration of the same drug, or on or before the previous one, it is a
protocol deviation (cold try, item 1: a late dose was never flagged and could leave two
doses on one day). A make-up (``missed: make_up``) comes after later doses by design: only
a second dose of the drug on its day is a deviation.

By hand: gemcitabine on days 1, 8 and 15 of 28-day cycles from Monday 2027-01-04: cycle 1
on 01-04, 01-11, 01-18; cycle 2 on 02-01, 02-08, 02-15.
"""

from __future__ import annotations

import pytest

import regimens
from support.records import replay_rows

WEEKLY = """\
format: regimens/1
id: wk
title: Weekly
on_delay: keep
max_delay: 14 days
MISSED
drugs:
  gem: {name: gemcitabine, route: intravenous}
arms:
  a: {label: A}
periods:
  - id: t
    length: 12 weeks
    courses:
      - {drug: gem, dose: 1000 mg, cycle: 28 days, cycles: 3, days: [1, 8, 15]}
"""
REGIMEN = regimens.loads(WEEKLY.replace("MISSED\n", ""), "wk.yaml")
MAKE_UP = regimens.loads(WEEKLY.replace("MISSED", "missed: make_up"), "mu.yaml")


def deviations(rows: str, regimen: regimens.Regimen = REGIMEN) -> tuple[str, ...]:
    s = replay_rows(regimen, rows)
    assert s.replayed is not None
    assert s.replayed.summary.deviations == s.replayed.deviations
    return s.replayed.deviations


@pytest.mark.parametrize(("rows", "expected"), [
    # The cold try's dbl2.csv: day 8 (due Mon 01-11) given Wed 01-20, after day 15 (01-18).
    ("2027-01-04,given,gem,,,,,\n2027-01-20,given,gem,1,8,,,\n", [
        "line 3: gemcitabine cycle 1 day 8 given on Wed 2027-01-20, due Mon 2027-01-11: on "
        "or after the next administration of gemcitabine (cycle 1 day 15 on Mon "
        "2027-01-18)"]),
    # dbl.csv: day 8 delayed 2 days to Wed 01-13 (day 15 with it, to Wed 01-20), then
    # given on 01-20: two doses on one day.
    ("2027-01-04,given,gem,,,,,\n2027-01-13,delay,gem,1,8,,,\n"
     "2027-01-20,given,gem,1,8,,,\n", [
         "line 4: gemcitabine cycle 1 day 8 given on Wed 2027-01-20, due Wed 2027-01-13: on "
         "or after the next administration of gemcitabine (cycle 1 day 15 on Wed "
         "2027-01-20)"]),
    # Day 15 (due Mon 01-18) given early on Mon 01-11, day 8's own day.
    ("2027-01-11,given,gem,1,15,,,\n", [
        "line 2: gemcitabine cycle 1 day 15 given on Mon 2027-01-11, due Mon 2027-01-18: on "
        "or before the previous administration of gemcitabine (cycle 1 day 8 on Mon "
        "2027-01-11)"]),
])
def test_a_dose_given_out_of_order_is_a_deviation(rows: str, expected: list[str]) -> None:
    assert list(deviations(rows)) == expected


@pytest.mark.parametrize("rows", [
    "2027-01-13,given,gem,1,8,,,\n",  # 2 days late, before day 15 (01-18)
    "2027-01-09,given,gem,1,8,,,\n",  # 2 days early, after day 1 (01-04)
    "2027-01-11,given,gem,1,8,,,\n",  # on its day
])
def test_a_dose_given_between_its_neighbours_is_no_deviation(rows: str) -> None:
    assert deviations(rows) == ()


def test_a_make_up_after_later_doses_is_no_deviation() -> None:
    # Day 8 missed (01-11), made up Wed 01-20: after day 15 (01-18), as make-ups are.
    assert deviations("2027-01-11,missed,gem,1,8,,,\n2027-01-20,given,gem,1,8,,,\n",
                      MAKE_UP) == ()


def test_a_make_up_on_the_day_of_another_dose_is_a_deviation() -> None:
    # Day 8 missed (01-11), made up on Mon 01-18, day 15's own day: a double dose.
    assert deviations("2027-01-11,missed,gem,1,8,,,\n2027-01-18,given,gem,1,8,,,\n",
                      MAKE_UP) == (
        "line 3: gemcitabine cycle 1 day 8 given on Mon 2027-01-18, due Mon 2027-01-11: on "
        "the day of another administration of gemcitabine (cycle 1 day 15 on Mon "
        "2027-01-18)",)
