"""Banded doses (issue 16 item 4): the band a participant's weight, age or BSA falls in.

Lower bounds are inclusive, ``below`` exclusive, the last band open. Expected doses are
read off the bands by hand at and around each edge; derivations are pinned word for word.
"""

from __future__ import annotations

import re
import warnings
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import regimens
from regimens import DoseError, MissingMeasurementError, Participant, RegimenError

HEAD = """\
format: regimens/1
id: bands
title: Bands
drugs:
  p: {name: paracetamol, route: oral}
arms:
  x: {label: X}
periods:
  - id: t
    length: 4 weeks
    courses:
"""

WEIGHT = ("{drug: p, days: [1, 8], dose: {by: weight, bands: [{below: 15 kg, dose: 5 mg}, "
          "{below: 30 kg, dose: 10 mg}, {dose: 20 mg}]}}")
AGE = ("{drug: p, days: [1, 8, 15, 22], dose: {by: age, bands: [{below: 18 months, dose: 1 mg},"
       " {below: 2 years, dose: 2 mg}, {dose: 3 mg}]}}")
BSA = ("{drug: p, days: 1, dose: {by: bsa, bands: [{below: 1 m2, dose: 50 mg}, "
       "{dose: 80 mg}]}}")


def load(*courses: str) -> regimens.Regimen:
    return regimens.loads(HEAD + "".join(f"      - {c}\n" for c in courses), "r.yaml")


def doses(regimen: regimens.Regimen, start: str = "2027-01-04",
          **participant: Any) -> list[tuple[str, str]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        schedule = regimen.expand("x", start, Participant(**participant))
    return [(a.dose.text, a.dose.derivation) for a in schedule.administrations]


@pytest.mark.parametrize(("weight", "text"), [
    ("0.5 kg", "5 mg"),
    ("14.99 kg", "5 mg"),   # just under the first edge
    ("15 kg", "10 mg"),     # the edge itself belongs to the band above (lower bound inclusive)
    ("29.999 kg", "10 mg"),
    ("30 kg", "20 mg"),     # the last band is open
    ("120 kg", "20 mg"),
    ("33.0693 lb", "5 mg"),  # 33.0693 lb = 14.99998... kg (x 0.45359237): under 15 kg
    ("66.2 lb", "20 mg"),    # 66.2 lb = 30.02781489 kg
])
def test_weight_bands_at_their_edges(weight: str, text: str) -> None:
    assert {t for t, _ in doses(load(WEIGHT), weight=weight)} == {text}


def test_weight_band_derivation_names_the_band() -> None:
    assert doses(load(WEIGHT), weight="15 kg")[0] == (
        "10 mg", "10 mg (band 2 of 3 by weight, 15 kg to under 30 kg: weight 15 kg)")
    assert doses(load(WEIGHT), weight="40 kg")[0][1] == (
        "20 mg (band 3 of 3 by weight, 30 kg or more: weight 40 kg)")


@pytest.mark.parametrize(("age", "text"), [
    ("17 months", "1 mg"),
    ("18 months", "2 mg"),   # 18 months is the edge: band 2
    ("1.5", "2 mg"),         # 1.5 years = 18 months
    ("23 months", "2 mg"),
    ("2", "3 mg"),
    ("64 years", "3 mg"),
])
def test_age_bands_from_a_given_age(age: str, text: str) -> None:
    assert {t for t, _ in doses(load(AGE), age=age)} == {text}


def test_age_from_a_birth_date_changes_band_within_the_schedule() -> None:
    # Study days 1, 8, 15, 22 from 2027-01-04: 2027-01-04, -11, -18, -25. Born 2025-07-11:
    # 17 months completed on 2027-01-04 (18 on 2027-01-11), 18 on -11 and -18 (under 2 years),
    # born 2025-01-18 would be 24 months on 2027-01-18.
    got = doses(load(AGE), birth_date="2025-07-11")
    assert [t for t, _ in got] == ["1 mg", "2 mg", "2 mg", "2 mg"]
    assert got[0][1] == (
        "1 mg (band 1 of 3 by age, 0 years to under 18 months: age 17 months (completed months "
        "on 2027-01-04, born 2025-07-11; the age is taken on each administration's date, so "
        "the band can change within the schedule))")
    assert got[1][1].startswith("2 mg (band 2 of 3 by age, 18 months to under 2 years: age "
                                "18 months (completed months on 2027-01-11,")
    # The second birthday on 2027-01-18 (the third administration) moves to band 3.
    assert [t for t, _ in doses(load(AGE), birth_date="2025-01-18")] == [
        "2 mg", "2 mg", "3 mg", "3 mg"]


def test_a_month_is_completed_on_the_same_day_of_the_month() -> None:
    # Born 2025-07-31: 17 months completed on 2026-12-31, 18 only on 2027-01-31, after the
    # last date (2027-01-25). Born 2025-07-25: 18 months completed on 2027-01-25 exactly.
    assert [t for t, _ in doses(load(AGE), birth_date="2025-07-31")] == [
        "1 mg", "1 mg", "1 mg", "1 mg"]
    assert [t for t, _ in doses(load(AGE), birth_date="2025-07-25")] == [
        "1 mg", "1 mg", "1 mg", "2 mg"]


@pytest.mark.parametrize(("bsa", "text"), [("0.99 m2", "50 mg"), ("1 m2", "80 mg")])
def test_bsa_bands(bsa: str, text: str) -> None:
    assert doses(load(BSA), bsa=bsa) == [
        (text, f"{text} (band {1 if text == '50 mg' else 2} of 2 by bsa, "
         + ("0 m2 to under 1 m2" if text == "50 mg" else "1 m2 or more")
         + f": bsa {bsa.replace(' m2', '')} m² (body surface area given))")]


def test_bsa_band_from_height_and_weight() -> None:
    # Mosteller: sqrt(100 cm x 16 kg / 3600) = sqrt(0.4444) = 0.6667 m2, rounded to 0.67.
    assert doses(load(BSA), height="100 cm", weight="16 kg")[0][0] == "50 mg"


def test_a_measure_below_the_first_band_is_refused() -> None:
    course = ("{drug: p, days: 1, dose: {by: weight, bands: [{from: 3 kg, below: 15 kg, "
              "dose: 5 mg}, {dose: 10 mg}]}}")
    assert doses(load(course), weight="3 kg")[0][0] == "5 mg"
    with pytest.raises(DoseError, match=re.escape(
            "the weight 2.9 kg is below the first band, which starts at 3 kg: the protocol "
            "gives no dose for it")):
        doses(load(course), weight="2.9 kg")


@pytest.mark.parametrize(("course", "needs"), [(WEIGHT, "weight"), (AGE, "age")])
def test_missing_measure_is_named(course: str, needs: str) -> None:
    with pytest.raises(MissingMeasurementError) as info:
        doses(load(course))
    assert info.value.field == needs


def test_check_totals_are_exact_for_a_participant_and_not_fixed_without() -> None:
    regimen = load(WEIGHT, AGE)
    # 2 x 10 mg (20 kg) + 4 x 3 mg (age 2) = 32 mg
    report = regimen.check(Participant(weight="20 kg", age="2"))
    assert [s.total_text() for s in report.summaries] == ["32 mg"]
    assert [s.total_text() for s in regimen.check().summaries] == ["not fixed"]


def test_percentage_dose_levels_apply_to_the_band() -> None:
    course = WEIGHT[:-1] + ", levels: {-1: 50%}}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        schedule = load(course).expand("x", "2027-01-04", Participant(weight="20 kg"),
                                       levels={"p": -1})
    assert schedule.administrations[0].dose.text == "5 mg"  # 50% of band 2's 10 mg


