"""The plan's cumulative limits per participant: ``expand``'s CumulativeDoseWarning, in batch.

``Regimen.expand`` (without a record) warns when a participant's planned doses of a drug
add up past its ``max_cumulative`` (:func:`regimens.record.planned_limits`). A crossing
depends on the participant's group (the template: which doses, on which day offsets) and
body sizes (the per-kg and per-m2 amounts, and the BSA or weight a per-m2 or per-kg limit
divides by), not on the start date, which only shifts every date. So the crossing is found
once per distinct (group, body sizes) case, by :func:`regimens.record.cumulative_flags` over
the exact amounts (Decimal, as ``expand`` computes them), and worded for each participant's
own date by :func:`regimens.record.flag_moved_to`: the same function and words as
``expand``'s. A per-m2 (per-kg) limit without the BSA (weight) to divide by is said not
checked (:func:`regimens.record.limit_not_checked`), as ``expand`` says it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ..engine import dose_amount
from ..model import Dose, Drug, Participant, Regimen
from ..quantities import Amount, Basis, BSAFormula
from ..record import (
    BodyUsed,
    CumulativeEntry,
    CumulativeFlag,
    cumulative_flags,
    flag_moved_to,
    limit_not_checked,
)
from ._sizes import Sizes, body_sizes
from ._templates import REFERENCE_MONDAY

if TYPE_CHECKING:
    from ._templates import Template

__all__ = ["cumulative_warnings"]

# One limited drug's outcome for a case: a text for everyone in it (not checked), or the
# crossing flag and the crossing row's (offset, cycle, cycle day) to word per start date.
_Said = str | tuple[CumulativeFlag, int, int | None, int | None]


def _limit_sizes(limited: list[Drug], sizes: dict[Basis, Sizes], weight: Any, height: Any,
                 area: Any, formula: BSAFormula, decimals: int, np: Any
                 ) -> dict[Basis, Sizes | None]:
    """The body sizes each limit's basis divides by (None: not given, not checked)."""
    found: dict[Basis, Sizes | None] = {}
    for drug in limited:
        assert drug.max_cumulative is not None
        basis = drug.max_cumulative.basis
        if basis is Basis.FLAT or basis in found:
            continue
        if basis in sizes:
            found[basis] = sizes[basis]
        elif (weight is not None if basis is Basis.PER_KG
              else area is not None or (weight is not None and height is not None)):
            found[basis] = body_sizes(basis, weight, height, area, formula, decimals, np)
        else:
            found[basis] = None
    return found


def cumulative_warnings(
    regimen: Regimen, starts: Any, group_of: Any, templates: list[Template],
    keys: dict[Dose, int], drug_codes: dict[str, int], sizes: dict[Basis, Sizes],
    weight: Any, height: Any, area: Any, formula: BSAFormula, decimals: int, np: Any,
) -> dict[int, tuple[str, ...]]:
    """Per participant (sparse), the CumulativeDoseWarning texts ``expand`` adds after its
    other warnings, in the regimen's drug order."""
    limited = [d for d in regimen.drugs if d.max_cumulative is not None]
    n = len(starts)
    if not limited or not n or not templates:
        return {}
    by_size = _limit_sizes(limited, sizes, weight, height, area, formula, decimals, np)
    known = {**sizes, **{b: s for b, s in by_size.items() if s is not None}}
    bases = sorted(known, key=lambda b: b.value)
    table = np.stack([group_of, *(known[b].index for b in bases)], axis=1)
    cases, first, inverse = np.unique(table, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    dose_of = {key: dose for dose, key in keys.items()}
    said: list[list[_Said]] = []
    for c in range(len(cases)):
        row = int(first[c])
        tpl = templates[int(group_of[row])]
        scaled_dose: dict[int, Dose] = {}
        for key, indices in tpl.scaled:
            for i in indices.tolist():
                scaled_dose[i] = dose_of[key]
        case: list[_Said] = []
        for drug in limited:
            case.extend(_one_drug(regimen, drug, tpl, row, scaled_dose, drug_codes, known,
                                  by_size, np))
        said.append(case)
    out: dict[int, tuple[str, ...]] = {}
    days = starts.astype("datetime64[D]")
    for row in np.flatnonzero(np.array([bool(s) for s in said], dtype=bool)[inverse]).tolist():
        start: date = days[row].astype(date)
        texts = []
        for item in said[int(inverse[row])]:
            if isinstance(item, str):
                texts.append(item)
                continue
            flag, offset, cycle, day = item
            when = CumulativeEntry(flag.drug, start + timedelta(days=offset), None, False,
                                   None, cycle, day)
            texts.append(str(flag_moved_to(regimen, flag, when).warning))
        out[row] = tuple(texts)
    return out


def _one_drug(regimen: Regimen, drug: Drug, tpl: Template, row: int,
              scaled_dose: dict[int, Dose], drug_codes: dict[str, int],
              known: dict[Basis, Sizes], by_size: dict[Basis, Sizes | None], np: Any
              ) -> list[_Said]:
    """One limited drug for the case of participant ``row`` on template ``tpl``."""
    limit = drug.max_cumulative
    assert limit is not None
    code = drug_codes.get(drug.id)
    if code is None:
        return []
    rows = tpl.rows
    mine = np.flatnonzero((rows["drug"] == code) & ~rows["placebo"]).tolist()
    amounts: list[tuple[int, Amount]] = []
    for i in mine:
        exact = tpl.exact[i]
        if exact is None and i in scaled_dose:
            dose = scaled_dose[i]
            size = known[dose.basis]
            exact = Amount(dose_amount(dose, size.values[int(size.index[row])]),
                           dose.quantity.amount.unit)
        if exact is not None:
            amounts.append((i, exact))
    if not amounts:
        return []
    body = BodyUsed(Participant())
    if limit.basis is not Basis.FLAT:
        sizes = by_size[limit.basis]
        if sizes is None:
            return [str(limit_not_checked(drug))]
        value = sizes.values[int(sizes.index[row])]
        body = (BodyUsed(Participant(), (), value) if limit.basis is Basis.PER_M2
                else BodyUsed(Participant(weight=f"{value} kg")))
    entries = []
    for i, amount in amounts:
        cycle, day = int(rows["cycle"][i]), int(rows["cycle_day"][i])
        entries.append(CumulativeEntry(
            drug.id, REFERENCE_MONDAY + timedelta(days=int(rows["offset"][i])), amount,
            False, body, None if cycle < 0 else cycle, None if day < 0 else day))
    flags = cumulative_flags(regimen, entries)
    if not flags:
        return []
    flag = flags[0]
    entry = entries[flag.index]
    return [(flag, int(rows["offset"][amounts[flag.index][0]]), entry.cycle, entry.day)]
