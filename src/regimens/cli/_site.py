"""The site calendar's options (``--closed``, ``--holidays``, ``--closed-dates``).

Shared by ``expand``, ``publish`` and ``check``; the library is imported only when
a command runs (the CLI's lazy imports).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import SiteCalendar

__all__ = ["site_arguments", "site_calendar", "site_check_arguments"]


def site_arguments(group: argparse._ArgumentGroup) -> None:
    """The site calendar's options, shared by ``expand``, ``publish`` and ``check``."""
    group.add_argument("--closed", metavar="DAYS",
                       help="weekdays the site is closed, e.g. sat,sun")
    group.add_argument("--holidays", metavar="COUNTRY",
                       help="public holidays the site is closed, from the holidays package "
                       "(pip install 'regimens[holidays]'): FR, or US-CA for a subdivision")
    group.add_argument("--actual-holiday-dates", action="store_true",
                       help="close on the holidays' own dates, not the observed ones")
    group.add_argument("--closed-dates", metavar="FILE",
                       help="the site's own closures: one date a line (YYYY-MM-DD and a "
                       "reason), or an .ics of all-day events")


def site_check_arguments(check: argparse.ArgumentParser) -> None:
    """``check``'s site calendar options: the closed days and the first start evaluated."""
    group = check.add_argument_group(
        "the site's calendar (how many doses and visits move or stay on closed days, per arm "
        "and start weekday)")
    site_arguments(group)
    group.add_argument("--start", metavar="YYYY-MM-DD",
                       help="the first of the seven starts evaluated (default 2001-01-01); "
                       "holidays fall on dates, so give the week that matters")


def site_calendar(args: argparse.Namespace) -> SiteCalendar | None:
    """The site calendar the options describe, or None when none is given."""
    from ..errors import ExpandOptionError
    from ..format import read_closed_dates
    from ..model import WEEKDAYS, SiteCalendar

    if args.closed is None and args.holidays is None and args.closed_dates is None:
        if args.actual_holiday_dates:
            raise ExpandOptionError("holidays", "--actual-holiday-dates goes with --holidays")
        return None
    closed: tuple[str, ...] = ()
    if args.closed is not None:
        closed = tuple(d.strip().lower() for d in args.closed.split(","))
        bad = [d for d in closed if d not in WEEKDAYS]
        if bad or not closed:
            raise ExpandOptionError("closed", "weekday names separated by commas, e.g. sat,sun "
                                    f"(allowed: {', '.join(WEEKDAYS)})", args.closed)
    if args.actual_holiday_dates and args.holidays is None:
        raise ExpandOptionError("holidays", "--actual-holiday-dates goes with --holidays")
    closures = read_closed_dates(args.closed_dates) if args.closed_dates is not None else ()
    holidays = args.holidays.strip().upper() if args.holidays is not None else None
    return SiteCalendar(closed=closed, holidays=holidays, closed_dates=closures,
                        observed=not args.actual_holiday_dates)
