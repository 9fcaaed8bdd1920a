"""Enrolment (Poisson and Poisson-gamma sites, uncertain activation, screen failures).

Statistical tests run many simulations with fixed seeds; each tolerance is a number of
standard errors worked out from the distribution the model states (in the comments),
never from the code's own output. With fixed seeds the tests are deterministic; the
tolerances say how far off a correct model could plausibly land (4 standard errors:
about 1 in 16,000 for a normal mean), so a wrong formula fails them.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from regimens import ExpandOptionError

np = pytest.importorskip("numpy")

from regimens.supply import (  # noqa: E402
    MAX_YEARS,
    ActivationDelay,
    Enrolment,
    Site,
    enrol,
    simulation_rng,
)

MONDAY = date(2027, 1, 4)
K = 4  # standard errors of tolerance


def _runs(spec: Enrolment, m: int, seed: int = 11) -> list[Any]:
    return [enrol(spec, simulation_rng(seed, i)) for i in range(m)]


def _within(sample: Any, mean: float, var: float, k: float = K) -> None:
    """The sample's mean is within k standard errors (sqrt(var / m)) of ``mean``."""
    se = math.sqrt(var / len(sample))
    assert abs(float(np.mean(sample)) - mean) <= k * se, (float(np.mean(sample)), mean, se)


def test_fixed_rate_counts_are_poisson() -> None:
    # 3 screened a week, no screen failures: arrivals in the first 10 weeks ~ Poisson(30),
    # mean 30 and variance 30. The sample size (60) is reached in 10 weeks with
    # probability P(Poisson(30) >= 60) < 1e-6, so the stop rule does not cut the count.
    spec = Enrolment((Site("a", MONDAY, 3),), sample_size=60)
    m = 2000
    counts = np.array([(r.time < 70).sum() for r in _runs(spec, m)])
    _within(counts, 30, 30)
    # The sample variance of m Poisson(30) counts: variance of s^2 is about 2 * 30^2 / m
    # (plus 30 / m for the fourth cumulant), so its standard error is about 0.96.
    se = math.sqrt((2 * 30**2 + 30) / m)
    assert abs(float(counts.var(ddof=1)) - 30) <= K * se


def test_poisson_gamma_counts_are_overdispersed() -> None:
    # Site a: rate drawn from a gamma with mean 3/week and shape 2. Its arrivals in the first
    # 10 weeks are negative binomial: mean 3 * 10 = 30, variance 30 + 30^2 / 2 = 480, where a
    # fixed rate gives 30. Site b (50/week, opening on week 10) completes the sample size
    # quickly whatever a's rate, so no simulation runs for years.
    spec = Enrolment((Site("a", MONDAY, 3, shape=2),
                      Site("b", date(2027, 3, 15), 50)), sample_size=400)
    m = 2000
    runs = _runs(spec, m)
    counts = np.array([((r.site == 0) & (r.time < 70)).sum() for r in runs])
    _within(counts, 30, 480)
    var = float(counts.var(ddof=1))
    # Far above Poisson's 30; within 20% of 480 (its standard error is about 5% here:
    # sqrt((kurtosis - 1) / m) with the gamma's excess kurtosis 6 / 2 = 3).
    assert var > 4 * 30
    assert abs(var - 480) <= 0.2 * 480
    rates = np.array([r.rate[0] for r in runs])
    _within(rates, 3, 3**2 / 2)  # gamma: mean 3, variance mean^2 / shape = 4.5
    assert all(r.rate[1] == 50 for r in runs)  # fixed rates are used as given


def test_gamma_from_sd() -> None:
    # sd 1.5 per week with mean 3: shape (3 / 1.5)^2 = 4, rate variance 1.5^2 = 2.25.
    site = Site("a", MONDAY, 3, sd=Decimal("1.5"))
    assert site.alpha == 4
    spec = Enrolment((site, Site("b", MONDAY, 50)), sample_size=5)
    rates = np.array([r.rate[0] for r in _runs(spec, 2000)])
    _within(rates, 3, 2.25)
    _within((rates - 3) ** 2, 2.25, 2 * 2.25**2 + 6 / 4 * 2.25**2)  # var of (x-mu)^2


def test_screen_failures_are_not_counted() -> None:
    # 20% fail screening. Screening stops at the 60th randomised participant, so failures
    # before it are negative binomial: mean 60 * 0.2 / 0.8 = 15, variance 60 * 0.2 / 0.8^2
    # = 18.75.
    spec = Enrolment((Site("a", MONDAY, 3), Site("b", MONDAY, 1)), sample_size=60,
                     screen_failure=0.2)
    runs = _runs(spec, 2000)
    assert all(len(r.site) == 60 for r in runs)
    failures = np.array([int(r.screened.sum()) - 60 for r in runs])
    _within(failures, 15, 18.75)
    # Randomised per site never exceeds screened per site.
    assert all((np.bincount(r.site, minlength=2) <= r.screened).all() for r in runs)


def test_sites_share_by_rate() -> None:
    # Superposed Poisson processes opened together: each arrival is from site b with
    # probability 3 / (1 + 3) = 0.75, independently. 200 runs x 40 = 8000 arrivals.
    spec = Enrolment((Site("a", MONDAY, 1), Site("b", MONDAY, 3)), sample_size=40)
    sites = np.concatenate([r.site for r in _runs(spec, 200)])
    _within(sites, 0.75, 0.75 * 0.25)


