"""Exactness that does not depend on the caller's decimal context.

A program may set ``decimal.getcontext().prec = 3`` or ``rounding = ROUND_DOWN``
for its own purposes; regimens' arithmetic runs in its own local context
(regimens.quantities.EXACT), so every dose, body size, total and text is the
same as under Python's default context. Expected values are computed by hand.
"""

from __future__ import annotations

import decimal
import json
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import regimens
from regimens import Participant
from regimens.cli import parse_stamp
from regimens.engine import dose_amount
from regimens.model import Dose, Rounding
from regimens.quantities import BSAFormula, bsa, parse_amount, parse_dose_quantity, unit
from support import ROOT, load

ALL_SIGNALS = [decimal.Clamped, decimal.DivisionByZero, decimal.Inexact, decimal.Overflow,
               decimal.Rounded, decimal.Subnormal, decimal.Underflow, decimal.InvalidOperation,
               decimal.FloatOperation]

#: Contexts a caller might leave behind: too few digits, rounding toward zero or away
#: from it, a trap on every inexact step (any arithmetic outside regimens' own
#: context raises), or no traps at all (an invalid operation would give NaN silently).
HOSTILE = {
    "prec 3, ROUND_DOWN, every trap": decimal.Context(prec=3, rounding=decimal.ROUND_DOWN,
                                                      traps=ALL_SIGNALS),
    "prec 3, ROUND_UP, no trap": decimal.Context(prec=3, rounding=decimal.ROUND_UP, traps=[]),
    "prec 5, ROUND_FLOOR, Emax 3": decimal.Context(prec=5, rounding=decimal.ROUND_FLOOR,
                                                   Emax=3, Emin=-3, traps=[]),
}

PER_KG = """\
periods:
  - id: t
    length: 3 days
    courses:
      - {drug: pred, dose: 1.25 mg/kg, days: 1-3}
      - {drug: il2, dose: 0.75 mg/kg, round: 5 mg, max: 60 mg, days: [1]}
      - {drug: treg, dose: 1.5 g, days: [2]}
"""
PER_M2 = """\
periods:
  - id: t
    length: 1 week
    courses:
      - {drug: pred, dose: 375 mg/m2, days: [1]}
"""


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


def _schedule(body: str, **measures: str) -> regimens.Schedule:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load(body).expand("a", "2027-01-04", Participant(**measures))


def _amounts(s: regimens.Schedule) -> list[str]:
    return [a["amount"] for a in json.loads(s.to_json())["administrations"]]


def _bmi_warning() -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = load(PER_KG).expand("a", "2027-01-04", Participant(weight="30 kg", height="200 cm"))
    return " ".join(str(w) for w in s.warnings)


# name -> (computation, the value computed by hand)
CASES: dict[str, tuple[Callable[[], Any], Any]] = {
    # 1.25 mg/kg x 72.45 kg = 90.5625 mg; 0.75 mg/kg x 72.45 kg = 54.3375 mg -> 55 mg.
    "per-kg amounts": (lambda: _amounts(_schedule(PER_KG, weight="72.45 kg")),
                       ["90.5625", "55", "90.5625", "1.5", "90.5625"]),
    "weight kept": (lambda: Participant(weight="72.45 kg").weight_kg, Decimal("72.45")),
    # 154 x 0.45359237 kg
    "pounds": (lambda: Participant(weight="154 lb").weight_kg, Decimal("69.85322498")),
    "derivation": (lambda: _schedule(PER_KG, weight="72.45 kg").administrations[0].dose
                   .derivation, "1.25 mg per kg × 72.45 kg = 90.5625 mg"),
    "derivation from pounds": (
        lambda: _schedule(PER_KG, weight="154 lb").administrations[0].dose.derivation,
        "1.25 mg per kg × 69.85322498 kg (from 154 lb) = 87.316531225 mg"),
    # Mosteller: sqrt(170 x 75 / 3600) = 1.8819... -> 1.88 m2; 375 x 1.88 = 705.
    "per-m2 amount": (lambda: _amounts(_schedule(PER_M2, height="170 cm", weight="75 kg")),
                      ["705"]),
    "per-m2 given BSA": (lambda: _amounts(_schedule(PER_M2, bsa="1.234 m2")), ["462.75"]),
    "bsa digits": (lambda: str(bsa(Decimal(170), Decimal(75), BSAFormula.MOSTELLER))[:12],
                   "1.8819316317"),
    # 0.0003207 x 170^0.3 x 75000^(0.7285 - 0.0188 log10 75000), in floats: 1.90507
    "boyd": (lambda: round(float(bsa(Decimal(170), Decimal(75), BSAFormula.BOYD)), 5),
             1.90507),
    "unit conversion": (lambda: str(parse_amount("1.5 g").to(unit("mg"))), "1500 mg"),
    "million units": (lambda: regimens.quantities.human_amount(
        parse_amount("2.125 MIU")), "2.125 million units"),
    "large dose": (lambda: str(parse_dose_quantity("123456789.123 mg")), "123456789.123 mg"),
    "table text": (lambda: "72.45 kg" in _schedule(PER_KG, weight="72.45 kg").to_table()
                   and "90.5625 mg" in _schedule(PER_KG, weight="72.45 kg").to_table(), True),
    "csv text": (lambda: "90.5625" in _schedule(PER_KG, weight="72.45 kg").to_csv(), True),
    "json weight": (lambda: json.loads(_schedule(PER_KG, weight="72.45 kg").to_json())
                    ["participant"]["weight_kg"], "72.45"),
    # 3 x 1.25 mg/kg = 3.75 mg/kg over 3 days: 3.75 x 7 / 3 = 8.75 mg/kg per week.
    "check totals": (lambda: [(d["drug"], d["totals"][0]["amount"],
                               d["intensity_per_week"][0]["amount"])
                              for d in json.loads(load(PER_KG).check().to_json())["summaries"]
                              ][:2], [("pred", "3.75", "8.75"), ("il2", "0.75", "1.75")]),
    # 30 kg / (2 m)^2 = 7.5
    "bmi warning": (lambda: "body-mass index of 7.5 kg/m²," in _bmi_warning(), True),
    "doubtful dose": (lambda: dose_amount(
        Dose(parse_dose_quantity("0.01 MIU/kg"), round=parse_amount("0.1 MIU"),
             rounding=Rounding.DOWN), Decimal("72.45")), Decimal("0.7")),
}


