"""The values of a planning file whose structure was checked, read into a
:class:`~._plan.Plan` with every problem at once (:class:`_Reader`), and what the plan
says about its regimen even when it has problems (:class:`Partial`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

from ..errors import ExpandOptionError, Loc, Problem, UnitError
from ..format import Cursor, Document, Fail, read_duration, read_length, unit_fail
from ..quantities import EXACT, Amount, Duration, parse_amount, same_amount
from ._bodies import BodySizes, EmpiricalSizes, Moments, SizeDistribution
from ._enrolment import ActivationDelay, Enrolment, Site
from ._plan import DEFAULT_STATISTICS, Packaging, Plan, PlannedParticipant, PlanSite, Simulation
from ._plan_values import _a_date, _known_zone, _measure, _per_week, _percentage, _quantity
from ._randomise import Randomisation
from ._treatment import Treatment

__all__ = ["Partial"]


#: The keys of simulated enrolment (beside ``sites``, which a fixed list may have too).
_SIMULATION_KEYS = ("arms", "block", "sample_size", "screen_failure", "dropout", "progression",
                    "weight", "height", "female", "body_sizes", "lengths")


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
            with localcontext(EXACT):  # exactly, whatever the caller's decimal context
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
            seen: dict[int, str] = {}  # days -> the first key that says them
            for text, weight in how["choices"].items():
                try:
                    days = Duration.parse(text).days
                except UnitError as exc:
                    self.problems.append(where.at(text).problem(str(exc), value=text,
                                                                code="bad-quantity"))
                    continue
                if days in seen:
                    # '12 weeks: 1, 84 days: 3' is one length with two weights: which
                    # was meant is a guess, so neither is taken.
                    self.problems.append(where.at(text).problem(
                        f"the same length as {seen[days]!r} ({days} days): give each length "
                        "once, with its weight", value=text, code="duplicate-length"))
                    continue
                seen[days] = text
                pairs.append((days, weight))
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
