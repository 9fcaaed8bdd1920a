"""Course ``duration``, ``method`` and ``id`` (format 1.1): read, refused, written back."""

from __future__ import annotations

import dataclasses

import pytest

import regimens
from regimens.errors import InvalidRegimenError
from regimens.model import Course, DaysPattern, Dose, Regimen
from regimens.quantities import Elapsed, parse_dose_quantity
from support import load, problems


def _course(extra: str, drug: str = "treg") -> str:
    return f"""\
periods:
  - id: t
    length: 4 weeks
    courses:
      - {{drug: {drug}, dose: 10 mg, days: 1{extra}}}
"""


def test_duration_and_method_are_read() -> None:
    course = load(_course(", method: infusion, duration: 46 hours, id: pump")).periods[
        0].courses[0]
    assert course.duration == Elapsed(46 * 60)
    assert course.method == "infusion"
    assert course.id == "pump"


@pytest.mark.parametrize(("extra", "drug", "expected"), [
    (", method: bolus, duration: 2 hours", "treg",
     "r.yaml:15: periods[0].courses[0].duration: a bolus is given at once; 'duration' goes "
     "with 'method: infusion' (or no method) (got '2 hours')"),
    (", method: push, duration: 2 hours", "treg",
     "r.yaml:15: periods[0].courses[0].duration: a push is given at once; 'duration' goes "
     "with 'method: infusion' (or no method) (got '2 hours')"),
    (", method: bolus", "pred",
     "r.yaml:15: periods[0].courses[0].method: the route is oral: 'method' (bolus, infusion, "
     "push) describes an injection or infusion; remove 'method' or change 'route' "
     "(got 'bolus')"),
    (", duration: 1 hour", "pred",
     "r.yaml:15: periods[0].courses[0].duration: the route is oral, given at once: "
     "'duration' is for an infusion (or a route such as transdermal); remove 'duration' "
     "or change 'route' (got '1 hour')"),
    (", duration: 1 hour, route: IM", "treg",
     "r.yaml:15: periods[0].courses[0].duration: the route is intramuscular, given at once: "
     "'duration' is for an infusion (or a route such as transdermal); remove 'duration' "
     "or change 'route' (got '1 hour')"),
    (", method: drip", "treg",
     "r.yaml:15: periods[0].courses[0].method: must be one of: bolus, infusion, push "
     "(got 'drip')"),
    (", duration: 2 months", "treg",
     "r.yaml:15: periods[0].courses[0].duration: unknown unit of elapsed time 'months'; "
     "write whole minutes, hours, days or weeks, e.g. '30 minutes' or '46 hours' "
     "(got '2 months')"),
    (", duration: 46", "treg",
     "r.yaml:15: periods[0].courses[0].duration: a bare number is not a duration: give its "
     "unit, e.g. '30 minutes' or '46 hours' (got 46)"),
])
def test_refused(extra: str, drug: str, expected: str) -> None:
    assert problems(_course(extra, drug)) == [expected]


def test_duplicate_course_id() -> None:
    body = """\
periods:
  - id: t
    length: 4 weeks
    courses:
      - {drug: treg, dose: 10 mg, days: 1, id: c1}
  - id: u
    length: 4 weeks
    courses:
      - {drug: treg, dose: 10 mg, days: 1, id: c1}
"""
    assert problems(body) == [
        "r.yaml:19: periods[1].courses[0].id: duplicate course id (got 'c1')"]


def test_written_back() -> None:
    regimen = load(_course(", method: infusion, duration: 90 minutes, id: c1, label: L"))
    text = regimens.dumps(regimen)
    assert "duration: 90 minutes" in text
    assert regimens.loads(text) == regimen


def test_model_checks_the_same_rules() -> None:
    dose = Dose(parse_dose_quantity("10 mg"))
    with pytest.raises(InvalidRegimenError, match="a bolus is given at once"):
        Course("a", DaysPattern((1,)), dose, method="bolus", duration=Elapsed(60))
    with pytest.raises(InvalidRegimenError, match="must be one of: bolus, infusion, push"):
        Course("a", DaysPattern((1,)), dose, method="drip")
    regimen = load(_course(""))
    period = regimen.periods[0]
    oral = Course("pred", DaysPattern((1,)), dose, method="infusion")
    with pytest.raises(InvalidRegimenError, match="the route is oral") as info:
        dataclasses.replace(regimen, periods=(dataclasses.replace(period, courses=(oral,)),))
    assert info.value.problems[0].code == "method-with-route"
    twice = Course("treg", DaysPattern((1,)), dose, id="c")
    with pytest.raises(InvalidRegimenError, match="duplicate course id"):
        dataclasses.replace(regimen, periods=(dataclasses.replace(
            period, courses=(twice, twice)),))
    assert isinstance(regimen, Regimen)
