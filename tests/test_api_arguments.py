"""A public argument of the wrong type or value gets a message that names the argument, the
value given and what is allowed (cold try 4, C8); never a raw ``AttributeError``,
``KeyError`` or ``TypeError`` from inside, nor words that mislead: ``tz=timezone.utc`` was
"unknown time zone (got UTC)", ``to_ics(previous="garbage")`` passed the iCalendar
parser's own words, ``Schedule.only("il2")`` and ``to_ics(reminders="1h")`` read a text one
character at a time ("no drug has this id (got 'i')"), ``SiteCalendar(closed=["sat"])``
listed the weekday names it was given, ``Participant(label=5)`` said a label is at most
64 characters.

A wrong type is an :class:`ExpandOptionTypeError` or a :class:`ParticipantTypeError`
(each also a ``TypeError``, and a subclass of the class it was before, so existing
``except`` clauses still catch it); a wrong value of the right type keeps its class.
"""

from __future__ import annotations

import datetime as dt
import pickle
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import regimens
from regimens import (
    Duration,
    ExpandOptionError,
    ExpandOptionTypeError,
    Participant,
    ParticipantError,
    ParticipantTypeError,
    SiteCalendar,
)
from regimens.record import replay

# Interleukin-2 (il2) 1 MIU once a day, Days 1-5 of a 3-7 week period; arm a.
REGIMEN = regimens.loads("""\
format: regimens/1
id: demo
title: Demo
drugs: {il2: {name: interleukin-2, route: subcutaneous}}
arms: {a: {label: A}}
periods:
  - id: treatment
    length: 3-7 weeks
    courses:
      - {drug: il2, dose: 1 MIU, days: 1-5, times: ["08:00"]}
""", "demo.yaml")
STAMP = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
SCHEDULE = REGIMEN.expand("a", "2027-01-04", tz="Europe/Paris")
HEADER = "date,event,drug,cycle,day,amount,level,reason\n"


def expand(**options: Any) -> regimens.Schedule:
    return REGIMEN.expand("a", "2027-01-04", **options)


TZ = ("tz: a time zone is an IANA name (str) such as 'Europe/Paris', or a zoneinfo.ZoneInfo "
      "made from one")
FIXED = (TZ + "; another tzinfo (datetime.timezone.utc, a fixed offset, a ZoneInfo without a "
         "key) is not a time zone: give the zone's name ('UTC'; the site's zone, such as "
         "'Europe/Paris')")
PREVIOUS = "the bytes (or text) of the .ics file exported last time, as to_ics returned them"
REMINDER = ("a time before the event, up to a year (1h, 30m, 2d, 1h30m), or HH:MM-day-before "
            "(09:00-day-before)")
WEEKDAYS = "mon, tue, wed, thu, fri, sat, sun"
SITE = "a SiteCalendar (regimens.SiteCalendar(closed=('sat', 'sun'), holidays='FR')) or None"
RECORD = "record: a Record (regimens.record.Record), as read from the participant's record file"
BLINDED = ("blinded: True (hide arm, dose and placebo everywhere), None (only in blinded "
           "periods) or False (nowhere)")
FORMULAS = "mosteller, dubois, haycock, gehan-george, boyd"

