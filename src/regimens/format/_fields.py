"""Reading one field of a regimen document into a model value.

Each reader takes a :class:`~regimens.format._source.Cursor` on the field and either
returns the value or raises :class:`Fail` carrying a located problem
(file, line, field path, offending value, what is allowed). Rules that
relate fields to each other (a day inside its cycle, one pattern per course)
are checked here where the field is read; cross-references between parts of
the document are checked by :mod:`regimens.format._build`.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import time
from decimal import Decimal, localcontext
from typing import Any

from ..errors import ParticipantError, Problem, UnitError
from ..model import (
    WEEKDAYS,
    AdministrationStep,
    BandBy,
    CycleStep,
    DailyPattern,
    DaysPattern,
    DayStep,
    Dose,
    DoseBand,
    DoseLevel,
    DoseRange,
    EveryPattern,
    HoursPattern,
    MonthsPattern,
    OutsideTolerance,
    Pattern,
    Policy,
    Rounding,
    StandardDoses,
    Step,
    WeekdaysPattern,
    WeightBasis,
    Window,
    band_edge_text,
    table_problem,
)
from ..quantities import (
    EXACT,
    MAX_DAYS,
    Amount,
    Basis,
    Dimension,
    DoseQuantity,
    Duration,
    Elapsed,
    LengthRange,
    Months,
    counted,
    form_part_problem,
    normal,
    parse_amount,
    parse_creatinine,
    parse_dose_quantity,
    parse_gfr,
    parse_measure,
    same_amount,
)
from ._source import Cursor

__all__ = [
    "Fail",
    "fail",
    "read_banded_dose",
    "read_course_dose",
    "read_days",
    "read_dose",
    "read_duration",
    "read_length",
    "read_levels",
    "read_max_cumulative",
    "read_measure_limit",
    "read_pattern",
    "read_policy",
    "read_steps",
    "read_times",
    "read_vials",
    "read_window",
    "unit_fail",
]

_RANGE = re.compile(r"\s*([0-9]+)\s*-\s*([0-9]+)\s*\Z")
_PATTERN_KEYS = ("days", "every", "weekdays", "daily")


class Fail(Exception):
    """One problem; stops reading the item it is found in."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def fail(cur: Cursor, message: str, value: Any = None, *, code: str, show: bool = True) -> Fail:
    """A located problem: ``code`` names the rule, ``value`` defaults to the value at ``cur``."""
    return Fail(cur.problem(message, code=code, value=value, show_value=show))


def unit_fail(cur: Cursor, exc: UnitError | ParticipantError) -> Fail:
    """The problem for a quantity that could not be read, told in the error's own words."""
    if isinstance(exc, UnitError):
        return fail(cur, str(exc), code="bad-quantity")
    return fail(cur, exc.reason, code="bad-measurement")


def read_length(cur: Cursor) -> LengthRange:
    try:
        if Months.match(cur.value):
            # Calendar months: the days follow from the date the period starts on.
            return LengthRange.of_months(Months.parse(cur.value))
        return LengthRange.parse(cur.value)
    except UnitError as exc:
        raise unit_fail(cur, exc) from None


def read_cycle(cur: Cursor) -> Duration | Months:
    """A cycle length: days or weeks, or calendar months (``1 month``)."""
    try:
        if Months.match(cur.value):
            return Months.parse(cur.value)
        return Duration.parse(cur.value)
    except UnitError as exc:
        raise unit_fail(cur, exc) from None


def read_duration(cur: Cursor, *, allow_zero: bool = False) -> Duration:
    try:
        return Duration.parse(cur.value, allow_zero=allow_zero)
    except UnitError as exc:
        raise unit_fail(cur, exc) from None


def read_window(cur: Cursor) -> Window:
    """A window: one length before and after (``1 day``), or ``{before: ..., after: ...}``."""
    raw = cur.value
    if isinstance(raw, str):
        both = read_duration(cur, allow_zero=True)
        return Window(both, both)
    zero = Duration(0)
    return Window(
        read_duration(cur.at("before"), allow_zero=True) if "before" in raw else zero,
        read_duration(cur.at("after"), allow_zero=True) if "after" in raw else zero,
    )


#: The keys of a dose that belong to one basis, with that basis.
_BASIS_KEYS = {"weight": Basis.PER_KG, "bsa_max": Basis.PER_M2, "gfr_max": Basis.AUC,
               "creatinine_min": Basis.AUC, "crcl_weight": Basis.AUC}
