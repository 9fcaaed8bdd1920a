"""Computing a dose for a participant, with the derivation a person can check.

Order of operations, always the same and always stated: basis x body size
-> rounded to a multiple (if ``round``) -> capped (if ``max``), so that a cap
is never exceeded.
"""

from __future__ import annotations

from dataclasses import field, replace
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from .._records import dataclass
from ..errors import (
    DoseError,
    MissingMeasurementError,
    QuantityError,
    RoundingWarning,
    StandardDoseWarning,
)
from ..model import (
    BandBy,
    Dose,
    DoseLevel,
    OutsideTolerance,
    Participant,
    Rounding,
    StandardDoses,
    WeightBasis,
    band_edge_text,
)
from ..quantities import (
    CREATININE_FACTOR,
    FORM_PARTS,
    GFR_MAX_DEFAULT,
    INCH_CM,
    Amount,
    Basis,
    BSAFormula,
    DoseQuantity,
    Sex,
    Strength,
    Unit,
    VialCombination,
    adjusted_weight,
    body_mass_index,
    bsa,
    cockcroft_gault,
    convert_by_equivalence,
    devine_ideal_weight,
    exactly,
    form_count,
    form_part_problem,
    human_amount,
    human_dose_quantity,
    human_number,
    normal,
    plain,
    round_bsa,
    whole_vial_amounts,
)

__all__ = ["BodySize", "ComputedDose", "banded_text", "check_measurements", "compute_dose",
           "dated_by_birth", "dose_amount", "dose_rounding_moves", "dosing_area", "located",
           "refuse_unsupported", "symbolic_level"]

_MODES = {Rounding.NEAREST: ROUND_HALF_UP, Rounding.UP: ROUND_CEILING, Rounding.DOWN: ROUND_FLOOR}
_MODE_TEXT = {Rounding.NEAREST: "to the nearest", Rounding.UP: "up to a", Rounding.DOWN:
              "down to a"}


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
    return normal(exact.quantize(Decimal("0.0001"), ROUND_HALF_UP))


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
_BMI_NEEDS = ("crcl_weight: auto needs the participant's height (--height) for the "
              "body-mass index")


def _round_to(value: Decimal, quantum: str) -> Decimal:
    """``value`` rounded half up to ``quantum`` (``"0.01"``), trailing zeros dropped."""
    return normal(value.quantize(Decimal(quantum), ROUND_HALF_UP))


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
        shown = human_number(_round_to(bmi, "0.1"))
        if bmi >= 25:
            used, how = self.weight_by(WeightBasis.ADJUSTED, "crcl_weight: auto")
            return used, f"{how}; adjusted because the body-mass index {shown} kg/m² is 25 or more"
        return self.weight(), (f"{self.weight_text()} (actual weight: the body-mass index "
                               f"{shown} kg/m² is under 25)")

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


@dataclass(frozen=True)
class ComputedDose:
    """The amount for one administration and how it was obtained.

    ``amount`` is exact (None: placebo, or no amount fixed by the protocol);
    ``text`` is what a person reads, in safe medication notation (ISMP List of
    Error-Prone Abbreviations: "368,000 units", "2 million units", never "2 MIU");
    ``derivation`` shows the arithmetic ("10 mg per kg × 70 kg = 700 mg, ...");
    ``basis`` and ``per_basis`` are the dose as written; ``vials`` the vials it is
    made up of.
    """

    amount: Amount | None  # None: placebo, or no amount fixed by the protocol
    text: str  # what a person reads: "368,000 units", "placebo", ...
    derivation: str
    basis: Basis | None = None
    per_basis: Dose | None = None
    # Warnings are exceptions, equal only to themselves: comparing them would make the
    # same dose from two expansions unequal. Their text follows from the fields above.
    warnings: tuple[RoundingWarning, ...] = field(default=(), compare=False)
    #: The whole vials that make up ``amount`` (its drug's ``vials``, by the vial rule:
    #: :func:`~regimens.least_waste_vials`); None when the drug has no vials or there is
    #: no amount.
    vials: VialCombination | None = None
    #: The dose counted in its drug's dosage form (``2 tablet``), when the drug has a
    #: strength (:attr:`Drug.strength`); else None.
    form: Amount | None = None
    #: The amount of drug that count holds (``1000 mg``), with ``form``; else None.
    content: Amount | None = None


