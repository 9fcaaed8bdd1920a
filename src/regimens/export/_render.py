"""Rendering a schedule: JSON and CSV (data), a table and month calendars (people).

Output depends only on the schedule: no clock, locale or environment is
read, and dictionaries are built in a fixed order, so the same inputs give
the same bytes everywhere.
"""

from __future__ import annotations

import calendar
import csv
import io
from datetime import date
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from .._version import __version__
from ..engine import (
    Administration,
    AdministrationColumns,
    AdministrationStatus,
    Schedule,
    columns_of,
)
from ..errors import RegimenWarning
from ..model import SiteCalendar
from ..quantities import VialCombination, counted, human_dose_quantity, human_number, plain
from ._delivery import method_text
from ._json import dumps_indent2
from ._summary import summary_json, summary_lines
from ._totals import (
    form_json,
    totals_json,
    totals_lines,
    totals_rows,
    totals_title,
    vials_json,
    vials_text,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..engine import CheckReport, VisitOccurrence

__all__ = ["ADMINISTRATION_FIELDS", "CALENDAR_FIELDS", "RECORD_FIELDS", "VIAL_CSV_FIELDS",
           "record_lines", "render_calendar",
           "render_csv", "render_json", "render_table", "schedule_dict", "shown_warnings",
           "site_calendar_dict"]

ADMINISTRATION_FIELDS = (
    "study_day", "date", "time", "datetime", "period", "drug", "drug_name", "cycle", "cycle_day",
    "step", "amount", "unit", "dose", "route", "placebo", "blinded", "derivation", "note",
    "avoid_same_day",
)
#: Fields written after ADMINISTRATION_FIELDS only when some administration of the
#: schedule has a value for them, so that the output of a regimen that gives none stays
#: as it was: the course's ``id`` and ``label``, the drug's ``notes``, and how the dose
#: goes in (``method``, ``duration`` as an ISO 8601 duration, ``PT46H``).
OPTIONAL_FIELDS = ("course_id", "course_label", "drug_notes", "method", "duration")
#: Fields written last, for every administration and visit, when the schedule was expanded
#: with a site calendar (and only then, so that every other output keeps its bytes).
CALENDAR_FIELDS = ("planned_date", "calendar_note")
#: Fields written last, for every administration, when the schedule was replayed over a
#: participant's record (docs/record.md), and only then: its status, the planned date and
#: amount beside ``date`` and ``amount``, and what the record did to it. With a site
#: calendar too, ``planned_date`` is written once, among :data:`CALENDAR_FIELDS`.
RECORD_FIELDS = ("status", "planned_date", "planned_amount", "record_note")
# English names, fixed: calendar.month_name follows the process locale.
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_WEEKDAY = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def course_extras(s: Schedule) -> tuple[tuple[str, ...], dict[tuple[str, int], dict[str, Any]]]:
    """The optional fields this schedule writes, and their values by (period, course index).

    A field is written (for every administration) when at least one course or drug of
    the schedule's administrations gives it; a course without it writes null.
    """
    regimen = s.regimen
    by_course: dict[tuple[str, int], dict[str, Any]] = {}
    columns = columns_of(s)
    # Built in bulk: one group per course, whose shared fields say which (those of the
    # courses with at least one row); else every row, once per course.
    rows: Any = (s.administrations if columns is None else
                 [template for (template, _), slots in zip(columns.groups, columns.slots,
                                                           strict=True) if slots])
    for a in rows:
        period, index, drug = ((a.period, a.course, a.drug) if columns is None else
                               (a["period"], a["course"], a["drug"]))
        key = (period, index)
        if key in by_course:
            continue
        course = regimen.period(period).courses[index]
        by_course[key] = {
            "course_id": course.id, "course_label": course.label or None,
            "drug_notes": regimen.drug(drug).notes or None, "method": course.method,
            "duration": course.duration.iso if course.duration is not None else None}
    fields = tuple(f for f in OPTIONAL_FIELDS
                   if any(v[f] is not None for v in by_course.values()))
    return fields, {k: {f: v[f] for f in fields} for k, v in by_course.items()}


def administration_dict(a: Administration, extras: dict[str, Any] | None = None,
                        calendar: bool = False, record: bool = False) -> dict[str, Any]:
    """One administration as JSON-ready values; ``extras``: its optional fields
    (see :func:`course_extras`), written after the others; ``calendar``: then
    :data:`CALENDAR_FIELDS`; ``record``: then :data:`RECORD_FIELDS`."""
    base = {
        "study_day": a.study_day.value,
        "date": a.date.isoformat(),
        "time": a.time.strftime("%H:%M") if a.time is not None else None,
        # The instant with its UTC offset: tells the two readings of a repeated hour apart.
        "datetime": a.at.isoformat() if a.at is not None else None,
        "period": a.period,
        "drug": a.drug,
        "drug_name": a.drug_name,
        "cycle": a.cycle,
        "cycle_day": a.cycle_day,
        "step": a.step_number,
        # A dose not given (missed, held, cancelled, stopped) counts as zero, never as a
        # dose of 0 given: no amount, so nothing that sums the column counts it; the dose
        # it would have had is its planned_amount (docs/record.md, "Statuses").
        "amount": a.amount if a.status.happens else None,
        "unit": a.unit,
        "dose": a.dose.text,
        "route": a.route,
        "placebo": a.placebo,
        "blinded": a.blinded,
        "derivation": a.dose.derivation,
        "note": a.note,
        # Drugs that must not be taken that day (no_same_day); "; "-separated in CSV.
        "avoid_same_day": list(a.avoid),
        # The whole vials of the dose and their waste, for drugs with vials only (JSON).
        **(vials_json(a.dose.vials) if a.dose.vials is not None else {}),
        # The dose counted in its drug's dosage form, for drugs with a strength only.
        **form_json(a.dose),
    }
    if extras:
        base.update(extras)
    if calendar:
        base.update(_planned(a.date, a.planned_date, a.calendar_note))
    if record:
        base.update(_recorded(a))
    return base


def _recorded(a: Administration) -> dict[str, Any]:
    """The record's fields of an administration (:data:`RECORD_FIELDS`)."""
    # A dose given that fulfils no planned administration was planned on no date.
    planned = None if a.unplanned else (a.planned_date or a.date).isoformat()
    return {"status": a.status.value, "planned_date": planned,
            "planned_amount": a.planned_amount, "record_note": a.record_note or None}


def record_dict(s: Schedule) -> dict[str, Any]:
    """What the record did (``"record"`` in JSON): its source, changes and deviations."""
    replayed = s.replayed
    assert replayed is not None
    return {"source": replayed.source, "changes": list(replayed.changes),
            "deviations": list(replayed.deviations)}


def _planned(day: date, planned: date | None, note: str) -> dict[str, Any]:
    """The planned date (the date itself when not moved) and why it moved or stays."""
    return {"planned_date": (planned or day).isoformat(), "calendar_note": note or None}


def site_calendar_dict(calendar: SiteCalendar) -> dict[str, Any]:
    """A site calendar as JSON-ready values, with the ``holidays`` version it used."""
    return {
        "closed": list(calendar.closed),
        "holidays": calendar.holidays,
        "holidays_version": calendar.holidays_version,
        "observed": calendar.observed,
        "closed_dates": [{"date": c.date.isoformat(), "reason": c.reason or None}
                         for c in calendar.closed_dates],
        "policy": calendar.describe(),
    }


def _measure(value: Any) -> str | None:

    return None if value is None else plain(value)


def schedule_dict(s: Schedule, administrations: bool = True) -> dict[str, Any]:
    """The schedule as JSON-ready values (what ``to_json`` writes), in a fixed key order.

    With ``administrations=False`` the "administrations" list is left empty (render_json
    writes it itself).
    """
    r = s.regimen
    p = s.participant
    # The optional fields of the rows: only when writing them here.
    extras = course_extras(s)[1] if administrations else {}
    site = s.calendar is not None
    recorded = s.replayed is not None
    runs = runs_to(s)
    out = {
        "format": "regimens-schedule/1",
        "generator": f"regimens {__version__}",
        "regimen": {"id": r.id, "title": r.title, "registry": r.registry or None,
                    "version": r.version or None, "sha256": r.sha256 or None},
        "arm": s.arm,
        "arm_label": r.arm(s.arm).label,
        "start": s.start.isoformat(),
        # Only when set, so that every schedule without it keeps its bytes.
        **({"day_zero": True} if r.day_zero else {}),
        "tz": s.tz,
        "participant": {
            "label": p.label or None,
            "weight_kg": _measure(p.weight_kg),
            "height_cm": _measure(p.height_cm),
            "bsa_m2": _measure(p.bsa_m2),
            "bsa_formula": s.bsa_formula.value,
            "bsa_decimals": s.bsa_decimals,
        },
        "periods": [
            {"id": ps.id, "first_day": ps.first_day.value, "last_day": ps.last_day.value,
             "first_date": ps.first_date.isoformat(), "last_date": ps.last_date.isoformat(),
             "days": ps.length.days, "blinded": ps.blinded,
             # With a record only (every schedule without one keeps its bytes): the last
             # day as the record leaves it (a dose delayed past the planned end).
             **({"runs_to": runs[ps.id].isoformat()} if recorded else {})}
            for ps in s.periods
        ],
        "administrations": ([administration_dict(a, extras[(a.period, a.course)], site,
                                                 recorded)
                             for a in s.administrations] if administrations else []),
        "visits": [
            {"id": v.id, "label": v.label or None, "study_day": v.study_day.value,
             "date": v.date.isoformat(), "earliest": v.earliest.isoformat(),
             "latest": v.latest.isoformat(), "period": v.period,
             **(_planned(v.date, v.planned_date, v.calendar_note) if site else {}),
             **({"planned_date": (v.planned_date or v.date).isoformat()}
                if recorded and not site else {})}
            for v in s.visits
        ],
        "warnings": [str(w) for w in s.warnings],
        "totals": totals_json(s),
    }
    if s.calendar is not None:
        # Only with a calendar: every schedule expanded without one keeps its bytes.
        out["site_calendar"] = site_calendar_dict(s.calendar)
    if s.replayed is not None:
        # Only with a record: every schedule expanded without one keeps its bytes.
        out["record"] = record_dict(s)
        if s.replayed.summary is not None:
            out["summary"] = summary_json(s.replayed.summary)
    return out


def shown_warnings(s: Schedule, blinded: bool | None = None) -> tuple[RegimenWarning, ...]:
    """The warnings an output shows: all of them, unless it blinds administrations.

    ``blinded`` as in :func:`regimens.export.to_ics`: True blinds every
    administration, None those in periods marked blinded, False none. A warning
    that could tell one arm from another (a dose rounded, a step; see
    :attr:`RegimenWarning.blind_safe`) is shown only when it belongs to the dose of
    an administration the output shows unblinded; warnings every arm gives alike
    (moved clock times, implausible measurements) are always shown.
    """
    if blinded is False:
        return s.warnings
    open_doses = {str(w) for a in s.administrations
                  if not (a.blinded if blinded is None else blinded) for w in a.dose.warnings}
    return tuple(w for w in s.warnings if w.blind_safe or str(w) in open_doses)


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
        following = (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1))
        n = min(following.toordinal() - day_one - offset, high - offset + 1)
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



