"""iCalendar export: structure, time zones, UIDs, SEQUENCE, reminders, blinding, escaping,
and proof that independent readers (icalendar, recurring-ical-events, ical) agree."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import textwrap
import warnings
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

import regimens
from regimens.export import Reminder
from support import HEAD

ROOT = Path(__file__).resolve().parents[2]
IMODALS = ROOT / "examples" / "imodals.yaml"
STAMP = datetime(2027, 1, 1, tzinfo=UTC)
ARMS = ("il2-1miu", "il2-2miu", "placebo")



def schedule(body: str, *, arm: str = "a", start: str = "2027-01-04", label: str = "P-017",
             head: str = HEAD, **options: Any) -> regimens.Schedule:
    regimen = regimens.loads(head + textwrap.dedent(body), "r.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        return regimen.expand(arm, start, regimens.Participant(label=label), **options)


def imodals(arm: str, *, start: str = "2027-01-04", label: str = "P-017") -> regimens.Schedule:
    return regimens.load(IMODALS).expand(arm, start, regimens.Participant(label=label))


def events(data: bytes) -> list[Any]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def lines(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    return text[:-2].split("\r\n")


def check_structure(data: bytes, expected_events: int) -> list[Any]:
    """What every export must satisfy, whoever reads it."""
    from ical.calendar_stream import IcsCalendarStream

    text = data.decode("utf-8")  # valid UTF-8
    physical = lines(data)
    # Only CRLF ends a line: no lone CR or LF, no other line separator a reader might honour.
    assert "\r" not in "".join(physical)
    assert "\n" not in "".join(physical)
    assert len(text.splitlines()) == len(physical)
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, line
        assert not re.search(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]", line), line
    assert physical[0] == "BEGIN:VCALENDAR"
    assert physical[-1] == "END:VCALENDAR"
    assert physical.count("BEGIN:VCALENDAR") == 1
    assert physical.count("BEGIN:VEVENT") == expected_events
    assert physical.count("END:VEVENT") == expected_events
    assert not any(line.startswith("RRULE") for line in physical)
    calendar = Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//regimens//")
    found = list(calendar.walk("VEVENT"))
    assert len(found) == expected_events
    uids = [str(e["UID"]) for e in found]
    assert len(set(uids)) == len(uids)
    for event in found:
        assert event.decoded("DTSTAMP") == STAMP
        assert "DTSTART" in event
        assert "DTEND" in event
        assert event.decoded("DTEND") > event.decoded("DTSTART")
    # RFC 5545 §3.2.19: every TZID used has its VTIMEZONE.
    assert not calendar.get_missing_tzids()
    tzids = set(re.findall(r";TZID=([^:;]+)", text))
    assert tzids == {str(z["TZID"]) for z in calendar.walk("VTIMEZONE")}
    strict = IcsCalendarStream.calendar_from_ics(text)  # raises on anything it refuses
    assert len(strict.events) == expected_events
    return found


# -- structure -----------------------------------------------------------------------------


def test_all_day_administrations_are_date_events_with_exclusive_dtend() -> None:
    s = imodals("il2-1miu")
    data = s.to_ics(stamp=STAMP)
    found = check_structure(data, 15 + 3)
    doses = [e for e in found if "dose" in str(e.get("CATEGORIES").to_ical())]
    assert len(doses) == 15
    for event, a in zip(doses, s.administrations, strict=True):
        assert event.decoded("DTSTART") == a.date
        assert not isinstance(event.decoded("DTSTART"), datetime)
        assert event.decoded("DTEND") == a.date + timedelta(days=1)
    text = data.decode()
    assert "DTSTART;VALUE=DATE:20270104\r\nDTEND;VALUE=DATE:20270105\r\n" in text
    assert "METHOD:PUBLISH\r\n" in text


def test_visits_are_target_day_events_stating_the_window() -> None:
    s = imodals("il2-1miu")
    found = events(s.to_ics(stamp=STAMP))
    visits = [e for e in found if str(e["SUMMARY"]).startswith("Study visit")]
    assert [e.decoded("DTSTART") for e in visits] == [v.date for v in s.visits]
    w12 = next(v for v in s.visits if v.id == "w12")
    event = next(e for e in visits if str(e["SUMMARY"]) == "Study visit: w12")
    assert event.decoded("DTEND") == w12.date + timedelta(days=1)
    assert f"Window: {w12.earliest.isoformat()} to {w12.latest.isoformat()}" in str(
        event["DESCRIPTION"])


TIMED = """\
periods:
  - id: t
    length: 3 weeks
    courses:
      - {drug: pred, dose: 5 mg, daily: true, times: ["08:00"]}