_BASIS_TEXT = {Basis.FLAT: "flat", Basis.PER_KG: "per-kg", Basis.PER_M2: "per-m2",
               Basis.AUC: "AUC"}
#: Every key of a course or step that only a computed dose takes.
DOSE_OPTIONS = ("max", "round", "rounding", *_BASIS_KEYS)


def read_measure_limit(cur: Cursor, key: str) -> Any:
    """A ``bsa_max`` (m2, Decimal), ``gfr_max`` (mL/min, Decimal) or ``creatinine_min``
    ((value, factor), value / factor in mg/dL) at ``cur``."""
    try:
        if key == "bsa_max":
            return parse_measure("bsa", cur.value)
        if key == "gfr_max":
            return parse_gfr(cur.value)
        return parse_creatinine(cur.value)
    except UnitError as exc:
        raise unit_fail(cur, exc) from None


def read_policy(cur: Cursor) -> Policy:
    """The record policy keys at ``cur`` (a course or the document's root; docs/record.md).

    The schema has checked their types and spellings; here ``max_delay`` and the
    ``redose`` percentage are read.
    """
    raw = cur.value
    max_delay = read_duration(cur.at("max_delay")) if "max_delay" in raw else None
    change = None
    if "redose" in raw:
        at = cur.at("redose").at("weight_change")
        match = _PERCENT.match(at.value)
        assert match is not None  # the schema's pattern
        change = Decimal(match["num"])
        if not 0 < change < 100:
            raise fail(at, "a weight change above 0% and below 100%", code="bad-percentage")
    return Policy(on_delay=raw.get("on_delay"), max_delay=max_delay, missed=raw.get("missed"),
                  re_escalate=raw.get("re_escalate"), redose_weight_change=change)


def read_max_cumulative(cur: Cursor) -> DoseQuantity:
    """A drug's ``max_cumulative``: flat, per kg or per m2, never a target AUC."""
    try:
        limit = parse_dose_quantity(cur.value)
    except UnitError as exc:
        raise unit_fail(cur, exc) from None
    if limit.basis is Basis.AUC:
        raise fail(cur, "a cumulative limit is an amount (flat, per kg or per m2), not a "
                   "target AUC", code="bad-quantity")
    return limit


_AGE_EDGE = re.compile(r"\s*(?P<num>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>years?|months?)\s*\Z")


def _band_edge(cur: Cursor, by: BandBy) -> Decimal:
    """A band edge at ``cur``: kg (weight), m2 (bsa) or whole months (age: '2 years' is 24,
    '18 months' is 18; a birth date gives the age in completed months)."""
    if by is BandBy.AGE:
        match = _AGE_EDGE.match(cur.value)
        months = None if match is None else Decimal(match["num"]) * (
            1 if match["unit"].startswith("month") else 12)
        if months is None or months % 1 or not months > 0:
            raise fail(cur, "an age band edge is a number of years or months that is a whole "
                       "number of months, e.g. '2 years' or '18 months'", code="bad-band")
        return months.normalize() if months % 1 == 0 else months
    try:
        return parse_measure(by.value, cur.value)
    except UnitError as exc:
        raise unit_fail(cur, exc) from None


