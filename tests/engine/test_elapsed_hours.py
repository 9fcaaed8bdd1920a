"""Elapsed-hour intervals (issue 12, item 5): ``every: 8 hours`` with ``at``, ``count`` or a
span; elapsed time across clock changes. Expected times are worked out by hand."""

from __future__ import annotations

import warnings
from datetime import UTC, date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import regimens
from support import problems

DOC = """\
format: regimens/1
id: q8h
title: Every 8 hours
drugs:
  a: {{name: drug A, route: intravenous}}
arms:
  x: {{label: X}}
periods:
  - id: t
    length: {length}
    courses:
      - {{drug: a, dose: 1 g, {pattern}}}
"""


def _expand(pattern: str, start: str, length: str = "4 days",
            tz: str | None = None) -> regimens.Schedule:
    regimen = regimens.loads(DOC.format(pattern=pattern, length=length))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return regimen.expand("x", start, tz=tz)


def _moments(schedule: regimens.Schedule) -> list[tuple[int, str, str]]:
    return [(a.study_day.value, a.date.isoformat(), f"{a.time:%H:%M}")
            for a in schedule.administrations if a.time is not None]


def test_every_8_hours_without_a_zone() -> None:
    # 06:00, 14:00, 22:00 on each of 4 days: 12 administrations.
    schedule = _expand('every: 8 hours, at: "06:00"', "2027-01-04")
    assert [m[2] for m in _moments(schedule)] == ["06:00", "14:00", "22:00"] * 4
    assert [m[0] for m in _moments(schedule)] == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]
    assert [str(w) for w in schedule.warnings] == [
        "drug A, every 8 hours from 06:00: the interval is elapsed time, counted here as if "
        "no clock change falls in the course (no time zone given); give the time zone (--tz) "
        "to place the administrations across a clock change"]


def test_spring_forward_shifts_the_local_times() -> None:
    # Europe/Paris moves from 02:00 CET to 03:00 CEST on Sunday 2027-03-28. From Friday
    # 2027-03-26: Sat 22:00 CET = 21:00 UTC; + 8 h = 05:00 UTC = Sun 07:00 CEST.
    schedule = _expand('every: 8 hours, at: "06:00"', "2027-03-26", tz="Europe/Paris")
    assert _moments(schedule) == [
        (1, "2027-03-26", "06:00"), (1, "2027-03-26", "14:00"), (1, "2027-03-26", "22:00"),
        (2, "2027-03-27", "06:00"), (2, "2027-03-27", "14:00"), (2, "2027-03-27", "22:00"),
        (3, "2027-03-28", "07:00"), (3, "2027-03-28", "15:00"), (3, "2027-03-28", "23:00"),
        (4, "2027-03-29", "07:00"), (4, "2027-03-29", "15:00"), (4, "2027-03-29", "23:00"),
    ]
    # Aware datetimes of one zone subtract as wall times in Python: compare in UTC.
    instants = [a.at.astimezone(UTC) for a in schedule.administrations if a.at is not None]
    assert all(b - a == timedelta(hours=8) for a, b in pairwise(instants))
    assert [str(w) for w in schedule.warnings] == [
        "drug A, every 8 hours from 06:00: the interval is elapsed time and the clocks change "
        "in Europe/Paris during the course: the administration of Study Day 3 counted for "
        "06:00 is at 07:00 local time, and those after it shift with it"]
    assert "Warnings:" in schedule.to_table()


def test_fall_back_and_a_new_date() -> None:
    # 2027-10-31 Europe/Paris: 03:00 CEST -> 02:00 CET. From Saturday 2027-10-30 every 8 hours
    # from 08:00 over 2 days, counted on 24-hour days: 08:00, 16:00, 24:00, 32:00, 40:00 (5).
    # Placed: Sat 08:00, 16:00 CEST, Sun 00:00 CEST (= Sat 22:00 UTC); + 8 h = 06:00 UTC
    # = 07:00 CET; 15:00 CET.
    schedule = _expand('every: 8 hours, at: "08:00"', "2027-10-30", length="2 days",
                       tz="Europe/Paris")
    assert _moments(schedule) == [
        (1, "2027-10-30", "08:00"), (1, "2027-10-30", "16:00"), (2, "2027-10-31", "00:00"),
        (2, "2027-10-31", "07:00"), (2, "2027-10-31", "15:00")]


def test_shift_across_midnight_moves_the_study_day() -> None:
    # At 23:00 CET every 24 hours from Saturday 2027-03-27: Sunday's is 22:00 UTC = 00:00
    # CEST on Monday 2027-03-29 (Study Day 3), not Sunday 23:00.
    schedule = _expand('every: 24 hours, at: "23:00", count: 2', "2027-03-27",
                       length="2 days", tz="Europe/Paris")
    assert _moments(schedule) == [(1, "2027-03-27", "23:00"), (3, "2027-03-29", "00:00")]


