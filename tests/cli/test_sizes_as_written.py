"""Every place a body size a person typed is echoed writes it one way (cold try 5, finding
3; docs/record.md, "Dose changes"): in kg, cm or m², one space before the unit, whether
typed ``70kg`` or ``70 kg``; typed in another unit, in kg or cm with what was typed after
"from", its number and unit one space apart ("69.85322498 kg (from 154 lb)"). The
implausible-weight warning read "the previous weight, 70kg (at enrolment) ... with height
170cm", and the check heading "weight 70kg, height 170cm, GFR 80mL/min".

By hand: 154 lb x 0.45359237 = 69.85322498 kg; 67 in x 2.54 = 170.18 cm; 1.7 m = 170 cm.
63 lbs = 28.57631931 kg: 59.18% below 70 kg ((70 - 28.57631931) / 70 = 0.59177), 59.09%
below 69.85322498 kg (41.27690567 / 69.85322498 = 0.59091); its body-mass index with
170 cm 28.57631931 / 1.7² = 9.888, with 170.18 cm 28.57631931 / 1.7018² = 9.867: 9.9.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from regimens.cli import main
from support.cold5 import CP

WEIGHTS = [
    # typed, written, written with where it comes from, the change below it
    ("70kg", "70 kg", "70 kg (at enrolment)", "59.18%"),
    ("70 kg", "70 kg", "70 kg (at enrolment)", "59.18%"),
    # In another unit, the warning writes it as typed (the unit slip it is about shows).
    ("154lb", "69.85322498 kg (from 154 lb)", "154 lb (at enrolment)", "59.09%"),
    ("154 lb", "69.85322498 kg (from 154 lb)", "154 lb (at enrolment)", "59.09%"),
]
HEIGHTS = [
    # typed, in the check heading, in the warning
    ("170cm", "170 cm", "170 cm"), ("170 cm", "170 cm", "170 cm"),
    ("1.7m", "170 cm (from 1.7 m)", "1.7 m"), ("1.7 m", "170 cm (from 1.7 m)", "1.7 m"),
    ("67in", "170.18 cm (from 67 in)", "67 in"), ("67 in", "170.18 cm (from 67 in)", "67 in"),
]


def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    return out, err


@pytest.mark.parametrize(("weight", "written", "said", "change"), WEIGHTS)
@pytest.mark.parametrize(("height", "height_written", "height_said"), HEIGHTS)
def test_warning_and_check_heading(
        weight: str, written: str, said: str, change: str, height: str, height_written: str,
        height_said: str,
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("cp.yaml").write_text(CP, encoding="utf-8")
    Path("lbs.csv").write_text("date,event,drug,cycle,day,amount,level,reason\n"
                               "2027-01-04,given,pac,,,,,\n2027-01-25,measure,,,,63lbs,,\n",
                               encoding="utf-8")
    person = ["--weight", weight, "--height", height, "--gfr", "80mL/min"]
    _, err = _run(tmp_path, capsys, "expand", "cp.yaml", "--arm", "cp", "--start",
                  "2027-01-04", *person, "--record", "lbs.csv")
    assert err.splitlines() == [
        f"regimens: warning: lbs.csv:3: weight 63 lbs (28.58 kg) measured 2027-01-25: "
        f"{change} below the previous weight, {said}, more than the 20% change taken as "
        f"plausible between two measurements; with height {height_said} it gives a "
        "body-mass index of 9.9 kg/m², outside 10 to 80. The doses after it are computed "
        "from it: check the number and its unit"]
    out, _ = _run(tmp_path, capsys, "check", "cp.yaml", *person)
    assert (f"Absolute totals for weight {written}, height {height_written}, GFR 80 mL/min."
            in out.splitlines())


@pytest.mark.parametrize(("weight", "heading"), [
    ("70kg", "weight 70 kg"), ("70 kg", "weight 70 kg"), ("154lb", "weight 69.85322498 kg"),
    ("154 lbs", "weight 69.85322498 kg")])
@pytest.mark.parametrize(("height", "height_heading"), [
    ("170cm", "height 170 cm"), ("1.7m", "height 170 cm"), ("67 in", "height 170.18 cm")])
def test_table_heading_and_notes(weight: str, heading: str, height: str, height_heading: str,
                                 tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("cp.yaml").write_text(CP, encoding="utf-8")
    # A measurement typed without its space (71 kg: within the 10% of the redose rule).
    Path("w.csv").write_text("date,event,drug,cycle,day,amount,level,reason\n"
                             "2027-01-25,measure,,,,71kg,,\n", encoding="utf-8")
    out, _ = _run(tmp_path, capsys, "expand", "cp.yaml", "--arm", "cp", "--start",
                  "2027-01-04", "--weight", weight, "--height", height, "--gfr", "80mL/min",
                  "--record", "w.csv", "--format", "json")
    data = json.loads(out)
    note = next(a["record_note"] for a in data["administrations"]
                if a["drug"] == "pac" and a["date"] == "2027-01-04")
    w = dict(WEIGHTS_NOTES)[weight]
    h = dict(HEIGHTS_NOTES)[height]
    assert note.startswith(f"computed from weight {w}; height {h}; BSA ")
    table, _ = _run(tmp_path, capsys, "expand", "cp.yaml", "--arm", "cp", "--start",
                    "2027-01-04", "--weight", weight, "--height", height, "--gfr",
                    "80mL/min", "--record", "w.csv")
    assert f"Participant: {heading}, {height_heading}" in table.splitlines()


WEIGHTS_NOTES = [("70kg", "70 kg (at enrolment)"), ("70 kg", "70 kg (at enrolment)"),
                 ("154lb", "69.85322498 kg (from 154 lb, at enrolment)"),
                 ("154 lbs", "69.85322498 kg (from 154 lbs, at enrolment)")]
HEIGHTS_NOTES = [("170cm", "170 cm (at enrolment)"), ("1.7m", "170 cm (from 1.7 m, at enrolment)"),
                 ("67 in", "170.18 cm (from 67 in, at enrolment)")]


@pytest.mark.parametrize(("typed", "said"), [
    ("62kg", "weight 62 kg (measured 2027-01-25, record line 2)"),
    ("62 kg", "weight 62 kg (measured 2027-01-25, record line 2)"),
    ("136.7lb", "weight 62.006076979 kg (from 136.7 lb, measured 2027-01-25, record line 2)"),
])
def test_a_measure_row_is_written_the_same_way(typed: str, said: str, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # 136.7 x 0.45359237 = 62.006076979 kg, 11.42% below 70 kg (at least the 10% of the
    # redose rule): the dose is recomputed from it, and its note says it.
    monkeypatch.chdir(tmp_path)
    Path("cp.yaml").write_text(CP, encoding="utf-8")
    Path("w.csv").write_text("date,event,drug,cycle,day,amount,level,reason\n"
                             f"2027-01-25,measure,,,,{typed},,\n", encoding="utf-8")
    out, _ = _run(tmp_path, capsys, "expand", "cp.yaml", "--arm", "cp", "--start",
                  "2027-01-04", "--weight", "70kg", "--height", "170cm", "--gfr",
                  "80mL/min", "--record", "w.csv", "--format", "json")
    data = json.loads(out)
    note = next(a["record_note"] for a in data["administrations"]
                if a["drug"] == "pac" and a["date"] == "2027-01-25")
    assert f"recomputed from {said}; height 170 cm (at enrolment)" in note