#: The CSV columns of a dose's vials, at the end of each row when the regimen declares vials.
VIAL_CSV_FIELDS = ("vials", "vial_count", "waste_amount", "waste_unit")


def _vial_cells(vials: VialCombination | None) -> list[str]:
    """``["1 x 500 mg + 2 x 100 mg", "3", "80", "mg"]``; empty cells without vials."""
    if vials is None:
        return ["", "", "", ""]
    used = " + ".join(f"{n} x {size}" for size, n in vials.vials)
    return [used, str(vials.count), plain(vials.waste.magnitude), vials.waste.unit.symbol]


def render_csv(s: Schedule) -> str:
    """One row per administration; with a site calendar, ``planned_date`` and
    ``calendar_note`` columns end each row; with a record, :data:`RECORD_FIELDS`; when a
    drug of the regimen has vials, :data:`VIAL_CSV_FIELDS` end it (the vials of the dose by
    the vial rule, their number and the waste; empty for a dose without vials)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    optional, extras = course_extras(s)
    site = s.calendar is not None
    recorded = s.replayed is not None
    fields = ADMINISTRATION_FIELDS + optional + (CALENDAR_FIELDS if site else ()) + (
        tuple(f for f in RECORD_FIELDS if not (site and f in CALENDAR_FIELDS))
        if recorded else ())
    # Decided by the regimen, not by this arm's doses: every arm's file has the same columns.
    vials = any(d.vials for d in s.regimen.drugs)
    writer.writerow(fields + (VIAL_CSV_FIELDS if vials else ()))
    for a in s.administrations:
        row = administration_dict(a, extras[(a.period, a.course)], site, recorded)
        writer.writerow([_cell(row[k]) for k in fields]
                        + (_vial_cells(a.dose.vials) if vials else []))
    return out.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "; ".join(value)
    return value


def _day(d: date) -> str:
    return f"{_WEEKDAY[d.weekday()]} {d.isoformat()}"


def grid(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(x) for x in col) for col in zip(header, *rows, strict=True)]
    lines = []
    for row in [header, *rows]:
        cells = [c.rjust(w) if i in right else c.ljust(w)
                 for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
    return lines


def runs_to(s: Schedule) -> dict[str, date]:
    """Each period's last day as the schedule now stands: its planned last date, or, with
    a record, the last dose given or still planned in it when the record's delays and
    moves take one past the planned end (docs/record.md, "Replay")."""
    out = {ps.id: ps.last_date for ps in s.periods}
    if s.replayed is None:
        return out
    happening = (AdministrationStatus.GIVEN, AdministrationStatus.PLANNED)
    for a in s.administrations:
        if a.status in happening and a.period in out and a.date > out[a.period]:
            out[a.period] = a.date
    return out


def _first(s: Schedule) -> int:
    """The number of the day_one period's first day (the start): 0 with day_zero, else 1."""
    return 0 if s.regimen.day_zero else 1


