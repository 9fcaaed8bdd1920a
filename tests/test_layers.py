"""The layers hold: arrows point down, private modules stay private, lazy imports are named.

The layer order lives in ``pyproject.toml`` (``[tool.importlinter]``, run here with
``lint-imports``); docs/architecture.md draws it. The ``ast`` checks below add what the
contracts do not say: no private *name* crosses a package, and an import inside a
function is either the CLI's (start-up time), a named one-line delegate, or a heavy or
optional third-party library loaded only when needed.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from support import ROOT

SRC = ROOT / "src"
PYPROJECT = ROOT / "pyproject.toml"

# The only regimens imports inside functions outside the CLI: one-line delegates that keep the
# public API (`regimen.expand(...)`, `schedule.to_json()`) while the arrow points up. Each is
# also an `ignore_imports` entry of the layers contract.
DELEGATES = {
    ("regimens.model._regimen", "Regimen.expand"): "regimens.record",
    ("regimens.model._regimen", "Regimen.check"): "regimens.engine",
    ("regimens.engine._schedule", "Schedule.to_dict"): "regimens.export",
    ("regimens.engine._schedule", "Schedule.to_json"): "regimens.export",
    ("regimens.engine._schedule", "Schedule.to_csv"): "regimens.export",
    ("regimens.engine._schedule", "Schedule.to_table"): "regimens.export",
    ("regimens.engine._schedule", "Schedule.to_calendar"): "regimens.export",
    ("regimens.engine._schedule", "Schedule.to_ics"): "regimens.export",
    ("regimens.engine._schedule", "Schedule.to_html"): "regimens.export",
    ("regimens.engine._schedule", "Schedule.to_diary"): "regimens.export",
    ("regimens.engine._schedule", "Schedule.to_pdf"): "regimens.export",
    ("regimens.engine._arithmetic", "CheckReport.to_text"): "regimens.export",
    ("regimens.engine._arithmetic", "CheckReport.to_dict"): "regimens.export",
    ("regimens.engine._arithmetic", "CheckReport.to_json"): "regimens.export",
}

# Third-party libraries imported inside functions anywhere, and why.
LAZY_LIBRARIES = {
    "pint": "a registry costs ~0.1 s; only unit text needs it",
    "ruamel": "YAML is read and written only by load and dumps",
    "icalendar": "only the iCalendar export and publish need it",
    "caldav": "optional extra regimens[caldav]",
    "numpy": "optional extra regimens[cohort]",
    "pyarrow": "optional extra regimens[cohort]",
    "fpdf": "optional extra regimens[pdf]",
    "holidays": "optional extra regimens[holidays]",
    "dask": "optional extra regimens[supply]: a Dask cluster",
    "matplotlib": "optional extra regimens[supply]: the plot",
    "tqdm": "optional extra regimens[supply]: the progress bar",
    # The standard library's, where a plain `regimens expand` would pay for them unused
    # (docs/performance.md, cold start):
    "zoneinfo": "~2 ms with the sysconfig it reads; only a regimen with a time zone needs it",
    "difflib": "only a 'did you mean' message needs it",
    "calendar": "only a regimen counting months needs it (here; the month view's own)",
    "threading": "only writing a file with -o needs it",
    "pickle": "only pickling an error needs it (errors.py, a value's pickled copy)",
}

# Modules whose every import may be lazy: the CLI keeps `regimens --help` fast.
LAZY_MODULES = {"regimens.cli", "regimens.cli._arguments", "regimens.cli._blinding",
                "regimens.cli._handout",
                "regimens.cli._output",
                "regimens.cli._participant", "regimens.cli._site", "regimens.cli._supply"}


def _modules() -> Iterator[tuple[str, bool, ast.Module]]:
    for path in sorted((SRC / "regimens").rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        is_package = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if is_package else parts)
        yield name, is_package, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _package(module: str, is_package: bool) -> str:
    return module if is_package else module.rpartition(".")[0]


def _target(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = _package(module, is_package).split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _private_part(name: str) -> int | None:
    """Index of the first private component (``_x``, not ``__x__``) of a dotted name."""
    for i, part in enumerate(name.split(".")):
        if part.startswith("_") and not (part.startswith("__") and part.endswith("__")):
            return i
    return None


def _inside(importer_package: str, package: str) -> bool:
    return importer_package == package or importer_package.startswith(package + ".")


def private_reaches(module: str, is_package: bool, tree: ast.Module) -> list[str]:
    """Imports of another package's private module, or of a private name across packages."""
    here = _package(module, is_package)
    bad: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        targets: list[tuple[str, str]] = []  # (module imported, private name or "")
        if isinstance(node, ast.Import):
            targets = [(alias.name, "") for alias in node.names]
        else:
            base = _target(module, is_package, node)
            for alias in node.names:
                # `from ..engine import _layout` names a module; `_grid` a private name.
                targets.append((base, ""))
                if _private_part(alias.name) is not None:
                    targets.append((base, alias.name))
        for target, name in targets:
            if not target.startswith("regimens"):
                continue
            owner = target if name else None
            index = _private_part(target)
            if index is not None:
                owner = ".".join(target.split(".")[:index])
            elif name:
                # A private name belongs to the package that holds its module.
                owner = target if (SRC / Path(*target.split("."))).is_dir() else (
                    target.rpartition(".")[0])
            if owner is not None and not _inside(here, owner):
                bad.append(f"{module}:{node.lineno}: {ast.unparse(node)}")
    return sorted(set(bad))


