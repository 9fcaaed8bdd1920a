"""The regimen model: frozen records that check their own invariants, and the participant.

Imports :mod:`regimens.quantities` and :mod:`regimens.errors` only. Two methods
reach up by design, as one-line delegates that keep the public API
(:meth:`Regimen.expand` and :meth:`Regimen.check` call :mod:`regimens.engine`);
the layer contract in ``pyproject.toml`` names them.
"""

from ._course import (
    BAND_UNITS,
    INFUSION_ROUTES,
    MAX_ADMINISTRATIONS,
    METHODS,
    MIN_INTERVAL_NEEDS_WINDOW,
    WINDOW_NEEDS_CLINIC,
    AdministrationStep,
    BandBy,
    Course,
    CycleStep,
    DayStep,
    Dose,
    DoseBand,
    DoseLevel,
    DoseRange,
    OutsideTolerance,
    Rounding,
    StandardDoses,
    Step,
    WeightBasis,
    band_edge_text,
    cycle_day_overlap,
    open_step_unreached,
    table_problem,
)
from ._invariants import WEEKDAYS
from ._lookalike import lookalike, lookalike_text
from ._participant import PLAUSIBLE, Participant, implausible
from ._parts import DRUG_INSTRUCTIONS, DRUG_KINDS, Arm, Drug, Expectation, Period
from ._patterns import (
    DailyPattern,
    DaysPattern,
    EveryPattern,
    HoursPattern,
    Pattern,
    WeekdaysPattern,
)
from ._policy import MISSED_RULES, NO_POLICY, ON_DELAY_RULES, Policy
from ._references import (
    BLINDED_SITE_RULES,
    BLINDED_VISIT,
    NO_DAY_ZERO,
    day_one_may_vanish,
    kind_problem,
    site_rules,
    strength_problem,
)
from ._regimen import Regimen
from ._site import Closure, SiteCalendar
from ._visits import (
    AfterLastAnchor,
    CourseAnchor,
    PeriodAnchor,
    RepeatAnchor,
    StudyDayAnchor,
    Visit,
    VisitAnchor,
    Window,
)

__all__ = [
    "BAND_UNITS",
    "BLINDED_SITE_RULES",
    "BLINDED_VISIT",
    "DRUG_INSTRUCTIONS",
    "DRUG_KINDS",
    "INFUSION_ROUTES",
    "MAX_ADMINISTRATIONS",
    "METHODS",
    "MIN_INTERVAL_NEEDS_WINDOW",
    "MISSED_RULES",
    "NO_DAY_ZERO",
    "NO_POLICY",
    "ON_DELAY_RULES",
    "PLAUSIBLE",
    "WEEKDAYS",
    "WINDOW_NEEDS_CLINIC",
    "AdministrationStep",
    "AfterLastAnchor",
    "Arm",
    "BandBy",
    "Closure",
    "Course",
    "CourseAnchor",
    "CycleStep",
    "DailyPattern",
    "DayStep",
    "DaysPattern",
    "Dose",
    "DoseBand",
    "DoseLevel",
    "DoseRange",
    "Drug",
    "EveryPattern",
    "Expectation",
    "HoursPattern",
    "OutsideTolerance",
    "Participant",
    "Pattern",
    "Period",
    "PeriodAnchor",
    "Policy",
    "Regimen",
    "RepeatAnchor",
    "Rounding",
    "SiteCalendar",
    "StandardDoses",
    "Step",
    "StudyDayAnchor",
    "Visit",
    "VisitAnchor",
    "WeekdaysPattern",
    "WeightBasis",
    "Window",
    "band_edge_text",
    "cycle_day_overlap",
    "day_one_may_vanish",
    "implausible",
    "kind_problem",
    "lookalike",
    "lookalike_text",
    "open_step_unreached",
    "site_rules",
    "strength_problem",
    "table_problem",
]

from .._public import claim

claim(globals())
