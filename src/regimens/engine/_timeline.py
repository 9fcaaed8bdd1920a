"""The participant's timeline: where each period falls, Study Day 1, zone and body size.

:func:`resolve_timeline` (:func:`regimens.engine.resolve`) fixes everything
participant-specific before any course is laid out. All date arithmetic is in whole days
from Study Day 1.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .._records import dataclass
from ..errors import (
    AnchorLengthWarning,
    ExpandOptionError,
    ExpandOptionTypeError,
    RegimenWarning,
)
from ..model import (
    AfterLastAnchor,
    CourseAnchor,
    Participant,
    Period,
    PeriodAnchor,
    Regimen,
    RepeatAnchor,
    SiteCalendar,
)
from ..quantities import BSAFormula, Duration, Months, StudyDay, shared_study_days
from ._body_size import BodySize
from ._options import (
    check_arm,
    check_bsa_decimals,
    parse_formula,
    parse_lengths,
    parse_levels,
    parse_start,
    parse_zone,
)

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

__all__ = ["OUTSIDE_CALENDAR", "Timeline", "outside_calendar", "resolve_timeline"]

#: Why a start is refused when a date of its schedule would fall before year 1 or after
#: 9999 (Python's dates, and NumPy's ``datetime64[D]`` as the batch API checks it).
OUTSIDE_CALENDAR = "the schedule would fall outside the calendar (years 1 to 9999)"


#: The anchor names that mean the date of enrolment: the first day of the arm's first
#: period (both spellings; a period of the arm with one of these ids is that period).
ENROLMENT = ("enrolment", "enrollment")


def _anchored(regimen: Regimen, arm: str, anchor: Mapping[str, date | str] | str,
              periods: tuple[tuple[Period, int, int], ...]) -> tuple[date, str, date, str]:
    """The date of the first day of the day_one period, from another period's first day;
    with the id of the period anchored, the date given for its first day and the name
    as given (``enrolment`` for the arm's first period)."""
    if isinstance(anchor, str) and "=" in anchor:
        name, _, text = anchor.partition("=")
        anchor = {name.strip(): text.strip()}
    if not isinstance(anchor, Mapping) or len(anchor) != 1:
        # A date alone (no period) or a list is of the wrong type; text without '=' or a
        # mapping of two periods is of the right one, written wrong.
        error = ExpandOptionError if isinstance(anchor, str | Mapping) else ExpandOptionTypeError
        raise error("anchor", "one period and the date of its first day (run-in=2027-01-04)",
                    anchor)
    ((period, when),) = anchor.items()
    typed = str(period)
    placed = {p.id: first for p, first, _ in periods}
    if period in ENROLMENT and period not in placed and periods:
        # Enrolment is the first day of the arm's first period (the format declares no
        # enrolment day of its own): docs/cli.md, "--anchor". A period with that id is
        # that period, as any other anchor names one.
        period = periods[0][0].id
    after = periods[-1][0] if periods and periods[-1][0].length.months is not None else None
    if after is not None and period not in placed and period in [
            p.id for p in regimen.path(arm)]:
        raise ExpandOptionError(
            "anchor", f"period {period!r} comes after period {after.id!r} ({after.length}, in "
            "calendar months), whose days follow from the date of Study Day 1: give the start "
            "instead, or anchor a period before it", period)
    if period not in placed:
        raise ExpandOptionError("anchor", f"not a period of arm {arm!r} (periods: "
                                f"{', '.join(placed)})", period)
    first_day = parse_start(when, "anchor")
    try:
        return first_day - timedelta(days=placed[period]), period, first_day, typed
    except OverflowError:
        raise ExpandOptionError("anchor", "the schedule would fall outside the calendar "
                                "(years 1 to 9999)", first_day.isoformat()) from None


def _in_days(path: tuple[Period, ...], chosen: Mapping[str, Duration],
             cursor: int) -> tuple[tuple[Period, int, int], ...]:
    """The periods placed by their lengths in days, from ``cursor`` (the first one's offset),
    for an anchor: up to the first period in calendar months, whose days follow from the
    date of Study Day 1 (a period after it cannot place Study Day 1; see :func:`_anchored`).
    """
    placed: list[tuple[Period, int, int]] = []
    for period in path:
        days = chosen.get(period.id, period.length.shortest).days
        placed.append((period, cursor, days))
        if period.length.months is not None:
            break
        cursor += days
    return tuple(placed)


@dataclass(frozen=True)
class Timeline:
    """A participant's periods, placed: offsets are days after the first day of the
    day_one period (Study Day 1, or Day 0 with ``day_zero``)."""

    arm: str
    start: date
    periods: tuple[tuple[Period, int, int], ...]  # (period, first offset, length in days)
    zone: ZoneInfo | None
    body: BodySize
    day_zero: bool = False  # offset 0 is Study Day 0 (the regimen's day_zero), else Day 1
    calendar: SiteCalendar | None = None  # the site's closed days, if given
    levels: dict[str, int] = field(default_factory=dict)  # drug id -> dose level (not 0)
    # Lengths assumed that place a date of the schedule (AnchorLengthWarning), if any.
    warnings: tuple[RegimenWarning, ...] = ()
    # The date given with --anchor (anchor=), when Study Day 1 was placed from it: a date
    # out of the calendar is then the anchor's, not a start never given.
    anchor: date | None = None
    # The periods of a range of lengths with no length given, placed at their shortest,
    # from the one placed by the date given (start or anchor) on: the dates after each
    # rest on a length assumed (Schedule.lengths_assumed).
    lengths_assumed: tuple[str, ...] = ()
    # Those before the period placed by the date given: the dates before it, the arm's
    # first day among them, rest on them (Schedule.lengths_assumed_before).
    lengths_assumed_before: tuple[str, ...] = ()
    # The lengths given (--length, lengths=) longer than their period's shortest, as
    # (period id, text as given), in the arm's order: with the date given they place the
    # dates after them, so a date out of the calendar is theirs too.
    longer_lengths: tuple[tuple[str, str], ...] = ()
    # This timeline again with the lengths given for those periods left to their
    # shortest, to tell whether a length given placed a date out of the calendar (only
    # with longer_lengths).
    shortened: Callable[[frozenset[str]], Timeline] | None = field(
        default=None, compare=False, repr=False)

    @property
    def start_option(self) -> tuple[str, str]:
        """The option that placed Study Day 1 and its date as given, for an error: the
        anchor's when there is one, else the start."""
        if self.anchor is not None:
            return "anchor", self.anchor.isoformat()
        return "start", self.start.isoformat()

    def study_day(self, offset: int) -> StudyDay:
        """The Study Day of an offset, in the regimen's convention (Day 0 or not)."""
        # The process's shared instance (equal to StudyDay.from_offset, without its checks).
        return shared_study_days(self.day_zero)[offset]

    def offset_date(self, offset: int) -> date:
        return self.start + timedelta(days=offset)


def _date(start: date, offset: int, months: int = 0,
          anchor: date | None = None) -> date:
    """``start`` + ``offset`` days + ``months`` calendar months (from that day).

    Raises:
        ExpandOptionError: the date falls outside the years 1 to 9999 (naming the
            ``anchor`` date when Study Day 1 was placed from one, else the start).
    """
    try:
        day = start + timedelta(days=offset)
        return Months(months).after(day) if months else day
    except OverflowError:
        if anchor is not None:
            raise ExpandOptionError("anchor", OUTSIDE_CALENDAR, anchor.isoformat()) from None
        raise ExpandOptionError("start", OUTSIDE_CALENDAR, start.isoformat()) from None


def outside_calendar(option: str, given: str, longer: tuple[tuple[str, str], ...],
                     fits: Callable[[frozenset[str]], bool]) -> ExpandOptionError:
    """The refusal of a schedule that would fall outside the calendar, naming what placed
    the date: a length given longer than its period's shortest when the schedule would
    have fitted with it at its shortest (``fits``: the periods whose lengths given are
    left to their shortest), said with the date given; else ``option`` (the start or the
    anchor) and its date as given (docs/cli.md, "--anchor").

    Of several lengths given longer, the last in the arm's order that fits at its shortest
    alone is named; when none does alone but all of them at their shortest do, the last.
    """
    if longer and fits(frozenset(p for p, _ in longer)):
        period, text = longer[-1]
        if len(longer) > 1:
            period, text = next(((p, t) for p, t in reversed(longer) if fits(frozenset({p}))),
                                longer[-1])
        return ExpandOptionError(f"lengths.{period}", f"{OUTSIDE_CALENDAR}: period {period!r} "
                                 f"lasting {text} with --{option} {given}", text)
    return ExpandOptionError(option, OUTSIDE_CALENDAR, given)


def resolve_timeline(
    regimen: Regimen,
    arm: str,
    start: date | str | None,
    participant: Participant | None,
    lengths: Mapping[str, str] | None,
    tz: str | None,
    bsa_formula: BSAFormula | str | None,
    bsa_decimals: int | None,
    calendar: SiteCalendar | None,
    levels: Mapping[str, int] | None,
    anchor: Mapping[str, date | str] | str | None,
    again: Callable[[frozenset[str]], Timeline] | None,
) -> Timeline:
    """:func:`regimens.engine.resolve`'s work (its arguments, in order); ``again`` is the
    timeline's ``shortened``."""
    check_arm(regimen, arm)
    if calendar is not None and not isinstance(calendar, SiteCalendar):
        raise ExpandOptionTypeError("calendar", "a SiteCalendar (regimens.SiteCalendar("
                                    "closed=('sat', 'sun'), holidays='FR')) or None", calendar)
    if (start is None) == (anchor is None):
        raise ExpandOptionError("start", "give either the start (the date of the first day "
                                "of the day_one period) or an anchor (a period and the date of "
                                "its first day), not both" if start is not None else
                                "give the start (the date of the first day of the day_one "
                                "period) or an anchor (a period and the date of its first day)")
    day_one = parse_start(start) if start is not None else date.min
    decimals = check_bsa_decimals(bsa_decimals)
    path = regimen.path(arm)
    chosen = parse_lengths(regimen, arm, lengths)
    longer = tuple((p.id, str((lengths or {})[p.id])) for p in path
                   if p.id in chosen and chosen[p.id].days > p.length.shortest.days)
    day_one_period = regimen.day_one_period(arm)
    # Periods before Study Day 1 are in days (the regimen refuses months there), so the
    # first day of each period is known before its own length, which in calendar months
    # follows from that date.
    index = next(i for i, p in enumerate(path) if p.id == day_one_period)
    cursor = -sum(chosen.get(p.id, p.length.shortest).days for p in path[:index])
    anchor_date: date | None = None
    placed_by = index  # the first period whose first day is a date given (start or anchor)
    # The period whose first day is given (the anchored one, or the day_one period for a
    # start) and the option as given, to name in an AnchorLengthWarning.
    reference, said = day_one_period, f"--start {day_one.isoformat()}"
    blind_between = False
    if anchor is not None:
        day_one, reference, anchor_date, typed = _anchored(regimen, arm, anchor,
                                                           _in_days(path, chosen, cursor))
        # The anchored period's own first day is given: the dates after it (the arm's last
        # day among them) rest on its length and later ones', never on a period before it
        # (Study Day 1 rests on those, the last day does not: review 6, finding 3).
        placed_by = [p.id for p in path].index(reference)
        said = f"--anchor {typed}={anchor_date.isoformat()}"
        blind_between = _alike_on_every_arm(regimen, typed, path, reference, day_one_period)
    placed: list[tuple[Period, int, int]] = []
    run: tuple[date, int] | None = None  # first date and months of a run of month periods
    for period in path:
        months = period.length.months
        if months is None:
            days = chosen.get(period.id, period.length.shortest).days
            run = None
        else:
            # Consecutive periods in months count from the first one's first day, never
            # chained: 6 months then 6 months end 12 months after it (docs/format.md).
            first_date = _date(day_one, cursor, anchor=anchor_date)
            run = (first_date, 0) if run is None else run
            run = (run[0], run[1] + months.months)
            days = (_date(run[0], 0, run[1], anchor_date) - first_date).days
        placed.append((period, cursor, days))
        cursor += days
    periods = tuple(placed)
    assumed = _assumed_lengths(regimen, arm, periods, reference, day_one_period, chosen,
                               day_one, said, anchor_date, blind_between)
    body = BodySize(participant or Participant(), parse_formula(bsa_formula), decimals)
    at_level = {d: n for d, n in parse_levels(regimen, arm, levels).items() if n != 0}
    return Timeline(arm, day_one, periods, parse_zone(tz), body, regimen.day_zero, calendar,
                    at_level, assumed, anchor_date,
                    tuple(p.id for p in path[placed_by:]
                          if not p.length.fixed and p.id not in chosen),
                    tuple(p.id for p in path[:placed_by]
                          if not p.length.fixed and p.id not in chosen),
                    longer, again if longer else None)


def _assumed_lengths(regimen: Regimen, arm: str, periods: tuple[tuple[Period, int, int], ...],
                     reference: str, day_one_period: str, chosen: Mapping[str, Duration],
                     day_one: date, said: str, anchor: date | None,
                     blind_between: bool) -> tuple[RegimenWarning, ...]:
    """An :class:`AnchorLengthWarning` for each period of a range of lengths, not given
    one, whose shortest length places a date of the schedule (never silently: docs/cli.md,
    "--anchor"). ``reference`` is the period whose first day was given (the anchored one,
    or the day_one period for a start), ``said`` the option as given (``--start DATE``,
    ``--anchor NAME=DATE``: enrolment as typed). ``blind_between``: every arm places Study
    Day 1 through the same periods (:func:`_alike_on_every_arm`), so a warning about a
    period between the two reads the same on every arm; any other is blind-safe when
    every arm goes through the same periods and gets the same warnings."""
    if all(p.length.fixed or p.id in chosen for p, _, _ in periods):
        return ()  # nothing assumed (the usual case): no work
    ids = [p.id for p, _, _ in periods]
    low, high = sorted((ids.index(reference), ids.index(day_one_period)))
    texts = _length_texts(regimen, arm, periods, low, high, chosen, day_one, said, anchor)
    path = regimen.path(arm)
    alike = all(regimen.path(other.id) == path
                and regimen.day_one_period(other.id) == day_one_period
                and _length_texts(regimen, other.id, periods, low, high, chosen, day_one,
                                  said, anchor) == texts for other in regimen.arms)
    found: list[RegimenWarning] = []
    for between, text in texts:
        warning = AnchorLengthWarning(text)
        if blind_between if between else alike:
            warning.blind_safe = True  # names no drug, dose or arm; the same on every arm
        found.append(warning)
    return tuple(found)


def _length_texts(regimen: Regimen, arm: str, periods: tuple[tuple[Period, int, int], ...],
                  low: int, high: int, chosen: Mapping[str, Duration], day_one: date,
                  said: str, anchor: date | None) -> list[tuple[bool, str]]:
    """The texts of :func:`_assumed_lengths`' warnings on ``arm`` (periods ``low`` to
    ``high - 1`` lie between the reference and the day_one period), each with whether
    its period is between them.

    A period between them places Study Day 1. A period after both (or the reference
    itself) starts on a known day and its length moves what follows it: the periods after
    it, a visit at its end or after the last dose of a drug given in it. A period before
    both ends on a known day and its length moves its own first day: what it holds (its
    courses, its visits but one at its end) and the periods before it. Its own last (or
    first) day alone is the length itself, shown beside it: a ranged last period is no
    warning.
    """
    visits = [v for v in regimen.visits if v.arms is None or arm in v.arms]
    out: list[tuple[bool, str]] = []
    for index, (period, first, days) in enumerate(periods):
        if period.length.fixed or period.id in chosen:
            continue
        lasting = (f"period {period.id} lasting {days} day{'' if days == 1 else 's'}, the "
                   f"shortest of its length {period.length}, as no length was given for it")
        give = (f"give its length (--length {period.id}=LENGTH, or "
                f"lengths={{'{period.id}': LENGTH}})")
        if low <= index < high:
            out.append((True, f"{said}: Study Day 1 is placed with {lasting}; every date from "
                              f"Study Day 1 on depends on it: {give}"))
            continue
        # The first day of the period after it (moved by its length after the reference,
        # fixed before it); only when there is one: a last period may end on 9999-12-31.
        boundary = (_date(day_one, first + days, anchor=anchor).isoformat()
                    if index + 1 < len(periods) else "")
        courses = [c for c in period.courses if c.arms is None or arm in c.arms]
        if index >= high:
            drugs = {c.drug for c in courses}
            moved = [v.id for v in visits if (
                isinstance(v.anchor, PeriodAnchor) and v.anchor.period == period.id
                and v.anchor.at == "end") or (
                isinstance(v.anchor, AfterLastAnchor) and v.anchor.drug in drugs)]
            parts = [f"every date after it (from {boundary} on)"] if index + 1 < len(
                periods) else []
            if moved:
                many = len(moved) > 1
                parts.append(f"the date{'s' if many else ''} of visit{'s' if many else ''} "
                             f"{', '.join(moved)}")
            if not parts:
                continue
            depend = "depend" if len(parts) > 1 or len(moved) > 1 else "depends"
            out.append((False, f"{said}: the schedule is placed with {lasting}; "
                               f"{' and '.join(parts)} {depend} on it: {give}"))
            continue
        own = {c.id for c in courses if c.id is not None}
        holds = bool(courses) or any(
            (isinstance(v.anchor, (PeriodAnchor, RepeatAnchor))
             and v.anchor.period == period.id
             and getattr(v.anchor, "at", None) != "end")
            or (isinstance(v.anchor, CourseAnchor) and v.anchor.course in own)
            for v in visits)
        if index > 0 or holds:
            out.append((False, f"{said}: the schedule is placed with {lasting}; every date "
                               f"before {boundary} depends on it: {give}"))
    return out


def _alike_on_every_arm(regimen: Regimen, typed: str, path: tuple[Period, ...],
                        anchored: str, day_one_period: str) -> bool:
    """Whether every arm goes from the period anchored to its day_one period through the
    same periods as this one: then an :class:`AnchorLengthWarning` cannot tell one arm
    from another (MIROCALS: one run-in before each arm's treatment)."""
    def between(ids: list[str], start: str, day_one: str) -> tuple[str, ...]:
        low, high = sorted((ids.index(start), ids.index(day_one)))
        return tuple(ids[low:high + 1])

    mine = between([p.id for p in path], anchored, day_one_period)
    for arm in regimen.arms:
        ids = [p.id for p in regimen.path(arm.id)]
        start = ids[0] if typed in ENROLMENT and typed not in ids and ids else typed
        day_one = regimen.day_one_period(arm.id)
        if start not in ids or day_one not in ids or between(ids, start, day_one) != mine:
            return False
    return True
