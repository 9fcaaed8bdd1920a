"""A participant's record that is wrong raises :class:`regimens.InvalidRecordError`, by every
route (cold try 4, C7): reading a record's text (CSV, YAML) or file, building one in Python,
checking it against the regimen, replaying it (``Regimen.expand(..., record=...)``,
``regimens.record.replay``), and ``expand --record``. Before, each was an
``InvalidRegimenError`` of code ``invalid-regimen`` although the regimen was fine, so an
embedding program could not tell a record's mistake from a regimen's.

The class is a subclass of ``InvalidRegimenError`` (``except InvalidRegimenError`` and
``except ValueError`` still catch it), with the same fields and the same message; its own
``code`` is ``invalid-record`` and its problems keep their own codes. A regimen's own
problem met on the way (a step no administration receives, found when expanding) stays an
``InvalidRegimenError``.
"""

from __future__ import annotations

import datetime
import pickle
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import regimens
from regimens import (
    EventKind,
    InvalidRecordError,
    InvalidRegimenError,
    Participant,
    Record,
    RecordRow,
    load_record,
    read_record,
)
from regimens.cli import main
from regimens.record import replay
from support.records import DOXDOC, RECORD_HEADER

DOX = regimens.loads(DOXDOC, "doxdoc.yaml")
# 60 mg/m2 needs a BSA; 70 kg and 170 cm give one.
BODY = Participant(weight="70 kg", height="170 cm")


def _csv(rows: str, **options: Any) -> Record:
    return read_record(RECORD_HEADER + rows, name="R.csv", **options)


def _expand(rows: str, participant: Participant = BODY) -> regimens.Schedule:
    return DOX.expand("x", "2027-01-04", participant, record=_csv(rows))


def _replay(rows: str) -> regimens.Schedule:
    return replay(DOX.expand("x", "2027-01-04", BODY), _csv(rows))


def _file(tmp_path: Path, name: str, text: str | None) -> Path:
    path = tmp_path / name
    if text is None:
        path.mkdir()
    else:
        path.write_text(text, encoding="utf-8")
    return path


# id: (the call (given a temporary directory), the problems' (line, code), its message
# when pinned here). Each message is worked from its input (the rows are on line 2 of R.csv,
# after the header; doxdoc's six 21-day cycles from Mon 2027-01-04 run to Sun 2027-05-09,
# 18 weeks: 4 January + 125 days).
ROUTES: dict[str, tuple[Callable[[Path], object], list[tuple[int | None, str]], str | None]] = {
    # Reading: a cell, the header, a YAML document that is not a list, text that is not YAML.
    "csv-cell": (lambda _: _csv("2027-01-04,givne,dox,,,,,\n"), [(2, "not-one-of")],
                 "R.csv:2: event: did you mean 'given'? an event is one of: given, missed, "
                 "delay, move, hold, resume, reduce, measure, stop, void (got 'givne')"),
    "csv-header": (lambda _: read_record("date,event,drug,dose\n", name="R.csv"),
                   [(1, "unknown-column"), (1, "missing-column")], None),
    "csv-not-utf8": (lambda _: read_record(b"\xff", name="R.csv"), [(1, "not-utf8")], None),
    "yaml-not-a-list": (lambda _: read_record("a: 1\n", name="R.yaml", kind="yaml"),
                        [(1, "wrong-type")],
                        "R.yaml:1: (document): a YAML record is a list of rows, each a mapping "
                        "(- {date: 2027-01-04, event: given, drug: dox})"),
    # The format's own YAML reader, of a record here.
    "yaml-invalid": (lambda _: read_record("- [\n", name="R.yaml", kind="yaml"),
                     [(2, "invalid-yaml")], None),
    "yaml-not-utf8": (lambda _: read_record(b"- \xff\n", name="R.yaml", kind="yaml"),
                      [(1, "not-utf8")], None),
    # Files: another suffix, a directory, none at all.
    "file-suffix": (lambda tmp: load_record(_file(tmp, "R.txt", "")),
                    [(None, "record-suffix")], None),
    "file-directory": (lambda tmp: load_record(_file(tmp, "R.csv", None)),
                       [(None, "is-a-directory")], None),
    "file-missing": (lambda tmp: load_record(tmp / "none.csv"), [(None, "unreadable-file")],
                     None),
    "file-row": (lambda tmp: load_record(_file(tmp, "R.csv", RECORD_HEADER + "x,given,dox,,,,,\n")),
                 [(2, "bad-date")], None),
    # Names the regimen lacks, the regimen known: while reading, and checked afterwards.
    "read-unknown-drug": (lambda _: _csv("2027-01-04,given,doxo,,,,,\n", regimen=DOX, arm="x"),
                          [(2, "unknown-drug")],
                          "R.csv:2: drug: did you mean 'dox'? no drug of doxdoc has this id "
                          "(drugs: dox) (got 'doxo')"),
    "check-against": (lambda _: _csv("2027-01-25,given,dox,9,1,,,\n").check_against(DOX, "x"),
                      [(2, "unknown-cycle")],
                      "R.csv:2: cycle: dox has no cycle 9 (cycles 1-6) (got 9)"),
    "expand-unknown-drug": (lambda _: _expand("2027-01-04,given,doxo,,,,,\n"),
                            [(2, "unknown-drug")], None),
    # Built in Python: a void of a line no row starts on.
    "python-record": (lambda _: Record("<py>", (RecordRow(
        "<py>", 2, event=EventKind.VOID, date=datetime.date(2027, 1, 4), voids=1),)),
        [(2, "void-unknown-line")],
        "<py>:2: line: a void names an earlier row of the record by its line: no row starts "
        "on that line (got 1)"),
    # The replay: through expand and through replay() itself.
    "expand-outside-arm": (lambda _: _expand("2026-12-20,given,dox,1,1,,,\n"),
                           [(2, "record-outside-arm")],
                           "R.csv:2: date: doxorubicin given on Sun 2026-12-20, before the "
                           "arm's first day: outside every period of the arm (Mon 2027-01-04 to "
                           "Sun 2027-05-09); check the date (its year) (got '2026-12-20')"),
    "expand-resume-without-hold": (lambda _: _expand("2027-01-20,resume,dox,,,,,\n"),
                                   [(2, "record-resume-without-hold")], None),
    "replay-delay-not-later": (lambda _: _replay("2027-01-20,delay,dox,2,,,,\n"),
                               [(2, "record-delay-not-later")], None),
    # A measurement that leaves a dose without the BSA it needs (the replay's dosing).
    "expand-bsa-out-of-date": (lambda _: _expand("2027-02-10,measure,,,,63 kg,,\n",
                                                 Participant(bsa="1.8 m2")),
                               [(2, "bsa-out-of-date")], None),
}


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_raises_invalid_record_error(route: str, tmp_path: Path) -> None:
    call, problems, message = ROUTES[route]
    with pytest.raises(InvalidRegimenError) as caught:  # still caught as before
        call(tmp_path)
    error = caught.value
    assert type(error) is InvalidRecordError
    assert isinstance(error, ValueError)
    assert isinstance(error, regimens.RegimenError)
    assert error.code == "invalid-record"
    assert [(p.line, p.code) for p in error.problems] == problems
    assert str(error) == "\n".join(str(p) for p in error.problems)
    if message is not None:
        assert str(error) == message


