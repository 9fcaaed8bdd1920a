"""Cohort columns against values worked out by hand, never against expand's own output.

test_cohort.py compares the cohort with ``expand`` row by row, which is a useful
differential test, but most layout columns (study_day, period, drug, course, cycle,
cycle_day, step) are copied from ``expand``'s administrations, so it could not catch a
layout error the two share. Here every expected column is written out: study days from the
protocol text, dates from a calendar (2027 is not a leap year, 2028 is), doses by
arithmetic in the comments.
"""

from __future__ import annotations

from typing import Any

import pytest

import regimens
from support import load

np = pytest.importorskip("numpy")

from regimens.cohort import Cohort, expand_cohort  # noqa: E402

MONDAY = "2027-01-04"


def _dates(*texts: str) -> Any:
    return np.array(texts, dtype="datetime64[D]")


def _labels(cohort: Cohort, columns: dict[str, Any], kind: str) -> list[str]:
    return [cohort.categories[kind][c] for c in columns[kind]]


def test_days_1_to_5_every_28_days_for_3_cycles() -> None:
    regimen = load("""\
        periods:
          - id: t
            length: 12 weeks
            courses:
              - {drug: il2, dose: 1 MIU, cycle: 28 days, days: 1-5, cycles: 3}
        """)
    # Monday 4 January 2027, and 27 February 2028 (a leap year: 29 February is Day 3).
    cohort = expand_cohort(regimen, "a", [MONDAY, "2028-02-27"])
    columns = cohort.to_numpy()
    days = [1, 2, 3, 4, 5, 29, 30, 31, 32, 33, 57, 58, 59, 60, 61]
    assert columns["participant"].tolist() == [0] * 15 + [1] * 15
    assert columns["study_day"].tolist() == days * 2
    assert columns["cycle"].tolist() == ([1] * 5 + [2] * 5 + [3] * 5) * 2
    assert columns["cycle_day"].tolist() == [1, 2, 3, 4, 5] * 6
    assert columns["course"].tolist() == [0] * 30
    assert columns["step"].tolist() == [-1] * 30
    assert _labels(cohort, columns, "period") == ["t"] * 30
    assert _labels(cohort, columns, "drug") == ["il2"] * 30
    assert cohort.drug_names == ("aldesleukin",)
    assert columns["amount"].tolist() == [1.0] * 30
    assert _labels(cohort, columns, "unit") == ["MIU"] * 30
    assert not columns["placebo"].any()
    assert not columns["blinded"].any()
    assert np.isnat(columns["time"]).all()
    assert np.array_equal(columns["date"], _dates(
        # Day 29 = 4 Jan + 28 = 1 Feb; Day 57 = 1 Feb + 28 = 1 Mar (February 2027 has 28 days).
        "2027-01-04", "2027-01-05", "2027-01-06", "2027-01-07", "2027-01-08",
        "2027-02-01", "2027-02-02", "2027-02-03", "2027-02-04", "2027-02-05",
        "2027-03-01", "2027-03-02", "2027-03-03", "2027-03-04", "2027-03-05",
        # Day 29 = 27 Feb + 28 = 26 Mar (February 2028 has 29 days); Day 57 = 23 Apr.
        "2028-02-27", "2028-02-28", "2028-02-29", "2028-03-01", "2028-03-02",
        "2028-03-26", "2028-03-27", "2028-03-28", "2028-03-29", "2028-03-30",
        "2028-04-23", "2028-04-24", "2028-04-25", "2028-04-26", "2028-04-27",
    ))
    assert [cohort.rows_of(0), cohort.rows_of(1)] == [slice(0, 15), slice(15, 30)]


def test_per_kg_amounts_are_rounded_then_capped() -> None:
    regimen = load("""\
        periods:
          - id: t
            length: 1 week
            courses:
              - {drug: pred, dose: 1 mg/kg, round: 5 mg, max: 60 mg, days: [1, 3],
                 times: ["08:00"]}
        """)
    # 42.4 mg -> 8.48 multiples of 5 -> 8 -> 40 mg; 57.5 -> 11.5 -> 12 (half up) -> 60 mg;
    # 63 -> 12.6 -> 13 -> 65 -> capped at 60 mg; 57.4 -> 11.48 -> 11 -> 55 mg.
    cohort = expand_cohort(regimen, "a", [MONDAY] * 4, weights=[42.4, 57.5, 63.0, 57.4])
    columns = cohort.to_numpy()
    assert columns["amount"].tolist() == [40.0, 40.0, 60.0, 60.0, 60.0, 60.0, 55.0, 55.0]
    assert _labels(cohort, columns, "unit") == ["mg"] * 8
    assert columns["study_day"].tolist() == [1, 3] * 4
    assert np.array_equal(columns["date"], _dates(*["2027-01-04", "2027-01-06"] * 4))
    assert columns["time"].tolist() == [np.timedelta64(8 * 60, "m")] * 8


