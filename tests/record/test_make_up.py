"""Missed doses made up under ``missed: make_up`` (docs/record.md, "Policies").

The rule: each missed dose not made up by a given row is planned again after the course's
last administration, in the order the missed doses were due, one a day, each on the first
day after the course's last administration (and after the make-up before it) with no other
administration of the drug, and, for clinic work under a site calendar, a day the site is
open. Two make-ups never stack into one day's double dose.

Every date is counted on a calendar by hand: Study Day 1 is Monday 2027-01-04.
"""

from __future__ import annotations

import warnings
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import regimens
from regimens import AdministrationStatus as S
from regimens import SiteCalendar, read_record
from support.records import RECORD_HEADER

# Gemcitabine 1,000 mg on days 1 and 8 of nine 21-day cycles (the reproducer of the
# acceptance review): cycle 9 day 8 is Mon 2027-06-28 (Day 176 = 1 + 8 x 21 + 7).
GEM = """\
format: regimens/1
id: mu
title: Make-up
drugs:
  gem: {name: gemcitabine, route: intravenous, levels: {-1: 800 mg}}
arms:
  a: {label: A}
periods:
  - id: treatment
    length: LENGTH
    courses:
      - {drug: gem, dose: 1000 mg, cycle: 21 days, cycles: 9, days: [1, 8],
         missed: make_upCLINIC}
"""


def expand(rows: str, *, length: str = "27 weeks", clinic: bool = False,
           calendar: SiteCalendar | None = None) -> regimens.Schedule:
    text = GEM.replace("LENGTH", length).replace(
        "CLINIC", ", clinic: true" if clinic else "")
    regimen = regimens.loads(text, "mu.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return regimen.expand("a", "2027-01-04", calendar=calendar,
                              record=read_record(RECORD_HEADER + rows, name="P.csv"))


def make_ups(s: regimens.Schedule) -> list[tuple[date, int | None, int | None, str]]:
    return [(a.date, a.cycle, a.cycle_day, a.dose.text) for a in s.administrations
            if "make-up" in a.record_note and a.status is S.PLANNED]


TWO_MISSED = "2027-01-04,missed,gem,,,,,\n2027-01-11,missed,gem,,,,,\n"


@pytest.mark.parametrize(("rows", "options", "expected"), [
    # Two missed doses: one a day after Mon 2027-06-28, never both on Tue 06-29.
    (TWO_MISSED, {}, [(date(2027, 6, 29), 1, 1, "1,000 mg"),
                      (date(2027, 6, 30), 1, 8, "1,000 mg")]),
    # Listed in the other order in the file: made up in the order they were due.
    ("2027-01-11,missed,gem,,,,,\n2027-01-04,missed,gem,,,,,\n", {},
     [(date(2027, 6, 29), 1, 1, "1,000 mg"), (date(2027, 6, 30), 1, 8, "1,000 mg")]),
    # Clinic work, the site closed at weekends: Tue 06-29, Wed 06-30, Thu 07-01, Fri
    # 07-02, then Sat 07-03 and Sun 07-04 are closed: Mon 07-05.
    ("".join(f"{d},missed,gem,,,,,\n" for d in (
        "2027-01-04", "2027-01-11", "2027-01-25", "2027-02-01", "2027-02-15")),
     {"clinic": True, "calendar": SiteCalendar(closed=("sat", "sun"))},
     [(date(2027, 6, 29), 1, 1, "1,000 mg"), (date(2027, 6, 30), 1, 8, "1,000 mg"),
      (date(2027, 7, 1), 2, 1, "1,000 mg"), (date(2027, 7, 2), 2, 8, "1,000 mg"),
      (date(2027, 7, 5), 3, 1, "1,000 mg")]),
    # A dose given on Tue 06-29 fulfilling nothing planned: that day has gemcitabine
    # already, so the make-ups go on Wed 06-30 and Thu 07-01.
    (TWO_MISSED + "2027-06-29,given,gem,,,500 mg,,\n", {},
     [(date(2027, 6, 30), 1, 1, "1,000 mg"), (date(2027, 7, 1), 1, 8, "1,000 mg")]),
    # A reduction to level -1 (800 mg) from 2027-03-01 applies to the make-ups too.
    (TWO_MISSED + "2027-03-01,reduce,gem,,,,-1,\n", {},
     [(date(2027, 6, 29), 1, 1, "800 mg"), (date(2027, 6, 30), 1, 8, "800 mg")]),
])
def test_make_ups_go_one_a_day(rows: str, options: dict[str, Any],
                               expected: list[tuple[date, int, int, str]]) -> None:
    assert make_ups(expand(rows, **options)) == expected