@pytest.mark.parametrize("name", list(CASES))
def test_results_do_not_depend_on_the_callers_context(name: str,
                                                      hostile: decimal.Context) -> None:
    compute, expected = CASES[name]
    hostile.clear_flags()
    got = compute()
    # Nothing was done in the caller's context: with every trap set, it would have raised.
    assert not any(hostile.flags.values())
    with decimal.localcontext(decimal.Context()):  # Python's default context
        default = compute()
    assert got == expected
    assert default == expected


def test_check_report_is_the_same_text(hostile: decimal.Context) -> None:
    with decimal.localcontext(decimal.Context()):
        default = load(PER_KG).check().to_text()
    assert load(PER_KG).check().to_text() == default


def test_calendar_is_the_same(hostile: decimal.Context) -> None:
    stamp = parse_stamp("2027-01-01T09:00:00Z")
    s = _schedule(PER_KG, weight="72.45 kg")
    with decimal.localcontext(decimal.Context()):
        default = s.to_ics(stamp=stamp)
    assert s.to_ics(stamp=stamp) == default
    assert b"90.5625 mg" in default


@settings(max_examples=60, deadline=None)
@given(weight=st.integers(50, 40_000), per_kg=st.integers(1, 100_000),
       context=st.sampled_from(list(HOSTILE)))
def test_per_kg_dose_is_the_exact_product(weight: int, per_kg: int, context: str) -> None:
    """weight (hundredths of a kg) x dose (thousandths of a mg per kg), exactly."""
    weight_kg = Fraction(weight, 100)
    dose = Fraction(per_kg, 1000)
    participant_text = f"{float(weight_kg):.2f} kg"
    dose_text = f"{float(dose):.3f} mg/kg"
    with decimal.localcontext(HOSTILE[context].copy()):
        p = Participant(weight=participant_text)
        assert p.weight_kg is not None
        got = dose_amount(Dose(parse_dose_quantity(dose_text)), p.weight_kg)
    assert Fraction(str(got)) == weight_kg * dose


def test_context_set_before_import() -> None:
    """A program that sets its context before importing regimens gets the same results."""
    script = (
        "import decimal\n"
        "c = decimal.getcontext(); c.prec = 3; c.rounding = decimal.ROUND_DOWN\n"
        "c.traps[decimal.Inexact] = True\n"
        "import regimens, warnings\n"
        "from regimens import Participant\n"
        "print(Participant(weight='154 lb').weight_kg)\n"
        "r = regimens.load('mirocals')\n"
        "s = r.expand('il2', '2027-01-04')\n"
        "print([a.dose.text for a in s.administrations if a.drug == 'il2'][0])\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.split("\n")
    assert out[:2] == ["69.85322498", "2 million units"]


AGE_BANDS = """\
format: regimens/1
id: band
title: Banded
drugs:
  d: {name: drugd, route: oral}
arms:
  a: {label: A}
periods:
  - id: t
    length: 1 week
    courses:
      - drug: d
        days: [1]
        dose:
          by: age
          bands:
            - {below: 150 years, dose: 10 mg}
            - {dose: 20 mg}
"""


@pytest.mark.parametrize("context", [
    decimal.Context(prec=2, rounding=decimal.ROUND_FLOOR, traps=[]),
    decimal.Context(prec=2, rounding=decimal.ROUND_FLOOR, traps=ALL_SIGNALS)],
    ids=["prec 2, no trap", "prec 2, every trap"])
def test_a_regimen_reads_the_same_in_any_context(context: decimal.Context) -> None:
    # 150 years is 1,800 months: with 2 digits the caller's context made it 1.8E+3, whose
    # "whole number of months" test (% 1) is an invalid operation: the regimen was refused
    # ("an age band edge is a number of years or months that is a whole number of months").
    with decimal.localcontext(context):
        regimen = regimens.loads(AGE_BANDS, "band.yaml")
        assert not any(context.flags.values())
    (course,) = regimen.periods[0].courses
    assert course.dose is not None
    assert course.dose.bands[0].below == Decimal(1800)