"""


@pytest.mark.parametrize(("zone", "start", "change"), [
    ("America/New_York", "2027-03-08", date(2027, 3, 14)),
    ("America/New_York", "2027-11-01", date(2027, 11, 7)),
    ("Europe/Berlin", "2027-03-22", date(2027, 3, 28)),
    ("Europe/Berlin", "2027-10-25", date(2027, 10, 31)),
])
def test_timed_administrations_keep_local_time_across_dst(zone: str, start: str,
                                                          change: date) -> None:
    s = schedule(TIMED, start=start, tz=zone)
    data = s.to_ics(stamp=STAMP)
    found = check_structure(data, 21)
    offsets = set()
    for event, a in zip(found, s.administrations, strict=True):
        begin = event.decoded("DTSTART")
        assert isinstance(begin, datetime)
        assert (begin.hour, begin.minute) == (8, 0)
        assert begin.date() == a.date
        assert begin == a.at  # the same instant
        assert str(event["DTSTART"].params["TZID"]) == zone
        assert event.decoded("DTEND") - begin == timedelta(minutes=15)
        offsets.add(begin.utcoffset())
    assert len(offsets) == 2  # the change really is inside the schedule
    assert f"DTSTART;TZID={zone}:{change:%Y%m%d}T080000\r\n" in data.decode()
    assert [str(z["TZID"]) for z in Calendar.from_ical(data).walk("VTIMEZONE")] == [zone]


def test_utc_times_need_no_vtimezone() -> None:
    data = schedule(TIMED, tz="UTC").to_ics(stamp=STAMP)
    check_structure(data, 21)
    assert b"DTSTART:20270104T080000Z\r\n" in data
    assert b"VTIMEZONE" not in data


@pytest.mark.parametrize("zone", ["UTC+02:00", "+02:00", "GMT+2", "CET-1CEST",
                                  "/etc/localtime", "Mars/Olympus"])
def test_fixed_offsets_and_non_iana_zones_are_refused(zone: str) -> None:
    with pytest.raises(regimens.ExpandOptionError, match="time zone"):
        schedule(TIMED, tz=zone)


def test_timed_administrations_without_a_zone_are_refused() -> None:
    s = schedule(TIMED)
    with pytest.raises(regimens.ExpandOptionError, match="time zone"):
        s.to_ics(stamp=STAMP)


def test_stamp_must_be_aware() -> None:
    with pytest.raises(regimens.ExpandOptionError, match="stamp"):
        imodals("placebo").to_ics(stamp=datetime(2027, 1, 1))


_PYTHON_EXAMPLE = ", e.g. datetime(2027, 1, 1, tzinfo=timezone.utc)"


@pytest.mark.parametrize(("stamp", "message"), [
    # Text: the example is Python, not the text given (it read "e.g. 2027-01-01T00:00:00Z
    # (got '2027-01-01T00:00:00Z')").
    ("2027-01-01T00:00:00Z", "stamp: give a datetime, not text" + _PYTHON_EXAMPLE
     + " (got '2027-01-01T00:00:00Z')"),
    (datetime(2027, 1, 1), "stamp: give an aware datetime (with its tzinfo)" + _PYTHON_EXAMPLE
     + " (got 2027-01-01 00:00:00)"),
    (None, "stamp: give an aware datetime (with its tzinfo)" + _PYTHON_EXAMPLE),
])
def test_a_bad_stamp_says_what_to_give_in_python(stamp: object, message: str) -> None:
    with pytest.raises(regimens.ExpandOptionError) as caught:
        imodals("placebo").to_ics(stamp=stamp)  # type: ignore[arg-type]
    assert str(caught.value) == message


# -- UIDs and reproducibility ---------------------------------------------------------------


def uids(data: bytes) -> list[str]:
    return [str(e["UID"]) for e in events(data)]


def test_uids_are_unique_stable_and_deterministic() -> None:
    first = uids(imodals("il2-1miu").to_ics(stamp=STAMP, blinded=False))
    again = uids(imodals("il2-1miu").to_ics(stamp=datetime(2030, 5, 5, 12, tzinfo=UTC),
                                           blinded=False, reminders=["1h"]))
    assert first == again
    assert len(set(first)) == len(first)
    assert all(u.startswith("imodals-example.P-017.") and u.endswith("@regimens") for u in first)
    assert "imodals-example.P-017.il2.day1@regimens" in first
    assert "imodals-example.P-017.visit.w12@regimens" in first
    # A later start moves the dates, never the UIDs (they follow study days).
    moved = uids(imodals("il2-1miu", start="2027-02-01").to_ics(stamp=STAMP, blinded=False))
    assert moved == first


def test_participants_never_share_uids() -> None:
    labels = ["P-017", "P 017", "P_017", "p-017", "P-018", ""]
    seen: set[str] = set()
    for label in labels:
        these = set(uids(imodals("placebo", label=label).to_ics(stamp=STAMP)))
        assert not these & seen, label
        seen |= these


def test_two_courses_on_one_day_keep_distinct_uids() -> None:
    s = schedule("""\
        periods:
          - id: t
            length: 1 week
            courses:
              - {drug: il2, dose: 1 MIU, days: 1-2}
              - {drug: il2, dose: 2 MIU, days: 1}
        """)
    data = s.to_ics(stamp=STAMP)
    found = check_structure(data, 3)
    assert len({str(e["UID"]) for e in found}) == 3


ENV_CASES = [
    {"TZ": "Pacific/Kiritimati", "LANG": "tr_TR.UTF-8", "LC_ALL": "tr_TR.UTF-8",
     "PYTHONHASHSEED": "1"},
    {"TZ": "America/Los_Angeles", "LANG": "C", "LC_ALL": "C", "PYTHONHASHSEED": "4242",
     "PYTHONIOENCODING": "latin-1"},
]
CLI_ARGS = ["expand", str(IMODALS), "--arm", "il2-2miu", "--start", "2027-01-04",
            "--participant", "P-017", "--format", "ics", "--stamp", "2027-01-01T00:00:00Z",
            "--unblinded", "--remind", "1h", "--remind", "09:00-day-before"]


def test_output_is_byte_identical_across_runs_and_environments() -> None:
    expected = imodals("il2-2miu").to_ics(stamp=STAMP, blinded=False,
                                          reminders=["1h", "09:00-day-before"])
    assert expected == imodals("il2-2miu").to_ics(stamp=STAMP, blinded=False,
                                                  reminders=["1h", "09:00-day-before"])
    for extra in ENV_CASES:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "TZ"))}
        env.update(extra)
        out = subprocess.run([sys.executable, "-m", "regimens", *CLI_ARGS], env=env,
                             capture_output=True, check=True, timeout=60)
        assert out.stdout == expected, extra


def test_timed_output_is_byte_identical_under_another_system_zone() -> None:
    code = textwrap.dedent(f"""\
        import sys, warnings, regimens
        from datetime import datetime, UTC
        r = regimens.loads({json.dumps(HEAD + TIMED)})
        s = r.expand("a", "2027-03-08", regimens.Participant(label="P-017"),
                     tz="America/New_York")
        sys.stdout.buffer.write(s.to_ics(stamp=datetime(2027, 1, 1, tzinfo=UTC),
                                         reminders=["09:00-day-before"]))
        """)
    expected = schedule(TIMED, start="2027-03-08", tz="America/New_York").to_ics(
        stamp=STAMP, reminders=["09:00-day-before"])
    env = dict(os.environ, TZ="Asia/Kolkata", PYTHONHASHSEED="7", LANG="de_DE.UTF-8")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         check=True, timeout=60)
    assert out.stdout == expected


# -- SEQUENCE --------------------------------------------------------------------------------

COURSE = """\
periods:
  - id: t
    length: 2 weeks
    courses:
      - {{drug: il2, dose: {dose}, days: {days}{times}}}
