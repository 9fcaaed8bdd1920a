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

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

from ..cohort import expand_cohort, unsupported
from ..engine import parse_lengths
from ..errors import (
    NO_VALUE,
    DoseError,
    ExpandOptionError,
    InvalidRegimenError,
    Loc,
    Problem,
    UnitError,
)
from ..format import MAX_BYTES, parse_document
from ..model import Regimen
from ..quantities import EXACT, Amount, Basis, Duration, least_waste_vials, normal, unit
from ._deps import numpy
from ._participants import TrialModel, simulate_participants
from ._plan import Plan
from ._plan_reader import Partial
from ._treatment import LengthChoice

__all__ = ["Catalogue", "Participants", "SimulationDemand", "blind", "catalogue", "demand",
           "fixed_participants", "period_start", "plan_problems", "simulated_participants",
           "trial_model"]

#: Days from 0001-01-01 to 1970-01-01: NumPy's day numbers are days since 1970.
_EPOCH = date(1970, 1, 1).toordinal()


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


@dataclass(frozen=True)
class Participants:
    """One simulation's participants, as the batch API takes them, plus each one's site
    (a code into :attr:`Catalogue.sites`) and last day (days since 1970, exclusive:
    nothing from that date on is given; a large number for no end)."""

    arms: list[str]
    starts: Any  # datetime64[D]
    sites: Any  # int32
    ends: Any  # int64, exclusive
    weights: Any = None
    heights: Any = None
    bsas: Any = None
    lengths: dict[str, list[str]] | None = None
    tz: list[str] | None = None


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


def _active_amounts(regimen: Regimen, drug: str) -> tuple[set[Amount | None], set[str]]:
    """The flat active amounts of a drug's courses (None stands for any other dose) and
    the units of all its active doses."""
    amounts: set[Amount | None] = set()
    units: set[str] = set()
    for period in regimen.periods:
        for course in period.courses:
            if course.drug != drug or course.placebo:
                continue
            for dose in (course.dose, *(s.dose for s in course.steps)):
                if dose is None:
                    continue
                units.add(dose.quantity.amount.unit.symbol)
                flat = (dose.quantity.basis is Basis.FLAT and not dose.bands
                        and dose.divided is None)
                amounts.add(dose.quantity.amount if flat else None)
    return amounts, units


def _has_placebo(regimen: Regimen, drug: str) -> bool:
    return any(c.drug == drug and c.placebo for p in regimen.periods for c in p.courses)


def _refusal(regimen: Regimen, path: str, what: str) -> Problem:
    """The batch API's refusal of ``what`` at ``path`` (a place in the regimen's
    records) as a problem of the regimen file, on the line of its key when the file
    it was loaded from is still there, unchanged (its SHA-256)."""
    loc: list[str | int] = []
    for name, index in re.findall(r"([A-Za-z_]+)|\[([0-9]+)\]", path):
        if name:
            loc.append(name)
        elif loc in (["drugs"], ["arms"]):  # mappings by id in the file
            loc.append(getattr(regimen, str(loc[0]))[int(index)].id)
        else:
            loc.append(int(index))
    lines: dict[Loc, int] = {}
    origin = Path(regimen.origin) if regimen.origin else None
    if origin is not None and origin.is_file():
        data = origin.read_bytes()[:MAX_BYTES + 1]
        if hashlib.sha256(data).hexdigest() == regimen.sha256:
            lines = dict(parse_document(data, regimen.origin).lines)
    probe: Loc = tuple(loc)
    while probe and probe not in lines:
        probe = probe[:-1]
    # A record field the file writes under another key (a course's pattern is its
    # days or every): the nearest key the file has.
    return Problem(regimen.origin or regimen.id, lines.get(probe) if probe else None,
                   probe if probe else tuple(loc),
                   f"the batch API cannot expand {what} yet, so the supply forecast cannot "
                   "either; expand these participants one by one with Regimen.expand",
                   code="not-in-batch-api")


