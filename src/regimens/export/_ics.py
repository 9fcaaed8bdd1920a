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
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from .. import record
from ..engine import Administration, Schedule, VisitOccurrence
from ..errors import (
    ExpandOptionError,
    ExpandOptionTypeError,
    InvalidRecordError,
    Problem,
    RegimenError,
)
from ._arguments import blindable, blinded_record
from ._ics_text import (
    UID_DOMAIN,
    _administration_text,
    _event_order,
    _EventText,
    _numbered,
    _visit_text,
    clean_text,
    uid_prefix,
)
from ._ics_write import _Plan, _sequence, _write
from ._reminders import Reminder, reminder_list

__all__ = ["to_ics"]


def _digest(text: _EventText, reminders: Sequence[Reminder]) -> str:
    # Everything a client shows or acts on: texts, times with their zone, and when each
    # reminder fires (a new zone can move a day-before reminder without moving the dose).
    zone = getattr(getattr(text.start, "tzinfo", None), "key", "")
    # The description as revisions are counted: without notes that revise nothing.
    described = text.description if text.fingerprint is None else text.fingerprint
    parts = [text.summary, described, str(text.start), str(text.end), zone,
             *(str(r.trigger(text.start)) for r in reminders),
             *(["CANCELLED"] if text.cancelled else [])]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


#: What ``previous`` is, in the messages refusing another value.
_EARLIER = "the bytes (or text) of the .ics file exported last time, as to_ics returned them"


def _previous(previous: bytes | str | None, prefix: str) -> dict[str, Any]:
    """The events of the previous export that this tool made for this participant."""
    if previous is None:
        return {}
    if not isinstance(previous, (bytes, str)):
        raise ExpandOptionTypeError("previous", f"{_EARLIER}; to give the file, read it: "
                                    "Path(...).read_bytes()", previous)
    from icalendar import Calendar

    if not previous.strip():
        raise ExpandOptionError("previous", "not an iCalendar file: the file is empty; give "
                                "the .ics file exported last time")
    try:
        calendar = Calendar.from_ical(previous)
    except ValueError:
        # The parser's own words ("Content line could not be parsed into parts") say
        # nothing of the argument: what was given is shown instead (its start: a message
        # cuts a value at 80 characters), and what is allowed.
        raise ExpandOptionError("previous", f"not an iCalendar file: give {_EARLIER}",
                                previous) from None
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
    blinded = blindable(schedule, blinded)
    blinded_record(schedule, blinded)
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
    alarms = reminder_list(reminders)
    if any(a.time is not None and a.at is None for a in schedule.administrations):
        raise ExpandOptionError("tz", "timed administrations need a time zone in a calendar "
                                "(e.g. --tz Europe/Paris)")
    dated: list[Administration | VisitOccurrence] = [*schedule.administrations,
                                                      *schedule.visits]
    ends = [e for e in dated if e.date == date.max]
    if ends:
        # Every event ends after it starts (DTEND is exclusive, RFC 5545 section 3.6.1),
        # and no date follows 9999-12-31.
        raise _placed_by(schedule, "an iCalendar event cannot fall on 9999-12-31, the last "
                         "day of the calendar: it would end on the day after (DTEND is "
                         "exclusive, RFC 5545 section 3.6.1)", ends[0])
    if any(r.day_before_at is not None for r in alarms) and any(
            e.date == date.min for e in dated):
        raise ExpandOptionError("remind", "a reminder the day before an event on 0001-01-01, "
                                "the first day of the calendar, cannot be written")
    label = clean_text(schedule.participant.label, single_line=True)
    ordered = _texts(schedule, blinded, label)
    texts = [t for _, t in ordered] + [_visit_text(schedule, v, label) for v in schedule.visits]
    unique = _unique(schedule, blinded, label, ordered, texts)
    before = _previous(previous, uid_prefix(schedule))
    revisions, last = _revisions(schedule, blinded, label, alarms)
    events = []
    for t in unique:
        digest = _digest(t, alarms)
        # An event the record changed (moved, a dose changed, cancelled) has at least the
        # number of times the record, as it grew, changed it: a client that has any
        # earlier export of it updates it, and none is ever sent a lower SEQUENCE.
        sequence = revisions.get(t.uid, 0)
        if t.uid in before:
            old = before[t.uid]
            old_sequence = _sequence(old)
            same = str(old.get("X-REGIMENS-DIGEST", "")) == digest and (
                str(old.get("STATUS", "")) == "CANCELLED") == t.cancelled
            sequence = max(sequence, old_sequence if same else old_sequence + 1)
        events.append((t, digest, sequence))
    current = {t.uid for t in unique}
    name = clean_text(schedule.regimen.title + (f" - {label}" if label else ""), single_line=True)
    # An event that was in the schedule at some step of the record's history and is gone
    # (a make-up whose missed row was voided) is sent cancelled, as a previous export's
    # would be, with the count of its changes (its leaving one of them): a client that
    # imported it then removes it, with or without --previous.
    gone = [(last[uid], revisions[uid]) for uid in sorted(last.keys() - current - before.keys())]
    return _write(_Plan(stamp, name, alarms, events,
                        [(uid, old, revisions.get(uid, 0))
                         for uid, old in sorted(before.items()) if uid not in current], gone))