def _heading(s: Schedule, *, blinded: bool = False) -> list[str]:
    r = s.regimen
    title = r.title + (f" ({r.registry})" if r.registry else "")
    arm = "not shown (blinded)" if blinded else f"{s.arm} ({r.arm(s.arm).label})"
    lines = [title, f"Arm: {arm}", f"Study Day {_first(s)}: {_day(s.start)}"]
    p = s.participant
    who = []
    if p.label:
        who.append(p.label)
    if p.weight_kg is not None:
        who.append(f"weight {human_number(p.weight_kg)} kg")
    if p.height_cm is not None:
        who.append(f"height {human_number(p.height_cm)} cm")
    if p.bsa_m2 is not None:
        who.append(f"body surface area {human_number(p.bsa_m2)} m² (given)")
    if who:
        lines.append("Participant: " + ", ".join(who))
    if s.tz:
        lines.append(f"Time zone: {s.tz}")
    if s.calendar is not None:
        lines.append(f"Site calendar: {s.calendar.describe()}")
    runs = runs_to(s)
    spans = ", ".join(f"{ps.id} Day {ps.first_day.value} to {ps.last_day.value} "
                      f"({ps.first_date.isoformat()} to {ps.last_date.isoformat()}"
                      + (f", as planned: the record's doses now run to "
                         f"{runs[ps.id].isoformat()})" if runs[ps.id] > ps.last_date else ")")
                      for ps in s.periods)
    lines.append(f"Periods: {spans}")
    return lines


