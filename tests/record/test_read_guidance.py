"""Record files a spreadsheet wrote in another way than the reader takes: the error says
what the file is and what to do (cold try 5, findings 9 and 10), in one message."""

from __future__ import annotations

import pytest

from regimens import InvalidRegimenError, read_record
from support.records import RECORD_HEADER

ROW = "2027-01-04,given,dox,,,,,\n"
_TEXT = RECORD_HEADER + ROW
_SAVE = "not UTF-8: save it as CSV UTF-8 (in Excel: Save As, then the type CSV UTF-8)"


def _messages(data: str | bytes) -> list[str]:
    with pytest.raises(InvalidRegimenError) as caught:
        read_record(data, name="r.csv")
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(("data", "named"), [
    (_TEXT.encode("utf-16"), "UTF-16 LE"),  # Python writes the little-endian mark first
    (b"\xfe\xff" + _TEXT.encode("utf-16-be"), "UTF-16 BE"),
    (_TEXT.encode("utf-32"), "UTF-32 LE"),
    (b"\x00\x00\xfe\xff" + _TEXT.encode("utf-32-be"), "UTF-32 BE"),
    (_TEXT.encode("utf-16-le"), "UTF-16 LE (with no byte-order mark)"),
    (_TEXT.encode("utf-16-be"), "UTF-16 BE (with no byte-order mark)"),
    # UTF-32 without its mark said "the file contains a NUL character".
    (_TEXT.encode("utf-32-le"), "UTF-32 LE (with no byte-order mark)"),
    (_TEXT.encode("utf-32-be"), "UTF-32 BE (with no byte-order mark)"),
], ids=["utf16-le", "utf16-be", "utf32-le", "utf32-be", "utf16-le-no-bom", "utf16-be-no-bom",
        "utf32-le-no-bom", "utf32-be-no-bom"])
def test_a_wide_encoding_is_named_with_the_way_to_save(data: bytes, named: str) -> None:
    assert _messages(data) == [f"r.csv:1: (document): the file is {named} text, {_SAVE}"]


def test_latin1_is_still_named_by_its_byte() -> None:
    # Not a wide encoding: the byte that cannot be read is the useful thing to say.
    assert _messages((RECORD_HEADER + "2027-01-04,given,dox,,,,,caf\xe9\n").encode("latin-1")) == [
        "r.csv:2: (document): the file is not UTF-8 text (byte 0xe9 at offset 74)"]


_COLUMNS = ("the columns are date, event, drug, cycle, day, amount, level, reason; time, "
            "line and planned may be added")


@pytest.mark.parametrize(("header", "expected"), [
    ("Date,Event,Drug,Cycle,Day,Amount,Level,Reason",
     ["r.csv:1: (document): column names are written in lower case: write 'Date' as date, "
      "'Event' as event, 'Drug' as drug, 'Cycle' as cycle, 'Day' as day, 'Amount' as amount, "
      "'Level' as level, 'Reason' as reason (" + _COLUMNS + ")"]),
    ("date,EVENT,drug,cycle,day,amount,level,reason,Time",
     ["r.csv:1: (document): column names are written in lower case: write 'EVENT' as event, "
      "'Time' as time (" + _COLUMNS + ")"]),
    # A misspelt column is still its own problem, and a column really missing is named.
    ("Date,event,drug,cycle,day,amount,level,reasons",
     ["r.csv:1: (document): column names are written in lower case: write 'Date' as date ("
      + _COLUMNS + ")",
      "r.csv:1: column 8: unknown column; did you mean 'reason'? (" + _COLUMNS + ") (got "
      "'reasons')",
      "r.csv:1: (document): the header lacks reason (a record has the columns date, event, "
      "drug, cycle, day, amount, level, reason, in any order; cells may be empty)"]),
], ids=["every-column", "two-columns", "with-a-misspelt-one"])
def test_a_header_in_another_case_is_one_error(header: str, expected: list[str]) -> None:
    assert _messages(header + "\n" + ROW) == expected


def test_an_event_in_another_case_is_refused_with_the_event() -> None:
    # Never folded silently (docs/record.md: the events are words of the format).
    assert _messages(RECORD_HEADER + "2027-01-04,Given,dox,,,,,\n") == [
        "r.csv:2: event: did you mean 'given'? an event is one of: given, missed, delay, "
        "move, hold, resume, reduce, measure, stop, void (got 'Given')"]


@pytest.mark.parametrize(("header", "expected"), [
    # Review A (lesser): 'Date' beside 'date' was told "write 'Date' as date", which makes
    # the column twice.
    ("Date,date,event,drug,cycle,day,amount,level,reason",
     ["r.csv:1: date: the column is named twice, as 'Date' and 'date' (column names are "
      "written in lower case): keep one of the two"]),
    ("date,event,drug,cycle,day,amount,level,reason,DATE,Date",
     ["r.csv:1: date: the column is named 3 times, as 'date', 'DATE' and 'Date' (column "
      "names are written in lower case): keep one of them"]),
    # Both in another case: the same (neither is the column until one is kept and written
    # in lower case); another column in another case is still said once.
    ("Date,DATE,Event,drug,cycle,day,amount,level,reason",
     ["r.csv:1: (document): column names are written in lower case: write 'Event' as event ("
      + _COLUMNS + ")",
      "r.csv:1: date: the column is named twice, as 'Date' and 'DATE' (column names are "
      "written in lower case): keep one of the two"]),
    # (unchanged: the same name twice)
    ("date,date,event,drug,cycle,day,amount,level,reason",
     ["r.csv:1: date: the column is named twice"]),
], ids=["cased-and-lower", "three", "both-cased", "same-name"])
def test_a_column_named_twice_in_two_cases_is_a_duplicate(header: str,
                                                           expected: list[str]) -> None:
    # The header is refused before any row is read (the row's cells are not counted).
    assert _messages(header + "\n" + ROW) == expected