def read_banded_dose(cur: Cursor) -> Dose:
    """The banded dose at ``cur`` (a course's ``dose`` mapping: ``by`` and ``bands``)."""
    raw = cur.value
    by = BandBy(raw["by"])
    bands: list[DoseBand] = []
    previous: Decimal | None = None
    first_start = Decimal(0)
    last = len(raw["bands"]) - 1
    dimension = None
    for i, band in cur.at("bands").items():
        value = band.value
        try:
            quantity = parse_dose_quantity(value["dose"])
        except UnitError as exc:
            raise unit_fail(band.at("dose"), exc) from None
        if quantity.basis is not Basis.FLAT:
            raise fail(band.at("dose"), "a band's dose is flat (e.g. '10 mg'): the band "
                       "already stands for the body size", code="bad-band")
        if dimension is None:
            dimension = quantity.amount.unit.dimension
        elif quantity.amount.unit.dimension is not dimension:
            raise fail(band.at("dose"), f"every band's dose is in one dimension "
                       f"({dimension.value})", code="bad-band")
        start = _band_edge(band.at("from"), by) if "from" in value else previous
        if i == 0 and start is not None:
            first_start = start
        elif i > 0 and start != previous:
            assert start is not None
            assert previous is not None
            gap = start > previous
            message = (f"{'bands leave a gap' if gap else 'bands overlap'}: this band starts at "
                       f"{band_edge_text(start, by)} but the band before it ends below "
                       f"{band_edge_text(previous, by)}; each band starts where the one "
                       "before it ends")
            if gap:
                raise fail(band.at("from"), message, code="band-gap")
            raise fail(band.at("from"), message, code="band-overlap")
        if "below" not in value:
            if i != last:
                raise fail(band, "only the last band is open (no below); give this band's "
                           "below", show=False, code="band-not-open")
            bands.append(DoseBand(None, quantity))
            continue
        below = _band_edge(band.at("below"), by)
        if i == last:
            raise fail(band.at("below"), "the last band is open: remove its below, so that "
                       "every body size has a band", code="band-not-open")
        low = first_start if i == 0 else previous
        assert low is not None
        if not below > low:
            raise fail(band.at("below"), f"bands are in increasing order: below must be "
                       f"above {band_edge_text(low, by)}, where this band starts",
                       code="bands-unordered")
        bands.append(DoseBand(below, quantity))
        previous = below
    return Dose(bands[0].dose, band_by=by, bands=tuple(bands), band_from=first_start,
                where=_where(cur))


def _standard_amount(cur: Cursor, dimension: Dimension) -> Amount:
    """An amount of a ``round:`` mapping (a band, a table edge or dose), in ``dimension``."""
    try:
        amount = parse_amount(cur.value, cur.path[-1] if isinstance(cur.path[-1], str)
                              else "band")
    except UnitError as exc:
        raise unit_fail(cur, exc) from None
    if amount.unit.dimension is not dimension:
        raise fail(cur, f"must be in the dose's dimension ({dimension.value})",
                   code="wrong-dimension")
    if not amount.magnitude > 0:
        raise fail(cur, "a standard dose is greater than 0", code="too-small")
    return amount


def _base(amount: Amount) -> Decimal:
    return amount.magnitude * amount.unit.factor


def read_standard(cur: Cursor, quantity: DoseQuantity, divided: int | None) -> StandardDoses:
    """Rounding to a standard dose: ``round:`` as a mapping with ``bands``, ``table`` or
    ``to_vial`` (docs/format.md, "Standard doses"); every rule checked here, with its line."""
    raw = cur.value
    kinds = [k for k in ("bands", "table", "to_vial") if k in raw]
    if len(kinds) != 1:
        raise fail(cur.at(kinds[1]) if kinds else cur, "give exactly one of bands, table or "
                   "to_vial", show=False, code="standard-dose-kind")
    kind = kinds[0]
    if quantity.basis is Basis.FLAT:
        raise fail(cur, "standard doses round a computed (per kg, per m2 or AUC) dose; this "
                   "dose is flat", show=False, code="limit-on-flat-dose")
    if divided is not None:
        raise fail(cur, "standard doses round a whole dose; each part of a divided daily dose "
                   "is rounded to a multiple ('round: 1 mg')", show=False,
                   code="standard-with-divided-dose")
    if kind == "to_vial" and raw["to_vial"] is not True:
        raise fail(cur.at("to_vial"), "to_vial: true rounds to whole vials (leave round out "
                   "not to round)", code="to-vial-false")
    if kind == "table" and "tolerance" in raw:
        raise fail(cur.at("tolerance"), "a dose-banding table's ranges are its tolerance: "
                   "remove tolerance", code="tolerance-with-table")
    tolerance = None
    if kind != "table":
        if "tolerance" not in raw:
            raise fail(cur, f"{kind} needs a tolerance: how far the standard dose may be "
                       "from the calculated one, as a percentage ('tolerance: 5%')",
                       show=False, code="standard-dose-without-tolerance")
        match = _PERCENT.match(str(raw["tolerance"]))
        tolerance = Decimal(match["num"]) if match is not None else None
        if tolerance is None or not 0 < tolerance <= 100:
            raise fail(cur.at("tolerance"), "a percentage above 0% and at most 100%, e.g. "
                       "'5%'", code="bad-tolerance")
    dimension = quantity.amount.unit.dimension
    bands: list[Amount] = []
    table: list[DoseRange] = []
    if kind == "bands":
        for _, at in cur.at("bands").items():
            amount = _standard_amount(at, dimension)
            if bands and not _base(amount) > _base(bands[-1]):
                raise fail(at, f"standard doses in increasing order, each once: this one "
                           f"is not above {bands[-1]}", code="bands-unordered")
            bands.append(amount)
    elif kind == "table":
        for _, row in cur.at("table").items():
            low = _standard_amount(row.at("from"), dimension)
            below = _standard_amount(row.at("below"), dimension)
            table.append(DoseRange(low, below, _standard_amount(row.at("dose"), dimension)))
            found = table_problem(tuple(table))
            if found is not None:
                raise fail(row.at(found.field), found.message, code=found.code)
    return StandardDoses(tuple(bands), tuple(table), kind == "to_vial", tolerance,
                         OutsideTolerance(raw.get("outside", "refuse")))


