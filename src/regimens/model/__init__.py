"""The regimen model: frozen records that check their own invariants, and the participant.

Imports :mod:`regimens.quantities` and :mod:`regimens.errors` only. Two methods
reach up by design, as one-line delegates that keep the public API
(:meth:`Regimen.expand` and :meth:`Regimen.check` call :mod:`regimens.engine`);
the layer contract in ``pyproject.toml`` names them.
"""

from ._lookalike import lookalike, lookalike_text
from ._participant import PLAUSIBLE, Participant, implausible
from ._regimen import (
    MAX_ADMINISTRATIONS,
    WEEKDAYS,
    AdministrationStep,
    Arm,
    Course,
    CycleStep,
    DailyPattern,
    DaysPattern,
    DayStep,
    Dose,
    Drug,
    EveryPattern,
    Expectation,
    Pattern,
    Period,
    PeriodAnchor,
    Regimen,
    Rounding,
    Step,
    StudyDayAnchor,
    Visit,
    WeekdaysPattern,
    Window,
)

__all__ = [
    "MAX_ADMINISTRATIONS",
    "PLAUSIBLE",
    "WEEKDAYS",
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
    "Participant",
    "Pattern",
    "Period",
    "PeriodAnchor",
    "Regimen",
    "Rounding",
    "Step",
    "StudyDayAnchor",
    "Visit",
    "WeekdaysPattern",
    "Window",
    "implausible",
    "lookalike",
    "lookalike_text",
]
