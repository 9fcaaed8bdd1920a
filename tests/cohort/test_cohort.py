"""The batch API (regimens.cohort): row by row, the same as expand for each participant."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import warnings
from decimal import Decimal
from typing import Any

import pytest

import regimens
from regimens import MissingMeasurementError, Participant, ParticipantError
from support import load

np = pytest.importorskip("numpy")
pa = pytest.importorskip("pyarrow")

from regimens.cohort import COLUMNS, arrow_schema, expand_cohort  # noqa: E402
from support.cohort import assert_same_rows  # noqa: E402

PER_KG = """\
periods:
  - id: t
    length: 8 weeks
    courses:
      - {drug: treg, dose: 1e6 cells/kg, every: 2 weeks}
      - {drug: pred, dose: 0.75 mg/kg, round: 5 mg, max: 60 mg, daily: true, for: 10 days}
      - {drug: il2, dose: 0.01 MIU/kg, round: 0.1 MIU, rounding: down, days: [1, 3]}
"""
PER_M2 = """\
periods:
  - id: t
    length: 6 weeks
    courses:
      - {drug: il2, dose: 2e5 IU/m2, weekdays: [mon, wed, fri]}
      - {drug: pred, dose: 375 mg/m2, round: 50 mg, every: 1 week, times: ["08:00", "20:00"]}
      - {drug: treg, dose: 1.4 mg/m2, max: 2 mg, round: 0.1 mg, rounding: down, days: 1}
"""
RUN_IN = """\
day_one: treatment
periods:
  - id: run-in
    length: 2-4 weeks
    courses:
      - {drug: pred, dose: 5 mg, daily: true}
  - id: treatment
    length: 8 weeks
    blinded: true
    courses:
      - {drug: il2, arms: [a], dose: 1 MIU, cycle: 14 days, days: 1-5}
      - {drug: il2, arms: [b], placebo: true, cycle: 14 days, days: 1-5}
      - {drug: treg, dose: 1e6 cells/kg, every: 4 weeks, count: 2}
      - {drug: pred, dose: 5 mg, weekdays: [tue, thu], not_on: [il2]}
visits:
  - {id: screening, period: run-in, at: start, window: 3 days}
  - {id: baseline, day: 1}
"""
STEPS = """\
periods:
  - id: t
    length: 12 weeks
    courses:
      - drug: il2
        cycle: 28 days
        days: 1-5
        steps:
          - {dose: 1 MIU, cycles: 1}
          - {dose: 2 MIU, cycles: 2}
      - drug: treg
        every: 2 weeks
        steps:
          - {dose: 1e6 cells/kg, administrations: 2}
          - {dose: 2e6 cells/kg, administrations: 4}
      - drug: pred
        for: 3 weeks
        steps:
          - {dose: 40 mg/m2, days: 1-7}
          - {dose: 20 mg/m2, days: 8-14}
          - {dose: 10 mg/m2, days: 15-21}
