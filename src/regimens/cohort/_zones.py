"""Time zones for timed doses: each administration's instant, as ``expand(tz=...)`` places it.

``expand`` reads a written time in the participant's zone with ``fold=0`` (an
ambiguous time is its first occurrence, RFC 5545 §3.3.5), and moves a time
that does not exist (clocks move forward) by the gap, with the later times of
that day that it would reach (docs/format.md, "Times of day"). Without a gap
moment, that is the plain local-to-UTC reading, and local time is strictly
increasing in UTC with ``fold=0``, so no move happens: a table of UTC offsets
per (date, written time) gives every instant. A participant with any timed
administration at a moment that does not exist in their zone is expanded by
``expand`` itself (``_warnings``), and their times and instants are taken
from that schedule: exact by construction, warnings and refusals included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from ._cohort import Cohort
    from ._templates import Template

__all__ = ["ZoneTable", "gap_participants", "place", "zone_tables"]

_EPOCH = date(1970, 1, 1)


@dataclass
class ZoneTable:
    """UTC offsets (seconds) of one zone for each (date, written time) a cohort can have."""

    first: int  # days since 1970 of the table's first date
    minutes: Any  # int64, the distinct written times (minutes after midnight), sorted
    offsets: Any  # int64 (dates, times): UTC offset in seconds, fold=0
    gaps: Any  # bool (dates, times): the moment does not exist (clocks move forward)


def _table(zone: ZoneInfo, first: int, last: int, minutes: Any, np: Any) -> ZoneTable:
    days = last - first + 1
    offsets = np.zeros((days, len(minutes)), dtype="int64")
    gaps = np.zeros((days, len(minutes)), dtype=bool)
    times = [time(m // 60, m % 60) for m in minutes.tolist()]
    day = _EPOCH + timedelta(days=first)
    for d in range(days):
        for k, written in enumerate(times):
            wall = datetime.combine(day, written, tzinfo=zone)
            offset = wall.utcoffset()
            assert offset is not None
            offsets[d, k] = int(offset.total_seconds())
            local = wall.astimezone(UTC).astimezone(zone)
            gaps[d, k] = local.replace(tzinfo=None) != wall.replace(tzinfo=None)
        day += timedelta(days=1)
    return ZoneTable(first, minutes, offsets, gaps)


def zone_tables(zones: tuple[str, ...], starts: Any, templates: list[Template],
                np: Any) -> tuple[ZoneTable, ...]:
    """One table per zone, over every date any participant's timed doses can fall on."""
    written = [t.rows["time"] for t in templates]
    timed = [w[~np.isnat(w)] for w in written]
    minutes = np.unique(np.concatenate([w.astype("int64") for w in timed] or
                                       [np.zeros(0, dtype="int64")]))
    if not len(minutes) or not len(starts):
        empty = np.zeros((0, 0), dtype="int64")
        return tuple(ZoneTable(0, minutes, empty, empty.astype(bool)) for _ in zones)
    days = starts.view("int64")
    offsets = [t.rows["offset"][~np.isnat(t.rows["time"])] for t in templates]
    low = min((int(o.min()) for o in offsets if len(o)), default=0)
    high = max((int(o.max()) for o in offsets if len(o)), default=0)
    first, last = int(days.min()) + low, int(days.max()) + high
    return tuple(_table(ZoneInfo(z), first, last, minutes, np) for z in zones)


def gap_participants(tables: tuple[ZoneTable, ...], zone_of: Any, starts: Any,
                     group_of: Any, templates: list[Template], np: Any) -> Any:
    """Participants with a timed administration at a moment their zone does not have."""
    days = starts.view("int64")
    found = np.zeros(len(days), dtype=bool)
    for z, table in enumerate(tables):
        if not table.gaps.any():
            continue
        gap_day, gap_time = np.nonzero(table.gaps)
        gap_day = gap_day + table.first
        in_zone = zone_of == z
        for g, tpl in enumerate(templates):
            members = np.flatnonzero(in_zone & (group_of == g))
            if not len(members):
                continue
            written = tpl.rows["time"]
            timed = ~np.isnat(written)
            offsets = tpl.rows["offset"][timed]
            which = np.searchsorted(table.minutes, written[timed].astype("int64"))
            bad_starts = [gap_day[gap_time == k][:, None] - offsets[which == k][None, :]
                          for k in np.unique(which).tolist()]
            if bad_starts:
                bad = np.unique(np.concatenate([b.reshape(-1) for b in bad_starts]))
                found[members[np.isin(days[members], bad)]] = True
    return found


def place(cohort: Cohort, out: dict[str, Any], indices: Any, counts: Any, np: Any) -> None:
    """Fill ``at`` (and fix ``time`` for moved participants) in a chunk's columns."""
    assert cohort.zones is not None
    tables = cohort._zone_tables
    zone_of = cohort.zones[1]
    need = [n for n in ("date", "time") if n not in out]
    extra = cohort._make(need, indices, zoned=False) if need else {}
    dates = out["date"] if "date" in out else extra["date"]
    written = out["time"] if "time" in out else extra["time"]
    days = dates.astype("int64") if dates.dtype.kind != "M" else dates.view("int64")
    seconds = written.dtype == np.int32  # made for Arrow: seconds, -1 for none
    if seconds:
        timed = written >= 0
        minutes = written.astype("int64") // 60
    else:
        timed = ~np.isnat(written)
        minutes = written.view("int64")
    if "at" in out:
        at = out["at"].view("int64")
        at[...] = np.iinfo("int64").min  # NaT
        row_zone = np.repeat(zone_of[indices], counts)
        for z in np.unique(row_zone[timed]).tolist():
            table = tables[z]
            rows = np.flatnonzero(timed & (row_zone == z))
            k = np.searchsorted(table.minutes, minutes[rows])
            offset = table.offsets[days[rows] - table.first, k]
            at[rows] = days[rows] * 86400 + minutes[rows] * 60 - offset
    moved = cohort._flagged.times
    if moved:
        first = np.cumsum(counts) - counts
        for local, participant in enumerate(indices.tolist()):
            if participant in moved:
                new_time, new_at = moved[participant]
                span = slice(int(first[local]), int(first[local] + counts[local]))
                if "time" in out and seconds:
                    out["time"][span] = np.where(np.isnat(new_time), -1,
                                                 new_time.view("int64") * 60)
                elif "time" in out:
                    out["time"][span] = new_time
                if "at" in out:
                    out["at"][span] = new_at
