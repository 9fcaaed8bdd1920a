"""The planning file ``plan: regimens-supply/1``: who is treated where, and how drug is packed.

The plan as the forecast uses it: frozen records (:class:`Plan`, its participants, sites,
simulation model and packaging). Its declaration and JSON Schema are in ``_plan_schema``;
it is read from a file, with every problem at once, by ``_plan_read`` (the fields by
``_plan_reader``, one value by ``_plan_values``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ..errors import Loc, Problem
from ..quantities import Amount

__all__ = [
    "FORMAT",
    "Packaging",
    "Plan",
    "PlanSite",
    "PlannedParticipant",
]

#: The value of the ``plan`` key: the only planning-file format there is.
FORMAT = "regimens-supply/1"
#: The statistics reported when the plan names none: the median and two service levels.
DEFAULT_STATISTICS = ("p50", "p90", "p95")


@dataclass(frozen=True)
class PlannedParticipant:
    """One participant of a fixed list (``participants:``): who, where, which arm, when.

    ``start`` is the date of Study Day 1 in the site's calendar; ``weight`` (kg),
    ``height`` (cm) and ``bsa`` (m2) are exact decimals or None (only per-kg and
    per-m2 doses need them); ``lengths``: ``((period id, length text), ...)`` for
    the regimen's variable periods (the regimen's own default otherwise).
    """

    id: str
    site: str
    arm: str
    start: date
    weight: Decimal | None = None
    height: Decimal | None = None
    bsa: Decimal | None = None
    lengths: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PlanSite:
    """A site (``sites:``): its id and, for timed doses, its IANA time zone (``tz``).

    The site's calendar is the one its participants' dates are in; weeks are counted
    from their Mondays in that calendar. ``opens`` is the site's activation date.
    """

    id: str
    tz: str | None = None
    opens: date | None = None
    rate: Decimal | None = None
    rate_sd: Decimal | None = None
    activation: tuple[int, int] | None = None


@dataclass(frozen=True)
class Simulation:
    """A plan's model of the trial, for simulated enrolment (``sample_size:``).

    ``model``: the enrolment, randomisation, body sizes and treatment ends, as the
    specification types of :mod:`regimens.supply` (``Enrolment``, ``Randomisation``,
    ``BodySizes`` or ``EmpiricalSizes``, ``Treatment``); ``lengths``: period id ->
    ``((days, weight), ...)`` to choose from, or None: uniform over the period's
    range. What depends on the regimen (which periods vary, which come before Study
    Day 1) is added when the plan meets it (:func:`regimens.supply.simulate`).
    """

    enrolment: Any
    randomisation: Any
    sizes: Any
    treatment: Any
    lengths: tuple[tuple[str, tuple[tuple[int, int], ...] | None], ...] = ()


@dataclass(frozen=True)
class Packaging:
    """How one drug is packed and shipped (``drugs.ID:``).

    ``vials``: the vial sizes stocked (empty: the regimen's own ``vials``); each dose
    is made up by the least-waste rule (:func:`regimens.least_waste_vials`), the rule
    of the dose sheet. ``placebo_vials``: the vials one matching-placebo
    administration takes (None: those of the active dose, when the active dose is one
    flat amount). ``kit``: administrations per kit (a kit of 28 tablets at one tablet
    per administration is 28); a participant opens a new kit for the first
    administration it has no kit for. ``shelf_life``, ``do_not_dispense``,
    ``lead_time`` (depot to site) and ``buffer`` (stock kept at the site): days.
    """

    drug: str
    vials: tuple[Amount, ...] = ()
    placebo_vials: int | None = None
    kit: int | None = None
    shelf_life: int | None = None
    do_not_dispense: int = 0
    lead_time: int = 0
    buffer: int = 0


@dataclass(frozen=True)
class Plan:
    """A supply plan: the participants (a fixed list, or ``simulation``: a model of
    enrolment that draws them) and how each drug is packed.

    ``period``: ``"week"`` (ISO weeks, from Monday) or ``"month"``: the time unit
    of the forecast. ``statistics``: the quantiles reported (``"p50"``, ...).
    ``overage``: the fraction added to what is shipped (``Decimal("0.1")`` for 10%);
    ``service_level``: the quantile shipped (``Decimal("0.95")``), None for the
    median. ``name`` is the file name messages cite; ``lines`` the line of each
    field path, so that a problem found against the regimen still names its line.
    """

    participants: tuple[PlannedParticipant, ...] = ()
    sites: tuple[PlanSite, ...] = ()
    drugs: tuple[Packaging, ...] = ()
    period: str = "week"
    statistics: tuple[str, ...] = DEFAULT_STATISTICS
    overage: Decimal = Decimal(0)
    service_level: Decimal | None = None
    title: str = ""
    simulation: Simulation | None = None
    name: str = field(default="<plan>", compare=False)
    sha256: str = field(default="", compare=False, repr=False)
    lines: dict[Loc, int] = field(default_factory=dict, compare=False, repr=False)

    def site(self, site_id: str) -> PlanSite:
        """The site with this id (a participant's site not listed under ``sites`` is a
        site with no time zone)."""
        for site in self.sites:
            if site.id == site_id:
                return site
        return PlanSite(site_id)

    def packaging(self, drug: str) -> Packaging:
        """How ``drug`` is packed: its ``drugs`` entry, or nothing said (the regimen's
        vials, no kit, no lead time)."""
        for entry in self.drugs:
            if entry.drug == drug:
                return entry
        return Packaging(drug)

    def problem(self, loc: Loc, message: str, value: Any, *, code: str) -> Problem:
        """A problem at ``loc`` in the plan file, on the line of its nearest field."""
        probe = loc
        while probe and probe not in self.lines:
            probe = probe[:-1]
        return Problem(self.name, self.lines.get(probe), loc, message, value, code=code)
