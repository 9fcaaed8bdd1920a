"""``regimens expand``: no output format loses a warning.

Whatever ``--format`` is asked for, written to a file or to standard output, every warning
the table prints reaches the person running the command: in the page itself (table and
calendar on standard output) or on standard error. A blinded output shows no warning that
could tell the arm (docs/ics.md, "Blinding"), and says so in words that are the same on
every arm, whether a warning was withheld or not. Expected lines are written by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from regimens.cli import main

#: A run-in of 1-3 weeks placed by --anchor without --length (AnchorLengthWarning), and a
#: bleomycin limit the plan passes (CumulativeDoseWarning, with no record).
OPEN = """\
format: regimens/1
id: warn-open
title: Warnings in every format
day_one: treatment
drugs:
  bleo: {name: bleomycin, route: intravenous, max_cumulative: 60 USP units}
arms:
  a: {label: A}
periods:
  - {id: run-in, length: 1-3 weeks}
  - id: treatment
    length: 3 weeks
    courses:
      - {drug: bleo, dose: 30 USP units, days: [1, 8, 15]}
"""

#: The same, the treatment blinded: arm "active" gives bleomycin, arm "placebo" a placebo.
BLINDED = """\
format: regimens/1
id: warn-blind
title: Warnings in every blinded format
day_one: treatment
drugs:
  bleo: {name: bleomycin, route: intravenous, max_cumulative: 60 USP units}
arms:
  active: {label: Active}
  placebo: {label: Placebo}
periods:
  - {id: run-in, length: 1-3 weeks}
  - id: treatment
    length: 3 weeks
    blinded: true
    courses:
      - {drug: bleo, arms: [active], dose: 30 USP units, days: [1, 8, 15]}
      - {drug: bleo, arms: [placebo], placebo: true, days: [1, 8, 15]}
"""

# By hand: run-in's shortest length is 1 week, so Study Day 1 is 2027-01-04 + 7 days =
# 2027-01-11; days 1, 8, 15 are 2027-01-11, -18 and -25; the third dose takes the total
# from 60 to 90 USP units, above the limit of 60.
ANCHOR = ("regimens: warning: --anchor run-in=2027-01-04: Study Day 1 is placed with period "
          "run-in lasting 7 days, the shortest of its length 1-3 weeks, as no length was given "
          "for it; every date from Study Day 1 on depends on it: give its length (--length "
          "run-in=LENGTH, or lengths={'run-in': LENGTH})")
CUMULATIVE = ("regimens: warning: bleo (bleomycin): the administration planned on 2027-01-25 "
              "would bring the cumulative dose to 90 USP units, above max_cumulative 60 USP "
              "units (60 USP units before it); review before giving it")
WITHHELD = ("regimens: warning: this output blinds administrations, so it lists no warning "
            "that could tell the arm (one about a dose, a cumulative dose or a dose "
            "recorded), whether there is one or not; unblinded staff see every warning with "
            "--unblinded, or in the table, JSON or CSV")

EVERY_FORMAT = ("table", "calendar", "json", "csv", "ics", "html", "diary", "pdf", "diary-pdf")
BLINDABLE = ("calendar", "ics", "html", "diary", "pdf", "diary-pdf")


def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, arm: str,
         *extra: str) -> tuple[int, str, str]:
    regimen = tmp_path / "r.yaml"
    regimen.write_text(text, encoding="utf-8")
    stamp = ["--stamp", "2027-01-01T00:00:00Z"] if "ics" in extra else []
    code = main(["expand", str(regimen), "--arm", arm, "--anchor", "run-in=2027-01-04",
                 *stamp, *extra])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", EVERY_FORMAT)
def test_every_format_written_to_a_file_prints_every_warning(
        fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if fmt.endswith("pdf"):
        pytest.importorskip("fpdf")
    code, out, err = _run(tmp_path, capsys, OPEN, "a", "--format", fmt,
                          "-o", str(tmp_path / f"out.{fmt}"))
    assert (code, out) == (0, "")
    assert sorted(err.splitlines()) == sorted([ANCHOR, CUMULATIVE])


@pytest.mark.parametrize("fmt", [f for f in EVERY_FORMAT if not f.endswith("pdf")])
def test_every_format_on_standard_output_shows_every_warning(
        fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(tmp_path, capsys, OPEN, "a", "--format", fmt)
    assert code == 0
    # The table and the calendar list them on the page; every other format on stderr.
    shown = out.splitlines() if fmt in ("table", "calendar") else err.splitlines()
    for line in (ANCHOR, CUMULATIVE):
        assert "  " + line.removeprefix("regimens: warning: ") in shown or line in shown, fmt
    if fmt in ("table", "calendar"):
        assert err == ""


@pytest.mark.parametrize("fmt", BLINDABLE)
@pytest.mark.parametrize("to_file", [True, False], ids=["file", "stdout"])
def test_a_blinded_output_says_the_same_on_every_arm(
        fmt: str, to_file: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if fmt.endswith("pdf"):
        if not to_file:
            pytest.skip("a PDF is written to a file")
        pytest.importorskip("fpdf")
    output = ["-o", str(tmp_path / f"out.{fmt}")] if to_file else []
    runs = {arm: _run(tmp_path, capsys, BLINDED, arm, "--format", fmt, *output)
            for arm in ("active", "placebo")}
    assert runs["active"] == runs["placebo"]
    code, out, err = runs["active"]
    assert code == 0
    # The dates are shown anyway: the anchor's warning is the same on every arm. The
    # cumulative dose is the active arm's only: withheld, and said so on every arm.
    lines = err.splitlines()
    if fmt == "calendar" and not to_file:
        assert "  " + ANCHOR.removeprefix("regimens: warning: ") in out.splitlines()
        assert lines == [WITHHELD]
    else:
        assert lines == [ANCHOR, WITHHELD]
    assert "bleomycin" not in err
    assert "cumulative dose to" not in out


@pytest.mark.parametrize(("fmt", "extra"), [("ics", ["--unblinded"]),
                                            ("calendar", ["--unblinded"]),
                                            ("html", ["--unblinded"]),
                                            ("table", []), ("json", []), ("csv", [])])
def test_unblinded_staff_see_the_withheld_warning(
        fmt: str, extra: list[str], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(tmp_path, capsys, BLINDED, "active", "--format", fmt, *extra,
                        "-o", str(tmp_path / "out"))
    assert code == 0
    assert sorted(err.splitlines()) == sorted([ANCHOR, CUMULATIVE])
