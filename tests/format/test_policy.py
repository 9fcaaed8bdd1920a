"""The record policy keys (docs/format.md, "The record policy") and a drug's max_cumulative."""

from __future__ import annotations

from decimal import Decimal

import pytest

import regimens
from regimens import Duration, InvalidRegimenError, Policy
from regimens.quantities import Basis, parse_dose_quantity
from support import HEAD

BODY = """\
periods:
  - id: t
    length: 8 weeks
    courses:
      - {drug: il2, dose: 1 MIU, cycle: 14 days, days: [1]%s}
      - {drug: pred, dose: 10 mg, cycle: 14 days, days: [1]}
"""


def _regimen(top: str = "", course: str = "") -> regimens.Regimen:
    return regimens.loads(HEAD + top + BODY % course)


def test_nothing_written_gives_the_defaults() -> None:
    r = _regimen()
    assert r.policy == Policy()
    for course in r.periods[0].courses:
        assert course.policy == Policy()
        assert r.policy_for(course) == Policy(on_delay="shift", missed="skip",
                                              re_escalate=False)


def test_a_course_key_wins_over_the_top_level_and_the_rest_is_inherited() -> None:
    r = _regimen("on_delay: keep\nmax_delay: 2 weeks\nmissed: make_up\n"
                 "redose: {weight_change: 10%}\n",
                 ", on_delay: shift, re_escalate: true")
    il2, pred = r.periods[0].courses
    assert r.policy_for(il2) == Policy(on_delay="shift", max_delay=Duration(14),
                                       missed="make_up", re_escalate=True,
                                       redose_weight_change=Decimal(10))
    assert r.policy_for(pred) == Policy(on_delay="keep", max_delay=Duration(14),
                                        missed="make_up", re_escalate=False,
                                        redose_weight_change=Decimal(10))


@pytest.mark.parametrize(("top", "course"), [
    ("", ""),
    ("on_delay: keep\n", ""),
    ("max_delay: 10 days\nre_escalate: false\n", ", missed: make_up"),
    ("redose: {weight_change: 7.5%}\n", ", max_delay: 3 weeks, redose: {weight_change: 20%}"),
])
def test_policy_round_trips_through_dumps(top: str, course: str) -> None:
    r = _regimen(top, course)
    assert regimens.loads(regimens.dumps(r)) == r
    assert regimens.loads(regimens.dumps(r, fmt="json")) == r


def test_max_cumulative_is_read_and_round_trips() -> None:
    text = HEAD.replace("pred: {name: prednisone, route: oral}",
                        "pred: {name: prednisone, route: oral, max_cumulative: 2 g}") + BODY % ""
    r = regimens.loads(text)
    limit = r.drug("pred").max_cumulative
    assert limit is not None
    assert (limit.amount.magnitude, limit.amount.unit.symbol, limit.basis) == (
        Decimal(2), "g", Basis.FLAT)
    assert regimens.loads(regimens.dumps(r)) == r


@pytest.mark.parametrize(("fields", "key"), [
    ({"on_delay": "later"}, "on_delay"),
    ({"missed": "double"}, "missed"),
    ({"max_delay": Duration(0)}, "max_delay"),
    ({"re_escalate": "yes"}, "re_escalate"),
    ({"redose_weight_change": Decimal(0)}, "redose_weight_change"),
    ({"redose_weight_change": Decimal(100)}, "redose_weight_change"),
    ({"redose_weight_change": Decimal("NaN")}, "redose_weight_change"),
])
def test_policy_refuses_values_outside_its_rules(fields: dict[str, object], key: str) -> None:
    with pytest.raises(InvalidRegimenError) as exc:
        Policy(**fields)  # type: ignore[arg-type]
    assert [p.path for p in exc.value.problems] == [key]


def test_over_and_resolved() -> None:
    course = Policy(on_delay="keep")
    regimen = Policy(on_delay="shift", missed="make_up")
    assert course.over(regimen) == Policy(on_delay="keep", missed="make_up")
    assert Policy().resolved() == Policy(on_delay="shift", missed="skip", re_escalate=False)
    assert not Policy().written
    assert course.written


def test_max_cumulative_in_python_is_an_amount_not_an_auc() -> None:
    with pytest.raises(InvalidRegimenError):
        regimens.Drug("carbo", "carboplatin", "intravenous",
                      max_cumulative=parse_dose_quantity("AUC 5"))
    drug = regimens.Drug("dox", "doxorubicin", "intravenous",
                         max_cumulative=parse_dose_quantity("450 mg/m2"))
    assert drug.max_cumulative is not None
    assert drug.max_cumulative.basis is Basis.PER_M2


def test_json_schema_knows_the_policy_keys() -> None:
    schema = regimens.json_schema()
    course = schema["properties"]["periods"]["items"]["properties"]["courses"]["items"]
    for where in (schema, course):
        assert where["properties"]["on_delay"]["enum"] == ["shift", "keep"]
        assert where["properties"]["missed"]["enum"] == ["skip", "make_up"]
        assert "weight_change" in where["properties"]["redose"]["properties"]
    drug = schema["properties"]["drugs"]["additionalProperties"]
    assert "max_cumulative" in drug["properties"]
