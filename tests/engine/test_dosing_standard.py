"""Rounding to standard doses (``round:`` as a mapping): dose bands, a dose-banding table and
whole vials, for one participant.

Every expected dose is worked by hand (the comment beside each case): the calculated dose is
the dose per m2 x the BSA given; |standard - calculated| / calculated is compared with the
tolerance, the edge within; equally near standard doses go to the higher.
"""

from __future__ import annotations

import warnings
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import regimens
from regimens import (
    Amount,
    DoseError,
    DoseRange,
    OutsideTolerance,
    Participant,
    StandardDoses,
    StandardDoseWarning,
)
from regimens.quantities import parse_amount

HEAD = """\
format: regimens/1
id: standard
title: Standard doses
drugs:
  gem: {name: gemcitabine, route: intravenous}
  mab: {name: demo-mab, route: intravenous, vials: [100 mg, 500 mg]}
  small: {name: demo-small, route: intravenous, vials: [100 mg]}
arms:
  x: {label: X}
periods:
  - id: t
    length: 1 week
    courses:
"""
BANDS = "{bands: [1600 mg, 1800 mg, 2000 mg], tolerance: 5%}"
TABLE = ("{table: [{from: 1520 mg, below: 1710 mg, dose: 1600 mg}, "
         "{from: 1710 mg, below: 1900 mg, dose: 1800 mg}]}")
TO_VIAL = "{to_vial: true, tolerance: 10%}"


def load(course: str) -> regimens.Regimen:
    return regimens.loads(HEAD + f"      - {course}\n", "r.yaml")


def expand(course: str, bsa: str, **options: Any) -> regimens.Schedule:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load(course).expand("x", "2027-01-04", Participant(bsa=bsa), **options)


def dose(course: str, bsa: str) -> tuple[str, str]:
    a = expand(course, bsa).administrations[0]
    return a.dose.text, a.dose.derivation


@pytest.mark.parametrize(("bsa", "text"), [
    ("1.75 m2", "1,800 mg"),   # 1,750: 1,800 is 50 away (2.86%), 1,600 is 150
    ("1.6 m2", "1,600 mg"),    # a band itself
    ("1.53 m2", "1,600 mg"),   # 1,530: 70 / 1,530 = 4.58%
    ("2.1 m2", "2,000 mg"),    # 2,100: 100 / 2,100 = 4.76%
    ("1.86 m2", "1,800 mg"),   # 1,860: 60 / 1,860 = 3.23%, 2,000 is 140 away
    ("1.9 m2", None),          # 1,900: midway, 2,000 by the tie rule, 100 / 1,900 = 5.26%
    ("1.52 m2", None),         # 1,520: 80 / 1,520 = 5.26%
    ("2.11 m2", None),         # 2,110: 110 / 2,110 = 5.21%
])
def test_dose_bands(bsa: str, text: str | None) -> None:
    course = f"{{drug: gem, dose: 1000 mg/m2, round: {BANDS}, days: 1}}"
    if text is None:
        with pytest.raises(DoseError, match="no standard dose is within 5% of it"):
            dose(course, bsa)
        return
    assert dose(course, bsa)[0] == text


def test_dose_bands_derivation_states_the_rule_and_the_numbers() -> None:
    course = f"{{drug: gem, dose: 1000 mg/m2, round: {BANDS}, days: 1}}"
    assert dose(course, "1.75 m2")[1] == (
        "1,000 mg per m² × 1.75 m² (body surface area given) = 1,750 mg, rounded to the nearest "
        "standard dose (dose bands 1,600 mg, 1,800 mg, 2,000 mg; within 5%) = 1,800 mg (about "
        "2.86% above the calculated dose)")


