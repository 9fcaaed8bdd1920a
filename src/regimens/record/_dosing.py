"""Dose changes from a record: reductions and new measurements (the cumulative limits are
:mod:`._cumulative`'s).

Pure functions of the plan (the regimen expanded for the participant) and the record, for
the replay to call (docs/record.md, "Dose changes"):

- :class:`Dosing` gives, for each planned administration and the date it is now given on,
  the dose it gets after the record's ``reduce`` and ``measure`` rows (recomputed by the
  engine's own dose arithmetic, with its derivation) and the body size and renal function
  it was computed from, with the dates they were measured.

Rules (the regimen's policy, :meth:`~regimens.Regimen.policy_for`):

- a ``reduce`` row takes effect from its date (or, with ``cycle``, from that cycle of the
  drug's cycled courses); percentages are of the level-0 dose; a level below the lowest
  declared one stops the drug from then on; a reduction is permanent unless
  ``re_escalate: true``: a later row that raises the dose is then an error;
- a ``measure`` row applies to administrations on its date and after (a measurement taken
  on the day of a dose is the one that dose is computed from). With ``redose:
  {weight_change: P%}`` a new weight changes the doses of a course only when it differs
  by at least P% from the weight the course's current dose was computed from; without a
  rule, doses are recomputed from each new measurement. Heights, BSA, creatinine and GFR
  always apply, and under a ``redose`` rule the dose's notes say so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, localcontext

from .._records import dataclass
from ..engine import Administration, BodySize, ComputedDose, Schedule, compute_dose
from ..errors import (
    DoseError,
    InvalidRecordError,
    MissingMeasurementError,
    ParticipantError,
)
from ..model import Course, Dose, DoseLevel, Participant, Regimen
from ..quantities import (
    EXACT,
    Basis,
    least_waste_vials,
    normal,
    plain,
    shown_beside,
)
from ._body_used import BodyUsed, _said, _uses
from ._check import (
    escalation_problems,
    level_text,
    lowest_level,
    reaction,
    stands_for,
    undeclared_problems,
)
from ._measure_errors import _MEASURE_LABEL, _stale_bsa, _unusable
from ._model import EventKind, RecordRow
from ._numbers import number_fields
from ._record import Record

__all__ = ["DoseChange", "Dosing"]



@dataclass(frozen=True)
class DoseChange:
    """The dose of one administration after the record's reductions and measurements.

    ``dose``: the dose to give (the plan's own :class:`ComputedDose` when nothing changed
    it, so outputs keep their bytes); ``changed``: whether it differs from the plan's
    (amount or derivation); ``level``: the dose level in effect (0: as written) and
    ``percent`` a percentage of the level-0 dose in effect (None: none); ``stopped``: the
    drug is stopped by a reduction below its lowest declared level (``stop_row`` names
    it; ``level`` is that level, ``dose`` the dose it would have had under the reduction in
    force before it, or at the plan's level with none, and the last of ``notes`` says
    the stop); ``body``: what the dose was computed from; ``notes``: why it changed, naming the
    record's lines ("dose level -1 from 2027-02-22 (record line 5)").
    """

    dose: ComputedDose
    changed: bool
    level: int
    percent: Decimal | None
    stopped: bool
    body: BodyUsed
    notes: tuple[str, ...] = ()
    stop_row: RecordRow | None = None

    def __post_init__(self) -> None:
        number_fields(self, "dose level", "percent")  # a float read as written


@dataclass(frozen=True)
class _Reduction:
    """A dose reduction a record row asks for: the level, or a percentage alone."""

    row: RecordRow
    level: int  # 0 with a percentage alone
    percent: Decimal | None


class Dosing:
    """The record's dose changes for one plan: build once, then ask :meth:`dose` for each
    administration (pure: the same plan, record and levels give the same answers).

    ``plan``: the schedule expanded without a record; ``record``: the participant's record
    (its effective rows; rows other than ``reduce`` and ``measure`` are ignored here);
    ``levels``: the dose levels the plan was expanded at (``Regimen.expand(levels=...)``),
    the starting point of reductions. ``memo``: a dict shared by the Dosings of several
    records of the same ``plan`` (:func:`regimens.record.history` replays each part of one
    record): a dose asked again with the same ``reduce`` and ``measure`` rows in effect, on
    the same day, is the one computed before (the same answer, computed once).

    Raises:
        InvalidRecordError: a ``reduce`` row that raises a dose when the course's
            reductions are permanent (``re_escalate: false``), with its file and line;
            a ``reduce`` row on a drug whose courses have no dose to change.
    """

    def __init__(self, plan: Schedule, record: Record,
                 levels: Mapping[str, int] | None = None, *,
                 memo: dict[object, object] | None = None) -> None:
        self.plan = plan
        self.regimen: Regimen = plan.regimen
        self.levels = dict(levels or {})
        rows = record.effective()
        self.reductions: dict[str, list[RecordRow]] = {}
        for row in sorted((r for r in rows if r.event is EventKind.REDUCE), key=_when):
            assert row.drug is not None
            self.reductions.setdefault(row.drug, []).append(row)
        self.measures = sorted((r for r in rows if r.event is EventKind.MEASURE), key=_when)
        self._check_escalation()
        # A dose depends on what it reads of the plan (its regimen and participant, held by
        # the memo and compared by identity; its BSA formula), the levels, these rows and
        # what is asked (dose()).
        self._memo: dict[tuple[int, date | None, date | None],
                         tuple[Administration, DoseChange]] | None = None
        if memo is not None:
            mine = (plan.regimen, plan.participant, plan.bsa_formula, plan.bsa_decimals)
            held = memo.setdefault("plan", mine)
            assert isinstance(held, tuple)
            if all(x is y for x, y in zip(held, mine, strict=True)):
                key = (tuple(sorted(self.levels.items())),
                       tuple((d, tuple(r)) for d, r in self.reductions.items()),
                       tuple(self.measures))
                table = memo.setdefault(key, {})
                assert isinstance(table, dict)
                self._memo = table

    # Reductions ---------------------------------------------------------------------------

    def _course(self, a: Administration) -> Course:
        return self.regimen.period(a.period).courses[a.course]

    def _applies(self, row: RecordRow, a: Administration, on: date) -> bool:
        if row.cycle is not None and a.cycle is not None:
            return a.cycle >= row.cycle
        assert row.date is not None
        return on >= row.date

    def _check_escalation(self) -> None:
        """Refuse a row that raises a dose whose course keeps reductions permanent (the
        check :meth:`Record.check_against` makes too, with every other problem)."""
        rows = [r for rows in self.reductions.values() for r in rows]
        problems = escalation_problems(self.regimen, rows, self.levels)
        if problems:
            raise InvalidRecordError(problems)

    def repeated(self, row: RecordRow, a: Administration, on: date,
                 as_of: date | None = None) -> tuple[bool, RecordRow | None] | None:
        """Whether ``reduce`` row ``row`` asks ``a`` (given or now planned on ``on``) for
        the dose in force already: None when it does not reach ``a`` (it does not apply
        to it, or is dated after ``as_of``, the day a dose given or missed happened);
        else whether the reduction in force just before it (the last earlier row that
        applies; none: the plan's level) asks for the same dose, and the row in force then
        (None: the plan's level), as :meth:`_reduction` keeps it: of earlier rows asking
        for the same dose one after the other, the first (a third ``reduce -1`` names the
        first, never the second, which itself changed nothing). The same dose: the same
        level (with or without its percentage: the dose is the level's), or the same
        percentage alone; level 0 and 100% are both the dose as written."""
        assert row.date is not None
        if (as_of is not None and row.date > as_of) or not self._applies(row, a, on):
            return None
        before: RecordRow | None = None
        for earlier in self.reductions.get(a.drug, ()):
            if earlier is row:
                break
            assert earlier.date is not None
            if (as_of is None or earlier.date <= as_of) and self._applies(earlier, a, on):
                if before is not None and _asks(before) == _asks(earlier):
                    continue  # the same dose again: the earlier row stays in force
                before = earlier
        was = _asks(before) if before is not None else (self.levels.get(a.drug, 0), None)
        return _asks(row) == was, before

    def _reduction(self, a: Administration, on: date, as_of: date | None = None,
                   below: int | None = None) -> _Reduction | None:
        """The reduction in effect for ``a`` on ``on`` (the last that applies); with
        ``below``, the last that does not stop the drug (its level not below ``below``, the
        lowest declared level): the one in force when a later row stopped it. A row that
        asks for the dose in force already (:meth:`repeated`) changes nothing: the
        earlier row stays the one in force (the dose's note names it)."""
        found = None
        for row in self.reductions.get(a.drug, ()):
            assert row.date is not None
            if as_of is not None and row.date > as_of:
                # A row dated after the dose happened was not known then: it never
                # rewrites a dose the record says was given (or missed) before it.
                continue
            if below is not None and row.level is not None and row.level < below:
                continue
            if self._applies(row, a, on):
                if found is not None and _asks(found.row) == _asks(row):
                    continue  # the same dose again: the earlier row stays in force
                # A level with a percentage is dosed at the level (the percentage agrees
                # with it only to the decimals written: 83.33% for 75 of 90 mg/m²).
                found = _Reduction(row, row.level if row.level is not None else 0,
                                   row.percent if row.level is None else None)
        return found

    # Measurements -------------------------------------------------------------------------

    def _body(self, course: Course, on: date) -> tuple[Participant, tuple[tuple[str, date, int],
                                                                           ...],
                                                       list[tuple[str, str]],
                                                       tuple[RecordRow, str] | None]:
        """The participant a dose of ``course`` on ``on`` is computed from, when each of its
        measurements was taken, notes on measurements not applied (redose rule), each with
        the kind it is about, and the
        ``measure`` row (weight or height) that replaced a BSA given at enrolment or
        measured, with that BSA in words, if any."""
        person = self.plan.participant
        measured: dict[str, tuple[str, date, int]] = {}
        notes: list[tuple[str, str]] = []
        replaced_bsa: tuple[RecordRow, str] | None = None
        threshold = self.regimen.policy_for(course).redose_weight_change
        for row in self.measures:
            assert row.date is not None
            assert row.measurement is not None
            if row.date > on:
                break
            m = row.measurement
            if m.kind == "weight" and threshold is not None and person.weight_kg is not None:
                new = Participant(weight=m.text).weight_kg
                assert new is not None
                with localcontext(EXACT):
                    change = abs(new - person.weight_kg) * 100 / person.weight_kg
                if change < threshold:
                    notes.append(("weight", f"weight {_said(m.apply(person), 'weight')} "
                                  f"measured {row.date.isoformat()} (record "
                                  f"line {row.line}) is within {plain(threshold)}% of "
                                  f"{_said(person, 'weight')} the dose was computed from "
                                  f"({plain(shown_beside(change, threshold))}% change): "
                                  "not recomputed "
                                  "(redose: weight_change)"))
                    continue
            if threshold is not None and m.kind != "weight":
                # The rule names weight only: say that this measurement was not held to it.
                notes.append((m.kind, f"{_MEASURE_LABEL[m.kind]} "
                              f"{_said(m.apply(person), m.kind)} measured "
                              f"{row.date.isoformat()} (record line {row.line}) applies "
                              "whatever its change (redose: weight_change is about weight "
                              "only)"))
            if m.kind in ("weight", "height") and person.bsa is not None:
                seen = measured.get("bsa")
                replaced_bsa = (row, f"{person.bsa}, " + (
                    f"measured {seen[1].isoformat()}, record line {seen[2]}" if seen
                    else "given at enrolment"))
            person = m.apply(person)
            measured[m.kind] = (m.kind, row.date, row.line)
            if m.kind == "creatinine":
                measured.pop("gfr", None)
            elif m.kind == "gfr":
                measured.pop("creatinine", None)
            elif m.kind in ("weight", "height"):
                measured.pop("bsa", None)
            elif m.kind == "bsa":
                replaced_bsa = None
        return person, tuple(sorted(measured.values())), notes, replaced_bsa

    def _bsa(self, person: Participant) -> Decimal | None:
        body = BodySize(person, self.plan.bsa_formula, self.plan.bsa_decimals)
        try:
            return body.area()[0]
        except (ParticipantError, DoseError):
            return None

    # The body size a dose was computed from (the RDI's basis) ---------------------------

    def size(self, a: Administration, person: Participant, basis: Basis | None,
             on: date) -> Decimal | None:
        """The body size a dose of planned administration ``a`` on ``basis`` computed for
        ``person`` on ``on`` was computed from, as the dose arithmetic used it: the BSA
        (m², after the dose's ``bsa_max``) for a per-m² dose, the weight (kg: actual, ideal
        or adjusted, as the dose's ``weight`` says) for a per-kg dose, GFR + 25 (mL/min,
        the GFR after ``gfr_max``: Calvert) for an AUC dose. None for a flat dose, a course
        without a dose, or a size that cannot be computed (the dose then was not either).
        """
        if basis not in (Basis.PER_M2, Basis.PER_KG, Basis.AUC):
            return None
        course = self._course(a)
        dose = course.dose if course.dose is not None else (
            course.steps[a.step].dose if a.step is not None else None)
        if dose is None:
            return None
        body = BodySize(person, self.plan.bsa_formula, self.plan.bsa_decimals)
        try:
            if basis is Basis.PER_M2:
                return body.area(dose.bsa_max)[0]
            if basis is Basis.PER_KG:
                return body.weight_by(dose.weight, f"weight: {dose.weight.value}")[0]
            gfr = body.gfr(dose, on)[0]
        except (ParticipantError, DoseError):
            return None
        with localcontext(EXACT):
            return normal(gfr + 25)

    # The dose ------------------------------------------------------------------------------

    def dose(self, a: Administration, on: date | None = None, *,
             as_of: date | None = None) -> DoseChange:
        """The dose of planned administration ``a`` given (or now planned) on ``on``
        (default: its planned date), after the record's reductions and measurements.

        ``as_of``: for a dose the record says happened (given, missed, held...), the day it
        happened: only ``reduce`` rows dated on or before it apply, so a later row (a
        reduction "from cycle 2" dated after cycle 2 was given) never changes it.
        Measurements already apply only from their dates.

        Raises:
            ParticipantError, DoseError: the dose cannot be recomputed from the new
                measurements (as :meth:`Regimen.expand` would raise).
        """
        if self._memo is None:
            return self._dose(a, on, as_of)
        # By the administration's identity (the plan's own, or one a replay made), kept
        # with the answer so that a key is never taken for another object's.
        key = (id(a), on, as_of)
        found = self._memo.get(key)
        if found is not None and found[0] is a:
            return found[1]
        change = self._dose(a, on, as_of)
        self._memo[key] = (a, change)
        return change

    def _dose(self, a: Administration, on: date | None, as_of: date | None) -> DoseChange:
        day = a.date if on is None else on
        course = self._course(a)
        person, measured, about, replaced_bsa = self._body(course, day)
        dose = course.dose if course.dose is not None else (
            course.steps[a.step].dose if a.step is not None else None)
        # Only the measurements the dose's formula uses: a GFR says nothing of a dose per
        # m², nor a weight of carboplatin dosed from a measured GFR (cold try 5, 13).
        uses = _uses(dose, person)
        body = BodyUsed(person, measured, self._bsa(person), uses)
        notes = [text for kind, text in about if uses is None or kind in uses]
        reduction = self._reduction(a, day, as_of)
        plan_level = self.levels.get(a.drug, 0)
        level = plan_level if reduction is None else reduction.level
        percent = None if reduction is None else reduction.percent
        if course.placebo and reduction is not None:
            return self._placebo(a, level, reduction, body, notes)
        if dose is None or course.placebo or a.dose.amount is None:
            return DoseChange(a.dose, False, level, percent, False, body, tuple(notes))
        declared = sorted({0, *(x.level for x in course.levels)})  # its own levels
        if reduction is not None and reaction(course, reduction.level) == "undeclared":
            raise InvalidRecordError(undeclared_problems(self.regimen, reduction.row, [course]))
        if reduction is not None and reduction.level < declared[0]:
            # Stopped: the dose it would have had is the one under the reduction in force
            # before the row that stopped it (as under a stop row: the same dose whatever
            # row stopped the drug), never the level-0 dose (cold try 4, C1).
            row = reduction.row
            note = _stop_note(row, a.drug, declared[0])
            before = self._reduction(a, day, as_of, below=declared[0])
            would = self._changed(a, course, dose, day, person, measured, notes,
                                  replaced_bsa, body, before, plan_level)
            return dataclasses.replace(would, level=level, percent=None, stopped=True,
                                       notes=(*would.notes, note), stop_row=row)
        return self._changed(a, course, dose, day, person, measured, notes, replaced_bsa,
                             body, reduction, plan_level)

    def _placebo(self, a: Administration, level: int, reduction: _Reduction,
                 body: BodyUsed, notes: list[str]) -> DoseChange:
        """A placebo dose under ``reduction``: a placebo of a blinded period stops as the
        active courses it stands for stop (:func:`stands_for`: blinded staff stop the study
        drug whichever it is), and is refused where they refuse the level; otherwise (they
        give the level, or take it differently: a blinded output refuses the row, see
        :func:`blinded_conflicts`; an open-label placebo) it stays a placebo."""
        targets = stands_for(self.regimen, a.period, a.course)
        said = {reaction(c, reduction.level) for c in targets}
        row = reduction.row
        if said == {"undeclared"}:
            raise InvalidRecordError(undeclared_problems(self.regimen, row, targets))
        if said == {"stop"}:
            return DoseChange(a.dose, False, level, None, True, body, (*notes, _stop_note(
                row, a.drug, lowest_level(targets))), stop_row=row)
        if len(said) > 1:
            notes = [*notes, f"dose level {row.level} on {row.date} (record line {row.line}) "
                     "is taken differently by the active courses this placebo stands for: "
                     "the placebo is not stopped (a blinded output refuses the row)"]
        return DoseChange(a.dose, False, level, reduction.percent, False, body, tuple(notes))

    def lowest(self, a: Administration) -> int:
        """The lowest dose level of the courses whose levels ``a``'s course follows (its
        own; for a blinded placebo, those it stands for): a level below it stops ``a``."""
        course = self._course(a)
        if not course.placebo:
            return lowest_level([course])
        return lowest_level(stands_for(self.regimen, a.period, a.course))

    def _changed(self, a: Administration, course: Course, dose: Dose, day: date,
                 person: Participant, measured: tuple[tuple[str, date, int], ...],
                 notes: list[str], replaced_bsa: tuple[RecordRow, str] | None,
                 body: BodyUsed, reduction: _Reduction | None,
                 plan_level: int) -> DoseChange:
        """The dose of ``a`` on ``day`` under ``reduction`` (None: the plan's level) and
        the body in effect (:meth:`_dose`'s parts)."""
        notes = list(notes)
        level = plan_level if reduction is None else reduction.level
        percent = None if reduction is None else reduction.percent
        remeasured = bool(measured)
        if reduction is None and not remeasured:
            return DoseChange(a.dose, False, level, None, False, body, tuple(notes))
        try:
            computed = self._compute(dose, course, person, level, percent, day)
        except MissingMeasurementError as exc:
            if replaced_bsa is not None:
                raise _stale_bsa(*replaced_bsa, exc, a, day) from None
            cause = self._cause(exc, day)
            if cause is None:
                raise
            raise _unusable(cause, exc, a, day) from None
        drug = self.regimen.drug(a.drug)
        if drug.vials and computed.amount is not None:
            computed = dataclasses.replace(
                computed, vials=least_waste_vials(computed.amount, drug.vials))
        changed = computed != a.dose
        if reduction is not None:
            row = reduction.row
            # As the row says it: "from cycle 4" when it names its cycle (its date is when
            # it was entered; doses of the cycle before, given after that date, keep theirs).
            start = f"cycle {row.cycle}" if row.cycle is not None else str(row.date)
            notes.append(f"{level_text(row)} from {start} (record line {row.line})")
        if remeasured and changed:
            notes.append("recomputed from " + body.text)
        return DoseChange(computed if changed else a.dose, changed, level, percent, False, body,
                          tuple(notes))

    def _cause(self, exc: MissingMeasurementError, on: date) -> RecordRow | None:
        """The ``measure`` row (dated on or before ``on``) whose measurement left a dose
        without one it needs: the latest renal one for a renal need (a creatinine that
        replaced a GFR, or the reverse), the latest body size one for a body size need;
        None when no such row applies (the participant's own measurements lack it)."""
        renal = {"gfr", "creatinine", "age", "sex", "birth_date"}
        kinds = ({"creatinine", "gfr"} if renal & {exc.field, *exc.needed}
                 else {"weight", "height", "bsa"})
        found = None
        for row in self.measures:
            assert row.date is not None
            assert row.measurement is not None
            if row.date > on:
                break
            if row.measurement.kind in kinds:
                found = row
        return found

    def _compute(self, dose: Dose, course: Course, person: Participant, level: int,
                 percent: Decimal | None, day: date) -> ComputedDose:
        body = BodySize(person, self.plan.bsa_formula, self.plan.bsa_decimals)
        strength = self.regimen.drug(course.drug).strength
        if strength is not None:
            # As expand does: the dose counted in its form, a round in tablets converted.
            dose = dataclasses.replace(dose, strength=strength)
        # The drug's vials: a dose rounded to whole vials (round: {to_vial: true}) needs them.
        vials = self.regimen.drug(course.drug).vials
        if percent is None:
            declared = course.level(level)
            return compute_dose(dose, body, declared, day, vials)
        # A percentage of the level-0 dose: the engine's arithmetic for a percentage level,
        # its derivation naming the record instead of a declared level.
        computed = compute_dose(dose, body, DoseLevel(-1, percent=percent), day, vials)
        prefix = "dose level -1: "
        derivation = computed.derivation
        if derivation.startswith(prefix):
            label = f"dose level {level}, " if level else ""
            derivation = f"{label}reduced to " + derivation[len(prefix):]
        return dataclasses.replace(computed, derivation=derivation)


def _asks(row: RecordRow) -> tuple[int, Decimal | None]:
    """The dose a ``reduce`` row asks for, as ``(level, percent)``: a level (with or
    without its percentage) is ``(level, None)``, a percentage alone ``(0, percent)``;
    100% is ``(0, None)``, level 0."""
    if row.level is not None:
        return row.level, None
    return 0, None if row.percent == 100 else row.percent


def _when(row: RecordRow) -> tuple[date, int]:
    return (row.date or date.min, row.line)


def _stop_note(row: RecordRow, drug: str, lowest: int) -> str:
    return (f"stopped: dose level {row.level} on {row.date} (record line {row.line}) "
            f"is below the lowest declared level of {drug} ({lowest})")
