"""Dosage forms and strengths expanded for a participant (issue 16 item 6): "2 tablets
(1,000 mg)" in every output, mass doses rounded to whole or half tablets, totals per
dimension. Every expected value is computed by hand in the comments."""

from __future__ import annotations

import json
import warnings
from datetime import UTC, datetime
from typing import Any

import pytest

import regimens
from regimens import Participant

HEAD = """\
format: regimens/1
id: forms
title: Forms
drugs:
  cape: {name: capecitabine, route: oral, strength: 500 mg/tablet}
  tmz: {name: temozolomide, route: oral, strength: 250 mg/capsule}
  sal: {name: salbutamol, route: inhaled, strength: 100 mcg per puff}
  pcm: {name: paracetamol, route: oral, strength: 24 mg/mL}
arms:
  x: {label: X}
periods:
  - id: t
    length: 2 weeks
    courses:
"""


def expand(course: str, **participant: str) -> regimens.Schedule:
    regimen = regimens.loads(HEAD + f"      - {course}\n", "r.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return regimen.expand("x", "2027-01-04", Participant(**participant))


def first(course: str, **participant: str) -> tuple[str, str]:
    a = expand(course, **participant).administrations[0]
    return a.dose.text, a.dose.derivation


@pytest.mark.parametrize(("course", "participant", "text", "derivation"), [
    # 1,000 mg ÷ 500 mg = 2 tablets.
    ("{drug: cape, dose: 1000 mg, days: 1}", {}, "2 tablets (1,000 mg)",
     "1,000 mg (flat dose); 1,000 mg ÷ 500 mg per tablet = 2 tablets"),
    # 1 g is 1,000 mg: the count is the same.
    ("{drug: cape, dose: 1 g, days: 1}", {}, "2 tablets (1 g)",
     "1 g (flat dose); 1 g ÷ 500 mg per tablet = 2 tablets"),
    # Written as a count: 2 x 500 mg = 1,000 mg.
    ("{drug: cape, dose: 2 tablets, days: 1}", {}, "2 tablets (1,000 mg)",
     "2 tablets (flat dose); 2 tablets × 500 mg per tablet = 1,000 mg"),
    ("{drug: cape, dose: 0.5 tablet, days: 1}", {}, "0.5 tablets (250 mg)",
     "0.5 tablets (flat dose); 0.5 tablets × 500 mg per tablet = 250 mg"),
    ("{drug: sal, dose: 2 puffs, days: 1}", {}, "2 puffs (200 mcg)",
     "2 puffs (flat dose); 2 puffs × 100 mcg per puff = 200 mcg"),
    # 15 mg/kg x 10 kg = 150 mg; 150 ÷ 24 = 6.25 mL.
    ("{drug: pcm, dose: 15 mg/kg, days: 1}", {"weight": "10 kg"}, "6.25 mL (150 mg)",
     "15 mg per kg × 10 kg = 150 mg; 150 mg ÷ 24 mg per mL = 6.25 mL"),
    # 1,250 x 1.84 = 2,300 mg = 9.2 halves of 250 mg -> 9 halves = 2,250 mg = 4.5 tablets.
    ("{drug: cape, dose: 1250 mg/m2, round: 0.5 tablet, days: 1}", {"bsa": "1.84 m2"},
     "4.5 tablets (2,250 mg)",
     "1,250 mg per m² × 1.84 m² (body surface area given) = 2,300 mg, rounded to the nearest "
     "multiple of 0.5 tablets (250 mg) = 2,250 mg; 2,250 mg ÷ 500 mg per tablet = 4.5 tablets"),
    # 1,250 x 1.9 = 2,375 mg = 9.5 halves exactly: half up, 10 halves = 5 tablets.
    ("{drug: cape, dose: 1250 mg/m2, round: 0.5 tablet, days: 1}", {"bsa": "1.9 m2"},
     "5 tablets (2,500 mg)",
     "1,250 mg per m² × 1.9 m² (body surface area given) = 2,375 mg, rounded to the nearest "
     "multiple of 0.5 tablets (250 mg) = 2,500 mg; 2,500 mg ÷ 500 mg per tablet = 5 tablets"),
    # The same tie rounded down: 9 halves = 4.5 tablets.
    ("{drug: cape, dose: 1250 mg/m2, round: 0.5 tablet, rounding: down, days: 1}",
     {"bsa": "1.9 m2"}, "4.5 tablets (2,250 mg)",
     "1,250 mg per m² × 1.9 m² (body surface area given) = 2,375 mg, rounded down to a "
     "multiple of 0.5 tablets (250 mg) = 2,250 mg; 2,250 mg ÷ 500 mg per tablet = 4.5 tablets"),
    # 150 mg/m2 x 1.7 = 255 mg = 1.02 capsules of 250 mg -> 1 capsule.
    ("{drug: tmz, dose: 150 mg/m2, round: 1 capsule, days: 1}", {"bsa": "1.7 m2"},
     "1 capsule (250 mg)",
     "150 mg per m² × 1.7 m² (body surface area given) = 255 mg, rounded to the nearest "
     "multiple of 1 capsule (250 mg) = 250 mg; 250 mg ÷ 250 mg per capsule = 1 capsule"),
    # A cap after the rounding: 200 x 1.9 = 380 mg -> 1.52 -> 2 capsules = 500 mg, capped at
    # 400 mg... which is 1.6 capsules: the cap must itself be a count (see the refusal test).
])
def test_doses_are_counted_in_the_form(course: str, participant: dict[str, str], text: str,
                                       derivation: str) -> None:
    assert first(course, **participant) == (text, derivation)


def test_every_output_shows_the_count_and_the_amount() -> None:
    schedule = expand("{drug: cape, dose: 1250 mg/m2, round: 0.5 tablet, days: [1, 8]}",
                      bsa="1.84 m2")
    text = "4.5 tablets (2,250 mg)"
    assert text in schedule.to_table()
    assert text in schedule.to_csv()
    row = json.loads(schedule.to_json())["administrations"][0]
    assert (row["amount"], row["unit"], row["dose"]) == ("2250", "mg", text)
    assert row["form"] == {"count": "4.5", "unit": "tablet",
                           "content": {"amount": "2250", "unit": "mg"}}
    ics = schedule.to_ics(stamp=datetime(2027, 1, 1, tzinfo=UTC))
    assert "4.5 tablets (2\\,250 mg)" in ics.decode().replace("\r\n ", "")
    assert "4.5 tablets (2,250 mg), by mouth" in schedule.to_html()
    assert "4.5 tablets (2,250 mg)" in schedule.to_diary()
    # French: the count and the amount anew, with French numbers (no-break space, comma).
    assert "4,5 comprimés (2\u00a0250 mg)" in schedule.to_html(lang="fr")
    assert "4,5 comprimés (2\u00a0250 mg)" in schedule.to_diary(lang="fr")


@pytest.mark.parametrize(("course", "french"), [
    ("{drug: cape, dose: 1 tablet, days: 1}", "1 comprimé (500 mg)"),
    ("{drug: cape, dose: 0.5 tablet, days: 1}", "0,5 comprimé (250 mg)"),  # singular below 2
    ("{drug: tmz, dose: 2 capsules, days: 1}", "2 gélules (500 mg)"),
    ("{drug: sal, dose: 2 puffs, days: 1}", "2 bouffées (200 mcg)"),
])
def test_french_counts_agree(course: str, french: str) -> None:
    assert french in expand(course).to_html(lang="fr")


def test_totals_are_exact_per_dimension_with_the_counts() -> None:
    # Days 1 and 8: 2 x 2,250 mg = 4,500 mg and 2 x 4.5 = 9 tablets; 2 puffs once, 200 mcg.
    schedule = expand("{drug: cape, dose: 1250 mg/m2, round: 0.5 tablet, days: [1, 8]}",
                      bsa="1.84 m2")
    (total,) = schedule.totals
    assert [str(a) for a in total.amounts] == ["4500 mg", "9 tablet"]
    assert "4,500 mg and 9 tablets" in schedule.to_table()
    totals = json.loads(schedule.to_json())["totals"][0]["amounts"]
    assert [(t["amount"], t["unit"]) for t in totals] == [("4500", "mg"), ("9", "tablet")]
    regimen = regimens.loads(HEAD + "      - {drug: cape, dose: 1250 mg/m2, round: 0.5 tablet, "
                             "days: [1, 8]}\n      - {drug: sal, dose: 2 puffs, days: [1, 2, 3]}"
                             "\n", "r.yaml")
    report = regimen.check(participant=Participant(bsa="1.84 m2")).to_text()
    assert "4,500 mg + 9 tablets" in report
    assert "600 mcg + 6 puffs" in report  # 3 x 200 mcg, 3 x 2 puffs


def test_an_expectation_may_count_tablets() -> None:
    # 15 mg weekly of 2.5 mg tablets over 2 weeks: 30 mg, 12 tablets.
    regimen = regimens.loads(
        HEAD.replace("strength: 500 mg/tablet", "strength: 2.5 mg/tablet")
        + "      - {drug: cape, dose: 15 mg, every: 1 week}\nexpect:\n"
        "  - {arm: x, drug: cape, total: 12 tablets, administrations: 2}\n", "r.yaml")
    assert regimen.check().ok


def test_dumps_writes_the_strength_and_reads_back_equal() -> None:
    regimen = regimens.loads(HEAD + "      - {drug: cape, dose: 1250 mg/m2, round: 0.5 tablet, "
                             "days: 1}\n", "r.yaml")
    text = regimens.dumps(regimen)
    assert "strength: 500 mg/tablet" in text
    assert "round: 0.5 tablet" in text
    assert regimens.loads(text) == regimen


def test_the_batch_api_refuses_a_strength_by_name() -> None:
    pytest.importorskip("numpy")
    from regimens.cohort import expand_cohort

    regimen = regimens.loads(HEAD + "      - {drug: cape, dose: 1000 mg, days: 1}\n", "r.yaml")
    with pytest.raises(regimens.ExpandOptionError, match=r"'strength' \(Drug\)"):
        expand_cohort(regimen, "x", ["2027-01-04"])


def test_a_drug_built_in_python_needs_a_strength_to_round_in_tablets() -> None:
    from regimens.quantities import parse_amount, parse_dose_quantity, parse_strength

    regimen = regimens.loads(HEAD + "      - {drug: cape, dose: 1000 mg, days: 1}\n")
    dose = regimens.Dose(parse_dose_quantity("10 mg/kg"), round=parse_amount("0.5 tablet"))
    course = regimens.Course("cape", regimens.DaysPattern((1,)), dose)
    period = regimen.periods[0]
    import dataclasses
    plain = dataclasses.replace(regimen.drugs[0], strength=None)
    with pytest.raises(regimens.InvalidRegimenError, match="rounding to tablets needs the "
                       "drug's strength") as caught:
        dataclasses.replace(regimen, drugs=(plain, *regimen.drugs[1:]), periods=(
            dataclasses.replace(period, courses=(course,)),))
    assert caught.value.problems[0].code == "round-without-strength"
    # With the strength the same course expands: 10 x 75 = 750 mg = 1.5 tablets.
    strong = dataclasses.replace(plain, strength=parse_strength("500 mg/tablet"))
    built = dataclasses.replace(regimen, drugs=(strong, *regimen.drugs[1:]), periods=(
        dataclasses.replace(period, courses=(course,)),))
    a = built.expand("x", "2027-01-04", Participant(weight="75 kg")).administrations[0]
    assert a.dose.text == "1.5 tablets (750 mg)"


def test_a_half_capsule_round_is_refused_in_python_too() -> None:
    from regimens.quantities import parse_amount, parse_dose_quantity

    with pytest.raises(regimens.InvalidRegimenError) as caught:
        regimens.Dose(parse_dose_quantity("10 mg/kg"), round=parse_amount("0.5 capsule"))
    problem: Any = caught.value.problems[0]
    assert (problem.loc, problem.code) == (("round",), "form-not-split")


# USP units with a drug's sourced equivalence (issue 16 item 7) -----------------------------

BLEO = """\
format: regimens/1
id: bleo
title: Bleomycin
drugs:
  bleo: {name: bleomycin, route: intravenous, equivalence: 1 USP unit = 1000 IU}
arms:
  x: {label: X}
periods:
  - id: t
    length: 1 week
    courses:
      - {drug: bleo, dose: 10 USP units/m2, max: 15000 IU, round: 500 IU, days: 1}
"""


@pytest.mark.parametrize(("bsa", "text", "derivation"), [
    # 10 x 1.2 = 12 USP units; 500 IU = 0.5 USP units; 12 is a multiple; under the cap.
    ("1.2 m2", "12 USP units",
     "10 USP units per m² × 1.2 m² (body surface area given) = 12 USP units, rounded to the "
     "nearest multiple of 500 units (0.5 USP units by the drug's equivalence 1 USP unit = "
     "1,000 units) = 12 USP units"),
    # 10 x 1.84 = 18.4 -> 18.5 USP units, capped at 15,000 IU = 15 USP units.
    ("1.84 m2", "15 USP units",
     "10 USP units per m² × 1.84 m² (body surface area given) = 18.4 USP units, rounded to "
     "the nearest multiple of 500 units (0.5 USP units by the drug's equivalence 1 USP unit "
     "= 1,000 units) = 18.5 USP units, capped at the maximum of 15,000 units (15 USP units "
     "by the drug's equivalence 1 USP unit = 1,000 units)"),
    # The cap reached exactly: 10 x 1.5 = 15 USP units = 15,000 IU, not "capped".
    ("1.5 m2", "15 USP units",
     "10 USP units per m² × 1.5 m² (body surface area given) = 15 USP units, rounded to the "
     "nearest multiple of 500 units (0.5 USP units by the drug's equivalence 1 USP unit = "
     "1,000 units) = 15 USP units"),
])
def test_a_cap_and_round_in_iu_convert_by_the_drugs_equivalence(bsa: str, text: str,
                                                                derivation: str) -> None:
    a = regimens.loads(BLEO, "r.yaml").expand("x", "2027-01-04",
                                             Participant(bsa=bsa)).administrations[0]
    assert (a.dose.text, a.dose.derivation) == (text, derivation)
    assert a.dose.amount is not None
    assert a.dose.amount.unit.symbol == "USP units"


def test_the_equivalence_is_written_back_and_french_says_unites_usp() -> None:
    regimen = regimens.loads(BLEO, "r.yaml")
    assert "equivalence: 1 USP units = 1000 IU" in regimens.dumps(regimen)
    assert regimens.loads(regimens.dumps(regimen)) == regimen
    html = regimen.expand("x", "2027-01-04", Participant(bsa="1.2 m2")).to_html(lang="fr")
    assert "12 unités USP" in html


def test_the_batch_api_refuses_an_equivalence_by_name() -> None:
    pytest.importorskip("numpy")
    from regimens.cohort import expand_cohort

    with pytest.raises(regimens.ExpandOptionError, match=r"'equivalence' \(Drug\)"):
        expand_cohort(regimens.loads(BLEO, "r.yaml"), "x", ["2027-01-04"], bsas=[1.2])


def test_radiotherapy_and_inhaled_routes_are_written_out_in_both_languages() -> None:
    rt = regimens.loads(
        "format: regimens/1\nid: rt\ntitle: RT\ndrugs:\n  rt: {name: involved-site "
        "radiotherapy, route: external beam, kind: radiotherapy}\narms:\n  x: {label: X}\n"
        "periods:\n  - id: t\n    length: 1 week\n    courses:\n      - {drug: rt, dose: 2 Gy, "
        "weekdays: [mon, tue, wed, thu, fri]}\n", "rt.yaml").expand("x", "2027-01-04")
    assert "involved-site radiotherapy 2 Gy, by external beam" in rt.to_html()
    assert "involved-site radiotherapy 2 Gy, par faisceau externe" in rt.to_html(lang="fr")
    assert [str(a) for a in rt.totals[0].amounts] == ["10 Gy"]  # 5 fractions of 2 Gy
    puffs = expand("{drug: sal, dose: 2 puffs, days: 1}")
    assert "salbutamol 2 puffs (200 mcg), by inhalation" in puffs.to_html()
    assert "salbutamol 2 bouffées (200 mcg), par inhalation" in puffs.to_html(lang="fr")
