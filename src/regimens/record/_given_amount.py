"""The amount a ``given`` row gives, in the unit of the dose it is compared with
(docs/record.md, "A given amount").

One rule on every arm: an amount in the dimension of its drug's dose is converted exactly;
a count of the drug's own dosage form is converted by its ``strength`` (2 tablets of 500 mg
is 1,000 mg; 750 mg is 1.5 tablets when the dose is counted in tablets), and is a count
the form can be given in (whole or half tablets, whole capsules), as a regimen's doses are;
any other amount is refused with its file, line and field. The dose it is checked against
is the one planned; a placebo has none, so the doses of its drug say it. In a blinded period
every arm is checked against every active course of the drug there (a placebo against all
the courses it may stand for), in words that name no planned dose: refused, or named, on one
arm alone, it would tell the arm.
"""

from __future__ import annotations

from decimal import localcontext

from .._records import dataclass
from ..engine import Administration, ComputedDose
from ..errors import InvalidRecordError, Problem
from ..model import Course, Regimen
from ..quantities import (
    EXACT,
    Amount,
    Dimension,
    Strength,
    Unit,
    form_count,
    form_part_problem,
    human_amount,
    normal,
)
from ._model import RecordRow

__all__ = ["Given", "given_amount"]


@dataclass(frozen=True)
class Given:
    """A given row's amount: ``amount`` in the unit of the dose it is compared with (as
    written when its drug has no dose to say one); ``text`` as a dose is shown ("3 tablets
    (1,500 mg)" for a drug with a strength, counted); ``form`` and ``content`` the count of
    the drug's form and the amount of drug it holds, when shown so (else None)."""

    amount: Amount
    text: str
    form: Amount | None = None
    content: Amount | None = None


def given_amount(row: RecordRow, regimen: Regimen, plan: Administration,
                 planned: ComputedDose) -> Given:
    """``row``'s amount (not None) for the administration ``plan``, whose dose due is
    ``planned``: converted to its unit, or refused.

    Raises:
        InvalidRecordError: at the row's ``amount``: a count its form cannot be given in
            (code ``record-form-count``), or an amount in none of the dimensions its dose
            may be given in (``record-wrong-dimension``).
    """
    assert row.amount is not None
    written = row.amount
    drug = regimen.drug(plan.drug)
    strength = drug.strength
    own = planned.amount.unit if planned.amount is not None else None
    units = _reference(regimen, plan)
    if plan.blinded:
        # Every arm alike, against the doses of the drug's active courses in the period.
        message = (f"the amount given must be in the dimension of {drug.name}'s dose "
                   f"({_allowed(units, strength)}); in the blinded period {plan.period} "
                   "every arm's given amounts are checked alike, naming no planned dose")
        if units and not any(_converts(written, u, strength) for u in units):
            raise _refuse(row, message, "record-wrong-dimension")
        target = own if own is not None else _first(written, units, strength)
    elif own is not None:
        target = own
        message = (f"the amount given must be in the planned dose's dimension "
                   f"({_allowed([own], strength)}: planned {planned.text})")
    else:
        # An open-label placebo, or a dose left unspecified: its drug's doses say the
        # dimension (its amount, the label's, is never an amount of the drug: no total
        # or cumulative limit counts it, docs/record.md "A placebo given").
        target = _first(written, units, strength)
        message = (f"the amount given must be in the dimension of {drug.name}'s doses "
                   f"({_allowed(units, strength)})")
    if target is not None and not _converts(written, target, strength):
        raise _refuse(row, message, "record-wrong-dimension")
    _whole(row, written)
    if target is None:
        # Nothing says what its doses are in: kept as written.
        return _shown(written, written, strength)
    return _shown(written, _convert(row, written, target, strength), strength)


def _first(written: Amount, units: list[Unit], strength: Strength | None) -> Unit | None:
    """The first of ``units`` that ``written`` converts to, else the first (None: none)."""
    return next((u for u in units if _converts(written, u, strength)),
                units[0] if units else None)


def _reference(regimen: Regimen, plan: Administration) -> list[Unit]:
    """The units of the doses a given amount for ``plan`` is checked against, whatever
    the arm: in a blinded period those of its drug's active courses there; else (or
    with none there) those of every active course of its drug; else its cumulative
    limit's."""
    units: list[Unit] = []
    if plan.blinded:
        units = _units([c for c in regimen.period(plan.period).courses
                        if c.drug == plan.drug and not c.placebo])
    if not units:
        units = _units([c for p in regimen.periods for c in p.courses
                        if c.drug == plan.drug and not c.placebo])
    limit = regimen.drug(plan.drug).max_cumulative
    if not units and limit is not None:
        units = [limit.amount.unit]
    return units


