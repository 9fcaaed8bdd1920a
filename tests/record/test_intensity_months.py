"""Relative dose intensity when cycles (or intervals) are calendar months: the "one planned
cycle length" of each time is the planned length, in days, of that time's last cycle (the
last given for the actual time, the last planned for the planned time), from the plan, not
the shortest month (28 days).

Hand-computed. 100 mg on day 1 of four monthly cycles from Monday 2027-01-04: cycles start
2027-01-04, 02-04, 03-04, 04-04; they last 31 (Jan 4 to Feb 4), 28, 31 and 30 days (Apr 4
to May 4).
"""

from __future__ import annotations

import json
import warnings
from decimal import Decimal

import pytest

import regimens
from regimens import read_record

HEAD = """\
format: regimens/1
id: m
title: Monthly
drugs:
  d: {name: drugamycin, route: intravenous}
arms:
  x: {label: X}
periods:
  - id: t
    length: 6 months
    courses:
      - %s
"""
CYCLED = "{drug: d, dose: 100 mg, cycle: 1 month, cycles: 4, days: [1]}"
EVERY = "{drug: d, dose: 100 mg, every: 1 month, count: 4}"
ON_TIME = ("date,event,drug,cycle,day,amount,level,reason\n"
           "2027-01-04,given,d,,,,,\n2027-02-04,given,d,,,,,\n2027-03-04,given,d,,,,,\n")


def summary(course: str, record: str) -> regimens.record.DrugSummary:
    regimen = regimens.loads(HEAD % course, "m.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        schedule = regimen.expand("x", "2027-01-04", record=read_record(record, name="P.csv"))
    assert schedule.replayed is not None
    (drug,) = schedule.replayed.summary.drugs
    return drug


@pytest.mark.parametrize("course", [CYCLED, EVERY])
def test_on_time_is_100_percent(course: str) -> None:
    d = summary(course, ON_TIME)
    # Given 3 x 100 mg: Jan 4 to Mar 4 is 59 days, + cycle 3 (Mar 4 to Apr 4) 31 = 90 days.
    # Planned 400 mg: Jan 4 to Apr 4 is 90 days, + cycle 4 (Apr 4 to May 4) 30 = 120 days.
    # (300 / 90) / (400 / 120) = 100%. With 28-day cycles it was (300 / 87) / (400 / 118)
    # = 101.7%, "> 100%": an on-time treatment flagged as over-intense.
    assert d.intensity is not None
    assert (d.intensity.actual_days, d.intensity.planned_days) == (90, 120)
    assert d.intensity.percent == Decimal(100)
    assert d.intensity.ratio == Decimal(75)
    # The cycles started (1 to 3): 300 mg over 59 + 31 = 90 days: 100%.
    assert d.intensity_started is not None
    assert (d.intensity_started.actual_days, d.intensity_started.planned_days) == (90, 90)
    assert d.intensity_started.percent == Decimal(100)


def test_a_late_cycle_counts_the_length_of_its_own_planned_cycle() -> None:
    late = ON_TIME.replace("2027-03-04,given,d,,,,,", "2027-03-11,given,d,3,1,,,")
    d = summary(CYCLED, late)
    # Given on Jan 4, Feb 4, Mar 11: 66 days + cycle 3's planned 31 = 97 days.
    # (300 / 97) / (400 / 120) = 36000 / 38800 = 92.78...%.
    assert d.intensity is not None
    assert (d.intensity.actual_days, d.intensity.planned_days) == (97, 120)
    assert d.intensity.percent is not None
    assert d.intensity.percent.quantize(Decimal("0.01")) == Decimal("92.78")
    assert d.cycle_days == 31


def test_the_table_and_json_say_which_lengths() -> None:
    regimen = regimens.loads(HEAD % CYCLED, "m.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        schedule = regimen.expand("x", "2027-01-04", record=read_record(ON_TIME, name="P.csv"))
    table = schedule.to_table()
    assert ("(first to last dose + the planned length of the last cycle: 31 days given, "
            "30 days planned, 31 days for the cycles started; absolute amounts)") in table
    (drug,) = json.loads(schedule.to_json())["summary"]["drugs"]
    assert drug["cycle_days"] == 31
    assert drug["rdi"]["protocol"]["cycle_days"] == {"actual": 31, "planned": 30}
    assert drug["rdi"]["cycles_started"]["cycle_days"] == {"actual": 31, "planned": 31}


def test_a_dose_that_fulfils_no_planned_one_counts_the_cycle_its_date_is_in() -> None:
    # All four cycles given on time, then a fifth dose on 2027-04-20 that fulfils nothing
    # (no cycle of its own): the RDI's actual time adds the planned length of the cycle its
    # date falls in, cycle 4 (Apr 4 to May 4, 30 days); it raised an AssertionError.
    extra = ON_TIME + "2027-04-04,given,d,,,,,\n2027-04-20,given,d,,,100 mg,,\n"
    d = summary(CYCLED, extra)
    assert d.intensity is not None
    # Given Jan 4 to Apr 20: 106 days + 30 = 136; planned 90 + 30 = 120 days.
    assert (d.intensity.actual_days, d.intensity.planned_days) == (136, 120)
