"""Body sizes for many participants at once: the batch API's measurements.

Weights, heights and body surface areas arrive as NumPy arrays. Each dose is
computed once per distinct body size, in the same exact Decimal arithmetic
as :func:`regimens.engine.expand`; this module finds those distinct sizes.
BSA is computed in float64 and rounded half-up as ``expand`` rounds it, and
the few participants within 1e-9 m² of a rounding boundary are recomputed
exactly, so every rounded BSA equals the one ``expand`` would use (the float
path lives beside the exact one, in :mod:`regimens.quantities`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Any

from ..engine import check_measurements, dosing_area
from ..errors import DoseError, ExpandOptionError, ParticipantError
from ..model import PLAUSIBLE, implausible
from ..quantities import (
    EXACT,
    Basis,
    BSAFormula,
    bsa,
    counted,
    exactly,
    normal,
    rounded_bsa,
    shortest_decimal,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = ["Sizes", "body_sizes", "measures"]


def measures(kind: str, values: Any, n: int, np: Any) -> NDArray[np.float64] | None:
    """One measurement per participant in kg, cm or m2, checked for plausibility.

    The plausible ranges and the message are :class:`~regimens.Participant`'s
    (:func:`regimens.model.implausible`), prefixed with the first offending
    participant's index. NaN is refused too.
    """
    if values is None:
        return None
    given = np.asarray(values)
    numbers = given.dtype.kind in "iuf" or (given.dtype.kind == "O" and all(
        isinstance(x, (int, float, Decimal)) and not isinstance(x, bool) for x in given.flat))
    if not numbers or given.ndim != 1:
        # Text ("70 kg"), booleans or a table are not one number per participant.
        raise ParticipantError(f"{kind}s", "give one plain number per participant, in "
                               f"{PLAUSIBLE[kind][2]} (a 1-dimensional array or sequence)")
    array = _as_float64(kind, given, np)
    if array.shape[0] != n:
        raise ExpandOptionError(f"{kind}s", f"{counted(array.shape[0], 'value')} for "
                                 f"{counted(n, 'participant')}")
    low, high, _unit = PLAUSIBLE[kind]
    # Comparing floats with the floats of the bounds decides as comparing their shortest
    # decimals with the bounds would: both roundings are monotone. NaN is bad too.
    bad = ~((array >= float(low)) & (array <= float(high)))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        value = float(array[row])
        reason = implausible(kind, shortest_decimal(value))
        assert reason is not None, value
        raise ParticipantError(kind, reason, value, participant=row)
    return array  # type: ignore[no-any-return]


def _as_float64(kind: str, given: Any, np: Any) -> Any:
    """The numbers as float64, each meaning the decimal the caller wrote.

    float64 and integer arrays are taken as they are (a float64 is read as
    its shortest repr, as Python prints it). A float32 or float16 value is
    read as the shortest decimal that gives that value in *its own* type:
    ``np.float32(70.1)`` is 70.09999847412109375 in binary, and means 70.1,
    not 70.09999847412109. Decimals (and longer floats) must be held exactly
    by a float64's shortest repr; one that is not (more than 15 significant
    digits) is refused, never rounded silently.
    """
    if given.dtype.kind in "iu" or given.dtype == np.float64:
        return np.ascontiguousarray(given, dtype="float64")
    uniques, inverse = np.unique(given, return_inverse=True)
    if given.dtype.kind == "f":
        texts = [np.format_float_positional(u, unique=True, trim="-") for u in uniques]
    else:  # Python int, float and Decimal objects
        texts = [repr(u) if isinstance(u, float) else str(u) for u in uniques.tolist()]
    table = np.array([float(t) for t in texts], dtype="float64")
    with localcontext(EXACT):
        for text, number in zip(texts, table.tolist(), strict=True):
            wanted = Decimal(text)
            if wanted.is_finite() and wanted != Decimal(repr(number)):
                row = int(np.flatnonzero(inverse.reshape(-1) == texts.index(text))[0])
                raise ParticipantError(
                    kind, f"{text} has more significant digits than the batch API holds "
                    "exactly (a float64: at most 15); round it", text, participant=row)
    return table[inverse.reshape(-1)]


@dataclass
class Sizes:
    """Per participant, an index into a table of distinct body sizes (Decimal)."""

    index: Any  # int64 (n,)
    values: list[Decimal]


def _unique_sizes(array: Any, np: Any, to_decimal: Any) -> Sizes:
    values, index = np.unique(array, return_inverse=True)
    return Sizes(index.reshape(-1), [to_decimal(v) for v in values.tolist()])


@exactly
def body_sizes(basis: Basis, weight: Any, height: Any, area: Any, formula: BSAFormula,
               decimals: int, np: Any) -> Sizes:
    """The distinct weights (per kg) or rounded body surface areas (per m2) of a cohort.

    Measurements are read as ``expand`` reads their shortest decimal text;
    BSAs are rounded as ``expand`` rounds them
    (:func:`regimens.quantities.rounded_bsa`).

    Raises:
        MissingMeasurementError: the measurements this basis needs were not given.
        DoseError: a BSA rounds to 0 m², naming the first such participant.
    """
    check_measurements(basis, weight=weight is not None, height=height is not None,
                       area=area is not None, cohort=True)
    if basis is Basis.PER_KG:
        return _unique_sizes(weight, np, shortest_decimal)
    if area is not None:
        return _unique_sizes(area, np, shortest_decimal)
    counts = rounded_bsa(height, weight, formula, decimals, np)
    zero = np.flatnonzero(counts <= 0)
    if len(zero):
        row = int(zero[0])
        try:
            dosing_area(bsa(shortest_decimal(height[row]), shortest_decimal(weight[row]),
                            formula), decimals)
        except DoseError as exc:
            raise DoseError(exc.reason, participant=row) from None
    return _unique_sizes(counts, np, lambda c: normal(Decimal(int(c)).scaleb(-decimals)))