@exactly
def compute_dose(dose: Dose, body: BodySize, level: DoseLevel | None = None,
                 on: date | None = None, vials: tuple[Amount, ...] = ()) -> ComputedDose:
    """The dose for one administration on ``on`` (its date; ages from a birth date are
    taken on it) at dose ``level`` (None: level 0, the written dose). ``vials``: the
    drug's vial sizes, which ``round: {to_vial: true}`` rounds to.

    A divided daily dose (``dose.divided``): the daily dose (at ``level``) is computed
    unrounded, divided by the number of administrations a day, and each part rounded by
    ``round``; the derivation states the daily dose, the division, the rounding and, when
    the rounded parts do not add up to the daily dose, the difference.

    Raises:
        DoseError: the dose cannot be computed safely (a daily dose that does not divide
            exactly and has no ``round``, a dose that rounds to nothing, a measure below
            the first band...); a dose read from a file is located (``file``, ``line``,
            ``loc`` of the dose field: :attr:`Dose.where`).
        MissingMeasurementError: the dose needs a measurement the participant lacks;
            located at the dose field likewise.
    """
    try:
        return _with_form(_leveled(dose, body, level, on, vials), dose)
    except DoseError as exc:
        raise located(exc, dose) from None
    except MissingMeasurementError as exc:
        file, line, loc = dose.where
        if not file or exc.file is not None:
            raise
        # The dose of the regimen file that needs the measurement, as a DoseError says it.
        raise MissingMeasurementError(exc.field, exc.reason, exc.needed, file, line,
                                      loc) from None


def located(exc: DoseError, dose: Dose) -> DoseError:
    """``exc`` placed at the dose field it was raised for (``dose.where``), unless it is
    placed already or the dose was built in Python (no file)."""
    file, line, loc = dose.where
    if not file or exc.file is not None:
        return exc
    return DoseError(exc.reason, exc.participant, file, line, loc)


@exactly
def _leveled(dose: Dose, body: BodySize, level: DoseLevel | None,
             on: date | None, vials: tuple[Amount, ...] = ()) -> ComputedDose:
    if dose.divided is not None:
        return _divided(dose, body, level, on)
    if level is None:
        return _compute(dose, body, on, vials)
    if level.quantity is not None:
        computed = _compute(replace(dose, quantity=level.quantity), body, on, vials)
        return replace(computed, derivation=f"dose level {level.level}: {computed.derivation}",
                       per_basis=dose)
    full = _compute(dose, body, on, vials)
    assert full.amount is not None
    assert level.percent is not None
    unit = full.amount.unit
    value = normal(full.amount.magnitude * level.percent / 100)
    steps = (f"dose level {level.level}: {plain(level.percent)}% of the level-0 dose "
             f"{human_amount(full.amount)} = {human_amount(Amount(value, unit))}")
    found = list(full.warnings)
    if dose.round is not None and dose.basis is not Basis.FLAT:
        rounded = _round(dose, value, f"{plain(level.percent)}% of {human_amount(full.amount)}")
        steps += (f", rounded {_MODE_TEXT[dose.rounding]} multiple of "
                  f"{_round_text(dose)} = {human_amount(Amount(rounded, unit))}")
        value = rounded
    elif dose.standard is not None:
        standard = _to_standard(dose.standard, value, unit, vials,
                                f"{plain(level.percent)}% of {human_amount(full.amount)}")
        steps += standard.text
        value = standard.value
        if standard.warning is not None:
            found.append(standard.warning)
    if dose.max is not None and value > _in_unit(dose, dose.max, unit):
        value = normal(_in_unit(dose, dose.max, unit))
        steps += f", capped at the maximum of {_limit_text(dose, dose.max)}"
    amount = Amount(value, unit)
    return ComputedDose(amount, human_amount(amount),
                        f"{steps} (level 0: {full.derivation})", full.basis, dose, tuple(found))


