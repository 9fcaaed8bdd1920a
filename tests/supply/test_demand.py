"""Demand per drug, site and week: hand-computed MIROCALS figures, and the same sums as
``Regimen.expand`` participant by participant."""

from __future__ import annotations

import warnings
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("numpy")
pytest.importorskip("pyarrow")

import regimens
from regimens import InvalidRegimenError, Participant
from regimens.supply import loads_plan, render, simulate

HEAD = "plan: regimens-supply/1\n"


def rows(table: Any, **where: Any) -> list[dict[str, Any]]:
    return [r for r in table.to_pylist() if all(r[k] == v for k, v in where.items())]


def test_one_mirocals_participant_by_hand() -> None:
    # il2 arm from Monday 2027-01-04 (Day 1); run-in 12 weeks (the regimen's default,
    # the shortest): riluzole daily from Day -84 (Monday 2026-10-12) to Day 546 (Sunday
    # 2028-07-02): 12 + 78 = 90 whole weeks of 7; IL-2 2 MIU on days 1-5 of 19 cycles of
    # 28 days: 19 weeks of 5 administrations, 10 MIU, each starting 2027-01-04 + 28k.
    plan = loads_plan(HEAD + "participants:\n  - {id: P-001, site: paris, arm: il2, "
                      "start: 2027-01-04, weight: 70 kg, height: 175 cm}\n", "p.yaml")
    summary = simulate("mirocals", plan).summary
    il2 = rows(summary, drug="il2", statistic="p50")
    assert [r["week"] for r in il2] == [date(2027, 1, 4) + timedelta(days=28 * k)
                                        for k in range(19)]
    # Blinded (the default): il2 has a matching placebo, so no amount and no unit.
    assert {(r["administrations"], r["amount"], r["unit"], r["site"]) for r in il2} == {
        (5, None, None, "paris")}
    active = rows(simulate("mirocals", plan, unblinded=True).summary, drug="il2",
                  statistic="p50")
    assert {(r["placebo"], r["administrations"], r["amount"], r["unit"]) for r in active} == {
        (False, 5, Decimal(10), "MIU")}
    riluzole = rows(summary, drug="riluzole", statistic="p95")
    assert len(riluzole) == 90
    assert riluzole[0]["week"] == date(2026, 10, 12)
    assert riluzole[-1]["week"] == date(2028, 6, 26)
    assert {(r["administrations"], r["amount"], r["unit"]) for r in riluzole} == {
        (7, None, None)}  # dose: unspecified
    # Visits: lp1 Day -84 (2026-10-12), lp2 Day -1 (Sunday 2027-01-03: week of 12-28),
    # randomisation Day 1, end of treatment Day 546 (2028-07-02: week of 06-26), survival
    # Day 640 (Wednesday 2028-10-04: week of 10-02).
    visits = rows(summary, drug=None, statistic="p50")
    assert [(r["week"], r["visits"]) for r in visits] == [
        (date(2026, 10, 12), 1), (date(2026, 12, 28), 1), (date(2027, 1, 4), 1),
        (date(2028, 6, 26), 1), (date(2028, 10, 2), 1)]
    assert summary.column_names == ["drug", "site", "week", "statistic", "administrations",
                                    "amount", "unit", "vials", "kits", "visits"]


def test_months() -> None:
    plan = loads_plan(HEAD + "period: month\nparticipants:\n  - {id: P-001, site: paris, "
                      "arm: il2, start: 2027-01-04}\n", "p.yaml")
    summary = simulate("mirocals", plan).summary
    assert "month" in summary.column_names
    riluzole = rows(summary, drug="riluzole", statistic="p50")
    # 2026-10-12 to 2026-10-31: 20 days; November: 30 days.
    assert [(r["month"], r["administrations"]) for r in riluzole[:2]] == [
        (date(2026, 10, 1), 20), (date(2026, 11, 1), 30)]
    assert sum(r["administrations"] for r in riluzole) == 630


PAIR = HEAD + """\
participants:
  - {id: P-001, site: paris, arm: il2, start: 2027-01-04}
  - {id: P-002, site: paris, arm: placebo, start: 2027-01-04}
drugs:
  il2: {vials: [1 MIU, 5 MIU], lead_time: 2 weeks, buffer: 1 week}
  riluzole: {kit: 28}
overage: 10%
"""


def test_blinded_kits_of_active_and_placebo_together() -> None:
    forecast = simulate("mirocals", loads_plan(PAIR, "p.yaml"))
    first = rows(forecast.summary, drug="il2", week=date(2027, 1, 4), statistic="p50")
    # 2 MIU is 2 x 1 MIU (no waste); the matching placebo takes the same 2 vials. No
    # amount: the active total (5 x 2 MIU) against 10 administrations would unblind.
    assert [(r["administrations"], r["amount"], r["unit"], r["vials"]) for r in first] == [
        (10, None, None, 20)]
    assert "placebo" not in forecast.summary.column_names
    assert "placebo" not in forecast.demand.column_names
    assert "placebo" not in forecast.shipments.column_names


def _csv(forecast: Any) -> tuple[str | bytes, ...]:
    return tuple(render(t, "csv", forecast) for t in (forecast.summary, forecast.demand,
                                                     forecast.shipments))


