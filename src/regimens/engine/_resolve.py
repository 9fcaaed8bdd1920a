"""Resolving a participant's timeline (:func:`resolve`), with a refusal of a schedule out of
the calendar that names what placed the date: the date given, or a length given longer than
its period's shortest when the schedule would have fitted with it at its shortest (which
takes laying the schedule out again: :func:`._layout.fits`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from ..errors import ExpandOptionError
from ..model import Participant, Regimen, SiteCalendar
from ..quantities import BSAFormula
from ._layout import fits
from ._options import parse_lengths
from ._timeline import OUTSIDE_CALENDAR, Timeline, outside_calendar, resolve_timeline

__all__ = ["resolve"]


def resolve(
    regimen: Regimen,
    *,
    arm: str,
    start: date | str | None,
    participant: Participant | None = None,
    lengths: dict[str, str] | None = None,
    tz: str | None = None,
    bsa_formula: BSAFormula | str | None = None,
    bsa_decimals: int | None = 2,
    calendar: SiteCalendar | None = None,
    levels: Mapping[str, int] | None = None,
    anchor: Mapping[str, date | str] | str | None = None,
) -> Timeline:
    """Fix everything participant-specific before any course is laid out.

    ``anchor``: ``{period id: date}`` (or ``"PERIOD=YYYY-MM-DD"``), one period of the
    arm's path and the date of its first day, instead of ``start`` (the participant is
    placed by that period: a run-in of variable length starts before Day 1 is known).

    Raises:
        ExpandOptionError: as :meth:`Regimen.expand` says, and a ``calendar`` that is
            not a :class:`SiteCalendar`.
    """
    def again(shortest: frozenset[str]) -> Timeline:
        kept = {k: v for k, v in (lengths or {}).items() if k not in shortest}
        return resolve_timeline(regimen, arm, start, participant, kept, tz, bsa_formula,
                        bsa_decimals, calendar, levels, anchor, None)

    try:
        return resolve_timeline(regimen, arm, start, participant, lengths, tz, bsa_formula,
                        bsa_decimals, calendar, levels, anchor, again)
    except ExpandOptionError as error:
        # A period in calendar months, or the anchored period's first day, placed out of
        # the calendar: named by what placed it, as a course's date is (_layout.expand).
        if error.option not in ("start", "anchor") or error.reason != OUTSIDE_CALENDAR:
            raise
        longer = _longer(regimen, arm, lengths)
        if not longer:
            raise
        raise outside_calendar(error.option, str(error.value), longer,
                               lambda shortest: fits(regimen, lambda: again(shortest))
                               ) from None


def _longer(regimen: Regimen, arm: str,
            lengths: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    """The lengths given longer than their period's shortest, as (period id, text as
    given), in the arm's order."""
    chosen = parse_lengths(regimen, arm, lengths)
    return tuple((p.id, str((lengths or {})[p.id])) for p in regimen.path(arm)
                 if p.id in chosen and chosen[p.id].days > p.length.shortest.days)


