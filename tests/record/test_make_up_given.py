"""A make-up given, missed or voided (``missed: make_up``; docs/record.md, "Policies").

A ``given`` row for a missed dose that is made up (naming the missed dose's cycle and day,
or dated on the make-up's day without an amount) fulfils the MAKE-UP: the missed
administration stays missed on its day (counted missed in the summary, zero in the RDI),
the make-up becomes given and keeps its event (UID ``.2``, SEQUENCE raised). A ``missed``
row for the make-up misses the make-up (not made up again); a void of the given row plans
the make-up again.

Every figure is by hand. Gemcitabine 1,000 mg/m2 on days 1, 8, 15 of three 28-day cycles
from Mon 2027-01-04 (the O3 reproducer, gemcitabine-redose + ``missed: make_up``): 70 kg,
170 cm, Mosteller 1.8181 -> 1.82 m2, 1,820 mg. Planned: 01-04, 01-11, 01-18, 02-01, 02-08,
02-15, 03-01, 03-08, 03-15 (nine doses, 16,380 mg). Cycle 1 day 8 (Mon 2027-01-11) is
missed; its make-up is planned the day after the course's last dose: Tue 2027-03-16.
"""

from __future__ import annotations

import json
import warnings
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

import regimens
from regimens import AdministrationStatus as S
from regimens import InvalidRegimenError, Participant, read_record

REGIMEN = """\
format: regimens/1
id: gemcitabine-redose
title: Gemcitabine per m2 with a re-dosing rule (test regimen for a whole treatment)
redose: {weight_change: 10%}
missed: make_up
drugs:
  gem: {name: gemcitabine, route: intravenous}
arms:
  gem: {label: gemcitabine}
periods:
  - id: treatment
    length: 12 weeks
    courses:
      - {id: gem, drug: gem, dose: 1000 mg/m2, round: 10 mg, cycle: 28 days, cycles: 3,
         days: [1, 8, 15]}
"""
HEADER = "date,event,drug,cycle,day,amount,level,reason,line\n"
# Lines 2-5 (mk2.csv): cycle 1 day 1 given, day 8 missed, day 15 given, cycle 2 day 1 given.
MK2 = ("2027-01-04,given,gem,,,,,,\n2027-01-11,missed,gem,,,,,,\n"
       "2027-01-18,given,gem,,,,,,\n2027-02-01,given,gem,,,,,,\n")
STAMP = datetime(2027, 1, 1, tzinfo=UTC)
DAY8 = "gemcitabine-redose.no_label.gem.day8@regimens"
DAY8_2 = "gemcitabine-redose.no_label.gem.day8.2@regimens"


def expand(rows: str) -> regimens.Schedule:
    regimen = regimens.loads(REGIMEN, "gem-makeup.yaml")
    record = read_record(HEADER + rows, name="P.csv", regimen=regimen)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return regimen.expand("gem", "2027-01-04",
                              Participant(weight="70 kg", height="170 cm"), record=record)


def day8(s: regimens.Schedule) -> list[tuple[date, S, str]]:
    """Cycle 1 day 8's administrations: the missed dose and its make-up, in date order."""
    return [(a.date, a.status, a.dose.text) for a in s.administrations
            if (a.cycle, a.cycle_day) == (1, 8)]


def events(ics: bytes) -> dict[str, tuple[date, int, str | None]]:
    """Each event's start day, SEQUENCE and STATUS, by UID (read back with icalendar)."""
    found = list(Calendar.from_ical(ics).walk("VEVENT"))
    out = {str(e["UID"]): (e.decoded("DTSTART"), int(e.get("SEQUENCE", 0)),
                           str(e["STATUS"]) if "STATUS" in e else None) for e in found}
    assert len(out) == len(found)
    return out


def status_counts(s: regimens.Schedule) -> dict[str, Any]:
    """The JSON summary's administrations by status."""
    drug = json.loads(s.to_json())["summary"]["drugs"][0]
    return {k: drug[k] for k in ("given", "planned", "missed", "held", "cancelled",
                                 "stopped")}


