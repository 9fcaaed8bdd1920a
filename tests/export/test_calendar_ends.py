"""The ends of the calendar (years 1 and 9999): every export is a result or a clear error.

An all-day event on 9999-12-31 cannot end on the day after (DTEND is exclusive), a reminder
the day before 0001-01-01 has no day to fire on, and the time-zone rules written around
timed events must stay within the calendar. Whatever the date, zone and format: output, or
a RegimenError naming the option, never an OverflowError or a ValueError.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import regimens
from regimens import Reminder

DOC = """\
format: regimens/1
id: ends
title: Ends
drugs: {a: {name: drug A, route: oral}}
arms: {x: {label: X}}
periods:
  - id: t
    length: 2 days
    courses:
      - {drug: a, dose: 1 mg, days: 1%s}
"""
ZONES = ["Asia/Tokyo", "Pacific/Kiritimati", "America/New_York", "Europe/Berlin",
         "Pacific/Apia", "UTC"]
ENDS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@ENDS
@given(offset=st.integers(min_value=1, max_value=500), last=st.booleans(),
       zone=st.sampled_from(ZONES), timed=st.booleans(),
       remind=st.sampled_from([(), ("1h",), ("09:00-day-before",)]))
def test_every_export_near_the_ends_is_a_result_or_a_clear_error(
        offset: int, last: bool, zone: str, timed: bool, remind: tuple[str, ...]) -> None:
    start = date.max - timedelta(days=offset) if last else date.min + timedelta(days=offset - 1)
    regimen = regimens.loads(DOC % (', times: ["23:50"]' if timed else ""))
    schedule = regimen.expand("x", start.isoformat(), regimens.Participant(),
                              tz=zone if timed else None)
    assert schedule.to_calendar().endswith("\n")
    stamp = datetime(2027, 1, 1, tzinfo=UTC)
    if start == date.min and remind == ("09:00-day-before",):  # no day before to fire on
        with pytest.raises(regimens.ExpandOptionError, match=r"^remind: "):
            schedule.to_ics(stamp=stamp, reminders=remind)
        return
    assert schedule.to_ics(stamp=stamp, reminders=remind).startswith(b"BEGIN:VCALENDAR")


def test_the_last_possible_all_day_event() -> None:
    # A dose on 9999-12-30 ends on 9999-12-31 (DTEND is exclusive): the last one there is.
    schedule = regimens.loads(DOC % "").expand("x", "9999-12-30", regimens.Participant())
    data = schedule.to_ics(stamp=datetime(2027, 1, 1, tzinfo=UTC))
    assert b"DTSTART;VALUE=DATE:99991230\r\nDTEND;VALUE=DATE:99991231\r\n" in data


@pytest.mark.parametrize(("start", "zone", "hours"), [
    # Year 1 east of Greenwich: converting to UTC overflowed (OverflowError).
    (datetime(1, 1, 2, 8), "Asia/Tokyo", -23),
    (datetime(1, 1, 2, 0, 30), "Pacific/Kiritimati", -15.5),
    # Clocks forward overnight: 09:00 EST is 22 real hours before 08:00 EDT.
    (datetime(2027, 3, 14, 8), "America/New_York", -22),
    # Clocks back overnight: 09:00 EDT is 24 real hours before 08:00 EST.
    (datetime(2027, 11, 7, 8), "America/New_York", -24),
    (datetime(9999, 12, 31, 8), "Pacific/Pago_Pago", -23),
])
def test_day_before_reminder_is_exact_at_the_ends_and_across_clock_changes(
        start: datetime, zone: str, hours: float) -> None:
    trigger = Reminder.parse("09:00-day-before").trigger(start.replace(tzinfo=ZoneInfo(zone)))
    assert trigger == timedelta(hours=hours)


#: Doses on days 1 and 2 of a 3-day cycle (the plan from 9999-12-29 ends on 9999-12-30).
TWO = """\
format: regimens/1
id: ends2
title: Ends
drugs: {a: {name: drug A, route: intravenous}}
arms: {x: {label: X}}
periods:
  - id: treatment
    length: 3 days
    courses:
      - {drug: a, dose: 1 mg, cycle: 3 days, days: [1, 2]}
"""
HEADER = "date,event,drug,cycle,day,amount,level,reason\n"
LAST_DAY = ("an iCalendar event cannot fall on 9999-12-31, the last day of the calendar: it "
            "would end on the day after (DTEND is exclusive, RFC 5545 section 3.6.1)")

# kind -> (expand's options, the record's rows or None, the error as the user reads it)
PLACED_BY: dict[str, tuple[dict[str, str], str | None, str]] = {
    # The plan itself (doses on days 1 and 3): day 3 from 9999-12-29 is 9999-12-31.
    "--start": ({"start": "9999-12-29"}, None, f"start: {LAST_DAY} (got '9999-12-29')"),
    "--anchor": ({"anchor": "treatment=9999-12-29"}, None,
                 f"anchor: {LAST_DAY} (got '9999-12-29')"),
    # The plan ends on 9999-12-30; the record's row puts day 2 on 9999-12-31 (it blamed
    # --start 9999-12-29, which places nothing there).
    "a move row": ({"start": "9999-12-29"}, "9999-12-31,move,a,1,2,,,\n",
                   f"P.csv:2: date: {LAST_DAY} (got '9999-12-31')"),
    "a late given row": ({"start": "9999-12-29"}, "9999-12-31,given,a,1,2,,,\n",
                         f"P.csv:2: date: {LAST_DAY} (got '9999-12-31')"),
    # Both planned doses given; a third given on 9999-12-31 fulfils none (a dose of its own).
    "a dose of its own": ({"start": "9999-12-29"}, "9999-12-29,given,a,1,1,,,\n"
                          "9999-12-30,given,a,1,2,,,\n9999-12-31,given,a,,,1 mg,,\n",
                          f"P.csv:4: date: {LAST_DAY} (got '9999-12-31')"),
}


@pytest.mark.parametrize("kind", list(PLACED_BY))
def test_the_last_day_refusal_names_what_placed_the_event_there(kind: str) -> None:
    options, rows, expected = PLACED_BY[kind]
    record = None if rows is None else regimens.read_record(HEADER + rows, name="P.csv")
    doc = TWO if rows is not None else TWO.replace("days: [1, 2]", "days: [1, 3]")
    schedule = regimens.loads(doc, "e.yaml").expand("x", participant=regimens.Participant(),
                                                    record=record, **options)
    with pytest.raises(regimens.RegimenError) as info:
        schedule.to_ics(stamp=datetime(2027, 1, 1, tzinfo=UTC))
    assert str(info.value) == expected
    if rows is not None:
        assert [p.code for p in info.value.problems] == ["record-outside-calendar"]
