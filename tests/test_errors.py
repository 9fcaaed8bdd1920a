"""Errors hold their parts: one root, fields kept, messages derived, pickling exact.

Every error class is built from hand-chosen fields and its message compared with the
text written out here; a pickle round trip (what a process pool does to an error) must
give the same class, the same fields and the same message. Every error the bad-input
catalogue provokes is round-tripped too, and each of its problems must carry a code.
"""

from __future__ import annotations

import ast
import collections
import enum
import inspect
import pickle
import re
import threading
import warnings
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import regimens
from regimens import errors
from regimens.errors import NO_VALUE, Problem
from support import HEAD, load
from support.bad_inputs import CASES, document

SRC = Path(__file__).resolve().parents[1] / "src" / "regimens"
KEBAB = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*\Z")

_PROBLEM = Problem("r.yaml", 15, ("periods", 0, "courses", 0, "days"),
                   "day 99 is outside a 28-day cycle", 99, code="day-outside-cycle")

_RECORD_PROBLEM = Problem("R.csv", 2, ("date",), "doxorubicin given on Sun 2026-12-20, before "
                          "the arm's first day", "2026-12-20", code="record-outside-arm")

#: (error, its builtin, its message written out by hand, its fields).
ERRORS: list[tuple[Exception, type[Exception], str, dict[str, Any]]] = [
    (errors.RegimenError("something"), Exception, "something", {}),
    (errors.InvalidRegimenError([_PROBLEM]), ValueError,
     "r.yaml:15: periods[0].courses[0].days: day 99 is outside a 28-day cycle (got 99)",
     {"problems": (_PROBLEM,)}),
    (errors.InvalidRecordError([_RECORD_PROBLEM]), ValueError,
     "R.csv:2: date: doxorubicin given on Sun 2026-12-20, before the arm's first day "
     "(got '2026-12-20')",
     {"problems": (_RECORD_PROBLEM,), "code": "invalid-record"}),
    (errors.RegimenNotFoundError("nope", ("a", "b")), LookupError,
     "no regimen file or catalogue entry named 'nope'; catalogue ids: a, b",
     {"name": "nope", "known": ("a", "b")}),
    (errors.RegimenLookupError("drug", "x", ("il2", "pred")), LookupError,
     "no drug has the id 'x' (drugs: il2, pred)",
     {"kind": "drug", "key": "x", "known": ("il2", "pred")}),
    (errors.UnitError("5 mgg", "unknown unit 'mgg'", "use mg or g"), ValueError,
     "unknown unit 'mgg'; use mg or g",
     {"text": "5 mgg", "reason": "unknown unit 'mgg'", "allowed": "use mg or g"}),
    (errors.UnitError("", "empty"), ValueError, "empty",
     {"text": "", "reason": "empty", "allowed": ""}),
    (errors.QuantityError("bsa", "height and weight must be positive"), ValueError,
     "height and weight must be positive",
     {"quantity": "bsa", "reason": "height and weight must be positive", "value": NO_VALUE}),
    (errors.QuantityTypeError("study day", "a study day is an int", "3"), TypeError,
     "a study day is an int (got '3')",
     {"quantity": "study day", "reason": "a study day is an int", "value": "3"}),
    (errors.ParticipantError("weight", "700 kg is not plausible", "700 kg"), ValueError,
     "weight: 700 kg is not plausible (got '700 kg')",
     {"field": "weight", "reason": "700 kg is not plausible", "value": "700 kg",
      "participant": None}),
    (errors.ParticipantError("weight", "700.0 kg is not plausible", 700.0, participant=4),
     ValueError, "weight: participant 4: 700.0 kg is not plausible (got 700.0)",
     {"field": "weight", "reason": "700.0 kg is not plausible", "value": 700.0,
      "participant": 4}),
    (errors.MissingMeasurementError("height", "a per-m2 dose needs a height",
                                    ("height", "weight")), ValueError,
     "height: a per-m2 dose needs a height",
     {"field": "height", "reason": "a per-m2 dose needs a height", "value": None,
      "needed": ("height", "weight"), "participant": None}),
    (errors.DoseError("it rounds to 0 mg", participant=3), ValueError,
     "participant 3: it rounds to 0 mg", {"reason": "it rounds to 0 mg", "participant": 3}),
    (errors.DoseError("it rounds to 0 mg"), ValueError, "it rounds to 0 mg",
     {"reason": "it rounds to 0 mg", "participant": None}),
    (errors.DoseError("it rounds to 0 mg", None, "r.yaml", 12,
                      ("periods", 0, "courses", 1, "dose")), ValueError,
     "r.yaml:12: periods[0].courses[1].dose: it rounds to 0 mg",
     {"reason": "it rounds to 0 mg", "participant": None, "file": "r.yaml", "line": 12,
      "loc": ("periods", 0, "courses", 1, "dose"), "path": "periods[0].courses[1].dose"}),
    (errors.DoseError("it rounds to 0 mg", 2, "r.yaml", 12, ("periods", 0, "courses", 1,
                                                            "dose")), ValueError,
     "r.yaml:12: periods[0].courses[1].dose: participant 2: it rounds to 0 mg",
     {"participant": 2, "line": 12}),
    (errors.ExpandOptionError("start", "not a calendar date", "2027-13-01"), ValueError,
     "start: not a calendar date (got '2027-13-01')",
     {"option": "start", "reason": "not a calendar date", "value": "2027-13-01"}),
    (errors.ExpandOptionTypeError("tz", "a time zone is an IANA name (str)",
                                  "datetime.timezone.utc"), TypeError,
     "tz: a time zone is an IANA name (str) (got 'datetime.timezone.utc')",
     {"option": "tz", "reason": "a time zone is an IANA name (str)",
      "value": "datetime.timezone.utc", "participant": None, "code": "option-type"}),
    (errors.ParticipantTypeError("label", "a label is text", 17, participant=2), TypeError,
     "label: participant 2: a label is text (got 17)",
     {"field": "label", "reason": "a label is text", "value": 17, "participant": 2,
      "code": "participant-type"}),
    (errors.ExpandOptionError("arm", "give an arm"), ValueError, "arm: give an arm",
     {"option": "arm", "reason": "give an arm", "value": None, "participant": None}),
    (errors.ExpandOptionError("starts", "outside the calendar", "9999-12-30", participant=1),
     ValueError, "starts: participant 1: outside the calendar (got '9999-12-30')",
     {"option": "starts", "reason": "outside the calendar", "value": "9999-12-30",
      "participant": 1}),
    (errors.BlindedOutputError(("treatment",), ("active", "placebo"),
                               "line 3 of the output reads 'a' on one arm, 'b' on another"),
     ValueError,
     "this blinded output would differ between the arms of blinded period treatment (active, "
     "placebo), so it could tell the participant's arm: line 3 of the output reads 'a' on one "
     "arm, 'b' on another; it is refused on every one of these arms alike. Unblinded staff "
     "can have it with --unblinded (blinded=False); for participants, match the placebo "
     "courses and the record to the active ones",
     {"periods": ("treatment",), "arms": ("active", "placebo"),
      "difference": "line 3 of the output reads 'a' on one arm, 'b' on another",
      "code": "blinded-output-differs"}),
    (errors.BlindedOutputError(("rct", "ext"), ("a", "b", "c"), "it fails on one arm"),
     ValueError,
     "this blinded output would differ between the arms of blinded periods rct, ext (a, b, "
     "c), so it could tell the participant's arm: it fails on one arm; it is refused on "
     "every one of these arms alike. Unblinded staff can have it with --unblinded "
     "(blinded=False); for participants, match the placebo courses and the record to the "
     "active ones",
     {"periods": ("rct", "ext"), "arms": ("a", "b", "c"), "difference": "it fails on one arm"}),
    (errors.PublishError("the CalDAV server at https://cal.example/p/ refused to list it "
                         "(HTTP 500)", url="https://cal.example/p/", status=500), OSError,
     "the CalDAV server at https://cal.example/p/ refused to list it (HTTP 500)",
     {"reason": "the CalDAV server at https://cal.example/p/ refused to list it (HTTP 500)",
      "url": "https://cal.example/p/", "status": 500}),
]


