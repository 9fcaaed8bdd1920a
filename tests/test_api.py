"""The public API: exactly these names, frozen values, typed package."""

from __future__ import annotations

import dataclasses
from importlib import resources

import pytest

import regimens
from support import IMODALS

PUBLIC = [
    "Administration", "AdministrationStep", "Amount", "Arm", "BSAFormula", "Basis",
    "CheckReport", "ComputedDose", "Course", "CourseSpan", "CycleStep", "DailyPattern",
    "DayStep", "DaysPattern", "Dimension", "Dose", "DoseError", "DoseQuantity", "Drug",
    "DrugSummary",
    "Duration", "EveryPattern", "ExpandOptionError", "Expectation", "ExpectationResult",
    "InvalidRegimenError", "LengthRange", "MissingMeasurementError", "Participant",
    "ParticipantError", "Period", "PeriodAnchor", "PeriodSpan", "Problem", "PublishError",
    "Regimen",
    "RegimenError", "RegimenNotFoundError", "RegimenWarning", "Rounding", "RoundingWarning",
    "Schedule", "StudyDay", "StudyDayAnchor", "TimeShiftWarning", "Unit", "UnitError", "Visit",
    "VisitOccurrence", "WeekdaysPattern", "Window", "__version__", "bsa", "catalog_ids",
    "dumps", "json_schema", "load", "loads",
]


def test_all_is_pinned() -> None:
    assert list(regimens.__all__) == PUBLIC
    assert sorted(PUBLIC) == PUBLIC


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


@pytest.mark.parametrize("name", ["RoundingWarning", "TimeShiftWarning"])
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
