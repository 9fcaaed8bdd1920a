"""Simulated lengths to choose from outside their period's range are a located problem of
the plan (file, line, field path, the length as written), found at load with the regimen
as the plan's other problems with it are, and the same at simulate and on the command line.
It was accepted at load and refused at simulate with no file, line or field path.

mirocals' run-in is 12-18 weeks: 84 to 126 days (12 x 7, 18 x 7). The plan's ``lengths``
line is line 6 of the document below.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import regimens
from regimens import InvalidRegimenError
from regimens.cli import main
from regimens.supply import loads_plan, simulate

PLAN = """\
plan: regimens-supply/1
arms: {il2: 1, placebo: 1}
sites: [{id: paris, opens: 2027-01-04, rate: 5/week}]
sample_size: 4
weight: {distribution: normal, mean: 75 kg, sd: 12 kg}
lengths: {run-in: {choices: {%s}}}
"""


def _outside(written: str) -> str:
    return (f"P.yaml:6: lengths.run-in.choices.{written}: a length to choose for the period "
            "'run-in' must be within its range in 'mirocals', 12-18 weeks (84-126 days) "
            f"(got '{written}')")


# (choices as written, the problems expected)
CASES = [
    ("12 weeks: 1, 18 weeks: 1", []),
    ("84 days: 1, 126 days: 2", []),
    ("3 days: 1", [_outside("3 days")]),
    ("83 days: 1", [_outside("83 days")]),
    ("127 days: 1", [_outside("127 days")]),
    ("1000 weeks: 1", [_outside("1000 weeks")]),
    ("11 weeks: 1, 14 weeks: 2, 19 weeks: 1", [_outside("11 weeks"), _outside("19 weeks")]),
]


@pytest.mark.parametrize(("choices", "expected"), CASES)
def test_choices_outside_the_range_are_refused_at_load(choices: str,
                                                       expected: list[str]) -> None:
    mirocals = regimens.load("mirocals")
    document = PLAN % choices
    loads_plan(document, "P.yaml")  # alone, the plan cannot know the range
    if not expected:
        loads_plan(document, "P.yaml", regimen=mirocals)
        return
    with pytest.raises(InvalidRegimenError) as caught:
        loads_plan(document, "P.yaml", regimen=mirocals)
    assert [str(p) for p in caught.value.problems] == expected
    assert {p.code for p in caught.value.problems} == {"bad-length"}


def _twice(written: str, first: str, days: int) -> str:
    return (f"P.yaml:6: lengths.run-in.choices.{written}: the same length as '{first}' "
            f"({days} days): give each length once, with its weight (got '{written}')")


# (choices as written, the problems expected, by hand: 11 weeks = 77 days, 12 weeks = 84)
TWICE = [
    # Both outside the range, one length: two problems both named '11 weeks' before;
    # each key is named once now, '77 days' as the length given twice.
    ("11 weeks: 1, 77 days: 1", [_twice("77 days", "11 weeks", 77), _outside("11 weeks")]),
    # Within the range, one length with two weights: accepted silently as two entries.
    ("12 weeks: 1, 84 days: 3", [_twice("84 days", "12 weeks", 84)]),
    ("84 days: 3, 14 weeks: 1, 12 weeks: 1",
     [_twice("12 weeks", "84 days", 84)]),
]


@pytest.mark.parametrize(("choices", "expected"), TWICE)
def test_a_length_given_twice_is_refused_naming_each_key_once(choices: str,
                                                              expected: list[str]) -> None:
    with pytest.raises(InvalidRegimenError) as caught:
        loads_plan(PLAN % choices, "P.yaml", regimen=regimens.load("mirocals"))
    assert sorted(str(p) for p in caught.value.problems) == sorted(expected)
    assert "duplicate-length" in {p.code for p in caught.value.problems}
    with pytest.raises(InvalidRegimenError):  # without the regimen too: it is the plan's
        loads_plan(PLAN % choices, "P.yaml")


def test_with_the_plan_s_other_problems_at_once() -> None:
    document = PLAN.replace("il2: 1, placebo: 1", "il2: 1, active: 1") % "3 days: 1"
    with pytest.raises(InvalidRegimenError) as caught:
        loads_plan(document, "P.yaml", regimen=regimens.load("mirocals"))
    assert [str(p) for p in caught.value.problems] == [
        "P.yaml:2: arms.active: no arm has this id in 'mirocals' (arms: il2, placebo) "
        "(got 'active')", _outside("3 days")]


def test_simulate_says_where_too() -> None:
    pytest.importorskip("numpy")
    pytest.importorskip("pyarrow")
    plan = loads_plan(PLAN % "3 days: 1", "P.yaml")
    with pytest.raises(InvalidRegimenError) as caught:
        simulate(regimens.load("mirocals"), plan, simulations=1, seed=1, threads=1)
    assert str(caught.value) == _outside("3 days")


def test_the_command_line_says_where(tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("numpy")
    pytest.importorskip("pyarrow")
    path = tmp_path / "P.yaml"
    path.write_text(PLAN % "3 days: 1", encoding="utf-8")
    assert main(["supply", "mirocals", str(path), "--simulations", "1", "--threads",
                 "1"]) == 2
    err = capsys.readouterr().err
    assert f"{path}:6: lengths.run-in.choices.3 days: a length to choose for the period " \
           "'run-in' must be within its range in 'mirocals'" in err
