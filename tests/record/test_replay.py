"""Replaying a record over the plan: dates, statuses and doses computed by hand.

Every expected date below is counted on a calendar from the regimen's text (Study Day 1 =
Monday 2027-01-04; a 28-day cycle starts on Days 1, 29, 57), never copied from output.
"""

from __future__ import annotations

import json
import warnings
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest

import regimens
from regimens import AdministrationStatus as S
from regimens import EventKind, InvalidRegimenError, Record, RecordRow
from regimens.quantities import parse_amount
from regimens.record import load_record, replay
from support import load

CYCLED = """\
    periods:
      - id: p
        length: 12 weeks
        courses:
          - {id: il2c, drug: il2, dose: 2 MIU, days: 1-5, cycle: 28 days, cycles: 3}
          - {drug: pred, dose: 10 mg, days: [1], cycle: 28 days, cycles: 3}
    visits:
      - {id: c3, course: il2c, cycle: 3, day: 1}
      - {id: d30, day: 30}
    """


def rec(*rows: tuple[Any, ...]) -> Record:
    """A record from (event, date, fields) triples, on lines 2, 3, ... (line 1: header)."""
    made = []
    for line, (event, when, fields) in enumerate(rows, start=2):
        made.append(RecordRow("P-017.csv", line, when, EventKind(event), **fields))
    return Record("P-017.csv", tuple(made))


def run(body: str, record: Record, **options: Any) -> regimens.Schedule:
    regimen = load(body)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return regimen.expand("a", "2027-01-04", record=record, **options)


def il2(s: regimens.Schedule) -> list[regimens.Administration]:
    return [a for a in s.administrations if a.drug == "il2"]


def dates(rows: list[regimens.Administration]) -> list[str]:
    return [a.date.isoformat()[5:] for a in rows]


CYCLE_1 = ["01-04", "01-05", "01-06", "01-07", "01-08"]
CYCLE_2 = ["02-01", "02-02", "02-03", "02-04", "02-05"]
CYCLE_3 = ["03-01", "03-02", "03-03", "03-04", "03-05"]


def test_an_empty_record_gives_the_plan_itself() -> None:
    regimen = load(CYCLED)
    plan = regimen.expand("a", "2027-01-04")
    same = regimen.expand("a", "2027-01-04", record=Record("P-017.csv", ()))
    assert same == plan
    assert same.to_json() == plan.to_json()
    assert same.to_csv() == plan.to_csv()
    assert same.to_table() == plan.to_table()


def test_the_plan_is_as_counted() -> None:
    s = run(CYCLED, rec(("given", date(2027, 1, 4), {"drug": "il2"})))
    assert dates(il2(s)) == CYCLE_1 + CYCLE_2 + CYCLE_3


def test_a_delay_under_shift_moves_the_cycle_and_every_later_one() -> None:
    s = run(CYCLED, rec(("delay", date(2027, 2, 8), {"drug": "il2", "cycle": 2,
                                                       "reason": "neutropenia"})))
    assert dates(il2(s)) == [*CYCLE_1, "02-08", "02-09", "02-10", "02-11", "02-12",
                             "03-08", "03-09", "03-10", "03-11", "03-12"]
    moved = il2(s)[5]
    assert moved.planned_date == date(2027, 2, 1)
    assert moved.study_day.value == 36  # 2027-02-08 is Day 36
    assert moved.record_note == "delayed 7 days (line 2: neutropenia)"
    assert moved.revision == 1
    assert il2(s)[0].planned_date is None  # cycle 1 does not move
    # The other drug of the period does not move (the row names il2).
    assert [a.date for a in s.administrations if a.drug == "pred"] == [
        date(2027, 1, 4), date(2027, 2, 1), date(2027, 3, 1)]
    assert s.replayed is not None
    assert s.replayed.changes == (
        "2027-02-08 delay (line 2): cycle 2 of aldesleukin starts on Mon 2027-02-08, 7 days "
        "later; later cycles move with it (on_delay: shift)",)


def test_a_cycle_delayed_twice_starts_on_the_last_date() -> None:
    s = run(CYCLED, rec(("delay", date(2027, 2, 8), {"drug": "il2", "cycle": 2}),
                        ("delay", date(2027, 2, 15), {"drug": "il2", "cycle": 2})))
    assert dates(il2(s))[5] == "02-15"
    assert dates(il2(s))[10] == "03-15"  # 14 days in all
    assert il2(s)[5].revision == 2


