"""Quantities: doses, amounts and body measurements, read from text into exact values.

The units a dose or a body measurement may be written in form a closed table whose
sizes are exact :class:`Decimal` constants, so reading a regimen never imports pint.
pint stays at the edge, behind one registry: it is the oracle the table's constants
and dimensions are tested against, and it explains unit text outside the table (a
rate, a concentration...) in the message that refuses it. Inside the library a
quantity is a :class:`Decimal` magnitude and a small :class:`Unit` value, so dose
arithmetic is exact and never carries float noise.

International units, USP units, cells and absorbed radiation dose (Gy) are
their own dimensions: they never convert to mass, nor USP units to international
units (bleomycin's USP unit is not an international unit), and ``MIU`` (10^6 IU)
is never confused with ``mIU`` (10^-3 IU), because unit symbols are case-sensitive
and near-misses such as ``miu`` are refused with the two spellings that exist.
"""

from __future__ import annotations

import enum
import functools
import re
import sys
import unicodedata
from decimal import Decimal, InvalidOperation, localcontext
from typing import Any

from .._records import dataclass
from ..errors import UnitError
from ._exact import EXACT, MAX_SIGNIFICANT_DIGITS, exactly

__all__ = [
    "Amount",
    "Basis",
    "Dimension",
    "DoseQuantity",
    "Unit",
    "lean_pint",
    "parse_amount",
    "parse_dose_quantity",
    "parse_height",
    "parse_measure",
    "parse_weight",
    "unit",
]


class Dimension(enum.Enum):
    """What an amount measures. Amounts of different dimensions never add up."""

    MASS = "mass"
    ACTIVITY = "international units"
    CELLS = "cells"
    VOLUME = "volume"
    #: United States Pharmacopeia units (bleomycin in US labelling): never international
    #: units, whatever the numbers say.
    USP = "USP units"
    #: Absorbed dose of ionising radiation, in gray (radiotherapy fractions).
    RADIATION = "absorbed radiation dose"
    #: Dosage forms, counted: each a dimension of its own (tablets never add up to
    #: capsules, nor to milligrams). A drug's ``strength`` says what one holds.
    TABLET = "tablets"
    CAPSULE = "capsules"
    PUFF = "puffs"
    DROP = "drops"
    PATCH = "patches"
    SACHET = "sachets"
    VIAL = "vials"

    @property
    def form(self) -> bool:
        """Whether this is a dosage form counted in whole (or, for tablets, half) units."""
        return self in FORM_PARTS


#: The smallest part of each dosage form a dose may be: tablets are split in halves
#: (scored tablets); capsules, puffs, drops, patches, sachets and vials are never split.
FORM_PARTS: dict[Dimension, Decimal] = {
    Dimension.TABLET: Decimal("0.5"), Dimension.CAPSULE: Decimal(1), Dimension.PUFF: Decimal(1),
    Dimension.DROP: Decimal(1), Dimension.PATCH: Decimal(1), Dimension.SACHET: Decimal(1),
    Dimension.VIAL: Decimal(1),
}


class Basis(enum.Enum):
    """How a dose scales with the participant: flat, per kg of body weight, or per m² of
    body surface area (BSA, see :class:`BSAFormula`)."""

    FLAT = "flat"
    PER_KG = "per_kg"
    PER_M2 = "per_m2"
    #: A target area under the curve (carboplatin): the amount is mg per mL/min of
    #: clearance, scaled by (GFR + 25) mL/min (Calvert 1989). Written ``AUC 5``.
    AUC = "auc"


@dataclass(frozen=True, order=True)
class Unit:
    """A unit of amount: its symbol, dimension and size in the dimension's base unit."""

    symbol: str
    dimension: Dimension
    factor: Decimal  # how many base units (mg, IU, cells, mL) one of this unit is

    def __str__(self) -> str:
        return self.symbol


