"""What one regimen and plan fix for every simulation: the codes of drugs, sites and packs,
each drug's vial sizes, kits and placebo vials (:class:`Catalogue`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import InvalidRegimenError
from ..model import Regimen
from ..quantities import Amount, least_waste_vials
from ._plan import Plan
from ._plan_checks import _active_amounts, _has_placebo, plan_problems
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


def catalogue(regimen: Regimen, plan: Plan) -> Catalogue:
    """The codes and packs of ``plan`` for ``regimen``; checks the plan against it.

    Raises:
        InvalidRegimenError: the plan names an arm, period or drug the regimen does not
            have, a drug's vials cannot hold its doses, or a placebo's vials cannot be
            known (each problem on the plan's line).
    """
    problems = plan_problems(regimen, plan, Partial.of(plan))
    if problems:
        raise InvalidRegimenError(problems)
    drug_ids = tuple(d.id for d in regimen.drugs)
    sizes: list[tuple[Amount, ...]] = []
    placebo: list[tuple[int, ...] | None] = []
    blind: list[str | None] = []
    kits: list[int | None] = []
    packs: list[tuple[int, str, Amount | None]] = []
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
            if packing.placebo_vials is not None:
                # Placebo vials are of the smallest size unless said otherwise.
                per_placebo = (0,) * (len(ordered) - 1) + (packing.placebo_vials,)
            else:  # one flat amount: plan_problems refused the plan otherwise
                (only,) = amounts
                assert only is not None
                per_placebo = _counts(least_waste_vials(only, ordered), ordered)
        placebo.append(per_placebo)
        packs.extend((code, f"vial {size}", size) for size in ordered)
        if packing.kit is not None:
            packs.append((code, f"kit of {packing.kit}", None))
    sites = [s.id for s in plan.sites]
    sites += sorted({p.site for p in plan.participants} - set(sites))
    return Catalogue(drug_ids, tuple(sizes), tuple(placebo), tuple(blind), tuple(kits),
                     tuple(sites), tuple(packs), plan.period,
                     tuple(_has_placebo(regimen, d) for d in drug_ids))


def _counts(combination: Any, sizes: tuple[Amount, ...]) -> tuple[int, ...]:
    """Vials per size (in the order of ``sizes``) of a least-waste combination."""
    used = {(size.magnitude * size.unit.factor): n for size, n in combination.vials}
    return tuple(used.get(s.magnitude * s.unit.factor, 0) for s in sizes)
