"""A dose given while the drug is held is a named protocol deviation, as one given after a
stop is (docs/record.md, "Summary").

Doxorubicin on day 1 of six 21-day cycles from Mon 2027-01-04: Mon 01-04, 01-25, 02-15,
03-08, 03-29, 04-19.
"""

from __future__ import annotations

import warnings

import pytest

import regimens
from regimens import read_record
from support.records import DOXDOC_PLAIN, RECORD_HEADER


def deviations(rows: str) -> tuple[str, ...]:
    regimen = regimens.loads(DOXDOC_PLAIN, "doxdoc.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = regimen.expand("x", "2027-01-04", regimens.Participant(bsa="1.8 m2"),
                           record=read_record(RECORD_HEADER + rows, name="P.csv"))
    assert s.replayed is not None
    return s.replayed.deviations


HELD = "line 3: doxorubicin given on Mon 2027-01-25, during the hold of line 2"


@pytest.mark.parametrize(("rows", "expected"), [
    # Held from 01-20, never resumed: the dose given on 01-25 is a deviation.
    ("2027-01-20,hold,dox,,,,,anaemia\n2027-01-25,given,dox,,,,,\n", (HELD,)),
    # The whole treatment held (no drug): the same.
    ("2027-01-20,hold,,,,,,anaemia\n2027-01-25,given,dox,,,,,\n", (HELD,)),
    # Held and resumed on 02-01: the dose of 01-25 was given during the hold.
    ("2027-01-20,hold,dox,,,,,\n2027-01-25,given,dox,,,,,\n2027-02-01,resume,dox,,,,,\n",
     (HELD,)),
    # Given on the day it was resumed, or on the day of the hold (before it), or before
    # the hold: no deviation.
    ("2027-01-20,hold,dox,,,,,\n2027-01-25,resume,dox,,,,,\n2027-01-25,given,dox,,,,,\n",
     ()),
    ("2027-01-25,hold,dox,,,,,\n2027-01-25,given,dox,,,,,\n", ()),
    ("2027-01-04,given,dox,,,,,\n2027-01-20,hold,dox,,,,,\n", ()),
    # Given by cycle and day on another day during the hold: a deviation too.
    ("2027-01-20,hold,dox,,,,,\n2027-01-27,given,dox,2,1,,,\n",
     ("line 3: doxorubicin given on Wed 2027-01-27, during the hold of line 2",)),
])
def test_a_dose_given_while_held_is_a_deviation(rows: str, expected: tuple[str, ...]) -> None:
    assert deviations(rows) == expected
