"""The amount a ``given`` row gives: in the dimension of its drug's dose, the same on every arm.

A record's ``given`` amount is converted to the unit of the dose it is compared with. What
the check accepts and refuses is one rule (docs/record.md, "A given amount"), whatever the
arm and whatever else the drug declares:

- an amount in the dose's dimension is converted exactly (1,500 kIU given for a dose in
  MIU is 1.5 MIU);
- a count of the drug's own dosage form is converted by its ``strength`` (2 tablets of
  500 mg is 1,000 mg), and an amount of drug to the form when the dose is counted in it
  (750 mg is 1.5 tablets); a count is one the form can be given in (half tablets at
  most, never part of a capsule), as a regimen's doses are;
- any other amount (mL of a drug dosed in units, IU of a drug in mg, capsules of a drug
  in tablets) is refused with its file, line and field, never converted unlocated later
  (a cumulative limit once failed with "cannot express international units in mg");
- in a blinded period a placebo's given amounts are checked as its active course's are,
  and the message names no planned dose: refused or taken on one arm alone, or naming
  the dose due, it would tell the arm.

Expected values are worked by hand: the participant weighs 100 kg and starts on Monday
2027-01-04, day 1 of a 4-week period with administrations on days 1, 8 and 15.
"""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

import regimens
from regimens.cli import main

STAMP = datetime(2027, 1, 1, tzinfo=UTC)
HEAD = "date,event,drug,cycle,day,amount,level,reason\n"

# The active course's drug and dose for each dimension (a strength declared on the drug),
# with a cumulative limit in the dose's terms.
DRUGS = {
    # 2 mg/kg x 100 kg = 200 mg.
    "mass": ("route: intravenous", "2 mg/kg", "100 mg/kg"),
    # 2 MIU, flat.
    "units": ("route: intravenous", "2 MIU", "100 MIU"),
    # 10 mg/kg x 100 kg = 1,000 mg = 2 tablets of 500 mg.
    "tablets by mass": ("route: oral, strength: 500 mg/tablet", "10 mg/kg", "100 mg/kg"),
    # 2 tablets of 500 mg = 1,000 mg.
    "tablets counted": ("route: oral, strength: 500 mg/tablet", "2 tablets", "40 tablets"),
    # 50 mg of a 10 mg/mL solution = 5 mL.
    "solution": ("route: oral, strength: 10 mg/mL", "50 mg", "1000 mg"),
}


def _regimen(kind: str, blinded: bool, limit: bool) -> str:
    drug, dose, most = DRUGS[kind]
    cumulative = f", max_cumulative: {most}" if limit else ""
    return ("format: regimens/1\nid: given-amounts\ntitle: Given amounts\n"
            f"drugs:\n  d: {{name: drugd, {drug}{cumulative}}}\n"
            "arms: {act: {label: Active}, pbo: {label: Placebo}}\n"
            "periods:\n  - id: treatment\n    length: 4 weeks\n"
            f"    blinded: {'true' if blinded else 'false'}\n    courses:\n"
            f"      - {{drug: d, arms: [act], dose: {dose}, days: [1, 8, 15]}}\n"
            "      - {drug: d, arms: [pbo], placebo: true, days: [1, 8, 15]}\n")


def _expand(kind: str, blinded: bool, limit: bool, arm: str, amount: str
            ) -> regimens.Schedule:
    regimen = regimens.loads(_regimen(kind, blinded, limit), "R.yaml")
    record = regimens.read_record(HEAD + f"2027-01-04,given,d,,,{amount},,\n", name="G.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        return regimen.expand(arm, date(2027, 1, 4), regimens.Participant(weight="100 kg"),
                              record=record)


