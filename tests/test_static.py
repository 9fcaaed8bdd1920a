"""Type checking and lint run as part of the suite (configuration in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from support import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("mypy",), id="mypy-strict-src"),
        pytest.param(("ruff", "check", "src", "tests"), id="ruff-src-tests"),
    ],
)
def test_static_check_is_clean(args: tuple[str, ...]) -> None:
    """mypy --strict (files from [tool.mypy]) and ruff must both exit 0."""
    pytest.importorskip(args[0])
    result = _run(*args)
    assert result.returncode == 0, result.stdout + result.stderr
