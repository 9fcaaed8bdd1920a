"""What every model record shares: slot and location shapes, weekday names, and the
collector that reports all of a record's problems at once.
"""

from __future__ import annotations

from datetime import time

from ..errors import (
    NO_VALUE,
    InvalidRegimenError,
    Loc,
    ParticipantError,
    Problem,
    UnitError,
)

__all__ = ["WEEKDAYS", "Location", "Misfit", "Problems", "Slot", "days_problem", "reason_of"]

#: One administration slot of a course: (offset, cycle, cycle day, time, step index).
#: A plain tuple: courses of daily drugs give hundreds of slots per participant.
Slot = tuple[int, int | None, int | None, time | None, int | None]

#: (file, line, location) of an item in its source document, for messages.
Location = tuple[str, int | None, Loc]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: A problem found in a record, before it is placed: (loc, message, value, code).
Misfit = tuple[Loc, str, object, str]


class Problems:
    """Problems found in one record built in Python: all reported at once, in one error.

    ``file`` names the record (``<Course>``); ``loc`` is relative to it, and for a
    :class:`Regimen` it is the location a regimen file would have.
    """

    def __init__(self, record: str) -> None:
        self.file = f"<{record}>"
        self.found: list[Problem] = []

    def add(self, loc: Loc | str, message: str, value: object = NO_VALUE, *,
            code: str) -> None:
        """One problem; a ``str`` loc is one field name."""
        self.found.append(Problem(self.file, None, (loc,) if isinstance(loc, str) else loc,
                                  message, value, code=code))

    def raise_any(self) -> None:
        if self.found:
            raise InvalidRegimenError(self.found)


def days_problem(problems: Problems, key: str, days: object, *,
                 before_day_one: bool = False) -> None:
    """Days of a pattern or step: a non-empty tuple of whole days from 1, increasing.

    ``before_day_one``: days before day 1 are allowed too (-1 is the day before day 1;
    there is still no day 0), as the days of a :class:`DaysPattern` may be.
    """
    if not isinstance(days, tuple) or not days:
        problems.add(key, "give at least one day, as a tuple of ints", days, code="too-few-items")
        return
    for day in days:
        if before_day_one and isinstance(day, int) and not isinstance(day, bool) and day != 0:
            continue
        if isinstance(day, bool) or not isinstance(day, int) or day < 1:
            problems.add(key, "days are whole numbers counted from 1: there is no day 0", day,
                         code="day-zero")
            return
    if list(days) != sorted(set(days)):
        problems.add(key, "list the days in increasing order, each once", days,
                     code="not-increasing")


def reason_of(exc: UnitError | ParticipantError) -> str:
    """What is wrong, without the field name and value that the problem adds itself."""
    return str(exc) if isinstance(exc, UnitError) else exc.reason
