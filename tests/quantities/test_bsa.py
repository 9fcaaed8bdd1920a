"""BSA formulas against published vectors (never a restated formula).

Vectors: pharmaverse admiral tests/testthat/test-derive_advs_params.R (3 decimals) and the
extra vectors of /work/shared/reference/safety-and-reliability.md §2.2 (4 decimals).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from regimens import BSAFormula, bsa

FORMULAS = (BSAFormula.MOSTELLER, BSAFormula.DUBOIS, BSAFormula.HAYCOCK,
            BSAFormula.GEHAN_GEORGE, BSAFormula.BOYD)

# (height cm, weight kg): Mosteller, DuBois, Haycock, Gehan-George, Boyd
ADMIRAL = {
    ("170", "75"): ("1.882", "1.864", "1.895", "1.897", "1.905"),
    ("185", "90"): ("2.151", "2.141", "2.161", "2.160", "2.158"),
}
EXTRA = {
    ("175", "70"): ("1.8447", "1.8481", "1.8468", "1.8539", "1.8507"),
    ("160", "60"): ("1.6330", "1.6221", "1.6405", "1.6489", "1.6558"),
    ("110", "20"): ("0.7817", "0.7750", "0.7832", "0.7997", "0.8017"),
    ("50", "3.5"): ("0.2205", "0.2086", "0.2244", "0.2338", "0.2299"),
    ("150", "150"): ("2.5000", "2.2849", "2.6175", "2.5710", "2.6670"),
    ("200", "200"): ("3.3333", "3.1809", "3.4245", "3.3665", "3.3877"),
}


def _cases(table: dict[tuple[str, str], tuple[str, ...]]) -> list[object]:
    return [
        pytest.param(h, w, f, v, id=f"{h}cm-{w}kg-{f.value}")
        for (h, w), values in table.items()
        for f, v in zip(FORMULAS, values, strict=True)
    ]


@pytest.mark.parametrize(("height", "weight", "formula", "expected"), _cases(ADMIRAL))
def test_admiral_vectors(height: str, weight: str, formula: BSAFormula, expected: str) -> None:
    value = bsa(Decimal(height), Decimal(weight), formula)
    assert value.quantize(Decimal("0.001"), ROUND_HALF_UP) == Decimal(expected)


@pytest.mark.parametrize(("height", "weight", "formula", "expected"), _cases(EXTRA))
def test_extra_vectors(height: str, weight: str, formula: BSAFormula, expected: str) -> None:
    value = bsa(Decimal(height), Decimal(weight), formula)
    assert value.quantize(Decimal("0.0001"), ROUND_HALF_UP) == Decimal(expected)


def test_boyd_weight_in_grams_not_kg() -> None:
    # The common bug (log10 of kg, power of grams) gives 3.59 m² for 170 cm / 75 kg.
    assert Decimal("1.90") < bsa(Decimal(170), Decimal(75), BSAFormula.BOYD) < Decimal("1.91")


@pytest.mark.parametrize("formula", FORMULAS, ids=[f.value for f in FORMULAS])
@pytest.mark.parametrize(("height", "weight"), [("0", "70"), ("175", "0"), ("-1", "70")])
def test_nonpositive_refused(formula: BSAFormula, height: str, weight: str) -> None:
    with pytest.raises(ValueError, match="must be positive"):
        bsa(Decimal(height), Decimal(weight), formula)


@pytest.mark.parametrize(
    ("formula", "label"),
    [(BSAFormula.MOSTELLER, "Mosteller"), (BSAFormula.DUBOIS, "DuBois"),
     (BSAFormula.HAYCOCK, "Haycock"), (BSAFormula.GEHAN_GEORGE, "Gehan-George"),
     (BSAFormula.BOYD, "Boyd")],
)
def test_formula_labels(formula: BSAFormula, label: str) -> None:
    assert formula.label == label
    assert formula.equation


def test_formula_values_are_the_cli_names() -> None:
    assert [f.value for f in BSAFormula] == [
        "mosteller", "dubois", "haycock", "gehan-george", "boyd"]
