"""A course's administration slots: the days of each window (from its pattern or day
steps), whether they follow the calendar, cycles in calendar months, and the most
administrations one expansion may hold. :class:`Course` inherits them."""

from __future__ import annotations

from datetime import date, time, timedelta

from ..errors import InvalidRegimenError, Problem
from ..quantities import Duration, Months, counted
from ._invariants import Location, Slot
from ._patterns import DaysPattern, HoursPattern, MonthsPattern, Pattern
from ._steps import AdministrationStep, CycleStep, DayStep, Step

__all__ = ["MAX_ADMINISTRATIONS"]

#: The most administrations one expansion may hold. A real protocol stays far below it
#: (daily for the longest duration the format allows, 100 years, is 36,525; four times a
#: day for ten years is 14,610); a schedule past it is a typing mistake (a dose every minute
#: for 100 years is 52,596,000) and would exhaust memory. Counted before the administrations
#: are made, so refusing costs nothing. See docs/reliability.md.
MAX_ADMINISTRATIONS = 1_000_000


class _CourseLayout:
    """A course's administration slots: the days of each window, whether they follow the
    calendar, and the refusal of a course with too many administrations. A mixin of
    :class:`Course`, which holds the fields it reads."""

    pattern: Pattern | None
    steps: tuple[Step, ...]
    start: int
    span: Duration | None
    cycle: Duration | Months | None
    cycles: int | None
    times: tuple[time, ...]
    first_cycle: int
    where: Location

    @property
    def date_dependent(self) -> bool:
        """True when the course's days depend on the calendar (a weekday pattern, or
        calendar months: an interval or a cycle in months)."""
        return (self.pattern is not None and self.pattern.date_dependent) or isinstance(
            self.cycle, Months)

    @property
    def in_months(self) -> bool:
        """True when the course counts calendar months (``every`` or ``cycle`` in months):
        its days depend on the date it starts on, not only on the weekday."""
        return isinstance(self.pattern, MonthsPattern) or isinstance(self.cycle, Months)

    def window_days(self, length: int, weekday0: int) -> list[int]:
        """1-based days of a ``length``-day cycle (or the span) on which the course doses.

        ``weekday0``: weekday (0 = Monday) of the window's first day. Day steps
        (a taper by days) are their own pattern.
        """
        if self.pattern is not None:
            return self.pattern.days_in(length, weekday0)
        days = sorted(d for s in self.steps if isinstance(s, DayStep) for d in s.days)
        return [d for d in days if d <= length]

    def slots(self, first: int, period_length: int, weekday0: int,
              used: int = 0, day_one: date | None = None) -> tuple[list[Slot], int, int]:
        """Every administration slot of the course, and its first and last offset.

        ``first``: offset from Study Day 1 of the period's first day;
        ``period_length``: the period's length in days; ``weekday0``: the
        weekday (0 = Monday) of offset 0; ``used``: the administrations the
        expansion already holds from other courses; ``day_one``: the date of offset 0,
        needed by a course in calendar months (:attr:`in_months`), whose cycles and
        days are counted from the date of its first day. Slots are ``(offset, cycle,
        cycle day, time, step index)``, in order.

        Raises:
            ValueError: a course in calendar months without ``day_one``.
            OverflowError: a date of a course in calendar months after the year 9999.
            InvalidRegimenError: administration-counted steps that do not cover
                exactly the course's administrations; more than
                :data:`MAX_ADMINISTRATIONS` with ``used`` (counted window by
                window, before a slot of the window is made).
        """
        span_first = first + self.start - 1
        available = period_length - self.start + 1
        span = self.span.days if self.span is not None else available
        if self.in_months and day_one is None:
            raise ValueError("a course in calendar months is laid out from a date (day_one)")
        windows: list[tuple[int, int, int | None]]
        if isinstance(self.cycle, Months):
            assert day_one is not None
            windows, span_last = self._month_windows(day_one, span_first, span)
        elif self.cycle is not None:
            size = self.cycle.days
            count = self.cycles if self.cycles is not None else -(-span // size)
            windows = [
                (span_first + k * size, min(size, span - k * size), k + 1) for k in range(count)]
            span_last = span_first + min(span, count * size) - 1
        else:
            windows = [(span_first, span, None)]
            span_last = span_first + span - 1
        slots: list[Slot] = []
        times: tuple[time | None, ...] = self.times or (None,)
        cycle_steps = [s for s in self.steps if isinstance(s, CycleStep)]
        day_steps = [s for s in self.steps if isinstance(s, DayStep)]
        # The days of a window depend only on its length, except for weekday patterns.
        by_length: dict[int, list[int]] = {}
        dated = self.date_dependent
        # Elapsed-hour intervals give their own times of day (moments): no 'times'.
        hourly = self.pattern if isinstance(self.pattern, HoursPattern) else None
        number = self.first_cycle - 1  # the protocol's cycle number is k + first_cycle
        for window_first, length, cycle in windows:
            step = None
            if cycle_steps and cycle is not None:
                bound = 0
                for index, s in enumerate(cycle_steps):
                    if s.cycles is None:  # open-ended: every cycle after the others
                        step = index
                        break
                    bound += s.cycles
                    if cycle <= bound:
                        step = index
                        break
            if isinstance(self.pattern, MonthsPattern):
                assert day_one is not None
                days = self.pattern.days_from(day_one + timedelta(days=window_first), length)
            elif dated:
                days = self.window_days(length, (weekday0 + window_first) % 7)
            elif length in by_length:
                days = by_length[length]
            else:
                days = by_length[length] = self.window_days(length, 0)
            if used + len(slots) + len(days) * len(times) > MAX_ADMINISTRATIONS:
                raise self._too_many(windows, dated, weekday0, len(times), used,
                                     days if isinstance(self.pattern, MonthsPattern) else None)
            cycle_day_of = cycle is not None
            shown = None if cycle is None else cycle + number
            if hourly is not None:
                for day, moment in hourly.moments(length):
                    slots.append((window_first + day - 1, shown, day if cycle_day_of else None,
                                  moment, step))
                continue
            if not day_steps and len(times) == 1 and (not days or min(days) > 0):
                # The common case, one slot per day from day 1 on: built in one pass.
                base, at = window_first - 1, times[0]
                slots += ([(base + day, shown, day, at, step) for day in days] if cycle_day_of
                          else [(base + day, shown, None, at, step) for day in days])
                continue
            for day in days:
                if day_steps:
                    step = next(i for i, s in enumerate(day_steps) if day in s.days)
                # Day -1 is the day before day 1: there is no day 0 to step over.
                offset = window_first + day - 1 if day > 0 else window_first + day
                for t in times:
                    slots.append((offset, shown, day if cycle_day_of else None, t, step))
        if isinstance(self.pattern, DaysPattern) and self.pattern.days[0] < 0:
            # A day before day 1 may come before the previous cycle's last days: keep the
            # slots in date order (steps by administrations count them in that order).
            slots.sort(key=lambda slot: slot[0])
            span_first = min(span_first, slots[0][0]) if slots else span_first
        admin_steps = [s for s in self.steps if isinstance(s, AdministrationStep)]
        if admin_steps:
            covered = sum(s.administrations or 0 for s in admin_steps)
            open_ended = admin_steps[-1].administrations is None
            if (covered >= len(slots)) if open_ended else covered != len(slots):
                raise self.problem(
                    f"the steps before the open-ended last step cover "
                    f"{counted(covered, 'administration')} but the course gives {len(slots)}, "
                    "leaving it none" if open_ended else
                    f"the steps cover {counted(covered, 'administration')} but "
                    f"the course gives {len(slots)}", code="steps-mismatch")
            index, left = 0, admin_steps[0].administrations or len(slots)
            for n, (offset, cycle, cycle_day, t, _) in enumerate(slots):
                while left == 0:
                    index += 1
                    left = admin_steps[index].administrations or len(slots)
                slots[n] = (offset, cycle, cycle_day, t, index)
                left -= 1
        return slots, span_first, span_last

    def calendar_key(self, first: int, period_length: int, day_one: date) -> tuple[int, ...]:
        """What of this course's layout depends on the date of offset 0 (``day_one``) beyond
        its period's place and length: for a course in calendar months, where its cycles
        start (a cycle in months) or its days (an interval in months); () otherwise.

        Two starts that give the same key, the same period places and (for a weekday
        pattern) the same weekday give the same slots, so ``check`` lays one out for both.

        Raises:
            OverflowError: a date after the year 9999.
        """
        span_first = first + self.start - 1
        span = self.span.days if self.span is not None else period_length - self.start + 1
        if isinstance(self.cycle, Months):
            windows, _ = self._month_windows(day_one, span_first, span)
            return tuple(start for start, _, _ in windows)
        if isinstance(self.pattern, MonthsPattern):
            return tuple(self.pattern.days_from(day_one + timedelta(days=span_first), span))
        return ()

    def _month_windows(self, day_one: date, span_first: int, span: int
                       ) -> tuple[list[tuple[int, int, int | None]], int]:
        """The cycles of a cycle in calendar months, and the span's last offset.

        Cycle k (from 0) starts on the date of the span's first day + k cycles of months,
        counted from that date (never chained), and lasts until the next one starts; the
        last is cut at the span's end. ``cycles`` of them, or until the span ends.
        """
        assert isinstance(self.cycle, Months)
        anchor = day_one + timedelta(days=span_first)
        end = span_first + span  # the first offset after the span
        windows: list[tuple[int, int, int | None]] = []
        k = 0
        start = span_first
        while self.cycles is None or k < self.cycles:
            if start >= end:
                break
            after = span_first + (self.cycle.after(anchor, k + 1) - anchor).days
            windows.append((start, min(after, end) - start, k + 1))
            start = after
            k += 1
        span_last = windows[-1][0] + windows[-1][1] - 1 if windows else span_first - 1
        return windows, span_last

    def _too_many(self, windows: list[tuple[int, int, int | None]], dated: bool,
                  weekday0: int, times: int, used: int,
                  monthly: list[int] | None = None) -> InvalidRegimenError:
        # Count the whole course (window by window, nothing made) to say how far over it is;
        # an interval in months has one window, whose days are ``monthly``.
        count = (len(monthly) * times if monthly is not None else sum(
            len(self.window_days(length, (weekday0 + start) % 7 if dated else 0))
            for start, length, _ in windows) * times)
        others = f", {count + used:,} with the other courses" if used else ""
        return self.problem(
            f"the course gives {count:,} administrations{others}: more than "
            f"{MAX_ADMINISTRATIONS:,}, the most one expansion may hold; check its times, "
            "pattern and length", code="too-many-administrations")

    def problem(self, message: str, *, code: str) -> InvalidRegimenError:
        """An error about this course, located at its place in the source file.

        ``code`` names the rule broken (see :class:`~regimens.Problem`). A course
        built in Python has no place in a file: its record, ``<Course>``, is named instead.
        """
        file, line, loc = self.where
        return InvalidRegimenError([Problem(file or "<Course>", line, loc, message, code=code)])
