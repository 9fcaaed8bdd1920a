"""Where each name of the public API lives (``regimens.X`` is ``regimens.<package>.X``).

A leaf module: ``regimens/__init__`` imports a package only when one of its names is
first used (PEP 562), and each package, once imported, says that its public names are
``regimens``'s (:func:`claim`), so that reprs, tracebacks and pickles say
``regimens.Regimen`` whichever way the class was reached.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PUBLIC", "WHERE", "claim"]

#: The public names of each package, as ``regimens`` exports them.
PUBLIC: dict[str, tuple[str, ...]] = {
    "engine": (
        "Administration", "AdministrationStatus", "CheckReport", "ComputedDose", "CourseSpan",
        "DrugSummary", "DrugTotal", "ExpectationResult", "PeriodSpan", "Replayed", "Schedule",
        "VisitOccurrence",
    ),
    "errors": (
        "AnchorLengthWarning", "BlindedOutputError", "ClosedDayWarning", "CumulativeDoseWarning",
        "DoseError",
        "ExpandOptionError", "ExpandOptionTypeError", "GivenAfterArmWarning",
        "ImplausibleMeasurementWarning", "InvalidRecordError", "InvalidRegimenError",
        "MissingMeasurementError", "OverdoseWarning", "ParticipantError", "ParticipantTypeError",
        "Problem", "PublishError",
        "QuantityError", "QuantityTypeError", "RecordWarning", "RegimenError", "RegimenLookupError",
        "RegimenNotFoundError", "RegimenWarning", "RoundingWarning", "StandardDoseWarning",
        "TimeShiftWarning",
        "UnitError", "UnitSlipWarning",
    ),
    "export": (
        "PublishSummary", "Reminder", "blind_guard", "blinded_arms", "publish",
    ),
    "format": (
        "catalog_ids", "dumps", "json_schema", "load", "loads",
    ),
    "model": (
        "AdministrationStep", "AfterLastAnchor", "Arm", "BandBy", "Closure", "Course",
        "CourseAnchor", "CycleStep", "DailyPattern", "DayStep", "DaysPattern", "Dose", "DoseBand",
        "DoseLevel", "DoseRange", "Drug",
        "EveryPattern", "Expectation", "HoursPattern", "MonthAnchor", "MonthsPattern",
        "OutsideTolerance",
        "Participant", "Period", "PeriodAnchor", "Policy", "Regimen", "RepeatAnchor",
        "Rounding", "SiteCalendar", "StandardDoses", "StudyDayAnchor", "Visit",
        "WeekdaysPattern", "WeightBasis", "Window",
    ),
    "record": (
        "EventKind", "Measurement", "Record", "RecordRow", "load_record", "read_record",
        "record_schema",
    ),
    "quantities": (
        "Amount", "BSAFormula", "Basis", "Dimension", "DoseQuantity", "Duration", "Elapsed",
        "LengthRange", "Months", "Sex", "Strength", "StudyDay", "Unit", "VialCombination",
        "bsa",
        "least_waste_vials",
    ),
}
#: The package of each public name.
WHERE = {name: package for package, names in PUBLIC.items() for name in names}


def claim(namespace: dict[str, Any]) -> None:
    """Give the public names defined in a package's namespace the module ``regimens``.

    Called at the end of each package's ``__init__`` (``claim(globals())``).
    """
    package = str(namespace["__name__"]).rpartition(".")[2]
    for name in PUBLIC.get(package, ()):
        if name in namespace:  # else imported on first use (PEP 562), and claimed then
            namespace[name].__module__ = "regimens"
