"""Benchmarks: regimens against the floors and baselines a skeptical reader would accept.

    python benchmarks/run.py            # full workloads (several minutes)
    python benchmarks/run.py --quick    # tiny workloads (seconds; what the tests run)
    python benchmarks/run.py --update-docs   # also rewrite docs/performance.md

Every pair runs interleaved in one process (A B A B ...), so that machine noise hits
both sides alike; min and median of each side are printed, and the ratio is of the
medians. Each baseline computes the same dates (or bytes) as regimens, and the script
checks this before timing.

1. One participant on the ``mirocals`` arm ``il2`` (riluzole run-in, 95 aldesleukin
   doses, riluzole throughout, visits): against a plain ``date + timedelta`` loop (the
   floor), a ``dateutil.rrule`` loop, and recurring-ical-events (both sides parse their
   file: YAML for regimens, iCalendar for it); ``to_json`` against ``expand``; 100 years
   of daily dosing against 10 years, per row.
2. The same regimen for 100,000 participants into NumPy columns with ``regimens.cohort``,
   against a preallocate-and-broadcast NumPy floor written by hand for this regimen.
   Peak memory: each side once more in its own process (its VmHWM, as in
   benchmarks/cohort_stream.py).
3. 10,000 events exported to iCalendar, against a minimal direct writer for exactly
   these events (the floor, byte-identical) and icalendar's object model; the ``SEQUENCE``
   of a participant's calendar counted over the record's history (P-101 of
   tests/record/golden, 100 rows; ``--quick``: its first 20), in CPU time, against the
   straightforward count (every part of the record replayed from nothing, every event's
   text made again: the count as first written, the same counts).
4. Cold start of ``regimens --help`` (against ``python -c pass``) and of ``regimens
   expand mirocals ... --format json`` (against ``python -c "import ruamel.yaml"`` plus
   the same work done warm in this process), in wall time and in CPU time (user +
   system) of the processes.
5. Cohorts by group and streamed (benchmarks/cohort_stream.py): a run-in length per
   participant and weekday patterns against one group, ``iter_batches`` against
   ``to_arrow``, ``to_parquet`` against ``to_arrow`` plus ``write_table``, in CPU time per
   million rows; and 1,000,000 participants written to Parquet in a child process, with
   its peak memory (``--quick``: 2,000).

Nothing here is a test assertion: the script prints a Markdown table and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ICS_REGIMEN = HERE / "regimens" / "ics10k.yaml"
CATALOGUE_ID = "mirocals"
ARM = "il2"
START = date(2027, 1, 4)
# The run-in's length, its shortest (the dates the floors and baselines write): given, as a
# user who knows it gives it, so that no side works out and warns of a length assumed.
LENGTHS = {"run-in": "12 weeks"}
STAMP = datetime(2027, 1, 1, tzinfo=UTC)
COHORT_COLUMNS = ["participant", "date", "drug", "amount"]


def _sample(fn: Callable[[], Any], number: int) -> float:
    """The mean time of ``number`` calls."""
    t0 = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - t0) / number


def paired(a: Callable[[], Any], b: Callable[[], Any], repeat: int,
           number: int = 1) -> tuple[list[float], list[float]]:
    """Samples of ``a`` and ``b`` taken in turn (A B A B ...) after one warm-up call each."""
    a(), b()
    ta, tb = [], []
    for _ in range(repeat):
        ta.append(_sample(a, number))
        tb.append(_sample(b, number))
    return ta, tb


def paired_cpu_here(a: Callable[[], Any], b: Callable[[], Any], repeat: int,
                    number: int = 1) -> tuple[list[float], list[float]]:
    """As :func:`paired`, in CPU time (user + system) of this process: what the other jobs
    of a shared machine stretch far less than wall time (a short call fits between two
    preemptions more often than a long one, which biases the minimums in wall time)."""
    a(), b()
    ta, tb = [], []
    for _ in range(repeat):
        ta.append(_cpu_sample(a, number))
        tb.append(_cpu_sample(b, number))
    return ta, tb


def row(n: str, workload: str, ours: list[float], baseline: str, base: list[float] | None,
        target: float | None = None, **extra: Any) -> dict[str, Any]:
    """One line of the report: both sides' samples, the target ratio of the medians."""
    return {"n": n, "workload": workload, "ours": ours, "baseline": baseline, "base": base,
            "target": target, **extra}


# 1. One participant -------------------------------------------------------------------


