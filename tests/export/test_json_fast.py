"""``to_json`` and ``check --format json`` are written without json's pure-Python
indenting encoder (regimens.export._json, render_json): the bytes must stay exactly
``json.dumps(obj, indent=2, ensure_ascii=False)`` of the same dictionary.

Checked over every arm of every catalogue regimen (with and without a time zone and a
participant), the golden example, generated regimens and participants, and generated
JSON values for the encoder alone (nested containers, empty ones, non-ASCII, escapes,
floats, non-string keys, subclasses of dict and list).
"""

from __future__ import annotations

import json
import warnings
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

import regimens
from regimens.export import check_dict, schedule_dict
from regimens.export._json import dumps_indent2
from support.strategies import documents, starts

PARTICIPANT = regimens.Participant(weight="70 kg", height="175 cm", label="P-Ünï 💉")


def _reference(obj: Any) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False)


def _expand(regimen: regimens.Regimen, arm: str, start: date, tz: str | None = None,
            participant: regimens.Participant | None = PARTICIPANT) -> regimens.Schedule:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        return regimen.expand(arm, start, participant, tz=tz)


CATALOGUE_ARMS = [(rid, arm.id) for rid in regimens.catalog_ids()
                  for arm in regimens.load(rid).arms]


@pytest.mark.parametrize(("regimen_id", "arm"), CATALOGUE_ARMS)
@pytest.mark.parametrize("tz", [None, "Europe/Paris"])
def test_catalogue_json_is_json_dumps(regimen_id: str, arm: str, tz: str | None) -> None:
    regimen = regimens.load(regimen_id)
    try:
        schedule = _expand(regimen, arm, date(2027, 1, 4), tz)
    except regimens.RegimenError:
        schedule = _expand(regimen, arm, date(2027, 1, 4), tz, participant=None)
    assert schedule.administrations  # the fast path is exercised
    assert schedule.to_json() == _reference(schedule_dict(schedule)) + "\n"


def test_catalogue_check_json_is_json_dumps() -> None:
    for regimen_id in regimens.catalog_ids():
        report = regimens.load(regimen_id).check()
        assert report.to_json() == _reference(check_dict(report)) + "\n"


def test_no_administrations_and_non_empty_avoid_lists() -> None:
    # An arm with no administrations (the array stays "[]") and a course whose rows
    # carry a non-empty avoid_same_day list (laid out over lines by json.dumps). Drug A
    # runs one week, so drug B is still given on the second Saturday: a course that
    # not_on empties is refused.
    regimen = regimens.loads("""\
format: regimens/1
id: avoid
title: Avoid «same day» — "quoted"\\back
drugs:
  a: {name: "drug \\"A\\"", route: oral}
  b: {name: drug B, route: oral}
arms:
  x: {label: X}
  y: {label: Y}
periods:
  - id: t
    length: 14 days
    courses:
      - {drug: a, arms: [x], dose: 1.5 mg, daily: true, for: 1 week, no_same_day: [b]}
      - {drug: b, arms: [x], dose: 2 mg, weekdays: [sat], not_on: [a]}
""")
    x = _expand(regimen, "x", date(2027, 1, 4))
    assert any(a.avoid for a in x.administrations)
    assert x.to_json() == _reference(schedule_dict(x)) + "\n"
    y = _expand(regimen, "y", date(2027, 1, 4))
    assert not y.administrations
    assert y.to_json() == _reference(schedule_dict(y)) + "\n"


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(documents(), starts, st.sampled_from([None, "Europe/Paris", "America/New_York"]))
def test_generated_schedules_json_is_json_dumps(doc: dict[str, Any], start: date,
                                                tz: str | None) -> None:
    try:
        regimen = regimens.loads(json.dumps(doc))
    except regimens.InvalidRegimenError:
        # The generator can draw documents a newer rule refuses (e.g. routes in a
        # blinded period): not what this test is about.
        reject()
    for arm in regimen.arms:
        try:
            schedule = _expand(regimen, arm.id, start, tz)
        except regimens.RegimenError:
            reject()
        assert schedule.to_json() == _reference(schedule_dict(schedule)) + "\n"


class _Dict(dict[str, Any]):
    pass


class _List(list[Any]):
    pass


_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text())
_keys = st.one_of(st.text(), st.integers(), st.booleans(), st.none(),
                  st.floats(allow_nan=False))
json_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.lists(inner, max_size=3).map(tuple),
    st.lists(inner, max_size=3).map(_List),
    st.dictionaries(_keys, inner, max_size=4),
    st.dictionaries(st.text(), inner, max_size=3).map(_Dict)), max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_encoder_is_json_dumps(value: Any) -> None:
    assert dumps_indent2(value) == _reference(value)


@pytest.mark.parametrize("value", [
    {}, [], (), [{}], [[]], {"a": {}}, {"a": []}, [[[]]], {"x": [[1]]}, "é\n\"\\\u2028",
    1.0, float("nan"), float("-inf"), -0.0, 10**30, {"a": [1, {"b": []}, "x"]},
    {2: 2, True: 3, None: [1], 1.5: "f"},
])
def test_encoder_edge_cases(value: Any) -> None:
    assert dumps_indent2(value) == _reference(value)


@pytest.mark.parametrize("value", [{"d": date(2027, 1, 4)}, [object()], {(1, 2): 1}])
def test_encoder_refuses_what_json_dumps_refuses(value: Any) -> None:
    with pytest.raises(TypeError):
        _reference(value)
    with pytest.raises(TypeError):
        dumps_indent2(value)
