"""A record's errors about the arm's days name no arm (review 6, S4): a command making a
blinded output (``--blinded``) says on standard error no warning that tells an arm, and an
error that fails it said "arm a runs from ..." (``record-outside-arm``,
``record-given-without-amount``). On two arms of the same days, active and placebo, the
error is the same, word for word.

By hand: the blinded AC of test_given_after_arm: one 12-week period from Mon 2027-01-04 to
Sun 2027-03-28; doxorubicin day 1 of four 21-day cycles (01-04, 01-25, 02-15, 03-08) on arm
a, a placebo on the same days on arm b.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from regimens.cli import main

TEXT = """\
format: regimens/1
id: acb
title: AC blinded
drugs:
  dox: {name: doxorubicin, route: intravenous}
arms:
  a: {label: A}
  b: {label: B}
periods:
  - id: treatment
    length: 12 weeks
    blinded: true
    courses:
      - {drug: dox, arms: [a], dose: 100 mg, cycle: 21 days, cycles: 4, days: [1]}
      - {drug: dox, arms: [b], placebo: true, cycle: 21 days, cycles: 4, days: [1]}
"""


@pytest.mark.parametrize(("row", "message"), [
    ("2026-12-20,given,dox,,,,,\n",
     "R.csv:2: date: doxorubicin given on Sun 2026-12-20, before the arm's first day: outside "
     "every period of the arm (Mon 2027-01-04 to Sun 2027-03-28); check the date (its year) "
     "(got '2026-12-20')"),
    ("2028-01-25,given,dox,,,,,\n",
     "R.csv:2: date: no planned administration of doxorubicin is open on Tue 2028-01-25 to "
     "take its amount from: it is after the arm's last day, Sun 2027-03-28 (the arm runs from "
     "Mon 2027-01-04 to Sun 2027-03-28); check the date (its year); a dose really given "
     "after the arm's last day is recorded with the cycle and day of the dose it gives (the "
     "last still planned before it: cycle 4 day 1, on Mon 2027-03-08), or, giving none "
     "planned, with the amount given (got '2028-01-25')"),
])
@pytest.mark.parametrize("fmt", ["calendar", "ics"])
def test_a_blinded_output_fails_alike_on_every_arm(row: str, message: str, fmt: str,
                                                   tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "acb.yaml").write_text(TEXT, encoding="utf-8")
    record = tmp_path / "R.csv"
    record.write_text("date,event,drug,cycle,day,amount,level,reason\n" + row,
                      encoding="utf-8")
    said = []
    for arm in ("a", "b"):
        code = main(["expand", str(tmp_path / "acb.yaml"), "--arm", arm, "--start",
                     "2027-01-04", "--record", str(record), "--format", fmt, "--blinded",
                     "-o", str(tmp_path / f"out.{arm}")])
        assert code != 0
        err = capsys.readouterr().err
        assert message.replace("R.csv", str(record)) in err
        assert "arm a" not in err
        assert "arm b" not in err
        assert "Traceback" not in err
        assert not (tmp_path / f"out.{arm}").exists()
        said.append(err)
    assert said[0] == said[1]
