"""The engine, construct by construct; every number is worked out by hand in a comment."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
from decimal import Decimal

import pytest

import regimens
from regimens import (
    DoseError,
    ExpandOptionError,
    MissingMeasurementError,
    Participant,
    ParticipantError,
    RegimenWarning,
    RoundingWarning,
    TimeShiftWarning,
)
from support import HEAD, dates, days, expand, load

KG70 = Participant(weight="70 kg")


def one(course: str, length: str = "4 weeks") -> str:
    return f"periods:\n  - id: t\n    length: {length}\n    courses:\n      - {{{course}}}\n"


# Study Day 1 is Monday 2027-01-04 throughout (2027-01-01 is a Friday).
PATTERNS = [
    ("days-list", one("drug: pred, dose: 1 mg, days: [1, 8, 15]"), None, [1, 8, 15]),
    ("days-range", one("drug: pred, dose: 1 mg, days: 2-4"), None, [2, 3, 4]),
    ("days-mixed", one("drug: pred, dose: 1 mg, days: [1-2, 10]"), None, [1, 2, 10]),
    ("every-count", one("drug: pred, dose: 1 mg, every: 1 week, count: 2"), None, [1, 8]),
    ("every-to-end", one("drug: pred, dose: 1 mg, every: 7 days"), None, [1, 8, 15, 22]),
    ("every-3-days", one("drug: pred, dose: 1 mg, every: 3 days", "10 days"), None,
     [1, 4, 7, 10]),
    ("daily", one("drug: pred, dose: 1 mg, daily: true", "10 days"), None, list(range(1, 11))),
    # Mon 4, Wed 6, Fri 8, Mon 11, Wed 13, Fri 15 January.
    ("weekdays-mwf", one("drug: pred, dose: 1 mg, weekdays: [mon, wed, fri]", "2 weeks"), None,
     [1, 3, 5, 8, 10, 12]),
    ("weekdays-order-free", one("drug: pred, dose: 1 mg, weekdays: [fri, mon, wed]", "2 weeks"),
     None, [1, 3, 5, 8, 10, 12]),
    ("weekdays-sun", one("drug: pred, dose: 1 mg, weekdays: [sun]", "2 weeks"), None, [7, 14]),
    ("start", one("drug: pred, dose: 1 mg, start: 8, days: 1-3"), None, [8, 9, 10]),
    ("start-for", one("drug: pred, dose: 1 mg, start: 8, for: 1 week, daily: true"), None,
     list(range(8, 15))),
    ("for-every", one("drug: pred, dose: 1 mg, for: 15 days, every: 1 week"), None, [1, 8, 15]),
    # 21-day cycles in 70 days: cycles start on 1, 22, 43, 64; the 4th has only 7 days, so its
    # day 8 (Study Day 71) is cut at the end of the period.
    ("cycles-omitted", one("drug: pred, dose: 1 mg, cycle: 21 days, days: [1, 8]", "10 weeks"),
     None, [1, 8, 22, 29, 43, 50, 64]),
    ("cycles-given", one("drug: pred, dose: 1 mg, cycle: 1 week, cycles: 2, days: [1, 7]"),
     None, [1, 7, 8, 14]),
    # Start day 2, 27 days left, 10-day cycles: windows 2-11, 12-21, 22-28 (7 days).
    ("cycles-every", one("drug: pred, dose: 1 mg, start: 2, cycle: 10 days, every: 3 days"),
     None, [2, 5, 8, 11, 12, 15, 18, 21, 22, 25, 28]),
    ("cycle-weekdays", one("drug: pred, dose: 1 mg, cycle: 2 weeks, cycles: 1, weekdays: [tue]"),
     None, [2, 9]),
]


@pytest.mark.parametrize(("body", "participant", "expected"), [c[1:] for c in PATTERNS],
                         ids=[c[0] for c in PATTERNS])
def test_pattern_days(body: str, participant: Participant | None, expected: list[int]) -> None:
    assert days(expand(body, participant=participant)) == expected


def test_cycle_numbers_and_cycle_days() -> None:
    s = expand(one("drug: pred, dose: 1 mg, cycle: 21 days, days: [1, 8]", "10 weeks"))
    assert [(a.cycle, a.cycle_day) for a in s.administrations] == [
        (1, 1), (1, 8), (2, 1), (2, 8), (3, 1), (3, 8), (4, 1)]


def test_weekdays_follow_the_start_weekday() -> None:
    # Study Day 1 on Wednesday 2027-01-06: Wed 1, Fri 3, Mon 6, Wed 8, Fri 10, Mon 13.
    s = expand(one("drug: pred, dose: 1 mg, weekdays: [mon, wed, fri]", "2 weeks"),
               start="2027-01-06")
    assert days(s) == [1, 3, 6, 8, 10, 13]
    assert {a.date.weekday() for a in s.administrations} == {0, 2, 4}


def test_dates_of_a_days_list() -> None:
    s = expand(one("drug: pred, dose: 1 mg, days: [1, 8, 15]"))
    assert dates(s) == ["2027-01-04", "2027-01-11", "2027-01-18"]


def test_times_sorted_and_repeated_per_day() -> None:
    s = expand(one("drug: pred, dose: 1 mg, days: [1, 8], times: ['20:00', '08:00']", "3 weeks"))
    assert [(a.study_day.value, a.time.isoformat() if a.time else None, a.at)
            for a in s.administrations] == [
        (1, "08:00:00", None), (1, "20:00:00", None), (8, "08:00:00", None),
        (8, "20:00:00", None)]


TREG_OLE = """\
periods:
  - id: ole
    length: 24 weeks
    courses:
      - drug: treg
        cycle: 4 weeks
        days: [1]
        steps:
          - {dose: 1e6 cells/kg, cycles: 2}
          - {dose: 2e6 cells/kg, cycles: 2}
          - {dose: 3e6 cells/kg, cycles: 2}
