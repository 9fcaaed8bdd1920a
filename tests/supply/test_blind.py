"""A blinded forecast never tells a site's arms apart by its packs: a plan whose
``placebo_vials`` are not the active dose's vials is refused for a blinded forecast
(``placebo-vials-unblind``), through the API and every output of the command; unblinded,
it is forecast as written (docs/supply.md, "Blinded trials")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("numpy")
pytest.importorskip("pyarrow")

import regimens
from regimens import InvalidRegimenError
from regimens.cli import main
from regimens.supply import loads_plan, plot, render, simulate

# One drug in vials of 150 mg and 420 mg, given on days 1 and 15 of 4 weeks: DOSE to the
# active arm, a matching placebo to the other.
REGIMEN = """\
format: regimens/1
id: blind
title: Blinded, vials of two sizes
drugs: {mab: {name: demo-mab, route: intravenous, vials: [150 mg, 420 mg]}}
arms: {act: {label: Active}, pbo: {label: Placebo}}
periods:
  - id: treatment
    length: 4 weeks
    blinded: true
    courses:
      - {drug: mab, arms: [act], dose: DOSE, cycle: 14 days, days: [1]}
      - {drug: mab, arms: [pbo], placebo: true, cycle: 14 days, days: [1]}
"""

# Two sites: a treats one active participant, b one placebo participant only.
PLAN = """\
plan: regimens-supply/1
participants:
  - {id: P1, site: a, arm: act, start: 2027-01-04, weight: 70 kg}
  - {id: P2, site: b, arm: pbo, start: 2027-01-04, weight: 80 kg}
sites: [{id: a}, {id: b}]
drugs:
  mab: {placebo_vials: PLACEBO, lead_time: 1 week}
