"""Columns and dates as the texts for people write them: ``grid``, ``Mon 2027-01-04``.

Shared by the schedule's table and calendar, the check report, the command line's
catalogue list and the supply forecast's tables. English weekday names, fixed: nothing
here follows the process locale.
"""

from __future__ import annotations

from datetime import date

__all__ = ["grid"]

_WEEKDAY = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _day(d: date) -> str:
    return f"{_WEEKDAY[d.weekday()]} {d.isoformat()}"


def grid(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(x) for x in col) for col in zip(header, *rows, strict=True)]
    lines = []
    for row in [header, *rows]:
        cells = [c.rjust(w) if i in right else c.ljust(w)
                 for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
    return lines