"""


def test_treg_ole_steps_by_cycles() -> None:
    s = expand(TREG_OLE, participant=KG70)
    # Day 1 of six 28-day cycles: 1, 29, 57, 85, 113, 141.
    assert days(s) == [1, 29, 57, 85, 113, 141]
    assert dates(s) == ["2027-01-04", "2027-02-01", "2027-03-01", "2027-03-29", "2027-04-26",
                        "2027-05-24"]
    # 1, 1, 2, 2, 3, 3 million cells per kg x 70 kg.
    assert [a.amount for a in s.administrations] == [
        "70000000", "70000000", "140000000", "140000000", "210000000", "210000000"]
    assert {a.unit for a in s.administrations} == {"cells"}
    assert [a.dose.text for a in s.administrations] == [
        "70 million cells", "70 million cells", "140 million cells", "140 million cells",
        "210 million cells", "210 million cells"]
    assert [a.step for a in s.administrations] == [0, 0, 1, 1, 2, 2]
    assert [a.cycle for a in s.administrations] == [1, 2, 3, 4, 5, 6]
    assert s.administrations[2].dose.derivation == (
        "2 million cells per kg × 70 kg = 140 million cells")


def test_steps_by_administrations() -> None:
    body = ("periods:\n  - id: t\n    length: 1 week\n    courses:\n      - drug: pred\n"
            "        days: 1-5\n        steps:\n          - {dose: 1 mg, administrations: 2}\n"
            "          - {dose: 2 mg, administrations: 3}\n")
    s = expand(body)
    assert [(a.study_day.value, a.amount, a.step) for a in s.administrations] == [
        (1, "1", 0), (2, "1", 0), (3, "2", 1), (4, "2", 1), (5, "2", 1)]


def test_steps_by_administrations_not_covering_fail_at_expand() -> None:
    body = ("periods:\n  - id: t\n    length: 1 week\n    courses:\n      - drug: pred\n"
            "        days: 1-5\n        steps:\n          - {dose: 1 mg, administrations: 2}\n")
    with pytest.raises(regimens.InvalidRegimenError) as info:
        expand(body)
    assert [str(p) for p in info.value.problems] == [
        "r.yaml:17: periods[0].courses[0].steps: the steps cover 2 administrations but the "
        "course gives 5"]


PREDNISONE_TAPER = """\
periods:
  - id: t
    length: 4 weeks
    courses:
      - drug: pred
        steps:
          - {dose: 60 mg, days: 2-7}
          - {dose: 40 mg, days: 8-14}
          - {dose: 20 mg, days: 15-21}
          - {dose: 10 mg, days: 22-28}
