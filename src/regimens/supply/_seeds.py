"""One random generator per simulation, from the run's seed and the simulation's index."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ExpandOptionError
from ._checks import count

if TYPE_CHECKING:
    import numpy as np

__all__ = ["simulation_rng"]


def simulation_rng(seed: int, index: int) -> np.random.Generator:
    """The generator of simulation ``index`` (0-based) of a run seeded with ``seed``.

    It is the ``index``-th child of ``numpy.random.SeedSequence(seed)``, exactly as
    ``SeedSequence(seed).spawn(index + 1)[index]`` gives it (built directly, in
    constant time), driving NumPy's default bit generator (PCG64). A simulation's
    draws therefore depend only on the seed and its index: never on which worker or
    partition runs it, nor on how many simulations run before it. Children of one
    seed are independent streams (NumPy's SeedSequence guarantees distinct states).

    ``seed`` and ``index``: whole numbers >= 0. Raises
    :class:`~regimens.ExpandOptionError` (``"seed"``, ``"index"``) otherwise.
    """
    import numpy as np

    count("seed", seed)
    count("index", index)
    if index >= 2**63:
        raise ExpandOptionError("index", "must be below 2**63", index)
    child = np.random.SeedSequence(seed, spawn_key=(index,))
    return np.random.Generator(np.random.PCG64(child))
