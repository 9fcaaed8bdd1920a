"""Relative dose intensity in the dose's own basis (issue 13): a per-m² dose is measured in
mg/m² (Hryniuk's dose intensity), a per-kg dose in mg/kg, an AUC dose in the AUC
delivered (amount / (GFR + 25), Calvert); a flat dose in mg. Each amount given is divided
by the body size that administration's dose was computed from, each planned amount by the
one the plan's was; the plain ratio of the totals stays one of amounts.

By hand. The participant: 180 cm, 80 kg, GFR 95 mL/min: BSA (Mosteller) √(180 × 80 /
3600) = √4 = 2 m². On 2027-02-01 (after cycle 2, before cycle 3) the record measures
64.8 kg (BSA √(180 × 64.8 / 3600) = √3.24 = 1.8 m²) and a GFR of 75 mL/min; doses are
recomputed from each new measurement (no redose rule). Four cycles of 21 days from Monday
2027-01-04: cycle n on 2027-01-04 + 21 (n - 1) days (01-04, 01-25, 02-15, 03-08); given on
time, the actual and the planned times are both 63 + 21 = 84 days.

- flat 100 mg: 100 mg every cycle;
- 100 mg/m²: 200 mg (2 m²), then 180 mg (1.8 m²): 100 mg/m² each time;
- 5 mg/kg: 400 mg (80 kg), then 324 mg (64.8 kg): 5 mg/kg each time;
- AUC 5: 5 × (95 + 25) = 600 mg, then 5 × (75 + 25) = 500 mg: AUC 5 each time;
- 100 mg/m² with bsa_max 1.9 m²: 190 mg (2 m² capped at 1.9), then 180 mg: 100 mg per
  m² of the BSA the dose was computed from (against the actual 2 m² it would read 95).
"""

from __future__ import annotations

import json
import warnings
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import regimens
from regimens import Participant, read_record
from regimens.export import summary_json, summary_lines
from regimens.quantities import Basis, parse_amount
from regimens.record import DrugSummary, Outcome, one_decimal, relative_dose_intensity, summarize
from support.records import RECORD_HEADER

REGIMEN = regimens.loads("""\
format: regimens/1
id: bases
title: One drug per basis
drugs:
  flat: {name: flatmab, route: intravenous}
  m2: {name: permtwo, route: intravenous}
  kg: {name: perkg, route: intravenous}
  carbo: {name: carboplatin, route: intravenous}
  cap: {name: capped, route: intravenous}
arms:
  a: {label: A}
periods:
  - id: t
    length: 12 weeks
    courses:
      - {drug: flat, dose: 100 mg, cycle: 21 days, cycles: 4, days: [1]}
      - {drug: m2, dose: 100 mg/m2, cycle: 21 days, cycles: 4, days: [1]}
      - {drug: kg, dose: 5 mg/kg, cycle: 21 days, cycles: 4, days: [1]}
      - {drug: carbo, dose: AUC 5, cycle: 21 days, cycles: 4, days: [1]}
      - {drug: cap, dose: 100 mg/m2, bsa_max: 1.9 m2, cycle: 21 days, cycles: 4, days: [1]}
""", "bases.yaml")
PERSON = Participant(weight="80 kg", height="180 cm", gfr="95 mL/min")
MEASURED = "2027-02-01,measure,,,,64.8 kg,,\n2027-02-01,measure,,,,75 mL/min,,\n"
DATES = ("2027-01-04", "2027-01-25", "2027-02-15", "2027-03-08")


def rows(drug: str, amounts: dict[int, str] | None = None, missed: tuple[int, ...] = (),
         delay: str = "", dates: tuple[str, ...] = DATES) -> str:
    """The drug's four cycles given on ``dates`` (cycle -> the amount given, when not the
    planned one; ``missed`` cycles recorded missed); ``delay``: rows before them."""
    out = MEASURED + delay
    for cycle, day in enumerate(dates, start=1):
        if cycle in missed:
            out += f"{day},missed,{drug},{cycle},1,,,\n"
        else:
            out += f"{day},given,{drug},,,{(amounts or {}).get(cycle, '')},,\n"
    return out


