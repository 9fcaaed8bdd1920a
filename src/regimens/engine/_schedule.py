"""A participant's schedule: the dated result of expanding a regimen.

Plain frozen records; rendering lives in :mod:`regimens.export`, reached through
the one-line ``Schedule.to_*`` delegates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import field, fields, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from .._records import dataclass
from ..errors import ExpandOptionError, ExpandOptionTypeError, RegimenWarning
from ..model import lookalike_text
from ..quantities import Duration, StudyDay
from ._administration import Administration
from ._columns import AdministrationColumns
from ._totals import DrugTotal, drug_totals

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..export import Reminder
    from ..model import Participant, Regimen, SiteCalendar
    from ..quantities import BSAFormula

__all__ = ["CourseSpan", "PeriodSpan", "Replayed", "Schedule", "VisitOccurrence", "columns_of",
           "lazy_schedule"]


@dataclass(frozen=True)
class VisitOccurrence:
    """A visit placed on the calendar: its target day and its window (inclusive dates).

    With a site calendar, a visit on a closed day moves to the nearest open day of its
    window: ``date`` and ``study_day`` are then the day of the visit, ``planned_date``
    its target day, and ``calendar_note`` says why (as for :class:`Administration`).
    """

    id: str
    label: str
    study_day: StudyDay
    date: dt.date
    earliest: dt.date
    latest: dt.date
    period: str | None  # the period the target day falls in, if any
    planned_date: dt.date | None = None
    calendar_note: str = ""

    @property
    def conflict(self) -> bool:
        """True when it falls on a day the site is closed and no open day was found."""
        return bool(self.calendar_note) and self.planned_date is None


@dataclass(frozen=True)
class PeriodSpan:
    """Where one period of the arm's path lies: first and last Study Day and date, inclusive.

    ``length`` is the period's length for this participant (a fixed length, or the one
    chosen with ``lengths`` within the period's range).
    """

    id: str
    label: str
    first_day: StudyDay
    last_day: StudyDay
    first_date: date
    last_date: date
    length: Duration
    blinded: bool


@dataclass(frozen=True)
class CourseSpan:
    """Where a course's cycles lie, off days included: the basis of dose intensity."""

    period: str
    course: int
    drug: str
    first_date: date
    last_date: date
    cycles: int | None


