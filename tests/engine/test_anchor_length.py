"""A participant placed by an anchor with a period of a range of lengths between the
anchored period and Study Day 1, no length given: Study Day 1 is placed with its shortest
length, and an AnchorLengthWarning says so (acceptance review of issue 13, item 8).

By hand: screening 2 weeks, run-in 1 to 3 weeks, then treatment (Study Day 1). Anchored on
the run-in's first day, Monday 2027-01-04: with the shortest run-in (7 days) Study Day 1 is
Monday 2027-01-11; with --length run-in=2weeks, Monday 2027-01-18.
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

TEXT = """\
format: regimens/1
id: ri
title: RI
day_one: treatment
drugs:
  dox: {name: doxorubicin, route: intravenous}
arms:
  a: {label: A}
periods:
  - id: screening
    length: SCREENING
  - id: run-in
    length: 1-3 weeks
  - id: treatment
    length: 6 weeks
    courses:
      - {drug: dox, dose: 60 mg, cycle: 21 days, cycles: 2, days: [1]}
"""


def said(anchored: str, first: str, period: str = "run-in", days: int = 7,
         length: str = "1-3 weeks") -> str:
    return (f"--anchor {anchored}={first}: Study Day 1 is placed with period {period} lasting "
            f"{days} days, the shortest of its length {length}, as no length was given for "
            f"it; every date from Study Day 1 on depends on it: give its length (--length "
            f"{period}=LENGTH, or lengths={{'{period}': LENGTH}})")


@pytest.mark.parametrize(("screening", "options", "start", "expected"), [
    ("2 weeks", {"anchor": {"run-in": "2027-01-04"}}, date(2027, 1, 11),
     [said("run-in", "2027-01-04")]),
    # Given its length: nothing assumed.
    ("2 weeks", {"anchor": {"run-in": "2027-01-04"}, "lengths": {"run-in": "2 weeks"}},
     date(2027, 1, 18), []),
    # Anchored by enrolment (the screening's first day, 2027-01-04): 14 + 7 days later.
    ("2 weeks", {"anchor": "enrolment=2027-01-04"}, date(2027, 1, 25),
     [said("screening", "2027-01-04")]),
    # Two periods of a range between: each is said (screening 1-2 weeks: 7 days).
    ("1-2 weeks", {"anchor": {"screening": "2027-01-04"}}, date(2027, 1, 18),
     [said("screening", "2027-01-04", "screening", 7, "1-2 weeks"),
      said("screening", "2027-01-04")]),
    # Anchored on the day_one period itself, or placed by the start: nothing between.
    ("2 weeks", {"anchor": {"treatment": "2027-01-04"}}, date(2027, 1, 4), []),
    ("2 weeks", {"start": "2027-01-04"}, date(2027, 1, 4), []),
])
def test_a_length_assumed_for_an_anchor_is_warned(screening: str, options: dict[str, Any],
                                                  start: date, expected: list[str]) -> None:
    regimen = regimens.loads(TEXT.replace("SCREENING", screening), "ri.yaml")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = regimen.expand("a", **options)
    assert s.start == start
    assert [str(w) for w in s.warnings if isinstance(w, AnchorLengthWarning)] == expected
    assert [str(w.message) for w in caught
            if issubclass(w.category, AnchorLengthWarning)] == expected


def test_the_cli_prints_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ri.yaml").write_text(TEXT.replace("SCREENING", "2 weeks"))
    assert main(["expand", str(tmp_path / "ri.yaml"), "--arm", "a", "--anchor",
                 "run-in=2027-01-04"]) == 0
    out = capsys.readouterr()
    assert said("run-in", "2027-01-04") in out.out + out.err