@pytest.mark.parametrize("arms", [("il2", "il2"), ("placebo", "placebo")])
def test_a_blinded_forecast_does_not_tell_the_arms_apart(arms: tuple[str, str]) -> None:
    """Every blinded output (demand, every simulation's demand, shipments) is the same
    byte for byte whichever arms the two participants are in; unblinded, it is not."""
    changed = PAIR.replace("P-001, site: paris, arm: il2,",
                           f"P-001, site: paris, arm: {arms[0]},")
    changed = changed.replace("P-002, site: paris, arm: placebo,",
                              f"P-002, site: paris, arm: {arms[1]},")
    assert changed != PAIR
    blinded = _csv(simulate("mirocals", loads_plan(PAIR, "p.yaml"), simulations=2))
    assert _csv(simulate("mirocals", loads_plan(changed, "p.yaml"), simulations=2)) == blinded
    unblinded = [_csv(simulate("mirocals", loads_plan(text, "p.yaml"), simulations=2,
                               unblinded=True)) for text in (PAIR, changed)]
    assert unblinded[0] != unblinded[1]


def test_unblinded_view_keeps_placebo_apart() -> None:
    forecast = simulate("mirocals", loads_plan(PAIR, "p.yaml"), unblinded=True)
    first = rows(forecast.summary, drug="il2", week=date(2027, 1, 4), statistic="p50")
    assert [(r["placebo"], r["administrations"], r["amount"], r["vials"]) for r in first] == [
        (False, 5, Decimal(10), 10), (True, 5, None, 10)]


def test_kits_open_every_28th_administration() -> None:
    forecast = simulate("mirocals", loads_plan(PAIR, "p.yaml"))
    kits = [r for r in rows(forecast.summary, drug="riluzole", statistic="p50") if r["kits"]]
    # Two participants, 630 daily administrations each: kits at administrations 1, 29,
    # ..., 617, i.e. every 28 days from 2026-10-12: 23 kits each.
    assert [(r["week"], r["kits"]) for r in kits] == [
        (date(2026, 10, 12) + timedelta(days=28 * k), 2) for k in range(23)]


def test_shipments_lead_time_buffer_and_overage() -> None:
    forecast = simulate("mirocals", loads_plan(PAIR, "p.yaml"))
    first = rows(forecast.shipments, drug="il2", week=date(2027, 1, 4))
    # 20 vials of 1 MIU + 10% = 22; at the site one week before, shipped 2 weeks earlier.
    assert first == [{"drug": "il2", "site": "paris", "pack": "vial 1 MIU",
                      "week": date(2027, 1, 4), "arrive_by": date(2026, 12, 28),
                      "ship_by": date(2026, 12, 14), "statistic": "p50", "quantity": 22}]
    kits = rows(forecast.shipments, drug="riluzole")
    assert {r["quantity"] for r in kits} == {3}  # 2 kits + 10% = 2.2, whole kits: 3
    assert len(kits) == 23


@pytest.mark.parametrize(("plan", "message"), [
    (HEAD + "participants:\n  - {id: P-1, site: paris, arm: active, start: 2027-01-04}\n",
     "p.yaml:3: participants[0].arm: no arm has this id in 'mirocals' (arms: il2, placebo) "
     "(got 'active')"),
    (HEAD + "participants:\n  - {id: P-1, site: paris, arm: il2, start: 2027-01-04,\n"
     "     lengths: {runin: 14 weeks}}\n",
     "p.yaml:4: participants[0].lengths.runin: no period has this id in 'mirocals' "
     "(periods: run-in, treatment) (got 'runin')"),
    (HEAD + "participants:\n  - {id: P-1, site: paris, arm: il2, start: 2027-01-04}\n"
     "drugs:\n  aldesleukin: {kit: 5}\n",
     "p.yaml:5: drugs.aldesleukin: no drug has this id in 'mirocals' (drugs: il2, riluzole) "
     "(got 'aldesleukin')"),
    (HEAD + "participants:\n  - {id: P-1, site: paris, arm: il2, start: 2027-01-04}\n"
     "drugs:\n  il2: {vials: [10 mg]}\n",
     "p.yaml:5: drugs.il2.vials: vials of mass cannot hold the doses of 'il2' (MIU)"),
])
def test_a_plan_that_does_not_fit_the_regimen(plan: str, message: str) -> None:
    with pytest.raises(InvalidRegimenError) as caught:
        simulate("mirocals", loads_plan(plan, "p.yaml"))
    assert str(caught.value) == message


def test_a_length_outside_the_range_names_the_participant() -> None:
    """The plan's own place (file, line, participants[0].lengths.run-in), not an option."""
    plan = loads_plan(HEAD + "participants:\n  - {id: P-1, site: paris, arm: il2, start: "
                      "2027-01-04, lengths: {run-in: 30 weeks}}\n", "p.yaml")
    with pytest.raises(InvalidRegimenError) as caught:
        simulate("mirocals", plan)
    line = HEAD.count("\n") + 2
    assert [str(p) for p in caught.value.problems] == [
        f"p.yaml:{line}: participants[0].lengths.run-in: must be within 12-18 weeks "
        "(84-126 days) (got '30 weeks')"]


