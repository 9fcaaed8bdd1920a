"""Quantities: units and amounts, study days and durations, body surface area, notation,
the vial rule.

The leaf layer: it imports nothing of regimens but :mod:`regimens.errors` (and
``regimens._public``, the list of public names).
Amounts are exact :class:`~decimal.Decimal` values; pint is used at the edge
only, to read unit text (:func:`parse_amount`, :func:`parse_dose_quantity`).
"""

from ._bsa import BSAFormula, bsa, bsa_float, round_bsa, rounded_bsa
from ._days import MAX_DAYS, Duration, LengthRange, StudyDay, StudyDays
from ._elapsed import MAX_MINUTES, Elapsed
from ._exact import EXACT, MAX_SIGNIFICANT_DIGITS, exactly
from ._notation import (
    counted,
    human_amount,
    human_dose_quantity,
    human_number,
    human_route,
    printable,
)
from ._units import (
    MEASURE_NAMES,
    Amount,
    Basis,
    Dimension,
    DoseQuantity,
    Unit,
    lean_pint,
    normal,
    parse_amount,
    parse_dose_quantity,
    parse_measure,
    plain,
    shortest_decimal,
    unit,
)
from ._vials import MAX_VIAL_SUMS, VialCombination, least_waste_vials, same_amount

__all__ = [
    "EXACT",
    "MAX_DAYS",
    "MAX_MINUTES",
    "MAX_SIGNIFICANT_DIGITS",
    "MAX_VIAL_SUMS",
    "MEASURE_NAMES",
    "Amount",
    "BSAFormula",
    "Basis",
    "Dimension",
    "DoseQuantity",
    "Duration",
    "Elapsed",
    "LengthRange",
    "StudyDay",
    "StudyDays",
    "Unit",
    "VialCombination",
    "bsa",
    "bsa_float",
    "counted",
    "exactly",
    "human_amount",
    "human_dose_quantity",
    "human_number",
    "human_route",
    "lean_pint",
    "least_waste_vials",
    "normal",
    "parse_amount",
    "parse_dose_quantity",
    "parse_measure",
    "plain",
    "printable",
    "round_bsa",
    "rounded_bsa",
    "same_amount",
    "shortest_decimal",
    "unit",
]

from .._public import claim

claim(globals())
