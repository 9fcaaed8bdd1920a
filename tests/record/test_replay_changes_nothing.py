"""A reduce, hold, stop or measure row that reaches no administration changes nothing: it is
said, as a RecordWarning and in its line of the changes, never silently taken; a reduction
that changes nothing is no reduction of the summary (docs/record.md, "Rows that change
nothing").

Hand-worked: methotrexate 15 mg every week for 4 weeks from Monday 2027-01-04: doses on
Mon 01-04, 01-11, 01-18 and 01-25, the last. Rows dated in June (a month typed wrong for
January) are after it.
"""

from __future__ import annotations

import warnings

import pytest

import regimens
from regimens import RecordWarning, read_record

REGIMEN = """\
format: regimens/1
id: mtx
title: MTX
drugs:
  mtx: {name: methotrexate, route: oral}
  dex: {name: dexamethasone, route: oral}
arms:
  x: {label: X}
periods:
  - id: t
    length: 4 weeks
    courses:
      - {drug: mtx, id: mtx, dose: 15 mg, every: 1 week}
      - {drug: dex, id: dex, dose: 0.15 mg/kg, every: 1 week}
"""
HEADER = "date,event,drug,cycle,day,amount,level,reason\n"
LAST = "(the last is on Mon 2027-01-25)"


def expand(rows: str) -> regimens.Schedule:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return regimens.loads(REGIMEN, "m.yaml").expand(
            "x", "2027-01-04", regimens.Participant(weight="70 kg"),
            record=read_record(HEADER + rows, name="P.csv"))


def said(s: regimens.Schedule) -> list[str]:
    return [str(w) for w in s.warnings if isinstance(w, RecordWarning)]


@pytest.mark.parametrize(("row", "warning", "change"), [
    ("2027-06-01,reduce,mtx,,,,50%,late",
     "P.csv:2: the reduction of methotrexate to 50% of the level-0 dose from 2027-06-01 "
     f"changes nothing: no administration of methotrexate is dated on or after it {LAST}",
     "2027-06-01 reduce (line 2): methotrexate: 50% of the level-0 dose from 2027-06-01 "
     "(line 2): late; changes nothing: no administration of methotrexate is dated on or "
     f"after it {LAST}"),
    ("2027-06-02,hold,mtx,,,,,x",
     "P.csv:2: the hold of methotrexate from 2027-06-02 changes nothing: no administration "
     f"of methotrexate is dated on or after it {LAST}",
     "2027-06-02 hold (line 2): methotrexate held from Wed 2027-06-02; changes nothing: no "
     f"administration of methotrexate is dated on or after it {LAST}"),
    ("2027-06-03,stop,,,,,,y",
     "P.csv:2: the stop of the whole treatment from 2027-06-03 changes nothing: no "
     f"administration of any drug is dated on or after it {LAST}",
     "2027-06-03 stop (line 2): the whole treatment stops from Thu 2027-06-03; changes "
     f"nothing: no administration of any drug is dated on or after it {LAST}"),
    ("2027-06-04,measure,,,,72 kg,,",
     "P.csv:2: the measurement weight 72 kg of 2027-06-04 changes no dose: no dose computed "
     "from the body's size or kidney function is dated on or after it (the last is on Mon "
     "2027-01-25)",
     "2027-06-04 measure (line 2): weight 72 kg measured; changes no dose: no dose computed "
     "from the body's size or kidney function is dated on or after it (the last is on Mon "
     "2027-01-25)"),
])
def test_a_row_after_the_last_dose_is_said(row: str, warning: str, change: str) -> None:
    s = expand(row + "\n")
    assert said(s) == [warning]
    assert s.replayed is not None
    assert s.replayed.changes == (change,)
    assert s.replayed.summary.reductions == ()
    assert all(d.reductions == () for d in s.replayed.summary.drugs)
    # Nothing changed: every dose still 15 mg (mtx) and planned.
    assert [(a.dose.text, a.status.value) for a in s.administrations if a.drug == "mtx"] == [
        ("15 mg", "planned")] * 4


def test_a_second_stop_of_a_stopped_drug_is_said() -> None:
    s = expand("2027-01-12,stop,mtx,,,,,toxicity\n2027-01-19,stop,mtx,,,,,again\n")
    assert said(s) == ["P.csv:3: the stop of methotrexate from 2027-01-19 changes nothing: "
                       "methotrexate stops already from Tue 2027-01-12 (line 2)"]
    # Stopped from Tue 01-12: the doses of 01-18 and 01-25.
    assert [a.status.value for a in s.administrations if a.drug == "mtx"] == [
        "planned", "planned", "stopped", "stopped"]


@pytest.mark.parametrize("row", [
    "2027-01-25,reduce,mtx,,,,50%,on the last day",
    "2027-01-25,hold,mtx,,,,,",
    "2027-01-25,stop,mtx,,,,,",
    "2027-01-25,measure,,,,72 kg,,",
])
def test_a_row_on_the_last_dose_changes_it_and_is_not_said(row: str) -> None:
    s = expand(row + "\n")
    assert said(s) == []
    last = [a for a in s.administrations if a.drug == "mtx"][-1]
    assert last.date.isoformat() == "2027-01-25"


def test_a_reduction_that_reaches_a_dose_is_listed() -> None:
    s = expand("2027-01-18,reduce,mtx,,,,50%,\n")
    assert s.replayed is not None
    assert s.replayed.summary.reductions == (
        "mtx: 50% of the level-0 dose from 2027-01-18 (line 2)",)
    # 50% of 15 mg = 7.5 mg on 01-18 and 01-25.
    assert [a.dose.text for a in s.administrations if a.drug == "mtx"] == [
        "15 mg", "15 mg", "7.5 mg", "7.5 mg"]