# Symbol -> (pint name, dimension, size in the dimension's base unit). The only units
# a dose may be written in, in the order messages list them (AMOUNT_UNITS_TEXT). The
# sizes are exact constants, so that reading a regimen never imports pint (about 0.15 s
# of every cold start); tests/quantities/test_unit_constants.py checks each one, and its
# dimension, against pint, which stays the oracle and explains unit text not listed here.
_AMOUNT_UNITS: dict[str, tuple[str, Dimension, Decimal]] = {
    "mg": ("milligram", Dimension.MASS, Decimal("1")),
    "g": ("gram", Dimension.MASS, Decimal("1000")),
    "mcg": ("microgram", Dimension.MASS, Decimal("0.001")),
    "ng": ("nanogram", Dimension.MASS, Decimal("1e-06")),
    "IU": ("international_unit", Dimension.ACTIVITY, Decimal("1")),
    "kIU": ("kilointernational_unit", Dimension.ACTIVITY, Decimal("1000")),
    "MIU": ("megainternational_unit", Dimension.ACTIVITY, Decimal("1000000")),
    "mIU": ("milliinternational_unit", Dimension.ACTIVITY, Decimal("0.001")),
    "cells": ("cell", Dimension.CELLS, Decimal("1")),
    "mL": ("milliliter", Dimension.VOLUME, Decimal("1")),
    "L": ("liter", Dimension.VOLUME, Decimal("1000")),
    "USP units": ("usp_unit", Dimension.USP, Decimal("1")),
    "Gy": ("gray", Dimension.RADIATION, Decimal("1")),
    "cGy": ("centigray", Dimension.RADIATION, Decimal("0.01")),
    "tablet": ("tablet", Dimension.TABLET, Decimal("1")),
    "capsule": ("capsule", Dimension.CAPSULE, Decimal("1")),
    "puff": ("puff", Dimension.PUFF, Decimal("1")),
    "drop": ("drop", Dimension.DROP, Decimal("1")),
    "patch": ("patch", Dimension.PATCH, Decimal("1")),
    "sachet": ("sachet", Dimension.SACHET, Decimal("1")),
    "vial": ("vial", Dimension.VIAL, Decimal("1")),
}
#: The plural of each dosage form (also accepted as its symbol).
FORM_PLURALS = {"tablet": "tablets", "capsule": "capsules", "puff": "puffs", "drop": "drops",
                "patch": "patches", "sachet": "sachets", "vial": "vials"}
# The units messages list (those of format 1.0; the rest are named where they apply).
_LISTED = ("mg", "g", "mcg", "ng", "IU", "kIU", "MIU", "mIU", "cells", "mL", "L")
# Spellings users type for the same unit.
_ALIASES = {"ug": "mcg", "µg": "mcg", "μg": "mcg", "cell": "cells", "ml": "mL", "kg": "kg",
            "USP unit": "USP units", **{p: s for s, p in FORM_PLURALS.items()}}
_BASE = {Dimension.MASS: "mg", Dimension.ACTIVITY: "IU", Dimension.CELLS: "cells",
         Dimension.VOLUME: "mL", Dimension.USP: "USP units", Dimension.RADIATION: "Gy",
         **{_AMOUNT_UNITS[s][1]: s for s in FORM_PLURALS}}
# What pint calls each dimension (the constants' test checks the table against it).
_PINT_DIMENSION = {
    Dimension.MASS: "[mass]",
    Dimension.ACTIVITY: "[biological_activity]",
    Dimension.CELLS: "[cell_count]",
    Dimension.VOLUME: "[length] ** 3",
    Dimension.USP: "[usp_activity]",
    Dimension.RADIATION: "[absorbed_dose]",
    **{_AMOUNT_UNITS[s][1]: f"[{s}_count]" for s in FORM_PLURALS},
}
# Said instead of a bare "unknown unit" when the text is a known trap.
_TRAPS = {
    "u": "'U' is read as 0 or 4 and is not a unit here: write 'IU' for international units",
    "unit": "'units' is not a unit here: write 'IU' for international units",
    "units": "'units' is not a unit here: write 'IU' for international units",
    "cc": "'cc' is read as 'u' or '00': write 'mL'",
    "mu": "'MU' is ambiguous: write 'MIU' (million international units) or 'mIU' "
    "(thousandths of an international unit)",
}

#: "mg, g, mcg, ng, IU, kIU, MIU, mIU, cells, mL or L": derived from the table above.
AMOUNT_UNITS_TEXT = f"{', '.join(_LISTED[:-1])} or {_LISTED[-1]}"
DOSE_HINT = (
    f"write a number and a unit ({AMOUNT_UNITS_TEXT}), optionally per kg or per m2, "
    "e.g. '20 mg', '1e6 cells/kg', '2e5 IU/m2'"
)

