"""The rule for dose levels in a blinded period (docs/record.md, "Dose changes"), over the
shapes of regimen that broke it (review of 2ae461b):

- a course is known by its place (period, index), never by its value: a placebo course of
  an open-label period written like one of a blinded period is not blinded;
- a placebo course of a blinded period follows the levels of the active courses it stands
  for (those with its schedule), never the union of every active course's levels: a
  loading placebo the loading course's, a maintenance placebo the maintenance course's;
- a ``reduce`` row the arms' courses of a blinded period take differently (one stops,
  another gives the level) is refused on every arm of a blinded output, alike
  (``blinded-levels-differ``); unblinded, each arm follows its own levels;
- ``--level`` in a blinded period is judged against every arm's course there: accepted on
  the placebo arm as on the active one (its doses stay placebo), or refused alike.

Each blinded case compares, on every arm, the command line's exit status, standard error
and file; the unblinded active arm's doses and statuses are worked out by hand.
"""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

import regimens
from regimens.cli import main

STAMP = datetime(2027, 1, 1, tzinfo=UTC)
HEAD = "date,event,drug,cycle,day,amount,level,reason\n"
TOP = ("format: regimens/1\nid: shape\ntitle: Shape\n"
       "drugs: {mab: {name: demo-mab, route: intravenous}}\n")

SHAPES = {
    # Loading and maintenance courses, each with its placebo: levels differ by course.
    "loading and maintenance": (
        TOP + "arms: {act: {label: Active}, pbo: {label: Placebo}}\n"
        "periods:\n  - id: treatment\n    length: 12 weeks\n    blinded: true\n"
        "    courses:\n"
        "      - {id: load, drug: mab, arms: [act], dose: 2 mg/kg, "
        "levels: {-1: 1.5 mg/kg, -2: 1 mg/kg}, days: [1]}\n"
        "      - {id: maint, drug: mab, arms: [act], dose: 1 mg/kg, "
        "levels: {-1: 0.5 mg/kg}, days: [29, 57]}\n"
        "      - {id: load-p, drug: mab, arms: [pbo], placebo: true, days: [1]}\n"
        "      - {id: maint-p, drug: mab, arms: [pbo], placebo: true, days: [29, 57]}\n",
        ("act", "pbo")),
    # Dose-ranging: two active arms with levels of their own, and a placebo.
    "dose-ranging": (
        TOP + "arms: {hi: {label: High}, lo: {label: Low}, pbo: {label: Placebo}}\n"
        "periods:\n  - id: treatment\n    length: 12 weeks\n    blinded: true\n"
        "    courses:\n"
        "      - {drug: mab, arms: [hi], dose: 2 mg/kg, levels: {-1: 1 mg/kg}, "
        "days: [1, 29, 57]}\n"
        "      - {drug: mab, arms: [lo], dose: 1 mg/kg, "
        "levels: {-1: 0.5 mg/kg, -2: 0.25 mg/kg}, days: [1, 29, 57]}\n"
        "      - {drug: mab, arms: [pbo], placebo: true, days: [1, 29, 57]}\n",
        ("hi", "lo", "pbo")),
    # A blinded period, then an open-label one whose placebo differs by its days.
    "open-label after blinded": (
        TOP + "arms: {act: {label: Active}, pbo: {label: Placebo}}\n"
        "periods:\n  - id: treatment\n    length: 8 weeks\n    blinded: true\n"
        "    courses:\n"
        "      - {drug: mab, arms: [act], dose: 1 mg/kg, levels: {-1: 0.8 mg/kg}, "
        "days: [1, 29]}\n"
        "      - {drug: mab, arms: [pbo], placebo: true, days: [1, 29]}\n"
        "  - id: extension\n    length: 8 weeks\n    courses:\n"
        "      - {drug: mab, arms: [act], dose: 1 mg/kg, levels: {-1: 0.8 mg/kg}, "
        "days: [1, 28]}\n"
        "      - {drug: mab, arms: [pbo], placebo: true, days: [1, 28]}\n",
        ("act", "pbo")),
    # The same placebo course, written alike, in a blinded and an open-label period; the
    # extension's active course has a level the blinded one lacks.
    "identical placebo in two periods": (
        TOP + "arms: {act: {label: Active}, pbo: {label: Placebo}}\n"
        "periods:\n  - id: treatment\n    length: 8 weeks\n    blinded: true\n"
        "    courses:\n"
        "      - {drug: mab, arms: [act], dose: 1 mg/kg, levels: {-1: 0.8 mg/kg}, "
        "days: [1, 29]}\n"
        "      - {drug: mab, arms: [pbo], placebo: true, days: [1, 29]}\n"
        "  - id: extension\n    length: 8 weeks\n    courses:\n"
        "      - {drug: mab, arms: [act], dose: 1 mg/kg, "
        "levels: {-1: 0.8 mg/kg, -2: 0.6 mg/kg}, days: [1, 29]}\n"
        "      - {drug: mab, arms: [pbo], placebo: true, days: [1, 29]}\n",
        ("act", "pbo")),
    # One active course and its placebo.
    "one course": (
        TOP + "arms: {act: {label: Active}, pbo: {label: Placebo}}\n"
        "periods:\n  - id: treatment\n    length: 12 weeks\n    blinded: true\n"
        "    courses:\n"
        "      - {drug: mab, arms: [act], dose: 1 mg/kg, levels: {-1: 0.8 mg/kg}, "
        "days: [1, 29, 57]}\n"
        "      - {drug: mab, arms: [pbo], placebo: true, days: [1, 29, 57]}\n",
        ("act", "pbo")),
}

