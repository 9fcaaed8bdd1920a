"""A given row's amount is compared with the dose due on the day it was given (after the
record's reductions and new measurements), never with the protocol's dose before them: the
amount the record gives is what was given, a dose above the one due is an overdose, and a
partial dose names the dose it fell short of.

Doxorubicin 60 mg/m2 every 21 days for 170 cm and 70 kg: BSA (Mosteller) sqrt(170 x 70 /
3600) = 1.8181 -> 1.82 m2, 60 x 1.82 = 109.2 mg (no rounding rule); cycle 2 on 2027-01-25.
Reduced to 80% from 2027-01-20: 0.8 x 109.2 = 87.36 mg. Weight 62 kg measured 2027-01-20
(recomputed: no redose rule): sqrt(170 x 62 / 3600) = 1.7111 -> 1.71 m2, 60 x 1.71 =
102.6 mg.
"""

from __future__ import annotations

import warnings
from decimal import Decimal

import pytest

import regimens
from regimens import OverdoseWarning, Participant, read_record
from support.records import DOXDOC_PLAIN, RECORD_HEADER

REDUCE = "2027-01-20,reduce,dox,,,,80%,neutropenia\n"
MEASURE = "2027-01-20,measure,,,,62 kg,,\n"


def expand(rows: str) -> tuple[regimens.Schedule, list[str]]:
    regimen = regimens.loads(DOXDOC_PLAIN, "dox.yaml")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = regimen.expand("x", "2027-01-04", Participant(weight="70 kg", height="170 cm"),
                           record=read_record(RECORD_HEADER + rows, name="due.csv"))
    return s, [str(w.message) for w in caught if w.category is OverdoseWarning]


def cycle_2(s: regimens.Schedule) -> regimens.Administration:
    (a,) = [a for a in s.administrations if a.cycle == 2]
    return a


@pytest.mark.parametrize(("before", "amount", "due"), [
    (REDUCE, "109.2 mg", "87.36 mg"),   # the protocol's dose, the reduction forgotten
    (REDUCE, "100 mg", "87.36 mg"),
    (MEASURE, "109.2 mg", "102.6 mg"),  # the dose before the weight loss
])
def test_an_amount_above_the_dose_due_that_day_is_an_overdose(
        before: str, amount: str, due: str) -> None:
    s, caught = expand(before + f"2027-01-25,given,dox,,,{amount},,\n")
    a = cycle_2(s)
    # The amount the record gives is the amount given, whatever the plan's dose.
    assert a.status is regimens.AdministrationStatus.GIVEN
    assert a.dose.amount is not None
    assert a.dose.amount.magnitude == Decimal(amount.split()[0])
    assert a.dose.derivation == f"given: {amount} (record line 3); planned: {due}"
    text = f"doxorubicin given {amount} on Mon 2027-01-25, more than the {due} planned"
    assert s.replayed is not None
    assert s.replayed.deviations == (f"line 3: {text}",)
    assert caught == [f"due.csv:3: {text}"]


@pytest.mark.parametrize(("before", "due"), [(REDUCE, "87.36"), (MEASURE, "102.6")])
def test_the_dose_due_typed_as_given_is_no_overdose(before: str, due: str) -> None:
    s, caught = expand(before + f"2027-01-25,given,dox,,,{due} mg,,\n")
    a = cycle_2(s)
    assert a.dose.amount is not None
    assert a.dose.amount.magnitude == Decimal(due)
    assert not a.dose.derivation.startswith("given:")  # the dose due's own derivation
    assert s.replayed is not None
    assert s.replayed.deviations == ()
    assert caught == []


def test_a_partial_dose_names_the_dose_due_that_day() -> None:
    s, caught = expand(REDUCE + "2027-01-25,given,dox,,,50 mg,,extravasation\n")
    a = cycle_2(s)
    assert a.dose.derivation == (
        "given: 50 mg (record line 3: extravasation); planned: 87.36 mg")
    assert a.planned_dose is not None
    assert a.planned_dose.text == "109.2 mg"  # the plan's dose, before the reduction
    assert s.replayed is not None
    assert s.replayed.deviations == ()
    assert caught == []


def test_without_reductions_or_measurements_the_plan_is_the_dose_due() -> None:
    s, caught = expand("2027-01-04,given,dox,,,109.2 mg,,\n"
                       "2027-01-25,given,dox,,,120 mg,,\n")
    assert caught == ["due.csv:3: doxorubicin given 120 mg on Mon 2027-01-25, more than the "
                      "109.2 mg planned"]
    assert cycle_2(s).dose.derivation == "given: 120 mg (record line 3); planned: 109.2 mg"