def plain_loop(start: date, run_in_weeks: int = 12) -> list[dict[str, Any]]:
    """The floor for one participant: the rows of ``rrule_loop`` with ``date + timedelta``.

    The same dictionaries in the same order as the rrule loop, by the cheapest Python
    there is for them: one addition per day, no recurrence engine.
    """
    one = timedelta(days=1)
    rows: list[dict[str, Any]] = []
    day = start - timedelta(weeks=run_in_weeks)
    for offset in range(-run_in_weeks * 7, 0):
        rows.append({"study_day": offset, "date": day, "drug": "riluzole", "amount": None})
        day += one
    il2 = {28 * cycle + d for cycle in range(19) for d in range(5)}
    for offset in range(78 * 7):
        # The rrule loop's stable sort puts a day's riluzole before its aldesleukin.
        rows.append({"study_day": offset + 1, "date": day, "drug": "riluzole", "amount": None})
        if offset in il2:
            rows.append({"study_day": offset + 1, "date": day, "drug": "il2", "amount": "2 MIU"})
        day += one
    run_in = start - timedelta(weeks=run_in_weeks)
    rows += [{"visit": "lp1", "date": run_in}, {"visit": "lp2", "date": start - one},
             {"visit": "randomisation", "date": start},
             {"visit": "treatment-end", "date": start + timedelta(days=78 * 7 - 1)},
             {"visit": "survival-d640", "date": start + timedelta(days=639)}]
    return rows


def rrule_loop(start: date, run_in_weeks: int = 12) -> list[dict[str, Any]]:
    """What a user writes today with dateutil for the mirocals il2 arm."""
    from dateutil.rrule import DAILY, rrule

    day1 = datetime(start.year, start.month, start.day)
    rows: list[dict[str, Any]] = []

    def add(when: datetime, drug: str, amount: str | None) -> None:
        offset = (when - day1).days
        rows.append({"study_day": offset + 1 if offset >= 0 else offset, "date": when.date(),
                     "drug": drug, "amount": amount})

    run_in = day1 - timedelta(weeks=run_in_weeks)
    for when in rrule(DAILY, dtstart=run_in, until=day1 - timedelta(days=1)):
        add(when, "riluzole", None)
    for when in rrule(DAILY, dtstart=day1, count=78 * 7):  # riluzole throughout treatment
        add(when, "riluzole", None)
    for cycle_start in rrule(DAILY, interval=28, dtstart=day1, count=19):
        for when in rrule(DAILY, dtstart=cycle_start, count=5):
            add(when, "il2", "2 MIU")
    rows.sort(key=lambda r: r["date"])
    visits = {"lp1": run_in, "lp2": day1 - timedelta(days=1), "randomisation": day1,
              "treatment-end": day1 + timedelta(days=78 * 7 - 1),
              "survival-d640": day1 + timedelta(days=639)}
    rows += [{"visit": k, "date": v.date()} for k, v in visits.items()]
    return rows


