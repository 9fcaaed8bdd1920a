"""A plan that itself crosses a drug's ``max_cumulative`` is flagged (issue 13: "an
administration that would cross one is flagged before it happens"), with no record, with an
empty record, and by ``regimens check``; the rows of the plan never change.

Hand-computed: 170 cm and 70 kg give a Mosteller BSA of sqrt(170 x 70 / 3600) = 1.8181,
rounded to 1.82 m2; 60 mg/m2 x 1.82 m2 = 109.2 mg, which is 60 mg per m2 of that BSA again.
Day 1 of cycle n of a 21-day cycle from Monday 2027-01-04 is 2027-01-04 + 21 (n - 1) days:
cycle 8 starts 147 days later, on Monday 2027-05-31 (Study Day 148). Seven cycles add up
to 420 mg/m2; the eighth would bring 480 mg/m2, above 450.
"""

from __future__ import annotations

import dataclasses
import json
import warnings
from pathlib import Path

import pytest

import regimens
from regimens import Participant, Record
from regimens.cli import main
from regimens.record import planned_limits, read_record, replay
from support.records import BLEO, RECORD_HEADER

HEAD = """\
format: regimens/1
id: dox
title: Doxorubicin
drugs:
  dox: {name: doxorubicin, route: intravenous%s}
arms:
  x: {label: X}
periods:
  - id: t
    length: 27 weeks
    courses:
      - {drug: dox, dose: %s, cycle: 21 days, cycles: %d, days: [1]}
"""
LIMIT = ", max_cumulative: 450 mg/m2"
PERSON = Participant(weight="70 kg", height="170 cm")
CROSSING = ("dox (doxorubicin): the administration planned on 2027-05-31 (cycle 8, day 1) "
            "would bring the cumulative dose to 480 mg per m², above max_cumulative 450 mg "
            "per m² (420 mg per m² before it); review before giving it")


def regimen(limit: str = LIMIT, dose: str = "60 mg/m2", cycles: int = 8) -> regimens.Regimen:
    return regimens.loads(HEAD % (limit, dose, cycles), "dox.yaml")


def quietly(r: regimens.Regimen, participant: Participant | None = PERSON,
            **options: object) -> regimens.Schedule:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return r.expand("x", "2027-01-04", participant, **options)  # type: ignore[arg-type]


def cumulative(schedule: regimens.Schedule) -> list[str]:
    return [str(w) for w in schedule.warnings if isinstance(w, regimens.CumulativeDoseWarning)]


def test_a_plan_that_crosses_its_limit_is_flagged_on_expand() -> None:
    with pytest.warns(regimens.CumulativeDoseWarning) as caught:
        regimen().expand("x", "2027-01-04", PERSON)
    assert [str(w.message) for w in caught] == [CROSSING]


def test_the_warning_changes_no_row() -> None:
    flagged = quietly(regimen())
    plain = quietly(regimen(limit=""))
    assert cumulative(flagged) == [CROSSING]
    assert cumulative(plain) == []
    assert flagged.administrations == plain.administrations
    assert [a.record_note for a in flagged.administrations] == [""] * 8
    # The outputs differ only by the warning.
    assert flagged.to_csv() == plain.to_csv()
    assert json.loads(flagged.to_json())["warnings"] == [CROSSING]


@pytest.mark.parametrize(("cycles", "expected"), [
    (7, []),  # 7 x 60 = 420 mg/m2: within
    (8, [CROSSING]),
])
def test_within_the_limit_nothing_is_said(cycles: int, expected: list[str]) -> None:
    assert cumulative(quietly(regimen(cycles=cycles))) == expected


def test_an_empty_record_gives_the_plan_with_its_warning() -> None:
    r = regimen()
    empty = Record("P.csv", ())
    with_empty, plan = quietly(r, record=empty), quietly(r)
    # Warnings are exceptions, equal only to themselves: compared by their text.
    assert [str(w) for w in with_empty.warnings] == [str(w) for w in plan.warnings]
    assert dataclasses.replace(with_empty, warnings=()) == dataclasses.replace(plan, warnings=())
    # An empty record replayed over the plan: the plan itself, warning and all.
    plan = quietly(r)
    assert replay(plan, empty) == plan


def test_with_a_record_the_flag_is_said_once() -> None:
    # Cycle 1 given: the replay adds up given plus planned and says it (once), on the row.
    record = read_record(RECORD_HEADER
                         + "2027-01-04,given,dox,,,,,\n", name="P.csv")
    schedule = quietly(regimen(), record=record)
    assert cumulative(schedule) == [CROSSING]
    assert CROSSING in schedule.administrations[-1].record_note
    # A plan carrying the plan's own flag, replayed: still once.
    assert cumulative(replay(quietly(regimen()), record)) == [CROSSING]


