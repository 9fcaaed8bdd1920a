"""``regimens expand``: no output format loses a warning.

Whatever ``--format`` is asked for, written to a file or to standard output, every warning
the table prints reaches the person running the command on standard error, and never goes
into standard output's data, except in the page's own warnings section where the format
has one (table, calendar, JSON's ``warnings``, the sheets' footer for the study team). A
blinded output shows no warning that could tell the arm (docs/ics.md, "Blinding"), and
says so in words that are the same on every arm, whether a warning was withheld or not.
Expected lines are written by hand.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
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
WITHHELD = ("regimens: note: this output blinds administrations, so it lists no warning "
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
def test_every_format_on_standard_output_says_every_warning_on_standard_error(
        fmt: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    # Captured at the file descriptors: what `> sheet.txt` and `2> log` would hold.
    code, out, err = _run(tmp_path, capfd, OPEN, "a", "--format", fmt)
    assert code == 0
    # Every format says them on standard error, the table and the calendar too (the
    # warning at the end of a table sent to a file or through `| head` was never seen).
    assert sorted(err.splitlines()) == sorted([ANCHOR, CUMULATIVE])
    texts = [line.removeprefix("regimens: warning: ") for line in (ANCHOR, CUMULATIVE)]
    if fmt in ("table", "calendar"):
        # The page's own "Warnings:" section (docs/cli.md, "Warnings") keeps them too.
        lines = out.splitlines()
        assert lines[lines.index("Warnings:") + 1:][:2] == ["  " + t for t in texts]
    elif fmt == "json":
        assert json.loads(out)["warnings"] == texts
    elif fmt in ("html", "diary"):
        # The sheets' footer for the study team (docs/handouts.md), escaped as HTML.
        for text in texts:
            assert f"<li>{html.escape(text)}</li>" in out
    else:
        # CSV and iCalendar have no place for a warning: their data holds none.
        for text in texts:
            assert text not in out


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
    # On standard error too when the calendar is printed on standard output.
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


def test_a_table_redirected_to_a_file_says_its_warnings_on_standard_error(
        tmp_path: Path) -> None:
    # A real process, its standard output a file (`regimens expand ... > sheet.txt`) and
    # its standard error a pipe: the warning is said where the person sees it.
    regimen = tmp_path / "r.yaml"
    regimen.write_text(OPEN, encoding="utf-8")
    sheet = tmp_path / "sheet.txt"
    with sheet.open("wb") as out:
        done = subprocess.run([sys.executable, "-m", "regimens", "expand", str(regimen),
                               "--arm", "a", "--anchor", "run-in=2027-01-04"],
                              stdout=out, stderr=subprocess.PIPE, check=False,
                              env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 0
    assert sorted(done.stderr.decode("utf-8").splitlines()) == sorted([ANCHOR, CUMULATIVE])
    # The file is the table, its warnings section included, as on a terminal.
    lines = sheet.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Warnings in every format"
    assert "  " + ANCHOR.removeprefix("regimens: warning: ") in lines


#: One dose of the three recorded as given (header as docs/record.md writes it).
RECORD = """\
date,event,drug,cycle,day,amount,level,reason
2027-01-11,given,bleo,,,,,
"""


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_check_with_a_record_says_the_participants_warnings_on_standard_error(
        fmt: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    # check --record printed the record's report and dropped the schedule's warnings: the
    # run-in's assumed length placed every date of it without a word.
    regimen = tmp_path / "r.yaml"
    regimen.write_text(OPEN, encoding="utf-8")
    record = tmp_path / "P-1.csv"
    record.write_text(RECORD, encoding="utf-8")
    code = main(["check", str(regimen), "--record", str(record), "--arm", "a",
                 "--anchor", "run-in=2027-01-04", "--format", fmt])
    out, err = capfd.readouterr()
    assert code == 1  # the plan's 90 USP units fail its max_cumulative of 60 (docs/cli.md)
    assert sorted(err.splitlines()) == sorted([ANCHOR, CUMULATIVE])
    if fmt == "json":
        # The JSON carries them too, as expand's JSON does (its participant_record).
        prefix = len("regimens: warning: ")
        assert sorted(json.loads(out)["participant_record"]["warnings"]) == sorted(
            [ANCHOR[prefix:], CUMULATIVE[prefix:]])
    else:
        assert "run-in lasting 7 days" not in out


#: 1 mg/kg rounded to 50 mg, for 70 kg and 50 cm: 70 mg moved to 50 mg (28.6%, more than
#: 10%), and a body-mass index of 70 / 0.5² = 280 kg/m², outside 10 to 80.
ROUNDED = """\
format: regimens/1
id: warn-check
title: Warnings of check
drugs:
  pac: {name: paclitaxel, route: intravenous}
