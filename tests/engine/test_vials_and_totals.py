"""Each dose's vials and the participant's totals per drug (the end of the dose sheet),
against values worked out by hand."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import regimens
from regimens.quantities import parse_amount

HEAD = """\
format: regimens/1
id: demo
title: Demo
drugs:
  mab: {name: demo-mab, route: intravenous, vials: [100 mg, 500 mg]}
  il2: {name: aldesleukin, route: subcutaneous}
  pred: {name: prednisone, route: oral}
arms:
  a: {label: A}
"""

MAB = HEAD + """\
periods:
  - id: t
    length: 6 weeks
    courses:
      - {drug: mab, dose: 10 mg/kg, cycle: 3 weeks, days: [1]}
"""


def _expand(doc: str, weight: str = "72 kg", arm: str = "a") -> regimens.Schedule:
    return regimens.loads(doc, "r.yaml").expand(arm, "2027-01-04",
                                                regimens.Participant(weight=weight))


# weight, dose (10 mg/kg), vials (largest first), waste: worked out by hand.
@pytest.mark.parametrize(("weight", "dose", "vials", "waste"), [
    # 720 mg: 500 + 3 x 100 = 800 (waste 80); 2 x 500 wastes 280, 8 x 100 has more vials.
    ("72 kg", "720", [("500 mg", 1), ("100 mg", 3)], "80"),
    # 450 mg: 1 x 500 and 5 x 100 both waste 50: the single vial.
    ("45 kg", "450", [("500 mg", 1)], "50"),
    # 1000 mg exactly: two 500 mg vials, no waste.
    ("100 kg", "1000", [("500 mg", 2)], "0"),
    # 400 mg: four 100 mg vials waste nothing; one 500 mg vial would waste 100.
    ("40 kg", "400", [("100 mg", 4)], "0"),
    # 500.1 mg (50.01 kg): a second vial, 99.9 mg wasted.
    ("50.01 kg", "500.1", [("500 mg", 1), ("100 mg", 1)], "99.9"),
])
def test_each_dose_has_its_vials(weight: str, dose: str, vials: list[tuple[str, int]],
                                 waste: str) -> None:
    s = _expand(MAB, weight)
    for a in s.administrations:
        assert a.amount == dose
        assert a.dose.vials is not None
        assert [(str(size), n) for size, n in a.dose.vials.vials] == vials
        assert str(a.dose.vials.waste) == f"{waste} mg"


def test_totals_with_vials() -> None:
    (total,) = _expand(MAB).totals
    assert (total.drug, total.drug_name, total.administrations) == ("mab", "demo-mab", 2)
    assert (total.placebo, total.unspecified) == (0, 0)
    assert total.amounts == (parse_amount("1440 mg"),)
    assert [(str(size), n) for size, n in total.vials] == [("500 mg", 2), ("100 mg", 6)]
    assert total.waste == parse_amount("160 mg")


def test_dose_sheet_table() -> None:
    text = _expand(MAB).to_table()
    assert "Vials" in text
    assert "1 × 500 mg + 3 × 100 mg (80 mg waste)" in text
    tail = text.rstrip("\n").split("\n")[-3:]
    assert tail[0] == "Totals for this participant:"
    assert tail[1].split() == ["Drug", "Administrations", "Cumulative", "dose", "Vials"]
    assert tail[2].split() == ["demo-mab", "2", "1,440", "mg", "2", "×", "500", "mg", "+", "6",
                               "×", "100", "mg", "(160", "mg", "waste)"]


def test_dose_sheet_calendar() -> None:
    text = _expand(MAB).to_calendar()
    assert text.endswith("Totals for this participant:\n  demo-mab: 2 administrations, "
                         "1,440 mg; vials 2 × 500 mg + 6 × 100 mg (160 mg waste)\n")


def test_dose_sheet_json() -> None:
    s = _expand(MAB)
    data = json.loads(s.to_json())
    assert s.to_json() == json.dumps(s.to_dict(), indent=2, ensure_ascii=False) + "\n"
    first = data["administrations"][0]
    assert first["vials"] == [{"size": "500", "unit": "mg", "count": 1},
                              {"size": "100", "unit": "mg", "count": 3}]
    assert first["waste"] == {"amount": "80", "unit": "mg"}
    assert list(data)[-1] == "totals"
    assert data["totals"] == [{
        "drug": "mab", "drug_name": "demo-mab", "administrations": 2, "placebo": 0,
        "unspecified": 0, "amounts": [{"amount": "1440", "unit": "mg", "text": "1,440 mg"}],
        "vials": [{"size": "500", "unit": "mg", "count": 2},
                  {"size": "100", "unit": "mg", "count": 6}],
        "waste": {"amount": "160", "unit": "mg"}, "placebo_labelled": []}]


def test_dose_sheet_csv_appends_vial_columns() -> None:
    # The regimen declares vials: four columns end every row (after all the others, so a
    # reader by position keeps its columns); 720 mg is 1 x 500 + 3 x 100 mg, 80 mg waste.
    lines = _expand(MAB).to_csv().split("\n")
    header = lines[0].split(",")
    assert header[-4:] == ["vials", "vial_count", "waste_amount", "waste_unit"]
    no_vials = HEAD.replace(", vials: [100 mg, 500 mg]", "") + MAB[len(HEAD):]
    assert header[:-4] == _expand(no_vials).to_csv().split("\n")[0].split(",")
    assert lines[1].split(",")[-4:] == ["1 x 500 mg + 3 x 100 mg", "4", "80", "mg"]


def test_dose_sheet_csv_vial_cells_empty_for_a_drug_without_vials() -> None:
    doc = MAB.replace("days: [1]}\n", "days: [1]}\n      - {drug: pred, dose: 5 mg, days: [2]}\n")
    lines = _expand(doc).to_csv().rstrip("\n").split("\n")
    rows = [line.split(",") for line in lines[1:]]
    assert [(r[5], r[-4:]) for r in rows] == [
        ("mab", ["1 x 500 mg + 3 x 100 mg", "4", "80", "mg"]),
        ("pred", ["", "", "", ""]),
        ("mab", ["1 x 500 mg + 3 x 100 mg", "4", "80", "mg"])]


def test_csv_without_vials_keeps_its_columns() -> None:
    # No drug of the regimen has vials: no vial columns (golden files stay byte-identical).
    doc = HEAD.replace(", vials: [100 mg, 500 mg]", "") + MAB[len(HEAD):]
    assert "vials" not in _expand(doc).to_csv().split("\n")[0]


MIXED = HEAD + """\
periods:
  - id: t
    length: 1 week
    courses:
      - {drug: il2, dose: 1 MIU, days: [1]}
      - {drug: il2, dose: 500000 IU, days: [2]}
      - {drug: il2, dose: 2 mg, days: [3]}
      - {drug: pred, placebo: true, days: [1, 2]}
      - {drug: pred, dose: unspecified, dose_note: titrated, days: [3]}
