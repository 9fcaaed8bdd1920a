"""Reading what a course gives: its dose or daily dose, its dose steps and its dose levels."""

from __future__ import annotations

from decimal import Decimal, localcontext

from ..errors import UnitError
from ..model import AdministrationStep, CycleStep, DayStep, Dose, DoseLevel, Step
from ..quantities import EXACT, Amount, Basis, normal, parse_dose_quantity
from ._doses import _PERCENT, DOSE_OPTIONS, read_dose
from ._fail import fail, unit_fail
from ._source import Cursor
from ._timing import read_days

__all__ = [
    "read_course_dose",
    "read_levels",
    "read_steps",
]


def read_levels(cur: Cursor, dose: Dose | None, steps: tuple[Step, ...]) -> tuple[DoseLevel, ...]:
    """The dose levels at ``cur`` (a mapping level -> '80%' or a dose), checked against the
    course's dose or steps."""
    levels: list[DoseLevel] = []
    seen: dict[int, str] = {}
    for key in cur.value:
        at = cur.at(key)
        number = int(key)
        if number in seen:
            raise fail(at, f"dose level {number} is given twice (also as {seen[number]!r})",
                       code="duplicate-level")
        seen[number] = key
        text = at.value
        match = _PERCENT.match(text)
        if match is not None:
            percent = Decimal(match["num"])
            if not 0 < percent <= 1000:
                raise fail(at, "a percentage above 0% and at most 1000%", code="bad-level")
            levels.append(DoseLevel(number, percent=percent))
            continue
        if dose is None and not steps:
            raise fail(at, "dose levels need a dose: a placebo or unspecified dose has none to "
                       "change", code="levels-without-dose")
        if steps:
            raise fail(at, f"dose level {number}: a course with steps takes dose levels as "
                       "percentages only (an absolute dose would replace every step alike)",
                       code="absolute-level-with-steps")
        assert dose is not None
        if dose.bands:
            raise fail(at, f"dose level {number}: a banded dose takes dose levels as "
                       "percentages only (an absolute dose would replace every band alike)",
                       code="absolute-level-with-bands")
        try:
            quantity = parse_dose_quantity(text)
        except UnitError as exc:
            raise unit_fail(at, exc) from None
        if (quantity.basis, quantity.amount.unit.dimension) != (
                dose.basis, dose.quantity.amount.unit.dimension):
            raise fail(at, f"dose level {number} must be in the basis and dimension of the "
                       f"dose ({dose.quantity})", code="level-basis-mismatch")
        levels.append(DoseLevel(number, quantity=quantity))
    if not levels and dose is None and not steps:
        return ()
    if dose is None and not steps:
        raise fail(cur, "dose levels need a dose: a placebo or unspecified dose has none to "
                   "change", show=False, code="levels-without-dose")
    return tuple(levels)


def read_course_dose(cur: Cursor, bsa_max: Decimal | None = None, *,
                     equivalence: tuple[Amount, Amount] | None = None
                     ) -> tuple[Dose | None, tuple[Step, ...], bool, str]:
    raw = cur.value
    placebo = raw.get("placebo", False)
    note = raw.get("dose_note", "")
    if "daily_dose" in raw or "divided" in raw:
        return _read_daily_dose(cur, bsa_max, equivalence), (), False, note
    has_dose = "dose" in raw
    limits = [k for k in DOSE_OPTIONS if k in raw]
    if limits and (not has_dose or raw["dose"] == "unspecified"):
        where = ("on each step" if "steps" in raw else "with a computed dose")
        raise fail(cur.at(limits[0]), f"{limits[0]} applies to a computed dose: give it "
                    f"{where}", code="limit-without-dose")
    if has_dose and raw["dose"] == "unspecified":
        if not note:
            raise fail(cur.at("dose"), "an unspecified dose needs a dose_note saying why "
                        "(e.g. 'titrated to trough level')", code="unspecified-dose-without-note")
        if placebo or "steps" in raw:
            raise fail(cur.at("dose"), "an unspecified dose has no placebo or steps",
                       code="unspecified-dose-with-steps")
        return None, (), False, note
    if placebo:
        if has_dose or "steps" in raw:
            key = "dose" if has_dose else "steps"
            raise fail(cur.at(key), "a placebo course has no active dose: remove it",
                       code="placebo-with-dose")
        return None, (), True, note
    if has_dose and "steps" in raw:
        raise fail(cur.at("steps"), "give either dose or steps, not both",
                   show=False, code="dose-and-steps")
    if has_dose:
        return read_dose(cur, bsa_max, equivalence=equivalence), (), False, note
    if "steps" in raw:
        return None, read_steps(cur.at("steps"), bsa_max, len(raw.get("times") or []),
                                equivalence=equivalence), False, note
    raise fail(cur, "a course needs a dose, steps, 'placebo: true' or 'dose: unspecified' "
                "with a dose_note", show=False, code="missing-dose")


def _read_daily_dose(cur: Cursor, bsa_max: Decimal | None,
                     equivalence: tuple[Amount, Amount] | None = None) -> Dose:
    """A divided daily dose: ``daily_dose`` in as many equal parts as ``times`` lists
    (``divided``, if given, must say the same number: each part is an administration)."""
    raw = cur.value
    if "daily_dose" not in raw:
        raise fail(cur.at("divided"), "divided goes with daily_dose ('daily_dose: 40 mg/m2')",
                   code="divided-without-daily-dose")
    for key in ("dose", "steps", "placebo"):
        if key in raw:
            raise fail(cur.at(key), f"give either daily_dose or {key}, not both",
                       code="daily-dose-and-dose")
    times = raw.get("times") or []
    if len(times) < 2:
        raise fail(cur.at("daily_dose"), "a daily_dose is divided among the times of day: "
                   "list them ('times: [\"08:00\", \"20:00\"]', two or more), one per "
                   "administration", code="daily-dose-without-times")
    if "divided" in raw and raw["divided"] != len(times):
        raise fail(cur.at("divided"), f"must equal the number of times of day "
                   f"({len(times)})", code="divided-not-times")
    return _divided_dose(cur, bsa_max, len(times), equivalence)


