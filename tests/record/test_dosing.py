"""Dose changes from a record: reductions, new measurements, cumulative limits.

Every expected amount is computed by hand from the regimen's numbers (in the comments).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import regimens
from regimens import InvalidRegimenError, Participant, read_record
from regimens.quantities import parse_amount
from regimens.record import BodyUsed, CumulativeEntry, Dosing, cumulative_flags
from support.records import BLEO, RECORD_HEADER

HEADER = RECORD_HEADER

AC = """\
format: regimens/1
id: ac
title: AC
%s
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
"""


def plan(policy: str = "", participant: Participant | None = None) -> regimens.Schedule:
    regimen = regimens.loads(AC % policy, "ac.yaml")
    # 1.8 m2 given: 60 mg/m2 x 1.8 m2 = 108 mg; 10 mg/kg x 70 kg = 700 mg.
    person = participant or Participant(weight="70 kg", height="170 cm", bsa="1.8 m2")
    return regimen.expand("x", "2027-01-04", person)


def dosing(rows: str, policy: str = "", participant: Participant | None = None) -> Dosing:
    return Dosing(plan(policy, participant), read_record(HEADER + rows, name="P.csv"))


def amounts(d: Dosing, drug: str) -> list[str]:
    return [str(d.dose(a).dose.amount) for a in d.plan.administrations if a.drug == drug]


def test_an_empty_record_changes_no_dose() -> None:
    d = dosing("")
    for a in d.plan.administrations:
        change = d.dose(a)
        assert change.dose is a.dose
        assert not change.changed
        assert change.level == 0


def test_a_reduction_from_its_date_at_a_declared_level() -> None:
    # Cycle 3 is on 2027-01-04 + 42 days = 2027-02-15; level -1: 48 mg/m2 x 1.8 = 86.4 mg.
    d = dosing("2027-02-10,reduce,dox,,,,-1,neutropenia\n")
    assert amounts(d, "dox") == ["108 mg", "108 mg"] + ["86.4 mg"] * 6
    third = next(a for a in d.plan.administrations if a.drug == "dox" and a.cycle == 3)
    change = d.dose(third)
    assert change.changed
    assert change.level == -1
    assert change.dose.derivation.startswith("dose level -1: 48 mg per m² × 1.8 m²")
    assert change.notes == ("dose level -1 from 2027-02-10 (record line 2)",)
    assert amounts(d, "mab") == ["700 mg"] * 8  # another drug: untouched


def test_a_reduction_from_a_cycle_and_by_a_percentage() -> None:
    # 75% of the level-0 dose 108 mg = 81 mg, from cycle 5 whatever the row's date.
    d = dosing("2027-01-04,reduce,dox,5,,,75%,\n")
    assert amounts(d, "dox") == ["108 mg"] * 4 + ["81 mg"] * 4
    fifth = next(a for a in d.plan.administrations if a.drug == "dox" and a.cycle == 5)
    assert d.dose(fifth).dose.derivation.startswith(
        "reduced to 75% of the level-0 dose 108 mg = 81 mg")


def test_a_reduction_below_the_lowest_level_stops_the_drug() -> None:
    d = dosing("2027-02-10,reduce,dox,,,,-3,cardiotoxicity\n")
    changes = [d.dose(a) for a in d.plan.administrations if a.drug == "dox"]
    assert [c.stopped for c in changes] == [False, False] + [True] * 6
    assert changes[2].stop_row is not None
    assert changes[2].notes == (
        "stopped: dose level -3 on 2027-02-10 (record line 2) is below the lowest declared "
        "level of dox (-2)",)


def test_reductions_are_permanent_unless_re_escalate() -> None:
    rows = "2027-02-10,reduce,dox,,,,-1,\n2027-03-20,reduce,dox,,,,0,recovered\n"
    with pytest.raises(InvalidRegimenError) as exc:
        dosing(rows)
    assert str(exc.value) == (
        "P.csv:3: level: this row raises dox's dose after the reduction on line 2; the "
        "regimen's reductions are permanent (re_escalate: false): give re_escalate: true to "
        "the course or the regimen to allow it (got 'dose level 0')")
    # Cycle 4 on 2027-03-08 at level -1, cycle 5 on 2027-03-29 back at level 0.
    d = dosing(rows, "re_escalate: true")
    assert amounts(d, "dox") == ["108 mg", "108 mg", "86.4 mg", "86.4 mg"] + ["108 mg"] * 4
    # A deeper reduction is no escalation: 80% (level -1) then 60% (level -2) is allowed.
    deeper = dosing("2027-02-10,reduce,dox,,,,-1,\n2027-03-20,reduce,dox,,,,60%,\n")
    assert amounts(deeper, "dox")[4:] == ["64.8 mg"] * 4  # 60% of 108 mg


def test_a_new_weight_recomputes_from_each_measurement_by_default() -> None:
    # 10 mg/kg: 70 kg -> 700 mg; from 2027-02-15 (cycle 3) 66 kg -> 660 mg.
    participant = Participant(weight="70 kg", height="170 cm")
    d = dosing("2027-02-15,measure,,,,66 kg,,\n", participant=participant)
    assert amounts(d, "mab") == ["700 mg", "700 mg"] + ["660 mg"] * 6
    third = next(a for a in d.plan.administrations if a.drug == "mab" and a.cycle == 3)
    change = d.dose(third)
    assert change.body.measured == (("weight", date(2027, 2, 15), 2),)
    # A dose per kg of actual weight names the weight alone (cold try 5, finding 13: the
    # height and the BSA were named too, though the dose uses neither).
    assert change.body.text == "weight 66 kg (measured 2027-02-15, record line 2)"
    assert change.notes[-1].startswith("recomputed from weight 66 kg (measured 2027-02-15")


@pytest.mark.parametrize(("rows", "expected"), [
    # 66 kg is 5.71% below 70 kg: under the 10% threshold, doses stay at 700 mg.
    ("2027-02-15,measure,,,,66 kg,,\n", ["700 mg"] * 8),
    # 63 kg is exactly 10% below 70 kg: recomputed, 630 mg from cycle 3.
    ("2027-02-15,measure,,,,63 kg,,\n", ["700 mg"] * 2 + ["630 mg"] * 6),
    # Then 66 kg is 4.76% above 63 kg, the weight the dose was computed from: no change.
    ("2027-02-15,measure,,,,63 kg,,\n2027-03-08,measure,,,,66 kg,,\n",
     ["700 mg"] * 2 + ["630 mg"] * 6),
    # 66 kg, then 62 kg: 11.43% below 70 kg (not 6.06% below 66 kg): recomputed, 620 mg.
    ("2027-02-15,measure,,,,66 kg,,\n2027-03-08,measure,,,,62 kg,,\n",
     ["700 mg"] * 3 + ["620 mg"] * 5),
])
def test_the_redose_rule_compares_with_the_weight_the_dose_was_computed_from(
        rows: str, expected: list[str]) -> None:
    participant = Participant(weight="70 kg", height="170 cm")
    d = dosing(rows, "redose: {weight_change: 10%}", participant)
    assert amounts(d, "mab") == expected


def test_a_weight_within_the_threshold_is_said_not_applied() -> None:
    participant = Participant(weight="70 kg", height="170 cm")
    d = dosing("2027-02-15,measure,,,,66 kg,,\n", "redose: {weight_change: 10%}", participant)
    last = [a for a in d.plan.administrations if a.drug == "mab"][-1]
    change = d.dose(last)
    assert not change.changed
    assert change.notes == (
        "weight 66 kg measured 2027-02-15 (record line 2) is within 10% of 70 kg the dose "
        "was computed from (5.71% change): not recomputed (redose: weight_change)",)


@pytest.mark.parametrize(("rows", "expected"), [
    # Height 172 cm: Mosteller sqrt(172 x 70 / 3600) = 1.8288, 1.83 m2: 60 x 1.83 = 109.8 mg
    # from cycle 3 (2027-02-15); before it sqrt(170 x 70 / 3600) = 1.8181, 1.82 m2: 109.2 mg.
    ("2027-02-15,measure,,,,172 cm,,\n", ["109.2 mg"] * 2 + ["109.8 mg"] * 6),
    # 66 kg (5.71%: not applied), then 172 cm: BSA from 172 cm and the 70 kg the dose was
    # computed from, not 66 kg (which would give sqrt(172 x 66 / 3600) = 1.7758: 106.8 mg).
    ("2027-02-15,measure,,,,66 kg,,\n2027-03-08,measure,,,,172 cm,,\n",
     ["109.2 mg"] * 3 + ["109.8 mg"] * 5),
    # A BSA of 1.9 m2 (4.4% above 1.82): 60 x 1.9 = 114 mg from cycle 3.
    ("2027-02-15,measure,,,,1.9 m2,,\n", ["109.2 mg"] * 2 + ["114 mg"] * 6),
])
def test_heights_and_bsa_always_apply_under_the_weight_rule(
        rows: str, expected: list[str]) -> None:
    participant = Participant(weight="70 kg", height="170 cm")
    d = dosing(rows, "redose: {weight_change: 10%}", participant)
    assert amounts(d, "dox") == expected


@pytest.mark.parametrize(("row", "note"), [
    ("2027-02-15,measure,,,,172 cm,,\n", "height 172 cm"),
    # Shown as the heading and the "computed from" note show it: m², whatever was typed.
    ("2027-02-15,measure,,,,1.9 m2,,\n", "BSA 1.9 m²"),
    ("2027-02-15,measure,,,,1.9m2,,\n", "BSA 1.9 m²"),
    ("2027-02-15,measure,,,,172cm,,\n", "height 172 cm"),
])
def test_under_the_weight_rule_other_measurements_say_they_always_apply(
        row: str, note: str) -> None:
    participant = Participant(weight="70 kg", height="170 cm")
    d = dosing(row, "redose: {weight_change: 10%}", participant)
    last = [a for a in d.plan.administrations if a.drug == "dox"][-1]
    assert f"{note} measured 2027-02-15 (record line 2) applies whatever its change (redose: " \
           "weight_change is about weight only)" in d.dose(last).notes
    # Without the rule, every measurement applies and nothing needs saying.
    plain = dosing(row, participant=participant)
    assert not any("whatever its change" in n for n in plain.dose(last).notes)


@pytest.mark.parametrize("row", ["2027-02-15,measure,,,,1.2mg/dL,,\n",
                                 "2027-02-15,measure,,,,1.2 mg/dL,,\n",
                                 "2027-02-15,measure,,,,80 mL/min,,\n"])
def test_a_renal_measurement_says_nothing_of_a_dose_per_m2(row: str) -> None:
    # Doxorubicin per m2 uses no creatinine nor GFR: its notes never name them (cold try
    # 5, finding 13; an AUC dose's note does: tests/record/test_dose_notes.py).
    participant = Participant(weight="70 kg", height="170 cm")
    d = dosing(row, "redose: {weight_change: 10%}", participant)
    last = [a for a in d.plan.administrations if a.drug == "dox"][-1]
    change = d.dose(last)
    assert not any("creatinine" in n or "GFR" in n for n in change.notes)
    assert "creatinine" not in change.body.text
    assert "GFR" not in change.body.text


def test_a_measurement_on_the_day_of_a_dose_applies_to_it() -> None:
    participant = Participant(weight="70 kg", height="170 cm")
    d = dosing("2027-01-04,measure,,,,60 kg,,\n", participant=participant)
    assert amounts(d, "mab") == ["600 mg"] * 8


def test_the_dose_on_a_moved_date_uses_the_measurements_of_that_date() -> None:
    participant = Participant(weight="70 kg", height="170 cm")
    d = dosing("2027-01-20,measure,,,,60 kg,,\n", participant=participant)
    second = next(a for a in d.plan.administrations if a.drug == "mab" and a.cycle == 2)
    assert str(d.dose(second).dose.amount) == "600 mg"  # 2027-01-25, after the measurement
    assert str(d.dose(second, date(2027, 1, 19)).dose.amount) == "700 mg"  # moved earlier


# Cumulative limits --------------------------------------------------------------------------

def _entries(d: Dosing, given: int) -> list[CumulativeEntry]:
    out = []
    for i, a in enumerate(x for x in d.plan.administrations if x.drug == "dox"):
        change = d.dose(a)
        if change.stopped:
            continue
        out.append(CumulativeEntry("dox", a.date, change.dose.amount, i < given, change.body))
    return out


def test_the_administration_that_would_cross_the_limit_is_flagged_before_it_happens() -> None:
    # 108 mg / 1.8 m2 = 60 mg/m2 a cycle: 7 cycles = 420, the 8th (2027-01-04 + 7 x 21 days
    # = 2027-05-31) would make 480 > 450.
    d = dosing("")
    (flag,) = cumulative_flags(d.plan.regimen, _entries(d, given=2))
    assert (flag.drug, flag.index, flag.date) == ("dox", 7, date(2027, 5, 31))
    assert (flag.before, flag.after, flag.limit) == (Decimal(420), Decimal(480), Decimal(450))
    assert not flag.given
    assert str(flag.warning) == (
        "dox (doxorubicin): the administration planned on 2027-05-31 would bring the "
        "cumulative dose to 480 mg per m², above max_cumulative 450 mg per m² (420 mg per m² "
        "before it); review before giving it")
    assert isinstance(flag.warning, regimens.CumulativeDoseWarning)


def test_a_reduction_keeps_the_plan_under_the_limit() -> None:
    # 2 x 60 + 6 x 48 = 408 mg/m2 <= 450.
    d = dosing("2027-02-10,reduce,dox,,,,-1,\n")
    assert cumulative_flags(d.plan.regimen, _entries(d, given=2)) == ()


def test_given_amounts_count_and_a_given_dose_over_the_limit_is_a_deviation() -> None:
    d = dosing("")
    entries = _entries(d, given=8)
    assert cumulative_flags(d.plan.regimen, entries)[0].given
    # Partial doses: 8 x 90 mg given = 8 x 50 mg/m2 = 400 mg/m2: under the limit.
    partial = [CumulativeEntry(e.drug, e.date, parse_amount("90 mg"), True, e.body)
               for e in entries]
    assert cumulative_flags(d.plan.regimen, partial) == ()


def test_a_flat_limit_in_usp_units() -> None:
    regimen = regimens.loads(BLEO)
    schedule = regimen.expand("x", "2027-01-04")
    entries = [CumulativeEntry("bleo", a.date, a.dose.amount, False) for a in
               schedule.administrations]
    # 13 x 30 = 390 USP units; the 14th would make 420 > 400.
    (flag,) = cumulative_flags(regimen, entries)
    assert (flag.index, flag.before, flag.after, flag.unit) == (
        13, Decimal(390), Decimal(420), "USP units")


def test_a_per_m2_limit_needs_the_bsa() -> None:
    d = dosing("")
    entries = [CumulativeEntry("dox", date(2027, 1, 4), parse_amount("108 mg"), True)]
    with pytest.raises(regimens.DoseError, match="needs the body surface area"):
        cumulative_flags(d.plan.regimen, entries)


def test_body_used_text_at_enrolment() -> None:
    body = BodyUsed(Participant(weight="70 kg", creatinine="1.1 mg/dL"))
    assert body.text == "weight 70 kg (at enrolment); serum creatinine 1.1 mg/dL (at enrolment)"


def test_a_flat_dose_is_not_recomputed_by_a_new_weight() -> None:
    regimen = regimens.loads("""\
