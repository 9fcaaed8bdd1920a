"""Reading record files: CSV and its YAML twin give equal records; every problem is located."""

from __future__ import annotations

import os
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest

import regimens
from regimens import EventKind, InvalidRegimenError, Measurement, load_record, read_record

CSV = """\
date,event,drug,cycle,day,amount,level,reason,time,line
2027-01-04,given,dox,,,,,,09:30,
2027-01-25,given,dox,2,1,50 mg,,vomited half,,
2027-02-15,delay,,3,,,,"neutropenia, grade 3",,
2027-02-22,reduce,dox,,,,-1 (80%),toxicity,,
2027-02-22,measure,,,,68 kg,,,,
2027-03-01,missed,dox,4,1,,,,,
2027-03-01,void missed,dox,4,1,,,entered twice,,7
"""

YAML = """\
- {date: 2027-01-04, event: given, drug: dox, time: "09:30"}
- {date: 2027-01-25, event: given, drug: dox, cycle: 2, day: 1, amount: 50 mg,
   reason: vomited half}
- {date: 2027-02-15, event: delay, cycle: 3, reason: "neutropenia, grade 3"}
- {date: 2027-02-22, event: reduce, drug: dox, level: -1 (80%), reason: toxicity}
- {date: 2027-02-22, event: measure, amount: 68 kg}
- {date: 2027-03-01, event: missed, drug: dox, cycle: 4, day: 1}
- {date: 2027-03-01, event: void missed, drug: dox, cycle: 4, day: 1, line: 7,
   reason: entered twice}
"""


def _fields(record: regimens.Record) -> list[tuple[object, ...]]:
    return [(r.date, r.time, r.event, r.drug, r.cycle, r.day, r.amount, r.level, r.percent,
             r.reason, r.measurement, r.voids, r.voided_event) for r in record.rows]


def test_csv_rows_are_read_with_their_lines() -> None:
    record = read_record(CSV, name="P-017.csv")
    assert [r.line for r in record.rows] == [2, 3, 4, 5, 6, 7, 8]
    given, partial, delay, reduce, measure, missed, void = record.rows
    assert (given.date, given.time, given.drug, given.amount) == (
        date(2027, 1, 4), time(9, 30), "dox", None)
    assert partial.amount is not None
    assert (str(partial.amount), partial.cycle, partial.day, partial.reason) == (
        "50 mg", 2, 1, "vomited half")
    assert (delay.drug, delay.cycle, delay.reason) == (None, 3, "neutropenia, grade 3")
    assert (reduce.level, reduce.percent) == (-1, Decimal(80))
    assert measure.measurement == Measurement("weight", "68 kg")
    assert (void.voids, void.voided_event, void.date, void.drug, void.cycle, void.day) == (
        7, EventKind.MISSED, date(2027, 3, 1), "dox", 4, 1)
    assert record.effective() == (given, partial, delay, reduce, measure)
    assert record.voided() == ((void, missed),)


def test_yaml_twin_gives_the_same_rows() -> None:
    # The YAML file's rows start on other lines: the void names line 7 of its own file,
    # where the missed row starts; so compare everything but the lines.
    yaml_record = read_record(YAML, name="P-017.yaml", kind="yaml")
    csv_record = read_record(CSV, name="P-017.csv")
    assert _fields(yaml_record) == _fields(csv_record)
    assert [r.line for r in yaml_record.rows] == [1, 2, 4, 5, 6, 7, 8]


def test_columns_in_any_order_time_and_line_optional() -> None:
    text = "reason,level,amount,day,cycle,drug,event,date\n,,,,,dox,given,2027-01-04\n"
    (row,) = read_record(text).rows
    assert (row.event, row.drug, row.date) == (EventKind.GIVEN, "dox", date(2027, 1, 4))


def test_blank_lines_are_skipped_and_lines_still_count() -> None:
    text = "date,event,drug,cycle,day,amount,level,reason\n\n2027-01-04,given,dox,,,,,\n"
    (row,) = read_record(text, name="r.csv").rows
    assert row.line == 3


