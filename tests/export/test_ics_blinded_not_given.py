"""A blinded iCalendar event of a dose not given says it was not given, as the unblinded
event does, without unblinding: its SUMMARY was the dose's ("study drug (aldesleukin or
placebo), subcutaneous injection"), which reads as a dose given. Every status that is
not a dose given (missed, held, cancelled, stopped) says so; given and planned do not.

MIROCALS: aldesleukin (or its matching placebo) by subcutaneous injection on days 1-5 of
each 28-day cycle from Monday 2027-01-04; the record misses cycle 1 day 2 (2027-01-05).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

import regimens
from regimens import AdministrationStatus, read_record

STAMP = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
BLINDED_NAME = "study drug (aldesleukin or placebo)"


def _summaries(ics: bytes | str) -> dict[str, str]:
    """SUMMARY of each event by its DTSTART date (YYYYMMDD), unfolded and unescaped, for
    the IL-2 events."""
    text = ics.decode() if isinstance(ics, bytes) else ics
    text = text.replace("\r\n ", "")
    found = {}
    for event in text.split("BEGIN:VEVENT")[1:]:
        lines = event.splitlines()
        summary = next(line.split(":", 1)[1] for line in lines if line.startswith("SUMMARY"))
        start = next(line.split(":", 1)[1][:8] for line in lines
                     if line.startswith("DTSTART"))
        summary = summary.replace("\\,", ",").replace("\\;", ";")
        if "aldesleukin" in summary:
            found[start] = summary
    return found


def test_a_missed_dose_says_not_given_blinded_and_unblinded() -> None:
    record = read_record("date,event,drug,cycle,day,amount,level,reason\n"
                         "2027-01-05,missed,il2,,,,,toxicity\n", name="R.csv")
    s = regimens.load("mirocals").expand("il2", "2027-01-04", record=record)
    blinded = _summaries(s.to_ics(stamp=STAMP, blinded=True))
    unblinded = _summaries(s.to_ics(stamp=STAMP, blinded=False))
    assert blinded["20270105"] == (f"{BLINDED_NAME} not given (missed), subcutaneous "
                                   "injection")
    assert unblinded["20270105"] == "aldesleukin not given (missed), subcutaneous injection"
    # The day before, given as planned: the dose's own summary, blinded.
    assert blinded["20270104"] == f"{BLINDED_NAME}, subcutaneous injection"


@pytest.mark.parametrize(("status", "said"), [
    (AdministrationStatus.PLANNED, ""),
    (AdministrationStatus.GIVEN, ""),
    (AdministrationStatus.MISSED, " not given (missed)"),
    (AdministrationStatus.HELD, " not given (held)"),
    (AdministrationStatus.CANCELLED, " not given (cancelled)"),
    (AdministrationStatus.STOPPED, " not given (stopped)"),
])
@pytest.mark.parametrize("arm", ["il2", "placebo"])
def test_every_status_not_given_says_so_blinded_alike_on_both_arms(
        status: AdministrationStatus, said: str, arm: str) -> None:
    s = regimens.load("mirocals").expand(arm, "2027-01-04")
    day = dt.date(2027, 1, 5)
    changed = tuple(dataclasses.replace(a, status=status)
                    if a.date == day and a.drug == "il2" else a for a in s.administrations)
    s = dataclasses.replace(s, administrations=changed)
    blinded = _summaries(s.to_ics(stamp=STAMP, blinded=True))
    # The same words on either arm: nothing unblinds.
    assert blinded["20270105"] == f"{BLINDED_NAME}{said}, subcutaneous injection"