def notes_lines(s: Schedule, hidden: Callable[[Administration], bool]) -> list[str]:
    """The notes people read with a schedule: each drug's ``notes``, then each course
    with a ``label`` or ``dose_note`` (its Study Days and the note), in the order of
    their first administration. ``hidden``: administrations a blinded output does not
    show unblinded; nothing is said about them (a label or note could name the arm)."""
    regimen = s.regimen
    drugs: dict[str, str] = {}
    courses: dict[tuple[str, int], list[Administration]] = {}
    for a in s.administrations:
        if hidden(a):
            continue
        notes = regimen.drug(a.drug).notes
        if notes and a.drug_name not in drugs:
            drugs[a.drug_name] = notes
        course = regimen.period(a.period).courses[a.course]
        if course.label or course.dose_note:
            courses.setdefault((a.period, a.course), []).append(a)
    lines = [f"  {name}: {' '.join(notes.split())}" for name, notes in drugs.items()]
    for (period, index), given in courses.items():
        course = regimen.period(period).courses[index]
        name = f"{course.label} ({given[0].drug_name})" if course.label else given[0].drug_name
        first, last = given[0].study_day.value, given[-1].study_day.value
        days = (f"Day {first}" if len(given) == 1 else
                f"Day {first} to Day {last}, {counted(len(given), 'administration')}")
        lines.append(f"  {name}, {days}" + (f": {course.dose_note}" if course.dose_note
                                              else ""))
    return ["", "Notes:", *lines] if lines else []


