"""A dose given later than it was due is held to the regimen's ``max_delay`` as a ``move``
row to the same day is (the last closing note: a ``given`` row dated after its planned
day, before the next dose, was taken as the planned dose whatever its lateness, while a
move of the same length was a deviation). Every way a dose lands later than it was due
goes through the one check (a dose given late, after a hold, a make-up), with the move's
words, and the deviation is in every list of deviations (``replayed.deviations``, the
summary, the table, JSON).

By hand: aldesleukin 2 MIU on days 1-5 of three 28-day cycles from Mon 2027-01-04,
``max_delay: 3 days``: cycle 1 on Mon 01-04 to Fri 01-08, cycle 2 on Mon 02-01 to Fri
02-05, cycle 3 on Mon 03-01 to Fri 03-05. Cycle 2 day 5 is due Fri 02-05 and the next dose
is cycle 3 day 1 on Mon 03-01: given Mon 02-08 it is 3 days late (the limit: no
deviation), Tue 02-09 4 days (one over: a deviation), Wed 02-10 5 days.
"""

from __future__ import annotations

import json

import pytest

import regimens
from support.records import replay_rows

DAILY = """\
format: regimens/1
id: daily
title: Daily
POLICY
drugs:
  il2: {name: aldesleukin, route: subcutaneous}
arms:
  a: {label: A}
periods:
  - id: t
    length: 12 weeks
    courses:
      - {drug: il2, dose: 2 MIU, cycle: 28 days, cycles: 3, days: 1-5}
"""
LIMITED = regimens.loads(DAILY.replace("POLICY", "max_delay: 3 days"), "daily.yaml")
UNLIMITED = regimens.loads(DAILY.replace("POLICY\n", ""), "daily.yaml")
# The limit on the course instead of the regimen.
ON_COURSE = regimens.loads(DAILY.replace("POLICY\n", "").replace(
    "days: 1-5}", "days: 1-5, max_delay: 3 days}"), "daily.yaml")
MAKE_UP = regimens.loads(DAILY.replace("POLICY", "max_delay: 3 days\nmissed: make_up"),
                         "daily.yaml")

LATE_5 = ("line 2: aldesleukin cycle 2 day 5 given on Wed 2027-02-10, due Fri 2027-02-05: "
          "5 days after it was due, more than max_delay (3 days)")


def deviations(regimen: regimens.Regimen, rows: str) -> tuple[str, ...]:
    s = replay_rows(regimen, rows)
    assert s.replayed is not None
    assert s.replayed.summary is not None
    assert s.replayed.summary.deviations == s.replayed.deviations
    return s.replayed.deviations


@pytest.mark.parametrize(("regimen", "row", "expected"), [
    # The brief's case: 5 days late, before the next dose (cycle 3 day 1, Mon 03-01).
    (LIMITED, "2027-02-10,given,il2,2,5,,,", [LATE_5]),
    # The boundary: exactly the limit (3 days) is none; one day over is one.
    (LIMITED, "2027-02-08,given,il2,2,5,,,", []),
    (LIMITED, "2027-02-09,given,il2,2,5,,,", [
        "line 2: aldesleukin cycle 2 day 5 given on Tue 2027-02-09, due Fri 2027-02-05: "
        "4 days after it was due, more than max_delay (3 days)"]),
    # The limit on the course: the same.
    (ON_COURSE, "2027-02-10,given,il2,2,5,,,", [LATE_5]),
    # No limit: no deviation, however late (before the next dose).
    (UNLIMITED, "2027-02-10,given,il2,2,5,,,", []),
    (UNLIMITED, "2027-02-26,given,il2,2,5,,,", []),
    # Early is never late: cycle 2 day 1 (Mon 02-01) given Fri 01-29, after cycle 1 day 5.
    (LIMITED, "2027-01-29,given,il2,2,1,,,", []),
    # Named by the date it is planned on (the planned column): the same check.
    (LIMITED, "2027-02-10,given,il2,,,,,,2027-02-05", [LATE_5]),
    # Late and past the next dose: both reasons, in the move's order. Cycle 2 day 1 (Mon
    # 02-01) given Sat 02-06: on or after day 2 (Tue 02-02), 5 days late.
    (LIMITED, "2027-02-06,given,il2,2,1,,,", [
        "line 2: aldesleukin cycle 2 day 1 given on Sat 2027-02-06, due Mon 2027-02-01: on "
        "or after the next administration of aldesleukin (cycle 2 day 2 on Tue 2027-02-02); "
        "5 days after it was due, more than max_delay (3 days)"]),
])
def test_a_dose_given_late_is_held_to_max_delay(regimen: regimens.Regimen, row: str,
                                                expected: list[str]) -> None:
    header = "date,event,drug,cycle,day,amount,level,reason" + (
        ",planned\n" if row.count(",") == 8 else "\n")
    s = regimen.expand("a", "2027-01-04", record=regimens.read_record(
        header + row + "\n", name="R.csv"))
    assert s.replayed is not None
    assert list(s.replayed.deviations) == expected
    assert s.replayed.summary.deviations == s.replayed.deviations