def lazy_imports(module: str, is_package: bool, tree: ast.Module) -> list[tuple[str, str, str]]:
    """Every import inside a function: (module, qualified function, imported module)."""
    found: list[tuple[str, str, str]] = []

    def visit(node: ast.AST, scope: list[ast.AST]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                visit(child, [*scope, child])
                continue
            in_function = any(
                isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef) for s in scope)
            if in_function and isinstance(child, ast.Import | ast.ImportFrom):
                where = ".".join(s.name for s in scope)  # type: ignore[attr-defined]
                if isinstance(child, ast.Import):
                    names = [alias.name for alias in child.names]
                else:
                    names = [_target(module, is_package, child)]
                found.extend((module, where, name) for name in names)
            visit(child, scope)

    visit(tree, [])
    return found


def _lint_imports(config: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("lint-imports is not installed (it is in the `test` extra)")
    # --no-cache: nothing is written outside a temporary directory.
    return subprocess.run([exe, "--no-cache", "--no-logo", str(config)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)


def test_layer_contracts_are_kept() -> None:
    result = _lint_imports(PYPROJECT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout, result.stdout


def test_contract_ignores_exactly_the_delegates() -> None:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")
    expected = {f"{module} -> {target}" for (module, _), target in DELEGATES.items()}
    assert set(layers["ignore_imports"]) == expected


def test_contract_without_its_ignores_names_each_delegate(tmp_path: Path) -> None:
    """The contract bites: without the named doors, exactly those arrows are reported."""
    text = PYPROJECT.read_text(encoding="utf-8")
    stripped = re.sub(r"ignore_imports = \[.*?\n\]\n", "", text, count=1, flags=re.S)
    assert stripped != text
    config = tmp_path / "pyproject.toml"
    config.write_text(stripped, encoding="utf-8")
    result = _lint_imports(config)
    assert result.returncode != 0
    for importer, target in {(m, t) for (m, _), t in DELEGATES.items()}:
        assert f"- {importer} -> {target} " in result.stdout, result.stdout


def test_no_private_module_or_name_crosses_a_package() -> None:
    bad = [line for module in _modules() for line in private_reaches(*module)]
    assert bad == []


@pytest.mark.parametrize(
    ("module", "is_package", "source", "caught"),
    [
        ("regimens.cohort._expand", False, "from ..engine._layout import expand", True),
        ("regimens.cohort._expand", False, "from ..engine import _layout", True),
        ("regimens.cohort._expand", False, "import regimens.engine._layout", True),
        ("regimens.cli", False, "from .export import _grid", True),
        ("regimens.cli", False, "from .export._render import grid", True),
        ("regimens.cohort._expand", False, "from ..engine import expand", False),
        ("regimens.cohort._expand", False, "from ._sizes import _body", False),
        ("regimens.engine", True, "from ._layout import expand", False),
        ("regimens.export._ics", False, "from .._version import __version__", False),
    ],
)
def test_private_reach_scanner(module: str, is_package: bool, source: str,
                               caught: bool) -> None:
    """The scanner above finds what it must (so an empty result means something)."""
    assert bool(private_reaches(module, is_package, ast.parse(source))) is caught


def test_function_level_imports_are_named() -> None:
    found = [hit for module in _modules() for hit in lazy_imports(*module)]
    delegates: dict[tuple[str, str], str] = {}
    unexplained = []
    for module, where, target in found:
        if module in LAZY_MODULES:
            continue
        if target.startswith("regimens"):
            delegates[(module, where)] = target
        elif target.partition(".")[0] not in LAZY_LIBRARIES:
            unexplained.append(f"{module} {where}: import {target}")
    assert unexplained == []
    assert delegates == DELEGATES


# The tests mirror the packages ----------------------------------------------------------------

TESTS = ROOT / "tests"


def test_test_directories_mirror_the_packages() -> None:
    packages = {p.name for p in (SRC / "regimens").iterdir()
                if (p / "__init__.py").is_file()} | {"cli"}
    test_dirs = {p.parent.name for p in TESTS.glob("*/test_*.py")}
    assert test_dirs <= packages, "tests/<dir>/ must be named after a package of regimens"


def _imported_modules(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


def test_no_test_module_imports_another() -> None:
    # Shared helpers live in tests/support/; a test module imported by another would run its
    # module-level code twice and tie two files' tests together.
    offenders = [f"{path.relative_to(TESTS)}: import {name}"
                 for path in sorted(TESTS.rglob("*.py"))
                 for name in _imported_modules(ast.parse(path.read_text(encoding="utf-8")))
                 if any(part.startswith(("test_", "conftest")) or part == "tests"
                        for part in name.split("."))]
    assert offenders == []
