"""A record's delays and moves against the site calendar (docs/record.md, "Site calendar").

Decided: clinic work a delay carries onto a closed day moves again by the plan's rule (the
nearest open day of its window, the earlier of two), the note saying so; the date a row
names itself (a move's date, a delay's new start) is kept as recorded, with a
ClosedDayWarning; a given dose on a closed day is what happened; home doses never move.

Hand-computed: treg on day 1 of four 7-day cycles from Monday 2027-01-04 (cycles on Mondays
04, 11, 18 and 25 January), the site closed on Saturdays and Sundays; 2027-01-16, 01-23 and
01-30 are Saturdays.
"""

from __future__ import annotations

import warnings
from datetime import date

import pytest

import regimens
from regimens import AdministrationStatus, SiteCalendar, read_record

HEAD = """\
format: regimens/1
id: c
title: Clinic
drugs:
  treg: {name: Treg cells, route: intravenous}
  pred: {name: prednisone, route: oral}
arms:
  x: {label: X}
periods:
  - id: t
    length: 5 weeks
    courses:
      - {drug: treg, dose: 1 mg, days: [1], cycle: 7 days, cycles: 4, clinic: true%s}
      - {drug: pred, dose: 10 mg, days: [1], cycle: 7 days, cycles: 4}
"""
WINDOW = ", window: 2 days"
CLOSED = SiteCalendar(closed=("sat", "sun"))
HEADER = "date,event,drug,cycle,day,amount,level,reason\n"


def expand(rows: str, window: str = WINDOW) -> regimens.Schedule:
    regimen = regimens.loads(HEAD % window, "c.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return regimen.expand("x", "2027-01-04", calendar=CLOSED,
                              record=read_record(HEADER + rows, name="P.csv"))


def dates(s: regimens.Schedule, drug: str) -> list[str]:
    return [a.date.isoformat() for a in s.administrations if a.drug == drug]


def closed_warnings(s: regimens.Schedule) -> list[str]:
    return [str(w) for w in s.warnings if isinstance(w, regimens.ClosedDayWarning)]


def why() -> str:
    """Why the site is closed on a Saturday, in the calendar's own words."""
    reason = CLOSED.closure(date(2027, 1, 16))
    assert reason is not None
    return reason


def test_later_cycles_a_delay_puts_on_a_closed_day_move_by_the_plans_rule() -> None:
    # Cycle 2 delayed 5 days (line 2) to Sat 01-16 (kept: the row names it); cycles 3 and 4
    # shift 5 days to Sat 01-23 and Sat 01-30 and move to the nearest open day of their
    # 2-day window: Fri 01-22 and Fri 01-29 (Sun is closed; Fri comes before Mon).
    s = expand("2027-01-16,delay,,2,,,,neutropenia\n")
    assert dates(s, "treg") == ["2027-01-04", "2027-01-16", "2027-01-22", "2027-01-29"]
    third = [a for a in s.administrations if a.drug == "treg"][2]
    assert third.planned_date is not None
    assert third.planned_date.isoformat() == "2027-01-18"
    assert third.calendar_note == f"moved from Sat 2027-01-23: {why()}"
    assert third.record_note == (
        "moved 5 days with the delay of cycle 2 (line 2: neutropenia); moved from Sat "
        f"2027-01-23: {why()}, by the site calendar's rule, as in the plan (after the "
        "record's delay)")
    assert third.status is AdministrationStatus.PLANNED
    # The day the delay row names is kept, and said (in the Site calendar column too).
    second = [a for a in s.administrations if a.drug == "treg"][1]
    assert second.calendar_note == (f"kept on Sat 2027-01-16, the date record line 2 gives, "
                                    f"a day the site is closed ({why()})")
    assert closed_warnings(s) == [
        f"Treg cells, Study Day 13: kept on Sat 2027-01-16, the date record line 2 gives, "
        f"a day the site is closed ({why()})"]
    # Home doses never move: prednisone stays on the Saturdays the delay gives it.
    assert dates(s, "pred") == ["2027-01-04", "2027-01-16", "2027-01-23", "2027-01-30"]


def test_a_delay_onto_open_days_moves_nothing_more() -> None:
    # 3 days: Thu 01-14, then Thu 01-21 and Thu 01-28: open.
    s = expand("2027-01-14,delay,,2,,,,\n")
    assert dates(s, "treg") == ["2027-01-04", "2027-01-14", "2027-01-21", "2027-01-28"]
    assert closed_warnings(s) == []
    assert all(a.calendar_note == "" for a in s.administrations)


def test_without_a_window_it_stays_a_conflict_as_in_the_plan() -> None:
    s = expand("2027-01-16,delay,,2,,,,\n", window="")
    assert dates(s, "treg") == ["2027-01-04", "2027-01-16", "2027-01-23", "2027-01-30"]
    conflict = (f"stays on Sat 2027-01-23, a day the site is closed ({why()}): its course "
                "has no window to move it in (give the course a window)")
    third = [a for a in s.administrations if a.drug == "treg"][2]
    assert third.calendar_note == conflict
    assert f"Treg cells, Study Day 20: {conflict}" in closed_warnings(s)


def test_a_move_onto_a_closed_day_is_kept_as_recorded() -> None:
    s = expand("2027-01-16,move,treg,2,1,,,patient's request\n")
    assert dates(s, "treg") == ["2027-01-04", "2027-01-16", "2027-01-18", "2027-01-25"]
    assert closed_warnings(s) == [
        f"Treg cells, Study Day 13: kept on Sat 2027-01-16, the date record line 2 gives, a "
        f"day the site is closed ({why()})"]


def test_a_dose_given_on_a_closed_day_is_what_happened() -> None:
    s = expand("2027-01-16,given,treg,2,1,,,\n")
    given = [a for a in s.administrations if a.drug == "treg"][1]
    assert (given.date.isoformat(), given.status) == ("2027-01-16", AdministrationStatus.GIVEN)
    assert closed_warnings(s) == []


@pytest.mark.parametrize("rows", ["", "2027-01-04,given,treg,,,,,\n"])
def test_nothing_moves_without_a_delay(rows: str) -> None:
    s = expand(rows)
    assert dates(s, "treg") == ["2027-01-04", "2027-01-11", "2027-01-18", "2027-01-25"]
    assert closed_warnings(s) == []