#: id: (the call, the class raised, its message, written out).
CASES: dict[str, tuple[Callable[[], object], type[Exception], str]] = {
    # The time zone: a tzinfo that is not a named zone, or no text at all.
    "tz timezone.utc": (lambda: expand(tz=dt.UTC), ExpandOptionTypeError,
                        f"{FIXED} (got 'datetime.timezone.utc')"),
    "tz fixed offset": (lambda: expand(tz=dt.timezone(dt.timedelta(hours=2))),
                        ExpandOptionTypeError,
                        f"{FIXED} (got 'datetime.timezone(datetime.timedelta(seconds=7200))')"),
    "tz a number": (lambda: expand(tz=2), ExpandOptionTypeError, f"{TZ} (got 2)"),
    "tz an unknown name": (lambda: expand(tz="Europe/Pariss"), ExpandOptionError,
                           "tz: unknown time zone; give an IANA name such as Europe/Paris or "
                           "America/New_York (fixed offsets like UTC+02:00 are not time zones) "
                           "(got 'Europe/Pariss')"),
    # The previous calendar: text that is not one, a path, a number.
    "previous garbage": (lambda: SCHEDULE.to_ics(stamp=STAMP, previous="garbage"),
                         ExpandOptionError,
                         f"previous: not an iCalendar file: give {PREVIOUS} (got 'garbage')"),
    "previous garbage bytes": (lambda: SCHEDULE.to_ics(stamp=STAMP, previous=b"garbage"),
                               ExpandOptionError,
                               f"previous: not an iCalendar file: give {PREVIOUS} "
                               "(got b'garbage')"),
    # A long text is shown by its first 77 characters.
    "previous long": (lambda: SCHEDULE.to_ics(stamp=STAMP, previous="x" * 500),
                      ExpandOptionError,
                      f"previous: not an iCalendar file: give {PREVIOUS} (got '{'x' * 76}...)"),
    "previous a path": (lambda: SCHEDULE.to_ics(stamp=STAMP, previous=Path("old.ics")),
                        ExpandOptionTypeError,
                        f"previous: {PREVIOUS}; to give the file, read it: "
                        "Path(...).read_bytes() (got old.ics)"),
    "previous a number": (lambda: SCHEDULE.to_ics(stamp=STAMP, previous=3),
                          ExpandOptionTypeError,
                          f"previous: {PREVIOUS}; to give the file, read it: "
                          "Path(...).read_bytes() (got 3)"),
    # Reminders: one text (read a character at a time), an item of another type.
    "reminders one text": (lambda: SCHEDULE.to_ics(stamp=STAMP, reminders="1h"),
                           ExpandOptionTypeError,
                           "reminders: a list of reminders, not one text: write ['1h'] "
                           "(got '1h')"),
    "reminders a number": (lambda: SCHEDULE.to_ics(stamp=STAMP, reminders=[60]),
                           ExpandOptionTypeError,
                           f"reminders: each reminder is a Reminder or its text: {REMINDER} "
                           "(got 60)"),
    "reminders a timedelta": (lambda: SCHEDULE.to_ics(stamp=STAMP,
                                                      reminders=[dt.timedelta(hours=1)]),
                              ExpandOptionTypeError,
                              f"reminders: each reminder is a Reminder or its text: {REMINDER} "
                              "(a timedelta before the event: Reminder(before=...)) "
                              "(got 1:00:00)"),
    "reminders None": (lambda: SCHEDULE.to_ics(stamp=STAMP, reminders=None),
                       ExpandOptionTypeError,
                       f"reminders: a list of reminders, each a Reminder or its text: {REMINDER}; "
                       "() for none"),
    "Reminder.parse a number": (lambda: regimens.Reminder.parse(1), ExpandOptionTypeError,
                                f"remind: a reminder's text, {REMINDER} (got 1)"),
    "reminder text": (lambda: SCHEDULE.to_ics(stamp=STAMP, reminders=["1 hour"]),
                      ExpandOptionError, f"remind: write {REMINDER} (got '1 hour')"),
    "blinded text": (lambda: SCHEDULE.to_ics(stamp=STAMP, blinded="no"),
                     ExpandOptionTypeError, f"{BLINDED} (got 'no')"),
    "calendar blinded text": (lambda: SCHEDULE.to_calendar(blinded="no"),
                              ExpandOptionTypeError, f"{BLINDED} (got 'no')"),
    "handout blinded number": (lambda: SCHEDULE.to_html(blinded=1),
                               ExpandOptionTypeError, f"{BLINDED} (got 1)"),
    "handout contact one text": (lambda: SCHEDULE.to_html(contact="Dr A. Martin"),
                                 ExpandOptionTypeError,
                                 "contact: lines of text, a list or tuple: contact=['Dr A. "
                                 "Martin', '+33 1 23 45 67 89'] (got 'Dr A. Martin')"),
    "only one text": (lambda: SCHEDULE.only("il2"), ExpandOptionTypeError,
                      "drugs: drug ids, a list or tuple: only(['il2']) (got 'il2')"),
    "only None": (lambda: SCHEDULE.only(None), ExpandOptionTypeError,  # type: ignore[arg-type]
                  "drugs: drug ids, a list or tuple: only(['il2'])"),
    # expand's other arguments.
    "arm None": (lambda: REGIMEN.expand(None, "2027-01-04"), ExpandOptionTypeError,  # type: ignore[arg-type]
                 "arm: an arm id (text), one of: a"),
    "arm a number": (lambda: REGIMEN.expand(1, "2027-01-04"), ExpandOptionTypeError,  # type: ignore[arg-type]
                     "arm: an arm id (text), one of: a (got 1)"),
    "start a number": (lambda: REGIMEN.expand("a", 20270104), ExpandOptionTypeError,  # type: ignore[arg-type]
                       "start: not a calendar date; write YYYY-MM-DD, e.g. 2027-01-04 "
                       "(got 20270104)"),
    "start a datetime": (lambda: REGIMEN.expand("a", dt.datetime(2027, 1, 4, 9)),
                         ExpandOptionTypeError,
                         "start: the start is a calendar date, not a date and time "
                         "(got '2027-01-04T09:00:00')"),
    "length a number": (lambda: expand(lengths={"treatment": 5}), ExpandOptionTypeError,
                        "lengths.treatment: a length is text with its unit, e.g. '15 weeks' or "
                        "'28 days' (or a Duration) (got 5)"),
    "length outside its range": (lambda: expand(lengths={"treatment": Duration(56)}),
                                 ExpandOptionError,
                                 "lengths.treatment: must be within 3-7 weeks (21-49 days) "
                                 "(got 8 weeks)"),
    "bsa_formula a number": (lambda: expand(bsa_formula=1), ExpandOptionTypeError,
                             f"bsa_formula: a BSAFormula or its name: {FORMULAS} (got 1)"),
    "calendar text": (lambda: expand(calendar="FR"), ExpandOptionTypeError,
                      f"calendar: {SITE} (got 'FR')"),
    "check calendar text": (lambda: REGIMEN.check(calendar="FR"), ExpandOptionTypeError,
                            f"calendar: {SITE} (got 'FR')"),
    "anchor a date alone": (lambda: REGIMEN.expand("a", anchor=dt.date(2027, 1, 4)),
                            ExpandOptionTypeError,
                            "anchor: one period and the date of its first day "
                            "(run-in=2027-01-04) (got 2027-01-04)"),
    "record a path": (lambda: expand(record="P-017.csv"), ExpandOptionTypeError,
                      f"{RECORD} (got 'P-017.csv')"),
    "replay record a path": (lambda: replay(SCHEDULE, "P-017.csv"),  # type: ignore[arg-type]
                             ExpandOptionTypeError, f"{RECORD} (got 'P-017.csv')"),
    "replay schedule text": (lambda: replay("plan", regimens.read_record(HEADER)),  # type: ignore[arg-type]
                             ExpandOptionTypeError,
                             "schedule: the plan, a Schedule (regimen.expand(...) without a "
                             "record) (got 'plan')"),
    "read_record regimen an id": (lambda: regimens.read_record(HEADER, regimen="demo"),  # type: ignore[arg-type]
                                  ExpandOptionTypeError,
                                  "regimen: a Regimen, as regimens.load or loads gives it (a "
                                  "file or catalogue id is read with regimens.load(...)) "
                                  "(got 'demo')"),
    "check_against an id": (lambda: regimens.read_record(HEADER).check_against("demo"),  # type: ignore[arg-type]
                            ExpandOptionTypeError,
                            "regimen: a Regimen, as regimens.load or loads gives it (a file or "
                            "catalogue id is read with regimens.load(...)) (got 'demo')"),
    "policy_for an id": (lambda: REGIMEN.policy_for("treatment"),  # type: ignore[arg-type]
                         ExpandOptionTypeError,
                         "course: a Course (regimen.periods[0].courses[0]) (got 'treatment')"),
    # The participant.
    "label a number": (lambda: Participant(label=17), ParticipantTypeError,  # type: ignore[arg-type]
                       "label: a label is text, a study label such as 'P-017' (at most 64 "
                       "printable characters) (got 17)"),
    "label too long": (lambda: Participant(label="P" * 65), ParticipantError,
                       f"label: a label is at most 64 printable characters (got '{'P' * 65}')"),
    "weight a float": (lambda: Participant(weight=70.0), ParticipantTypeError,  # type: ignore[arg-type]
                       "weight: weight must be text: a number and its unit; write a number and "
                       "one of kg, g, lb, lbs, e.g. '70 kg' or '154 lb' (got 70.0)"),
    "birth date a datetime": (lambda: Participant(birth_date=dt.datetime(1962, 5, 1)),
                              ParticipantTypeError,
                              "birth_date: a birth date is a calendar date, not a date and time "
                              "(got '1962-05-01T00:00:00')"),
    "sex a number": (lambda: Participant(sex=1), ParticipantTypeError,  # type: ignore[arg-type]
                     "sex: female or male (as Cockcroft-Gault and Devine's ideal body weight "
                     "use it) (got 1)"),
    # The site's calendar.
    "closed a list": (lambda: SiteCalendar(closed=["sat"]), ExpandOptionTypeError,  # type: ignore[arg-type]
                      f"closed: a tuple of weekday names, each one of: {WEEKDAYS} (one day: "
                      "('sat',); a list: tuple(...)) (got a list)"),
    "closed one text": (lambda: SiteCalendar(closed="sat"), ExpandOptionTypeError,  # type: ignore[arg-type]
                        f"closed: a tuple of weekday names, each one of: {WEEKDAYS} (one day: "
                        "('sat',); a list: tuple(...)) (got 'sat')"),
    "observed text": (lambda: SiteCalendar(observed="yes"), ExpandOptionTypeError,  # type: ignore[arg-type]
                      "observed: True (close on the holidays' observed dates) or False (on "
                      "their own dates) (got 'yes')"),
    "closure asked of text": (lambda: SiteCalendar().closure("2027-12-25"),  # type: ignore[arg-type]
                              ExpandOptionTypeError,
                              "day: a calendar date (datetime.date(2027, 12, 25); text is read "
                              "with date.fromisoformat) (got '2027-12-25')"),
    "lookup of a list": (lambda: REGIMEN.period([]),  # type: ignore[arg-type]
                         regimens.RegimenLookupError,
                         "no period has the id a list (periods: treatment)"),
}


