"""Wall-clock times moved out of a clock gap: never merged, never reordered, always named.

The rule (docs/format.md, "Times of day"): a time that does not exist is read with the UTC
offset before the gap (RFC 5545 §3.3.5), and the later times of its date that it would reach
or pass move with it; a move that would reach another date is refused. The property test
draws courses with times around real gaps (30 minutes, 1 and 2 hours, at midnight, whole
skipped days) and checks the outcome against the written times, not against the code.
"""

from __future__ import annotations

import itertools
import re
import warnings
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import regimens
from regimens.errors import ExpandOptionError, TimeShiftWarning
from support import HEAD

#: Real gaps: zone, the date, the first local time that does not exist, the gap's length.
GAPS = [
    ("Europe/Berlin", date(2027, 3, 28), time(2, 0), timedelta(hours=1)),
    ("America/New_York", date(2027, 3, 14), time(2, 0), timedelta(hours=1)),
    ("Australia/Lord_Howe", date(2027, 10, 3), time(2, 0), timedelta(minutes=30)),
    ("America/Caracas", date(2016, 5, 1), time(2, 30), timedelta(minutes=30)),
    ("America/Havana", date(2027, 3, 14), time(0, 0), timedelta(hours=1)),
    ("America/Santiago", date(2027, 9, 5), time(0, 0), timedelta(hours=1)),
    ("Antarctica/Troll", date(2027, 3, 28), time(1, 0), timedelta(hours=2)),
    ("Pacific/Apia", date(2011, 12, 30), time(0, 0), timedelta(days=1)),
    ("Pacific/Kiritimati", date(1994, 12, 31), time(0, 0), timedelta(days=1)),
]
NAMES = {"il2": "aldesleukin", "pred": "prednisone", "treg": "Treg cells"}
TIMES = [f"{h:02d}:{m:02d}" for h in range(5) for m in (0, 15, 30, 45)] + [
    "08:00", "12:00", "23:45"]


def _exists(day: date, at: time, zone: ZoneInfo) -> bool:
    wall = datetime.combine(day, at, tzinfo=zone)
    return wall.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall.replace(
        tzinfo=None)


@pytest.mark.parametrize(("zone", "day", "first", "length"), GAPS,
                         ids=[g[0] for g in GAPS])
def test_the_gaps_are_real(zone: str, day: date, first: time, length: timedelta) -> None:
    z = ZoneInfo(zone)
    start = datetime.combine(day, first)
    before = start - timedelta(minutes=1)
    assert _exists(before.date(), before.time(), z) or length == timedelta(days=1)
    assert not _exists(day, first, z)
    last = start + length - timedelta(minutes=1)
    assert not _exists(last.date(), last.time(), z)
    end = start + length
    assert _exists(end.date(), end.time(), z)


def _document(courses: list[dict[str, Any]]) -> str:
    lines = ["periods:", "  - id: t", "    length: 4 days", "    courses:"]
    for c in courses:
        times = ", ".join(f"'{t}'" for t in c["times"])
        lines.append(f"      - {{drug: {c['drug']}, dose: 1 mg, days: {c['days']}, "
                     f"times: [{times}]}}")
    return HEAD + "\n".join(lines) + "\n"


def _expand(text: str, start: date, tz: str | None) -> regimens.Schedule:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        return regimens.loads(text, "r.yaml").expand("a", start, tz=tz)


