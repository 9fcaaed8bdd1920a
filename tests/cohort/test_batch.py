"""The batch API for trial planning: several arms, visits, time zones, warnings, refusals.

Expected values are worked out by hand in the comments (2027 is not a leap year;
Europe/Paris moves to summer time on Sunday 28 March 2027 at 02:00, from UTC+1 to
UTC+2, and back on Sunday 31 October 2027 at 03:00); each test also checks that the
cohort equals ``expand`` for every participant.
"""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

import pytest

import regimens
from support import load

np = pytest.importorskip("numpy")
pa = pytest.importorskip("pyarrow")

from regimens.cohort import COLUMNS, expand_cohort, unsupported  # noqa: E402
from support.cohort import assert_same_rows  # noqa: E402

RUN_IN = """\
day_one: treatment
periods:
  - id: run-in
    length: 2-4 weeks
    courses:
      - {drug: pred, dose: 5 mg, daily: true}
  - id: treatment
    length: 4 weeks
    courses:
      - {drug: il2, arms: [a], dose: 1 MIU, days: [1, 8]}
      - {drug: il2, arms: [b], placebo: true, days: [1, 8]}
visits:
  - {id: screening, period: run-in, at: start, window: 3 days}
  - {id: baseline, day: 1}
  - {id: week-4, day: 28, window: {before: 2 days, after: 5 days}, arms: [a]}
"""


def _expand(regimen: regimens.Regimen, arm: str, start: str, **options: Any
            ) -> regimens.Schedule:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        return regimen.expand(arm, start, **options)


def test_several_arms_at_once() -> None:
    regimen = load(RUN_IN)
    starts = ["2027-01-04", "2027-01-05", "2027-02-01"]
    arms = ["b", "a", "b"]
    lengths = {"run-in": ["14 days", "3 weeks", "28 days"]}
    cohort = expand_cohort(regimen, arms, starts, lengths=lengths)
    assert cohort.arms == ("a", "b")  # the regimen's order, not the order met
    assert cohort.arm is None
    columns = cohort.to_numpy()
    # Participant 0: 14 days of pred (Day -14..-1), then Days 1 and 8 placebo: 16 rows.
    # Participant 1: 21 + 2 = 23 rows; participant 2: 28 + 2 = 30 rows.
    assert [cohort.rows_of(i).stop - cohort.rows_of(i).start for i in range(3)] == [16, 23, 30]
    labels = [cohort.categories["arm"][c] for c in columns["arm"]]
    assert labels == ["b"] * 16 + ["a"] * 23 + ["b"] * 30
    for i in range(3):
        schedule = _expand(regimen, arms[i], starts[i],
                           lengths={"run-in": lengths["run-in"][i]})
        assert_same_rows(cohort, columns, i, schedule)
    table = cohort.to_arrow()
    assert table.column("arm").type == pa.dictionary(pa.int16(), pa.string())
    assert table.column("arm").to_pylist()[15:17] == ["b", "a"]


def test_an_unknown_arm_names_the_participant() -> None:
    with pytest.raises(regimens.ExpandOptionError) as caught:
        expand_cohort(load(RUN_IN), ["a", "a", "c"], ["2027-01-04"] * 3)
    assert caught.value.participant == 2
    assert str(caught.value).startswith("arm: participant 2: no such arm in 'demo'")
    with pytest.raises(regimens.ExpandOptionError, match="2 arms for 3 participants"):
        expand_cohort(load(RUN_IN), ["a", "b"], ["2027-01-04"] * 3)


def test_a_bad_length_names_the_participant() -> None:
    with pytest.raises(regimens.ExpandOptionError) as caught:
        expand_cohort(load(RUN_IN), "a", ["2027-01-04"] * 2,
                      lengths={"run-in": ["2 weeks", "5 weeks"]})
    assert caught.value.participant == 1
    assert str(caught.value) == ("lengths.run-in: participant 1: must be within 2-4 weeks "
                                 "(14-28 days) (got '5 weeks')")


