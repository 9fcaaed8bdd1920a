"""Implausible measurements in a record: a named warning and a summary line, never silent.

Every figure is worked by hand in the comments (1 lb = 0.45359237 kg; 1 mg/dL of creatinine
= 88.4 µmol/L; BMI = kg / m²).
"""

from __future__ import annotations

import json
import warnings

import pytest

import regimens
from regimens import ImplausibleMeasurementWarning, Participant, read_record
from regimens.record import PLAUSIBLE_CHANGE, implausible_measurements
from support.records import DOXDOC_PLAIN, RECORD_HEADER

HEADER = RECORD_HEADER
TAIL = ". The doses after it are computed from it: check the number and its unit"
PLAUSIBLE = " change taken as plausible between two measurements"
RENAL = "doubled or halved between two measurements, which must be confirmed"
KDIGO = " (a doubled creatinine is acute kidney injury stage 2, KDIGO 2012)"


def found(participant: Participant, rows: str) -> list[str]:
    record = read_record(HEADER + rows, name="P.csv")
    return [str(m.warning) for m in implausible_measurements(participant, record.effective())]


ADULT = Participant(weight="70 kg")
TALL = Participant(height="170 cm")
CHILD = Participant(height="140 cm", age=10)
GROWN = Participant(height="140 cm", age=30)
RENAL_P = Participant(creatinine="1.1 mg/dL", gfr="90 mL/min")

