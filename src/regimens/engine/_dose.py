"""Computing a dose for a participant, with the derivation a person can check.

Order of operations, always the same and always stated: basis x body size
-> rounded to a multiple (if ``round``) -> capped (if ``max``), so that a cap
is never exceeded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from ..errors import DoseError, MissingMeasurementError, RoundingWarning
from ..model import Dose, Participant, Rounding
from ..quantities import (
    Amount,
    Basis,
    BSAFormula,
    VialCombination,
    bsa,
    exactly,
    human_amount,
    human_dose_quantity,
    human_number,
    normal,
    plain,
    round_bsa,
)

__all__ = ["BodySize", "ComputedDose", "check_measurements", "compute_dose", "dose_amount",
           "dosing_area"]

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
    def area(self) -> tuple[Decimal, str, RoundingWarning | None]:
        """BSA in m2 as used for dosing, how it was obtained, and a warning if its
        rounding moved it by more than 10%."""
        p = self.participant
        if p.bsa_m2 is not None:
            return p.bsa_m2, f"{human_number(p.bsa_m2)} m² (body surface area given)", None
        check_measurements(Basis.PER_M2, weight=p.weight_kg is not None,
                           height=p.height_cm is not None, area=False)
        assert p.height_cm is not None
        assert p.weight_kg is not None
        exact = bsa(p.height_cm, p.weight_kg, self.formula)
        used = dosing_area(exact, self.bsa_decimals)
        shown = _four_decimals(exact)
        how = (f"{human_number(used)} m² ({self.formula.label} from "
               f"{_measure_text(p.height_cm, 'cm', p.height)} and {self.weight_text()}: "
               f"{plain(shown)} m², "
               f"rounded to {self.bsa_decimals} decimals)")
        warning = None
        if abs(used - exact) * 10 > exact:
            warning = RoundingWarning(
                f"rounding the body surface area to {self.bsa_decimals} decimals moves it "
                f"from {plain(shown)} m² to {human_number(used)} m² (more than 10%); "
                "use more decimals")
        return used, how, warning


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


@exactly
def compute_dose(dose: Dose, body: BodySize) -> ComputedDose:
    quantity = dose.quantity
    written = human_dose_quantity(quantity)
    if quantity.basis is Basis.FLAT:
        return ComputedDose(quantity.amount, human_amount(quantity.amount),
                            f"{written} (flat dose)", Basis.FLAT, dose)
    found: list[RoundingWarning] = []
    if quantity.basis is Basis.PER_KG:
        size, size_text = body.weight(), body.weight_text()
    else:
        size, size_text, area_warning = body.area()
        if area_warning is not None:
            found.append(area_warning)
    unit = quantity.amount.unit
    steps_taken = _arithmetic(dose, size)
    value = steps_taken.computed
    steps = f"{written} × {size_text} = {human_amount(Amount(value, unit))}"
    if steps_taken.rounded is not None:
        assert dose.round is not None
        rounded = steps_taken.rounded
        steps += (f", rounded {_MODE_TEXT[dose.rounding]} multiple of "
                  f"{human_amount(dose.round)} = {human_amount(Amount(rounded, unit))}")
        if abs(rounded - value) * 10 > value:
            found.append(RoundingWarning(
                f"rounding to a multiple of {human_amount(dose.round)} moves the dose from "
                f"{human_amount(Amount(value, unit))} to {human_amount(Amount(rounded, unit))} "
                "(more than 10%); use a smaller 'round' increment"))
    if steps_taken.capped:
        assert dose.max is not None
        steps += f", capped at the maximum of {human_amount(dose.max)}"
    amount = Amount(steps_taken.final, unit)
    return ComputedDose(amount, human_amount(amount), steps, quantity.basis, dose,
                        tuple(found))


@dataclass(frozen=True)
class _Steps:
    computed: Decimal  # basis x body size
    rounded: Decimal | None  # after ``round``, if any
    capped: bool  # ``max`` bound the result
    final: Decimal


@exactly
def _arithmetic(dose: Dose, size: Decimal) -> _Steps:
    """compute -> round -> cap, exactly; shared by :func:`compute_dose` and the batch API."""
    unit = dose.quantity.amount.unit
    value = computed = normal(dose.quantity.amount.magnitude * size)
    rounded = None
    if dose.round is not None:
        increment = dose.round.to(unit).magnitude
        multiples = (value / increment).quantize(Decimal(1), _MODES[dose.rounding])
        if multiples == 0:
            # A computed dose is never rounded to nothing, nor silently up instead.
            raise DoseError(
                f"{human_dose_quantity(dose.quantity)} gives {human_amount(Amount(value, unit))}"
                f", which rounds {_MODE_TEXT[dose.rounding]} multiple of "
                f"{human_amount(dose.round)} as 0; use a smaller 'round' increment")
        value = rounded = normal(multiples * increment)
    capped = False
    if dose.max is not None:
        cap = dose.max.to(unit).magnitude
        if value > cap:
            value, capped = normal(cap), True
    return _Steps(computed, rounded, capped, value)


def dose_amount(dose: Dose, size: Decimal) -> Decimal:
    """The amount of ``dose`` (per kg or per m2) for a body size in kg or m2.

    The arithmetic of :func:`compute_dose` without the texts, for the batch
    API (:mod:`regimens.cohort`), which computes it once per distinct body size.
    """
    return _arithmetic(dose, size).final