@exactly
def _divided(dose: Dose, body: BodySize, level: DoseLevel | None,
             on: date | None) -> ComputedDose:
    assert dose.divided is not None
    n = dose.divided
    daily = compute_dose(replace(dose, divided=None, round=None, strength=None), body, level, on)
    assert daily.amount is not None
    unit = daily.amount.unit
    whole = daily.amount.magnitude
    part = whole / n
    found = list(daily.warnings)
    steps = (f"daily dose {daily.derivation}; ÷ {n} administrations a day")
    if dose.round is None:
        if normal(part) * n != whole:
            raise DoseError(f"the daily dose {human_amount(daily.amount)} does not divide "
                            f"exactly into {n} administrations; give 'round' (e.g. "
                            f"'round: 1 {unit.symbol}') to round each administration")
        value = normal(part)
        steps += f" = {human_amount(Amount(value, unit))} each"
    else:
        # _round reads the unit from the dose: the level's unit may differ from the written.
        in_unit = replace(dose, quantity=DoseQuantity(Amount(whole, unit), dose.basis))
        value = _round(in_unit, part, f"the daily dose {human_amount(daily.amount)} ÷ {n}")
        steps += (f" = {plain(_round_to(part, '0.0001'))} {unit.symbol} unrounded, rounded "
                  f"{_MODE_TEXT[dose.rounding]} multiple of {_round_text(dose)} = "
                  f"{human_amount(Amount(value, unit))} each")
        if abs(value - part) * 10 > part:
            found.append(RoundingWarning(
                f"rounding to a multiple of {_round_text(dose)} moves each part of the "
                f"daily dose from {plain(_round_to(part, '0.0001'))} {unit.symbol} to "
                f"{human_amount(Amount(value, unit))} (more than 10%); use a smaller 'round' "
                "increment"))
    given = normal(value * n)
    if given != whole:
        diff = normal(abs(given - whole))
        steps += (f"; {n} × {human_amount(Amount(value, unit))} = "
                  f"{human_amount(Amount(given, unit))} a day, "
                  f"{human_amount(Amount(diff, unit))} {'more' if given > whole else 'less'} "
                  f"than the daily dose {human_amount(daily.amount)} (difference by rounding)")
    amount = Amount(value, unit)
    return ComputedDose(amount, human_amount(amount), steps, daily.basis, dose, tuple(found))


@exactly
def symbolic_level(dose: Dose, level: DoseLevel) -> tuple[Dose, str]:
    """A per-kg, per-m2 or AUC dose at ``level`` as written (no participant: ``check``),
    and its text: ``"dose level -1: 80% of AUC 5 = AUC 4"``. Caps and rounding are the
    participant's (``check`` says its totals are before them)."""
    if level.quantity is not None:
        leveled = replace(dose, quantity=level.quantity)
        return leveled, f"dose level {level.level}: {human_dose_quantity(level.quantity)}"
    assert level.percent is not None
    q = dose.quantity
    quantity = DoseQuantity(Amount(normal(q.amount.magnitude * level.percent / 100),
                                   q.amount.unit), q.basis)
    return replace(dose, quantity=quantity), (
        f"dose level {level.level}: {plain(level.percent)}% of {human_dose_quantity(q)} = "
        f"{human_dose_quantity(quantity)}")


_BAND_NEEDS = ("a dose banded by age needs the participant's age (--age) or birth date "
               "(--birth-date)")


def _completed_months(born: date, day: date) -> int:
    """Whole months completed from ``born`` to ``day`` (a month is completed on the same
    day of the month, or on the 1st of the next month when it has no such day)."""
    months = (day.year - born.year) * 12 + day.month - born.month
    return months - (day.day < born.day)


