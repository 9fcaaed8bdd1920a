"""AUC dosing, weight bases, bsa_max and dose levels, expanded for one participant.

Expected doses are worked by hand from the published equations (the comment beside each
case shows the arithmetic); derivations are pinned word for word where they state a rule.
"""

from __future__ import annotations

import re
import warnings
from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import regimens
from regimens import DoseError, ExpandOptionError, MissingMeasurementError, Participant

HEAD = """\
format: regimens/1
id: dosing
title: Dosing
drugs:
  carbo: {name: carboplatin, route: intravenous}
  pac: {name: paclitaxel, route: intravenous}
  vcr: {name: vincristine, route: intravenous}
  gent: {name: gentamicin, route: intravenous}
  pbo: {name: placebo drug, route: oral}
arms:
  x: {label: X}
periods:
  - id: t
    length: 3 weeks
    courses:
"""


def load(*courses: str, head: str = HEAD) -> regimens.Regimen:
    return regimens.loads(head + "".join(f"      - {c}\n" for c in courses), "r.yaml")


def doses(regimen: regimens.Regimen, start: str = "2027-01-04",
          **participant: Any) -> list[tuple[str, str]]:
    levels = participant.pop("levels", None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        schedule = regimen.expand("x", start, Participant(**participant), levels=levels)
    return [(a.dose.text, a.dose.derivation) for a in schedule.administrations]


def amounts(regimen: regimens.Regimen, **participant: Any) -> list[str]:
    return [text for text, _ in doses(regimen, **participant)]


FEMALE_64 = {"age": 64, "sex": "female", "weight": "70 kg", "creatinine": "1.1 mg/dL"}


# AUC dosing -------------------------------------------------------------------------------


def test_issue_example_word_for_word() -> None:
    r = load("{drug: carbo, dose: AUC 5, days: 1}")
    # (140 - 64) x 70 / (72 x 1.1) x 0.85 = 57.0960 -> 57.1; 5 x (57.1 + 25) = 410.5
    assert doses(r, **FEMALE_64) == [(
        "410.5 mg",
        "AUC 5 × (GFR 57.1 mL/min + 25 mL/min) = 410.5 mg; GFR by Cockcroft-Gault from age "
        "64 years, 70 kg (actual weight), serum creatinine 1.1 mg/dL, female: (140 − 64) × "
        "70 kg ÷ (72 × 1.1 mg/dL) × 0.85 = 57.096 mL/min, rounded half up to 1 decimal = "
        "57.1 mL/min")]


@pytest.mark.parametrize(("participant", "dose"), [
    # measured GFR 95: 5 x 120 = 600
    ({"gfr": "95 mL/min"}, "600 mg"),
    # measured GFR wins over creatinine: still 600
    ({"gfr": "95 mL/min", **FEMALE_64}, "600 mg"),
    # male 50 y, 80 kg, 1.0 mg/dL: 90 x 80 / 72 = 100; 5 x 125 = 625
    ({"age": 50, "sex": "male", "weight": "80 kg", "creatinine": "1 mg/dL"}, "625 mg"),
    # 88.4 umol/L = 1 mg/dL: 80 x 72 / 72 = 80; 5 x 105 = 525
    ({"age": 60, "sex": "male", "weight": "72 kg", "creatinine": "88.4 umol/L"}, "525 mg"),
    # 100.05 exactly rounds half UP to 100.1 (half-even would give 100.0): 5 x 125.1 = 625.5
    ({"age": 40, "sex": "male", "weight": "72.036 kg", "creatinine": "1 mg/dL"}, "625.5 mg"),
    # female, 68 y, 50 kg, 1 mg/dL: 72 x 50 / 72 x 0.85 = 42.5; 5 x 67.5 = 337.5
    ({"age": "68 years", "sex": "female", "weight": "50 kg", "creatinine": "1 mg/dL"},
     "337.5 mg"),
])
def test_auc_5(participant: dict[str, Any], dose: str) -> None:
    assert amounts(load("{drug: carbo, dose: AUC 5, days: 1}"), **participant) == [dose]


@pytest.mark.parametrize(("auc", "dose"), [("6", "900 mg"), ("5", "750 mg"), ("4", "600 mg")])
def test_default_gfr_cap_gives_the_fda_maximum_doses(auc: str, dose: str) -> None:
    """FDA 2010: with GFR capped at 125 mL/min, AUC 6, 5, 4 give at most 900, 750, 600 mg."""
    r = load(f"{{drug: carbo, dose: AUC {auc}, days: 1}}")
    # male 20 y, 100 kg, 0.8 mg/dL: 120 x 100 / 57.6 = 208.3 -> capped at 125
    (text, derivation), = doses(r, age=20, sex="male", weight="100 kg", creatinine="0.8 mg/dL")
    assert text == dose
    assert derivation.startswith(f"AUC {auc} × (GFR 125 mL/min + 25 mL/min) = {dose};")
    assert derivation.endswith("= 208.3 mL/min; 208.3 mL/min capped at 125 mL/min (the "
                               "default gfr_max, after the FDA's 2010 carboplatin dosing "
                               "advice)")


def test_gfr_exactly_at_the_cap_is_not_capped() -> None:
    (text, derivation), = doses(load("{drug: carbo, dose: AUC 5, days: 1}"), gfr="125 mL/min")
    assert (text, derivation) == ("750 mg", "AUC 5 × (GFR 125 mL/min + 25 mL/min) = 750 mg; "
                                  "GFR 125 mL/min measured (given)")


def test_gfr_just_over_the_cap() -> None:
    (text, derivation), = doses(load("{drug: carbo, dose: AUC 5, days: 1}"), gfr="125.1 mL/min")
    assert text == "750 mg"
    assert derivation.endswith("GFR 125.1 mL/min measured (given); 125.1 mL/min capped at "
                               "125 mL/min (the default gfr_max, after the FDA's 2010 "
                               "carboplatin dosing advice)")


def test_own_gfr_max() -> None:
    r = load("{drug: carbo, dose: AUC 5, gfr_max: 100 mL/min, days: 1}")
    (text, derivation), = doses(r, gfr="110 mL/min")
    assert text == "625 mg"  # 5 x (100 + 25)
    assert derivation.endswith("110 mL/min capped at 100 mL/min (gfr_max)")


def test_creatinine_floor() -> None:
    r = load("{drug: carbo, dose: AUC 5, creatinine_min: 0.7 mg/dL, gfr_max: 200 mL/min, "
             "days: 1}")
    # male 40 y, 70 kg, 0.5 raised to 0.7: 100 x 70 / 50.4 = 138.888... -> 138.9;
    # 5 x 163.9 = 819.5
    (text, derivation), = doses(r, age=40, sex="male", weight="70 kg", creatinine="0.5 mg/dL")
    assert text == "819.5 mg"
    assert ("serum creatinine 0.5 mg/dL, raised to creatinine_min 0.7 mg/dL, male: (140 − 40) "
            "× 70 kg ÷ (72 × 0.7 mg/dL) = 138.8889 mL/min") in derivation
    # Exactly at the floor: nothing raised. 100 x 70 / 50.4 again.
    (text, derivation), = doses(r, age=40, sex="male", weight="70 kg", creatinine="0.7 mg/dL")
    assert text == "819.5 mg"
    assert "raised" not in derivation


def test_creatinine_floor_in_umol_compares_exactly() -> None:
    # Floor 61.88 umol/L = 0.7 mg/dL exactly; a creatinine of 0.7 mg/dL is not below it.
    r = load("{drug: carbo, dose: AUC 5, creatinine_min: 61.88 umol/L, days: 1}")
    (_, derivation), = doses(r, age=70, sex="male", weight="70 kg", creatinine="0.7 mg/dL")
    assert "raised" not in derivation
    (_, derivation), = doses(r, age=70, sex="male", weight="70 kg", creatinine="0.69 mg/dL")
    assert "raised to creatinine_min 61.88 µmol/L" in derivation


@pytest.mark.parametrize(("weight", "dose", "said"), [
    # 200 cm, 100 kg: BMI 25 exactly -> adjusted. IBW 50 + 2.3 x (78.7402 - 60) = 93.1024
    # -> 93.10; adjusted 93.10 + 0.4 x 6.90 = 95.86; 70 x 95.86 / 72 = 93.1972 -> 93.2;
    # 5 x 118.2 = 591
    ("100 kg", "591 mg", "adjusted because the body-mass index 25 kg/m² is 25 or more"),
    # 99.9 kg: BMI 24.975 -> actual; 70 x 99.9 / 72 = 97.125 -> 97.1; 5 x 122.1 = 610.5.
    # 24.975 is shown 24.98 beside 25 (25.0 would read as the bound it is under).
    ("99.9 kg", "610.5 mg", "(actual weight: the body-mass index 24.98 kg/m² is under 25)"),
])
def test_crcl_weight_auto_at_bmi_25(weight: str, dose: str, said: str) -> None:
    r = load("{drug: carbo, dose: AUC 5, crcl_weight: auto, days: 1}")
    (text, derivation), = doses(r, age=70, sex="male", weight=weight, height="200 cm",
                                creatinine="1 mg/dL")
    assert text == dose
    assert said in derivation


def test_crcl_weight_ideal() -> None:
    r = load("{drug: carbo, dose: AUC 5, crcl_weight: ideal, days: 1}")
    # IBW 73 kg (177.8 cm, male); 80 x 73 / 72 = 81.1111 -> 81.1; 5 x 106.1 = 530.5
    assert amounts(r, age=60, sex="male", weight="100 kg", height="177.8 cm",
                   creatinine="1 mg/dL") == ["530.5 mg"]


def test_birth_date_age_changes_within_the_schedule() -> None:
    r = load("{drug: carbo, dose: AUC 5, days: [1, 8]}")
    # Born 1963-01-10: 63 on 2027-01-04, 64 from 2027-01-10.
    # 63: 77 x 70 / 79.2 x 0.85 = 57.847 -> 57.8; 5 x 82.8 = 414
    # 64: 57.1 -> 410.5
    got = doses(r, birth_date="1963-01-10", sex="female", weight="70 kg",
                creatinine="1.1 mg/dL")
    assert [t for t, _ in got] == ["414 mg", "410.5 mg"]
    assert "age 63 years (on 2027-01-04, born 1963-01-10)" in got[0][1]
    assert "age 64 years (on 2027-01-11, born 1963-01-10)" in got[1][1]


def test_birth_date_after_the_schedule_starts_is_refused() -> None:
    r = load("{drug: carbo, dose: AUC 5, days: 1}")
    with pytest.raises(regimens.ParticipantError, match="before the birth date"):
        doses(r, birth_date="2027-02-01", sex="female", weight="70 kg", creatinine="1 mg/dL")


@pytest.mark.parametrize(("participant", "needed"), [
    ({}, ("gfr", "creatinine", "age", "sex", "weight")),
    ({"creatinine": "1 mg/dL", "age": 60}, ("gfr", "sex", "weight")),
    ({"creatinine": "1 mg/dL", "birth_date": "1960-01-01", "sex": "male"}, ("gfr", "weight")),
])
def test_auc_missing_inputs_are_named(participant: dict[str, Any],
                                      needed: tuple[str, ...]) -> None:
    r = load("{drug: carbo, dose: AUC 5, days: 1}")
    with pytest.raises(MissingMeasurementError) as caught:
        doses(r, **participant)
    assert caught.value.needed == needed
    assert caught.value.reason.startswith(
        "AUC dosing needs a GFR or a serum creatinine with age and sex")


def test_cockcroft_gault_refused_under_18() -> None:
    r = load("{drug: carbo, dose: AUC 5, days: 1}")
    with pytest.raises(DoseError, match="Cockcroft-Gault is for adults"):
        doses(r, age=17, sex="male", weight="60 kg", creatinine="0.6 mg/dL")
    # 122 x 60 / 72 = 101.666... -> 101.7; 5 x 126.7 = 633.5
    assert amounts(r, age=18, sex="male", weight="60 kg", creatinine="1 mg/dL") == [
        "633.5 mg"]


# Weight bases ------------------------------------------------------------------------------


def test_weight_bases_docs_example() -> None:
    r = load("{drug: gent, dose: 5 mg/kg, weight: adjusted, days: 1}",
             "{drug: vcr, dose: 10 mg/kg, weight: ideal, days: 1}")
    got = doses(r, weight="100 kg", height="177.8 cm", sex="male")
    # IBW 73; adjusted 73 + 0.4 x 27 = 83.8; 5 x 83.8 = 419; 10 x 73 = 730
    assert [t for t, _ in got] == ["419 mg", "730 mg"]
    assert got[1][1] == ("10 mg per kg × 73 kg (ideal body weight; Devine, male: 50 kg + 2.3 kg "
                         "× (177.8 cm ÷ 2.54 = 70 in − 60 in) = 73 kg, rounded half up to 2 "
                         "decimals) = 730 mg")


def test_ideal_weight_rounded_half_up_to_2_decimals() -> None:
    # 175 cm male: 70.4646 -> 70.46; 1 mg/kg -> 70.46 mg
    r = load("{drug: gent, dose: 1 mg/kg, weight: ideal, days: 1}")
    assert amounts(r, weight="80 kg", height="175 cm", sex="male") == ["70.46 mg"]


def test_ideal_weight_at_60_inches_and_below() -> None:
    r = load("{drug: gent, dose: 1 mg/kg, weight: ideal, days: 1}")
    assert amounts(r, weight="50 kg", height="152.4 cm", sex="female") == ["45.5 mg"]
    with pytest.raises(DoseError, match="starts at 60 inches"):
        doses(r, weight="50 kg", height="152.3 cm", sex="female")


def test_ideal_weight_needs_height_and_sex() -> None:
    r = load("{drug: gent, dose: 1 mg/kg, weight: ideal, days: 1}")
    with pytest.raises(MissingMeasurementError) as caught:
        doses(r, weight="80 kg")
    assert caught.value.needed == ("height", "sex")
    assert str(caught.value) == (
        "height: weight: ideal needs the participant's height and sex (--height, --sex) for "
        "Devine's ideal body weight; the dose that needs it is at r.yaml:16 "
        "(periods[0].courses[0].dose)")  # HEAD is 15 lines: the course is on line 16
    assert (caught.value.file, caught.value.line, caught.value.path) == (
        "r.yaml", 16, "periods[0].courses[0].dose")


# bsa_max -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("bsa", "dose", "capped"), [
    ("2 m2", "350 mg", False),  # exactly at the cap: used as it is
    ("2.01 m2", "350 mg", True),
    ("1.99 m2", "348.25 mg", False),
])
def test_bsa_max_boundary(bsa: str, dose: str, capped: bool) -> None:
    r = load("{drug: pac, dose: 175 mg/m2, bsa_max: 2 m2, days: 1}")
    (text, derivation), = doses(r, bsa=bsa)
    assert text == dose
    assert ("capped at bsa_max 2 m²" in derivation) is capped


