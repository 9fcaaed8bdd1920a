"""Many participants in groups whose templates differ in size (variable run-in lengths and
weekday patterns): their rows are joined a few hundred participants at a time, each
participant's Day 1 added to its dates chunk by chunk. Every participant's rows, in every
output and for any choice of participants, are those of the same participant made alone
(one group: the broadcast path) and ``expand``'s, also across the chunks' edges."""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

import pytest

import regimens
from support import load

np = pytest.importorskip("numpy")
pa = pytest.importorskip("pyarrow")

from regimens.cohort import Cohort, expand_cohort  # noqa: E402
from support.cohort import assert_same_rows  # noqa: E402

# The run-in lasts 2-4 weeks (15 lengths); pred on Tuesdays and Thursdays not on il2 days
# makes the rows depend on the start weekday: dozens of groups, of different sizes.
RUN_IN = """\
day_one: treatment
periods:
  - id: run-in
    length: 2-4 weeks
    courses:
      - {drug: pred, dose: 5 mg, daily: true}
  - id: treatment
    length: 8 weeks
    blinded: true
    courses:
      - {drug: il2, arms: [a], dose: 1 MIU, cycle: 14 days, days: 1-5}
      - {drug: il2, arms: [b], placebo: true, cycle: 14 days, days: 1-5}
      - {drug: treg, dose: 1e6 cells/kg, every: 4 weeks, count: 2, times: ["09:30"]}
      - {drug: pred, dose: 5 mg, weekdays: [tue, thu], not_on: [il2]}
"""
N = 700  # more than two chunks of 256 participants, and a partial one


def _people() -> dict[str, Any]:
    rng = np.random.default_rng(11)
    starts = np.datetime64("2027-01-04") + rng.integers(-900, 900, N).astype("timedelta64[D]")
    starts[0] = np.datetime64("2027-01-05")  # a Tuesday (checked by hand below)
    days = rng.integers(14, 29, N)
    days[0] = 15
    return {"arms": ["a" if i % 3 else "b" for i in range(N)], "starts": starts,
            "weights": np.round(rng.uniform(40, 130, N), 1),
            "lengths": {"run-in": [f"{d} days" for d in days]}}


@pytest.fixture(scope="module")
def cohort() -> Cohort:
    people = _people()
    return expand_cohort(load(RUN_IN), people["arms"], people["starts"],
                         weights=people["weights"], lengths=people["lengths"])


def test_the_groups_differ_in_size(cohort: Cohort) -> None:
    sizes = {t.size for t in cohort._templates}
    assert len(cohort._templates) > 20
    assert len(sizes) > 10


def test_every_participant_equals_itself_alone(cohort: Cohort) -> None:
    whole = cohort.to_numpy()
    table = cohort.to_arrow()
    for i in range(N):
        rows = cohort.rows_of(i)
        alone = cohort.to_numpy(participants=[i])
        for name, column in alone.items():
            assert np.array_equal(whole[name][rows], column,
                                  equal_nan=column.dtype.kind in "fmM"), (i, name)
        assert table.slice(rows.start, rows.stop - rows.start).equals(
            cohort.to_arrow(participants=[i])), i


def test_participants_equal_expand(cohort: Cohort) -> None:
    people = _people()
    regimen = load(RUN_IN)
    columns = cohort.to_numpy()
    # The first and last participant of each chunk of 256, and a sample.
    for i in sorted({0, 1, 255, 256, 257, 511, 512, 513, N - 1, *range(3, N, 37)}):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", regimens.RegimenWarning)
            schedule = regimen.expand(
                people["arms"][i], people["starts"][i].astype(dt.date),
                regimens.Participant(weight=f"{float(people['weights'][i])!r} kg"),
                lengths={"run-in": people["lengths"]["run-in"][i]})
        assert_same_rows(cohort, columns, i, schedule)


def test_a_participants_first_and_last_dates_by_hand(cohort: Cohort) -> None:
    # Participant 0: Day 1 on Tuesday 2027-01-05, a run-in of 15 days: its first dose is
    # on Day -15, 2026-12-21; the treatment's 8 weeks end on Day 56, 2027-03-01, a Monday
    # (pred on Tuesdays and Thursdays, il2 on days 1-5 of each 14: the last il2 day is Day
    # 47, 2027-02-20; the last pred day Thursday 2027-02-25, Day 52).
    columns = cohort.to_numpy(["study_day", "date", "drug"], participants=slice(0, 2))
    rows = cohort.rows_of(0)
    dates = columns["date"][rows]
    assert (int(columns["study_day"][rows][0]), dates[0]) == (-15, np.datetime64("2026-12-21"))
    assert dates[-1] == np.datetime64("2027-02-25")
    assert int(columns["study_day"][rows][-1]) == 52
    assert cohort.categories["drug"][columns["drug"][rows][-1]] == "pred"


@pytest.mark.parametrize("participants", [
    slice(200, 600), slice(1, N, 2), [0, 255, 256, 300, 511, 512, 699],
    list(range(250, 530)),
])
def test_some_participants_equal_the_whole(cohort: Cohort, participants: Any) -> None:
    whole = cohort.to_numpy()
    part = cohort.to_numpy(participants=participants)
    chosen = range(N)[participants] if isinstance(participants, slice) else participants
    rows = np.concatenate([np.arange(cohort.rows_of(i).start, cohort.rows_of(i).stop)
                           for i in chosen])
    for name, column in part.items():
        assert np.array_equal(column, whole[name][rows], equal_nan=column.dtype.kind in "fmM")
    table = cohort.to_arrow(participants=participants)
    assert table.column("date").to_numpy().astype("datetime64[D]").tolist() == \
        whole["date"][rows].tolist()


@pytest.mark.parametrize("rows", [1000, 30_000, 1 << 20])
def test_batches_equal_the_table(cohort: Cohort, rows: int) -> None:
    batches = list(cohort.iter_batches(rows=rows))
    assert pa.Table.from_batches(batches).equals(cohort.to_arrow())
