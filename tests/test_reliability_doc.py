"""docs/reliability.md: its figures match the test suite.

The generated part is rebuilt in memory by scripts/gen_reliability_doc.py and compared
with the file. If this fails after adding or removing tests or catalogue cases, run:

    python scripts/gen_reliability_doc.py
"""

from __future__ import annotations

from pathlib import Path

from support import load_script

ROOT = Path(__file__).resolve().parents[1]


GEN = load_script("gen_reliability_doc")


def test_reliability_page_is_current() -> None:
    current = GEN.PAGE.read_text(encoding="utf-8")
    assert GEN.render(current) == current, "run: python scripts/gen_reliability_doc.py"


def test_catalogue_counts_agree_with_the_runner() -> None:
    from support.bad_inputs import CASES, CLI_CASES

    cases = GEN.catalogue()
    assert sum(len(v) for v in cases.values()) == len(CASES) + len(CLI_CASES)
    assert len(CASES) >= 60
    assert min(len(v) for v in cases.values()) >= 5
