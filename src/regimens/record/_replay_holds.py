"""Replay, step 3 (:mod:`._replay`): ``hold``/``resume`` and ``stop`` spans, and the doses
the record takes past their period's planned end."""

from __future__ import annotations

from datetime import date

from ._model import EventKind, RecordRow
from ._replay_state import _S, _day, _problem, _ReplayState, _Row, _where


class _Holds(_ReplayState):
    """The replay's hold, resume and stop rows, and the doses past their period's end."""

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
                if row.drug is not None and None in holds:
                    # The drug IS held, by a hold of the whole treatment, which only a resume
                    # of the whole treatment ends (docs/record.md, "Events"): never "not held",
                    # and never taken as closing the drug's own hold beside it (its doses
                    # would stay held while the changes said it resumed).
                    raise _problem(row, "event", f"{what} is held by the hold of the whole "
                                   f"treatment on line {holds[None][0].line}, which a resume "
                                   "of one drug does not end: resume the whole treatment (a "
                                   "resume row with the drug empty), then hold again from that "
                                   "day each drug that stays held", row.event.value,
                                   "record-resume-without-hold")
                opened = holds.pop(row.drug, None)
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
