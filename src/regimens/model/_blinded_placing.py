"""What places, moves or makes up a blinded drug's doses is the same on every arm.

In a blinded period the courses of one drug (the active ones and their placebo) may differ
in what is given (dose, steps, levels, ``placebo``, the re-dosing rule ``redose``, which
only changes an amount a blinded output hides) but not in what decides *when* a dose is
given once a participant's record is replayed or a site's calendar moves it: the record
policy keys ``missed``, ``on_delay`` and ``max_delay`` (a course's own, else the
regimen's, else the default), the cycles a record row names (``cycle``, ``first_cycle``)
and the drugs whose days the course skips (``not_on``). A difference would show in a
blinded output as soon as a record or a closed day touches the drug, and tell the arm.
(Route, ``no_same_day`` and the site rules ``clinic``/``window``/``min_interval`` have
their own rules in ``_references``; ``re_escalate`` is checked over every course of the
regimen, whatever the arm.)

:func:`blinded_placing_problems` is shared by :class:`Regimen` and the format layer, so a
file and a regimen built in Python get the same message.
"""

from __future__ import annotations

from collections.abc import Callable

from .._records import dataclass
from ..quantities import Months
from ._course import Course
from ._cycles import cycle_text, cycles_days
from ._parts import Period
from ._patterns import DaysPattern
from ._policy import Policy
from ._steps import CycleStep

__all__ = ["PLACING_FIELDS", "BlindedPlacing", "PlacingField", "blinded_placing_problems"]


@dataclass(frozen=True)
class BlindedPlacing:
    """One course of a blinded period that differs from another course of its drug.

    ``index``: the course's index in its period; ``field``: the field as a regimen file
    writes it (``missed``, ``cycle``); ``policy``: whether it is a record policy key
    (kept in :attr:`Course.policy`); ``message`` and ``code`` as reported.
    """

    index: int
    field: str
    policy: bool
    message: str
    code: str


def _policy_value(key: str) -> Callable[[Course, Policy], tuple[object, str]]:
    def value(course: Course, base: Policy) -> tuple[object, str]:
        own, regimen = getattr(course.policy, key), getattr(base, key)
        resolved = getattr(course.policy.over(base).resolved(), key)
        text = "no limit" if resolved is None else str(resolved)
        if own is None:
            text += " (the regimen's)" if regimen is not None else " (the default)"
        return resolved, text
    return value


def _cycle(course: Course, base: Policy) -> tuple[object, str]:
    del base
    if course.cycle is None:
        return None, "no cycle"
    return course.cycle, cycle_text(course.cycle)


def _first_cycle(course: Course, base: Policy) -> tuple[object, str]:
    del base
    return course.first_cycle, str(course.first_cycle)


def _not_on(course: Course, base: Policy) -> tuple[object, str]:
    del base
    drugs = sorted(set(course.not_on))
    return frozenset(drugs), ", ".join(drugs) if drugs else "none"


_POLICY_WHY = ("so that a record moves and makes up every arm's doses alike",
               "give every course of {drug} here the same {field} (on each course, or once "
               "at the top of the regimen)")
_CYCLE_WHY = ("so that a record's cycle and day name the same dose on every arm, and a "
              "delay moves the same cycles",
              "write every course of {drug} here in the same cycles (cycle, first_cycle, "
              "days within a cycle), the placebo too, not as a list of days")

@dataclass(frozen=True)
class PlacingField:
    """A field that places, moves or makes up a blinded drug's doses: ``name`` as a regimen
    file writes it, whether it is a record ``policy`` key, its ``value`` on a course (to
    compare, and as a message shows it), ``why`` it must agree, the ``fix`` (``{drug}``
    and ``{field}`` filled in) and the problem's ``code``."""

    name: str
    policy: bool
    value: Callable[[Course, Policy], tuple[object, str]]
    why: str
    fix: str
    code: str


