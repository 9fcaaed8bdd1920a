"""Safe medication notation (ISMP / Joint Commission): what a person reads."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from regimens import Amount
from regimens.quantities import (
    human_amount,
    human_dose_quantity,
    human_number,
    human_route,
    parse_dose_quantity,
    unit,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", "1"),
        ("999", "999"),
        ("1000", "1,000"),
        ("368000", "368,000"),
        ("1234567.50", "1,234,567.5"),
        ("1E+3", "1,000"),
        ("1E+6", "1,000,000"),
        ("0.5", "0.5"),
        ("1.0", "1"),
        ("2.500", "2.5"),
        ("0.0000001", "0.0000001"),
        ("1E-7", "0.0000001"),
        ("-1234.50", "-1,234.5"),
        ("0E-5", "0"),
    ],
)
def test_human_number(value: str, expected: str) -> None:
    assert human_number(Decimal(value)) == expected


@pytest.mark.parametrize(
    ("magnitude", "symbol", "expected"),
    [
        ("1", "MIU", "1 million units"),
        ("2", "MIU", "2 million units"),
        ("0.5", "MIU", "500,000 units"),
        ("1.5", "MIU", "1.5 million units"),
        ("368000", "IU", "368,000 units"),
        ("1000000", "IU", "1 million units"),
        ("1", "IU", "1 unit"),
        ("999", "IU", "999 units"),
        ("2.50", "kIU", "2,500 units"),
        ("100000", "IU", "100,000 units"),
        ("1010000", "IU", "1.01 million units"),
        ("1234567", "IU", "1,234,567 units"),  # not exact in three decimals of a million
        ("5", "mIU", "5 thousandths of a unit"),
        ("70000000", "cells", "70 million cells"),
        ("1260000000", "cells", "1.26 billion cells"),
        ("1", "cells", "1 cell"),
        ("0.5", "mg", "0.5 mg"),
        ("1.0", "mg", "1 mg"),
        ("20", "mg", "20 mg"),
        ("1500", "mg", "1,500 mg"),
        ("450", "mcg", "450 mcg"),
        ("250", "mL", "250 mL"),
    ],
)
def test_human_amount(magnitude: str, symbol: str, expected: str) -> None:
    assert human_amount(Amount(Decimal(magnitude), unit(symbol))) == expected


def test_one_thousandth_is_singular() -> None:
    assert human_amount(Amount(Decimal(1), unit("mIU"))) == "1 thousandth of a unit"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2e5 IU/m2", "200,000 units per m²"),
        ("1e6 cells/kg", "1 million cells per kg"),
        ("1 mg/kg", "1 mg per kg"),
        ("375 mg per m2", "375 mg per m²"),
        ("1 MIU", "1 million units"),
    ],
)
def test_human_dose_quantity(text: str, expected: str) -> None:
    assert human_dose_quantity(parse_dose_quantity(text)) == expected


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        ("SC", "subcutaneous"),
        ("sq", "subcutaneous"),
        ("Subcut", "subcutaneous"),
        (" sc ", "subcutaneous"),
        ("IV", "intravenous"),
        ("po", "oral"),
        ("by mouth", "oral"),
        ("IM", "intramuscular"),
        ("IT", "intrathecal"),
        ("intravenous", "intravenous"),
    ],
)
def test_human_route(route: str, expected: str) -> None:
    assert human_route(route) == expected


# Forbidden in anything a person reads (ISMP list; safety-and-reliability.md §7 item 16).
FORBIDDEN = [
    (r"\bIU\b", "IU"),
    (r"MIU", "MIU"),
    (r"\bU\b", "U"),
    (r"\d\.\d*0\b(?! )", "trailing zero"),
    (r"\.0\b", "trailing .0"),
    (r"(?<![0-9])\.\d", "naked decimal"),
    (r"\d[eE][-+]?\d", "exponent"),
    (r"(?<![\d.,])\d{4,}", "integer digits without grouping"),
    (r"\d(mg|mL|units|cells)", "number and unit run together"),
]

AMOUNTS = [
    ("1", "MIU"), ("2", "MIU"), ("0.5", "MIU"), ("1000000", "IU"), ("368000", "IU"),
    ("360000", "IU"), ("1E+6", "IU"), ("70000000", "cells"), ("1260000000", "cells"),
    ("2.5E+8", "cells"), ("0.50", "mg"), ("1.0", "mg"), ("1500", "mg"), ("12345.60", "mg"),
    ("1E-7", "mg"), ("10000", "IU"),
]


@pytest.mark.parametrize(("magnitude", "symbol"), AMOUNTS)
def test_no_forbidden_notation(magnitude: str, symbol: str) -> None:
    shown = human_amount(Amount(Decimal(magnitude), unit(symbol)))
    for pattern, what in FORBIDDEN:
        assert not re.search(pattern, shown), f"{what} in {shown!r}"


@pytest.mark.parametrize(("n", "noun", "plural", "text"), [
    (0, "visit", None, "0 visits"),
    (1, "administration", None, "1 administration"),
    (2, "day", None, "2 days"),
    (1, "expectation", None, "1 expectation"),
    (3, "entry", "entries", "3 entries"),
    (1, "entry", "entries", "1 entry"),
])
def test_counted_agrees_with_its_number(n: int, noun: str, plural: str | None,
                                        text: str) -> None:
    from regimens.quantities import counted

    assert counted(n, noun, plural) == text