# (kind, amount given) -> on the active arm: (amount, unit, dose text) of the first
# administration, or None when refused. The placebo arm accepts and refuses the same.
ACCEPTED = {
    ("mass", "200 mg"): ("200", "mg", "200 mg"),
    ("mass", "0.15 g"): ("150", "mg", "150 mg"),
    ("units", "1500 kIU"): ("1.5", "MIU", "1.5 million units"),
    ("tablets by mass", "2 tablets"): ("1000", "mg", "2 tablets (1,000 mg)"),
    ("tablets by mass", "1 tablet"): ("500", "mg", "1 tablet (500 mg)"),
    ("tablets by mass", "1.5 tablets"): ("750", "mg", "1.5 tablets (750 mg)"),
    ("tablets by mass", "700 mg"): ("700", "mg", "700 mg"),  # a partial dose, in mg
    ("tablets counted", "2 tablets"): ("2", "tablet", "2 tablets (1,000 mg)"),
    ("tablets counted", "1000 mg"): ("2", "tablet", "2 tablets (1,000 mg)"),
    ("tablets counted", "750 mg"): ("1.5", "tablet", "1.5 tablets (750 mg)"),
    ("tablets counted", "1 g"): ("2", "tablet", "2 tablets (1,000 mg)"),
    ("solution", "5 mL"): ("50", "mg", "5 mL (50 mg)"),
    ("solution", "4 mL"): ("40", "mg", "4 mL (40 mg)"),
    ("solution", "40 mg"): ("40", "mg", "40 mg"),
}

_MASS_OR_TABLETS = "mass, or tablets of 500 mg each"
_TABLETS_OR_MASS = "tablets, or mass at 500 mg per tablet"
_MASS_OR_ML = "mass, or mL at 10 mg per mL"
# (kind, amount given) -> (what is allowed, the planned dose on the active arm, code); the
# message of a count the form is not given in is its own.
REFUSED = {
    ("mass", "1 mL"): ("mass", "200 mg", "record-wrong-dimension"),
    ("mass", "1 MIU"): ("mass", "200 mg", "record-wrong-dimension"),
    ("mass", "2 tablets"): ("mass", "200 mg", "record-wrong-dimension"),
    ("units", "1 mL"): ("international units", "2 million units", "record-wrong-dimension"),
    ("units", "2 mg"): ("international units", "2 million units", "record-wrong-dimension"),
    ("tablets by mass", "1 MIU"): (_MASS_OR_TABLETS, "2 tablets (1,000 mg)",
                                   "record-wrong-dimension"),
    ("tablets by mass", "2 mL"): (_MASS_OR_TABLETS, "2 tablets (1,000 mg)",
                                  "record-wrong-dimension"),
    ("tablets by mass", "3 capsules"): (_MASS_OR_TABLETS, "2 tablets (1,000 mg)",
                                        "record-wrong-dimension"),
    ("tablets by mass", "1 vial"): (_MASS_OR_TABLETS, "2 tablets (1,000 mg)",
                                    "record-wrong-dimension"),
    ("tablets counted", "2 capsules"): (_TABLETS_OR_MASS, "2 tablets (1,000 mg)",
                                        "record-wrong-dimension"),
    ("tablets counted", "1 MIU"): (_TABLETS_OR_MASS, "2 tablets (1,000 mg)",
                                   "record-wrong-dimension"),
    ("solution", "1 tablet"): (_MASS_OR_ML, "5 mL (50 mg)", "record-wrong-dimension"),
    ("solution", "1 MIU"): (_MASS_OR_ML, "5 mL (50 mg)", "record-wrong-dimension"),
}

# (kind, amount given) -> the message of a count the form cannot be given in.
UNSPLIT = {
    ("tablets by mass", "1.25 tablets"):
        "1.25 tablets cannot have been given: tablets are split in halves at most: give "
        "whole or half tablets",
    ("tablets counted", "0.75 tablets"):
        "0.75 tablets cannot have been given: tablets are split in halves at most: give "
        "whole or half tablets",
    # 700 mg / 500 mg = 1.4 tablets, the dose being counted in tablets.
    ("tablets counted", "700 mg"):
        "700 mg is 1.4 tablets of 500 mg each, which cannot have been given: tablets are "
        "split in halves at most: give whole or half tablets",
}

ARMS = ("act", "pbo")
FLAGS = (True, False)


def _refusal(kind: str, amount: str, blinded: bool, limit: bool, arm: str
             ) -> regimens.Problem:
    with pytest.raises(regimens.InvalidRecordError) as exc:
        _expand(kind, blinded, limit, arm, amount)
    (problem,) = exc.value.problems
    assert (problem.file, problem.line, problem.path) == ("G.csv", 2, "amount")
    return problem


