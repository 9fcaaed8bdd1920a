"""The summary of a record: counts, exact totals, delays, reductions, deviations, RDI.

Outcomes are written by hand (what a replay leaves), and every figure computed by hand.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import regimens
from regimens import read_record
from regimens.quantities import parse_amount
from regimens.record import Delay, Outcome, cycle_length, summarize

REGIMEN = regimens.loads("""\
format: regimens/1
id: ac
title: AC
drugs:
  dox: {name: doxorubicin, route: intravenous, levels: {-1: 80%}, clinic: true}
  pred: {name: prednisone, route: oral}
  dex: {name: dexamethasone, route: oral}
arms:
  x: {label: X}
periods:
  - id: t
    length: 18 weeks
    courses:
      - {drug: dox, dose: 108 mg, cycle: 21 days, cycles: 6, days: [1], window: 2 days}
      - {drug: pred, dose: 50 mg, every: 7 days, count: 3}
      - {drug: dex, dose: 8 mg, daily: true, for: 2 days}
""", "ac.yaml")

RECORD = read_record("""\
date,event,drug,cycle,day,amount,level,reason
2027-01-04,given,dox,,,,,
2027-01-25,given,dox,,,,,
2027-02-22,delay,dox,3,,,,neutropenia
2027-02-22,reduce,dox,,,,-1,febrile neutropenia
2027-02-22,given,dox,,,,,
2027-03-15,given,dox,,,,,
2027-04-05,missed,dox,5,1,,,unwell
""", name="P-017.csv")

MG = parse_amount

#: The replay's measurement of line 4: cycle 3 due 2027-02-15, now 2027-02-22.
DELAYS = [Delay(4, date(2027, 2, 22), "dox", 3, None, date(2027, 2, 15), 7, 7, None,
                "neutropenia")]


def dox(cycle: int, status: str, planned: str, given: str, amount: str | None,
        line: int | None = None, due: str | None = None) -> Outcome:
    return Outcome("dox", "t", 0, cycle, status, date.fromisoformat(planned),
                   date.fromisoformat(given), MG("108 mg"),
                   None if amount is None else MG(amount), line,
                   None if due is None else date.fromisoformat(due))


OUTCOMES = [
    dox(1, "given", "2027-01-04", "2027-01-04", "108 mg", 2),
    dox(2, "given", "2027-01-25", "2027-01-25", "108 mg", 3),
    # Cycle 3 delayed a week (and the rest with it: on_delay shift), at level -1.
    dox(3, "given", "2027-02-15", "2027-02-22", "86.4 mg", 6, "2027-02-22"),
    dox(4, "given", "2027-03-08", "2027-03-15", "86.4 mg", 7, "2027-03-15"),
    dox(5, "missed", "2027-03-29", "2027-04-05", "86.4 mg", 8, "2027-04-05"),
    dox(6, "planned", "2027-04-19", "2027-04-26", "86.4 mg", None, "2027-04-26"),
]


def test_counts_and_exact_totals() -> None:
    (s,) = summarize(REGIMEN, RECORD, OUTCOMES).drugs
    assert dict(s.counts) == {"given": 4, "planned": 1, "missed": 1, "held": 0,
                              "cancelled": 0, "stopped": 0}
    # 108 + 108 + 86.4 + 86.4 = 388.8 mg given; 6 x 108 = 648 mg planned; the cycles
    # started (1 to 4): 432 mg.
    assert [str(a) for a in s.given_total] == ["388.8 mg"]
    assert [str(a) for a in s.planned_total] == ["648 mg"]
    assert [str(a) for a in s.started_total] == ["432 mg"]


def test_rdi_against_the_protocol_and_the_cycles_started() -> None:
    (s,) = summarize(REGIMEN, RECORD, OUTCOMES).drugs
    assert s.cycle_days == 21
    whole, started = s.intensity, s.intensity_started
    assert whole is not None
    assert started is not None
    # Delivered 388.8 mg from 2027-01-04 to 2027-03-15 (70 days) + 21 = 91 days.
    # Protocol: 648 mg over 105 + 21 = 126 days. RDI = (388.8 / 91) / (648 / 126)
    # = 0.6 x 126 / 91 = 83.0769...%: band 65-85%; delivered / planned = 60%.
    assert (whole.actual_days, whole.planned_days) == (91, 126)
    assert str(whole.percent)[:7] == "83.0769"
    assert whole.band == "65-85%"
    assert whole.ratio == 60
    # Cycles started: 432 mg over 63 + 21 = 84 days: 0.9 x 84 / 91 = 83.0769...%; 90%.
    assert started.planned_days == 84
    assert str(started.percent)[:7] == "83.0769"
    assert started.ratio == 90


def test_delays_and_reductions_name_their_lines() -> None:
    summary = summarize(REGIMEN, RECORD, OUTCOMES, delays=DELAYS)
    assert summary.delays == (
        "2027-02-22 (line 4): cycle 3 of dox delayed 7 days from 2027-02-15: neutropenia",)
    assert summary.reductions == (
        "dox: dose level -1 from 2027-02-22 (line 5): febrile neutropenia",)
    assert summary.drugs[0].reductions == (RECORD.row_at(5),)


def test_a_dose_given_outside_its_window_is_a_deviation() -> None:
    # Counted from the day it was due after the delays: a delayed cycle given on its new
    # day is in its window (the delay is reported on its own).
    assert summarize(REGIMEN, RECORD, OUTCOMES).deviations == ()
    late = [dox(3, "given", "2027-02-15", "2027-02-25", "86.4 mg", 6, "2027-02-22")]
    assert summarize(REGIMEN, RECORD, late).deviations == (
        "dox: given on 2027-02-25 (line 6), outside its window around 2027-02-22 (2 days "
        "before, 2 days after)",)
    # Window 2 days: 2027-01-27 is within 2 days after 2027-01-25; 2027-01-28 is not.
    inside = [dox(2, "given", "2027-01-25", "2027-01-27", "108 mg", 3)]
    outside = [dox(2, "given", "2027-01-25", "2027-01-28", "108 mg", 3)]
    assert summarize(REGIMEN, RECORD, inside, deviations=["replay's"]).deviations == (
        "replay's",)
    assert summarize(REGIMEN, RECORD, outside).deviations == (
        "dox: given on 2027-01-28 (line 3), outside its window around 2027-01-25 (2 days "
        "before, 2 days after)",)


def test_a_missed_dose_counts_as_zero_given() -> None:
    # The only outcome, cycle 1, missed: none given and none still planned, so the
    # treatment ended with nothing delivered over its planned 21 days (the doses not given
    # count as nothing over the time they were planned in): (0 / 21) / (108 / 21) = 0%.
    outcomes = [dox(1, "missed", "2027-01-04", "2027-01-04", "108 mg", 2)]
    (s,) = summarize(REGIMEN, RECORD, outcomes).drugs
    assert s.given_total == ()
    assert s.intensity is not None
    assert (s.intensity.percent, s.intensity.band) == (0, "< 65%")
    assert (s.intensity.actual_days, s.intensity.planned_days) == (21, 21)
    assert s.intensity.at_least_planned
    assert s.intensity.ratio == 0
    assert s.intensity_started is None  # no cycle started


def test_nothing_given_yet_has_no_intensity_yet() -> None:
    # Cycle 1 missed, cycle 2 still planned: the intensity counts from the first dose
    # given, and there is none yet; not 0%: the treatment goes on.
    outcomes = [dox(1, "missed", "2027-01-04", "2027-01-04", "108 mg", 2),
                dox(2, "planned", "2027-01-25", "2027-01-25", "108 mg")]
    (s,) = summarize(REGIMEN, RECORD, outcomes).drugs
    assert s.intensity is not None
    assert (s.intensity.percent, s.intensity.band, s.intensity.actual_days) == (
        None, None, None)
    assert not s.intensity.at_least_planned


def test_cycle_length_of_uncycled_drugs() -> None:
    assert [cycle_length(REGIMEN, d) for d in ("dox", "pred", "dex")] == [21, 7, 1]


def test_drugs_in_the_regimens_order_and_mixed_dimensions_have_no_rdi() -> None:
    pred = Outcome("pred", "t", 1, None, "given", date(2027, 1, 4), date(2027, 1, 4),
                   MG("50 mg"), MG("50 mg"), 9)
    odd = Outcome("pred", "t", 1, None, "given", date(2027, 1, 11), date(2027, 1, 11),
                  MG("50 mg"), MG("1 MIU"), 10)
    summary = summarize(REGIMEN, RECORD, [pred, odd, *OUTCOMES[:1]])
    assert [d.drug for d in summary.drugs] == ["dox", "pred"]
    assert summary.drugs[1].intensity is None
    assert [str(a) for a in summary.drugs[1].given_total] == ["50 mg", "1 MIU"]


def test_an_unknown_status_is_refused() -> None:
    with pytest.raises(ValueError, match="status is one of"):
        Outcome("dox", "t", 0, 1, "done", date(2027, 1, 4), date(2027, 1, 4), None, None)


def test_started_planned_total_of_an_uncycled_drug_runs_to_the_last_dose_given() -> None:
    outcomes = [Outcome("pred", "t", 1, None, s, date(2027, 1, 4 + 7 * i),
                        date(2027, 1, 4 + 7 * i), MG("50 mg"), MG("50 mg"))
                for i, s in enumerate(["given", "given", "planned"])]
    (s,) = summarize(REGIMEN, RECORD, outcomes).drugs
    assert [str(a) for a in s.started_total] == ["100 mg"]
    assert s.intensity_started is not None
    assert s.intensity_started.percent == Decimal(100)


def test_the_summary_as_json_and_text() -> None:
    from regimens.export import summary_json, summary_lines

    summary = summarize(REGIMEN, RECORD, OUTCOMES, delays=DELAYS)
    data = summary_json(summary)
    (drug,) = data["drugs"]
    assert (drug["given"], drug["missed"], drug["planned"]) == (4, 1, 1)
    assert drug["given_total"] == [{"amount": "388.8", "unit": "mg"}]
    assert drug["rdi"]["protocol"] == {"percent": "83.1", "band": "65-85%",
                                       "delivered_over_planned": "60.0", "actual_days": 91,
                                       "planned_days": 126}
    # Every percentage with its one decimal: 90.0, never 90.
    assert drug["rdi"]["cycles_started"]["delivered_over_planned"] == "90.0"
    assert (drug["rdi"]["basis"], drug["rdi"]["dose_basis"]) == ("absolute", "flat")
    assert data["delays"] == [{
        "text": "2027-02-22 (line 4): cycle 3 of dox delayed 7 days from 2027-02-15: "
                "neutropenia",
        "line": 4, "date": "2027-02-22", "drug": "dox", "cycle": 3, "day": None,
        "due": "2027-02-15", "days": 7, "total_days": 7, "max_delay_days": None,
        "deviation": False, "reason": "neutropenia"}]
    assert summary_lines(summary) == [
        "Record P-017.csv:",
        "  doxorubicin (dox): 4 given, 1 planned, 1 missed",
        "    given 388.8 mg of 648 mg planned (60.0%); cycles started: 432 mg planned (90.0%)",
        "    relative dose intensity 83.1% (65-85%) against the protocol, 83.1% (65-85%) "
        "against the cycles started (first to last dose + one 21-day cycle; absolute "
        "amounts)",
        "  Delays:",
        "    - 2027-02-22 (line 4): cycle 3 of dox delayed 7 days from 2027-02-15: neutropenia",
        "  Reductions:",
        "    - dox: dose level -1 from 2027-02-22 (line 5): febrile neutropenia",
    ]


NOTHING_GIVEN = [
    # (id, outcomes, the summary's two lines of the drug, by hand)
    # Cycle 1 missed and nothing else: the treatment ended with none of it given, 0 of
    # 108 mg over its planned 21 days: 0.0%; no cycle started.
    ("ended", [dox(1, "missed", "2027-01-04", "2027-01-04", "108 mg", 2)],
     ["    given nothing of 108 mg planned (0.0%); cycles started: nothing planned",
      "    relative dose intensity 0.0% (< 65%) against the protocol: no dose of "
      "doxorubicin was given and none is still planned, so nothing was delivered over its "
      "planned 21 days; none against the cycles started: none was started"]),
    # Cycles 1 and 2 stopped: 0 of 216 mg over 21 + 21 = 42 days.
    ("stopped", [dox(1, "stopped", "2027-01-04", "2027-01-04", "108 mg"),
                 dox(2, "stopped", "2027-01-25", "2027-01-25", "108 mg")],
     ["    given nothing of 216 mg planned (0.0%); cycles started: nothing planned",
      "    relative dose intensity 0.0% (< 65%) against the protocol: no dose of "
      "doxorubicin was given and none is still planned, so nothing was delivered over its "
      "planned 42 days; none against the cycles started: none was started"]),
    # Cycle 1 missed, cycle 2 still planned: no first dose given yet, not yet defined.
    ("not yet", [dox(1, "missed", "2027-01-04", "2027-01-04", "108 mg", 2),
                 dox(2, "planned", "2027-01-25", "2027-01-25", "108 mg")],
     ["    given nothing of 216 mg planned (0.0%); cycles started: nothing planned",
      "    relative dose intensity: not yet defined: no dose of doxorubicin has been given "
      "so far, and the intensity counts from the first dose given (it is 0% if the "
      "treatment ends with none given)"]),
    # 108 mg planned, 15 USP units given (a dose recorded in the wrong unit): totals of
    # two kinds, no single intensity.
    ("two kinds", [dox(1, "given", "2027-01-04", "2027-01-04", "15 USP units", 2)],
     ["    given 15 USP units of 108 mg planned; cycles started: 108 mg planned",
      "    relative dose intensity: not computed: the doses of doxorubicin are in mass and "
      "USP units, which do not add up to one total"]),
]


@pytest.mark.parametrize(("outcomes", "expected"), [c[1:] for c in NOTHING_GIVEN],
                         ids=[c[0] for c in NOTHING_GIVEN])
def test_no_intensity_says_which_and_why_once_in_words(outcomes: list[Outcome],
                                                        expected: list[str]) -> None:
    from regimens.export import summary_lines

    lines = summary_lines(summarize(REGIMEN, RECORD, outcomes))
    assert lines[2:4] == expected


def test_a_drug_stopped_before_its_first_dose_in_the_table_and_json() -> None:
    # dox stopped from its first day: its six 108 mg doses, 2027-01-04 to 2027-04-19, all
    # stopped; none given, none still planned: 0% over 105 + 21 = 126 days.
    import json
    import warnings

    record = read_record("date,event,drug,cycle,day,amount,level,reason\n"
                         "2027-01-04,stop,dox,,,,,cardiotoxicity\n", name="P.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        s = REGIMEN.expand("x", "2027-01-04", record=record)
    assert ("    relative dose intensity 0.0% (< 65%) against the protocol: no dose of "
            "doxorubicin was given and none is still planned, so nothing was delivered over "
            "its planned 126 days; none against the cycles started: none was started"
            ) in s.to_table().splitlines()
    (dox_json, *_) = json.loads(s.to_json())["summary"]["drugs"]
    assert dox_json["rdi"]["protocol"] == {"percent": "0.0", "band": "< 65%",
                                           "delivered_over_planned": "0.0",
                                           "actual_days": 126, "planned_days": 126}
    assert dox_json["rdi"]["cycles_started"] is None