def test_count_and_cycles() -> None:
    # Every 36 hours from 20:00, 2 per 7-day cycle: day 1 20:00, day 3 08:00.
    schedule = _expand('every: 36 hours, at: "20:00", count: 2, cycle: 1 week',
                       "2027-01-04", length="2 weeks")
    assert [(a.study_day.value, a.cycle, a.cycle_day, f"{a.time:%H:%M}")
            for a in schedule.administrations] == [
        (1, 1, 1, "20:00"), (3, 1, 3, "08:00"), (8, 2, 1, "20:00"), (10, 2, 3, "08:00")]


def test_check_counts_exactly() -> None:
    regimen = regimens.loads(DOC.format(pattern='every: 90 minutes, at: "00:00"',
                                        length="1 day"))
    (summary,) = regimen.check().summaries
    assert summary.administrations == (16, 16)  # 24 h / 1.5 h


def test_written_back() -> None:
    regimen = regimens.loads(DOC.format(pattern='every: 8 hours, at: "06:00", count: 5',
                                        length="4 days"))
    assert regimens.loads(regimens.dumps(regimen)) == regimen


@pytest.mark.parametrize(("pattern", "expected"), [
    ("every: 8 hours",
     "r.yaml:15: periods[0].courses[0].every: an interval in hours needs the time of the first "
     "administration on day 1: 'at: \"06:00\"' (got '8 hours')"),
    ('every: 8 hours, at: "06:00", times: ["07:00"]',
     "r.yaml:15: periods[0].courses[0].times: give 'times' or an interval in hours with "
     "'at', not both: the interval gives the times"),
    ('days: 1, at: "06:00"',
     "r.yaml:15: periods[0].courses[0].at: 'at' gives the first time of an interval in hours "
     "('every: 8 hours, at: \"06:00\"'); other patterns give their times of day with 'times' "
     "(got '06:00')"),
    ('every: 8 hours, at: "06:00", count: 13',
     "r.yaml:15: periods[0].courses[0].count: 13 administrations every 8 hours from 06:00 "
     "end on day 5 at 06:00, outside the course (4 days) (got 13)"),
    ('every: 100 hours, at: "06:00"',
     "r.yaml:15: periods[0].courses[0].every: an interval of 100 hours is longer than the "
     "course (4 days); give one dose per cycle with 'days: [1]', or a longer cycle "
     "(got '100 hours')"),
    ('every: 8 hours, at: "6:00"',
     "r.yaml:15: periods[0].courses[0].at: a time of day is written HH:MM, e.g. '08:00' "
     "(got '6:00')"),
])
def test_refused(pattern: str, expected: str) -> None:
    body = f"""\
periods:
  - id: t
    length: 4 days
    courses:
      - {{drug: treg, dose: 1 mg, {pattern}}}
"""
    assert problems(body) == [expected]


@given(st.integers(1, 2000), st.sampled_from(["00:00", "06:00", "23:59"]),
       st.sampled_from([7, 8, 12, 36, 90]), st.integers(1, 10))
@settings(max_examples=60, deadline=None)
def test_count_and_shift_invariants(shift: int, at: str, hours: int, days: int) -> None:
    # Without a zone: floor((days x 1440 - 1 - first) / step) + 1 moments, the same for any
    # start, shifted by whole days.
    first = int(at[:2]) * 60 + int(at[3:])
    step = hours * 60
    if step > days * 1440:
        return
    pattern = f'every: {hours} hours, at: "{at}"'
    one = _expand(pattern, "2027-01-04", length=f"{days} days")
    two = _expand(pattern, (date(2027, 1, 4) + timedelta(days=shift)).isoformat(),
                  length=f"{days} days")
    assert len(one.administrations) == (days * 1440 - 1 - first) // step + 1
    assert [(a.study_day, a.time) for a in one.administrations] == [
        (a.study_day, a.time) for a in two.administrations]


@given(st.integers(0, 400))
@settings(max_examples=40, deadline=None)
def test_elapsed_time_between_instants(shift: int) -> None:
    # With a zone, consecutive administrations are exactly 8 hours of elapsed time apart.
    start = (date(2027, 1, 1) + timedelta(days=shift)).isoformat()
    schedule = _expand('every: 8 hours, at: "06:00"', start, length="4 days",
                       tz="America/New_York")
    # Aware datetimes of one zone subtract as wall times in Python: compare in UTC.
    instants = [a.at.astimezone(UTC) for a in schedule.administrations if a.at is not None]
    assert len(instants) == 12
    assert all(b - a == timedelta(hours=8) for a, b in pairwise(instants))