def test_a_delay_from_a_cycle_day_moves_the_rest_of_the_cycle() -> None:
    s = run(CYCLED, rec(("delay", date(2027, 2, 10), {"drug": "il2", "cycle": 2, "day": 2})))
    # Day 2 (Feb 2) goes to Feb 10: 8 days; days 3-5 follow. Cycle 3 keeps its own day 1
    # (Day 57, Mar 1): a delay from a cycle day moves only the rest of its cycle, even under
    # on_delay: shift (docs/record.md, "Replay").
    assert dates(il2(s)) == [*CYCLE_1, "02-01", "02-10", "02-11", "02-12", "02-13",
                             "03-01", "03-02", "03-03", "03-04", "03-05"]


def test_a_delay_without_a_drug_moves_every_cycled_course_of_the_period() -> None:
    s = run(CYCLED, rec(("delay", date(2027, 2, 8), {"cycle": 2})))
    assert [a.date for a in s.administrations if a.drug == "pred"] == [
        date(2027, 1, 4), date(2027, 2, 8), date(2027, 3, 8)]
    assert dates(il2(s))[5] == "02-08"


KEEP = """\
    periods:
      - id: p
        length: 6 weeks
        courses:
          - {drug: il2, dose: 2 MIU, days: 1-10, cycle: 14 days, cycles: 3}
    """


def _keep(body: str) -> str:
    return body.replace("cycles: 3}", "cycles: 3, on_delay: keep}")


def test_a_delay_under_keep_cancels_what_runs_into_the_next_cycle() -> None:
    # Cycle 2 (Days 15-24, Jan 18-27) delayed 7 days to Jan 25: days 1-10 on Jan 25 to
    # Feb 3; cycle 3 starts on Feb 1 (Day 29), so cycle 2's days 8-10 are cancelled.
    s = run(_keep(KEEP), rec(("delay", date(2027, 1, 25), {"drug": "il2", "cycle": 2})))
    cycle2 = [a for a in s.administrations if a.cycle == 2]
    assert [a.date.isoformat()[5:] for a in cycle2] == [
        "01-25", "01-26", "01-27", "01-28", "01-29", "01-30", "01-31", "02-01", "02-02",
        "02-03"]
    assert [a.status for a in cycle2] == [S.PLANNED] * 7 + [S.CANCELLED] * 3
    cycle3 = [a for a in s.administrations if a.cycle == 3]
    assert cycle3[0].date == date(2027, 2, 1)
    assert cycle3[0].planned_date is None


def test_keep_at_the_top_level_applies_to_every_course() -> None:
    body = "    on_delay: keep\n" + KEEP
    s = run(body, rec(("delay", date(2027, 1, 25), {"drug": "il2", "cycle": 2})))
    assert sum(a.status is S.CANCELLED for a in s.administrations) == 3


def test_a_delay_over_max_delay_is_a_deviation() -> None:
    body = CYCLED.replace("cycles: 3}", "cycles: 3, max_delay: 10 days}", 1)
    s = run(body, rec(("delay", date(2027, 2, 8), {"drug": "il2", "cycle": 2}),
                      ("delay", date(2027, 2, 12), {"drug": "il2", "cycle": 2})))
    assert s.replayed is not None
    # 7 days, then 4 more: 11 days in all, over 10; the first row alone was within.
    assert s.replayed.deviations == (
        "line 3: cycle 2 of aldesleukin is delayed 11 days in all, more than max_delay "
        "(10 days)",)


def test_a_delay_of_exactly_max_delay_is_no_deviation() -> None:
    body = CYCLED.replace("cycles: 3}", "cycles: 3, max_delay: 7 days}", 1)
    s = run(body, rec(("delay", date(2027, 2, 8), {"drug": "il2", "cycle": 2})))
    assert s.replayed is not None
    assert s.replayed.deviations == ()


