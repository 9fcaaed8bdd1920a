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

This module holds the table, :class:`Unit`, :class:`Amount` and :class:`DoseQuantity`;
reading them from text is in ``_parse``, body measurements in ``_measures``, the pint
registry in ``_pint`` and the decimal formatting they share in ``_numbers``.
"""

from __future__ import annotations

import enum
import functools
from decimal import Decimal

from .._records import dataclass
from ..errors import QuantityTypeError, UnitError
from ._exact import exactly
from ._numbers import decimal_argument, normal, plain

__all__ = [
    "AMOUNT_UNITS_TEXT",
    "FORM_PARTS",
    "FORM_PLURALS",
    "Amount",
    "Basis",
    "Dimension",
    "DoseQuantity",
    "Unit",
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
    """A unit of amount: its symbol, dimension and size in the dimension's base unit.

    ``factor``: a Decimal, an int or a float (read as written, its shortest decimal text);
    kept as a Decimal. Use :func:`unit` for the units a dose may be written in.

    Raises:
        QuantityTypeError: (also a ``TypeError``) ``factor`` is not a Decimal, an int or a
            float, or ``dimension`` is not a :class:`Dimension`; the message names it.
        QuantityError: (also a ``ValueError``) a ``factor`` that is not finite (a float or
            a Decimal).
    """

    symbol: str
    dimension: Dimension
    factor: Decimal  # how many base units (mg, IU, cells, mL) one of this unit is

    def __post_init__(self) -> None:
        if type(self.factor) is not Decimal or not self.factor.is_finite():
            object.__setattr__(self, "factor", decimal_argument(self.factor, "factor", "unit"))
        if not isinstance(self.dimension, Dimension):
            raise QuantityTypeError("unit", "dimension must be a Dimension "
                                    "(Dimension.MASS, ...)", self.dimension)

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
    """An exact amount of drug: ``Amount(Decimal("2"), unit("MIU"))`` is 2 MIU.

    ``magnitude``: a Decimal, an int or a float (read as written, its shortest decimal
    text: ``Amount(0.1, unit("mg"))`` is 0.1 mg exactly); kept as a Decimal. ``unit``: a
    :class:`Unit` (:func:`unit` gives one from its symbol).

    Raises:
        QuantityTypeError: (also a ``TypeError``) ``magnitude`` is not a Decimal, an int or
            a float, or ``unit`` is not a :class:`Unit` (text such as ``"mg"`` included);
            the message names it.
        QuantityError: (also a ``ValueError``) a ``magnitude`` that is not finite (a float
            or a Decimal: NaN, infinity).
    """

    magnitude: Decimal
    unit: Unit

    def __post_init__(self) -> None:
        # Checked here, at the boundary: a float (or text) magnitude failed later, at the
        # first arithmetic or formatting, far from where it was given. The common case
        # (a Decimal and a Unit, as the engine builds them) costs two type checks.
        if type(self.magnitude) is not Decimal or not self.magnitude.is_finite():
            object.__setattr__(self, "magnitude",
                               decimal_argument(self.magnitude, "magnitude", "amount"))
        if type(self.unit) is not Unit:
            raise QuantityTypeError("amount", "unit must be a Unit, e.g. unit('mg')",
                                    self.unit)

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
