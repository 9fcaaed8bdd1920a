"""iCalendar (RFC 5545) export of a schedule.

One VEVENT per administration and per visit, never an RRULE, so that every
client shows exactly the same dates. Output is byte-identical for identical
input: UIDs are derived from the schedule, DTSTAMP is passed by the caller,
and nothing random or clock-based is added (icalendar's ``Calendar.new`` and
``Event.new`` would add a random UID and the current time, so they are not
used). The lines are written directly (``_rfc5545``); icalendar builds VTIMEZONE
components and reads a previous export.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .._version import __version__
from ..engine import Administration, AdministrationStatus, Schedule, VisitOccurrence
from ..errors import ExpandOptionError
from ..model import Regimen
from ..quantities import Elapsed, StudyDay, printable
from . import _rfc5545 as rfc5545
from ._delivery import delivery_text, shown_delivery

__all__ = ["Reminder", "to_ics", "uid_prefix"]

PRODID = f"-//regimens//regimens {__version__}//EN"
#: Every UID ends with this, so the events this tool made can be told apart.
UID_DOMAIN = "@regimens"
#: Display length of a timed administration (the protocol rarely states one).
TIMED_EVENT_MINUTES = 15

_REMINDER = re.compile(r"\s*(?:(?P<d>[0-9]+)\s*d)?\s*(?:(?P<h>[0-9]+)\s*h)?\s*"
                       r"(?:(?P<m>[0-9]+)\s*m(?:in)?)?\s*\Z")
_DAY_BEFORE = re.compile(r"\s*(?P<hh>[01][0-9]|2[0-3]):(?P<mm>[0-5][0-9])-day-before\s*\Z")


@dataclass(frozen=True)
class Reminder:
    """A VALARM (:rfc:`5545#section-3.6.6`): a fixed time before the event (``1h``,
    ``30m``, ``1d``, at most 366 days) or a wall time on the day before
    (``09:00-day-before``). Set exactly one of the two fields; build from text with
    :meth:`parse`.

    ``before`` is the whole offset; ``days`` is the part of it written in days.
    RFC 5545 §3.3.6: days are nominal (``2d`` rings at the same local time two
    days before, even across a daylight-saving change) and hours and minutes are
    exact (``24h`` rings 24 real hours before: 07:00 or 09:00 the day before an
    08:00 dose when the clocks change overnight): ``24h`` is written ``-PT24H``,
    never ``-P1D``.
    """

    before: timedelta | None = None
    day_before_at: time | None = None
    days: int = 0

    @classmethod
    def parse(cls, text: str) -> Reminder:
        """Read ``1h``, ``30m``, ``2d``, ``1h30m`` (up to a year) or ``HH:MM-day-before``.

        Raises:
            ExpandOptionError: anything else (field ``remind``), with what is allowed.

        >>> Reminder.parse("1h30m").before
        datetime.timedelta(seconds=5400)
        >>> Reminder.parse("09:00-day-before").day_before_at
        datetime.time(9, 0)
        """
        match = _DAY_BEFORE.match(text)
        if match:
            return cls(day_before_at=time(int(match["hh"]), int(match["mm"])))
        match = _REMINDER.match(text)
        if match and any(match.group(k) for k in "dhm"):
            try:
                before = timedelta(days=int(match["d"] or 0), hours=int(match["h"] or 0),
                                   minutes=int(match["m"] or 0))
            except OverflowError:
                before = timedelta(days=10**6)
            # A reminder more than a year ahead is a typing mistake.
            if timedelta(0) < before <= timedelta(days=366):
                return cls(before=before, days=int(match["d"] or 0))
        raise ExpandOptionError("remind", "write a time before the event, up to a year (1h, "
                                "30m, 2d, 1h30m), or HH:MM-day-before (09:00-day-before)", text)

    def trigger(self, start: date | datetime) -> timedelta:
        """The (negative) offset from the event's start.

        ``start`` is the event's DTSTART: a date (all-day event, floating midnight)
        or an aware datetime. For ``HH:MM-day-before`` on a timed event the offset
        is the exact elapsed time between the two instants, so a daylight-saving
        change overnight does not move the reminder off HH:MM local time.

        >>> from zoneinfo import ZoneInfo
        >>> r = Reminder.parse("09:00-day-before")
        >>> r.trigger(date(2027, 3, 14))
        datetime.timedelta(days=-1, seconds=32400)
        >>> r.trigger(datetime(2027, 3, 14, 8, tzinfo=ZoneInfo("America/New_York")))
        datetime.timedelta(days=-1, seconds=7200)
        """
        if self.before is not None:
            return -self.before
        assert self.day_before_at is not None
        if not isinstance(start, datetime):
            # Floating midnight: the clock time of the reminder is all that can be said.
            at = timedelta(hours=self.day_before_at.hour, minutes=self.day_before_at.minute)
            return -(timedelta(days=1) - at)
        local = start.replace(tzinfo=None)
        remind = datetime.combine(local.date() - timedelta(days=1), self.day_before_at)
        if start.tzinfo is None:
            return remind - local
        # Aware arithmetic within one zone is wall-clock arithmetic: take the offsets off
        # by hand. (Converting to UTC overflows in year 1 east of Greenwich.)
        remind_offset = remind.replace(tzinfo=start.tzinfo).utcoffset()
        start_offset = start.utcoffset()
        assert remind_offset is not None
        assert start_offset is not None
        return (remind - local) - (remind_offset - start_offset)


def _trigger_value(reminder: Reminder, start: date | datetime) -> str:
    """The TRIGGER of ``reminder`` as written: nominal days only where days were written.

    RFC 5545 §3.3.6: days are nominal and hours are exact; an offset computed as
    exact elapsed time is written without a day part ("-PT25H", not "-P1DT1H").

    >>> _trigger_value(Reminder.parse("24h"), date(2027, 3, 14))
    '-PT24H'
    >>> _trigger_value(Reminder.parse("1d"), date(2027, 3, 14))
    '-P1D'
    >>> _trigger_value(Reminder.parse("1d36h30m"), date(2027, 3, 14))
    '-P1DT36H30M'
    """
    trigger = reminder.trigger(start)
    if reminder.day_before_at is not None:
        # An exact elapsed time is written in hours: "P1D" would be a nominal day.
        return rfc5545.exact_duration(trigger)
    exact = -trigger - timedelta(days=reminder.days)
    if exact < timedelta(days=1):
        # Written as given: "-P2D", "-PT1H30M", "-P1DT12H" (a day part only for days).
        return rfc5545.duration(trigger)
    return rfc5545.exact_duration(-exact, days=reminder.days)


# RFC 5545 §3.3.11: TEXT may hold any character but CONTROL (except HTAB);
# line breaks are escaped by the library. Backslashes are replaced, because
# icalendar reads a literal "\N" back as a line break. C1 controls go too:
# U+0085 (NEL) is a line break for str.splitlines() and some readers.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(text: str, *, single_line: bool = False) -> str:
    r"""Text that is safe in a TEXT property and survives a parse round trip.

    >>> clean_text("a\\Nb\x85c\x00d\u2028e\r\nf", single_line=True)
    'a⧵Nb cd e f'
    >>> clean_text("\ud83d\udc89 \udc89")
    '💉 �'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x85", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = _CONTROL.sub("", text).replace("\\", "\u29f5")
    # YAML "\ud83d\udc89" escapes give surrogate halves: pair them, replace lone ones
    # (UTF-8 cannot encode a surrogate at all).
    text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if single_line:
        text = " ".join(text.split())
    return text


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9-]+", "-", text).strip("-") or "x"


