"""What a dose was computed from, in words: the body size and renal function a dose used
(:class:`BodyUsed`, with the dates they were measured) and a measurement as the record's
changes show it (:func:`measured_text`), for the dosing and the replay (docs/record.md,
"Dose changes")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .._records import dataclass
from ..model import Dose, Participant, WeightBasis
from ..quantities import Basis, half_up, human_number, measure_parts, plain
from ._measure_errors import _MEASURE_LABEL
from ._model import Measurement
from ._numbers import number_fields

__all__ = ["BodyUsed", "measured_text"]


@dataclass(frozen=True)
class BodyUsed:
    """The body size and renal function a dose was computed from, for a pharmacist's audit.

    ``participant``: the measurements in effect; ``measured``: for each measurement kind
    (weight, height, bsa, creatinine, gfr) taken from the record, the (date, record line)
    it was measured on; a kind not listed is the participant's value at enrolment (the
    expand options). ``bsa_m2``: the BSA used for per-m2 doses (None: not computable), as
    the dose arithmetic uses it (rounded to the schedule's decimals). ``uses``: the kinds
    the dose's formula uses (None: every one in effect), the only ones ``text`` names
    (docs/record.md, "What each dose was computed from"). ``text`` says it: "weight 63 kg
    (measured 2027-02-22, line 6); height 172 cm (at enrolment); BSA 1.72 m²".
    """

    participant: Participant
    measured: tuple[tuple[str, date, int], ...] = ()
    bsa_m2: Decimal | None = None
    uses: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        number_fields(self, "body surface area", "bsa_m2")  # a float read as written

    @property
    def text(self) -> str:
        """The measurements in effect, each with its date (or "at enrolment")."""
        p = self.participant
        when = {kind: (day, line) for kind, day, line in self.measured}
        parts = []
        for kind in ("weight", "height", "bsa", "creatinine", "gfr"):
            value = getattr(p, kind)
            if value is None or (self.uses is not None and kind not in self.uses):
                continue
            seen = when.get(kind)
            source = (f"measured {seen[0].isoformat()}, record line {seen[1]}" if seen
                      else "at enrolment")
            shown, given = measure_parts(kind, value)
            source = source if given is None else f"from {given}, {source}"
            parts.append(f"{_MEASURE_LABEL[kind]} {shown} ({source})")
        if self.bsa_m2 is not None and p.bsa is None and (self.uses is None
                                                          or "bsa" in self.uses):
            parts.append(f"BSA {human_number(self.bsa_m2)} m² (computed)")
        return "; ".join(parts) if parts else "no body measurements"


def _uses(dose: Dose | None, person: Participant) -> tuple[str, ...] | None:
    """The measurement kinds ``dose``'s formula uses for ``person`` (None: a dose that
    scales with none): per m², the BSA given (or measured), else the weight and height it
    is computed from; per kg, the weight, and the height for an ideal or adjusted weight
    (Devine); by AUC, the GFR measured, else the serum creatinine and the weight of
    Cockcroft-Gault, and the height when that weight is ideal, adjusted or chosen by the
    body-mass index (``crcl_weight``)."""
    if dose is None:
        return None
    basis = dose.basis
    if basis is Basis.PER_M2:
        return ("bsa",) if person.bsa is not None else ("weight", "height", "bsa")
    if basis is Basis.PER_KG:
        return {WeightBasis.ACTUAL: ("weight",), WeightBasis.IDEAL: ("height",)}.get(
            dose.weight, ("weight", "height"))
    if basis is Basis.AUC:
        if person.gfr is not None:
            return ("gfr",)
        return ("creatinine", "weight") + (
            () if dose.crcl_weight is WeightBasis.ACTUAL else ("height",))
    return None


def _said(p: Participant, kind: str) -> str:
    """``p``'s measurement of ``kind`` in a note, as :attr:`BodyUsed.text` shows it
    ("70 kg" whether typed "70kg" or "70 kg"; "69.85322498 kg (from 154 lb)")."""
    value = getattr(p, kind)
    assert value is not None
    shown, given = measure_parts(kind, value)
    return shown if given is None else f"{shown} (from {given})"


#: The unit a body size is shown in, and the participant's field holding it in that unit.
_SHOWN_IN = {"weight": ("kg", "weight_kg"), "height": ("cm", "height_cm"),
             "bsa": ("m²", "bsa_m2")}


def measured_text(m: Measurement) -> str:
    """A ``measure`` row's measurement as the record's changes list it (docs/record.md,
    "Measurements"), labelled as the schedule's heading labels it. Weight, height and BSA
    in the unit doses are computed in (kg, cm, m²) as the heading shows them (``weight 66
    kg`` whether typed ``66kg`` or ``66 kg``); in another unit, as given (its number and
    unit as written, one space between) and, in parentheses, in that unit: converted
    exactly by the library's factors (1 lb = 0.45359237 kg) and rounded half up to 2
    decimals, trailing zeros dropped, whatever the caller's decimal context (``weight 150
    lb (68.04 kg)``, ``weight 65000 g (65 kg)``, ``height 67 in (170.18 cm)``). Renal values
    keep the unit given (a creatinine in µmol/L enters the dose's arithmetic as given):
    ``serum creatinine 97 µmol/L``, ``GFR 75 mL/min``. The doses' notes show the exact
    value the dose was computed from (:attr:`BodyUsed.text`)."""
    label = _MEASURE_LABEL[m.kind]
    shown, given = measure_parts(m.kind, m.text)
    if given is None:
        return f"{label} {shown}"
    unit, attribute = _SHOWN_IN[m.kind]
    value = getattr(Participant(**{m.kind: m.text}), attribute)
    # A coordinator reads the value as written and the one doses use, near enough to
    # check one against the other; the exact value is in every dose's note.
    return f"{label} {given} ({plain(half_up(value, 2))} {unit})"