"""


def test_prednisone_day_step_taper() -> None:
    s = expand(PREDNISONE_TAPER)
    # 6 + 7 + 7 + 7 = 27 doses; 6x60 + 7x40 + 7x20 + 7x10 = 360 + 280 + 140 + 70 = 850 mg.
    assert len(s.administrations) == 27
    assert days(s) == list(range(2, 29))
    assert sum(Decimal(a.amount or 0) for a in s.administrations) == 850
    by_day = {a.study_day.value: (a.amount, a.step) for a in s.administrations}
    assert by_day[2] == ("60", 0)
    assert by_day[7] == ("60", 0)
    assert by_day[8] == ("40", 1)
    assert by_day[21] == ("20", 2)
    assert by_day[28] == ("10", 3)


def test_placebo_and_unspecified() -> None:
    body = ("periods:\n  - id: t\n    length: 1 week\n    courses:\n"
            "      - {drug: il2, placebo: true, days: [1]}\n"
            "      - {drug: pred, dose: unspecified, dose_note: titrated to trough level, "
            "days: [2]}\n")
    a, b = expand(body).administrations
    assert (a.placebo, a.dose.amount, a.amount, a.unit, a.dose.text, a.dose.derivation) == (
        True, None, None, None, "placebo", "matching placebo (no active drug)")
    assert (b.placebo, b.amount, b.dose.text, b.dose.derivation, b.note) == (
        False, None, "dose not stated in the regimen",
        "dose not stated in the regimen: titrated to trough level", "titrated to trough level")


def test_flat_dose_text_and_route() -> None:
    head = HEAD.replace("route: subcutaneous", "route: SC")
    s = regimens.loads(head + one("drug: il2, dose: 1 MIU, days: [1]"))
    (a,) = s.expand("a", "2027-01-04").administrations
    assert (a.dose.text, a.dose.derivation, a.amount, a.unit, a.route, a.drug_name) == (
        "1 million units", "1 million units (flat dose)", "1", "MIU", "subcutaneous",
        "aldesleukin")


def test_not_on_same_day_exclusion() -> None:
    body = ("periods:\n  - id: t\n    length: 1 week\n    courses:\n"
            "      - {drug: pred, dose: 1 mg, daily: true, not_on: [il2]}\n"
            "      - {drug: il2, dose: 1 MIU, days: [2, 4]}\n")
    s = expand(body)
    assert days(s, "pred") == [1, 3, 5, 6, 7]
    assert days(s, "il2") == [2, 4]
    assert days(s) == [1, 2, 3, 4, 5, 6, 7]


RUN_IN = """\
day_one: treatment
periods:
  - id: run-in
    length: 2 weeks
    courses:
      - {drug: pred, dose: 1 mg, every: 1 week}
  - id: treatment
    length: 2 weeks
    courses:
      - {drug: il2, dose: 1 MIU, days: [1, 8]}
"""


def test_day_one_on_a_later_period() -> None:
    s = expand(RUN_IN)
    assert days(s) == [-14, -7, 1, 8]
    assert 0 not in days(s)
    assert dates(s) == ["2026-12-21", "2026-12-28", "2027-01-04", "2027-01-11"]
    assert [(p.id, p.first_day.value, p.last_day.value, p.first_date.isoformat(),
             p.last_date.isoformat()) for p in s.periods] == [
        ("run-in", -14, -1, "2026-12-21", "2027-01-03"),
        ("treatment", 1, 14, "2027-01-04", "2027-01-17")]


VARIABLE = """\
periods:
  - id: run-in
    length: 2-4 weeks
    courses:
      - {drug: pred, dose: 1 mg, every: 1 week}
  - id: treatment
    length: 1 week
    courses:
      - {drug: il2, dose: 1 MIU, days: [1]}
