"""The arm's first and last days rest on the lengths of the periods between them and the
period placed by the date given (``--start``: the day_one period; ``--anchor``: the period
anchored): after it for the last day (``Schedule.lengths_assumed``), before it for the first
(``Schedule.lengths_assumed_before``). A record's dose outside them says so when one is a
length assumed (a range given no ``--length``, placed at its shortest), never only "check
the year" (review 6, findings 3 and 5).

By hand:
- LATE_ANCHOR: treatment (the day_one period) of 4-12 weeks, then 4 weeks of follow-up,
  anchored ``followup=2027-02-01``: treatment placed at 28 days, Mon 2027-01-04 to Sun
  01-31; follow-up Mon 02-01 to Sun 02-28 whatever treatment's length. Trastuzumab weekly
  in treatment: 01-04, 01-11, 01-18, 01-25. Mon 03-01 is offset 56 from 01-04: Study Day
  57. With treatment given 12 weeks (84 days) it starts Mon 2026-11-09; the last day is
  still Sun 02-28 (offset 112: Study Day 113 for Mon 03-01).
- RUN_IN: a run-in of 1-2 weeks with prednisone daily, then 4 weeks of treatment (day_one)
  from ``--start 2027-01-04`` (to Sun 01-31): the run-in placed at 7 days, Mon 2026-12-28
  to Sun 01-03; given 2 weeks, from Mon 2026-12-21. Tue 2026-12-22 is inside the longest.
"""

from __future__ import annotations

import warnings

import pytest

import regimens
from regimens import GivenAfterArmWarning, read_record
from support.records import RECORD_HEADER

LATE_TEXT = """\
format: regimens/1
id: x
title: X
day_one: treatment
drugs:
  t: {name: trastuzumab, route: intravenous}
arms:
  a: {label: A}
periods:
  - id: treatment
    length: 4-12 weeks
    courses:
      - {drug: t, dose: 100 mg, every: 1 week}
  - id: followup
    length: FOLLOWUP
"""
LATE_ANCHOR = regimens.loads(LATE_TEXT.replace("FOLLOWUP", "4 weeks"), "x.yaml")
#: The same with a follow-up of 4-8 weeks: the last day rests on it (placed at 28 days).
RANGED_FOLLOWUP = regimens.loads(LATE_TEXT.replace("FOLLOWUP", "4-8 weeks"), "x.yaml")

RUN_IN = regimens.loads("""\
format: regimens/1
id: x
title: X
day_one: treatment
drugs:
  pre: {name: prednisone, route: oral}
  t: {name: trastuzumab, route: intravenous}
arms:
  a: {label: A}
periods:
  - id: run-in
    length: 1-2 weeks
    courses:
      - {drug: pre, dose: 10 mg, every: 1 day}
  - id: treatment
    length: 4 weeks
    courses:
      - {drug: t, dose: 100 mg, every: 1 week}
""", "runin.yaml")


def expand(regimen: regimens.Regimen, rows: str, **placed: object) -> regimens.Schedule:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # AnchorLengthWarning, GivenAfterArmWarning
        return regimen.expand("a", **placed,  # type: ignore[arg-type]
                              record=read_record(RECORD_HEADER + rows, name="R.csv"))


@pytest.mark.parametrize(("regimen", "placed", "after", "before"), [
    # Anchored on the follow-up: its first day is given, the last day rests on nothing
    # assumed; the first day (and Study Day 1) on treatment's length.
    (LATE_ANCHOR, {"anchor": "followup=2027-02-01"}, (), ("treatment",)),
    (LATE_ANCHOR, {"anchor": "followup=2027-02-01", "lengths": {"treatment": "12 weeks"}},
     (), ()),
    # A ranged follow-up: the last day rests on it.
    (RANGED_FOLLOWUP, {"anchor": "followup=2027-02-01"}, ("followup",), ("treatment",)),
    # Started (or anchored on treatment): the last day rests on treatment's length.
    (LATE_ANCHOR, {"start": "2027-01-04"}, ("treatment",), ()),
    (LATE_ANCHOR, {"anchor": "treatment=2027-01-04"}, ("treatment",), ()),
    # A run-in before Study Day 1, placed by the start: the first day rests on it.
    (RUN_IN, {"start": "2027-01-04"}, (), ("run-in",)),
    (RUN_IN, {"start": "2027-01-04", "lengths": {"run-in": "1 week"}}, (), ()),
    # Anchored on the run-in: its first day is given; the rest rests on its length.
    (RUN_IN, {"anchor": "run-in=2026-12-28"}, ("run-in",), ()),
])
def test_which_lengths_each_day_rests_on(regimen: regimens.Regimen, placed: dict[str, object],
                                         after: tuple[str, ...],
                                         before: tuple[str, ...]) -> None:
    s = expand(regimen, "", **placed)
    assert s.lengths_assumed == after
    assert s.lengths_assumed_before == before


PLAIN = ("if the date is wrong (a year typed wrong), void this row and record the dose again "
         "on the right date")