arms:
  a: {label: A}
  b: {label: B}
periods:
  - id: treatment
    length: 3 weeks
    courses:
      - {drug: pac, dose: 1 mg/kg, round: 50 mg, days: [1, 8, 15]}
"""
PARTICIPANT_WARNINGS = [
    "regimens: warning: rounding to a multiple of 50 mg moves the dose from 70 mg to 50 mg "
    "(more than 10%); use a smaller 'round' increment",
    "regimens: warning: weight and height give a body-mass index of 280 kg/m², outside 10 "
    "to 80; check both measurements and their units"]


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_check_for_a_participant_says_their_warnings_on_standard_error(
        fmt: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    # check computed every dose for the participant and said none of expand's warnings
    # for them; each is said once, though two arms and three doses give it.
    regimen = tmp_path / "r.yaml"
    regimen.write_text(ROUNDED, encoding="utf-8")
    measures = ["--weight", "70 kg", "--height", "50 cm"]
    assert main(["expand", str(regimen), "--arm", "a", "--start", "2027-01-04",
                 "-o", str(tmp_path / "s.txt"), *measures]) == 0
    assert capfd.readouterr().err.splitlines() == PARTICIPANT_WARNINGS
    assert main(["check", str(regimen), "--format", fmt, *measures]) == 0
    out, err = capfd.readouterr()
    assert err.splitlines() == PARTICIPANT_WARNINGS
    assert "280" not in out  # on standard error only, as before in the report
    # Without a participant there is nothing of theirs to say.
    assert main(["check", str(regimen), "--format", fmt]) == 0
    assert capfd.readouterr().err == ""


#: Ranged periods whose assumed lengths place dates: the treatment (4-6 weeks) places the
#: follow-up, whose length (2-4 weeks) places the visit at its end.
RANGED = """\
format: regimens/1
id: anc
title: Lengths check assumes
day_one: treatment
drugs:
  x: {name: xdrug, route: oral}
arms:
  a: {label: A}
periods:
  - id: treatment
    length: 4-6 weeks
    courses:
      - {drug: x, dose: 10 mg, every: 1 week}
  - id: follow-up
    length: 2-4 weeks
    courses:
      - {drug: x, dose: 5 mg, days: 1}
visits:
  - {id: end, label: end, period: follow-up, at: end}
"""


@pytest.mark.parametrize("fmt", ["table", "json"])
@pytest.mark.parametrize("regimen", ["ranged", "mirocals"])
def test_check_for_a_participant_names_no_start_it_was_not_given(
        regimen: str, fmt: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    # check --weight said "--start 2001-01-01: the schedule is placed with period run-in
    # lasting 84 days ... give its length (--length run-in=LENGTH ...)", a start never given
    # and a fix check refuses without --record: check evaluates at the shortest lengths
    # (and the longest where they vary) and places no date. Flat doses: nothing to say.
    if regimen == "ranged":
        regimen = str(tmp_path / "r.yaml")
        Path(regimen).write_text(RANGED, encoding="utf-8")
    code = main(["check", regimen, "--format", fmt, "--weight", "70kg", "--height", "170cm"])
    assert (code, capfd.readouterr().err) == (0, "")
