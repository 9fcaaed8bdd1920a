"""``--record`` on ``expand`` and ``check``, and ``--anchor``: the command line of issue 13.

Dates are counted by hand: MIROCALS's treatment starts on Study Day 1; aldesleukin is given
on days 1-5 of 28-day cycles, so with Day 1 on Monday 2027-04-12 cycle 2 starts on Monday
2027-05-10, and a 14-week run-in anchored on Monday 2027-01-04 ends the day before Day 1.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from regimens.cli import main

RECORD = """\
date,event,drug,cycle,day,amount,level,reason
2027-04-12,given,il2,,,,,
2027-04-13,given,il2,,,1 MIU,,vomited
2027-04-14,missed,il2,,,,,unwell
2027-05-17,delay,il2,2,,,,neutropenia
"""
# The run-in's length given (12 weeks, its shortest: the same schedule), so that stderr
# holds no AnchorLengthWarning (C3) and an empty stderr still means no other warning.
EXPAND = ["expand", "mirocals", "--arm", "il2", "--start", "2027-04-12", "--drug", "il2",
          "--length", "run-in=12weeks"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def record(tmp_path: Path) -> Path:
    path = tmp_path / "P-017.csv"
    path.write_text(RECORD, encoding="utf-8")
    return path


def test_expand_with_a_record_shows_statuses_and_the_plan(
        record: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([*EXPAND, "--record", str(record)], capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    day2 = next(line for line in lines if line.startswith("  2  Tue 2027-04-13"))
    assert "  given  " in day2
    assert "1 million units" in day2
    assert day2.rstrip().endswith("2 million units")  # the plan's dose, beside
    cycle2 = next(line for line in lines if " 2 day 1 " in line)
    assert "Mon 2027-05-17" in cycle2  # delayed a week
    assert cycle2.rstrip().endswith("planned  Mon 2027-05-10")
    assert "95 administrations (2 given, 92 planned, 1 missed)" in lines
    assert "  2027-04-14 missed (line 4): aldesleukin missed on Wed 2027-04-14, cycle 1 day 3" \
        in lines


def test_expand_json_with_a_record(record: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([*EXPAND, "--record", str(record), "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    third = data["administrations"][2]
    assert (third["date"], third["status"], third["planned_date"]) == (
        "2027-04-14", "missed", "2027-04-14")
    assert data["record"]["source"] == str(record)


def test_the_same_record_gives_the_same_bytes(
        record: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outputs = set()
    for _ in range(2):
        code, out, _ = run([*EXPAND, "--record", str(record), "--format", "csv"], capsys)
        assert code == 0
        outputs.add(out)
    assert len(outputs) == 1


def test_a_bad_row_is_reported_with_its_file_and_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "P-018.csv"
    path.write_text(RECORD + "2027-06-01,delay,il2,25,,,,\n", encoding="utf-8")
    code, out, err = run([*EXPAND, "--record", str(path)], capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"{path}:6:")
    assert "Traceback" not in err


def test_anchor_places_day_one_after_the_run_in(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["expand", "mirocals", "--arm", "il2", "--anchor", "run-in=2027-01-04",
                        "--length", "run-in=14weeks", "--drug", "il2"], capsys)
    assert code == 0
    assert "Study Day 1: Mon 2027-04-12" in out.splitlines()


def test_start_and_anchor_together_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["expand", "mirocals", "--arm", "il2", "--start", "2027-04-12", "--anchor",
              "run-in=2027-01-04"])
    assert exc.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_check_with_a_record_ends_with_the_participants_report(
        record: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", "mirocals", "--arm", "il2", "--start", "2027-04-12",
                        "--record", str(record)], capsys)
    assert code == 0
    assert "All 5 expectations hold." in out  # the plan's expectations, unchanged
    assert f"Record ({record}):" in out
    assert "cycle 2 of aldesleukin starts on Mon 2027-05-17, 7 days later" in out
    code, out, _ = run(["check", "mirocals", "--arm", "il2", "--start", "2027-04-12",
                        "--record", str(record), "--format", "json"], capsys)
    assert code == 0
    assert json.loads(out)["participant_record"]["record"]["source"] == str(record)


@pytest.mark.parametrize(("options", "message"), [
    (["--arm", "il2"], "regimens: --arm: only with --record"),
    (["--anchor", "run-in=2027-01-04"], "regimens: --anchor: only with --record"),
])
def test_check_refuses_record_options_without_a_record(
        options: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check", "mirocals", *options], capsys)
    assert code == 2
    assert err.startswith(message)


def test_check_with_a_record_needs_the_arm(record: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check", "mirocals", "--start", "2027-04-12", "--record", str(record)],
                       capsys)
    assert code == 2
    assert "--arm" in err


def test_check_with_a_record_and_a_birth_date_says_why_and_takes_an_age(
        record: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["check", "mirocals", "--arm", "il2", "--start", "2027-04-12", "--record",
            str(record)]
    code, out, err = run([*base, "--birth-date", "1970-03-01"], capsys)
    assert (code, out) == (2, "")
    assert err == ("regimens: --birth-date: check --record also prints the regimen "
                   "arithmetic, which is not dated and needs an age, not a birth date: give "
                   "--age instead (used for every dose), or use expand --record, which takes "
                   "the birth date (got '1970-03-01')\n")
    code, out, _ = run([*base, "--age", "57"], capsys)
    assert code == 0
    assert f"Record ({record}):" in out
