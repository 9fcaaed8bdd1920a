"""Measurements in a record that are implausible next to the previous ones: never silent.

A ``measure`` row is range-checked alone when it is read (as ``--weight`` is: 0.5-400 kg);
a value inside that range can still be a typing or unit mistake (``63 lbs`` written for
63 kg is 28.58 kg, a 59% loss since the 70 kg of enrolment). Every dose after it would be
recomputed from it, so such a change is an :class:`~regimens.ImplausibleMeasurementWarning`
naming the row, both values and the threshold (docs/record.md, "Implausible
measurements"). The thresholds (:data:`PLAUSIBLE_CHANGE`) and why they were chosen:

- weight and BSA: a change of more than 20% from the previous value. Losing 5% of body
  weight over six months already defines cancer cachexia (Fearon K et al., Lancet Oncol
  2011;12:489-95) and 10% is a severe loss; 20% between two visits is rarely real, while
  a unit mistake is far larger (lb for kg: 55%; g for kg: 99.9%). BSA varies about as
  the square root of weight, so 20% of BSA is an even larger change of the body.
- height: more than 5 cm from the previous height; an adult's height changes by far less
  between visits (and 5 cm is a typical inch/centimetre or digit mistake). A participant
  under 18 on the measurement's date (by ``age`` or ``birth_date``) grows: there an
  increase is implausible only above 10% of the previous height.
- serum creatinine and GFR: a doubling or a halving (new / previous >= 2 or <= 1/2). A
  doubling of creatinine is acute kidney injury stage 2 (KDIGO 2012): possible, but a
  pharmacist must confirm it before the doses are recomputed from it.
- weight with height: the body-mass index of the weight and height in effect after the
  row outside 10-80 kg/m² (the schedule's own rule, :data:`regimens.model.PLAUSIBLE_BMI`).

The previous value is the last measurement of the same kind before the row (by date,
then line), whether or not a re-dosing rule applied it, else the participant's value at
enrolment. A creatinine is compared with a creatinine, a GFR with a GFR. A BSA measured
in the record is compared with the BSA in use when none was measured or given before it:
the one the weight and height in effect give (the schedule's formula, rounded as doses
use it), so a BSA 35% below a computed one warns as it does below a given one. A row is
also compared with the value the doses were computed from just before it when that is
another ("re-dosing compares the new measurement with the one the current dose was
computed from", issue 13): the BSA in use after a weight or height replaced the one given
or measured, and, under a re-dosing rule, the weight the rule kept when it left a later
one out. An implausible change from either is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal, localcontext

from .._records import dataclass
from ..engine import BodySize
from ..errors import DoseError, ImplausibleMeasurementWarning, ParticipantError, QuantityError
from ..model import PLAUSIBLE_BMI, Participant, bmi_text, implausible_bmi
from ..quantities import (
    EXACT,
    BSAFormula,
    half_up,
    human_number,
    measure_parts,
    plain,
    shown_beside,
    typed_text,
)
from ._model import EventKind, RecordRow

__all__ = ["PLAUSIBLE_CHANGE", "ImplausibleMeasurement", "implausible_measurements"]

#: The largest plausible change between two measurements of one kind (docs/record.md,
#: "Implausible measurements"): weight and BSA in percent of the previous value, height
#: in cm (and in percent for a participant under 18 who grows), creatinine and GFR as a
#: factor (new / previous or previous / new).
PLAUSIBLE_CHANGE: dict[str, Decimal] = {
    "weight_percent": Decimal(20),
    "bsa_percent": Decimal(20),
    "height_cm": Decimal(5),
    "height_growth_percent": Decimal(10),
    "renal_factor": Decimal(2),
}
#: Below this age (years) on the measurement's date, a participant may grow.
_ADULT = Decimal(18)

_LABEL = {"weight": "weight", "height": "height", "bsa": "BSA",
          "creatinine": "serum creatinine", "gfr": "GFR"}
_UNIT = {"weight": "kg", "height": "cm", "bsa": "m²", "creatinine": "mg/dL", "gfr": "mL/min"}


@dataclass(frozen=True)
class ImplausibleMeasurement:
    """One ``measure`` row that is implausible next to the previous measurement of its kind
    (or, with the other measurements in effect, gives an implausible body-mass index).

    ``row`` is the record's row; ``text`` says why, with both values and the threshold;
    ``warning`` is the :class:`~regimens.ImplausibleMeasurementWarning` (its text
    prefixed with the record's file and line).
    """

    row: RecordRow
    text: str

    @property
    def warning(self) -> ImplausibleMeasurementWarning:
        """The warning the schedule carries: ``FILE:LINE: TEXT``."""
        return ImplausibleMeasurementWarning(f"{self.row.source}:{self.row.line}: {self.text}")


def _value(kind: str, person: Participant) -> Decimal | None:
    """The participant's ``kind`` in the unit the thresholds use (creatinine in mg/dL)."""
    if kind == "creatinine":
        if person.creatinine_value is None or person.creatinine_factor is None:
            return None
        with localcontext(EXACT):
            return person.creatinine_value / person.creatinine_factor
    return {"weight": person.weight_kg, "height": person.height_cm, "bsa": person.bsa_m2,
            "gfr": person.gfr_ml_min}[kind]


def _shown(kind: str, text: str, value: Decimal) -> str:
    """``63 lbs (28.58 kg)``: the value as written (its number and unit one space apart),
    and in the threshold's unit if it was written in another one; a body size in kg, cm
    or m² as every output writes it (``70 kg`` whether typed ``70kg``; ``1.9 m²``)."""
    if kind in ("weight", "height", "bsa"):
        shown, typed = measure_parts(kind, text)
        if typed is None:
            return shown
    else:
        typed = typed_text(text)
        if typed.endswith(" " + _UNIT[kind]):
            return typed
    return f"{typed} ({plain(half_up(value, 2))} {_UNIT[kind]})"


def _written(kind: str, text: str | None) -> str:
    """A measurement as this warning writes it: in kg, cm or m² as every output writes it
    ("70 kg" whether typed "70kg"), in another unit as typed, its number and unit one
    space apart ("154 lb", "63 lbs": the unit mistake the warning is about is seen)."""
    assert text is not None
    shown, typed = measure_parts(kind, text)
    return shown if typed is None else typed


def _said(kind: str, text: str | None, source: str) -> str:
    """A measurement and where it comes from: "70 kg (at enrolment)", "154 lb (at
    enrolment)", "80 mL/min (measured 2027-01-25, line 3)"."""
    return f"{_written(kind, text)} ({source})"


def _child(person: Participant, on: date) -> bool:
    try:
        age = person.age_on(on)
    except ParticipantError:
        return False
    return age is not None and age < _ADULT


def _percent(value: Decimal, bound: Decimal) -> str:
    """A change or a ratio as the message shows it: half up to 2 decimals, with more when
    2 would read as the threshold ``bound`` it is compared with."""
    return plain(shown_beside(value, bound))


def _change_reason(kind: str, new: Decimal, old: Decimal, growing: bool,
                   what: str | None = None) -> tuple[str, str] | None:
    """How going from ``old`` to ``new`` is implausible for ``kind`` ("59.18% below
    the previous weight"; ``what`` names ``old`` otherwise), and the threshold it passes;
    None when it is plausible."""
    reason = _change(kind, new, old, growing)
    if reason is None or what is None:
        return reason
    return reason[0].replace(f"the previous {_LABEL[kind]}", what), reason[1]


def _change(kind: str, new: Decimal, old: Decimal, growing: bool) -> tuple[str, str] | None:
    with localcontext(EXACT):
        if kind in ("weight", "bsa"):
            limit = PLAUSIBLE_CHANGE[f"{kind}_percent"]
            percent = abs(new - old) * 100 / old
            if percent <= limit:
                return None
            way = "below" if new < old else "above"
            return (f"{_percent(percent, limit)}% {way} the previous {_LABEL[kind]}",
                    f"more than the {plain(limit)}% change taken as plausible between two "
                    "measurements")
        if kind == "height":
            limit = PLAUSIBLE_CHANGE["height_cm"]
            diff = new - old
            if growing and diff > 0:
                growth = PLAUSIBLE_CHANGE["height_growth_percent"]
                percent = diff * 100 / old
                if percent <= growth:
                    return None
                return (f"{plain(diff)} cm ({_percent(percent, growth)}%) above the previous "
                        "height",
                        f"more than the {plain(growth)}% a participant under 18 is taken to grow "
                        "between two measurements")
            if abs(diff) <= limit:
                return None
            way = "below" if diff < 0 else "above"
            return (f"{plain(abs(diff))} cm {way} the previous height",
                    f"more than the {plain(limit)} cm change taken as plausible between two "
                    "measurements")
        factor = PLAUSIBLE_CHANGE["renal_factor"]
        ratio = new / old
        if 1 / factor < ratio < factor:
            return None
        why = "doubled or halved between two measurements, which must be confirmed"
        if kind == "creatinine":
            why += " (a doubled creatinine is acute kidney injury stage 2, KDIGO 2012)"
        return f"{_percent(ratio, factor)} times the previous {_LABEL[kind]}", why


def _computed_bsa(person: Participant, formula: BSAFormula, decimals: int
                  ) -> tuple[Decimal, str] | None:
    """The BSA in use for ``person`` when none is given: computed from the weight and
    height in effect and rounded as doses use it, with where it comes from in words; None
    when it is given or cannot be computed."""
    if person.bsa_m2 is not None or person.weight is None or person.height is None:
        return None
    try:
        area = BodySize(person, formula, decimals).area()[0]
    except (ParticipantError, DoseError, QuantityError):
        return None
    return area, (f"{human_number(area)} m² (computed from weight "
                  f"{_written('weight', person.weight)} and height "
                  f"{_written('height', person.height)})")


def implausible_measurements(participant: Participant, rows: Sequence[RecordRow], *,
                             bsa_formula: BSAFormula = BSAFormula.MOSTELLER,
                             bsa_decimals: int = 2, redose: Sequence[Decimal] = ()
                             ) -> tuple[ImplausibleMeasurement, ...]:
    """The ``measure`` rows among ``rows`` (in date order, then line) whose value is
    implausible next to the previous measurement of its kind (from the record, else
    ``participant``'s at enrolment), by the thresholds of :data:`PLAUSIBLE_CHANGE`, or
    whose weight and height in effect give a body-mass index outside 10-80 kg/m². A BSA
    with no BSA measured or given before it is compared with the one the weight and height
    in effect give (``bsa_formula``, rounded to ``bsa_decimals`` as the schedule's doses
    use it). A row is also compared with the value the doses were computed from just
    before it when that is another: the BSA in use (after a weight or height replaced the
    one given or measured) and, under the re-dosing rules ``redose`` (the
    ``weight_change`` percentages of the schedule's courses), the weight the rule kept.
    One entry per row, its reasons joined; pure and exact.
    """
    measures = sorted((r for r in rows if r.event is EventKind.MEASURE and r.date is not None
                       and r.measurement is not None), key=lambda r: (r.date, r.line))
    found: list[ImplausibleMeasurement] = []
    person = participant
    previous: dict[str, tuple[Decimal, str]] = {}
    for kind in _LABEL:
        value = _value(kind, participant)
        if value is not None:
            previous[kind] = (value, _said(kind, getattr(participant, kind), "at enrolment"))
    # What the doses are computed from under each re-dosing rule in force (a weight the
    # rule leaves out is not applied), with where each value came from.
    in_use = [_InUse(participant, threshold, bsa_formula, bsa_decimals)
              for threshold in (dict.fromkeys(redose) or [None])]
    for row in measures:
        assert row.measurement is not None
        assert row.date is not None
        m = row.measurement
        alone = _value(m.kind, Participant(**{m.kind: m.text}))
        assert alone is not None
        reasons: list[str] = []
        before = previous.get(m.kind)
        if before is None and m.kind == "bsa":
            # No BSA given or measured yet: the doses use the one computed from the weight
            # and height in effect, and that is what this BSA would replace.
            before = _computed_bsa(person, bsa_formula, bsa_decimals)
        growing = _child(participant, row.date)
        change = None
        if before is not None:
            change = _change_reason(m.kind, alone, before[0], growing)
            if change is not None:
                reasons.append(f"{change[0]}, {before[1]}, {change[1]}")
        if change is None:
            # Also the value the doses were computed from, when it is another.
            for use in in_use:
                baseline = use.baseline(m.kind)
                if baseline is None or (before is not None and baseline[0] == before[0]):
                    continue
                change = _change_reason(m.kind, alone, baseline[0], growing,
                                        f"the {_LABEL[m.kind]} the doses were computed from")
                if change is not None:
                    reasons.append(f"{change[0]}, {baseline[1]}, {change[1]}")
                    break
        person = m.apply(person)
        for use in in_use:
            use.apply(row)
        if m.kind in ("weight", "height") and person.weight_kg is not None \
                and person.height_cm is not None:
            bmi = implausible_bmi(person.weight_kg, person.height_cm)
            if bmi is not None:
                other = "height" if m.kind == "weight" else "weight"
                low, high = PLAUSIBLE_BMI
                shown = bmi_text(bmi, low if bmi < low else high)
                reasons.append(f"with {other} {_written(other, getattr(person, other))} "
                               f"it gives a body-mass index of {shown}, outside {plain(low)} "
                               f"to {plain(high)}")
        previous[m.kind] = (alone, _said(m.kind, m.text, f"measured "
                                         f"{row.date.isoformat()}, line {row.line}"))
        if reasons:
            found.append(ImplausibleMeasurement(row, (
                f"{_LABEL[m.kind]} {_shown(m.kind, m.text, alone)} measured "
                f"{row.date.isoformat()}: {'; '.join(reasons)}. The doses after "
                "it are computed from it: check the number and its unit")))
    return tuple(found)


class _InUse:
    """The measurements doses are computed from as a record's rows apply, under one
    re-dosing rule (``threshold``: the ``weight_change`` percentage; None: every new
    measurement applies), as :class:`~regimens.record.Dosing` applies them; with where
    each value came from, for the messages."""

    def __init__(self, participant: Participant, threshold: Decimal | None,
                 formula: BSAFormula, decimals: int) -> None:
        self.person = participant
        self.threshold = threshold
        self.formula = formula
        self.decimals = decimals
        self.source = dict.fromkeys(_LABEL, "at enrolment")

    def apply(self, row: RecordRow) -> None:
        m = row.measurement
        assert m is not None
        assert row.date is not None
        if m.kind == "weight" and self.threshold is not None \
                and self.person.weight_kg is not None:
            new = Participant(weight=m.text).weight_kg
            assert new is not None
            with localcontext(EXACT):
                change = abs(new - self.person.weight_kg) * 100 / self.person.weight_kg
            if change < self.threshold:
                return  # the rule leaves it out: the doses keep the weight in use
        self.person = m.apply(self.person)
        self.source[m.kind] = f"measured {row.date.isoformat()}, line {row.line}"

    def baseline(self, kind: str) -> tuple[Decimal, str] | None:
        """The weight or BSA the doses are computed from now, and in words; None: none
        (heights, creatinine and GFR always apply: the one in use is the previous one)."""
        p = self.person
        if kind == "weight" and p.weight_kg is not None:
            return p.weight_kg, _said("weight", p.weight, self.source["weight"])
        if kind != "bsa":
            return None
        if p.bsa_m2 is not None:
            return p.bsa_m2, _said("bsa", p.bsa, self.source["bsa"])
        return _computed_bsa(p, self.formula, self.decimals)
