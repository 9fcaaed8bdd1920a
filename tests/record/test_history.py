"""A given dose is a fact of its day: no row dated after it changes it (issue 13, cold
user's report, item 1).

Amounts by hand: doxorubicin 60 mg/m2 x 1.8 m2 = 108 mg; level -1: 48 mg/m2 x 1.8 m2 =
86.4 mg; every 21 days from Monday 2027-01-04 (cycle n on 2027-01-04 + 21 (n - 1) days:
cycle 2 on 2027-01-25, cycle 3 on 2027-02-15, cycle 4 on 2027-03-08).
"""

from __future__ import annotations

import warnings
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import regimens
from regimens import AdministrationStatus, Participant, RecordWarning, read_record
from support.records import RECORD_HEADER, ac_text

REGIMEN = regimens.loads(ac_text(), "ac.yaml")
PERSON = Participant(weight="70 kg", height="170 cm", bsa="1.8 m2")
HEADER = RECORD_HEADER
START = date(2027, 1, 4)


def expand(rows: str) -> regimens.Schedule:
    record = read_record(HEADER + rows, name="R.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        return REGIMEN.expand("x", "2027-01-04", PERSON, record=record)


def doses(schedule: regimens.Schedule) -> list[str]:
    return [a.dose.text for a in schedule.administrations if a.drug == "dox"]


def record_warnings(schedule: regimens.Schedule) -> list[str]:
    return [str(w) for w in schedule.warnings if isinstance(w, RecordWarning)]


GIVEN_TWICE = "2027-01-04,given,dox,,,,,\n2027-01-25,given,dox,,,,,\n"


def test_a_later_reduction_from_a_given_cycle_leaves_the_given_dose_and_says_so() -> None:
    # The cold user's retro.csv: cycle 2 given on 2027-01-25 at the planned 108 mg; a row
    # dated 2027-03-01 reduces "from cycle 2". Cycle 2 stays 108 mg; cycles 3 to 6, not
    # yet given, are 86.4 mg.
    s = expand(GIVEN_TWICE + "2027-03-01,reduce,dox,2,,,-1,\n")
    assert doses(s) == ["108 mg", "108 mg"] + ["86.4 mg"] * 4
    second = next(a for a in s.administrations if a.cycle == 2)
    assert second.status is AdministrationStatus.GIVEN
    assert second.planned_dose is None  # given as planned that day: nothing changed
    assert record_warnings(s) == [
        "R.csv:4: the reduction of doxorubicin from cycle 2 is dated 2027-03-01, after cycle "
        "2 day 1 given on 2027-01-25 by line 3: it applies only to doses not yet given; a "
        "given dose keeps the dose of its day"]
    assert s.replayed is not None
    summary = s.replayed.summary
    assert summary.reductions == (
        "dox: dose level -1 from cycle 2 (line 4); applies only to doses not yet given "
        "(cycle 2 day 1 given on 2027-01-25 by line 3)",)
    (drug,) = summary.drugs
    # Given: 108 + 108 = 216 mg (the reduction took nothing back).
    assert [str(a) for a in drug.given_total] == ["216 mg"]


def test_a_reduction_dated_on_the_day_of_the_dose_applies_to_it() -> None:
    # Decided on 2027-01-25, the day cycle 2 was given: that dose is 86.4 mg, no warning.
    s = expand(GIVEN_TWICE + "2027-01-25,reduce,dox,2,,,-1,\n")
    assert doses(s) == ["108 mg"] + ["86.4 mg"] * 5
    assert record_warnings(s) == []


def test_a_reduction_from_a_cycle_not_yet_given_says_nothing() -> None:
    s = expand(GIVEN_TWICE + "2027-03-01,reduce,dox,3,,,-1,\n")
    assert doses(s) == ["108 mg", "108 mg"] + ["86.4 mg"] * 4
    assert record_warnings(s) == []


def test_a_missed_dose_shows_the_dose_of_its_day_not_a_later_reduction() -> None:
    # Cycle 2 missed on 2027-01-25; the reduction dated 2027-03-01 came after it.
    s = expand("2027-01-04,given,dox,,,,,\n2027-01-25,missed,dox,,,,,\n"
               "2027-03-01,reduce,dox,2,,,-1,\n")
    assert doses(s) == ["108 mg", "108 mg"] + ["86.4 mg"] * 4


def test_a_later_reduction_dated_from_its_date_never_reached_back() -> None:
    s = expand(GIVEN_TWICE + "2027-02-01,reduce,dox,,,,-1,\n")
    assert doses(s) == ["108 mg", "108 mg"] + ["86.4 mg"] * 4
    assert record_warnings(s) == []


@st.composite
def histories(draw: Any) -> tuple[str, str]:
    """Given rows for the first k cycles (on the planned day, some with an amount), and a
    later row (a reduce by cycle or date, or a new weight) dated after the last of them."""
    k = draw(st.integers(1, 5))
    rows = []
    for cycle in range(1, k + 1):
        day = START + timedelta(days=21 * (cycle - 1))
        amount = draw(st.sampled_from(["", "", "100 mg", "54 mg"]))
        rows.append(f"{day.isoformat()},given,dox,,,{amount},,\n")
    last = START + timedelta(days=21 * (k - 1))
    later = last + timedelta(days=draw(st.integers(1, 60)))
    kind = draw(st.sampled_from(["cycle", "date", "weight", "percent"]))
    cycle = draw(st.integers(1, 6))
    level = draw(st.sampled_from(["-1", "-2"]))
    extra = {"cycle": f"{later.isoformat()},reduce,dox,{cycle},,,{level},\n",
             "date": f"{later.isoformat()},reduce,dox,,,,{level},\n",
             "weight": f"{later.isoformat()},measure,,,,55 kg,,\n",
             "percent": f"{later.isoformat()},reduce,dox,{cycle},,,50%,\n"}[kind]
    return "".join(rows), extra


@given(histories())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_no_later_row_changes_the_amount_of_an_earlier_given_dose(
        history: tuple[str, str]) -> None:
    rows, later = history
    before = expand(rows)
    after = expand(rows + later)

    def given(s: regimens.Schedule) -> list[tuple[date, str | None]]:
        return [(a.date, a.dose.text) for a in s.administrations
                if a.status is AdministrationStatus.GIVEN]

    assert given(after) == given(before)
    assert after.replayed is not None
    assert before.replayed is not None
    assert ([d.given_total for d in after.replayed.summary.drugs]
            == [d.given_total for d in before.replayed.summary.drugs])


@pytest.mark.parametrize("reason", ["", "toxicity"])
def test_the_warning_is_a_regimen_warning(reason: str) -> None:
    record = read_record(HEADER + GIVEN_TWICE + f"2027-03-01,reduce,dox,1,,,-1,{reason}\n",
                         name="R.csv")
    with pytest.warns(RecordWarning, match=r"from cycle 1 is dated 2027-03-01, after cycle 1 "
                      r"day 1 given on 2027-01-04 by line 2, cycle 2 day 1 given on "
                      r"2027-01-25 by line 3"):
        REGIMEN.expand("x", "2027-01-04", PERSON, record=record)
