"""The dose of a course's administration, computed once per distinct dose (and its vials),
or its words when the amount is not fixed (placebo, no participant, no stated dose)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..errors import RegimenWarning
from ..model import Course, Dose, DoseLevel, Participant, Regimen
from ..quantities import Amount, Basis, human_dose_quantity, least_waste_vials
from ._bands import banded_text, dated_by_birth
from ._computed import ComputedDose
from ._dose import compute_dose, symbolic_level
from ._timeline import Timeline


def _step_dose(course: Course, step: int | None) -> Dose | None:
    if course.dose is not None:
        return course.dose
    if step is not None:
        return course.steps[step].dose
    return None


def _dated(course: Course, participant: Participant) -> bool:
    """Whether a dose of the course (of any of its steps) depends on the date given."""
    steps: list[int | None] = list(range(len(course.steps))) or [None]
    return any(dated_by_birth(_step_dose(course, step), participant) for step in steps)


def _with_vials(computed: ComputedDose, vials: tuple[Amount, ...],
                memo: dict[tuple[ComputedDose, tuple[Amount, ...]], ComputedDose]
                ) -> ComputedDose:
    """``computed`` with the whole vials that make it up (the vial rule), once per dose."""
    key = (computed, vials)
    found = memo.get(key)
    if found is None:
        assert computed.amount is not None
        found = memo[key] = replace(computed, vials=least_waste_vials(computed.amount, vials))
    return found


def _course_dose(regimen: Regimen, course: Course, step: int | None, age: object, day: date,
                 line: Timeline, level: DoseLevel | None, symbolic: bool,
                 exact_drugs: frozenset[str],
                 doses: dict[tuple[Dose, DoseLevel | None, object, tuple[Amount, ...]],
                             ComputedDose],
                 vialled: dict[tuple[ComputedDose, tuple[Amount, ...]], ComputedDose],
                 warnings: list[RegimenWarning]) -> ComputedDose:
    """The dose of a course's ``step`` (at ``age``, on ``day``), once per distinct dose:
    ``doses`` and ``vialled`` hold what the expansion computed already, and a dose's
    warnings are added to ``warnings`` when it is first computed."""
    dose = _step_dose(course, step)
    vials = regimen.drug(course.drug).vials
    if dose is None:
        computed = _no_amount(course)
    elif symbolic and dose.bands and course.drug not in exact_drugs:
        # No participant, no band: the amount is not fixed (check's
        # totals say "not fixed"; with a participant they are exact).
        computed = ComputedDose(None, banded_text(dose),
                                "chosen per participant by band", None, None)
    elif (symbolic and dose.basis is not Basis.FLAT
          and course.drug not in exact_drugs):
        text, per = human_dose_quantity(dose.quantity), dose
        if level is not None:
            per, text = symbolic_level(dose, level)
        computed = ComputedDose(None, text, "computed per participant",
                                dose.basis, per)
    else:
        strength = regimen.drug(course.drug).strength
        if strength is not None:
            # Counts the dose in its form; converts a round in tablets (0.5 x 500 mg).
            dose = replace(dose, strength=strength)
        # Everything the derivation depends on: the drug's vials too (round: {to_vial:
        # true}); two drugs may share a Dose.
        key = (dose, level, age, vials)
        if key not in doses:
            fresh = doses[key] = compute_dose(dose, line.body, level, day, vials)
            warnings += fresh.warnings
        computed = doses[key]
    if vials and computed.amount is not None:
        computed = _with_vials(computed, vials, vialled)
    return computed


def _no_amount(course: Course) -> ComputedDose:
    if course.placebo:
        return ComputedDose(None, "placebo", "matching placebo (no active drug)")
    note = course.dose_note
    return ComputedDose(None, "dose not stated in the regimen",
                        f"dose not stated in the regimen: {note}" if note else
                        "dose not stated in the regimen")
