"""USP units and gray: dimensions of their own, never mixed with international units or
with anything else (issue 16 item 7). Values worked out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

import regimens
from regimens.quantities import (
    Dimension,
    human_amount,
    parse_amount,
    parse_dose_quantity,
    unit,
)
from regimens.quantities._units import AMOUNT_UNITS_TEXT


@pytest.mark.parametrize(("text", "magnitude", "symbol", "dimension", "shown"), [
    ("30 USP units", "30", "USP units", Dimension.USP, "30 USP units"),
    ("1 USP unit", "1", "USP units", Dimension.USP, "1 USP unit"),
    ("15000 USP units", "15000", "USP units", Dimension.USP, "15,000 USP units"),
    ("2e6 USP units", "2000000", "USP units", Dimension.USP, "2 million USP units"),
    ("2 Gy", "2", "Gy", Dimension.RADIATION, "2 Gy"),
    ("1.8 Gy", "1.8", "Gy", Dimension.RADIATION, "1.8 Gy"),
    ("180 cGy", "180", "cGy", Dimension.RADIATION, "180 cGy"),
])
def test_read_and_shown(text: str, magnitude: str, symbol: str, dimension: Dimension,
                        shown: str) -> None:
    amount = parse_amount(text)
    assert (amount.magnitude, amount.unit.symbol, amount.unit.dimension) == (
        Decimal(magnitude), symbol, dimension)
    assert human_amount(amount) == shown


def test_centigray_is_a_hundredth_of_a_gray() -> None:
    assert parse_amount("180 cGy").to(unit("Gy")) == parse_amount("1.8 Gy")


@pytest.mark.parametrize(("text", "target"), [
    ("30 USP units", "IU"), ("30 USP units", "MIU"), ("30 USP units", "mg"),
    ("1000 IU", "USP units"), ("2 Gy", "mg"), ("2 Gy", "USP units"),
])
def test_never_converted(text: str, target: str) -> None:
    with pytest.raises(regimens.UnitError, match="cannot express"):
        parse_amount(text).to(unit(target))


def test_per_m2_usp_units() -> None:
    dose = parse_dose_quantity("10 USP units/m2")
    assert (str(dose), dose.basis) == ("10 USP units/m2", regimens.Basis.PER_M2)


@pytest.mark.parametrize("text", ["2 Gy/kg", "2 Gy/m2"])
def test_gray_is_never_per_body_size(text: str) -> None:
    with pytest.raises(regimens.UnitError) as caught:
        parse_dose_quantity(text)
    assert str(caught.value) == ("a radiation dose in Gy is absorbed dose, never per kg or "
                                 "per m2; write e.g. '2 Gy' per fraction")


def test_bare_units_still_refused() -> None:
    with pytest.raises(regimens.UnitError, match="'units' is not a unit here"):
        parse_amount("30 units")


def test_the_listed_units_are_unchanged() -> None:
    # Messages pinned by the bad-input catalogue list the units of format 1.0.
    assert AMOUNT_UNITS_TEXT == "mg, g, mcg, ng, IU, kIU, MIU, mIU, cells, mL or L"


DOC = """\
format: regimens/1
id: abvd-rt
title: Bleomycin and radiotherapy
drugs:
  bleo: {name: bleomycin, route: intravenous}
  il2: {name: aldesleukin, route: subcutaneous}
  rt: {name: involved-site radiotherapy, route: external beam, kind: radiotherapy}
arms:
  a: {label: A}
periods:
  - id: chemo
    length: 4 weeks
    courses:
      - {drug: bleo, dose: 10 USP units/m2, cycle: 2 weeks, days: [1]}
      - {drug: il2, dose: 1 MIU, days: [1]}
  - id: radiotherapy
    length: 5 weeks
    courses:
      - {drug: rt, dose: 2 Gy, weekdays: [mon, tue, wed, thu, fri]}
"""


def test_expand_and_totals() -> None:
    s = regimens.loads(DOC, "r.yaml").expand("a", "2027-01-04", regimens.Participant(
        bsa="1.8 m2"))
    bleo = [a for a in s.administrations if a.drug == "bleo"]
    # 10 USP units per m2 x 1.8 m2 = 18 USP units, twice (days 1 and 15).
    assert [a.dose.text for a in bleo] == ["18 USP units"] * 2
    assert bleo[0].dose.derivation.startswith("10 USP units per m² × 1.8 m²")
    totals = {t.drug: t for t in s.totals}
    assert totals["bleo"].amounts == (parse_amount("36 USP units"),)
    assert totals["il2"].amounts == (parse_amount("1 MIU"),)  # never added to USP units
    # 5 weeks of weekdays from Monday 2027-02-01: 25 fractions of 2 Gy = 50 Gy.
    assert (totals["rt"].administrations, totals["rt"].amounts) == (
        25, (parse_amount("50 Gy"),))
    rt = [a for a in s.administrations if a.drug == "rt"]
    assert {a.route for a in rt} == {"external beam"}
    assert rt[0].dose.text == "2 Gy"


def test_check_totals_per_dimension() -> None:
    text = regimens.loads(DOC, "r.yaml").check().to_text()
    assert "50 Gy" in text
    assert "20 USP units per m²" in text  # 2 x 10 USP units per m2, never in units


def test_written_back() -> None:
    regimen = regimens.loads(DOC, "r.yaml")
    assert regimen.drug("rt").kind == "radiotherapy"
    assert regimens.loads(regimens.dumps(regimen), "again.yaml") == regimen


@pytest.mark.parametrize(("kind", "dose", "message"), [
    ("drug", "2 Gy", "a dose in Gy is radiation: give drug 'rt' 'kind: radiotherapy'"),
    ("radiotherapy", "2 mg",
     "'rt' is radiotherapy: its doses are absorbed doses in Gy (e.g. '2 Gy')"),
])
def test_kind_in_python(kind: str, dose: str, message: str) -> None:
    drug = regimens.Drug("rt", "RT", "external beam", kind=kind)
    course = regimens.Course("rt", regimens.DaysPattern((1,)), regimens.Dose(
        parse_dose_quantity(dose)))
    with pytest.raises(regimens.InvalidRegimenError) as caught:
        regimens.Regimen("r", "R", (drug,), (regimens.Arm("a", "A"),), (regimens.Period(
            "p", regimens.LengthRange.parse("1 week"), (course,)),))
    assert [p.message for p in caught.value.problems] == [message]
