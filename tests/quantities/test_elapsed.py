"""Elapsed time (``duration: 46 hours``): read, shown, and written as ISO 8601."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regimens.errors import QuantityError, QuantityTypeError, UnitError
from regimens.quantities import MAX_MINUTES, Elapsed


@pytest.mark.parametrize(("text", "minutes", "shown", "iso"), [
    ("46 hours", 2760, "46 hours", "PT46H"),
    ("1 hour", 60, "1 hour", "PT1H"),
    ("30 minutes", 30, "30 minutes", "PT30M"),
    ("90 min", 90, "90 minutes", "PT1H30M"),
    ("1 minute", 1, "1 minute", "PT1M"),
    ("2h", 120, "2 hours", "PT2H"),
    ("3 hrs", 180, "3 hours", "PT3H"),
    ("2 days", 2880, "48 hours", "PT48H"),
    ("1 week", 10080, "168 hours", "PT168H"),
    (" 8 HOURS ", 480, "8 hours", "PT8H"),
])
def test_elapsed(text: str, minutes: int, shown: str, iso: str) -> None:
    value = Elapsed.parse(text)
    assert value.minutes == minutes
    assert str(value) == shown
    assert value.iso == iso
    assert value.delta == timedelta(minutes=minutes)


@pytest.mark.parametrize(("text", "message"), [
    ("0 hours", "at least 1 minute"),
    ("3 months", "unknown unit of elapsed time 'months'"),
    ("1 year", "unknown unit of elapsed time 'year'"),
    ("1.5 hours", "not an elapsed time"),
    ("hours", "not an elapsed time"),
    ("876601 hours", "at most 100 years"),
    ("99999999999999999999 minutes", "at most 100 years"),
])
def test_elapsed_refused(text: str, message: str) -> None:
    with pytest.raises(UnitError, match=message):
        Elapsed.parse(text)


def test_elapsed_refuses_non_text_and_bad_values() -> None:
    with pytest.raises(UnitError):
        Elapsed.parse(46)
    with pytest.raises(QuantityTypeError):
        Elapsed(True)  # type: ignore[arg-type]
    with pytest.raises(QuantityError):
        Elapsed(0)
    with pytest.raises(QuantityError):
        Elapsed(MAX_MINUTES + 1)


@given(st.integers(1, MAX_MINUTES))
def test_shown_text_reads_back(minutes: int) -> None:
    value = Elapsed(minutes)
    assert Elapsed.parse(str(value)) == value
    hours, rest = divmod(minutes, 60)
    assert value.iso == "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest else "")