def _participant_key(label: str) -> str:
    """The participant's part of a UID: distinct labels give distinct keys.

    A label that is not already slug-safe gets a hash of the exact label, so
    that "P 017", "P_017" and "P-017" (three participants) never share UIDs.

    >>> _participant_key("P-017"), _participant_key("P 017"), _participant_key("")
    ('P-017', 'P-017-4af10d40f6', 'no_label')
    """
    if not label:
        # "_" never appears in a key made from a label, so no label can take this one.
        return "no_label"
    slug = _slug(label)
    if slug == label:
        return slug
    return f"{slug}-{hashlib.sha256(label.encode('utf-8', 'surrogatepass')).hexdigest()[:10]}"


def uid_prefix(schedule: Schedule) -> str:
    """The start of every UID in this schedule's export (regimen and participant).

    Every UID is ``PREFIX...@regimens``; publishing uses this to find the events
    it created for this participant and nobody else's.
    """
    return f"{_slug(schedule.regimen.id)}.{_participant_key(schedule.participant.label)}."


def _delivery(s: Schedule, a: Administration, blinded: bool) -> tuple[str, Elapsed | None]:
    """How the dose goes in, in words, and how long it lasts (the event's length), as
    :func:`shown_delivery` has it (blinded, only what every arm's course shares)."""
    shown = shown_delivery(s, a, blinded)
    return delivery_text(shown.route, shown.method, shown.duration), shown.duration


