"""Every problem of every row of a record in one error, not in rounds (issue 13).

A row with a problem of its own (a cell, a field its event does not take) is reported and
left out of the checks of the whole record (voids) and against the regimen; every other
row is still checked. The records are the cold-user reproducers (bad-1.csv, bad-5.csv,
bad-void*.csv, P-017.yaml) against a doxorubicin regimen of 6 cycles with levels -1 (80%)
and -2 (60%); each expected line is the problem of its row, worked out from the row.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import regimens
from regimens import InvalidRegimenError, Participant, load_record, read_record
from regimens.cli import main
from support.records import DOXDOC

DOX = DOXDOC
HEAD = "date,event,drug,cycle,day,amount,level,reason"
VOID_HEAD = HEAD + ",line,time"

NO_DOXO = ("drug: did you mean 'dox'? no drug of doxdoc has this id (drugs: dox) "
           "(got 'doxo')")
CYCLE_9 = "cycle: dox has no cycle 9 (cycles 1-6) (got 9)"
LEVEL_90 = ("level: dose level -1 of dox is 80% of the level-0 dose, not 90%: when both are "
            "given they must agree (got '-1 (90%)')")
NO_ROW = "line: a void names an earlier row of the record by its line: no row starts on that line"
VOID_OF_VOID = "line: line {0} is a void itself: enter the row again instead of voiding a void"
NOT_EARLIER = "line: a void names an earlier row by its line (got 99)"

CASES: dict[str, tuple[str, str, list[str]]] = {
    # Cells (lines 2, 3, 5) and a void of a void (line 8, voiding line 7, a void of the
    # given row on line 6): before, the void was never checked.
    "bad-void.csv": (VOID_HEAD, """\
2027-01-04,given,dox,,,,,,5,25:00
2027-01-05,void,,,,,,,,
2027-01-06,void,,,,,,,1,
2027-01-07,void,dox,,,,,,x,
2027-01-08,given,dox,,,,,,,
2027-01-08,void given,dox,,,,,,6,
2027-01-09,void,,,,,,,7,
""", [
        "2: time: a time of day is written HH:MM (24-hour clock), e.g. 09:30 (got '25:00')",
        "2: line: the line column names the row a void withdraws: leave it empty on other rows "
        "(got '5')",
        "3: line: a void row needs the line of the row it withdraws",
        f"4: {NO_ROW} (got 1)",
        "5: line: expected a whole number (no decimal point) (got 'x')",
        f"8: {VOID_OF_VOID.format(7)} (got 7)",
    ]),
    # A void with a level its given row cannot have (line 3) no longer hides the void of
    # the header line (2) and the void of a void (6).
    "bad-void2.csv": (VOID_HEAD, """\
2027-01-06,void,,,,,,,1,
2027-01-07,void given,dox,,,,-1,,2,
2027-01-08,given,dox,,,,,,,
2027-01-08,void given,dox,,,,,,4,
2027-01-09,void,,,,,,,5,
""", [
        f"2: {NO_ROW} (got 1)",
        "3: level: a void given row takes no level (void given takes date, time, drug, cycle, "
        "day, amount, planned, line (of the row withdrawn), reason) (got -1)",
        f"6: {VOID_OF_VOID.format(5)} (got 5)",
    ]),
    # Structural problems and problems against the regimen together: line 3 (doxo), 4
    # (cycle 9) and 8 (-1 is 80%) are checked although other rows have their own problems;
    # line 9 (-3, below the lowest level: the drug stops) and 10 are valid.
    "bad-1.csv": (HEAD + ",line", """\
