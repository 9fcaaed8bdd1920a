"""The JSON Schema (``regimens schema``) takes its lists from the model's own tables."""

from __future__ import annotations

from regimens import json_schema


def test_weekday_names() -> None:
    periods = json_schema()["properties"]["periods"]["items"]
    course = periods["properties"]["courses"]["items"]
    # Written out by hand: the schema's enum is the model's WEEKDAYS, in calendar order.
    assert course["properties"]["weekdays"]["items"]["enum"] == [
        "mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def test_dollar_schema_is_accepted_and_not_kept() -> None:
    # How editors link a file to its JSON Schema: the regimen is the same without it, the
    # JSON Schema allows it, and the writer does not keep it (it is the editor's set-up).
    import regimens
    from regimens.format import dumps, json_schema

    body = ("format: regimens/1\nid: s\ntitle: S\ndrugs: {a: {name: drug A, route: oral}}\n"
            "arms: {x: {label: X}}\nperiods: [{id: t, length: 1 week, courses: "
            "[{drug: a, dose: 1 mg, days: 1}]}]\n")
    with_key = regimens.loads("$schema: ./regimens-1.json\n" + body)
    without = regimens.loads(body)
    assert dumps(with_key) == dumps(without)
    assert "$schema" not in dumps(with_key)
    assert json_schema()["properties"]["$schema"]["type"] == "string"
