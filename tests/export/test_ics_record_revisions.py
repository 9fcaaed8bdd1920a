"""What revises a participant's calendar event (its SEQUENCE), and what a calendar is sent
for an event that is gone (docs/ics.md, "SEQUENCE"; docs/record.md, "Dose changes").

- A later measurement that changes no dose (its amount, date and time) revises no event:
  the audit note it adds ("computed from ...") is shown but is not a revision (RFC 5545
  §3.8.7.4: SEQUENCE counts significant revisions). A dose it changes is revised.
- An event that was in the schedule at some step of the record's history and is no
  longer there is sent STATUS:CANCELLED with a higher SEQUENCE, without ``--previous``
  as with it.

Expected values worked out by hand; every file read back with icalendar.
"""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime
from typing import Any

import pytest
from icalendar import Calendar

import regimens
from regimens.record import read_record

STAMP = datetime(2027, 1, 1, tzinfo=UTC)
HEADER = "date,event,drug,cycle,day,amount,level,reason,line\n"

# Epirubicin 90 mg/m2 on day 1 of three 21-day cycles from Mon 2027-01-04 (Days 1, 22,
# 43: 01-04, 01-25, 02-15); carboplatin 300 mg flat on the same days, made up when missed.
# 180 cm and 80 kg: Mosteller sqrt(180 x 80 / 3600) = sqrt(4) = 2 m2, so 180 mg.
EPI = """\
format: regimens/1
id: epir
title: epi test
max_delay: 14 days
drugs:
  epi: {name: epirubicin, route: intravenous}
  carbo: {name: carboplatin, route: intravenous}
arms:
  a: {label: A}
periods:
  - id: treatment
    length: 9 weeks
    courses:
      - {drug: epi, dose: 90 mg/m2, cycle: 21 days, cycles: 3, days: [1]}
      - {drug: carbo, dose: 300 mg, cycle: 21 days, cycles: 3, days: [1], missed: make_up}
"""


def _schedule(rows: str, drugs: tuple[str, ...] = ()) -> regimens.Schedule:
    regimen = regimens.loads(EPI, "epi.yaml")
    record = read_record(HEADER + rows, name="P.csv", regimen=regimen)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = regimen.expand("a", "2027-01-04", regimens.Participant(
            label="P-1", weight="80 kg", height="180 cm"), record=record)
    return s.only(list(drugs)) if drugs else s


def _events(ics: bytes) -> dict[str, Any]:
    """The events by short UID ("epi.day22"), each UID once."""
    found = list(Calendar.from_ical(ics).walk("VEVENT"))
    out = {str(e["UID"]).split(".", 2)[2].removesuffix("@regimens"): e for e in found}
    assert len(out) == len(found)
    return out


def _sequences(ics: bytes) -> dict[str, tuple[int, str, date]]:
    return {uid: (int(e["SEQUENCE"]), str(e.get("STATUS", "")), e.decoded("DTSTART"))
            for uid, e in _events(ics).items()}


GIVEN = "2027-01-04,given,epi,,,,,,\n"


@pytest.mark.parametrize(("measure", "day43"), [
    # 70 kg: sqrt(180 x 70 / 3600) = 1.8708 -> 1.87 m2, 90 x 1.87 = 168.3 mg: changed.
    ("70 kg", (1, "168.3 mg")),
    # 80.1 kg: sqrt(180 x 80.1 / 3600) = 2.00125 -> 2 m2 (2 decimals), 180 mg, but
    # recomputed: its derivation now reads 80.1 kg, what the pharmacist prepares from.
    ("80.1 kg", (1, "180 mg")),
    # The same height measured again: nothing recomputed; only the audit note names it.
    ("180 cm", (0, "180 mg")),
], ids=["changes-day43", "recomputes-day43", "changes-nothing"])
def test_a_later_measurement_revises_only_the_doses_it_changes(
        measure: str, day43: tuple[int, str]) -> None:
    # Line 2 gives the Day 1 dose (revision 1 of epi.day1); line 3, dated 2027-02-01,
    # measures the weight: in effect from 02-01, so only the Day 43 dose (02-15) may change.
    before = _schedule(GIVEN, ("epi",)).to_ics(stamp=STAMP)
    after = _schedule(GIVEN + f"2027-02-01,measure,,,,{measure},,,\n", ("epi",)).to_ics(
        stamp=STAMP)
    found = _events(after)
    assert {uid: int(e["SEQUENCE"]) for uid, e in found.items()} == {
        "epi.day1": 1, "epi.day22": 0, "epi.day43": day43[0]}
    assert str(found["epi.day43"]["SUMMARY"]) == f"epirubicin {day43[1]}, intravenous"
    # The audit note is shown, on the dose given before the measurement too.
    assert "computed from weight 80 kg (at enrolment)" in str(found["epi.day1"]["DESCRIPTION"])
    assert "computed from weight 80 kg" not in str(_events(before)["epi.day1"]["DESCRIPTION"])
    # The same with the earlier export as --previous: the given dose is not revised.
    again = _events(_schedule(GIVEN + f"2027-02-01,measure,,,,{measure},,,\n",
                              ("epi",)).to_ics(stamp=STAMP, previous=before))
    assert {uid: int(e["SEQUENCE"]) for uid, e in again.items()} == {
        "epi.day1": 1, "epi.day22": 0, "epi.day43": day43[0]}


# Carboplatin's Day 22 dose (2027-01-25) missed on line 2: made up (carbo.day22.2, a new
# event, SEQUENCE 0) the day after the course's last dose (Day 43, 2027-02-15): 2027-02-16.
# Line 3 voids the missed row: the make-up is no longer in the schedule.
MISSED = "2027-01-25,missed,carbo,,,,,platelets,\n"
VOID = "2027-01-25,void missed,carbo,,,,,entered in error,2\n"


def test_a_make_up_voided_is_sent_cancelled_without_previous() -> None:
    first = _sequences(_schedule(MISSED, ("carbo",)).to_ics(stamp=STAMP))
    assert first["carbo.day22.2"] == (0, "", date(2027, 2, 16))
    assert first["carbo.day22"][:2] == (1, "CANCELLED")
    # After the void: the missed dose is planned again (SEQUENCE 2: missed, then planned
    # again), and the make-up, gone, is sent cancelled on its day, SEQUENCE 0 + 1.
    second = _sequences(_schedule(MISSED + VOID, ("carbo",)).to_ics(stamp=STAMP))
    assert second["carbo.day22"] == (2, "", date(2027, 1, 25))
    assert second["carbo.day22.2"] == (1, "CANCELLED", date(2027, 2, 16))
    # As --previous would have it: the same SEQUENCE and status.
    with_previous = _sequences(_schedule(MISSED + VOID, ("carbo",)).to_ics(
        stamp=STAMP, previous=_schedule(MISSED, ("carbo",)).to_ics(stamp=STAMP)))
    assert with_previous["carbo.day22.2"][:2] == (1, "CANCELLED")
    assert with_previous == second