CASES = {
    # 63 lb = 28.57631931 kg; (70 - 28.57631931) / 70 = 59.1766...% below.
    "weight in lbs for kg": (ADULT, "2027-01-25,measure,,,,63 lbs,,\n", [
        "P.csv:2: weight 63 lbs (28.58 kg) measured 2027-01-25: 59.18% below the previous "
        f"weight, 70 kg (at enrolment), more than the 20%{PLAUSIBLE}{TAIL}"]),
    # 70 -> 56 kg: exactly 20%, the bound is plausible.
    "weight 20% exactly": (ADULT, "2027-01-25,measure,,,,56 kg,,\n", []),
    # 70 -> 85 kg: 15 / 70 = 21.428...% above.
    "weight 21.43% up": (ADULT, "2027-01-25,measure,,,,85 kg,,\n", [
        "P.csv:2: weight 85 kg measured 2027-01-25: 21.43% above the previous weight, 70 kg "
        f"(at enrolment), more than the 20%{PLAUSIBLE}{TAIL}"]),
    # Compared with the previous measurement, not enrolment: 70 -> 60 (14.29%) -> 50 kg
    # (16.67% from 60): neither is flagged although 50 is 28.57% below 70.
    "weight step by step": (ADULT, "2027-01-25,measure,,,,60 kg,,\n"
                                   "2027-02-25,measure,,,,50 kg,,\n", []),
    # The previous one by date, whatever the file order: 2027-02-25 63 kg after 2027-01-25
    # 63 lbs (28.57631931 kg): 34.42368069 / 28.57631931 = 120.4618...% above.
    "previous by date": (ADULT, "2027-02-25,measure,,,,63 kg,,\n"
                                "2027-01-25,measure,,,,63 lbs,,\n", [
        "P.csv:3: weight 63 lbs (28.58 kg) measured 2027-01-25: 59.18% below the previous "
        f"weight, 70 kg (at enrolment), more than the 20%{PLAUSIBLE}{TAIL}",
        "P.csv:2: weight 63 kg measured 2027-02-25: 120.46% above the previous weight, "
        "63 lbs (measured 2027-01-25, line 3), more than the 20%" + PLAUSIBLE + TAIL]),
    # 170 -> 165 cm: 5 cm, the bound; 170 -> 164 cm: 6 cm.
    "height 5 cm": (TALL, "2027-01-25,measure,,,,165 cm,,\n", []),
    "height 6 cm": (TALL, "2027-01-25,measure,,,,164 cm,,\n", [
        "P.csv:2: height 164 cm measured 2027-01-25: 6 cm below the previous height, 170 cm "
        f"(at enrolment), more than the 5 cm{PLAUSIBLE}{TAIL}"]),
    # 1.7 m = 170 cm: the same height in another unit, no change.
    "height in metres": (TALL, "2027-01-25,measure,,,,1.7 m,,\n", []),
    # A child grows: 140 -> 150 cm is 7.14%; 140 -> 155 cm is 15 / 140 = 10.714...%.
    "child grows 7%": (CHILD, "2027-01-25,measure,,,,150 cm,,\n", []),
    "child grows 10.71%": (CHILD, "2027-01-25,measure,,,,155 cm,,\n", [
        "P.csv:2: height 155 cm measured 2027-01-25: 15 cm (10.71%) above the previous "
        "height, 140 cm (at enrolment), more than the 10% a participant under 18 is taken "
        f"to grow between two measurements{TAIL}"]),
    # A child does not shrink: 140 -> 134 cm is 6 cm below.
    "child shrinks": (CHILD, "2027-01-25,measure,,,,134 cm,,\n", [
        "P.csv:2: height 134 cm measured 2027-01-25: 6 cm below the previous height, 140 cm "
        f"(at enrolment), more than the 5 cm{PLAUSIBLE}{TAIL}"]),
    # An adult of 30 does not grow 10 cm.
    "adult grows": (GROWN, "2027-01-25,measure,,,,150 cm,,\n", [
        "P.csv:2: height 150 cm measured 2027-01-25: 10 cm above the previous height, 140 cm "
        f"(at enrolment), more than the 5 cm{PLAUSIBLE}{TAIL}"]),
    # Creatinine 1.1 -> 2.2 mg/dL: 2 times; 1.1 -> 2.1: 1.909 times, plausible.
    "creatinine doubled": (RENAL_P, "2027-01-25,measure,,,,2.2 mg/dL,,\n", [
        "P.csv:2: serum creatinine 2.2 mg/dL measured 2027-01-25: 2 times the previous serum "
        f"creatinine, 1.1 mg/dL (at enrolment), {RENAL}{KDIGO}{TAIL}"]),
    "creatinine 1.91 times": (RENAL_P, "2027-01-25,measure,,,,2.1 mg/dL,,\n", []),
    # 48.62 umol/L / 88.4 = 0.55 mg/dL: half of 1.1.
    "creatinine halved in umol/L": (RENAL_P, "2027-01-25,measure,,,,48.62 umol/L,,\n", [
        "P.csv:2: serum creatinine 48.62 umol/L (0.55 mg/dL) measured 2027-01-25: 0.5 times "
        f"the previous serum creatinine, 1.1 mg/dL (at enrolment), {RENAL}{KDIGO}{TAIL}"]),
    # GFR 90 -> 45 mL/min: 0.5 times; 90 -> 46: 0.511 times, plausible.
    "gfr halved": (RENAL_P, "2027-01-25,measure,,,,45 mL/min,,\n", [
        "P.csv:2: GFR 45 mL/min measured 2027-01-25: 0.5 times the previous GFR, 90 mL/min "
        f"(at enrolment), {RENAL}{TAIL}"]),
    "gfr 0.51 times": (RENAL_P, "2027-01-25,measure,,,,46 mL/min,,\n", []),
    # BSA 1.8 -> 2.2 m2: 0.4 / 1.8 = 22.22...% above.
    "bsa 22%": (Participant(bsa="1.8 m2"), "2027-01-25,measure,,,,2.2 m2,,\n", [
        "P.csv:2: BSA 2.2 m2 measured 2027-01-25: 22.22% above the previous BSA, "
        f"1.8 m2 (at enrolment), more than the 20%{PLAUSIBLE}{TAIL}"]),
    # A plausible change, an implausible body: 30 -> 35 kg (16.67%) with 190 cm gives a
    # BMI of 35 / 1.9² = 9.695... kg/m², below 10.
    "bmi only": (Participant(weight="30 kg", height="190 cm"),
                 "2027-01-25,measure,,,,35 kg,,\n", [
        "P.csv:2: weight 35 kg measured 2027-01-25: with height 190 cm it gives a body-mass "
        f"index of 9.7 kg/m², outside 10 to 80{TAIL}"]),
    # No previous value of the kind: nothing to compare with.
    "first weight": (TALL, "2027-01-25,measure,,,,70 kg,,\n", []),
}


