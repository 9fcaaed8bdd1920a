"""The simulations' demand reduced to what :func:`simulate` returns (:class:`Forecast`):
the demand per simulation, percentiles over simulations cell by cell (the inverted empirical
distribution function: :data:`QUANTILE_METHOD`) and what to ship when, as Arrow tables."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, localcontext
from typing import Any

from ..quantities import EXACT
from ._catalogue import Catalogue
from ._demand import SimulationDemand
from ._deps import numpy, pyarrow
from ._plan import Plan

__all__ = ["QUANTILE_METHOD", "QUANTILE_METHOD_NAME", "Forecast"]


#: How percentiles are taken, as outputs state it.
QUANTILE_METHOD = ("inverted empirical CDF (Hyndman and Fan definition 1, NumPy "
                   "method='inverted_cdf'): pQ is the smallest simulated value that at "
                   "least Q% of simulations do not exceed")


#: The method's name in the CSV's trailing ``quantile_method`` column: NumPy's name for
#: it (``numpy.quantile(..., method="inverted_cdf")``), Hyndman and Fan's definition 1.
QUANTILE_METHOD_NAME = "inverted_cdf"


_EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class Forecast:
    """What :func:`simulate` returns: Arrow tables, and how they were made.

    ``demand``: per simulation, one row per drug, site and period (and one row of
    visits per site and period, with ``drug`` null); ``summary``: the statistics
    over simulations, long form (columns ``drug``, ``site``, ``week`` or ``month``,
    ``statistic``, ``administrations``, ``amount``, ``unit``, ``vials``, ``kits``,
    ``visits``; with ``unblinded``, ``placebo`` after ``drug``; blinded, a drug with a
    matching placebo has no ``amount`` or ``unit``, which would unblind); ``shipments``: per
    drug, pack (a vial size or a kit), site and period, the quantity to ship (the
    service level's quantile plus the overage) and the dates to ship it by and to
    have it at the site by. ``quantile_method`` states how percentiles are taken;
    ``blinded``: the drugs counted with a matching placebo, without amount or unit (none
    with ``unblinded``).
    """

    demand: Any
    summary: Any
    shipments: Any
    simulations: int
    seed: int
    period: str
    statistics: tuple[str, ...]
    unblinded: bool
    quantile_method: str = QUANTILE_METHOD
    blinded: tuple[str, ...] = ()


def _quantile_rank(statistic: str, n: int) -> int:
    """The 0-based rank of ``pQ`` among ``n`` sorted values (inverted empirical CDF)."""
    with localcontext(EXACT):
        q = Decimal(statistic[1:]) / 100
        return max(0, math.ceil(q * n) - 1)


@dataclass
class _Cells:
    """Cells x simulations: each cell's key columns and its value in every simulation."""

    keys: dict[str, Any]
    values: dict[str, Any]  # name -> (cells, simulations) int64 or object
    present: dict[str, Any]  # name -> (cells,) bool: the column has a value in the cell


def _dense(sims: list[SimulationDemand], unblinded: bool, cat: Catalogue,
           np: Any) -> tuple[_Cells, _Cells, tuple[str, ...], int]:
    """Every simulation's cells on one grid (cells x simulations), placebo merged unless
    ``unblinded``; units coded by symbol over all simulations."""
    units = tuple(sorted({u for s in sims for u in s.units}))
    scale = max((s.scale for s in sims), default=0)
    n = len(sims)
    key_parts: list[Any] = []
    sim_of: list[Any] = []
    for i, s in enumerate(sims):
        remap = np.array([units.index(u) for u in s.units] + [-1], dtype="int64")
        unit_code = remap[s.unit.astype("int64")]  # -1 indexes the appended -1
        placebo = s.placebo.astype("int64") if unblinded else np.zeros(len(s.drug), "int64")
        key = np.stack([s.drug.astype("int64"), placebo, unit_code, s.site.astype("int64"),
                        s.period], axis=1)
        key_parts.append(key)
        sim_of.append(np.full(len(s.drug), i, dtype="int64"))
    keys = np.concatenate(key_parts) if key_parts else np.zeros((0, 5), "int64")
    sim_index = np.concatenate(sim_of) if sim_of else np.zeros(0, "int64")
    # Cells sorted by drug, placebo, site, period, unit: the order of the output.
    cells, index = np.unique(keys[:, [0, 1, 3, 4, 2]], axis=0, return_inverse=True)
    index = index.reshape(-1)
    shape = (len(cells), n)
    values: dict[str, Any] = {}
    for name in ("administrations", "vials", "kits"):
        grid = np.zeros(shape, dtype="int64")
        column = np.concatenate([getattr(s, name) for s in sims]) if sims else grid[:0, 0]
        np.add.at(grid, (index, sim_index), column)
        values[name] = grid
    packs = np.zeros((*shape, len(cat.packs)), dtype="int64")
    if sims:
        np.add.at(packs, (index, sim_index), np.concatenate([s.packs for s in sims]))
    values["packs"] = packs
    # Amounts: exact integers at one scale, int64 when every one fits (else Python ints in
    # an object array: still exact, only slower). A cell has an amount when any
    # simulation gives it one.
    scaled: list[int] = []
    has: list[bool] = []
    for s in sims:
        factor = 10 ** (scale - s.scale)
        scaled.extend(0 if v is None else v * factor for v in s.amount)
        has.extend(v is not None for v in s.amount)
    fits = all(-(1 << 63) <= v < (1 << 63) for v in scaled)
    kind = "int64" if fits else object
    amount = np.zeros(shape, dtype=kind)  # object zeros are Python ints
    np.add.at(amount, (index, sim_index), np.array(scaled, dtype=kind))
    has_amount = np.zeros(len(cells), dtype=bool)
    has_amount[index[np.array(has, dtype=bool)]] = True
    del scaled, has
    values["amount"] = amount
    kinds = {"drug": cells[:, 0], "placebo": cells[:, 1].astype(bool), "site": cells[:, 2],
             "period": cells[:, 3], "unit": cells[:, 4]}
    has_vials = np.array([bool(cat.vial_sizes[d]) for d in cells[:, 0].tolist()], dtype=bool)
    has_kits = np.array([cat.kits[d] is not None for d in cells[:, 0].tolist()], dtype=bool)
    drugs = _Cells(kinds, values, {"amount": has_amount, "vials": has_vials, "kits": has_kits})
    # Visits: one grid of sites x periods.
    vkeys = [np.stack([s.visit_site.astype("int64"), s.visit_period], axis=1) for s in sims]
    vall = np.concatenate(vkeys) if vkeys else np.zeros((0, 2), "int64")
    vcells, vindex = np.unique(vall, axis=0, return_inverse=True)
    vindex = vindex.reshape(-1)
    vgrid = np.zeros((len(vcells), n), dtype="int64")
    if sims:
        np.add.at(vgrid, (vindex, np.concatenate(
            [np.full(len(s.visits), i, "int64") for i, s in enumerate(sims)])),
            np.concatenate([s.visits for s in sims]))
    visits = _Cells({"site": vcells[:, 0], "period": vcells[:, 1]}, {"visits": vgrid}, {})
    return drugs, visits, units, scale


def _quantiles(grid: Any, statistics: Sequence[str], np: Any) -> dict[str, Any]:
    ordered = np.sort(grid, axis=1)
    n = grid.shape[1]
    return {s: ordered[:, _quantile_rank(s, n)] for s in statistics}


def _date(days: int) -> date:
    return _EPOCH + timedelta(days=days)


def _forecast(plan: Plan, cat: Catalogue, sims: list[SimulationDemand], seed: int,
              unblinded: bool) -> Forecast:
    np = numpy()
    pa = pyarrow()
    drugs, visits, units, scale = _dense(sims, unblinded, cat, np)
    period_name = plan.period
    amount_type = pa.decimal128(38, scale)
    summary: dict[str, list[Any]] = {name: [] for name in (
        "drug", "placebo", "site", period_name, "statistic", "administrations", "amount",
        "unit", "vials", "kits", "visits")}
    stats = plan.statistics
    q = {name: _quantiles(grid, stats, np) for name, grid in drugs.values.items()
         if name != "packs"}
    for c in range(len(drugs.keys["drug"])):
        drug = cat.drugs[int(drugs.keys["drug"][c])]
        unit_code = int(drugs.keys["unit"][c])
        for stat in stats:
            summary["drug"].append(drug)
            summary["placebo"].append(bool(drugs.keys["placebo"][c]))
            summary["site"].append(cat.sites[int(drugs.keys["site"][c])])
            summary[period_name].append(_date(int(drugs.keys["period"][c])))
            summary["statistic"].append(stat)
            summary["administrations"].append(int(q["administrations"][stat][c]))
            summary["amount"].append(_scaled(int(q["amount"][stat][c]), scale)
                                     if drugs.present["amount"][c] else None)
            summary["unit"].append(units[unit_code] if unit_code >= 0 else None)
            summary["vials"].append(int(q["vials"][stat][c])
                                    if drugs.present["vials"][c] else None)
            summary["kits"].append(int(q["kits"][stat][c]) if drugs.present["kits"][c] else None)
            summary["visits"].append(None)
    vq = _quantiles(visits.values["visits"], stats, np)
    for c in range(len(visits.keys["site"])):
        for stat in stats:
            for name in ("drug", "placebo", "administrations", "amount", "unit", "vials",
                         "kits"):
                summary[name].append(None)
            summary["site"].append(cat.sites[int(visits.keys["site"][c])])
            summary[period_name].append(_date(int(visits.keys["period"][c])))
            summary["statistic"].append(stat)
            summary["visits"].append(int(vq[stat][c]))
    types = {"drug": pa.string(), "placebo": pa.bool_(), "site": pa.string(),
             period_name: pa.date32(), "statistic": pa.string(),
             "administrations": pa.int64(), "amount": amount_type, "unit": pa.string(),
             "vials": pa.int64(), "kits": pa.int64(), "visits": pa.int64()}
    if not unblinded:
        del summary["placebo"]
    metadata = {"regimens.quantile_method": QUANTILE_METHOD,
                "regimens.simulations": str(len(sims)), "regimens.seed": str(seed)}
    schema = pa.schema([pa.field(k, types[k]) for k in summary], metadata=metadata)
    summary_table = pa.table(summary, schema=schema)
    return Forecast(_per_simulation(cat, sims, units, scale, period_name, unblinded, pa, np),
                    summary_table, _shipments(plan, cat, drugs, unblinded, pa, np),
                    len(sims), seed, plan.period, stats, unblinded,
                    blinded=() if unblinded else tuple(
                        d for d, hidden in zip(cat.drugs, cat.blinded, strict=True)
                        if hidden))


def _scaled(value: int, scale: int) -> Decimal:
    """``value`` x 10**-``scale`` exactly (``scaleb`` rounds to the context's precision:
    regimens' own, never the caller's)."""
    with localcontext(EXACT):
        return Decimal(value).scaleb(-scale)


def _decimals_array(values: list[int | None], scale: int, pa: Any, np: Any) -> Any:
    """Exact integers x 10**-scale (None: null) as a decimal128(38, scale) array, built
    from the integers' two's-complement bytes (no Python Decimal per value)."""
    kind = pa.decimal128(38, scale)
    if any(v is not None and not -(1 << 63) <= v < (1 << 63) for v in values):
        return pa.array([None if v is None else _scaled(v, scale) for v in values],
                        kind)
    mask = np.array([v is None for v in values], dtype=bool)
    low = np.array([0 if v is None else v for v in values], dtype="int64")
    words = np.stack([low, low >> 63], axis=1)  # little-endian 128-bit, sign-extended
    validity = pa.array(~mask).buffers()[1] if mask.any() else None
    return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(words.tobytes())],
                                 null_count=int(mask.sum()))


