"""A decimal comma anywhere a quantity is written in a regimen file says so ("has a comma:
write a decimal point"), as the record reader and the command line say it, in a block
mapping and in a flow mapping alike (cold try 5, finding 8).

In a flow mapping (``{dose: 80,5 mg/m2, ...}``) YAML ends the value at the comma, leaving
``dose: 80`` and a key ``5 mg/m2`` with no value: the reader joins them back as written, so
the field says what is wrong with its number instead of "unknown field" and "a bare number".
"""

from __future__ import annotations

import pytest

import regimens

HEAD = """\
format: regimens/1
id: demo
title: Demo
drugs:
  a: {name: drug a, route: intravenous, clinic: true}
  c: {name: carboplatin, route: intravenous}
arms:
  x: {label: X}
"""
# The course every case starts from (a key of the case replaces the same key).
BASE = {"drug": "a", "dose": "10 mg", "cycle": "21 days", "cycles": "4", "days": "[1]"}

DECIMAL = "has a comma: write a decimal point and no thousands separators"
WHOLE = "has a comma: write a whole number, with no decimal point and no thousands separators"
DOSE = ("write a number and a unit (mg, g, mcg, ng, IU, kIU, MIU, mIU, cells, mL or L), "
        "optionally per kg or per m2, e.g. '20 mg', '1e6 cells/kg', '2e5 IU/m2'")
AMOUNT = ("write a number and a unit (mg, g, mcg, ng, IU, kIU, MIU, mIU, cells, mL or L), "
          "e.g. '20 mg' or '2 MIU'")
DAYS = "write whole days or weeks, e.g. '28 days' or '4 weeks'"

# (kind, the course's keys, the field, the message after the field's path). Each message
# written by hand from the field's reader: an amount "has a comma: write a decimal point",
# a whole number of days "has a comma: write a whole number".
COURSE_CASES = [
    ("dose", {"dose": "80,5 mg/m2"}, "dose", f"dose {DECIMAL}; {DOSE} (got '80,5 mg/m2')"),
    ("dose-thousands", {"dose": "1,000 mg"}, "dose", f"dose {DECIMAL}; {DOSE} (got '1,000 mg')"),
    ("dose-millions", {"dose": "1,000,000 IU"}, "dose",
     f"dose {DECIMAL}; {DOSE} (got '1,000,000 IU')"),
    ("auc", {"drug": "c", "dose": "AUC 4,5"}, "dose",
     "the target AUC has a comma: write a decimal point and no thousands separators; write "
     "'AUC' and the target in mg/mL·min, e.g. 'AUC 5' (at most 20) (got 'AUC 4,5')"),
    ("max", {"dose": "1 mg/kg", "max": "1,5 mg"}, "max", f"max {DECIMAL}; {AMOUNT} "
     "(got '1,5 mg')"),
    ("round", {"dose": "1 mg/kg", "round": "2,5 mg"}, "round", f"round {DECIMAL}; {AMOUNT} "
     "(got '2,5 mg')"),
    ("bsa_max", {"dose": "10 mg/m2", "bsa_max": "2,2 m2"}, "bsa_max",
     f"body surface area {DECIMAL}; write a number and one of m2, m², m^2, e.g. '1.8 m2' "
     "(got '2,2 m2')"),
    ("gfr_max", {"drug": "c", "dose": "AUC 5", "gfr_max": "125,5 mL/min"}, "gfr_max",
     f"GFR {DECIMAL}; write a number and mL/min, e.g. '95 mL/min' (got '125,5 mL/min')"),
    ("cycle", {"cycle": "21,5 days"}, "cycle", f"the duration {WHOLE}; {DAYS} "
     "(got '21,5 days')"),
    ("window", {"window": "2,5 days"}, "window", f"the duration {WHOLE}; {DAYS} "
     "(got '2,5 days')"),
    ("max_delay", {"max_delay": "14,5 days"}, "max_delay", f"the duration {WHOLE}; {DAYS} "
     "(got '14,5 days')"),
    ("duration", {"duration": "1,5 hours"}, "duration", f"elapsed time {WHOLE}; write whole "
     "minutes, hours, days or weeks, e.g. '30 minutes' or '46 hours' (got '1,5 hours')"),
]


