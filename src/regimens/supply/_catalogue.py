"""What one regimen and plan fix for every simulation: the codes of drugs, sites and packs,
each drug's vial sizes, kits and placebo vials (:class:`Catalogue`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import NO_VALUE, InvalidRegimenError, Problem
from ..export import unmatched_problem
from ..model import Regimen, unmatched_anywhere
from ..quantities import Amount, exactly, least_waste_vials
from ._plan import Plan
from ._plan_checks import _active_amounts, _has_placebo, arms_told_apart, plan_problems
from ._plan_reader import Partial

__all__ = ["Catalogue", "catalogue"]


@dataclass(frozen=True)
class Catalogue:
    """What one regimen and plan fix for every simulation: codes and packs.

    ``drugs``: drug ids in the regimen's order (the ``drug`` code); ``units``: unit
    symbols met so far are coded by :func:`demand` through ``unit_codes``;
    ``packs``: ``(drug code, label, vial size or None for a kit)`` per pack code;
    ``vial_sizes[d]``: drug ``d``'s vial sizes (largest first, empty: no vials);
    ``placebo_vials[d]``: the per-size vial counts of one placebo administration
    (None: the drug has no vials, or no placebo); ``blind_unit[d]``: the unit a
    placebo administration is counted under (the active doses' one unit, else None);
    ``kits[d]``: administrations per kit or None; ``sites``: site ids, in the plan's
    order, then those only participants name; ``blinded[d]``: the regimen gives drug
    ``d`` a matching placebo (a blinded forecast then never shows its amount).
    """

    drugs: tuple[str, ...]
    vial_sizes: tuple[tuple[Amount, ...], ...]
    placebo_vials: tuple[tuple[int, ...] | None, ...]
    blind_unit: tuple[str | None, ...]
    kits: tuple[int | None, ...]
    sites: tuple[str, ...]
    packs: tuple[tuple[int, str, Amount | None], ...]
    period: str
    blinded: tuple[bool, ...] = ()

    def pack_of(self, drug: int) -> list[int]:
        """The pack codes of a drug's vial sizes (largest first), then of its kit."""
        return [i for i, (d, _label, _size) in enumerate(self.packs) if d == drug]


@exactly  # sizes compared exactly, whatever the caller's decimal context
def catalogue(regimen: Regimen, plan: Plan, *, unblinded: bool = False) -> Catalogue:
    """The codes and packs of ``plan`` for ``regimen``; checks the plan against it.

    Blinded (``unblinded`` false, the default), a matching placebo must take the vials
    of the active dose: placebo counted with its drug in other vials would tell each
    site's placebo from active by its packs (docs/supply.md, "Blinded trials").

    Raises:
        InvalidRegimenError: the plan names an arm, period or drug the regimen does not
            have, a drug's vials cannot hold its doses, or a placebo's vials cannot be
            known, or (blinded) are not the active dose's (each problem on the plan's
            line).
    """
    problems = plan_problems(regimen, plan, Partial.of(plan))
    if problems:
        raise InvalidRegimenError(problems)
    unblinding: list[Problem] = []
    drug_ids = tuple(d.id for d in regimen.drugs)
    sizes: list[tuple[Amount, ...]] = []
    placebo: list[tuple[int, ...] | None] = []
    blind: list[str | None] = []
    kits: list[int | None] = []
    packs: list[tuple[int, str, Amount | None]] = []
    gaps_all = () if unblinded else unmatched_anywhere(regimen)
    for code, drug in enumerate(regimen.drugs):
        packing = plan.packaging(drug.id)
        vials = packing.vials or drug.vials
        ordered = tuple(sorted(vials, key=lambda v: v.magnitude * v.unit.factor,
                               reverse=True))
        amounts, units = _active_amounts(regimen, drug.id)
        sizes.append(ordered)
        blind.append(next(iter(units)) if len(units) == 1 else None)
        kits.append(packing.kit)
        per_placebo: tuple[int, ...] | None = None
        if ordered and _has_placebo(regimen, drug.id):
            (only,) = amounts if len(amounts) == 1 else (None,)
            active = (None if only is None
                      else _counts(least_waste_vials(only, ordered), ordered))
            if packing.placebo_vials is not None:
                # Placebo vials are of the smallest size unless said otherwise.
                per_placebo = (0,) * (len(ordered) - 1) + (packing.placebo_vials,)
                if not unblinded and per_placebo != active:
                    unblinding.append(_unblinding(plan, drug.id, only, active,
                                                  per_placebo, ordered))
            else:  # one flat amount: plan_problems refused the plan otherwise
                assert active is not None
                per_placebo = active
        placebo.append(per_placebo)
        # A drug (or a course of it) some arms of a blinded period are given and the
        # others not, with no placebo matching it there: counted for their participants
        # alone (blinded-unmatched, docs/supply.md "Blinded trials").
        gaps = [] if unblinded else [g for g in gaps_all if g.drug == drug.id]
        unblinding += [unmatched_problem(g, forecast=True) for g in gaps]
        period = None if unblinded or gaps else arms_told_apart(regimen, drug.id)
        if period is not None:
            unblinding.append(_arms_differ(regimen, plan, drug.id, period))
        packs.extend((code, f"vial {size}", size) for size in ordered)
        if packing.kit is not None:
            packs.append((code, f"kit of {packing.kit}", None))
    if unblinding:
        raise InvalidRegimenError(unblinding)
    sites = [s.id for s in plan.sites]
    sites += sorted({p.site for p in plan.participants} - set(sites))
    return Catalogue(drug_ids, tuple(sizes), tuple(placebo), tuple(blind), tuple(kits),
                     tuple(sites), tuple(packs), plan.period,
                     tuple(_has_placebo(regimen, d) for d in drug_ids))


def _unblinding(plan: Plan, drug: str, only: Amount | None, active: tuple[int, ...] | None,
                placebo: tuple[int, ...], sizes: tuple[Amount, ...]) -> Problem:
    """The refusal of a blinded forecast whose placebo vials for ``drug`` (per size, in the
    order of ``sizes``) are not the active dose's (``active``; None: the active doses are
    not one flat amount, ``only``), and what to do instead."""
    stocked = " and ".join(str(s) for s in reversed(sizes))
    unblind = "forecast unblinded (--unblinded, unblinded=True) for the unblinded supply team"
    if active is None:
        what = (f"the active doses of {drug!r} are not one flat amount, so no one count "
                f"of placebo vials matches their vials (vials of {stocked})")
        advice = unblind
    else:
        what = (f"the active dose of {drug!r} ({only}) takes {_vials_text(active, sizes)}, "
                f"but a placebo administration {_vials_text(placebo, sizes)} (vials of "
                f"{stocked})")
        advice = ("leave placebo_vials out (the placebo then takes the active dose's "
                  f"vials), or {unblind}")
    return plan.problem(
        ("drugs", drug, "placebo_vials"), f"{what}; a blinded forecast counts a matching "
        f"placebo with its drug, so the packs would tell a site's placebo from active: "
        f"{advice}", placebo[-1], code="placebo-vials-unblind")


def _arms_differ(regimen: Regimen, plan: Plan, drug: str, period: str) -> Problem:
    """The refusal of a blinded forecast of ``drug``, given to the arms of the blinded
    ``period`` by courses that differ, with no matching placebo there (docs/supply.md,
    "Blinded trials")."""
    arms = sorted({a for c in regimen.period(period).courses if c.drug == drug
                   for a in (c.arms or [arm.id for arm in regimen.arms])})
    return plan.problem(
        ("drugs", drug), f"in the blinded period {period!r}, the arms ({', '.join(arms)}) "
        f"are given {drug!r} by courses of their own that differ (dose-ranging), with no "
        "matching placebo: a site's amounts and vials of it would tell its participants' "
        "arms apart, so no blinded forecast of it is possible: forecast unblinded (--unblinded, "
        "unblinded=True) for the unblinded supply team", NO_VALUE,
        code="blinded-doses-differ")


def _vials_text(counts: tuple[int, ...], sizes: tuple[Amount, ...]) -> str:
    """``1 vial of 420 mg + 2 vials of 150 mg``: vials per size, largest first."""
    return " + ".join(f"{n} vial{'s' if n != 1 else ''} of {size}"
                      for n, size in zip(counts, sizes, strict=True) if n)


@exactly  # sizes compared exactly, whatever the caller's decimal context
def _counts(combination: Any, sizes: tuple[Amount, ...]) -> tuple[int, ...]:
    """Vials per size (in the order of ``sizes``) of a least-waste combination."""
    used = {(size.magnitude * size.unit.factor): n for size, n in combination.vials}
    return tuple(used.get(s.magnitude * s.unit.factor, 0) for s in sizes)
