"""The site's calendar: clinic work moved off closed days, within its window.

Every date below is worked out by hand from a wall calendar (2027-01-01 is a Friday,
2027-12-25 a Saturday, Easter Monday 2027 is 29 March) and the public holidays of the
country as published (France: Code du travail L3133-1; California: the federal holidays
observed on the Friday before a Saturday, Government Code 6700); never from the code's
own output.
"""

from __future__ import annotations

import datetime as dt

import pytest

import regimens
from regimens import ClosedDayWarning, Closure, SiteCalendar
from support import expand

D = dt.date


def course(line: str, length: str = "4 weeks", visits: str = "",
           more: str = "") -> str:
    return (f"periods:\n  - id: t\n    length: {length}\n    courses:\n      - {{{line}}}\n"
            + more + (f"visits:\n{visits}" if visits else ""))


def closures(*days: dt.date) -> tuple[Closure, ...]:
    return tuple(Closure(d, "audit") for d in days)


def moved(schedule: regimens.Schedule, drug: str = "treg") -> list[tuple[str, str | None]]:
    """(actual date, planned date or None) of each administration of ``drug``."""
    return [(a.date.isoformat(), a.planned_date.isoformat() if a.planned_date else None)
            for a in schedule.administrations if a.drug == drug]


WEEKEND_FR = SiteCalendar(closed=("sat", "sun"), holidays="FR")


def test_christmas_and_new_year_in_france_move_to_the_friday_before() -> None:
    # Sat 2027-12-25 (Christmas) and Sat 2028-01-01 (New Year): one day earlier is Friday,
    # open in France (24 and 31 December are working days there).
    s = expand(course("drug: treg, dose: 1 mg, every: 1 week, count: 2, clinic: true, "
                      "window: 2 days", "2 weeks"), start="2027-12-25", calendar=WEEKEND_FR)
    assert moved(s) == [("2027-12-24", "2027-12-25"), ("2027-12-31", "2028-01-01")]
    first, second = s.administrations
    assert first.calendar_note == ("moved from Sat 2027-12-25: public holiday (Christmas Day); "
                                   "closed on Saturdays")
    assert second.calendar_note == ("moved from Sat 2028-01-01: public holiday (New Year's "
                                    "Day); closed on Saturdays")
    # The day given is Study Day -1 (the day before Day 1) and Day 7.
    assert [a.study_day.value for a in s.administrations] == [-1, 7]
    assert not first.conflict
    assert s.warnings == ()


def test_window_after_only_goes_to_the_monday() -> None:
    # {before: 0, after: 2}: Sun 26 is closed, Mon 27 December is open.
    s = expand(course("drug: treg, dose: 1 mg, days: 1, clinic: true, "
                      "window: {before: 0 days, after: 2 days}", "1 week"),
               start="2027-12-25", calendar=WEEKEND_FR)
    assert moved(s) == [("2027-12-27", "2027-12-25")]


def test_easter_monday_in_france() -> None:
    # Mondays from Mon 2027-03-01: 1, 8, 15, 22 and 29 March; 29 March is Easter Monday.
    # With weekends closed, Sun 28 is closed and Tue 30 is the nearest open day.
    body = course("drug: treg, dose: 1 mg, every: 1 week, clinic: true, window: 1 day",
                  "5 weeks")
    s = expand(body, start="2027-03-01", calendar=WEEKEND_FR)
    assert moved(s)[-1] == ("2027-03-30", "2027-03-29")
    assert s.administrations[-1].calendar_note == (
        "moved from Mon 2027-03-29: public holiday (Easter Monday)")
    assert all(p is None for _, p in moved(s)[:-1])
    # Holidays only: Sunday 28 and Tuesday 30 are both one day away; the earlier wins.
    s = expand(body, start="2027-03-01", calendar=SiteCalendar(holidays="FR"))
    assert moved(s)[-1] == ("2027-03-28", "2027-03-29")


def test_california_observed_holidays() -> None:
    # US-CA 2027: Christmas (Sat 25 December) is observed on Fri 24, New Year's Day 2028
    # (a Saturday) on Fri 31 December, Independence Day (Sun 4 July) on Mon 5 July.
    site = SiteCalendar(closed=("sat", "sun"), holidays="US-CA")
    assert site.closure(D(2027, 12, 24)) == "public holiday (Christmas Day (observed))"
    assert site.closure(D(2027, 12, 31)) == "public holiday (New Year's Day (observed))"
    assert site.closure(D(2027, 7, 5)) == "public holiday (Independence Day (observed))"
    # Fridays 24 and 31 December: the Thursday before is open; Saturday after is closed.
    s = expand(course("drug: treg, dose: 1 mg, every: 1 week, count: 2, clinic: true, "
                      "window: 1 day", "2 weeks"), start="2027-12-24", calendar=site)
    assert moved(s) == [("2027-12-23", "2027-12-24"), ("2027-12-30", "2027-12-31")]
    # With the holidays' own dates, Friday 24 December is open: nothing moves.
    actual = SiteCalendar(closed=("sat", "sun"), holidays="US-CA", observed=False)
    assert actual.closure(D(2027, 12, 24)) is None
    s = expand(course("drug: treg, dose: 1 mg, every: 1 week, count: 2, clinic: true, "
                      "window: 1 day", "2 weeks"), start="2027-12-24", calendar=actual)
    assert moved(s) == [("2027-12-24", None), ("2027-12-31", None)]