def test_make_up_plans_a_missed_dose_after_the_course() -> None:
    body = CYCLED.replace("cycles: 3}", "cycles: 3, missed: make_up}", 1)
    s = run(body, rec(("missed", date(2027, 1, 6), {"drug": "il2"})))
    # The course's last dose is Fri 2027-03-05; the make-up is the day after.
    again = il2(s)[-1]
    assert (again.date, again.status, again.cycle, again.cycle_day) == (
        date(2027, 3, 6), S.PLANNED, 1, 3)
    assert "make-up of the dose missed on Wed 2027-01-06 (line 2)" in again.record_note


def test_make_up_by_a_given_row_naming_the_missed_dose() -> None:
    body = CYCLED.replace("cycles: 3}", "cycles: 3, missed: make_up}", 1)
    s = run(body, rec(("missed", date(2027, 1, 6), {"drug": "il2"}),
                      ("given", date(2027, 1, 9), {"drug": "il2", "cycle": 1, "day": 3})))
    # The given row gives the MAKE-UP: the dose of Wed 01-06 stays missed (counted missed),
    # the make-up is given on Sat 01-09, and nothing else is planned for it.
    day3 = [(a.status, a.date) for a in il2(s) if (a.cycle, a.cycle_day) == (1, 3)]
    assert day3 == [(S.MISSED, date(2027, 1, 6)), (S.GIVEN, date(2027, 1, 9))]
    assert len(il2(s)) == 16  # the 15 planned and the make-up given


def test_a_move_moves_one_administration_only() -> None:
    s = run(CYCLED, rec(("move", date(2027, 2, 3), {"drug": "il2", "cycle": 2, "day": 1})))
    assert dates(il2(s)) == [*CYCLE_1, "02-02", "02-03", "02-03", "02-04", "02-05", *CYCLE_3]
    moved = next(a for a in il2(s) if a.cycle == 2 and a.cycle_day == 1)
    assert moved.planned_date == date(2027, 2, 1)


def test_given_rows_fulfil_the_administration_of_their_day() -> None:
    s = run(CYCLED, rec(
        ("given", date(2027, 1, 4), {"drug": "il2"}),
        ("given", date(2027, 1, 5), {"drug": "il2", "amount": parse_amount("1 MIU"),
                                     "reason": "vomited"}),
        ("given", date(2027, 1, 9), {"drug": "il2", "cycle": 1, "day": 3}),
    ))
    first, second, third = (next(a for a in il2(s) if (a.cycle, a.cycle_day) == (1, d))
                            for d in (1, 2, 3))
    assert (first.status, first.amount, first.planned_amount) == (S.GIVEN, "2", "2")
    assert first.planned_dose is None
    assert (second.amount, second.planned_amount, second.dose.text) == (
        "1", "2", "1 million units")
    assert second.dose.derivation == ("given: 1 million units (record line 3: vomited); "
                                      "planned: 2 million units")
    # Day 3, planned for Wed Jan 6, given on Sat Jan 9: dated the day given.
    assert (third.date, third.planned_date, third.status) == (
        date(2027, 1, 9), date(2027, 1, 6), S.GIVEN)
    assert dates(il2(s))[:5] == ["01-04", "01-05", "01-07", "01-08", "01-09"]
    assert [a.status for a in il2(s)] == [S.GIVEN] * 2 + [S.PLANNED] * 2 + [S.GIVEN] + [
        S.PLANNED] * 10


def test_a_given_amount_is_written_in_the_planned_unit() -> None:
    s = run(CYCLED, rec(("given", date(2027, 1, 4), {"drug": "il2",
                                                       "amount": parse_amount("1500 kIU")})))
    assert (il2(s)[0].amount, il2(s)[0].unit) == ("1.5", "MIU")


def test_a_given_amount_in_another_dimension_is_refused() -> None:
    with pytest.raises(InvalidRegimenError) as exc:
        run(CYCLED, rec(("given", date(2027, 1, 4), {"drug": "il2",
                                                       "amount": parse_amount("2 mg")})))
    (problem,) = exc.value.problems
    assert (problem.file, problem.line, problem.path, problem.code) == (
        "P-017.csv", 2, "amount", "record-wrong-dimension")


