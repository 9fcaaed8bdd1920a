"""Invariants of replay (issue 13, "Correctness"), over generated regimens and records.

- an empty record gives the plan exactly;
- a delay of N days under ``on_delay: shift`` moves every later administration of that
  course by exactly N days, and nothing earlier nor any other course;
- under ``keep`` no other cycle moves, and every planned date stays the plan's;
- the cumulative dose given equals the sum of the ``given`` rows;
- no row is silently ignored: each one is an error or is named in the changes.
"""

from __future__ import annotations

import warnings
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import regimens
from regimens import AdministrationStatus as S
from regimens import EventKind, InvalidRegimenError, Record, RecordRow
from regimens.quantities import Amount, Months, unit
from regimens.record import replay
from support import load

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def plans(draw: Any, policy: str = "shift") -> regimens.Schedule:
    """A period with two cycled courses (il2 and pred) and its plan; cycles in days or in
    calendar months (1 or 2, days of the pattern within the shortest month)."""
    months = draw(st.sampled_from([None, 1, 2]))
    size = draw(st.integers(7, 35)) if months is None else 28 * months
    cycles = draw(st.integers(2, 6))
    days = sorted(draw(st.sets(st.integers(1, size), min_size=1, max_size=5)))
    other = draw(st.integers(1, size))
    # Four years (2027-2030, with the leap year 2028): month ends of 28 to 31 days.
    start = date(2027, 1, 1) + timedelta(days=draw(st.integers(0, 4 * 365)))
    cycle = f"{size} days" if months is None else f"{months} months"
    length = f"{size * cycles} days" if months is None else f"{months * cycles} months"
    regimen = load(f"""\
        periods:
          - id: p
            length: {length}
            courses:
              - {{drug: il2, dose: 2 MIU, days: {days}, cycle: {cycle},
                  cycles: {cycles}, on_delay: {policy}}}
              - {{drug: pred, dose: 10 mg, days: [{other}], cycle: {cycle},
                  cycles: {cycles}}}
        """)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return regimen.expand("a", start)


def record(*rows: RecordRow) -> Record:
    return Record("P.csv", tuple(rows))


@given(plans())
@SETTINGS
def test_an_empty_record_gives_the_plan(plan: regimens.Schedule) -> None:
    assert replay(plan, record()) == plan


def _cycle_start(plan: regimens.Schedule, cycle: int) -> date:
    """Day 1 of a cycle of the plan's il2 course, by the calendar: the same day of the
    month (clamped) for cycles in months, else cycle - 1 cycle lengths from the start."""
    size = plan.regimen.periods[0].courses[0].cycle
    assert size is not None
    if isinstance(size, Months):
        return size.after(plan.start, cycle - 1)
    return plan.start + timedelta(days=(cycle - 1) * size.days)


def _delay(draw: Any, plan: regimens.Schedule) -> tuple[int, int, RecordRow]:
    cycles = sorted({a.cycle for a in plan.administrations if a.cycle is not None})
    cycle = draw(st.sampled_from(cycles[1:] or cycles))
    n = draw(st.integers(1, 30))
    start = _cycle_start(plan, cycle)
    return cycle, n, RecordRow("P.csv", 2, start + timedelta(days=n), EventKind.DELAY,
                               drug="il2", cycle=cycle)


@given(st.data())
@SETTINGS
def test_shift_moves_every_later_administration_by_exactly_n(data: st.DataObject) -> None:
    plan = data.draw(plans("shift"))
    cycle, n, row = _delay(data.draw, plan)
    after = replay(plan, record(row))
    key = [(a.drug, a.cycle, a.cycle_day, a.time) for a in plan.administrations]
    moved = {(a.drug, a.cycle, a.cycle_day, a.time): a for a in after.administrations}
    assert sorted(moved) == sorted(key)  # the same administrations
    for a in plan.administrations:
        b = moved[(a.drug, a.cycle, a.cycle_day, a.time)]
        assert a.cycle is not None
        expected = n if a.drug == "il2" and a.cycle >= cycle else 0
        assert (b.date - a.date).days == expected
        assert b.status is S.PLANNED