@pytest.mark.parametrize(("window", "expected"), [
    # Wed 6 January closed, and Tue 5 and Thu 7: Mon 4 and Fri 8 are both two days away.
    ("2 days", ("2027-01-04", "2027-01-06")),
    ("{before: 0 days, after: 2 days}", ("2027-01-08", "2027-01-06")),  # the window's end
    ("{before: 2 days, after: 0 days}", ("2027-01-04", "2027-01-06")),  # its other end
    ("1 day", ("2027-01-06", None)),  # nothing open: a conflict
])
def test_window_ends_are_included_and_ties_go_earlier(window: str,
                                                      expected: tuple[str, str | None]) -> None:
    site = SiteCalendar(closed_dates=closures(D(2027, 1, 5), D(2027, 1, 6), D(2027, 1, 7)))
    s = expand(course(f"drug: treg, dose: 1 mg, days: 3, clinic: true, window: {window}",
                      "1 week"), start="2027-01-04", calendar=site)
    assert moved(s) == [expected]


def test_a_conflict_stays_and_is_reported() -> None:
    site = SiteCalendar(closed_dates=closures(D(2027, 1, 5), D(2027, 1, 6), D(2027, 1, 7)))
    with pytest.warns(ClosedDayWarning) as caught:
        s = load_expand(course("drug: treg, dose: 1 mg, days: 3, clinic: true, window: 1 day",
                               "1 week"), site)
    a = s.administrations[0]
    note = ("stays on Wed 2027-01-06, a day the site is closed (site closure (audit)): no "
            "open day in its window (Tue 2027-01-05 to Thu 2027-01-07)")
    assert (a.date, a.planned_date, a.calendar_note, a.conflict) == (D(2027, 1, 6), None,
                                                                    note, True)
    assert [str(w.message) for w in caught] == [f"Treg cells, Study Day 3: {note}"]
    assert [str(w) for w in s.warnings] == [f"Treg cells, Study Day 3: {note}"]


def load_expand(body: str, site: SiteCalendar, start: str = "2027-01-04") -> regimens.Schedule:
    from support import load

    return load(body).expand("a", start, calendar=site)


def test_a_course_without_window_does_not_move() -> None:
    site = SiteCalendar(closed=("sat", "sun"))
    s = expand(course("drug: treg, dose: 1 mg, days: 6, clinic: true"), calendar=site)
    assert moved(s) == [("2027-01-09", None)]
    assert s.administrations[0].calendar_note == (
        "stays on Sat 2027-01-09, a day the site is closed (closed on Saturdays): its course "
        "has no window to move it in (give the course a window)")


@pytest.mark.parametrize(("interval", "expected"), [
    # Doses Mon 4, Mon 25 January, Mon 15 February; 25 January closed. One day earlier,
    # Sun 24, is 20 days after the first dose and 22 before the next.
    ("20 days", ("2027-01-24", "2027-01-25")),
    # 21 days: Sun 24 is 20 days after the first; Tue 26 is 20 days before the next;
    # Sat 23 and Wed 27 are further off. A conflict.
    ("21 days", ("2027-01-25", None)),
])
def test_min_interval(interval: str, expected: tuple[str, str | None]) -> None:
    site = SiteCalendar(closed_dates=closures(D(2027, 1, 25)))
    s = expand(course(f"drug: treg, dose: 1 mg, every: 3 weeks, clinic: true, window: 2 days, "
                      f"min_interval: {interval}", "7 weeks"), calendar=site)
    assert moved(s)[1] == expected
    if expected[1] is None:
        assert s.administrations[1].calendar_note.endswith(
            "no open day in its window (Sat 2027-01-23 to Wed 2027-01-27) is at least 21 days "
            "(min_interval) from the previous and next doses")


