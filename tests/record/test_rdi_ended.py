"""RDI against the whole protocol for a treatment that ended with doses not given (issue
13, cold user's report, item 2): the actual time is at least the protocol's planned time.

By hand: doxorubicin 60 mg/m2 x 1.8 m2 = 108 mg every 21 days x 6 from Monday 2027-01-04
(cycle n on 2027-01-04 + 21 (n - 1) days); planned 6 x 108 = 648 mg over 2027-01-04 to
2027-04-19 (105 days) + 21 = 126 days.
"""

from __future__ import annotations

import json
import warnings
from datetime import date
from decimal import Decimal

import pytest

import regimens
from regimens import Participant, read_record
from regimens.record import DrugSummary, relative_dose_intensity
from support.records import RECORD_HEADER

REGIMEN = regimens.loads("""\
format: regimens/1
id: doxdoc
title: Doxorubicin
drugs:
  dox: {name: doxorubicin, route: intravenous, levels: {-1: 48 mg/m2}}
arms:
  a: {label: A}
periods:
  - id: treatment
    length: 18 weeks
    courses:
      - {drug: dox, dose: 60 mg/m2, cycle: 21 days, cycles: 6, days: [1]}
""", "doxdoc.yaml")
HEADER = RECORD_HEADER
# Cycles 1 to 5 given on the days they were planned.
FIRST_FIVE = "".join(f"{d},given,dox,,,,,\n" for d in (
    "2027-01-04", "2027-01-25", "2027-02-15", "2027-03-08", "2027-03-29"))


def close(value: Decimal | None, expected: Decimal | int) -> bool:
    """Equal to 20 decimal places (the RDI is a ratio carried to 28 significant digits)."""
    return value is not None and abs(value - Decimal(expected)) < Decimal("1e-20")


