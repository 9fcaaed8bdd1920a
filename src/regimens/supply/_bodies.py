"""Body sizes: weight and height drawn from stated distributions, or resampled from a file.

Parametric (:class:`BodySizes`): weight and height are each normal or log-normal, for
everyone or by sex (sex drawn female with the stated proportion, independently per
participant). A log-normal is given by the mean and standard deviation of the
measurement itself (kg, cm); its log then has ``sigma**2 = ln(1 + (sd / mean)**2)`` and
``mu = ln(mean) - sigma**2 / 2``. Weight and height may be correlated: the two standard
normal deviates behind them (of the measure, or of its log for a log-normal) have
correlation ``correlation``; 0 (the default) draws them independently.

Each value is rounded as a clinic records it (weight to 0.1 kg, height to 1 cm, by
default), then **truncated by rejection**: a participant whose rounded weight or height
lies outside ``[low, high]`` (by default the plausible range of
:class:`~regimens.Participant`: 0.5-400 kg, 30-250 cm) is drawn again, both measures
together, until inside. That is the distribution conditioned on the range (never
clipped, which would pile values up on the bounds). A range holding less than half of a
distribution is refused: truncation would then change it beyond its stated mean and sd.

Empirical (:class:`EmpiricalSizes`): rows of weight, height and sex (e.g. from a
previous trial, :meth:`EmpiricalSizes.from_csv`) resampled uniformly with replacement,
which keeps each row's weight, height and sex together.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ExpandOptionError, UnitError
from ..model import PLAUSIBLE, implausible
from ..quantities import exactly, parse_measure, plain, shortest_decimal, shown_beside
from ._checks import count, number, proportion

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = ["DISTRIBUTIONS", "BodySizes", "EmpiricalSizes", "Moments", "SizeDistribution",
           "draw_sizes"]

#: The parametric distributions of a body measurement.
DISTRIBUTIONS = ("normal", "lognormal")
#: Rejection rounds before giving up (each keeps at least half of what is left, so 200
#: rounds leave fewer than 2**-200 of the participants; reaching it is a defect).
_ROUNDS = 200
_SEXES = ("female", "male")


@dataclass(frozen=True)
class Moments:
    """The mean and standard deviation of a measurement (kg or cm), both > 0."""

    mean: float
    sd: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "mean", number("mean", self.mean, positive=True))
        object.__setattr__(self, "sd", number("sd", self.sd, positive=True))


@dataclass(frozen=True)
class SizeDistribution:
    """How one measurement is distributed: ``distribution`` (``"normal"`` or
    ``"lognormal"``), with :class:`Moments` for ``everyone`` or for ``female`` and
    ``male`` (both, then), and an optional truncation range ``low``-``high`` (kg or cm;
    None: the plausible bound of :class:`~regimens.Participant`)."""

    distribution: str
    everyone: Moments | None = None
    female: Moments | None = None
    male: Moments | None = None
    low: float | None = None
    high: float | None = None

    def __post_init__(self) -> None:
        if self.distribution not in DISTRIBUTIONS:
            raise ExpandOptionError("distribution", "must be normal or lognormal",
                                    self.distribution)
        by_sex = (self.female, self.male)
        if self.everyone is not None and any(m is not None for m in by_sex):
            raise ExpandOptionError("female", "give the moments for everyone or by sex "
                                    "(female and male), not both")
        if self.everyone is None and None in by_sex:
            missing = "male" if self.female is not None else (
                "female" if self.male is not None else "everyone")
            raise ExpandOptionError(missing, "give the mean and sd for everyone, or for "
                                    "both female and male")
        for name in ("everyone", "female", "male"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Moments):
                raise ExpandOptionError(name, "must be Moments(mean, sd)", value)
        for name in ("low", "high"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, number(name, value, positive=True))

    @property
    def by_sex(self) -> bool:
        """Whether the moments are given per sex."""
        return self.everyone is None


def _log_moments(m: Moments) -> tuple[float, float]:
    sigma2 = math.log1p((m.sd / m.mean) ** 2)
    return math.log(m.mean) - sigma2 / 2, math.sqrt(sigma2)


def _scale(dist: SizeDistribution, m: Moments) -> tuple[float, float]:
    """(mu, sigma) of the normal behind the measure: of the measure, or of its log."""
    return (m.mean, m.sd) if dist.distribution == "normal" else _log_moments(m)


def _phi(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2))


#: The least share of a distribution its range may hold (a truncation keeps it).
_LEAST_SHARE = 0.5


@exactly
def _share_text(mass: float) -> str:
    """A share of a distribution as the refusal shows it next to the least share it is
    compared with (50%): half up to one decimal, always written, with more decimals while
    that would read as 50% (0.4999683 is 49.997%, never "holds only 50.0%"); computed in
    regimens' own decimal context, whatever the caller's."""
    shown = plain(shown_beside(shortest_decimal(mass) * 100,
                               shortest_decimal(_LEAST_SHARE) * 100, 1))
    return f"{shown if '.' in shown else shown + '.0'}%"


def _bounds(kind: str, dist: SizeDistribution) -> tuple[float, float]:
    low, high, unit = PLAUSIBLE[kind]
    lo = float(low) if dist.low is None else dist.low
    hi = float(high) if dist.high is None else dist.high
    for name, value in (("low", lo), ("high", hi)):
        if not float(low) <= value <= float(high):
            raise ExpandOptionError(f"{kind}.{name}", f"must lie within the plausible "
                                    f"{kind} range, {low}-{high} {unit}", value)
    if hi <= lo:
        raise ExpandOptionError(f"{kind}.high", f"must be greater than low ({lo:g})", hi)
    for sex in ("everyone", *_SEXES):
        m = getattr(dist, sex)
        if m is None:
            continue
        mu, sigma = _scale(dist, m)
        a, b = (lo, hi) if dist.distribution == "normal" else (math.log(lo), math.log(hi))
        mass = _phi((b - mu) / sigma) - _phi((a - mu) / sigma)
        if mass < _LEAST_SHARE:
            raise ExpandOptionError(
                f"{kind}.{sex}", f"the range {lo:g}-{hi:g} {unit} holds only "
                f"{_share_text(mass)} of this distribution; "
                "truncating it there would change it beyond its stated mean and sd",
                f"mean {m.mean:g}, sd {m.sd:g}")
    return lo, hi


@dataclass(frozen=True)
class BodySizes:
    """Parametric body sizes (see the module's docstring for the model).

    ``weight`` (kg), ``height`` (cm): a :class:`SizeDistribution` each, or None (not
    drawn: NaN). ``female``: the proportion drawn female (0 to 1), or None: sex is not
    drawn (then no distribution may be by sex). ``correlation``: between weight and
    height, strictly between -1 and 1 (needs both). ``weight_decimals``,
    ``height_decimals``: the rounding (0 to 3 decimals; default 1 and 0).
    """

    weight: SizeDistribution | None = None
    height: SizeDistribution | None = None
    female: float | None = None
    correlation: float = 0.0
    weight_decimals: int = 1
    height_decimals: int = 0

    def __post_init__(self) -> None:
        for kind in ("weight", "height"):
            dist = getattr(self, kind)
            if dist is None:
                continue
            if not isinstance(dist, SizeDistribution):
                raise ExpandOptionError(kind, "must be a SizeDistribution or None", dist)
            if dist.by_sex and self.female is None:
                raise ExpandOptionError("female", f"the {kind} is given by sex: give the "
                                        "proportion of participants who are female")
            _bounds(kind, dist)
        if self.female is not None:
            object.__setattr__(self, "female", proportion("female", self.female))
        rho = number("correlation", self.correlation)
        if not -1 < rho < 1:
            raise ExpandOptionError("correlation", "must be strictly between -1 and 1",
                                    self.correlation)
        if rho and (self.weight is None or self.height is None):
            raise ExpandOptionError("correlation", "needs both a weight and a height "
                                    "distribution", self.correlation)
        object.__setattr__(self, "correlation", rho)
        for name in ("weight_decimals", "height_decimals"):
            if count(name, getattr(self, name)) > 3:
                raise ExpandOptionError(name, "must be at most 3", getattr(self, name))


_COLUMNS = {"weight": ("weight", None), "weight_kg": ("weight", "kg"),
            "height": ("height", None), "height_cm": ("height", "cm"), "sex": ("sex", None)}


@dataclass(frozen=True)
class EmpiricalSizes:
    """Rows of body sizes to resample: ``weight`` (kg), ``height`` (cm), ``sex``
    (``"female"``/``"male"``), one sequence each (kept as tuples), all of one length
    (>= 1 row); a column not given is None. Each value must be plausible for
    :class:`~regimens.Participant`. ``source`` names where the rows came from (a file),
    for messages."""

    weight: Sequence[float] | None = None
    height: Sequence[float] | None = None
    sex: Sequence[str] | None = None
    source: str = ""

    def __post_init__(self) -> None:
        sizes = {name: len(getattr(self, name)) for name in ("weight", "height", "sex")
                 if getattr(self, name) is not None}
        if not sizes:
            raise ExpandOptionError("weight", "give a weight or a height column")
        if min(sizes.values()) < 1 or len(set(sizes.values())) > 1:
            raise ExpandOptionError("rows", "every column needs the same number of rows, "
                                    "at least one", sizes)
        for kind in ("weight", "height"):
            values = getattr(self, kind)
            if values is None:
                continue
            kept = tuple(number(f"{kind}[{i}]", v) for i, v in enumerate(values))
            for i, v in enumerate(kept):
                reason = implausible(kind, shortest_decimal(v))
                if reason is not None:
                    raise ExpandOptionError(f"{kind}[{i}]", reason, values[i])
            object.__setattr__(self, kind, kept)
        if self.sex is not None:
            object.__setattr__(self, "sex", tuple(self.sex))
            for i, text in enumerate(self.sex):
                if text not in _SEXES:
                    raise ExpandOptionError(f"sex[{i}]", "must be female or male", text)

    def __len__(self) -> int:
        """The number of rows."""
        for column in (self.weight, self.height, self.sex):
            if column is not None:
                return len(column)
        return 0  # pragma: no cover - refused when made

    @classmethod
    def from_csv(cls, path: str | Path) -> EmpiricalSizes:
        """Read rows from a CSV file (UTF-8, a header row, comma-separated).

        Columns: ``weight`` (with its unit: ``70 kg``, ``154 lb``) or ``weight_kg`` (a
        number of kg), ``height`` (``175 cm``, ``1.75 m``, ``69 in``) or ``height_cm``
        (a number of cm), and optionally ``sex`` (``female``/``male``, any case). At
        least a weight or a height column; no other columns; no empty cells. Raises
        :class:`~regimens.ExpandOptionError` whose ``option`` is ``FILE:LINE: COLUMN``
        (``sizes.csv:4: weight``), or ``OSError`` if the file cannot be read.
        """
        name = str(path)
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise ExpandOptionError(f"{name}:1", "the file is empty; give a header row "
                                        "(weight, height, sex)")
            columns = [h.strip().lower() for h in header]
            for h in columns:
                if h not in _COLUMNS:
                    raise ExpandOptionError(f"{name}:1", "unknown column; the columns are "
                                            "weight or weight_kg, height or height_cm, and sex",
                                            h)
            kinds = [_COLUMNS[h][0] for h in columns]
            if len(set(kinds)) < len(kinds):
                raise ExpandOptionError(f"{name}:1", "a column is given twice", header)
            found: dict[str, list[Any]] = {k: [] for k in kinds}
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(columns):
                    raise ExpandOptionError(f"{name}:{line}", f"expected {len(columns)} cells "
                                            f"({', '.join(columns)})", row)
                for h, cell in zip(columns, row, strict=True):
                    kind, unit = _COLUMNS[h]
                    found[kind].append(_cell(f"{name}:{line}: {h}", kind, unit, cell.strip()))
        if not found[kinds[0]]:
            raise ExpandOptionError(f"{name}:2", "the file has no rows after its header")
        return cls(weight=_tuple(found.get("weight")), height=_tuple(found.get("height")),
                   sex=_tuple(found.get("sex")), source=name)


def _tuple(values: list[Any] | None) -> tuple[Any, ...] | None:
    return None if values is None else tuple(values)


def _cell(where: str, kind: str, unit: str | None, cell: str) -> Any:
    if not cell:
        raise ExpandOptionError(where, "the cell is empty")
    if kind == "sex":
        if cell.lower() not in _SEXES:
            raise ExpandOptionError(where, "must be female or male", cell)
        return cell.lower()
    try:
        value = parse_measure(kind, f"{cell} {unit}" if unit else cell)
    except UnitError as exc:
        raise ExpandOptionError(where, f"{exc.reason}; {exc.allowed}", cell) from None
    reason = implausible(kind, value)
    if reason is not None:
        raise ExpandOptionError(where, reason, cell)
    return float(value)


def draw_sizes(spec: BodySizes | EmpiricalSizes | None, n: int,
               rng: np.random.Generator) -> tuple[
                   NDArray[np.str_], NDArray[np.float64], NDArray[np.float64]]:
    """Sex (``"female"``, ``"male"``, ``""`` when not drawn), weight (kg) and height (cm)
    for ``n`` participants; NaN where a measure is not drawn.

    Parametric: sex first (one uniform each), then rejection rounds of standard normal
    pairs (see the module's docstring). Empirical: one uniform row index each.
    """
    import numpy as np

    sex = np.full(n, "", dtype="<U6")
    weight = np.full(n, np.nan)
    height = np.full(n, np.nan)
    if spec is None or n == 0:
        return sex, weight, height
    if isinstance(spec, EmpiricalSizes):
        rows = rng.integers(0, len(spec), n)
        for column, given in ((weight, spec.weight), (height, spec.height)):
            if given is not None:
                column[:] = np.asarray(given, dtype=np.float64)[rows]
        if spec.sex is not None:
            sex[:] = np.asarray(spec.sex, dtype="<U6")[rows]
        return sex, weight, height
    female = None
    if spec.female is not None:
        female = rng.random(n) < spec.female
        sex[:] = np.where(female, "female", "male")
    kinds = [(k, getattr(spec, k), getattr(spec, f"{k}_decimals"), out)
             for k, out in (("weight", weight), ("height", height))
             if getattr(spec, k) is not None]
    if not kinds:
        return sex, weight, height
    mus, sigmas, bounds = [], [], []
    for kind, dist, _, _ in kinds:
        mu, sigma = np.empty(n), np.empty(n)
        if dist.by_sex:
            assert female is not None  # checked when made
            for flag, m in ((True, dist.female), (False, dist.male)):
                assert m is not None  # both, checked when made
                mu[female == flag], sigma[female == flag] = _scale(dist, m)
        else:
            assert dist.everyone is not None
            mu[:], sigma[:] = _scale(dist, dist.everyone)
        mus.append(mu)
        sigmas.append(sigma)
        bounds.append(_bounds(kind, dist))
    rho = spec.correlation
    pending = np.arange(n)
    for _ in range(_ROUNDS):
        z = rng.standard_normal((pending.size, len(kinds)))
        if len(kinds) == 2:
            z[:, 1] = rho * z[:, 0] + math.sqrt(1 - rho * rho) * z[:, 1]
        inside = np.ones(pending.size, dtype=bool)
        values = []
        for j, (_kind, dist, decimals, _out) in enumerate(kinds):
            x = mus[j][pending] + sigmas[j][pending] * z[:, j]
            if dist.distribution == "lognormal":
                x = np.exp(x)
            x = np.round(x, decimals)
            lo, hi = bounds[j]
            inside &= (x >= lo) & (x <= hi)
            values.append(x)
        for j, (_kind, _dist, _decimals, out) in enumerate(kinds):
            out[pending[inside]] = values[j][inside]
        pending = pending[~inside]
        if not pending.size:
            return sex, weight, height
    raise ExpandOptionError("sizes", f"{pending.size} participants still outside the "
                            f"truncation range after {_ROUNDS} rounds")  # pragma: no cover
