"""pint, at the edge: one registry that knows exactly the units this library reads, and
importing pint without NumPy when the command line asks for it (:func:`lean_pint`)."""

from __future__ import annotations

import functools
import sys
from typing import Any

from ._units import FORM_PLURALS

__all__ = [
    "lean_pint",
    "registry",
]


# The registry knows exactly the units this library reads, nothing else: pint's
# default registry holds thousands (where 'unit' parses as micro-nit and 'U' as an
# enzyme unit), and building it took a quarter of a second at every start.
_DEFINITIONS = (
    "meter = [length] = m",
    "gram = [mass] = g",
    "second = [time] = s",
    "minute = 60 * second = min",
    "hour = 60 * minute = h",
    "day = 24 * hour",
    "week = 7 * day",
    "liter = decimeter ** 3 = L = l",
    "inch = 2.54 * centimeter = in",
    "pound = 0.45359237 * kilogram = lb = lbs",
    "international_unit = [biological_activity] = IU",
    "cell = [cell_count] = cells",
    "usp_unit = [usp_activity]",
    "gray = [absorbed_dose] = Gy",
    *(f"{s} = [{s}_count] = {p}" for s, p in FORM_PLURALS.items()),
    "nano- = 1e-9 = n",
    "micro- = 1e-6 = µ = μ = u = mc",
    "milli- = 1e-3 = m",
    "centi- = 1e-2 = c",
    "deci- = 1e-1 = d",
    "kilo- = 1e3 = k",
    "mega- = 1e6 = M",
)


#: Set by :func:`lean_pint`: import pint without NumPy (see there).
_LEAN_PINT = False


def lean_pint() -> None:
    """Import pint without NumPy in this process, for a program that owns its process.

    pint imports NumPy at its own import whenever NumPy is installed (pint.compat;
    pint 0.25 offers no switch), which makes a cold ``regimens expand`` about 1.3x
    slower although regimens asks pint only about scalars. The command line calls
    this first: pint is then imported with ``sys.modules["numpy"] = None`` (the
    import system's documented way to block a module) for the length of its import,
    and the entry is removed after it, so NumPy imports normally afterwards. pint so
    imported supports no NumPy arrays in that process, which is why the library never
    does this on its own: a program that embeds regimens keeps pint as pint made it.
    Nothing happens when NumPy or pint is loaded already.
    """
    global _LEAN_PINT
    _LEAN_PINT = True


def _import_pint() -> Any:
    """pint; without NumPy if :func:`lean_pint` was called and neither is loaded yet."""
    if not _LEAN_PINT or "pint" in sys.modules or "numpy" in sys.modules:
        import pint

        return pint
    sys.modules["numpy"] = None  # type: ignore[assignment]
    try:
        import pint
    finally:
        if "numpy" in sys.modules and sys.modules["numpy"] is None:
            del sys.modules["numpy"]
    return pint


@functools.cache
def registry() -> Any:
    """The one pint registry, with IU and cells as dimensions of their own."""
    pint = _import_pint()
    ureg: Any = pint.UnitRegistry(None, cache_folder=None)
    for definition in _DEFINITIONS:
        ureg.define(definition)
    return ureg
