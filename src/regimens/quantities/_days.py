"""Study days and durations: a study day is not a date, and a duration is whole days.

Study Day 1 is the first day of the reference period; the day before it is
Day -1. There is no Day 0 (the CDISC SDTM convention), so arithmetic on study
days goes through a zero-based offset. Transplant and cell-therapy protocols
number from Day 0 instead (``day_zero``): the day number is then the offset.

>>> from datetime import date
>>> StudyDay(-1).to_date(date(2027, 1, 4))
datetime.date(2027, 1, 3)
>>> StudyDay.from_date(date(2027, 1, 4), date(2027, 1, 4))
StudyDay(1)
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache, total_ordering

from .._records import dataclass
from ..errors import QuantityError, QuantityTypeError, UnitError
from ._notation import counted

__all__ = ["MAX_DAYS", "MAX_MONTHS", "Duration", "LengthRange", "Months", "StudyDay", "StudyDays",
           "shared_study_days"]


@total_ordering
@dataclass(frozen=True, slots=True)
class StudyDay:
    """A day number in a study's calendar: ..., -2, -1, 1, 2, ... (never 0).

    With ``day_zero`` (transplant and cell-therapy protocols, a regimen's
    ``day_zero: true``), the first day of the reference period is Day 0 instead:
    ..., -1, 0, 1, ..., and the day number is the offset. Days of the two
    conventions never compare equal (Day 1 is not the same day in both).

    Raises:
        QuantityTypeError: (also a ``TypeError``) ``value`` is not an int (bool included).
        QuantityError: (also a ``ValueError``) ``value`` is 0 without ``day_zero``.
    """

    value: int
    day_zero: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise QuantityTypeError("study day", "a study day is an int", self.value)
        if self.value == 0 and not self.day_zero:
            raise QuantityError("study day",
                                "there is no Study Day 0: the day before Day 1 is Day -1")

    @classmethod
    def from_offset(cls, offset: int, day_zero: bool = False) -> StudyDay:
        """Offset 0 is Day 1, offset -1 is Day -1 (with ``day_zero``: Day 0 and Day -1)."""
        if day_zero:
            return cls(offset, True)
        return cls(offset + 1 if offset >= 0 else offset)

    @classmethod
    def from_date(cls, day: date, day_one: date, day_zero: bool = False) -> StudyDay:
        """The Study Day of ``day`` when Day 1 (Day 0 with ``day_zero``) is ``day_one``."""
        return cls.from_offset((day - day_one).days, day_zero)

    @property
    def offset(self) -> int:
        """Days after Day 1 (Day 0 with ``day_zero``); negative before it."""
        if self.day_zero:
            return self.value
        return self.value - 1 if self.value > 0 else self.value

    def to_date(self, day_one: date) -> date:
        """The calendar date of this Study Day when Day 1 (Day 0) is ``day_one``.

        Raises:
            OverflowError: the date would fall outside the years 1 to 9999.
        """
        return day_one + timedelta(days=self.offset)

    def __int__(self) -> int:
        return self.value

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, StudyDay):
            return NotImplemented
        return self.value < other.value

    def __repr__(self) -> str:
        return f"StudyDay({self.value}, day_zero=True)" if self.day_zero else (
            f"StudyDay({self.value})")

    def __str__(self) -> str:
        return f"Day {self.value}"


class StudyDays(dict[int, StudyDay]):
    """Study days by offset, made on first use: ``days[offset]`` is ``StudyDay.from_offset``
    (with ``StudyDays(day_zero=True)``, ``StudyDay.from_offset(offset, True)``).

    A lookup costs the same on day 40,000 as on day 1 (a fixed-size LRU cache, used
    before, was missed on every row of an expansion longer than its size). ``bound``:
    keep only the offsets from ``-bound`` to ``bound`` (None: every offset); one
    further off is made anew on each lookup. Offsets are ints, which map to a valid
    day by construction, so the per-value checks of ``StudyDay`` are skipped here.

    Raises:
        QuantityTypeError: (also a ``TypeError``) ``bound`` is neither an ``int`` nor None
            (``bound=3.5`` would keep the offsets -3 to 3 without saying so).
    """

    __slots__ = ("bound", "day_zero")

    def __init__(self, day_zero: bool = False, bound: int | None = None) -> None:
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, int)):
            raise QuantityTypeError("study days", "bound must be a whole number of days, an "
                                    "int, or None", bound)
        super().__init__()
        self.day_zero = day_zero  # number days from Day 0 (the offset) instead of Day 1
        self.bound = bound

    def __missing__(self, offset: int) -> StudyDay:
        day = _new(StudyDay)
        if self.day_zero:
            _set(day, "value", offset)
            _set(day, "day_zero", True)
        else:
            _set(day, "value", offset + 1 if offset >= 0 else offset)
            _set(day, "day_zero", False)
        if self.bound is None or -self.bound <= offset <= self.bound:
            self[offset] = day
        return day


def shared_study_days(day_zero: bool = False) -> StudyDays:
    """The process's study days by offset, in one convention (Day 0 or not), shared by
    every expansion: a ``StudyDay`` is an immutable value, so the rows of every schedule
    share one instance per day instead of making one per row (which was an eighth of
    the time of ``expand``).

    It keeps the offsets within 100 years (:data:`MAX_DAYS`) of Day 1, a few MiB at
    most, whatever the process expands; days further off are made on each lookup.
    """
    return _SHARED[day_zero]


_new = object.__new__
_set = object.__setattr__

_DURATION = re.compile(r"\s*(?P<n>[0-9]+)\s*(?P<unit>[A-Za-z]+)\s*\Z")
_RANGE = re.compile(r"\s*(?P<a>[0-9]+)\s*(?:-|–|to)\s*(?P<b>[0-9]+)\s*(?P<unit>[A-Za-z]+)\s*\Z")
_DAYS_PER = {"day": 1, "days": 1, "week": 7, "weeks": 7}
_HINT = "write whole days or weeks, e.g. '28 days' or '4 weeks'"
#: What a comma in a whole number of days, weeks or months is told ("12,5 weeks" is no whole
#: number of weeks, and "1,000 days" has a thousands separator), as the record reader tells
#: a comma in a cycle number.
COMMA_WHOLE = "has a comma: write a whole number, with no decimal point and no thousands separators"


def _no_comma(text: object, what: str, hint: str) -> None:
    """Refuse a comma in ``text`` (a length, duration or interval) in those words."""
    if isinstance(text, str) and "," in text:
        raise UnitError(text, f"{what} {COMMA_WHOLE}", hint)


#: The longest duration (100 years): longer is a typing mistake, and would not fit the calendar.
MAX_DAYS = 36_525
_SHARED = (StudyDays(False, MAX_DAYS), StudyDays(True, MAX_DAYS))


def _days(text: str, number: str, per: int) -> int:
    """``number`` × ``per`` days, refused beyond :data:`MAX_DAYS` (and before int() of a huge
    digit string, which Python refuses past 4,300 digits)."""
    days = int(number) * per if len(number.lstrip("0")) <= 6 else MAX_DAYS + 1
    if days > MAX_DAYS:
        raise UnitError(text, f"a duration is at most {MAX_DAYS:,} days (100 years)", _HINT)
    return days


def _unit_days(text: str, unit: str) -> int:
    lowered = unit.lower()
    if lowered in _DAYS_PER:
        return _DAYS_PER[lowered]
    if lowered in ("month", "months", "mo", "year", "years", "y", "yr", "yrs"):
        why = ("a month is 28 to 31 days" if lowered.startswith("mo")
               else "a year is 365 or 366 days")
        raise UnitError(
            text,
            f"{unit!r} is ambiguous as a length ({why})",
            "write weeks or days, e.g. '12 weeks' or '84 days'",
        )
    raise UnitError(text, f"unknown duration unit {unit!r}", _HINT)


@dataclass(frozen=True, slots=True, order=True)
class Duration:
    """A whole number of days, written ``N days`` or ``N weeks``.

    ``days`` is an ``int`` from 0 up (a window of 0 days is a visit on its target day).

    Raises:
        QuantityTypeError: (also a ``TypeError``) ``days`` is not an ``int`` (bool included).
        QuantityError: (also a ``ValueError``) ``days`` is negative (``Duration(-5)`` would
            print as "-5 days").
    """

    days: int

    def __post_init__(self) -> None:
        if isinstance(self.days, bool) or not isinstance(self.days, int):
            raise QuantityTypeError("duration", "a duration is a whole number of days, an int",
                                    self.days)
        if self.days < 0:
            raise QuantityError("duration", "a duration cannot be negative: give a whole "
                                "number of days from 0 up", self.days)

    @classmethod
    def parse(cls, text: object, *, allow_zero: bool = False) -> Duration:
        """Read ``N days`` or ``N weeks`` (N whole, 1 to 36,525 days; 0 with ``allow_zero``).

        Raises:
            UnitError: not text, another unit (months and years are refused as
                ambiguous: 28 to 31 days, 365 or 366 days), or out of range.

        >>> Duration.parse("4 weeks")
        Duration(days=28)
        """
        if not isinstance(text, str):
            raise UnitError(text, "a duration is text with a unit", _HINT)
        _no_comma(text, "the duration", _HINT)
        match = _DURATION.match(text)
        if not match:
            raise UnitError(text, "not a duration", _HINT)
        days = _days(text, match["n"], _unit_days(text, match["unit"]))
        if days == 0 and not allow_zero:
            raise UnitError(text, "a duration must be at least 1 day", _HINT)
        return cls(days)

    def __str__(self) -> str:
        if self.days % 7 == 0 and self.days:
            weeks = self.days // 7
            return f"{weeks} week" if weeks == 1 else f"{weeks} weeks"
        return f"{self.days} day" if self.days == 1 else f"{self.days} days"


#: The most calendar months a length or interval may have (100 years, as for durations).
MAX_MONTHS = 1200
_MONTHS = re.compile(r"\s*(?P<n>[0-9]+)\s*(?P<unit>months?)\s*\Z", re.IGNORECASE)
#: Written in months, a comma included ("1,5 months"): read as months, so that the message
#: is about months (its comma), not "not a duration" of days or weeks.
_IN_MONTHS = re.compile(r"\s*[0-9]+(?:,[0-9]+)*\s*months?\s*\Z", re.IGNORECASE)


@dataclass(frozen=True, slots=True, order=True)
class Months:
    """A whole number of calendar months (1 to 1,200), written ``N months``: ``6 months``.

    Counted from an anchor date with calendar-month arithmetic (:meth:`after`): the same
    day of the month, clamped to the month's last day (31 January + 1 month is 28 or 29
    February), always from the anchor and never chained (31 January + 2 months is
    31 March), as dateutil's ``relativedelta`` does. A month is 28 to 31 days, so the
    days a :class:`Months` spans depend on the anchor: :attr:`days` is the fewest over
    every anchor date, :attr:`most_days` the most.

    Raises:
        QuantityTypeError: (also a ``TypeError``) ``months`` is not an ``int``.
        QuantityError: (also a ``ValueError``) ``months`` is below 1 or above 1,200.
    """

    months: int

    def __post_init__(self) -> None:
        if isinstance(self.months, bool) or not isinstance(self.months, int):
            raise QuantityTypeError("months", "a whole number of calendar months, an int",
                                    self.months)
        if not 1 <= self.months <= MAX_MONTHS:
            raise QuantityError("months", f"calendar months are 1 to {MAX_MONTHS:,} "
                                "(100 years)", self.months)

    @classmethod
    def match(cls, text: object) -> bool:
        """True when ``text`` is written in months (``6 months``, ``1 month``; ``1,5 months``
        too, which :meth:`parse` refuses naming its comma)."""
        return isinstance(text, str) and _IN_MONTHS.match(text) is not None

    @classmethod
    def parse(cls, text: object) -> Months:
        """Read ``N months`` or ``1 month`` (N whole, 1 to 1,200; case-insensitive).

        Raises:
            UnitError: not text in months, or out of range.

        >>> Months.parse("6 months")
        Months(months=6)
        """
        _no_comma(text, "the number of months", "write whole months, e.g. '6 months' or "
                  "'1 month'")
        match = _MONTHS.match(text) if isinstance(text, str) else None
        if match is None:
            raise UnitError(text, "not a number of calendar months",
                            "write whole months, e.g. '6 months' or '1 month'")
        number = match["n"]
        if len(number.lstrip("0")) > 4 or not 1 <= int(number) <= MAX_MONTHS:
            raise UnitError(text, f"calendar months are 1 to {MAX_MONTHS:,} (100 years)",
                            "write whole months, e.g. '6 months' or '1 month'")
        return cls(int(number))

    def after(self, anchor: date, k: int = 1) -> date:
        """``anchor`` + ``k`` x this many calendar months (k from 0), clamped to the last
        day of the month reached, counted from ``anchor`` itself.

        Raises:
            OverflowError: the date would fall after the year 9999.

        >>> Months(1).after(date(2027, 1, 31))
        datetime.date(2027, 2, 28)
        >>> Months(1).after(date(2027, 1, 31), 2)
        datetime.date(2027, 3, 31)
        """
        # What dateutil's relativedelta(months=...) does (a test compares the two), in
        # plain integer arithmetic: this runs for every cycle of every start ``check`` tries.
        months = anchor.month - 1 + self.months * k
        year, month = anchor.year + months // 12, months % 12 + 1
        if not 1 <= year <= 9999:
            raise OverflowError("date value out of range")
        from calendar import monthrange  # (here: only regimens counting months need it)

        return date(year, month, min(anchor.day, monthrange(year, month)[1]))

    @property
    def days(self) -> int:
        """The fewest days this many months can span (over every anchor date)."""
        return _month_days(self.months)[0]

    @property
    def most_days(self) -> int:
        """The most days this many months can span (over every anchor date)."""
        return _month_days(self.months)[1]

    def __str__(self) -> str:
        return "1 month" if self.months == 1 else f"{self.months} months"


@cache
def _month_days(months: int) -> tuple[int, int]:
    """(fewest, most) days from an anchor to the anchor + ``months`` calendar months.

    Over every anchor of the 400-year Gregorian cycle (after which the calendar repeats),
    by month lengths: from day d of month i, ``months`` later is day min(d, length of month
    i + months), so days 1 to 28 all span what day 1 spans (the months' lengths), and
    days 29, 30 and 31 lose what the month reached lacks.
    """
    lengths, starts = _month_table()
    low, high = MAX_DAYS * 2, 0
    for i in range(4800):
        whole = starts[i + months] - starts[i]
        reached = lengths[i + months]
        for day in range(28, lengths[i] + 1):  # 28 stands for days 1 to 28
            span = whole + min(day, reached) - day
            low, high = min(low, span), max(high, span)
    return low, high


@cache
def _month_table() -> tuple[list[int], list[int]]:
    """Lengths of the months from January 2001 for 500 years, and each one's first day
    counted in days from 1 January 2001 (made at the first length in months, not at
    import: most regimens have none)."""
    lengths: list[int] = []
    for year in range(2001, 2501):
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        lengths += [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    starts = [0]
    for n in lengths:
        starts.append(starts[-1] + n)
    return lengths, starts


@dataclass(frozen=True, slots=True, repr=False)
class LengthRange:
    """A period length: fixed (``12 weeks``) or a range chosen per participant (``12-18 weeks``).

    Raises:
        QuantityTypeError: (also a ``TypeError``) a bound is not a :class:`Duration`.
        QuantityError: (also a ``ValueError``) a fixed length of 0 days, or ``shortest``
            longer than ``longest``. A range may start at 0 days (``0-14 days``: an
            optional gap, such as a delay window, that a participant may not have).
    """

    shortest: Duration
    longest: Duration
    #: A length in calendar months (``18 months``): its days follow from the date it
    #: starts on, from ``shortest`` to ``longest`` (:meth:`of_months`); None: in days.
    months: Months | None = None

    def __post_init__(self) -> None:
        for bound in (self.shortest, self.longest):
            if not isinstance(bound, Duration):
                raise QuantityTypeError("length", "a length's bounds are Durations", bound)
        if self.months is not None:
            if not isinstance(self.months, Months):
                raise QuantityTypeError("length", "a length's months are Months", self.months)
            if (self.shortest.days, self.longest.days) != (self.months.days,
                                                           self.months.most_days):
                raise QuantityError("length", "a length in months spans from its fewest to "
                                    "its most days: make it with LengthRange.of_months")
        if self.longest.days == 0:
            raise QuantityError("length", "a length must be at least 1 day")
        if self.shortest > self.longest:
            raise QuantityError(
                "length", f"the shortest length ({counted(self.shortest.days, 'day')}) exceeds "
                f"the longest ({counted(self.longest.days, 'day')}): give the shorter length "
                "first")

    @classmethod
    def parse(cls, text: object) -> LengthRange:
        """Read a fixed length (``12 weeks``) or a range (``12-18 weeks``, ``84 to 126 days``).

        A range may start at 0 (``0-14 days``): the period may be left out.

        Raises:
            UnitError: as :meth:`Duration.parse`, a zero length (fixed, or ``0-0 days``),
                or a range whose minimum exceeds its maximum.

        >>> LengthRange.parse("12-18 weeks")
        LengthRange(shortest=Duration(days=84), longest=Duration(days=126))
        """
        if isinstance(text, str):
            match = _RANGE.match(text)
            if match:
                per = _unit_days(text, match["unit"])
                low, high = _days(text, match["a"], per), _days(text, match["b"], per)
                if high == 0:
                    raise UnitError(text, "a length must be at least 1 day", _HINT)
                if low > high:
                    raise UnitError(
                        text,
                        f"the range's minimum ({match['a']}) exceeds its maximum ({match['b']})",
                        "write the shorter length first, e.g. '12-18 weeks'",
                    )
                return cls(Duration(low), Duration(high))
        fixed = Duration.parse(text)
        return cls(fixed, fixed)

    @classmethod
    def of_months(cls, months: Months) -> LengthRange:
        """A length of ``months`` calendar months, counted from the date the period starts
        on (docs/format.md, "Calendar months"): not chosen per participant.

        >>> LengthRange.of_months(Months(1))
        LengthRange(shortest=Duration(days=28), longest=Duration(days=31), months=Months(months=1))
        """
        return cls(Duration(months.days), Duration(months.most_days), months)

    @property
    def fixed(self) -> bool:
        """True when the length is not chosen per participant (shortest = longest, or a
        length in calendar months, which the start date fixes)."""
        return self.months is not None or self.shortest == self.longest

    def __contains__(self, length: Duration) -> bool:
        return self.shortest <= length <= self.longest

    def __repr__(self) -> str:
        # As the dataclass writes it; ``months`` only when it is set, so that a length in
        # days reads as it always has.
        months = f", months={self.months!r}" if self.months is not None else ""
        return f"LengthRange(shortest={self.shortest!r}, longest={self.longest!r}{months})"

    def __str__(self) -> str:
        if self.months is not None:
            return str(self.months)
        if self.fixed:
            return str(self.shortest)
        a, b = self.shortest.days, self.longest.days
        if a % 7 == 0 and b % 7 == 0:
            return f"{a // 7}-{b // 7} weeks"
        return f"{a}-{b} days"
