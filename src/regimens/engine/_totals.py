"""A participant's totals per drug: what the dose sheet ends with.

Sums are exact: amounts of one :class:`~regimens.Dimension` are added in the
smallest unit the drug's doses use (1 MIU and 500,000 IU add up to 1,500,000 IU;
every unit's factor is a power of ten, so the conversion into the smaller unit is
exact); amounts of different dimensions are never added (mg and international
units stay two totals). Vials are the per-administration combinations of the vial
rule (:func:`~regimens.least_waste_vials`), counted per size.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from .._records import dataclass
from ..quantities import Amount, Dimension, Unit, exactly, normal, same_amount

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from ..model import Regimen
    from ._administration import Administration

__all__ = ["DrugTotal", "drug_totals"]


@dataclass(frozen=True)
class DrugTotal:
    """One drug's totals over a participant's schedule (:attr:`Schedule.totals`).

    ``administrations`` counts every administration, ``placebo`` those of matching
    placebo and ``unspecified`` those without an amount (a dose the regimen does not
    fix, or one not computed for want of a participant). ``amounts``: the cumulative
    dose, one exact :class:`Amount` per dimension, in the order first given: a placebo
    administration is no amount of the drug, whatever its label says.
    ``vials``: ``((size, count), ...)`` over all administrations, largest size first;
    ``waste``: what those vials hold beyond the doses (None without vials).
    ``placebo_labelled``: the amounts a record says were given of the placebo, as
    labelled (blinded staff write the labelled amount they injected), added up apart.
    """

    drug: str
    drug_name: str
    administrations: int
    placebo: int
    unspecified: int
    amounts: tuple[Amount, ...]
    vials: tuple[tuple[Amount, int], ...] = ()
    waste: Amount | None = None
    placebo_labelled: tuple[Amount, ...] = ()


@exactly
def _sum(amounts: list[tuple[Amount, int]]) -> Amount:
    """The exact sum of amounts of one dimension, each taken ``count`` times, in the
    smallest unit among them (a count times an amount is the sum of that many copies:
    the context is exact for these products, and :func:`normal` drops the exponent)."""
    target: Unit = min((a.unit for a, _ in amounts), key=lambda u: u.factor)
    total = sum((n * a.magnitude * a.unit.factor / target.factor for a, n in amounts),
                Decimal(0))
    return Amount(normal(total), target)


@exactly
def drug_totals(regimen: Regimen, administrations: Sequence[Administration],
                weighted: Iterable[tuple[Administration, int]] | None = None,
                ) -> tuple[DrugTotal, ...]:
    """Each drug's :class:`DrugTotal`, in the order the regimen declares its drugs; drugs
    with no administration are left out.

    ``weighted`` (instead of ``administrations``): pairs of an administration and how
    many administrations of the schedule it stands for (the same drug, dose, placebo and
    status), in the order of each one's first row in the schedule: the same totals as
    those rows one by one.
    """
    rows: dict[str, list[tuple[Administration, int]]] = {}
    for a, weight in (((a, 1) for a in administrations) if weighted is None else weighted):
        # A dose missed, held, cancelled or stopped (a record's replay) counts as zero.
        if a.status.happens:
            rows.setdefault(a.drug, []).append((a, weight))
    out = []
    for drug in regimen.drugs:
        given = rows.get(drug.id)
        if not given:
            continue
        by_dimension: dict[Dimension, list[tuple[Amount, int]]] = {}
        sizes: list[tuple[Amount, int]] = []
        wasted: list[tuple[Amount, int]] = []
        labelled: dict[Dimension, list[tuple[Amount, int]]] = {}
        placebo = unspecified = 0
        for a, weight in given:
            amount = a.dose.amount
            if a.placebo:
                # No amount of the drug: a placebo given as labelled is said apart.
                placebo += weight
                if amount is not None:
                    labelled.setdefault(amount.unit.dimension, []).append((amount, weight))
                continue
            if amount is None:
                unspecified += weight
            if amount is None:
                continue
            by_dimension.setdefault(amount.unit.dimension, []).append((amount, weight))
            # A dose counted in its form: the count and the drug it holds, each in its
            # own dimension (tablets and mg are two totals).
            for other in (a.dose.form, a.dose.content):
                if other is not None and other.unit.dimension is not amount.unit.dimension:
                    by_dimension.setdefault(other.unit.dimension, []).append((other, weight))
            vials = a.dose.vials
            if vials is not None:
                wasted.append((vials.waste, weight))
                for size, n in vials.vials:
                    for i, (known, count) in enumerate(sizes):
                        if same_amount(known, size):
                            sizes[i] = (known, count + n * weight)
                            break
                    else:
                        sizes.append((size, n * weight))
        sizes.sort(key=lambda pair: pair[0].magnitude * pair[0].unit.factor, reverse=True)
        out.append(DrugTotal(
            drug.id, drug.name, sum(weight for _, weight in given), placebo, unspecified,
            tuple(_sum(amounts) for amounts in by_dimension.values()),
            tuple(sizes), _sum(wasted) if wasted else None,
            tuple(_sum(amounts) for amounts in labelled.values())))
    return tuple(out)