def test_regimen_bsa_max_serves_doses_without_their_own() -> None:
    head = HEAD.replace("title: Dosing\n", "title: Dosing\nbsa_max: 2 m2\n")
    r = load("{drug: pac, dose: 175 mg/m2, days: 1}",
             "{drug: vcr, dose: 1 mg/m2, bsa_max: 2.2 m2, days: 1}", head=head)
    # 165 cm, 120 kg: Mosteller sqrt(165 x 120 / 3600) = 2.3452 -> 2.35
    got = doses(r, height="165 cm", weight="120 kg")
    assert [t for t, _ in got] == ["350 mg", "2.2 mg"]
    assert got[0][1] == ("175 mg per m² × 2 m² (Mosteller from 165 cm and 120 kg: 2.3452 m², "
                         "rounded to 2 decimals; 2.35 m² capped at bsa_max 2 m²) = 350 mg")


@pytest.mark.parametrize("steps", [
    # By cycles and by administrations, the last step open-ended (no count): it too takes
    # the regimen's bsa_max (it once did not: 80 x 2.5 = 200 mg instead of 160 mg).
    "[{dose: 100 mg/m2, cycles: 1}, {dose: 80 mg/m2}], cycle: 1 week, days: 1, for: 2 weeks",
    "[{dose: 100 mg/m2, administrations: 1}, {dose: 80 mg/m2}], days: [1, 8]",
])
def test_regimen_bsa_max_serves_every_step(steps: str) -> None:
    head = HEAD.replace("title: Dosing\n", "title: Dosing\nbsa_max: 2 m2\n")
    r = load(f"{{drug: pac, steps: {steps}}}", head=head)
    # BSA 2.5 m2 capped at 2 m2: 100 x 2 = 200 mg, then 80 x 2 = 160 mg
    got = doses(r, bsa="2.5 m2")
    assert [t for t, _ in got] == ["200 mg", "160 mg"]
    assert all("2.5 m² capped at bsa_max 2 m²" in d for _, d in got)


