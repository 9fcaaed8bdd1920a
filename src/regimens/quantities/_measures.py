"""Reading body measurements (weight, height, body surface area) from text in the units
people write them in, converted exactly."""

from __future__ import annotations

from decimal import Decimal, localcontext

from ..errors import UnitError
from ._exact import EXACT
from ._numbers import normal
from ._parse import _split

__all__ = [
    "MEASURE_NAMES",
    "parse_height",
    "parse_measure",
    "parse_weight",
]


# Kind -> ({symbol: pint name}, pint name of the result's unit, its symbol). The same
# units' sizes in the result's unit are _MEASURE_FACTORS: exact constants (the pound
# and the inch are exact by definition: 0.45359237 kg, 2.54 cm), checked against pint
# by tests/quantities/test_unit_constants.py, so that no measurement imports pint.
_MEASURES = {
    "weight": ({"kg": "kilogram", "g": "gram", "lb": "pound", "lbs": "pound"}, "kilogram", "kg"),
    "height": (
        {"cm": "centimeter", "m": "meter", "mm": "millimeter", "in": "inch"},
        "centimeter",
        "cm",
    ),
    "bsa": ({"m2": "meter ** 2", "m²": "meter ** 2", "m^2": "meter ** 2"}, "meter ** 2", "m2"),
}
_MEASURE_FACTORS: dict[str, dict[str, Decimal]] = {
    "weight": {"kg": Decimal("1"), "g": Decimal("0.001"), "lb": Decimal("0.45359237"),
               "lbs": Decimal("0.45359237")},
    "height": {"cm": Decimal("1"), "m": Decimal("100"), "mm": Decimal("0.1"),
               "in": Decimal("2.54")},
    "bsa": {"m2": Decimal("1"), "m²": Decimal("1"), "m^2": Decimal("1")},
}


#: How each measurement is named in messages.
MEASURE_NAMES = {"weight": "weight", "height": "height", "bsa": "body surface area"}


def parse_measure(kind: str, text: object) -> Decimal:
    """Read a body measurement with its unit; return it exactly in kg, cm or m2."""
    units, _target, _symbol = _MEASURES[kind]
    examples = {"weight": "'70 kg' or '154 lb'", "height": "'175 cm', '1.75 m' or '69 in'",
                "bsa": "'1.8 m2'"}[kind]
    hint = f"write a number and one of {', '.join(units)}, e.g. {examples}"
    what = MEASURE_NAMES[kind]
    if isinstance(text, str) and text.strip().lower() in ("nan", "inf", "-inf", "+inf", "infinity"):
        raise UnitError(text, f"{what} must be a finite number", hint)
    magnitude, unit_text = _split(text, what, hint)
    unit_text = unit_text.strip()
    if unit_text not in units:
        raise UnitError(text, f"unknown {what} unit {unit_text!r}", hint)
    factor = _MEASURE_FACTORS[kind][unit_text]
    with localcontext(EXACT):
        return normal(magnitude * factor)


def parse_weight(text: object) -> Decimal:
    """Weight in kg, exactly: ``parse_weight("154 lb") == Decimal("69.85322498")``."""
    return parse_measure("weight", text)


def parse_height(text: object) -> Decimal:
    """Height in cm, exactly."""
    return parse_measure("height", text)
