"""Banded and divided daily doses on escalation and taper steps, and check's daily totals
for divided doses, against values worked out by hand."""

from __future__ import annotations

import warnings
from datetime import time
from decimal import Decimal as D
from typing import Any

import pytest

import regimens
from regimens import (
    Course,
    CycleStep,
    DaysPattern,
    Dose,
    DoseQuantity,
    Duration,
    InvalidRegimenError,
    Participant,
)
from regimens.quantities import parse_amount

HEAD = """\
format: regimens/1
id: steps
title: Steps
drugs:
  a: {name: drug A, route: oral}
arms:
  x: {label: X}
periods:
  - id: t
    length: 3 weeks
    courses:
"""
BANDED = ("{drug: a, cycle: 1 week, days: 1, steps: ["
          "{dose: {by: weight, bands: [{below: 15 kg, dose: 5 mg}, {dose: 10 mg}]}, cycles: 1},"
          " {dose: {by: weight, bands: [{below: 15 kg, dose: 10 mg}, {dose: 20 mg}]}}]}")
DAILY = ("{drug: a, cycle: 1 week, days: [1, 2], times: ['08:00', '20:00'], steps: ["
         "{daily_dose: 2 mg/kg, round: 1 mg, cycles: 1}, {daily_dose: 1 mg/kg, round: 1 mg}]}")


def load(course: str) -> regimens.Regimen:
    return regimens.loads(HEAD + f"      - {course}\n", "r.yaml")


def texts(course: str, **participant: Any) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = load(course).expand("x", "2027-01-04", Participant(**participant))
    return [a.dose.text for a in s.administrations]


@pytest.mark.parametrize(("weight", "expected"), [
    # Cycle 1: band 1 (5 mg) under 15 kg, band 2 (10 mg) from 15 kg; cycles 2 and 3 (the
    # open-ended step): 10 mg and 20 mg.
    ("14.99 kg", ["5 mg", "10 mg", "10 mg"]),
    ("15 kg", ["10 mg", "20 mg", "20 mg"]),
])
def test_banded_doses_on_steps(weight: str, expected: list[str]) -> None:
    assert texts(BANDED, weight=weight) == expected


def test_banded_steps_by_age_name_each_date() -> None:
    course = ("{drug: a, steps: [{dose: {by: age, bands: [{below: 2 years, dose: 1 mg}, "
              "{dose: 2 mg}]}, days: [1, 8]}]}")
    # Born 2025-01-11: under 2 years on 2027-01-04 (1 mg), 2 years on 2027-01-11 (2 mg).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = load(course).expand("x", "2027-01-04", Participant(birth_date="2025-01-11"))
    assert [a.dose.text for a in s.administrations] == ["1 mg", "2 mg"]
    assert "on 2027-01-04" in s.administrations[0].dose.derivation
    assert "on 2027-01-11" in s.administrations[1].dose.derivation


def test_daily_doses_on_steps() -> None:
    # 25 kg. Cycle 1: 2 x 25 = 50 mg a day, 25 mg at each of the two times, days 1 and 2.
    # Cycles 2 and 3: 1 x 25 = 25 mg a day, 12.5 mg rounded half up to 13 mg each.
    assert texts(DAILY, weight="25 kg") == ["25 mg"] * 4 + ["13 mg"] * 8


def test_check_reports_daily_and_cumulative_totals_of_divided_steps() -> None:
    r = load(DAILY)
    (summary,) = r.check().summaries
    # Without a participant: 2 days x 2 mg/kg + 4 days x 1 mg/kg = 8 mg per kg, and the
    # daily doses as written.
    assert [(q.amount.magnitude, q.basis.value) for q in summary.totals] == [(D(8), "per_kg")]
    assert summary.daily_text() == "2 mg per kg a day then 1 mg per kg a day"
    # 25 kg: what is given a day (2 x 25 = 50 mg, then 2 x 13 = 26 mg); 4 x 25 + 8 x 13 =
    # 204 mg in all.
    (summary,) = r.check(Participant(weight="25 kg")).summaries
    assert [q.amount.magnitude for q in summary.totals] == [D(204)]
    assert summary.daily_text() == "50 mg a day then 26 mg a day"
    text = r.check(Participant(weight="25 kg")).to_text()
    assert "Daily dose" in text
    assert "50 mg a day then 26 mg a day" in text
    assert r.check(Participant(weight="25 kg")).to_dict()["summaries"][0]["daily"] == [
        {"amount": "50", "unit": "mg", "basis": "flat", "text": "50 mg"},
        {"amount": "26", "unit": "mg", "basis": "flat", "text": "26 mg"}]


def test_check_without_divided_doses_has_no_daily_column() -> None:
    report = load("{drug: a, dose: 5 mg, days: 1}").check()
    assert "Daily dose" not in report.to_text()
    assert "daily" not in report.to_dict()["summaries"][0]


@pytest.mark.parametrize("course", [BANDED, DAILY])
def test_steps_round_trip(course: str) -> None:
    r = load(course)
    assert regimens.loads(regimens.dumps(r)) == r


def test_divided_dose_needs_as_many_times_in_python() -> None:
    dose = Dose(DoseQuantity(parse_amount("60 mg"), regimens.Basis.FLAT), divided=3)
    with pytest.raises(InvalidRegimenError) as caught:
        Course("a", DaysPattern((1,)), dose=dose, times=(time(8), time(20)))
    assert [p.code for p in caught.value.problems] == ["divided-not-times"]
    with pytest.raises(InvalidRegimenError) as caught:
        Course("a", DaysPattern((1,)), steps=(CycleStep(dose, 1), CycleStep(dose, 1)),
               cycle=Duration(7), cycles=2, times=(time(8),))
    assert [p.loc for p in caught.value.problems] == [("steps", 0, "dose")]
