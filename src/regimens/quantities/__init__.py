"""Quantities: units and amounts, study days and durations, body surface area, notation,
the vial rule.

The leaf layer: it imports nothing of regimens but :mod:`regimens.errors` (and
``regimens._public``, the list of public names).
Amounts are exact :class:`~decimal.Decimal` values. The units text may name form a
closed table of exact constants; pint is used at the edge only, to explain unit text
outside that table when :func:`parse_amount` or :func:`parse_dose_quantity` refuses it.
"""

from ._bsa import BSAFormula, bsa, bsa_float, round_bsa, rounded_bsa
from ._cumulative import cumulative_decimal, cumulative_share
from ._days import (
    MAX_DAYS,
    MAX_MONTHS,
    Duration,
    LengthRange,
    Months,
    StudyDay,
    StudyDays,
    shared_study_days,
)
from ._elapsed import MAX_MINUTES, Elapsed
from ._exact import EXACT, MAX_SIGNIFICANT_DIGITS, exactly
from ._forms import (
    STRENGTH_FORMS,
    Strength,
    convert_by_equivalence,
    form_count,
    form_part_problem,
    parse_equivalence,
    parse_strength,
)
from ._measures import MEASURE_NAMES, measure_parts, measure_text, parse_measure, typed_text
from ._notation import (
    counted,
    human_amount,
    human_dose_quantity,
    human_number,
    human_route,
    printable,
)
from ._numbers import decimal_argument, half_up, normal, plain, shortest_decimal, shown_beside
from ._parse import number_fault, parse_amount, parse_dose_quantity
from ._pint import lean_pint
from ._renal import (
    CREATININE_FACTOR,
    GFR_MAX_DEFAULT,
    INCH_CM,
    Sex,
    adjusted_weight,
    body_mass_index,
    calvert,
    cockcroft_gault,
    devine_ideal_weight,
    parse_creatinine,
    parse_gfr,
)
from ._units import FORM_PARTS, FORM_PLURALS, Amount, Basis, Dimension, DoseQuantity, Unit, unit
from ._vials import (
    MAX_VIAL_SUMS,
    VialCombination,
    least_waste_vials,
    same_amount,
    whole_vial_amounts,
)

__all__ = [
    "CREATININE_FACTOR",
    "EXACT",
    "FORM_PARTS",
    "FORM_PLURALS",
    "GFR_MAX_DEFAULT",
    "INCH_CM",
    "MAX_DAYS",
    "MAX_MINUTES",
    "MAX_MONTHS",
    "MAX_SIGNIFICANT_DIGITS",
    "MAX_VIAL_SUMS",
    "MEASURE_NAMES",
    "STRENGTH_FORMS",
    "Amount",
    "BSAFormula",
    "Basis",
    "Dimension",
    "DoseQuantity",
    "Duration",
    "Elapsed",
    "LengthRange",
    "Months",
    "Sex",
    "Strength",
    "StudyDay",
    "StudyDays",
    "Unit",
    "VialCombination",
    "adjusted_weight",
    "body_mass_index",
    "bsa",
    "bsa_float",
    "calvert",
    "cockcroft_gault",
    "convert_by_equivalence",
    "counted",
    "cumulative_decimal",
    "cumulative_share",
    "decimal_argument",
    "devine_ideal_weight",
    "exactly",
    "form_count",
    "form_part_problem",
    "half_up",
    "human_amount",
    "human_dose_quantity",
    "human_number",
    "human_route",
    "lean_pint",
    "least_waste_vials",
    "measure_parts",
    "measure_text",
    "normal",
    "number_fault",
    "parse_amount",
    "parse_creatinine",
    "parse_dose_quantity",
    "parse_equivalence",
    "parse_gfr",
    "parse_measure",
    "parse_strength",
    "plain",
    "printable",
    "round_bsa",
    "rounded_bsa",
    "same_amount",
    "shared_study_days",
    "shortest_decimal",
    "shown_beside",
    "typed_text",
    "unit",
    "whole_vial_amounts",
]

from .._public import claim

claim(globals())