@exactly
def _band_measure(dose: Dose, body: BodySize, on: date | None
                  ) -> tuple[Decimal, str, RoundingWarning | None]:
    """The participant's weight (kg), age (months) or BSA (m2) a banded dose is chosen by,
    and how it was obtained."""
    by = dose.band_by
    if by is BandBy.WEIGHT:
        return body.weight(), body.weight_text(), None
    if by is BandBy.BSA:
        return body.area()
    p = body.participant
    if p.birth is not None and on is not None:
        if on < p.birth:
            p.age_on(on)  # raises the participant's error: a date before the birth date
        months = _completed_months(p.birth, on)
        # The age is taken on each administration's date: a birthday within the
        # schedule can move the participant into the next band.
        return Decimal(months), (
            f"age {band_edge_text(Decimal(months), BandBy.AGE)} (completed months on "
            f"{on.isoformat()}, born {p.birth.isoformat()}; the age is taken on each "
            "administration's date, so the band can change within the schedule)"), None
    if p.age_years is None:
        raise MissingMeasurementError("age", _BAND_NEEDS, ("age",))
    months_exact = normal(p.age_years * 12)
    return months_exact, f"age {human_number(p.age_years)} years (given)", None


def dated_by_birth(dose: Dose | None, participant: Participant) -> bool:
    """Whether the derivation of ``dose`` depends on the administration's date.

    It does when it takes the participant's age from a birth date on that date: a dose
    banded by age, or an AUC dose whose GFR is a Cockcroft-Gault clearance (no measured
    GFR). Such a dose names its date ("age 64 years (on 2027-01-11, born ...)"), so it is
    computed for each date, never shared between dates of the same age.
    """
    if dose is None or participant.birth is None:
        return False
    return dose.band_by is BandBy.AGE or (dose.basis is Basis.AUC
                                          and participant.gfr_ml_min is None)


def banded_text(dose: Dose) -> str:
    """A banded dose as written: ``"by weight: 5 mg under 15 kg, 10 mg under 30 kg, 20 mg
    from 30 kg"``."""
    assert dose.band_by is not None
    by = dose.band_by
    parts = []
    low = dose.band_from
    for band in dose.bands:
        amount = human_amount(band.dose.amount)
        if band.below is None:
            parts.append(f"{amount} from {band_edge_text(low, by)}")
        else:
            parts.append(f"{amount} under {band_edge_text(band.below, by)}")
            low = band.below
    if dose.band_from > 0:
        parts[0] += f" (from {band_edge_text(dose.band_from, by)})"
    return f"by {by.value}: " + ", ".join(parts)


@exactly
def _banded(dose: Dose, body: BodySize, on: date | None) -> ComputedDose:
    """A banded dose: the band the participant's weight, age (on ``on``) or BSA falls in."""
    assert dose.band_by is not None
    by = dose.band_by
    measure, measure_text, warning = _band_measure(dose, body, on)
    try:
        index, band = dose.band_for(measure)
    except ValueError:
        shown = measure_text if by is BandBy.AGE else f"{by.value} {measure_text}"
        raise DoseError(f"the {shown} is below the first band, which "
                        f"starts at {band_edge_text(dose.band_from, by)}: the protocol "
                        "gives no dose for it") from None
    low = dose.band_from if index == 0 else dose.bands[index - 1].below
    assert low is not None
    span = (f"{band_edge_text(low, by)} or more" if band.below is None else
            f"{band_edge_text(low, by)} to under {band_edge_text(band.below, by)}")
    amount = band.dose.amount
    shown = measure_text if by is BandBy.AGE else f"{by.value} {measure_text}"
    derivation = (f"{human_amount(amount)} (band {index + 1} of {len(dose.bands)} by "
                  f"{by.value}, {span}: {shown})")
    return ComputedDose(amount, human_amount(amount), derivation, Basis.FLAT, dose,
                        () if warning is None else (warning,))


