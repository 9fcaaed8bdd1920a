"""iCalendar SEQUENCE of a schedule replayed over a participant's record (issue 13).

Without ``--previous`` an event's SEQUENCE is the number of times it changed as the
record grew, row by row in the order of the lines (void rows included): it never goes down
when a row is appended, and goes up only for the events the new row changes. Every file
is read back with icalendar.
"""

from __future__ import annotations

import dataclasses
import warnings
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from icalendar import Calendar

import regimens
from regimens import EventKind, InvalidRegimenError, Record, RecordRow
from regimens.record import history, read_record, replay
from support import load

STAMP = datetime(2027, 1, 1, tzinfo=UTC)
HEADER = "date,event,drug,cycle,day,amount,level,reason,line\n"

DOX = """\
format: regimens/1
id: doxr
title: dox test
drugs:
  dox: {name: doxorubicin, route: intravenous}
arms:
  a: {label: A}
periods:
  - id: treatment
    length: 9 weeks
    courses:
      - {drug: dox, id: doxc, dose: 60 mg, cycle: 21 days, cycles: 3, days: [1]}
visits:
  - {id: c3, course: doxc, cycle: 3, day: 1}
  - {id: d50, day: 50}
"""


def events(ics: bytes) -> dict[str, Any]:
    """The file's events by UID (each UID once), read back with icalendar."""
    found = list(Calendar.from_ical(ics).walk("VEVENT"))
    by_uid = {str(e["UID"]): e for e in found}
    assert len(by_uid) == len(found)
    return by_uid


def exported(csv: str) -> dict[str, Any]:
    regimen = regimens.loads(DOX, "dox.yaml")
    record = read_record(HEADER + csv, name="P.csv", regimen=regimen)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = regimen.expand("a", "2027-01-04", record=record)
    return events(s.to_ics(stamp=STAMP))


def sequences(found: dict[str, Any]) -> dict[str, tuple[int, date]]:
    return {uid.split(".", 2)[2].removesuffix("@regimens"): (int(e["SEQUENCE"]),
                                                            e.decoded("DTSTART"))
            for uid, e in found.items()}


def test_a_visit_the_record_moves_gets_a_higher_sequence() -> None:
    # Cycle 2 (planned Mon 2027-01-25, Day 22) delayed to Mon 2027-02-01: 7 days; cycle 3
    # (Day 43, Mon 2027-02-15) moves with it to 2027-02-22 (shift), and so does visit c3,
    # anchored to it. Visit d50 (Study Day 50, 2027-02-22) stays.
    found = sequences(exported("2027-02-01,delay,dox,2,,,,neutropenia,\n"))
    assert found == {
        "dox.day1": (0, date(2027, 1, 4)),
        "dox.day22": (1, date(2027, 2, 1)),
        "dox.day43": (1, date(2027, 2, 22)),
        "visit.c3": (1, date(2027, 2, 22)),
        "visit.d50": (0, date(2027, 2, 22)),
    }


def test_voiding_a_delay_moves_events_back_with_a_higher_sequence() -> None:
    delayed = sequences(exported("2027-02-01,delay,dox,2,,,,x,\n"))
    voided = sequences(exported("2027-02-01,delay,dox,2,,,,x,\n"
                                "2027-02-01,void delay,dox,2,,,,entered in error,2\n"))
    assert delayed["dox.day22"] == (1, date(2027, 2, 1))
    # Back on the plan's days, one change later: 2, never 0 (a client that honours
    # SEQUENCE would keep the delayed dates it has at 1).
    assert voided == {
        "dox.day1": (0, date(2027, 1, 4)),
        "dox.day22": (2, date(2027, 1, 25)),
        "dox.day43": (2, date(2027, 2, 15)),
        "visit.c3": (2, date(2027, 2, 15)),
        "visit.d50": (0, date(2027, 2, 22)),
    }


def test_a_row_that_changes_nothing_shown_raises_nothing() -> None:
    # Given on its day, as planned: that event changes (status), no other does.
    before = sequences(exported("2027-01-04,given,dox,,,,,,\n"))
    after = sequences(exported("2027-01-04,given,dox,,,,,,\n"
                               "2027-01-25,given,dox,,,,,,\n"))
    assert before["dox.day1"] == (1, date(2027, 1, 4))
    assert after["dox.day1"] == (1, date(2027, 1, 4))
    assert after["dox.day22"] == (1, date(2027, 1, 25))
    assert {k: v for k, v in after.items() if k not in ("dox.day1", "dox.day22")} == {
        k: v for k, v in before.items() if k not in ("dox.day1", "dox.day22")}
    assert all(seq == 0 for k, (seq, _) in after.items() if k not in ("dox.day1", "dox.day22"))


