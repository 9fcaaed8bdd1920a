"""One simulation's demand: every administration, reduced to counts per drug, site and week.

The participants of one simulation are expanded by the batch API
(:func:`regimens.cohort.expand_cohort`: row for row what ``expand`` gives each of
them), streamed in batches of whole participants, and reduced at once to one row
per *cell*: drug, placebo or not, unit, site and period (the Monday of an ISO week,
or the first of a month, in the site's calendar: the dates of the rows are the
site's dates). Nothing per row is kept.

Everything is counted in integers, so a sum never depends on how rows or
simulations are split: administrations and vials are counts; an amount is the
exact decimal of each dose (the batch API's float64 is the correctly rounded
exact amount; its shortest repr gives back the decimal, exact for every amount
of at most 15 significant digits) scaled to an integer by the largest number of
decimals among the simulation's amounts, and a cell's amount is the sum over the
distinct amounts of count x scaled amount, in Python integers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from typing import Any

from ..cohort import expand_cohort
from ..errors import DoseError
from ..model import Regimen
from ..quantities import EXACT, Amount, least_waste_vials, normal, unit
from ._catalogue import Catalogue, _counts
from ._deps import numpy
from ._inputs import Participants

__all__ = ["SimulationDemand", "blind", "demand", "period_start"]

#: Days from 0001-01-01 to 1970-01-01: NumPy's day numbers are days since 1970.
_EPOCH = date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class SimulationDemand:
    """One simulation's demand, one row per cell (all NumPy arrays of one length).

    ``drug``, ``unit`` (a code into ``units``, -1: none), ``site``: codes; ``placebo``:
    bool; ``period``: the period's first day (days since 1970); ``administrations``,
    ``vials`` (all sizes), ``kits``: int64; ``amount``: Python ints, the exact amount
    x 10**``scale`` (None: no amount: a placebo, or a dose left unspecified);
    ``packs``: int64 (cells x packs), vials per size and kits. Visits:
    ``visit_site``, ``visit_period``, ``visits`` (one row per site and period).
    """

    drug: Any
    placebo: Any
    unit: Any
    site: Any
    period: Any
    administrations: Any
    amount: list[int | None]
    scale: int
    vials: Any
    kits: Any
    packs: Any
    units: tuple[str, ...]
    visit_site: Any
    visit_period: Any
    visits: Any


def period_start(days: Any, period: str, np: Any) -> Any:
    """The first day of each day's period (days since 1970, int64): its ISO week's Monday,
    or the first of its month."""
    if period == "week":
        return days - (days + 3) % 7  # 1970-01-01 was a Thursday
    months = days.astype("datetime64[D]").astype("datetime64[M]")
    return months.astype("datetime64[D]").astype("int64")


class _Amounts:
    """Distinct dose amounts (float64) -> exact decimals, and their vials per size: each
    computed once per distinct amount of a drug (least-waste rule)."""

    def __init__(self) -> None:
        self.decimal: dict[float, Decimal] = {}
        self.vials: dict[tuple[int, float, str], tuple[int, ...]] = {}

    def exact(self, value: float) -> Decimal:
        found = self.decimal.get(value)
        if found is None:
            found = normal(Decimal(repr(value)))
            if len(found.as_tuple().digits) > MAX_SIGNIFICANT_DIGITS:
                # Not the shortest repr of an exact amount the batch API could hold.
                raise DoseError(f"a dose of {value!r} has more than "
                                f"{MAX_SIGNIFICANT_DIGITS} significant digits: the supply "
                                "forecast cannot sum it exactly; give the dose a rounding")
            self.decimal[value] = found
        return found

    def vial_counts(self, drug: int, value: float, symbol: str,
                    sizes: tuple[Amount, ...]) -> tuple[int, ...]:
        key = (drug, value, symbol)
        found = self.vials.get(key)
        if found is None:
            dose = Amount(self.exact(value), unit(symbol))
            found = self.vials[key] = _counts(least_waste_vials(dose, sizes), sizes)
        return found


#: Rows per batch: more than one expansion may hold (1,000,000 administrations), so a
#: participant's rows are never split between batches and kits are counted per participant.
_ROWS = 1 << 20
#: Significant digits of an amount read back from float64 (what a float64 holds exactly).
MAX_SIGNIFICANT_DIGITS = 15


def _together(groups: Sequence[Participants], np: Any) -> Participants:
    """Several simulations' participants as one input to the batch API."""
    first = groups[0]

    def joined(name: str) -> Any:
        values = [getattr(g, name) for g in groups]
        if any(v is None for v in values):
            return None
        if isinstance(values[0], list):
            return [x for v in values for x in v]
        return np.concatenate([np.asarray(v) for v in values])

    lengths = None
    if first.lengths:
        lengths = {period: [x for g in groups for x in (g.lengths or {})[period]]
                   for period in first.lengths}
    return Participants(joined("arms"), joined("starts"), joined("sites"), joined("ends"),
                        joined("weights"), joined("heights"), joined("bsas"), lengths,
                        joined("tz"))