"""

WHY = ("; a blinded forecast counts a matching placebo with its drug, so the packs would "
       "tell a site's placebo from active: ")
UNBLIND = "forecast unblinded (--unblinded, unblinded=True) for the unblinded supply team"
# A flat active dose has vials of its own the placebo can take; doses that vary do not.
FLAT = WHY + "leave placebo_vials out (the placebo then takes the active dose's vials), or "

# (active dose, placebo_vials, the refusal): each message worked out by hand from the
# least-waste rule (300 mg: 2 x 150 mg, no waste; 420 mg: 1 x 420 mg).
REFUSED = [
    ("6 mg/kg", "1",
     "p.yaml:7: drugs.mab.placebo_vials: the active doses of 'mab' are not one flat amount, "
     "so no one count of placebo vials matches their vials (vials of 150 mg and 420 mg)"
     + WHY + UNBLIND + " (got 1)"),
    ("420 mg", "1",
     "p.yaml:7: drugs.mab.placebo_vials: the active dose of 'mab' (420 mg) takes 1 vial of "
     "420 mg, but a placebo administration 1 vial of 150 mg (vials of 150 mg and 420 mg)"
     + FLAT + UNBLIND + " (got 1)"),
    ("300 mg", "1",
     "p.yaml:7: drugs.mab.placebo_vials: the active dose of 'mab' (300 mg) takes 2 vials of "
     "150 mg, but a placebo administration 1 vial of 150 mg (vials of 150 mg and 420 mg)"
     + FLAT + UNBLIND + " (got 1)"),
    ("300 mg", "3",
     "p.yaml:7: drugs.mab.placebo_vials: the active dose of 'mab' (300 mg) takes 2 vials of "
     "150 mg, but a placebo administration 3 vials of 150 mg (vials of 150 mg and 420 mg)"
     + FLAT + UNBLIND + " (got 3)"),
]


def _regimen(dose: str) -> regimens.Regimen:
    return regimens.loads(REGIMEN.replace("DOSE", dose), "blind.yaml")


def _plan_text(placebo: str | None, arms: tuple[str, str] = ("act", "pbo")) -> str:
    text = PLAN.replace("arm: act", f"arm: {arms[0]}").replace("arm: pbo", f"arm: {arms[1]}")
    if placebo is None:
        return text.replace("placebo_vials: PLACEBO, ", "")
    return text.replace("PLACEBO", placebo)


@pytest.mark.parametrize(("dose", "placebo", "message"), REFUSED)
def test_placebo_vials_unlike_the_active_dose_are_refused_blinded(
        dose: str, placebo: str, message: str) -> None:
    with pytest.raises(InvalidRegimenError) as caught:
        simulate(_regimen(dose), loads_plan(_plan_text(placebo), "p.yaml"))
    assert str(caught.value) == message
    assert [p.code for p in caught.value.problems] == ["placebo-vials-unblind"]


@pytest.mark.parametrize(("dose", "placebo", "message"), REFUSED[:2])
def test_the_plans_path_is_refused_alike(tmp_path: Path, dose: str, placebo: str,
                                         message: str) -> None:
    (tmp_path / "blind.yaml").write_text(REGIMEN.replace("DOSE", dose), "utf-8")
    (tmp_path / "p.yaml").write_text(_plan_text(placebo), "utf-8")
    with pytest.raises(InvalidRegimenError) as caught:
        simulate(str(tmp_path / "blind.yaml"), str(tmp_path / "p.yaml"))
    assert str(caught.value) == message.replace("p.yaml", str(tmp_path / "p.yaml"))


@pytest.mark.parametrize("report", ["demand", "shipments", "simulations"])
@pytest.mark.parametrize("form", ["table", "csv", "parquet"])
def test_every_output_of_the_command_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], report: str, form: str) -> None:
    (tmp_path / "blind.yaml").write_text(REGIMEN.replace("DOSE", "6 mg/kg"), "utf-8")
    (tmp_path / "p.yaml").write_text(_plan_text("1"), "utf-8")
    out, picture = tmp_path / f"out.{form}", tmp_path / "plot.svg"
    code = main(["supply", str(tmp_path / "blind.yaml"), str(tmp_path / "p.yaml"),
                 "--report", report, "--format", form, "-o", str(out), "--plot",
                 str(picture)])
    stdout, stderr = capsys.readouterr()
    assert (code, stdout) == (2, "")
    assert stderr == REFUSED[0][2].replace("p.yaml", str(tmp_path / "p.yaml")) + "\n"
    assert not out.exists()
    assert not picture.exists()


def test_unblinded_the_plan_is_forecast_as_written() -> None:
    forecast = simulate(_regimen("6 mg/kg"), loads_plan(_plan_text("1"), "p.yaml"),
                        unblinded=True)
    # Days 1 and 15 from Monday 2027-01-04: weeks of 2027-01-04 and 2027-01-18. P1 (70 kg)
    # is given 420 mg, one vial of 420 mg; P2's placebo takes placebo_vials: 1 of 150 mg.
    ships = [(r["site"], r["placebo"], r["pack"], str(r["week"]), r["quantity"])
             for r in forecast.shipments.to_pylist()]
    assert ships == [("a", False, "vial 420 mg", "2027-01-04", 1),
                     ("a", False, "vial 420 mg", "2027-01-18", 1),
                     ("b", True, "vial 150 mg", "2027-01-04", 1),
                     ("b", True, "vial 150 mg", "2027-01-18", 1)]


def _outputs(forecast: Any) -> list[bytes | str]:
    tables = (forecast.summary, forecast.demand, forecast.shipments)
    return [render(t, form, forecast) for t in tables for form in ("table", "csv", "parquet")]


@pytest.mark.parametrize(("dose", "placebo"), [("300 mg", "2"), ("300 mg", None),
                                               ("420 mg", None)])
@pytest.mark.parametrize("arms", [("act", "act"), ("pbo", "pbo"), ("pbo", "act")])
def test_placebo_packed_as_the_active_dose_does_not_tell_the_arms_apart(
        dose: str, placebo: str | None, arms: tuple[str, str]) -> None:
    """Placebo vials that are the active dose's (given, or by default): every blinded
    output is the same byte for byte whichever arm each site's participant is in."""
    regimen = _regimen(dose)
    base = simulate(regimen, loads_plan(_plan_text(placebo), "p.yaml"), simulations=2)
    other = simulate(regimen, loads_plan(_plan_text(placebo, arms), "p.yaml"), simulations=2)
    assert _outputs(other) == _outputs(base)
    assert plot(other, "svg") == plot(base, "svg")
    # 300 mg: 2 vials of 150 mg per administration, 420 mg: 1 of 420 mg, at each site.
    pack, count = ("vial 150 mg", 2) if dose == "300 mg" else ("vial 420 mg", 1)
    assert {(r["site"], r["pack"], r["quantity"]) for r in base.shipments.to_pylist()} == {
        ("a", pack, count), ("b", pack, count)}


