"""Every semantic error of a regimen file, pinned word for word.

The documents are the shared head of ``support.HEAD`` (10 lines: drugs il2, pred, treg;
arms a, b) plus a body, so the body's first line is line 11.
"""

from __future__ import annotations

import pytest

import regimens
from support import HEAD, problems


def course(flow: str, length: str = "12 weeks") -> str:
    """A body with one period ``t`` (line 12) whose single course is on line 15."""
    return f"periods:\n  - id: t\n    length: {length}\n    courses:\n      - {{{flow}}}\n"


def steps(course_lines: str, length: str = "12 weeks") -> str:
    """A body whose course (line 15) is written in block style."""
    return (f"periods:\n  - id: t\n    length: {length}\n    courses:\n      - drug: pred\n"
            + course_lines)


C = "r.yaml:15: periods[0].courses[0]"
UNITS = ("write a number and a unit (mg, g, mcg, ng, IU, kIU, MIU, mIU, cells, mL or L), "
         "optionally per kg or per m2, e.g. '20 mg', '1e6 cells/kg', '2e5 IU/m2'")

CASES = [
    ("day-past-cycle",
     course("drug: il2, dose: 1 MIU, cycle: 28 days, cycles: 3, days: [1, 29]"),
     [f"{C}.days: day 29 is outside a 28-day cycle (got 29)"]),
    ("range-past-cycle",
     course("drug: il2, dose: 1 MIU, cycle: 21 days, days: 15-22"),
     [f"{C}.days: day 22 is outside a 21-day cycle (got 22)"]),
    ("day-past-course",
     course("drug: il2, dose: 1 MIU, days: 99"),
     [f"{C}.days: day 99 is outside the course (84 days) (got 99)"]),
    ("day-0-in-list",
     course("drug: il2, dose: 1 MIU, days: [0, 2]"),
     [f"{C}.days[0]: there is no day 0: day -1 is the day before day 1 (got 0)"]),
    ("day-0-in-range",
     course("drug: il2, dose: 1 MIU, days: 0-5"),
     [f"{C}.days: days count from 1: there is no day 0 (got '0-5')"]),
    ("range-backwards",
     course("drug: il2, dose: 1 MIU, days: 5-1"),
     [f"{C}.days: the range runs backwards (5 is after 1) (got '5-1')"]),
    ("day-twice",
     course("drug: il2, dose: 1 MIU, days: [1-5, 3]"),
     [f"{C}.days: day 3 is listed more than once (got a list)"]),
    ("cycles-0",
     course("drug: il2, dose: 1 MIU, cycle: 28 days, cycles: 0, days: 1"),
     [f"{C}.cycles: must be at least 1 (got 0)"]),
    ("cycles-without-cycle",
     course("drug: il2, dose: 1 MIU, cycles: 2, days: 1"),
     [f"{C}.cycles: cycles needs a cycle length ('cycle: 28 days') (got 2)"]),
    ("cycles-past-period",
     course("drug: il2, dose: 1 MIU, cycle: 28 days, cycles: 4, days: 1"),
     [f"{C}.cycles: 4 cycles of 28 days need 112 days, but the course has 84 (got 4)"]),
    ("cycle-in-years",
     course("drug: il2, dose: 1 MIU, cycle: 1 year, days: 1"),
     [f"{C}.cycle: 'year' is ambiguous as a length (a year is 365 or 366 days); write weeks "
      "or days, e.g. '12 weeks' or '84 days' (got '1 year')"]),
    ("two-patterns",
     course("drug: il2, dose: 1 MIU, days: 1-5, every: 2 days"),
     [f"{C}.every: a course has exactly one timing pattern; found days and every"]),
    ("three-patterns",
     course("drug: il2, dose: 1 MIU, daily: true, weekdays: [mon], days: 1"),
     [f"{C}.weekdays: a course has exactly one timing pattern; found days and weekdays and "
      "daily"]),
    ("no-pattern",
     course("drug: il2, dose: 1 MIU"),
     [f"{C}: a course needs exactly one timing pattern: days, every, weekdays or daily"]),
    ("unknown-drug",
     course("drug: il3, dose: 1 MIU, days: 1"),
     [f"{C}.drug: no drug has this id (drugs: il2, pred, treg) (got 'il3')"]),
    ("unknown-arm",
     course("drug: il2, arms: [c], dose: 1 MIU, days: 1"),
     [f"{C}.arms[0]: no arm has this id (arms: a, b) (got 'c')"]),
    ("placebo-with-dose",
     course("drug: il2, placebo: true, dose: 1 MIU, days: 1"),
     [f"{C}.dose: a placebo course has no active dose: remove it (got '1 MIU')"]),
    ("placebo-with-steps",
     course("drug: il2, placebo: true, steps: [{dose: 1 mg, days: 1}]"),
     [f"{C}.steps: a placebo course has no active dose: remove it (got a list)"]),
    ("unspecified-without-note",
     course("drug: il2, dose: unspecified, days: 1"),
     [f"{C}.dose: an unspecified dose needs a dose_note saying why (e.g. 'titrated to trough "
      "level') (got 'unspecified')"]),
    ("unspecified-placebo",
     course("drug: il2, dose: unspecified, dose_note: x, placebo: true, days: 1"),
     [f"{C}.dose: an unspecified dose has no placebo or steps (got 'unspecified')"]),
    ("no-dose",
     course("drug: pred, daily: true"),
     [f"{C}: a course needs a dose, steps, 'placebo: true' or 'dose: unspecified' with a "
      "dose_note"]),
    ("unknown-field",
     course("drug: il2, dose: 1 MIU, dayz: 1"),
     [f"{C}.dayz: unknown field; did you mean 'days'? (allowed here: drug, arms, dose, "
      "daily_dose, divided, max, round, rounding, weight, bsa_max, gfr_max, creatinine_min, "
      "crcl_weight, levels, "
      "placebo, dose_note, start, for, cycle, cycles, first_cycle, days, "
      "every, count, weekdays, daily, times, steps, route, not_on, no_same_day, label, "
      "id, duration, method, at, notes, clinic, window, min_interval, on_delay, max_delay, "
      "missed, re_escalate, redose) (got 'dayz')"]),
    ("miu-lower-case",
     course("drug: il2, dose: 1 miu, days: 1"),
     [f"{C}.dose: 'miu' is ambiguous: unit symbols are case-sensitive; write 'MIU' (million "
      "international units) or 'mIU' (thousandths of an international unit); "
      f"{UNITS} (got '1 miu')"]),
    ("dose-a-number",
     course("drug: il2, dose: 5, days: 1"),
     [f"{C}.dose: a bare number is not a dose: give its unit, e.g. '20 mg', '1 mg/kg' or "
      "'375 mg/m2' (got 5)"]),
    ("start-after-period",
     course("drug: il2, dose: 1 MIU, start: 8, days: 1", "1 week"),
     [f"{C}.start: the course starts after the end of its period (7 days) (got 8)"]),
    ("for-past-period",
     course("drug: il2, dose: 1 MIU, start: 3, for: 6 days, days: 1", "1 week"),
     [f"{C}.for: the course would run past the end of its period (from day 3, 5 days remain "
      "of 7) (got '6 days')"]),
    ("count-without-every",
     course("drug: il2, dose: 1 MIU, days: 1, count: 3", "1 week"),
     [f"{C}.count: count goes with every or weekdays ('every: 2 days, count: 7', "
      "'weekdays: [mon, fri], count: 10') (got 3)"]),
    ("count-past-course",
     course("drug: il2, dose: 1 MIU, every: 2 days, count: 5", "1 week"),
     [f"{C}.count: 5 administrations every 2 days end on day 9, outside the course (7 days) "
      "(got 5)"]),
    ("weekday-twice",
     course("drug: il2, dose: 1 MIU, weekdays: [mon, mon]", "1 week"),
     [f"{C}.weekdays: a weekday is listed twice (got a list)"]),
    ("weekday-unknown",
     course("drug: il2, dose: 1 MIU, weekdays: [monday]", "1 week"),
     [f"{C}.weekdays[0]: must be one of: mon, tue, wed, thu, fri, sat, sun (got 'monday')"]),
    ("daily-false",
     course("drug: il2, dose: 1 MIU, daily: false", "1 week"),
     [f"{C}.daily: 'daily: false' is not a pattern: remove it and give days, every or "
      "weekdays (got false)"]),
    ("time-twice",
     course("drug: il2, dose: 1 MIU, daily: true, times: ['08:00', '08:00']", "1 week"),
     [f"{C}.times: a time of day is listed twice (got a list)"]),
    ("time-format",
     course("drug: il2, dose: 1 MIU, daily: true, times: ['8:00']", "1 week"),
     [f"{C}.times[0]: a time of day is written HH:MM, e.g. '08:00' (got '8:00')"]),
    ("not-on-itself",
     course("drug: il2, dose: 1 MIU, daily: true, not_on: [il2]", "1 week"),
     [f"{C}.not_on[0]: must name another drug of this regimen (got 'il2')"]),
    ("max-on-flat",
     course("drug: pred, dose: 1 mg, max: 2 mg, daily: true", "1 week"),
     [f"{C}.max: max applies to computed (per kg or per m2) doses; this dose is flat "
      "(got '2 mg')"]),
    ("max-other-dimension",
     course("drug: pred, dose: 1 mg/kg, max: 2 IU, daily: true", "1 week"),
     [f"{C}.max: must be in the dose's dimension (mass) (got '2 IU')"]),
    ("rounding-without-round",
     course("drug: pred, dose: 1 mg/kg, rounding: up, daily: true", "1 week"),
     [f"{C}.rounding: rounding goes with round ('round: 5 mg') (got 'up')"]),
    ("steps-overlap",
     steps("        steps:\n          - {dose: 60 mg, days: 2-7}\n"
           "          - {dose: 40 mg, days: 7-14}\n", "4 weeks"),
     ["r.yaml:18: periods[0].courses[0].steps[1].days: day 7 is already in steps[0]: steps "
      "overlap (got 7)"]),
    ("day-step-past-period",
     steps("        steps:\n          - {dose: 60 mg, days: 2-7}\n"
           "          - {dose: 40 mg, days: 8-30}\n", "4 weeks"),
     ["r.yaml:18: periods[0].courses[0].steps[1].days: day 29 is outside the course (28 days) "
      "(got 29)"]),
    ("steps-not-covering-cycles",
     steps("        cycle: 4 weeks\n        cycles: 3\n        days: 1\n        steps:\n"
           "          - {dose: 1 mg, cycles: 1}\n          - {dose: 2 mg, cycles: 1}\n"),
     ["r.yaml:19: periods[0].courses[0].steps: the steps cover 2 cycles but the course has 3"]),
    ("steps-by-cycles-without-cycle",
     steps("        days: 1\n        steps: [{dose: 1 mg, cycles: 1}]\n"),
     ["r.yaml:17: periods[0].courses[0].steps: steps by cycles need a cycle length "
      "('cycle: 4 weeks') (got a list)"]),
    ("steps-mixed-kinds",
     steps("        steps: [{dose: 1 mg, days: 1}, {dose: 2 mg, administrations: 1}]\n"),
     ["r.yaml:16: periods[0].courses[0].steps: all steps of a course count the same thing "
      "(cycles, administrations or days)"]),
    ("steps-mixed-basis",
     steps("        steps: [{dose: 1 mg, days: 1}, {dose: 2 mg/kg, days: 2}]\n"),
     ["r.yaml:16: periods[0].courses[0].steps: all steps of a course use the same dose basis "
      "and dimension"]),
    ("step-two-kinds",
     steps("        steps: [{dose: 1 mg, days: 1, cycles: 1}]\n"),
     ["r.yaml:16: periods[0].courses[0].steps[0]: a step has exactly one of cycles, "
      "administrations or days (found cycles, days)"]),
    ("dose-and-steps",
     steps("        dose: 1 mg\n        daily: true\n"
           "        steps: [{dose: 1 mg, administrations: 7}]\n"),
     ["r.yaml:18: periods[0].courses[0].steps: give either dose or steps, not both"]),
    ("day-steps-and-pattern",
     steps("        daily: true\n        steps: [{dose: 1 mg, days: 1}]\n"),
     ["r.yaml:16: periods[0].courses[0].daily: day steps are the course's pattern: remove this "
      "(got true)"]),
    ("length-in-years",
     "periods:\n  - id: t\n    length: 3 years\n",
     ["r.yaml:13: periods[0].length: 'years' is ambiguous as a length (a year is 365 or 366 "
      "days); write weeks or days, e.g. '12 weeks' or '84 days' (got '3 years')"]),
    ("range-min-over-max",
     "periods:\n  - id: t\n    length: 18-12 weeks\n",
     ["r.yaml:13: periods[0].length: the range's minimum (18) exceeds its maximum (12); write "
      "the shorter length first, e.g. '12-18 weeks' (got '18-12 weeks')"]),
    ("length-0",
     "periods:\n  - id: t\n    length: 0 days\n",
     ["r.yaml:13: periods[0].length: a duration must be at least 1 day; write whole days or "
      "weeks, e.g. '28 days' or '4 weeks' (got '0 days')"]),
    ("duplicate-period",
     "periods:\n  - id: t\n    length: 12 weeks\n  - id: t\n    length: 1 week\n",
     ["r.yaml:14: periods[1].id: duplicate period id (got 't')"]),
    ("missing-length",
     "periods:\n  - id: t\n",
     ["r.yaml:12: periods[0]: missing required field 'length'"]),
    ("bad-id",
     "periods:\n  - id: T_1\n    length: 1 week\n",
     ["r.yaml:12: periods[0].id: ids use lower-case letters, digits and hyphens "
      "(e.g. 'il2-1miu') (got 'T_1')"]),
    ("day-one-missing-period",
     "day_one: x\nperiods:\n  - id: t\n    length: 12 weeks\n",
     ["r.yaml:11: day_one: no period has this id (periods: t) (got 'x')"]),
    ("whole-number-with-point",
     course("drug: il2, dose: 1 MIU, days: 1, cycles: 1.0, cycle: 1 week", "1 week"),
     [f"{C}.cycles: expected a whole number without a decimal point (got 1.0)"]),
    # Visits.
    ("visit-unknown-period",
     "periods:\n  - id: t\n    length: 1 week\nvisits:\n  - {id: v, period: x, at: end}\n",
     ["r.yaml:15: visits[0].period: no period has this id (periods: t) (got 'x')"]),
    ("visit-at-and-day",
     "periods:\n  - id: t\n    length: 1 week\nvisits:\n  - {id: v, period: t, at: end, day: 2}\n",
     ["r.yaml:15: visits[0]: a visit in a period gives either 'at: start|end' or 'day: N'"]),
    ("visit-day-past-period",
     "periods:\n  - id: t\n    length: 1 week\nvisits:\n  - {id: v, period: t, day: 8}\n",
     ["r.yaml:15: visits[0].day: day 8 is outside period 't' (1 to 7) (got 8)"]),
    ("visit-no-anchor",
     "periods:\n  - id: t\n    length: 1 week\nvisits:\n  - {id: v}\n",
     ["r.yaml:15: visits[0]: a visit gives exactly one of day, week or period"]),
    ("visit-day-and-week",
     "periods:\n  - id: t\n    length: 1 week\nvisits:\n  - {id: v, day: 1, week: 2}\n",
     ["r.yaml:15: visits[0]: a visit gives exactly one of day, week or period"]),
    ("visit-day-0",
     "periods:\n  - id: t\n    length: 1 week\nvisits:\n  - {id: v, day: 0}\n",
     ["r.yaml:15: visits[0].day: there is no day 0: the day before Day 1 is Day -1 (got 0)"]),
    ("visit-duplicate",
     "periods:\n  - id: t\n    length: 1 week\nvisits:\n  - {id: v, day: 1}\n  - {id: v, day: 2}\n",
     ["r.yaml:16: visits[1].id: duplicate visit id (got 'v')"]),
    ("visit-unknown-arm",
     "periods:\n  - id: t\n    length: 1 week\nvisits:\n  - {id: v, day: 1, arms: [zz]}\n",
     ["r.yaml:15: visits[0].arms[0]: no arm has this id (arms: a, b) (got 'zz')"]),
    ("visit-at-without-period",
     "periods:\n  - id: t\n    length: 1 week\nvisits:\n  - {id: v, day: 1, at: end}\n",
     ["r.yaml:15: visits[0].at: 'at' goes with 'period' (got 'end')"]),
    ("visit-week-and-period",
     "periods:\n  - id: t\n    length: 1 week\nvisits:\n  - {id: v, period: t, at: end, week: 1}\n",
     ["r.yaml:15: visits[0].week: give week or period, not both (got 1)"]),
    ("visit-window-months",
     "periods:\n  - id: t\n    length: 1 week\nvisits:\n  - {id: v, day: 1, window: 1 month}\n",
     ["r.yaml:15: visits[0].window: 'month' is ambiguous as a length (a month is 28 to 31 "
      "days); write weeks or days, e.g. '12 weeks' or '84 days' (got '1 month')"]),
    # Expectations.
    ("expect-drug-never-given",
     course("drug: il2, arms: [a], dose: 1 MIU, days: 1")
     + "expect:\n  - {arm: b, drug: il2, administrations: 1}\n",
     ["r.yaml:17: expect[0].drug: arm 'b' never receives this drug (got 'il2')"]),
    ("expect-unknown-arm",
     course("drug: il2, dose: 1 MIU, days: 1") + "expect:\n  - {arm: zz, drug: il2}\n",
     ["r.yaml:17: expect[0].arm: no arm has this id (arms: a, b) (got 'zz')"]),
    ("expect-unknown-drug",
     course("drug: il2, dose: 1 MIU, days: 1") + "expect:\n  - {arm: a, drug: zz}\n",
     ["r.yaml:17: expect[0].drug: no drug has this id (drugs: il2, pred, treg) (got 'zz')"]),
    ("expect-implausible-weight",
     course("drug: il2, dose: 1 MIU, days: 1")
     + "expect:\n  - {arm: a, drug: il2, weight: 700 kg}\n",
     ["r.yaml:17: expect[0].weight: 700 kg is not a plausible weight (allowed: 0.5 to 400 kg); "
      "check the number and its unit (got '700 kg')"]),
    ("expect-unknown-length-period",
     course("drug: il2, dose: 1 MIU, days: 1")
     + "expect:\n  - {arm: a, drug: il2, lengths: {zz: 1 week}}\n",
     ["r.yaml:17: expect[0].lengths.zz: no period has this id (got 'zz')"]),
    ("expect-bad-date",
     course("drug: il2, dose: 1 MIU, days: 1")
     + "expect:\n  - {arm: a, drug: il2, start: 2027-02-30}\n",
     ["r.yaml:17: expect[0].start: not a calendar date (YYYY-MM-DD) (got '2027-02-30')"]),
    ("expect-total-units",
     course("drug: il2, dose: 1 MIU, days: 1")
     + "expect:\n  - {arm: a, drug: il2, total: 5 units}\n",
     ["r.yaml:17: expect[0].total: 'units' is not a unit here: write 'IU' for international "
      f"units; {UNITS} (got '5 units')"]),
]


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_problem_lines(body: str, expected: list[str]) -> None:
    assert problems(body) == expected