def mirocals_ics(start: date, run_in_weeks: int = 12) -> bytes:
    """The same regimen as an iCalendar file with one RRULE per course."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("PRODID", "-//regimens benchmarks//EN")
    cal.add("VERSION", "2.0")
    run_in = start - timedelta(weeks=run_in_weeks)

    def event(uid: str, summary: str, first: date, rule: dict[str, Any] | None) -> None:
        e = Event()
        e.add("UID", uid)
        e.add("DTSTAMP", STAMP)
        e.add("SUMMARY", summary)
        e.add("DTSTART", first)
        e.add("DTEND", first + timedelta(days=1))
        if rule:
            e.add("RRULE", rule)
        cal.add_component(e)

    event("ril-runin", "riluzole", run_in, {"FREQ": "DAILY", "COUNT": run_in_weeks * 7})
    event("ril-treat", "riluzole", start, {"FREQ": "DAILY", "COUNT": 78 * 7})
    for cycle in range(19):  # 5 days every 28 days: one RRULE per cycle
        event(f"il2-c{cycle + 1}", "aldesleukin 2 MIU", start + timedelta(days=28 * cycle),
              {"FREQ": "DAILY", "COUNT": 5})
    for uid, day in (("lp1", run_in), ("lp2", start - timedelta(days=1)),
                     ("randomisation", start), ("treatment-end", start + timedelta(546 - 1)),
                     ("survival-d640", start + timedelta(639))):
        event(uid, f"visit {uid}", day, None)
    data: bytes = cal.to_ical()
    return data


def workload_single(repeat: int) -> list[dict[str, Any]]:
    import regimens

    regimen = regimens.load(CATALOGUE_ID)
    participant = regimens.Participant(weight="70 kg", height="175 cm", label="P-001")

    def ours() -> Any:
        return regimen.expand(ARM, START, participant, lengths=LENGTHS)

    schedule = ours()
    mine = sorted([(a.date, a.drug) for a in schedule.administrations]
                  + [(v.date, v.id) for v in schedule.visits])
    theirs = sorted((r["date"], r.get("drug") or r["visit"]) for r in rrule_loop(START))
    assert mine == theirs, "the rrule baseline does not compute the same dates"
    assert plain_loop(START) == rrule_loop(START), "the plain loop is not the rrule loop's rows"
    what = (f"one participant, mirocals il2 ({len(schedule.administrations)} administrations "
            f"+ {len(schedule.visits)} visits) -> schedule")
    t_ours, t_plain = paired(ours, lambda: plain_loop(START), repeat, number=20)
    results = [row("1", what, t_ours, "plain `date + timedelta` loop (floor)", t_plain, 3.0)]
    t_ours, t_plain = paired_cpu_here(ours, lambda: plain_loop(START), repeat, number=20)
    results.append(row("1", "(same), CPU time (user + system)", t_ours,
                       "plain loop (floor), CPU time", t_plain, 3.0))
    t_ours, t_rrule = paired(ours, lambda: rrule_loop(START), repeat, number=20)
    results.append(row("1", "(same)", t_ours, "dateutil.rrule loop", t_rrule))
    # JSON output against the expansion itself: the same schedule, to_json() alone.
    t_json, t_expand = paired(schedule.to_json, ours, repeat, number=20)
    results.append(row("1", "(same) schedule -> `to_json()` (byte-identical to json.dumps "
                       "indent=2)", t_json, "`expand` itself", t_expand, 2.0))
    t_json, t_expand = paired_cpu_here(schedule.to_json, ours, repeat, number=20)
    results.append(row("1", "(same), `to_json()` in CPU time", t_json,
                       "`expand` itself, CPU time", t_expand, 2.0))
    results += workload_long(repeat)
    try:
        import recurring_ical_events
    except ImportError:
        results.append(row("1", "(same)", t_ours, "recurring-ical-events (not installed)", None))
        return results
    from icalendar import Calendar

    data = mirocals_ics(START)
    source = (ROOT / "src" / "regimens" / "catalog" / f"{CATALOGUE_ID}.yaml").read_bytes()

    def parse_and_expand() -> Any:
        return regimens.loads(source, f"{CATALOGUE_ID}.yaml").expand(ARM, START, participant,
                                                                     lengths=LENGTHS)

    def rie() -> list[Any]:
        calendar = Calendar.from_ical(data)
        return list(recurring_ical_events.of(calendar).between(
            START - timedelta(days=200), START + timedelta(days=700)))

    occurrences = sorted((e.decoded("DTSTART"), str(e["SUMMARY"])) for e in rie())
    assert [d for d, _ in occurrences] == sorted(d for d, _ in mine), \
        "the recurring-ical-events baseline does not compute the same dates"
    t_ours2, t_rie = paired(parse_and_expand, rie, max(3, repeat // 2), number=3)
    results.append(row("1", "(same), parse the file + expand (YAML for regimens)", t_ours2,
                       "recurring-ical-events, parse the RRULE .ics + expand", t_rie))
    return results


def _daily(days: int) -> Any:
    import regimens

    return regimens.loads(f"""\
format: regimens/1
id: daily{days}
title: One drug daily for {days} days
drugs:
  a: {{name: drug A, route: oral}}
arms:
  x: {{label: X}}
periods:
  - id: treatment
    length: {days} days
    courses:
      - {{drug: a, dose: 10 mg, daily: true}}
