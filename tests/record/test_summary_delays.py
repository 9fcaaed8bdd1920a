"""The summary's delays: the delay each row itself causes, from the date its item was due
just before it, and the same measurement behind the max_delay deviation.

Dates counted by hand from the regimens' text: Study Day 1 = Monday 2027-01-04, 21-day
cycles start on 01-04, 01-25, 02-15, 03-08, 03-29, 04-19.
"""

from __future__ import annotations

import warnings
from datetime import date
from typing import Any

import pytest

import regimens
from regimens import Participant, read_record
from support.records import RECORD_HEADER

KEEP = """\
format: regimens/1
id: keep
title: keep
drugs:
  dox: {name: doxorubicin, route: intravenous}
  cap: {name: capecitabine, route: oral}
arms:
  x: {label: X}
periods:
  - id: treatment
    length: 12 weeks
    courses:
      - {drug: dox, dose: 60 mg/m2, cycle: 21 days, cycles: 4, days: [1]}
      - {drug: cap, dose: 500 mg, cycle: 21 days, cycles: 4, days: 1-5, on_delay: keep}
"""

DOX = """\
format: regimens/1
id: dox6
title: dox
max_delay: 14 days
drugs:
  dox: {name: doxorubicin, route: intravenous}
  cap: {name: capecitabine, route: oral}
arms:
  x: {label: X}
periods:
  - id: treatment
    length: 18 weeks
    courses:
      - {drug: dox, dose: 60 mg, cycle: 21 days, cycles: 6, days: [1]}
      - {drug: cap, dose: 500 mg, cycle: 21 days, cycles: 6, days: 1-3}
"""

HEADER = RECORD_HEADER


def summary(body: str, rows: str) -> Any:
    regimen = regimens.loads(body, "r.yaml")
    record = read_record(HEADER + rows, name="P.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = regimen.expand("x", "2027-01-04", Participant(weight="70 kg", height="170 cm"),
                           record=record)
    assert s.replayed is not None
    return s.replayed


CASES = [
    # Cap cycle 2 runs 01-25..01-29; its day 2 is due 01-26: to 01-28 is 2 days (not 3
    # from day 1's 01-25).
    (KEEP, "2027-01-28,delay,cap,2,2,,,\n",
     ["2027-01-28 (line 2): cycle 2 day 2 of cap delayed 2 days from 2027-01-26"], ()),
    # Cycle 3 (both drugs) 02-15 -> 02-22: 7 days; dox cycle 4 is then due 03-08 + 7 =
    # 03-15, delayed to 03-29: 14 days (not 21 from 03-08), within max_delay 14.
    (DOX, "2027-02-22,delay,,3,,,,anc\n2027-03-29,delay,dox,4,,,,platelets\n",
     ["2027-02-22 (line 2): cycle 3 of every cycled course delayed 7 days from 2027-02-15:"
      " anc",
      "2027-03-29 (line 3): cycle 4 of dox delayed 14 days from 2027-03-15: platelets"],
     # Dox cycle 6, planned 2027-04-19, moves 7 + 14 days to 2027-05-10: past the 18-week
     # period's end (2027-05-09), a deviation naming both rows (docs/record.md, "Replay").
     ("lines 2, 3: period treatment runs past its planned end (Sun 2027-05-09): "
      "doxorubicin cycle 6 day 1 planned on Mon 2027-05-10",)),
    # One delay of 21 days (01-25 -> 02-15): over max_delay 14 in the summary and in the
    # deviations alike.
    (DOX, "2027-02-15,delay,dox,2,,,,anc\n",
     ["2027-02-15 (line 2): cycle 2 of dox delayed 21 days from 2027-01-25, more than "
      "max_delay (14 days): anc"],
     ("line 2: cycle 2 of doxorubicin is delayed 21 days in all, more than max_delay "
      "(14 days)",
      # Cycle 6 then on 2027-04-19 + 21 days = 2027-05-10, past the period (2027-05-09).
      "line 2: period treatment runs past its planned end (Sun 2027-05-09): doxorubicin "
      "cycle 6 day 1 planned on Mon 2027-05-10")),
    # Cycle 2 delayed twice: 01-25 -> 02-01 (7 days), then 02-01 -> 02-12 (11 more, 18 in
    # all, over 14: the deviation is on the second row).
    (DOX, "2027-02-01,delay,dox,2,,,,\n2027-02-12,delay,dox,2,,,,\n",
     ["2027-02-01 (line 2): cycle 2 of dox delayed 7 days from 2027-01-25",
      "2027-02-12 (line 3): cycle 2 of dox delayed 11 days from 2027-02-01 (18 days in "
      "all), more than max_delay (14 days)"],
     ("line 3: cycle 2 of doxorubicin is delayed 18 days in all, more than max_delay "
      "(14 days)",)),
]


@pytest.mark.parametrize(("body", "rows", "delays", "deviations"), CASES)
def test_each_delay_is_the_one_its_row_causes(body: str, rows: str, delays: list[str],
                                              deviations: tuple[str, ...]) -> None:
    replayed = summary(body, rows)
    assert list(replayed.summary.delays) == delays
    assert replayed.deviations == deviations
    assert [d.deviation for d in replayed.summary.delay_details] == [
        "max_delay" in text for text in delays]


def test_a_delay_of_drugs_moved_differently_is_listed_per_drug() -> None:
    # Cap cycle 3 delayed first (02-15 -> 02-18); then cycle 3 of every course to 02-22:
    # dox 7 days from 02-15, cap 4 days from 02-18 (7 in all).
    replayed = summary(DOX, "2027-02-18,delay,cap,3,,,,\n2027-02-22,delay,,3,,,,\n")
    details = replayed.summary.delay_details
    found = {(d.line, d.drug): (d.due, d.days, d.total) for d in details}
    assert found == {
        (2, "cap"): (date(2027, 2, 15), 3, 3),
        (3, "dox"): (date(2027, 2, 15), 7, 7),
        (3, "cap"): (date(2027, 2, 18), 4, 7),
    }
