"""check with a site calendar: per arm and start weekday, the moves and conflicts (by hand)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import regimens
from regimens import SiteCalendar
from support import load

BODY = """\
periods:
  - id: t
    length: 4 weeks
    courses:
      - {drug: treg, dose: 1 mg, every: 1 week, clinic: true, window: 1 day}
      - {drug: pred, dose: 5 mg, daily: true}
visits:
  - {id: baseline, day: 1}
"""


def test_counts_per_arm_and_start() -> None:
    # From Mon 2027-12-20: Treg weekly on Study Day 1's weekday, four times. Monday to
    # Friday starts fall on open days (24 and 31 December are open in France): nothing
    # moves. A Saturday start (25 December, Christmas) gives four Saturdays: each moves
    # to the Friday before. A Sunday start: four Sundays, each to the Monday after (the
    # Saturday is closed). The baseline visit, without a window, stays on a Saturday or
    # Sunday start: one conflict. Prednisone, taken at home, never moves.
    report = load(BODY).check(calendar=SiteCalendar(closed=("sat", "sun"), holidays="FR"),
                              start="2027-12-20")
    rows = [(c.arm, c.start.isoformat(), c.doses_moved, c.dose_conflicts, c.visits_moved,
             c.visit_conflicts) for c in report.site]
    expected = [("2027-12-2" + str(d), 0, 0, 0, 0) for d in range(0, 5)] + [
        ("2027-12-25", 4, 0, 0, 1), ("2027-12-26", 4, 0, 0, 1)]
    assert rows == [(arm, *e) for arm in ("a", "b") for e in expected]
    text = report.to_text()
    assert "a: 0 to 4 doses moved and 0 in conflict, 0 visits moved and 0 to 1 in conflict, " \
        "over the seven start weekdays" in text
    assert "Study Day 1 on each day from Mon 2027-12-20 to Sun 2027-12-26" in text
    data = json.loads(report.to_json())
    assert data["site_calendar"]["starts"][5] == {
        "arm": "a", "start": "2027-12-25", "doses_moved": 4, "dose_conflicts": 0,
        "visits_moved": 0, "visit_conflicts": 1}
    assert data["site_calendar"]["holidays"] == "FR"


def test_without_a_calendar_the_report_is_unchanged() -> None:
    regimen = load(BODY)
    report = regimen.check()
    assert report.site == ()
    assert report.calendar is None
    assert "site_calendar" not in report.to_json()
    assert "Site calendar" not in report.to_text()
    with pytest.raises(regimens.ExpandOptionError, match="start: goes with a site calendar"):
        regimen.check(start="2027-12-20")


def test_the_command_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from regimens.cli import main
    from support import text

    path = tmp_path / "r.yaml"
    path.write_text(text(BODY), encoding="utf-8")
    assert main(["check", str(path), "--closed", "sat,sun", "--start", "2027-12-20"]) == 0
    out = capsys.readouterr().out
    assert "b    Sat 2027-12-25            4               0             0                1" in out
