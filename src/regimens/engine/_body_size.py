"""The measurements a dose is computed from, resolved once per schedule (:class:`BodySize`).

Weight (actual, Devine's ideal, adjusted), body surface area (by the schedule's formula,
rounded for dosing, capped by ``bsa_max``) and, for AUC (Calvert) dosing, the GFR: measured,
or a Cockcroft-Gault clearance from serum creatinine, age, sex and weight. Each with the
words of its derivation.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .._records import dataclass
from ..errors import DoseError, MissingMeasurementError, QuantityError, RoundingWarning
from ..model import Dose, Participant, WeightBasis, bmi_text
from ..quantities import (
    CREATININE_FACTOR,
    GFR_MAX_DEFAULT,
    INCH_CM,
    Basis,
    BSAFormula,
    Sex,
    adjusted_weight,
    body_mass_index,
    bsa,
    cockcroft_gault,
    devine_ideal_weight,
    exactly,
    half_up,
    human_number,
    normal,
    plain,
    round_bsa,
)
from ._computed import _round_to

__all__ = ["BodySize", "check_measurements", "dosing_area"]


def _measure_text(value: Decimal, unit: str, given: str | None) -> str:
    """``70 kg``, or ``69.85322498 kg (from 154 lb)`` when another unit was given."""
    text = f"{human_number(value)} {unit}"
    given = (given or "").strip()
    return text if given.endswith(unit) else f"{text} (from {given})"


#: What a per-kg or per-m2 dose needs, said to one participant (the CLI's flags, which
#: ``expand``'s callers share) or to a cohort (``expand_cohort``'s keyword arguments).
_NEEDS = {
    (Basis.PER_KG, False): "a per-kg dose needs the participant's weight (--weight, e.g. 70kg)",
    (Basis.PER_KG, True): "a per-kg dose needs the participants' weights (weights=...)",
    (Basis.PER_M2, False): "a per-m2 dose needs the participant's height and weight "
    "(--height, --weight) or body surface area (--bsa)",
    (Basis.PER_M2, True): "a per-m2 dose needs the participants' heights and weights "
    "(heights=..., weights=...) or body surface areas (bsas=...)",
}


def check_measurements(basis: Basis, *, weight: bool, height: bool, area: bool,
                       cohort: bool = False) -> None:
    """Raise unless the measurements a ``basis`` dose needs were given.

    A per-kg dose needs a weight; a per-m2 dose a body surface area, or a
    height and a weight to compute it from; a flat dose nothing. ``cohort``
    names ``expand_cohort``'s arguments instead of the CLI's flags.

    Raises:
        MissingMeasurementError: naming the first missing measurement (``field``)
            and all of them (``needed``).
    """
    if basis is Basis.PER_KG:
        missing: tuple[str, ...] = () if weight else ("weight",)
    elif basis is Basis.PER_M2 and not area:
        missing = tuple(k for k, given in (("height", height), ("weight", weight)) if not given)
    else:
        missing = ()
    if missing:
        raise MissingMeasurementError(missing[0], _NEEDS[basis, cohort], missing)


def _four_decimals(exact: Decimal) -> Decimal:
    """An unrounded BSA as derivations and messages show it."""
    return half_up(exact, 4)


@exactly
def dosing_area(exact: Decimal, decimals: int) -> Decimal:
    """The BSA (m2) a dose is computed from: ``exact`` rounded half-up to ``decimals``.

    Raises:
        DoseError: the rounded BSA is 0 m² (a dose would be computed as nothing).
    """
    used = round_bsa(exact, decimals)
    if used == 0:
        raise DoseError(f"the body surface area {plain(_four_decimals(exact))} m² rounds to 0 m² "
                        f"at {decimals} decimals; use more decimals")
    return used


#: Why each input of an AUC dose, an ideal weight or a Cockcroft-Gault clearance is needed.
_AUC_NEEDS = ("AUC dosing needs a GFR or a serum creatinine with age and sex: give --gfr "
              "(e.g. 95mL/min), or --creatinine, --age (or --birth-date), --sex and --weight "
              "for Cockcroft-Gault")


_IDEAL_NEEDS = ("{what} needs the participant's height and sex (--height, --sex) for "
                "Devine's ideal body weight")


#: crcl_weight: auto takes the adjusted weight from this body-mass index (kg/m², included).
_BMI_ADJUSTED = Decimal(25)
_BMI_NEEDS = ("crcl_weight: auto needs the participant's height (--height) for the "
              "body-mass index")


@dataclass(frozen=True)
class BodySize:
    """The measurements a dose is computed from, resolved once per schedule."""

    participant: Participant
    formula: BSAFormula
    bsa_decimals: int

    def weight(self) -> Decimal:
        p = self.participant
        check_measurements(Basis.PER_KG, weight=p.weight_kg is not None,
                           height=p.height_cm is not None, area=p.bsa_m2 is not None)
        assert p.weight_kg is not None
        return p.weight_kg

    def weight_text(self) -> str:
        return _measure_text(self.weight(), "kg", self.participant.weight)

    @exactly
    def ideal(self, what: str) -> tuple[Decimal, str]:
        """Devine's ideal body weight (kg, rounded half up to 2 decimals) and its derivation."""
        p = self.participant
        missing = tuple(k for k, v in (("height", p.height_cm), ("sex", p.sex_value))
                        if v is None)
        if missing:
            raise MissingMeasurementError(missing[0], _IDEAL_NEEDS.format(what=what), missing)
        assert p.height_cm is not None
        assert p.sex_value is not None
        try:
            exact = devine_ideal_weight(p.height_cm, p.sex_value)
        except QuantityError:
            raise DoseError(f"{what} uses Devine's ideal body weight, which starts at 60 "
                            f"inches (152.4 cm); the height is "
                            f"{_measure_text(p.height_cm, 'cm', p.height)}: use the actual "
                            "weight") from None
        used = _round_to(exact, "0.01")
        female = p.sex_value is Sex.FEMALE
        inches = _round_to(p.height_cm / INCH_CM, "0.0001")
        how = (f"Devine, {p.sex_value.value}: {'45.5' if female else '50'} kg + 2.3 kg × "
               f"({_measure_text(p.height_cm, 'cm', p.height)} ÷ {plain(INCH_CM)} = "
               f"{plain(inches)} in − 60 in) = {plain(_round_to(exact, '0.0001'))} kg, "
               "rounded half up to 2 decimals")
        return used, how

    @exactly
    def weight_by(self, basis: WeightBasis, what: str) -> tuple[Decimal, str]:
        """The weight (kg) of ``basis`` and how it was obtained, for people."""
        actual = self.weight()
        if basis is WeightBasis.ACTUAL:
            return actual, self.weight_text()
        ideal, how = self.ideal(what)
        if basis is WeightBasis.IDEAL:
            return ideal, f"{human_number(ideal)} kg (ideal body weight; {how})"
        used = _round_to(adjusted_weight(actual, ideal), "0.01")
        return used, (f"{human_number(used)} kg (adjusted body weight: ideal {human_number(ideal)}"
                      f" kg + 0.4 × (actual {self.weight_text()} − {human_number(ideal)} kg), "
                      f"rounded half up to 2 decimals; ideal body weight by {how})")

    @exactly
    def area(self, cap: Decimal | None = None) -> tuple[Decimal, str, RoundingWarning | None]:
        """BSA in m2 as used for dosing, how it was obtained, and a warning if its
        rounding moved it by more than 10%. ``cap``: the dose's ``bsa_max`` (m2)."""
        p = self.participant
        if p.bsa_m2 is not None:
            used, how, warning = p.bsa_m2, "body surface area given", None
        else:
            check_measurements(Basis.PER_M2, weight=p.weight_kg is not None,
                               height=p.height_cm is not None, area=False)
            assert p.height_cm is not None
            assert p.weight_kg is not None
            exact = bsa(p.height_cm, p.weight_kg, self.formula)
            used = dosing_area(exact, self.bsa_decimals)
            shown = _four_decimals(exact)
            how = (f"{self.formula.label} from "
                   f"{_measure_text(p.height_cm, 'cm', p.height)} and {self.weight_text()}: "
                   f"{plain(shown)} m², "
                   f"rounded to {self.bsa_decimals} decimals")
            warning = None
            if abs(used - exact) * 10 > exact:
                warning = RoundingWarning(
                    f"rounding the body surface area to {self.bsa_decimals} decimals moves it "
                    f"from {plain(shown)} m² to {human_number(used)} m² (more than 10%); "
                    "use more decimals")
        if cap is not None and used > cap:
            how += f"; {human_number(used)} m² capped at bsa_max {human_number(cap)} m²"
            used = normal(cap)
        return used, f"{human_number(used)} m² ({how})", warning

    @exactly
    def gfr(self, dose: Dose, on: date | None) -> tuple[Decimal, str]:
        """The GFR (mL/min) of an AUC dose on ``on`` (the administration's date), and how it
        was obtained: measured, or Cockcroft-Gault; capped at ``gfr_max``."""
        p = self.participant
        if p.gfr_ml_min is not None:
            value, how = p.gfr_ml_min, f"GFR {human_number(p.gfr_ml_min)} mL/min measured (given)"
        else:
            age = p.age_on(on) if on is not None else p.age_years
            missing = tuple(k for k, v in (("creatinine", p.creatinine_value), ("age", age),
                                           ("sex", p.sex_value), ("weight", p.weight_kg))
                            if v is None)
            if missing:
                raise MissingMeasurementError("gfr", _AUC_NEEDS, ("gfr", *missing))
            assert age is not None
            assert p.sex_value is not None
            assert p.creatinine_value is not None
            assert p.creatinine_factor is not None
            if age < 18:
                raise DoseError(f"Cockcroft-Gault is for adults (18 years and over); the "
                                f"participant is {human_number(age)} years old: give a "
                                "measured GFR (--gfr)")
            weight, weight_how = self._crcl_weight(dose.crcl_weight)
            value, how = self._cockcroft_gault(dose, age, weight, weight_how, on)
        cap = dose.gfr_max if dose.gfr_max is not None else GFR_MAX_DEFAULT
        if value > cap:
            why = ("gfr_max" if dose.gfr_max is not None else
                   "the default gfr_max, after the FDA's 2010 carboplatin dosing advice")
            how += f"; {human_number(value)} mL/min capped at {human_number(cap)} mL/min ({why})"
            value = normal(cap)
        return value, how

    def _crcl_weight(self, basis: WeightBasis) -> tuple[Decimal, str]:
        p = self.participant
        if basis is not WeightBasis.AUTO:
            used, how = self.weight_by(basis, f"crcl_weight: {basis.value}")
            return used, how if basis is not WeightBasis.ACTUAL else f"{how} (actual weight)"
        if p.height_cm is None:
            raise MissingMeasurementError("height", _BMI_NEEDS, ("height",))
        bmi = body_mass_index(self.weight(), p.height_cm)
        shown = bmi_text(bmi, _BMI_ADJUSTED)
        if bmi >= _BMI_ADJUSTED:
            used, how = self.weight_by(WeightBasis.ADJUSTED, "crcl_weight: auto")
            return used, f"{how}; adjusted because the body-mass index {shown} is 25 or more"
        return self.weight(), (f"{self.weight_text()} (actual weight: the body-mass index "
                               f"{shown} is under 25)")

    def _cockcroft_gault(self, dose: Dose, age: Decimal, weight: Decimal, weight_how: str,
                         on: date | None) -> tuple[Decimal, str]:
        p = self.participant
        assert p.creatinine_value is not None
        assert p.creatinine_factor is not None
        assert p.sex_value is not None
        value, factor = p.creatinine_value, p.creatinine_factor
        unit = "mg/dL" if factor == 1 else "µmol/L"
        creatinine = f"serum creatinine {human_number(value)} {unit}"
        if factor != 1:
            creatinine += (f" (= {plain(_round_to(value / factor, '0.0001'))} mg/dL at "
                           f"{plain(CREATININE_FACTOR)} µmol/L per mg/dL, unrounded in the "
                           "calculation)")
        if dose.creatinine_min is not None:
            floor, floor_factor = dose.creatinine_min
            if value / factor < floor / floor_factor:
                floor_unit = "mg/dL" if floor_factor == 1 else "µmol/L"
                creatinine += (f", raised to creatinine_min {human_number(floor)} {floor_unit}")
                value, factor = floor, floor_factor
        female = p.sex_value is Sex.FEMALE
        exact = cockcroft_gault(age, weight, value, factor, p.sex_value)
        used = _round_to(exact, "0.1")
        born = (f" (on {on.isoformat()}, born {p.birth.isoformat()})"
                if p.birth is not None and on is not None else "")
        scr = (f"{human_number(value)} mg/dL" if factor == 1 else
               f"({human_number(value)} µmol/L ÷ {plain(CREATININE_FACTOR)})")
        how = (f"GFR by Cockcroft-Gault from age {human_number(age)} years{born}, "
               f"{weight_how}, {creatinine}, {p.sex_value.value}: (140 − {human_number(age)}) "
               f"× {human_number(weight)} kg ÷ (72 × {scr})"
               + (" × 0.85" if female else "")
               + f" = {plain(_round_to(exact, '0.0001'))} mL/min, rounded half up to 1 decimal"
               f" = {human_number(used)} mL/min")
        return used, how
