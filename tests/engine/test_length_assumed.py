"""Every route that places a date with a period's shortest length, no length given, says
so with an AnchorLengthWarning; a schedule none of whose dates depends on it says nothing
(cold try 4, C3: `--anchor run-in=...` on a regimen without day_one, the run-in being the
day_one period, and `--start`, were silent: docs/cli.md, "--anchor", "never silent").

Dates by hand (2027-03-13 is a Saturday, 2027-01-04 a Monday):

- FIRST: run-in 1-3 weeks, then 2 weeks of daily treatment; no day_one, so Study Day 1 is
  the run-in's first day. Run-in from 2027-03-13, 7 days at the shortest (03-13 to 03-19):
  treatment from 2027-03-20; 14 days: 03-27; 21 days: 04-03.
- DAY_ONE: the same with day_one: treatment and a run-in that holds nothing. From the
  run-in's first day, 2027-03-13, Study Day 1 is 7 days later, 2027-03-20.
- PLACEBO: run-in 2-4 weeks of daily placebo before the treatment (day_one), from
  2027-01-04: the run-in, 14 days at the shortest, starts 2026-12-21.
- LAST: screening 2 weeks, treatment 2 weeks from Study Day 1 (2027-01-04 to 01-17), then
  follow-up 1-3 weeks, the last period: from 2027-01-18, 7 days: its last day 2027-01-24.
- DELAY: induction 4 weeks (2027-01-04 to 01-31), a delay of 0-2 weeks (0 at the shortest,
  left out), maintenance weekly from 2027-02-01.
"""

from __future__ import annotations

import warnings
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import regimens
from regimens import AnchorLengthWarning
from regimens.cli import main

HEAD = """\
format: regimens/1
id: assumed
title: Assumed
"""

FIRST = HEAD + """\
drugs:
  a: {name: tacrolimus, route: oral}
arms:
  x: {label: X}
periods:
  - {id: run-in, length: 1-3 weeks}
  - id: treatment
    length: 2 weeks
    courses:
      - {drug: a, dose: 2 mg, daily: true}
"""

DAY_ONE = FIRST.replace("drugs:", "day_one: treatment\ndrugs:", 1)

PLACEBO = HEAD + """\
day_one: treatment
drugs:
  a: {name: study drug, route: oral}
arms:
  x: {label: X}
periods:
  - id: run-in
    length: 2-4 weeks
    courses:
      - {drug: a, placebo: true, daily: true}
  - id: treatment
    length: 2 weeks
    courses:
      - {drug: a, dose: 10 mg, daily: true}
"""

LAST = HEAD + """\
day_one: treatment
drugs:
  a: {name: tacrolimus, route: oral}
arms:
  x: {label: X}
periods:
  - {id: screening, length: 2 weeks}
  - id: treatment
    length: 2 weeks
    courses:
      - {drug: a, dose: 2 mg, daily: true}
  - {id: follow-up, length: 1-3 weeks}
"""

LAST_VISIT = LAST + """\
visits:
  - {id: fu-end, period: follow-up, at: end}
"""

DELAY = HEAD + """\
day_one: induction
drugs:
  a: {name: drug A, route: oral}
arms:
  x: {label: X}
periods:
  - id: induction
    length: 4 weeks
    courses:
      - {drug: a, dose: 10 mg, every: 1 week}
  - {id: delay, length: 0-2 weeks}
  - id: maintenance
    length: 8 weeks
    courses:
      - {drug: a, dose: 5 mg, every: 1 week}
"""


def _give(period: str) -> str:
    return f"give its length (--length {period}=LENGTH, or lengths={{'{period}': LENGTH}})"


def _lasting(period: str, days: int, length: str) -> str:
    return (f"period {period} lasting {days} day{'' if days == 1 else 's'}, the shortest of its "
            f"length {length}, as no length was given for it")


def after(said: str, boundary: str, period: str = "run-in", days: int = 7,
          length: str = "1-3 weeks") -> str:
    return (f"{said}: the schedule is placed with {_lasting(period, days, length)}; every "
            f"date after it (from {boundary} on) depends on it: {_give(period)}")


def before(said: str, boundary: str, period: str = "run-in", days: int = 7,
           length: str = "1-3 weeks") -> str:
    return (f"{said}: the schedule is placed with {_lasting(period, days, length)}; every "
            f"date before {boundary} depends on it: {_give(period)}")


