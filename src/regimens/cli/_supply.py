"""``regimens supply REGIMEN PLAN``: the supply forecast at the command line.

The parser is built without importing the library (``regimens --help`` stays fast);
the forecast, NumPy, pyarrow, Dask and matplotlib come in when the command runs.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._output import write_output

__all__ = ["FLAGS", "arguments", "run"]

#: Option names as messages print them.
FLAGS = {"simulations": "--simulations", "seed": "--seed", "partitions": "--partitions",
         "scheduler": "--scheduler", "workers": "--workers", "threads": "--threads",
         "plot": "--plot"}
_REPORTS = ("demand", "shipments", "simulations")


def arguments(sub: Any) -> None:
    """Add the ``supply`` command to the subcommand parsers ``sub``."""
    supply = sub.add_parser(
        "supply", help="drug supply and site visits forecast for a planning file",
        description="Forecast, per drug, site and week (or month), the administrations, "
        "amount, vials, kits and visits of a planning file (plan: regimens-supply/1), as "
        "percentiles over simulations, and what to ship when (docs/supply.md). Percentiles: "
        "inverted empirical CDF (pQ is the smallest simulated value that at least Q%% of "
        "simulations do not exceed).")
    supply.add_argument("regimen", metavar="REGIMEN", help="regimen file, or a catalogue id")
    supply.add_argument("plan", metavar="PLAN", help="planning file (YAML or JSON)")
    supply.add_argument("--simulations", type=int, default=1, metavar="N",
                        help="number of simulations (default: 1)")
    supply.add_argument("--seed", type=int, default=0, metavar="S",
                        help="random seed (default: 0); the same seed gives the same "
                        "forecast whatever the workers or partitions")
    supply.add_argument("--format", default="table", choices=["table", "csv", "parquet"])
    supply.add_argument("--report", default="demand", choices=_REPORTS,
                        help="demand: percentiles per drug, site and period (default); "
                        "shipments: what to ship when; simulations: every simulation's "
                        "demand")
    supply.add_argument("--unblinded", action="store_true",
                        help="active drug and matching placebo apart, with the active "
                        "amounts (default: together, as blinded kits are packed, and no "
                        "amount for a drug with a matching placebo: it would unblind)")
    supply.add_argument("--plot", metavar="FILE", help="plot demand over time with "
                        "percentile bands, to FILE.png or FILE.svg")
    dask = supply.add_argument_group(
        "where the simulations run",
        "default: in this process, on one thread per CPU (NumPy and Arrow release the "
        "GIL; no process start-up); the same seed gives the same forecast whichever")
    where = dask.add_mutually_exclusive_group()
    where.add_argument("--threads", type=int, metavar="N",
                       help="run them in this process on N threads (1: one after the "
                       "other; default: one per CPU)")
    where.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                       help="run them on this Dask scheduler")
    where.add_argument("--workers", type=int, metavar="N",
                       help="run them on a local Dask cluster of N worker processes")
    dask.add_argument("--partitions", type=int, metavar="N",
                      help="split the simulations into N tasks (default: about 25 "
                      "simulations each)")
    supply.add_argument("-o", "--output", default="-", metavar="FILE",
                        help="write to FILE (atomically) instead of standard output")


def _client(args: argparse.Namespace) -> Any:
    """A Dask client for ``--scheduler`` or ``--workers``, or None (this process)."""
    from ..errors import ExpandOptionError
    from ..supply import dask_client

    if args.workers is not None and args.workers < 1:
        raise ExpandOptionError("workers", "a whole number from 1 up", args.workers)
    if args.scheduler is None and args.workers is None:
        return None
    return dask_client(args.scheduler, args.workers)


def run(args: argparse.Namespace) -> int:
    """Run ``regimens supply``; the output goes through the safe writer (``-o``)."""
    from ..supply import MissingExtra

    try:
        return _run(args)
    except MissingExtra as exc:
        # A missing extra is the user's installation, not a bug: one line, no traceback.
        print(f"regimens: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from ..errors import ExpandOptionError, InvalidRegimenError
    from ..supply import load_plan, plot, render, simulate
    from . import load_regimen

    if args.format == "parquet" and args.output == "-" and sys.stdout.isatty():
        raise ExpandOptionError("format", "Parquet is binary: give -o FILE.parquet")
    if args.plot is not None and not args.plot.lower().endswith((".png", ".svg")):
        raise ExpandOptionError("plot", "the plot is a .png or .svg file", args.plot)
    try:
        regimen = load_regimen(args.regimen)
    except InvalidRegimenError as exc:
        # The plan's own problems do not depend on the regimen: reported with its.
        try:
            load_plan(args.plan)
        except InvalidRegimenError as also:
            raise InvalidRegimenError([*exc.problems, *also.problems]) from None
        raise
    # Every problem of the plan at once: its own and those with the regimen.
    plan = load_plan(args.plan, regimen=regimen)
    bar = _progress(args.simulations)
    client = _client(args)
    try:
        forecast = simulate(regimen, plan, simulations=args.simulations, seed=args.seed,
                            client=client, partitions=args.partitions,
                            threads=args.threads,
                            unblinded=args.unblinded, progress=bar)
    finally:
        if client is not None:
            client.close()
        if bar is not None:
            bar.close()
    table = {"demand": forecast.summary, "shipments": forecast.shipments,
             "simulations": forecast.demand}[args.report]
    write_output(render(table, args.format, forecast), args.output,
                 inputs=[args.regimen, args.plan])
    if args.plot is not None:
        write_output(plot(forecast, args.plot.lower().rsplit(".", 1)[1]), args.plot,
                     inputs=[args.regimen, args.plan])
    return 0


class _Bar:
    """tqdm's bar on standard error, fed ``(done, total)``."""

    def __init__(self, bar: Any) -> None:
        self.bar = bar

    def __call__(self, done: int, total: int) -> None:
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        self.bar.close()


def _progress(total: int) -> _Bar | None:
    """A progress bar on a terminal only (never into a log or a pipe), if tqdm is there."""
    if not sys.stderr.isatty():
        return None
    from ..supply import progress_bar

    bar = progress_bar(total)
    return None if bar is None else _Bar(bar)
