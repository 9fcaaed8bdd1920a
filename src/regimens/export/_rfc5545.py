"""Content lines of an iCalendar stream (RFC 5545), written directly.

Each rule cites the section of RFC 5545 it implements. The bytes are those that
icalendar (the reader and the tests' oracle) writes for the same calendar:
tests/export/test_ics_writer.py builds the same calendars with icalendar's object
model and compares them byte for byte. icalendar spends most of an export in its
object model; writing the lines directly is about ten times faster.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["Zones", "content_line", "date_time", "duration", "exact_duration", "fold", "text",
           "text_list"]

# RFC 5545 §3.1: "Lines of text SHOULD NOT be longer than 75 octets, excluding the line
# break." A folded line is followed by CRLF and one space, so every physical line
# stays within 75 octets: the first holds at most 74 octets of the logical line and so
# does every continuation line after its leading space (icalendar's limit).
_FOLD_OCTETS = 74
_CRLF_SPACE = b"\r\n "


def text(value: str) -> str:
    r"""A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped with a
    backslash, and every line break (CRLF, LF or a lone CR) written as ``\n``.

    The backslash goes first, so that the escapes added after it are not escaped
    again. (icalendar also reads a literal ``\N`` as a line break before escaping;
    export texts never hold a backslash, see ``clean_text``.)

    >>> text("a, b; c\\d\r\ne\nf")
    'a\\, b\\; c\\\\d\\ne\\nf'
    """
    if "\\" in value:
        value = value.replace("\\", "\\\\")
    if ";" in value:
        value = value.replace(";", "\\;")
    if "," in value:
        value = value.replace(",", "\\,")
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" in value:
        value = value.replace("\n", "\\n")
    return value


def text_list(values: list[str] | tuple[str, ...]) -> str:
    """A multi-valued TEXT property such as CATEGORIES (RFC 5545 §3.8.1.2): each value
    escaped (§3.3.11), joined by commas (§3.1.1)."""
    return ",".join(text(v) for v in values)


def date_time(value: date | datetime, utc: bool, tzid: str | None) -> tuple[str, str]:
    """The parameters and value of a DATE (RFC 5545 §3.3.4) or DATE-TIME (§3.3.5).

    A date is ``;VALUE=DATE:YYYYMMDD``. A date and time is local time written
    ``YYYYMMDDTHHMMSS``: with ``Z`` when ``utc`` (form 2, UTC time), with
    ``;TZID=tzid`` (form 3, §3.2.19) when a zone is given, and floating (form 1)
    otherwise. Fractions of a second are not written (§3.3.5 has none).

    >>> date_time(date(2027, 1, 4), False, None)
    (';VALUE=DATE', '20270104')
    >>> date_time(datetime(27, 3, 28, 8, 5), False, "Europe/Paris")
    (';TZID=Europe/Paris', '00270328T080500')
    """
    if not isinstance(value, datetime):
        return ";VALUE=DATE", f"{value.year:04}{value.month:02}{value.day:02}"
    stamp = (f"{value.year:04}{value.month:02}{value.day:02}"
             f"T{value.hour:02}{value.minute:02}{value.second:02}")
    if utc:
        return "", stamp + "Z"
    if tzid is None:
        return "", stamp
    # RFC 5545 §3.2.19 TZID (a param-value, §3.1): an IANA name holds only letters,
    # digits and "/_+-", none of which needs quoting.
    return f";TZID={tzid}", stamp


def duration(td: timedelta) -> str:
    """A DURATION (RFC 5545 §3.3.6) as icalendar writes it: ``[-]P[nD][T[nH][nM][nS]]``,
    a day part for every whole day of the offset, minutes written when hours and
    seconds are, ``P0D`` for none.

    >>> duration(-timedelta(hours=1, minutes=30)), duration(-timedelta(days=2))
    ('-PT1H30M', '-P2D')
    >>> duration(timedelta(days=1, seconds=3601))
    'P1DT1H0M1S'
    """
    sign = ""
    if td.days < 0:
        sign, td = "-", -td
    time_part = ""
    if td.seconds:
        hours, rest = divmod(td.seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        time_part = "T"
        if hours:
            time_part += f"{hours}H"
        if minutes or (hours and seconds):
            time_part += f"{minutes}M"
        if seconds:
            time_part += f"{seconds}S"
    if td.days == 0 and time_part:
        return f"{sign}P{time_part}"
    return f"{sign}P{td.days}D{time_part}"


def exact_duration(td: timedelta, days: int = 0) -> str:
    """A DURATION whose exact part is written in hours, never in days (``-PT25H``,
    ``-P1DT36H30M``). RFC 5545 §3.3.6: a day is nominal (the same local time on
    another day) and an hour is exact; ``days`` nominal days are written first with
    the sign of ``td``.

    >>> exact_duration(-timedelta(hours=25)), exact_duration(-timedelta(hours=36), 1)
    ('-PT25H', '-P1DT36H')
    """
    seconds = int(td.total_seconds())
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    value = f"{sign}P{f'{days}D' if days else ''}T{hours}H"
    if minutes or seconds:
        value += f"{minutes}M"
    if seconds:
        value += f"{seconds}S"
    return value


def fold(line: bytes) -> bytes:
    r"""One content line folded (RFC 5545 §3.1), without its final CRLF.

    Lines longer than 75 octets are split by inserting CRLF and a space. The split
    never falls inside a UTF-8 sequence (§3.1: "Multi-octet characters MUST NOT be
    split"), and, as icalendar does (its issue #1501), never right after a backslash
    or a caret: that character starts the next line instead, so that no reader sees
    half of an escape (§3.3.11 backslash escapes, RFC 6868 caret escapes).

    >>> [len(part) for part in fold(b"X:" + b"a" * 160).split(b"\r\n ")]
    [74, 74, 14]
    >>> [len(part) for part in fold(b"X:" + "é".encode() * 80).split(b"\r\n ")]
    [74, 74, 14]
    >>> [len(part) for part in fold(b"X:" + b"a" * 71 + b"\\n" * 3).split(b"\r\n ")]
    [73, 6]
    """
    size = len(line)
    if size <= _FOLD_OCTETS:
        return line
    parts = []
    start = 0
    while size - start > _FOLD_OCTETS:
        end = start + _FOLD_OCTETS
        # Back off to the first octet of a UTF-8 sequence (continuation octets are 10xxxxxx).
        while line[end] & 0xC0 == 0x80:
            end -= 1
        if line[end - 1] in b"\\^" and end - 1 > start:
            end -= 1
        parts.append(line[start:end])
        start = end
    parts.append(line[start:])
    return _CRLF_SPACE.join(parts)


def content_line(name: str, value: str, params: str = "") -> bytes:
    """``NAME;PARAMS:VALUE`` (RFC 5545 §3.1 contentline) in UTF-8 (§3.1.4), folded.

    ``value`` is already in its type's form (escaped TEXT, a DATE-TIME ...);
    ``params`` is empty or starts with ``;``.
    """
    return fold(f"{name}{params}:{value}".encode())


class Zones:
    """DATE-TIME values with their zones, and the VTIMEZONE components they need."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.zoned: list[datetime] = []

    def line(self, name: str, value: date | datetime) -> bytes:
        """``name`` with a date, or a date and time in an IANA zone (RFC 5545 §3.3.4-5)."""
        if not isinstance(value, datetime):
            return content_line(name, *reversed(date_time(value, False, None)))
        assert isinstance(value.tzinfo, ZoneInfo)
        self.zoned.append(value)
        tzid = _tzid(value.tzinfo.key)
        if tzid != "UTC":
            self.used.add(tzid)
        return content_line(name, *reversed(date_time(value, tzid == "UTC",
                                                                        tzid)))

    def previous_line(self, name: str, value: Any) -> bytes:
        """A DTSTART or DTEND read from the previous export, written as icalendar writes it
        (a date, a date and time, or another value type that file held)."""
        from icalendar import vDDDTypes

        if isinstance(value, datetime) and isinstance(value.tzinfo, ZoneInfo):
            self.zoned.append(value)
        prop = vDDDTypes(value)
        tzid = prop.params.get("TZID")
        if tzid is not None and tzid != "UTC":
            self.used.add(tzid)
        params = prop.params.to_ical().decode()
        return content_line(name, prop.to_ical().decode(), f";{params}" if params else "")

    def timezones(self) -> list[bytes]:
        """The VTIMEZONE components, ordered by TZID, as content lines."""
        if not self.zoned or not self.used:
            return []
        first, last = min(self.zoned), max(self.zoned)
        # The rules a year around the events, and never closer than 70 days to the ends
        # of the calendar (years 1 and 9999): icalendar searches for transitions in steps
        # of up to 64 days and would step past them.
        year, margin = timedelta(days=366), timedelta(days=70)
        first_date = max(first.date(), date.min + margin + year) - year
        last_date = min(last.date(), date.max - margin - year) + year
        found = (_vtimezone(tzid, first_date, last_date) for tzid in sorted(self.used))
        return [component for component in found if component]


@functools.lru_cache(maxsize=256)
def _tzid(key: str) -> str:
    """The TZID icalendar writes for an IANA zone: "UTC" (written with Z, RFC 5545
    §3.3.5 form 2) for the zones it holds equal to UTC, the zone's name otherwise."""
    from icalendar.timezone import tzid_from_tzinfo

    return tzid_from_tzinfo(ZoneInfo(key)) or key


@functools.lru_cache(maxsize=64)
def _vtimezone(tzid: str, first: date, last: date) -> bytes:
    """The VTIMEZONE of ``tzid`` (RFC 5545 §3.6.5) from ``first`` to ``last``, as built
    by icalendar from the zone's rules (b"" for a zone icalendar does not know)."""
    from icalendar import Timezone

    class _EveryDay(Timezone):
        # icalendar searches for the next change of offset in steps of 64, 32, ... days,
        # so an offset that changes and changes back within 64 days is missed (Morocco's
        # +00 for Ramadan, about 30 days: Africa/Casablanca, Africa/El_Aaiun). Steps of
        # at most one day find every change that lasts a day or more; the components
        # written are the same as icalendar's wherever it found every change.
        _from_tzinfo_skip_search = (timedelta(days=1), *(  # type: ignore[assignment]
            step for step in Timezone._from_tzinfo_skip_search if step < timedelta(days=1)))

    try:
        component = _EveryDay.from_tzid(tzid, first_date=first, last_date=last)
    except ValueError:
        return b""
    # RFC 5545 §3.6.5 allows COMMENT only inside STANDARD/DAYLIGHT.
    component.pop("COMMENT", None)
    for observance in component.subcomponents:
        _onsets_before_the_change(observance)
    data: bytes = component.to_ical()
    return data.removesuffix(b"\r\n")


def _onsets_before_the_change(observance: Any) -> None:
    """Write an observance's onsets (DTSTART, RDATE) in the local time in force before
    the change, as RFC 5545 requires.

    §3.8.2.4: DTSTART gives "the effective onset date and local time" of the observance,
    and §3.8.3.3: TZOFFSETFROM is "the offset that is in use prior to this time zone
    observance", "used to calculate the absolute time at which the transition to a
    given observance takes place": onset in UTC = DTSTART - TZOFFSETFROM. The RFC's
    America/New_York example has DAYLIGHT ``DTSTART:19870405T020000`` with
    ``TZOFFSETFROM:-0500`` (02:00 EST, the clocks going to 03:00 EDT) and STANDARD
    ``DTSTART:19671029T020000`` with ``TZOFFSETFROM:-0400``.

    icalendar writes instead the first wall time (fold=0) that has the new offset. When
    the clocks go back that is the right one (the repeated hour is read with the old
    offset, so its end, 03:00 in Paris, is the onset in the old offset's time); when
    they go forward it is the end of the skipped hour, the new offset's time (Paris
    03:00 instead of 02:00), which puts the onset one hour late (the size of the jump)
    for a reader that applies TZOFFSETFROM. So a forward change is moved back by its
    size; the first observance (the offset at the start of the range, TZOFFSETFROM
    equal to TZOFFSETTO) is no change and stays. tests/export/test_vtimezone.py checks
    every onset against zoneinfo's transitions.
    """
    before = observance["TZOFFSETFROM"].td
    after = observance["TZOFFSETTO"].td
    if after <= before:
        return
    jump = after - before
    observance.DTSTART = observance.DTSTART - jump
    rdates = observance.pop("RDATE", None)
    if rdates is not None:
        # from_tzinfo adds every further onset as one RDATE property (a list of values).
        observance.add("RDATE", [value.dt - jump for value in rdates.dts])
