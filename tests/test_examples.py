"""The example scripts run against the shipped catalogue and print what they should."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(EXAMPLES / script), *args],
                          capture_output=True, text=True, check=False, cwd=ROOT, timeout=120)


def _rows(out: str, drug: str) -> list[list[str]]:
    return [line.split() for line in out.splitlines() if drug in line and line[:4].strip()]


def test_print_schedule_default_is_mirocals() -> None:
    done = _run("print_schedule.py")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "MIROCALS" in out
    assert "Arm: il2" in out
    assert "Study Day 1: Mon 2027-01-04" in out
    assert "-84  Mon 2026-10-12" in out  # run-in before Day 1
    assert "509  " in out
    assert "2 million units" in out


def test_print_schedule_with_arguments() -> None:
    done = _run("print_schedule.py", "nct04055623", "--arm", "ole-only", "--start",
                "2027-01-06", "--weight", "70 kg", "--bsa", "1.8 m2", "--drug", "treg")
    assert done.returncode == 0, done.stderr
    doses = re.findall(r"(\d+) million cells +intravenous", done.stdout)
    assert doses == ["70", "70", "140", "140", "210", "210"]
    assert "Study Day 1: Wed 2027-01-06" in done.stdout
    assert "interleukin-2" not in done.stdout.split("How doses")[0]


def test_print_schedule_run_in_length_and_calendar() -> None:
    done = _run("print_schedule.py", "mirocals", "--length", "run-in=18 weeks", "--drug",
                "riluzole")
    assert done.returncode == 0, done.stderr
    assert "-126  Mon 2026-08-31" in done.stdout
    done = _run("print_schedule.py", "imodals", "--calendar")
    assert done.returncode == 0, done.stderr
    assert "Legend: * dosing day" in done.stdout
    assert "15 administrations" in done.stdout


def test_print_schedule_reports_a_bad_arm() -> None:
    done = _run("print_schedule.py", "mirocals", "--arm", "nope")
    assert done.returncode == 2
    assert "nope" in done.stderr
    assert "Traceback" not in done.stderr


def test_compare_arms_default_is_nct04055623() -> None:
    done = _run("compare_arms.py")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    table = {(r[0], r[1]): r for r in (line.split() for line in out.splitlines()[3:]) if r}
    assert table[("active", "autologous")][-2:] == ["1,260,000,000", "cells"]
    assert table[("placebo", "autologous")][-2:] == ["840,000,000", "cells"]
    assert table[("ole-only", "autologous")][-2:] == ["840,000,000", "cells"]
    assert table[("active", "interleukin-2")][-2:] == ["51,840,000", "units"]
    assert table[("placebo", "interleukin-2")][-2:] == ["25,920,000", "units"]
    assert "18 million cells per kg" in out
    assert "28.8 million units per m²" in out


def test_compare_arms_imodals() -> None:
    done = _run("compare_arms.py", "imodals")
    assert done.returncode == 0, done.stderr
    lines = {line.split()[0]: line for line in done.stdout.splitlines()[3:] if line.strip()}
    assert "15 million units" in lines["il2-1miu"]
    assert "30 million units" in lines["il2-2miu"]
    assert "none (placebo)" in lines["placebo"]
    assert "MIU" not in done.stdout
