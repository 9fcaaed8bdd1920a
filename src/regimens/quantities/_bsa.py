"""Body surface area formulas: one coefficient table, an exact and a float path.

H is height in cm, W weight in kg (Boyd: Wg, weight in grams). Every formula
is one row of :data:`_TABLE`, with its coefficients as decimal strings; that
row feeds the exact :class:`~decimal.Decimal` path (:func:`bsa`, used by
``expand``), the float64 path of the batch API (:func:`bsa_float`,
:func:`rounded_bsa`) and the equation text (:attr:`BSAFormula.equation`), so
the three cannot drift apart. Published vectors (pharmaverse admiral, 3
decimals) are pinned in the tests, not restated formulas.

Sources (also on each member's :attr:`BSAFormula.reference`):

- Mosteller RD. Simplified calculation of body-surface area.
  N Engl J Med. 1987;317(17):1098.
- Du Bois D, Du Bois EF. A formula to estimate the approximate surface area
  if height and weight be known. Arch Intern Med. 1916;17(6):863-871.
- Haycock GB, Schwartz GJ, Wisotsky DH. Geometric method for measuring body
  surface area: a height-weight formula validated in infants, children, and
  adults. J Pediatr. 1978;93(1):62-66.
- Gehan EA, George SL. Estimation of human body surface area from height and
  weight. Cancer Chemother Rep. 1970;54(4):225-235.
- Boyd E. The Growth of the Surface Area of the Human Body. Institute of
  Child Welfare Monograph Series No. 10. Minneapolis: University of
  Minnesota Press; 1935 (a monograph, not a journal article); the form with
  weight in grams in both the power and the logarithm is the one pharmaverse
  admiral implements and tests.

>>> str(bsa(Decimal(170), Decimal(75), BSAFormula.MOSTELLER).quantize(Decimal("0.001")))
'1.882'
"""

from __future__ import annotations

import enum
from decimal import Decimal, InvalidOperation, localcontext
from typing import Any

from .._records import dataclass
from ..errors import QuantityError, QuantityTypeError
from ._exact import EXACT, exactly
from ._numbers import decimal_argument, half_up, shortest_decimal

__all__ = ["BSAFormula", "bsa", "bsa_float", "round_bsa", "rounded_bsa"]


class BSAFormula(enum.Enum):
    """The formula used to estimate body surface area; always stated in output.

    The values are the names accepted by ``--bsa-formula`` and ``bsa_formula=``.
    """

    MOSTELLER = "mosteller"
    DUBOIS = "dubois"
    HAYCOCK = "haycock"
    GEHAN_GEORGE = "gehan-george"
    BOYD = "boyd"

    @property
    def label(self) -> str:
        """The name printed in derivations: ``"Mosteller"``, ``"DuBois"``..."""
        return _TABLE[self].label

    @property
    def equation(self) -> str:
        """The equation with its coefficients, e.g. ``"0.007184 x H^0.725 x W^0.425  (DuBois
        1916)"``; H in cm, W in kg (Wg in grams)."""
        return _TABLE[self].equation()

    @property
    def reference(self) -> str:
        """The published source in full: authors, title, journal, year, volume, pages."""
        return _TABLE[self].reference


@dataclass(frozen=True)
class _Coefficients:
    """BSA (m2) = coefficient x H^height x W^(weight - weight_log x log10 W) / divisor.

    W is in kg, or in grams when ``grams`` is set (Boyd). All numbers are
    decimal strings, read exactly by the Decimal path.
    """

    label: str
    cite: str  # short, in the equation text: "Mosteller 1987"
    reference: str
    coefficient: str
    height: str
    weight: str
    weight_log: str = "0"
    divisor: str = "1"
    grams: bool = False

    @property
    def square_root(self) -> bool:
        """Mosteller's form, sqrt(H x W / divisor^2): computed with one square root, which
        is exact whenever the result is, unlike a general power (so a BSA lying exactly
        on a rounding boundary, such as 180 cm and 68.0805 kg giving 1.845 m2, is exact)."""
        return self.height == self.weight == "0.5" and self.coefficient == "1"

    def equation(self) -> str:
        if self.square_root:
            divisor = Decimal(self.divisor) ** 2
            return f"sqrt(H x W / {divisor})  ({self.cite})"
        if self.grams:
            return (f"{self.coefficient} x H^{self.height} x Wg^({self.weight} - "
                    f"{self.weight_log} x log10 Wg), Wg in grams  ({self.cite})")
        return f"{self.coefficient} x H^{self.height} x W^{self.weight}  ({self.cite})"