# The same sums as expand, participant by participant --------------------------------------

GEM = """\
format: regimens/1
id: gem
title: Gemcitabine with vials
drugs:
  gem: {name: gemcitabine, route: intravenous, vials: [200 mg, 1 g]}
  dex: {name: dexamethasone, route: oral}
arms:
  gem: {label: Gemcitabine}
  low: {label: Lower dose}
periods:
  - id: treatment
    length: 8-12 weeks
    courses:
      - {drug: gem, arms: [gem], dose: 1000 mg/m2, round: 10 mg, cycle: 28 days,
         days: [1, 8, 15]}
      - {drug: gem, arms: [low], dose: 12.5 mg/kg, cycle: 28 days, days: [1, 8, 15]}
      - {drug: dex, dose: 4 mg, weekdays: [mon, thu]}
visits:
  - {id: baseline, day: 1}
  - {id: cycle-2, day: 29, window: 1 day}
"""


def _by_expand(regimen: regimens.Regimen, people: list[dict[str, Any]]
               ) -> tuple[dict[tuple[str, str, date], list[Any]], Counter[tuple[str, date]]]:
    """(drug, site, week) -> [administrations, exact amount, vials], and visits per site
    and week, from Regimen.expand one participant at a time."""
    cells: dict[tuple[str, str, date], list[Any]] = defaultdict(
        lambda: [0, Decimal(0), 0])
    visits: Counter[tuple[str, date]] = Counter()
    for p in people:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            schedule = regimen.expand(p["arm"], p["start"], Participant(
                weight=p["weight"], height=p["height"]),
                lengths={"treatment": p["length"]})
        for a in schedule.administrations:
            week = a.date - timedelta(days=a.date.weekday())
            cell = cells[(a.drug, p["site"], week)]
            cell[0] += 1
            cell[1] += a.dose.amount.magnitude
            cell[2] += a.dose.vials.count if a.dose.vials is not None else 0
        for v in schedule.visits:
            visits[(p["site"], v.date - timedelta(days=v.date.weekday()))] += 1
    return cells, visits


def test_sums_equal_expand_on_a_sample() -> None:
    import numpy as np

    rng = np.random.default_rng(7)
    regimen = regimens.loads(GEM, "gem.yaml")
    people = [{"id": f"P-{i:03}", "site": ["paris", "lyon", "nantes"][i % 3],
               "arm": ["gem", "low"][int(rng.integers(2))],
               "start": str(date(2027, 1, 4) + timedelta(days=int(rng.integers(0, 60)))),
               "weight": f"{rng.uniform(45, 110):.1f} kg",
               "height": f"{int(rng.integers(150, 195))} cm",
               "length": f"{int(rng.integers(8, 13))} weeks"} for i in range(40)]
    text = HEAD + "participants:\n" + "".join(
        f"  - {{id: {p['id']}, site: {p['site']}, arm: {p['arm']}, start: {p['start']}, "
        f"weight: {p['weight']}, height: {p['height']}, "
        f"lengths: {{treatment: {p['length']}}}}}\n" for p in people)
    summary = simulate(regimen, loads_plan(text, "p.yaml")).summary
    expected, expected_visits = _by_expand(regimen, people)
    got = {(r["drug"], r["site"], r["week"]): [r["administrations"], r["amount"], r["vials"]]
           for r in rows(summary, statistic="p50") if r["drug"] is not None}
    assert got.keys() == expected.keys()
    for key, (n, amount, vials) in expected.items():
        drug = key[0]
        assert got[key] == [n, amount, vials if drug == "gem" else None], key
    got_visits = {(r["site"], r["week"]): r["visits"]
                  for r in rows(summary, statistic="p50", drug=None)}
    assert got_visits == dict(expected_visits)


def test_a_construct_the_batch_api_refuses_is_named_on_its_line(tmp_path: Path) -> None:
    """What the batch API cannot expand yet is refused as a problem of the regimen file,
    on the line of its key (here an interval in hours, line 12), not as a CLI option."""
    path = tmp_path / "timed.yaml"
    path.write_text(
        "format: regimens/1\nid: timed\ntitle: Timed\ndrugs:\n"
        "  il2: {name: aldesleukin, route: subcutaneous}\narms:\n  a: {label: A}\n"
        "periods:\n  - id: t\n    length: 2 weeks\n    courses:\n"
        "      - {drug: il2, dose: 1 MIU, every: 8 hours, at: '06:00'}\n", encoding="utf-8")
    plan = loads_plan("plan: regimens-supply/1\nparticipants:\n"
                      "  - {id: P-1, site: paris, arm: a, start: 2027-01-04}\n", "plan.yaml")
    with pytest.raises(InvalidRegimenError) as caught:
        simulate(regimens.load(path), plan)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:12: periods[0].courses[0]: the batch API cannot expand a HoursPattern yet, "
        "so the supply forecast cannot either; expand these participants one by one with "
        "Regimen.expand"]
    assert caught.value.problems[0].code == "not-in-batch-api"
