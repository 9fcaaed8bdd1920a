"""A schedule as JSON text (``to_json``), written without a general JSON encoder.

:func:`render_json` writes the same bytes as ``json.dumps(schedule_dict(s), indent=2,
ensure_ascii=False)``: the top of the file by :func:`regimens.export._json.dumps_indent2`,
the administrations (most of the text) from pieces each course's rows share, or, for a
schedule laid out in bulk, from its columns. tests/export/test_json_fast.py and
tests/engine/test_bulk_layout.py hold the texts equal.
"""

from __future__ import annotations

from datetime import date
from itertools import chain
from operator import itemgetter
from typing import Any

from ..engine import (
    Administration,
    AdministrationColumns,
    Schedule,
    columns_of,
)
from ._json import dumps_indent2
from ._schedule_data import (
    ADMINISTRATION_FIELDS,
    _planned,
    _recorded,
    administration_dict,
    course_extras,
    schedule_dict,
)

__all__ = ["render_json"]


def render_json(s: Schedule) -> str:
    """``json.dumps(schedule_dict(s), indent=2, ensure_ascii=False) + "\\n"``, the same bytes.

    Written without the standard library's pure-Python indenting encoder (see
    :mod:`._json`); the administrations, most of the text, are written by
    :func:`_administrations_json`, or for a schedule built in bulk (no site calendar, no
    record) from its columns by :func:`_columns_json`.
    """
    head = schedule_dict(s, administrations=False)
    text = dumps_indent2(head)
    # The key at the top level, on a line of its own: a string value cannot contain a
    # newline unescaped, so this is the one place it can be.
    empty = '\n  "administrations": [],\n'
    before, found, after = text.partition(empty)
    columns = columns_of(s)
    if columns is not None and s.calendar is None and s.replayed is None:
        if not found or not len(columns):
            return text + "\n"
        # One join of the whole file: no copy of the rows' text before it.
        return "".join([before, '\n  "administrations": [\n    ',
                        *_columns_json(columns, course_extras(s)[1]), "\n  ],\n", after,
                        "\n"])
    if not found or not s.administrations:
        return text + "\n"
    rows = _administrations_json(s.administrations, course_extras(s)[1],
                                 s.calendar is not None, s.replayed is not None)
    return f'{before}\n  "administrations": [\n    {rows}\n  ],\n{after}\n'


def _columns_json(columns: AdministrationColumns,
                  extras: dict[tuple[str, int], dict[str, Any]]) -> list[str]:
    """:func:`_administrations_json` of a schedule built in bulk, from its columns, in
    pieces whose concatenation is the same text. A row is its group and step's template
    (the course-wide fields and the step, written once, as :func:`_administrations_json`
    writes them for one of its rows) in pieces around its Study Day, date, time, cycle
    and cycle day; rows are made group by group, then taken in the schedule's order. No
    administration is made but one per template, and no text per row: the pieces are
    joined once, into the whole file. tests/engine/test_bulk_layout.py holds the two
    equal."""
    rows: list[list[tuple[str, ...]]] = []
    # Each day's Study Day and date, with the text between them, once per day.
    days = _day_texts(columns)
    for group, slots in enumerate(columns.slots):
        # Without cycles and times (null in every row), only the Study Day and the date
        # are filled in per row.
        dated_only = columns.plain[group]
        fields = _ROW_FIELDS[:2] if dated_only else _ROW_FIELDS
        # A template per step, from the first slot of each step (any would do).
        formats = {step: _row_template(columns, group, next(s for s in slots if s[4] == step),
                                       extras, fields)
                   for step in dict.fromkeys(map(_STEP, slots))}
        if dated_only and len(formats) == 1:
            ((a, b, c),) = formats.values()
            assert b == _DAY_TO_DATE
            rows.append([(a, days[offset], c) for offset in map(_OFFSET, slots)])
        elif dated_only:
            rows.append([(p[0], days[offset], p[2])
                         for offset, _, _, _, step in slots for p in (formats[step],)])
        else:
            rows.append([
                (p[0], f"{days[offset]}{p[2]}"
                 f"{'null' if at is None else at.strftime(_HM)}{p[3]}"
                 f"{'null' if cycle is None else cycle}{p[4]}"
                 f"{'null' if cycle_day is None else cycle_day}", p[5])
                for offset, cycle, cycle_day, at, step in slots for p in (formats[step],)])
    pieces = list(chain.from_iterable(columns.in_order(rows)))
    if pieces:
        pieces[-1] = pieces[-1][:-len(_ROW_SEPARATOR)]  # none after the last row
    return pieces


