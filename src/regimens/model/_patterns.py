"""Timing patterns: on which days of a cycle (or span) a course doses.

Each pattern knows its own days (:meth:`days_in`) and whether they depend on the
calendar (``date_dependent``: only weekday patterns). Adding a pattern means a
class here with those two members and its invariants, plus the format's reader,
writer and schema (see docs/architecture.md, "How to add a timing pattern").
"""

from __future__ import annotations

from datetime import date, time
from typing import ClassVar

from .._records import dataclass
from ..quantities import Duration, Elapsed, Months, counted
from ._invariants import Misfit, Problems, days_problem

__all__ = [
    "DailyPattern",
    "DaysPattern",
    "EveryPattern",
    "HoursPattern",
    "MonthsPattern",
    "Pattern",
    "WeekdaysPattern",
]


# Course timing patterns: exactly one per course (day steps are their own pattern).



def _check_count(problems: Problems, count: object, none: str) -> None:
    """A pattern's ``count``: None (``none`` says what that means) or a whole number from 1."""
    if count is not None and (isinstance(count, bool) or not isinstance(count, int)
                              or count < 1):
        problems.add("count", f"a count is a whole number from 1 (None: {none})", count,
                     code="too-small")

@dataclass(frozen=True)
class DaysPattern:
    """Given days of the cycle (or course span), 1-based: ``days: [1, 8, 15]``, ``days: 1-5``.

    A negative day comes before day 1 (``days: (-1, 1, 2)``: premedication the day
    before each cycle): day -1 is the day before day 1, and there is no day 0. Such a
    day may fall in the previous cycle or before the period; it keeps its cycle and
    its cycle day (-1).
    """

    days: tuple[int, ...]

    #: The days depend on the calendar (a weekday pattern), not only on the window length.
    date_dependent: ClassVar[bool] = False

    def __post_init__(self) -> None:
        problems = Problems("DaysPattern")
        days_problem(problems, "days", self.days, before_day_one=True)
        problems.raise_any()

    def misfit(self, length: int, where: str) -> Misfit | None:
        """(loc, message, value, code) when the pattern does not fit a ``length``-day window.

        ``where`` names the window in the message (``"a 28-day cycle"``). A day before
        day 1 lies at most ``length - 1`` days before it: further back it would reach
        the previous cycle's own day 1.
        """
        late = [d for d in self.days if d > length]
        if late:
            return (("days",), f"day {late[0]} is outside {where}", late[0],
                    "day-outside-cycle")
        early = [d for d in self.days if d <= -length]
        if early:
            return (("days",), f"day {early[0]} is {-early[0]} days before day 1, further "
                    f"back than {where} allows (at most {length - 1})", early[0],
                    "day-outside-cycle")
        return None

    def days_in(self, length: int, weekday0: int) -> list[int]:
        """Days of a ``length``-day window (cycle or span) on which to dose, 1-based, and
        negative before day 1 (they are not cut by a short window: day 1 is in it).

        ``weekday0`` is the weekday (0 = Monday) of the window's first day; only
        patterns with ``date_dependent`` set read it.
        """
        return [d for d in self.days if d <= length]


@dataclass(frozen=True)
class EveryPattern:
    """Every N days from day 1, ``count`` times or until the cycle/span ends."""

    every: Duration
    count: int | None = None

    date_dependent: ClassVar[bool] = False

    def __post_init__(self) -> None:
        problems = Problems("EveryPattern")
        if not isinstance(self.every, Duration) or self.every.days < 1:
            problems.add("every", "an interval is a Duration of at least 1 day", self.every,
                         code="too-small")
        _check_count(problems, self.count, "to the end")
        problems.raise_any()

    def misfit(self, length: int, where: str) -> Misfit | None:
        """(loc, message, value, code) when the pattern does not fit a ``length``-day window."""
        if self.every.days > length:
            # Only day 1 of each cycle would be given: "every" would never be honoured.
            return (("every",), f"an interval of {counted(self.every.days, 'day')} is longer than "
                    f"{where}; give one dose per cycle with days (1,), or a longer cycle",
                    str(self.every), "interval-too-long")
        if self.count is not None and 1 + (self.count - 1) * self.every.days > length:
            return (("count",), f"{counted(self.count, 'administration')} every "
                    f"{counted(self.every.days, 'day')} "
                    f"end on day {1 + (self.count - 1) * self.every.days}, outside {where}",
                    self.count, "count-outside-cycle")
        return None

    def days_in(self, length: int, weekday0: int) -> list[int]:
        """Day 1, 1 + N, 1 + 2N, ... within the window, at most ``count`` of them."""
        count = self.count if self.count is not None else length
        return list(range(1, length + 1, self.every.days))[:count]


