"""Enrolment: when and where participants arrive, site by site (the Poisson-gamma model).

The model of Anisimov and Fedorov (Statistics in Medicine 2007; 26:4958-4975,
doi:10.1002/sim.2956), as commercial supply forecasts use it:

- Site ``i`` becomes active on its activation day ``a_i``: the day it ``opens``, or,
  when the activation is uncertain (:class:`ActivationDelay`), a day drawn uniformly
  from ``opens + low`` to ``opens + high`` (whole days, both included; Anisimov and
  Fedorov draw activation times uniformly).
- From ``a_i`` on, participants arrive at site ``i`` as a Poisson process of rate
  ``lambda_i`` per week: the number arriving in ``t`` weeks is Poisson with mean
  ``lambda_i * t``, and given that number their times are independent and uniform.
  ``lambda_i`` is the site's ``rate`` (fixed), or is drawn once per simulation from a
  gamma distribution with mean ``rate`` and shape ``alpha`` (``shape``, or from the
  standard deviation: ``alpha = (rate / sd)**2``; scale ``rate / alpha``). The count
  in ``t`` weeks is then negative binomial: mean ``rate * t``, variance
  ``rate * t + (rate * t)**2 / alpha``, wider than Poisson, which is the point: fixed
  rates give forecasts that are too narrow.
- The rate counts participants *screened*. Each screened participant fails screening
  with probability ``screen_failure``, independently, and is not randomised; the
  others are (so randomisations form a Poisson process of rate
  ``lambda_i * (1 - screen_failure)``).
- Screening stops across all sites at the arrival of the participant who brings the
  number randomised to ``sample_size``: the sample size counts randomised participants,
  never screen failures.

Times are drawn in continuous days from the first site's ``opens`` and a participant's
entry date is the day the arrival falls on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import ExpandOptionError
from ._checks import check_date, check_id, count, number, proportion

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = ["MAX_YEARS", "ActivationDelay", "Enrolled", "Enrolment", "Site", "enrol"]

#: Enrolment that has not reached the sample size this many years after the first site
#: opens is refused (a rate far too low for the sample size, or a mistyped unit).
MAX_YEARS = 100
_MAX_DAYS = math.ceil(MAX_YEARS * 365.25)


@dataclass(frozen=True)
class ActivationDelay:
    """An uncertain site activation: ``low`` to ``high`` days (whole days, both included,
    ``0 <= low <= high``) after the day the site is planned to open, uniformly."""

    low: int
    high: int

    def __post_init__(self) -> None:
        count("low", self.low)
        count("high", self.high)
        if self.high < self.low:
            raise ExpandOptionError("high", f"must be at least low ({self.low} days)",
                                    self.high)


@dataclass(frozen=True)
class Site:
    """One site of the enrolment model.

    ``id``: the site's id. ``opens``: the day it is planned to start screening (a
    ``datetime.date``). ``rate``: the mean number of participants screened per week
    (> 0; a float, int or Decimal, kept as a float). ``shape`` or ``sd`` (at most one,
    each > 0): the site's rate is drawn per simulation from a gamma distribution with
    mean ``rate`` and that shape (or standard deviation, per week); neither: the rate
    is fixed. ``delay``: an uncertain activation (:class:`ActivationDelay`), or None
    to open on ``opens``.

    Raises :class:`~regimens.ExpandOptionError` naming the field (``"rate"``).
    """

    id: str
    opens: date
    rate: float
    shape: float | None = None
    sd: float | None = None
    delay: ActivationDelay | None = None

    def __post_init__(self) -> None:
        check_id("id", self.id)
        check_date("opens", self.opens)
        object.__setattr__(self, "rate", number("rate", self.rate, positive=True))
        if self.shape is not None and self.sd is not None:
            raise ExpandOptionError("sd", "give the gamma distribution's shape or its sd, "
                                    "not both", self.sd)
        for name in ("shape", "sd"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, number(name, value, positive=True))
        if self.delay is not None and not isinstance(self.delay, ActivationDelay):
            raise ExpandOptionError("delay", "must be an ActivationDelay or None", self.delay)

    @property
    def alpha(self) -> float | None:
        """The gamma shape of the site's rate (from ``shape`` or ``sd``), or None: fixed."""
        if self.shape is not None:
            return self.shape
        if self.sd is not None:
            return (self.rate / self.sd) ** 2
        return None


@dataclass(frozen=True)
class Enrolment:
    """Sites, the target number of randomised participants, and the screen-failure rate.

    ``sites``: one or more :class:`Site` with distinct ids (a list is kept as a tuple).
    ``sample_size``: the number of participants randomised before screening stops (>= 1).
    ``screen_failure``: the probability that a screened participant is not randomised,
    from 0 up to but not including 1 (``0.2`` for 20%).
    """

    sites: Sequence[Site]
    sample_size: int
    screen_failure: float = 0.0

    def __post_init__(self) -> None:
        if isinstance(self.sites, (str, bytes)) or not isinstance(self.sites, Sequence):
            raise ExpandOptionError("sites", "must be a list of sites", self.sites)
        sites = tuple(self.sites)
        if not sites:
            raise ExpandOptionError("sites", "give at least one site")
        seen: set[str] = set()
        for i, site in enumerate(sites):
            if not isinstance(site, Site):
                raise ExpandOptionError(f"sites[{i}]", "must be a Site", site)
            if site.id in seen:
                raise ExpandOptionError(f"sites[{i}].id", "another site has this id", site.id)
            seen.add(site.id)
        object.__setattr__(self, "sites", sites)
        count("sample_size", self.sample_size, minimum=1)
        object.__setattr__(self, "screen_failure",
                           proportion("screen_failure", self.screen_failure, below_one=True))

    @property
    def origin(self) -> date:
        """The day the first site is planned to open: day 0 of the simulation's clock."""
        return min(site.opens for site in self.sites)


