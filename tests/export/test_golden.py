"""Golden outputs for examples/imodals.yaml, each arm, one fixed participant.

Regenerate only with ``python tests/export/golden/update.py``, then read the diff and check
dates and counts by hand: the tests never write a golden file, so no setting can make them
bless whatever the code produced. The hand checks below pin the facts the
golden files must show whatever their layout.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"

_spec = importlib.util.spec_from_file_location("golden_update", GOLDEN / "update.py")
assert _spec is not None
assert _spec.loader is not None
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)

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