def summary(rows: str) -> DrugSummary:
    record = read_record(HEADER + rows, name="R.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        s = REGIMEN.expand("a", "2027-01-04", Participant(bsa="1.8 m2"), record=record)
    assert s.replayed is not None
    (drug,) = s.replayed.summary.drugs
    assert isinstance(drug, DrugSummary)
    return drug


def rdi_line(rows: str) -> str:
    record = read_record(HEADER + rows, name="R.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        s = REGIMEN.expand("a", "2027-01-04", Participant(bsa="1.8 m2"), record=record)
    (line,) = [x for x in s.to_table().splitlines() if "relative dose intensity" in x]
    return line.strip()


def test_stopped_after_one_of_six_doses_is_low_against_the_protocol() -> None:
    # The cold user's stop-early.csv. Protocol: 108 mg over max(21, 126) = 126 days against
    # 648 mg over 126 days: 108 / 648 = 16.67%. Cycles started (cycle 1): 108 mg over 21
    # days against 108 mg over 21 days: 100%.
    rows = "2027-01-04,given,dox,,,,,\n2027-01-10,stop,,,,,,progression\n"
    drug = summary(rows)
    assert drug.intensity is not None
    assert drug.intensity_started is not None
    assert close(drug.intensity.percent, Decimal(108) / 648 * 100)
    assert (drug.intensity.actual_days, drug.intensity.planned_days) == (126, 126)
    assert drug.intensity.at_least_planned
    assert drug.intensity.band == "< 65%"
    assert close(drug.intensity_started.percent, 100)
    assert (drug.intensity_started.actual_days, drug.intensity_started.planned_days) == (21, 21)
    assert not drug.intensity_started.at_least_planned
    assert rdi_line(rows) == (
        "relative dose intensity per m² 16.7% (< 65%) against the protocol (over its planned 126 "
        "days: the treatment ended with doses not given), 100.0% (>= 85%) against the cycles "
        "started (first to last dose + one 21-day cycle; each amount over the BSA it was "
        "computed from; the totals above and their percentages are absolute amounts)")


def test_stopped_after_a_delayed_third_cycle() -> None:
    # Cycles 1, 2 on time; cycle 3 due 2027-02-15 delayed to 2027-02-22; stopped after it.
    # Protocol: 324 mg over max(49 + 21 = 70, 126) = 126 days against 648 / 126: 50%.
    # Cycles started (1-3): 324 mg planned over 42 + 21 = 63 days; given over 70 days:
    # (324 / 70) / (324 / 63) = 63 / 70 = 90%.
    drug = summary("2027-01-04,given,dox,,,,,\n2027-01-25,given,dox,,,,,\n"
                   "2027-02-22,delay,dox,3,,,,\n2027-02-22,given,dox,,,,,\n"
                   "2027-03-01,stop,dox,,,,,toxicity\n")
    assert drug.intensity is not None
    assert drug.intensity_started is not None
    assert close(drug.intensity.percent, 50)
    assert drug.intensity.actual_days == 126
    assert close(drug.intensity_started.percent, 90)
    assert drug.intensity_started.actual_days == 70


def test_a_treatment_still_under_way_is_measured_over_its_doses_so_far() -> None:
    # Two of six given on time, four still planned: 216 mg over 42 days against 648 mg
    # over 126 days: (216 / 42) / (648 / 126) = 100%; the time is not raised.
    drug = summary("2027-01-04,given,dox,,,,,\n2027-01-25,given,dox,,,,,\n")
    assert drug.intensity is not None
    assert close(drug.intensity.percent, 100)
    assert drug.intensity.actual_days == 42
    assert not drug.intensity.at_least_planned


def test_every_dose_given_sooner_stays_above_100_percent() -> None:
    # All six given, cycle 6 a week early (2027-04-12, planned 2027-04-19): nothing was
    # left out, so the time is not raised: (648 / 119) / (648 / 126) = 126 / 119 = 105.9%.
    drug = summary(FIRST_FIVE + "2027-04-12,given,dox,6,1,,,\n")
    assert drug.intensity is not None
    assert close(drug.intensity.percent, Decimal(126) / 119 * 100)
    assert drug.intensity.band == "> 100%"
    assert not drug.intensity.at_least_planned


def test_the_last_dose_missed_ends_the_treatment_with_a_dose_not_given() -> None:
    # Five given on time, cycle 6 missed: 540 mg over max(84 + 21 = 105, 126) = 126 days:
    # 540 / 648 = 83.33% (65-85%), not (540 / 105) / (648 / 126) = 100%.
    drug = summary(FIRST_FIVE + "2027-04-19,missed,dox,,,,,\n")
    assert drug.intensity is not None
    assert close(drug.intensity.percent, Decimal(540) / 648 * 100)
    assert drug.intensity.band == "65-85%"


def test_the_json_gives_the_time_the_rdi_used() -> None:
    record = read_record(HEADER + "2027-01-04,given,dox,,,,,\n2027-01-10,stop,,,,,,\n",
                         name="R.csv")
    s = REGIMEN.expand("a", "2027-01-04", Participant(bsa="1.8 m2"), record=record)
    rdi = json.loads(s.to_json())["summary"]["drugs"][0]["rdi"]
    assert rdi["protocol"] == {"percent": "16.7", "band": "< 65%",
                               "delivered_over_planned": "16.7", "actual_days": 126,
                               "planned_days": 126}
    assert rdi["cycles_started"]["actual_days"] == 21


@pytest.mark.parametrize(("at_least", "percent", "days"), [(False, 100, 21), (True, 50, 42)])
def test_at_least_planned_raises_the_actual_time_only(at_least: bool, percent: int,
                                                      days: int) -> None:
    # One of two doses 21 days apart: delivered 100 over 21 days; planned 200 over 42.
    d = date.fromisoformat
    plan = [(d("2027-01-04"), Decimal(100)), (d("2027-01-25"), Decimal(100))]
    got = relative_dose_intensity([plan[0]], plan, 21, at_least_planned=at_least)
    assert got.percent == percent
    assert (got.actual_days, got.at_least_planned) == (days, at_least)