def _error_classes() -> set[type]:
    return {c for _, c in inspect.getmembers(errors, inspect.isclass)
            if issubclass(c, errors.RegimenError)}


def test_the_table_covers_every_error_class() -> None:
    assert {type(e) for e, *_ in ERRORS} == _error_classes()


@pytest.mark.parametrize(("error", "builtin", "message", "fields"), ERRORS,
                         ids=[f"{type(e).__name__}-{i}" for i, (e, *_) in enumerate(ERRORS)])
def test_error_keeps_its_fields_and_pickles(error: Exception, builtin: type[Exception],
                                            message: str, fields: dict[str, Any]) -> None:
    assert isinstance(error, errors.RegimenError)
    assert isinstance(error, builtin)
    assert str(error) == message
    for name, value in fields.items():
        assert getattr(error, name) == value, name
    assert KEBAB.match(type(error).code)  # type: ignore[attr-defined]
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == message
    assert copy.args == error.args
    for name, value in fields.items():
        assert getattr(copy, name) == value, name


def test_class_codes_are_distinct() -> None:
    codes = [c.code for c in _error_classes()]
    assert len(codes) == len(set(codes))


def test_the_tree_in_the_docstring_names_every_class() -> None:
    doc = errors.__doc__ or ""
    for cls in _error_classes():
        assert cls.__name__ in doc, cls.__name__
        assert cls.__doc__, cls.__name__