def _problems(text: str) -> list[str]:
    with pytest.raises(regimens.InvalidRegimenError) as caught:
        regimens.loads(text, "r.yaml")
    return [str(p) for p in caught.value.problems]


def _course(keys: dict[str, str], flow: bool) -> str:
    course = {**BASE, **keys}
    if flow:
        return "      - {" + ", ".join(f"{k}: {v}" for k, v in course.items()) + "}\n"
    first, *rest = course.items()
    return (f"      - {first[0]}: {first[1]}\n"
            + "".join(f"        {k}: {v}\n" for k, v in rest))


@pytest.mark.parametrize("flow", [True, False], ids=["flow", "block"])
@pytest.mark.parametrize(("keys", "field", "message"), [c[1:] for c in COURSE_CASES],
                         ids=[c[0] for c in COURSE_CASES])
def test_a_course_quantity(keys: dict[str, str], field: str, message: str,
                           flow: bool) -> None:
    text = HEAD + "periods:\n  - id: t\n    length: 12 weeks\n    courses:\n" + _course(
        keys, flow)
    # The course starts on line 13; in block style each key has its own line, in the
    # order of BASE with the case's new keys last.
    order = list({**BASE, **keys})
    line = 13 if flow else 13 + order.index(field)
    assert _problems(text) == [f"r.yaml:{line}: periods[0].courses[0].{field}: {message}"]


@pytest.mark.parametrize(("text", "expected"), [
    # A period's length, flow and block.
    (HEAD + "periods:\n  - {id: t, length: 12,5 weeks, courses: [{drug: a, dose: 10 mg, "
     "days: [1]}]}\n",
     f"r.yaml:10: periods[0].length: the duration {WHOLE}; {DAYS} (got '12,5 weeks')"),
    (HEAD + "periods:\n  - id: t\n    length: 12,5 weeks\n    courses:\n"
     "      - {drug: a, dose: 10 mg, days: [1]}\n",
     f"r.yaml:11: periods[0].length: the duration {WHOLE}; {DAYS} (got '12,5 weeks')"),
    # ... a range.
    (HEAD + "periods:\n  - id: t\n    length: 12,5-18 weeks\n    courses:\n"
     "      - {drug: a, dose: 10 mg, days: [1]}\n",
     f"r.yaml:11: periods[0].length: the duration {WHOLE}; {DAYS} (got '12,5-18 weeks')"),
    # A percentage, flow and block (the re-dosing rule).
    (HEAD.replace("drugs:", "redose: {weight_change: 10,5%}\ndrugs:") + "periods:\n"
     "  - id: t\n    length: 4 weeks\n    courses:\n      - {drug: a, dose: 10 mg, days: [1]}\n",
     f"r.yaml:4: redose.weight_change: the number {DECIMAL}; a percentage is written with "
     "%, e.g. '10%' (got '10,5%')"),
    (HEAD.replace("drugs:", "redose:\n  weight_change: 10,5%\ndrugs:") + "periods:\n"
     "  - id: t\n    length: 4 weeks\n    courses:\n      - {drug: a, dose: 10 mg, days: [1]}\n",
     f"r.yaml:5: redose.weight_change: the number {DECIMAL}; a percentage is written with "
     "%, e.g. '10%' (got '10,5%')"),
    # A drug's limit, flow.
    (HEAD.replace("clinic: true}", "clinic: true, max_cumulative: 450,5 mg/m2}")
     + "periods:\n  - id: t\n    length: 4 weeks\n    courses:\n"
     "      - {drug: a, dose: 10 mg/m2, days: [1]}\n",
     f"r.yaml:5: drugs.a.max_cumulative: dose {DECIMAL}; {DOSE} (got '450,5 mg/m2')"),
    # A dose level in a flow mapping of levels.
    (HEAD + "periods:\n  - id: t\n    length: 4 weeks\n    courses:\n"
     "      - {drug: a, dose: 10 mg, days: [1], levels: {-1: 8,5 mg}}\n",
     f"r.yaml:13: periods[0].courses[0].levels.-1: dose {DECIMAL}; {DOSE} (got '8,5 mg')"),
    # Intervals in hours and lengths in months: told in their own unit's words.
    (HEAD + "periods:\n  - id: t\n    length: 4 weeks\n    courses:\n"
     "      - {drug: a, dose: 10 mg, every: 8,5 hours, at: '06:00'}\n",
     f"r.yaml:13: periods[0].courses[0].every: elapsed time {WHOLE}; write whole minutes, "
     "hours, days or weeks, e.g. '30 minutes' or '46 hours' (got '8,5 hours')"),
    (HEAD + "periods:\n  - {id: t, length: 1,5 months, courses: [{drug: a, dose: 10 mg, "
     "days: [1]}]}\n",
     f"r.yaml:10: periods[0].length: the number of months {WHOLE}; write whole months, e.g. "
     "'6 months' or '1 month' (got '1,5 months')"),
    (HEAD + "periods:\n  - id: t\n    length: 6 months\n    courses:\n"
     "      - {drug: a, dose: 10 mg, every: 1,5 months}\n",
     f"r.yaml:13: periods[0].courses[0].every: the number of months {WHOLE}; write whole "
     "months, e.g. '6 months' or '1 month' (got '1,5 months')"),
], ids=["length-flow", "length-block", "length-range", "percent-flow", "percent-block",
        "max-cumulative", "level", "every-hours", "length-months", "every-months"])