@exactly
def _compute(dose: Dose, body: BodySize, on: date | None,
             vials: tuple[Amount, ...] = ()) -> ComputedDose:
    if dose.bands:
        return _banded(dose, body, on)
    quantity = dose.quantity
    written = human_dose_quantity(quantity)
    if quantity.basis is Basis.FLAT:
        return ComputedDose(quantity.amount, human_amount(quantity.amount),
                            f"{written} (flat dose)", Basis.FLAT, dose)
    found: list[RoundingWarning] = []
    after = ""
    if quantity.basis is Basis.PER_KG:
        size, size_text = body.weight_by(dose.weight, f"weight: {dose.weight.value}")
    elif quantity.basis is Basis.AUC:
        gfr, after = body.gfr(dose, on)
        size = gfr + 25
        size_text = f"(GFR {human_number(gfr)} mL/min + 25 mL/min)"
        after = "; " + after
    else:
        size, size_text, area_warning = body.area(dose.bsa_max)
        if area_warning is not None:
            found.append(area_warning)
    unit = quantity.amount.unit
    steps_taken = _arithmetic(dose, size, vials, written)
    value = steps_taken.computed
    steps = f"{written} × {size_text} = {human_amount(Amount(value, unit))}"
    if steps_taken.standard is not None:
        steps += steps_taken.standard.text
        if steps_taken.standard.warning is not None:
            found.append(steps_taken.standard.warning)
    elif steps_taken.rounded is not None:
        assert dose.round is not None
        rounded = steps_taken.rounded
        steps += (f", rounded {_MODE_TEXT[dose.rounding]} multiple of "
                  f"{_round_text(dose)} = {human_amount(Amount(rounded, unit))}")
        if abs(rounded - value) * 10 > value:
            found.append(RoundingWarning(
                f"rounding to a multiple of {_round_text(dose)} moves the dose from "
                f"{human_amount(Amount(value, unit))} to {human_amount(Amount(rounded, unit))} "
                "(more than 10%); use a smaller 'round' increment"))
    if steps_taken.capped:
        assert dose.max is not None
        steps += f", capped at the maximum of {_limit_text(dose, dose.max)}"
    amount = Amount(steps_taken.final, unit)
    return ComputedDose(amount, human_amount(amount), steps + after, quantity.basis, dose,
                        tuple(found))


@dataclass(frozen=True)
class _Standard:
    """A calculated dose rounded to a standard dose: the value given (the calculated one
    when none is within the tolerance and the regimen says ``outside: calculated``), the
    derivation's words for it, and the warning in that case."""

    value: Decimal
    text: str  # ", rounded to the nearest standard dose ...": follows the calculated dose
    warning: StandardDoseWarning | None = None


@dataclass(frozen=True)
class _Steps:
    """The arithmetic of one dose, step by step (what its derivation says)."""

    computed: Decimal  # basis x body size
    rounded: Decimal | None  # after ``round`` or a standard dose, if any
    capped: bool  # ``max`` bound the result
    final: Decimal
    standard: _Standard | None = None  # how a standard dose was chosen


@exactly
def _arithmetic(dose: Dose, size: Decimal, vials: tuple[Amount, ...] = (),
                written: str = "") -> _Steps:
    """compute -> round -> cap, exactly; shared by :func:`compute_dose` and the batch API."""
    unit = dose.quantity.amount.unit
    value = computed = normal(dose.quantity.amount.magnitude * size)
    rounded = None
    standard = None
    if dose.round is not None:
        value = rounded = _round(dose, value, human_dose_quantity(dose.quantity))
    elif dose.standard is not None:
        standard = _to_standard(dose.standard, value, unit, vials,
                                written or human_dose_quantity(dose.quantity))
        value = rounded = standard.value
    capped = False
    if dose.max is not None:
        cap = _in_unit(dose, dose.max, unit)
        if value > cap:
            value, capped = normal(cap), True
    return _Steps(computed, rounded, capped, value, standard)


@exactly
def _round(dose: Dose, value: Decimal, written: str) -> Decimal:
    """``value`` rounded to a multiple of ``dose.round`` by its rule (never to nothing)."""
    assert dose.round is not None
    unit = dose.quantity.amount.unit
    increment = _increment(dose, unit)
    multiples = (value / increment).quantize(Decimal(1), _MODES[dose.rounding])
    if multiples == 0:
        # A computed dose is never rounded to nothing, nor silently up instead.
        raise DoseError(
            f"{written} gives {human_amount(Amount(value, unit))}"
            f", which rounds {_MODE_TEXT[dose.rounding]} multiple of "
            f"{_round_text(dose)} as 0; use a smaller 'round' increment")
    return normal(multiples * increment)