ARM_HEAD = HEAD.replace("  b: {label: B}\n", "  b: {label: B, periods: [t, x]}\n")


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        (ARM_HEAD, "periods:\n  - id: t\n    length: 12 weeks\n",
         ["r.yaml:10: arms.b.periods[1]: no period has this id (periods: t) (got 'x')"]),
        (HEAD.replace("  b: {label: B}\n", "  b: {label: B, periods: [u, t]}\n"),
         "periods:\n  - id: t\n    length: 1 week\n  - id: u\n    length: 1 week\n",
         ["r.yaml:10: arms.b.periods: the path must follow the order of 'periods' (t, u) "
          "(got 'u, t')"]),
        (HEAD.replace("  b: {label: B}\n", "  b: {label: B, periods: [t, t]}\n"),
         "periods:\n  - id: t\n    length: 1 week\n",
         ["r.yaml:10: arms.b.periods: a period appears twice in the path (got 't, t')"]),
        (HEAD.replace("  b: {label: B}\n", "  b: {label: B, periods: [t], day_one: u}\n"),
         "periods:\n  - id: t\n    length: 1 week\n  - id: u\n    length: 1 week\n",
         ["r.yaml:10: arms.b.day_one: this period is not on the arm's path (t) (got 'u')"]),
        (HEAD.replace("  b: {label: B}\n", "  b: {label: B, periods: [t]}\n"),
         "day_one: u\nperiods:\n  - id: t\n    length: 1 week\n  - id: u\n    length: 1 week\n",
         ["r.yaml:10: arms.b: day_one period 'u' is not on this arm's path (t); give the arm its "
          "own day_one (got 'b')"]),
        (HEAD.replace("  a: {label: A}\n", "  a: {label: A, periods: [t]}\n"),
         "periods:\n  - id: t\n    length: 1 week\n  - id: u\n    length: 1 week\n"
         "    courses:\n      - {drug: il2, arms: [a], dose: 1 MIU, days: 1}\n",
         ["r.yaml:17: periods[1].courses[0].arms[0]: this arm does not go through period 'u' "
          "(got 'a')"]),
        (HEAD.replace("regimens/1", "regimens/2"), "periods:\n  - id: t\n    length: 1 week\n",
         ["r.yaml:1: format: must be one of: regimens/1 (got 'regimens/2')"]),
        (HEAD.replace("arms:\n", "armz:\n"), "periods:\n  - id: t\n    length: 1 week\n",
         ["r.yaml:8: armz: unknown field; did you mean 'arms'? (allowed here: format, id, title, "
          "registry, version, sources, notes, day_one, day_zero, bsa_max, on_delay, max_delay, "
          "missed, re_escalate, redose, drugs, arms, periods, "
          "visits, "
          "expect) "
          "(got 'armz')",
          "r.yaml:1: (document): missing required field 'arms'"]),
    ],
    ids=["arm-path-missing-period", "arm-path-order", "arm-path-twice", "arm-day-one-off-path",
         "day-one-off-arm-path", "course-arm-off-path", "format-version", "unknown-top-field"],
)
def test_arm_and_top_level_problems(head: str, body: str, expected: list[str]) -> None:
    assert problems(body, head) == expected


