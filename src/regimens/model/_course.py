"""Doses, dose steps and courses: one drug given on a pattern within a period.

Each timing pattern knows its own days (``days_in``) and whether they depend on
the calendar (``date_dependent``); a :class:`Course` lays out its administration
slots from them (:meth:`Course.slots`). Every record checks its own invariants
in ``__post_init__``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from itertools import pairwise, product
from typing import NamedTuple

from ..errors import (
    InvalidRegimenError,
    Problem,
)
from ..quantities import (
    Amount,
    Basis,
    Dimension,
    DoseQuantity,
    Duration,
    Elapsed,
    Months,
    Strength,
    counted,
    form_part_problem,
    human_dose_quantity,
    human_route,
)
from ._invariants import Location, Misfit, Problems, Slot, days_problem
from ._patterns import (
    DailyPattern,
    DaysPattern,
    EveryPattern,
    HoursPattern,
    MonthsPattern,
    Pattern,
    WeekdaysPattern,
)
from ._policy import NO_POLICY, Policy
from ._visits import Window

__all__ = [
    "BAND_UNITS",
    "INFUSION_ROUTES",
    "MAX_ADMINISTRATIONS",
    "METHODS",
    "MIN_INTERVAL_NEEDS_WINDOW",
    "MONTHS_REFERENCE",
    "MONTHS_STARTS",
    "WINDOW_NEEDS_CLINIC",
    "AdministrationStep",
    "BandBy",
    "Course",
    "CycleStep",
    "DayStep",
    "Dose",
    "DoseBand",
    "DoseLevel",
    "DoseRange",
    "OutsideTolerance",
    "Rounding",
    "StandardDoses",
    "Step",
    "WeightBasis",
    "band_edge_text",
    "cycle_day_overlap",
    "cycle_text",
    "cycle_where",
    "cycles_days",
    "months_combination",
    "open_step_problem",
    "open_step_unreached",
    "table_problem",
]


class WeightBasis(enum.Enum):
    """The weight a per-kg dose (``weight``) or Cockcroft-Gault (``crcl_weight``) uses.

    ``actual``: the participant's weight; ``ideal``: Devine's ideal body weight (needs
    height and sex); ``adjusted``: ideal + 0.4 x (actual - ideal); ``auto`` (for
    ``crcl_weight`` only): adjusted when the body-mass index is 25 kg/m² or more, else
    actual, as NCCN carboplatin order templates do.
    """

    ACTUAL = "actual"
    IDEAL = "ideal"
    ADJUSTED = "adjusted"
    AUTO = "auto"


class Rounding(enum.Enum):
    """How a computed dose is rounded to a multiple of ``round``: to the nearest (halves
    up, ``ROUND_HALF_UP``, the pharmacy convention), up, or down."""

    NEAREST = "nearest"  # halves go up (ROUND_HALF_UP), the pharmacy convention
    UP = "up"
    DOWN = "down"


class BandBy(enum.Enum):
    """What a banded dose's bands are measured in: weight (kg), age (years) or BSA (m2)."""

    WEIGHT = "weight"
    AGE = "age"
    BSA = "bsa"


#: The unit each band measure is compared in (ages in months, so that an edge at 18 months
#: and an age from a birth date, in completed months, compare exactly).
BAND_UNITS = {BandBy.WEIGHT: "kg", BandBy.AGE: "months", BandBy.BSA: "m2"}


def band_edge_text(value: Decimal, by: BandBy) -> str:
    """A band edge or measure as people read it: ``15 kg``, ``1.2 m2``, ``2 years`` (24
    months), ``18 months``."""
    value = value.normalize()
    if by is BandBy.AGE and value % 12 == 0:
        years = value / 12
        return f"{years.normalize():f} year{'' if years == 1 else 's'}"
    return f"{value:f} {BAND_UNITS[by]}"


@dataclass(frozen=True)
class DoseBand:
    """One band of a banded dose: ``dose`` (flat) for measures from the previous band's
    ``below`` (inclusive; 0 for the first band) up to ``below`` (exclusive; None: the
    last, open band). ``below`` is in the unit of the dose's ``band_by`` (kg, years, m2)."""

    below: Decimal | None
    dose: DoseQuantity


class OutsideTolerance(enum.Enum):
    """What happens when no standard dose is within the tolerance (``round: {..., outside:
    ...}``): ``refuse`` (the default) stops the expansion with a :class:`DoseError`;
    ``calculated`` gives the calculated dose, not banded, with a
    :class:`StandardDoseWarning` (NHS England's dose-banding tables: a dose outside the
    table is made up individually)."""

    REFUSE = "refuse"
    CALCULATED = "calculated"


@dataclass(frozen=True)
class DoseRange:
    """One row of a dose-banding table (``round: {table: [...]}``): a calculated dose from
    ``low`` (inclusive) up to ``below`` (exclusive) is given as ``dose``. The three are
    absolute amounts in the dose's dimension."""

    low: Amount
    below: Amount
    dose: Amount


@dataclass(frozen=True)
class StandardDoses:
    """Rounding a calculated dose to a standard dose (``round:`` as a mapping), one of:

    - ``bands``: standard doses (``[1600 mg, 1800 mg, 2000 mg]``); the nearest one to the
      calculated dose is given when it is within ``tolerance``;
    - ``table``: a dose-banding table (:class:`DoseRange` rows, contiguous, in increasing
      order); the row the calculated dose falls in gives the dose;
    - ``to_vial``: the nearest amount that whole vials of the drug's ``vials`` make up,
      within ``tolerance``.

    ``tolerance`` is a percentage (``5`` for 5%), from 0 (exclusive) to 100: a standard
    dose B is within it of the calculated dose C when |B - C| / C <= tolerance / 100 (the
    edge is within). Required for ``bands`` and ``to_vial``; a table's ranges are its own
    tolerance. When two standard doses are equally near, the higher is given (as halves go
    up in ``rounding: nearest``). ``outside``: what happens when none is within the
    tolerance, or the dose is outside the table (docs/format.md, "Standard doses").
    """

    bands: tuple[Amount, ...] = ()
    table: tuple[DoseRange, ...] = ()
    to_vial: bool = False
    tolerance: Decimal | None = None
    outside: OutsideTolerance = OutsideTolerance.REFUSE

    def __post_init__(self) -> None:
        problems = Problems("StandardDoses")
        kinds = [k for k, v in (("bands", self.bands), ("table", self.table),
                                ("to_vial", self.to_vial)) if v]
        if len(kinds) != 1:
            problems.add("bands", "give exactly one of bands, table or to_vial",
                         ", ".join(kinds) or None, code="standard-dose-kind")
            problems.raise_any()
        if not isinstance(self.to_vial, bool):
            problems.add("to_vial", "true or false", self.to_vial, code="wrong-type")
        if not isinstance(self.outside, OutsideTolerance):
            problems.add("outside", "refuse or calculated", self.outside, code="not-one-of")
        tol = self.tolerance
        if self.table:
            if tol is not None:
                problems.add("tolerance", "a dose-banding table's ranges are its tolerance: "
                             "no tolerance", str(tol), code="tolerance-with-table")
        elif tol is None:
            problems.add("tolerance", "how far the standard dose may be from the calculated "
                         "one, as a percentage ('tolerance: 5%')",
                         code="standard-dose-without-tolerance")
        elif not isinstance(tol, Decimal) or not 0 < tol <= 100:
            problems.add("tolerance", "a percentage above 0% and at most 100%", tol,
                         code="bad-tolerance")
        amounts = list(self.bands) + [x for r in self.table for x in (r.low, r.below, r.dose)]
        if not all(isinstance(a, Amount) and a.magnitude > 0 for a in amounts):
            problems.add("bands" if self.bands else "table", "amounts greater than 0",
                         code="wrong-type")
            problems.raise_any()
        if len({a.unit.dimension for a in amounts}) > 1:
            problems.add("bands" if self.bands else "table", "amounts of one dimension",
                         code="wrong-dimension")
            problems.raise_any()
        for i in range(1, len(self.bands)):
            if not _base(self.bands[i]) > _base(self.bands[i - 1]):
                problems.add(("bands", i), "standard doses in increasing order, each once",
                             str(self.bands[i]), code="bands-unordered")
                break
        problem = table_problem(self.table)
        if problem is not None:
            problems.add(("table", problem.row, problem.field), problem.message, problem.value,
                         code=problem.code)
        problems.raise_any()

    @property
    def dimension(self) -> Dimension | None:
        """The dimension of the standard doses (None for ``to_vial``: the vials')."""
        if self.to_vial:
            return None
        first = self.bands[0] if self.bands else self.table[0].dose
        return first.unit.dimension


