"""Dosage forms: a dose counted in its drug's form (tablets, capsules, mL) through the
drug's strength, and only in counts the form can be given in."""

from __future__ import annotations

from dataclasses import replace

from ..errors import DoseError
from ..model import Dose
from ..quantities import (
    FORM_PARTS,
    Amount,
    Strength,
    Unit,
    exactly,
    form_count,
    form_part_problem,
    human_amount,
    normal,
    plain,
)
from ._computed import ComputedDose


def _strength_text(strength: Strength) -> str:
    """``500 mg per tablet``."""
    return f"{human_amount(strength.amount)} per {strength.per.symbol}"


@exactly
def _with_form(computed: ComputedDose, dose: Dose) -> ComputedDose:
    """``computed`` counted in its drug's dosage form (``dose.strength``): "2 tablets
    (1,000 mg)", with the conversion in the derivation; a count of a form checked to be
    one the form can be given in (whole capsules, whole or half tablets).

    Raises:
        DoseError: the dose is not an exact count of the form, or a fraction the form is
            not split into (1.44 tablets, half a capsule).
    """
    amount, strength = computed.amount, dose.strength
    if amount is None:
        return computed
    dimension = amount.unit.dimension
    content: Amount | None = None
    if strength is not None and dimension is strength.per.dimension:
        count = amount.to(strength.per)
        content = Amount(normal(count.magnitude * strength.amount.magnitude),
                         strength.amount.unit)
        how = (f"{human_amount(count)} × {_strength_text(strength)} = "
               f"{human_amount(content)}")
    elif strength is not None and dimension is strength.amount.unit.dimension:
        value = form_count(amount, strength)
        if value is None:
            raise DoseError(f"{human_amount(amount)} is not an exact number of "
                            f"{_forms(strength.per)} of {human_amount(strength.amount)}: "
                            "round the dose ('round') to what can be measured")
        count, content = Amount(value, strength.per), amount
        how = f"{human_amount(amount)} ÷ {_strength_text(strength)} = {human_amount(count)}"
    elif dimension.form:
        count = amount
    else:
        return computed
    split = form_part_problem(count)
    if split is not None:
        # Never a fraction of a form it is not split into: the dose is refused, not moved.
        if dimension.form or strength is None:
            raise DoseError(f"the dose is {human_amount(count)}; {split}")
        part = FORM_PARTS[count.unit.dimension]
        raise DoseError(f"{human_amount(amount)} is {human_amount(count)} of "
                        f"{human_amount(strength.amount)}; {split} (round the dose with "
                        f"'round: {plain(part)} {count.unit}')")
    if content is None:
        return computed
    return replace(computed, text=f"{human_amount(count)} ({human_amount(content)})",
                   derivation=f"{computed.derivation}; {how}", form=count, content=content)


def _forms(per: Unit) -> str:
    """``tablets``, ``capsules``... or ``mL``: what a strength counts."""
    return per.dimension.value if per.dimension.form else per.symbol
