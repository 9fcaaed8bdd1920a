"""One simulation of the trial's participants, as columns: the model put together.

:func:`simulate_participants` draws, from independent child streams of the generator
given (``rng.spawn(5)``, in this order): the enrolment (:func:`enrol`), the lengths of
ranged periods, the arms (:func:`randomise`), the body sizes (:func:`draw_sizes`) and
the ends of treatment (:func:`treatment_ends`). Separate streams mean that changing one
part of the model (the body sizes, say) leaves the draws of the others as they were, so
two plans compared with the same seed differ only where they differ.

A participant's Study Day 1 (``start``, the date the batch API takes) is their entry
date plus ``lead_in`` days plus the chosen lengths of the periods before Study Day 1
(``before_day_one``). Participants are randomised, and listed, in the order of their
Study Day 1 (then of arrival); their ids are ``P-001``, ``P-002``, ... in that order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import ExpandOptionError
from ._bodies import BodySizes, EmpiricalSizes, draw_sizes
from ._checks import count
from ._enrolment import Enrolment, enrol
from ._randomise import Randomisation, randomise
from ._treatment import CAUSES, LengthChoice, Treatment, choose_lengths, treatment_ends

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa
    from numpy.typing import NDArray

__all__ = ["SimulatedParticipants", "TrialModel", "simulate_participants"]


@dataclass(frozen=True)
class TrialModel:
    """The random model of the trial: enrolment, randomisation, body sizes, period
    lengths and treatment ends.

    ``enrolment``: an :class:`Enrolment`; ``randomisation``: a :class:`Randomisation`;
    ``sizes``: :class:`BodySizes`, :class:`EmpiricalSizes` or None (no weights or
    heights); ``lengths``: one :class:`LengthChoice` per ranged period (distinct
    periods; a list is kept as a tuple); ``treatment``: a :class:`Treatment` (default:
    no early ends); ``lead_in``: days from entry to Study Day 1 besides the chosen
    lengths (fixed periods before Study Day 1; >= 0).
    """

    enrolment: Enrolment
    randomisation: Randomisation
    sizes: BodySizes | EmpiricalSizes | None = None
    lengths: Sequence[LengthChoice] = ()
    treatment: Treatment = field(default_factory=Treatment)
    lead_in: int = 0

    def __post_init__(self) -> None:
        for name, kind in (("enrolment", Enrolment), ("randomisation", Randomisation),
                           ("treatment", Treatment)):
            if not isinstance(getattr(self, name), kind):
                article = "an" if kind.__name__[0] in "AEIOU" else "a"
                raise ExpandOptionError(name, f"must be {article} {kind.__name__}",
                                        getattr(self, name))
        if self.sizes is not None and not isinstance(self.sizes, (BodySizes, EmpiricalSizes)):
            raise ExpandOptionError("sizes", "must be BodySizes, EmpiricalSizes or None",
                                    self.sizes)
        if isinstance(self.lengths, (str, bytes)) or not isinstance(self.lengths, Sequence):
            raise ExpandOptionError("lengths", "must be a list of LengthChoice", self.lengths)
        lengths = tuple(self.lengths)
        seen: set[str] = set()
        for i, choice in enumerate(lengths):
            if not isinstance(choice, LengthChoice):
                raise ExpandOptionError(f"lengths[{i}]", "must be a LengthChoice", choice)
            if choice.period in seen:
                raise ExpandOptionError(f"lengths[{i}].period", "another length choice is "
                                        "for this period", choice.period)
            seen.add(choice.period)
        object.__setattr__(self, "lengths", lengths)
        count("lead_in", self.lead_in)


@dataclass(frozen=True, eq=False)
class SimulatedParticipants:
    """One simulation's participants as columns (NumPy arrays of one row each), in the
    order of randomisation.

    ``id`` (text, ``P-001``...), ``site`` and ``arm`` (int64 codes into ``sites`` and
    ``arms``, the ids in the model's order), ``entry`` (arrival, ``datetime64[D]``),
    ``start`` (Study Day 1, ``datetime64[D]``), ``sex`` (``"female"``, ``"male"``, or
    ``""`` when not drawn), ``weight`` (kg) and ``height`` (cm) (float64, NaN when not
    drawn), ``lengths`` (period id -> int64 days), ``end`` (``datetime64[D]``: the first
    date with no treatment after dropout or progression; NaT: none) and ``end_cause``
    (int8 codes into :data:`~regimens.supply.CAUSES`). Per site: ``screened``,
    ``activation`` and ``rate`` as in :class:`Enrolled`.
    """

    id: NDArray[np.str_]
    site: NDArray[np.int64]
    sites: tuple[str, ...]
    arm: NDArray[np.int64]
    arms: tuple[str, ...]
    entry: NDArray[np.datetime64]
    start: NDArray[np.datetime64]
    sex: NDArray[np.str_]
    weight: NDArray[np.float64]
    height: NDArray[np.float64]
    lengths: Mapping[str, NDArray[np.int64]]
    end: NDArray[np.datetime64]
    end_cause: NDArray[np.int8]
    screened: NDArray[np.int64]
    activation: NDArray[np.datetime64]
    rate: NDArray[np.float64]

    def __len__(self) -> int:
        """The number of participants."""
        return int(self.site.size)

    def arm_ids(self) -> list[str]:
        """Each participant's arm id (the ``arm`` argument of ``expand_cohort``)."""
        return [self.arms[code] for code in self.arm.tolist()]

    def site_ids(self) -> list[str]:
        """Each participant's site id."""
        return [self.sites[code] for code in self.site.tolist()]

    def length_texts(self) -> dict[str, list[str]]:
        """Period id -> each participant's length as text (``"98 days"``): the
        ``lengths`` argument of ``expand_cohort``."""
        return {period: [f"{d} days" for d in days.tolist()]
                for period, days in self.lengths.items()}

    def to_arrow(self) -> pa.Table:
        """The columns as a ``pyarrow.Table``: ``id``, ``site`` and ``arm`` (dictionary
        of ids), ``entry``, ``start`` (``date32``), ``sex`` (null when not drawn),
        ``weight``, ``height`` (null when not drawn), one ``length.PERIOD`` (int32 days)
        per ranged period, ``end`` (``date32``, null: none) and ``end_cause`` (null: none).
        """
        import numpy as np
        import pyarrow as pa

        def coded(codes: Any, labels: Sequence[str]) -> Any:
            return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()),
                                                  pa.array(list(labels), pa.string()))

        columns: dict[str, Any] = {
            "id": pa.array(self.id.tolist(), pa.string()),
            "site": coded(self.site, self.sites),
            "arm": coded(self.arm, self.arms),
            "entry": pa.array(self.entry, pa.date32()),
            "start": pa.array(self.start, pa.date32()),
            "sex": pa.array(self.sex.tolist(), pa.string(), mask=self.sex == ""),
            "weight": pa.array(self.weight, pa.float64(), mask=np.isnan(self.weight)),
            "height": pa.array(self.height, pa.float64(), mask=np.isnan(self.height)),
        }
        for period, days in self.lengths.items():
            columns[f"length.{period}"] = pa.array(days, pa.int32())
        columns["end"] = pa.array(self.end, pa.date32(), mask=np.isnat(self.end))
        causes = np.asarray(CAUSES, dtype=object)[self.end_cause]
        columns["end_cause"] = pa.array(causes.tolist(), pa.string(),
                                        mask=self.end_cause == 0)
        return pa.table(columns)


