"""One simulation's participants as the batch API takes them (:class:`Participants`): drawn
by the plan's trial model (:func:`trial_model`, :func:`simulated_participants`) or the
plan's fixed list (:func:`fixed_participants`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..errors import InvalidRegimenError
from ..model import Regimen
from ._catalogue import Catalogue
from ._deps import numpy
from ._participants import TrialModel, simulate_participants
from ._plan import Plan
from ._plan_checks import _simulation_problems
from ._plan_reader import Partial
from ._treatment import LengthChoice

__all__ = ["Participants", "fixed_participants", "simulated_participants", "trial_model"]


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
