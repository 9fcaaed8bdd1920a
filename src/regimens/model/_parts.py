"""The parts of a regimen: drugs, arms, periods and the protocol's own expectations."""

from __future__ import annotations

from dataclasses import field
from datetime import date

from .._records import dataclass
from ..errors import (
    ParticipantError,
    UnitError,
)
from ..quantities import (
    Amount,
    Basis,
    Dimension,
    DoseQuantity,
    LengthRange,
    Strength,
    same_amount,
)
from ._course import Course
from ._invariants import Location, Problems, reason_of
from ._participant import Participant

__all__ = ["DRUG_INSTRUCTIONS", "DRUG_KINDS", "Arm", "Drug", "Expectation", "Period"]


@dataclass(frozen=True)
class Drug:
    """A drug of the regimen: its id (lowercase, digits, hyphens), name and default route.

    ``route`` is written as people read it (``"subcutaneous"``); a course may override it.
    The participant's instructions, printed as written on the handout and dosing diary
    (empty: none): ``missed_dose`` (what to do after a missed dose), ``vomited_dose``
    (after vomiting a dose), ``food`` (with or without food), ``storage`` (how to keep
    the drug) and ``clinic_day`` (what to do on a day with a clinic visit, e.g. "bring
    your tablets and this diary; take the dose at the clinic").
    ``clinic``: given at the site, so a site calendar moves it off closed days
    (docs/format.md, "Clinic work and windows").
    ``vials``: the vial sizes the pharmacy stocks (one dimension, no size twice, in the
    order written); each administration's dose is made up of whole vials by the vial rule
    (:func:`~regimens.least_waste_vials`), shown on the dose sheet. ``kind``: ``"drug"``
    (default) or ``"radiotherapy"``, whose doses are absorbed radiation doses in Gy (e.g.
    ``route="external beam"``, 2 Gy per fraction); only radiotherapy has doses in Gy, and
    it has no vials. ``max_cumulative``: the most the participant may receive in all
    (``450 mg/m2`` for doxorubicin: summed per m² of each dose's own BSA; ``400 USP units``
    for bleomycin), checked against what was given plus what is planned when a record is
    replayed (docs/record.md); flat, per kg or per m2, above zero.
    ``strength``: what one unit of the drug's dosage form holds
    (``500 mg/tablet``, :class:`~regimens.Strength`): each dose of the drug is also shown as
    a count of that form ("2 tablets (1,000 mg)"), and a computed dose may be rounded to
    whole or half tablets (``round: 0.5 tablet``; docs/format.md, "Dosage forms and
    strengths"). None: no form.
    """

    id: str
    name: str
    route: str
    notes: str = ""
    missed_dose: str = ""
    vomited_dose: str = ""
    food: str = ""
    storage: str = ""
    clinic_day: str = ""
    #: Every course of the drug is given at the site (moved off its closed days).
    clinic: bool = False
    vials: tuple[Amount, ...] = ()
    kind: str = "drug"
    max_cumulative: DoseQuantity | None = None
    strength: Strength | None = None
    #: A sourced equivalence between USP units and international units (``(1 USP units,
    #: 1000 IU)`` for bleomycin, read from ``equivalence: 1 USP unit = 1000 IU``): the
    #: drug's ``max`` and ``round`` may then be given in the other of the two. None: the
    #: two never convert, compare or add up.
    equivalence: tuple[Amount, Amount] | None = None

    def __post_init__(self) -> None:
        problems = Problems("Drug")
        for key in ("id", "name", "route"):
            value = getattr(self, key)
            if not isinstance(value, str) or not value.strip():
                problems.add(key, "non-empty text", value, code="wrong-type")
        for key in DRUG_INSTRUCTIONS:
            if not isinstance(getattr(self, key), str):
                problems.add(key, "text", getattr(self, key), code="wrong-type")
        if not isinstance(self.clinic, bool):
            problems.add("clinic", "true or false", self.clinic, code="wrong-type")
        vials = self.vials
        if not isinstance(vials, tuple) or not all(
                isinstance(v, Amount) and v.magnitude > 0 for v in vials):
            problems.add("vials", "a tuple of Amount greater than zero", vials,
                         code="wrong-type")
        elif len({v.unit.dimension for v in vials}) > 1:
            problems.add("vials", "vial sizes measure one dimension",
                         ", ".join(str(v) for v in vials), code="mixed-vial-dimensions")
        elif any(same_amount(a, b) for i, a in enumerate(vials) for b in vials[i + 1:]):
            problems.add("vials", "a vial size is listed twice",
                         ", ".join(str(v) for v in vials), code="duplicate-vial")
        limit = self.max_cumulative
        if limit is not None and (
                not isinstance(limit, DoseQuantity) or limit.basis is Basis.AUC
                or not limit.amount.magnitude > 0):
            problems.add("max_cumulative", "a DoseQuantity above zero, flat, per kg or per m2",
                         limit, code="wrong-type")
        if self.kind not in DRUG_KINDS:
            problems.add("kind", "drug or radiotherapy", self.kind, code="not-one-of")
        elif self.kind == "radiotherapy" and vials:
            problems.add("vials", "radiotherapy has no vials", code="vials-on-radiotherapy")
        if self.equivalence is not None and not (
                isinstance(self.equivalence, tuple) and len(self.equivalence) == 2
                and all(isinstance(a, Amount) and a.magnitude > 0 for a in self.equivalence)
                and {a.unit.dimension for a in self.equivalence}
                == {Dimension.USP, Dimension.ACTIVITY}):
            problems.add("equivalence", "a pair of Amounts, one in USP units and one in "
                         "international units", self.equivalence, code="bad-equivalence")
        if self.strength is not None and not isinstance(self.strength, Strength):
            problems.add("strength", "a Strength", self.strength, code="wrong-type")
        elif self.strength is not None and self.kind == "radiotherapy":
            problems.add("strength", "radiotherapy has no dosage form", str(self.strength),
                         code="strength-on-radiotherapy")
        problems.raise_any()


