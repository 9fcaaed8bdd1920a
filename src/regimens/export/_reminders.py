"""Reminders of calendar events: a VALARM (:rfc:`5545#section-3.6.6`) a fixed time before
the event or at a wall time on the day before (:class:`Reminder`), and its TRIGGER."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ..errors import ExpandOptionError, ExpandOptionTypeError
from . import _rfc5545 as rfc5545

__all__ = ["Reminder", "reminder_list"]


_REMINDER = re.compile(r"\s*(?:(?P<d>[0-9]+)\s*d)?\s*(?:(?P<h>[0-9]+)\s*h)?\s*"
                       r"(?:(?P<m>[0-9]+)\s*m(?:in)?)?\s*\Z")


_DAY_BEFORE = re.compile(r"\s*(?P<hh>[01][0-9]|2[0-3]):(?P<mm>[0-5][0-9])-day-before\s*\Z")


#: A reminder as text, in the messages refusing another (word for word as they were).
_WRITTEN = ("a time before the event, up to a year (1h, 30m, 2d, 1h30m), or HH:MM-day-before "
            "(09:00-day-before)")


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
            ExpandOptionTypeError: a value that is not text (field ``remind``).

        >>> Reminder.parse("1h30m").before
        datetime.timedelta(seconds=5400)
        >>> Reminder.parse("09:00-day-before").day_before_at
        datetime.time(9, 0)
        """
        if not isinstance(text, str):
            raise ExpandOptionTypeError("remind", f"a reminder's text, {_WRITTEN}", text)
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
        raise ExpandOptionError("remind", f"write {_WRITTEN}", text)

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


def reminder_list(reminders: object) -> list[Reminder]:
    """The ``reminders`` of :meth:`Schedule.to_ics` (and :func:`publish`): a sequence of
    :class:`Reminder` values or their text, each read by :meth:`Reminder.parse`.

    Raises:
        ExpandOptionTypeError: one text rather than a sequence of them (``"1h"``, whose
            characters would each be read as a reminder), a value that is not a sequence,
            or an item that is neither a Reminder nor text (field ``reminders``).
        ExpandOptionError: a text that is not a reminder (field ``remind``).
    """
    if isinstance(reminders, (str, bytes)):
        raise ExpandOptionTypeError("reminders", "a list of reminders, not one text: write "
                                    f"[{reminders!r}]", reminders)
    if not isinstance(reminders, Iterable) or isinstance(reminders, Set | Mapping):
        # (A set has no order to keep; a mapping's keys are not what it maps.)
        raise ExpandOptionTypeError("reminders", "a list of reminders, each a Reminder or its "
                                    f"text: {_WRITTEN}; () for none", reminders)
    out: list[Reminder] = []
    for item in reminders:
        if isinstance(item, Reminder):
            out.append(item)
        elif isinstance(item, str):
            out.append(Reminder.parse(item))
        else:
            hint = (" (a timedelta before the event: Reminder(before=...))"
                    if isinstance(item, timedelta) else "")
            raise ExpandOptionTypeError("reminders", "each reminder is a Reminder or its "
                                        f"text: {_WRITTEN}{hint}", item)
    return out
