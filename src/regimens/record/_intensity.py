"""Relative dose intensity (Hryniuk 1984), exactly.

Dose intensity is the dose delivered per unit of time; relative dose intensity (RDI) is
the delivered intensity over the planned one:

    RDI = (delivered dose / actual time) / (planned dose / planned time)

with each time measured from the first dose to the last plus one planned cycle length
(the last cycle's own time): actual time = last dose date - first dose date + one cycle;
planned time the same on the planned dates (Hryniuk W, Bush H. J Clin Oncol
1984;2:1281-8; Lyman GH, J Natl Compr Canc Netw 2009;7:99-108). Doses are the absolute
amounts given and planned (mg, not mg/m2), in one dimension. The usual bands: at least
85%, 65% to under 85%, under 65% (Lyman's review: outcomes fall below 85%).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, localcontext

from .._records import dataclass
from ..quantities import EXACT, normal

__all__ = ["RDI_BANDS", "RDI_OVER", "Intensity", "intensity_band", "relative_dose_intensity"]

#: The bands an RDI is reported in, from the highest: (lower bound in %, label).
RDI_BANDS = ((Decimal(85), ">= 85%"), (Decimal(65), "65-85%"), (Decimal(0), "< 65%"))


#: The band of an RDI above 100%: more dose per unit of time than planned (an amount given
#: above the planned one, or cycles given closer together), never reported as fine.
RDI_OVER = "> 100%"


def intensity_band(percent: Decimal) -> str:
    """The band of an RDI in percent: :data:`RDI_OVER` above 100, ``">= 85%"`` (85 to
    100 included), ``"65-85%"`` (65 included, 85 not) or ``"< 65%"``."""
    if percent > 100:
        return RDI_OVER
    for bound, label in RDI_BANDS:
        if percent >= bound:
            return label
    return RDI_BANDS[-1][1]


@dataclass(frozen=True)
class Intensity:
    """An RDI and its parts: ``percent`` (exact, None when undefined: nothing planned or
    nothing delivered), ``delivered`` and ``planned`` totals (in one unit), ``actual_days``
    and ``planned_days`` (first to last dose plus one cycle, in days; ``actual_days`` at
    least ``planned_days`` when ``at_least_planned``), ``ratio`` (delivered over planned,
    in percent, without time), ``actual_cycle_days`` and ``planned_cycle_days`` (the cycle
    length each time adds) and ``band`` (:func:`intensity_band`)."""

    percent: Decimal | None
    delivered: Decimal
    planned: Decimal
    actual_days: int | None
    planned_days: int | None
    ratio: Decimal | None
    #: True when ``actual_days`` was raised to ``planned_days`` (``at_least_planned``: a
    #: treatment that ended with doses not given is measured over the protocol's time).
    at_least_planned: bool = False
    #: The cycle length added to each time (days): the planned length of the last cycle
    #: given (actual) and of the last cycle planned (planned); they differ only when cycles
    #: are calendar months.
    actual_cycle_days: int | None = None
    planned_cycle_days: int | None = None

    @property
    def band(self) -> str | None:
        """The RDI's band, or None without an RDI."""
        return None if self.percent is None else intensity_band(self.percent)


def _span(dates: list[date], cycle_days: int) -> int | None:
    return (max(dates) - min(dates)).days + cycle_days if dates else None


def relative_dose_intensity(delivered: list[tuple[date, Decimal]],
                            planned: list[tuple[date, Decimal]],
                            cycle_days: int, planned_cycle_days: int | None = None, *,
                            at_least_planned: bool = False) -> Intensity:
    """The RDI of doses ``delivered`` (date, amount given) against ``planned`` (planned
    date, amount planned), amounts in one unit, with ``cycle_days`` the length of one
    planned cycle (days, from 1) added to the actual time, and ``planned_cycle_days`` the
    one added to the planned time (default: ``cycle_days``). They differ when cycles are
    calendar months: each is the planned length of that time's last cycle (28 to 31 days
    for a month).

    ``at_least_planned``: the actual time is at least the planned time (for a treatment
    that ended with doses not given, measured against the whole protocol: the doses not
    given count as nothing delivered over the time they were planned in, instead of the
    time shrinking with them; docs/record.md, "Summary").

    ``percent`` is None when nothing was planned or delivered. Exact: Decimal throughout.

    >>> d = date.fromisoformat
    >>> plan = [(d("2027-01-04"), Decimal(100)), (d("2027-01-25"), Decimal(100))]
    >>> late = [(d("2027-01-04"), Decimal(100)), (d("2027-02-01"), Decimal(100))]
    >>> relative_dose_intensity(late, plan, 21).percent
    Decimal('85.71428571428571428571428571')
    """
    other = cycle_days if planned_cycle_days is None else planned_cycle_days
    if cycle_days < 1 or other < 1:
        raise ValueError("a cycle lasts at least 1 day")
    given = sum((a for _, a in delivered), Decimal(0))
    wanted = sum((a for _, a in planned), Decimal(0))
    actual_days = _span([d for d, _ in delivered], cycle_days)
    planned_days = _span([d for d, _ in planned], other)
    raised = False
    if at_least_planned and actual_days is not None and planned_days is not None \
            and actual_days < planned_days:
        actual_days, raised = planned_days, True
    with localcontext(EXACT) as context:
        context.prec = 28  # a ratio need not be exact: 28 significant digits
        ratio = normal(given * 100 / wanted) if wanted else None
        percent = None
        if wanted and given and actual_days and planned_days:
            percent = normal((given / actual_days) / (wanted / planned_days) * 100)
    return Intensity(percent, given, wanted, actual_days, planned_days, ratio, raised,
                     cycle_days, other)