# Warnings compare by value -------------------------------------------------------------

_AFTER = {"source": "R.csv", "line": 3, "drug": "dox", "drug_name": "doxorubicin",
          "given_on": date(2028, 3, 8), "study_day": 430, "arm": "a",
          "first_day": date(2027, 1, 4), "last_day": date(2027, 3, 28)}

#: One warning of every class, made as the library makes it (a message; its fields).
WARNINGS: list[errors.RegimenWarning] = [
    errors.RegimenWarning("something"),
    errors.RoundingWarning("rounding moved the dose of drug a by 12%"),
    errors.StandardDoseWarning("no standard dose within 10%: given as calculated"),
    errors.TimeShiftWarning("08:30 does not exist on Sun 2027-03-28: given at 09:30"),
    errors.ClosedDayWarning("visit w4 stays on Sat 2027-01-30, a day the site is closed"),
    errors.AnchorLengthWarning("--start 2027-01-04: the schedule is placed with period "
                               "run-in lasting 84 days"),
    errors.CumulativeDoseWarning("doxorubicin would reach 480 mg/m2, past 450 mg/m2"),
    errors.OverdoseWarning("R.csv:2: 500 mg given where 109.2 mg was planned"),
    errors.ImplausibleMeasurementWarning("R.csv:4: weight 63 lb after 63 kg"),
    errors.RecordWarning("R.csv:5: reduce from cycle 2 after cycle 2 was given"),
    errors.GivenAfterArmWarning(**_AFTER),
    errors.GivenAfterArmWarning(**_AFTER, assumed=(("treatment", 28, "4-12 weeks"),)),
    errors.UnitSlipWarning("R.csv:2: paclitaxel given 145.6 mcg on Mon 2027-01-04 where "
                           "145.6 mg was planned: 1/1,000 of it"),
]


def test_the_warning_table_covers_every_warning_class() -> None:
    classes = {c for _, c in inspect.getmembers(errors, inspect.isclass)
               if issubclass(c, errors.RegimenWarning)}
    assert {type(w) for w in WARNINGS} == classes


@pytest.mark.parametrize("warning", WARNINGS,
                         ids=[f"{type(w).__name__}-{i}" for i, w in enumerate(WARNINGS)])
def test_a_warning_equals_its_pickled_and_copied_copy(warning: errors.RegimenWarning) -> None:
    # A schedule holding warnings is compared field by field (a process pool pickles it):
    # a warning compared by identity would make a schedule unequal to its own copy.
    import copy

    for again in (pickle.loads(pickle.dumps(warning)), copy.copy(warning),
                  copy.deepcopy(warning), type(warning)(*warning.args)
                  if not isinstance(warning, errors.GivenAfterArmWarning)
                  else errors.GivenAfterArmWarning(**_AFTER, assumed=warning.assumed)):
        assert again is not warning
        assert again == warning
        assert not again != warning  # noqa: SIM202 (!= is what is tested)
        assert hash(again) == hash(warning)
    assert warning != "something"
    assert warning != str(warning)