def test_several_problems_all_reported() -> None:
    body = ("periods:\n  - id: t\n    length: 12 weeks\n    courses:\n"
            "      - {drug: il3, dose: 1 MIU, days: 1}\n"
            "      - {drug: il2, dose: 1 MIU, cycle: 28 days, days: 29}\n"
            "      - {drug: il2, placebo: true, dose: 1 MIU, days: 1}\n"
            "  - id: u\n    length: 3 years\n"
            "visits:\n  - {id: v, period: zz, at: end}\n")
    # Every problem, each once; the order of discovery is not the order of the file.
    assert sorted(problems(body), key=_line) == [
        "r.yaml:15: periods[0].courses[0].drug: no drug has this id (drugs: il2, pred, treg) "
        "(got 'il3')",
        "r.yaml:16: periods[0].courses[1].days: day 29 is outside a 28-day cycle (got 29)",
        "r.yaml:17: periods[0].courses[2].dose: a placebo course has no active dose: remove it "
        "(got '1 MIU')",
        "r.yaml:19: periods[1].length: 'years' is ambiguous as a length (a year is 365 or 366 "
        "days); write weeks or days, e.g. '12 weeks' or '84 days' (got '3 years')",
        "r.yaml:21: visits[0].period: no period has this id (periods: t, u) (got 'zz')",
    ]


