"""Golden outputs for examples/imodals.yaml, each arm, one fixed participant.

Regenerate only with ``python tests/export/golden/update.py``, then read the diff and check
dates and counts by hand: the tests never write a golden file, so no setting can make them
bless whatever the code produced. The hand checks below pin the facts the
golden files must show whatever their layout.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from support.golden import load_script

GOLDEN = Path(__file__).resolve().parent / "golden"

golden = load_script(GOLDEN / "update.py", "golden_update")

CASES = [(arm, fmt) for arm in golden.ARMS for fmt in golden.FORMATS]

# Three 28-day cycles of days 1-5 from Monday 2027-01-04 (Feb 2027 has 28 days).
DOSE_DAYS = [1, 2, 3, 4, 5, 29, 30, 31, 32, 33, 57, 58, 59, 60, 61]
DOSE_DATES = ["2027-01-04", "2027-01-05", "2027-01-06", "2027-01-07", "2027-01-08",
              "2027-02-01", "2027-02-02", "2027-02-03", "2027-02-04", "2027-02-05",
              "2027-03-01", "2027-03-02", "2027-03-03", "2027-03-04", "2027-03-05"]
DOSE_TEXT = {"il2-1miu": "1 million units", "il2-2miu": "2 million units", "placebo": "placebo"}


@pytest.mark.parametrize(("arm", "fmt"), CASES)
def test_golden(arm: str, fmt: str) -> None:
    path = GOLDEN / golden.golden_name(arm, fmt)
    assert path.exists(), f"missing {path.name}: run python tests/export/golden/update.py"
    assert golden.render(arm, fmt).encode("utf-8") == path.read_bytes()


@pytest.mark.parametrize("variable", ["REGIMENS_UPDATE_GOLDEN", "UPDATE_GOLDEN", "CI"])
def test_golden_comparison_fails_whatever_the_environment(
        variable: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # A golden file that differs from the output fails, even with an update variable set
    # (the test used to write the file first and compare it with itself).
    monkeypatch.setenv(variable, "1")
    path = GOLDEN / golden.golden_name("placebo", "csv")
    before = path.read_bytes()
    monkeypatch.setattr(golden, "render", lambda arm, fmt: "changed\n")
    with pytest.raises(AssertionError):
        test_golden("placebo", "csv")
    assert path.read_bytes() == before


@pytest.mark.parametrize("arm", golden.ARMS)
def test_golden_json_by_hand(arm: str) -> None:
    data = json.loads((GOLDEN / golden.golden_name(arm, "json")).read_text(encoding="utf-8"))
    admins = data["administrations"]
    assert [a["study_day"] for a in admins] == DOSE_DAYS
    assert [a["date"] for a in admins] == DOSE_DATES
    assert [a["cycle"] for a in admins] == [1] * 5 + [2] * 5 + [3] * 5
    assert [a["cycle_day"] for a in admins] == [1, 2, 3, 4, 5] * 3
    assert {a["dose"] for a in admins} == {DOSE_TEXT[arm]}
    assert {a["placebo"] for a in admins} == {arm == "placebo"}
    # Treatment: 12 weeks = Days 1-84 (to 2027-03-28); follow-up 15 weeks = Days 85-189.
    assert [(p["id"], p["first_day"], p["last_day"], p["first_date"], p["last_date"])
            for p in data["periods"]] == [
        ("treatment", 1, 84, "2027-01-04", "2027-03-28"),
        ("follow-up", 85, 189, "2027-03-29", "2027-07-11")]
    # Week 12 is Day 85 (2027-03-29), window 7 days either side.
    assert [(v["id"], v["study_day"], v["date"], v["earliest"], v["latest"])
            for v in data["visits"]] == [
        ("baseline", 1, "2027-01-04", "2027-01-04", "2027-01-04"),
        ("w12", 85, "2027-03-29", "2027-03-22", "2027-04-05"),
        ("fu-end", 189, "2027-07-11", "2027-07-11", "2027-07-11")]
    assert data["participant"]["weight_kg"] == "70"
    assert data["participant"]["label"] == "P-017"
    # The dose sheet's totals: 15 administrations of 1 or 2 million units (15 or 30 MIU),
    # or 15 of placebo (no amount).
    (total,) = data["totals"]
    assert (total["drug"], total["administrations"], total["placebo"]) == (
        "il2", 15, 15 if arm == "placebo" else 0)
    assert total["amounts"] == {
        "il2-1miu": [{"amount": "15", "unit": "MIU", "text": "15 million units"}],
        "il2-2miu": [{"amount": "30", "unit": "MIU", "text": "30 million units"}],
        "placebo": []}[arm]
    assert (total["vials"], total["waste"]) == ([], None)


@pytest.mark.parametrize("arm", golden.ARMS)
def test_golden_csv_by_hand(arm: str) -> None:
    text = (GOLDEN / golden.golden_name(arm, "csv")).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["date"] for r in rows] == DOSE_DATES
    amounts = {"il2-1miu": {"1"}, "il2-2miu": {"2"}, "placebo": {""}}[arm]
    assert {r["amount"] for r in rows} == amounts


@pytest.mark.parametrize("arm", golden.ARMS)
def test_golden_table_and_calendar_by_hand(arm: str) -> None:
    table = (GOLDEN / golden.golden_name(arm, "table")).read_text(encoding="utf-8")
    calendar = (GOLDEN / golden.golden_name(arm, "calendar")).read_text(encoding="utf-8")
    assert "15 administrations" in table
    # Exactly 15 dose rows: 3 cycles x days 1-5 (Days 1-5, 29-33, 57-61), each with the dose.
    rows = [line for line in table.splitlines() if re.match(r"\s*-?\d+\s+\w{3} \d{4}-", line)
            and "treatment" in line]
    assert [int(line.split()[0]) for line in rows] == [*range(1, 6), *range(29, 34),
                                                       *range(57, 62)]
    assert all(DOSE_TEXT[arm] in line for line in rows)
    assert "15 administrations on 15 days; 3 visits" in calendar
    for forbidden in (r"\bIU\b", r"MIU", r"\bU\b", r"\d\.0\b"):
        assert not re.search(forbidden, table + calendar), forbidden


def test_blinded_calendar_does_not_reveal_placebo() -> None:
    calendar = golden.render("placebo", "calendar")
    assert "placebo" not in calendar.lower()
    # Every arm of the blinded, matched schedule gives the same page.
    assert golden.render("il2-1miu", "calendar") == calendar == golden.render("il2-2miu",
                                                                              "calendar")


# Format 1.1 timing (issue 12): a Day 0 protocol and cycles numbered on across courses.
TIMING_CASES = [(example, fmt) for example in golden.TIMING for fmt in golden.TIMING_FORMATS]


@pytest.mark.parametrize(("example", "fmt"), TIMING_CASES)
def test_timing_golden(example: str, fmt: str) -> None:
    path = GOLDEN / golden.timing_name(example, fmt)
    assert path.exists(), f"missing {path.name}: run python tests/export/golden/update.py"
    assert golden.render_timing(example, fmt).encode("utf-8") == path.read_bytes()


def test_day_zero_golden_by_hand() -> None:
    data = json.loads((GOLDEN / "car-t-day-zero.json").read_text(encoding="utf-8"))
    assert data["start"] == "2027-03-01"
    assert data["day_zero"] is True
    # Day 0 is the infusion, Monday 2027-03-01 (--start); lymphodepletion is the 5 days
    # before it, Days -5 to -1 (2027-02-24 to 2027-02-28: February 2027 has 28 days), with
    # fludarabine and cyclophosphamide on Days -5, -4 and -3.
    assert [(a["study_day"], a["date"], a["drug"]) for a in data["administrations"]] == [
        (-5, "2027-02-24", "flu"), (-5, "2027-02-24", "cy"), (-4, "2027-02-25", "flu"),
        (-4, "2027-02-25", "cy"), (-3, "2027-02-26", "flu"), (-3, "2027-02-26", "cy"),
        (0, "2027-03-01", "cart")]
    # 2 million cells per kg x 70 kg = 140 million; 30 mg/m2 x 1.84 m2 = 55.2 mg.
    assert [a["amount"] for a in data["administrations"]][-2:] == ["920", "140000000"]
    assert [(p["id"], p["first_day"], p["last_day"], p["first_date"], p["last_date"])
            for p in data["periods"]] == [
        ("lymphodepletion", -5, -1, "2027-02-24", "2027-02-28"),
        ("infusion", 0, 27, "2027-03-01", "2027-03-28"),
        ("follow-up", 28, 90, "2027-03-29", "2027-05-30")]
    # Week 4 is Day 28 with Day 0 (not Day 29); Day 90 is 2027-05-30 (March 31 + April 30
    # + 29 days of May after March 1).
    assert [(v["id"], v["study_day"], v["date"]) for v in data["visits"]] == [
        ("infusion-day", 0, "2027-03-01"), ("day-7", 7, "2027-03-08"),
        ("day-14", 14, "2027-03-15"), ("day-28", 28, "2027-03-29"),
        ("month-3", 90, "2027-05-30")]
    table = (GOLDEN / "car-t-day-zero.table.txt").read_text(encoding="utf-8")
    assert "Study Day 0: Mon 2027-03-01" in table
    calendar = (GOLDEN / "car-t-day-zero.calendar.txt").read_text(encoding="utf-8")
    assert "> Study Day 0" in calendar
    assert "> 1#" in calendar  # March 1: Day 0, a dose and a visit
    ics = (GOLDEN / "car-t-day-zero.ics").read_text(encoding="utf-8")
    assert "UID:car-t-day-zero.P-017.cart.day0@regimens" in ics
    rows = list(csv.DictReader(io.StringIO(
        (GOLDEN / "car-t-day-zero.csv").read_text(encoding="utf-8"))))
    assert [r["study_day"] for r in rows] == ["-5", "-5", "-4", "-4", "-3", "-3", "0"]


def test_first_cycle_golden_by_hand() -> None:
    data = json.loads((GOLDEN / "gemcitabine-weekly.json").read_text(encoding="utf-8"))
    admins = data["administrations"]
    # Cycle 1: weekly x7 from Monday 2027-01-04 (Days 1 to 43), a week off; then 28-day
    # cycles numbered 2, 3, 4 from Day 57 (2027-03-01), days 1, 8, 15 (20 weeks: 140 days).
    assert [a["study_day"] for a in admins] == [1, 8, 15, 22, 29, 36, 43, 57, 64, 71, 85, 92,
                                                99, 113, 120, 127]
    assert [a["cycle"] for a in admins] == [1] * 7 + [2] * 3 + [3] * 3 + [4] * 3
    assert [a["cycle_day"] for a in admins][7:] == [1, 8, 15] * 3
    assert admins[7]["date"] == "2027-03-01"
    assert {a["amount"] for a in admins} == {"1840"}  # 1,000 mg/m2 x 1.84 m2
    ics = (GOLDEN / "gemcitabine-weekly.ics").read_bytes().decode("utf-8").replace("\r\n ", "")
    assert "Study Day 57\\, cycle 2 day 1" in ics
    rows = list(csv.DictReader(io.StringIO(
        (GOLDEN / "gemcitabine-weekly.csv").read_text(encoding="utf-8"))))
    assert [r["cycle"] for r in rows][-3:] == ["4", "4", "4"]
