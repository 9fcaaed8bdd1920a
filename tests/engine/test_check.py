"""Regimen arithmetic (counts, totals, intensity) and the protocol's own ``expect``."""

from __future__ import annotations

from pathlib import Path

import pytest

import regimens
from regimens.cli import main
from support import HEAD, IMODALS, load, text


@pytest.fixture(scope="module")
def imodals() -> regimens.CheckReport:
    return regimens.load(IMODALS).check()


def test_imodals_summaries(imodals: regimens.CheckReport) -> None:
    # 3 cycles x 5 days = 15 doses; 15 x 1 million units; over 3 x 28 = 84 days = 12 weeks,
    # 15 / 12 = 1.25 million units per week (2 million units/day arm: 30 and 2.5).
    rows = [(s.arm, s.drug, s.count_text(), s.total_text(), s.intensity_text(), s.span_days,
             s.first_day, s.last_day) for s in imodals.summaries]
    assert rows == [
        ("il2-1miu", "il2", "15", "15 million units", "1.25 million units", 84, 1, 61),
        ("il2-2miu", "il2", "15", "30 million units", "2.5 million units", 84, 1, 61),
        ("placebo", "il2", "15", "none (placebo)", "-", 84, 1, 61),
    ]
    assert imodals.ok


def test_imodals_expectations(imodals: regimens.CheckReport) -> None:
    assert [str(r) for r in imodals.results] == [
        "PASS  il2-1miu / il2: administrations 15; total 15 million units",
        "PASS  il2-2miu / il2: administrations 15; total 30 million units",
        "PASS  placebo / il2: administrations 15",
    ]
    assert imodals.to_text().endswith("\nAll 3 expectations hold.\n")


def test_imodals_json(imodals: regimens.CheckReport) -> None:
    data = imodals.to_dict()
    first = data["summaries"][0]
    assert first["totals"] == [{"amount": "15", "unit": "MIU", "basis": "flat",
                                "text": "15 million units"}]
    assert first["intensity_per_week"] == [{"amount": "1.25", "unit": "MIU", "basis": "flat"}]
    assert (first["administrations_min"], first["administrations_max"]) == (15, 15)
    assert data["ok"] is True


# 10 days of Mondays: 2 Mondays when Day 1 is a Monday (Days 1 and 8), otherwise 1.
WEEKDAY = """\
periods:
  - id: t
    length: 10 days
    courses:
      - {drug: pred, dose: 5 mg, weekdays: [mon]}
"""


def test_weekday_dependent_count_is_a_range() -> None:
    report = load(WEEKDAY).check()
    s = report.summaries[0]
    assert (s.arm, s.drug) == ("a", "pred")
    assert s.administrations == (1, 2)
    assert s.count_text() == "1 to 2"
    assert "with Study Day 1 on each weekday where a course uses weekdays" in report.conditions


@pytest.mark.parametrize(
    ("expect", "passed", "message"),
    [
        ("{arm: a, drug: pred, administrations: 2}", False,
         "FAIL  a / pred: expected administrations 2, found 2 or 1 (varies with the start "
         "weekday: give 'start')"),
        # 2027-01-04 is a Monday: Days 1 and 8.
        ("{arm: a, drug: pred, administrations: 2, start: 2027-01-04}", True,
         "PASS  a / pred: administrations 2"),
        # 2027-01-05 is a Tuesday: the only Monday is Day 7.
        ("{arm: a, drug: pred, administrations: 1, first_day: 7, start: 2027-01-05}", True,
         "PASS  a / pred: administrations 1; first on Day 7"),
        ("{arm: a, drug: pred, total: 10 mg, start: 2027-01-04}", True,
         "PASS  a / pred: total 10 mg"),
        ("{arm: a, drug: pred, total: 0.01 g, start: 2027-01-04}", True,
         "PASS  a / pred: total 0.01 g"),
        ("{arm: a, drug: pred, total: 15 mg, start: 2027-01-04}", False,
         "FAIL  a / pred: expected total 15 mg, found 10 mg"),
        ("{arm: a, drug: pred, last_day: 9, start: 2027-01-04}", False,
         "FAIL  a / pred: expected last on Day 9, found 8"),
    ],
    ids=["varies", "monday", "tuesday", "total", "total-in-g", "total-wrong", "last-day"],
)
def test_expectation_messages(expect: str, passed: bool, message: str) -> None:
    report = load(WEEKDAY + f"expect:\n  - {expect}\n").check()
    (result,) = report.results
    assert result.passed is passed
    assert str(result) == message
    assert report.ok is passed