"""


def test_totals_add_within_a_dimension_only() -> None:
    il2, pred = _expand(MIXED).totals
    # 1 MIU + 500,000 IU = 1,500,000 IU (in the smaller unit); mg stay apart.
    assert il2.amounts == (regimens.Amount(Decimal(1_500_000), regimens.Unit(
        "IU", regimens.Dimension.ACTIVITY, Decimal(1))), parse_amount("2 mg"))
    assert il2.administrations == 3
    assert (pred.administrations, pred.placebo, pred.unspecified, pred.amounts) == (3, 2, 1, ())
    text = _expand(MIXED).to_table()
    assert "1.5 million units and 2 mg" in text  # safe notation: millions in words
    assert "3 (2 placebo, 1 without a stated amount)" in text


def test_totals_order_follows_the_drugs() -> None:
    doc = HEAD + """\
periods:
  - id: t
    length: 1 week
    courses:
      - {drug: pred, dose: 5 mg, days: [1]}
      - {drug: il2, dose: 1 MIU, days: [2]}
"""
    assert [t.drug for t in _expand(doc).totals] == ["il2", "pred"]


def test_blinded_calendar_has_no_totals() -> None:
    doc = HEAD + """\
periods:
  - id: t
    length: 1 week
    blinded: true
    courses:
      - {drug: il2, dose: 1 MIU, days: [1]}
"""
    s = _expand(doc)
    assert "Totals" not in s.to_calendar()
    assert "Totals" in s.to_calendar(blinded=False)
    assert s.to_table().endswith("aldesleukin  1                1 million units\n")


def test_vials_written_back() -> None:
    regimen = regimens.loads(MAB, "r.yaml")
    assert regimen.drug("mab").vials == (parse_amount("100 mg"), parse_amount("500 mg"))
    assert regimens.loads(regimens.dumps(regimen), "again.yaml") == regimen


@pytest.mark.parametrize(("vials", "message"), [
    (("100 mg", "0.1 g"), "a vial size is listed twice"),
    (("100 mg", "1 MIU"), "vial sizes measure one dimension"),
])
def test_drug_in_python(vials: tuple[str, ...], message: str) -> None:
    with pytest.raises(regimens.InvalidRegimenError, match=message):
        regimens.Drug("mab", "demo-mab", "intravenous", vials=tuple(
            parse_amount(v) for v in vials))
