"""Simulated enrolment: the plan's model keys, and each simulation's demand equal to
``Regimen.expand`` of the participants the model draws."""

from __future__ import annotations

import warnings
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("pyarrow")

import regimens  # noqa: E402
from regimens import InvalidRegimenError, Participant  # noqa: E402
from regimens.supply import (  # noqa: E402
    loads_plan,
    simulate,
    simulate_participants,
    simulation_rng,
)
from regimens.supply._inputs import trial_model  # noqa: E402
from support.supply import simulated_plan  # noqa: E402

ISSUE = """\
plan: regimens-supply/1
arms: {il2: 1, placebo: 1}
sites: [{id: paris, opens: 2027-01-04, rate: 1.5/week}]
sample_size: 216
screen_failure: 20%
dropout: 0.5%/week
weight: {distribution: normal, mean: 75 kg, sd: 12 kg}
lengths: {run-in: uniform}
"""


def test_the_issue_keys_read_into_the_trial_model() -> None:
    plan = loads_plan(ISSUE, "plan.yaml")
    sim = plan.simulation
    assert sim is not None
    assert sim.enrolment.sample_size == 216
    assert sim.enrolment.screen_failure == 0.2
    assert [(s.id, s.opens, s.rate, s.alpha) for s in sim.enrolment.sites] == [
        ("paris", date(2027, 1, 4), 1.5, None)]
    assert sim.randomisation.ratios == (("il2", 1), ("placebo", 1))
    assert sim.treatment.dropout == 0.005
    assert sim.sizes.weight.everyone.mean == 75.0
    assert sim.lengths == (("run-in", None),)
    model = trial_model(plan, regimens.load("mirocals"))
    # MIROCALS: run-in 12-18 weeks before Study Day 1, whole weeks; treatment is fixed.
    [run_in] = model.lengths
    assert (run_in.period, run_in.low, run_in.high, run_in.step, run_in.before_day_one) == (
        "run-in", 84, 126, 7, True)
    assert model.lead_in == 0


def test_poisson_gamma_and_uncertain_activation() -> None:
    plan = loads_plan(ISSUE.replace("rate: 1.5/week}", "rate: 1.5/week, rate_sd: 0.5/week, "
                                    "activation: 0-8 weeks}"), "plan.yaml")
    [site] = plan.simulation.enrolment.sites
    assert site.alpha == 9.0  # (1.5 / 0.5) ** 2
    assert (site.delay.low, site.delay.high) == (0, 56)


@pytest.mark.parametrize(("extra", "message"), [
    ("participants:\n  - {id: P-1, site: paris, arm: il2, start: 2027-01-04}\n",
     "plan.yaml:2: arms: goes with simulated enrolment (sample_size); this plan has a fixed "
     "list of participants"),
])
def test_fixed_and_simulated_do_not_mix(extra: str, message: str) -> None:
    with pytest.raises(InvalidRegimenError) as caught:
        loads_plan(ISSUE + extra, "plan.yaml")
    assert str(caught.value).splitlines()[0] == message


@pytest.mark.parametrize(("old", "new", "message"), [
    ("sample_size: 216\n", "", "plan.yaml:1: (document): missing required field "
     "'sample_size' (simulated enrolment)"),
    ("rate: 1.5/week", "rate: 1.5", "plan.yaml:3: sites[0].rate: a bare number is not a "
     "rate: write it N/week, e.g. '1.5/week' (got 1.5)"),
    ("screen_failure: 20%", "screen_failure: 100%", "plan.yaml:5: screen_failure: a "
     "proportion is from 0% to below 100% (got '100%')"),
    ("sd: 12 kg", "sd: 12 st", "plan.yaml:7: weight.sd: unknown weight unit 'st'; write a "
     "number and one of kg, g, lb, lbs, e.g. '70 kg' or '154 lb' (got '12 st')"),
    ("{il2: 1, placebo: 1}", "{il2: 1, placebo: 1}\nblock: 3", "plan.yaml:3: block: must be "
     "a multiple of the sum of the ratios (2) (got 3)"),
])
def test_model_errors_have_file_and_line(old: str, new: str, message: str) -> None:
    with pytest.raises(InvalidRegimenError) as caught:
        loads_plan(ISSUE.replace(old, new), "plan.yaml")
    assert str(caught.value).splitlines()[0] == message


def test_model_errors_against_the_regimen() -> None:
    plan = loads_plan(ISSUE.replace("lengths: {run-in: uniform}",
                                    "lengths: {treatment: uniform}"), "plan.yaml")
    with pytest.raises(InvalidRegimenError) as caught:
        simulate("mirocals", plan)
    assert str(caught.value) == (
        "plan.yaml:8: lengths.treatment: the period 'treatment' has one length (78 weeks): "
        "nothing to choose (got 'treatment')")


