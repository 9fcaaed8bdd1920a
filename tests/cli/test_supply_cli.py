"""``regimens supply``: formats, reports, -o, the plot, and errors as FILE:LINE lines."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("numpy")
pytest.importorskip("pyarrow")

from regimens.cli import main
from support.supply import simulated_plan

PLAN = """\
plan: regimens-supply/1
participants:
  - {id: P-001, site: paris, arm: il2, start: 2027-01-04, weight: 70 kg, height: 175 cm}
  - {id: P-002, site: lyon, arm: placebo, start: 2027-01-11, weight: 80 kg, height: 180 cm}
drugs:
  il2: {vials: [1 MIU], lead_time: 1 week}
"""


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return path


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_csv_long_form(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["supply", "mirocals", str(plan), "--format", "csv",
                          "--simulations", "2", "--seed", "7"], capsys)
    assert (code, err) == (0, "")
    table = list(csv.reader(io.StringIO(out)))
    # The columns, then the quantile method as a constant last column (a CSV has
    # no metadata, and a comment line would break its readers).
    assert table[0] == ["drug", "site", "week", "statistic", "administrations", "amount",
                        "unit", "vials", "kits", "visits", "quantile_method"]
    assert {row[-1] for row in table[1:]} == {"inverted_cdf"}
    # P-001 (il2, paris) starts Monday 2027-01-04: 5 x 2 MIU, 2 vials of 1 MIU each. P-002
    # (placebo, lyon) a week later: blinded, counted with il2 and its row looks the same
    # (no amount or unit, which would tell active from placebo).
    assert ["il2", "paris", "2027-01-04", "p95", "5", "", "", "10", "", "",
            "inverted_cdf"] in table
    assert ["il2", "lyon", "2027-01-11", "p50", "5", "", "", "10", "", "",
            "inverted_cdf"] in table
    assert ["", "lyon", "2027-01-11", "p50", "", "", "", "", "", "1", "inverted_cdf"] in table
    assert not [row for row in table if "total" in " ".join(row).lower()]


def test_table_states_the_quantile_method(plan: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(["supply", "mirocals", str(plan)], capsys)
    assert code == 0
    assert out.splitlines()[0].split() == ["drug", "site", "week", "statistic",
                                           "administrations", "amount", "unit", "vials",
                                           "kits", "visits"]
    assert out.endswith("Percentiles over 1 simulation (seed 0), cell by cell: inverted "
                        "empirical CDF (Hyndman and Fan definition 1, NumPy "
                        "method='inverted_cdf'): pQ is the smallest simulated value that at "
                        "least Q% of simulations do not exceed.\n"
                        "Blinded: il2 counted with matching placebo, with no amount or unit "
                        "(the active amount would unblind); --unblinded (unblinded=True) "
                        "keeps them apart, with amounts.\n")


@pytest.mark.parametrize("report", ["demand", "shipments"])
def test_unblinded_tables_have_no_blinding_line(plan: Path, report: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(["supply", "mirocals", str(plan), "--report", report], capsys)
    assert code == 0
    assert out.splitlines()[-1].startswith("Blinded: il2 counted with matching placebo")
    code, out, _err = run(["supply", "mirocals", str(plan), "--report", report,
                           "--unblinded"], capsys)
    assert code == 0
    assert "Blinded" not in out
    assert out.splitlines()[-1].startswith("Percentiles over 1 simulation")


def _stderr_of(argv: list[str], terminal: bool) -> str:
    """What ``regimens`` writes on standard error: a new pseudo-terminal's (which reports
    no size, as some containers' do) or a pipe's."""
    import os
    import subprocess
    import sys

    command = [sys.executable, "-m", "regimens", *argv]
    if not terminal:
        return subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              check=True, timeout=300).stderr.decode()
    import pty

    master, slave = pty.openpty()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the terminal's other side is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert process.wait(timeout=300) == 0
    return b"".join(chunks).decode()


def test_the_progress_bar_on_a_real_terminal_and_not_on_a_pipe(plan: Path) -> None:
    pytest.importorskip("tqdm")
    argv = ["supply", "mirocals", str(plan), "--simulations", "3", "--partitions", "3",
            "--format", "csv"]
    drawn = _stderr_of(argv, terminal=True)
    assert "0/3 [" in drawn  # the bar of 3 simulations
    assert "simulation/s" in drawn
    assert _stderr_of(argv, terminal=False) == ""


def test_unblinded_and_shipments(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(["supply", "mirocals", str(plan), "--format", "csv", "--unblinded",
                           "--report", "shipments"], capsys)
    assert code == 0
    table = list(csv.reader(io.StringIO(out)))
    assert table[0] == ["drug", "placebo", "site", "pack", "week", "arrive_by", "ship_by",
                        "statistic", "quantity", "quantile_method"]
    assert ["il2", "true", "lyon", "vial 1 MIU", "2027-01-11", "2027-01-11", "2027-01-04",
            "p50", "10", "inverted_cdf"] in table


def test_the_simulations_csv_has_no_quantile_method(
        plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Every simulation's demand is no percentile: no statistic, no method.
    code, out, _err = run(["supply", "mirocals", str(plan), "--format", "csv", "--report",
                           "simulations"], capsys)
    assert code == 0
    assert next(csv.reader(io.StringIO(out))) == [
        "simulation", "drug", "site", "week", "administrations", "amount", "unit", "vials",
        "kits", "visits"]


def test_parquet_to_a_file(plan: Path, tmp_path: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    import pyarrow.parquet as pq

    target = tmp_path / "demand.parquet"
    code, out, err = run(["supply", "mirocals", str(plan), "--format", "parquet", "-o",
                          str(target)], capsys)
    assert (code, out, err) == (0, "", "")
    table = pq.read_table(target)
    assert str(table.schema.field("week").type) == "date32[day]"
    assert str(table.schema.field("amount").type).startswith("decimal128")
    assert b"inverted_cdf" in table.schema.metadata[b"regimens.quantile_method"]


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plot_is_written_and_reproducible(plan: Path, tmp_path: Path, suffix: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    for target in (first, second):
        code, _out, err = run(["supply", "mirocals", str(plan), "--simulations", "3",
                               "--plot", str(target), "-o", str(tmp_path / "out.csv"),
                               "--format", "csv"], capsys)
        assert (code, err) == (0, "")
    data = first.read_bytes()
    assert data.startswith(b"\x89PNG" if suffix == ".png" else b"<?xml")
    assert data == second.read_bytes()


@pytest.mark.parametrize(("body", "line"), [
    ("plan: regimens-supply/1\nparticipants:\n  - {id: P-1, site: paris, arm: il3, "
     "start: 2027-01-04}\n",
     "{plan}:3: participants[0].arm: no arm has this id in 'mirocals' (arms: il2, placebo) "
     "(got 'il3')"),
    ("plan: regimens-supply/1\nparticipants: []\n",
     "{plan}:2: participants: needs at least 1 item(s) (got a list)"),
    # A participant's length is the plan's (its line and field), not a CLI option.
    ("plan: regimens-supply/1\nparticipants:\n  - {id: P-1, site: paris, arm: il2, "
     "start: 2027-01-04, lengths: {run-in: 40 weeks}}\n",
     "{plan}:3: participants[0].lengths.run-in: must be within 12-18 weeks (84-126 days) "
     "(got '40 weeks')"),
    ("plan: regimens-supply/1\nparticipants:\n  - {id: P-1, site: paris, arm: il2, "
     "start: 2027-01-04, weight: 70}\n",
     "{plan}:3: participants[0].weight: a bare number is not a weight: give its unit, e.g. "
     "'70 kg' or '154 lb' (got 70)"),
    ("plan: regimens-supply/1\narms: {il2: 1}\nsites: [{id: paris, opens: 2027-01-04, "
     "rate: 1/week}]\nsample_size: 4\nweight: {distribution: normal, mean: 75, sd: 12 kg}\n",
     "{plan}:5: weight.mean: a bare number is not a body size: give its unit, e.g. '75 kg' "
     "or '172 cm' (got 75)"),
])
def test_errors_are_file_line_messages(tmp_path: Path, body: str, line: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    code, out, err = run(["supply", "mirocals", str(path)], capsys)
    assert (code, out) == (2, "")
    assert err == line.format(plan=path) + "\n"


@pytest.mark.parametrize(("options", "message"), [
    (["--simulations", "0"], "regimens: --simulations: a whole number from 1 up (got 0)"),
    (["--plot", "x.pdf"], "regimens: --plot: the plot is a .png or .svg file (got 'x.pdf')"),
    (["--workers", "0"], "regimens: --workers: a whole number from 1 up (got 0)"),
    (["--threads", "0"], "regimens: --threads: a whole number from 1 up (got 0)"),
])
def test_bad_options(plan: Path, options: list[str], message: str,
                     capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["supply", "mirocals", str(plan), *options], capsys)
    assert (code, out, err) == (2, "", message + "\n")


def test_threads_give_byte_identical_csv(plan: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    # The default (threads, one per CPU), one thread and two: the same CSV byte for byte.
    argv = ["supply", "mirocals", str(plan), "--format", "csv", "--simulations", "4",
            "--partitions", "4", "--seed", "5"]
    outs = []
    for extra in ([], ["--threads", "1"], ["--threads", "2"]):
        code, out, err = run([*argv, *extra], capsys)
        assert (code, err) == (0, "")
        outs.append(out)
    assert outs[0] == outs[1] == outs[2]


def test_threads_and_workers_are_exclusive(plan: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["supply", "mirocals", str(plan), "--threads", "2", "--workers", "2"])
    assert exited.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_the_plan_is_never_overwritten(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(["supply", "mirocals", str(plan), "-o", str(plan)], capsys)
    assert code == 2
    assert "this is the regimen file being read" in err
    assert plan.read_text(encoding="utf-8") == PLAN


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_on_a_terminal_only(plan: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    code, _out, err = run(["supply", "mirocals", str(plan), "--simulations", "2",
                           "--format", "csv"], capsys)
    assert (code, err) == (0, "")  # not a terminal: quiet
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["supply", "mirocals", str(plan), "--simulations", "2", "--format",
                 "csv"]) == 0
    assert "/2 [" in terminal.getvalue()  # the bar of 2 simulations was drawn


def test_scheduler_address_gives_the_same_forecast(plan: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    distributed = pytest.importorskip("dask.distributed")
    argv = ["supply", "mirocals", str(plan), "--format", "csv", "--simulations", "3"]
    code, alone, err = run(argv, capsys)
    assert (code, err) == (0, "")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=":0",
                                  local_directory=str(tmp_path)) as cluster:
        code, out, err = run([*argv, "--scheduler", cluster.scheduler_address,
                              "--partitions", "3"], capsys)
    assert (code, err) == (0, "")
    assert out == alone


def test_shipments_without_packs_say_so_rather_than_no_demand(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's simplest plan has demand (il2, riluzole, visits) but packs nothing:
    the shipments report says what is missing, not "(no demand)"."""
    path = tmp_path / "plan.yaml"
    path.write_text("plan: regimens-supply/1\nparticipants:\n  - {id: P-001, site: paris, "
                    "arm: il2, start: 2027-01-04}\n", encoding="utf-8")
    code, out, err = run(["supply", "mirocals", str(path), "--report", "shipments"], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == (
        "(nothing to ship: there is demand, but no drug has vial sizes or a kit; give them "
        "in the plan, drugs.ID.vials or drugs.ID.kit)")
    code, out, _err = run(["supply", "mirocals", str(path)], capsys)
    assert out.splitlines()[0].split() == ["drug", "site", "week", "statistic",
                                           "administrations", "amount", "unit", "vials",
                                           "kits", "visits"]


SIMULATED = simulated_plan(
    {"il2": 1, "placebo": 1},
    ["{id: paris, opens: 2027-01-04, rate: 2/week, rate_sd: 0.5/week}",
     "{id: lyon, opens: 2027-02-01, rate: 2/week, activation: 0-4 weeks}"],
    "lengths: {run-in: uniform}", "drugs:", "  il2: {vials: [2 MIU]}", "  riluzole: {kit: 28}",
    sample_size=12, screen_failure="20%", dropout="1%/week")


def test_workers_give_byte_identical_csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """``--workers 1`` and ``--workers 2`` run the simulations on a local Dask cluster of
    that many workers and give, for the same seed, the CSV of this process byte for byte
    (simulations drawn at random: enrolment, run-in lengths, dropout). The cluster's
    workers are threads here (``processes=False``: worker processes take seconds each
    to start); everything else is the command's own path, and the cluster is closed."""
    distributed = pytest.importorskip("dask.distributed")
    path = tmp_path / "plan.yaml"
    path.write_text(SIMULATED, encoding="utf-8")
    made: list[Any] = []
    real = distributed.LocalCluster

    def threads(**kwargs: Any) -> Any:
        assert kwargs["processes"] is True  # what --workers asks for
        cluster = real(**{**kwargs, "processes": False, "local_directory": str(tmp_path)})
        made.append((kwargs["n_workers"], cluster))
        return cluster

    monkeypatch.setattr(distributed, "LocalCluster", threads)
    argv = ["supply", "mirocals", str(path), "--format", "csv", "--simulations", "6",
            "--seed", "3"]
    for report in ("demand", "simulations"):
        code, alone, err = run([*argv, "--report", report], capsys)
        assert (code, err) == (0, "")
        assert alone.count("\n") > 50  # a real forecast, not an empty one
        for workers in ("1", "2"):
            code, out, err = run([*argv, "--report", report, "--workers", workers,
                                  "--partitions", "3"], capsys)
            assert (code, err) == (0, "")
            assert out == alone
    assert [n for n, _c in made] == [1, 2, 1, 2]
    assert all(cluster.status.name == "closed" for _n, cluster in made)


def test_a_bad_regimen_and_a_bad_plan_are_reported_together(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The plan's own problems do not depend on the regimen: when the regimen file has
    problems too, both files' are reported in one go."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.yaml").write_text("format: regimens/1\nid: x\ntitel: X\n", encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(
        "plan: regimens-supply/1\nparticipants:\n  - {id: P-1, site: paris, arm: il2, "
        "start: 2027-13-01}\n", encoding="utf-8")
    code, out, err = run(["supply", "r.yaml", "plan.yaml"], capsys)
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert any(line.startswith("r.yaml:3: titel: unknown field") for line in lines)
    assert lines[-1] == ("plan.yaml:3: participants[0].start: not a calendar date "
                         "(YYYY-MM-DD) (got '2027-13-01')")
    assert all(line.startswith(("r.yaml:", "plan.yaml:")) for line in lines)


DOX = """\
format: regimens/1
id: dox6
title: Doxorubicin q21d x6
drugs:
  dox: {name: doxorubicin, route: intravenous, max_cumulative: 450 mg/m2}
arms:
  x: {label: X}
periods:
  - id: treatment
    length: 18 weeks
    courses:
      - {drug: dox, dose: 60 mg/m2, cycle: 21 days, cycles: 6, days: [1]}
"""

DOX_PLAN = """\
plan: regimens-supply/1
participants:
  - {id: P-001, site: paris, arm: x, start: 2027-01-04, weight: 70 kg, height: 170 cm}
  - {id: P-002, site: paris, arm: x, start: 2027-01-05, weight: 81 kg, height: 183 cm}
drugs:
  dox: {vials: [10 mg, 50 mg]}
"""


def test_a_regimen_with_max_cumulative_is_forecast(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """A drug's max_cumulative is accepted (it was refused by the batch API: a cold user's
    defect). 6 x 60 mg/m2 = 360 <= 450 mg/m2. BSA (Mosteller, 2 decimals): P-001
    sqrt(70 x 170 / 3600) = 1.818 -> 1.82 m2, 109.2 mg (vials 50 + 50 + 10: 3); P-002
    sqrt(81 x 183 / 3600) = 2.029 -> 2.03 m2, 121.8 mg (50 + 50 + 10 + 10 + 10: 5); both
    start in the week of 2027-01-04: 2 administrations, 231 mg, 8 vials."""
    regimen = tmp_path / "dox.yaml"
    regimen.write_text(DOX, encoding="utf-8")
    plan = tmp_path / "plan-dox.yaml"
    plan.write_text(DOX_PLAN, encoding="utf-8")
    code, out, err = run(["supply", str(regimen), str(plan), "--format", "csv",
                          "--simulations", "5", "--seed", "1"], capsys)
    assert (code, err) == (0, "")
    table = list(csv.reader(io.StringIO(out)))
    assert ["dox", "paris", "2027-01-04", "p50", "2", "231", "mg", "8", "", "",
            "inverted_cdf"] in table
    assert ["dox", "paris", "2027-04-19", "p95", "2", "231", "mg", "8", "", "",
            "inverted_cdf"] in table