@dataclass(frozen=True)
class Replayed:
    """What replaying a participant's record did to a schedule (``Schedule.replayed``).

    ``source``: the record's name (its file); ``record``: the record itself (a
    :class:`regimens.record.Record`), for the summary; ``planned``: the schedule before
    the record (the plan); ``changes``: one line per row applied, in the order of its
    date ("2027-03-01 delay (line 7): cycle 3 of aldesleukin starts on ..., 7 days
    later"); ``deviations``: protocol deviations the rows show (a delay over
    ``max_delay``, a ``given`` row that fulfils no planned administration), each naming
    its line; ``summary``: the record's summary (a :class:`regimens.record.RecordSummary`);
    ``levels``: the dose levels the plan was expanded at.
    """

    source: str
    record: Any
    planned: Schedule
    changes: tuple[str, ...] = ()
    deviations: tuple[str, ...] = ()
    #: The summary (a :class:`regimens.record.RecordSummary`): counts, totals, delays,
    #: reductions, deviations, relative dose intensity (docs/record.md, "Summary").
    summary: Any = None
    #: The dose levels the plan was expanded at (``Regimen.expand(levels=...)``), drug id
    #: and level, so that the record can be replayed again (:func:`regimens.record.history`).
    levels: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Schedule:
    """Everything a participant on one arm receives, dated (from :meth:`Regimen.expand`).

    ``administrations`` are ordered by date, then time, then period and course;
    ``start`` is the date of Study Day 1; ``warnings`` are the :class:`RegimenWarning`
    issued while expanding; ``calendar``: the site calendar it was expanded with, if any;
    ``replayed``: what a participant's record did to it (None: the plan, no record);
    ``anchor``: the date given with ``anchor=`` (``--anchor``) when Study Day 1 was placed
    from it, else None: an error about the schedule's dates then names the anchor, the
    option given, never a start that was not (not compared: the schedule is the same).
    Outputs: :meth:`to_table`, :meth:`to_calendar` (people),
    :meth:`to_json`, :meth:`to_csv`, :meth:`to_dict` (data), :meth:`to_ics` (calendars).
    """

    regimen: Regimen
    arm: str
    start: date  # date of Study Day 1
    participant: Participant
    tz: str | None
    bsa_formula: BSAFormula
    bsa_decimals: int
    periods: tuple[PeriodSpan, ...]
    courses: tuple[CourseSpan, ...]
    administrations: tuple[Administration, ...]
    visits: tuple[VisitOccurrence, ...]
    warnings: tuple[RegimenWarning, ...] = ()
    calendar: SiteCalendar | None = None
    replayed: Replayed | None = None
    anchor: date | None = field(default=None, compare=False)
    #: The ids of the arm's periods whose length is a range and was given no length
    #: (``lengths``, ``--length``), in the arm's order, from the period placed by the date
    #: given (``start``, or ``anchor``) on: each is placed at its shortest, so the dates
    #: after it, the arm's last day among them, rest on a length assumed (a record's dose
    #: after the arm's last day then says so: :class:`regimens.GivenAfterArmWarning`).
    # Not compared: how the schedule was placed, as ``anchor``; its dates are compared.
    lengths_assumed: tuple[str, ...] = field(default=(), compare=False)
    #: The same, before the period placed by the date given: the dates before it, the
    #: arm's first day among them, rest on a length assumed (a record's dose before the
    #: arm's first day then says so: ``record-outside-arm``). Not compared, as ``anchor``.
    lengths_assumed_before: tuple[str, ...] = field(default=(), compare=False)

    def __getstate__(self) -> dict[str, Any]:
        """The fields for pickle and copy: the administrations as a tuple, never the
        engine's columns (:class:`AdministrationColumns`), so that a pickle holds only
        public classes and reads back as an equal schedule."""
        state = {f.name: getattr(self, f.name) for f in fields(self)}
        return state

    @property
    def totals(self) -> tuple[DrugTotal, ...]:
        """The participant's totals per drug (administrations, cumulative dose per
        dimension, vials), in the order the regimen declares its drugs: what the dose
        sheet (:meth:`to_table`, :meth:`to_calendar`, :meth:`to_json`) ends with."""
        columns = columns_of(self)
        if columns is not None:
            # Each group's rows share one dose and one placebo flag: counted, not walked.
            return drug_totals(self.regimen, (), columns.weighted())
        return drug_totals(self.regimen, self.administrations)

    def only(self, drugs: Sequence[str]) -> Schedule:
        """The same schedule with only these drugs' administrations (visits are kept).

        For a calendar or dose sheet of one drug when another, such as a daily
        background drug, would fill every day.

        Raises:
            ExpandOptionError: an id that is not a drug of the regimen (field ``drug``).
            ExpandOptionTypeError: ``drugs`` is one text (``"il2"``, whose characters
                would each be read as an id) or not a collection (field ``drugs``).
        """
        known = [d.id for d in self.regimen.drugs]
        if isinstance(drugs, str | bytes) or not isinstance(drugs, Iterable):
            raise ExpandOptionTypeError("drugs", "drug ids, a list or tuple: "
                                        f"only([{known[0]!r}])", drugs)
        for drug in drugs:
            if drug not in known:
                raise ExpandOptionError("drug", f"no drug has this id ("
                                        f"{lookalike_text(drug, known)}drugs: "
                                        f"{', '.join(known)})", drug)
        wanted = set(drugs)
        return replace(
            self,
            administrations=tuple(a for a in self.administrations if a.drug in wanted),
            courses=tuple(c for c in self.courses if c.drug in wanted))

    def to_dict(self) -> dict[str, Any]:
        """The schedule as plain data (``"format": "regimens-schedule/1"``), as in :meth:`to_json`.

        Amounts are exact decimal strings with their unit symbol, dates ISO 8601
        (``YYYY-MM-DD``), times ``HH:MM`` local wall time; each administration carries its
        dose in safe notation and its derivation. See docs/cli.md for every field.
        """
        from ..export import schedule_dict

        return schedule_dict(self)

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text: UTF-8, indented by 2, keys in a fixed order."""
        from ..export import render_json

        return render_json(self)

    def to_csv(self) -> str:
        """One CSV row per administration, with a header; fields as in :meth:`to_dict`.

        Lines end with ``\n``; an empty cell is no value; booleans are ``true``/``false``.
        """
        from ..export import render_csv

        return render_csv(self)

    def to_table(self) -> str:
        """An aligned text table for people: dates with weekday, doses in safe notation.

        Safe notation follows the ISMP List of Error-Prone Abbreviations: "1 million
        units", never "1 MIU" or a trailing zero.
        """
        from ..export import render_table

        return render_table(self)

    def to_ics(
        self,
        *,
        stamp: datetime,
        blinded: bool | None = None,
        reminders: Sequence[Reminder | str] = (),
        previous: bytes | str | None = None,
    ) -> bytes:
        """The schedule as an iCalendar file (:rfc:`5545`): one event per administration.

        ``stamp``: an aware datetime, written as every event's DTSTAMP
        (:rfc:`5545#section-3.8.7.2`); no clock is read. ``blinded``: True hides arm,
        dose and placebo everywhere, None (default) only in periods marked ``blinded``,
        False nowhere. ``reminders``: :class:`Reminder` values or their text (``"1h"``,
        ``"30m"``, ``"09:00-day-before"``), written as VALARMs
        (:rfc:`5545#section-3.6.6`). ``previous``: the file
        published before, so that dropped events are written as cancelled
        (:rfc:`5545#section-3.8.1.11`) and changed ones get a higher SEQUENCE
        (:rfc:`5545#section-3.8.7.4`). See docs/ics.md.

        Raises:
            ExpandOptionError: a naive ``stamp``, a timed administration without a time
                zone, a malformed reminder, or an unreadable ``previous`` file.
        """
        from ..export import to_ics

        return to_ics(self, stamp=stamp, blinded=blinded, reminders=reminders,
                      previous=previous)

    def to_html(self, *, lang: str = "en", blinded: bool | None = None, paper: str = "a4",
                contact: Sequence[str] = ()) -> str:
        """The participant's calendar handout: one self-contained HTML page (no script, no
        fetch), month pages naming each day's doses and visits in words; see
        docs/handouts.md.

        ``lang``: ``"en"`` or ``"fr"``; ``blinded`` as in :meth:`to_calendar` (blinded
        doses read "study drug", never dose, placebo or arm); ``paper``: ``"a4"`` or
        ``"letter"``, the page of the print CSS; ``contact``: the site's contact lines
        (default: blank lines to write them in).

        Raises:
            ExpandOptionError: an unknown language or paper, or an empty contact line.
        """
        from ..export import render_html

        return render_html(self, lang=lang, blinded=blinded, paper=paper,
                           contact=contact)

    def to_diary(self, *, lang: str = "en", blinded: bool | None = None, paper: str = "a4",
                 contact: Sequence[str] = ()) -> str:
        """The participant's dosing diary as one HTML page: a line per dose to tick, by
        study week, with the drugs' instructions (``missed_dose``...), clinic visits and a
        page for other medicines. Options and errors as in :meth:`to_html`."""
        from ..export import render_diary

        return render_diary(self, lang=lang, blinded=blinded, paper=paper,
                            contact=contact)

    def to_pdf(self, *, sheet: str = "handout", lang: str = "en", blinded: bool | None = None,
               paper: str = "a4", contact: Sequence[str] = (),
               stamp: datetime | None = None) -> bytes:
        """The handout (``sheet="handout"``) or diary (``"diary"``) as PDF, laid out with
        fpdf2 (``pip install 'regimens[pdf]'``). ``stamp`` (aware): the creation date
        written (none without it). Other options as in :meth:`to_html`.

        Raises:
            ExpandOptionError: fpdf2 missing, an unknown sheet, or as :meth:`to_html`.
        """
        from ..export import render_pdf

        return render_pdf(self, sheet=sheet, lang=lang, blinded=blinded, paper=paper,
                          contact=contact, stamp=stamp)

    def to_calendar(self, *, blinded: bool | None = None) -> str:
        """Month grids. ``blinded`` as in :meth:`to_ics`: by default the arm is not
        named when the schedule has administrations in a blinded period."""
        from ..export import render_calendar

        return render_calendar(self, blinded=blinded)


class _FromColumns:
    """``Schedule.administrations`` of a schedule the engine built in bulk
    (:func:`lazy_schedule`): made from its columns on first access and kept in the
    instance, whose own value then answers every later access at plain-attribute speed.

    A non-data descriptor: a schedule made by ``Schedule(...)`` (or ``replace``) holds
    its ``administrations`` in its instance dictionary, which takes precedence.
    """

    def __get__(self, obj: Schedule | None, owner: type | None = None) -> Any:
        if obj is None:
            raise AttributeError("administrations")  # a field, as on any dataclass
        rows = obj.__dict__["_columns"].rows()
        obj.__dict__["administrations"] = rows
        return rows


# After the dataclass is made: its field keeps no default, its __init__ stays as it is.
setattr(Schedule, "administrations", _FromColumns())  # noqa: B010 (mypy: the field's type)


def lazy_schedule(columns: AdministrationColumns, **values: Any) -> Schedule:
    """A :class:`Schedule` with every field in ``values`` but ``administrations``, which
    are made from ``columns`` when first read (the engine's bulk path)."""
    schedule = Schedule(administrations=(), **values)
    del schedule.__dict__["administrations"]
    schedule.__dict__["_columns"] = columns
    return schedule


def columns_of(schedule: Schedule) -> AdministrationColumns | None:
    """The columns ``schedule`` was built from in bulk, or None (built row by row, or
    made by ``Schedule(...)`` or ``replace``, whose administrations may be anything)."""
    found: AdministrationColumns | None = schedule.__dict__.get("_columns")
    return found
