"""The batch API: one regimen expanded for many participants at once, as columns.

The layout of a regimen does not depend on who receives it, only on the arm,
the chosen period lengths and, for weekday patterns, on the weekday of Study
Day 1. So the engine (:func:`regimens.engine.expand`) lays the regimen out
once per distinct (arm, lengths, start weekday) group, with doses left
symbolic (``_templates``), and the rows are made from those templates with
NumPy: dates are the start plus the template's offsets. Per-kg and per-m2
amounts are computed with the same exact Decimal arithmetic as ``expand``,
once per distinct body size (weights, or body surface areas rounded as
``expand`` rounds them), never per row.

Nothing is held per row: rows are made on demand, for all participants
(:meth:`Cohort.to_numpy`) or a chunk of them (:meth:`Cohort.iter_batches`),
at a cost proportional to the chunk. NumPy (and pyarrow for Arrow output)
come with the ``regimens[cohort]`` extra and are imported only when used.

This module is the entry point (:func:`expand_cohort`: the groups, their templates and
the amounts per body size); :class:`Cohort`, which makes the rows, is in ``_cohort``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from ..engine import (
    OUTSIDE_CALENDAR,
    check_bsa_decimals,
    dose_amount,
    dose_rounding_moves,
    parse_formula,
    refuse_unsupported,
)
from ..errors import DoseError, ExpandOptionError
from ..format import load
from ..model import Dose, Regimen
from ..quantities import Basis, BSAFormula
from . import _inputs
from ._cohort import Cohort
from ._cumulative import cumulative_warnings
from ._guard import check_supported, refuse_days_before_day_one
from ._sizes import Sizes, body_sizes, measures
from ._templates import Template, template
from ._warnings import length_warnings, participant_warnings
from ._zones import zone_tables

__all__ = ["expand_cohort"]


def _amounts_for(dose: Dose, sizes: Sizes, np: Any) -> tuple[Any, Any]:
    """The dose per distinct body size, and whether ``expand`` warns about its rounding."""
    values, flags = [], []
    for i, size in enumerate(sizes.values):
        try:
            amount: Decimal = dose_amount(dose, size)
        except DoseError as exc:
            row = int(np.flatnonzero(sizes.index == i)[0])
            raise DoseError(exc.reason, row, exc.file, exc.line, exc.loc) from None
        values.append(float(amount))
        flags.append(dose_rounding_moves(dose, size))
    return np.array(values, dtype="float64"), np.array(flags, dtype=bool)


def _groups(regimen: Regimen, arms: tuple[str, ...], arm_of: Any, day_one: Any,
            lengths: list[tuple[str, list[str], Any]], n: int, np: Any) -> tuple[Any, Any]:
    """Each participant's group (arm, weekday if it matters, lengths), and each group's
    first participant."""
    mixed: list[tuple[Any, int]] = [(arm_of, len(arms))]
    dependent = np.array([regimen.date_dependent(a) for a in arms], dtype=bool)
    if dependent.any():
        weekday = (day_one.view("int64") + 3) % 7  # 1970-01-01 was a Thursday
        mixed.append((np.where(dependent[arm_of], weekday, 0), 7))
    for _period, labels, codes in lengths:
        if len(labels) > 1:
            mixed.append((codes, len(labels)))
    radix = 1
    for _codes, size in mixed:
        radix *= size
    if radix < 1 << 62:
        key = np.zeros(n, dtype="int64")
        for codes, size in mixed:
            key = key * size + codes
        _, first, group_of = np.unique(key, return_index=True, return_inverse=True)
    else:  # too many combinations for one integer key
        stacked = np.stack([codes for codes, _ in mixed], axis=1)
        _, first, group_of = np.unique(stacked, axis=0, return_index=True, return_inverse=True)
    return group_of.reshape(-1).astype("int32"), first


def expand_cohort(
    regimen: Regimen | str,
    arm: str | Sequence[str],
    starts: Any,
    *,
    weights: Any = None,
    heights: Any = None,
    bsas: Any = None,
    lengths: Mapping[str, Any] | None = None,
    tz: str | Sequence[str] | None = None,
    bsa_formula: BSAFormula | str | None = None,
    bsa_decimals: int = 2,
) -> Cohort:
    """Expand ``regimen`` for many participants at once.

    ``arm``: one arm id for everyone, or a sequence with one per participant.
    ``starts``: the date of Study Day 1 per participant (a ``datetime64``
    array, or a sequence of ``datetime.date`` or ``YYYY-MM-DD``).
    ``weights`` (kg), ``heights`` (cm), ``bsas`` (m2): numbers, one per
    participant, read as ``expand`` reads ``"70.5 kg"``; needed only by per-kg
    and per-m2 doses. ``lengths``: period id -> a length for everyone
    (``"14 weeks"``) or a sequence of lengths, one per participant; a period
    that a participant's arm does not go through is not used for them.
    ``tz``: an IANA zone for everyone, or one per participant; timed doses
    then get their instant (column ``at``), as ``expand(..., tz=...)`` places
    them. Row by row, the result equals ``expand`` for each participant.

    Raises:
        ImportError: NumPy is missing (the message names ``regimens[cohort]``).
        ExpandOptionError: an unknown arm, formula, zone or length, starts that are not
            calendar dates, inputs of different lengths, a schedule outside the years
            1 to 9999 (``participant`` names the row), or a regimen using a construct
            the batch API cannot expand yet (``option == "regimen"``).
        ParticipantError: a measurement that is not a plain finite number or lies
            outside :data:`~regimens.model.PLAUSIBLE` (``participant`` names the row).
        MissingMeasurementError: a per-kg or per-m2 dose without the measurements.
        DoseError: a dose that rounds to nothing (``participant`` names the row).
        InvalidRegimenError, RegimenNotFoundError: as :func:`regimens.load`, when
            ``regimen`` is a path or catalogue id.
    """
    np = _inputs.numpy()
    if isinstance(regimen, str):
        regimen = load(regimen)

    # The engine's option checks, so a rule and its message live in one place.
    formula = parse_formula(bsa_formula)
    bsa_decimals = check_bsa_decimals(bsa_decimals)
    day_one = _inputs.starts(starts, np)
    n = len(day_one)
    weight = measures("weight", weights, n, np)
    height = measures("height", heights, n, np)
    area = measures("bsa", bsas, n, np)
    arm_ids, arm_of = _inputs.arms(regimen, arm, n, np)
    chosen = _inputs.lengths(lengths, n, np)
    zones = _inputs.zones(tz, n, np)
    for arm_id in arm_ids:  # the engine's own refusals (AUC, ideal weight) first
        for period in regimen.path(arm_id):
            for course in period.courses:
                if course.arms is None or arm_id in course.arms:
                    for dose in (course.dose, *(step.dose for step in course.steps)):
                        if dose is not None:
                            refuse_unsupported(dose)
    check_supported(regimen)
    for arm_id in arm_ids:
        refuse_days_before_day_one(regimen, arm_id)

    group_of, firsts = _groups(regimen, arm_ids, arm_of, day_one, chosen, n, np)
    codes: dict[str, dict[str, int]] = {"arm": {a: i for i, a in enumerate(arm_ids)},
                                        "period": {}, "drug": {}, "unit": {}, "visit": {}}
    keys: dict[Dose, int] = {}
    templates: list[Template] = []
    # With one arm per participant, a period of another arm's path is simply not used for
    # participants whose arm does not go through it; a period no arm has is refused.
    everyone = arm_ids if isinstance(arm, str) else tuple(a.id for a in regimen.arms)
    on_some_path = {p.id for a in everyone for p in regimen.path(a)}
    for first in firsts.tolist() if n else []:
        arm_id = arm_ids[int(arm_of[first])]
        on_path = {p.id for p in regimen.path(arm_id)}
        given = {pid: labels[int(codes_[first])] for pid, labels, codes_ in chosen
                 # A period on no arm's path is passed on, for the engine to refuse.
                 if pid in on_path or pid not in on_some_path}
        weekday = int((day_one[first].astype(date)).weekday())
        try:
            templates.append(template(regimen, arm_id, int(arm_of[first]), weekday, given,
                                      formula, bsa_decimals, codes, keys, np))
        except ExpandOptionError as exc:
            if exc.participant is not None:
                raise
            raise type(exc)(exc.option, exc.reason, exc.value,
                            participant=first) from None

    if n and templates:
        _within_calendar(day_one, group_of, templates, np)
    amounts: dict[int, tuple[Any, Any]] = {}
    rounding_moves: dict[int, Any] = {}
    sizes: dict[Basis, Sizes] = {}
    for dose, key in keys.items():
        basis = dose.basis
        refuse_unsupported(dose)
        if basis not in sizes:
            sizes[basis] = body_sizes(basis, weight, height, area, formula, bsa_decimals, np)
        table, flags = _amounts_for(dose, sizes[basis], np)
        amounts[key] = (sizes[basis].index, table)
        rounding_moves[key] = flags
    categories = {kind: tuple(table) for kind, table in codes.items()}
    names = {d.id: d.name for d in regimen.drugs}
    tables = zone_tables(zones[0], day_one, templates, np) if zones is not None else ()
    flagged = participant_warnings(
        regimen, arm_ids, arm_of, day_one, group_of, templates, zones, tables, weight,
        height, area, formula, bsa_decimals, amounts, rounding_moves, sizes,
        {key: dose.basis for dose, key in keys.items()}, np)
    length_warnings(regimen, arm_ids, day_one, group_of, templates, flagged, np)
    # Expand's own CumulativeDoseWarning comes after its other warnings.
    for row, texts in cumulative_warnings(
            regimen, day_one, group_of, templates, keys, codes["drug"], sizes, weight,
            height, area, formula, bsa_decimals, np).items():
        flagged.warnings[row] = flagged.warnings.get(row, ()) + texts
    return Cohort(regimen, arm_ids, day_one, group_of, templates, amounts, categories,
                  tuple(names[d] for d in categories["drug"]), zones, tables, flagged)


def _within_calendar(day_one: Any, group_of: Any, templates: list[Template], np: Any) -> None:
    """Every participant's dates lie in years 1 to 9999, as ``expand`` requires."""
    low = np.array([t.low for t in templates], dtype="int64")[group_of]
    high = np.array([t.high for t in templates], dtype="int64")[group_of]
    days = day_one.view("int64")
    first_day = np.datetime64("0001-01-01", "D").astype("int64")
    last_day = np.datetime64("9999-12-31", "D").astype("int64")
    bad = (days + low < first_day) | (days + high > last_day)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ExpandOptionError("starts", OUTSIDE_CALENDAR, str(day_one[row]), participant=row)