def test_a_quoted_line_break_keeps_the_next_row_on_its_own_line() -> None:
    text = ('date,event,drug,cycle,day,amount,level,reason\n'
            '2027-01-04,missed,dox,,,,,"unwell,\nstayed home"\n'
            '2027-01-05,given,dox,,,,,\n')
    with pytest.raises(InvalidRegimenError) as exc:
        read_record(text, name="r.csv")
    # A line break in a reason is a control character: refused, on the row's first line.
    assert str(exc.value) == (
        "r.csv:2: reason: contains control characters (got 'unwell,\\nstayed home')")


def _error(text: str, kind: str = "csv") -> str:
    with pytest.raises(InvalidRegimenError) as exc:
        read_record(text, name="P-017." + kind, kind=kind)
    return str(exc.value)


HEADER = "date,event,drug,cycle,day,amount,level,reason\n"

ERRORS = [
    ("date,event,drug,cycle,day,amount,level,reason,dose\n",
     "P-017.csv:1: column 9: unknown column (the columns are date, event, drug, cycle, day, "
     "amount, level, reason; time, line and planned may be added) (got 'dose')"),
    ("date,event,drug,cycle,day,amount,reason\n",
     "P-017.csv:1: (document): the header lacks level (a record has the columns date, event, "
     "drug, cycle, day, amount, level, reason, in any order; cells may be empty)"),
    # A column in another case: one message for the header, with the fix (cold try 5, 10).
    ("date,event,drug,cycle,day,amount,level,reason,Time\n",
     "P-017.csv:1: (document): column names are written in lower case: write 'Time' as time "
     "(the columns are date, event, drug, cycle, day, amount, level, reason; time, line and "
     "planned may be added)"),
    (HEADER + "2027-01-04,given,dox,,,,\n",
     "P-017.csv:2: (document): the row has 7 cells and the header (line 1) 8: a cell left "
     "empty still needs its comma"),
    (HEADER + "04/01/2027,given,dox,,,,,\n",
     "P-017.csv:2: date: a date is written YYYY-MM-DD, e.g. 2027-01-04 (got '04/01/2027')"),
    (HEADER + "2027-02-30,given,dox,,,,,\n",
     "P-017.csv:2: date: not a calendar date (got '2027-02-30')"),
    (HEADER + "2027-01-04,givne,dox,,,,,\n",
     "P-017.csv:2: event: did you mean 'given'? an event is one of: given, missed, delay, "
     "move, hold, resume, reduce, measure, stop, void (got 'givne')"),
    (HEADER + "2027-01-04,,dox,,,,,\n",
     "P-017.csv:2: event: every row names its event (given, missed, delay, move, hold, "
     "resume, reduce, measure, stop, void)"),
    (HEADER + "2027-01-04,given,dox,2.0,1,,,\n",
     "P-017.csv:2: cycle: expected a whole number (no decimal point) (got '2.0')"),
    (HEADER + "2027-01-04,given,dox,,,60,,\n",
     "P-017.csv:2: amount: a bare number is not an amount: give its unit, e.g. '60 mg' "
     "(got '60')"),
    (HEADER + "2027-01-04,measure,,,,68,,\n",
     "P-017.csv:2: amount: write the measurement with its unit: a weight ('68 kg'), height "
     "('172 cm'), BSA ('1.8 m2'), serum creatinine ('1.1 mg/dL' or '97 umol/L') or GFR "
     "('95 mL/min') (got '68')"),
    # A decimal comma in a measurement gets the advice a given amount gets (cold try,
    # item 4: it said "write the measurement with its unit", the unit being there).
    (HEADER + '2027-02-15,measure,,,,"62,5 kg",,\n',
     "P-017.csv:2: amount: measurement has a comma: write a decimal point and no thousands "
     "separators; write a weight ('68 kg'), height ('172 cm'), BSA ('1.8 m2'), serum "
     "creatinine ('1.1 mg/dL' or '97 umol/L') or GFR ('95 mL/min') (got '62,5 kg')"),
    (HEADER + '2027-01-25,measure,,,,"1,8 m2",,\n',
     "P-017.csv:2: amount: measurement has a comma: write a decimal point and no thousands "
     "separators; write a weight ('68 kg'), height ('172 cm'), BSA ('1.8 m2'), serum "
     "creatinine ('1.1 mg/dL' or '97 umol/L') or GFR ('95 mL/min') (got '1,8 m2')"),
    (HEADER + '2027-01-04,given,dox,,,"62,5 mg",,\n',
     "P-017.csv:2: amount: amount given has a comma: write a decimal point and no "
     "thousands separators; write a number and a unit (mg, g, mcg, ng, IU, kIU, MIU, mIU, "
     "cells, mL or L), e.g. '20 mg' or '2 MIU' (got '62,5 mg')"),
    (HEADER + "2027-01-04,measure,,,,680 kg,,\n",
     "P-017.csv:2: amount: 680 kg is not a plausible weight (allowed: 0.5 to 400 kg); check "
     "the number and its unit (got '680 kg')"),
    (HEADER + "2027-01-04,reduce,dox,,,,-1 80%,\n",
     "P-017.csv:2: level: write a dose level (-1, -2; 0 is the written dose), a percentage "
     "of the level-0 dose (80%), or both: -1 (80%) (got '-1 80%')"),
    (HEADER + "2027-01-04,reduce,dox,,,,,\n",
     "P-017.csv:2: level: a reduce row needs a level (-1, -2 ...) or a percentage of the "
     "level-0 dose (80%), or both"),
    (HEADER + "2027-01-04,missed,dox,,,60 mg,,\n",
     "P-017.csv:2: amount: a missed row takes no amount (missed takes date, time, drug, "
     "cycle, day, reason) (got 60 mg)"),
    # A level typed in the amount column, and an amount on a reduce row: the level column.
    (HEADER + "2027-01-04,reduce,dox,,,-3,,\n",
     "P-017.csv:2: amount: a reduce row takes no amount: write the dose level (-1, -2 ...) "
     "or a percentage of the level-0 dose (80%) in the level column (got '-3')"),
    (HEADER + "2027-01-04,reduce,dox,,,50 mg,,\n",
     "P-017.csv:2: amount: a reduce row takes no amount: write the dose level (-1, -2 ...) "
     "or a percentage of the level-0 dose (80%) in the level column (got '50 mg')"),
    (HEADER + "2027-01-04,reduce,dox,,,80%,-1,\n",
     "P-017.csv:2: amount: a reduce row takes no amount: write the dose level (-1, -2 ...) "
     "or a percentage of the level-0 dose (80%) in the level column (got '80%')"),
    # The columns a reduce row takes: the file's (no percent column).
    (HEADER + "2027-01-04,reduce,dox,,3,,-1,\n",
     "P-017.csv:2: day: a reduce row takes no day (reduce takes date, drug, cycle, level (a "
     "dose level, a percentage of level 0, or both), reason) (got 3)"),
    (HEADER + "2027-01-04,measure,dox,,,68 kg,,\n",
     "P-017.csv:2: drug: a measure row takes no drug (measure takes date, amount (the "
     "measurement), time, reason) (got 'dox')"),
    (HEADER + "2027-01-04,given,dox,,,,-1,\n",
     "P-017.csv:2: level: a given row takes no level (given takes date, time, drug, cycle, "
     "day, amount, planned, reason) (got -1)"),
    (HEADER + "2027-01-04,void,,,,,,\n",
     "P-017.csv:2: line: a void row needs the line of the row it withdraws"),
    ("date,event,drug,cycle,day,amount,level,reason,line\n"
     "2027-01-04,given,dox,,,,,,\n2027-01-05,void,,,,,,,1\n",
     "P-017.csv:3: line: a void names an earlier row of the record by its line: no row "
     "starts on that line (got 1)"),
    ("date,event,drug,cycle,day,amount,level,reason,line\n"
     "2027-01-04,given,dox,,,,,,2\n",
     "P-017.csv:2: line: the line column names the row a void withdraws: leave it empty on "
     "other rows (got '2')"),
    (HEADER + "2027-01-04,given,dox,,,,,\u202eevil\n",
     "P-017.csv:2: reason: contains U+202E (right-to-left override), an invisible character "
     "that can reorder or hide the text around it; remove it (got '\\u202eevil')"),
    (HEADER + '2027-01-04,given,"dox,,,,,\n',
     "P-017.csv:2: (document): not valid CSV: unexpected end of data"),
]