@given(st.data())
@SETTINGS
def test_keep_moves_no_other_cycle_and_no_planned_date(data: st.DataObject) -> None:
    plan = data.draw(plans("keep"))
    cycle, n, row = _delay(data.draw, plan)
    after = replay(plan, record(row))
    moved = {(a.drug, a.cycle, a.cycle_day, a.time): a for a in after.administrations}
    next_start = _cycle_start(plan, cycle + 1)
    for a in plan.administrations:
        b = moved[(a.drug, a.cycle, a.cycle_day, a.time)]
        assert (b.planned_date or b.date) == a.date  # the plan's date, always
        if a.drug != "il2" or a.cycle != cycle:
            assert b.date == a.date
            assert b.status is S.PLANNED
        else:
            assert (b.date - a.date).days == n
            # Run until the next cycle's nominal start, none made up after it.
            assert b.status is (S.CANCELLED if b.date >= next_start else S.PLANNED)


@given(st.data())
@SETTINGS
def test_cumulative_given_is_the_sum_of_the_given_rows(data: st.DataObject) -> None:
    plan = data.draw(plans())
    il2 = [a for a in plan.administrations if a.drug == "il2"]
    chosen = data.draw(st.sets(st.integers(0, len(il2) - 1), min_size=1))
    rows = []
    expected = Decimal(0)
    for line, index in enumerate(sorted(chosen), start=2):
        a = il2[index]
        tenths = data.draw(st.one_of(st.none(), st.integers(1, 40)))
        amount = None if tenths is None else Amount(Decimal(tenths) / 10, unit("MIU"))
        expected += Decimal(2) if amount is None else amount.magnitude
        rows.append(RecordRow("P.csv", line, a.date, EventKind.GIVEN, drug="il2",
                              amount=amount))
    after = replay(plan, record(*rows))
    given_total = sum((a.dose.amount.magnitude for a in after.administrations
                       if a.status is S.GIVEN and a.dose.amount is not None), Decimal(0))
    assert given_total == expected
    assert sum(a.status is S.GIVEN for a in after.administrations) == len(rows)


_EVENTS = [EventKind.GIVEN, EventKind.MISSED, EventKind.DELAY, EventKind.MOVE, EventKind.HOLD,
           EventKind.RESUME, EventKind.STOP]


@st.composite
def rows(draw: Any, plan: regimens.Schedule) -> list[RecordRow]:
    out = []
    first = plan.administrations[0].date
    for line in range(2, 2 + draw(st.integers(1, 6))):
        event = draw(st.sampled_from(_EVENTS))
        when = first + timedelta(days=draw(st.integers(-3, 200)))
        drug = draw(st.sampled_from(["il2", "pred"]))
        fields: dict[str, Any] = {"drug": drug}
        if event in (EventKind.DELAY, EventKind.MOVE) or (
                event in (EventKind.GIVEN, EventKind.MISSED) and draw(st.booleans())):
            fields["cycle"] = draw(st.integers(1, 7))
            fields["day"] = draw(st.integers(1, 36))
            if event is EventKind.DELAY and draw(st.booleans()):
                del fields["day"]
        if event is EventKind.GIVEN and draw(st.booleans()):
            fields["amount"] = Amount(Decimal(draw(st.integers(1, 9))),
                                      unit("MIU" if drug == "il2" else "mg"))
        if event in (EventKind.HOLD, EventKind.RESUME, EventKind.STOP) and draw(st.booleans()):
            del fields["drug"]
        out.append(RecordRow("P.csv", line, when, event, **fields))
    return out


@given(st.data())
@SETTINGS
def test_no_row_is_silently_ignored(data: st.DataObject) -> None:
    plan = data.draw(plans())
    made = data.draw(rows(plan))
    try:
        after = replay(plan, record(*made))
    except InvalidRegimenError as exc:
        problems = exc.problems
    else:
        problems = ()
    # An error names the file and the line of a row of the record.
    assert all(p.file == "P.csv" and p.line in {r.line for r in made} for p in problems)
    if problems:
        return
    assert after.replayed is not None
    said = " ".join(after.replayed.changes)
    for row in made:
        assert f"(line {row.line})" in said
