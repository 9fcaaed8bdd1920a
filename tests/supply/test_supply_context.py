"""The supply forecast does not depend on the caller's decimal context.

As tests/test_decimal_context.py for schedules: a program may leave a context of 3
digits rounding down, or one that traps every inexact step; the plan's percentages,
the refusal's share and the forecast's amounts are the same as under Python's default
context, and nothing is computed in the caller's context (with every trap set, it
would raise). Expected values are computed by hand.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest

from regimens import ExpandOptionError
from regimens.supply import BodySizes, Moments, SizeDistribution, loads_plan
from support.supply import simulated_plan

ALL_SIGNALS = [decimal.Clamped, decimal.DivisionByZero, decimal.Inexact, decimal.Overflow,
               decimal.Rounded, decimal.Subnormal, decimal.Underflow, decimal.InvalidOperation,
               decimal.FloatOperation]

HOSTILE = {
    "prec 2, ROUND_DOWN, every trap": decimal.Context(prec=2, rounding=decimal.ROUND_DOWN,
                                                      traps=ALL_SIGNALS),
    "prec 2, ROUND_UP, no trap": decimal.Context(prec=2, rounding=decimal.ROUND_UP, traps=[]),
    "prec 3, ROUND_FLOOR, Emax 3": decimal.Context(prec=3, rounding=decimal.ROUND_FLOOR,
                                                   Emax=3, Emin=-3, traps=[]),
}

PLAN = simulated_plan(
    {"il2": 1, "placebo": 1}, ["{id: paris, opens: 2027-01-04, rate: 2/week}"],
    "overage: 12.345%", "service_level: 97.125%",
    sample_size=4, screen_failure="12.345%", dropout="0.12345%/week")


@pytest.fixture(params=list(HOSTILE), ids=list(HOSTILE))
def hostile(request: pytest.FixtureRequest) -> Iterator[decimal.Context]:
    """The thread's global decimal context set to a hostile one for the test."""
    saved = decimal.getcontext()
    context = HOSTILE[request.param].copy()
    decimal.setcontext(context)
    try:
        yield context
    finally:
        decimal.setcontext(saved)


def _refusal(low: float, high: float) -> str:
    try:
        BodySizes(weight=SizeDistribution("normal", everyone=Moments(100, 10), low=low,
                                          high=high))
    except ExpandOptionError as exc:
        return exc.reason
    raise AssertionError("not refused")


def _plan() -> Any:
    return loads_plan(PLAN, "p.yaml")


# name -> (computation, the value computed by hand)
CASES: dict[str, tuple[Callable[[], Any], Any]] = {
    # N(100, 10) on 100-110 kg: Phi(1) - Phi(0) = 0.8413447 - 0.5 = 0.3413447: 34.1%
    # (34.0% was shown under 2 digits: 0.34 x 100).
    "share refused": (lambda: _refusal(100, 110).split(" of ")[0],
                      "the range 100-110 kg holds only 34.1%"),
    # 12.345% is 0.12345 exactly (0.12 or 0.13 in 2 digits).
    "overage": (lambda: _plan().overage, Decimal("0.12345")),
    "service level": (lambda: _plan().service_level, Decimal("0.97125")),
    "screen failure": (lambda: _plan().simulation.enrolment.screen_failure, 0.12345),
    # 0.12345%/week: 0.0012345 a week.
    "dropout": (lambda: _plan().simulation.treatment.dropout, 0.0012345),
}


@pytest.mark.parametrize("name", list(CASES))
def test_results_do_not_depend_on_the_callers_context(name: str,
                                                      hostile: decimal.Context) -> None:
    compute, expected = CASES[name]
    hostile.clear_flags()
    got = compute()
    assert not any(hostile.flags.values())
    with decimal.localcontext(decimal.Context()):  # Python's default context
        default = compute()
    assert got == expected
    assert default == expected


def test_forecast_amounts_do_not_depend_on_the_callers_context(
        hostile: decimal.Context) -> None:
    pytest.importorskip("numpy")
    pytest.importorskip("pyarrow")
    from regimens.supply import simulate

    plan = loads_plan("""\
plan: regimens-supply/1
participants:
  - {id: P-001, site: paris, arm: il2, start: 2027-01-04, weight: 70 kg}
drugs:
  il2: {vials: [1 MIU, 5 MIU]}
statistics: [p50]
""", "p.yaml")
    with decimal.localcontext(decimal.Context()):
        default = simulate("mirocals", plan, simulations=1, seed=1, unblinded=True)
    hostile.clear_flags()
    got = simulate("mirocals", plan, simulations=1, seed=1, unblinded=True)
    assert not any(hostile.flags.values())
    for a, b in ((got.summary, default.summary), (got.demand, default.demand),
                 (got.shipments, default.shipments)):
        assert a.equals(b)
    # MIROCALS's il2 arm from Day 1 (Monday 2027-01-04): 2 MIU a day on days 1-5 of each
    # 28-day cycle: 5 administrations, 10 MIU, each 2 MIU from 2 vials of 1 MIU (no waste).
    rows = {(row["drug"], row["placebo"], row["week"].isoformat()):
            (row["administrations"], row["amount"], row["unit"], row["vials"])
            for row in got.summary.to_pylist()}
    assert rows[("il2", False, "2027-01-04")] == (5, Decimal(10), "MIU", 10)
