"""A site's own closures from a file (``--closed-dates FILE``): a list of dates, or an .ics.

A list: one date per line, ``YYYY-MM-DD``, optionally followed by the reason
(``2027-08-09 annual audit``); blank lines and lines starting with ``#`` are
skipped. An iCalendar file (:rfc:`5545`, recognised by its ``BEGIN:VCALENDAR``
first line): every VEVENT is a closure of whole days, DTSTART a date
(``VALUE=DATE``) and DTEND the day after the last one (exclusive,
:rfc:`5545#section-3.6.1`; without DTEND or DURATION, one day), SUMMARY its reason.
Every problem names the file and line: ``FILE:LINE: what is wrong (got VALUE)``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from ..errors import ExpandOptionError
from ..model import Closure

__all__ = ["MAX_CLOSURE_DAYS", "closures_from_text", "read_closed_dates"]

#: The longest a closure file may be (bytes): thousands of years of dates fit in it.
_MAX_BYTES = 4 * 1024 * 1024
#: The longest one closure may last: a longer one is a typing mistake in a year.
MAX_CLOSURE_DAYS = 366

_LINE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[ \t]+(.*?))?[ \t]*")


def _refuse(name: str, line: int | None, reason: str, value: object = None) -> ExpandOptionError:
    where = name if line is None else f"{name}:{line}"
    return ExpandOptionError("closed_dates", f"{where}: {reason}", value)


def read_closed_dates(path: str) -> tuple[Closure, ...]:
    """The closures listed in the file at ``path`` (a list of dates, or an .ics).

    Raises:
        ExpandOptionError: (``closed_dates``) a line that is not a date, a date that
            does not exist, an event that is not whole days, a file over 4 MiB or
            holding NUL bytes, not UTF-8, or with no closure at all.
        OSError: the file cannot be read.
    """
    with open(path, "rb") as handle:
        data = handle.read(_MAX_BYTES + 1)
    if len(data) > _MAX_BYTES:
        raise _refuse(path, None, f"longer than {_MAX_BYTES:,} bytes; a closure file lists "
                      "dates, one a line")
    return closures_from_text(data, path)


def closures_from_text(data: bytes, name: str) -> tuple[Closure, ...]:
    """The closures in ``data`` (the bytes of a closure file); ``name`` is for messages."""
    if b"\0" in data:
        raise _refuse(name, None, "not a list of dates or an iCalendar file: it holds NUL "
                      "bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise _refuse(name, line, "not UTF-8 text") from None
    lines = text.splitlines()
    first = next((t.strip() for t in lines if t.strip()), "")
    found = (_from_ics(text, lines, name) if first.upper() == "BEGIN:VCALENDAR"
             else _from_list(lines, name))
    if not found:
        raise _refuse(name, None, "no closure in the file; list one date a line "
                      "(YYYY-MM-DD, then the reason if you like)")
    return tuple(found)


def _from_list(lines: list[str], name: str) -> list[Closure]:
    found = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            raise _refuse(name, number, "not a date; write one date a line, YYYY-MM-DD, "
                          "optionally followed by the reason", line)
        try:
            day = date.fromisoformat(match.group(1))
        except ValueError:
            raise _refuse(name, number, "no such date", match.group(1)) from None
        found.append(_closure(name, number, day, match.group(2) or ""))
    return found


def _closure(name: str, line: int, day: date, reason: str) -> Closure:
    if any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in reason):
        raise _refuse(name, line, "the reason contains control characters", reason)
    return Closure(day, reason.strip())


def _from_ics(text: str, lines: list[str], name: str) -> list[Closure]:
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(text)
    except ValueError:
        raise _refuse(name, None, "not a readable iCalendar file: every BEGIN needs its END, "
                      "and every line is NAME:VALUE") from None
    starts = [n for n, t in enumerate(lines, start=1) if t.strip().upper() == "BEGIN:VEVENT"]
    found: list[Closure] = []
    for index, event in enumerate(calendar.walk("VEVENT")):
        line = starts[index] if index < len(starts) else None
        first = _date_of(event, "DTSTART", name, line)
        if first is None:
            raise _refuse(name, line, "an event without DTSTART; a closure starts on a date")
        if event.get("RRULE") is not None:
            raise _refuse(name, line, "a repeating event (RRULE) is not read; list each "
                          "closure as its own event")
        end = _date_of(event, "DTEND", name, line)
        duration = event.get("DURATION")
        if end is None and duration is not None:
            try:
                length = duration.dt
            except ValueError:
                raise _refuse(name, line, "DURATION is not a length of days (P1D)") from None
            if not isinstance(length, timedelta) or length.seconds or length.microseconds:
                raise _refuse(name, line, "a closure lasts whole days (DURATION:P1D)",
                              str(duration.to_ical(), "ascii", "replace"))
            end = first + length
        days = 1 if end is None else (end - first).days
        if days < 1:
            raise _refuse(name, line, "DTEND is not after DTSTART", end.isoformat()
                          if end is not None else None)
        if days > MAX_CLOSURE_DAYS:
            raise _refuse(name, line, f"a closure of {days} days; one event may close at most "
                          f"{MAX_CLOSURE_DAYS} days", first.isoformat())
        reason = str(event.get("SUMMARY", "")).strip()
        found += [_closure(name, line or 0, first + timedelta(days=k), reason)
                  for k in range(days)]
    return found


def _date_of(event: Any, key: str, name: str, line: int | None) -> date | None:
    prop = event.get(key)
    if prop is None:
        return None
    try:
        value = prop.dt
    except ValueError:  # icalendar keeps an unreadable value as a "broken" property
        raise _refuse(name, line, f"{key} is not a date; write {key};VALUE=DATE:YYYYMMDD",
                      str(event.get(key).to_ical(), "utf-8", "replace")
                      if hasattr(event.get(key), "to_ical") else None) from None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise _refuse(name, line, f"{key} is a date and time; a closure is whole days "
                      f"({key};VALUE=DATE:YYYYMMDD)", str(value))
    return value
