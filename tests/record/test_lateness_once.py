"""A given row's lateness is held to ``max_delay`` only when the row is dated after the day
the dose is now due (after the record's delays and moves); then it counts from the day the
protocol gives the dose. A limit that a delay or move row exceeded already is reported
once, by that row: a dose given on its new day, or earlier, adds no lateness of its own
(review 6, finding 1: a dose given the day before its delayed day was reported "4 days
after it was due" while given on that day it was not).

By hand (DAILY, as in test_given_late): aldesleukin 2 MIU on days 1-5 of three 28-day cycles
from Mon 2027-01-04, ``max_delay: 3 days``. By the protocol cycle 2 day 1 is Mon 02-01 and
day 5 Fri 02-05; cycle 1 day 5 is Fri 01-08. A delay of cycle 2 to Sat 02-06 is 5 days
(day 1 Sat 02-06, day 2 Sun 02-07, day 5 Wed 02-10); to Thu 02-04, 3 days (the limit: day
1 Thu 02-04, day 5 Mon 02-08); to Fri 02-05, 4 days (one over: day 1 Fri 02-05).
"""

from __future__ import annotations

import pytest

import regimens
from support.records import replay_rows

DAILY = """\
format: regimens/1
id: daily
title: Daily
POLICY
drugs:
  il2: {name: aldesleukin, route: subcutaneous}
arms:
  a: {label: A}
periods:
  - id: t
    length: 12 weeks
    courses:
      - {drug: il2, dose: 2 MIU, cycle: 28 days, cycles: 3, days: 1-5}
"""
LIMITED = regimens.loads(DAILY.replace("POLICY", "max_delay: 3 days"), "daily.yaml")
ON_COURSE = regimens.loads(DAILY.replace("POLICY\n", "").replace(
    "days: 1-5}", "days: 1-5, max_delay: 3 days}"), "daily.yaml")

FROM_FRI = (", counted from Fri 2027-02-05, the day the protocol gives it (the record's "
            "delays and moves of it count)")
DELAYED_5 = "line 2: cycle 2 of aldesleukin is delayed 5 days in all, more than max_delay (3 days)"
DELAYED_4 = "line 2: cycle 2 of aldesleukin is delayed 4 days in all, more than max_delay (3 days)"
MOVED_5 = ("line 2: aldesleukin cycle 2 day 5 moved from Fri 2027-02-05 to Wed 2027-02-10: "
           "5 days after it was due, more than max_delay (3 days)")
# Delayed 2 days first (day 5 on Sun 02-07), then moved to Wed 02-10: 5 days from Fri.
BOTH_5 = ("line 3: aldesleukin cycle 2 day 5 moved from Sun 2027-02-07 to Wed 2027-02-10: "
          "5 days after it was due, more than max_delay (3 days)" + FROM_FRI)


def given_late(line: int, day: int, given: str, due: str, days: int) -> str:
    return (f"line {line}: aldesleukin cycle 2 day {day} given on {given}, due {due}: "
            f"{days} days after it was due, more than max_delay (3 days)" + FROM_FRI)


DELAY_5 = "2027-02-06,delay,il2,2,,,,\n"
DELAY_3 = "2027-02-04,delay,il2,2,,,,\n"
DELAY_4 = "2027-02-05,delay,il2,2,,,,\n"
MOVE_5 = "2027-02-10,move,il2,2,5,,,\n"
BOTH = "2027-02-03,delay,il2,2,,,,\n2027-02-10,move,il2,2,5,,,\n"


@pytest.mark.parametrize(("regimen", "rows", "expected"), [
    # Delayed 5 days (over): the delay row says so, once. Day 1 given Fri 02-05, the day
    # before its new day (4 days after Mon 02-01): early, no lateness of its own.
    (LIMITED, DELAY_5 + "2027-02-05,given,il2,2,1,,,\n", [DELAYED_5]),
    # On its new day: the same.
    (LIMITED, DELAY_5 + "2027-02-06,given,il2,2,1,,,\n", [DELAYED_5]),
    # Day 5 on its new day, Wed 02-10: the same.
    (LIMITED, DELAY_5 + "2027-02-10,given,il2,2,5,,,\n", [DELAYED_5]),
    # Day 5 a day after its new day, Thu 02-11: late by itself, 6 days after Fri 02-05.
    (LIMITED, DELAY_5 + "2027-02-11,given,il2,2,5,,,\n",
     [DELAYED_5, given_late(3, 5, "Thu 2027-02-11", "Wed 2027-02-10", 6)]),
    # The limit on the course, not the regimen: the same.
    (ON_COURSE, DELAY_5 + "2027-02-05,given,il2,2,1,,,\n", [DELAYED_5]),
    (ON_COURSE, DELAY_5 + "2027-02-11,given,il2,2,5,,,\n",
     [DELAYED_5, given_late(3, 5, "Thu 2027-02-11", "Wed 2027-02-10", 6)]),
    # Delayed exactly max_delay (3 days, none): day 1 given early (Wed 02-03) or on its
    # day (Thu 02-04): none; day 5 given Tue 02-09, a day after Mon 02-08: 4 days.
    (LIMITED, DELAY_3 + "2027-02-03,given,il2,2,1,,,\n", []),
    (LIMITED, DELAY_3 + "2027-02-04,given,il2,2,1,,,\n", []),
    (LIMITED, DELAY_3 + "2027-02-09,given,il2,2,5,,,\n",
     [given_late(3, 5, "Tue 2027-02-09", "Mon 2027-02-08", 4)]),
    # Delayed one day over (4 days): day 1 given the day before (Thu 02-04, 3 days after
    # Mon 02-01) or on its day: the delay's deviation only.
    (LIMITED, DELAY_4 + "2027-02-04,given,il2,2,1,,,\n", [DELAYED_4]),
    (LIMITED, DELAY_4 + "2027-02-05,given,il2,2,1,,,\n", [DELAYED_4]),
    # Day 5 moved 5 days (to Wed 02-10): the move's deviation; given the day before (Tue
    # 02-09) or on it: that only; given Thu 02-11: 6 days, its own.
    (LIMITED, MOVE_5 + "2027-02-09,given,il2,2,5,,,\n", [MOVED_5]),
    (LIMITED, MOVE_5 + "2027-02-10,given,il2,2,5,,,\n", [MOVED_5]),
    (LIMITED, MOVE_5 + "2027-02-11,given,il2,2,5,,,\n",
     [MOVED_5, given_late(3, 5, "Thu 2027-02-11", "Wed 2027-02-10", 6)]),
    # A delay (2 days, within) and a move (to Wed 02-10, 5 days in all): the move's
    # deviation; given Tue 02-09: that only; given Thu 02-11: 6 days, its own.
    (LIMITED, BOTH + "2027-02-09,given,il2,2,5,,,\n", [BOTH_5]),
    (LIMITED, BOTH + "2027-02-11,given,il2,2,5,,,\n",
     [BOTH_5, given_late(4, 5, "Thu 2027-02-11", "Wed 2027-02-10", 6)]),
])
def test_lateness_is_reported_once(regimen: regimens.Regimen, rows: str,
                                   expected: list[str]) -> None:
    s = replay_rows(regimen, rows)
    assert s.replayed is not None
    assert list(s.replayed.deviations) == expected
    assert s.replayed.summary.deviations == s.replayed.deviations