@pytest.mark.parametrize("case", CASES)
def test_the_message_names_the_argument_the_value_and_what_is_allowed(case: str) -> None:
    call, cls, message = CASES[case]
    with pytest.raises(regimens.RegimenError) as caught:
        call()
    assert type(caught.value) is cls
    assert str(caught.value) == message
    if cls in (ExpandOptionTypeError, ParticipantTypeError):
        # A TypeError, and still what callers caught before.
        assert isinstance(caught.value, TypeError)
        assert isinstance(caught.value, ExpandOptionError | ParticipantError)
        assert isinstance(caught.value, ValueError)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert (type(copy), str(copy)) == (cls, message)


def test_a_zoneinfo_is_taken_by_its_name() -> None:
    # The same schedule as with the name: the first dose at 08:00 in Paris (UTC+1 in
    # January) is 07:00 UTC.
    named = expand(tz="Europe/Paris")
    zoned = expand(tz=zoneinfo.ZoneInfo("Europe/Paris"))
    assert zoned == named
    assert zoned.tz == "Europe/Paris"
    assert zoned.to_json() == named.to_json()
    first = zoned.administrations[0].at
    assert first is not None
    assert first.astimezone(dt.UTC) == dt.datetime(2027, 1, 4, 7, 0, tzinfo=dt.UTC)


