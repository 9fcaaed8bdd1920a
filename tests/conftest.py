"""Test configuration: make the shared helpers in ``tests/support/`` importable."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

# Hypothesis's per-example deadline (200 ms) is a timing assertion: on a loaded 2-core CI
# machine it fails tests whose code is right. The suite asserts no timings, so none here.
from hypothesis import settings  # noqa: E402

settings.register_profile("regimens", deadline=None)
settings.load_profile("regimens")