@pytest.mark.parametrize(("bands", "bsa", "text", "said"), [
    # The tolerance edge is within: 1,050 is 50 / 1,000 = 5% above 1,000 exactly.
    ("[1050 mg]", "1 m2", "1,050 mg", "(5% above the calculated dose)"),
    # 950 is 50 / 1,000 = 5% below exactly.
    ("[950 mg]", "1 m2", "950 mg", "(5% below the calculated dose)"),
    # 999.9: 50.1 / 999.9 = 5.0105% above: just outside.
    ("[1050 mg]", "0.9999 m2", None, "about 5.01% above it"),
    # 1,000.1: 49.9 / 1,000.1 = 4.9895% above (1,050) or 5.0045% below (950): within.
    ("[950 mg, 1050 mg]", "1.0001 m2", "1,050 mg", "(about 4.99% above the calculated dose)"),
    # Equally near (1,000 is midway): the higher, 5% above, and the derivation says so.
    ("[950 mg, 1050 mg]", "1 m2", "1,050 mg",
     "(5% above the calculated dose; 950 mg is as near: the higher is given)"),
    # 50 / 1,000.05 = 4.99975...%: shown with the decimals that tell it from 5% (4 decimals,
    # half up), not as "about 5%".
    ("[1050.05 mg]", "1.00005 m2", "1,050.05 mg", "(about 4.9998% above"),
])
def test_tolerance_edges_and_ties(bands: str, bsa: str, text: str | None, said: str) -> None:
    course = (f"{{drug: gem, dose: 1000 mg/m2, round: {{bands: {bands}, tolerance: 5%}}, "
              "days: 1}")
    if text is None:
        with pytest.raises(DoseError) as caught:
            dose(course, bsa)
        assert said in str(caught.value)
        return
    got = dose(course, bsa)
    assert got[0] == text
    assert said in got[1]


def test_bands_in_other_units_give_the_dose_in_its_unit() -> None:
    # 1,750 mg: nearest 1.8 g = 1,800 mg.
    course = ("{drug: gem, dose: 1000 mg/m2, round: {bands: [1.6 g, 1.8 g], tolerance: 5%}, "
              "days: 1}")
    assert dose(course, "1.75 m2")[0] == "1,800 mg"


def test_cap_comes_after_the_standard_dose() -> None:
    # 1,750 -> band 1,800 -> capped at 1,700 (a cap is never exceeded).
    course = f"{{drug: gem, dose: 1000 mg/m2, max: 1700 mg, round: {BANDS}, days: 1}}"
    text, derivation = dose(course, "1.75 m2")
    assert text == "1,700 mg"
    assert derivation.endswith("= 1,800 mg (about 2.86% above the calculated dose), capped at "
                               "the maximum of 1,700 mg")


def test_outside_calculated_gives_the_calculated_dose_with_a_named_warning() -> None:
    course = ("{drug: gem, dose: 1000 mg/m2, round: {bands: [1600 mg, 1800 mg], tolerance: 5%,"
              " outside: calculated}, days: [1, 2]}")
    with pytest.warns(StandardDoseWarning) as caught:
        schedule = load(course).expand("x", "2027-01-04", Participant(bsa="1.7 m2"))
    # 1,700: midway, 1,800 by the tie rule, 100 / 1,700 = 5.88%: given as 1,700 mg.
    assert [a.dose.text for a in schedule.administrations] == ["1,700 mg", "1,700 mg"]
    assert len(caught) == 1  # once per dose, not per administration
    assert [type(w) for w in schedule.warnings] == [StandardDoseWarning]
    assert "given as calculated" in schedule.administrations[0].dose.derivation


@pytest.mark.parametrize(("bsa", "text"), [
    ("1.52 m2", "1,600 mg"),     # the first 'from' is inclusive
    ("1.70999 m2", "1,600 mg"),  # 1,709.99: under 1,710
    ("1.71 m2", "1,800 mg"),     # 1,710: the next row's 'from'
    ("1.89999 m2", "1,800 mg"),
    ("1.9 m2", None),            # the last 'below' is exclusive: outside the table
    ("1.51999 m2", None),        # below the first row
])
def test_dose_banding_table(bsa: str, text: str | None) -> None:
    course = f"{{drug: gem, dose: 1000 mg/m2, round: {TABLE}, days: 1}}"
    if text is None:
        with pytest.raises(DoseError, match="outside the dose-banding table, which covers "
                           "1,520 mg to under 1,900 mg"):
            dose(course, bsa)
        return
    assert dose(course, bsa)[0] == text


def test_dose_banding_table_derivation() -> None:
    course = f"{{drug: gem, dose: 1000 mg/m2, round: {TABLE}, days: 1}}"
    assert dose(course, "1.75 m2")[1] == (
        "1,000 mg per m² × 1.75 m² (body surface area given) = 1,750 mg, by the dose-banding "
        "table (row 2 of 2: 1,710 mg to under 1,900 mg gives 1,800 mg) = 1,800 mg (about 2.86% "
        "above the calculated dose)")


