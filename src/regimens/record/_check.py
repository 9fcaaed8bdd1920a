"""A record against its regimen: the drugs, cycles, cycle days and dose levels it names exist.

What a row *does* to the schedule (which administration it fulfils, how far a delay moves a
cycle) is the replay's business; here only names are checked, so that a typing mistake in
a record is an error with its file and line, never a row that silently matches nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING

from ..errors import ExpandOptionTypeError, InvalidRecordError, Problem
from ..model import Course, DaysPattern, Regimen, suggestion
from ..quantities import EXACT, Months, half_up, plain

if TYPE_CHECKING:
    # Types only: _record imports this module (Record.check_against).
    from ._model import RecordRow
    from ._record import Record

__all__ = ["blinded_alike", "check_record", "escalation_problems", "level_percent", "level_text",
           "percent_agrees"]


def check_record(record: Record, regimen: Regimen, arm: str | None = None,
                 levels: Mapping[str, int] | None = None) -> None:
    """Raise if a row of ``record`` names what ``regimen`` does not have (on ``arm``, when
    given): see :meth:`Record.check_against`. ``levels``: the dose levels the plan is
    expanded at (``Regimen.expand(levels=...)``), the level in force before the record's
    first reduction (a row raising a dose above it is a re-escalation)."""
    if not isinstance(regimen, Regimen):
        # A catalogue id or a path would fail inside with an AttributeError of its own.
        raise ExpandOptionTypeError("regimen", "a Regimen, as regimens.load or loads gives it "
                                    "(a file or catalogue id is read with "
                                    "regimens.load(...))", regimen)
    courses = _courses(regimen, arm)
    problems: list[Problem] = []
    drugs = [d.id for d in regimen.drugs]
    names = {d.id: d.name for d in regimen.drugs}  # a drug written by its name: its id
    reductions: list[RecordRow] = []
    for row in record.effective():
        if row.drug is not None and row.drug not in drugs:
            problems.append(_problem(row, "drug", f"{suggestion(row.drug, drugs, names)}no drug "
                                     f"of {regimen.id} has this id (drugs: {', '.join(drugs)})",
                                     row.drug, code="unknown-drug"))
            continue
        mine = [c for c in courses if row.drug is None or c.drug == row.drug]
        if row.drug is not None and not mine:
            problems.append(_problem(row, "drug", f"arm {arm} receives no {row.drug}",
                                     row.drug, code="drug-not-in-arm"))
            continue
        found = _cycle_problems(row, mine) if row.cycle is not None else []
        if row.event.value == "reduce":
            found += _level_problems(row, list(dict.fromkeys(
                a for c in mine for a in blinded_alike(regimen, c))))
            if not found:
                reductions.append(row)
        problems.extend(found)
    # The reductions that name what the regimen has, in the order they take effect.
    problems.extend(escalation_problems(regimen, reductions, levels))
    if problems:
        raise InvalidRecordError(sorted(problems, key=lambda p: p.line or 0))


def _courses(regimen: Regimen, arm: str | None) -> list[Course]:
    periods = regimen.periods if arm is None else regimen.path(arm)
    return [c for p in periods for c in p.courses
            if arm is None or c.arms is None or arm in c.arms]


def blinded_alike(regimen: Regimen, course: Course) -> list[Course]:
    """``course`` and, for a placebo course of a blinded period, the active courses of its
    drug in that period: blinded staff record a placebo participant's reduction as they
    would an active one's, so the levels those declare are the placebo's too (a level
    refused, or not stopping the drug, on the placebo arm alone would tell the arm;
    docs/record.md, "Dose changes")."""
    alike = [course]
    if course.placebo:
        for period in regimen.periods:
            if period.blinded and course in period.courses:
                alike += [c for c in period.courses if c.drug == course.drug and not c.placebo]
    return alike


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
                         "date instead" + (" (a dose given on another day: by the date it "
                                           "was planned on, in the planned column)"
                                           if row.event.value == "given" else ""),
                         row.cycle, code="unknown-cycle")]
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
        else:
            # A cycle in calendar months is 28 to 31 days by its dates: a record checked
            # without them allows the longest (the replay finds whether the day is planned).
            longest = (course.cycle.most_days if isinstance(course.cycle, Months)
                       else course.cycle.days)
            if -longest < row.day <= longest:
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
    if declared == [0] and row.level < 0:
        # With no levels declared every negative level is "below the lowest", which would
        # stop the drug: a reduction meant as a smaller dose must never stop it silently.
        # With a percentage given too, the fix is to drop the level, not to add a
        # percentage (the row has one).
        instead = ("use a percentage of the level-0 dose such as 80%" if row.percent is None
                   else f"write the percentage alone, {plain(row.percent)}% (without "
                   "the level)")
        return [_problem(row, "level", f"no dose levels are declared for {row.drug}, so dose "
                         f"level {row.level} names no dose; {instead}, or stop the drug with "
                         "a stop row",
                         row.level if row.percent is None else
                         f"{row.level} ({plain(row.percent)}%)",
                         code="undeclared-level")]
    if row.level < declared[-1]:
        # Below the lowest declared level: the drug stops (the replay reports it), and
        # there is no dose for a percentage to agree with.
        if row.percent is not None:
            return [_problem(row, "level", f"dose level {row.level} is below the lowest "
                             f"declared level of {row.drug} ({declared[-1]}): the drug stops, "
                             "so no percentage goes with it",
                             f"{row.level} ({plain(row.percent)}%)",
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
        if share is not None and not percent_agrees(share, row.percent):
            written = format(row.percent, "f")  # as written: 83.330, its decimals count
            return [_problem(row, "level", f"dose level {row.level} of {row.drug} is "
                             f"{_share_text(share)} of the level-0 dose, not "
                             f"{written}%: when both are given they must "
                             f"agree{_to_the_decimals(share)}", f"{row.level} ({written}%)",
                             code="level-percent-mismatch")]
    return []


def percent_agrees(share: Decimal, written: Decimal) -> bool:
    """Whether ``written``, the percentage a reduce row gives with its level, agrees with
    ``share``, the level's exact percentage of the level-0 dose: it is ``share`` rounded
    half up to the decimals ``written`` has (docs/record.md, "reduce"): 83.33, 83.3 and 83
    agree with 83.333...%, 83.34 and 83.330 do not; 80, 80.0 agree with 80%."""
    exponent = written.as_tuple().exponent
    assert isinstance(exponent, int)
    return half_up(share, max(0, -exponent)) == written


def _share_text(share: Decimal) -> str:
    """A level's percentage in a message: exact when it has at most 2 decimals, else
    "about" it to 2 (half up)."""
    shown = half_up(share, 2)
    return f"{plain(share)}%" if shown == share else f"about {plain(shown)}%"


def _to_the_decimals(share: Decimal) -> str:
    """For a percentage that does not end within 2 decimals, the forms that agree."""
    if half_up(share, 2) == share:
        return ""
    forms = list(dict.fromkeys(f"{plain(half_up(share, places))}%" for places in (2, 1, 0)))
    listed = forms[0] if len(forms) == 1 else ", ".join(forms[:-1]) + " or " + forms[-1]
    return f" to the decimals written ({listed})"


def _problem(row: RecordRow, column: str, message: str, value: object, *,
             code: str) -> Problem:
    return Problem(row.source, row.line, (column,), message, value, code=code)


def _when(row: RecordRow) -> tuple[date, int]:
    return (row.date or date.min, row.line)


def level_text(row: RecordRow) -> str:
    """A reduce row's level in words: "dose level -1 (80%)", "75% of the level-0 dose"."""
    if row.level is not None and row.percent is not None:
        return f"dose level {row.level} ({plain(row.percent)}%)"
    if row.level is not None:
        return f"dose level {row.level}"
    assert row.percent is not None
    return f"{plain(row.percent)}% of the level-0 dose"


