"""A participant: body measurements with units, checked for plausibility.

>>> Participant(weight="154 lb").weight_kg
Decimal('69.85322498')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import ParticipantError, UnitError
from ..quantities import MEASURE_NAMES, exactly, parse_measure, plain

__all__ = ["PLAUSIBLE", "Participant", "implausible"]

#: Plausible ranges (inclusive) in kg, cm and m2; outside them is a typing or unit mistake.
PLAUSIBLE = {
    "weight": (Decimal("0.5"), Decimal("400"), "kg"),
    "height": (Decimal("30"), Decimal("250"), "cm"),
    "bsa": (Decimal("0.1"), Decimal("4"), "m2"),
}


@exactly
def implausible(kind: str, value: Decimal) -> str | None:
    """Why ``value`` is not a plausible ``kind`` (``"weight"`` in kg, ``"height"`` in cm,
    ``"bsa"`` in m2), or None if it is within :data:`PLAUSIBLE` (bounds included).

    The one plausibility rule and message of :class:`Participant` and of the
    batch API (:mod:`regimens.cohort`), which adds the participant's index.
    """
    low, high, unit = PLAUSIBLE[kind]
    if not value.is_finite():
        return f"{MEASURE_NAMES[kind]} must be a finite number"
    if low <= value <= high:
        return None
    return (f"{plain(value)} {unit} is not a plausible {MEASURE_NAMES[kind]} "
            f"(allowed: {plain(low)} to {plain(high)} {unit}); check the number and its unit")


@exactly
def _measure(kind: str, text: object) -> Decimal:
    try:
        value = parse_measure(kind, text)
    except UnitError as exc:
        raise ParticipantError(kind, f"{exc.reason}; {exc.allowed}", text) from None
    reason = implausible(kind, value)
    if reason is not None:
        raise ParticipantError(kind, reason, text)
    return value


#: Characters str.isprintable() accepts that print as nothing.
_PRINTS_AS_NOTHING = frozenset("\u034f\u115f\u1160\u3164\uffa0")

@dataclass(frozen=True)
class Participant:
    """Who the schedule is for. Measurements are text with units: ``"70 kg"``, ``"175 cm"``.

    ``weight`` in kg, g, lb or lbs, ``height`` in cm, m, mm or in, ``bsa`` in m2 (m²,
    m^2); each is read
    exactly into ``weight_kg``, ``height_cm``, ``bsa_m2`` (:class:`~decimal.Decimal`)
    and must lie in :data:`PLAUSIBLE` (0.5-400 kg, 30-250 cm, 0.1-4 m2, bounds
    included). A given ``bsa`` is used as is; otherwise it is computed from height
    and weight with the schedule's :class:`BSAFormula`. Only per-kg and per-m2 doses
    need measurements. ``label`` is a study label such as ``"P-017"``, never a name
    (at most 64 printable characters).

    Raises:
        ParticipantError: a measurement that is not text with a known unit, not
            finite, or outside its plausible range; a label that is too long or has
            control characters.
    """

    weight: str | None = None
    height: str | None = None
    bsa: str | None = None
    label: str = ""
    weight_kg: Decimal | None = field(init=False, repr=False, compare=False)
    height_cm: Decimal | None = field(init=False, repr=False, compare=False)
    bsa_m2: Decimal | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for kind in ("weight", "height", "bsa"):
            text = getattr(self, kind)
            value = None if text is None else _measure(kind, text)
            object.__setattr__(self, {"weight": "weight_kg", "height": "height_cm",
                                      "bsa": "bsa_m2"}[kind], value)
        # isprintable(): no control, format (U+202E) or line-separator characters; and
        # no letter that prints as nothing (Hangul fillers, the combining grapheme joiner),
        # which isprintable() lets through: "P\u3164" would look like "P".
        if not isinstance(self.label, str) or not self.label.isprintable() or len(
                self.label) > 64 or any(c in _PRINTS_AS_NOTHING for c in self.label):
            raise ParticipantError("label", "a label is at most 64 printable characters",
                                   self.label)
