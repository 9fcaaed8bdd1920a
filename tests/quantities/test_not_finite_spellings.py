"""NaN and infinity are refused as what they are, however they are spelt: YAML's ``.nan``
and ``.inf`` (a record converted from YAML, a cell pasted from it) were told "needs a
leading zero before the decimal point", advice that would make ``0.nan mg`` (review A,
lesser). Every reader of a number and its unit splits it alike (``_split``): doses, amounts
(a record's amount given), body measurements."""

from __future__ import annotations

import pytest

from regimens import InvalidRegimenError, UnitError, read_record
from regimens.quantities._measures import parse_measure
from regimens.quantities._parse import parse_amount, parse_dose_quantity

SPELLINGS = [".nan", ".NaN", ".NAN", "-.nan", "+.nan", ".inf", ".Inf", "-.inf", "+.inf",
             "- .inf", "nan", "-inf", "infinity"]

READERS = {
    "dose": (lambda text: parse_dose_quantity(text + " mg"), "dose"),
    "amount": (lambda text: parse_amount(text + " mg"), "amount"),
    "amount given": (lambda text: parse_amount(text + " mg", "amount given"), "amount given"),
    "weight": (lambda text: parse_measure("weight", text + " kg"), "weight"),
}


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("spelling", SPELLINGS)
def test_not_a_finite_number(reader: str, spelling: str) -> None:
    read, what = READERS[reader]
    with pytest.raises(UnitError) as caught:
        read(spelling)
    assert caught.value.reason == f"{what} must be a finite number"


def test_a_missing_leading_zero_is_still_said() -> None:
    with pytest.raises(UnitError) as caught:
        parse_amount(".5 mg")
    assert caught.value.reason == "amount needs a leading zero before the decimal point"


def test_in_a_record() -> None:
    with pytest.raises(InvalidRegimenError) as caught:
        read_record("date,event,drug,cycle,day,amount,level,reason\n"
                    "2027-01-04,given,pac,,,.nan mg,,\n", name="R.csv")
    assert str(caught.value).startswith(
        "R.csv:2: amount: amount given must be a finite number; write a number and a unit")