@dataclass(frozen=True, eq=False)
class Enrolled:
    """One simulation's enrolment: the randomised participants in order of arrival.

    Per participant (``sample_size`` of them): ``site`` (int64, the index into
    ``Enrolment.sites``), ``time`` (float64, days since ``origin``'s midnight) and
    ``entry`` (``datetime64[D]``, the day of arrival). Per site: ``activation``
    (``datetime64[D]``), ``rate`` (float64, the rate drawn, per week) and ``screened``
    (int64, participants screened there until screening stopped, screen failures included).
    """

    origin: date
    site: NDArray[np.int64]
    time: NDArray[np.float64]
    entry: NDArray[np.datetime64]
    activation: NDArray[np.datetime64]
    rate: NDArray[np.float64]
    screened: NDArray[np.int64]


def _activation(spec: Enrolment, rng: Any, np: Any) -> Any:
    """Per site, its activation day as days since the origin (int64)."""
    origin = spec.origin
    planned = np.array([(s.opens - origin).days for s in spec.sites], dtype=np.int64)
    low = np.array([s.delay.low if s.delay else 0 for s in spec.sites], dtype=np.int64)
    high = np.array([s.delay.high if s.delay else 0 for s in spec.sites], dtype=np.int64)
    return planned + rng.integers(low, high + 1)


def _rates(spec: Enrolment, rng: Any, np: Any) -> Any:
    """Per site, its rate per week: fixed, or one gamma draw (mean ``rate``, shape alpha)."""
    rates = np.array([s.rate for s in spec.sites], dtype=np.float64)
    alphas = np.array([s.alpha or 0.0 for s in spec.sites], dtype=np.float64)
    drawn = alphas > 0
    if drawn.any():
        rates[drawn] = rng.gamma(alphas[drawn], rates[drawn] / alphas[drawn])
    return rates


def enrol(spec: Enrolment, rng: np.random.Generator) -> Enrolled:
    """Draw one simulation's enrolment (see the module's docstring for the model).

    Arrivals are drawn window by window from the first activation on (a window's
    Poisson counts per site, then uniform times, then screening outcomes), each window
    twice as long as the one before, until the sample size is reached; the arrivals are
    then ordered by time (ties, which have probability 0, by site) and cut at the
    participant who completes the sample size. The result depends only on ``spec`` and
    the state of ``rng``.

    Raises :class:`~regimens.ExpandOptionError` (``option == "sample_size"``) when the
    sample size is not reached within :data:`MAX_YEARS` years of the origin.
    """
    import numpy as np

    if not isinstance(spec, Enrolment):
        raise ExpandOptionError("enrolment", "must be an Enrolment", spec)
    n = spec.sample_size
    activation = _activation(spec, rng, np)
    rates = _rates(spec, rng, np)
    per_day = rates / 7.0
    keep = 1.0 - spec.screen_failure
    # First window: long enough, on average, for the sample size after the last activation.
    start = float(activation.min())
    total = float(per_day.sum()) * keep
    window = float(activation.max()) - start + (n / total if total > 0 else 7.0) * 1.1 + 7.0
    times: list[Any] = []
    sites: list[Any] = []
    passed: list[Any] = []
    randomised = 0
    while randomised < n:
        end = min(start + window, float(_MAX_DAYS))
        begin = np.maximum(activation.astype(np.float64), start)
        exposure = np.clip(end - begin, 0.0, None)
        counts = rng.poisson(per_day * exposure)
        site = np.repeat(np.arange(len(spec.sites), dtype=np.int64), counts)
        time = rng.uniform(np.repeat(begin, counts), end)
        ok = rng.random(site.size) >= spec.screen_failure
        times.append(time)
        sites.append(site)
        passed.append(ok)
        randomised += int(ok.sum())
        if randomised < n and end >= _MAX_DAYS:
            raise ExpandOptionError(
                "sample_size", f"not reached within {MAX_YEARS} years of the first site "
                f"opening (only {randomised} randomised in this simulation); check the sites' "
                "rates (participants screened per week)", n)
        start, window = end, window * 2
    time = np.concatenate(times)
    site = np.concatenate(sites)
    ok = np.concatenate(passed)
    order = np.lexsort((site, time))
    time, site, ok = time[order], site[order], ok[order]
    last = int(np.searchsorted(np.cumsum(ok), n))  # the arrival completing the sample size
    screened = np.bincount(site[:last + 1], minlength=len(spec.sites)).astype(np.int64)
    chosen = np.flatnonzero(ok[:last + 1])
    origin = np.datetime64(spec.origin, "D")
    return Enrolled(
        origin=spec.origin,
        site=site[chosen],
        time=time[chosen],
        entry=origin + np.floor(time[chosen]).astype(np.int64).astype("timedelta64[D]"),
        activation=origin + activation.astype("timedelta64[D]"),
        rate=rates,
        screened=screened,
    )


