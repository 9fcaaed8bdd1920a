"""Calendar events of administrations with a duration, a method, a label and notes (issue
12, items 9 and 10). Times are worked out by hand in the comments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from icalendar import Calendar

import regimens

STAMP = datetime(2027, 1, 1, tzinfo=UTC)
DOC = """\
format: regimens/1
id: fu
title: FU
drugs:
  fu: {name: fluorouracil, route: intravenous, notes: protect from light}
arms:
  x: {label: X}
  y: {label: Y}
periods:
  - id: t
    length: 4 weeks
    blinded: BLINDED
    courses:
      - {drug: fu, dose: 400 mg, cycle: 2 weeks, days: 1, times: ["10:00"], method: bolus,
         label: FU bolus}
      - {drug: fu, dose: 2400 mg, cycle: 2 weeks, days: 1, times: ["10:30"], duration: 46 hours,
         dose_note: by portable pump, arms: [x]}
      - {drug: fu, placebo: true, cycle: 2 weeks, days: 1, times: ["10:30"], arms: [y]}
"""


def _events(start: str, *, blinded: bool = False, arm: str = "x",
            timed: bool = True) -> list[Any]:
    doc = DOC.replace("BLINDED", "true" if blinded else "false")
    if not timed:
        doc = doc.replace(', times: ["10:00"]', "").replace(', times: ["10:30"]', "")
    schedule = regimens.loads(doc).expand(arm, start, tz="Europe/Paris" if timed else None)
    data = schedule.to_ics(stamp=STAMP)
    return [c for c in Calendar.from_ical(data).walk("VEVENT")
            if "dose" in str(c.get("CATEGORIES").cats)]


def test_a_46_hour_infusion_ends_46_hours_later_across_a_clock_change() -> None:
    # From Friday 2027-03-26 10:30 CET (09:30 UTC) + 46 h = Sunday 07:30 UTC = 09:30 CEST:
    # the clocks moved forward on 2027-03-28, so the wall clock shows 09:30, not 08:30.
    pump = [e for e in _events("2027-03-26") if "infusion" in str(e.get("SUMMARY"))]
    first = pump[0]
    assert str(first.get("SUMMARY")) == (
        "fluorouracil 2,400 mg, by continuous intravenous infusion over 46 hours")
    start, end = first.decoded("DTSTART"), first.decoded("DTEND")
    assert (start.isoformat(), end.isoformat()) == (
        "2027-03-26T10:30:00+01:00", "2027-03-28T09:30:00+02:00")
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=46)


def test_a_bolus_is_an_injection_and_labels_and_notes_are_in_the_description() -> None:
    bolus = _events("2027-01-04")[0]
    assert str(bolus.get("SUMMARY")) == "fluorouracil 400 mg, intravenous bolus injection"
    description = str(bolus.get("DESCRIPTION")).splitlines()
    assert "Course: FU bolus" in description
    assert "Drug notes: protect from light" in description
    # 15 minutes: a bolus has no duration.
    assert (bolus.decoded("DTEND") - bolus.decoded("DTSTART")).total_seconds() == 900
    pump = _events("2027-01-04")[1]
    assert "Note: by portable pump" in str(pump.get("DESCRIPTION")).splitlines()


def test_an_all_day_infusion_spans_its_days() -> None:
    # 46 hours from an unknown time on 2027-01-04: the event covers 2027-01-04 and -05.
    pump = next(e for e in _events("2027-01-04", timed=False)
                if "46 hours" in str(e.get("SUMMARY")))
    assert (pump.decoded("DTSTART"), pump.decoded("DTEND")) == (
        date(2027, 1, 4), date(2027, 1, 6))


def test_blinded_events_say_no_label_note_or_differing_duration() -> None:
    # Arm x's 46-hour course and arm y's placebo differ in duration: blinded, neither the
    # text nor the end may tell them apart.
    for arm in ("x", "y"):
        events = _events("2027-01-04", blinded=True, arm=arm)
        for event in events:
            text = str(event.get("DESCRIPTION"))
            assert "Course:" not in text
            assert "Note:" not in text
            assert "Drug notes" not in text
            assert str(event.get("SUMMARY")).endswith(", intravenous")
            assert (event.decoded("DTEND") - event.decoded("DTSTART")).total_seconds() == 900
