"""The participant's timeline: where each period falls, Study Day 1, zone and body size.

:func:`resolve` fixes everything participant-specific before any course is
laid out. All date arithmetic is in whole days from Study Day 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from ..errors import ExpandOptionError
from ..model import Participant, Period, Regimen, SiteCalendar
from ..quantities import BSAFormula, StudyDay
from ._dose import BodySize
from ._options import (
    check_arm,
    check_bsa_decimals,
    parse_formula,
    parse_lengths,
    parse_levels,
    parse_start,
    parse_zone,
)

__all__ = ["Timeline", "resolve"]


@dataclass(frozen=True)
class Timeline:
    """A participant's periods, placed: offsets are days after the first day of the
    day_one period (Study Day 1, or Day 0 with ``day_zero``)."""

    arm: str
    start: date
    periods: tuple[tuple[Period, int, int], ...]  # (period, first offset, length in days)
    zone: ZoneInfo | None
    body: BodySize
    day_zero: bool = False  # offset 0 is Study Day 0 (the regimen's day_zero), else Day 1
    calendar: SiteCalendar | None = None  # the site's closed days, if given
    levels: dict[str, int] = field(default_factory=dict)  # drug id -> dose level (not 0)

    def study_day(self, offset: int) -> StudyDay:
        """The Study Day of an offset, in the regimen's convention (Day 0 or not)."""
        return StudyDay.from_offset(offset, self.day_zero)

    def offset_date(self, offset: int) -> date:
        return self.start + timedelta(days=offset)


def resolve(
    regimen: Regimen,
    *,
    arm: str,
    start: date | str,
    participant: Participant | None = None,
    lengths: dict[str, str] | None = None,
    tz: str | None = None,
    bsa_formula: BSAFormula | str | None = None,
    bsa_decimals: int | None = 2,
    calendar: SiteCalendar | None = None,
    levels: Mapping[str, int] | None = None,
) -> Timeline:
    """Fix everything participant-specific before any course is laid out.

    Raises:
        ExpandOptionError: as :meth:`Regimen.expand` says, and a ``calendar`` that is
            not a :class:`SiteCalendar`.
    """
    check_arm(regimen, arm)
    if calendar is not None and not isinstance(calendar, SiteCalendar):
        raise ExpandOptionError("site_calendar", "a SiteCalendar (regimens.SiteCalendar(closed="
                                "('sat', 'sun'), holidays='FR'))", repr(calendar))
    day_one = parse_start(start)
    decimals = check_bsa_decimals(bsa_decimals)
    path = regimen.path(arm)
    chosen = parse_lengths(regimen, arm, lengths)
    placed: list[tuple[Period, int, int]] = []
    cursor = 0
    for period in path:
        days = chosen.get(period.id, period.length.shortest).days
        placed.append((period, cursor, days))
        cursor += days
    anchor = regimen.day_one_period(arm)
    shift = next(first for p, first, _ in placed if p.id == anchor)
    periods = tuple((p, first - shift, n) for p, first, n in placed)
    body = BodySize(participant or Participant(), parse_formula(bsa_formula), decimals)
    at_level = {d: n for d, n in parse_levels(regimen, arm, levels).items() if n != 0}
    return Timeline(arm, day_one, periods, parse_zone(tz), body, regimen.day_zero, calendar,
                    at_level)