def read_dose(cur: Cursor, bsa_max: Decimal | None = None, *, divided: int | None = None,
              key: str = "dose", equivalence: tuple[Amount, Amount] | None = None) -> Dose:
    """The dose at ``cur`` (a course or a step); ``bsa_max``: the regimen's, for a per-m2
    dose that gives none of its own; ``divided``: a ``daily_dose`` (``key``) given in that
    many administrations a day; ``equivalence``: the drug's, which lets ``max`` and ``round``
    be in the other of USP units and international units."""
    raw = cur.value
    where = _where(cur.at(key))
    converted = False
    if isinstance(raw[key], dict):
        options = [k for k in DOSE_OPTIONS if k in raw]
        if options:
            raise fail(cur.at(options[0]), f"{options[0]} applies to a computed dose; a "
                       "banded dose takes its amount from its band", code="option-on-banded-dose")
        return read_banded_dose(cur.at("dose"))
    try:
        quantity = parse_dose_quantity(raw[key])
    except UnitError as exc:
        raise unit_fail(cur.at(key), exc) from None
    limits: dict[str, Amount] = {}
    standard = None
    if isinstance(raw.get("round"), dict):
        standard = read_standard(cur.at("round"), quantity, divided)
    for key in ("max", "round"):
        if key in raw and not (key == "round" and standard is not None):
            try:
                limits[key] = parse_amount(raw[key], key)
            except UnitError as exc:
                raise unit_fail(cur.at(key), exc) from None
            dimension = limits[key].unit.dimension
            if key == "round" and dimension.form and not quantity.amount.unit.dimension.form:
                # Whole or half tablets, by the drug's strength (checked with the drug).
                split = form_part_problem(limits[key])
                if split is not None:
                    raise fail(cur.at(key), split, code="form-not-split")
            elif equivalence is not None and {dimension, quantity.amount.unit.dimension} == {
                    a.unit.dimension for a in equivalence}:
                converted = True  # by the drug's sourced equivalence, stated when applied
            elif dimension is not quantity.amount.unit.dimension:
                raise fail(cur.at(key),
                            f"must be in the dose's dimension "
                            f"({quantity.amount.unit.dimension.value})", code="wrong-dimension")
    if "rounding" in raw and "round" not in raw:
        raise fail(cur.at("rounding"), "rounding goes with round ('round: 5 mg')",
                   code="rounding-without-round")
    if "rounding" in raw and standard is not None:
        raise fail(cur.at("rounding"), "rounding (up, down) goes with rounding to a multiple "
                   "('round: 5 mg'); standard doses take the nearest",
                   code="rounding-with-standard")
    flat_limits = [k for k in limits if not (k == "round" and divided is not None)]
    if quantity.basis is Basis.FLAT and flat_limits:
        # A flat daily dose's parts may be rounded (100 mg in 3: 33.5 mg each).
        key = flat_limits[0]
        raise fail(cur.at(key), f"{key} applies to computed (per kg or per m2) doses; "
                    "this dose is flat", code="limit-on-flat-dose")
    for key, owner in _BASIS_KEYS.items():
        if key in raw and quantity.basis is not owner:
            # On another basis the option would be silently ignored.
            raise fail(cur.at(key), f"{key} applies to {_BASIS_TEXT[owner]} doses; this dose "
                       f"is {_BASIS_TEXT[quantity.basis]}", code="option-for-other-basis")
    measured = {key: read_measure_limit(cur.at(key), key)
                for key in ("bsa_max", "gfr_max", "creatinine_min") if key in raw}
    if quantity.basis is Basis.PER_M2 and "bsa_max" not in measured and bsa_max is not None:
        measured["bsa_max"] = bsa_max
    if divided is not None and "max" in limits:
        # A cap could be meant for the day or for each administration: never guess.
        raise fail(cur.at("max"), "max is not allowed with a divided daily dose (it could mean "
                   "the day's or each administration's)", code="max-with-divided-dose")
    return Dose(quantity, limits.get("max"), limits.get("round"),
                Rounding(raw.get("rounding", "nearest")),
                weight=WeightBasis(raw.get("weight", "actual")),
                crcl_weight=WeightBasis(raw.get("crcl_weight", "actual")), divided=divided,
                where=where, equivalence=equivalence if converted else None,
                standard=standard, **measured)


