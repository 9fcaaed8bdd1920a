"""The DTSTAMP of an iCalendar export: ``--stamp``, else ``SOURCE_DATE_EPOCH``, else the clock.

The library never reads a clock (``Schedule.to_ics`` takes ``stamp``); the command
line defaults it as the reproducible-builds convention says
(https://reproducible-builds.org/specs/source-date-epoch/).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from ..errors import ExpandOptionError

__all__ = ["SOURCE_DATE_EPOCH", "parse_stamp"]


SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
#: 9999-12-31T23:59:59Z, the last second a DTSTAMP can hold.
_LAST_EPOCH_SECOND = 253402300799


def parse_stamp(text: str | None, environ: Mapping[str, str] | None = None,
                now: Callable[[], datetime] | None = None) -> datetime:
    """The creation time written as DTSTAMP, an aware datetime in UTC.

    ``text`` (``--stamp``: ``2027-01-01T09:00:00Z`` or with a UTC offset) wins; without
    it, ``SOURCE_DATE_EPOCH`` from ``environ`` (default ``os.environ``) when set, so that
    builds are reproducible; otherwise ``now()`` (default: the clock, to the second).
    The library never reads the clock: ``Schedule.to_ics`` takes its stamp explicitly.

    Raises ExpandOptionError (option ``stamp`` or ``SOURCE_DATE_EPOCH``) for a time
    without an offset, one that is not a date and time, or one outside the years 1 to
    9999 in UTC.
    """
    if text is None:
        env = os.environ if environ is None else environ
        epoch = env.get(SOURCE_DATE_EPOCH)
        if epoch is not None:
            # The convention allows only ASCII digits: no sign, no fraction, no spaces.
            if not (epoch.isascii() and epoch.isdigit()) or int(epoch) > _LAST_EPOCH_SECOND:
                raise ExpandOptionError(
                    SOURCE_DATE_EPOCH, "write whole seconds since 1970-01-01T00:00:00Z, "
                    f"from 0 to {_LAST_EPOCH_SECOND} (year 9999), e.g. 1798761600 for "
                    "2027-01-01T00:00:00Z; or unset it, or give --stamp", epoch)
            return datetime.fromtimestamp(int(epoch), UTC)
        return (now or (lambda: datetime.now(UTC)))().astimezone(UTC).replace(microsecond=0)
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise ExpandOptionError("stamp", "write a date and time with Z or an offset, e.g. "
                                "2027-01-01T09:00:00Z", text)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        # 9999-12-31T23:00-01:00 is in the year 10000 in UTC, which no calendar holds.
        raise ExpandOptionError("stamp", "the time falls outside the years 1 to 9999 in UTC",
                                text) from None
