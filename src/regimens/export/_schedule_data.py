"""A schedule as JSON-ready values: the fields of its rows, in a fixed order.

What ``to_dict`` returns and ``to_json`` and ``to_csv`` write: every administration's
fields (:data:`ADMINISTRATION_FIELDS`, then the optional, site-calendar and record fields
only when the schedule has them, so that every other output keeps its bytes), the
participant, periods, visits, warnings, totals, the site calendar and the record.
Output depends only on the schedule: no clock, locale or environment is read, and
dictionaries are built in a fixed order, so the same inputs give the same bytes everywhere.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .._version import __version__
from ..engine import (
    Administration,
    AdministrationStatus,
    Schedule,
    columns_of,
)
from ..model import SiteCalendar
from ..quantities import plain
from ._summary import summary_json
from ._totals import form_json, totals_json, vials_json

__all__ = ["ADMINISTRATION_FIELDS", "CALENDAR_FIELDS", "RECORD_FIELDS", "schedule_dict",
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