"""


@pytest.mark.parametrize(
    ("lengths", "pred", "il2"),
    [
        (None, [1, 8], [15]),  # the shortest length by default
        ({"run-in": "3 weeks"}, [1, 8, 15], [22]),
        ({"run-in": "4 weeks"}, [1, 8, 15, 22], [29]),
        ({"run-in": "20 days"}, [1, 8, 15], [21]),
        ({"treatment": "1 week"}, [1, 8], [15]),  # a fixed length may be restated
    ],
)
def test_variable_length_period(lengths: dict[str, str] | None, pred: list[int],
                                il2: list[int]) -> None:
    s = expand(VARIABLE, lengths=lengths)
    assert days(s, "pred") == pred
    assert days(s, "il2") == il2


@pytest.mark.parametrize(
    ("lengths", "message"),
    [
        ({"run-in": "5 weeks"}, "lengths.run-in: must be within 2-4 weeks (14-28 days) "
                                "(got '5 weeks')"),
        ({"run-in": "13 days"}, "lengths.run-in: must be within 2-4 weeks (14-28 days) "
                                "(got '13 days')"),
        ({"nope": "1 week"}, "lengths: arm 'a' has no period 'nope' (its periods: run-in, "
                             "treatment) (got 'nope')"),
        ({"treatment": "2 weeks"}, "lengths.treatment: this period has a fixed length of "
                                   "1 week (got '2 weeks')"),
        ({"run-in": "1 month"}, "lengths.run-in: 'month' is ambiguous as a length (a month is "
                                "28 to 31 days); write weeks or days, e.g. '12 weeks' or "
                                "'84 days' (got '1 month')"),
    ],
    ids=["too-long", "too-short", "unknown-period", "fixed-period", "months"],
)
def test_length_option_errors(lengths: dict[str, str], message: str) -> None:
    with pytest.raises(ExpandOptionError) as info:
        expand(VARIABLE, lengths=lengths)
    assert str(info.value) == message


PATH_HEAD = HEAD.replace("  b: {label: B}\n", "  b: {label: B, periods: [screen, ext]}\n")
PATH = """\
periods:
  - id: screen
    length: 1 week
  - id: main
    length: 2 weeks
    courses:
      - {drug: il2, dose: 1 MIU, days: [1]}
  - id: ext
    length: 1 week
    courses:
      - {drug: pred, dose: 1 mg, days: [1]}
visits:
  - {id: d1, day: 1}
  - {id: w2, week: 2, window: 3 days}
  - {id: ext-s, period: ext, at: start, window: {before: 2 days}}
  - {id: ext-e, period: ext, at: end, window: {after: 1 week}}
  - {id: main3, period: main, day: 3, arms: [a]}
  - {id: neg, day: -2}
