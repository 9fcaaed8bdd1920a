"""A dose not given shows the dose it would have had that day, whatever row made it not
given (cold try 4, finding C1; docs/record.md, "What each field holds, per status").

Before the fix, a dose stopped by a reduction below the lowest declared level showed the
level-0 dose ("stopped (would have been 145.6 mg)", Planned column empty, JSON ``dose`` and
``derivation`` at level 0) though a reduction was in force, while a ``stop`` row showed the
reduced dose.

The reproducer's regimen (cold try 4, cp.yaml, its paclitaxel course alone): paclitaxel 80
mg/m2 on days 1, 8, 15 of four 21-day cycles, levels -1: 70 mg/m2 and -2: 60 mg/m2,
re_escalate true, redose at a 10% weight change; from Mon 2027-01-04, weight 70 kg, height
170 cm. By hand: BSA (Mosteller) = sqrt(170 x 70 / 3600) = sqrt(3.3056) = 1.8181 -> 1.82 m2;

- level 0: 80 x 1.82 = 145.6 mg (the plan's amount, ``planned_amount``);
- level -1: 70 x 1.82 = 127.4 mg;
- level -2: 60 x 1.82 = 109.2 mg;
- 50% of the level-0 dose: 145.6 / 2 = 72.8 mg;
- after a weight of 60 kg (14.3% below 70 kg, at least the 10% threshold): BSA sqrt(170 x 60
  / 3600) = sqrt(2.8333) = 1.6833 -> 1.68 m2, level -1: 70 x 1.68 = 117.6 mg.

Days: cycle 1 on Mon 01-04, 01-11, 01-18; cycle 2 on Mon 01-25, 02-01, 02-08.
"""

from __future__ import annotations

import json
import warnings

import pytest

import regimens
from regimens import read_record
from support.records import RECORD_HEADER

PAC = """\
format: regimens/1
id: pac-weekly
title: Weekly paclitaxel (cold try 4 cp.yaml, paclitaxel alone)
max_delay: 14 days
redose: {weight_change: 10%}
drugs:
  pac: {name: paclitaxel, route: intravenous, levels: {-1: 70 mg/m2, -2: 60 mg/m2}}
arms:
  cp: {label: paclitaxel}
periods:
  - id: treatment
    length: 12 weeks
    courses:
      - {id: pac, drug: pac, dose: 80 mg/m2, cycle: 21 days, cycles: 4, days: [1, 8, 15],
         re_escalate: true ON_DELAY}
"""

LEVEL_0 = "80 mg per m² × 1.82 m²"
LEVEL_1 = "dose level -1: 70 mg per m² × 1.82 m²"
LEVEL_2 = "dose level -2: 60 mg per m² × 1.82 m²"
HALF = "reduced to 50% of the level-0 dose 145.6 mg = 72.8 mg"
LEVEL_1_60KG = "dose level -1: 70 mg per m² × 1.68 m²"

REDUCE_1 = "2027-01-04,reduce,pac,,,,-1,\n"