"""


def course(days: str, dose: str = "1 MIU", times: str = "", **options: Any) -> regimens.Schedule:
    return schedule(COURSE.format(days=days, dose=dose, times=times), **options)


def by_uid(data: bytes) -> dict[str, Any]:
    return {str(e["UID"]): e for e in events(data)}


def test_sequence_follows_content_changes() -> None:
    v1 = course("1-5").to_ics(stamp=STAMP)
    assert {int(e["SEQUENCE"]) for e in events(v1)} == {0}
    # Identical content: the SEQUENCE stays, whatever the new DTSTAMP.
    same = course("1-5").to_ics(stamp=datetime(2027, 2, 1, tzinfo=UTC), previous=v1)
    assert {int(e["SEQUENCE"]) for e in events(same)} == {0}
    # Days 1-3 at a higher dose: changed events go to 1, days 4-5 are cancelled at 1.
    v2 = course("1-3", "2 MIU").to_ics(stamp=STAMP, previous=v1)
    check_structure(v2, 5)
    after = by_uid(v2)
    day = "demo.P-017.il2.day{}@regimens"
    for n in (1, 2, 3):
        assert int(after[day.format(n)]["SEQUENCE"]) == 1
        assert "STATUS" not in after[day.format(n)]
        assert "2 million units" in str(after[day.format(n)]["SUMMARY"])
    for n in (4, 5):
        gone = after[day.format(n)]
        assert str(gone["STATUS"]) == "CANCELLED"
        assert int(gone["SEQUENCE"]) == 1
        assert gone.decoded("DTSTART") == date(2027, 1, n + 3)
    # Only day 1 changes again: it alone moves on; the cancelled ones stay cancelled at 1.
    v3 = schedule("""\
        periods:
          - id: t
            length: 2 weeks
            courses:
              - {drug: il2, dose: 3 MIU, days: 1}
              - {drug: il2, dose: 2 MIU, days: 2-3}
        """).to_ics(stamp=STAMP, previous=v2)
    seq = {uid: (int(e["SEQUENCE"]), str(e.get("STATUS", ""))) for uid, e in by_uid(v3).items()}
    assert seq == {day.format(1): (2, ""), day.format(2): (1, ""), day.format(3): (1, ""),
                   day.format(4): (1, "CANCELLED"), day.format(5): (1, "CANCELLED")}
    # A cancelled event that comes back is a change: a higher SEQUENCE, no longer cancelled.
    v4 = course("1-5", "2 MIU").to_ics(stamp=STAMP, previous=v3)
    back = by_uid(v4)
    assert int(back[day.format(4)]["SEQUENCE"]) == 2
    assert "STATUS" not in back[day.format(4)]


def test_cancelled_timed_events_keep_their_vtimezone() -> None:
    v1 = course("1-5", times=', times: ["08:00"]', tz="Europe/Berlin").to_ics(stamp=STAMP)
    v2 = course("1-3", tz="Europe/Berlin").to_ics(stamp=STAMP, previous=v1)
    found = check_structure(v2, 3 + 5)
    cancelled = [e for e in found if str(e.get("STATUS", "")) == "CANCELLED"]
    assert len(cancelled) == 5
    assert cancelled[0].decoded("DTSTART") == datetime(2027, 1, 4, 8,
                                                       tzinfo=ZoneInfo("Europe/Berlin"))


def test_previous_never_cancels_someone_elses_events() -> None:
    other = imodals("placebo", label="P-018").to_ics(stamp=STAMP)
    data = course("1-2").to_ics(stamp=STAMP, previous=other)
    assert b"CANCELLED" not in data
    check_structure(data, 2)


def test_previous_must_be_a_calendar() -> None:
    with pytest.raises(regimens.ExpandOptionError, match="previous"):
        course("1-2").to_ics(stamp=STAMP, previous=b"not a calendar")


# -- reminders --------------------------------------------------------------------------------


def triggers(data: bytes) -> list[str]:
    return [line for line in lines(data) if line.startswith("TRIGGER")]


def test_reminders_on_all_day_events() -> None:
    data = course("1").to_ics(stamp=STAMP, reminders=["1h", "09:00-day-before", "1d"])
    check_structure(data, 1)
    # All-day: DTSTART is midnight; 1 h before is 23:00, 15 h before is 09:00 the day before.
    assert triggers(data) == ["TRIGGER:-PT1H", "TRIGGER:-PT15H", "TRIGGER:-P1D"]
    assert data.count(b"ACTION:DISPLAY\r\n") == 3


@pytest.mark.parametrize(("zone", "start", "expected"), [
    # No change overnight: 08:00 - 23 h = 09:00 the day before.
    ("Europe/Berlin", "2027-01-04", "TRIGGER:-PT23H"),
    # Clocks go forward on 2027-03-14 at 02:00: 09:00 EST Saturday is only 22 h before
    # 08:00 EDT Sunday.
    ("America/New_York", "2027-03-14", "TRIGGER:-PT22H"),
    # Clocks go back on 2027-11-07: 09:00 EDT Saturday is 24 h before 08:00 EST Sunday,
    # written in hours ("-P1D" would be a nominal day, i.e. 08:00).
    ("America/New_York", "2027-11-07", "TRIGGER:-PT24H"),
])
def test_day_before_reminder_on_timed_events(zone: str, start: str, expected: str) -> None:
    s = course("1", times=', times: ["08:00"]', start=start, tz=zone)
    data = s.to_ics(stamp=STAMP, reminders=["09:00-day-before", "1h"])
    check_structure(data, 1)
    assert triggers(data) == [expected, "TRIGGER:-PT1H"]
    event = events(data)[0]
    alarm = event.walk("VALARM")[0]
    when = (event.decoded("DTSTART").astimezone(UTC) + alarm.decoded("TRIGGER")).astimezone(
        ZoneInfo(zone))
    assert (when.date(), when.hour, when.minute) == (
        date.fromisoformat(start) - timedelta(days=1), 9, 0)


_DURATION = re.compile(r"(?P<sign>[+-]?)P(?:(?P<d>[0-9]+)D)?(?:T(?:(?P<h>[0-9]+)H)?"
                       r"(?:(?P<m>[0-9]+)M)?(?:(?P<s>[0-9]+)S)?)?\Z")


def fires(start: datetime, trigger: str) -> datetime:
    """When a relative TRIGGER rings, read as RFC 5545 §3.3.6 says: days are nominal (the
    same local time on another date), hours, minutes and seconds exact (elapsed time).

    Written here from the RFC, not taken from a library: icalendar 7.3.2 (``Event.alarms``)
    and recurring-ical-events 3.8.2 both ring "-PT24H" at the local time of the day before,
    23 real hours before a dose on the morning the clocks go forward.
    """
    match = _DURATION.match(trigger)
    assert match, trigger
    sign = -1 if match["sign"] == "-" else 1
    zone = start.tzinfo
    assert isinstance(zone, ZoneInfo)
    nominal = datetime.combine(start.date() + timedelta(days=sign * int(match["d"] or 0)),
                               start.time(), tzinfo=zone)
    exact = timedelta(hours=int(match["h"] or 0), minutes=int(match["m"] or 0),
                      seconds=int(match["s"] or 0))
    return (nominal.astimezone(UTC) + sign * exact).astimezone(zone)


@pytest.mark.parametrize(("remind", "zone", "start", "written", "rings"), [
    # 08:00 EDT on 2027-03-14 (clocks went forward at 02:00) is 12:00Z; 24 real hours
    # before is 12:00Z on the 13th, 07:00 EST.
    ("24h", "America/New_York", "2027-03-14", "TRIGGER:-PT24H", "2027-03-13T07:00:00-05:00"),
    # One nominal day before: 08:00 EST on the 13th, 23 real hours before.
    ("1d", "America/New_York", "2027-03-14", "TRIGGER:-P1D", "2027-03-13T08:00:00-05:00"),
    # 08:00 EST on 2027-11-07 (clocks went back) is 13:00Z; 36 h before is 01:00Z on the
    # 6th, 21:00 EDT on the 5th.
    ("36h", "America/New_York", "2027-11-07", "TRIGGER:-PT36H", "2027-11-05T21:00:00-04:00"),
    # A nominal day (08:00 EDT on the 6th, 12:00Z), then 12 exact hours: 00:00Z, 20:00 EDT.
    ("1d12h", "America/New_York", "2027-11-07", "TRIGGER:-P1DT12H",
     "2027-11-05T20:00:00-04:00"),
    # Days, then more than a day of hours: 08:00 CEST on the 28th is 06:00Z; one nominal
    # day before is 08:00 CET on the 27th (07:00Z); 25 h 30 min before that is 05:30Z on
    # the 26th, 06:30 CET.
    ("1d25h30m", "Europe/Berlin", "2027-03-28", "TRIGGER:-P1DT25H30M",
     "2027-03-26T06:30:00+01:00"),
    ("48h", "Europe/Berlin", "2027-03-28", "TRIGGER:-PT48H", "2027-03-26T07:00:00+01:00"),
    ("1h30m", "Europe/Berlin", "2027-03-28", "TRIGGER:-PT1H30M", "2027-03-28T06:30:00+02:00"),
    ("30m", "Europe/Berlin", "2027-03-28", "TRIGGER:-PT30M", "2027-03-28T07:30:00+02:00"),
])
def test_hour_reminders_are_exact_and_day_reminders_nominal(
        remind: str, zone: str, start: str, written: str, rings: str) -> None:
    s = course("1", times=', times: ["08:00"]', start=start, tz=zone)
    data = s.to_ics(stamp=STAMP, reminders=[remind])
    check_structure(data, 1)
    assert triggers(data) == [written]
    event = events(data)[0]
    assert event.decoded("DTSTART") == datetime.fromisoformat(f"{start}T08:00").replace(
        tzinfo=ZoneInfo(zone))
    # icalendar reads the value back as the whole offset (days and hours alike).
    alarm = event.walk("VALARM")[0]
    assert alarm.decoded("TRIGGER") == -Reminder.parse(remind).before
    assert fires(event.decoded("DTSTART"), written.removeprefix("TRIGGER:")).isoformat() == rings


def test_nominal_day_reminders_agree_with_recurring_ical_events() -> None:
    import recurring_ical_events

    s = course("1", times=', times: ["08:00"]', start="2027-03-14", tz="America/New_York")
    data = s.to_ics(stamp=STAMP, reminders=["1d"])
    calendar = Calendar.from_ical(data)
    (occurrence,) = recurring_ical_events.of(calendar, components=["VALARM"]).between(
        date(2027, 3, 1), date(2027, 4, 1))
    (alarm,) = occurrence.walk("VALARM")
    assert alarm["TRIGGER"].dt.isoformat() == "2027-03-13T08:00:00-05:00"
    assert fires(events(data)[0].decoded("DTSTART"), "-P1D") == alarm["TRIGGER"].dt


def test_bad_reminders_are_refused() -> None:
    for text in ("", "0h", "soon", "25:00-day-before", "-1h"):
        with pytest.raises(regimens.ExpandOptionError, match="remind"):
            course("1").to_ics(stamp=STAMP, reminders=[text])


# -- blinding and notation ----------------------------------------------------------------------


@pytest.mark.parametrize("blinded", [None, True])
def test_blinded_export_is_identical_for_every_arm(blinded: bool | None) -> None:
    exports = {arm: imodals(arm).to_ics(stamp=STAMP, blinded=blinded,
                                        reminders=["09:00-day-before"]) for arm in ARMS}
    assert exports["il2-1miu"] == exports["il2-2miu"] == exports["placebo"]
    data = exports["placebo"]
    check_structure(data, 15 + 3)
    text = Calendar.from_ical(data).to_ical().decode()
    for secret in ("million", "il2-1miu", "il2-2miu", "1miu", "2miu", "Placebo arm", "units"):
        assert secret.lower() not in text.lower(), secret
    assert "study drug (aldesleukin or placebo)" in text


def test_unblinded_export_shows_the_dose_in_safe_notation() -> None:
    texts = {arm: imodals(arm).to_ics(stamp=STAMP, blinded=False).decode() for arm in ARMS}
    assert "aldesleukin 1 million units\\, subcutaneous injection" in texts["il2-1miu"]
    assert "aldesleukin 2 million units\\, subcutaneous injection" in texts["il2-2miu"]
    assert "aldesleukin placebo\\, subcutaneous injection" in texts["placebo"]
    for arm, text in texts.items():
        assert not re.search(r"\bM?IU\b", text), arm
        summaries = [str(e["DESCRIPTION"]) for e in events(text.encode())]
        assert any("Dose: " in d for d in summaries), arm


def test_participant_label_only() -> None:
    text = imodals("placebo", label="P-017").to_ics(stamp=STAMP).decode()
    assert "Participant: P-017" in text
    unfolded = text.replace("\r\n ", "")
    assert ("X-WR-CALNAME;VALUE=TEXT:IMODALS-like example\\, low-dose aldesleukin in ALS - "
            "P-017") in unfolded
    for word in ("ATTENDEE", "ORGANIZER", "CONTACT", "LOCATION", "weight", "height"):
        assert word not in text


# -- escaping and injection -------------------------------------------------------------------

PAYLOADS = [
    "a\r\nb", "a\rb", "a\nb", "a\x00b", "a\x0bb", "a\x1bb", "a\x7fb", "a\x85b", "a\x1cb",
    "C:\\new\\Notes \\N \\n \\, \\;", "x\r\nBEGIN:VEVENT\r\nUID:evil\r\nSUMMARY:pwned",
    "x\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil", "a\u2028b\u2029c", "\U0001f489" * 40,
    "é" * 33 + "\U0001d11e" * 8, "x" * 60 + "\U0001f600\U0001f600", 'a;b,c:d"e\\',
    "\ud83d broken surrogate", "\t tab",
]

INJECT = """\
periods:
  - id: t
    length: 1 week
    courses:
      - {drug: pred, dose: 5 mg, days: 1-2, times: ["08:00"]}
