"""Dosage forms and strengths: how many tablets (or capsules, puffs, mL...) make a dose.

A drug's strength (``500 mg/tablet``) says what one unit of its form holds. A dose
of the drug, in the strength's dimension (mg), is then also a count of that form
(1,000 mg is 2 tablets); a dose written as a count (``2 tablets``) also holds an
amount of drug (1,000 mg). Counts of a form are exact and never fractions the form
cannot be split into (:data:`FORM_PARTS`: half a tablet, never half a capsule).
"""

from __future__ import annotations

from decimal import Decimal

from .._records import dataclass
from ..errors import UnitError
from ._exact import exactly
from ._numbers import normal
from ._parse import _PER, _amount_unit, _split
from ._units import FORM_PARTS, FORM_PLURALS, Amount, Dimension, Unit, unit

__all__ = ["STRENGTH_FORMS", "Strength", "convert_by_equivalence", "form_count",
           "form_part_problem", "parse_equivalence", "parse_strength"]

#: What a strength may be per: one of the dosage forms, or a millilitre (an oral
#: solution: ``10 mg/mL``).
STRENGTH_FORMS = (*FORM_PLURALS, "mL")

_STRENGTH_HINT = ("write an amount of drug per dosage form, e.g. '500 mg/tablet', "
                  f"'250 mg per capsule' or '10 mg/mL' (forms: {', '.join(STRENGTH_FORMS)})")


@dataclass(frozen=True)
class Strength:
    """What one unit of a drug's dosage form holds: ``amount`` per one ``per``
    (``Strength(Amount(Decimal(500), unit("mg")), unit("tablet"))`` is 500 mg/tablet).

    ``per`` is a dosage form (:attr:`Dimension.form`) or ``mL``; ``amount`` is of
    another dimension (mass, international units...), never a form or Gy.
    """

    amount: Amount
    per: Unit

    def __str__(self) -> str:
        return f"{self.amount}/{self.per.symbol}"


def parse_strength(text: object) -> Strength:
    """Read a drug's strength: ``'500 mg/tablet'``, ``'250 mg per capsule'``, ``'10 mg/mL'``.

    >>> str(parse_strength("500 mg per tablet"))
    '500 mg/tablet'

    Raises:
        UnitError: not an amount per one dosage form (a bare amount, a form per form,
            a rate, an unknown form...).
    """
    magnitude, unit_text = _split(text, "strength", _STRENGTH_HINT)
    parts = _PER.split(unit_text, maxsplit=1)
    if len(parts) != 2:
        raise UnitError(text, "a strength is an amount per dosage form", _STRENGTH_HINT)
    numerator, denominator = parts[0].strip(), parts[1].strip()
    amount = Amount(magnitude, _amount_unit(text, numerator, "strength", _STRENGTH_HINT))
    per_symbol = {p: s for s, p in FORM_PLURALS.items()}.get(denominator, denominator)
    if per_symbol == "ml":
        per_symbol = "mL"
    if per_symbol not in STRENGTH_FORMS:
        raise UnitError(text, f"a strength is per one dosage form, not per {denominator!r}",
                        _STRENGTH_HINT)
    per = unit(per_symbol)
    dimension = amount.unit.dimension
    if dimension.form or dimension is Dimension.RADIATION or dimension is per.dimension:
        raise UnitError(text, f"a strength is an amount of drug (e.g. mg, IU or USP units) "
                        f"per {per.symbol}, not {dimension.value}", _STRENGTH_HINT)
    return Strength(amount, per)


def form_part_problem(count: Amount) -> str | None:
    """Why ``count`` (an amount of a dosage form) is not a count the form can be given
    in (half a capsule, a quarter of a tablet), or None."""
    part = FORM_PARTS.get(count.unit.dimension)
    if part is None or (count.magnitude / part) % 1 == 0:
        return None
    if part == 1:
        return (f"{count.unit.dimension.value} are not split: give whole "
                f"{count.unit.dimension.value}")
    return (f"{count.unit.dimension.value} are split in halves at most: give whole or half "
            f"{count.unit.dimension.value}")


@exactly
def form_count(amount: Amount, strength: Strength) -> Decimal | None:
    """How many units of the strength's form hold ``amount`` (of the strength's
    dimension), exactly; None when that is not an exact decimal (100 mg of 30 mg/mL)."""
    value = amount.to(strength.amount.unit).magnitude / strength.amount.magnitude
    count = normal(value)
    if count * strength.amount.magnitude != amount.to(strength.amount.unit).magnitude:
        return None
    return count


_EQUIVALENCE_HINT = ("write '1 USP unit = 1000 IU': an amount in USP units, '=', and what it "
                     "equals in international units (or the other way round), as the drug's "
                     "labelling states it")
#: The dimensions an equivalence relates: USP units and international units only.
_EQUIVALENT = frozenset({Dimension.USP, Dimension.ACTIVITY})


def parse_equivalence(text: object) -> tuple[Amount, Amount]:
    """Read a drug's sourced equivalence between USP units and international units:
    ``'1 USP unit = 1000 IU'`` (bleomycin) gives ``(1 USP units, 1000 IU)``, in the order
    written.

    Raises:
        UnitError: not two amounts joined by ``=``, or not one in USP units and the other
            in international units (an equivalence never relates mass or anything else).
    """
    if not isinstance(text, str) or text.count("=") != 1:
        raise UnitError(text, "an equivalence is two amounts joined by '='", _EQUIVALENCE_HINT)
    left_text, right_text = text.split("=")
    left = _equivalent_side(text, left_text)
    right = _equivalent_side(text, right_text)
    if {left.unit.dimension, right.unit.dimension} != _EQUIVALENT:
        raise UnitError(text, "an equivalence relates USP units and international units, one "
                        f"on each side (got {left.unit.dimension.value} and "
                        f"{right.unit.dimension.value})", _EQUIVALENCE_HINT)
    return left, right


def _equivalent_side(text: str, side: str) -> Amount:
    magnitude, unit_text = _split(side.strip(), "equivalence", _EQUIVALENCE_HINT)
    if _PER.search(unit_text):
        raise UnitError(text, "an equivalence relates two absolute amounts, not per kg or "
                        "per m2", _EQUIVALENCE_HINT)
    return Amount(magnitude, _amount_unit(text, unit_text, "equivalence", _EQUIVALENCE_HINT))


@exactly
def convert_by_equivalence(amount: Amount, target: Unit,
                           equivalence: tuple[Amount, Amount]) -> Amount:
    """``amount`` (USP units or international units) in ``target`` of the other of the two,
    through ``equivalence``: 30 USP units by ``1 USP unit = 1000 IU`` is 30,000 IU. Exact.

    Raises:
        UnitError: ``amount`` and ``target`` are not one of each of the equivalence's
            dimensions.
    """
    left, right = equivalence
    sides = {left.unit.dimension: left, right.unit.dimension: right}
    source, goal = sides.get(amount.unit.dimension), sides.get(target.dimension)
    if source is None or goal is None or source is goal:
        raise UnitError(str(amount), f"the equivalence {left} = {right} does not convert "
                        f"{amount.unit.dimension.value} into {target.symbol}")
    # amount / source x goal, each in its dimension's base unit, then in the target unit.
    base = (amount.magnitude * amount.unit.factor / (source.magnitude * source.unit.factor)
            * goal.magnitude * goal.unit.factor)
    return Amount(normal(base / target.factor), target)