@pytest.mark.parametrize("case", CASES)
def test_implausible_measurements(case: str) -> None:
    participant, rows, expected = CASES[case]
    assert found(participant, rows) == expected


def test_the_thresholds_are_the_documented_ones() -> None:
    assert {k: str(v) for k, v in PLAUSIBLE_CHANGE.items()} == {
        "weight_percent": "20", "bsa_percent": "20", "height_cm": "5",
        "height_growth_percent": "10", "renal_factor": "2"}


DOX = DOXDOC_PLAIN
LBS = HEADER + "2027-01-04,given,dox,,,,,\n2027-01-25,measure,,,,63 lbs,,\n"
# 63 lbs: 28.57631931 kg; with 170 cm, BMI 28.57631931 / 1.7² = 9.888... kg/m².
LBS_TEXT = ("weight 63 lbs (28.58 kg) measured 2027-01-25: 59.18% below the previous weight, "
            f"70 kg (at enrolment), more than the 20%{PLAUSIBLE}; with height 170 cm it gives "
            f"a body-mass index of 9.9 kg/m², outside 10 to 80{TAIL}")


@pytest.fixture(scope="module")
def lbs() -> regimens.Schedule:
    regimen = regimens.loads(DOX, "dox.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImplausibleMeasurementWarning)  # tested below
        return regimen.expand("x", "2027-01-04", Participant(weight="70 kg", height="170 cm"),
                              record=read_record(LBS, name="m-lbs.csv"))


def test_the_schedule_warns_and_the_summary_says_it(lbs: regimens.Schedule) -> None:
    warned = [w for w in lbs.warnings if isinstance(w, ImplausibleMeasurementWarning)]
    assert [str(w) for w in warned] == [f"m-lbs.csv:3: {LBS_TEXT}"]
    assert warned[0].blind_safe
    assert lbs.replayed is not None
    assert lbs.replayed.summary is not None
    assert lbs.replayed.summary.measurements == (f"line 3: {LBS_TEXT}",)
    assert json.loads(lbs.to_json())["summary"]["measurements"] == [f"line 3: {LBS_TEXT}"]
    table = lbs.to_table()
    assert f"  Implausible measurements:\n    - line 3: {LBS_TEXT}\n" in table
    # The doses are still computed from it (said, not refused): 60 mg/m2 x 1.16 m2
    # (Mosteller: sqrt(170 x 28.57631931 / 3600) = 1.1617) = 69.6 mg.
    assert [str(a.dose.amount) for a in lbs.administrations][1:] == ["69.6 mg"] * 5


def test_expand_issues_the_warning() -> None:
    regimen = regimens.loads(DOX, "dox.yaml")
    with pytest.warns(ImplausibleMeasurementWarning, match="59.18% below"):
        regimen.expand("x", "2027-01-04", Participant(weight="70 kg", height="170 cm"),
                       record=read_record(LBS, name="m-lbs.csv"))


def test_a_plausible_record_has_an_empty_list() -> None:
    regimen = regimens.loads(DOX, "dox.yaml")
    s = regimen.expand("x", "2027-01-04", Participant(weight="70 kg", height="170 cm"),
                       record=read_record(HEADER + "2027-01-25,measure,,,,66 kg,,\n",
                                          name="P.csv"))
    assert not [w for w in s.warnings if isinstance(w, ImplausibleMeasurementWarning)]
    assert json.loads(s.to_json())["summary"]["measurements"] == []
    assert "Implausible measurements" not in s.to_table()