TREG = """\
periods:
  - id: t
    length: 2 weeks
    courses:
      - {drug: treg, dose: 1e6 cells/kg, days: [1, 8]}
"""


@pytest.mark.parametrize(
    ("expect", "passed", "message"),
    [
        ("{arm: a, drug: treg, total: 2e6 cells/kg}", True,
         "PASS  a / treg: total 2 million cells per kg"),
        ("{arm: a, drug: treg, total: 140e6 cells, weight: 70 kg}", True,
         "PASS  a / treg: total 140 million cells for weight 70 kg"),
        ("{arm: a, drug: treg, total: 140e6 cells}", False,
         "FAIL  a / treg: expected total 140 million cells, found per-kg or per-m² doses, which "
         "need a reference participant to total (give weight, height or bsa)"),
    ],
    ids=["per-kg", "absolute-with-weight", "absolute-without-weight"],
)
def test_relative_totals(expect: str, passed: bool, message: str) -> None:
    (result,) = load(TREG + f"expect:\n  - {expect}\n").check().results
    assert (result.passed, str(result)) == (passed, message)


def test_relative_summary() -> None:
    s = load(TREG).check().summaries[0]
    # 2 million cells per kg over 14 days: 1 million cells per kg per week.
    assert (s.total_text(), s.intensity_text()) == ("2 million cells per kg",
                                                    "1 million cells per kg")


def test_taper_arithmetic() -> None:
    body = ("periods:\n  - id: t\n    length: 4 weeks\n    courses:\n      - drug: pred\n"
            "        steps:\n          - {dose: 60 mg, days: 2-7}\n"
            "          - {dose: 40 mg, days: 8-14}\n          - {dose: 20 mg, days: 15-21}\n"
            "          - {dose: 10 mg, days: 22-28}\n"
            "expect:\n  - {arm: a, drug: pred, administrations: 27, total: 850 mg, first_day: 2, "
            "last_day: 28}\n")
    report = load(body).check()
    assert [str(r) for r in report.results] == [
        "PASS  a / pred: administrations 27; first on Day 2; last on Day 28; total 850 mg"]
    # 850 mg over 28 days = 212.5 mg per week.
    assert report.summaries[0].intensity_text() == "212.5 mg"


def test_cli_check_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(text(WEEKDAY + "expect:\n  - {arm: a, drug: pred, administrations: 2, "
                                   "start: 2027-01-04}\n"), encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text(WEEKDAY + "expect:\n  - {arm: a, drug: pred, administrations: 3, "
                                  "start: 2027-01-04}\n"), encoding="utf-8")
    assert main(["check", str(good)]) == 0
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "FAIL  a / pred: expected administrations 3, found 2" in out
    assert out.endswith("1 of 1 expectation fails.\n")  # singular noun and verb
    assert main(["check", str(IMODALS)]) == 0