def test_a_make_up_says_why_its_day() -> None:
    s = expand(TWO_MISSED)
    notes = [a.record_note for a in s.administrations if "make-up" in a.record_note]
    assert notes == [
        "make-up of the dose missed on Mon 2027-01-04 (line 2), the day after the course's "
        "last dose (missed: make_up)",
        "make-up of the dose missed on Mon 2027-01-11 (line 3), 2 days after the course's "
        "last dose (Mon 2027-06-28): make-ups go one a day, on days with no other dose of "
        "gemcitabine (missed: make_up)",
    ]


def test_a_make_up_after_a_stop_is_stopped() -> None:
    # Stopped from 2027-06-01: the make-ups (Tue 06-29, Wed 06-30) are after it.
    s = expand(TWO_MISSED + "2027-06-01,stop,gem,,,,,progression\n")
    ups = [a for a in s.administrations if "make-up" in a.record_note]
    assert [(a.date, a.status) for a in ups] == [(date(2027, 6, 29), S.STOPPED),
                                                 (date(2027, 6, 30), S.STOPPED)]


def test_a_make_up_during_an_open_hold_is_held() -> None:
    s = expand(TWO_MISSED + "2027-06-01,hold,gem,,,,,infection\n")
    ups = [a for a in s.administrations if "make-up" in a.record_note]
    assert [a.status for a in ups] == [S.HELD, S.HELD]


@pytest.mark.parametrize(("days", "rows", "expected"), [
    # Days 1 and 21: cycle 9 day 21 is Day 189 (1 + 8 x 21 + 20), Sun 2027-07-11, the
    # period's last day; the make-up on Mon 07-12 is past it, made up for line 2 (the
    # missed row), which the deviation names.
    ("[1, 21]", "2027-01-04,missed,gem,,,,,\n",
     "line 2: period treatment runs past its planned end (Sun 2027-07-11): gemcitabine "
     "cycle 1 day 1 planned on Mon 2027-07-12"),
    # Days 1 and 8, cycle 9 (Mon 2027-06-21) delayed 14 days to Mon 07-05: day 8 on Mon
    # 07-12 is past the end (line 3), and the make-up after it, Tue 07-13 (line 2).
    ("[1, 8]", "2027-01-04,missed,gem,,,,,\n2027-07-05,delay,gem,9,,,,\n",
     "lines 2, 3: period treatment runs past its planned end (Sun 2027-07-11): 2 "
     "administrations past it, the last gemcitabine cycle 1 day 1 planned on Tue "
     "2027-07-13"),
])
def test_a_make_up_past_the_period_names_the_missed_row(days: str, rows: str,
                                                        expected: str) -> None:
    text = GEM.replace("LENGTH", "27 weeks").replace("CLINIC", "").replace(
        "days: [1, 8]", f"days: {days}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = regimens.loads(text, "mu.yaml").expand("a", "2027-01-04", record=read_record(
            RECORD_HEADER + rows, name="P.csv"))
    assert s.replayed is not None
    assert expected in s.replayed.deviations


def test_a_course_whose_every_dose_was_missed_is_made_up_after_its_last() -> None:
    # One dose only (cycles: 1, day 1): missed, made up the day after, Tue 2027-01-05.
    text = GEM.replace("LENGTH", "3 weeks").replace("CLINIC", "").replace(
        "cycles: 9, days: [1, 8]", "cycles: 1, days: [1]")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = regimens.loads(text, "mu.yaml").expand("a", "2027-01-04", record=read_record(
            RECORD_HEADER + "2027-01-04,missed,gem,,,,,\n", name="P.csv"))
    assert make_ups(s) == [(date(2027, 1, 5), 1, 1, "1,000 mg")]


@given(st.sets(st.integers(0, 17), min_size=1), st.sets(st.integers(0, 17)),
       st.booleans())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_no_two_doses_of_one_drug_on_one_day_come_from_make_ups(
        missed: set[int], extra: set[int], closed: bool) -> None:
    # Doses 0-17: cycle n // 2 + 1, day 1 or 8; extra given rows on the days after the
    # course's end, fulfilling nothing planned (a dose given on a day a make-up could take).
    dates = [date(2027, 1, 4) + timedelta(days=21 * (i // 2) + 7 * (i % 2))
             for i in range(18)]
    rows = "".join(f"{dates[i].isoformat()},missed,gem,,,,,\n" for i in sorted(missed))
    rows += "".join(f"{(date(2027, 6, 29) + timedelta(days=i)).isoformat()},given,gem,,,"
                    "500 mg,,\n" for i in sorted(extra))
    s = expand(rows, clinic=closed,
               calendar=SiteCalendar(closed=("sat", "sun")) if closed else None)
    counted = [a for a in s.administrations if a.status in (S.GIVEN, S.PLANNED)]
    ups = [a for a in counted if "make-up" in a.record_note]
    assert len(ups) == len(missed)
    for up in ups:
        assert sum(a.date == up.date for a in counted) == 1
        if closed:
            assert up.date.weekday() < 5