_NUMBER = (
    r"(?P<num>[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)"
    r"(?:\s*[x×*]\s*10\s*\^\s*(?P<exp>[-+]?[0-9]+))?"  # "1 x 10^6"
)
_QUANTITY = re.compile(rf"\s*(?P<sign>[-+]?)\s*{_NUMBER}\s*(?P<unit>.*?)\s*\Z", re.DOTALL)
_RADIX = re.compile(r"\s*[-+]?\s*(0[xXoObB])[0-9a-fA-F]")
_RADIX_NAMES = {"x": "hexadecimal", "o": "octal", "b": "binary"}
_PER = re.compile(r"\s*(?:/|\bper\b)\s*")
_AREA = re.compile(r"m(?:2|²|\^2|\*\*2|\s*\^\s*2)\Z")


# The registry knows exactly the units this library reads, nothing else: pint's
# default registry holds thousands (where 'unit' parses as micro-nit and 'U' as an
# enzyme unit), and building it took a quarter of a second at every start.
_DEFINITIONS = (
    "meter = [length] = m",
    "gram = [mass] = g",
    "second = [time] = s",
    "minute = 60 * second = min",
    "hour = 60 * minute = h",
    "day = 24 * hour",
    "week = 7 * day",
    "liter = decimeter ** 3 = L = l",
    "inch = 2.54 * centimeter = in",
    "pound = 0.45359237 * kilogram = lb = lbs",
    "international_unit = [biological_activity] = IU",
    "cell = [cell_count] = cells",
    "usp_unit = [usp_activity]",
    "gray = [absorbed_dose] = Gy",
    *(f"{s} = [{s}_count] = {p}" for s, p in FORM_PLURALS.items()),
    "nano- = 1e-9 = n",
    "micro- = 1e-6 = µ = μ = u = mc",
    "milli- = 1e-3 = m",
    "centi- = 1e-2 = c",
    "deci- = 1e-1 = d",
    "kilo- = 1e3 = k",
    "mega- = 1e6 = M",
)


#: Set by :func:`lean_pint`: import pint without NumPy (see there).
_LEAN_PINT = False


def lean_pint() -> None:
    """Import pint without NumPy in this process, for a program that owns its process.

    pint imports NumPy at its own import whenever NumPy is installed (pint.compat;
    pint 0.25 offers no switch), which makes a cold ``regimens expand`` about 1.3x
    slower although regimens asks pint only about scalars. The command line calls
    this first: pint is then imported with ``sys.modules["numpy"] = None`` (the
    import system's documented way to block a module) for the length of its import,
    and the entry is removed after it, so NumPy imports normally afterwards. pint so
    imported supports no NumPy arrays in that process, which is why the library never
    does this on its own: a program that embeds regimens keeps pint as pint made it.
    Nothing happens when NumPy or pint is loaded already.
    """
    global _LEAN_PINT
    _LEAN_PINT = True


def _import_pint() -> Any:
    """pint; without NumPy if :func:`lean_pint` was called and neither is loaded yet."""
    if not _LEAN_PINT or "pint" in sys.modules or "numpy" in sys.modules:
        import pint

        return pint
    sys.modules["numpy"] = None  # type: ignore[assignment]
    try:
        import pint
    finally:
        if "numpy" in sys.modules and sys.modules["numpy"] is None:
            del sys.modules["numpy"]
    return pint


@functools.cache
def registry() -> Any:
    """The one pint registry, with IU and cells as dimensions of their own."""
    pint = _import_pint()
    ureg: Any = pint.UnitRegistry(None, cache_folder=None)
    for definition in _DEFINITIONS:
        ureg.define(definition)
    return ureg


@functools.cache
def unit(symbol: str) -> Unit:
    """The :class:`Unit` for a dose-amount symbol (``mg``, ``MIU``, ``cells``...)."""
    symbol = _ALIASES.get(symbol, symbol)
    if symbol not in _AMOUNT_UNITS:
        raise UnitError(symbol, _unknown_unit_reason(symbol), f"use one of {AMOUNT_UNITS_TEXT}")
    _pint_name, dimension, factor = _AMOUNT_UNITS[symbol]
    return Unit(symbol, dimension, factor)


