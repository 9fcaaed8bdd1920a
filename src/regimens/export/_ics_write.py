"""The bytes of an iCalendar file (RFC 5545 §3.4, §3.6), written directly from the plan of
what it holds (:class:`_Plan`): the calendar's properties, the events with their alarms,
the cancelled events of a previous export, and every VTIMEZONE they use."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from .._version import __version__
from ..errors import ExpandOptionError
from ..quantities import printable
from . import _rfc5545 as rfc5545
from ._ics_text import _EventText
from ._reminders import Reminder, _trigger_value

PRODID = f"-//regimens//regimens {__version__}//EN"


def _sequence(event: Any) -> int:
    try:
        value = max(0, int(event.get("SEQUENCE", 0)))
    except (TypeError, ValueError):
        return 0
    # RFC 5545 §3.8.7.4: SEQUENCE is an INTEGER (at most 2147483647), and it may be raised.
    if value >= 2**31 - 1:
        raise ExpandOptionError("previous", f"event {printable(str(event.get('UID', '')))} has "
                                "a SEQUENCE too large to raise", value)
    return value


def _cancelled_time(value: Any) -> Any:
    # A zone icalendar could not resolve to an IANA zone has no VTIMEZONE to go with it.
    if isinstance(value, datetime) and value.tzinfo is not None and not isinstance(
            value.tzinfo, ZoneInfo):
        return value.astimezone(UTC)
    return value


@dataclass(frozen=True)
class _Plan:
    """What a calendar holds, before it is written (the tests' oracle writes the same
    plan with icalendar's object model)."""

    stamp: datetime  # UTC
    name: str
    alarms: list[Reminder]
    events: list[tuple[_EventText, str, int]]  # with digest and SEQUENCE
    #: UID, the previous export's event, and the lowest SEQUENCE it may have (the count of
    #: its changes over the record's history).
    cancelled: list[tuple[str, Any, int]]
    #: Events of the record's history that are gone and not in the previous export: each
    #: as it last was, with its SEQUENCE.
    gone: list[tuple[_EventText, int]] = dataclasses.field(default_factory=list)


def _write(plan: _Plan) -> bytes:
    """The calendar's bytes (RFC 5545 §3.4, §3.6): its properties, then the components.

    Properties are in icalendar's order (the tests' oracle): its canonical ones first
    (VERSION, PRODID, CALSCALE, METHOD, X-WR-CALNAME; for an event SUMMARY, DTSTART,
    DTEND, DURATION, DTSTAMP, UID, RECURRENCE-ID, SEQUENCE), then the others by name.
    """
    line, text = rfc5545.content_line, rfc5545.text
    stamp_line = line("DTSTAMP", *reversed(rfc5545.date_time(plan.stamp, True, None)))
    zones = rfc5545.Zones()
    head = [b"BEGIN:VCALENDAR", b"VERSION:2.0", line("PRODID", text(PRODID)),
            b"CALSCALE:GREGORIAN", b"METHOD:PUBLISH",
            line("X-WR-CALNAME", text(plan.name), ";VALUE=TEXT")]
    lines: list[bytes] = []
    for t, digest, sequence in plan.events:
        lines += [b"BEGIN:VEVENT", line("SUMMARY", text(t.summary)),
                  zones.line("DTSTART", t.start), zones.line("DTEND", t.end), stamp_line,
                  line("UID", text(t.uid)), b"SEQUENCE:%d" % sequence,
                  line("CATEGORIES", rfc5545.text_list(t.categories)),
                  line("DESCRIPTION", text(t.description)),
                  *([b"STATUS:CANCELLED"] if t.cancelled else []), b"TRANSP:TRANSPARENT",
                  line("X-REGIMENS-DIGEST", text(digest), ";VALUE=TEXT")]
        if plan.alarms:
            # RFC 5545 §3.6.6: a display alarm has ACTION, DESCRIPTION and TRIGGER.
            alarm_text = line("DESCRIPTION", text(t.summary))
            for alarm in plan.alarms:
                lines += [b"BEGIN:VALARM", b"ACTION:DISPLAY", alarm_text,
                          line("TRIGGER", _trigger_value(alarm, t.start)), b"END:VALARM"]
        lines.append(b"END:VEVENT")
    for uid, old, lowest in plan.cancelled:
        # RFC 5546 §3.2.5: a removed event is published as cancelled with a higher SEQUENCE.
        # Neutral text: the old summary may have shown a dose or arm (an unblinded export).
        lines += [b"BEGIN:VEVENT", b"SUMMARY:Cancelled: no longer in the schedule"]
        for key in ("DTSTART", "DTEND"):
            if key in old:
                try:
                    lines.append(zones.previous_line(key, _cancelled_time(old.decoded(key))))
                except (TypeError, ValueError):
                    raise ExpandOptionError("previous", f"event {printable(uid)} has an "
                                            f"unreadable {key}") from None
        already = str(old.get("STATUS", "")) == "CANCELLED"
        lines += [stamp_line, line("UID", text(uid)),
                  b"SEQUENCE:%d" % max(lowest, _sequence(old) + (0 if already else 1)),
                  b"STATUS:CANCELLED", b"END:VEVENT"]
    for t, sequence in plan.gone:
        # As a previous export's event would be (its times as it last had them), with the
        # count of its changes, its leaving included.
        lines += [b"BEGIN:VEVENT", b"SUMMARY:Cancelled: no longer in the schedule",
                  zones.line("DTSTART", t.start), zones.line("DTEND", t.end), stamp_line,
                  line("UID", text(t.uid)), b"SEQUENCE:%d" % sequence,
                  b"STATUS:CANCELLED", b"END:VEVENT"]
    # RFC 5545 §3.2.19: every TZID used (cancelled events included) has its VTIMEZONE,
    # placed before the events. RFC 5545 §3.1: every content line ends with CRLF.
    return b"\r\n".join(head + zones.timezones() + lines + [b"END:VCALENDAR", b""])
