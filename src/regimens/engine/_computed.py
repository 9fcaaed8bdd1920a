"""The computed dose: the record of one administration's amount and its derivation,
and where a dose error is placed (the dose field of the file)."""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal

from .._records import dataclass
from ..errors import DoseError, RoundingWarning
from ..model import Dose
from ..quantities import Amount, Basis, VialCombination, half_up

__all__ = ["ComputedDose", "located"]


def _round_to(value: Decimal, quantum: str) -> Decimal:
    """``value`` rounded half up to ``quantum`` (``"0.01"``), trailing zeros dropped
    (:func:`regimens.quantities.half_up`, the one rounding of figures shown)."""
    exponent = Decimal(quantum).as_tuple().exponent
    assert isinstance(exponent, int)  # (a finite quantum)
    return half_up(value, -exponent)


@dataclass(frozen=True)
class ComputedDose:
    """The amount for one administration and how it was obtained.

    ``amount`` is exact (None: placebo, or no amount fixed by the protocol);
    ``text`` is what a person reads, in safe medication notation (ISMP List of
    Error-Prone Abbreviations: "368,000 units", "2 million units", never "2 MIU");
    ``derivation`` shows the arithmetic ("10 mg per kg × 70 kg = 700 mg, ...");
    ``basis`` and ``per_basis`` are the dose as written; ``vials`` the vials it is
    made up of.
    """

    amount: Amount | None  # None: placebo, or no amount fixed by the protocol
    text: str  # what a person reads: "368,000 units", "placebo", ...
    derivation: str
    basis: Basis | None = None
    per_basis: Dose | None = None
    # Warnings are exceptions, equal only to themselves: comparing them would make the
    # same dose from two expansions unequal. Their text follows from the fields above.
    warnings: tuple[RoundingWarning, ...] = field(default=(), compare=False)
    #: The whole vials that make up ``amount`` (its drug's ``vials``, by the vial rule:
    #: :func:`~regimens.least_waste_vials`); None when the drug has no vials or there is
    #: no amount.
    vials: VialCombination | None = None
    #: The dose counted in its drug's dosage form (``2 tablet``), when the drug has a
    #: strength (:attr:`Drug.strength`); else None.
    form: Amount | None = None
    #: The amount of drug that count holds (``1000 mg``), with ``form``; else None.
    content: Amount | None = None


def located(exc: DoseError, dose: Dose) -> DoseError:
    """``exc`` placed at the dose field it was raised for (``dose.where``), unless it is
    placed already or the dose was built in Python (no file)."""
    file, line, loc = dose.where
    if not file or exc.file is not None:
        return exc
    return DoseError(exc.reason, exc.participant, file, line, loc)
