"""Visits that follow treatment, repeat through a period, or sit on a course's cycle
(issue 12, item 8). Dates are worked out by hand in the comments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import regimens
from support import expand, problems

DOC = """\
format: regimens/1
id: follow
title: Follow
day_one: treatment
drugs:
  a: {name: drug A, route: intravenous}
  b: {name: drug B, route: oral}
arms:
  x: {label: X}
  y: {label: Y}
periods:
  - {id: screening, length: 2 weeks}
  - id: treatment
    length: 24-30 weeks
    courses:
      - {id: main, drug: a, dose: 10 mg, cycle: 3 weeks, days: 1}
      - {drug: b, dose: 1 mg, daily: true, for: 10 weeks, arms: [x]}
  - {id: follow-up, length: 12 weeks}
visits:
  - {id: baseline, day: 1}
  - {id: tumour, label: Tumour assessment, period: treatment, every: 12 weeks, window: 7 days}
  - {id: safety, after_last: a, offset: 30 days, window: {after: 7 days}}
  - {id: b-end, after_last: b, offset: 0 days, arms: [x]}
  - {id: c3, course: main, cycle: 3, day: 1}
"""


def _visits(arm: str = "x", start: str = "2027-01-04",
            length: str | None = None) -> list[tuple[str, str, int, str, str, str]]:
    regimen = regimens.loads(DOC)
    schedule = regimen.expand(arm, start, lengths={"treatment": length} if length else None)
    return [(v.id, v.label, v.study_day.value, v.date.isoformat(), v.earliest.isoformat(),
             v.latest.isoformat()) for v in schedule.visits]


def test_at_the_shortest_length() -> None:
    # Treatment: 168 days from Monday 2027-01-04 (Day 1) to 2027-06-20 (Day 168).
    # Drug A on day 1 of 21-day cycles: Days 1, 22, ..., 148 (8 cycles); 148 + 30 = 178.
    # Drug B daily for 70 days: last on Day 70 (2027-03-14).
    # Cycle 3 day 1: 1 + 2 x 21 = Day 43 (2027-02-15).
    # Every 12 weeks: Day 1 + 84 = Day 85 (2027-03-29); Day 169 is past the period.
    assert _visits() == [
        ("baseline", "", 1, "2027-01-04", "2027-01-04", "2027-01-04"),
        ("c3", "", 43, "2027-02-15", "2027-02-15", "2027-02-15"),
        ("b-end", "", 70, "2027-03-14", "2027-03-14", "2027-03-14"),
        ("tumour-1", "Tumour assessment 1", 85, "2027-03-29", "2027-03-22", "2027-04-05"),
        ("safety", "", 178, "2027-06-30", "2027-06-30", "2027-07-07"),
    ]


def test_a_longer_period_moves_them() -> None:
    # 30 weeks = 210 days: drug A in 10 cycles, last on Day 190, + 30 = Day 220
    # (2027-01-04 + 219 days = 2027-08-11); tumour on Days 85 and 169 (2027-06-21).
    found = _visits(length="30 weeks")
    assert [v[:4] for v in found if v[0].startswith(("tumour", "safety"))] == [
        ("tumour-1", "Tumour assessment 1", 85, "2027-03-29"),
        ("tumour-2", "Tumour assessment 2", 169, "2027-06-21"),
        ("safety", "", 220, "2027-08-11"),
    ]


def test_arm_without_the_drug_has_no_such_visit() -> None:
    assert [v[0] for v in _visits("y")] == ["baseline", "c3", "tumour-1", "safety"]


def test_written_back() -> None:
    regimen = regimens.loads(DOC)
    text = regimens.dumps(regimen)
    assert "after_last: a" in text
    assert "every: 12 weeks" in text
    assert "course: main" in text
    assert regimens.loads(text) == regimen


def test_every_output_shows_the_numbered_visits() -> None:
    schedule = regimens.loads(DOC).expand("x", "2027-01-04")
    assert "Tumour assessment 1" in schedule.to_table()
    assert '"id": "tumour-1"' in schedule.to_json()
    ics = schedule.to_ics(stamp=datetime(2027, 1, 1, tzinfo=UTC)).decode()
    assert "visit.tumour-1@" in ics.replace("\r\n ", "")


@given(st.integers(-3000, 3000), st.sampled_from(["24 weeks", "27 weeks", "30 weeks"]))
@settings(max_examples=40, deadline=None)
def test_shifting_the_start_shifts_every_visit(shift: int, length: str) -> None:
    base = date(2027, 1, 4)
    regimen = regimens.loads(DOC)
    one = regimen.expand("x", base, lengths={"treatment": length})
    two = regimen.expand("x", base + timedelta(days=shift), lengths={"treatment": length})
    assert [(v.id, v.study_day) for v in one.visits] == [(v.id, v.study_day) for v in two.visits]
    assert all(b.date - a.date == timedelta(days=shift) for a, b in zip(
        one.visits, two.visits, strict=True))


@given(st.integers(1, 60), st.integers(61, 400))
@settings(max_examples=60, deadline=None)
def test_repeating_count(every: int, length: int) -> None:
    doc = f"""\