@pytest.mark.parametrize(("drug", "bsa", "text"), [
    ("mab", "0.72 m2", "700 mg"),    # 720: 700 is 20 away (2.78%), 800 is 80
    ("mab", "0.75 m2", "800 mg"),    # 750: midway, the higher: 50 / 750 = 6.67%
    ("mab", "1 m2", "1,000 mg"),     # 2 x 500: whole vials already
    ("small", "0.91 m2", "100 mg"),  # 100 mg/m2 x 0.91 = 91: (100 - 91) / 91 = 9.89%
    ("small", "0.909 m2", None),     # 90.9: 9.1 / 90.9 = 10.01%, nothing below 100 mg
])
def test_round_to_whole_vials(drug: str, bsa: str, text: str | None) -> None:
    per_m2 = "100 mg/m2" if drug == "small" else "1000 mg/m2"
    course = f"{{drug: {drug}, dose: {per_m2}, round: {TO_VIAL}, days: 1}}"
    if text is None:
        with pytest.raises(DoseError, match="no whole-vial amount is within 10% of it"):
            dose(course, bsa)
        return
    assert dose(course, bsa)[0] == text


def test_round_to_whole_vials_derivation_and_vials() -> None:
    course = f"{{drug: mab, dose: 1000 mg/m2, round: {TO_VIAL}, days: 1}}"
    a = expand(course, "0.72 m2").administrations[0]
    assert a.dose.derivation == (
        "1,000 mg per m² × 0.72 m² (body surface area given) = 720 mg, rounded to the nearest "
        "whole-vial amount (vials of 100 mg, 500 mg; within 10%) = 700 mg (about 2.78% below "
        "the calculated dose)")
    # 700 mg is 1 x 500 mg + 2 x 100 mg, nothing wasted.
    assert a.dose.vials is not None
    assert [(str(s), n) for s, n in a.dose.vials.vials] == [("500 mg", 1), ("100 mg", 2)]
    assert a.dose.vials.waste == Amount(D(0), parse_amount("1 mg").unit)


def test_two_drugs_sharing_a_dose_round_to_their_own_vials() -> None:
    # The same Dose on two drugs: each rounds to its own vials (no shared computation).
    r = regimens.loads(HEAD + f"      - {{drug: mab, dose: 1000 mg/m2, round: {TO_VIAL}, "
                       "days: 1}\n"
                       f"      - {{drug: small, dose: 1000 mg/m2, round: {TO_VIAL}, days: 1}}\n",
                       "r.yaml")
    schedule = r.expand("x", "2027-01-04", Participant(bsa="0.75 m2"))
    assert [a.dose.text for a in schedule.administrations] == ["800 mg", "800 mg"]
    # 750 mg: both round to 800 mg (midway between 700 and 800, the higher), each by its own
    # vials, which the derivation names.
    derivations = [a.dose.derivation for a in schedule.administrations]
    assert "vials of 100 mg, 500 mg" in derivations[0]
    assert "vials of 100 mg;" in derivations[1]


def test_dose_level_percentages_round_again() -> None:
    # Level 0: 2,000 (a band). Level -1: 90% of 2,000 = 1,800 (a band).
    course = (f"{{drug: gem, dose: 1000 mg/m2, round: {BANDS}, levels: {{-1: 90%}}, "
              "days: 1}")
    a = expand(course, "2 m2", levels={"gem": -1}).administrations[0]
    assert a.dose.text == "1,800 mg"
    assert a.dose.derivation.startswith(
        "dose level -1: 90% of the level-0 dose 2,000 mg = 1,800 mg, rounded to the nearest "
        "standard dose (dose bands 1,600 mg, 1,800 mg, 2,000 mg; within 5%) = 1,800 mg")


def test_auc_dose_to_bands() -> None:
    # AUC 5 x (GFR 95 + 25) = 600 mg; bands 550 / 600 / 650: 600 itself.
    r = regimens.loads(HEAD + "      - {drug: gem, dose: AUC 5, round: {bands: [550 mg, 650 mg],"
                       " tolerance: 10%}, days: 1}\n", "r.yaml")
    schedule = r.expand("x", "2027-01-04", Participant(gfr="95 mL/min"))
    # 600: midway between 550 and 650: the higher, 50 / 600 = 8.33% (within 10%).
    assert schedule.administrations[0].dose.text == "650 mg"


