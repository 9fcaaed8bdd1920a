"""Document -> model: every cross-reference and range checked, every problem reported.

Structure (types, fields) is checked first by :mod:`regimens.format._schema`; this
module checks meaning and reports each problem with file, line, field path,
offending value and what is allowed. It collects as many problems as it can
in one pass rather than stopping at the first.

The top level, drugs, periods and arms are read here; the courses in ``_build_courses``,
the visits and expectations in ``_build_visits``, with the state and helpers they share in
``_builder``.
"""

from __future__ import annotations

from ..errors import InvalidRegimenError, UnitError
from ..model import (
    DRUG_INSTRUCTIONS,
    NO_POLICY,
    Arm,
    Drug,
    Period,
    Regimen,
    day_one_may_vanish,
    months_before_text,
)
from ..quantities import Duration, LengthRange, exactly, parse_equivalence, parse_strength
from ._build_courses import _CourseBuilder
from ._build_visits import _VisitBuilder
from ._doses import read_max_cumulative, read_measure_limit, read_vials
from ._fail import fail, unit_fail
from ._lengths import read_length
from ._policy import read_policy
from ._schema import structure_problems
from ._source import Cursor, Document

__all__ = ["build"]


@exactly  # band edges, limits, levels: none of it in the caller's decimal context
def build(doc: Document, *, sha256: str = "") -> Regimen:
    """Build a :class:`Regimen` from a parsed document, or raise InvalidRegimenError."""
    root = doc.root()
    problems = structure_problems(root)
    if problems:
        raise InvalidRegimenError(problems)
    builder = _Builder(doc)
    regimen = builder.regimen(sha256)
    if regimen is None:
        raise InvalidRegimenError(sorted(builder.problems, key=lambda p: p.line or 0))
    return regimen


