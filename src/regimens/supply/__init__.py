"""Trial supply planning: a planning file, and demand forecasts per drug, site and week.

A plan (``plan: regimens-supply/1``, :func:`load_plan`) says who is treated where
and how each drug is packed; :func:`simulate` expands every participant with the
batch API (the same rows as ``Regimen.expand``), reduces them to exact counts per
drug, site and week or month, takes percentiles over simulations and says what to
ship when, in this process or on a Dask cluster. The random model of the trial
(enrolment at sites, randomisation, body sizes, period lengths, dropout and
progression; :func:`simulate_participants`) draws from a ``numpy.random.Generator``
passed in, one per simulation (:func:`simulation_rng`). Needs the ``regimens[supply]``
extra (NumPy, pyarrow, Dask, matplotlib, tqdm). See docs/supply.md.
"""

from __future__ import annotations

from ._bodies import (
    DISTRIBUTIONS,
    BodySizes,
    EmpiricalSizes,
    Moments,
    SizeDistribution,
    draw_sizes,
)
from ._deps import MissingExtra
from ._enrolment import MAX_YEARS, ActivationDelay, Enrolled, Enrolment, Site, enrol
from ._forecast import (
    dask_client,
    load_plan,
    loads_plan,
    progress_bar,
    simulate,
)
from ._outputs import plot, render
from ._participants import SimulatedParticipants, TrialModel, simulate_participants
from ._plan import (
    FORMAT,
    Packaging,
    Plan,
    PlannedParticipant,
    PlanSite,
    Simulation,
)
from ._plan_schema import plan_schema
from ._randomise import Randomisation, randomise
from ._reduce import QUANTILE_METHOD, Forecast
from ._seeds import simulation_rng
from ._treatment import CAUSES, LengthChoice, Treatment, choose_lengths, treatment_ends

__all__ = [
    "CAUSES",
    "DISTRIBUTIONS",
    "FORMAT",
    "MAX_YEARS",
    "QUANTILE_METHOD",
    "ActivationDelay",
    "BodySizes",
    "EmpiricalSizes",
    "Enrolled",
    "Enrolment",
    "Forecast",
    "LengthChoice",
    "MissingExtra",
    "Moments",
    "Packaging",
    "Plan",
    "PlanSite",
    "PlannedParticipant",
    "Randomisation",
    "SimulatedParticipants",
    "Simulation",
    "Site",
    "SizeDistribution",
    "Treatment",
    "TrialModel",
    "choose_lengths",
    "dask_client",
    "draw_sizes",
    "enrol",
    "load_plan",
    "loads_plan",
    "plan_schema",
    "plot",
    "progress_bar",
    "randomise",
    "render",
    "simulate",
    "simulate_participants",
    "simulation_rng",
    "treatment_ends",
]
