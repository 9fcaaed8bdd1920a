"""Several groups whose templates have as many rows (a weekday pattern over whole weeks,
two arms with as many administrations): the rows are made as one (participants x rows)
block, each participant's line copied from its template's. Row by row the same as
``expand`` for each participant, in every output, for any choice of participants."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

import regimens
from support import load

np = pytest.importorskip("numpy")
pa = pytest.importorskip("pyarrow")

from regimens.cohort import Cohort, expand_cohort  # noqa: E402
from support.cohort import assert_same_rows  # noqa: E402

# 4 whole weeks: 12 il2 days (Mon, Wed, Fri) and 8 pred days (Tue, Thu) whatever the start
# weekday; arm b has a placebo where arm a has il2, so both arms have 20 rows + 4 treg.
WEEKS = """\
periods:
  - id: t
    length: 4 weeks
    courses:
      - {drug: il2, arms: [a], dose: 2e5 IU/m2, weekdays: [mon, wed, fri]}
      - {drug: il2, arms: [b], placebo: true, weekdays: [mon, wed, fri]}
      - {drug: pred, dose: 5 mg, weekdays: [tue, thu], times: ["08:00"]}
      - {drug: treg, dose: 1e6 cells/kg, every: 1 week}
"""
N = 23


def _cohort(tz: str | None = None) -> tuple[Cohort, list[regimens.Schedule]]:
    regimen = load(WEEKS)
    starts = np.datetime64("2027-01-04") + np.arange(N).astype("timedelta64[D]") * 3
    arms = ["a" if i % 3 else "b" for i in range(N)]
    weights = np.round(np.linspace(45.0, 110.0, N), 1)
    heights = np.round(np.linspace(150.0, 195.0, N), 0)
    cohort = expand_cohort(regimen, arms, starts, weights=weights, heights=heights, tz=tz)
    schedules = []
    for i in range(N):
        participant = regimens.Participant(weight=f"{weights[i]} kg", height=f"{heights[i]} cm")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            schedules.append(regimen.expand(arms[i], str(starts[i]), participant, tz=tz))
    return cohort, schedules


@pytest.mark.parametrize("tz", [None, "Europe/Paris"])
def test_every_column_equals_expand(tz: str | None) -> None:
    cohort, schedules = _cohort(tz)
    assert len(cohort._templates) == 14  # 2 arms x 7 start weekdays, 24 rows each
    assert {t.size for t in cohort._templates} == {24}
    columns = cohort.to_numpy()
    assert cohort._stacked  # the (participants x rows) path made these rows
    for i, schedule in enumerate(schedules):
        assert_same_rows(cohort, columns, i, schedule)


@pytest.mark.parametrize("participants", [slice(2, 9), [0, 5, 6, 13, 22], slice(0, N, 4)])
def test_some_participants_and_arrow_equal_the_whole(participants: Any) -> None:
    cohort, schedules = _cohort()
    whole = cohort.to_numpy()
    part = cohort.to_numpy(participants=participants)
    chosen = range(N)[participants] if isinstance(participants, slice) else participants
    rows = np.concatenate([np.arange(cohort.rows_of(i).start, cohort.rows_of(i).stop)
                           for i in chosen])
    for name, column in part.items():
        assert np.array_equal(column, whole[name][rows], equal_nan=column.dtype.kind in "fmM")
    first = 0
    for i in chosen:
        assert_same_rows(cohort, part, i, schedules[i], first)
        first += len(schedules[i].administrations)
    table = cohort.to_arrow(participants=participants)
    assert table.column("date").to_pylist() == [
        a.date for i in chosen for a in schedules[i].administrations]
    assert table.column("time").to_pylist() == [
        a.time for i in chosen for a in schedules[i].administrations]
    assert table.column("arm").to_pylist() == [
        schedules[i].arm for i in chosen for _ in schedules[i].administrations]


@pytest.mark.parametrize("rows", [24, 50, 100, 1 << 20])
def test_batches_equal_the_table(rows: int) -> None:
    cohort, _ = _cohort()
    batches = list(cohort.iter_batches(rows=rows))
    assert pa.Table.from_batches(batches).equals(cohort.to_arrow())