2027-01-04,givne,dox,,,,,,
2027-01-04,given,doxo,,,,,,
2027-01-25,given,dox,9,1,,,,
2027-02-30,given,dox,,,,,,
2027-01-25,missed,dox,,,60 mg,,,
2027-01-25,void,,,,,,,99
2027-01-25,reduce,dox,,,,-1 (90%),,
2027-01-25,reduce,dox,,,,-3,,
2027-01-25,measure,,,,63 lbs,,,
2027-01-25,given,dox,2,,,,,
2027-01-25,delay,dox,2,0,,,,
27/01/2027,given,dox,,,,,,
2027-01-25,given,dox,,,abc,,,
""", [
        "2: event: did you mean 'given'? an event is one of: given, missed, delay, move, hold, "
        "resume, reduce, measure, stop, void (got 'givne')",
        f"3: {NO_DOXO}",
        f"4: {CYCLE_9}",
        "5: date: not a calendar date (got '2027-02-30')",
        "6: amount: a missed row takes no amount (missed takes date, time, drug, cycle, day, "
        "reason) (got 60 mg)",
        f"7: {NOT_EARLIER}",
        f"8: {LEVEL_90}",
        "11: cycle: name the administration by cycle and day (a cycle has several days) "
        "(got 2)",
        "12: day: there is no cycle day 0 (-1 is the day before day 1) (got 0)",
        "13: date: a date is written YYYY-MM-DD, e.g. 2027-01-04 (got '27/01/2027')",
        "14: amount: amount given must start with a number; write a number and a unit (mg, g, "
        "mcg, ng, IU, kIU, MIU, mIU, cells, mL or L), e.g. '20 mg' or '2 MIU' (got 'abc')",
    ]),
    # Only problems against the regimen: all four (cap is like no drug: no suggestion).
    "bad-5.csv": (HEAD + ",line", """\
2027-01-04,given,doxo,,,,,,
2027-01-25,given,dox,9,1,,,,
2027-01-25,reduce,dox,,,,-1 (90%),,
2027-01-25,reduce,dox,,,,-3,,
2027-01-25,measure,,,,63 lbs,,,
2027-01-25,delay,cap,2,5,,,,
2027-01-25,given,dox,,,,,,
""", [
        f"2: {NO_DOXO}",
        f"3: {CYCLE_9}",
        f"4: {LEVEL_90}",
        "7: drug: no drug of doxdoc has this id (drugs: dox) (got 'cap')",
    ]),
}


def _write(tmp_path: Path, name: str) -> Path:
    head, rows, _ = CASES[name]
    path = tmp_path / name
    path.write_text(f"{head}\n{rows}", encoding="utf-8")
    return path


def _expected(name: str) -> list[str]:
    return [f"{name}:{line}" for line in CASES[name][2]]


@pytest.mark.parametrize("name", CASES)
def test_load_record_with_the_regimen_reports_every_problem(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, name)
    with pytest.raises(InvalidRegimenError) as exc:
        load_record(path, regimen=regimens.loads(DOX, "dox.yaml"), arm="x")
    assert [str(p) for p in exc.value.problems] == [
        line.replace(f"{name}:", f"{path}:", 1) for line in _expected(name)]


@pytest.mark.parametrize("name", CASES)
def test_the_cli_reports_every_problem(tmp_path: Path, name: str,
                                       capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, name)
    (tmp_path / "dox.yaml").write_text(DOX, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # messages name the files as given
    code = main(["expand", "dox.yaml", "--arm", "x", "--start", "2027-01-04",
                 "--weight", "70kg", "--height", "170cm", "--record", name])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.splitlines() == _expected(name)


def test_expand_reports_every_row_against_the_regimen_at_once() -> None:
    _, rows, _ = CASES["bad-5.csv"]
    record = read_record(f"{HEAD},line\n{rows}", name="bad-5.csv")  # no problem of its own
    regimen = regimens.loads(DOX, "dox.yaml")
    with pytest.raises(InvalidRegimenError) as exc:
        regimen.expand("x", "2027-01-04", Participant(weight="70 kg", height="170 cm"),
                       record=record)
    assert [str(p) for p in exc.value.problems] == _expected("bad-5.csv")
    with pytest.raises(InvalidRegimenError) as exc:
        record.check_against(regimen, "x")
    assert [str(p) for p in exc.value.problems] == _expected("bad-5.csv")


def test_without_the_regimen_only_the_rows_own_problems() -> None:
    _, rows, _ = CASES["bad-1.csv"]
    with pytest.raises(InvalidRegimenError) as exc:
        read_record(f"{HEAD},line\n{rows}", name="bad-1.csv")
    against = (NO_DOXO, CYCLE_9, LEVEL_90)
    assert [str(p) for p in exc.value.problems] == [
        line for line in _expected("bad-1.csv") if not line.endswith(against)]


P017_YAML = """\
- {date: 2027-01-04, event: given, drug: dox}
- {date: 2027-01-25, event: given, drug: dox, cycle: 2, day: 1, amount: 50 mg,
   reason: vomited half the dose}