# Every blinded forecast is the same whatever the arms, or refused on every arm ------------------

# The blinded period's courses of 'mab' for arms x and y (vials of 150 mg and 420 mg, days
# 1 and 15 of 4 weeks), and what a blinded forecast does: None, forecast (and the same
# bytes whatever the arms), or the code of its refusal.
_CYCLE = "cycle: 14 days, days: [1]"
SHAPES = {
    "flat with placebo": (f"dose: 420 mg, {_CYCLE}", f"placebo: true, {_CYCLE}", None),
    "per-kg with placebo": (f"dose: 6 mg/kg, {_CYCLE}", f"placebo: true, {_CYCLE}",
                            "placebo-vials-needed"),
    "per-m2 with placebo": (f"dose: 200 mg/m2, {_CYCLE}", f"placebo: true, {_CYCLE}",
                            "placebo-vials-needed"),
    "redose on one arm": (f"dose: 6 mg/kg, {_CYCLE}, redose: {{weight_change: 10%}}",
                          f"placebo: true, {_CYCLE}", "placebo-vials-needed"),
    "dose-ranging": (f"dose: 150 mg, {_CYCLE}", f"dose: 420 mg, {_CYCLE}",
                     "blinded-doses-differ"),
    "dose-ranging per kg": (f"dose: 2 mg/kg, {_CYCLE}", f"dose: 6 mg/kg, {_CYCLE}",
                            "blinded-doses-differ"),
    "dose-ranging in steps": (f"{_CYCLE}, steps: [{{dose: 150 mg, cycles: 1}}, "
                              "{dose: 300 mg, cycles: 1}]", f"dose: 150 mg, {_CYCLE}",
                              "blinded-doses-differ"),
    # The same dose written as a course of each arm's own: nothing tells them apart.
    "one dose, a course per arm": (f"dose: 150 mg, {_CYCLE}, label: low",
                                   f"dose: 150 mg, {_CYCLE}, label: also low", None),
    "one per-kg dose, a course per arm": (f"dose: 6 mg/kg, {_CYCLE}", f"dose: 6 mg/kg, {_CYCLE}",
                                          None),
}


def _shaped(x: str, y: str, vials: bool) -> regimens.Regimen:
    stocked = ", vials: [150 mg, 420 mg]" if vials else ""
    return regimens.loads(f"""\
format: regimens/1
id: shaped
title: Blinded, arms x and y
drugs: {{mab: {{name: demo-mab, route: intravenous{stocked}}}}}
arms: {{x: {{label: X}}, y: {{label: Y}}}}
periods:
  - id: treatment
    length: 4 weeks
    blinded: true
    courses:
      - {{drug: mab, arms: [x], {x}}}
      - {{drug: mab, arms: [y], {y}}}
""", "shaped.yaml")


_SHAPED_PLAN = """\
plan: regimens-supply/1
participants:
  - {id: P1, site: a, arm: A1, start: 2027-01-04, weight: 70 kg, height: 170 cm}
  - {id: P2, site: b, arm: A2, start: 2027-01-04, weight: 80 kg, height: 180 cm}
sites: [{id: a}, {id: b}]
drugs:
  mab: {lead_time: 1 week}
"""


def _blinded(regimen: regimens.Regimen, arms: tuple[str, str]) -> Any:
    """Every blinded output of the plan with these arms, or the refusal's codes and text
    (the plan's lines are the same whatever the arms)."""
    plan = _SHAPED_PLAN.replace("A1", arms[0]).replace("A2", arms[1])
    try:
        forecast = simulate(regimen, loads_plan(plan, "p.yaml"), simulations=2)
    except InvalidRegimenError as exc:
        return [p.code for p in exc.problems], str(exc)
    return [*_outputs(forecast), plot(forecast, "svg")]