def _line(problem: str) -> int:
    return int(problem.split(":")[1])


def test_course_problems_after_a_bad_period_are_reported() -> None:
    body = ("periods:\n  - id: u\n    length: 3 years\n    courses:\n"
            "      - {drug: il3, dose: 1 MIU, days: 1}\n"
            "  - id: t\n    length: 1 week\n    courses:\n"
            "      - {drug: il2, dose: 1 MIU, days: 9}\n")
    assert sorted(problems(body), key=_line) == [
        "r.yaml:13: periods[0].length: 'years' is ambiguous as a length (a year is 365 or 366 "
        "days); write weeks or days, e.g. '12 weeks' or '84 days' (got '3 years')",
        "r.yaml:15: periods[0].courses[0].drug: no drug has this id (drugs: il2, pred, treg) "
        "(got 'il3')",
        "r.yaml:19: periods[1].courses[0].days: day 9 is outside the course (7 days) (got 9)",
    ]


def test_several_structure_problems_all_reported() -> None:
    body = ("periods:\n  - id: t\n    length: 12\n    courses:\n"
            "      - {drug: il2, dose: 1 MIU, days: 1, colour: red}\n"
            "      - {dose: 1 MIU, days: 1}\n")
    assert problems(body) == [
        "r.yaml:13: periods[0].length: a bare number is not a length: give its unit, e.g. "
        "'28 days' or '4 weeks' (got 12)",
        "r.yaml:15: periods[0].courses[0].colour: unknown field (allowed here: drug, arms, dose, "
        "daily_dose, divided, max, round, rounding, weight, bsa_max, gfr_max, creatinine_min, "
        "crcl_weight, levels, "
        "placebo, dose_note, start, for, cycle, cycles, first_cycle, "
        "days, every, count, weekdays, daily, times, steps, route, not_on, no_same_day, label, "
        "id, duration, method, at, notes, clinic, window, min_interval, on_delay, max_delay, "
        "missed, re_escalate, redose) (got 'colour')",
        "r.yaml:16: periods[0].courses[1]: missing required field 'drug'",
    ]


