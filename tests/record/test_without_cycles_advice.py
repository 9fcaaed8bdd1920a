"""A row naming a cycle (or a cycle day) of a drug whose courses have no cycles gets advice it
can follow, whichever of its cycle and day it gives (review A, 5: ``2027-01-13,move,rit,1,8``
was told "rit has no cycles: name the administration by its date instead", which a move row
cannot do; only a move or delay row with the cycle left empty got the documented "record it
when it happens").

Rituximab 375 mg/m2 every week from Mon 2027-01-04 (Mon 01-04, 01-11, 01-18, ...): no
cycles. For each row kind that takes a cycle, the cycle given or left empty (with or
without a day), the message by hand; then the row the advice says to write is replayed
without error.
"""

from __future__ import annotations

import pytest

import regimens
from regimens import InvalidRegimenError, Participant, read_record
from support.records import RECORD_HEADER

RIT = """\
format: regimens/1
id: rit
title: R
drugs: {rit: {name: rituximab, route: intravenous}}
arms: {x: {label: X}}
periods:
  - id: t
    length: 8 weeks
    courses:
      - {drug: rit, dose: 375 mg/m2, every: 1 week}
"""
REGIMEN = regimens.loads(RIT, "rit.yaml")

RECORD_IT = ("record it when it happens: a given row dated the day it was given, with the "
             "date it was planned on in the planned column, or a missed row dated the day it "
             "was planned")
MOVE = ("R.csv:2: cycle: rituximab has no cycles, and a move row names one administration by "
        "its cycle and day: a dose of a course without cycles is not moved ahead of time; "
        + RECORD_IT)
DELAY = ("R.csv:2: cycle: rituximab has no cycles, and a delay row names the cycle it delays: "
         "a dose of a course without cycles is not delayed ahead of time; " + RECORD_IT)
DELAY_ALL = ("R.csv:2: cycle: no course has cycles, and a delay row names the cycle it delays: "
             "a dose of a course without cycles is not delayed ahead of time; " + RECORD_IT)
GIVEN = ("R.csv:2: cycle: rit has no cycles: name the administration by its date instead (a "
         "dose given on another day: by the date it was planned on, in the planned column)")
MISSED = ("R.csv:2: cycle: rit has no cycles: name the administration by its date instead (a "
          "missed row dated the day the dose was planned, its cycle and day empty)")
REDUCE = ("R.csv:2: cycle: rit has no cycles: a reduction of it takes effect from the row's "
          "date (its cycle empty)")

#: (id, the row, the message by hand); "(got N)" when the row was read with its cycle.
CASES = [
    ("move, cycle and day", "2027-01-13,move,rit,1,8,,,", MOVE + " (got 1)"),
    ("move, cycle alone", "2027-01-13,move,rit,1,,,,", MOVE),
    ("move, day alone", "2027-01-13,move,rit,,8,,,", MOVE),
    ("move, neither", "2027-01-13,move,rit,,,,,", MOVE),
    ("delay, cycle", "2027-01-20,delay,rit,2,,,,", DELAY + " (got 2)"),
    ("delay, cycle and day", "2027-01-20,delay,rit,2,8,,,", DELAY + " (got 2)"),
    ("delay, day alone", "2027-01-20,delay,rit,,3,,,", DELAY),
    ("delay, neither", "2027-01-20,delay,rit,,,,,", DELAY),
    ("delay of every course, cycle", "2027-01-20,delay,,2,,,,", DELAY_ALL + " (got 2)"),
    ("delay of every course, neither", "2027-01-20,delay,,,,,,", DELAY_ALL),
    ("given, cycle and day", "2027-01-12,given,rit,2,1,,,", GIVEN + " (got 2)"),
    ("given, cycle alone", "2027-01-12,given,rit,2,,,,", GIVEN),
    ("given, day alone", "2027-01-12,given,rit,,1,,,", GIVEN),
    ("missed, cycle and day", "2027-01-11,missed,rit,2,1,,,", MISSED + " (got 2)"),
    ("missed, cycle alone", "2027-01-11,missed,rit,2,,,,", MISSED),
    ("missed, day alone", "2027-01-11,missed,rit,,1,,,", MISSED),
    ("reduce, cycle", "2027-01-11,reduce,rit,2,,,80%,", REDUCE + " (got 2)"),
]


def _expand(rows: str) -> regimens.Schedule:
    record = read_record(RECORD_HEADER.rstrip("\n") + ",planned\n" + rows, name="R.csv",
                         regimen=REGIMEN, arm="x")
    return REGIMEN.expand("x", "2027-01-04", Participant(bsa="1.8 m2"), record=record)


@pytest.mark.parametrize(("row", "message"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_the_advice(row: str, message: str) -> None:
    with pytest.raises(InvalidRegimenError) as caught:
        _expand(row + ",\n")
    assert str(caught.value) == message


@pytest.mark.parametrize(("row", "message"), [c[1:] for c in CASES if "(got" in c[2]],
                         ids=[c[0] for c in CASES if "(got" in c[2]])
def test_the_same_advice_when_the_record_is_read_without_its_regimen(row: str,
                                                                     message: str) -> None:
    """Read alone, the row is checked when the plan is expanded over it (the same words)."""
    record = read_record(RECORD_HEADER + row + "\n", name="R.csv")
    with pytest.raises(InvalidRegimenError) as caught:
        REGIMEN.expand("x", "2027-01-04", Participant(bsa="1.8 m2"), record=record)
    assert str(caught.value) == message


@pytest.mark.parametrize(("row", "status"), [
    # What the advice says to write: a dose given a day late, by the date it was planned on
    # (Mon 01-11), or missed on the day it was planned; a reduction from its date.
    ("2027-01-12,given,rit,,,,,,2027-01-11", "given"),
    ("2027-01-11,missed,rit,,,,,,", "missed"),
    ("2027-01-11,reduce,rit,,,,80%,,", "planned"),
])
def test_the_advice_can_be_followed(row: str, status: str) -> None:
    s = _expand(row + "\n")
    assert [a.status.value for a in s.administrations
            if (a.planned_date is not None and a.planned_date.isoformat() == "2027-01-11")
            or a.date.isoformat() == "2027-01-11"] == [status]


def test_a_regimen_that_is_no_regimen_is_refused_as_such() -> None:
    """Read with a regimen that is not one (an id), a move row is not looked up in it (an
    AttributeError): the regimen is refused, naming what is taken."""
    with pytest.raises(regimens.ExpandOptionTypeError) as caught:
        read_record(RECORD_HEADER + "2027-01-13,move,rit,,,,,\n", name="R.csv",
                    regimen="rit", arm="x")  # type: ignore[arg-type]
    assert str(caught.value).startswith("regimen: a Regimen, as regimens.load or loads gives "
                                        "it")