def _base(amount: Amount) -> Decimal:
    """An amount in its dimension's base unit, to compare amounts in different units."""
    return amount.magnitude * amount.unit.factor


class TableProblem(NamedTuple):
    """Why a dose-banding table is refused: the row, its field (``from``, ``below``), the
    message, the value and the problem's code."""

    row: int
    field: str
    message: str
    value: str
    code: str


def table_problem(table: tuple[DoseRange, ...]) -> TableProblem | None:
    """Why a dose-banding table is not contiguous and increasing, or None. Each row's
    ``below`` is above its ``from``, and each row starts where the row before it ends (a
    gap or an overlap is refused: a dose in a gap would have no band, one in an overlap
    two)."""
    for i, row in enumerate(table):
        if not _base(row.below) > _base(row.low):
            return TableProblem(i, "below", f"a range ends above where it starts (from "
                                f"{row.low})", str(row.below), code="table-range-empty")
        if i == 0:
            continue
        before = table[i - 1].below
        if _base(row.low) > _base(before):
            return TableProblem(i, "from", f"a gap: the row before ends below {before}; start "
                                "this row there", str(row.low), code="table-gap")
        if _base(row.low) < _base(before):
            return TableProblem(i, "from", f"an overlap: the row before ends below {before}; "
                                "start this row there (rows in increasing order, each from "
                                "where the one before ends)", str(row.low), code="table-overlap")
    return None


