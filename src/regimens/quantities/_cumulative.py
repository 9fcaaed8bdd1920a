"""Cumulative doses against a ``max_cumulative``, added up exactly.

A per-m² (per-kg) limit adds up each dose divided by the BSA (weight) it was computed
from. Those quotients rarely end (100 mg over 1.7 m²), and a sum of quotients each
rounded at the 100th digit can land a hair above a limit the plan meets exactly
(six doses of 100 mg over 1.5 m² are 400 mg per m², not 400.000...0001). So the total is
kept as an exact fraction and compared with the limit exactly; it becomes a decimal
only to be shown or stored (:func:`cumulative_decimal`). One place for this arithmetic,
used by ``check`` (:mod:`regimens.engine`) and by the replay, ``expand`` and the batch
API (:func:`regimens.record.cumulative_flags`).
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal, localcontext
from fractions import Fraction

from ._exact import EXACT
from ._numbers import decimal_argument, normal

__all__ = ["cumulative_decimal", "cumulative_share"]


def cumulative_share(amount: Decimal | int | float,
                     size: Decimal | int | float | None = None) -> Fraction:
    """What one dose of ``amount`` (in the limit's unit) adds to a cumulative total,
    exactly: ``amount`` over ``size`` (the BSA in m² for a per-m² limit, the weight in kg
    for a per-kg one), or ``amount`` itself when ``size`` is None (a flat limit).
    Numbers: a Decimal, an int or a float (read as written, its shortest decimal text:
    ``0.1`` is 1/10, not the float's binary fraction).

    Raises:
        ZeroDivisionError: ``size`` is zero (a body size is checked positive before).
        QuantityTypeError: (also a ``TypeError``) ``amount`` or ``size`` is not a
            Decimal, an int or a float; the message names the argument.
        QuantityError: (also a ``ValueError``) a float or a Decimal that is not finite.
    """
    if type(amount) is not Decimal or not amount.is_finite():
        amount = decimal_argument(amount, "amount", "cumulative dose")
    if size is not None and (type(size) is not Decimal or not size.is_finite()):
        size = decimal_argument(size, "size", "cumulative dose")
    share = Fraction(amount)
    return share if size is None else share / Fraction(size)


def cumulative_decimal(total: Fraction | Decimal | int | float) -> Decimal:
    """``total`` as a decimal: exact when it ends within 100 significant digits, else
    rounded up at the 100th (never down). So for any limit written with at most 100
    significant digits, ``cumulative_decimal(total) > limit`` exactly when
    ``total > limit``: a total just above its limit never reads as equal to it. Shown
    totals are rounded further, to 2 decimals, for display only.

    ``total``: a Fraction (a sum of :func:`cumulative_share` results), or a Decimal, an
    int or a float (read as written, its shortest decimal text).

    Raises:
        QuantityTypeError: (also a ``TypeError``) ``total`` is none of those; the message
            names it.
        QuantityError: (also a ``ValueError``) a float or a Decimal that is not finite.
    """
    if not isinstance(total, Fraction):
        total = Fraction(decimal_argument(total, "total", "cumulative dose"))
    with localcontext(EXACT) as ctx:
        ctx.rounding = ROUND_CEILING
        return normal(Decimal(total.numerator) / Decimal(total.denominator))
