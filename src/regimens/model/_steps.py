"""Dose steps: escalation or taper by cycles, by administrations or by days of the cycle."""

from __future__ import annotations

from .._records import dataclass
from ._dose import Dose
from ._invariants import Problems, days_problem

__all__ = [
    "AdministrationStep",
    "CycleStep",
    "DayStep",
    "Step",
]


@dataclass(frozen=True)
class CycleStep:
    """Escalation or taper by cycles: this dose for the next ``cycles`` cycles.

    ``cycles=None`` (the last step of a course only) is open-ended: this dose until the
    course ends ("until progression"), for as many cycles as the period's length gives.
    """

    dose: Dose
    cycles: int | None

    def __post_init__(self) -> None:
        problems = Problems("CycleStep")
        if self.cycles is None:
            pass
        elif isinstance(self.cycles, bool) or not isinstance(self.cycles, int) or (
                self.cycles < 1):
            problems.add("cycles", "a step lasts a whole number of cycles, from 1", self.cycles,
                         code="too-small")
        problems.raise_any()


@dataclass(frozen=True)
class AdministrationStep:
    """This dose for the next ``administrations`` administrations (a whole number from 1).

    The steps of a course must cover exactly its administrations (checked by
    :class:`Regimen` at both ends of a variable period, and when a weekday
    pattern is laid out). ``administrations=None`` (the last step of a course only)
    is open-ended: every administration after the earlier steps' until the course ends.
    """

    dose: Dose
    administrations: int | None

    def __post_init__(self) -> None:
        problems = Problems("AdministrationStep")
        n = self.administrations
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
            problems.add("administrations", "a step lasts a whole number of administrations, "
                         "from 1", n, code="too-small")
        problems.raise_any()


@dataclass(frozen=True)
class DayStep:
    """A taper step: this dose daily on these days of the cycle/span."""

    dose: Dose
    days: tuple[int, ...]

    def __post_init__(self) -> None:
        problems = Problems("DayStep")
        days_problem(problems, "days", self.days)
        problems.raise_any()


Step = CycleStep | AdministrationStep | DayStep
