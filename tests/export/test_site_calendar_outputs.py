"""Every output shows planned and actual dates where they differ, and why."""

from __future__ import annotations

import csv
import io
import json

import holidays

import regimens
from regimens import SiteCalendar
from support import expand

BODY = """\
periods:
  - id: t
    length: 2 weeks
    courses:
      - {drug: treg, dose: 1 mg, every: 1 week, clinic: true, window: 2 days}
      - {drug: pred, dose: 5 mg, days: [1, 2]}
visits:
  - {id: baseline, day: 1}
  - {id: d8, label: Day 8 visit, day: 8, window: 1 day}
"""
SITE = SiteCalendar(closed=("sat", "sun"), holidays="FR")
V = holidays.__version__
XMAS = "moved from Sat 2027-12-25: public holiday (Christmas Day); closed on Saturdays"
NEW_YEAR = "moved from Sat 2028-01-01: public holiday (New Year's Day); closed on Saturdays"
STAYS = ("stays on Sat 2027-12-25, a day the site is closed (public holiday (Christmas Day); "
         "closed on Saturdays): the visit has no window to move it in")


def schedule() -> regimens.Schedule:
    return expand(BODY, start="2027-12-25", calendar=SITE)


def test_table() -> None:
    text = schedule().to_table()
    policy = (f"Site calendar: closed on Saturdays and Sundays; public holidays of FR "
              f"(holidays {V}, observed dates)")
    assert policy in text.splitlines()
    assert ("-1  Fri 2027-12-24        t              Treg cells  1 mg  intravenous  " + XMAS
            in text)
    assert " 1  Sat 2027-12-25        t              prednisone  5 mg  oral" in text
    assert f"  1  Sat 2027-12-25                            baseline     {STAYS}" in text
    assert ("  7  Fri 2027-12-31  2027-12-31 to 2028-01-02  Day 8 visit  " + NEW_YEAR) in text


def test_calendar_marks_the_days_given_and_lists_the_moves() -> None:
    text = schedule().to_calendar()
    assert text.splitlines()[3].startswith("Site calendar: closed on Saturdays and Sundays")
    # Fri 24: Treg; Sat 25: prednisone and the baseline visit; Fri 31: Treg and the visit.
    assert " 20  21  22  23  24*>25# 26*\n 27  28  29  30  31#\n" in text
    lines = text.split("Site calendar:\n", 1)[1].splitlines()
    assert lines[:4] == [
        f"  Treg cells, Fri 2027-12-24: {XMAS}",
        f"  Treg cells, Fri 2027-12-31: {NEW_YEAR}",
        f"  Visit baseline, Sat 2027-12-25: {STAYS}",
        f"  Visit Day 8 visit, Fri 2027-12-31: {NEW_YEAR}",
    ]


def test_json_carries_planned_dates_and_the_holidays_version() -> None:
    s = schedule()
    data = json.loads(s.to_json())
    assert data == s.to_dict()
    treg = [a for a in data["administrations"] if a["drug"] == "treg"]
    assert [(a["date"], a["planned_date"], a["study_day"], a["calendar_note"]) for a in treg] == [
        ("2027-12-24", "2027-12-25", -1, XMAS), ("2027-12-31", "2028-01-01", 7, NEW_YEAR)]
    pred = [a for a in data["administrations"] if a["drug"] == "pred"]
    assert [(a["date"], a["planned_date"], a["calendar_note"]) for a in pred] == [
        ("2027-12-25", "2027-12-25", None), ("2027-12-26", "2027-12-26", None)]
    assert [(v["id"], v["date"], v["planned_date"], v["calendar_note"])
            for v in data["visits"]] == [("baseline", "2027-12-25", "2027-12-25", STAYS),
                                         ("d8", "2027-12-31", "2028-01-01", NEW_YEAR)]
    assert data["site_calendar"] == {
        "closed": ["sat", "sun"], "holidays": "FR", "holidays_version": V, "observed": True,
        "closed_dates": [],
        "policy": f"closed on Saturdays and Sundays; public holidays of FR (holidays {V}, "
                  "observed dates)"}
    assert s.to_json() == json.dumps(s.to_dict(), indent=2, ensure_ascii=False) + "\n"


def test_csv_ends_each_row_with_the_planned_date() -> None:
    rows = list(csv.DictReader(io.StringIO(schedule().to_csv())))
    assert list(rows[0])[-2:] == ["planned_date", "calendar_note"]
    assert [(r["date"], r["planned_date"], r["calendar_note"]) for r in rows] == [
        ("2027-12-24", "2027-12-25", XMAS), ("2027-12-25", "2027-12-25", ""),
        ("2027-12-26", "2027-12-26", ""), ("2027-12-31", "2028-01-01", NEW_YEAR)]


def test_without_a_calendar_outputs_keep_their_bytes() -> None:
    plain = expand(BODY, start="2027-12-25")
    text = plain.to_json()
    assert "planned_date" not in text
    assert "site_calendar" not in text
    assert "planned_date" not in plain.to_csv()
    assert "Site calendar" not in plain.to_table()
    assert "Site calendar" not in plain.to_calendar()


def test_ics_events_are_on_the_day_given_and_say_why() -> None:
    import datetime as dt

    from icalendar import Calendar

    stamp = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    moved = schedule()
    events = list(Calendar.from_ical(moved.to_ics(stamp=stamp)).walk("VEVENT"))
    treg = [e for e in events if str(e["SUMMARY"]).startswith("Treg")]
    assert [e["DTSTART"].dt for e in treg] == [dt.date(2027, 12, 24), dt.date(2027, 12, 31)]
    # The UID keeps the planned Study Day (1 and 8): a closure that moves an event updates it.
    assert [str(e["UID"]) for e in treg] == ["demo.no_label.treg.day1@regimens",
                                             "demo.no_label.treg.day8@regimens"]
    description = str(treg[0]["DESCRIPTION"])
    assert f"\nSite calendar: {XMAS}\n" in description
    assert (f"\nClosed days: closed on Saturdays and Sundays; public holidays of FR (holidays "
            f"{V}, observed dates)\n") in description
    visit = next(e for e in events if str(e["SUMMARY"]) == "Study visit: Day 8 visit")
    assert visit["DTSTART"].dt == dt.date(2027, 12, 31)
    assert "Target: Study Day 8 (2028-01-01)\n" in str(visit["DESCRIPTION"])
    assert f"\nSite calendar: {NEW_YEAR}\n" in str(visit["DESCRIPTION"])
    # Published before without the site calendar: the moved events are updated in place.
    before = expand(BODY, start="2027-12-25").to_ics(stamp=stamp)
    again = Calendar.from_ical(moved.to_ics(stamp=stamp, previous=before)).walk("VEVENT")
    assert {str(e["UID"]): int(e["SEQUENCE"]) for e in again
            if str(e["SUMMARY"]).startswith("Treg")} == {
        "demo.no_label.treg.day1@regimens": 1, "demo.no_label.treg.day8@regimens": 1}
    assert not any(str(e.get("STATUS", "")) == "CANCELLED" for e in again)