def plan_problems(regimen: Regimen, plan: Plan, partial: Partial) -> list[Problem]:
    """Every problem of ``plan`` with ``regimen``, on the plan's lines: arms, periods and
    lengths of participants, drugs and their vials, and simulated enrolment's arms and
    lengths; and a regimen the batch API cannot expand, on the regimen file's line.

    ``partial`` is what the plan says about the regimen, read even when the plan has
    problems of its own (:class:`Partial`), so that all come at once.
    """
    problems = []
    refused = unsupported(regimen)
    if refused is not None:
        problems.append(_refusal(regimen, *refused))
    arm_ids = [a.id for a in regimen.arms]
    periods = {p.id: p for p in regimen.periods}
    drug_ids = tuple(d.id for d in regimen.drugs)
    for i, arm, lengths in partial.participants:
        if arm not in arm_ids:
            problems.append(plan.problem(("participants", i, "arm"),
                                         f"no arm has this id in {regimen.id!r} (arms: "
                                         f"{', '.join(arm_ids)})", arm, code="unknown-arm"))
        for period, length in lengths:
            if period not in periods:
                problems.append(plan.problem(
                    ("participants", i, "lengths", period), f"no period has this id in "
                    f"{regimen.id!r} (periods: {', '.join(periods)})", period,
                    code="unknown-period"))
            elif arm in arm_ids:
                # The batch API would refuse it as an option of participant i: the plan's
                # own place is the one to name.
                try:
                    parse_lengths(regimen, arm, {period: length})
                except ExpandOptionError as exc:
                    problems.append(plan.problem(("participants", i, "lengths", period),
                                                 exc.reason, exc.value, code="bad-length"))
    for drug_id in partial.drugs:
        if drug_id not in drug_ids:
            problems.append(plan.problem(("drugs", drug_id), f"no drug has this id in "
                                         f"{regimen.id!r} (drugs: {', '.join(drug_ids)})",
                                         drug_id, code="unknown-drug"))
    for drug in regimen.drugs:
        if drug.id in partial.unread:
            continue  # its packaging has problems of its own
        packing = plan.packaging(drug.id)
        amounts, units = _active_amounts(regimen, drug.id)
        ordered = packing.vials or drug.vials
        if ordered and packing.vials and units:
            dimension = ordered[0].unit.dimension
            if any(unit(u).dimension is not dimension for u in units):
                problems.append(plan.problem(
                    ("drugs", drug.id, "vials"), f"vials of {dimension.value} cannot hold "
                    f"the doses of {drug.id!r} ({', '.join(sorted(units))})", NO_VALUE,
                    code="dose-not-in-vials"))
                continue
        if (ordered and _has_placebo(regimen, drug.id) and packing.placebo_vials is None
                and not (len(amounts) == 1 and None not in amounts)):
            problems.append(plan.problem(
                ("drugs", drug.id), f"give placebo_vials for {drug.id!r}: its matching "
                "placebo takes the vials of the active dose, and the active doses are "
                "not one flat amount", NO_VALUE, code="placebo-vials-needed"))
    problems += _simulation_problems(regimen, plan, partial)
    return problems


def _simulation_problems(regimen: Regimen, plan: Plan, partial: Partial) -> list[Problem]:
    """Simulated enrolment's arms and lengths against the regimen."""
    problems = []
    arm_ids = [a.id for a in regimen.arms]
    for arm in partial.arms:
        if arm not in arm_ids:
            problems.append(plan.problem(("arms", arm), f"no arm has this id in "
                                         f"{regimen.id!r} (arms: {', '.join(arm_ids)})", arm,
                                         code="unknown-arm"))
    periods = {p.id: p for p in regimen.periods}
    for period in partial.lengths:
        if period not in periods:
            problems.append(plan.problem(("lengths", period), f"no period has this id in "
                                         f"{regimen.id!r} (periods: {', '.join(periods)})",
                                         period, code="unknown-period"))
        elif periods[period].length.shortest == periods[period].length.longest:
            problems.append(plan.problem(("lengths", period), f"the period {period!r} has "
                                         f"one length ({periods[period].length}): nothing "
                                         "to choose", period, code="period-not-variable"))
    problems += _choices_outside(regimen, plan)
    if problems or not partial.arms:
        return problems
    before: set[frozenset[str]] = set()
    lead_in: set[int] = set()
    for arm in partial.arms:
        path = [p.id for p in regimen.path(arm)]
        first = path.index(regimen.day_one_period(arm))
        ranged = frozenset(p for p in path[:first]
                           if periods[p].length.shortest != periods[p].length.longest)
        before.add(ranged)
        lead_in.add(sum(periods[p].length.shortest.days for p in path[:first]
                        if p not in ranged))
    if len(before) > 1 or len(lead_in) > 1:
        problems.append(plan.problem(
            ("arms",), "the arms differ in the periods before Study Day 1: simulated "
            "enrolment needs the same ones for every arm", NO_VALUE,
            code="arms-differ-before-day-one"))
    return problems


def _choices_outside(regimen: Regimen, plan: Plan) -> list[Problem]:
    """The simulated lengths to choose from (``lengths: {PERIOD: {choices: ...}}``) outside
    their period's range in ``regimen``, each on its own line (the length as written)."""
    problems = []
    periods = {p.id: p for p in regimen.periods}
    for period, choices in plan.simulation.lengths if plan.simulation is not None else ():
        span = periods[period].length if period in periods else None
        if choices is None or span is None or span.shortest == span.longest:
            continue  # uniform, or a period refused above
        # The keys as written, by the days they say (the plan's lines name each one).
        written: dict[int, str] = {}
        for key in plan.lines:
            if len(key) == 4 and key[:3] == ("lengths", period, "choices"):
                try:
                    written.setdefault(Duration.parse(str(key[3])).days, str(key[3]))
                except UnitError:
                    continue  # refused when the plan was read
        for days, _weight in choices:
            if span.shortest.days <= days <= span.longest.days:
                continue
            text = written.get(days)
            where: Loc = ("lengths", period, "choices") + ((text,) if text is not None else ())
            problems.append(plan.problem(
                where, f"a length to choose for the period {period!r} must be within its "
                f"range in {regimen.id!r}, {span} ({span.shortest.days}-"
                f"{span.longest.days} days)", text if text is not None else f"{days} days",
                code="bad-length"))
    return problems


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


