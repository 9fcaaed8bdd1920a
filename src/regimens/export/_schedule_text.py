"""A schedule as text for people: the table (``to_table``) and month calendars
(``to_calendar``), with the record's changes and the warnings each output shows.

Output depends only on the schedule: no clock, locale or environment is read (month
names are English and fixed), so the same inputs give the same bytes everywhere.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import TYPE_CHECKING

from ..engine import (
    Administration,
    AdministrationStatus,
    Schedule,
)
from ..errors import RegimenWarning
from ..quantities import counted, human_number
from ._arguments import blindable, blinded_record
from ._delivery import method_text
from ._grid import _day, grid
from ._schedule_data import runs_to
from ._summary import summary_lines
from ._totals import totals_lines, totals_rows, totals_title, vials_text

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..engine import VisitOccurrence

__all__ = ["record_lines", "render_calendar", "render_table", "shown_warnings"]

# English names, fixed: calendar.month_name follows the process locale.
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def shown_warnings(s: Schedule, blinded: bool | None = None) -> tuple[RegimenWarning, ...]:
    """The warnings an output shows: all of them, unless it blinds administrations.

    ``blinded`` as in :func:`regimens.export.to_ics`: True blinds every
    administration, None those in periods marked blinded, False none. A warning
    that could tell one arm from another (a dose rounded, a step; see
    :attr:`RegimenWarning.blind_safe`) is shown only when it belongs to the dose of
    an administration the output shows unblinded; warnings every arm gives alike
    (moved clock times, implausible measurements, an anchor's assumed length when every
    arm shares it) are always shown. With None and no period of the arm's path marked
    blinded, the output blinds nothing and shows every warning (a limit passed, an
    anchor's assumed length: not only those of a dose).
    """
    if blinded is False or (blinded is None and not any(p.blinded for p in s.periods)):
        return s.warnings
    open_doses = {str(w) for a in s.administrations
                  if not (a.blinded if blinded is None else blinded) for w in a.dose.warnings}
    return tuple(w for w in s.warnings if w.blind_safe or str(w) in open_doses)


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
    """What the plan had, where the record changed it: its day, and its dose where that
    reads otherwise than the Dose column's (a dose re-computed to the same amount, 145.6
    mg after a weight came back, repeats nothing: cold try 5, finding 12)."""
    if a.unplanned:
        return "not planned"
    parts = []
    if a.planned_date is not None and a.planned_date != a.date:
        parts.append(_day(a.planned_date))
    if a.planned_dose is not None and a.planned_dose.text != a.dose.text:
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
    blinded = blindable(s, blinded)
    blinded_record(s, blinded)
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
