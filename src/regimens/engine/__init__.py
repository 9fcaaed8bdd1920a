"""The engine: a regimen and a participant's options in, a dated schedule out.

Pure functions of their inputs (no clock, locale, file or network):
:func:`resolve` fixes a participant's timeline (arm, Study Day 1, period
lengths, time zone, body size), :func:`expand` lays out every course on it
with exact doses and their derivations, and :func:`check` computes the
regimen's own arithmetic. Results are data; :mod:`regimens.export` renders them.
"""

from ._arithmetic import CheckReport, DrugSummary, ExpectationResult, check
from ._dose import ComputedDose, dose_amount
from ._expand import expand, parse_formula, resolve
from ._schedule import Administration, CourseSpan, PeriodSpan, Schedule, VisitOccurrence

__all__ = [
    "Administration",
    "CheckReport",
    "ComputedDose",
    "CourseSpan",
    "DrugSummary",
    "ExpectationResult",
    "PeriodSpan",
    "Schedule",
    "VisitOccurrence",
    "check",
    "dose_amount",
    "expand",
    "parse_formula",
    "resolve",
]
