"""Reading body measurements (weight, height, body surface area) from text in the units
people write them in, converted exactly."""

from __future__ import annotations

import re
from decimal import Decimal, localcontext

from ..errors import UnitError
from ._exact import EXACT
from ._notation import human_number
from ._numbers import normal
from ._parse import _split

__all__ = [
    "MEASURE_NAMES",
    "measure_parts",
    "measure_text",
    "parse_height",
    "parse_measure",
    "parse_weight",
    "typed_text",
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


#: The unit each body measurement is written in, and the spellings of it typed.
_WRITTEN_IN = {"weight": ("kg", ("kg",)), "height": ("cm", ("cm",)),
               "bsa": ("m²", ("m2", "m²", "m^2"))}
_NUMBER_UNIT = re.compile(r"\s*([-+]?[0-9.][0-9.eE+-]*)\s*(.*?)\s*\Z", re.DOTALL)


def typed_text(text: str) -> str:
    """A measurement as it was typed, its number and its unit one space apart:
    ``typed_text("154lb") == "154 lb"``, ``typed_text(" 80  mL/min") == "80 mL/min"``
    (the number and unit as written; text that is not a number and a unit, as is)."""
    match = _NUMBER_UNIT.match(text)
    if match is None:
        return " ".join(text.split())
    unit = " ".join(match.group(2).split())
    return f"{match.group(1)} {unit}" if unit else match.group(1)


def measure_parts(kind: str, text: str) -> tuple[str, str | None]:
    """A measurement as every output writes it, and what was typed when that was in
    another unit: a ``weight`` in kg, a ``height`` in cm, a ``bsa`` in m², one space
    before the unit (``("70 kg", None)`` whether typed ``70kg`` or ``70 kg``; ``("170 cm",
    "1.7 m")`` for ``1.7m``; ``("69.85322498 kg", "154 lb")`` for ``154lb``, exactly, as
    :func:`parse_measure` reads it); another kind (a GFR, a serum creatinine) as typed,
    one space before its unit (``("80 mL/min", None)`` for ``80mL/min``).

    Raises:
        UnitError: ``text`` is not a ``kind`` measurement (as :func:`parse_measure`).
    """
    if kind not in _WRITTEN_IN:
        return typed_text(text), None
    unit, spellings = _WRITTEN_IN[kind]
    shown = f"{human_number(parse_measure(kind, text))} {unit}"
    typed = typed_text(text)
    match = _NUMBER_UNIT.match(text)
    same = match is not None and match.group(2).strip() in spellings
    return shown, None if same else typed


def measure_text(kind: str, text: str) -> str:
    """:func:`measure_parts` in words: ``"70 kg"``, ``"69.85322498 kg (from 154 lb)"``.

    Raises:
        UnitError: ``text`` is not a ``kind`` measurement (as :func:`parse_measure`).
    """
    shown, typed = measure_parts(kind, text)
    return shown if typed is None else f"{shown} (from {typed})"
