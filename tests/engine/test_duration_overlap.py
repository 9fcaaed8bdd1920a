"""An administration that lasts longer than the gap to the next one of its course is refused.

Gaps are hand-computed from the written days and times (issue 12: an infusion longer than
the interval would run two at once). A duration equal to the gap is a continuous infusion.
"""

from __future__ import annotations

import dataclasses

import pytest

import regimens
from support import load

PERIOD = """\
periods:
  - id: t
    length: {length}
    courses:
      - {{drug: treg, dose: 1 mg, {timing}, duration: {duration}}}
"""

# (timing, period length, duration, the shortest gap in hours by hand, or None: allowed)
CASES = [
    ("days: [1, 15], cycle: 4 weeks", "8 weeks", "14 days", None),  # 336 h = gap: continuous
    ("days: [1, 15], cycle: 4 weeks", "8 weeks", "337 hours", 336),
    ("days: [1, 28], cycle: 4 weeks", "8 weeks", "25 hours", 24),  # day 28 to day 29
    ("days: [1, 28], cycle: 4 weeks", "4 weeks", "25 hours", None),  # one cycle: no day 29
    ("days: [1, 28], cycle: 4 weeks", "4-8 weeks", "25 hours", 24),  # the longest length
    ("daily: true", "1 week", "24 hours", None),
    ("daily: true", "1 week", "1441 minutes", 24),
    ("every: 3 days", "3 weeks", "72 hours", None),
    ("every: 3 days", "3 weeks", "73 hours", 72),
    ("daily: true, times: ['08:00', '14:00']", "1 week", "7 hours", 6),  # 08:00 to 14:00
    ("daily: true, times: ['08:00', '14:00']", "1 week", "6 hours", None),
    ("weekdays: [mon, fri]", "2 weeks", "72 hours", None),  # fri to mon: 3 days
    ("weekdays: [mon, fri]", "2 weeks", "73 hours", 72),
    ("every: 6 hours, at: '00:00'", "2 days", "6 hours", None),
    ("every: 6 hours, at: '00:00'", "2 days", "361 minutes", 6),
    ("days: [-1, 1], cycle: 2 weeks", "4 weeks", "25 hours", 24),  # day -1 to day 1: no day 0
]


@pytest.mark.parametrize(("timing", "length", "duration", "gap"), CASES)
def test_overlap_against_hand_computed_gaps(timing: str, length: str, duration: str,
                                            gap: int | None) -> None:
    body = PERIOD.format(length=length, timing=timing, duration=duration)
    if gap is None:
        load(body)
        return
    with pytest.raises(regimens.InvalidRegimenError) as info:
        load(body)
    problem = info.value.problems[0]
    assert problem.code == "duration-overlaps-next"
    assert problem.file == "r.yaml"
    assert problem.line == 15
    assert problem.loc == ("periods", 0, "courses", 0, "duration")
    hours = "1 hour" if gap == 1 else f"{gap} hours"
    assert f"longer than the {hours} from one administration" in problem.message


def test_a_regimen_built_in_python_is_checked_by_the_model() -> None:
    regimen = load(PERIOD.format(length="4 weeks", timing="days: [1, 8], cycle: 2 weeks",
                                 duration="7 days"))
    period = regimen.periods[0]
    course = dataclasses.replace(period.courses[0],
                                 duration=regimens.Elapsed.parse("169 hours"))
    with pytest.raises(regimens.InvalidRegimenError) as info:
        dataclasses.replace(regimen, periods=(dataclasses.replace(period, courses=(course,)),))
    problem = info.value.problems[0]
    assert problem.code == "duration-overlaps-next"
    assert problem.loc == ("periods", 0, "courses", 0, "duration")
    assert "longer than the 168 hours from one administration" in problem.message