#: (what, rows, on_delay keep, the administration's date, status, dose, the derivation's
#: start); every dose by hand (module docstring). The plan's amount is always 145.6 mg.
CASES = [
    # The reference: a stop row, under level -1 from 01-04.
    ("stop row", REDUCE_1 + "2027-01-15,stop,pac,,,,,\n", False,
     "2027-01-18", "stopped", "127.4 mg", LEVEL_1),
    # C1: a reduction below the lowest declared level (-2) stops the drug; level -1 is
    # the level in force (stopred2.csv).
    ("reduce below the lowest", REDUCE_1 + "2027-01-15,reduce,pac,,,,-3,\n", False,
     "2027-01-18", "stopped", "127.4 mg", LEVEL_1),
    # Later doses too: cycle 2 day 1.
    ("reduce below the lowest, later", REDUCE_1 + "2027-01-15,reduce,pac,,,,-3,\n", False,
     "2027-01-25", "stopped", "127.4 mg", LEVEL_1),
    # lv.csv: -1, -2, then -1 and -3 on the same day: -1 (line 4) was in force before -3.
    ("lv.csv", REDUCE_1 + "2027-01-11,reduce,pac,,,,-2,\n2027-01-18,reduce,pac,,,,-1,\n"
     "2027-01-18,reduce,pac,,,,-3,\n2027-01-25,measure,,,,150 lb,,\n", False,
     "2027-01-18", "stopped", "127.4 mg", LEVEL_1),
    # Level -2 in force when the drug stops.
    ("reduce below the lowest from -2", REDUCE_1 + "2027-01-11,reduce,pac,,,,-2,\n"
     "2027-01-15,reduce,pac,,,,-3,\n", False, "2027-01-18", "stopped", "109.2 mg", LEVEL_2),
    # A percentage in force when the drug stops.
    ("reduce below the lowest from 50%", "2027-01-04,reduce,pac,,,,50%,\n"
     "2027-01-15,reduce,pac,,,,-3,\n", False, "2027-01-18", "stopped", "72.8 mg", HALF),
    ("stop row from 50%", "2027-01-04,reduce,pac,,,,50%,\n2027-01-15,stop,pac,,,,,\n", False,
     "2027-01-18", "stopped", "72.8 mg", HALF),
    # Nothing in force before the stopping reduction: the level-0 dose.
    ("reduce below the lowest from level 0", "2027-01-15,reduce,pac,,,,-3,\n", False,
     "2027-01-18", "stopped", "145.6 mg", LEVEL_0),
    # A reduction from a cycle, below the lowest: stopped from cycle 2 on, at level -1.
    ("reduce below the lowest from cycle 2", REDUCE_1 + "2027-01-15,reduce,pac,2,,,-3,\n",
     False, "2027-01-25", "stopped", "127.4 mg", LEVEL_1),
    # A new weight after the stop: the dose it would have had that day (level -1 at 60 kg),
    # whichever row stopped the drug.
    ("stop row, new weight", REDUCE_1 + "2027-01-15,stop,pac,,,,,\n"
     "2027-01-20,measure,,,,60 kg,,\n", False, "2027-01-25", "stopped", "117.6 mg",
     LEVEL_1_60KG),
    ("reduce below the lowest, new weight", REDUCE_1 + "2027-01-15,reduce,pac,,,,-3,\n"
     "2027-01-20,measure,,,,60 kg,,\n", False, "2027-01-25", "stopped", "117.6 mg",
     LEVEL_1_60KG),
    # Held (never resumed), under level -1; then stopped by a reduction after the hold, as
    # a stop row after the hold stops it (review A, 4: it was pinned "held" here, which a
    # stop row on the same day never gives: the drug stops from then on, held or not).
    ("held", REDUCE_1 + "2027-01-15,hold,pac,,,,,\n", False,
     "2027-01-18", "held", "127.4 mg", LEVEL_1),
    ("held, whole treatment", REDUCE_1 + "2027-01-15,hold,,,,,,\n", False,
     "2027-01-18", "held", "127.4 mg", LEVEL_1),
    ("held then reduced below the lowest", REDUCE_1 + "2027-01-15,hold,pac,,,,,\n"
     "2027-01-16,reduce,pac,,,,-3,\n", False, "2027-01-18", "stopped", "127.4 mg", LEVEL_1),
    ("held then a stop row", REDUCE_1 + "2027-01-15,hold,pac,,,,,\n"
     "2027-01-16,stop,pac,,,,,\n", False, "2027-01-18", "stopped", "127.4 mg", LEVEL_1),
    # Missed, under level -1; missed after a stopping reduction.
    ("missed", REDUCE_1 + "2027-01-18,missed,pac,,,,,\n", False,
     "2027-01-18", "missed", "127.4 mg", LEVEL_1),
    ("missed after reduced below the lowest", REDUCE_1 + "2027-01-15,reduce,pac,,,,-3,\n"
     "2027-01-18,missed,pac,,,,,\n", False, "2027-01-18", "missed", "127.4 mg", LEVEL_1),
    # A given row voided: the dose is back to its plan, then stopped.
    ("voided back, stop row", REDUCE_1 + "2027-01-18,given,pac,,,,,\n"
     "2027-01-15,stop,pac,,,,,\n2027-01-18,void given,pac,,,,,entered in error,3\n", False,
     "2027-01-18", "stopped", "127.4 mg", LEVEL_1),
    ("voided back, reduce below the lowest", REDUCE_1 + "2027-01-18,given,pac,,,,,\n"
     "2027-01-15,reduce,pac,,,,-3,\n2027-01-18,void given,pac,,,,,entered in error,3\n",
     False, "2027-01-18", "stopped", "127.4 mg", LEVEL_1),
    # on_delay keep: cycle 1 delayed from day 15 by a week reaches cycle 2's day 1 (01-25):
    # its day 15 is cancelled, on 01-25, at the level in force that day.
    ("cancelled", REDUCE_1 + "2027-01-25,delay,pac,1,15,,,\n", True,
     "2027-01-25", "cancelled", "127.4 mg", LEVEL_1),
    ("cancelled, then reduced below the lowest", REDUCE_1 + "2027-01-25,delay,pac,1,15,,,\n"
     "2027-01-20,reduce,pac,,,,-3,\n", True, "2027-01-25", "cancelled", "127.4 mg", LEVEL_1),
]


def schedule(rows: str, keep: bool) -> regimens.Schedule:
    regimen = regimens.loads(PAC.replace(" ON_DELAY", ", on_delay: keep" if keep else ""),
                             "pac.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return regimen.expand("cp", "2027-01-04",
                              regimens.Participant(weight="70 kg", height="170 cm"),
                              record=read_record(_with_line(rows), name="R.csv"))