def between(said: str) -> str:
    return (f"{said}: Study Day 1 is placed with {_lasting('run-in', 7, '1-3 weeks')}; every "
            f"date from Study Day 1 on depends on it: {_give('run-in')}")


CASES: list[tuple[str, str, dict[str, Any], str, date, date, list[str]]] = [
    # (id, regimen, options, period, Study Day 1, first administration in it, warnings)
    # The anchored period is the day_one period (no day_one: the first): C3.
    ("first-anchor", FIRST, {"anchor": {"run-in": "2027-03-13"}}, "treatment",
     date(2027, 3, 13), date(2027, 3, 20), [after("--anchor run-in=2027-03-13", "2027-03-20")]),
    ("first-anchor-text", FIRST, {"anchor": "run-in=2027-03-13"}, "treatment",
     date(2027, 3, 13), date(2027, 3, 20), [after("--anchor run-in=2027-03-13", "2027-03-20")]),
    ("first-enrolment", FIRST, {"anchor": "enrolment=2027-03-13"}, "treatment",
     date(2027, 3, 13), date(2027, 3, 20),
     [after("--anchor enrolment=2027-03-13", "2027-03-20")]),
    ("first-start", FIRST, {"start": "2027-03-13"}, "treatment",
     date(2027, 3, 13), date(2027, 3, 20), [after("--start 2027-03-13", "2027-03-20")]),
    ("first-start-date", FIRST, {"start": date(2027, 3, 13)}, "treatment",
     date(2027, 3, 13), date(2027, 3, 20), [after("--start 2027-03-13", "2027-03-20")]),
    # Anchored after the day_one period: the run-in between places Study Day 1.
    ("first-anchor-later", FIRST, {"anchor": {"treatment": "2027-03-20"}}, "treatment",
     date(2027, 3, 13), date(2027, 3, 20), [between("--anchor treatment=2027-03-20")]),
    # Given its length: nothing assumed, by every route.
    ("first-start-given", FIRST, {"start": "2027-03-13", "lengths": {"run-in": "2 weeks"}},
     "treatment", date(2027, 3, 13), date(2027, 3, 27), []),
    ("first-anchor-given", FIRST, {"anchor": {"run-in": "2027-03-13"},
                                   "lengths": {"run-in": "3 weeks"}},
     "treatment", date(2027, 3, 13), date(2027, 4, 3), []),
    # day_one: treatment: anchored on the run-in, Study Day 1 is placed by it.
    ("day-one-anchor", DAY_ONE, {"anchor": {"run-in": "2027-03-13"}}, "treatment",
     date(2027, 3, 20), date(2027, 3, 20), [between("--anchor run-in=2027-03-13")]),
    # Placed by Study Day 1: the run-in is first and holds nothing, so only its own first
    # day (the length itself, shown beside it) depends on it: no date of the schedule.
    ("day-one-start", DAY_ONE, {"start": "2027-03-20"}, "treatment",
     date(2027, 3, 20), date(2027, 3, 20), []),
    ("day-one-anchor-itself", DAY_ONE, {"anchor": {"treatment": "2027-03-20"}}, "treatment",
     date(2027, 3, 20), date(2027, 3, 20), []),
    # A run-in of daily placebo before Study Day 1: its doses are dated by its length.
    ("placebo-start", PLACEBO, {"start": "2027-01-04"}, "run-in",
     date(2027, 1, 4), date(2026, 12, 21),
     [before("--start 2027-01-04", "2027-01-04", days=14, length="2-4 weeks")]),
    ("placebo-given", PLACEBO, {"start": "2027-01-04", "lengths": {"run-in": "3 weeks"}},
     "run-in", date(2027, 1, 4), date(2026, 12, 14), []),
    # The variable period is the last one, nothing dated from its end: no warning.
    ("last", LAST, {"start": "2027-01-04"}, "treatment",
     date(2027, 1, 4), date(2027, 1, 4), []),
    ("last-anchor", LAST, {"anchor": "enrolment=2026-12-21"}, "treatment",
     date(2027, 1, 4), date(2027, 1, 4), []),
    # ... but a visit at its end is dated by its length.
    ("last-visit", LAST_VISIT, {"start": "2027-01-04"}, "treatment",
     date(2027, 1, 4), date(2027, 1, 4),
     ["--start 2027-01-04: the schedule is placed with "
      + _lasting("follow-up", 7, "1-3 weeks") + "; the date of visit fu-end depends on it: "
      + _give("follow-up")]),
    # An optional delay, 0 days at the shortest: maintenance is placed by it.
    ("delay", DELAY, {"start": "2027-01-04"}, "maintenance",
     date(2027, 1, 4), date(2027, 2, 1),
     [after("--start 2027-01-04", "2027-02-01", "delay", 0, "0-2 weeks")]),
    ("delay-given", DELAY, {"start": "2027-01-04", "lengths": {"delay": "3 days"}},
     "maintenance", date(2027, 1, 4), date(2027, 2, 4), []),
]