visits:
  - {id: v1, day: 3}
"""


def inject(s: regimens.Schedule, payload: str) -> regimens.Schedule:
    """Put ``payload`` in every free-text field, past the loader's own checks."""
    regimen = dataclasses.replace(
        s.regimen, title="T " + payload, registry=payload,
        drugs=tuple(dataclasses.replace(d, name=payload) for d in s.regimen.drugs))
    participant = regimens.Participant()
    object.__setattr__(participant, "label", payload)
    return dataclasses.replace(
        s, regimen=regimen, participant=participant,
        administrations=tuple(dataclasses.replace(a, drug_name=payload, note=payload)
                              for a in s.administrations),
        visits=tuple(dataclasses.replace(v, label=payload) for v in s.visits))


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: repr(p)[:30])
@pytest.mark.parametrize("blinded", [False, True])
def test_injected_text_cannot_break_the_file(payload: str, blinded: bool) -> None:
    s = inject(schedule(INJECT, tz="Europe/Berlin"), payload)
    data = s.to_ics(stamp=STAMP, blinded=blinded, reminders=["1h"])
    found = check_structure(data, 3)
    for line in lines(data):
        assert not line.startswith(("UID:evil", "SUMMARY:pwned")), line
    for event in found:
        assert "\n" not in str(event["SUMMARY"])
        assert str(event["UID"]).endswith("@regimens")
        assert "evil" not in str(event["UID"]).split(".")[-1]
    assert len(Calendar.from_ical(data).walk("VALARM")) == 3


