"""Shared pieces of the supply tests (tests/supply/, tests/cli/test_supply_cli.py): the
layout of a plan with simulated enrolment, written once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def simulated_plan(arms: Mapping[str, int], sites: Sequence[str], *more: str,
                   sample_size: int, screen_failure: str, dropout: str) -> str:
    """A ``regimens-supply/1`` plan with simulated enrolment: the randomisation ``arms``
    (arm -> ratio), one line per site (``sites``, each a YAML flow mapping), the sample
    size, screen failure and dropout as written (``"20%"``, ``"1%/week"``), then ``more``
    lines as they are (weight, lengths, drugs...)."""
    ratios = ", ".join(f"{arm}: {ratio}" for arm, ratio in arms.items())
    return "\n".join(["plan: regimens-supply/1", f"arms: {{{ratios}}}", "sites:",
                      *(f"  - {site}" for site in sites), f"sample_size: {sample_size}",
                      f"screen_failure: {screen_failure}", f"dropout: {dropout}", *more]) + "\n"
