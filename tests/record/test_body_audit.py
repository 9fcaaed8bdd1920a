"""Every administration of a drug dosed by body size carries the body size it was (or would
have been) computed from, whatever its status (docs/record.md, "What each dose was computed
from"), in every output that shows the record's notes (JSON, CSV, iCalendar).

Cyclophosphamide 600 mg/m2 on days 1 and 8 of four 21-day cycles from Mon 2027-01-04
(cycle 2 day 1 on 01-25, day 8 on 02-01, cycle 3 day 1 on 02-15, day 8 on 02-22, cycle 4
on 03-08 and 03-15), height 170 cm, weight 70 kg: BSA (Mosteller) sqrt(170 x 70 / 3600) =
1.8181, 1.82 m²; after 62 kg measured 2027-01-20, sqrt(170 x 62 / 3600) = 1.7111, 1.71 m².
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from datetime import UTC, datetime

import pytest

import regimens
from regimens import AdministrationStatus as S
from regimens import Participant, read_record
from support.records import RECORD_HEADER

CYC = """\
format: regimens/1
id: cyc
title: Cyc
drugs:
  cyc: {name: cyclophosphamide, route: intravenous}
arms:
  x: {label: X}
periods:
  - id: t
    length: 12 weeks
    courses:
      - {drug: cyc, dose: 600 mg/m2, cycle: 21 days, cycles: 4, days: [1, 8]POLICY}
"""

AT_ENROLMENT = ("computed from weight 70 kg (at enrolment); height 170 cm (at enrolment); BSA "
                "1.82 m² (computed)")
AFTER_62 = ("computed from weight 62 kg (measured 2027-01-20, record line 3); height 170 cm "
            "(at enrolment); BSA 1.71 m² (computed)")


def replay(rows: str, weight: str = "70 kg", policy: str = "") -> regimens.Schedule:
    regimen = regimens.loads(CYC.replace("POLICY", policy), "cyc.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return regimen.expand("x", "2027-01-04", Participant(weight=weight, height="170 cm"),
                              record=read_record(RECORD_HEADER + rows, name="P.csv"))


# Rows on lines 2, 3, ...: cycle 1 day 1 given, 62 kg on 01-20, cycle 2 day 1 missed, cycle
# 3 held from 02-10 (resumed 03-01), the whole treatment stopped from 03-10.
WITH_MEASURE = ("2027-01-04,given,cyc,,,,,\n"
                "2027-01-20,measure,,,,62 kg,,\n"
                "2027-01-25,missed,cyc,,,,,\n"
                "2027-02-10,hold,cyc,,,,,\n"
                "2027-03-01,resume,cyc,,,,,\n"
                "2027-03-10,stop,,,,,,progression\n")


@pytest.mark.parametrize(("cycle", "day", "status", "body"), [
    (1, 1, S.GIVEN, AT_ENROLMENT),
    (1, 8, S.PLANNED, AT_ENROLMENT),
    (2, 1, S.MISSED, AFTER_62),
    (2, 8, S.PLANNED, None),  # recomputed: its note says "recomputed from ..." instead
    (3, 1, S.HELD, AFTER_62),
    (3, 8, S.HELD, AFTER_62),
    (4, 1, S.PLANNED, None),
    (4, 8, S.STOPPED, AFTER_62),
])
def test_every_status_carries_the_body_size(cycle: int, day: int, status: S,
                                            body: str | None) -> None:
    s = replay(WITH_MEASURE)
    (a,) = [a for a in s.administrations if (a.cycle, a.cycle_day) == (cycle, day)]
    assert a.status is status
    if body is None:
        assert "recomputed from " + AFTER_62[len("computed from "):] in a.record_note
    else:
        assert body in a.record_note


def test_a_dose_given_with_its_own_amount_carries_the_body_size() -> None:
    # No measure row: the planned doses' derivations say the BSA; the dose given as 500 mg
    # has "given: 500 mg ..." for a derivation, so its note says it.
    s = replay("2027-01-04,given,cyc,,,500 mg,,vomited\n")
    first = s.administrations[0]
    assert first.dose.derivation == ("given: 500 mg (record line 2: vomited); planned: "
                                     "1,092 mg")
    assert first.record_note == "given 500 mg (line 2: vomited); " + AT_ENROLMENT
    # Every output that shows notes.
    data = json.loads(s.to_json())
    assert data["administrations"][0]["record_note"] == first.record_note
    row = next(csv.DictReader(io.StringIO(s.to_csv())))
    assert row["record_note"] == first.record_note
    ics = s.to_ics(stamp=datetime(2027, 1, 1, tzinfo=UTC)).decode().replace("\r\n ", "")
    assert ("BSA 1.82 m² (computed)" in ics.split("BEGIN:VEVENT")[1])


def test_a_weight_typed_without_a_space_is_shown_with_one() -> None:
    # Under redose: {weight_change: 10%}, 66 kg is 5.71% below 70 kg: not recomputed; the
    # note shows both weights as the heading does, "70 kg" although typed "70kg".
    s = replay("2027-01-20,measure,,,,66kg,,\n", weight="70kg",
               policy=", redose: {weight_change: 10%}")
    later = next(a for a in s.administrations if a.cycle == 2)
    assert ("weight 66 kg measured 2027-01-20 (record line 2) is within 10% of 70 kg the dose "
            "was computed from (5.71% change): not recomputed (redose: weight_change)"
            ) in later.record_note
    assert "70kg" not in later.record_note
    assert "66kg" not in later.record_note
