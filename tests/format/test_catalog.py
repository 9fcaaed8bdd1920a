"""The shipped catalogue: five reference protocols, loadable by id, arithmetic checked.

Dates and counts below are worked out by hand from the protocols (see
docs/protocols/<id>.md), not read back from the engine.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, timedelta

import pytest

import regimens
from regimens.cli import main

REQUIRED_ARMS = {
    "nct04055623": {"active", "placebo", "ole-only"},
    "nct04952155": {"il2"},
    "imodals": {"il2-1miu", "il2-2miu", "placebo"},
    "nct01884571": {"immunosuppression"},
    "mirocals": {"il2", "placebo"},
}
START = date(2027, 1, 4)  # a Monday
REFERENCE = regimens.Participant(weight="70 kg", bsa="1.8 m2")


def _days(schedule: regimens.Schedule, drug: str) -> list[int]:
    return [a.study_day.value for a in schedule.administrations if a.drug == drug]


def test_catalogue_holds_the_five_protocols() -> None:
    assert set(REQUIRED_ARMS) <= set(regimens.catalog_ids())


@pytest.mark.parametrize("regimen_id", sorted(REQUIRED_ARMS))
def test_entry_loads_with_required_arms_and_sources(regimen_id: str) -> None:
    regimen = regimens.load(regimen_id)
    assert regimen.id == regimen_id
    assert regimen.registry.lower() in {regimen_id, "nct02059759", "nct03039673"}
    assert REQUIRED_ARMS[regimen_id] <= {a.id for a in regimen.arms}
    # Every entry records its sources, with a confidence, and its own arithmetic.
    assert regimen.sources
    confidences = {dict(s).get("confidence") for s in regimen.sources if not isinstance(s, str)}
    assert "verified" in confidences
    assert regimen.expect


@pytest.mark.parametrize("regimen_id", sorted(REQUIRED_ARMS))
def test_check_passes_api(regimen_id: str) -> None:
    report = regimens.load(regimen_id).check()
    assert report.ok, report.to_text()
    assert report.results


@pytest.mark.parametrize("regimen_id", sorted(REQUIRED_ARMS))
def test_check_passes_cli(regimen_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", regimen_id]) == 0
    out = capsys.readouterr().out
    # "All 3 expectations hold." or, for a single one, "1 expectation holds."
    assert re.search(r"\n(All [0-9]+ expectations hold|1 expectation holds)\.\n", out)
    assert "FAIL" not in out


def test_check_passes_as_a_process() -> None:
    for regimen_id in sorted(REQUIRED_ARMS):
        done = subprocess.run([sys.executable, "-m", "regimens", "check", regimen_id],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr


def test_catalog_command_lists_entries_and_arms(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "--format", "json"]) == 0
    entries = {e["id"]: e for e in json.loads(capsys.readouterr().out)}
    for regimen_id, arms in REQUIRED_ARMS.items():
        assert arms <= set(entries[regimen_id]["arms"])
    assert main(["catalog"]) == 0
    table = capsys.readouterr().out
    for regimen_id in REQUIRED_ARMS:
        assert regimen_id in table


def test_expand_mirocals_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["expand", "mirocals", "--arm", "il2", "--start", "2027-01-04"]) == 0
    out = capsys.readouterr().out
    assert "Study Day 1: Mon 2027-01-04" in out
    assert "2 million units" in out
    assert "MIU" not in out
    assert main(["expand", "mirocals", "--arm", "il2", "--start", "2027-01-04",
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    il2 = [a for a in data["administrations"] if a["drug"] == "il2"]
    assert len(il2) == 95
    assert il2[0] == {**il2[0], "study_day": 1, "date": "2027-01-04", "amount": "2",
                      "unit": "MIU"}


# MIROCALS ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("run_in", "first"), [(None, -84), ("12 weeks", -84),
                                               ("13 weeks", -91), ("18 weeks", -126)])
def test_mirocals_run_in_days_are_negative(run_in: str | None, first: int) -> None:
    regimen = regimens.load("mirocals")
    lengths = {"run-in": run_in} if run_in else None
    schedule = regimen.expand("il2", START, lengths=lengths)
    riluzole = _days(schedule, "riluzole")
    run_in_days = [a.study_day.value for a in schedule.administrations if a.period == "run-in"]
    assert run_in_days == list(range(first, 0))
    assert riluzole[0] == first
    assert 0 not in riluzole  # no Day 0: Day -1 is followed by Day 1
    assert riluzole[-first - 1:-first + 1] == [-1, 1]
    # Calendar dates: Day -1 is the eve of Day 1, Day first is |first| days before it.
    by_day = {a.study_day.value: a.date for a in schedule.administrations}
    assert by_day[-1] == START - timedelta(days=1)
    assert by_day[first] == START - timedelta(days=-first)


def test_mirocals_run_in_outside_12_to_18_weeks_is_refused() -> None:
    regimen = regimens.load("mirocals")
    for bad in ("11 weeks", "19 weeks"):
        with pytest.raises(regimens.ExpandOptionError):
            regimen.expand("il2", START, lengths={"run-in": bad})


def test_mirocals_cycles_by_hand() -> None:
    schedule = regimens.load("mirocals").expand("il2", START)
    days = _days(schedule, "il2")
    starts = [1 + 28 * k for k in range(19)]
    assert starts[-1] == 505
    assert days == [s + d for s in starts for d in range(5)]
    assert len(days) == 95
    assert days[-1] == 509
    il2 = [a for a in schedule.administrations if a.drug == "il2"]
    assert {a.dose.text for a in il2} == {"2 million units"}
    assert sum(a.dose.amount.magnitude for a in il2 if a.dose.amount) == 190
    assert il2[-1].date == START + timedelta(days=508)
    assert all(a.blinded for a in il2)


def test_mirocals_placebo_has_the_same_days_and_no_drug() -> None:
    regimen = regimens.load("mirocals")
    active = regimen.expand("il2", START)
    placebo = regimen.expand("placebo", START)
    assert _days(placebo, "il2") == _days(active, "il2")
    assert all(a.placebo and a.dose.amount is None
               for a in placebo.administrations if a.drug == "il2")


def test_mirocals_riluzole_dose_is_not_invented() -> None:
    schedule = regimens.load("mirocals").expand("il2", START)
    riluzole = [a for a in schedule.administrations if a.drug == "riluzole"]
    assert riluzole
    assert all(a.dose.amount is None for a in riluzole)
    assert all("not verified" in a.note for a in riluzole)
    assert _days(schedule, "riluzole")[-1] == 546  # to the end of 78 weeks of treatment


def test_mirocals_visits() -> None:
    schedule = regimens.load("mirocals").expand("il2", START, lengths={"run-in": "18 weeks"})
    visits = {v.id: v.study_day.value for v in schedule.visits}
    assert visits == {"lp1": -126, "lp2": -1, "randomisation": 1, "treatment-end": 546,
                      "survival-d640": 640}


# NCT04952155 ------------------------------------------------------------------------------


def test_nct04952155_injection_days_by_hand() -> None:
    schedule = regimens.load("nct04952155").expand("il2", START)
    days = _days(schedule, "il2")
    assert days[:9] == [1, 3, 5, 7, 9, 11, 13, 29, 31]
    assert days == [1 + 28 * k + 2 * i for k in range(6) for i in range(7)]
    assert len(days) == 42
    assert days[-1] == 153
    assert sum(a.dose.amount.magnitude for a in schedule.administrations if a.dose.amount) == 42
    assert [v.study_day.value for v in schedule.visits] == [1, 169, 337]
    assert [(p.id, p.first_day.value, p.last_day.value) for p in schedule.periods] == [
        ("treatment", 1, 168), ("follow-up", 169, 336)]


# IMODALS ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("arm", "total"), [("il2-1miu", 15), ("il2-2miu", 30), ("placebo", 0)])
def test_imodals_by_hand(arm: str, total: int) -> None:
    schedule = regimens.load("imodals").expand(arm, START)
    days = _days(schedule, "il2")
    assert days == [1, 2, 3, 4, 5, 29, 30, 31, 32, 33, 57, 58, 59, 60, 61]
    assert sum(a.dose.amount.magnitude for a in schedule.administrations
               if a.dose.amount) == total
    assert all(a.blinded for a in schedule.administrations)
    assert schedule.periods[-1].last_day.value == 61 + 15 * 7


# NCT01884571 ------------------------------------------------------------------------------


def test_nct01884571_by_hand() -> None:
    schedule = regimens.load("nct01884571").expand("immunosuppression", START)

    def doses(drug: str) -> list[tuple[int, str]]:
        return [(a.study_day.value, a.dose.text) for a in schedule.administrations
                if a.drug == drug]

    assert doses("basiliximab") == [(1, "20 mg"), (4, "20 mg")]
    assert doses("methylprednisolone") == [(1, "125 mg")]
    taper = doses("prednisone")
    assert taper == ([(d, "60 mg") for d in range(2, 8)] + [(d, "40 mg") for d in range(8, 15)]
                     + [(d, "20 mg") for d in range(15, 22)]
                     + [(d, "10 mg") for d in range(22, 29)])
    assert sum(int(t.split()[0]) for _, t in taper) == 850
    # Tacrolimus and mycophenolate: no invented dose, for 26 weeks ("6 months").
    for drug in ("tacrolimus", "mycophenolate"):
        given = [a for a in schedule.administrations if a.drug == drug]
        assert [a.study_day.value for a in given] == list(range(1, 183))
        assert all(a.dose.amount is None for a in given)
    assert "trough" in next(a.note for a in schedule.administrations if a.drug == "tacrolimus")


# NCT04055623 ------------------------------------------------------------------------------


def test_nct04055623_treg_days_and_doses_for_70_kg() -> None:
    regimen = regimens.load("nct04055623")
    active = regimen.expand("active", START, REFERENCE)
    treg = [a for a in active.administrations if a.drug == "treg"]
    assert [a.study_day.value for a in treg] == [1, 29, 57, 85, 113, 141,
                                                 169, 197, 225, 253, 281, 309]
    million = [int(a.dose.amount.magnitude) // 10**6 for a in treg if a.dose.amount]
    assert million == [70] * 6 + [70, 70, 140, 140, 210, 210]
    assert sum(million) == 1260
    assert [a.period for a in treg] == ["rct"] * 6 + ["ole"] * 6

    placebo = regimen.expand("placebo", START, REFERENCE)
    treg = [a for a in placebo.administrations if a.drug == "treg"]
    assert [a.placebo for a in treg] == [True] * 6 + [False] * 6
    assert [a.study_day.value for a in treg][6:] == [169, 197, 225, 253, 281, 309]

    ole_only = regimen.expand("ole-only", START, REFERENCE)
    treg = [a for a in ole_only.administrations if a.drug == "treg"]
    assert [a.study_day.value for a in treg] == [1, 29, 57, 85, 113, 141]
    assert [a.dose.text for a in treg] == ["70 million cells"] * 2 + [
        "140 million cells"] * 2 + ["210 million cells"] * 2
    assert [p.id for p in ole_only.periods] == ["ole"]


@pytest.mark.parametrize("offset", range(7))
def test_nct04055623_il2_on_mon_wed_fri_only(offset: int) -> None:
    start = START + timedelta(days=offset)
    schedule = regimens.load("nct04055623").expand("active", start, REFERENCE)
    il2 = [a for a in schedule.administrations if a.drug == "il2"]
    assert {a.date.weekday() for a in il2} == {0, 2, 4}
    assert len(il2) == 144
    assert sum(1 for a in il2 if a.period == "rct") == 72
    assert {a.dose.text for a in il2} == {"360,000 units"}  # 2e5 IU/m2 x 1.8 m2
    assert sum(a.dose.amount.magnitude for a in il2 if a.dose.amount) == 51_840_000


def test_nct04055623_ole_starts_at_week_24() -> None:
    schedule = regimens.load("nct04055623").expand("placebo", START, REFERENCE)
    assert [(p.id, p.first_day.value, p.last_day.value) for p in schedule.periods] == [
        ("rct", 1, 168), ("ole", 169, 336)]
    assert schedule.periods[1].first_date == START + timedelta(weeks=24)
