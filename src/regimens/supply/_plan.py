"""The planning file ``plan: regimens-supply/1``: who is treated where, and how drug is packed.

Read like a regimen file (YAML 1.2 or JSON, the same reader: line numbers, no tags or
aliases, a size cap), checked against one declaration (:data:`PLAN`) that also gives
the JSON Schema (:func:`plan_schema`), and built into a frozen :class:`Plan`. Every
problem is reported as ``FILE:LINE: field.path: what is wrong (got VALUE)``, all of
them at once, in the order of the file: the structure's, then every value whose
structure is right is read (:func:`read_plan`; a value is not read when its own
structure, or one it needs, is wrong), and, given a check against the regimen
(``against``: :func:`regimens.supply.load_plan` with ``regimen=``), what the plan says
about the regimen (its arms, periods, drugs, vials) is checked on what could be read
(:class:`Partial`). Read on its own, a plan meets its regimen in
:func:`regimens.supply.simulate`, which reports those problems then.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..engine import parse_zone
from ..errors import ExpandOptionError, InvalidRegimenError, Loc, Problem, UnitError
from ..format import (
    ID_PATTERN,
    MAX_BYTES,
    Cursor,
    Document,
    Either,
    Fail,
    Field,
    ListOf,
    MapOf,
    Record,
    Text,
    Whole,
    fail,
    parse_document,
    read_duration,
    read_length,
    unit_fail,
)
from ..model import implausible
from ..quantities import Amount, Duration, parse_amount, parse_measure, same_amount
from ._bodies import BodySizes, EmpiricalSizes, Moments, SizeDistribution
from ._enrolment import ActivationDelay, Enrolment, Site
from ._randomise import Randomisation
from ._treatment import Treatment

__all__ = [
    "FORMAT",
    "PLAN",
    "Packaging",
    "Plan",
    "PlanSite",
    "PlannedParticipant",
    "plan_schema",
    "read_file",
    "read_text",
]

#: The value of the ``plan`` key: the only planning-file format there is.
FORMAT = "regimens-supply/1"
#: The statistics reported when the plan names none: the median and two service levels.
DEFAULT_STATISTICS = ("p50", "p90", "p95")

_PERCENT = re.compile(r"\s*(?P<n>-?[0-9]+(?:\.[0-9]+)?)\s*%\s*\Z")
_STATISTIC = r"p(?:100|[1-9]?[0-9](?:\.[0-9]+)?)"
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


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


# The declaration: structure and JSON Schema -------------------------------------------------

def _id(what: str) -> Text:
    return Text(what, pattern=ID_PATTERN,
                pattern_help="ids use lower-case letters, digits and hyphens (e.g. 'paris')")


def _date(what: str) -> Text:
    return Text(what, pattern=_DATE, pattern_help="a calendar date is written YYYY-MM-DD")


def _length(what: str) -> Text:
    return Text(what, number_help="a bare number is not a length: give its unit, e.g. "
                "'30 days' or '2 weeks'")


def _percent(what: str) -> Text:
    # A minus sign is read, so that a negative percentage is refused with its range
    # (the pattern alone said "written with %" of '-5%').
    return Text(what, pattern=r"\s*-?[0-9]+(?:\.[0-9]+)?\s*%\s*",
                pattern_help="a percentage is written with %, e.g. '10%'",
                number_help="a bare number is not a percentage: write it with %, e.g. '10%'")


_MEASURE = "'{}' (a number and its unit)"

PARTICIPANT = Record({
    "id": Field(Text("the participant's label (never a name)", single_line=True,
                     nonblank=True, max_length=100), required=True),
    "site": Field(_id("the site's id"), required=True),
    "arm": Field(_id("the arm's id in the regimen"), required=True),
    "start": Field(_date("the date of Study Day 1, in the site's calendar"), required=True),
    "weight": Field(Text("weight, e.g. '70 kg' or '154 lb'",
                         number_help="a bare number is not a weight: give its unit, e.g. "
                         "'70 kg' or '154 lb'")),
    "height": Field(Text("height, e.g. '175 cm'",
                         number_help="a bare number is not a height: give its unit, e.g. "
                         "'175 cm'")),
    "bsa": Field(Text("body surface area, e.g. '1.8 m2'",
                      number_help="a bare number is not a body surface area: give its "
                      "unit, e.g. '1.8 m2'")),
    "lengths": Field(MapOf(_length("the length chosen"),
                           "period id: the length chosen for a variable period")),
}, "one participant of a fixed list")

_RATE = r"\s*[0-9]+(?:\.[0-9]+)?\s*/\s*week\s*"

SITE = Record({
    "id": Field(_id("the site's id"), required=True),
    "tz": Field(Text("IANA time zone of the site, for timed doses (e.g. Europe/Paris)")),
    "opens": Field(_date("the date the site opens to enrolment")),
    "rate": Field(Text("participants screened per week (Poisson), e.g. '1.5/week'",
                       pattern=_RATE, pattern_help="a rate is written N/week, e.g. '1.5/week'",
                       number_help="a bare number is not a rate: write it N/week, e.g. "
                       "'1.5/week'")),
    "rate_sd": Field(Text("the uncertainty of the rate: the standard deviation of the gamma "
                          "distribution it is drawn from (Poisson-gamma), e.g. '0.5/week'",
                          pattern=_RATE,
                          pattern_help="a rate is written N/week, e.g. '0.5/week'",
                          number_help="a bare number is not a rate: write it N/week, e.g. "
                          "'0.5/week'")),
    "activation": Field(_length("an uncertain activation: opens this many days or weeks "
                                "after 'opens', uniformly, e.g. '0-8 weeks'")),
}, "a site")

_BARE = "a bare number is not a body size: give its unit, e.g. '75 kg' or '172 cm'"

_MOMENTS = Record({
    "mean": Field(Text("the mean, e.g. '75 kg'", number_help=_BARE), required=True),
    "sd": Field(Text("the standard deviation, e.g. '12 kg'", number_help=_BARE),
                required=True),
}, "a mean and standard deviation")

DISTRIBUTION = Record({
    "distribution": Field(Text("the distribution", enum=("normal", "log-normal")),
                          required=True),
    "mean": Field(Text("the mean, for everyone, e.g. '75 kg'", number_help=_BARE)),
    "sd": Field(Text("the standard deviation, for everyone, e.g. '12 kg'",
                     number_help=_BARE)),
    "female": Field(_MOMENTS),
    "male": Field(_MOMENTS),
}, "a body-size distribution, for everyone or by sex")

_LENGTH_KEY = r"[0-9]+ (?:days?|weeks?)"

LENGTH = Either((
    Text("'uniform': every whole week (or day) of the range equally likely",
         enum=("uniform",)),
    Record({"choices": Field(MapOf(Whole("relative weight", minimum=1),
                                   "length: relative weight, e.g. {14 weeks: 2, 18 weeks: 1}",
                                   key_pattern=_LENGTH_KEY, min_items=1,
                                   key_help="a length is written N days or N weeks"),
                             required=True)}, "the lengths to choose from, with weights"),
), "how a variable period's length is chosen per participant")

PACKAGING = Record({
    "vials": Field(ListOf(Text("a vial size, e.g. '1 MIU' or '100 mg'"),
                          "the vial sizes stocked (default: the regimen's vials for the drug)",
                          min_items=1)),
    "placebo_vials": Field(Whole("vials one matching-placebo administration takes",
                                 minimum=1)),
    "kit": Field(Whole("administrations per kit, e.g. 28 (28 tablets, one a day)",
                       minimum=1)),
    "shelf_life": Field(_length("shelf life from release at the depot, e.g. '104 weeks'")),
    "do_not_dispense": Field(_length("days before expiry after which stock is not "
                                     "dispensed, e.g. '30 days'")),
    "lead_time": Field(_length("time from the depot to the site, e.g. '2 weeks'")),
    "buffer": Field(_length("stock kept at the site, in days or weeks of demand, e.g. "
                            "'4 weeks'")),
}, "how a drug is packed and shipped")

PLAN = Record({
    "plan": Field(Text("the planning-file format", enum=(FORMAT,)), required=True),
    "$schema": Field(Text("the JSON Schema, for editors"), listed=False),
    "title": Field(Text("a title", single_line=True, nonblank=True)),
    "participants": Field(ListOf(PARTICIPANT, "a fixed list of participants", min_items=1)),
    "arms": Field(MapOf(Whole("the arm's share of the randomisation ratio", minimum=1),
                        "arm id: ratio, e.g. {il2: 1, placebo: 1}", min_items=1)),
    "block": Field(Whole("the size of the permuted blocks (a multiple of the sum of the "
                         "ratios; default twice it)", minimum=1)),
    "sample_size": Field(Whole("participants randomised before enrolment stops", minimum=1)),
    "screen_failure": Field(_percent("screened participants not randomised, e.g. '20%'")),
    "dropout": Field(Text("the probability per week on treatment of dropping out, e.g. "
                          "'0.5%/week'", pattern=r"\s*[0-9]+(?:\.[0-9]+)?\s*%\s*/\s*week\s*",
                          pattern_help="a dropout rate is written N%/week, e.g. '0.5%/week'")),
    "progression": Field(Record({
        "distribution": Field(Text("the time to progression", enum=("exponential",)),
                              required=True),
        "median": Field(_length("the median time on treatment, e.g. '40 weeks'"),
                        required=True),
    }, "treatment until progression: the time on treatment, a time to event")),
    "weight": Field(DISTRIBUTION),
    "height": Field(DISTRIBUTION),
    "female": Field(_percent("the proportion of participants who are female, e.g. '50%'")),
    "body_sizes": Field(Text("a CSV file of weights, heights and sexes to resample (its "
                             "path from the plan's folder)", single_line=True,
                             nonblank=True)),
    "lengths": Field(MapOf(LENGTH, "period id: how its length is chosen")),
    "sites": Field(ListOf(SITE, min_items=1)),
    "drugs": Field(MapOf(PACKAGING, "drug id: its packaging")),
    "period": Field(Text("the time unit of the forecast", enum=("week", "month"))),
    "statistics": Field(ListOf(Text("a quantile over simulations, e.g. p50 or p95",
                                    pattern=_STATISTIC,
                                    pattern_help="a statistic is pN, a quantile in percent "
                                    "from p0 to p100, e.g. p50 or p97.5"), min_items=1)),
    "overage": Field(_percent("added to what is shipped, e.g. '10%'")),
    "service_level": Field(_percent("the quantile of demand shipped, e.g. '95%'")),
}, "a drug-supply plan for one regimen", title="regimens supply plan 1")


def plan_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the planning file ``regimens-supply/1``.

    It checks structure (types, required and unknown fields, simple forms);
    meaning (dates, quantities, sites) is checked by :func:`loads_plan`.
    """
    out: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                           "$id": "https://regimens.invalid/schema/regimens-supply-1.json"}
    out.update(PLAN.schema())
    # A fixed list of participants, or simulated enrolment.
    out["anyOf"] = [{"required": ["participants"]}, {"required": ["sample_size"]}]
    return out


