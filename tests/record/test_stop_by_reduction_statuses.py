"""A reduction below the lowest declared dose level stops the drug "from then on ... as under
a stop row" (docs/record.md, "Dose changes"): every administration it reaches has the
status a ``stop`` row on the same day gives it, whatever status it had before (review A,
4: a dose HELD stayed held after a reduction to -3, "1 planned, 10 held, 1 stopped",
and "(0 doses stopped)" with the hold first, where a stop row gives 9 stopped).

The regimen is cold try 5's cp.yaml (support.cold5.CP): carboplatin AUC 5 on day 1 and
paclitaxel 80 mg/m2 (levels -1, -2: -3 is below the lowest) on days 1, 8 and 15 of four
21-day cycles from Mon 2027-01-04, on_delay shift. By hand, paclitaxel's days: cycle 1
Mon 01-04, 01-11, 01-18; cycle 2 01-25, 02-01, 02-08; cycle 3 02-15, 02-22, 03-01;
cycle 4 03-08, 03-15, 03-22; carboplatin's 01-04, 01-25, 02-15, 03-08. Under
``missed: make_up`` (paclitaxel's course only) a missed dose is planned again on the first
day after the course's last administration (Mon 03-22) with no other dose of it: Tue
03-23, inside the 12-week period (to Sun 03-28).

Each case is replayed twice, the drug stopped once by a ``stop`` row and once by
``reduce pac -3`` on the same day and line; both must give the statuses worked out by
hand, the same for every administration of both drugs.
"""

from __future__ import annotations

import warnings

import pytest

import regimens
from regimens import Participant, read_record
from support.cold5 import CP
from support.records import RECORD_HEADER

ROUTES = {"stop row": "{on},stop,pac,,,,,toxicity",
          "reduce below the lowest": "{on},reduce,pac,,,,-3,toxicity"}

P, H, S, M, G = "planned", "held", "stopped", "missed", "given"
CARBO = ["01-04", "01-25", "02-15", "03-08"]
PAC = ["01-04", "01-11", "01-18", "01-25", "02-01", "02-08", "02-15", "02-22", "03-01",
       "03-08", "03-15", "03-22"]


def _pac(*statuses: str, dates: list[str] | None = None) -> list[tuple[str, str, str]]:
    return [("pac", d, s) for d, s in zip(dates or PAC, statuses, strict=True)]


def _carbo(*statuses: str) -> list[tuple[str, str, str]]:
    return [("carbo", d, s) for d, s in zip(CARBO, statuses, strict=True)]


CASES = [
    # id, make_up, rows before the stop ({stop}: the stopping row), expected statuses
    ("held before the stop",
     False, "2027-01-15,hold,pac,,,,,\n{stop}\n", "2027-01-20",
     _carbo(P, P, P, P) + _pac(P, P, H, *[S] * 9)),
    ("held after the stop",
     False, "{stop}\n2027-01-15,hold,pac,,,,,\n", "2027-01-10",
     _carbo(P, P, P, P) + _pac(P, *[S] * 11)),
    ("held and resumed before the stop",
     False, "2027-01-12,hold,pac,,,,,\n2027-01-19,resume,pac,,,,,\n{stop}\n", "2027-01-20",
     _carbo(P, P, P, P) + _pac(P, P, H, *[S] * 9)),
    ("the whole treatment held",
     False, "2027-01-15,hold,,,,,,\n{stop}\n", "2027-01-20",
     _carbo(P, H, H, H) + _pac(P, P, H, *[S] * 9)),
    ("moved past the stop",
     False, "2027-01-21,move,pac,1,15,,,\n{stop}\n", "2027-01-20",
     _carbo(P, P, P, P) + _pac(P, P, S, *[S] * 9, dates=[
         "01-04", "01-11", "01-21", *PAC[3:]])),
    ("moved before the stop",
     False, "2027-01-19,move,pac,2,1,,,\n{stop}\n", "2027-01-20",
     _carbo(P, P, P, P) + _pac(P, P, P, P, *[S] * 8, dates=[
         "01-04", "01-11", "01-18", "01-19", *PAC[4:]])),
    ("delayed past the stop",
     False, "2027-01-27,delay,pac,2,,,,\n{stop}\n", "2027-01-20",
     _carbo(P, P, P, P) + _pac(P, P, P, *[S] * 9, dates=[
         *PAC[:3], "01-27", "02-03", "02-10", "02-17", "02-24", "03-03", "03-10",
         "03-17", "03-24"])),
    ("missed and given after the stop",
     False, "{stop}\n2027-01-25,missed,pac,2,1,,,\n2027-02-01,given,pac,2,8,,,\n", "2027-01-20",
     _carbo(P, P, P, P) + _pac(P, P, P, M, G, *[S] * 7)),
    ("a make-up after the stop",
     True, "2027-01-11,missed,pac,1,8,,,\n{stop}\n", "2027-01-20",
     _carbo(P, P, P, P) + _pac(P, M, P, *[S] * 9, S, dates=[*PAC, "03-23"])),
    ("a make-up held, then stopped",
     True, "2027-01-11,missed,pac,1,8,,,\n2027-03-01,hold,pac,,,,,\n{stop}\n", "2027-03-20",
     _carbo(P, P, P, P) + _pac(P, M, *[P] * 6, H, H, H, S, S, dates=[*PAC, "03-23"])),
]


def _statuses(make_up: bool, rows: str, route: str, on: str
              ) -> tuple[list[tuple[str, str, str]], regimens.Schedule]:
    text = CP.replace("days: [1, 8, 15]}", "days: [1, 8, 15], missed: make_up}") if make_up \
        else CP
    regimen = regimens.loads(text, "cp.yaml")
    stop = ROUTES[route].format(on=on)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = regimen.expand("cp", "2027-01-04",
                           Participant(weight="70 kg", height="170 cm", gfr="80 mL/min"),
                           record=read_record(RECORD_HEADER + rows.format(stop=stop),
                                              name="R.csv"))
    got = sorted(((a.drug, a.date.isoformat()[5:], a.status.value)
                  for a in s.administrations), key=lambda x: (x[0], x[1]))
    return got, s


@pytest.mark.parametrize("route", list(ROUTES))
@pytest.mark.parametrize(("make_up", "rows", "on", "expected"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_stop_by_reduction_gives_every_status_a_stop_row_gives(
        route: str, make_up: bool, rows: str, on: str,
        expected: list[tuple[str, str, str]]) -> None:
    got, _ = _statuses(make_up, rows, route, on)
    assert got == sorted(expected, key=lambda x: (x[0], x[1]))


@pytest.mark.parametrize(("make_up", "rows", "on", "expected"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_reduction_counts_every_dose_it_stopped(
        make_up: bool, rows: str, on: str, expected: list[tuple[str, str, str]]) -> None:
    _, s = _statuses(make_up, rows, "reduce below the lowest", on)
    stopped = sum(1 for drug, _, status in expected if drug == "pac" and status == S)
    line = 1 + rows.split("\n").index("{stop}") + 1
    assert s.replayed is not None
    assert s.replayed.summary is not None
    said = (f"pac: dose level -3 from {on} (line {line}): toxicity; below the lowest declared "
            f"level (-2): paclitaxel stops from then on ({stopped} dose"
            f"{'' if stopped == 1 else 's'} stopped)")
    assert list(s.replayed.summary.reductions) == [said]
