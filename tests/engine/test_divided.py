"""Divided daily doses (``daily_dose`` given in equal parts at each of ``times``).

Expected values are worked by hand (the comment beside each case shows the arithmetic).
"""

from __future__ import annotations

import warnings
from decimal import Decimal as D
from typing import Any

import pytest

import regimens
from regimens import DoseError, Participant

HEAD = """\
format: regimens/1
id: divided
title: Divided
drugs:
  a: {name: drug A, route: oral}
arms:
  x: {label: X}
periods:
  - id: t
    length: 1 week
    courses:
"""
THREE = 'times: ["08:00", "14:00", "20:00"]'


def load(course: str) -> regimens.Regimen:
    return regimens.loads(HEAD + f"      - {{drug: a, {course}}}\n", "r.yaml")


def doses(regimen: regimens.Regimen, **participant: Any) -> list[tuple[str, str]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        schedule = regimen.expand("x", "2027-01-04", Participant(**participant))
    return [(a.dose.text, a.dose.derivation) for a in schedule.administrations]


@pytest.mark.parametrize(("course", "participant", "each", "derivation"), [
    # 40 mg/m2 x 1.5 m2 = 60 mg; 60 / 3 = 20 mg exactly: no rounding, no difference.
    (f"daily_dose: 40 mg/m2, {THREE}, days: 1", {"bsa": "1.5 m2"}, "20 mg",
     "daily dose 40 mg per m² × 1.5 m² (body surface area given) = 60 mg; "
     "÷ 3 administrations a day = 20 mg each"),
    # 40 x 1.7 = 68 mg; 68 / 3 = 22.6667; / 5 = 4.53 -> 5 x 5 mg = 25 mg; 3 x 25 = 75 (+7).
    (f"daily_dose: 40 mg/m2, {THREE}, round: 5 mg, days: 1", {"bsa": "1.7 m2"}, "25 mg",
     "daily dose 40 mg per m² × 1.7 m² (body surface area given) = 68 mg; "
     "÷ 3 administrations a day = 22.6667 mg unrounded, rounded to the nearest multiple "
     "of 5 mg = 25 mg each; 3 × 25 mg = 75 mg a day, 7 mg more than the daily dose 68 mg "
     "(difference by rounding)"),
    # Flat 100 mg / 3 = 33.333...; / 0.5 = 66.67 -> 67 x 0.5 = 33.5 mg; 3 x 33.5 = 100.5 (+0.5).
    (f"daily_dose: 100 mg, divided: 3, {THREE}, round: 0.5 mg, days: 1", {}, "33.5 mg",
     "daily dose 100 mg (flat dose); ÷ 3 administrations a day = 33.3333 mg unrounded, "
     "rounded to the nearest multiple of 0.5 mg = 33.5 mg each; 3 × 33.5 mg = 100.5 mg a "
     "day, 0.5 mg more than the daily dose 100 mg (difference by rounding)"),
    # Rounded down: 66.67 -> 66 x 0.5 = 33 mg; 3 x 33 = 99 mg (1 mg less).
    (f"daily_dose: 100 mg, {THREE}, round: 0.5 mg, rounding: down, days: 1", {}, "33 mg",
     "daily dose 100 mg (flat dose); ÷ 3 administrations a day = 33.3333 mg unrounded, "
     "rounded down to a multiple of 0.5 mg = 33 mg each; 3 × 33 mg = 99 mg a day, 1 mg "
     "less than the daily dose 100 mg (difference by rounding)"),
    # 2 mg/kg x 70 kg = 140 mg in 2: 70 mg each, exact.
    ('daily_dose: 2 mg/kg, times: ["08:00", "20:00"], days: 1', {"weight": "70 kg"}, "70 mg",
     "daily dose 2 mg per kg × 70 kg = 140 mg; ÷ 2 administrations a day = 70 mg each"),
])
def test_each_administration_is_the_daily_dose_divided(
        course: str, participant: dict[str, Any], each: str, derivation: str) -> None:
    got = doses(load(course), **participant)
    n = 2 if "20:00\"]" in course and "14:00" not in course else 3
    assert got == [(each, derivation)] * n


def test_a_daily_dose_that_does_not_divide_exactly_needs_round() -> None:
    # 40 x 1.7 = 68 mg; 68 / 3 = 22.666... mg: never rounded silently.
    # Named at the daily_dose field of the file (line 12).
    with pytest.raises(DoseError, match=r"^r\.yaml:12: periods\[0\]\.courses\[0\]\.daily_dose: "
                       r"the daily dose 68 mg does not divide exactly into "
                       r"3 administrations; give 'round' \(e\.g\. 'round: 1 mg'\) to round "
                       r"each administration$"):
        doses(load(f"daily_dose: 40 mg/m2, {THREE}, days: 1"), bsa="1.7 m2")


def test_rounding_a_part_by_more_than_10_percent_warns() -> None:
    # 22.6667 -> 25 mg moves each part by 10.3%.
    regimen = load(f"daily_dose: 40 mg/m2, {THREE}, round: 5 mg, days: 1")
    with pytest.warns(regimens.RoundingWarning, match="moves each part of the daily dose"):
        regimen.expand("x", "2027-01-04", Participant(bsa="1.7 m2"))


def test_check_totals_are_exact() -> None:
    regimen = load(f"daily_dose: 40 mg/m2, {THREE}, round: 5 mg, days: 1-5")
    # Symbolic: 40 mg/m2 a day x 5 days = 200 mg per m2 (not 15 x 40 = 600).
    (summary,) = regimen.check().summaries
    assert summary.administrations == (15, 15)
    assert [(str(q.amount.magnitude), q.basis.value) for q in summary.totals] == [
        ("200", "per_m2")]
    # BSA 1.7 m2: 15 administrations x 25 mg = 375 mg (what is given, after rounding).
    (summary,) = regimen.check(Participant(bsa="1.7 m2")).summaries
    assert [q.amount.magnitude for q in summary.totals] == [D(375)]

