"""What the participant's handout and dosing diary say, before any layout.

The HTML (:mod:`._handout`) and PDF (:mod:`._pdf`) renderings are drawn from the
same records, so the two say the same things in the same order. Everything here is
in the participant's language (:mod:`._i18n`) and depends only on the schedule.

Blinding follows :meth:`Schedule.to_calendar`: by default (``blinded=None``) an
administration in a period marked blinded is written "study drug (NAME or
placebo)" with its route and time, never its dose, placebo or cycle, and the arm
is named only when no period the participant goes through is blinded.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import date, timedelta

from .._version import __version__
from ..engine import Administration, Schedule
from ..errors import ExpandOptionError, ExpandOptionTypeError
from ..model import DRUG_INSTRUCTIONS, WEEKDAYS, Regimen
from ._arguments import blindable, blinded_record
from ._delivery import shown_delivery
from ._i18n import N_, Words, words
from ._schedule_text import shown_warnings

__all__ = ["PAPERS", "Common", "Day", "Diary", "DiaryRow", "DiaryWeek", "Entry", "Handout", "diary",
           "handout"]

#: Paper sizes (width, height) in millimetres, for the print CSS and the PDF.
PAPERS = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}

_INSTRUCTION_TITLES = {"food": N_("Food"), "storage": N_("Storage"),
                       "missed_dose": N_("If you miss a dose"),
                       "vomited_dose": N_("If you vomit after a dose"),
                       "clinic_day": N_("On clinic days")}


@dataclass(frozen=True)
class Entry:
    """One thing that happens on a day: ``kind`` is ``dose``, ``visit`` or ``start``.

    ``time`` is ``HH:MM`` or empty (any time that day); ``text`` names it in words;
    ``moved``: from which day and why the site's calendar moved it, or empty.
    """

    kind: str
    time: str
    text: str
    moved: str = ""  # why the site's calendar moved it (or keeps it on a closed day)


@dataclass(frozen=True)
class Day:
    """A day of a month grid: its date (None outside the month) and its entries."""

    date: date | None
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Common:
    """What both sheets carry: heading lines, instructions, contact lines, warnings."""

    lang: str
    paper: str
    title: str
    facts: tuple[tuple[str, str], ...]  # (label, value): participant, arm, Study Day 1
    instructions: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # drug, (title, text)
    dose_notes: tuple[tuple[str, str], ...]  # (drug name, the dose's note), unblinded only
    contact: tuple[str, ...]
    warnings: tuple[str, ...]
    generator: str
    #: The regimen counts from Day 0 (``day_zero``): the start is Study Day 0, not Day 1.
    day_zero: bool = False


@dataclass(frozen=True)
class Handout:
    """The calendar handout: month grids of days, weeks Monday to Sunday."""

    common: Common
    months: tuple[tuple[str, tuple[tuple[Day, ...], ...]], ...]  # (title, weeks)


@dataclass(frozen=True)
class DiaryRow:
    """One dose to tick, or (``dose`` empty) a clinic visit that day."""

    date: str
    time: str
    what: str
    where: str  # cycle and day, or empty
    clinic: str  # the visit that day, or empty


@dataclass(frozen=True)
class DiaryWeek:
    """One study week of the diary, with its heading."""

    title: str
    rows: tuple[DiaryRow, ...]


@dataclass(frozen=True)
class Diary:
    """The dosing diary: weeks of doses to tick, clinic days, other medicines."""

    common: Common
    weeks: tuple[DiaryWeek, ...]
    clinic_days: tuple[str, ...]


def _blind(s: Schedule, a: Administration, blinded: bool | None) -> bool:
    return a.blinded if blinded is None else blinded


def _hides_arm(s: Schedule, blinded: bool | None) -> bool:
    return any(p.blinded for p in s.periods) if blinded is None else blinded


def _study_drug(w: Words, regimen: Regimen, a: Administration) -> str:
    # Built from the whole regimen, never from this arm, so every arm reads the same.
    period = regimen.period(a.period)
    placebo = any(c.placebo for c in period.courses if c.drug == a.drug)
    name = regimen.drug(a.drug).name
    return (w.t("study drug ({name} or placebo)", name=name) if placebo
            else w.t("study drug ({name})", name=name))


def _delivery(w: Words, s: Schedule, a: Administration, blinded: bool) -> str:
    """How the dose goes in (route, method, duration), in words, as
    :func:`shown_delivery` has it (blinded, only what every arm's course shares)."""
    shown = shown_delivery(s, a, blinded)
    return w.delivery(shown.route, shown.method, shown.duration)


def dose_words(w: Words, s: Schedule, a: Administration, blinded: bool) -> str:
    """Drug, dose and route in words; blinded: "study drug (...)" and the route only."""
    route = _delivery(w, s, a, blinded)
    if blinded:
        return w.t("{drug}, {route}", drug=_study_drug(w, s.regimen, a), route=route)
    return w.t("{drug} {dose}, {route}", drug=a.drug_name, dose=w.dose(a), route=route)


_CLOSED_ON = (N_("closed on Mondays"), N_("closed on Tuesdays"), N_("closed on Wednesdays"),
              N_("closed on Thursdays"), N_("closed on Fridays"), N_("closed on Saturdays"),
              N_("closed on Sundays"))


def _closure_words(w: Words, s: Schedule, day: date) -> str:
    """Why the site is closed on ``day``, in the participant's language (as
    :meth:`SiteCalendar.closure` says it; holiday names and closure reasons as written)."""
    calendar = s.calendar
    if calendar is None:
        return ""
    reasons = []
    holiday = calendar.holiday(day)
    if holiday is not None:
        reasons.append(w.t("public holiday ({name})", name=holiday))
    own = [c.reason for c in calendar.closed_dates if c.date == day]
    if own:
        why = ", ".join(dict.fromkeys(r for r in own if r))
        reasons.append(w.t("site closure ({reason})", reason=why) if why
                       else w.t("site closure"))
    if WEEKDAYS[day.weekday()] in calendar.closed:
        reasons.append(w.t(_CLOSED_ON[day.weekday()]))
    return "; ".join(reasons)


def moved_words(w: Words, s: Schedule, planned: date | None, note: str) -> str:
    """From which day and why the site's calendar moved an item; for an item left on a
    closed day (no open day in its window), a request to check the date; else empty."""
    if planned is not None:
        why = _closure_words(w, s, planned)
        return (w.t("moved from {date}: {why}", date=w.date(planned), why=why) if why
                else w.t("moved from {date}", date=w.date(planned)))
    if note:
        return w.t("the site is closed that day: check this date with your study team")
    return ""


def at_site(s: Schedule, a: Administration) -> bool:
    """Whether the dose is given at the site (``clinic: true`` on its drug or course)."""
    course = s.regimen.period(a.period).courses[a.course]
    return s.regimen.drug(a.drug).clinic or course.clinic


def _visit_words(w: Words, v_label: str, earliest: date, latest: date) -> str:
    if earliest == latest:
        return w.t("Visit: {name}", name=v_label)
    return w.t("Visit: {name} (any day from {first} to {last})", name=v_label,
               first=w.day_month(earliest), last=w.day_month(latest))


def _common(s: Schedule, w: Words, blinded: bool | None, paper: str,
            contact: tuple[str, ...]) -> Common:
    r = s.regimen
    title = r.title + (f" ({r.registry})" if r.registry else "")
    facts: list[tuple[str, str]] = []
    if s.participant.label:
        facts.append((w.t("Participant"), s.participant.label))
    hide = _hides_arm(s, blinded)
    if not hide:
        facts.append((w.t("Treatment"), r.arm(s.arm).label))
    facts.append((w.t("Study Day 0") if r.day_zero else w.t("Study Day 1"), w.date(s.start)))
    if s.tz:
        facts.append((w.t("Times are local times in"), s.tz))
    shown = list(dict.fromkeys(a.drug for a in s.administrations))
    instructions = []
    for drug_id in shown:
        drug = r.drug(drug_id)
        lines = tuple((w.t(_INSTRUCTION_TITLES[k]), getattr(drug, k))
                      for k in DRUG_INSTRUCTIONS if getattr(drug, k))
        if lines:
            instructions.append((drug.name, lines))
    # A dose's note may differ between arms: only those of doses shown unblinded.
    notes = tuple(dict.fromkeys((a.drug_name, a.note) for a in s.administrations
                                if a.note and not _blind(s, a, blinded)))
    # Blinded as the doses are (per period by default): a warning about a dose the sheet
    # shows unblinded (an open run-in's rounding) is shown, as the iCalendar file shows it.
    warnings = tuple(str(x) for x in shown_warnings(s, blinded))
    if s.calendar is not None:
        # For the study team, as the other outputs say it: the holidays package's data
        # changes between releases, so its version is named.
        warnings = (w.t("Site calendar: {policy}", policy=s.calendar.describe()), *warnings)
    return Common(w.lang, paper, title, tuple(facts), tuple(instructions), notes, contact,
                  warnings, f"regimens {__version__}", r.day_zero)


def _check(paper: str, contact: Sequence[str]) -> tuple[str, ...]:
    if not isinstance(paper, str):  # (a list is not hashable: no 'in PAPERS' for it)
        raise ExpandOptionTypeError("paper", f"choose from {', '.join(PAPERS)}", paper)
    if paper not in PAPERS:
        raise ExpandOptionError("paper", f"choose from {', '.join(PAPERS)}", paper)
    if isinstance(contact, str | bytes | Set | Mapping) or not isinstance(contact, Iterable):
        # (A set's lines have no order to print them in; a mapping's keys are not lines.)
        # One text would be read a character at a time, each "line" refused as blank.
        raise ExpandOptionTypeError("contact", "lines of text, a list or tuple: "
                                    "contact=['Dr A. Martin', '+33 1 23 45 67 89']", contact)
    lines = tuple(contact)
    for line in lines:
        if not isinstance(line, str) or not line.strip() or not line.isprintable():
            raise ExpandOptionError("contact", "a contact line is one line of printable "
                                    "text", line)
    return lines


def _day_entries(s: Schedule, w: Words, blinded: bool | None) -> dict[date, list[Entry]]:
    days: dict[date, list[Entry]] = {}
    for v in s.visits:
        days.setdefault(v.date, []).append(
            Entry("visit", "", _visit_words(w, v.label or v.id, v.earliest, v.latest),
                  moved_words(w, s, v.planned_date, v.calendar_note)))
    doses: dict[date, list[tuple[tuple[int, str, str], Entry]]] = {}
    for index, a in enumerate(s.administrations):
        if not a.status.happens:
            continue  # missed, held, cancelled or stopped (a record): not a dose to take
        hidden = _blind(s, a, blinded)
        time = a.time.strftime("%H:%M") if a.time is not None else ""
        entry = Entry("dose", time, dose_words(w, s, a, hidden),
                      moved_words(w, s, a.planned_date, a.calendar_note))
        # Blinded entries in the order of what they show, never of their course (an
        # arm's active course may come before or after another arm's placebo course).
        key = (0, time, entry.text) if hidden else (index, "", "")
        doses.setdefault(a.date, []).append((key, entry))
    for d, found in doses.items():
        days.setdefault(d, []).extend(e for _, e in sorted(found, key=lambda ke: ke[0]))
    days.setdefault(s.start, []).insert(0, Entry(
        "start", "", w.t("Study Day 0") if s.regimen.day_zero else w.t("Study Day 1")))
    return days


def handout(s: Schedule, *, lang: str = "en", blinded: bool | None = None,
            paper: str = "a4", contact: Sequence[str] = ()) -> Handout:
    """The calendar handout's content (see :func:`regimens.export.render_html`)."""
    blinded = blindable(s, blinded)
    blinded_record(s, blinded)
    w = words(lang)
    lines = _check(paper, contact)
    days = _day_entries(s, w, blinded)
    first, last = min(days), max(days)
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        weeks = []
        # Day numbers, not dates: the weeks of December 9999 run past the last date there is.
        for week in calendar.Calendar(0).monthdayscalendar(year, month):
            cells = []
            for number in week:
                if not number:
                    cells.append(Day(None, ()))
                    continue
                d = date(year, month, number)
                cells.append(Day(d, tuple(days.get(d, ()))))
            weeks.append(tuple(cells))
        months.append((w.month(year, month), tuple(weeks)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return Handout(_common(s, w, blinded, paper, lines), tuple(months))


def _week(offset: int) -> int:
    # Study weeks by days after the start: Days 1-7 are week 1, Days -7 to -1 week -1 (and
    # with day_zero, Days 0-6 week 1: a week starts on the start's weekday either way).
    return offset // 7 + 1 if offset >= 0 else -((-offset - 1) // 7 + 1)


def diary(s: Schedule, *, lang: str = "en", blinded: bool | None = None,
          paper: str = "a4", contact: Sequence[str] = ()) -> Diary:
    """The dosing diary's content (see :func:`regimens.export.render_diary`)."""
    blinded = blindable(s, blinded)
    blinded_record(s, blinded)
    w = words(lang)
    lines = _check(paper, contact)
    # What happens at the site, by day: visits (with their windows) and clinic doses.
    names: dict[date, list[str]] = {}
    clinic: dict[date, list[str]] = {}
    for v in s.visits:
        name = v.label or v.id
        names.setdefault(v.date, []).append(name)
        text = name if v.earliest == v.latest else w.t(
            "{name} (any day from {first} to {last})", name=name,
            first=w.day_month(v.earliest), last=w.day_month(v.latest))
        moved = moved_words(w, s, v.planned_date, v.calendar_note)
        clinic.setdefault(v.date, []).append(f"{text} ({moved})" if moved else text)
    at_clinic: dict[date, list[tuple[tuple[object, ...], str]]] = {}
    entries: dict[int, list[tuple[tuple[object, ...], DiaryRow, int | None]]] = {}
    home = []
    for index, a in enumerate(s.administrations):
        if not a.status.happens:
            continue  # missed, held, cancelled or stopped (a record): not a dose to take
        hidden = _blind(s, a, blinded)
        if not at_site(s, a):
            home.append((index, a, hidden))
            continue
        # Given at the site: listed with the clinic days, not as a dose to tick.
        text = dose_words(w, s, a, hidden)
        moved = moved_words(w, s, a.planned_date, a.calendar_note)
        text = f"{text} ({moved})" if moved else text
        at_clinic.setdefault(a.date, []).append(((0, text) if hidden else (1, index), text))
    for d, given in at_clinic.items():
        clinic.setdefault(d, []).extend(t for _, t in sorted(given, key=lambda kt: kt[0]))
        names.setdefault(d, [])
    for index, a, hidden in home:
        where = ""
        if a.cycle is not None and not hidden:
            where = (w.t("cycle {cycle}, day {day}", cycle=a.cycle, day=a.cycle_day)
                     if a.cycle_day is not None else w.t("cycle {cycle}", cycle=a.cycle))
        time = a.time.strftime("%H:%M") if a.time is not None else ""
        there = ""
        if a.date in names:
            there = (w.t("clinic visit: {name}", name=", ".join(names[a.date]))
                     if names[a.date] else w.t("clinic visit"))
        row = DiaryRow(w.date(a.date), time or w.t("any time"), dose_words(w, s, a, hidden),
                       where, there)
        key: tuple[object, ...] = ((a.date, 0, time, row.what) if hidden
                                   else (a.date, 1, index))
        entries.setdefault(_week(a.study_day.offset), []).append(
            (key, row, None if hidden else a.cycle))
    weeks = []
    for number in sorted(entries):
        found = sorted(entries[number], key=lambda e: e[0])
        first = _within(s.start, (number - 1) * 7 if number > 0 else number * 7)
        cycles = sorted({c for _, _, c in found if c is not None})
        title = w.t("Study week {week}", week=number)
        if len(cycles) == 1:
            title += " · " + w.t("cycle {cycle}", cycle=cycles[0])
        elif cycles:
            title += " · " + w.t("cycles {first} to {last}", first=cycles[0], last=cycles[-1])
        title += " · " + w.t("{first} to {last}", first=w.day_month(first),
                             last=w.date(_within(first, 6)))
        weeks.append(DiaryWeek(title, tuple(r for _, r, _ in found)))
    clinic_days = tuple(w.t("{date}: {visit}", date=w.date(d), visit="; ".join(items))
                        for d, items in sorted(clinic.items()))
    return Diary(_common(s, w, blinded, paper, lines), tuple(weeks), clinic_days)


def _within(day: date, days: int) -> date:
    """``day`` + ``days``, or the calendar's first or last day where that would leave it: a
    study week at either end of the calendar (years 1 to 9999) ends, or starts, with it."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min
