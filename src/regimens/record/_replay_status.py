"""Replay, step 2 (:mod:`._replay`): what happened to each dose: ``given`` and ``missed``
rows, the arm's first and last days they are held to, and a dose given that fulfils no
planned administration. The make-ups under ``missed: make_up`` are in
:mod:`._replay_makeup`; ``hold``/``resume`` and ``stop`` spans, and doses taken past their
period's planned end, in :mod:`._replay_holds`."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING, NoReturn

from ..engine import Administration, ComputedDose
from ..errors import GivenAfterArmWarning, OverdoseWarning, UnitSlipWarning
from ..quantities import StudyDay
from ._dosing import Dosing
from ._given_amount import given_amount
from ._model import RecordRow
from ._replay_state import (
    _S,
    _day,
    _make_up,
    _one_period,
    _problem,
    _ReplayState,
    _Row,
    _where,
)
from ._unit_slip import unit_slip


class _Status(_ReplayState):
    """The replay's given and missed rows (their make-ups: :class:`._replay_makeup._MakeUps`)."""

    # 2. Given and missed ---------------------------------------------------------------

    if TYPE_CHECKING:
        # The make-ups (missed: make_up) a given or missed row meets: in _replay_makeup,
        # whose _MakeUps completes this class (the replay is a _MakeUps).
        def makes_up(self, drug: str) -> bool: ...
        def not_before_missed(self, row: RecordRow, missed: _Row) -> None: ...
        def make_up_given(self, row: RecordRow, missed: _Row) -> _Row | None: ...

    def named_rows(self, row: RecordRow) -> list[_Row]:
        """The administrations a given or missed row names: by cycle and day, or by the
        date it is planned on (a given row's planned column), else the drug's
        administrations on its date; with a time, the one at that time."""
        if row.cycle is not None:
            found = [r for r in self.rows if r.plan.drug == row.drug
                     and r.plan.cycle == row.cycle and r.plan.cycle_day == row.day]
            if not found:
                assert row.drug is not None
                raise _problem(row, "day", f"{self.name(row.drug)} has no administration on "
                               f"day {row.day} of cycle {row.cycle}", row.day,
                               "record-unknown-day")
            assert row.drug is not None
            _one_period(row, found, f"day {row.day} of cycle {row.cycle} of "
                        f"{self.name(row.drug)}")
        elif row.planned is not None:
            # The date the schedule shows it on (after the record's delays and moves), as a
            # row without cycle and day names the one of its own date.
            on = row.planned
            found = [r for r in self.rows if r.plan.drug == row.drug
                     and self.planned_on.get(id(r), r.date) == on]
            if not found:
                assert row.drug is not None
                raise _problem(row, "planned", f"no administration of {self.name(row.drug)} "
                               f"is planned on {_day(on)}", on.isoformat(),
                               "record-unknown-planned")
        else:
            found = [r for r in self.rows if r.plan.drug == row.drug and r.date == row.date]
        if row.time is not None and len(found) > 1:
            timed = [r for r in found if r.plan.time == row.time]
            found = timed or found
        return found

    def open_one(self, row: RecordRow, open_rows: list[_Row]) -> _Row | None:
        """The administration a given or missed row without a cycle and day fulfils among
        ``open_rows`` (those of its drug on its date not given or missed yet): a planned
        one before one the record cancelled (``on_delay: keep``); two planned ones of
        different cycle days are ambiguous, and the row is refused naming them (the doses
        of one cycle day at several times are taken in time order)."""
        if not open_rows:
            return None
        planned = [r for r in open_rows if r.status is _S.PLANNED]
        pool = planned or open_rows
        which = list(dict.fromkeys((r.plan.cycle, r.plan.cycle_day) for r in pool
                                   if r.plan.cycle is not None))
        if row.cycle is None and len(which) > 1:
            assert row.date is not None
            assert row.drug is not None
            named = ", ".join(f"cycle {c} day {d}" for c, d in which)
            raise _problem(row, "date", f"this {row.event.value} row could be any of "
                           f"{len(which)} planned administrations of {self.name(row.drug)} "
                           f"on {_day(row.date)} ({named}): add its cycle and day (the "
                           "cycle and day columns) to say which one",
                           row.date.isoformat(), "record-ambiguous-day")
        return pool[0]

    def given(self, row: RecordRow, dosing: Dosing) -> None:
        assert row.date is not None
        assert row.drug is not None
        self.before_arm(row)
        candidates = self.named_rows(row)
        open_rows = [r for r in candidates if r.status is not _S.GIVEN
                     and r.status is not _S.MISSED]
        missed = [r for r in candidates if r.status is _S.MISSED]
        target: _Row | None = self.open_one(row, open_rows)
        if target is None and missed:
            m = missed[0]
            course = self.course(m.key)
            if _make_up(self.schedule, course) and (row.cycle is not None
                                                    or row.planned is not None):
                self.not_before_missed(row, m)
                # It gives the missed dose's MAKE-UP: the missed one stays missed.
                target = self.make_up_given(row, m)
                if target is None:
                    return
            else:
                raise _problem(row, "event", f"line {m.line} says this dose was missed; void "
                               "one of the two rows (a missed dose is made up only under "
                               "'missed: make_up', by a given row naming its cycle and day)",
                               row.event.value, "record-given-and-missed")
        if target is None:
            if (not candidates and row.cycle is None and row.amount is None
                    and self.makes_up(row.drug)):
                # Perhaps the make-up planned that day: known once make-ups are planned.
                self.later_given.append(row)
                return
            self.given_unplanned(row, candidates)
            return
        self.fulfil(row, target, dosing)

    def arm_days(self) -> tuple[date, date]:
        """The arm's first and last days: the first day of its first period and the last
        day of its last period, as planned."""
        return (min(p.first_date for p in self.schedule.periods),
                max(p.last_date for p in self.schedule.periods))

    def before_arm(self, row: RecordRow) -> None:
        """Refuse a given or missed row dated before the arm's first day, outside every
        period of the arm (a year typed wrong: 2026 for 2027), before anything else is said
        about the row: what else is wrong with it (no dose open that day to take its amount
        from, none to be missed, one fulfilled already) follows from its date. The first
        day is decided by the rule :meth:`inside_arm` decides the last by."""
        assert row.date is not None
        assert row.drug is not None
        first, last = self.arm_days()
        if row.date < first:
            # A first day resting on a length assumed (a ranged run-in before the period
            # the start placed) is itself a guess: the dose may be real (review 6, 5).
            raise _problem(row, "date", f"{self.name(row.drug)} {row.event.value} on "
                           f"{_day(row.date)}, before the arm's first day: outside every "
                           f"period of the arm ({_day(first)} to {_day(last)}); check the "
                           "date (its year)"
                           + self.resting("first", self.lengths_assumed(before=True)),
                           row.date.isoformat(), "record-outside-arm")

    def inside_arm(self, row: RecordRow) -> None:
        """Refuse a dose given before the arm's first day: outside every period of the arm
        (:meth:`before_arm`). After its last day a dose may be real (a late or delayed
        one, a make-up, one given after the protocol's end) or a year typed wrong: kept,
        and a :class:`GivenAfterArmWarning`. One rule for both days: the first day of the
        arm's first period and the last day of its last period, as planned (the record's
        delays and moves do not move them)."""
        self.before_arm(row)
        assert row.date is not None
        assert row.drug is not None
        first, last = self.arm_days()
        if row.date > last:
            day = StudyDay.from_offset((row.date - self.schedule.start).days,
                                       self.regimen.day_zero)
            self.warnings.append(GivenAfterArmWarning(
                source=row.source, line=row.line, drug=row.drug, drug_name=self.name(row.drug),
                given_on=row.date, study_day=day.value, arm=self.schedule.arm,
                first_day=first, last_day=last, assumed=self.lengths_assumed()))

    def lengths_assumed(self, before: bool = False) -> tuple[tuple[str, int, str], ...]:
        """The periods the arm's last day rests on whose length is a range and was given
        none (``Schedule.lengths_assumed``; ``before``: those its first day rests on,
        ``Schedule.lengths_assumed_before``): each period's id, the days it was placed with
        (its shortest; 0 for one left out) and its length as the regimen writes it."""
        days = {p.id: p.length.days for p in self.schedule.periods}
        ids = (self.schedule.lengths_assumed_before if before else
               self.schedule.lengths_assumed)
        return tuple((period, days.get(period, 0), str(self.regimen.period(period).length))
                     for period in ids)

    @staticmethod
    def resting(which: str, assumed: tuple[tuple[str, int, str], ...]) -> str:
        """What an error about the arm's ``which`` ("first" or "last") day adds when that
        day rests on lengths assumed (:meth:`lengths_assumed`): each period, and the option
        that gives its length (empty when none)."""
        return "".join(f"; that {which} day rests on period {period} lasting {days} "
                       f"day{'' if days == 1 else 's'}, the shortest of its length {length}, "
                       "as no length was given for it: give its length (--length "
                       f"{period}=LENGTH)" for period, days, length in assumed)

    def fulfil(self, row: RecordRow, target: _Row, dosing: Dosing) -> None:
        """``target`` given by ``row``: its status, date, dose, notes and changes."""
        assert row.date is not None
        self.inside_arm(row)
        # The dose due that day, after the record's reductions and measurements dated on
        # or before it: an amount given is compared with it, never with the protocol's
        # dose before them (a reduction forgotten at the bedside is an overdose, and the
        # amount the record gives is what was given, even when it is the protocol's).
        # Stopped by a reduction below the lowest level: the dose in force before it (as
        # after a stop row; the dose given after a stop is a deviation all the same).
        due = dosing.dose(target.plan, row.date, as_of=row.date)
        planned = due.dose
        dose = self.given_dose(row, target.plan, planned)
        before = target.date
        # Given on another day than it was due: held to the move's ordering rule and
        # limit (max_delay); a make-up is given after later doses by design (missed:
        # make_up), so only a second dose of the drug on its day is a deviation here (its
        # limit is from the day it is due, once known: make_up). Only a row dated after
        # the day the dose is now due adds lateness of its own: one given on that day or
        # earlier is no later than a delay or move row made it, which that row reports.
        order = ([] if before == row.date
                 else self.same_day(target, row.date) if target.made_up is not None
                 else self.out_of_order([target], row.date)
                 + (self.too_late(target, before, row.date) if row.date > before else []))
        status_before = target.status
        target.status = _S.GIVEN
        target.line = row.line
        target.date = row.date
        if row.time is not None:
            target.time_given = row.time
        if dose is not None:
            target.dose = dose
        text = "given" + (f" {dose.text}" if dose is not None else "")
        if dose is not None and target.plan.placebo:
            # The label's amount of a placebo: no amount of the drug (docs/record.md).
            text += " as labelled (placebo)"
        if before != row.date:
            text += f" on {_day(row.date)}, planned for {_day(before)}"
        if target.made_up is not None:
            text += f", making up the dose missed (line {target.made_up})"
        target.touch(f"{text} ({_where(row)})")
        self.change(row, f"{target.plan.drug_name} " + text + (
            f", cycle {target.plan.cycle} day {target.plan.cycle_day}"
            if target.plan.cycle is not None else ""))
        if (dose is not None and dose.amount is not None and planned.amount is not None
                and dose.amount.magnitude > planned.amount.magnitude):
            # Same unit (given_dose converts): more than planned is never taken silently.
            # As shown: "3 tablets (1,500 mg)" for a count of a drug with a strength.
            text = (f"{target.plan.drug_name} given {dose.text} on "
                    f"{_day(row.date)}, more than the {planned.text} planned")
            self.deviation(row, text)
            self.warnings.append(OverdoseWarning(f"{row.source}:{row.line}: {text}"))
        if (row.amount is not None and dose is not None and planned.amount is not None
                and not row.reason
                and (slip := unit_slip(row.amount, planned.amount)) is not None):
            # A power of 1000 off the dose due, with no reason: a unit slip is likelier
            # than a partial dose (which would say why), and is never taken silently.
            self.warnings.append(UnitSlipWarning(
                f"{row.source}:{row.line}: {target.plan.drug_name} given {row.amount} on "
                f"{_day(row.date)} where {planned.text} was planned: {slip}; check the "
                "unit (a partial dose is recorded with its reason)"))
        if order:
            self.deviation(row, f"{target.plan.drug_name} "
                           + (f"cycle {target.plan.cycle} day {target.plan.cycle_day} "
                              if target.plan.cycle is not None else "")
                           + f"given on {_day(row.date)}, due {_day(before)}: "
                           + "; ".join(order))
        if status_before in (_S.STOPPED, _S.HELD, _S.CANCELLED):
            self.deviation(row, f"{target.plan.drug_name} given on {_day(row.date)} although "
                           f"{status_before.value} by the record")

    def given_dose(self, row: RecordRow, plan: Administration, planned: ComputedDose
                   ) -> ComputedDose | None:
        """The dose a given row records, when it gives an amount other than the plan's
        (converted to the unit of ``planned``, the dose due, or refused: given_amount)."""
        if row.amount is None:
            return None
        given = given_amount(row, self.regimen, plan, planned)
        amount = given.amount
        if planned.amount is not None and amount.magnitude == planned.amount.magnitude:
            return None
        derivation = f"given: {given.text} (record line {row.line}" + (
            f": {row.reason})" if row.reason else ")") + f"; planned: {planned.text}"
        return ComputedDose(amount, given.text, derivation, planned.basis, planned.per_basis,
                            form=given.form, content=given.content)

    def given_unplanned(self, row: RecordRow, candidates: list[_Row]) -> None:
        """A given row that fulfils no planned administration: kept, and a deviation."""
        assert row.date is not None
        assert row.drug is not None
        name = self.name(row.drug)
        done = [r for r in candidates if r.status is _S.GIVEN and r.line is not None]
        if row.amount is None and done:
            # The likeliest cause is a row entered twice: name the row that fulfilled it.
            raise _problem(row, "event", f"the planned administration of {name} on "
                           f"{_day(done[0].date)} was already fulfilled by line "
                           f"{done[0].line}; void one of the two rows, or name the "
                           "administration this dose fulfils by its "
                           + ("cycle and day" if self.cycled(row.drug) else
                              "planned date (the planned column)"),
                           row.event.value, "record-given-twice")
        moved = [r for r in self.rows if r.plan.drug == row.drug and r.plan.date == row.date
                 and r.last_mover is not None and r.status is _S.PLANNED]
        if moved:
            # Given on its planned day, yet a delay or move row moved it away: the two rows
            # contradict each other. Reported at the moving row, naming the given one (the
            # given row alone only showed that nothing was open on its day).
            r = moved[0]
            mover = r.last_mover
            assert mover is not None
            what = (f"{r.plan.drug_name}, cycle {r.plan.cycle} day {r.plan.cycle_day}"
                    if r.plan.cycle is not None else r.plan.drug_name)
            assert mover.date is not None
            raise _problem(mover, "date",
                           f"this {mover.event.value} row moves {what} from its planned day "
                           f"{_day(r.plan.date)} to {_day(r.date)}, but line {row.line} "
                           f"records it given on {_day(row.date)}: the two rows contradict "
                           "each other; void the wrong one (a dose given late is a given "
                           "row on the day it was given, naming its cycle and day)",
                           mover.date.isoformat(), "record-moved-after-given")
        last = max(p.last_date for p in self.schedule.periods)
        if row.amount is None and row.date > last:
            # Nothing open after the arm's last day: most often a year typed wrong (2028
            # for 2027), which writing an amount would only keep; said at the date.
            # Following "record the amount" alone kept the dose the row gave (one a delay
            # moved past the last day) planned beside an unplanned one, counted twice:
            # naming the dose it gives comes first, with the last one still open.
            first = min(p.first_date for p in self.schedule.periods)
            cycled = self.cycled(row.drug)
            open_before = [r for r in self.rows if r.plan.drug == row.drug
                           and r.status is _S.PLANNED and r.date < row.date]
            still = ""
            if open_before:
                r = max(open_before, key=lambda r: r.date)
                still = (f" (the last still planned before it: cycle {r.plan.cycle} day "
                         f"{r.plan.cycle_day}, on {_day(r.date)})" if r.plan.cycle is not None
                         else f" (the last still planned before it: {_day(r.date)})")
            raise _problem(row, "date", f"no planned administration of {name} is open on "
                           f"{_day(row.date)} to take its amount from: it is after the arm's "
                           f"last day, {_day(last)} (the arm runs from "
                           f"{_day(first)} to {_day(last)}); check the date (its year); a "
                           "dose really given after the arm's last day is recorded with the "
                           + ("cycle and day" if cycled else
                              "planned date (the planned column)")
                           + f" of the dose it gives{still}, or, giving none planned, with "
                           "the amount given" + self.resting("last", self.lengths_assumed()),
                           row.date.isoformat(), "record-given-without-amount")
        if row.amount is None:
            raise _problem(row, "amount", f"no planned administration of {name} is open on "
                           f"{_day(row.date)} to take its amount from: give the amount "
                           "given, or the " + ("cycle and day" if self.cycled(row.drug) else
                                               "planned date (the planned column)")
                           + " of the dose it fulfils",
                           None, "record-given-without-amount")
        same = [r for r in self.rows if r.plan.drug == row.drug]
        if not same:
            raise _problem(row, "drug", f"{name} is not given on this participant's arm",
                           row.drug, "record-drug-not-on-arm")
        given_on = row.date
        # Before every period of the arm (a year typed wrong: 2026-12-20 for 2027-01-20)
        # it would be given a period it is not in: refused, never placed silently. After
        # the arm's last day: kept (it may be real), and named (inside_arm).
        self.inside_arm(row)
        # The nearest planned administration of the drug gives the row its period, course,
        # route and dose basis; never its date, cycle, day or planned amount.
        nearest = min(same, key=lambda r: (abs((r.date - given_on).days), r.date))
        plan = nearest.plan
        start = self.schedule.start
        offset = (row.date - start).days
        template = dataclasses.replace(
            plan, study_day=StudyDay.from_offset(offset, self.regimen.day_zero),
            date=row.date, time=row.time, at=None, cycle=None, cycle_day=None, step=None,
            planned_date=None, calendar_note="")
        extra = _Row(template, row.date, _S.GIVEN, line=row.line, unplanned=True)
        # In the planned dose's unit (a wrong dimension is refused), but no planned amount
        # beside it: no plan is fulfilled, so none is borrowed from the nearest one.
        given = given_amount(row, self.regimen, plan, plan.dose)  # or refused
        amount, text = given.amount, given.text
        dose = ComputedDose(amount, text, f"given: {text} (record line {row.line}"
                            + (f": {row.reason}" if row.reason else "")
                            + "); fulfils no planned administration",
                            plan.dose.basis, plan.dose.per_basis, form=given.form,
                            content=given.content)
        extra.dose = dose
        extra.time_given = row.time
        why = ("it was given already" if candidates else
               f"none is planned on {_day(row.date)}")
        # A new event, not a change of one: no revision (an iCalendar SEQUENCE of 0).
        extra.notes.append(f"given, matching no planned administration ({why}; "
                           f"{_where(row)})")
        self.extra.append(extra)
        # The label's amount of a placebo: no amount of the drug (docs/record.md).
        what = f"{name} {dose.text}" + (" as labelled (placebo)" if plan.placebo else "")
        self.change(row, f"{what} given, fulfilling no planned administration")
        self.deviation(row, f"{what} given on {_day(row.date)} fulfils no planned "
                       f"administration ({why})")
        self.unplanned.append((row, len(self.deviations) - 1))

    def cycled(self, drug: str) -> bool:
        """Whether some administration of ``drug`` has a cycle (a row can name it by its
        cycle and day); else only its planned date names a dose given on another day."""
        return any(r.plan.cycle is not None for r in self.rows if r.plan.drug == drug)

    def unplanned_hints(self) -> None:
        """A dose given that fulfils nothing while the drug's dose planned before it is
        still counted as planned: the totals would count both, so its deviation says so
        (the record has no "as of" date: a past planned dose is not known to be missed)."""
        for row, index in self.unplanned:
            assert row.date is not None
            given_on = row.date
            open_before = [r for r in self.rows if r.plan.drug == row.drug
                           and r.status is _S.PLANNED and r.date < given_on]
            if not open_before:
                continue
            last = max(open_before, key=lambda r: r.date)
            what = (f", cycle {last.plan.cycle} day {last.plan.cycle_day}"
                    if last.plan.cycle is not None else "")
            when, line, text = self.deviations[index]
            # Named as the record can name it: a dose without cycles by its planned date.
            name = ("by its cycle and day" if last.plan.cycle is not None else
                    f"by the date it was planned on, {last.date.isoformat()}, in the planned "
                    "column")
            self.deviations[index] = (when, line, (
                f"{text}; the dose planned on {_day(last.date)}{what}, before it, is still "
                f"counted as planned beside it: if this row gave that dose, name it {name} "
                "(or record the planned one missed)"))

    def missed(self, row: RecordRow) -> None:
        assert row.date is not None
        assert row.drug is not None
        self.before_arm(row)
        candidates = self.named_rows(row)
        open_rows = [r for r in candidates if r.status is not _S.MISSED]
        if not open_rows and (
                (row.cycle is None and self.makes_up(row.drug)) or
                (row.cycle is not None and _make_up(self.schedule,
                                                    self.course(candidates[0].key)))):
            # Perhaps the missed dose's make-up: known once make-ups are planned.
            self.later_missed.append(row)
            return
        if not open_rows:
            self.missed_nothing(row)
        target = self.open_one(row, [r for r in open_rows if r.status is not _S.GIVEN])
        if target is None:
            target = open_rows[0]
        if target.status is _S.GIVEN:
            raise _problem(row, "event", f"line {target.line} says this dose was given; void "
                           "one of the two rows", row.event.value, "record-given-and-missed")
        self.miss(row, target)

    def missed_nothing(self, row: RecordRow) -> NoReturn:
        """A missed row that names no administration it could miss."""
        assert row.date is not None
        assert row.drug is not None
        raise _problem(row, "date" if row.cycle is None else "day",
                       f"no planned administration of {self.name(row.drug)} "
                       + (f"on {_day(row.date)}" if row.cycle is None else
                          f"on day {row.day} of cycle {row.cycle}") + " to be missed",
                       row.date.isoformat() if row.cycle is None else row.day,
                       "record-missed-nothing")

    def miss(self, row: RecordRow, target: _Row) -> None:
        """``target`` missed by ``row``."""
        assert row.date is not None
        target.status = _S.MISSED
        target.line = row.line
        target.touch(f"missed ({_where(row)})")
        self.change(row, f"{target.plan.drug_name} missed on {_day(target.date)}" + (
            f", the make-up of the dose missed (line {target.made_up})"
            if target.made_up is not None else "") + (
            f", cycle {target.plan.cycle} day {target.plan.cycle_day}"
            if target.plan.cycle is not None else ""))
