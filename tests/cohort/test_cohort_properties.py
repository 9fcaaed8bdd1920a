"""Property: for any regimen and any participants, the cohort is ``expand``, participant by
participant: rows, visits and warnings, over arms, variable period lengths, start weekdays,
body sizes and time zones."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

import regimens
from support.strategies import documents

np = pytest.importorskip("numpy")
pa = pytest.importorskip("pyarrow")

from regimens.cohort import expand_cohort  # noqa: E402
from support.cohort import assert_same_rows  # noqa: E402

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ZONES = ("Europe/Paris", "America/New_York", "Australia/Lord_Howe", "UTC")


@st.composite
def cohorts(draw: st.DrawFn) -> dict[str, Any]:
    doc = draw(documents())
    # One period becomes variable (N to N+k days): lengths are then chosen per participant.
    variable = draw(st.sampled_from([None, *range(len(doc["periods"]))]))
    extra = draw(st.integers(1, 20))
    if variable is not None:
        period = doc["periods"][variable]
        shortest = int(period["length"].split()[0])
        period["length"] = f"{shortest}-{shortest + extra} days"
    n = draw(st.integers(1, 6))
    people: dict[str, Any] = {
        "arms": draw(st.lists(st.sampled_from(["a", "b"]), min_size=n, max_size=n)),
        "starts": draw(st.lists(st.dates(date(1990, 1, 1), date(2060, 12, 31)), min_size=n,
                                max_size=n)),
        "weights": draw(st.lists(st.integers(300, 1500).map(lambda w: w / 10), min_size=n,
                                 max_size=n)),
        "heights": draw(st.lists(st.integers(140, 200).map(float), min_size=n, max_size=n)),
    }
    if variable is not None:
        people["lengths"] = {doc["periods"][variable]["id"]: draw(st.lists(
            st.integers(shortest, shortest + extra).map(lambda d: f"{d} days"), min_size=n,
            max_size=n))}
    if draw(st.booleans()):
        people["tz"] = draw(st.lists(st.sampled_from(ZONES), min_size=n, max_size=n))
    return {"doc": doc, "people": people, "n": n}


def _one(regimen: regimens.Regimen, people: dict[str, Any], i: int) -> regimens.Schedule:
    participant = regimens.Participant(weight=f"{people['weights'][i]!r} kg",
                                       height=f"{people['heights'][i]!r} cm")
    lengths = {k: v[i] for k, v in people.get("lengths", {}).items()}
    arm = people["arms"][i]
    on_path = {p.id for p in regimen.path(arm)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        return regimen.expand(arm, people["starts"][i], participant,
                              lengths={k: v for k, v in lengths.items() if k in on_path},
                              tz=people["tz"][i] if "tz" in people else None)


@SETTINGS
@given(cohorts())
def test_the_cohort_is_expand_for_every_participant(case: dict[str, Any]) -> None:
    try:
        regimen = regimens.loads(json.dumps(case["doc"]))
    except regimens.InvalidRegimenError:
        reject()  # the variable length made the generated document invalid
    people, n = case["people"], case["n"]
    schedules = []
    for i in range(n):
        try:
            schedules.append(_one(regimen, people, i))
        except regimens.RegimenError:
            # The cohort refuses too (possibly naming another participant first).
            with pytest.raises(regimens.RegimenError):
                expand_cohort(regimen, people["arms"], people["starts"],
                              weights=people["weights"], heights=people["heights"],
                              lengths=people.get("lengths"), tz=people.get("tz"))
            return
    cohort = expand_cohort(regimen, people["arms"], people["starts"],
                           weights=people["weights"], heights=people["heights"],
                           lengths=people.get("lengths"), tz=people.get("tz"))
    columns = cohort.to_numpy(list(cohort.columns) + (["at"] if "tz" in people else []))
    visits = cohort.visits().to_pylist()
    for i, schedule in enumerate(schedules):
        assert_same_rows(cohort, columns, i, schedule)
        assert cohort.warnings_of(i) == tuple(str(w) for w in schedule.warnings)
        mine = [v for v in visits if v["participant"] == i]
        assert [(v["visit"], v["study_day"], v["date"], v["earliest"], v["latest"],
                 v["period"]) for v in mine] == [
            (v.id, v.study_day.value, v.date, v.earliest, v.latest, v.period)
            for v in schedule.visits]
    # Streaming gives the same rows, in batches of any size.
    rows = 1 + len(cohort) // 3
    streamed = pa.Table.from_batches(list(cohort.iter_batches(rows=rows)),
                                     schema=cohort.to_arrow().schema)
    assert streamed.equals(cohort.to_arrow())


def test_dates_are_date32_not_python_objects() -> None:
    cohort = expand_cohort("mirocals", ["il2", "placebo"], ["2027-01-04", "2027-01-05"])
    table = cohort.to_arrow(["date"])
    assert table.schema.field("date").type == pa.date32()
    assert table.column("date").to_pylist()[0] == dt.date(2026, 10, 12)  # Day -84
    assert cohort.to_numpy(["date"])["date"].dtype == np.dtype("datetime64[D]")
