"""Reading the record policy keys of a course or of the document (docs/record.md)."""

from __future__ import annotations

from decimal import Decimal

from ..model import Policy
from ._doses import _PERCENT
from ._fail import fail
from ._lengths import read_duration
from ._source import Cursor

__all__ = [
    "read_policy",
]


def read_policy(cur: Cursor) -> Policy:
    """The record policy keys at ``cur`` (a course or the document's root; docs/record.md).

    The schema has checked their types and spellings; here ``max_delay`` and the
    ``redose`` percentage are read.
    """
    raw = cur.value
    max_delay = read_duration(cur.at("max_delay")) if "max_delay" in raw else None
    change = None
    if "redose" in raw:
        at = cur.at("redose").at("weight_change")
        match = _PERCENT.match(at.value)
        assert match is not None  # the schema's pattern
        change = Decimal(match["num"])
        if not 0 < change < 100:
            raise fail(at, "a weight change above 0% and below 100%", code="bad-percentage")
    return Policy(on_delay=raw.get("on_delay"), max_delay=max_delay, missed=raw.get("missed"),
                  re_escalate=raw.get("re_escalate"), redose_weight_change=change)
