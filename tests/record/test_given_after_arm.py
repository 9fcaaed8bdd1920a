"""A dose recorded after the arm's last day is kept (it may be real: a dose given after the
protocol's end) but never silently: a GivenAfterArmWarning at its file and line, naming
the dose's date and Study Day and the arm's last day, and what to do if the date is a typo
(the last closing note: 2028 written for 2027 was kept as an unplanned dose, counted in
totals and RDI, without a word). The arm's last day is the one ``record-outside-arm``
names (test_outside_arm.py): the plan's, which the record's delays and moves do not move.

By hand: one 12-week period from Monday 2027-01-04 (Study Day 1) to Sunday 2027-03-28
(offset 27 + 28 + 28 = 83 days: Study Day 84); doxorubicin on day 1 of 21-day cycles:
Mon 01-04, 01-25, 02-15, 03-08 (cycle 4: offset 63, Study Day 64).
- Mon 2027-03-29: the day after the last day, offset 84, Study Day 85.
- Tue 2027-03-30: offset 85, Study Day 86.
- Wed 2028-03-08: cycle 4's date a year on; 2027-03-08 + 366 days (29 February 2028 lies
  between), offset 63 + 366 = 429, Study Day 430; 366 = 52 weeks + 2 days: Monday + 2 =
  Wednesday.
- Tue 2028-01-04: cycle 1's date a year on, 2027-01-04 + 365 days (2027 is no leap year),
  offset 365, Study Day 366; 365 = 52 weeks + 1 day: Tuesday.
"""

from __future__ import annotations

import json
import pickle
import warnings
from datetime import date
from pathlib import Path

import pytest

import regimens
from regimens import GivenAfterArmWarning, RecordWarning, read_record
from regimens.cli import main
from regimens.export import shown_warnings
from support.records import RECORD_HEADER, replay_rows

TEXT = """\
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
"""
REGIMEN = regimens.loads(TEXT, "ac.yaml")

#: The same course, blinded: arm b gives a placebo.
BLINDED = regimens.loads("""\
format: regimens/1
id: acb
title: AC blinded
drugs:
  dox: {name: doxorubicin, route: intravenous}
arms:
  a: {label: A}
  b: {label: B}
periods:
  - id: treatment
    length: 12 weeks
    blinded: true
    courses:
      - {drug: dox, arms: [a], dose: 100 mg, cycle: 21 days, cycles: 4, days: [1]}
      - {drug: dox, arms: [b], placebo: true, cycle: 21 days, cycles: 4, days: [1]}
""", "acb.yaml")

# Issued by expand as warnings; each test reads them from the schedule (or catches them).
pytestmark = pytest.mark.filterwarnings("ignore::regimens.RegimenWarning")

VOID_HEADER = "date,event,drug,cycle,day,amount,level,reason,line\n"


def _after(line: int, given: str, study_day: int) -> str:
    """The warning of a dose given on ``given`` (weekday and date) at line ``line``."""
    return (f"R.csv:{line}: doxorubicin given on {given} (Study Day {study_day}), after the "
            "arm's last day, Sun 2027-03-28 (arm a runs from Mon 2027-01-04 to Sun "
            "2027-03-28): kept as given, counted in the totals and the dose "
            "intensity; if the date is wrong (a year typed wrong), void this row and record "
            "the dose again on the right date")


def _fields(w: GivenAfterArmWarning) -> tuple[object, ...]:
    return (w.source, w.line, w.drug, w.drug_name, w.given_on, w.study_day, w.arm,
            w.first_day, w.last_day, w.assumed)


def _after_arm(s: regimens.Schedule) -> list[str]:
    return [str(w) for w in s.warnings if isinstance(w, GivenAfterArmWarning)]


def _given(s: regimens.Schedule) -> list[tuple[str, int | None, str]]:
    return [(a.date.isoformat(), a.cycle, a.status.value) for a in s.administrations
            if a.status.value == "given"]