def render_table(s: Schedule) -> str:
    """An aligned table for people: dates with weekday, doses in safe notation."""
    lines = _heading(s)
    lines.append("")
    rows = []
    # Columns for same-day exclusions, course labels and durations only when the
    # regimen has some.
    avoid = any(a.avoid for a in s.administrations)
    regimen = s.regimen
    course_of = {(a.period, a.course): regimen.period(a.period).courses[a.course]
                 for a in s.administrations}
    labels = any(c.label for c in course_of.values())
    durations = any(c.duration is not None for c in course_of.values())
    # And one for the site calendar's moves and conflicts only when there are some.
    moves = any(a.calendar_note for a in s.administrations)
    # And a column for vials only when a drug has vials.
    vials = any(a.dose.vials is not None for a in s.administrations)
    # And the status and the plan (when the record changed it) with a record only.
    recorded = s.replayed is not None
    for a in s.administrations:
        course = course_of[(a.period, a.course)]
        cycle = "" if a.cycle is None else f"{a.cycle}" + (
            f" day {a.cycle_day}" if a.cycle_day is not None else "")
        rows.append([str(a.study_day.value), _day(a.date),
                     a.time.strftime("%H:%M") if a.time else "", a.period, cycle]
                    + ([course.label] if labels else [])
                    + [a.drug_name, _dose_text(a),
                       method_text(a.route, course.method, course.duration)]
                    + ([str(course.duration) if course.duration else ""] if durations else [])
                    + ([vials_text(a.dose.vials) if a.dose.vials else ""] if vials else [])
                    + ([", ".join(a.avoid)] if avoid else [])
                    + ([a.calendar_note] if moves else [])
                    + ([a.status.value, _plan_text(a)] if recorded else []))
    if rows:
        header = (["Day", "Date", "Time", "Period", "Cycle"] + (["Course"] if labels else [])
                  + ["Drug", "Dose", "Route"] + (["Duration"] if durations else [])
                  + (["Vials"] if vials else []))
        lines += grid(header + (["Not the same day"] if avoid else [])
                      + (["Site calendar"] if moves else [])
                      + (["Status", "Planned"] if recorded else []), rows, {0})
        lines.append(counted(len(rows), "administration") + (
            f" ({_status_counts(s)})" if recorded else ""))
    else:
        lines.append("No administrations on this arm.")
    derivations = list(dict.fromkeys(
        f"{a.drug_name}: {a.dose.derivation}" for a in s.administrations
        if (a.dose.basis is not None and a.dose.basis.value != "flat") or a.dose.amount is None))
    if derivations:
        lines += ["", "How doses were computed:"] + [f"  {d}" for d in derivations]
    lines += notes_lines(s, lambda a: False)
    if s.visits:
        lines += ["", "Visits:"]
        vrows = []
        vmoves = any(v.calendar_note for v in s.visits)
        for v in s.visits:
            window = ("" if v.earliest == v.latest else
                      f"{v.earliest.isoformat()} to {v.latest.isoformat()}")
            vrows.append([str(v.study_day.value), _day(v.date), window, v.label or v.id]
                         + ([v.calendar_note] if vmoves else [])
                         + ([_visit_plan_text(v)] if recorded else []))
        # With a record, a "Planned" column as the administrations have: a visit that moved
        # with its cycle shows the day the plan had (only JSON's planned_date said it).
        lines += grid(["Day", "Date", "Window", "Visit"] + (["Site calendar"] if vmoves else [])
                      + (["Planned"] if recorded else []), vrows, {0})
    lines += record_lines(s)
    if s.warnings:
        lines += ["", "Warnings:"] + [f"  {w}" for w in s.warnings]
    if rows:
        # The dose sheet ends with the participant's totals per drug.
        total_header, total_rows = totals_rows(s)
        lines += ["", totals_title(s)] + [
            f"  {line}" for line in grid(total_header, total_rows, set())]
    return "\n".join(lines) + "\n"


def _dose_text(a: Administration) -> str:
    """The dose column: the dose given or planned, or, for a dose not given, that it was
    not ("missed (would have been 100 mg)"): a missed dose counts as zero."""
    if a.status.happens:
        return a.dose.text
    return f"{a.status.value} (would have been {a.dose.text})"


def _plan_text(a: Administration) -> str:
    """What the plan had, where the record changed it: its day and dose."""
    if a.unplanned:
        return "not planned"
    parts = []
    if a.planned_date is not None and a.planned_date != a.date:
        parts.append(_day(a.planned_date))
    if a.planned_dose is not None:
        parts.append(a.planned_dose.text)
    return ", ".join(parts)


def _visit_plan_text(v: VisitOccurrence) -> str:
    """What the plan had for a visit, where it moved: its day (as :func:`_plan_text`)."""
    return _day(v.planned_date) if v.planned_date is not None and v.planned_date != v.date \
        else ""


