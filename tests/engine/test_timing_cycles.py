"""Issue 12 items 1, 3, 4 and 7: first_cycle, days before day 1, counted weekdays,
open-ended last steps and ranges from 0 days. Every date is worked out by hand in a
comment (2027-01-04 is a Monday; 2027 is not a leap year)."""

from __future__ import annotations

import datetime as dt
import json
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import regimens
from regimens import (
    AdministrationStep,
    Course,
    CycleStep,
    DaysPattern,
    Dose,
    Duration,
    InvalidRegimenError,
    WeekdaysPattern,
)
from regimens.quantities import parse_dose_quantity
from support import dates, days, expand, load

MG = Dose(parse_dose_quantity("1 mg"))

# "Weekly x7, 1 week off, then days 1, 8, 15 every 28 days", cycles numbered on.
GEMCITABINE = """\
periods:
  - id: t
    length: 16 weeks
    courses:
      - {drug: pred, dose: 10 mg, cycle: 8 weeks, cycles: 1, days: [1, 8, 15, 22, 29, 36, 43]}
      - {drug: pred, dose: 10 mg, start: 57, cycle: 28 days, first_cycle: 2, days: [1, 8, 15]}
"""


def test_first_cycle_numbers_on_across_courses() -> None:
    s = expand(GEMCITABINE)
    # Cycle 1: Days 1, 8, ..., 43; cycle 2 starts on Day 57 (2027-03-01), cycle 3 on Day 85.
    assert days(s) == [1, 8, 15, 22, 29, 36, 43, 57, 64, 71, 85, 92, 99]
    assert [a.cycle for a in s.administrations] == [1] * 7 + [2] * 3 + [3] * 3
    assert [a.cycle_day for a in s.administrations][7:] == [1, 8, 15] * 2
    assert dates(s)[7:10] == ["2027-03-01", "2027-03-08", "2027-03-15"]
    data = json.loads(s.to_json())
    assert [a["cycle"] for a in data["administrations"]][7:] == [2, 2, 2, 3, 3, 3]
    assert " 57  Mon 2027-03-01        t       2 day 1 " in s.to_table()
    rows = s.to_csv().splitlines()
    header = rows[0].split(",")
    assert rows[8].split(",")[header.index("cycle")] == "2"
    ics = s.to_ics(stamp=dt.datetime(2027, 1, 1, tzinfo=dt.UTC)).decode()
    assert "Study Day 57\\, cycle 2 day 1" in ics.replace("\r\n ", "")


def test_steps_by_cycles_count_the_course_own_cycles_with_first_cycle() -> None:
    s = expand("""\
        periods:
          - id: t
            length: 12 weeks
            courses:
              - drug: pred
                cycle: 4 weeks
                first_cycle: 4
                days: 1
                steps: [{dose: 20 mg, cycles: 1}, {dose: 10 mg, cycles: 2}]
        """)
    # Cycles 4, 5, 6 on Days 1, 29, 57: the first step is the course's first cycle (4).
    assert [(a.study_day.value, a.cycle, a.dose.text) for a in s.administrations] == [
        (1, 4, "20 mg"), (29, 5, "10 mg"), (57, 6, "10 mg")]


def test_day_before_day_one_keeps_its_cycle() -> None:
    s = expand("""\
        periods:
          - id: t
            length: 6 weeks
            courses:
              - {drug: pred, dose: 4 mg, cycle: 21 days, days: [-1, 1, 2]}
        """)
    # Cycle 1: Day -1 (2027-01-03, before the period), Days 1, 2; cycle 2 starts on Day 22
    # (2027-01-25): its day -1 is Day 21 (2027-01-24), the last day of cycle 1.
    assert [(a.study_day.value, a.date.isoformat(), a.cycle, a.cycle_day)
            for a in s.administrations] == [
        (-1, "2027-01-03", 1, -1), (1, "2027-01-04", 1, 1), (2, "2027-01-05", 1, 2),
        (21, "2027-01-24", 2, -1), (22, "2027-01-25", 2, 1), (23, "2027-01-26", 2, 2)]
    assert "2 day -1" in s.to_table()
    data = json.loads(s.to_json())
    assert data["administrations"][3]["cycle_day"] == -1
    ics = s.to_ics(stamp=dt.datetime(2027, 1, 1, tzinfo=dt.UTC)).decode()
    assert "Study Day 21\\, cycle 2 day -1" in ics.replace("\r\n ", "")


