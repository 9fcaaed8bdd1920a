"""Replay, the dose changes (:mod:`._replay`): each dose as the record's ``reduce`` and
``measure`` rows make it (:class:`Dosing`), what the summary says of each reduction, and
given plus planned doses against each drug's cumulative limit."""

from __future__ import annotations

from datetime import date

from ..errors import RecordWarning
from ._cumulative import (
    CumulativeEntry,
    CumulativeFlag,
    cumulative_flags,
    limit_not_checked,
    unsized_limits,
)
from ._dosing import Dosing
from ._model import EventKind, RecordRow
from ._replay_state import _S, _SCALED, _day, _ReplayState, _Row
from ._row_words import reduction_text


class _DoseChanges(_ReplayState):
    """The replay's dose changes: reductions, new measurements, cumulative limits."""

    # 4. Dose changes: reductions, new measurements, cumulative limits --------------------

    def doses(self, dosing: Dosing) -> None:
        """Each dose given without its own amount, or still planned, as the record's
        ``reduce`` and ``measure`` rows make it (:class:`Dosing`; docs/record.md, "Dose
        changes"); a reduction below the lowest declared level stops the drug."""
        # With new measurements in the record, every dose that scales with the body says
        # what it was computed from, with the dates measured (a pharmacist's audit),
        # whatever its status; without them the plan's derivation says it, except for a
        # dose given with its own amount (its derivation is the amount given), whose note
        # says it always.
        audit = bool(dosing.measures)
        # Make-ups too (a dose made up after a reduction is given at the reduced dose), and
        # doses given that fulfil no planned administration (the body in effect that day).
        for r in self.rows + self.extra:
            # A dose the record says was given or missed is a fact of its day: only rows
            # dated on or before it change it (a later reduce row never rewrites it).
            as_of = r.date if r.status in (_S.GIVEN, _S.MISSED) else None
            change = dosing.dose(r.plan, r.date, as_of=as_of)
            scaled = r.plan.dose.basis in _SCALED
            if change.stopped and r.status in (_S.PLANNED, _S.HELD):
                # Stopped by a reduction below the lowest declared level: then as a dose
                # stopped by a stop row (_Holds.stops: a dose planned or held, a make-up or
                # a dose moved too, is stopped; one given, missed or cancelled keeps its
                # status). A hold never keeps a stopped drug "held" (review A, 4).
                r.status = _S.STOPPED
                r.touch(change.notes[-1])
            if r.status not in (_S.PLANNED, _S.GIVEN):
                # Not given (missed, held, cancelled, stopped): shown at the dose it would
                # have had that day (after reductions and measurements; stopped by a
                # reduction, under the one in force before it), not the plan's.
                if r.dose is None and change.changed:
                    r.dose = change.dose
                if audit and scaled:
                    r.say("computed from " + change.body.text)
                continue
            r.change = change
            own = r.status is _S.GIVEN and r.dose is not None  # given with its own amount
            # A dose the record changes says why (a reduction, "recomputed from ..."); what
            # it was computed from is said after that, unless the "recomputed from" note
            # says it already: every dose that scales says it, at whatever level (cold try
            # 5, finding 2: a dose at a reduced level, not recomputed, said nothing of it).
            changing = change.changed and r.dose is None and not own
            recomputed = any(n.startswith("recomputed from ") for n in change.notes)
            if scaled and (own or (audit and not changing)):
                r.say("computed from " + change.body.text)
            notes = change.notes
            if change.stopped:
                row = change.stop_row
                assert row is not None
                # At the given row's line and day, as a dose given after a stop row is:
                # the given row is what deviates; the reduce row is named in the text.
                self.deviations.append((r.date, r.line or 0, f"line {r.line}: "
                                        f"{r.plan.drug_name} given on {_day(r.date)} although "
                                        f"stopped by the reduction on line {row.line}"))
                # Given all the same: at the dose in force before the reduction that
                # stopped the drug, as after a stop row (its notes, without the stop's).
                notes = notes[:-1]
            if change.changed and r.dose is None:
                r.dose = change.dose
                r.touch("; ".join(notes))
                if scaled and audit and not recomputed:
                    r.say("computed from " + change.body.text)
            elif change.notes and r.status is _S.PLANNED:
                # Said (a new weight within the redose threshold), but nothing changed: no
                # new revision, so a calendar does not update an unchanged event.
                for note in change.notes:
                    r.say(note)

    def changing_nothing(self, rows: list[RecordRow],
                         dosing: Dosing | None = None) -> dict[int, str]:
        """The ``reduce``, ``hold``, ``stop`` and ``measure`` rows that change nothing, by
        line, each with why (docs/record.md, "Rows that change nothing"): no administration
        they could reach is dated on or after them (a row dated after the last dose, as a
        month typed wrong makes it), or, for a stop, the drug stops already, or, for a
        reduction (with ``dosing``), the dose it asks for is in force already for every
        dose it reaches. Each is a :class:`RecordWarning` too: the record is never
        silently ignored."""
        found: dict[int, str] = {}
        every = self.rows + self.extra
        stopped: list[RecordRow] = []
        for row in sorted(rows, key=lambda r: (r.date or date.min, r.line)):
            assert row.date is not None
            on = row.date
            if row.event is EventKind.MEASURE:
                scaled = [r for r in every if r.plan.dose.basis in _SCALED]
                if any(r.date >= on for r in scaled):
                    continue
                assert row.measurement is not None
                why = ("no dose of this schedule is computed from the body's size or kidney "
                       "function" if not scaled else "no dose computed from the body's size "
                       "or kidney function is dated on or after it (the last is on "
                       f"{_day(max(r.date for r in scaled))})")
                found[row.line] = f"changes no dose: {why}"
                self.warnings.append(RecordWarning(
                    f"{row.source}:{row.line}: the measurement {row.measurement} of "
                    f"{on.isoformat()} changes no dose: {why}"))
                continue
            mine = [r for r in every if row.drug is None or r.plan.drug == row.drug]
            what = self.name(row.drug) if row.drug else "the whole treatment"
            of = self.name(row.drug) if row.drug else "any drug"
            if row.event is EventKind.STOP:
                before = next((x for x in stopped if x.drug is None or x.drug == row.drug),
                              None)
                stopped.append(row)
                if before is not None:
                    assert before.date is not None
                    why = (f"{what} stops already from {_day(before.date)} (line "
                           f"{before.line})")
                    found[row.line] = f"changes nothing: {why}"
                    self.warnings.append(RecordWarning(
                        f"{row.source}:{row.line}: the stop of {what} from "
                        f"{on.isoformat()} changes nothing: {why}"))
                    continue
            if row.event is EventKind.REDUCE and dosing is not None:
                why_not = self.in_force_already(row, mine, dosing)
                if why_not is not None:
                    found[row.line] = f"changes nothing: {why_not}"
                    self.warnings.append(RecordWarning(
                        f"{row.source}:{row.line}: the reduction of {what} to "
                        f"{reduction_text(row).split(' from ')[0]} from {on.isoformat()} "
                        f"changes nothing: {why_not}"))
                    continue
            reach = [r for r in mine if r.date >= on and (
                row.event is not EventKind.REDUCE or row.cycle is None
                or (r.plan.cycle is not None and r.plan.cycle >= row.cycle))]
            if reach:
                continue
            last = max((r.date for r in mine), default=None)
            why = (f"no administration of {of} is dated on or after it"
                   + (f" (the last is on {_day(last)})" if last is not None else ""))
            if row.event is EventKind.REDUCE and row.cycle is not None:
                why = (f"no administration of {of} of cycle {row.cycle} or later is dated on "
                       "or after it")
            found[row.line] = f"changes nothing: {why}"
            head = (f"the reduction of {what} to {reduction_text(row).split(' from ')[0]}"
                    if row.event is EventKind.REDUCE else f"the {row.event.value} of {what}")
            self.warnings.append(RecordWarning(
                f"{row.source}:{row.line}: {head} from {on.isoformat()} changes nothing: "
                f"{why}"))
        return found

    def in_force_already(self, row: RecordRow, mine: list[_Row], dosing: Dosing) -> str | None:
        """Why ``reduce`` row ``row`` changes nothing when every dose of ``mine`` (its
        drug's) it reaches is at the dose it asks for already (:meth:`Dosing.repeated`): a
        second ``reduce -1`` after a first, "dose level -1 is in force already from
        2027-01-11 (line 2)"; None when it changes a dose, or reaches none. A reduction to
        level 0 (or 100%) with no reduction before it is said by
        :meth:`reduction_notes` instead (kept in the summary, in its words)."""
        reached = [x for r in mine if (x := dosing.repeated(
            row, r.plan, r.date, r.date if r.status in (_S.GIVEN, _S.MISSED) else None))
            is not None]
        if not reached or not all(same for same, _ in reached):
            return None
        assert row.drug is not None
        before = next((b for _, b in reached if b is not None), None)
        if before is None:
            level = dosing.levels.get(row.drug, 0)
            if level == 0:
                return None  # nothing to undo: reduction_notes says it, in its own words
            return (f"dose level {level} is in force already: the level the plan is "
                    f"expanded at (--level {row.drug}={level}, or levels={{'{row.drug}': "
                    f"{level}}})")
        text = reduction_text(before).split(" (line ")[0]
        return f"{text} is in force already (line {before.line})"

    def reduction_notes(self, rows: list[RecordRow], dosing: Dosing) -> dict[int, str]:
        """What the summary says of each ``reduce`` row beside it (by line): a reduction
        that applies only to doses not yet given (:meth:`reaching_back`), one below the
        lowest declared level (the drug stops), one to level 0 (or 100%) with no
        reduction before it to undo (changes nothing: a :class:`RecordWarning`)."""
        notes = self.reaching_back(rows)
        by_drug: dict[str, list[RecordRow]] = {}
        for row in sorted(rows, key=lambda r: (r.date or date.min, r.line)):
            assert row.drug is not None
            earlier = by_drug.setdefault(row.drug, [])
            said = []
            name = self.name(row.drug)
            declared = sorted({0, *(x.level for p in self.regimen.periods for c in p.courses
                                    if c.drug == row.drug for x in c.levels)})
            # The doses this row stopped, each by the levels of its own course (a course
            # of the drug may declare fewer levels than another: a maintenance course
            # stops at a level its loading course has).
            stopping = [r for r in self.rows + self.extra if r.plan.drug == row.drug
                        and r.status is _S.STOPPED
                        and any(f"record line {row.line})" in n for n in r.notes)]
            if row.level is not None and (stopping or row.level < declared[0]):
                stopped = len(stopping)
                lows = sorted({dosing.lowest(r.plan) for r in stopping}, reverse=True) or [
                    declared[0]]
                said.append(f"below the lowest declared level "
                            f"({', '.join(str(x) for x in lows)}): {name} stops "
                            f"from then on ({stopped} dose{'' if stopped == 1 else 's'} "
                            "stopped)")
            undoes = (row.level == 0 and row.percent in (None, 100)) or (
                row.level is None and row.percent == 100)
            if undoes and not earlier and dosing.levels.get(row.drug, 0) == 0:
                said.append("changes nothing: no reduction before it to undo (dose level 0 "
                            "is the dose as written)")
                self.warnings.append(RecordWarning(
                    f"{row.source}:{row.line}: the reduction of {name} to "
                    f"{reduction_text(row).split(' from ')[0]} changes nothing: no reduction "
                    "before it to undo (dose level 0 is the dose as written)"))
            earlier.append(row)
            if said:
                notes[row.line] = "; ".join(([notes[row.line]] if row.line in notes else [])
                                            + said)
        return notes

    def reaching_back(self, rows: list[RecordRow]) -> dict[int, str]:
        """For each ``reduce`` row "from cycle N" dated after doses of cycle N or later were
        given, what it does not change (by its line): a :class:`RecordWarning` each. A given
        dose is a fact of its day: the reduction applies only to doses not yet given."""
        found: dict[int, str] = {}
        for row in sorted(rows, key=lambda r: r.line):
            if row.cycle is None:
                continue  # from its date on: it cannot reach a dose given before it
            assert row.date is not None
            cycle = row.cycle
            before = sorted((r for r in self.rows + self.extra
                             if r.status is _S.GIVEN and r.plan.drug == row.drug
                             and r.plan.cycle is not None and r.plan.cycle >= cycle
                             and r.date < row.date), key=lambda r: (r.date, r.line or 0))
            if not before:
                continue
            given = ", ".join(f"cycle {r.plan.cycle} day {r.plan.cycle_day} given on "
                              f"{r.date.isoformat()} by line {r.line}" for r in before)
            found[row.line] = f"applies only to doses not yet given ({given})"
            self.warnings.append(RecordWarning(
                f"{row.source}:{row.line}: the reduction of {self.name(row.drug or '')} from "
                f"cycle {cycle} is dated {row.date.isoformat()}, after {given}: it applies "
                "only to doses not yet given; a given dose keeps the dose of its day"))
        return found

    def cumulative(self, dosing: Dosing) -> tuple[CumulativeFlag, ...]:
        """Given plus planned doses against each drug's ``max_cumulative``: the
        administration that would cross it is flagged on it (and a given one is a
        deviation)."""
        if all(d.max_cumulative is None for d in self.regimen.drugs):
            return ()
        rows = [r for r in self.rows + self.extra if r.status in (_S.GIVEN, _S.PLANNED)]
        # A placebo counts nothing, whatever amount its label (and the record) says: a
        # placebo participant is never warned of, nor stopped for, a drug not received.
        entries = [CumulativeEntry(r.plan.drug, r.date,
                                   None if r.plan.placebo else (r.dose or r.plan.dose).amount,
                                   r.status is _S.GIVEN, dosing.dose(r.plan, r.date).body,
                                   r.plan.cycle, r.plan.cycle_day)
                   for r in rows]
        # A per-m2 (per-kg) limit on doses without the BSA (weight) they were computed
        # from is not checked, and says so, as on the plan alone (planned_limits).
        unsized = unsized_limits(self.regimen, entries)
        self.warnings.extend(limit_not_checked(drug) for drug in unsized)
        skip = {drug.id for drug in unsized}
        kept = [i for i, e in enumerate(entries) if e.drug not in skip]
        rows = [rows[i] for i in kept]
        flags = cumulative_flags(self.regimen, [entries[i] for i in kept])
        for flag in flags:
            r = rows[flag.index]
            r.touch(str(flag.warning))
            if flag.given and r.line is not None:
                row = self.record.row_at(r.line)
                assert row is not None
                self.deviation(row, str(flag.warning))
        return flags