def _unknown_unit_reason(text: str) -> str:
    lowered = text.lower()
    if lowered in _TRAPS:
        return _TRAPS[lowered]
    near = sorted(s for s in _AMOUNT_UNITS if s.lower() == lowered)
    if len(near) > 1:
        return (
            f"{text!r} is ambiguous: unit symbols are case-sensitive; write 'MIU' (million "
            "international units) or 'mIU' (thousandths of an international unit)"
            if lowered == "miu"
            else f"{text!r} is ambiguous: unit symbols are case-sensitive ({', '.join(near)})"
        )
    if near:
        return f"unknown unit {text!r}: unit symbols are case-sensitive; did you mean {near[0]!r}?"
    return f"unknown unit {text!r}"


@dataclass(frozen=True)
class Amount:
    """An exact amount of drug: ``Amount(Decimal("2"), unit("MIU"))`` is 2 MIU."""

    magnitude: Decimal
    unit: Unit

    @exactly
    def to(self, target: Unit) -> Amount:
        """The same amount in ``target`` (``2 MIU`` -> ``2000000 IU``), exactly.

        Raises:
            UnitError: ``target`` measures another :class:`Dimension` (mg and IU
                never convert into each other).
        """
        if target.dimension is not self.unit.dimension:
            raise UnitError(
                str(self), f"cannot express {self.unit.dimension.value} in {target.symbol}"
            )
        return Amount(normal(self.magnitude * self.unit.factor / target.factor), target)

    def __str__(self) -> str:
        return f"{plain(self.magnitude)} {self.unit.symbol}"


@dataclass(frozen=True)
class DoseQuantity:
    """A dose as written in a protocol: an amount, flat or per kg or per m2.

    ``str()`` is the format's spelling (``2 mg/kg``); people read it in safe notation
    (``2 mg per kg``).
    """

    amount: Amount
    basis: Basis

    def __str__(self) -> str:
        if self.basis is Basis.AUC:
            return f"AUC {plain(self.amount.magnitude)}"
        suffix = {Basis.FLAT: "", Basis.PER_KG: "/kg", Basis.PER_M2: "/m2"}[self.basis]
        return f"{self.amount}{suffix}"


