"""Elapsed time in whole minutes: how long an administration lasts (``46 hours``).

Unlike :class:`~regimens.quantities.Duration` (whole calendar days, for lengths and
cycles), elapsed time is physical time: 46 hours from 22:00 on the night clocks
move back ends at 19:00 local time two days later, not 20:00.

>>> Elapsed.parse("46 hours")
Elapsed(minutes=2760)
>>> str(Elapsed.parse("90 min")), Elapsed.parse("90 min").iso
('90 minutes', 'PT1H30M')
"""

from __future__ import annotations

import re
from datetime import timedelta

from .._records import dataclass
from ..errors import QuantityError, QuantityTypeError, UnitError
from ._days import COMMA_WHOLE, MAX_DAYS

__all__ = ["MAX_MINUTES", "Elapsed"]

#: The longest elapsed time (100 years, in minutes), as for durations.
MAX_MINUTES = MAX_DAYS * 1440
_ELAPSED = re.compile(r"\s*(?P<n>[0-9]+)\s*(?P<unit>[A-Za-z]+)\s*\Z")
_MINUTES_PER = {"minute": 1, "minutes": 1, "min": 1, "mins": 1,
                "hour": 60, "hours": 60, "h": 60, "hr": 60, "hrs": 60,
                "day": 1440, "days": 1440, "week": 10080, "weeks": 10080}
_HINT = "write whole minutes, hours, days or weeks, e.g. '30 minutes' or '46 hours'"


@dataclass(frozen=True, slots=True, order=True)
class Elapsed:
    """Elapsed time, a whole number of minutes from 1 to :data:`MAX_MINUTES`.

    Raises:
        QuantityTypeError: (also a ``TypeError``) ``minutes`` is not an ``int``.
        QuantityError: (also a ``ValueError``) ``minutes`` is below 1 or above the maximum.
    """

    minutes: int

    def __post_init__(self) -> None:
        if isinstance(self.minutes, bool) or not isinstance(self.minutes, int):
            raise QuantityTypeError("elapsed time", "elapsed time is a whole number of "
                                    "minutes, an int", self.minutes)
        if not 1 <= self.minutes <= MAX_MINUTES:
            raise QuantityError("elapsed time", f"elapsed time is 1 to {MAX_MINUTES:,} minutes "
                                "(100 years)", self.minutes)

    @classmethod
    def parse(cls, text: object) -> Elapsed:
        """Read ``N minutes``, ``N hours``, ``N days`` or ``N weeks`` (also ``min``, ``h``, ``hr``).

        Raises:
            UnitError: not text, another unit (months and years are refused: their
                length depends on the calendar), zero, or more than 100 years.
        """
        if not isinstance(text, str):
            raise UnitError(text, "elapsed time is text with a unit", _HINT)
        if "," in text:
            # "1,5 hours": no whole number (write 90 min), or a thousands separator.
            raise UnitError(text, f"elapsed time {COMMA_WHOLE}", _HINT)
        match = _ELAPSED.match(text)
        if not match:
            raise UnitError(text, "not an elapsed time", _HINT)
        per = _MINUTES_PER.get(match["unit"].lower())
        if per is None:
            raise UnitError(text, f"unknown unit of elapsed time {match['unit']!r}", _HINT)
        number = match["n"]
        if len(number.lstrip("0")) > 9 or int(number) * per > MAX_MINUTES:
            raise UnitError(text, "elapsed time is at most 100 years", _HINT)
        if int(number) == 0:
            raise UnitError(text, "elapsed time must be at least 1 minute", _HINT)
        return cls(int(number) * per)

    @property
    def delta(self) -> timedelta:
        """The same time as a :class:`~datetime.timedelta`."""
        return timedelta(minutes=self.minutes)

    @property
    def iso(self) -> str:
        """ISO 8601 / RFC 5545 duration in hours and minutes: ``PT46H``, ``PT1H30M``.

        Hours, never days: a day of a calendar is not always 24 hours, and this is
        elapsed time (RFC 5545 section 3.3.6).
        """
        hours, minutes = divmod(self.minutes, 60)
        return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")

    def __str__(self) -> str:
        """``46 hours``, ``1 hour``, ``90 minutes``: hours when whole, else minutes."""
        if self.minutes % 60 == 0:
            hours = self.minutes // 60
            return f"{hours} hour" if hours == 1 else f"{hours} hours"
        return f"{self.minutes} minute" if self.minutes == 1 else f"{self.minutes} minutes"
