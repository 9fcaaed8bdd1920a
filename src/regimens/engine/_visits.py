"""The visits of a participant's schedule: each visit's anchor placed on the timeline, with
its window; a visit only some arms have refused where it would unblind a period."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from ..errors import InvalidRegimenError, Problem
from ..model import (
    BLINDED_VISIT,
    AfterLastAnchor,
    MonthAnchor,
    PeriodAnchor,
    Regimen,
    RepeatAnchor,
    StudyDayAnchor,
    Visit,
)
from ..quantities import Months, StudyDay
from ._administration import Administration
from ._schedule import VisitOccurrence
from ._timeline import Timeline

if TYPE_CHECKING:
    from collections.abc import Iterator


def _last_given(regimen: Regimen, rows: list[Administration], line: Timeline
                ) -> dict[str, int]:
    """The offset from Study Day 1 of each drug's last administration (only when a visit
    follows one: otherwise no pass over every row)."""
    last_given: dict[str, int] = {}
    day_one = line.start.toordinal()
    after_last = any(isinstance(v.anchor, AfterLastAnchor) for v in regimen.visits)
    for a in rows if after_last else ():
        offset = a.date.toordinal() - day_one
        if offset > last_given.get(a.drug, offset - 1):
            last_given[a.drug] = offset
    return last_given


def _targets(regimen: Regimen, line: Timeline, visit: Visit,
             last_given: dict[str, int]) -> list[tuple[int, str, str]]:
    """The target offsets of one visit on this participant's timeline, with the id and
    label of each occurrence: none when the arm does not go through its period (or
    receive its course or drug), several for a repeating visit."""
    anchor = visit.anchor
    placed = {p.id: (first, n) for p, first, n in line.periods}
    if isinstance(anchor, StudyDayAnchor):
        return [(StudyDay(anchor.day, regimen.day_zero).offset, visit.id, visit.label)]
    if isinstance(anchor, PeriodAnchor):
        if anchor.period not in placed:
            return []  # the arm does not go through that period
        first, n = placed[anchor.period]
        offset = (first if anchor.at == "start" else first + n - 1 if anchor.at == "end"
                  else first + (anchor.day or 1) - 1)
        return [(offset, visit.id, visit.label)]
    if isinstance(anchor, RepeatAnchor):
        if anchor.period not in placed:
            return []
        first, n = placed[anchor.period]
        step = anchor.every.days
        # First day + k x every, k = 1, 2, ..., while inside the period as chosen.
        return [(first + k * step, f"{visit.id}-{k}", f"{visit.label} {k}" if visit.label else "")
                for k in range(1, (n - 1) // step + 1)]
    if isinstance(anchor, MonthAnchor):
        # The date of Study Day 1 (Day 0) + N calendar months, from that date.
        reached = Months(anchor.months).after(line.start)
        return [((reached - line.start).days, visit.id, visit.label)]
    if isinstance(anchor, AfterLastAnchor):
        last = last_given.get(anchor.drug)
        if last is None:
            return []  # no administration of the drug on this schedule
        return [(last + anchor.offset.days, visit.id, visit.label)]
    for period, first, _ in line.periods:
        for course in period.courses:
            if course.id != anchor.course:
                continue
            if course.arms is not None and line.arm not in course.arms:
                return []
            assert course.cycle is not None  # the regimen checks it
            k = anchor.cycle - course.first_cycle + 1  # the course's k-th cycle
            offset = first + course.start - 1 + (k - 1) * course.cycle.days + anchor.day - 1
            return [(offset, visit.id, visit.label)]
    return []  # the course's period is not on this arm's path


def _visits(regimen: Regimen, line: Timeline,
            last_given: dict[str, int]) -> Iterator[VisitOccurrence]:
    """The visits, with ``last_given``: the offset of each drug's last administration."""
    placed = {p.id: (first, n) for p, first, n in line.periods}
    blinded = {p.id: p.blinded for p, _, _ in line.periods}
    found: list[tuple[int, int, int, VisitOccurrence]] = []
    for index, visit in enumerate(regimen.visits):
        before = visit.window.before.days if visit.window else 0
        after = visit.window.after.days if visit.window else 0
        for number, (offset, visit_id, label) in enumerate(
                _targets(regimen, line, visit, last_given)):
            day = line.offset_date(offset)
            inside = next((p for p, (f, n) in placed.items() if f <= offset < f + n), None)
            if visit.arms is not None and inside is not None and blinded.get(inside):
                # A visit only some arms have would tell a blinded calendar which arm this is.
                through = [a.id for a in regimen.arms
                           if a.periods is None or inside in a.periods]
                lacking = [a for a in through if a not in visit.arms]
                if lacking and len(lacking) < len(through):
                    raise InvalidRegimenError([Problem(
                        regimen.origin or "<Regimen>", None, ("visits", index, "arms"),
                        BLINDED_VISIT + f" (not for: {', '.join(lacking)}; its "
                        f"{line.study_day(offset)} falls in period {inside!r})",
                        list(visit.arms), code="blinded-visit-arms")])
            if visit.arms is not None and line.arm not in visit.arms:
                continue
            found.append((offset, index, number, VisitOccurrence(
                visit_id, label, line.study_day(offset), day,
                day - timedelta(days=before), day + timedelta(days=after), inside)))
    found.sort(key=lambda item: item[:3])
    for *_, occurrence in found:
        yield occurrence
