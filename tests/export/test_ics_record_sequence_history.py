"""The SEQUENCE of a participant's calendar counted faster, and exactly as before.

Without ``--previous`` each event's SEQUENCE is the number of times it changed as the
record grew (docs/ics.md). The export counts it over ``record.history(summaries=False)``,
with each dose computed once for all the parts of the record (``Dosing``'s memo) and each
event's text made once (``_TextMemo``); the straightforward count, every part replayed from
nothing and every text made again (tests/support/ics_history.py), is the oracle: the two
must agree on every record, and so must the parts of the history, with and without their
summaries and memo.
"""

from __future__ import annotations

import dataclasses
import warnings
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

import regimens
from regimens import EventKind, InvalidRegimenError, Measurement, Record, RecordRow
from regimens.export._ics import _revisions
from regimens.export._reminders import Reminder
from regimens.quantities import parse_amount
from regimens.record import history, replay
from support import load
from support.ics_history import history_by_replay, revisions_by_replay

GOLDEN = Path(__file__).resolve().parents[1] / "record" / "golden"

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@st.composite
def plans(draw: Any) -> regimens.Schedule:
    """A cycled course (timed or not, shift or keep, missed doses made up or not), a per-m2
    course with declared levels, a daily course, under a re-dosing rule or none."""
    size = draw(st.integers(7, 10))
    cycles = draw(st.integers(2, 3))
    days = sorted(draw(st.sets(st.integers(1, size), min_size=1, max_size=2)))
    policy = draw(st.sampled_from(["shift", "keep"]))
    missed = draw(st.sampled_from(["skip", "make_up"]))
    timed = draw(st.booleans())
    times = ', times: ["08:00", "20:00"]' if timed else ""
    redose = draw(st.sampled_from(["", ", redose: {weight_change: 10%}"]))
    regimen = load(f"""\
        periods:
          - id: p
            length: {size * cycles} days
            courses:
              - {{drug: il2, id: c, dose: 2 MIU, days: {days}, cycle: {size} days,
                  cycles: {cycles}, on_delay: {policy}, missed: {missed}{times}}}
              - {{drug: treg, dose: 100 mg/m2, days: [1], cycle: {size} days,
                  cycles: {cycles}, levels: {{-1: 80 mg/m2, -2: 60%}}{redose}}}
              - {{drug: pred, dose: 10 mg, days: 1-3}}
        visits:
          - {{id: v2, course: c, cycle: 2, day: 1}}
          - {{id: end, after_last: il2, offset: 7 days}}
        """)
    person = regimens.Participant(label="P-1", weight="70 kg", height="170 cm")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return regimen.expand("a", date(2027, 1, 4), person,
                              tz="Europe/Paris" if timed else None)


@st.composite
def row(draw: Any, plan: regimens.Schedule, line: int, earlier: list[RecordRow]) -> RecordRow:
    """A row of any event about an administration of the plan (or a day near one)."""
    kind = draw(st.sampled_from(["given", "given", "missed", "move", "delay", "hold",
                                 "resume", "stop", "reduce", "measure", "void"]))
    a = draw(st.sampled_from(plan.administrations))
    when = a.date + timedelta(days=draw(st.integers(-1, 8)))
    if kind == "void":
        voided = {r.voids for r in earlier}
        open_rows = [r for r in earlier if r.event is not EventKind.VOID
                     and r.line not in voided]
        if not open_rows:
            reject()
        target = draw(st.sampled_from(open_rows))
        return dataclasses.replace(target, line=line, event=EventKind.VOID,
                                   voids=target.line, voided_event=target.event,
                                   reason="entered in error")
    if kind == "reduce":
        if draw(st.booleans()) and a.drug == "treg":
            return RecordRow("P.csv", line, when, EventKind.REDUCE, drug=a.drug,
                             level=draw(st.sampled_from([-1, -2, -3, 0])))
        return RecordRow("P.csv", line, when, EventKind.REDUCE, drug=a.drug,
                         percent=Decimal(draw(st.sampled_from([50, 80, 100]))))
    if kind == "measure":
        which = draw(st.sampled_from([("weight", "62 kg"), ("weight", "68 kg"),
                                      ("height", "160 cm")]))
        return RecordRow("P.csv", line, when, EventKind.MEASURE,
                         measurement=Measurement(*which))
    if kind in ("hold", "resume", "stop"):
        return RecordRow("P.csv", line, when, EventKind(kind), drug=a.drug)
    named: dict[str, Any] = {}
    if kind in ("move", "delay") or (kind in ("given", "missed") and draw(st.booleans())):
        if a.cycle is None:
            reject()
        named = {"cycle": a.cycle, "day": a.cycle_day}
        if kind == "delay" and draw(st.booleans()):
            named = {"cycle": a.cycle}
    if kind == "given":
        if draw(st.booleans()):
            named["amount"] = parse_amount("1 MIU" if a.drug == "il2" else "5 mg"
                                           if a.drug == "pred" else "90 mg")
        if a.time is not None and draw(st.booleans()):
            named["time"] = time(9, 30)
    return RecordRow("P.csv", line, when, EventKind(kind), drug=a.drug, **named)