def test_a_given_row_that_fulfils_nothing_is_kept_as_a_deviation() -> None:
    s = run(CYCLED, rec(("given", date(2027, 1, 12), {"drug": "il2",
                                                        "amount": parse_amount("2 MIU")})))
    extra = [a for a in il2(s) if a.date == date(2027, 1, 12)]
    assert len(extra) == 1
    assert extra[0].status is S.GIVEN
    assert extra[0].cycle is None
    assert len(il2(s)) == 16
    assert s.replayed is not None
    assert s.replayed.deviations == (
        "line 2: aldesleukin 2 million units given on Tue 2027-01-12 fulfils no planned "
        "administration (none is planned on Tue 2027-01-12); the dose planned on Fri "
        "2027-01-08, cycle 1 day 5, before it, is still counted as planned beside it: if this "
        "row gave that dose, name it by its cycle and day (or record the planned one "
        "missed)",)


def test_a_given_row_that_fulfils_nothing_needs_its_amount() -> None:
    with pytest.raises(InvalidRegimenError) as exc:
        run(CYCLED, rec(("given", date(2027, 1, 12), {"drug": "il2"})))
    assert exc.value.problems[0].code == "record-given-without-amount"


def test_a_missed_dose_counts_as_zero() -> None:
    s = run(CYCLED, rec(("missed", date(2027, 1, 6), {"drug": "il2", "reason": "unwell"})))
    missed = il2(s)[2]
    assert (missed.status, missed.date) == (S.MISSED, date(2027, 1, 6))
    total = next(t for t in s.totals if t.drug == "il2")
    assert total.administrations == 14
    assert [str(a) for a in total.amounts] == ["28 MIU"]


def test_given_and_missed_on_one_dose_is_refused() -> None:
    with pytest.raises(InvalidRegimenError) as exc:
        run(CYCLED, rec(("given", date(2027, 1, 6), {"drug": "il2"}),
                        ("missed", date(2027, 1, 6), {"drug": "il2"})))
    assert exc.value.problems[0].code == "record-given-and-missed"


def test_a_dose_given_twice_names_the_row_that_fulfilled_it() -> None:
    # One il2 dose planned on Wed 2027-01-06 (cycle 1 day 3); line 2 fulfils it, line 3
    # (the same row entered again) has nothing left to fulfil and no amount of its own.
    with pytest.raises(InvalidRegimenError) as exc:
        run(CYCLED, rec(("given", date(2027, 1, 6), {"drug": "il2"}),
                        ("given", date(2027, 1, 6), {"drug": "il2"})))
    (problem,) = exc.value.problems
    assert (problem.line, problem.code, problem.loc) == (3, "record-given-twice", ("event",))
    assert str(exc.value) == (
        "P-017.csv:3: event: the planned administration of aldesleukin on Wed 2027-01-06 was "
        "already fulfilled by line 2; void one of the two rows, or name the administration "
        "this dose fulfils by its cycle and day (got 'given')")


def test_hold_and_resume_mark_the_doses_between() -> None:
    s = run(CYCLED, rec(("hold", date(2027, 2, 2), {"drug": "il2"}),
                        ("resume", date(2027, 2, 4), {"drug": "il2"})))
    assert [a.status for a in il2(s)[5:10]] == [S.PLANNED, S.HELD, S.HELD, S.PLANNED,
                                                S.PLANNED]


def test_a_hold_without_resume_lasts_to_the_end() -> None:
    s = run(CYCLED, rec(("hold", date(2027, 2, 2), {})))
    assert all(a.status is S.HELD for a in s.administrations if a.date >= date(2027, 2, 2))
    assert all(a.status is S.PLANNED for a in s.administrations if a.date < date(2027, 2, 2))


def test_a_resume_without_a_hold_is_refused() -> None:
    with pytest.raises(InvalidRegimenError) as exc:
        run(CYCLED, rec(("resume", date(2027, 2, 2), {"drug": "il2"})))
    assert exc.value.problems[0].code == "record-resume-without-hold"


def test_a_stop_stops_the_drug_or_the_treatment() -> None:
    s = run(CYCLED, rec(("stop", date(2027, 2, 1), {"drug": "il2", "reason": "progression"})))
    assert [a.status for a in il2(s)] == [S.PLANNED] * 5 + [S.STOPPED] * 10
    assert all(a.status is S.PLANNED for a in s.administrations if a.drug == "pred")
    s = run(CYCLED, rec(("stop", date(2027, 2, 1), {})))
    assert all(a.status is S.STOPPED for a in s.administrations if a.date >= date(2027, 2, 1))


