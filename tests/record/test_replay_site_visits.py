"""What a record's delay moves is placed again by the site calendar's rule: visits on a
cycle or after a drug's last dose, and administrations the plan had moved off a closed day
(docs/record.md, "Site calendar").

Before: a visit on a delayed cycle moved with it but stayed on a closed day, without a note
or a warning; and a delay moved an administration from the day the plan's calendar had
chosen, not from the day it was due, so that a delay of one day from a Saturday (moved to
the Friday) put the dose back on that Friday, before the date the delay row gives.

Hand-computed: treg (a clinic drug) on day 1 of four 7-day cycles, window 2 days; the site
is closed on Saturdays and Sundays. From Monday 2027-01-04 the cycles start on Mondays 04,
11, 18 and 25 January; 2027-01-16, 01-23 and 01-30 are Saturdays, 01-17, 01-24 Sundays.
"""

from __future__ import annotations

import warnings
from datetime import date

import regimens
from regimens import SiteCalendar, read_record

REGIMEN = """\
format: regimens/1
id: c
title: Clinic
drugs:
  treg: {name: Treg cells, route: intravenous}
arms:
  x: {label: X}
periods:
  - id: t
    length: 6 weeks
    courses:
      - {id: main, drug: treg, dose: 1 mg, days: [1], cycle: 7 days, cycles: 4, clinic: true%s}
visits:
  - {id: c2, course: main, cycle: 2, day: 1, window: 2 days}
  - {id: c3, course: main, cycle: 3, day: 1, window: 2 days}
  - {id: c3d2, course: main, cycle: 3, day: 2, window: 1 day}
  - {id: c3d6, course: main, cycle: 3, day: 6}
  - {id: c4, course: main, cycle: 4, day: 1}
  - {id: safety, after_last: treg, offset: 5 days, window: 2 days}
  - {id: d10, day: 10}
"""
WINDOW = ", window: 2 days"
CLOSED = SiteCalendar(closed=("sat", "sun"))
HEADER = "date,event,drug,cycle,day,amount,level,reason\n"
SAT = CLOSED.closure(date(2027, 1, 16))
SUN = CLOSED.closure(date(2027, 1, 17))


