"""A ``reduce`` row that asks for the dose in force already changes nothing: a
RecordWarning, said in its line of the changes, and left out of the summary's Reductions
(cold try 5, finding 1: two ``reduce pac -1`` rows on one day read as two reductions, a
CRF tally of 2 instead of 1, without a word).

The regimen is the reproducer's (cold try 5, cp.yaml): carboplatin AUC 5 on day 1 (levels
-1: AUC 4, -2: AUC 3) and paclitaxel 80 mg/m2 on days 1, 8, 15 (levels -1: 70 mg/m2, -2:
60 mg/m2) of four 21-day cycles from Mon 2027-01-04, re_escalate true; 170 cm, 70 kg,
GFR 80 mL/min. By hand: BSA sqrt(170 x 70 / 3600) = 1.8181 -> 1.82 m2; paclitaxel level 0
80 x 1.82 = 145.6 mg, level -1 70 x 1.82 = 127.4 mg, 80% of 145.6 = 116.48 mg;
carboplatin AUC 5 x (80 + 25) = 525 mg, level -1 AUC 4 x 105 = 420 mg. Paclitaxel's days:
cycle 1 Mon 01-04, 01-11, 01-18; cycle 2 01-25, 02-01, 02-08; cycle 3 02-15, 02-22,
03-01; cycle 4 03-08, 03-15, 03-22.
"""

from __future__ import annotations

import warnings

import pytest

import regimens
from regimens import Participant, RecordWarning, read_record
from support.cold5 import CP
from support.records import RECORD_HEADER


def _replay(rows: str, levels: dict[str, int] | None = None
            ) -> tuple[regimens.Schedule, list[str]]:
    regimen = regimens.loads(CP, "cp.yaml")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = regimen.expand("cp", "2027-01-04",
                           Participant(weight="70 kg", height="170 cm", gfr="80 mL/min"),
                           record=read_record(RECORD_HEADER + rows, name="e9.csv"),
                           levels=levels)
    return s, [str(w.message) for w in caught if w.category is RecordWarning]


def _idle(line: int, to: str, on: str, why: str, drug: str = "paclitaxel") -> str:
    return (f"e9.csv:{line}: the reduction of {drug} to {to} from {on} changes nothing: "
            f"{why}")


