"""Record rows refused with what to write instead (cold try 5, findings 5, 6 and 7), each
pinned word for word, through the API (a record read with its regimen, as the CLI reads it)
and the CLI.

By hand: carboplatin on day 1 and paclitaxel on days 1, 8 and 15 of four 21-day cycles
from Monday 2027-01-04 (paclitaxel day 8 of cycle 1 is Mon 2027-01-11; 2027-01-13 is a
Wednesday, 2027-01-20 and 2027-01-27 too); rituximab every week, no cycles.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import regimens
from regimens.cli import main

CP = """\
format: regimens/1
id: cp
title: Carboplatin and weekly paclitaxel
drugs:
  carbo: {name: carboplatin, route: intravenous}
  pac: {name: paclitaxel, route: intravenous}
  rtx: {name: rituximab, route: intravenous}
arms:
  a: {label: A}
  r: {label: R}
periods:
  - id: treatment
    length: 12 weeks
    courses:
      - {drug: carbo, arms: [a], dose: 400 mg, cycle: 21 days, cycles: 4, days: [1]}
      - {drug: pac, arms: [a], dose: 100 mg, cycle: 21 days, cycles: 4, days: [1, 8, 15]}
      - {drug: rtx, arms: [r], dose: 375 mg, every: 1 week}
"""
REGIMEN = regimens.loads(CP, "cp.yaml")

STOPS = ("and a stop ends the drug, which a resume cannot undo (if the stop was a mistake, "
         "void it: a 'void stop' row naming line 2)")
WHOLE = ("and a stop ends the treatment, which a resume cannot undo (if the stop was a "
         "mistake, void it: a 'void stop' row naming line 2)")
RECORD_IT = ("a dose of a course without cycles is not {}ed ahead of time; record it when it "
             "happens: a given row dated the day it was given, with the date it was planned "
             "on in the planned column, or a missed row dated the day it was planned")
NOT_HELD = ("(a resume closes an earlier hold of the same drug, or of the whole treatment "
            "when the drug is empty)")

CASES = [
    # 7: a resume after a stop of its drug (e6.csv) names the stop and what to do.
    ("a", "2027-01-20,stop,pac,,,,,\n2027-01-27,resume,pac,,,,,\n",
     f"R.csv:3: event: paclitaxel is not held on Wed 2027-01-27: it was stopped on Wed "
     f"2027-01-20 (line 2), {STOPS} (got 'resume')"),
    # ... of the whole treatment, resumed for one drug, or as a whole.
    ("a", "2027-01-20,stop,,,,,,\n2027-01-27,resume,pac,,,,,\n",
     f"R.csv:3: event: paclitaxel is not held on Wed 2027-01-27: the whole treatment was "
     f"stopped on Wed 2027-01-20 (line 2), {WHOLE} (got 'resume')"),
    ("a", "2027-01-20,stop,,,,,,\n2027-01-27,resume,,,,,,\n",
     f"R.csv:3: event: the whole treatment is not held on Wed 2027-01-27: it was stopped on "
     f"Wed 2027-01-20 (line 2), {WHOLE} (got 'resume')"),
    # ... a resume the same day as the stop: still after it.
    ("a", "2027-01-20,stop,pac,,,,,\n2027-01-20,resume,pac,,,,,\n",
     f"R.csv:3: event: paclitaxel is not held on Wed 2027-01-20: it was stopped on Wed "
     f"2027-01-20 (line 2), {STOPS} (got 'resume')"),
    # (unchanged: a stop of another drug, or a stop after the resume, says nothing of it)
    ("a", "2027-01-20,stop,carbo,,,,,\n2027-01-27,resume,pac,,,,,\n",
     f"R.csv:3: event: paclitaxel is not held on Wed 2027-01-27 {NOT_HELD} (got 'resume')"),
    ("a", "2027-01-27,resume,pac,,,,,\n2027-02-03,stop,pac,,,,,\n",
     f"R.csv:2: event: paclitaxel is not held on Wed 2027-01-27 {NOT_HELD} (got 'resume')"),
    # 5: a delay with no drug from a day only paclitaxel has (d1.csv).
    ("a", "2027-01-13,delay,,1,8,,,\n",
     "R.csv:2: day: carboplatin has no administration on day 8 of cycle 1, and a delay with "
     "no drug moves that day of every course that has the cycle: name the drug (day 8 of "
     "cycle 1: paclitaxel) (got 8)"),
    # 6: a move or delay of a course without cycles (t3.csv, t5.csv): said once, with what
    # to write instead.
    ("r", "2027-01-13,move,rtx,,,,,clinic full\n",
     "R.csv:2: cycle: rituximab has no cycles, and a move row names one administration by "
     "its cycle and day: " + RECORD_IT.format("mov")),
    ("r", "2027-01-13,delay,rtx,,,,,\n",
     "R.csv:2: cycle: rituximab has no cycles, and a delay row names the cycle it delays: "
     + RECORD_IT.format("delay")),
    # (unchanged: a move of a cycled drug without its cycle)
    ("a", "2027-01-13,move,pac,,,,,\n",
     "R.csv:2: cycle: a move row needs a cycle\nR.csv:2: day: a move row needs a cycle day"),
]


def _read_and_replay(arm: str, rows: str) -> None:
    """Read ``rows`` with the regimen (as the CLI does), then replay them."""
    record = regimens.read_record("date,event,drug,cycle,day,amount,level,reason\n" + rows,
                                  name="R.csv", regimen=REGIMEN, arm=arm)
    REGIMEN.expand(arm, "2027-01-04", record=record)


@pytest.mark.parametrize(("arm", "rows", "message"), CASES)
def test_the_message(arm: str, rows: str, message: str) -> None:
    with pytest.raises(regimens.InvalidRegimenError) as caught:
        _read_and_replay(arm, rows)
    assert str(caught.value) == message


@pytest.mark.parametrize(("arm", "rows", "message"), CASES)
def test_the_cli_says_it(arm: str, rows: str, message: str, tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "cp.yaml").write_text(CP, encoding="utf-8")
    (tmp_path / "R.csv").write_text("date,event,drug,cycle,day,amount,level,reason\n" + rows,
                                    encoding="utf-8")
    code = main(["expand", str(tmp_path / "cp.yaml"), "--arm", arm, "--start",
                 "2027-01-04", "--record", str(tmp_path / "R.csv")])
    assert code != 0
    err = capsys.readouterr().err
    assert message.replace("R.csv", str(tmp_path / "R.csv")) in err
    assert "Traceback" not in err


def test_a_dose_without_cycles_is_recorded_as_the_message_says() -> None:
    # The advice of finding 6 followed: rituximab planned Mon 2027-01-11 (day 8) given on
    # Wed 2027-01-13, named by its planned date; the other weeks as planned.
    record = regimens.read_record("date,event,drug,cycle,day,amount,level,reason,planned\n"
                                  "2027-01-13,given,rtx,,,,,clinic full,2027-01-11\n",
                                  name="R.csv", regimen=REGIMEN, arm="r")
    s = REGIMEN.expand("r", "2027-01-04", record=record)
    assert [(a.date.isoformat(), a.status.value) for a in s.administrations][:3] == [
        ("2027-01-04", "planned"), ("2027-01-13", "given"), ("2027-01-18", "planned")]
