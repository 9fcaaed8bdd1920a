"""The JSON Schema (``regimens schema``) takes its lists from the model's own tables."""

from __future__ import annotations

import pytest

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


def test_json_schema_allows_day_zero_only_with_the_flag() -> None:
    # Issue 12 item 2: the JSON Schema for editors says what the loader says about Day 0.
    jsonschema = pytest.importorskip("jsonschema")
    from ruamel.yaml import YAML

    schema = json_schema()
    base = ("format: regimens/1\nid: d\ntitle: D\ndrugs:\n  a: {name: drug A, route: oral}\n"
            "arms:\n  x: {label: X}\nperiods:\n  - {id: t, length: 1 week}\n"
            "visits:\n  - {id: v, day: 0}\nexpect:\n  - {arm: x, drug: a, first_day: 0}\n")
    validator = jsonschema.Draft202012Validator(schema)
    with_flag = YAML(typ="safe").load("day_zero: true\n" + base)
    without = YAML(typ="safe").load(base)
    assert not list(validator.iter_errors(with_flag))
    assert len(list(validator.iter_errors(without))) >= 2
    # New keys of format 1.1 timing are in the schema.
    course = schema["properties"]["periods"]["items"]["properties"]["courses"]["items"]
    assert {"first_cycle", "count", "days"} <= set(course["properties"])


@pytest.mark.parametrize(("value", "matches"), [
    ("il2-1miu", True), ("paris", True), ("7", True),
    ("Paris", False), ("-x", False), ("a_b", False), ("", False),
])
def test_an_id_field_is_the_same_in_both_document_formats(value: str, matches: bool) -> None:
    # The regimen file and the supply plan declare ids with one word (id_text); only the
    # example in the message is the document's own.
    import re

    from regimens.format import id_text

    field = id_text("the site's id", "paris")
    assert field.pattern is not None
    assert bool(re.fullmatch(field.pattern, value)) is matches
    assert field.pattern_help == "ids use lower-case letters, digits and hyphens (e.g. 'paris')"


@pytest.mark.parametrize(("what", "example", "message"), [
    ("a weight", "'70 kg' or '154 lb'",
     "a bare number is not a weight: give its unit, e.g. '70 kg' or '154 lb'"),
    ("a length", "'28 days' or '4 weeks'",
     "a bare number is not a length: give its unit, e.g. '28 days' or '4 weeks'"),
    ("an amount", "'2 mg'", "a bare number is not an amount: give its unit, e.g. '2 mg'"),
])
def test_a_bare_number_is_told_to_give_its_unit(what: str, example: str, message: str) -> None:
    from regimens.format import bare_number, with_unit

    assert bare_number(what, example) == message
    field = with_unit("the field", what, example)
    assert (field.description, field.number_help) == ("the field", message)