def test_problem_structure() -> None:
    with pytest.raises(regimens.InvalidRegimenError) as info:
        regimens.loads(HEAD + course("drug: il2, dose: 1 MIU, days: 99"), "r.yaml")
    (p,) = info.value.problems
    assert (p.file, p.line, p.path, p.value) == ("r.yaml", 15, "periods[0].courses[0].days", 99)
    assert isinstance(info.value, ValueError)
    assert str(info.value) == str(p)


def test_administration_steps_not_covering_are_refused_at_load() -> None:
    body = steps("        days: 1-5\n        steps:\n"
                 "          - {dose: 1 mg, administrations: 2}\n"
                 "          - {dose: 2 mg, administrations: 2}\n")
    assert problems(body) == [
        "r.yaml:17: periods[0].courses[0].steps: the steps cover 4 administrations but the "
        "course gives 5"]


REVIEW_CASES = [
    ("every-longer-than-cycle",
     course("drug: il2, dose: 1 MIU, cycle: 2 weeks, every: 3 weeks"),
     [f"{C}.every: an interval of 21 days is longer than a 14-day cycle; give one dose per "
      "cycle with 'days: [1]', or a longer cycle (got '3 weeks')"]),
    ("administration-steps-with-not-on",
     "periods:\n  - id: t\n    length: 1 week\n    courses:\n"
     "      - {drug: treg, dose: 1e6 cells/kg, days: [1]}\n"
     "      - {drug: pred, daily: true, not_on: [treg], steps: [{dose: 100 mg, "
     "administrations: 1}, {dose: 50 mg, administrations: 6}]}\n",
     ["r.yaml:16: periods[0].courses[1].not_on: steps by administrations cannot be combined "
      "with not_on: a skipped day would shift the steps; use steps by days or cycles"]),
    ("blinded-placebo-of-another-drug",
     "periods:\n  - id: t\n    length: 1 week\n    blinded: true\n    courses:\n"
     "      - {drug: il2, arms: [a], dose: 1 MIU, days: [1]}\n"
     "      - {drug: pred, arms: [b], placebo: true, days: [1]}\n",
     ["r.yaml:17: periods[0].courses[1].drug: in a blinded period a placebo course uses the id "
      "of the drug it matches (with placebo: true), so that every arm's calendar reads the "
      "same; no active course gives this drug here (got 'pred')"]),
    ("visit-for-an-arm-that-skips-its-period",
     "periods:\n  - id: t\n    length: 1 week\n  - id: u\n    length: 1 week\n"
     "visits:\n  - {id: v, period: u, day: 1, arms: [b]}\n",
     None),
]


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in REVIEW_CASES],
                         ids=[c[0] for c in REVIEW_CASES])
def test_rules_across_fields(body: str, expected: list[str] | None) -> None:
    if expected is None:
        # Arm b's path skips period u: give it one, then the visit is refused.
        head = HEAD.replace("  b: {label: B}", "  b: {label: B, periods: [t]}")
        assert problems(body, head=head) == [
            "r.yaml:17: visits[0].arms[0]: this arm does not go through period 'u' "
            "(got 'b')"]
        return
    assert problems(body) == expected
