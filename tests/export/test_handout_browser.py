"""The handout in a real browser: headless Chromium draws it and prints it to PDF.

Debian's ``chromium`` package (``.ci/run`` installs it when missing); skipped with the
reason when it is not installed. The screenshot must not be blank, and printed on A4
the handout of the known schedule (tests/export/test_handout.py) has one front page and
one page for its one month: two pages, each 210 x 297 mm.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest

import regimens

from .test_handout import DEMO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not "
                                "installed (Debian: apt-get install chromium)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]


def _chromium(tmp_path: Path, *args: str) -> None:
    assert CHROMIUM is not None
    profile = tmp_path / "profile"  # a fresh profile: nothing of a previous run
    profile.mkdir(exist_ok=True)
    # Its home and caches in tmp_path too: nothing written elsewhere. Its temporary files
    # in a short temporary directory of its own, removed after: Chromium puts a socket
    # there, and a socket path is at most 107 bytes (tmp_path, e.g.
    # /tmp/pytest-of-root/pytest-1015/test_the_screenshot_is_not_bla0/, grows with the
    # run count: from run 1,000 on, Chromium aborted with "Socket path too long").
    with tempfile.TemporaryDirectory(prefix="chr-") as short:
        env = {**os.environ, "HOME": str(tmp_path),
               "XDG_CONFIG_HOME": str(tmp_path / "config"),
               "XDG_CACHE_HOME": str(tmp_path / "cache"), "TMPDIR": short}
        subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], check=True,
                       capture_output=True, timeout=180, cwd=tmp_path, env=env)


def _page(tmp_path: Path, text: str, name: str) -> str:
    page = tmp_path / name
    page.write_text(text, encoding="utf-8")
    return page.as_uri()


@pytest.mark.parametrize("sheet", ["html", "diary"])
def test_the_screenshot_is_not_blank(tmp_path: Path, sheet: str) -> None:
    image = pytest.importorskip("PIL.Image")
    schedule = regimens.loads(DEMO, "demo.yaml").expand("a", date(2027, 1, 4))
    text = schedule.to_html() if sheet == "html" else schedule.to_diary()
    url = _page(tmp_path, text, "page.html")
    shot = tmp_path / "shot.png"
    _chromium(tmp_path, "--window-size=900,1200", f"--screenshot={shot}", url)
    pixels = image.open(shot).convert("L")
    dark = sum(pixels.histogram()[:128])
    # Text and rules: far more than a blank page, far less than a black one.
    assert 0.005 < dark / (pixels.width * pixels.height) < 0.5


@pytest.mark.parametrize(("paper", "size", "pages"), [
    ("a4", (595.92, 842.88), 2), ("letter", (612, 792), 2)])
def test_printed_the_handout_has_a_page_per_month(tmp_path: Path, paper: str,
                                                  size: tuple[float, float], pages: int) -> None:
    pypdf = pytest.importorskip("pypdf")
    schedule = regimens.loads(DEMO, "demo.yaml").expand("a", date(2027, 1, 4))
    url = _page(tmp_path, schedule.to_html(paper=paper), "page.html")
    printed = tmp_path / "printed.pdf"
    _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={printed}", url)
    reader = pypdf.PdfReader(BytesIO(printed.read_bytes()))
    assert len(reader.pages) == pages
    box = reader.pages[0].mediabox
    # Chromium rounds the page to whole device pixels (A4: 595.92 x 842.88 pt).
    assert (float(box.width), float(box.height)) == pytest.approx(size, abs=1.5)
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Your treatment calendar" in text.split("January 2027")[0]
    assert "January 2027" in reader.pages[1].extract_text()


def test_a_month_with_many_doses_never_splits_a_week(tmp_path: Path) -> None:
    """Every week row of the printed calendar lies on one page.

    The weekday head repeats on each page of a month; a week split across pages would
    put the rest of its entries right below it, where a day number must be.
    """
    pypdf = pytest.importorskip("pypdf")
    schedule = regimens.load("nct01884571").expand(
        "immunosuppression", date(2027, 1, 4),
        regimens.Participant(weight="70 kg", height="175 cm"))
    url = _page(tmp_path, schedule.to_html(), "page.html")
    printed = tmp_path / "printed.pdf"
    _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={printed}", url)
    reader = pypdf.PdfReader(BytesIO(printed.read_bytes()))
    head = "Mon Tue Wed Thu Fri Sat Sun"
    continued = 0
    for page in reader.pages[1:]:
        text = " ".join(page.extract_text().split())
        assert head in text
        after = text.split(head, 1)[1].split()
        assert after[0].isdigit(), after[:8]
        continued += text.startswith(head)  # a month's second or later page
    # Six months of daily doses: their weeks fill more than one page per month.
    assert len(reader.pages) > 1 + 7
    assert continued > 0