def _units(courses: list[Course]) -> list[Unit]:
    """The unit of each dimension the doses of ``courses`` are in, the first seen."""
    found: dict[Dimension, Unit] = {}
    for course in courses:
        doses = [course.dose] if course.dose is not None else [s.dose for s in course.steps]
        for dose in doses:
            unit = dose.quantity.amount.unit
            found.setdefault(unit.dimension, unit)
    return list(found.values())


def _allowed(units: list[Unit], strength: Strength | None) -> str:
    """What a given amount may be in, in words: "mass, or tablets of 500 mg each"."""
    words = []
    for unit in units:
        dimension = unit.dimension
        text = dimension.value
        if strength is not None and dimension is strength.amount.unit.dimension:
            per = strength.per
            text += (f", or {per.dimension.value} of {human_amount(strength.amount)} each"
                     if per.dimension.form else
                     f", or {per.symbol} at {human_amount(strength.amount)} per {per.symbol}")
        elif strength is not None and dimension is strength.per.dimension:
            text += (f", or {strength.amount.unit.dimension.value} at "
                     f"{human_amount(strength.amount)} per {strength.per.symbol}")
        words.append(text)
    return "; ".join(words) if words else "none: no dose of it is in an amount"


def _converts(amount: Amount, target: Unit, strength: Strength | None) -> bool:
    dimension = amount.unit.dimension
    if dimension is target.dimension:
        return True
    if strength is None:
        return False
    return {dimension, target.dimension} == {strength.per.dimension,
                                              strength.amount.unit.dimension}


def _convert(row: RecordRow, amount: Amount, target: Unit, strength: Strength | None
             ) -> Amount:
    """``amount`` (of a dimension that :func:`_converts` to ``target``) in ``target``,
    exactly, through ``strength`` between its form and the amount of drug it holds.

    Raises:
        InvalidRecordError: an amount of drug that is not a count the form can be given
            in (code ``record-form-count``).
    """
    dimension = amount.unit.dimension
    if dimension is target.dimension:
        return amount.to(target)
    assert strength is not None
    if dimension is strength.per.dimension:
        # A count of the form: what it holds.
        with localcontext(EXACT):
            count = amount.to(strength.per)
            content = Amount(normal(count.magnitude * strength.amount.magnitude),
                             strength.amount.unit)
        return content.to(target)
    # An amount of drug, the dose counted in the form.
    count_value = form_count(amount, strength)
    if count_value is None:
        raise _refuse(row, f"{human_amount(amount)} is not an exact number of "
                      f"{_forms(strength)} at {human_amount(strength.amount)} per "
                      f"{strength.per.symbol}: write the {_forms(strength)} given",
                      "record-form-count")
    count = Amount(count_value, strength.per)
    split = form_part_problem(count)
    if split is not None:
        raise _refuse(row, f"{human_amount(amount)} is {human_amount(count)} of "
                      f"{human_amount(strength.amount)} each, which cannot have been given: "
                      f"{split}", "record-form-count")
    return count.to(target)


def _forms(strength: Strength) -> str:
    per = strength.per
    return per.dimension.value if per.dimension.form else per.symbol


def _whole(row: RecordRow, amount: Amount) -> None:
    """Refuse a count of a form that the form is not given in (a quarter tablet)."""
    split = form_part_problem(amount)
    if split is not None:
        raise _refuse(row, f"{human_amount(amount)} cannot have been given: {split}",
                      "record-form-count")


def _shown(written: Amount, amount: Amount, strength: Strength | None) -> Given:
    """``amount`` (``written`` converted) as a dose of the drug is shown: a count of its
    form with what it holds when written as one or counted in it, else the amount."""
    if strength is None:
        return Given(amount, human_amount(amount))
    per, held = strength.per.dimension, strength.amount.unit.dimension
    if amount.unit.dimension is per and written.unit.dimension in (per, held):
        count = amount
        with localcontext(EXACT):
            content = Amount(normal(amount.to(strength.per).magnitude
                                    * strength.amount.magnitude), strength.amount.unit)
    elif amount.unit.dimension is held and written.unit.dimension is per:
        count, content = written, amount
    else:
        return Given(amount, human_amount(amount))
    return Given(amount, f"{human_amount(count)} ({human_amount(content)})", count, content)


def _refuse(row: RecordRow, message: str, code: str) -> InvalidRecordError:
    assert row.amount is not None
    value = (human_amount(row.amount) if row.amount.unit.dimension.form
             else str(row.amount))  # "2 tablets", as written, not the symbol "2 tablet"
    return InvalidRecordError([Problem(row.source, row.line, ("amount",), message, value,
                                       code=code)])