@dataclass(frozen=True)
class WeekdaysPattern:
    """Calendar weekdays (0 = Monday) within the cycle/span; with ``count``, only the
    first ``count`` of them in each cycle (or in the span): "30 fractions Monday to
    Friday", "the first 7 weekdays of each cycle"."""

    weekdays: tuple[int, ...]
    count: int | None = None

    date_dependent: ClassVar[bool] = True

    def __post_init__(self) -> None:
        problems = Problems("WeekdaysPattern")
        days = self.weekdays
        if not isinstance(days, tuple) or not days or any(
                isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in days):
            problems.add("weekdays", "weekdays are a non-empty tuple of ints from 0 (Monday) "
                         "to 6 (Sunday)", days, code="not-one-of")
        elif list(days) != sorted(set(days)):
            problems.add("weekdays", "list the weekdays in increasing order, each once", days,
                         code="not-increasing")
        _check_count(problems, self.count, "every such weekday")
        problems.raise_any()

    def days_needed(self) -> int:
        """The most days ``count`` administrations can take, over the 7 start weekdays.

        0 without a count. A window this long holds them whatever its first weekday.
        """
        if self.count is None:
            return 0
        full, rest = divmod(self.count - 1, len(self.weekdays))
        # The count-th match from each start weekday: whole weeks, then the rest-th
        # weekday after the start.
        return max(7 * full + sorted((w - start) % 7 for w in self.weekdays)[rest] + 1
                   for start in range(7))

    def misfit(self, length: int, where: str) -> Misfit | None:
        """(loc, message, value, code) when a count may not fit a ``length``-day window.

        Without a count, never: the pattern takes the weekdays that fall in the window.
        With one, every start weekday must reach the count within a whole window; a
        shorter last cycle, cut by the course's end, keeps the weekdays it holds.
        """
        needed = self.days_needed()
        if needed > length:
            names = ", ".join(("mon", "tue", "wed", "thu", "fri", "sat", "sun")[d]
                              for d in self.weekdays)
            return (("count",), f"{counted(self.count or 0, 'administration')} on {names} take "
                    f"up to {counted(needed, 'day')}, longer than {where}", self.count,
                    "count-outside-cycle")
        return None

    def days_in(self, length: int, weekday0: int) -> list[int]:
        """The window's days whose weekday is one of ``weekdays`` (the first ``count``)."""
        days = [d for d in range(1, length + 1) if (weekday0 + d - 1) % 7 in self.weekdays]
        return days if self.count is None else days[:self.count]


@dataclass(frozen=True)
class DailyPattern:
    """Every day of the cycle/span."""

    date_dependent: ClassVar[bool] = False

    def misfit(self, length: int, where: str) -> Misfit | None:
        """Never: every day of the window."""
        return None

    def days_in(self, length: int, weekday0: int) -> list[int]:
        """Every day of the window."""
        return list(range(1, length + 1))