def test_a_duration_is_a_length() -> None:
    # 5 weeks: the course's Days 1-5 do not change; the period ends on Day 35 (2027-02-07).
    schedule = expand(lengths={"treatment": Duration(35)})
    assert schedule == expand(lengths={"treatment": "5 weeks"})
    assert schedule.periods[0].last_date == dt.date(2027, 2, 7)


def test_a_read_record_of_empty_yaml_speaks_of_a_record() -> None:
    with pytest.raises(regimens.InvalidRecordError) as caught:
        regimens.read_record("", kind="yaml", name="P.yaml")
    assert str(caught.value) == (
        "P.yaml: (document): the file is empty; a YAML record is a list of rows, each a "
        "mapping (- {date: 2027-01-04, event: given, drug: dox})")


def test_the_cohort_takes_a_zoneinfo_and_refuses_a_fixed_offset_at_its_row() -> None:
    pytest.importorskip("numpy")
    from regimens.cohort import expand_cohort

    zoned = expand_cohort(REGIMEN, "a", ["2027-01-04"], tz=zoneinfo.ZoneInfo("Europe/Paris"))
    named = expand_cohort(REGIMEN, "a", ["2027-01-04"], tz="Europe/Paris")
    a, b = zoned.to_numpy(), named.to_numpy()
    assert list(a) == list(b)
    assert all((a[k] == b[k]).all() for k in a)
    # 08:00 in Paris on 2027-01-04 (UTC+1) is 07:00 UTC.
    assert str(a["at"][0]) == "2027-01-04T07:00:00"
    with pytest.raises(ExpandOptionTypeError) as caught:
        expand_cohort(REGIMEN, "a", ["2027-01-04"] * 2, tz=["Europe/Paris", dt.UTC])
    assert str(caught.value) == ("tz: participant 1: " + FIXED.removeprefix("tz: ")
                                 + " (got 'datetime.timezone.utc')")
    assert caught.value.participant == 1
    with pytest.raises(ExpandOptionTypeError) as caught:
        expand_cohort(REGIMEN, None, ["2027-01-04"])  # type: ignore[arg-type]
    assert str(caught.value) == ("arm: one arm for everyone (text), or a sequence with one per "
                                 "participant")
