"""Silent drops and resource limits (issue 10, sections 6 and 7).

- Every step of a course reaches the participant: a step that no administration receives
  (all its days skipped by ``not_on``, or none on the course's weekdays for this start) is
  refused by name, however it comes about. Every number below is worked out by hand.
- One expansion holds at most ``MAX_ADMINISTRATIONS`` administrations, counted before
  any is made; ``check`` holds one schedule at a time.
"""

from __future__ import annotations

import gc
import weakref
from datetime import date, timedelta
from typing import Any

import pytest

import regimens
import regimens.engine._arithmetic as arithmetic
import regimens.model._course_layout as model_module
from regimens import InvalidRegimenError
from regimens.model import (
    MAX_ADMINISTRATIONS,
)
from support import load

MONDAY = date(2027, 1, 4)


def _course(body: str, length: str = "21 days", before: str = "") -> str:
    """One period ``t`` holding the course ``before`` (if any) and the course ``body``."""
    lines = ["periods:", "  - id: t", f"    length: {length}", "    courses:"]
    if before:
        lines.append(f"      - {{{before}}}")
    lines.append(f"      - {{{body}}}")
    return "\n".join(lines) + "\n"


ESCALATION = ("steps: [{dose: 10 mg, cycles: 1}, {dose: 20 mg, cycles: 1}, "
              "{dose: 40 mg, cycles: 1}]")

#: (id, body, weekday of Study Day 1 (0 = Monday), outcome): either the refused step's
#: index and the words naming the cause, or every (Study Day, dose) of drug treg, by hand.
STEPS: list[tuple[str, str, int, tuple[int, str] | list[tuple[int, str]]]] = [
    # pred on days 1-3 is every dosing day of treg's first 7-day cycle (days 1, 2, 3).
    ("first-cycle-by-not-on",
     _course(f"drug: treg, cycle: 7 days, days: [1, 2, 3], not_on: [pred], {ESCALATION}",
             before="drug: pred, dose: 15 mg, days: 1-3"),
     0, (0, "not_on (pred) skips every day it falls on")),
    # pred on days 8-10: cycle 2 (days 8-14) doses on 8, 9, 10, all skipped.
    ("middle-cycle-by-not-on",
     _course(f"drug: treg, cycle: 7 days, days: 1-3, not_on: [pred], {ESCALATION}",
             before="drug: pred, dose: 15 mg, days: 8-10"),
     0, (1, "not_on (pred) skips")),
    # pred on days 15-17 takes the third cycle: the course would end before 40 mg.
    ("last-cycle-by-not-on",
     _course(f"drug: treg, cycle: 7 days, days: 1-3, not_on: [pred], {ESCALATION}",
             before="drug: pred, dose: 15 mg, days: 15-17"),
     0, (2, "not_on (pred) skips")),
    # Two drugs excluded: il2 on day 1, pred on days 2-3; together they take cycle 1.
    ("first-cycle-by-two-drugs",
     "periods:\n  - id: t\n    length: 21 days\n    courses:\n"
     "      - {drug: il2, dose: 1 MIU, days: 1}\n"
     "      - {drug: pred, dose: 15 mg, days: 2-3}\n"
     f"      - {{drug: treg, cycle: 7 days, days: 1-3, not_on: [il2, pred], {ESCALATION}}}\n",
     0, (0, "not_on (il2, pred) skips")),
    # A taper by days: 20 mg on days 1-4, 5 mg on days 5-7; pred on 5-7 takes the 5 mg step.
    ("taper-by-not-on",
     _course("drug: treg, not_on: [pred], steps: [{dose: 20 mg, days: 1-4}, "
             "{dose: 5 mg, days: 5-7}]", "1 week", before="drug: pred, dose: 1 mg, days: 5-7"),
     0, (1, "not_on (pred) skips")),
    # pred on days 1-2 only: day 3 of cycle 1 remains, so every step is given.
    ("first-cycle-partly-skipped",
     _course(f"drug: treg, cycle: 7 days, days: 1-3, not_on: [pred], {ESCALATION}",
             before="drug: pred, dose: 15 mg, days: 1-2"),
     0, [(3, "10 mg"), (8, "20 mg"), (9, "20 mg"), (10, "20 mg"), (15, "40 mg"),
         (16, "40 mg"), (17, "40 mg")]),
    # pred on day 4, not a treg day: nothing skipped.
    ("not-on-elsewhere",
     _course(f"drug: treg, cycle: 7 days, days: 1-3, not_on: [pred], {ESCALATION}",
             before="drug: pred, dose: 15 mg, days: 4"),
     0, [(1, "10 mg"), (2, "10 mg"), (3, "10 mg"), (8, "20 mg"), (9, "20 mg"), (10, "20 mg"),
         (15, "40 mg"), (16, "40 mg"), (17, "40 mg")]),
    # Mondays in 3-day cycles (days 1-3, 4-6, 7-9). Monday is day d with
    # (w + d - 1) % 7 == 0: w=0 -> days 1, 8 (cycles 1, 3): step 2 has none;
    # w=1 -> day 7 (cycle 3): step 1 has none; w=5 -> day 3 (cycle 1): step 2 has none.
    ("weekdays-monday-start",
     _course(f"drug: treg, cycle: 3 days, weekdays: [mon], {ESCALATION}", "9 days"),
     0, (1, "with Study Day 1 on a Monday, none of its days falls on the course's weekdays")),
    ("weekdays-tuesday-start",
     _course(f"drug: treg, cycle: 3 days, weekdays: [mon], {ESCALATION}", "9 days"),
     1, (0, "with Study Day 1 on a Tuesday")),
    ("weekdays-saturday-start",
     _course(f"drug: treg, cycle: 3 days, weekdays: [mon], {ESCALATION}", "9 days"),
     5, (1, "with Study Day 1 on a Saturday")),
    # 7-day cycles always hold one Monday: from Wednesday, days 6, 13, 20.
    ("weekdays-weekly-cycles",
     _course(f"drug: treg, cycle: 7 days, weekdays: [mon], {ESCALATION}"),
     2, [(6, "10 mg"), (13, "20 mg"), (20, "40 mg")]),
    # A variable period is laid out at its shortest (2 weeks): both 1-week steps are given.
    ("variable-period-shortest",
     _course("drug: treg, cycle: 1 week, days: 1, steps: [{dose: 10 mg, cycles: 1}, "
             "{dose: 20 mg, cycles: 1}]", "2-4 weeks"),
     0, [(1, "10 mg"), (8, "20 mg")]),
]