"""


def _regimen(body: str) -> regimens.Regimen:
    return load(body)


def _inputs(n: int, seed: int) -> tuple[Any, Any, Any]:
    rng = np.random.default_rng(seed)
    starts = np.datetime64("2027-01-04") + rng.integers(-400, 400, n).astype("timedelta64[D]")
    weights = np.round(rng.uniform(40, 130, n), 1)
    heights = np.round(rng.uniform(140, 205, n), rng.integers(0, 2))
    return starts, weights, heights


def _participant(weights: Any, heights: Any, i: int) -> Participant:
    return Participant(weight=f"{float(weights[i])!r} kg", height=f"{float(heights[i])!r} cm")


@pytest.mark.parametrize(("name", "arms", "formula", "decimals"), [
    ("per-kg", ["a"], "mosteller", 2),
    ("per-m2", ["a"], "mosteller", 2),
    ("per-m2", ["b"], "dubois", 1),
    ("per-m2", ["a"], "boyd", 3),
    ("per-m2", ["a"], "haycock", 1),
    ("run-in", ["a", "b"], "gehan-george", 2),
    ("steps", ["a"], "mosteller", 2),
])
def test_rows_equal_expand(name: str, arms: list[str], formula: str, decimals: int) -> None:
    body = {"per-kg": PER_KG, "per-m2": PER_M2, "run-in": RUN_IN, "steps": STEPS}[name]
    regimen = _regimen(body)
    n = 60
    starts, weights, heights = _inputs(n, seed=len(name) + decimals)
    lengths = None
    if name == "run-in":
        rng = np.random.default_rng(7)
        lengths = {"run-in": [f"{d} days" for d in rng.integers(14, 29, n)]}
    for arm in arms:
        cohort = expand_cohort(regimen, arm, starts, weights=weights, heights=heights,
                               lengths=lengths, bsa_formula=formula, bsa_decimals=decimals)
        columns = cohort.to_numpy()
        assert len(cohort) == len(columns["date"])
        for i in range(0, n, 7):  # a sample of participants
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", regimens.RegimenWarning)
                schedule = regimen.expand(
                    arm, starts[i].astype(dt.date), _participant(weights, heights, i),
                    lengths={"run-in": lengths["run-in"][i]} if lengths else None,
                    bsa_formula=formula, bsa_decimals=decimals)
            assert_same_rows(cohort, columns, i, schedule)


@pytest.mark.parametrize(("regimen_id", "arm"), [
    ("mirocals", "il2"), ("mirocals", "placebo"), ("nct04055623", "active"),
    ("nct04055623", "ole-only"), ("nct01884571", "immunosuppression"),
])
def test_catalogue_rows_equal_expand(regimen_id: str, arm: str) -> None:
    regimen = regimens.load(regimen_id)
    starts, weights, heights = _inputs(30, seed=3)
    variable = [p for p in regimen.path(arm) if not p.length.fixed]
    lengths = {p.id: [f"{p.length.shortest.days + (i % 3) * 7} days" for i in range(30)]
               for p in variable} or None
    cohort = expand_cohort(regimen_id, arm, starts, weights=weights, heights=heights,
                           lengths=lengths)
    columns = cohort.to_numpy()
    for i in range(0, 30, 4):
        schedule = regimen.expand(arm, starts[i].astype(dt.date),
                                  _participant(weights, heights, i),
                                  lengths={k: v[i] for k, v in (lengths or {}).items()})
        assert_same_rows(cohort, columns, i, schedule)
    if regimen_id == "mirocals":
        # The run-in has negative study days, Day -1 is followed by Day 1.
        assert columns["study_day"].min() < 0
        assert 0 not in columns["study_day"]


def test_bsa_on_a_rounding_boundary_is_exact() -> None:
    # 180 cm x 68.0805 kg / 3600 = 3.404025 = 1.845^2: Mosteller gives exactly 1.845 m2,
    # which rounds half-up to 1.85. 180 cm x 92.8805 kg / 3600 = 4.644025 = 2.155^2, which
    # rounds to 2.16, where float64 alone gives 2.15499... -> 2.15.
    regimen = _regimen(PER_M2)
    starts = np.array(["2027-01-04"] * 4, dtype="datetime64[D]")
    weights = np.array([68.0805, 70.0, 68.0805, 92.8805])
    heights = np.array([180.0, 175.0, 180.0, 180.0])
    cohort = expand_cohort(regimen, "a", starts, weights=weights, heights=heights)
    columns = cohort.to_numpy()
    for i in range(4):
        assert_same_rows(cohort, columns, i,
                           regimen.expand("a", "2027-01-04", _participant(weights, heights, i)))
    first = cohort.rows_of(0).start
    assert columns["amount"][first] == 2e5 * 1.85  # il2 on Monday 4 January
    assert columns["amount"][cohort.rows_of(3).start] == 2e5 * 2.16


def test_bsas_given_are_used_as_given() -> None:
    regimen = _regimen(PER_M2)
    starts = np.array(["2027-01-04", "2027-01-05"], dtype="datetime64[D]")
    cohort = expand_cohort(regimen, "a", starts, bsas=[1.845, 2.1])
    columns = cohort.to_numpy()
    for i, value in enumerate(["1.845", "2.1"]):
        schedule = regimen.expand("a", str(starts[i]), Participant(bsa=f"{value} m2"))
        assert_same_rows(cohort, columns, i, schedule)


def test_arrow_table_has_the_explicit_schema() -> None:
    regimen = _regimen(RUN_IN)
    starts, weights, heights = _inputs(5, seed=11)
    cohort = expand_cohort(regimen, "a", starts, weights=weights, heights=heights)
    table = cohort.to_arrow()
    # Without tz= there are no instants: every column but "at", in COLUMNS' order.
    assert cohort.columns == tuple(c for c in COLUMNS if c != "at")
    assert table.schema == arrow_schema(cohort.columns)
    assert table.schema.field("date").type == pa.date32()
    assert table.num_rows == len(cohort)
    columns = cohort.to_numpy()
    assert table.column("date").to_pylist()[:3] == [d.astype(dt.date)
                                                    for d in columns["date"][:3]]
    drugs = table.column("drug").to_pylist()
    assert drugs == [cohort.categories["drug"][c] for c in columns["drug"]]
    amounts = table.column("amount").to_pylist()
    assert [a is None for a in amounts] == list(np.isnan(columns["amount"]))
    assert table.column("cycle").null_count == int((columns["cycle"] < 0).sum())
    few = cohort.to_arrow(["participant", "date"], participants=slice(1, 3))
    assert few.column_names == ["participant", "date"]
    assert set(few.column("participant").to_pylist()) == {1, 2}


def test_chunks_by_participant() -> None:
    regimen = regimens.load("mirocals")
    starts, _, _ = _inputs(10, seed=5)
    cohort = expand_cohort(regimen, "il2", starts)
    whole = cohort.to_numpy(["participant", "date"])
    part = cohort.to_numpy(["participant", "date"], participants=slice(3, 6))
    rows = slice(cohort.rows_of(3).start, cohort.rows_of(5).stop)
    assert np.array_equal(part["participant"], whole["participant"][rows])
    assert np.array_equal(part["date"], whole["date"][rows])
    assert set(COLUMNS) - {"at"} == set(cohort.to_numpy())


def test_starts_as_dates_or_text() -> None:
    regimen = regimens.load("imodals")
    a = expand_cohort(regimen, "il2-1miu", [dt.date(2027, 1, 4), "2027-02-01"]).to_numpy()
    b = expand_cohort(regimen, "il2-1miu",
                      np.array(["2027-01-04", "2027-02-01"], dtype="datetime64[D]")).to_numpy()
    for k in a:
        if k == "time":  # NaT: any time that day
            assert np.isnat(a[k]).all()
            assert np.isnat(b[k]).all()
        else:
            assert np.array_equal(a[k], b[k], equal_nan=k == "amount"), k
    with pytest.raises(regimens.ExpandOptionError):
        expand_cohort(regimen, "il2-1miu", [dt.datetime(2027, 1, 4, 9)])
    with pytest.raises(regimens.ExpandOptionError):
        expand_cohort(regimen, "nope", ["2027-01-04"])


def test_missing_and_implausible_measurements() -> None:
    starts = ["2027-01-04"]
    with pytest.raises(MissingMeasurementError):
        expand_cohort(_regimen(PER_KG), "a", starts)
    with pytest.raises(MissingMeasurementError):
        expand_cohort(_regimen(PER_M2), "a", starts, weights=[70.0])
    with pytest.raises(ParticipantError, match="participant 1"):
        expand_cohort(_regimen(PER_KG), "a", starts * 2, weights=[70.0, 7000.0])
    with pytest.raises(ParticipantError):
        expand_cohort(_regimen(PER_KG), "a", starts, weights=[float("nan")])
    # Flat doses need no measurement.
    assert len(expand_cohort(regimens.load("imodals"), "il2-1miu", starts)) == 15


def test_empty_cohort() -> None:
    cohort = expand_cohort(regimens.load("imodals"), "placebo",
                           np.array([], dtype="datetime64[D]"))
    assert len(cohort) == 0
    assert all(len(v) == 0 for v in cohort.to_numpy().values())


def test_error_names_the_extra_when_numpy_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "numpy", None)  # import numpy raises ImportError
    with pytest.raises(ImportError, match=r"regimens\[cohort\]"):
        expand_cohort(regimens.load("imodals"), "placebo", ["2027-01-04"])


def test_error_names_the_extra_when_pyarrow_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    cohort = expand_cohort(regimens.load("imodals"), "placebo", ["2027-01-04"])
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match=r"regimens\[cohort\]"):
        cohort.to_arrow()


def test_importing_regimens_does_not_import_numpy() -> None:
    import subprocess

    code = "import sys, regimens; print('numpy' in sys.modules, 'pyarrow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["False", "False"]


def test_expand_fast_path_makes_ordinary_administrations() -> None:
    # expand() makes administrations with Administration._unchecked, which fills __dict__
    # directly: the keys must be the dataclass fields, in order, and there must be no
    # __post_init__ to skip (tests/engine/test_administration.py pins the constructor).
    from regimens.engine import Administration

    assert not hasattr(Administration, "__post_init__")
    schedule = regimens.load("mirocals").expand("il2", "2027-01-04")
    names = [f.name for f in dataclasses.fields(Administration)]
    for a in schedule.administrations[:3]:
        assert list(vars(a)) == names
        assert a == Administration(**{k: getattr(a, k) for k in names})
        assert hash(a) == hash(Administration(**{k: getattr(a, k) for k in names}))


def test_docs_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "cohort.md").read_text("utf-8")
    code = re.findall(r"```python\n(.*?)```", text, re.DOTALL)[0]
    exec(compile(code.replace("n = 10_000", "n = 300"), "docs/cohort.md", "exec"), {})
    assert "date32[day]" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"starts": ["2027-01-04", "9999-12-20"]}, regimens.ExpandOptionError,
         "starts: participant 1: the schedule would fall outside the calendar (years 1 to 9999) "
         "(got '9999-12-20')"),
        ({"starts": np.array(["2027-01"], dtype="datetime64[M]")}, regimens.ExpandOptionError,
         "starts: give each start to the day (datetime64[D]) (got 'datetime64[M]')"),
        ({"starts": ["2027-01-04"], "weights": ["70 kg"]}, regimens.ParticipantError,
         "weights: give one plain number per participant, in kg (a 1-dimensional array or "
         "sequence)"),
        ({"starts": ["2027-01-04"], "weights": [True]}, regimens.ParticipantError,
         "weights: give one plain number per participant, in kg (a 1-dimensional array or "
         "sequence)"),
    ],
    ids=["past-9999", "month-precision", "text-weight", "bool-weight"],
)
def test_cohort_inputs_are_refused_clearly(kwargs: dict[str, Any], error: type[Exception],
                                           message: str) -> None:
    with pytest.raises(error) as caught:
        expand_cohort(regimens.load("imodals"), "placebo", **kwargs)
    assert str(caught.value) == message


def test_decimal_weights_are_numbers() -> None:
    from decimal import Decimal

    cohort = expand_cohort(regimens.load("imodals"), "placebo", ["2027-01-04"],
                           weights=[Decimal("70.5")])
    assert len(cohort) == 15


def test_a_dose_that_rounds_to_nothing_names_the_participant() -> None:
    body = ("format: regimens/1\nid: r\ntitle: R\n"
            "drugs: {d: {name: drug D, route: oral}}\narms: {a: {label: A}}\n"
            "periods:\n  - id: p\n    length: 1 week\n    courses:\n"
            "      - {drug: d, dose: 1 mg/kg, round: 50 mg, rounding: down, days: [1]}\n")
    with pytest.raises(regimens.DoseError) as caught:
        expand_cohort(regimens.loads(body), "a", ["2027-01-04", "2027-01-04"],
                      weights=[70, 30])
    assert str(caught.value) == (
        "<string>:10: periods[0].courses[0].dose: participant 1: 1 mg per kg gives 30 mg, "
        "which rounds down to a multiple of 50 mg as 0; use a smaller 'round' increment")


# What numbers mean, whatever their binary type ------------------------------------------

ONE_DOSE = ("format: regimens/1\nid: r\ntitle: R\n"
            "drugs: {d: {name: drug D, route: oral}}\narms: {a: {label: A}}\n"
            "periods:\n  - id: p\n    length: 1 week\n    courses:\n"
            "      - {drug: d, dose: 1.25 mg/kg, days: [1]}\n")


def _amounts(weights: Any) -> list[float]:
    cohort = expand_cohort(regimens.loads(ONE_DOSE), "a", ["2027-01-04"] * len(weights),
                           weights=weights)
    return [float(x) for x in cohort.to_numpy(["amount"])["amount"]]


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        # float32 70.1 is 70.09999847412109375: it means 70.1 (the shortest decimal giving
        # that float32), so 1.25 mg/kg gives 87.625 mg, not 87.62499809265137 mg.
        (np.array([70.1, 72.45], dtype="float32"), [87.625, 90.5625]),
        # float16 70.1 is 70.125 in binary, and 70.1 is the shortest decimal giving it.
        (np.array([70.1], dtype="float16"), [87.625]),
        (np.array([70.1, 72.45]), [87.625, 90.5625]),
        (np.array([70, 72], dtype="int16"), [87.5, 90.0]),
        (np.array([70.1, 72], dtype=object), [87.625, 90.0]),
        ([Decimal("70.1"), Decimal("72.45")], [87.625, 90.5625]),
    ],
    ids=["float32", "float16", "float64", "int16", "python-objects", "decimals"],
)
def test_numbers_mean_what_was_written(weights: Any, expected: list[float]) -> None:
    assert _amounts(weights) == expected


def test_float32_reads_as_participant_reads_its_text() -> None:
    values = np.array([45.3, 70.1, 99.99, 123.456], dtype="float32")
    rows = _amounts(values)
    for value, amount in zip(values.tolist(), rows, strict=True):
        text = np.format_float_positional(np.float32(value), unique=True, trim="-")
        schedule = regimens.loads(ONE_DOSE).expand(
            "a", "2027-01-04", Participant(weight=f"{text} kg"))
        assert schedule.administrations[0].dose.amount is not None
        assert float(schedule.administrations[0].dose.amount.magnitude) == amount


def test_more_digits_than_a_float64_holds_are_refused() -> None:
    with pytest.raises(ParticipantError) as caught:
        _amounts([Decimal("70"), Decimal("70.12345678901234567")])
    assert str(caught.value) == (
        "weight: participant 1: 70.12345678901234567 has more significant digits than the "
        "batch API holds exactly (a float64: at most 15); round it "
        "(got '70.12345678901234567')")


def test_cohort_amounts_do_not_depend_on_the_callers_context() -> None:
    import decimal

    with decimal.localcontext(decimal.Context(prec=3, rounding=decimal.ROUND_DOWN)):
        assert _amounts([72.45, 154 * 0.45359237]) == [90.5625, 87.316531225]


def test_python_floats_are_not_measurements() -> None:
    # A float has no unit and may not be what was typed: Participant takes text only.
    with pytest.raises(ParticipantError, match="weight must be text: a number and its unit"):
        Participant(weight=70.1)  # type: ignore[arg-type]
    with pytest.raises(ParticipantError, match="weight must be text"):
        Participant(weight=np.float32(70.1))  # type: ignore[arg-type]


# Issue 12 (format 1.1, timing): the batch API gives the same rows as expand for cycles
# numbered on (first_cycle), counted weekdays, an open-ended last step, a gap that may last
# 0 days, and a regimen counted from Day 0.
TIMING = """\
day_one: t
day_zero: true
periods:
  - id: gap
    length: 0-10 days
  - id: t
    length: 8-12 weeks
    courses:
      - {drug: pred, dose: 10 mg, cycle: 2 weeks, first_cycle: 3,
         weekdays: [mon, tue, wed, thu, fri], count: 7}
      - drug: il2
        cycle: 3 weeks
        days: [1, 8]
        steps: [{dose: 2 MIU, cycles: 1}, {dose: 1 MIU}]
      - {drug: treg, dose: 1e6 cells/kg, every: 4 weeks}