def _per_simulation(cat: Catalogue, sims: list[SimulationDemand], units: tuple[str, ...],
                    scale: int, period_name: str, unblinded: bool, pa: Any, np: Any) -> Any:
    """Every simulation's cells, long form: the demand behind the percentiles (built
    column by column with NumPy: cells x simulations can be millions of rows). The
    ``placebo`` column only in the unblinded view (blinded, the cells are merged)."""
    del units
    drugs = np.array(cat.drugs, dtype=object)
    sites = np.array(cat.sites, dtype=object)
    has_vials = np.array([bool(v) for v in cat.vial_sizes] or [False], dtype=bool)
    has_kits = np.array([k is not None for k in cat.kits] or [False], dtype=bool)
    schema = pa.schema([
        ("simulation", pa.int32()), ("drug", pa.string()), ("placebo", pa.bool_()),
        ("site", pa.string()), (period_name, pa.date32()), ("administrations", pa.int64()),
        ("amount", pa.decimal128(38, scale)), ("unit", pa.string()), ("vials", pa.int64()),
        ("kits", pa.int64()), ("visits", pa.int64())])
    batches = []
    for i, s in enumerate(sims):
        n, m = len(s.drug), len(s.visits)
        factor = 10 ** (scale - s.scale)
        labels = np.array([*s.units, None], dtype=object)  # -1 -> None
        drug = s.drug.astype("int64")
        none_n = pa.nulls(n, pa.int64())
        none_m = pa.nulls(m, pa.int64())
        cells = pa.record_batch([
            pa.array(np.full(n, i, "int32")), pa.array(drugs[drug], pa.string()),
            pa.array(s.placebo), pa.array(sites[s.site.astype("int64")], pa.string()),
            pa.array(s.period.astype("int32"), pa.int32()).cast(pa.date32()),
            pa.array(s.administrations),
            _decimals_array([None if v is None else v * factor for v in s.amount], scale,
                            pa, np),
            pa.array(labels[s.unit.astype("int64")], pa.string()),
            pa.array(s.vials, mask=~has_vials[drug]), pa.array(s.kits, mask=~has_kits[drug]),
            none_n], schema=schema)
        visits = pa.record_batch([
            pa.array(np.full(m, i, "int32")), pa.nulls(m, pa.string()), pa.nulls(m, pa.bool_()),
            pa.array(sites[s.visit_site.astype("int64")], pa.string()),
            pa.array(s.visit_period.astype("int32"), pa.int32()).cast(pa.date32()),
            none_m, pa.nulls(m, pa.decimal128(38, scale)), pa.nulls(m, pa.string()), none_m,
            none_m, pa.array(s.visits)], schema=schema)
        batches += [cells, visits]
    table = pa.Table.from_batches(batches, schema=schema)
    return table if unblinded else table.drop_columns(["placebo"])