def counts(s: regimens.Schedule) -> dict[str, Any]:
    """The JSON summary's counts, amount given and RDI (against the protocol, the cycles
    started)."""
    drug = json.loads(s.to_json())["summary"]["drugs"][0]
    return status_counts(s) | {
        "given_total": drug["given_total"][0]["amount"],
        "rdi": (drug["rdi"]["protocol"]["percent"], drug["rdi"]["cycles_started"]["percent"])}


MISSED_0111 = (date(2027, 1, 11), S.MISSED, "1,820 mg")
# mk2: 3 given (5,460 mg), 5 planned + the make-up, 1 missed. RDI per m2 against the
# protocol: 3,000 mg/m2 over 02-01 - 01-04 = 28 + 28 = 56 days, against 9,000 over
# 03-15 - 01-04 = 70 + 28 = 98 days: 3000 x 98 / (56 x 9000) = 58.33 -> 58.3%; cycles
# started (1 and 2: 6,000 over 02-15 - 01-04 = 42 + 28 = 70 days): 210000 / 336000 = 62.5%.
BEFORE = {"given": 3, "planned": 6, "missed": 1, "held": 0, "cancelled": 0, "stopped": 0,
          "given_total": "5460", "rdi": ("58.3", "62.5")}
# The make-up given on Tue 03-16: 4 given (7,280 mg), 5 planned, 1 missed (the dose of
# 01-11 stays missed). RDI: 4,000 over 03-16 - 01-04 = 71 + 28 = 99 days: 4000 x 98 /
# (99 x 9000) = 43.995 -> 44.0%; cycles started 4000 x 70 / (99 x 6000) = 47.14 -> 47.1%.
GIVEN_0316 = {"given": 4, "planned": 5, "missed": 1, "held": 0, "cancelled": 0,
              "stopped": 0, "given_total": "7280", "rdi": ("44.0", "47.1")}


def test_before_the_make_up_is_given() -> None:
    s = expand(MK2)
    assert day8(s) == [MISSED_0111, (date(2027, 3, 16), S.PLANNED, "1,820 mg")]
    assert counts(s) == BEFORE
    new = events(s.to_ics(stamp=STAMP))
    assert new[DAY8] == (date(2027, 1, 11), 1, "CANCELLED")
    assert new[DAY8_2] == (date(2027, 3, 16), 0, None)


@pytest.mark.parametrize("row", [
    "2027-03-16,given,gem,1,8,,,,\n",  # by its cycle and day (mk3.csv)
    "2027-03-16,given,gem,,,,,,\n",  # by the make-up's day
])
def test_a_make_up_given_fulfils_the_make_up(row: str) -> None:
    s = expand(MK2 + row)
    assert day8(s) == [MISSED_0111, (date(2027, 3, 16), S.GIVEN, "1,820 mg")]
    assert len(s.administrations) == 10
    assert counts(s) == GIVEN_0316
    previous = expand(MK2).to_ics(stamp=STAMP)
    for ics in (s.to_ics(stamp=STAMP), s.to_ics(stamp=STAMP, previous=previous)):
        new = events(ics)
        # The missed dose's event is not revived: still cancelled on 01-11, unchanged.
        assert new[DAY8] == (date(2027, 1, 11), 1, "CANCELLED")
        # The make-up keeps its UID, one revision more, not cancelled.
        assert new[DAY8_2] == (date(2027, 3, 16), 1, None)
        assert len(new) == 10


def test_a_make_up_given_on_another_day() -> None:
    # Given Thu 2027-03-18 (planned Tue 03-16). RDI: 4,000 over 03-18 - 01-04 = 73 + 28 =
    # 101 days: 4000 x 98 / (101 x 9000) = 43.12 -> 43.1%; cycles started 4000 x 70 /
    # (101 x 6000) = 46.20 -> 46.2%.
    s = expand(MK2 + "2027-03-18,given,gem,1,8,,,,\n")
    assert day8(s) == [MISSED_0111, (date(2027, 3, 18), S.GIVEN, "1,820 mg")]
    assert counts(s) == GIVEN_0316 | {"rdi": ("43.1", "46.2")}
    new = events(s.to_ics(stamp=STAMP, previous=expand(MK2).to_ics(stamp=STAMP)))
    assert new[DAY8] == (date(2027, 1, 11), 1, "CANCELLED")
    assert new[DAY8_2] == (date(2027, 3, 18), 1, None)
    assert len(new) == 10


