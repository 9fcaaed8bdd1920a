"""Regenerate the golden outputs of whole treatments: ``python tests/record/golden/update.py``.

The only way to write them: the tests compare and never write. Read every changed file
(``git diff tests/record/golden``) and check its dates, doses and figures by hand before
committing it (tests/record/test_golden.py pins the hand-checked facts).

Two whole treatments, each a regimen and a participant's record from the first dose to the
last (issue 13):

- ``mirocals-like``: 19 five-day cycles of low-dose IL-2 every 28 days, with MIROCALS's
  visits (lumbar punctures at the start and end of a 12-week run-in, randomisation on Day 1,
  clinic visits on day 1 of every third cycle, the end of treatment, survival at Day 640);
  a dose of cycle 2 missed, cycle 3 delayed twice (a week, then another), dose level -1
  from cycle 4 after a toxicity, a partial dose in cycle 6, a row of cycle 11 entered twice
  and voided; every dose recorded to the last, cycle 19 day 5;
- ``gemcitabine-redose``: 1,000 mg/m2 on days 1, 8, 15 every 28 days for three cycles,
  ``redose: {weight_change: 10%}``; a weight loss above the threshold (70 -> 62 kg, at the
  cycle 2 visit) recomputes every later dose, a later change below it (62 -> 64 kg, at the
  cycle 3 visit) does not; all nine doses given.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parents[1]) not in sys.path:  # tests/, for tests/support when run as a script
    sys.path.insert(0, str(HERE.parents[1]))

from support.golden import render as render_as  # noqa: E402
from support.golden import report, write_changed  # noqa: E402

FORMATS = {"json": ".json", "csv": ".csv", "table": ".table.txt"}
#: treatment -> (regimen file, arm, record file, participant)
CASES = {
    "mirocals-like": ("mirocals-like.yaml", "il2", "P-101.csv", {"label": "P-101"}),
    "gemcitabine-redose": ("gemcitabine-redose.yaml", "gem", "P-202.csv",
                           {"label": "P-202", "weight": "70 kg", "height": "170 cm"}),
}
START = "2027-01-04"


def golden_name(case: str, fmt: str) -> str:
    return f"{case}{FORMATS[fmt]}"


def schedule(case: str) -> object:
    import regimens

    regimen_file, arm, record_file, person = CASES[case]
    regimen = regimens.load(HERE / regimen_file)
    record = regimens.read_record((HERE / record_file).read_text(encoding="utf-8"),
                                  name=record_file)
    return regimen.expand(arm, START, regimens.Participant(**person), record=record)


def render(case: str, fmt: str) -> str:
    return render_as(schedule(case), fmt)


def update() -> list[str]:
    """Write every golden file; return the names of those that changed."""
    return write_changed([(HERE / golden_name(case, fmt),
                           lambda case=case, fmt=fmt: render(case, fmt))
                          for case in CASES for fmt in FORMATS])


if __name__ == "__main__":
    report(update())