def test_uncertain_activation_is_uniform() -> None:
    # Activation 7 to 13 days after 2027-02-01, uniformly over 7 whole days: mean day 10,
    # variance (7^2 - 1) / 12 = 4. Nobody arrives at a site before it is active.
    spec = Enrolment((Site("a", MONDAY, 2),
                      Site("b", date(2027, 2, 1), 5, delay=ActivationDelay(7, 13))),
                     sample_size=30)
    runs = _runs(spec, 1000)
    days = np.array([(r.activation[1] - np.datetime64("2027-02-01")).astype(int) for r in runs])
    assert set(days.tolist()) == set(range(7, 14))
    _within(days, 10, 4)
    for r in runs:
        assert r.activation[0] == np.datetime64(MONDAY)
        assert (r.entry >= r.activation[r.site]).all()


def test_entries_are_in_order_and_dated() -> None:
    spec = Enrolment((Site("a", MONDAY, 2), Site("b", date(2027, 1, 11), 4, shape=3)),
                     sample_size=100, screen_failure=Decimal("0.1"))
    r = enrol(spec, simulation_rng(3, 0))
    assert len(r.site) == len(r.time) == len(r.entry) == 100
    assert (np.diff(r.time) >= 0).all()
    assert r.origin == MONDAY
    days = (r.entry - np.datetime64(MONDAY)).astype(int)
    assert (days == np.floor(r.time)).all()
    assert r.entry.dtype == np.dtype("datetime64[D]")


def test_reproducible_and_independent() -> None:
    spec = Enrolment((Site("a", MONDAY, 2, shape=2), Site("b", MONDAY, 4)), sample_size=50,
                     screen_failure=0.2)
    one, two = enrol(spec, simulation_rng(5, 3)), enrol(spec, simulation_rng(5, 3))
    for name in ("site", "time", "entry", "activation", "rate", "screened"):
        assert np.array_equal(getattr(one, name), getattr(two, name))
    other = enrol(spec, simulation_rng(5, 4))
    assert not np.array_equal(one.time, other.time)


def test_simulation_rng_is_the_spawned_child() -> None:
    children = np.random.SeedSequence(7).spawn(5)
    for i, child in enumerate(children):
        expected = np.random.default_rng(child).random(4)
        assert np.array_equal(simulation_rng(7, i).random(4), expected)
    # Seeds are distinct streams: different seeds, same index.
    assert not np.array_equal(simulation_rng(7, 0).random(4), simulation_rng(8, 0).random(4))


def test_unreachable_sample_size_is_refused() -> None:
    spec = Enrolment((Site("a", MONDAY, 0.001),), sample_size=1000)
    with pytest.raises(ExpandOptionError) as info:
        enrol(spec, simulation_rng(1, 0))
    assert info.value.option == "sample_size"
    assert f"not reached within {MAX_YEARS} years" in str(info.value)


@pytest.mark.parametrize(("make", "option", "reason"), [
    (lambda: Site("", MONDAY, 1), "id", "non-empty id"),
    (lambda: Site(" a", MONDAY, 1), "id", "without surrounding spaces"),
    (lambda: Site("a", "2027-01-04", 1), "opens", "calendar date"),
    (lambda: Site("a", MONDAY, 0), "rate", "greater than 0"),
    (lambda: Site("a", MONDAY, -1.5), "rate", "greater than 0"),
    (lambda: Site("a", MONDAY, float("nan")), "rate", "finite"),
    (lambda: Site("a", MONDAY, "1.5/week"), "rate", "must be a number"),
    (lambda: Site("a", MONDAY, True), "rate", "must be a number"),
    (lambda: Site("a", MONDAY, 1, shape=0), "shape", "greater than 0"),
    (lambda: Site("a", MONDAY, 1, sd=-1), "sd", "greater than 0"),
    (lambda: Site("a", MONDAY, 1, shape=2, sd=1), "sd", "not both"),
    (lambda: Site("a", MONDAY, 1, delay=(0, 3)), "delay", "ActivationDelay"),
    (lambda: ActivationDelay(-1, 3), "low", "at least 0"),
    (lambda: ActivationDelay(5, 3), "high", "at least low"),
    (lambda: ActivationDelay(0, 2.5), "high", "whole number"),
    (lambda: Enrolment((), 10), "sites", "at least one site"),
    (lambda: Enrolment("paris", 10), "sites", "list of sites"),
    (lambda: Enrolment(({"id": "a"},), 10), "sites[0]", "must be a Site"),
    (lambda: Enrolment((Site("a", MONDAY, 1), Site("a", MONDAY, 2)), 10), "sites[1].id",
     "another site"),
    (lambda: Enrolment((Site("a", MONDAY, 1),), 0), "sample_size", "at least 1"),
    (lambda: Enrolment((Site("a", MONDAY, 1),), 10.0), "sample_size", "whole number"),
    (lambda: Enrolment((Site("a", MONDAY, 1),), 10, 1), "screen_failure", "up to but not"),
    (lambda: Enrolment((Site("a", MONDAY, 1),), 10, 20), "screen_failure", "20% is 0.2"),
    (lambda: Enrolment((Site("a", MONDAY, 1),), 10, -0.1), "screen_failure", "proportion"),
])
def test_bad_specs_are_refused(make: Any, option: str, reason: str) -> None:
    with pytest.raises(ExpandOptionError) as info:
        make()
    assert info.value.option == option
    assert reason in info.value.reason
