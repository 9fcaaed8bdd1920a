"""Delays of cycles in calendar months (``cycle: 1 month``): the cycle a delay is measured
from, and the next cycle's start that ``on_delay: keep`` runs to, are calendar dates (the
same day of the month from the course's first day, clamped to the month's end), not the
shortest month (28 days) times the cycle number.

Hand-computed on a calendar. Study Day 1 is the course's day 1; monthly cycles counted from
it (never chained):

- from Monday 2028-01-31 (2028 a leap year): cycles start Jan 31, Feb 29, Mar 31, Apr 30,
  May 31; cycle 2 is 31 days (Feb 29 to Mar 30), cycle 3 is 30 days (Mar 31 to Apr 29).
- from Sunday 2027-01-31: cycles start Jan 31, Feb 28, Mar 31, Apr 30, May 31; cycle 1 is
  28 days (Jan 31 to Feb 27), cycle 2 is 31 days.

Days 1, 15 and 22 of a cycle are its start + 0, 14 and 21 days.
"""

from __future__ import annotations

import warnings
from datetime import date
from typing import Any

import pytest

import regimens
from regimens import AdministrationStatus as S
from regimens import EventKind, Record, RecordRow
from support import load

BODY = """\
    periods:
      - id: p
        length: 6 months
        courses:
          - {{drug: il2, dose: 2 MIU, days: [1, 15, 22], cycle: 1 month, cycles: 5,
              on_delay: {policy}}}
    """


def run(start: str, policy: str, **delay: Any) -> regimens.Schedule:
    when = delay.pop("date")
    row = RecordRow("P.csv", 2, when, EventKind.DELAY, drug="il2", **delay)
    regimen = load(BODY.format(policy=policy))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return regimen.expand("a", start, record=Record("P.csv", (row,)))


def table(s: regimens.Schedule) -> dict[tuple[int, int], tuple[str, S]]:
    return {(a.cycle or 0, a.cycle_day or 0): (a.date.isoformat(), a.status)
            for a in s.administrations}


P, C = S.PLANNED, S.CANCELLED

# The plan from 2028-01-31 (leap year), by hand.
PLAN_2028 = {
    (1, 1): "2028-01-31", (1, 15): "2028-02-14", (1, 22): "2028-02-21",
    (2, 1): "2028-02-29", (2, 15): "2028-03-14", (2, 22): "2028-03-21",
    (3, 1): "2028-03-31", (3, 15): "2028-04-14", (3, 22): "2028-04-21",
    (4, 1): "2028-04-30", (4, 15): "2028-05-14", (4, 22): "2028-05-21",
    (5, 1): "2028-05-31", (5, 15): "2028-06-14", (5, 22): "2028-06-21",
}


def test_the_plan_is_the_hand_computed_calendar() -> None:
    s = run("2028-01-31", "shift", date=date(2028, 4, 10), cycle=3)
    plan = {(a.cycle or 0, a.cycle_day or 0): (a.planned_date or a.date).isoformat()
            for a in s.administrations}
    assert plan == PLAN_2028