@pytest.mark.parametrize(("decimals", "expected"), [
    # Mosteller sqrt(H x W / 3600): 180 x 68.0805 / 3600 = 3.404025 = 1.845^2;
    # 160 x 90 / 3600 = 4 = 2^2; 100 x 36 / 3600 = 1; 180 x 67.3445 / 3600 = 3.367225 = 1.835^2;
    # 180 x 92.8805 / 3600 = 4.644025 = 2.155^2 (float64 alone gives 2.15499... and 2.15).
    (2, [185.0, 200.0, 100.0, 184.0, 216.0]),  # 1.85, 2, 1, 1.84, 2.16 m2 x 100 mg/m2
    (1, [180.0, 200.0, 100.0, 180.0, 220.0]),  # 1.8, 2, 1, 1.8, 2.2 m2
    (3, [184.5, 200.0, 100.0, 183.5, 215.5]),  # unrounded: 1.845, 2, 1, 1.835, 2.155 m2
])
def test_per_m2_amounts_from_bsa_on_rounding_boundaries(decimals: int,
                                                          expected: list[float]) -> None:
    regimen = load("""\
        periods:
          - id: t
            length: 1 week
            courses:
              - {drug: il2, dose: 100 mg/m2, days: [1]}
        """)
    cohort = expand_cohort(regimen, "a", [MONDAY] * 5,
                           heights=[180.0, 160.0, 100.0, 180.0, 180.0],
                           weights=[68.0805, 90.0, 36.0, 67.3445, 92.8805],
                           bsa_decimals=decimals)
    assert cohort.to_numpy(["amount"])["amount"].tolist() == expected


def test_per_m2_amounts_from_bsas_given() -> None:
    regimen = load("""\
        periods:
          - id: t
            length: 1 week
            courses:
              - {drug: il2, dose: 100 mg/m2, days: [1]}
        """)
    # Given BSAs are used as given, not rounded: 1.845 x 100 = 184.5 mg, 2.1 x 100 = 210 mg.
    cohort = expand_cohort(regimen, "a", [MONDAY] * 2, bsas=[1.845, 2.1])
    assert cohort.to_numpy(["amount"])["amount"].tolist() == [184.5, 210.0]


def test_weekday_pattern_depends_on_the_start_weekday() -> None:
    regimen = load("""\
        periods:
          - id: t
            length: 2 weeks
            courses:
              - {drug: pred, dose: 5 mg, weekdays: [mon], times: ["08:00", "20:00"]}
        """)
    # Monday 4 Jan: Days 1 and 8. Wednesday 6 Jan: the Mondays are 11 Jan (Day 6) and
    # 18 Jan (Day 13). Monday 11 Jan: Days 1 and 8 again, a week later.
    cohort = expand_cohort(regimen, "a", [MONDAY, "2027-01-06", "2027-01-11"])
    columns = cohort.to_numpy()
    assert columns["participant"].tolist() == [0] * 4 + [1] * 4 + [2] * 4
    assert columns["study_day"].tolist() == [1, 1, 8, 8, 6, 6, 13, 13, 1, 1, 8, 8]
    assert np.array_equal(columns["date"], _dates(
        "2027-01-04", "2027-01-04", "2027-01-11", "2027-01-11",
        "2027-01-11", "2027-01-11", "2027-01-18", "2027-01-18",
        "2027-01-11", "2027-01-11", "2027-01-18", "2027-01-18"))
    morning, evening = np.timedelta64(8 * 60, "m"), np.timedelta64(20 * 60, "m")
    assert columns["time"].tolist() == [morning, evening] * 6
    assert columns["cycle"].tolist() == [-1] * 12
    assert columns["cycle_day"].tolist() == [-1] * 12