format: regimens/1
id: flat
title: Flat
drugs:
  pred: {name: prednisone, route: oral}
arms:
  x: {label: X}
periods:
  - id: t
    length: 2 weeks
    courses:
      - {drug: pred, dose: 50 mg, every: 7 days}
""")
    schedule = regimen.expand("x", "2027-01-04", Participant(weight="70 kg"))
    d = Dosing(schedule, read_record(HEADER + "2027-01-04,measure,,,,60 kg,,\n"))
    for a in schedule.administrations:
        change = d.dose(a)
        assert change.dose is a.dose
        assert change.notes == ()


def test_a_reduction_of_a_dose_rounded_to_half_tablets_stays_in_half_tablets() -> None:
    # capecitabine 1,250 mg/m2 x 1.8 m2 = 2,250 mg = 4.5 tablets of 500 mg; 75% of it is
    # 1,687.5 mg, rounded to the nearest multiple of 250 mg (half a tablet) = 1,750 mg
    # (6.75 halves -> 7 halves), 3.5 tablets.
    doc = ("format: regimens/1\nid: cape\ntitle: Cape\ndrugs:\n  cape: {name: capecitabine, "
           "route: oral, strength: 500 mg/tablet}\narms:\n  x: {label: X}\nperiods:\n"
           "  - id: t\n    length: 6 weeks\n    courses:\n      - {drug: cape, dose: 1250 mg/m2,"
           " round: 0.5 tablet, cycle: 21 days, cycles: 2, days: [1]}\n")
    schedule = regimens.loads(doc, "cape.yaml").expand("x", "2027-01-04",
                                                      Participant(bsa="1.8 m2"))
    d = Dosing(schedule, read_record(HEADER + "2027-01-20,reduce,cape,,,,75%,hand-foot\n",
                                     name="P.csv"))
    doses = [d.dose(a).dose for a in schedule.administrations]
    assert [x.text for x in doses] == ["4.5 tablets (2,250 mg)", "3.5 tablets (1,750 mg)"]


def test_a_reduction_of_a_dose_rounded_to_whole_vials() -> None:
    # 10 mg/kg x 70 kg = 700 mg, whole vials already (100 and 500 mg). Reduced to 75%:
    # 525 mg, rounded to the nearest whole-vial amount within 10%: 500 mg (4.76% below;
    # 600 mg is 14.29% above), the drug's vials passed to the recomputation.
    doc = AC.replace("mab: {name: demo-mab, route: intravenous}",
                     "mab: {name: demo-mab, route: intravenous, vials: [100 mg, 500 mg]}"
                     ).replace("dose: 10 mg/kg,", "dose: 10 mg/kg, round: {to_vial: true, "
                               "tolerance: 10%},")
    regimen = regimens.loads(doc.replace("%s", ""), "ac.yaml")
    schedule = regimen.expand("x", "2027-01-04", Participant(weight="70 kg", bsa="1.8 m2"))
    d = Dosing(schedule, read_record(HEADER + "2027-01-04,reduce,mab,2,,,75%,\n",
                                     name="P.csv"))
    assert amounts(d, "mab") == ["700 mg"] + ["500 mg"] * 7
    second = next(a for a in d.plan.administrations if a.drug == "mab" and a.cycle == 2)
    assert "whole-vial amount (vials of 100 mg, 500 mg; within 10%)" in d.dose(
        second).dose.derivation


# A new weight or height and a BSA given directly (no height or weight to recompute it) -----

BSA_ONLY = Participant(weight="70 kg", bsa="1.8 m2")  # no height: BSA given, not computed
BSA_NO_WEIGHT = Participant(height="170 cm", bsa="1.8 m2")


@pytest.mark.parametrize(("person", "rows", "expected"), [
    # The weight row (line 2) makes the given BSA out of date; cycle 3 (2027-02-15) of dox
    # is the first dose after it; the dose is written on line 15 of ac.yaml.
    (BSA_ONLY, "2027-02-10,measure,,,,63 kg,,\n",
     "P.csv:2: amount: a new weight makes the body surface area in use (1.8 m2, given at "
     "enrolment) out of date, and there is no height to compute it from: the dose of dox on "
     "2027-02-15 (ac.yaml:15) is refused rather than computed from the old BSA; give the "
     "participant's height, or record a BSA measured on or after this row (a measure row in "
     "m2) (got '63 kg')"),
    # A BSA measured in the record, then a weight on a later line: that BSA is out of date.
    (BSA_ONLY, "2027-01-20,measure,,,,1.7 m2,,\n2027-02-10,measure,,,,63 kg,,\n",
     "P.csv:3: amount: a new weight makes the body surface area in use (1.7 m2, measured "
     "2027-01-20, record line 2) out of date, and there is no height to compute it from: the "
     "dose of dox on 2027-02-15 (ac.yaml:15) is refused rather than computed from the old "
     "BSA; give the participant's height, or record a BSA measured on or after this row (a "
     "measure row in m2) (got '63 kg')"),
])
def test_a_weight_that_makes_a_given_bsa_out_of_date_is_refused_naming_the_row(
        person: Participant, rows: str, expected: str) -> None:
    d = dosing(rows, participant=person)
    with pytest.raises(InvalidRegimenError) as info:
        amounts(d, "dox")
    assert str(info.value) == expected
    assert [p.code for p in info.value.problems] == ["bsa-out-of-date"]


def test_a_new_height_without_a_weight_is_refused_too() -> None:
    # BSA given, no weight: mab (per kg) cannot be expanded at all, so check dox alone.
    regimen = regimens.loads((AC % "").replace(
        "      - {drug: mab, dose: 10 mg/kg, cycle: 21 days, cycles: 8, days: [1]}\n", ""),
        "ac.yaml")
    schedule = regimen.expand("x", "2027-01-04", BSA_NO_WEIGHT)
    d = Dosing(schedule, read_record(HEADER + "2027-02-10,measure,,,,172 cm,,\n", name="P.csv"))
    with pytest.raises(InvalidRegimenError, match=r"^P\.csv:2: amount: a new height makes the "
                       r"body surface area in use \(1\.8 m2, given at enrolment\) out of "
                       r"date, and there is no weight to compute it from: the dose of dox "
                       r"on 2027-02-15 \(ac\.yaml:15\)"):
        amounts(d, "dox")


@pytest.mark.parametrize(("person", "rows", "expected"), [
    # BSA measured with the weight, on a later line: 60 mg/m2 x 1.7 m2 = 102 mg from cycle 3.
    (BSA_ONLY, "2027-02-10,measure,,,,63 kg,,\n2027-02-10,measure,,,,1.7 m2,,\n",
     ["108 mg", "108 mg"] + ["102 mg"] * 6),
    # A height given too: BSA recomputed (Mosteller) from 170 cm and 63 kg:
    # sqrt(170 x 63 / 3600) = sqrt(2.975) = 1.7248 -> 1.72 m2; 60 x 1.72 = 103.2 mg.
    (Participant(weight="70 kg", height="170 cm", bsa="1.8 m2"), "2027-02-10,measure,,,,63 kg,,\n",
     ["108 mg", "108 mg"] + ["103.2 mg"] * 6),
    # A weight after the last dose: nothing to refuse. Cycle 8 is 2027-01-04 + 147 days
    # = 2027-05-31; the weight is the day after.
    (BSA_ONLY, "2027-06-01,measure,,,,63 kg,,\n", ["108 mg"] * 8),
])
def test_a_weight_with_a_way_to_the_new_bsa_is_dosed(person: Participant, rows: str,
                                                       expected: list[str]) -> None:
    assert amounts(dosing(rows, participant=person), "dox") == expected


@pytest.mark.parametrize(("participant", "text"), [
    # As typed on the command line (no space) or in a record: shown as the heading shows it.
    (Participant(weight="70kg", height="170cm"),
     "weight 70 kg (at enrolment); height 170 cm (at enrolment)"),
    (Participant(weight=" 70  kg ", bsa="1.8m2"),
     "weight 70 kg (at enrolment); BSA 1.8 m² (at enrolment)"),
    (Participant(bsa="1.80 m^2"), "BSA 1.8 m² (at enrolment)"),
    # Another unit: in kg and cm, with what was given (154 lb x 0.45359237 = 69.85322498 kg;
    # 1.70 m = 170 cm).
    (Participant(weight="154 lb", height="1.70 m"),
     "weight 69.85322498 kg (from 154 lb, at enrolment); height 170 cm (from 1.70 m, at "
     "enrolment)"),
    # Renal values keep their unit, with one space before it.
    (Participant(creatinine="1.1mg/dL", gfr="95mL/min"),
     "serum creatinine 1.1 mg/dL (at enrolment); GFR 95 mL/min (at enrolment)"),
])
def test_body_used_text_shows_measurements_one_way(participant: Participant,
                                                   text: str) -> None:
    assert BodyUsed(participant).text == text


def test_a_dose_note_shows_the_cli_weight_as_the_record_does() -> None:
    # 70kg as --weight gives it; 62 kg measured on 2027-02-10 (line 2); cycle 3 of mab on
    # 2027-02-15 is recomputed: 10 mg/kg x 62 kg = 620 mg.
    d = dosing("2027-02-10,measure,,,,62 kg,,\n",
               participant=Participant(weight="70kg", height="170cm", bsa="1.8 m2"))
    third = next(a for a in d.plan.administrations if a.drug == "mab" and a.cycle == 3)
    change = d.dose(third)
    assert str(change.dose.amount) == "620 mg"
    # BSA (Mosteller) from 170 cm and 62 kg: sqrt(170 x 62 / 3600) = 1.7111 -> 1.71 m².
    # Per kg of actual weight: the weight alone (cold try 5, finding 13).
    assert change.notes == ("recomputed from weight 62 kg (measured 2027-02-10, record line "
                            "2)",)


@pytest.mark.parametrize(("rows", "expected"), [
    # 154 lb at enrolment = 154 x 0.45359237 = 69.85322498 kg: 10 mg/kg = 698.5322498 mg.
    # 63 kg is 6.85322498 / 69.85322498 = 9.81% below it: within 10%, not recomputed.
    ("2027-02-15,measure,,,,63 kg,,\n", ["698.5322498 mg"] * 8),
    # 62 kg is 7.85322498 / 69.85322498 = 11.24% below: recomputed, 620 mg from cycle 3.
    ("2027-02-15,measure,,,,62 kg,,\n", ["698.5322498 mg"] * 2 + ["620 mg"] * 6),
])
def test_the_redose_rule_compares_with_a_weight_given_in_another_unit(
        rows: str, expected: list[str]) -> None:
    participant = Participant(weight="154 lb", height="170 cm")
    d = dosing(rows, "redose: {weight_change: 10%}", participant)
    assert amounts(d, "mab") == expected
