"""Blinding holds with a record of treatment: the same participant and record under each
arm of a blinded period give the same blinded outputs, byte for byte.

The arms share their days (the placebo course matches the active one), so nothing a
blinded output shows may depend on the arm: not a status line written because a note the
event hides exists (a weight measured revises the per-kg dose on the active arm only),
not a SEQUENCE raised by it, not a warning computed from the arm's own dosing (a re-dose
threshold on the active course only). Table-driven over the regimen shapes that make the
arms' doses differ (per kg, per m2, AUC, each with a matching placebo; dose-ranging arms
without placebo; a re-dose rule on one arm) and over the record's row kinds.
"""

from __future__ import annotations

import itertools
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import regimens
from regimens.cli import main
from regimens.export import shown_warnings

STAMP = datetime(2027, 1, 1, tzinfo=UTC)
HEAD = "date,event,drug,cycle,day,amount,level,reason\n"

# The blinded course of each shape, per arm (`{arms}` and the placebo flag are filled in).
# Every course gives the drug on days 1, 29 and 57 of a 12-week blinded period.
DAYS = "days: [1, 29, 57]"
SHAPES: dict[str, dict[str, str]] = {
    "per-kg with placebo": {
        "act": f"{{drug: mab, arms: [act], dose: 1 mg/kg, {DAYS}}}",
        "pbo": f"{{drug: mab, arms: [pbo], placebo: true, {DAYS}}}"},
    "per-m2 with placebo": {
        "act": f"{{drug: mab, arms: [act], dose: 375 mg/m2, {DAYS}}}",
        "pbo": f"{{drug: mab, arms: [pbo], placebo: true, {DAYS}}}"},
    "AUC with placebo": {
        "act": f"{{drug: mab, arms: [act], dose: AUC 5, crcl_weight: auto, {DAYS}}}",
        "pbo": f"{{drug: mab, arms: [pbo], placebo: true, {DAYS}}}"},
    "dose-ranging without placebo": {
        "act": f"{{drug: mab, arms: [act], dose: 150 mg, {DAYS}}}",
        "pbo": f"{{drug: mab, arms: [pbo], dose: 420 mg, {DAYS}}}"},
    "dose-ranging per kg without placebo": {
        "act": f"{{drug: mab, arms: [act], dose: 1 mg/kg, {DAYS}}}",
        "pbo": f"{{drug: mab, arms: [pbo], dose: 2 mg/kg, {DAYS}}}"},
    # The record policy must be the same on both (tests/format/test_blinded_placing.py):
    # a missed dose is then made up on both arms alike.
    "record policy on both arms": {
        "act": f"{{drug: mab, arms: [act], dose: 1 mg/kg, {DAYS}, missed: make_up, "
               "max_delay: 7 days}",
        "pbo": f"{{drug: mab, arms: [pbo], placebo: true, {DAYS}, missed: make_up, "
               "max_delay: 7 days}"},
    "redose on one arm": {
        "act": f"{{drug: mab, arms: [act], dose: 1 mg/kg, {DAYS}, "
               "redose: {weight_change: 10%}}",
        "pbo": f"{{drug: mab, arms: [pbo], placebo: true, {DAYS}}}"},
}

# Rows of a record, by kind (the participant starts Monday 2027-01-04: days 1, 29 and 57
# are 2027-01-04, 2027-02-01 and 2027-03-01).
ROWS: dict[str, str] = {
    "measure weight": "2027-01-10,measure,,,,66 kg,,\n",
    "measure weight twice (past a re-dose threshold)":
        "2027-01-10,measure,,,,66 kg,,\n2027-01-20,measure,,,,55 kg,,\n",
    "measure height": "2027-01-10,measure,,,,160 cm,,\n",
    "measure creatinine": "2027-01-10,measure,,,,1.4 mg/dL,,\n",
    "reduce": "2027-01-20,reduce,mab,,,,80%,toxicity\n",
    "hold and resume": "2027-01-20,hold,mab,,,,,toxicity\n2027-02-10,resume,mab,,,,,\n",
    "hold": "2027-01-20,hold,mab,,,,,toxicity\n",
    "given and missed": "2027-01-04,given,mab,,,,,\n2027-02-01,missed,mab,,,,,unwell\n",
    "stop": "2027-01-20,stop,mab,,,,,progression\n",
    "measure then given": "2027-01-10,measure,,,,66 kg,,\n2027-02-01,given,mab,,,,,\n",
}