@pytest.mark.parametrize("route", ROUTES)
def test_it_pickles_with_its_class_and_message(route: str, tmp_path: Path) -> None:
    call, _, _ = ROUTES[route]
    with pytest.raises(InvalidRecordError) as caught:
        call(tmp_path)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is InvalidRecordError
    assert copy.code == "invalid-record"
    assert copy.problems == caught.value.problems
    assert str(copy) == str(caught.value)


def test_the_class_in_the_tree() -> None:
    assert issubclass(InvalidRecordError, InvalidRegimenError)
    assert InvalidRegimenError.code == "invalid-regimen"
    assert regimens.InvalidRecordError is regimens.errors.InvalidRecordError
    assert "InvalidRecordError" in regimens.__all__


# The CLI's exit code and message stay as they were: the problems' lines, on standard error.
CLI_ROWS = {
    "a cell": "2027-01-04,givne,dox,,,,,\n",
    "an unknown drug": "2027-01-04,given,doxo,,,,,\n",
    "outside the arm": "2026-12-20,given,dox,1,1,,,\n",
    "a resume without a hold": "2027-01-20,resume,dox,,,,,\n",
}


@pytest.mark.parametrize("rows", CLI_ROWS.values(), ids=list(CLI_ROWS))
def test_expand_record_on_the_command_line(rows: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    regimen = _file(tmp_path, "doxdoc.yaml", DOXDOC)
    record = _file(tmp_path, "R.csv", RECORD_HEADER + rows)
    with pytest.raises(InvalidRecordError) as caught:
        regimens.load(str(regimen)).expand(
            "x", "2027-01-04", BODY, record=load_record(record, regimen=regimens.load(
                str(regimen)), arm="x"))
    code = main(["expand", str(regimen), "--arm", "x", "--start", "2027-01-04",
                 "--weight", "70kg", "--height", "170cm", "--record", str(record)])
    assert code == 2
    assert capsys.readouterr().err == str(caught.value) + "\n"


def test_a_regimen_problem_on_the_record_route_stays_a_regimen_error() -> None:
    # Steps by 3-day cycles given on Mondays: from a Monday, Study Days 1 and 8 (cycles 1
    # and 3) are Mondays, so the second step (cycle 2) has no administration; found when
    # expanding, with a record or without.
    regimen = regimens.loads("""\
format: regimens/1
id: steps
title: Steps
drugs: {treg: {name: treg, route: oral}}
arms: {a: {label: A}}
periods:
  - id: t
    length: 9 days
    courses:
      - {drug: treg, cycle: 3 days, weekdays: [mon], steps: [{dose: 10 mg, cycles: 1},
         {dose: 20 mg, cycles: 1}, {dose: 40 mg, cycles: 1}]}
""", "steps.yaml")
    with pytest.raises(InvalidRegimenError) as caught:
        regimen.expand("a", "2027-01-04", record=read_record(RECORD_HEADER, name="R.csv"))
    assert type(caught.value) is InvalidRegimenError
    assert caught.value.code == "invalid-regimen"
    assert [p.code for p in caught.value.problems] == ["step-without-administrations"]


def test_the_record_package_raises_no_plain_invalid_regimen_error() -> None:
    # Every error the record package makes is a record's: none is built as the parent.
    source = Path(regimens.record.__file__).parent
    found = [f"{path.name}:{n}" for path in sorted(source.glob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if "InvalidRegimenError(" in line]
    assert found == []


def test_every_class_code_is_listed_in_errors_md() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "errors.md").read_text("utf-8")
    table = text.split("| Class | `code` |", 1)[1].split("\n\n")[0]
    listed = dict(re.findall(r"^\| `(\w+)` \| `([a-z-]+)` \|$", table, re.MULTILINE))
    classes = {name: cls.code for name, cls in vars(regimens.errors).items()
               if isinstance(cls, type) and issubclass(cls, regimens.RegimenError)}
    assert listed == classes
