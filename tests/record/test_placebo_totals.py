"""A placebo administration is no amount of its drug (docs/record.md, "A placebo given"
and "Cumulative limits"): a dose recorded as given on a placebo arm (blinded staff write
the labelled amount they injected; a row without an amount gives the dose planned) counts
as a placebo administration, never towards the drug's cumulative dose, its summary's
given and planned totals, its RDI or its ``max_cumulative``; the unblinded totals and
summary say what the placebo arm got "as labelled".

Table-driven: arm (active, placebo) x record (day 1 given as planned, two doses given
with an amount) x limit
(max_cumulative 3 MIU or none) x format (the API, table, JSON, CSV). Expected values by
hand: drug d, 2 MIU flat on days 1, 8 and 15 (Mondays 2027-01-04, -11, -18) on the
active arm, its matching placebo on the same days on the placebo arm; one record gives
day 1 as planned (no amount: 2 MIU on the active arm, the placebo on the other), the
other 2 MIU on days 1 and 8.

- Active arm: cumulative dose 2 + 2 + 2 = 6 MIU either way; given 2 + 2 = 4 MIU of 6 MIU
  planned (66.7%), or 2 MIU (33.3%) with day 1 alone. With the 3 MIU limit and day 1
  given, the dose planned on 2027-01-11 would bring 2 MIU to 4 MIU; with both
  given, the one given on 2027-01-11 brought it to 4 MIU (a deviation) and the one planned
  on 2027-01-18 would bring it to 6 MIU.
- Placebo arm: none of drug d at all: cumulative dose none, given nothing of nothing
  planned, no cumulative warning whatever the limit; the two placebo doses given as
  labelled add up to 4 MIU, said as such (a placebo given with no amount: none said).
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import regimens
from regimens.cli import main
from regimens.quantities import Amount, unit

HEAD = "date,event,drug,cycle,day,amount,level,reason\n"
RECORDS = {"planned": HEAD + "2027-01-04,given,d,,,,,\n",
           "given": HEAD + "2027-01-04,given,d,,,2 MIU,,\n2027-01-11,given,d,,,2 MIU,,\n"}
ARMS = ("act", "pbo")
LIMITS = (True, False)


def _regimen(limit: bool, blinded: bool = False) -> str:
    most = ", max_cumulative: 3 MIU" if limit else ""
    return ("format: regimens/1\nid: pbo-totals\ntitle: Placebo totals\n"
            f"drugs:\n  d: {{name: drugd, route: subcutaneous{most}}}\n"
            "arms: {act: {label: Active}, pbo: {label: Placebo}}\n"
            "periods:\n  - id: treatment\n    length: 4 weeks\n"
            f"    blinded: {'true' if blinded else 'false'}\n    courses:\n"
            "      - {drug: d, arms: [act], dose: 2 MIU, days: [1, 8, 15]}\n"
            "      - {drug: d, arms: [pbo], placebo: true, days: [1, 8, 15]}\n")


def _expand(arm: str, record: str, limit: bool) -> regimens.Schedule:
    regimen = regimens.loads(_regimen(limit), "R.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        return regimen.expand(arm, date(2027, 1, 4),
                              record=regimens.read_record(RECORDS[record], name="P.csv"))


def _miu(n: int) -> Amount:
    return Amount(Decimal(n), unit("MIU"))


# (arm, record) -> (cumulative dose, placebo administrations, placebo as labelled,
#                   summary given total, summary planned total, placebo doses given)
FIGURES = {
    ("act", "planned"): ((_miu(6),), 0, (), (_miu(2),), (_miu(6),), 0),
    ("act", "given"): ((_miu(6),), 0, (), (_miu(4),), (_miu(6),), 0),
    ("pbo", "planned"): ((), 3, (), (), (), 1),
    ("pbo", "given"): ((), 3, (_miu(4),), (), (), 2),
}

# (arm, record) with the limit -> the cumulative warnings, in order.
DEVIATION = ("d (drugd): the administration given on 2027-01-11 brought the cumulative dose "
             "to 4 million units, above max_cumulative 3 million units (2 million units "
             "before it)")
WARNINGS = {
    ("act", "planned"): ("d (drugd): the administration planned on 2027-01-11 would bring the "
                         "cumulative dose to 4 million units, above max_cumulative 3 million "
                         "units (2 million units before it); review before giving it",),
    ("act", "given"): (DEVIATION,
                       "d (drugd): the administration planned on 2027-01-18 would bring the "
                       "cumulative dose to 6 million units, above max_cumulative 3 million "
                       "units (4 million units before it); review before giving it"),
    ("pbo", "planned"): (),
    ("pbo", "given"): (),
}

CASES = [(arm, record, limit) for arm in ARMS for record in RECORDS for limit in LIMITS]
IDS = [f"{arm}-{record}-{'limit' if limit else 'no-limit'}" for arm, record, limit in CASES]


@pytest.mark.parametrize(("arm", "record", "limit"), CASES, ids=IDS)
def test_the_totals_and_summary_count_no_placebo_as_drug(arm: str, record: str,
                                                          limit: bool) -> None:
    s = _expand(arm, record, limit)
    amounts, placebo, labelled, given, planned, placebo_given = FIGURES[arm, record]
    (total,) = s.totals
    assert (total.administrations, total.placebo, total.amounts, total.placebo_labelled) == (
        3, placebo, amounts, labelled)
    assert s.replayed is not None
    (drug,) = s.replayed.summary.drugs
    assert (drug.given_total, drug.planned_total, drug.placebo_given,
            drug.placebo_labelled) == (given, planned, placebo_given, labelled)
    assert drug.count("given") == (2 if record == "given" else 1)
    if arm == "pbo":
        assert (drug.intensity, drug.intensity_started) == (None, None)


@pytest.mark.parametrize(("arm", "record", "limit"), CASES, ids=IDS)
def test_a_cumulative_limit_counts_no_placebo(arm: str, record: str, limit: bool) -> None:
    s = _expand(arm, record, limit)
    found = tuple(str(w) for w in s.warnings if isinstance(w, regimens.CumulativeDoseWarning))
    assert found == (WARNINGS[arm, record] if limit else ())
    assert s.replayed is not None
    summary = s.replayed.summary
    assert tuple(str(f.warning) for f in summary.cumulative) == found
    assert (DEVIATION in " ".join(summary.deviations)) == (
        limit and (arm, record) == ("act", "given"))


def _cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], arm: str, record: str,
         limit: bool, fmt: str) -> str:
    (tmp_path / "r.yaml").write_text(_regimen(limit), encoding="utf-8")
    (tmp_path / "p.csv").write_text(RECORDS[record], encoding="utf-8")
    code = main(["expand", str(tmp_path / "r.yaml"), "--arm", arm, "--start", "2027-01-04",
                 "--record", str(tmp_path / "p.csv"), "--format", fmt])
    out = capsys.readouterr().out
    assert code == 0
    return out


# (arm, record) -> the totals' row and the summary's lines of the table.
TABLE = {
    ("act", "planned"): (["drugd", "3", "6 million units"],
                         ["  drugd (d): 1 given, 2 planned",
                          "    given 2 million units of 6 million units planned (33.3%); "
                          "cycles started: 2 million units planned (100.0%)"]),
    ("act", "given"): (["drugd", "3", "6 million units"],
                       ["  drugd (d): 2 given, 1 planned",
                        "    given 4 million units of 6 million units planned (66.7%); "
                        "cycles started: 4 million units planned (100.0%)"]),
    ("pbo", "planned"): (["drugd", "3 (3 placebo)", "none (placebo)"],
                         ["  drugd (d): 1 given (1 as placebo), 2 planned",
                          "    given nothing of nothing planned; cycles started: nothing "
                          "planned",
                          "    relative dose intensity: none: every administration of drugd "
                          "is a placebo"]),
    ("pbo", "given"): (["drugd", "3 (3 placebo)",
                        "none (placebo: 4 million units as labelled)"],
                       ["  drugd (d): 2 given (2 as placebo: 4 million units as labelled), "
                        "1 planned",
                        "    given nothing of nothing planned; cycles started: nothing "
                        "planned",
                        "    relative dose intensity: none: every administration of drugd "
                        "is a placebo"]),
}


@pytest.mark.parametrize(("arm", "record", "limit"), CASES, ids=IDS)
def test_the_table(tmp_path: Path, capsys: pytest.CaptureFixture[str], arm: str, record: str,
                   limit: bool) -> None:
    out = _cli(tmp_path, capsys, arm, record, limit, "table").splitlines()
    row, summary = TABLE[arm, record]
    heading = next(i for i, line in enumerate(out) if line.startswith("Totals for this"))
    assert re.split(r"\s{2,}", out[heading + 2].strip()) == row
    start = out.index(next(line for line in out if line.startswith("Record ")
                           and line.endswith(":") and "(" not in line))
    assert out[start + 1:start + 1 + len(summary)] == summary
    assert ("above max_cumulative" in "\n".join(out)) == (limit and arm == "act")


def _json_amounts(amounts: tuple[Amount, ...], text: bool) -> list[dict[str, str]]:
    words = {"2": "2 million units", "4": "4 million units", "6": "6 million units"}
    return [{"amount": str(a.magnitude), "unit": "MIU",
             **({"text": words[str(a.magnitude)]} if text else {})} for a in amounts]


@pytest.mark.parametrize(("arm", "record", "limit"), CASES, ids=IDS)
def test_the_json(tmp_path: Path, capsys: pytest.CaptureFixture[str], arm: str, record: str,
                  limit: bool) -> None:
    data = json.loads(_cli(tmp_path, capsys, arm, record, limit, "json"))
    amounts, placebo, labelled, given, planned, placebo_given = FIGURES[arm, record]
    (total,) = data["totals"]
    assert (total["administrations"], total["placebo"], total["amounts"],
            total["placebo_labelled"]) == (3, placebo, _json_amounts(amounts, True),
                                           _json_amounts(labelled, True))
    (drug,) = data["summary"]["drugs"]
    assert (drug["given"], drug["given_total"], drug["planned_total"], drug["placebo_given"],
            drug["placebo_labelled"]) == (
        2 if record == "given" else 1, _json_amounts(given, False),
        _json_amounts(planned, False), placebo_given, _json_amounts(labelled, False))
    assert data["summary"]["cumulative"] == list(WARNINGS[arm, record] if limit else ())


@pytest.mark.parametrize(("arm", "record", "limit"), CASES, ids=IDS)
def test_the_csv_marks_each_placebo_row(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        arm: str, record: str, limit: bool) -> None:
    # One row per administration: a placebo's row says so, so that a sum of the amounts
    # of the rows that are not placebo is the drug's cumulative dose (6 MIU, or nothing).
    rows = list(csv.DictReader(io.StringIO(_cli(tmp_path, capsys, arm, record, limit,
                                                "csv"))))
    assert [r["placebo"] for r in rows] == ["true" if arm == "pbo" else "false"] * 3
    drug = sum(int(r["amount"]) for r in rows if r["placebo"] == "false")
    assert drug == (6 if arm == "act" else 0)


BLINDED = [(record, limit, fmt) for record in RECORDS for limit in LIMITS
           for fmt in ("ics", "calendar", "html", "diary")]


@pytest.mark.parametrize(("record", "limit", "fmt"), BLINDED,
                         ids=[f"{r}-{'limit' if m else 'no-limit'}-{f}" for r, m, f in BLINDED])
def test_the_blinded_outputs_are_the_same_on_every_arm(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        record: str, limit: bool, fmt: str) -> None:
    # The active arm's cumulative warnings, the placebo's "as labelled": none of it in a
    # blinded output, which is byte for byte the same on both arms (stdout, stderr, status).
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    (tmp_path / "r.yaml").write_text(_regimen(limit, blinded=True), encoding="utf-8")
    (tmp_path / "p.csv").write_text(RECORDS[record], encoding="utf-8")
    seen = set()
    for arm in ARMS:
        code = main(["expand", str(tmp_path / "r.yaml"), "--arm", arm, "--start",
                     "2027-01-04", "--record", str(tmp_path / "p.csv"), "--format", fmt,
                     "--blinded"])
        out = capsys.readouterr()
        assert "as labelled" not in out.out + out.err
        seen.add((code, out.out, out.err))
    assert len(seen) == 1