@dataclass(frozen=True)
class Dose:
    """A dose as the protocol states it, with optional cap and rounding.

    ``quantity.basis`` says whether it is flat, per kg or per m2; the three are
    computed differently and explained differently (see :mod:`regimens.engine`).
    The order of operations is fixed: amount x body size, then rounded to a
    multiple of ``round`` (by ``rounding``), then capped at ``max``, so a cap is
    never exceeded. ``max`` and ``round`` are absolute amounts in the dose's
    :class:`Dimension`.
    """

    quantity: DoseQuantity
    max: Amount | None = None
    round: Amount | None = None
    rounding: Rounding = Rounding.NEAREST
    #: Per-kg doses: the weight they scale with (docs/format.md, "Weight bases").
    weight: WeightBasis = WeightBasis.ACTUAL
    #: Per-m2 doses: the largest BSA (m2) the dose is computed from, or None.
    bsa_max: Decimal | None = None
    #: AUC doses: the GFR cap in mL/min (None: the default, 125 mL/min).
    gfr_max: Decimal | None = None
    #: AUC doses: the floor of the serum creatinine, as (value, factor): value / factor
    #: is in mg/dL (factor 1 for mg/dL, 88.4 for µmol/L); None for no floor.
    creatinine_min: tuple[Decimal, Decimal] | None = None
    #: AUC doses: the weight Cockcroft-Gault uses.
    crcl_weight: WeightBasis = WeightBasis.ACTUAL
    #: Banded doses: what the bands are measured in (None: not banded).
    band_by: BandBy | None = None
    #: Banded doses: the bands in increasing order, the last one open; ``quantity`` is then
    #: the first band's dose (it gives the dose's dimension; the band gives the amount).
    bands: tuple[DoseBand, ...] = ()
    #: Banded doses: where the first band starts (inclusive; kg, months or m2).
    band_from: Decimal = Decimal(0)
    #: A divided daily dose (``daily_dose``): ``quantity`` is the dose for the day, given in
    #: this many equal administrations (2 or more); ``round`` applies to each of them.
    #: None: ``quantity`` is the dose of each administration.
    divided: int | None = None
    #: Rounding to a standard dose (``round:`` as a mapping: dose bands, a dose-banding
    #: table or whole vials) instead of to a multiple of ``round``; None: not.
    standard: StandardDoses | None = None
    #: Where the dose is written in its source file (file, line, path of the dose field),
    #: so that a :class:`~regimens.DoseError` raised while computing it names them; a dose
    #: built in Python has none (``("", None, ())``). Not compared.
    where: Location = field(default=("", None, ()), compare=False)
    #: The drug's strength (:attr:`Drug.strength`), set by the expansion for the dose it
    #: computes (a dose written in a file or built in Python leaves it None): it converts a
    #: ``round`` in a dosage form (``0.5 tablet``) into the dose's unit and counts the form.
    strength: Strength | None = None
    #: The drug's sourced equivalence between USP units and international units
    #: (:attr:`Drug.equivalence`, set when the file is read; in Python give the drug's):
    #: with it, ``max`` and ``round`` may be in the other of the two, converted by it.
    equivalence: tuple[Amount, Amount] | None = None

    def __post_init__(self) -> None:
        # Raises InvalidRegimenError: a cap or rounding increment in another dimension than
        # the dose (2 mL on a mg dose), or on a flat dose (which nothing computes).
        problems = Problems("Dose")
        if not isinstance(self.quantity, DoseQuantity):
            problems.add("quantity", "a dose is a DoseQuantity", self.quantity, code="wrong-type")
            problems.raise_any()
        dimension = self.quantity.amount.unit.dimension
        for key, limit in (("max", self.max), ("round", self.round)):
            if limit is None:
                continue
            if not isinstance(limit, Amount):
                problems.add(key, "an Amount of drug", limit, code="wrong-type")
            elif key == "round" and limit.unit.dimension.form and not dimension.form:
                # Whole or half tablets: converted by the drug's strength (Regimen checks
                # that the drug has one, of this form and the dose's dimension).
                split = form_part_problem(limit)
                if split is not None:
                    problems.add(key, split, str(limit), code="form-not-split")
            elif limit.unit.dimension is not dimension and not self.equivalent(limit):
                problems.add(key, f"must be in the dose's dimension ({dimension.value})",
                             str(limit), code="wrong-dimension")
            elif self.quantity.basis is Basis.FLAT and not (key == "round"
                                                            and self.divided is not None):
                # A flat daily dose's parts are rounded (100 mg in 3: 33.5 mg each).
                problems.add(key, f"{key} applies to computed (per kg or per m2) doses; "
                             "this dose is flat", str(limit), code="limit-on-flat-dose")
        if not isinstance(self.rounding, Rounding):
            problems.add("rounding", "a Rounding", self.rounding, code="wrong-type")
        basis = self.quantity.basis
        if basis is Basis.AUC and self.quantity.amount.unit.symbol != "mg":
            problems.add("quantity", "an AUC dose is in mg (mg/mL·min x mL/min)",
                         str(self.quantity), code="wrong-dimension")
        # Each option belongs to one basis: on another it would be silently ignored.
        for key, value, default, owner in (
                ("weight", self.weight, WeightBasis.ACTUAL, Basis.PER_KG),
                ("bsa_max", self.bsa_max, None, Basis.PER_M2),
                ("gfr_max", self.gfr_max, None, Basis.AUC),
                ("creatinine_min", self.creatinine_min, None, Basis.AUC),
                ("crcl_weight", self.crcl_weight, WeightBasis.ACTUAL, Basis.AUC)):
            if value != default and basis is not owner:
                problems.add(key, f"{key} applies to {_OWNER_TEXT[owner]} doses; this dose is "
                             f"{_OWNER_TEXT[basis]}", str(value), code="option-for-other-basis")
        if not isinstance(self.weight, WeightBasis) or self.weight is WeightBasis.AUTO:
            problems.add("weight", "actual, ideal or adjusted", self.weight, code="not-one-of")
        if not isinstance(self.crcl_weight, WeightBasis):
            problems.add("crcl_weight", "actual, ideal, adjusted or auto", self.crcl_weight,
                         code="not-one-of")
        if self.divided is not None:
            if (not isinstance(self.divided, int) or isinstance(self.divided, bool)
                    or self.divided < 2):
                problems.add("divided", "a whole number of administrations a day, from 2",
                             self.divided, code="too-small")
            elif self.max is not None:
                # A cap could be meant for the day or for each administration: never guess.
                problems.add("max", "max is not allowed with a divided daily dose (it could "
                             "mean the day's or each administration's)", str(self.max),
                             code="max-with-divided-dose")
        self._check_standard(problems)
        for key, bound in (("bsa_max", self.bsa_max), ("gfr_max", self.gfr_max)):
            if bound is not None and (not isinstance(bound, Decimal) or not bound > 0):
                problems.add(key, "a positive Decimal", bound, code="too-small")
        self._check_bands(problems)
        problems.raise_any()

    def _check_standard(self, problems: Problems) -> None:
        standard = self.standard
        if standard is None:
            return
        if not isinstance(standard, StandardDoses):
            problems.add("standard", "a StandardDoses", standard, code="wrong-type")
            return
        if self.round is not None:
            problems.add("standard", "give round (a multiple) or standard doses, not both",
                         str(self.round), code="round-and-standard")
        if self.rounding is not Rounding.NEAREST:
            problems.add("rounding", "rounding (up, down) goes with rounding to a multiple "
                         "('round: 5 mg'); standard doses take the nearest",
                         getattr(self.rounding, "value", self.rounding),
                         code="rounding-with-standard")
        if self.bands:
            return  # _check_bands refuses it, with the bands' own message
        if self.quantity.basis is Basis.FLAT:
            problems.add("standard", "standard doses round a computed (per kg, per m2 or "
                         "AUC) dose; this dose is flat", code="limit-on-flat-dose")
        elif self.divided is not None:
            problems.add("standard", "standard doses round a whole dose; each part of a "
                         "divided daily dose is rounded to a multiple ('round: 1 mg')",
                         code="standard-with-divided-dose")
        dimension = self.quantity.amount.unit.dimension
        if standard.dimension is not None and standard.dimension is not dimension:
            problems.add("standard", f"must be in the dose's dimension ({dimension.value})",
                         standard.dimension.value, code="wrong-dimension")

    def _check_bands(self, problems: Problems) -> None:
        if (self.band_by is None) != (not self.bands):
            problems.add("bands", "a banded dose needs both band_by and bands",
                         self.band_by, code="bands-incomplete")
            return
        if not self.bands:
            return
        if not isinstance(self.band_by, BandBy):
            problems.add("band_by", "weight, age or bsa", self.band_by, code="not-one-of")
        dimension = self.quantity.amount.unit.dimension
        previous = self.band_from
        for i, band in enumerate(self.bands):
            last = i == len(self.bands) - 1
            if band.dose.basis is not Basis.FLAT or band.dose.amount.unit.dimension \
                    is not dimension:
                problems.add(f"bands[{i}].dose", "a flat dose in the dimension of the first "
                             "band", str(band.dose), code="band-dose")
            if last and band.below is not None:
                problems.add(f"bands[{i}].below", "the last band is open (no below)",
                             band.below, code="band-not-open")
            elif not last and (band.below is None or not band.below > previous):
                problems.add(f"bands[{i}].below", "bands in increasing order of below, "
                             "each above the one before it", band.below, code="bands-unordered")
                return
            if band.below is not None:
                previous = band.below
        if (self.max, self.round, self.standard) != (None, None, None) or (
                self.basis is not Basis.FLAT):
            problems.add("bands", "a banded dose takes its amounts from its bands (flat); "
                         "no max or round", str(self.quantity), code="band-dose")

    def equivalent(self, limit: Amount) -> bool:
        """Whether ``limit`` (a ``max`` or ``round``) is in the other dimension of the
        dose's ``equivalence`` (international units for a dose in USP units), so that it
        converts into the dose's unit by it."""
        if self.equivalence is None:
            return False
        sides = {a.unit.dimension for a in self.equivalence}
        return {limit.unit.dimension, self.quantity.amount.unit.dimension} == sides

    @property
    def basis(self) -> Basis:
        """Flat, per kg or per m2: ``quantity.basis``."""
        return self.quantity.basis

    def band_for(self, measure: Decimal) -> tuple[int, DoseBand]:
        """The index and band of a banded dose that ``measure`` (kg, years or m2) falls in:
        the first whose ``below`` exceeds it (lower bounds inclusive, ``below`` exclusive)."""
        for i, band in enumerate(self.bands):
            if measure < self.band_from:
                break
            if band.below is None or measure < band.below:
                return i, band
        raise ValueError(measure)  # below the first band: the caller says so


_OWNER_TEXT = {Basis.FLAT: "flat", Basis.PER_KG: "per-kg", Basis.PER_M2: "per-m2",
               Basis.AUC: "AUC"}


@dataclass(frozen=True)
class DoseLevel:
    """A dose level of a course: ``level`` (a whole number, not 0: level 0 is the dose as
    written) with either ``percent`` of the level-0 dose (``80`` for 80%) or an absolute
    ``quantity`` in the basis and dimension of the course's dose (``75 mg/m2``).

    A percentage is of the level-0 dose as computed for the participant (after its
    rounding and cap), then rounded and capped again by the course's rules
    (docs/format.md, "Dose levels").
    """

    level: int
    percent: Decimal | None = None
    quantity: DoseQuantity | None = None

    def __post_init__(self) -> None:
        problems = Problems("DoseLevel")
        if isinstance(self.level, bool) or not isinstance(self.level, int) or self.level == 0:
            problems.add("level", "a whole number other than 0 (level 0 is the written dose)",
                         self.level, code="bad-level")
        if (self.percent is None) == (self.quantity is None):
            problems.add("percent", "give a percentage or a dose, not both or neither",
                         code="bad-level")
        elif self.percent is not None and (not isinstance(self.percent, Decimal)
                                           or not 0 < self.percent <= 1000):
            problems.add("percent", "a percentage above 0 and at most 1000", self.percent,
                         code="bad-level")
        elif self.quantity is not None and not isinstance(self.quantity, DoseQuantity):
            problems.add("quantity", "a DoseQuantity", self.quantity, code="wrong-type")
        problems.raise_any()

    def __str__(self) -> str:
        if self.percent is not None:
            return f"{self.percent.normalize():f}%"
        assert self.quantity is not None
        return human_dose_quantity(self.quantity)