def test_min_interval_counts_from_the_previous_dose_as_given() -> None:
    # Mon 4 January and Sun 3 closed: the first dose goes to Tue 5. The second, Mon 25,
    # is closed: Sun 24 would be 19 days after Tue 5 (20 after the planned Mon 4), so it
    # goes to Tue 26 (21 days after Tue 5, 20 before Mon 15 February).
    site = SiteCalendar(closed_dates=closures(D(2027, 1, 3), D(2027, 1, 4), D(2027, 1, 25)))
    s = expand(course("drug: treg, dose: 1 mg, every: 3 weeks, clinic: true, window: 2 days, "
                      "min_interval: 20 days", "7 weeks"), calendar=site)
    assert moved(s) == [("2027-01-05", "2027-01-04"), ("2027-01-26", "2027-01-25"),
                        ("2027-02-15", None)]


def test_never_two_doses_of_a_drug_on_one_day() -> None:
    # Daily at the clinic for 8 days from Mon 4 January, weekends closed, 1-day window:
    # Friday 8 and Monday 11 already have their own dose, so Saturday 9's and Sunday 10's
    # stay, as conflicts. (Mon 11 is the last day: nothing after it.)
    site = SiteCalendar(closed=("sat", "sun"))
    s = expand(course("drug: treg, dose: 1 mg, daily: true, clinic: true, window: 1 day",
                      "8 days"), calendar=site)
    assert [d for d, _ in moved(s)] == [f"2027-01-{n:02d}" for n in range(4, 12)]
    assert [a.conflict for a in s.administrations] == [False] * 5 + [True] * 2 + [False]
    # Over 7 days, Sunday's dose has a free Monday after it: it moves there.
    s = expand(course("drug: treg, dose: 1 mg, daily: true, clinic: true, window: 1 day",
                      "7 days"), calendar=site)
    assert moved(s)[-1] == ("2027-01-11", "2027-01-10")
    assert s.administrations[5].calendar_note.endswith(
        "no open day in its window (Fri 2027-01-08 to Sun 2027-01-10) is without another dose "
        "of Treg cells that day")


def test_home_doses_never_move() -> None:
    site = SiteCalendar(closed=("sat", "sun"), holidays="FR")
    s = expand(course("drug: pred, dose: 5 mg, daily: true", "1 week"), start="2027-12-25",
               calendar=site)
    assert [a.date for a in s.administrations] == [D(2027, 12, 25) + dt.timedelta(n)
                                                   for n in range(7)]
    assert all(a.planned_date is None for a in s.administrations)
    assert all(a.calendar_note == "" for a in s.administrations)


def test_a_drug_marked_clinic_moves_in_every_course() -> None:
    head_clinic = ("drugs:\n  treg: {name: Treg cells, route: intravenous, clinic: true}\n")
    from support import HEAD
    head = HEAD.replace("  treg: {name: Treg cells, route: intravenous}\n", head_clinic[7:])
    s = regimens.loads(head + course("drug: treg, dose: 1 mg, days: 6, window: 2 days"),
                       "r.yaml").expand("a", "2027-01-04",
                                        calendar=SiteCalendar(closed=("sat", "sun")))
    # Sat 9 January: Fri 8 is one day earlier.
    assert moved(s) == [("2027-01-08", "2027-01-09")]


def test_moves_do_not_re_anchor_later_cycles() -> None:
    # 28-day cycles, days 1, 8, 15 from Mon 4 January; Mon 1 February (cycle 2 day 1)
    # closed: it goes to Tue 2 (Sun 31 January is closed); cycle 2 day 8 stays Mon 8.
    site = SiteCalendar(closed=("sat", "sun"), closed_dates=closures(D(2027, 2, 1)))
    s = expand(course("drug: treg, dose: 1 mg, cycle: 28 days, cycles: 2, days: [1, 8, 15], "
                      "clinic: true, window: 1 day", "8 weeks"), calendar=site)
    rows = [(a.date.isoformat(), a.cycle, a.cycle_day, a.study_day.value)
            for a in s.administrations]
    assert rows == [("2027-01-04", 1, 1, 1), ("2027-01-11", 1, 8, 8), ("2027-01-18", 1, 15, 15),
                    ("2027-02-02", 2, 1, 30), ("2027-02-08", 2, 8, 36),
                    ("2027-02-15", 2, 15, 43)]


def test_a_move_keeps_the_schedule_in_date_order() -> None:
    # Treg on Wed 6 (closed) moves to Tue 5; prednisone on Mon 4 and Tue 5 stays.
    site = SiteCalendar(closed_dates=closures(D(2027, 1, 6)))
    s = expand(course("drug: treg, dose: 1 mg, days: 3, clinic: true, window: 1 day", "1 week",
                      more="      - {drug: pred, dose: 5 mg, days: [1, 2, 4]}\n"),
               calendar=site)
    # On one day, the schedule's order: the course written first comes first.
    assert [(a.date.day, a.drug) for a in s.administrations] == [
        (4, "pred"), (5, "treg"), (5, "pred"), (7, "pred")]


