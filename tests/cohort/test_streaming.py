"""Streaming a cohort: record batches of bounded size, and Parquet files written safely."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

import regimens

np = pytest.importorskip("numpy")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from regimens.cohort import Cohort, arrow_schema, expand_cohort  # noqa: E402


def _mirocals(n: int, seed: int = 5) -> Cohort:
    rng = np.random.default_rng(seed)
    starts = np.datetime64("2027-01-04") + rng.integers(0, 365, n).astype("timedelta64[D]")
    run_in = [f"{w} weeks" for w in rng.integers(12, 19, n)]
    arms = rng.choice(["il2", "placebo"], n).tolist()
    return expand_cohort("mirocals", arms, starts, lengths={"run-in": run_in})


@pytest.mark.parametrize("rows", [1, 100, 725, 731, 5000, 1 << 20])
def test_batches_hold_whole_participants_and_at_most_rows(rows: int) -> None:
    cohort = _mirocals(7)
    whole = cohort.to_arrow()
    batches = list(cohort.iter_batches(rows=rows))
    assert all(0 < b.num_rows <= rows for b in batches)
    assert all(b.schema == arrow_schema(cohort.columns) for b in batches)
    assert pa.Table.from_batches(batches).equals(whole)
    # A batch ends between participants unless one participant has more than `rows` rows
    # (a MIROCALS participant has 725 to 767).
    ends = np.cumsum([b.num_rows for b in batches])
    boundaries = {cohort.rows_of(i).stop for i in range(cohort.participants)}
    for end, batch in zip(ends, batches, strict=True):
        participants = set(batch.column("participant").to_pylist())
        if len(participants) > 1:  # whole participants: it starts and ends between two
            assert int(end) in boundaries
            assert int(end) - batch.num_rows in boundaries | {0}
        else:
            # One participant: whole, or one with more than `rows` rows, split into full
            # batches of `rows` rows and its last piece.
            (i,) = participants
            size = cohort.rows_of(i).stop - cohort.rows_of(i).start
            assert int(end) in boundaries or (size > rows and batch.num_rows == rows)


def test_batches_of_some_participants() -> None:
    cohort = _mirocals(9)
    picked = [1, 4, 5, 8]
    batches = list(cohort.iter_batches(rows=1000, participants=picked))
    table = pa.Table.from_batches(batches)
    assert table.equals(cohort.to_arrow(participants=picked))
    assert sorted(set(table.column("participant").to_pylist())) == picked
    sliced = pa.Table.from_batches(list(cohort.iter_batches(rows=2000,
                                                            participants=slice(2, 6))))
    assert sliced.equals(cohort.to_arrow(participants=slice(2, 6)))


def test_each_batch_makes_only_its_own_participants(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunked access costs O(chunk): every call makes rows for the batch's participants
    only, never for the whole cohort."""
    cohort = _mirocals(40)
    made: list[int] = []
    original = cohort._make

    def spy(names: list[str], chosen: Any, **options: Any) -> dict[str, Any]:
        size = (chosen.stop - chosen.start) if isinstance(chosen, slice) else len(chosen)
        made.append(size)
        return original(names, chosen, **options)

    monkeypatch.setattr(cohort, "_make", spy)
    batches = list(cohort.iter_batches(rows=2000))
    # 2,000 rows hold 2 MIROCALS participants (725 to 767 rows each): 20 calls of 2.
    assert made == [2] * 20
    assert len(batches) == 20
    made.clear()
    cohort.to_numpy(participants=slice(10, 13))
    assert made == [3]


def test_rows_must_be_a_positive_whole_number() -> None:
    cohort = _mirocals(2)
    for bad in (0, -5, 1.5, True, "100"):
        with pytest.raises(regimens.ExpandOptionError) as caught:
            cohort.iter_batches(rows=bad)  # type: ignore[arg-type]
        assert str(caught.value).startswith("rows: a whole number of rows from 1 to ")


def test_empty_cohort_streams_nothing(tmp_path: Path) -> None:
    cohort = expand_cohort("imodals", "placebo", np.array([], dtype="datetime64[D]"))
    assert list(cohort.iter_batches()) == []
    cohort.to_parquet(tmp_path / "empty.parquet")
    table = pq.read_table(tmp_path / "empty.parquet")
    assert table.num_rows == 0
    assert table.schema.names == list(cohort.columns)


def test_parquet_reads_back_as_the_table(tmp_path: Path) -> None:
    cohort = _mirocals(6)
    target = tmp_path / "cohort.parquet"
    cohort.to_parquet(target, rows=1000)
    back = pq.read_table(target)
    whole = cohort.to_arrow()
    assert back.schema.field("date").type == pa.date32()
    assert back.schema.field("drug").type == pa.dictionary(pa.int32(), pa.string()) or \
        back.schema.field("drug").type == pa.dictionary(pa.int16(), pa.string())
    assert back.num_rows == whole.num_rows
    for name in whole.column_names:
        assert back.column(name).to_pylist() == whole.column(name).to_pylist(), name
    assert pq.ParquetFile(target).metadata.num_row_groups >= 5  # streamed, batch by batch
    assert [p.name for p in tmp_path.iterdir()] == ["cohort.parquet"]  # no temporary left


def test_parquet_replaces_a_file_whole_or_not_at_all(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    cohort = _mirocals(4)
    target = tmp_path / "cohort.parquet"
    target.write_bytes(b"the previous file")
    os.chmod(target, 0o640)

    def failing(self: Any, batch: Any, *args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(pq.ParquetWriter, "write_batch", failing)
        with pytest.raises(OSError, match="No space left on device") as caught:
            cohort.to_parquet(target)
    assert caught.value.filename == str(target)
    assert target.read_bytes() == b"the previous file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cohort.parquet"]
    cohort.to_parquet(target)
    assert pq.read_table(target).num_rows == len(cohort)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the file keeps its mode


def test_parquet_through_a_link_replaces_the_file(tmp_path: Path) -> None:
    cohort = _mirocals(2)
    real = tmp_path / "real.parquet"
    real.write_bytes(b"old")
    link = tmp_path / "link.parquet"
    link.symlink_to(real)
    cohort.to_parquet(link)
    assert link.is_symlink()
    assert pq.read_table(real).num_rows == len(cohort)


def test_parquet_refuses_a_directory_and_a_fifo(tmp_path: Path) -> None:
    cohort = _mirocals(2)
    with pytest.raises(IsADirectoryError) as caught:
        cohort.to_parquet(tmp_path)
    assert caught.value.filename == str(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file") as refused:
        cohort.to_parquet(fifo)
    assert refused.value.filename == str(fifo)
    with pytest.raises(regimens.ExpandOptionError):
        cohort.to_parquet(tmp_path / "x.parquet", rows=0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]