- {date: 2027-02-22, event: delay, cycle: 3, reason: neutropenia grade 3}
- {date: 2027-02-22, event: reduce, drug: doxo, level: -1 (80%), reason: febrile neutropenia}
- {date: 2027-02-22, event: measure, amount: 63 kg}
- {date: 2027-03-01, event: void, line: 99}
- {date: 2027-03-01, evnt: stop}
"""


def test_a_yaml_record_unknown_keys_and_the_other_rows_together() -> None:
    # YAML rows start on the line of their '-' (the second row takes lines 2-3). Line 5:
    # doxo (against the regimen); line 7: a void of a later line; line 8: the misspelt
    # key, and not also "every row names its event" for the same row.
    with pytest.raises(InvalidRegimenError) as exc:
        read_record(P017_YAML, name="P-017.yaml", kind="yaml",
                    regimen=regimens.loads(DOX, "dox.yaml"))
    assert [str(p) for p in exc.value.problems] == [
        "P-017.yaml:5: drug: did you mean 'dox'? no drug of doxdoc has this id (drugs: dox) "
        "(got 'doxo')",
        f"P-017.yaml:7: {NOT_EARLIER}",
        "P-017.yaml:8: evnt: unknown column; did you mean 'event'? (the columns are date, "
        "event, drug, cycle, day, amount, level, reason; time, line and planned may be added) "
        "(got 'evnt')",
    ]


def test_a_row_of_the_wrong_length_does_not_stop_the_others() -> None:
    rows = f"{HEAD}\n2027-01-04,given,dox,,,,\n2027-01-05,givne,dox,,,,,\n"
    with pytest.raises(InvalidRegimenError) as exc:
        read_record(rows, name="P.csv")
    assert [str(p) for p in exc.value.problems] == [
        "P.csv:2: (document): the row has 7 cells and the header (line 1) 8: a cell left "
        "empty still needs its comma",
        "P.csv:3: event: did you mean 'given'? an event is one of: given, missed, delay, move, "
        "hold, resume, reduce, measure, stop, void (got 'givne')",
    ]


def test_a_void_of_a_row_with_problems_adds_nothing() -> None:
    # Line 2 has a bad date; line 3 voids it, restating it (the bad date too): the void
    # adds nothing, line 2 is reported.
    rows = f"{HEAD},line\n2027-02-30,given,dox,,,,,,\n2027-02-30,void given,dox,,,,,typo,2\n"
    with pytest.raises(InvalidRegimenError) as exc:
        read_record(rows, name="P.csv")
    assert [str(p) for p in exc.value.problems] == [
        "P.csv:2: date: not a calendar date (got '2027-02-30')"]


def test_a_void_of_a_row_with_problems_that_restates_nothing_is_said_at_once() -> None:
    # The void of line 3 restates nothing: said now, not once line 2 is mended (the row on
    # line 2 cannot be read, so the message names its cells by the line).
    rows = f"{HEAD},line\n2027-02-30,given,dox,,,,,,\n2027-03-01,void,,,,,,typo,2\n"
    with pytest.raises(InvalidRegimenError) as exc:
        read_record(rows, name="P.csv")
    assert [str(p) for p in exc.value.problems] == [
        "P.csv:2: date: not a calendar date (got '2027-02-30')",
        "P.csv:3: event: a void restates the row it withdraws (every cell but the reason): "
        "write 'void' and line 2's event in the event cell (as 'void given'), and line 2's "
        "other cells as it has them (got 'void')"]


def test_a_re_escalation_comes_with_the_other_problems() -> None:
    # Line 2: level -2 (60%), line 3: back to -1 (80%) raises the dose (permanent
    # reductions); line 4: doxo. One error, both.
    rows = (f"{HEAD}\n2027-01-25,reduce,dox,,,,-2,\n2027-02-15,reduce,dox,,,,-1,\n"
            "2027-02-15,given,doxo,,,,,\n")
    with pytest.raises(InvalidRegimenError) as exc:
        read_record(rows, name="P.csv", regimen=regimens.loads(DOX, "dox.yaml"))
    assert [str(p) for p in exc.value.problems] == [
        "P.csv:3: level: this row raises dox's dose after the reduction on line 2; the "
        "regimen's reductions are permanent (re_escalate: false): give re_escalate: true to "
        "the course or the regimen to allow it (got 'dose level -1')",
        f"P.csv:4: {NO_DOXO}",
    ]


@pytest.mark.parametrize(("given", "known", "expected"), [
    ("doxo", ["dox", "cis"], "did you mean 'dox'? "),
    ("cisplatn", ["dox", "cisplatin"], "did you mean 'cisplatin'? "),
    ("zzz", ["dox"], ""),
    # A look-alike character is named, not only the id.
    ("d\u043ex", ["dox"], "did you mean 'dox'? the given id differs only by look-alike "
     "characters: '\u043e' is U+043E CYRILLIC SMALL LETTER O; "),
    ("dox", ["dox"], ""),
])
def test_one_did_you_mean(given: str, known: list[str], expected: str) -> None:
    from regimens.model import suggestion

    assert suggestion(given, known) == expected


@pytest.mark.parametrize(("void", "own"), [
    # Its own date and event are wrong, the amount it restates is line 2's: line 3's two
    # problems come with line 2's, in one error.
    ("2027-13-45,void givne,dox,,,1OO mg,,typo,2",
     ["P.csv:3: event: did you mean 'void given'? a void is written 'void' and the event of "
      "the row it withdraws (void given, void missed ...; events: given, missed, delay, move, "
      "hold, resume, reduce, measure, stop) (got 'void givne')",
      "P.csv:3: date: not a calendar date (got '2027-13-45')"]),
    # Its own amount is wrong (not the one line 2 has).
    ("2027-01-04,void given,dox,,,5O mg,,typo,2",
     ["P.csv:3: amount: unknown unit 'O mg'; write a number and a unit (mg, g, mcg, ng, IU, "
      "kIU, MIU, mIU, cells, mL or L), e.g. '20 mg' or '2 MIU' (got '5O mg')"]),
    # Restating line 2 exactly (its bad amount too): nothing of its own.
    ("2027-01-04,void given,dox,,,1OO mg,,typo,2", []),
])
def test_a_void_of_a_row_with_problems_reports_its_own_at_once(void: str,
                                                               own: list[str]) -> None:
    rows = f"{HEAD},line\n2027-01-04,given,dox,,,1OO mg,,,\n{void}\n"
    with pytest.raises(InvalidRegimenError) as exc:
        read_record(rows, name="P.csv")
    assert [str(p) for p in exc.value.problems] == [
        "P.csv:2: amount: unknown unit 'OO mg'; write a number and a unit (mg, g, mcg, ng, "
        "IU, kIU, MIU, mIU, cells, mL or L), e.g. '20 mg' or '2 MIU' (got '1OO mg')", *own]
