"""The sample record at the top of docs/record.md (CSV and YAML) is read and replayed over
the regimen it is written for, and both forms give the same
administrations."""

from __future__ import annotations

import re
from pathlib import Path

import regimens
from support.records import DOXDOC

DOCS = Path(__file__).parents[2] / "docs" / "record.md"

# Doxorubicin 60 mg/m2 on day 1 every 21 days, from 2027-01-04: cycle 3 is due 2027-02-15.
REGIMEN = DOXDOC


def _expand(text: str, kind: str) -> regimens.Schedule:
    regimen = regimens.loads(REGIMEN, "dox.yaml")
    record = regimens.read_record(text, name=f"P-017.{kind}", kind=kind)
    return regimen.expand("x", "2027-01-04",
                          regimens.Participant(weight="62 kg", height="170 cm"), record=record)


def test_the_sample_record_in_both_forms_replays_to_the_same_schedule() -> None:
    text = DOCS.read_text(encoding="utf-8")
    csv = re.search(r"```text\n(date,event.*?)```", text, re.S)
    yaml = re.search(r"```yaml\n(- \{date.*?)```", text, re.S)
    assert csv is not None
    assert yaml is not None
    from_csv = _expand(csv.group(1), "csv")
    from_yaml = _expand(yaml.group(1), "yaml")
    # The same rows (only the line numbers the notes cite differ: a CSV has a header line).
    def rows(schedule: regimens.Schedule) -> list[tuple[object, ...]]:
        return [(a.date, a.status, a.dose.amount) for a in schedule.administrations]

    assert rows(from_csv) == rows(from_yaml)
    # Cycle 3, due 2027-02-15, is delayed a week to 2027-02-22 (shift: cycles 4-6 follow).
    dates = [a.date.isoformat() for a in from_csv.administrations]
    assert dates == ["2027-01-04", "2027-01-25", "2027-02-22", "2027-03-15", "2027-04-05",
                     "2027-04-26"]


def test_the_totals_say_they_add_given_and_planned_doses_with_a_record() -> None:
    text = DOCS.read_text(encoding="utf-8")
    csv = re.search(r"```text\n(date,event.*?)```", text, re.S)
    assert csv is not None
    table = _expand(csv.group(1), "csv").to_table()
    assert "\nTotals for this participant (doses given and still planned):\n" in table
    plain = regimens.loads(REGIMEN, "dox.yaml").expand(
        "x", "2027-01-04", regimens.Participant(weight="62 kg", height="170 cm")).to_table()
    assert "\nTotals for this participant:\n" in plain


def test_doses_not_given_show_the_dose_they_would_have_had() -> None:
    # BSA (Mosteller) sqrt(62 x 170 / 3600) = 1.711 -> 1.71 m2; 60 mg/m2 x 1.71 = 102.6 mg;
    # dose level -1 (80%) from 2027-01-20: 82.08 mg. Cycle 2 missed, cycles 3-6 stopped.
    record = ("date,event,drug,cycle,day,amount,level,reason\n"
              "2027-01-04,given,dox,,,,,\n"
              "2027-01-20,reduce,dox,,,,-1,neutropenia\n"
              "2027-01-25,missed,dox,,,,,\n"
              "2027-02-10,stop,dox,,,,,toxicity\n")
    schedule = _expand(record, "csv")
    shown = [(a.date.isoformat(), a.status.value, str(a.dose.amount.magnitude))
             for a in schedule.administrations if a.dose.amount is not None]
    assert shown == [("2027-01-04", "given", "102.6"), ("2027-01-25", "missed", "82.08"),
                     ("2027-02-15", "stopped", "82.08"), ("2027-03-08", "stopped", "82.08"),
                     ("2027-03-29", "stopped", "82.08"), ("2027-04-19", "stopped", "82.08")]