# Dose levels -------------------------------------------------------------------------------

LEVELS = ("{drug: pac, dose: 175 mg/m2, days: 1, levels: {-1: 135 mg/m2, -2: 80%}}",
          "{drug: vcr, dose: 1.4 mg/m2, max: 2 mg, days: 1, levels: {-1: 80%}}",
          "{drug: carbo, dose: AUC 5, days: 1, levels: {-1: AUC 4}}",
          "{drug: pbo, placebo: true, days: 1}")


@pytest.mark.parametrize(("levels", "expected"), [
    # BSA 1.84: pac 175 x 1.84 = 322; vcr 2.576 capped 2; carbo 5 x 120 = 600
    (None, ["322 mg", "2 mg", "600 mg", "placebo"]),
    ({"pac": -1}, ["248.4 mg", "2 mg", "600 mg", "placebo"]),  # 135 x 1.84
    ({"pac": -2}, ["257.6 mg", "2 mg", "600 mg", "placebo"]),  # 80% of 322
    ({"vcr": -1}, ["322 mg", "1.6 mg", "600 mg", "placebo"]),  # 80% of the capped 2 mg
    ({"carbo": -1}, ["322 mg", "2 mg", "480 mg", "placebo"]),  # 4 x 120
    ({"pac": 0, "pbo": 0}, ["322 mg", "2 mg", "600 mg", "placebo"]),
])
def test_levels(levels: dict[str, int] | None, expected: list[str]) -> None:
    r = load(*LEVELS)
    assert amounts(r, bsa="1.84 m2", gfr="95 mL/min", levels=levels) == expected


