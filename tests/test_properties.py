"""Property tests: generated valid regimens, and generated invalid input.

Valid documents are generated as plain data, written as JSON or YAML text and read back
through ``regimens.loads``, so every property also exercises the parser and the checks.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import itertools
import json
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

import regimens
from regimens import Participant, RegimenError, StudyDay

# Generated regimens legitimately warn (a 'round' increment moving a dose by more than 10%,
# a time in a daylight-saving gap): warnings, not failures.
pytestmark = pytest.mark.filterwarnings("ignore::regimens.RegimenWarning")

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
DRUGS = ("il2", "pred", "treg")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTICIPANT = Participant(weight="70 kg", height="175 cm")
starts = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


def _text(data: dict[str, Any], as_json: bool) -> str:
    if as_json:
        return json.dumps(data)
    yaml = YAML(typ="safe", pure=True)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


@st.composite
def doses(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["flat", "per_kg", "per_m2", "placebo", "unspecified"]))
    n = draw(st.integers(1, 500))
    if kind == "flat":
        return {"dose": f"{n} {draw(st.sampled_from(['mg', 'MIU', 'mcg', 'cells']))}"}
    if kind == "per_kg":
        out: dict[str, Any] = {"dose": f"{n} mg/kg"}
        if draw(st.booleans()):
            out["max"] = f"{draw(st.integers(1, 40000))} mg"
        if draw(st.booleans()):
            out["round"] = f"{draw(st.integers(1, 50))} mg"
            out["rounding"] = draw(st.sampled_from(["nearest", "up", "down"]))
        return out
    if kind == "per_m2":
        return {"dose": f"{n}e3 IU/m2"}
    if kind == "placebo":
        return {"placebo": True}
    return {"dose": "unspecified", "dose_note": "titrated to trough level"}


def _day_list(draw: st.DrawFn, window: int) -> list[int]:
    return sorted(draw(st.sets(st.integers(1, window), min_size=1, max_size=min(window, 6))))


def _split(draw: st.DrawFn, total: int, parts: int) -> list[int]:
    """``total`` as ``parts`` positive whole numbers."""
    cuts = sorted(draw(st.sets(st.integers(1, total - 1), min_size=parts - 1,
                               max_size=parts - 1))) if parts > 1 else []
    bounds = [0, *cuts, total]
    return [b - a for a, b in itertools.pairwise(bounds)]


@st.composite
def courses(draw: st.DrawFn, length: int) -> dict[str, Any]:
    c: dict[str, Any] = {"drug": draw(st.sampled_from(DRUGS))}
    start = draw(st.integers(1, length)) if draw(st.booleans()) else 1
    if start != 1:
        c["start"] = start
    span = length - start + 1
    if draw(st.booleans()):
        span = draw(st.integers(1, span))
        c["for"] = f"{span} days"
    window = span
    kind = draw(st.sampled_from(["days", "every", "weekdays", "daily", "day-steps",
                                 "cycle-steps", "admin-steps"]))
    if kind in ("days", "every", "weekdays", "daily", "cycle-steps") and draw(st.booleans()):
        cycle = draw(st.integers(1, span))
        c["cycle"] = f"{cycle} days"
        window = cycle
        if kind == "cycle-steps" or draw(st.booleans()):
            cycles = draw(st.integers(1, span // cycle))
            if kind != "cycle-steps":
                c["cycles"] = cycles
    elif kind == "cycle-steps":
        kind = "days"
    if kind in ("days", "admin-steps"):
        c["days"] = _day_list(draw, window)
    elif kind == "every":
        every = draw(st.integers(1, window))
        c["every"] = f"{every} days"
        if draw(st.booleans()):
            c["count"] = draw(st.integers(1, 1 + (window - 1) // every))
    elif kind == "weekdays":
        c["weekdays"] = sorted(draw(st.sets(st.sampled_from(WEEKDAYS), min_size=1)),
                               key=WEEKDAYS.index)
    elif kind == "daily":
        c["daily"] = True
    if kind == "day-steps":
        chosen = _day_list(draw, window)
        sizes = _split(draw, len(chosen), draw(st.integers(1, len(chosen))))
        steps, at = [], 0
        for size in sizes:
            steps.append({"dose": f"{draw(st.integers(1, 100))} mg", "days": chosen[at:at + size]})
            at += size
        c["steps"] = steps
    elif kind == "cycle-steps":
        parts = _split(draw, cycles, draw(st.integers(1, cycles)))
        c["steps"] = [{"dose": f"{draw(st.integers(1, 9))}e6 cells/kg", "cycles": n}
                      for n in parts]
        c["days"] = _day_list(draw, window)
    elif kind == "admin-steps":
        parts = _split(draw, len(c["days"]), draw(st.integers(1, len(c["days"]))))
        c["steps"] = [{"dose": f"{draw(st.integers(1, 100))} mg", "administrations": n}
                      for n in parts]
    else:
        c.update(draw(doses()))
    if kind != "admin-steps" and draw(st.integers(0, 4)) == 0:
        c["times"] = sorted(draw(st.sets(st.sampled_from(["00:30", "02:30", "08:00", "20:15"]),
                                         min_size=1)))
    if draw(st.integers(0, 3)) == 0:
        c["arms"] = ["a"]
    return c


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    periods = []
    for index in range(draw(st.integers(1, 3))):
        length = draw(st.integers(1, 70))
        period: dict[str, Any] = {"id": f"p{index}", "length": f"{length} days"}
        period["courses"] = [draw(courses(length)) for _ in range(draw(st.integers(0, 3)))]
        # A blinded period's placebo must match an active course of the same drug.
        active = {c["drug"] for c in period["courses"] if not c.get("placebo")}
        if draw(st.integers(0, 3)) == 0 and all(
                c["drug"] in active for c in period["courses"] if c.get("placebo")):
            period["blinded"] = True
        periods.append(period)
    doc: dict[str, Any] = {
        "format": "regimens/1", "id": "generated", "title": "Generated",
        "drugs": {"il2": {"name": "aldesleukin", "route": "subcutaneous"},
                  "pred": {"name": "prednisone", "route": "oral"},
                  "treg": {"name": "Treg cells", "route": "intravenous"}},
        "arms": {"a": {"label": "A"}, "b": {"label": "B"}},
        "periods": periods,
    }
    if len(periods) > 1 and draw(st.booleans()):
        doc["day_one"] = draw(st.sampled_from([p["id"] for p in periods]))
    visits = []
    for index in range(draw(st.integers(0, 3))):
        visit: dict[str, Any] = {"id": f"v{index}"}
        anchor = draw(st.sampled_from(["day", "week", "period"]))
        if anchor == "day":
            visit["day"] = draw(st.integers(-30, 200).filter(bool))
        elif anchor == "week":
            visit["week"] = draw(st.integers(0, 30))
        else:
            visit["period"] = draw(st.sampled_from([p["id"] for p in periods]))
            visit["at"] = draw(st.sampled_from(["start", "end"]))
        if draw(st.booleans()):
            visit["window"] = f"{draw(st.integers(0, 7))} days"
        visits.append(visit)
    if visits:
        doc["visits"] = visits
    return doc


def _uses_weekdays(doc: dict[str, Any]) -> bool:
    return any("weekdays" in c for p in doc["periods"] for c in p.get("courses", ()))


@SETTINGS
@given(documents(), st.booleans())
def test_generated_documents_load_and_round_trip(doc: dict[str, Any], as_json: bool) -> None:
    regimen = regimens.loads(_text(doc, as_json))
    assert regimens.loads(regimens.dumps(regimen)) == regimen
    assert regimens.loads(regimens.dumps(regimen, fmt="json")) == regimen


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