@exactly
def _increment(dose: Dose, unit: Unit) -> Decimal:
    """``dose.round`` in ``unit``: a round in a dosage form (``0.5 tablet``) through the
    drug's strength (0.5 x 500 mg = 250 mg)."""
    assert dose.round is not None
    if dose.round.unit.dimension.form and not unit.dimension.form:
        assert dose.strength is not None  # Regimen checks the drug has one
        return normal(dose.round.magnitude * dose.strength.amount.to(unit).magnitude)
    return _in_unit(dose, dose.round, unit)


@exactly
def _in_unit(dose: Dose, limit: Amount, unit: Unit) -> Decimal:
    """``limit`` (a ``max`` or ``round``) in ``unit``: within its dimension, or through the
    drug's equivalence (30,000 IU is 30 USP units by 1 USP unit = 1,000 IU)."""
    if dose.equivalence is None or not dose.equivalent(limit):
        return limit.to(unit).magnitude
    return convert_by_equivalence(limit, unit, dose.equivalence).magnitude


def _limit_text(dose: Dose, limit: Amount) -> str:
    """A ``max`` or ``round`` as people read it, with its conversion by the drug's
    equivalence when it is in the other unit: ``30,000 units (30 USP units by the drug's
    equivalence 1 USP unit = 1,000 units)``."""
    unit = dose.quantity.amount.unit
    if dose.equivalence is None or not dose.equivalent(limit):
        return human_amount(limit)
    left, right = dose.equivalence
    return (f"{human_amount(limit)} ({human_amount(Amount(_in_unit(dose, limit, unit), unit))} "
            f"by the drug's equivalence {human_amount(left)} = {human_amount(right)})")


def _round_text(dose: Dose) -> str:
    """The rounding increment as people read it: ``5 mg``, or ``0.5 tablets (250 mg)``."""
    assert dose.round is not None
    text = _limit_text(dose, dose.round)
    unit = dose.quantity.amount.unit
    if dose.round.unit.dimension.form and not unit.dimension.form:
        text += f" ({human_amount(Amount(_increment(dose, unit), unit))})"
    return text


def _strength_text(strength: Strength) -> str:
    """``500 mg per tablet``."""
    return f"{human_amount(strength.amount)} per {strength.per.symbol}"


@exactly
def _with_form(computed: ComputedDose, dose: Dose) -> ComputedDose:
    """``computed`` counted in its drug's dosage form (``dose.strength``): "2 tablets
    (1,000 mg)", with the conversion in the derivation; a count of a form checked to be
    one the form can be given in (whole capsules, whole or half tablets).

    Raises:
        DoseError: the dose is not an exact count of the form, or a fraction the form is
            not split into (1.44 tablets, half a capsule).
    """
    amount, strength = computed.amount, dose.strength
    if amount is None:
        return computed
    dimension = amount.unit.dimension
    content: Amount | None = None
    if strength is not None and dimension is strength.per.dimension:
        count = amount.to(strength.per)
        content = Amount(normal(count.magnitude * strength.amount.magnitude),
                         strength.amount.unit)
        how = (f"{human_amount(count)} × {_strength_text(strength)} = "
               f"{human_amount(content)}")
    elif strength is not None and dimension is strength.amount.unit.dimension:
        value = form_count(amount, strength)
        if value is None:
            raise DoseError(f"{human_amount(amount)} is not an exact number of "
                            f"{_forms(strength.per)} of {human_amount(strength.amount)}: "
                            "round the dose ('round') to what can be measured")
        count, content = Amount(value, strength.per), amount
        how = f"{human_amount(amount)} ÷ {_strength_text(strength)} = {human_amount(count)}"
    elif dimension.form:
        count = amount
    else:
        return computed
    split = form_part_problem(count)
    if split is not None:
        # Never a fraction of a form it is not split into: the dose is refused, not moved.
        if dimension.form or strength is None:
            raise DoseError(f"the dose is {human_amount(count)}; {split}")
        part = FORM_PARTS[count.unit.dimension]
        raise DoseError(f"{human_amount(amount)} is {human_amount(count)} of "
                        f"{human_amount(strength.amount)}; {split} (round the dose with "
                        f"'round: {plain(part)} {count.unit}')")
    if content is None:
        return computed
    return replace(computed, text=f"{human_amount(count)} ({human_amount(content)})",
                   derivation=f"{computed.derivation}; {how}", form=count, content=content)