"""


def test_timing_constructs_rows_equal_expand() -> None:
    regimen = _regimen(TIMING.replace("  - id: gap\n    length: 0-10 days\n", ""))
    n = 40
    starts, weights, heights = _inputs(n, seed=12)
    rng = np.random.default_rng(12)
    lengths = {"t": [f"{d} days" for d in rng.integers(56, 85, n)]}
    cohort = expand_cohort(regimen, "a", starts, weights=weights, heights=heights,
                           lengths=lengths)
    columns = cohort.to_numpy()
    assert 0 in set(columns["study_day"].tolist())  # Day 0 is the first day of t
    assert {3, 4, 5, 6} <= set(columns["cycle"].tolist())  # pred's cycles from 3
    for i in range(0, n, 3):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", regimens.RegimenWarning)
            schedule = regimen.expand("a", starts[i].astype(dt.date),
                                      _participant(weights, heights, i),
                                      lengths={"t": lengths["t"][i]})
        assert_same_rows(cohort, columns, i, schedule)


def test_a_gap_of_zero_days_rows_equal_expand() -> None:
    # The gap may last 0 days: it comes after t here, so Study Day 0 stays the first day of t.
    body = TIMING.replace("  - id: gap\n    length: 0-10 days\n", "") + (
        "  - {id: gap, length: 0-10 days}\n  - id: after\n    length: 2 weeks\n    courses:\n"
        "      - {drug: pred, dose: 5 mg, days: [1, 8]}\n")
    regimen = _regimen(body)
    n = 11  # gaps of 0 to 10 days
    starts, weights, heights = _inputs(n, seed=3)
    gaps = [f"{d} days" for d in range(n)]
    cohort = expand_cohort(regimen, "a", starts, weights=weights, heights=heights,
                           lengths={"gap": gaps})
    columns = cohort.to_numpy()
    for i in range(n):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", regimens.RegimenWarning)
            schedule = regimen.expand("a", starts[i].astype(dt.date),
                                      _participant(weights, heights, i),
                                      lengths={"gap": gaps[i]})
        assert_same_rows(cohort, columns, i, schedule)
        # t is Days 0 to 55 (8 weeks), the gap i days, so 'after' starts on Day 56 + i.
        after = [a.study_day.value for a in schedule.administrations if a.period == "after"]
        assert after == [56 + i, 63 + i]


@pytest.mark.parametrize(("course", "what"), [
    ("{drug: il2, dose: AUC 5, days: 1}", "an AUC dose (Calvert)"),
    ("{drug: il2, dose: 1 mg/kg, weight: ideal, days: 1}", "a per-kg dose on the ideal body "
     "weight"),
])
def test_cohort_refuses_what_needs_more_than_weights_and_bsas(course: str, what: str) -> None:
    regimen = load(f"periods:\n  - id: t\n    length: 1 week\n    courses:\n      - {course}\n")
    with pytest.raises(regimens.DoseError) as caught:
        expand_cohort(regimen, "a", np.array(["2027-01-04"], dtype="datetime64[D]"),
                      weights=np.array([70.0]), heights=np.array([175.0]))
    assert caught.value.loc == ("periods", 0, "courses", 0, "dose")
    assert str(caught.value).startswith("r.yaml:15: periods[0].courses[0].dose: the batch API "
                                        "cannot compute " + what)


def test_cohort_caps_the_bsa_at_bsa_max() -> None:
    regimen = load("periods:\n  - id: t\n    length: 1 week\n    courses:\n"
                   "      - {drug: il2, dose: 100 mg/m2, bsa_max: 2 m2, days: 1}\n")
    # 165 cm, 120 kg: BSA 2.35 capped at 2 -> 200 mg; 175 cm, 70 kg: 1.84 -> 184 mg
    cohort = expand_cohort(regimen, "a", np.array(["2027-01-04"] * 2, dtype="datetime64[D]"),
                           weights=np.array([120.0, 70.0]), heights=np.array([165.0, 175.0]))
    assert cohort.to_numpy()["amount"].tolist() == [200.0, 184.0]
