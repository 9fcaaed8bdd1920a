"""Supply forecast benchmark (issue 15): simulations x participants of the MIROCALS arm.

    python benchmarks/supply_forecast.py                      # the issue's 1,000 x 500
    python benchmarks/supply_forecast.py --simulations 100    # a smaller scale
    python benchmarks/supply_forecast.py --quick              # seconds (the test suite's)

The plan is MIROCALS-like (benchmarks/plans/mirocals-3-sites.yaml): 3 sites, il2 and
placebo 1:1, Poisson-gamma enrolment up to ``--participants`` randomised, the 12-18 week
run-in drawn per participant, dropout 0.5% a week. Each workload runs in a child process
of its own (so that its peak memory is its own): ``simulate`` in this process (no Dask),
then on a local Dask cluster (``LocalCluster``, worker processes of one thread each) of
1 and of 2 workers. The table gives wall time, administrations per second (every
administration of every simulation, counted before reduction), the ratio of the wall
time to the single-process path's, and peak resident memory: VmHWM from
/proc/self/status of the process that calls ``simulate`` and reduces (with Dask it also
runs the scheduler) and, with Dask, the largest VmHWM among the worker processes (read
in each worker with ``client.run``). It also gives the size of ``Forecast.demand``, the
per-simulation cells the API returns, which is what grows with the simulations. The
result of each workload is the same forecast (checked here: the same summary table),
and the machine, the versions and the load average before and after are printed.

Nothing here is a test assertion: the script prints a Markdown table and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PLAN = HERE / "plans" / "mirocals-3-sites.yaml"


def peak_rss() -> int:
    """This process's peak resident set size in bytes (VmHWM; 0 where there is none)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def child(mode: str, simulations: int, participants: int, seed: int, folder: str) -> None:
    """One workload: prints a JSON line with its figures."""
    import hashlib

    from regimens.supply import load_plan, simulate

    text = PLAN.read_text(encoding="utf-8").replace("sample_size: 500",
                                                    f"sample_size: {participants}")
    path = Path(folder) / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    plan = load_plan(path)
    client = cluster = None
    if mode != "single":
        from dask.distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=int(mode[-1]), threads_per_worker=1,
                               processes=True, dashboard_address=":0",
                               local_directory=folder)
        client = Client(cluster)
    began = time.perf_counter()
    forecast = simulate("mirocals", plan, simulations=simulations, seed=seed, client=client)
    seconds = time.perf_counter() - began
    peak = peak_rss()  # before anything else here allocates
    workers = 0
    if client is not None:
        workers = max(client.run(peak_rss).values())
        client.close()
        cluster.close()  # type: ignore[union-attr]
    import pyarrow.compute as pc

    rows = pc.sum(forecast.demand.column("administrations")).as_py()
    digest = hashlib.sha256(repr(forecast.summary.to_pylist()).encode())
    print(json.dumps({"mode": mode, "seconds": seconds, "rows": rows, "peak": peak,
                      "workers": workers, "summary": digest.hexdigest(),
                      "cells": forecast.demand.num_rows, "demand": forecast.demand.nbytes}))


def run(simulations: int, participants: int, seed: int) -> list[dict[str, Any]]:
    out = []
    for mode in ("single", "dask-1", "dask-2"):
        with tempfile.TemporaryDirectory() as folder:
            proc = subprocess.run(
                [sys.executable, __file__, "--child", mode, "--simulations", str(simulations),
                 "--participants", str(participants), "--seed", str(seed), "--folder", folder],
                capture_output=True, text=True, check=True,
                env={**os.environ, "PYTHONWARNINGS": "ignore"})
            out.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return out


def table(results: list[dict[str, Any]], simulations: int, participants: int) -> str:
    base = results[0]["seconds"]
    lines = [f"Supply forecast, MIROCALS 3 sites 1:1: {simulations:,} simulations x "
             f"{participants:,} participants ({results[0]['rows']:,} administrations in all)",
             "",
             "| workload | wall time | administrations per second | ratio to single process "
             "| peak memory (reducing process) | peak memory (largest worker) |",
             "|---|---|---|---|---|---|"]
    names = {"single": "in this process (no Dask)", "dask-1": "Dask, 1 worker",
             "dask-2": "Dask, 2 workers"}
    for r in results:
        worker = f"{r['workers'] / 2**20:,.0f} MiB" if r["workers"] else "-"
        lines.append(f"| {names[r['mode']]} | {r['seconds']:,.1f} s | "
                     f"{r['rows'] / r['seconds']:,.0f} | {r['seconds'] / base:.2f}x | "
                     f"{r['peak'] / 2**20:,.0f} MiB | {worker} |")
    same = len({r["summary"] for r in results}) == 1
    first = results[0]
    lines += ["", "Same summary table in every workload: " + ("yes" if same else "NO"),
              f"Forecast.demand (every simulation's cells, returned): {first['cells']:,} rows, "
              f"{first['demand'] / 2**20:,.1f} MiB",
              f"Machine: {machine()}", f"Versions: {versions()}"]
    return "\n".join(lines)


def machine() -> str:
    """CPU model and count, memory, and the load average now (the machine may be shared)."""
    model = "unknown CPU"
    memory = 0
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            model = next((line.split(":", 1)[1].strip() for line in info
                          if line.startswith("model name")), model)
        with open("/proc/meminfo", encoding="ascii") as info:
            memory = next(int(line.split()[1]) for line in info if line.startswith("MemTotal"))
    except (OSError, StopIteration):
        pass
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{model}, {os.cpu_count()} cores, {memory / 2**20:,.0f} GiB; load average "
            f"(1, 5, 15 min) {load}")


def versions() -> str:
    from importlib.metadata import version

    names = ("regimens", "numpy", "pyarrow", "dask", "distributed")
    return ", ".join([f"Python {sys.version.split()[0]}"] + [f"{n} {version(n)}" for n in names])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--simulations", type=int, default=1000)
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="4 simulations x 20 (seconds)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.simulations, args.participants, args.seed, args.folder)
        return 0
    if args.quick:
        args.simulations, args.participants = 4, 20
    before = machine()
    print(table(run(args.simulations, args.participants, args.seed), args.simulations,
                args.participants))
    print(f"Before the run: {before}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