def _share(course: Course, level: int, percent: Decimal | None) -> Decimal | None:
    """How much of the level-0 dose a (level, percent) stands for, to order two."""
    if percent is not None:
        return percent
    try:
        return level_percent(course, level)
    except KeyError:
        return None


def escalation_problems(regimen: Regimen, rows: Sequence[RecordRow],
                        levels: Mapping[str, int] | None = None) -> list[Problem]:
    """The ``reduce`` rows among ``rows`` that ``regimen`` refuses whatever the schedule: a
    reduction of a drug with no dose to reduce (placebo or unspecified, code
    ``nothing-to-reduce``), and, per drug, the first row that raises a dose above the
    level in force when the course keeps reductions permanent (``re_escalate: false``,
    code ``re-escalation``), rows taken in date order. The level in force is an earlier
    row's, else the level the plan is expanded at (``levels``, by drug id: 0 when not
    given), whatever its origin."""
    by_drug: dict[str, list[RecordRow]] = {}
    for row in sorted((r for r in rows if r.event.value == "reduce"), key=_when):
        assert row.drug is not None
        by_drug.setdefault(row.drug, []).append(row)
    problems: list[Problem] = []
    for drug, mine in by_drug.items():
        courses = [c for p in regimen.periods for c in p.courses if c.drug == drug
                   and (c.dose is not None or c.steps)]
        if not courses:
            row = mine[0]
            problems.append(Problem(row.source, row.line, ("drug",), f"{drug} has no "
                                    "dose to reduce (placebo or unspecified)", drug,
                                    code="nothing-to-reduce"))
            continue
        planned = (levels or {}).get(drug, 0)
        found = next((p for c in courses if not regimen.policy_for(c).re_escalate
                      for p in _raises(drug, c, mine, planned)), None)
        if found is not None:
            problems.append(found)
    return problems


def _raises(drug: str, course: Course, rows: list[RecordRow], planned: int = 0
            ) -> list[Problem]:
    """The first row that raises the dose of ``course`` above the level in force: an
    earlier row's, else ``planned``, the level the plan is expanded at."""
    before: tuple[RecordRow | None, Decimal | None, int] | None = None
    if planned != 0:
        before = (None, _share(course, planned, None), planned)
    for row in rows:
        level = row.level if row.level is not None else 0
        # With a level, the level's own percentage (a percentage given with it agrees with
        # it only to the decimals written).
        share = _share(course, level, row.percent if row.level is None else None)
        if before is not None:
            earlier, was, was_level = before
            raised = (share > was if share is not None and was is not None
                      else level > was_level)
            if raised:
                what = (f"after the reduction on line {earlier.line}" if earlier is not None
                        else f"above dose level {was_level}, the level the plan is "
                        f"expanded at (--level {drug}={was_level}, or levels={{'{drug}': "
                        f"{was_level}}})")
                return [Problem(row.source, row.line, ("level",),
                                f"this row raises {drug}'s dose {what}; the regimen's "
                                "reductions are permanent (re_escalate: false): give "
                                "re_escalate: true to the course or the regimen to allow it",
                                level_text(row), code="re-escalation")]
        before = (row, share, level)
    return []
