"""One simulation's participants: the model put together, as the batch API takes them."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

import regimens
from regimens import ExpandOptionError

np = pytest.importorskip("numpy")
pa = pytest.importorskip("pyarrow")

from regimens.cohort import expand_cohort  # noqa: E402
from regimens.supply import (  # noqa: E402
    ActivationDelay,
    BodySizes,
    Enrolment,
    LengthChoice,
    Moments,
    Randomisation,
    Site,
    SizeDistribution,
    Treatment,
    TrialModel,
    simulate_participants,
    simulation_rng,
)
from support.cohort import assert_same_rows  # noqa: E402

MONDAY = date(2027, 1, 4)


def _model(**changes: Any) -> TrialModel:
    """MIROCALS-like: 3 sites, 1:1, a 12-18 week run-in before Study Day 1."""
    model = TrialModel(
        enrolment=Enrolment((Site("paris", MONDAY, 1.5),
                             Site("lyon", date(2027, 2, 1), 1, shape=2),
                             Site("lille", date(2027, 3, 1), 1, sd=0.5,
                                  delay=ActivationDelay(0, 28))),
                            sample_size=60, screen_failure=0.2),
        randomisation=Randomisation({"il2": 1, "placebo": 1}),
        sizes=BodySizes(weight=SizeDistribution("normal", female=Moments(65, 11),
                                                male=Moments(80, 13)),
                        height=SizeDistribution("normal", female=Moments(163, 7),
                                                male=Moments(177, 7)),
                        female=0.4, correlation=0.5),
        lengths=(LengthChoice("run-in", 84, 126, step=7, before_day_one=True),),
        treatment=Treatment(dropout=0.005, progression=400),
    )
    return dataclasses.replace(model, **changes)


def _arrays(p: Any) -> dict[str, Any]:
    fields = [f.name for f in dataclasses.fields(p)]
    return {name: getattr(p, name) for name in fields}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, np.ndarray):
        return bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
    return bool(a == b)


def test_columns() -> None:
    p = simulate_participants(_model(), simulation_rng(7, 0))
    assert len(p) == 60
    assert p.id[:3].tolist() == ["P-001", "P-002", "P-003"]
    assert p.sites == ("paris", "lyon", "lille")
    assert p.arms == ("il2", "placebo")
    # Study Day 1 is the entry date plus the run-in, and participants are in its order.
    run_in = p.lengths["run-in"]
    assert set(run_in.tolist()) <= set(range(84, 127, 7))
    assert (p.start - p.entry == run_in.astype("timedelta64[D]")).all()
    assert (np.diff(p.start.astype(int)) >= 0).all()
    assert p.start.dtype == np.dtype("datetime64[D]")
    # Each site's arms are balanced after every completed block of 4, in that order.
    for s in range(3):
        arms = p.arm[p.site == s]
        for k in range(len(arms) // 4):
            assert np.bincount(arms[4 * k:4 * k + 4], minlength=2).tolist() == [2, 2]
    assert set(p.sex.tolist()) <= {"female", "male"}
    assert not np.isnan(p.weight).any()
    assert not np.isnan(p.height).any()
    assert ((p.end > p.start) | (p.end == p.start)).all()
    assert set(p.end_cause.tolist()) <= {1, 2}
    assert p.screened.sum() >= 60
    assert p.arm_ids()[:1] in (["il2"], ["placebo"])
    assert p.site_ids() == [p.sites[s] for s in p.site.tolist()]
    assert p.length_texts()["run-in"][0] == f"{run_in[0]} days"


def test_the_batch_api_takes_them() -> None:
    # The arrays go to expand_cohort as they are; a sampled participant's rows equal expand's.
    regimen = regimens.load("mirocals")
    p = simulate_participants(_model(), simulation_rng(7, 1))
    cohort = expand_cohort(regimen, p.arm_ids(), p.start, weights=p.weight,
                           heights=p.height, lengths=p.length_texts())
    table = cohort.participant_table()
    assert table["start"].to_pylist() == p.start.astype(object).tolist()
    assert table["arm"].to_pylist() == p.arm_ids()
    i = 5
    schedule = regimen.expand(p.arm_ids()[i], p.start[i].item(),
                              regimens.Participant(weight=f"{p.weight[i]} kg",
                                                   height=f"{p.height[i]:g} cm"),
                              lengths={"run-in": p.length_texts()["run-in"][i]})
    assert_same_rows(cohort, cohort.to_numpy(), i, schedule)
    # The run-in starts on the entry date (its first riluzole dose).
    assert schedule.administrations[0].date == p.entry[i].item()


def test_reproducible() -> None:
    one = simulate_participants(_model(), simulation_rng(3, 2))
    two = simulate_participants(_model(), simulation_rng(3, 2))
    assert _same(_arrays(one), _arrays(two))
    assert one.to_arrow().equals(two.to_arrow())
    other = simulate_participants(_model(), simulation_rng(3, 3))
    assert not _same(_arrays(one), _arrays(other))


def test_parts_draw_from_their_own_streams() -> None:
    # Another body-size model or no early ends leave enrolment, lengths and arms as they were.
    base = simulate_participants(_model(), simulation_rng(4, 0))
    for changed in (_model(sizes=None), _model(treatment=Treatment())):
        p = simulate_participants(changed, simulation_rng(4, 0))
        for name in ("site", "arm", "entry", "start", "screened", "rate"):
            assert np.array_equal(getattr(p, name), getattr(base, name))
    p = simulate_participants(_model(sizes=None), simulation_rng(4, 0))
    assert np.isnan(p.weight).all()
    assert (p.sex == "").all()
    assert np.array_equal(p.end, base.end)
    p = simulate_participants(_model(treatment=Treatment()), simulation_rng(4, 0))
    assert np.isnat(p.end).all()
    assert np.array_equal(p.weight, base.weight)


def test_lead_in_and_no_lengths() -> None:
    p = simulate_participants(_model(lengths=(), lead_in=14), simulation_rng(5, 0))
    assert p.lengths == {}
    assert (p.start - p.entry == np.timedelta64(14, "D")).all()


def test_to_arrow() -> None:
    p = simulate_participants(_model(sizes=None, treatment=Treatment(progression=50)),
                              simulation_rng(6, 0))
    table = p.to_arrow()
    assert table.column_names == ["id", "site", "arm", "entry", "start", "sex", "weight",
                                  "height", "length.run-in", "end", "end_cause"]
    assert table.schema.field("start").type == pa.date32()
    assert table.schema.field("site").type == pa.dictionary(pa.int32(), pa.string())
    assert table["site"].to_pylist() == p.site_ids()
    assert table["sex"].null_count == 60
    assert table["weight"].null_count == 60
    assert table["end_cause"].to_pylist() == ["progression"] * 60
    assert table["length.run-in"].to_pylist() == p.lengths["run-in"].tolist()


@pytest.mark.parametrize(("changes", "option", "reason"), [
    ({"enrolment": None}, "enrolment", "must be an Enrolment"),
    ({"randomisation": {"a": 1}}, "randomisation", "must be a Randomisation"),
    ({"treatment": 0.1}, "treatment", "must be a Treatment"),
    ({"sizes": "sizes.csv"}, "sizes", "BodySizes, EmpiricalSizes or None"),
    ({"lengths": "run-in"}, "lengths", "list of LengthChoice"),
    ({"lengths": ((84, 126),)}, "lengths[0]", "must be a LengthChoice"),
    ({"lengths": (LengthChoice("a", 1, 2), LengthChoice("a", 1, 3))}, "lengths[1].period",
     "another length choice"),
    ({"lead_in": -1}, "lead_in", "at least 0"),
])
def test_bad_models_are_refused(changes: dict[str, Any], option: str, reason: str) -> None:
    with pytest.raises(ExpandOptionError) as info:
        _model(**changes)
    assert info.value.option == option
    assert reason in info.value.reason