_TABLE = {
    BSAFormula.MOSTELLER: _Coefficients(
        "Mosteller", "Mosteller 1987",
        "Mosteller RD. Simplified calculation of body-surface area. "
        "N Engl J Med. 1987;317(17):1098.",
        coefficient="1", height="0.5", weight="0.5", divisor="60"),
    BSAFormula.DUBOIS: _Coefficients(
        "DuBois", "DuBois 1916",
        "Du Bois D, Du Bois EF. A formula to estimate the approximate surface area if height "
        "and weight be known. Arch Intern Med. 1916;17(6):863-871.",
        coefficient="0.007184", height="0.725", weight="0.425"),
    BSAFormula.HAYCOCK: _Coefficients(
        "Haycock", "Haycock 1978",
        "Haycock GB, Schwartz GJ, Wisotsky DH. Geometric method for measuring body surface "
        "area: a height-weight formula validated in infants, children, and adults. "
        "J Pediatr. 1978;93(1):62-66.",
        coefficient="0.024265", height="0.3964", weight="0.5378"),
    BSAFormula.GEHAN_GEORGE: _Coefficients(
        "Gehan-George", "Gehan and George 1970",
        "Gehan EA, George SL. Estimation of human body surface area from height and weight. "
        "Cancer Chemother Rep. 1970;54(4):225-235.",
        coefficient="0.0235", height="0.42246", weight="0.51456"),
    # Weight in grams in both the power and the log (a common bug mixes kg into one).
    BSAFormula.BOYD: _Coefficients(
        "Boyd", "Boyd 1935",
        "Boyd E. The Growth of the Surface Area of the Human Body. Institute of Child Welfare "
        "Monograph Series No. 10. Minneapolis: University of Minnesota Press; 1935.",
        coefficient="0.0003207", height="0.3", weight="0.7285", weight_log="0.0188",
        grams=True),
}


def _formula(formula: object) -> BSAFormula:
    if isinstance(formula, BSAFormula):
        return formula
    try:
        return BSAFormula(formula)
    except ValueError:
        allowed = ", ".join(f.value for f in BSAFormula)
        raise QuantityError("bsa", f"unknown formula; allowed: {allowed}", formula) from None


def _decimal(value: object, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, float, str)):
        raise QuantityTypeError("bsa", f"{name} is a number (Decimal)", value)
    try:
        # A float as it was written (175.3, not its binary expansion 175.30000000000001136...),
        # as the batch API reads floats: the same numbers give the same BSA either way.
        number = shortest_decimal(value) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise QuantityError("bsa", f"{name} is not a finite number", value)
    return number


def bsa(height_cm: Decimal | int | float | str, weight_kg: Decimal | int | float | str,
        formula: BSAFormula | str) -> Decimal:
    """Body surface area in m2, unrounded, in exact decimal arithmetic (30 significant digits).

    ``height_cm`` in cm and ``weight_kg`` in kg, both positive: a ``Decimal``, an ``int``,
    a ``float`` (read as written, by its shortest decimal text: ``157.5`` is 157.5 exactly,
    as the batch API reads floats) or a number as text (``"157.5"``, no unit).
    ``formula``: a :class:`BSAFormula` or its name (``"mosteller"``). The formulas and their
    sources are listed in :class:`BSAFormula` (:attr:`~BSAFormula.reference`).

    Raises:
        QuantityTypeError: (also a ``TypeError``) a height or weight that is not a number
            (a bool, None, any other type).
        QuantityError: (also a ``ValueError``) a height or weight that is zero, negative
            or not finite (NaN, infinity, text that is not a number), or an unknown
            formula (the message lists the names allowed).
    """
    row = _TABLE[_formula(formula)]
    # 30 significant digits, rounded half-even, whatever the caller's context says.
    with localcontext(EXACT) as ctx:
        ctx.prec = 30
        h, w = _decimal(height_cm, "height_cm"), _decimal(weight_kg, "weight_kg")
        if h <= 0 or w <= 0:
            raise QuantityError("bsa", "height and weight must be positive")
        if row.square_root:
            return (h * w / Decimal(row.divisor) ** 2).sqrt()
        if row.grams:
            w = w * 1000
        exponent = Decimal(row.weight)
        if row.weight_log != "0":
            exponent -= Decimal(row.weight_log) * w.log10()
        value = Decimal(row.coefficient) * h ** Decimal(row.height) * w**exponent
        return value if row.divisor == "1" else value / Decimal(row.divisor)


