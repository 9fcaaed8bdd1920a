"""A dose level in a blinded period reaches a placebo arm as it reaches the active arm.

Blinded staff record a reduction without knowing the arm, so a ``reduce`` row that the
active arm's course accepts (a declared level) or that stops it (below the lowest level)
must do the same on the placebo arm: refused on the placebo arm alone, or a placebo given
on where the active drug stops, it would tell the arm (docs/record.md, "Dose changes").
"""

from __future__ import annotations

import itertools
import warnings
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

import regimens
from regimens.cli import main

STAMP = datetime(2027, 1, 1, tzinfo=UTC)
HEAD = "date,event,drug,cycle,day,amount,level,reason\n"


def _regimen(levels_on: str, blinded: bool = True) -> str:
    # The active course declares level -1 (0.8 mg/kg) on the course or on the drug.
    course_levels = ", levels: {-1: 0.8 mg/kg}" if levels_on == "course" else ""
    drug_levels = ", levels: {-1: 0.8 mg/kg}" if levels_on == "drug" else ""
    return ("format: regimens/1\nid: blind-levels\ntitle: Blinded, with dose levels\n"
            f"drugs: {{mab: {{name: demo-mab, route: intravenous{drug_levels}}}}}\n"
            "arms: {act: {label: Active}, pbo: {label: Placebo}}\n"
            "periods:\n  - id: treatment\n    length: 12 weeks\n"
            f"    blinded: {'true' if blinded else 'false'}\n    courses:\n"
            "      - {drug: mab, arms: [act], dose: 1 mg/kg"
            f"{course_levels}, days: [1, 29, 57]}}\n"
            "      - {drug: mab, arms: [pbo], placebo: true, days: [1, 29, 57]}\n")


def _load(levels_on: str) -> regimens.Regimen:
    return regimens.loads(_regimen(levels_on), "blind-levels.yaml")


# Participant starts Monday 2027-01-04: days 1, 29, 57 are 01-04, 02-01, 03-01. 70 kg:
# level 0 is 70 mg, level -1 0.8 mg/kg = 56 mg.
CASES = {
    # (row, active arm's doses and statuses, placebo arm's statuses)
    "reduce to level -1": (
        "2027-01-20,reduce,mab,,,,-1,toxicity\n",
        [("70 mg", "planned"), ("56 mg", "planned"), ("56 mg", "planned")],
        ["planned", "planned", "planned"]),
    "reduce below the lowest level": (
        "2027-01-20,reduce,mab,,,,-2,toxicity\n",
        [("70 mg", "planned"), ("70 mg", "stopped"), ("70 mg", "stopped")],
        ["planned", "stopped", "stopped"]),
    "reduce to level -1, then below it": (
        "2027-01-20,reduce,mab,,,,-1,toxicity\n2027-02-10,reduce,mab,,,,-2,toxicity\n",
        [("70 mg", "planned"), ("56 mg", "planned"), ("56 mg", "stopped")],
        ["planned", "planned", "stopped"]),
}


def _expand(regimen: regimens.Regimen, arm: str, rows: str) -> regimens.Schedule:
    record = regimens.read_record(HEAD + rows, name="R.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        return regimen.expand(arm, date(2027, 1, 4), regimens.Participant(weight="70 kg"),
                              record=record)


@pytest.mark.parametrize("levels_on", ["course", "drug"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_level_reaches_the_placebo_arm_as_the_active_arm(case: str, levels_on: str) -> None:
    rows, active, placebo = CASES[case]
    regimen = _load(levels_on)
    act = _expand(regimen, "act", rows)
    pbo = _expand(regimen, "pbo", rows)
    assert [(a.dose.text, a.status.value) for a in act.administrations] == active
    assert [a.status.value for a in pbo.administrations] == placebo
    # Every blinded output is the same on both arms.
    for blinded in (None, True):
        assert act.to_ics(stamp=STAMP, blinded=blinded) == pbo.to_ics(stamp=STAMP,
                                                                      blinded=blinded)
        assert act.to_calendar(blinded=blinded) == pbo.to_calendar(blinded=blinded)
        assert act.to_html(blinded=blinded) == pbo.to_html(blinded=blinded)


@pytest.mark.parametrize("case", list(CASES))
def test_the_command_line_gives_the_same_blinded_bytes_on_both_arms(
        case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "r.yaml").write_text(_regimen("course"), encoding="utf-8")
    (tmp_path / "R.csv").write_text(HEAD + CASES[case][0], encoding="utf-8")
    got = {}
    for arm in ("act", "pbo"):
        out = tmp_path / f"{arm}.ics"
        code = main(["expand", str(tmp_path / "r.yaml"), "--arm", arm, "--start", "2027-01-04",
                     "--weight", "70 kg", "--record", str(tmp_path / "R.csv"), "--format",
                     "ics", "--stamp", "2027-01-01T00:00:00Z", "-o", str(out)])
        got[arm] = (code, out.read_bytes(), capsys.readouterr().err)
    assert got["act"][0] == 0
    assert got["act"] == got["pbo"]


def test_an_open_label_placebo_takes_no_level_of_the_active_course() -> None:
    # Outside a blinded period nothing is hidden: the placebo course declares no level,
    # and a level on it is refused as before (unblinded staff know the arm).
    regimen = regimens.loads(_regimen("course", blinded=False), "open-levels.yaml")
    _expand(regimen, "act", "2027-01-20,reduce,mab,,,,-1,toxicity\n")
    with pytest.raises(regimens.InvalidRecordError) as exc:
        _expand(regimen, "pbo", "2027-01-20,reduce,mab,,,,-1,toxicity\n")
    assert [p.code for p in exc.value.problems] == ["undeclared-level"]


def test_both_arms_agree_row_by_row() -> None:
    regimen = _load("course")
    for rows, _, _ in CASES.values():
        statuses = [[a.status for a in _expand(regimen, arm, rows).administrations]
                    for arm in ("act", "pbo")]
        for first, second in itertools.pairwise(statuses):
            assert first == second
