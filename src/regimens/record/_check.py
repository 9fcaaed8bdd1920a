"""A record against its regimen: the drugs, cycles, cycle days and dose levels it names exist.

What a row *does* to the schedule (which administration it fulfils, how far a delay moves a
cycle) is the replay's business; here only names are checked, so that a typing mistake in
a record is an error with its file and line, never a row that silently matches nothing.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from typing import TYPE_CHECKING

from ..errors import InvalidRegimenError, Problem
from ..model import Course, DaysPattern, Regimen, lookalike_text
from ..quantities import EXACT

if TYPE_CHECKING:
    # Types only: _model imports this module (Record.check_against).
    from ._model import Record, RecordRow

__all__ = ["check_record", "level_percent"]


def check_record(record: Record, regimen: Regimen, arm: str | None = None) -> None:
    """Raise if a row of ``record`` names what ``regimen`` does not have (on ``arm``, when
    given): see :meth:`Record.check_against`."""
    courses = _courses(regimen, arm)
    problems: list[Problem] = []
    drugs = [d.id for d in regimen.drugs]
    for row in record.effective():
        if row.drug is not None and row.drug not in drugs:
            problems.append(_problem(row, "drug", f"{lookalike_text(row.drug, drugs)}no drug "
                                     f"of {regimen.id} has this id (drugs: {', '.join(drugs)})",
                                     row.drug, code="unknown-drug"))
            continue
        mine = [c for c in courses if row.drug is None or c.drug == row.drug]
        if row.drug is not None and not mine:
            problems.append(_problem(row, "drug", f"arm {arm} receives no {row.drug}",
                                     row.drug, code="drug-not-in-arm"))
            continue
        if row.cycle is not None:
            problems.extend(_cycle_problems(row, mine))
        if row.event.value == "reduce":
            problems.extend(_level_problems(row, mine))
    if problems:
        raise InvalidRegimenError(problems)


def _courses(regimen: Regimen, arm: str | None) -> list[Course]:
    periods = regimen.periods if arm is None else regimen.path(arm)
    return [c for p in periods for c in p.courses
            if arm is None or c.arms is None or arm in c.arms]


def _cycles_text(courses: list[Course]) -> str:
    spans = []
    for c in courses:
        if c.cycles is None:
            spans.append(f"{c.first_cycle} on")
        elif c.cycles == 1:
            spans.append(str(c.first_cycle))
        else:
            spans.append(f"{c.first_cycle}-{c.first_cycle + c.cycles - 1}")
    return ", ".join(dict.fromkeys(spans))


def _has_cycle(course: Course, number: int) -> bool:
    if course.cycle is None or number < course.first_cycle:
        return False
    return course.cycles is None or number < course.first_cycle + course.cycles


def _cycle_problems(row: RecordRow, courses: list[Course]) -> list[Problem]:
    assert row.cycle is not None
    cycled = [c for c in courses if c.cycle is not None]
    what = row.drug if row.drug is not None else "any course"
    if not cycled:
        return [_problem(row, "cycle", f"{what} has no cycles: name the administration by its "
                         "date instead", row.cycle, code="unknown-cycle")]
    having = [c for c in cycled if _has_cycle(c, row.cycle)]
    if not having:
        return [_problem(row, "cycle", f"{what} has no cycle {row.cycle} (cycles "
                         f"{_cycles_text(cycled)})", row.cycle, code="unknown-cycle")]
    if row.day is None:
        return []
    for course in having:
        assert course.cycle is not None
        pattern = course.pattern
        if isinstance(pattern, DaysPattern):
            if row.day in pattern.days:
                return []
        elif -course.cycle.days < row.day <= course.cycle.days:
            return []
    days = sorted({d for c in having if isinstance(c.pattern, DaysPattern)
                   for d in c.pattern.days})
    listed = f" (its days: {', '.join(str(d) for d in days)})" if days else ""
    return [_problem(row, "day", f"cycle {row.cycle} of {what} has no administration on day "
                     f"{row.day}{listed}", row.day, code="unknown-cycle-day")]


def level_percent(course: Course, level: int) -> Decimal | None:
    """The percentage of the level-0 dose that dose level ``level`` of ``course`` stands for:
    100 for level 0, a percentage level as declared, an absolute level as its share of a
    dose in the same basis (exactly; None when the course's dose is not one quantity).

    Raises:
        KeyError: the course declares no such level.
    """
    declared = course.level(level)
    if declared is None:
        return Decimal(100)
    if declared.percent is not None:
        return declared.percent
    dose = course.dose
    if declared.quantity is None or dose is None or dose.bands:
        return None
    with localcontext(EXACT):
        return (declared.quantity.amount.to(dose.quantity.amount.unit).magnitude * 100
                / dose.quantity.amount.magnitude)


def _level_problems(row: RecordRow, courses: list[Course]) -> list[Problem]:
    if row.level is None:
        return []
    with_dose = [c for c in courses if c.dose is not None or c.steps]
    declared = sorted({0, *(x.level for c in with_dose for x in c.levels)}, reverse=True)
    if row.level < declared[-1]:
        # Below the lowest declared level: the drug stops (the replay reports it), and
        # there is no dose for a percentage to agree with.
        if row.percent is not None:
            return [_problem(row, "level", f"dose level {row.level} is below the lowest "
                             f"declared level of {row.drug} ({declared[-1]}): the drug stops, "
                             "so no percentage goes with it",
                             f"{row.level} ({row.percent.normalize():f}%)",
                             code="level-percent-mismatch")]
        return []
    if row.level not in declared:
        return [_problem(row, "level", f"dose level {row.level} is not declared for {row.drug} "
                         f"(declared: {', '.join(str(d) for d in declared)}); undeclared levels "
                         "are refused", row.level, code="undeclared-level")]
    if row.percent is None:
        return []
    for course in with_dose:
        try:
            share = level_percent(course, row.level)
        except KeyError:
            continue
        if share is not None and share != row.percent:
            return [_problem(row, "level", f"dose level {row.level} of {row.drug} is "
                             f"{share.normalize():f}% of the level-0 dose, not "
                             f"{row.percent.normalize():f}%: when both are given they must "
                             "agree", f"{row.level} ({row.percent.normalize():f}%)",
                             code="level-percent-mismatch")]
    return []


def _problem(row: RecordRow, column: str, message: str, value: object, *,
             code: str) -> Problem:
    return Problem(row.source, row.line, (column,), message, value, code=code)
