"""Timed administrations placed in the time zone: written times moved out of a clock
change's gap (:func:`_place_times`), elapsed-hour intervals (:func:`_elapsed`), and the sort
key of an administration by day and time (:func:`_key`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from ..errors import ExpandOptionError, RegimenWarning, TimeShiftWarning
from ..model import HoursPattern
from ..quantities import StudyDay
from ._administration import Administration
from ._timeline import Timeline

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo


def _place_times(rows: list[Administration], zone: ZoneInfo,
                 warnings: list[RegimenWarning]) -> None:
    """Give every timed administration its instant in ``zone`` (in place).

    The rule (docs/format.md, "Times of day"): a written time that does not exist
    (clocks move forward) is read with the UTC offset before the gap, so it moves
    forward by the gap's length (RFC 5545 §3.3.5); an ambiguous time (clocks move
    back) is its first occurrence (fold=0, also §3.3.5). A later time of the same
    date that a moved one would reach or pass moves by the same length, so the day
    keeps its order and spacing (a premedication written for 02:30 stays 30
    minutes before an infusion written for 03:00): distinct written moments keep
    distinct instants, in the written order. A move that would reach a time
    written for another date (a whole skipped day, as Pacific/Apia on
    2011-12-30) has no safe place and is refused. Each moved administration gets
    its own warning, in the order of the written moments, then by drug name.

    Raises ExpandOptionError ("tz") when no safe move exists.
    """
    # Rows placed already (elapsed-hour intervals, see _elapsed) keep their instant.
    moments = sorted({(a.date, a.time) for a in rows if a.time is not None and a.at is None},
                     key=lambda m: (m[0], m[1] or time.min))
    placed: dict[tuple[date, time], datetime] = {}
    reasons: dict[tuple[date, time], str] = {}
    last: tuple[date, time, datetime] | None = None  # the previous moment and its instant
    block: tuple[date, timedelta] | None = None  # date and UTC offset of the moved run
    for day, written in moments:
        wall = datetime.combine(day, written, tzinfo=zone)
        instant = wall.astimezone(UTC)
        local = instant.astimezone(zone)
        if local.replace(tzinfo=None) != wall.replace(tzinfo=None):
            offset = wall.utcoffset()
            assert offset is not None
            block = (day, offset)
            reasons[(day, written)] = (
                f"{written:%H:%M} does not exist on {day.isoformat()} in {zone.key} "
                + ("(the date was skipped)" if local.date() != day else
                   "(clocks move forward)"))
        elif last is not None and instant <= last[2]:
            if block is not None and block[0] == day:
                # Read with the offset before the gap, as the moved times were.
                instant = (datetime.combine(day, written) - block[1]).replace(tzinfo=UTC)
                local = instant.astimezone(zone)
            if block is None or block[0] != day or instant <= last[2]:
                raise _no_safe_move(rows, last, (day, written), zone)
            reasons[(day, written)] = (
                f"{written:%H:%M} on {day.isoformat()} in {zone.key} moves with the earlier "
                "times moved out of the gap (clocks move forward), to stay after them")
        placed[(day, written)] = local
        last = (day, written, instant)
    moved: list[tuple[tuple[date, time, str, int], Administration]] = []
    for i, a in enumerate(rows):
        if a.time is None or a.at is not None:
            continue
        key = (a.date, a.time)
        local = placed[key]
        # A copy of the frozen record with its instant (the fast path: replace() would
        # run the frozen __init__ for every timed row).
        fields = dict(a.__dict__)
        fields["at"] = local
        if key in reasons:
            fields["time"] = local.time()
            moved.append(((a.date, a.time, a.drug_name, a.study_day.value), a))
        rows[i] = Administration._unchecked(*fields.values())
    # One warning per moved administration, in the order of the written moments and by
    # drug name, never by course: every arm of a blinded design lists them alike.
    for (day, written, name, study_day), _ in sorted(moved, key=lambda item: item[0]):
        local = placed[(day, written)]
        where = f" on {local.date().isoformat()}" if local.date() != day else ""
        warnings.append(TimeShiftWarning(
            f"{name}, Study Day {study_day}: {reasons[(day, written)]}; the administration "
            f"is at {local:%H:%M}{where} local time"))


def _elapsed(pattern: HoursPattern, made: list[Administration], made_keys: list[int],
             line: Timeline, warnings: list[RegimenWarning],
             where: tuple[int, int, int, int]) -> None:
    """Place a course of elapsed-hour intervals in the time zone (in place).

    Each window (cycle, or the span) starts on its day 1 at ``at`` local time (read as
    any written time is, docs/format.md "Times of day"); each later administration is
    that many hours of elapsed time after it, so a clock change in between shifts its
    local time (and, near midnight, its date and Study Day) by the change. Without a
    time zone the moments are wall times counted as if no clock changed, and a warning
    says so.
    """
    first = made[0]
    name = f"{first.drug_name}, every {pattern.every} from {pattern.at:%H:%M}"
    zone = line.zone
    if zone is None:
        warning = TimeShiftWarning(
            f"{name}: the interval is elapsed time, counted here as if no clock change "
            "falls in the course (no time zone given); give the time zone (--tz) to place "
            "the administrations across a clock change")
        warnings.append(warning)
        return
    day_one = line.start
    shifted: tuple[Administration, datetime] | None = None
    base: tuple[int | None, datetime, datetime] | None = None  # cycle, wall and instant
    for i, a in enumerate(made):
        assert a.time is not None  # every moment of the pattern has a time
        wall = datetime.combine(a.date, a.time)
        if base is None or base[0] != a.cycle:
            base = (a.cycle, wall, wall.replace(tzinfo=zone).astimezone(UTC))
        local = (base[2] + (wall - base[1])).astimezone(zone)
        if shifted is None and local.replace(tzinfo=None) != wall:
            shifted = (a, local)
        fields = dict(a.__dict__)
        offset = (local.date() - day_one).days
        fields.update(study_day=StudyDay.from_offset(offset), date=local.date(),
                      time=local.time(), at=local)
        made[i] = Administration._unchecked(*fields.values())
        made_keys[i] = _key(offset, local.time(), *where)
    if shifted is not None:
        a, local = shifted
        where_on = f" on {local.date().isoformat()}" if local.date() != a.date else ""
        warnings.append(TimeShiftWarning(
            f"{name}: the interval is elapsed time and the clocks change in {zone.key} during "
            f"the course: the administration of Study Day {a.study_day.value} counted for "
            f"{a.time:%H:%M} is at {local:%H:%M}{where_on} local time, and those after it "
            "shift with it"))


def _no_safe_move(rows: list[Administration], last: tuple[date, time, datetime],
                  reached: tuple[date, time], zone: ZoneInfo) -> ExpandOptionError:
    def names(day: date, at: time) -> str:
        return " and ".join(sorted({a.drug_name for a in rows
                                    if a.date == day and a.time == at}))

    moved = last[2].astimezone(zone)
    return ExpandOptionError(
        "tz", f"in {zone.key}, {names(last[0], last[1])} written for {last[1]:%H:%M} on "
        f"{last[0].isoformat()} would move to {moved:%H:%M} on {moved.date().isoformat()} "
        "(clocks move forward), reaching "
        f"{names(*reached)} written for {reached[1]:%H:%M} on {reached[0].isoformat()}: no "
        "move keeps the administrations in order; change the start date, or the times of "
        "the courses on those days")


_DAY_US = 86_400_000_000


def _key(offset: int, at: time | None, period_index: int, course_index: int, periods: int,
         courses: int) -> int:
    """Sort key of an administration: by day, time (none first), period, course.

    The tuple (offset, at or time.min, period_index, course_index) as one int,
    in the same order: an int is not tracked by the garbage collector, and a
    schedule has hundreds of rows.
    """
    us = 0 if at is None else ((at.hour * 60 + at.minute) * 60 + at.second) * 1_000_000 + (
        at.microsecond)
    return ((offset * _DAY_US + us) * periods + period_index) * courses + course_index
