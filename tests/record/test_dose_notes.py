"""What a dose's record note says it was computed from (docs/record.md, "What each dose was
computed from"): every dose per kg, per m² or by AUC says it when the record has measure
rows, at whatever level and whatever its status (cold try 5, finding 2: a dose at a
reduced level, given or planned, not recomputed, said nothing of it), and it names only
the measurements the dose's formula uses (finding 13: a GFR on paclitaxel per m², the
weight, height and BSA on carboplatin dosed from a measured GFR).

The reproducer's regimen (cold try 5, cp.yaml; tests/record/test_reduce_in_force.py):
carboplatin AUC 5 on day 1 and paclitaxel 80 mg/m2 (level -1: 70 mg/m2) on days 1, 8, 15
of 21-day cycles from Mon 2027-01-04, redose at a 10% weight change. By hand, for 70 kg and
170 cm: BSA sqrt(170 x 70 / 3600) = 1.8181 -> 1.82 m2, level -1 70 x 1.82 = 127.4 mg, 80%
of 145.6 = 116.48 mg; after 62 kg (11.43% below 70 kg: recomputed) sqrt(170 x 62 / 3600) =
1.7111 -> 1.71 m2, level -1 70 x 1.71 = 119.7 mg.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import regimens
from regimens import Participant, read_record
from support.cold5 import CP
from support.records import RECORD_HEADER

AT_70 = ("weight 70 kg (at enrolment); height 170 cm (at enrolment); BSA 1.82 m² "
         "(computed)")
GFR = "computed from GFR 80 mL/min (at enrolment)"


def _notes(rows: str, participant: Participant, regimen: str = CP
           ) -> dict[tuple[str, str], str | None]:
    s = regimens.loads(regimen, "cp.yaml").expand(
        "cp", "2027-01-04", participant,
        record=read_record(RECORD_HEADER + rows, name="note1.csv"))
    return {(a.drug, a.date.isoformat()): a.record_note for a in s.administrations}


PERSON = Participant(weight="70 kg", height="170 cm", gfr="80 mL/min")
GIVEN_REDUCED = ("2027-01-04,given,pac,,,,,\n2027-01-11,reduce,pac,,,,{level},\n"
                 "2027-01-11,given,pac,,,,,\n2027-01-18,missed,pac,,,,,\n"
                 "2027-02-20,measure,,,,62 kg,,\n")
LINE_3 = "{what} from 2027-01-11 (record line 3)"

CASES = [
    # (drug, date), what its note says (by hand), for level -1 and for 80%
    (("pac", "2027-01-04"), "given (line 2); computed from " + AT_70),
    (("pac", "2027-01-11"), "given (line 4); {reduced}; computed from " + AT_70),
    (("pac", "2027-01-18"), "missed (line 5); computed from " + AT_70),
    (("pac", "2027-01-25"), "{reduced}; computed from " + AT_70),
    (("pac", "2027-02-15"), "{reduced}; computed from " + AT_70),
    (("pac", "2027-02-22"), "{reduced}; recomputed from weight 62 kg (measured 2027-02-20, "
                            "record line 6); height 170 cm (at enrolment); BSA 1.71 m² "
                            "(computed)"),
    # Carboplatin dosed from the GFR measured: the GFR alone, before and after the weight.
    (("carbo", "2027-01-04"), GFR),
    (("carbo", "2027-03-08"), GFR),
]


@pytest.mark.parametrize("level", ["-1", "80%"])
@pytest.mark.parametrize(("key", "note"), CASES, ids=[f"{d}-{day}" for (d, day), _ in CASES])
def test_every_scaled_dose_says_what_it_was_computed_from(
        level: str, key: tuple[str, str], note: str) -> None:
    reduced = LINE_3.format(what="dose level -1" if level == "-1"
                            else "80% of the level-0 dose")
    notes = _notes(GIVEN_REDUCED.format(level=level), PERSON)
    assert notes[key] == note.format(reduced=reduced)


def test_the_amounts_are_the_reduced_ones() -> None:
    s = regimens.loads(CP, "cp.yaml").expand(
        "cp", "2027-01-04", PERSON,
        record=read_record(RECORD_HEADER + GIVEN_REDUCED.format(level="80%"), name="n.csv"))
    pac = {a.date.isoformat(): str(a.dose.amount) for a in s.administrations
           if a.drug == "pac"}
    assert (pac["2027-01-11"], pac["2027-01-25"]) == ("116.48 mg", "116.48 mg")
    # 80% of the level-0 dose for 1.71 m2: 80 x 1.71 = 136.8 mg, 80% = 109.44 mg.
    assert pac["2027-02-22"] == "109.44 mg"


@pytest.mark.parametrize(("participant", "rows", "expected"), [
    # A BSA given: a dose per m2 uses it alone, whatever weight is known.
    (Participant(weight="70 kg", bsa="1.8 m2", gfr="80 mL/min"),
     "2027-02-20,measure,,,,1.7 m2,,\n",
     {("pac", "2027-01-04"): "computed from BSA 1.8 m² (at enrolment)",
      # 80 x 1.7 = 136 mg from 2027-02-22.
      # The redose rule is about weight: a BSA says it applies whatever its change.
      ("pac", "2027-02-22"): "BSA 1.7 m² measured 2027-02-20 (record line 2) applies "
                             "whatever its change (redose: weight_change is about weight "
                             "only); recomputed from BSA 1.7 m² (measured 2027-02-20, "
                             "record line 2)",
      ("carbo", "2027-03-08"): GFR}),
    # A serum creatinine instead of a GFR: Cockcroft-Gault from the creatinine, the age,
    # the sex and the actual weight (crcl_weight: actual, the default), not the height.
    # (140 - 60) x 70 / (72 x 1.1) = 70.7 mL/min; after 62 kg, 80 x 62 / 79.2 = 62.6.
    (Participant(weight="70 kg", height="170 cm", creatinine="1.1 mg/dL", age=60,
                 sex="male"),
     "2027-02-20,measure,,,,62 kg,,\n",
     {("carbo", "2027-01-04"): "computed from weight 70 kg (at enrolment); serum creatinine "
                               "1.1 mg/dL (at enrolment)",
      ("carbo", "2027-03-08"): "recomputed from weight 62 kg (measured 2027-02-20, record "
                               "line 2); serum creatinine 1.1 mg/dL (at enrolment)",
      ("pac", "2027-01-04"): "computed from " + AT_70}),
    # A GFR measured in the record, on a dose per m2: not named there, but on carboplatin.
    (PERSON, "2027-02-20,measure,,,,90 mL/min,,\n",
     {("pac", "2027-03-01"): "computed from " + AT_70,
      # AUC 5 x (90 + 25) = 575 mg.
      ("carbo", "2027-03-08"): "GFR 90 mL/min measured 2027-02-20 (record line 2) applies "
                               "whatever its change (redose: weight_change is about weight "
                               "only); recomputed from GFR 90 mL/min (measured 2027-02-20, "
                               "record line 2)"}),
])
def test_a_note_names_only_the_measurements_the_formula_uses(
        participant: Participant, rows: str, expected: dict[tuple[str, str], str]) -> None:
    notes = _notes(rows, participant)
    for key, note in expected.items():
        assert notes[key] == note, key


def test_a_dose_per_kg_names_the_weight_alone() -> None:
    per_kg = CP.replace("dose: 80 mg/m2", "dose: 2 mg/kg").replace(
        "-1: 70 mg/m2, -2: 60 mg/m2", "-1: 1.5 mg/kg, -2: 1 mg/kg")
    notes = _notes("2027-02-20,measure,,,,62 kg,,\n", PERSON, per_kg)
    assert notes[("pac", "2027-01-04")] == "computed from weight 70 kg (at enrolment)"
    # 2 x 62 = 124 mg.
    assert notes[("pac", "2027-02-22")] == ("recomputed from weight 62 kg (measured "
                                            "2027-02-20, record line 2)")


def test_the_calendar_says_it_too() -> None:
    s = regimens.loads(CP, "cp.yaml").expand(
        "cp", "2027-01-04", PERSON,
        record=read_record(RECORD_HEADER + GIVEN_REDUCED.format(level="-1"), name="n.csv"))
    text = s.to_ics(stamp=datetime(2027, 1, 1, tzinfo=UTC)).decode("utf-8").replace(
        "\r\n ", "")
    # Unfolded: the description of the dose of 2027-01-25 (level -1, not recomputed).
    event = next(e for e in text.split("BEGIN:VEVENT")[1:]
                 if "DTSTART;VALUE=DATE:20270125" in e and "SUMMARY:paclitaxel" in e)
    assert "computed from weight 70 kg (at enrolment)" in event.replace("\\;", ";").replace(
        "\\,", ",")
    assert "GFR" not in event.split("DESCRIPTION:")[1].split("\r\n")[0]
