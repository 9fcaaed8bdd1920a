"""A dose dated before the arm's first day (outside every period of the arm) is refused at
its file and line, naming the arm's first and last days (cold try, item 3: a January year
typo, 2026-12-20, was kept as an unplanned dose at Study Day -15 in period "treatment",
counted in totals and RDI).

By hand: one 12-week period from Monday 2027-01-04 (Study Day 1) to Sunday 2027-03-28
(Day 84 = 2027-01-04 + 83 days: January 4 + 27 = January 31, + 28 = February 28, + 28 =
March 28); doxorubicin on day 1 of 21-day cycles: 01-04, 01-25, 02-15, 03-08.
"""

from __future__ import annotations

import pytest

import regimens
from support.records import replay_rows

REGIMEN = regimens.loads("""\
format: regimens/1
id: ac
title: AC
drugs:
  dox: {name: doxorubicin, route: intravenous}
arms:
  a: {label: A}
periods:
  - id: treatment
    length: 12 weeks
    courses:
      - {drug: dox, dose: 100 mg, cycle: 21 days, cycles: 4, days: [1]}
""", "ac.yaml")

ARM = ("outside every period of the arm (Mon 2027-01-04 to Sun 2027-03-28); check the date "
       "(its year)")


@pytest.mark.parametrize(("row", "message"), [
    # The cold try's wd2.csv: an amount, no cycle: it fulfils nothing.
    ("2026-12-20,given,dox,,,100 mg,,\n",
     f"R.csv:2: date: doxorubicin given on Sun 2026-12-20, before the arm's first day: {ARM}"
     " (got '2026-12-20')"),
    # Naming cycle 1 day 1: still before the arm's first day.
    ("2026-12-20,given,dox,1,1,,,\n",
     f"R.csv:2: date: doxorubicin given on Sun 2026-12-20, before the arm's first day: {ARM}"
     " (got '2026-12-20')"),
])
def test_a_dose_outside_every_period_is_refused(row: str, message: str) -> None:
    with pytest.raises(regimens.InvalidRegimenError) as exc:
        replay_rows(REGIMEN, row)
    assert str(exc.value) == message
    assert exc.value.problems[0].code == "record-outside-arm"


def test_a_late_dose_past_the_period_end_is_kept() -> None:
    # Cycle 4 (due Mon 03-08) given Mon 03-29, a day past the period's end: a late dose,
    # not a dose outside the arm: kept, and named (test_given_after_arm.py).
    with pytest.warns(regimens.GivenAfterArmWarning):
        s = replay_rows(REGIMEN, "2027-03-29,given,dox,4,1,,,\n")
    assert [(a.date.isoformat(), a.status.value) for a in s.administrations][-1] == (
        "2027-03-29", "given")
