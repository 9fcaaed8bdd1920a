"""A ``given`` row that fulfils no planned administration (issue 13: "the record is never
silently ignored (a row that matches nothing is ... a named deviation)"): its own row with
its own date, drug and amount, status given, no invented cycle, day, planned date or
planned amount, a note that it matched nothing; in every output, and counted in totals.

Hand-computed: doxorubicin 60 mg/m2 x 1.82 m2 = 109.2 mg on day 1 of six 21-day cycles
from Monday 2027-01-04; 20 mg given on Sunday 2027-01-10 (Study Day 7), no dose planned.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from datetime import UTC, datetime
from decimal import Decimal

import regimens
from regimens import AdministrationStatus, Participant, read_record

REGIMEN = regimens.loads("""\
format: regimens/1
id: dox6
title: Doxorubicin
drugs:
  dox: {name: doxorubicin, route: intravenous, max_cumulative: 450 mg/m2}
arms:
  x: {label: X}
periods:
  - id: t
    length: 18 weeks
    courses:
      - {drug: dox, dose: 60 mg/m2, cycle: 21 days, cycles: 6, days: [1]}
""", "dox.yaml")
RECORD = ("date,event,drug,cycle,day,amount,level,reason\n"
          "2027-01-04,given,dox,,,,,\n"
          "2027-01-10,given,dox,,,20 mg,,extra dose\n")
# The body size in effect that day, as for every administration of a drug dosed per m2
# (docs/record.md, "What each dose was computed from"): sqrt(170 x 70 / 3600) = 1.8181.
NOTE = ("given, matching no planned administration (none is planned on Sun 2027-01-10; "
        "line 3: extra dose); computed from weight 70 kg (at enrolment); height 170 cm (at "
        "enrolment); BSA 1.82 m² (computed)")


def schedule(record: str = RECORD) -> regimens.Schedule:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return REGIMEN.expand("x", "2027-01-04", Participant(weight="70 kg", height="170 cm"),
                              record=read_record(record, name="P.csv"))


def extra(s: regimens.Schedule) -> regimens.Administration:
    (found,) = [a for a in s.administrations if a.unplanned]
    return found


def test_its_own_row() -> None:
    a = extra(schedule())
    assert (a.date.isoformat(), a.study_day.value, a.drug) == ("2027-01-10", 7, "dox")
    assert a.dose.amount is not None
    assert a.dose.amount.magnitude == Decimal(20)
    assert a.status is AdministrationStatus.GIVEN
    assert (a.cycle, a.cycle_day, a.planned_date, a.planned_amount) == (None, None, None, None)
    assert a.planned_dose is not None
    assert (a.planned_dose.amount, a.planned_dose.text) == (None, "not planned")
    assert a.record_note == NOTE
    assert a.dose.derivation == ("given: 20 mg (record line 3: extra dose); fulfils no "
                                 "planned administration")
    assert a.revision == 0  # a new event, not a change of one


def test_a_named_deviation() -> None:
    s = schedule()
    assert s.replayed is not None
    assert s.replayed.deviations == (
        "line 3: doxorubicin 20 mg given on Sun 2027-01-10 fulfils no planned administration "
        "(none is planned on Sun 2027-01-10)",)


def test_every_output() -> None:
    s = schedule()
    table = s.to_table()
    line = next(x for x in table.splitlines() if "2027-01-10" in x)
    assert line.split() == ["7", "Sun", "2027-01-10", "t", "doxorubicin", "20", "mg",
                            "intravenous", "given", "not", "planned"]
    data = json.loads(s.to_json())
    row = next(r for r in data["administrations"] if r["date"] == "2027-01-10")
    assert {k: row[k] for k in ("cycle", "cycle_day", "amount", "status", "planned_date",
                                "planned_amount", "record_note")} == {
        "cycle": None, "cycle_day": None, "amount": "20", "status": "given",
        "planned_date": None, "planned_amount": None, "record_note": NOTE}
    rows = list(csv.DictReader(io.StringIO(s.to_csv())))
    row = next(r for r in rows if r["date"] == "2027-01-10")
    assert {k: row[k] for k in ("cycle", "cycle_day", "amount", "status", "planned_date",
                                "planned_amount", "record_note")} == {
        "cycle": "", "cycle_day": "", "amount": "20", "status": "given",
        "planned_date": "", "planned_amount": "", "record_note": NOTE}
    ics = s.to_ics(stamp=datetime(2027, 1, 1, tzinfo=UTC)).decode().replace("\r\n ", "")
    event = next(e for e in ics.split("BEGIN:VEVENT")[1:] if "DTSTART;VALUE=DATE:20270110" in e)
    assert "SUMMARY:doxorubicin 20 mg\\, intravenous" in event
    assert "SEQUENCE:0" in event
    assert "Status: given" in event
    assert "cycle" not in event.split("DESCRIPTION:")[1].split("\\n")[1]  # "Study Day 7, t..."
    # Its UID is its own: no other event shares it.
    uids = [x for x in ics.split("\r\n") if x.startswith("UID:")]
    assert len(uids) == len(set(uids))


def test_totals_summary_and_cumulative_include_it() -> None:
    s = schedule()
    (total,) = [t for t in s.totals if t.drug == "dox"]
    # 109.2 given + 20 given + 5 x 109.2 planned = 675.2 mg.
    assert [str(a) for a in total.amounts] == ["675.2 mg"]
    assert s.replayed is not None
    (d,) = s.replayed.summary.drugs
    assert (d.count("given"), d.count("planned")) == (2, 5)
    assert [str(a) for a in d.given_total] == ["129.2 mg"]
    assert [str(a) for a in d.planned_total] == ["655.2 mg"]  # 6 x 109.2: the plan's only


def test_it_counts_towards_the_cumulative_limit() -> None:
    # 6 x 60 = 360 mg/m2 planned; given twice 200 mg extra (2 x 200 / 1.82 = 219.78 mg/m2):
    # 60 + 219.78 = 279.78 after 2027-01-11, then cycle 2 (2027-01-25) 339.78, cycle 3
    # (2027-02-15) 399.78, cycle 4 (2027-03-08) 459.78 > 450.
    record = RECORD.replace("20 mg,,extra dose", "200 mg,,extra dose") + (
        "2027-01-11,given,dox,,,200 mg,,extra dose\n")
    s = schedule(record)
    warned = [str(w) for w in s.warnings if isinstance(w, regimens.CumulativeDoseWarning)]
    assert warned == [
        "dox (doxorubicin): the administration planned on 2027-03-08 (cycle 4, day 1) would "
        "bring the cumulative dose to 459.78 mg per m², above max_cumulative 450 mg per m² "
        "(399.78 mg per m² before it); review before giving it"]