def _forms(per: Unit) -> str:
    """``tablets``, ``capsules``... or ``mL``: what a strength counts."""
    return per.dimension.value if per.dimension.form else per.symbol


def dose_amount(dose: Dose, size: Decimal) -> Decimal:
    """The amount of ``dose`` (per kg or per m2) for a body size in kg or m2.

    The arithmetic of :func:`compute_dose` without the texts, for the batch
    API (:mod:`regimens.cohort`), which computes it once per distinct body size.
    A per-m2 dose's ``bsa_max`` caps ``size`` first, as :func:`compute_dose` does.
    """
    if dose.bsa_max is not None and dose.basis is Basis.PER_M2 and size > dose.bsa_max:
        size = dose.bsa_max
    try:
        return _arithmetic(dose, size).final
    except DoseError as exc:
        raise located(exc, dose) from None


def refuse_unsupported(dose: Dose) -> None:
    """Raise unless the batch API can compute ``dose`` from weights and BSAs alone.

    Raises:
        DoseError: a banded dose (by weight, age or BSA), a divided daily dose, a dose
            rounded to standard doses (``round: {bands: ...}``), an AUC
            dose (it needs each participant's GFR or Cockcroft-Gault inputs) or a per-kg
            dose on an ideal or adjusted weight (height and sex); located at the dose
            field when the dose was read from a file.
    """
    if dose.bands:
        assert dose.band_by is not None
        raise located(DoseError(f"the batch API cannot compute a banded dose "
                                f"({banded_text(dose)}); expand these participants one by "
                                "one with Regimen.expand"), dose)
    what = ("a divided daily dose (daily_dose), whose parts are rounded one by one"
            if dose.divided is not None else
            "a dose rounded to standard doses (round: {bands, table or to_vial}), whose "
            "rounding may refuse or warn per participant" if dose.standard is not None else
            "an AUC dose (Calvert), which needs each participant's GFR"
            if dose.basis is Basis.AUC else
            f"a per-kg dose on the {dose.weight.value} body weight, which needs each "
            "participant's height and sex" if dose.weight is not WeightBasis.ACTUAL else None)
    if what is not None:
        raise located(DoseError(f"the batch API cannot compute {what} ({dose.quantity}); "
                                "expand these participants one by one with Regimen.expand"),
                      dose)


@exactly
def dose_rounding_moves(dose: Dose, size: Decimal) -> bool:
    """Whether :func:`compute_dose` warns that ``round`` moves this dose by more than 10%.

    The same test as :func:`compute_dose`, for the batch API, which computes each
    dose once per distinct body size (kg or m2).
    """
    if dose.bsa_max is not None and dose.basis is Basis.PER_M2 and size > dose.bsa_max:
        size = dose.bsa_max  # as dose_amount caps it
    steps = _arithmetic(dose, size)
    return steps.rounded is not None and abs(steps.rounded - steps.computed) * 10 > steps.computed


def _percent_text(exact: Decimal, tolerance: Decimal | None) -> str:
    """A percentage for people: rounded half up to 2 decimals ("about 3.81%"), with more
    decimals when 2 would show it equal to the tolerance it is not equal to."""
    decimals = 2
    shown = _round_to(exact, "0.01")
    while tolerance is not None and shown == tolerance != exact and decimals < 8:
        decimals += 1
        shown = _round_to(exact, "0." + "0" * (decimals - 1) + "1")
    return f"{'' if shown == exact else 'about '}{plain(shown)}%"


def _amount_in(amount: Amount, unit: Unit) -> Decimal:
    """``amount``'s magnitude in ``unit`` (of the same dimension), exactly."""
    return normal(amount.magnitude * amount.unit.factor / unit.factor)


