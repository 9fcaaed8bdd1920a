"""Kidney function and weight bases: Calvert, Cockcroft-Gault, Devine, adjusted weight.

Every function is exact (:class:`~decimal.Decimal`, 100 significant digits) and
unrounded: the engine rounds each intermediate once, by a rule it states in the
derivation (docs/format.md, "AUC dosing" and "Weight bases").

Sources:

- Calvert AH, Newell DR, Gumbrell LA, et al. Carboplatin dosage: prospective
  evaluation of a simple formula based on renal function. J Clin Oncol.
  1989;7(11):1748-1756. Dose (mg) = target AUC (mg/mL·min) x (GFR (mL/min) + 25).
- Cockcroft DW, Gault MH. Prediction of creatinine clearance from serum
  creatinine. Nephron. 1976;16(1):31-41. CrCl (mL/min) = (140 - age) x weight (kg)
  / (72 x serum creatinine (mg/dL)), x 0.85 for women.
- Devine BJ. Gentamicin therapy. Drug Intell Clin Pharm. 1974;8:650-655. Ideal
  body weight = 50 kg (men) or 45.5 kg (women) + 2.3 kg per inch over 60 inches.
- Adjusted body weight = ideal + 0.4 x (actual - ideal) (the 0.4 factor of
  Bauer LA, Applied Clinical Pharmacokinetics, as NCCN order templates use it).
- 1 mg/dL of creatinine = 88.4 µmol/L (molar mass 113.12 g/mol, rounded as
  laboratories and the KDIGO guideline use it).

>>> str(calvert(Decimal(5), Decimal("57.1")))
'410.5'
"""

from __future__ import annotations

import enum
import re
from decimal import Decimal

from ..errors import QuantityError, QuantityTypeError, UnitError
from ._exact import exactly
from ._numbers import decimal_argument, normal
from ._parse import _split

__all__ = ["CREATININE_FACTOR", "GFR_MAX_DEFAULT", "INCH_CM", "Sex", "adjusted_weight",
           "body_mass_index", "calvert", "cockcroft_gault", "devine_ideal_weight",
           "parse_creatinine", "parse_gfr"]

#: µmol/L of creatinine in 1 mg/dL.
CREATININE_FACTOR = Decimal("88.4")
#: The GFR cap (mL/min) when a regimen gives none: the FDA's 2010 carboplatin dosing advice
#: (a creatinine clearance by Cockcroft-Gault, capped at 125 mL/min, for Calvert).
GFR_MAX_DEFAULT = Decimal(125)
#: Centimetres in one inch, exactly (the international inch of 1959).
INCH_CM = Decimal("2.54")
#: Calvert's constant: the non-renal clearance of carboplatin, mL/min.
CALVERT_NON_RENAL = Decimal(25)


class Sex(enum.Enum):
    """Sex as Cockcroft-Gault and Devine use it (their published coefficients)."""

    FEMALE = "female"
    MALE = "male"


def _sex(value: object, quantity: str) -> Sex:
    # A Sex or its name. Anything else is refused: "female" given as text was read as
    # male (the formulas test `sex is Sex.FEMALE`), a coefficient silently wrong.
    if isinstance(value, Sex):
        return value
    if isinstance(value, str):
        try:
            return Sex(value)
        except ValueError:
            raise QuantityError(quantity, "sex must be female or male", value) from None
    raise QuantityTypeError(quantity, "sex must be a Sex (Sex.FEMALE, Sex.MALE) or its name, "
                            "female or male", value)


@exactly
def calvert(auc: Decimal | int | float, gfr_ml_min: Decimal | int | float) -> Decimal:
    """Carboplatin dose in mg: ``auc`` (mg/mL·min) x (``gfr_ml_min`` + 25), exactly
    (Calvert 1989).

    Raises:
        QuantityTypeError: (also a ``TypeError``) ``auc`` or ``gfr_ml_min`` is not a
            Decimal, an int or a float (a float is read as written, its shortest decimal
            text: ``57.1`` is 57.1); the message names the argument.
        QuantityError: (also a ``ValueError``) a float or a Decimal that is not finite.
    """
    auc = decimal_argument(auc, "auc", "carboplatin dose")
    gfr_ml_min = decimal_argument(gfr_ml_min, "gfr_ml_min", "carboplatin dose")
    return normal(auc * (gfr_ml_min + CALVERT_NON_RENAL))


@exactly
def cockcroft_gault(age_years: Decimal | int | float, weight_kg: Decimal | int | float,
                    creatinine: Decimal | int | float,
                    creatinine_factor: Decimal | int | float, sex: Sex | str) -> Decimal:
    """Creatinine clearance in mL/min by Cockcroft-Gault (1976), unrounded.

    ``creatinine`` is the serum creatinine in mg/dL (``creatinine_factor`` 1) or in
    µmol/L (``creatinine_factor`` :data:`CREATININE_FACTOR`): the value in mg/dL is
    ``creatinine / creatinine_factor``, folded into the one division, so nothing is
    rounded before the end. Numbers: a Decimal, an int or a float (read as written, its
    shortest decimal text); ``sex``: a :class:`Sex` or its name.

    Raises:
        QuantityTypeError: (also a ``TypeError``) a number argument that is not a Decimal,
            an int or a float, or a ``sex`` that is not a :class:`Sex` or text; the message
            names the argument.
        QuantityError: an age of 140 years or more (the formula would give no clearance),
            a creatinine or weight that is not positive, a float or a Decimal that is not
            finite, or a sex named other than female or male.
    """
    what = "creatinine clearance"
    age_years = decimal_argument(age_years, "age_years", what)
    weight_kg = decimal_argument(weight_kg, "weight_kg", what)
    creatinine = decimal_argument(creatinine, "creatinine", what)
    creatinine_factor = decimal_argument(creatinine_factor, "creatinine_factor", what)
    sex = _sex(sex, what)
    if age_years >= 140 or creatinine <= 0 or weight_kg <= 0:
        raise QuantityError("creatinine clearance", "needs an age under 140 years and a "
                            "positive weight and creatinine")
    value = (140 - age_years) * weight_kg * creatinine_factor / (72 * creatinine)
    return value * Decimal("0.85") if sex is Sex.FEMALE else value


