"""Ranged period lengths and treatment ends (dropout, progression) against their laws."""

from __future__ import annotations

import math
from typing import Any

import pytest

from regimens import ExpandOptionError

np = pytest.importorskip("numpy")

from regimens.supply import (  # noqa: E402
    CAUSES,
    LengthChoice,
    Treatment,
    choose_lengths,
    simulation_rng,
    treatment_ends,
)

N = 40000
K = 4
START = np.full(N, np.datetime64("2027-01-04"), dtype="datetime64[D]")


def _binomial_ok(flags: Any, p: float) -> None:
    assert abs(float(np.mean(flags)) - p) <= K * math.sqrt(p * (1 - p) / len(flags))


def test_uniform_lengths_in_weeks() -> None:
    # 12-18 weeks in whole weeks: 7 lengths, each with probability 1/7.
    days = choose_lengths(LengthChoice("run-in", 84, 126, step=7), 7000, simulation_rng(1, 0))
    assert days.dtype == np.int64
    assert set(days.tolist()) == set(range(84, 127, 7))
    for d in range(84, 127, 7):
        _binomial_ok(days == d, 1 / 7)


def test_uniform_lengths_in_days() -> None:
    days = choose_lengths(LengthChoice("gap", 0, 14), 3000, simulation_rng(1, 0))
    assert set(days.tolist()) == set(range(15))


def test_given_choices() -> None:
    # 12 weeks with weight 1, 18 weeks with weight 3: P(126 days) = 3/4.
    days = choose_lengths(LengthChoice("run-in", 84, 126, choices={84: 1, 126: 3}), 8000,
                          simulation_rng(2, 0))
    assert set(days.tolist()) == {84, 126}
    _binomial_ok(days == 126, 0.75)


def test_dropout_is_a_constant_weekly_hazard() -> None:
    # 10% a week: P(leaving in week 1) = 0.1, by week 2: 1 - 0.9^2 = 0.19, and of those
    # still on treatment after a week, 10% leave in the next one.
    end, cause = treatment_ends(Treatment(dropout=0.1), START, simulation_rng(3, 0))
    days = (end - START).astype(int)
    _binomial_ok(days < 7, 0.1)
    _binomial_ok(days < 14, 0.19)
    later = days >= 7
    _binomial_ok(days[later] < 14, 0.1)
    assert (cause == CAUSES.index("dropout")).all()


def test_progression_has_the_median() -> None:
    # Exponential with median 100 days: half progress before day 100, a quarter after 200.
    end, cause = treatment_ends(Treatment(progression=100), START, simulation_rng(4, 0))
    days = (end - START).astype(int)
    _binomial_ok(days < 100, 0.5)
    _binomial_ok(days >= 200, 0.25)
    assert (cause == CAUSES.index("progression")).all()


def test_first_of_dropout_and_progression() -> None:
    # Hazards per day: dropout -ln(0.9) / 7 = 0.0150515, progression ln 2 / 100 = 0.0069315.
    # P(ended within 7 days) = 1 - 0.9 * 2^(-7/100) = 1 - 0.9 * 0.952638 = 0.142626;
    # P(dropout first) = 0.0150515 / (0.0150515 + 0.0069315) = 0.684689.
    end, cause = treatment_ends(Treatment(dropout=0.1, progression=100), START,
                                simulation_rng(5, 0))
    days = (end - START).astype(int)
    _binomial_ok(days < 7, 0.142626)
    _binomial_ok(cause == CAUSES.index("dropout"), 0.684689)
    assert set(cause.tolist()) == {1, 2}


def test_no_end_without_a_model() -> None:
    end, cause = treatment_ends(Treatment(), START[:5], simulation_rng(6, 0))
    assert np.isnat(end).all()
    assert (cause == 0).all()


def test_hazards() -> None:
    # 0.5%/week: -ln(0.995) / 7 = 0.000716077 per day; median 70 days: ln 2 / 70 = 0.00990210.
    assert Treatment(dropout=0.005).hazards == pytest.approx((0.000716077, 0.0), rel=1e-6)
    assert Treatment(progression=70).hazards == pytest.approx((0.0, 0.00990210), rel=1e-6)


@pytest.mark.parametrize(("make", "option", "reason"), [
    (lambda: LengthChoice("", 1, 2), "period", "non-empty id"),
    (lambda: LengthChoice("p", -1, 2), "low", "at least 0"),
    (lambda: LengthChoice("p", 5, 2), "high", "at least low"),
    (lambda: LengthChoice("p", 84, 126, step=0), "step", "at least 1"),
    (lambda: LengthChoice("p", 84, 125, step=7), "step", "must divide high - low (41 days)"),
    (lambda: LengthChoice("p", 84, 126, choices={}), "choices", "map each length"),
    (lambda: LengthChoice("p", 84, 126, choices={127: 1}), "choices", "within 84-126 days"),
    (lambda: LengthChoice("p", 84, 126, choices={84: 0}), "choices.84", "greater than 0"),
    (lambda: LengthChoice("p", 84, 126, choices=((84, 1), (84, 2))), "choices",
     "given twice"),
    (lambda: LengthChoice("p", 84, 126, before_day_one=1), "before_day_one", "true or false"),
    (lambda: Treatment(dropout=1), "dropout", "up to but not including 1"),
    (lambda: Treatment(dropout=0.5 * 100), "dropout", "20% is 0.2"),
    (lambda: Treatment(progression=0), "progression", "greater than 0"),
])
def test_bad_specs_are_refused(make: Any, option: str, reason: str) -> None:
    with pytest.raises(ExpandOptionError) as info:
        make()
    assert info.value.option == option
    assert reason in info.value.reason
