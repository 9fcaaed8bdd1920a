"""iCalendar (RFC 5545) export of a schedule.

One VEVENT per administration and per visit, never an RRULE, so that every
client shows exactly the same dates. Output is byte-identical for identical
input: UIDs are derived from the schedule, DTSTAMP is passed by the caller,
and nothing random or clock-based is added (icalendar's ``Calendar.new`` and
``Event.new`` would add a random UID and the current time, so they are not
used). The lines are written directly (``_ics_write``, with ``_rfc5545``); icalendar
builds VTIMEZONE components and reads a previous export. What each event says is made in
``_ics_text``; the reminders are in ``_reminders``.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from ..engine import Schedule
from ..errors import ExpandOptionError
from ..quantities import printable
from ._ics_text import (
    UID_DOMAIN,
    _administration_text,
    _event_order,
    _EventText,
    _visit_text,
    clean_text,
    uid_prefix,
)
from ._ics_write import _Plan, _sequence, _write
from ._reminders import Reminder

__all__ = ["to_ics"]


def _digest(text: _EventText, reminders: Sequence[Reminder]) -> str:
    # Everything a client shows or acts on: texts, times with their zone, and when each
    # reminder fires (a new zone can move a day-before reminder without moving the dose).
    zone = getattr(getattr(text.start, "tzinfo", None), "key", "")
    parts = [text.summary, text.description, str(text.start), str(text.end), zone,
             *(str(r.trigger(text.start)) for r in reminders),
             *(["CANCELLED"] if text.cancelled else [])]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def _previous(previous: bytes | str | None, prefix: str) -> dict[str, Any]:
    """The events of the previous export that this tool made for this participant."""
    if previous is None:
        return {}
    from icalendar import Calendar

    if not previous.strip():
        raise ExpandOptionError("previous", "not an iCalendar file: the file is empty; give "
                                "the .ics file exported last time")
    try:
        calendar = Calendar.from_ical(previous)
    except ValueError as exc:
        raise ExpandOptionError("previous", f"not an iCalendar file: {printable(str(exc))}"
                                ) from None
    events = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID", ""))
        # Someone else's events (another participant, another tool) are never cancelled.
        if uid.startswith(prefix) and uid.endswith(UID_DOMAIN):
            events[uid] = event
    return events


def to_ics(
    schedule: Schedule,
    *,
    stamp: datetime,
    blinded: bool | None = None,
    reminders: Sequence[Reminder | str] = (),
    previous: bytes | str | None = None,
) -> bytes:
    """The schedule as an iCalendar file.

    ``stamp`` (aware) becomes every DTSTAMP. ``blinded``: True hides arm, dose
    and placebo everywhere; None (default) hides them in periods marked
    ``blinded``; False shows everything. ``previous``: the file exported last
    time, so that changed events get a higher SEQUENCE and removed ones are
    sent as cancelled.
    """
    if not isinstance(stamp, datetime) or stamp.tzinfo is None:
        # A Python example: text such as "2027-01-01T00:00:00Z" is what the command line
        # reads (--stamp), not this argument, so the example must not look like it.
        raise ExpandOptionError("stamp", ("give a datetime, not text" if isinstance(stamp, str)
                                          else "give an aware datetime (with its tzinfo)")
                                + ", e.g. datetime(2027, 1, 1, tzinfo=timezone.utc)", stamp)
    try:
        stamp = stamp.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:00-01:00 is in the year 10000 in UTC
        raise ExpandOptionError("stamp", "the time falls outside the years 1 to 9999 in UTC",
                                stamp.isoformat()) from None
    alarms = [r if isinstance(r, Reminder) else Reminder.parse(r) for r in reminders]
    if any(a.time is not None and a.at is None for a in schedule.administrations):
        raise ExpandOptionError("tz", "timed administrations need a time zone in a calendar "
                                "(e.g. --tz Europe/Paris)")
    days = [a.date for a in schedule.administrations] + [v.date for v in schedule.visits]
    if date.max in days:
        # Every event ends after it starts (DTEND is exclusive, RFC 5545 section 3.6.1),
        # and no date follows 9999-12-31.
        raise ExpandOptionError("start", "an iCalendar event cannot fall on 9999-12-31, the "
                                "last day of the calendar: it would end on the day after "
                                "(DTEND is exclusive, RFC 5545 section 3.6.1)",
                                schedule.start.isoformat())
    if date.min in days and any(r.day_before_at is not None for r in alarms):
        raise ExpandOptionError("remind", "a reminder the day before an event on 0001-01-01, "
                                "the first day of the calendar, cannot be written")
    label = clean_text(schedule.participant.label, single_line=True)
    try:
        texts = _event_order(schedule, blinded, [
            _administration_text(schedule, a, a.blinded if blinded is None else blinded, label)
            for a in schedule.administrations])
    except OverflowError:  # an administration's duration runs past 9999-12-31
        raise ExpandOptionError("start", "an iCalendar event would end after 9999-12-31, the "
                                "last day of the calendar (an administration's duration runs "
                                "past it)", schedule.start.isoformat()) from None
    texts += [_visit_text(schedule, v, label) for v in schedule.visits]
    # Two events on the same key (two courses of one drug, same day and time) stay distinct.
    seen: dict[str, int] = {}
    unique = []
    for t in texts:
        n = seen.get(t.uid, 0)
        seen[t.uid] = n + 1
        if n:
            base, _, host = t.uid.partition("@")
            t = dataclasses.replace(t, uid=f"{base}.{n + 1}@{host}")
        unique.append(t)
    before = _previous(previous, uid_prefix(schedule))
    events = []
    for t in unique:
        digest = _digest(t, alarms)
        # An event the record changed (moved, a dose changed, cancelled) has at least its
        # number of changes: a client that has the plan's event (SEQUENCE 0) updates it.
        sequence = t.revision
        if t.uid in before:
            old = before[t.uid]
            old_sequence = _sequence(old)
            same = str(old.get("X-REGIMENS-DIGEST", "")) == digest and (
                str(old.get("STATUS", "")) == "CANCELLED") == t.cancelled
            sequence = max(sequence, old_sequence if same else old_sequence + 1)
        events.append((t, digest, sequence))
    current = {t.uid for t in unique}
    name = clean_text(schedule.regimen.title + (f" - {label}" if label else ""), single_line=True)
    return _write(_Plan(stamp, name, alarms, events,
                        [(uid, old) for uid, old in sorted(before.items()) if uid not in current]))