@exactly
def round_bsa(exact: Decimal | int | float, decimals: int) -> Decimal:
    """A BSA as used for dosing: ``exact`` rounded half-up to ``decimals`` (an int from 1 to
    6, as ``expand``'s ``bsa_decimals``), in m2.

    The one rounding rule of both ``expand`` and the batch API; whether the
    result may be 0 is the engine's call (it refuses it). ``exact``: a Decimal, an int or
    a float (read as written, its shortest decimal text).

    Raises:
        QuantityTypeError: (also a ``TypeError``) ``exact`` is not a Decimal, an int or a
            float, or ``decimals`` is not an int; the message names the argument.
        QuantityError: (also a ``ValueError``) an ``exact`` that is not finite (a float or
            a Decimal), or ``decimals`` outside 1 to 6 (0 would round 0.29 m² to 0, 40
            would dose from 40 decimals, -1 to tens of m²); the message names the argument,
            the value and the range.
    """
    if type(exact) is not Decimal or not exact.is_finite():
        exact = decimal_argument(exact, "exact", "bsa")
    if isinstance(decimals, bool) or not isinstance(decimals, int):
        raise QuantityTypeError("bsa", "decimals must be a whole number of decimals, an int",
                                decimals)
    if not 1 <= decimals <= 6:
        raise QuantityError("bsa", "decimals must be a whole number from 1 to 6", decimals)
    return half_up(exact, decimals)  # the one rounding of figures shown


def bsa_float(height_cm: Any, weight_kg: Any, formula: BSAFormula, np: Any) -> Any:
    """Body surface area in m2 in float64, for NumPy arrays of heights (cm) and weights (kg).

    The same table and the same algebra as :func:`bsa`, within about 1e-15
    of it; ``np`` is the NumPy module (passed in: this layer does not import
    NumPy). Use :func:`rounded_bsa` for a BSA to dose with.
    """
    row = _TABLE[formula]
    if row.square_root:
        return np.sqrt(height_cm * weight_kg / float(Decimal(row.divisor) ** 2))
    w = weight_kg * 1000.0 if row.grams else weight_kg
    exponent: Any = float(row.weight)
    if row.weight_log != "0":
        exponent = exponent - float(row.weight_log) * np.log10(w)
    value = float(row.coefficient) * height_cm ** float(row.height) * w**exponent
    return value if row.divisor == "1" else value / float(row.divisor)


@exactly
def rounded_bsa(height_cm: Any, weight_kg: Any, formula: BSAFormula, decimals: int,
                np: Any) -> Any:
    """BSA rounded as :func:`round_bsa` rounds it, as int64 counts of 10^-decimals m2.

    Computed in float64 (:func:`bsa_float`); float64 is within about 1e-15 of
    the exact value, so only the entries within 1e-9 of a rounding boundary
    are recomputed with :func:`bsa` from the shortest decimal of each float
    (as ``expand`` reads ``"68.0805 kg"``). Every count therefore equals the
    exact rounding.
    """
    scale = 10.0**decimals
    scaled = bsa_float(height_cm, weight_kg, formula, np) * scale
    counts = np.floor(scaled + 0.5).astype("int64")
    near = np.flatnonzero(np.abs(scaled - (np.floor(scaled) + 0.5)) < 1e-9 * scale)
    for i in near.tolist():
        exact = bsa(shortest_decimal(height_cm[i]), shortest_decimal(weight_kg[i]), formula)
        counts[i] = int(round_bsa(exact, decimals).scaleb(decimals))
    return counts