def _blinded_name(schedule: Schedule, a: Administration) -> str:
    # Built from the whole regimen, never from this arm, so every arm reads the same.
    regimen = schedule.regimen
    period = regimen.period(a.period)
    placebo = any(c.placebo for c in period.courses if c.drug == a.drug)
    name = regimen.drug(a.drug).name
    return f"study drug ({name} or placebo)" if placebo else f"study drug ({name})"


@dataclass(frozen=True)
class _EventText:
    uid: str
    summary: str
    description: str
    start: date | datetime
    end: date | datetime
    categories: tuple[str, ...]
    #: Not given and not to be given (missed, held, cancelled, stopped: a record's
    #: replay): written with STATUS:CANCELLED (RFC 5545 §3.8.1.11).
    cancelled: bool = False
    #: The record's changes to the administration: the least SEQUENCE written.
    revision: int = 0


def _every_arm(regimen: Regimen, period_id: str, course: int) -> bool:
    """Whether the course applies to every arm that goes through its period."""
    arms = regimen.period(period_id).courses[course].arms
    if arms is None:
        return True
    return all(a.id in arms for a in regimen.arms
               if any(p.id == period_id for p in regimen.path(a.id)))


def _event_order(s: Schedule, blinded: bool | None,
                 texts: list[_EventText]) -> list[_EventText]:
    """The administrations' events in an order that a blinded event cannot betray.

    The schedule lists one day's administrations in the order of their courses in
    the file, and an arm's active course may come before or after another arm's
    placebo course. Blinded events are therefore ordered by what they show (time,
    period, text, UID), never by course; unblinded ones keep the schedule's order.
    Within one day all events are blinded or none (periods do not overlap).
    """
    position = {p.id: i for i, p in enumerate(s.regimen.periods)}
    keys: list[tuple[Any, ...]] = []
    for index, (a, t) in enumerate(zip(s.administrations, texts, strict=True)):
        if not (a.blinded if blinded is None else blinded):
            # The schedule's own order (days in order, then as the schedule lists them).
            keys.append((a.study_day.value, False, (0.0, ""), 0, ("", "", "", index)))
            continue
        moment = (0.0 if a.at is None else a.at.timestamp(),
                  a.time.isoformat() if a.time is not None else "")
        shown = (t.summary, t.description, t.uid, 0)
        keys.append((a.study_day.value, a.time is not None, moment, position[a.period], shown))
    return [t for _, t in sorted(zip(keys, texts, strict=True), key=lambda kt: kt[0])]


