"""Cohort benchmarks (issue 11): grouping, streaming, and Parquet in bounded memory.

    python benchmarks/cohort_stream.py                 # full: 1,000,000 participants to Parquet
    python benchmarks/cohort_stream.py --quick         # tiny workloads (seconds)
    python benchmarks/cohort_stream.py --participants 200000

Each pair runs interleaved A B A B in one process (machine noise hits both sides alike);
the table gives the minimum and the median per row of each side, in CPU time of the
process (user + system: a shared machine stretches wall time unevenly), and the ratio of
the medians. The regimen is the catalogue's ``mirocals`` (arm ``il2``: a 12-18 week riluzole
run-in, 19 cycles of aldesleukin, riluzole throughout; about 725 rows per participant).

1. Variable period lengths: the run-in drawn from 12-18 weeks per participant (7
   groups) against everyone on 12 weeks (one group): ``expand_cohort(...).to_numpy()``,
   every column.
2. Weekday patterns: the same regimen with riluzole on weekdays only, starts on any
   weekday (7 groups) against starts all on a Monday (one group).
   Pairs 1 and 2 run twice: in memory (``to_numpy``, 20,000 participants) and streamed
   (``iter_batches``, 100,000 participants: more rows to spread the templates over, in
   bounded memory).
3. Streaming to Arrow: ``iter_batches(rows=2**20)`` consumed batch by batch against
   ``to_arrow()`` of the whole cohort at once.
4. Parquet: ``to_parquet`` (streamed) against the in-memory path, ``to_arrow()`` then
   ``pyarrow.parquet.write_table`` with the same writer options.
5. Bounded memory: ``to_parquet`` of ``--participants`` (1,000,000 by default, every
   column) in a child process: its peak resident set size (VmHWM), time, rows per
   second; beside it the same child's peak after ``expand_cohort`` alone (the inputs and
   the templates, no rows).

Nothing here is a test assertion: the script prints a Markdown table and exits 0.
benchmarks/run.py includes these rows (``run_rows``); run on its own for this table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
START = "2027-01-04"  # a Monday


def inputs(n: int, seed: int = 2027) -> dict[str, Any]:
    """Starts over two years, body sizes, and a run-in length of 12-18 weeks each."""
    import numpy as np

    rng = np.random.default_rng(seed)
    offsets = rng.integers(0, 730, n)
    return {
        "starts": np.datetime64(START) + offsets.astype("timedelta64[D]"),
        "mondays": np.datetime64(START) + (offsets // 7 * 7).astype("timedelta64[D]"),
        "weights": np.round(rng.uniform(45.0, 110.0, n), 1),
        "heights": np.round(rng.uniform(150.0, 195.0, n), 0),
        "run_in": [f"{w} weeks" for w in rng.integers(12, 19, n)],
    }


def weekday_regimen() -> Any:
    """MIROCALS with riluzole on weekdays (Monday to Friday) instead of every day."""
    import regimens

    text = (ROOT / "src" / "regimens" / "catalog" / "mirocals.yaml").read_text("utf-8")
    changed = text.replace("daily: true", "weekdays: [mon, tue, wed, thu, fri]")
    assert changed != text
    return regimens.loads(changed, "mirocals-weekdays.yaml")


def _per_row(fn: Callable[[], int]) -> float:
    # CPU time of this process (user + system, page faults included), not wall time: on a
    # shared machine other processes stretch wall time unevenly between the two sides.
    t0 = time.process_time()
    rows = fn()
    return (time.process_time() - t0) / rows


def paired(a: Callable[[], int], b: Callable[[], int], repeat: int) -> dict[str, float]:
    """Seconds per row of each side, interleaved A B, B A, A B, ... (functions return their
    rows): each side runs first in half of the rounds, right after the other side has
    freed its arrays in the other half, and every sample has one of the other side's
    beside it in time."""
    a(), b()  # warm up (first-touch page faults, imports)
    ta, tb = [], []
    for i in range(repeat):
        if i % 2:
            tb.append(_per_row(b))
            ta.append(_per_row(a))
        else:
            ta.append(_per_row(a))
            tb.append(_per_row(b))
    return {"a_min": min(ta), "a_median": statistics.median(ta), "b_min": min(tb),
            "b_median": statistics.median(tb), "a": ta, "b": tb}


def _numpy_rows(regimen: Any, arm: str, starts: Any, **options: Any) -> Callable[[], int]:
    from regimens.cohort import expand_cohort

    def run() -> int:
        cohort = expand_cohort(regimen, arm, starts, **options)
        columns = cohort.to_numpy()
        return len(columns["date"])
    return run


def _streamed_rows(regimen: Any, arm: str, starts: Any, **options: Any) -> Callable[[], int]:
    from regimens.cohort import expand_cohort

    def run() -> int:
        cohort = expand_cohort(regimen, arm, starts, **options)
        return sum(b.num_rows for b in cohort.iter_batches(rows=1 << 20))
    return run


def workload_groups(n: int, repeat: int, streamed: bool) -> list[dict[str, Any]]:
    """Several groups against one, in memory (``to_numpy``) or streamed (``iter_batches``)."""
    import regimens

    data = inputs(n)
    mirocals = regimens.load("mirocals")
    sizes = {"weights": data["weights"], "heights": data["heights"]}
    rows = _streamed_rows if streamed else _numpy_rows
    how = "iter_batches(rows=2**20)" if streamed else "to_numpy()"
    variable = paired(
        rows(mirocals, "il2", data["starts"], lengths={"run-in": data["run_in"]}, **sizes),
        # The one group's length is given too (12 weeks, the run-in's shortest): without
        # it, every participant's assumed length is worked out and warned about.
        rows(mirocals, "il2", data["starts"], lengths={"run-in": "12 weeks"}, **sizes),
        repeat)
    weekdays = weekday_regimen()
    weekday = paired(rows(weekdays, "il2", data["starts"], **sizes),
                     rows(weekdays, "il2", data["mondays"], **sizes), repeat)
    return [
        {"workload": f"{n:,} participants, run-in 12-18 weeks each (7 groups), "
                     f"expand_cohort + {how}, every column",
         "baseline": "everyone on 12 weeks (one group)", "target": 1.5, **variable},
        {"workload": f"{n:,} participants, riluzole on weekdays, starts on any weekday "
                     f"(7 groups), expand_cohort + {how}, every column",
         "baseline": "starts all on Mondays (one group)", "target": 1.5, **weekday},
    ]


def workload_streaming(n: int, repeat: int, directory: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    import regimens
    from regimens.cohort import expand_cohort
    from regimens.cohort._arrow import parquet_options

    data = inputs(n)
    cohort = expand_cohort(regimens.load("mirocals"), "il2", data["starts"],
                           weights=data["weights"], heights=data["heights"],
                           lengths={"run-in": data["run_in"]})

    def batches() -> int:
        return sum(b.num_rows for b in cohort.iter_batches(rows=1 << 20))

    def whole() -> int:
        return int(cohort.to_arrow().num_rows)

    streaming = paired(batches, whole, repeat)
    streamed, in_memory = Path(directory, "streamed.parquet"), Path(directory, "whole.parquet")

    def to_parquet() -> int:
        cohort.to_parquet(streamed)
        return len(cohort)

    def write_table() -> int:
        table = cohort.to_arrow()
        pq.write_table(table, in_memory, **parquet_options(table.column_names, "snappy"))
        return int(table.num_rows)

    parquet = paired(to_parquet, write_table, repeat)
    return [
        {"workload": f"{n:,} participants ({len(cohort):,} rows), iter_batches(rows=2**20), "
                     "every column", "baseline": "to_arrow() of the whole cohort",
         "target": 1.5, **streaming},
        {"workload": f"{n:,} participants, to_parquet (streamed, snappy)",
         "baseline": "to_arrow() + pyarrow.parquet.write_table (in memory)", "target": 1.5,
         **parquet},
    ]


def parquet_worker(n: int, path: str, write: bool) -> None:
    """In a child process: build the cohort, write it (or not), print time and peak RSS."""
    import regimens
    from regimens.cohort import expand_cohort

    data = inputs(n)
    regimen = regimens.load("mirocals")
    t0 = time.perf_counter()
    cohort = expand_cohort(regimen, "il2", data["starts"], weights=data["weights"],
                           heights=data["heights"], lengths={"run-in": data["run_in"]})
    built = time.perf_counter() - t0
    if write:
        cohort.to_parquet(path)
    seconds = time.perf_counter() - t0
    peak = _peak()
    print(json.dumps({"rows": len(cohort), "seconds": seconds, "built": built, "peak": peak,
                      "bytes": os.path.getsize(path) if write else 0}))


def _peak() -> int:
    """This process's peak resident set size, in bytes (VmHWM on Linux): see
    ``run.peak_rss``, which benchmarks/run.py's cohort worker uses too."""
    from run import peak_rss

    return peak_rss()


