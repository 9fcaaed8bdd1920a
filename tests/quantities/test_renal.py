"""Calvert, Cockcroft-Gault, Devine and adjusted weight against published and hand-computed values.

Every expected number below is worked by hand from the published equation (shown in the
comment), never taken from the code's output.
"""

from __future__ import annotations

from decimal import Decimal as D
from decimal import localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regimens import QuantityError, Sex, UnitError
from regimens.quantities import (
    adjusted_weight,
    body_mass_index,
    calvert,
    cockcroft_gault,
    devine_ideal_weight,
    parse_creatinine,
    parse_dose_quantity,
    parse_gfr,
)


@pytest.mark.parametrize(("auc", "gfr", "dose"), [
    # FDA (2010), carboplatin dosing: the maximum dose at a GFR capped at 125 mL/min is
    # target AUC x (125 + 25): AUC 6 -> 900 mg, AUC 5 -> 750 mg, AUC 4 -> 600 mg.
    ("6", "125", "900"), ("5", "125", "750"), ("4", "125", "600"),
    # The example: AUC 5 x (57.1 + 25) = 5 x 82.1 = 410.5 mg.
    ("5", "57.1", "410.5"),
    # AUC 2 x (0 + 25): the non-renal clearance alone.
    ("2", "0", "50"),
    ("1.5", "33.3", "87.45"),  # 1.5 x 58.3
])
def test_calvert(auc: str, gfr: str, dose: str) -> None:
    assert calvert(D(auc), D(gfr)) == D(dose)


@pytest.mark.parametrize(("age", "weight", "scr", "factor", "sex", "crcl"), [
    # (140 - 50) x 80 / (72 x 1.0) = 7200 / 72 = 100
    ("50", "80", "1.0", "1", Sex.MALE, "100"),
    # (140 - 64) x 70 / (72 x 1.1) x 0.85 = 5320 / 79.2 x 0.85 = 57.0959...
    ("64", "70", "1.1", "1", Sex.FEMALE, "57.09595959595959595959595959595959595959595959595959"
     "595959595959595959595959595959595959595959595959596"),
    # 88.4 umol/L is 1 mg/dL: (140 - 60) x 72 x 88.4 / (72 x 88.4) = 80
    ("60", "72", "88.4", "88.4", Sex.MALE, "80"),
    # (140 - 40) x 72.036 / 72 = 100.05 exactly (a rounding boundary for 1 decimal)
    ("40", "72.036", "1", "1", Sex.MALE, "100.05"),
    # female factor on a round number: (140 - 68) x 50 / (72 x 1) x 0.85 = 50 x 0.85 = 42.5
    ("68", "50", "1", "1", Sex.FEMALE, "42.5"),
])
def test_cockcroft_gault(age: str, weight: str, scr: str, factor: str, sex: Sex,
                         crcl: str) -> None:
    got = cockcroft_gault(D(age), D(weight), D(scr), D(factor), sex)
    assert abs(got - D(crcl)) < D("1e-90")


def test_cockcroft_gault_umol_equals_mg_dl() -> None:
    """97 umol/L and 97 / 88.4 mg/dL give the same clearance (one division, no early rounding)."""
    a = cockcroft_gault(D(64), D(70), D(97), D("88.4"), Sex.MALE)
    # (140 - 64) x 70 x 88.4 / (72 x 97) = 470288 / 6984 = 67.3379...
    with localcontext(prec=100):
        assert abs(a - D(470288) / D(6984)) < D("1e-90")


def test_cockcroft_gault_refuses_age_140() -> None:
    with pytest.raises(QuantityError):
        cockcroft_gault(D(140), D(70), D(1), D(1), Sex.MALE)


@pytest.mark.parametrize(("height_cm", "sex", "ibw"), [
    # Devine: 50 kg (men) / 45.5 kg (women) + 2.3 kg per inch over 60 inches.
    ("177.8", Sex.MALE, "73"),  # 70 in: 50 + 23
    ("165.1", Sex.FEMALE, "57"),  # 65 in: 45.5 + 11.5
    ("152.4", Sex.FEMALE, "45.5"),  # 60 in exactly: the base weight
    ("152.4", Sex.MALE, "50"),
    ("182.88", Sex.MALE, "77.6"),  # 72 in: 50 + 27.6
])
def test_devine_ideal_weight(height_cm: str, sex: Sex, ibw: str) -> None:
    assert devine_ideal_weight(D(height_cm), sex) == D(ibw)


