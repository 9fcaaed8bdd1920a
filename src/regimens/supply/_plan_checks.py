"""A plan checked against its regimen: the arms, periods and drugs it names, the vials its
doses need, the placebo vials it can know, and what the batch API cannot expand; each
problem on the plan's line (and the regimen's, for what the batch API refuses)."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path

from ..cohort import unsupported
from ..engine import parse_lengths
from ..errors import NO_VALUE, ExpandOptionError, Loc, Problem, UnitError
from ..format import MAX_BYTES, parse_document
from ..model import Regimen
from ..quantities import Amount, Basis, Duration, unit
from ._plan import Plan
from ._plan_reader import Partial

__all__ = ["arms_told_apart", "plan_problems"]


def _active_amounts(regimen: Regimen, drug: str) -> tuple[set[Amount | None], set[str]]:
    """The flat active amounts a drug's matching placebo stands for: those of its courses
    in the periods where it has a placebo (None stands for any other dose; an open-label
    period's own dose is not one a placebo matches), and the units of all its active
    doses."""
    amounts: set[Amount | None] = set()
    units: set[str] = set()
    for period in regimen.periods:
        matched = any(c.drug == drug and c.placebo for c in period.courses)
        for course in period.courses:
            if course.drug != drug or course.placebo:
                continue
            for dose in (course.dose, *(s.dose for s in course.steps)):
                if dose is None:
                    continue
                units.add(dose.quantity.amount.unit.symbol)
                flat = (dose.quantity.basis is Basis.FLAT and not dose.bands
                        and dose.divided is None)
                if matched:
                    amounts.add(dose.quantity.amount if flat else None)
    return amounts, units


#: The fields of a course that say nothing of what it gives.
_WORDS = frozenset({"arms", "label", "notes", "id", "dose_note"})


def arms_told_apart(regimen: Regimen, drug: str) -> str | None:
    """The first blinded period in which ``drug``, with no matching placebo there, is
    given to the arms by courses that differ (dose-ranging arms: 150 mg and 420 mg, or
    1 and 2 mg/kg): a blinded forecast's amounts and vials of it would tell a site's arms
    apart. None when there is none (one course for every arm, or courses alike but for
    their arms, label and notes; a drug with a placebo in the period is counted with it
    and its vials are checked as a placebo's)."""
    for period in regimen.periods:
        if not period.blinded:
            continue
        courses = [c for c in period.courses if c.drug == drug]
        if any(c.placebo for c in courses):
            continue
        # What a course gives, whatever arms it names and words it shows.
        given = [tuple(getattr(c, f.name) for f in dataclasses.fields(c)
                       if f.compare and f.name not in _WORDS) for c in courses]
        if any(g != given[0] for g in given):
            return period.id
    return None


def _has_placebo(regimen: Regimen, drug: str) -> bool:
    return any(c.drug == drug and c.placebo for p in regimen.periods for c in p.courses)


def _refusal(regimen: Regimen, path: str, what: str) -> Problem:
    """The batch API's refusal of ``what`` at ``path`` (a place in the regimen's
    records) as a problem of the regimen file, on the line of its key when the file
    it was loaded from is still there, unchanged (its SHA-256)."""
    loc: list[str | int] = []
    for name, index in re.findall(r"([A-Za-z_]+)|\[([0-9]+)\]", path):
        if name:
            loc.append(name)
        elif loc in (["drugs"], ["arms"]):  # mappings by id in the file
            loc.append(getattr(regimen, str(loc[0]))[int(index)].id)
        else:
            loc.append(int(index))
    lines: dict[Loc, int] = {}
    origin = Path(regimen.origin) if regimen.origin else None
    if origin is not None and origin.is_file():
        data = origin.read_bytes()[:MAX_BYTES + 1]
        if hashlib.sha256(data).hexdigest() == regimen.sha256:
            lines = dict(parse_document(data, regimen.origin).lines)
    probe: Loc = tuple(loc)
    while probe and probe not in lines:
        probe = probe[:-1]
    # A record field the file writes under another key (a course's pattern is its
    # days or every): the nearest key the file has.
    return Problem(regimen.origin or regimen.id, lines.get(probe) if probe else None,
                   probe if probe else tuple(loc),
                   f"the batch API cannot expand {what} yet, so the supply forecast cannot "
                   "either; expand these participants one by one with Regimen.expand",
                   code="not-in-batch-api")


def plan_problems(regimen: Regimen, plan: Plan, partial: Partial) -> list[Problem]:
    """Every problem of ``plan`` with ``regimen``, on the plan's lines: arms, periods and
    lengths of participants, drugs and their vials, and simulated enrolment's arms and
    lengths; and a regimen the batch API cannot expand, on the regimen file's line.

    ``partial`` is what the plan says about the regimen, read even when the plan has
    problems of its own (:class:`Partial`), so that all come at once.
    """
    problems = []
    refused = unsupported(regimen)
    if refused is not None:
        problems.append(_refusal(regimen, *refused))
    arm_ids = [a.id for a in regimen.arms]
    periods = {p.id: p for p in regimen.periods}
    drug_ids = tuple(d.id for d in regimen.drugs)
    for i, arm, lengths in partial.participants:
        if arm not in arm_ids:
            problems.append(plan.problem(("participants", i, "arm"),
                                         f"no arm has this id in {regimen.id!r} (arms: "
                                         f"{', '.join(arm_ids)})", arm, code="unknown-arm"))
        for period, length in lengths:
            if period not in periods:
                problems.append(plan.problem(
                    ("participants", i, "lengths", period), f"no period has this id in "
                    f"{regimen.id!r} (periods: {', '.join(periods)})", period,
                    code="unknown-period"))
            elif arm in arm_ids:
                # The batch API would refuse it as an option of participant i: the plan's
                # own place is the one to name.
                try:
                    parse_lengths(regimen, arm, {period: length})
                except ExpandOptionError as exc:
                    problems.append(plan.problem(("participants", i, "lengths", period),
                                                 exc.reason, exc.value, code="bad-length"))
    for drug_id in partial.drugs:
        if drug_id not in drug_ids:
            problems.append(plan.problem(("drugs", drug_id), f"no drug has this id in "
                                         f"{regimen.id!r} (drugs: {', '.join(drug_ids)})",
                                         drug_id, code="unknown-drug"))
    for drug in regimen.drugs:
        if drug.id in partial.unread:
            continue  # its packaging has problems of its own
        packing = plan.packaging(drug.id)
        amounts, units = _active_amounts(regimen, drug.id)
        ordered = packing.vials or drug.vials
        if packing.placebo_vials is not None and not ordered:
            # placebo_vials counts vials of the smallest size: with none, it counts nothing,
            # and a forecast would take it silently (cold try 5, finding 15).
            kits = (" (its kit counts placebo administrations as it counts active ones)"
                    if packing.kit is not None else "")
            problems.append(plan.problem(
                ("drugs", drug.id, "placebo_vials"), f"{drug.id!r} has no vial sizes (no "
                f"vials here or in the regimen), so placebo_vials counts nothing{kits}: give "
                "its vials, or leave placebo_vials out", packing.placebo_vials,
                code="placebo-vials-without-vials"))
            continue
        if ordered and packing.vials and units:
            dimension = ordered[0].unit.dimension
            if any(unit(u).dimension is not dimension for u in units):
                problems.append(plan.problem(
                    ("drugs", drug.id, "vials"), f"vials of {dimension.value} cannot hold "
                    f"the doses of {drug.id!r} ({', '.join(sorted(units))})", NO_VALUE,
                    code="dose-not-in-vials"))
                continue
        if (ordered and _has_placebo(regimen, drug.id) and packing.placebo_vials is None
                and not (len(amounts) == 1 and None not in amounts)):
            # Blinded, no count of placebo vials would do (placebo-vials-unblind): the
            # first message says so, so that following it leads nowhere else.
            problems.append(plan.problem(
                ("drugs", drug.id), f"the active doses of {drug.id!r} are not one flat "
                "amount, so no blinded forecast of it is possible (its matching placebo "
                "would need the vials of each active dose, and no one count of placebo "
                "vials matches them: the packs would tell a site's placebo from active): "
                "forecast unblinded (--unblinded, unblinded=True) for the unblinded supply "
                f"team, and give placebo_vials for {drug.id!r} (the vials one placebo "
                "administration takes)", NO_VALUE, code="placebo-vials-needed"))
    problems += _simulation_problems(regimen, plan, partial)
    return problems


def _simulation_problems(regimen: Regimen, plan: Plan, partial: Partial) -> list[Problem]:
    """Simulated enrolment's arms and lengths against the regimen."""
    problems = []
    arm_ids = [a.id for a in regimen.arms]
    for arm in partial.arms:
        if arm not in arm_ids:
            problems.append(plan.problem(("arms", arm), f"no arm has this id in "
                                         f"{regimen.id!r} (arms: {', '.join(arm_ids)})", arm,
                                         code="unknown-arm"))
    periods = {p.id: p for p in regimen.periods}
    for period in partial.lengths:
        if period not in periods:
            problems.append(plan.problem(("lengths", period), f"no period has this id in "
                                         f"{regimen.id!r} (periods: {', '.join(periods)})",
                                         period, code="unknown-period"))
        elif periods[period].length.shortest == periods[period].length.longest:
            problems.append(plan.problem(("lengths", period), f"the period {period!r} has "
                                         f"one length ({periods[period].length}): nothing "
                                         "to choose", period, code="period-not-variable"))
    problems += _choices_outside(regimen, plan)
    if problems or not partial.arms:
        return problems
    before: set[frozenset[str]] = set()
    lead_in: set[int] = set()
    for arm in partial.arms:
        path = [p.id for p in regimen.path(arm)]
        first = path.index(regimen.day_one_period(arm))
        ranged = frozenset(p for p in path[:first]
                           if periods[p].length.shortest != periods[p].length.longest)
        before.add(ranged)
        lead_in.add(sum(periods[p].length.shortest.days for p in path[:first]
                        if p not in ranged))
    if len(before) > 1 or len(lead_in) > 1:
        problems.append(plan.problem(
            ("arms",), "the arms differ in the periods before Study Day 1: simulated "
            "enrolment needs the same ones for every arm", NO_VALUE,
            code="arms-differ-before-day-one"))
    return problems


def _choices_outside(regimen: Regimen, plan: Plan) -> list[Problem]:
    """The simulated lengths to choose from (``lengths: {PERIOD: {choices: ...}}``) outside
    their period's range in ``regimen``, each on its own line (the length as written)."""
    problems = []
    periods = {p.id: p for p in regimen.periods}
    for period, choices in plan.simulation.lengths if plan.simulation is not None else ():
        span = periods[period].length if period in periods else None
        if choices is None or span is None or span.shortest == span.longest:
            continue  # uniform, or a period refused above
        # The keys as written, by the days they say (the plan's lines name each one); a
        # length written twice ('11 weeks', '77 days') was refused when the plan was read,
        # and each key is used once, so no key is named for another.
        written: dict[int, list[str]] = {}
        for key in plan.lines:
            if len(key) == 4 and key[:3] == ("lengths", period, "choices"):
                try:
                    written.setdefault(Duration.parse(str(key[3])).days, []).append(str(key[3]))
                except UnitError:
                    continue  # refused when the plan was read
        for days, _weight in choices:
            if span.shortest.days <= days <= span.longest.days:
                continue
            texts = written.get(days)
            text = texts.pop(0) if texts else None
            where: Loc = ("lengths", period, "choices") + ((text,) if text is not None else ())
            problems.append(plan.problem(
                where, f"a length to choose for the period {period!r} must be within its "
                f"range in {regimen.id!r}, {span} ({span.shortest.days}-"
                f"{span.longest.days} days)", text if text is not None else f"{days} days",
                code="bad-length"))
    return problems