@pytest.mark.parametrize(("lengths", "message"), [
    # Finding 3: the last day, Sun 02-28, rests on no length assumed: the plain words.
    (None, "R.csv:2: trastuzumab given on Mon 2027-03-01 (Study Day 57), after the arm's last "
           "day, Sun 2027-02-28 (arm a runs from Mon 2027-01-04 to Sun 2027-02-28): kept as "
           "given, counted in the totals and the dose intensity; " + PLAIN),
    # The length given (the longest): the same last day, the same words.
    ({"treatment": "12 weeks"},
     "R.csv:2: trastuzumab given on Mon 2027-03-01 (Study Day 113), after the arm's last "
     "day, Sun 2027-02-28 (arm a runs from Mon 2026-11-09 to Sun 2027-02-28): kept as "
     "given, counted in the totals and the dose intensity; " + PLAIN),
])
def test_an_anchor_after_study_day_1_leaves_the_last_day_known(
        lengths: dict[str, str] | None, message: str) -> None:
    placed: dict[str, object] = {"anchor": "followup=2027-02-01"}
    if lengths:
        placed["lengths"] = lengths
    s = expand(LATE_ANCHOR, "2027-03-01,given,t,,,100 mg,,\n", **placed)
    assert [str(w) for w in s.warnings if isinstance(w, GivenAfterArmWarning)] == [message]


def test_an_anchor_after_study_day_1_and_no_amount() -> None:
    # record-given-without-amount: no "that last day rests on" either.
    with pytest.raises(regimens.InvalidRegimenError) as exc:
        expand(LATE_ANCHOR, "2027-03-01,given,t,,,,,\n", anchor="followup=2027-02-01")
    assert str(exc.value) == (
        "R.csv:2: date: no planned administration of trastuzumab is open on Mon 2027-03-01 to "
        "take its amount from: it is after the arm's last day, Sun 2027-02-28 (the arm runs "
        "from Mon 2027-01-04 to Sun 2027-02-28); check the date (its year); a dose really given "
        "after the arm's last day is recorded with the planned date (the planned column) of "
        "the dose it gives (the last still planned before it: Mon 2027-01-25), or, giving "
        "none planned, with the amount given (got '2027-03-01')")


RUN_IN_7 = ("; that first day rests on period run-in lasting 7 days, the shortest of its length "
            "1-2 weeks, as no length was given for it: give its length (--length "
            "run-in=LENGTH)")


def _before(event: str, given: str, first: str, last: str, tail: str) -> str:
    return (f"R.csv:2: date: prednisone {event} on {given}, before the arm's first day: "
            f"outside every period of the arm ({first} to {last}); check the date (its "
            f"year){tail} (got '{given[4:]}')")


@pytest.mark.parametrize(("placed", "row", "message"), [
    # Finding 5: started, no run-in length: the first day Mon 12-28 is the shortest run-in's.
    ({"start": "2027-01-04"}, "2026-12-22,given,pre,,,10 mg,,\n",
     _before("given", "Tue 2026-12-22", "Mon 2026-12-28", "Sun 2027-01-31", RUN_IN_7)),
    # Without an amount, and a missed row: the same.
    ({"start": "2027-01-04"}, "2026-12-22,given,pre,,,,,\n",
     _before("given", "Tue 2026-12-22", "Mon 2026-12-28", "Sun 2027-01-31", RUN_IN_7)),
    ({"start": "2027-01-04"}, "2026-12-22,missed,pre,,,,,\n",
     _before("missed", "Tue 2026-12-22", "Mon 2026-12-28", "Sun 2027-01-31", RUN_IN_7)),
    # Anchored on treatment: the same (Study Day 1 given, the run-in before it assumed).
    ({"anchor": "treatment=2027-01-04"}, "2026-12-22,given,pre,,,10 mg,,\n",
     _before("given", "Tue 2026-12-22", "Mon 2026-12-28", "Sun 2027-01-31", RUN_IN_7)),
    # The run-in's length given (its shortest): the first day is known, the plain words.
    ({"start": "2027-01-04", "lengths": {"run-in": "1 week"}},
     "2026-12-22,given,pre,,,10 mg,,\n",
     _before("given", "Tue 2026-12-22", "Mon 2026-12-28", "Sun 2027-01-31", "")),
    # Given 2 weeks (from Mon 12-21): a day before it is still outside, plainly.
    ({"start": "2027-01-04", "lengths": {"run-in": "2 weeks"}},
     "2026-12-20,given,pre,,,10 mg,,\n",
     _before("given", "Sun 2026-12-20", "Mon 2026-12-21", "Sun 2027-01-31", "")),
    # Anchored on the run-in: its first day is given, the plain words.
    ({"anchor": "run-in=2026-12-28"}, "2026-12-22,given,pre,,,10 mg,,\n",
     _before("given", "Tue 2026-12-22", "Mon 2026-12-28", "Sun 2027-01-31", "")),
])
def test_before_a_first_day_resting_on_a_length_assumed(placed: dict[str, object], row: str,
                                                        message: str) -> None:
    with pytest.raises(regimens.InvalidRegimenError) as exc:
        expand(RUN_IN, row, **placed)
    assert str(exc.value) == message
    assert exc.value.problems[0].code == "record-outside-arm"


def test_the_run_in_dose_accepted_with_its_length() -> None:
    # The advice followed: the run-in of 2 weeks runs from Mon 12-21; Tue 12-22's dose is
    # its second day's, given.
    s = expand(RUN_IN, "2026-12-22,given,pre,,,10 mg,,\n", start="2027-01-04",
               lengths={"run-in": "2 weeks"})
    given = [(a.drug, a.date.isoformat()) for a in s.administrations if a.status.value == "given"]
    assert given == [("pre", "2026-12-22")]
