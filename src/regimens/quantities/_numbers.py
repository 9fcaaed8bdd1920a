"""Decimals as people read them: no trailing zeros, no exponent, floats as they were
written."""

from __future__ import annotations

from decimal import Decimal

from ._exact import exactly

__all__ = [
    "normal",
    "plain",
    "shortest_decimal",
]


@exactly
def normal(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent form (``1E+6`` -> ``1000000``)."""
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
    text ``"68.0805 kg"`` means to :func:`parse_measure`.
    """
    exact = Decimal(repr(float(value)))
    return normal(exact) if exact.is_finite() else exact  # NaN, inf: left for the caller


@exactly
def plain(value: Decimal) -> str:
    """A decimal in plain positional notation, no exponent, no trailing zeros."""
    return format(normal(value), "f")