@pytest.mark.parametrize("warning", WARNINGS,
                         ids=[f"{type(w).__name__}-{i}" for i, w in enumerate(WARNINGS)])
def test_a_pickled_warning_keeps_the_attributes_set_after_it_was_made(
        warning: errors.RegimenWarning) -> None:
    # GivenAfterArmWarning was rebuilt from its fields alone: blind_safe (which the replay
    # sets after making a warning) and any other attribute set later were dropped.
    import copy

    made = copy.copy(warning)
    made.blind_safe = not made.blind_safe
    made.note = "set later"  # type: ignore[attr-defined]
    again = pickle.loads(pickle.dumps(made))
    assert again.blind_safe is made.blind_safe
    assert again.note == "set later"  # type: ignore[attr-defined]
    assert again == made


def test_warnings_differ_by_class_message_fields_and_blind_safe() -> None:
    a = errors.AnchorLengthWarning("run-in assumed")
    # Same message, another class (a subclass too): not equal.
    assert a != errors.RegimenWarning("run-in assumed")
    assert errors.RoundingWarning("x") != errors.StandardDoseWarning("x")
    assert errors.StandardDoseWarning("x") != errors.RoundingWarning("x")
    # Another message: not equal.
    assert a != errors.AnchorLengthWarning("treatment assumed")
    # Marked blind-safe (as the engine marks one every arm says alike): not equal to one
    # that is not, and the mark survives the pickle.
    b = errors.AnchorLengthWarning("run-in assumed")
    b.blind_safe = True
    assert a != b
    copy = pickle.loads(pickle.dumps(b))
    assert copy.blind_safe
    assert copy == b
    # A GivenAfterArmWarning's fields: another line, another warning.
    assert errors.GivenAfterArmWarning(**_AFTER) != errors.GivenAfterArmWarning(
        **{**_AFTER, "line": 4})
    # Hashable by value: a set keeps one of equal warnings.
    assert len({a, errors.AnchorLengthWarning("run-in assumed"), b}) == 2


# Problems -----------------------------------------------------------------------------


def test_problem_without_a_value_shows_none() -> None:
    problem = Problem("r.yaml", 3, ("periods", 0), "missing required field 'id'",
                      code="missing-field")
    assert str(problem) == "r.yaml:3: periods[0]: missing required field 'id'"
    assert not problem.has_value


def test_problem_with_a_null_value_shows_null() -> None:
    problem = Problem("r.yaml", None, (), "expected a mapping", None, code="wrong-type")
    assert str(problem) == "r.yaml: (document): expected a mapping (got null)"


def test_problem_path_is_derived_from_its_location() -> None:
    assert _PROBLEM.path == "periods[0].courses[0].days"
    assert Problem("r.yaml", 1, ("drugs", "il2", "name"), "x", code="c").path == "drugs.il2.name"


def test_problem_needs_a_code_and_a_location_tuple() -> None:
    with pytest.raises(TypeError):
        Problem("r.yaml", 1, (), "x")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Problem("r.yaml", 1, "periods[0]", "x", code="c")  # type: ignore[arg-type]


def test_no_value_pickles_to_itself() -> None:
    assert pickle.loads(pickle.dumps(NO_VALUE)) is NO_VALUE