def _where(cur: Cursor) -> tuple[str, int | None, tuple[str | int, ...]]:
    """The dose field at ``cur`` as a :class:`~regimens.model.Dose` locates itself."""
    return (cur.doc.name, cur.line, cur.path)


_PERCENT = re.compile(r"\s*(?P<num>[0-9]+(?:\.[0-9]+)?)\s*%\s*\Z")


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


def read_days(cur: Cursor) -> tuple[int, ...]:
    value = cur.value
    items = value if isinstance(value, list) else [value]
    days: list[int] = []
    for index, item in enumerate(items):
        at = cur.at(index) if isinstance(value, list) else cur
        if isinstance(item, int):
            days.append(item)
            continue
        match = _RANGE.match(item)
        assert match is not None  # the structure check saw the pattern
        if max(len(match[1].lstrip("0")), len(match[2].lstrip("0"))) > 6:
            raise fail(at, f"a day is at most {MAX_DAYS:,} (100 years)", code="day-too-large")
        first, last = int(match[1]), int(match[2])
        if last > MAX_DAYS:
            raise fail(at, f"a day is at most {MAX_DAYS:,} (100 years)", code="day-too-large")
        if first < 1:
            raise fail(at, "days count from 1: there is no day 0", code="day-zero")
        if first > last:
            raise fail(at, f"the range runs backwards ({first} is after {last})",
                       code="backwards-range")
        days.extend(range(first, last + 1))
    if len(set(days)) != len(days):
        dup = sorted(d for d, n in Counter(days).items() if n > 1)
        raise fail(cur, f"day {dup[0]} is listed more than once", code="duplicate-day")
    return tuple(sorted(days))


def read_pattern(
    cur: Cursor, window: int, where: str, steps: tuple[Step, ...]
) -> Pattern | None:
    raw = cur.value
    present = [k for k in _PATTERN_KEYS if k in raw]
    day_steps = [s for s in steps if isinstance(s, DayStep)]
    if "at" in raw and not _is_hours(raw.get("every")):
        raise fail(cur.at("at"), "'at' gives the first time of an interval in hours ('every: "
                   "8 hours, at: \"06:00\"'); other patterns give their times of day with "
                   "'times'", code="at-without-hours")
    if day_steps:
        if present:
            raise fail(cur.at(present[0]), "day steps are the course's pattern: remove this",
                       code="pattern-with-day-steps")
        seen: dict[int, int] = {}
        for index, step in enumerate(day_steps):
            for day in step.days:
                if day > window:
                    raise fail(cur.at("steps").at(index).at("days"),
                                f"day {day} is outside {where}", day, code="day-outside-cycle")
                if day in seen:
                    raise fail(cur.at("steps").at(index).at("days"),
                                f"day {day} is already in steps[{seen[day]}]: steps overlap",
                                day, code="overlapping-steps")
                seen[day] = index
        return None
    if len(present) != 1:
        if not present:
            raise fail(cur, "a course needs exactly one timing pattern: days, every, "
                        "weekdays or daily", show=False, code="missing-pattern")
        raise fail(cur.at(present[1]), "a course has exactly one timing pattern; found "
                    f"{' and '.join(present)}", show=False, code="several-patterns")
    key = present[0]
    at = cur.at(key)
    if key == "days":
        days = read_days(at)
        for day in days:
            if day > window:
                raise fail(at, f"day {day} is outside {where}", day, code="day-outside-cycle")
            if day <= -window:
                raise fail(at, f"day {day} is {-day} days before day 1, further back than "
                           f"{where} allows (at most {window - 1})", day,
                           code="day-outside-cycle")
        return DaysPattern(days)
    if key == "every" and _is_hours(raw["every"]):
        return _read_hours(cur, window, where)
    if key == "every" and Months.match(raw["every"]):
        try:
            monthly = MonthsPattern(Months.parse(raw["every"]), raw.get("count"))
        except UnitError as exc:
            raise unit_fail(at, exc) from None
        misfit = monthly.misfit(window, where)
        if misfit is not None:
            raise fail(cur.at(misfit[0][0]), misfit[1], code=misfit[3])
        return monthly
    if key == "every":
        every = read_duration(at)
        if every.days > window:
            # Only day 1 of each cycle would be given: "every" would never be honoured.
            raise fail(at, f"an interval of {counted(every.days, 'day')} is longer than {where}; "
                        "give one dose per cycle with 'days: [1]', or a longer cycle",
                        code="interval-too-long")
        count = raw.get("count")
        if count is not None and 1 + (count - 1) * every.days > window:
            raise fail(cur.at("count"),
                        f"{counted(count, 'administration')} every {counted(every.days, 'day')} "
                        "end on day "
                        f"{1 + (count - 1) * every.days}, outside {where}",
                        code="count-outside-cycle")
        return EveryPattern(every, count)
    if key == "weekdays":
        names = raw["weekdays"]
        if len(set(names)) != len(names):
            raise fail(at, "a weekday is listed twice", code="duplicate-weekday")
        pattern = WeekdaysPattern(tuple(sorted(WEEKDAYS.index(n) for n in names)),
                                  raw.get("count"))
        misfit = pattern.misfit(window, where)
        if misfit is not None:
            raise fail(cur.at("count"), misfit[1], code=misfit[3])
        return pattern
    if raw["daily"] is not True:
        raise fail(at, "'daily: false' is not a pattern: remove it and give days, every "
                    "or weekdays", code="daily-false")
    return DailyPattern()


