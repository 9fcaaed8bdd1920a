"""Regenerate the golden outputs: ``python tests/export/golden/update.py``.

This is the only way to write them: the tests compare and never write. Read every
changed file (``git diff tests/export/golden``) and check its dates and counts by hand before
committing it.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parents[2] / "examples" / "imodals.yaml"
ARMS = ("il2-1miu", "il2-2miu", "placebo")
FORMATS = {"json": ".json", "csv": ".csv", "table": ".table.txt",
           "calendar": ".calendar.txt"}
START = "2027-01-04"
PARTICIPANT = {"weight": "70 kg", "height": "175 cm", "label": "P-017"}


def golden_name(arm: str, fmt: str) -> str:
    return f"imodals-{arm}{FORMATS[fmt]}"


def render(arm: str, fmt: str) -> str:
    import regimens

    regimen = regimens.load(EXAMPLE)
    schedule = regimen.expand(arm, START, regimens.Participant(**PARTICIPANT))
    return {"json": schedule.to_json, "csv": schedule.to_csv, "table": schedule.to_table,
            "calendar": schedule.to_calendar}[fmt]()


def update() -> list[str]:
    """Write every golden file; return the names of those that changed."""
    changed = []
    for arm in ARMS:
        for fmt in FORMATS:
            path = HERE / golden_name(arm, fmt)
            new = render(arm, fmt).encode("utf-8")
            if not path.exists() or path.read_bytes() != new:
                path.write_bytes(new)
                changed.append(path.name)
    return changed


if __name__ == "__main__":
    for name in update():
        print(f"updated {name}")
