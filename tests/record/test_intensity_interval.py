"""Relative dose intensity of a course without cycles or a fixed interval (a list of days,
weekdays, day steps, an interval in hours): the "one planned cycle length" each time adds
is the planned interval that time's last dose opens, from its planned date to the course's
next planned date, and for the course's last planned dose to the day after the course's
window (its ``for`` span's last day, else its period's). Before, such a course added "one
1-day cycle": rituximab 375 mg on days 1, 29 and 57 of 12 weeks, two doses given on their
days, read (750 / 29) / (1125 / 57) = 131.0% (> 100%).

Every figure is worked by hand below. Day n is 2027-01-04 (a Monday) + n - 1. Courses
with cycles, an ``every`` interval, calendar months or daily doses keep their length.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest

import regimens
from regimens import read_record

START = date(2027, 1, 4)

HEAD = """\
format: regimens/1
id: i
title: Interval
drugs:
  d: {name: drugamycin, route: intravenous}
arms:
  x: {label: X}
periods:
  - id: t
    length: %s
    courses:
      - %s
"""


def day(n: int) -> str:
    return (START + timedelta(days=n - 1)).isoformat()


def given(n: int, amount: str = "", planned: int | None = None) -> str:
    """A given row on day ``n`` (of the dose planned on day ``planned``, when late)."""
    return f"{day(n)},given,d,,,{amount},,,{day(planned) if planned else ''}"


def missed(n: int) -> str:
    return f"{day(n)},missed,d,,,,,,"


@dataclass(frozen=True)
class Case:
    id: str
    length: str
    course: str
    rows: tuple[str, ...]
    # (actual days, planned days, RDI shown) against the protocol, then the cycles started.
    protocol: tuple[int, int, str]
    started: tuple[int, int, str]
    # The length added after the last dose: given, planned (protocol), cycles started.
    lengths: tuple[int, int, int]


RITUXIMAB = "{drug: d, dose: 375 mg, days: [1, 29, 57]}"
UNEQUAL = "{drug: d, dose: 100 mg, days: [1, 8, 22]}"
WEEKDAYS = "{drug: d, dose: 10 mg, weekdays: [mon, wed, fri]}"
TAPER = ("{drug: d, steps: [{dose: 40 mg, days: [1, 2]}, {dose: 20 mg, days: [5]}]}")
HOURS = '{drug: d, dose: 1 g, every: 12 hours, at: "08:00", count: 6}'
HOURS_SPAN = '{drug: d, dose: 1 g, every: 12 hours, at: "08:00", for: 3 days}'

CASES = [
    # Days 1, 29, 57 of 84: intervals 28, 28, and 85 - 57 = 28 to the day after day 84.
    # Doses 1 and 2 on time: 750 mg over 28 + 28 = 56 days; the protocol 1125 mg over
    # 56 + 28 = 84 days: (750 / 56) / (1125 / 84) = 63000 / 63000 = 100.0%; the doses
    # started (days 1, 29): 750 mg over 28 + 28 = 56 days: 100.0%.
    Case("days-equal-on-time", "12 weeks", RITUXIMAB, (given(1), given(29)),
         (56, 84, "100.0"), (56, 56, "100.0"), (28, 28, 28)),
    # All three on time: 1125 mg over 56 + 28 = 84 days against the same: 100.0%.
    Case("days-equal-all", "12 weeks", RITUXIMAB, (given(1), given(29), given(57)),
         (84, 84, "100.0"), (84, 84, "100.0"), (28, 28, 28)),
    # Dose 2 a week late (day 36, planned day 29): 750 mg over 35 + 28 (the interval it
    # opens, 29 to 57) = 63 days. Protocol (750 / 63) / (1125 / 84) = 63000 / 70875
    # = 88.88..%; started (750 / 63) / (750 / 56) = 56 / 63 = 88.88..%.
    Case("days-equal-late", "12 weeks", RITUXIMAB, (given(1), given(36, planned=29)),
         (63, 84, "88.9"), (63, 56, "88.9"), (28, 28, 28)),
    # Dose 2 missed, dose 3 on time: 750 mg over 56 + 28 = 84 days (the treatment ended
    # with a dose not given: at least the planned 84); (750 / 84) / (1125 / 84) = 66.66..%;
    # started (planned up to day 57: all three) the same.
    Case("days-equal-missing", "12 weeks", RITUXIMAB, (given(1), missed(29), given(57)),
         (84, 84, "66.7"), (84, 84, "66.7"), (28, 28, 28)),
    # Dose 2 half given (187.5 mg) on time: 562.5 mg over 56 days. Protocol
    # (562.5 / 56) / (1125 / 84) = 47250 / 63000 = 75.0%; started (562.5 / 56) / (750 / 56)
    # = 75.0%.
    Case("days-equal-partial", "12 weeks", RITUXIMAB, (given(1), given(29, "187.5 mg")),
         (56, 84, "75.0"), (56, 56, "75.0"), (28, 28, 28)),
    # Dose 2 four days early (day 25, planned day 29): it was started, so the doses
    # started are days 1 and 29 (was: planned up to the date given, day 25: dose 1 alone,
    # 375 mg over 28 days, and "cycles started: 375 mg planned (200.0%)"). 750 mg over
    # 24 + 28 = 52 days. Protocol (750 / 52) / (1125 / 84) = 63000 / 58500 = 107.69..%;
    # started (750 / 52) / (750 / 56) = 56 / 52 = 107.69..% (> 100%: doses closer together).
    Case("days-equal-early", "12 weeks", RITUXIMAB, (given(1), given(25, planned=29)),
         (52, 84, "107.7"), (52, 56, "107.7"), (28, 28, 28)),
    # Days 1, 8, 22 of 28: intervals 7, 14, and 29 - 22 = 7. All on time: 300 mg over
    # 21 + 7 = 28 days against the same: 100.0%.
    Case("days-unequal-all", "4 weeks", UNEQUAL, (given(1), given(8), given(22)),
         (28, 28, "100.0"), (28, 28, "100.0"), (7, 7, 7)),
    # Doses 1 and 2 on time: 200 mg over 7 + 14 (8 to 22) = 21 days; started the same:
    # 100.0%. The protocol so far: (200 / 21) / (300 / 28) = 5600 / 6300 = 88.88..% (the
    # first 21 days hold 2 of the 3 doses of 28 days: the intensity so far).
    Case("days-unequal-on-time", "4 weeks", UNEQUAL, (given(1), given(8)),
         (21, 28, "88.9"), (21, 21, "100.0"), (14, 7, 14)),
    # Dose 2 two days early (day 6, planned day 8): 200 mg over 5 + 14 = 19 days. Protocol
    # (200 / 19) / (300 / 28) = 5600 / 5700 = 98.24..%; started (days 1 and 8: 200 mg over
    # 7 + 14 = 21 days) 21 / 19 = 110.52..% (was 100 mg over 0 + 7 days: 73.7%).
    Case("days-unequal-early", "4 weeks", UNEQUAL, (given(1), given(6, planned=8)),
         (19, 28, "98.2"), (19, 21, "110.5"), (14, 7, 14)),
    # Dose 3 two days late (day 24): 300 mg over 23 + 7 = 30 days: 28 / 30 = 93.33..%.
    Case("days-unequal-late", "4 weeks", UNEQUAL,
         (given(1), given(8), given(24, planned=22)),
         (30, 28, "93.3"), (30, 28, "93.3"), (7, 7, 7)),
    # The last day of the period: days 1 and 28 of 28: after day 28, 29 - 28 = 1 day.
    # 200 mg over 27 + 1 = 28 days against the same: 100.0%.
    Case("days-on-the-last-day", "4 weeks", "{drug: d, dose: 100 mg, days: [1, 28]}",
         (given(1), given(28)), (28, 28, "100.0"), (28, 28, "100.0"), (1, 1, 1)),
    # Mon, Wed, Fri of 14 days from a Monday: days 1, 3, 5, 8, 10, 12; intervals 2, 2, 3,
    # 2, 2, and 15 - 12 = 3. All on time: 60 mg over 11 + 3 = 14 days: 100.0%.
    Case("weekdays-all", "2 weeks", WEEKDAYS,
         tuple(given(n) for n in (1, 3, 5, 8, 10, 12)),
         (14, 14, "100.0"), (14, 14, "100.0"), (3, 3, 3)),
    # Wednesday of week 1 missed, the rest on time: 50 mg over 11 + 3 = 14 days (ended with
    # a dose not given: at least 14): (50 / 14) / (60 / 14) = 83.33..%.
    Case("weekdays-missing", "2 weeks", WEEKDAYS,
         (given(1), missed(3), *(given(n) for n in (5, 8, 10, 12))),
         (14, 14, "83.3"), (14, 14, "83.3"), (3, 3, 3)),
    # Day steps: 40 mg on days 1 and 2, 20 mg on day 5, of 10 days: intervals 1, 3, and
    # 11 - 5 = 6. All on time: 100 mg over 4 + 6 = 10 days: 100.0%.
    Case("steps-all", "10 days", TAPER, (given(1), given(2), given(5)),
         (10, 10, "100.0"), (10, 10, "100.0"), (6, 6, 6)),
    # Day 5's dose a day late (day 6): 100 mg over 5 + 6 = 11 days: 10 / 11 = 90.90..%.
    Case("steps-late", "10 days", TAPER, (given(1), given(2), given(6, planned=5)),
         (11, 10, "90.9"), (11, 10, "90.9"), (6, 6, 6)),
    # Every 12 hours from 08:00, 6 doses, in 7 days: days 1, 1, 2, 2, 3, 3; intervals 1, 1
    # (to the next date), and 8 - 3 = 5 to the day after the period. All on time: 6 g over
    # 2 + 5 = 7 days: 100.0%.
    Case("hours-all", "1 week", HOURS,
         tuple(given(n) for n in (1, 1, 2, 2, 3, 3)),
         (7, 7, "100.0"), (7, 7, "100.0"), (5, 5, 5)),
    # The same for 3 days (for: 3 days) of 7: the course's window ends on day 3, so after
    # day 3, 4 - 3 = 1 day. All on time: 6 g over 2 + 1 = 3 days: 100.0%.
    Case("hours-span-all", "1 week", HOURS_SPAN,
         tuple(given(n) for n in (1, 1, 2, 2, 3, 3)),
         (3, 3, "100.0"), (3, 3, "100.0"), (1, 1, 1)),
    # Unchanged kinds. Every 14 days, 3 doses, of 6 weeks: one 14-day interval. Doses 1
    # and 2 on time: 200 mg over 14 + 14 = 28 days; protocol 300 mg over 28 + 14 = 42:
    # (200 / 28) / (300 / 42) = 100.0%.
    Case("every-on-time", "6 weeks", "{drug: d, dose: 100 mg, every: 14 days, count: 3}",
         (given(1), given(15)), (28, 42, "100.0"), (28, 28, "100.0"), (14, 14, 14)),
    # Day 1 of three 21-day cycles, the first two on time: 200 mg over 21 + 21 = 42 days;
    # protocol 300 mg over 42 + 21 = 63: 100.0%.
    Case("cycles-on-time", "9 weeks", "{drug: d, dose: 100 mg, cycle: 21 days, cycles: 3, "
         "days: [1]}", (given(1), given(22)), (42, 63, "100.0"), (42, 42, "100.0"),
         (21, 21, 21)),
    # Every month, 4 doses, from 2027-01-04 (test_intensity_months.py): the first three on
    # time, 300 mg over 59 + 31 (Mar 4 to Apr 4) = 90 days; protocol 400 mg over 90 + 30
    # (Apr 4 to May 4) = 120 days: 100.0%.
    Case("months-on-time", "6 months", "{drug: d, dose: 100 mg, every: 1 month, count: 4}",
         ("2027-01-04,given,d,,,,,,", "2027-02-04,given,d,,,,,,", "2027-03-04,given,d,,,,,,"),
         (90, 120, "100.0"), (90, 90, "100.0"), (31, 30, 31)),
    # Daily for 5 days (for: 5 days) of 10: 1 day, not to the end of the period. All on
    # time: 50 mg over 4 + 1 = 5 days: 100.0%.
    Case("daily-span-all", "10 days", "{drug: d, dose: 10 mg, daily: true, for: 5 days}",
         tuple(given(n) for n in range(1, 6)), (5, 5, "100.0"), (5, 5, "100.0"), (1, 1, 1)),
]


def replayed(case: Case) -> regimens.Schedule:
    regimen = regimens.loads(HEAD % (case.length, case.course), "i.yaml")
    record = "date,event,drug,cycle,day,amount,level,reason,planned\n" + "\n".join(
        case.rows) + "\n"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return regimen.expand("x", START.isoformat(),
                              record=read_record(record, name="P.csv"))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_time_adds_the_planned_interval_the_last_dose_opens(case: Case) -> None:
    schedule = replayed(case)
    assert schedule.replayed is not None
    assert schedule.replayed.summary is not None
    (d,) = schedule.replayed.summary.drugs
    assert d.intensity is not None
    assert d.intensity_started is not None
    for rdi, (actual, planned, shown) in ((d.intensity, case.protocol),
                                          (d.intensity_started, case.started)):
        assert (rdi.actual_days, rdi.planned_days, rdi.shown) == (actual, planned,
                                                                   Decimal(shown))
    assert (d.cycle_days, d.intensity.planned_cycle_days,
            d.intensity_started.planned_cycle_days) == case.lengths
    assert d.intensity.actual_cycle_days == d.cycle_days


def test_the_reproducer_reads_100_percent_and_names_the_interval() -> None:
    case = CASES[0]
    text = replayed(case).to_table()
    # Was "131.0% (> 100%) against the protocol ... (first to last dose + one 1-day cycle".
    assert ("relative dose intensity 100.0% (>= 85%) against the protocol, 100.0% (>= 85%) "
            "against the cycles started (first to last dose + the planned interval after "
            "the last dose, 28 days; absolute amounts)") in text


def test_lengths_that_differ_are_named_each() -> None:
    case = next(c for c in CASES if c.id == "days-unequal-on-time")
    schedule = replayed(case)
    assert ("(first to last dose + the planned interval after the last dose: 14 days given, "
            "7 days planned, 14 days for the cycles started; absolute amounts)"
            ) in schedule.to_table()
    rdi = json.loads(schedule.to_json())["summary"]["drugs"][0]["rdi"]
    assert rdi["protocol"]["cycle_days"] == {"actual": 14, "planned": 7}
    assert rdi["cycles_started"]["cycle_days"] == {"actual": 14, "planned": 14}


def test_cycled_courses_keep_their_words_and_json() -> None:
    case = next(c for c in CASES if c.id == "cycles-on-time")
    schedule = replayed(case)
    assert "(first to last dose + one 21-day cycle; absolute amounts)" in schedule.to_table()
    rdi = json.loads(schedule.to_json())["summary"]["drugs"][0]["rdi"]
    assert "cycle_days" not in rdi["protocol"]


def test_planned_cycle_days_by_the_course_of_the_dose() -> None:
    regimen = regimens.loads(HEAD % ("12 weeks", RITUXIMAB), "i.yaml")
    plan = [START + timedelta(days=n - 1) for n in (1, 29, 57)]

    def outcome(n: int) -> regimens.record.Outcome:
        when = START + timedelta(days=n - 1)
        return regimens.record.Outcome("d", "t", 0, None, "given", when, when, None, None)

    starts, ends = {"t": START}, {"t": START + timedelta(days=83)}
    # Day 1 to day 29: 28; day 29 to 57: 28; day 57 to the day after day 84: 85 - 57 = 28.
    assert [regimens.record.planned_cycle_days(regimen, outcome(n), starts, ends=ends,
                                               plan=plan) for n in (1, 29, 57)] == [28] * 3
    # The last planned dose needs its period's last date.
    with pytest.raises(ValueError, match=r"needs the period's first and last dates"):
        regimens.record.planned_cycle_days(regimen, outcome(57), starts, plan=plan)


def test_a_dose_given_early_is_among_the_doses_started() -> None:
    case = next(c for c in CASES if c.id == "days-equal-early")
    text = replayed(case).to_table()
    # 750 mg given of the 750 mg planned for doses 1 and 2 (was 375 mg, 200.0%).
    assert ("given 750 mg of 1,125 mg planned (66.7%); cycles started: 750 mg planned "
            "(100.0%)") in text
