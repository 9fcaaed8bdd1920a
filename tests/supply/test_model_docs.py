"""The examples of docs/supply.md's section on the random model run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("numpy")
pytest.importorskip("pyarrow")

SUPPLY_MD = Path(__file__).resolve().parents[2] / "docs" / "supply.md"
SECTION = "## The random model of the trial"


def test_model_section_examples_run() -> None:
    text = SUPPLY_MD.read_text(encoding="utf-8")
    section = text[text.index(SECTION):]
    following = re.search(r"^## ", section[len(SECTION):], re.MULTILINE)
    if following:
        section = section[:len(SECTION) + following.start()]
    blocks = re.findall(r"^```python[ \t]*\n(.*?)^```[ \t]*$", section,
                        re.DOTALL | re.MULTILINE)
    assert blocks
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, str(SUPPLY_MD), "exec"), namespace)
    assert len(namespace["people"]) == 40  # type: ignore[arg-type]
