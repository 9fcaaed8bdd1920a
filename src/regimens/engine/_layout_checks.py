"""What a laid-out schedule must hold before it is given: every course and every step
reaches the participant, and no drug falls on a day a course excludes it from."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..errors import InvalidRegimenError, Problem
from ..model import Course, Regimen
from ..quantities import human_dose_quantity
from ._administration import Administration
from ._timeline import Timeline

if TYPE_CHECKING:
    from collections.abc import Sequence


_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                  "Sunday")


def _check_received(course: Course, drug_name: str, kept: Sequence[object],
                    made: Sequence[object], start: date, length: int | None) -> None:
    """A course gives the participant at least one administration.

    A course that none reaches (every day skipped by ``not_on``, or its only cycle cut
    short before its first day) would leave a drug of the protocol out without a word.
    Refused, like a step that no administration receives. ``length``: the days of the
    period at the length chosen (for the message), or None after ``not_on``.
    """
    if kept or (not made and course.date_dependent):
        # A weekday course may miss a short span for some starts only: that depends on
        # the participant, not on the protocol's text, and is left to the schedule.
        return
    if made:
        why = (f"not_on ({', '.join(course.not_on)}) skips every day it falls on; change "
               "the course's days or its not_on")
    else:
        why = ("none of its days falls within its span"
               + (f" (the period has {length} day{'s' if length != 1 else ''})"
                  if length is not None else "")
               + "; change the course's days, cycle or start, or the period's length")
    what = ("placebo" if course.placebo else
            human_dose_quantity(course.dose.quantity) if course.dose is not None else "")
    raise course.problem(
        f"no administration receives this course{f' ({what})' if what else ''}, so the "
        f"participant would never be given {drug_name}: {why}",
        code="course-without-administrations")


def _check_steps(course: Course, kept: set[int | None], made: Sequence[object],
                 start: date) -> None:
    """Every step of a course reaches the participant.

    A step that no administration receives (every day of it skipped by ``not_on``, or
    none of its days in this participant's schedule) would silently start the
    participant on the next step's dose: an escalation or a loading dose skipped.
    Refused, like steps by administrations that do not cover the course.
    """
    if not course.steps:
        return
    for index, step in enumerate(course.steps):
        if index in kept:
            continue
        if course.not_on and any(getattr(a, "step", None) == index for a in made):
            why = (f"not_on ({', '.join(course.not_on)}) skips every day it falls on; "
                   "change the step's days or cycles, or the course's not_on")
        elif course.in_months:
            why = (f"with Study Day 1 on {start.isoformat()}, none of its days falls within "
                   "the course, whose cycles in calendar months are 28 to 31 days long; "
                   "change the step's cycles or the course's length, or give 'cycles'")
        elif course.date_dependent:
            why = (f"with Study Day 1 on a {_WEEKDAY_NAMES[start.weekday()]}, none of its "
                   "days falls on the course's weekdays; change the step's cycles, the cycle "
                   "length or the weekdays")
        else:  # not reached today (the format and the model check first): be safe anyway
            why = "none of its days falls within the course; change the step's days or cycles"
        file, line, loc = course.where
        reached = ("the participant would start on the next step's dose" if index == 0 else
                   "the participant would go on to the next step's dose"
                   if index + 1 < len(course.steps) else
                   "the course would end before it")
        raise InvalidRegimenError([Problem(
            file, line, (*loc, "steps", index),
            f"no administration receives this step ({human_dose_quantity(step.dose.quantity)}), "
            f"so {reached}: {why}", code="step-without-administrations")])


def _check_no_same_day(regimen: Regimen, line: Timeline, rows: list[Administration]) -> None:
    """A drug that must not be given on a course's days may not be scheduled on them."""
    restricted = {(p.id, i): c for p, _, _ in line.periods for i, c in enumerate(p.courses)
                  if c.no_same_day}
    if not restricted:
        return
    by_date: dict[date, list[Administration]] = {}
    for a in rows:
        by_date.setdefault(a.date, []).append(a)
    for a in rows:
        course = restricted.get((a.period, a.course))
        if course is None:
            continue
        clash = next((b for b in by_date[a.date] if b.drug in course.no_same_day), None)
        if clash is not None:
            raise course.problem(f"{clash.drug_name} is scheduled on Study Day "
                           f"{a.study_day.value}, a {a.drug_name} day, which excludes it "
                           f"(no_same_day); give its course 'not_on: [{course.drug}]'",
                           code="same-day-clash")
