"""A record against its regimen: unknown drugs, cycles, cycle days and dose levels are errors."""

from __future__ import annotations

from decimal import Decimal

import pytest

import regimens
from regimens import InvalidRegimenError, read_record
from regimens.record import level_percent

REGIMEN_TEXT = """\
format: regimens/1
id: ac
title: AC then paclitaxel
drugs:
  dox: {name: doxorubicin, route: intravenous, levels: {-1: 48 mg/m2, -2: 36 mg/m2}}
  cyc: {name: cyclophosphamide, route: intravenous, levels: {-1: 80%}}
  pac: {name: paclitaxel, route: intravenous}
  dex: {name: dexamethasone, route: oral}
arms:
  x: {label: X}
  y: {label: Y, periods: [ac]}
periods:
  - id: ac
    length: 12 weeks
    courses:
      - {drug: dox, dose: 60 mg/m2, cycle: 21 days, cycles: 4, days: [1]}
      - {drug: cyc, dose: 600 mg/m2, cycle: 21 days, cycles: 4, days: [1]}
      - {drug: dex, dose: 8 mg, daily: true, for: 3 days}
  - id: pac
    length: 12 weeks
    courses:
      - {drug: pac, dose: 80 mg/m2, cycle: 7 days, first_cycle: 5, days: [1]}
"""
REGIMEN = regimens.loads(REGIMEN_TEXT, "ac.yaml")

HEADER = "date,event,drug,cycle,day,amount,level,reason\n"


def _check(rows: str, arm: str | None = None) -> list[str]:
    record = read_record(HEADER + rows, name="P.csv")
    try:
        record.check_against(REGIMEN, arm)
    except InvalidRegimenError as exc:
        return [str(p) for p in exc.problems]
    return []


@pytest.mark.parametrize("rows", [
    "2027-01-04,given,dox,1,1,,,\n",
    "2027-01-04,given,pac,5,1,,,\n",
    "2027-01-04,given,pac,16,1,,,\n",  # an open-ended course: any cycle from its first
    "2027-01-04,delay,,4,,,,\n",  # every cycled course: dox and cyc have a cycle 4
    "2027-01-04,reduce,dox,,,,-1 (80%),\n",  # 48 mg/m2 is 80% of 60 mg/m2, exactly
    "2027-01-04,reduce,dox,,,,-2,\n",
    "2027-01-04,reduce,dox,,,,-3,\n",  # below the lowest: the drug stops (the replay says so)
    "2027-01-04,reduce,cyc,,,,-1 (80%),\n",
    "2027-01-04,reduce,cyc,,,,75%,\n",  # a percentage alone: of the level-0 dose
    "2027-01-04,reduce,pac,,,,80%,\n",  # no levels declared: a percentage still works
    "2027-01-04,given,dex,,,,,\n",
    "2027-01-04,measure,,,,70 kg,,\n",
    "2027-01-04,stop,,,,,,progression\n",
])
def test_rows_that_name_what_the_regimen_has(rows: str) -> None:
    assert _check(rows) == []