def _regimen(shape: str, order: str) -> str:
    courses = [SHAPES[shape][arm] for arm in (("act", "pbo") if order == "act first"
                                              else ("pbo", "act"))]
    body = "\n".join(f"      - {c}" for c in courses)
    return ("format: regimens/1\nid: blind-record\ntitle: Blinded, with a record\n"
            "drugs: {mab: {name: demo-mab, route: intravenous}}\n"
            "arms: {act: {label: Active}, pbo: {label: Placebo}}\n"
            "periods:\n  - id: treatment\n    length: 12 weeks\n    blinded: true\n"
            f"    courses:\n{body}\n")


PARTICIPANT = {"weight": "70 kg", "height": "170 cm", "age": 60, "sex": "female",
               "creatinine": "1 mg/dL", "label": "P-017"}


def _outputs(regimen: regimens.Regimen, arm: str, record_text: str) -> dict[str, Any]:
    record = regimens.read_record(HEAD + record_text, name="R.csv")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = regimen.expand(arm, "2027-01-04", regimens.Participant(**PARTICIPANT),
                           record=record)
    out: dict[str, Any] = {}
    for blinded in (None, True):
        out[f"ics blinded={blinded}"] = s.to_ics(stamp=STAMP, blinded=blinded)
        out[f"calendar blinded={blinded}"] = s.to_calendar(blinded=blinded)
        out[f"html blinded={blinded}"] = s.to_html(blinded=blinded)
        out[f"diary blinded={blinded}"] = s.to_diary(blinded=blinded)
        out[f"warnings blinded={blinded}"] = [str(w) for w in shown_warnings(s, blinded)]
    # Warnings raised while expanding are not shown by themselves: only the selection is.
    del caught
    return out


@pytest.mark.parametrize("order", ["act first", "pbo first"])
@pytest.mark.parametrize("rows", list(ROWS))
@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_arm_gives_the_same_blinded_outputs_with_a_record(
        shape: str, rows: str, order: str) -> None:
    regimen = regimens.loads(_regimen(shape, order), "blind-record.yaml")
    outputs = {arm: _outputs(regimen, arm, ROWS[rows]) for arm in ("act", "pbo")}
    for first, second in itertools.combinations(outputs, 2):
        for name, value in outputs[first].items():
            assert value == outputs[second][name], (name, first, second)


# Through the command line: the same bytes and the same standard error ----------------------

@pytest.mark.parametrize("fmt", ["ics", "calendar", "html", "diary"])
@pytest.mark.parametrize(("shape", "rows"), [
    ("per-kg with placebo", "measure weight"),
    ("redose on one arm", "measure weight twice (past a re-dose threshold)"),
    ("dose-ranging without placebo", "reduce"),
    ("AUC with placebo", "hold and resume"),
])
def test_the_command_line_gives_the_same_bytes_and_warnings_on_every_arm(
        shape: str, rows: str, fmt: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "r.yaml").write_text(_regimen(shape, "act first"), encoding="utf-8")
    (tmp_path / "R.csv").write_text(HEAD + ROWS[rows], encoding="utf-8")
    got = {}
    for arm in ("act", "pbo"):
        out = tmp_path / f"{arm}.out"
        code = main(["expand", str(tmp_path / "r.yaml"), "--arm", arm, "--start", "2027-01-04",
                     "--weight", "70 kg", "--height", "170 cm", "--age", "60", "--sex",
                     "female", "--creatinine", "1 mg/dL", "--record", str(tmp_path / "R.csv"),
                     "--format", fmt, "-o", str(out),
                     *(["--stamp", "2027-01-01T00:00:00Z"] if fmt == "ics" else [])])
        got[arm] = (code, out.read_bytes(), capsys.readouterr().err)
    assert got["act"][0] == 0
    assert got["act"] == got["pbo"]