def test_days_before_day_one_in_a_later_period_and_with_steps_by_administrations() -> None:
    s = expand("""\
        day_one: t
        periods:
          - {id: run-in, length: 1 week}
          - id: t
            length: 8 weeks
            courses:
              - drug: pred
                cycle: 28 days
                days: [-5, 1, 26]
                steps: [{dose: 2 mg, administrations: 3}, {dose: 1 mg, administrations: 3}]
        """)
    # t starts on Day 1 (2027-01-04; the run-in is Days -7 to -1). Cycle 1: day -5 is Day -5
    # (in the run-in), days 1 and 26 are Days 1 and 26. Cycle 2 starts on Day 29 (offset
    # 28): its day -5 is offset 23, Day 24, before cycle 1's day 26; its day 26 is Day 54.
    assert [(a.study_day.value, a.cycle, a.cycle_day) for a in s.administrations] == [
        (-5, 1, -5), (1, 1, 1), (24, 2, -5), (26, 1, 26), (29, 2, 1), (54, 2, 26)]
    # Steps by administrations count in date order.
    assert [a.dose.text for a in s.administrations] == ["2 mg"] * 3 + ["1 mg"] * 3


def test_day_minus_three_and_day_26_of_28_are_the_same_date_is_refused() -> None:
    # Day -3 of a 28-day cycle is day 26 of the cycle before (28 - 3 + 1 = 26).
    with pytest.raises(InvalidRegimenError, match="day -3 of a cycle is day 26 of the cycle"):
        load("""\
            periods:
              - id: t
                length: 8 weeks
                courses:
                  - {drug: pred, dose: 1 mg, cycle: 28 days, days: [-3, 1, 26]}
            """)


COUNTED = """\
periods:
  - id: t
    length: {length}
    courses:
      - {{drug: pred, dose: 2 mg, weekdays: [mon, tue, wed, thu, fri], count: {count}{more}}}
"""


def test_counted_weekdays_per_cycle() -> None:
    s = expand(COUNTED.format(length="4 weeks", count=7, more=", cycle: 14 days"))
    # From Monday 2027-01-04: the first 7 weekdays of each 14-day cycle are days 1-5 and
    # 8-9 (Mon-Fri, Mon-Tue); cycle 2 starts on Day 15 (Monday 2027-01-18).
    assert days(s) == [1, 2, 3, 4, 5, 8, 9, 15, 16, 17, 18, 19, 22, 23]
    s = expand(COUNTED.format(length="4 weeks", count=7, more=", cycle: 14 days"),
               start="2027-01-09")  # a Saturday
    # Sat 9, Sun 10 skipped: Mon 11 - Fri 15 (Days 3-7), Mon 18, Tue 19 (Days 10, 11);
    # cycle 2 from Day 15 (Sat 23): Days 17-21 and 24, 25.
    assert days(s) == [3, 4, 5, 6, 7, 10, 11, 17, 18, 19, 20, 21, 24, 25]


def test_thirty_fractions_monday_to_friday() -> None:
    s = expand(COUNTED.format(length="6-8 weeks", count=30, more=""), start="2027-01-06")
    # From Wednesday 2027-01-06: 30 weekdays end on the Tuesday of week 7: 6 weeks hold
    # 30 weekdays (Wed..Tue), the 30th on Day 41 (2027-02-15 is Monday Day 41? 2027-01-06 +
    # 40 days = 2027-02-15, a Monday); counted: Wed-Fri (3), then 5 full weeks (25) = 28,
    # then Mon 2027-02-15 (29), Tue 2027-02-16 (30).
    assert len(s.administrations) == 30
    assert dates(s)[-2:] == ["2027-02-15", "2027-02-16"]
    assert days(s)[-1] == 42


def test_counted_weekdays_arithmetic_is_exact() -> None:
    report = load(COUNTED.format(length="6-8 weeks", count=30, more="")).check()
    summary = report.summaries[0]
    assert summary.administrations == (30, 30)
    # The last fraction: Day 40 from a Monday, Day 42 from a Saturday or Sunday.
    assert (summary.first_day, summary.last_day) == (1, 42)


TRASTUZUMAB = """\
periods:
  - id: t
    length: 18-105 weeks
    courses:
      - drug: treg
        cycle: 3 weeks
        days: 1
        steps: [{dose: 8 mg/kg, cycles: 1}, {dose: 6 mg/kg}]
"""


