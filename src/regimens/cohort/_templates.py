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

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ..engine import AdministrationColumns, columns_of, expand, resolve
from ..model import Dose, Regimen
from ..quantities import Amount, Basis, BSAFormula, shared_study_days

if TYPE_CHECKING:
    from ..engine import Administration

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

    def code(kind: str, value: str) -> int:
        table = codes[kind]
        return table.setdefault(value, len(table))

    columns = columns_of(schedule)
    made = (_rows(schedule.administrations, code, keys, np) if columns is None
            else _columns(columns, code, keys, np))
    rows, offsets, scaled, exact = made
    visits = schedule.visits
    ends = [(p.first_date - start).days for p in schedule.periods]
    ends += [(p.last_date - start).days for p in schedule.periods]
    ends += [(v.earliest - start).days for v in visits] + [(v.latest - start).days
                                                          for v in visits]
    ends += offsets[:1] + offsets[-1:]
    return Template(
        arm=arm_code,
        rows=rows,
        visits={
            "visit": np.array([code("visit", v.id) for v in visits], dtype="int16"),
            "study_day": np.array([v.study_day.value for v in visits], dtype="int32"),
            "offset": np.array([(v.date - start).days for v in visits], dtype="int64"),
            "before": np.array([(v.date - v.earliest).days for v in visits], dtype="int64"),
            "after": np.array([(v.latest - v.date).days for v in visits], dtype="int64"),
            "period": np.array([-1 if v.period is None else code("period", v.period)
                                for v in visits], dtype="int16"),
        },
        scaled=scaled,
        low=min(ends, default=0),
        high=max(ends, default=0),
        keys={key for key, _ in scaled},
        lengths=dict(lengths),
        exact=exact,
    )


#: What :func:`_rows` and :func:`_columns` make: the row columns (``ROW_COLUMNS``), the
#: day offsets in schedule order, the scaled doses' rows per key, the exact amounts.
_Made = tuple[dict[str, Any], list[int], list[tuple[int, Any]], list[Amount | None]]


def _rows(rows: tuple[Administration, ...], code: Callable[[str, str], int],
          keys: dict[Dose, int], np: Any) -> _Made:
    """A template's row columns from the schedule's administrations, row by row (a
    schedule the engine laid out row by row: site calendars, times in a zone...)."""
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
    offsets = [a.study_day.offset for a in rows]
    columns = {
        "offset": np.array(offsets, dtype="int64"),
        "study_day": np.array([a.study_day.value for a in rows], dtype="int32"),
        "time": _times(minutes, np),
        "period": np.array([code("period", a.period) for a in rows], dtype="int16"),
        "drug": np.array([code("drug", a.drug) for a in rows], dtype="int16"),
        "course": np.array([a.course for a in rows], dtype="int16"),
        "cycle": np.array([-1 if a.cycle is None else a.cycle for a in rows], dtype="int32"),
        "cycle_day": np.array([-1 if a.cycle_day is None else a.cycle_day for a in rows],
                              dtype="int32"),
        # 1-based, as in JSON and CSV; -1 marks "no step".
        "step": np.array([-1 if a.step_number is None else a.step_number for a in rows],
                         dtype="int16"),
        "amount": amount,
        "unit": unit,
        "placebo": np.array([a.placebo for a in rows], dtype=bool),
        "blinded": np.array([a.blinded for a in rows], dtype=bool),
    }
    return (columns, offsets, [(k, np.array(v, dtype="int64")) for k, v in scaled.items()],
            [a.dose.amount for a in rows])


