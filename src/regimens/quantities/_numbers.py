"""Decimals as people read them: no trailing zeros, no exponent, floats as they were
written."""

from __future__ import annotations

import numbers
from decimal import ROUND_HALF_UP, Decimal

from ..errors import QuantityError, QuantityTypeError
from ._exact import exactly

__all__ = [
    "decimal_argument",
    "half_up",
    "normal",
    "plain",
    "shortest_decimal",
    "shown_beside",
]

#: What a public function of regimens.quantities takes where it takes a number.
NUMBER_ALLOWED = "a Decimal, an int or a float (a float is read as written, 0.1 as 0.1)"


def decimal_argument(value: object, argument: str, quantity: str) -> Decimal:
    """``value``, an argument of a public function, as an exact Decimal: the one rule of
    the public API for numbers.

    A finite ``Decimal`` is taken as it is, an ``int`` exactly (a NumPy integer too, by
    its value, never through a float: ``10**17 + 1`` stays 100000000000000001), a
    ``float`` as it was written (its shortest decimal text, :func:`shortest_decimal`:
    ``0.1`` is 0.1, not the binary 0.1000000000000000055...), as
    :func:`~regimens.quantities.bsa` and the batch API read floats. ``argument`` names the
    argument in the message, ``quantity`` is the error's ``quantity``.

    Raises:
        QuantityTypeError: (also a ``TypeError``) anything else (a bool, None, text, a
            Fraction): the message names the argument, the value and what is allowed.
        QuantityError: (also a ``ValueError``) a float or a Decimal that is not finite
            (NaN, infinity): the message names the argument and the value.
    """
    if type(value) is Decimal and value.is_finite():  # the common case first
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise QuantityError(quantity, f"{argument} must be a finite number", value)
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float, numbers.Integral)):
        raise QuantityTypeError(quantity, f"{argument} must be a number: {NUMBER_ALLOWED}",
                                value)
    if not isinstance(value, float):
        return Decimal(int(value))  # exact: an int, a NumPy integer (its own value)
    number = shortest_decimal(value)
    if not number.is_finite():
        raise QuantityError(quantity, f"{argument} must be a finite number", value)
    return number


@exactly
def normal(value: Decimal | int | float) -> Decimal:
    """Drop trailing zeros without switching to exponent form (``1E+6`` -> ``1000000``).

    ``value``: a Decimal, an int or a float (read as written, :func:`decimal_argument`).

    Raises:
        QuantityTypeError: (also a ``TypeError``) ``value`` is not a number.
        QuantityError: (also a ``ValueError``) a float or a Decimal that is not finite.
    """
    if type(value) is not Decimal or not value.is_finite():
        value = decimal_argument(value, "value", "number")
    value = value.normalize()
    if value == 0:
        return Decimal(0)
    _sign, _digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if exponent > 0:
        return Decimal(int(value))  # exact, whatever the context's precision
    return value


@exactly
def shortest_decimal(value: float) -> Decimal:
    """A float as a person wrote it: the shortest decimal that reads back as the same float.

    ``shortest_decimal(68.0805) == Decimal("68.0805")`` (not the binary value
    68.08049999...), so the number ``68.0805`` in a NumPy array means what the
    text ``"68.0805 kg"`` means to :func:`parse_measure`. A NumPy float is read alike. An
    ``int`` (a NumPy integer too) is exact already and is read by its value, never through
    a float (``10**17 + 1`` is 100000000000000001, not 1E+17); a ``Decimal`` is returned as
    it is (normalised; NaN and infinity as they are, for the caller to refuse).

    Raises:
        QuantityTypeError: (also a ``TypeError``) ``value`` is not a real number (a bool,
            None, text), or is a ``Fraction`` (refused, as every number argument of
            :mod:`regimens.quantities` refuses it: ``1/3`` has no decimal to be read as).
    """
    if type(value) is not float:
        if isinstance(value, Decimal):
            return normal(value) if value.is_finite() else value
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise QuantityTypeError("number", "value must be a float (or another real "
                                    "number)", value)
        if isinstance(value, numbers.Integral):
            return normal(Decimal(int(value)))
        if isinstance(value, numbers.Rational):
            raise QuantityTypeError("number", "value must be a float, an int or a Decimal, "
                                    "not a Fraction (1/3 has no decimal to be read as)", value)
    exact = Decimal(repr(float(value)))
    return normal(exact) if exact.is_finite() else exact  # NaN, inf: left for the caller


@exactly
def plain(value: Decimal | int | float) -> str:
    """A decimal in plain positional notation, no exponent, no trailing zeros.

    Raises:
        QuantityTypeError, QuantityError: as :func:`normal`.
    """
    return format(normal(value), "f")


@exactly
def half_up(value: Decimal | int | float, places: int) -> Decimal:
    """``value`` rounded half up to ``places`` decimals, trailing zeros dropped, whatever
    the caller's decimal context: the one rounding of every figure a person reads
    (``half_up(Decimal("5.625"), 2) == Decimal("5.63")``, never the half-even 5.62).

    ``value``: a Decimal, an int or a float (read as written, :func:`decimal_argument`);
    ``places``: a whole number of decimals, 0 or more.

    Raises:
        QuantityTypeError: (also a ``TypeError``) ``value`` is not a number, or ``places``
            is not an int.
        QuantityError: (also a ``ValueError``) a float or a Decimal that is not finite, or
            ``places`` below 0.
    """
    if type(value) is not Decimal or not value.is_finite():
        value = decimal_argument(value, "value", "number")
    if isinstance(places, bool) or not isinstance(places, int):
        raise QuantityTypeError("number", "places must be a whole number of decimals, an int",
                                places)
    if places < 0:
        raise QuantityError("number", "places must be 0 or more", places)
    return normal(value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))


@exactly
def shown_beside(value: Decimal | int | float, bound: Decimal | int | float,
                 places: int = 2) -> Decimal:
    """``value`` as a message shows it next to ``bound`` it is compared with: rounded half
    up to ``places`` decimals (:func:`half_up`), with more decimals while the rounded
    figure would read as ``bound`` though ``value`` is not ``bound``. So a message never
    says "400 mg per m², above max_cumulative 400 mg per m²" for 400.004, but 400.004;
    nor "(10% change)" for a change of 9.996% under a threshold of 10%, but 9.996%.

    Raises:
        QuantityTypeError, QuantityError: as :func:`half_up`.
    """
    if type(value) is not Decimal or not value.is_finite():
        value = decimal_argument(value, "value", "number")
    if type(bound) is not Decimal or not bound.is_finite():
        bound = decimal_argument(bound, "bound", "number")
    shown = half_up(value, places)
    while shown == bound and value != bound:
        places += 1
        shown = half_up(value, places)
    return shown
