"""The float rule of :mod:`regimens.quantities` for record/'s public functions and value
objects: a number given as a ``float`` is read as it was written (its shortest decimal
text: ``1.1`` is 1.1, never the binary 1.100000000000000088...), an ``int`` exactly, a
``Decimal`` as it is; anything else is refused with
:class:`~regimens.errors.QuantityTypeError` naming the argument (docs/api.md, "Numbers
given to the quantities API")."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ..quantities import decimal_argument

__all__ = ["exact_number", "number_fields"]


def exact_number(value: object, argument: str, what: str) -> Fraction:
    """``value`` as an exact fraction: a ``Fraction`` as it is, a Decimal, int or float by
    the quantities rule (:func:`~regimens.quantities.decimal_argument`).

    Raises:
        QuantityTypeError: ``value`` is not a number.
        QuantityError: a float that is not finite.
    """
    if type(value) is Fraction:
        return value
    return Fraction(decimal_argument(value, argument, what))


def number_fields(instance: object, what: str, *names: str) -> None:
    """Read each field ``names`` of the frozen dataclass ``instance`` (None left as it is)
    by the quantities rule, in place: a float becomes the Decimal it was written as.

    Raises:
        QuantityTypeError: a field that is not a number (nor None), naming it.
        QuantityError: a float that is not finite.
    """
    for name in names:
        value = getattr(instance, name)
        if value is not None and type(value) is not Decimal:
            object.__setattr__(instance, name, decimal_argument(value, name, what))
