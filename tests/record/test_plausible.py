"""Implausible measurements in a record: a named warning and a summary line, never silent.

Every figure is worked by hand in the comments (1 lb = 0.45359237 kg; 1 mg/dL of creatinine
= 88.4 µmol/L; BMI = kg / m²).
"""

from __future__ import annotations

import json
import warnings
from decimal import Decimal

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
    # BSA 1.8 -> 2.2 m2: 0.4 / 1.8 = 22.22...% above. Written in m², whatever was typed
    # (cold try 5, finding 3).
    "bsa 22%": (Participant(bsa="1.8 m2"), "2027-01-25,measure,,,,2.2 m2,,\n", [
        "P.csv:2: BSA 2.2 m² measured 2027-01-25: 22.22% above the previous BSA, "
        f"1.8 m² (at enrolment), more than the 20%{PLAUSIBLE}{TAIL}"]),
    # A plausible change, an implausible body: 30 -> 35 kg (16.67%) with 190 cm gives a
    # BMI of 35 / 1.9² = 9.695... kg/m², below 10.
    "bmi only": (Participant(weight="30 kg", height="190 cm"),
                 "2027-01-25,measure,,,,35 kg,,\n", [
        "P.csv:2: weight 35 kg measured 2027-01-25: with height 190 cm it gives a body-mass "
        f"index of 9.7 kg/m², outside 10 to 80{TAIL}"]),
    # Height 100 cm: the BMI is the weight itself. 80 -> 80.25 kg (0.31%) gives exactly
    # 80.25 kg/m², shown half up 80.3 (half-even would show 80.2).
    "bmi half up above": (Participant(weight="80 kg", height="100 cm"),
                          "2027-01-25,measure,,,,80.25 kg,,\n", [
        "P.csv:2: weight 80.25 kg measured 2027-01-25: with height 100 cm it gives a "
        f"body-mass index of 80.3 kg/m², outside 10 to 80{TAIL}"]),
    # 8 -> 7.25 kg (9.375%): 7.25 kg/m², shown 7.3 (half-even: 7.2).
    "bmi half up below": (Participant(weight="8 kg", height="100 cm"),
                          "2027-01-25,measure,,,,7.25 kg,,\n", [
        "P.csv:2: weight 7.25 kg measured 2027-01-25: with height 100 cm it gives a "
        f"body-mass index of 7.3 kg/m², outside 10 to 80{TAIL}"]),
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


# Compared with what the doses were computed from, of whatever origin (issue 13: "re-dosing
# compares the new measurement with the one the current dose was computed from"). --------