# Reading --------------------------------------------------------------------------------

#: The keys of simulated enrolment (beside ``sites``, which a fixed list may have too).
_SIMULATION_KEYS = ("arms", "block", "sample_size", "screen_failure", "dropout", "progression",
                    "weight", "height", "female", "body_sizes", "lengths")


def _percentage(cur: Cursor, *, below_100: bool, zero: bool = False) -> Decimal:
    match = _PERCENT.match(cur.value)
    assert match is not None  # the structure check ran first
    value = Decimal(match["n"])
    if zero:
        if value < 0 or value > 100 or (below_100 and value == 100):
            raise fail(cur, "a proportion is from 0% to "
                       + ("below 100%" if below_100 else "100%"), code="bad-percentage")
    elif below_100 and not 0 < value < 100:
        raise fail(cur, "a service level is above 0% and below 100%", code="bad-percentage")
    elif not below_100 and value < 0:
        raise fail(cur, "an overage is from 0% to 1000% (it adds to what is shipped)",
                   code="bad-percentage")
    elif not below_100 and value > 1000:
        raise fail(cur, "an overage is at most 1000%", code="bad-percentage")
    return value / 100


def _per_week(cur: Cursor) -> Decimal:
    """A rate ``N/week`` (the structure check ran first)."""
    return Decimal(cur.value.split("/")[0].strip())


