"""A void names the row it withdraws by its line and restates it (issue 13).

A line number is the line of the row in its file: it changes when a CSV record is written
as YAML (no header line; a row may take two lines), when rows are reordered or a comment
is added. A void that only named a line then withdrew whatever row sat there, silently.
A void now restates the row it withdraws (its event after ``void``, its date, drug, time,
cycle, day, amount and level: every cell but the reason), and a void whose line holds
another row is an error naming both. The records replay over doxorubicin 60 mg/m2 on day 1
of six 21-day cycles from 2027-01-04 (cycle 2 day 1 is due on 2027-01-25).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import regimens
from regimens import (
    EventKind,
    InvalidRegimenError,
    Participant,
    Record,
    RecordRow,
    load_record,
    read_record,
)
from regimens.cli import main
from regimens.quantities import parse_amount
from support.records import DOXDOC

HEAD = "date,event,drug,cycle,day,amount,level,reason,line"
WHY = ("a void restates the row it withdraws (every cell but the reason), so correct the "
       "void, or name the line of the row meant (lines change when a file is converted or "
       "its rows reordered)")

# Cycle 2 recorded given, then found missed: the given row is withdrawn by line 5.
CSV = f"""\
{HEAD}
2027-01-04,given,dox,,,,,,
2027-01-25,given,dox,,,,,,
2027-01-25,missed,dox,,,,,patient unwell,
2027-01-25,void given,dox,,,,,entered in error,3
"""


def _statuses(record: Record) -> list[tuple[str, str]]:
    regimen = regimens.loads(DOXDOC, "dox.yaml")
    s = regimen.expand("x", "2027-01-04", Participant(weight="70 kg", height="170 cm"),
                       record=record)
    return [(a.date.isoformat(), a.status.value) for a in s.administrations[:3]]


def _error(text: str, name: str = "P.csv", kind: str = "csv") -> list[str]:
    with pytest.raises(InvalidRegimenError) as exc:
        read_record(text, name=name, kind=kind)
    return [str(p) for p in exc.value.problems]


def test_the_void_withdraws_the_row_it_restates() -> None:
    record = read_record(CSV, name="P.csv")
    ((void, withdrawn),) = record.voided()
    assert (void.line, withdrawn.line, withdrawn.event) == (5, 3, EventKind.GIVEN)
    # Cycle 2 day 1 (2027-01-25) is missed, never given.
    assert _statuses(record) == [("2027-01-04", "given"), ("2027-01-25", "missed"),
                                 ("2027-02-15", "planned")]


# The file written as YAML keeps the CSV's line numbers in the void: stale. ---------------

# Without the header every row is one line up: line 3 now holds the missed row. Before,
# the void withdrew it, and cycle 2 counted as given.
YAML_STALE = """\
- {date: 2027-01-04, event: given, drug: dox}
- {date: 2027-01-25, event: given, drug: dox}
- {date: 2027-01-25, event: missed, drug: dox, reason: patient unwell}
- {date: 2027-01-25, event: void given, drug: dox, line: 3, reason: entered in error}
"""


def test_a_csv_record_written_as_yaml_with_its_old_line_is_an_error() -> None:
    assert _error(YAML_STALE, "P.yaml", "yaml") == [
        f"P.yaml:4: line: line 3 is a missed row of dox on 2027-01-25; this void names a "
        f"given row: {WHY} (got 3)"]


def test_the_yaml_twin_with_its_own_line_withdraws_the_same_row() -> None:
    record = read_record(YAML_STALE.replace("line: 3", "line: 2"), name="P.yaml",
                         kind="yaml")
    assert [(r.line, r.event) for r in record.effective()] == [
        (1, EventKind.GIVEN), (3, EventKind.MISSED)]
    assert _statuses(record) == _statuses(read_record(CSV, name="P.csv"))


def test_a_comment_added_above_the_rows_is_an_error() -> None:
    # The right YAML (line 2), then a comment line on top: the given row is on line 3, the
    # void names line 2, now the first dose.
    text = "# P-017, cycle 2 corrected\n" + YAML_STALE.replace("line: 3", "line: 2")
    assert _error(text, "P.yaml", "yaml") == [
        f"P.yaml:5: line: line 2 is a given row of dox on 2027-01-04; this void names "
        f"2027-01-25: {WHY} (got 2)"]


def test_rows_reordered_is_an_error() -> None:
    # The rows sorted by event then date: line 3 now holds the first dose.
    text = f"""\
{HEAD}
2027-01-25,missed,dox,,,,,patient unwell,
2027-01-04,given,dox,,,,,,
2027-01-25,given,dox,,,,,,
2027-01-25,void given,dox,,,,,entered in error,3
"""
    assert _error(text) == [
        f"P.csv:5: line: line 3 is a given row of dox on 2027-01-04; this void names "
        f"2027-01-25: {WHY} (got 3)"]


def test_two_measurements_of_one_day_told_apart_by_their_values() -> None:
    # Weight and height measured the same day differ only in the amount cell.
    text = f"""\
{HEAD}
2027-01-25,measure,,,,63 kg,,,
2027-01-25,measure,,,,172 cm,,,
2027-01-25,void measure,,,,172 cm,,typed on the wrong line,2
"""
    assert _error(text) == [
        f"P.csv:4: line: line 2 is a measure row on 2027-01-25, weight 63 kg; this void names "
        f"height 172 cm: {WHY} (got 2)"]
    ok = read_record(text.replace(",2\n", ",3\n"), name="P.csv")
    assert [str(r.measurement) for r in ok.effective()] == ["weight 63 kg"]


# What a mismatch says, word for word: each cell the void gets wrong. --------------------

MISMATCHES = [
    # The example: the date.
    ("2027-02-03,given,il2,,,,,,\n", "2027-02-04,void given,il2,,,,,,2\n",
     "line 2 is a given row of il2 on 2027-02-03; this void names 2027-02-04"),
    ("2027-02-03,given,il2,,,,,,\n", "2027-02-03,void missed,il2,,,,,,2\n",
     "line 2 is a given row of il2 on 2027-02-03; this void names a missed row"),
    ("2027-02-03,given,il2,,,,,,\n", "2027-02-03,void given,dox,,,,,,2\n",
     "line 2 is a given row of il2 on 2027-02-03; this void names drug dox"),
    ("2027-02-03,given,il2,2,1,0.5 MIU,,,\n", "2027-02-03,void given,il2,,,,,,2\n",
     "line 2 is a given row of il2 on 2027-02-03, cycle 2 day 1, 0.5 MIU; this void names "
     "no cycle, no amount"),
    ("2027-02-03,given,il2,2,1,0.5 MIU,,,\n", "2027-02-03,void given,il2,2,8,1 MIU,,,2\n",
     "line 2 is a given row of il2 on 2027-02-03, cycle 2 day 1, 0.5 MIU; this void names "
     "cycle 2 day 8, 1 MIU"),
    ("2027-02-03,reduce,il2,,,,-1 (80%),,\n", "2027-02-03,void reduce,il2,,,,-1,,2\n",
     "line 2 is a reduce row of il2 on 2027-02-03, level -1 80%; this void names level -1"),
    ("2027-02-03,delay,,3,,,,,\n", "2027-02-03,void delay,il2,3,,,,,2\n",
     "line 2 is a delay row on 2027-02-03, cycle 3; this void names drug il2"),
    ("2027-02-03,hold,il2,,,,,,\n", "2027-02-03,void stop,il2,,,,,,2\n",
     "line 2 is a hold row of il2 on 2027-02-03; this void names a stop row"),
]


@pytest.mark.parametrize(("row", "void", "said"), MISMATCHES)
def test_a_void_that_does_not_restate_its_line_says_both(row: str, void: str,
                                                         said: str) -> None:
    assert _error(f"{HEAD}\n{row}{void}") == [f"P.csv:3: line: {said}: {WHY} (got 2)"]


def test_a_row_with_a_time_is_restated_with_it() -> None:
    # Two doses of one day, 08:00 and 20:00: the time tells them apart.
    text = (f"{HEAD},time\n2027-02-03,given,il2,,,,,,,08:00\n2027-02-03,given,il2,,,,,,,20:00\n"
            "2027-02-03,void given,il2,,,,,,2,20:00\n")
    assert _error(text) == [
        f"P.csv:4: line: line 2 is a given row of il2 on 2027-02-03 at 08:00; this void names "
        f"at 20:00: {WHY} (got 2)"]
    ok = read_record(text.replace(",2,20:00", ",3,20:00"), name="P.csv")
    assert [r.line for r in ok.effective()] == [2]


# A void as written before: a line, no restatement. ---------------------------------------

def test_a_void_restating_nothing_says_what_to_write() -> None:
    text = (f"{HEAD},time\n2027-02-03,given,il2,2,1,0.5 MIU,,vomited,,09:30\n"
            "2027-02-10,void,,,,,,entered in error,2,\n")
    assert _error(text) == [
        "P.csv:3: event: a void restates the row it withdraws (every cell but the reason), so "
        "that a stale line number (lines change when a file is converted or its rows "
        "reordered) cannot withdraw another row: line 2 is a given row of il2 on 2027-02-03 "
        "at 09:30, cycle 2 day 1, 0.5 MIU; to withdraw it, write event 'void given', date "
        "2027-02-03, drug il2, time 09:30, cycle 2, day 1, amount 0.5 MIU (got 'void')"]
    # Written as the message says, the void withdraws line 2.
    fixed = text.replace("2027-02-10,void,,,,,,entered in error,2,",
                         "2027-02-03,void given,il2,2,1,0.5 MIU,,entered in error,2,09:30")
    assert read_record(fixed, name="P.csv").effective() == ()


@pytest.mark.parametrize(("row", "restated", "void"), [
    ("2027-01-25,measure,,,,63 kg,,,", "event 'void measure', date 2027-01-25, amount 63 kg",
     "2027-01-25,void measure,,,,63 kg,,,2"),
    ("2027-01-25,reduce,dox,2,,,-1 (80%),,",
     "event 'void reduce', date 2027-01-25, drug dox, cycle 2, level -1 (80%)",
     "2027-01-25,void reduce,dox,2,,,-1 (80%),,2"),
    ("2027-01-25,reduce,dox,,,,75%,,", "event 'void reduce', date 2027-01-25, drug dox, "
     "level 75%", "2027-01-25,void reduce,dox,,,,75%,,2"),
    ("2027-01-25,stop,,,,,,progression,", "event 'void stop', date 2027-01-25",
     "2027-01-25,void stop,,,,,,,2"),
])
def test_the_cells_to_write_are_those_of_the_row(row: str, restated: str, void: str) -> None:
    (problem,) = _error(f"{HEAD}\n{row}\n2027-02-01,void,,,,,,,2\n")
    assert problem.endswith(f"; to withdraw it, write {restated} (got 'void')")
    # Written so (by hand, from the message), the void withdraws the row.
    assert read_record(f"{HEAD}\n{row}\n{void}\n", name="P.csv").effective() == ()


# Every event can be voided; values compare as read. --------------------------------------

VOIDS = [
    ("2027-01-04,given,dox,,,,,,", "2027-01-04,void given,dox,,,,,typo,2"),
    ("2027-01-25,given,dox,2,1,50 mg,,vomited,", "2027-01-25,void given,dox,2,1,50.0 mg,,,2"),
    ("2027-01-25,missed,dox,2,1,,,,", "2027-01-25,void missed,dox,2,1,,,,2"),
    ("2027-02-22,delay,,3,,,,neutropenia,", "2027-02-22,void delay,,3,,,,,2"),
    ("2027-02-03,delay,dox,2,8,,,,", "2027-02-03,void delay,dox,2,8,,,,2"),
    ("2027-01-27,move,dox,2,1,,,,", "2027-01-27,void move,dox,2,1,,,,2"),
    ("2027-02-01,hold,dox,,,,,,", "2027-02-01,void hold,dox,,,,,,2"),
    ("2027-02-01,resume,,,,,,,", "2027-02-01,void resume,,,,,,,2"),
    ("2027-02-22,reduce,dox,,,,-1 (80%),,", "2027-02-22,void reduce,dox,,,,-1 (80%),,2"),
    ("2027-02-22,reduce,dox,3,,,80%,,", "2027-02-22,void reduce,dox,3,,,80 %,,2"),
    ("2027-02-22,measure,,,,63 kg,,,", "2027-02-22,void measure,,,,63.0 kg,,,2"),
    ("2027-02-22,measure,,,,172 cm,,,", "2027-02-22,void measure,,,,1.72 m,,,2"),
    ("2027-02-22,measure,,,,1.8 m2,,,", "2027-02-22,void measure,,,,1.80 m²,,,2"),
    ("2027-02-22,measure,,,,97 umol/L,,,", "2027-02-22,void measure,,,,97 µmol/L,,,2"),
    ("2027-02-22,measure,,,,95 mL/min,,,", "2027-02-22,void measure,,,,95 mL/min,,,2"),
    ("2027-03-01,stop,,,,,,progression,", "2027-03-01,void stop,,,,,,wrong patient,2"),
]


@pytest.mark.parametrize(("row", "void"), VOIDS)
def test_every_event_can_be_voided(row: str, void: str) -> None:
    record = read_record(f"{HEAD}\n{row}\n{void}\n", name="P.csv")
    assert record.effective() == ()
    ((v, w),) = record.voided()
    assert (v.line, w.line, v.voided_event) == (3, 2, w.event)


@pytest.mark.parametrize(("row", "void", "said"), [
    # Another value of the same kind, or another kind, is another row.
    ("2027-02-22,measure,,,,63 kg,,,", "2027-02-22,void measure,,,,64 kg,,,2",
     "line 2 is a measure row on 2027-02-22, weight 63 kg; this void names weight 64 kg"),
    ("2027-02-22,measure,,,,1.8 m2,,,", "2027-02-22,void measure,,,,180 cm,,,2",
     "line 2 is a measure row on 2027-02-22, bsa 1.8 m2; this void names height 180 cm"),
    # 1.1 mg/dL is 97.24 µmol/L: the void restates the row as written, not a conversion.
    ("2027-02-22,measure,,,,1.1 mg/dL,,,", "2027-02-22,void measure,,,,97.24 umol/L,,,2",
     "line 2 is a measure row on 2027-02-22, creatinine 1.1 mg/dL; this void names "
     "creatinine 97.24 umol/L"),
    ("2027-01-25,given,dox,,,50 mg,,,", "2027-01-25,void given,dox,,,0.05 g,,,2",
     "line 2 is a given row of dox on 2027-01-25, 50 mg; this void names 0.05 g"),
])
def test_values_compare_as_read(row: str, void: str, said: str) -> None:
    assert _error(f"{HEAD}\n{row}\n{void}\n") == [f"P.csv:3: line: {said}: {WHY} (got 2)"]


# How a void is written. -------------------------------------------------------------------

@pytest.mark.parametrize(("event", "message"), [
    ("void givne", "event: did you mean 'void given'? a void is written 'void' and the event "
     "of the row it withdraws (void given, void missed ...; events: given, missed, delay, "
     "move, hold, resume, reduce, measure, stop) (got 'void givne')"),
    ("void void", "event: a void withdraws a row that is not a void: enter the row again "
     "instead of voiding a void"),
])
def test_how_a_void_is_written(event: str, message: str) -> None:
    text = f"{HEAD}\n2027-01-04,given,dox,,,,,,\n2027-01-04,{event},dox,,,,,,2\n"
    assert _error(text) == [f"P.csv:3: {message}"]


def test_a_void_needs_what_its_event_needs() -> None:
    assert _error(f"{HEAD}\n2027-01-04,given,dox,,,,,,\n,void given,,,,,,,2\n") == [
        "P.csv:3: date: a void given row needs its date",
        "P.csv:3: drug: a void given row needs a drug"]


def test_the_schema_lists_the_void_events() -> None:
    enum = regimens.record_schema()["items"]["properties"]["event"]["enum"]
    assert enum == ["given", "missed", "delay", "move", "hold", "resume", "reduce", "measure",
                    "stop", "void", "void given", "void missed", "void delay", "void move",
                    "void hold", "void resume", "void reduce", "void measure", "void stop"]


# Through load_record and the command line. ------------------------------------------------

def test_expand_refuses_a_stale_void(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "P.yaml").write_text(YAML_STALE, encoding="utf-8")
    (tmp_path / "dox.yaml").write_text(DOXDOC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InvalidRegimenError):
        load_record("P.yaml")
    code = main(["expand", "dox.yaml", "--arm", "x", "--start", "2027-01-04", "--weight",
                 "70kg", "--height", "170cm", "--record", "P.yaml"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"P.yaml:4: line: line 3 is a missed row of dox on 2027-01-25; this void names a "
        f"given row: {WHY} (got 3)"]


# Property: a void never withdraws a row it does not restate. -----------------------------

_EVENTS = st.sampled_from([
    {"event": EventKind.GIVEN, "drug": "dox"},
    {"event": EventKind.GIVEN, "drug": "dox", "amount": parse_amount("50 mg")},
    {"event": EventKind.MISSED, "drug": "dox"},
    {"event": EventKind.HOLD, "drug": "dox"},
    {"event": EventKind.STOP, "drug": "dox"},
    {"event": EventKind.REDUCE, "drug": "dox", "level": -1},
    {"event": EventKind.GIVEN, "drug": "cis"},
])
_ROWS = st.lists(st.tuples(_EVENTS, st.integers(0, 2)), min_size=2, max_size=6)


def _row(line: int, cells: dict[str, Any], day: int) -> RecordRow:
    return RecordRow("P.csv", line, date(2027, 1, 4 + day), **cells)


@given(_ROWS, st.data())
def test_a_void_withdraws_only_the_row_it_restates(rows: list[tuple[dict[str, Any], int]],
                                                    data: st.DataObject) -> None:
    made = [_row(line, cells, day) for line, (cells, day) in enumerate(rows, start=2)]
    meant = data.draw(st.sampled_from(made))
    named = data.draw(st.sampled_from(made))
    void = RecordRow("P.csv", len(made) + 2, meant.date, EventKind.VOID, drug=meant.drug,
                     amount=meant.amount, level=meant.level, voids=named.line,
                     voided_event=meant.event)
    same = ("event", "date", "drug", "amount", "level")
    if all(getattr(named, k) == getattr(meant, k) for k in same):
        # The line names the row meant, or a row identical to it but its reason.
        ((_, withdrawn),) = Record("P.csv", (*made, void)).voided()
        assert withdrawn is named
    else:
        # Named another row: refused, saying so.
        with pytest.raises(InvalidRegimenError) as exc:
            Record("P.csv", (*made, void))
        assert [p.code for p in exc.value.problems] == ["void-mismatch"]


# docs/record.md, "Voids": the example files and the error they show. ---------------------

def test_the_documented_voids() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "record.md").read_text(encoding="utf-8")
    section = docs[docs.index("### Voids"):docs.index("## Policies")]
    csv, error = re.findall(r"```text\n(.*?)```", section, re.S)
    (yaml,) = re.findall(r"```yaml\n(.*?)```", section, re.S)
    assert csv == CSV
    from_yaml = read_record(yaml, name="P-017.yaml", kind="yaml")
    assert _statuses(from_yaml) == _statuses(read_record(csv, name="P-017.csv"))
    stale = yaml.replace("line: 2", "line: 3")
    assert _error(stale, "P-017.yaml", "yaml") == [error.strip()]