def test_open_ended_last_step_runs_to_the_end_of_the_course() -> None:
    kg = regimens.Participant(weight="50 kg")
    s = expand(TRASTUZUMAB, participant=kg)
    # 18 weeks = 6 cycles of 21 days: Days 1, 22, 43, 64, 85, 106; 8 x 50 = 400 mg first.
    assert days(s) == [1, 22, 43, 64, 85, 106]
    assert [a.dose.text for a in s.administrations] == ["400 mg"] + ["300 mg"] * 5
    assert [a.step_number for a in s.administrations] == [1, 2, 2, 2, 2, 2]
    s = expand(TRASTUZUMAB, participant=kg, lengths={"t": "20 weeks"})
    # 140 days: 7 cycles (the 7th, from Day 127, cut to 14 days).
    assert days(s)[-1] == 127
    report = load(TRASTUZUMAB).check()
    # 6 to 35 administrations (105 weeks = 735 days = 35 cycles): 8 + 5 x 6 = 38 mg/kg to
    # 8 + 34 x 6 = 212 mg/kg.
    summary = report.summaries[0]
    assert summary.administrations == (6, 35)
    assert summary.total_text() == "38 mg per kg to 212 mg per kg"


def test_open_ended_step_by_administrations() -> None:
    s = expand("""\
        periods:
          - id: t
            length: 2 weeks
            courses:
              - drug: pred
                daily: true
                steps: [{dose: 40 mg, administrations: 3}, {dose: 20 mg}]
        """)
    assert [a.dose.text for a in s.administrations] == ["40 mg"] * 3 + ["20 mg"] * 11


def test_open_ended_step_with_cycles_given() -> None:
    s = expand("""\
        periods:
          - id: t
            length: 12 weeks
            courses:
              - drug: pred
                cycle: 2 weeks
                cycles: 4
                days: 1
                steps: [{dose: 20 mg, cycles: 1}, {dose: 10 mg}]
        """)
    assert [(a.study_day.value, a.dose.text) for a in s.administrations] == [
        (1, "20 mg"), (15, "10 mg"), (29, "10 mg"), (43, "10 mg")]


GAP = """\
periods:
  - id: induction
    length: 2 weeks
    courses:
      - {drug: pred, dose: 10 mg, every: 1 week}
  - {id: delay, length: 0-14 days}
  - id: maintenance
    length: 2 weeks
    courses:
      - {drug: pred, dose: 5 mg, every: 1 week}
"""


@pytest.mark.parametrize(("delay", "expected"), [
    (None, [1, 8, 15, 22]),  # the shortest: no delay, maintenance from Day 15
    ("0 days", [1, 8, 15, 22]),
    ("10 days", [1, 8, 25, 32]),  # maintenance from Day 25 (2027-01-28)
    ("2 weeks", [1, 8, 29, 36]),
])
def test_a_range_from_zero_days(delay: str | None, expected: list[int]) -> None:
    s = expand(GAP, lengths={"delay": delay} if delay else None)
    assert days(s) == expected
    assert ("delay" in [p.id for p in s.periods]) == (delay not in (None, "0 days"))
    assert next(p.id for p in s.periods) == "induction"


def test_records_refuse_unclear_open_steps() -> None:
    with pytest.raises(InvalidRegimenError, match="only the last step may leave out"):
        Course("a", DaysPattern((1,)), cycle=Duration(7),
               steps=(CycleStep(MG, None), CycleStep(MG, 1)))
    with pytest.raises(InvalidRegimenError, match="give dose instead of steps"):
        Course("a", DaysPattern((1,)), cycle=Duration(7), steps=(CycleStep(MG, None),))
    with pytest.raises(InvalidRegimenError, match="first_cycle numbers the course's cycles"):
        Course("a", DaysPattern((1,)), dose=MG, first_cycle=2)
    with pytest.raises(InvalidRegimenError, match="day -1 of a cycle is day 7"):
        Course("a", DaysPattern((-1, 1, 7)), dose=MG, cycle=Duration(7))
    with pytest.raises(InvalidRegimenError, match="take up to 11 days, longer than a 7-day"):
        Course("a", WeekdaysPattern((0, 1, 2, 3, 4), 7), dose=MG, cycle=Duration(7))
    with pytest.raises(InvalidRegimenError, match="leaving it none"):
        Course("a", DaysPattern((1,)), steps=(AdministrationStep(MG, 2),
                                              AdministrationStep(MG, None))).slots(0, 1, 0)


def test_new_keys_write_back() -> None:
    for body in (GEMCITABINE, TRASTUZUMAB, GAP, COUNTED.format(
            length="4 weeks", count=7, more=", cycle: 14 days"), """\
periods:
  - id: t
    length: 6 weeks
    courses:
      - {drug: pred, dose: 4 mg, cycle: 21 days, days: [-1, 1, 2]}
      - drug: il2
        cycle: 3 weeks
        cycles: 2
        days: 1
        steps: [{dose: 2 MIU, cycles: 1}, {dose: 1 MIU}]
"""):
        regimen = load(body)
        assert regimens.loads(regimens.dumps(regimen)) == regimen