@dataclass(frozen=True)
class CycleStep:
    """Escalation or taper by cycles: this dose for the next ``cycles`` cycles.

    ``cycles=None`` (the last step of a course only) is open-ended: this dose until the
    course ends ("until progression"), for as many cycles as the period's length gives.
    """

    dose: Dose
    cycles: int | None

    def __post_init__(self) -> None:
        problems = Problems("CycleStep")
        if self.cycles is None:
            pass
        elif isinstance(self.cycles, bool) or not isinstance(self.cycles, int) or (
                self.cycles < 1):
            problems.add("cycles", "a step lasts a whole number of cycles, from 1", self.cycles,
                         code="too-small")
        problems.raise_any()


@dataclass(frozen=True)
class AdministrationStep:
    """This dose for the next ``administrations`` administrations (a whole number from 1).

    The steps of a course must cover exactly its administrations (checked by
    :class:`Regimen` at both ends of a variable period, and when a weekday
    pattern is laid out). ``administrations=None`` (the last step of a course only)
    is open-ended: every administration after the earlier steps' until the course ends.
    """

    dose: Dose
    administrations: int | None

    def __post_init__(self) -> None:
        problems = Problems("AdministrationStep")
        n = self.administrations
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
            problems.add("administrations", "a step lasts a whole number of administrations, "
                         "from 1", n, code="too-small")
        problems.raise_any()


@dataclass(frozen=True)
class DayStep:
    """A taper step: this dose daily on these days of the cycle/span."""

    dose: Dose
    days: tuple[int, ...]

    def __post_init__(self) -> None:
        problems = Problems("DayStep")
        days_problem(problems, "days", self.days)
        problems.raise_any()


Step = CycleStep | AdministrationStep | DayStep


def cycle_day_overlap(days: tuple[int, ...], size: int) -> str | None:
    """Why a day before day 1 falls on a day the previous cycle already doses, or None.

    Day -1 of a 28-day cycle is day 28 of the cycle before: listing both would give
    the drug twice on that date (once per cycle), which no protocol means.
    """
    for day in days:
        if day < 0 and size + day + 1 in days:
            return (f"day {day} of a cycle is day {size + day + 1} of the cycle before, "
                    f"which is also listed: the drug would be given twice that date; list "
                    "it once")
    return None


def cycle_text(cycle: Duration | Months) -> str:
    """A cycle's length in a message: ``28 days``, ``1 month``."""
    return str(cycle) if isinstance(cycle, Months) else counted(cycle.days, "day")


def cycles_days(cycle: Duration | Months, cycles: int) -> int:
    """The most days ``cycles`` cycles can take: cycles x days, or for a cycle in calendar
    months the most days that many months span over every start date."""
    if not isinstance(cycle, Months):
        return cycles * cycle.days
    months = cycle.months * cycles
    # Past 1,200 months (100 years) no span holds them: any bound past the longest does.
    return Months(months).most_days if months <= 1200 else months * 31


def months_combination(pattern: Pattern | None, cycle: Duration | Months | None
                       ) -> tuple[str, str] | None:
    """(field, message) when calendar months are combined with what makes them ambiguous.

    A cycle in months with a weekday pattern (the cycle and the weekdays both follow the
    calendar: which weekdays a 28- to 31-day cycle holds is a second variable) or with
    days before day 1 (day -1 of a cycle is a day of the previous month's cycle, 28 to 31
    days long); an interval in months inside a cycle (from the cycle's start or from the
    course's, never said). Refused, naming both fields.
    """
    if isinstance(pattern, MonthsPattern) and cycle is not None:
        return ("every", "an interval in calendar months counts from the course's first "
                "day, and a cycle ('cycle') would restart it: give the interval without a "
                "cycle, or a cycle with 'days: [1]'")
    if not isinstance(cycle, Months):
        return None
    if isinstance(pattern, WeekdaysPattern):
        return ("weekdays", f"a cycle in calendar months ({cycle}) with weekdays: both follow "
                "the calendar, and which weekdays a 28- to 31-day cycle holds is left unsaid; "
                "give the cycle in days or weeks, or the days of the cycle ('days')")
    if isinstance(pattern, DaysPattern) and pattern.days[0] < 0:
        return ("days", f"a day before day 1 in a cycle in calendar months ({cycle}): the "
                "previous cycle is 28 to 31 days long, so day -1 could be any of its last "
                "days; give the cycle in days or weeks")
    return None


def cycle_where(cycle: Duration | Months) -> str:
    """A cycle as a window in a message: ``a 28-day cycle``, ``a cycle of 1 month (28 days
    at the shortest)``."""
    if isinstance(cycle, Months):
        return f"a cycle of {cycle} ({counted(cycle.days, 'day')} at the shortest)"
    return f"a {cycle.days}-day cycle"


def open_step_problem(covered: int, cycle: Duration | Months, span: int) -> str | None:
    """Why an open-ended last step after ``covered`` cycles never starts in a ``span``-day
    course, or None. For a cycle in months: when it never starts whatever the start date."""
    if not isinstance(cycle, Months):
        return (open_step_unreached(covered, cycle.days, span)
                if covered * cycle.days >= span else None)
    least = Months(covered * cycle.months).days if covered * cycle.months <= 1200 else span
    if least < span:
        return None
    return (f"the steps before the open-ended last step cover {counted(covered, 'cycle')} "
            f"of {cycle} (at least {counted(least, 'day')}), but the course has "
            f"{counted(span, 'day')}: the open-ended step would never start")


def open_step_unreached(covered: int, size: int, span: int) -> str:
    """Why an open-ended last step gets no cycle: the earlier steps fill the course."""
    return (f"the steps before the open-ended last step cover {counted(covered, 'cycle')} "
            f"of {counted(size, 'day')} ({counted(covered * size, 'day')}), but the course has "
            f"{counted(span, 'day')}: the last step would get no cycle")


def _open(step: Step) -> bool:
    """True for an open-ended step (no count: until the course ends)."""
    return (isinstance(step, CycleStep) and step.cycles is None) or (
        isinstance(step, AdministrationStep) and step.administrations is None)
#: Why ``min_interval`` is refused on a course without a window.
MIN_INTERVAL_NEEDS_WINDOW = ("min_interval limits how far an administration moves within its "
                             "window; give the course a window ('window: 1 day')")

#: Why ``window`` or ``min_interval`` is refused on a course taken at home.
WINDOW_NEEDS_CLINIC = ("only work at the site moves off its closed days: mark the course or "
                       "its drug 'clinic: true' (home-taken doses are never moved)")


#: The first of the starts over which counts in calendar months are evaluated (by
#: ``check`` and the file's own rules): every day of the four-year leap cycle from here,
#: :data:`MONTHS_STARTS` days, which holds every weekday too (docs/format.md, "Calendar
#: months", says which starts this leaves out: a span through 2100, not a leap year).
MONTHS_REFERENCE = date(2001, 1, 1)
MONTHS_STARTS = 1461

#: The most administrations one expansion may hold. A real protocol stays far below it
#: (daily for the longest duration the format allows, 100 years, is 36,525; four times a
#: day for ten years is 14,610); a schedule past it is a typing mistake (a dose every minute
#: for 100 years is 52,596,000) and would exhaust memory. Counted before the administrations
#: are made, so refusing costs nothing. See docs/reliability.md.
MAX_ADMINISTRATIONS = 1_000_000


#: How a parenteral dose goes in (``method``): a bolus or a push is an injection given at
#: once, an infusion runs over a time (``duration``).
METHODS = ("bolus", "infusion", "push")

#: Routes by which a dose can run over a time: ``duration`` without ``method`` is an
#: infusion by one of them (``by continuous intravenous infusion over 46 hours``).
INFUSION_ROUTES = frozenset({"intravenous", "subcutaneous", "intrathecal", "intra-arterial",
                             "epidural", "intraperitoneal", "intravesical"})

