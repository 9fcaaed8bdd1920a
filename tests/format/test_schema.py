"""The JSON Schema (``regimens schema``) takes its lists from the model's own tables."""

from __future__ import annotations

from regimens import json_schema


def test_weekday_names() -> None:
    periods = json_schema()["properties"]["periods"]["items"]
    course = periods["properties"]["courses"]["items"]
    # Written out by hand: the schema's enum is the model's WEEKDAYS, in calendar order.
    assert course["properties"]["weekdays"]["items"]["enum"] == [
        "mon", "tue", "wed", "thu", "fri", "sat", "sun"]