def test_escalation_steps_are_numbered_from_1() -> None:
    regimen = load("""\
        periods:
          - id: t
            length: 6 weeks
            courses:
              - drug: il2
                cycle: 14 days
                days: 1-2
                steps:
                  - {dose: 1 MIU, cycles: 1}
                  - {dose: 2 MIU, cycles: 2}
        """)
    cohort = expand_cohort(regimen, "a", [MONDAY])
    columns = cohort.to_numpy()
    assert columns["study_day"].tolist() == [1, 2, 15, 16, 29, 30]
    assert columns["cycle"].tolist() == [1, 1, 2, 2, 3, 3]
    assert columns["cycle_day"].tolist() == [1, 2, 1, 2, 1, 2]
    assert columns["step"].tolist() == [1, 1, 2, 2, 2, 2]
    assert columns["amount"].tolist() == [1.0, 1.0, 2.0, 2.0, 2.0, 2.0]


def test_run_in_before_day_one_with_a_length_per_participant() -> None:
    regimen = load("""\
        day_one: treatment
        periods:
          - id: run-in
            length: 1-2 weeks
            courses:
              - {drug: pred, dose: 5 mg, every: 1 week}
          - id: treatment
            length: 1 week
            blinded: true
            courses:
              - {drug: treg, dose: 1e6 cells, days: [1]}
              - {drug: il2, arms: [a], dose: 1 MIU, days: [1]}
              - {drug: il2, arms: [b], placebo: true, days: [1]}
        """)
    starts = [MONDAY, MONDAY]
    lengths = {"run-in": ["1 week", "2 weeks"]}
    # Participant 0: run-in Days -7..-1, pred on its first day (Day -7 = 28 Dec 2026).
    # Participant 1: run-in Days -14..-1, pred on Days -14 and -7 (21 and 28 Dec 2026).
    # Both: treg, then il2 (course order), on Day 1 = 4 Jan 2027; there is no Day 0.
    for arm, placebo in (("a", False), ("b", True)):
        cohort = expand_cohort(regimen, arm, starts, lengths=lengths)
        columns = cohort.to_numpy()
        assert columns["study_day"].tolist() == [-7, 1, 1, -14, -7, 1, 1]
        assert np.array_equal(columns["date"], _dates(
            "2026-12-28", "2027-01-04", "2027-01-04",
            "2026-12-21", "2026-12-28", "2027-01-04", "2027-01-04"))
        assert _labels(cohort, columns, "period") == [
            "run-in", "treatment", "treatment", "run-in", "run-in", "treatment", "treatment"]
        assert _labels(cohort, columns, "drug") == [
            "pred", "treg", "il2", "pred", "pred", "treg", "il2"]
        il2_course = 1 if arm == "a" else 2  # the treatment period's second or third course
        assert columns["course"].tolist() == [0, 0, il2_course, 0, 0, 0, il2_course]
        assert columns["blinded"].tolist() == [False, True, True, False, False, True, True]
        assert columns["placebo"].tolist() == [
            False, False, placebo, False, False, False, placebo]
        il2 = 1.0 if not placebo else None
        amounts = [None if np.isnan(x) else x for x in columns["amount"].tolist()]
        assert amounts == [5.0, 1e6, il2, 5.0, 5.0, 1e6, il2]
        assert _labels(cohort, columns, "unit")[:2] == ["mg", "cells"]


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"weights": [70.0, 7000.0]}, regimens.ParticipantError,
     # The message of Participant(weight=...), with the participant's index.
     "weight: participant 1: 7000 kg is not a plausible weight (allowed: 0.5 to 400 kg); check "
     "the number and its unit (got 7000.0)"),
    ({"weights": [float("nan"), 70.0]}, regimens.ParticipantError,
     "weight: participant 0: weight must be a finite number (got nan)"),
    ({"heights": [175.0, 17.5], "weights": [70.0, 70.0]}, regimens.ParticipantError,
     "height: participant 1: 17.5 cm is not a plausible height (allowed: 30 to 250 cm); check "
     "the number and its unit (got 17.5)"),
    ({"bsas": [1.8, 5.0]}, regimens.ParticipantError,
     "bsa: participant 1: 5 m2 is not a plausible body surface area (allowed: 0.1 to 4 m2); "
     "check the number and its unit (got 5.0)"),
    ({"heights": [175.0, 180.0]}, regimens.MissingMeasurementError,
     "weight: a per-m2 dose needs the participants' heights and weights (heights=..., "
     "weights=...) or body surface areas (bsas=...)"),
    ({}, regimens.MissingMeasurementError,
     "height: a per-m2 dose needs the participants' heights and weights (heights=..., "
     "weights=...) or body surface areas (bsas=...)"),
])
def test_measurement_errors_name_the_participant(kwargs: dict[str, Any], error: type[Exception],
                                                  message: str) -> None:
    regimen = load("""\
        periods:
          - id: t
            length: 1 week
            courses:
              - {drug: il2, dose: 100 mg/m2, days: [1]}
              - {drug: pred, dose: 1 mg/kg, days: [1]}
        """)
    with pytest.raises(error) as caught:
        expand_cohort(regimen, "a", [MONDAY, MONDAY], **kwargs)
    assert str(caught.value) == message