@pytest.mark.parametrize(("body", "code", "loc"), [
    ("periods:\n  - id: t\n    length: 4 weeks\n    colour: red\n",
     "unknown-field", ("periods", 0, "colour")),
    ("periods:\n  - id: t\n    length: 4 weeks\n    courses:\n"
     "      - {drug: il2, dose: 1 MIU, cycle: 7 days, days: 9}\n",
     "day-outside-cycle", ("periods", 0, "courses", 0, "days")),
    ("periods:\n  - id: t\n    id: u\n    length: 4 weeks\n", "duplicate-key",
     ("periods", 0, "id")),
    ("periods:\n  - length: 4 weeks\n", "missing-field", ("periods", 0)),
    ("periods:\n  - id: t\n    length: 4 weeks\n    courses:\n"
     "      - {drug: nope, dose: 1 MIU, days: 1}\n",
     "unknown-drug", ("periods", 0, "courses", 0, "drug")),
    ("periods:\n  - id: t\n    length: 4\n", "bare-number", ("periods", 0, "length")),
])
def test_problem_codes(body: str, code: str, loc: tuple[str | int, ...]) -> None:
    with pytest.raises(regimens.InvalidRegimenError) as info:
        load(body)
    (problem,) = info.value.problems
    assert (problem.code, problem.loc) == (code, loc)


# Errors raised for real ------------------------------------------------------------------


def _raised(case: dict[str, Any], tmp_path: Path) -> regimens.RegimenError | None:
    path = tmp_path / "case.yaml"
    path.write_bytes(document(case))
    try:
        regimen = regimens.load(str(path))
        if "participant" in case or "options" in case:
            options = {"arm": "x", "start": "2027-01-04", **case.get("options", {})}
            participant = regimens.Participant(**case.get("participant", {}))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                schedule = regimen.expand(options.pop("arm"), options.pop("start"),
                                          participant, **options)
                if case.get("ics"):
                    schedule.to_ics(stamp=datetime(2027, 1, 1, tzinfo=UTC))
    except regimens.RegimenError as exc:
        return exc
    return None


ERROR_CASES = [c for c in CASES if "error" in c["expect"] and "generate" not in c
               and "xfail" not in c]


@pytest.mark.parametrize("case", ERROR_CASES, ids=[c["id"] for c in ERROR_CASES])
def test_every_catalogued_error_pickles_and_problems_have_codes(
        case: dict[str, Any], tmp_path: Path) -> None:
    error = _raised(case, tmp_path)
    assert error is not None
    copy = pickle.loads(pickle.dumps(error))
    # repr: a NaN value (a refused weight) is not equal to itself.
    assert (type(copy), str(copy), repr(vars(copy))) == (type(error), str(error),
                                                         repr(vars(error)))
    for problem in getattr(error, "problems", ()):
        assert KEBAB.match(problem.code), problem
        assert isinstance(problem.loc, tuple)


# An offending value that does not pickle ----------------------------------------------------
#
# The errors keep the object given (``exc.value is`` it); their pickled copy carries an
# UnpicklableValue with its str() and repr() where it is not plain data, so the error
# still crosses a process pool with the same message (a file given as ``record=`` made the
# error itself unpicklable).


def _generator() -> Any:
    return (n for n in range(3))


#: (a value that does not pickle, made fresh), by name.
UNPICKLABLE: dict[str, Any] = {
    "lock": threading.Lock,
    "generator": _generator,
    "lambda": lambda: (lambda: 1),
    "list of a lock": lambda: [1, threading.Lock()],
    "dict of a generator": lambda: {"a": _generator()},
}

#: Each error class that stores a value given by the caller: (build it around a value,
#: the attribute holding it).
HOLDERS: list[tuple[type, Any, str]] = [
    (errors.ExpandOptionError, lambda v: errors.ExpandOptionError("record", "a Record", v),
     "value"),
    (errors.ParticipantError, lambda v: errors.ParticipantError("weight", "a number", v, 2),
     "value"),
    (errors.ExpandOptionTypeError,
     lambda v: errors.ExpandOptionTypeError("previous", "bytes or str", v), "value"),
    (errors.ParticipantTypeError,
     lambda v: errors.ParticipantTypeError("label", "text", v, 2), "value"),
    (errors.QuantityError, lambda v: errors.QuantityError("bsa", "a number", v), "value"),
    (errors.QuantityTypeError, lambda v: errors.QuantityTypeError("day", "an int", v),
     "value"),
    (errors.RegimenLookupError, lambda v: errors.RegimenLookupError("drug", v, ("a",)),
     "key"),
    (errors.UnitError, lambda v: errors.UnitError(v, "not a quantity", "write 5 mg"),
     "text"),
    (errors.InvalidRegimenError, lambda v: errors.InvalidRegimenError(
        [Problem("r.yaml", 3, ("drugs",), "not a mapping", v, code="wrong-type")]),
     "problems"),
]