def _moved_visit_lines(s: Schedule) -> list[str]:
    """With a record, the visits no longer on their planned day, each with that day (as the
    table's "Planned" column shows them; nothing without a record or a moved visit)."""
    if s.replayed is None:
        return []
    moved = [f"  Visit {v.label or v.id}, {_day(v.date)}: planned {_day(v.planned_date)}"
             for v in s.visits if v.planned_date is not None and v.planned_date != v.date]
    return ["", "Visits moved:", *moved] if moved else []


def _status_counts(s: Schedule) -> str:
    """"12 given, 1 missed, 6 planned": the statuses in use, in their declared order."""
    counts: dict[AdministrationStatus, int] = {}
    for a in s.administrations:
        counts[a.status] = counts.get(a.status, 0) + 1
    return ", ".join(f"{counts[k]} {k.value}" for k in AdministrationStatus if k in counts)


def record_lines(s: Schedule) -> list[str]:
    """The record's changes and the protocol deviations it shows, for people (nothing
    without a record)."""
    replayed = s.replayed
    if replayed is None:
        return []
    lines = ["", f"Record ({replayed.source}):"]
    lines += [f"  {c}" for c in replayed.changes] or ["  no rows"]
    if replayed.deviations:
        lines += ["", "Protocol deviations:"] + [f"  {d}" for d in replayed.deviations]
    if replayed.summary is not None:
        lines += ["", *summary_lines(replayed.summary)]
    return lines


def render_calendar(s: Schedule, *, blinded: bool | None = None) -> str:
    """Month grids, Monday first: ``*`` dosing day, ``o`` visit, ``#`` both.

    A participant may read this page: by default it does not name the arm when
    the participant goes through a blinded period (the marks are the same for
    every arm of a blinded, matched schedule), even if the page shows only some
    drugs (``Schedule.only``) and none of them in that period.
    """
    hide = blinded
    if blinded is None:
        blinded = any(p.blinded for p in s.periods)
    # Days with a dose given or to come: a dose missed, held, cancelled or stopped is not
    # marked (the record's section says what happened to it).
    dosing = {a.date for a in s.administrations if a.status.happens}
    visits = {v.date for v in s.visits}
    marked = dosing | visits
    lines = _heading(s, blinded=blinded)
    lines += ["", f"Legend: * dosing day   o visit   # both   > Study Day {_first(s)}", ""]
    if not marked:
        return "\n".join([*lines, "Nothing to show."]) + "\n"
    first, last = min(marked | {s.start}), max(marked | {s.start})
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    blocks = [_month(y, m, dosing, visits, s.start) for y, m in months]
    for i in range(0, len(blocks), 3):
        row = blocks[i:i + 3]
        height = max(len(b) for b in row)
        for n in range(height):
            lines.append("   ".join((b[n] if n < len(b) else "").ljust(28) for b in row).rstrip())
        lines.append("")
    count = len(s.administrations)
    lines.append(f"{counted(count, 'administration')} on {counted(len(dosing), 'day')}; "
                 f"{counted(len(s.visits), 'visit')}" if s.replayed is None else
                 f"{counted(count, 'administration')} ({_status_counts(s)}); "
                 f"{counted(len(dosing), 'dosing day')} marked; "
                 f"{counted(len(s.visits), 'visit')}")
    lines += _calendar_notes(s)
    # A visit's day names no dose: shown on a blinded page too, as the site calendar's moves.
    lines += _moved_visit_lines(s)
    # The record's changes name doses given: not on a blinded page.
    lines += record_lines(s) if not blinded else []
    # Labels and notes, except of administrations this page blinds (as to_ics does).
    lines += notes_lines(s, (lambda a: a.blinded) if hide is None else (lambda a: hide))
    # A blinded page names no dose: nor do its warnings (see shown_warnings).
    warnings = shown_warnings(s, blinded)
    if warnings:
        lines += ["", "Warnings:"] + [f"  {w}" for w in warnings]
    # The page ends with the totals per drug, except on a blinded page, which names no
    # dose (nor totals, which would tell placebo from active).
    if count and not blinded:
        lines += ["", totals_title(s), *totals_lines(s)]
    return "\n".join(lines) + "\n"


