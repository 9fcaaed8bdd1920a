"""The closed unit table's exact constants, checked against pint (the oracle).

Reading a regimen uses the sizes written in ``quantities/_units.py`` (amounts) and
``quantities/_measures.py`` (body measurements) and never imports
pint; pint's own conversions must give the same numbers, and pint must agree on each
unit's dimension. The float pint computes carries binary noise (``1e-9 / 1e-3``), so a
constant must equal pint's factor to 12 significant digits (the short decimals the
table holds: powers of ten, 0.45359237, 2.54), and as a float it must be within one
part in 10^15 of pint's.
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from regimens.quantities import _measures, _pint, _units

_REGISTRY = _pint.registry()


def _pint_factor(name: str, base: str) -> float:
    return float(_REGISTRY.Quantity(1, name).to(base).magnitude)


def _agrees(constant: Decimal, factor: float) -> None:
    # Same value and same written form as pint's factor rounded to 12 digits.
    assert constant.as_tuple() == Decimal(f"{factor:.12g}").as_tuple()
    assert math.isclose(float(constant), factor, rel_tol=1e-15)


@pytest.mark.parametrize("symbol", list(_units._AMOUNT_UNITS))
def test_amount_unit_constant_is_pints(symbol: str) -> None:
    name, dimension, constant = _units._AMOUNT_UNITS[symbol]
    base = _units._AMOUNT_UNITS[_units._BASE[dimension]][0]
    assert _REGISTRY.Quantity(1, name).check(_units._PINT_DIMENSION[dimension])
    _agrees(constant, _pint_factor(name, base))
    assert _units.unit(symbol).factor == constant


@pytest.mark.parametrize(("kind", "symbol"), [
    (kind, symbol) for kind, (units, _t, _s) in _measures._MEASURES.items() for symbol in units])
def test_measure_constant_is_pints(kind: str, symbol: str) -> None:
    units, target, _symbol = _measures._MEASURES[kind]
    _agrees(_measures._MEASURE_FACTORS[kind][symbol], _pint_factor(units[symbol], target))


def test_measure_constants_cover_exactly_the_measures() -> None:
    assert {k: set(u) for k, (u, _t, _s) in _measures._MEASURES.items()} == {
        k: set(f) for k, f in _measures._MEASURE_FACTORS.items()}


# Hand-computed: the international pound is 0.45359237 kg and the inch 2.54 cm exactly
# (International Yard and Pound Agreement, 1959).
@pytest.mark.parametrize(("kind", "text", "expected"), [
    ("weight", "154 lb", Decimal("69.85322498")),
    ("weight", "1 lbs", Decimal("0.45359237")),
    ("weight", "70500 g", Decimal("70.5")),
    ("height", "69 in", Decimal("175.26")),
    ("height", "1.75 m", Decimal("175")),
    ("height", "1755 mm", Decimal("175.5")),
    ("bsa", "1.8 m²", Decimal("1.8")),
])
def test_measures_by_hand(kind: str, text: str, expected: Decimal) -> None:
    assert _measures.parse_measure(kind, text) == expected