@pytest.mark.parametrize("limit", FLAGS, ids=["limit", "no-limit"])
@pytest.mark.parametrize("blinded", FLAGS, ids=["blinded", "open"])
@pytest.mark.parametrize("case", list(ACCEPTED), ids=" ".join)
def test_an_amount_the_dose_can_be_given_in_is_converted_on_every_arm(
        case: tuple[str, str], blinded: bool, limit: bool) -> None:
    kind, amount = case
    first = _expand(kind, blinded, limit, "act", amount).administrations[0]
    assert (first.status.value, first.amount, first.unit, first.dose.text) == (
        "given", *ACCEPTED[case])
    placebo = _expand(kind, blinded, limit, "pbo", amount).administrations[0]
    assert (placebo.status.value, placebo.placebo) == ("given", True)


@pytest.mark.parametrize("arm", ARMS)
@pytest.mark.parametrize("limit", FLAGS, ids=["limit", "no-limit"])
@pytest.mark.parametrize("case", list(REFUSED), ids=" ".join)
def test_a_blinded_period_refuses_the_same_amounts_in_the_same_words_on_every_arm(
        case: tuple[str, str], limit: bool, arm: str) -> None:
    kind, amount = case
    allowed, _, code = REFUSED[case]
    problem = _refusal(kind, amount, True, limit, arm)
    # No planned dose named: the active arm's would tell it from the placebo's.
    assert problem.message == (
        f"the amount given must be in the dimension of drugd's dose ({allowed}); in the "
        "blinded period treatment every arm's given amounts are checked alike, naming no "
        "planned dose")
    assert problem.code == code


@pytest.mark.parametrize("limit", FLAGS, ids=["limit", "no-limit"])
@pytest.mark.parametrize("case", list(REFUSED), ids=" ".join)
def test_an_open_period_names_the_planned_dose_on_the_active_arm(
        case: tuple[str, str], limit: bool) -> None:
    kind, amount = case
    allowed, planned, code = REFUSED[case]
    problem = _refusal(kind, amount, False, limit, "act")
    assert problem.message == (f"the amount given must be in the planned dose's dimension "
                               f"({allowed}: planned {planned})")
    assert problem.code == code
    # An open-label placebo has no dose of its own: its drug's doses say the dimension
    # (checked as the active arm's, yet never counted as drug: test_placebo_totals.py).
    problem = _refusal(kind, amount, False, limit, "pbo")
    assert problem.message == (f"the amount given must be in the dimension of drugd's doses "
                               f"({allowed})")
    assert problem.code == code


@pytest.mark.parametrize("arm", ARMS)
@pytest.mark.parametrize("limit", FLAGS, ids=["limit", "no-limit"])
@pytest.mark.parametrize("blinded", FLAGS, ids=["blinded", "open"])
@pytest.mark.parametrize("case", list(UNSPLIT), ids=" ".join)
def test_a_count_the_form_cannot_be_given_in_is_refused(
        case: tuple[str, str], blinded: bool, limit: bool, arm: str) -> None:
    kind, amount = case
    problem = _refusal(kind, amount, blinded, limit, arm)
    assert (problem.message, problem.code) == (UNSPLIT[case], "record-form-count")


def test_the_error_shows_the_count_as_written() -> None:
    problem = _refusal("mass", "2 tablets", False, False, "act")
    assert problem.value == "2 tablets"


def test_a_given_count_above_the_dose_is_an_overdose() -> None:
    # 3 tablets = 1,500 mg where 2 tablets (1,000 mg) are due.
    regimen = regimens.loads(_regimen("tablets by mass", False, False), "R.yaml")
    record = regimens.read_record(HEAD + "2027-01-04,given,d,,,3 tablets,,\n", name="G.csv")
    with pytest.warns(regimens.OverdoseWarning,
                      match=r"G\.csv:2: drugd given 3 tablets \(1,500 mg\) on Mon 2027-01-04, "
                      r"more than the 2 tablets \(1,000 mg\) planned"):
        s = regimen.expand("act", date(2027, 1, 4), regimens.Participant(weight="100 kg"),
                           record=record)
    first = s.administrations[0]
    assert (first.amount, first.unit, first.dose.text) == ("1500", "mg",
                                                           "3 tablets (1,500 mg)")