def test_visits_with_windows_as_their_own_table() -> None:
    regimen = load(RUN_IN)
    cohort = expand_cohort(regimen, ["a", "b"], ["2027-01-04", "2027-03-01"],
                           lengths={"run-in": "14 days"})
    table = cohort.visits()
    assert table.schema.field("date").type == pa.date32()
    rows = table.to_pylist()
    d = dt.date
    assert rows == [
        # Participant 0, arm a, Day 1 = Monday 4 January 2027; the run-in starts on Day -14,
        # 21 December 2026, with a 3-day window either side.
        {"participant": 0, "arm": "a", "visit": "screening", "study_day": -14,
         "date": d(2026, 12, 21), "earliest": d(2026, 12, 18), "latest": d(2026, 12, 24),
         "period": "run-in"},
        {"participant": 0, "arm": "a", "visit": "baseline", "study_day": 1,
         "date": d(2027, 1, 4), "earliest": d(2027, 1, 4), "latest": d(2027, 1, 4),
         "period": "treatment"},
        # Day 28 = 4 January + 27 days = 31 January; 2 days before, 5 after.
        {"participant": 0, "arm": "a", "visit": "week-4", "study_day": 28,
         "date": d(2027, 1, 31), "earliest": d(2027, 1, 29), "latest": d(2027, 2, 5),
         "period": "treatment"},
        # Participant 1, arm b (no week-4 visit), Day 1 = 1 March 2027: Day -14 = 15 Feb.
        {"participant": 1, "arm": "b", "visit": "screening", "study_day": -14,
         "date": d(2027, 2, 15), "earliest": d(2027, 2, 12), "latest": d(2027, 2, 18),
         "period": "run-in"},
        {"participant": 1, "arm": "b", "visit": "baseline", "study_day": 1,
         "date": d(2027, 3, 1), "earliest": d(2027, 3, 1), "latest": d(2027, 3, 1),
         "period": "treatment"},
    ]
    for i, (arm, start) in enumerate([("a", "2027-01-04"), ("b", "2027-03-01")]):
        schedule = _expand(regimen, arm, start, lengths={"run-in": "14 days"})
        mine = [r for r in rows if r["participant"] == i]
        assert [(r["visit"], r["date"], r["earliest"], r["latest"], r["period"])
                for r in mine] == [(v.id, v.date, v.earliest, v.latest, v.period)
                                   for v in schedule.visits]
    assert cohort.visits(participants=[1]).column("participant").to_pylist() == [1, 1]


DAILY_TIMED = """\
periods:
  - id: t
    length: 3 days
    courses:
      - {drug: pred, dose: 5 mg, daily: true, times: ["02:30", "08:00"]}
"""


def test_time_zones_place_timed_doses() -> None:
    regimen = load(DAILY_TIMED)
    # Participant 0 in Paris from Friday 26 March 2027: the 02:30 dose on Sunday 28 March
    # does not exist (clocks go from 02:00 to 03:00) and moves to 03:30 summer time.
    # Participant 1 in New York from 1 March (EST, UTC-5), participant 2 untouched by any
    # change, in Paris in June (UTC+2).
    starts = ["2027-03-26", "2027-03-01", "2027-06-01"]
    zones = ["Europe/Paris", "America/New_York", "Europe/Paris"]
    cohort = expand_cohort(regimen, "a", starts, tz=zones)
    assert "at" in cohort.columns
    columns = cohort.to_numpy()
    at = [str(x) for x in columns["at"]]
    assert at[:6] == [
        "2027-03-26T01:30:00", "2027-03-26T07:00:00",  # CET: UTC+1
        "2027-03-27T01:30:00", "2027-03-27T07:00:00",
        "2027-03-28T01:30:00", "2027-03-28T06:00:00",  # 03:30 CEST (moved), 08:00 CEST
    ]
    assert str(columns["time"][4]) == "210 minutes"  # 03:30, as expand writes it
    assert at[6:8] == ["2027-03-01T07:30:00", "2027-03-01T13:00:00"]  # EST: UTC-5
    assert at[12:14] == ["2027-06-01T00:30:00", "2027-06-01T06:00:00"]  # CEST: UTC+2
    for i in range(3):
        assert_same_rows(cohort, columns, i, _expand(regimen, "a", starts[i], tz=zones[i]))
    assert len(cohort.warnings_of(0)) == 1
    assert cohort.warnings_of(0)[0].startswith("prednisone, Study Day 3: 02:30 does not exist "
                                              "on 2027-03-28 in Europe/Paris")
    assert cohort.warnings_of(1) == cohort.warnings_of(2) == ()
    table = cohort.to_arrow(["at", "time"])
    assert table.schema.field("at").type == pa.timestamp("s", tz="UTC")
    assert table.column("time").to_pylist()[4] == dt.time(3, 30)
    # Batches carry the same moved time and instant.
    batches = pa.Table.from_batches(list(cohort.iter_batches(rows=5, columns=["at", "time"])))
    assert batches.equals(table)