@pytest.mark.parametrize(("cycle", "day", "to"), [
    (2, 5, "2027-02-08"),  # 3 days: within
    (2, 5, "2027-02-09"),  # 4 days: over
    (2, 5, "2027-02-10"),  # 5 days: over
    (2, 1, "2027-02-06"),  # past the next dose and over
    (2, 1, "2027-02-02"),  # onto the next dose, within
    (2, 5, "2027-03-02"),  # past cycle 3 day 1 and 25 days late
])
def test_a_late_dose_and_a_move_to_its_day_give_the_same_reasons(cycle: int, day: int,
                                                                 to: str) -> None:
    # One rule: what follows the ": " of the deviation is the move's, word for word.
    given = deviations(LIMITED, f"{to},given,il2,{cycle},{day},,,\n")
    moved = deviations(LIMITED, f"{to},move,il2,{cycle},{day},,,\n")
    assert [d.split(": ", 2)[2] for d in given] == [d.split(": ", 2)[2] for d in moved]


def test_a_late_dose_is_in_every_list_of_deviations() -> None:
    s = replay_rows(LIMITED, "2027-02-10,given,il2,2,5,,,\n")
    assert s.replayed is not None
    assert s.replayed.deviations == (LATE_5,)
    assert s.replayed.summary.deviations == (LATE_5,)
    table = s.to_table()
    assert f"Protocol deviations:\n  {LATE_5}\n" in table
    assert f"  Deviations:\n    - {LATE_5}\n" in table
    data = json.loads(s.to_json())
    assert data["record"]["deviations"] == [LATE_5]
    assert data["summary"]["deviations"] == [LATE_5]


def test_a_dose_given_late_after_a_hold_is_held_to_max_delay() -> None:
    # Held Wed 02-03 (cycle 2 day 3) and resumed Wed 02-10: days 3-5 (02-03 to 02-05) are
    # held; day 5 given on the day of the resume, 5 days after it was due.
    rows = ("2027-02-03,hold,il2,,,,,fever\n2027-02-10,resume,il2,,,,,\n"
            "2027-02-10,given,il2,2,5,,,\n")
    assert deviations(LIMITED, rows) == (
        "line 4: aldesleukin cycle 2 day 5 given on Wed 2027-02-10, due Fri 2027-02-05: "
        "5 days after it was due, more than max_delay (3 days)",)
    # Resumed Mon 02-08 and given that day: 3 days, the limit.
    assert deviations(LIMITED, rows.replace("02-10", "02-08")) == ()
    # Without a limit: no deviation.
    assert deviations(UNLIMITED, rows) == ()


# Lateness adds up: every route a dose takes later than the protocol's day (a delay of its
# cycle or from its day, a move, a given row dated late, and any of them together) counts
# from the day the protocol gives it, as two delays of 2 days of one cycle are "delayed 4
# days in all". (The replaced test pinned the opposite: a delay of 2 days and a dose given
# 3 days after the delayed day, 5 days after the protocol's, was no deviation. Wrong.)
# By hand: cycle 2 day 5 is due Fri 02-05 by the protocol.
COUNTED = (", counted from {}, the day the protocol gives it (the record's delays and moves "
           "of it count)")
FROM_FRI = COUNTED.format("Fri 2027-02-05")


