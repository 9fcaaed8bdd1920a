"""A participant placed by ``--anchor`` whose schedule leaves the calendar (years 1 to 9999):
every command and format names ``--anchor`` and the date typed with it, never ``--start``,
which the user did not type.

Dates by hand: the run-in lasts 1 week, so Study Day 1 is the anchor's date + 7 days. The
treatment's doses are on Study Days 1 and 2.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

import regimens
from regimens.cli import main

#: Doses on Days 1 and 2 (or where the test says, COURSE).
TEXT = """\
format: regimens/1
id: ends
title: Ends of the calendar
day_one: treatment
drugs:
  a: {name: drug A, route: intravenous}
arms:
  x: {label: X}
periods:
  - {id: run-in, length: 1 week}
  - id: treatment
    length: 2 days
    courses:
      - {drug: a, dose: 1 mg, COURSE}
"""

FORMATS = ("table", "calendar", "json", "csv", "ics", "html", "diary", "pdf", "diary-pdf")

#: The engine's refusal: run-in from 9999-12-24 puts Study Day 1 on 9999-12-31 and the
#: treatment's 2 days run to 10000-01-01.
PAST = ("regimens: --anchor: the schedule would fall outside the calendar (years 1 to 9999) "
        "(got '9999-12-24')")
#: The iCalendar export's: run-in from 9999-12-23, Study Day 1 on 9999-12-30, the
#: treatment's 2 days and their doses on 9999-12-30 and 9999-12-31 (inside the calendar);
#: an all-day event on 9999-12-31 would end on the day after.
LAST_DAY = ("regimens: --anchor: an iCalendar event cannot fall on 9999-12-31, the last day of "
            "the calendar: it would end on the day after (DTEND is exclusive, RFC 5545 section "
            "3.6.1) (got '9999-12-23')")
#: Run-in from 9999-12-23 again, one dose on Day 1, 9999-12-30, at 23:00 for 46 hours
#: (UTC): it would end on 10000-01-01 at 21:00.
DURATION = ("regimens: --anchor: an iCalendar event would end after 9999-12-31, the last day of "
            "the calendar (an administration's duration runs past it) (got '9999-12-23')")
STAMP = ["--stamp", "2027-01-01T00:00:00Z"]


def _regimen(tmp_path: Path, course: str = "days: [1, 2]") -> Path:
    path = tmp_path / "ends.yaml"
    path.write_text(TEXT.replace("COURSE", course), encoding="utf-8")
    return path


def _run(capfd: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capfd.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", FORMATS)
def test_expand_in_every_format_names_the_anchor(
        fmt: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    regimen = _regimen(tmp_path)
    stamp = STAMP if fmt == "ics" else []
    code, out, err = _run(capfd, "expand", str(regimen), "--arm", "x", "--anchor",
                          "run-in=9999-12-24", "--format", fmt, *stamp,
                          "-o", str(tmp_path / "out"))
    assert (code, out, err) == (2, "", PAST + "\n")


@pytest.mark.parametrize("to_file", [True, False], ids=["file", "stdout"])
def test_an_icalendar_event_on_the_last_day_names_the_anchor(
        to_file: bool, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    regimen = _regimen(tmp_path)
    output = ["-o", str(tmp_path / "out.ics")] if to_file else []
    code, out, err = _run(capfd, "expand", str(regimen), "--arm", "x", "--anchor",
                          "run-in=9999-12-23", "--format", "ics", *STAMP, *output)
    assert (code, out, err) == (2, "", LAST_DAY + "\n")
    assert not (tmp_path / "out.ics").exists()


def test_an_icalendar_event_ending_after_the_last_day_names_the_anchor(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    regimen = _regimen(tmp_path, "days: [1], times: ['23:00'], duration: 46 hours")
    code, out, err = _run(capfd, "expand", str(regimen), "--arm", "x", "--anchor",
                          "run-in=9999-12-23", "--tz", "UTC", "--format", "ics", *STAMP)
    assert (code, out, err) == (2, "", DURATION + "\n")


@pytest.mark.parametrize(("anchor", "message"), [
    ("run-in=9999-12-23", LAST_DAY),
    ("run-in=9999-12-24", PAST),
])
def test_publish_names_the_anchor_before_the_server_is_contacted(
        anchor: str, message: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    # Port 9 (discard) on the loopback: never reached, the calendar is refused first.
    regimen = _regimen(tmp_path)
    code, out, err = _run(capfd, "publish", str(regimen), "--arm", "x", "--anchor", anchor,
                          "--caldav", "http://127.0.0.1:9/cal/", *STAMP)
    assert (code, out, err) == (2, "", message + "\n")


def test_the_other_end_of_the_calendar_names_the_anchor(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    # Treatment anchored on 0001-01-03: the run-in would start 7 days before, in year 0.
    regimen = _regimen(tmp_path)
    code, out, err = _run(capfd, "expand", str(regimen), "--arm", "x", "--anchor",
                          "treatment=0001-01-03", "--format", "ics", *STAMP)
    assert (code, out) == (2, "")
    assert err == ("regimens: --anchor: the schedule would fall outside the calendar (years 1 "
                   "to 9999) (got '0001-01-03')\n")


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_check_with_a_record_names_the_anchor(
        fmt: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    regimen = _regimen(tmp_path)
    record = tmp_path / "P-1.csv"
    record.write_text("date,event,drug,cycle,day,amount,level,reason\n", encoding="utf-8")
    code, out, err = _run(capfd, "check", str(regimen), "--record", str(record), "--arm", "x",
                          "--anchor", "run-in=9999-12-24", "--format", fmt)
    assert (code, out, err) == (2, "", PAST + "\n")


def test_the_library_names_the_anchor_too() -> None:
    regimen = regimens.loads(TEXT.replace("COURSE", "days: [1, 2]"), "ends.yaml")
    anchored = regimen.expand("x", anchor={"run-in": "9999-12-23"})
    assert anchored.anchor == datetime(9999, 12, 23).date()
    with pytest.raises(regimens.ExpandOptionError) as caught:
        anchored.to_ics(stamp=datetime(2027, 1, 1, tzinfo=UTC))
    assert (caught.value.option, caught.value.value) == ("anchor", "9999-12-23")
    # Placed by its start, the same schedule names the start, as before.
    started = regimen.expand("x", "9999-12-30")
    assert started.anchor is None
    assert started == anchored  # the same schedule, however it was placed
    with pytest.raises(regimens.ExpandOptionError) as caught:
        started.to_ics(stamp=datetime(2027, 1, 1, tzinfo=UTC))
    assert (caught.value.option, caught.value.value) == ("start", "9999-12-30")


#: Weekly cycles for the record's rows: with the run-in from 9999-11-26, Study Day 1 is
#: 9999-12-03 and cycles 1-4 start on 9999-12-03, -10, -17 and -24; the treatment's 4 weeks
#: end on 9999-12-30.
WEEKLY = TEXT.replace("length: 2 days", "length: 4 weeks").replace(
    "COURSE", "cycle: 1 week, cycles: 4, days: [1], max_delay: 4 weeks")
HEADER = "date,event,drug,cycle,day,amount,level,reason\n"
#: Cycle 2 delayed from 9999-12-10 to 9999-12-31 (21 days): under on_delay: shift, cycles 3
#: and 4 would move to 10000-01-07 and 10000-01-14.
DELAYED = ("P-1.csv:2: date: this delay would move administrations past 9999-12-31, the last "
           "day of the calendar (years 1 to 9999) (got '9999-12-31')")
#: Doses on 9999-12-30 and -31 (run-in from 9999-12-23), the first missed: under
#: missed: make_up its make-up goes the day after the course's last dose, 10000-01-01.
MADE_UP = ("P-1.csv:2: event: the make-up of this missed dose would fall after 9999-12-31, "
           "the last day of the calendar (years 1 to 9999) (got '9999-12-30')")
#: A visit 2 days after the last dose (cycle 4, 9999-12-24: the visit on 9999-12-26);
#: cycle 4 delayed to 9999-12-30 moves the visit to 10000-01-01. No row of its own: the
#: record is named.
VISIT = ("P-1.csv: (document): the record's rows would move a date of the schedule past "
         "9999-12-31, the last day of the calendar (years 1 to 9999)")
RECORDS = {
    "delay": (WEEKLY, "run-in=9999-11-26", "9999-12-31,delay,a,2,,,,tox\n", DELAYED),
    "make-up": (TEXT.replace("COURSE", "days: [1, 2], missed: make_up"), "run-in=9999-12-23",
                "9999-12-30,missed,a,,,,,ill\n", MADE_UP),
    "visit": (WEEKLY + "visits:\n  - {id: safety, after_last: a, offset: 2 days}\n",
              "run-in=9999-11-26", "9999-12-30,delay,a,4,,,,tox\n", VISIT),
}


@pytest.mark.parametrize("command", ["expand-table", "expand-ics", "check"])
@pytest.mark.parametrize("case", RECORDS)
def test_a_record_that_moves_a_dose_out_of_the_calendar_names_its_row(
        case: str, command: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    # It was a traceback (OverflowError) whatever placed the participant.
    text, anchor, row, message = RECORDS[case]
    regimen = tmp_path / "ends.yaml"
    regimen.write_text(text, encoding="utf-8")
    record = tmp_path / "P-1.csv"
    record.write_text(HEADER + row, encoding="utf-8")
    name, _, fmt = command.partition("-")
    argv = [name, str(regimen), "--arm", "x", "--anchor", anchor, "--record", str(record)]
    argv += ["--format", fmt, *STAMP] if fmt == "ics" else []
    old = Path.cwd()
    os.chdir(tmp_path)  # the record named as the user typed it: P-1.csv
    try:
        code, out, err = _run(capfd, *[a.replace(str(record), "P-1.csv") for a in argv])
    finally:
        os.chdir(old)
    assert (code, out, err) == (2, "", message + "\n")


def test_a_delay_kept_on_the_grid_in_the_last_cycle_of_the_calendar() -> None:
    # Run-in from 9999-11-27: cycles 1-4 on 9999-12-04, -11, -18 and -25; cycle 4 delayed
    # to 9999-12-27 under on_delay: keep. Its next cycle would start on 10000-01-01, which
    # no dose reaches: nothing is cancelled (it was an OverflowError).
    regimen = regimens.loads(WEEKLY.replace("max_delay: 4 weeks", "max_delay: 4 weeks, "
                                            "on_delay: keep"), "ends.yaml")
    record = regimens.read_record(HEADER + "9999-12-27,delay,a,4,,,,tox\n", name="P-1.csv")
    schedule = regimen.expand("x", anchor="run-in=9999-11-27", record=record)
    assert [(a.date.isoformat(), a.status.value) for a in schedule.administrations] == [
        ("9999-12-04", "planned"), ("9999-12-11", "planned"), ("9999-12-18", "planned"),
        ("9999-12-27", "planned")]


@pytest.mark.parametrize("placed", [["--anchor", "run-in=9999-12-23"], ["--start", "9999-12-30"]],
                         ids=["anchor", "start"])
@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "ics"])
def test_a_schedule_ending_on_the_last_day_is_written(
        fmt: str, placed: list[str], tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    # Doses on 9999-12-30 and 9999-12-31, inside the calendar: every format but iCalendar
    # (whose all-day event would end on the day after) writes it. JSON's month of the
    # dates (December 9999 has no month after it) and the diary's study week (30 December
    # to 5 January, past the calendar) were a ValueError and an OverflowError.
    if fmt.endswith("pdf"):
        pytest.importorskip("fpdf")
    regimen = _regimen(tmp_path)
    out_file = tmp_path / f"out.{fmt}"
    code, out, err = _run(capfd, "expand", str(regimen), "--arm", "x", *placed,
                          "--format", fmt, "-o", str(out_file))
    assert (code, out, err) == (0, "", "")
    text = out_file.read_bytes()
    if fmt == "json":
        assert [a["date"] for a in json.loads(text)["administrations"]] == [
            "9999-12-30", "9999-12-31"]
    if fmt == "diary":
        # Study week 1 runs from Study Day 1, 9999-12-30, to the calendar's last day, a
        # Friday (datetime.date(9999, 12, 31).weekday() == 4).
        assert "Study week 1 · 30 December to Friday 31 December 9999".encode() in text