def test_visits_on_a_delayed_cycle_move_and_study_day_visits_do_not() -> None:
    s = run(CYCLED, rec(("delay", date(2027, 2, 8), {"drug": "il2", "cycle": 2})))
    visits = {v.id: v for v in s.visits}
    assert visits["c3"].date == date(2027, 3, 8)  # cycle 3 day 1, planned Mar 1
    assert visits["c3"].planned_date == date(2027, 3, 1)
    assert visits["d30"].date == date(2027, 2, 2)  # Day 30 stays


# (event, fields, field, the replay's own code, the field and code through expand). Through
# Regimen.expand the rows are checked against the regimen first (Record.check_against: every
# row's problems at once); the replay itself, called on a plan, still refuses them.
NAMES_NOTHING = [
    ("delay", {"drug": "il2", "cycle": 7}, "cycle", "record-unknown-cycle",
     ("cycle", "unknown-cycle")),
    ("delay", {"drug": "il2", "cycle": 2, "day": 9}, "day", "record-unknown-day",
     ("day", "unknown-cycle-day")),
    ("move", {"drug": "il2", "cycle": 2, "day": 9}, "day", "record-unknown-day",
     ("day", "unknown-cycle-day")),
    # il2 has 3 cycles: the check names the cycle, the replay the day it does not find.
    ("given", {"drug": "il2", "cycle": 4, "day": 1}, "day", "record-unknown-day",
     ("cycle", "unknown-cycle")),
    ("missed", {"drug": "il2"}, "date", "record-missed-nothing",
     ("date", "record-missed-nothing")),
    ("given", {"drug": "treg", "amount": parse_amount("1 cells")}, "drug",
     "record-drug-not-on-arm", ("drug", "drug-not-in-arm")),
]


@pytest.mark.parametrize(("event", "fields", "field", "code", "checked"), NAMES_NOTHING)
def test_a_row_that_names_nothing_is_an_error_at_its_line(
        event: str, fields: dict[str, Any], field: str, code: str,
        checked: tuple[str, str]) -> None:
    record = rec(("given", date(2027, 1, 4), {"drug": "il2"}),
                 (event, date(2027, 1, 10), fields))
    with pytest.raises(InvalidRegimenError) as exc:
        run(CYCLED, record)
    (problem,) = exc.value.problems
    assert (problem.file, problem.line, problem.path, problem.code) == (
        "P-017.csv", 3, *checked)
    plan = load(CYCLED).expand("a", "2027-01-04")
    with pytest.raises(InvalidRegimenError) as exc:
        replay(plan, record)
    (problem,) = exc.value.problems
    assert (problem.file, problem.line, problem.path, problem.code) == (
        "P-017.csv", 3, field, code)


def test_a_delay_must_move_its_cycle_later() -> None:
    with pytest.raises(InvalidRegimenError) as exc:
        run(CYCLED, rec(("delay", date(2027, 1, 30), {"drug": "il2", "cycle": 2})))
    (problem,) = exc.value.problems
    assert problem.code == "record-delay-not-later"
    assert "it starts on Mon 2027-02-01" in problem.message


def test_outputs_carry_the_status_and_the_plan() -> None:
    s = run(CYCLED, rec(("given", date(2027, 1, 5), {"drug": "il2",
                                                       "amount": parse_amount("1 MIU")}),
                        ("delay", date(2027, 2, 8), {"drug": "il2", "cycle": 2})))
    data = s.to_dict()
    assert s.to_json() == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    second = data["administrations"][2]  # Jan 4: il2 then pred; Jan 5: il2
    assert {k: second[k] for k in ("date", "amount", "status", "planned_date",
                                   "planned_amount")} == {
        "date": "2027-01-05", "amount": "1", "status": "given", "planned_date": "2027-01-05",
        "planned_amount": "2"}
    delayed = next(a for a in data["administrations"] if a["drug"] == "il2"
                   and a["cycle"] == 2 and a["cycle_day"] == 1)
    assert (delayed["date"], delayed["planned_date"], delayed["status"]) == (
        "2027-02-08", "2027-02-01", "planned")
    assert data["record"]["source"] == "P-017.csv"
    header = s.to_csv().splitlines()[0].split(",")
    assert header[-4:] == ["status", "planned_date", "planned_amount", "record_note"]
    table = s.to_table()
    assert "Status" in table
    assert "Mon 2027-02-01" in table
    assert "Record (P-017.csv):" in table


