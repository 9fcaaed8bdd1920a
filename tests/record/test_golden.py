"""Golden outputs of two whole treatments (a regimen and a participant's record each).

Regenerate only with ``python tests/record/golden/update.py``, then read the diff and check
it by hand: the tests never write a golden file. The facts below were checked by hand.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"

_spec = importlib.util.spec_from_file_location("record_golden_update", GOLDEN / "update.py")
assert _spec is not None
assert _spec.loader is not None
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)


@pytest.mark.parametrize(("case", "fmt"), [(c, f) for c in golden.CASES for f in golden.FORMATS])
def test_golden(case: str, fmt: str) -> None:
    path = GOLDEN / golden.golden_name(case, fmt)
    assert path.exists(), f"missing {path.name}: run python tests/record/golden/update.py"
    assert golden.render(case, fmt).encode("utf-8") == path.read_bytes()


def _json(case: str) -> dict:  # type: ignore[type-arg]
    return json.loads((GOLDEN / golden.golden_name(case, "json")).read_text(encoding="utf-8"))


def test_mirocals_like_by_hand() -> None:
    data = _json("mirocals-like")
    admins = data["administrations"]
    assert len(admins) == 95  # 19 cycles x 5 days
    statuses = [a["status"] for a in admins]
    assert statuses.count("given") == 14
    assert statuses.count("missed") == 1
    assert statuses.count("planned") == 80
    # Cycle 2 day 3 (2027-02-03) missed.
    (missed,) = [a for a in admins if a["status"] == "missed"]
    assert (missed["cycle"], missed["cycle_day"], missed["date"]) == (2, 3, "2027-02-03")
    # Cycle 3 planned on 2027-01-04 + 56 days = 2027-03-01, delayed twice by a week: given
    # from 2027-03-15; later cycles shift by 14 days (on_delay: shift): cycle 4 from
    # 2027-03-29 + 14 = 2027-04-12, cycle 19 from 2027-01-04 + 18 x 28 + 14 = 2028-06-05.
    first = {a["cycle"]: a for a in admins if a["cycle_day"] == 1}
    assert (first[3]["date"], first[3]["planned_date"]) == ("2027-03-15", "2027-03-01")
    assert (first[4]["date"], first[4]["planned_date"]) == ("2027-04-12", "2027-03-29")
    assert (first[19]["date"], first[19]["planned_date"]) == ("2028-06-05", "2028-05-22")
    # Dose level -1 (1 MIU) from cycle 4: the plan's 2 MIU beside it.
    assert {(a["amount"], a["unit"]) for a in admins if a["cycle"] >= 4} == {("1", "MIU")}
    assert {a["planned_amount"] for a in admins if a["cycle"] >= 4} == {"2"}
    # Cycles 1-3: 2 MIU given; the missed dose has no amount (it counts as zero) and keeps
    # the 2 MIU it would have had as its planned_amount.
    assert {a["amount"] for a in admins if a["cycle"] <= 3 and a is not missed} == {"2"}
    assert (missed["amount"], missed["planned_amount"], missed["unit"]) == (None, "2", "MIU")
    (drug,) = data["summary"]["drugs"]
    # Given 14 x 2 = 28 MIU of 19 x 5 x 2 = 190 MIU: 14.7%. Delivered from 2027-01-04 to
    # 2027-03-19 (74 days) + 28 = 102 days; planned to 2028-05-26 (508 days) + 28 = 536:
    # RDI = (28 / 102) / (190 / 536) = 77.4%. Cycles started (1-3): 30 MIU to 2027-03-05
    # (60 days) + 28 = 88 days: (28 / 102) / (30 / 88) = 80.5%.
    assert drug["given_total"] == [{"amount": "28", "unit": "MIU"}]
    assert drug["planned_total"] == [{"amount": "190", "unit": "MIU"}]
    assert drug["rdi"]["protocol"] == {"percent": "77.4", "band": "65-85%",
                                       "delivered_over_planned": "14.7", "actual_days": 102,
                                       "planned_days": 536}
    assert drug["rdi"]["cycles_started"]["percent"] == "80.5"
    assert drug["rdi"]["cycles_started"]["planned_days"] == 88
    assert len(data["summary"]["delays"]) == 2


def test_gemcitabine_redose_by_hand() -> None:
    data = _json("gemcitabine-redose")
    admins = data["administrations"]
    # BSA (Mosteller) from 170 cm: 70 kg -> sqrt(170 x 70 / 3600) = 1.8181 -> 1.82 m2,
    # 1,820 mg; 62 kg (11.43% less: over the 10% threshold) -> 1.7111 -> 1.71 m2, 1,710 mg
    # from the first dose after 2027-01-29; 64 kg (3.23% over 62 kg) changes nothing
    # (1.7385 -> 1.74 m2 would have given 1,740 mg).
    assert [a["amount"] for a in admins] == ["1820"] * 3 + ["1710"] * 6
    assert [a["status"] for a in admins] == ["given"] * 5 + ["planned"] * 4
    assert "within 10% of 62 kg" in admins[-1]["record_note"]
    # Every dose says what it was computed from, with the dates measured.
    assert admins[0]["record_note"] == (
        "given (line 2); computed from weight 70 kg (at enrolment); height 170 cm (at "
        "enrolment); BSA 1.82 m² (computed)")
    assert "recomputed from weight 62 kg (measured 2027-01-29, record line 5)" in (
        admins[3]["record_note"])
    (drug,) = data["summary"]["drugs"]
    # Given 3 x 1,820 + 2 x 1,710 = 8,880 mg of 9 x 1,820 = 16,380 mg. Delivered to
    # 2027-02-08 (35 days) + 28 = 63 days; planned to 2027-03-15 (70 days) + 28 = 98:
    # (8,880 / 63) / (16,380 / 98) = 84.3%; cycles started (1-2): 10,920 mg over 42 + 28 =
    # 70 days: 90.4%.
    assert drug["given_total"] == [{"amount": "8880", "unit": "mg"}]
    assert drug["rdi"]["protocol"]["percent"] == "84.3"
    assert drug["rdi"]["protocol"]["band"] == "65-85%"
    assert drug["rdi"]["cycles_started"]["percent"] == "90.4"
    assert drug["rdi"]["cycles_started"]["band"] == ">= 85%"