def demand(regimen: Regimen, cat: Catalogue, groups: Sequence[Participants],
           cache: _Amounts | None = None) -> list[SimulationDemand]:
    """Expand several simulations' participants and reduce them to cells, one
    :class:`SimulationDemand` per simulation (see the module).

    The simulations are expanded together, so the batch API lays each (arm, lengths)
    group out once for all of them; every count is kept per simulation (a participant's
    simulation is part of its site's code here), so each simulation's demand is what
    it would be alone.
    """
    np = numpy()
    cache = cache or _Amounts()
    people = _together(groups, np)
    n_sites = len(cat.sites)
    sim_of = np.repeat(np.arange(len(groups), dtype="int64"),
                       [len(g.starts) for g in groups])
    # Each (simulation, site) is a site of its own until the cells are split apart.
    sites = sim_of * n_sites + np.asarray(people.sites, dtype="int64")
    cohort = expand_cohort(regimen, people.arms, people.starts, weights=people.weights,
                           heights=people.heights, bsas=people.bsas, lengths=people.lengths,
                           tz=people.tz)
    drug_code = np.array([cat.drugs.index(d) for d in cohort.categories["drug"]] or [0],
                         dtype="int16")
    units = tuple(cohort.categories["unit"])
    unit_of_blind = np.array([units.index(u) if u in units else -1 for u in cat.blind_unit]
                             or [-1], dtype="int16")
    parts: list[dict[str, Any]] = []
    columns = ["participant", "date", "drug", "amount", "unit", "placebo"]
    for batch in cohort.iter_batches(rows=_ROWS, columns=columns):
        data = {name: batch.column(name) for name in columns}
        who = data["participant"].to_numpy()
        days = data["date"].cast("int32").to_numpy().astype("int64")
        keep = days < people.ends[who]
        drug = drug_code[data["drug"].indices.to_numpy()]
        placebo = data["placebo"].to_numpy(zero_copy_only=False)
        amount = data["amount"].to_numpy(zero_copy_only=False)
        unit_codes = data["unit"].indices.fill_null(-1).to_numpy().astype("int16")
        # A placebo administration is counted under its drug's active unit (blinded view).
        unit_codes = np.where(placebo, unit_of_blind[drug], unit_codes)
        parts.append(_reduce(cat, cache, units, who[keep], days[keep], drug[keep],
                             placebo[keep], amount[keep], unit_codes[keep], sites,
                             n_sites * len(groups), np))
    visits = cohort.visits()
    vwho = visits.column("participant").to_numpy()
    vdays = visits.column("date").cast("int32").to_numpy().astype("int64")
    vkeep = vdays < people.ends[vwho]
    return _combine(cat, parts, units, sites[vwho[vkeep]],
                    period_start(vdays[vkeep], cat.period, np), len(groups), np)


