"""A site's closures from a file (--closed-dates): a list of dates, or an .ics of whole days."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from regimens import Closure, ExpandOptionError
from regimens.format import read_closed_dates

D = dt.date


def write(tmp_path: Path, name: str, data: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return str(path)


def test_a_list_of_dates_with_reasons_and_comments(tmp_path: Path) -> None:
    path = write(tmp_path, "closures.txt",
                 "\ufeff# site closures\n\n2028-01-14 annual audit\n  2028-08-07\t summer \n"
                 "2028-01-14\n")
    assert read_closed_dates(path) == (Closure(D(2028, 1, 14), "annual audit"),
                                       Closure(D(2028, 8, 7), "summer"),
                                       Closure(D(2028, 1, 14)))


ICS = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//site//closures//EN\r\n"
       "BEGIN:VEVENT\r\nUID:1@site\r\nDTSTART;VALUE=DATE:20271224\r\n"
       "DTEND;VALUE=DATE:20271227\r\nSUMMARY:Winter closure\\, all staff\r\nEND:VEVENT\r\n"
       "BEGIN:VEVENT\r\nUID:2@site\r\nDTSTART;VALUE=DATE:20280114\r\nSUMMARY:Audit\r\n"
       "END:VEVENT\r\n"
       "BEGIN:VEVENT\r\nUID:3@site\r\nDTSTART;VALUE=DATE:20280301\r\nDURATION:P2D\r\n"
       "END:VEVENT\r\nEND:VCALENDAR\r\n")


def test_an_ics_of_all_day_events(tmp_path: Path) -> None:
    # DTEND is exclusive (RFC 5545 3.6.1): 24 to 27 December closes 24, 25 and 26.
    path = write(tmp_path, "closures.ics", ICS)
    assert read_closed_dates(path) == (
        Closure(D(2027, 12, 24), "Winter closure, all staff"),
        Closure(D(2027, 12, 25), "Winter closure, all staff"),
        Closure(D(2027, 12, 26), "Winter closure, all staff"),
        Closure(D(2028, 1, 14), "Audit"), Closure(D(2028, 3, 1)), Closure(D(2028, 3, 2)))


@pytest.mark.parametrize(("data", "message"), [
    ("2027-01-09 audit\n2027-13-01\n", "L:2: no such date (got '2027-13-01')"),
    ("# x\n\n09/01/2027\n", "L:3: not a date; write one date a line, YYYY-MM-DD, optionally "
     "followed by the reason (got '09/01/2027')"),
    ("2027-01-09: audit\n", "L:1: not a date; write one date a line, YYYY-MM-DD, optionally "
     "followed by the reason (got '2027-01-09: audit')"),
    ("# only comments\n\n", "L: no closure in the file; list one date a line (YYYY-MM-DD, "
     "then the reason if you like)"),
    ("", "L: no closure in the file; list one date a line (YYYY-MM-DD, then the reason if you "
     "like)"),
    ("2027-01-09 a\x1b[31mb\n", "L:1: the reason contains control characters "
     "(got 'a\\x1b[31mb')"),
    (b"2027-01-09 caf\xe9\n", "L:1: not UTF-8 text"),
    (b"2027-01-09\n\x00", "L: not a list of dates or an iCalendar file: it holds NUL bytes"),
])
def test_list_refusals_name_file_and_line(tmp_path: Path, data: str | bytes,
                                          message: str) -> None:
    path = write(tmp_path, "L", data)
    with pytest.raises(ExpandOptionError) as caught:
        read_closed_dates(path)
    assert caught.value.option == "closed_dates"
    assert str(caught.value) == "closed_dates: " + message.replace("L", path, 1)


def _ics(*event: str) -> str:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\n"
            + "".join(f"{line}\r\n" for line in event) + "END:VEVENT\r\nEND:VCALENDAR\r\n")


@pytest.mark.parametrize(("data", "message"), [
    (_ics("DTSTART:20270109T090000Z"), "C:4: DTSTART is a date and time; a closure is whole "
     "days (DTSTART;VALUE=DATE:YYYYMMDD) (got '2027-01-09 09:00:00+00:00')"),
    (_ics("DTSTART;VALUE=DATE:20270109", "RRULE:FREQ=WEEKLY"), "C:4: a repeating event (RRULE) "
     "is not read; list each closure as its own event"),
    (_ics("DTSTART;VALUE=DATE:20270109", "DTEND;VALUE=DATE:20270109"), "C:4: DTEND is not "
     "after DTSTART (got '2027-01-09')"),
    (_ics("DTSTART;VALUE=DATE:20270109", "DTEND;VALUE=DATE:20290109"), "C:4: a closure of 731 "
     "days; one event may close at most 366 days (got '2027-01-09')"),
    (_ics("DTSTART;VALUE=DATE:2027010"), "C:4: DTSTART is not a date; write "
     "DTSTART;VALUE=DATE:YYYYMMDD (got '2027010')"),
    (_ics("DTSTART;VALUE=DATE:20270109", "DURATION:PT2H"), "C:4: a closure lasts whole days "
     "(DURATION:P1D) (got 'PT2H')"),
    (_ics("SUMMARY:no start"), "C:4: an event without DTSTART; a closure starts on a date"),
    ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270109\r\n", "C: not a readable "
     "iCalendar file: every BEGIN needs its END, and every line is NAME:VALUE"),
    ("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "C: no closure in the file; list one date a line "
     "(YYYY-MM-DD, then the reason if you like)"),
])
def test_ics_refusals_name_file_and_line(tmp_path: Path, data: str, message: str) -> None:
    path = write(tmp_path, "C", data)
    with pytest.raises(ExpandOptionError) as caught:
        read_closed_dates(path)
    assert str(caught.value) == "closed_dates: " + message.replace("C", path, 1)


def test_a_huge_file_is_refused_before_it_is_read_whole(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", b"2027-01-09\n" * 400_000)
    with pytest.raises(ExpandOptionError, match="longer than 4,194,304 bytes"):
        read_closed_dates(path)
