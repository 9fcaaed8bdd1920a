"""A record's rows in words, as the summary and the replay's changes show them: a
reduction (:func:`reduction_text`) and a withdrawal (:func:`void_text`)."""

from __future__ import annotations

from ..quantities import plain
from ._model import RecordRow

__all__ = ["reduction_text", "void_text"]


def reduction_text(row: RecordRow) -> str:
    """A reduce row in words: "dose level -1 from 2027-02-22 (line 5): toxicity"."""
    assert row.date is not None
    if row.level is not None and row.percent is not None:
        what = f"dose level {row.level} ({plain(row.percent)}%)"
    elif row.level is not None:
        what = f"dose level {row.level}"
    else:
        assert row.percent is not None
        what = f"{plain(row.percent)}% of the level-0 dose"
    start = f"from cycle {row.cycle}" if row.cycle is not None else f"from {row.date}"
    text = f"{what} {start} (line {row.line})"
    return text + (f": {row.reason}" if row.reason else "")


def void_text(void: RecordRow, withdrawn: RecordRow) -> str:
    """A withdrawal in words: "line 35 withdraws line 34 (2027-03-16 given cyc): entered
    in error"."""
    parts = [withdrawn.date.isoformat() if withdrawn.date is not None else "",
             withdrawn.event.value, withdrawn.drug or ""]
    if withdrawn.cycle is not None:
        parts.append(f"cycle {withdrawn.cycle}"
                     + (f" day {withdrawn.day}" if withdrawn.day is not None else ""))
    if withdrawn.amount is not None:
        parts.append(str(withdrawn.amount))
    if withdrawn.measurement is not None:
        parts.append(str(withdrawn.measurement))
    if withdrawn.level is not None:
        parts.append(f"level {withdrawn.level}")
    if withdrawn.percent is not None:
        parts.append(f"{plain(withdrawn.percent)}%")
    what = " ".join(p for p in parts if p)
    text = f"line {void.line} withdraws line {withdrawn.line} ({what})"
    return text + (f": {void.reason}" if void.reason else "")
