"""Two rows that claim one planned dose (docs/record.md, "Replay" and "Policies").

A record row for a dose is either the dose given or the dose missed; under ``missed:
make_up`` a given row naming a missed dose's cycle and day gives its MAKE-UP, which comes
after the dose it makes up. Every pair of rows that says one planned dose was both given
and missed is refused (``record-given-and-missed``), whatever order the file has them in,
and never taken silently as some other dose: a given row dated before (or on) the day of
the missed dose it names was once taken as the make-up, dated before its own missed dose;
its calendar event then took the missed dose's UID (the hypothesis property of
tests/export/test_ics_record_uids.py found it).

Aldesleukin 2 MIU on days 1 and 2 of two 7-day cycles from Mon 2027-01-04 (by hand: cycle 1
day 1 Mon 01-04, day 2 Tue 01-05; cycle 2 day 1 Mon 01-11, day 2 Tue 01-12), ``missed:
make_up`` unless a case says ``skip``: a missed dose is made up the day after the course's
last dose, Wed 2027-01-13.
"""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime
from typing import Any

import pytest
from icalendar import Calendar

import regimens
from regimens import AdministrationStatus as S
from regimens import EventKind, InvalidRegimenError, Record, RecordRow
from support import load

STAMP = datetime(2027, 1, 1, tzinfo=UTC)
DAY2 = "demo.no_label.il2.day2@regimens"
DAY2_2 = "demo.no_label.il2.day2.2@regimens"


def regimen(missed: str = "make_up") -> regimens.Regimen:
    return load(f"""\
        periods:
          - id: p
            length: 14 days
            courses:
              - {{drug: il2, dose: 2 MIU, days: [1, 2], cycle: 7 days, cycles: 2,
                  missed: {missed}}}
        """)


def rec(*rows: tuple[str, date, dict[str, Any]]) -> Record:
    """A record from (event, date, fields) triples, on lines 2, 3, ... (line 1: header)."""
    return Record("P.csv", tuple(
        RecordRow("P.csv", line, when, EventKind(event), drug="il2", **fields)
        for line, (event, when, fields) in enumerate(rows, start=2)))


def run(record: Record, missed: str = "make_up") -> regimens.Schedule:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return regimen(missed).expand("a", "2027-01-04", record=record)


C1D2 = {"cycle": 1, "day": 2}
TUE = date(2027, 1, 5)  # cycle 1 day 2's day
MON, WED = date(2027, 1, 4), date(2027, 1, 6)
BEFORE = ("P.csv:{given}: date: line {missed} says this dose, due Tue 2027-01-05, was missed; "
          "this row gives it on Mon 2027-01-04, before it was due, so it is that dose given, "
          "not its make-up (a make-up is given after the day of the dose it makes up): void "
          "one of the two rows (got '2027-01-04')")


