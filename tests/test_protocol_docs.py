"""docs/protocols/<id>.md: one page per catalogue entry, its generated part current.

The generated part of each page is rebuilt in memory by
scripts/gen_protocol_docs.py and compared with the file. If this fails after a
change to the catalogue or to the renderers, run:

    python scripts/gen_protocol_docs.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import regimens
from support import load_script

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "gen_protocol_docs.py"
DOCS = ROOT / "docs" / "protocols"


GEN = load_script("gen_protocol_docs")


@pytest.mark.parametrize("regimen_id", regimens.catalog_ids())
def test_every_entry_has_a_page_with_the_hand_written_sections(regimen_id: str) -> None:
    page = DOCS / f"{regimen_id}.md"
    assert page.is_file(), f"missing {page}: run python scripts/gen_protocol_docs.py"
    text = page.read_text(encoding="utf-8")
    head = text.split(GEN.BEGIN, 1)[0]
    for heading in ("## What the protocol says", "## How it is encoded",
                    "## What is uncertain"):
        assert heading in head
        section = head.split(heading, 1)[1].split("\n## ", 1)[0]
        assert len(section.strip()) > 100, f"{regimen_id}: {heading} is empty"
    assert text.count(GEN.BEGIN) == 1
    assert text.count(GEN.END) == 1


def test_pages_are_current() -> None:
    stale = [path.name for path, text in GEN.expected_pages(DOCS).items()
             if not path.is_file() or path.read_text(encoding="utf-8") != text]
    assert not stale, f"stale: {stale}; run python scripts/gen_protocol_docs.py"


@pytest.mark.parametrize("regimen_id", regimens.catalog_ids())
def test_generated_part_shows_check_and_calendar(regimen_id: str) -> None:
    text = GEN.generated(regimen_id)
    regimen = regimens.load(regimen_id)
    assert regimen.check().to_text() in text  # the real report, not pasted by hand
    assert "All " in text or "\n1 expectation holds.\n" in text
    assert "expectations hold" in text or "expectation holds" in text
    assert "Legend: * dosing day" in text  # a calendar
    assert "Study Day 1: Mon 2027-01-04" in text
    assert "MIU" not in text.replace("regimens/1", "")  # safe notation in what people read


def test_regeneration_keeps_the_hand_written_part() -> None:
    current = ("# Title\n\nprose that must stay\n\n" + GEN.BEGIN + "\n\nSTALE-TEXT\n\n"
               + GEN.END + "\ntail\n")
    out = GEN.page("imodals", current)
    assert out.startswith("# Title\n\nprose that must stay\n\n" + GEN.BEGIN)
    assert "STALE-TEXT" not in out.split(GEN.BEGIN, 1)[1]
    assert out.endswith(GEN.END + "\ntail\n")
    assert GEN.page("imodals", out) == out  # idempotent


def test_script_check_mode_passes_on_the_repository() -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True,
                          text=True, check=False, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_index_lists_every_entry() -> None:
    text = (DOCS / "index.md").read_text(encoding="utf-8")
    for regimen_id in regimens.catalog_ids():
        assert f"[`{regimen_id}`]({regimen_id}.md)" in text


def _console_blocks() -> list[tuple[str, str, str]]:
    """(page, command, output) of every ```console block in docs/protocols/."""
    import re

    found = []
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for match in re.finditer(r"^```console\n\$ (.*?)\n(.*?)^```$", text, re.S | re.M):
            found.append((page.name, match.group(1), match.group(2)))
    return found


CONSOLE = _console_blocks()


def test_every_page_shows_its_commands() -> None:
    # A check, at least one calendar and a table per catalogue entry.
    assert len(CONSOLE) >= 3 * len(regimens.catalog_ids())


@pytest.mark.parametrize(("page", "command", "output"), CONSOLE,
                         ids=[f"{p}:{c.split()[1]}:{i}" for i, (p, c, _) in enumerate(CONSOLE)])
def test_sample_output_is_what_the_command_prints(page: str, command: str, output: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    import shlex

    from regimens.cli import main

    argv = shlex.split(command)
    assert argv[0] == "regimens"
    code = main(argv[1:])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out == output