@pytest.mark.parametrize(("rows", "arm", "message"), [
    ("2027-01-04,given,doxo,,,,,\n", None,
     "P.csv:2: drug: did you mean 'dox'? no drug of ac has this id (drugs: dox, cyc, pac, dex) "
         "(got 'doxo')"),
    ("2027-01-04,given,d\u043ex,,,,,\n", None,
     "P.csv:2: drug: did you mean 'dox'? the given id differs only by look-alike characters: "
     "'\u043e' is U+043E CYRILLIC SMALL LETTER O; no drug of ac has this id (drugs: dox, cyc, "
     "pac, dex) (got 'd\u043ex')"),
    ("2027-01-04,given,pac,,,,,\n", "y",
     "P.csv:2: drug: arm y receives no pac (got 'pac')"),
    ("2027-01-04,given,dox,5,1,,,\n", None,
     "P.csv:2: cycle: dox has no cycle 5 (cycles 1-4) (got 5)"),
    ("2027-01-04,given,pac,4,1,,,\n", None,
     "P.csv:2: cycle: pac has no cycle 4 (cycles 5 on) (got 4)"),
    # A delay of every drug: said of no course, not of "any course" (review C, 3b).
    ("2027-01-04,delay,,9,,,,\n", "y",
     "P.csv:2: cycle: no course has cycle 9 (cycles 1-4) (got 9)"),
    ("2027-01-04,delay,,4,5,,,\n", "y",
     "P.csv:2: day: no course has an administration on day 5 of cycle 4 (its days: 1) "
     "(got 5)"),
    ("2027-01-04,given,dex,1,1,,,\n", None,
     "P.csv:2: cycle: dex has no cycles: name the administration by its date instead (a "
     "dose given on another day: by the date it was planned on, in the planned column) "
     "(got 1)"),
    ("2027-01-04,given,dox,2,8,,,\n", None,
     "P.csv:2: day: cycle 2 of dox has no administration on day 8 (its days: 1) (got 8)"),
    # No levels declared: a level would stop the drug silently; refused (acceptance review).
    ("2027-01-04,reduce,pac,,,,-1,\n", None,
     "P.csv:2: level: no dose levels are declared for pac, so dose level -1 names no dose; "
     "use a percentage of the level-0 dose such as 80%, or stop the drug with a stop row "
     "(got -1)"),
    # With a percentage given too: drop the level (it said to use a percentage).
    ("2027-01-04,reduce,pac,,,,-2 (60%),\n", None,
     "P.csv:2: level: no dose levels are declared for pac, so dose level -2 names no dose; "
     "write the percentage alone, 60% (without the level), or stop the drug with a stop row "
     "(got '-2 (60%)')"),
    ("2027-01-04,reduce,pac,,,,-1 (80%),\n", None,
     "P.csv:2: level: no dose levels are declared for pac, so dose level -1 names no dose; "
     "write the percentage alone, 80% (without the level), or stop the drug with a stop row "
     "(got '-1 (80%)')"),
    ("2027-01-04,reduce,pac,,,,-1 (62.5%),\n", None,
     "P.csv:2: level: no dose levels are declared for pac, so dose level -1 names no dose; "
     "write the percentage alone, 62.5% (without the level), or stop the drug with a stop "
     "row (got '-1 (62.5%)')"),
    ("2027-01-04,reduce,dox,,,,-1 (75%),\n", None,
     "P.csv:2: level: dose level -1 of dox is 80% of the level-0 dose, not 75%: when both "
     "are given they must agree (got '-1 (75%)')"),
    ("2027-01-04,reduce,dox,,,,-3 (30%),\n", None,
     "P.csv:2: level: dose level -3 is below the lowest declared level of dox (-2): the drug "
     "stops, so no percentage goes with it (got '-3 (30%)')"),
])
def test_rows_that_name_what_the_regimen_lacks(rows: str, arm: str | None,
                                              message: str | None) -> None:
    assert _check(rows, arm) == ([] if message is None else [message])


def test_a_delay_of_every_drug_where_no_course_has_cycles() -> None:
    """Said of no course, not as "any course has no cycles" (review C, 3b)."""
    regimen = regimens.loads(REGIMEN_TEXT.replace(
        "{drug: dox, dose: 60 mg/m2, cycle: 21 days, cycles: 4, days: [1]}",
        "{drug: dox, dose: 60 mg/m2, days: [1, 22]}").replace(
        "{drug: cyc, dose: 600 mg/m2, cycle: 21 days, cycles: 4, days: [1]}",
        "{drug: cyc, dose: 600 mg/m2, days: [1, 22]}"))
    record = read_record(HEADER + "2027-01-04,delay,,2,,,,\n", name="P.csv")
    with pytest.raises(InvalidRegimenError) as exc:
        record.check_against(regimen, "y")
    assert str(exc.value) == (
        "P.csv:2: cycle: no course has cycles, and a delay row names the cycle it delays: a "
        "dose of a course without cycles is not delayed ahead of time; record it when it "
        "happens: a given row dated the day it was given, with the date it was planned on in "
        "the planned column, or a missed row dated the day it was planned (got 2)")


def test_an_undeclared_level_between_declared_ones_is_refused() -> None:
    regimen = regimens.loads(REGIMEN_TEXT.replace("{-1: 48 mg/m2, -2: 36 mg/m2}",
                                                  "{-2: 36 mg/m2}"))
    record = read_record(HEADER + "2027-01-04,reduce,dox,,,,-1,\n", name="P.csv")
    with pytest.raises(InvalidRegimenError) as exc:
        record.check_against(regimen)
    assert str(exc.value) == (
        "P.csv:2: level: dose level -1 is not declared for dox (declared: 0, -2); undeclared "
        "levels are refused (got -1)")


def test_voided_rows_are_not_checked() -> None:
    rows = ("date,event,drug,cycle,day,amount,level,reason,line\n"
            "2027-01-04,given,doxo,,,,,,\n2027-01-04,void given,doxo,,,,,typo,2\n")
    read_record(rows, name="P.csv").check_against(REGIMEN)


def test_level_percent_exactly() -> None:
    dox = REGIMEN.periods[0].courses[0]
    assert [level_percent(dox, n) for n in (0, -1, -2)] == [Decimal(100), Decimal(80),
                                                             Decimal(60)]
    with pytest.raises(KeyError):
        level_percent(dox, -3)
