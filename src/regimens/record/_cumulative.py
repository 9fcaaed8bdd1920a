"""Cumulative limits (docs/record.md, "Cumulative limits"), pure functions for the replay,
:func:`~regimens.record.planned_limits` and the batch API: :func:`cumulative_flags` adds up
what was given and what is planned for each drug with a ``max_cumulative`` and flags the
administration that would cross the limit, before it happens; :func:`unsized_limits` and
:func:`limit_not_checked` name the limits that cannot be added up."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction

from .._records import dataclass
from ..errors import CumulativeDoseWarning, DoseError
from ..model import Drug, Regimen
from ..quantities import (
    Amount,
    Basis,
    DoseQuantity,
    cumulative_decimal,
    cumulative_share,
    human_dose_quantity,
    normal,
    shown_beside,
)
from ._body_used import BodyUsed
from ._numbers import number_fields

__all__ = ["CumulativeEntry", "CumulativeFlag", "cumulative_flags", "flag_moved_to",
           "limit_not_checked", "unsized_limits"]


@dataclass(frozen=True)
class CumulativeEntry:
    """One administration counted towards a drug's ``max_cumulative``: ``given`` (True:
    given, with the amount actually given; False: still planned), its date, its amount
    (None: counts nothing, e.g. a placebo) and the body it was (or will be) computed
    from (its BSA and weight turn an amount into a per-m2 or per-kg share). ``cycle`` and
    ``day``: its protocol cycle number and cycle day, named by the warning (None: not in
    a cycle)."""

    drug: str
    date: date
    amount: Amount | None
    given: bool
    body: BodyUsed | None = None
    cycle: int | None = None
    day: int | None = None


@dataclass(frozen=True)
class CumulativeFlag:
    """The administration (``index`` into the entries) that crosses its drug's limit:
    ``before`` and ``after`` are the cumulative totals without and with it, in the
    limit's terms (``Decimal``, in ``unit`` per ``basis``); ``given``: it was given
    already (a protocol deviation) rather than planned (flagged before it happens).
    ``warning`` says it in words."""

    drug: str
    index: int
    date: date
    before: Decimal
    after: Decimal
    limit: Decimal
    unit: str
    basis: Basis
    given: bool
    warning: CumulativeDoseWarning

    def __post_init__(self) -> None:
        number_fields(self, "cumulative dose", "before", "after", "limit")


_PER = {Basis.FLAT: "", Basis.PER_KG: " per kg", Basis.PER_M2: " per m²"}


def cumulative_flags(regimen: Regimen, entries: Sequence[CumulativeEntry]
                     ) -> tuple[CumulativeFlag, ...]:
    """For each drug with a ``max_cumulative``, the administrations past its limit, in
    date order (given before planned on the same date):

    - each dose given that brings the total of the doses given above the limit (the first
      to cross it and every dose given after it: protocol deviations), counted with the
      amounts given, in the order given, whatever is still planned before it (a record
      that lags a row leaves an earlier dose planned; it was not given, so it counts
      nothing towards what was);
    - the dose still planned that would bring the doses given (all of them) and the ones
      still planned before it above the limit, flagged before it happens; when a dose
      given crossed the limit, every dose still planned (each is past it already), else
      only the first (the ones after it depend on it being given).

    A per-m2 limit adds up each amount divided by the BSA it was computed from, a per-kg
    limit each amount divided by the weight; a flat one the amounts. The totals are exact
    fractions compared exactly with the limit (a plan at the limit is not above it); the
    flag's ``before`` and ``after`` are them as decimals
    (:func:`regimens.quantities.cumulative_decimal`: exact when they end).

    Raises:
        DoseError: a per-m2 or per-kg limit and an entry without the BSA or weight to
            divide by (the participant's measurements are needed).
    """
    flags: list[CumulativeFlag] = []
    for drug in regimen.drugs:
        limit = drug.max_cumulative
        if limit is None:
            continue
        counted = [i for i, e in enumerate(entries) if e.drug == drug.id and e.amount is not None]
        order = sorted(counted, key=lambda i: (entries[i].date, i))
        # Exact fractions: a plan that meets the limit exactly is not above it.
        most = Fraction(limit.amount.magnitude)
        unit = limit.amount.unit
        past: list[tuple[int, Fraction, Fraction]] = []  # (index, before, after)
        given = Fraction(0)
        for i in (i for i in order if entries[i].given):
            after = given + _share(drug, entries[i], limit.basis)
            if after > most:
                past.append((i, given, after))
            given = after
        crossed = bool(past)  # by a dose given: every dose still planned is past the limit
        total = given
        for i in (i for i in order if not entries[i].given):
            after = total + _share(drug, entries[i], limit.basis)
            if after > most:
                past.append((i, total, after))
                if not crossed:
                    break
            total = after
        past.sort(key=lambda p: (entries[p[0]].date, not entries[p[0]].given, p[0]))
        flags += [_flag(drug, i, entries[i], cumulative_decimal(before),
                        cumulative_decimal(after), limit.amount.magnitude, unit.symbol,
                        limit.basis) for i, before, after in past]
    return tuple(flags)


def flag_moved_to(regimen: Regimen, flag: CumulativeFlag, entry: CumulativeEntry
                  ) -> CumulativeFlag:
    """``flag`` (from :func:`cumulative_flags`) for ``entry``, the same administration on
    another date (the batch API: one participant's plan is another's shifted in time, so
    the crossing is found once and worded for each start date). Totals, limit and index
    are ``flag``'s; the date, cycle, day and given-or-planned are ``entry``'s, in the same
    words as :func:`cumulative_flags` uses."""
    return _flag(regimen.drug(flag.drug), flag.index, entry, flag.before, flag.after,
                 flag.limit, flag.unit, flag.basis)


def unsized_limits(regimen: Regimen, entries: Sequence[CumulativeEntry]) -> tuple[Drug, ...]:
    """The drugs whose per-m2 (per-kg) ``max_cumulative`` cannot be added up over
    ``entries``: one of their doses has an amount but no BSA (weight) it was computed from
    (flat doses for a participant without the measurement). Their limit is not checked
    (:func:`limit_not_checked` says so), where :func:`cumulative_flags` would refuse
    them."""
    unsized: list[Drug] = []
    for drug in regimen.drugs:
        limit = drug.max_cumulative
        if limit is None or limit.basis is Basis.FLAT:
            continue
        if any(e.drug == drug.id and e.amount is not None and _size(e, limit.basis) is None
               for e in entries):
            unsized.append(drug)
    return tuple(unsized)


def _size(entry: CumulativeEntry, basis: Basis) -> Decimal | None:
    """The BSA (per m2) or weight (per kg) ``entry``'s dose was computed from, if known."""
    body = entry.body
    if body is None:
        return None
    return body.bsa_m2 if basis is Basis.PER_M2 else body.participant.weight_kg


def limit_not_checked(drug: Drug) -> CumulativeDoseWarning:
    """The warning that ``drug``'s per-m2 (per-kg) ``max_cumulative`` was not checked:
    the participant's body surface area (weight) is not given, so its doses cannot be
    added up in the limit's terms (:func:`regimens.record.planned_limits`).

    Raises:
        ValueError: ``drug`` has no per-m2 or per-kg ``max_cumulative``.
    """
    limit = drug.max_cumulative
    if limit is None or limit.basis is Basis.FLAT:
        raise ValueError(f"{drug.id} has no per-m2 or per-kg max_cumulative")
    what = "body surface area" if limit.basis is Basis.PER_M2 else "weight"
    return CumulativeDoseWarning(
        f"{drug.id} ({drug.name}): max_cumulative {human_dose_quantity(limit)} is "
        f"not checked: it adds up doses per {'m²' if what != 'weight' else 'kg'} and "
        f"the participant's {what} is not given")


def _share(drug: Drug, entry: CumulativeEntry, basis: Basis) -> Fraction:
    """What ``entry`` adds to ``drug``'s cumulative total in its limit's unit and basis,
    exactly."""
    assert entry.amount is not None
    assert drug.max_cumulative is not None
    amount = entry.amount.to(drug.max_cumulative.amount.unit).magnitude
    if basis is Basis.FLAT:
        return cumulative_share(amount)
    size = _size(entry, basis)
    if size is None:
        what = "body surface area" if basis is Basis.PER_M2 else "weight"
        raise DoseError(f"{drug.id}'s max_cumulative {drug.max_cumulative} adds up doses"
                        f"{_PER[basis]}: the administration on {entry.date.isoformat()} needs "
                        f"the {what} it was computed from")
    return cumulative_share(amount, size)


def _flag(drug: Drug, index: int, entry: CumulativeEntry, before: Decimal, after: Decimal,
          limit: Decimal, unit: str, basis: Basis) -> CumulativeFlag:
    where = "" if entry.cycle is None else (
        f" (cycle {entry.cycle}" + ("" if entry.day is None else f", day {entry.day}") + ")")
    assert drug.max_cumulative is not None
    of = drug.max_cumulative.amount.unit

    def said(value: Decimal) -> str:
        # In safe notation, as doses are written: "6 million units", never "6 MIU".
        return human_dose_quantity(DoseQuantity(Amount(normal(value), of), basis))

    text = (f"{drug.id} ({drug.name}): the administration "
            f"{'given' if entry.given else 'planned'} on {entry.date.isoformat()}{where} "
            f"{'brought' if entry.given else 'would bring'} the cumulative dose to "
            f"{said(shown_beside(after, limit))}, above max_cumulative {said(limit)} "
            f"({said(shown_beside(before, limit))} before it)")
    if not entry.given:
        text += "; review before giving it"
    return CumulativeFlag(drug.id, index, entry.date, before, after, limit, unit, basis,
                          entry.given, CumulativeDoseWarning(text))

