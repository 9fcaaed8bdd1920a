"""What one schedule gives of each drug, counted in one pass over its rows (:func:`_tally`):
administrations, placebo, totals per basis and dimension (divided daily doses summed exactly),
first and last days, and each drug's plan against its ``max_cumulative``; and the least and
most totals over the conditions ``check`` evaluates (:func:`_extremes`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from ..errors import DoseError, ParticipantError
from ..quantities import (
    Amount,
    Basis,
    Dimension,
    DoseQuantity,
    cumulative_decimal,
    cumulative_share,
    exactly,
    half_up,
    human_dose_quantity,
    normal,
    shown_beside,
)
from ._administration import Administration
from ._body_size import BodySize
from ._schedule import Schedule

Totals = dict[tuple[Basis, Dimension], Amount]


@exactly
def _add(totals: Totals, basis: Basis, amount: Amount) -> None:
    # One total per basis and dimension, in the unit of the first dose seen (the
    # unit the protocol writes), so "500 mg" and "1 g" add up to "1,500 mg".
    key = (basis, amount.unit.dimension)
    if key in totals:
        held = totals[key]
        totals[key] = Amount(held.magnitude + amount.to(held.unit).magnitude, held.unit)
    else:
        totals[key] = amount


@dataclass
class _Tally:
    """What one schedule gives of one drug: counted as the rows go by, no row kept."""

    count: int = 0
    placebo: int = 0
    unspecified: int = 0
    totals: Totals = field(default_factory=dict)
    before_caps: bool = False
    first_day: int | None = None
    last_day: int | None = None
    daily: list[DoseQuantity] = field(default_factory=list)  # distinct, in order given
    # Against the drug's max_cumulative (limits only): the total in the limit's terms,
    # the administration that crosses it (words), or why it cannot be added up. The total
    # is an exact fraction (regimens.quantities.cumulative_share).
    limit_total: Fraction = Fraction(0)
    crossing: str = ""
    limit_reason: str = ""


def _size(schedule: Schedule, basis: Basis) -> Decimal | None:
    """The participant's BSA (per m²) or weight (per kg) the doses are computed from."""
    body = BodySize(schedule.participant, schedule.bsa_formula, schedule.bsa_decimals)
    try:
        return body.area()[0] if basis is Basis.PER_M2 else body.weight()
    except (ParticipantError, DoseError):
        return None


def _limit_share(a: Administration, limit: DoseQuantity, size: Decimal | None
                 ) -> Fraction | str:
    """What one administration adds to its drug's cumulative total, in the limit's unit and
    basis (exactly: a fraction), or why it cannot be added up."""
    unit = limit.amount.unit
    per = a.dose.per_basis
    if a.dose.amount is not None and (limit.basis is Basis.FLAT or size is not None):
        amount = a.dose.amount.to(unit).magnitude
        return cumulative_share(amount, None if limit.basis is Basis.FLAT else size)
    if a.dose.amount is None and per is not None and per.quantity.basis is limit.basis:
        share = cumulative_share(per.quantity.amount.to(unit).magnitude)
        return share / per.divided if per.divided is not None else share
    what = {Basis.PER_M2: "weight and height (or BSA)", Basis.PER_KG: "weight"}.get(
        limit.basis, "weight and height")
    return (f"the doses are {'flat' if a.dose.amount is not None else 'relative'}; "
            f"give the participant's {what} to add them up against it")


def _limits(schedule: Schedule, tallies: dict[str, _Tally]) -> None:
    """Each drug's plan against its ``max_cumulative``, in date order (into ``tallies``)."""
    limits = {d.id: d.max_cumulative for d in schedule.regimen.drugs
              if d.max_cumulative is not None and d.id in tallies}
    bases = {q.basis for q in limits.values()} - {Basis.FLAT}
    sizes: dict[Basis, Decimal | None] = {b: _size(schedule, b) for b in bases}
    for a in schedule.administrations:
        limit = limits.get(a.drug)
        t = tallies[a.drug] if limit is not None else None
        if limit is None or t is None or a.placebo or t.limit_reason:
            continue
        if a.dose.amount is None and a.dose.per_basis is None:
            continue  # no amount fixed by the protocol: counts nothing
        share = _limit_share(a, limit, sizes.get(limit.basis) if limit.basis in sizes
                             else None)
        if isinstance(share, str):
            t.limit_reason = share
            continue
        after = t.limit_total + share
        # Compared exactly: a plan at the limit is not above it.
        if after > Fraction(limit.amount.magnitude) and not t.crossing:
            where = "" if a.cycle is None else (
                f" (cycle {a.cycle}" + ("" if a.cycle_day is None else
                                        f", day {a.cycle_day}") + ")")
            t.crossing = (f"{a.study_day}{where} would bring it to "
                          f"{_said(cumulative_decimal(after), limit)} "
                          f"({_said(cumulative_decimal(t.limit_total), limit)} before it)")
        t.limit_total = after