@pytest.mark.parametrize(("rows", "expected"), [
    # Cycle 2 delayed 3 days (Mon 02-01 to Thu 02-04: the limit), so day 5 is on Mon 02-08;
    # given Thu 02-11, 3 days after that: 6 days after Fri 02-05.
    ("2027-02-04,delay,il2,2,,,,\n2027-02-11,given,il2,2,5,,,\n", [
        "line 3: aldesleukin cycle 2 day 5 given on Thu 2027-02-11, due Mon 2027-02-08: "
        "6 days after it was due, more than max_delay (3 days)" + FROM_FRI]),
    # The same delay, given on the day the delay gives it (Mon 02-08, 3 days): none.
    ("2027-02-04,delay,il2,2,,,,\n2027-02-08,given,il2,2,5,,,\n", []),
    # Day 5 moved to Mon 02-08 (3 days), given Thu 02-11: 6 days.
    ("2027-02-08,move,il2,2,5,,,\n2027-02-11,given,il2,2,5,,,\n", [
        "line 3: aldesleukin cycle 2 day 5 given on Thu 2027-02-11, due Mon 2027-02-08: "
        "6 days after it was due, more than max_delay (3 days)" + FROM_FRI]),
    # A delay from day 5 (Fri 02-05 to Mon 02-08, 3 days), given Thu 02-11: 6 days.
    ("2027-02-08,delay,il2,2,5,,,\n2027-02-11,given,il2,2,5,,,\n", [
        "line 3: aldesleukin cycle 2 day 5 given on Thu 2027-02-11, due Mon 2027-02-08: "
        "6 days after it was due, more than max_delay (3 days)" + FROM_FRI]),
    # Cycle 2 delayed 2 days (to Wed 02-03; day 5 on Sun 02-07): given Mon 02-08 is 3 days
    # after Fri 02-05 (none), Tue 02-09 4 days, Wed 02-10 5 days.
    ("2027-02-03,delay,il2,2,,,,\n2027-02-08,given,il2,2,5,,,\n", []),
    ("2027-02-03,delay,il2,2,,,,\n2027-02-09,given,il2,2,5,,,\n", [
        "line 3: aldesleukin cycle 2 day 5 given on Tue 2027-02-09, due Sun 2027-02-07: "
        "4 days after it was due, more than max_delay (3 days)" + FROM_FRI]),
    ("2027-02-03,delay,il2,2,,,,\n2027-02-10,given,il2,2,5,,,\n", [
        "line 3: aldesleukin cycle 2 day 5 given on Wed 2027-02-10, due Sun 2027-02-07: "
        "5 days after it was due, more than max_delay (3 days)" + FROM_FRI]),
    # Delayed 2 days, then day 5 moved from Sun 02-07 to Tue 02-09: the move is 4 days
    # after Fri 02-05; to Mon 02-08, 3 days: none.
    ("2027-02-03,delay,il2,2,,,,\n2027-02-09,move,il2,2,5,,,\n", [
        "line 3: aldesleukin cycle 2 day 5 moved from Sun 2027-02-07 to Tue 2027-02-09: "
        "4 days after it was due, more than max_delay (3 days)" + FROM_FRI]),
    ("2027-02-03,delay,il2,2,,,,\n2027-02-08,move,il2,2,5,,,\n", []),
    # Another cycle's delay is not this one's lateness: cycle 1 delayed 3 days (Mon 01-04
    # to Thu 01-07) shifts cycle 2 to Thu 02-04 to Mon 02-08 (on_delay: shift); day 5
    # given Thu 02-11 is 3 days after Mon 02-08 (none), Fri 02-12 4 days.
    ("2027-01-07,delay,il2,1,,,,\n2027-02-11,given,il2,2,5,,,\n", []),
    ("2027-01-07,delay,il2,1,,,,\n2027-02-12,given,il2,2,5,,,\n", [
        "line 3: aldesleukin cycle 2 day 5 given on Fri 2027-02-12, due Mon 2027-02-08: "
        "4 days after it was due, more than max_delay (3 days)"]),
    # Both: cycle 1 shifts it to Mon 02-08, cycle 2's own delay of 2 days (Thu 02-04 to
    # Sat 02-06) puts it on Wed 02-10; given Fri 02-12: 4 days after Mon 02-08.
    ("2027-01-07,delay,il2,1,,,,\n2027-02-06,delay,il2,2,,,,\n"
     "2027-02-12,given,il2,2,5,,,\n", [
         "line 4: aldesleukin cycle 2 day 5 given on Fri 2027-02-12, due Wed 2027-02-10: "
         "4 days after it was due, more than max_delay (3 days)"
         + COUNTED.format("Mon 2027-02-08")]),
])
def test_lateness_adds_up_from_the_protocols_day(rows: str, expected: list[str]) -> None:
    assert list(deviations(LIMITED, rows)) == expected


