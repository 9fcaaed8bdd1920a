"""Invariants of the site calendar's moves, over generated courses, windows and closures.

- home-taken doses never move;
- a moved item stays inside its window, on an open day, and says where it came from;
- no item lands on a closed day unless it is reported as a conflict (a note and a warning);
- a move never gives a drug two doses on one day, and keeps ``min_interval``;
- items that need no move keep their planned day (moves do not re-anchor later cycles);
- with no closed day nothing changes.
"""

from __future__ import annotations

import datetime as dt
import warnings

from hypothesis import given, settings
from hypothesis import strategies as st

import regimens
from regimens import Closure, SiteCalendar
from support import HEAD

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
START = dt.date(2027, 1, 4)


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, SiteCalendar, int]:
    every = draw(st.integers(1, 10))
    before, after = draw(st.integers(0, 3)), draw(st.integers(0, 3))
    interval = draw(st.none() | st.integers(1, 10))
    clinic = (f"{{drug: treg, dose: 1 mg, every: {every} days, clinic: true, window: "
              f"{{before: {before} days, after: {after} days}}"
              + (f", min_interval: {interval} days" if interval else "") + "}")
    home = f"{{drug: pred, dose: 5 mg, every: {draw(st.integers(1, 4))} days}}"
    body = ("periods:\n  - id: t\n    length: 6 weeks\n    courses:\n"
            f"      - {clinic}\n      - {home}\n"
            "visits:\n  - {id: v1, day: 10, window: 2 days}\n  - {id: v2, day: 20}\n")
    closed = tuple(d for d in WEEKDAYS if draw(st.booleans()) and d not in ("mon", "tue"))
    days = draw(st.sets(st.integers(-5, 50), max_size=12))
    site = SiteCalendar(closed=closed, closed_dates=tuple(
        Closure(START + dt.timedelta(days=n), "closure") for n in sorted(days)))
    return HEAD + body, site, interval or 0


@settings(max_examples=150, deadline=None)
@given(cases())
def test_moves_keep_every_rule(case: tuple[str, SiteCalendar, int]) -> None:
    text, site, _ = case
    regimen = regimens.loads(text, "r.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain = regimen.expand("a", START)
        s = regimen.expand("a", START, calendar=site)
    window = regimen.periods[0].courses[0].window
    assert window is not None
    assert len(s.administrations) == len(plain.administrations)
    conflicts = 0
    for before_move, a in zip(
            sorted(plain.administrations, key=lambda x: (x.drug, x.date)),
            sorted(s.administrations, key=lambda x: (x.drug, x.planned_date or x.date)),
            strict=True):
        assert (a.drug, a.planned_date or a.date) == (before_move.drug, before_move.date)
        if a.drug == "pred":  # taken at home: never moves
            assert a == before_move
            continue
        if a.planned_date is not None:
            lo = a.planned_date - dt.timedelta(days=window.before.days)
            hi = a.planned_date + dt.timedelta(days=window.after.days)
            assert lo <= a.date <= hi
            assert a.date != a.planned_date
            assert site.closure(a.date) is None
            assert site.closure(a.planned_date) is not None
            assert a.calendar_note.startswith(f"moved from {a.planned_date:%a} ")
            assert a.study_day.value == (a.date - START).days + (1 if a.date >= START else 0)
        elif site.closure(a.date) is not None:
            assert a.conflict
            conflicts += 1
        else:
            assert a == before_move  # needs no move: keeps its planned day
    treg = sorted(a.date for a in s.administrations if a.drug == "treg")
    assert len(set(treg)) == len(treg)  # never two doses on one day
    planned_visits = {v.id: v for v in plain.visits}
    for v in s.visits:
        if v.planned_date is not None:
            assert v.planned_date == planned_visits[v.id].date
            assert v.earliest <= v.date <= v.latest
            assert site.closure(v.date) is None
        elif site.closure(v.date) is not None:
            assert v.conflict
        else:
            assert v == planned_visits[v.id]
    warned = {str(w) for w in s.warnings}
    assert sum(a.conflict for a in s.administrations) == conflicts
    assert sum(str(w).startswith("Treg cells") for w in s.warnings) == conflicts
    assert all("stays on" in w for w in warned)
    if not site.closed and not site.closed_dates:
        assert s.administrations == plain.administrations
        assert s.visits == plain.visits


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 12), st.integers(1, 12), st.sets(st.integers(0, 60), max_size=15))
def test_min_interval_is_kept_between_a_moved_dose_and_its_neighbours(
        every: int, interval: int, days: set[int]) -> None:
    # A course whose planned doses are min_interval apart or more: every move keeps it.
    every = max(every, interval)
    text = HEAD + (
        "periods:\n  - id: t\n    length: 9 weeks\n    courses:\n"
        f"      - {{drug: treg, dose: 1 mg, every: {every} days, clinic: true, window: 3 days, "
        f"min_interval: {interval} days}}\n")
    site = SiteCalendar(closed_dates=tuple(Closure(START + dt.timedelta(days=n))
                                           for n in sorted(days)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = regimens.loads(text, "r.yaml").expand("a", START, calendar=site)
    given_days = [a.date for a in s.administrations]
    assert given_days == sorted(given_days)
    for a, b in zip(s.administrations, s.administrations[1:], strict=False):
        if a.planned_date is not None or b.planned_date is not None:
            assert (b.date - a.date).days >= interval