def test_a_count_given_adds_up_to_the_cumulative_limit_in_mg() -> None:
    # 100 mg/kg x 100 kg = 10,000 mg. 2 tablets planned on each of days 1, 8, 15: 3,000 mg.
    # Given 19 tablets (9,500 mg) on day 1: with the 2 x 1,000 mg still planned, the first
    # (day 8) would bring it to 10,500 mg, 105 mg per kg, above 100.
    s = _expand("tablets by mass", False, True, "act", "19 tablets")
    assert s.replayed is not None
    flagged = [(f.date, f.given, f.after) for f in s.replayed.summary.cumulative]
    assert flagged == [(date(2027, 1, 11), False, 105)]


@pytest.mark.parametrize("amount", ["1 MIU", "3 capsules", "2 tablets", "3 tablets", "700 mg",
                                    "1.25 tablets"])
def test_the_command_line_gives_the_same_blinded_bytes_on_both_arms(
        amount: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "r.yaml").write_text(_regimen("tablets by mass", True, True),
                                     encoding="utf-8")
    (tmp_path / "R.csv").write_text(HEAD + f"2027-01-04,given,d,,,{amount},,\n",
                                    encoding="utf-8")
    got = {}
    for arm in ARMS:
        out = tmp_path / f"{arm}.ics"
        code = main(["expand", str(tmp_path / "r.yaml"), "--arm", arm, "--start", "2027-01-04",
                     "--weight", "100 kg", "--record", str(tmp_path / "R.csv"), "--format",
                     "ics", "--stamp", "2027-01-01T00:00:00Z", "-o", str(out)])
        got[arm] = (code, out.read_bytes() if out.exists() else None,
                    capsys.readouterr().err.replace(str(tmp_path), "TMP"))
    assert got["act"] == got["pbo"]
    assert got["act"][0] == (0 if amount in ("2 tablets", "3 tablets", "700 mg") else 2)


def test_a_given_row_fulfilling_nothing_is_converted_and_checked_alike() -> None:
    # Wednesday 2027-01-06 has no administration: the row is an unplanned dose, its amount
    # converted to the unit of the nearest planned dose (mg) or refused as a planned one is.
    regimen = regimens.loads(_regimen("tablets by mass", True, False), "R.yaml")
    for arm in ARMS:
        record = regimens.read_record(HEAD + "2027-01-06,given,d,,,1 tablet,,\n",
                                      name="G.csv")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", regimens.RegimenWarning)
            s = regimen.expand(arm, date(2027, 1, 4), regimens.Participant(weight="100 kg"),
                               record=record)
        extra = [a for a in s.administrations if a.date == date(2027, 1, 6)]
        assert [(a.amount, a.unit, a.dose.text) for a in extra] == [
            ("500", "mg", "1 tablet (500 mg)")]
        record = regimens.read_record(HEAD + "2027-01-06,given,d,,,1 capsule,,\n",
                                      name="G.csv")
        with pytest.raises(regimens.InvalidRecordError) as exc:
            regimen.expand(arm, date(2027, 1, 4), regimens.Participant(weight="100 kg"),
                           record=record)
        (problem,) = exc.value.problems
        assert (problem.line, problem.path, problem.code) == (2, "amount",
                                                              "record-wrong-dimension")


def test_another_dimension_is_said_before_the_parts_of_a_form() -> None:
    # 1.25 tablets of a drug dosed in units: the dimension is what is wrong.
    problem = _refusal("units", "1.25 tablets", False, False, "act")
    assert (problem.message, problem.code, problem.value) == (
        "the amount given must be in the planned dose's dimension (international units: "
        "planned 2 million units)", "record-wrong-dimension", "1.25 tablets")


def _solution(dose: str) -> regimens.Regimen:
    return regimens.loads(
        "format: regimens/1\nid: sol\ntitle: Solution\n"
        "drugs: {s: {name: drugs, route: oral, strength: 30 mg/mL}}\n"
        "arms: {x: {label: X}}\nperiods:\n  - id: p\n    length: 1 week\n    courses:\n"
        f"      - {{drug: s, dose: {dose}, days: [1]}}\n", "S.yaml")


