"""The replay with dose changes: reductions, new measurements, cumulative limits, summary.

Amounts by hand: doxorubicin 60 mg/m2 x 1.8 m2 = 108 mg (level -1: 48 mg/m2 x 1.8 = 86.4 mg),
every 21 days from Monday 2027-01-04 (cycle n on 2027-01-04 + 21 (n - 1) days).
"""

from __future__ import annotations

import json
import warnings

import pytest

import regimens
from regimens import AdministrationStatus, Participant, read_record

REGIMEN = regimens.loads("""\
format: regimens/1
id: ac
title: AC
drugs:
  dox: {name: doxorubicin, route: intravenous, levels: {-1: 48 mg/m2, -2: 36 mg/m2},
        max_cumulative: 450 mg/m2}
  mab: {name: demo-mab, route: intravenous}
arms:
  x: {label: X}
periods:
  - id: t
    length: 24 weeks
    courses:
      - {drug: dox, dose: 60 mg/m2, cycle: 21 days, cycles: 8, days: [1]}
      - {drug: mab, dose: 10 mg/kg, cycle: 21 days, cycles: 8, days: [1]}
""", "ac.yaml")
PERSON = Participant(weight="70 kg", height="170 cm", bsa="1.8 m2")
HEADER = "date,event,drug,cycle,day,amount,level,reason\n"
GIVEN_TWICE = "2027-01-04,given,dox,,,,,\n2027-01-25,given,dox,,,,,\n"


def expand(rows: str, person: Participant = PERSON) -> regimens.Schedule:
    record = read_record(HEADER + rows, name="P-017.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.CumulativeDoseWarning)
        return REGIMEN.expand("x", "2027-01-04", person, record=record)


def dox(schedule: regimens.Schedule) -> list[regimens.Administration]:
    return [a for a in schedule.administrations if a.drug == "dox"]


def test_a_reduction_changes_the_planned_doses_and_keeps_the_plan_beside_them() -> None:
    schedule = expand(GIVEN_TWICE + "2027-02-10,reduce,dox,,,,-1,neutropenia grade 4\n")
    doses = dox(schedule)
    assert [a.dose.text for a in doses] == ["108 mg"] * 2 + ["86.4 mg"] * 6
    assert [a.status for a in doses] == [AdministrationStatus.GIVEN] * 2 + [
        AdministrationStatus.PLANNED] * 6
    third = doses[2]
    assert third.planned_dose is not None
    assert third.planned_dose.text == "108 mg"
    assert "dose level -1 from 2027-02-10 (record line 4)" in third.record_note
    assert schedule.replayed is not None
    assert ("2027-02-10 reduce (line 4): doxorubicin: dose level -1 from 2027-02-10 (line 4): "
            "neutropenia grade 4") in schedule.replayed.changes
    # 2 x 60 + 6 x 48 = 408 mg/m2: under max_cumulative 450 mg/m2, no warning.
    assert not [w for w in schedule.warnings if isinstance(w, regimens.CumulativeDoseWarning)]


def test_the_administration_that_would_cross_max_cumulative_is_flagged() -> None:
    # 8 x 60 mg/m2 = 480 > 450: the 8th, on 2027-01-04 + 147 days = 2027-05-31.
    schedule = expand(GIVEN_TWICE)
    (warning,) = [w for w in schedule.warnings if isinstance(w, regimens.CumulativeDoseWarning)]
    assert str(warning) == (
        "dox (doxorubicin): the administration planned on 2027-05-31 (cycle 8, day 1) would "
        "bring the cumulative dose to 480 mg per m², above max_cumulative 450 mg per m² "
        "(420 mg per m² before it); review before giving it")
    last = dox(schedule)[-1]
    assert last.date.isoformat() == "2027-05-31"
    assert str(warning) in last.record_note


def test_a_reduction_below_the_lowest_level_stops_the_drug() -> None:
    schedule = expand(GIVEN_TWICE + "2027-02-10,reduce,dox,,,,-3,cardiotoxicity\n")
    assert [a.status.value for a in dox(schedule)] == ["given"] * 2 + ["stopped"] * 6
    assert [a.status.value for a in schedule.administrations if a.drug == "mab"] == [
        "planned"] * 8


def test_a_new_weight_recomputes_later_doses() -> None:
    # 10 mg/kg: 700 mg; from 2027-02-10, 60 kg: 600 mg (cycles 3 to 8).
    schedule = expand("2027-02-10,measure,,,,60 kg,,\n",
                      Participant(weight="70 kg", height="170 cm"))
    mab = [a for a in schedule.administrations if a.drug == "mab"]
    assert [a.dose.text for a in mab] == ["700 mg"] * 2 + ["600 mg"] * 6
    assert "recomputed from weight 60 kg (measured 2027-02-10, record line 2)" in (
        mab[2].record_note)


def test_the_summary_in_json_and_in_the_table() -> None:
    schedule = expand(GIVEN_TWICE + "2027-02-10,reduce,dox,,,,-1,neutropenia grade 4\n")
    data = json.loads(schedule.to_json())
    (drug, mab) = data["summary"]["drugs"]
    assert (drug["drug"], drug["given"], drug["planned"]) == ("dox", 2, 6)
    # Given 2 x 108 = 216 mg; the plan 8 x 108 = 864 mg; now planned 6 x 86.4 more.
    assert drug["given_total"] == [{"amount": "216", "unit": "mg"}]
    assert drug["planned_total"] == [{"amount": "864", "unit": "mg"}]
    # 216 mg over 21 + 21 = 42 days against 864 mg over 147 + 21 = 168 days: 100%, on time;
    # 25% of the protocol's total delivered so far.
    assert drug["rdi"]["protocol"]["percent"] == "100.0"
    assert drug["rdi"]["protocol"]["delivered_over_planned"] == "25.0"
    assert drug["rdi"]["cycles_started"]["delivered_over_planned"] == "100.0"
    assert (mab["given"], mab["planned"]) == (0, 8)
    # The RDI is in the dose's own basis (doxorubicin 60 mg/m2: each amount over the BSA
    # it was computed from; mab 10 mg/kg: over the weight); both outputs say so.
    assert (drug["rdi"]["basis"], drug["rdi"]["dose_basis"]) == ("per_m2", "per_m2")
    assert (mab["rdi"]["basis"], mab["rdi"]["dose_basis"]) == ("per_kg", "per_kg")
    table = schedule.to_table()
    assert ("(first to last dose + one 21-day cycle; each amount over the BSA it was computed "
            "from; the totals above and their percentages are absolute amounts)") in table
    assert data["summary"]["reductions"] == [
        "dox: dose level -1 from 2027-02-10 (line 4): neutropenia grade 4"]
    table = schedule.to_table()
    assert "Record P-017.csv:\n  doxorubicin (dox): 2 given, 6 planned" in table
    assert "relative dose intensity per m² 100.0% (>= 85%) against the protocol" in table


def test_a_re_escalation_the_policy_forbids_is_an_error() -> None:
    rows = "2027-02-10,reduce,dox,,,,-1,\n2027-03-20,reduce,dox,,,,0,recovered\n"
    with pytest.raises(regimens.InvalidRegimenError) as exc:
        expand(rows)
    assert [p.code for p in exc.value.problems] == ["re-escalation"]
