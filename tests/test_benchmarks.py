"""The benchmark scripts run (on a tiny workload); their figures are never asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_benchmarks_run_quick() -> None:
    pytest.importorskip("numpy")
    pytest.importorskip("recurring_ical_events")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--participants", "200",
         "--repeat", "1"],
        capture_output=True, text=True, timeout=600, cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("| # | workload | regimens min | regimens median | against |")
    for workload in ("| 1 |", "| 2 |", "| 3 |", "| 4 |", "peak memory", "CPU:", "(floor)",
                     "plain `date + timedelta` loop", "recurring-ical-events, parse",
                     "the floor of its imports"):
        assert workload in out


def test_supply_benchmark_runs_quick() -> None:
    pytest.importorskip("numpy")
    pytest.importorskip("dask.distributed")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "supply_forecast.py"), "--quick"],
        capture_output=True, text=True, timeout=600, cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("Supply forecast, MIROCALS 3 sites 1:1: 4 simulations x 20 "
                          "participants")
    for row in ("| in this process (no Dask) |", "| Dask, 1 worker |", "| Dask, 2 workers |",
                "Same summary table in every workload: yes"):
        assert row in out