def schedule(text: str) -> regimens.Schedule:
    record = read_record(RECORD_HEADER + text, name="R.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        return REGIMEN.expand("a", "2027-01-04", PERSON, record=record)


def drug_summary(s: regimens.Schedule, drug: str) -> DrugSummary:
    assert s.replayed is not None
    (found,) = [d for d in s.replayed.summary.drugs if d.drug == drug]
    assert isinstance(found, DrugSummary)
    return found


CASES = [
    # (id, drug, record rows, RDI basis, RDI shown, delivered / planned amounts shown)
    ("flat in full", "flat", rows("flat"), "absolute", "100.0", "100.0"),
    # 100 + 50 + 100 + 100 = 350 of 400 mg over the same 84 days: 87.5%, 87.5%.
    ("flat partial", "flat", rows("flat", {2: "50 mg"}), "absolute", "87.5", "87.5"),
    # 100 mg/m2 every time: 100%; the amounts 200 + 200 + 180 + 180 = 760 of 800 mg: 95%
    # (the absolute RDI read 95%: the recomputed doses counted as lost intensity).
    ("per m2 redosed in full", "m2", rows("m2"), "per_m2", "100.0", "95.0"),
    # Cycle 3: 90 mg of 180 mg = 50 mg/m2: 350 of 400 mg/m2 = 87.5%; amounts 670 of
    # 800 mg = 83.75%, half up 83.8%.
    ("per m2 partial", "m2", rows("m2", {3: "90 mg"}), "per_m2", "87.5", "83.8"),
    # Cycle 2 missed: 300 of 400 mg/m2 over 84 days both: 75%; amounts 560 of 800: 70%.
    # (The cycles started, 1, 3 and 4, planned 300 mg/m2 over 84 days: 100%.)
    ("per m2 missed", "m2", rows("m2", missed=(2,)), "per_m2", "75.0", "70.0"),
    # Cycle 3 a week late (02-22), cycle 4 with it (03-15): 400 mg/m2 over 70 + 21 = 91
    # days against 400 over 84: 84 / 91 = 92.307...%; amounts 760 of 800: 95%.
    ("per m2 delayed", "m2", rows("m2", delay="2027-02-22,delay,m2,3,,,,\n",
                                  dates=(*DATES[:2], "2027-02-22", "2027-03-15")),
     "per_m2", "92.3", "95.0"),
    # Besides, 100 mg given on 2027-01-10, fulfilling no planned administration (a
    # deviation, counted as given): 100 / 2 m2 = 50 mg/m2: 450 of 400 mg/m2 over the same
    # 84 days = 112.5% (> 100%); amounts 860 of 800 mg = 107.5%.
    ("per m2 with a dose fulfilling none", "m2",
     rows("m2") + "2027-01-10,given,m2,,,100 mg,,\n", "per_m2", "112.5", "107.5"),
    # 5 mg/kg every time: 100%; amounts 400 + 400 + 324 + 324 = 1,448 of 1,600: 90.5%.
    ("per kg redosed in full", "kg", rows("kg"), "per_kg", "100.0", "90.5"),
    # Cycle 4: 162 mg of 324 = 2.5 mg/kg: 17.5 of 20 mg/kg = 87.5%; amounts 1,286 of
    # 1,600 = 80.375%, half up 80.4%.
    ("per kg partial", "kg", rows("kg", {4: "162 mg"}), "per_kg", "87.5", "80.4"),
    # AUC 5 every time: 100%; amounts 600 + 600 + 500 + 500 = 2,200 of 2,400: 91.666...%.
    ("AUC redosed in full", "carbo", rows("carbo"), "auc", "100.0", "91.7"),
    # Cycle 1: 300 mg of 600 = AUC 2.5: 17.5 of 20 = 87.5%; amounts 1,900 of 2,400 =
    # 79.166...%.
    ("AUC partial", "carbo", rows("carbo", {1: "300 mg"}), "auc", "87.5", "79.2"),
    # BSA capped at 1.9 m2: 190, 190, 180, 180 mg = 100 mg/m2 of the BSA used each time:
    # 100%; amounts 740 of 760 = 97.368...%.
    ("per m2 capped", "cap", rows("cap"), "per_m2", "100.0", "97.4"),
]


@pytest.mark.parametrize(("drug", "text", "basis", "percent", "ratio"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rdi_in_the_doses_own_basis(drug: str, text: str, basis: str, percent: str,
                                    ratio: str) -> None:
    s = schedule(text)
    d = drug_summary(s, drug)
    assert d.rdi_basis == basis
    data = json.loads(s.to_json())
    (rdi,) = [x["rdi"] for x in data["summary"]["drugs"] if x["drug"] == drug]
    assert rdi["basis"] == basis
    assert rdi["protocol"]["percent"] == percent
    assert rdi["protocol"]["delivered_over_planned"] == ratio
    # Every cycle was started (but the one missed): the two RDIs are the same.
    started = "100.0" if "missed" in text else percent
    assert rdi["cycles_started"]["percent"] == started


def test_a_per_m2_rdi_is_exact() -> None:
    # Cycle 3 given 90 mg for 1.8 m2: 50 mg/m2 exactly; 350 / 400 = 7 / 8.
    d = drug_summary(schedule(rows("m2", {3: "90 mg"})), "m2")
    assert d.intensity is not None
    assert d.intensity.exact == Fraction(175, 2)
    assert d.intensity.percent == Decimal("87.5")
    # The ratio is of the amounts: 670 / 800.
    assert d.intensity.ratio_exact == Fraction(670 * 100, 800)


def test_the_table_says_the_basis_and_that_the_totals_are_amounts() -> None:
    table = schedule(rows("m2")).to_table()
    assert ("    given 760 mg of 800 mg planned (95.0%); cycles started: 800 mg planned "
            "(95.0%)") in table
    assert ("    relative dose intensity per m² 100.0% (>= 85%) against the protocol, 100.0% "
            "(>= 85%) against the cycles started (first to last dose + one 21-day cycle; "
            "each amount over the BSA it was computed from; the totals above and their "
            "percentages are absolute amounts)") in table
    by_kg = schedule(rows("kg")).to_table()
    assert "relative dose intensity per kg 100.0% (>= 85%)" in by_kg
    assert "each amount over the weight it was computed from" in by_kg
    auc = schedule(rows("carbo")).to_table()
    assert "relative dose intensity in AUC 100.0% (>= 85%)" in auc
    assert "each amount over the GFR + 25 mL/min it was computed from (Calvert)" in auc
    flat = schedule(rows("flat")).to_table()
    assert ("relative dose intensity 100.0% (>= 85%) against the protocol, 100.0% (>= 85%) "
            "against the cycles started (first to last dose + one 21-day cycle; absolute "
            "amounts)") in flat


def test_outcomes_without_body_sizes_fall_back_to_absolute_amounts() -> None:
    # Outcomes built by hand for a per-m2 drug but without the sizes: the RDI cannot be per
    # m2, and says it is of amounts (200 of 200 mg, then 180 of 200 mg: 380 / 400 = 95%).
    mg = parse_amount
    outcomes = [Outcome("m2", "t", 1, n, "given", date.fromisoformat(day),
                        date.fromisoformat(day), mg("200 mg"), mg(given))
                for n, (day, given) in enumerate(zip(DATES[:2], ("200 mg", "180 mg"),
                                                     strict=True), start=1)]
    record = read_record(RECORD_HEADER, name="R.csv")
    (d,) = summarize(REGIMEN, record, outcomes).drugs
    assert (d.rdi_basis, d.dose_basis.value) == ("absolute", "per_m2")
    assert d.intensity is not None
    assert d.intensity.shown == Decimal("95.0")
    (line,) = [x for x in summary_lines(summarize(REGIMEN, record, outcomes))
               if "relative dose intensity" in x]
    assert line.endswith("(first to last dose + one 21-day cycle; absolute amounts, not "
                         "per m²)")
    # With the sizes (2 m2, then 1.8 m2 for the second): 100 mg/m2 each, 100%.
    sized = [Outcome(o.drug, o.period, o.course, o.cycle, o.status, o.planned_date,
                     o.date, o.planned_amount, o.amount, basis=Basis.PER_M2,
                     planned_size=Decimal(2), size=Decimal(2) if n == 0 else Decimal("1.8"))
             for n, o in enumerate(outcomes)]
    (d,) = summarize(REGIMEN, record, sized).drugs
    assert d.rdi_basis == "per_m2"
    assert d.intensity is not None
    assert d.intensity.percent == 100
    assert summary_json(summarize(REGIMEN, record, sized))["drugs"][0]["rdi"]["basis"] == (
        "per_m2")


# Percentages: one decimal always, half up, from the exact value --------------------------

@pytest.mark.parametrize(("exact", "shown"), [
    (Fraction(1699, 20), "85.0"),  # 84.95: half up
    (Fraction(16989, 200), "84.9"),  # 84.945
    (Fraction(100), "100.0"), (Fraction(0), "0.0"), (Fraction(85), "85.0"),
    (Fraction(2001, 20), "100.1"),  # 100.05
    (Fraction(20009, 200), "100.0"),  # 100.045
    (Fraction(1299, 20), "65.0"),  # 64.95
    (Fraction(200, 3), "66.7"), (Fraction(1, 3), "0.3"),
    (Decimal("84.95"), "85.0"), (Decimal("83.75"), "83.8"), (Decimal(60), "60.0"),
])
def test_one_decimal_half_up(exact: Fraction | Decimal, shown: str) -> None:
    assert f"{one_decimal(exact):f}" == shown


@pytest.mark.parametrize(("given", "band", "shown"), [
    # Two doses of 100 mg planned 21 days apart, both given on time; the second amount
    # sets the RDI: (100 + x) / 200.
    ("69.9", ">= 85%", "85.0"),  # 84.95%: shown 85.0, in the band of what is shown
    ("69.89", "65-85%", "84.9"),  # 84.945%
    ("70", ">= 85%", "85.0"),
    ("29.9", "65-85%", "65.0"),  # 64.95%
    ("29.89", "< 65%", "64.9"),  # 64.945%
    ("100.09", ">= 85%", "100.0"),  # 100.045%: shown 100.0, not over 100
    ("100.1", "> 100%", "100.1"),  # 100.05%
    ("0", "< 65%", "50.0"),
])
def test_bands_follow_the_rdi_as_shown(given: str, band: str, shown: str) -> None:
    d = date.fromisoformat
    plan = [(d("2027-01-04"), Decimal(100)), (d("2027-01-25"), Decimal(100))]
    rdi = relative_dose_intensity([plan[0], (plan[1][0], Decimal(given))], plan, 21)
    expected = (100 + Fraction(Decimal(given))) / 2
    assert rdi.exact == expected
    assert (f"{rdi.shown:f}", rdi.band) == (shown, band)


def test_a_boundary_is_rounded_from_the_exact_value_not_from_28_digits() -> None:
    # Delivered 1,699 mg over 21 days against 2,000 mg planned over 21 days: exactly 84.95%
    # (1,699 / 21 and 2,000 / 21 have no finite decimal form).
    d = date.fromisoformat
    plan = [(d("2027-01-04"), Decimal(1000)), (d("2027-01-04"), Decimal(1000))]
    rdi = relative_dose_intensity([(d("2027-01-04"), Decimal(1699))], plan, 21)
    assert rdi.exact == Fraction(1699, 20)
    assert (f"{rdi.shown:f}", rdi.band) == ("85.0", ">= 85%")


def test_percentages_keep_their_decimal_in_json_and_text() -> None:
    # Flat 100 mg: 100 + 50 + 100 + 100 = 350 of 400 mg: 87.5%; in full: "100.0", not "100".
    s = schedule(rows("flat"))
    data = json.loads(s.to_json())
    (flat,) = [x for x in data["summary"]["drugs"] if x["drug"] == "flat"]
    assert flat["rdi"]["protocol"]["percent"] == "100.0"
    assert flat["rdi"]["protocol"]["delivered_over_planned"] == "100.0"
    # A drug with nothing given: 0.0% of its planned total.
    (kg,) = [x for x in data["summary"]["drugs"] if x["drug"] == "kg"]
    assert kg["rdi"]["protocol"]["percent"] is None
    assert kg["rdi"]["protocol"]["delivered_over_planned"] == "0.0"
    # 4 x 400 mg planned (the plan's amounts, for 80 kg).
    assert "given nothing of 1,600 mg planned (0.0%)" in s.to_table()
    assert "flatmab (flat): 4 given" in s.to_calendar()
    assert "100.0% (>= 85%) against the protocol" in s.to_calendar()


# The property --------------------------------------------------------------------------

PROPERTY = regimens.loads("""\
format: regimens/1
id: gemlike
title: Per m2 and per kg, weekly
drugs:
  gem: {name: gemcitabine, route: intravenous}
  mab: {name: demo-mab, route: intravenous}
arms:
  a: {label: A}
periods:
  - id: t
    length: 12 weeks
    courses:
      - {drug: gem, dose: 1000 mg/m2, cycle: 14 days, cycles: 6, days: [1, 8]}
      - {drug: mab, dose: 10 mg/kg, cycle: 14 days, cycles: 6, days: [1]}
""", "gemlike.yaml")


@settings(max_examples=30, deadline=None)
@given(st.integers(40, 140), st.dictionaries(st.integers(0, 84), st.decimals(
    "40", "140", places=1), max_size=6))
def test_every_planned_dose_given_in_full_is_100_percent_whatever_the_weight(
        start_kg: int, weights: dict[int, Decimal]) -> None:
    """A per-m² (per-kg) drug given in full at every planned administration, on time, is
    at 100.0% per m² (per kg), whatever weights are measured along the way (each dose is
    the dose per m² times the BSA it was computed from)."""
    start = date(2027, 1, 4)
    text = "".join(f"{start + timedelta(days)},measure,,,,{kg} kg,,\n"
                   for days, kg in sorted(weights.items()))
    plan = PROPERTY.expand("a", start, Participant(weight=f"{start_kg} kg", height="170 cm"))
    text += "".join(f"{a.date},given,{a.drug},,,,,\n" for a in plan.administrations)
    record = read_record(RECORD_HEADER + text, name="R.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        s = PROPERTY.expand("a", start, Participant(weight=f"{start_kg} kg", height="170 cm"),
                            record=record)
    assert s.replayed is not None
    for d in s.replayed.summary.drugs:
        assert d.rdi_basis == {"gem": "per_m2", "mab": "per_kg"}[d.drug]
        assert d.intensity is not None
        assert d.intensity.exact == 100
        assert f"{d.intensity.shown:f}" == "100.0"
