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

import importlib as _importlib
import typing as _typing

from ._public import WHERE as _WHERE
from ._version import __version__

# PEP 562: a package is imported when one of its names is first used, so that
# `import regimens` (and `regimens --help`) does not import the whole library. Type
# checkers see the names here.
if _typing.TYPE_CHECKING:
    from .engine import (
        Administration,
        AdministrationStatus,
        CheckReport,
        ComputedDose,
        CourseSpan,
        DrugSummary,
        DrugTotal,
        ExpectationResult,
        PeriodSpan,
        Replayed,
        Schedule,
        VisitOccurrence,
    )
    from .errors import (
        AnchorLengthWarning,
        BlindedOutputError,
        ClosedDayWarning,
        CumulativeDoseWarning,
        DoseError,
        ExpandOptionError,
        ExpandOptionTypeError,
        GivenAfterArmWarning,
        ImplausibleMeasurementWarning,
        InvalidRecordError,
        InvalidRegimenError,
        MissingMeasurementError,
        OverdoseWarning,
        ParticipantError,
        ParticipantTypeError,
        Problem,
        PublishError,
        QuantityError,
        QuantityTypeError,
        RecordWarning,
        RegimenError,
        RegimenLookupError,
        RegimenNotFoundError,
        RegimenWarning,
        RoundingWarning,
        StandardDoseWarning,
        TimeShiftWarning,
        UnitError,
        UnitSlipWarning,
    )
    from .export import PublishSummary, Reminder, blind_guard, blinded_arms, publish
    from .format import catalog_ids, dumps, json_schema, load, loads
    from .model import (
        AdministrationStep,
        AfterLastAnchor,
        Arm,
        BandBy,
        Closure,
        Course,
        CourseAnchor,
        CycleStep,
        DailyPattern,
        DaysPattern,
        DayStep,
        Dose,
        DoseBand,
        DoseLevel,
        DoseRange,
        Drug,
        EveryPattern,
        Expectation,
        HoursPattern,
        MonthAnchor,
        MonthsPattern,
        OutsideTolerance,
        Participant,
        Period,
        PeriodAnchor,
        Policy,
        Regimen,
        RepeatAnchor,
        Rounding,
        SiteCalendar,
        StandardDoses,
        StudyDayAnchor,
        Visit,
        WeekdaysPattern,
        WeightBasis,
        Window,
    )
    from .quantities import (
        Amount,
        Basis,
        BSAFormula,
        Dimension,
        DoseQuantity,
        Duration,
        Elapsed,
        LengthRange,
        Months,
        Sex,
        Strength,
        StudyDay,
        Unit,
        VialCombination,
        bsa,
        least_waste_vials,
    )
    from .record import (
        EventKind,
        Measurement,
        Record,
        RecordRow,
        load_record,
        read_record,
        record_schema,
    )

# By role, in the order a reader meets them (as whenever does), sorted within a group;
# pinned by tests/test_api.py.
__all__ = [  # noqa: RUF022 (grouped, not one alphabetical run)
    # Regimen files: read, write, the catalogue, the JSON Schema
    "catalog_ids",
    "dumps",
    "json_schema",
    "load",
    "loads",
    # The regimen model
    "Arm",
    "BandBy",
    "Course",
    "Dose",
    "DoseBand",
    "DoseLevel",
    "DoseRange",
    "Drug",
    "OutsideTolerance",
    "Period",
    "Policy",
    "Regimen",
    "Rounding",
    "StandardDoses",
    "WeightBasis",
    # Timing patterns and per-administration dose steps
    "AdministrationStep",
    "CycleStep",
    "DailyPattern",
    "DayStep",
    "DaysPattern",
    "EveryPattern",
    "HoursPattern",
    "MonthsPattern",
    "WeekdaysPattern",
    # Visits and expected totals
    "AfterLastAnchor",
    "CourseAnchor",
    "Expectation",
    "MonthAnchor",
    "PeriodAnchor",
    "RepeatAnchor",
    "StudyDayAnchor",
    "Visit",
    "Window",
    # The participant, amounts, units, days and body surface area
    "Amount",
    "BSAFormula",
    "Basis",
    "Dimension",
    "DoseQuantity",
    "Duration",
    "Elapsed",
    "LengthRange",
    "Months",
    "Participant",
    "Sex",
    "Strength",
    "StudyDay",
    "Unit",
    "VialCombination",
    "bsa",
    "least_waste_vials",
    # A participant's schedule (Regimen.expand)
    "Administration",
    "ComputedDose",
    "CourseSpan",
    "DrugTotal",
    "PeriodSpan",
    "Schedule",
    "VisitOccurrence",
    # Treatment as it happens: a participant's record (docs/record.md)
    "AdministrationStatus",
    "EventKind",
    "Measurement",
    "Record",
    "RecordRow",
    "Replayed",
    "load_record",
    "read_record",
    "record_schema",
    # The site's calendar: closed days, holidays, closures (Regimen.expand(calendar=...))
    "Closure",
    "SiteCalendar",
    # The regimen's arithmetic (Regimen.check)
    "CheckReport",
    "DrugSummary",
    "ExpectationResult",
    # Calendars: reminders and CalDAV publishing (Schedule.to_ics)
    "PublishSummary",
    "Reminder",
    "blind_guard",
    "blinded_arms",
    "publish",
    # Exceptions and warnings
    "AnchorLengthWarning",
    "BlindedOutputError",
    "ClosedDayWarning",
    "CumulativeDoseWarning",
    "DoseError",
    "ExpandOptionError",
    "ExpandOptionTypeError",
    "GivenAfterArmWarning",
    "ImplausibleMeasurementWarning",
    "InvalidRecordError",
    "InvalidRegimenError",
    "OverdoseWarning",
    "MissingMeasurementError",
    "ParticipantError",
    "ParticipantTypeError",
    "Problem",
    "PublishError",
    "QuantityError",
    "QuantityTypeError",
    "RecordWarning",
    "RegimenError",
    "RegimenLookupError",
    "RegimenNotFoundError",
    "RegimenWarning",
    "RoundingWarning",
    "StandardDoseWarning",
    "TimeShiftWarning",
    "UnitError",
    "UnitSlipWarning",
    # The package version
    "__version__",
]


def __getattr__(name: str) -> _typing.Any:
    """``regimens.X``: imports the package that defines ``X`` on first use."""
    package = _WHERE.get(name)
    if package is None:
        raise AttributeError(f"module 'regimens' has no attribute {name!r}")
    value = getattr(_importlib.import_module(f"regimens.{package}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