def test_time_zones_for_everyone_and_errors() -> None:
    regimen = load(DAILY_TIMED)
    one = expand_cohort(regimen, "a", ["2027-06-01", "2027-06-02"], tz="Europe/Paris")
    both = expand_cohort(regimen, "a", ["2027-06-01", "2027-06-02"],
                         tz=["Europe/Paris", "Europe/Paris"])
    assert np.array_equal(one.to_numpy(["at"])["at"], both.to_numpy(["at"])["at"])
    with pytest.raises(regimens.ExpandOptionError) as caught:
        expand_cohort(regimen, "a", ["2027-06-01", "2027-06-02"], tz=["UTC", "Mars/Olympus"])
    assert caught.value.participant == 1
    assert caught.value.option == "tz"
    untimed = expand_cohort(regimen, "a", ["2027-06-01"])
    assert "at" not in untimed.columns
    assert np.isnat(untimed.to_numpy(["at"])["at"]).all()


ROUNDED = """\
periods:
  - id: t
    length: 1 week
    courses:
      - {drug: pred, dose: 1 mg/kg, round: 50 mg, days: [1, 3]}
      - {drug: il2, dose: 1 MIU/m2, days: [1]}
"""


def test_warnings_per_participant_as_a_column() -> None:
    regimen = load(ROUNDED)
    # 70 kg: 70 mg rounds to 50 mg (moved 28.6%, more than 10%: a warning).
    # 100 kg: 100 mg, a multiple of 50 (no warning). 45 kg and 215 cm: BMI 45 / 2.15^2 = 9.7,
    # below 10 (a warning), and 45 mg rounds to 50 mg (moved 11.1%: a warning too).
    weights = [70.0, 100.0, 45.0, 70.0]
    heights = [175.0, 180.0, 215.0, 175.0]
    cohort = expand_cohort(regimen, "a", ["2027-01-04"] * 4, weights=weights,
                           heights=heights)
    table = cohort.participant_table()
    assert table.column_names == ["participant", "arm", "start", "tz", "rows", "warnings"]
    assert table.column("start").type == pa.date32()
    assert table.column("rows").to_pylist() == [3, 3, 3, 3]
    found = table.column("warnings").to_pylist()
    assert found[1] == []
    assert found[0] == found[3] == [
        "rounding to a multiple of 50 mg moves the dose from 70 mg to 50 mg (more than 10%); "
        "use a smaller 'round' increment"]
    assert len(found[2]) == 2
    assert "body-mass index of 9.7" in found[2][1]
    for i in range(4):
        participant = regimens.Participant(weight=f"{weights[i]!r} kg",
                                           height=f"{heights[i]!r} cm")
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            schedule = regimen.expand("a", "2027-01-04", participant)
        assert found[i] == [str(w) for w in schedule.warnings]
        assert cohort.warnings_of(i) == tuple(found[i])


