"""A move past the next administration of the same drug, before the previous one, or later
than max_delay is a protocol deviation (issue 13, cold user's report, item 3).

By hand: gemcitabine on days 1 and 8 of 21-day cycles from Monday 2027-01-04: cycle 1 on
2027-01-04 and 01-11, cycle 2 on 01-25 and 02-01, cycle 3 on 02-15 and 02-22.
"""

from __future__ import annotations

import pytest

import regimens
from regimens import read_record

REGIMEN = regimens.loads("""\
format: regimens/1
id: gem
title: Gem
max_delay: 14 days
drugs:
  gem: {name: gemcitabine, route: intravenous}
arms:
  a: {label: A}
periods:
  - id: t
    length: 18 weeks
    courses:
      - {drug: gem, dose: 1000 mg, cycle: 21 days, cycles: 6, days: [1, 8]}
""", "gem.yaml")
HEADER = "date,event,drug,cycle,day,amount,level,reason\n"


def deviations(rows: str) -> tuple[str, ...]:
    s = REGIMEN.expand("a", "2027-01-04", record=read_record(HEADER + rows, name="R.csv"))
    assert s.replayed is not None
    assert s.replayed.summary.deviations == s.replayed.deviations
    return s.replayed.deviations


@pytest.mark.parametrize(("row", "expected"), [
    # The cold user's n-moveother.csv: day 1 of cycle 2 past its own day 8 (2027-02-01) and
    # 35 days after it was due (2027-01-25 to 2027-03-01).
    ("2027-03-01,move,gem,2,1,,,", [
        "line 2: gemcitabine cycle 2 day 1 moved from Mon 2027-01-25 to Mon 2027-03-01: on "
        "or after the next administration of gemcitabine (cycle 2 day 8 on Mon 2027-02-01); "
        "35 days after it was due, more than max_delay (14 days)"]),
    # Onto the next administration's own day.
    ("2027-02-01,move,gem,2,1,,,", [
        "line 2: gemcitabine cycle 2 day 1 moved from Mon 2027-01-25 to Mon 2027-02-01: on "
        "or after the next administration of gemcitabine (cycle 2 day 8 on Mon 2027-02-01)"]),
    # Backwards onto the previous administration (cycle 2 day 1, 2027-01-25).
    ("2027-01-25,move,gem,2,8,,,", [
        "line 2: gemcitabine cycle 2 day 8 moved from Mon 2027-02-01 to Mon 2027-01-25: on "
        "or before the previous administration of gemcitabine (cycle 2 day 1 on Mon "
        "2027-01-25)"]),
    # Cycle 1 day 8 (2027-01-11) to 2027-01-26: past cycle 2 day 1 and 15 days late.
    ("2027-01-26,move,gem,1,8,,,", [
        "line 2: gemcitabine cycle 1 day 8 moved from Mon 2027-01-11 to Tue 2027-01-26: on "
        "or after the next administration of gemcitabine (cycle 2 day 1 on Mon 2027-01-25); "
        "15 days after it was due, more than max_delay (14 days)"]),
])
def test_a_move_out_of_order_or_too_late_is_a_deviation(row: str, expected: list[str]) -> None:
    assert list(deviations(row + "\n")) == expected


@pytest.mark.parametrize("row", [
    "2027-01-30,move,gem,2,1,,,",  # 5 days later, before day 8 (2027-02-01)
    "2027-01-20,move,gem,2,1,,,",  # 5 days earlier, after cycle 1 day 8 (2027-01-11)
    "2027-02-14,move,gem,2,8,,,",  # 13 days later, before cycle 3 day 1 (2027-02-15)
])
def test_a_move_within_its_neighbours_and_max_delay_is_no_deviation(row: str) -> None:
    assert deviations(row + "\n") == ()


def test_a_move_is_compared_with_the_days_after_the_delays() -> None:
    # Cycle 2 delayed a week (day 1 on 2027-02-01, day 8 on 02-08; cycle 3 from 02-22):
    # day 8 moved to 02-21 is 13 days late and before cycle 3 day 1: no deviation.
    assert deviations("2027-02-01,delay,gem,2,,,,\n2027-02-21,move,gem,2,8,,,\n") == ()