#: What makes an administration's event text (:func:`_administration_text`, or a memo of it).
_TextMaker = Callable[[Schedule, Administration, bool, str], _EventText]


def _texts(s: Schedule, blinded: bool | None, label: str,
           make: _TextMaker = _administration_text) -> list[tuple[Administration, _EventText]]:
    """Each administration with its event's text, in the events' order."""
    texts = []
    for a in s.administrations:
        try:
            texts.append(make(s, a, a.blinded if blinded is None else blinded, label))
        except OverflowError:  # an administration's duration runs past 9999-12-31
            raise _placed_by(s, "an iCalendar event would end after 9999-12-31, the last "
                             "day of the calendar (an administration's duration runs past "
                             "it)", a) from None
    return _event_order(s, blinded, texts)


def _placed_by(s: Schedule, reason: str, event: Administration | VisitOccurrence,
               ) -> RegimenError:
    """An error about an ``event`` at the end of the calendar, naming what placed it
    there: the record's row when the record did (a ``move`` or ``given`` row on its
    date: that row's file, line and date; another row, a delay: the record's file), else
    the option that placed Study Day 1 and its date as given: ``anchor`` when the
    participant was placed by one (the user never typed a start then), else ``start``."""
    replayed = s.replayed
    if replayed is not None and _placed_by_record(event):
        rows = [r for r in replayed.record.effective() if r.date == event.date
                and r.drug in (None, getattr(event, "drug", None))
                and r.event in (record.EventKind.MOVE, record.EventKind.GIVEN)]
        if rows:
            return InvalidRecordError([Problem(rows[0].source, rows[0].line, ("date",), reason,
                                               event.date.isoformat(),
                                               code="record-outside-calendar")])
        return InvalidRecordError([Problem(
            replayed.source, None, (), f"the record's rows place an event on "
            f"{event.date.isoformat()}: {reason}", code="record-outside-calendar")])
    if s.anchor is not None:
        return ExpandOptionError("anchor", reason, s.anchor.isoformat())
    return ExpandOptionError("start", reason, s.start.isoformat())


def _placed_by_record(event: Administration | VisitOccurrence) -> bool:
    """Whether a replayed record, not the plan, put ``event`` on its date: a dose the
    record gives of its own, or one it moved from the plan's date; a visit moved from the
    plan's (with the dose it follows)."""
    if isinstance(event, Administration):
        return event.plan is None or event.plan.date != event.date
    return event.planned_date is not None and event.planned_date != event.date


def _numbered_in_order(texts: list[_EventText]) -> list[_EventText]:
    """Two events on the same UID (two courses of one drug, same day and time) told apart
    by ``.2``, ``.3``... in the events' order."""
    seen: dict[str, int] = {}
    unique = []
    for t in texts:
        n = seen.get(t.uid, 0) + 1
        seen[t.uid] = n
        unique.append(t if n == 1 else dataclasses.replace(t, uid=_numbered(t.uid, n)))
    return unique


def _unique(s: Schedule, blinded: bool | None, label: str,
            ordered: list[tuple[Administration, _EventText]],
            texts: list[_EventText], make: _TextMaker = _administration_text,
            ) -> list[_EventText]:
    """The events with their final UIDs (administrations' events first, then visits').

    Without a record, events that share a UID are numbered in the events' order. Replayed
    over a record, every planned administration's event has the UID the plan's export
    gives it (its ``.2`` among the plan's events, whatever order the record's dates and
    texts put the events in now), and the record's own events (a make-up dose, a dose
    that fulfils no planned administration) take their UID, or the first ``.2``, ``.3``...
    that no other event has, in the events' order.
    """
    if s.replayed is None or len({t.uid for t in texts}) == len(texts):
        # No record, or no two events share a UID (then neither did the plan's).
        return _numbered_in_order(texts)
    plan = _texts(s.replayed.planned, blinded, label, make)
    # Each planned administration's UID in the plan's export (a replayed one names its own
    # planned administration: equal to it, as no two planned administrations are).
    by_plan: dict[Administration, str] = {
        a: t.uid for (a, _), t in zip(plan, _numbered_in_order([t for _, t in plan]),
                                      strict=True)}
    taken = {t.uid for t in texts[len(ordered):]}  # the visits' UIDs
    final: list[_EventText | None] = []
    extras: list[int] = []
    for index, (a, t) in enumerate(ordered):
        uid = by_plan.pop(a.plan, None) if a.plan is not None else None
        if uid is None:
            extras.append(index)  # a make-up dose, or one that fulfils no planned one
            final.append(None)
            continue
        taken.add(uid)
        final.append(dataclasses.replace(t, uid=uid))
    for index in extras:
        t = ordered[index][1]
        n = 1
        while _numbered(t.uid, n) in taken:
            n += 1
        taken.add(_numbered(t.uid, n))
        final[index] = dataclasses.replace(t, uid=_numbered(t.uid, n))
    done = [t for t in final if t is not None]
    return done + _numbered_in_order(texts[len(ordered):])