#: What an entry of ``drugs`` may be: a drug, or radiotherapy (doses in Gy).
DRUG_KINDS = ("drug", "radiotherapy")

#: The drug fields that instruct the participant (see :class:`Drug`), in handout order.
DRUG_INSTRUCTIONS = ("food", "storage", "missed_dose", "vomited_dose", "clinic_day")


@dataclass(frozen=True)
class Arm:
    """A treatment arm: its path through the periods (None: every period, in order) and,
    optionally, which period's first day is Study Day 1 on this arm."""

    id: str
    label: str
    periods: tuple[str, ...] | None = None  # path through the periods; None = all
    day_one: str | None = None  # overrides the regimen's day_one for this arm
    notes: str = ""

    def __post_init__(self) -> None:
        problems = Problems("Arm")
        if self.periods is not None:
            if not isinstance(self.periods, tuple) or not self.periods:
                problems.add("periods", "a path is a non-empty tuple of period ids "
                             "(None: every period)", self.periods, code="too-few-items")
            elif len(set(self.periods)) != len(self.periods):
                problems.add("periods", "a period appears twice in the path",
                             ", ".join(self.periods), code="duplicate-period")
        problems.raise_any()


@dataclass(frozen=True)
class Period:
    """A stretch of the study, with its courses; each period starts the day after the last.

    Whether each course fits the period (its start, span, cycles and days) is
    checked by :class:`Regimen`, which reports the course's full path.
    """

    id: str
    length: LengthRange
    courses: tuple[Course, ...] = ()
    blinded: bool = False
    label: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        problems = Problems("Period")
        if not isinstance(self.id, str) or not self.id:
            problems.add("id", "a period id (text)", self.id, code="wrong-type")
        if not isinstance(self.length, LengthRange):
            problems.add("length", "a LengthRange", self.length, code="wrong-type")
        if not isinstance(self.courses, tuple) or not all(
                isinstance(c, Course) for c in self.courses):
            problems.add("courses", "a tuple of Course", self.courses, code="wrong-type")
        problems.raise_any()


@dataclass(frozen=True)
class Expectation:
    """Arithmetic the protocol states, verified by ``regimens check`` (:meth:`Regimen.check`).

    For ``arm`` and ``drug``: the number of ``administrations`` (placebo included),
    the cumulative ``total`` (per kg or per m2: the sum in that basis before caps
    and rounding; absolute: flat doses, or every dose for the reference participant
    given by ``weight``, ``height``, ``bsa``), and the Study Days of the first and
    last administration. ``lengths`` (period id, length text) and ``start``
    (``YYYY-MM-DD``) fix the conditions evaluated; see docs/format.md, "Expectations".
    """

    arm: str
    drug: str
    administrations: int | None = None
    total: DoseQuantity | None = None  # flat: absolute total; per kg/m2: sum of the basis
    first_day: int | None = None
    last_day: int | None = None
    weight: str | None = None
    height: str | None = None
    bsa: str | None = None
    lengths: tuple[tuple[str, str], ...] = ()
    start: str | None = None
    notes: str = ""
    where: Location = field(default=("", None, ()), compare=False)

    def __post_init__(self) -> None:
        problems = Problems("Expectation")
        if not isinstance(self.lengths, tuple) or not all(
                isinstance(pair, tuple) and len(pair) == 2 for pair in self.lengths):
            problems.add("lengths", "a tuple of (period id, length text) pairs, e.g. "
                         "(('treatment', '12 weeks'),)", self.lengths, code="wrong-type")
        n = self.administrations
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 0):
            problems.add("administrations", "a whole number from 0", n, code="too-small")
        for key in ("first_day", "last_day"):
            # Day 0 exists only with the regimen's day_zero: Regimen checks it.
            day = getattr(self, key)
            if day is not None and (isinstance(day, bool) or not isinstance(day, int)):
                problems.add(key, "a Study Day: an int", day, code="wrong-type")
        if self.total is not None and not isinstance(self.total, DoseQuantity):
            problems.add("total", "a DoseQuantity", self.total, code="wrong-type")
        for key in ("weight", "height", "bsa"):
            text = getattr(self, key)
            if text is not None:
                try:
                    Participant(**{key: text})
                except (UnitError, ParticipantError) as exc:
                    problems.add(key, reason_of(exc), text, code="bad-measurement")
        if self.start is not None:
            try:
                date.fromisoformat(self.start)
            except (TypeError, ValueError):
                problems.add("start", "not a calendar date (YYYY-MM-DD)", self.start,
                             code="bad-date")
        problems.raise_any()
