"""Computing a dose for a participant, with the derivation a person can check.

Order of operations, always the same and always stated: basis x body size
-> rounded to a multiple (if ``round``) -> capped (if ``max``), so that a cap
is never exceeded.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from .._records import dataclass
from ..errors import DoseError, MissingMeasurementError, RoundingWarning
from ..model import Dose, DoseLevel, Rounding, WeightBasis
from ..quantities import (
    Amount,
    Basis,
    DoseQuantity,
    Unit,
    convert_by_equivalence,
    exactly,
    human_amount,
    human_dose_quantity,
    human_number,
    normal,
    plain,
)
from ._bands import _banded, banded_text
from ._body_size import BodySize
from ._computed import ComputedDose, _round_to, located
from ._forms import _with_form
from ._standard import _Standard, _to_standard

__all__ = ["compute_dose", "dose_amount", "dose_rounding_moves", "refuse_unsupported",
           "symbolic_level"]

_MODES = {Rounding.NEAREST: ROUND_HALF_UP, Rounding.UP: ROUND_CEILING, Rounding.DOWN: ROUND_FLOOR}
_MODE_TEXT = {Rounding.NEAREST: "to the nearest", Rounding.UP: "up to a", Rounding.DOWN:
              "down to a"}


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