def test_constructs_the_batch_api_does_not_know_are_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A field or record type added to the format is refused until the batch API knows it."""
    from regimens.cohort import _guard

    regimen = load(DAILY_TIMED)
    known = dict(_guard.KNOWN)
    known["Course"] = known["Course"] - {"times"}  # as if "times" were a new construct
    monkeypatch.setattr(_guard, "KNOWN", known)
    with pytest.raises(regimens.ExpandOptionError) as caught:
        expand_cohort(regimen, "a", ["2027-01-04"])
    assert str(caught.value) == (
        "regimen: the batch API cannot expand 'times' (Course) yet (at "
        "periods[0].courses[0].times); expand these participants one by one with "
        "Regimen.expand")
    # A field at its default value is no construct: a course without times passes.
    assert len(expand_cohort(load(ROUNDED), "a", ["2027-01-04"], weights=[60],
                             heights=[170])) == 3
    del known["DailyPattern"]  # as if a new kind of pattern
    with pytest.raises(regimens.ExpandOptionError, match=r"cannot expand a DailyPattern yet "
                       r"\(at periods\[0\]\.courses\[0\]\.pattern\)"):
        expand_cohort(regimen, "a", ["2027-01-04"])


def test_every_catalogue_regimen_is_known_to_the_batch_api() -> None:
    from regimens.cohort._guard import check_supported

    for regimen_id in ("mirocals", "imodals", "nct04055623", "nct01884571", "nct04952155"):
        check_supported(regimens.load(regimen_id))


def test_columns_constant_lists_every_column_once() -> None:
    assert list(COLUMNS)[:2] == ["participant", "arm"]
    assert len(set(COLUMNS)) == len(COLUMNS) == 16


FORMAT_1_1 = """\
periods:
  - id: t
    length: 8 weeks
    courses:
      - {drug: il2, dose: 1 MIU, start: 29, cycle: 14 days, first_cycle: 3, days: [1, 2]}
      - {drug: pred, dose: 2 mg, cycle: 14 days, weekdays: [tue, thu, sat], count: 2}
      - drug: treg
        cycle: 14 days
        days: 1
        steps: [{dose: 2 MIU, cycles: 1}, {dose: 1 MIU}]
"""


def test_first_cycle_counted_weekdays_and_open_steps_equal_expand() -> None:
    regimen = load(FORMAT_1_1)
    # Starts on every weekday: counted weekdays depend on the weekday of Day 1.
    starts = [f"2027-01-{d:02d}" for d in range(4, 11)]
    cohort = expand_cohort(regimen, "a", starts)
    columns = cohort.to_numpy()
    for i, start in enumerate(starts):
        assert_same_rows(cohort, columns, i, _expand(regimen, "a", start))
    # Monday 4 January: il2 from Day 29 in cycles numbered 3 and 4 (Days 29-30, 43-44).
    il2 = columns["drug"] == cohort.categories["drug"].index("il2")
    first = il2 & (columns["participant"] == 0)
    assert columns["study_day"][first].tolist() == [29, 30, 43, 44]
    assert columns["cycle"][first].tolist() == [3, 3, 4, 4]


def test_per_participant_texts_must_be_text() -> None:
    with pytest.raises(regimens.ExpandOptionError) as caught:
        expand_cohort(load(RUN_IN), "a", ["2027-01-04"] * 3,
                      lengths={"run-in": ["2 weeks", 14, "3 weeks"]})
    # The number given, not its repr (it was shown quoted, as if it were text).
    assert str(caught.value) == "lengths.run-in: participant 1: each length is text (got 14)"
    assert caught.value.value == 14
    with pytest.raises(regimens.ExpandOptionError, match="participant 0: each arm is text"):
        expand_cohort(load(RUN_IN), [["a"], "b"], ["2027-01-04"] * 2)
    # NumPy string arrays are text.
    cohort = expand_cohort(load(RUN_IN), np.array(["b", "a"]), ["2027-01-04"] * 2,
                           lengths={"run-in": np.array(["2 weeks", "4 weeks"])})
    assert [cohort.rows_of(i).stop - cohort.rows_of(i).start for i in range(2)] == [16, 30]



#: Every per-participant list argument of expand_cohort, with None for participant 1 (or
#: 0): (arguments, the error's class, its message). The texts (arm, lengths, tz) are
#: refused as a number in their place is (an error's value None is not shown); None sorted
#: with the texts gave a raw TypeError ("'<' not supported between instances of 'NoneType'
#: and 'str'").
NONE_IN_A_LIST = {
    "arm": ({"arm": ["a", None]}, regimens.ExpandOptionTypeError,
            "arm: participant 1: each arm is text"),
    "arm, first": ({"arm": [None, "a"]}, regimens.ExpandOptionTypeError,
                   "arm: participant 0: each arm is text"),
    "lengths": ({"lengths": {"run-in": ["2 weeks", None]}}, regimens.ExpandOptionTypeError,
                "lengths.run-in: participant 1: each length is text"),
    "lengths, first": ({"lengths": {"run-in": [None, "4 weeks"]}},
                       regimens.ExpandOptionTypeError,
                       "lengths.run-in: participant 0: each length is text"),
    "tz": ({"tz": ["Europe/Paris", None]}, regimens.ExpandOptionTypeError,
           "tz: participant 1: each time zone is text"),
    "starts": ({"starts": ["2027-01-04", None]}, regimens.ExpandOptionTypeError,
               "starts[1]: not a calendar date; write YYYY-MM-DD, e.g. 2027-01-04"),
    "weights": ({"weights": [70, None]}, regimens.ParticipantError,
                "weights: give one plain number per participant, in kg (a 1-dimensional "
                "array or sequence)"),
    "heights": ({"heights": [170, None]}, regimens.ParticipantError,
                "heights: give one plain number per participant, in cm (a 1-dimensional "
                "array or sequence)"),
    "bsas": ({"bsas": [1.8, None]}, regimens.ParticipantError,
             "bsas: give one plain number per participant, in m2 (a 1-dimensional array or "
             "sequence)"),
}


@pytest.mark.parametrize(("options", "error", "message"), NONE_IN_A_LIST.values(),
                         ids=list(NONE_IN_A_LIST))
def test_none_in_a_per_participant_list_is_refused_by_name(
        options: dict[str, Any], error: type[Exception], message: str) -> None:
    arguments: dict[str, Any] = {"arm": "a", "starts": ["2027-01-04", "2027-01-05"],
                                 **options}
    with pytest.raises(regimens.RegimenError) as caught:
        expand_cohort(load(RUN_IN), **arguments)
    assert type(caught.value) is error
    assert str(caught.value) == message


VISIT_ANCHORS = """\
format: regimens/1
id: anchors
title: Anchors
drugs: {d: {name: drug D, route: intravenous}}
arms: {a: {label: A}}
periods:
  - id: p
    length: 4-8 weeks
    courses:
      - {id: c1, drug: d, dose: 1 mg, cycle: 14 days, days: [1, 2], duration: 30 minutes,
         method: infusion}
