"""The public API: exactly these names, frozen values, typed package."""

from __future__ import annotations

import dataclasses
import doctest
import inspect
import pickle
import sys
from importlib import resources

import pytest

import regimens
from support import IMODALS

# Grouped by role, as in regimens/__init__.py.
PUBLIC = [
    # Regimen files
    "catalog_ids", "dumps", "json_schema", "load", "loads",
    # The regimen model
    "Arm", "BandBy", "Course", "Dose", "DoseBand", "DoseLevel", "DoseRange", "Drug",
    "OutsideTolerance", "Period", "Policy", "Regimen", "Rounding", "StandardDoses",
    "WeightBasis",
    # Timing patterns and dose steps
    "AdministrationStep", "CycleStep", "DailyPattern", "DayStep", "DaysPattern", "EveryPattern",
    "HoursPattern", "MonthsPattern", "WeekdaysPattern",
    # Visits and expected totals
    "AfterLastAnchor", "CourseAnchor", "Expectation", "MonthAnchor", "PeriodAnchor",
    "RepeatAnchor",
    "StudyDayAnchor", "Visit", "Window",
    # Participant, amounts, units, days, BSA
    "Amount", "BSAFormula", "Basis", "Dimension", "DoseQuantity", "Duration", "Elapsed",
    "LengthRange", "Months", "Participant", "Sex", "Strength", "StudyDay", "Unit",
    "VialCombination", "bsa",
    "least_waste_vials",
    # Schedules
    "Administration", "ComputedDose", "CourseSpan", "DrugTotal", "PeriodSpan", "Schedule",
    "VisitOccurrence",
    # Treatment as it happens
    "AdministrationStatus", "EventKind", "Measurement", "Record", "RecordRow", "Replayed",
    "load_record", "read_record", "record_schema",
    # The site's calendar
    "Closure", "SiteCalendar",
    # Regimen arithmetic
    "CheckReport", "DrugSummary", "ExpectationResult",
    # Calendars
    "PublishSummary", "Reminder", "blind_guard", "blinded_arms", "publish",
    # Exceptions and warnings
    "AnchorLengthWarning", "BlindedOutputError", "ClosedDayWarning", "CumulativeDoseWarning",
    "DoseError",
    "ExpandOptionError", "ExpandOptionTypeError", "GivenAfterArmWarning",
    "ImplausibleMeasurementWarning", "InvalidRecordError", "InvalidRegimenError",
    "OverdoseWarning", "MissingMeasurementError", "ParticipantError", "ParticipantTypeError",
    "Problem", "PublishError", "QuantityError",
    "QuantityTypeError", "RecordWarning",
    "RegimenError", "RegimenLookupError", "RegimenNotFoundError", "RegimenWarning",
    "RoundingWarning", "StandardDoseWarning", "TimeShiftWarning", "UnitError",
    "UnitSlipWarning",
    "__version__",
]

COHORT_PUBLIC = ["COLUMNS", "Cohort", "arrow_schema", "expand_cohort", "unsupported"]

SUPPLY_PUBLIC = ["FORMAT", "QUANTILE_METHOD", "Forecast", "Packaging", "Plan",
                 "PlanSite", "PlannedParticipant", "dask_client", "load_plan", "loads_plan",
                 "plan_schema", "plot", "progress_bar", "render", "simulate", "Simulation",
                 "MissingExtra",
                 # The random model of the trial.
                 "MAX_YEARS", "ActivationDelay", "Enrolled", "Enrolment", "Randomisation",
                 "Site", "enrol", "randomise", "simulation_rng", "CAUSES", "DISTRIBUTIONS",
                 "BodySizes", "EmpiricalSizes", "LengthChoice", "Moments",
                 "SimulatedParticipants", "SizeDistribution", "Treatment", "TrialModel",
                 "choose_lengths", "draw_sizes", "simulate_participants", "treatment_ends"]


def test_all_is_pinned() -> None:
    assert list(regimens.__all__) == PUBLIC
    assert len(set(PUBLIC)) == len(PUBLIC)


def test_cohort_all_is_pinned() -> None:
    import regimens.cohort

    assert list(regimens.cohort.__all__) == COHORT_PUBLIC
    for name in COHORT_PUBLIC:
        assert hasattr(regimens.cohort, name), name


def test_supply_all_is_pinned() -> None:
    import regimens.supply

    assert sorted(regimens.supply.__all__) == sorted(SUPPLY_PUBLIC)
    for name in SUPPLY_PUBLIC:
        assert hasattr(regimens.supply, name), name


def test_no_public_name_outside_all() -> None:
    """Everything public on ``regimens`` is in ``__all__`` (httpx's check); subpackages aside."""
    import regimens.cli
    import regimens.cohort

    # dir(): the names loaded so far and those loaded on first use (PEP 562).
    public = {name for name in dir(regimens)
              if not name.startswith("_") and not inspect.ismodule(getattr(regimens, name))}
    assert public == {name for name in PUBLIC if not name.startswith("__")}


@pytest.mark.parametrize("name", [n for n in PUBLIC if not n.startswith("__")])
def test_exported_names_say_regimens(name: str) -> None:
    """``regimens.Regimen``, not ``regimens.model._regimen.Regimen``, in reprs and pickles."""
    assert getattr(regimens, name).__module__ == "regimens"


@pytest.mark.parametrize("name", [n for n in PUBLIC if n[0].isupper()])
def test_exported_classes_pickle_by_their_public_path(name: str) -> None:
    """A pickle names ``regimens.X``, which resolves (instances of errors: tests/test_errors.py)."""
    cls = getattr(regimens, name)
    data = pickle.dumps(cls)
    assert pickle.loads(data) is cls
    assert b"regimens." not in data