def workload_bounded(n: int, directory: str) -> dict[str, Any]:
    path = str(Path(directory, "cohort.parquet"))
    out = {}
    for write in (False, True):
        proc = subprocess.run(
            [sys.executable, __file__, "--worker", str(n), path, "1" if write else "0"],
            capture_output=True, text=True, check=True)
        out[write] = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"participants": n, "rows": out[True]["rows"], "seconds": out[True]["seconds"],
            "peak": out[True]["peak"], "peak_without_rows": out[False]["peak"],
            "bytes": out[True]["bytes"], "built": out[False]["built"]}


def _ns(seconds: float) -> str:
    return f"{seconds * 1e9:.1f} ns"


def bounded_text(bounded: dict[str, Any]) -> str:
    """One sentence: the bounded-memory run's rows, time, peak memory and file size."""
    mib = 1024 * 1024
    return (f"Bounded memory: `to_parquet` of {bounded['participants']:,} participants "
            f"({bounded['rows']:,} rows, every column) took {bounded['seconds']:.0f} s "
            f"({bounded['rows'] / bounded['seconds'] / 1e6:.1f} million rows/s), "
            f"peak RSS {bounded['peak'] / mib:.0f} MiB (target: under 1,024 MiB); "
            f"the same process without writing any row peaks at "
            f"{bounded['peak_without_rows'] / mib:.0f} MiB (expand_cohort: "
            f"{bounded['built']:.1f} s). File: {bounded['bytes'] / mib:.0f} MiB "
            f"({bounded['bytes'] / bounded['rows']:.2f} bytes per row).")


