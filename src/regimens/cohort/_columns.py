"""The batch API: one regimen expanded for many participants at once, as columns.

The layout of a regimen does not depend on who receives it, only on the
chosen period lengths and, for weekday patterns, on the weekday of Study
Day 1. So the engine (:func:`regimens.engine.expand`) lays the regimen out
once per distinct (lengths, start weekday) group, with doses left symbolic,
and the group's rows are broadcast over its participants with NumPy: dates
are the start plus the template's offsets. Per-kg and per-m2 amounts are
computed with the same exact Decimal arithmetic as ``expand``, once per
distinct body size (weights, or body surface areas rounded as ``expand``
rounds them), never per row.

NumPy (and pyarrow for :meth:`Cohort.to_arrow`) come with the
``regimens[cohort]`` extra and are imported only when this module is used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..engine import (
    OUTSIDE_CALENDAR,
    check_arm,
    check_bsa_decimals,
    dose_amount,
    expand,
    parse_formula,
    parse_start,
    refuse_unsupported,
    resolve,
)
from ..errors import DoseError, ExpandOptionError
from ..format import load
from ..model import DaysPattern, Dose, Regimen
from ..quantities import Basis, BSAFormula, counted
from ._sizes import Sizes, body_sizes, measures

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = ["COLUMNS", "Cohort", "arrow_schema", "expand_cohort"]

EXTRA = "regimens[cohort]"

#: Every column, in order, with its NumPy dtype. Codes index ``Cohort.categories``;
#: -1 (or NaT, NaN) marks "none".
COLUMNS: dict[str, str] = {
    "participant": "int32",  # index into the inputs (starts, weights, ...)
    "study_day": "int32",  # ..., -1, 1, 2, ... (no Day 0, unless the regimen's day_zero)
    "date": "datetime64[D]",
    "time": "timedelta64[m]",  # wall time after midnight; NaT = any time that day
    "period": "int16",  # code into categories["period"]
    "drug": "int16",  # code into categories["drug"] (drug ids)
    "course": "int16",  # index of the course within its period
    "cycle": "int32",  # -1: the course has no cycles
    "cycle_day": "int32",  # -1: the course has no cycles
    "step": "int16",  # -1: no escalation/taper step
    "amount": "float64",  # NaN: placebo or no amount fixed by the protocol
    "unit": "int16",  # code into categories["unit"]; -1 when there is no amount
    "placebo": "bool",
    "blinded": "bool",
}


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:
        raise ImportError(
            f"regimens.cohort needs NumPy: install the extra with pip install '{EXTRA}'"
        ) from None
    return numpy


def _pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError:
        raise ImportError(
            f"Cohort.to_arrow needs pyarrow: install the extra with pip install '{EXTRA}'"
        ) from None
    return pyarrow


# Inputs ------------------------------------------------------------------------------


def _starts(starts: Any, np: Any) -> NDArray[np.datetime64]:
    """Study Day 1 per participant, as ``datetime64[D]``.

    A ``datetime64`` array is checked as a whole; any other sequence item by
    item with the engine's :func:`~regimens.engine.parse_start`, whose error
    names the item (``starts[3]``).
    """
    if isinstance(starts, (str, date)):
        raise ExpandOptionError("starts", "give one start date per participant (a sequence)",
                                starts)
    if isinstance(starts, np.ndarray) and starts.dtype.kind == "M":
        if np.isnat(starts).any():
            raise ExpandOptionError("starts", "a start date is missing (NaT)")
        if np.datetime_data(starts.dtype)[0] in ("Y", "M", "W"):
            # datetime64[M] would silently mean the 1st of each month.
            raise ExpandOptionError("starts", "give each start to the day (datetime64[D])",
                                    str(starts.dtype))
        days = starts.astype("datetime64[D]")
        if (days != starts).any():
            raise ExpandOptionError("starts", "the starts are calendar dates, not dates and "
                                    "times")
    else:
        days = np.array([parse_start(item, f"starts[{i}]") for i, item in enumerate(starts)],
                        dtype="datetime64[D]")
    days = np.ascontiguousarray(days, dtype="datetime64[D]").reshape(-1)
    if np.isnat(days).any():
        raise ExpandOptionError("starts", "a start date is missing (NaT)")
    return days  # type: ignore[no-any-return]


def _lengths(lengths: Mapping[str, Any] | None, n: int, np: Any) -> tuple[
        list[str], list[Any]]:
    """Period ids and, per period, one length text or one per participant."""
    if not lengths:
        return [], []
    ids, columns = [], []
    for period_id, value in lengths.items():
        ids.append(period_id)
        if isinstance(value, str):
            columns.append(value)
            continue
        items = list(value)
        if len(items) != n:
            raise ExpandOptionError(f"lengths.{period_id}",
                                    f"{counted(len(items), 'length')} for "
                                    f"{counted(n, 'participant')}")
        columns.append(np.array([str(i) for i in items], dtype=object))
    return ids, columns


# Templates ---------------------------------------------------------------------------


@dataclass
class _Template:
    """One group's rows, participant-independent (offsets from Study Day 1)."""

    offset: Any  # int64 (T,)
    study_day: Any  # int32
    time: Any  # timedelta64[m]
    period: Any
    drug: Any
    course: Any
    cycle: Any
    cycle_day: Any
    step: Any
    amount: Any  # float64: flat amounts; NaN elsewhere
    unit: Any
    placebo: Any
    blinded: Any
    scaled: list[tuple[int, Any]]  # (dose key, template row indices) for per-kg/m2 doses