def test_records_survive_pickling(schedule: regimens.Schedule) -> None:
    report = schedule.regimen.check()
    for value in [schedule.regimen, schedule, report, regimens.Reminder.parse("1h"),
                  *_frozen_values(schedule)]:
        data = pickle.dumps(value)
        assert pickle.loads(data) == value
        # Exported classes are pickled by their public path.
        assert b"regimens.model" not in data, type(value)
        assert b"_regimen" not in data, type(value)


def test_method_doctests_of_exported_classes_run() -> None:
    """doctest finds a method's examples through the method's module; an exported class now
    says ``regimens``, so ``--doctest-modules`` no longer reaches its methods: run them here."""
    finder = doctest.DocTestFinder(recurse=False)
    runner = doctest.DocTestRunner()
    found = []
    for name in PUBLIC:
        cls = getattr(regimens, name)
        if not inspect.isclass(cls):
            continue
        for attr, value in vars(cls).items():
            func = value.__func__ if isinstance(value, classmethod | staticmethod) else value
            if not inspect.isfunction(func):
                continue  # properties are still collected from regimens/__init__.py
            module = sys.modules[func.__module__]
            for test in finder.find(func, f"{name}.{attr}", module=False, globs=vars(module)):
                if test.examples:
                    found.append(test.name)
                    runner.run(test)
    assert runner.failures == 0
    assert {"Duration.parse", "LengthRange.parse", "Reminder.parse"} <= set(found)


def test_every_public_name_exists() -> None:
    for name in regimens.__all__:
        assert hasattr(regimens, name), name


def test_version_is_text() -> None:
    assert regimens.__version__.count(".") >= 2


@pytest.mark.parametrize(
    "name",
    ["ExpandOptionError", "InvalidRegimenError", "MissingMeasurementError", "ParticipantError",
     "RegimenNotFoundError", "UnitError"],
)
def test_errors_share_one_root(name: str) -> None:
    error = getattr(regimens, name)
    assert issubclass(error, regimens.RegimenError)
    assert issubclass(error, ValueError | LookupError)


@pytest.mark.parametrize("name", ["AnchorLengthWarning", "ClosedDayWarning",
                                  "CumulativeDoseWarning", "GivenAfterArmWarning",
                                  "ImplausibleMeasurementWarning", "OverdoseWarning",
                                  "RecordWarning", "RoundingWarning", "TimeShiftWarning",
                                  "UnitSlipWarning"])
def test_warnings(name: str) -> None:
    assert issubclass(getattr(regimens, name), regimens.RegimenWarning)
    assert issubclass(regimens.RegimenWarning, UserWarning)


@pytest.fixture(scope="module")
def schedule() -> regimens.Schedule:
    return regimens.load(IMODALS).expand(
        "il2-1miu", "2027-01-04", regimens.Participant(weight="70 kg", label="P-017"))


def _frozen_values(schedule: regimens.Schedule) -> list[object]:
    r = schedule.regimen
    c = r.periods[0].courses[0]
    return [r, r.drugs[0], r.arms[0], r.periods[0], c, c.dose, c.pattern, r.visits[1],
            r.visits[1].window, r.visits[0].anchor, r.expect[0], schedule,
            schedule.administrations[0], schedule.administrations[0].dose, schedule.visits[0],
            schedule.periods[0], schedule.courses[0], schedule.participant,
            c.dose.quantity if c.dose else None, regimens.StudyDay(1), regimens.Duration(7)]


def test_model_objects_are_frozen(schedule: regimens.Schedule) -> None:
    for value in _frozen_values(schedule):
        assert value is not None
        assert dataclasses.is_dataclass(value), type(value)
        field = dataclasses.fields(value)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, field, None)


def test_collections_are_tuples(schedule: regimens.Schedule) -> None:
    r = schedule.regimen
    for value in (r.drugs, r.arms, r.periods, r.visits, r.expect, r.periods[0].courses,
                  schedule.administrations, schedule.visits, schedule.periods):
        assert isinstance(value, tuple)


def test_regimens_hash_and_compare() -> None:
    a = regimens.load(IMODALS)
    b = regimens.load(IMODALS)
    assert a == b
    assert hash(a) == hash(b)


def test_py_typed_is_shipped() -> None:
    assert (resources.files("regimens") / "py.typed").is_file()


def _public_members() -> list[tuple[str, object]]:
    """Every name in ``__all__`` of regimens and regimens.cohort, with the public methods
    and properties their classes define."""
    import regimens.cohort
    import regimens.supply

    found: list[tuple[str, object]] = []
    for module in (regimens, regimens.cohort, regimens.supply):
        for name in module.__all__:
            value = getattr(module, name)
            if name.startswith("__") or not callable(value):
                continue  # __version__, COLUMNS: data, documented where they are defined
            found.append((f"{module.__name__}.{name}", value))
            if not inspect.isclass(value):
                continue
            for attr, member in vars(value).items():
                if attr.startswith("_"):
                    continue
                if isinstance(member, classmethod | staticmethod):
                    member = member.__func__
                if inspect.isfunction(member) or isinstance(member, property):
                    found.append((f"{module.__name__}.{name}.{attr}", member))
    return found


def _own_doc(value: object) -> str:
    if inspect.isclass(value):
        doc = vars(value).get("__doc__") or ""
        # A dataclass without a docstring gets its signature as one: not documentation.
        return "" if doc.startswith(f"{value.__name__}(") else doc
    return getattr(value, "__doc__", None) or ""


def test_every_public_member_has_a_docstring() -> None:
    """Public names say what they take and give (units, ranges), what they raise, and where
    their rules come from; this checks the first part of that: that they say anything."""
    members = _public_members()
    assert len(members) > 100  # the walk reached the methods and properties
    missing = [name for name, value in members if not _own_doc(value).strip()]
    assert missing == []