def test_missing_weight_for_a_per_kg_dose() -> None:
    regimen = load("""\
        periods:
          - id: t
            length: 1 week
            courses:
              - {drug: pred, dose: 1 mg/kg, days: [1]}
        """)
    with pytest.raises(regimens.MissingMeasurementError) as caught:
        expand_cohort(regimen, "a", [MONDAY], bsas=[1.8])
    assert str(caught.value) == ("weight: a per-kg dose needs the participants' weights "
                                 "(weights=...)")
    assert caught.value.needed == ("weight",)


@pytest.mark.parametrize(("starts", "message"), [
    ([MONDAY, "2027-13-01"],
     "starts[1]: not a calendar date; write YYYY-MM-DD, e.g. 2027-01-04 (got '2027-13-01')"),
    ([MONDAY, 20270104],
     "starts[1]: not a calendar date; write YYYY-MM-DD, e.g. 2027-01-04 (got 20270104)"),
    (MONDAY, "starts: give one start date per participant (a sequence) (got '2027-01-04')"),
], ids=["not-a-date", "a-number", "one-text"])
def test_starts_are_read_by_the_engine_rule(starts: Any, message: str) -> None:
    with pytest.raises(regimens.ExpandOptionError) as caught:
        expand_cohort(regimens.load("imodals"), "placebo", starts)
    assert str(caught.value) == message


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"arm": "nope"}, "arm: no such arm in 'imodals'; arms: il2-1miu, il2-2miu, placebo "
                      "(got 'nope')"),
    ({"bsa_formula": "dubios"}, "bsa_formula: unknown formula; allowed: mosteller, dubois, "
                                "haycock, gehan-george, boyd (got 'dubios')"),
    ({"bsa_decimals": 0}, "bsa_decimals: a whole number from 1 to 6 (got 0)"),
])
def test_options_are_checked_by_the_engine_rule(kwargs: dict[str, Any], message: str) -> None:
    options: dict[str, Any] = {"arm": "placebo", **kwargs}
    with pytest.raises(regimens.ExpandOptionError) as caught:
        # Checked even for an empty cohort, before any layout.
        expand_cohort(regimens.load("imodals"), starts=[], **options)
    assert str(caught.value) == message


@pytest.mark.parametrize(("columns", "participants", "message"), [
    (["date", "dose"], None, "columns: unknown column; columns: participant, arm, study_day, "
     "date, time, at, period, drug, course, cycle, cycle_day, step, amount, unit, placebo, "
     "blinded (got 'dose')"),
    (None, [2, 1], "participants: give a slice or increasing indices"),
    (None, [0, 5], "participants: give a slice or increasing indices"),
    (None, "all", "participants: give a slice or increasing indices"),
], ids=["unknown-column", "decreasing", "out-of-range", "text"])
def test_to_numpy_raises_library_errors(columns: Any, participants: Any, message: str) -> None:
    cohort = expand_cohort(regimens.load("imodals"), "placebo", [MONDAY, MONDAY, MONDAY])
    with pytest.raises(regimens.ExpandOptionError) as caught:
        cohort.to_numpy(columns, participants=participants)
    assert isinstance(caught.value, regimens.RegimenError)
    assert isinstance(caught.value, ValueError)  # callers catching ValueError keep working
    assert str(caught.value) == message