def test_a_move_never_breaks_a_same_day_exclusion() -> None:
    # Methotrexate at the clinic on Wed 6 (closed); folic acid daily except on
    # methotrexate days. Tue 5 and Thu 7 have folic acid: moving there would give both.
    site = SiteCalendar(closed_dates=closures(D(2027, 1, 6)))
    s = expand(course("drug: treg, dose: 1 mg, days: 3, clinic: true, window: 1 day", "1 week",
                      more="      - {drug: pred, dose: 5 mg, daily: true, not_on: [treg]}\n"),
               calendar=site)
    treg = [a for a in s.administrations if a.drug == "treg"]
    assert treg[0].conflict
    assert treg[0].calendar_note.endswith(
        "is without breaking a same-day exclusion (not_on, no_same_day)")


def test_timed_administrations_keep_their_time_on_the_new_day() -> None:
    site = SiteCalendar(closed=("sat", "sun"))
    s = expand(course("drug: treg, dose: 1 mg, days: 6, times: ['09:30'], clinic: true, "
                      "window: 1 day"), tz="Europe/Paris", calendar=site)
    a = s.administrations[0]
    assert (a.date, a.time, a.at) == (D(2027, 1, 8), dt.time(9, 30), dt.datetime(
        2027, 1, 8, 9, 30, tzinfo=a.at.tzinfo if a.at else None))
    assert a.at is not None
    assert a.at.utcoffset() == dt.timedelta(hours=1)


VISITS = """\
  - {id: sat, day: 6, window: 3 days}
  - {id: sun, day: 7, window: 1 day}
  - {id: wed, day: 10, window: 1 day}
  - {id: fixed, day: 13}
"""


def test_visits_move_within_their_window() -> None:
    # Study Day 1 Mon 4 January. Sat 9: Fri 8 (Sun 10 is closed). Sun 10 with one day:
    # Sat 9 closed, Mon 11. Wed 13 closed (site closure): Tue 12 and Thu 14 tie, the
    # earlier wins. Sat 16, no window: stays, a conflict.
    site = SiteCalendar(closed=("sat", "sun"), closed_dates=closures(D(2027, 1, 13)))
    s = expand(course("drug: pred, dose: 1 mg, days: 1", visits=VISITS), calendar=site)
    got = [(v.id, v.date.isoformat(), v.planned_date and v.planned_date.isoformat(),
            v.study_day.value, v.conflict) for v in s.visits]
    assert got == [("sat", "2027-01-08", "2027-01-09", 5, False),
                   ("sun", "2027-01-11", "2027-01-10", 8, False),
                   ("wed", "2027-01-12", "2027-01-13", 9, False),
                   ("fixed", "2027-01-16", None, 13, True)]
    # The window stays the one around the target day.
    assert (s.visits[0].earliest, s.visits[0].latest) == (D(2027, 1, 6), D(2027, 1, 12))
    assert [str(w) for w in s.warnings] == [
        "visit fixed, Study Day 13: stays on Sat 2027-01-16, a day the site is closed (closed "
        "on Saturdays): the visit has no window to move it in"]


def test_without_a_calendar_nothing_changes() -> None:
    body = course("drug: treg, dose: 1 mg, every: 1 week, clinic: true, window: 2 days",
                  visits=VISITS)
    plain = expand(body, start="2027-12-25")
    empty = expand(body, start="2027-12-25", calendar=SiteCalendar())
    assert plain.calendar is None
    assert empty.calendar == SiteCalendar()
    assert plain.administrations == empty.administrations
    assert plain.visits == empty.visits


def test_the_calendar_option_is_checked() -> None:
    with pytest.raises(regimens.ExpandOptionTypeError, match="calendar: a SiteCalendar"):
        expand(course("drug: pred, dose: 1 mg, days: 1"), calendar=("sat",))


def test_day_zero_protocols_number_the_moved_day_from_day_zero() -> None:
    # day_zero: the infusion day Sat 2027-01-09 is Study Day 0. Closed on Saturdays, with
    # {before: 0, after: 2} it moves to Sun 10, Study Day 1 (there is a Day 0 here).
    from support import HEAD

    text = HEAD.replace("arms:", "day_zero: true\narms:") + course(
        "drug: treg, dose: 1 mg, days: 1, clinic: true, window: {before: 0 days, after: 2 days}",
        "1 week")
    s = regimens.loads(text, "r.yaml").expand("a", "2027-01-09",
                                              calendar=SiteCalendar(closed=("sat",)))
    a = s.administrations[0]
    assert (a.date, a.planned_date, a.study_day.value) == (D(2027, 1, 10), D(2027, 1, 9), 1)
    s = regimens.loads(text, "r.yaml").expand("a", "2027-01-09",
                                              calendar=SiteCalendar(closed=("sat", "sun")))
    a = s.administrations[0]
    assert (a.date, a.study_day.value) == (D(2027, 1, 11), 2)
