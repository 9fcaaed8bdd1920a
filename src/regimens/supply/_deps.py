"""The optional libraries of the supply forecast, each imported when first needed.

NumPy and pyarrow (the batch API's), Dask's distributed scheduler, matplotlib for
the plot and tqdm for the progress bar come with the ``regimens[supply]`` extra; a
missing one is an ImportError that names the extra.
"""

from __future__ import annotations

from typing import Any

__all__ = ["EXTRA", "distributed", "numpy", "pyarrow", "pyplot", "tqdm"]

EXTRA = "regimens[supply]"


class MissingExtra(ImportError):
    """A package of the ``supply`` extra is not installed (the message names the extra)."""


def _missing(what: str, module: str) -> MissingExtra:
    return MissingExtra(f"{what} needs {module}: install the extra with pip install '{EXTRA}'")


def numpy() -> Any:
    """The ``numpy`` module, or an ImportError naming ``regimens[supply]``."""
    try:
        import numpy
    except ImportError:
        raise _missing("regimens.supply", "NumPy") from None
    return numpy


def pyarrow() -> Any:
    """The ``pyarrow`` module, or an ImportError naming ``regimens[supply]``."""
    try:
        import pyarrow
    except ImportError:
        raise _missing("regimens.supply", "pyarrow") from None
    return pyarrow


def distributed() -> Any:
    """The ``dask.distributed`` module, or an ImportError naming ``regimens[supply]``."""
    try:
        import dask.distributed
    except ImportError:
        raise _missing("a Dask cluster (client=, --scheduler, --workers)",
                       "dask.distributed") from None
    return dask.distributed


def pyplot() -> Any:
    """matplotlib's ``pyplot`` on the Agg backend (files only, no display)."""
    try:
        import matplotlib
    except ImportError:
        raise _missing("the plot (--plot)", "matplotlib") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot

    return matplotlib.pyplot


def tqdm() -> Any:
    """The ``tqdm`` class, or None when tqdm is not installed (no progress bar then)."""
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm
