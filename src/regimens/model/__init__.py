"""The regimen model: frozen records that check their own invariants, and the participant.

Imports :mod:`regimens.quantities` and :mod:`regimens.errors` only. Two methods
reach up by design, as one-line delegates that keep the public API
(:meth:`Regimen.expand` and :meth:`Regimen.check` call :mod:`regimens.engine`);
the layer contract in ``pyproject.toml`` names them.
"""

from ._bands import (
    BAND_UNITS,
    BandBy,
    DoseBand,
    DoseRange,
    OutsideTolerance,
    StandardDoses,
    band_edge_text,
    table_problem,
)
from ._blind_match import Unmatched, unmatched, unmatched_anywhere
from ._blinded_placing import PLACING_FIELDS, BlindedPlacing, blinded_placing_problems
from ._course import (
    INFUSION_ROUTES,
    METHODS,
    MIN_INTERVAL_NEEDS_WINDOW,
    MONTHS_REFERENCE,
    MONTHS_STARTS,
    WINDOW_NEEDS_CLINIC,
    Course,
)
from ._course_layout import MAX_ADMINISTRATIONS
from ._cycles import (
    cycle_day_overlap,
    cycle_text,
    cycle_where,
    cycles_days,
    months_combination,
    open_step_problem,
    open_step_unreached,
)
from ._day_one import day_one_may_vanish, months_before_day_one, months_before_text
from ._dose import Dose, DoseLevel, Rounding, WeightBasis
from ._drug_checks import kind_problem, strength_problem
from ._invariants import WEEKDAYS
from ._lookalike import closest, lookalike, lookalike_text, suggestion
from ._participant import (
    PLAUSIBLE,
    PLAUSIBLE_BMI,
    Participant,
    bmi_text,
    implausible,
    implausible_bmi,
)
from ._parts import DRUG_INSTRUCTIONS, DRUG_KINDS, Arm, Drug, Expectation, Period
from ._patterns import (
    DailyPattern,
    DaysPattern,
    EveryPattern,
    HoursPattern,
    MonthsPattern,
    Pattern,
    WeekdaysPattern,
)
from ._policy import MISSED_RULES, NO_POLICY, ON_DELAY_RULES, Policy
from ._references import BLINDED_SITE_RULES, cycles_past, site_rules
from ._regimen import Regimen
from ._site import Closure, SiteCalendar
from ._steps import AdministrationStep, CycleStep, DayStep, Step
from ._visit_checks import BLINDED_VISIT, COURSE_ANCHOR_MONTHS, MONTHS_NOT_CHOSEN, NO_DAY_ZERO
from ._visits import (
    AfterLastAnchor,
    CourseAnchor,
    MonthAnchor,
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
    "COURSE_ANCHOR_MONTHS",
    "DRUG_INSTRUCTIONS",
    "DRUG_KINDS",
    "INFUSION_ROUTES",
    "MAX_ADMINISTRATIONS",
    "METHODS",
    "MIN_INTERVAL_NEEDS_WINDOW",
    "MISSED_RULES",
    "MONTHS_NOT_CHOSEN",
    "MONTHS_REFERENCE",
    "MONTHS_STARTS",
    "NO_DAY_ZERO",
    "NO_POLICY",
    "ON_DELAY_RULES",
    "PLACING_FIELDS",
    "PLAUSIBLE",
    "PLAUSIBLE_BMI",
    "WEEKDAYS",
    "WINDOW_NEEDS_CLINIC",
    "AdministrationStep",
    "AfterLastAnchor",
    "Arm",
    "BandBy",
    "BlindedPlacing",
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
    "MonthAnchor",
    "MonthsPattern",
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
    "Unmatched",
    "Visit",
    "VisitAnchor",
    "WeekdaysPattern",
    "WeightBasis",
    "Window",
    "band_edge_text",
    "blinded_placing_problems",
    "bmi_text",
    "closest",
    "cycle_day_overlap",
    "cycle_text",
    "cycle_where",
    "cycles_days",
    "cycles_past",
    "day_one_may_vanish",
    "implausible",
    "implausible_bmi",
    "kind_problem",
    "lookalike",
    "lookalike_text",
    "months_before_day_one",
    "months_before_text",
    "months_combination",
    "open_step_problem",
    "open_step_unreached",
    "site_rules",
    "strength_problem",
    "suggestion",
    "table_problem",
    "unmatched",
    "unmatched_anywhere",
]

from .._public import claim

claim(globals())