def expand(rows: str | None, start: str = "2027-01-04",
           window: str = WINDOW) -> regimens.Schedule:
    regimen = regimens.loads(REGIMEN % window, "c.yaml")
    record = None if rows is None else read_record(HEADER + rows, name="P.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return regimen.expand("x", start, calendar=CLOSED, record=record)


def visit(s: regimens.Schedule, vid: str) -> regimens.VisitOccurrence:
    return next(v for v in s.visits if v.id == vid)


def closed(s: regimens.Schedule) -> list[str]:
    return [str(w) for w in s.warnings if isinstance(w, regimens.ClosedDayWarning)]


def test_a_visit_a_delay_carries_onto_a_closed_day_moves_by_the_plans_rule() -> None:
    # Cycle 2 delayed 5 days to Sat 01-16 (shift): cycle 3 day 1, due Mon 01-18, is due
    # Sat 01-23; its 2-day window holds Fri 01-22 (1 day before) and Mon 01-25 (2 after):
    # Fri 01-22, Study Day 19 (18 days after 01-04), window 01-21 to 01-25 (moved too).
    s = expand("2027-01-16,delay,,2,,,,neutropenia\n")
    c3 = visit(s, "c3")
    assert (c3.date, c3.planned_date, c3.study_day.value) == (
        date(2027, 1, 22), date(2027, 1, 18), 19)
    assert (c3.earliest, c3.latest) == (date(2027, 1, 21), date(2027, 1, 25))
    assert c3.calendar_note == f"moved from Sat 2027-01-23: {SAT}"
    # As the administration of that day: moved to the same Friday.
    third = next(a for a in s.administrations if a.cycle == 3)
    assert third.date == date(2027, 1, 22)
    # Day 2 of cycle 3 (Tue 01-19) is due Sun 01-24: window 1 day, Sat closed: Mon 01-25.
    c3d2 = visit(s, "c3d2")
    assert (c3d2.date, c3d2.calendar_note) == (date(2027, 1, 25),
                                               f"moved from Sun 2027-01-24: {SUN}")
    # A study-day visit does not move (Day 10, Wed 01-13).
    assert (visit(s, "d10").date, visit(s, "d10").calendar_note) == (date(2027, 1, 13), "")


def test_a_visit_on_the_day_a_delay_row_names_is_kept_as_recorded() -> None:
    # The delay row gives Sat 01-16 as cycle 2's day 1: the dose is kept there, and so is
    # the visit on cycle 2 day 1 (Study Day 13), with the warning the dose has.
    s = expand("2027-01-16,delay,,2,,,,neutropenia\n")
    c2 = visit(s, "c2")
    kept = f"kept on Sat 2027-01-16, the date record line 2 gives, a day the site is closed ({SAT})"
    assert (c2.date, c2.planned_date, c2.calendar_note) == (
        date(2027, 1, 16), date(2027, 1, 11), kept)
    assert f"visit c2, Study Day 13: {kept}" in closed(s)
    assert f"Treg cells, Study Day 13: {kept}" in closed(s)


def test_a_visit_without_a_window_stays_a_conflict_and_is_said() -> None:
    # Cycle 4 day 1, due Mon 01-25, is due Sat 01-30 (Study Day 27): no window.
    s = expand("2027-01-16,delay,,2,,,,\n")
    c4 = visit(s, "c4")
    conflict = (f"stays on Sat 2027-01-30, a day the site is closed ({SAT}): the visit has no "
                "window to move it in")
    assert (c4.date, c4.calendar_note) == (date(2027, 1, 30), conflict)
    assert f"visit c4, Study Day 27: {conflict}" in closed(s)


def test_a_delay_onto_open_days_moves_visits_without_a_note() -> None:
    # 3 days: cycle 3 day 1 due Thu 01-21, cycle 4 Thu 01-28: open.
    s = expand("2027-01-14,delay,,2,,,,\n")
    assert [(v.id, v.date.isoformat(), v.calendar_note) for v in s.visits
            if v.id in ("c2", "c3", "c4")] == [
        ("c2", "2027-01-14", ""), ("c3", "2027-01-21", ""), ("c4", "2027-01-28", "")]
    assert closed(s) == []


def test_a_visit_after_the_last_dose_follows_it_and_the_calendar() -> None:
    # Plan: last dose Mon 01-25, the safety visit 5 days after, Sat 01-30, moved by the
    # plan's rule to Fri 01-29. A delay of cycle 2 by 5 days: cycle 4 is due Sat 01-30,
    # moved to Fri 01-29; 5 days after it is Wed 02-03, open: the plan's note no longer
    # applies.
    plan = visit(expand(None), "safety")
    assert (plan.date, plan.calendar_note) == (date(2027, 1, 29),
                                               f"moved from Sat 2027-01-30: {SAT}")
    s = expand("2027-01-16,delay,,2,,,,\n")
    last = next(a for a in s.administrations if a.cycle == 4)
    assert last.date == date(2027, 1, 29)
    safety = visit(s, "safety")
    assert (safety.date, safety.calendar_note) == (date(2027, 2, 3), "")
    # A delay of 1 day: the last dose is due Tue 01-26; the visit due Sun 01-31 moves to
    # the nearest open day of its window, Mon 02-01 (Sat 01-30 is 1 day before, closed).
    s = expand("2027-01-12,delay,,2,,,,\n")
    safety = visit(s, "safety")
    assert (safety.date, safety.calendar_note) == (date(2027, 2, 1),
                                                   f"moved from Sun 2027-01-31: {SUN}")


def test_the_plans_warning_about_a_day_a_visit_was_moved_from_is_gone() -> None:
    # Cycle 3 day 6 is Sat 01-23, no window: a conflict in the plan, and its warning.
    conflict = (f"visit c3d6, Study Day 20: stays on Sat 2027-01-23, a day the site is closed "
                f"({SAT}): the visit has no window to move it in")
    assert conflict in closed(expand(None))
    # Cycle 2 delayed 2 days (Wed 01-13): cycle 3 day 6 is due Mon 01-25, open.
    s = expand("2027-01-13,delay,,2,,,,\n")
    c3d6 = visit(s, "c3d6")
    assert (c3d6.date, c3d6.calendar_note) == (date(2027, 1, 25), "")
    assert conflict not in closed(s)


# From the day it was due, not the day the plan's calendar chose. --------------------------

def test_a_delay_moves_an_administration_from_the_day_it_was_due() -> None:
    # From Sat 2027-01-02 the cycles are due on Saturdays 02, 09, 16, 23; the plan moves
    # each to the Friday before (1 day, nearer than Monday). Cycle 2 delayed to Sun 01-10
    # (1 day from Sat 01-09): that day is kept as recorded; cycle 3, due Sat 01-16, is due
    # Sun 01-17 and moves to Mon 01-18 (1 day after; Sat 01-16 is closed, Fri 01-15 is 2
    # days before); cycle 4 to Mon 01-25. Before, each was moved 1 day from the Friday the
    # plan chose, onto the Saturday, and back to that Friday: cycle 2 on Fri 01-08, two
    # days before the date the delay row gives.
    plan = expand(None, start="2027-01-02")
    assert [a.date.isoformat() for a in plan.administrations] == [
        "2027-01-01", "2027-01-08", "2027-01-15", "2027-01-22"]
    s = expand("2027-01-10,delay,,2,,,,\n", start="2027-01-02")
    treg = s.administrations
    assert [a.date.isoformat() for a in treg] == [
        "2027-01-01", "2027-01-10", "2027-01-18", "2027-01-25"]
    assert [a.planned_date.isoformat() for a in treg if a.planned_date] == [
        "2027-01-02", "2027-01-09", "2027-01-16", "2027-01-23"]
    assert [a.calendar_note for a in treg] == [
        f"moved from Sat 2027-01-02: {SAT}",
        f"kept on Sun 2027-01-10, the date record line 2 gives, a day the site is closed "
        f"({SUN})",
        f"moved from Sun 2027-01-17: {SUN}",
        f"moved from Sun 2027-01-24: {SUN}"]
    # The visit on cycle 3 day 1 with it: due Sun 01-17, Mon 01-18.
    assert visit(s, "c3").date == date(2027, 1, 18)


def test_the_plans_warning_about_a_dose_the_delay_moved_away_is_gone() -> None:
    # Without a window, every dose from Sat 01-02 stays on its Saturday: four conflicts.
    # Cycle 2 delayed 2 days to Mon 01-11 (shift): cycles 2-4 on Mondays 11, 18 and 25,
    # open: their notes and warnings go, cycle 1's stay.
    def stays(day: str, n: int) -> str:
        return (f"Treg cells, Study Day {n}: stays on Sat {day}, a day the site is closed "
                f"({SAT}): its course has no window to move it in (give the course a window)")

    plan = expand(None, start="2027-01-02", window="")
    assert [w for w in closed(plan) if w.startswith("Treg")] == [
        stays("2027-01-02", 1), stays("2027-01-09", 8), stays("2027-01-16", 15),
        stays("2027-01-23", 22)]
    s = expand("2027-01-11,delay,,2,,,,\n", start="2027-01-02", window="")
    assert [w for w in closed(s) if w.startswith("Treg")] == [stays("2027-01-02", 1)]
    assert [(a.date.isoformat(), a.calendar_note != "") for a in s.administrations] == [
        ("2027-01-02", True), ("2027-01-11", False), ("2027-01-18", False),
        ("2027-01-25", False)]
