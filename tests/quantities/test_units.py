"""Dose and body-measurement parsing: exact values, and refusals with their messages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from regimens import Amount, Basis, Dimension, Participant, ParticipantError, UnitError
from regimens.quantities._measures import parse_height, parse_measure, parse_weight
from regimens.quantities._parse import parse_amount, parse_dose_quantity
from regimens.quantities._units import unit

DOSE_HINT = (
    "write a number and a unit (mg, g, mcg, ng, IU, kIU, MIU, mIU, cells, mL or L), "
    "optionally per kg or per m2, e.g. '20 mg', '1e6 cells/kg', '2e5 IU/m2'"
)


@pytest.mark.parametrize(
    ("text", "magnitude", "symbol", "basis"),
    [
        ("20 mg", "20", "mg", Basis.FLAT),
        ("1 MIU", "1", "MIU", Basis.FLAT),
        ("0.5 mg", "0.5", "mg", Basis.FLAT),
        ("1.50 mg", "1.5", "mg", Basis.FLAT),
        ("10mg", "10", "mg", Basis.FLAT),
        ("250 mL", "250", "mL", Basis.FLAT),
        ("5 ug", "5", "mcg", Basis.FLAT),
        ("5 µg", "5", "mcg", Basis.FLAT),
        ("1 cell", "1", "cells", Basis.FLAT),
        ("1e6 cells/kg", "1000000", "cells", Basis.PER_KG),
        ("1 x 10^6 cells/kg", "1000000", "cells", Basis.PER_KG),
        ("1 × 10^6 cells", "1000000", "cells", Basis.FLAT),
        ("1.5e6 cells / kg", "1500000", "cells", Basis.PER_KG),
        ("2 mg per kg", "2", "mg", Basis.PER_KG),
        ("2e5 IU/m2", "200000", "IU", Basis.PER_M2),
        ("2e5 IU/m²", "200000", "IU", Basis.PER_M2),
        ("375 mg per m2", "375", "mg", Basis.PER_M2),
        ("375 mg per m^2", "375", "mg", Basis.PER_M2),
        ("1e-3 mg", "0.001", "mg", Basis.FLAT),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_dose_quantity_parsed_exactly(text: str, magnitude: str, symbol: str,
                                      basis: Basis) -> None:
    q = parse_dose_quantity(text)
    assert q.amount.magnitude == Decimal(magnitude)
    # Exact text, not merely equal: no exponent, no trailing zeros.
    assert format(q.amount.magnitude, "f") == magnitude
    assert q.amount.unit.symbol == symbol
    assert q.basis is basis


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1 miu", "'miu' is ambiguous: unit symbols are case-sensitive; write 'MIU' (million "
                  "international units) or 'mIU' (thousandths of an international unit)"),
        ("2 mgs", "unknown unit 'mgs'"),
        ("1 Mg", "unknown unit 'Mg': unit symbols are case-sensitive; did you mean 'mg'?"),
        ("5 mg/h", "a dose must be an amount, not a rate ('mg/h' is per unit of time)"),
        ("5 mg/day", "a dose must be an amount, not a rate ('mg/day' is per unit of time)"),
        ("1 U", "'U' is read as 0 or 4 and is not a unit here: write 'IU' for international units"),
        ("10 units", "'units' is not a unit here: write 'IU' for international units"),
        ("1 unit", "'units' is not a unit here: write 'IU' for international units"),
        ("1 MU", "'MU' is ambiguous: write 'MIU' (million international units) or 'mIU' "
                 "(thousandths of an international unit)"),
        ("1 cc", "'cc' is read as 'u' or '00': write 'mL'"),
        ("70,5 mg", "dose has a comma: write a decimal point and no thousands separators"),
        ("1,000 mg", "dose has a comma: write a decimal point and no thousands separators"),
        (".5 mg", "dose needs a leading zero before the decimal point"),
        ("0 mg", "dose must be greater than zero"),
        ("0.0 mg", "dose must be greater than zero"),
        ("-1 mg", "dose must be greater than zero"),
        ("nan mg", "dose must be a finite number"),
        ("inf mg", "dose must be a finite number"),
        ("5", "a bare number is not a dose: give its unit"),
        ("mg", "dose must start with a number"),
        ("", "dose must start with a number"),
        ("1 kg", "dose is a body measurement, not an amount of drug"),
        ("1 mg/lb", "doses are per kg, not per lb"),
        ("5 mg per", "a dose is an amount, flat or per kg or per m2 (got unit 'mg per')"),
    ],
    ids=lambda v: v if len(v) < 12 else None,
)
def test_dose_refused_with_message(text: str, reason: str) -> None:
    with pytest.raises(UnitError) as info:
        parse_dose_quantity(text)
    assert info.value.reason == reason
    assert info.value.allowed == DOSE_HINT
    assert str(info.value) == f"{reason}; {DOSE_HINT}"
    assert info.value.text == text


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (5, "a bare number is not a dose: give its unit"),
        (5.0, "dose must be text: a number and its unit"),
        (True, "dose must be text: a number and its unit"),
        (None, "dose must be text: a number and its unit"),
    ],
    ids=["int", "float", "bool", "none"],
)
def test_dose_refuses_non_text(value: object, reason: str) -> None:
    with pytest.raises(UnitError) as info:
        parse_dose_quantity(value)
    assert info.value.reason == reason


def test_unit_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="greater than zero"):
        parse_dose_quantity("0 mg")


@pytest.mark.parametrize(
    "text", ["1e30 mg", "1 x 10^30 cells", "1e400 mg"], ids=["1e30", "10^30", "1e400"])
def test_huge_dose_is_refused_as_out_of_range(text: str) -> None:
    with pytest.raises(UnitError) as caught:
        parse_dose_quantity(text)
    assert caught.value.reason == "dose is out of range (1e-12 to 1e15)"


def test_parse_amount_refuses_relative_dose() -> None:
    with pytest.raises(UnitError) as info:
        parse_amount("20 mg per kg", "max")
    assert info.value.reason == "max must be an absolute amount, not per kg or per m2"


def test_parse_amount_exponent_form() -> None:
    a = parse_amount("1 x 10^6 cells")
    assert a == Amount(Decimal(1000000), unit("cells"))


@pytest.mark.parametrize(
    ("symbol", "canonical", "dimension", "factor"),
    [
        ("mg", "mg", Dimension.MASS, "1"),
        ("g", "g", Dimension.MASS, "1000"),
        ("mcg", "mcg", Dimension.MASS, "0.001"),
        ("ng", "ng", Dimension.MASS, "0.000001"),
        ("ug", "mcg", Dimension.MASS, "0.001"),
        ("IU", "IU", Dimension.ACTIVITY, "1"),
        ("kIU", "kIU", Dimension.ACTIVITY, "1000"),
        ("MIU", "MIU", Dimension.ACTIVITY, "1000000"),
        ("mIU", "mIU", Dimension.ACTIVITY, "0.001"),
        ("cells", "cells", Dimension.CELLS, "1"),
        ("mL", "mL", Dimension.VOLUME, "1"),
        ("ml", "mL", Dimension.VOLUME, "1"),
        ("L", "L", Dimension.VOLUME, "1000"),
    ],
)
def test_unit_table(symbol: str, canonical: str, dimension: Dimension, factor: str) -> None:
    u = unit(symbol)
    assert u.symbol == canonical
    assert u.dimension is dimension
    assert u.factor == Decimal(factor)


def test_unknown_unit_symbol() -> None:
    with pytest.raises(UnitError, match="unknown unit 'kg'"):
        unit("kg")


@pytest.mark.parametrize(
    ("text", "target", "expected"),
    [
        ("1 MIU", "IU", "1000000"),
        ("1 MIU", "kIU", "1000"),
        ("1 MIU", "mIU", "1000000000"),
        ("2500 IU", "MIU", "0.0025"),
        ("0.45 mg", "mcg", "450"),
        ("1.5 g", "mg", "1500"),
        ("250 mL", "L", "0.25"),
        ("0.1 mg", "g", "0.0001"),
    ],
)
def test_amount_to_is_exact(text: str, target: str, expected: str) -> None:
    converted = parse_amount(text).to(unit(target))
    assert converted.unit.symbol == target
    assert format(converted.magnitude, "f") == expected


def test_amount_to_refuses_other_dimension() -> None:
    with pytest.raises(UnitError) as info:
        parse_amount("1 mg").to(unit("IU"))
    assert info.value.reason == "cannot express mass in IU"


def test_mass_never_converts_to_cells() -> None:
    with pytest.raises(UnitError, match="cannot express international units in cells"):
        parse_amount("1 MIU").to(unit("cells"))


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("weight", "70 kg", "70"),
        ("weight", "70kg", "70"),
        ("weight", "70000 g", "70"),
        ("weight", "154 lb", "69.85322498"),  # 154 x 0.45359237 kg, exactly
        ("weight", "70 lbs", "31.7514659"),  # 70 x 0.45359237 kg
        ("weight", "3.5 kg", "3.5"),
        ("height", "175 cm", "175"),
        ("height", "1.75 m", "175"),
        ("height", "1750 mm", "175"),
        ("height", "69 in", "175.26"),  # 69 x 2.54 cm
        ("bsa", "1.8 m2", "1.8"),
        ("bsa", "1.8 m²", "1.8"),
        ("bsa", "1.8 m^2", "1.8"),
    ],
)
def test_measure_exact(kind: str, text: str, expected: str) -> None:
    value = parse_measure(kind, text)
    assert value == Decimal(expected)
    assert format(value, "f") == expected


def test_parse_weight_and_height_shortcuts() -> None:
    assert parse_weight("154 lb") == Decimal("69.85322498")
    assert parse_height("69 in") == Decimal("175.26")


WEIGHT_HINT = "write a number and one of kg, g, lb, lbs, e.g. '70 kg' or '154 lb'"
HEIGHT_HINT = "write a number and one of cm, m, mm, in, e.g. '175 cm', '1.75 m' or '69 in'"
BSA_HINT = "write a number and one of m2, m², m^2, e.g. '1.8 m2'"


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        ("weight", "70", f"a bare number is not a weight: give its unit; {WEIGHT_HINT}"),
        ("weight", "70 KG", f"unknown weight unit 'KG'; {WEIGHT_HINT}"),
        ("weight", "70 st", f"unknown weight unit 'st'; {WEIGHT_HINT}"),
        ("weight", "1.75 m", f"unknown weight unit 'm'; {WEIGHT_HINT}"),
        ("weight", "70,5 kg",
         f"weight has a comma: write a decimal point and no thousands separators; {WEIGHT_HINT}"),
        ("weight", ".5 kg", f"weight needs a leading zero before the decimal point; {WEIGHT_HINT}"),
        ("weight", "0 kg", f"weight must be greater than zero; {WEIGHT_HINT}"),
        ("weight", "-70 kg", f"weight must be greater than zero; {WEIGHT_HINT}"),
        ("weight", "nan", f"weight must be a finite number; {WEIGHT_HINT}"),
        ("weight", "inf", f"weight must be a finite number; {WEIGHT_HINT}"),
        ("height", "175 kg", f"unknown height unit 'kg'; {HEIGHT_HINT}"),
        ("height", "175", f"a bare number is not a height: give its unit; {HEIGHT_HINT}"),
        ("bsa", "1.8", f"a bare number is not a body surface area: give its unit; {BSA_HINT}"),
        ("bsa", "1.8 m", f"unknown body surface area unit 'm'; {BSA_HINT}"),
    ],
)
def test_measure_refused(kind: str, text: str, message: str) -> None:
    with pytest.raises(UnitError) as info:
        parse_measure(kind, text)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weight": "700 kg"}, "weight: 700 kg is not a plausible weight (allowed: 0.5 to 400 kg); "
                               "check the number and its unit (got '700 kg')"),
        ({"height": "17 cm"}, "height: 17 cm is not a plausible height (allowed: 30 to 250 cm); "
                              "check the number and its unit (got '17 cm')"),
        ({"bsa": "5 m2"}, "bsa: 5 m2 is not a plausible body surface area (allowed: 0.1 to 4 m2); "
                          "check the number and its unit (got '5 m2')"),
        ({"weight": "70"}, f"weight: a bare number is not a weight: give its unit; {WEIGHT_HINT} "
                           "(got '70')"),
        ({"label": "x" * 65}, "label: a label is at most 64 printable characters (got '"
                              + "x" * 65 + "')"),
    ],
    ids=["700kg", "17cm", "bsa5", "bare", "label"],
)
def test_participant_refusals(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(ParticipantError) as info:
        Participant(**kwargs)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("kwargs", "attr", "expected"),
    [
        ({"weight": "154 lb"}, "weight_kg", "69.85322498"),
        ({"height": "69 in"}, "height_cm", "175.26"),
        ({"height": "1.75 m"}, "height_cm", "175"),
        ({"bsa": "1.8 m2"}, "bsa_m2", "1.8"),
        ({"weight": "400 kg"}, "weight_kg", "400"),  # inclusive bounds
        ({"weight": "0.5 kg"}, "weight_kg", "0.5"),
        ({"height": "30 cm"}, "height_cm", "30"),
        ({"height": "250 cm"}, "height_cm", "250"),
    ],
)
def test_participant_converts_to_si(kwargs: dict[str, str], attr: str, expected: str) -> None:
    assert getattr(Participant(**kwargs), attr) == Decimal(expected)


def test_participant_huge_weight_is_a_participant_error() -> None:
    with pytest.raises(ParticipantError):
        Participant(weight="1e30 kg")


@pytest.mark.parametrize("text", ["70.5.1 kg", "70 5 kg"])
def test_a_malformed_number_is_named_as_such(text: str) -> None:
    with pytest.raises(ParticipantError) as caught:
        Participant(weight=text)
    assert str(caught.value) == (
        "weight: weight does not start with a single number; write a number and one of kg, g, "
        f"lb, lbs, e.g. '70 kg' or '154 lb' (got '{text}')")
