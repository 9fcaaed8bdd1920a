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


def before(said: str, boundary: str) -> str:
    return (f"{said}: the schedule is placed with period run-in lasting 7 days, the shortest "
            f"of its length 1-3 weeks, as no length was given for it; every date before "
            f"{boundary} depends on it: give its length (--length run-in=LENGTH, or "
            f"lengths={{'run-in': LENGTH}})")


@pytest.mark.parametrize(("screening", "options", "start", "expected"), [
    ("2 weeks", {"anchor": {"run-in": "2027-01-04"}}, date(2027, 1, 11),
     [said("run-in", "2027-01-04")]),
    # Given its length: nothing assumed.
    ("2 weeks", {"anchor": {"run-in": "2027-01-04"}, "lengths": {"run-in": "2 weeks"}},
     date(2027, 1, 18), []),
    # Anchored by enrolment (the screening's first day, 2027-01-04): 14 + 7 days later;
    # the anchor named as given (it said '--anchor screening=...', never typed).
    ("2 weeks", {"anchor": "enrolment=2027-01-04"}, date(2027, 1, 25),
     [said("enrolment", "2027-01-04")]),
    ("2 weeks", {"anchor": {"enrollment": "2027-01-04"}}, date(2027, 1, 25),
     [said("enrollment", "2027-01-04")]),
    # Two periods of a range between: each is said (screening 1-2 weeks: 7 days).
    ("1-2 weeks", {"anchor": {"screening": "2027-01-04"}}, date(2027, 1, 18),
     [said("screening", "2027-01-04", "screening", 7, "1-2 weeks"),
      said("screening", "2027-01-04")]),
    # Anchored on the day_one period itself, or placed by the start: nothing between, but
    # the run-in (7 days: 2026-12-28 to 2027-01-03) places the screening before it
    # (2026-12-14 to 2026-12-27): every date before 2027-01-04 depends on it (cold try 4,
    # C3: this was silent). With its length given, nothing is assumed.
    ("2 weeks", {"anchor": {"treatment": "2027-01-04"}}, date(2027, 1, 4),
     [before("--anchor treatment=2027-01-04", "2027-01-04")]),
    ("2 weeks", {"start": "2027-01-04"}, date(2027, 1, 4),
     [before("--start 2027-01-04", "2027-01-04")]),
    ("2 weeks", {"start": "2027-01-04", "lengths": {"run-in": "3 weeks"}}, date(2027, 1, 4),
     []),
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


@pytest.mark.parametrize(("options", "option", "value"), [
    # Study Day 1 on 0001-01-05: the run-in (7 days) and the screening (14) before it start
    # before 0001-01-01. It said 'start' though no start was given.
    ({"anchor": {"treatment": "0001-01-05"}}, "anchor", "0001-01-05"),
    # Run-in from 9999-12-20: Study Day 1 on 9999-12-27, and the 6 weeks of treatment end
    # after 9999-12-31.
    ({"anchor": {"run-in": "9999-12-20"}}, "anchor", "9999-12-20"),
    ({"anchor": "enrolment=9999-12-01"}, "anchor", "9999-12-01"),
    # Given a start, the start is named, as before.
    ({"start": "9999-12-20"}, "start", "9999-12-20"),
    # Run-in from 9999-11-01 lasting 3 weeks (given): Study Day 1 on 9999-11-22, the 6
    # weeks of treatment end in 10000; at its shortest (1 week) they end on 9999-12-19.
    # The length given placed them: it is named (it said only --anchor).
    ({"anchor": {"run-in": "9999-11-01"}, "lengths": {"run-in": "3 weeks"}}, "lengths.run-in",
     "3 weeks"),
    # A length given at the shortest places nothing the anchor would not.
    ({"anchor": {"run-in": "9999-12-20"}, "lengths": {"run-in": "1 week"}}, "anchor",
     "9999-12-20"),
    # Run-in from 9999-11-15 lasting 3 weeks: Study Day 1 on 9999-12-06, out. At its
    # shortest (1 week) Study Day 1 is on 9999-11-22 and the treatment's 42 days end on
    # 9999-11-22 + 41 = 10000-01-02, out too: the anchor placed it, not the length.
    ({"anchor": {"run-in": "9999-11-15"}, "lengths": {"run-in": "3 weeks"}}, "anchor",
     "9999-11-15"),
    # Study Day 1 given, 9999-12-01: the treatment ends on 9999-12-01 + 41 = 10000-01-11,
    # whatever the run-in before it lasts (it said lengths.run-in).
    ({"start": "9999-12-01", "lengths": {"run-in": "3 weeks"}}, "start", "9999-12-01"),
    # The other end: Study Day 1 on 0001-01-25; a run-in of 3 weeks starts on 0001-01-04
    # and the screening's 2 weeks before it on 0000-12-21, out; at its shortest (1 week)
    # the run-in starts on 0001-01-18 and the screening on 0001-01-04, in: the length.
    ({"start": "0001-01-25", "lengths": {"run-in": "3 weeks"}}, "lengths.run-in", "3 weeks"),
    ({"anchor": {"treatment": "0001-01-25"}, "lengths": {"run-in": "3 weeks"}},
     "lengths.run-in", "3 weeks"),
    # Study Day 1 on 0001-01-20: at the shortest run-in the screening would start on
    # 0001-01-20 - 7 - 14 = 0000-12-30, out whatever the run-in lasts: the start.
    ({"start": "0001-01-20", "lengths": {"run-in": "3 weeks"}}, "start", "0001-01-20"),
])
def test_a_schedule_out_of_the_calendar_names_the_option_given(
        options: dict[str, Any], option: str, value: str) -> None:
    regimen = regimens.loads(TEXT.replace("SCREENING", "2 weeks"), "ri.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(regimens.ExpandOptionError) as caught:
            regimen.expand("a", **options)
    assert caught.value.option == option
    assert caught.value.value == value
    assert "the schedule would fall outside the calendar (years 1 to 9999)" in str(caught.value)
    if option == "lengths.run-in":
        placed = "anchor" if "anchor" in options else "start"
        given = next(iter(options[placed].values())) if placed == "anchor" else options[placed]
        assert caught.value.reason == (
            "the schedule would fall outside the calendar (years 1 to 9999): period 'run-in' "
            f"lasting 3 weeks with --{placed} {given}")


@pytest.mark.parametrize(("options", "option", "value", "reason"), [
    # Screening (1-3 weeks) from 9999-10-27 lasting 3 weeks, run-in (1-3 weeks) 2 weeks:
    # Study Day 1 on 9999-10-27 + 35 = 9999-12-01, and the treatment ends on 9999-12-01
    # + 41 = 10000-01-11, out. The treatment fits when Study Day 1 is 9999-11-21 at the
    # latest (+ 41 = 9999-12-31). Both at their shortest: Day 1 on 9999-11-10, in. The
    # run-in at its shortest alone: 9999-11-24, out; the screening alone: 9999-11-17, in.
    # The screening's length placed it.
    ({"anchor": {"screening": "9999-10-27"},
      "lengths": {"screening": "3 weeks", "run-in": "2 weeks"}},
     "lengths.screening", "3 weeks", ": period 'screening' lasting 3 weeks with --anchor "
     "9999-10-27"),
    # The same lengths from 9999-11-20: both at their shortest, Day 1 on 9999-12-04, out:
    # the anchor.
    ({"anchor": {"screening": "9999-11-20"},
      "lengths": {"screening": "3 weeks", "run-in": "2 weeks"}}, "anchor", "9999-11-20", ""),
    # Treatment in calendar months (3 months), anchored on the run-in from 9999-09-20
    # lasting 3 weeks: Study Day 1 on 9999-10-11, three months on 10000-01-11, out (the
    # period's own end, placed before any course). At the shortest run-in Day 1 is on
    # 9999-09-27 and three months end on 9999-12-27, in: the length (it said --anchor).
    ({"anchor": {"run-in": "9999-09-20"}, "lengths": {"run-in": "3 weeks"},
      "treatment": "3 months"}, "lengths.run-in", "3 weeks",
     ": period 'run-in' lasting 3 weeks with --anchor 9999-09-20"),
    # From 9999-10-20: at the shortest run-in, Day 1 on 9999-10-27, three months on
    # 10000-01-27, out whatever the run-in: the anchor.
    ({"anchor": {"run-in": "9999-10-20"}, "lengths": {"run-in": "3 weeks"},
      "treatment": "3 months"}, "anchor", "9999-10-20", ""),
])
def test_out_of_the_calendar_blames_a_length_only_if_its_shortest_fits(
        options: dict[str, Any], option: str, value: str, reason: str) -> None:
    text = TEXT.replace("SCREENING", "1-3 weeks")
    if "treatment" in options:
        months = options.pop("treatment")
        text = text.replace("length: 6 weeks", f"length: {months}").replace(
            "cycle: 21 days, cycles: 2, days: [1]", "days: [1]")
    regimen = regimens.loads(text, "ri.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(regimens.ExpandOptionError) as caught:
            regimen.expand("a", **options)
    assert (caught.value.option, caught.value.value) == (option, value)
    assert caught.value.reason == ("the schedule would fall outside the calendar (years 1 to "
                                   "9999)" + reason)


@pytest.mark.parametrize(("length", "message"), [
    # MIROCALS: the run-in (12-18 weeks) lies before Study Day 1, and its Day 640 visit on
    # 9999-06-01 + 639 days falls in 10001, whatever the run-in lasts: --start.
    ("run-in=18weeks", "regimens: --start: the schedule would fall outside the calendar "
                       "(years 1 to 9999) (got '9999-06-01')"),
    ("run-in=12weeks", "regimens: --start: the schedule would fall outside the calendar "
                       "(years 1 to 9999) (got '9999-06-01')"),
])
def test_the_command_line_blames_the_start_a_length_did_not_place(
        length: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["expand", "mirocals", "--arm", "il2", "--start", "9999-06-01", "--length",
                 length, "-o", str(tmp_path / "out.txt")]) == 2
    assert capsys.readouterr().err == message + "\n"


def test_the_command_line_names_anchor_when_out_of_the_calendar(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ri.yaml"
    path.write_text(TEXT.replace("SCREENING", "2 weeks"), encoding="utf-8")
    assert main(["expand", str(path), "--arm", "a", "--anchor", "treatment=0001-01-05",
                 "-o", str(tmp_path / "out.txt")]) == 2
    assert capsys.readouterr().err == ("regimens: --anchor: the schedule would fall outside "
                                       "the calendar (years 1 to 9999) (got '0001-01-05')\n")
