"""BSA formulas against published vectors (never a restated formula).

Vectors: pharmaverse admiral tests/testthat/test-derive_advs_params.R (3 decimals) and the
extra vectors of /work/shared/reference/safety-and-reliability.md §2.2 (4 decimals).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regimens import BSAFormula, QuantityError, QuantityTypeError, bsa
from regimens.quantities import bsa_float, round_bsa, rounded_bsa, shortest_decimal

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


# One table feeds the exact path, the float path (the batch API) and the equation text.

EQUATIONS = {  # written out by hand from the papers (H cm, W kg, Wg grams)
    BSAFormula.MOSTELLER: "sqrt(H x W / 3600)  (Mosteller 1987)",
    BSAFormula.DUBOIS: "0.007184 x H^0.725 x W^0.425  (DuBois 1916)",
    BSAFormula.HAYCOCK: "0.024265 x H^0.3964 x W^0.5378  (Haycock 1978)",
    BSAFormula.GEHAN_GEORGE: "0.0235 x H^0.42246 x W^0.51456  (Gehan and George 1970)",
    BSAFormula.BOYD: "0.0003207 x H^0.3 x Wg^(0.7285 - 0.0188 x log10 Wg), Wg in grams  "
                     "(Boyd 1935)",
}


@pytest.mark.parametrize("formula", FORMULAS, ids=[f.value for f in FORMULAS])
def test_equation_text(formula: BSAFormula) -> None:
    assert formula.equation == EQUATIONS[formula]


@pytest.mark.parametrize(("formula", "source"), [
    (BSAFormula.MOSTELLER, "N Engl J Med. 1987;317(17):1098."),
    (BSAFormula.DUBOIS, "Arch Intern Med. 1916;17(6):863-871."),
    (BSAFormula.HAYCOCK, "J Pediatr. 1978;93(1):62-66."),
    (BSAFormula.GEHAN_GEORGE, "Cancer Chemother Rep. 1970;54(4):225-235."),
    (BSAFormula.BOYD, "Minneapolis: University of Minnesota Press; 1935."),
])
def test_reference_in_full(formula: BSAFormula, source: str) -> None:
    assert formula.reference.endswith(source)


# Mosteller on and beside rounding boundaries, by hand: H = 180 cm and W = 20 x B^2 kg give
# 180 x 20 x B^2 / 3600 = B^2, so the BSA is exactly B. float64 alone lands on either side.
BOUNDARIES = [
    # (height cm, weight kg, decimals, BSA rounded half-up)
    ("180", "68.0805", 2, "1.85"),  # B = 1.845
    ("180", "92.8805", 2, "2.16"),  # B = 2.155
    ("180", "67.3445", 2, "1.84"),  # B = 1.835
    ("180", "80.4005", 2, "2.01"),  # B = 2.005
    ("180", "5.1005", 2, "0.51"),  # B = 0.505
    ("180", "68.043605", 3, "1.845"),  # B = 1.8445
    ("180", "68.0805", 3, "1.845"),  # exactly 1.845: nothing to round
    ("180", "68.0805", 1, "1.8"),  # 1.845 -> 1.8
    ("160", "90", 2, "2"),  # sqrt(4)
    ("180", "68.08049", 2, "1.84"),  # just below 1.845
    ("180", "68.08051", 2, "1.85"),  # just above
]


@pytest.mark.parametrize(("height", "weight", "decimals", "expected"), BOUNDARIES)
def test_float_path_rounds_as_the_exact_path_on_boundaries(height: str, weight: str,
                                                           decimals: int, expected: str) -> None:
    np = pytest.importorskip("numpy")
    exact = round_bsa(bsa(Decimal(height), Decimal(weight), BSAFormula.MOSTELLER), decimals)
    assert exact == Decimal(expected)
    counts = rounded_bsa(np.array([float(height)]), np.array([float(weight)]),
                         BSAFormula.MOSTELLER, decimals, np)
    assert counts.tolist() == [int(Decimal(expected).scaleb(decimals))]


@pytest.mark.parametrize(("weight", "naive", "expected"), [
    ("92.8805", 215, 216),  # B = 2.155
    ("31.0005", 124, 125),  # B = 1.245
    ("20.2005", 100, 101),  # B = 1.005
])
def test_float_alone_would_miss_the_boundary(weight: str, naive: int, expected: int) -> None:
    # Why rounded_bsa recomputes near boundaries: for these exact halves (H = 180 cm, as
    # above) float64 lands just below the half and rounds down.
    np = pytest.importorskip("numpy")
    h, w = np.array([180.0]), np.array([float(weight)])
    value = bsa_float(h, w, BSAFormula.MOSTELLER, np)
    assert int(np.floor(value * 100 + 0.5)[0]) == naive
    assert rounded_bsa(h, w, BSAFormula.MOSTELLER, 2, np).tolist() == [expected]
    exact = round_bsa(bsa(Decimal(180), Decimal(weight), BSAFormula.MOSTELLER), 2)
    assert exact.scaleb(2) == expected


@settings(max_examples=300, deadline=None)
@given(height=st.decimals(min_value=30, max_value=250, places=1),
       weight=st.decimals(min_value="0.5", max_value=400, places=2),
       formula=st.sampled_from(FORMULAS), decimals=st.integers(1, 6))
def test_float_path_equals_exact_path(height: Decimal, weight: Decimal, formula: BSAFormula,
                                      decimals: int) -> None:
    np = pytest.importorskip("numpy")
    h, w = np.array([float(height)]), np.array([float(weight)])
    exact = bsa(height, weight, formula)
    assert abs(float(bsa_float(h, w, formula, np)[0]) - float(exact)) <= 1e-12 * float(exact)
    counts = rounded_bsa(h, w, formula, decimals, np)
    assert counts.tolist() == [int(round_bsa(exact, decimals).scaleb(decimals))]


@pytest.mark.parametrize(("value", "expected"), [
    (68.0805, "68.0805"), (70.0, "70"), (1e-7, "1E-7"), (1234567.0, "1234567")])
def test_shortest_decimal(value: float, expected: str) -> None:
    # The number a person typed, not the binary float (68.0805 is 68.08049999... in binary).
    assert shortest_decimal(value) == Decimal(expected)
    assert str(shortest_decimal(value)) == expected


# Floats are read as written ------------------------------------------------------------------
#
# Hand-computed, Mosteller sqrt(H x W / 3600): 157.5 x 34.3 = 5402.25 and 5402.25 / 3600 =
# 1.500625 = 1.225², so the BSA is 1.225 m² exactly, 1.23 rounded half up to 2 decimals; the
# binary expansions (157.5 is exact in binary, 34.3 is 34.29999999999999715...) give
# 1.22499999... and 1.22. 168.1 x 72.9 = 12254.49 = 110.7², / 3600: 1.845 exactly -> 1.85.
# 175.3 and 70.1: the same BSA as Decimal("175.3") and Decimal("70.1"), every formula.

@pytest.mark.parametrize(("height", "weight", "exact", "rounded"), [
    (157.5, 34.3, "1.225", "1.23"),
    (168.1, 72.9, "1.845", "1.85"),
    (170, 75.0, None, "1.88"),
])
def test_floats_are_read_as_written(height: float, weight: float, exact: str | None,
                                    rounded: str) -> None:
    value = bsa(height, weight, BSAFormula.MOSTELLER)
    if exact is not None:
        assert value == Decimal(exact)
    assert round_bsa(value, 2) == Decimal(rounded)


@pytest.mark.parametrize("formula", list(BSAFormula))
def test_a_float_gives_the_bsa_of_its_decimal_text(formula: BSAFormula) -> None:
    assert bsa(175.3, 70.1, formula) == bsa(Decimal("175.3"), Decimal("70.1"), formula)
    assert bsa(175.3, 70.1, formula) == bsa("175.3", "70.1", formula)


@given(height=st.decimals(min_value=Decimal("40"), max_value=Decimal("230"), places=1),
       weight=st.decimals(min_value=Decimal("2"), max_value=Decimal("250"), places=1))
def test_float_and_decimal_of_the_same_written_number_agree(height: Decimal,
                                                            weight: Decimal) -> None:
    """Invariant: a number written with one decimal gives the same BSA as a float."""
    for formula in BSAFormula:
        assert bsa(float(height), float(weight), formula) == bsa(height, weight, formula)


@pytest.mark.parametrize(("height", "weight", "formula", "error", "message"), [
    (True, 70, BSAFormula.MOSTELLER, QuantityTypeError, "height_cm is a number (Decimal)"),
    (170, None, BSAFormula.MOSTELLER, QuantityTypeError, "weight_kg is a number (Decimal)"),
    (float("nan"), 70, BSAFormula.MOSTELLER, QuantityError, "height_cm is not a finite number"),
    (170, float("inf"), BSAFormula.MOSTELLER, QuantityError,
     "weight_kg is not a finite number"),
    ("170 cm", 70, BSAFormula.MOSTELLER, QuantityError, "height_cm is not a finite number"),
    (0.0, 70, BSAFormula.MOSTELLER, QuantityError, "height and weight must be positive"),
    (170, 70, "mosteler", QuantityError, "unknown formula; allowed: mosteller"),
])
def test_what_bsa_refuses_is_what_its_docstring_says(height: object, weight: object,
                                                     formula: object, error: type,
                                                     message: str) -> None:
    with pytest.raises(error) as caught:
        bsa(height, weight, formula)  # type: ignore[arg-type]
    assert str(caught.value).startswith(message)
    assert type(caught.value) is error
    doc = bsa.__doc__ or ""
    assert error.__name__ in doc
