"""``placebo_vials`` for a drug with no vial sizes counts nothing: refused on its line,
blinded or not, through the API and the command (cold try 5, finding 15; docs/supply.md,
the packaging table)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("numpy")
pytest.importorskip("pyarrow")

import regimens
from regimens import InvalidRegimenError
from regimens.cli import main
from regimens.supply import loads_plan, simulate

# Drug X daily, or its matching placebo; X has no vials in the regimen.
REGIMEN = """\
format: regimens/1
id: xp
title: Drug X or placebo
drugs: {x: {name: drug X, route: oral}}
arms: {act: {label: Active}, pbo: {label: Placebo}}
periods:
  - id: treatment
    length: 4 weeks
    blinded: true
    courses:
      - {drug: x, arms: [act], dose: 10 mg, daily: true}
      - {drug: x, arms: [pbo], placebo: true, daily: true}
"""

PLAN = """\
plan: regimens-supply/1
participants:
  - {id: P1, site: a, arm: act, start: 2027-01-04}
  - {id: P2, site: a, arm: pbo, start: 2027-01-04}
drugs:
  x: {PACKING}
"""

TAIL = "give its vials, or leave placebo_vials out (got 1)"


@pytest.mark.parametrize(("packing", "message"), [
    ("kit: 28, placebo_vials: 1",
     "p.yaml:6: drugs.x.placebo_vials: 'x' has no vial sizes (no vials here or in the "
     "regimen), so placebo_vials counts nothing (its kit counts placebo administrations as "
     f"it counts active ones): {TAIL}"),
    ("placebo_vials: 1, lead_time: 1 week",
     "p.yaml:6: drugs.x.placebo_vials: 'x' has no vial sizes (no vials here or in the "
     f"regimen), so placebo_vials counts nothing: {TAIL}"),
], ids=["with-a-kit", "nothing-else"])
@pytest.mark.parametrize("unblinded", [False, True])
def test_refused_on_its_line(packing: str, message: str, unblinded: bool) -> None:
    regimen = regimens.loads(REGIMEN, "xp.yaml")
    with pytest.raises(InvalidRegimenError) as caught:
        simulate(regimen, loads_plan(PLAN.replace("PACKING", packing), "p.yaml"),
                 unblinded=unblinded)
    assert str(caught.value) == message
    assert [p.code for p in caught.value.problems] == ["placebo-vials-without-vials"]


def test_the_command_says_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "xp.yaml").write_text(REGIMEN, "utf-8")
    (tmp_path / "p.yaml").write_text(PLAN.replace("PACKING", "placebo_vials: 1"), "utf-8")
    code = main(["supply", str(tmp_path / "xp.yaml"), str(tmp_path / "p.yaml")])
    stdout, stderr = capsys.readouterr()
    assert (code, stdout) == (2, "")
    assert stderr == (f"{tmp_path / 'p.yaml'}:6: drugs.x.placebo_vials: 'x' has no vial "
                      "sizes (no vials here or in the regimen), so placebo_vials counts "
                      f"nothing: {TAIL}\n")


def test_with_vials_it_is_taken() -> None:
    # The same plan with vials of 10 mg: placebo_vials is taken (unblinded). Daily from Monday
    # 2027-01-04 for 4 weeks: 7 administrations a week, each of one 10 mg vial, active (P1)
    # and placebo (P2) alike, so 7 vials of each a week.
    regimen = regimens.loads(REGIMEN, "xp.yaml")
    plan = loads_plan(PLAN.replace("PACKING", "vials: [10 mg], placebo_vials: 1"), "p.yaml")
    forecast = simulate(regimen, plan, unblinded=True)
    ships = sorted((r["placebo"], str(r["week"]), r["quantity"])
                   for r in forecast.shipments.to_pylist())
    weeks = ("2027-01-04", "2027-01-11", "2027-01-18", "2027-01-25")
    assert ships == [(False, w, 7) for w in weeks] + [(True, w, 7) for w in weeks]
