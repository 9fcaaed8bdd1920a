"""Banded doses: the band a participant's weight, age or BSA falls in, and its words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..errors import DoseError, MissingMeasurementError, RoundingWarning
from ..model import BandBy, Dose, Participant, band_edge_text
from ..quantities import Basis, exactly, human_amount, human_number, normal
from ._body_size import BodySize
from ._computed import ComputedDose

__all__ = ["banded_text", "dated_by_birth"]


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
