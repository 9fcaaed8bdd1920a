"""docs/reliability.md: its figures match the test suite.

The generated part is rebuilt in memory by scripts/gen_reliability_doc.py and compared
with the file. If this fails after adding or removing tests or catalogue cases, run:

    python scripts/gen_reliability_doc.py
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "gen_reliability_doc.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_reliability_doc", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


GEN = _script()


def test_reliability_page_is_current() -> None:
    current = GEN.PAGE.read_text(encoding="utf-8")
    assert GEN.render(current) == current, "run: python scripts/gen_reliability_doc.py"


def test_catalogue_counts_agree_with_the_runner() -> None:
    from test_bad_inputs import CASES

    cases = GEN.catalogue()
    assert sum(len(v) for v in cases.values()) == len(CASES) >= 60
    assert min(len(v) for v in cases.values()) >= 5