def test_injection_through_a_regimen_file() -> None:
    """What the loader lets through (separators, backslashes) is made safe; line breaks and
    control characters in names and labels are refused by the loader itself."""
    refused = "x\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil"
    with pytest.raises(regimens.InvalidRegimenError, match="must be one line"):
        schedule("periods:\n  - {id: t, length: 1 week}\n",
                 head=HEAD.replace("title: Demo", f"title: {json.dumps(refused)}"))
    nasty = "x;END:VEVENT,BEGIN:VEVENT:UID:evil \\N \U0001f489"
    head = HEAD.replace("aldesleukin", json.dumps(nasty)[1:-1].join('""')).replace(
        "title: Demo", f"title: {json.dumps(nasty)}")
    s = schedule(f"""\
        periods:
          - id: t
            length: 1 week
            courses:
              - {{drug: il2, dose: 1 MIU, days: 1-2, dose_note: {json.dumps(nasty)}}}
        visits:
          - {{id: v1, day: 3, label: {json.dumps(nasty)}}}
        """, head=head, label="P;017,\\")
    for blinded in (False, True):
        data = s.to_ics(stamp=STAMP, blinded=blinded)
        found = check_structure(data, 3)
        assert "UID:evil" not in lines(data)
        summary = str(found[0]["SUMMARY"])
        assert "x;END:VEVENT,BEGIN:VEVENT:UID:evil ⧵N" in summary
        assert "\U0001f489" in summary  # written in YAML as a surrogate pair of escapes