CASES = [
    # Shift, whole cycle 3 (Mar 31) to Apr 10: 10 days; cycles 3 to 5 move 10 days.
    ("2028-01-31", "shift", {"cycle": 3, "date": date(2028, 4, 10)}, 10, {
        (3, 1): ("2028-04-10", P), (3, 15): ("2028-04-24", P), (3, 22): ("2028-05-01", P),
        (4, 1): ("2028-05-10", P), (4, 15): ("2028-05-24", P), (4, 22): ("2028-05-31", P),
        (5, 1): ("2028-06-10", P), (5, 15): ("2028-06-24", P), (5, 22): ("2028-07-01", P)}),
    # Shift, whole cycle 2 (Feb 29, leap day) to Mar 10: 10 days (Feb 29 + 10).
    ("2028-01-31", "shift", {"cycle": 2, "date": date(2028, 3, 10)}, 10, {
        (2, 1): ("2028-03-10", P), (2, 15): ("2028-03-24", P), (2, 22): ("2028-03-31", P),
        (3, 1): ("2028-04-10", P), (3, 15): ("2028-04-24", P), (3, 22): ("2028-05-01", P),
        (4, 1): ("2028-05-10", P), (4, 15): ("2028-05-24", P), (4, 22): ("2028-05-31", P),
        (5, 1): ("2028-06-10", P), (5, 15): ("2028-06-24", P), (5, 22): ("2028-07-01", P)}),
    # Keep, whole cycle 3 to Apr 10 (10 days): it runs to cycle 4's start, Apr 30: day 15
    # (Apr 24) is given, day 22 (Apr 21 + 10 = May 1) is cancelled; cycles 4-5 stay.
    ("2028-01-31", "keep", {"cycle": 3, "date": date(2028, 4, 10)}, 10, {
        (3, 1): ("2028-04-10", P), (3, 15): ("2028-04-24", P), (3, 22): ("2028-05-01", C),
        (4, 1): ("2028-04-30", P), (4, 15): ("2028-05-14", P), (4, 22): ("2028-05-21", P),
        (5, 1): ("2028-05-31", P)}),
    # Keep, whole cycle 2 (Feb 29, a 31-day cycle) to Mar 10 (10 days): day 22 (Mar 21)
    # goes to Mar 31, cycle 3's start: cancelled; day 15 (Mar 24) given.
    ("2028-01-31", "keep", {"cycle": 2, "date": date(2028, 3, 10)}, 10, {
        (2, 1): ("2028-03-10", P), (2, 15): ("2028-03-24", P), (2, 22): ("2028-03-31", C),
        (3, 1): ("2028-03-31", P)}),
    # Keep, from day 15 of cycle 3 (Apr 14) to Apr 24 (10 days): day 22 (May 1) reaches
    # cycle 4's start (Apr 30): cancelled; day 15 on Apr 24 is before it: given.
    ("2028-01-31", "keep", {"cycle": 3, "day": 15, "date": date(2028, 4, 24)}, 10, {
        (3, 1): ("2028-03-31", P), (3, 15): ("2028-04-24", P), (3, 22): ("2028-05-01", C),
        (4, 1): ("2028-04-30", P)}),
    # Shift, from day 15 of cycle 3 to Apr 24: days 15 and 22 move 10 days, cycle 4 keeps
    # its own day 1 (Apr 30).
    ("2028-01-31", "shift", {"cycle": 3, "day": 15, "date": date(2028, 4, 24)}, 10, {
        (3, 1): ("2028-03-31", P), (3, 15): ("2028-04-24", P), (3, 22): ("2028-05-01", P),
        (4, 1): ("2028-04-30", P), (4, 15): ("2028-05-14", P)}),
    # 2027 (no leap year): cycle 3 starts Mar 31 (after the 28-day February); shift to
    # Apr 10 is 10 days.
    ("2027-01-31", "shift", {"cycle": 3, "date": date(2027, 4, 10)}, 10, {
        (2, 1): ("2027-02-28", P),
        (3, 1): ("2027-04-10", P), (3, 22): ("2027-05-01", P),
        (4, 1): ("2027-05-10", P), (5, 1): ("2027-06-10", P)}),
    # 2027, keep: cycle 2 (Feb 28, 31 days to Mar 30) to Mar 10 (10 days): day 22 (Mar 21)
    # goes to Mar 31, cycle 3's start: cancelled.
    ("2027-01-31", "keep", {"cycle": 2, "date": date(2027, 3, 10)}, 10, {
        (2, 1): ("2027-03-10", P), (2, 15): ("2027-03-24", P), (2, 22): ("2027-03-31", C),
        (3, 1): ("2027-03-31", P)}),
]


@pytest.mark.parametrize(("start", "policy", "delay", "days", "expected"), CASES)
def test_a_delay_of_a_monthly_cycle(start: str, policy: str, delay: dict[str, Any],
                                    days: int, expected: dict[tuple[int, int], Any]) -> None:
    s = run(start, policy, **delay)
    got = table(s)
    assert {k: got[k] for k in expected} == expected
    assert s.replayed is not None
    (measured,) = s.replayed.summary.delay_details
    assert measured.days == days


def test_a_record_may_name_day_31_of_a_monthly_cycle() -> None:
    # Cycle 1 from 2027-01-01 is 31 days: day 31 is Jan 31, a planned daily dose; the
    # record's check allows days up to the longest month (it allowed 28, the shortest).
    body = """\
    periods:
      - id: p
        length: 2 months
        courses:
          - {drug: il2, dose: 2 MIU, every: 1 day, cycle: 1 month, cycles: 2}
    """
    row = RecordRow("P.csv", 2, date(2027, 1, 31), EventKind.MISSED, drug="il2", cycle=1,
                    day=31)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = load(body).expand("a", "2027-01-01", record=Record("P.csv", (row,)))
    (missed,) = [a for a in s.administrations if a.status is S.MISSED]
    assert (missed.date, missed.cycle, missed.cycle_day) == (date(2027, 1, 31), 1, 31)
