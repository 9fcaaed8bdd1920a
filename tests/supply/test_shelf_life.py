"""Shelf life and do-not-dispense: weekly (or monthly) just-in-time shipments mean no unit
is ever needed past its do-not-dispense date exactly when the plan's check lets it through.

A period's stock ships ``lead_time + buffer`` days before the period's first day (taken as
its release at the depot) and is dispensed on the period's days only (the next period has
its own shipment), the last ``lead_time + buffer + length - 1`` days after release; it may
not be dispensed from ``shelf_life - do_not_dispense`` days after release on. Boundary by
hand: lead 2 weeks + buffer 2 weeks + a week = 35 days.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from regimens import InvalidRegimenError
from regimens.supply import loads_plan

PLAN = """\
plan: regimens-supply/1
participants:
  - {{id: P-001, site: paris, arm: il2, start: 2027-01-04}}
{period}drugs:
  il2: {{vials: [1 MIU], shelf_life: {shelf}, do_not_dispense: 1 day, lead_time: {lead},
        buffer: {buffer}}}
"""


def _plan(shelf: str, lead: str = "2 weeks", buffer: str = "2 weeks",
          period: str = "") -> str:
    return PLAN.format(shelf=shelf, lead=lead, buffer=buffer, period=period)


@pytest.mark.parametrize(("period", "lead", "buffer", "enough", "what", "needed"), [
    # 14 + 14 + 7 = 35 days after do_not_dispense's 1: 36 days is just enough.
    ("", "2 weeks", "2 weeks", 36, "one week", 35),
    # Monthly: a shipment is dispensed up to the month's last day, 31 days at most:
    # 7 + 7 + 31 = 45, so 46 days with do_not_dispense's 1.
    ("period: month\n", "1 week", "1 week", 46, "one month (31 days at most)", 45),
    ("", "0 days", "0 days", 8, "one week", 7),
])
def test_just_enough_passes_and_one_day_less_is_refused(
        period: str, lead: str, buffer: str, enough: int, what: str, needed: int) -> None:
    loads_plan(_plan(f"{enough} days", lead, buffer, period), "p.yaml")
    with pytest.raises(InvalidRegimenError) as caught:
        loads_plan(_plan(f"{enough - 1} days", lead, buffer, period), "p.yaml")
    line = 5 if period else 4
    assert str(caught.value) == (
        f"p.yaml:{line + 1}: drugs.il2.shelf_life: stock would expire before it is used: "
        f"the shelf life less do_not_dispense ({enough - 2} days) must cover lead_time + "
        f"buffer + {what} ({needed} days) (got '{enough - 1} days')")


def test_every_shipment_is_dispensable_through_its_week() -> None:
    pytest.importorskip("numpy")
    pytest.importorskip("pyarrow")
    from regimens.supply import simulate

    plan = loads_plan(_plan("36 days"), "p.yaml")
    shipments = simulate("mirocals", plan).shipments.to_pylist()
    assert shipments  # il2 on days 1-5 of each cycle: some weeks ship vials
    for row in shipments:
        # Released (shipped) on ship_by; not dispensable from 36 - 1 = 35 days later on.
        stop = row["ship_by"] + timedelta(days=35)
        last_day = row["week"] + timedelta(days=6)
        assert row["ship_by"] == row["week"] - timedelta(days=28)
        # The last day it may be needed is the last day it may be dispensed: just enough.
        assert stop - last_day == timedelta(days=1)
