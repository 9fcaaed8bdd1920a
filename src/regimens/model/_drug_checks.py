"""A course's dose against its drug: the kind of drug, the dosage form and strength, the
vials a dose is rounded to or made up from."""

from __future__ import annotations

from ..errors import Loc
from ..quantities import (
    Amount,
    Basis,
    Dimension,
    form_count,
    form_part_problem,
    human_amount,
    human_number,
)
from ._course import Course
from ._dose import Dose
from ._invariants import Problems
from ._parts import Drug

__all__ = [
    "kind_problem",
    "strength_problem",
]


def kind_problem(drug: Drug, dimension: Dimension) -> str | None:
    """What is wrong when a dose of ``dimension`` does not suit the drug's kind (only
    radiotherapy is dosed in Gy, and radiotherapy only in Gy), else None. The problem's
    code is ``radiotherapy-not-in-gy`` for radiotherapy, else ``gy-not-radiotherapy``."""
    if drug.kind == "radiotherapy" and dimension is not Dimension.RADIATION:
        return f"{drug.id!r} is radiotherapy: its doses are absorbed doses in Gy (e.g. '2 Gy')"
    if drug.kind != "radiotherapy" and dimension is Dimension.RADIATION:
        return f"a dose in Gy is radiation: give drug {drug.id!r} 'kind: radiotherapy'"
    return None


def _check_kind(drug: Drug, course: Course, where: Loc, problems: Problems) -> None:
    doses = [course.dose] if course.dose is not None else [s.dose for s in course.steps]
    for dose in doses:
        found = kind_problem(drug, dose.quantity.amount.unit.dimension)
        if found is not None and drug.kind == "radiotherapy":
            problems.add((*where, "dose"), found, str(dose.quantity),
                         code="radiotherapy-not-in-gy")
            return
        if found is not None:
            problems.add((*where, "dose"), found, str(dose.quantity), code="gy-not-radiotherapy")
            return


def _misfit(field: str, message: str, value: object, *, code: str
            ) -> tuple[str, str, object, str]:
    """A problem found by :func:`strength_problem`: (field, message, value, code)."""
    return field, message, value, code


def strength_problem(drug: Drug, dose: Dose) -> tuple[str, str, object, str] | None:
    """What is wrong with ``dose`` given its drug's dosage form and strength, or None:
    ``(field, message, value, code)``, ``field`` relative to the dose's course or step
    (``"dose"`` or ``"round"``).

    A ``round`` in a form (``0.5 tablet``) needs the drug's strength in that form and in
    the dose's dimension; a dose written in a form must be the strength's form; any other
    dose of a drug with a strength is in the strength's dimension; a flat dose (and each
    band's) is a count the form can be given in (whole capsules, whole or half tablets).
    """
    if dose.equivalence is not None and dose.equivalence != drug.equivalence:
        return _misfit("dose", "the dose's equivalence must be its drug's "
                       f"({_equivalence_text(drug)})", str(dose.quantity),
                       code="equivalence-mismatch")
    strength = drug.strength
    dimension = dose.quantity.amount.unit.dimension
    if dose.round is not None and dose.round.unit.dimension.form and not dimension.form:
        form = dose.round.unit.dimension.value
        if strength is None:
            return _misfit("round", f"rounding to {form} needs the drug's strength (e.g. "
                           f"'strength: 500 mg/{dose.round.unit.symbol}' on drug {drug.id!r})",
                           str(dose.round), code="round-without-strength")
        if strength.per != dose.round.unit:
            return _misfit("round", f"drug {drug.id!r} is {strength}: round in "
                           f"{strength.per.dimension.value}", str(dose.round),
                           code="form-mismatch")
    if strength is not None:
        per = strength.per
        if dimension.form and dose.quantity.amount.unit != per:
            return _misfit("dose", f"drug {drug.id!r} is {strength}: a dose in "
                           f"{dimension.value} is not in its form ({per.dimension.value})",
                           str(dose.quantity), code="form-mismatch")
        if dimension is not per.dimension and dimension is not strength.amount.unit.dimension:
            return _misfit("dose", f"drug {drug.id!r} is {strength}: its doses are in "
                           f"{strength.amount.unit.dimension.value} or {per.dimension.value}, "
                           f"not {dimension.value}", str(dose.quantity),
                           code="strength-dimension")
    written = [b.dose.amount for b in dose.bands] or (
        [dose.quantity.amount] if dose.quantity.basis is Basis.FLAT else [])
    for amount in written:
        found = _count_problem(amount, drug)
        if found is not None:
            return _misfit("dose", found, str(dose.quantity), code="dose-not-whole-forms")
    return None


def _equivalence_text(drug: Drug) -> str:
    if drug.equivalence is None:
        return f"drug {drug.id!r} declares none"
    left, right = drug.equivalence
    return f"{left} = {right}"


def _count_problem(amount: Amount, drug: Drug) -> str | None:
    """Why a flat ``amount`` is not a count its drug's form can be given in, or None."""
    if amount.unit.dimension.form:
        return form_part_problem(amount)
    strength = drug.strength
    if strength is None or amount.unit.dimension is not strength.amount.unit.dimension:
        return None
    count = form_count(amount, strength)
    forms = strength.per.dimension.value
    if count is None:
        return (f"{human_amount(amount)} is not an exact number of {forms} of "
                f"{human_amount(strength.amount)}")
    found = form_part_problem(Amount(count, strength.per))
    if found is None:
        return None
    return (f"{human_amount(amount)} is {human_number(count)} {forms} of "
            f"{human_amount(strength.amount)}; {found}")


def _check_strength(drug: Drug, course: Course, where: Loc, problems: Problems) -> None:
    """A course's doses suit its drug's dosage form and strength (:func:`strength_problem`)."""
    if course.dose is not None:
        pairs = [((*where,), course.dose)]
    else:
        pairs = [((*where, "steps", i), s.dose) for i, s in enumerate(course.steps)]
    for at, dose in pairs:
        found = strength_problem(drug, dose)
        if found is not None:
            key, message, value, code = found
            if key == "dose" and dose.divided is not None:
                key = "daily_dose"
            problems.add((*at, key), message, value, code=code)


#: Why ``round: {to_vial: true}`` is refused for a drug without vials.
TO_VIAL_NEEDS_VIALS = ("rounds the dose to whole vials, but drug {drug!r} has no vials: give "
                       "the drug its vial sizes ('vials: [100 mg, 500 mg]')")


def _check_to_vial(drug: Drug, course: Course, where: Loc, problems: Problems) -> None:
    """A dose rounded to whole vials needs its drug's vials."""
    doses = [(where, course.dose)] if course.dose is not None else [
        ((*where, "steps", i), s.dose) for i, s in enumerate(course.steps)]
    for at, dose in doses:
        if dose.standard is not None and dose.standard.to_vial:
            problems.add((*at, "round", "to_vial"), TO_VIAL_NEEDS_VIALS.format(drug=drug.id),
                         code="to-vial-without-vials")
            return


def _check_vials(drug: Drug, course: Course, where: Loc, problems: Problems) -> None:
    """A course of a drug with vials gives doses the vials can hold (their dimension)."""
    dimension = drug.vials[0].unit.dimension
    doses = [course.dose] if course.dose is not None else [s.dose for s in course.steps]
    for dose in doses:
        if dose.quantity.amount.unit.dimension is not dimension:
            problems.add((*where, "dose"), f"drug {drug.id!r} comes in vials of "
                         f"{dimension.value}; this dose is in "
                         f"{dose.quantity.amount.unit.dimension.value}", str(dose.quantity),
                         code="dose-not-in-vials")
            return
