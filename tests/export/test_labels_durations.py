"""Course labels, drug notes, dose notes, durations and methods in every output (issue 12,
items 9 and 10). Expected texts are written by hand from the regimen below."""

from __future__ import annotations

import csv
import io
import json

import pytest

import regimens
from regimens.export import schedule_dict
from regimens.export._delivery import delivery_text, method_text
from regimens.export._i18n import words
from regimens.model import INFUSION_ROUTES
from regimens.quantities import Elapsed
from support import IMODALS

DOC = """\
format: regimens/1
id: fl
title: FL
drugs:
  lv: {name: leucovorin, route: IV}
  fu: {name: fluorouracil, route: intravenous, notes: "protect from light"}
arms:
  x: {label: X}
  y: {label: Y}
periods:
  - id: t
    length: 4 weeks
    blinded: BLINDED
    courses:
      - {drug: lv, dose: 400 mg, cycle: 2 weeks, days: 1, method: infusion, duration: 2 hours}
      - {drug: fu, dose: 400 mg, cycle: 2 weeks, days: 1, method: bolus, label: FU bolus,
         id: fu-bolus}
      - {drug: fu, dose: 2400 mg, cycle: 2 weeks, days: 1, duration: 46 hours,
         dose_note: by portable pump}
"""


def _schedule(blinded: bool = False) -> regimens.Schedule:
    regimen = regimens.loads(DOC.replace("BLINDED", "true" if blinded else "false"))
    return regimen.expand("x", "2027-01-04")


def test_table_columns_and_notes() -> None:
    lines = _schedule().to_table().splitlines()
    start = lines.index("") + 1
    assert lines[start:start + 8] == [
        "Day  Date            Time  Period  Cycle    Course    Drug          Dose      "
        "Route                 Duration",
        "  1  Mon 2027-01-04        t       1 day 1            leucovorin    400 mg    "
        "intravenous infusion  2 hours",
        "  1  Mon 2027-01-04        t       1 day 1  FU bolus  fluorouracil  400 mg    "
        "intravenous bolus",
        "  1  Mon 2027-01-04        t       1 day 1            fluorouracil  2,400 mg  "
        "intravenous infusion  46 hours",
        " 15  Mon 2027-01-18        t       2 day 1            leucovorin    400 mg    "
        "intravenous infusion  2 hours",
        " 15  Mon 2027-01-18        t       2 day 1  FU bolus  fluorouracil  400 mg    "
        "intravenous bolus",
        " 15  Mon 2027-01-18        t       2 day 1            fluorouracil  2,400 mg  "
        "intravenous infusion  46 hours",
        "6 administrations",
    ]
    notes = lines[lines.index("Notes:"):]
    assert notes == [
        "Notes:",
        "  fluorouracil: protect from light",
        "  FU bolus (fluorouracil), Day 1 to Day 15, 2 administrations",
        "  fluorouracil, Day 1 to Day 15, 2 administrations: by portable pump",
        # The dose sheet ends with the totals: 2 x 400 mg; 2 x 400 mg + 2 x 2,400 mg.
        "",
        "Totals for this participant:",
        "  Drug          Administrations  Cumulative dose",
        "  leucovorin    2                800 mg",
        "  fluorouracil  4                5,600 mg",
    ]


def test_csv_and_json_fields() -> None:
    schedule = _schedule()
    rows = list(csv.DictReader(io.StringIO(schedule.to_csv())))
    assert [(r["course_id"], r["course_label"], r["drug_notes"], r["method"], r["duration"],
             r["note"]) for r in rows[:3]] == [
        ("", "", "", "infusion", "PT2H", ""),
        ("fu-bolus", "FU bolus", "protect from light", "bolus", "", ""),
        ("", "", "protect from light", "", "PT46H", "by portable pump"),
    ]
    data = json.loads(schedule.to_json())
    first = data["administrations"][1]
    assert list(first)[-5:] == ["course_id", "course_label", "drug_notes", "method",
                                "duration"]
    assert (first["course_label"], first["method"], first["duration"]) == (
        "FU bolus", "bolus", None)
    assert schedule.to_json() == json.dumps(schedule_dict(schedule), indent=2,
                                            ensure_ascii=False) + "\n"