def _reduce(cat: Catalogue, cache: _Amounts, units: tuple[str, ...], who: Any, days: Any,
            drug: Any, placebo: Any, amount: Any, unit_codes: Any, sites: Any, n_sites: int,
            np: Any) -> dict[str, Any]:
    """One batch's rows reduced to cells, with exact integer sums."""
    site = sites[who]
    period = period_start(days, cat.period, np)
    n_units = len(units) + 1
    group = ((drug.astype("int64") * 2 + placebo) * n_units + unit_codes + 1) * n_sites + site
    key = (group << 32) + (period - _LOW)
    cells, index, admins = _cells(group, period, key, np)
    out: dict[str, Any] = {"key": cells, "administrations": admins}
    # Amounts: per cell, counts of each distinct (amount, unit), times its exact decimal.
    has = ~np.isnan(amount) & ~placebo
    sums: dict[int, Decimal] = {}
    if has.any():
        pairs = np.stack([index[has], amount[has].view("int64"),
                          unit_codes[has].astype("int64")], axis=1)
        distinct, counts = np.unique(pairs, axis=0, return_counts=True)
        with localcontext(EXACT):
            for (cell, bits, _u), n in zip(distinct.tolist(), counts.tolist(), strict=True):
                value = cache.exact(float(np.int64(bits).view("float64")))
                sums[cell] = sums.get(cell, Decimal(0)) + value * n
    out["amount"] = sums
    # Vials per size: each distinct dose's least-waste vials (placebo: the matching ones).
    packs = np.zeros((len(cells), len(cat.packs)), dtype="int64")
    for d in np.flatnonzero(np.bincount(drug)).tolist():
        of_drug = drug == d
        pack_codes = cat.pack_of(d)
        sizes = cat.vial_sizes[d]
        if sizes:
            vial_codes = pack_codes[:len(sizes)]
            active = of_drug & ~placebo & ~np.isnan(amount)
            if active.any():
                pairs = np.stack([index[active], amount[active].view("int64"),
                                  unit_codes[active].astype("int64")], axis=1)
                distinct, counts = np.unique(pairs, axis=0, return_counts=True)
                for (cell, bits, u), n in zip(distinct.tolist(), counts.tolist(), strict=True):
                    dose = float(np.int64(bits).view("float64"))
                    per = cache.vial_counts(d, dose, units[u], sizes)
                    packs[cell, vial_codes] += np.array(per, dtype="int64") * n
            per_placebo = cat.placebo_vials[d]
            given = of_drug & placebo
            if per_placebo is not None and given.any():
                n_cell = np.bincount(index[given], minlength=len(cells)).astype("int64")
                packs[:, vial_codes] += n_cell[:, None] * np.array(per_placebo, dtype="int64")
        kit = cat.kits[d]
        if kit is not None:
            # A participant opens a new kit at every kit-th administration of the drug
            # (active and placebo kits apart): rows are in date order per participant.
            # Rows are in participant order, so each participant's rows of the drug (active
            # or placebo apart) are a run: its rank in the run needs no sort.
            for given in (False, True):
                rows = np.flatnonzero(of_drug & (placebo == given))
                if not rows.size:
                    continue
                run = who[rows]
                first = np.concatenate(([True], run[1:] != run[:-1]))
                starts = np.maximum.accumulate(np.where(first, np.arange(rows.size), 0))
                opened = rows[(np.arange(rows.size) - starts) % kit == 0]
                packs[:, pack_codes[-1]] += np.bincount(index[opened], minlength=len(cells))
    out["packs"] = packs
    return out


