"""Expand one regimen for many participants at once, into NumPy or Arrow columns.

Needs the ``regimens[cohort]`` extra (NumPy, pyarrow). See docs/cohort.md.
"""

from __future__ import annotations

from ._arrow import arrow_schema
from ._columns import COLUMNS, Cohort, expand_cohort

__all__ = ["COLUMNS", "Cohort", "arrow_schema", "expand_cohort"]