@pytest.mark.parametrize(("text", "message"), ERRORS)
def test_csv_errors_name_the_line_and_column(text: str, message: str) -> None:
    assert _error(text) == message


def test_every_problem_of_a_file_at_once() -> None:
    text = HEADER + "2027-01-04,givne,dox,,,,,\n2027-13-01,given,dox,,,,,\n"
    assert _error(text).splitlines() == [
        "P-017.csv:2: event: did you mean 'given'? an event is one of: given, missed, delay, "
        "move, hold, resume, reduce, measure, stop, void (got 'givne')",
        "P-017.csv:3: date: not a calendar date (got '2027-13-01')",
    ]


YAML_ERRORS = [
    ("{date: 2027-01-04}\n",
     "P-017.yaml:1: (document): a YAML record is a list of rows, each a mapping "
     "(- {date: 2027-01-04, event: given, drug: dox})"),
    ("- {date: 2027-01-04, event: given, drug: dox, dose: 60 mg}\n",
     "P-017.yaml:1: dose: unknown column (the columns are date, event, drug, cycle, day, "
     "amount, level, reason; time, line and planned may be added) (got 'dose')"),
    ("- {date: 2027-01-04, event: given, drug: dox, cycle: 2.5, day: 1}\n",
     "P-017.yaml:1: cycle: expected a whole number (no decimal point) (got 2.5)"),
    ("- {date: 2027-01-04, event: given, drug: dox, amount: 60}\n",
     "P-017.yaml:1: amount: a bare number is not an amount: give its unit, e.g. '60 mg' "
     "(got 60)"),
    ("- {date: 2027-01-04, event: reduce, drug: dox, level: true}\n",
     "P-017.yaml:1: level: write a dose level (-1, -2; 0 is the written dose), a percentage "
     "of the level-0 dose (80%), or both: -1 (80%) (got true)"),
    ("- date: 2027-01-04\n  event: given\n  drug: dox\n- [2027-01-05, given]\n",
     "P-017.yaml:4: [1]: a row is a mapping of column: value (got a list)"),
]