class _Builder(_CourseBuilder, _VisitBuilder):
    """Reads the top level, the drugs, the periods and the arms; the courses and the
    visits are read by the mixins it inherits (``_build_courses``, ``_build_visits``)."""

    def regimen(self, sha256: str) -> Regimen | None:
        """The regimen, or None when a problem was found (in ``self.problems``)."""
        root = self.root
        value = root.value
        drugs = tuple(self.drug(i, root.at("drugs").at(i)) for i in value["drugs"])
        self.clinic_drugs = {d.id for d in drugs if d.clinic}
        self.drug_ids = {d.id for d in drugs}
        self.bsa_max = (self.attempt(read_measure_limit, root.at("bsa_max"), "bsa_max")
                        if root.has("bsa_max") else None)
        self.regimen_policy = self.attempt(read_policy, root)
        self.drug_routes = {d.id: d.route for d in drugs}
        self.drug_vials = {d.id: d.vials for d in drugs}
        self.drugs_by_id = {d.id: d for d in drugs}
        self.periods_raw = root.at("periods")
        self.course_ids: set[str] = set()
        periods = self.periods = self.build_periods()
        # Every declared id counts, even of a period whose length was refused, so
        # one mistake does not cascade into "no period has this id" elsewhere.
        self.period_ids = list(dict.fromkeys(p["id"] for p in value["periods"]))
        self.period_lengths = {p.id: p.length for p in periods}
        self.period_min = {p.id: p.length.shortest.days for p in periods}
        arms = tuple(
            a for a in (self.attempt(self.arm, i, root.at("arms").at(i)) for i in value["arms"])
            if a is not None
        )
        self.arms = {a.id: a for a in arms}
        day_one = value.get("day_one")
        if day_one is not None:
            self.attempt(self.check_day_one, day_one)
        for arm in arms:
            self.attempt(self.check_day_one_length, arm, day_one)
            self.attempt(self.check_months_before_day_one, arm, day_one)
        # Index into the document, not into the periods that built: a refused period
        # must not shift the next one's courses out of view.
        raw_index: dict[str, int] = {}
        for index, raw in enumerate(value["periods"]):
            raw_index.setdefault(raw["id"], index)
        courses_by_period = {p.id: self.build_courses(p, raw_index[p.id]) for p in periods}
        complete = tuple(
            Period(p.id, p.length, courses_by_period[p.id], p.blinded, p.label, p.notes)
            for p in periods
        )
        self.excluding = {c.drug for p in complete for c in p.courses if c.not_on}
        for period, index in ((p, raw_index[p.id]) for p in complete):
            self.attempt(self.check_period_courses, period, self.periods_raw.at(index))
            self.attempt(self.check_blinded_placing, period, self.periods_raw.at(index),
                         tuple(a.id for a in arms
                               if a.periods is None or period.id in a.periods))
        self.course_drugs = {
            (arm.id, c.drug)
            for arm in arms
            for p in complete
            if arm.periods is None or p.id in arm.periods
            for c in p.courses
            if c.arms is None or arm.id in c.arms
        }
        visits = self.build_visits()
        expect = tuple(
            e for e in (self.attempt(self.expectation, c) for _, c in self.items("expect"))
            if e is not None
        )
        sources = tuple(
            s if isinstance(s, str) else tuple(s.items()) for s in value.get("sources", ())
        )
        if self.problems:
            return None  # the model would only find the same problems again, without lines
        regimen: Regimen | None = self.make(root, Regimen,
            id=value["id"],
            title=value["title"],
            drugs=drugs,
            arms=arms,
            periods=complete,
            visits=visits,
            expect=expect,
            day_one=day_one,
            day_zero=value.get("day_zero", False),
            policy=self.regimen_policy or NO_POLICY,
            registry=value.get("registry", ""),
            version=value.get("version", ""),
            sources=sources,
            notes=value.get("notes", ""),
            format=value["format"],
            origin=self.doc.name,
            sha256=sha256,
        )
        return regimen

    def drug(self, drug_id: str, cur: Cursor) -> Drug:
        raw = cur.value
        vials = self.attempt(read_vials, cur.at("vials")) if "vials" in raw else ()
        kind = raw.get("kind", "drug")
        if kind == "radiotherapy" and vials:
            self.problems.append(cur.at("vials").problem(
                "radiotherapy has no vials", show_value=False, code="vials-on-radiotherapy"))
            vials = ()
        limit = (self.attempt(read_max_cumulative, cur.at("max_cumulative"))
                 if "max_cumulative" in raw else None)
        equivalence = None
        if "equivalence" in raw:
            try:
                equivalence = parse_equivalence(raw["equivalence"])
            except UnitError as exc:
                self.problems.append(unit_fail(cur.at("equivalence"), exc).problem)
        strength = None
        if "strength" in raw:
            try:
                strength = parse_strength(raw["strength"])
            except UnitError as exc:
                self.problems.append(unit_fail(cur.at("strength"), exc).problem)
            if strength is not None and kind == "radiotherapy":
                self.problems.append(cur.at("strength").problem(
                    "radiotherapy has no dosage form", code="strength-on-radiotherapy"))
                strength = None
        return Drug(drug_id, raw["name"], raw["route"], raw.get("notes", ""),
                    **{k: raw[k] for k in DRUG_INSTRUCTIONS if k in raw},
                    clinic=raw.get("clinic", False), vials=vials or (), kind=kind,
                    max_cumulative=limit, strength=strength, equivalence=equivalence)



    def check_day_one(self, day_one: str) -> None:
        cur = self.root.at("day_one")
        if day_one not in self.period_ids:
            raise fail(cur, f"no period has this id (periods: {', '.join(self.period_ids)})",
                       code="unknown-period")
        for arm in self.arms.values():
            if arm.day_one is None and arm.periods is not None and day_one not in arm.periods:
                raise fail(
                    self.root.at("arms").at(arm.id),
                    f"day_one period {day_one!r} is not on this arm's path "
                    f"({', '.join(arm.periods)}); give the arm its own day_one",
                    arm.id,
                    code="day-one-off-path",
                )

    def check_day_one_length(self, arm: Arm, day_one: str | None) -> None:
        """Study Day 1 is the first day of a period that always has days."""
        first = arm.day_one or day_one or (arm.periods or self.period_ids)[0]
        if self.period_min.get(first, 1):
            return
        period = next(p for p in self.periods if p.id == first)
        cur = (self.root.at("arms").at(arm.id).at("day_one") if arm.day_one is not None else
               self.root.at("day_one") if day_one is not None else
               self.root.at("arms").at(arm.id))
        if any(p.loc == cur.path for p in self.problems):
            return  # reported once, at the regimen's day_one
        raise fail(cur, "Study Day 1 is the first day of the day_one period, and "
                   f"{day_one_may_vanish(period)}: give day_one a period whose length starts "
                   "at 1 day or more", first, code="day-one-zero-length")

    def check_months_before_day_one(self, arm: Arm, day_one: str | None) -> None:
        """A period in calendar months comes on or after Study Day 1 (see the model's
        :func:`~regimens.model.months_before_day_one`)."""
        first = arm.day_one or day_one or (arm.periods or self.period_ids)[0]
        built = {p.id: p for p in self.periods}
        for period_id in arm.periods or self.period_ids:
            if period_id == first:
                return
            period = built.get(period_id)
            if period is None or period.length.months is None:
                continue
            index = self.period_ids.index(period_id)
            cur = self.periods_raw.at(index).at("length")
            if any(p.loc == cur.path for p in self.problems):
                return  # reported once, for the first arm
            raise fail(cur, months_before_text(period, first, arm.id),
                       code="months-before-day-one")

    # Periods and arms ------------------------------------------------------------

    def build_periods(self) -> list[Period]:
        periods: list[Period] = []
        seen: set[str] = set()
        for _, cur in self.periods_raw.items():
            raw = cur.value
            if raw["id"] in seen:
                self.problems.append(cur.at("id").problem("duplicate period id",
                                                          code="duplicate-id"))
                continue
            seen.add(raw["id"])
            length = self.attempt(read_length, cur.at("length"))
            if length is None:
                # Refused length: keep the period with an unbounded placeholder so its
                # courses are still checked (the regimen is refused anyway).
                length = LengthRange(Duration(10**6), Duration(10**6))
            periods.append(Period(raw["id"], length, (), raw.get("blinded", False),
                                  raw.get("label", ""), raw.get("notes", "")))
        return periods

    def arm(self, arm_id: str, cur: Cursor) -> Arm:
        raw = cur.value
        path = raw.get("periods")
        if path is not None:
            for index, period_id in enumerate(path):
                if period_id not in self.period_ids:
                    raise fail(cur.at("periods").at(index),
                                f"no period has this id (periods: {', '.join(self.period_ids)})",
                                code="unknown-period")
            if len(set(path)) != len(path):
                raise fail(cur.at("periods"), "a period appears twice in the path",
                            ", ".join(path), code="duplicate-period")
            order = [self.period_ids.index(p) for p in path]
            if order != sorted(order):
                raise fail(cur.at("periods"),
                            "the path must follow the order of 'periods' "
                            f"({', '.join(self.period_ids)})", ", ".join(path),
                            code="path-out-of-order")
        day_one = raw.get("day_one")
        if day_one is not None and day_one not in self.period_ids:
            raise fail(cur.at("day_one"),
                        f"no period has this id (periods: {', '.join(self.period_ids)})",
                        code="unknown-period")
        if day_one is not None and day_one not in (path or self.period_ids):
            raise fail(cur.at("day_one"), "this period is not on the arm's path "
                        f"({', '.join(path or ())})", code="day-one-off-path")
        return Arm(arm_id, raw["label"], tuple(path) if path is not None else None, day_one,
                   raw.get("notes", ""))