def simulate_participants(model: TrialModel, rng: np.random.Generator) -> SimulatedParticipants:
    """One simulation of the trial's participants (see the module's docstring).

    Deterministic for a given ``model`` and generator state; use
    :func:`simulation_rng` for simulation ``i`` of a run. Raises
    :class:`~regimens.ExpandOptionError` as :func:`enrol` does.
    """
    import numpy as np

    if not isinstance(model, TrialModel):
        raise ExpandOptionError("model", "must be a TrialModel", model)
    enrol_rng, length_rng, arm_rng, size_rng, end_rng = rng.spawn(5)
    enrolled = enrol(model.enrolment, enrol_rng)
    n = enrolled.site.size
    drawn = {c.period: choose_lengths(c, n, length_rng) for c in model.lengths}
    offset = np.full(n, model.lead_in, dtype=np.int64)
    for choice in model.lengths:
        if choice.before_day_one:
            offset += drawn[choice.period]
    start = enrolled.entry + offset.astype("timedelta64[D]")
    order = np.lexsort((enrolled.time, start))
    site = enrolled.site[order]
    start = start[order]
    sites = tuple(s.id for s in model.enrolment.sites)
    arm = randomise(model.randomisation, site, len(sites), arm_rng)
    sex, weight, height = draw_sizes(model.sizes, n, size_rng)
    end, cause = treatment_ends(model.treatment, start, end_rng)
    width = max(3, len(str(n)))
    return SimulatedParticipants(
        id=np.array([f"P-{i:0{width}d}" for i in range(1, n + 1)], dtype=str),
        site=site,
        sites=sites,
        arm=arm,
        arms=model.randomisation.ids,
        entry=enrolled.entry[order],
        start=start,
        sex=sex,
        weight=weight,
        height=height,
        lengths={period: days[order] for period, days in drawn.items()},
        end=end,
        end_cause=cause,
        screened=enrolled.screened,
        activation=enrolled.activation,
        rate=enrolled.rate,
    )
