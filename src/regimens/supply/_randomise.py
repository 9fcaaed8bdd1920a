"""Randomisation: permuted blocks, stratified by site.

Arms are given with a ratio (``{"il2": 1, "placebo": 1}``). Each site has its own
sequence of blocks (stratification by site); a block of ``block`` participants holds
each arm ``ratio * block / sum(ratios)`` times, in an order drawn uniformly from all its
permutations (a permuted block; Matts and Lachin, Controlled Clinical Trials
1988;9:327-344). Participants take the next place of their site's sequence in the order
they are randomised, so after every completed block the site's arms are exactly in the
ratio, and in between they differ from it by less than one block. The last block of a
site may stay incomplete (enrolment stops).

The block size must be a multiple of the sum of the ratios; without one it is twice
that sum (4 for 1:1, 6 for 2:1), the smallest block that does not reveal every
participant's arm at each block's end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from ..errors import ExpandOptionError
from ._checks import check_id, count

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = ["Randomisation", "randomise"]


@dataclass(frozen=True)
class Randomisation:
    """Arms with their randomisation ratio and the size of the permuted blocks.

    ``arms``: arm id -> a whole number >= 1, in the order given (a mapping, or (id,
    ratio) pairs; kept as a tuple of pairs, also :attr:`ratios`). At least one arm.
    ``block``: the block size, a multiple of the sum of the ratios; None: twice that sum.

    Raises :class:`~regimens.ExpandOptionError` naming the field (``"arms.il2"``,
    ``"block"``).
    """

    arms: Mapping[str, int] | Sequence[tuple[str, int]]
    block: int | None = None

    def __post_init__(self) -> None:
        given = self.arms
        if isinstance(given, Mapping):
            pairs = tuple(given.items())
        elif (isinstance(given, Sequence) and not isinstance(given, str)
              and all(isinstance(p, tuple) and len(p) == 2 for p in given)):
            pairs = tuple(given)
        else:
            raise ExpandOptionError("arms", "must map each arm id to its ratio, e.g. "
                                    "{'il2': 1, 'placebo': 1}", given)
        if not pairs:
            raise ExpandOptionError("arms", "give at least one arm")
        seen: set[str] = set()
        for arm, ratio in pairs:
            check_id("arms", arm)
            if arm in seen:
                raise ExpandOptionError("arms", "an arm is given twice", arm)
            seen.add(arm)
            count(f"arms.{arm}", ratio, minimum=1)
        object.__setattr__(self, "arms", pairs)
        total = sum(ratio for _, ratio in pairs)
        if self.block is None:
            object.__setattr__(self, "block", 2 * total)
        else:
            count("block", self.block, minimum=1)
            if self.block % total:
                raise ExpandOptionError(
                    "block", f"must be a multiple of the sum of the ratios ({total})",
                    self.block)

    @property
    def ratios(self) -> tuple[tuple[str, int], ...]:
        """The arms and their ratios as (id, ratio) pairs, in the order given."""
        return cast("tuple[tuple[str, int], ...]", self.arms)  # made a tuple when checked

    @property
    def ids(self) -> tuple[str, ...]:
        """The arm ids, in the order given (the codes :func:`randomise` returns)."""
        return tuple(arm for arm, _ in self.ratios)

    @property
    def per_block(self) -> tuple[int, ...]:
        """How many places of each block each arm takes, in the order of :attr:`ids`."""
        total = sum(ratio for _, ratio in self.ratios)
        size = self.block or 2 * total
        return tuple(ratio * size // total for _, ratio in self.ratios)


def randomise(spec: Randomisation, site: NDArray[np.int64], sites: int,
              rng: np.random.Generator) -> NDArray[np.int64]:
    """Each participant's arm (an index into ``spec.ids``), by permuted blocks per site.

    ``site``: each participant's site (0 to ``sites - 1``), in the order of
    randomisation. Sites are drawn in index order, each with as many blocks as it
    needs, so the result depends only on the arguments and the state of ``rng``.
    """
    import numpy as np

    site = np.asarray(site, dtype=np.int64)
    if site.size and (site.min() < 0 or site.max() >= sites):
        raise ExpandOptionError("site", f"must be a site index from 0 to {sites - 1}")
    block = np.repeat(np.arange(len(spec.ratios), dtype=np.int64), spec.per_block)
    arm = np.empty(site.size, dtype=np.int64)
    for s in range(sites):
        rows = np.flatnonzero(site == s)
        if not rows.size:
            continue
        blocks = -(-rows.size // block.size)
        drawn = rng.permuted(np.tile(block, (blocks, 1)), axis=1)
        arm[rows] = drawn.reshape(-1)[:rows.size]
    return arm
