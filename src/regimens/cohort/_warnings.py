"""The warnings ``expand`` issues per participant, and the participants it moves in time.

``expand`` warns when a period's length is assumed (AnchorLengthWarning: said for
every participant of a group whose lengths leave one to assume, with their own
dates, by :func:`length_warnings`), when a rounding moves a dose or a body surface area by more
than 10%, when weight and height give an implausible body-mass index, and
when a time of day moves out of a daylight-saving gap. The participants who
can have any of these are found with NumPy, from exact per-size flags (dose
roundings) or a float test with a safe margin (BSA, BMI), and each of those
(usually few) is expanded by ``expand`` itself: their warnings are expand's
own texts in expand's order, never a reconstruction. Participants who share
a group and body size share their warnings (zones aside), so each distinct
case is expanded once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ..engine import expand, resolve
from ..errors import AnchorLengthWarning, ExpandOptionError
from ..model import Participant, Regimen
from ..quantities import Basis, BSAFormula
from ._templates import REFERENCE_MONDAY
from ._zones import ZoneTable, gap_participants

if TYPE_CHECKING:
    from ._sizes import Sizes
    from ._templates import Template

__all__ = ["Flagged", "length_warnings", "participant_warnings"]

#: A rounded BSA moves by more than 10% only below 0.5 m2: rounding to 1 or more decimals
#: moves it by at most 0.05 m2, so the exact BSA is below 10 x 0.05. Candidates are taken
#: below 0.55 m2 of the rounded value (exact + 0.05), then decided by expand.
_SMALL_BSA = 0.55
#: Body-mass indices within this of the bounds 10 and 80 are decided by expand (exactly).
_BMI_MARGIN = 1e-6


@dataclass
class Flagged:
    """Per participant (sparse): expand's warnings, and times and instants it moved."""

    warnings: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # participant -> (time as timedelta64[m], at as datetime64[s]) for every row
    times: dict[int, tuple[Any, Any]] = field(default_factory=dict)


def _text(value: float, unit: str) -> str:
    return f"{float(value)!r} {unit}"


def participant_warnings(
    regimen: Regimen, arms: tuple[str, ...], arm_of: Any, starts: Any, group_of: Any,
    templates: list[Template], zones: tuple[tuple[str, ...], Any] | None,
    tables: tuple[ZoneTable, ...], weight: Any, height: Any, area: Any,
    formula: BSAFormula, decimals: int, amounts: dict[int, tuple[Any, Any]],
    rounding_moves: dict[int, Any], sizes: dict[Basis, Sizes], keys_basis: dict[int, Basis],
    np: Any,
) -> Flagged:
    """Find the participants ``expand`` would warn about or move, and ask ``expand``."""
    n = len(starts)
    flagged = Flagged()
    if not n or not templates:
        return flagged
    candidate = np.zeros(n, dtype=bool)
    for key, moves in rounding_moves.items():
        if moves.any():
            uses = np.array([key in t.keys for t in templates], dtype=bool)
            candidate |= moves[amounts[key][0]] & uses[group_of]
    per_m2 = [k for k, b in keys_basis.items() if b is Basis.PER_M2]
    if per_m2 and area is None and Basis.PER_M2 in sizes:
        m2 = sizes[Basis.PER_M2]
        used = np.array([float(v) for v in m2.values], dtype="float64")
        uses = np.array([any(k in t.keys for k in per_m2) for t in templates], dtype=bool)
        candidate |= (used[m2.index] < _SMALL_BSA) & uses[group_of]
    if weight is not None and height is not None:
        bmi = weight / (height / 100) ** 2
        candidate |= ~((bmi > 10 + _BMI_MARGIN) & (bmi < 80 - _BMI_MARGIN))
    moved = np.zeros(n, dtype=bool)
    if zones is not None:
        moved = gap_participants(tables, zones[1], starts, group_of, templates, np)
        candidate |= moved
    cache: dict[tuple[Any, ...], tuple[str, ...]] = {}
    for row in np.flatnonzero(candidate).tolist():
        g = int(group_of[row])
        case = (g, None if weight is None else float(weight[row]),
                None if height is None else float(height[row]),
                None if area is None else float(area[row]))
        if not moved[row] and case in cache:
            if cache[case]:
                flagged.warnings[row] = cache[case]
            continue
        participant = Participant(
            weight=None if weight is None else _text(weight[row], "kg"),
            height=None if height is None else _text(height[row], "cm"),
            bsa=None if area is None else _text(area[row], "m2"))
        tpl = templates[g]
        zone = None if zones is None else zones[0][int(zones[1][row])]
        try:
            line = resolve(regimen, arm=arms[int(arm_of[row])],
                           start=starts[row].astype(date), participant=participant,
                           lengths=tpl.lengths, tz=zone, bsa_formula=formula,
                           bsa_decimals=decimals)
            schedule = expand(regimen, line)
        except ExpandOptionError as exc:  # no safe move out of a gap, in this zone
            if exc.participant is not None:
                raise
            raise type(exc)(exc.option, exc.reason, exc.value,
                            participant=row) from None
        # A length assumed is said with the participant's own dates: added for every
        # participant of the group by length_warnings, never shared through the cache.
        texts = tuple(str(w) for w in schedule.warnings
                      if not isinstance(w, AnchorLengthWarning))
        if texts:
            flagged.warnings[row] = texts
        if moved[row]:
            rows = schedule.administrations
            minutes = np.array([-1 if a.time is None else a.time.hour * 60 + a.time.minute
                                for a in rows], dtype="int64")
            new_time = minutes.astype("timedelta64[m]")
            new_time[minutes < 0] = np.timedelta64("NaT")
            new_at = np.array([np.datetime64("NaT") if a.at is None else
                               np.datetime64(int(a.at.timestamp()), "s") for a in rows],
                              dtype="datetime64[s]")
            flagged.times[row] = (new_time, new_at)
        else:
            cache[case] = texts
    return flagged


def length_warnings(regimen: Regimen, arms: tuple[str, ...], starts: Any, group_of: Any,
                    templates: list[Template], flagged: Flagged, np: Any) -> None:
    """Put ``expand``'s :class:`AnchorLengthWarning` texts first in each participant's
    warnings (where ``expand`` puts them: they come from the timeline), for every group
    whose lengths leave a length assumed that places a date (docs/cli.md, "--anchor").

    Whether a group has them does not depend on the start, only their dates do: each
    distinct start of such a group is resolved once.
    """
    for g, tpl in enumerate(templates):
        arm = arms[tpl.arm]
        if not resolve(regimen, arm=arm, start=REFERENCE_MONDAY, lengths=tpl.lengths).warnings:
            continue
        rows = np.flatnonzero(group_of == g)
        distinct, which = np.unique(starts[rows], return_inverse=True)
        said = [tuple(str(w) for w in resolve(regimen, arm=arm, start=start, lengths=tpl.lengths
                                              ).warnings) for start in distinct.tolist()]
        warned = flagged.warnings
        for row, k in zip(rows.tolist(), which.tolist(), strict=True):
            warned[row] = said[k] + warned.get(row, ())
