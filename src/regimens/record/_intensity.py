"""Relative dose intensity (Hryniuk 1984), exactly.

Dose intensity is the dose delivered per unit of time; relative dose intensity (RDI) is
the delivered intensity over the planned one:

    RDI = (delivered dose / actual time) / (planned dose / planned time)

with each time measured from the first dose to the last plus one planned cycle length
(the last cycle's own time): actual time = last dose date - first dose date + one cycle;
planned time the same on the planned dates (Hryniuk W, Bush H. J Clin Oncol
1984;2:1281-8; Lyman GH, J Natl Compr Canc Netw 2009;7:99-108). Doses are in the dose's own
basis, as Hryniuk defined dose intensity (mg/m2/week for doses per m2): the summary passes
each amount divided by the body size it was computed from (m2, kg, or GFR + 25 mL/min for
an AUC dose), or the absolute amounts for flat doses. The usual bands: at least 85%, 65% to
under 85%, under 65% (Lyman's review: outcomes fall below 85%).

Exact: the sums and the ratio are fractions (:class:`fractions.Fraction`, exact for
decimal amounts and for an amount divided by a body size), rounded once: to 28
significant digits for ``percent`` and ``ratio``, half up to one decimal for what is shown
(:func:`one_decimal`), so a figure on a rounding boundary (84.95%) is shown as its exact
value rounds (85.0%), never as a 28-digit approximation of it rounds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal, localcontext
from fractions import Fraction
from math import floor

from .._records import dataclass
from ..quantities import EXACT, normal
from ._numbers import exact_number, number_fields

__all__ = ["RDI_BANDS", "RDI_BASES", "RDI_OVER", "Intensity", "intensity_band", "one_decimal",
           "relative_dose_intensity"]

#: The bands an RDI is reported in, from the highest: (lower bound in %, label).
RDI_BANDS = ((Decimal(85), ">= 85%"), (Decimal(65), "65-85%"), (Decimal(0), "< 65%"))


#: The band of an RDI above 100%: more dose per unit of time than planned (an amount given
#: above the planned one, or cycles given closer together), never reported as fine.
RDI_OVER = "> 100%"

#: What an RDI's doses are, as the JSON's ``rdi.basis`` says it: ``absolute`` (the amounts,
#: e.g. mg: flat doses), ``per_m2`` (each amount over the BSA it was computed from),
#: ``per_kg`` (over the weight) or ``auc`` (over GFR + 25 mL/min: the AUC delivered,
#: Calvert).
RDI_BASES = ("absolute", "per_m2", "per_kg", "auc")


def one_decimal(value: Decimal | Fraction | int | float) -> Decimal:
    """A percentage as every output shows it: rounded half up to one decimal, the decimal
    always written (``Decimal("85.0")``, ``Decimal("100.0")``, ``Decimal("0.0")``); exact
    for a fraction (84.95 is 85.0, 84.9499... is 84.9). ``value`` is at least 0.

    >>> one_decimal(Fraction(1699, 20)), one_decimal(Decimal(100)), one_decimal(Decimal(0))
    (Decimal('85.0'), Decimal('100.0'), Decimal('0.0'))

    An int or a float is read as written (84.95 is 85.0, never the binary 84.9499...).

    Raises:
        QuantityTypeError: ``value`` is not a number.
        ValueError: ``value`` is below 0.
    """
    exact = exact_number(value, "value", "percentage")
    if exact < 0:
        raise ValueError(f"a percentage shown is at least 0 (got {value})")
    tenths = floor(exact * 10 + Fraction(1, 2))
    with localcontext(EXACT):
        return (Decimal(tenths) / 10).quantize(Decimal("0.1"))


def _digits(value: Fraction) -> Decimal:
    """``value`` to 28 significant digits (one rounding), trailing zeros dropped."""
    with localcontext(EXACT) as context:
        context.prec = 28  # a ratio need not be exact: 28 significant digits
        return normal(Decimal(value.numerator) / Decimal(value.denominator))


def intensity_band(percent: Decimal | Fraction | int | float) -> str:
    """The band of an RDI in percent: :data:`RDI_OVER` above 100, ``">= 85%"`` (85 to
    100 included), ``"65-85%"`` (65 included, 85 not) or ``"< 65%"``. An int or a float
    is read as written (85.0 is ``">= 85%"``).

    Raises:
        QuantityTypeError: ``percent`` is not a number.
    """
    exact = exact_number(percent, "percent", "percentage")
    if exact > 100:
        return RDI_OVER
    for bound, label in RDI_BANDS:
        if exact >= Fraction(bound):
            return label
    return RDI_BANDS[-1][1]


@dataclass(frozen=True)
class Intensity:
    """An RDI and its parts: ``percent`` (to 28 significant digits, ``exact`` the fraction;
    None when undefined: nothing planned, or nothing delivered while doses are still
    planned; 0 when the treatment ended with nothing delivered), ``delivered`` and
    ``planned`` totals (in one unit: amounts, or amounts per body size), ``actual_days``
    and ``planned_days`` (first to last dose plus one cycle, in days; ``actual_days`` at
    least ``planned_days`` when ``at_least_planned``), ``ratio`` (delivered over planned,
    in percent, without time), ``actual_cycle_days`` and ``planned_cycle_days`` (the cycle
    length each time adds) and ``band`` (:func:`intensity_band` of the RDI as shown).
    ``shown`` and ``ratio_shown`` are ``percent`` and ``ratio`` as outputs show them
    (:func:`one_decimal`, from the exact values ``exact`` and ``ratio_exact``)."""

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
    #: are calendar months, or for a course by interval (a list of days: the planned
    #: interval after each time's last dose).
    actual_cycle_days: int | None = None
    planned_cycle_days: int | None = None
    #: ``percent`` and ``ratio`` as exact fractions (None when undefined).
    exact: Fraction | None = None
    ratio_exact: Fraction | None = None

    def __post_init__(self) -> None:
        # Numbers given as floats are read as written, as the quantities API reads them.
        number_fields(self, "relative dose intensity", "percent", "delivered", "planned",
                      "ratio")
        for name in ("exact", "ratio_exact"):
            value = getattr(self, name)
            if value is not None and type(value) is not Fraction:
                object.__setattr__(self, name, exact_number(value, name,
                                                            "relative dose intensity"))

    @property
    def shown(self) -> Decimal | None:
        """The RDI in percent as shown: half up to one decimal (None without an RDI)."""
        if self.exact is not None:
            return one_decimal(self.exact)
        return None if self.percent is None else one_decimal(self.percent)

    @property
    def ratio_shown(self) -> Decimal | None:
        """Delivered over planned in percent as shown: half up to one decimal."""
        if self.ratio_exact is not None:
            return one_decimal(self.ratio_exact)
        return None if self.ratio is None else one_decimal(self.ratio)

    @property
    def band(self) -> str | None:
        """The band of the RDI as shown (:attr:`shown`), so that a figure and its band
        never disagree: 84.95% is shown 85.0% (>= 85%), 100.04% 100.0% (>= 85%); None
        without an RDI."""
        shown = self.shown
        return None if shown is None else intensity_band(shown)


def _span(dates: list[date], cycle_days: int) -> int | None:
    return (max(dates) - min(dates)).days + cycle_days if dates else None


def relative_dose_intensity(
        delivered: Sequence[tuple[date, Decimal | Fraction | int | float]],
        planned: Sequence[tuple[date, Decimal | Fraction | int | float]],
        cycle_days: int, planned_cycle_days: int | None = None, *,
        at_least_planned: bool = False,
        totals: tuple[Decimal | int | float, Decimal | int | float] | None = None
) -> Intensity:
    """The RDI of doses ``delivered`` (date, dose given) against ``planned`` (planned
    date, dose planned), doses in one unit (an amount, or an amount per body size: a
    :class:`~fractions.Fraction` keeps an amount over a BSA exact), with ``cycle_days``
    the length of one planned cycle (days, from 1) added to the actual time, and
    ``planned_cycle_days`` the one added to the planned time (default: ``cycle_days``).
    They differ when cycles are calendar months: each is the planned length of that time's
    last cycle (28 to 31 days for a month); for a course without cycles or a fixed interval
    (a list of days), the planned interval after that time's last dose.

    ``at_least_planned``: the actual time is at least the planned time (for a treatment
    that ended with doses not given, measured against the whole protocol: the doses not
    given count as nothing delivered over the time they were planned in, instead of the
    time shrinking with them; docs/record.md, "Summary"). With nothing delivered at all
    the actual time is the planned time and the RDI is 0% (not undefined: the treatment
    ended and none of it was given).

    ``totals``: the delivered and planned totals ``ratio`` is of (the absolute amounts,
    when the doses are per body size: the plain ratio stays one of amounts); default the
    sums of the doses. ``delivered`` and ``planned`` of the result are the sums of the
    doses (to 28 significant digits when not exact decimals).

    ``percent`` is None when nothing was planned, or nothing delivered without
    ``at_least_planned`` (no dose given yet: the intensity counts from the first dose
    given, so it is not defined so far). Exact: fractions
    throughout, rounded once at the end. Doses and totals given as ints or floats are
    read as the quantities API reads them: a float as written (0.8495 is 0.8495, not the
    binary 0.84950000000000003...).

    Raises:
        ValueError: a cycle length below 1 day.
        QuantityTypeError: a dose or a total that is not a number (text, None, a bool).

    >>> d = date.fromisoformat
    >>> plan = [(d("2027-01-04"), Decimal(100)), (d("2027-01-25"), Decimal(100))]
    >>> late = [(d("2027-01-04"), Decimal(100)), (d("2027-02-01"), Decimal(100))]
    >>> rdi = relative_dose_intensity(late, plan, 21)
    >>> rdi.percent, rdi.shown, rdi.band
    (Decimal('85.71428571428571428571428571'), Decimal('85.7'), '>= 85%')
    """
    other = cycle_days if planned_cycle_days is None else planned_cycle_days
    if cycle_days < 1 or other < 1:
        raise ValueError("a cycle lasts at least 1 day")
    # Floats are read as written (0.8495 is 0.8495, never the binary 0.84950000000000003...).
    given = sum((exact_number(a, "delivered", "relative dose intensity")
                 for _, a in delivered), Fraction(0))
    wanted = sum((exact_number(a, "planned", "relative dose intensity")
                  for _, a in planned), Fraction(0))
    actual_days = _span([d for d, _ in delivered], cycle_days)
    planned_days = _span([d for d, _ in planned], other)
    raised = False
    if at_least_planned and planned_days is not None and (
            actual_days is None or actual_days < planned_days):
        # Nothing given at all (no first dose: no actual time of its own) is the extreme
        # of a treatment that ended with doses not given: nothing delivered over the time
        # they were planned in, 0%.
        actual_days, raised = planned_days, True
    over, under = (given, wanted) if totals is None else (
        exact_number(totals[0], "totals", "relative dose intensity"),
        exact_number(totals[1], "totals", "relative dose intensity"))
    ratio = over * 100 / under if under else None
    exact = None
    if wanted and (given or raised) and actual_days and planned_days:
        exact = (given / actual_days) / (wanted / planned_days) * 100
    return Intensity(None if exact is None else _digits(exact), _digits(given),
                     _digits(wanted), actual_days, planned_days,
                     None if ratio is None else _digits(ratio), raised, cycle_days, other,
                     exact, ratio)
