"""What a site calendar does to a regimen: per arm and start weekday, the moves and conflicts.

``regimens check --closed sat,sun --holidays FR`` expands every arm with Study Day 1
on each of seven consecutive days (from ``start``) at the shortest period lengths,
and counts the administrations and visits the site calendar moves, and those left on
a closed day (conflicts). Holidays fall on dates, so the week evaluated is named.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..model import Regimen, SiteCalendar
from ._layout import expand
from ._resolve import resolve

__all__ = ["SiteCount", "site_counts"]


@dataclass(frozen=True)
class SiteCount:
    """On ``arm`` with Study Day 1 on ``start``: administrations and visits the site
    calendar moves (``*_moved``) and leaves on a closed day (``*_conflicts``)."""

    arm: str
    start: date
    doses_moved: int
    dose_conflicts: int
    visits_moved: int
    visit_conflicts: int


def site_counts(regimen: Regimen, calendar: SiteCalendar, first: date) -> tuple[SiteCount, ...]:
    """For every arm and each of the seven starts from ``first``, the moves and conflicts.

    Raises:
        ExpandOptionError, InvalidRegimenError: as :meth:`Regimen.expand` for these starts.
    """
    out = []
    for arm in regimen.arms:
        for k in range(7):
            start = first + timedelta(days=k)
            s = expand(regimen, resolve(regimen, arm=arm.id, start=start, calendar=calendar),
                       symbolic=True)
            out.append(SiteCount(
                arm.id, start,
                sum(a.planned_date is not None for a in s.administrations),
                sum(a.conflict for a in s.administrations),
                sum(v.planned_date is not None for v in s.visits),
                sum(v.conflict for v in s.visits)))
    return tuple(out)