def _calendar_notes(s: Schedule) -> list[str]:
    """The site calendar's moves and conflicts, one line per drug or visit and day.

    A blinded page may show them: the courses of a drug in a blinded period share their
    window rules, so every arm's moves are alike (the drug is named, never the dose).
    """
    notes = list(dict.fromkeys(
        [f"{a.drug_name}, {_day(a.date)}: {a.calendar_note}" for a in s.administrations
         if a.calendar_note]
        + [f"Visit {v.label or v.id}, {_day(v.date)}: {v.calendar_note}" for v in s.visits
           if v.calendar_note]))
    return ["", "Site calendar:"] + [f"  {n}" for n in notes] if notes else []


def _month(year: int, month: int, dosing: set[date], visits: set[date], day_one: date) -> list[str]:
    title = f"{_MONTHS[month - 1]} {year}"
    lines = [title.center(28).rstrip(), " Mo  Tu  We  Th  Fr  Sa  Su"]
    # Day numbers, not dates: the weeks of December 9999 run past the last date there is.
    for week in calendar.Calendar(0).monthdayscalendar(year, month):
        cells = []
        for number in week:
            if not number:
                cells.append("    ")
                continue
            d = date(year, month, number)
            mark = ("#" if d in dosing and d in visits else "*" if d in dosing
                    else "o" if d in visits else " ")
            cells.append(f"{'>' if d == day_one else ' '}{d.day:2d}{mark}")
        lines.append("".join(cells).rstrip())
    return lines


# Check reports ------------------------------------------------------------


def check_text(report: CheckReport) -> str:
    """A check report as a table for people."""

    r = report.regimen
    lines = [f"{r.title} ({r.id}{', ' + r.registry if r.registry else ''})", ""]
    given = participant_text(report)
    if given:
        lines += [given, ""]
    # A Daily dose column only when a drug has divided daily doses: other reports keep
    # their columns.
    daily = any(s.daily for s in report.summaries)
    rows = [[s.arm, s.drug_name, s.count_text(), s.total_text()]
            + ([s.daily_text()] if daily else [])
            + [s.intensity_text(),
               f"Day {s.first_day} to {s.last_day}" if s.first_day is not None else "-"]
            for s in report.summaries]
    lines += grid(["Arm", "Drug", "Administrations", "Cumulative dose"]
                  + (["Daily dose"] if daily else []) + ["Per week", "Days"], rows, {2})
    lines += ["", "Evaluated " + "; ".join(report.conditions) + "."]
    if report.results:
        lines += ["", "Expectations:"] + [f"  {x}" for x in report.results]
        failed = sum(not x.passed for x in report.results)
        total = len(report.results)
        lines += ["", ("1 expectation holds." if total == 1 else f"All {total} expectations hold.")
                  if not failed else f"{failed} of {counted(total, 'expectation')} "
                  f"{'fails' if failed == 1 else 'fail'}."]
    else:
        lines += ["", "No expectations to verify (add an 'expect' list)."]
    if report.cumulative:
        # Only for drugs with a max_cumulative: every other report keeps its bytes.
        lines += ["", "Cumulative limits (max_cumulative):"] + [
            f"  {c}" for c in report.cumulative]
    lines += _site_text(report)
    return "\n".join(lines) + "\n"


#: A participant's inputs as a check report names them, in this order.
_INPUTS = (("label", "participant"), ("weight", "weight"), ("height", "height"),
           ("bsa", "body surface area"), ("age", "age"), ("sex", "sex"), ("gfr", "GFR"),
           ("creatinine", "serum creatinine"))


def _inputs(report: CheckReport) -> list[tuple[str, str]]:
    p = report.participant
    if p is None:
        return []
    return [(key, str(getattr(p, key))) for key, _ in _INPUTS
            if getattr(p, key) not in (None, "")]


def participant_text(report: CheckReport) -> str:
    """The line naming what a check report's absolute totals are for ("" for none)."""
    names = dict(_INPUTS)
    parts = [f"{names[k]} {v}" for k, v in _inputs(report)]
    levels = ", ".join(f"{d} {n}" for d, n in report.levels)
    if parts:
        return ("Absolute totals for " + ", ".join(parts)
                + (f"; dose levels: {levels}" if levels else "") + ".")
    return f"At dose levels: {levels}." if levels else ""