def test_level_derivations_name_the_level() -> None:
    r = load(*LEVELS)
    got = doses(r, bsa="1.84 m2", gfr="95 mL/min", levels={"pac": -1, "vcr": -1})
    assert got[0][1] == ("dose level -1: 135 mg per m² × 1.84 m² (body surface area given) = "
                         "248.4 mg")
    assert got[1][1] == ("dose level -1: 80% of the level-0 dose 2 mg = 1.6 mg (level 0: "
                         "1.4 mg per m² × 1.84 m² (body surface area given) = 2.576 mg, capped "
                         "at the maximum of 2 mg)")


def test_percent_level_is_rounded_by_the_course_rule() -> None:
    r = load("{drug: pac, dose: 375 mg/m2, round: 50 mg, days: 1, levels: {-1: 80%}}")
    # 375 x 1.84 = 690 -> 700; 80% = 560 -> nearest multiple of 50 = 550
    (text, derivation), = doses(r, bsa="1.84 m2", levels={"pac": -1})
    assert text == "550 mg"
    assert derivation.startswith("dose level -1: 80% of the level-0 dose 700 mg = 560 mg, "
                                 "rounded to the nearest multiple of 50 mg = 550 mg (level 0:")


def test_flat_dose_percent_level() -> None:
    r = load("{drug: gent, dose: 125 mg, days: 1, levels: {-1: 80%, -2: 50%}}")
    assert amounts(r, levels={"gent": -2}) == ["62.5 mg"]
    assert doses(r, levels={"gent": -1})[0][1] == (
        "dose level -1: 80% of the level-0 dose 125 mg = 100 mg (level 0: 125 mg (flat dose))")