MOSTELLER_70_170 = "1.82 m² (computed from weight 70 kg and height 170 cm)"
IN_USE = {
    # BSA computed at enrolment, never given nor measured: sqrt(170 x 70 / 3600) = 1.8181,
    # 1.82 m2 as doses use it. 1.4 m2 is 0.42 / 1.82 = 23.0769...% below; before, with no
    # BSA given or measured, there was nothing to compare it with and it was not flagged.
    "bsa computed at enrolment": (Participant(weight="70 kg", height="170 cm"), {},
                                  "2027-01-25,measure,,,,1.4 m2,,\n", [
        "P.csv:2: BSA 1.4 m² measured 2027-01-25: 23.08% below the previous BSA, "
        f"{MOSTELLER_70_170}, more than the 20%{PLAUSIBLE}{TAIL}"]),
    # 1.6 m2: 0.22 / 1.82 = 12.09%: plausible.
    "bsa computed, plausible": (Participant(weight="70 kg", height="170 cm"), {},
                                "2027-01-25,measure,,,,1.6 m2,,\n", []),
    # BSA given 1.8; a weight of 56 kg (exactly 20%: plausible) replaces it: BSA computed
    # sqrt(170 x 56 / 3600) = 1.62617, 1.63 m2. 2.0 m2 is 11.11% above the 1.8 given (the
    # only BSA compared before) but 0.37 / 1.63 = 22.699...% above the 1.63 in use.
    "bsa replaced by a weight": (
        Participant(weight="70 kg", height="170 cm", bsa="1.8 m2"), {},
        "2027-01-25,measure,,,,56 kg,,\n2027-02-25,measure,,,,2.0 m2,,\n", [
            "P.csv:3: BSA 2 m² measured 2027-02-25: 22.7% above the BSA the doses "
            "were computed from, 1.63 m² (computed from weight 56 kg and height 170 cm), "
            f"more than the 20%{PLAUSIBLE}{TAIL}"]),
    # DuBois and 3 decimals, as the schedule computes it: 0.007184 x 170^0.725 x 70^0.425
    # = 1.80971 m2, 1.810 m2. 1.44 m2 is 0.37 / 1.81 = 20.44% below.
    "bsa by the schedule's formula": (
        Participant(weight="70 kg", height="170 cm"),
        {"bsa_formula": regimens.BSAFormula.DUBOIS, "bsa_decimals": 3},
        "2027-01-25,measure,,,,1.44 m2,,\n", [
            "P.csv:2: BSA 1.44 m² measured 2027-01-25: 20.44% below the previous BSA, 1.81 m² "
            "(computed from weight 70 kg and height 170 cm), more than the "
            f"20%{PLAUSIBLE}{TAIL}"]),
    # Under redose weight_change 10%: 66 kg (5.71% from 70) is left out, the doses stay
    # computed from 70 kg; 55 kg is 16.67% below 66 but 15 / 70 = 21.428...% below 70.
    "weight the rule kept": (Participant(weight="70 kg"), {"redose": [Decimal(10)]},
                             "2027-01-25,measure,,,,66 kg,,\n2027-02-25,measure,,,,55 kg,,\n", [
        "P.csv:3: weight 55 kg measured 2027-02-25: 21.43% below the weight the doses were "
        f"computed from, 70 kg (at enrolment), more than the 20%{PLAUSIBLE}{TAIL}"]),
    # Without the rule 66 kg is applied: 55 kg is compared with it alone (16.67%).
    "weight without the rule": (Participant(weight="70 kg"), {},
                                "2027-01-25,measure,,,,66 kg,,\n2027-02-25,measure,,,,55 kg,,\n",
                                []),
    # The previous measurement still counts: 70, 66 (left out), 80 kg is 14.29% above 70
    # but 21.21% above 66 (14 / 66).
    "weight, the previous one": (Participant(weight="70 kg"), {"redose": [Decimal(10)]},
                                 "2027-01-25,measure,,,,66 kg,,\n"
                                 "2027-02-25,measure,,,,80 kg,,\n", [
        "P.csv:3: weight 80 kg measured 2027-02-25: 21.21% above the previous weight, 66 kg "
        f"(measured 2027-01-25, line 2), more than the 20%{PLAUSIBLE}{TAIL}"]),
    # A weight given in pounds: 154 lb = 69.85322498 kg; 55 kg is 14.85322498 / 69.85322498
    # = 21.26...% below it (after 66 kg, 5.52%, left out by the rule).
    "weight in lb at enrolment": (Participant(weight="154 lb"), {"redose": [Decimal(10)]},
                                  "2027-01-25,measure,,,,66 kg,,\n"
                                  "2027-02-25,measure,,,,55 kg,,\n", [
        "P.csv:3: weight 55 kg measured 2027-02-25: 21.26% below the weight the doses were "
        f"computed from, 154 lb (at enrolment), more than the 20%{PLAUSIBLE}{TAIL}"]),
    # Height, creatinine and GFR always apply: the one in use is the previous one.
    "height in use": (TALL, {"redose": [Decimal(10)]},
                      "2027-01-25,measure,,,,168 cm,,\n2027-02-25,measure,,,,162 cm,,\n", [
        "P.csv:3: height 162 cm measured 2027-02-25: 6 cm below the previous height, 168 cm "
        f"(measured 2027-01-25, line 2), more than the 5 cm{PLAUSIBLE}{TAIL}"]),
    "creatinine in use": (RENAL_P, {}, "2027-01-25,measure,,,,1.5 mg/dL,,\n"
                                       "2027-02-25,measure,,,,3 mg/dL,,\n", [
        "P.csv:3: serum creatinine 3 mg/dL measured 2027-02-25: 2 times the previous serum "
        f"creatinine, 1.5 mg/dL (measured 2027-01-25, line 2), {RENAL}{KDIGO}{TAIL}"]),
    "gfr in use": (RENAL_P, {}, "2027-01-25,measure,,,,80 mL/min,,\n"
                                "2027-02-25,measure,,,,40 mL/min,,\n", [
        "P.csv:3: GFR 40 mL/min measured 2027-02-25: 0.5 times the previous GFR, 80 mL/min "
        f"(measured 2027-01-25, line 2), {RENAL}{TAIL}"]),
}


@pytest.mark.parametrize("case", IN_USE)
def test_compared_with_what_the_doses_were_computed_from(case: str) -> None:
    participant, options, rows, expected = IN_USE[case]
    record = read_record(HEADER + rows, name="P.csv")
    assert [str(m.warning) for m in implausible_measurements(
        participant, record.effective(), **options)] == expected


def test_expand_compares_a_bsa_with_the_one_it_computed() -> None:
    # 60 mg/m2 per m2 with redose weight_change 10%, 70 kg and 170 cm: BSA computed 1.82.
    regimen = regimens.loads(DOXDOC_PLAIN.replace("title: Dox doc example",
                                                  "title: Dox doc example\nredose: "
                                                  "{weight_change: 10%}"), "dox.yaml")
    rows = ("2027-01-25,measure,,,,66 kg,,\n2027-02-15,measure,,,,55 kg,,\n"
            "2027-03-08,measure,,,,1.4 m2,,\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = regimen.expand("x", "2027-01-04", Participant(weight="70 kg", height="170 cm"),
                           record=read_record(HEADER + rows, name="P.csv"))
    odd = [str(w) for w in s.warnings if isinstance(w, ImplausibleMeasurementWarning)]
    # 55 kg: 21.43% below the 70 kg the rule kept (66 kg left out). Then 55 kg applies:
    # sqrt(170 x 55 / 3600) = 1.6116, 1.61 m2; 1.4 m2 is 0.21 / 1.61 = 13.04% below it:
    # plausible.
    assert odd == [
        "P.csv:3: weight 55 kg measured 2027-02-15: 21.43% below the weight the doses were "
        f"computed from, 70 kg (at enrolment), more than the 20%{PLAUSIBLE}{TAIL}"]
