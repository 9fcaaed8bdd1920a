"""Golden files: the one way they are written, shared by the scripts that regenerate them
(``tests/export/golden/update.py``, ``tests/record/golden/update.py``).

The tests compare with golden files and never write them; each script renders its cases
with :func:`render` and writes them with :func:`write_changed`, which touches only the files
whose bytes changed and names them, so ``git diff`` shows what to check by hand.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

#: Formats rendered as text, by the ``Schedule`` method that renders them.
TEXT_FORMATS = {"json": "to_json", "csv": "to_csv", "table": "to_table",
                "calendar": "to_calendar"}


def render(schedule: Any, fmt: str, stamp: str | None = None) -> str:
    """``schedule`` in ``fmt``: json, csv, table, calendar, or ics (``stamp``, an ISO
    date-time with its UTC offset, is every DTSTAMP; required for ics)."""
    if fmt == "ics":
        if stamp is None:
            raise ValueError("an ics golden file needs a stamp")
        return str(schedule.to_ics(stamp=datetime.fromisoformat(stamp)).decode("utf-8"))
    return str(getattr(schedule, TEXT_FORMATS[fmt])())


def write_changed(files: Iterable[tuple[Path, Callable[[], str]]]) -> list[str]:
    """Render and write each ``(path, render)`` whose bytes differ from the file (or with no
    file yet), UTF-8; return the names of the files written, in order."""
    changed = []
    for path, make in files:
        new = make().encode("utf-8")
        if not path.exists() or path.read_bytes() != new:
            path.write_bytes(new)
            changed.append(path.name)
    return changed


def report(changed: list[str]) -> None:
    """Print what a script's ``update()`` wrote, one ``updated NAME`` line per file."""
    for name in changed:
        print(f"updated {name}")


def load_script(path: Path, name: str) -> ModuleType:
    """The regenerating script at ``path`` as a module named ``name``, for the tests to
    render and compare with (they never call its ``update()``)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