@pytest.mark.parametrize(("rows", "given"), [
    # The last day itself, cycle 4 (due Mon 03-08) given late: no warning.
    ("2027-03-28,given,dox,4,1,,,\n", [("2027-03-28", 4, "given")]),
    # The last day itself, a dose fulfilling nothing: a deviation, no warning.
    ("2027-03-28,given,dox,,,100 mg,,\n", [("2027-03-28", None, "given")]),
])
def test_a_dose_on_the_arms_last_day_says_nothing(rows: str, given: list[object]) -> None:
    s = replay_rows(REGIMEN, rows)
    assert _given(s) == given
    assert _after_arm(s) == []


@pytest.mark.parametrize(("rows", "given", "message"), [
    # The day after the last day: cycle 4 (due Mon 03-08) given 21 days late.
    ("2027-03-29,given,dox,4,1,,,\n", [("2027-03-29", 4, "given")],
     _after(2, "Mon 2027-03-29", 85)),
    # The day after, fulfilling nothing (an amount, no cycle).
    ("2027-03-29,given,dox,,,100 mg,,\n", [("2027-03-29", None, "given")],
     _after(2, "Mon 2027-03-29", 85)),
    # A year later: cycle 4 with its year typed 2028.
    ("2027-01-04,given,dox,,,,,\n2028-03-08,given,dox,4,1,,,\n",
     [("2027-01-04", 1, "given"), ("2028-03-08", 4, "given")],
     _after(3, "Wed 2028-03-08", 430)),
    # A year later, cycle 1's date with its year typed 2028, naming no cycle: unplanned.
    ("2028-01-04,given,dox,,,100 mg,,\n", [("2028-01-04", None, "given")],
     _after(2, "Tue 2028-01-04", 366)),
])
def test_a_dose_after_the_arms_last_day_is_kept_and_named(
        rows: str, given: list[object], message: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = replay_rows(REGIMEN, rows)
    assert _given(s) == given  # kept: counted as given
    assert _after_arm(s) == [message]
    # Issued by expand as every warning of the schedule is, and a RecordWarning.
    assert [str(w.message) for w in caught if w.category is GivenAfterArmWarning] == [message]
    assert issubclass(GivenAfterArmWarning, RecordWarning)


def test_the_warnings_fields() -> None:
    s = replay_rows(REGIMEN, "2027-01-04,given,dox,,,,,\n2028-03-08,given,dox,4,1,,,\n")
    (w,) = [w for w in s.warnings if isinstance(w, GivenAfterArmWarning)]
    fields = ("R.csv", 3, "dox", "doxorubicin", date(2028, 3, 8), 430, "a",
              date(2027, 1, 4), date(2027, 3, 28), ())
    assert _fields(w) == fields
    copy = pickle.loads(pickle.dumps(w))  # a process pool pickles schedules
    assert type(copy) is GivenAfterArmWarning
    assert (str(copy), _fields(copy)) == (str(w), fields)
    assert not w.blind_safe  # it names a dose given: shown blinded only as others are


def test_a_dose_the_record_moved_past_the_last_day_is_named_when_given() -> None:
    # A move row takes cycle 4 (due Mon 03-08) to Tue 03-30, past the last day. Moves are
    # kept as written and the arm's last day stays the plan's: the period running past
    # its end is a deviation (as today), and the dose given there is named as any dose
    # given after the arm's last day is.
    moved = "2027-03-30,move,dox,4,1,,,patient away\n"
    s = replay_rows(REGIMEN, moved)
    assert _after_arm(s) == []  # moved, not given: nothing given after the last day
    assert s.replayed is not None
    assert [d for d in s.replayed.deviations if "runs past its planned end (Sun 2027-03-28)"
            in d] != []
    s = replay_rows(REGIMEN, moved + "2027-03-30,given,dox,4,1,,,\n")
    assert _given(s) == [("2027-03-30", 4, "given")]
    assert _after_arm(s) == [_after(3, "Tue 2027-03-30", 86)]
    # Given on its new day by the date alone (no cycle and day): the same.
    s = replay_rows(REGIMEN, moved + "2027-03-30,given,dox,,,,,\n")
    assert _after_arm(s) == [_after(3, "Tue 2027-03-30", 86)]


def test_a_voided_dose_after_the_last_day_says_nothing() -> None:
    s = replay_rows(REGIMEN, "2028-03-08,given,dox,4,1,,,,\n"
                             "2028-03-08,void given,dox,4,1,,,year typed wrong,2\n",
                    header=VOID_HEADER)
    assert _given(s) == []
    assert _after_arm(s) == []
    # Corrected: voided and written again on the right date, cycle 4's own day.
    s = replay_rows(REGIMEN, "2028-03-08,given,dox,4,1,,,,\n"
                             "2028-03-08,void given,dox,4,1,,,year typed wrong,2\n"
                             "2027-03-08,given,dox,4,1,,,,\n", header=VOID_HEADER)
    assert _given(s) == [("2027-03-08", 4, "given")]
    assert _after_arm(s) == []


def test_every_output_that_shows_warnings_shows_it() -> None:
    s = replay_rows(REGIMEN, "2027-03-29,given,dox,4,1,,,\n")
    message = _after(2, "Mon 2027-03-29", 85)
    assert "  " + message in s.to_table().splitlines()
    assert message in json.loads(s.to_json())["warnings"]
    assert message in [str(w) for w in shown_warnings(s)]


def test_a_blinded_output_withholds_it_on_every_arm() -> None:
    # It names a dose given: a blinded output shows it as other record warnings, only for
    # an administration it shows unblinded (here none); the unblinded outputs show it.
    record = read_record(RECORD_HEADER + "2027-03-29,given,dox,4,1,,,\n", name="R.csv")
    for arm in ("a", "b"):
        s = BLINDED.expand(arm, "2027-01-04", record=record)
        assert [type(w) for w in s.warnings] == [GivenAfterArmWarning]
        assert shown_warnings(s, True) == ()
        assert shown_warnings(s, False) == s.warnings


@pytest.mark.parametrize("fmt", ["csv", "ics", "json", "html"])
def test_the_command_says_it_on_standard_error(
        fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    regimen = tmp_path / "ac.yaml"
    regimen.write_text(TEXT, encoding="utf-8")
    record = tmp_path / "R.csv"
    record.write_text(RECORD_HEADER + "2027-03-29,given,dox,4,1,,,\n", encoding="utf-8")
    stamp = ["--stamp", "2027-01-01T00:00:00Z"] if fmt == "ics" else []
    code = main(["expand", str(regimen), "--arm", "a", "--start", "2027-01-04", "--record",
                 str(record), "--format", fmt, "-o", str(tmp_path / f"out.{fmt}"), *stamp])
    out, err = capsys.readouterr()
    assert (code, out) == (0, "")
    expected = _after(2, "Mon 2027-03-29", 85).replace("R.csv", str(record))
    assert f"regimens: warning: {expected}" in err.splitlines()


#: An arm of two periods (induction, then maintenance), a weekly dose in each, and an arm
#: of induction only; day_zero: Mon 2027-01-04 is Study Day 0.
TWO_PATHS = regimens.loads("""\
format: regimens/1
id: two
title: Two
day_zero: true
drugs:
  d: {name: drugd, route: oral}
arms:
  a: {label: A, periods: [induction, maintenance]}
  b: {label: B, periods: [induction]}
periods:
  - id: induction
    length: 4 weeks
    courses:
      - {drug: d, dose: 10 mg, every: 1 week}
  - id: maintenance
    length: 8 weeks
    courses:
      - {drug: d, dose: 5 mg, every: 2 weeks}
""", "two.yaml")


@pytest.mark.parametrize(("arm", "message"), [
    # Arm a: induction Mon 01-04 to Sun 01-31 (28 days), maintenance Mon 02-01 to Sun
    # 03-28 (56 days); Mon 03-29 is offset 84, Study Day 84 (Day 0 convention).
    ("a", "R.csv:2: drugd given on Mon 2027-03-29 (Study Day 84), after the arm's last day, "
          "Sun 2027-03-28 (arm a runs from Mon 2027-01-04 to Sun 2027-03-28): kept as given, "
          "counted in the totals and the dose intensity; if the date is wrong (a year typed "
          "wrong), void this row and record the dose again on the right date"),
    # Arm b: induction only, Mon 01-04 to Sun 01-31.
    ("b", "R.csv:2: drugd given on Mon 2027-03-29 (Study Day 84), after the arm's last day, "
          "Sun 2027-01-31 (arm b runs from Mon 2027-01-04 to Sun 2027-01-31): kept as given, "
          "counted in the totals and the dose intensity; if the date is wrong (a year typed "
          "wrong), void this row and record the dose again on the right date"),
])
def test_the_message_names_the_arms_days_not_every_periods(arm: str, message: str) -> None:
    # Was "(every period of arm a runs from ... to ...)": false of an arm of two periods.
    s = replay_rows(TWO_PATHS, "2027-03-29,given,d,,,5 mg,,\n", arm=arm)
    assert _after_arm(s) == [message]


RANGED = """\
format: regimens/1
id: rng
title: Ranged
drugs:
  t: {name: trastuzumab, route: intravenous}
arms:
  a: {label: A}
periods:
"""
#: One period of 4 to 12 weeks: with no length given, placed at its shortest, 28 days (Mon
#: 2027-01-04 to Sun 2027-01-31).
ONE_RANGE = regimens.loads(RANGED + """\
  - id: treatment
    length: 4-12 weeks
    courses:
      - {drug: t, dose: 100 mg, every: 1 week}
""", "rng.yaml")
#: Induction of 2 to 4 weeks, then maintenance of 4 to 8 weeks.
TWO_RANGES = regimens.loads(RANGED + """\
  - id: induction
    length: 2-4 weeks
    courses:
      - {drug: t, dose: 100 mg, every: 1 week}
  - id: maintenance
    length: 4-8 weeks
    courses:
      - {drug: t, dose: 50 mg, every: 1 week}
""", "rng2.yaml")
#: A run-in of 1 to 2 weeks before Study Day 1, then 4 weeks of treatment.
RUN_IN = regimens.loads(RANGED.replace("periods:\n", "day_one: treatment\nperiods:\n") + """\
  - id: run-in
    length: 1-2 weeks
  - id: treatment
    length: 4 weeks
    courses:
      - {drug: t, dose: 100 mg, every: 1 week}
""", "runin.yaml")


def _head(given: str, study_day: int, last: str) -> str:
    return (f"R.csv:2: trastuzumab given on {given} (Study Day {study_day}), after the arm's "
            f"last day, {last} (arm a runs from Mon 2027-01-04 to {last}): kept as given, "
            "counted in the totals and the dose intensity; ")


_TYPO = ("if the date is wrong (a year typed wrong), void this row and record the dose again "
         "on the right date")


@pytest.mark.parametrize(("regimen", "lengths", "row", "message", "assumed"), [
    # No length given: the last day, Sun 01-31, is the shortest length's; Mon 02-08 (offset
    # 35, Study Day 36, week 6) lies inside the 12 weeks the protocol allows: never a typo.
    (ONE_RANGE, None, "2027-02-08,given,t,,,100 mg,,\n",
     _head("Mon 2027-02-08", 36, "Sun 2027-01-31") + "that last day rests on a length "
     "assumed, period treatment lasting 28 days, the shortest of its length 4-12 weeks, as "
     "no length was given for it: give its length (--length treatment=LENGTH, or "
     "lengths={'treatment': LENGTH})", (("treatment", 28, "4-12 weeks"),)),
    # Its length given, 4 weeks (the shortest, given): the last day is known, as before.
    (ONE_RANGE, {"treatment": "4 weeks"}, "2027-02-08,given,t,,,100 mg,,\n",
     _head("Mon 2027-02-08", 36, "Sun 2027-01-31") + _TYPO, ()),
    # Both lengths assumed: induction 14 days (01-04 to 01-17), maintenance 28 days (01-18
    # to Sun 02-14); Mon 02-15 is offset 42, Study Day 43.
    (TWO_RANGES, None, "2027-02-15,given,t,,,50 mg,,\n",
     _head("Mon 2027-02-15", 43, "Sun 2027-02-14") + "that last day rests on lengths "
     "assumed, period induction lasting 14 days, the shortest of its length 2-4 weeks and "
     "period maintenance lasting 28 days, the shortest of its length 4-8 weeks, as no length "
     "was given for them: give their lengths (--length induction=LENGTH --length "
     "maintenance=LENGTH, or lengths={'induction': LENGTH, 'maintenance': LENGTH})",
     (("induction", 14, "2-4 weeks"), ("maintenance", 28, "4-8 weeks"))),
    # Induction given 4 weeks (01-04 to 01-31), maintenance assumed 28 days (02-01 to Sun
    # 02-28); Mon 03-01 is offset 56, Study Day 57.
    (TWO_RANGES, {"induction": "4 weeks"}, "2027-03-01,given,t,,,50 mg,,\n",
     _head("Mon 2027-03-01", 57, "Sun 2027-02-28") + "that last day rests on a length "
     "assumed, period maintenance lasting 28 days, the shortest of its length 4-8 weeks, as "
     "no length was given for it: give its length (--length maintenance=LENGTH, or "
     "lengths={'maintenance': LENGTH})", (("maintenance", 28, "4-8 weeks"),)),
])
def test_a_last_day_resting_on_a_length_assumed_says_so(
        regimen: regimens.Regimen, lengths: dict[str, str] | None, row: str, message: str,
        assumed: tuple[object, ...]) -> None:
    s = regimen.expand("a", "2027-01-04", lengths=lengths,
                       record=read_record(RECORD_HEADER + row, name="R.csv"))
    assert _after_arm(s) == [message]
    (w,) = [w for w in s.warnings if isinstance(w, GivenAfterArmWarning)]
    assert w.assumed == assumed
    copy = pickle.loads(pickle.dumps(w))
    assert (str(copy), _fields(copy)) == (message, _fields(w))


def test_a_run_in_before_study_day_1_does_not_move_the_last_day() -> None:
    # Study Day 1 is the start, Mon 01-04, whatever the run-in's length: the treatment runs
    # to Sun 01-31 and the run-in (1-2 weeks, none given) is not what the last day rests on.
    # The arm's first day is the run-in's, 7 days before: Mon 2026-12-28.
    s = replay_rows(RUN_IN, "2027-02-01,given,t,,,100 mg,,\n")
    assert s.lengths_assumed == ()
    assert _after_arm(s) == [
        "R.csv:2: trastuzumab given on Mon 2027-02-01 (Study Day 29), after the arm's last "
        "day, Sun 2027-01-31 (arm a runs from Mon 2026-12-28 to Sun 2027-01-31): kept as "
        "given, counted in the totals and the dose intensity; " + _TYPO]
    # Placed by the run-in's first day (an anchor), Study Day 1 rests on its length: named.
    s = RUN_IN.expand("a", anchor="run-in=2026-12-28",
                      record=read_record(RECORD_HEADER + "2027-02-01,given,t,,,100 mg,,\n",
                                         name="R.csv"))
    assert s.lengths_assumed == ("run-in",)
    assert _after_arm(s) == [
        "R.csv:2: trastuzumab given on Mon 2027-02-01 (Study Day 29), after the arm's last "
        "day, Sun 2027-01-31 (arm a runs from Mon 2026-12-28 to Sun 2027-01-31): kept as "
        "given, counted in the totals and the dose intensity; that last day rests on a "
        "length assumed, period run-in lasting 7 days, the shortest of its length 1-2 weeks, "
        "as no length was given for it: give its length (--length run-in=LENGTH, or "
        "lengths={'run-in': LENGTH})"]


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_check_with_a_record_says_it(
        fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # check --record said none of the record's warnings (text, JSON or standard error).
    regimen = tmp_path / "ac.yaml"
    regimen.write_text(TEXT, encoding="utf-8")
    record = tmp_path / "R.csv"
    record.write_text(RECORD_HEADER + "2027-03-29,given,dox,4,1,,,\n", encoding="utf-8")
    code = main(["check", str(regimen), "--arm", "a", "--start", "2027-01-04", "--record",
                 str(record), "--format", fmt])
    out, err = capsys.readouterr()
    assert code == 0
    expected = _after(2, "Mon 2027-03-29", 85).replace("R.csv", str(record))
    assert f"regimens: warning: {expected}" in err.splitlines()
    if fmt == "json":
        assert json.loads(out)["participant_record"]["warnings"] == [expected]


def test_check_with_a_record_says_every_warning_expand_says(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Every kind: an overdose (500 mg where 100 mg was planned) beside the dose after the
    # arm's last day; check --record says on standard error what expand --record says.
    regimen = tmp_path / "ac.yaml"
    regimen.write_text(TEXT, encoding="utf-8")
    record = tmp_path / "R.csv"
    record.write_text(RECORD_HEADER + "2027-01-04,given,dox,1,1,500 mg,,\n"
                      "2027-03-29,given,dox,4,1,,,\n", encoding="utf-8")
    common = [str(regimen), "--arm", "a", "--start", "2027-01-04", "--record", str(record)]
    assert main(["expand", *common, "--format", "json", "-o", str(tmp_path / "e.json")]) == 0
    said = [line for line in capsys.readouterr().err.splitlines()
            if line.startswith("regimens: warning: ")]
    assert len(said) == 2
    assert any("500 mg" in line for line in said)
    assert main(["check", *common]) == 0
    assert [line for line in capsys.readouterr().err.splitlines()
            if line.startswith("regimens: warning: ")] == said


@pytest.mark.parametrize(("regimen", "row", "message"), [
    # Cycle 1's date a year on with its year typed 2028 (Tue 2028-01-25: 2027-01-25, cycle
    # 2, + 365 days), no amount and no cycle: nothing is open to take the amount from. The
    # old advice (give the amount) only kept a wrong-year dose; the date is what to check.
    (REGIMEN, "2028-01-25,given,dox,,,,,\n",
     "R.csv:2: date: no planned administration of doxorubicin is open on Tue 2028-01-25 to "
     "take its amount from: it is after the arm's last day, Sun 2027-03-28 (the arm runs from "
     "Mon 2027-01-04 to Sun 2027-03-28); check the date (its year); a dose really given "
     "after the arm's last day is recorded with the cycle and day of the dose it gives (the "
     "last still planned before it: cycle 4 day 1, on Mon 2027-03-08), or, giving none "
     "planned, with the amount given (got '2028-01-25')"),
    # The last day resting on a length assumed (treatment 4-12 weeks, none given: 28 days,
    # to Sun 2027-01-31): said too, with the option that gives it.
    (ONE_RANGE, "2027-02-09,given,t,,,,,\n",
     "R.csv:2: date: no planned administration of trastuzumab is open on Tue 2027-02-09 to "
     "take its amount from: it is after the arm's last day, Sun 2027-01-31 (the arm runs from "
     "Mon 2027-01-04 to Sun 2027-01-31); check the date (its year); a dose really given "
     "after the arm's last day is recorded with the planned date (the planned column) of "
     "the dose it gives (the last still planned before it: Mon 2027-01-25), or, giving none "
     "planned, with the amount given; that last day rests on "
     "period treatment lasting 28 days, the shortest of its length 4-12 weeks, as no length "
     "was given for it: give its length (--length treatment=LENGTH) (got '2027-02-09')"),
])
def test_a_dose_without_amount_after_the_last_day_says_to_check_the_date(
        regimen: regimens.Regimen, row: str, message: str) -> None:
    with pytest.raises(regimens.InvalidRegimenError) as exc:
        replay_rows(regimen, row)
    assert str(exc.value) == message
    assert [p.code for p in exc.value.problems] == ["record-given-without-amount"]


# Review 6, finding 2: the advice "recorded with the amount given", followed for a dose a
# delay took past the arm's last day, kept that dose planned beside an unplanned one
# (counted twice). The dose it gives is named first, with the last one still planned.
ADVICE = ("R.csv:{line}: date: no planned administration of doxorubicin is open on Tue "
          "2027-03-30 to take its amount from: it is after the arm's last day, Sun 2027-03-28 "
          "(the arm runs from Mon 2027-01-04 to Sun 2027-03-28); check the date (its year); a "
          "dose really given after the arm's last day is recorded with the cycle and day of "
          "the dose it gives{still}, or, giving none planned, with the amount given "
          "(got '2027-03-30')")
GIVEN_ALL = "".join(f"{d},given,dox,,,,,\n" for d in ("2027-01-04", "2027-01-25",
                                                      "2027-02-15", "2027-03-08"))


@pytest.mark.parametrize(("rows", "message"), [
    # Cycle 4 delayed to Mon 03-29 (past the last day), given Tue 03-30 without cycle.
    ("2027-03-29,delay,dox,4,,,,\n2027-03-30,given,dox,,,,,\n", ADVICE.format(
        line=3, still=" (the last still planned before it: cycle 4 day 1, on Mon 2027-03-29)")),
    # No delay: cycle 4 still planned on its own day, Mon 03-08.
    ("2027-03-30,given,dox,,,,,\n", ADVICE.format(
        line=2, still=" (the last still planned before it: cycle 4 day 1, on Mon 2027-03-08)")),
    # Cycle 4 given: the last still planned is cycle 3 (Mon 02-15).
    ("2027-03-08,given,dox,,,,,\n2027-03-30,given,dox,,,,,\n", ADVICE.format(
        line=3, still=" (the last still planned before it: cycle 3 day 1, on Mon 2027-02-15)")),
    # Every dose given: none is open to name.
    (GIVEN_ALL + "2027-03-30,given,dox,,,,,\n", ADVICE.format(line=6, still="")),
])
def test_the_advice_after_the_last_day_names_the_dose_it_gives(rows: str,
                                                               message: str) -> None:
    with pytest.raises(regimens.InvalidRegimenError) as exc:
        replay_rows(REGIMEN, rows)
    assert str(exc.value) == message
    assert [p.code for p in exc.value.problems] == ["record-given-without-amount"]


def test_the_advice_followed_counts_the_dose_once() -> None:
    # Named by its cycle and day, the delayed cycle 4 is given Tue 03-30: four doses, the
    # fourth given (never planned beside an unplanned fifth); past its period's end.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = replay_rows(REGIMEN, "2027-03-29,delay,dox,4,,,,\n2027-03-30,given,dox,4,1,,,\n")
    assert [(a.date.isoformat(), a.status.value) for a in s.administrations] == [
        ("2027-01-04", "planned"), ("2027-01-25", "planned"), ("2027-02-15", "planned"),
        ("2027-03-30", "given")]
    assert s.replayed is not None
    assert s.replayed.deviations == (
        "lines 2, 3: period treatment runs past its planned end (Sun 2027-03-28): "
        "doxorubicin cycle 4 day 1 given on Tue 2027-03-30",)
    assert [type(w.message).__name__ for w in caught] == ["GivenAfterArmWarning"]
