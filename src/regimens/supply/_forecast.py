"""Simulations, their reduction to percentiles, and what to ship: :func:`simulate`.

Each simulation is seeded from its index alone (``SeedSequence(seed,
spawn_key=(i,))``, which is ``SeedSequence(seed).spawn(n)[i]``) and reduced to its
demand per cell as soon as it is made (:mod:`._demand`), in integers. The
simulations run in partitions, in this process or as Dask tasks (``client=``), and
each partition's demand is gathered as it finishes; the reduction orders them by
index. So the result for a seed is the same whatever the number of workers or
partitions, and memory holds cells x simulations, never the rows.

Percentiles are taken over simulations, cell by cell (a cell no simulation has is 0
in it), by the inverted empirical distribution function (Hyndman and Fan's
definition 1, NumPy's ``method="inverted_cdf"``): ``pQ`` is the smallest value
that at least Q% of simulations do not exceed. It is always one of the simulated
values, so counts stay whole and amounts exact; P95 of vials is a number of vials
that covers 95% of simulations. The reduction to a :class:`Forecast` is in ``_reduce``.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any

from ..errors import ExpandOptionError
from ..format import load
from ..model import Regimen
from ._catalogue import Catalogue, catalogue
from ._demand import SimulationDemand, blind, demand
from ._demand import _Amounts as AmountCache
from ._deps import distributed, numpy, pyarrow, tqdm
from ._inputs import fixed_participants, simulated_participants, trial_model
from ._plan import Plan
from ._plan_checks import plan_problems
from ._plan_read import read_file, read_text
from ._reduce import Forecast, _forecast
from ._seeds import simulation_rng

__all__ = ["dask_client", "load_plan", "loads_plan", "progress_bar", "simulate"]

#: Simulations per partition when none is given: enough to keep a task's overhead small.
_PER_PARTITION = 25
#: Participants expanded at once (several simulations together): templates are laid out
#: once per expansion, and rows are streamed in batches, so memory stays bounded.
_EXPANDED = 20_000


# Reading a plan ------------------------------------------------------------------------------

def _against(regimen: Regimen | None) -> Any:
    if regimen is None:
        return None
    return lambda plan, partial: plan_problems(regimen, plan, partial)


def loads_plan(text: str | bytes, name: str = "<plan>", *,
               regimen: Regimen | None = None) -> Plan:
    """Read a planning file's text (YAML 1.2 or JSON, format ``regimens-supply/1``).

    ``name`` is the file name messages cite (``name:LINE: field.path: ...``). With
    ``regimen``, the plan's problems with it (arms, periods, drugs, vials) are reported
    with the file's own, all at once; without, they are found when the plan meets a
    regimen (:func:`simulate`).

    Raises:
        InvalidRegimenError: every problem found, each with its line, field path,
            offending value and what is allowed.
    """
    return read_text(text, name, _against(regimen))


def load_plan(path: str | os.PathLike[str], *, regimen: Regimen | None = None) -> Plan:
    """Read a planning file (see :func:`loads_plan`); at most 2 MiB.

    Raises:
        InvalidRegimenError: the file is missing, unreadable, a directory, too large,
            or not a valid plan (every problem at once, with ``regimen`` its problems
            with it too).
    """
    return read_file(path, _against(regimen))


# Running simulations -------------------------------------------------------------------------

def _participants(regimen: Regimen, plan: Plan, cat: Catalogue, model: Any, rng: Any) -> Any:
    """One simulation's participants: drawn by the plan's model, or its fixed list."""
    if model is not None:
        return simulated_participants(plan, cat, model, rng)
    return fixed_participants(plan, cat, regimen)


def run_partition(regimen: Regimen, plan: Plan, cat: Catalogue, indices: Sequence[int],
                  seed: int) -> list[tuple[int, SimulationDemand]]:
    """The demand of the simulations ``indices``, each seeded from its index alone.

    A Dask task: everything it needs comes in its arguments (all pickle), and what
    it returns is reduced (cells, not rows).
    """
    cache = AmountCache()
    model = None if plan.simulation is None else trial_model(plan, regimen)
    out: list[tuple[int, SimulationDemand]] = []
    # Simulations are expanded together, in groups of about _EXPANDED participants: the
    # batch API lays each (arm, lengths) group out once per expansion, not per simulation.
    group: list[tuple[int, Any]] = []
    size = 0
    for index in indices:
        people = _participants(regimen, plan, cat, model, simulation_rng(seed, index))
        group.append((index, people))
        size += len(people.starts)
        if size >= _EXPANDED or index == indices[-1]:
            made = demand(regimen, cat, [p for _i, p in group], cache)
            out.extend(zip([i for i, _p in group], made, strict=True))
            group, size = [], 0
    return out


def _partitions(simulations: int, partitions: int | None) -> list[list[int]]:
    count = partitions or max(1, math.ceil(simulations / _PER_PARTITION))
    count = min(count, simulations)
    bounds = [simulations * k // count for k in range(count + 1)]
    return [list(range(bounds[k], bounds[k + 1])) for k in range(count)]


def _whole(name: str, value: object, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ExpandOptionError(name, f"a whole number from {low} up", value)
    return value


def _default_threads() -> int:
    """The threads :func:`simulate` uses without a client or ``threads``: one per CPU
    this process may run on (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux: every CPU
        return max(1, os.cpu_count() or 1)


def simulate(regimen: Regimen | str, plan: Plan | str, *, simulations: int = 1,
             seed: int = 0, client: Any = None, partitions: int | None = None,
             threads: int | None = None, unblinded: bool = False,
             progress: Callable[[int, int], None] | None = None) -> Forecast:
    """Forecast drug supply and site visits for ``plan`` on ``regimen`` (docs/supply.md).

    ``regimen``: a :class:`~regimens.Regimen`, a file path or a catalogue id;
    ``plan``: a :class:`Plan` or a planning-file path. ``simulations`` (1 or more)
    are seeded from ``seed`` (0 or more) and their index: the result for a seed
    is the same whatever ``client``, ``threads`` and ``partitions``. ``client``: a
    ``dask.distributed.Client`` to run the partitions on; without one they run in
    this process on ``threads`` threads (default: one per CPU, the CPUs this process may use;
    1: one after the other in the calling thread; at most one per partition).
    ``partitions``: how many groups of simulations (default: about 25 simulations
    each). ``unblinded``: active drug and matching placebo apart (``placebo``
    column), with the active amounts; by default they are forecast together, as
    blinded kits are packed, and a drug with a matching placebo has no amount or unit
    (its active total would tell how many administrations were active).
    ``progress(done, total)`` is called as simulations finish.

    Raises:
        ExpandOptionError: a bad ``simulations``, ``seed``, ``partitions`` or
            ``threads`` (a whole number from 1 up), or
            as :func:`regimens.cohort.expand_cohort` for the plan's participants.
        InvalidRegimenError: the plan does not fit the regimen (an unknown arm,
            period or drug, vials that cannot hold a dose; blinded, placebo vials that
            are not the active dose's: ``placebo-vials-unblind``), or as the loaders.
        ImportError: NumPy, pyarrow or (with ``client``) Dask is missing (the
            message names ``regimens[supply]``).
    """
    numpy()  # NumPy missing: the error names the extra, before anything else needs it
    pyarrow()
    _whole("simulations", simulations, 1)
    _whole("seed", seed, 0)
    if partitions is not None:
        _whole("partitions", partitions, 1)
    if threads is not None:
        _whole("threads", threads, 1)
    if isinstance(regimen, str):
        regimen = load(regimen)
    if isinstance(plan, str):
        plan = load_plan(plan, regimen=regimen)  # the file's problems and the regimen's at once
    cat = catalogue(regimen, plan, unblinded=unblinded)
    if plan.simulation is not None:
        trial_model(plan, regimen)  # the plan's problems with the regimen, before any task
    groups = _partitions(simulations, partitions)
    done: list[tuple[int, SimulationDemand]] = []

    def gathered(part: list[tuple[int, SimulationDemand]]) -> None:
        # Blinded: active and placebo merged as each partition arrives, so nothing that
        # tells them apart is kept.
        done.extend(part if unblinded else [(i, blind(d, cat)) for i, d in part])
        if progress is not None:
            progress(len(done), simulations)

    if client is None:
        workers = min(_default_threads() if threads is None else threads, len(groups))
        if workers == 1:
            for group in groups:
                gathered(run_partition(regimen, plan, cat, group, seed))
        else:
            _threaded(workers, [(regimen, plan, cat, group, seed) for group in groups],
                      gathered)
    else:
        dd = distributed()
        futures = [client.submit(run_partition, regimen, plan, cat, group, seed, pure=False)
                   for group in groups]
        # Gathered as they finish: a finished partition's result is released at once.
        for future in dd.as_completed(futures):
            gathered(future.result())
            future.release()
    done.sort(key=lambda pair: pair[0])
    return _forecast(plan, cat, [d for _i, d in done], seed, unblinded)


def _threaded(workers: int, tasks: list[tuple[Any, ...]],
              gathered: Callable[[list[tuple[int, SimulationDemand]]], None]) -> None:
    """``run_partition(*task)`` for every task on ``workers`` threads, each result
    gathered (in this thread) as it finishes and then dropped.

    Threads, not processes: the expansion's NumPy and Arrow work releases the GIL, and
    a thread costs no start-up or pickling (a local Dask cluster's worker processes do,
    docs/supply.md). At most ``2 x workers`` partitions are submitted ahead, so the
    results waiting to be gathered stay bounded whatever the number of partitions.
    """
    pending = iter(tasks)
    with ThreadPoolExecutor(max_workers=workers,
                            thread_name_prefix="regimens-supply") as pool:
        running = {pool.submit(run_partition, *task)
                   for task in _take(pending, 2 * workers)}
        while running:
            finished = next(as_completed(running))
            running.remove(finished)
            gathered(finished.result())
            del finished
            running.update(pool.submit(run_partition, *task) for task in _take(pending, 1))


def _take(tasks: Any, count: int) -> list[tuple[Any, ...]]:
    out = []
    for task in tasks:
        out.append(task)
        if len(out) == count:
            break
    return out


def dask_client(scheduler: str | None, workers: int | None) -> Any:
    """A ``dask.distributed.Client``: on the scheduler at ``scheduler``
    (``tcp://HOST:PORT``), or on a new local cluster of ``workers`` processes (one
    thread each). Close it when done (``client.close()``)."""
    dd = distributed()
    if scheduler is not None:
        return dd.Client(scheduler)
    cluster = dd.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              dashboard_address=":0")
    client = dd.Client(cluster)
    client.close = _closing(client.close, cluster)
    return client


def _closing(close: Callable[..., Any], cluster: Any) -> Callable[..., Any]:
    def both(*args: Any, **kwargs: Any) -> Any:
        result = close(*args, **kwargs)
        cluster.close()
        return result
    return both


def progress_bar(total: int) -> Any:
    """A tqdm progress bar of ``total`` simulations on standard error, or None without
    tqdm."""
    bar = tqdm()
    if bar is None:
        return None
    # A terminal that reports no size (a new pseudo-terminal, some containers) makes tqdm
    # draw nothing at all: give it the usual 80 x 24 then.
    try:
        size = os.get_terminal_size(sys.stderr.fileno())
        columns, lines = size.columns, size.lines
    except (AttributeError, OSError, ValueError):
        columns = lines = 0
    return bar(total=total, unit="simulation", leave=False, file=sys.stderr,
               ncols=None if columns > 0 else 80, nrows=None if lines > 0 else 24)