GIVEN = "2027-01-04,given,mab,,,,,\n"


def _reduce(level: int) -> str:
    return f"2027-01-20,reduce,mab,,,,{level},toxicity\n"


# Participant 70 kg, Study Day 1 Monday 2027-01-04: days 1, 29, 57 are 01-04, 02-01,
# 03-01; an extension from day 57 (03-01) has its day 28 on 03-28 and day 29 on 03-29.
# (shape, record rows, --level, blinded exit status, {arm: unblinded (dose, status)s}
# worked by hand: 2 mg/kg = 140 mg, 1.5 mg/kg = 105 mg, 1 mg/kg = 70 mg, 0.8 mg/kg =
# 56 mg, 0.6 mg/kg = 42 mg, 0.5 mg/kg = 35 mg, 0.25 mg/kg = 17.5 mg; a stopped dose
# shows the dose under the reduction in force before the row that stopped it.)
CASES: dict[str, tuple[str, str, str | None, int, dict[str, list[tuple[str, str]]]]] = {
    # The maintenance course declares no level -2: it stops, and so does its placebo;
    # the loading dose was given before the row (was: the placebo took the loading
    # course's -2 and went on).
    "per course: -2 stops maintenance and its placebo": (
        "loading and maintenance", GIVEN + _reduce(-2), None, 0,
        {"act": [("140 mg", "given"), ("70 mg", "stopped"), ("70 mg", "stopped")],
         "pbo": [("placebo", "given"), ("placebo", "stopped"), ("placebo", "stopped")]}),
    # Level -1 of each course: the loading course's is 1.5 mg/kg, the maintenance's 0.5.
    "per course: -1 of each course": (
        "loading and maintenance", _reduce(-1), None, 0,
        {"act": [("140 mg", "planned"), ("35 mg", "planned"), ("35 mg", "planned")],
         "pbo": [("placebo", "planned"), ("placebo", "planned"), ("placebo", "planned")]}),
    # -2 stops the high arm (lowest -1) and is a dose of the low arm: refused blinded.
    "dose-ranging: -2 stops one arm only": (
        "dose-ranging", _reduce(-2), None, 2,
        {"hi": [("140 mg", "planned"), ("140 mg", "stopped"), ("140 mg", "stopped")],
         "lo": [("70 mg", "planned"), ("17.5 mg", "planned"), ("17.5 mg", "planned")],
         "pbo": [("placebo", "planned"), ("placebo", "planned"), ("placebo", "planned")]}),
    # -3 is below the lowest level of both active arms: every arm stops alike.
    "dose-ranging: -3 stops every arm": (
        "dose-ranging", _reduce(-3), None, 0,
        {"hi": [("140 mg", "planned"), ("140 mg", "stopped"), ("140 mg", "stopped")],
         "lo": [("70 mg", "planned"), ("70 mg", "stopped"), ("70 mg", "stopped")],
         "pbo": [("placebo", "planned"), ("placebo", "stopped"), ("placebo", "stopped")]}),
    # --level -2: the high arm does not declare it: refused on every arm.
    "dose-ranging: --level -2": ("dose-ranging", "", "-2", 2, {}),
    # The open-label placebo takes no level: -1 never stops it (was: stopped).
    "open-label placebo: -1 stops nothing": (
        "open-label after blinded", GIVEN + _reduce(-1), None, 0,
        {"act": [("70 mg", "given"), ("56 mg", "planned"), ("56 mg", "planned"),
                 ("56 mg", "planned")],
         "pbo": [("placebo", "given"), ("placebo", "planned"), ("placebo", "planned"),
                 ("placebo", "planned")]}),
    # -2 stops the blinded course and its placebo; the extension's courses are not the
    # blinded ones (was: the extension's placebo, equal by value, stopped too).
    "identical placebo: the extension's is open-label": (
        "identical placebo in two periods", GIVEN + _reduce(-2), None, 0,
        {"act": [("70 mg", "given"), ("70 mg", "stopped"), ("42 mg", "planned"),
                 ("42 mg", "planned")],
         "pbo": [("placebo", "given"), ("placebo", "stopped"), ("placebo", "planned"),
                 ("placebo", "planned")]}),
    # --level -1 on the placebo arm: accepted as on the active arm (was: refused there).
    "--level -1 on the placebo arm": (
        "one course", "", "-1", 0,
        {"act": [("56 mg", "planned"), ("56 mg", "planned"), ("56 mg", "planned")],
         "pbo": [("placebo", "planned"), ("placebo", "planned"), ("placebo", "planned")]}),
    # --level -1 and a reduce row to -2 (below the lowest): both arms stop alike.
    "--level -1, then below the lowest": (
        "one course", _reduce(-2), "-1", 0,
        {"act": [("56 mg", "planned"), ("56 mg", "stopped"), ("56 mg", "stopped")],
         "pbo": [("placebo", "planned"), ("placebo", "stopped"), ("placebo", "stopped")]}),
}


