"""Relative dose intensity (Hryniuk 1984) against hand-computed values."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regimens.record import intensity_band, relative_dose_intensity

START = date(2027, 1, 4)


def cycles(n: int, amount: int, every: int = 21, late: dict[int, int] | None = None
           ) -> list[tuple[date, Decimal]]:
    """n doses every ``every`` days; ``late``: cycle index -> days later (and every later)."""
    out, shift = [], 0
    for i in range(n):
        shift += (late or {}).get(i, 0)
        out.append((START + timedelta(days=i * every + shift), Decimal(amount)))
    return out


def test_on_time_and_in_full_is_100_percent() -> None:
    rdi = relative_dose_intensity(cycles(6, 60), cycles(6, 60), 21)
    assert rdi.percent == 100
    assert rdi.ratio == 100
    assert (rdi.actual_days, rdi.planned_days) == (126, 126)  # 5 x 21 + 21
    assert rdi.band == ">= 85%"


def test_a_delay_lowers_the_intensity_not_the_total() -> None:
    # Cycle 3 a week late and the rest with it: 360 mg over 5 x 21 + 7 + 21 = 133 days
    # against 360 mg over 126 days: 126 / 133 = 94.7368...%.
    rdi = relative_dose_intensity(cycles(6, 60, late={2: 7}), cycles(6, 60), 21)
    assert rdi.actual_days == 133
    assert str(rdi.percent)[:7] == "94.7368"
    assert rdi.ratio == 100


def test_a_reduction_lowers_both() -> None:
    # 2 x 100 + 4 x 80 = 520 of 600 on time: 86.666...%.
    delivered = cycles(2, 100) + [(d, Decimal(80)) for d, _ in cycles(6, 80)[2:]]
    rdi = relative_dose_intensity(delivered, cycles(6, 100), 21)
    assert rdi.percent == rdi.ratio
    assert str(rdi.percent)[:7] == "86.6666"
    assert rdi.band == ">= 85%"


def test_missed_doses_and_delays_together() -> None:
    # Planned 4 x 100 over 84 days. Given: cycles 1, 2 and 4 (cycle 3 missed), cycle 4 two
    # weeks late: 300 over (63 + 14) + 21 = 98 days. (300 / 98) / (400 / 84) = 64.2857...%.
    delivered = [(START, Decimal(100)), (START + timedelta(21), Decimal(100)),
                 (START + timedelta(77), Decimal(100))]
    rdi = relative_dose_intensity(delivered, cycles(4, 100), 21)
    assert rdi.actual_days == 98
    assert str(rdi.percent)[:7] == "64.2857"
    assert rdi.band == "< 65%"
    assert rdi.ratio == 75


def test_nothing_delivered_has_no_rdi() -> None:
    rdi = relative_dose_intensity([], cycles(3, 60), 21)
    assert (rdi.percent, rdi.ratio, rdi.band, rdi.actual_days) == (None, 0, None, None)
    assert relative_dose_intensity([], [], 21).ratio is None


def test_a_treatment_that_ended_with_nothing_delivered_is_at_zero() -> None:
    # 3 doses of 60 planned every 21 days, none given, none still planned: nothing over
    # the planned 42 + 21 = 63 days, (0 / 63) / (180 / 63) = 0%, in the lowest band.
    rdi = relative_dose_intensity([], cycles(3, 60), 21, at_least_planned=True)
    assert (rdi.percent, rdi.shown, rdi.band) == (0, Decimal("0.0"), "< 65%")
    assert (rdi.actual_days, rdi.planned_days, rdi.at_least_planned) == (63, 63, True)
    assert rdi.ratio == 0
    # Nothing planned either: nothing to compare with, still undefined.
    assert relative_dose_intensity([], [], 21, at_least_planned=True).percent is None


@pytest.mark.parametrize(("percent", "band"), [
    ("457.9", "> 100%"), ("100.01", "> 100%"), ("100", ">= 85%"), ("85", ">= 85%"),
    ("84.99", "65-85%"), ("65", "65-85%"),
    ("64.99", "< 65%"), ("0", "< 65%"),
])
def test_bands_at_their_edges(percent: str, band: str) -> None:
    assert intensity_band(Decimal(percent)) == band


@given(st.integers(1, 12), st.integers(1, 500), st.integers(7, 28), st.integers(0, 30))
def test_a_uniform_delay_of_every_cycle_never_raises_the_intensity(
        n: int, amount: int, every: int, late: int) -> None:
    rdi = relative_dose_intensity(cycles(n, amount, every, {1: late} if n > 1 else {}),
                                  cycles(n, amount, every), every)
    assert rdi.percent is not None
    assert rdi.percent <= 100
    assert rdi.ratio == 100