CASES = [
    # id, rows, warnings (by hand), the summary's Reductions
    ("by level, twice on one day",
     "2027-01-11,reduce,pac,,,,-1,\n2027-01-11,reduce,pac,,,,-1,\n",
     [_idle(3, "dose level -1", "2027-01-11",
            "dose level -1 from 2027-01-11 is in force already (line 2)")],
     ["pac: dose level -1 from 2027-01-11 (line 2)"]),
    ("by percent, a week later",
     "2027-01-11,reduce,pac,,,,80%,\n2027-01-18,reduce,pac,,,,80%,\n",
     [_idle(3, "80% of the level-0 dose", "2027-01-18",
            "80% of the level-0 dose from 2027-01-11 is in force already (line 2)")],
     ["pac: 80% of the level-0 dose from 2027-01-11 (line 2)"]),
    ("both, then the level alone",
     "2027-01-11,reduce,pac,,,,-1 (87.5%),\n2027-01-18,reduce,pac,,,,-1,\n",
     [_idle(3, "dose level -1", "2027-01-18",
            "dose level -1 (87.5%) from 2027-01-11 is in force already (line 2)")],
     ["pac: dose level -1 (87.5%) from 2027-01-11 (line 2)"]),
    ("the level alone, then both",
     "2027-01-11,reduce,pac,,,,-1,\n2027-01-18,reduce,pac,,,,-1 (87.5%),\n",
     [_idle(3, "dose level -1 (87.5%)", "2027-01-18",
            "dose level -1 from 2027-01-11 is in force already (line 2)")],
     ["pac: dose level -1 from 2027-01-11 (line 2)"]),
    ("from a cycle, inside a reduction from a date",
     "2027-01-11,reduce,pac,,,,-1,\n2027-01-12,reduce,pac,3,,,-1,\n",
     [_idle(3, "dose level -1", "2027-01-12",
            "dose level -1 from 2027-01-11 is in force already (line 2)")],
     ["pac: dose level -1 from 2027-01-11 (line 2)"]),
    ("after a re-escalation to level 0",
     "2027-01-11,reduce,pac,,,,-1,\n2027-01-25,reduce,pac,,,,0,\n"
     "2027-02-01,reduce,pac,,,,0,\n",
     [_idle(4, "dose level 0", "2027-02-01",
            "dose level 0 from 2027-01-25 is in force already (line 3)")],
     ["pac: dose level -1 from 2027-01-11 (line 2)", "pac: dose level 0 from 2027-01-25 (line 3)"]),
    ("100% after a re-escalation to level 0 (the same dose)",
     "2027-01-11,reduce,pac,,,,-1,\n2027-01-25,reduce,pac,,,,0,\n"
     "2027-02-01,reduce,pac,,,,100%,\n",
     [_idle(4, "100% of the level-0 dose", "2027-02-01",
            "dose level 0 from 2027-01-25 is in force already (line 3)")],
     ["pac: dose level -1 from 2027-01-11 (line 2)", "pac: dose level 0 from 2027-01-25 (line 3)"]),
    ("per drug: each drug's own level",
     "2027-01-11,reduce,pac,,,,-1,\n2027-01-11,reduce,carbo,,,,-1,\n"
     "2027-01-25,reduce,carbo,,,,-1,\n",
     [_idle(4, "dose level -1", "2027-01-25",
            "dose level -1 from 2027-01-11 is in force already (line 3)", "carboplatin")],
     ["pac: dose level -1 from 2027-01-11 (line 2)",
      "carbo: dose level -1 from 2027-01-11 (line 3)"]),
    # Three times (review A, 6: r1.csv): the third names the row in force, line 2, never
    # line 3, itself said to change nothing.
    ("by level, three times a week apart",
     "2027-01-11,reduce,pac,,,,-1,\n2027-01-18,reduce,pac,,,,-1,\n"
     "2027-01-25,reduce,pac,,,,-1,\n",
     [_idle(3, "dose level -1", "2027-01-18",
            "dose level -1 from 2027-01-11 is in force already (line 2)"),
      _idle(4, "dose level -1", "2027-01-25",
            "dose level -1 from 2027-01-11 is in force already (line 2)")],
     ["pac: dose level -1 from 2027-01-11 (line 2)"]),
    ("by percent, three times",
     "2027-01-11,reduce,pac,,,,80%,\n2027-01-18,reduce,pac,,,,80%,\n"
     "2027-01-25,reduce,pac,,,,80%,\n",
     [_idle(3, "80% of the level-0 dose", "2027-01-18",
            "80% of the level-0 dose from 2027-01-11 is in force already (line 2)"),
      _idle(4, "80% of the level-0 dose", "2027-01-25",
            "80% of the level-0 dose from 2027-01-11 is in force already (line 2)")],
     ["pac: 80% of the level-0 dose from 2027-01-11 (line 2)"]),
    ("the level, with its percentage, then alone again",
     "2027-01-11,reduce,pac,,,,-1,\n2027-01-18,reduce,pac,,,,-1 (87.5%),\n"
     "2027-01-25,reduce,pac,,,,-1,\n",
     [_idle(3, "dose level -1 (87.5%)", "2027-01-18",
            "dose level -1 from 2027-01-11 is in force already (line 2)"),
      _idle(4, "dose level -1", "2027-01-25",
            "dose level -1 from 2027-01-11 is in force already (line 2)")],
     ["pac: dose level -1 from 2027-01-11 (line 2)"]),
    ("from a cycle between two from a date",
     "2027-01-11,reduce,pac,,,,-1,\n2027-01-12,reduce,pac,3,,,-1,\n"
     "2027-01-25,reduce,pac,,,,-1,\n",
     [_idle(3, "dose level -1", "2027-01-12",
            "dose level -1 from 2027-01-11 is in force already (line 2)"),
      _idle(4, "dose level -1", "2027-01-25",
            "dose level -1 from 2027-01-11 is in force already (line 2)")],
     ["pac: dose level -1 from 2027-01-11 (line 2)"]),
    # Changes something: no warning, both counted.
    ("a deeper level", "2027-01-11,reduce,pac,,,,-1,\n2027-01-18,reduce,pac,,,,-2,\n", [],
     ["pac: dose level -1 from 2027-01-11 (line 2)",
      "pac: dose level -2 from 2027-01-18 (line 3)"]),
    # Line 3 reaches cycles 1 and 2 from 01-11, at level 0 until then: it changes them.
    ("from a date, before a reduction from a later cycle",
     "2027-01-05,reduce,pac,3,,,-1,\n2027-01-11,reduce,pac,,,,-1,\n", [],
     ["pac: dose level -1 from cycle 3 (line 2)", "pac: dose level -1 from 2027-01-11 (line 3)"]),
    # -1 is 87.5% of the level-0 dose, but a level and a percentage alone are two doses
    # (each rounded its own way): said only when the same level, or the same percentage.
    ("a level, then its percentage alone",
     "2027-01-11,reduce,pac,,,,-1,\n2027-01-18,reduce,pac,,,,87.5%,\n", [],
     ["pac: dose level -1 from 2027-01-11 (line 2)",
      "pac: 87.5% of the level-0 dose from 2027-01-18 (line 3)"]),
]


