"""Delays that take doses past the planned end of their period (issue 13, cold user's
report, item 4): a deviation, and the period's end as the record leaves it.

By hand: doxorubicin 60 mg every 21 days x 6 from Monday 2027-01-04 in an 18-week (126-day)
treatment period, 2027-01-04 to Sunday 2027-05-09; follow-up from 2027-05-10. Cycle 2,
due 2027-01-25, delayed to Wednesday 2027-02-24 (30 days): cycles 3 to 6 move 30 days
(shift), cycle 6 from 2027-04-19 to Wednesday 2027-05-19, 10 days past the end.
"""

from __future__ import annotations

import json

import regimens
from support.records import replay_rows

REGIMEN = regimens.loads("""\
format: regimens/1
id: visits
title: Visits and delays
drugs:
  dox: {name: doxorubicin, route: intravenous}
arms:
  a: {label: A}
periods:
  - id: treatment
    length: 18 weeks
    courses:
      - {id: chemo, drug: dox, dose: 60 mg, cycle: 21 days, cycles: 6, days: [1]}
  - id: follow-up
    length: 8 weeks
""", "visits.yaml")
LATE = "2027-01-04,given,dox,,,,,\n2027-02-24,delay,dox,2,,,,\n"


def replayed(rows: str) -> regimens.Schedule:
    return replay_rows(REGIMEN, rows)


def test_a_delay_past_the_period_end_is_a_deviation() -> None:
    s = replayed(LATE)
    assert s.replayed is not None
    assert s.replayed.deviations == (
        "line 3: period treatment runs past its planned end (Sun 2027-05-09): doxorubicin "
        "cycle 6 day 1 planned on Wed 2027-05-19",)
    assert s.replayed.summary.deviations == s.replayed.deviations


def test_several_doses_past_the_end_are_counted_in_one_deviation() -> None:
    # Delayed 60 days (2027-01-25 to 2027-03-26): cycle 5 (2027-03-29 + 60 = 2027-05-28)
    # and cycle 6 (2027-04-19 + 60 = 2027-06-18) are past 2027-05-09.
    s = replayed("2027-03-26,delay,dox,2,,,,\n")
    assert s.replayed is not None
    assert s.replayed.deviations[-1] == (
        "line 2: period treatment runs past its planned end (Sun 2027-05-09): 2 "
        "administrations past it, the last doxorubicin cycle 6 day 1 planned on Fri "
        "2027-06-18")


def test_the_heading_and_the_json_say_where_the_period_now_runs() -> None:
    s = replayed(LATE)
    (heading,) = [x for x in s.to_table().splitlines() if x.startswith("Periods:")]
    assert heading == (
        "Periods: treatment Day 1 to 126 (2027-01-04 to 2027-05-09, as planned: the record's "
        "doses now run to 2027-05-19), follow-up Day 127 to 182 (2027-05-10 to 2027-07-04)")
    periods = json.loads(s.to_json())["periods"]
    assert [(p["id"], p["last_date"], p["runs_to"]) for p in periods] == [
        ("treatment", "2027-05-09", "2027-05-19"), ("follow-up", "2027-07-04", "2027-07-04")]


def test_within_the_period_nothing_is_said() -> None:
    # Delayed 7 days: cycle 6 on 2027-04-26, within the period.
    s = replayed("2027-01-04,given,dox,,,,,\n2027-02-01,delay,dox,2,,,,\n")
    assert s.replayed is not None
    assert s.replayed.deviations == ()
    assert json.loads(s.to_json())["periods"][0]["runs_to"] == "2027-05-09"
    assert "as planned" not in s.to_table()


def test_a_schedule_without_a_record_keeps_its_periods() -> None:
    s = REGIMEN.expand("a", "2027-01-04")
    assert "runs_to" not in json.loads(s.to_json())["periods"][0]


def test_a_dose_stopped_past_the_end_is_not_counted() -> None:
    # Stopped before cycle 6 would have been given past the end: nothing runs past it.
    s = replayed(LATE + "2027-04-30,stop,dox,,,,,\n")
    assert s.replayed is not None
    assert not [d for d in s.replayed.deviations if "past its planned end" in d]