@pytest.mark.parametrize("row", [
    "2027-03-16,missed,gem,1,8,,,,\n",  # by its cycle and day
    "2027-03-16,missed,gem,,,,,,\n",  # by the make-up's day
])
def test_a_make_up_missed_is_missed_and_not_made_up_again(row: str) -> None:
    s = expand(MK2 + row)
    assert day8(s) == [MISSED_0111, (date(2027, 3, 16), S.MISSED, "1,820 mg")]
    assert len(s.administrations) == 10
    # 3 given, 5 planned, 2 missed (the dose and its make-up); RDI as before (nothing
    # more given, the make-up has no planned amount of its own).
    assert counts(s) == BEFORE | {"planned": 5, "missed": 2}
    new = events(s.to_ics(stamp=STAMP, previous=expand(MK2).to_ics(stamp=STAMP)))
    assert new[DAY8] == (date(2027, 1, 11), 1, "CANCELLED")
    assert new[DAY8_2] == (date(2027, 3, 16), 1, "CANCELLED")
    assert len(new) == 10


def test_a_void_of_the_given_row_plans_the_make_up_again() -> None:
    rows = MK2 + "2027-03-16,given,gem,1,8,,,,\n2027-03-16,void given,gem,1,8,,,error,6\n"
    s = expand(rows)
    assert day8(s) == [MISSED_0111, (date(2027, 3, 16), S.PLANNED, "1,820 mg")]
    assert counts(s) == BEFORE
    new = events(s.to_ics(stamp=STAMP))
    assert new[DAY8] == (date(2027, 1, 11), 1, "CANCELLED")
    # Planned (0), given (1), planned again (2): never back to a SEQUENCE it had.
    assert new[DAY8_2] == (date(2027, 3, 16), 2, None)


@pytest.mark.parametrize(("rows", "code"), [
    # Given twice by its cycle and day, without an amount: a row entered twice.
    ("2027-03-16,given,gem,1,8,,,,\n2027-03-17,given,gem,1,8,,,,\n", "record-given-twice"),
    # The make-up given, then recorded missed: one of the two rows is wrong.
    ("2027-03-16,given,gem,1,8,,,,\n2027-03-16,missed,gem,1,8,,,,\n",
     "record-given-and-missed"),
    # Dated on a day with no make-up and no planned dose, without an amount (as before).
    ("2027-03-18,given,gem,,,,,,\n", "record-given-without-amount"),
])
def test_contradictions_are_refused(rows: str, code: str) -> None:
    with pytest.raises(InvalidRegimenError) as caught:
        expand(MK2 + rows)
    assert [p.code for p in caught.value.problems] == [code]


PLANNED = [date(2027, 1, 4) + timedelta(days=28 * (i // 3) + 7 * (i % 3)) for i in range(9)]


@given(st.sets(st.integers(0, 8), min_size=1), st.data())
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_giving_a_make_up_never_changes_a_missed_dose(missed: set[int],
                                                      data: st.DataObject) -> None:
    rows = "".join(f"{PLANNED[i].isoformat()},missed,gem,,,,,,\n" for i in sorted(missed))
    before = expand(rows)
    ups = [a for a in before.administrations if a.status is S.PLANNED
           and a.record_note.startswith("make-up")]
    assert len(ups) == len(missed)
    up = data.draw(st.sampled_from(ups))
    by_day = data.draw(st.booleans())
    when = up.date if by_day else up.date + timedelta(days=data.draw(st.integers(0, 3)))
    what = "," if by_day else f"{up.cycle},{up.cycle_day}"
    after = expand(rows + f"{when.isoformat()},given,gem,{what},,,,\n")

    def missed_doses(s: regimens.Schedule) -> list[tuple[int | None, int | None, date]]:
        return [(a.cycle, a.cycle_day, a.date) for a in s.administrations
                if a.status is S.MISSED]

    assert missed_doses(after) == missed_doses(before)
    assert len(after.administrations) == len(before.administrations)
    assert status_counts(after)["missed"] == len(missed)
    assert status_counts(after)["given"] == status_counts(before)["given"] + 1