def test_history_is_the_plan_then_each_longer_record() -> None:
    regimen = regimens.loads(DOX, "dox.yaml")
    record = read_record(HEADER + "2027-01-04,given,dox,,,,,,\n"
                         "2027-01-04,given,dox,,,,,,\n"
                         "2027-01-04,void given,dox,,,,,twice,3\n", name="P.csv", regimen=regimen)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = regimen.expand("a", "2027-01-04", record=record)
    steps = list(history(s))
    # The plan, line 2 alone, (lines 2-3: the same dose given twice, not a record on its
    # own: left out), the whole record.
    assert len(steps) == 3
    assert steps[0].replayed is None
    assert steps[-1] is s
    assert [a.status.value for a in steps[1].administrations] == ["given", "planned",
                                                                   "planned"]


# -- Property: appending a row never lowers a SEQUENCE -----------------------------------

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@st.composite
def plans(draw: Any) -> regimens.Schedule:
    size = draw(st.integers(7, 14))
    cycles = draw(st.integers(2, 4))
    days = sorted(draw(st.sets(st.integers(1, size), min_size=1, max_size=3)))
    policy = draw(st.sampled_from(["shift", "keep"]))
    regimen = load(f"""\
        periods:
          - id: p
            length: {size * cycles} days
            courses:
              - {{drug: il2, id: c, dose: 2 MIU, days: {days}, cycle: {size} days,
                  cycles: {cycles}, on_delay: {policy}}}
              - {{drug: pred, dose: 10 mg, days: [1], cycle: {size} days, cycles: {cycles}}}
        visits:
          - {{id: v2, course: c, cycle: 2, day: 1}}
        """)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return regimen.expand("a", date(2027, 1, 4))


@st.composite
def row(draw: Any, plan: regimens.Schedule, line: int, earlier: list[RecordRow]) -> RecordRow:
    kind = draw(st.sampled_from(["given", "missed", "move", "delay", "hold", "stop",
                                 "reduce", "void"]))
    a = draw(st.sampled_from(plan.administrations))
    when = a.date + timedelta(days=draw(st.integers(-1, 8)))
    if kind == "void":
        voided = {r.voids for r in earlier}
        open_rows = [r.line for r in earlier if r.event is not EventKind.VOID
                     and r.line not in voided]
        if not open_rows:
            reject()
        target = draw(st.sampled_from([r for r in earlier if r.line in open_rows]))
        # A void restates the row it withdraws (its event and cells), naming its line.
        return dataclasses.replace(target, line=line, event=EventKind.VOID,
                                   voids=target.line, voided_event=target.event,
                                   reason="entered in error")
    if kind == "reduce":
        return RecordRow("P.csv", line, when, EventKind.REDUCE, drug=a.drug,
                         percent=Decimal(draw(st.sampled_from([50, 80]))))
    named: dict[str, Any] = {}
    if kind in ("move", "delay") or (kind in ("given", "missed") and draw(st.booleans())):
        named = {"cycle": a.cycle, "day": a.cycle_day}
        if kind == "delay" and draw(st.booleans()):
            named = {"cycle": a.cycle}
    return RecordRow("P.csv", line, when, EventKind(kind), drug=a.drug, **named)


def _sequences(s: regimens.Schedule) -> dict[str, tuple[int, str, str]]:
    return {uid: (int(e["SEQUENCE"]), str(e["X-REGIMENS-DIGEST"]), str(e.get("STATUS", "")))
            for uid, e in events(s.to_ics(stamp=STAMP)).items()}


@given(st.data())
@SETTINGS
def test_appending_a_row_never_lowers_a_sequence(data: st.DataObject) -> None:
    plan = data.draw(plans())
    rows: list[RecordRow] = []
    for line in range(2, 2 + data.draw(st.integers(0, 4))):
        rows.append(data.draw(row(plan, line, rows)))
    new = data.draw(row(plan, 2 + len(rows), rows))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            before = replay(plan, Record("P.csv", tuple(rows)))
            after = replay(plan, Record("P.csv", (*rows, new)))
    except (InvalidRegimenError, ValueError):
        reject()
    old, now = _sequences(before), _sequences(after)
    for uid in old.keys() & now.keys():
        seq, digest, _ = old[uid]
        seq2, digest2, _ = now[uid]
        # One more exactly when the event's content (digest: text, times, status) changed.
        assert seq2 == seq + (digest2 != digest), uid
