"""Dosage forms (tablets, capsules, puffs...) and strengths (500 mg/tablet): issue 16 item 6."""

from __future__ import annotations

from decimal import Decimal

import pytest

from regimens import UnitError
from regimens.quantities import (
    FORM_PARTS,
    Amount,
    Dimension,
    form_count,
    form_part_problem,
    human_amount,
    parse_amount,
    parse_dose_quantity,
    parse_strength,
    unit,
)

FORMS = [("tablet", "tablets", Dimension.TABLET), ("capsule", "capsules", Dimension.CAPSULE),
         ("puff", "puffs", Dimension.PUFF), ("drop", "drops", Dimension.DROP),
         ("patch", "patches", Dimension.PATCH), ("sachet", "sachets", Dimension.SACHET),
         ("vial", "vials", Dimension.VIAL)]


@pytest.mark.parametrize(("one", "many", "dimension"), FORMS)
def test_each_form_is_a_count_of_its_own(one: str, many: str, dimension: Dimension) -> None:
    assert parse_dose_quantity(f"1 {one}").amount == Amount(Decimal(1), unit(one))
    assert parse_dose_quantity(f"3 {many}").amount == Amount(Decimal(3), unit(one))
    assert unit(one).dimension is dimension
    assert dimension.form
    assert human_amount(parse_amount(f"1 {one}")) == f"1 {one}"
    assert human_amount(parse_amount(f"2 {one}")) == f"2 {many}"
    # Never converted to another form, nor to mass or volume.
    for other, _, _ in FORMS:
        if other != one:
            with pytest.raises(UnitError):
                parse_amount(f"2 {one}").to(unit(other))
    for other in ("mg", "mL", "IU"):
        with pytest.raises(UnitError):
            parse_amount(f"2 {one}").to(unit(other))


@pytest.mark.parametrize("text", ["1 tablet/kg", "2 capsules per m2", "1 puff/m²"])
def test_a_count_is_never_per_kg_or_per_m2(text: str) -> None:
    with pytest.raises(UnitError, match="is a count, never per kg or per m2"):
        parse_dose_quantity(text)


def test_only_tablets_are_split_and_only_in_halves() -> None:
    assert FORM_PARTS[Dimension.TABLET] == Decimal("0.5")
    assert form_part_problem(parse_amount("1.5 tablets")) is None
    assert form_part_problem(parse_amount("0.25 tablet")) == (
        "tablets are split in halves at most: give whole or half tablets")
    assert form_part_problem(parse_amount("0.5 capsule")) == (
        "capsules are not split: give whole capsules")
    assert form_part_problem(parse_amount("2.5 mg")) is None  # not a form


@pytest.mark.parametrize(("text", "amount", "per"), [
    ("500 mg/tablet", "500 mg", "tablet"),
    ("500 mg per tablet", "500 mg", "tablet"),
    ("250 mg/capsules", "250 mg", "capsule"),
    ("100 mcg per puff", "100 mcg", "puff"),
    ("10 mg/mL", "10 mg", "mL"),
    ("10 mg/ml", "10 mg", "mL"),
    ("15 USP units/vial", "15 USP units", "vial"),
    ("1 MIU/vial", "1 MIU", "vial"),
])
def test_strengths_are_read(text: str, amount: str, per: str) -> None:
    strength = parse_strength(text)
    assert (strength.amount, strength.per) == (parse_amount(amount), unit(per))


@pytest.mark.parametrize(("text", "why"), [
    ("500 mg", "a strength is an amount per dosage form"),
    ("5 mg/kg", "a strength is per one dosage form, not per 'kg'"),
    ("5 mg/day", "a strength is per one dosage form, not per 'day'"),
    ("2 tablets/capsule", "per capsule, not tablets"),
    ("2 Gy/vial", "per vial, not absorbed radiation dose"),
    ("5 mL/mL", "per mL, not volume"),
    ("500", "a bare number is not a strength"),
])
def test_what_is_not_a_strength_is_refused_by_name(text: str, why: str) -> None:
    with pytest.raises(UnitError, match=why):
        parse_strength(text)


@pytest.mark.parametrize(("amount", "strength", "count"), [
    ("1000 mg", "500 mg/tablet", Decimal(2)),
    ("1 g", "500 mg/tablet", Decimal(2)),          # 1 g = 1,000 mg
    ("750 mg", "500 mg/tablet", Decimal("1.5")),
    ("720 mg", "500 mg/tablet", Decimal("1.44")),  # exact, but not a count one can give
    ("9 mg", "30 mg/mL", Decimal("0.3")),
    ("10 mg", "30 mg/mL", None),                   # 0.333... mL: not exact
])
def test_form_count_is_exact_or_none(amount: str, strength: str,
                                     count: Decimal | None) -> None:
    assert form_count(parse_amount(amount), parse_strength(strength)) == count


# USP units and international units: a sourced equivalence (issue 16 item 7) -----------------

@pytest.mark.parametrize(("text", "amount", "target", "expected"), [
    # Bleomycin: 1 USP unit = 1,000 IU, so 30 USP units = 30,000 IU and back.
    ("1 USP unit = 1000 IU", "30 USP units", "IU", "30000 IU"),
    ("1 USP unit = 1000 IU", "15000 IU", "USP units", "15 USP units"),
    ("1000 IU = 1 USP unit", "2 kIU", "USP units", "2 USP units"),  # written the other way
    ("1 USP unit = 1000 IU", "500 IU", "USP units", "0.5 USP units"),
])
def test_an_equivalence_converts_exactly(text: str, amount: str, target: str,
                                         expected: str) -> None:
    from regimens.quantities import convert_by_equivalence, parse_equivalence

    assert str(convert_by_equivalence(parse_amount(amount), unit(target),
                                      parse_equivalence(text))) == expected


@pytest.mark.parametrize(("text", "why"), [
    ("1 USP unit", "two amounts joined by '='"),
    ("1 mg = 1000 IU", "relates USP units and international units, one on each side"),
    ("2 IU = 3 IU", "relates USP units and international units, one on each side"),
    ("1 USP unit/kg = 1000 IU", "not per kg or per m2"),
    ("1 USP units = 1000 units", "'units' is not a unit here"),
])
def test_what_is_not_an_equivalence_is_refused_by_name(text: str, why: str) -> None:
    from regimens.quantities import parse_equivalence

    with pytest.raises(UnitError, match=why):
        parse_equivalence(text)


def test_without_an_equivalence_usp_units_never_convert_to_iu() -> None:
    with pytest.raises(UnitError, match="cannot express USP units in IU"):
        parse_amount("30 USP units").to(unit("IU"))
    with pytest.raises(UnitError, match="cannot express international units in USP units"):
        parse_amount("30000 IU").to(unit("USP units"))