@pytest.mark.parametrize(("text", "message"), YAML_ERRORS)
def test_yaml_errors_name_the_line_and_column(text: str, message: str) -> None:
    assert _error(text, "yaml") == message


def test_load_record_by_suffix(tmp_path: Path) -> None:
    (tmp_path / "P-017.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "P-017.yml").write_text(YAML, encoding="utf-8")
    (tmp_path / "P-017.json").write_text(
        '[{"date": "2027-01-04", "event": "given", "drug": "dox"}]', encoding="utf-8")
    assert len(load_record(tmp_path / "P-017.csv").rows) == 7
    assert len(load_record(tmp_path / "P-017.yml").rows) == 7
    assert load_record(tmp_path / "P-017.json").rows[0].drug == "dox"
    assert load_record(tmp_path / "P-017.csv").source == str(tmp_path / "P-017.csv")


def test_load_record_refuses_what_is_not_a_record_file(tmp_path: Path) -> None:
    cases = {}
    (tmp_path / "r.txt").write_text(CSV, encoding="utf-8")
    cases["r.txt"] = "record-suffix"
    (tmp_path / "dir.csv").mkdir()
    cases["dir.csv"] = "is-a-directory"
    os.mkfifo(tmp_path / "fifo.csv")
    cases["fifo.csv"] = "unreadable-file"
    cases["missing.csv"] = "unreadable-file"
    (tmp_path / "empty.csv").write_text("  \n", encoding="utf-8")
    cases["empty.csv"] = "empty-file"
    (tmp_path / "latin.csv").write_bytes(HEADER.encode() + b"2027-01-04,given,dox,,,,,caf\xe9\n")
    cases["latin.csv"] = "not-utf8"
    (tmp_path / "big.csv").write_bytes(HEADER.encode() + b"#" * (2 * 1024 * 1024))
    cases["big.csv"] = "file-too-large"
    for name, code in cases.items():
        with pytest.raises(InvalidRegimenError) as exc:
            load_record(tmp_path / name)
        assert [p.code for p in exc.value.problems] == [code], name


def test_the_schema_describes_a_yaml_record() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from regimens.format import parse_document

    schema = regimens.record_schema()
    validator = jsonschema.Draft202012Validator(schema)
    validator.check_schema(schema)
    assert not list(validator.iter_errors(parse_document(YAML).value))
    # Each CSV row, as a mapping of its header to its cells, fits the row schema too.
    lines = CSV.splitlines()
    header = lines[0].split(",")
    import csv

    for cells in csv.reader(lines[1:]):
        # As they are (an empty cell is an empty string), and with empty cells as null.
        row = dict(zip(header, cells, strict=True))
        assert "" in row.values()
        assert not list(validator.iter_errors([row])), row
        nulls = {k: (v or None) for k, v in row.items()}
        assert not list(validator.iter_errors([nulls])), nulls
    assert list(validator.iter_errors([{"date": "2027-01-04", "event": "givne"}]))
    assert list(validator.iter_errors([{"event": "given", "dose": "1 mg"}]))


@pytest.mark.parametrize(("sep", "shown"), [(";", "';'"), ("\t", "a tab"), ("|", "'|'")])
@pytest.mark.parametrize("crlf", [False, True])
def test_another_separator_than_commas_is_named_once(sep: str, shown: str, crlf: bool) -> None:
    # A spreadsheet with decimal commas saves ';'; the whole header is one cell then.
    text = CSV.replace(",", sep)
    if crlf:
        text = "\ufeff" + text.replace("\n", "\r\n")
    with pytest.raises(InvalidRegimenError) as exc:
        read_record(text, name="P-017.csv")
    (problem,) = exc.value.problems
    assert (problem.line, problem.code) == (1, "wrong-separator")
    assert str(exc.value) == (
        f"P-017.csv:1: (document): the record must be comma-separated (found {shown} "
        "between the column names): save it as CSV with commas")


@pytest.mark.parametrize(("prefix", "newline", "as_bytes"), [
    ("\ufeff", "\n", False), ("", "\r\n", False), ("\ufeff", "\r\n", False),
    ("\ufeff", "\r\n", True), ("", "\r\n", True), ("\ufeff", "\n", True),
])
def test_a_utf8_bom_and_crlf_line_ends_are_read_as_plain_csv(prefix: str, newline: str,
                                                             as_bytes: bool) -> None:
    # As Excel saves "CSV UTF-8": a byte-order mark and CRLF; the rows are the same.
    text = prefix + CSV.replace("\n", newline)
    data: str | bytes = text.encode("utf-8") if as_bytes else text
    record = read_record(data, name="P-017.csv")
    assert _fields(record) == _fields(read_record(CSV, name="P-017.csv"))
    assert [r.line for r in record.rows] == [2, 3, 4, 5, 6, 7, 8]


def test_a_bom_and_crlf_file_is_read_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "P-017.csv"
    path.write_bytes(b"\xef\xbb\xbf" + CSV.replace("\n", "\r\n").encode("utf-8"))
    assert _fields(load_record(path)) == _fields(read_record(CSV, name="P-017.csv"))


@pytest.mark.parametrize(("line", "fits"), [
    ("2027-01-04,given,dox,,,,,", True),
    ("2027-01-25,given,dox,2,1,50 mg,,vomited half the dose", True),
    ("2027-02-22,delay,,3,,,,neutropenia grade 3", True),
    ("2027-02-22,reduce,dox,,,,-1 (80%),febrile neutropenia", True),
    ("2027-02-22,measure,,,,63 kg,,", True),
    ("2027-01-04,given,dox,x,,,,", False),  # a cycle is a whole number
    ("2027-1-4,given,dox,,,,,", False),  # YYYY-MM-DD
    ("2027-01-04,,dox,,,,,", False),  # every row names its event
])
def test_a_csv_row_as_it_is_fits_the_schema(line: str, fits: bool) -> None:
    # docs/record.md, "The file": each CSV row, a mapping of its header to its cells (an
    # empty cell an empty string), fits the row schema; no cell is turned into null first.
    jsonschema = pytest.importorskip("jsonschema")
    import csv

    validator = jsonschema.Draft202012Validator(regimens.record_schema())
    (cells,) = csv.reader([line])
    row = dict(zip(HEADER.strip().split(","), cells, strict=True))
    assert (not list(validator.iter_errors([row]))) is fits