@pytest.mark.parametrize(("rows", "missed", "line", "message"), [
    # The missed dose named by its day, given a day early by cycle and day (the shape of
    # the property's failing example).
    ((("missed", TUE, {}), ("given", MON, C1D2)), "make_up", 3,
     BEFORE.format(given=3, missed=2)),
    # The same two rows in the other order: the same answer (rows may be in any order).
    ((("given", MON, C1D2), ("missed", TUE, {})), "make_up", 2,
     BEFORE.format(given=2, missed=3)),
    # Missed by its cycle and day.
    ((("missed", TUE, C1D2), ("given", MON, C1D2)), "make_up", 3,
     BEFORE.format(given=3, missed=2)),
    # Given naming the dose by its planned date (the planned column).
    ((("missed", TUE, {}), ("given", MON, {"planned": TUE})), "make_up", 3,
     BEFORE.format(given=3, missed=2)),
    # Given on the very day it was due, by cycle and day: that dose given on its day.
    ((("missed", TUE, {}), ("given", TUE, C1D2)), "make_up", 3,
     "P.csv:3: date: line 2 says this dose, due Tue 2027-01-05, was missed; this row gives "
     "it on Tue 2027-01-05, the day it was due, so it is that dose given, not its make-up "
     "(a make-up is given after the day of the dose it makes up): void one of the two rows "
     "(got '2027-01-05')"),
    # Given on its day without cycle and day, and missed: as before this change.
    ((("given", TUE, {}), ("missed", TUE, {})), "make_up", 2,
     "P.csv:2: event: line 3 says this dose was missed; void one of the two rows (a missed "
     "dose is made up only under 'missed: make_up', by a given row naming its cycle and "
     "day) (got 'given')"),
    # Not made up (missed: skip): a given row naming a missed dose on any day, as before.
    ((("missed", TUE, {}), ("given", WED, C1D2)), "skip", 3,
     "P.csv:3: event: line 2 says this dose was missed; void one of the two rows (a missed "
     "dose is made up only under 'missed: make_up', by a given row naming its cycle and "
     "day) (got 'given')"),
    ((("missed", TUE, {}), ("given", MON, C1D2)), "skip", 3,
     "P.csv:3: event: line 2 says this dose was missed; void one of the two rows (a missed "
     "dose is made up only under 'missed: make_up', by a given row naming its cycle and "
     "day) (got 'given')"),
])
def test_a_dose_both_given_and_missed_is_refused(
        rows: tuple[tuple[str, date, dict[str, Any]], ...], missed: str, line: int,
        message: str) -> None:
    with pytest.raises(InvalidRegimenError) as caught:
        run(rec(*rows), missed)
    (problem,) = caught.value.problems
    assert (problem.line, problem.code) == (line, "record-given-and-missed")
    assert str(caught.value) == message


def test_a_dose_given_twice_is_refused_as_before() -> None:
    # Given on its day, then again by cycle and day on Wednesday: a row entered twice.
    with pytest.raises(InvalidRegimenError) as caught:
        run(rec(("given", TUE, {}), ("given", WED, C1D2)))
    assert [(p.line, p.code) for p in caught.value.problems] == [(3, "record-given-twice")]


def events(ics: bytes) -> dict[str, tuple[date, str | None]]:
    found = list(Calendar.from_ical(ics).walk("VEVENT"))
    out = {str(e["UID"]): (e.decoded("DTSTART"), str(e["STATUS"]) if "STATUS" in e else None)
           for e in found}
    assert len(out) == len(found)
    return out


def day2(s: regimens.Schedule) -> list[tuple[date, S, str]]:
    return [(a.date, a.status, a.record_note) for a in s.administrations
            if (a.cycle, a.cycle_day) == (1, 2)]


def test_a_make_up_given_the_day_after_is_the_make_up() -> None:
    # The control: given by cycle and day on Wed 01-06, after the missed Tuesday: the
    # make-up, given; the missed dose stays missed on its day and keeps its event (day2,
    # cancelled), the make-up is day2.2 (docs/ics.md).
    s = run(rec(("missed", TUE, {}), ("given", WED, C1D2)))
    assert day2(s) == [
        (TUE, S.MISSED, "missed (line 2)"),
        (WED, S.GIVEN, "make-up of the dose missed on Tue 2027-01-05 (line 2) (missed: "
         "make_up); given on Wed 2027-01-06, planned for Tue 2027-01-05, making up the dose "
         "missed (line 2) (line 3)")]
    plan = regimen().expand("a", "2027-01-04")
    new = events(s.to_ics(stamp=STAMP, previous=plan.to_ics(stamp=STAMP)))
    assert new[DAY2] == (TUE, "CANCELLED")
    assert new[DAY2_2] == (WED, None)
    assert len(new) == 5  # the 4 planned doses and the make-up


def test_a_dose_given_a_day_early_and_not_missed_is_that_dose() -> None:
    # Without the missed row, the early given row is cycle 1 day 2 given on Monday, under
    # its own UID; nothing is made up.
    s = run(rec(("given", MON, C1D2)))
    assert [(d, st) for d, st, _ in day2(s)] == [(MON, S.GIVEN)]
    new = events(s.to_ics(stamp=STAMP))
    assert new[DAY2] == (MON, None)
    assert len(new) == 4