@pytest.mark.parametrize("vials", [True, False], ids=["vials", "no vials"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_blinded_forecast_is_the_same_whatever_the_arms_or_refused(
        shape: str, vials: bool) -> None:
    x, y, refused = SHAPES[shape]
    if not vials and refused == "placebo-vials-needed":
        # Without vials a placebo needs none: counted with its drug, with no amount.
        refused = None
    regimen = _shaped(x, y, vials)
    every = [_blinded(regimen, arms) for arms in (("x", "y"), ("y", "x"), ("x", "x"),
                                                 ("y", "y"))]
    for other in every[1:]:
        assert other == every[0]
    if refused is None:
        assert isinstance(every[0], list)
        # Unblinded staff get the forecast too.
        simulate(regimen, loads_plan(_SHAPED_PLAN.replace("A1", "x").replace("A2", "y"),
                                     "p.yaml"), simulations=2, unblinded=True)
    else:
        assert every[0][0] == [refused]
        assert "forecast unblinded (--unblinded, unblinded=True)" in every[0][1]


def test_dose_ranging_is_refused_blinded_saying_why_and_forecast_unblinded() -> None:
    regimen = _shaped(f"dose: 150 mg, {_CYCLE}", f"dose: 420 mg, {_CYCLE}", True)
    plan = loads_plan(_SHAPED_PLAN.replace("A1", "x").replace("A2", "y"), "p.yaml")
    with pytest.raises(InvalidRegimenError) as caught:
        simulate(regimen, plan)
    assert str(caught.value) == (
        "p.yaml:7: drugs.mab: in the blinded period 'treatment', the arms (x, y) are given "
        "'mab' by courses of their own that differ (dose-ranging), with no matching placebo: "
        "a site's amounts and vials of it would tell its participants' arms apart, so no "
        "blinded forecast of it is possible: forecast unblinded (--unblinded, "
        "unblinded=True) for the unblinded supply team")
    # Unblinded: site a (arm x) is given 150 mg, one vial of 150 mg, on days 1 and 15;
    # site b (arm y) 420 mg, one vial of 420 mg.
    ships = [(r["site"], r["pack"], str(r["week"]), r["quantity"])
             for r in simulate(regimen, plan, unblinded=True).shipments.to_pylist()]
    assert ships == [("a", "vial 150 mg", "2027-01-04", 1), ("a", "vial 150 mg", "2027-01-18", 1),
                     ("b", "vial 420 mg", "2027-01-04", 1), ("b", "vial 420 mg", "2027-01-18", 1)]


def test_a_different_open_label_dose_does_not_refuse_the_placebos_vials() -> None:
    """S3 of review7: the placebo matches the blinded period's one flat dose (300 mg: 2
    vials of 150 mg); an open-label extension at 420 mg is no dose a placebo stands for."""
    text = REGIMEN.replace("DOSE", "300 mg") + """\
  - id: extension
    length: 2 weeks
    courses:
      - {drug: mab, dose: 420 mg, days: [1]}
"""
    regimen = regimens.loads(text, "blind.yaml")
    base = simulate(regimen, loads_plan(_plan_text(None), "p.yaml"), simulations=2)
    other = simulate(regimen, loads_plan(_plan_text(None, ("pbo", "act")), "p.yaml"),
                     simulations=2)
    assert _outputs(other) == _outputs(base)
    # Each site: 2 vials of 150 mg in the weeks of days 1 and 15 (2027-01-04, 2027-01-18),
    # then 1 of 420 mg on the extension's day 1 (Study Day 29, 2027-02-01).
    assert sorted((r["site"], r["pack"], str(r["week"]), r["quantity"])
                  for r in base.shipments.to_pylist()) == [
        (site, pack, week, n) for site in ("a", "b") for pack, week, n in (
            ("vial 150 mg", "2027-01-04", 2), ("vial 150 mg", "2027-01-18", 2),
            ("vial 420 mg", "2027-02-01", 1))]