# Which implausible measurements a blinded output shows ---------------------------------------

@pytest.mark.parametrize(("shape", "shown"), [
    # Every arm compares 40 kg with 70 kg alike: about the participant, shown blinded.
    ("per-kg with placebo", True),
    ("dose-ranging per kg without placebo", True),
    # The arms' re-dosing rules differ: withheld on every arm.
    ("redose on one arm", False),
])
@pytest.mark.parametrize("arm", ["act", "pbo"])
def test_an_implausible_measurement_is_shown_blinded_only_when_every_arm_compares_alike(
        shape: str, shown: bool, arm: str) -> None:
    regimen = regimens.loads(_regimen(shape, "act first"), "blind-record.yaml")
    record = regimens.read_record(HEAD + "2027-01-10,measure,,,,40 kg,,\n", name="R.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        s = regimen.expand(arm, "2027-01-04", regimens.Participant(**PARTICIPANT),
                           record=record)
    # 40 kg after 70 kg at enrolment: (70 - 40) / 70 = 42.857...%, shown 42.86%.
    said = ("R.csv:2: weight 40 kg measured 2027-01-10: 42.86% below the previous weight, "
            "70 kg (at enrolment), more than the 20% change taken as plausible between two "
            "measurements. The doses after it are computed from it: check the number and its "
            "unit")
    assert [str(w) for w in shown_warnings(s, False)
            if isinstance(w, regimens.ImplausibleMeasurementWarning)] == [said]
    assert [str(w) for w in shown_warnings(s, True)
            if isinstance(w, regimens.ImplausibleMeasurementWarning)] == ([said] if shown else [])


# A dose the sheet shows unblinded keeps its warning (review7 S1) ------------------------------

MIXED = """\
format: regimens/1
id: mixed
title: Open run-in, blinded treatment
drugs:
  pac: {name: paclitaxel, route: intravenous}
  mab: {name: demo-mab, route: intravenous}
arms:
  act: {label: Active}
  pbo: {label: Placebo}
periods:
  - id: run-in
    length: 1 week
    courses:
      - {drug: pac, dose: 1 mg/kg, round: 50 mg, days: [1]}
  - id: treatment
    length: 2 weeks
    blinded: true
    courses:
      - {drug: mab, arms: [act], dose: 100 mg, days: [1]}
      - {drug: mab, arms: [pbo], placebo: true, days: [1]}
"""
# 1 mg/kg of 70 kg is 70 mg, rounded to a multiple of 50 mg: 50 mg, 28.57% less.
ROUNDED = ("rounding to a multiple of 50 mg moves the dose from 70 mg to 50 mg (more than "
           "10%); use a smaller 'round' increment")


@pytest.mark.parametrize("fmt", ["ics", "html", "diary"])
def test_the_open_run_ins_rounding_is_said_on_every_output_that_shows_its_dose(
        fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "r.yaml").write_text(MIXED, encoding="utf-8")
    got = {}
    for arm in ("act", "pbo"):
        out = tmp_path / f"{arm}.out"
        code = main(["expand", str(tmp_path / "r.yaml"), "--arm", arm, "--start", "2027-01-04",
                     "--weight", "70 kg", "--format", fmt, "-o", str(out),
                     *(["--stamp", "2027-01-01T00:00:00Z"] if fmt == "ics" else [])])
        got[arm] = (code, out.read_bytes(), capsys.readouterr().err)
    assert got["act"] == got["pbo"]
    assert f"regimens: warning: {ROUNDED}\n" in got["act"][2]
    if fmt != "ics":
        assert "paclitaxel" in got["act"][1].decode()
        assert "rounding to a multiple of 50 mg" in got["act"][1].decode()