def test_check_with_a_participant_totals_standard_doses() -> None:
    course = f"{{drug: gem, dose: 1000 mg/m2, round: {BANDS}, days: [1, 2]}}"
    report = load(course).check(Participant(bsa="1.75 m2"))
    assert "3,600 mg" in report.to_text()  # 2 x 1,800


# The model refuses what the file refuses (Python callers) -------------------------------------


def _mg(text: str) -> Amount:
    return parse_amount(text)


@pytest.mark.parametrize(("kwargs", "code"), [
    ({}, "standard-dose-kind"),
    ({"bands": (_mg("1 mg"),), "to_vial": True, "tolerance": D(5)}, "standard-dose-kind"),
    ({"bands": (_mg("1 mg"),)}, "standard-dose-without-tolerance"),
    ({"bands": (_mg("1 mg"),), "tolerance": D(0)}, "bad-tolerance"),
    ({"bands": (_mg("1 mg"),), "tolerance": D(101)}, "bad-tolerance"),
    ({"bands": (_mg("2 mg"), _mg("1 mg")), "tolerance": D(5)}, "bands-unordered"),
    ({"table": (DoseRange(_mg("1 mg"), _mg("2 mg"), _mg("1.5 mg")),), "tolerance": D(5)},
     "tolerance-with-table"),
    ({"table": (DoseRange(_mg("1 mg"), _mg("2 mg"), _mg("1.5 mg")),
                DoseRange(_mg("2.5 mg"), _mg("3 mg"), _mg("2.5 mg")))}, "table-gap"),
    ({"table": (DoseRange(_mg("1 mg"), _mg("2 mg"), _mg("1.5 mg")),
                DoseRange(_mg("1.5 mg"), _mg("3 mg"), _mg("2.5 mg")))}, "table-overlap"),
    ({"table": (DoseRange(_mg("2 mg"), _mg("1 mg"), _mg("1.5 mg")),)}, "table-range-empty"),
    ({"bands": (_mg("1 mg"),), "tolerance": D(5), "outside": "warn"}, "not-one-of"),
])
def test_standard_doses_refused_in_python(kwargs: dict[str, Any], code: str) -> None:
    with pytest.raises(regimens.InvalidRegimenError) as caught:
        StandardDoses(**kwargs)
    assert code in [p.code for p in caught.value.problems]


def test_standard_doses_round_trip() -> None:
    for rule in (BANDS, TABLE, "{bands: [1 g], tolerance: 2.5%, outside: calculated}"):
        r = load(f"{{drug: gem, dose: 1000 mg/m2, round: {rule}, days: 1}}")
        assert regimens.loads(regimens.dumps(r)) == r
    standard = StandardDoses(bands=(_mg("1 g"),), tolerance=D("2.5"),
                             outside=OutsideTolerance.CALCULATED)
    assert standard.outside is OutsideTolerance.CALCULATED


# An invariant: the dose given is the nearest standard dose, within the tolerance ----------------


@settings(max_examples=60, deadline=None)
@given(bands=st.lists(st.integers(1, 400), min_size=1, max_size=5, unique=True),
       calculated=st.integers(1, 500), tolerance=st.integers(1, 30))
def test_bands_give_the_nearest_within_the_tolerance(bands: list[int], calculated: int,
                                                     tolerance: int) -> None:
    bands.sort()
    text = ", ".join(f"{b} mg" for b in bands)
    r = load(f"{{drug: gem, dose: {calculated} mg/m2, round: {{bands: [{text}], tolerance: "
             f"{tolerance}%}}, days: 1}}")
    participant = Participant(bsa="1 m2")
    distance = min(abs(b - calculated) for b in bands)
    nearest = max(b for b in bands if abs(b - calculated) == distance)
    if distance * 100 > tolerance * calculated:
        with pytest.raises(DoseError):
            r.expand("x", "2027-01-04", participant)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = r.expand("x", "2027-01-04", participant).administrations[0]
    assert a.dose.amount == Amount(D(nearest), parse_amount("1 mg").unit)


def test_check_without_a_participant_says_before_rounding() -> None:
    # 1,000 mg per m2 on days 1 and 2: 2,000 mg per m2, before the standard doses.
    report = load(f"{{drug: gem, dose: 1000 mg/m2, round: {BANDS}, days: [1, 2]}}").check()
    assert report.summaries[0].total_text() == "2,000 mg per m² (before caps and rounding)"