def _rounded(value: Decimal, limit: Decimal | None = None) -> Decimal:
    """A cumulative total as the warnings show it: exact, else half up to 2 decimals, with
    more when 2 would read as the ``limit`` it is not equal to (never "400 mg per m², above
    max_cumulative 400 mg per m²")."""
    return half_up(value, 2) if limit is None else shown_beside(value, limit)


def _said(value: Decimal, limit: DoseQuantity) -> str:
    """A cumulative total in the limit's unit and basis, in safe notation ("6 million
    units", never "6 MIU")."""
    return human_dose_quantity(DoseQuantity(
        Amount(_rounded(value, limit.amount.magnitude), limit.amount.unit), limit.basis))


def _tally(schedule: Schedule) -> dict[str, _Tally]:
    """Per drug, in the order of each drug's first administration: one pass over the rows."""
    tallies: dict[str, _Tally] = {}
    # Divided daily doses written per kg or per m2: each administration is a part of the
    # daily dose, so the daily doses are summed and divided once at the end (exact, where
    # summing the parts, 40/3 mg/m2 each, would not be).
    daily: dict[tuple[str, int], Totals] = {}
    for a in schedule.administrations:
        t = tallies.get(a.drug)
        if t is None:
            t = tallies[a.drug] = _Tally()
            t.first_day = a.study_day.value  # the rows are in order of day
        t.count += 1
        t.last_day = a.study_day.value
        if a.placebo:
            t.placebo += 1
        elif a.dose.amount is not None:
            _add(t.totals, Basis.FLAT, a.dose.amount)
            # A dose counted in its drug's form: the tablets (or the mg they hold) too,
            # a total of their own dimension.
            for other in (a.dose.form, a.dose.content):
                if other is not None and other.unit.dimension is not a.dose.amount.unit.dimension:
                    _add(t.totals, Basis.FLAT, other)
            per = a.dose.per_basis
            if per is not None and per.divided is not None:
                # What the day's parts add up to (each part rounded): exact.
                given = DoseQuantity(Amount(normal(a.dose.amount.magnitude * per.divided),
                                            a.dose.amount.unit), Basis.FLAT)
                if given not in t.daily:
                    t.daily.append(given)
        elif a.dose.per_basis is not None and a.dose.per_basis.divided is not None:
            q = a.dose.per_basis.quantity
            if q not in t.daily:
                t.daily.append(q)
            _add(daily.setdefault((a.drug, a.dose.per_basis.divided), {}), q.basis, q.amount)
            t.before_caps |= a.dose.per_basis.round is not None
        elif a.dose.per_basis is not None:
            q = a.dose.per_basis.quantity
            _add(t.totals, q.basis, q.amount)
            per = a.dose.per_basis
            # Rounding to a multiple or to standard doses, or a cap: per participant.
            t.before_caps |= (per.max, per.round, per.standard) != (None, None, None)
        else:
            t.unspecified += 1
    for (drug, parts), summed in daily.items():
        for (basis, _), amount in summed.items():
            share = normal(amount.magnitude / parts)
            if share * parts != amount.magnitude:
                raise DoseError(f"the total of {drug}'s divided daily dose ({amount} {basis} "
                                f"over administrations in {parts} parts a day) is not a whole "
                                "number of days")
            _add(tallies[drug].totals, basis, Amount(share, amount.unit))
    _limits(schedule, tallies)
    return tallies


def _quantities(totals: Totals) -> tuple[DoseQuantity, ...]:
    return tuple(DoseQuantity(Amount(normal(v.magnitude), v.unit), b) for (b, _), v in sorted(
        totals.items(), key=lambda kv: (kv[0][0].value, kv[0][1].value)))


@exactly
def _extremes(all_totals: list[Totals]) -> tuple[tuple[DoseQuantity, ...],
                                                  tuple[DoseQuantity, ...]]:
    """Per basis and dimension, the least and the most total over the conditions."""
    keys = sorted({k for t in all_totals for k in t}, key=lambda k: (k[0].value, k[1].value))
    least, most = [], []
    for basis, dimension in keys:
        unit = next(t[(basis, dimension)].unit for t in all_totals if (basis, dimension) in t)
        values = [t[(basis, dimension)].to(unit).magnitude if (basis, dimension) in t
                  else Decimal(0) for t in all_totals]
        least.append(DoseQuantity(Amount(normal(min(values)), unit), basis))
        most.append(DoseQuantity(Amount(normal(max(values)), unit), basis))
    return tuple(least), tuple(most)
