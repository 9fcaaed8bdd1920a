"""What each iCalendar event of a schedule says: its UID (derived from the schedule, never
the arm), summary, description, times and categories, blinded or not, in an order a blinded
event cannot betray; and text made safe for a TEXT property (:func:`clean_text`)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..engine import Administration, AdministrationStatus, Schedule, VisitOccurrence
from ..model import Regimen
from ..quantities import Elapsed, StudyDay
from ._delivery import delivery_text, shown_delivery

__all__ = ["UID_DOMAIN", "clean_text", "uid_prefix"]


#: Every UID ends with this, so the events this tool made can be told apart.
UID_DOMAIN = "@regimens"


#: Display length of a timed administration (the protocol rarely states one).
TIMED_EVENT_MINUTES = 15


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
    #: The description as its revisions are counted (the digest), when it differs:
    #: without the record's notes that revise nothing (``Administration.revising_note``).
    fingerprint: str | None = None


def _every_arm(regimen: Regimen, period_id: str, course: int) -> bool:
    """Whether the course applies to every arm that goes through its period."""
    arms = regimen.period(period_id).courses[course].arms
    if arms is None:
        return True
    return all(a.id in arms for a in regimen.arms
               if any(p.id == period_id for p in regimen.path(a.id)))


def _event_order(s: Schedule, blinded: bool | None,
                 texts: list[_EventText]) -> list[tuple[Administration, _EventText]]:
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
    order = sorted(range(len(texts)), key=keys.__getitem__)
    return [(s.administrations[i], texts[i]) for i in order]


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
    tail = [f"Regimen: {s.regimen.title}" + (f" ({s.regimen.registry})"
                                             if s.regimen.registry else ""),
            f"Participant: {label}" if label else "Participant: (no label)",
            "For verification by a qualified professional."]
    # A note that revises nothing (what a dose was computed from, added once the record
    # has a measurement) is shown but left out of what the revisions are counted on: a
    # dose given before a measurement is not revised by it (docs/ics.md, "SEQUENCE").
    fingerprint = (None if a.revising_note is None else clean_text("\n".join(
        lines + _record_lines(a, a.revising_note, blinded) + tail)))
    lines += _record_lines(a, a.record_note, blinded) + tail
    uid = _base_uid(s, a)
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
                      start, end, ("dose",), not a.status.happens, fingerprint)


def _record_lines(a: Administration, note: str, blinded: bool) -> list[str]:
    """What the record did, with ``note`` as its note (an event it did not touch keeps
    its text, so its digest: no client is sent an update for it). The note names doses
    given: not blinded. Blinded, a dose still planned says nothing: its note is hidden,
    and whether it has one depends on the arm (a weight measured revises the active per-kg
    dose, not its placebo's), so a "Status: planned" line, and the SEQUENCE it raises,
    would tell the arms apart."""
    if a.status is AdministrationStatus.PLANNED and (blinded or not note):
        return []
    return [f"Status: {a.status.value}"] + ([f"Record: {note}"] if note and not blinded else [])


def _base_uid(s: Schedule, a: Administration) -> str:
    """The UID an administration's event has before two that share one are told apart.

    Never the arm: a participant is on one arm, and a UID must not reveal which. Made
    from the planned administration (``a.plan`` when a record was replayed): its drug,
    its Study Day as the regimen plans it and its planned time, never what the record
    says (the day or time given, a delay, a move, an amount), so that its event keeps
    its UID and a client updates it instead of adding another; the regimen's day, not
    the site calendar's, so that a new closure updates an event too.
    """
    p = a.plan or a
    moment = f".{p.time:%H%M}" if p.time is not None else ""
    planned = p.study_day.value if p.planned_date is None else StudyDay.from_offset(
        (p.planned_date - s.start).days, s.regimen.day_zero).value
    return f"{uid_prefix(s)}{_slug(p.drug)}.day{planned}{moment}{UID_DOMAIN}"


def _numbered(uid: str, n: int) -> str:
    """The ``n``-th event (from 1) of those that share ``uid``: ``.2``, ``.3``... before
    the ``@`` from the second on."""
    if n == 1:
        return uid
    base, _, host = uid.partition("@")
    return f"{base}.{n}@{host}"


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