format: regimens/1
id: r
title: R
drugs:
  a: {{name: drug A, route: oral}}
arms:
  x: {{label: X}}
periods:
  - id: p
    length: 1-{length} days
    courses:
      - {{drug: a, dose: 1 mg, days: 1}}
visits:
  - {{id: v, period: p, every: {every} days}}
"""
    doc = doc.replace("length: 1-", f"length: {every + 1}-")  # one visit at the shortest
    schedule = regimens.loads(doc).expand("x", "2027-01-04", lengths={"p": f"{length} days"})
    # Days 1 + k x every <= length, k >= 1: floor((length - 1) / every) of them.
    assert [v.study_day.value for v in schedule.visits] == [
        1 + k * every for k in range(1, (length - 1) // every + 1)]
    assert [v.id for v in schedule.visits] == [
        f"v-{k}" for k in range(1, len(schedule.visits) + 1)]


@pytest.mark.parametrize(("visit", "expected"), [
    ("{id: v, course: main, cycle: 9, day: 1}",
     "r.yaml:17: visits[0].cycle: course 'main' has 8 cycles (got 9)"),
    ("{id: v, course: main, cycle: 2, day: 22}",
     "r.yaml:17: visits[0].day: day 22 is outside cycle 2 of course 'main' (21 days) "
     "(got 22)"),
    ("{id: v, course: nope, cycle: 1, day: 1}",
     "r.yaml:17: visits[0].course: no course has this id (courses: main) (got 'nope')"),
    ("{id: v, course: main, cycle: 1, day: 1, week: 2}",
     "r.yaml:17: visits[0].week: give 'course' or 'week', not both (got 2)"),
    ("{id: v, after_last: il2, offset: 1 week, period: t}",
     "r.yaml:17: visits[0].period: give 'after_last' or 'period', not both (got 't')"),
    ("{id: v, after_last: il2, offset: 1 week, course: main}",
     "r.yaml:17: visits[0].course: give 'after_last' or 'course', not both (got 'main')"),
    ("{id: v, after_last: pred, offset: 1 week}",
     "r.yaml:17: visits[0].after_last: arm 'a' never receives this drug, so the visit has "
     "no day there; give the visit 'arms' (the arms that receive it) (got 'pred')"),
    ("{id: v, period: t, every: 4 weeks, day: 3}",
     "r.yaml:17: visits[0].every: give 'every' or 'day', not both (got '4 weeks')"),
    ("{id: v, every: 4 weeks}",
     "r.yaml:17: visits[0].every: 'every' goes with 'period' (got '4 weeks')"),
    ("{id: v, cycle: 3, day: 1}",
     "r.yaml:17: visits[0].cycle: 'cycle' goes with 'course' (got 3)"),
    ("{id: v, course: main, cycle: 1, day: -1}",
     "r.yaml:17: visits[0].day: a day of a cycle counts from 1 (got -1)"),
])
def test_refused(visit: str, expected: str) -> None:
    body = f"""\
periods:
  - id: t
    length: 24 weeks
    courses:
      - {{id: main, drug: il2, dose: 1 MIU, cycle: 3 weeks, days: 1}}
visits:
  - {visit}
"""
    assert problems(body) == [expected]


def test_the_protocols_cycle_number() -> None:
    # first_cycle: 2 numbers the course's cycles 2, 3, ...: cycle 3 is its second cycle,
    # which starts on day 1 + 21 of the period (Day 22).
    body = """\
periods:
  - id: t
    length: 9 weeks
    courses:
      - {id: main, drug: il2, dose: 1 MIU, cycle: 3 weeks, first_cycle: 2, days: 1}
visits:
  - {id: v, course: main, cycle: 3, day: 2}
"""
    assert [(v.id, v.study_day.value) for v in expand(body).visits] == [("v", 23)]
    assert problems(body.replace("cycle: 3, day: 2", "cycle: 1, day: 2")) == [
        "r.yaml:17: visits[0].cycle: course 'main' has cycles 2 to 4 (got 1)"]


def test_model_records() -> None:
    with pytest.raises(regimens.InvalidRegimenError, match="a cycle is a whole number from 1"):
        regimens.CourseAnchor("c", 0, 1)
    with pytest.raises(regimens.InvalidRegimenError, match="at least 1 day"):
        regimens.RepeatAnchor("p", regimens.Duration(0))
    with pytest.raises(regimens.InvalidRegimenError, match="a Duration"):
        regimens.AfterLastAnchor("a", "30 days")  # type: ignore[arg-type]