def _site_text(report: CheckReport) -> list[str]:
    """Per arm and start, what the site calendar moves and leaves on closed days."""
    if report.calendar is None or not report.site:
        return []
    first, last = report.site[0].start, report.site[6].start
    lines = ["", f"Site calendar: {report.calendar.describe()}.",
             f"Study Day 1 on each day from {_day(first)} to {_day(last)}, at the shortest "
             "period lengths:"]
    rows = [[c.arm, _day(c.start), str(c.doses_moved), str(c.dose_conflicts),
             str(c.visits_moved), str(c.visit_conflicts)] for c in report.site]
    lines += grid(["Arm", "Study Day 1", "Doses moved", "Dose conflicts", "Visits moved",
                   "Visit conflicts"], rows, {2, 3, 4, 5})
    for arm in dict.fromkeys(c.arm for c in report.site):
        counts = [c for c in report.site if c.arm == arm]
        lines.append(f"{arm}: {_spread([c.doses_moved for c in counts])} doses moved and "
                     f"{_spread([c.dose_conflicts for c in counts])} in conflict, "
                     f"{_spread([c.visits_moved for c in counts])} visits moved and "
                     f"{_spread([c.visit_conflicts for c in counts])} in conflict, "
                     "over the seven start weekdays")
    return lines


def _spread(values: list[int]) -> str:
    low, high = min(values), max(values)
    return str(low) if low == high else f"{low} to {high}"


def check_dict(report: CheckReport) -> dict[str, Any]:
    """A check report as plain data (exact decimal strings); ``participant`` (the inputs
    as given) and ``levels`` (drug id -> level) only when they were given."""
    extra: dict[str, Any] = {}
    if report.participant is not None:
        extra["participant"] = dict(_inputs(report))
    if report.levels:
        extra["levels"] = dict(report.levels)
    out: dict[str, Any] = {
        "regimen": report.regimen.id,
        **extra,
        "ok": report.ok,
        "conditions": list(report.conditions),
        "summaries": [
            {"arm": s.arm, "drug": s.drug, "administrations_min": s.administrations[0],
             "administrations_max": s.administrations[1], "placebo": s.placebo,
             "unspecified": s.unspecified,
             "totals": [{"amount": plain(t.amount.magnitude), "unit": t.amount.unit.symbol,
                         "basis": t.basis.value, "text": human_dose_quantity(t)}
                        for t in s.totals],
             "totals_max": [{"amount": plain(t.amount.magnitude),
                             "unit": t.amount.unit.symbol, "basis": t.basis.value,
                             "text": human_dose_quantity(t)}
                            for t in (s.totals_most or s.totals)],
             "before_caps_and_rounding": s.before_caps,
             "intensity_per_week": [{"amount": plain(t.amount.magnitude),
                                     "unit": t.amount.unit.symbol, "basis": t.basis.value}
                                    for t in s.intensities],
             "first_day": s.first_day, "last_day": s.last_day, "span_days": s.span_days,
             # Only for divided daily doses: every other report keeps its bytes.
             **({"daily": [{"amount": plain(t.amount.magnitude),
                            "unit": t.amount.unit.symbol, "basis": t.basis.value,
                            "text": human_dose_quantity(t)} for t in s.daily]}
                if s.daily else {})}
            for s in report.summaries
        ],
        "expectations": [
            {"arm": x.expectation.arm, "drug": x.expectation.drug, "passed": x.passed,
             "messages": list(x.messages)} for x in report.results
        ],
    }
    if report.cumulative:
        # Only for drugs with a max_cumulative: every other report keeps its bytes.
        out["cumulative_limits"] = [
            {"arm": c.arm, "drug": c.drug, "passed": c.passed,
             "checked": c.total is not None,
             "limit": {"amount": plain(c.limit.amount.magnitude),
                       "unit": c.limit.amount.unit.symbol, "basis": c.limit.basis.value},
             "total": None if c.rounded_total is None else plain(c.rounded_total),
             "before_caps_and_rounding": c.before_caps,
             "crossing": c.crossing or None, "reason": c.reason or None, "text": str(c)}
            for c in report.cumulative]
    if report.calendar is not None:
        # Only with a calendar: every other report keeps its bytes.
        out["site_calendar"] = {
            **site_calendar_dict(report.calendar),
            "starts": [{"arm": c.arm, "start": c.start.isoformat(),
                        "doses_moved": c.doses_moved, "dose_conflicts": c.dose_conflicts,
                        "visits_moved": c.visits_moved, "visit_conflicts": c.visit_conflicts}
                       for c in report.site]}
    return out

def check_json(report: CheckReport) -> str:
    """A check report as JSON."""
    return dumps_indent2(check_dict(report)) + "\n"