def _events(s: Schedule, blinded: bool | None, label: str,
            alarms: Sequence[Reminder],
            make: _TextMaker = _administration_text,
            ) -> dict[str, tuple[str, _EventText]]:
    """Each event's UID, digest and text (administrations and visits); ``make``: what makes an
    administration's text (a :class:`_TextMemo` over a record's history)."""
    ordered = _texts(s, blinded, label, make)
    texts = [t for _, t in ordered] + [_visit_text(s, v, label) for v in s.visits]
    return {t.uid: (_digest(t, alarms), t)
            for t in _unique(s, blinded, label, ordered, texts, make)}


class _TextMemo:
    """:func:`_administration_text` for the schedules of one record's history, each text
    made once: the same administration (equal in every field) on a schedule with the same
    regimen, start, participant and site calendar (the same objects, as every schedule of
    a history has) has the same text, which reads nothing else of either.

    Looked up by its planned administration (``a.plan``: the plan's own object in every
    replay, held here through ``a``, so its id is never another's), then by equality:
    a hash of an administration would hash its plan and dose again at every step, and
    equality finds them the same objects at once. An aware ``at`` is compared with its
    zone and fold too: equal instants compare equal in any zone, and the same wall time
    twice in one zone (a clock put back) compares equal whatever its fold, but neither
    writes the same text.
    """

    def __init__(self, s: Schedule) -> None:
        self.fixed = (s.regimen, s.start, s.participant, s.calendar)
        self.made: dict[tuple[object, ...], list[tuple[Administration, _EventText]]] = {}

    def __call__(self, s: Schedule, a: Administration, blinded: bool,
                 label: str) -> _EventText:
        if not all(x is y for x, y in zip(
                self.fixed, (s.regimen, s.start, s.participant, s.calendar), strict=True)):
            return _administration_text(s, a, blinded, label)
        at = a.at
        key = (id(a.plan), blinded, label, None if at is None else (id(at.tzinfo), at.fold))
        versions = self.made.setdefault(key, [])
        for seen, text in versions:
            if (seen.plan is a.plan and seen == a and (at is None or (
                    seen.at is not None and seen.at.tzinfo is at.tzinfo))):
                return text
        text = _administration_text(s, a, blinded, label)
        versions.append((a, text))
        return text


def _revisions(s: Schedule, blinded: bool | None, label: str,
               alarms: Sequence[Reminder]) -> tuple[dict[str, int], dict[str, _EventText]]:
    """How many times each event changed as the participant's record grew (its UID to a
    count), and each event's text when it was last in the schedule (both empty without a
    record).

    The record is only ever appended to: the schedule is made again from the plan and
    each longer part of the record in turn (:func:`regimens.record.history`), and each
    step that changes an event that was there before (its digest: text, start, end, time
    zone, status; or its leaving or coming back) counts one. Appending a row therefore
    never lowers a count, and raises only the counts of the events it changes: voiding
    a delay moves its events back with a higher SEQUENCE, never the one they had.
    """
    if s.replayed is None:
        return {}, {}
    wanted = sorted({c.drug for c in s.courses})
    state: dict[str, str | None] = {}
    counts: dict[str, int] = {}
    memo = _TextMemo(s)
    last: dict[str, _EventText] = {}
    # record.history loads the replay (imported on first use): only with a record.
    for step in record.history(s, summaries=False):
        if {c.drug for c in step.courses} != set(wanted):
            step = step.only(wanted)  # the drugs this export shows (--drug)
        now = _events(step, blinded, label, alarms, memo)
        for uid in state.keys() | now.keys():
            digest, text = now.get(uid, (None, None))
            if uid in state and state[uid] != digest:
                counts[uid] = counts.get(uid, 0) + 1
            state[uid] = digest
            if text is not None:
                last[uid] = text
    return counts, last