@st.composite
def replayed(draw: Any) -> regimens.Schedule:
    plan = draw(plans())
    rows: list[RecordRow] = []
    for line in range(2, 2 + draw(st.integers(1, 7))):
        rows.append(draw(row(plan, line, rows)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return replay(plan, Record("P.csv", tuple(rows)))
    except (InvalidRegimenError, ValueError):
        reject()


def _counted(s: regimens.Schedule, blinded: bool | None,
             alarms: list[Reminder]) -> tuple[dict[str, int], dict[str, int]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return (_revisions(s, blinded, "P-1", alarms)[0],
                revisions_by_replay(s, blinded, "P-1", alarms))


@given(replayed(), st.sampled_from([None, True, False]),
       st.sampled_from([[], ["1h"], ["18:00-day-before"]]), st.booleans())
@SETTINGS
def test_the_count_is_the_straightforward_ones(s: regimens.Schedule, blinded: bool | None,
                                               reminders: list[str], one_drug: bool) -> None:
    if one_drug:
        s = s.only(["il2"])  # --drug il2: the other drugs' events are not counted
    fast, oracle = _counted(s, blinded, [Reminder.parse(r) for r in reminders])
    assert fast == oracle


@given(replayed())
@SETTINGS
def test_the_parts_without_summaries_are_the_parts(s: regimens.Schedule) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        light = list(history(s, summaries=False))
        full = list(history(s))
        oracle = list(history_by_replay(s))
    assert len(light) == len(full) == len(oracle)
    for a, b, c in zip(light, full, oracle, strict=True):
        # The memo gives every dose as computed from nothing (warnings compare by their
        # words: two warnings are never equal objects).
        assert _without_warnings(b) == _without_warnings(c)
        assert _words(b) == _words(c)
        assert a.administrations == c.administrations
        assert a.visits == c.visits
        if c.replayed is None or c is s:
            assert a is c  # the plan and the whole record are themselves
        else:
            assert a.replayed is not None
            assert a.replayed.summary is None
            assert (a.replayed.changes, a.replayed.deviations) == (
                c.replayed.changes, c.replayed.deviations)


def _without_warnings(s: regimens.Schedule) -> regimens.Schedule:
    return dataclasses.replace(s, warnings=())


def _words(s: regimens.Schedule) -> list[tuple[str, str]]:
    return [(type(w).__name__, str(w)) for w in s.warnings]


def test_a_whole_treatment_counts_as_the_straightforward_count() -> None:
    # P-101 (tests/record/golden): 100 rows, a missed dose, a cycle delayed twice, a dose
    # reduction, a partial dose, a voided duplicate.
    regimen = regimens.load(GOLDEN / "mirocals-like.yaml")
    record = regimens.read_record((GOLDEN / "P-101.csv").read_text(encoding="utf-8"),
                                  name="P-101.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = regimen.expand("il2", "2027-01-04", regimens.Participant(label="P-101"),
                           record=record)
    fast, oracle = _counted(s, None, [])
    assert fast == oracle
    # By hand: a dose of cycle 1 changed once (given); cycle 3's first dose (Day 57) was
    # moved by each delay of cycle 3 (lines 12-13) and given (line 14): three times; cycle
    # 4's (Day 85) moved with both delays (on_delay: shift), was reduced to level -1 from
    # cycle 4 (line 17) and given: four times.
    uid = "mirocals-like.P-101.il2.day{}@regimens"
    assert [fast[uid.format(day)] for day in (1, 57, 85)] == [1, 3, 4]
