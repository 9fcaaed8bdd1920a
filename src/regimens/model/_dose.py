"""A dose as the protocol states it (:class:`Dose`: amount, cap, rounding and the options of
its basis) and the dose levels of a course (:class:`DoseLevel`)."""

from __future__ import annotations

import enum
from dataclasses import field
from decimal import Decimal

from .._records import dataclass
from ..quantities import (
    Amount,
    Basis,
    DoseQuantity,
    Strength,
    form_part_problem,
    human_dose_quantity,
    plain,
)
from ._bands import (
    BandBy,
    DoseBand,
    StandardDoses,
)
from ._invariants import Location, Problems

__all__ = [
    "Dose",
    "DoseLevel",
    "Rounding",
    "WeightBasis",
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
            return f"{plain(self.percent)}%"
        assert self.quantity is not None
        return human_dose_quantity(self.quantity)
