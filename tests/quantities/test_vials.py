"""The vial rule (least waste, then fewest vials, then the larger sizes) against hand-computed
combinations and a brute-force oracle that tries every combination."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import regimens
from regimens.quantities import (
    MAX_VIAL_SUMS,
    Amount,
    VialCombination,
    least_waste_vials,
    parse_amount,
    unit,
    whole_vial_amounts,
)


def _a(text: str) -> Amount:
    return parse_amount(text)


def _vials(result: VialCombination) -> list[tuple[str, int]]:
    return [(str(size), n) for size, n in result.vials]


# dose, sizes, expected vials (largest first), total, waste: each worked out by hand.
CASES = [
    # 500 + 100 = 600 (waste 50); 6 x 100 = 600 has the same waste but more vials.
    ("550 mg", ["100 mg", "500 mg"], [("500 mg", 1), ("100 mg", 1)], "600 mg", "50 mg"),
    # 4 x 100 = 400 wastes nothing; one 500 mg vial would waste 100 mg.
    ("400 mg", ["100 mg", "500 mg"], [("100 mg", 4)], "400 mg", "0 mg"),
    # 450: 5 x 100 and 1 x 500 both waste 50 mg: the tie goes to fewer vials.
    ("450 mg", ["100 mg", "500 mg"], [("500 mg", 1)], "500 mg", "50 mg"),
    # Exactly one large vial, not five small ones.
    ("500 mg", ["500 mg", "100 mg"], [("500 mg", 1)], "500 mg", "0 mg"),
    ("1 mg", ["100 mg", "500 mg"], [("100 mg", 1)], "100 mg", "99 mg"),
    ("1000 mg", ["100 mg", "500 mg"], [("500 mg", 2)], "1000 mg", "0 mg"),
    # Just over a whole vial: 500.001 mg needs a second vial (100 mg, waste 99.999).
    ("500.001 mg", ["100 mg", "500 mg"], [("500 mg", 1), ("100 mg", 1)], "600 mg", "99.999 mg"),
    # Same waste, same count: 300 + 100 and 200 + 200 both make 400 in 2 vials; the larger
    # size is preferred.
    ("400 mg", ["100 mg", "200 mg", "300 mg"], [("300 mg", 1), ("100 mg", 1)], "400 mg",
     "0 mg"),
    # 150: 2 x 100 and 1 x 200 both waste 50 mg: fewer vials.
    ("150 mg", ["100 mg", "200 mg"], [("200 mg", 1)], "200 mg", "50 mg"),
    # 30 and 70 mg: 80 mg is 3 x 30 = 90 (waste 10), better than 70 + 30 = 100 (waste 20).
    ("80 mg", ["30 mg", "70 mg"], [("30 mg", 3)], "90 mg", "10 mg"),
    ("100 mg", ["30 mg", "70 mg"], [("70 mg", 1), ("30 mg", 1)], "100 mg", "0 mg"),
    # Decimals: 12.6 mg from 10 and 2.5 mg vials: 10 + 2 x 2.5 = 15 (waste 2.4); 6 x 2.5 = 15
    # wastes the same with more vials, 2 x 10 = 20 wastes 7.4.
    ("12.6 mg", ["10 mg", "2.5 mg"], [("10 mg", 1), ("2.5 mg", 2)], "15 mg", "2.4 mg"),
    # Units mixed within a dimension; total and waste in the dose's unit.
    ("0.55 g", ["100 mg", "500 mg"], [("500 mg", 1), ("100 mg", 1)], "0.6 g", "0.05 g"),
    ("1100 mg", ["1 g", "100 mg"], [("1 g", 1), ("100 mg", 1)], "1100 mg", "0 mg"),
    ("20000000 IU", ["18 MIU", "22 MIU"], [("22 MIU", 1)], "22000000 IU", "2000000 IU"),
    ("2 MIU", ["1000000 IU"], [("1000000 IU", 2)], "2 MIU", "0 MIU"),
    # 1000 = 3 x 317 + 24 x 2 + 1 (28 vials, no waste); 2 x 317 would need 183 more small ones.
    ("1000 mg", ["1 mg", "2 mg", "317 mg"], [("317 mg", 3), ("2 mg", 24), ("1 mg", 1)],
     "1000 mg", "0 mg"),
    # A large dose is a ceiling division, not a search: 10^9 mg is 2,000,000 vials of 500 mg.
    ("1000000000 mg", ["100 mg", "500 mg"], [("500 mg", 2_000_000)], "1000000000 mg", "0 mg"),
    ("1000000050 mg", ["100 mg", "500 mg"], [("500 mg", 2_000_000), ("100 mg", 1)],
     "1000000100 mg", "50 mg"),
]


@pytest.mark.parametrize(("dose", "sizes", "expected", "total", "waste"), CASES,
                         ids=[f"{c[0]}-{'+'.join(c[1])}" for c in CASES])
def test_hand_computed(dose: str, sizes: list[str], expected: list[tuple[str, int]],
                       total: str, waste: str) -> None:
    result = least_waste_vials(_a(dose), [_a(s) for s in sizes])
    assert _vials(result) == expected
    assert str(result.total) == total
    assert str(result.waste) == waste
    assert result.count == sum(n for _, n in expected)
    assert result.dose == _a(dose)


def test_text() -> None:
    result = least_waste_vials(_a("550 mg"), [_a("100 mg"), _a("500 mg")])
    assert str(result) == "1 x 500 mg + 1 x 100 mg = 600 mg (waste 50 mg)"


def test_exported_at_the_top() -> None:
    assert regimens.least_waste_vials is least_waste_vials
    assert regimens.VialCombination is VialCombination


def test_accepts_any_iterable() -> None:
    result = least_waste_vials(_a("550 mg"), (v for v in [_a("100 mg"), _a("500 mg")]))
    assert result.count == 2


@pytest.mark.parametrize(("dose", "sizes", "error", "message"), [
    ("100 mg", [], regimens.QuantityError, "at least one vial size is needed"),
    ("100 mg", ["100 mg", "0.1 g"], regimens.QuantityError,
     "the vial size 0.1 g is listed twice (as 100 mg and 0.1 g)"),
    ("100 mg", ["100 IU"], regimens.UnitError,
     "a vial of international units cannot hold a dose of mass (100 mg)"),
    # Sizes that share no factor, for a dose of 100,000,000 in units of their gcd (0.001 mg).
    ("100 g", ["1000.037 mg", "1000.003 mg", "1000.033 mg"], regimens.QuantityError,
     f"these vial sizes have too many combinations to compare (more than "
     f"{MAX_VIAL_SUMS:,}): list the sizes stocked (got '1000.037 mg, 1000.003 mg, "
     "1000.033 mg')"),
])
def test_refused(dose: str, sizes: list[str], error: type[Exception], message: str) -> None:
    with pytest.raises(error) as caught:
        least_waste_vials(_a(dose), [_a(s) for s in sizes])
    assert str(caught.value) == message


@pytest.mark.parametrize("bad", [
    Amount(Decimal(0), unit("mg")), Amount(Decimal(-5), unit("mg")),
])
def test_sizes_and_doses_must_be_positive(bad: Amount) -> None:
    with pytest.raises(regimens.QuantityError, match="greater than zero"):
        least_waste_vials(_a("100 mg"), [bad])
    with pytest.raises(regimens.QuantityError, match="greater than zero"):
        least_waste_vials(bad, [_a("100 mg")])


def test_a_nan_size_or_dose_cannot_be_made() -> None:
    # A NaN amount was refused here by least_waste_vials; it is now refused where it is
    # made (Amount), so neither a size nor a dose of NaN mg reaches the vials.
    with pytest.raises(regimens.QuantityError,
                       match=r"^magnitude must be a finite number \(got Decimal\('NaN'\)\)$"):
        Amount(Decimal("NaN"), unit("mg"))


@pytest.mark.parametrize("bad", ["100 mg", 100, Decimal(100), None])
def test_types(bad: object) -> None:
    with pytest.raises(regimens.QuantityTypeError):
        least_waste_vials(_a("100 mg"), [bad])  # type: ignore[list-item]
    with pytest.raises(regimens.QuantityTypeError):
        least_waste_vials(bad, [_a("100 mg")])  # type: ignore[arg-type]


# The oracle: every combination with at most enough of each size to cover the dose alone.


def _oracle(dose: Decimal, sizes: list[Decimal]) -> tuple[Decimal, tuple[int, ...]]:
    """(waste, counts by size largest first) by trying every combination."""
    ordered = sorted(sizes, reverse=True)
    ranges = [range(int(dose // s) + 2) for s in ordered]
    best: tuple[Decimal, int, tuple[int, ...]] | None = None
    for counts in itertools.product(*ranges):
        total = sum((c * s for c, s in zip(counts, ordered, strict=True)), Decimal(0))
        if total < dose:
            continue
        key = (total - dose, sum(counts), tuple(-c for c in counts))
        if best is None or key < best:
            best = key
    assert best is not None
    return best[0], tuple(-c for c in best[2])


SCALES = [Decimal("0.01"), Decimal("0.1"), Decimal(1), Decimal(10)]


@settings(max_examples=300, deadline=None)
@given(
    sizes=st.lists(st.integers(3, 40), min_size=1, max_size=3, unique=True),
    dose=st.integers(1, 60),
    dose_digits=st.integers(0, 3),
    scale=st.sampled_from(SCALES),
    data=st.data(),
)
def test_against_brute_force(sizes: list[int], dose: int, dose_digits: int, scale: Decimal,
                             data: st.DataObject) -> None:
    # The dose may carry more digits than the sizes (a computed dose: 12.345 mg).
    extra = Decimal(data.draw(st.integers(0, 10**dose_digits - 1))).scaleb(-dose_digits)
    dose_value = (Decimal(dose) + extra) * scale
    size_values = [Decimal(s) * scale for s in sizes]
    result = least_waste_vials(Amount(dose_value, unit("mg")),
                               [Amount(s, unit("mg")) for s in size_values])
    waste, counts = _oracle(dose_value, size_values)
    assert result.waste.magnitude == waste
    by_size = {size.magnitude: n for size, n in result.vials}
    assert tuple(by_size.get(s, 0) for s in sorted(size_values, reverse=True)) == counts
    # Invariants: enough, never a whole smallest vial wasted, listed largest first.
    assert result.total.magnitude == dose_value + waste >= dose_value
    assert waste < min(size_values)
    assert [s.magnitude for s, _ in result.vials] == sorted(by_size, reverse=True)
    assert all(n >= 1 for _, n in result.vials)


@settings(max_examples=100, deadline=None)
@given(sizes=st.lists(st.integers(1, 100), min_size=1, max_size=4, unique=True),
       dose=st.integers(1, 10**6), data=st.data())
def test_order_and_unit_do_not_matter(sizes: list[int], dose: int, data: st.DataObject) -> None:
    mg = [Amount(Decimal(s), unit("mg")) for s in sizes]
    first = least_waste_vials(Amount(Decimal(dose), unit("mg")), mg)
    shuffled = data.draw(st.permutations(mg))
    # The same sizes written in g, and the dose in g: the same vials.
    in_g = [Amount(Decimal(s).scaleb(-3), unit("g")) for s in sizes]
    second = least_waste_vials(Amount(Decimal(dose).scaleb(-3), unit("g")), in_g)
    assert least_waste_vials(Amount(Decimal(dose), unit("mg")), shuffled) == first
    assert [(s.magnitude * 1000, n) for s, n in second.vials] == [
        (s.magnitude, n) for s, n in first.vials]
    assert second.waste.to(unit("mg")) == first.waste


# Whole-vial amounts (round: {to_vial: true}) --------------------------------------------------


@pytest.mark.parametrize(("dose", "sizes", "below", "above"), [
    # 720 mg from 100 and 500 mg: 700 (500 + 2 x 100) and 800 mg (500 + 3 x 100).
    ("720 mg", ["100 mg", "500 mg"], "700 mg", "800 mg"),
    # Whole vials make 1 g exactly (2 x 500 mg): both ends are the dose.
    ("1 g", ["100 mg", "500 mg"], "1 g", "1 g"),
    # 7 mg from 3 and 5 mg: 6 (2 x 3) and 8 mg (3 + 5); 7 is no sum of them.
    ("7 mg", ["3 mg", "5 mg"], "6 mg", "8 mg"),
    # Less than the smallest vial: nothing below.
    ("40 mg", ["50 mg"], None, "50 mg"),
    # A computed dose with more digits than the sizes: 1,234.56 mg from 200 mg and 1 g.
    ("1234.56 mg", ["200 mg", "1 g"], "1200 mg", "1400 mg"),
])
def test_whole_vial_amounts_hand_computed(dose: str, sizes: list[str], below: str | None,
                                          above: str) -> None:
    got = whole_vial_amounts(parse_amount(dose), [parse_amount(s) for s in sizes])
    assert (None if got[0] is None else str(got[0]), str(got[1])) == (below, above)


def _sums(sizes: list[Decimal], up_to: Decimal) -> set[Decimal]:
    """Every amount whole vials make up, to ``up_to`` and one largest vial past it."""
    reach = {Decimal(0)}
    frontier = [Decimal(0)]
    limit = up_to + max(sizes)
    while frontier:
        nxt = []
        for total in frontier:
            for s in sizes:
                if total + s <= limit and total + s not in reach:
                    reach.add(total + s)
                    nxt.append(total + s)
        frontier = nxt
    return reach


@settings(max_examples=200, deadline=None)
@given(sizes=st.lists(st.integers(3, 40), min_size=1, max_size=3, unique=True),
       dose=st.integers(1, 300), scale=st.sampled_from(SCALES))
def test_whole_vial_amounts_against_brute_force(sizes: list[int], dose: int,
                                                scale: Decimal) -> None:
    size_values = [Decimal(s) * scale for s in sizes]
    dose_value = Decimal(dose) * scale
    below, above = whole_vial_amounts(Amount(dose_value, unit("mg")),
                                      [Amount(s, unit("mg")) for s in size_values])
    sums = _sums(size_values, dose_value)
    under = max((x for x in sums if 0 < x <= dose_value), default=None)
    over = min(x for x in sums if x >= dose_value)
    assert (None if below is None else below.magnitude) == under
    assert above.magnitude == over