@dataclass(frozen=True)
class HoursPattern:
    """Every ``every`` of elapsed time from ``at`` on day 1 of the cycle/span:
    ``every: 8 hours, at: "06:00"``, ``count`` times or until the window ends.

    The moments are counted as if every day had 24 hours, so their number and their
    days never depend on the calendar; with a time zone the engine places each one
    that much elapsed time after the first, so a clock change in between shifts the
    local time of those after it by the change (docs/format.md, "Elapsed-hour
    intervals").
    """

    every: Elapsed
    at: time
    count: int | None = None

    date_dependent: ClassVar[bool] = False

    def __post_init__(self) -> None:
        problems = Problems("HoursPattern")
        if not isinstance(self.every, Elapsed):
            problems.add("every", "an interval of elapsed time (Elapsed.parse('8 hours'))",
                         self.every, code="wrong-type")
        if not isinstance(self.at, time) or self.at.tzinfo is not None or (
                self.at.second or self.at.microsecond):
            problems.add("at", "a local time of day to the minute (datetime.time, no zone)",
                         self.at, code="wrong-type")
        _check_count(problems, self.count, "to the end")
        problems.raise_any()

    @property
    def first_minute(self) -> int:
        """Minutes after midnight of day 1 of the first administration."""
        return self.at.hour * 60 + self.at.minute

    def misfit(self, length: int, where: str) -> Misfit | None:
        """(loc, message, value, code) when the interval or ``count`` runs past a
        ``length``-day window."""
        if self.every.minutes > length * 1440:
            return (("every",), f"an interval of {self.every} is longer than {where}; give one "
                    "dose per cycle with days (1,), or a longer cycle", str(self.every),
                    "interval-too-long")
        if self.count is None:
            return None
        last = self.first_minute + (self.count - 1) * self.every.minutes
        if last >= length * 1440:
            day, minute = divmod(last, 1440)
            return (("count",), f"{counted(self.count, 'administration')} every {self.every} "
                    f"from {self.at:%H:%M} end on day {day + 1} at "
                    f"{minute // 60:02d}:{minute % 60:02d}, outside {where}", self.count,
                    "count-outside-cycle")
        return None

    def moments(self, length: int) -> list[tuple[int, time]]:
        """(day, time) of each administration in a ``length``-day window, in order: day 1
        at ``at``, then every ``every``, ``count`` of them or while inside the window."""
        end = length * 1440
        start, step = self.first_minute, self.every.minutes
        if start >= end:
            return []
        n = (end - 1 - start) // step + 1
        if self.count is not None:
            n = min(n, self.count)
        out = []
        for k in range(n):
            day, minute = divmod(start + k * step, 1440)
            out.append((day + 1, time(minute // 60, minute % 60)))
        return out

    def days_in(self, length: int, weekday0: int) -> list[int]:
        """The day of each administration (a day with three of them is listed three times)."""
        return [day for day, _ in self.moments(length)]


@dataclass(frozen=True)
class MonthsPattern:
    """Every ``every`` calendar months from day 1 of the span: ``every: 6 months``,
    ``count`` times or until the span ends.

    Administration k (from 0) is on day 1's date + k x ``every`` months, the same day of
    the month clamped to the month's last day, always counted from day 1 and never
    chained (from 31 January monthly: 28 February, 31 March, 30 April). Its days
    depend on the date of day 1 (:meth:`days_from`), so the pattern is date-dependent;
    it is never cycled (a course with it has no ``cycle``).
    """

    every: Months
    count: int | None = None

    date_dependent: ClassVar[bool] = True

    def __post_init__(self) -> None:
        problems = Problems("MonthsPattern")
        if not isinstance(self.every, Months):
            problems.add("every", "calendar months (Months.parse('6 months'))", self.every,
                         code="wrong-type")
        _check_count(problems, self.count, "to the end")
        problems.raise_any()

    def misfit(self, length: int, where: str) -> Misfit | None:
        """(loc, message, value, code) when the pattern does not fit a window of at least
        ``length`` days whatever its first date: the second administration must fall in
        it for some date (else ``days: [1]`` says it), and the ``count``-th for every one."""
        if self.every.days >= length:
            return (("every",), f"an interval of {self.every} ({self.every.days} to "
                    f"{self.every.most_days} days) is as long as {where} or longer, so it "
                    "would give day 1 only; give one dose with 'days: [1]', or a longer "
                    "period", str(self.every), "interval-too-long")
        if self.count is not None and self.count > 1:
            last = Months(self.every.months * (self.count - 1))
            if last.most_days >= length:
                return (("count",), f"{counted(self.count, 'administration')} every "
                        f"{self.every} end up to {counted(last.most_days, 'day')} after day "
                        f"1, outside {where}", self.count, "count-outside-cycle")
        return None

    def days_from(self, first: date, length: int) -> list[int]:
        """The days (1-based) of a ``length``-day span whose day 1 is ``first``: day 1, then
        day 1 + every month from ``first``, at most ``count`` of them.

        Raises:
            OverflowError: a date after the year 9999.
        """
        days: list[int] = []
        k = 0
        while self.count is None or k < self.count:
            day = (self.every.after(first, k) - first).days + 1
            if day > length:
                break
            days.append(day)
            k += 1
        return days

    def days_in(self, length: int, weekday0: int) -> list[int]:
        """Not used: the days depend on the date of day 1 (:meth:`days_from`).

        Raises:
            TypeError: always; a course lays this pattern out with :meth:`days_from`.
        """
        raise TypeError("a pattern in calendar months is laid out from a date (days_from)")


Pattern = (DaysPattern | EveryPattern | WeekdaysPattern | DailyPattern | HoursPattern
           | MonthsPattern)
