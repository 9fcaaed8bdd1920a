"""In a blinded period, what places, moves or makes up a drug's doses is alike on every arm.

A record replayed over a blinded plan (a missed dose made up, a delayed cycle, a row naming
a cycle and day) or a site calendar moving doses must do the same to the active course and
its placebo, or the blinded outputs tell the arm (review C, 3a and 3b: ``missed: make_up``
on the active course only gave the active arm's calendar a make-up event the placebo's
lacked; an active course in cycles with its placebo as a list of days accepted a row
naming cycle 1 day 1 on one arm and refused it on the other). So every field of a course
is classified below: one that places doses must agree across the courses of a drug in a
blinded period (refused when the regimen is read, naming the period, drug, field, both
values and the fix); one that only says what is given may differ. Table-driven: one case
per placing field, each failing before the rule.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import regimens
from regimens import Arm, Course, DaysPattern, Drug, Period, Policy, Regimen
from regimens.cli import main
from regimens.errors import InvalidRegimenError
from regimens.model import PLACING_FIELDS
from regimens.quantities import Duration, LengthRange, parse_dose_quantity
from support import load

# The active course (arm a) and its placebo (arm b) of il2, alike but for what a case adds.
ACTIVE = "{drug: il2, arms: [a], dose: 1 MIU, cycle: 14 days, cycles: 2, days: [1, 8]%s}"
PLACEBO = "{drug: il2, arms: [b], placebo: true, cycle: 14 days, cycles: 2, days: [1, 8]%s}"


def body(active: str = "", placebo: str = "", top: str = "", blinded: bool = True,
         placebo_course: str | None = None) -> str:
    return (top + "periods:\n  - id: t\n    length: 4 weeks\n"
            f"    blinded: {'true' if blinded else 'false'}\n    courses:\n"
            f"      - {ACTIVE % active}\n"
            f"      - {placebo_course if placebo_course is not None else PLACEBO % placebo}\n")


WHY_POLICY = "so that a record moves and makes up every arm's doses alike"
FIX_POLICY = "(on each course, or once at the top of the regimen)"
WHY_CYCLES = ("so that a record's cycle and day name the same dose on every arm, and a delay "
              "moves the same cycles")
FIX_CYCLES = ("write every course of il2 here in the same cycles (cycle, first_cycle, days "
              "within a cycle), the placebo too, not as a list of days")

# (case, the regimen's body, the error written out by hand). The head's 10 lines come
# first: the active course is on line 16, its placebo on line 17.
REFUSED: list[tuple[str, str, str]] = [
    ("missed", body(active=", missed: make_up"),
     "r.yaml:16: periods[0].courses[0].missed: in blinded period 't' every course of il2 has "
     f"the same missed, {WHY_POLICY}: this course (arm a) has make_up, the course of arm b "
     f"has skip (the default); give every course of il2 here the same missed {FIX_POLICY}"),
    ("on_delay", body(active=", on_delay: keep"),
     "r.yaml:16: periods[0].courses[0].on_delay: in blinded period 't' every course of il2 "
     f"has the same on_delay, {WHY_POLICY}: this course (arm a) has keep, the course of arm "
     f"b has shift (the default); give every course of il2 here the same on_delay "
     f"{FIX_POLICY}"),
    # Written on the placebo only: the active course, first, is named, at the course.
    ("max_delay", body(placebo=", max_delay: 3 days"),
     "r.yaml:16: periods[0].courses[0]: in blinded period 't' every course of il2 has the "
     f"same max_delay, {WHY_POLICY}: this course (arm a) has no limit (the default), the "
     f"course of arm b has 3 days; give every course of il2 here the same max_delay "
     f"{FIX_POLICY}"),
    # The regimen's own key on one course, another on the other.
    ("missed from the regimen", "missed: make_up\n" + body(placebo=", missed: skip"),
     "r.yaml:17: periods[0].courses[0]: in blinded period 't' every course of il2 has the "
     f"same missed, {WHY_POLICY}: this course (arm a) has make_up (the regimen's), the "
     f"course of arm b has skip; give every course of il2 here the same missed {FIX_POLICY}"),
    ("cycle (placebo as a list of days)",
     body(placebo_course="{drug: il2, arms: [b], placebo: true, days: [1, 8, 15, 22]}"),
     "r.yaml:16: periods[0].courses[0].cycle: in blinded period 't' every course of il2 has "
     f"the same cycle, {WHY_CYCLES}: this course (arm a) has 14 days, the course of arm b "
     f"has no cycle; {FIX_CYCLES}"),
    ("cycle (another length)",
     body(placebo_course="{drug: il2, arms: [b], placebo: true, cycle: 7 days, cycles: 4, "
                         "days: [1]}"),
     "r.yaml:16: periods[0].courses[0].cycle: in blinded period 't' every course of il2 has "
     f"the same cycle, {WHY_CYCLES}: this course (arm a) has 14 days, the course of arm b "
     f"has 7 days; {FIX_CYCLES}"),
    ("first_cycle", body(active=", first_cycle: 2"),
     "r.yaml:16: periods[0].courses[0].first_cycle: in blinded period 't' every course of il2 "
     f"has the same first_cycle, {WHY_CYCLES}: this course (arm a) has 2, the course of arm "
     f"b has 1; {FIX_CYCLES}"),
    ("not_on", body(active=", not_on: [pred]"),
     "r.yaml:16: periods[0].courses[0].not_on: in blinded period 't' every course of il2 has "
     "the same not_on, so that every arm's doses skip and move off the same days: this "
     "course (arm a) has pred, the course of arm b has none; give every course of il2 here "
     "the same not_on list"),
]


@pytest.mark.parametrize(("case", "doc", "message"), REFUSED, ids=[c[0] for c in REFUSED])
def test_a_placing_field_that_differs_in_a_blinded_period_is_refused(
        case: str, doc: str, message: str) -> None:
    del case
    with pytest.raises(InvalidRegimenError) as caught:
        load(doc)
    assert str(caught.value) == message
    assert caught.value.problems[0].code == {
        "cycle": "blinded-cycles-differ", "first_cycle": "blinded-cycles-differ",
        "not_on": "blinded-not-on-differs"}.get(caught.value.problems[0].message.split(
            "has the same ")[1].split(",")[0], "blinded-policy-differs")


def test_every_placing_field_has_a_refused_case() -> None:
    named = {m.split("has the same ")[1].split(",")[0] for _, _, m in REFUSED}
    assert named == {f.name for f in PLACING_FIELDS}


# Fields that only say what is given, or differ in what the plan already shows alike: the
# same pair of courses is accepted with them differing.
ACCEPTED: list[tuple[str, str]] = [
    ("dose levels on the active course", body(active=", levels: {-1: 80%}")),
    ("redose on the active course", body(active=", redose: {weight_change: 10%}")),
    ("re_escalate on the active course", body(active=", re_escalate: true")),
    ("label and notes", body(active=", label: infusion, notes: slowly")),
    ("course id", body(active=", id: c1")),
    ("a key written as its default", body(active=", missed: skip, on_delay: shift")),
    ("the same policy written on both",
     body(active=", missed: make_up, max_delay: 7 days",
          placebo=", missed: make_up, max_delay: 1 week")),
    ("the regimen's policy for both", "missed: make_up\non_delay: keep\n" + body()),
    ("steps by cycles without cycles",
     body(placebo="", active="").replace(
         "dose: 1 MIU, cycle: 14 days, cycles: 2",
         "steps: [{dose: 1 MIU, cycles: 1}, {dose: 2 MIU, cycles: 1}], cycle: 14 days")),
    ("not blinded", body(active=", missed: make_up, first_cycle: 2", blinded=False)),
]


@pytest.mark.parametrize(("case", "doc"), ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_fields_that_do_not_place_doses_may_differ(case: str, doc: str) -> None:
    del case
    assert load(doc).periods[0].blinded is (doc.count("blinded: true") == 1)


@pytest.mark.parametrize("courses", [
    # An arm's courses of a drug that do not overlap (days 1-14 in cycles, then a list) are
    # compared with the other arm's courses of the same days only.
    ["{drug: il2, arms: [a], dose: 1 MIU, cycle: 7 days, cycles: 2, days: [1]}",
     "{drug: il2, arms: [b], placebo: true, cycle: 7 days, cycles: 2, days: [1]}",
     "{drug: il2, arms: [a], dose: 1 MIU, start: 15, days: [1, 8]}",
     "{drug: il2, arms: [b], placebo: true, start: 15, days: [1, 8]}"],
    # Courses for every arm are given alike on every arm.
    ["{drug: il2, dose: 1 MIU, days: [1, 8]}",
     "{drug: il2, dose: 1 MIU, cycle: 7 days, days: [2], missed: make_up}"],
], ids=["one after the other", "courses for every arm"])
def test_courses_that_do_not_stand_for_one_another_may_differ(courses: list[str]) -> None:
    doc = ("periods:\n  - id: t\n    length: 4 weeks\n    blinded: true\n    courses:\n"
           + "".join(f"      - {c}\n" for c in courses))
    assert len(load(doc).periods[0].courses) == len(courses)


# Every field of a course and of its record policy, by what it does to a blinded period.
PLACING = {"cycle", "first_cycle", "not_on", "policy.missed", "policy.on_delay",
           "policy.max_delay"}
PLACING_ELSEWHERE = {"route", "no_same_day", "clinic", "window", "min_interval"}
# What is given (a blinded output hides it) or arm-independent (re_escalate is checked over
# every course of the regimen): may differ.
DOSE_ONLY = {"dose", "steps", "placebo", "dose_note", "levels", "label", "notes", "id",
             "duration", "method", "arms", "where", "policy.re_escalate",
             "policy.redose_weight_change"}
# The plan itself (days, times, how many): a difference shows in every output, record or
# not (docs/ics.md: match the placebo course to the active one).
SCHEDULE = {"drug", "pattern", "start", "span", "cycles", "times"}


def test_every_field_of_a_course_is_classified() -> None:
    fields = {f.name for f in dataclasses.fields(Course) if f.name != "policy"} | {
        f"policy.{f.name}" for f in dataclasses.fields(Policy)}
    groups = (PLACING, PLACING_ELSEWHERE, DOSE_ONLY, SCHEDULE)
    assert sum(len(g) for g in groups) == len(set().union(*groups))
    assert set().union(*groups) == fields
    assert {f"policy.{f.name}" if f.policy else f.name for f in PLACING_FIELDS} == PLACING


def test_a_regimen_built_in_python_is_refused_on_every_course_alike() -> None:
    def course(**fields: object) -> Course:
        return Course("a", DaysPattern((1,)), **fields)  # type: ignore[arg-type]

    with pytest.raises(InvalidRegimenError) as caught:
        Regimen("py", "Built in Python", (Drug("a", "drug A", "oral"),),
                (Arm("x", "X"), Arm("y", "Y")),
                (Period("t", LengthRange.parse("4 weeks"), (
                    course(arms=("x",), dose=regimens.Dose(parse_dose_quantity("1 mg")),
                           policy=Policy(missed="make_up")),
                    course(arms=("y",), placebo=True, policy=Policy(
                        max_delay=Duration(3)))), blinded=True),))
    assert [(p.loc, p.code) for p in caught.value.problems] == [
        (("periods", 0, "courses", 0, "policy", "missed"), "blinded-policy-differs"),
        (("periods", 0, "courses", 1, "policy", "missed"), "blinded-policy-differs")]
    assert caught.value.problems[1].message == (
        "in blinded period 't' every course of a has the same missed, so that a record moves "
        "and makes up every arm's doses alike: this course (arm y) has skip (the default), "
        "the course of arm x has make_up; give every course of a here the same missed (on "
        "each course, or once at the top of the regimen)")


@pytest.mark.parametrize(("added", "message"), [
    ("missed: make_up, on_delay: keep, max_delay: 7 days",
     "{f}:14: periods[0].courses[0].missed: in blinded period 'treatment' every course of d "
     f"has the same missed, {WHY_POLICY}: this course (arm active) has make_up, the course "
     "of arm placebo has skip (the default); give every course of d here the same missed "
     f"{FIX_POLICY}"),
    ("days-as-list",
     "{f}:14: periods[0].courses[0].cycle: in blinded period 'treatment' every course of d "
     f"has the same cycle, {WHY_CYCLES}: this course (arm active) has 14 days, the course of "
     f"arm placebo has no cycle; {FIX_CYCLES.replace('il2', 'd')}"),
])
def test_review_c_regimens_are_refused_by_check(added: str, message: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Review C's a4.yaml (policies on the active course) and a3.yaml (the placebo as a list
    of days): `regimens check` refuses them, exit status 2, before any record is read."""
    active = "{drug: d, arms: [active], dose: 100 mg, cycle: 14 days, cycles: 4, days: [1, 8]"
    placebo = "{drug: d, arms: [placebo], placebo: true, cycle: 14 days, cycles: 4, days: [1, 8]}"
    if added == "days-as-list":
        active += "}"
        placebo = ("{drug: d, arms: [placebo], placebo: true, "
                   "days: [1, 8, 15, 22, 29, 36, 43, 50]}")
    else:
        active += ", " + added + "}"
    f = tmp_path / "r.yaml"
    f.write_text("format: regimens/1\nid: rc\ntitle: Review C\n"
                 "drugs:\n  d: {name: drugd, route: intravenous}\n"
                 "arms:\n  active: {label: Active}\n  placebo: {label: Placebo}\n"
                 "periods:\n  - id: treatment\n    length: 8 weeks\n    blinded: true\n"
                 f"    courses:\n      - {active}\n      - {placebo}\n", encoding="utf-8")
    assert main(["check", str(f)]) == 2
    err = capsys.readouterr().err
    assert message.format(f=f) in err