def _day_texts(columns: AdministrationColumns) -> dict[int, str]:
    """For each offset from the first to the last row's (or, in a sparse schedule, each
    row's offset), the Study Day, :data:`_DAY_TO_DATE` and the ISO date as a row writes
    them. Dense days month by month: the year and month written once per month, not
    ``date.isoformat()`` per row."""
    if not len(columns):
        return {}
    day_one, from_ordinal = columns.day_one, date.fromordinal
    # Offset 0 is Day 0 with day_zero, else Day 1 (there is no Day 0); before it, Day -N.
    shift = 0 if columns.day_zero else 1
    low = min(min(map(_OFFSET, slots)) for slots in columns.slots if slots)
    high = max(max(map(_OFFSET, slots)) for slots in columns.slots if slots)
    if high - low + 1 > 4 * len(columns):  # sparse: only the days given
        return {offset: f"{offset + shift if offset >= 0 else offset}{_DAY_TO_DATE}"
                        f"{from_ordinal(day_one + offset).isoformat()}"
                for offset in set(map(_OFFSET, chain.from_iterable(columns.slots)))}
    texts: list[str] = []
    # The Study Day of each offset from low to high, as text.
    numbers = list(map(str, [*range(low, min(0, high + 1)),
                             *range(max(0, low) + shift, high + 1 + shift)]))
    offset = low
    while offset <= high:
        day = from_ordinal(day_one + offset)
        year, month = day.year, day.month
        # The days left in this month, or up to high.
        # (December 9999 is followed by no date: its month ends with the calendar.)
        following = (date(year, month + 1, 1).toordinal() if month < 12 else
                     date(year + 1, 1, 1).toordinal() if year < date.max.year else
                     date.max.toordinal() + 1)
        n = min(following - day_one - offset, high - offset + 1)
        prefix = f"{_DAY_TO_DATE}{year:04d}-{month:02d}-"
        texts += [f"{number}{prefix}{dd}" for number, dd in zip(
            numbers[offset - low:offset - low + n], _DD[day.day:day.day + n], strict=True)]
        offset += n
    return dict(zip(range(low, high + 1), texts, strict=True))


_DD = tuple(f"{d:02d}" for d in range(32))  # days of the month as ISO dates write them
_DAY_TO_DATE = ',\n      "date": "'  # after a row's Study Day, before its date
_STEP = itemgetter(4)  # a slot's step
_OFFSET = itemgetter(0)  # a slot's offset from Study Day 1
_HM = '"%H:%M"'  # a time of day as JSON text
#: The fields of a row's text filled in per row (the others are its group's and step's).
_ROW_FIELDS = ("study_day", "date", "time", "cycle", "cycle_day")
_ROW_SEPARATOR = ",\n    "  # between the rows of the "administrations" array


def _row_template(columns: AdministrationColumns, group: int, slot: Any,
                  extras: dict[tuple[str, int], dict[str, Any]], fields: tuple[str, ...]
                  ) -> list[str]:
    """The text of a row of ``group`` at ``slot``'s step and the separator after it, in
    pieces around the values of ``fields`` (one more piece than fields):
    :func:`_administrations_json`'s text of that row, whose other fields every row of the
    group and step shares."""
    (a,) = columns.group_rows(group, (slot,))
    # The instant is set only by a time zone's placing, never on the bulk path.
    assert a.at is None
    marker = "\x00"  # cannot occur in JSON text: a string escapes it
    # The row as json.dumps writes it in the array (as _administrations_json does).
    text = dumps_indent2({"administrations": [administration_dict(
        a, extras[(a.period, a.course)])]})
    shared = text[len('{\n  "administrations": [\n    '):-len("\n  ]\n}")] + _ROW_SEPARATOR
    for field in fields:
        # The date with its quotes; the others as written (null, a number, a time).
        shared = _mark(shared, field, f'"{marker}"' if field == "date" else marker)
    pieces = shared.split(marker)
    assert len(pieces) == len(fields) + 1
    return pieces


def _mark(text: str, field: str, marker: str) -> str:
    """``text`` with the value of the member ``field`` (on its own line, as written by
    _administrations_json) replaced by ``marker``."""
    head = f'\n      "{field}": '
    start = text.index(head) + len(head)
    end = text.index(",\n", start)
    return text[:start] + marker + text[end:]