def _administration_text(s: Schedule, a: Administration, blinded: bool,
                         label: str) -> _EventText:
    route, duration = _delivery(s, a, blinded)
    where = f"Study Day {a.study_day.value}"
    # Blinded, the cycle is shown only for a course every arm has: arms' matching courses
    # may count cycles differently (a placebo course written without cycles).
    if a.cycle is not None and (not blinded or _every_arm(s.regimen, a.period, a.course)):
        where += f", cycle {a.cycle}" + (f" day {a.cycle_day}" if a.cycle_day else "")
    where += f", {a.period} period"
    if blinded:
        # A dose not given says so blinded too (the status is the same on every arm).
        given = "" if a.status.happens else f" not given ({a.status.value})"
        summary = f"{_blinded_name(s, a)}{given}, {route}"
        lines = [summary, where, "Blinded: the treatment and dose are not shown."]
    else:
        what = "placebo" if a.placebo else a.dose.text
        if a.status.happens:
            summary = f"{a.drug_name} {what}, {route}"
            lines = [summary, where, f"Dose: {a.dose.derivation}"]
        else:
            # A dose not given: the text must not read as a dose given (docs/record.md).
            summary = f"{a.drug_name} not given ({a.status.value}), {route}"
            lines = [summary, where, f"Not given; the dose would have been: {a.dose.derivation}"]
        # Labels and notes reach people (docs/format.md, "Labels and notes"); blinded
        # events say none of them, as a label could name the arm.
        course = s.regimen.period(a.period).courses[a.course]
        if course.label:
            lines.append(f"Course: {course.label}")
        if a.note:
            lines.append(f"Note: {a.note}")
        drug_notes = s.regimen.drug(a.drug).notes
        if drug_notes:
            lines.append(f"Drug notes: {drug_notes}")
    if a.avoid:
        # An instruction, the same for every arm of a matched design: shown even blinded.
        lines.append(f"Do not take {' or '.join(a.avoid)} on this day.")
    # Moves are alike on every arm of a blinded period (its courses share their window
    # rules), so they are shown blinded too.
    lines += _site_lines(s, a.calendar_note)
    if a.status is not AdministrationStatus.PLANNED or a.record_note:
        # What the record did (an event it did not touch keeps its text, so its digest:
        # no client is sent an update for it). The note names doses given: not blinded.
        lines.append(f"Status: {a.status.value}")
        if a.record_note and not blinded:
            lines.append(f"Record: {a.record_note}")
    lines += [f"Regimen: {s.regimen.title}" + (f" ({s.regimen.registry})"
                                               if s.regimen.registry else ""),
              f"Participant: {label}" if label else "Participant: (no label)",
              "For verification by a qualified professional."]
    moment = f".{a.time:%H%M}" if a.time is not None else ""
    # Never the arm: a participant is on one arm, and a UID must not reveal which.
    # The planned day, not the day given: a new closure that moves an event updates it
    # rather than cancelling it and creating another.
    planned = a.study_day.value if a.planned_date is None else StudyDay.from_offset(
        (a.planned_date - s.start).days, s.regimen.day_zero).value
    uid = f"{uid_prefix(s)}{_slug(a.drug)}.day{planned}{moment}{UID_DOMAIN}"
    if a.at is not None:
        start: date | datetime = a.at
        # An administration with a duration ends that much elapsed time later (in UTC,
        # so a clock change in between is counted), else after TIMED_EVENT_MINUTES.
        length = duration.delta if duration is not None else timedelta(
            minutes=TIMED_EVENT_MINUTES)
        end: date | datetime = (a.at.astimezone(UTC) + length).astimezone(a.at.tzinfo)
    else:
        # DTEND is exclusive (§3.6.1); a duration spans the days it needs (46 hours: 2).
        days = 1 if duration is None else -(-duration.minutes // 1440)
        start, end = a.date, a.date + timedelta(days=days)
    return _EventText(uid, clean_text(summary, single_line=True), clean_text("\n".join(lines)),
                      start, end, ("dose",), not a.status.happens, a.revision)


def _site_lines(s: Schedule, note: str) -> list[str]:
    """Why the site calendar moved an event (or left it on a closed day), and its policy
    with the ``holidays`` version used; nothing when it did neither."""
    if not note or s.calendar is None:
        return []
    return [f"Site calendar: {note}", f"Closed days: {s.calendar.describe()}"]


def _visit_text(s: Schedule, v: VisitOccurrence, label: str) -> _EventText:
    name = v.label or v.id
    summary = f"Study visit: {name}"
    target, day = v.planned_date or v.date, v.study_day
    if v.planned_date is not None:  # moved by the site calendar: the event is on v.date
        day = StudyDay.from_offset((target - s.start).days, s.regimen.day_zero)
    lines = [summary, f"Target: Study Day {day.value} ({target.isoformat()})"]
    if v.earliest != v.latest:
        lines.append(f"Window: {v.earliest.isoformat()} to {v.latest.isoformat()}")
    lines += _site_lines(s, v.calendar_note)
    lines += [f"Regimen: {s.regimen.title}",
              f"Participant: {label}" if label else "Participant: (no label)"]
    uid = f"{uid_prefix(s)}visit.{_slug(v.id)}{UID_DOMAIN}"
    return _EventText(uid, clean_text(summary, single_line=True), clean_text("\n".join(lines)),
                      v.date, v.date + timedelta(days=1), ("visit",))


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


@dataclass(frozen=True)
class _Plan:
    """What a calendar holds, before it is written (the tests' oracle writes the same
    plan with icalendar's object model)."""

    stamp: datetime  # UTC
    name: str
    alarms: list[Reminder]
    events: list[tuple[_EventText, str, int]]  # with digest and SEQUENCE
    cancelled: list[tuple[str, Any]]  # UID and the previous export's event


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
    for uid, old in plan.cancelled:
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
                  b"SEQUENCE:%d" % (_sequence(old) + (0 if already else 1)),
                  b"STATUS:CANCELLED", b"END:VEVENT"]
    # RFC 5545 §3.2.19: every TZID used (cancelled events included) has its VTIMEZONE,
    # placed before the events. RFC 5545 §3.1: every content line ends with CRLF.
    return b"\r\n".join(head + zones.timezones() + lines + [b"END:VCALENDAR", b""])
