"""Which administration a given or missed row without cycle and day fulfils, on a day with
several of its drug (docs/record.md, "Replay"): a planned one before one the record
cancelled; two planned ones of different cycle days are ambiguous, and the row is refused
naming them.

Cyclophosphamide 600 mg on days 1 and 8 of four 21-day cycles from Mon 2027-01-04: cycle 2
day 1 on Mon 01-25, day 8 on Mon 02-01, cycle 3 day 1 on Mon 02-15.
"""

from __future__ import annotations

import warnings

import pytest

import regimens
from regimens import AdministrationStatus as S
from regimens import InvalidRegimenError, read_record
from support.records import RECORD_HEADER

CYC = """\
format: regimens/1
id: cyc
title: Cyc
drugs:
  cyc: {name: cyclophosphamide, route: intravenous}
arms:
  x: {label: X}
periods:
  - id: t
    length: 12 weeks
    courses:
      - {drug: cyc, dose: 600 mg, cycle: 21 days, cycles: 4, days: [1, 8], on_delay: POLICY}
"""

# Cycle 2 delayed 14 days to Mon 02-08 (keep): its day 8 falls on Mon 02-15, the start of
# cycle 3, and is cancelled; cycle 3 day 1 is planned that day.
KEEP_DELAY = "2027-02-08,delay,cyc,2,,,,neutropenia\n"
# Cycle 2 from day 8 delayed 14 days (shift): day 8 on Mon 02-15, beside cycle 3 day 1
# (a delay from a cycle day moves no later cycle): two planned doses that day.
DAY_DELAY = "2027-02-15,delay,cyc,2,8,,,neutropenia\n"


def replay(policy: str, rows: str) -> regimens.Schedule:
    regimen = regimens.loads(CYC.replace("POLICY", policy), "cyc.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return regimen.expand("x", "2027-01-04",
                              record=read_record(RECORD_HEADER + rows, name="P.csv"))


def statuses(s: regimens.Schedule) -> dict[tuple[int | None, int | None], S]:
    return {(a.cycle, a.cycle_day): a.status for a in s.administrations if a.cycle in (2, 3)}


@pytest.mark.parametrize(("policy", "rows", "expected"), [
    # The given row fulfils the planned cycle 3 day 1, not the cancelled cycle 2 day 8.
    ("keep", KEEP_DELAY + "2027-02-15,given,cyc,,,,,\n",
     {(2, 1): S.PLANNED, (2, 8): S.CANCELLED, (3, 1): S.GIVEN, (3, 8): S.PLANNED}),
    # Named by cycle and day, the cancelled one is given (a deviation, below).
    ("keep", KEEP_DELAY + "2027-02-15,given,cyc,2,8,,,\n",
     {(2, 1): S.PLANNED, (2, 8): S.GIVEN, (3, 1): S.PLANNED, (3, 8): S.PLANNED}),
    # A missed row alike: the planned one is missed, the cancelled one stays cancelled.
    ("keep", KEEP_DELAY + "2027-02-15,missed,cyc,,,,,\n",
     {(2, 1): S.PLANNED, (2, 8): S.CANCELLED, (3, 1): S.MISSED, (3, 8): S.PLANNED}),
    # Two planned: named, each row fulfils its own.
    ("shift", DAY_DELAY + "2027-02-15,given,cyc,3,1,,,\n",
     {(2, 1): S.PLANNED, (2, 8): S.PLANNED, (3, 1): S.GIVEN, (3, 8): S.PLANNED}),
    ("shift", DAY_DELAY + "2027-02-15,given,cyc,3,1,,,\n2027-02-15,given,cyc,2,8,,,\n",
     {(2, 1): S.PLANNED, (2, 8): S.GIVEN, (3, 1): S.GIVEN, (3, 8): S.PLANNED}),
])
def test_a_planned_dose_before_a_cancelled_one(policy: str, rows: str,
                                               expected: dict[tuple[int, int], S]) -> None:
    assert statuses(replay(policy, rows)) == expected


def test_the_cancelled_dose_named_is_a_deviation_the_planned_one_is_not() -> None:
    named = replay("keep", KEEP_DELAY + "2027-02-15,given,cyc,2,8,,,\n")
    assert named.replayed is not None
    assert ("line 3: cyclophosphamide given on Mon 2027-02-15 although cancelled by the "
            "record") in named.replayed.deviations
    plain = replay("keep", KEEP_DELAY + "2027-02-15,given,cyc,,,,,\n")
    assert plain.replayed is not None
    assert not any("although cancelled" in d for d in plain.replayed.deviations)


@pytest.mark.parametrize("event", ["given", "missed"])
def test_two_planned_doses_of_different_cycle_days_are_ambiguous(event: str) -> None:
    with pytest.raises(InvalidRegimenError) as exc:
        replay("shift", DAY_DELAY + f"2027-02-15,{event},cyc,,,,,\n")
    assert str(exc.value) == (
        f"P.csv:3: date: this {event} row could be any of 2 planned administrations of "
        "cyclophosphamide on Mon 2027-02-15 (cycle 2 day 8, cycle 3 day 1): add its cycle "
        "and day (the cycle and day columns) to say which one (got '2027-02-15')")
    assert [p.code for p in exc.value.problems] == ["record-ambiguous-day"]