visits:
  - {id: v, period: p, every: 2 weeks}
  - {id: w, after_last: d, offset: 7 days}
  - {id: k, course: c1, cycle: 2, day: 1, window: 1 day}
"""


def test_visit_anchors_and_descriptive_course_fields_equal_expand() -> None:
    regimen = regimens.loads(VISIT_ANCHORS)
    starts = ["2027-01-04", "2027-01-05"]
    lengths = ["4 weeks", "8 weeks"]
    cohort = expand_cohort(regimen, "a", starts, lengths={"p": lengths})
    columns = cohort.to_numpy()
    visits = cohort.visits().to_pylist()
    for i in range(2):
        schedule = _expand(regimen, "a", starts[i], lengths={"p": lengths[i]})
        assert_same_rows(cohort, columns, i, schedule)
        assert [(v["visit"], v["date"], v["earliest"], v["latest"]) for v in visits
                if v["participant"] == i] == [(v.id, v.date, v.earliest, v.latest)
                                               for v in schedule.visits]
    # 4 weeks: visits every 2 weeks on Day 15 only (Day 29 is past the end); cycle 2 of c1
    # starts on Day 15 (4 January + 14 = 18 January), with a 1-day window.
    first = [v for v in visits if v["participant"] == 0]
    assert ("v-1", dt.date(2027, 1, 18)) in [(v["visit"], v["date"]) for v in first]
    assert ("v-2", dt.date(2027, 2, 1)) not in [(v["visit"], v["date"]) for v in first]
    k = next(v for v in first if v["visit"] == "k")
    assert (k["earliest"], k["latest"]) == (dt.date(2027, 1, 17), dt.date(2027, 1, 19))


def test_elapsed_hour_intervals_are_refused() -> None:
    # expand places them as elapsed time (a clock change moves local times, dates and
    # order) and warns for every participant without a zone: not reproduced yet.
    regimen = load("""\
        periods:
          - id: t
            length: 4 days
            courses:
              - {drug: il2, dose: 1 MIU, every: 8 hours, at: "06:00"}
        """)
    with pytest.raises(regimens.ExpandOptionError) as caught:
        expand_cohort(regimen, "a", ["2027-01-04"])
    assert str(caught.value) == (
        "regimen: the batch API cannot expand a HoursPattern yet (at "
        "periods[0].courses[0].pattern); expand these participants one by one with "
        "Regimen.expand")


def test_day_zero_protocols_equal_expand() -> None:
    from support import EXAMPLES

    regimen = regimens.load(EXAMPLES / "car-t-day-zero.yaml")
    arm = regimen.arms[0].id
    starts = ["2027-03-01", "2027-03-02", "2027-03-07"]
    cohort = expand_cohort(regimen, arm, starts, weights=[70, 82.5, 64],
                           heights=[175, 181, 160])
    columns = cohort.to_numpy()
    assert 0 in columns["study_day"]
    visits = cohort.visits().to_pylist()
    for i, start in enumerate(starts):
        participant = regimens.Participant(weight=f"{[70, 82.5, 64][i]} kg",
                                           height=f"{[175, 181, 160][i]} cm")
        schedule = _expand(regimen, arm, start, participant=participant)
        assert_same_rows(cohort, columns, i, schedule)
        assert [(v["visit"], v["study_day"], v["date"]) for v in visits
                if v["participant"] == i] == [(v.id, v.study_day.value, v.date)
                                               for v in schedule.visits]
    # Day 0 is the start date itself.
    first = cohort.rows_of(0)
    zero = columns["study_day"][first] == 0
    assert set(columns["date"][first][zero].tolist()) <= {dt.date(2027, 3, 1)}


@pytest.mark.parametrize("name", ["xelox.yaml", "gemcitabine-weekly.yaml", "imodals.yaml"])
def test_examples_equal_expand(name: str) -> None:
    from support import EXAMPLES

    regimen = regimens.load(EXAMPLES / name)
    starts = ["2027-01-04", "2027-01-06", "2027-02-13"]
    weights, heights = [70.0, 58.5, 91.0], [175.0, 160.0, 188.0]
    for arm in [a.id for a in regimen.arms]:
        cohort = expand_cohort(regimen, arm, starts, weights=weights, heights=heights)
        columns = cohort.to_numpy()
        for i, start in enumerate(starts):
            participant = regimens.Participant(weight=f"{weights[i]!r} kg",
                                               height=f"{heights[i]!r} cm")
            schedule = _expand(regimen, arm, start, participant=participant)
            assert_same_rows(cohort, columns, i, schedule)
            assert cohort.warnings_of(i) == tuple(str(w) for w in schedule.warnings)


def test_record_policy_keys_cumulative_limits_and_dose_levels_equal_expand() -> None:
    """The record policy is read only when a record is replayed; dose levels only when a
    level is asked (the batch API expands level 0); a drug's max_cumulative makes expand
    warn, per participant, when the plan crosses it. The batch equals expand with them or
    without them, rows and warnings."""
    regimen = load("""\
        on_delay: keep
        max_delay: 14 days
        redose: {weight_change: 10%}
        periods:
          - id: t
            length: 8 weeks
            courses:
              - {drug: il2, dose: 1 MIU, cycle: 14 days, days: [1, 2], missed: make_up,
                 re_escalate: true}
        """)
    starts = ["2027-01-04", "2027-01-05"]
    cohort = expand_cohort(regimen, "a", starts)
    columns = cohort.to_numpy()
    for i, start in enumerate(starts):
        assert_same_rows(cohort, columns, i, _expand(regimen, "a", start))
    # A limit the plan crosses (8 administrations of 1 MIU against 6 MIU) and levels.
    limited = regimens.loads(regimens.dumps(regimen).replace(
        "name: aldesleukin,", "name: aldesleukin, max_cumulative: 6 MIU, levels: {-1: 50%},"))
    assert limited.drug("il2").max_cumulative is not None
    assert limited.periods[0].courses[0].levels
    assert unsupported(limited) is None
    cohort = expand_cohort(limited, "a", starts)
    columns = cohort.to_numpy()
    for i, start in enumerate(starts):
        schedule = _expand(limited, "a", start)
        assert len(schedule.warnings) == 1
        assert_same_rows(cohort, columns, i, schedule)
        assert cohort.warnings_of(i) == tuple(str(w) for w in schedule.warnings)
    assert [str(a) for a in columns["amount"][cohort.rows_of(0)]] == ["1.0"] * 8


def test_a_cumulative_limit_warns_per_participant_as_expand_does() -> None:
    """8 administrations of 1 MIU against 6 MIU: the 7th, on Day 43 (cycle 4, day 1),
    would bring 7 MIU after 6: from 2027-01-04 that is 2027-01-04 + 42 days = 2027-02-15,
    from 2027-01-05 it is 2027-02-16. The batch says it per participant, in expand's
    words, in the warnings column."""
    regimen = load("""\
        periods:
          - id: t
            length: 8 weeks
            courses:
              - {drug: il2, dose: 1 MIU, cycle: 14 days, days: [1, 2]}
        """)
    limited = regimens.loads(regimens.dumps(regimen).replace(
        "name: aldesleukin,", "name: aldesleukin, max_cumulative: 6 MIU,"))

    def said(day: str) -> str:
        return (f"il2 (aldesleukin): the administration planned on {day} (cycle 4, day 1) "
                "would bring the cumulative dose to 7 million units, above max_cumulative "
                "6 million units (6 million units before it); review before giving it")

    with pytest.warns(regimens.CumulativeDoseWarning) as caught:
        limited.expand("a", "2027-01-04")
    assert [str(w.message) for w in caught] == [said("2027-02-15")]
    assert unsupported(limited) is None
    cohort = expand_cohort(limited, "a", ["2027-01-04", "2027-01-05"])
    assert cohort.warnings_of(0) == (said("2027-02-15"),)
    assert cohort.warnings_of(1) == (said("2027-02-16"),)
    table = cohort.participant_table()
    assert table.column("warnings").to_pylist() == [[said("2027-02-15")],
                                                    [said("2027-02-16")]]
    # 6 MIU exactly is not above the limit: 6 administrations (3 cycles) warn nothing.
    short = regimens.loads(regimens.dumps(limited).replace("8 weeks", "6 weeks"))
    assert len(_expand(short, "a", "2027-01-04").administrations) == 6
    assert expand_cohort(short, "a", ["2027-01-04"]).warnings_of(0) == ()


LIMITS = """\
format: regimens/1
id: limits
title: Limits
drugs:
  dox: {name: doxorubicin, route: intravenous, max_cumulative: 450 mg/m2}
  mtx: {name: methotrexate, route: intravenous, max_cumulative: 15000 mg}
  pred: {name: prednisone, route: oral, max_cumulative: 30 mg/kg}
  eto: {name: etoposide, route: intravenous, max_cumulative: 500 mg/m2}
  cap: {name: capecitabine, route: oral}
