"""The vial rule: which whole vials make up a dose with the least waste.

A pharmacy prepares a dose from whole vials of the sizes it stocks; what is left
in the last vial opened is waste. :func:`least_waste_vials` chooses, exactly:

1. the combination whose total is at least the dose and whose waste (total - dose)
   is least;
2. among those, the one with the fewest vials;
3. among those, the one with the most vials of the largest size, then of the next
   size, and so on (so the answer never depends on the order the sizes are listed).

The dose sheet of ``regimens expand``, the batch API and the supply forecast all
use this one function, so a participant's vials are counted the same way
everywhere.

How it stays exact and bounded: amounts are converted to the dimension's base
unit and scaled to integers (all decimal digits kept), then divided by the
greatest common divisor of the vial sizes. In the best combination a vial size
``a`` other than the largest ``A`` occurs fewer than ``A / gcd(a, A)`` times:
that many vials of ``a`` hold exactly what ``a / gcd(a, A)`` vials of ``A`` hold,
which are fewer vials for the same waste. More generally, fewer than ``A`` (in units
of the gcd) smaller vials are used in all: among ``A`` of them some add up to a
multiple of ``A``, which fewer largest vials would hold. So the smaller vials add up
to less than ``A`` x the second size; the fewest smaller vials for each such sum are
found by dynamic programming, and the number of largest vials follows by a ceiling
division, however large the dose.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from decimal import Decimal

from .._records import dataclass
from ..errors import QuantityError, QuantityTypeError, UnitError
from ._exact import exactly
from ._numbers import normal
from ._units import Amount, Unit

__all__ = ["MAX_VIAL_SUMS", "VialCombination", "least_waste_vials", "same_amount",
           "whole_vial_amounts"]

#: The most sums of the smaller vial sizes :func:`least_waste_vials` compares (in units
#: of the sizes' greatest common divisor: below ``largest x second largest``, and below
#: the dose plus the smallest size). Real vial lists need a few dozen (100 mg and 500 mg:
#: 5 x 1); a list beyond this is refused.
MAX_VIAL_SUMS = 1_000_000


@dataclass(frozen=True)
class VialCombination:
    """Whole vials that make up one dose, chosen by :func:`least_waste_vials`.

    ``vials`` is ``((size, count), ...)``, largest size first, only sizes used
    (``count >= 1``), each size in the unit it was given. ``total`` (what the vials
    hold) and ``waste`` (``total - dose``, 0 or more) are in the dose's unit.
    """

    dose: Amount
    vials: tuple[tuple[Amount, int], ...]
    total: Amount
    waste: Amount

    @property
    def count(self) -> int:
        """How many vials in all."""
        return sum(n for _size, n in self.vials)

    def __str__(self) -> str:
        used = " + ".join(f"{n} x {size}" for size, n in self.vials)
        return f"{used} = {self.total} (waste {self.waste})"


@exactly
def same_amount(a: Amount, b: Amount) -> bool:
    """Whether two amounts of one dimension are equal (``100 mg`` and ``0.1 g``)."""
    return (a.unit.dimension is b.unit.dimension
            and a.magnitude * a.unit.factor == b.magnitude * b.unit.factor)


def _check_amount(value: object, what: str) -> Amount:
    if not isinstance(value, Amount):
        raise QuantityTypeError(what, f"{what} must be an Amount", value)
    if not value.magnitude.is_finite() or value.magnitude <= 0:
        raise QuantityError(what, f"{what} must be greater than zero",
                            f"{value.magnitude} {value.unit}")
    return value


def _decimals(value: Decimal) -> int:
    exponent = normal(value).as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


@exactly
def least_waste_vials(dose: Amount, vials: Iterable[Amount]) -> VialCombination:
    """The whole vials of the given sizes that make up ``dose`` with the least waste.

    Ties in waste go to fewer vials, then to more of the larger sizes (see the
    module text). Exact: no rounding happens anywhere.

    >>> from regimens.quantities import parse_amount as a
    >>> str(least_waste_vials(a("550 mg"), [a("100 mg"), a("500 mg")]))
    '1 x 500 mg + 1 x 100 mg = 600 mg (waste 50 mg)'
    >>> str(least_waste_vials(a("400 mg"), [a("100 mg"), a("500 mg")]))
    '4 x 100 mg = 400 mg (waste 0 mg)'

    Args:
        dose: the amount to prepare, greater than zero.
        vials: the vial sizes stocked (one or more, all greater than zero, no size
            twice, e.g. ``100 mg`` and ``0.1 g``), of the dose's dimension; in any
            order.

    Raises:
        QuantityTypeError: ``dose`` or a vial size is not an :class:`Amount`.
        QuantityError: no vial sizes, a size of zero or less, the same size twice,
            or so many odd sizes that more than :data:`MAX_VIAL_SUMS` sums of
            the smaller sizes would have to be compared.
        UnitError: a vial size measures another dimension than the dose (mg vials
            for a dose in international units).
    """
    p = _prepare(dose, vials)
    sizes, base, scale, g, reduced, order = p.sizes, p.base, p.scale, p.g, p.reduced, p.order
    target = p.above  # ceiling: totals are multiples of g
    largest = reduced[order[0]]
    smaller = [reduced[i] for i in order[1:]]
    # What the smaller vials add up to, r, is below largest x the second size (fewer than
    # `largest` of them: see the module text) and below target + smallest size (a total
    # past that wastes a whole smallest vial).
    limit = min(largest * smaller[0], target + min(reduced)) if smaller else 1
    best = _fewest(smaller, limit, sizes)
    best_key: tuple[int, int, tuple[int, ...]] | None = None
    best_counts: tuple[int, ...] = ()
    for rest, found in enumerate(best):
        if found is None:
            continue
        n_largest = max(0, -(-(target - rest) // largest))
        reach = rest + n_largest * largest
        # Least waste (total), fewest vials, then most of the larger sizes in turn.
        key = (reach, n_largest + found[0], (-n_largest, *found[1]))
        if best_key is None or key < best_key:
            best_key, best_counts = key, tuple(-c for c in key[2])
    assert best_key is not None
    used = tuple((sizes[i], c) for i, c in zip(order, best_counts, strict=True) if c)
    total_base = Decimal(best_key[0] * g).scaleb(-scale)
    total = Amount(normal(total_base / base.factor), base)
    return VialCombination(dose, used, total, Amount(normal(total.magnitude - dose.magnitude),
                                                     base))


@dataclass(frozen=True)
class _Prepared:
    """Vial sizes as integers: in units of their greatest common divisor ``g`` after
    scaling by ``10 ** scale`` (every digit kept), with the dose rounded up (``above``)
    and down (``below``) to a multiple of ``g``."""

    sizes: list[Amount]
    base: Unit
    scale: int
    g: int
    reduced: list[int]
    order: list[int]  # indices of sizes, largest first
    above: int
    below: int


def _prepare(dose: Amount, vials: Iterable[Amount]) -> _Prepared:
    dose = _check_amount(dose, "dose")
    sizes = [_check_amount(v, "vial size") for v in (
        vials if isinstance(vials, Sequence) else list(vials))]
    if not sizes:
        raise QuantityError("vials", "at least one vial size is needed")
    base = dose.unit
    in_base: list[Decimal] = []
    for size in sizes:
        if size.unit.dimension is not base.dimension:
            raise UnitError(str(size), f"a vial of {size.unit.dimension.value} cannot hold a "
                            f"dose of {base.dimension.value} ({dose})")
        in_base.append(size.magnitude * size.unit.factor)
    if len(set(in_base)) != len(in_base):
        seen: dict[Decimal, Amount] = {}
        for size, value in zip(sizes, in_base, strict=True):
            if value in seen:
                raise QuantityError("vials", f"the vial size {size} is listed twice "
                                    f"(as {seen[value]} and {size})")
            seen[value] = size
    dose_base = dose.magnitude * base.factor
    # Integers: every digit of the dose and the sizes kept.
    scale = max(_decimals(x) for x in [dose_base, *in_base])
    ints = [int(x.scaleb(scale)) for x in in_base]
    need_scaled = dose_base.scaleb(scale)
    assert need_scaled == int(need_scaled)
    g = math.gcd(*ints)
    reduced = [x // g for x in ints]
    order = sorted(range(len(sizes)), key=lambda i: reduced[i], reverse=True)
    return _Prepared(sizes, base, scale, g, reduced, order, -(-int(need_scaled) // g),
                     int(need_scaled) // g)


def _fewest(smaller: list[int], limit: int, sizes: list[Amount]
            ) -> list[tuple[int, tuple[int, ...]] | None]:
    """best[r] for r below ``limit``: the fewest ``smaller`` vials that add up to r, then
    the most of the larger sizes, as (count, (-count of each smaller size, largest
    first)); None: r is not a sum of them.

    Raises:
        QuantityError: ``limit`` above :data:`MAX_VIAL_SUMS`.
    """
    if limit > MAX_VIAL_SUMS:
        raise QuantityError("vials", "these vial sizes have too many combinations to compare "
                            f"(more than {MAX_VIAL_SUMS:,}): list the sizes stocked",
                            ", ".join(str(s) for s in sizes))
    # Adding the same vial to two combinations keeps their order, so the best for r
    # extends the best for r - size.
    zero: tuple[int, tuple[int, ...]] = (0, (0,) * len(smaller))
    best: list[tuple[int, tuple[int, ...]] | None] = [zero] + [None] * (limit - 1)
    for r in range(1, limit):
        for k, step in enumerate(smaller):
            if step <= r and (prev := best[r - step]) is not None:
                vector = (*prev[1][:k], prev[1][k] - 1, *prev[1][k + 1:])
                candidate = (prev[0] + 1, vector)
                current = best[r]
                if current is None or candidate < current:
                    best[r] = candidate
    return best


@exactly
def whole_vial_amounts(dose: Amount, vials: Iterable[Amount]) -> tuple[Amount | None, Amount]:
    """The whole-vial amounts nearest ``dose``: the largest that whole vials of the sizes
    given make up at most ``dose`` (None when even the smallest vial holds more), and the
    smallest at least ``dose`` (the total of :func:`least_waste_vials`). Both in the
    dose's unit, exact; equal when whole vials make up the dose exactly. Used by
    ``round: {to_vial: true}``.

    >>> from regimens.quantities import parse_amount as a
    >>> [str(x) for x in whole_vial_amounts(a("720 mg"), [a("100 mg"), a("500 mg")])]
    ['700 mg', '800 mg']
    >>> [str(x) for x in whole_vial_amounts(a("130 mg"), [a("50 mg"), a("80 mg")])]
    ['130 mg', '130 mg']

    Raises:
        QuantityTypeError, QuantityError, UnitError: as :func:`least_waste_vials`.
    """
    sizes = list(vials)  # read twice
    above = least_waste_vials(dose, sizes).total
    p = _prepare(dose, sizes)
    largest = p.reduced[p.order[0]]
    smaller = [p.reduced[i] for i in p.order[1:]]
    # Every whole-vial amount is some r from the smaller sizes (below largest x the second
    # size: see the module text) plus largest vials; r may not pass the dose.
    limit = min(largest * smaller[0], p.below + 1) if smaller else 1
    best = _fewest(smaller, limit, p.sizes)
    reach = max((r + (p.below - r) // largest * largest
                 for r, found in enumerate(best) if found is not None), default=0)
    below = None if reach == 0 else Amount(
        normal(Decimal(reach * p.g).scaleb(-p.scale) / p.base.factor), p.base)
    return below, above
