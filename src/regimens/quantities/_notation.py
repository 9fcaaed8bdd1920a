"""Safe medication notation for every text a person reads.

Rules (ISMP list of error-prone abbreviations; The Joint Commission "Do Not
Use" list): no "IU", "U" or "MIU" (international units are written
"units"; a million is written out: "1 million units"); no trailing zeros
("1 mg", not "1.0 mg"); a leading zero ("0.5 mg", not ".5 mg"); commas in
numbers of 1,000 and above; a space between number and unit; no scientific
notation; "per" rather than a slash; routes written out.

>>> from ._units import Amount, unit
>>> human_amount(Amount(Decimal("2"), unit("MIU")))
'2 million units'
>>> human_amount(Amount(Decimal("368000"), unit("IU")))
'368,000 units'
>>> human_amount(Amount(Decimal("0.5"), unit("mg")))
'0.5 mg'
>>> human_amount(Amount(Decimal("70000000"), unit("cells")))
'70 million cells'
"""

from __future__ import annotations

from decimal import Decimal

from ._exact import exactly
from ._numbers import normal
from ._units import FORM_PLURALS, Amount, Basis, Dimension, DoseQuantity, unit

__all__ = ["counted", "human_amount", "human_dose_quantity", "human_number", "human_route",
           "printable"]

_MILLION = Decimal(10**6)
_BILLION = Decimal(10**9)

_ROUTES = {
    "sc": "subcutaneous",
    "sq": "subcutaneous",
    "subcut": "subcutaneous",
    "iv": "intravenous",
    "po": "oral",
    "by mouth": "oral",
    "im": "intramuscular",
    "it": "intrathecal",
}


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun in agreement: ``1 administration``, ``0 visits``, ``2 cycles``.

    ``plural`` defaults to the noun with an ``s``.
    """
    return f"{n} {noun}" if n == 1 else f"{n} {plural or noun + 's'}"


@exactly
def human_number(value: Decimal | int | float) -> str:
    """Plain digits, thousands grouped with commas, no trailing zeros, leading zero.

    >>> human_number(Decimal("1234567.50"))
    '1,234,567.5'
    >>> human_number(Decimal("1E+3"))
    '1,000'

    Raises:
        QuantityTypeError, QuantityError: as :func:`normal` (a float is read as written).
    """
    value = normal(value)
    sign = "-" if value < 0 else ""
    text = format(abs(value), "f")
    whole, _, fraction = text.partition(".")
    grouped = f"{int(whole):,}"
    return sign + grouped + (f".{fraction}" if fraction else "")


@exactly
def _words(value: Decimal, noun: str) -> str:
    # Numerals with whole words for large counts, but only where exact.
    for size, word in ((_BILLION, "billion"), (_MILLION, "million")):
        if value >= size:
            scaled = normal(value / size)
            if -scaled.as_tuple().exponent <= 3:  # type: ignore[operator]
                return f"{human_number(scaled)} {word} {noun}"
    return f"{human_number(value)} {noun}"


@exactly
def human_amount(amount: Amount) -> str:
    """An amount as a person should read it."""
    dimension = amount.unit.dimension
    if dimension is Dimension.ACTIVITY:
        if amount.unit.symbol == "mIU":
            # Thousandths of a unit stay thousandths: never scaled into "units".
            noun = "thousandth" if amount.magnitude == 1 else "thousandths"
            return f"{human_number(amount.magnitude)} {noun} of a unit"
        value = amount.to(unit("IU")).magnitude
        return _words(value, "unit" if value == 1 else "units")
    if dimension is Dimension.CELLS:
        return _words(amount.magnitude, "cell" if amount.magnitude == 1 else "cells")
    if dimension is Dimension.USP:
        # Always "USP units": never shortened to "units", which people read as
        # international units (bleomycin's USP unit is about 1,000 international units).
        return _words(amount.magnitude, "USP unit" if amount.magnitude == 1 else "USP units")
    if dimension.form:
        # "1 tablet", "2 tablets", "0.5 tablets": the noun agrees, as "units" do.
        symbol = amount.unit.symbol
        noun = symbol if amount.magnitude == 1 else FORM_PLURALS[symbol]
        return f"{human_number(amount.magnitude)} {noun}"
    return f"{human_number(amount.magnitude)} {amount.unit.symbol}"


def human_dose_quantity(dose: DoseQuantity) -> str:
    """``'2e5 IU/m2'`` -> ``'200,000 units per m²'``; a target AUC is ``'AUC 5'``."""
    if dose.basis is Basis.AUC:
        return f"AUC {human_number(dose.amount.magnitude)}"
    suffix = {Basis.FLAT: "", Basis.PER_KG: " per kg", Basis.PER_M2: " per m²"}[dose.basis]
    return human_amount(dose.amount) + suffix


def human_route(route: str) -> str:
    """Routes written out: ``'SC'`` -> ``'subcutaneous'``."""
    return _ROUTES.get(route.strip().lower(), route)


def printable(text: str) -> str:
    r"""``text`` with every control, format or separator character escaped (``\x1b``).

    Messages quote what people and files wrote: a file name, a UID or an error
    from a ``--previous`` calendar. An escape sequence in them (ESC [ 2 J clears
    the screen) or a bidirectional override must reach the terminal as visible
    text, never as an instruction to it.
    """
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode()
                   for c in text)