def test_other_quantities(text: str, expected: str) -> None:
    assert _problems(text) == [expected]


@pytest.mark.parametrize("text", [
    # A comma that is YAML's own: two keys, a set of days, a label with a comma in it.
    HEAD + "periods:\n  - id: t\n    length: 4 weeks\n    courses:\n"
    "      - {drug: a, dose: 10 mg, cycle: 7 days, days: [1,2]}\n",
    HEAD + "periods:\n  - id: t\n    length: 4 weeks\n    courses:\n"
    "      - {drug: a, dose: 10 mg, days: [1], label: 'first, then 2'}\n",
], ids=["days-list", "quoted-label"])
def test_yaml_commas_keep_their_meaning(text: str) -> None:
    regimens.loads(text, "r.yaml")


def test_a_key_with_no_value_that_is_not_after_a_number_is_still_unknown() -> None:
    # '{..., days: [1], 5 mg}': the comma follows a list, not a number: nothing to join.
    text = (HEAD + "periods:\n  - id: t\n    length: 4 weeks\n    courses:\n"
            "      - {drug: a, dose: 10 mg, days: [1], 5 mg}\n")
    assert [p.split(" (allowed")[0] for p in _problems(text)] == [
        "r.yaml:13: periods[0].courses[0].5 mg: unknown field"]


def test_a_yaml_record_row_in_a_flow_mapping_says_its_comma() -> None:
    # The record reader reads YAML with the same reader: '50,5 mg' in a flow row is the
    # amount with a comma, in the words a CSV cell gets (tests/record/test_read.py).
    with pytest.raises(regimens.InvalidRegimenError) as caught:
        regimens.read_record("- {date: 2027-01-04, event: given, drug: a, amount: 50,5 mg}\n",
                             name="R.yaml", kind="yaml")
    assert [str(p) for p in caught.value.problems] == [
        f"R.yaml:1: amount: amount given {DECIMAL}; {AMOUNT} (got '50,5 mg')"]
