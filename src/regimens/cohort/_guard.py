"""What the batch API knows how to expand, and the refusal of anything else.

The batch API lays a regimen out once per group of participants who share an
arm, the period lengths chosen and, for weekday patterns, the weekday of Study
Day 1, and broadcasts that template over the group's start dates. That is
exact only while a layout depends on nothing else: not on the calendar month,
not on a participant's dose level or kidney function. The format grows
(first cycles, calendar months, dose levels, AUC dosing are being added), and a
construct the batch API has not been taught could silently give every
participant the first member's rows. So the regimen's records are walked
before anything is expanded, and every record type and every field must be one
listed here, or hold its default value; otherwise the regimen is refused, with
the construct named, rather than expanded wrongly.
"""

from __future__ import annotations

import dataclasses
import enum
from datetime import date, time
from decimal import Decimal
from typing import Any

from ..errors import ExpandOptionError
from ..model import DaysPattern, Regimen
from ..quantities import Basis

__all__ = ["check_supported", "refuse_days_before_day_one", "unsupported"]

#: Record type -> the fields the batch API's templates are known to handle. Fields not
#: listed are new constructs: allowed only at their default value.
KNOWN: dict[str, frozenset[str]] = {
    "Regimen": frozenset({"id", "title", "drugs", "arms", "periods", "visits", "expect",
                          "day_one", "registry", "version", "sources", "notes", "format",
                          "origin", "sha256",
                          # Day 0 numbering: the template's offsets are days from the start
                          # either way, and its study_day column carries the numbering.
                          "day_zero",
                          # The record policy: read only when a record is replayed, which
                          # the batch API does not do; it changes no planned row.
                          "policy"}),
    # Handout texts and vial sizes: not in the cohort's rows.
    "Drug": frozenset({"id", "name", "route", "notes", "missed_dose", "vomited_dose", "food",
                       "storage", "clinic_day", "clinic", "vials", "kind",
                       # The cumulative limit: Regimen.expand warns when a participant's
                       # plan crosses it, and so does the batch (_cumulative).
                       "max_cumulative"}),
    "Arm": frozenset({"id", "label", "periods", "day_one", "notes"}),
    "Period": frozenset({"id", "length", "courses", "blinded", "label", "notes"}),
    "LengthRange": frozenset({"shortest", "longest"}),
    "Duration": frozenset({"days"}),
    "Course": frozenset({"drug", "pattern", "dose", "steps", "placebo", "dose_note", "arms",
                         "start", "span", "cycle", "cycles", "times", "route", "label",
                         "not_on", "no_same_day", "notes", "where", "first_cycle",
                         # Descriptive: not in the cohort's columns, no effect on its rows.
                         "id", "duration", "method",
                         # Used by a site calendar only (expand(calendar=...)), which the
                         # batch API does not take: without one they move nothing.
                         "clinic", "window", "min_interval",
                         # The record policy: as the regimen's.
                         "policy",
                         # Dose levels: the batch API expands level 0 (the dose as
                         # written), as Regimen.expand does when no level is asked.
                         "levels"}),
    "Policy": frozenset({"on_delay", "max_delay", "missed", "re_escalate",
                         "redose_weight_change"}),
    "Elapsed": frozenset({"minutes"}),
    "DaysPattern": frozenset({"days"}),
    "EveryPattern": frozenset({"every", "count"}),
    # Counted weekdays depend on the start's weekday only: grouped by it, like weekdays.
    "WeekdaysPattern": frozenset({"weekdays", "count"}),
    "DailyPattern": frozenset(),
    # weight (other than actual) and the AUC fields are refused first by the engine's
    # refuse_unsupported, with its own message (so are divided, a divided daily dose, and
    # standard, rounding to standard doses);
    # bsa_max is applied by dose_amount.
    "Dose": frozenset({"quantity", "max", "round", "rounding", "weight", "bsa_max",
                       "gfr_max", "creatinine_min", "crcl_weight", "divided", "standard",
                       # Where the dose is written: names it in a DoseError.
                       "where"}),
    "DoseQuantity": frozenset({"amount", "basis"}),
    # A dose level other than 0: declared, never applied by the batch API (see levels).
    "DoseLevel": frozenset({"level", "percent", "quantity"}),
    "Amount": frozenset({"magnitude", "unit"}),
    "CycleStep": frozenset({"dose", "cycles"}),
    "AdministrationStep": frozenset({"dose", "administrations"}),
    "DayStep": frozenset({"dose", "days"}),
    "Visit": frozenset({"id", "anchor", "window", "label", "arms", "week", "notes"}),
    "StudyDayAnchor": frozenset({"day"}),
    "PeriodAnchor": frozenset({"period", "at", "day"}),
    # Visits come from each template's own schedule: any anchor that depends on the
    # layout only (not on the calendar) is exact.
    "AfterLastAnchor": frozenset({"drug", "offset"}),
    "CourseAnchor": frozenset({"course", "cycle", "day"}),
    "RepeatAnchor": frozenset({"period", "every"}),
    "Window": frozenset({"before", "after"}),
}

