"""The bad-input catalogue (``tests/bad_inputs/*.yaml``): its cases and each case's document.

Shared by ``test_bad_inputs.py`` (which runs every case), ``test_errors.py`` (which
round-trips every error a case provokes) and ``test_reliability_doc.py`` (which counts
them), so that no test module imports another.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

HERE = Path(__file__).resolve().parents[1] / "bad_inputs"
CATEGORIES = ("units", "format", "yaml", "calendar", "text", "limits", "dosing")
#: Command-line cases: a command and its environment (see ``test_bad_inputs.py``).
CLI_CATEGORY = "cli"

#: The head of every ``body`` case: 9 lines, so a body's first line is line 10.
HEAD = """\
format: regimens/1
id: bad
title: Bad inputs
drugs:
  a: {name: drug A, route: oral}
  b: {name: drug B, route: intravenous}
arms:
  x: {label: X}
  y: {label: Y}
"""
#: The regimen of a case that gives neither ``document`` nor ``body``: one per-kg and one
#: per-m2 dose, so that every body measurement matters.
BODY_SIZE = """\
periods:
  - id: t
    length: 1 week
    courses:
      - {drug: a, dose: 1 mg/kg, days: 1}
      - {drug: b, dose: 375 mg/m2, days: 1}
"""


def _fifty_megabytes() -> bytes:
    return b"format: regimens/1\n" + b"# " + b"x" * (50 * 1024 * 1024 - 22) + b"\n"


def _deep_nesting() -> bytes:
    return b"format: regimens/1\nid: " + b"[" * 1000 + b"]" * 1000 + b"\n"


def _times(count: int) -> str:
    """The first ``count`` minutes of the day as a YAML list of times."""
    return "[" + ", ".join(f"'{m // 60:02d}:{m % 60:02d}'" for m in range(count)) + "]"


def _daily(days: int, times: int, before: str = "") -> bytes:
    """Drug a daily at ``times`` times in a period of ``days``, after the course ``before``."""
    course = f"      - {{drug: a, dose: 1 mg, daily: true, times: {_times(times)}}}\n"
    return (HEAD + f"periods:\n  - id: t\n    length: {days} days\n    courses:\n"
            + before + course).encode()


GENERATORS: dict[str, Callable[[], bytes]] = {
    "fifty-megabytes": _fifty_megabytes,
    "deep-nesting": _deep_nesting,
    # 36,525 days x 1,440 times = 52,596,000 administrations, in 13 KB.
    "every-minute": lambda: _daily(36_525, 1_440),
    # 9,901 days x 101 times = 1,000,001.
    "one-past-the-limit": lambda: _daily(9_901, 101),
    # 1 administration of drug b, then 10,000 days x 100 times = 1,000,000: 1,000,001.
    "limit-across-courses": lambda: _daily(
        10_000, 100, before="      - {drug: b, dose: 1 mg, days: 1}\n"),
}


def load_cases() -> list[dict[str, Any]]:
    """Every case of the document categories, each with its ``category``."""
    yaml = YAML(typ="safe", pure=True)
    cases: list[dict[str, Any]] = []
    for category in CATEGORIES:
        for case in yaml.load((HERE / f"{category}.yaml").read_text(encoding="utf-8")):
            cases.append({"category": category, **case})
    return cases


CASES = load_cases()
CLI_CASES = [{"category": CLI_CATEGORY, **case} for case in YAML(typ="safe", pure=True).load(
    (HERE / f"{CLI_CATEGORY}.yaml").read_text(encoding="utf-8"))]


def document(case: dict[str, Any]) -> bytes:
    """The bytes of a case's regimen file: generated, given whole, or ``HEAD`` + body."""
    if "generate" in case:
        return GENERATORS[case["generate"]]()
    text = case.get("document")
    if text is None:
        text = HEAD + case.get("body", BODY_SIZE)
    return str(text).encode(case.get("encoding", "utf-8"))