def _template(regimen: Regimen, arm: str, start: date, lengths: dict[str, str],
              bsa_formula: BSAFormula | str | None, bsa_decimals: int,
              codes: dict[str, dict[str, int]], keys: dict[Dose, int], np: Any) -> _Template:

    timeline = resolve(regimen, arm=arm, start=start, lengths=lengths, bsa_formula=bsa_formula,
                       bsa_decimals=bsa_decimals)
    schedule = expand(regimen, timeline, symbolic=True)
    rows = schedule.administrations
    size = len(rows)

    def code(kind: str, value: str) -> int:
        table = codes[kind]
        return table.setdefault(value, len(table))

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
    return _Template(
        offset=np.array([a.study_day.offset for a in rows], dtype="int64"),
        study_day=np.array([a.study_day.value for a in rows], dtype="int32"),
        time=time,
        period=np.array([code("period", a.period) for a in rows], dtype="int16"),
        drug=np.array([code("drug", a.drug) for a in rows], dtype="int16"),
        course=np.array([a.course for a in rows], dtype="int16"),
        cycle=np.array([-1 if a.cycle is None else a.cycle for a in rows], dtype="int32"),
        cycle_day=np.array([-1 if a.cycle_day is None else a.cycle_day for a in rows],
                           dtype="int32"),
        # 1-based, as in JSON and CSV; -1 marks "no step".
        step=np.array([-1 if a.step_number is None else a.step_number for a in rows],
                      dtype="int16"),
        amount=amount, unit=unit,
        placebo=np.array([a.placebo for a in rows], dtype=bool),
        blinded=np.array([a.blinded for a in rows], dtype=bool),
        scaled=[(k, np.array(v, dtype="int64")) for k, v in scaled.items()],
    )


# The result ----------------------------------------------------------------------------


