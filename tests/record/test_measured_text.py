"""A ``measure`` row in the record's changes (the table's "Record (...)" lines, JSON
``record.changes``): the measurement as given and, when not in the unit the doses are
computed in (kg, cm, m²), in that unit too, converted exactly and rounded half up to 2
decimals, trailing zeros dropped (docs/record.md, "Measurements").

Every figure by hand, from the exact definitions (1 lb = 0.45359237 kg, 1 g = 0.001 kg,
1 in = 2.54 cm, 1 m = 100 cm, 1 mm = 0.1 cm):

- 150 lb = 68.0388555 kg: 68.04; 63 lbs = 28.57631931 kg: 28.58; 154 lb = 69.85322498
  kg: 69.85;
- 65000 g = 65 kg exactly: 65; 68125 g = 68.125 kg: half up 68.13 (half even would say
  68.12);
- 67 in = 170.18 cm exactly; 1.75 m = 175 cm; 1755.45 mm = 175.545 cm: half up 175.55
  (half even 175.54).

Weight and height in kg and cm are shown as the heading shows them, whether typed with a
space or not. Participant 70 kg and 170 cm at enrolment, GFR 90 mL/min; each row is dated
2027-01-05, after the first weekly dose (Mon 2027-01-04) and before the second, so it
changes doses and its line says nothing more.
"""

from __future__ import annotations

import json
import warnings
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, localcontext
from pathlib import Path

import pytest

import regimens
from regimens import read_record
from regimens.cli import main
from support.records import RECORD_HEADER

REGIMEN = """\
format: regimens/1
id: sizes
title: Doses by body size
drugs:
  dex: {name: dexamethasone, route: oral}
  gem: {name: gemcitabine, route: intravenous}
  carbo: {name: carboplatin, route: intravenous}
arms:
  x: {label: X}
periods:
  - id: t
    length: 4 weeks
    courses:
      - {drug: dex, dose: 0.15 mg/kg, every: 1 week}
      - {drug: gem, dose: 1000 mg/m2, every: 1 week}
      - {drug: carbo, dose: AUC 2, every: 1 week}
"""
PERSON = regimens.Participant(weight="70 kg", height="170 cm", gfr="90 mL/min")


def changes(measurement: str) -> list[str]:
    record = read_record(RECORD_HEADER + f"2027-01-05,measure,,,,{measurement},,\n",
                         name="P.csv")
    with warnings.catch_warnings():
        # 63 lbs is an implausible weight after 70 kg: warned, not the subject here.
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        s = regimens.loads(REGIMEN, "s.yaml").expand("x", "2027-01-04", PERSON,
                                                      record=record)
    assert s.replayed is not None
    return list(s.replayed.changes)


CASES = [
    # (as written in the record, the measurement as the line shows it)
    ("150 lb", "weight 150 lb (68.04 kg)"),
    ("150lb", "weight 150 lb (68.04 kg)"),
    ("63 lbs", "weight 63 lbs (28.58 kg)"),
    ("154 lb", "weight 154 lb (69.85 kg)"),
    ("65000 g", "weight 65000 g (65 kg)"),
    ("68125 g", "weight 68125 g (68.13 kg)"),
    ("66 kg", "weight 66 kg"),
    ("66kg", "weight 66 kg"),
    ("71.25 kg", "weight 71.25 kg"),
    ("67 in", "height 67 in (170.18 cm)"),
    ("1.75 m", "height 1.75 m (175 cm)"),
    ("1755.45 mm", "height 1755.45 mm (175.55 cm)"),
    ("172cm", "height 172 cm"),
    ("1.8m2", "BSA 1.8 m²"),
    ("75mL/min", "GFR 75 mL/min"),
]


@pytest.mark.parametrize(("written", "shown"), CASES, ids=[c[0] for c in CASES])
def test_a_measurement_is_shown_as_given_and_in_the_dose_unit(written: str,
                                                              shown: str) -> None:
    assert changes(written) == [f"2027-01-05 measure (line 2): {shown} measured"]


@pytest.mark.parametrize("rounding", [ROUND_DOWN, ROUND_HALF_EVEN])
def test_the_caller_decimal_context_changes_nothing(rounding: str) -> None:
    # 68.125 kg is 68.13 half up, 68.12 half even, 68.1 at 3 digits: always 68.13.
    with localcontext() as context:
        context.prec, context.rounding = 3, rounding
        assert changes("68125 g") == [
            "2027-01-05 measure (line 2): weight 68125 g (68.13 kg) measured"]


def test_the_table_and_json_of_expand_record(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "s.yaml").write_text(REGIMEN, encoding="utf-8")
    (tmp_path / "P.csv").write_text(RECORD_HEADER + "2027-01-05,measure,,,,150 lb,,\n",
                                    encoding="utf-8")
    argv = ["expand", str(tmp_path / "s.yaml"), "--arm", "x", "--start", "2027-01-04",
            "--weight", "70kg", "--height", "170cm", "--gfr", "90mL/min",
            "--record", str(tmp_path / "P.csv")]
    line = "2027-01-05 measure (line 2): weight 150 lb (68.04 kg) measured"
    assert main(argv) == 0
    assert "  " + line in capsys.readouterr().out.splitlines()
    assert main([*argv, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["record"]["changes"] == [line]
