"""The ``regimens`` command: formats, exit codes, messages, atomic output, determinism."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from regimens.cli import main
from regimens.format import parse_document
from support import ENVIRONMENTS, IMODALS, ROOT, text

EXPAND = ["expand", str(IMODALS), "--arm", "il2-1miu", "--start", "2027-01-04"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def subprocess_run(args: list[str], env: dict[str, str] | None = None,
                   cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "regimens", *args], capture_output=True,
                          env=env, cwd=cwd, timeout=60, check=False)


def test_expand_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([*EXPAND, "--participant", "P-017"], capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:5] == [
        "IMODALS-like example, low-dose aldesleukin in ALS (NCT02059759)",
        "Arm: il2-1miu (aldesleukin 1 million units/day)",
        "Study Day 1: Mon 2027-01-04",
        "Participant: P-017",
        "Periods: treatment Day 1 to 84 (2027-01-04 to 2027-03-28), follow-up Day 85 to 189 "
        "(2027-03-29 to 2027-07-11)",
    ]
    assert "15 administrations" in lines


def test_expand_calendar(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([*EXPAND, "--format", "calendar"], capsys)
    assert code == 0
    # 15 doses on 15 days; 3 visits (Day 1 is both a dosing day and a visit).
    assert out.endswith("15 administrations on 15 days; 3 visits\n")
    assert "    January 2027" in out
    assert "\n> 4#  5*  6*  7*  8*  9  10" in out  # Day 1: dosing and baseline visit


def test_expand_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([*EXPAND, "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["format"] == "regimens-schedule/1"
    assert len(data["administrations"]) == 15
    assert data["administrations"][5]["study_day"] == 29
    assert data["administrations"][5]["date"] == "2027-02-01"
    assert {a["amount"] for a in data["administrations"]} == {"1"}
    assert {a["unit"] for a in data["administrations"]} == {"MIU"}


def test_expand_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([*EXPAND, "--format", "csv"], capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [int(r["study_day"]) for r in rows] == [1, 2, 3, 4, 5, 29, 30, 31, 32, 33,
                                                  57, 58, 59, 60, 61]
    assert rows[0]["dose"] == "1 million units"
    assert rows[0]["placebo"] == "false"
    assert rows[0]["step"] == ""


def test_bsa_without_unit_is_m2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "m2.yaml"
    path.write_text(text("periods:\n  - id: t\n    length: 1 week\n    courses:\n"
                         "      - {drug: il2, dose: 2e5 IU/m2, days: [1]}\n"), encoding="utf-8")
    code, out, _ = run(["expand", str(path), "--arm", "a", "--start", "2027-01-04",
                        "--bsa", "1.8", "--format", "csv"], capsys)
    assert code == 0
    assert next(csv.DictReader(io.StringIO(out)))["amount"] == "360000"


def test_output_file_written_atomically(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.json"
    code, out, _ = run([*EXPAND, "--format", "json", "-o", str(target)], capsys)
    assert (code, out) == (0, "")
    assert json.loads(target.read_text(encoding="utf-8"))["arm"] == "il2-1miu"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_output_file_not_created_on_error(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.json"
    code, _, err = run(["expand", str(IMODALS), "--arm", "nope", "--start", "2027-01-04",
                        "-o", str(target)], capsys)
    assert code == 2
    assert "--arm" in err
    assert list(tmp_path.iterdir()) == []


def test_output_file_kept_on_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.csv"
    target.write_text("previous\n", encoding="utf-8")
    code, _, _ = run(["expand", str(IMODALS), "--arm", "il2-1miu", "--start", "2027-02-30",
                      "-o", str(target)], capsys)
    assert code == 2
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_output_into_missing_directory(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run([*EXPAND, "-o", str(tmp_path / "no" / "out.txt")], capsys)
    assert code == 2
    assert err.startswith("regimens: ")
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--arm", "zz"], "regimens: --arm: no such arm in 'imodals-example'; arms: il2-1miu, "
                          "il2-2miu, placebo (got 'zz')"),
        (["--weight", "70"], "regimens: --weight: a bare number is not a weight: give its unit; "
                             "write a number and one of kg, g, lb, lbs, e.g. '70 kg' or '154 lb' "
                             "(got '70')"),
        (["--weight", "700 kg"], "regimens: --weight: 700 kg is not a plausible weight (allowed: "
                                 "0.5 to 400 kg); check the number and its unit (got '700 kg')"),
        (["--height", "17cm"], "regimens: --height: 17 cm is not a plausible height (allowed: "
                               "30 to 250 cm); check the number and its unit (got '17cm')"),
        (["--tz", "Mars/X"], "regimens: --tz: unknown time zone; give an IANA name such as "
                             "Europe/Paris or America/New_York (fixed offsets like UTC+02:00 are "
                             "not time zones) (got 'Mars/X')"),
        (["--length", "foo"], "regimens: --length: write PERIOD=LENGTH, e.g. run-in=14weeks "
                              "(got 'foo')"),
        (["--length", "treatment=13weeks"], "regimens: --length: this period has a fixed length "
                                            "of 12 weeks (got '13weeks')"),
        (["--length", "nope=1week"], "regimens: --length: arm 'il2-1miu' has no period 'nope' "
                                     "(its periods: treatment, follow-up) (got 'nope')"),
        (["--length", "follow-up=15weeks", "--length", "follow-up=15weeks"],
         "regimens: --length: this period is given twice (got 'follow-up')"),
        (["--participant", "a\tb"], "regimens: --participant: a label is at most 64 printable "
                                    "characters (got 'a\\tb')"),
    ],
    ids=["arm", "bare-weight", "heavy", "short", "tz", "length-form", "length-fixed",
         "length-period", "length-twice", "label"],
)
def test_bad_options(extra: list[str], message: str,
                     capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["expand", str(IMODALS), "--start", "2027-01-04"]
    argv += extra if "--arm" in extra else ["--arm", "il2-1miu", *extra]
    code, out, err = run(argv, capsys)
    assert (code, out, err) == (2, "", message + "\n")


def test_invalid_regimen_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text("periods:\n  - id: t\n    length: 4 weeks\n    courses:\n"
                         "      - {drug: il2, dose: 1 miu, cycle: 28 days, days: [1, 29]}\n"
                         "      - {drug: il3, dose: 1 MIU, days: 1}\n"), encoding="utf-8")
    code, out, err = run(["expand", str(path), "--arm", "a", "--start", "2027-01-04"], capsys)
    assert (code, out) == (2, "")
    assert "Traceback" not in err
    assert err.splitlines() == [
        f"{path}:15: periods[0].courses[0].dose: 'miu' is ambiguous: unit symbols are "
        "case-sensitive; write 'MIU' (million international units) or 'mIU' (thousandths of an "
        "international unit); write a number and a unit (mg, g, mcg, ng, IU, kIU, MIU, mIU, "
        "cells, mL or L), optionally per kg or per m2, e.g. '20 mg', '1e6 cells/kg', "
        "'2e5 IU/m2' (got '1 miu')",
        f"{path}:16: periods[0].courses[1].drug: no drug has this id (drugs: il2, pred, treg) "
        "(got 'il3')",
    ]
    assert main(["check", str(path)]) == 2


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["expand", "no-such-file.yaml", "--arm", "a", "--start", "2027-01-04"],
                       capsys)
    assert code == 2
    assert err.startswith("regimens: no regimen file or catalogue entry named 'no-such-file.yaml'")


def test_no_command_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([], capsys)
    assert (code, out) == (2, "")
    assert err.startswith("usage: regimens")


@pytest.mark.parametrize("argv", [["expand", str(IMODALS)], ["expand"], ["frobnicate"],
                                  [*EXPAND, "--format", "docx"]])
def test_argparse_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_schema_is_valid_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    code, out, _ = run(["schema"], capsys)
    assert code == 0
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    document = parse_document(IMODALS.read_bytes(), str(IMODALS)).value
    assert list(validator.iter_errors(document)) == []
    bad = dict(document, format="regimens/2")
    assert list(validator.iter_errors(bad))


def test_schema_of_a_record_file(capsys: pytest.CaptureFixture[str]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    code, out, _ = run(["schema", "--record"], capsys)
    assert code == 0
    schema = json.loads(out)
    assert schema["title"] == "regimens record of treatment"
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors([{"date": "2027-01-04", "event": "given",
                                        "drug": "dox"}])) == []
    assert list(validator.iter_errors([{"date": "2027-01-04", "event": "gave"}]))


def test_schema_to_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "schema.json"
    assert main(["schema", "-o", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "regimens format 1"


def test_help_and_version() -> None:
    result = subprocess_run(["--help"])
    assert result.returncode == 0
    assert b"usage: regimens" in result.stdout
    assert b"expand" in result.stdout
    result = subprocess_run(["expand", "--help"])
    assert result.returncode == 0
    assert b"--bsa-formula" in result.stdout
    result = subprocess_run(["--version"])
    assert result.returncode == 0
    assert result.stdout.startswith(b"regimens ")


def test_subprocess_invalid_regimen_exit_2_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("format: regimens/1\nid: x\n", encoding="utf-8")
    result = subprocess_run(["check", str(path)])
    assert result.returncode == 2
    assert result.stdout == b""
    err = result.stderr.decode("utf-8")
    assert "Traceback" not in err
    assert err.splitlines() == [
        f"{path}:1: (document): missing required field 'title'",
        f"{path}:1: (document): missing required field 'drugs'",
        f"{path}:1: (document): missing required field 'arms'",
        f"{path}:1: (document): missing required field 'periods'",
    ]


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_output_identical_across_environments(fmt: str) -> None:
    args = [*EXPAND[:-4], "--arm", "il2-2miu", "--start", "2027-03-14", "--weight", "154 lb",
            "--participant", "P-017", "--format", fmt]
    outputs = []
    for env in ENVIRONMENTS:
        result = subprocess_run(args, env=env)
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    assert len(set(outputs)) == 1  # every environment, byte for byte
    assert outputs[0].decode("utf-8")  # UTF-8 whatever the locale


def test_drug_filter_keeps_one_drug_and_the_visits(capsys: pytest.CaptureFixture[str]) -> None:
    # MIROCALS: riluzole daily in both periods, aldesleukin 5 days every 28 days.
    assert main(["expand", "mirocals", "--arm", "il2", "--start", "2027-01-04", "--drug", "il2",
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {a["drug"] for a in data["administrations"]} == {"il2"}
    assert len(data["administrations"]) == 95  # 19 cycles x 5 days
    assert data["visits"]


def test_drug_filter_refuses_an_unknown_drug(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["expand", "mirocals", "--arm", "il2", "--start", "2027-01-04",
                 "--drug", "foo"]) == 2
    assert capsys.readouterr().err == (
        "regimens: --drug: no drug has this id (drugs: il2, riluzole) (got 'foo')\n")


def test_output_into_a_missing_directory_names_the_file(capsys: pytest.CaptureFixture[str],
                                                        tmp_path: Path) -> None:
    target = tmp_path / "missing" / "x.json"
    assert main(["expand", "imodals", "--arm", "placebo", "--start", "2027-01-04",
                 "--format", "json", "-o", str(target)]) == 2
    assert capsys.readouterr().err == f"regimens: {target}: No such file or directory\n"


@pytest.mark.parametrize(
    ("stamp", "message"),
    [
        (["--stamp", "2027-01-01 09:00"], "regimens: --stamp: write a date and time with Z or an "
         "offset, e.g. 2027-01-01T09:00:00Z (got '2027-01-01 09:00')\n"),
        (["--stamp", "9999-12-31T23:30:00-01:00"], "regimens: --stamp: the time falls outside "
         "the years 1 to 9999 in UTC (got '9999-12-31T23:30:00-01:00')\n"),
        (["--stamp", "0001-01-01T00:30:00+01:00"], "regimens: --stamp: the time falls outside "
         "the years 1 to 9999 in UTC (got '0001-01-01T00:30:00+01:00')\n"),
    ],
    ids=["no-offset", "after-9999", "before-year-1"],
)
def test_ics_needs_an_aware_stamp(stamp: list[str], message: str,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["expand", "imodals", "--arm", "placebo", "--start", "2027-01-04",
                 "--format", "ics", *stamp]) == 2
    assert capsys.readouterr().err == message


def test_ics_options_need_the_ics_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["expand", "imodals", "--arm", "placebo", "--start", "2027-01-04",
                 "--remind", "1h"]) == 2
    assert capsys.readouterr().err == "regimens: --remind: only with --format ics\n"


def test_rewriting_keeps_permissions_and_links(tmp_path: Path) -> None:
    private = tmp_path / "private.json"
    private.write_text("old", encoding="utf-8")
    private.chmod(0o600)
    link = tmp_path / "link.json"
    link.symlink_to(private)
    assert main(["schema", "-o", str(link)]) == 0
    assert link.is_symlink()
    assert private.stat().st_mode & 0o777 == 0o600
    assert json.loads(private.read_text(encoding="utf-8"))["title"] == "regimens format 1"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize(("target", "message"), [
    ("", "regimens: -o: needs a file name (or - for standard output)\n"),
    (".", "regimens: .: Is a directory\n"),
])
def test_bad_output_targets(target: str, message: str,
                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "-o", target]) == 2
    assert capsys.readouterr().err == message


def test_bsa_formula_choices(capsys: pytest.CaptureFixture[str]) -> None:
    # Derived from BSAFormula; the usage error lists them, in this order.
    with pytest.raises(SystemExit):
        main(["expand", str(IMODALS), "--arm", "placebo", "--start", "2027-01-04",
              "--bsa-formula", "dubios"])
    assert ("(choose from mosteller, dubois, haycock, gehan-george, boyd)"
            in capsys.readouterr().err.replace("'", ""))