def trial_model(plan: Plan, regimen: Regimen) -> TrialModel:
    """The plan's simulation as a :class:`TrialModel` for ``regimen``.

    Each variable period (on some arm's path) gets its length per participant: as the
    plan's ``lengths`` say, else uniformly over whole weeks of its range (whole days
    when a bound is not a whole number of weeks). A period before Study Day 1 (a
    run-in) moves Study Day 1 after the participant's entry, as do fixed periods before
    it (``lead_in``); every arm must agree on which periods come before Study Day 1.

    Raises:
        InvalidRegimenError: an arm or period the regimen does not have, a length given
            for a period that does not vary, or arms that differ before Study Day 1.
    """
    sim = plan.simulation
    assert sim is not None
    problems = _simulation_problems(regimen, plan, Partial.of(plan))
    if problems:
        raise InvalidRegimenError(problems)
    given = dict(sim.lengths)
    periods = {p.id: p for p in regimen.periods}
    before: dict[str, set[str]] = {}
    lead_in: dict[str, int] = {}
    for arm in sim.randomisation.ids:
        path = [p.id for p in regimen.path(arm)]
        first = path.index(regimen.day_one_period(arm))
        before[arm] = {p for p in path[:first]
                       if periods[p].length.shortest != periods[p].length.longest}
        lead_in[arm] = sum(periods[p].length.shortest.days for p in path[:first]
                           if p not in before[arm])
    on_paths = [p.id for p in regimen.periods
                if any(p.id in {q.id for q in regimen.path(a)} for a in sim.randomisation.ids)]
    choices = []
    for period in on_paths:
        span = periods[period].length
        if span.shortest == span.longest:
            continue
        low, high = span.shortest.days, span.longest.days
        step = 7 if low % 7 == 0 and high % 7 == 0 else 1
        choices.append(LengthChoice(period, low, high, step, given.get(period),
                                    any(period in b for b in before.values())))
    return TrialModel(sim.enrolment, sim.randomisation, sim.sizes, tuple(choices),
                      sim.treatment, next(iter(lead_in.values()), 0))


def simulated_participants(plan: Plan, cat: Catalogue, model: TrialModel,
                           rng: Any) -> Participants:
    """One simulation's participants, drawn by the trial model with ``rng``."""
    np = numpy()
    drawn = simulate_participants(model, rng)
    code = np.array([cat.sites.index(s) for s in drawn.sites], dtype="int32")
    ends = drawn.end.astype("datetime64[D]")
    days = np.where(np.isnat(ends), np.iinfo("int64").max, ends.view("int64"))
    zones = [plan.site(s).tz for s in drawn.sites]
    tz = None if all(z is None for z in zones) else [
        zones[i] or "UTC" for i in drawn.site.tolist()]

    def measured(values: Any) -> Any:
        return None if np.isnan(values).all() else values

    return Participants(drawn.arm_ids(), drawn.start.astype("datetime64[D]"),
                        code[drawn.site], days.astype("int64"), measured(drawn.weight),
                        measured(drawn.height), None, drawn.length_texts() or None, tz)


def fixed_participants(plan: Plan, cat: Catalogue, regimen: Regimen) -> Participants:
    """The plan's fixed list as batch-API inputs (no end: everyone completes).

    A participant who gives no length for a variable period that others give one for
    gets the period's shortest length, as ``expand`` does without ``lengths``.
    """
    np = numpy()
    people = plan.participants
    code = {site: i for i, site in enumerate(cat.sites)}

    def measured(kind: str) -> list[Decimal] | None:
        values = [getattr(p, kind) for p in people]
        return None if values[0] is None else values

    periods = sorted({period for p in people for period, _ in p.lengths})
    shortest = {p.id: f"{p.length.shortest.days} days" for p in regimen.periods}
    lengths = {period: [dict(p.lengths).get(period, shortest[period]) for p in people]
               for period in periods}
    zones = [plan.site(p.site).tz for p in people]
    return Participants(
        [p.arm for p in people], np.array([p.start for p in people], dtype="datetime64[D]"),
        np.array([code[p.site] for p in people], dtype="int32"),
        np.full(len(people), np.iinfo("int64").max, dtype="int64"),
        measured("weight"), measured("height"), measured("bsa"),
        lengths or None, None if all(z is None for z in zones) else
        [z or "UTC" for z in zones])


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
