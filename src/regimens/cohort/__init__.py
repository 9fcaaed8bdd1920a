"""Expand one regimen for many participants at once, into NumPy or Arrow columns.

Needs the ``regimens[cohort]`` extra (NumPy, pyarrow). See docs/cohort.md.
"""

from __future__ import annotations

from ._cohort import Cohort
from ._expand import expand_cohort
from ._guard import unsupported
from ._schema import COLUMNS, arrow_schema

__all__ = ["COLUMNS", "Cohort", "arrow_schema", "expand_cohort", "unsupported"]