# The fields of administration_dict in its order, in runs: those that vary from row to
# row (written per row below) and those a course's rows share (written once per distinct
# value by dumps_indent2, and reused).
_PER_ROW_FIRST = ("study_day", "date", "time", "datetime")
_SHARED_FIRST = ("period", "drug", "drug_name")
_PER_ROW_SECOND = ("cycle", "cycle_day", "step")
_SHARED_SECOND = ("amount", "unit", "dose", "route", "placebo", "blinded", "derivation", "note",
                  "avoid_same_day")
assert (_PER_ROW_FIRST + _SHARED_FIRST + _PER_ROW_SECOND + _SHARED_SECOND
        == ADMINISTRATION_FIELDS), "keep render_json's runs in administration_dict's order"
_VIALS = ("vials", "waste")  # after the shared run, when the dose has vials
_FORM = ("form",)  # then, when the dose is counted in its drug's dosage form
_FIELD = "\n      "  # an administration's member: array at 2 spaces, object at 4, fields at 6


def _members(a: Administration, fields: tuple[str, ...],
             extras: dict[str, Any] | None = None) -> str:
    """Some of an administration's fields as dumps_indent2 writes them inside its object."""
    d = administration_dict(a, extras)
    fields += tuple(extras or ())
    text = dumps_indent2({"administrations": [{k: d[k] for k in fields}]})
    # '{\n  "administrations": [\n    {' + members + '\n    }\n  ]\n}'
    return text[len('{\n  "administrations": [\n    {') + len(_FIELD):-len("\n    }\n  ]\n}")]


def _administrations_json(rows: tuple[Administration, ...],
                          extras: dict[tuple[str, int], dict[str, Any]],
                          site: bool = False, record: bool = False) -> str:
    """The members of the "administrations" array, joined as dumps_indent2 joins them.

    Per row only the day, date, times, cycle and step are written (dates and ISO
    instants need no escaping; ints as json writes them); the course-wide fields are
    encoded once per distinct value. tests/export/test_json_fast.py holds this equal to
    json.dumps over every catalogue arm and generated schedules. ``site``: the schedule
    has a site calendar, so each row ends with :data:`CALENDAR_FIELDS`; ``record``: the
    schedule was replayed over a record, so each row then ends with :data:`RECORD_FIELDS`.
    """
    shared: dict[tuple[Any, ...], tuple[str, str]] = {}
    out: list[str] = []
    append = out.append
    for a in rows:
        # The dose is held by every row for the whole render, so its id is unique here.
        key = (id(a.dose), a.period, a.course, a.drug, a.drug_name, a.route, a.placebo,
               a.blinded, a.note, a.avoid, a.status.happens)
        found = shared.get(key)
        if found is None:
            found = shared[key] = (_members(a, _SHARED_FIRST), _members(
                a, _SHARED_SECOND + (_VIALS if a.dose.vials is not None else ())
                + (_FORM if a.dose.form is not None else ()),
                extras[(a.period, a.course)]))
        t, at, cycle, cycle_day, step = a.time, a.at, a.cycle, a.cycle_day, a.step
        hm = "null" if t is None else t.strftime('"%H:%M"')
        instant = "null" if at is None else f'"{at.isoformat()}"'
        append(f'{{\n      "study_day": {a.study_day.value},\n      "date": '
               f'"{a.date.isoformat()}",\n      "time": {hm},\n      "datetime": {instant},'
               f'\n      {found[0]},\n      "cycle": {"null" if cycle is None else cycle},'
               f'\n      "cycle_day": {"null" if cycle_day is None else cycle_day},'
               f'\n      "step": {"null" if step is None else step + 1},'
               f'\n      {found[1]}{_calendar_members(a) if site else ""}'
               f'{_record_members(a, site) if record else ""}\n    }}')
    return ",\n    ".join(out)


def _record_members(a: Administration, site: bool) -> str:
    """``,`` and the record's fields of a row (without ``planned_date`` when the calendar
    fields wrote it), as dumps_indent2 writes them in its object."""
    fields = _recorded(a)
    if site:
        del fields["planned_date"]
    text = dumps_indent2({"administrations": [fields]})
    return "," + _FIELD + text[len('{\n  "administrations": [\n    {') + len(_FIELD):
                               -len("\n    }\n  ]\n}")]


def _calendar_members(a: Administration) -> str:
    """``,`` and the calendar fields of a row, as dumps_indent2 writes them in its object."""
    text = dumps_indent2({"administrations": [_planned(a.date, a.planned_date,
                                                       a.calendar_note)]})
    return "," + _FIELD + text[len('{\n  "administrations": [\n    {') + len(_FIELD):
                               -len("\n    }\n  ]\n}")]

