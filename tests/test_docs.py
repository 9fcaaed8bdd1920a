"""The documentation cannot fall behind the format.

Every ```yaml block in docs/format.md is a complete regimen document: it must
load (and its arithmetic check must pass), unless its first line is the
comment ``# invalid``, in which case loading must fail. Every field name the
format declares must be mentioned in docs/format.md. The examples of
docs/api.md run, and it names every public name.
"""

from __future__ import annotations

import re

import pytest

import regimens
from regimens.format import Either, ListOf, MapOf, Record
from regimens.format import _schema as _spec
from support import FORMAT_MD, format_md_blocks

BLOCKS = format_md_blocks()


def _is_invalid(block: str) -> bool:
    first = block.lstrip("\n").split("\n", 1)[0].strip()
    return first.startswith("# invalid")


def test_format_md_has_examples() -> None:
    assert len(BLOCKS) >= 20
    assert any(_is_invalid(b) for _, b in BLOCKS)


@pytest.mark.parametrize(("line", "block"), BLOCKS, ids=[f"line{n}" for n, _ in BLOCKS])
def test_yaml_example(line: int, block: str) -> None:
    name = f"format.md:{line}"
    if _is_invalid(block):
        with pytest.raises(regimens.InvalidRegimenError):
            regimens.loads(block, name)
        return
    regimen = regimens.loads(block, name)
    report = regimen.check()  # expands every arm; raises if the engine refuses the regimen
    assert report.ok, report.to_text()


def _field_names(shape: object, out: set[str]) -> None:
    if isinstance(shape, Record):
        for key, field in shape.fields.items():
            out.add(key)
            _field_names(field.shape, out)
    elif isinstance(shape, ListOf):
        _field_names(shape.items, out)
    elif isinstance(shape, MapOf):
        _field_names(shape.values, out)
    elif isinstance(shape, Either):
        for option in shape.options:
            _field_names(option, out)


def test_every_declared_field_is_documented() -> None:
    names: set[str] = set()
    _field_names(_spec.REGIMEN, names)
    # The walk must reach the nested records, or this test would prove little.
    assert {"courses", "steps", "window", "before", "confidence", "lengths", "not_on"} <= names
    text = FORMAT_MD.read_text(encoding="utf-8")
    missing = sorted(n for n in names if f"`{n}`" not in text)
    assert not missing, f"fields not documented in docs/format.md: {missing}"


def test_every_unit_and_formula_is_documented() -> None:
    from regimens.quantities import _units

    text = FORMAT_MD.read_text(encoding="utf-8")
    missing = [s for s in _units._AMOUNT_UNITS if f"`{s}`" not in text]
    missing += [f.value for f in regimens.BSAFormula if f"`{f.value}`" not in text]
    assert not missing, f"not documented in docs/format.md: {missing}"


API_MD = FORMAT_MD.with_name("api.md")


def test_api_md_examples_run() -> None:
    """Every ```python block of docs/api.md runs, in order, in one namespace (its asserts
    are the documented results, computed by hand: 154 lb = 69.85322498 kg, ...)."""
    text = API_MD.read_text(encoding="utf-8")
    blocks = re.findall(r"^```python[ \t]*\n(.*?)^```[ \t]*$", text, re.DOTALL | re.MULTILINE)
    assert blocks
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, str(API_MD), "exec"), namespace)


def test_api_md_names_every_public_name() -> None:
    text = API_MD.read_text(encoding="utf-8")
    missing = [n for n in regimens.__all__
               if not n.startswith("__") and not re.search(rf"`{n}(?![A-Za-z_])", text)]
    assert not missing, f"not in docs/api.md: {missing}"
