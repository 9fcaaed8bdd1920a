"""A visit the record moved shows its planned day in the table and the calendar, as a moved
administration does (only JSON's ``planned_date`` said it).

Dates counted on a calendar from the regimen's text: Study Day 1 = Monday 2027-01-04; 28-day
cycles start on Days 1, 29, 57 (2027-01-04, 2027-02-01, 2027-03-01); visit ``c3`` is cycle 3
day 1 (2027-03-01, Day 57) and ``d30`` is Day 30 (2027-01-04 + 29 days = Tue 2027-02-02).
"""

from __future__ import annotations

import re
import warnings
from datetime import date
from typing import Any

import pytest

import regimens
from regimens import EventKind, Record, RecordRow
from support import load

CYCLED = """\
    periods:
      - id: p
        length: 12 weeks
        courses:
          - {id: il2c, drug: il2, dose: 2 MIU, days: 1-5, cycle: 28 days, cycles: 3}
    visits:
      - {id: c3, course: il2c, cycle: 3, day: 1}
      - {id: d30, day: 30}
    """


def _record(*rows: tuple[str, date, dict[str, Any]]) -> Record:
    return Record("P-017.csv", tuple(RecordRow("P-017.csv", line, when, EventKind(event),
                                               **fields)
                                     for line, (event, when, fields) in enumerate(rows, 2)))


def _expand(record: Record | None) -> regimens.Schedule:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load(CYCLED).expand("a", "2027-01-04", record=record)


def _visit_rows(table: str) -> list[list[str]]:
    """The visits grid, header included, each row split on its column gaps."""
    lines = table.split("\n\nVisits:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    return [re.split(r"\s{2,}", line.strip()) for line in lines]


# (case, record rows, visits grid by hand, calendar's "Visits moved" lines by hand)
CASES: list[tuple[str, tuple[tuple[str, date, dict[str, Any]], ...], list[list[str]],
                  list[str]]] = [
    # Cycle 2 delayed a week (Feb 1 -> Feb 8): cycle 3 follows (on_delay: shift), Mar 1 ->
    # Mar 8, Day 57 + 7 = Day 64; Day 30 stays.
    ("a week's delay", (("delay", date(2027, 2, 8), {"drug": "il2", "cycle": 2}),),
     [["Day", "Date", "Window", "Visit", "Planned"],
      ["30", "Tue 2027-02-02", "d30"],
      ["64", "Mon 2027-03-08", "c3", "Mon 2027-03-01"]],
     ["", "Visits moved:", "  Visit c3, Mon 2027-03-08: planned Mon 2027-03-01"]),
    # Cycle 3 itself delayed two weeks: Mar 1 -> Mar 15, Day 57 + 14 = Day 71.
    ("two weeks on cycle 3", (("delay", date(2027, 3, 15), {"drug": "il2", "cycle": 3}),),
     [["Day", "Date", "Window", "Visit", "Planned"],
      ["30", "Tue 2027-02-02", "d30"],
      ["71", "Mon 2027-03-15", "c3", "Mon 2027-03-01"]],
     ["", "Visits moved:", "  Visit c3, Mon 2027-03-15: planned Mon 2027-03-01"]),
    # A dose given on its day moves nothing: the column is there (a record), empty.
    ("nothing moved", (("given", date(2027, 1, 4), {"drug": "il2"}),),
     [["Day", "Date", "Window", "Visit", "Planned"],
      ["30", "Tue 2027-02-02", "d30"],
      ["57", "Mon 2027-03-01", "c3"]],
     []),
]


@pytest.mark.parametrize(("rows", "grid", "calendar"),
                         [pytest.param(r, g, c, id=i) for i, r, g, c in CASES])
def test_a_moved_visit_shows_its_planned_day(
        rows: tuple[tuple[str, date, dict[str, Any]], ...], grid: list[list[str]],
        calendar: list[str]) -> None:
    s = _expand(_record(*rows))
    assert _visit_rows(s.to_table()) == grid
    page = s.to_calendar()
    moved = page.split("\nVisits moved:\n", 1)
    if calendar:
        assert len(moved) == 2
        start = page.splitlines().index("Visits moved:") - 1
        assert page.splitlines()[start:start + len(calendar)] == calendar
        # one line per moved visit, then a blank line
        assert moved[1].split("\n\n", 1)[0].splitlines() == calendar[2:]
    else:
        assert len(moved) == 1


def test_without_a_record_the_visits_have_no_planned_column() -> None:
    s = _expand(None)
    assert _visit_rows(s.to_table()) == [["Day", "Date", "Window", "Visit"],
                                         ["30", "Tue 2027-02-02", "d30"],
                                         ["57", "Mon 2027-03-01", "c3"]]
    assert "Visits moved:" not in s.to_calendar()
