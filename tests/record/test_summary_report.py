"""What the summary reports (issue 13, cold user's report, item 7): a reduction below the
lowest level says the drug stops; a reduction to level 0 with nothing to undo is a named
warning; a given dose past max_cumulative is one deviation; voided rows are listed.

By hand: doxorubicin 60 mg/m2 x 1.8 m2 = 108 mg every 21 days x 6 from Monday 2027-01-04
(cycle n on 2027-01-04 + 21 (n - 1) days).
"""

from __future__ import annotations

import json
import warnings

import pytest

import regimens
from regimens import Participant, RecordWarning, read_record
from support.records import ac_text

HEADER = "date,event,drug,cycle,day,amount,level,reason,line\n"


def replayed(rows: str, limit: str = "", policy: str = "") -> regimens.Schedule:
    regimen = regimens.loads(ac_text(limit, policy), "ac.yaml")
    record = read_record(HEADER + rows, name="R.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        return regimen.expand("x", "2027-01-04", Participant(bsa="1.8 m2"), record=record)


def summary(s: regimens.Schedule) -> regimens.record.RecordSummary:
    assert s.replayed is not None
    return s.replayed.summary  # type: ignore[no-any-return]


def test_a_reduction_below_the_lowest_level_says_the_drug_stops() -> None:
    s = replayed("2027-01-04,given,dox,,,,,,\n2027-01-20,reduce,dox,,,,-3,,\n")
    assert summary(s).reductions == (
        "dox: dose level -3 from 2027-01-20 (line 3); below the lowest declared level (-2): "
        "doxorubicin stops from then on (5 doses stopped)",)
    assert "  Reductions:\n    - dox: dose level -3 from 2027-01-20 (line 3); below the " \
           "lowest declared level (-2): doxorubicin stops from then on (5 doses stopped)\n" \
           in s.to_table()


@pytest.mark.parametrize("level", ["0", "0 (100%)"])
def test_a_reduction_to_level_0_with_nothing_to_undo_is_a_named_warning(level: str) -> None:
    s = replayed(f"2027-01-20,reduce,dox,,,,{level},,\n")
    shown = "dose level 0" + (" (100%)" if "%" in level else "")
    assert [str(w) for w in s.warnings if isinstance(w, RecordWarning)] == [
        f"R.csv:2: the reduction of doxorubicin to {shown} changes nothing: no reduction "
        "before it to undo (dose level 0 is the dose as written)"]
    assert summary(s).reductions == (
        f"dox: {shown} from 2027-01-20 (line 2); changes nothing: no reduction before it to "
        "undo (dose level 0 is the dose as written)",)


def test_level_0_after_a_reduction_re_escalates_without_a_warning() -> None:
    s = replayed("2027-01-20,reduce,dox,,,,-1,,\n2027-02-20,reduce,dox,,,,0,,\n",
                 policy=", re_escalate: true")
    assert [w for w in s.warnings if isinstance(w, RecordWarning)] == []
    # Cycle 2 (01-25) at level -1: 48 x 1.8 = 86.4 mg; cycle 3 (02-15) too; cycle 4
    # (03-08) back at 108 mg.
    assert [a.dose.text for a in s.administrations][:4] == [
        "108 mg", "86.4 mg", "86.4 mg", "108 mg"]


def test_a_dose_given_past_max_cumulative_is_one_deviation() -> None:
    # 60 mg/m2 a cycle: after cycle 4, 240 mg/m2; cycle 5 (2027-03-29) brings 300 > 250.
    rows = "".join(f"{d},given,dox,,,,,,\n" for d in (
        "2027-01-04", "2027-01-25", "2027-02-15", "2027-03-08", "2027-03-29"))
    s = replayed(rows, limit=", max_cumulative: 250 mg/m2")
    text = ("dox (doxorubicin): the administration given on 2027-03-29 (cycle 5, day 1) "
            "brought the cumulative dose to 300 mg per m², above max_cumulative 250 mg per m² "
            "(240 mg per m² before it)")
    assert summary(s).deviations == (f"line 6: {text}",)
    table = s.to_table()
    assert table.count(text) == 3  # the record's deviations, the summary's, the warning
    # Cycle 6 (2027-01-04 + 105 days), still planned after the crossing, is flagged
    # before it happens: 300 + 60 = 360 mg/m2 (docs/record.md, "Cumulative limits").
    assert ("  Cumulative limits:\n    - dox (doxorubicin): the administration planned on "
            "2027-04-19 (cycle 6, day 1) would bring the cumulative dose to 360 mg per m², "
            "above max_cumulative 250 mg per m² (300 mg per m² before it); review before "
            "giving it\n") in table
    assert json.loads(s.to_json())["summary"]["deviations"] == [f"line 6: {text}"]


def test_voided_rows_are_listed_in_the_summary() -> None:
    s = replayed("2027-01-04,given,dox,,,,,,\n2027-01-05,given,dox,,,109 mg,,,\n"
                 "2027-01-05,void given,dox,,,109 mg,,entered in error,3\n")
    assert summary(s).voided == (
        "line 4 withdraws line 3 (2027-01-05 given dox 109 mg): entered in error",)
    assert json.loads(s.to_json())["summary"]["voided"] == [
        "line 4 withdraws line 3 (2027-01-05 given dox 109 mg): entered in error"]
    assert ("  Voided rows:\n    - line 4 withdraws line 3 (2027-01-05 given dox 109 mg): "
            "entered in error\n") in s.to_table()


def test_without_void_rows_the_list_is_empty() -> None:
    s = replayed("2027-01-04,given,dox,,,,,,\n")
    assert summary(s).voided == ()
    assert json.loads(s.to_json())["summary"]["voided"] == []
    assert "Voided rows" not in s.to_table()