arms:
  a: {label: A}
  b: {label: B}
periods:
  - id: t
    length: 24 weeks
    courses:
      - {drug: dox, dose: 60 mg/m2, cycle: 21 days, cycles: 8, days: [1]}
      - {drug: mtx, dose: 10 mg/kg, cycle: 21 days, cycles: 8, days: 1-3}
      - {drug: pred, dose: 100 mg, cycle: 21 days, cycles: 8, days: 1-5}
      - {drug: eto, arms: [a], dose: 100 mg, cycle: 21 days, cycles: 8, days: [1]}
      - {drug: eto, arms: [b], placebo: true, cycle: 21 days, cycles: 8, days: [1]}
      - {drug: cap, dose: 1000 mg/m2, cycle: 21 days, cycles: 8, days: 1-14}
"""


def test_cumulative_limits_per_kg_per_m2_and_flat_equal_expand_on_a_sample() -> None:
    """Per-m2 (dox: 8 x 60 mg/m2 = 480 > 450, everyone), flat over per-kg doses (mtx:
    24 x 10 mg/kg passes 15000 mg above 62.5 kg only), per-kg over flat doses (pred: 40 x
    100 mg = 4000 mg passes 30 mg/kg below 133.3 kg only), per-m2 over flat doses (eto: 8
    x 100 mg = 800 mg passes 500 mg/m2 below 1.6 m2 only; placebo in arm b counts
    nothing), a drug without a limit (cap): every participant's warnings are expand's."""
    regimen = regimens.loads(LIMITS)
    starts = ["2027-01-04", "2027-01-06", "2027-02-13", "2027-03-01", "2027-01-04",
              "2027-05-30"]
    arms = ["a", "a", "b", "a", "a", "b"]
    weights = [70.0, 50.0, 150.0, 58.5, 91.0, 70.0]
    heights = [175.0, 160.0, 190.0, 150.0, 188.0, 175.0]
    cohort = expand_cohort(regimen, arms, starts, weights=weights, heights=heights)
    columns = cohort.to_numpy()
    seen: set[str] = set()
    for i, start in enumerate(starts):
        participant = regimens.Participant(weight=f"{weights[i]!r} kg",
                                           height=f"{heights[i]!r} cm")
        schedule = _expand(regimen, arms[i], start, participant=participant)
        assert_same_rows(cohort, columns, i, schedule)
        assert cohort.warnings_of(i) == tuple(str(w) for w in schedule.warnings)
        seen.update(str(w).split(" ")[0] for w in schedule.warnings
                    if isinstance(w, regimens.CumulativeDoseWarning))
    assert seen == {"dox", "mtx", "pred", "eto"}
    # Participant 1 (50 kg, 160 cm): mtx 24 x 500 mg = 12000 mg and pred 4000/50 = 80
    # mg/kg: pred crosses, mtx does not.
    assert [w.split(" ")[0] for w in cohort.warnings_of(1)][:3] == ["dox", "pred", "eto"]
    # Participant 2 (150 kg, arm b): pred 4000/150 = 26.7 mg/kg passes; eto is placebo.
    assert [w.split(" ")[0] for w in cohort.warnings_of(2)] == ["dox", "mtx"]


def test_a_limit_without_the_body_size_is_said_not_checked_as_expand_does() -> None:
    """Without heights, the per-m2 limit of flat etoposide doses cannot be added up (no
    BSA): expand says it is not checked, and so does the batch; the per-kg limit of
    prednisone is checked from the weight (4000 mg / 70 kg = 57.1 > 30 mg/kg)."""
    regimen = regimens.loads(LIMITS.replace("dose: 60 mg/m2", "dose: 100 mg").replace(
        "dose: 1000 mg/m2", "dose: 1000 mg"))
    cohort = expand_cohort(regimen, "a", ["2027-01-04"], weights=[70.0])
    schedule = _expand(regimen, "a", "2027-01-04",
                       participant=regimens.Participant(weight="70.0 kg"))
    texts = tuple(str(w) for w in schedule.warnings)
    assert ("eto (etoposide): max_cumulative 500 mg per m² is not checked: it adds up doses "
            "per m² and the participant's body surface area is not given") in texts
    assert cohort.warnings_of(0) == texts


@pytest.mark.parametrize(("body", "where", "what"), [
    ("periods:\n  - id: t\n    length: 6 months\n    courses:\n"
     "      - {drug: il2, dose: 1 MIU, days: 1}\n",
     "periods[0].length.months", "'months' (LengthRange)"),
    ("periods:\n  - id: t\n    length: 26 weeks\n    courses:\n"
     "      - {drug: il2, dose: 1 MIU, every: 1 month}\n",
     "periods[0].courses[0].pattern", "a MonthsPattern"),
    ("periods:\n  - id: t\n    length: 26 weeks\n    courses:\n"
     "      - {drug: il2, dose: 1 MIU, cycle: 1 month, days: 1}\n",
     "periods[0].courses[0].cycle", "a Months"),
    ("periods:\n  - id: t\n    length: 26 weeks\n    courses:\n"
     "      - {drug: il2, dose: 1 MIU, days: 1}\nvisits:\n  - {id: m3, month: 3}\n",
     "visits[0].anchor", "a MonthAnchor"),
])
def test_calendar_months_are_refused_by_name(body: str, where: str, what: str) -> None:
    # A layout in calendar months depends on the start date, not only on its weekday: one
    # template per group of starts would give every member the first one's dates.
    with pytest.raises(regimens.ExpandOptionError) as caught:
        expand_cohort(load(body), "a", ["2027-01-31", "2027-02-28"])
    assert str(caught.value) == (
        f"regimen: the batch API cannot expand {what} yet (at {where}); expand these "
        "participants one by one with Regimen.expand")
