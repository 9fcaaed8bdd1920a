"""docs/supply.md: its Python example runs and its asserts hold (hand-computed: 5 doses of
2 MIU in the first week, 2 vials of 1 MIU each); every planning-file key is documented."""

from __future__ import annotations

import re

import pytest

from regimens.supply._plan import PACKAGING, PLAN
from support import ROOT

SUPPLY_MD = ROOT / "docs" / "supply.md"


def test_python_examples_run() -> None:
    pytest.importorskip("numpy")
    pytest.importorskip("pyarrow")
    text = SUPPLY_MD.read_text(encoding="utf-8")
    blocks = re.findall(r"^```python[ \t]*\n(.*?)^```[ \t]*$", text, re.DOTALL | re.MULTILINE)
    local = [b for b in blocks if "Client(" not in b]  # the cluster example needs a cluster
    assert local
    namespace: dict[str, object] = {}
    for block in local:
        exec(compile(block, str(SUPPLY_MD), "exec"), namespace)


def test_every_key_is_documented() -> None:
    text = SUPPLY_MD.read_text(encoding="utf-8")
    keys = [k for k in PLAN.fields if not k.startswith("$")] + list(PACKAGING.fields)
    missing = [k for k in keys if f"| `{k}` |" not in text]
    assert missing == []


def _example(name: str) -> str:
    text = SUPPLY_MD.read_text(encoding="utf-8")
    found = re.search(rf"<!-- supply-error-example:{name} -->\n```[a-z]*\n(.*?)```", text,
                      re.DOTALL)
    assert found, name
    return found.group(1)


def test_error_examples_are_the_real_messages() -> None:
    """The errors shown in docs/supply.md are what its plan gives, word for word, round
    by round (the arm is checked against the regimen only once the file reads)."""
    pytest.importorskip("numpy")
    pytest.importorskip("pyarrow")
    from regimens import InvalidRegimenError
    from regimens.supply import loads_plan, simulate

    text = _example("plan")
    with pytest.raises(InvalidRegimenError) as caught:
        loads_plan(text, "plan.yaml")
    assert [str(p) for p in caught.value.problems] == _example("first").splitlines()
    fixed = text.replace("shelf_life: 4 weeks", "shelf_life: 5 weeks")
    with pytest.raises(InvalidRegimenError) as caught:
        simulate("mirocals", loads_plan(fixed, "plan.yaml"))
    assert [str(p) for p in caught.value.problems] == _example("second").splitlines()
