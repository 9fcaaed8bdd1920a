"""A dose not given counts as zero, never as a dose of 0 given (issue 13, acceptance review
item 1): in CSV and JSON its ``amount`` is empty (null) and the dose it would have had is
its ``planned_amount``; ``date`` is the day it was due after the record's moves and
``planned_date`` the protocol's day; the table says it was not given; an iCalendar event
of it does not read as a dose given.

By hand: doxorubicin 100 mg every 21 days x 6 from Monday 2027-01-04, day 1 of cycles on
01-04, 01-25, 02-15, 03-08, 03-29, 04-19. The record gives cycle 1, delays cycle 3 to
Thu 2027-02-25 (10 days; on_delay shift, the default: cycles 4-6 move 10 days, to 03-18,
04-08, 04-29), gives cycle 3, misses cycle 4 (on 03-18) and stops on 2027-04-01
(cycles 5 and 6 stopped). Cycle 2 has no row: still planned. Given: 100 + 100 = 200 mg.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import regimens
from regimens import read_record

REGIMEN = regimens.loads("""\
format: regimens/1
id: ng
title: NG
drugs:
  dox: {name: doxorubicin, route: intravenous}
arms:
  a: {label: A}
periods:
  - id: treatment
    length: 18 weeks
    courses:
      - {drug: dox, dose: 100 mg, cycle: 21 days, cycles: 6, days: [1]}
""", "ng.yaml")
RECORD = """\
date,event,drug,cycle,day,amount,level,reason
2027-01-04,given,dox,,,,,
2027-02-25,delay,dox,3,,,,neutropenia
2027-02-25,given,dox,,,,,
2027-03-18,missed,dox,,,,,
2027-04-01,stop,dox,,,,,progression
"""

#: (cycle, status, date, planned_date, amount, planned_amount), by hand (docstring).
EXPECTED = [
    (1, "given", "2027-01-04", "2027-01-04", "100", "100"),
    (2, "planned", "2027-01-25", "2027-01-25", "100", "100"),
    (3, "given", "2027-02-25", "2027-02-15", "100", "100"),
    (4, "missed", "2027-03-18", "2027-03-08", None, "100"),
    (5, "stopped", "2027-04-08", "2027-03-29", None, "100"),
    (6, "stopped", "2027-04-29", "2027-04-19", None, "100"),
]


def schedule() -> regimens.Schedule:
    return REGIMEN.expand("a", "2027-01-04", record=read_record(RECORD, name="R.csv"))


def test_json_amount_is_null_when_not_given() -> None:
    rows = json.loads(schedule().to_json())["administrations"]
    got = [(a["cycle"], a["status"], a["date"], a["planned_date"], a["amount"],
            a["planned_amount"]) for a in rows]
    assert got == EXPECTED
    # The unit stays: it is the unit of planned_amount.
    assert {a["unit"] for a in rows} == {"mg"}


def test_csv_amount_is_empty_when_not_given_and_sums_to_what_was_given() -> None:
    rows = list(csv.DictReader(io.StringIO(schedule().to_csv())))
    got = [(int(r["cycle"]), r["status"], r["date"], r["planned_date"], r["amount"] or None,
            r["planned_amount"]) for r in rows]
    assert got == EXPECTED
    # A tool summing the column counts what was given (200 mg) and what is still planned
    # (cycle 2: 100 mg), never a dose not given.
    given = sum(Decimal(r["amount"]) for r in rows if r["status"] == "given")
    assert given == Decimal(200)
    assert sum(Decimal(r["amount"] or 0) for r in rows) == Decimal(300)


def test_table_says_not_given() -> None:
    text = schedule().to_table()
    assert "missed (would have been 100 mg)" in text
    assert text.count("stopped (would have been 100 mg)") == 2
    line = next(x for x in text.splitlines() if "Thu 2027-03-18" in x)
    assert "missed (would have been 100 mg)" in line


def test_ics_event_of_a_dose_not_given_does_not_say_given() -> None:
    raw = schedule().to_ics(stamp=dt.datetime(2027, 1, 1, tzinfo=dt.UTC)).decode()
    ics = raw.replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";")
    events = ics.split("BEGIN:VEVENT")[1:]
    missed = next(e for e in events if "DTSTART;VALUE=DATE:20270318" in e)
    assert "SUMMARY:doxorubicin not given (missed), intravenous" in missed
    assert "Dose:" not in missed
    assert "Not given; the dose would have been: 100 mg (flat dose)" in missed
    given = next(e for e in events if "DTSTART;VALUE=DATE:20270104" in e)
    assert "SUMMARY:doxorubicin 100 mg, intravenous" in given
    assert "Dose: 100 mg (flat dose)" in given