def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, arm: str,
         extra: list[str]) -> tuple[int, bytes | None, str, str]:
    shape, rows, level, _, _ = CASES[case]
    (tmp_path / "r.yaml").write_text(SHAPES[shape][0], encoding="utf-8")
    args = ["expand", str(tmp_path / "r.yaml"), "--arm", arm, "--start", "2027-01-04",
            "--weight", "70 kg", *extra]
    if rows:
        (tmp_path / "R.csv").write_text(HEAD + rows, encoding="utf-8")
        args += ["--record", str(tmp_path / "R.csv")]
    if level is not None:
        args += ["--level", f"mab={level}"]
    out = tmp_path / f"{arm}.out"
    out.unlink(missing_ok=True)
    code = main([*args, "-o", str(out)])
    got = capsys.readouterr()
    return code, out.read_bytes() if out.exists() else None, got.out, got.err


BLINDED_FORMATS = [["--format", "ics", "--blinded", "--stamp", "2027-01-01T00:00:00Z"],
                   ["--format", "ics", "--stamp", "2027-01-01T00:00:00Z"],
                   ["--format", "calendar", "--blinded"], ["--format", "html", "--blinded"]]


@pytest.mark.parametrize("how", BLINDED_FORMATS, ids=lambda h: " ".join(h[:3]))
@pytest.mark.parametrize("case", list(CASES))
def test_a_blinded_output_is_the_same_on_every_arm(
        case: str, how: list[str], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    shape, _, _, status, _ = CASES[case]
    if shape in ("open-label after blinded", "identical placebo in two periods") and (
            "--blinded" not in how):
        pytest.skip("the open-label period is shown unblinded: it names the arm by design")
    got = {arm: _run(tmp_path, capsys, case, arm, how) for arm in SHAPES[shape][1]}
    first = got[SHAPES[shape][1][0]]
    assert first[0] == status
    for arm, each in got.items():
        assert each == first, arm
    if status:
        assert first[1] is None  # nothing written
        assert first[3].count("\n") == 1  # the refusal alone


def test_the_refusal_names_the_row_and_points_to_unblinded(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _, err = _run(tmp_path, capsys, "dose-ranging: -2 stops one arm only", "pbo",
                           BLINDED_FORMATS[0])
    assert code == 2
    assert err == (
        f"{tmp_path / 'R.csv'}:2: level: the arms' courses of mab in blinded "
        "period treatment take dose level -2 differently (course 1 (arm hi) stops it (its "
        "lowest level is -1); course 2 (arm lo) gives dose level -2): any blinded output "
        "would tell the arm, so the row is refused on every arm; replay it unblinded "
        "(--unblinded, or --format table, json or csv) to follow each arm's own levels "
        "(got 'dose level -2')\n")


def test_level_refused_alike_names_every_arms_course(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _, err = _run(tmp_path, capsys, "dose-ranging: --level -2", "lo", [])
    assert code == 2
    assert err == (
        "regimens: --level: dose level -2 is not declared for mab by every arm's course "
        "of blinded period treatment (the level is chosen without knowing the arm: it "
        "must be one of every arm's course there; arm hi: declared 0, -1); undeclared "
        "levels are refused, never guessed (got -2)\n")


def _expand(case: str, arm: str) -> regimens.Schedule:
    shape, rows, level, _, _ = CASES[case]
    regimen = regimens.loads(SHAPES[shape][0], "r.yaml")
    record = regimens.read_record(HEAD + rows, name="R.csv") if rows else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        return regimen.expand(arm, date(2027, 1, 4), regimens.Participant(weight="70 kg"),
                              record=record,
                              levels=None if level is None else {"mab": int(level)})


@pytest.mark.parametrize("case", [c for c in CASES if CASES[c][4]])
def test_unblinded_each_arm_follows_its_own_levels(case: str) -> None:
    for arm, expected in CASES[case][4].items():
        got = _expand(case, arm)
        assert [(a.dose.text, a.status.value) for a in got.administrations] == expected, arm


def test_the_api_refuses_every_blinded_output_of_a_row_taken_differently() -> None:
    case = "dose-ranging: -2 stops one arm only"
    said = set()
    for arm in ("hi", "lo", "pbo"):
        schedule = _expand(case, arm)
        schedule.to_ics(stamp=STAMP, blinded=False)  # unblinded: each arm's own
        for output in (lambda s: s.to_ics(stamp=STAMP), lambda s: s.to_calendar(),
                       lambda s: s.to_html(blinded=True), lambda s: s.to_diary()):
            with pytest.raises(regimens.InvalidRecordError) as exc:
                output(schedule)
            assert [p.code for p in exc.value.problems] == ["blinded-levels-differ"]
            said.add(str(exc.value))
    assert len(said) == 1


def test_the_summary_says_the_drug_stops_by_the_courses_own_levels() -> None:
    # The loading course declares -2, the maintenance course does not: the row stops
    # the maintenance doses, and the summary says so with the maintenance's lowest (-1).
    summary = _expand("per course: -2 stops maintenance and its placebo", "act").to_table()
    assert ("mab: dose level -2 from 2027-01-20 (line 3): toxicity; below the lowest "
            "declared level (-1): demo-mab stops from then on (2 doses stopped)") in summary


def test_a_level_between_a_course_s_levels_is_refused_naming_the_course() -> None:
    # Was: a KeyError traceback (the row's level is another course's, between two of
    # this course's levels: no dose, no stop).
    regimen = regimens.loads(
        TOP + "arms: {act: {label: Active}}\nperiods:\n  - id: treatment\n"
        "    length: 12 weeks\n    courses:\n"
        "      - {id: load, drug: mab, dose: 2 mg/kg, levels: {-1: 1.5 mg/kg, -3: 1 mg/kg}, "
        "days: [1, 29]}\n"
        "      - {id: maint, drug: mab, dose: 1 mg/kg, levels: {-2: 0.5 mg/kg}, "
        "days: [29, 57]}\n", "gap.yaml")
    record = regimens.read_record(HEAD + _reduce(-2), name="R.csv")
    with pytest.raises(regimens.InvalidRecordError) as exc:
        regimen.expand("act", date(2027, 1, 4), regimens.Participant(weight="70 kg"),
                       record=record)
    assert str(exc.value.problems[0]) == (
        "R.csv:2: level: dose level -2 is not declared for mab by course load of period "
        "treatment (declared: 0, -1, -3); undeclared levels are refused (got -2)")
    assert [p.code for p in exc.value.problems] == ["undeclared-level"]