def _columns(columns: AdministrationColumns, code: Callable[[str, str], int],
             keys: dict[Dose, int], np: Any) -> _Made:
    """The same as :func:`_rows`, from the engine's columns (its bulk layout) without an
    :class:`Administration` per row: each course's shared fields and each step's dose
    are read once, the rows' own fields from the course's slots.

    Labels, units and dose keys are coded in the order of their first row in the
    schedule, as :func:`_rows` codes them (tests/cohort compare the two).
    """
    order = np.array(columns.order, dtype="int64")
    # Per row, in schedule order: its group, and the index of its dose among the distinct
    # doses (``doses``, in the order of their first rows).
    group_of = np.concatenate([np.full(len(s), g, dtype="int64")
                               for g, s in enumerate(columns.slots)] or
                              [np.empty(0, dtype="int64")])[order]
    index: dict[int, int] = {}
    doses: list[Any] = []
    per_slot: list[int] = []
    for (_, by_step), slots in zip(columns.groups, columns.slots, strict=True):
        for slot in slots:
            dose = by_step[slot[4]]
            found = index.get(id(dose))
            if found is None:
                found = index[id(dose)] = len(doses)
                doses.append(dose)
            per_slot.append(found)
    dose_of = np.array(per_slot, dtype="int64")[order]
    firsts = np.unique(dose_of, return_index=True)[1]
    size = len(order)
    amount = np.full(size, np.nan)
    unit = np.full(size, -1, dtype="int16")
    scaled: dict[int, list[Any]] = {}
    for j in dose_of[np.sort(firsts)].tolist():  # the doses in the order of their first rows
        computed = doses[j]
        where = np.flatnonzero(dose_of == j)
        if computed.amount is not None:
            amount[where] = float(computed.amount.magnitude)
            unit[where] = code("unit", computed.amount.unit.symbol)
        elif computed.per_basis is not None and computed.basis not in (None, Basis.FLAT):
            key = keys.setdefault(computed.per_basis, len(keys))
            scaled.setdefault(key, []).append(where)
            unit[where] = code("unit", computed.per_basis.quantity.amount.unit.symbol)
    # The fields every row of a group shares, coded in the order of the groups' first rows.
    firsts = np.unique(group_of, return_index=True)[1]
    shared: dict[str, list[int]] = {"period": [0] * len(columns.groups),
                                    "drug": [0] * len(columns.groups)}
    for g in group_of[np.sort(firsts)].tolist():
        fields = columns.groups[g][0]
        shared["period"][g] = code("period", fields["period"])
        shared["drug"][g] = code("drug", fields["drug"])

    def per_group(values: list[Any], dtype: str) -> Any:
        return np.array(values, dtype=dtype)[group_of]

    fields_of = [fields for fields, _ in columns.groups]
    slots = [slot for group in columns.slots for slot in group]
    study_day = shared_study_days(columns.day_zero).__getitem__
    offsets = [slots[i][0] for i in columns.order]
    minutes = np.array([-1 if s[3] is None else s[3].hour * 60 + s[3].minute for s in slots],
                       dtype="int64")[order]
    made = {
        "offset": np.array(offsets, dtype="int64"),
        "study_day": np.array([study_day(o).value for o in offsets], dtype="int32"),
        "time": _times(minutes, np),
        "period": per_group(shared["period"], "int16"),
        "drug": per_group(shared["drug"], "int16"),
        "course": per_group([f["course"] for f in fields_of], "int16"),
        "cycle": np.array([-1 if s[1] is None else s[1] for s in slots], dtype="int32")[order],
        "cycle_day": np.array([-1 if s[2] is None else s[2] for s in slots],
                              dtype="int32")[order],
        # 1-based, as in JSON and CSV; -1 marks "no step".
        "step": np.array([-1 if s[4] is None else s[4] + 1 for s in slots],
                         dtype="int16")[order],
        "amount": amount,
        "unit": unit,
        "placebo": per_group([f["placebo"] for f in fields_of], "bool"),
        "blinded": per_group([f["blinded"] for f in fields_of], "bool"),
    }
    exact = [doses[j].amount for j in dose_of.tolist()]
    return (made, offsets,
            [(k, np.sort(np.concatenate(v))) for k, v in scaled.items()], exact)


def _times(minutes: Any, np: Any) -> Any:
    """Minutes after midnight (-1: no time) as ``timedelta64[m]`` (NaT: no time)."""
    time = minutes.astype("timedelta64[m]")
    time[minutes < 0] = np.timedelta64("NaT")
    return time