# Make-ups (missed: make_up): a make-up given by a row naming the missed dose is due on the
# day the plan makes it up on (the replay's own placement: one a day after the course's
# last dose, cycle 3 day 5 Fri 03-05, on days the site is open for clinic work), as if no
# row had given it. (The replaced rule counted from the day after the course's last dose
# whatever the plan said: wrong under a site calendar and for a second make-up.)
MISSED = "2027-01-05,missed,il2,,,,,\n"  # cycle 1 day 2, Tue 01-05
MISSED_2 = MISSED + "2027-01-06,missed,il2,,,,,\n"  # and cycle 1 day 3, Wed 01-06
CLINIC = regimens.loads(DAILY.replace("POLICY", "max_delay: 3 days\nmissed: make_up").replace(
    "days: 1-5}", "days: 1-5, clinic: true}"), "daily.yaml")
WEEKDAYS = regimens.SiteCalendar(closed=("sat", "sun"))


def make_up_late(line: int, day: int, given: str, missed: int, due: str, days: int) -> str:
    return (f"line {line}: aldesleukin cycle 1 day {day} given on {given}, making up the dose "
            f"missed (line {missed}), due {due} (the day missed: make_up plans it on): "
            f"{days} days after it was due, more than max_delay (3 days)")


@pytest.mark.parametrize(("regimen", "rows", "expected"), [
    # One missed, planned Sat 03-06 (the day after Fri 03-05). Before it (between the
    # cycles): not late; 3 days after: the limit; 4 days: one over.
    (MAKE_UP, MISSED + "2027-01-20,given,il2,1,2,,,\n", []),
    (MAKE_UP, MISSED + "2027-03-09,given,il2,1,2,,,\n", []),
    (MAKE_UP, MISSED + "2027-03-10,given,il2,1,2,,,\n",
     [make_up_late(3, 2, "Wed 2027-03-10", 2, "Sat 2027-03-06", 4)]),
    # Two missed: planned Sat 03-06 and Sun 03-07 (one a day). Each given 3 days after
    # its own day: none; the second given Thu 03-11, 4 days after Sun 03-07: one.
    (MAKE_UP, MISSED_2 + "2027-03-09,given,il2,1,2,,,\n2027-03-10,given,il2,1,3,,,\n", []),
    (MAKE_UP, MISSED_2 + "2027-03-09,given,il2,1,2,,,\n2027-03-11,given,il2,1,3,,,\n",
     [make_up_late(5, 3, "Thu 2027-03-11", 3, "Sun 2027-03-07", 4)]),
    # Only the second given by a row (the first still planned, Sat 03-06): it is due Sun
    # 03-07 all the same.
    (MAKE_UP, MISSED_2 + "2027-03-10,given,il2,1,3,,,\n", []),
    (MAKE_UP, MISSED_2 + "2027-03-11,given,il2,1,3,,,\n",
     [make_up_late(4, 3, "Thu 2027-03-11", 3, "Sun 2027-03-07", 4)]),
])
def test_a_make_up_given_late_is_held_to_max_delay(regimen: regimens.Regimen, rows: str,
                                                   expected: list[str]) -> None:
    assert list(deviations(regimen, rows)) == expected


@pytest.mark.parametrize(("rows", "expected"), [
    # Clinic work, the site closed Sat and Sun: one make-up planned Mon 03-08. Given Thu
    # 03-11 (3 days): none; Fri 03-12 (4 days): one.
    (MISSED + "2027-03-11,given,il2,1,2,,,\n", []),
    (MISSED + "2027-03-12,given,il2,1,2,,,\n",
     [make_up_late(3, 2, "Fri 2027-03-12", 2, "Mon 2027-03-08", 4)]),
    # Two: planned Mon 03-08 and Tue 03-09. The second given Fri 03-12 (3 days): none;
    # the first given Fri 03-12 (4 days after Mon 03-08): one.
    (MISSED_2 + "2027-03-12,given,il2,1,3,,,\n", []),
    (MISSED_2 + "2027-03-12,given,il2,1,2,,,\n",
     [make_up_late(4, 2, "Fri 2027-03-12", 2, "Mon 2027-03-08", 4)]),
])
def test_a_make_up_is_due_on_the_open_day_the_plan_gives_it(rows: str,
                                                            expected: list[str]) -> None:
    s = CLINIC.expand("a", "2027-01-04", calendar=WEEKDAYS, record=regimens.read_record(
        "date,event,drug,cycle,day,amount,level,reason\n" + rows, name="R.csv"))
    assert s.replayed is not None
    assert list(s.replayed.deviations) == expected
    assert s.replayed.summary.deviations == s.replayed.deviations


def test_a_make_up_given_on_its_planned_day_is_no_deviation() -> None:
    # Dated on the make-up's day without cycle and day: it gives the make-up planned there.
    assert deviations(MAKE_UP, MISSED + "2027-03-06,given,il2,,,,,\n") == ()
