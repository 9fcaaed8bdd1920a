"""regimens: clinical-trial dosing regimens, declared once, expanded exactly.

>>> import regimens
>>> regimen = regimens.loads('''
... format: regimens/1
... id: demo
... title: Demo
... drugs: {il2: {name: aldesleukin, route: subcutaneous}}
... arms: {active: {label: Active}}
... periods:
...   - id: treatment
...     length: 4 weeks
...     courses:
...       - {drug: il2, dose: 1 MIU, days: 1-5}
... ''')
>>> schedule = regimen.expand("active", start="2027-01-04")
>>> [a.date.isoformat() for a in schedule.administrations][:2]
['2027-01-04', '2027-01-05']
>>> schedule.administrations[0].dose.text
'1 million units'
"""

from ._version import __version__
from .engine import (
    Administration,
    CheckReport,
    ComputedDose,
    CourseSpan,
    DrugSummary,
    ExpectationResult,
    PeriodSpan,
    Schedule,
    VisitOccurrence,
)
from .errors import (
    DoseError,
    ExpandOptionError,
    InvalidRegimenError,
    MissingMeasurementError,
    ParticipantError,
    Problem,
    PublishError,
    RegimenError,
    RegimenNotFoundError,
    RegimenWarning,
    RoundingWarning,
    TimeShiftWarning,
    UnitError,
)
from .format import catalog_ids, dumps, json_schema, load, loads
from .model import (
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
    Participant,
    Period,
    PeriodAnchor,
    Regimen,
    Rounding,
    StudyDayAnchor,
    Visit,
    WeekdaysPattern,
    Window,
)
from .quantities import (
    Amount,
    Basis,
    BSAFormula,
    Dimension,
    DoseQuantity,
    Duration,
    LengthRange,
    StudyDay,
    Unit,
    bsa,
)

__all__ = [
    "Administration",
    "AdministrationStep",
    "Amount",
    "Arm",
    "BSAFormula",
    "Basis",
    "CheckReport",
    "ComputedDose",
    "Course",
    "CourseSpan",
    "CycleStep",
    "DailyPattern",
    "DayStep",
    "DaysPattern",
    "Dimension",
    "Dose",
    "DoseError",
    "DoseQuantity",
    "Drug",
    "DrugSummary",
    "Duration",
    "EveryPattern",
    "ExpandOptionError",
    "Expectation",
    "ExpectationResult",
    "InvalidRegimenError",
    "LengthRange",
    "MissingMeasurementError",
    "Participant",
    "ParticipantError",
    "Period",
    "PeriodAnchor",
    "PeriodSpan",
    "Problem",
    "PublishError",
    "Regimen",
    "RegimenError",
    "RegimenNotFoundError",
    "RegimenWarning",
    "Rounding",
    "RoundingWarning",
    "Schedule",
    "StudyDay",
    "StudyDayAnchor",
    "TimeShiftWarning",
    "Unit",
    "UnitError",
    "Visit",
    "VisitOccurrence",
    "WeekdaysPattern",
    "Window",
    "__version__",
    "bsa",
    "catalog_ids",
    "dumps",
    "json_schema",
    "load",
    "loads",
]