class Cohort:
    """Administrations of one regimen arm for many participants, as columns.

    Rows are ordered by participant (input order), then as ``expand`` orders
    one participant's administrations. Nothing is materialised until
    :meth:`to_numpy` or :meth:`to_arrow` is called.
    """

    def __init__(self, regimen: Regimen, arm: str, starts: Any, groups: list[tuple[Any, Any]],
                 amounts: dict[int, tuple[Any, Any]], categories: dict[str, tuple[str, ...]],
                 drug_names: tuple[str, ...]) -> None:
        np = _numpy()
        self.regimen = regimen
        self.arm = arm
        self.starts = starts
        self._groups = groups  # (participant indices, template)
        self._amounts = amounts  # dose key -> (per-participant size index, amounts per size)
        #: Labels of the coded columns: ``categories["drug"][code]`` is a drug id.
        self.categories = categories
        #: Drug names, in the order of ``categories["drug"]``.
        self.drug_names = drug_names
        counts = np.zeros(len(starts), dtype="int64")
        for members, template in groups:
            counts[members] = len(template.offset)
        self._counts = counts
        self._first_row = np.concatenate(([0], np.cumsum(counts)))

    @property
    def participants(self) -> int:
        """The number of participants (the length of ``starts``)."""
        return len(self.starts)

    def __len__(self) -> int:
        return int(self._first_row[-1])

    def rows_of(self, participant: int) -> slice:
        """The rows of one participant in the materialised columns."""
        first = int(self._first_row[participant])
        return slice(first, first + int(self._counts[participant]))

    def to_numpy(self, columns: Sequence[str] | None = None, *,
                 participants: Any = None) -> dict[str, Any]:
        """The columns (all of :data:`COLUMNS` by default) as NumPy arrays.

        ``participants`` (a slice, or sorted participant indices) materialises
        only their rows, e.g. to process a large cohort in chunks; the
        ``participant`` column keeps the original indices.

        Raises:
            ExpandOptionError: an unknown column name (``option == "columns"``), or
                ``participants`` that are not a slice or increasing indices of
                participants (``option == "participants"``). It is also a
                ``ValueError``.
        """
        np = _numpy()
        names = list(COLUMNS) if columns is None else list(columns)
        unknown = [c for c in names if c not in COLUMNS]
        if unknown:
            raise ExpandOptionError("columns", f"unknown column; columns: {', '.join(COLUMNS)}",
                                    unknown[0])
        selected = np.arange(self.participants)
        if participants is not None:
            try:
                selected = selected[participants]
            except (IndexError, TypeError, ValueError):  # out of range, not an index
                selected = None
            if selected is None or selected.ndim != 1 or (np.diff(selected) <= 0).any():
                raise ExpandOptionError("participants", "give a slice or increasing indices")
        counts = self._counts[selected]
        total = int(counts.sum())
        first = np.concatenate(([0], np.cumsum(counts)[:-1]))
        out = {name: np.empty(total, dtype=COLUMNS[name]) for name in names}
        position = np.full(self.participants, -1, dtype="int64")
        position[selected] = first
        for members, template in self._groups:
            chosen = members[position[members] >= 0]
            if not len(chosen):
                continue
            size = len(template.offset)
            if len(self._groups) == 1:
                # One group: its rows are all the rows, participant after participant.
                for name in names:
                    self._fill(name, out[name].reshape(len(chosen), size), chosen, template, np)
                continue
            rows = (position[chosen][:, None] + np.arange(size)[None, :]).reshape(-1)
            for name in names:
                block = np.empty((len(chosen), size), dtype=COLUMNS[name])
                self._fill(name, block, chosen, template, np)
                out[name][rows] = block.reshape(-1)
        return out

    def _fill(self, name: str, target: Any, chosen: Any, template: _Template, np: Any) -> None:
        if name == "participant":
            target[...] = chosen[:, None]
        elif name == "date":
            np.add(self.starts[chosen].view("int64")[:, None], template.offset[None, :],
                   out=target.view("int64"))
        elif name == "amount":
            target[...] = template.amount[None, :]
            for key, columns in template.scaled:
                index, table = self._amounts[key]
                per_participant = table[index[chosen]]
                target[:, columns] = per_participant[:, None]
        else:
            target[...] = getattr(template, name)[None, :]

    def to_arrow(self, columns: Sequence[str] | None = None, *, participants: Any = None) -> Any:
        """A ``pyarrow.Table`` with an explicit schema (see :meth:`arrow_schema`).

        Coded columns become dictionary arrays of their labels, dates
        ``date32``, times ``time32[s]``, and "none" values nulls.
        """
        pa = _pyarrow()
        np = _numpy()
        names = list(COLUMNS) if columns is None else list(columns)
        data = self.to_numpy(names, participants=participants)
        schema = arrow_schema(names)
        arrays = []
        for name in names:
            values = data.pop(name)
            field = schema.field(name)
            if name == "date":
                days = values.view("int64").astype("int32")
                array = pa.Array.from_buffers(pa.date32(), len(days), [None, pa.py_buffer(days)])
            elif name == "time":
                seconds = values.astype("timedelta64[s]").view("int64")
                mask = np.isnat(values)
                array = pa.array(seconds.astype("int32"), type=pa.time32("s"),
                                 mask=mask if mask.any() else None)
            elif name in ("period", "drug", "unit"):
                labels = pa.array(self.categories[name], type=pa.string())
                mask = values < 0
                indices = pa.array(values, type=pa.int16(), mask=mask if mask.any() else None)
                array = pa.DictionaryArray.from_arrays(indices, labels)
            elif name in ("cycle", "cycle_day", "step"):
                mask = values < 0
                array = pa.array(values, type=field.type, mask=mask if mask.any() else None)
            elif name == "amount":
                mask = np.isnan(values)
                array = pa.array(values, type=pa.float64(), mask=mask if mask.any() else None)
            else:
                array = pa.array(values, type=field.type)
            arrays.append(array)
        return pa.Table.from_arrays(arrays, schema=schema)