def test_a_flat_limit_names_no_cycle_when_there_is_none() -> None:
    bleo = regimens.loads(BLEO)
    # 13 x 30 = 390 USP units; the 14th, 2027-01-04 + 13 weeks = 2027-04-05, makes 420.
    assert cumulative(quietly(bleo, None)) == [
        "bleo (bleomycin): the administration planned on 2027-04-05 would bring the "
        "cumulative dose to 420 USP units, above max_cumulative 400 USP units (390 USP units "
        "before it); review before giving it"]


def test_flat_doses_against_a_per_m2_limit() -> None:
    flat = regimen(dose="100 mg")
    # Without a BSA nothing can be added up per m2: said, never silently skipped.
    assert cumulative(quietly(flat, None)) == [
        "dox (doxorubicin): max_cumulative 450 mg per m² is not checked: it adds up doses "
        "per m² and the participant's body surface area is not given"]
    # 8 x 100 mg / 1.82 m2 = 439.56 mg/m2: within.
    assert cumulative(quietly(flat)) == []
    # 9 cycles: 900 / 1.82 = 494.51; the 9th (2027-01-04 + 168 days = 2027-06-21) crosses
    # from 800 / 1.82 = 439.56.
    assert cumulative(quietly(regimen(dose="100 mg", cycles=9))) == [
        "dox (doxorubicin): the administration planned on 2027-06-21 (cycle 9, day 1) would "
        "bring the cumulative dose to 494.51 mg per m², above max_cumulative 450 mg per m² "
        "(439.56 mg per m² before it); review before giving it"]


def test_planned_limits_leaves_a_regimen_without_limits_alone() -> None:
    plan = quietly(regimen(limit=""))
    assert planned_limits(plan) is plan


# regimens check --------------------------------------------------------------------------

def test_check_fails_a_plan_over_its_limit() -> None:
    report = regimen().check()
    (result,) = report.cumulative
    assert not result.passed
    assert not report.ok
    assert str(result) == (
        "FAIL  x / dox: max_cumulative 450 mg per m²: the plan gives 480 mg per m²; the "
        "administration on Day 148 (cycle 8, day 1) would bring it to 480 mg per m² "
        "(420 mg per m² before it)")
    assert "Cumulative limits (max_cumulative):\n  FAIL  x / dox" in report.to_text()
    (data,) = report.to_dict()["cumulative_limits"]
    assert data == {
        "arm": "x", "drug": "dox", "passed": False, "checked": True,
        "limit": {"amount": "450", "unit": "mg", "basis": "per_m2"}, "total": "480",
        "before_caps_and_rounding": False,
        "crossing": "Day 148 (cycle 8, day 1) would bring it to 480 mg per m² (420 mg per "
                    "m² before it)",
        "reason": None, "text": str(result)}


def test_check_passes_a_plan_within_its_limit() -> None:
    report = regimen(cycles=7).check()
    assert report.ok
    assert [str(c) for c in report.cumulative] == [
        "PASS  x / dox: max_cumulative 450 mg per m²: the plan gives 420 mg per m²"]


def test_check_of_flat_doses_needs_the_participant() -> None:
    flat = regimen(dose="100 mg", cycles=9)
    report = flat.check()
    assert report.ok  # not checked is not a failure, and says so
    assert [str(c) for c in report.cumulative] == [
        "NOT CHECKED  x / dox: max_cumulative 450 mg per m²: the doses are flat; give the "
        "participant's weight and height (or BSA) to add them up against it"]
    report = flat.check(Participant(weight="70 kg", height="170 cm"))
    assert not report.ok
    assert [str(c) for c in report.cumulative] == [
        "FAIL  x / dox: max_cumulative 450 mg per m²: the plan gives 494.51 mg per m²; the "
        "administration on Day 169 (cycle 9, day 1) would bring it to 494.51 mg per m² "
        "(439.56 mg per m² before it)"]


def test_check_without_limits_says_nothing_of_them() -> None:
    report = regimen(limit="").check()
    assert report.cumulative == ()
    assert "Cumulative limits" not in report.to_text()
    assert "cumulative_limits" not in report.to_dict()


def test_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "dox.yaml"
    path.write_text(HEAD % (LIMIT, "60 mg/m2", 8), encoding="utf-8")
    assert main(["check", str(path)]) == 1
    assert "FAIL  x / dox: max_cumulative 450 mg per m²" in capsys.readouterr().out
    assert main(["expand", str(path), "--arm", "x", "--start", "2027-01-04", "--weight",
                 "70 kg", "--height", "170 cm", "--format", "csv"]) == 0
    _, err = capsys.readouterr()
    assert err == f"regimens: warning: {CROSSING}\n"
    assert main(["expand", str(path), "--arm", "x", "--start", "2027-01-04", "--weight",
                 "70 kg", "--height", "170 cm"]) == 0
    assert f"Warnings:\n  {CROSSING}\n" in capsys.readouterr().out