@exactly
def _to_standard(standard: StandardDoses, value: Decimal, unit: Unit,
                 vials: tuple[Amount, ...], written: str) -> _Standard:
    """The standard dose for a calculated dose of ``value`` ``unit``s, by the rule of
    ``standard`` (docs/format.md, "Standard doses"), and the derivation's words for it.

    Raises:
        DoseError: no standard dose within the tolerance (or outside the table) and
            ``outside: refuse``.
    """
    tol = standard.tolerance
    within_text = "" if tol is None else f"; within {plain(tol)}%"
    if standard.table:
        rows = standard.table
        rule = "the dose-banding table"
        for index, row in enumerate(rows):
            low, below = _amount_in(row.low, unit), _amount_in(row.below, unit)
            if low <= value < below:
                chosen = _amount_in(row.dose, unit)
                return _Standard(chosen, (
                    f", by {rule} (row {index + 1} of {len(rows)}: {human_amount(row.low)} to "
                    f"under {human_amount(row.below)} gives {human_amount(row.dose)}) = "
                    f"{human_amount(Amount(chosen, unit))}{_off_text(chosen, value, None)}"))
        why = (f"it is outside {rule}, which covers {human_amount(rows[0].low)} to under "
               f"{human_amount(rows[-1].below)}")
        return _outside(standard, value, unit, written, why)
    if standard.to_vial:
        # A regimen refuses to_vial for a drug without vials (to-vial-without-vials).
        assert vials, "round: {to_vial: true} needs the drug's vials"
        below_amount, above_amount = whole_vial_amounts(Amount(value, unit), vials)
        candidates = [_amount_in(a, unit) for a in (below_amount, above_amount) if a is not None]
        listed = f"vials of {', '.join(human_amount(v) for v in vials)}"
        rule = f"the nearest whole-vial amount ({listed}{within_text})"
        what = "whole-vial amount"
    else:
        candidates = [_amount_in(b, unit) for b in standard.bands]
        listed = f"dose bands {', '.join(human_amount(b) for b in standard.bands)}"
        rule = f"the nearest standard dose ({listed}{within_text})"
        what = "standard dose"
    # Nearest; equally near: the higher (as halves go up in rounding: nearest).
    chosen = min(candidates, key=lambda c: (abs(c - value), -c))
    # Equally near from below: the tie rule decided, and the derivation says so.
    tie = next((c for c in candidates if c < chosen and chosen - value == value - c), None)
    tie_text = ("" if tie is None else f"; {human_amount(Amount(tie, unit))} is as near: "
                "the higher is given")
    assert tol is not None
    if abs(chosen - value) * 100 <= tol * value:
        off = _off_text(chosen, value, tol)
        return _Standard(chosen, f", rounded to {rule} = {human_amount(Amount(chosen, unit))}"
                         + (f"{off[:-1]}{tie_text})" if tie is not None else off))
    why = (f"no {what} is within {plain(tol)}% of it: the nearest, "
           f"{human_amount(Amount(chosen, unit))}, is {_off_text(chosen, value, tol, bare=True)}"
           f" ({listed}{tie_text})")
    return _outside(standard, value, unit, written, why)


def _off_text(chosen: Decimal, value: Decimal, tolerance: Decimal | None,
              bare: bool = False) -> str:
    """How far a standard dose is from the calculated one: ``" (3.81% above the
    calculated dose)"``, or with ``bare`` ``"6.67% above it"``."""
    if chosen == value:
        return "" if not bare else "equal to it"
    side = "above" if chosen > value else "below"
    percent = _percent_text(abs(chosen - value) * 100 / value, tolerance)
    return f"{percent} {side} it" if bare else f" ({percent} {side} the calculated dose)"


def _outside(standard: StandardDoses, value: Decimal, unit: Unit, written: str,
             why: str) -> _Standard:
    """No standard dose for ``value``: refused, or given as calculated with a warning."""
    calculated = human_amount(Amount(value, unit))
    if standard.outside is OutsideTolerance.REFUSE:
        raise DoseError(f"{written} gives {calculated}: {why}; the regimen gives no dose "
                        "outside its standard doses ('outside: refuse', the default; "
                        "'outside: calculated' gives the calculated dose with a warning)")
    return _Standard(value, f", not rounded: {why}; given as calculated (outside: "
                     "calculated)",
                     StandardDoseWarning(f"{written} gives {calculated}: {why}; given as "
                                         "calculated, not rounded to a standard dose"))