def _cells(group: Any, period: Any, key: Any, np: Any) -> tuple[Any, Any, Any]:
    """The distinct cells of the rows (sorted keys), each row's cell and each cell's rows.

    Counted in a dense table of (group, period) when it is small (one pass, no sort:
    rows are many, groups and periods few), else by sorting the keys.
    """
    low, high = int(period.min()), int(period.max())
    width = high - low + 1
    groups = int(group.max()) + 1
    if groups * width <= max(1 << 22, 4 * len(key)):
        dense = group * width + (period - low)
        counts = np.bincount(dense, minlength=groups * width)
        present = np.flatnonzero(counts)
        where = np.zeros(groups * width, dtype="int64")
        where[present] = np.arange(present.size)
        cells = ((present // width) << 32) + (present % width + low - _LOW)
        return cells, where[dense], counts[present].astype("int64")
    cells, index, counts = np.unique(key, return_inverse=True, return_counts=True)
    return cells, index.reshape(-1), counts.astype("int64")


#: Period starts are stored as days from this one (0001-01-01 as days since 1970).
_LOW = -_EPOCH + 1


def _combine(cat: Catalogue, parts: list[dict[str, Any]], units: tuple[str, ...],
             visit_site: Any, visit_period: Any, simulations: int,
             np: Any) -> list[SimulationDemand]:
    """The batches' cells added up (a participant's rows are in one batch, so kits
    counted per batch are counted once), then split by simulation."""
    n_packs = len(cat.packs)
    n_sites = len(cat.sites)
    if parts:
        keys = np.concatenate([p["key"] for p in parts])
        cells, index = np.unique(keys, return_inverse=True)
        index = index.reshape(-1)
        admins = np.zeros(len(cells), dtype="int64")
        np.add.at(admins, index, np.concatenate([p["administrations"] for p in parts]))
        packs = np.zeros((len(cells), n_packs), dtype="int64")
        np.add.at(packs, index, np.concatenate([p["packs"] for p in parts]))
        exact: dict[int, Decimal] = {}
        offset = 0
        with localcontext(EXACT):
            for part in parts:
                for cell, value in part["amount"].items():
                    target = int(index[offset + cell])
                    exact[target] = exact.get(target, Decimal(0)) + value
                offset += len(part["key"])
    else:
        cells = np.zeros(0, dtype="int64")
        admins = np.zeros(0, dtype="int64")
        packs = np.zeros((0, n_packs), dtype="int64")
        exact = {}
    period = (cells & 0xFFFFFFFF) + _LOW
    rest = cells >> 32
    site = rest % (n_sites * simulations)
    rest //= n_sites * simulations
    n_units = len(units) + 1
    unit_code = rest % n_units - 1
    rest //= n_units
    placebo = (rest % 2).astype(bool)
    drug = rest // 2
    vial_packs = np.array([size is not None for _d, _l, size in cat.packs], dtype=bool)
    vials = packs[:, vial_packs].sum(axis=1) if n_packs else np.zeros(len(cells), "int64")
    kits = packs[:, ~vial_packs].sum(axis=1) if n_packs else np.zeros(len(cells), "int64")
    vkey = visit_site.astype("int64") * (1 << 32) + (visit_period - _LOW)
    vcells, vcounts = np.unique(vkey, return_counts=True)
    vsite = vcells >> 32
    out = []
    for sim in range(simulations):
        rows = np.flatnonzero(site // n_sites == sim)
        values = {int(r): exact[int(r)] for r in rows if int(r) in exact}
        scale = max((_decimals(v) for v in values.values()), default=0)
        with localcontext(EXACT):
            amount = [int(values[int(r)].scaleb(scale)) if int(r) in values else None
                      for r in rows]
        vrows = np.flatnonzero(vsite // n_sites == sim)
        out.append(SimulationDemand(
            drug[rows].astype("int16"), placebo[rows], unit_code[rows].astype("int16"),
            (site[rows] % n_sites).astype("int16"), period[rows].astype("int64"),
            admins[rows], amount, scale, vials[rows], kits[rows], packs[rows], units,
            (vsite[vrows] % n_sites).astype("int16"),
            (vcells[vrows] & 0xFFFFFFFF) + _LOW, vcounts[vrows].astype("int64")))
    return out


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def blind(sim: SimulationDemand, cat: Catalogue) -> SimulationDemand:
    """``sim`` as a blinded forecast shows it: active drug and matching placebo in one
    cell, and nothing that tells them apart.

    Kits of active drug and matching placebo are packed alike, so a blinded forecast
    counts them together. Its amount would unblind the trial (the active total, against
    the administrations of both), so a drug with a matching placebo has neither amount
    nor unit here; a drug without one (open label, the same in every arm) keeps both.
    Counts are added in integers (administrations, vials per size, kits).
    """
    np = numpy()
    hidden = np.array([*cat.blinded, False], dtype=bool)[sim.drug.astype("int64")]
    unit_code = np.where(hidden, -1, sim.unit.astype("int64"))
    key = np.stack([sim.drug.astype("int64"), unit_code, sim.site.astype("int64"),
                    sim.period.astype("int64")], axis=1)
    if len(key):
        cells, index = np.unique(key, axis=0, return_inverse=True)
        index = index.reshape(-1)
    else:
        cells, index = np.zeros((0, 4), dtype="int64"), np.zeros(0, dtype="int64")

    def added(values: Any) -> Any:
        out = np.zeros((len(cells), *values.shape[1:]), dtype="int64")
        np.add.at(out, index, values)
        return out

    amount: list[int | None] = [None] * len(cells)
    for row, value in enumerate(sim.amount):
        if value is not None and not hidden[row]:
            # A drug without placebo has no placebo rows: its cell has this one row.
            amount[int(index[row])] = value
    return SimulationDemand(
        cells[:, 0].astype("int16"), np.zeros(len(cells), dtype=bool),
        cells[:, 1].astype("int16"), cells[:, 2].astype("int16"), cells[:, 3],
        added(sim.administrations), amount, sim.scale, added(sim.vials), added(sim.kits),
        added(sim.packs), sim.units, sim.visit_site, sim.visit_period, sim.visits)
