"""Templates: one group's rows, laid out once by the engine, independent of the start date.

A regimen's layout depends on the arm, the period lengths chosen and, when
the arm has a weekday pattern, on the weekday of Study Day 1; on nothing else
about the participant (``_guard`` refuses regimens for which that is not so).
Participants are grouped by those three things, and each group's rows are laid
out once by :func:`regimens.engine.expand`, the code ``expand`` runs, on a
reference date with the group's weekday. Dates are kept as day offsets from
Study Day 1, so one template serves every start date of its group.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..engine import expand, resolve
from ..model import Dose, Regimen
from ..quantities import Amount, Basis, BSAFormula

__all__ = ["REFERENCE_MONDAY", "ROW_COLUMNS", "Template", "template"]

#: A Monday far from both ends of the calendar: templates are laid out from it (plus the
#: group's weekday), so no participant's own start date can overflow a template.
REFERENCE_MONDAY = date(2001, 1, 1)

#: The columns a template holds, with their NumPy dtypes (``offset``: days from Day 1).
ROW_COLUMNS: dict[str, str] = {
    "offset": "int64",
    "study_day": "int32",
    "time": "timedelta64[m]",
    "period": "int16",
    "drug": "int16",
    "course": "int16",
    "cycle": "int32",
    "cycle_day": "int32",
    "step": "int16",
    "amount": "float64",
    "unit": "int16",
    "placebo": "bool",
    "blinded": "bool",
}

#: The columns of a template's visits (``offset``, ``before``, ``after``: days).
VISIT_COLUMNS: dict[str, str] = {
    "visit": "int16", "study_day": "int32", "offset": "int64", "before": "int64",
    "after": "int64", "period": "int16",
}


@dataclass
class Template:
    """One group's rows and visits; amounts of per-kg and per-m2 doses are left to fill."""

    arm: int  # code into the cohort's arms
    rows: dict[str, Any]  # column -> NumPy array, one value per row (ROW_COLUMNS)
    visits: dict[str, Any]  # column -> NumPy array, one value per visit (VISIT_COLUMNS)
    scaled: list[tuple[int, Any]]  # (dose key, row indices) of per-kg / per-m2 doses
    low: int  # the earliest and latest day offsets the schedule dates (periods, visit
    high: int  # windows, administrations): a start is in the calendar if both are
    keys: set[int] = field(default_factory=set)  # the dose keys of ``scaled``
    lengths: dict[str, str] = field(default_factory=dict)  # as given to ``resolve``
    # Per row, the exact amount of a flat dose (None: scaled, or no amount): the float
    # ``amount`` column is for output; a cumulative limit adds up exact amounts.
    exact: list[Amount | None] = field(default_factory=list)

    @property
    def size(self) -> int:
        """The number of rows."""
        return len(self.rows["offset"])


def template(regimen: Regimen, arm: str, arm_code: int, weekday: int, lengths: dict[str, str],
             bsa_formula: BSAFormula, bsa_decimals: int, codes: dict[str, dict[str, int]],
             keys: dict[Dose, int], np: Any) -> Template:
    """Lay out one group: ``arm``, a start on ``weekday`` (0 = Monday), ``lengths``.

    ``codes`` (label -> code, per coded column) and ``keys`` (dose -> key) are
    shared by every template of a cohort and grow as labels and doses are met.

    Raises:
        ExpandOptionError: as :func:`regimens.engine.resolve` (an unknown length...).
        InvalidRegimenError: as :func:`regimens.engine.expand` (a course no
            administration receives...).
    """
    start = REFERENCE_MONDAY + timedelta(days=weekday)
    line = resolve(regimen, arm=arm, start=start, lengths=lengths, bsa_formula=bsa_formula,
                   bsa_decimals=bsa_decimals)
    schedule = expand(regimen, line, symbolic=True)
    rows = schedule.administrations

    def code(kind: str, value: str) -> int:
        table = codes[kind]
        return table.setdefault(value, len(table))

    size = len(rows)
    amount = np.full(size, np.nan)
    unit = np.full(size, -1, dtype="int16")
    scaled: dict[int, list[int]] = {}
    for i, a in enumerate(rows):
        computed = a.dose
        if computed.amount is not None:
            amount[i] = float(computed.amount.magnitude)
            unit[i] = code("unit", computed.amount.unit.symbol)
        elif computed.per_basis is not None and computed.basis not in (None, Basis.FLAT):
            dose = computed.per_basis
            key = keys.setdefault(dose, len(keys))
            scaled.setdefault(key, []).append(i)
            unit[i] = code("unit", dose.quantity.amount.unit.symbol)
    minutes = np.array([-1 if a.time is None else a.time.hour * 60 + a.time.minute
                        for a in rows], dtype="int64")
    time = minutes.astype("timedelta64[m]")
    time[minutes < 0] = np.timedelta64("NaT")
    offsets = [a.study_day.offset for a in rows]
    visits = schedule.visits
    ends = [(p.first_date - start).days for p in schedule.periods]
    ends += [(p.last_date - start).days for p in schedule.periods]
    ends += [(v.earliest - start).days for v in visits] + [(v.latest - start).days
                                                          for v in visits]
    ends += offsets[:1] + offsets[-1:]
    return Template(
        arm=arm_code,
        rows={
            "offset": np.array(offsets, dtype="int64"),
            "study_day": np.array([a.study_day.value for a in rows], dtype="int32"),
            "time": time,
            "period": np.array([code("period", a.period) for a in rows], dtype="int16"),
            "drug": np.array([code("drug", a.drug) for a in rows], dtype="int16"),
            "course": np.array([a.course for a in rows], dtype="int16"),
            "cycle": np.array([-1 if a.cycle is None else a.cycle for a in rows],
                              dtype="int32"),
            "cycle_day": np.array([-1 if a.cycle_day is None else a.cycle_day for a in rows],
                                  dtype="int32"),
            # 1-based, as in JSON and CSV; -1 marks "no step".
            "step": np.array([-1 if a.step_number is None else a.step_number for a in rows],
                             dtype="int16"),
            "amount": amount,
            "unit": unit,
            "placebo": np.array([a.placebo for a in rows], dtype=bool),
            "blinded": np.array([a.blinded for a in rows], dtype=bool),
        },
        visits={
            "visit": np.array([code("visit", v.id) for v in visits], dtype="int16"),
            "study_day": np.array([v.study_day.value for v in visits], dtype="int32"),
            "offset": np.array([(v.date - start).days for v in visits], dtype="int64"),
            "before": np.array([(v.date - v.earliest).days for v in visits], dtype="int64"),
            "after": np.array([(v.latest - v.date).days for v in visits], dtype="int64"),
            "period": np.array([-1 if v.period is None else code("period", v.period)
                                for v in visits], dtype="int16"),
        },
        scaled=[(k, np.array(v, dtype="int64")) for k, v in scaled.items()],
        low=min(ends, default=0),
        high=max(ends, default=0),
        keys=set(scaled),
        lengths=dict(lengths),
        exact=[a.dose.amount for a in rows],
    )