def _quantity(cur: Cursor, kind: str) -> float:
    """A distribution's mean or sd, in kg or cm (``'12 kg'``, ``'7 cm'``)."""
    try:
        return float(parse_measure(kind, cur.value))
    except UnitError as exc:
        raise unit_fail(cur, exc) from None


def _measure(cur: Cursor, kind: str) -> Decimal:
    try:
        value = parse_measure(kind, cur.value)
    except UnitError as exc:
        raise unit_fail(cur, exc) from None
    reason = implausible(kind, value)
    if reason is not None:
        raise fail(cur, reason, code="bad-measurement")
    return value


def _a_date(cur: Cursor) -> date:
    try:
        return date.fromisoformat(cur.value)
    except ValueError:
        raise fail(cur, "not a calendar date (YYYY-MM-DD)", code="bad-date") from None


@dataclass(frozen=True)
class Partial:
    """What a plan says about its regimen, read even from a plan with problems, so that
    its problems against the regimen are reported with the file's own, at once.

    ``participants``: ``(index in the file, arm, ((period, length), ...))`` of every
    participant whose arm could be read (its readable lengths); ``drugs``: every drug id
    under ``drugs``; ``unread``: those whose packaging could not be read (only their id
    is checked); ``arms`` and ``lengths``: the ids under simulated enrolment's ``arms``
    and ``lengths`` that could be read.
    """

    participants: tuple[tuple[int, str, tuple[tuple[str, str], ...]], ...] = ()
    drugs: tuple[str, ...] = ()
    unread: frozenset[str] = frozenset()
    arms: tuple[str, ...] = ()
    lengths: tuple[str, ...] = ()

    @classmethod
    def of(cls, plan: Plan) -> Partial:
        """A plan read without problems: everything in it."""
        sim = plan.simulation
        return cls(tuple((i, p.arm, p.lengths) for i, p in enumerate(plan.participants)),
                   tuple(d.drug for d in plan.drugs), frozenset(),
                   tuple(sim.randomisation.ids) if sim else (),
                   tuple(period for period, _how in sim.lengths) if sim else ())