@exactly
def normal(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent form (``1E+6`` -> ``1000000``)."""
    value = value.normalize()
    if value == 0:
        return Decimal(0)
    _sign, _digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if exponent > 0:
        return Decimal(int(value))  # exact, whatever the context's precision
    return value


@exactly
def shortest_decimal(value: float) -> Decimal:
    """A float as a person wrote it: the shortest decimal that reads back as the same float.

    ``shortest_decimal(68.0805) == Decimal("68.0805")`` (not the binary value
    68.08049999...), so the number ``68.0805`` in a NumPy array means what the
    text ``"68.0805 kg"`` means to :func:`parse_measure`.
    """
    exact = Decimal(repr(float(value)))
    return normal(exact) if exact.is_finite() else exact  # NaN, inf: left for the caller


@exactly
def plain(value: Decimal) -> str:
    """A decimal in plain positional notation, no exponent, no trailing zeros."""
    return format(normal(value), "f")


@exactly
def _split(text: object, what: str, hint: str) -> tuple[Decimal, str]:
    if isinstance(text, bool) or not isinstance(text, (str, int, Decimal)):
        raise UnitError(text, f"{what} must be text: a number and its unit", hint)
    if not isinstance(text, str):
        raise UnitError(text, f"a bare number is not a {what}: give its unit", hint)
    if "," in text:
        raise UnitError(
            text,
            f"{what} has a comma: write a decimal point and no thousands separators",
            hint,
        )
    digit = next((c for c in text if not c.isascii() and unicodedata.category(c) == "Nd"), None)
    if digit is not None:
        # "７０kg": full-width or other-script digits look like numbers but are not read.
        raise UnitError(text, f"{what} is written with {unicodedata.name(digit, 'a').lower()} "
                        f"({digit!r}): write the digits 0-9", hint)
    radix = _RADIX.match(text)
    if radix:
        raise UnitError(text, f"{what} must be a decimal number: {radix[1]!r} starts "
                        f"{_RADIX_NAMES[radix[1][1].lower()]} notation, which is not read", hint)
    match = _QUANTITY.match(text)
    if not match:
        lowered = text.strip().lower()
        if lowered.startswith(".") or " ." in lowered:
            raise UnitError(text, f"{what} needs a leading zero before the decimal point", hint)
        if any(word in lowered for word in ("nan", "inf")):
            raise UnitError(text, f"{what} must be a finite number", hint)
        raise UnitError(text, f"{what} must start with a number", hint)
    try:
        magnitude = Decimal(match["num"])
        if match["exp"] is not None:
            magnitude = magnitude.scaleb(int(match["exp"]))
    except InvalidOperation:  # an exponent beyond Decimal's range: "1 x 10^99999999999"
        raise UnitError(text, f"{what} is out of range (1e-12 to 1e15)", hint) from None
    if match["sign"] == "-" and magnitude != 0:
        raise UnitError(text, f"{what} must be greater than zero", hint)
    if magnitude == 0:
        raise UnitError(text, f"{what} must be greater than zero", hint)
    # Far outside any dose or body size: a typing mistake, and beyond exact arithmetic.
    if not -12 <= magnitude.adjusted() <= 15:
        raise UnitError(text, f"{what} is out of range (1e-12 to 1e15)", hint)
    if len(normal(magnitude).as_tuple().digits) > MAX_SIGNIFICANT_DIGITS:
        raise UnitError(text, f"{what} has more than {MAX_SIGNIFICANT_DIGITS} significant "
                        "digits; no dose or measurement is that precise", hint)
    if not match["unit"]:
        raise UnitError(text, f"a bare number is not a {what}: give its unit", hint)
    if match["unit"][0] in "0123456789.":
        # "70.5.1 kg", "1 2 mg": the number itself is malformed, not the unit.
        raise UnitError(text, f"{what} does not start with a single number", hint)
    return normal(magnitude), match["unit"]


def parse_amount(text: object, what: str = "amount") -> Amount:
    """Read an amount such as ``'20 mg'`` or ``'2 MIU'`` (no per-kg or per-m2).

    >>> str(parse_amount("1 x 10^6 cells"))
    '1000000 cells'
    """
    hint = f"write a number and a unit ({AMOUNT_UNITS_TEXT}), e.g. '20 mg' or '2 MIU'"
    magnitude, unit_text = _split(text, what, hint)
    if _PER.search(unit_text):
        raise UnitError(text, f"{what} must be an absolute amount, not per kg or per m2", hint)
    return Amount(magnitude, _amount_unit(text, unit_text, what, hint))


def _amount_unit(text: object, unit_text: str, what: str, hint: str) -> Unit:
    symbol = unit_text.strip()
    symbol = _ALIASES.get(symbol, symbol)
    if symbol in _AMOUNT_UNITS:
        return unit(symbol)
    if symbol in ("kg", "lb", "m", "cm", "m2", "m²"):
        raise UnitError(text, f"{what} is a body measurement, not an amount of drug", hint)
    lowered = symbol.lower()
    if lowered in _TRAPS or any(s.lower() == lowered for s in _AMOUNT_UNITS):
        raise UnitError(text, _unknown_unit_reason(symbol), hint)
    # Ask pint what it is, to say why it does not fit (a rate, a concentration...).
    ureg = registry()
    try:
        parsed = ureg.parse_units(symbol.replace("^", "**"))
    except Exception:
        raise UnitError(text, _unknown_unit_reason(symbol), hint) from None
    dims = dict(ureg.Quantity(1, parsed).dimensionality)
    if dims.get("[time]", 0) < 0:
        reason = f"{what} must be an amount, not a rate ({symbol!r} is per unit of time)"
    else:
        reason = f"{what} must be an amount of drug; {symbol!r} is not one of the dose units"
    raise UnitError(text, reason, hint)


def parse_dose_quantity(text: object) -> DoseQuantity:
    """Read a dose: ``'20 mg'``, ``'1e6 cells/kg'``, ``'2e5 IU/m2'``, ``'375 mg per m2'``.

    >>> str(parse_dose_quantity("2e5 IU/m2"))
    '200000 IU/m2'

    ``'AUC 5'`` (also ``'AUC 5 mg/mL·min'``) is a carboplatin target AUC in mg/mL·min,
    dosed by Calvert's formula: the result has :attr:`Basis.AUC` and an amount in mg.
    """
    if isinstance(text, str) and (auc := _AUC.match(text)) is not None:
        return _auc(text, auc)
    magnitude, unit_text = _split(text, "dose", DOSE_HINT)
    parts = _PER.split(unit_text, maxsplit=1)
    basis = Basis.FLAT
    if len(parts) == 2:
        numerator, denominator = parts[0].strip(), parts[1].strip()
        if denominator == "kg":
            basis = Basis.PER_KG
        elif _AREA.match(denominator):
            basis = Basis.PER_M2
        elif denominator in ("lb", "lbs", "g"):
            raise UnitError(text, f"doses are per kg, not per {denominator}", DOSE_HINT)
        else:
            return _not_a_dose(text, unit_text)
    else:
        numerator = unit_text
    amount = Amount(magnitude, _amount_unit(text, numerator, "dose", DOSE_HINT))
    if amount.unit.dimension.form and basis is not Basis.FLAT:
        # A count of tablets per kg would be a fraction of a tablet for most people.
        raise UnitError(text, f"a dose in {amount.unit.dimension.value} is a count, never per "
                        "kg or per m2", "give the drug a strength ('strength: 500 mg/tablet') "
                        "and write the dose in mg per kg or per m2, rounded with 'round: "
                        "0.5 tablet'")
    if amount.unit.dimension is Dimension.RADIATION and basis is not Basis.FLAT:
        # A radiation dose is absorbed energy per kg of tissue already (1 Gy = 1 J/kg).
        raise UnitError(text, "a radiation dose in Gy is absorbed dose, never per kg or per "
                        "m2", "write e.g. '2 Gy' per fraction")
    return DoseQuantity(amount, basis)


_AUC = re.compile(r"\s*AUC(?![A-Za-z])\s*(?P<rest>.*?)\s*\Z", re.DOTALL)
_AUC_UNIT = re.compile(r"mg\s*/\s*mL\s*[·*.]\s*min|mg\s*[·*.]\s*min\s*/\s*mL")
_AUC_HINT = "write 'AUC' and the target in mg/mL·min, e.g. 'AUC 5' (at most 20)"


@exactly
def _auc(text: str, match: re.Match[str]) -> DoseQuantity:
    rest = match["rest"]
    number = re.match(r"[0-9]+(?:\.[0-9]+)?", rest)
    if number is None:
        raise UnitError(text, "an AUC dose must give the target AUC as a number", _AUC_HINT)
    unit_text = rest[number.end():].strip()
    if unit_text and not _AUC_UNIT.fullmatch(unit_text):
        raise UnitError(text, f"a target AUC is in mg/mL·min (got unit {unit_text!r})",
                        _AUC_HINT)
    value = normal(Decimal(number[0]))
    if value == 0:
        raise UnitError(text, "a target AUC must be greater than zero", _AUC_HINT)
    if value > 20 or len(value.as_tuple().digits) > MAX_SIGNIFICANT_DIGITS:
        # Carboplatin targets are 1.5 to about 8 (high-dose regimens ~7 a day): a larger
        # number is a total or a typing mistake, and would give a dose of grams.
        raise UnitError(text, "a target AUC above 20 mg/mL·min is not a carboplatin target",
                        _AUC_HINT)
    return DoseQuantity(Amount(value, unit("mg")), Basis.AUC)


def _not_a_dose(text: object, unit_text: str) -> DoseQuantity:
    ureg = registry()
    try:
        dims = dict(ureg.Quantity(1, ureg.parse_units(unit_text.replace("^", "**"))).dimensionality)
    except Exception:
        dims = {}
    if dims.get("[time]", 0) < 0:
        raise UnitError(
            text,
            f"a dose must be an amount, not a rate ({unit_text.strip()!r} is per unit of time)",
            DOSE_HINT,
        )
    raise UnitError(
        text, f"a dose is an amount, flat or per kg or per m2 (got unit {unit_text.strip()!r})",
        DOSE_HINT,
    )


# Body measurements ------------------------------------------------------------

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
