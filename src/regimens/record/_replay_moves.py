"""Replay, step 1 and the visits (:mod:`._replay`): ``delay`` and ``move`` rows move the
administrations (``on_delay``, ``max_delay``), the site calendar places clinic work a delay
moved, and the visits move with the delays of their cycle or a drug's last dose."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from ..engine import VisitOccurrence, open_day, visit_day
from ..errors import ClosedDayWarning
from ..model import AfterLastAnchor, CourseAnchor
from ..quantities import Months, StudyDay
from ._model import RecordRow
from ._replay_state import (
    _S,
    _day,
    _max_delay,
    _on_delay,
    _one_period,
    _problem,
    _ReplayState,
    _Row,
    _where,
)
from ._summary import Delay, _days


class _Moves(_ReplayState):
    """The replay's delays and moves, and the visits that move with them."""

    # 1. Delays and moves -------------------------------------------------------------

    def nominal_start(self, key: tuple[str, int], cycle: int) -> date:
        """The grid's day 1 of a protocol cycle of a cycled course (before any delay)."""
        course = self.course(key)
        assert course.cycle is not None
        anchor = self.first_of[key[0]] + timedelta(days=course.start - 1)
        if isinstance(course.cycle, Months):
            # A cycle in calendar months starts on its calendar date, counted from the
            # course's first day (never chained; docs/format.md, "Calendar months"): its
            # length in days is the month's, not Months.days (the fewest over any anchor).
            return course.cycle.after(anchor, cycle - course.first_cycle)
        return anchor + timedelta(days=(cycle - course.first_cycle) * course.cycle.days)

    def shift_of(self, key: tuple[str, int], cycle: int, day: int | None) -> int:
        """Days the delays applied so far move (``cycle``, ``day``) of a course (day None:
        its day 1, the cycle's start)."""
        total = 0
        at = (cycle, 1 if day is None else day)
        for c0, d0, days, policy in self.shifts.get(key, ()):
            start = (c0, -(10**9) if d0 is None else d0)
            # Under keep, and for a delay from a cycle day under either policy, only the
            # delayed cycle moves: later cycles keep their own day 1.
            if policy == "keep" or d0 is not None:
                if cycle == c0 and at >= start:
                    total += days
            elif at >= start:
                total += days
        return total

    def delay_targets(self, row: RecordRow) -> list[tuple[str, int]]:
        """The cycled courses a delay row moves: the drug's courses that have its cycle
        (no drug: every cycled course of the period that has it)."""
        assert row.cycle is not None
        found = list(dict.fromkeys(
            r.key for r in self.rows
            if r.plan.cycle == row.cycle and (row.drug is None or r.plan.drug == row.drug)))
        if not found:
            what = f"{self.name(row.drug)} has" if row.drug else "no cycled course has"
            raise _problem(row, "cycle", f"{what} no cycle {row.cycle} on this "
                           "participant's schedule" if row.drug else
                           f"{what} a cycle {row.cycle} on this participant's schedule",
                           row.cycle, "record-unknown-cycle")
        drugs = {self.course(k).drug for k in found}
        if row.drug is not None or all(
                len({k[0] for k in found if self.course(k).drug == d}) > 1 for d in drugs):
            # Still in more than one period with its drug named (or with any drug named):
            # naming the drug is no way out.
            _one_period(row, [r for r in self.rows if r.key in found
                              and r.plan.cycle == row.cycle],
                        f"cycle {row.cycle} of {self.name(row.drug)}" if row.drug
                        else f"cycle {row.cycle}")
        periods = {k[0] for k in found}
        if len(periods) > 1:
            raise _problem(row, "drug", f"cycle {row.cycle} is in more than one period ("
                           f"{', '.join(sorted(periods))}); name the drug", None,
                           "record-ambiguous-cycle")
        return found

    def every_course_has_the_day(self, row: RecordRow, targets: list[tuple[str, int]]) -> None:
        """Refuse a delay with no drug from a cycle day that some of the courses it moves
        (``targets``) have and others do not: it moves that day of every course, so the
        drug meant is to be named (those that have it are listed). None that has it: the
        delay's own message, as for a named drug."""
        assert row.day is not None
        having = [k for k in targets if any(
            r.key == k and r.plan.cycle == row.cycle and r.plan.cycle_day == row.day
            for r in self.rows)]
        lacking = [k for k in targets if k not in having]
        if not having or not lacking:
            return
        names = ", ".join(dict.fromkeys(self.name(self.course(k).drug) for k in having))
        raise _problem(row, "day", f"{self.name(self.course(lacking[0]).drug)} has no "
                       f"administration on day {row.day} of cycle {row.cycle}, and a delay "
                       "with no drug moves that day of every course that has the cycle: name "
                       f"the drug (day {row.day} of cycle {row.cycle}: {names})", row.day,
                       "record-unknown-day")

    def delay(self, row: RecordRow) -> None:
        assert row.cycle is not None
        assert row.date is not None
        measured: list[Delay] = []
        targets = self.delay_targets(row)
        if row.drug is None and row.day is not None:
            self.every_course_has_the_day(row, targets)
        for key in targets:
            course = self.course(key)
            policy = _on_delay(self.schedule, course)
            drug = self.name(course.drug)
            if row.day is None:
                reference = self.nominal_start(key, row.cycle) + timedelta(
                    days=self.shift_of(key, row.cycle, None))
                what = f"cycle {row.cycle} of {drug}"
            else:
                named = [r for r in self.rows if r.key == key and r.plan.cycle == row.cycle
                         and r.plan.cycle_day == row.day]
                if not named:
                    raise _problem(row, "day", f"{drug} has no administration on day "
                                   f"{row.day} of cycle {row.cycle}", row.day,
                                   "record-unknown-day")
                reference = named[0].due
                what = f"cycle {row.cycle} of {drug} from day {row.day}"
            days = (row.date - reference).days
            if days == 0:
                # Dated on the day it starts already: it reads as a delay when it moves
                # nothing; say so, and what the date should be.
                raise _problem(row, "date", f"this row delays {what} by zero days: it starts "
                               f"on {_day(reference)} already, the row's date; write the date "
                               "it starts on now, later than that (a dose given on the day it "
                               "is due needs no delay row)", row.date.isoformat(),
                               "record-delay-not-later")
            if days < 0:
                raise _problem(row, "date", f"a delay moves {what} later: it starts on "
                               f"{_day(reference)} (to give one administration earlier, "
                               "use a move row)", row.date.isoformat(),
                               "record-delay-not-later")
            for r in self.rows:
                c, d = r.plan.cycle, r.plan.cycle_day
                if r.key != key or c is None or d is None:
                    continue
                inside = c == row.cycle and (row.day is None or d >= row.day)
                # A delay from a cycle day moves that day and the rest of its cycle only:
                # the next cycle starts on its own day 1, as dose-modification tables
                # have it (a day-8 delay does not move cycle 3); a whole-cycle delay moves
                # later cycles under on_delay: shift.
                if inside or (policy == "shift" and row.day is None and c > row.cycle):
                    # From the day it was due, not the day the plan's site calendar chose
                    # (recalendar places it again by the calendar's rule).
                    r.target = r.due + timedelta(days=days)
                    r.date = r.target
                    if not inside and r.protocol is not None:
                        # The grid moves: its own day by the protocol moves with it (the
                        # delay of another cycle is not this cycle's lateness).
                        r.protocol += timedelta(days=days)
                    r.moved_by.append(row.line)
                    if inside and r.date == row.date:
                        r.placed_by = row.line  # the date the delay row names
                    r.last_mover = row
                    r.touch(f"delayed {_days(days)} ({_where(row)})" if inside else
                            f"moved {_days(days)} with the delay of cycle {row.cycle} "
                            f"({_where(row)})")
            self.delay_rows[row.line] = row
            self.shifts.setdefault(key, []).append((row.cycle, row.day, days, policy))
            self.named_days[(key, row.cycle, row.day or 1)] = (row.date, row.line)
            later = ("later cycles move with it (on_delay: shift)" if policy == "shift" else
                     "later cycles stay on the grid (on_delay: keep)")
            if row.day is not None:
                later = "later cycles keep their own day 1 (a delay from a cycle day)"
                if policy == "shift":
                    self.into_next_cycle(row, key, days)
            self.change(row, f"{what} starts on {_day(row.date)}, {_days(days)} later; "
                        f"{later}")
            limit = _max_delay(self.schedule, course)
            total = sum(n for c0, _, n, _ in self.shifts[key] if c0 == row.cycle)
            # One measurement for the summary's delays and the deviation: the delay this
            # row causes is from the date the item was due just before it (``reference``,
            # after earlier shifts); max_delay is about the cycle's delays in all.
            found = Delay(row.line, row.date, course.drug, row.cycle, row.day, reference,
                          days, total, limit, row.reason)
            if found not in measured:
                measured.append(found)
            if found.deviation and limit is not None:
                self.deviation(row, f"cycle {row.cycle} of {drug} is delayed "
                               f"{_days(total)} in all, more than max_delay ({_days(limit)})")
        alike = {dataclasses.replace(d, drug=None) for d in measured}
        if row.drug is None and len(alike) == 1:
            self.delays.append(alike.pop())
        else:
            self.delays.extend(measured)

    def into_next_cycle(self, row: RecordRow, key: tuple[str, int], days: int) -> None:
        """A delay from a cycle day that pushes the rest of its cycle onto or past the next
        cycle's day 1 (which does not move) is a protocol deviation (under ``on_delay:
        keep`` those doses are cancelled instead)."""
        assert row.cycle is not None
        following = [r for r in self.rows if r.key == key and r.plan.cycle == row.cycle + 1
                     and r.plan.cycle_day == 1]
        if not following:
            return
        start = following[0].date
        late = [r for r in self.rows if r.key == key and r.plan.cycle == row.cycle
                and r.date >= start]
        if late:
            self.deviation(row, f"the delay of cycle {row.cycle} from day {row.day} of "
                           f"{late[0].plan.drug_name} ({_days(days)}) puts day "
                           f"{late[0].plan.cycle_day} on {_day(late[0].date)}, on or after "
                           f"day 1 of cycle {row.cycle + 1} ({_day(start)})")

    def keep_cancels(self) -> None:
        """Under ``on_delay: keep``, a delayed cycle's doses that fall on or after the next
        cycle's start are not given (none made up)."""
        for key, shifts in self.shifts.items():
            for cycle in sorted({c for c, _, _, policy in shifts if policy == "keep"}):
                try:
                    following = self.nominal_start(key, cycle + 1) + timedelta(
                        days=self.shift_of(key, cycle + 1, None))
                except OverflowError:
                    # The next cycle would start after 9999-12-31 (a participant placed in
                    # year 9999): no dose of this one reaches it.
                    continue
                for r in self.rows:
                    if (r.key == key and r.plan.cycle == cycle and r.date >= following
                            and not r.moved_by_row and r.status is _S.PLANNED):
                        r.status = _S.CANCELLED
                        r.touch(f"cancelled: the delayed cycle {cycle} reaches the start of "
                                f"cycle {cycle + 1} on {_day(following)} (on_delay: keep)")

    def move(self, row: RecordRow) -> None:
        assert row.date is not None
        named = [r for r in self.rows
                 if r.plan.drug == row.drug and r.plan.cycle == row.cycle
                 and r.plan.cycle_day == row.day
                 and (row.time is None or r.plan.time == row.time)]
        if not named:
            assert row.drug is not None
            raise _problem(row, "day", f"{self.name(row.drug)} has no administration on day "
                           f"{row.day} of cycle {row.cycle}"
                           + (f" at {row.time:%H:%M}" if row.time is not None else ""),
                           row.day, "record-unknown-day")
        assert row.drug is not None
        _one_period(row, named, f"day {row.day} of cycle {row.cycle} of {self.name(row.drug)}")
        self.move_deviation(row, named)
        self.move_against_delay(row, named)
        for r in named:
            before = r.date
            r.date = row.date
            r.moved_by_row = True
            r.moved_by.append(row.line)
            r.placed_by = row.line
            r.last_mover = row
            r.touch(f"moved from {_day(before)} ({_where(row)})")
        self.change(row, f"{named[0].plan.drug_name}, cycle {row.cycle} day {row.day}, moves "
                    f"to {_day(row.date)}")

    def move_against_delay(self, row: RecordRow, named: list[_Row]) -> None:
        """A move of an administration a ``delay`` row dates (the day the delay names for
        its cycle), or of one of a delayed cycle's doses to before the day the delay gives
        it, contradicts that delay, whichever row was written first: the move's date is
        kept (it names one administration's date), and it is a protocol deviation naming
        both rows, never silent."""
        assert row.date is not None
        first = named[0]
        for line in dict.fromkeys(first.moved_by):
            delay = self.delay_rows.get(line)
            if delay is None or delay.cycle != first.plan.cycle:
                continue  # a move's own line, or a delay of an earlier cycle shifting it
            assert delay.date is not None
            what = (f"{first.plan.drug_name} cycle {row.cycle} day {row.day} moved to "
                    f"{_day(row.date)}")
            if first.placed_by == delay.line:
                why = f"the delay of line {delay.line} dates it {_day(first.date)}"
            elif row.date < delay.date and (delay.day is None
                                            or (first.plan.cycle_day or 0) >= delay.day):
                start = ("starts cycle" if delay.day is None
                         else f"gives day {delay.day} of cycle")
                why = (f"before {_day(delay.date)}, the day the delay of line {delay.line} "
                       f"{start} {delay.cycle}")
            else:
                continue
            self.deviation(row, f"{what}, but {why}: the two rows contradict each other; "
                           "the move's date is kept (void the row that is wrong)")

    def move_deviation(self, row: RecordRow, named: list[_Row]) -> None:
        """A move is taken as written (it says what happened), but a move past the next
        administration of the same drug (or before the previous one), or later than
        ``max_delay`` after the day it was due, is a protocol deviation: the same limit a
        ``delay`` is held to, and doses of one drug never silently change order."""
        assert row.date is not None
        first = named[0]
        due = first.date
        why = self.out_of_order(named, row.date) + self.too_late(first, due, row.date)
        if why:
            self.deviation(row, f"{first.plan.drug_name} cycle {row.cycle} day {row.day} "
                           f"moved from {_day(due)} to {_day(row.date)}: " + "; ".join(why))

    def recalendar(self) -> None:
        """Clinic work a delay moved onto a day the site is closed moves again by the
        plan's rule (the nearest open day of its window: :func:`regimens.engine.open_day`),
        the note saying so; with no open day it stays, a conflict, as in the plan. The date
        a row names itself (a ``move`` row's date, a ``delay`` row's new start) is kept as
        recorded, with a :class:`ClosedDayWarning` (docs/record.md, "Site calendar")."""
        calendar = self.schedule.calendar
        if calendar is None:
            return
        clinic = {d.id for d in self.regimen.drugs if d.clinic}
        for r in sorted(self.rows, key=lambda r: (r.date, r.plan.drug, r.plan.cycle_day or 0)):
            if r.status is not _S.PLANNED or not r.moved_by:
                continue  # not moved by the record
            course = self.course(r.key)
            if not (r.plan.drug in clinic or course.clinic):
                continue  # taken at home: never moves
            if r.plan.calendar_note:
                # The plan's note is about the day the record moved it from.
                r.calendar_note = ""
                self.stale.append(f"{r.plan.drug_name}, Study Day {r.plan.study_day.value}: "
                               f"{r.plan.calendar_note}")
            why = calendar.closure(r.date)
            if why is None:
                continue
            day = StudyDay.from_offset((r.date - self.schedule.start).days,
                                       self.regimen.day_zero)
            if r.placed_by is not None:
                note = (f"kept on {_day(r.date)}, the date record line {r.placed_by} gives, "
                        f"a day the site is closed ({why})")
                r.notes.append(note)
                r.calendar_note = note
                self.warnings.append(ClosedDayWarning(
                    f"{r.plan.drug_name}, Study Day {day.value}: {note}"))
                continue
            others = [(x.plan.drug, x.date) for x in self.rows
                      if x is not r and x.status in (_S.PLANNED, _S.GIVEN)]
            found, note = open_day(calendar, self.regimen, course, r.plan.drug,
                                   r.plan.drug_name, r.date, others)
            r.calendar_note = note
            if found is None:
                r.notes.append(f"{note} (after the record's delay)")
                self.warnings.append(ClosedDayWarning(
                    f"{r.plan.drug_name}, Study Day {day.value}: {note}"))
                continue
            r.date = found
            r.touch(f"{note}, by the site calendar's rule, as in the plan (after the "
                    "record's delay)")

    def still_closed(self, visits: tuple[VisitOccurrence, ...]) -> set[str]:
        """The plan's closed-day warnings that still hold after the record: each item still
        on the day the plan's calendar note is about (not moved by the record, its note
        the plan's), in the words of the plan's warning."""
        still = {f"{r.plan.drug_name}, Study Day {r.plan.study_day.value}: "
                 f"{r.plan.calendar_note}" for r in self.rows
                 if r.plan.calendar_note and r.calendar_note is None and not r.moved_by}
        for v in visits:
            # A visit the record did not move is the plan's own occurrence.
            if v.calendar_note and v in self.schedule.visits:
                still.add(f"visit {v.label or v.id}, Study Day {v.study_day.value}: "
                          f"{v.calendar_note}")
        return still

    # 4. Visits -------------------------------------------------------------------------

    def visits(self) -> tuple[VisitOccurrence, ...]:
        """The visits as the record leaves them: a visit on a cycle's day moves with the
        delays of that cycle, a visit after a drug's last dose with the last dose that
        happens; a study-day visit stays. A visit the record moves is due on its target day
        moved by as much (its window with it), and with a site calendar it is placed by the
        plan's rule: on a closed day it moves to the nearest open day of its window
        (:func:`regimens.engine.visit_day`), or stays, a conflict; on the day a delay row
        names for its cycle day it is kept, as the administration is. Each with its note
        and, when on a closed day, a :class:`ClosedDayWarning` (docs/record.md, "Site
        calendar")."""
        by_id = {v.id: v for v in self.regimen.visits}
        course_keys = {c.id: (p.id, i) for p in self.regimen.periods
                       for i, c in enumerate(p.courses) if c.id is not None}
        out = []
        for v in self.schedule.visits:
            visit = by_id.get(v.id)
            days = 0
            named: tuple[date, int] | None = None
            if visit is not None and isinstance(visit.anchor, CourseAnchor):
                key = course_keys.get(visit.anchor.course)
                if key is not None:
                    days = self.shift_of(key, visit.anchor.cycle, visit.anchor.day)
                    named = self.named_days.get((key, visit.anchor.cycle, visit.anchor.day))
            elif visit is not None and isinstance(visit.anchor, AfterLastAnchor):
                happening = [r.date for r in self.rows + self.extra
                             if r.plan.drug == visit.anchor.drug
                             and r.status in (_S.GIVEN, _S.PLANNED)]
                planned_last = max((a.date for a in self.schedule.administrations
                                    if a.drug == visit.anchor.drug), default=None)
                if happening and planned_last is not None:
                    days = (max(happening) - planned_last).days
            if not days:
                out.append(v)
                continue
            out.append(self.moved_visit(v, days, named))
        return tuple(sorted(out, key=lambda v: v.date))

    def moved_visit(self, v: VisitOccurrence, days: int,
                    named: tuple[date, int] | None) -> VisitOccurrence:
        """``v`` moved ``days`` from its target day, then placed by the site calendar."""
        step = timedelta(days=days)
        due = (v.planned_date or v.date) + step  # the plan's target day, moved
        earliest, latest = v.earliest + step, v.latest + step
        when, note = due, ""
        calendar = self.schedule.calendar
        why = calendar.closure(due) if calendar is not None else None
        if v.calendar_note:
            # The plan's note is about the day the record moved it from.
            self.stale.append(f"visit {v.label or v.id}, Study Day {v.study_day.value}: "
                              f"{v.calendar_note}")
        if calendar is not None and why is not None:
            if named is not None and named[0] == due:
                note = (f"kept on {_day(due)}, the date record line {named[1]} gives, a day "
                        f"the site is closed ({why})")
                found = None
            else:
                found, note = visit_day(calendar, due, earliest, latest)
            if found is None:
                day = StudyDay.from_offset((due - self.schedule.start).days,
                                           self.regimen.day_zero)
                self.warnings.append(ClosedDayWarning(
                    f"visit {v.label or v.id}, Study Day {day.value}: {note}"))
            else:
                when = found
        return dataclasses.replace(
            v, date=when, earliest=earliest, latest=latest,
            study_day=StudyDay.from_offset((when - self.schedule.start).days,
                                           self.regimen.day_zero),
            planned_date=v.planned_date or v.date, calendar_note=note)