def test_the_holders_cover_every_class_that_takes_a_value() -> None:
    takes = {c for c in _error_classes()
             if any(p.annotation == "object"
                    for p in inspect.signature(c.__init__).parameters.values())}
    assert takes | {errors.InvalidRegimenError} == {c for c, *_ in HOLDERS}


@pytest.mark.parametrize("kind", list(UNPICKLABLE))
@pytest.mark.parametrize(("cls", "build", "attribute"), HOLDERS,
                         ids=[c.__name__ for c, *_ in HOLDERS])
def test_an_error_holding_a_value_that_does_not_pickle_pickles(
        cls: type, build: Any, attribute: str, kind: str) -> None:
    value = UNPICKLABLE[kind]()
    with pytest.raises((TypeError, AttributeError, pickle.PicklingError)):
        pickle.dumps(value)
    error = build(value)
    held = getattr(error, attribute)
    if attribute == "problems":
        held = held[0].value
    assert held is value  # the object given, in this process
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is cls
    assert str(copy) == str(error)
    assert repr(vars(copy)) == repr(vars(error))
    kept = getattr(copy, attribute)
    if attribute == "problems":
        kept = kept[0].value
    if isinstance(value, list):
        assert kept == [1, errors.UnpicklableValue(repr(value[1]), str(value[1]))]
    elif isinstance(value, dict):
        assert kept == {"a": errors.UnpicklableValue(repr(value["a"]), str(value["a"]))}
    else:
        assert kept == errors.UnpicklableValue(repr(value), str(value))


def test_plain_values_are_kept_as_they_are() -> None:
    plain = ("text", 3, 2.5, None, True, Decimal("1.5"), date(2027, 1, 4), [1, "a"],
             {"a": (1, 2)}, NO_VALUE)
    for value in plain:
        copy = pickle.loads(pickle.dumps(errors.ExpandOptionError("x", "why", value)))
        assert copy.value == value
        assert type(copy.value) is type(value)


Point = collections.namedtuple("Point", "x y")


class _Shade(enum.IntEnum):  # an int of a caller's type: it pickles by name, reads the same
    DARK = 2


def _self_list() -> list[Any]:
    loop: list[Any] = [1]
    loop.append(loop)
    return loop


def _self_dict() -> dict[str, Any]:
    loop: dict[str, Any] = {"a": 1}
    loop["me"] = loop
    return loop


def _tuple_in_a_cycle() -> tuple[Any, ...]:
    inner: list[Any] = []
    outer = (1, inner)
    inner.append(outer)
    return outer


def _local_int() -> int:
    class Local(int):  # a class inside a function does not pickle
        def __repr__(self) -> str:
            return "Local(7)"

    return Local(7)


class _Tagged(dict[str, Any]):  # a mapping type of a caller's (a YAML loader's)
    def __repr__(self) -> str:
        return "Tagged" + dict.__repr__(self)


def _local_mapping() -> dict[str, Any]:
    class Local(dict[str, Any]):  # does not pickle: shown "a mapping" all the same
        def __repr__(self) -> str:
            return "Local" + dict.__repr__(self)

    return Local(a=1)


def _local_list() -> list[Any]:
    class Local(list[Any]):
        def __repr__(self) -> str:
            return "Local" + list.__repr__(self)

    return Local([1])


def _deep() -> list[Any]:
    value: list[Any] = []
    for _ in range(5000):  # deeper than Python's recursion limit (1000)
        value = [value]
    return value


