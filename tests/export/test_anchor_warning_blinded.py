"""AnchorLengthWarning reaches blinded outputs (review O1): it names the anchor, a period
and its length, no drug, dose or arm, and reads the same on every arm when every arm goes
through the same periods to Study Day 1; it was dropped from every blinded output (ICS,
calendar, html, diary, pdf: file and stderr), so MIROCALS's html handout, blinded by
default, placed Study Day 1 on the shortest run-in (84 days, 12 weeks) without a word.

By hand: MIROCALS's run-in is 12-18 weeks before each arm's treatment; anchored on its
first day, Monday 2027-01-04, with no --length, Study Day 1 is 84 days later.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import regimens
from regimens import AnchorLengthWarning
from regimens.cli import main

SAID = ("--anchor run-in=2027-01-04: Study Day 1 is placed with period run-in lasting 84 "
        "days, the shortest of its length 12-18 weeks, as no length was given for it; every "
        "date from Study Day 1 on depends on it: give its length (--length run-in=LENGTH, or "
        "lengths={'run-in': LENGTH})")

#: Every format that blinds (--blinded is refused with the others).
BLINDING = ["calendar", "ics", "html", "diary", "pdf", "diary-pdf"]
TEXTUAL = {"calendar", "ics", "html", "diary"}


def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, arm: str,
         *how: str) -> tuple[str, str]:
    out = tmp_path / f"{arm}{''.join(how)}.{fmt}"
    stamp = ["--stamp", "2027-01-01T00:00:00Z"] if fmt in ("ics", "pdf", "diary-pdf") else []
    assert main(["expand", "mirocals", "--arm", arm, "--anchor", "run-in=2027-01-04",
                 "--format", fmt, *stamp, *how, "-o", str(out)]) == 0
    err = capsys.readouterr().err
    text = out.read_text(encoding="utf-8") if fmt in TEXTUAL else ""
    return err, text


@pytest.mark.parametrize(("fmt", "arm"), [
    *[(f, arm) for f in BLINDING for arm in ("il2", "placebo") if not f.endswith("pdf")],
    ("pdf", "il2"), ("diary-pdf", "placebo")])  # (a PDF takes seconds: one arm each)
def test_every_blinded_format_says_the_length_assumed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, arm: str) -> None:
    if fmt.endswith("pdf"):
        pytest.importorskip("fpdf")
    unblinded_err, unblinded = _run(tmp_path, capsys, fmt, arm, "--unblinded")
    assert f"regimens: warning: {SAID}\n" in unblinded_err
    for how in (("--blinded",), ()):  # blinded, and the format's default (MIROCALS blinds)
        err, text = _run(tmp_path, capsys, fmt, arm, *how)
        assert f"regimens: warning: {SAID}\n" in err
        # In the file as unblinded (html and diary in the page, the calendar's text).
        assert ("shortest of its length 12-18 weeks" in text) == (
            "shortest of its length 12-18 weeks" in unblinded)
        if fmt in ("html", "diary", "calendar"):
            assert "shortest of its length 12-18 weeks" in text


def test_the_warning_is_blind_safe_only_when_every_arm_reads_it_alike() -> None:
    # Arm b goes through a run-in of its own: the warning would tell a from b.
    text = """\
format: regimens/1
id: two
title: Two
day_one: treatment
drugs:
  dox: {name: doxorubicin, route: intravenous}
arms:
  a: {label: A, periods: [run-in, treatment]}
  b: {label: B, periods: [run-in-b, treatment]}
periods:
  - {id: run-in, length: 1-3 weeks}
  - {id: run-in-b, length: 2 weeks}
  - id: treatment
    length: 6 weeks
    courses:
      - {drug: dox, dose: 60 mg, cycle: 21 days, cycles: 2, days: [1]}
"""
    mirocals = regimens.load("mirocals")
    two = regimens.loads(text, "two.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        shared = mirocals.expand("il2", anchor="run-in=2027-01-04")
        own = two.expand("a", anchor="enrolment=2027-01-04")
    (said,) = [w for w in shared.warnings if isinstance(w, AnchorLengthWarning)]
    assert str(said) == SAID
    assert said.blind_safe
    (alone,) = [w for w in own.warnings if isinstance(w, AnchorLengthWarning)]
    assert str(alone).startswith("--anchor enrolment=2027-01-04: Study Day 1 is placed with "
                                 "period run-in lasting 7 days")
    assert not alone.blind_safe
