"""Rounding to standard doses: dose bands, a dose-banding table or whole vials, within a
tolerance; outside it refused or given as calculated with a warning."""

from __future__ import annotations

from decimal import Decimal

from .._records import dataclass
from ..errors import DoseError, StandardDoseWarning
from ..model import OutsideTolerance, StandardDoses
from ..quantities import (
    Amount,
    Unit,
    exactly,
    half_up,
    human_amount,
    normal,
    plain,
    shown_beside,
    whole_vial_amounts,
)


@dataclass(frozen=True)
class _Standard:
    """A calculated dose rounded to a standard dose: the value given (the calculated one
    when none is within the tolerance and the regimen says ``outside: calculated``), the
    derivation's words for it, and the warning in that case."""

    value: Decimal
    text: str  # ", rounded to the nearest standard dose ...": follows the calculated dose
    warning: StandardDoseWarning | None = None


def _percent_text(exact: Decimal, tolerance: Decimal | None) -> str:
    """A percentage for people: rounded half up to 2 decimals ("about 3.81%"), with more
    decimals when 2 would show it equal to the tolerance it is not equal to."""
    shown = half_up(exact, 2) if tolerance is None else shown_beside(exact, tolerance)
    return f"{'' if shown == exact else 'about '}{plain(shown)}%"


def _amount_in(amount: Amount, unit: Unit) -> Decimal:
    """``amount``'s magnitude in ``unit`` (of the same dimension), exactly."""
    return normal(amount.magnitude * amount.unit.factor / unit.factor)


@exactly
def _to_standard(standard: StandardDoses, value: Decimal, unit: Unit,
                 vials: tuple[Amount, ...], written: str) -> _Standard:
    """The standard dose for a calculated dose of ``value`` ``unit``s, by the rule of
    ``standard`` (docs/format.md, "Standard doses"), and the derivation's words for it.

    Raises:
        DoseError: no standard dose within the tolerance (or outside the table) and
            ``outside: refuse``.
    """
    tol = standard.tolerance
    within_text = "" if tol is None else f"; within {plain(tol)}%"
    if standard.table:
        rows = standard.table
        rule = "the dose-banding table"
        for index, row in enumerate(rows):
            low, below = _amount_in(row.low, unit), _amount_in(row.below, unit)
            if low <= value < below:
                chosen = _amount_in(row.dose, unit)
                return _Standard(chosen, (
                    f", by {rule} (row {index + 1} of {len(rows)}: {human_amount(row.low)} to "
                    f"under {human_amount(row.below)} gives {human_amount(row.dose)}) = "
                    f"{human_amount(Amount(chosen, unit))}{_off_text(chosen, value, None)}"))
        why = (f"it is outside {rule}, which covers {human_amount(rows[0].low)} to under "
               f"{human_amount(rows[-1].below)}")
        return _outside(standard, value, unit, written, why)
    if standard.to_vial:
        # A regimen refuses to_vial for a drug without vials (to-vial-without-vials).
        assert vials, "round: {to_vial: true} needs the drug's vials"
        below_amount, above_amount = whole_vial_amounts(Amount(value, unit), vials)
        candidates = [_amount_in(a, unit) for a in (below_amount, above_amount) if a is not None]
        listed = f"vials of {', '.join(human_amount(v) for v in vials)}"
        rule = f"the nearest whole-vial amount ({listed}{within_text})"
        what = "whole-vial amount"
    else:
        candidates = [_amount_in(b, unit) for b in standard.bands]
        listed = f"dose bands {', '.join(human_amount(b) for b in standard.bands)}"
        rule = f"the nearest standard dose ({listed}{within_text})"
        what = "standard dose"
    # Nearest; equally near: the higher (as halves go up in rounding: nearest).
    chosen = min(candidates, key=lambda c: (abs(c - value), -c))
    # Equally near from below: the tie rule decided, and the derivation says so.
    tie = next((c for c in candidates if c < chosen and chosen - value == value - c), None)
    tie_text = ("" if tie is None else f"; {human_amount(Amount(tie, unit))} is as near: "
                "the higher is given")
    assert tol is not None
    if abs(chosen - value) * 100 <= tol * value:
        off = _off_text(chosen, value, tol)
        return _Standard(chosen, f", rounded to {rule} = {human_amount(Amount(chosen, unit))}"
                         + (f"{off[:-1]}{tie_text})" if tie is not None else off))
    why = (f"no {what} is within {plain(tol)}% of it: the nearest, "
           f"{human_amount(Amount(chosen, unit))}, is {_off_text(chosen, value, tol, bare=True)}"
           f" ({listed}{tie_text})")
    return _outside(standard, value, unit, written, why)


def _off_text(chosen: Decimal, value: Decimal, tolerance: Decimal | None,
              bare: bool = False) -> str:
    """How far a standard dose is from the calculated one: ``" (3.81% above the
    calculated dose)"``, or with ``bare`` ``"6.67% above it"``."""
    if chosen == value:
        return "" if not bare else "equal to it"
    side = "above" if chosen > value else "below"
    percent = _percent_text(abs(chosen - value) * 100 / value, tolerance)
    return f"{percent} {side} it" if bare else f" ({percent} {side} the calculated dose)"


def _outside(standard: StandardDoses, value: Decimal, unit: Unit, written: str,
             why: str) -> _Standard:
    """No standard dose for ``value``: refused, or given as calculated with a warning."""
    calculated = human_amount(Amount(value, unit))
    if standard.outside is OutsideTolerance.REFUSE:
        raise DoseError(f"{written} gives {calculated}: {why}; the regimen gives no dose "
                        "outside its standard doses ('outside: refuse', the default; "
                        "'outside: calculated' gives the calculated dose with a warning)")
    return _Standard(value, f", not rounded: {why}; given as calculated (outside: "
                     "calculated)",
                     StandardDoseWarning(f"{written} gives {calculated}: {why}; given as "
                                         "calculated, not rounded to a standard dose"))
