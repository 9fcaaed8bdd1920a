"""A resume of one drug while the whole treatment is held is refused (docs/record.md,
"Events"), also when that drug is held on its own as well, before or after the hold of the
whole treatment (review 6, finding 4: the resume closed the drug's own hold, the changes
said "paclitaxel resumed" and every later dose stayed held by the whole treatment).

By hand (cp.yaml, as in test_record_messages): paclitaxel on days 1, 8, 15 of 21-day cycles
from Mon 2027-01-04 (01-04, 01-11, 01-18, 01-25, 02-01, ...), carboplatin on day 1 (01-04,
01-25, 02-15, 03-08). 2027-01-09 is a Saturday, 01-10 and 01-17 Sundays.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import regimens
from regimens.cli import main
from support.records import replay_rows

TEXT = """\
format: regimens/1
id: cp
title: Carboplatin and weekly paclitaxel
drugs:
  carbo: {name: carboplatin, route: intravenous, levels: {-1: 300 mg}}
  pac: {name: paclitaxel, route: intravenous, levels: {-1: 80 mg, -2: 60 mg}}
arms:
  a: {label: A}
periods:
  - id: treatment
    length: 12 weeks
    courses:
      - {drug: carbo, dose: 400 mg, cycle: 21 days, cycles: 4, days: [1]}
      - {drug: pac, dose: 100 mg, cycle: 21 days, cycles: 4, days: [1, 8, 15]}
"""
REGIMEN = regimens.loads(TEXT, "cp.yaml")


def refused(line: int, hold: int) -> str:
    return (f"R.csv:{line}: event: paclitaxel is held by the hold of the whole treatment on "
            f"line {hold}, which a resume of one drug does not end: resume the whole treatment "
            "(a resume row with the drug empty), then hold again from that day each drug "
            "that stays held (got 'resume')")


REFUSED = [
    # The reviewer's case: paclitaxel held on its own, then the whole treatment.
    ("2027-01-09,hold,pac,,,,,\n2027-01-10,hold,,,,,,\n2027-01-17,resume,pac,,,,,\n",
     refused(4, 3)),
    # The other order: the whole treatment, then paclitaxel on its own inside it.
    ("2027-01-09,hold,,,,,,\n2027-01-10,hold,pac,,,,,\n2027-01-17,resume,pac,,,,,\n",
     refused(4, 2)),
    # Both holds on one day.
    ("2027-01-10,hold,pac,,,,,\n2027-01-10,hold,,,,,,\n2027-01-17,resume,pac,,,,,\n",
     refused(4, 3)),
    # The whole treatment alone (as before).
    ("2027-01-10,hold,,,,,,\n2027-01-17,resume,pac,,,,,\n", refused(3, 2)),
]


@pytest.mark.parametrize(("rows", "message"), REFUSED)
def test_refused(rows: str, message: str) -> None:
    with pytest.raises(regimens.InvalidRegimenError) as caught:
        replay_rows(REGIMEN, rows)
    assert str(caught.value) == message
    assert caught.value.problems[0].code == "record-resume-without-hold"


@pytest.mark.parametrize(("rows", "message"), REFUSED[:2])
def test_the_cli_refuses_it(rows: str, message: str, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "cp.yaml").write_text(TEXT, encoding="utf-8")
    (tmp_path / "R.csv").write_text("date,event,drug,cycle,day,amount,level,reason\n" + rows,
                                    encoding="utf-8")
    code = main(["expand", str(tmp_path / "cp.yaml"), "--arm", "a", "--start",
                 "2027-01-04", "--record", str(tmp_path / "R.csv")])
    assert code != 0
    err = capsys.readouterr().err
    assert message.replace("R.csv", str(tmp_path / "R.csv")) in err
    assert "Traceback" not in err


PAC = ("2027-01-04", "2027-01-11", "2027-01-18", "2027-01-25", "2027-02-01")
CARBO = ("2027-01-04", "2027-01-25", "2027-02-15")


@pytest.mark.parametrize(("rows", "pac", "carbo"), [
    # As the message says: the whole treatment resumed Sun 01-17, paclitaxel's own hold
    # (from Sat 01-09) resumed Sun 01-24: its 01-11 and 01-18 doses held, 01-25 planned.
    ("2027-01-09,hold,pac,,,,,\n2027-01-10,hold,,,,,,\n2027-01-17,resume,,,,,,\n"
     "2027-01-24,resume,pac,,,,,\n",
     ["planned", "held", "held", "planned", "planned"], ["planned", "planned", "planned"]),
    # Paclitaxel's own hold never resumed: held from 01-11 on; carboplatin given again.
    ("2027-01-09,hold,pac,,,,,\n2027-01-10,hold,,,,,,\n2027-01-17,resume,,,,,,\n",
     ["planned", "held", "held", "held", "held"], ["planned", "planned", "planned"]),
    # Paclitaxel's own hold resumed (Tue 01-12) before the whole treatment's (Wed 01-13 to
    # Sun 01-17): 01-11 held by the first, nothing else between.
    ("2027-01-09,hold,pac,,,,,\n2027-01-12,resume,pac,,,,,\n2027-01-13,hold,,,,,,\n"
     "2027-01-17,resume,,,,,,\n",
     ["planned", "held", "planned", "planned", "planned"], ["planned", "planned", "planned"]),
])
def test_accepted(rows: str, pac: list[str], carbo: list[str]) -> None:
    s = replay_rows(REGIMEN, rows)
    status = {(a.drug, a.date.isoformat()): a.status.value for a in s.administrations}
    assert [status[("pac", d)] for d in PAC] == pac
    assert [status[("carbo", d)] for d in CARBO] == carbo