def test_ics_keeps_uids_and_raises_the_sequence_of_what_the_record_changes() -> None:
    stamp = datetime(2027, 1, 1, tzinfo=UTC)
    regimen = load(CYCLED)
    plan = regimen.expand("a", "2027-01-04").to_ics(stamp=stamp).decode()
    s = run(CYCLED, rec(("missed", date(2027, 1, 6), {"drug": "il2"}),
                        ("delay", date(2027, 2, 8), {"drug": "il2", "cycle": 2})))
    ics = s.to_ics(stamp=stamp, previous=plan).decode()
    events = {e.split("UID:")[1].split("\r\n")[0]: e for e in ics.split("BEGIN:VEVENT")[1:]}
    planned_uids = {e.split("UID:")[1].split("\r\n")[0] for e in plan.split("BEGIN:VEVENT")[1:]}
    assert set(events) == planned_uids  # nothing new, nothing dropped
    moved = events["demo.no_label.il2.day29@regimens"]  # planned Day 29, now Feb 8
    assert "DTSTART;VALUE=DATE:20270208" in moved
    assert "SEQUENCE:1" in moved
    missed = events["demo.no_label.il2.day3@regimens"]
    assert "STATUS:CANCELLED" in missed
    assert "SEQUENCE:1" in missed
    untouched = events["demo.no_label.il2.day1@regimens"]
    assert "SEQUENCE:0" in untouched
    assert "STATUS:" not in untouched


def test_anchor_places_the_participant_by_another_period() -> None:
    regimen = regimens.load("mirocals")
    by_start = regimen.expand("il2", "2027-04-12", lengths={"run-in": "14 weeks"})
    by_anchor = regimen.expand("il2", anchor={"run-in": date(2027, 1, 4)},
                               lengths={"run-in": "14 weeks"})
    # 14 weeks = 98 days after Monday 2027-01-04 is Monday 2027-04-12.
    assert by_anchor.start == date(2027, 4, 12)
    assert by_anchor == by_start
    assert regimen.expand("il2", anchor="run-in=2027-01-04",
                          lengths={"run-in": "14 weeks"}) == by_start


@pytest.mark.parametrize(("options", "message"), [
    ({}, "give the start"),
    ({"start": "2027-01-04", "anchor": {"run-in": "2027-01-04"}}, "not both"),
    ({"anchor": {"run": "2027-01-04"}}, "not a period of arm 'il2'"),
    ({"anchor": {"run-in": "2027-01-04", "treatment": "2027-04-12"}}, "one period"),
])
def test_anchor_errors(options: dict[str, Any], message: str) -> None:
    with pytest.raises(regimens.ExpandOptionError, match=message):
        regimens.load("mirocals").expand("il2", **options)


def test_an_anchor_without_a_date_shows_the_text_given_once_quoted() -> None:
    with pytest.raises(regimens.ExpandOptionError) as exc:
        regimens.load("mirocals").expand("il2", anchor="run-in")
    assert str(exc.value).endswith("(got 'run-in')")


def test_replay_is_pure() -> None:
    regimen = load(CYCLED)
    plan = regimen.expand("a", "2027-01-04")
    record = rec(("given", date(2027, 1, 4), {"drug": "il2", "time": time(9, 0)}),
                 ("delay", date(2027, 2, 8), {"cycle": 2}))
    assert replay(plan, record).to_json() == replay(plan, record).to_json()
    assert plan == regimen.expand("a", "2027-01-04")  # the plan is not changed


# A dose given on its planned day and a delay or move that moves it: a contradiction ------

_GIVEN_0201 = ("given", date(2027, 2, 1), {"drug": "il2"})
_DELAY_C2 = ("delay", date(2027, 2, 8), {"drug": "il2", "cycle": 2})


