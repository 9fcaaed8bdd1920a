"""A reduction compared with the level in force, whatever its origin: the level the plan
is expanded at (``Regimen.expand(levels=...)``, ``regimens expand --level``) or an earlier
``reduce`` row (docs/record.md, "Checked against the regimen").

Doxorubicin 60 mg/m2 on day 1 of six 21-day cycles from Mon 2027-01-04, levels -1 (48
mg/m2) and -2 (36 mg/m2), at a given BSA of 1.5 m2: level 0 is 90 mg, level -1 72 mg,
level -2 54 mg. Cycle 3 is on 2027-01-04 + 42 days = Mon 2027-02-15.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import regimens
from regimens import InvalidRegimenError, Participant, read_record
from regimens.cli import main
from support.records import RECORD_HEADER, ac_text

PERSON = Participant(bsa="1.5 m2")


def expand(rows: str, levels: dict[str, int], policy: str = "") -> regimens.Schedule:
    regimen = regimens.loads(ac_text(policy=policy), "ac.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return regimen.expand("x", "2027-01-04", PERSON, levels=levels,
                              record=read_record(RECORD_HEADER + rows, name="P.csv"))


def above(level: int) -> str:
    return (f"P.csv:2: level: this row raises dox's dose above dose level {level}, the level "
            f"the plan is expanded at (--level dox={level}, or levels={{'dox': {level}}}); "
            "the regimen's reductions are permanent (re_escalate: false): give re_escalate: "
            "true to the course or the regimen to allow it")


@pytest.mark.parametrize(("levels", "row", "expected"), [
    # Expanded at -2 (54 mg): a reduction to -1 (72 mg) or to 0 (90 mg) raises it.
    ({"dox": -2}, "2027-02-01,reduce,dox,,,,-1,tox", above(-2) + " (got 'dose level -1')"),
    ({"dox": -2}, "2027-02-01,reduce,dox,,,,0,tox", above(-2) + " (got 'dose level 0')"),
    # 70% of 90 mg = 63 mg, above level -2's 60%.
    ({"dox": -2}, "2027-02-01,reduce,dox,,,,70%,tox",
     above(-2) + " (got '70% of the level-0 dose')"),
    ({"dox": -1}, "2027-02-01,reduce,dox,3,,,0,tox", above(-1) + " (got 'dose level 0')"),
])
def test_a_reduction_that_raises_the_plans_level_is_refused(
        levels: dict[str, int], row: str, expected: str) -> None:
    with pytest.raises(InvalidRegimenError) as exc:
        expand(row + "\n", levels)
    assert str(exc.value) == expected
    assert [p.code for p in exc.value.problems] == ["re-escalation"]


@pytest.mark.parametrize(("levels", "row", "policy", "amounts"), [
    # The same level, or a deeper one (-1 then 50%: 45 mg), is no escalation.
    ({"dox": -2}, "2027-02-01,reduce,dox,,,,-2,", "", ["54 mg"] * 6),
    ({"dox": -1}, "2027-02-01,reduce,dox,,,,50%,", "", ["72 mg"] * 2 + ["45 mg"] * 4),
    # With re_escalate: true the raise from -2 to -1 applies from cycle 3.
    ({"dox": -2}, "2027-02-01,reduce,dox,,,,-1,", ", re_escalate: true",
     ["54 mg"] * 2 + ["72 mg"] * 4),
    # Expanded at level 0: a reduce row to level 0 raises nothing.
    ({}, "2027-02-01,reduce,dox,,,,-1,", "", ["90 mg"] * 2 + ["72 mg"] * 4),
])
def test_a_reduction_at_or_below_the_plans_level_applies(
        levels: dict[str, int], row: str, policy: str, amounts: list[str]) -> None:
    s = expand(row + "\n", levels, policy)
    assert [a.dose.text for a in s.administrations] == amounts


def test_the_cli_refuses_it_word_for_word(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ac.yaml").write_text(ac_text())
    (tmp_path / "P.csv").write_text(RECORD_HEADER + "2027-02-01,reduce,dox,,,,-1,tox\n")
    code = main(["expand", str(tmp_path / "ac.yaml"), "--arm", "x", "--start", "2027-01-04",
                 "--bsa", "1.5", "--level", "dox=-2", "--record", str(tmp_path / "P.csv")])
    assert code == 2
    err = capsys.readouterr().err
    assert above(-2).replace("P.csv", str(tmp_path / "P.csv")) in err
