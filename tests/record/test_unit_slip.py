"""A given amount a unit slip away from the dose due, with no reason, is a UnitSlipWarning
(cold try 5, finding 11): 145.6 mcg written for 145.6 mg was taken silently as a partial
dose of 1/1,000.

The rule (docs/record.md, "Dose changes"): within 1% of the dose due times 1000^k, k from
-3 to 3 and not 0; the unit meant is the one 1000^k smaller than the unit written.
Doxorubicin 60 mg/m2 for 170 cm and 70 kg: BSA sqrt(170 x 70 / 3600) = 1.8181, 1.82 m2,
so 109.2 mg is due on Mon 2027-01-04. Aldesleukin 2 MIU flat on 2027-01-04. Every
expected line is written by hand.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

import regimens
from regimens import OverdoseWarning, Participant, UnitSlipWarning, read_record
from regimens.cli import main
from support.records import DOXDOC_PLAIN, RECORD_HEADER

IL2 = """\
format: regimens/1
id: il2-flat
title: aldesleukin flat
drugs:
  il2: {name: aldesleukin, route: subcutaneous}
arms:
  a: {label: A}
periods:
  - id: treatment
    length: 1 week
    courses:
      - {drug: il2, dose: 2 MIU, days: [1]}
"""

DOX_DUE = "where 109.2 mg was planned"
TAIL = "; check the unit (a partial dose is recorded with its reason)"


def _warnings(text: str, arm: str, rows: str, participant: Participant
              ) -> tuple[regimens.Schedule, list[str], list[str]]:
    regimen = regimens.loads(text, "r.yaml")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = regimen.expand(arm, "2027-01-04", participant,
                           record=read_record(RECORD_HEADER + rows, name="slip.csv"))
    slips = [str(w.message) for w in caught if w.category is UnitSlipWarning]
    over = [str(w.message) for w in caught if w.category is OverdoseWarning]
    return s, slips, over


def _dox(amount: str, reason: str = "") -> tuple[regimens.Schedule, list[str], list[str]]:
    return _warnings(DOXDOC_PLAIN, "x", f"2027-01-04,given,dox,,,{amount},,{reason}\n",
                     Participant(weight="70 kg", height="170 cm"))


SLIPS = [
    # amount written, why (by hand)
    ("109.2 mcg", "1/1,000 of it (within 1%), as mcg written for mg makes it"),
    ("109.2 ng", "1/1,000,000 of it (within 1%), as ng written for mg makes it"),
    # 0.1092 mg is 1/1,000 of 109.2 mg: 0.1092 g was meant.
    ("0.1092 mg", "1/1,000 of it (within 1%), as mg written for g makes it"),
    # 0.11 mg against 0.1092 mg: 0.0008 off, within 1% (0.001092).
    ("110 mcg", "1/1,000 of it (within 1%), as mcg written for mg makes it"),
    # Exactly 1% below: 109.2 x 0.99 = 108.108 mcg (a bound is within).
    ("108.108 mcg", "1/1,000 of it (within 1%), as mcg written for mg makes it"),
    # 0.0001092 mcg is 1.092e-7 mg, 1/1,000,000,000 of 109.2 mg: the unit meant would be
    # a billion mcg, the kg, which is no dose unit: the slip is said without a unit.
    ("0.0001092 mcg", "1/1,000,000,000 of it (within 1%), as a unit written wrong makes it"),
]


@pytest.mark.parametrize(("amount", "why"), SLIPS)
def test_a_power_of_1000_below_the_dose_due_is_a_unit_slip(amount: str, why: str) -> None:
    s, slips, over = _dox(amount)
    assert slips == [f"slip.csv:2: doxorubicin given {amount} on Mon 2027-01-04 {DOX_DUE}: "
                     f"{why}{TAIL}"]
    assert over == []
    # Kept as written: the amount given is the row's.
    given = [a for a in s.administrations if a.status.value == "given"]
    assert len(given) == 1
    assert given[0].dose.amount is not None
    assert given[0].dose.amount.unit.symbol == "mg"


def test_a_power_of_1000_above_is_a_unit_slip_and_an_overdose() -> None:
    _, slips, over = _dox("109.2 g")
    assert slips == [f"slip.csv:2: doxorubicin given 109.2 g on Mon 2027-01-04 {DOX_DUE}: "
                     f"1,000 times it (within 1%), as g written for mg makes it{TAIL}"]
    assert over == ["slip.csv:2: doxorubicin given 109,200 mg on Mon 2027-01-04, more than "
                    "the 109.2 mg planned"]


@pytest.mark.parametrize(("amount", "reason"), [
    ("54.6 mg", ""),             # half the dose: a partial dose (its reason is its own)
    ("109.2 mg", ""),            # the dose due
    ("0.1092 g", ""),            # the dose due in another unit: 109.2 mg
    ("108.107 mcg", ""),         # 0.108107 mg: 0.001093 off, more than 1% (0.001092)
    ("111 mcg", ""),             # 0.111 mg: 0.0018 off
    ("109.2 mcg", "extravasation: stopped at once"),  # a partial dose with its reason
])
def test_other_amounts_and_a_partial_dose_with_its_reason_stay_quiet(amount: str,
                                                                      reason: str) -> None:
    _, slips, _ = _dox(amount, reason)
    assert slips == []


@pytest.mark.parametrize(("amount", "why"), [
    ("2 kIU", "1/1,000 of it (within 1%), as kIU written for MIU makes it"),
    ("2 IU", "1/1,000,000 of it (within 1%), as IU written for MIU makes it"),
    # 2000 MIU is 1,000 times 2 MIU: 2000 kIU is 2 MIU.
    ("2000 MIU", "1,000 times it (within 1%), as MIU written for kIU makes it"),
])
def test_units_of_activity(amount: str, why: str) -> None:
    _, slips, _ = _warnings(IL2, "a", f"2027-01-04,given,il2,,,{amount},,\n", Participant())
    assert slips == [f"slip.csv:2: aldesleukin given {amount} on Mon 2027-01-04 where 2 "
                     f"million units was planned: {why}{TAIL}"]


def test_the_dose_due_after_a_reduction_is_the_one_compared() -> None:
    # Reduced to 50% on 2027-01-01: 54.6 mg due; 54.6 mcg is 1/1,000 of it, while 109.2
    # mcg (1/500 of it) is no slip.
    reduce = "2027-01-01,reduce,dox,,,,50%,\n"
    for amount, expected in (("54.6 mcg", 1), ("109.2 mcg", 0)):
        _, slips, _ = _warnings(DOXDOC_PLAIN, "x",
                                reduce + f"2027-01-04,given,dox,,,{amount},,\n",
                                Participant(weight="70 kg", height="170 cm"))
        assert len(slips) == expected
        if expected:
            assert "where 54.6 mg was planned: 1/1,000 of it" in slips[0]


def test_said_in_every_output_as_warnings_are(tmp_path: Path, capfd: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the record named as given: slip.csv
    regimen = tmp_path / "r.yaml"
    regimen.write_text(DOXDOC_PLAIN, encoding="utf-8")
    record = tmp_path / "slip.csv"
    record.write_text(RECORD_HEADER + "2027-01-04,given,dox,,,109.2 mcg,,\n", encoding="utf-8")
    text = (f"slip.csv:2: doxorubicin given 109.2 mcg on Mon 2027-01-04 {DOX_DUE}: 1/1,000 "
            f"of it (within 1%), as mcg written for mg makes it{TAIL}")
    base = ["expand", str(regimen), "--arm", "x", "--start", "2027-01-04", "--weight", "70kg",
            "--height", "170cm", "--record", record.name]
    for fmt in ("table", "json", "csv", "ics"):
        stamp = ["--stamp", "2027-01-01T00:00:00Z"] if fmt == "ics" else []
        assert main([*base, "--format", fmt, *stamp]) == 0
        out, err = capfd.readouterr()
        assert err.splitlines() == [f"regimens: warning: {text}"]
        if fmt == "table":
            lines = out.splitlines()
            assert "  " + text in lines[lines.index("Warnings:"):]
        elif fmt == "json":
            assert json.loads(out)["warnings"] == [text]
        else:
            assert text not in out
    # check --record says it too, and carries it in its JSON.
    assert main(["check", str(regimen), "--arm", "x", "--start", "2027-01-04", "--weight",
                 "70kg", "--height", "170cm", "--record", record.name, "--format",
                 "json"]) in (0, 1)
    out, err = capfd.readouterr()
    assert f"regimens: warning: {text}" in err.splitlines()
    assert text in json.loads(out)["participant_record"]["warnings"]