#: Values whose pickled copy changed the message or made pickling fail, with what the
#: message must say of them, worked out by hand from show() and repr(): (make it, the
#: value's text in ExpandOptionError's message, in QuantityError's).
AWKWARD: dict[str, tuple[Any, str, str]] = {
    # a named tuple became a plain tuple: "(got P(x=1, y=2))" read "(got (1, 2))"
    "named tuple": (lambda: Point(1, 2), "Point(x=1, y=2)", "Point(x=1, y=2)"),
    "named tuple in a list": (lambda: [Point(1, 2)], "a list", "[Point(x=1, y=2)]"),
    "named tuple in a tuple": (lambda: (Point(1, 2), 3), "(Point(x=1, y=2), 3)",
                               "(Point(x=1, y=2), 3)"),
    # a list or mapping that contains itself: pickle.dumps raised RecursionError
    "list of itself": (_self_list, "a list", "[1, [...]]"),
    "mapping of itself": (_self_dict, "a mapping", "{'a': 1, 'me': {...}}"),
    "tuple in a cycle": (_tuple_in_a_cycle, "(1, [(...)])", "(1, [(...)])"),
    "an IntEnum": (lambda: _Shade.DARK, "2", "<_Shade.DARK: 2>"),
    # str() of an int subclass is its repr() (int defines no __str__ of its own)
    "an int of a local class": (_local_int, "Local(7)", "Local(7)"),
    "a mapping of a caller's type": (lambda: _Tagged(a=1), "a mapping", "Tagged{'a': 1}"),
    "a mapping of a local type": (_local_mapping, "a mapping", "Local{'a': 1}"),
    "a list of a local type": (_local_list, "a list", "Local[1]"),
}


@pytest.mark.parametrize("kind", list(AWKWARD))
def test_an_error_s_message_survives_pickling_for_any_value(kind: str) -> None:
    make, shown, text = AWKWARD[kind]
    for error, expected in (
            (errors.ExpandOptionError("x", "why", make()), f"x: why (got {shown})"),
            (errors.QuantityError("q", "why", make()), f"why (got {text})")):
        copy = pickle.loads(pickle.dumps(error))
        assert str(error) == expected
        assert str(copy) == expected


@pytest.mark.parametrize(("cls", "build", "attribute"), HOLDERS,
                         ids=[c.__name__ for c, *_ in HOLDERS])
@pytest.mark.parametrize("kind", list(AWKWARD))
def test_every_holder_pickles_any_value_with_its_message(
        cls: type, build: Any, attribute: str, kind: str) -> None:
    error = build(AWKWARD[kind][0]())
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is cls
    assert str(copy) == str(error)


def test_a_named_tuple_stays_one_in_the_copy() -> None:
    copy = pickle.loads(pickle.dumps(errors.ExpandOptionError("x", "why", Point(1, 2))))
    assert copy.value == Point(1, 2)
    assert type(copy.value) is Point


def test_a_value_nested_deeper_than_python_recurses_still_pickles() -> None:
    # Its text cannot be made either (repr recurses): the copy says what it was, never
    # raises.
    error = errors.QuantityError("q", "why", _deep())
    copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == "why (got <list object>)"


def test_a_record_that_is_an_open_file_gives_an_error_that_pickles(tmp_path: Path) -> None:
    regimen = regimens.load("mirocals")
    path = tmp_path / "r.csv"
    path.write_text("date,event\n", encoding="utf-8")
    with path.open(encoding="utf-8") as handle:
        for bad in (handle, threading.Lock(), _generator()):
            with pytest.raises(regimens.ExpandOptionError) as info:
                regimen.expand("il2", "2027-01-04", record=bad)  # type: ignore[arg-type]
            copy = pickle.loads(pickle.dumps(info.value))
            assert str(copy) == str(info.value)
            assert str(copy).startswith("record: a Record (regimens.record.Record), as read "
                                        "from the participant's record file (got <")


def test_study_day_errors_are_library_errors() -> None:
    with pytest.raises(regimens.QuantityError) as zero:
        regimens.StudyDay(0)
    assert isinstance(zero.value, ValueError)
    assert str(zero.value) == "there is no Study Day 0: the day before Day 1 is Day -1"
    with pytest.raises(regimens.QuantityTypeError) as text:
        regimens.StudyDay("3")  # type: ignore[arg-type]
    assert isinstance(text.value, TypeError)
    assert str(text.value) == "a study day is an int (got '3')"