"""


def _visits(arm: str) -> list[tuple[str, int, str, str, str, str | None]]:
    s = load(PATH, PATH_HEAD).expand(arm, "2027-01-04")
    return [(v.id, v.study_day.value, v.date.isoformat(), v.earliest.isoformat(),
             v.latest.isoformat(), v.period) for v in s.visits]


def test_arm_path_and_visits_full_path() -> None:
    # screen Days 1-7, main 8-21, ext 22-28; week 2 is Day 7x2+1 = 15.
    s = load(PATH, PATH_HEAD).expand("a", "2027-01-04")
    assert [(a.study_day.value, a.drug, a.period) for a in s.administrations] == [
        (8, "il2", "main"), (22, "pred", "ext")]
    assert _visits("a") == [
        ("neg", -2, "2027-01-02", "2027-01-02", "2027-01-02", None),
        ("d1", 1, "2027-01-04", "2027-01-04", "2027-01-04", "screen"),
        ("main3", 10, "2027-01-13", "2027-01-13", "2027-01-13", "main"),
        ("w2", 15, "2027-01-18", "2027-01-15", "2027-01-21", "main"),
        ("ext-s", 22, "2027-01-25", "2027-01-23", "2027-01-25", "ext"),
        ("ext-e", 28, "2027-01-31", "2027-01-31", "2027-02-07", "ext"),
    ]


def test_arm_path_skipping_a_period() -> None:
    # Arm b: screen Days 1-7, ext 8-14; main is not on its path, nor is visit main3.
    s = load(PATH, PATH_HEAD).expand("b", "2027-01-04")
    assert [(a.study_day.value, a.drug, a.period) for a in s.administrations] == [
        (8, "pred", "ext")]
    assert [p.id for p in s.periods] == ["screen", "ext"]
    assert _visits("b") == [
        ("neg", -2, "2027-01-02", "2027-01-02", "2027-01-02", None),
        ("d1", 1, "2027-01-04", "2027-01-04", "2027-01-04", "screen"),
        ("ext-s", 8, "2027-01-11", "2027-01-09", "2027-01-11", "ext"),
        ("ext-e", 14, "2027-01-17", "2027-01-17", "2027-01-24", "ext"),
        ("w2", 15, "2027-01-18", "2027-01-15", "2027-01-21", None),
    ]


@pytest.mark.parametrize(("week", "day"), [(0, 1), (1, 8), (4, 29), (12, 85), (26, 183)])
def test_week_is_day_7n_plus_1(week: int, day: int) -> None:
    body = f"periods:\n  - id: t\n    length: 30 weeks\nvisits:\n  - {{id: v, week: {week}}}\n"
    (v,) = expand(body).visits
    assert v.study_day.value == day


# Per-m2 doses: 2e5 IU/m2; Mosteller BSA for 175 cm / 70 kg is 1.8447 m², used as 1.84.
PER_M2 = one("drug: il2, dose: 2e5 IU/m2, days: [1]")


@pytest.mark.parametrize(
    ("participant", "options", "amount", "text", "derivation"),
    [
        (Participant(weight="70 kg", height="175 cm"), {}, "368000", "368,000 units",
         "200,000 units per m² × 1.84 m² (Mosteller from 175 cm and 70 kg: 1.8447 m², rounded "
         "to 2 decimals) = 368,000 units"),
        (Participant(bsa="1.8 m2"), {}, "360000", "360,000 units",
         "200,000 units per m² × 1.8 m² (body surface area given) = 360,000 units"),
        # DuBois 1.8481 -> 1.85 -> 370,000 units.
        (Participant(weight="70 kg", height="175 cm"), {"bsa_formula": "dubois"}, "370000",
         "370,000 units",
         "200,000 units per m² × 1.85 m² (DuBois from 175 cm and 70 kg: 1.8481 m², rounded "
         "to 2 decimals) = 370,000 units"),
        # 3 decimals: 1.845 m² -> 369,000 units.
        (Participant(weight="70 kg", height="175 cm"), {"bsa_decimals": 3}, "369000",
         "369,000 units",
         "200,000 units per m² × 1.845 m² (Mosteller from 175 cm and 70 kg: 1.8447 m², rounded "
         "to 3 decimals) = 369,000 units"),
        # 1.75 m is 175 cm: the same dose, with the unit given echoed.
        (Participant(weight="70 kg", height="1.75 m"), {}, "368000", "368,000 units",
         "200,000 units per m² × 1.84 m² (Mosteller from 175 cm (from 1.75 m) and 70 kg: "
         "1.8447 m², rounded to 2 decimals) = 368,000 units"),
    ],
    ids=["mosteller", "bsa-given", "dubois", "3-decimals", "height-in-m"],
)
def test_per_m2_dose(participant: Participant, options: dict[str, object], amount: str,
                     text: str, derivation: str) -> None:
    (a,) = expand(PER_M2, participant=participant, **options).administrations
    assert (a.amount, a.unit, a.dose.text, a.dose.derivation) == (amount, "IU", text, derivation)


def test_per_kg_dose_from_pounds() -> None:
    # 154 lb = 69.85322498 kg exactly.
    (a,) = expand(one("drug: pred, dose: 1 mg/kg, days: [1]"),
                  participant=Participant(weight="154 lb")).administrations
    assert a.amount == "69.85322498"
    assert a.dose.derivation == "1 mg per kg × 69.85322498 kg (from 154 lb) = 69.85322498 mg"


CAPPED = "drug: pred, dose: 1 mg/kg, {extra}, days: [1]"


@pytest.mark.parametrize(
    ("extra", "weight", "amount", "derivation_end", "warned"),
    [
        ("max: 60 mg", "80 kg", "60", "= 80 mg, capped at the maximum of 60 mg", False),
        ("max: 60 mg", "60 kg", "60", "= 60 mg", False),
        ("max: 60 mg", "59 kg", "59", "= 59 mg", False),
        ("max: 0.06 g", "80 kg", "60", "capped at the maximum of 0.06 g", False),
        # 62.5 mg: 12.5 multiples of 5 mg, halves up -> 13 -> 65 mg (4%).
        ("round: 5 mg", "62.5 kg", "65",
         "= 62.5 mg, rounded to the nearest multiple of 5 mg = 65 mg", False),
        ("round: 5 mg, rounding: down", "64.9 kg", "60",
         "rounded down to a multiple of 5 mg = 60 mg", False),
        ("round: 5 mg, rounding: up", "60.1 kg", "65",
         "rounded up to a multiple of 5 mg = 65 mg", False),
        # Rounded up to 65, then the cap of 62 wins: a cap is never exceeded.
        ("round: 5 mg, rounding: up, max: 62 mg", "61 kg", "62",
         "= 61 mg, rounded up to a multiple of 5 mg = 65 mg, capped at the maximum of 62 mg",
         False),
        # 70 mg -> 50 mg moves the dose by 28.6%.
        ("round: 50 mg", "70 kg", "50",
         "= 70 mg, rounded to the nearest multiple of 50 mg = 50 mg", True),
        # Exactly 10% (50 -> 55 mg) is not over 10%; 49.9 -> 55 (10.2%) is.
        ("round: 55 mg", "50 kg", "55", "= 55 mg", False),
        ("round: 55 mg", "49.9 kg", "55", "= 55 mg", True),
    ],
)
def test_caps_and_rounding(extra: str, weight: str, amount: str, derivation_end: str,
                           warned: bool) -> None:
    s = expand(one(CAPPED.format(extra=extra)), participant=Participant(weight=weight))
    (a,) = s.administrations
    assert a.amount == amount
    assert a.dose.derivation.endswith(derivation_end)
    assert any(isinstance(w, RoundingWarning) for w in s.warnings) is warned


def test_rounding_warning_text() -> None:
    s = expand(one(CAPPED.format(extra="round: 50 mg")), participant=KG70)
    assert [str(w) for w in s.warnings] == [
        "rounding to a multiple of 50 mg moves the dose from 70 mg to 50 mg (more than 10%); "
        "use a smaller 'round' increment"]


@pytest.mark.parametrize("rounding", ["down", "nearest"])
def test_rounding_to_nothing_is_an_error(rounding: str) -> None:
    # 30 mg rounds down to 0 x 50 mg; 20 mg (0.4 x 50 mg) rounds to the nearest as 0 x 50 mg.
    weight = "30 kg" if rounding == "down" else "20 kg"
    with pytest.raises(DoseError) as caught:
        expand(one(CAPPED.format(extra=f"round: 50 mg, rounding: {rounding}")),
               participant=Participant(weight=weight))
    computed = "30 mg" if rounding == "down" else "20 mg"
    mode = "down to a" if rounding == "down" else "to the nearest"
    # Located at the course's dose field: line 15 of the document (HEAD is 10 lines).
    assert (caught.value.file, caught.value.line) == ("r.yaml", 15)
    assert caught.value.loc == ("periods", 0, "courses", 0, "dose")
    assert str(caught.value) == (
        f"r.yaml:15: periods[0].courses[0].dose: 1 mg per kg gives {computed}, which rounds "
        f"{mode} multiple of 50 mg as 0; use a smaller 'round' increment")


def test_rounding_up_never_gives_zero() -> None:
    s = expand(one(CAPPED.format(extra="round: 50 mg, rounding: up")),
               participant=Participant(weight="30 kg"))
    (a,) = s.administrations
    assert a.amount == "50"


# The dose that needs the measurement, in the file: HEAD is 10 lines, one() puts the course
# on the 5th line after it.
AT = "; the dose that needs it is at r.yaml:15 (periods[0].courses[0].dose)"


@pytest.mark.parametrize(
    ("dose", "participant", "field", "needed", "message"),
    [
        ("1 mg/kg", Participant(), "weight", ("weight",),
         "weight: a per-kg dose needs the participant's weight (--weight, e.g. 70kg)" + AT),
        ("1 mg/kg", Participant(height="175 cm"), "weight", ("weight",),
         "weight: a per-kg dose needs the participant's weight (--weight, e.g. 70kg)" + AT),
        ("1 mg/m2", Participant(), "height", ("height", "weight"),
         "height: a per-m2 dose needs the participant's height and weight (--height, --weight) "
         "or body surface area (--bsa)" + AT),
        ("1 mg/m2", Participant(height="175 cm"), "weight", ("weight",),
         "weight: a per-m2 dose needs the participant's height and weight (--height, --weight) "
         "or body surface area (--bsa)" + AT),
        ("1 mg/m2", KG70, "height", ("height",),
         "height: a per-m2 dose needs the participant's height and weight (--height, --weight) "
         "or body surface area (--bsa)" + AT),
        ("1 mg/m2", None, "height", ("height", "weight"),
         "height: a per-m2 dose needs the participant's height and weight (--height, --weight) "
         "or body surface area (--bsa)" + AT),
    ],
)
def test_missing_measurement(dose: str, participant: Participant | None, field: str,
                             needed: tuple[str, ...], message: str) -> None:
    with pytest.raises(MissingMeasurementError) as info:
        expand(one(f"drug: pred, dose: {dose}, days: [1]"), participant=participant)
    assert (info.value.field, info.value.needed, str(info.value)) == (field, needed, message)
    assert isinstance(info.value, ParticipantError)


def test_missing_measurement_names_the_dose_in_the_file_and_pickles() -> None:
    with pytest.raises(MissingMeasurementError) as info:
        expand(one("drug: pred, dose: 1 mg/kg, days: [1]"))
    e = info.value
    assert (e.file, e.line, e.loc, e.path) == (
        "r.yaml", 15, ("periods", 0, "courses", 0, "dose"), "periods[0].courses[0].dose")
    assert e.detail == "a per-kg dose needs the participant's weight (--weight, e.g. 70kg)" + AT
    again = pickle.loads(pickle.dumps(e))
    assert (type(again), str(again), again.needed, again.file, again.line, again.loc) == (
        MissingMeasurementError, str(e), ("weight",), "r.yaml", 15, e.loc)


def test_missing_measurement_of_a_dose_built_in_python_has_no_place() -> None:
    regimen = load(one("drug: pred, dose: 1 mg/kg, days: [1]"))
    course = regimen.periods[0].courses[0]
    assert course.dose is not None
    unplaced = dataclasses.replace(course, dose=dataclasses.replace(course.dose,
                                                                   where=("", None, ())))
    period = dataclasses.replace(regimen.periods[0], courses=(unplaced,))
    regimen = dataclasses.replace(regimen, periods=(period,))
    with pytest.raises(MissingMeasurementError) as info:
        regimen.expand("a", "2027-01-04")
    assert info.value.file is None
    assert str(info.value) == (
        "weight: a per-kg dose needs the participant's weight (--weight, e.g. 70kg)")


def test_flat_dose_needs_no_measurement() -> None:
    assert len(expand(one("drug: pred, dose: 1 mg, days: [1]")).administrations) == 1


@pytest.mark.parametrize("kwargs", [{"weight": "700 kg"}, {"height": "17 cm"},
                                    {"weight": "0.4 kg"}, {"height": "251 cm"}])
def test_implausible_participant(kwargs: dict[str, str]) -> None:
    with pytest.raises(ParticipantError, match="is not a plausible"):
        Participant(**kwargs)


def test_implausible_bmi_is_a_warning() -> None:
    # 150 kg / (1.2 m)^2 = 104.2.
    s = expand(one("drug: pred, dose: 1 mg, days: [1]"),
               participant=Participant(weight="150 kg", height="120 cm"))
    assert [str(w) for w in s.warnings] == [
        "weight and height give a body-mass index of 104.2 kg/m², outside 10 to 80; check both "
        "measurements and their units"]
    assert type(s.warnings[0]) is RegimenWarning


@pytest.mark.parametrize(("weight", "shown"), [
    # Height 100 cm: 1 m² of height squared, so the BMI is the weight itself, exactly.
    # 80.25 is a half: rounded half up it reads 80.3 (half-even would give 80.2).
    ("80.25 kg", "80.3 kg/m²"),
    ("7.25 kg", "7.3 kg/m²"),  # half up 7.3, half-even 7.2
    ("7.35 kg", "7.4 kg/m²"),  # the same both ways
    # Written as the record's warning and the derivations write it: trailing zeros dropped
    # (docs/api.md, half_up), with its unit.
    ("5 kg", "5 kg/m²"),
])
def test_an_implausible_bmi_is_shown_rounded_half_up(weight: str, shown: str) -> None:
    s = expand(one("drug: pred, dose: 1 mg, days: [1]"),
               participant=Participant(weight=weight, height="100 cm"))
    assert [str(w) for w in s.warnings] == [
        f"weight and height give a body-mass index of {shown}, outside 10 to 80; check both "
        "measurements and their units"]


def timed(at: str) -> str:
    return one(f"drug: pred, dose: 1 mg, days: [1], times: ['{at}']", "1 week")


def test_dst_gap_moves_forward_with_warning() -> None:
    # 2027-03-14 is the second Sunday of March: New York clocks go 02:00 -> 03:00.
    s = expand(timed("02:30"), start="2027-03-14", tz="America/New_York")
    (a,) = s.administrations
    assert a.time == dt.time(3, 30)
    assert a.at is not None
    assert a.at.isoformat() == "2027-03-14T03:30:00-04:00"
    assert [type(w) for w in s.warnings] == [TimeShiftWarning]
    assert str(s.warnings[0]) == (
        "prednisone, Study Day 1: 02:30 does not exist on 2027-03-14 in America/New_York (clocks "
        "move forward); the administration is at 03:30 local time")


def test_dst_overlap_is_the_first_occurrence() -> None:
    # 2027-11-07 is the first Sunday of November: 01:30 happens twice; the first is EDT.
    s = expand(timed("01:30"), start="2027-11-07", tz="America/New_York")
    (a,) = s.administrations
    assert a.at is not None
    assert a.at.isoformat() == "2027-11-07T01:30:00-04:00"
    assert s.warnings == ()


def test_time_zone_gives_aware_datetimes() -> None:
    s = expand(timed("09:00"), start="2027-07-01", tz="Europe/Paris")
    (a,) = s.administrations
    assert a.at is not None
    assert a.at.isoformat() == "2027-07-01T09:00:00+02:00"
    assert s.tz == "Europe/Paris"


@pytest.mark.parametrize("tz", ["Mars/Olympus", "UTC+02:00", "+02:00", "/etc/localtime", "",
                                "GMT+2 "])
def test_unknown_or_fixed_offset_zone_refused(tz: str) -> None:
    with pytest.raises(ExpandOptionError) as info:
        expand(timed("09:00"), tz=tz)
    assert str(info.value) == (
        "tz: unknown time zone; give an IANA name such as Europe/Paris or America/New_York "
        f"(fixed offsets like UTC+02:00 are not time zones) (got {tz!r})")


def test_localtime_is_not_a_time_zone() -> None:
    with pytest.raises(ExpandOptionError):
        expand(timed("09:00"), tz="localtime")


@pytest.mark.parametrize(
    ("arm", "start", "options", "message"),
    [
        ("zz", "2027-01-04", {}, "arm: no such arm in 'demo'; arms: a, b (got 'zz')"),
        ("a", "2027-13-01", {}, "start: not a calendar date; write YYYY-MM-DD, e.g. 2027-01-04 "
                                "(got '2027-13-01')"),
        ("a", "04/01/2027", {}, "start: not a calendar date; write YYYY-MM-DD, e.g. 2027-01-04 "
                                "(got '04/01/2027')"),
        ("a", dt.datetime(2027, 1, 4), {}, "start: the start is a calendar date, not a date and "
                                           "time (got '2027-01-04T00:00:00')"),
        ("a", "2027-01-04", {"bsa_formula": "xyz"}, "bsa_formula: unknown formula; allowed: "
         "mosteller, dubois, haycock, gehan-george, boyd (got 'xyz')"),
        ("a", "2027-01-04", {"bsa_decimals": 9}, "bsa_decimals: a whole number from 1 to 6 "
                                                 "(got 9)"),
    ],
    ids=["arm", "month-13", "slashes", "datetime", "formula", "decimals"],
)
def test_option_errors(arm: str, start: object, options: dict[str, object],
                       message: str) -> None:
    r = load(one("drug: pred, dose: 1 mg, days: [1]"))
    with pytest.raises(ExpandOptionError) as info:
        r.expand(arm, start, **options)  # type: ignore[arg-type]
    assert str(info.value) == message


def test_start_as_date_or_text() -> None:
    r = load(one("drug: pred, dose: 1 mg, days: [1]"))
    assert r.expand("a", dt.date(2027, 1, 4)) == r.expand("a", "2027-01-04")


def test_arm_filter_on_courses() -> None:
    body = ("periods:\n  - id: t\n    length: 1 week\n    courses:\n"
            "      - {drug: pred, arms: [a], dose: 1 mg, days: [1]}\n"
            "      - {drug: il2, arms: [b], dose: 1 MIU, days: [2]}\n")
    assert [x.drug for x in expand(body, arm="a").administrations] == ["pred"]
    assert [x.drug for x in expand(body, arm="b").administrations] == ["il2"]


def test_blinded_flag_carried() -> None:
    body = ("periods:\n  - id: t\n    length: 1 week\n    blinded: true\n    courses:\n"
            "      - {drug: pred, dose: 1 mg, days: [1]}\n")
    (a,) = expand(body).administrations
    assert a.blinded is True


def test_expand_issues_the_warnings_it_records() -> None:
    regimen = load(timed("02:30"))
    with pytest.warns(TimeShiftWarning, match="02:30 does not exist on 2027-03-14"):
        regimen.expand("a", "2027-03-14", tz="America/New_York")


def test_step_number_counts_from_one() -> None:
    schedule = expand("""\
        periods:
          - id: t
            length: 6 weeks
            courses:
              - drug: il2
                cycle: 14 days
                days: 1-2
                steps:
                  - {dose: 1 MIU, cycles: 1}
                  - {dose: 2 MIU, cycles: 2}
              - {drug: pred, dose: 5 mg, days: [3]}
        """)
    by_drug = {d: [(a.step, a.step_number) for a in schedule.administrations if a.drug == d]
               for d in ("il2", "pred")}
    assert by_drug["il2"] == [(0, 1), (0, 1), (1, 2), (1, 2), (1, 2), (1, 2)]
    assert by_drug["pred"] == [(None, None)]
