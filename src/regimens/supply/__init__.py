"""Trial supply planning: a planning file, and demand forecasts per drug, site and week.

A plan (``plan: regimens-supply/1``, :func:`load_plan`) says who is treated where
and how each drug is packed; :func:`simulate` expands every participant with the
batch API (the same rows as ``Regimen.expand``), reduces them to exact counts per
drug, site and week or month, takes percentiles over simulations and says what to
ship when, in this process or on a Dask cluster. Needs the ``regimens[supply]``
extra (NumPy, pyarrow, Dask, matplotlib, tqdm). See docs/supply.md.
"""

from __future__ import annotations

from ._forecast import QUANTILE_METHOD, Forecast, dask_client, progress_bar, simulate
from ._outputs import plot, render
from ._plan import (
    FORMAT,
    Packaging,
    Plan,
    PlannedParticipant,
    PlanSite,
    load_plan,
    loads_plan,
    plan_schema,
)

__all__ = [
    "FORMAT",
    "QUANTILE_METHOD",
    "Forecast",
    "Packaging",
    "Plan",
    "PlanSite",
    "PlannedParticipant",
    "dask_client",
    "load_plan",
    "loads_plan",
    "plan_schema",
    "plot",
    "progress_bar",
    "render",
    "simulate",
]
