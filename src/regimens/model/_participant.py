"""A participant: body measurements with units, checked for plausibility.

>>> Participant(weight="154 lb").weight_kg
Decimal('69.85322498')
"""

from __future__ import annotations

import re
from dataclasses import field
from datetime import date, datetime
from decimal import Decimal

from .._records import dataclass
from ..errors import ParticipantError, ParticipantTypeError, UnitError
from ..quantities import (
    MEASURE_NAMES,
    Sex,
    exactly,
    parse_creatinine,
    parse_gfr,
    parse_measure,
    plain,
    shown_beside,
)

__all__ = ["PLAUSIBLE", "PLAUSIBLE_BMI", "Participant", "bmi_text", "implausible",
           "implausible_bmi"]

#: Plausible ranges (inclusive) in kg, cm and m2; outside them is a typing or unit mistake.
PLAUSIBLE = {
    "weight": (Decimal("0.5"), Decimal("400"), "kg"),
    "height": (Decimal("30"), Decimal("250"), "cm"),
    "bsa": (Decimal("0.1"), Decimal("4"), "m2"),
    "age": (Decimal("0"), Decimal("120"), "years"),
    "gfr": (Decimal("1"), Decimal("250"), "mL/min"),
    "creatinine": (Decimal("0.1"), Decimal("20"), "mg/dL"),
}
#: Plausible body-mass index in kg/m2 (inclusive): outside it, a weight and a height that are
#: each plausible alone are most likely in the wrong unit (a weight in lb read as kg).
PLAUSIBLE_BMI = (Decimal("10"), Decimal("80"))
_NAMES = {**MEASURE_NAMES, "age": "age", "gfr": "GFR", "creatinine": "serum creatinine"}


@exactly
def implausible(kind: str, value: Decimal) -> str | None:
    """Why ``value`` is not a plausible ``kind`` (``"weight"`` in kg, ``"height"`` in cm,
    ``"bsa"`` in m2), or None if it is within :data:`PLAUSIBLE` (bounds included).

    The one plausibility rule and message of :class:`Participant` and of the
    batch API (:mod:`regimens.cohort`), which adds the participant's index.
    """
    low, high, unit = PLAUSIBLE[kind]
    if not value.is_finite():
        return f"{_NAMES[kind]} must be a finite number"
    if low <= value <= high:
        return None
    return (f"{plain(value)} {unit} is not a plausible {_NAMES[kind]} "
            f"(allowed: {plain(low)} to {plain(high)} {unit}); check the number and its unit")


@exactly
def implausible_bmi(weight_kg: Decimal, height_cm: Decimal) -> Decimal | None:
    """The body-mass index (weight / height², kg/m²) of a weight in kg and a height in cm
    when it is outside :data:`PLAUSIBLE_BMI` (10 to 80, bounds included), else None: the
    one rule of the schedule's warning and of a record's new measurements.
    """
    bmi = weight_kg / (height_cm / 100) ** 2
    low, high = PLAUSIBLE_BMI
    return None if low <= bmi <= high else bmi


def _refused(field: str, reason: str, value: object,
             *kinds: type) -> ParticipantError:
    """The error refusing ``value`` for ``field``: a :class:`ParticipantTypeError` when it
    is not text (nor of ``kinds``, the other types the field takes), else a
    :class:`ParticipantError` (text that does not read); the message is the same."""
    if isinstance(value, (str, *kinds)) and not isinstance(value, bool):
        return ParticipantError(field, reason, value)
    return ParticipantTypeError(field, reason, value)


@exactly
def bmi_text(bmi: Decimal, bound: Decimal) -> str:
    """A body-mass index (kg/m²) as every message writes it next to the ``bound`` it is
    compared with (a bound of :data:`PLAUSIBLE_BMI`, or 25 of ``crcl_weight: auto``):
    half up to one decimal, trailing zeros dropped, with more decimals while one would
    read as ``bound`` though ``bmi`` is not (:func:`regimens.quantities.shown_beside`),
    and the unit: ``"280 kg/m²"``, ``"80.3 kg/m²"`` for 80.25, ``"80.04 kg/m²"`` for
    80.04 beside 80 (never "80.0, outside 10 to 80").
    """
    return f"{plain(shown_beside(bmi, bound, 1))} kg/m²"


@exactly
def _measure(kind: str, text: object) -> Decimal:
    try:
        value = parse_measure(kind, text)
    except UnitError as exc:
        raise _refused(kind, f"{exc.reason}; {exc.allowed}", text) from None
    reason = implausible(kind, value)
    if reason is not None:
        raise ParticipantError(kind, reason, text)
    return value


_AGE = re.compile(r"\s*(?P<num>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>years?|months?)?\s*\Z")
_AGE_HINT = "write a number of years or months, e.g. '64', '64 years' or '18 months'"


@exactly
def _age(value: object) -> Decimal:
    """An age in years: ``64``, ``"64 years"``, ``"18 months"`` (1.5 years, exactly)."""
    if isinstance(value, int) and not isinstance(value, bool):
        years = Decimal(value)
    elif isinstance(value, str) and (match := _AGE.match(value)) is not None:
        years = Decimal(match["num"])
        if (match["unit"] or "").startswith("month"):
            years = years / 12
    else:
        raise _refused("age", f"not an age; {_AGE_HINT}", value, int)
    reason = implausible("age", years)
    if reason is not None:
        raise ParticipantError("age", reason, value)
    return years


def _birth_date(value: object) -> date:
    if isinstance(value, datetime):
        # A datetime is a date to isinstance: said as expand says it of a start.
        raise ParticipantTypeError("birth_date", "a birth date is a calendar date, not a date "
                                   "and time", value.isoformat())
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _refused("birth_date", "not a calendar date; write YYYY-MM-DD, e.g. 1962-05-01",
                   value, date)