def test_devine_height_is_not_rounded_to_whole_inches() -> None:
    # 175 cm = 68.8976... in; 50 + 2.3 x 8.8976... = 70.4645669...; rounding to 69 in first
    # would give 70.7 kg.
    got = devine_ideal_weight(D(175), Sex.MALE)
    with localcontext(prec=100):
        assert abs(got - (50 + D("2.3") * (D(175) / D("2.54") - 60))) < D("1e-90")
    assert D("70.464") < got < D("70.465")


def test_devine_refuses_under_60_inches() -> None:
    with pytest.raises(QuantityError):
        devine_ideal_weight(D("152.39"), Sex.FEMALE)


@pytest.mark.parametrize(("actual", "ideal", "adjusted"), [
    ("100", "73", "83.8"),  # 73 + 0.4 x 27
    ("73", "73", "73"),
    ("60", "70", "66"),  # below ideal: 70 + 0.4 x (-10)
])
def test_adjusted_weight(actual: str, ideal: str, adjusted: str) -> None:
    assert adjusted_weight(D(actual), D(ideal)) == D(adjusted)


def test_body_mass_index() -> None:
    assert body_mass_index(D(100), D(200)) == 25  # 100 / 2^2
    assert body_mass_index(D("99.9"), D(200)) == D("24.975")


@pytest.mark.parametrize(("text", "value"), [
    ("95 mL/min", "95"), ("95mL/min", "95"), ("95 ml/min", "95"), ("57.1 mL / min", "57.1")])
def test_parse_gfr(text: str, value: str) -> None:
    assert parse_gfr(text) == D(value)


@pytest.mark.parametrize(("text", "reason"), [
    ("95 mL/min/1.73m2", "GFR is absolute (mL/min), never per 1.73 m²"),
    ("95", "a bare number is not a GFR"),
    ("95 mL/h", "unknown GFR unit 'mL/h'"),
])
def test_parse_gfr_refuses(text: str, reason: str) -> None:
    with pytest.raises(UnitError) as caught:
        parse_gfr(text)
    assert caught.value.reason.startswith(reason)


@pytest.mark.parametrize(("text", "value", "factor"), [
    ("1.1 mg/dL", "1.1", "1"), ("1.1mg/dl", "1.1", "1"), ("97 µmol/L", "97", "88.4"),
    ("97 umol/L", "97", "88.4"), ("97 μmol/L", "97", "88.4"), ("97 umol / L", "97", "88.4")])
def test_parse_creatinine(text: str, value: str, factor: str) -> None:
    assert parse_creatinine(text) == (D(value), D(factor))


def test_parse_creatinine_refuses_other_units() -> None:
    with pytest.raises(UnitError) as caught:
        parse_creatinine("1.1 mmol/L")
    assert caught.value.reason == "unknown creatinine unit 'mmol/L'"


@pytest.mark.parametrize(("text", "written"), [
    ("AUC 5", "AUC 5"), ("AUC5", "AUC 5"), ("AUC 5 mg/mL·min", "AUC 5"),
    ("AUC 1.5 mg*min/mL", "AUC 1.5"), ("AUC 20", "AUC 20")])
def test_auc_dose_text(text: str, written: str) -> None:
    assert str(parse_dose_quantity(text)) == written


@pytest.mark.parametrize(("text", "reason"), [
    ("AUC 0", "a target AUC must be greater than zero"),
    ("AUC 20.5", "a target AUC above 20 mg/mL·min is not a carboplatin target"),
    ("AUC 5 mg", "a target AUC is in mg/mL·min (got unit 'mg')"),
    ("AUC", "an AUC dose must give the target AUC as a number"),
    ("AUC -5", "an AUC dose must give the target AUC as a number"),
])
def test_auc_dose_refused(text: str, reason: str) -> None:
    with pytest.raises(UnitError) as caught:
        parse_dose_quantity(text)
    assert caught.value.reason == reason


@given(auc=st.decimals(min_value=D("0.5"), max_value=D(20), places=2),
       gfr=st.decimals(min_value=D(0), max_value=D(125), places=1))
def test_calvert_never_exceeds_auc_times_150_under_the_cap(auc: D, gfr: D) -> None:
    dose = calvert(auc, gfr)
    assert dose <= auc * 150
    assert dose == auc * gfr + auc * 25  # exact: distributes without rounding