def arrow_schema(columns: Sequence[str] | None = None) -> Any:
    """The Arrow schema of :meth:`Cohort.to_arrow` (all columns by default)."""
    pa = _pyarrow()
    codes = pa.dictionary(pa.int16(), pa.string())
    types = {
        "participant": pa.int32(), "study_day": pa.int32(), "date": pa.date32(),
        "time": pa.time32("s"), "period": codes, "drug": codes, "course": pa.int16(),
        "cycle": pa.int32(), "cycle_day": pa.int32(), "step": pa.int16(),
        "amount": pa.float64(), "unit": codes, "placebo": pa.bool_(), "blinded": pa.bool_(),
    }
    nullable = {"time", "cycle", "cycle_day", "step", "amount", "unit"}
    names = list(COLUMNS) if columns is None else list(columns)
    return pa.schema([pa.field(n, types[n], nullable=n in nullable) for n in names])


# The entry point -----------------------------------------------------------------------


def _amount_for(dose: Dose, size: Decimal, sizes: Sizes, index: int, np: Any) -> Decimal:
    """The dose for one distinct body size; an error names a participant who has it."""
    try:
        return dose_amount(dose, size)
    except DoseError as exc:
        row = int(np.flatnonzero(sizes.index == index)[0])
        raise DoseError(exc.reason, participant=row) from None


def _refuse_days_before_day_one(regimen: Regimen, arm: str) -> None:
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


def _within_calendar(day_one: Any, members: Any, template: _Template, np: Any) -> None:
    """Every participant's dates lie in years 1 to 9999, as ``expand`` requires."""
    if not len(template.offset):
        return
    low = day_one[members] + np.timedelta64(int(template.offset.min()), "D")
    high = day_one[members] + np.timedelta64(int(template.offset.max()), "D")
    bad = (low < np.datetime64("0001-01-01")) | (high > np.datetime64("9999-12-31"))
    if bad.any():
        row = int(members[int(np.flatnonzero(bad)[0])])
        raise ExpandOptionError("starts", OUTSIDE_CALENDAR, str(day_one[row]), participant=row)