def test_drug_levels_serve_its_courses() -> None:
    head = HEAD.replace("pac: {name: paclitaxel, route: intravenous}",
                        "pac: {name: paclitaxel, route: intravenous, levels: {-1: 75%}}")
    r = load("{drug: pac, dose: 100 mg, days: 1}", "{drug: pac, dose: 200 mg, days: 8}",
             head=head)
    assert amounts(r, levels={"pac": -1}) == ["75 mg", "150 mg"]


@pytest.mark.parametrize(("levels", "message"), [
    ({"pac": -3}, "levels.pac: dose level -3 is not declared for pac (declared: 0, -1, -2); "
                  "undeclared levels are refused, never guessed (got -3)"),
    ({"gent": -1}, "levels.gent: arm 'x' gives no dose of this drug to change (got -1)"),
    ({"pbo": -1}, "levels.pbo: arm 'x' gives no dose of this drug to change (got -1)"),
    ({"nope": -1}, "levels: no drug has this id (drugs: carbo, pac, vcr, gent, pbo) "
                   "(got 'nope')"),
    ({"pac": "-1"}, "levels.pac: a dose level is a whole number, e.g. -1 (got '-1')"),
])
def test_undeclared_levels_are_refused(levels: dict[str, Any], message: str) -> None:
    r = load(*LEVELS)
    with pytest.raises(ExpandOptionError) as caught:
        doses(r, bsa="1.84 m2", gfr="95 mL/min", levels=levels)
    assert str(caught.value) == message


