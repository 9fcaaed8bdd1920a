"""Randomisation by permuted blocks stratified by site: exact balance, uniform orders."""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regimens import ExpandOptionError

np = pytest.importorskip("numpy")

from regimens.supply import Randomisation, randomise, simulation_rng  # noqa: E402


@pytest.mark.parametrize(("arms", "block", "per_block"), [
    ({"il2": 1, "placebo": 1}, None, (2, 2)),        # default block: 2 x (1 + 1) = 4
    ({"il2": 1, "placebo": 1}, 2, (1, 1)),
    ({"il2": 1, "placebo": 1}, 6, (3, 3)),
    ({"high": 2, "low": 1}, None, (4, 2)),           # 2 x (2 + 1) = 6
    ({"high": 2, "low": 1}, 3, (2, 1)),
    ({"a": 1, "b": 1, "c": 1}, 9, (3, 3, 3)),
    ({"only": 3}, None, (6,)),
])
def test_block_sizes(arms: dict[str, int], block: int | None, per_block: tuple[int, ...]) -> None:
    spec = Randomisation(arms, block)
    assert spec.per_block == per_block
    assert spec.block == sum(per_block)
    assert spec.ids == tuple(arms)
    assert spec.arms == tuple(arms.items())


@settings(max_examples=60, deadline=None)
@given(sites=st.lists(st.integers(0, 3), max_size=120),
       ratio=st.sampled_from([{"a": 1, "b": 1}, {"a": 2, "b": 1}, {"a": 1, "b": 2, "c": 1}]),
       blocks=st.integers(1, 3), seed=st.integers(0, 2**32))
def test_every_completed_block_is_exactly_balanced(sites: list[int], ratio: dict[str, int],
                                                   blocks: int, seed: int) -> None:
    spec = Randomisation(ratio, blocks * sum(ratio.values()))
    site = np.array(sites, dtype=np.int64)
    arm = randomise(spec, site, 4, simulation_rng(seed, 0))
    assert arm.shape == site.shape
    size = spec.block
    assert size is not None
    for s in range(4):
        mine = arm[site == s]
        for start in range(0, len(mine), size):
            counts = np.bincount(mine[start:start + size], minlength=len(ratio))
            if start + size <= len(mine):
                assert tuple(counts) == spec.per_block   # a completed block: exact
            else:
                assert (counts <= spec.per_block).all()   # the open block: never over


def test_block_orders_are_uniform() -> None:
    # 1:1, blocks of 4: each of the C(4, 2) = 6 orders has probability 1/6. 3000 blocks
    # (one site, 12000 participants): each order's count is binomial(3000, 1/6), mean 500,
    # sd sqrt(3000 * 1/6 * 5/6) = 20.4.
    spec = Randomisation({"a": 1, "b": 1})
    arm = randomise(spec, np.zeros(12000, dtype=np.int64), 1, simulation_rng(2, 0))
    blocks = [tuple(b) for b in arm.reshape(-1, 4).tolist()]
    orders = {o: blocks.count(o) for o in set(itertools.permutations((0, 0, 1, 1)))}
    assert len(orders) == 6
    sd = math.sqrt(3000 / 6 * 5 / 6)
    for order, n in orders.items():
        assert abs(n - 500) <= 4 * sd, (order, n)


def test_sites_are_stratified() -> None:
    # Interleaved sites: each site's own sequence is balanced after each of its blocks,
    # whatever the order across sites.
    site = np.array([0, 1, 1, 0, 2, 1, 0, 0, 1, 2, 2, 2], dtype=np.int64)
    arm = randomise(Randomisation({"a": 1, "b": 1}), site, 3, simulation_rng(1, 0))
    for s in range(3):
        assert np.bincount(arm[site == s][:4], minlength=2).tolist() == [2, 2]


def test_reproducible() -> None:
    spec = Randomisation({"a": 2, "b": 1})
    site = np.array([0, 1, 0, 1, 1, 0, 0, 0, 1], dtype=np.int64)
    one = randomise(spec, site, 2, simulation_rng(9, 1))
    assert np.array_equal(one, randomise(spec, site, 2, simulation_rng(9, 1)))
    assert randomise(spec, np.array([], dtype=np.int64), 2, simulation_rng(9, 1)).size == 0


@pytest.mark.parametrize(("make", "option", "reason"), [
    (lambda: Randomisation({}), "arms", "at least one arm"),
    (lambda: Randomisation(["il2", "placebo"]), "arms", "map each arm id"),
    (lambda: Randomisation({"il2": 0, "placebo": 1}), "arms.il2", "at least 1"),
    (lambda: Randomisation({"il2": 1.5, "placebo": 1}), "arms.il2", "whole number"),
    (lambda: Randomisation({"": 1}), "arms", "non-empty id"),
    (lambda: Randomisation((("a", 1), ("a", 1))), "arms", "given twice"),
    (lambda: Randomisation({"a": 1, "b": 1}, 3), "block", "multiple of the sum of the "
     "ratios (2)"),
    (lambda: Randomisation({"a": 2, "b": 1}, 0), "block", "at least 1"),
])
def test_bad_specs_are_refused(make: Any, option: str, reason: str) -> None:
    with pytest.raises(ExpandOptionError) as info:
        make()
    assert info.value.option == option
    assert reason in info.value.reason


def test_bad_site_codes_are_refused() -> None:
    with pytest.raises(ExpandOptionError, match="site index from 0 to 1"):
        randomise(Randomisation({"a": 1}), np.array([0, 2]), 2, simulation_rng(0, 0))