class _Reader:
    """Reads the values of a plan whose structure was checked; a field whose structure is
    wrong (``broken``: its own problem is already reported) is not read, and neither is
    what needs it, but every other field is, so that independent problems come at once."""

    def __init__(self, doc: Document, broken: frozenset[Loc] = frozenset(),
                 misspelt: frozenset[Loc] = frozenset()) -> None:
        self.doc = doc
        self.misspelt = misspelt
        self.problems: list[Problem] = []
        self.broken = broken
        self.unread: set[str] = set()
        self.read_participants: list[tuple[int, str, tuple[tuple[str, str], ...]]] = []

    def ok(self, cur: Cursor) -> bool:
        """Whether nothing at, above or under ``cur`` has a structure problem."""
        path = cur.path
        return not any(b[:len(path)] == path or path[:len(b)] == b for b in self.broken)

    def whole(self, cur: Cursor) -> bool:
        """Whether the value at ``cur`` itself and everything above it are well formed
        (fields under it may have problems of their own)."""
        path = cur.path
        return not any(path[:len(b)] == b for b in self.broken)

    def attempt(self, read: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return read(*args, **kwargs)
        except Fail as failed:
            self.problems.append(failed.problem)
            return None

    def participant(self, index: int, cur: Cursor,
                    sites: set[str] | None) -> PlannedParticipant | None:
        raw = cur.value
        start = self.attempt(_a_date, cur.at("start")) if self.ok(cur.at("start")) else None
        sizes = {kind: self.attempt(_measure, cur.at(kind), kind)
                 if self.ok(cur.at(kind)) else None
                 for kind in ("weight", "height", "bsa") if kind in raw}
        lengths = raw.get("lengths", {}) if self.whole(cur.at("lengths")) else {}
        read = []
        for period in lengths:
            place = cur.at("lengths").at(period)
            if self.ok(place) and self.attempt(read_duration, place) is not None:
                read.append((period, lengths[period]))
        if self.ok(cur.at("arm")):
            self.read_participants.append((index, raw["arm"], tuple(read)))
        if not self.ok(cur.at("site")):
            return None
        if sites is not None and raw["site"] not in sites:
            self.problems.append(cur.at("site").problem(
                f"no site has this id (sites: {', '.join(sorted(sites))})",
                code="unknown-site"))
            return None
        if (start is None or any(v is None for v in sizes.values()) or not self.ok(cur)
                or len(read) != len(raw.get("lengths", {}))):
            return None
        return PlannedParticipant(raw["id"], raw["site"], raw["arm"], start,
                                  sizes.get("weight"), sizes.get("height"), sizes.get("bsa"),
                                  tuple(lengths.items()))

    def packaging(self, drug: str, cur: Cursor, period: str = "week") -> Packaging | None:
        raw = cur.value
        if not self.ok(cur):
            self.unread.add(drug)  # its id is still checked against the regimen
        if not self.whole(cur):
            return None
        vials: list[Amount] = []
        for _, item in cur.at("vials").items() if "vials" in raw and self.whole(
                cur.at("vials")) else ():
            if not self.ok(item):
                continue
            try:
                size = parse_amount(item.value)
            except UnitError as exc:
                self.problems.append(unit_fail(item, exc).problem)
                self.unread.add(drug)
                continue
            if size.magnitude <= 0:
                self.problems.append(item.problem("a vial size is greater than zero",
                                                  code="too-small"))
            elif any(same_amount(size, known) for known in vials):
                self.problems.append(item.problem("a vial size is listed twice",
                                                  code="duplicate-vial"))
            elif vials and vials[0].unit.dimension is not size.unit.dimension:
                self.problems.append(item.problem("vial sizes measure one dimension",
                                                  code="mixed-vial-dimensions"))
                self.unread.add(drug)
            vials.append(size)
        days = {key: self.attempt(read_duration, cur.at(key), allow_zero=key != "shelf_life")
                for key in ("shelf_life", "do_not_dispense", "lead_time", "buffer")
                if key in raw and self.ok(cur.at(key))}
        if any(v is None for v in days.values()) or not self.ok(cur):
            self.unread.add(drug)
            return None
        shelf = days.get("shelf_life")
        lead, buffer, dnd = (days[k].days if k in days else 0
                             for k in ("lead_time", "buffer", "do_not_dispense"))
        # A period's stock is shipped lead_time + buffer before the period starts (day 0
        # its release) and dispensed on its days up to its last, lead_time + buffer +
        # length - 1; from shelf_life - do_not_dispense on it may not be dispensed. So
        # every unit is dispensable on every day it may be needed exactly when
        # shelf_life - do_not_dispense >= lead_time + buffer + length (docs/supply.md).
        length, what = (31, "one month (31 days at most)") if period == "month" else (
            7, "one week")
        if shelf is not None and shelf.days - dnd < lead + buffer + length:
            self.problems.append(cur.at("shelf_life").problem(
                f"stock would expire before it is used: the shelf life less do_not_dispense "
                f"({shelf.days - dnd} days) must cover lead_time + buffer + {what} "
                f"({lead + buffer + length} days)", code="shelf-life-too-short"))
            # Read all the same: its vials are still checked against the regimen.
        return Packaging(drug, tuple(vials), raw.get("placebo_vials"), raw.get("kit"),
                         None if shelf is None else shelf.days, dnd, lead, buffer)

    def plan(self, sha256: str) -> tuple[Plan, Partial]:
        """The plan as far as it could be read (a part, when there are problems) and
        what it says about the regimen."""
        root = self.doc.root()
        raw = root.value
        sites: list[PlanSite] = []
        seen: set[str] = set()
        # Participants' sites are checked only against a list that was read whole.
        sites_read = "sites" in raw and self.ok(root.at("sites"))
        listed = self.whole(root.at("sites")) and "sites" in raw
        for _, cur in root.at("sites").items() if listed else ():
            if not self.whole(cur) or not self.ok(cur.at("id")):
                continue
            site = cur.value
            if site["id"] in seen:
                self.problems.append(cur.at("id").problem("duplicate site id",
                                                          code="duplicate-id"))
                continue
            seen.add(site["id"])
            tz = site.get("tz") if self.ok(cur.at("tz")) else None
            if tz is not None and not _known_zone(tz):
                self.problems.append(cur.at("tz").problem(
                    "unknown time zone; give an IANA name such as Europe/Paris",
                    code="unknown-zone"))
            opens = (self.attempt(_a_date, cur.at("opens"))
                     if "opens" in site and self.ok(cur.at("opens")) else None)
            rates = [_per_week(cur.at(k)) if k in site and self.ok(cur.at(k)) else None
                     for k in ("rate", "rate_sd")]
            activation = None
            if "activation" in site and self.ok(cur.at("activation")):
                span = self.attempt(read_length, cur.at("activation"))
                if span is not None:
                    activation = (span.shortest.days, span.longest.days)
            sites.append(PlanSite(site["id"], tz, opens, rates[0], rates[1], activation))
        participants: list[PlannedParticipant] = []
        labels: set[str] = set()
        people = "participants" in raw and self.whole(root.at("participants"))
        for index, cur in root.at("participants").items() if people else ():
            if not self.whole(cur):
                continue
            if self.ok(cur.at("id")):
                if cur.value["id"] in labels:
                    self.problems.append(cur.at("id").problem("duplicate participant id",
                                                              code="duplicate-id"))
                    continue
                labels.add(cur.value["id"])
            made = self.participant(index, cur, seen if sites_read else None)
            if made is not None:
                participants.append(made)
        if people:
            self.all_or_none(root)
        period = raw.get("period", "week") if self.ok(root.at("period")) else "week"
        drugs = ([self.packaging(drug, root.at("drugs").at(drug), period)
                  for drug in raw["drugs"]]
                 if "drugs" in raw and self.whole(root.at("drugs")) else [])
        overage = self.attempt(_percentage, root.at("overage"), below_100=False) \
            if "overage" in raw and self.ok(root.at("overage")) else Decimal(0)
        level = self.attempt(_percentage, root.at("service_level"), below_100=True) \
            if "service_level" in raw and self.ok(root.at("service_level")) else None
        statistics = tuple(raw.get("statistics", DEFAULT_STATISTICS)) \
            if self.whole(root.at("statistics")) else DEFAULT_STATISTICS
        for index, name in enumerate(statistics):
            if name in statistics[:index] and self.ok(root.at("statistics").at(index)):
                self.problems.append(root.at("statistics").at(index).problem(
                    "this statistic is listed twice", code="duplicate-statistic"))
        simulation = self.simulation(root, sites)
        partial = Partial(tuple(self.read_participants),
                          tuple(raw["drugs"]) if "drugs" in raw and self.whole(
                              root.at("drugs")) else (),
                          frozenset(self.unread), *self.simulated_ids(root))
        plan = Plan(tuple(participants), tuple(sites), tuple(d for d in drugs if d),
                    period, statistics, overage or Decimal(0), level,
                    raw.get("title", "") if self.ok(root.at("title")) else "",
                    simulation, self.doc.name, sha256, dict(self.doc.lines))
        return plan, partial

    def simulated_ids(self, root: Cursor) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The arm ids and the period ids of ``lengths`` of simulated enrolment, as far as
        they can be read (for the checks against the regimen)."""
        raw = root.value
        if "participants" in raw:
            return (), ()
        arms = tuple(a for a in raw.get("arms", {}) if self.ok(root.at("arms").at(a))) \
            if self.whole(root.at("arms")) else ()
        lengths = tuple(p for p in raw.get("lengths", {})
                        if self.ok(root.at("lengths").at(p))) \
            if self.whole(root.at("lengths")) else ()
        return arms, lengths

    def model(self, cur: Cursor, make: Any, *args: Any, **kwargs: Any) -> Any:
        """A specification record of the trial model; its own refusal becomes a problem
        at the field it names (``block``, ``arms.il2``) when the plan has it, else at
        ``cur``."""
        try:
            return make(*args, **kwargs)
        except ExpandOptionError as exc:
            target = cur
            for base in (cur, self.doc.root()):
                probe: Cursor | None = base
                for part in exc.option.split("."):
                    probe = probe.at(part) if probe is not None and probe.has(part) else None
                if probe is not None:
                    target = probe
                    break
            self.problems.append(target.problem(
                exc.reason, value=exc.value, show_value=exc.value is not None,
                code="bad-model"))
        except (UnitError, OSError) as exc:
            reason = (f"{exc.filename}: {exc.strerror}" if isinstance(exc, OSError)
                      else str(exc))
            self.problems.append(cur.problem(reason, code="bad-model"))
        return None

    def simulation(self, root: Cursor, sites: list[PlanSite]) -> Simulation | None:
        """The simulation keys, read into the trial model's types (or None: a fixed list)."""
        raw = root.value
        given = [k for k in _SIMULATION_KEYS if k in raw]
        if "participants" in raw:
            for key in given:
                self.problems.append(root.at(key).problem(
                    "goes with simulated enrolment (sample_size); this plan has a fixed list "
                    "of participants", show_value=False, code="fixed-and-simulated"))
            return None
        missing = [k for k in ("sample_size", "arms", "sites") if k not in raw]
        if "sample_size" not in given and not given:
            self.problems.append(root.problem(
                "give participants (a fixed list) or sample_size, arms and sites (simulated "
                "enrolment)", show_value=False, code="missing-field"))
            return None
        for key in missing:
            self.problems.append(root.problem(f"missing required field {key!r} (simulated "
                                              "enrolment)", show_value=False,
                                              code="missing-field"))
        if missing:
            return None
        made = []
        places = {cur.value["id"]: cur for _, cur in root.at("sites").items()
                  if self.whole(root.at("sites")) and self.whole(cur) and self.ok(cur.at("id"))}
        for site in sites:
            place = places[site.id]
            for key in ("opens", "rate"):
                if key not in place.value:
                    self.problems.append(place.problem(
                        f"missing required field {key!r} (simulated enrolment)",
                        show_value=False, code="missing-field"))
            if site.opens is None or site.rate is None or not self.ok(place):
                continue
            delay = None if site.activation is None else ActivationDelay(*site.activation)
            made.append(self.model(place, Site, site.id, site.opens, float(site.rate),
                                   sd=None if site.rate_sd is None else float(site.rate_sd),
                                   delay=delay))
        failure: Decimal | None = Decimal(0)
        if not self.ok(root.at("screen_failure")):
            failure = None
        elif "screen_failure" in raw:
            failure = self.attempt(_percentage, root.at("screen_failure"), below_100=True,
                                   zero=True)
        enrolment = None
        if (len(made) == len(sites) and all(made) and self.ok(root.at("sites"))
                and self.ok(root.at("sample_size")) and failure is not None):
            enrolment = self.model(root.at("sample_size"), Enrolment, made,
                                   raw["sample_size"], float(failure))
        randomisation = None
        if self.ok(root.at("arms")) and self.ok(root.at("block")):
            randomisation = self.model(root.at("arms"), Randomisation, dict(raw["arms"]),
                                       raw.get("block"))
        dropout: Decimal | None = Decimal(0)
        if not self.ok(root.at("dropout")):
            dropout = None
        elif "dropout" in raw:
            dropout = Decimal(raw["dropout"].split("%")[0].strip()) / 100
            if dropout >= 1:
                self.problems.append(root.at("dropout").problem(
                    "a dropout rate is below 100%/week", code="bad-percentage"))
        median = (self.attempt(read_duration, root.at("progression").at("median"))
                  if "progression" in raw and self.ok(root.at("progression")) else None)
        treatment = None
        if dropout is not None and (median is not None or "progression" not in raw):
            treatment = self.model(root.at("dropout") if "dropout" in raw else root,
                                   Treatment, float(dropout),
                                   None if median is None else float(median.days))
        sizes = (self.sizes(root) if all(self.ok(root.at(k)) for k in (
            "weight", "height", "female", "body_sizes")) else False)
        lengths: list[tuple[str, tuple[tuple[int, int], ...] | None]] = []
        for period, how in raw.get("lengths", {}).items() if self.whole(
                root.at("lengths")) else ():
            if not self.ok(root.at("lengths").at(period)):
                continue
            if how == "uniform":
                lengths.append((period, None))
                continue
            where = root.at("lengths").at(period).at("choices")
            pairs = []
            for text, weight in how["choices"].items():
                try:
                    pairs.append((Duration.parse(text).days, weight))
                except UnitError as exc:
                    self.problems.append(where.at(text).problem(str(exc), value=text,
                                                                code="bad-quantity"))
            lengths.append((period, tuple(pairs)))
        if None in (enrolment, randomisation, treatment) or sizes is False:
            return None
        return Simulation(enrolment, randomisation, sizes, treatment, tuple(lengths))

    def sizes(self, root: Cursor) -> Any:
        """Body sizes: parametric, from a CSV file, or None; False when refused."""
        raw = root.value
        if "body_sizes" in raw:
            for key in ("weight", "height", "female"):
                if key in raw:
                    self.problems.append(root.at(key).problem(
                        "body sizes come from body_sizes (a file) or from distributions, "
                        "not both", show_value=False, code="fixed-and-simulated"))
            folder = Path(self.doc.name).parent
            made = self.model(root.at("body_sizes"), EmpiricalSizes.from_csv,
                              folder / raw["body_sizes"])
            return False if made is None else made
        if not any(k in raw for k in ("weight", "height")):
            return None
        dists: dict[str, Any] = {}
        for kind in ("weight", "height"):
            if kind not in raw:
                continue
            cur = root.at(kind)
            spec = cur.value
            moments: dict[str, Any] = {}
            for who in ("everyone", "female", "male"):
                place = cur if who == "everyone" else cur.at(who)
                if who != "everyone" and who not in spec:
                    continue
                if who == "everyone" and not ("mean" in spec or "sd" in spec):
                    continue
                values = {}
                for key in ("mean", "sd"):
                    if key not in place.value:
                        self.problems.append(place.problem(
                            f"missing required field {key!r}", show_value=False,
                            code="missing-field"))
                        continue
                    value = self.attempt(_quantity, place.at(key), kind)
                    if value is not None:
                        values[key] = value
                if len(values) == 2:
                    moments[who] = self.model(place, Moments, values["mean"], values["sd"])
            name = "lognormal" if spec["distribution"] == "log-normal" else "normal"
            dists[kind] = self.model(cur, SizeDistribution, name, **moments)
        female = (self.attempt(_percentage, root.at("female"), below_100=False, zero=True)
                  if "female" in raw else None)
        if any(d is None for d in dists.values()) or ("female" in raw and female is None):
            return False
        made = self.model(root, BodySizes, dists.get("weight"), dists.get("height"),
                          None if female is None else float(female))
        return False if made is None else made

    def all_or_none(self, root: Cursor) -> None:
        """A measurement is given for every participant or for none: the batch API takes
        one per participant, and a dose that needs it would otherwise fail for some."""
        # A participant with an unknown field (`wieght`) is left out: what it meant to
        # give is not known.
        items = [cur for _, cur in root.at("participants").items()
                 if isinstance(cur.value, dict) and cur.path not in self.misspelt]
        for kind in ("weight", "height", "bsa"):
            given = [cur for cur in items if kind in cur.value]
            if given and len(given) < len(items):
                missing = next(cur for cur in items if kind not in cur.value)
                self.problems.append(missing.problem(
                    f"missing {kind}: give it for every participant or for none "
                    f"({len(given)} of {len(items)} have one)", show_value=False,
                    code="measurement-not-for-all"))


def _known_zone(name: str) -> bool:
    """Whether ``name`` is a zone the engine takes (its own rule: IANA names only)."""
    try:
        parse_zone(name)
    except ExpandOptionError:
        return False
    return True


#: Checks a plan read so far against a regimen: what :func:`read_plan` is given to
#: report a plan's problems with the regimen together with the file's own.
Against = Callable[[Plan, Partial], list[Problem]]


def read_plan(doc: Document, sha256: str = "", against: Against | None = None) -> Plan:
    """The :class:`Plan` of a parsed document, or InvalidRegimenError with every problem
    found at once: the structure's, the values' (every value whose structure is right is
    read; a value is not checked when its own structure, or one it needs, is wrong) and,
    with ``against``, the plan's problems with its regimen, in the order of the file."""
    structure = PLAN.problems(doc.root())
    # An unknown field is left unread; any other structure problem makes its value, and
    # what is under it, unreadable.
    broken = frozenset(p.loc for p in structure if p.code != "unknown-field")
    if () in broken or ("plan",) in broken:
        # Not a mapping, or another format: nothing else in it can be read as this one.
        raise InvalidRegimenError(structure)
    misspelt = frozenset(p.loc[:-1] for p in structure if p.code == "unknown-field")
    reader = _Reader(doc, broken, misspelt)
    plan, partial = reader.plan(sha256)
    problems = structure + reader.problems
    if against is not None:
        problems += against(plan, partial)
    if problems:
        raise InvalidRegimenError(sorted(problems, key=lambda p: p.line or 0))
    return plan


def build_plan(doc: Document, sha256: str = "") -> Plan:
    """The :class:`Plan` of a parsed document, or InvalidRegimenError with every problem
    (see :func:`read_plan`)."""
    return read_plan(doc, sha256)


def read_text(text: str | bytes, name: str, against: Against | None = None) -> Plan:
    """A planning file's text, read (see :func:`regimens.supply.loads_plan`); with
    ``against``, the plan's problems with a regimen too."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if not data.strip():
        raise InvalidRegimenError([Problem(name, None, (), "the file is empty; a plan starts "
                                           f"with 'plan: {FORMAT}'", code="empty-file")])
    return read_plan(parse_document(data, name), hashlib.sha256(data).hexdigest(), against)


def read_file(path: str | os.PathLike[str], against: Against | None = None) -> Plan:
    """A planning file, read (see :func:`regimens.supply.load_plan`); at most 2 MiB."""
    name = os.fspath(path)
    file = Path(name)
    if file.is_dir():
        raise InvalidRegimenError([Problem(name, None, (), "is a directory, not a plan file",
                                           code="is-a-directory")])
    try:
        with file.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InvalidRegimenError([Problem(name, None, (), f"cannot read the file: "
                                           f"{exc.strerror}", code="unreadable-file")]) from None
    if len(data) > MAX_BYTES:
        raise InvalidRegimenError([Problem(
            name, None, (), f"the file is larger than {MAX_BYTES:,} bytes; plan files are "
            f"limited to {MAX_BYTES:,} bytes", code="file-too-large")])
    return read_text(data, name, against)