@exactly
def devine_ideal_weight(height_cm: Decimal | int | float, sex: Sex | str) -> Decimal:
    """Ideal body weight in kg by Devine (1974), unrounded: the height is converted to
    inches exactly (÷ 2.54), never rounded to whole inches. ``height_cm``: a Decimal, an
    int or a float (read as written); ``sex``: a :class:`Sex` or its name.

    Raises:
        QuantityTypeError: (also a ``TypeError``) ``height_cm`` is not a Decimal, an int or
            a float, or ``sex`` is not a :class:`Sex` or text; the message names it.
        QuantityError: a height under 60 inches (152.4 cm), below the formula's range, a
            float that is not finite, or a sex named other than female or male.
    """
    height_cm = decimal_argument(height_cm, "height_cm", "ideal body weight")
    sex = _sex(sex, "ideal body weight")
    inches = height_cm / INCH_CM
    if inches < 60:
        raise QuantityError("ideal body weight", "Devine's formula starts at 60 inches "
                            "(152.4 cm)", height_cm)
    base = Decimal("45.5") if sex is Sex.FEMALE else Decimal(50)
    return base + Decimal("2.3") * (inches - 60)


@exactly
def adjusted_weight(actual_kg: Decimal | int | float, ideal_kg: Decimal | int | float
                    ) -> Decimal:
    """Adjusted body weight in kg: ideal + 0.4 x (actual - ideal), unrounded.

    Raises:
        QuantityTypeError: (also a ``TypeError``) ``actual_kg`` or ``ideal_kg`` is not a
            Decimal, an int or a float (a float is read as written); the message names it.
        QuantityError: (also a ``ValueError``) a float or a Decimal that is not finite.
    """
    actual_kg = decimal_argument(actual_kg, "actual_kg", "adjusted body weight")
    ideal_kg = decimal_argument(ideal_kg, "ideal_kg", "adjusted body weight")
    return ideal_kg + Decimal("0.4") * (actual_kg - ideal_kg)


@exactly
def body_mass_index(weight_kg: Decimal | int | float, height_cm: Decimal | int | float
                    ) -> Decimal:
    """Body-mass index in kg/m², unrounded: weight / (height in m)².

    Raises:
        QuantityTypeError: (also a ``TypeError``) ``weight_kg`` or ``height_cm`` is not a
            Decimal, an int or a float (a float is read as written); the message names it.
        QuantityError: (also a ``ValueError``) a float or a Decimal that is not finite.
    """
    weight_kg = decimal_argument(weight_kg, "weight_kg", "body-mass index")
    height_cm = decimal_argument(height_cm, "height_cm", "body-mass index")
    return weight_kg / (height_cm / 100) ** 2


_GFR_UNIT = re.compile(r"m[lL]\s*/\s*min\Z")
_INDEXED = re.compile(r"1\.73|m2|m²", re.IGNORECASE)
_CREATININE_UNITS = {"mg/dL": Decimal(1), "mg/dl": Decimal(1), "µmol/L": CREATININE_FACTOR,
                     "μmol/L": CREATININE_FACTOR, "umol/L": CREATININE_FACTOR,
                     "µmol/l": CREATININE_FACTOR, "μmol/l": CREATININE_FACTOR,
                     "umol/l": CREATININE_FACTOR}
_GFR_HINT = "write a number and mL/min, e.g. '95 mL/min'"
_CREATININE_HINT = ("write a number and mg/dL or µmol/L (also umol/L), e.g. '1.1 mg/dL' or "
                    "'97 µmol/L'")


def parse_gfr(text: object) -> Decimal:
    """A measured GFR as absolute mL/min: ``"95 mL/min"`` -> ``Decimal("95")``.

    Raises:
        UnitError: no unit, another unit, or a GFR per 1.73 m² (indexed to body
            surface area), which Calvert's formula does not take.
    """
    magnitude, unit_text = _split(text, "GFR", _GFR_HINT)
    unit_text = unit_text.strip()
    if _GFR_UNIT.match(unit_text):
        return magnitude
    if _INDEXED.search(unit_text):
        raise UnitError(text, "GFR is absolute (mL/min), never per 1.73 m²: Calvert's formula "
                        "takes the participant's own clearance", _GFR_HINT)
    raise UnitError(text, f"unknown GFR unit {unit_text!r}", _GFR_HINT)


def parse_creatinine(text: object) -> tuple[Decimal, Decimal]:
    """A serum creatinine: its number and the factor that gives mg/dL (value / factor).

    ``"1.1 mg/dL"`` -> ``(1.1, 1)``; ``"97 µmol/L"`` and ``"97 umol/L"`` -> ``(97, 88.4)``.

    Raises:
        UnitError: no unit or another unit.
    """
    magnitude, unit_text = _split(text, "serum creatinine", _CREATININE_HINT)
    unit_text = re.sub(r"\s*/\s*", "/", unit_text.strip())
    factor = _CREATININE_UNITS.get(unit_text)
    if factor is None:
        raise UnitError(text, f"unknown creatinine unit {unit_text!r}", _CREATININE_HINT)
    return magnitude, factor