def _sex(value: object) -> Sex:
    if isinstance(value, Sex):
        return value
    if isinstance(value, str) and value.strip().lower() in ("female", "male"):
        return Sex(value.strip().lower())
    raise _refused("sex", "female or male (as Cockcroft-Gault and Devine's ideal body weight "
                   "use it)", value, Sex)


@exactly
def _renal(kind: str, value: object) -> tuple[Decimal, Decimal]:
    """A GFR in mL/min (factor 1), or a creatinine and its factor to mg/dL, checked."""
    try:
        number, factor = ((parse_gfr(value), Decimal(1)) if kind == "gfr"
                          else parse_creatinine(value))
    except UnitError as exc:
        raise _refused(kind, f"{exc.reason}; {exc.allowed}", value) from None
    reason = implausible(kind, number / factor)
    if reason is not None and factor != 1:
        # Said in the unit given: 2,000 µmol/L, never a 100-digit quotient in mg/dL.
        low, high, _ = PLAUSIBLE[kind]
        reason = (f"{plain(number)} µmol/L is not a plausible {_NAMES[kind]} (allowed: "
                  f"{plain(low * factor)} to {plain(high * factor)} µmol/L); check the number "
                  "and its unit")
    if reason is not None:
        raise ParticipantError(kind, reason, value)
    return number, factor


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

    For AUC dosing, ideal or adjusted weights and bands by age: ``age`` in years
    (``64``, ``"64 years"``, ``"18 months"``; 0 to 120) or ``birth_date``
    (``"1962-05-01"`` or a date; the age is then taken on each administration's
    date), not both; ``sex`` (``"female"`` or ``"male"``); ``gfr``, a measured
    absolute GFR (``"95 mL/min"``, 1 to 250 mL/min); ``creatinine``, a serum
    creatinine (``"1.1 mg/dL"`` or ``"97 µmol/L"``, also ``umol/L``; 0.1 to 20 mg/dL).
    They are read into ``age_years``, ``birth``, ``sex_value``, ``gfr_ml_min``,
    ``creatinine_value`` and ``creatinine_factor`` (the value in mg/dL is
    ``creatinine_value / creatinine_factor``; the factor is 1 or 88.4).

    Raises:
        ParticipantError: a measurement that is not text with a known unit, not
            finite, or outside its plausible range; a label that is too long or has
            control characters; both an age and a birth date.
    """

    weight: str | None = None
    height: str | None = None
    bsa: str | None = None
    label: str = ""
    age: str | int | None = None
    birth_date: str | date | None = None
    sex: str | None = None
    gfr: str | None = None
    creatinine: str | None = None
    weight_kg: Decimal | None = field(init=False, repr=False, compare=False)
    height_cm: Decimal | None = field(init=False, repr=False, compare=False)
    bsa_m2: Decimal | None = field(init=False, repr=False, compare=False)
    age_years: Decimal | None = field(init=False, repr=False, compare=False)
    birth: date | None = field(init=False, repr=False, compare=False)
    sex_value: Sex | None = field(init=False, repr=False, compare=False)
    gfr_ml_min: Decimal | None = field(init=False, repr=False, compare=False)
    creatinine_value: Decimal | None = field(init=False, repr=False, compare=False)
    creatinine_factor: Decimal | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for kind in ("weight", "height", "bsa"):
            text = getattr(self, kind)
            value = None if text is None else _measure(kind, text)
            object.__setattr__(self, {"weight": "weight_kg", "height": "height_cm",
                                      "bsa": "bsa_m2"}[kind], value)
        if self.age is not None and self.birth_date is not None:
            # Two sources of one age could disagree: never choose silently.
            raise ParticipantError("age", "give an age or a birth date, not both", self.age)
        set_ = object.__setattr__
        set_(self, "age_years", None if self.age is None else _age(self.age))
        set_(self, "birth", None if self.birth_date is None else _birth_date(self.birth_date))
        set_(self, "sex_value", None if self.sex is None else _sex(self.sex))
        set_(self, "gfr_ml_min", None if self.gfr is None else _renal("gfr", self.gfr)[0])
        creatinine = None if self.creatinine is None else _renal("creatinine", self.creatinine)
        set_(self, "creatinine_value", None if creatinine is None else creatinine[0])
        set_(self, "creatinine_factor", None if creatinine is None else creatinine[1])
        # isprintable(): no control, format (U+202E) or line-separator characters; and
        # no letter that prints as nothing (Hangul fillers, the combining grapheme joiner),
        # which isprintable() lets through: "P\u3164" would look like "P".
        if not isinstance(self.label, str):
            raise ParticipantTypeError("label", "a label is text, a study label such as "
                                       "'P-017' (at most 64 printable characters)", self.label)
        if not self.label.isprintable() or len(
                self.label) > 64 or any(c in _PRINTS_AS_NOTHING for c in self.label):
            raise ParticipantError("label", "a label is at most 64 printable characters",
                                   self.label)

    def age_on(self, day: date) -> Decimal | None:
        """The age in years on ``day``: ``age`` as given, or the whole years completed
        since ``birth_date`` (a 29 February birthday is completed on 1 March in other
        years); None when neither was given.

        Raises:
            ParticipantError: ``day`` is before the birth date.
        """
        if self.birth is None:
            return self.age_years
        born = self.birth
        if day < born:
            raise ParticipantError("birth_date", f"the schedule has a date ({day.isoformat()}) "
                                   "before the birth date", born.isoformat())
        return Decimal(day.year - born.year - ((day.month, day.day) < (born.month, born.day)))
