"""``regimens expand --format html|diary|pdf|diary-pdf``: the participant's sheets."""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path

import html5lib
import pytest

from regimens.cli import WITHHELD, main

EXPAND = ["expand", "imodals", "--arm", "placebo", "--start", "2027-01-04",
          "--participant", "P-017"]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("fmt", "heading"), [("html", "Your treatment calendar"),
                                              ("diary", "Dosing diary")])
def test_html_sheets(fmt: str, heading: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run([*EXPAND, "--format", fmt, "--contact", "Site 12: +33 1 23 45 67 89"],
                          capsys)
    # imodals blinds its treatment: no warning that could tell the arm, and it says so in
    # a note (said on every arm, whether a warning was withheld or not: not a warning).
    assert (code, err) == (0, WITHHELD + "\n")
    assert err.startswith("regimens: note: this output blinds administrations, so it lists "
                          "no warning that could tell the arm ")
    tree = html5lib.parse(out, namespaceHTMLElements=False)
    assert tree.find(".//h1").text == heading
    assert "Site 12: +33 1 23 45 67 89" in out
    assert "study drug (aldesleukin or placebo)" in out
    assert "Placebo" not in out


def test_french(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run([*EXPAND, "--format", "html", "--lang", "fr", "--paper", "letter"],
                        capsys)
    assert code == 0
    assert "lundi 4 janvier 2027" in out
    assert "size: letter" in out


@pytest.mark.parametrize(("fmt", "words"), [("pdf", "Your treatment calendar"),
                                            ("diary-pdf", "Dosing diary")])
def test_pdf_sheets_are_reproducible(fmt: str, words: str, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    pypdf = pytest.importorskip("pypdf")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first, second, stamped = (tmp_path / n for n in ("1.pdf", "2.pdf", "3.pdf"))
    for target in (first, second):
        assert main([*EXPAND, "--format", fmt, "-o", str(target)]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes().startswith(b"%PDF-")
    assert b"CreationDate" not in first.read_bytes()
    reader = pypdf.PdfReader(BytesIO(first.read_bytes()))
    assert words in reader.pages[0].extract_text()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")  # 2027-01-01T00:00:00Z
    assert main([*EXPAND, "--format", fmt, "-o", str(stamped)]) == 0
    assert pypdf.PdfReader(stamped).metadata["/CreationDate"] == "D:20270101000000Z"
    assert main([*EXPAND, "--format", fmt, "--stamp", "2027-02-01T08:00:00Z", "-o",
                 str(stamped)]) == 0
    assert pypdf.PdfReader(stamped).metadata["/CreationDate"] == "D:20270201080000Z"


@pytest.mark.parametrize(("extra", "message"), [
    (["--format", "html", "--lang", "de"],
     "regimens: --lang: no handout in this language; choose from en, fr (got 'de')\n"),
    (["--format", "diary", "--paper", "a5"],
     "regimens: --paper: choose from a4, letter (got 'a5')\n"),
    (["--format", "html", "--contact", ""],
     "regimens: --contact: a contact line is one line of printable text (got '')\n"),
    (["--lang", "fr"], "regimens: --lang: only with --format html, diary, pdf or diary-pdf\n"),
    (["--format", "json", "--contact", "x"],
     "regimens: --contact: only with --format html, diary, pdf or diary-pdf\n"),
    (["--format", "html", "--stamp", "2027-01-01T00:00:00Z"],
     "regimens: --stamp: only with --format ics, pdf or diary-pdf\n"),
])
def test_refused(extra: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run([*EXPAND, *extra], capsys)[::2] == (2, message)


def test_blinding_options_are_taken(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run([*EXPAND[:3], "il2-1miu", *EXPAND[4:], "--format", "html",
                         "--unblinded"], capsys)
    assert code == 0
    assert "aldesleukin 1 million units" in out


def test_without_fpdf2_the_extra_is_named(monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "fpdf", None)
    assert _run([*EXPAND, "--format", "pdf"], capsys)[::2] == (
        2, "regimens: --format: PDF output needs the fpdf2 package: "
        "pip install 'regimens[pdf]'\n")