@pytest.mark.parametrize(("body", "weekday", "outcome"),
                         [pytest.param(*case[1:], id=case[0]) for case in STEPS])
def test_every_step_reaches_the_participant(
        body: str, weekday: int, outcome: tuple[int, str] | list[tuple[int, str]]) -> None:
    regimen = load(body)
    start = MONDAY + timedelta(days=weekday)
    if isinstance(outcome, list):
        schedule = regimen.expand("a", start)
        assert [(a.study_day.value, a.dose.text) for a in schedule.administrations
                if a.drug == "treg"] == outcome
        return
    index, cause = outcome
    with pytest.raises(InvalidRegimenError) as caught:
        regimen.expand("a", start)
    [problem] = caught.value.problems
    course = body.count("\n      - {") - 1  # drug treg is the last course
    assert problem.path == f"periods[0].courses[{course}].steps[{index}]"
    assert (problem.code, problem.loc) == ("step-without-administrations",
                                           ("periods", 0, "courses", course, "steps", index))
    assert problem.message.startswith("no administration receives this step")
    assert cause in problem.message


def test_check_refuses_a_step_no_administration_receives() -> None:
    # check lays the regimen out too: the same refusal, not a summary without the step.
    _, body, _, _ = STEPS[0]
    with pytest.raises(InvalidRegimenError, match=r"steps\[0\]: no administration receives"):
        load(body).check()


# The administration limit -----------------------------------------------------------

def test_the_limit_is_a_million() -> None:
    assert MAX_ADMINISTRATIONS == 1_000_000


def _times(count: int) -> str:
    return "[" + ", ".join(f"'{m // 60:02d}:{m % 60:02d}'" for m in range(count)) + "]"


