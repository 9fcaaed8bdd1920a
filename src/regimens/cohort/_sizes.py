"""Body sizes for many participants at once: the batch API's measurements.

Weights, heights and body surface areas arrive as NumPy arrays. Each dose is
computed once per distinct body size, in the same exact Decimal arithmetic
as :func:`regimens.engine.expand`; this module finds those distinct sizes.
BSA is computed in float64 and rounded half-up as ``expand`` rounds it, and
the few participants within 1e-9 m² of a rounding boundary are recomputed
exactly, so every rounded BSA equals the one ``expand`` would use.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import TYPE_CHECKING, Any

from ..errors import DoseError, ExpandOptionError, MissingMeasurementError, ParticipantError
from ..model import PLAUSIBLE
from ..quantities import EXACT, Basis, BSAFormula, bsa, exactly, normal, plain

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = ["Sizes", "body_sizes", "measures"]


def measures(kind: str, values: Any, n: int, np: Any) -> NDArray[np.float64] | None:
    """One measurement per participant in kg, cm or m2, checked for plausibility."""
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
        raise ExpandOptionError(f"{kind}s", f"{array.shape[0]} values for {n} participants")
    low, high, unit = PLAUSIBLE[kind]
    bad = ~((array >= float(low)) & (array <= float(high)))  # NaN is bad too
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ParticipantError(
            kind, f"participant {row}: {float(array[row])!r} {unit} is not a plausible {kind} "
            f"(allowed: {plain(low)} to {plain(high)} {unit}); check the number and its unit",
            float(array[row]))
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
                    kind, f"participant {row}: {text} has more significant digits than the "
                    "batch API holds exactly (a float64: at most 15); round it", text)
    return table[inverse.reshape(-1)]


@exactly
def _decimal(value: float) -> Decimal:
    """A measurement as ``expand`` reads it: the shortest decimal that gives the float."""
    return normal(Decimal(repr(float(value))))


_POWERS = {
    BSAFormula.DUBOIS: (0.007184, 0.725, 0.425),
    BSAFormula.HAYCOCK: (0.024265, 0.3964, 0.5378),
    BSAFormula.GEHAN_GEORGE: (0.0235, 0.42246, 0.51456),
}


def _bsa_float(h: Any, w: Any, formula: BSAFormula, np: Any) -> Any:
    if formula is BSAFormula.MOSTELLER:
        return np.sqrt(h * w / 3600.0)
    if formula in _POWERS:
        c, a, b = _POWERS[formula]
        return c * h**a * w**b
    grams = w * 1000.0
    return 0.0003207 * h**0.3 * grams ** (0.7285 - 0.0188 * np.log10(grams))


@exactly
def _rounded_bsa(h: Any, w: Any, formula: BSAFormula, decimals: int, np: Any) -> Any:
    """BSA rounded half-up to ``decimals``, as an integer count of 10^-decimals m2.

    float64 is within about 1e-15 of the exact value, so only participants
    within 1e-9 of a rounding boundary are recomputed in exact decimals.
    """
    scale = 10.0**decimals
    scaled = _bsa_float(h, w, formula, np) * scale
    counts = np.floor(scaled + 0.5).astype("int64")
    near = np.flatnonzero(np.abs(scaled - (np.floor(scaled) + 0.5)) < 1e-9 * scale)
    quantum = Decimal(1).scaleb(-decimals)
    for i in near.tolist():
        exact = bsa(_decimal(h[i]), _decimal(w[i]), formula)
        counts[i] = int(exact.quantize(quantum, ROUND_HALF_UP).scaleb(decimals))
    return counts


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
    """The distinct weights (per kg) or rounded body surface areas (per m2) of a cohort."""
    if basis is Basis.PER_KG:
        if weight is None:
            raise MissingMeasurementError(
                "weight", "a per-kg dose needs the participants' weights (weights=...)",
                ("weight",))
        return _unique_sizes(weight, np, _decimal)
    if area is not None:
        return _unique_sizes(area, np, _decimal)
    missing = tuple(k for k, v in (("height", height), ("weight", weight)) if v is None)
    if missing:
        raise MissingMeasurementError(
            missing[0], "a per-m2 dose needs the participants' heights and weights "
            "(heights=..., weights=...) or body surface areas (bsas=...)", missing)
    counts = _rounded_bsa(height, weight, formula, decimals, np)
    if (counts <= 0).any():
        raise DoseError(f"a body surface area rounds to 0 m² at {decimals} decimals; "
                        "use more decimals", participant=int(np.flatnonzero(counts <= 0)[0]))
    return _unique_sizes(counts, np, lambda c: normal(Decimal(int(c)).scaleb(-decimals)))