#: Each field that places, moves or makes up a blinded drug's doses.
PLACING_FIELDS: tuple[PlacingField, ...] = (
    PlacingField("cycle", False, _cycle, *_CYCLE_WHY, code="blinded-cycles-differ"),
    PlacingField("first_cycle", False, _first_cycle, *_CYCLE_WHY,
                 code="blinded-cycles-differ"),
    PlacingField("missed", True, _policy_value("missed"), *_POLICY_WHY,
                 code="blinded-policy-differs"),
    PlacingField("on_delay", True, _policy_value("on_delay"), *_POLICY_WHY,
                 code="blinded-policy-differs"),
    PlacingField("max_delay", True, _policy_value("max_delay"), *_POLICY_WHY,
                 code="blinded-policy-differs"),
    PlacingField("not_on", False, _not_on,
                 "so that every arm's doses skip and move off the same days",
                 "give every course of {drug} here the same not_on list",
                 code="blinded-not-on-differs"),
)


def _arms_text(course: Course, every: tuple[str, ...]) -> str:
    arms = course.arms if course.arms is not None else every
    return ("every arm" if course.arms is None
            else f"arm{'s' if len(arms) > 1 else ''} {', '.join(arms)}")


def _days(course: Course) -> tuple[int, float]:
    """The first and last day of the period the course may give a dose on (the last:
    infinite when it runs to the end of the period)."""
    start = course.start
    if course.span is not None:
        return start, start + course.span.days - 1
    if course.cycle is not None:
        count = course.cycles
        if count is None and course.steps and all(
                isinstance(s, CycleStep) and s.cycles is not None for s in course.steps):
            count = sum(s.cycles or 0 for s in course.steps if isinstance(s, CycleStep))
        if count is not None:
            first = min([0, *(d - 1 for d in course.pattern.days)]) if isinstance(
                course.pattern, DaysPattern) else 0
            last = cycles_days(course.cycle, count) if isinstance(course.cycle, Months) else (
                count * course.cycle.days)
            return start + first, start + last - 1
        return start, float("inf")
    if isinstance(course.pattern, DaysPattern) and course.pattern.days:
        return (start + min(course.pattern.days) - 1, start + max(course.pattern.days) - 1)
    return start, float("inf")


def blinded_placing_problems(period: Period, base: Policy, arms: tuple[str, ...]
                             ) -> list[BlindedPlacing]:
    """Each course of blinded ``period`` whose placing fields (:data:`PLACING_FIELDS`)
    differ from those of another course of its drug given to none of its arms (the course
    that stands for it on another arm: a placebo, another dose) whose days overlap its
    own (two courses of one arm, one after the other, may differ): the first such field of
    each course. Courses that share an arm are not compared: a course for every arm is
    given alike, and a drug given on some arms only is another rule's. ``base``: the
    regimen's record policy; ``arms``: the arms that go through the period (what a course
    without ``arms`` is given to). Empty when the period is not blinded."""
    if not period.blinded:
        return []
    found: list[BlindedPlacing] = []
    courses = period.courses
    for index, course in enumerate(courses):
        mine = set(course.arms if course.arms is not None else arms)
        first, last = _days(course)
        others = [c for c in courses if c is not course and c.drug == course.drug
                  and not mine & set(c.arms if c.arms is not None else arms)
                  and _days(c)[0] <= last and first <= _days(c)[1]]
        for f in PLACING_FIELDS:
            here, here_text = f.value(course, base)
            other = next((c for c in others if f.value(c, base)[0] != here), None)
            if other is None:
                continue
            there_text = f.value(other, base)[1]
            found.append(BlindedPlacing(index, f.name, f.policy, (
                f"in blinded period {period.id!r} every course of {course.drug} has the same "
                f"{f.name}, {f.why}: this course ({_arms_text(course, arms)}) has {here_text}, "
                f"the course of {_arms_text(other, arms)} has {there_text}; "
                + f.fix.format(drug=course.drug, field=f.name)), f.code))
            break
    return found