def _with_line(rows: str) -> str:
    """The record with a ``line`` column (for a void), each row given its cell."""
    lines = [r if r.count(",") == 8 else r + "," for r in rows.splitlines()]
    return RECORD_HEADER.rstrip("\n") + ",line\n" + "".join(x + "\n" for x in lines)


def _find(s: regimens.Schedule, day: str, status: str) -> regimens.Administration:
    found = [a for a in s.administrations if a.date.isoformat() == day
             and a.status is not None and a.status.value == status]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(("what", "rows", "keep", "day", "status", "dose", "derivation"),
                         CASES, ids=[c[0] for c in CASES])
def test_a_dose_not_given_shows_the_dose_in_force(what: str, rows: str, keep: bool, day: str,
                                                  status: str, dose: str,
                                                  derivation: str) -> None:
    s = schedule(rows, keep)
    a = _find(s, day, status)
    assert a.status is not None
    assert a.status.value == status
    assert a.dose.text == dose
    assert a.dose.derivation.startswith(derivation)
    assert f" = {dose}" in a.dose.derivation
    # The plan's amount stays beside it.
    assert a.planned_dose is not None or dose == "145.6 mg"
    planned = a.planned_dose or a.dose
    assert planned.text == "145.6 mg"
    # JSON: no amount (a dose not given counts as zero), the dose and derivation it would
    # have had, the plan's amount.
    row = next(x for x in json.loads(s.to_json())["administrations"] if x["date"] == day
               and x["status"] == status)
    assert (row["status"], row["amount"], row["dose"], row["planned_amount"]) == (
        status, None, dose, "145.6")
    assert row["derivation"] == a.dose.derivation
    # The table: "stopped (would have been 127.4 mg)", the plan's amount in Planned when
    # it differs.
    line = next(x for x in s.to_table().splitlines() if f" {day} " in x and status in x)
    assert f"{status} (would have been {dose})" in line
    assert line.rstrip().endswith("145.6 mg") == (dose != "145.6 mg")


def test_a_stop_row_and_a_reduction_below_the_lowest_show_the_same_doses() -> None:
    """Every administration of the two reproducers (stopred.csv, stopred2.csv) shows the
    same dose, derivation and Planned column: only the record notes differ."""
    by_stop = schedule(REDUCE_1 + "2027-01-15,stop,pac,,,,,\n", False)
    by_reduce = schedule(REDUCE_1 + "2027-01-15,reduce,pac,,,,-3,\n", False)
    pairs = list(zip(by_stop.administrations, by_reduce.administrations, strict=True))
    assert len(pairs) == 12
    for x, y in pairs:
        assert (x.date, x.status, x.dose, x.planned_dose) == (y.date, y.status, y.dose,
                                                              y.planned_dose)
    # Two at level -1 planned, ten stopped, all at 127.4 mg.
    assert [a.status.value for a in by_reduce.administrations if a.status] == (
        ["planned"] * 2 + ["stopped"] * 10)
    assert {a.dose.text for a in by_reduce.administrations} == {"127.4 mg"}


#: A dose given after the drug stopped (a deviation), by either row: given without an
#: amount, it gives the dose in force (level -1, 127.4 mg); an amount given is compared with
#: it, so 140 mg is more than the 127.4 mg planned (a deviation too), as after a stop row.
STOPS = [("stop row", "2027-01-15,stop,pac,,,,,\n",
          "line 4: paclitaxel given on Mon 2027-01-18, after the stop of line 3"),
         ("reduce below the lowest", "2027-01-15,reduce,pac,,,,-3,\n",
          # (was "line 3: ...": the reduce row's line, never the given row's; review 6, S3)
          "line 4: paclitaxel given on Mon 2027-01-18 although stopped by the reduction on "
          "line 3")]


@pytest.mark.parametrize(("what", "stop", "deviation"), STOPS, ids=[s[0] for s in STOPS])
@pytest.mark.parametrize(("amount", "dose", "derivation", "over"), [
    ("", "127.4 mg", LEVEL_1, False),
    ("140 mg", "140 mg", "given: 140 mg (record line 4); planned: 127.4 mg", True),
])
def test_a_dose_given_after_the_stop_is_held_to_the_dose_in_force(
        what: str, stop: str, deviation: str, amount: str, dose: str, derivation: str,
        over: bool) -> None:
    s = schedule(REDUCE_1 + stop + f"2027-01-18,given,pac,,,{amount},,\n", False)
    a = _find(s, "2027-01-18", "given")
    assert (a.dose.text, a.planned_dose.text if a.planned_dose else None) == (dose,
                                                                             "145.6 mg")
    assert a.dose.derivation.startswith(derivation)
    assert s.replayed is not None
    assert deviation in s.replayed.deviations
    more = ("line 4: paclitaxel given 140 mg on Mon 2027-01-18, more than the 127.4 mg "
            "planned")
    assert (more in s.replayed.deviations) == over