#: Routes a dose is given by at once: an oral dose has no method and no duration.
AT_ONCE_ROUTES = frozenset({"oral", "intramuscular", "sublingual", "buccal", "inhaled"})


@dataclass(frozen=True)
class Course:
    """One drug given on a pattern within a period.

    ``drug`` is a drug id of the regimen; ``pattern`` the days of each window
    (None only with day steps); ``dose`` or ``steps`` the amounts (neither: a
    ``placebo``, or ``dose: unspecified`` explained by ``dose_note``). Days are
    1-based: ``start`` is the day of the period the course begins on; ``span`` how
    long it lasts (None: to the end of the period); ``cycle`` the length of a cycle
    and ``cycles`` how many (None: until the span ends, the last cycle possibly cut
    short; with steps by cycles, their sum). ``times`` are local wall-clock times
    of day. ``arms`` limits the course to some arms (None: every arm). ``not_on``
    and ``no_same_day`` name other drugs (docs/format.md, "Extensions").
    ``first_cycle`` is the protocol's number of the first cycle (from 1; a second
    part of a regimen numbered on from the first: 2), used in every output; steps
    by cycles still count the course's own cycles. The last step may be open-ended
    (``cycles`` or ``administrations`` None): it lasts until the course ends.
    ``id`` names the course for visits anchored to its cycles; ``duration`` is how
    long each administration lasts (elapsed time: an infusion over 46 hours),
    ``method`` how it goes in (one of :data:`METHODS`); ``label`` is shown with its
    administrations (docs/format.md, "Duration and method", "Labels and notes").
    ``policy``: the course's own record policy (:class:`Policy`; keys it leaves None come
    from the regimen's, see :meth:`Regimen.policy_for`).
    """

    drug: str
    pattern: Pattern | None  # None only when the steps are day steps
    dose: Dose | None = None
    steps: tuple[Step, ...] = ()
    placebo: bool = False
    dose_note: str = ""  # why the amount is not fixed (dose unspecified), or a remark
    arms: tuple[str, ...] | None = None
    start: int = 1  # day of the period the course starts on
    span: Duration | None = None  # "for:"; None = to the end of the period
    cycle: Duration | Months | None = None  # Months: calendar months from the span's start
    cycles: int | None = None  # None = until the span ends (steps by cycles: their sum)
    times: tuple[time, ...] = ()
    first_cycle: int = 1  # the protocol's number of the course's first cycle
    route: str | None = None  # overrides the drug's route
    label: str = ""
    not_on: tuple[str, ...] = ()  # drugs whose administration days this course skips
    no_same_day: tuple[str, ...] = ()  # drugs that must not be given on this course's days
    id: str | None = None  # for visits anchored to this course's cycles
    duration: Elapsed | None = None  # how long each administration lasts (elapsed time)
    method: str | None = None  # one of METHODS
    notes: str = ""
    #: Given at the site (an infusion, an injection): moved off the site's closed days
    #: within ``window``; otherwise taken at home and never moved.
    clinic: bool = False
    window: Window | None = None  # how far an administration may move (site calendar)
    min_interval: Duration | None = None  # least time from the previous dose when moved
    where: Location = field(default=("", None, ()), compare=False)  # for messages
    #: Dose levels other than 0, in the order written (the course's own, or its drug's).
    levels: tuple[DoseLevel, ...] = ()
    #: What to do with delays, missed doses, reductions and new measurements when a record
    #: is replayed (docs/record.md); keys not written here come from the regimen's policy.
    policy: Policy = NO_POLICY

    def __post_init__(self) -> None:
        # Rules within the course; those that need its period or the regimen's ids
        # (the drug exists, the course fits its period) are checked by Regimen.
        problems = Problems("Course")
        self._check(problems)
        problems.raise_any()

    def _check(self, problems: Problems) -> None:
        steps = self.steps
        if not isinstance(self.drug, str) or not self.drug:
            problems.add("drug", "a drug id (text)", self.drug, code="wrong-type")
        if not isinstance(steps, tuple) or not all(
                isinstance(s, CycleStep | AdministrationStep | DayStep) for s in steps):
            problems.add("steps", "a tuple of CycleStep, AdministrationStep or DayStep", steps,
                         code="wrong-type")
            return
        kinds = {type(s) for s in steps}
        open_steps = [i for i, s in enumerate(steps) if _open(s)]
        if open_steps and open_steps[0] != len(steps) - 1:
            problems.add(("steps", open_steps[0]), "only the last step may leave out its count "
                         "(it then lasts until the course ends)", code="open-step-not-last")
        elif open_steps and len(steps) == 1:
            problems.add(("steps", 0), "a course with one open-ended step has one dose: give "
                         "dose instead of steps", code="open-step-alone")
        if len(kinds) > 1:
            problems.add("steps", "all steps of a course count the same thing (cycles, "
                         "administrations or days)", code="mixed-step-kinds")
        elif len({(s.dose.basis, s.dose.quantity.amount.unit.dimension) for s in steps}) > 1:
            problems.add("steps", "all steps of a course use the same dose basis and dimension",
                         code="mixed-step-doses")
        day_steps = [(i, s) for i, s in enumerate(steps) if isinstance(s, DayStep)]
        pattern = self.pattern
        if pattern is None and not day_steps:
            problems.add("pattern", "a course needs exactly one timing pattern (DaysPattern, "
                         "EveryPattern, WeekdaysPattern, DailyPattern or HoursPattern) or steps "
                         "by days",
                         code="missing-pattern")
        elif pattern is not None and day_steps:
            problems.add("pattern", "day steps are the course's pattern: give pattern=None",
                         pattern, code="pattern-with-day-steps")
        elif pattern is not None and not isinstance(
                pattern, DaysPattern | EveryPattern | WeekdaysPattern | DailyPattern
                | HoursPattern | MonthsPattern):
            problems.add("pattern", "a DaysPattern, EveryPattern, WeekdaysPattern, "
                         "DailyPattern, HoursPattern or MonthsPattern", pattern,
                         code="wrong-type")
            pattern = None
        seen: dict[int, int] = {}
        for index, step in day_steps:
            for day in step.days:
                if day in seen:
                    problems.add(("steps", index, "days"), f"day {day} is already in "
                                 f"steps[{seen[day]}]: steps overlap", day,
                                 code="overlapping-steps")
                    break
                seen[day] = index
        if self.id is not None and (not isinstance(self.id, str) or not self.id):
            problems.add("id", "a course id (text) or None", self.id, code="wrong-type")
        if self.duration is not None and not isinstance(self.duration, Elapsed):
            problems.add("duration", "an Elapsed time (Elapsed.parse('46 hours'))",
                         self.duration, code="wrong-type")
        if not isinstance(self.policy, Policy):
            problems.add("policy", "a Policy", self.policy, code="wrong-type")
        if self.method is not None and self.method not in METHODS:
            problems.add("method", f"must be one of: {', '.join(METHODS)}", self.method,
                         code="not-one-of")
        elif self.method in ("bolus", "push") and self.duration is not None:
            problems.add("duration", f"a {self.method} is given at once; 'duration' goes with "
                         "'method: infusion' (or no method)", str(self.duration),
                         code="method-and-duration")
        # What is given: one of a dose, steps, placebo, or an unspecified dose with a note.
        if self.dose is not None and not isinstance(self.dose, Dose):
            problems.add("dose", "a Dose", self.dose, code="wrong-type")
        if self.dose is not None and steps:
            problems.add("steps", "give either dose or steps, not both", code="dose-and-steps")
        if self.placebo and (self.dose is not None or steps):
            problems.add("placebo", "a placebo course has no active dose or steps: remove them",
                         code="placebo-with-dose")
        if self.unspecified and not self.dose_note:
            problems.add("dose_note", "a course with no dose, steps or placebo needs a "
                         "dose_note saying why the amount is not fixed (e.g. 'titrated to "
                         "trough level')", code="unspecified-dose-without-note")
        # Where the course lies within its period, and how its cycles count.
        start = self.start
        if isinstance(start, bool) or not isinstance(start, int) or start < 1:
            problems.add("start", "the day of the period the course starts on, from 1", start,
                         code="too-small")
        for key, length in (("span", self.span), ("cycle", self.cycle)):
            if isinstance(length, Months) and key == "cycle":
                continue  # whole months from 1 (checked by Months)
            if length is not None and (not isinstance(length, Duration) or length.days < 1):
                problems.add(key, "a Duration of at least 1 day", length, code="too-small")
                return
        combination = months_combination(pattern, self.cycle)
        if combination is not None:
            problems.add(("pattern", combination[0]), combination[1],
                         code="calendar-months-combination")
            return
        cycles = self.cycles
        if cycles is not None:
            if isinstance(cycles, bool) or not isinstance(cycles, int) or cycles < 1:
                problems.add("cycles", "a whole number of cycles, from 1", cycles, code="too-small")
                return
            if self.cycle is None:
                problems.add("cycles", "cycles needs a cycle length (cycle=Duration(28))",
                             cycles, code="cycles-without-cycle")
        first_cycle = self.first_cycle
        if isinstance(first_cycle, bool) or not isinstance(first_cycle, int) or first_cycle < 1:
            problems.add("first_cycle", "the protocol's number of the first cycle, from 1",
                         first_cycle, code="too-small")
        elif first_cycle != 1 and self.cycle is None:
            problems.add("first_cycle", "first_cycle numbers the course's cycles: give cycle "
                         "too (cycle=Duration(28))", first_cycle,
                         code="first-cycle-without-cycle")
        if CycleStep in kinds:
            covered = sum(s.cycles or 0 for s in steps if isinstance(s, CycleStep))
            if self.cycle is None:
                problems.add("steps", "steps by cycles need a cycle length (cycle=Duration(28))",
                             code="cycles-without-cycle")
            elif open_steps:
                if cycles is not None and cycles <= covered:
                    problems.add("cycles", f"the steps before the open-ended last step cover "
                                 f"{counted(covered, 'cycle')}, so the course's {cycles} leave "
                                 "it none", cycles, code="steps-mismatch")
            elif cycles != covered:
                # Cycles beyond the steps would have no dose: never leave it to chance.
                problems.add("cycles", f"the steps cover {counted(covered, 'cycle')} but the "
                             f"course has {cycles}" if cycles is not None else
                             f"the steps cover {counted(covered, 'cycle')}: give cycles={covered}",
                             code="steps-mismatch")
        if self.cycle is not None and cycles is not None and self.span is not None and (
                cycles_days(self.cycle, cycles) > self.span.days):
            problems.add("cycles", f"{counted(cycles, 'cycle')} of "
                         f"{cycle_text(self.cycle)} {'needs' if cycles == 1 else 'need'} "
                         f"{'up to ' if isinstance(self.cycle, Months) else ''}"
                         f"{counted(cycles_days(self.cycle, cycles), 'day')}, but the course "
                         f"has {self.span.days}", cycles, code="cycles-past-course")
        if self.cycle is not None:
            window, where = self.cycle.days, cycle_where(self.cycle)
        elif self.span is not None:
            window, where = self.span.days, f"the course ({counted(self.span.days, 'day')})"
        else:
            window, where = 0, ""  # the period's length: checked by Regimen
        if window and (pattern is not None or day_steps):
            for loc, message, value, code in self.misfits(window, where):
                problems.add(loc, message, value, code=code)
        if isinstance(self.cycle, Duration) and isinstance(pattern, DaysPattern):
            overlap = cycle_day_overlap(pattern.days, self.cycle.days)
            if overlap is not None:
                problems.add(("pattern", "days"), overlap, code="cycle-day-overlap")
        if open_steps and CycleStep in kinds and self.cycle is not None and (
                self.span is not None and cycles is None):
            covered = sum(s.cycles or 0 for s in steps if isinstance(s, CycleStep))
            unreached = open_step_problem(covered, self.cycle, self.span.days)
            if unreached is not None:
                problems.add("steps", unreached, code="open-step-unreached")
        if isinstance(pattern, HoursPattern) and self.times:
            problems.add("times", "an interval in hours gives its own times from 'at'; "
                         "remove 'times'", code="times-with-hours")
        # Times, arms and the drugs this course names.
        if not isinstance(self.times, tuple) or not all(isinstance(t, time) for t in self.times):
            problems.add("times", "a tuple of datetime.time", self.times, code="wrong-type")
        elif len(set(self.times)) != len(self.times):
            problems.add("times", "a time of day is listed twice", code="duplicate-time")
        if self.arms is not None and (not isinstance(self.arms, tuple) or not self.arms):
            # An empty tuple would give the course to no arm: a silent drop.
            problems.add("arms", "a non-empty tuple of arm ids (None: every arm)", self.arms,
                         code="too-few-items")
        for key, ids in (("not_on", self.not_on), ("no_same_day", self.no_same_day)):
            for i, other in enumerate(ids):
                if other == self.drug:
                    problems.add((key, i), "must name another drug of this regimen", other,
                                 code="not-another-drug")
        self._check_site(problems)
        self._check_levels(problems)
        self._check_divided(problems)

    def _check_divided(self, problems: Problems) -> None:
        """A divided daily dose is given in one part at each time of day: as many parts as
        times (otherwise the day would get more or less than its daily dose)."""
        doses = [("dose", self.dose)] if self.dose is not None else [
            (("steps", i, "dose"), s.dose) for i, s in enumerate(self.steps)]
        for loc, dose in doses:
            if isinstance(dose, Dose) and dose.divided is not None and (
                    dose.divided != len(self.times)):
                problems.add(loc, f"a daily dose divided in {dose.divided} is given at as many "
                             f"times of day; the course lists {len(self.times)}",
                             dose.divided, code="divided-not-times")
                return

    def _check_site(self, problems: Problems) -> None:
        """``clinic``, ``window`` and ``min_interval`` (the site calendar's rules)."""
        if not isinstance(self.clinic, bool):
            problems.add("clinic", "true or false", self.clinic, code="wrong-type")
        if self.window is not None and not isinstance(self.window, Window):
            problems.add("window", "a Window", self.window, code="wrong-type")
        interval = self.min_interval
        if interval is not None and (not isinstance(interval, Duration) or interval.days < 1):
            problems.add("min_interval", "a Duration of at least 1 day", interval,
                         code="too-small")
        elif interval is not None and self.window is None:
            # Without a window nothing moves, so the interval would never be used.
            problems.add("min_interval", MIN_INTERVAL_NEEDS_WINDOW, str(interval),
                         code="min-interval-without-window")

    def _check_levels(self, problems: Problems) -> None:
        levels = self.levels
        if not isinstance(levels, tuple) or not all(isinstance(x, DoseLevel) for x in levels):
            problems.add("levels", "a tuple of DoseLevel", levels, code="wrong-type")
            return
        if not levels:
            return
        if len({x.level for x in levels}) != len(levels):
            problems.add("levels", "a dose level is given twice", code="duplicate-level")
        doses = [self.dose] if self.dose is not None else [s.dose for s in self.steps]
        if not doses:
            problems.add("levels", "dose levels need a dose: a placebo or unspecified dose "
                         "has none to change", code="levels-without-dose")
            return
        for x in levels:
            q = x.quantity
            if q is None:
                continue
            if self.steps:
                problems.add("levels", f"dose level {x.level}: a course with steps takes "
                             "dose levels as percentages only (an absolute dose would replace "
                             "every step alike)", str(x), code="absolute-level-with-steps")
            elif doses[0] is not None and doses[0].bands:
                problems.add("levels", f"dose level {x.level}: a banded dose takes dose "
                             "levels as percentages only (an absolute dose would replace "
                             "every band alike)", str(x), code="absolute-level-with-bands")
            elif doses[0] is not None and (q.basis, q.amount.unit.dimension) != (
                    doses[0].basis, doses[0].quantity.amount.unit.dimension):
                problems.add("levels", f"dose level {x.level} must be in the basis and "
                             f"dimension of the dose ({human_dose_quantity(doses[0].quantity)})",
                             str(x), code="level-basis-mismatch")

    def level(self, number: int) -> DoseLevel | None:
        """The dose level ``number`` of this course; None for level 0 (the written dose).

        Raises:
            KeyError: the course declares no such level.
        """
        if number == 0:
            return None
        for x in self.levels:
            if x.level == number:
                return x
        raise KeyError(number)

    def misfits(self, length: int, where: str) -> list[Misfit]:
        """(loc, message, value, code) of days that do not fit a ``length``-day window.

        The window is a cycle, the span, or what remains of the period; ``where``
        names it in the message (``"a 28-day cycle"``).
        """
        if self.pattern is not None:
            found = self.pattern.misfit(length, where)
            return [] if found is None else [(("pattern", *found[0]), *found[1:])]
        for index, step in enumerate(self.steps):
            if isinstance(step, DayStep):
                late = [d for d in step.days if d > length]
                if late:
                    return [(("steps", index, "days"), f"day {late[0]} is outside {where}",
                             late[0], "day-outside-cycle")]
        return []

    @property
    def unspecified(self) -> bool:
        """True when the protocol fixes no amount (e.g. titrated to a trough level)."""
        return not self.placebo and self.dose is None and not self.steps

    @property
    def date_dependent(self) -> bool:
        """True when the course's days depend on the calendar (a weekday pattern, or
        calendar months: an interval or a cycle in months)."""
        return (self.pattern is not None and self.pattern.date_dependent) or isinstance(
            self.cycle, Months)

    @property
    def in_months(self) -> bool:
        """True when the course counts calendar months (``every`` or ``cycle`` in months):
        its days depend on the date it starts on, not only on the weekday."""
        return isinstance(self.pattern, MonthsPattern) or isinstance(self.cycle, Months)

    def window_days(self, length: int, weekday0: int) -> list[int]:
        """1-based days of a ``length``-day cycle (or the span) on which the course doses.

        ``weekday0``: weekday (0 = Monday) of the window's first day. Day steps
        (a taper by days) are their own pattern.
        """
        if self.pattern is not None:
            return self.pattern.days_in(length, weekday0)
        days = sorted(d for s in self.steps if isinstance(s, DayStep) for d in s.days)
        return [d for d in days if d <= length]

    def slots(self, first: int, period_length: int, weekday0: int,
              used: int = 0, day_one: date | None = None) -> tuple[list[Slot], int, int]:
        """Every administration slot of the course, and its first and last offset.

        ``first``: offset from Study Day 1 of the period's first day;
        ``period_length``: the period's length in days; ``weekday0``: the
        weekday (0 = Monday) of offset 0; ``used``: the administrations the
        expansion already holds from other courses; ``day_one``: the date of offset 0,
        needed by a course in calendar months (:attr:`in_months`), whose cycles and
        days are counted from the date of its first day. Slots are ``(offset, cycle,
        cycle day, time, step index)``, in order.

        Raises:
            ValueError: a course in calendar months without ``day_one``.
            OverflowError: a date of a course in calendar months after the year 9999.
            InvalidRegimenError: administration-counted steps that do not cover
                exactly the course's administrations; more than
                :data:`MAX_ADMINISTRATIONS` with ``used`` (counted window by
                window, before a slot of the window is made).
        """
        span_first = first + self.start - 1
        available = period_length - self.start + 1
        span = self.span.days if self.span is not None else available
        if self.in_months and day_one is None:
            raise ValueError("a course in calendar months is laid out from a date (day_one)")
        windows: list[tuple[int, int, int | None]]
        if isinstance(self.cycle, Months):
            assert day_one is not None
            windows, span_last = self._month_windows(day_one, span_first, span)
        elif self.cycle is not None:
            size = self.cycle.days
            count = self.cycles if self.cycles is not None else -(-span // size)
            windows = [
                (span_first + k * size, min(size, span - k * size), k + 1) for k in range(count)]
            span_last = span_first + min(span, count * size) - 1
        else:
            windows = [(span_first, span, None)]
            span_last = span_first + span - 1
        slots: list[Slot] = []
        times: tuple[time | None, ...] = self.times or (None,)
        cycle_steps = [s for s in self.steps if isinstance(s, CycleStep)]
        day_steps = [s for s in self.steps if isinstance(s, DayStep)]
        # The days of a window depend only on its length, except for weekday patterns.
        by_length: dict[int, list[int]] = {}
        dated = self.date_dependent
        # Elapsed-hour intervals give their own times of day (moments): no 'times'.
        hourly = self.pattern if isinstance(self.pattern, HoursPattern) else None
        number = self.first_cycle - 1  # the protocol's cycle number is k + first_cycle
        for window_first, length, cycle in windows:
            step = None
            if cycle_steps and cycle is not None:
                bound = 0
                for index, s in enumerate(cycle_steps):
                    if s.cycles is None:  # open-ended: every cycle after the others
                        step = index
                        break
                    bound += s.cycles
                    if cycle <= bound:
                        step = index
                        break
            if isinstance(self.pattern, MonthsPattern):
                assert day_one is not None
                days = self.pattern.days_from(day_one + timedelta(days=window_first), length)
            elif dated:
                days = self.window_days(length, (weekday0 + window_first) % 7)
            elif length in by_length:
                days = by_length[length]
            else:
                days = by_length[length] = self.window_days(length, 0)
            if used + len(slots) + len(days) * len(times) > MAX_ADMINISTRATIONS:
                raise self._too_many(windows, dated, weekday0, len(times), used,
                                     days if isinstance(self.pattern, MonthsPattern) else None)
            cycle_day_of = cycle is not None
            shown = None if cycle is None else cycle + number
            if hourly is not None:
                for day, moment in hourly.moments(length):
                    slots.append((window_first + day - 1, shown, day if cycle_day_of else None,
                                  moment, step))
                continue
            if not day_steps and len(times) == 1 and (not days or min(days) > 0):
                # The common case, one slot per day from day 1 on: built in one pass.
                base, at = window_first - 1, times[0]
                slots += ([(base + day, shown, day, at, step) for day in days] if cycle_day_of
                          else [(base + day, shown, None, at, step) for day in days])
                continue
            for day in days:
                if day_steps:
                    step = next(i for i, s in enumerate(day_steps) if day in s.days)
                # Day -1 is the day before day 1: there is no day 0 to step over.
                offset = window_first + day - 1 if day > 0 else window_first + day
                for t in times:
                    slots.append((offset, shown, day if cycle_day_of else None, t, step))
        if isinstance(self.pattern, DaysPattern) and self.pattern.days[0] < 0:
            # A day before day 1 may come before the previous cycle's last days: keep the
            # slots in date order (steps by administrations count them in that order).
            slots.sort(key=lambda slot: slot[0])
            span_first = min(span_first, slots[0][0]) if slots else span_first
        admin_steps = [s for s in self.steps if isinstance(s, AdministrationStep)]
        if admin_steps:
            covered = sum(s.administrations or 0 for s in admin_steps)
            open_ended = admin_steps[-1].administrations is None
            if (covered >= len(slots)) if open_ended else covered != len(slots):
                raise self.problem(
                    f"the steps before the open-ended last step cover "
                    f"{counted(covered, 'administration')} but the course gives {len(slots)}, "
                    "leaving it none" if open_ended else
                    f"the steps cover {counted(covered, 'administration')} but "
                    f"the course gives {len(slots)}", code="steps-mismatch")
            index, left = 0, admin_steps[0].administrations or len(slots)
            for n, (offset, cycle, cycle_day, t, _) in enumerate(slots):
                while left == 0:
                    index += 1
                    left = admin_steps[index].administrations or len(slots)
                slots[n] = (offset, cycle, cycle_day, t, index)
                left -= 1
        return slots, span_first, span_last

    def calendar_key(self, first: int, period_length: int, day_one: date) -> tuple[int, ...]:
        """What of this course's layout depends on the date of offset 0 (``day_one``) beyond
        its period's place and length: for a course in calendar months, where its cycles
        start (a cycle in months) or its days (an interval in months); () otherwise.

        Two starts that give the same key, the same period places and (for a weekday
        pattern) the same weekday give the same slots, so ``check`` lays one out for both.

        Raises:
            OverflowError: a date after the year 9999.
        """
        span_first = first + self.start - 1
        span = self.span.days if self.span is not None else period_length - self.start + 1
        if isinstance(self.cycle, Months):
            windows, _ = self._month_windows(day_one, span_first, span)
            return tuple(start for start, _, _ in windows)
        if isinstance(self.pattern, MonthsPattern):
            return tuple(self.pattern.days_from(day_one + timedelta(days=span_first), span))
        return ()

    def _month_windows(self, day_one: date, span_first: int, span: int
                       ) -> tuple[list[tuple[int, int, int | None]], int]:
        """The cycles of a cycle in calendar months, and the span's last offset.

        Cycle k (from 0) starts on the date of the span's first day + k cycles of months,
        counted from that date (never chained), and lasts until the next one starts; the
        last is cut at the span's end. ``cycles`` of them, or until the span ends.
        """
        assert isinstance(self.cycle, Months)
        anchor = day_one + timedelta(days=span_first)
        end = span_first + span  # the first offset after the span
        windows: list[tuple[int, int, int | None]] = []
        k = 0
        start = span_first
        while self.cycles is None or k < self.cycles:
            if start >= end:
                break
            after = span_first + (self.cycle.after(anchor, k + 1) - anchor).days
            windows.append((start, min(after, end) - start, k + 1))
            start = after
            k += 1
        span_last = windows[-1][0] + windows[-1][1] - 1 if windows else span_first - 1
        return windows, span_last

    def _too_many(self, windows: list[tuple[int, int, int | None]], dated: bool,
                  weekday0: int, times: int, used: int,
                  monthly: list[int] | None = None) -> InvalidRegimenError:
        # Count the whole course (window by window, nothing made) to say how far over it is;
        # an interval in months has one window, whose days are ``monthly``.
        count = (len(monthly) * times if monthly is not None else sum(
            len(self.window_days(length, (weekday0 + start) % 7 if dated else 0))
            for start, length, _ in windows) * times)
        others = f", {count + used:,} with the other courses" if used else ""
        return self.problem(
            f"the course gives {count:,} administrations{others}: more than "
            f"{MAX_ADMINISTRATIONS:,}, the most one expansion may hold; check its times, "
            "pattern and length", code="too-many-administrations")

    def overlap_problem(self, lengths: tuple[int, ...]) -> str | None:
        """Why one administration would still be running when the next one starts, or None.

        ``duration`` (elapsed time) is compared with the shortest gap between two
        consecutive administrations of this course, laid out in a period of each of
        ``lengths`` days (both ends of a ranged period) and, for a weekday pattern, from
        each start weekday; for a course in calendar months, from each start of a
        four-year leap cycle (:data:`MONTHS_STARTS` days from :data:`MONTHS_REFERENCE`).
        A gap is counted in nominal time: whole days of 24 hours plus the difference of
        the written times (an administration without a time is taken at the same time
        each day); a clock change is not counted, as the timing is
        written in days. A duration equal to the gap is a continuous infusion, allowed.
        Layouts the expansion itself refuses (too many administrations, steps that do
        not cover them) are left to it.
        """
        if self.duration is None:
            return None
        starts = range(7) if self.date_dependent else range(1)
        dates: list[date | None] = [None]
        if self.in_months:
            # Every day of a four-year leap cycle (docs/format.md, "Calendar months").
            dates = [MONTHS_REFERENCE + timedelta(days=k) for k in range(MONTHS_STARTS)]
            starts = range(1)
        worst: tuple[int, int] | None = None  # (gap in minutes, day of the first)
        seen: set[tuple[int, tuple[int, ...]]] = set()
        for length, weekday0, day_one in product(lengths, starts, dates):
            if day_one is not None:
                # Starts that place the months alike give the same gaps: lay out one.
                key = (length, self.calendar_key(0, length, day_one))
                if key in seen:
                    continue
                seen.add(key)
            try:
                slots = self.slots(0, length, day_one.weekday() if day_one else weekday0,
                                   day_one=day_one)[0]
            except InvalidRegimenError:
                continue
            moments = sorted(
                offset * 1440 + (0 if t is None else t.hour * 60 + t.minute)
                for offset, _, _, t, _ in slots)
            for first, then in pairwise(moments):
                gap = then - first
                if worst is None or gap < worst[0]:
                    worst = (gap, first // 1440 + 1)
        if worst is None or self.duration.minutes <= worst[0]:
            return None
        day = worst[1] if worst[1] > 0 else worst[1] - 1  # no day 0 before day 1
        return (f"each administration lasts {self.duration} (duration), longer than the "
                f"{Elapsed(worst[0])} from one administration of this course to the next "
                f"(from day {day} of its period): the next would start before the previous "
                "one ends; shorten the duration, or space the administrations")

    def delivery_problem(self, drug_route: str) -> tuple[str, str] | None:
        """Why ``method`` or ``duration`` do not fit the course's route, or None.

        ``drug_route``: the drug's route (the course's own ``route`` wins). Returns
        (field, message): an oral or intramuscular dose is given at once, so it has no
        method and no duration.
        """
        route = human_route(self.route or drug_route)
        if route not in AT_ONCE_ROUTES:
            return None
        if self.method is not None:
            return ("method", f"the route is {route}: 'method' ({', '.join(METHODS)}) "
                    "describes an injection or infusion; remove 'method' or change 'route'")
        if self.duration is not None:
            return ("duration", f"the route is {route}, given at once: 'duration' is for an "
                    "infusion (or a route such as transdermal); remove 'duration' or change "
                    "'route'")
        return None

    def problem(self, message: str, *, code: str) -> InvalidRegimenError:
        """An error about this course, located at its place in the source file.

        ``code`` names the rule broken (see :class:`~regimens.Problem`). A course
        built in Python has no place in a file: its record, ``<Course>``, is named instead.
        """
        file, line, loc = self.where
        return InvalidRegimenError([Problem(file or "<Course>", line, loc, message, code=code)])
