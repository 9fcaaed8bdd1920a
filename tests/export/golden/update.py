"""Regenerate the golden outputs: ``python tests/export/golden/update.py``.

This is the only way to write them: the tests compare and never write. Read every
changed file (``git diff tests/export/golden``) and check its dates and counts by hand before
committing it.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parents[1]) not in sys.path:  # tests/, for tests/support when run as a script
    sys.path.insert(0, str(HERE.parents[1]))

from support.golden import render as render_as  # noqa: E402
from support.golden import report, write_changed  # noqa: E402

EXAMPLE = HERE.parents[2] / "examples" / "imodals.yaml"
ARMS = ("il2-1miu", "il2-2miu", "placebo")
FORMATS = {"json": ".json", "csv": ".csv", "table": ".table.txt",
           "calendar": ".calendar.txt"}
START = "2027-01-04"
PARTICIPANT = {"weight": "70 kg", "height": "175 cm", "label": "P-017"}


#: Format 1.1 timing (issue 12): example -> (arm, start), each in every format, ics included.
#: A Day 0 protocol (day_zero; --start is the infusion day) and cycles numbered on across
#: courses (first_cycle).
TIMING = {"car-t-day-zero": ("car-t", "2027-03-01"),
          "gemcitabine-weekly": ("gem", "2027-01-04")}
TIMING_FORMATS = {**FORMATS, "ics": ".ics"}
STAMP = "2027-01-01T09:00:00+00:00"


def golden_name(arm: str, fmt: str) -> str:
    return f"imodals-{arm}{FORMATS[fmt]}"


def timing_name(example: str, fmt: str) -> str:
    return f"{example}{TIMING_FORMATS[fmt]}"


def render_timing(example: str, fmt: str) -> str:
    import regimens

    regimen = regimens.load(HERE.parents[2] / "examples" / f"{example}.yaml")
    arm, start = TIMING[example]
    schedule = regimen.expand(arm, start, regimens.Participant(**PARTICIPANT))
    return render_as(schedule, fmt, STAMP)


def render(arm: str, fmt: str) -> str:
    import regimens

    regimen = regimens.load(EXAMPLE)
    schedule = regimen.expand(arm, START, regimens.Participant(**PARTICIPANT))
    return render_as(schedule, fmt)


def update() -> list[str]:
    """Write every golden file; return the names of those that changed."""
    return write_changed(
        [(HERE / golden_name(arm, fmt), lambda arm=arm, fmt=fmt: render(arm, fmt))
         for arm in ARMS for fmt in FORMATS]
        + [(HERE / timing_name(example, fmt),
            lambda example=example, fmt=fmt: render_timing(example, fmt))
           for example in TIMING for fmt in TIMING_FORMATS])


if __name__ == "__main__":
    report(update())
