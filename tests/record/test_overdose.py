"""A given amount above the planned one is a named deviation and an OverdoseWarning, and an
RDI above 100% is in its own band, never ">= 85%".

Doxorubicin 60 mg/m2 for 170 cm and 70 kg: BSA (Mosteller) sqrt(170 x 70 / 3600) = 1.8181,
rounded to 1.82 m2: 109.2 mg planned on 2027-01-04 (cycles of 21 days x 6).
"""

from __future__ import annotations

import warnings

import regimens
from regimens import OverdoseWarning, Participant, read_record
from support.records import DOXDOC_PLAIN, RECORD_HEADER

DOX = DOXDOC_PLAIN

HEADER = RECORD_HEADER


def expand(rows: str) -> tuple[regimens.Schedule, list[warnings.WarningMessage]]:
    regimen = regimens.loads(DOX, "dox.yaml")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = regimen.expand("x", "2027-01-04", Participant(weight="70 kg", height="170 cm"),
                           record=read_record(HEADER + rows, name="m-over.csv"))
    return s, caught


def test_more_than_planned_is_a_deviation_and_a_warning() -> None:
    s, caught = expand("2027-01-04,given,dox,,,500 mg,,\n")
    text = ("doxorubicin given 500 mg on Mon 2027-01-04, more than the 109.2 mg planned")
    assert s.replayed is not None
    assert s.replayed.deviations == (f"line 2: {text}",)
    assert s.replayed.summary.deviations == (f"line 2: {text}",)
    assert [str(w.message) for w in caught if w.category is OverdoseWarning] == [
        f"m-over.csv:2: {text}"]
    assert any(isinstance(w, OverdoseWarning) for w in s.warnings)
    # 500 mg given over 21 days against 6 x 109.2 = 655.2 mg over 126 days:
    # (500 / 21) / (655.2 / 126) = 457.875...%: above 100%, its own band.
    (drug,) = s.replayed.summary.drugs
    assert drug.intensity is not None
    assert str(drug.intensity.percent)[:7] == "457.875"
    assert drug.intensity.band == "> 100%"


def test_the_planned_amount_or_less_is_no_overdose() -> None:
    for amount in ("109.2 mg", "54.6 mg", ""):
        s, caught = expand(f"2027-01-04,given,dox,,,{amount},,\n")
        assert s.replayed is not None
        assert s.replayed.deviations == ()
        assert not [w for w in caught if w.category is OverdoseWarning]