def test_an_amount_of_drug_not_an_exact_count_of_the_form_is_refused() -> None:
    # 100 mg / 30 mg per mL = 3.333... mL: no exact amount in the mL the dose is counted in.
    record = regimens.read_record(HEAD + "2027-01-04,given,s,,,100 mg,,\n", name="G.csv")
    with pytest.raises(regimens.InvalidRecordError) as exc:
        _solution("5 mL").expand("x", date(2027, 1, 4), record=record)
    (problem,) = exc.value.problems
    assert (problem.line, problem.path, problem.message, problem.code) == (
        2, "amount", "100 mg is not an exact number of mL at 30 mg per mL: write the mL given",
        "record-form-count")
    # 90 mg is 3 mL exactly (30 x 3), shown as the plan shows a dose: "3 mL (90 mg)".
    record = regimens.read_record(HEAD + "2027-01-04,given,s,,,90 mg,,\n", name="G.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        first = _solution("5 mL").expand("x", date(2027, 1, 4), record=record
                                         ).administrations[0]
    assert (first.amount, first.unit, first.dose.text) == ("3", "mL", "3 mL (90 mg)")


def _placebo_only(limit: str) -> regimens.Regimen:
    return regimens.loads(
        "format: regimens/1\nid: pbo\ntitle: Placebo only\n"
        f"drugs: {{p: {{name: drugp, route: intravenous{limit}}}}}\n"
        "arms: {x: {label: X}}\nperiods:\n  - id: p\n    length: 1 week\n    courses:\n"
        "      - {drug: p, placebo: true, days: [1]}\n", "P.yaml")


def test_a_drug_given_only_as_placebo_takes_its_dimension_from_its_limit() -> None:
    # No dose of the drug says a dimension: its max_cumulative (mg) does; without one the
    # amount is kept as written (nothing adds it up in another unit).
    def given(regimen: regimens.Regimen, amount: str) -> regimens.Administration:
        record = regimens.read_record(HEAD + f"2027-01-04,given,p,,,{amount},,\n",
                                      name="G.csv")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", regimens.RegimenWarning)
            return regimen.expand("x", date(2027, 1, 4), record=record).administrations[0]

    limited = _placebo_only(", max_cumulative: 100 mg")
    first = given(limited, "2 g")
    assert (first.amount, first.unit, first.dose.text) == ("2000", "mg", "2,000 mg")
    with pytest.raises(regimens.InvalidRecordError) as exc:
        given(limited, "1 MIU")
    (problem,) = exc.value.problems
    assert (problem.line, problem.path, problem.message, problem.code) == (
        2, "amount", "the amount given must be in the dimension of drugp's doses (mass)",
        "record-wrong-dimension")
    first = given(_placebo_only(""), "1 mL")
    assert (first.amount, first.unit, first.dose.text) == ("1", "mL", "1 mL")


def test_a_blinded_placebo_takes_the_dimension_its_amount_is_in() -> None:
    # Two active arms dosed in two dimensions (mass and units) and one placebo: the
    # placebo's amount is taken in the unit of the active dose whose dimension it is in.
    regimen = regimens.loads(
        "format: regimens/1\nid: two\ntitle: Two dimensions\n"
        "drugs: {d: {name: drugd, route: intravenous}}\n"
        "arms: {hi: {label: A}, lo: {label: B}, pbo: {label: P}}\n"
        "periods:\n  - id: t\n    length: 1 week\n    blinded: true\n    courses:\n"
        "      - {drug: d, arms: [hi], dose: 2 mg, days: [1]}\n"
        "      - {drug: d, arms: [lo], dose: 1 MIU, days: [1]}\n"
        "      - {drug: d, arms: [pbo], placebo: true, days: [1]}\n", "T.yaml")
    for amount, expected in (("1000 kIU", ("1", "MIU")), ("2000 mcg", ("2", "mg"))):
        record = regimens.read_record(HEAD + f"2027-01-04,given,d,,,{amount},,\n",
                                      name="G.csv")
        first = regimen.expand("pbo", date(2027, 1, 4), record=record).administrations[0]
        assert (first.amount, first.unit) == expected