#: (id, body, administrations by hand, or None when refused) with a limit of 12.
LIMITED: list[tuple[str, str, int | None]] = [
    ("at-the-limit", _course(f"drug: pred, dose: 1 mg, daily: true, times: {_times(3)}",
                             "4 days"), 12),                                   # 4 x 3
    ("one-past", _course(f"drug: pred, dose: 1 mg, daily: true, times: {_times(13)}",
                         "1 day"), None),                                      # 1 x 13
    ("across-courses", _course("drug: pred, dose: 1 mg, daily: true", "7 days",
                               before="drug: il2, dose: 1 MIU, days: 1-6"), None),  # 6 + 7
    ("across-courses-at-the-limit",
     _course("drug: pred, dose: 1 mg, daily: true", "6 days",
             before="drug: il2, dose: 1 MIU, days: 1-6"), 12),                 # 6 + 6
    # A course with not_on counts what it would give before the exclusion: 7 + 6.
    ("not-on-counted-before-exclusion",
     _course("drug: pred, dose: 1 mg, daily: true, not_on: [il2]", "7 days",
             before="drug: il2, dose: 1 MIU, days: 1-6"), None),
    # Courses of other arms do not count: arm a gets 7 + 5 (il2 on arm b: 6 more).
    ("other-arm-not-counted",
     "periods:\n  - id: t\n    length: 7 days\n    courses:\n"
     "      - {drug: il2, dose: 1 MIU, days: 1-6, arms: [b]}\n"
     "      - {drug: pred, dose: 1 mg, daily: true}\n"
     "      - {drug: treg, dose: 1 mg, days: 1-5}\n", 12),
    # Weekdays from Monday in 14 days, 3 times a day: Mon/Wed/Fri twice = 6 days x 3 = 18.
    ("weekdays", _course(f"drug: pred, dose: 1 mg, weekdays: [mon, wed, fri], times: "
                         f"{_times(3)}", "14 days"), None),
]


@pytest.mark.parametrize(("body", "count"),
                         [pytest.param(*case[1:], id=case[0]) for case in LIMITED])
def test_limit_per_expansion(body: str, count: int | None,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_module, "MAX_ADMINISTRATIONS", 12)
    regimen = load(body)
    if count is not None:
        assert len(regimen.expand("a", MONDAY).administrations) == count
        return
    with pytest.raises(InvalidRegimenError, match=r"administrations(, \d+ with the other "
                       r"courses)?: more than 12, the most one expansion may hold"):
        regimen.expand("a", MONDAY)
    with pytest.raises(InvalidRegimenError, match="the most one expansion may hold"):
        regimen.check()


def test_a_dose_every_minute_for_100_years_is_refused_before_it_is_made() -> None:
    # 36,525 days x 1,440 minutes = 52,596,000 administrations, in a file of 13 KB.
    regimen = load(_course(f"drug: pred, dose: 1 mg, daily: true, times: {_times(1440)}",
                           "36525 days"))
    # The shared head is 10 lines; the course is line 5 of the body.
    message = ("r.yaml:15: periods[0].courses[0]: the course gives 52,596,000 administrations:"
               " more than 1,000,000, the most one expansion may hold; check its times, "
               "pattern and length")
    for run in (lambda: regimen.expand("a", MONDAY), regimen.check):
        with pytest.raises(InvalidRegimenError) as caught:
            run()
        assert str(caught.value) == message
        assert caught.value.problems[0].code == "too-many-administrations"


def test_check_holds_one_schedule_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # A weekday course makes check evaluate 7 start weekdays (x 2 period lengths): each
    # schedule must be gone when the next is made, so memory is bounded by one schedule.
    regimen = load(_course("drug: pred, dose: 1 mg, weekdays: [mon, thu]", "2-3 weeks"))
    made: list[weakref.ref[Any]] = []
    real = arithmetic.expand

    def watched(*args: Any, **kwargs: Any) -> regimens.Schedule:
        gc.collect()
        assert all(ref() is None for ref in made), "an earlier schedule is still held"
        schedule = real(*args, **kwargs)
        made.append(weakref.ref(schedule))
        return schedule

    monkeypatch.setattr(arithmetic, "expand", watched)
    report = regimen.check()
    assert len(made) == 2 * 7 * len(regimen.arms)
    # Mondays and Thursdays in 14 days: 4 from any start; in 21 days: 6.
    assert {s.administrations for s in report.summaries} == {(4, 6)}