@pytest.mark.parametrize(("rows", "expected", "reductions"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_reduction_to_the_dose_in_force_changes_nothing(
        rows: str, expected: list[str], reductions: list[str]) -> None:
    s, said = _replay(rows)
    assert said == expected
    assert s.replayed is not None
    assert list(s.replayed.summary.reductions) == reductions
    for text in expected:
        line = text.split(":")[1]
        change = next(c for c in s.replayed.changes if f"(line {line})" in c.split(";")[0])
        assert change.endswith("; changes nothing: " + text.split("changes nothing: ")[1])


def test_the_doses_name_the_row_in_force() -> None:
    s, _ = _replay("2027-01-11,reduce,pac,,,,-1,\n2027-01-11,reduce,pac,,,,-1,\n")
    pac = [a for a in s.administrations if a.drug == "pac"]
    assert [str(a.dose.amount) for a in pac] == ["145.6 mg"] + ["127.4 mg"] * 11
    for a in pac[1:]:
        assert a.record_note is not None
        assert "dose level -1 from 2027-01-11 (record line 2)" in a.record_note
        assert "record line 3" not in a.record_note


def test_the_level_the_plan_is_expanded_at() -> None:
    s, said = _replay("2027-01-11,reduce,pac,,,,-1,\n", levels={"pac": -1})
    assert said == [_idle(2, "dose level -1", "2027-01-11",
                          "dose level -1 is in force already: the level the plan is expanded "
                          "at (--level pac=-1, or levels={'pac': -1})")]
    assert s.replayed is not None
    assert s.replayed.summary.reductions == ()


def test_level_0_with_nothing_to_undo_keeps_its_words() -> None:
    # Said before this rule, in its own words, and kept in the summary (docs/record.md,
    # "Dose changes").
    s, said = _replay("2027-01-11,reduce,pac,,,,0,\n")
    assert said == ["e9.csv:2: the reduction of paclitaxel to dose level 0 changes nothing: "
                    "no reduction before it to undo (dose level 0 is the dose as written)"]
    assert s.replayed is not None
    assert s.replayed.summary.reductions == (
        "pac: dose level 0 from 2027-01-11 (line 2); changes nothing: no reduction before it "
        "to undo (dose level 0 is the dose as written)",)