def test_levels_reach_stepped_courses_as_percentages() -> None:
    r = load("{drug: pac, cycle: 1 week, days: 1, levels: {-1: 50%}, "
             "steps: [{dose: 10 mg, cycles: 1}, {dose: 20 mg, cycles: 2}]}")
    assert amounts(r, levels={"pac": -1}) == ["5 mg", "10 mg", "10 mg"]


@settings(max_examples=60, deadline=None)
@given(percent=st.integers(min_value=1, max_value=100),
       bsa=st.decimals(min_value=D("0.5"), max_value=D("2.5"), places=2))
def test_a_reduced_level_never_exceeds_level_0(percent: int, bsa: D) -> None:
    r = load(f"{{drug: vcr, dose: 1.4 mg/m2, max: 2 mg, days: 1, levels: {{-1: {percent}%}}}}")
    full = D(amounts(r, bsa=f"{bsa} m2")[0].split()[0])
    reduced = D(amounts(r, bsa=f"{bsa} m2", levels={"vcr": -1})[0].split()[0])
    assert reduced <= full <= 2
    assert reduced == full * percent / 100  # no rounding rule: exact


# check with a participant ------------------------------------------------------------------


def test_check_totals_for_a_participant() -> None:
    r = regimens.loads(HEAD.replace("length: 3 weeks", "length: 18 weeks")
                       + "      - {drug: carbo, dose: AUC 5, cycle: 3 weeks, days: 1}\n"
                       + "      - {drug: pac, dose: 175 mg/m2, cycle: 3 weeks, days: 1, "
                       "levels: {-1: 80%}}\n", "r.yaml")
    symbolic = {s.drug: s.total_text() for s in r.check().summaries}
    assert symbolic == {"carbo": "AUC 30", "pac": "1,050 mg per m²"}
    report = r.check(Participant(gfr="95 mL/min", bsa="1.84 m2"), levels={"pac": -1})
    # carbo 6 x 5 x 120 = 3,600 mg; pac 6 x 80% x 322 = 6 x 257.6 = 1,545.6 mg
    assert {s.drug: s.total_text() for s in report.summaries} == {
        "carbo": "3,600 mg", "pac": "1,545.6 mg"}
    # The BSA as every output writes it: m² (cold try 5, finding 3).
    assert "Absolute totals for body surface area 1.84 m², GFR 95 mL/min; dose levels: pac -1." \
        in report.to_text()
    data = report.to_dict()
    assert data["participant"] == {"bsa": "1.84 m2", "gfr": "95 mL/min"}
    assert data["levels"] == {"pac": -1}
    # Without a participant, a level scales the written dose.
    levelled = r.check(levels={"pac": -1})
    assert {s.drug: s.total_text() for s in levelled.summaries}["pac"] == "840 mg per m²"


