"""A record against its regimen: the drugs, cycles, cycle days and dose levels it names exist.

What a row *does* to the schedule (which administration it fulfils, how far a delay moves a
cycle) is the replay's business; here only names are checked, so that a typing mistake in
a record is an error with its file and line, never a row that silently matches nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING

from ..errors import ExpandOptionTypeError, InvalidRecordError, Problem
from ..model import Course, DaysPattern, Period, Regimen, suggestion
from ..quantities import EXACT, Months, half_up, plain

if TYPE_CHECKING:
    # Types only: _record imports this module (Record.check_against).
    from ._model import RecordRow
    from ._record import Record

__all__ = ["blinded_conflicts", "check_record", "escalation_problems", "level_percent",
           "level_text", "lowest_level", "percent_agrees", "reaction", "stands_for",
           "undeclared_problems", "without_cycles"]


def check_record(record: Record, regimen: Regimen, arm: str | None = None,
                 levels: Mapping[str, int] | None = None, *, blinded: bool = False) -> None:
    """Raise if a row of ``record`` names what ``regimen`` does not have (on ``arm``, when
    given): see :meth:`Record.check_against`. ``levels``: the dose levels the plan is
    expanded at (``Regimen.expand(levels=...)``), the level in force before the record's
    first reduction (a row raising a dose above it is a re-escalation). ``blinded``: the
    record is for an output that blinds the arm: a ``reduce`` row's level is judged alike
    on every arm in a blinded period (against every arm's courses there), and a row the
    arms' courses there take differently is refused (:func:`blinded_conflicts`)."""
    if not isinstance(regimen, Regimen):
        # A catalogue id or a path would fail inside with an AttributeError of its own.
        raise ExpandOptionTypeError("regimen", "a Regimen, as regimens.load or loads gives it "
                                    "(a file or catalogue id is read with "
                                    "regimens.load(...))", regimen)
    placed = _courses(regimen, arm)
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
        here = [(p, i, c) for p, i, c in placed if row.drug is None or c.drug == row.drug]
        mine = [c for _, _, c in here]
        if row.drug is not None and not mine:
            problems.append(_problem(row, "drug", f"arm {arm} receives no {row.drug}",
                                     row.drug, code="drug-not-in-arm"))
            continue
        found = _cycle_problems(row, mine, names) if row.cycle is not None else []
        if row.event.value == "reduce":
            conflicts = blinded_conflicts(regimen, [row]) if blinded else []
            if conflicts:
                found += conflicts
            else:
                # The active courses whose levels the arm's courses follow (a blinded
                # placebo: those it stands for); blinded, every arm's in a blinded period.
                own = _unique(t for p, i, _ in here for t in stands_for(regimen, p.id, i))
                wide = own
                if blinded:
                    wide = _unique([*(c for p in _blinded_of(here) for c in p.courses
                                      if c.drug == row.drug and _active(c)), *own])
                found += _level_problems(row, wide) or undeclared_problems(regimen, row, own)
            if not found:
                reductions.append(row)
        problems.extend(found)
    # The reductions that name what the regimen has, in the order they take effect.
    problems.extend(escalation_problems(regimen, reductions, levels))
    if problems:
        raise InvalidRecordError(sorted(problems, key=lambda p: p.line or 0))


def _courses(regimen: Regimen, arm: str | None) -> list[tuple[Period, int, Course]]:
    """The courses of ``arm`` (None: every course), each with its period and its index
    there: a course is known by its place, never by its value (two periods may have
    courses written alike)."""
    periods = regimen.periods if arm is None else regimen.path(arm)
    return [(p, i, c) for p in periods for i, c in enumerate(p.courses)
            if arm is None or c.arms is None or arm in c.arms]


def _blinded_of(here: list[tuple[Period, int, Course]]) -> list[Period]:
    return list({id(p): p for p, _, _ in here if p.blinded}.values())


def _unique(courses: Iterable[Course]) -> list[Course]:
    """``courses`` in order, each course (by identity) once."""
    return list({id(c): c for c in courses}.values())


def _active(course: Course) -> bool:
    """A course with a dose to change: not a placebo, nor a dose unspecified."""
    return not course.placebo and (course.dose is not None or bool(course.steps))


def _schedule_key(course: Course) -> tuple[object, ...]:
    """What places a course's administrations in its period (not its dose)."""
    return (course.start, course.span, course.cycle, course.cycles, course.pattern,
            course.first_cycle, course.times)


def stands_for(regimen: Regimen, period: str, index: int) -> list[Course]:
    """The active courses whose dose levels course ``index`` of period ``period`` follows
    (docs/record.md, "Dose changes"): an active course, itself; a placebo course of a
    blinded period, the active courses of its drug there with its schedule (the same
    start, span, cycles, days and times: a loading placebo the loading courses), or every
    active course of its drug there when none has it (blinded staff record a reduction
    without knowing which it is); any other course (a placebo of an open-label period, a
    dose unspecified) none: it has no level, and no level stops it."""
    where = regimen.period(period)
    course = where.courses[index]
    if _active(course):
        return [course]
    if not (course.placebo and where.blinded):
        return []
    actives = [c for c in where.courses if c.drug == course.drug and _active(c)]
    same = [c for c in actives if _schedule_key(c) == _schedule_key(course)]
    return same or actives


def _declared(course: Course) -> list[int]:
    return sorted({0, *(x.level for x in course.levels)})


def lowest_level(courses: Sequence[Course]) -> int:
    """The lowest dose level ``courses`` declare (0 when none declares one)."""
    return min((_declared(c)[0] for c in courses), default=0)


def reaction(course: Course, level: int) -> str:
    """What active ``course`` does with dose level ``level``: ``"dose"`` (level 0, or a
    level it declares), ``"stop"`` (below its lowest declared level: the drug stops) or
    ``"undeclared"`` (between levels it declares: refused)."""
    declared = _declared(course)
    if level in declared:
        return "dose"
    return "stop" if level < declared[0] else "undeclared"


def _course_name(regimen: Regimen, course: Course, *, period: bool = True) -> str:
    """``course`` in words: "course load of period treatment", "course 2 of ..." (its
    place from 1 when it has no id); without ``period``, its name alone."""
    for where in regimen.periods:
        for i, c in enumerate(where.courses):
            if c is course:
                name = f"course {course.id}" if course.id else f"course {i + 1}"
                return f"{name} of period {where.id}" if period else name
    return "a course"  # pragma: no cover - every course is one of a period's


def _slots(period: Period, drug: str, regimen: Regimen) -> list[list[Course]]:
    """The groups of active courses of ``drug`` in blinded ``period`` that a blinded output
    shows as one: those with the same schedule (the arms' courses of a dose-ranging
    period), and those each placebo course stands for."""
    actives = [c for c in period.courses if c.drug == drug and _active(c)]
    groups: dict[tuple[object, ...], list[Course]] = {}
    for c in actives:
        groups.setdefault(_schedule_key(c), []).append(c)
    slots = list(groups.values())
    slots += [stands_for(regimen, period.id, i) for i, c in enumerate(period.courses)
              if c.drug == drug and c.placebo]
    return [s for s in slots if len(s) > 1]


def _answer(course: Course, row: RecordRow) -> tuple[str, bool]:
    """What ``course`` does with ``row``'s level, and whether the row's percentage (if
    any) agrees with the level's on it."""
    assert row.level is not None
    done = reaction(course, row.level)
    if done != "dose" or row.percent is None:
        return done, True
    share = level_percent(course, row.level)
    return done, share is None or percent_agrees(share, row.percent)


def _answer_text(course: Course, row: RecordRow) -> str:
    assert row.level is not None
    done, agrees = _answer(course, row)
    if done == "stop":
        return f"stops it (its lowest level is {_declared(course)[0]})"
    if done == "undeclared":
        return ("refuses it (its levels: "
                f"{', '.join(str(x) for x in reversed(_declared(course)))})")
    if not agrees:
        share = level_percent(course, row.level)
        assert share is not None
        return f"gives it as {_share_text(share)} of the level-0 dose"
    return f"gives dose level {row.level}"


def blinded_conflicts(regimen: Regimen, rows: Iterable[RecordRow]) -> list[Problem]:
    """The ``reduce`` rows among ``rows`` that the arms' active courses of a blinded
    period take differently (code ``blinded-levels-differ``): courses a blinded output
    shows as one (:func:`_slots`) of which one gives the level and another stops the drug
    or refuses the level (or the percentage given with it): a blinded output of any arm
    would tell the arm, so it is refused on every arm, whatever the row's date and the
    arm (docs/record.md, "Dose changes")."""
    problems: list[Problem] = []
    for row in rows:
        if row.event.value != "reduce" or row.level is None or row.drug is None:
            continue  # a percentage alone is of the level-0 dose of every course alike
        for period in regimen.periods:
            if not period.blinded:
                continue
            slot = next((s for s in _slots(period, row.drug, regimen)
                         if len({_answer(c, row) for c in s}) > 1), None)
            if slot is None:
                continue
            told = "; ".join(
                f"{_course_name(regimen, c, period=False)} ({_arms_text(c)}) "
                f"{_answer_text(c, row)}"
                for c in slot)
            problems.append(_problem(
                row, "level", f"the arms' courses of {row.drug} in blinded period "
                f"{period.id} take {level_text(row)} differently ({told}): any blinded "
                "output would tell the arm, so the row is refused on every arm; replay it "
                "unblinded (--unblinded, or --format table, json or csv) to follow each "
                "arm's own levels", level_text(row), code="blinded-levels-differ"))
            break
    return problems


def _arms_text(course: Course) -> str:
    if course.arms is None:
        return "every arm"
    return ("arm " if len(course.arms) == 1 else "arms ") + ", ".join(course.arms)


def undeclared_problems(regimen: Regimen, row: RecordRow, courses: list[Course]) -> list[Problem]:
    """A level some course of the drug declares, between two levels of another course that
    does not: refused, naming that course (it has no dose at that level, and the level is
    not below its lowest: no stop either)."""
    if row.level is None:
        return []
    for course in courses:
        if reaction(course, row.level) == "undeclared":
            listed = ", ".join(str(x) for x in reversed(_declared(course)))
            return [_problem(row, "level", f"dose level {row.level} is not declared for "
                             f"{row.drug} by {_course_name(regimen, course)} (declared: "
                             f"{listed}); undeclared levels are refused",
                             row.level, code="undeclared-level")]
    return []


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


#: What a move or a delay row names by its cycle, as the message for a drug without cycles
#: says it, and what the drug is not, ahead of time.
_CYCLE_NAMES = {"move": ("one administration by its cycle and day", "moved"),
                "delay": ("the cycle it delays", "delayed")}


def without_cycles(event: str, drug: str | None, names: Mapping[str, str]) -> str | None:
    """What a row of ``event`` naming a cycle (or a cycle day) of ``drug`` (None: a delay of
    every course), whose courses have no cycles, is told to write instead: advice that row
    kind can follow (docs/record.md, "Events"). A move or a delay cannot name a dose of a
    course without cycles (by its cycle, nor by its date): it is recorded when it happens;
    a given or missed row names it by its date, a reduction takes effect from its date.
    None for a row that takes no cycle. ``names``: each drug's name by its id."""
    if event in _CYCLE_NAMES:
        what = "no course has cycles" if drug is None else f"{names.get(drug, drug)} has no cycles"
        named, done = _CYCLE_NAMES[event]
        return (f"{what}, and a {event} row names {named}: a dose of a course "
                f"without cycles is not {done} ahead of time; record it when it happens: a "
                "given row dated the day it was given, with the date it was planned on in "
                "the planned column, or a missed row dated the day it was planned")
    if drug is None:
        return None
    if event == "given":
        return (f"{drug} has no cycles: name the administration by its date instead (a dose "
                "given on another day: by the date it was planned on, in the planned column)")
    if event == "missed":
        return (f"{drug} has no cycles: name the administration by its date instead (a missed "
                "row dated the day the dose was planned, its cycle and day empty)")
    if event == "reduce":
        return (f"{drug} has no cycles: a reduction of it takes effect from the row's date "
                "(its cycle empty)")
    return None


def _cycle_problems(row: RecordRow, courses: list[Course],
                    names: Mapping[str, str]) -> list[Problem]:
    assert row.cycle is not None
    cycled = [c for c in courses if c.cycle is not None]
    what = row.drug
    if not cycled:
        advice = without_cycles(row.event.value, row.drug, names)
        return [_problem(row, "cycle", advice or f"{what} has no cycles", row.cycle,
                         code="unknown-cycle")]
    having = [c for c in cycled if _has_cycle(c, row.cycle)]
    if not having:
        return [_problem(row, "cycle", (f"{what} has no cycle {row.cycle}" if what is not None
                                        else f"no course has cycle {row.cycle}")
                         + f" (cycles {_cycles_text(cycled)})", row.cycle,
                         code="unknown-cycle")]
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
    return [_problem(row, "day", (f"cycle {row.cycle} of {what} has no administration on day "
                                  f"{row.day}" if what is not None else
                                  f"no course has an administration on day {row.day} of "
                                  f"cycle {row.cycle}") + listed, row.day,
                     code="unknown-cycle-day")]


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