def test_a_regimen_without_them_writes_no_new_fields() -> None:
    schedule = regimens.load(IMODALS).expand("placebo", "2027-01-04")
    assert "course_label" not in schedule.to_csv()
    assert "Notes:" not in schedule.to_table()
    assert "course_label" not in schedule.to_json()


def test_calendar_notes_and_blinding() -> None:
    calendar = _schedule().to_calendar()
    assert calendar.endswith(
        "\nNotes:\n  fluorouracil: protect from light\n"
        "  FU bolus (fluorouracil), Day 1 to Day 15, 2 administrations\n"
        "  fluorouracil, Day 1 to Day 15, 2 administrations: by portable pump\n"
        # The page ends with the totals: 2 x 400 mg; 2 x 400 mg + 2 x 2,400 mg.
        "\nTotals for this participant:\n  leucovorin: 2 administrations, 800 mg\n"
        "  fluorouracil: 4 administrations, 5,600 mg\n")
    # Blinded: nothing of the blinded administrations (a label could name the arm).
    assert "Notes:" not in _schedule(blinded=True).to_calendar()
    assert "Notes:" in _schedule(blinded=True).to_calendar(blinded=False)
    assert "Notes:" not in _schedule().to_calendar(blinded=True)
    assert "Notes:" in _schedule(blinded=True).to_table()  # the table is not for blinding


@pytest.mark.parametrize(("route", "method", "duration", "text"), [
    ("intravenous", None, None, "intravenous"),
    ("intravenous", "bolus", None, "intravenous bolus injection"),
    ("intravenous", "push", None, "intravenous push injection"),
    ("intravenous", "infusion", None, "intravenous infusion"),
    ("intravenous", None, "30 minutes", "by intravenous infusion over 30 minutes"),
    ("intravenous", "infusion", "46 hours", "by continuous intravenous infusion over 46 hours"),
    ("intravenous", None, "23 hours", "by intravenous infusion over 23 hours"),
    ("intravenous", None, "24 hours", "by continuous intravenous infusion over 24 hours"),
    ("subcutaneous", None, None, "subcutaneous injection"),
    ("subcutaneous", None, "12 hours", "by subcutaneous infusion over 12 hours"),
    ("oral", None, None, "by mouth"),
    ("transdermal", None, "72 hours", "transdermal, over 72 hours"),
])
def test_delivery_text(route: str, method: str | None, duration: str | None,
                       text: str) -> None:
    assert delivery_text(route, method, Elapsed.parse(duration) if duration else None) == text


@pytest.mark.parametrize(("route", "method", "duration", "text"), [
    ("intravenous", None, None, "intravenous"),
    ("intravenous", "bolus", None, "intravenous bolus"),
    ("intravenous", None, "2 hours", "intravenous infusion"),
    ("transdermal", None, "72 hours", "transdermal"),
])
def test_method_text(route: str, method: str | None, duration: str | None, text: str) -> None:
    assert method_text(route, method, Elapsed.parse(duration) if duration else None) == text


@pytest.mark.parametrize("route", sorted(INFUSION_ROUTES | {"transdermal", "oral"}))
@pytest.mark.parametrize("method", [None, "bolus", "infusion"])
@pytest.mark.parametrize("duration", [None, "30 minutes", "46 hours"])
def test_every_output_calls_the_same_doses_infusions(route: str, method: str | None,
                                                     duration: str | None) -> None:
    # One rule (a duration by an infusion route without a method is an infusion): the
    # events, the table's column and the handout say "infusion" for the same doses.
    if route == "oral" and method is not None:
        return  # refused when the regimen is read
    elapsed = Elapsed.parse(duration) if duration else None
    infusion = method == "infusion" or (method is None and elapsed is not None
                                        and route in INFUSION_ROUTES)
    assert ("infusion" in delivery_text(route, method, elapsed)) is infusion
    assert ("infusion" in method_text(route, method, elapsed)) is infusion
    assert ("infusion" in words("en").delivery(route, method, elapsed)) is infusion
    french = words("fr").delivery(route, method, elapsed)  # an unknown route as written
    assert ("perfusion" in french or "infusion" in french) is infusion
