"""A plan's closed-day warning is about every administration on that day: the record drops
it only when none of them is still there (docs/record.md, "Site calendar").

Hand-worked: drugx at 08:00 and 20:00 on day 1 of two 7-day cycles from Monday 2027-01-04,
clinic work, the site closed on Mondays, no window: the plan keeps all four doses on their
Mondays (2027-01-04 and 01-11) and warns once per day ("drugx, Study Day 1: stays on Mon
2027-01-04, ..."; Study Day 8 the same).
"""

from __future__ import annotations

import warnings

import pytest

import regimens
from regimens import SiteCalendar, read_record

REGIMEN = """\
format: regimens/1
id: clin
title: Clinic twice a day
drugs:
  x: {name: drugx, route: intravenous, clinic: true}
arms:
  a: {label: A}
periods:
  - id: t
    length: 14 days
    courses:
      - {drug: x, dose: 10 mg, cycle: 7 days, cycles: 2, days: [1], times: ["08:00", "20:00"]}
"""
HEADER = "date,event,drug,cycle,day,amount,level,reason,time\n"
NOTE = ("stays on Mon 2027-01-{d:02d}, a day the site is closed (closed on Mondays): its "
        "course has no window to move it in (give the course a window)")
DAY1 = "drugx, Study Day 1: " + NOTE.format(d=4)
DAY8 = "drugx, Study Day 8: " + NOTE.format(d=11)


def closed(rows: str) -> list[str]:
    regimen = regimens.loads(REGIMEN, "clin.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = regimen.expand("a", "2027-01-04", calendar=SiteCalendar(closed=("mon",)),
                           record=read_record(HEADER + rows, name="P.csv") if rows else None)
    return [str(w) for w in s.warnings if isinstance(w, regimens.ClosedDayWarning)]


@pytest.mark.parametrize(("rows", "expected"), [
    ("", [DAY1, DAY8]),
    # The 08:00 dose moves to Tuesday: the 20:00 dose still stays on Monday 01-04.
    ("2027-01-05,move,x,1,1,,,,08:00\n", [DAY1, DAY8]),
    ("2027-01-05,move,x,1,1,,,,20:00\n", [DAY1, DAY8]),
    # Both doses of day 1 moved (two rows): nothing of Study Day 1 is left on the Monday.
    ("2027-01-05,move,x,1,1,,,,08:00\n2027-01-05,move,x,1,1,,,,20:00\n", [DAY8]),
    # One row without a time moves both.
    ("2027-01-05,move,x,1,1,,,,\n", [DAY8]),
])
def test_closed_day_warning_dropped_only_when_nothing_stays(rows: str,
                                                            expected: list[str]) -> None:
    assert closed(rows) == expected
