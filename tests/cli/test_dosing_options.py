"""The participant options of issue 16 at the command line: expand, check, --level."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from regimens.cli import main

REGIMEN = """\
format: regimens/1
id: cp
title: Carboplatin and paclitaxel
drugs:
  carbo: {name: carboplatin, route: intravenous}
  pac: {name: paclitaxel, route: intravenous, levels: {-1: 135 mg/m2}}
arms:
  x: {label: X}
periods:
  - id: t
    length: 6 weeks
    courses:
      - {drug: carbo, dose: AUC 5, cycle: 3 weeks, days: 1}
      - {drug: pac, dose: 175 mg/m2, cycle: 3 weeks, days: 1}
"""


@pytest.fixture
def regimen(tmp_path: Path) -> str:
    path = tmp_path / "cp.yaml"
    path.write_text(REGIMEN, encoding="utf-8")
    return str(path)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_expand_with_cockcroft_gault_and_a_level(regimen: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["expand", regimen, "--arm", "x", "--start", "2027-01-04",
                          "--format", "json", "--age", "64", "--sex", "female", "--weight",
                          "70kg", "--height", "175cm", "--creatinine", "97umol/L",
                          "--level", "pac=-1"], capsys)
    assert (code, err) == (0, "")
    rows = json.loads(out)["administrations"]
    # (140 - 64) x 70 x 88.4 / (72 x 97) x 0.85 = 57.2... -> 57.2; 5 x 82.2 = 411
    # pac level -1: 135 x 1.84 = 248.4
    assert [(r["drug"], r["amount"]) for r in rows] == [
        ("carbo", "411"), ("pac", "248.4"), ("carbo", "411"), ("pac", "248.4")]


def test_check_reports_absolute_totals_for_a_participant(
        regimen: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["check", regimen, "--gfr", "95mL/min", "--bsa", "1.84",
                          "--level", "pac=-1"], capsys)
    assert (code, err) == (0, "")
    # Written as every output writes them, whatever was typed (cold try 5, finding 3).
    assert "Absolute totals for body surface area 1.84 m², GFR 95 mL/min; dose levels: pac -1." \
        in out
    # carbo 2 x 5 x 120 = 1,200 mg; pac 2 x 248.4 = 496.8 mg
    assert "carboplatin                2  1,200 mg" in out
    assert "paclitaxel                 2  496.8 mg" in out


def test_check_without_a_participant_totals_as_written(
        regimen: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", regimen, "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert "participant" not in data
    assert [t["text"] for s in data["summaries"] for t in s["totals"]] == [
        "AUC 10", "350 mg per m²"]


@pytest.mark.parametrize(("argv", "message"), [
    (["--level", "pac"], "regimens: --level: write DRUG=LEVEL with a whole number, e.g. "
                         "carbo=-1 (got 'pac')"),
    (["--level", "pac=-1.5"], "regimens: --level: write DRUG=LEVEL with a whole number, e.g. "
                              "carbo=-1 (got 'pac=-1.5')"),
    (["--level", "pac=-1", "--level", "pac=-1"], "regimens: --level: this drug is given twice "
                                                 "(got 'pac')"),
    (["--level", "pac=-2"], "regimens: --level: dose level -2 is not declared for pac "
                            "(declared: 0, -1); undeclared levels are refused, never guessed "
                            "(got -2)"),
    (["--birth-date", "1960-01-01", "--gfr", "95mL/min"],
     "regimens: --birth-date: check has no calendar dates to take an age on: give the age "
     "instead (got '1960-01-01')"),
    (["--bsa", "1.84"], "regimens: --gfr: AUC dosing needs a GFR or a serum creatinine with "
                        "age and sex: give --gfr (e.g. 95mL/min), or --creatinine, --age (or "
                        "--birth-date), --sex and --weight for Cockcroft-Gault; the dose "
                        "that needs it is at <cp.yaml>:13 (periods[0].courses[0].dose)"),
])
def test_check_refusals(regimen: str, capsys: pytest.CaptureFixture[str], argv: list[str],
                        message: str) -> None:
    code, out, err = run(["check", regimen, *argv], capsys)
    # The carboplatin course (AUC 5) is on line 13 of the file, at its path in tmp_path.
    assert (code, out, err.splitlines()) == (2, "", [message.replace("<cp.yaml>", regimen)])