def test_bsa_error_is_a_library_error() -> None:
    from decimal import Decimal

    with pytest.raises(regimens.QuantityError) as caught:
        regimens.bsa(Decimal(0), Decimal(70), regimens.BSAFormula.MOSTELLER)
    assert isinstance(caught.value, ValueError)
    assert (caught.value.quantity, str(caught.value)) == (
        "bsa", "height and weight must be positive")


def test_cohort_participant_error_names_the_participant_as_a_field() -> None:
    pytest.importorskip("numpy")
    from regimens.cohort import expand_cohort

    regimen = regimens.loads(HEAD + "periods:\n  - id: p\n    length: 1 week\n    courses:\n"
                             "      - {drug: il2, dose: 1 mg/kg, days: [1]}\n")
    with pytest.raises(regimens.ParticipantError) as caught:
        expand_cohort(regimen, "a", ["2027-01-04"] * 3, weights=[70, 80, 900])
    assert (caught.value.field, caught.value.participant, caught.value.value) == (
        "weight", 2, 900.0)
    assert str(caught.value) == "weight: participant 2: " + caught.value.reason + " (got 900.0)"


def test_cohort_dose_error_names_the_participant_as_a_field() -> None:
    pytest.importorskip("numpy")
    from regimens.cohort import expand_cohort

    regimen = regimens.loads(HEAD + "periods:\n  - id: p\n    length: 1 week\n    courses:\n"
                             "      - {drug: il2, dose: 1 mg/kg, round: 50 mg, rounding: down,"
                             " days: [1]}\n")
    with pytest.raises(regimens.DoseError) as caught:
        expand_cohort(regimen, "a", ["2027-01-04"] * 3, weights=[70, 80, 30])
    assert caught.value.participant == 2
    assert caught.value.reason == ("1 mg per kg gives 30 mg, which rounds down to a multiple "
                                   "of 50 mg as 0; use a smaller 'round' increment")
    assert str(caught.value) == ("<string>:15: periods[0].courses[0].dose: participant 2: "
                                 + caught.value.reason)


# Nothing reads a message back ------------------------------------------------------------

_TEXT_METHODS = {"split", "rsplit", "partition", "rpartition", "removeprefix", "find", "index",
                 "startswith", "endswith"}


def _message_reads(tree: ast.AST) -> list[int]:
    """Lines that take a message apart: ``str(exc).split(...)`` and the like.

    Any ``str(NAME).METHOD`` counts (the library has no other use for it), so that an
    error passed in as an argument is caught as well as one bound by ``except``.
    """
    lines = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr in _TEXT_METHODS
                and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name) and node.value.func.id == "str"
                and len(node.value.args) == 1 and isinstance(node.value.args[0], ast.Name)):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("source", [
    "try:\n    pass\nexcept ValueError as exc:\n    m = str(exc).split(': ', 1)[1]\n",
    "def unit_fail(exc):\n    pass\n    return str(exc).partition(' (got ')[0]\n",
])
def test_the_scan_finds_a_message_read_back(source: str) -> None:
    assert len(_message_reads(ast.parse(source))) == 1


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_reads_an_error_message_back(path: Path) -> None:
    assert _message_reads(ast.parse(path.read_text("utf-8"))) == []


# Every problem code is documented ----------------------------------------------------------

ERRORS_MD = Path(__file__).resolve().parents[1] / "docs" / "errors.md"


def _codes_in_src() -> set[str]:
    """Every ``code="..."`` given where a problem is made."""
    codes = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call):
                codes |= {k.value.value for k in node.keywords if k.arg == "code"
                          and isinstance(k.value, ast.Constant)}
    return codes


def test_problem_codes_are_kebab_case_and_documented() -> None:
    in_src = _codes_in_src()
    assert len(in_src) >= 60
    assert all(KEBAB.match(c) for c in in_src), sorted(c for c in in_src if not KEBAB.match(c))
    table = ERRORS_MD.read_text("utf-8").split("| Code | The rule |", 1)[1].split("\n\n")[0]
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", table, re.MULTILINE))
    assert in_src == documented
