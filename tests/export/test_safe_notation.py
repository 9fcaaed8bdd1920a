"""Safe medication notation in every text a person reads (ISMP list, Joint Commission).

For every catalogue entry and every arm, expanded for a reference participant, the table,
the month calendar, the check report, the iCalendar SUMMARY and DESCRIPTION (read back:
unfolded and unescaped) and the human-readable ``dose`` and ``derivation`` fields of the
JSON and CSV output are scanned for the forbidden notations below. JSON and CSV keep unit
codes (``amount``, ``unit``) for programs; those fields are not for people and not scanned.

The chosen notation for large numbers is numerals with whole words where exact ("1 million
units", "1.5 million units", "70 million cells"), otherwise digits grouped with commas
("1,234,567 units", "370,000 units").
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from datetime import UTC, datetime

import pytest
from icalendar import Calendar

import regimens
from support.notation import violations

PARTICIPANT = regimens.Participant(weight="70 kg", height="175 cm", label="P-001")
STAMP = datetime(2027, 1, 1, tzinfo=UTC)

def has_times(regimen: regimens.Regimen) -> bool:
    return any(c.times for p in regimen.periods for c in p.courses)


def people_texts(regimen: regimens.Regimen) -> dict[str, str]:
    """Every text a person reads, for every arm of ``regimen``, keyed by where it is."""
    out = {"check report": regimen.check().to_text()}
    out["check json texts"] = "\n".join(
        t["text"] for s in json.loads(regimen.check().to_json())["summaries"] for t in s["totals"])
    tz = "Europe/Paris" if has_times(regimen) else None
    for arm in regimen.arms:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", regimens.RegimenWarning)
            s = regimen.expand(arm.id, "2027-01-04", PARTICIPANT, tz=tz)
        where = f"{regimen.id}/{arm.id}"
        out[f"{where} table"] = s.to_table()
        out[f"{where} calendar"] = s.to_calendar()
        for blinded in (False, True):
            calendar = Calendar.from_ical(s.to_ics(stamp=STAMP, blinded=blinded))
            out[f"{where} ics blinded={blinded}"] = "\n".join(
                f"{e['SUMMARY']}\n{e['DESCRIPTION']}" for e in calendar.walk("VEVENT"))
        data = json.loads(s.to_json())
        out[f"{where} json"] = "\n".join(f"{a['dose']}\n{a['derivation']}"
                                         for a in data["administrations"])
        rows = list(csv.DictReader(io.StringIO(s.to_csv())))
        out[f"{where} csv"] = "\n".join(f"{r['dose']}\n{r['derivation']}" for r in rows)
    return out


@pytest.mark.parametrize("entry", regimens.catalog_ids())
def test_catalogue_outputs_use_safe_notation(entry: str) -> None:
    texts = people_texts(regimens.load(entry))
    found = {where: v for where, text in texts.items() if (v := violations(text))}
    assert not found


STRESS = """\
format: regimens/1
id: stress
title: Doses that stress the notation
drugs:
  il2: {name: aldesleukin, route: SC}
  epo: {name: epoetin, route: SQ}
  vit: {name: vitamin A, route: PO}
  mtx: {name: methotrexate, route: IV}
  cells: {name: Treg cells, route: intravenous}
arms:
  x: {label: X}
periods:
  - id: t
    length: 2 weeks
    courses:
      - {drug: il2, dose: 1.5 MIU, days: 1}
      - {drug: il2, dose: 2e5 IU/m2, days: 2}
      - {drug: epo, dose: 1234567 IU, days: 1}
      - {drug: epo, dose: 370000 IU, days: 2}
      - {drug: epo, dose: 2 mIU, days: 3}
      - {drug: epo, dose: 1 kIU, days: 4}
      - {drug: vit, dose: 1e-3 mg, days: 1}
      - {drug: vit, dose: 0.5 mg, days: 2}
      - {drug: vit, dose: 2.50 mg, days: 3}
      - {drug: vit, dose: 1.0 mg, days: 4}
      - {drug: vit, dose: 1500 mcg, days: 5}
      - {drug: mtx, dose: 0.0125 mg/kg, round: 0.10 mg, days: 1}
      - {drug: mtx, dose: 1000 mg/m2, max: 2000.0 mg, days: 2}
      - {drug: cells, dose: 1 x 10^6 cells/kg, days: 1}
      - {drug: cells, dose: 1.23456e6 cells, days: 2}
      - {drug: cells, dose: 2.5E9 cells, days: 3}
      - {drug: cells, dose: 1000000 cells/kg, days: 4}
expect:
  - {arm: x, drug: epo, total: 1605.567002 kIU}
"""


def test_stress_doses_are_written_safely() -> None:
    regimen = regimens.loads(STRESS, "stress.yaml")
    texts = people_texts(regimen)
    found = {where: v for where, text in texts.items() if (v := violations(text))}
    assert not found
    s = regimen.expand("x", "2027-01-04", PARTICIPANT)
    doses = [(a.drug, a.dose.text) for a in s.administrations]
    assert doses == [
        ("il2", "1.5 million units"), ("epo", "1,234,567 units"), ("vit", "0.001 mg"),
        ("mtx", "0.9 mg"), ("cells", "70 million cells"),
        ("il2", "368,000 units"), ("epo", "370,000 units"), ("vit", "0.5 mg"),
        ("mtx", "1,840 mg"), ("cells", "1,234,560 cells"),
        ("epo", "2 thousandths of a unit"), ("vit", "2.5 mg"), ("cells", "2.5 billion cells"),
        ("epo", "1,000 units"), ("vit", "1 mg"), ("cells", "70 million cells"),
        ("vit", "1,500 mcg"),
    ]
    # Programs keep the unit codes and the exact amounts.
    data = json.loads(s.to_json())["administrations"]
    assert [(a["amount"], a["unit"]) for a in data[:3]] == [("1.5", "MIU"), ("1234567", "IU"),
                                                           ("0.001", "mg")]
    assert "route: subcutaneous" not in s.to_table()  # routes are written out in the table
    assert {a.route for a in s.administrations} == {"subcutaneous", "oral", "intravenous"}
    assert regimen.check().ok


@pytest.mark.parametrize(
    ("text", "name"),
    [("1 MIU", "MIU"), ("5 IU", "IU"), ("10 U", "U as a word"), ("1.0 mg", "trailing zero"),
     ("2.50 mg", "trailing zero"), (".5 mg", "naked decimal"), ("10mg", "number run into a unit"),
     ("1000000 units", "ungrouped number of 4+ digits"), ("1e6 cells", "scientific notation"),
     ("1 x 10^6 cells", "scientific notation"), ("-0 mg", "negative zero"), ("daily QD", "QD"),
     ("QOD", "QOD"), ("TIW", "TIW"), ("route SC", "SC or SQ"), ("5 cc", "cc"), ("5 µg", "µg"),
     ("2 mIU", "mIU or kIU")],
)
def test_the_scanner_finds_each_forbidden_notation(text: str, name: str) -> None:
    assert [v.split(":")[0] for v in violations(text)] == [name]


def test_the_scanner_passes_safe_text() -> None:
    assert violations("Day 1 Mon 2027-01-04 08:00 1,234,567 units, 0.5 mg, 1.5 million units, "
                      "70 million cells, 2.5 mg, 1,000 units, March 2027, NCT02059759") == []
