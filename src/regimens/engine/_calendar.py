"""The site's calendar: clinic work moved off closed days, within its window.

Which work needs the site: every visit, and the administrations of a course or
drug marked ``clinic: true``; home-taken doses never move. An item on a closed day
moves to the nearest open day of its window (both ends inclusive), a tie going
to the earlier day. A move never puts two doses of a drug on one day, never breaks
a same-day exclusion (``not_on``, ``no_same_day``), and with ``min_interval`` never
comes closer than that to the previous dose of the drug (as given) or to the next
one (as planned: if the next one moves too, its own move keeps the interval from
this one). When no day qualifies the item stays and is a conflict: a note on the
item and a :class:`~regimens.errors.ClosedDayWarning`. Moves do not re-anchor
later cycles: every other item keeps its planned day. Pure: no clock or locale.
"""

from __future__ import annotations

import bisect
from collections import Counter
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..errors import ClosedDayWarning, RegimenWarning
from ..quantities import counted
from ._administration import Administration
from ._schedule import VisitOccurrence

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ..model import Course, Regimen, SiteCalendar
    from ._timeline import Timeline

__all__ = ["move_administrations", "move_visits", "open_day", "shown_day", "visit_day"]

_WEEKDAY = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def shown_day(d: date) -> str:
    """A date as the notes write it: ``Sat 2027-12-25``."""
    return f"{_WEEKDAY[d.weekday()]} {d.isoformat()}"


def _shift(d: date, days: int) -> date | None:
    try:
        return d + timedelta(days=days)
    except OverflowError:
        return None  # before year 1 or after 9999: not a day to move to


def _candidates(d: date, before: int, after: int) -> list[date]:
    """The other days of a window, nearest first, the earlier of two at the same distance."""
    out = []
    for k in range(1, max(before, after) + 1):
        for days in ((-k,) if k <= before else ()) + ((k,) if k <= after else ()):
            day = _shift(d, days)
            if day is not None:
                out.append(day)
    return out


def _closure_memo(calendar: SiteCalendar) -> Callable[[date], str | None]:
    memo: dict[date, str | None] = {}

    def closure(d: date) -> str | None:
        if d not in memo:
            memo[d] = calendar.closure(d)
        return memo[d]

    return closure


def move_administrations(calendar: SiteCalendar, regimen: Regimen, line: Timeline,
                         rows: list[Administration], keys: list[int], key_day: int,
                         warnings: list[RegimenWarning]) -> None:
    """Move clinic administrations off closed days (in place: ``rows`` and their ``keys``).

    ``key_day``: how much one day adds to a row's sort key.
    """
    courses = {(p.id, i): c for p, _, _ in line.periods for i, c in enumerate(p.courses)}
    clinic_drugs = {d.id for d in regimen.drugs if d.clinic}

    def at_site(a: Administration) -> bool:
        return a.drug in clinic_drugs or courses[(a.period, a.course)].clinic

    closure = _closure_memo(calendar)
    groups: dict[tuple[str, int, date], list[int]] = {}
    for i, a in enumerate(rows):
        if at_site(a) and closure(a.date) is not None:
            groups.setdefault((a.period, a.course, a.date), []).append(i)
    if not groups:
        return
    given: Counter[tuple[str, date]] = Counter((a.drug, a.date) for a in rows)
    planned: dict[str, list[date]] = {}
    for a in rows:
        planned.setdefault(a.drug, []).append(a.date)
    for drug, days in planned.items():
        planned[drug] = sorted(set(days))
    # Drugs whose courses exclude a drug's days (not_on, no_same_day), by excluded drug.
    excluders: dict[str, set[str]] = {}
    for c in courses.values():
        for other in (*c.not_on, *c.no_same_day):
            excluders.setdefault(other, set()).add(c.drug)
    moved_to: dict[tuple[str, date], date] = {}
    day_one = line.start.toordinal()
    for (period, index, day), members in sorted(groups.items(),
                                                key=lambda g: keys[g[1][0]]):
        course = courses[(period, index)]
        first = rows[members[0]]
        drug = first.drug
        found, refused = _find_day(course, drug, day, closure, given, planned[drug], moved_to,
                                   excluders.get(drug, set()))
        why = closure(day)
        if found is None:
            note = _conflict(course, day, why or "", refused, first.drug_name)
            warnings.append(ClosedDayWarning(
                f"{first.drug_name}, Study Day {first.study_day.value}: {note}"))
            for i in members:
                rows[i] = _with(rows[i], calendar_note=note)
            continue
        delta = (found - day).days
        moved_to[(drug, day)] = found
        note = f"moved from {shown_day(day)}: {why}"
        study_day = line.study_day(found.toordinal() - day_one)
        for i in members:
            rows[i] = _with(rows[i], date=found, study_day=study_day, planned_date=day,
                            calendar_note=note)
            keys[i] += delta * key_day
            given[(drug, day)] -= 1
            given[(drug, found)] += 1