_HOURS = re.compile(r"\s*[0-9]+\s*(?:minutes?|mins?|hours?|hrs?|h)\s*\Z", re.IGNORECASE)


def _is_hours(text: object) -> bool:
    """An ``every`` in hours or minutes: elapsed time, not days of the calendar."""
    return isinstance(text, str) and _HOURS.match(text) is not None


def _read_hours(cur: Cursor, window: int, where: str) -> HoursPattern:
    """``every: 8 hours`` with ``at`` (the first time on day 1) and an optional ``count``."""
    raw = cur.value
    try:
        every = Elapsed.parse(raw["every"])
    except UnitError as exc:
        raise unit_fail(cur.at("every"), exc) from None
    if "times" in raw:
        raise fail(cur.at("times"), "give 'times' or an interval in hours with 'at', not "
                   "both: the interval gives the times", show=False, code="times-with-hours")
    if "at" not in raw:
        raise fail(cur.at("every"), "an interval in hours needs the time of the first "
                   "administration on day 1: 'at: \"06:00\"'", code="hours-without-at")
    text = raw["at"]
    at = time(int(text[:2]), int(text[3:]))
    if every.minutes > window * 1440:
        raise fail(cur.at("every"), f"an interval of {every} is longer than {where}; give one "
                   "dose per cycle with 'days: [1]', or a longer cycle", code="interval-too-long")
    pattern = HoursPattern(every, at, raw.get("count"))
    misfit = pattern.misfit(window, where)
    if misfit is not None:
        raise fail(cur.at("count"), misfit[1], code=misfit[3])
    return pattern


def read_vials(cur: Cursor) -> tuple[Amount, ...]:
    """A drug's vial sizes: amounts of one dimension, no size twice (``100 mg``, ``0.1 g``)."""
    vials: list[Amount] = []
    for _, item in cur.items():
        try:
            size = parse_amount(item.value, "vial size")
        except UnitError as exc:
            raise unit_fail(item, exc) from None
        if vials and size.unit.dimension is not vials[0].unit.dimension:
            raise fail(item, f"vial sizes measure one dimension ({vials[0]} is "
                       f"{vials[0].unit.dimension.value})", code="mixed-vial-dimensions")
        same = next((v for v in vials if same_amount(v, size)), None)
        if same is not None:
            raise fail(item, f"this vial size is listed already, as {same} "
                       f"(vials[{vials.index(same)}])", code="duplicate-vial")
        vials.append(size)
    return tuple(vials)


def read_times(cur: Cursor) -> tuple[time, ...]:
    if not cur.has("times"):
        return ()
    values = [time(int(t[:2]), int(t[3:])) for t in cur.get("times")]
    if len(set(values)) != len(values):
        raise fail(cur.at("times"), "a time of day is listed twice", code="duplicate-time")
    return tuple(sorted(values))

# Visits and expectations ------------------------------------------------------
