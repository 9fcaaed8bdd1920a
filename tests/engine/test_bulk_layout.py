"""The engine's bulk path (a schedule kept as columns, rows made when read) gives the same
schedule as the row by row path, field by field, and takes the row by row path wherever a
row depends on more than its slot and its step's dose."""

from __future__ import annotations

import copy
import json
import pickle
import warnings
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import regimens
from regimens.engine import columns_of, resolve
from regimens.engine._layout import _lay_out
from support import load
from support.strategies import documents, starts

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _both(regimen: regimens.Regimen, arm: str, start: date | str, **options: Any
          ) -> tuple[regimens.Schedule, regimens.Schedule]:
    line = resolve(regimen, arm=arm, start=start, **options)
    bulk = _lay_out(regimen, line, False, frozenset())
    rows = _lay_out(regimen, line, False, frozenset(), allow_bulk=False)
    assert columns_of(rows) is None
    return bulk, rows


def _assert_same(bulk: regimens.Schedule, rows: regimens.Schedule) -> None:
    # Outputs first, while the bulk schedule has made no row yet (their own bulk paths).
    assert bulk.totals == rows.totals
    assert bulk.to_json() == rows.to_json()
    assert bulk.to_csv() == rows.to_csv()
    assert len(bulk.administrations) == len(rows.administrations)
    for a, b in zip(bulk.administrations, rows.administrations, strict=True):
        assert a == b
        assert list(a.__dict__.items()) == list(b.__dict__.items())  # same fields, same order
        assert a.dose is b.dose or a.dose == b.dose
    assert [(type(w), str(w)) for w in bulk.warnings] == [
        (type(w), str(w)) for w in rows.warnings]
    for name in ("regimen", "arm", "start", "participant", "tz", "bsa_formula",
                 "bsa_decimals", "periods", "courses", "visits", "calendar", "replayed"):
        assert getattr(bulk, name) == getattr(rows, name), name
    assert bulk.to_table() == rows.to_table()


@SETTINGS
@given(documents(), starts, st.sampled_from(["a", "b"]),
       st.sampled_from([None, "70 kg"]))
def test_bulk_and_row_by_row_give_the_same_schedule(doc: dict[str, Any], start: date,
                                                    arm: str, weight: str | None) -> None:
    regimen = regimens.loads(json.dumps(doc))
    participant = regimens.Participant(weight=weight, height="170 cm") if weight else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        line = resolve(regimen, arm=arm, start=start, participant=participant)
        refused = []
        for allow_bulk in (True, False):
            try:
                _lay_out(regimen, line, False, frozenset(), allow_bulk=allow_bulk)
            except regimens.RegimenError as exc:
                refused.append((type(exc), str(exc)))
        # Refused alike by both paths (the same message), or by neither.
        assert len(refused) in (0, 2)
        assert len(set(refused)) <= 1
        if refused:
            return
        bulk, rows = _both(regimen, arm, start, participant=participant)
    _assert_same(bulk, rows)


HEAD = """\
format: regimens/1
id: r
title: T
drugs:
  a: {name: drug A, route: oral}
  b: {name: drug B, route: intravenous, vials: [10 mg, 50 mg]}
arms:
  x: {label: X}
"""

#: Regimens that take the bulk path, each with steps, cycles, times or vials.
BULK = {
    "steps by cycles and times": """
periods:
  - id: t
    length: 12 weeks
    courses:
      - drug: a
        times: ["08:00", "20:00"]
        cycle: 14 days
        days: 1-5
        steps:
          - {cycles: 2, dose: 5 mg}
          - {dose: 10 mg}
      - {drug: b, dose: 2 mg/kg, every: 7 days}
""",
    "Day 0, a sparse course and a dense one": """
day_zero: true
periods:
  - id: t
    length: 400 days
    courses:
      - {drug: a, dose: 1 mg, every: 21 days}
      - {drug: b, dose: 10 mg, days: [-2, -1, 1, 2, 3, 4, 5]}
""",
    "a run-in before Day 1 and a weekday pattern": """
day_one: t
periods:
  - id: r
    length: 10 days
    courses:
      - {drug: a, dose: 1 mg, daily: true}
  - id: t
    length: 30 days
    courses:
      - {drug: a, dose: 2 mg, weekdays: [mon, wed, fri]}
      - {drug: b, dose: 25 mg, cycle: 7 days, days: [1, 2]}
""",
}


@pytest.mark.parametrize("name", sorted(BULK))
def test_bulk_path_is_taken_and_matches(name: str) -> None:
    regimen = load(BULK[name], head=HEAD)
    participant = regimens.Participant(weight="70 kg")
    for start in ("2027-01-04", "2027-01-07", "2027-03-28"):
        bulk, rows = _both(regimen, "x", start, participant=participant)
        assert columns_of(bulk) is not None
        _assert_same(bulk, rows)


def test_mirocals_takes_the_bulk_path() -> None:
    regimen = regimens.load("mirocals")
    bulk, rows = _both(regimen, "il2", "2027-01-04")
    assert columns_of(bulk) is not None
    assert "administrations" not in vars(bulk)  # no row made yet
    _assert_same(bulk, rows)
    # Read once: made once, then kept.
    assert bulk.administrations is bulk.administrations


#: Options under which a row depends on its day: the row by row path.
ROW_BY_ROW: dict[str, tuple[dict[str, Any], str]] = {
    "a time zone with times of day": ({"tz": "Europe/Paris"}, BULK["steps by cycles and times"]),
    "a site calendar": ({"calendar": regimens.SiteCalendar(
        closed=("sat", "sun"))}, BULK["steps by cycles and times"]),
    "not_on": ({}, """
periods:
  - id: t
    length: 20 days
    courses:
      - {drug: a, dose: 1 mg, daily: true, not_on: [b]}
      - {drug: b, dose: 10 mg, every: 3 days}
"""),
}


@pytest.mark.parametrize("name", sorted(ROW_BY_ROW))
def test_row_by_row_where_a_row_depends_on_its_day(name: str) -> None:
    options, body = ROW_BY_ROW[name]
    regimen = load(body, head=HEAD)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        schedule = regimen.expand("x", "2027-01-04", regimens.Participant(weight="70 kg"),
                                  **options)
    assert columns_of(schedule) is None
    assert "administrations" in vars(schedule)


@pytest.mark.parametrize("lengths", [None, {"run-in": "12 weeks"}])
def test_a_bulk_schedule_pickles_and_copies_as_rows(lengths: dict[str, str] | None) -> None:
    # Without the run-in's length the schedule holds an AnchorLengthWarning (its 84 days
    # assumed): warnings compare by value, so the copies are equal all the same.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        schedule = regimens.load("mirocals").expand("il2", "2027-01-04", lengths=lengths)
    assert len(schedule.warnings) == (0 if lengths else 1)
    assert columns_of(schedule) is not None
    data = pickle.dumps(schedule)
    assert b"AdministrationColumns" not in data
    assert b"_schedule" not in data
    again = pickle.loads(data)
    assert again == schedule
    assert again.warnings == schedule.warnings
    assert columns_of(again) is None
    assert copy.copy(schedule) == schedule
    assert copy.deepcopy(schedule) == schedule
