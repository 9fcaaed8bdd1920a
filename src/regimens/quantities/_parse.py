"""Reading doses and amounts from text (``20 mg``, ``1e6 cells/kg``, ``2e5 IU/m2``,
``AUC 5``) into exact values, and refusing what is not one with the reason."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from ..errors import UnitError
from ._exact import MAX_SIGNIFICANT_DIGITS, exactly
from ._numbers import normal
from ._pint import registry
from ._units import (
    _ALIASES,
    _AMOUNT_UNITS,
    _TRAPS,
    AMOUNT_UNITS_TEXT,
    Amount,
    Basis,
    Dimension,
    DoseQuantity,
    Unit,
    _unknown_unit_reason,
    unit,
)

__all__ = [
    "DOSE_HINT",
    "parse_amount",
    "parse_dose_quantity",
]


DOSE_HINT = (
    f"write a number and a unit ({AMOUNT_UNITS_TEXT}), optionally per kg or per m2, "
    "e.g. '20 mg', '1e6 cells/kg', '2e5 IU/m2'"
)

_NUMBER = (
    r"(?P<num>[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)"
    r"(?:\s*[x×*]\s*10\s*\^\s*(?P<exp>[-+]?[0-9]+))?"  # "1 x 10^6"
)
_QUANTITY = re.compile(rf"\s*(?P<sign>[-+]?)\s*{_NUMBER}\s*(?P<unit>.*?)\s*\Z", re.DOTALL)
_RADIX = re.compile(r"\s*[-+]?\s*(0[xXoObB])[0-9a-fA-F]")
_RADIX_NAMES = {"x": "hexadecimal", "o": "octal", "b": "binary"}
_PER = re.compile(r"\s*(?:/|\bper\b)\s*")
_AREA = re.compile(r"m(?:2|²|\^2|\*\*2|\s*\^\s*2)\Z")


def number_fault(text: str, what: str) -> str | None:
    """What is wrong with the number ``text`` starts with, read as every quantity's number
    is read (a decimal comma, digits of another script, a missing leading zero, a range),
    or None when the number reads (its unit may still be wrong: the caller says). ``what``
    names the quantity in the reason ("measurement has a comma: ...")."""
    try:
        _split(text, what, "")
    except UnitError as exc:
        # A missing unit is the caller's to explain (it knows which units it reads).
        return None if exc.reason.startswith("a bare number") else exc.reason
    return None


@exactly
def _split(text: object, what: str, hint: str) -> tuple[Decimal, str]:
    if isinstance(text, bool) or not isinstance(text, (str, int, Decimal)):
        raise UnitError(text, f"{what} must be text: a number and its unit", hint)
    if not isinstance(text, str):
        raise UnitError(text, f"a bare number is not a {what}: give its unit", hint)
    if "," in text:
        raise UnitError(
            text,
            f"{what} has a comma: write a decimal point and no thousands separators",
            hint,
        )
    digit = next((c for c in text if not c.isascii() and unicodedata.category(c) == "Nd"), None)
    if digit is not None:
        # "７０kg": full-width or other-script digits look like numbers but are not read.
        raise UnitError(text, f"{what} is written with {unicodedata.name(digit, 'a').lower()} "
                        f"({digit!r}): write the digits 0-9", hint)
    radix = _RADIX.match(text)
    if radix:
        raise UnitError(text, f"{what} must be a decimal number: {radix[1]!r} starts "
                        f"{_RADIX_NAMES[radix[1][1].lower()]} notation, which is not read", hint)
    match = _QUANTITY.match(text)
    if not match:
        lowered = text.strip().lower()
        if lowered.lstrip("+- \t").lstrip(".").startswith(("nan", "inf")):
            # YAML's .nan and .inf too: no leading zero makes them numbers (review A).
            raise UnitError(text, f"{what} must be a finite number", hint)
        if lowered.startswith(".") or " ." in lowered:
            raise UnitError(text, f"{what} needs a leading zero before the decimal point", hint)
        if any(word in lowered for word in ("nan", "inf")):
            raise UnitError(text, f"{what} must be a finite number", hint)
        raise UnitError(text, f"{what} must start with a number", hint)
    try:
        magnitude = Decimal(match["num"])
        if match["exp"] is not None:
            magnitude = magnitude.scaleb(int(match["exp"]))
    except InvalidOperation:  # an exponent beyond Decimal's range: "1 x 10^99999999999"
        raise UnitError(text, f"{what} is out of range (1e-12 to 1e15)", hint) from None
    if match["sign"] == "-" and magnitude != 0:
        raise UnitError(text, f"{what} must be greater than zero", hint)
    if magnitude == 0:
        raise UnitError(text, f"{what} must be greater than zero", hint)
    # Far outside any dose or body size: a typing mistake, and beyond exact arithmetic.
    if not -12 <= magnitude.adjusted() <= 15:
        raise UnitError(text, f"{what} is out of range (1e-12 to 1e15)", hint)
    if len(normal(magnitude).as_tuple().digits) > MAX_SIGNIFICANT_DIGITS:
        raise UnitError(text, f"{what} has more than {MAX_SIGNIFICANT_DIGITS} significant "
                        "digits; no dose or measurement is that precise", hint)
    if not match["unit"]:
        raise UnitError(text, f"a bare number is not a {what}: give its unit", hint)
    if match["unit"][0] in "0123456789.":
        # "70.5.1 kg", "1 2 mg": the number itself is malformed, not the unit.
        raise UnitError(text, f"{what} does not start with a single number", hint)
    return normal(magnitude), match["unit"]


def parse_amount(text: object, what: str = "amount") -> Amount:
    """Read an amount such as ``'20 mg'`` or ``'2 MIU'`` (no per-kg or per-m2).

    >>> str(parse_amount("1 x 10^6 cells"))
    '1000000 cells'
    """
    hint = f"write a number and a unit ({AMOUNT_UNITS_TEXT}), e.g. '20 mg' or '2 MIU'"
    magnitude, unit_text = _split(text, what, hint)
    if _PER.search(unit_text):
        raise UnitError(text, f"{what} must be an absolute amount, not per kg or per m2", hint)
    return Amount(magnitude, _amount_unit(text, unit_text, what, hint))


def _amount_unit(text: object, unit_text: str, what: str, hint: str) -> Unit:
    symbol = unit_text.strip()
    symbol = _ALIASES.get(symbol, symbol)
    if symbol in _AMOUNT_UNITS:
        return unit(symbol)
    if symbol in ("kg", "lb", "m", "cm", "m2", "m²"):
        raise UnitError(text, f"{what} is a body measurement, not an amount of drug", hint)
    lowered = symbol.lower()
    if lowered in _TRAPS or any(s.lower() == lowered for s in _AMOUNT_UNITS):
        raise UnitError(text, _unknown_unit_reason(symbol), hint)
    # Ask pint what it is, to say why it does not fit (a rate, a concentration...).
    ureg = registry()
    try:
        parsed = ureg.parse_units(symbol.replace("^", "**"))
    except Exception:
        raise UnitError(text, _unknown_unit_reason(symbol), hint) from None
    dims = dict(ureg.Quantity(1, parsed).dimensionality)
    if dims.get("[time]", 0) < 0:
        reason = f"{what} must be an amount, not a rate ({symbol!r} is per unit of time)"
    else:
        reason = f"{what} must be an amount of drug; {symbol!r} is not one of the dose units"
    raise UnitError(text, reason, hint)


def parse_dose_quantity(text: object) -> DoseQuantity:
    """Read a dose: ``'20 mg'``, ``'1e6 cells/kg'``, ``'2e5 IU/m2'``, ``'375 mg per m2'``.

    >>> str(parse_dose_quantity("2e5 IU/m2"))
    '200000 IU/m2'

    ``'AUC 5'`` (also ``'AUC 5 mg/mL·min'``) is a carboplatin target AUC in mg/mL·min,
    dosed by Calvert's formula: the result has :attr:`Basis.AUC` and an amount in mg.
    """
    if isinstance(text, str) and (auc := _AUC.match(text)) is not None:
        return _auc(text, auc)
    magnitude, unit_text = _split(text, "dose", DOSE_HINT)
    parts = _PER.split(unit_text, maxsplit=1)
    basis = Basis.FLAT
    if len(parts) == 2:
        numerator, denominator = parts[0].strip(), parts[1].strip()
        if denominator == "kg":
            basis = Basis.PER_KG
        elif _AREA.match(denominator):
            basis = Basis.PER_M2
        elif denominator in ("lb", "lbs", "g"):
            raise UnitError(text, f"doses are per kg, not per {denominator}", DOSE_HINT)
        else:
            return _not_a_dose(text, unit_text)
    else:
        numerator = unit_text
    amount = Amount(magnitude, _amount_unit(text, numerator, "dose", DOSE_HINT))
    if amount.unit.dimension.form and basis is not Basis.FLAT:
        # A count of tablets per kg would be a fraction of a tablet for most people.
        raise UnitError(text, f"a dose in {amount.unit.dimension.value} is a count, never per "
                        "kg or per m2", "give the drug a strength ('strength: 500 mg/tablet') "
                        "and write the dose in mg per kg or per m2, rounded with 'round: "
                        "0.5 tablet'")
    if amount.unit.dimension is Dimension.RADIATION and basis is not Basis.FLAT:
        # A radiation dose is absorbed energy per kg of tissue already (1 Gy = 1 J/kg).
        raise UnitError(text, "a radiation dose in Gy is absorbed dose, never per kg or per "
                        "m2", "write e.g. '2 Gy' per fraction")
    return DoseQuantity(amount, basis)


_AUC = re.compile(r"\s*AUC(?![A-Za-z])\s*(?P<rest>.*?)\s*\Z", re.DOTALL)
_AUC_UNIT = re.compile(r"mg\s*/\s*mL\s*[·*.]\s*min|mg\s*[·*.]\s*min\s*/\s*mL")
_AUC_HINT = "write 'AUC' and the target in mg/mL·min, e.g. 'AUC 5' (at most 20)"


@exactly
def _auc(text: str, match: re.Match[str]) -> DoseQuantity:
    rest = match["rest"]
    if "," in rest:
        raise UnitError(text, "the target AUC has a comma: write a decimal point and no "
                        "thousands separators", _AUC_HINT)
    number = re.match(r"[0-9]+(?:\.[0-9]+)?", rest)
    if number is None:
        raise UnitError(text, "an AUC dose must give the target AUC as a number", _AUC_HINT)
    unit_text = rest[number.end():].strip()
    if unit_text and not _AUC_UNIT.fullmatch(unit_text):
        raise UnitError(text, f"a target AUC is in mg/mL·min (got unit {unit_text!r})",
                        _AUC_HINT)
    value = normal(Decimal(number[0]))
    if value == 0:
        raise UnitError(text, "a target AUC must be greater than zero", _AUC_HINT)
    if value > 20 or len(value.as_tuple().digits) > MAX_SIGNIFICANT_DIGITS:
        # Carboplatin targets are 1.5 to about 8 (high-dose regimens ~7 a day): a larger
        # number is a total or a typing mistake, and would give a dose of grams.
        raise UnitError(text, "a target AUC above 20 mg/mL·min is not a carboplatin target",
                        _AUC_HINT)
    return DoseQuantity(Amount(value, unit("mg")), Basis.AUC)


def _not_a_dose(text: object, unit_text: str) -> DoseQuantity:
    ureg = registry()
    try:
        dims = dict(ureg.Quantity(1, ureg.parse_units(unit_text.replace("^", "**"))).dimensionality)
    except Exception:
        dims = {}
    if dims.get("[time]", 0) < 0:
        raise UnitError(
            text,
            f"a dose must be an amount, not a rate ({unit_text.strip()!r} is per unit of time)",
            DOSE_HINT,
        )
    raise UnitError(
        text, f"a dose is an amount, flat or per kg or per m2 (got unit {unit_text.strip()!r})",
        DOSE_HINT,
    )
