"""A dose given outside its course's window is a protocol deviation in the one list every
output reads: ``schedule.replayed.deviations``, the summary's and the table's "Protocol
deviations:" (cold try, item 2: it showed only in the summary). Counts of days read "1 day",
"2 days".

By hand: gemcitabine on days 1, 8 and 15 of 28-day cycles from Monday 2027-01-04, window
1 day: day 8 is due Mon 2027-01-11, allowed Sun 01-10 to Tue 01-12.
"""

from __future__ import annotations

import regimens
from regimens.record import replay
from support.records import replay_rows

REGIMEN = regimens.loads("""\
format: regimens/1
id: wk
title: Weekly
drugs:
  gem: {name: gemcitabine, route: intravenous}
arms:
  a: {label: A}
periods:
  - id: t
    length: 12 weeks
    courses:
      - {drug: gem, dose: 1000 mg, cycle: 28 days, cycles: 3, days: [1, 8, 15],
         window: 1 day, clinic: true}
""", "wk.yaml")

OUTSIDE = ("gem: given on 2027-01-14 (line 2), outside its window around 2027-01-11 "
           "(1 day before, 1 day after)")


def test_a_dose_outside_its_window_is_in_every_list_of_deviations() -> None:
    # Day 8 given Thu 01-14: 3 days late, 2 past the window; before day 15 (01-18).
    s = replay_rows(REGIMEN, "2027-01-14,given,gem,1,8,,,\n")
    assert s.replayed is not None
    assert s.replayed.deviations == (OUTSIDE,)
    assert s.replayed.summary.deviations == (OUTSIDE,)
    table = s.to_table()
    assert f"Protocol deviations:\n  {OUTSIDE}\n" in table


def test_a_dose_within_its_window_is_no_deviation() -> None:
    s = replay_rows(REGIMEN, "2027-01-12,given,gem,1,8,,,\n")  # 1 day late: inside
    assert s.replayed is not None
    assert s.replayed.deviations == ()


def test_a_one_day_delay_reads_one_day() -> None:
    # Cycle 1 day 8 delayed from Mon 01-11 to Tue 01-12.
    s = replay_rows(REGIMEN, "2027-01-12,delay,gem,1,8,,,\n")
    assert s.replayed is not None
    assert s.replayed.summary.delays == (
        "2027-01-12 (line 2): cycle 1 day 8 of gem delayed 1 day from 2027-01-11",)


def test_a_replay_without_its_summary_lists_the_same_deviations() -> None:
    # replay(with_summary=False) promises the same deviations, sooner (a calendar's parts).
    s = replay_rows(REGIMEN, "2027-01-14,given,gem,1,8,,,\n")
    assert s.replayed is not None
    bare = replay(s.replayed.planned, s.replayed.record, with_summary=False)
    assert bare.replayed is not None
    assert bare.replayed.summary is None
    assert bare.replayed.deviations == (OUTSIDE,)
