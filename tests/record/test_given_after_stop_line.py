"""A dose given after its drug stopped is a protocol deviation at the given row's line and
day, naming the row that stopped it, whether a ``stop`` row or a reduction below the lowest
declared level stopped it (review 6, S3: the reduction's deviation was at the reduce row's
line, never naming the given row, unlike a stop's).

By hand (docs/record.md's DOXDOC): doxorubicin 60 mg/m2 on day 1 of six 21-day cycles from
Mon 2027-01-04: cycle 2 Mon 01-25, cycle 3 Mon 02-15; levels -1 (80%) and -2 (60%), so
-3 is below the lowest. The stopping row is line 2 (Wed 2027-01-20), the given rows lines
3 and 4.
"""

from __future__ import annotations

import pytest

import regimens
from regimens import Participant, read_record
from support.records import DOXDOC

REGIMEN = regimens.loads(DOXDOC, "doxdoc.yaml")
STOPS = {"stop row": ("2027-01-20,stop,dox,,,,,toxicity\n", "after the stop of line 2"),
         "reduce below the lowest": ("2027-01-20,reduce,dox,,,,-3,toxicity\n",
                                     "although stopped by the reduction on line 2")}


@pytest.mark.parametrize("stop", list(STOPS))
@pytest.mark.parametrize(("given", "expected"), [
    ("2027-01-25,given,dox,2,1,,,\n",
     ["line 3: doxorubicin given on Mon 2027-01-25{sep}{why}"]),
    ("2027-01-25,given,dox,2,1,,,\n2027-02-15,given,dox,3,1,,,\n",
     ["line 3: doxorubicin given on Mon 2027-01-25{sep}{why}",
      "line 4: doxorubicin given on Mon 2027-02-15{sep}{why}"]),
])
def test_a_dose_given_after_its_drug_stopped_names_the_given_row(
        stop: str, given: str, expected: list[str]) -> None:
    row, why = STOPS[stop]
    s = REGIMEN.expand("x", "2027-01-04",
                       participant=Participant(weight="70 kg", height="170 cm"),
                       record=read_record("date,event,drug,cycle,day,amount,level,reason\n"
                                          + row + given, name="R.csv"))
    assert s.replayed is not None
    # The stop row's words follow a comma, the reduction's a space ("... although ...").
    sep = ", " if stop == "stop row" else " "
    assert list(s.replayed.deviations) == [e.format(sep=sep, why=why) for e in expected]
    assert s.replayed.summary.deviations == s.replayed.deviations