def expand_cohort(
    regimen: Regimen | str,
    arm: str,
    starts: Any,
    *,
    weights: Any = None,
    heights: Any = None,
    bsas: Any = None,
    lengths: Mapping[str, Any] | None = None,
    bsa_formula: BSAFormula | str | None = None,
    bsa_decimals: int = 2,
) -> Cohort:
    """Expand ``regimen`` on ``arm`` for many participants at once.

    ``starts``: the date of Study Day 1 per participant (a ``datetime64``
    array, or a sequence of ``datetime.date`` or ``YYYY-MM-DD``).
    ``weights`` (kg), ``heights`` (cm), ``bsas`` (m2): numbers, one per
    participant, read as ``expand`` reads ``"70.5 kg"``; needed only by per-kg
    and per-m2 doses. ``lengths``: period id -> a length for everyone
    (``"14 weeks"``) or a sequence of lengths, one per participant.
    Row by row, the result equals ``expand`` for each participant.

    Raises:
        ImportError: NumPy is missing (the message names ``regimens[cohort]``).
        ExpandOptionError: an unknown arm, formula or length, starts that are not
            calendar dates, inputs of different lengths, or a schedule outside the
            years 1 to 9999 (``participant`` names the row).
        ParticipantError: a measurement that is not a plain finite number or lies
            outside :data:`~regimens.model.PLAUSIBLE` (``participant`` names the row).
        MissingMeasurementError: a per-kg or per-m2 dose without the measurements.
        DoseError: a dose that rounds to nothing (``participant`` names the row).
        InvalidRegimenError, RegimenNotFoundError: as :func:`regimens.load`, when
            ``regimen`` is a path or catalogue id.
    """
    np = _numpy()
    if isinstance(regimen, str):
        regimen = load(regimen)

    # The engine's option checks, so a rule and its message live in one place.
    formula = parse_formula(bsa_formula)
    bsa_decimals = check_bsa_decimals(bsa_decimals)
    day_one = _starts(starts, np)
    n = len(day_one)
    weight = measures("weight", weights, n, np)
    height = measures("height", heights, n, np)
    area = measures("bsa", bsas, n, np)
    check_arm(regimen, arm)
    _refuse_days_before_day_one(regimen, arm)
    period_ids, chosen = _lengths(lengths, n, np)

    # Groups: participants sharing chosen lengths and, if the arm has a weekday
    # pattern, the weekday of Study Day 1.
    weekdays = regimen.date_dependent(arm)
    key_columns: list[Any] = []
    if weekdays:
        key_columns.append((day_one.view("int64") + 3) % 7)  # 1970-01-01 was a Thursday
    for value in chosen:
        if not isinstance(value, str):
            key_columns.append(np.unique(value, return_inverse=True)[1].reshape(-1))
    if key_columns and n:
        stacked = np.stack(key_columns, axis=1)
        _, group_of = np.unique(stacked, axis=0, return_inverse=True)
        group_of = group_of.reshape(-1)
    else:
        group_of = np.zeros(n, dtype="int64")
    order = np.argsort(group_of, kind="stable")
    bounds = np.flatnonzero(np.diff(group_of[order])) + 1
    codes: dict[str, dict[str, int]] = {"period": {}, "drug": {}, "unit": {}}
    keys: dict[Dose, int] = {}
    groups: list[tuple[Any, Any]] = []
    for members in np.split(order, bounds) if n else []:
        members = np.sort(members)
        first = int(members[0])
        chosen_lengths = {pid: (value if isinstance(value, str) else value[first])
                          for pid, value in zip(period_ids, chosen, strict=True)}
        start = day_one[first].astype(date)
        template = _template(regimen, arm, start, chosen_lengths, formula, bsa_decimals,
                             codes, keys, np)
        groups.append((members, template))

    for members, template in groups:
        _within_calendar(day_one, members, template, np)
    amounts: dict[int, tuple[Any, Any]] = {}
    sizes: dict[Basis, Sizes] = {}
    for dose, key in keys.items():
        basis = dose.basis
        refuse_unsupported(dose)
        if basis not in sizes:
            sizes[basis] = body_sizes(basis, weight, height, area, formula, bsa_decimals, np)
        table = np.array([float(_amount_for(dose, s, sizes[basis], i, np))
                          for i, s in enumerate(sizes[basis].values)], dtype="float64")
        amounts[key] = (sizes[basis].index, table)
    categories = {kind: tuple(table) for kind, table in codes.items()}
    names = {d.id: d.name for d in regimen.drugs}
    return Cohort(regimen, arm, day_one, groups, amounts, categories,
                  tuple(names[d] for d in categories["drug"]))
