"""A dose given a unit slip away from the dose due: never taken silently as a partial dose.

``145.6 mcg`` written for ``145.6 mg`` is 1/1,000 of the dose due: read as written, it is a
partial dose with no reason, which a record otherwise takes without a word. The rule
(docs/record.md, "Dose changes"): a ``given`` row with an amount and no reason whose
amount, in the unit of the dose due, is within 1% of the dose due times a power of 1000
other than 1 (1000^k for k = -3 to 3, k not 0: from a billionth to a billion times) is a
:class:`~regimens.UnitSlipWarning`, naming the unit most likely meant when one of the
amount's dimension is that power of 1000 away from the unit written (mcg for mg, g for
mg, kIU for MIU). The amount is kept as written. A partial dose is recorded with its
reason, which leaves the row quiet; a dose above the one due is an overdose as well
(:class:`~regimens.OverdoseWarning`), whatever its reason.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

from ..quantities import EXACT, Amount, human_number, unit

__all__ = ["UNIT_SLIP_TOLERANCE", "unit_slip"]

#: How near (a fraction of it) an amount must be to the dose due times a power of 1000.
UNIT_SLIP_TOLERANCE = Decimal("0.01")

#: The powers of 1000 a slip is looked for at: k in 1000^k (never 0: the dose itself).
_POWERS = (-3, -2, -1, 1, 2, 3)

#: The dose units that are powers of 1000 apart in their dimension (the unit meant).
_SCALED = ("ng", "mcg", "mg", "g", "mIU", "IU", "kIU", "MIU", "mL", "L")


def _factor_text(power: int) -> str:
    """``1/1,000`` for -1, ``1,000,000 times`` for 2."""
    size = human_number(Decimal(1000) ** abs(power))
    return f"1/{size} of it" if power < 0 else f"{size} times it"


def _meant(given: Amount, power: int) -> str | None:
    """The unit of ``given``'s dimension 1000^``power`` times smaller than the one
    written (the unit that, with the same number, gives the dose due), if there is one."""
    with localcontext(EXACT):
        want = given.unit.factor / Decimal(1000) ** power
    for symbol in _SCALED:
        candidate = unit(symbol)
        if candidate.dimension is given.unit.dimension and candidate.factor == want:
            return symbol
    return None


def unit_slip(given: Amount, due: Amount) -> str | None:
    """Why ``given`` (as written) looks like the dose ``due`` written in the wrong unit,
    or None: "1/1,000 of it (within 1%), as mcg written for mg makes it". ``given`` is
    compared in ``due``'s unit (same dimension), exactly; a zero amount is no slip."""
    if given.unit.dimension is not due.unit.dimension or due.magnitude <= 0:
        return None
    amount = given.to(due.unit).magnitude
    if amount <= 0:
        return None
    with localcontext(EXACT):
        for power in _POWERS:
            target = due.magnitude * Decimal(1000) ** power
            if abs(amount - target) <= target * UNIT_SLIP_TOLERANCE:
                meant = _meant(given, power)
                how = (f"{given.unit.symbol} written for {meant}" if meant is not None
                       else "a unit written wrong")
                return (f"{_factor_text(power)} (within {human_number(UNIT_SLIP_TOLERANCE * 100)}%)"
                        f", as {how} makes it")
    return None
