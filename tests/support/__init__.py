"""Shared helpers for the test suite: small regimen documents built from text."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import textwrap
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import regimens

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
IMODALS = EXAMPLES / "imodals.yaml"
FORMAT_MD = ROOT / "docs" / "format.md"
_BLOCK = re.compile(r"^```yaml[ \t]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)


def format_md_blocks() -> list[tuple[int, str]]:
    """Every ```yaml block of docs/format.md with the line it starts on."""
    text = FORMAT_MD.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in _BLOCK.finditer(text)]

#: Drugs and arms shared by the small test regimens; a body adds periods and more.
HEAD = """\
format: regimens/1
id: demo
title: Demo
drugs:
  il2: {name: aldesleukin, route: subcutaneous}
  pred: {name: prednisone, route: oral}
  treg: {name: Treg cells, route: intravenous}
arms:
  a: {label: A}
  b: {label: B}
"""


def text(body: str, head: str = HEAD) -> str:
    """A regimen document: the shared head plus ``body`` (dedented)."""
    return head + textwrap.dedent(body)


def load(body: str, head: str = HEAD, name: str = "r.yaml") -> regimens.Regimen:
    return regimens.loads(text(body, head), name)


def expand(body: str, arm: str = "a", start: str = "2027-01-04",
           participant: regimens.Participant | None = None,
           **options: Any) -> regimens.Schedule:
    """Load ``body`` and expand it, recording (not raising) warnings."""
    regimen = load(body)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return regimen.expand(arm, start, participant, **options)


def problems(body: str, head: str = HEAD) -> list[str]:
    """The problem lines of an invalid document, as printed for the user."""
    try:
        regimens.loads(text(body, head), "r.yaml")
    except regimens.InvalidRegimenError as exc:
        return [str(p) for p in exc.problems]
    raise AssertionError("the document was accepted")


def days(schedule: regimens.Schedule, drug: str | None = None) -> list[int]:
    return [a.study_day.value for a in schedule.administrations
            if drug is None or a.drug == drug]


def dates(schedule: regimens.Schedule, drug: str | None = None) -> list[str]:
    return [a.date.isoformat() for a in schedule.administrations
            if drug is None or a.drug == drug]


# Environments that must not change any output byte (clock zone, locale, hash seed, encoding).
def _env(**changes: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("TZ", "LANG", "LC_ALL", "LC_NUMERIC", "LC_TIME", "PYTHONHASHSEED")}
    env.update(changes)
    return env


ENVIRONMENTS = [
    _env(TZ="UTC", LANG="C", LC_ALL="C", PYTHONHASHSEED="0"),
    _env(TZ="Pacific/Kiritimati", LANG="de_DE.UTF-8", LC_ALL="de_DE.UTF-8",
         PYTHONHASHSEED="12345"),
    _env(TZ="Pacific/Pago_Pago", LANG="fr_FR.ISO-8859-1", LC_ALL="fr_FR.ISO-8859-1",
         PYTHONHASHSEED="random", PYTHONIOENCODING="latin-1"),
    _env(TZ="Australia/Lord_Howe", LANG="ar_EG.UTF-8", LC_TIME="ja_JP.UTF-8",
         PYTHONHASHSEED="4294967295"),
]


def load_script(name: str) -> ModuleType:
    """A script of scripts/ imported as a module (the doc generators), by file name."""
    path = ROOT / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module
