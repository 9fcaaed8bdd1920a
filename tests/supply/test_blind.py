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
