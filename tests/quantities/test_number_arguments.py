"""One rule for numbers given to the public quantities API.

Where a public function or constructor of :mod:`regimens.quantities` takes a number, a
``Decimal`` is taken as it is, an ``int`` exactly and a ``float`` as it was written (its
shortest decimal text, as :func:`regimens.bsa` and the batch API read floats); anything
else is refused at the boundary with :class:`QuantityTypeError` naming the argument, the
value and what is allowed. Where it takes a whole number (days, minutes, months,
decimals), a float is refused the same way. Before: ``Amount(0.1, unit("mg"))`` kept the
float and failed later; ``calvert(5, 57.1)`` raised a plain TypeError; a ``sex`` given
as the text "female" was read as male.

Every expectation is computed by hand in the comment beside it; a float is chosen where
its binary value would give another answer than the number written.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import regimens
import regimens.quantities as q
from regimens import QuantityError, QuantityTypeError
from regimens.quantities import (
    Amount,
    Dimension,
    Duration,
    Elapsed,
    Months,
    Sex,
    StudyDay,
    StudyDays,
    Unit,
    adjusted_weight,
    body_mass_index,
    bsa,
    calvert,
    cockcroft_gault,
    cumulative_decimal,
    cumulative_share,
    devine_ideal_weight,
    half_up,
    human_number,
    normal,
    plain,
    round_bsa,
    shortest_decimal,
    shown_beside,
    unit,
)

MG = unit("mg")
ALLOWED = "a Decimal, an int or a float (a float is read as written, 0.1 as 0.1)"

# (case id, call with floats, expected exactly, by hand)
FLOATS_READ_AS_WRITTEN: list[tuple[str, Callable[[], object], object]] = [
    # 0.1 as written, not 0.1000000000000000055511151231257827...
    ("Amount.magnitude", lambda: Amount(0.1, MG).magnitude, Decimal("0.1")),
    ("Amount.magnitude int", lambda: Amount(250, MG).magnitude, Decimal(250)),
    ("Unit.factor", lambda: Unit("mcg", Dimension.MASS, 0.001).factor, Decimal("0.001")),
    # 5 x (57.1 + 25) = 5 x 82.1 = 410.5
    ("calvert", lambda: calvert(5, 57.1), Decimal("410.5")),
    # 4.5 x (100.2 + 25) = 4.5 x 125.2 = 563.4
    ("calvert auc", lambda: calvert(4.5, 100.2), Decimal("563.4")),
    # (140 - 68) x 72.0 / (72 x 0.8) = 72 / 0.8 = 90 (binary 0.8 gives 89.99999...)
    ("cockcroft_gault", lambda: cockcroft_gault(68, 72.0, 0.8, 1, Sex.MALE), Decimal(90)),
    # (140 - 60) x 63 / (72 x 0.7) x 0.85 = 5040 / 50.4 x 0.85 = 100 x 0.85 = 85
    ("cockcroft_gault female text",
     lambda: cockcroft_gault(60.0, 63.0, 0.7, 1.0, "female"), Decimal(85)),
    # 97.24 µmol/L / 88.4 = 1.1 mg/dL: (140 - 52) x 66 / (72 x 1.1) = 5808 / 79.2 = 73.3...;
    # 5808 / 79.2 = 58080 / 792 = 73 + 264/792 = 73 + 1/3
    ("cockcroft_gault µmol/L",
     lambda: cockcroft_gault(52, 66, 97.24, 88.4, Sex.MALE).quantize(Decimal("0.0001")),
     Decimal("73.3333")),
    # 175.26 cm / 2.54 = 69 in; 50 + 2.3 x (69 - 60) = 50 + 20.7 = 70.7
    ("devine_ideal_weight", lambda: devine_ideal_weight(175.26, Sex.MALE), Decimal("70.7")),
    # 45.5 + 2.3 x 9 = 66.2
    ("devine_ideal_weight female text",
     lambda: devine_ideal_weight(175.26, "female"), Decimal("66.2")),
    # 70.5 + 0.4 x (90.5 - 70.5) = 70.5 + 8 = 78.5
    ("adjusted_weight", lambda: adjusted_weight(90.5, 70.5), Decimal("78.5")),
    # 72.9 / 1.8^2 = 72.9 / 3.24 = 22.5
    ("body_mass_index", lambda: body_mass_index(72.9, 180.0), Decimal("22.5")),
    # sqrt(157.5 x 34.3 / 3600) = sqrt(1.500625) = 1.225
    ("bsa", lambda: bsa(157.5, 34.3, "mosteller"), Decimal("1.225")),
    # 1.225 half up to 2 decimals: 1.23 (the binary 1.22499999... gave 1.22)
    ("round_bsa", lambda: round_bsa(1.225, 2), Decimal("1.23")),
    # 0.1 / 1.5 = 1/15 exactly (the binary 0.1 is 3602879701896397/36028797018963968)
    ("cumulative_share", lambda: cumulative_share(0.1, 1.5), Fraction(1, 15)),
    ("cumulative_share flat", lambda: cumulative_share(0.3), Fraction(3, 10)),
    ("cumulative_decimal", lambda: cumulative_decimal(0.1), Decimal("0.1")),
    ("cumulative_decimal Fraction", lambda: cumulative_decimal(Fraction(1, 8)),
     Decimal("0.125")),
    ("normal", lambda: normal(2.50), Decimal("2.5")),
    ("normal int", lambda: normal(1000), Decimal(1000)),
    # 0.1 + 0.2 is the float 0.30000000000000004: its shortest text is that, not 0.3
    ("plain", lambda: plain(0.1 + 0.2), "0.30000000000000004"),
    ("plain float", lambda: plain(0.1), "0.1"),
    ("human_number", lambda: human_number(1234.5), "1,234.5"),
    # 2.675 half up to 2 decimals: 2.68 (the binary 2.67499999... gives 2.67)
    ("half_up", lambda: half_up(2.675, 2), Decimal("2.68")),
    # 400.004 beside 400: 400.00 would read as 400, so 400.004
    ("shown_beside", lambda: shown_beside(400.004, 400), Decimal("400.004")),
    # 2.674 beside 2.67 (as written): 2.67 at 2 decimals reads as the bound, so 2.674 (the
    # binary 2.66999... would be no bound to 2.67)
    ("shown_beside bound", lambda: shown_beside(Decimal("2.674"), 2.67), Decimal("2.674")),
    ("shortest_decimal", lambda: shortest_decimal(68.0805), Decimal("68.0805")),
    # a Decimal is already exact: never read through a float (0.1000...0001 stays)
    ("shortest_decimal Decimal",
     lambda: shortest_decimal(Decimal("0.10000000000000000000001")),  # type: ignore[arg-type]
     Decimal("0.10000000000000000000001")),
]


@pytest.mark.parametrize(("call", "expected"),
                         [pytest.param(c, e, id=i) for i, c, e in FLOATS_READ_AS_WRITTEN])
def test_a_float_is_read_as_written(call: Callable[[], object], expected: object) -> None:
    got = call()
    assert got == expected
    assert type(got) is type(expected)


def test_an_amount_of_a_float_is_the_amount_of_its_text() -> None:
    # It kept the float: equal to nothing written, and str() failed.
    amount = Amount(0.1, MG)
    assert amount == Amount(Decimal("0.1"), MG)
    assert str(amount) == "0.1 mg"
    assert amount.to(unit("mcg")) == Amount(Decimal(100), unit("mcg"))


# (case id, call with the bad value, argument named, the bad value)
NOT_NUMBERS: list[tuple[str, Callable[[object], object], str]] = [
    ("Amount", lambda v: Amount(v, MG), "magnitude"),  # type: ignore[arg-type]
    ("Unit", lambda v: Unit("x", Dimension.MASS, v), "factor"),  # type: ignore[arg-type]
    ("calvert auc", lambda v: calvert(v, 60), "auc"),  # type: ignore[arg-type]
    ("calvert gfr", lambda v: calvert(5, v), "gfr_ml_min"),  # type: ignore[arg-type]
    ("cockcroft_gault age",
     lambda v: cockcroft_gault(v, 70, 1, 1, Sex.MALE), "age_years"),  # type: ignore[arg-type]
    ("cockcroft_gault weight",
     lambda v: cockcroft_gault(60, v, 1, 1, Sex.MALE), "weight_kg"),  # type: ignore[arg-type]
    ("cockcroft_gault creatinine",
     lambda v: cockcroft_gault(60, 70, v, 1, Sex.MALE), "creatinine"),  # type: ignore[arg-type]
    ("cockcroft_gault factor",
     lambda v: cockcroft_gault(60, 70, 1, v, Sex.MALE),  # type: ignore[arg-type]
     "creatinine_factor"),
    ("devine_ideal_weight",
     lambda v: devine_ideal_weight(v, Sex.MALE), "height_cm"),  # type: ignore[arg-type]
    ("adjusted_weight actual", lambda v: adjusted_weight(v, 60), "actual_kg"),  # type: ignore[arg-type]
    ("adjusted_weight ideal", lambda v: adjusted_weight(80, v), "ideal_kg"),  # type: ignore[arg-type]
    ("body_mass_index weight", lambda v: body_mass_index(v, 170), "weight_kg"),  # type: ignore[arg-type]
    ("body_mass_index height", lambda v: body_mass_index(70, v), "height_cm"),  # type: ignore[arg-type]
    ("round_bsa", lambda v: round_bsa(v, 2), "exact"),  # type: ignore[arg-type]
    ("cumulative_share amount", lambda v: cumulative_share(v), "amount"),  # type: ignore[arg-type]
    ("cumulative_share size", lambda v: cumulative_share(100, v), "size"),  # type: ignore[arg-type]
    ("cumulative_decimal", lambda v: cumulative_decimal(v), "total"),  # type: ignore[arg-type]
    ("normal", lambda v: normal(v), "value"),  # type: ignore[arg-type]
    ("plain", lambda v: plain(v), "value"),  # type: ignore[arg-type]
    ("human_number", lambda v: human_number(v), "value"),  # type: ignore[arg-type]
    ("half_up", lambda v: half_up(v, 2), "value"),  # type: ignore[arg-type]
    ("shown_beside value", lambda v: shown_beside(v, 1), "value"),  # type: ignore[arg-type]
    ("shown_beside bound", lambda v: shown_beside(1, v), "bound"),  # type: ignore[arg-type]
]
BAD_VALUES = [pytest.param("0.1", id="text"), pytest.param(None, id="None"),
              pytest.param(True, id="bool"), pytest.param([1], id="list")]


@pytest.mark.parametrize(("call", "argument", "value"), [
    pytest.param(c, a, v.values[0], id=f"{i}-{v.id}") for i, c, a in NOT_NUMBERS
    for v in BAD_VALUES
    if not (i == "cumulative_share size" and v.values[0] is None)  # None: a flat limit
])
def test_what_is_not_a_number_is_refused_naming_the_argument(
        call: Callable[[object], object], argument: str, value: object) -> None:
    with pytest.raises(QuantityTypeError) as caught:
        call(value)
    assert isinstance(caught.value, TypeError)
    assert caught.value.value is value
    assert str(caught.value) == f"{argument} must be a number: {ALLOWED} (got {value!r})"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
@pytest.mark.parametrize(("call", "argument"),
                         [pytest.param(c, a, id=i) for i, c, a in NOT_NUMBERS])
def test_a_float_that_is_not_finite_is_refused(
        call: Callable[[object], object], argument: str, value: float) -> None:
    with pytest.raises(QuantityError) as caught:
        call(value)
    assert not isinstance(caught.value, QuantityTypeError)
    assert str(caught.value) == f"{argument} must be a finite number (got {value!r})"


# Whole numbers: a float (even 3.0) is refused, as it always was for days; now also for
# the BSA's decimals and the study-day cache's bound.
WHOLE_NUMBERS: list[tuple[str, Callable[[object], object], str]] = [
    ("StudyDay", lambda v: StudyDay(v), "a study day is an int"),  # type: ignore[arg-type]
    ("Duration", lambda v: Duration(v),  # type: ignore[arg-type]
     "a duration is a whole number of days, an int"),
    ("Months", lambda v: Months(v),  # type: ignore[arg-type]
     "a whole number of calendar months, an int"),
    ("round_bsa decimals", lambda v: round_bsa(Decimal("1.5"), v),  # type: ignore[arg-type]
     "decimals must be a whole number of decimals, an int"),
    ("half_up places", lambda v: half_up(Decimal("1.5"), v),  # type: ignore[arg-type]
     "places must be a whole number of decimals, an int"),
    ("shown_beside places", lambda v: shown_beside(1, 2, v),  # type: ignore[arg-type]
     "places must be a whole number of decimals, an int"),
    ("StudyDays bound", lambda v: StudyDays(bound=v),  # type: ignore[arg-type]
     "bound must be a whole number of days, an int, or None"),
]


@pytest.mark.parametrize("value", [3.0, 3.5, "3", True])
@pytest.mark.parametrize(("call", "reason"),
                         [pytest.param(c, r, id=i) for i, c, r in WHOLE_NUMBERS])
def test_a_whole_number_argument_refuses_a_float(
        call: Callable[[object], object], reason: str, value: object) -> None:
    with pytest.raises(QuantityTypeError) as caught:
        call(value)
    assert str(caught.value) == f"{reason} (got {value!r})"


@pytest.mark.parametrize("value", [30.0, "30", True])
def test_elapsed_minutes_refuse_a_float(value: object) -> None:
    with pytest.raises(QuantityTypeError) as caught:
        Elapsed(value)  # type: ignore[arg-type]
    assert caught.value.value is value


@pytest.mark.parametrize(("value", "error", "message"), [
    # The formulas test `sex is Sex.FEMALE`: "woman" or None was read as male.
    ("woman", QuantityError, "sex must be female or male (got 'woman')"),
    (None, QuantityTypeError, "sex must be a Sex (Sex.FEMALE, Sex.MALE) or its name, female "
     "or male (got None)"),
    (0, QuantityTypeError, "sex must be a Sex (Sex.FEMALE, Sex.MALE) or its name, female "
     "or male (got 0)"),
])
@pytest.mark.parametrize("call", [
    pytest.param(lambda s: cockcroft_gault(60, 70, 1, 1, s), id="cockcroft_gault"),
    pytest.param(lambda s: devine_ideal_weight(170, s), id="devine_ideal_weight"),
])
def test_a_sex_that_is_not_female_or_male_is_refused(
        call: Callable[[object], object], value: object, error: type[Exception],
        message: str) -> None:
    with pytest.raises(error) as caught:
        call(value)
    assert str(caught.value) == message


@pytest.mark.parametrize("value", ["68.0805", None, True])
def test_shortest_decimal_refuses_what_is_not_a_real_number(value: object) -> None:
    with pytest.raises(QuantityTypeError) as caught:
        shortest_decimal(value)  # type: ignore[arg-type]
    assert str(caught.value) == f"value must be a float (or another real number) (got {value!r})"


# Parameters that take a number but are not in the tables above, and why.
NOT_IN_THE_TABLES = {
    # NumPy arrays of float64 by design (the batch API's fast path); checked there.
    ("bsa_float", "height_cm"), ("bsa_float", "weight_kg"),
    ("rounded_bsa", "height_cm"), ("rounded_bsa", "weight_kg"), ("rounded_bsa", "decimals"),
    # bsa's own refusals table is in tests/quantities/test_bsa.py (it also takes text).
    ("bsa", "height_cm"), ("bsa", "weight_kg"),
    # A count of things in a message, given by the library itself.
    ("counted", "n"),
    # Records whose numbers come from the types above.
    ("VialCombination", "vials"),
}
COVERED = {
    ("Amount", "magnitude"), ("Unit", "factor"), ("calvert", "auc"), ("calvert", "gfr_ml_min"),
    ("cockcroft_gault", "age_years"), ("cockcroft_gault", "weight_kg"),
    ("cockcroft_gault", "creatinine"), ("cockcroft_gault", "creatinine_factor"),
    ("devine_ideal_weight", "height_cm"), ("adjusted_weight", "actual_kg"),
    ("adjusted_weight", "ideal_kg"), ("body_mass_index", "weight_kg"),
    ("body_mass_index", "height_cm"), ("round_bsa", "exact"), ("round_bsa", "decimals"),
    ("cumulative_share", "amount"), ("cumulative_share", "size"),
    ("cumulative_decimal", "total"), ("normal", "value"), ("plain", "value"),
    ("human_number", "value"), ("shortest_decimal", "value"), ("StudyDay", "value"),
    ("Duration", "days"), ("Months", "months"), ("Elapsed", "minutes"),
    ("StudyDays", "bound"), ("half_up", "value"), ("half_up", "places"),
    ("shown_beside", "value"), ("shown_beside", "bound"), ("shown_beside", "places"),
}


def test_every_public_number_argument_is_in_a_table() -> None:
    # A new public function taking a number must join a table (or say here why not).
    found = set()
    for name in q.__all__:
        obj = getattr(q, name)
        if not callable(obj):
            continue
        try:
            signature = inspect.signature(obj)
        except (TypeError, ValueError):
            continue
        for parameter in signature.parameters.values():
            annotation = str(parameter.annotation)
            if any(t in annotation.replace("Interval", "") for t in
                   ("Decimal", "int", "float", "Fraction")) or (
                    annotation == "Any" and parameter.name != "np"):
                found.add((name, parameter.name))
    assert found == COVERED | NOT_IN_THE_TABLES
    # what regimens re-exports of quantities is the same objects
    for name in set(regimens.__all__) & set(q.__all__):
        assert getattr(regimens, name) is getattr(q, name)


# Numbers as a person writes them: up to 15 significant digits, so that the float read back
# by its shortest text is the number written (IEEE doubles keep 15 digits).
written = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("9999"), places=3,
                      allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(first=written, second=written)
def test_a_float_and_the_decimal_it_was_written_as_agree(first: Decimal,
                                                         second: Decimal) -> None:
    # Whatever the numbers, the float path is the Decimal path of the same text.
    f, s = float(first), float(second)
    assert Amount(f, MG) == Amount(first, MG)
    assert calvert(f, s) == calvert(first, second)
    assert adjusted_weight(f, s) == adjusted_weight(first, second)
    assert body_mass_index(f, s) == body_mass_index(first, second)
    assert cumulative_share(f, s) == cumulative_share(first, second)
    assert normal(f) == normal(first)


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"),
                                   Decimal("-Infinity")])
@pytest.mark.parametrize(("call", "argument"),
                         [pytest.param(c, a, id=i) for i, c, a in NOT_NUMBERS])
def test_a_decimal_that_is_not_finite_is_refused(
        call: Callable[[object], object], argument: str, value: Decimal) -> None:
    # Amount(Decimal("NaN"), mg) was kept (a dose of NaN mg), calvert gave NaN mg and
    # cumulative_share raised a plain ValueError from Fraction: the same QuantityError as
    # a float NaN now, naming the argument and the value.
    with pytest.raises(QuantityError) as caught:
        call(value)
    assert not isinstance(caught.value, QuantityTypeError)
    assert str(caught.value) == f"{argument} must be a finite number (got {value!r})"


# Ints are exact: never read through a float (a float keeps 53 bits, about 16 digits).
INTS_READ_EXACTLY: list[tuple[str, Callable[[object], object], Decimal]] = [
    # 10**17 + 1 as a float is 1E+17: the 1 was lost
    ("shortest_decimal", lambda v: shortest_decimal(v), Decimal(10**17 + 1)),  # type: ignore[arg-type]
    ("normal", lambda v: normal(v), Decimal(10**17 + 1)),  # type: ignore[arg-type]
    ("Amount", lambda v: Amount(v, MG).magnitude, Decimal(10**17 + 1)),  # type: ignore[arg-type]
    # 5 x (10**17 + 1 + 25) = 500000000000000130
    ("calvert", lambda v: calvert(5, v), Decimal(500000000000000130)),  # type: ignore[arg-type]
    ("cumulative_share", lambda v: Decimal(cumulative_share(v).numerator),  # type: ignore[arg-type]
     Decimal(10**17 + 1)),
]


@pytest.mark.parametrize("numpy_int", [False, True], ids=["int", "numpy.int64"])
@pytest.mark.parametrize(("call", "expected"),
                         [pytest.param(c, e, id=i) for i, c, e in INTS_READ_EXACTLY])
def test_an_int_is_read_exactly_never_through_a_float(
        call: Callable[[object], object], expected: Decimal, numpy_int: bool) -> None:
    value: object = 10**17 + 1
    if numpy_int:
        np = pytest.importorskip("numpy")
        value = np.int64(10**17 + 1)
    got = call(value)
    assert got == expected
    assert type(got) is Decimal


def test_shortest_decimal_of_a_numpy_int_beyond_a_float() -> None:
    np = pytest.importorskip("numpy")
    # 2**53 + 1 = 9007199254740993: the first int a float64 cannot hold (it reads ...992)
    assert str(shortest_decimal(np.int64(2**53 + 1))) == "9007199254740993"
    assert str(shortest_decimal(2**53 + 1)) == "9007199254740993"


def test_shortest_decimal_refuses_a_fraction_as_every_number_argument_does() -> None:
    # It read Fraction(1, 3) as 0.3333333333333333 (a 16-digit guess) while
    # decimal_argument (calvert, Amount, ...) refuses a Fraction.
    with pytest.raises(QuantityTypeError) as caught:
        shortest_decimal(Fraction(1, 3))  # type: ignore[arg-type]
    assert str(caught.value) == ("value must be a float, an int or a Decimal, not a Fraction "
                                 "(1/3 has no decimal to be read as) (got Fraction(1, 3))")
    with pytest.raises(QuantityTypeError):
        calvert(Fraction(1, 3), 60)  # type: ignore[arg-type]


@pytest.mark.parametrize("decimals", [0, -1, 7, 40])
def test_round_bsa_refuses_decimals_outside_1_to_6(decimals: int) -> None:
    # round_bsa(1.8, 0) gave 2 m², -1 gave 0 m² (tens of m²), 40 was taken: the documented
    # range is 1 to 6, as expand's bsa_decimals.
    with pytest.raises(QuantityError) as caught:
        round_bsa(Decimal("1.8"), decimals)
    assert not isinstance(caught.value, QuantityTypeError)
    assert str(caught.value) == f"decimals must be a whole number from 1 to 6 (got {decimals})"


@pytest.mark.parametrize(("decimals", "expected"), [
    # 1.2345675 half up: 1 -> 1.2, 6 -> 1.234568 (the ends of the range are allowed)
    (1, "1.2"), (6, "1.234568")])
def test_round_bsa_takes_decimals_1_and_6(decimals: int, expected: str) -> None:
    assert round_bsa(Decimal("1.2345675"), decimals) == Decimal(expected)
