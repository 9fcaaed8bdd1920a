"""The regimen model: frozen, validated value objects.

Objects here are built by :mod:`regimens._build` from a document (which
checks every cross-reference and reports file lines), or directly in Python.
The engine (:mod:`regimens._expand`) only ever sees valid objects.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import time
from typing import TYPE_CHECKING, Any

from ._days import Duration, LengthRange
from ._units import Amount, Basis, DoseQuantity

if TYPE_CHECKING:
    from datetime import date

    from ._bsa import BSAFormula
    from ._check import CheckReport
    from ._participant import Participant
    from ._schedule import Schedule

__all__ = [
    "AdministrationStep",
    "Arm",
    "Course",
    "CycleStep",
    "DailyPattern",
    "DayStep",
    "DaysPattern",
    "Dose",
    "Drug",
    "EveryPattern",
    "Expectation",
    "Period",
    "PeriodAnchor",
    "Regimen",
    "Rounding",
    "StudyDayAnchor",
    "Visit",
    "WeekdaysPattern",
    "Window",
]

#: (file, line, field path) of an item in its source document.
Location = tuple[str, int | None, str]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Rounding(enum.Enum):
    """How a computed dose is rounded to a multiple of ``round``."""

    NEAREST = "nearest"  # halves go up (ROUND_HALF_UP), the pharmacy convention
    UP = "up"
    DOWN = "down"


@dataclass(frozen=True)
class Dose:
    """A dose as the protocol states it, with optional cap and rounding.

    ``quantity.basis`` says whether it is flat, per kg or per m2; the three are
    computed differently and explained differently (see :mod:`regimens._dose`).
    """

    quantity: DoseQuantity
    max: Amount | None = None
    round: Amount | None = None
    rounding: Rounding = Rounding.NEAREST

    @property
    def basis(self) -> Basis:
        return self.quantity.basis


@dataclass(frozen=True)
class Drug:
    id: str
    name: str
    route: str
    notes: str = ""


@dataclass(frozen=True)
class Arm:
    id: str
    label: str
    periods: tuple[str, ...] | None = None  # path through the periods; None = all
    day_one: str | None = None  # overrides the regimen's day_one for this arm
    notes: str = ""


# Course timing patterns: exactly one per course (day steps are their own pattern).


@dataclass(frozen=True)
class DaysPattern:
    """Given days of the cycle (or course span), 1-based: ``days: [1, 8, 15]``, ``days: 1-5``."""

    days: tuple[int, ...]


@dataclass(frozen=True)
class EveryPattern:
    """Every N days from day 1, ``count`` times or until the cycle/span ends."""

    every: Duration
    count: int | None = None


@dataclass(frozen=True)
class WeekdaysPattern:
    """Calendar weekdays (0 = Monday) within the cycle/span."""

    weekdays: tuple[int, ...]


@dataclass(frozen=True)
class DailyPattern:
    """Every day of the cycle/span."""


Pattern = DaysPattern | EveryPattern | WeekdaysPattern | DailyPattern


@dataclass(frozen=True)
class CycleStep:
    """Escalation or taper by cycles: this dose for the next ``cycles`` cycles."""

    dose: Dose
    cycles: int


@dataclass(frozen=True)
class AdministrationStep:
    """This dose for the next ``administrations`` administrations (None: all the rest)."""

    dose: Dose
    administrations: int | None


@dataclass(frozen=True)
class DayStep:
    """A taper step: this dose daily on these days of the cycle/span."""

    dose: Dose
    days: tuple[int, ...]


Step = CycleStep | AdministrationStep | DayStep


@dataclass(frozen=True)
class Course:
    """One drug given on a pattern within a period."""

    drug: str
    pattern: Pattern | None  # None only when the steps are day steps
    dose: Dose | None = None
    steps: tuple[Step, ...] = ()
    placebo: bool = False
    dose_note: str = ""  # why the amount is not fixed (dose unspecified), or a remark
    arms: tuple[str, ...] | None = None
    start: int = 1  # day of the period the course starts on
    span: Duration | None = None  # "for:"; None = to the end of the period
    cycle: Duration | None = None
    cycles: int | None = None  # None = until the span ends (steps by cycles: their sum)
    times: tuple[time, ...] = ()
    route: str | None = None  # overrides the drug's route
    label: str = ""
    not_on: tuple[str, ...] = ()  # drugs whose administration days this course skips
    no_same_day: tuple[str, ...] = ()  # drugs that must not be given on this course's days
    notes: str = ""
    where: Location = field(default=("", None, ""), compare=False)  # for messages

    @property
    def unspecified(self) -> bool:
        """True when the protocol fixes no amount (e.g. titrated to a trough level)."""
        return not self.placebo and self.dose is None and not self.steps


@dataclass(frozen=True)
class Period:
    id: str
    length: LengthRange
    courses: tuple[Course, ...] = ()
    blinded: bool = False
    label: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Window:
    before: Duration
    after: Duration


@dataclass(frozen=True)
class StudyDayAnchor:
    day: int  # a Study Day (never 0); ``week: N`` is stored as day 7N+1


@dataclass(frozen=True)
class PeriodAnchor:
    period: str
    at: str | None = None  # "start" | "end"
    day: int | None = None  # day N of the period


@dataclass(frozen=True)
class Visit:
    id: str
    anchor: StudyDayAnchor | PeriodAnchor
    window: Window | None = None
    label: str = ""
    arms: tuple[str, ...] | None = None
    week: int | None = None  # kept to write the visit back as it was written
    notes: str = ""


@dataclass(frozen=True)
class Expectation:
    """Arithmetic the protocol states, verified by ``regimens check``."""

    arm: str
    drug: str
    administrations: int | None = None
    total: DoseQuantity | None = None  # flat: absolute total; per kg/m2: sum of the basis
    first_day: int | None = None
    last_day: int | None = None
    weight: str | None = None
    height: str | None = None
    bsa: str | None = None
    lengths: tuple[tuple[str, str], ...] = ()
    start: str | None = None
    notes: str = ""
    where: Location = field(default=("", None, ""), compare=False)


@dataclass(frozen=True)
class Regimen:
    """A protocol's dosing regimen, ready to expand for any participant."""

    id: str
    title: str
    drugs: tuple[Drug, ...]
    arms: tuple[Arm, ...]
    periods: tuple[Period, ...]
    visits: tuple[Visit, ...] = ()
    expect: tuple[Expectation, ...] = ()
    day_one: str | None = None
    registry: str = ""
    version: str = ""
    sources: tuple[Any, ...] = ()
    notes: str = ""
    format: str = "regimens/1"
    origin: str = field(default="", compare=False)  # file name or catalogue id
    sha256: str = field(default="", compare=False)  # of the source bytes, for provenance

    # Lookups -----------------------------------------------------------------

    def drug(self, drug_id: str) -> Drug:
        return {d.id: d for d in self.drugs}[drug_id]

    def arm(self, arm_id: str) -> Arm:
        return {a.id: a for a in self.arms}[arm_id]

    def period(self, period_id: str) -> Period:
        return {p.id: p for p in self.periods}[period_id]

    def path(self, arm_id: str) -> tuple[Period, ...]:
        """The periods an arm goes through, in order."""
        arm = self.arm(arm_id)
        if arm.periods is None:
            return self.periods
        return tuple(self.period(p) for p in arm.periods)

    def day_one_period(self, arm_id: str) -> str:
        arm = self.arm(arm_id)
        return arm.day_one or self.day_one or self.path(arm_id)[0].id

    # The flow ------------------------------------------------------------------

    def expand(
        self,
        arm: str,
        start: date | str,
        participant: Participant | None = None,
        *,
        lengths: dict[str, str] | None = None,
        tz: str | None = None,
        bsa_formula: BSAFormula | str | None = None,
        bsa_decimals: int | None = 2,
    ) -> Schedule:
        """Expand for one participant on ``arm``, with Study Day 1 on ``start``.

        Risky but legal situations (a rounding that moves a dose by more than
        10%, a time of day in a daylight-saving gap) are issued as
        :class:`RegimenWarning` and kept in ``schedule.warnings``.
        """
        import warnings

        from ._expand import expand, resolve

        timeline = resolve(self, arm=arm, start=start, participant=participant,
                           lengths=lengths, tz=tz, bsa_formula=bsa_formula,
                           bsa_decimals=bsa_decimals)
        schedule = expand(self, timeline)
        for warning in schedule.warnings:
            warnings.warn(warning, stacklevel=2)
        return schedule

    def check(self) -> CheckReport:
        """Regimen arithmetic per arm and drug, and every ``expect``."""
        from ._check import check

        return check(self)

    def to_dict(self) -> dict[str, Any]:
        """The regimen as a format-1 document (plain data)."""
        from ._dump import to_dict

        return to_dict(self)
