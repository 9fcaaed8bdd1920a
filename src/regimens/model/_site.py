"""The site's calendar: the days a clinic is closed (weekdays, public holidays, its own closures).

A :class:`SiteCalendar` says which dates a site cannot see a participant; the
engine moves clinic work (visits, courses or drugs marked ``clinic``) off those
dates within its window (docs/cli.md, "The site's calendar"). Public holidays
come from the ``holidays`` package (``pip install 'regimens[holidays]'``), imported
only when a calendar names a country: its data changes between releases, so the
version used is kept (:attr:`SiteCalendar.holidays_version`) and outputs state it.
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from types import ModuleType

from .._records import dataclass
from ..errors import ExpandOptionError, ExpandOptionTypeError
from ._invariants import WEEKDAYS

__all__ = ["Closure", "SiteCalendar"]

_WEEKDAY_PLURAL = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays",
                   "Sundays")
_NEEDS_EXTRA = ("public holidays need the holidays package: pip install 'regimens[holidays]'")


def _holidays_module() -> ModuleType:
    """The ``holidays`` package, imported on first use (an optional extra, 75 ms to import)."""
    try:
        import holidays
    except ImportError:
        raise ExpandOptionError("holidays", _NEEDS_EXTRA) from None
    return holidays


@functools.cache
def _entity(code: str) -> tuple[str, str | None, str | None]:
    """(country, subdivision, language) of ``code`` ("FR", "US-CA") in the holidays package.

    Names are asked for in US English when the package has them for the country
    (otherwise in its default language): never from the process locale.

    Raises:
        ExpandOptionError: an unknown country or subdivision, or no holidays package.
    """
    module = _holidays_module()
    country, _, subdiv = code.partition("-")
    supported = module.list_supported_countries()
    if country not in supported:
        raise ExpandOptionError(
            "holidays", "unknown country; give an ISO 3166-1 alpha-2 code such as FR or US, "
            "optionally with a subdivision: US-CA", code)
    if subdiv and subdiv not in supported[country]:
        shown = ", ".join(supported[country][:12]) + (
            ", ..." if len(supported[country]) > 12 else "")
        raise ExpandOptionError(
            "holidays", f"{country} has no subdivision {subdiv!r} in the holidays package "
            f"(its subdivisions: {shown or 'none'})", code)
    languages = module.country_holidays(country).supported_languages
    return country, subdiv or None, "en_US" if "en_US" in languages else None


@functools.cache
def _holiday_names(code: str, observed: bool, year: int) -> dict[date, str]:
    country, subdiv, language = _entity(code)
    found = _holidays_module().country_holidays(country, subdiv=subdiv, years=year,
                                                observed=observed, language=language)
    return {day: str(name) for day, name in sorted(found.items())}


@dataclass(frozen=True)
class Closure:
    """One date a site is closed, from its own list: ``reason`` as people read it (may be "")."""

    date: date
    reason: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.date, date) or type(self.date) is not date:
            raise ExpandOptionTypeError("closed_dates", "a closure is a calendar date "
                                    f"(datetime.date, not {type(self.date).__name__})",
                                    self.date)
        if not isinstance(self.reason, str):
            raise ExpandOptionTypeError("closed_dates", "a closure's reason is one line of "
                                        "text", self.reason)
        if "\n" in self.reason:
            raise ExpandOptionError("closed_dates", "a closure's reason is one line of text",
                                    self.reason)


def _day(day: object) -> None:
    """Refuse a ``day`` asked about that is not a date (text would fail inside)."""
    if not isinstance(day, date) or isinstance(day, datetime):
        raise ExpandOptionTypeError("day", "a calendar date (datetime.date(2027, 12, 25); "
                                    "text is read with date.fromisoformat)", day)


@dataclass(frozen=True)
class SiteCalendar:
    """The days a site is closed, for :meth:`Regimen.expand` (``calendar=``).

    ``closed``: weekday names closed every week (``("sat", "sun")``); ``holidays``: a
    country's public holidays from the ``holidays`` package, an ISO 3166-1 alpha-2
    code optionally with a subdivision (``"FR"``, ``"US-CA"``); ``observed``: use the
    package's observed dates (a holiday on a Saturday observed on the Friday, as US
    sites close), True by default; ``closed_dates``: the site's own closures.

    Raises:
        ExpandOptionError: an unknown weekday name, a weekday twice, an unknown
            country or subdivision, a closure that is not a :class:`Closure`, or
            ``holidays`` given without the ``holidays`` package installed.
    """

    closed: tuple[str, ...] = ()
    holidays: str | None = None
    closed_dates: tuple[Closure, ...] = ()
    observed: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.closed, tuple):
            # ["sat"] or "sat" holds the right names: the message says what the type is.
            raise ExpandOptionTypeError("closed", "a tuple of weekday names, each one of: "
                                        f"{', '.join(WEEKDAYS)} (one day: ('sat',); a list: "
                                        "tuple(...))", self.closed)
        if not all(isinstance(d, str) and d in WEEKDAYS for d in self.closed):
            raise ExpandOptionError("closed", f"weekday names, each one of: "
                                    f"{', '.join(WEEKDAYS)}", self.closed)
        if len(set(self.closed)) != len(self.closed):
            raise ExpandOptionError("closed", "a weekday is given twice", ",".join(self.closed))
        if len(self.closed) == 7:
            raise ExpandOptionError("closed", "every weekday is closed: the site could never "
                                    "see a participant", ",".join(self.closed))
        if not isinstance(self.observed, bool):
            raise ExpandOptionTypeError("observed", "True (close on the holidays' observed "
                                        "dates) or False (on their own dates)", self.observed)
        if self.holidays is not None:
            if not isinstance(self.holidays, str):
                raise ExpandOptionTypeError("holidays", "a country code such as FR, or US-CA",
                                            self.holidays)
            _entity(self.holidays)
        if not isinstance(self.closed_dates, tuple) or not all(
                isinstance(c, Closure) for c in self.closed_dates):
            raise ExpandOptionTypeError("closed_dates", "a tuple of Closure records",
                                        self.closed_dates)

    @functools.cached_property
    def _own(self) -> dict[date, str]:
        own: dict[date, list[str]] = {}
        for c in self.closed_dates:
            own.setdefault(c.date, [])
            if c.reason and c.reason not in own[c.date]:
                own[c.date].append(c.reason)
        return {d: ", ".join(reasons) for d, reasons in own.items()}

    @functools.cached_property
    def _weekdays(self) -> frozenset[int]:
        return frozenset(WEEKDAYS.index(d) for d in self.closed)

    @property
    def holidays_version(self) -> str | None:
        """The ``holidays`` package's version when holidays are used, else None."""
        if self.holidays is None:
            return None
        return str(_holidays_module().__version__)

    def holiday(self, day: date) -> str | None:
        """The public holiday on ``day`` (its name as the package gives it), or None.

        Raises:
            ExpandOptionTypeError: ``day`` is not a :class:`datetime.date`.
        """
        _day(day)
        if self.holidays is None:
            return None
        return _holiday_names(self.holidays, self.observed, day.year).get(day)

    def closure(self, day: date) -> str | None:
        """Why the site is closed on ``day``, as people read it, or None when it is open.

        Every reason that applies, "; "-separated, in this order: a public holiday
        ("public holiday (Christmas Day)"), a site closure ("site closure (audit)"),
        a closed weekday ("closed on Saturdays").

        Raises:
            ExpandOptionTypeError: ``day`` is not a :class:`datetime.date`.
        """
        _day(day)
        reasons = []
        name = self.holiday(day)
        if name is not None:
            reasons.append(f"public holiday ({name})")
        if day in self._own:
            own = self._own[day]
            reasons.append(f"site closure ({own})" if own else "site closure")
        if day.weekday() in self._weekdays:
            reasons.append(f"closed on {_WEEKDAY_PLURAL[day.weekday()]}")
        return "; ".join(reasons) if reasons else None

    def describe(self) -> str:
        """The policy in one line: "closed on Saturdays and Sundays; public holidays of FR
        (holidays 0.109, observed dates); 2 site closures"."""
        parts = []
        if self.closed:
            names = [_WEEKDAY_PLURAL[WEEKDAYS.index(d)] for d in WEEKDAYS if d in self.closed]
            parts.append("closed on " + (names[0] if len(names) == 1 else
                                         ", ".join(names[:-1]) + " and " + names[-1]))
        if self.holidays is not None:
            parts.append(f"public holidays of {self.holidays} (holidays "
                         f"{self.holidays_version}, "
                         f"{'observed dates' if self.observed else 'actual dates'})")
        if self.closed_dates:
            n = len(self._own)
            parts.append(f"{n} site closure{'s' if n != 1 else ''}")
        return "; ".join(parts) if parts else "no closed days"