def _divided_dose(cur: Cursor, bsa_max: Decimal | None, parts: int,
                  equivalence: tuple[Amount, Amount] | None = None) -> Dose:
    """The ``daily_dose`` at ``cur`` (a course or a step) in ``parts`` administrations."""
    dose = read_dose(cur, bsa_max, divided=parts, key="daily_dose", equivalence=equivalence)
    # A flat daily dose is known now: one that does not split into equal exact parts
    # is refused here, with its line, rather than at every expansion (per-kg and per-m2
    # daily doses depend on the participant and are checked when computed).
    if dose.round is None and dose.basis is Basis.FLAT and dose.quantity is not None:
        whole = dose.quantity.amount.magnitude
        with localcontext(EXACT):
            exact = normal(whole / parts) * parts == whole
        if not exact:
            symbol = dose.quantity.amount.unit.symbol
            raise fail(cur.at("daily_dose"), f"does not divide exactly into {parts} "
                       f"administrations; give 'round' (e.g. 'round: 1 {symbol}') to round "
                       "each administration", code="daily-dose-not-divisible")
    return dose


def _step_dose(step: Cursor, bsa_max: Decimal | None, times: int,
               equivalence: tuple[Amount, Amount] | None = None) -> Dose:
    """A step's dose: ``dose`` (text or bands) or ``daily_dose``, divided among the
    course's ``times`` of day like a course's daily dose."""
    raw = step.value
    if ("dose" in raw) == ("daily_dose" in raw):
        raise fail(step, "a step gives its dose: one of dose (each administration's) or "
                   "daily_dose (the day's, divided among the course's times)", show=False,
                   code="step-needs-one-dose")
    if "dose" in raw:
        return read_dose(step, bsa_max, equivalence=equivalence)
    if times < 2:
        raise fail(step.at("daily_dose"), "a daily_dose is divided among the course's times "
                   "of day: list them on the course ('times: [\"08:00\", \"20:00\"]', two "
                   "or more), one per administration", code="daily-dose-without-times")
    return _divided_dose(step, bsa_max, times, equivalence)


def read_steps(cur: Cursor, bsa_max: Decimal | None = None, times: int = 0, *,
               equivalence: tuple[Amount, Amount] | None = None) -> tuple[Step, ...]:
    """The steps at ``cur``; ``times``: how many times of day the course lists (a step's
    ``daily_dose`` is divided among them)."""
    steps: list[Step] = []
    kinds: set[str] = set()
    last = len(cur.value) - 1
    for number, step in cur.items():
        raw = step.value
        present = [k for k in ("cycles", "administrations", "days") if k in raw]
        if not present and number == last and last > 0:
            # Open-ended: the last step lasts until the course ends; it counts what the
            # earlier steps count (checked below with the kinds).
            steps.append(_open_step(cur, step, bsa_max, times, equivalence))
            continue
        if len(present) != 1:
            found = f" (found {', '.join(present)})" if present else ""
            raise fail(step, "a step has exactly one of cycles, administrations or days"
                        + found, show=False, code="step-needs-one-count")
        kind = present[0]
        kinds.add(kind)
        dose = _step_dose(step, bsa_max, times, equivalence)
        if kind == "cycles":
            steps.append(CycleStep(dose, raw["cycles"]))
        elif kind == "administrations":
            steps.append(AdministrationStep(dose, raw["administrations"]))
        else:
            steps.append(DayStep(dose, read_days(step.at("days"))))
    if len(kinds) > 1:
        raise fail(cur, "all steps of a course count the same thing (cycles, "
                    "administrations or days)", show=False, code="mixed-step-kinds")
    bases = {s.dose.basis for s in steps}
    units = {s.dose.quantity.amount.unit.dimension for s in steps}
    if len(bases) > 1 or len(units) > 1:
        raise fail(cur, "all steps of a course use the same dose basis and dimension",
                    show=False, code="mixed-step-doses")
    if len({s.dose.divided is None for s in steps}) > 1:
        # Each step's amount per administration must read the same way: a dose per
        # administration in one step and per day in the next is an easy slip.
        raise fail(cur, "all steps of a course give either dose (each administration's) or "
                   "daily_dose (the day's), not some of each", show=False,
                   code="mixed-step-doses")
    return tuple(steps)


def _open_step(cur: Cursor, step: Cursor, bsa_max: Decimal | None, times: int,
               equivalence: tuple[Amount, Amount] | None = None) -> Step:
    """The open-ended last step: cycles or administrations as the step before it counts
    (its dose takes the regimen's ``bsa_max`` like every other step's)."""
    before = cur.value[-2]
    dose = _step_dose(step, bsa_max, times, equivalence)
    if "cycles" in before:
        return CycleStep(dose, None)
    if "administrations" in before:
        return AdministrationStep(dose, None)
    raise fail(step, "an open-ended last step (no cycles or administrations) continues steps "
               "by cycles or by administrations; steps by days list their days",
               show=False, code="open-step-after-days")
