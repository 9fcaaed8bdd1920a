"""Banded and standard doses: bands by weight, age or BSA, and rounding to a standard dose
(dose bands, a dose-banding table or whole vials)."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import NamedTuple

from .._records import dataclass
from ..quantities import (
    Amount,
    Dimension,
    DoseQuantity,
    exactly,
)
from ._invariants import Problems

__all__ = [
    "BAND_UNITS",
    "BandBy",
    "DoseBand",
    "DoseRange",
    "OutsideTolerance",
    "StandardDoses",
    "band_edge_text",
    "table_problem",
]


class BandBy(enum.Enum):
    """What a banded dose's bands are measured in: weight (kg), age (years) or BSA (m2)."""

    WEIGHT = "weight"
    AGE = "age"
    BSA = "bsa"


#: The unit each band measure is compared in (ages in months, so that an edge at 18 months
#: and an age from a birth date, in completed months, compare exactly).
BAND_UNITS = {BandBy.WEIGHT: "kg", BandBy.AGE: "months", BandBy.BSA: "m2"}


@exactly
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