def _shipments(plan: Plan, cat: Catalogue, drugs: _Cells, unblinded: bool, pa: Any,
               np: Any) -> Any:
    """Per pack, site and period: the service level's quantile of the packs used, plus
    the overage, rounded up to whole packs, shipped ``lead_time`` before it must be at
    the site, which is ``buffer`` before the period starts."""
    level = plan.service_level
    with localcontext(EXACT):  # the column's name, whatever the caller's context
        statistic = "p50" if level is None else f"p{(level * 100).normalize():f}"
    packs = drugs.values["packs"]
    n = packs.shape[1] if packs.ndim == 3 else 0
    rank = _quantile_rank(statistic, max(n, 1))
    rows: dict[str, list[Any]] = {name: [] for name in (
        "drug", "placebo", "site", "pack", plan.period, "arrive_by", "ship_by", "statistic",
        "quantity")}
    with localcontext(EXACT):
        factor = 1 + plan.overage
        for c in range(len(drugs.keys["drug"])):
            d = int(drugs.keys["drug"][c])
            packing = plan.packaging(cat.drugs[d])
            start = _date(int(drugs.keys["period"][c]))
            for p in cat.pack_of(d):
                used = np.sort(packs[c, :, p])[rank] if n else 0
                quantity = math.ceil(Decimal(int(used)) * factor)
                if quantity == 0:
                    continue
                arrive = start - timedelta(days=packing.buffer)
                rows["drug"].append(cat.drugs[d])
                rows["placebo"].append(bool(drugs.keys["placebo"][c]))
                rows["site"].append(cat.sites[int(drugs.keys["site"][c])])
                rows["pack"].append(cat.packs[p][1])
                rows[plan.period].append(start)
                rows["arrive_by"].append(arrive)
                rows["ship_by"].append(arrive - timedelta(days=packing.lead_time))
                rows["statistic"].append(statistic)
                rows["quantity"].append(quantity)
    if not unblinded:
        del rows["placebo"]
    types = {"drug": pa.string(), "placebo": pa.bool_(), "site": pa.string(),
             "pack": pa.string(), plan.period: pa.date32(), "arrive_by": pa.date32(),
             "ship_by": pa.date32(), "statistic": pa.string(), "quantity": pa.int64()}
    return pa.table(rows, schema=pa.schema([pa.field(k, types[k]) for k in rows]))