def test_check_refuses_a_birth_date() -> None:
    r = load("{drug: carbo, dose: AUC 5, days: 1}")
    with pytest.raises(ExpandOptionError, match="check has no calendar dates"):
        r.check(Participant(birth_date=date(1960, 1, 1)))


# Each administration's derivation names its own date ----------------------------------------
# A dose computed from an age taken on a birth date names the date; a cache keyed on the
# age (or anything less than the date) would show the first date of that age everywhere.

_DATED = re.compile(r"on (\d{4}-\d{2}-\d{2}), born")
_BIRTH = {"birth_date": "1963-01-10", "sex": "female", "weight": "70 kg",
          "creatinine": "1.1 mg/dL"}


@pytest.mark.parametrize(("course", "levels", "dates"), [
    # Born 1963-01-10: 63 on 2027-01-04, 64 on 2027-01-11 and on 2027-01-18 (same age).
    ("{drug: carbo, dose: AUC 5, days: [1, 8, 15]}", None,
     ["2027-01-04", "2027-01-11", "2027-01-18"]),
    ("{drug: carbo, dose: AUC 5, levels: {-1: 80%}, days: [1, 8, 15]}", {"carbo": -1},
     ["2027-01-04", "2027-01-11", "2027-01-18"]),
    ("{drug: carbo, dose: AUC 5, levels: {-1: AUC 4}, days: [8, 15]}", {"carbo": -1},
     ["2027-01-11", "2027-01-18"]),
    ("{drug: carbo, daily_dose: AUC 5, times: ['08:00', '20:00'], round: 0.1 mg, "
     "days: [8, 15]}", None,
     ["2027-01-11", "2027-01-11", "2027-01-18", "2027-01-18"]),
    ("{drug: carbo, steps: [{dose: AUC 5, days: [8]}, {dose: AUC 4, days: [15, 16]}]}", None,
     ["2027-01-11", "2027-01-18", "2027-01-19"]),
    ("{drug: pbo, dose: {by: age, bands: [{below: 18 years, dose: 1 mg}, {dose: 2 mg}]}, "
     "days: [8, 15]}", None, ["2027-01-11", "2027-01-18"]),
])
def test_each_derivation_names_its_own_date(course: str, levels: dict[str, int] | None,
                                            dates: list[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        schedule = load(course).expand("x", "2027-01-04", Participant(**_BIRTH),
                                       levels=levels)
    rows = schedule.administrations
    assert [a.date.isoformat() for a in rows] == dates
    for a in rows:
        assert _DATED.findall(a.dose.derivation) == [a.date.isoformat()]


def test_same_age_on_two_dates_gives_the_same_amount() -> None:
    # 64 on both dates: (140 - 64) x 70 / (72 x 1.1) x 0.85 = 57.1 -> 410.5 mg.
    got = doses(load("{drug: carbo, dose: AUC 5, days: [8, 15]}"), **_BIRTH)
    assert [t for t, _ in got] == ["410.5 mg", "410.5 mg"]
    assert "on 2027-01-11" in got[0][1]
    assert "on 2027-01-18" in got[1][1]