def table(pairs: list[dict[str, Any]], bounded: dict[str, Any] | None) -> str:
    lines = ["| workload | regimens per row: min / median | baseline | baseline per row: "
             "min / median | ratio of medians | target |", "|---|---|---|---|---|---|"]
    for row in pairs:
        ratio = row["a_median"] / row["b_median"]
        lines.append(f"| {row['workload']} | {_ns(row['a_min'])} / {_ns(row['a_median'])} | "
                     f"{row['baseline']} | {_ns(row['b_min'])} / {_ns(row['b_median'])} | "
                     f"{ratio:.2f}x | <= {row['target']}x |")
    if bounded:
        lines += ["", bounded_text(bounded)]
    return "\n".join(lines)


def workloads(quick: bool, participants: int | None = None,
              repeat: int | None = None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every pair and the bounded-memory run (for benchmarks/run.py)."""
    repeat = repeat or (2 if quick else 7)
    n = 300 if quick else 20_000
    with tempfile.TemporaryDirectory() as directory:
        bounded = workload_bounded(participants or (2_000 if quick else 1_000_000), directory)
        # In memory, a sample maps about 0.8 GB afresh, whose pages the kernel zeroes
        # (system time: about 70% of the one-group side's CPU time on the project's
        # machine), and now and then the same page faults take 5-8x as long, on either
        # side: twice the samples, so that the medians depend less on where those fall.
        pairs = (workload_groups(n, 2 * repeat + 1, streamed=False)
                 + workload_groups(n * 5, max(3, repeat // 2), streamed=True)
                 + workload_streaming(n // 4, repeat, directory))
    return pairs, bounded


def run_rows(quick: bool, first: str = "5") -> tuple[list[dict[str, Any]], str]:
    """The pairs as rows of benchmarks/run.py's report, and the bounded-memory sentence.

    run.py prints seconds; a row's samples here are seconds per million rows (CPU time),
    so "12.0 ms" reads as 12 ns per row.
    """
    pairs, bounded = workloads(quick)
    rows = [{"n": first, "workload": f"{p['workload']} (CPU time per million rows)",
             "ours": [t * 1e6 for t in p["a"]], "baseline": p["baseline"],
             "base": [t * 1e6 for t in p["b"]], "target": p["target"]} for p in pairs]
    return rows, bounded_text(bounded)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny workloads")
    parser.add_argument("--participants", type=int, default=None,
                        help="participants written to Parquet (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))  # the checkout, if regimens is not installed
    if args.worker:
        n, path, write = args.worker
        parquet_worker(int(n), path, write == "1")
        return 0
    pairs, bounded = workloads(args.quick, args.participants, args.repeat)
    print(table(pairs, bounded))
    return 0


if __name__ == "__main__":
    sys.exit(main())