#: Fields not walked: they do not enter a schedule (expectations are for ``check``).
_SKIPPED = frozenset({"expect", "sources", "where", "origin"})

#: How doses may scale: the batch API computes per-kg and per-m2 doses itself.
KNOWN_BASES = frozenset({Basis.FLAT, Basis.PER_KG, Basis.PER_M2})


#: Plain values inside the records: nothing to walk.
_LEAVES = (str, int, float, Decimal, enum.Enum, time, date, type(None))


#: Enumerations whose every member the templates handle (Rounding: dose_amount's own).
KNOWN_ENUMS = frozenset({"Basis", "Rounding", "WeightBasis", "DrugKind"})


class _Refusal(ExpandOptionError):
    """The guard's refusal, with the construct and its place kept apart."""

    def __init__(self, path: str, what: str, reason: str) -> None:
        super().__init__("regimen", reason)
        self.path = path
        self.what = what


def _refuse(path: str, what: str) -> ExpandOptionError:
    return _Refusal(path, what, f"the batch API cannot expand {what} yet (at {path}); "
                    "expand these participants one by one with Regimen.expand")


def _is_default(field: dataclasses.Field[Any], value: Any) -> bool:
    if field.default is not dataclasses.MISSING:
        return bool(value == field.default)
    if field.default_factory is not dataclasses.MISSING:
        return bool(value == field.default_factory())
    return False  # a required field the templates do not know


def _walk(value: Any, path: str) -> None:
    if isinstance(value, (tuple, list)):
        for i, item in enumerate(value):
            _walk(item, f"{path}[{i}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _walk(item, f"{path}.{key}")
        return
    if isinstance(value, Basis) and value not in KNOWN_BASES:
        raise _refuse(path, f"a dose {value.value}")
    if isinstance(value, enum.Enum) and type(value).__name__ not in KNOWN_ENUMS:
        raise _refuse(path, f"a {type(value).__name__}")
    if isinstance(value, _LEAVES):
        return
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        raise _refuse(path, f"a {type(value).__name__}")
    kind = type(value).__name__
    if kind == "Unit":
        return  # a unit of measure: converted by the engine's own arithmetic
    known = KNOWN.get(kind)
    if known is None:
        raise _refuse(path, f"a {kind}")
    for field in dataclasses.fields(value):
        if field.name in _SKIPPED:
            continue
        item = getattr(value, field.name)
        if field.name not in known:
            if not _is_default(field, item):
                raise _refuse(f"{path}.{field.name}", f"'{field.name}' ({kind})")
            continue
        _walk(item, f"{path}.{field.name}")


def check_supported(regimen: Regimen) -> None:
    """Refuse a regimen using a construct the batch API's templates do not handle.

    Raises:
        ExpandOptionError: ``option == "regimen"``; the message names the construct and
            where it is (``periods[1].courses[0].first_cycle``).
    """
    for field in dataclasses.fields(regimen):
        if field.name in ("drugs", "arms", "periods", "visits"):
            _walk(getattr(regimen, field.name), field.name)
    _walk_top(regimen)


def unsupported(regimen: Regimen) -> tuple[str, str] | None:
    """The first construct of ``regimen`` the batch API cannot expand, or None.

    Returns ``(path, what)``: ``path`` is the place in the regimen's records
    (``drugs[0].max_cumulative``, ``periods[1].courses[0].first_cycle``: indices
    into ``Regimen.drugs``, ``arms``, ``periods``, ``visits``), ``what`` the
    construct (``'times' (Course)``, ``a HoursPattern``), so that a caller holding the
    regimen's file can put its line in front (``regimens supply`` does).
    """
    try:
        check_supported(regimen)
    except _Refusal as exc:
        return exc.path, exc.what
    return None


def _walk_top(regimen: Regimen) -> None:
    """The regimen's own fields, other than its parts (walked by check_supported)."""
    known = KNOWN["Regimen"]
    for field in dataclasses.fields(regimen):
        if field.name not in known and not _is_default(field, getattr(regimen, field.name)):
            raise _refuse(field.name, f"'{field.name}' (Regimen)")


def refuse_days_before_day_one(regimen: Regimen, arm: str) -> None:
    """Cycle days before day 1 (``days: [-1, 1]``) have no column value of their own.

    The ``cycle_day`` column uses -1 for "no cycle", so a premedication on cycle day
    -1 would read as a course without cycles: refused rather than shown wrongly.
    """
    for period in regimen.path(arm):
        for index, course in enumerate(period.courses):
            if (course.arms is None or arm in course.arms) and isinstance(
                    course.pattern, DaysPattern) and course.pattern.days[0] < 0:
                raise ExpandOptionError(
                    "arm", f"the batch API cannot give cycle days before day 1 (period "
                    f"{period.id!r}, course {index}, days {list(course.pattern.days)}): its "
                    "cycle_day column uses -1 for a course without cycles; expand these "
                    "participants one by one with Regimen.expand", arm)