def test_the_batch_api_refuses_banded_doses_by_name() -> None:
    from regimens.cohort import expand_cohort
    with pytest.raises(DoseError, match=re.escape(
            "the batch API cannot compute a banded dose (by weight: 5 mg under 15 kg, 10 mg "
            "under 30 kg, 20 mg from 30 kg)")):
        expand_cohort(load(WEIGHT), "x", ["2027-01-04"], weights=[20])


@settings(max_examples=60, deadline=None)
@given(st.decimals(min_value=D("0.5"), max_value=D("200"), places=2))
def test_every_weight_has_exactly_the_band_its_edges_say(weight: D) -> None:
    expected = "5 mg" if weight < 15 else "10 mg" if weight < 30 else "20 mg"
    assert doses(load(WEIGHT), weight=f"{weight} kg")[0][0] == expected


def test_a_banded_dose_record_refuses_unordered_bands() -> None:
    from regimens.model import BandBy, Dose, DoseBand
    from regimens.quantities import parse_dose_quantity
    five, ten = parse_dose_quantity("5 mg"), parse_dose_quantity("10 mg")
    with pytest.raises(RegimenError, match="bands in increasing order"):
        Dose(five, band_by=BandBy.WEIGHT, bands=(DoseBand(D(30), five), DoseBand(D(15), ten),
                                                 DoseBand(None, ten)))
    with pytest.raises(RegimenError, match="the last band is open"):
        Dose(five, band_by=BandBy.WEIGHT, bands=(DoseBand(D(15), five), DoseBand(D(30), ten)))


def test_banded_doses_round_trip_through_dumps() -> None:
    course = ("{drug: p, days: 1, dose: {by: age, bands: [{from: 6 months, below: 18 months, "
              "dose: 1 mg}, {below: 3 years, dose: 2 mg}, {dose: 3 mg}]}}")
    for regimen in (load(WEIGHT, AGE, BSA), load(course)):
        assert regimens.loads(regimens.dumps(regimen), "again.yaml") == regimen
