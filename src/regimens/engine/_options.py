"""Options of an expansion, read and checked once for every caller.

The single-participant engine (:func:`resolve`) and the batch API
(:mod:`regimens.cohort`) both read a participant's start, time zone, BSA
formula, arm and period lengths through these functions, so a rule and its
message live in one place.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

from ..errors import ExpandOptionError, ExpandOptionTypeError, UnitError
from ..model import MONTHS_NOT_CHOSEN, Course, Regimen, lookalike_text
from ..quantities import BSAFormula, Duration

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

__all__ = ["check_arm", "check_bsa_decimals", "parse_formula", "parse_lengths", "parse_levels",
           "parse_start", "parse_zone"]


def parse_start(start: date | str, option: str = "start") -> date:
    """Study Day 1: a :class:`~datetime.date` or ISO text ``YYYY-MM-DD`` (spaces around allowed).

    ``option`` names the input in the error (``"starts[3]"`` for the batch API).

    Raises:
        ExpandOptionError: a date and time, or anything that is not a calendar date.
    """
    if isinstance(start, datetime):
        raise ExpandOptionTypeError(option, "the start is a calendar date, not a date and "
                                    "time", start.isoformat())
    if isinstance(start, date):
        return start
    if isinstance(start, str):
        try:
            return date.fromisoformat(start.strip())
        except ValueError:
            pass
    error = ExpandOptionError if isinstance(start, str) else ExpandOptionTypeError
    raise error(option, "not a calendar date; write YYYY-MM-DD, e.g. 2027-01-04", start)


@functools.cache
def _zone_names() -> frozenset[str]:
    from zoneinfo import available_timezones

    return frozenset(available_timezones())


def parse_zone(tz: str | tzinfo | None) -> ZoneInfo | None:
    """The time zone ``tz`` names: an IANA name (``"Europe/Paris"``), or a
    :class:`zoneinfo.ZoneInfo` made from one (taken by its key, so that the schedule, its
    outputs and its pickles name the zone exactly as a name given would); None: none.

    Raises:
        ExpandOptionTypeError: another tzinfo (``datetime.timezone.utc``, a fixed
            offset, a ZoneInfo read from a file, which has no name) or a value that is
            neither text nor a tzinfo.
        ExpandOptionError: a name that is not an IANA zone (``localtime``, a file path,
            ``UTC+02:00``).
    """
    if tz is None:
        return None
    if isinstance(tz, tzinfo):
        key = getattr(tz, "key", None) if _is_zoneinfo(tz) else None
        if not isinstance(key, str):
            # A fixed offset has no daylight-saving rules: a clinic's times would be wrong
            # for half the year, so the zone is asked for by its name. Shown as Python
            # spells it: its text ("UTC") would read as a zone name given.
            raise ExpandOptionTypeError(
                "tz", "a time zone is an IANA name (str) such as 'Europe/Paris', or a "
                "zoneinfo.ZoneInfo made from one; another tzinfo (datetime.timezone.utc, a "
                "fixed offset, a ZoneInfo without a key) is not a time zone: give the "
                "zone's name ('UTC'; the site's zone, such as 'Europe/Paris')", repr(tz))
        tz = key
    elif not isinstance(tz, str):
        raise ExpandOptionTypeError(
            "tz", "a time zone is an IANA name (str) such as 'Europe/Paris', or a "
            "zoneinfo.ZoneInfo made from one", tz)
    # Only IANA names: "localtime" or a file path would read the machine's zone.
    if tz not in _zone_names() or tz == "localtime":
        raise ExpandOptionError(
            "tz", "unknown time zone; give an IANA name such as Europe/Paris or America/New_York "
            "(fixed offsets like UTC+02:00 are not time zones)", tz)
    # Imported here: zoneinfo (with sysconfig, which it reads for the zone database's
    # path) costs a cold start about 2 ms, and most regimens have no time zone.
    from zoneinfo import ZoneInfo

    return ZoneInfo(tz)


def _is_zoneinfo(tz: tzinfo) -> bool:
    """Whether ``tz`` is a :class:`zoneinfo.ZoneInfo` (without importing zoneinfo for a
    name given as text)."""
    return type(tz).__module__ == "zoneinfo" and type(tz).__name__ == "ZoneInfo"


def parse_formula(formula: BSAFormula | str | None) -> BSAFormula:
    if formula is None:
        return BSAFormula.MOSTELLER
    if isinstance(formula, BSAFormula):
        return formula
    if not isinstance(formula, str):
        allowed = ", ".join(f.value for f in BSAFormula)
        raise ExpandOptionTypeError("bsa_formula", f"a BSAFormula or its name: {allowed}",
                                    formula)
    try:
        return BSAFormula(str(formula).strip().lower().replace("_", "-"))
    except ValueError:
        allowed = ", ".join(f.value for f in BSAFormula)
        raise ExpandOptionError("bsa_formula", f"unknown formula; allowed: {allowed}",
                                formula) from None


def check_arm(regimen: Regimen, arm: str) -> None:
    """Raise :class:`ExpandOptionError` unless ``arm`` is one of the regimen's arm ids
    (:class:`ExpandOptionTypeError` when it is not text)."""
    arm_ids = [a.id for a in regimen.arms]
    if not isinstance(arm, str):
        # None or a number is no arm "not found": the argument is of the wrong kind.
        raise ExpandOptionTypeError("arm", f"an arm id (text), one of: {', '.join(arm_ids)}",
                                    arm)
    if arm not in arm_ids:
        raise ExpandOptionError("arm", f"no such arm in {regimen.id!r}; "
                                f"{lookalike_text(arm, arm_ids)}arms: {', '.join(arm_ids)}",
                                arm)


def check_bsa_decimals(bsa_decimals: object) -> int:
    """Decimals of a rounded BSA: a whole number from 1 to 6, returned as given."""
    # 0 decimals would round a body surface area to whole m² (0.29 m² to 0, 0.65 to 1).
    if not isinstance(bsa_decimals, int) or isinstance(bsa_decimals, bool) or not (
        1 <= bsa_decimals <= 6
    ):
        raise ExpandOptionError("bsa_decimals", "a whole number from 1 to 6", bsa_decimals)
    return bsa_decimals


def parse_lengths(regimen: Regimen, arm: str,
                  lengths: Mapping[str, str | Duration] | None) -> dict[str, Duration]:
    """Chosen lengths of variable periods on ``arm``'s path: period id -> "N weeks" (or a
    :class:`Duration`).

    Raises:
        ExpandOptionError: a period not on the arm's path, unreadable text, or a
            length outside the period's declared range.
        ExpandOptionTypeError: a length that is neither text nor a Duration.
    """
    on_path = {p.id: p for p in regimen.path(arm)}
    chosen: dict[str, Duration] = {}
    for period_id, text in (lengths or {}).items():
        if period_id not in on_path:
            raise ExpandOptionError(
                "lengths", f"arm {arm!r} has no period {period_id!r} "
                f"({lookalike_text(period_id, on_path)}its periods: {', '.join(on_path)})",
                period_id)
        allowed = on_path[period_id].length
        if allowed.months is not None:
            raise ExpandOptionError(f"lengths.{period_id}", MONTHS_NOT_CHOSEN.format(allowed),
                                    text)
        if isinstance(text, Duration):
            length = text  # whole days, exact: checked against the range as text is
        elif not isinstance(text, str):
            raise ExpandOptionTypeError(f"lengths.{period_id}", "a length is text with its "
                                        "unit, e.g. '15 weeks' or '28 days' (or a Duration)",
                                        text)
        else:
            try:
                # 0 days only for a range that starts at 0 (an optional gap left out).
                length = Duration.parse(text, allow_zero=not allowed.shortest.days)
            except UnitError as exc:
                raise ExpandOptionError(f"lengths.{period_id}",
                                        f"{exc.reason}; {exc.allowed}", text) from None
        if length not in allowed:
            raise ExpandOptionError(
                f"lengths.{period_id}",
                f"must be within {allowed} ({allowed.shortest.days}-{allowed.longest.days} days)"
                if not allowed.fixed else f"this period has a fixed length of {allowed}",
                text)
        chosen[period_id] = length
    return chosen


def _has_dose(course: Course) -> bool:
    return not course.placebo and (course.dose is not None or bool(course.steps))


def _arms(course: Course) -> str:
    if course.arms is None:
        return "every arm"
    return ("arm " if len(course.arms) == 1 else "arms ") + ", ".join(course.arms)


def parse_levels(regimen: Regimen, arm: str, levels: Mapping[str, int] | None) -> dict[str, int]:
    """Dose levels chosen per drug (drug id -> level, e.g. ``{"carbo": -1}``), checked.

    Level 0 is the written dose. Any other level must be declared (``levels:``) by every
    course of the drug on ``arm`` that has a dose (placebo and unspecified courses keep
    theirs), and, in a blinded period of the arm's path, by every arm's course of the
    drug there that has a dose: the level is chosen without knowing the arm, so it is
    accepted or refused alike on every arm (a placebo's doses stay placebo; docs/cli.md,
    ``--level``).

    Raises:
        ExpandOptionError: an unknown drug, a level that is not a whole number, or a level
            a course of the drug does not declare (field ``levels.DRUG``).
    """
    chosen: dict[str, int] = {}
    known = [d.id for d in regimen.drugs]
    for drug, level in (levels or {}).items():
        if drug not in known:
            raise ExpandOptionError("levels", f"no drug has this id ({lookalike_text(drug, known)}"
                                    f"drugs: {', '.join(known)})", drug)
        if isinstance(level, bool) or not isinstance(level, int):
            raise ExpandOptionError(f"levels.{drug}", "a dose level is a whole number, e.g. -1",
                                    level)
        path = regimen.path(arm)
        mine = [(p, c) for p in path for c in p.courses
                if c.drug == drug and (c.arms is None or arm in c.arms)]
        # First every arm's courses of a blinded period the arm goes through with the drug
        # (the same on every arm, so is the refusal), then the arm's own.
        blinded = [(p, c) for p in dict.fromkeys(p for p, _ in mine if p.blinded)
                   for c in p.courses if c.drug == drug and _has_dose(c)]
        courses = [(p, c) for p, c in mine if _has_dose(c)]
        if not courses and not blinded and level != 0:
            raise ExpandOptionError(f"levels.{drug}", f"arm {arm!r} gives no dose of this drug "
                                    "to change", level)
        for period, course in [*blinded, *courses]:
            declared = [x.level for x in course.levels]
            if level != 0 and level not in declared:
                listed = ", ".join(str(n) for n in sorted(declared, reverse=True))
                every = (f" by every arm's course of blinded period {period.id} (the level "
                         "is chosen without knowing the arm: it must be one of every arm's "
                         f"course there; {_arms(course)}: declared 0"
                         f"{', ' + listed if listed else ''})"
                         if period.blinded and any(o is course for _, o in blinded)
                         else f" (declared: 0{', ' + listed if listed else ''})")
                raise ExpandOptionError(
                    f"levels.{drug}", f"dose level {level} is not declared for {drug}"
                    f"{every}; undeclared levels are refused, never guessed", level)
        chosen[drug] = level
    return chosen
