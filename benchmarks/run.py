"""Benchmarks: regimens against the baselines a user would otherwise use, in one run.

    python benchmarks/run.py            # full workloads (a few minutes)
    python benchmarks/run.py --quick    # tiny workloads (seconds; what the tests run)
    python benchmarks/run.py --update-docs   # also rewrite docs/performance.md

Workloads (medians of several runs; each baseline computes the same dates as regimens):

1. One participant on the ``mirocals`` arm ``il2`` (riluzole run-in, 95 aldesleukin doses,
   riluzole throughout, visits) expanded to a schedule, against a hand-written
   ``dateutil.rrule`` loop, and against recurring-ical-events expanding an iCalendar file
   that encodes the same regimen with RRULEs.
2. The same regimen for 100,000 participants (different starts, weights, heights) into
   columns with ``regimens.cohort``, against a NumPy ``datetime64`` broadcast written by
   hand for this regimen (the floor). Each side runs in its own process; peak memory is
   that process's maximum resident set size.
3. 10,000 events exported to iCalendar, against icalendar building and serialising the
   same events directly.
4. Cold start of ``regimens --help`` and ``regimens expand mirocals ... --format json`` in
   fresh processes, against ``python -c pass``.

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
STAMP = datetime(2027, 1, 1, tzinfo=UTC)
COHORT_COLUMNS = ["participant", "date", "drug", "amount"]


def median_time(fn: Callable[[], Any], repeat: int, number: int = 1) -> float:
    """Median over ``repeat`` samples of the mean time of ``number`` calls."""
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - t0) / number)
    return statistics.median(samples)


def paired(a: Callable[[], Any], b: Callable[[], Any], repeat: int,
           number: int = 1) -> tuple[float, float]:
    """Interleaved medians, so that machine noise hits both sides alike."""
    a(), b()  # warm up
    ta, tb = [], []
    for _ in range(repeat):
        ta.append(median_time(a, 1, number))
        tb.append(median_time(b, 1, number))
    return statistics.median(ta), statistics.median(tb)


# 1. One participant -------------------------------------------------------------------


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
        return regimen.expand(ARM, START, participant)

    schedule = ours()
    mine = sorted([(a.date, a.drug) for a in schedule.administrations]
                  + [(v.date, v.id) for v in schedule.visits])
    theirs = sorted((r["date"], r.get("drug") or r["visit"]) for r in rrule_loop(START))
    assert mine == theirs, "the rrule baseline does not compute the same dates"
    t_ours, t_rrule = paired(ours, lambda: rrule_loop(START), repeat, number=20)
    results = [{"n": "1", "workload": "one participant, mirocals il2 "
                f"({len(schedule.administrations)} administrations + "
                f"{len(schedule.visits)} visits) -> schedule",
                "ours": t_ours, "baseline": "dateutil.rrule hand loop", "base": t_rrule,
                "target": 1.0}]
    # JSON output against the expansion itself: the same schedule, to_json() alone.
    t_json, t_expand = paired(schedule.to_json, ours, repeat, number=20)
    results.append({"n": "1", "workload": "(same) schedule -> `to_json()` (byte-identical to "
                    "json.dumps indent=2)", "ours": t_json, "baseline": "`expand` itself",
                    "base": t_expand, "target": 2.0})
    results.append(workload_long(repeat))
    try:
        import recurring_ical_events
    except ImportError:
        results.append({"n": "1", "workload": "(same)", "ours": t_ours,
                        "baseline": "recurring-ical-events (not installed)", "base": None,
                        "target": None})
        return results
    from icalendar import Calendar

    data = mirocals_ics(START)

    def rie() -> list[Any]:
        calendar = Calendar.from_ical(data)
        return list(recurring_ical_events.of(calendar).between(
            START - timedelta(days=200), START + timedelta(days=700)))

    occurrences = sorted((e.decoded("DTSTART"), str(e["SUMMARY"])) for e in rie())
    assert [d for d, _ in occurrences] == sorted(d for d, _ in mine), \
        "the recurring-ical-events baseline does not compute the same dates"
    t_ours2, t_rie = paired(ours, rie, max(3, repeat // 2), number=3)
    results.append({"n": "1", "workload": "(same), against an RRULE .ics file (parse + expand)",
                    "ours": t_ours2, "baseline": "recurring-ical-events", "base": t_rie,
                    "target": None})
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


def workload_long(repeat: int) -> dict[str, Any]:
    """Per-row cost of 100 years of daily dosing against 10 years: linear means ~1x.

    (Study days were once kept in a 4,096-entry LRU cache, missed on every row of a
    longer expansion: 1.95x the rrule loop per row at 100 years.)
    """
    short, long = _daily(3_652), _daily(36_525)
    assert len(long.expand("x", START).administrations) == 36_525
    t_long, t_short = paired(lambda: long.expand("x", START), lambda: short.expand("x", START),
                             max(3, repeat // 2), number=1)
    return {"n": "1", "workload": "100 years of daily dosing (36,525 rows), per row",
            "ours": t_long / 36_525, "baseline": "10 years (3,652 rows), per row",
            "base": t_short / 3_652, "target": 1.5}


# 2. A cohort ----------------------------------------------------------------------------


def cohort_inputs(n: int) -> tuple[Any, Any, Any]:
    import numpy as np

    rng = np.random.default_rng(2027)
    starts = np.datetime64(START) + rng.integers(0, 730, n).astype("timedelta64[D]")
    weights = np.round(rng.uniform(45.0, 110.0, n), 1)
    heights = np.round(rng.uniform(150.0, 195.0, n), 0)
    return starts, weights, heights


def floor_columns(starts: Any) -> dict[str, Any]:
    """The mirocals il2 rows for every participant, with NumPy written by hand."""
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
    offsets, drug = offsets[order], drug[order]
    amount = np.where(drug == 1, 2.0, np.nan)
    n, size = len(starts), len(offsets)
    return {
        "participant": np.repeat(np.arange(n, dtype="int32"), size),
        "date": (starts[:, None] + offsets.astype("timedelta64[D]")[None, :]).reshape(-1),
        "drug": np.tile(drug, n),
        "amount": np.tile(amount, n),
    }


def regimens_columns(regimen: Any, starts: Any, weights: Any, heights: Any) -> dict[str, Any]:
    from regimens.cohort import expand_cohort

    cohort = expand_cohort(regimen, ARM, starts, weights=weights, heights=heights)
    return cohort.to_numpy(COHORT_COLUMNS)


def cohort_worker(side: str, n: int, repeat: int) -> None:
    """Run in a child process: time one side, print JSON with the peak RSS."""
    import regimens

    starts, weights, heights = cohort_inputs(n)
    regimen = regimens.load(CATALOGUE_ID)  # loading the file is not part of the workload
    if side == "regimens":
        def fn() -> Any:
            return regimens_columns(regimen, starts, weights, heights)
    else:
        def fn() -> Any:
            return floor_columns(starts)
    samples = []
    for _ in range(repeat + 1):  # the first run pays for first-touch page faults
        t0 = time.perf_counter()
        columns = fn()
        samples.append(time.perf_counter() - t0)
        rows = len(columns["date"])
        del columns
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    print(json.dumps({"time": statistics.median(samples[1:]), "rows": rows, "peak": peak}))


def check_cohort_same(n: int) -> None:
    import numpy as np

    import regimens

    starts, weights, heights = cohort_inputs(n)
    ours = regimens_columns(regimens.load(CATALOGUE_ID), starts, weights, heights)
    floor = floor_columns(starts)
    for name in ("participant", "date", "drug"):
        assert np.array_equal(ours[name], floor[name]), f"floor differs in {name}"
    assert np.array_equal(ours["amount"], floor["amount"], equal_nan=True)


def workload_cohort(n: int, repeat: int) -> list[dict[str, Any]]:
    check_cohort_same(min(n, 500))
    out = {}
    for side in ("regimens", "floor"):
        proc = subprocess.run([sys.executable, __file__, "--worker", side, "--participants",
                               str(n), "--repeat", str(repeat)], capture_output=True,
                              text=True, check=True)
        out[side] = json.loads(proc.stdout.strip().splitlines()[-1])
    return [{"n": "2", "workload": f"{n:,} participants, mirocals il2 -> "
             f"{out['regimens']['rows']:,} rows x {len(COHORT_COLUMNS)} NumPy columns "
             f"({', '.join(COHORT_COLUMNS)})", "ours": out["regimens"]["time"],
             "baseline": "NumPy datetime64 broadcast (floor)", "base": out["floor"]["time"],
             "target": 3.0, "peak": out["regimens"]["peak"], "peak_base": out["floor"]["peak"]}]


# 3. iCalendar export ----------------------------------------------------------------------


def workload_ics(repeat: int, events: int) -> list[dict[str, Any]]:
    from icalendar import Calendar, Event, vText

    import regimens

    regimen = regimens.load(ICS_REGIMEN)
    days = events // 2
    schedule = regimen.expand("x", START, regimens.Participant(weight="70 kg"),
                              lengths=None) if days == 5000 else None
    if schedule is None:  # a smaller workload: the same regimen, shorter
        text = ICS_REGIMEN.read_text().replace("5000 days", f"{days} days")
        schedule = regimens.loads(text).expand("x", START, regimens.Participant(weight="70 kg"))
    count = len(schedule.administrations) + len(schedule.visits)
    data = schedule.to_ics(stamp=STAMP)
    parsed = [(str(e["UID"]), str(e["SUMMARY"]), str(e["DESCRIPTION"]), e.decoded("DTSTART"),
               e.decoded("DTEND"), [str(c) for c in e["CATEGORIES"].cats],
               str(e["X-REGIMENS-DIGEST"])) for e in Calendar.from_ical(data).walk("VEVENT")]

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

    t_ours, t_base = paired(lambda: schedule.to_ics(stamp=STAMP), icalendar_alone, repeat)
    return [{"n": "3", "workload": f"export {count:,} events to .ics", "ours": t_ours,
             "baseline": "icalendar, same events built directly", "base": t_base,
             "target": 1.5}]


# 4. Cold start ----------------------------------------------------------------------------


def _command() -> list[str]:
    script = Path(sys.executable).with_name("regimens")
    if script.exists():
        return [str(script)]
    found = shutil.which("regimens")
    return [found] if found else [sys.executable, "-m", "regimens"]


def _cold(argv: list[str], repeat: int) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    samples = []
    for _ in range(repeat + 1):
        t0 = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                       env=env, cwd=ROOT)
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples[1:])


def workload_cold(repeat: int) -> list[dict[str, Any]]:
    base = _cold([sys.executable, "-c", "pass"], repeat)
    regimens = _command()
    help_time = _cold([*regimens, "--help"], repeat)
    expand = _cold([*regimens, "expand", CATALOGUE_ID, "--arm", ARM, "--start",
                    START.isoformat(), "--weight", "70kg", "--format", "json"], repeat)
    return [
        {"n": "4", "workload": "`regimens --help`, fresh process", "ours": help_time,
         "baseline": "`python -c pass`", "base": base, "target_abs": 0.3},
        {"n": "4", "workload": f"`regimens expand {CATALOGUE_ID} --arm {ARM} ... "
         "--format json`, fresh process", "ours": expand, "baseline": "`python -c pass`",
         "base": base, "target": None},
    ]


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


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| # | workload | regimens | baseline | baseline time | ratio | target | result |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        ratio = r["ours"] / r["base"] if r.get("base") else None
        target, verdict = "-", "-"
        if r.get("target_abs") is not None:
            target = f"< {r['target_abs']} s"
            verdict = "pass" if r["ours"] < r["target_abs"] else "FAIL"
        elif r.get("target") is not None and ratio is not None:
            target = f"<= {r['target']:g}x"
            verdict = "pass" if ratio <= r["target"] else "FAIL"
        lines.append(f"| {r['n']} | {r['workload']} | {_seconds(r['ours'])} | {r['baseline']} "
                     f"| {_seconds(r.get('base'))} | "
                     f"{'-' if ratio is None else f'{ratio:.2f}x'} | {target} | {verdict} |")
        if "peak" in r:
            ok = "pass" if r["peak"] < 2 * 2**30 else "FAIL"
            lines.append(f"| {r['n']} | peak memory (max RSS of the process) | "
                         f"{_mib(r['peak'])} | floor process | {_mib(r['peak_base'])} | "
                         f"{r['peak'] / r['peak_base']:.2f}x | < 2 GiB | {ok} |")
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
                 "pyarrow", "pint"):
        try:
            versions.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return (f"CPU: {cpu}, {os.cpu_count()} cores; RAM: {ram}; "
            f"Python {platform.python_version()} ({platform.python_implementation()}) on "
            f"{platform.system()} {platform.release()}\n\nLibraries: {', '.join(versions)}")


def update_docs(report: str, path: Path) -> None:
    begin, end = "<!-- benchmarks:begin -->", "<!-- benchmarks:end -->"
    text = path.read_text(encoding="utf-8")
    if begin not in text or end not in text:
        raise SystemExit(f"{path}: no {begin} ... {end} block to replace")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{begin}\n{report}\n{end}{tail}", encoding="utf-8")


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
        cohort_worker(args.worker, args.participants, args.repeat)
        return 0
    quick = args.quick
    participants = args.participants or (2_000 if quick else 100_000)
    repeat = args.repeat or (3 if quick else 7)
    results = []
    results += workload_single(repeat)
    results += workload_cohort(participants, repeat)
    results += workload_ics(repeat if quick else max(3, repeat // 2), 1_000 if quick else 10_000)
    results += workload_cold(repeat if quick else 10)
    started = datetime.now(UTC).strftime("%Y-%m-%d")
    report = (f"{table(results)}\n\nMedians of {repeat} runs"
              f"{' (--quick: tiny workloads)' if quick else ''}, taken {started}.\n\n"
              f"{machine()}")
    print(report)
    if args.update_docs:
        update_docs(report, ROOT / "docs" / "performance.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
