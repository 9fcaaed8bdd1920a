"""Golden outputs of two whole treatments (a regimen and a participant's record each).

Regenerate only with ``python tests/record/golden/update.py``, then read the diff and check
it by hand: the tests never write a golden file. The facts below were checked by hand.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path

import pytest

from support.golden import load_script

GOLDEN = Path(__file__).resolve().parent / "golden"

golden = load_script(GOLDEN / "update.py", "record_golden_update")


@pytest.mark.parametrize(("case", "fmt"), [(c, f) for c in golden.CASES for f in golden.FORMATS])
def test_golden(case: str, fmt: str) -> None:
    path = GOLDEN / golden.golden_name(case, fmt)
    assert path.exists(), f"missing {path.name}: run python tests/record/golden/update.py"
    assert golden.render(case, fmt).encode("utf-8") == path.read_bytes()


def _json(case: str) -> dict:  # type: ignore[type-arg]
    return json.loads((GOLDEN / golden.golden_name(case, "json")).read_text(encoding="utf-8"))


def _day(iso: str, days: int = 0) -> str:
    """The date ``days`` after ``iso`` (the tests' own calendar arithmetic)."""
    return (date.fromisoformat(iso) + timedelta(days=days)).isoformat()


def _pct(numerator: Decimal, denominator: Decimal) -> Decimal:
    """A percentage rounded half up to one decimal, as docs/record.md says an RDI is shown."""
    with localcontext() as ctx:
        ctx.prec = 28
        return (numerator / denominator * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)


# -- MIROCALS-like: 19 five-day cycles of 2 MIU every 28 days from 2027-01-04 (P-101.csv) --

#: Study Day 1 (the expand's start).
MIRO_DAY1 = "2027-01-04"


def _miro_cycle_start(cycle: int) -> str:
    # Planned: Day 1 + 28 x (cycle - 1). Cycle 3 was delayed twice by 7 days (lines 12-13,
    # 14 days in all, on_delay: shift by default), so cycle 3 and every later cycle start
    # 14 days after their planned day; cycles 1-2 are on the plan.
    return _day(MIRO_DAY1, 28 * (cycle - 1) + (14 if cycle >= 3 else 0))


def test_mirocals_like_every_administration_by_hand() -> None:
    data = _json("mirocals-like")
    admins = data["administrations"]
    assert len(admins) == 95  # 19 cycles x 5 days
    # The whole treatment recorded: nothing left planned; 95 - 1 missed = 94 given.
    statuses = [a["status"] for a in admins]
    assert (statuses.count("given"), statuses.count("missed"), len(statuses)) == (94, 1, 95)
    # Every administration on day d of cycle c: its cycle's (re-planned) start + d - 1; the
    # planned date from the protocol's start, Day 1 + 28 x (c - 1) + d - 1.
    for a in admins:
        c, d = a["cycle"], a["cycle_day"]
        assert a["date"] == _day(_miro_cycle_start(c), d - 1), (c, d)
        assert a["planned_date"] == _day(MIRO_DAY1, 28 * (c - 1) + d - 1), (c, d)
    # The same by hand for the delayed and shifted cycles' first days: cycle 3 planned
    # 2027-01-04 + 56 = 2027-03-01, given 2027-03-15; cycle 4 planned 2027-01-04 + 84 =
    # 2027-03-29, from 2027-04-12; cycle 19 planned 2027-01-04 + 504 = 2028-05-22 (2027 has
    # 365 days: 2028-01-04 + 139, 2028 being a leap year), from 2028-06-05.
    first = {a["cycle"]: a for a in admins if a["cycle_day"] == 1}
    assert (first[3]["date"], first[3]["planned_date"]) == ("2027-03-15", "2027-03-01")
    assert (first[4]["date"], first[4]["planned_date"]) == ("2027-04-12", "2027-03-29")
    assert (first[11]["date"], first[11]["planned_date"]) == ("2027-10-25", "2027-10-11")
    assert (first[19]["date"], first[19]["planned_date"]) == ("2028-06-05", "2028-05-22")
    # The last dose: cycle 19 day 5, 2028-06-05 + 4 = 2028-06-09 (planned 2028-05-26), Study
    # Day 505 + 14 + 4 = 523.
    last = admins[-1]
    assert (last["cycle"], last["cycle_day"], last["date"], last["planned_date"],
            last["study_day"], last["status"]) == (19, 5, "2028-06-09", "2028-05-26", 523,
                                                   "given")
    # Cycle 2 day 3 (2027-01-04 + 28 + 2 = 2027-02-03) missed: no amount (it counts as
    # zero), the 2 MIU it would have had as its planned_amount.
    (missed,) = [a for a in admins if a["status"] == "missed"]
    assert (missed["cycle"], missed["cycle_day"], missed["date"]) == (2, 3, "2027-02-03")
    assert (missed["amount"], missed["planned_amount"], missed["unit"]) == (None, "2", "MIU")
    # Amounts: 2 MIU in cycles 1-3; dose level -1 (levels: {-1: 1 MIU}) from cycle 4 (line
    # 17, after the grade 3 toxicity in cycle 3); cycle 6 day 2 (2027-05-24 + 14 + 1 =
    # 2027-06-08) only 0.5 MIU given (line 31: part of the dose leaked). The plan's 2 MIU
    # stays beside every dose.
    def expected(a: dict) -> str | None:  # type: ignore[type-arg]
        if a is missed:
            return None
        if (a["cycle"], a["cycle_day"]) == (6, 2):
            return "0.5"
        return "2" if a["cycle"] <= 3 else "1"

    assert [a["amount"] for a in admins] == [expected(a) for a in admins]
    assert {a["planned_amount"] for a in admins} == {"2"}
    assert {a["unit"] for a in admins} == {"MIU"}
    # The reduced doses name the row and the cycle it starts from (the row is dated
    # 2027-03-17, in cycle 3, whose doses of 2027-03-18 and 19 keep their 2 MIU).
    for a in admins:
        reduced = "dose level -1 from cycle 4 (record line 17)" in a["record_note"]
        assert reduced == (a["cycle"] >= 4 and a["amount"] == "1"), (a["cycle"], a["cycle_day"])
    partial = next(a for a in admins if (a["cycle"], a["cycle_day"]) == (6, 2))
    assert partial["date"] == "2027-06-08"
    assert "line 31" in partial["record_note"]
    # Compared with the dose due that day, dose level -1's 1 MIU, not the protocol's 2 MIU.
    assert partial["derivation"] == ("given: 500,000 units (record line 31: part of the dose "
                                     "leaked from the syringe); planned: 1 million units")
    # Cycle 11 day 3 (2027-10-11 + 14 + 2 = 2027-10-27) was entered twice (lines 57 and
    # 58); line 61 voids line 58, so the dose is given once, by line 57.
    c11d3 = next(a for a in admins if (a["cycle"], a["cycle_day"]) == (11, 3))
    assert (c11d3["date"], c11d3["status"]) == ("2027-10-27", "given")
    assert "given (line 57)" in c11d3["record_note"]
    assert "line 58" not in c11d3["record_note"]


def test_mirocals_like_summary_by_hand() -> None:
    data = _json("mirocals-like")
    (drug,) = data["summary"]["drugs"]
    assert (drug["given"], drug["planned"], drug["missed"]) == (94, 0, 1)
    assert (drug["held"], drug["cancelled"], drug["stopped"]) == (0, 0, 0)
    # Given: cycles 1-3, 15 - 1 missed = 14 doses x 2 MIU = 28 MIU; cycles 4-19, 16 x 5 = 80
    # doses at 1 MIU, one of them 0.5 MIU: 79 + 0.5 = 79.5 MIU. In all 107.5 MIU of the
    # protocol's 19 x 5 x 2 = 190 MIU; all 19 cycles started, so 190 MIU for them too.
    given = Decimal(14) * 2 + Decimal(79) * 1 + Decimal("0.5")
    assert given == Decimal("107.5")
    assert drug["given_total"] == [{"amount": "107.5", "unit": "MIU"}]
    assert drug["planned_total"] == [{"amount": "190", "unit": "MIU"}]
    assert drug["started_total"] == [{"amount": "190", "unit": "MIU"}]
    # RDI (docs/record.md): actual time = last dose - first dose + one 28-day cycle =
    # (2028-06-09 - 2027-01-04 = 365 + 157 = 522 days) + 28 = 550 days; planned time =
    # (2028-05-26 - 2027-01-04 = 508 days) + 28 = 536 days. The treatment ended with a dose
    # not given, so the actual time is at least the planned 536 days: 550 already is.
    actual = (date(2028, 6, 9) - date(2027, 1, 4)).days + 28
    planned = (date(2028, 5, 26) - date(2027, 1, 4)).days + 28
    assert (actual, planned) == (550, 536)
    # RDI = (107.5 / 550) / (190 / 536) = 57,620 / 104,500 = 55.14% -> 55.1% (< 65%);
    # delivered / planned = 107.5 / 190 = 56.58% -> 56.6%. The cycles started are all 19:
    # the same figures.
    rdi = _pct(given * planned, Decimal(190) * actual)
    assert rdi == Decimal("55.1")
    for figure in ("protocol", "cycles_started"):
        got = drug["rdi"][figure]
        assert Decimal(got["percent"]) == rdi, figure
        assert Decimal(got["delivered_over_planned"]) == _pct(given, Decimal(190))
        assert Decimal(got["delivered_over_planned"]) == Decimal("56.6")
        assert (got["band"], got["actual_days"], got["planned_days"]) == ("< 65%", 550, 536)
    summary = data["summary"]
    # Delays of cycle 3: 2027-03-01 -> 2027-03-08 (7 days), -> 2027-03-15 (7 more, 14 in
    # all): not over max_delay (14 days), so no protocol deviation.
    assert [(d["line"], d["due"], d["date"], d["days"], d["total_days"], d["deviation"])
            for d in summary["delays"]] == [(12, "2027-03-01", "2027-03-08", 7, 7, False),
                                            (13, "2027-03-08", "2027-03-15", 7, 14, False)]
    assert summary["reductions"] == [
        "il2: dose level -1 from cycle 4 (line 17): grade 3 injection-site toxicity"]
    assert summary["deviations"] == []
    assert summary["voided"] == [
        "line 61 withdraws line 58 (2027-10-27 given il2): entered twice"]


def test_mirocals_like_visits_first_to_last_by_hand() -> None:
    data = _json("mirocals-like")
    visits = {v["id"]: v for v in data["visits"]}
    # Study-day visits never move: the 12-week run-in is Days -84 to -1 (2027-01-04 - 84 =
    # 2026-10-12; 2027-01-03), randomisation Day 1, the end of the 76-week treatment period
    # Day 532 (2027-01-04 + 531 = 2028-06-18), survival Day 640 (2028-06-18 + 108 =
    # 2028-10-04).
    fixed = {"lp1": (-84, "2026-10-12"), "lp2": (-1, "2027-01-03"),
             "randomisation": (1, "2027-01-04"), "treatment-end": (532, "2028-06-18"),
             "survival-d640": (640, "2028-10-04")}
    for vid, (day, when) in fixed.items():
        assert (visits[vid]["study_day"], visits[vid]["date"],
                visits[vid]["planned_date"]) == (day, when, when), vid
    # Clinic visits on day 1 of cycles 4, 7, ..., 19 move with their cycle: 14 days after
    # the planned day (cycle 4: 2027-03-29 -> 2027-04-12, Day 85 + 14 = 99; cycle 19:
    # 2028-05-22 -> 2028-06-05, Day 505 + 14 = 519).
    for cycle in (4, 7, 10, 13, 16, 19):
        v = visits[f"clinic-c{cycle}"]
        assert v["date"] == _miro_cycle_start(cycle)
        assert v["planned_date"] == _day(MIRO_DAY1, 28 * (cycle - 1))
        assert v["study_day"] == 28 * (cycle - 1) + 1 + 14
    assert (visits["clinic-c4"]["date"], visits["clinic-c19"]["date"]) == ("2027-04-12",
                                                                          "2028-06-05")
    # From the first visit (the baseline lumbar puncture) to the last (Day 640), in order.
    order = [v["id"] for v in data["visits"]]
    assert (order[0], order[-1]) == ("lp1", "survival-d640")
    assert [v["date"] for v in data["visits"]] == sorted(v["date"] for v in data["visits"])


# -- Gemcitabine 1,000 mg/m2 d1, 8, 15 q28d x 3, redose weight_change 10% (P-202.csv) --


def test_gemcitabine_redose_every_dose_by_hand() -> None:
    data = _json("gemcitabine-redose")
    admins = data["administrations"]
    # Days 1, 8, 15 of cycles starting 2027-01-04, 2027-02-01 (+28), 2027-03-01 (+56); the
    # last dose cycle 3 day 15 on 2027-03-01 + 14 = 2027-03-15. Nothing moved.
    dates = [_day("2027-01-04", 28 * c + d) for c in range(3) for d in (0, 7, 14)]
    assert dates[-1] == "2027-03-15"
    assert [a["date"] for a in admins] == dates
    assert [a["planned_date"] for a in admins] == dates
    assert [a["status"] for a in admins] == ["given"] * 9
    # BSA (Mosteller, rounded to 2 decimals) from 170 cm, x 1,000 mg/m2, rounded to 10 mg:
    # 70 kg: sqrt(170 x 70 / 3600) = sqrt(3.3056) = 1.8181 -> 1.82 m2 -> 1,820 mg;
    # 62 kg (2027-02-01, line 5; (70 - 62) / 70 = 11.43%, at least the 10% threshold):
    # sqrt(170 x 62 / 3600) = sqrt(2.9278) = 1.7111 -> 1.71 m2 -> 1,710 mg from cycle 2
    # day 1 (measured that day); 64 kg (2027-03-01, line 9; (64 - 62) / 62 = 3.23%, under
    # the threshold) changes nothing (sqrt(170 x 64 / 3600) = 1.7385 -> 1.74 m2 would have
    # given 1,740 mg).
    for weight, bsa in ((70, "1.82"), (62, "1.71"), (64, "1.74")):
        with localcontext() as ctx:
            ctx.prec = 28
            exact = (Decimal(170) * weight / 3600).sqrt()
        assert exact.quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal(bsa)
    assert [a["amount"] for a in admins] == ["1820"] * 3 + ["1710"] * 6
    assert {a["planned_amount"] for a in admins} == {"1820"}
    # Every dose says what it was computed from, with the dates measured.
    assert admins[0]["record_note"] == (
        "given (line 2); computed from weight 70 kg (at enrolment); height 170 cm (at "
        "enrolment); BSA 1.82 m² (computed)")
    assert admins[3]["record_note"] == (
        "given (line 6); recomputed from weight 62 kg (measured 2027-02-01, record line 5); "
        "height 170 cm (at enrolment); BSA 1.71 m² (computed)")
    for a in admins[6:]:
        assert ("weight 64 kg measured 2027-03-01 (record line 9) is within 10% of 62 kg the "
                "dose was computed from (3.23% change): not recomputed") in a["record_note"]
    for a in admins[:6]:
        assert "64 kg" not in a["record_note"]


def test_gemcitabine_redose_summary_and_visits_by_hand() -> None:
    data = _json("gemcitabine-redose")
    (drug,) = data["summary"]["drugs"]
    assert (drug["given"], drug["planned"], drug["missed"]) == (9, 0, 0)
    # Given 3 x 1,820 + 6 x 1,710 = 5,460 + 10,260 = 15,720 mg of 9 x 1,820 = 16,380 mg
    # planned (all three cycles started: the same).
    assert drug["given_total"] == [{"amount": "15720", "unit": "mg"}]
    assert drug["planned_total"] == [{"amount": "16380", "unit": "mg"}]
    assert drug["started_total"] == [{"amount": "16380", "unit": "mg"}]
    # Every dose on its day: actual and planned time both (2027-03-15 - 2027-01-04 = 70
    # days) + 28 = 98 days. The RDI is per m² (the dose's own basis): every dose is
    # 1,000 mg/m² of the BSA it was computed from (1,820 / 1.82, 1,710 / 1.71), so RDI =
    # (9 x 1,000 / 98) / (9 x 1,000 / 98) = 100.0% (>= 85%), although the amounts are
    # 15,720 / 16,380 = 95.97% -> 96.0% of the plan's (delivered / planned, in mg).
    assert drug["rdi"]["basis"] == "per_m2"
    ratio = _pct(Decimal(15720), Decimal(16380))
    assert ratio == Decimal("96.0")
    for figure in ("protocol", "cycles_started"):
        got = drug["rdi"][figure]
        assert got["percent"] == "100.0", figure
        assert got["delivered_over_planned"] == "96.0", figure
        assert Decimal(got["delivered_over_planned"]) == ratio, figure
        assert (got["band"], got["actual_days"], got["planned_days"]) == (">= 85%", 98, 98)
    # Visits: baseline Day -7 (2027-01-04 - 7 = 2026-12-28; window a week before it),
    # cycle 2 and 3 day 1 (2027-02-01, 2027-03-01), end of treatment 28 days after the last
    # dose (2027-03-15 + 28 = 2027-04-12, Day 71 + 28 = 99, window 7 days either side).
    assert [(v["id"], v["study_day"], v["date"], v["earliest"], v["latest"])
            for v in data["visits"]] == [
        ("baseline", -7, "2026-12-28", "2026-12-21", "2026-12-28"),
        ("c2", 29, "2027-02-01", "2027-02-01", "2027-02-01"),
        ("c3", 57, "2027-03-01", "2027-03-01", "2027-03-01"),
        ("end", 99, "2027-04-12", "2027-04-05", "2027-04-19")]
