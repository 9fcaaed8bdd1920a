"""Replay, step 2's make-ups (:mod:`._replay`): under ``missed: make_up`` each missed dose
is planned again after its course's last administration; a given row naming a missed dose
gives its make-up; the given and missed rows that can only be a make-up's are read once the
make-ups are planned."""

from __future__ import annotations

from datetime import date, timedelta

from ._dosing import Dosing
from ._model import RecordRow
from ._replay_state import _S, _day, _make_up, _problem, _Row
from ._replay_status import _Status
from ._summary import _days


class _MakeUps(_Status):
    """The replay's make-ups (``missed: make_up``), on its given and missed rows."""

    # 2. Given and missed: the make-ups -------------------------------------------------

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