GEM = """\
format: regimens/1
id: gem
title: Per kg, with a run-in
drugs:
  mab: {name: demo-mab, route: intravenous, vials: [100 mg, 500 mg]}
  pred: {name: prednisone, route: oral}
arms:
  active: {label: Active}
  placebo: {label: Placebo}
periods:
  - id: run-in
    length: 1-3 weeks
    courses:
      - {drug: pred, dose: 5 mg, daily: true}
  - id: treatment
    length: 8-12 weeks
    blinded: true
    courses:
      - {drug: mab, arms: [active], dose: 10 mg/kg, round: 10 mg, cycle: 14 days, days: [1]}
      - {drug: mab, arms: [placebo], placebo: true, cycle: 14 days, days: [1]}
day_one: treatment
visits:
  - {id: baseline, day: 1}
"""

MODEL = simulated_plan(
    {"active": 2, "placebo": 1},
    ["{id: paris, opens: 2027-01-04, rate: 2/week, rate_sd: 1/week}",
     "{id: lyon, opens: 2027-02-01, rate: 1/week, activation: 0-4 weeks}"],
    "weight: {distribution: normal, female: {mean: 65 kg, sd: 10 kg},",
    "         male: {mean: 80 kg, sd: 12 kg}}",
    "female: 50%",
    "lengths: {treatment: {choices: {8 weeks: 1, 12 weeks: 3}}}",
    "drugs:",
    "  mab: {placebo_vials: 1}",
    sample_size=24, screen_failure="10%", dropout="5%/week")


def _expand_drawn(regimen: regimens.Regimen, drawn: Any) -> dict[tuple[Any, ...], list[Any]]:
    """(drug, placebo, site, week) -> [administrations, amount, vials] by Regimen.expand of
    each drawn participant, nothing on or after their end of treatment."""
    cells: dict[tuple[Any, ...], list[Any]] = defaultdict(lambda: [0, Decimal(0), 0])
    sites = drawn.site_ids()
    lengths = drawn.length_texts()
    for i, arm in enumerate(drawn.arm_ids()):
        start = drawn.start[i].astype(date)
        end = None if np.isnat(drawn.end[i]) else drawn.end[i].astype(date)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            schedule = regimen.expand(
                arm, start, Participant(weight=f"{float(drawn.weight[i])!r} kg"),
                lengths={p: v[i] for p, v in lengths.items()})
        for a in schedule.administrations:
            if end is not None and a.date >= end:
                continue
            cell = cells[(a.drug, a.placebo, sites[i], a.date - timedelta(a.date.weekday()))]
            cell[0] += 1
            if a.dose.amount is not None:
                cell[1] += a.dose.amount.magnitude
            if a.dose.vials is not None:
                cell[2] += a.dose.vials.count
            elif a.placebo and a.drug == "mab":
                cell[2] += 1  # placebo_vials: 1
    return cells


def test_each_simulation_equals_expand_of_its_drawn_participants() -> None:
    regimen = regimens.loads(GEM, "gem.yaml")
    plan = loads_plan(MODEL, "plan.yaml")
    forecast = simulate(regimen, plan, simulations=3, seed=11, unblinded=True)
    model = trial_model(plan, regimen)
    rows = forecast.demand.to_pylist()
    ended = 0
    for index in range(3):
        drawn = simulate_participants(model, simulation_rng(11, index))
        ended += int((~np.isnat(drawn.end)).sum())
        expected = _expand_drawn(regimen, drawn)
        got = {(r["drug"], r["placebo"], r["site"], r["week"]):
               [r["administrations"], r["amount"] or Decimal(0), r["vials"] or 0]
               for r in rows if r["simulation"] == index and r["drug"] is not None}
        assert got == dict(expected)
    assert ended  # at 5% a week, some participants drop out: the ends are exercised


def test_the_seed_and_not_the_workers_decide(tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    regimen = regimens.loads(GEM, "gem.yaml")
    plan = loads_plan(MODEL, "plan.yaml")
    # Unblinded: mab's per-kg doses and placebo_vials are refused blinded (test_blind.py);
    # the unblinded cells keep placebo apart, so they are the finer ones to compare.
    alone = simulate(regimen, plan, simulations=8, seed=5, partitions=1, unblinded=True)
    many = simulate(regimen, plan, simulations=8, seed=5, partitions=8, unblinded=True)
    assert alone.summary.equals(many.summary)
    assert alone.demand.equals(many.demand)
    for workers in (1, 2):
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1,
                                      processes=False, dashboard_address=":0",
                                      local_directory=str(tmp_path)) as cluster, \
                distributed.Client(cluster) as client:
            on_dask = simulate(regimen, plan, simulations=8, seed=5, client=client,
                               partitions=3, unblinded=True)
        assert on_dask.summary.equals(alone.summary)
        assert on_dask.demand.equals(alone.demand)
    other = simulate(regimen, plan, simulations=8, seed=6, unblinded=True)
    assert not other.demand.equals(alone.demand)