@pytest.mark.parametrize(("rows", "line", "message"), [
    # Cycle 2 day 1 is planned on Day 29 = Mon 2027-02-01; the delay moves it 7 days.
    ((_GIVEN_0201, _DELAY_C2), 3,
     "this delay row moves aldesleukin, cycle 2 day 1 from its planned day Mon 2027-02-01 "
     "to Mon 2027-02-08, but line 2 records it given on Mon 2027-02-01"),
    # The same rows the other way round in the file: the delay (line 2) is still the one named.
    ((_DELAY_C2, _GIVEN_0201), 2,
     "this delay row moves aldesleukin, cycle 2 day 1 from its planned day Mon 2027-02-01 "
     "to Mon 2027-02-08, but line 3 records it given on Mon 2027-02-01"),
    # With an amount, too (it would have been taken for an unplanned dose).
    ((("given", date(2027, 2, 1), {"drug": "il2", "amount": parse_amount("2 MIU")}),
      _DELAY_C2), 3,
     "this delay row moves aldesleukin, cycle 2 day 1 from its planned day Mon 2027-02-01 "
     "to Mon 2027-02-08, but line 2 records it given on Mon 2027-02-01"),
    # A delay of cycle 1 (Day 1 -> Mon 2027-01-11, 7 days) shifts cycle 2 by 7 days as well.
    ((_GIVEN_0201, ("delay", date(2027, 1, 11), {"drug": "il2", "cycle": 1})), 3,
     "this delay row moves aldesleukin, cycle 2 day 1 from its planned day Mon 2027-02-01 "
     "to Mon 2027-02-08, but line 2 records it given on Mon 2027-02-01"),
    # A move of cycle 1 day 3 (Wed 2027-01-06) to Sat 2027-01-09, given on Wed 2027-01-06.
    ((("given", date(2027, 1, 6), {"drug": "il2"}),
      ("move", date(2027, 1, 9), {"drug": "il2", "cycle": 1, "day": 3})), 3,
     "this move row moves aldesleukin, cycle 1 day 3 from its planned day Wed 2027-01-06 "
     "to Sat 2027-01-09, but line 2 records it given on Wed 2027-01-06"),
])
def test_a_dose_given_on_its_planned_day_and_moved_names_both_rows(
        rows: tuple[tuple[Any, ...], ...], line: int, message: str) -> None:
    with pytest.raises(InvalidRegimenError) as exc:
        run(CYCLED, rec(*rows))
    (problem,) = exc.value.problems
    assert (problem.line, problem.code, problem.loc) == (line, "record-moved-after-given",
                                                         ("date",))
    assert problem.message == message + (
        ": the two rows contradict each other; void the wrong one (a dose given late is a "
        "given row on the day it was given, naming its cycle and day)")


def test_revision_leaves_a_voided_delay_out_the_ics_sequence_counts_it(tmp_path: Path) -> None:
    # Administration's docstring said revision is the event's SEQUENCE. By hand: a delay
    # of cycle 2 (line 2) and its void (line 3) leave cycle 2 day 1 unchanged, so no row
    # in force changed it: revision 0. The ICS SEQUENCE is counted over the record's
    # history (plan: 0; with the delay: moved, 1; with its void: moved back, 2).
    path = tmp_path / "P.csv"
    path.write_text("date,event,drug,cycle,day,amount,level,reason,line\n"
                    "2027-02-08,delay,gem,2,,,,neutropenia,\n"
                    "2027-02-08,void delay,gem,2,,,,entered in error,2\n", encoding="utf-8")
    regimen = regimens.load(Path(__file__).parent / "golden" / "gemcitabine-redose.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = regimen.expand(arm="gem", start="2027-01-04", record=load_record(path),
                           participant=regimens.Participant(weight="70 kg", height="170 cm"))
    first = next(a for a in s.administrations if a.cycle == 2 and a.cycle_day == 1)
    assert first.date == date(2027, 2, 1)  # Day 29, as planned
    assert first.revision == 0
    ics = s.to_ics(stamp=datetime(2027, 1, 1, tzinfo=UTC))
    text = ics.decode() if isinstance(ics, bytes) else ics
    event = next(e for e in text.split("BEGIN:VEVENT")[1:]
                 if "day29" in e.split("UID:")[1].splitlines()[0])
    assert "\nSEQUENCE:2\r" in event or "\nSEQUENCE:2\n" in event