@pytest.mark.parametrize(("text", "options", "period", "day_one", "first", "expected"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_every_route_says_a_length_assumed(text: str, options: dict[str, Any], period: str,
                                           day_one: date, first: date,
                                           expected: list[str]) -> None:
    regimen = regimens.loads(text, "assumed.yaml")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = regimen.expand("x", **options)
    assert s.start == day_one
    assert min(a.date for a in s.administrations if a.period == period) == first
    said = [w for w in s.warnings if isinstance(w, AnchorLengthWarning)]
    assert [str(w) for w in said] == expected
    assert [str(w.message) for w in caught
            if issubclass(w.category, AnchorLengthWarning)] == expected
    # One arm: the warning reads the same on every arm, and blinded outputs show it.
    assert all(w.blind_safe for w in said)


def test_the_end_visit_is_on_the_shortest_length() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = regimens.loads(LAST_VISIT, "assumed.yaml").expand("x", "2027-01-04")
    (visit,) = [v for v in s.visits if v.id == "fu-end"]
    assert visit.date == date(2027, 1, 24)


TWO_ARMS = HEAD + """\
drugs:
  a: {name: tacrolimus, route: oral}
arms:
  x: {label: X}
  y: {label: Y, periods: [treatment]}
periods:
  - {id: run-in, length: 1-3 weeks}
  - id: treatment
    length: 2 weeks
    courses:
      - {drug: a, dose: 2 mg, daily: true}
"""


def test_a_warning_that_tells_the_arms_apart_is_not_blind_safe() -> None:
    # Arm y has no run-in: the warning on arm x would tell a blinded reader its arm.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        x = regimens.loads(TWO_ARMS, "assumed.yaml").expand("x", "2027-03-13")
        y = regimens.loads(TWO_ARMS, "assumed.yaml").expand("y", "2027-03-13")
    (said,) = [w for w in x.warnings if isinstance(w, AnchorLengthWarning)]
    assert str(said) == after("--start 2027-03-13", "2027-03-20")
    assert not said.blind_safe
    assert not [w for w in y.warnings if isinstance(w, AnchorLengthWarning)]


@pytest.mark.parametrize(("how", "expected"), [
    (["--anchor", "run-in=2027-03-13"], after("--anchor run-in=2027-03-13", "2027-03-20")),
    (["--start", "2027-03-13"], after("--start 2027-03-13", "2027-03-20")),
    (["--start", "2027-03-13", "--length", "run-in=2weeks"], None),
])
def test_the_command_line_says_it(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  how: list[str], expected: str | None) -> None:
    path = tmp_path / "first.yaml"
    path.write_text(FIRST, encoding="utf-8")
    assert main(["expand", str(path), "--arm", "x", *how, "-o", str(tmp_path / "out.txt")]) == 0
    out = capsys.readouterr()
    said = out.out + out.err + (tmp_path / "out.txt").read_text(encoding="utf-8")
    if expected is None:
        assert "shortest of its length" not in said
    else:
        assert expected in said


@pytest.mark.parametrize(("text", "expected"), [
    (LAST, []),
    (LAST_VISIT, ["--start 9999-12-11: the schedule is placed with "
                  + _lasting("follow-up", 7, "1-3 weeks")
                  + "; the date of visit fu-end depends on it: " + _give("follow-up")]),
])
def test_a_last_period_may_end_on_the_last_day_of_the_calendar(
        text: str, expected: list[str]) -> None:
    # Study Day 1 on 9999-12-11: treatment to 12-24, follow-up (7 days) 12-25 to 12-31;
    # the day after it is out of the calendar and is never asked for.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = regimens.loads(text, "assumed.yaml").expand("x", "9999-12-11")
    assert s.periods[-1].last_date == date(9999, 12, 31)
    assert [str(w) for w in s.warnings if isinstance(w, AnchorLengthWarning)] == expected
