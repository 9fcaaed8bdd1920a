"""Property tests: generated valid regimens, and generated invalid input.

Valid documents are generated as plain data, written as JSON or YAML text and read back
through ``regimens.loads``, so every property also exercises the parser and the checks.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import regimens
from regimens import Participant, RegimenError, StudyDay
from support.strategies import _text, documents, starts

# Generated regimens legitimately warn (a 'round' increment moving a dose by more than 10%,
# a time in a daylight-saving gap): warnings, not failures.
pytestmark = pytest.mark.filterwarnings("ignore::regimens.RegimenWarning")

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PARTICIPANT = Participant(weight="70 kg", height="175 cm")

def _uses_weekdays(doc: dict[str, Any]) -> bool:
    return any("weekdays" in c for p in doc["periods"] for c in p.get("courses", ()))


@SETTINGS
@given(documents(), st.booleans())
def test_generated_documents_load_and_round_trip(doc: dict[str, Any], as_json: bool) -> None:
    regimen = regimens.loads(_text(doc, as_json))
    for fmt in ("yaml", "json"):
        text = regimens.dumps(regimen, fmt=fmt)
        again = regimens.loads(text)
        assert again == regimen
        assert regimens.dumps(again, fmt=fmt) == text  # the written text is a fixed point


def _shift(a: regimens.Administration, days: int) -> regimens.Administration:
    at = a.at + timedelta(days=days) if a.at is not None else None
    return dataclasses.replace(a, date=a.date + timedelta(days=days), at=at)


@SETTINGS
@given(documents(), starts, st.integers(-400, 400), st.sampled_from(["a", "b"]))
def test_shifting_the_start_shifts_every_date(doc: dict[str, Any], start: date, shift: int,
                                              arm: str) -> None:
    if _uses_weekdays(doc):
        shift -= shift % 7
    has_times = any("times" in c for p in doc["periods"] for c in p.get("courses", ()))
    regimen = regimens.loads(json.dumps(doc))
    first = regimen.expand(arm, start, PARTICIPANT)
    second = regimen.expand(arm, start + timedelta(days=shift), PARTICIPANT)
    assert len(first.administrations) == len(second.administrations)
    if not has_times:  # without a time zone, a time of day is a plain wall time
        assert [_shift(a, shift) for a in first.administrations] == list(
            second.administrations)
    assert [(v.id, v.study_day, v.date + timedelta(days=shift)) for v in first.visits] == [
        (v.id, v.study_day, v.date) for v in second.visits]
    assert [(p.id, p.first_date + timedelta(days=shift)) for p in first.periods] == [
        (p.id, p.first_date) for p in second.periods]


@SETTINGS
@given(documents(), starts, st.sampled_from(["a", "b"]),
       st.sampled_from([None, "Europe/Paris", "America/New_York", "Australia/Lord_Howe"]))
def test_administrations_sorted_and_inside_their_periods(doc: dict[str, Any], start: date,
                                                         arm: str, tz: str | None) -> None:
    schedule = regimens.loads(json.dumps(doc)).expand(arm, start, PARTICIPANT, tz=tz)
    spans = {p.id: p for p in schedule.periods}
    keys = [(a.study_day.offset, a.time or a.at) for a in schedule.administrations]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)
    for a in schedule.administrations:
        span = spans[a.period]
        assert span.first_date <= a.date <= span.last_date
        assert span.first_day <= a.study_day <= span.last_day
        assert a.study_day.value != 0
        assert StudyDay.from_date(a.date, schedule.start) == a.study_day
        if a.dose.amount is not None:
            assert a.dose.amount.magnitude > 0
        if a.dose.per_basis is not None and a.dose.per_basis.max is not None:
            cap = a.dose.per_basis.max.to(a.dose.amount.unit)  # type: ignore[union-attr]
            assert a.dose.amount is not None
            assert a.dose.amount.magnitude <= cap.magnitude


@SETTINGS
@given(st.data())
def test_count_is_cycles_times_dosing_days(data: st.DataObject) -> None:
    cycle = data.draw(st.integers(1, 35), "cycle")
    cycles = data.draw(st.integers(1, 8), "cycles")
    spare = data.draw(st.integers(0, 20), "spare days")
    dosing = sorted(data.draw(st.sets(st.integers(1, cycle), min_size=1), "days"))
    doc = {"format": "regimens/1", "id": "c", "title": "C",
           "drugs": {"x": {"name": "x", "route": "oral"}}, "arms": {"a": {"label": "A"}},
           "periods": [{"id": "t", "length": f"{cycle * cycles + spare} days", "courses": [
               {"drug": "x", "dose": "5 mg", "cycle": f"{cycle} days", "cycles": cycles,
                "days": dosing}]}]}
    schedule = regimens.loads(json.dumps(doc)).expand("a", "2027-01-04")
    assert len(schedule.administrations) == cycles * len(dosing)
    expected = [k * cycle + d for k in range(cycles) for d in dosing]
    assert [a.study_day.value for a in schedule.administrations] == expected
    report = regimens.loads(json.dumps(doc)).check()
    assert report.summaries[0].administrations == (cycles * len(dosing),) * 2


@SETTINGS
@given(starts, st.integers(-100_000, 100_000))
def test_study_day_round_trip(day_one: date, offset: int) -> None:
    try:
        day = day_one + timedelta(days=offset)
    except OverflowError:
        assume(False)
        return
    study_day = StudyDay.from_date(day, day_one)
    assert study_day.value != 0
    assert study_day.to_date(day_one) == day
    assert StudyDay.from_offset(study_day.offset) == study_day
    assert (study_day.value > 0) == (day >= day_one)


@SETTINGS
@given(st.integers().filter(bool))
def test_study_day_value_round_trip(value: int) -> None:
    day = StudyDay(value)
    assert StudyDay.from_offset(day.offset) == day
    assert day.offset == (value - 1 if value > 0 else value)


# Invalid input --------------------------------------------------------------------------

JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 10**6), st.text(max_size=12),
    st.sampled_from(["", "0", "-1", "0 mg", "1 miu", "3 months", "12-8 weeks", "nan",
                     "1e6 cells/kg", "2e5 IU/m2", "mon", "08:00", "25:00", "start", "x",
                     "unspecified", "1-5", "5-1", "0-3", "28 days", "70 kg", "2027-02-30"]),
    st.lists(st.integers(-3, 40), max_size=4), st.dictionaries(st.text(max_size=5),
                                                              st.integers(), max_size=2),
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*path, i))
    return out


@SETTINGS
@given(documents(), st.data())
def test_mutated_documents_raise_only_regimen_errors(doc: dict[str, Any],
                                                     data: st.DataObject) -> None:
    for _ in range(data.draw(st.integers(1, 3), "mutations")):
        paths = [p for p in _paths(doc) if p]
        path = data.draw(st.sampled_from(paths), "path")
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        if data.draw(st.booleans(), "delete") and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(JUNK, "value")
    try:
        regimen = regimens.loads(json.dumps(doc))
        regimen.check()
        for arm in regimen.arms:
            regimen.expand(arm.id, "2027-01-04", PARTICIPANT, tz="Europe/Paris")
    except RegimenError:
        pass


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_raise_only_regimen_errors(data: bytes) -> None:
    with contextlib.suppress(RegimenError):
        regimens.loads(data)


@SETTINGS
@given(st.text(alphabet=st.sampled_from("ab:- \n[]{}&*!#'\"0123456789.%|>?,\t"), max_size=60))
def test_random_yaml_raises_only_regimen_errors(text: str) -> None:
    with contextlib.suppress(RegimenError):
        regimens.loads(text)