""")


def workload_long(repeat: int) -> list[dict[str, Any]]:
    """Per-row cost of 100 years of daily dosing against 10 years: linear means ~1x (in
    wall time, and in CPU time: under load a 10-year expansion, a few ms, fits between
    two preemptions more often than a 100-year one)."""
    short, long = _daily(3_652), _daily(36_525)
    assert len(long.expand("x", START).administrations) == 36_525
    rows = []
    for sampler, what in ((paired, ""), (paired_cpu_here, ", CPU time")):
        t_long, t_short = sampler(lambda: long.expand("x", START),
                                  lambda: short.expand("x", START), max(3, repeat // 2),
                                  number=1)
        rows.append(row("1", f"100 years of daily dosing (36,525 rows), per row{what}",
                        [t / 36_525 for t in t_long], f"10 years (3,652 rows), per row{what}",
                        [t / 3_652 for t in t_short], 1.5))
    return rows


# 2. A cohort ----------------------------------------------------------------------------


def cohort_inputs(n: int) -> tuple[Any, Any, Any]:
    import numpy as np

    rng = np.random.default_rng(2027)
    starts = np.datetime64(START) + rng.integers(0, 730, n).astype("timedelta64[D]")
    weights = np.round(rng.uniform(45.0, 110.0, n), 1)
    heights = np.round(rng.uniform(150.0, 195.0, n), 0)
    return starts, weights, heights


def floor_columns(starts: Any) -> dict[str, Any]:
    """The mirocals il2 rows for every participant, with NumPy written by hand.

    Why this is tight: the per-participant template (730 day offsets, drug codes, amounts)
    is built once, and each output column is allocated once (``np.empty``) and filled by
    one broadcasting operation writing every element exactly once, with no temporary of
    the output's size (no ``repeat``/``tile`` copies, no reshape copies: the arrays are
    C-contiguous, so the final ``reshape(-1)`` is a view). What is left is writing the
    1.6 GB of output once, which is bound by memory bandwidth.
    """
    import numpy as np

    # Template, by hand: riluzole Day -84..-1 and Day 1..546 (offsets 0..545), aldesleukin
    # 2 MIU on days 1-5 of 19 28-day cycles; ordered by day, riluzole first on a shared day
    # (run-in period, then treatment courses in order: il2 before riluzole).
    runin = np.arange(-84, 0)
    il2 = (np.arange(19)[:, None] * 28 + np.arange(5)[None, :]).reshape(-1)
    treat = np.arange(546)
    offsets = np.concatenate([runin, il2, treat])
    drug = np.concatenate([np.zeros(84), np.ones(95), np.zeros(546)]).astype("int16")
    course = np.concatenate([np.zeros(84), np.zeros(95), np.ones(546)])
    order = np.lexsort((course, offsets))
    offsets, drug = offsets[order].astype("timedelta64[D]"), drug[order]
    amount = np.where(drug == 1, 2.0, np.nan)
    n, size = len(starts), len(offsets)
    participant = np.empty((n, size), dtype="int32")
    participant[...] = np.arange(n, dtype="int32")[:, None]
    dates = np.empty((n, size), dtype="datetime64[D]")
    np.add(starts[:, None], offsets[None, :], out=dates)
    drugs = np.empty((n, size), dtype="int16")
    drugs[...] = drug
    amounts = np.empty((n, size), dtype="float64")
    amounts[...] = amount
    return {"participant": participant.reshape(-1), "date": dates.reshape(-1),
            "drug": drugs.reshape(-1), "amount": amounts.reshape(-1)}


def regimens_columns(regimen: Any, starts: Any, weights: Any, heights: Any) -> dict[str, Any]:
    from regimens.cohort import expand_cohort

    cohort = expand_cohort(regimen, ARM, starts, weights=weights, heights=heights,
                           lengths=LENGTHS)
    return cohort.to_numpy(COHORT_COLUMNS)


def cohort_worker(side: str, n: int) -> None:
    """Run in a child process: one run of one side; print JSON with the peak RSS."""
    import regimens

    starts, weights, heights = cohort_inputs(n)
    regimen = regimens.load(CATALOGUE_ID)  # loading the file is not part of the workload
    if side == "regimens":
        columns = regimens_columns(regimen, starts, weights, heights)
    else:
        columns = floor_columns(starts)
    rows = len(columns["date"])
    del columns
    print(json.dumps({"rows": rows, "peak": peak_rss()}))


def peak_rss() -> int:
    """This process's peak resident set size, in bytes: VmHWM on Linux.

    Not ``ru_maxrss``: Linux carries the parent's high-water mark into a child across
    fork and exec (``subprocess`` forks this benchmark's process, which has held the
    other side's columns), so a child's ``ru_maxrss`` can be the parent's peak whatever
    the child does. VmHWM belongs to the child's own address space, made at exec.
    benchmarks/cohort_stream.py measures its children the same way.
    """
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:  # not Linux: ru_maxrss (KiB on Linux, bytes on macOS)
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(kib) * 1024


def check_cohort_same(n: int) -> None:
    import numpy as np

    import regimens

    starts, weights, heights = cohort_inputs(n)
    ours = regimens_columns(regimens.load(CATALOGUE_ID), starts, weights, heights)
    floor = floor_columns(starts)
    for name in ("participant", "date", "drug"):
        assert np.array_equal(ours[name], floor[name]), f"floor differs in {name}"
        assert ours[name].dtype == floor[name].dtype, f"floor's {name} has another dtype"
    assert np.array_equal(ours["amount"], floor["amount"], equal_nan=True)


def workload_cohort(n: int, repeat: int) -> list[dict[str, Any]]:
    import regimens

    check_cohort_same(min(n, 500))
    starts, weights, heights = cohort_inputs(n)
    regimen = regimens.load(CATALOGUE_ID)  # loading the file is not part of the workload
    rows = 0

    def ours() -> None:
        nonlocal rows
        rows = len(regimens_columns(regimen, starts, weights, heights)["date"])

    # The warm-up call of each side also pays the operating system's first touch of the
    # memory; the columns are dropped after each call, so one side's never meets the other's.
    t_ours, t_floor = paired(ours, lambda: floor_columns(starts), repeat)
    peak = {}
    for side in ("regimens", "floor"):
        proc = subprocess.run([sys.executable, __file__, "--worker", side, "--participants",
                               str(n)], capture_output=True, text=True, check=True)
        peak[side] = json.loads(proc.stdout.strip().splitlines()[-1])["peak"]
    return [row("2", f"{n:,} participants, mirocals il2 -> {rows:,} rows x "
                f"{len(COHORT_COLUMNS)} NumPy columns ({', '.join(COHORT_COLUMNS)})", t_ours,
                "NumPy preallocate + broadcast (floor)", t_floor, 3.0,
                peak=peak["regimens"], peak_base=peak["floor"])]


# 3. iCalendar export ----------------------------------------------------------------------


_ESCAPE = str.maketrans({"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n"})


def _floor_line(line: str) -> bytes:
    """RFC 5545 §3.1 folding as icalendar does it: at most 74 octets of the line per
    physical line, never inside a UTF-8 sequence nor right after a backslash."""
    data = line.encode()
    if len(data) <= 74:
        return data
    parts, start = [], 0
    while len(data) - start > 74:
        end = start + 74
        while data[end] & 0xC0 == 0x80:
            end -= 1
        if data[end - 1] == 0x5C:  # these events hold no caret
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return b"\r\n ".join(parts)


def floor_ics(head: list[str], events: list[tuple[Any, ...]]) -> bytes:
    """The ICS floor: the fewest steps that write these all-day events' exact bytes."""
    out = [f"{line}" for line in head]
    stamp = "DTSTAMP:20270101T000000Z"
    for uid, summary, description, start, end, categories, digest in events:
        out += ["BEGIN:VEVENT", f"SUMMARY:{summary.translate(_ESCAPE)}",
                f"DTSTART;VALUE=DATE:{start:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}", stamp,
                f"UID:{uid}", "SEQUENCE:0", f"CATEGORIES:{','.join(categories)}",
                f"DESCRIPTION:{description.translate(_ESCAPE)}", "TRANSP:TRANSPARENT",
                f"X-REGIMENS-DIGEST;VALUE=TEXT:{digest}", "END:VEVENT"]
    out.append("END:VCALENDAR")
    return b"\r\n".join(map(_floor_line, out)) + b"\r\n"


def workload_ics(repeat: int, events: int) -> list[dict[str, Any]]:
    from icalendar import Calendar, Event, vText

    import regimens

    days = events // 2
    text = ICS_REGIMEN.read_text().replace("5000 days", f"{days} days")
    schedule = regimens.loads(text).expand("x", START, regimens.Participant(weight="70 kg"))
    count = len(schedule.administrations) + len(schedule.visits)
    data = schedule.to_ics(stamp=STAMP)
    calendar = Calendar.from_ical(data)
    parsed = [(str(e["UID"]), str(e["SUMMARY"]), str(e["DESCRIPTION"]), e.decoded("DTSTART"),
               e.decoded("DTEND"), [str(c) for c in e["CATEGORIES"].cats],
               str(e["X-REGIMENS-DIGEST"])) for e in calendar.walk("VEVENT")]
    head = data.decode().split("\r\nBEGIN:VEVENT\r\n")[0].replace("\r\n ", "").split("\r\n")
    assert floor_ics(head, parsed) == data, "the ICS floor does not write the same bytes"

    def icalendar_alone() -> bytes:
        cal = Calendar()
        cal.add("PRODID", "-//regimens benchmarks//EN")
        cal.add("VERSION", "2.0")
        cal.add("CALSCALE", "GREGORIAN")
        cal.add("METHOD", "PUBLISH")
        for uid, summary, description, start, end, categories, digest in parsed:
            e = Event()
            e.add("UID", uid)
            e.add("DTSTAMP", STAMP)
            e.add("SEQUENCE", 0)
            e.add("DTSTART", start)
            e.add("DTEND", end)
            e.add("SUMMARY", summary)
            e.add("DESCRIPTION", description)
            e.add("CATEGORIES", categories)
            e.add("TRANSP", "TRANSPARENT")
            e.add("X-REGIMENS-DIGEST", vText(digest), parameters={"VALUE": "TEXT"})
            cal.add_component(e)
        result: bytes = cal.to_ical()
        return result

    what = f"export {count:,} events to .ics"
    t_ours, t_floor = paired(lambda: schedule.to_ics(stamp=STAMP),
                             lambda: floor_ics(head, parsed), repeat)
    t_ours2, t_ical = paired(lambda: schedule.to_ics(stamp=STAMP), icalendar_alone,
                             max(2, repeat // 2))
    return [row("3", what, t_ours, "direct writer for exactly these events, same bytes (floor)",
                t_floor, 2.0),
            row("3", "(same)", t_ours2, "icalendar's object model, same events", t_ical)]


def straightforward_revisions(s: Any) -> dict[str, int]:
    """The SEQUENCE count as first written (tests/support/ics_history.py, the tests' oracle):
    the plan, then the record's first row, first two rows... each replayed from nothing,
    each event's digest made again; each step that changes an event counts one."""
    from regimens import InvalidRegimenError, Record
    from regimens.export._ics import _events
    from regimens.record import replay

    replayed = s.replayed
    plan, record, levels = replayed.planned, replayed.record, dict(replayed.levels)
    rows = sorted(record.rows, key=lambda r: r.line)
    steps = [plan]
    for n in range(1, len(rows)):
        try:
            steps.append(replay(plan, Record(record.source, tuple(rows[:n])), levels))
        except InvalidRegimenError:
            continue
    steps.append(s)
    state: dict[str, str | None] = {}
    counts: dict[str, int] = {}
    for step in steps:
        now = {uid: digest for uid, (digest, _) in
               _events(step, None, s.participant.label, []).items()}
        for uid in state.keys() | now.keys():
            if uid in state and state[uid] != now.get(uid):
                counts[uid] = counts.get(uid, 0) + 1
            state[uid] = now.get(uid)
    return counts


def workload_sequence(repeat: int, quick: bool) -> list[dict[str, Any]]:
    import warnings

    import regimens
    from regimens.export._ics import _revisions

    golden = ROOT / "tests" / "record" / "golden"
    lines = (golden / "P-101.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    rows = 20 if quick else len(lines) - 1
    record = regimens.read_record("".join(lines[:rows + 1]), name="P-101.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = regimens.load(golden / "mirocals-like.yaml").expand(
            "il2", START, regimens.Participant(label="P-101"), record=record)

        def ours() -> dict[str, int]:
            return _revisions(s, None, "P-101", [])[0]

        def base() -> dict[str, int]:
            return straightforward_revisions(s)

        assert ours() == base(), "the straightforward count differs"
        t_ours, t_base = paired_cpu_here(ours, base, repeat)
    return [row("3", f"SEQUENCE of a participant's calendar over a {rows}-row record "
                "(P-101), CPU time", t_ours, "the straightforward count (each part of the "
                "record replayed from nothing), same counts", t_base)]


# 4. Cold start ----------------------------------------------------------------------------


def _command() -> list[str]:
    script = Path(sys.executable).with_name("regimens")
    if script.exists():
        return [str(script)]
    found = shutil.which("regimens")
    return [found] if found else [sys.executable, "-m", "regimens"]


def _run(argv: list[str]) -> Callable[[], None]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}

    def run() -> None:
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                       env=env, cwd=ROOT)
    return run


def _modules_of(code: str) -> set[str]:
    """The names in ``sys.modules`` at the end of a fresh process running ``code``."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "modules"
        wrapped = (f"import sys\ntry:\n{textwrap.indent(code, '    ')}\nfinally:\n"
                   f"    open({str(out)!r}, 'w').write('\\n'.join(sys.modules))\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        subprocess.run([sys.executable, "-c", wrapped], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=env, cwd=ROOT, check=False)
        return set(out.read_text(encoding="utf-8").split("\n"))


def import_floor(args: list[str], where: Path) -> tuple[list[str], int, list[str]]:
    """The floor of a cold command's imports: a program importing what it imports, with
    empty modules in place of the library's own.

    It imports ruamel.yaml, the standard library's top-level modules that the command
    imports and ``python -c "import ruamel.yaml"`` does not (their own imports follow),
    and a package of as many empty modules as the command imports of regimens: what the
    interpreter charges for those imports before any of the library's code runs (no
    class, no compiled pattern, no parser built, no work). Written under ``where``;
    returns the program's argv, the number of the library's modules and the standard
    library's modules.
    """
    ours = _modules_of("from regimens.cli import main\n"
                       f"sys.argv = ['regimens', *{args!r}]\nmain()")
    base = _modules_of("import ruamel.yaml")
    library = sorted(m for m in ours if m == "regimens" or m.startswith("regimens."))
    # Every public module, dotted names too (``importlib.machinery`` when ``importlib`` is
    # imported already); private ones follow from them.
    stdlib = sorted(m for m in ours - base if m.split(".")[0] in sys.stdlib_module_names
                    and not any(part.startswith("_") for part in m.split(".")))
    package = where / "floor_of_imports"
    package.mkdir()
    names = [f"m{i}" for i in range(1, len(library))]
    for name in names:
        (package / f"{name}.py").write_text('"""An empty module."""\n', encoding="utf-8")
    (package / "__init__.py").write_text(
        "".join(f"from . import {name}\n" for name in names), encoding="utf-8")
    code = (f"import sys; sys.path.insert(0, {str(where)!r}); "
            f"import ruamel.yaml, {', '.join(stdlib)}; import floor_of_imports")
    return [sys.executable, "-c", code], len(library), stdlib


def workload_cold(repeat: int) -> list[dict[str, Any]]:
    import regimens

    command = _command()
    # The run-in's length is given (LENGTHS): without it the command also says on stderr
    # which length it assumed.
    expand_args = ["expand", CATALOGUE_ID, "--arm", ARM, "--start", START.isoformat(),
                   "--weight", "70kg", "--length", "run-in=12weeks", "--format", "json"]
    t_help, t_pass = paired(_run([*command, "--help"]), _run([sys.executable, "-c", "pass"]),
                            repeat)
    # "The work": what the command does once its modules are imported, done warm here.
    participant = regimens.Participant(weight="70 kg")

    def work() -> str:
        return regimens.load(CATALOGUE_ID).expand(ARM, START, participant,
                                                  lengths=LENGTHS).to_json()

    t_work = [_sample(work, 5) for _ in range(repeat)]
    t_expand, t_yaml = paired(_run([*command, *expand_args]),
                              _run([sys.executable, "-c", "import ruamel.yaml"]), repeat)
    work_median = statistics.median(t_work)
    # The same pair in CPU time (user + system) of each child process, and of the warm work
    # in this one: what the processes themselves spend, which the other jobs of a shared
    # machine stretch far less than wall time.
    c_help, c_pass = paired_cpu([*command, "--help"], [sys.executable, "-c", "pass"], repeat)
    c_work = [_cpu_sample(work, 5) for _ in range(repeat)]
    c_expand, c_yaml = paired_cpu([*command, *expand_args],
                                  [sys.executable, "-c", "import ruamel.yaml"], repeat)
    cpu_work = statistics.median(c_work)
    with tempfile.TemporaryDirectory() as tmp:
        floor, n_library, stdlib = import_floor(expand_args, Path(tmp))
        t_floor, t_yaml2 = paired(_run(floor), _run([sys.executable, "-c", "import ruamel.yaml"]),
                                  repeat)
        c_floor, c_yaml2 = paired_cpu(floor, [sys.executable, "-c", "import ruamel.yaml"],
                                      repeat)
    floor_label = (f"the floor of its imports (no work): `import ruamel.yaml`, the "
                   f"{len(stdlib)} standard-library modules it imports that ruamel.yaml does "
                   f"not ({', '.join(sorted({m.split('.')[0] for m in stdlib}))}) and "
                   f"{n_library} empty modules for the library's "
                   f"{n_library}; + the work warm")
    return [
        row("4", "`regimens --help`, fresh process", t_help, "`python -c pass`", t_pass,
            margin=0.15),
        row("4", "(same), CPU time (user + system) of the process", c_help,
            "`python -c pass`, CPU time", c_pass, margin=0.15),
        row("4", f"`regimens expand {CATALOGUE_ID} --arm {ARM} ... --format json`, fresh "
            "process", t_expand, f"`python -c \"import ruamel.yaml\"` + the work warm "
            f"({_seconds(work_median)})", [t + work_median for t in t_yaml], 1.2),
        row("4", "(same), CPU time (user + system) of the process", c_expand,
            f"(same), CPU time; the work warm: {_seconds(cpu_work)}",
            [t + cpu_work for t in c_yaml], 1.2),
        row("4", floor_label, [t + work_median for t in t_floor],
            "`python -c \"import ruamel.yaml\"` + the work warm",
            [t + work_median for t in t_yaml2]),
        row("4", "(same), CPU time", [t + cpu_work for t in c_floor], "(same), CPU time",
            [t + cpu_work for t in c_yaml2]),
    ]


def _cpu_sample(fn: Callable[[], Any], number: int) -> float:
    """The mean CPU time (user + system) of ``number`` calls in this process."""
    t0 = time.process_time()
    for _ in range(number):
        fn()
    return (time.process_time() - t0) / number


def paired_cpu(a: list[str], b: list[str], repeat: int) -> tuple[list[float], list[float]]:
    """CPU time (user + system) of fresh processes running ``a`` and ``b`` in turn."""
    run_a, run_b = _run(a), _run(b)

    def cpu(run: Callable[[], None]) -> float:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        run()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    run_a(), run_b()
    ta, tb = [], []
    for _ in range(repeat):
        ta.append(cpu(run_a))
        tb.append(cpu(run_b))
    return ta, tb


# Report -------------------------------------------------------------------------------------


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    if value < 1e-5:
        return f"{value * 1e6:.2f} µs"
    if value < 1e-3:
        return f"{value * 1e6:.0f} µs"
    if value < 1:
        return f"{value * 1e3:.1f} ms"
    return f"{value:.2f} s"


def _mib(value: float) -> str:
    return f"{value / 2**20:,.0f} MiB"


def _min_med(samples: list[float] | None) -> str:
    if not samples:
        return "- | -"
    return f"{_seconds(min(samples))} | {_seconds(statistics.median(samples))}"


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| # | workload | regimens min | regimens median | against | its min | its median "
             "| ratio (medians) | target | result |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        ours = statistics.median(r["ours"])
        base = statistics.median(r["base"]) if r.get("base") else None
        ratio = ours / base if base else None
        target, verdict = "-", "-"
        if r.get("margin") is not None and base is not None:
            target = f"< +{r['margin']} s"
            verdict = "pass" if ours - base < r["margin"] else "FAIL"
        elif r.get("target") is not None and ratio is not None:
            target = f"<= {r['target']:g}x"
            verdict = "pass" if ratio <= r["target"] else "FAIL"
        lines.append(f"| {r['n']} | {r['workload']} | {_min_med(r['ours'])} | {r['baseline']} "
                     f"| {_min_med(r.get('base'))} | "
                     f"{'-' if ratio is None else f'{ratio:.2f}x'} | {target} | {verdict} |")
        if "peak" in r:
            ok = "pass" if r["peak"] < 2 * 2**30 else "FAIL"
            lines.append(f"| {r['n']} | peak memory (VmHWM of a process running one side "
                         f"once) | {_mib(r['peak'])} | - | floor process | "
                         f"{_mib(r['peak_base'])} | - | {r['peak'] / r['peak_base']:.2f}x "
                         f"| < 2 GiB | {ok} |")
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    except OSError:
        pass
    versions = []
    from importlib.metadata import PackageNotFoundError, version

    for name in ("regimens", "python-dateutil", "icalendar", "recurring-ical-events", "numpy",
                 "pyarrow", "pint", "ruamel.yaml"):
        try:
            versions.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return (f"CPU: {cpu}, {os.cpu_count()} cores; RAM: {ram}; "
            f"Python {platform.python_version()} ({platform.python_implementation()}) on "
            f"{platform.system()} {platform.release()}\n\nLibraries: {', '.join(versions)}")


def _load() -> float:
    """The machine's load average over the last minute (0 where the system has none)."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return 0.0


def update_docs(report: str, path: Path) -> None:
    begin, end = "<!-- benchmarks:begin -->", "<!-- benchmarks:end -->"
    text = path.read_text(encoding="utf-8")
    if begin not in text or end not in text:
        raise SystemExit(f"{path}: no {begin} ... {end} block to replace")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{begin}\n{report}\n{end}{tail}", encoding="utf-8")


def workload_cohort_stream(quick: bool) -> tuple[list[dict[str, Any]], str]:
    """5. Cohorts by group and streamed: the rows of benchmarks/cohort_stream.py."""
    sys.path.insert(0, str(HERE))
    import cohort_stream

    return cohort_stream.run_rows(quick)  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny workloads (for the tests)")
    parser.add_argument("--update-docs", action="store_true",
                        help="write the table into docs/performance.md")
    parser.add_argument("--worker", choices=["regimens", "floor"], help=argparse.SUPPRESS)
    parser.add_argument("--participants", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=None)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))  # the checkout, if regimens is not installed
    if args.worker:
        cohort_worker(args.worker, args.participants)
        return 0
    quick = args.quick
    load_before = _load()
    participants = args.participants or (2_000 if quick else 100_000)
    repeat = args.repeat or (3 if quick else 9)
    results = []
    results += workload_single(repeat)
    results += workload_cohort(participants, repeat)
    results += workload_ics(repeat if quick else max(3, repeat // 2), 1_000 if quick else 10_000)
    results += workload_sequence(repeat if quick else max(3, repeat // 2), quick)
    results += workload_cold(repeat if quick else 10)
    cohort_rows, bounded = workload_cohort_stream(quick)
    results += cohort_rows
    started = datetime.now(UTC).strftime("%Y-%m-%d")
    load = (f"Load average (1 minute) of the machine: {load_before:.1f} at the start, "
            f"{_load():.1f} at the end, on {os.cpu_count()} cores.")
    report = (f"{table(results)}\n\n{bounded}\n\nEach pair interleaved in one process, "
              f"{repeat} samples a side{' (--quick: tiny workloads)' if quick else ''}; "
              f"taken {started}. {load}\n\n"
              f"{machine()}")
    print(report)
    if args.update_docs:
        update_docs(report, ROOT / "docs" / "performance.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