# -- independent readers ----------------------------------------------------------------------


def occurrences(s: regimens.Schedule) -> list[date | datetime]:
    out: list[date | datetime] = [a.at if a.at is not None else a.date
                                  for a in s.administrations]
    return sorted(out + [v.date for v in s.visits], key=_instant)


def _instant(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.combine(value, datetime.min.time(), tzinfo=UTC)


ROUND_TRIP = [
    ("imodals", lambda: imodals("il2-1miu")),
    ("timed-dst", lambda: schedule(TIMED, start="2027-03-08", tz="America/New_York")),
    ("two-times", lambda: schedule("""\
        periods:
          - id: t
            length: 2 weeks
            courses:
              - {drug: pred, dose: 5 mg, daily: true, times: ["02:30", "20:00"]}
              - {drug: il2, dose: 1 MIU, weekdays: [mon, thu]}
        visits:
          - {id: v1, day: 7, window: 2 days}
        """, start="2027-03-22", tz="Europe/Berlin")),
]


@pytest.mark.parametrize("make", [m for _, m in ROUND_TRIP], ids=[n for n, _ in ROUND_TRIP])
def test_round_trip_with_icalendar(make: Any) -> None:
    s = make()
    data = s.to_ics(stamp=STAMP, reminders=["1h"])
    found = check_structure(data, len(s.administrations) + len(s.visits))
    assert [_instant(e.decoded("DTSTART")) for e in found] == [
        _instant(a.at if a.at is not None else a.date) for a in s.administrations] + [
        _instant(v.date) for v in s.visits]
    for event, a in zip(found, s.administrations, strict=False):
        start = event.decoded("DTSTART")
        if a.at is None:
            assert start == a.date
            assert type(start) is date
        else:
            assert start == a.at
            assert start.tzinfo is not None
            assert start.astimezone(a.at.tzinfo).replace(tzinfo=None) == a.at.replace(
                tzinfo=None)
    assert uids(data) == uids(s.to_ics(stamp=STAMP))


@pytest.mark.parametrize("make", [m for _, m in ROUND_TRIP], ids=[n for n, _ in ROUND_TRIP])
def test_recurring_ical_events_expands_to_the_schedule(make: Any) -> None:
    import recurring_ical_events

    s = make()
    calendar = Calendar.from_ical(s.to_ics(stamp=STAMP))
    days = [a.date for a in s.administrations] + [v.date for v in s.visits]
    first, last = min(days) - timedelta(days=2), max(days) + timedelta(days=2)
    found = recurring_ical_events.of(calendar).between(first, last)
    got = sorted((e.decoded("DTSTART") for e in found), key=_instant)
    assert len(got) == len(occurrences(s))
    assert [_instant(g) for g in got] == [_instant(o) for o in occurrences(s)]


@pytest.mark.parametrize("make", [m for _, m in ROUND_TRIP], ids=[n for n, _ in ROUND_TRIP])
def test_strict_parser_reads_the_same_events(make: Any) -> None:
    from ical.calendar_stream import IcsCalendarStream

    s = make()
    data = s.to_ics(stamp=STAMP, reminders=["09:00-day-before"])
    calendar = IcsCalendarStream.calendar_from_ics(data.decode())
    assert len(calendar.events) == len(s.administrations) + len(s.visits)
    starts = sorted((e.dtstart for e in calendar.events), key=_instant)
    assert [_instant(x) for x in starts] == [_instant(o) for o in occurrences(s)]
    assert {e.uid for e in calendar.events} == set(uids(data))


def test_cli_writes_the_same_bytes(tmp_path: Path) -> None:
    from regimens.cli import main

    target = tmp_path / "p017.ics"
    assert main([*CLI_ARGS, "-o", str(target)]) == 0
    assert target.read_bytes() == imodals("il2-2miu").to_ics(
        stamp=STAMP, blinded=False, reminders=["1h", "09:00-day-before"])
    again = tmp_path / "again.ics"
    assert main([*CLI_ARGS[:-4], "--previous", str(target), "-o", str(again)]) == 0
    assert {int(e["SEQUENCE"]) for e in events(again.read_bytes())} == {1}  # reminders changed


def test_day_before_reminder_with_minutes_on_a_timed_dose() -> None:
    # 08:00 New York dose on Wed 2027-03-10; 09:30 the day before is 22h30m earlier.
    from regimens.export import Reminder

    start = datetime(2027, 3, 10, 8, 0, tzinfo=ZoneInfo("America/New_York"))
    assert Reminder.parse("09:30-day-before").trigger(start) == -timedelta(hours=22, minutes=30)
    # Across the spring-forward night (Sun 2027-03-14): 09:00 Sat to 08:00 Sun is 22 hours.
    sunday = datetime(2027, 3, 14, 8, 0, tzinfo=ZoneInfo("America/New_York"))
    assert Reminder.parse("09:00-day-before").trigger(sunday) == -timedelta(hours=22)


def test_no_arm_in_any_uid_and_unlabelled_is_distinct() -> None:
    # The arm never appears in a UID (an open-label period after a blinded one would
    # otherwise reveal the allocation), and "no label" cannot collide with any label.
    for arm in ARMS:
        text = imodals(arm, label="P-017").to_ics(stamp=STAMP, blinded=False).decode()
        assert arm not in "".join(line for line in text.splitlines() if line.startswith("UID"))
    unlabelled = imodals("placebo", label="").to_ics(stamp=STAMP).decode()
    labelled = imodals("placebo", label="participant").to_ics(stamp=STAMP).decode()
    uids = {line for line in unlabelled.splitlines() if line.startswith("UID:")}
    assert uids.isdisjoint(line for line in labelled.splitlines() if line.startswith("UID:"))
    assert "UID:imodals-example.no_label.il2.day1@regimens" in uids


def test_cancelled_events_have_neutral_text_and_bad_previous_is_an_error() -> None:
    unblinded = imodals("il2-1miu", label="P-017").to_ics(stamp=STAMP, blinded=False)
    later = imodals("il2-1miu", label="P-017").only([])  # the doses are gone, visits stay
    text = later.to_ics(stamp=STAMP, previous=unblinded).decode().replace("\r\n ", "")
    cancelled = [block for block in text.split("BEGIN:VEVENT") if "STATUS:CANCELLED" in block]
    assert cancelled
    assert all("SUMMARY:Cancelled: no longer in the schedule" in b for b in cancelled)
    assert "million units" not in "".join(cancelled)
    broken = unblinded.replace(b"DTSTART;VALUE=DATE:20270104", b"DTSTART;VALUE=DATE:2027010")
    with pytest.raises(regimens.ExpandOptionError) as caught:
        later.to_ics(stamp=STAMP, previous=broken)
    assert str(caught.value) == ("previous: event imodals-example.P-017.il2.day1@regimens has "
                                 "an unreadable DTSTART")


def test_a_new_zone_is_a_change_even_at_the_same_offset() -> None:
    body = ("format: regimens/1\nid: z\ntitle: Z\n"
            "drugs: {d: {name: drug D, route: oral}}\narms: {a: {label: A}}\n"
            "periods:\n  - id: p\n    length: 1 week\n    courses:\n"
            "      - {drug: d, dose: 5 mg, days: [1], times: ['08:00']}\n")
    regimen = regimens.loads(body)
    ny = regimen.expand("a", "2027-01-04", tz="America/New_York").to_ics(stamp=STAMP)
    toronto = regimen.expand("a", "2027-01-04", tz="America/Toronto").to_ics(
        stamp=STAMP, previous=ny).decode()
    assert "SEQUENCE:1" in toronto