def test_cli_check_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["check", str(IMODALS), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["regimen"] == "imodals-example"
    assert [e["passed"] for e in data["expectations"]] == [True, True, True]


def test_totals_add_up_across_units_of_one_dimension() -> None:
    # 500 mg + 1 g of one drug is one total of 1,500 mg (in the first dose's unit).
    body = ("periods:\n  - id: t\n    length: 1 week\n    courses:\n"
            "      - {drug: pred, dose: 500 mg, days: [1]}\n"
            "      - {drug: pred, dose: 1 g, days: [2]}\n"
            "expect:\n  - {arm: a, drug: pred, total: 1.5 g}\n")
    report = regimens.loads(HEAD + body, "r.yaml").check()
    (summary,) = [s for s in report.summaries if s.arm == "a"]
    assert summary.total_text() == "1,500 mg"
    assert report.ok


def test_totals_and_days_cover_every_length_evaluated() -> None:
    # 5 mg daily through a 2-4 week run-in before Study Day 1: 14 to 28 doses, 70 to 140 mg,
    # starting on Day -14 (shortest) or Day -28 (longest).
    body = ("day_one: t\n"
            "periods:\n  - id: r\n    length: 2-4 weeks\n    courses:\n"
            "      - {drug: pred, dose: 5 mg, daily: true}\n"
            "  - id: t\n    length: 1 week\n")
    report = regimens.loads(HEAD + body, "r.yaml").check()
    (summary,) = [s for s in report.summaries if s.arm == "a"]
    assert summary.count_text() == "14 to 28"
    assert summary.total_text() == "70 mg to 140 mg"
    assert (summary.first_day, summary.last_day) == (-28, -1)


ROUNDED = """\
periods:
  - id: t
    length: 3 weeks
    courses:
      - {drug: pred, dose: 1 mg/kg, round: 50 mg, days: [1, 8, 15]}
      - {drug: treg, dose: 1 mg/kg, round: 50 mg, arms: [a], days: [1]}
"""


def test_the_participants_warnings_are_in_the_report_once() -> None:
    # 70 kg: 1 mg/kg is 70 mg, rounded to 50 mg (28.6% off, more than 10%), for each drug;
    # 70 kg at 50 cm: a body-mass index of 70 / 0.5² = 280 kg/m².
    report = load(ROUNDED).check(regimens.Participant(weight="70 kg", height="50 cm"))
    assert [str(w) for w in report.warnings] == [
        "rounding to a multiple of 50 mg moves the dose from 70 mg to 50 mg (more than 10%); "
        "use a smaller 'round' increment",
        "weight and height give a body-mass index of 280 kg/m², outside 10 to 80; check both "
        "measurements and their units"]
    assert load(ROUNDED).check().warnings == ()


#: A ranged period in each place whose assumed length ``expand`` warns about (before
#: day_one, day_one itself with a period after it, after day_one with a visit at its end),
#: each with a dose of 1 mg/kg rounded to 50 mg: for 70 kg, 70 mg moved to 50 mg (28.6%,
#: more than 10%), the one warning of the participant.
RANGED_PLACES = {
    "run-in before day_one": """\
        day_one: t
        periods:
          - id: r
            length: 2-4 weeks
            courses:
              - {drug: pred, dose: 1 mg/kg, round: 50 mg, days: [1]}
          - id: t
            length: 1 week
        """,
    "day_one's own period, a period after it": """\
        day_one: t
        periods:
          - id: t
            length: 4-6 weeks
            courses:
              - {drug: pred, dose: 1 mg/kg, round: 50 mg, every: 1 week}
          - id: f
            length: 2 weeks
            courses:
              - {drug: pred, dose: 5 mg, days: [1]}
        """,
    "follow-up with a visit at its end": """\
        day_one: t
        periods:
          - id: t
            length: 1 week
            courses:
              - {drug: pred, dose: 1 mg/kg, round: 50 mg, days: [1]}
          - id: f
            length: 2-4 weeks
        visits:
          - {id: end, label: end, period: f, at: end}
        """,
}
ROUNDING_70_KG = ("rounding to a multiple of 50 mg moves the dose from 70 mg to 50 mg (more "
                  "than 10%); use a smaller 'round' increment")


@pytest.mark.parametrize("body", RANGED_PLACES.values(), ids=list(RANGED_PLACES))
def test_check_warns_of_no_length_assumed_for_its_own_reference_start(body: str) -> None:
    # check evaluates at the shortest lengths (and the longest where they vary), as its
    # report says, and places no date the user gave: expand's AnchorLengthWarning for
    # check's internal reference start (2001-01-01) named a --start never given, with a
    # fix (--length) check refuses without --record. The participant's other warnings stay.
    report = load(body).check(regimens.Participant(weight="70 kg"))
    assert [str(w) for w in report.warnings] == [ROUNDING_70_KG]
    assert not any(isinstance(w, regimens.AnchorLengthWarning) for w in report.warnings)


def test_check_of_a_catalogue_regimen_with_a_run_in_says_no_assumed_length() -> None:
    # MIROCALS: a run-in of 12-18 weeks before Study Day 1, flat doses (no rounding, no
    # body-mass index without a height): nothing of the participant's to say.
    assert regimens.load("mirocals").check(regimens.Participant(weight="70 kg")).warnings == ()
