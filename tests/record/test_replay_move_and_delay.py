"""A move and a delay that place the same administration differently contradict each other:
a named protocol deviation at the move row, whichever row comes first in the file, never
silent (docs/record.md, "Replay").

Hand-worked: gemcitabine days 1 and 8 of four 21-day cycles from Monday 2027-01-04: cycle
2 day 1 on Mon 01-25, day 8 on Mon 02-01. A whole-cycle delay of cycle 2 to Mon 02-01 (7
days) puts day 1 on 02-01 and day 8 on 02-08.
"""

from __future__ import annotations

import pytest

import regimens
from regimens import read_record

REGIMEN = """\
format: regimens/1
id: g
title: Gem
drugs:
  gem: {name: gemcitabine, route: intravenous}
arms:
  a: {label: A}
periods:
  - id: t
    length: 12 weeks
    courses:
      - {drug: gem, dose: 1000 mg, cycle: 21 days, cycles: 4, days: [1, 8]}
"""
HEADER = "date,event,drug,cycle,day,amount,level,reason\n"
MOVE_D1 = "2027-01-27,move,gem,2,1,,,a\n"
DELAY_C2 = "2027-02-01,delay,gem,2,,,,b\n"
DATES = "the two rows contradict each other; the move's date is kept (void the row that is wrong)"


def expand(rows: str) -> regimens.Schedule:
    return regimens.loads(REGIMEN, "g.yaml").expand(
        "a", "2027-01-04", record=read_record(HEADER + rows, name="P.csv"))


def cycle2(s: regimens.Schedule) -> list[str]:
    """Cycle 2's dates, day 1 then day 8."""
    return [a.date.isoformat() for a in sorted(
        (a for a in s.administrations if a.cycle == 2), key=lambda a: a.cycle_day or 0)]


@pytest.mark.parametrize(("rows", "move_line", "delay_line"), [
    (MOVE_D1 + DELAY_C2, 2, 3),  # the move written first
    (DELAY_C2 + MOVE_D1, 3, 2),  # the delay written first
])
def test_a_move_of_the_day_a_delay_dates_is_a_deviation(rows: str, move_line: int,
                                                        delay_line: int) -> None:
    s = expand(rows)
    # Day 1 where the move puts it (01-27); day 8 where the delay puts it (02-08).
    assert cycle2(s) == ["2027-01-27", "2027-02-08"]
    assert s.replayed is not None
    assert s.replayed.deviations == (
        f"line {move_line}: gemcitabine cycle 2 day 1 moved to Wed 2027-01-27, but the delay "
        f"of line {delay_line} dates it Mon 2027-02-01: {DATES}",)


def test_a_move_of_a_delayed_dose_before_the_delayed_start_is_a_deviation() -> None:
    # Day 8, delayed to 02-08, moved to Sat 01-30: before the 02-01 the delay starts cycle 2.
    s = expand(DELAY_C2 + "2027-01-30,move,gem,2,8,,,c\n")
    assert cycle2(s) == ["2027-02-01", "2027-01-30"]
    assert s.replayed is not None
    assert (f"line 3: gemcitabine cycle 2 day 8 moved to Sat 2027-01-30, but before Mon "
            f"2027-02-01, the day the delay of line 2 starts cycle 2: {DATES}"
            in s.replayed.deviations)


def test_a_move_after_the_delayed_start_is_no_contradiction() -> None:
    # Day 8, delayed to 02-08, moved to Wed 02-10: the delay's start stands.
    s = expand(DELAY_C2 + "2027-02-10,move,gem,2,8,,,c\n")
    assert cycle2(s) == ["2027-02-01", "2027-02-10"]
    assert s.replayed is not None
    assert s.replayed.deviations == ()