def open_day(calendar: SiteCalendar, regimen: Regimen, course: Course, drug: str,
             drug_name: str, day: date, others: Sequence[tuple[str, date]]
             ) -> tuple[date | None, str]:
    """Where clinic work of ``course`` on the closed ``day`` moves by the plan's rule (the
    nearest open day of its window, as :func:`move_administrations` moves it), and the
    note: ``"moved from Sat 2027-01-16: weekend"``; or None and the conflict's note when
    no day qualifies. ``others``: the (drug id, date) of every other administration that
    happens (a day with another dose of the drug, a same-day exclusion, ``min_interval``
    from its neighbours), e.g. a participant's schedule after the record's delays.
    """
    closure = _closure_memo(calendar)
    why = closure(day) or ""
    given: Counter[tuple[str, date]] = Counter(others)
    given[(drug, day)] += 1
    planned = sorted({d for other, d in others if other == drug} | {day})
    excluders = {c.drug for p in regimen.periods for c in p.courses
                 if drug in (*c.not_on, *c.no_same_day)}
    found, refused = _find_day(course, drug, day, closure, given, planned, {}, excluders)
    if found is None:
        return None, _conflict(course, day, why, refused, drug_name)
    return found, f"moved from {shown_day(day)}: {why}"


def _find_day(course: Course, drug: str, day: date, closure: Callable[[date], str | None],
              given: Counter[tuple[str, date]], planned: list[date],
              moved_to: dict[tuple[str, date], date],
              excluders: set[str]) -> tuple[date | None, set[str]]:
    """The day an item on a closed ``day`` moves to (None: none qualifies), and the rules
    that refused open days of its window."""
    window = course.window
    if window is None:
        return None, set()
    interval = course.min_interval.days if course.min_interval is not None else None
    at = bisect.bisect_left(planned, day)
    previous = planned[at - 1] if at > 0 else None
    if previous is not None:
        previous = moved_to.get((drug, previous), previous)
    following = planned[at + 1] if at + 1 < len(planned) else None
    refused: set[str] = set()
    for candidate in _candidates(day, window.before.days, window.after.days):
        if closure(candidate) is not None:
            continue
        if given[(drug, candidate)]:
            refused.add("dose")
        elif interval is not None and (
                (previous is not None and (candidate - previous).days < interval)
                or (following is not None and (following - candidate).days < interval)):
            refused.add("interval")
        elif any(given[(other, candidate)] for other in (*course.no_same_day, *excluders)):
            refused.add("exclusion")
        else:
            return candidate, refused
    return None, refused


def _conflict(course: Course, day: date, why: str, refused: set[str], name: str) -> str:
    head = f"stays on {shown_day(day)}, a day the site is closed ({why})"
    window = course.window
    if window is None:
        return head + ": its course has no window to move it in (give the course a window)"
    lo, hi = _shift(day, -window.before.days), _shift(day, window.after.days)
    span = f"{shown_day(lo or date.min)} to {shown_day(hi or date.max)}"
    if not refused:
        return head + f": no open day in its window ({span})"
    rules = []
    if "dose" in refused:
        rules.append(f"without another dose of {name} that day")
    if "interval" in refused:
        interval = course.min_interval.days if course.min_interval is not None else 0
        rules.append(f"at least {counted(interval, 'day')} (min_interval) from the previous "
                     "and next doses")
    if "exclusion" in refused:
        rules.append("without breaking a same-day exclusion (not_on, no_same_day)")
    return head + f": no open day in its window ({span}) is " + ", and ".join(rules)


def _with(a: Administration, **changes: object) -> Administration:
    fields = dict(a.__dict__)
    fields.update(changes)
    return Administration._unchecked(*fields.values())


def visit_day(calendar: SiteCalendar, day: date, earliest: date, latest: date,
              closure: Callable[[date], str | None] | None = None) -> tuple[date | None, str]:
    """Where a visit whose target ``day`` is closed moves by the plan's rule: the nearest
    open day of its window (``earliest`` to ``latest``, inclusive; the earlier of two at
    the same distance), and the note ``"moved from Sat 2027-01-23: closed on Saturdays"``;
    or None and the conflict's note when no day of the window is open (or it has none).
    Used for the plan's visits and for the visits a record's delay moves."""
    closure = closure or _closure_memo(calendar)
    why = closure(day) or ""
    before, after = (day - earliest).days, (latest - day).days
    found = next((d for d in _candidates(day, before, after) if closure(d) is None), None)
    if found is None:
        head = f"stays on {shown_day(day)}, a day the site is closed ({why})"
        return None, head + (f": no open day in its window ({shown_day(earliest)} to "
                             f"{shown_day(latest)})" if before or after else
                             ": the visit has no window to move it in")
    return found, f"moved from {shown_day(day)}: {why}"


def move_visits(calendar: SiteCalendar, visits: list[VisitOccurrence], line: Timeline,
                warnings: list[RegimenWarning]) -> list[VisitOccurrence]:
    """Visits on closed days moved to the nearest open day of their window, in date order."""
    closure = _closure_memo(calendar)
    out = []
    for v in visits:
        if closure(v.date) is None:
            out.append(v)
            continue
        found, note = visit_day(calendar, v.date, v.earliest, v.latest, closure)
        if found is None:
            warnings.append(ClosedDayWarning(
                f"visit {v.label or v.id}, Study Day {v.study_day.value}: {note}"))
            out.append(_visit(v, calendar_note=note))
            continue
        out.append(_visit(v, date=found, planned_date=v.date,
                          study_day=line.study_day((found - line.start).days),
                          calendar_note=note))
    # Stable: visits on one day keep the regimen's order.
    return sorted(out, key=lambda v: v.date)


def _visit(v: VisitOccurrence, **changes: object) -> VisitOccurrence:
    fields = dict(v.__dict__)
    fields.update(changes)
    return VisitOccurrence(**fields)
