"""Replay, steps 2 and 3 (:mod:`._replay`): what happened to each dose: ``given`` and
``missed`` rows (a dose given that fulfils no planned administration, make-ups under
``missed: make_up``), then ``hold``/``resume`` and ``stop`` spans, and doses taken past
their period's planned end."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import NoReturn

from ..engine import ComputedDose
from ..errors import GivenAfterArmWarning, OverdoseWarning, UnitError
from ..quantities import Amount, StudyDay, human_amount
from ._dosing import Dosing
from ._model import EventKind, RecordRow
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
from ._summary import _days


class _Status(_ReplayState):
    """The replay's given, missed, hold, resume and stop rows."""

    # 2. Given and missed ---------------------------------------------------------------

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

    def makes_up(self, drug: str) -> bool:
        """Whether a course of ``drug`` makes its missed doses up (``missed: make_up``)."""
        return any(_make_up(self.schedule, self.course(r.key)) for r in self.rows
                   if r.plan.drug == drug)

    def not_before_missed(self, row: RecordRow, missed: _Row) -> None:
        """Refuse a given row naming a missed dose (by its cycle and day, or its planned
        date) dated on or before the day that dose was due: a make-up comes after the dose
        it makes up, so such a row says the dose itself was given (on its day, or early)
        while the missed row says it was not. Taken as a make-up, it put the make-up
        before its own missed dose (and took the missed dose's calendar event)."""
        assert row.date is not None
        if row.date > missed.date:
            return
        when = "before it was due" if row.date < missed.date else "the day it was due"
        raise _problem(row, "date", f"line {missed.line} says this dose, due "
                       f"{_day(missed.date)}, was missed; this row gives it on "
                       f"{_day(row.date)}, {when}, so it is that dose given, not its make-up "
                       "(a make-up is given after the day of the dose it makes up): void one "
                       "of the two rows", row.date.isoformat(), "record-given-and-missed")

    def make_up_given(self, row: RecordRow, missed: _Row) -> _Row | None:
        """The make-up of ``missed`` that a given row naming the missed dose's cycle and day
        gives (a new administration: the missed one stays missed, counted missed), or None
        when its make-up was given already (the row is then a dose given twice, or one
        fulfilling nothing)."""
        done = self.made_up_by.get(id(missed))
        if done is not None:
            self.given_unplanned(row, [done])
            return None
        up = _Row(missed.plan, missed.date, made_up=missed.line)
        up.touch(f"make-up of the dose missed on {_day(missed.date)} (line {missed.line}) "
                 "(missed: make_up)")
        self.extra.append(up)
        self.made_up_by[id(missed)] = up
        return up

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
            raise _problem(row, "date", f"{self.name(row.drug)} {row.event.value} on "
                           f"{_day(row.date)}, before the arm's first day: outside every "
                           f"period of arm {self.schedule.arm} ({_day(first)} to "
                           f"{_day(last)}); check the date (its year)",
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

    def lengths_assumed(self) -> tuple[tuple[str, int, str], ...]:
        """The periods the arm's last day rests on whose length is a range and was given
        none (``Schedule.lengths_assumed``): each period's id, the days it was placed with
        (its shortest; 0 for one left out) and its length as the regimen writes it."""
        days = {p.id: p.length.days for p in self.schedule.periods}
        return tuple((period, days.get(period, 0), str(self.regimen.period(period).length))
                     for period in self.schedule.lengths_assumed)

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
        dose = self.given_dose(row, planned)
        before = target.date
        # Given on another day than it was due: held to the move's ordering rule and
        # limit (max_delay); a make-up is given after later doses by design (missed:
        # make_up), so only a second dose of the drug on its day is a deviation here (its
        # limit is from the day it is due, once known: make_up).
        order = ([] if before == row.date
                 else self.same_day(target, row.date) if target.made_up is not None
                 else self.out_of_order([target], row.date)
                 + self.too_late(target, before, row.date))
        status_before = target.status
        target.status = _S.GIVEN
        target.line = row.line
        target.date = row.date
        if row.time is not None:
            target.time_given = row.time
        if dose is not None:
            target.dose = dose
        text = "given" + (f" {dose.text}" if dose is not None else "")
        if before != row.date:
            text += f" on {_day(row.date)}, planned for {_day(before)}"
        if target.made_up is not None:
            text += f", making up the dose missed (line {target.made_up})"
        target.touch(f"{text} ({_where(row)})")
        self.change(row, f"{target.plan.drug_name} " + text + (
            f", cycle {target.plan.cycle} day {target.plan.cycle_day}"
            if target.plan.cycle is not None else ""))
        given_amount = dose.amount if dose is not None else None
        if (given_amount is not None and planned.amount is not None
                and given_amount.magnitude > planned.amount.magnitude):
            # Same unit (given_dose converts): more than planned is never taken silently.
            text = (f"{target.plan.drug_name} given {human_amount(given_amount)} on "
                    f"{_day(row.date)}, more than the {planned.text} planned")
            self.deviation(row, text)
            self.warnings.append(OverdoseWarning(f"{row.source}:{row.line}: {text}"))
        if order:
            self.deviation(row, f"{target.plan.drug_name} "
                           + (f"cycle {target.plan.cycle} day {target.plan.cycle_day} "
                              if target.plan.cycle is not None else "")
                           + f"given on {_day(row.date)}, due {_day(before)}: "
                           + "; ".join(order))
        if status_before in (_S.STOPPED, _S.HELD, _S.CANCELLED):
            self.deviation(row, f"{target.plan.drug_name} given on {_day(row.date)} although "
                           f"{status_before.value} by the record")

    def given_dose(self, row: RecordRow, planned: ComputedDose) -> ComputedDose | None:
        """The dose a given row records, when it gives an amount other than the plan's."""
        if row.amount is None:
            return None
        amount: Amount = row.amount
        if planned.amount is not None:
            try:
                amount = row.amount.to(planned.amount.unit)
            except UnitError:
                raise _problem(row, "amount", "the amount given must be in the planned dose's "
                               f"dimension ({planned.amount.unit.dimension.value}: planned "
                               f"{planned.text})", str(row.amount),
                               "record-wrong-dimension") from None
            if amount.magnitude == planned.amount.magnitude:
                return None
        text = human_amount(amount)
        derivation = f"given: {text} (record line {row.line}" + (
            f": {row.reason})" if row.reason else ")") + f"; planned: {planned.text}"
        return ComputedDose(amount, text, derivation, planned.basis, planned.per_basis)

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
            first = min(p.first_date for p in self.schedule.periods)
            raise _problem(row, "date", f"no planned administration of {name} is open on "
                           f"{_day(row.date)} to take its amount from: it is after the arm's "
                           f"last day, {_day(last)} (arm {self.schedule.arm} runs from "
                           f"{_day(first)} to {_day(last)}); check the date (its year); a "
                           "dose really given after the arm's last day is recorded with the "
                           "amount given" + "".join(
                               f"; that last day rests on period {period} lasting {days} "
                               f"day{'' if days == 1 else 's'}, the shortest of its length "
                               f"{length}, as no length was given for it: give its length "
                               f"(--length {period}=LENGTH)"
                               for period, days, length in self.lengths_assumed()),
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
        self.given_dose(row, plan.dose)  # refuses an amount in another dimension
        amount: Amount = row.amount
        if plan.dose.amount is not None:
            amount = row.amount.to(plan.dose.amount.unit)
        text = human_amount(amount)
        dose = ComputedDose(amount, text, f"given: {text} (record line {row.line}"
                            + (f": {row.reason}" if row.reason else "")
                            + "); fulfils no planned administration",
                            plan.dose.basis, plan.dose.per_basis)
        extra.dose = dose
        extra.time_given = row.time
        why = ("it was given already" if candidates else
               f"none is planned on {_day(row.date)}")
        # A new event, not a change of one: no revision (an iCalendar SEQUENCE of 0).
        extra.notes.append(f"given, matching no planned administration ({why}; "
                           f"{_where(row)})")
        self.extra.append(extra)
        self.change(row, f"{name} {dose.text} given, fulfilling no planned administration")
        self.deviation(row, f"{name} {dose.text} given on {_day(row.date)} fulfils no planned "
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

    def make_up(self) -> None:
        """Under ``missed: make_up``, each missed dose not made up by a given row is planned
        again after the course's last administration (after the record's delays and moves,
        whatever its status): the missed doses in the order they were due, one a day, each
        on the first day after the course's last administration (and after the make-up
        before it) with no other administration of the drug given or planned, and, for
        clinic work under a site calendar, a day the site is open (docs/record.md,
        "Policies"). Two make-ups never stack into one day's double dose."""
        missed = sorted((r for r in self.rows if r.status is _S.MISSED),
                        key=lambda r: (r.date, r.plan.cycle or 0, r.plan.cycle_day or 0,
                                       r.line or 0))
        taken = {(x.plan.drug, x.date) for x in self.rows + self.extra
                 if x.status in (_S.GIVEN, _S.PLANNED)}
        # The plan's own placement of every make-up, those a given row naming the missed
        # dose gave too: the day each is due (what max_delay counts a make-up given late
        # from), by the same rule, as if none had been given by such a row.
        plan_taken = {(x.plan.drug, x.date) for x in self.rows + self.extra
                      if x.status in (_S.GIVEN, _S.PLANNED) and x.made_up is None}
        calendar = self.schedule.calendar
        clinic = {d.id for d in self.regimen.drugs if d.clinic}
        latest: dict[tuple[str, int], date] = {}  # each course's last make-up so far
        plan_latest: dict[tuple[str, int], date] = {}

        def place(r: _Row, last: date, at_site: bool, taken: set[tuple[str, date]],
                  latest: dict[tuple[str, int], date]) -> date | None:
            """The first day after the course's last administration and its make-up so
            far with no other dose of the drug (and the site open, for clinic work); None
            when none is left before 9999-12-31, the calendar's last day."""
            try:
                day = max(last, latest.get(r.key, last)) + timedelta(days=1)
                while (r.plan.drug, day) in taken or (
                        at_site and calendar is not None and calendar.closure(day) is not None):
                    day += timedelta(days=1)
            except OverflowError:
                return None
            taken.add((r.plan.drug, day))
            latest[r.key] = day
            return day

        for r in missed:
            course = self.course(r.key)
            if not _make_up(self.schedule, course):
                continue  # not made up
            last = max(x.date for x in self.rows if x.key == r.key)
            at_site = calendar is not None and (r.plan.drug in clinic or course.clinic)
            due = place(r, last, at_site, plan_taken, plan_latest)
            if id(r) in self.made_up_by:
                # Made up by a given row naming it already (on any day): held to max_delay
                # from the day the plan makes it up on (none after 9999-12-31, the
                # calendar's last day: a make-up given by then is never late).
                if due is not None:
                    self.make_up_late(self.made_up_by[id(r)], due)
                continue
            day = place(r, last, at_site, taken, latest)
            if day is None:
                # The course ends on the calendar's last day (a participant placed in year
                # 9999): no day is left for the make-up; the missed row is named.
                row = self.record.row_at(r.line or 0)
                assert row is not None  # (the line of the missed row)
                raise _problem(row, "event", "the make-up of this "
                               "missed dose would fall after 9999-12-31, the last day of the "
                               "calendar (years 1 to 9999)", r.date.isoformat(),
                               "record-outside-calendar")
            again = _Row(r.plan, day, made_up=r.line)
            if day == last + timedelta(days=1):
                where = "the day after the course's last dose"
            else:
                where = (f"{_days((day - last).days)} after the course's last dose "
                         f"({_day(last)}): make-ups go one a day, on days with no other dose "
                         f"of {r.plan.drug_name}" + (" and the site open" if at_site else ""))
            again.touch(f"make-up of the dose missed on {_day(r.date)} (line {r.line}), "
                        f"{where} (missed: make_up)")
            self.extra.append(again)
            self.made_up_by[id(r)] = again

    def make_up_late(self, up: _Row, due: date) -> None:
        """A make-up given (by a row naming the missed dose's cycle and day) more than
        ``max_delay`` after ``due``, the day the plan makes it up on (:meth:`make_up`: the
        site calendar and one make-up a day): a protocol deviation, by the move's limit
        (:meth:`too_late`). One given before that day is not late."""
        if up.status is not _S.GIVEN or up.line is None:
            return
        why = self.too_late(up, due, up.date)
        row = self.record.row_at(up.line)
        if not why or row is None:
            return
        self.deviation(row, f"{up.plan.drug_name} "
                       + (f"cycle {up.plan.cycle} day {up.plan.cycle_day} "
                          if up.plan.cycle is not None else "")
                       + f"given on {_day(up.date)}, making up the dose missed (line "
                       f"{up.made_up}), due {_day(due)} (the day missed: make_up plans it "
                       "on): " + "; ".join(why))

    def make_ups_recorded(self, dosing: Dosing) -> None:
        """The given and missed rows that could only be a make-up's, once make-ups are
        planned: a missed row naming a missed dose by its cycle and day misses its
        make-up; a missed row, or a given row without an amount, dated on a day with no
        planned administration of its drug misses or gives the make-up planned that day.
        Any other is refused as before (or, given twice, named so)."""
        for row in self.later_missed:
            up = self.recorded_make_up(row)
            if up is None:
                self.missed_nothing(row)
            if up.status is _S.GIVEN:
                raise _problem(row, "event", f"line {up.line} says this dose was given; "
                               "void one of the two rows", row.event.value,
                               "record-given-and-missed")
            if up.status is _S.MISSED:
                self.missed_nothing(row)
            self.miss(row, up)
        for row in self.later_given:
            up = self.recorded_make_up(row)
            if up is None or up.status is _S.GIVEN:
                self.given_unplanned(row, [] if up is None else [up])
                continue
            if up.status is _S.MISSED:
                raise _problem(row, "event", f"line {up.line} says this dose was missed; "
                               "void one of the two rows", row.event.value,
                               "record-given-and-missed")
            self.fulfil(row, up, dosing)

    def recorded_make_up(self, row: RecordRow) -> _Row | None:
        """The make-up a given or missed row names: by the missed dose's cycle and day,
        else the one of its drug on its date."""
        if row.cycle is not None:
            named = [self.made_up_by.get(id(r)) for r in self.named_rows(row)]
            return next((u for u in named if u is not None), None)
        return next((u for u in self.extra if u.made_up is not None
                     and u.plan.drug == row.drug and u.date == row.date), None)

    # 3. Holds and stops ----------------------------------------------------------------

    def spans(self, rows: list[RecordRow], stopped: list[RecordRow] | None = None) -> None:
        """Mark the doses inside each hold (``rows``: the hold and resume rows); a resume
        with nothing held is refused, naming the stop (of ``stopped``) that ended the drug
        when there is one."""
        holds: dict[str | None, tuple[RecordRow, list[tuple[date, date | None, RecordRow]]]] = {}
        spans: list[tuple[str | None, date, date | None, RecordRow]] = []
        for row in sorted(rows, key=lambda r: (r.date or date.min, r.line)):
            assert row.date is not None
            what = self.name(row.drug) if row.drug else "the whole treatment"
            if row.event is EventKind.HOLD:
                if row.drug in holds:
                    raise _problem(row, "event", f"{what} is held already (line "
                                   f"{holds[row.drug][0].line}); resume it first",
                                   row.event.value, "record-hold-twice")
                holds[row.drug] = (row, [])
                self.change(row, f"{what} held from {_day(row.date)}")
            elif row.event is EventKind.RESUME:
                opened = holds.pop(row.drug, None)
                if opened is None and row.drug is not None and None in holds:
                    # The drug IS held, by a hold of the whole treatment, which only a resume
                    # of the whole treatment ends (docs/record.md, "Events"): never "not held".
                    raise _problem(row, "event", f"{what} is held by the hold of the whole "
                                   f"treatment on line {holds[None][0].line}, which a resume "
                                   "of one drug does not end: resume the whole treatment (a "
                                   "resume row with the drug empty), then hold again from that "
                                   "day each drug that stays held", row.event.value,
                                   "record-resume-without-hold")
                if opened is None:
                    _resumed_after_stop(row, what, stopped or [])
                    raise _problem(row, "event", f"{what} is not held on {_day(row.date)} "
                                   "(a resume closes an earlier hold of the same drug, or of "
                                   "the whole treatment when the drug is empty)",
                                   row.event.value, "record-resume-without-hold")
                spans.append((row.drug, opened[0].date or row.date, row.date, opened[0]))
                self.change(row, f"{what} resumed from {_day(row.date)}")
        for drug, (row, _) in holds.items():
            assert row.date is not None
            spans.append((drug, row.date, None, row))
        for drug, first, end, row in spans:
            for r in self.rows + self.extra:  # make-ups too
                if not ((drug is None or r.plan.drug == drug) and r.date >= first
                        and (end is None or r.date < end)):
                    continue
                if r.status is _S.PLANNED:
                    r.status = _S.HELD
                    r.touch(f"held ({_where(row)})")
                elif r.status is _S.GIVEN and r.date > first:
                    # Given while held (after the day of the hold, as after a stop): what
                    # happened, and a protocol deviation, never taken silently.
                    self.deviations.append((r.date, r.line or 0, f"line {r.line}: "
                                            f"{r.plan.drug_name} given on {_day(r.date)}, "
                                            f"during the hold of line {row.line}"))

    def stops(self, rows: list[RecordRow]) -> None:
        first: dict[str | None, RecordRow] = {}
        for row in sorted(rows, key=lambda r: (r.date or date.min, r.line)):
            first.setdefault(row.drug, row)
            what = self.name(row.drug) if row.drug else "the whole treatment"
            assert row.date is not None
            self.change(row, f"{what} stops from {_day(row.date)}")
        for drug, row in first.items():
            assert row.date is not None
            for r in self.rows + self.extra:
                if not (drug is None or r.plan.drug == drug) or r.date < row.date:
                    continue
                if r.status in (_S.PLANNED, _S.HELD):
                    r.status = _S.STOPPED
                    r.touch(f"stopped ({_where(row)})")
                elif r.status is _S.GIVEN and r.date > row.date:
                    self.deviations.append((r.date, r.line or 0, f"line {r.line}: "
                                            f"{r.plan.drug_name} given on {_day(r.date)}, "
                                            f"after the stop of line {row.line}"))

    def past_period_end(self) -> None:
        """An administration the record's delays or moves (or a late given row) take past
        the planned end of its period is a protocol deviation, one per period, naming the
        last such administration and the rows that moved it."""
        ends = {p.id: p.last_date for p in self.schedule.periods}
        late: dict[str, list[_Row]] = {}
        for r in self.rows + self.extra:
            end = ends.get(r.plan.period)
            if end is not None and r.date > end and r.status in (_S.GIVEN, _S.PLANNED):
                late.setdefault(r.plan.period, []).append(r)
        for period, found in late.items():
            last = max(found, key=lambda r: (r.date, r.plan.drug))
            lines = sorted({n for r in found for n in r.moved_by}
                           | {r.line for r in found if r.status is _S.GIVEN and r.line}
                           # A make-up past the end: the missed row it makes up.
                           | {r.made_up for r in found if r.made_up is not None})
            where = ("line" if len(lines) == 1 else "lines") + " " + ", ".join(
                str(n) for n in lines) if lines else "the record"
            what = last.plan.drug_name + (
                f" cycle {last.plan.cycle} day {last.plan.cycle_day}"
                if last.plan.cycle is not None else "")
            count = (f"{len(found)} administrations past it, the last " if len(found) > 1
                     else "")
            self.deviations.append((last.date, lines[0] if lines else 0, (
                f"{where}: period {period} runs past its planned end "
                f"({_day(ends[period])}): {count}{what} {last.status.value} on "
                f"{_day(last.date)}")))


def _resumed_after_stop(row: RecordRow, what: str, stopped: list[RecordRow]) -> None:
    """Refuse a resume of what a stop on or before its date ended (the stop of its drug, or
    of the whole treatment), naming the stop: a stop ends a drug, and a resume cannot undo
    it; a stop entered in error is voided (docs/record.md, "Events")."""
    assert row.date is not None
    ending = sorted((s for s in stopped if s.date is not None and s.date <= row.date
                     and (s.drug is None or s.drug == row.drug)),
                    key=lambda s: (s.date or date.min, s.line))
    if not ending:
        return
    stop = ending[0]
    assert stop.date is not None
    whole = stop.drug is None
    subject = "it" if whole == (row.drug is None) else "the whole treatment"
    raise _problem(row, "event", f"{what} is not held on {_day(row.date)}: {subject} was "
                   f"stopped on {_day(stop.date)} (line {stop.line}), and a stop ends "
                   f"{'the treatment' if whole else 'the drug'}, which a resume cannot undo "
                   f"(if the stop was a mistake, void it: a 'void stop' row naming line "
                   f"{stop.line})", row.event.value, "record-resume-without-hold")