def test_the_batch_api_refuses_days_before_day_one() -> None:
    cohort = pytest.importorskip("regimens.cohort")
    pytest.importorskip("numpy")
    regimen = load("""\
        periods:
          - id: t
            length: 6 weeks
            courses:
              - {drug: pred, dose: 4 mg, cycle: 21 days, days: [-1, 1, 2]}
        """)
    with pytest.raises(regimens.ExpandOptionError, match="cannot give cycle days before day 1"):
        cohort.expand_cohort(regimen, "a", ["2027-01-04"])


# Invariants -----------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 3000), st.integers(1, 6), st.lists(
    st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]), min_size=1,
    max_size=7, unique=True), st.integers(1, 12))
def test_counted_weekdays_shift_by_whole_weeks(shift: int, weeks: int, names: list[str],
                                               count: int) -> None:
    # Moving the start by whole weeks moves every date by the same days; each cycle gives
    # exactly min(count, its matching weekdays), and never more than count.
    cycle = 7 * weeks
    body = f"""\
periods:
  - id: t
    length: {3 * cycle} days
    courses:
      - {{drug: pred, dose: 1 mg, cycle: {cycle} days, weekdays: [{', '.join(names)}],
          count: {min(count, len(names) * weeks)}}}
"""
    base = dt.date(2027, 1, 4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        regimen = load(body)
        a = regimen.expand("a", base)
        b = regimen.expand("a", base + dt.timedelta(days=7 * shift))
    assert [x.date + dt.timedelta(days=7 * shift) for x in a.administrations] == [
        x.date for x in b.administrations]
    per_cycle = [sum(1 for x in a.administrations if x.cycle == k) for k in (1, 2, 3)]
    assert per_cycle == [min(count, len(names) * weeks)] * 3


@settings(max_examples=40, deadline=None)
@given(st.integers(-2000, 2000), st.integers(2, 40), st.integers(1, 5), st.integers(1, 4))
def test_days_before_day_one_shift_and_count(shift: int, cycle: int, before: int,
                                             cycles: int) -> None:
    before = min(before, cycle - 1)
    if before == 0 or (cycle - before + 1) == 1:
        return
    body = f"""\
periods:
  - id: t
    length: {cycle * cycles} days
    courses:
      - {{drug: pred, dose: 1 mg, cycle: {cycle} days, first_cycle: 3, days: [-{before}, 1]}}
"""
    regimen = load(body)
    a = regimen.expand("a", dt.date(2027, 1, 4))
    b = regimen.expand("a", dt.date(2027, 1, 4) + dt.timedelta(days=shift))
    assert [x.date + dt.timedelta(days=shift) for x in a.administrations] == [
        x.date for x in b.administrations]
    assert len(a.administrations) == 2 * cycles
    for x in a.administrations:
        # Cycle k (numbered from 3) starts on offset (k - 3) * cycle; day -n is n days before.
        start = (x.cycle - 3) * cycle
        assert (x.date - dt.date(2027, 1, 4)).days == (
            start if x.cycle_day == 1 else start - before)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(2, 5), st.integers(1, 3), st.data())
def test_open_ended_step_takes_every_cycle_after_the_others(weeks: int, fixed: int,
                                                            extra: int,
                                                            data: st.DataObject) -> None:
    # Cycles of `weeks` weeks, day 1 each; the fixed steps cover `fixed` cycles, the
    # shortest length leaves `extra` more; any chosen length L gives ceil(L / cycle) cycles,
    # of which all but the fixed ones are the open step's.
    cycle = 7 * weeks
    shortest = (fixed + extra) * cycle
    longest = shortest + 5 * cycle
    body = f"""\
periods:
  - id: t
    length: {shortest}-{longest} days
    courses:
      - drug: pred
        cycle: {cycle} days
        days: 1
        steps: [{{dose: 20 mg, cycles: {fixed}}}, {{dose: 10 mg}}]
"""
    chosen = data.draw(st.integers(shortest, longest))
    s = expand(body, lengths={"t": f"{chosen} days"})
    total = -(-chosen // cycle)
    assert [a.dose.text for a in s.administrations] == ["20 mg"] * fixed + ["10 mg"] * (
        total - fixed)
    assert days(s) == [1 + k * cycle for k in range(total)]
    summary = load(body).check().summaries[0]
    assert summary.administrations == (fixed + extra, fixed + extra + 5)