courses = st.lists(st.fixed_dictionaries({
    "drug": st.sampled_from(sorted(NAMES)),
    "days": st.lists(st.integers(1, 4), min_size=1, max_size=4, unique=True).map(sorted),
    "times": st.lists(st.sampled_from(TIMES), min_size=1, max_size=3, unique=True).map(sorted),
}), min_size=1, max_size=4)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gap=st.sampled_from(GAPS), before=st.integers(0, 2), drawn=courses)
def test_moved_times_keep_order_and_are_named(
        gap: tuple[str, date, time, timedelta], before: int,
        drawn: list[dict[str, Any]]) -> None:
    zone_name, gap_day, _, length = gap
    zone = ZoneInfo(zone_name)
    start = gap_day - timedelta(days=before)
    text = _document(drawn)
    written = _expand(text, start, None).administrations
    # The instant each written moment has by itself (RFC 5545 §3.3.5: fold=0).
    natural = {(a.date, a.time): datetime.combine(a.date, a.time, tzinfo=zone).astimezone(UTC)
               for a in written if a.time is not None}
    try:
        placed = _expand(text, start, zone_name)
    except ExpandOptionError as exc:
        message = str(exc)
        assert message.startswith(f"tz: in {zone_name}, ")
        assert message.endswith("no move keeps the administrations in order; change the start "
                                "date, or the times of the courses on those days")
        # Refused only if moving the gap's date forward would reach a later date's time:
        # the latest time of a date with a time in the gap, read with the offset before
        # the gap, is at or after the natural instant of a time written for a later date.
        reach = {}
        for (day, at), _ in natural.items():
            if not _exists(day, at, zone):
                offset = datetime.combine(day, at, tzinfo=zone).utcoffset()
                assert offset is not None
                latest = max(t for d, t in natural if d == day)
                reach[day] = (datetime.combine(day, latest) - offset).replace(tzinfo=UTC)
        assert any(instant <= reach[day] for (later, _), instant in natural.items()
                   for day in reach if later > day), message
        return
    # Moving times never changes which administration comes where.
    assert [(a.study_day, a.drug, a.date) for a in placed.administrations] == [
        (a.study_day, a.drug, a.date) for a in written]
    pairs = list(zip(written, placed.administrations, strict=True))
    moments = sorted({(w.date, w.time, p.at) for w, p in pairs},
                     key=lambda m: (m[0], m[1]))
    # Distinct written moments keep distinct instants, in the written order: no two doses
    # of one drug merge and no administration passes one written after it.
    for (_, _, first), (_, _, second) in itertools.pairwise(moments):
        assert first is not None
        assert second is not None
        assert first.astimezone(UTC) < second.astimezone(UTC)
    texts = [str(w) for w in placed.warnings]
    assert all(isinstance(w, TimeShiftWarning) for w in placed.warnings)
    expected = []
    for w, p in pairs:
        assert w.time is not None
        assert p.at is not None
        assert p.time is not None
        assert p.at.tzinfo is zone
        assert p.time == p.at.time()
        # Never earlier than its own reading, and moved only forward.
        assert p.at.astimezone(UTC) >= natural[(w.date, w.time)]
        moved = (p.at.date(), p.at.time()) != (w.date, w.time)
        if moved:
            # At most the gap's length: a moved time goes with the gap, never further.
            assert p.at.replace(tzinfo=None) - datetime.combine(w.date, w.time) == length
            expected.append(f"{NAMES[w.drug]}, Study Day {w.study_day.value}: {w.time:%H:%M} ")
            shown = (f"the administration is at {p.at:%H:%M}"
                     + (f" on {p.at.date().isoformat()}" if p.at.date() != w.date else "")
                     + " local time")
            assert any(t.startswith(expected[-1]) and t.endswith(shown) and
                       w.date.isoformat() in t for t in texts), (expected[-1], texts)
        else:
            assert _exists(w.date, w.time, zone)
    # One warning per moved administration (two courses of one drug at one moment read
    # the same), and none for the others.
    assert len(texts) == len(set(texts)) == len(set(expected))


@pytest.mark.parametrize(("times", "tz", "day", "given_at"), [
    # The gap-order: the premedication stays 30 minutes before the infusion.
    ({"pred": "02:30", "treg": "03:00"}, "Europe/Berlin", "2027-03-28",
     {"pred": "03:30", "treg": "04:00"}),
    # A time just before the gap and one at its end: nothing moves.
    ({"pred": "01:59", "treg": "03:00"}, "Europe/Berlin", "2027-03-28",
     {"pred": "01:59", "treg": "03:00"}),
    # The first time of the gap would meet the gap's end: both move, an hour apart.
    ({"pred": "02:00", "treg": "03:00"}, "America/New_York", "2027-03-14",
     {"pred": "03:00", "treg": "04:00"}),
    # Far enough after the gap not to be reached: only the gap time moves.
    ({"pred": "02:30", "treg": "03:31"}, "America/New_York", "2027-03-14",
     {"pred": "03:30", "treg": "03:31"}),
    # Two hours in Troll (01:00 to 03:00): 01:30 goes to 03:30, 03:15 to 05:15.
    ({"pred": "01:30", "treg": "03:15"}, "Antarctica/Troll", "2027-03-28",
     {"pred": "03:30", "treg": "05:15"}),
    # A gap at midnight (Havana: 00:00 to 01:00).
    ({"pred": "00:00", "treg": "00:45"}, "America/Havana", "2027-03-14",
     {"pred": "01:00", "treg": "01:45"}),
])
def test_gap_moves_table(times: dict[str, str], tz: str, day: str,
                         given_at: dict[str, str]) -> None:
    body = "".join(f"      - {{drug: {d}, dose: 1 mg, days: [1], times: ['{t}']}}\n"
                   for d, t in times.items())
    s = _expand(HEAD + "periods:\n  - id: t\n    length: 1 day\n    courses:\n" + body,
                date.fromisoformat(day), tz)
    assert {a.drug: f"{a.time:%H:%M}" for a in s.administrations} == given_at
    assert [a.drug for a in s.administrations] == list(times)
    moved = [d for d in times if times[d] != given_at[d]]
    assert [re.match(r"[^,]+", str(w))[0] for w in s.warnings] == [  # type: ignore[index]
        NAMES[d] for d in moved]


def test_overlap_keeps_order_without_moving() -> None:
    # 2027-11-07 New York: 01:00-01:59 happens twice; both times are first occurrences.
    body = ("periods:\n  - id: t\n    length: 1 day\n    courses:\n"
            "      - {drug: pred, dose: 1 mg, days: [1], times: ['01:30']}\n"
            "      - {drug: treg, dose: 1 mg, days: [1], times: ['01:45']}\n")
    s = _expand(HEAD + body, date(2027, 11, 7), "America/New_York")
    assert [a.at.isoformat() for a in s.administrations if a.at] == [
        "2027-11-07T01:30:00-04:00", "2027-11-07T01:45:00-04:00"]
    assert s.warnings == ()
