"""Per participant: the length of each ranged period, and when treatment ends early.

Lengths: a ranged period (``length: 12-18 weeks``) takes, per participant, a length
drawn uniformly from ``low``, ``low + step``, ..., ``high`` days (``step`` 7 for a range
in weeks), unless explicit ``choices`` (length -> relative weight) are given.

Treatment ends (:class:`Treatment`), each a time-to-event from the start of Study Day 1:

- Dropout at a constant hazard: ``dropout`` is the probability of leaving within any
  one week on treatment, so the time to dropout is exponential with rate
  ``-ln(1 - dropout) / 7`` per day (0.5%/week: a median of ``7 ln 2 / -ln 0.995`` =
  967.9 days).
- Progression ("until progression"): exponential with the given median, rate
  ``ln 2 / median`` per day.

Treatment ends at the first of the two, a time ``T`` days after the start of Study Day
1; the end date is Study Day 1's date plus ``floor(T)`` days: the participant receives
nothing dated on or after it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from ..errors import ExpandOptionError
from ._checks import check_id, count, number, proportion

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = ["CAUSES", "LengthChoice", "Treatment", "choose_lengths", "treatment_ends"]

#: Why treatment ended early: the codes of :func:`treatment_ends`' second array.
CAUSES = ("", "dropout", "progression")


@dataclass(frozen=True)
class LengthChoice:
    """How a ranged period's length is chosen per participant, in days.

    ``period``: the period id. ``low``, ``high``: the range (whole days, ``0 <= low <=
    high``). ``step``: the spacing of the lengths drawn (>= 1; ``high - low`` a
    multiple of it; 7 for whole weeks). ``choices``: None (uniform over the range), or
    length in days -> relative weight (> 0), each length within the range (a mapping
    or pairs, kept as a tuple of pairs, also :attr:`weighted`). ``before_day_one``: the
    period comes before Study Day 1 (a run-in), so its length moves Study Day 1 after
    the participant's entry.
    """

    period: str
    low: int
    high: int
    step: int = 1
    choices: Mapping[int, float] | Sequence[tuple[int, float]] | None = None
    before_day_one: bool = False

    def __post_init__(self) -> None:
        check_id("period", self.period)
        count("low", self.low)
        count("high", self.high)
        if self.high < self.low:
            raise ExpandOptionError("high", f"must be at least low ({self.low} days)",
                                    self.high)
        count("step", self.step, minimum=1)
        if (self.high - self.low) % self.step:
            raise ExpandOptionError("step", f"must divide high - low ({self.high - self.low} "
                                    "days)", self.step)
        if not isinstance(self.before_day_one, bool):
            raise ExpandOptionError("before_day_one", "must be true or false",
                                    self.before_day_one)
        if self.choices is None:
            return
        given: object = self.choices
        pairs = (tuple(given.items()) if isinstance(given, Mapping) else
                 tuple(given) if isinstance(given, Sequence) and not isinstance(given, str)
                 else None)
        if not pairs:
            raise ExpandOptionError("choices", "map each length in days to its weight",
                                    self.choices)
        kept = []
        for pair in pairs:
            if not isinstance(pair, tuple) or len(pair) != 2:
                raise ExpandOptionError("choices", "map each length in days to its weight",
                                        pair)
            days = count("choices", pair[0])
            if not self.low <= days <= self.high:
                raise ExpandOptionError("choices", f"each length must lie within "
                                        f"{self.low}-{self.high} days", days)
            kept.append((days, number(f"choices.{days}", pair[1], positive=True)))
        if len({d for d, _ in kept}) < len(kept):
            raise ExpandOptionError("choices", "a length is given twice", self.choices)
        object.__setattr__(self, "choices", tuple(kept))

    @property
    def weighted(self) -> tuple[tuple[int, float], ...] | None:
        """The given choices as (days, weight) pairs, or None: uniform."""
        return cast("tuple[tuple[int, float], ...] | None", self.choices)  # a tuple once checked


@dataclass(frozen=True)
class Treatment:
    """When treatment ends early. ``dropout``: the probability per week on treatment of
    leaving (0 up to but not including 1; ``0.005`` for 0.5%/week; 0: none).
    ``progression``: the median time on treatment in days until progression
    (exponential; > 0), or None: no progression."""

    dropout: float = 0.0
    progression: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "dropout", proportion("dropout", self.dropout,
                                                       below_one=True))
        if self.progression is not None:
            object.__setattr__(self, "progression",
                               number("progression", self.progression, positive=True))

    @property
    def hazards(self) -> tuple[float, float]:
        """The daily hazards (dropout, progression); 0 where there is none."""
        dropout = -math.log1p(-self.dropout) / 7 if self.dropout else 0.0
        progression = math.log(2) / self.progression if self.progression else 0.0
        return dropout, progression


def choose_lengths(choice: LengthChoice, n: int, rng: np.random.Generator) -> NDArray[np.int64]:
    """``n`` lengths in days for ``choice``'s period (one draw each)."""
    import numpy as np

    weighted = choice.weighted
    if weighted is None:
        k = rng.integers(0, (choice.high - choice.low) // choice.step + 1, n)
        return (choice.low + k * choice.step).astype(np.int64)
    days = np.array([d for d, _ in weighted], dtype=np.int64)
    weights = np.array([w for _, w in weighted], dtype=np.float64)
    return rng.choice(days, size=n, p=weights / weights.sum())


def treatment_ends(spec: Treatment, start: NDArray[np.datetime64],
                   rng: np.random.Generator) -> tuple[NDArray[np.datetime64], NDArray[np.int8]]:
    """Per participant (Study Day 1 in ``start``): the date treatment ends early (NaT when
    neither dropout nor progression is modelled) and why (a code into :data:`CAUSES`).

    Dropout times are drawn for everyone first, then progression times (each only when
    modelled).
    """
    import numpy as np

    n = start.size
    end = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    cause = np.zeros(n, dtype=np.int8)
    time = np.full(n, np.inf)
    for code, hazard in enumerate(spec.hazards, start=1):
        if hazard:
            drawn = rng.exponential(1 / hazard, n)
            first = drawn < time
            time[first] = drawn[first]
            cause[first] = code
    done = np.isfinite(time)
    end[done] = start[done] + np.floor(time[done]).astype(np.int64).astype("timedelta64[D]")
    return end, cause
