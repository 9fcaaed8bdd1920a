"""The catalogue of bad and tricky inputs (``tests/bad_inputs/*.yaml``), one test per case.

Each case gives its input (a regimen document, a participant, expansion options) and its
exact expected outcome: an error class and message, or the exact result (dates, times,
doses, derivations, warnings, calendar lines). Every case runs twice:

- through the public API (``regimens.load`` then ``Regimen.expand``), and
- through the command line in-process (``regimens.cli.main``): an error must exit with
  status 2, print exactly the expected lines on standard error and no traceback, and leave
  no output file (nor a temporary one) behind; a result must give the same administrations
  and warnings in the JSON output, and the same bytes in the iCalendar output.

Generated inputs (a 50 MB file, deep nesting) are built by the functions in ``GENERATORS``.
Cases marked ``xfail`` state the correct outcome of a known bug (strict: a fix shows up).

The command-line cases (``cli.yaml``: output files, options, secrets, standard streams) are
a command and its environment rather than a document: ``argv`` run in a temporary directory
holding ``case.yaml`` and the ``files`` the case makes (text, links, a device node, a named
pipe with a reader, permissions, an owner), with ``env`` and ``stdin`` (a file of that
directory, as with ``< FILE``); ``stdout: closed``, ``stdout: read-one-line`` or
``stdout: full`` runs the command in a subprocess with its standard output closed, a pipe
closed after the first line, or a full device (made in the test's directory). They pin
the exit status, the standard
error lines (``usage``: the first line is the usage of that command, the others follow),
what standard output holds, what never appears (``secret``), and every file afterwards;
and in every case no temporary file is left behind.
"""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import threading
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import regimens
from regimens.cli import main
from support.bad_inputs import CASES, CLI_CASES, document

STAMP = "2027-01-01T00:00:00Z"
_FLAGS = {"weight": "--weight", "height": "--height", "bsa": "--bsa", "label": "--participant",
          "arm": "--arm", "start": "--start", "tz": "--tz", "bsa_formula": "--bsa-formula",
          "bsa_decimals": "--bsa-decimals", "age": "--age", "birth_date": "--birth-date",
          "sex": "--sex", "gfr": "--gfr", "creatinine": "--creatinine"}


def _options(case: dict[str, Any]) -> dict[str, Any]:
    options = {"arm": "x", "start": "2027-01-04"}
    options.update(case.get("options", {}))
    return options


def _expands(case: dict[str, Any]) -> bool:
    return "participant" in case or "options" in case


def _row(study_day: int, day: str, moment: str | None, drug: str, dose: str) -> str:
    return " ".join(x for x in (str(study_day), day, moment, drug, dose) if x)


def run_api(case: dict[str, Any]) -> dict[str, Any]:
    """The outcome of a case through the Python API (the working directory holds case.yaml)."""
    try:
        regimen = regimens.load("case.yaml")
        if not _expands(case):
            return {"loaded": regimen.id}
        options = _options(case)
        participant = regimens.Participant(**case.get("participant", {}))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            schedule = regimen.expand(options.pop("arm"), options.pop("start"), participant,
                                      **options)
            ics = (schedule.to_ics(stamp=datetime(2027, 1, 1, tzinfo=UTC))
                   if case.get("ics") else None)
    except regimens.RegimenError as exc:
        return {"error": type(exc).__name__, "message": str(exc)}
    rows = [_row(a.study_day.value, a.date.isoformat(),
                 a.at.isoformat() if a.at else a.time.strftime("%H:%M") if a.time else None,
                 a.drug, a.dose.text) for a in schedule.administrations]
    out: dict[str, Any] = {
        "administrations": rows,
        "derivations": list(dict.fromkeys(a.dose.derivation for a in schedule.administrations)),
        "warnings": [str(w) for w in schedule.warnings],
    }
    assert sorted(str(w.message) for w in caught) == sorted(out["warnings"])
    if ics is not None:
        from icalendar import Calendar

        calendar = Calendar.from_ical(ics)
        out["ics"] = ics
        out["ics_calname"] = str(calendar["X-WR-CALNAME"])
        out["ics_summaries"] = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    return out


def cli_args(case: dict[str, Any], fmt: str, output: str) -> list[str]:
    if not _expands(case):
        return ["check", "case.yaml", "-o", output]
    options = _options(case)
    args = ["expand", "case.yaml", "--format", fmt, "-o", output]
    for key, value in {**case.get("participant", {}), **options}.items():
        if key == "lengths":
            for period, length in value.items():
                args += ["--length", f"{period}={length}"]
        elif key == "levels":
            for drug, level in value.items():
                args += ["--level", f"{drug}={level}"]
        else:
            args += [_FLAGS[key], str(value)]
    if fmt == "ics":
        args += ["--stamp", STAMP]
    return args


def unfold(data: bytes) -> list[str]:
    """The content lines of an iCalendar file, after checking its physical lines: CRLF
    endings, at most 75 octets each, and every fold between two whole UTF-8 characters."""
    assert data.endswith(b"\r\n")
    physical = data.split(b"\r\n")[:-1]
    for line in physical:
        assert len(line) <= 75, line
        assert b"\r" not in line
        assert b"\n" not in line
        line.decode("utf-8")  # a fold inside a character leaves a broken sequence
    lines: list[str] = []
    for line in physical:
        text = line.decode("utf-8")
        if text.startswith(" "):
            lines[-1] += text[1:]
        else:
            lines.append(text)
    return lines


def _ids(cases: list[dict[str, Any]]) -> list[Any]:
    params = []
    for case in cases:
        marks = []
        if "xfail" in case:
            marks.append(pytest.mark.xfail(strict=True, reason=case["xfail"]))
        params.append(pytest.param(case, id=f"{case['category']}:{case['id']}", marks=marks))
    return params


def test_catalogue_is_well_formed() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    assert len(CASES) >= 60
    allowed = {"id", "category", "description", "document", "body", "generate", "encoding",
               "participant", "options", "expect", "xfail", "cli", "ics"}
    for case in CASES:
        assert set(case) <= allowed, case["id"]
        assert case["description"].strip(), case["id"]
        expect = case["expect"]
        assert ("error" in expect) != ("administrations" in expect or "loaded" in expect), (
            case["id"])
        if "administrations" in expect:
            # A result case states what it expects: a missing key would compare the
            # outcome with itself.
            assert "derivations" in expect, case["id"]
        if "error" in expect:
            assert hasattr(regimens, expect["error"]), case["id"]
            assert issubclass(getattr(regimens, expect["error"]), regimens.RegimenError)


@pytest.mark.parametrize("case", _ids(CASES))
def test_api(case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "case.yaml").write_bytes(document(case))
    monkeypatch.chdir(tmp_path)
    outcome = run_api(case)
    expect = case["expect"]
    if "error" in expect:
        assert (outcome.get("error"), outcome.get("message")) == (expect["error"],
                                                                  expect["message"])
        return
    if "loaded" in expect:
        assert outcome == {"loaded": expect["loaded"]}
        return
    assert outcome.get("error") is None, outcome
    assert outcome["administrations"] == expect["administrations"]
    assert outcome["derivations"] == expect["derivations"]
    assert outcome["warnings"] == expect.get("warnings", [])  # none unless stated
    if case.get("ics"):
        lines = unfold(outcome["ics"])  # checks the folding of every line
        missing = [line for line in expect.get("ics_lines", []) if line not in lines]
        assert not missing
        for key in ("ics_calname", "ics_summaries"):  # read back: unfolded and unescaped
            if key in expect:
                assert outcome[key] == expect[key]


@pytest.mark.parametrize("case", _ids([c for c in CASES if c.get("cli", True)]))
def test_cli(case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "case.yaml").write_bytes(document(case))
    monkeypatch.chdir(tmp_path)
    expect = case["expect"]
    # An error of the calendar export itself shows with --format ics only.
    fmt = "ics" if case.get("ics") and "error" in expect else "json"
    code = main(cli_args(case, fmt, f"out.{fmt}"))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert out == ""
    if "error" in expect:
        wanted = expect.get("stderr")
        if wanted is None:  # a regimen file's problems are printed as they are
            assert expect["error"] == "InvalidRegimenError"
            wanted = expect["message"].split("\n")
        assert (code, err.splitlines()) == (2, wanted)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml"]  # nothing written
        return
    assert code == 0
    if "loaded" in expect:
        return
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    rows = [_row(a["study_day"], a["date"], a["datetime"] or a["time"], a["drug"], a["dose"])
            for a in data["administrations"]]
    assert rows == expect["administrations"]
    assert data["warnings"] == expect.get("warnings", [])
    assert err.splitlines() == [f"regimens: warning: {w}" for w in expect.get("warnings", [])]
    if case.get("ics"):
        assert main(cli_args(case, "ics", "out.ics")) == 0
        capsys.readouterr()
        api = run_api(case)
        assert (tmp_path / "out.ics").read_bytes() == api["ics"]


# Command-line cases ---------------------------------------------------------------------

_CLI_KEYS = {"id", "category", "description", "document", "body", "argv", "files", "stdin",
             "env", "stdout", "expect"}
_CLI_EXPECT = {"exit", "stderr", "usage", "stdout", "stdout_lines", "secret", "files"}


def test_cli_catalogue_is_well_formed() -> None:
    ids = [c["id"] for c in CASES + CLI_CASES]
    assert len(ids) == len(set(ids))
    for case in CLI_CASES:
        assert set(case) <= _CLI_KEYS, case["id"]
        assert set(case["expect"]) <= _CLI_EXPECT, case["id"]
        assert case["description"].strip(), case["id"]
        assert isinstance(case["expect"]["exit"], int), case["id"]
        assert case.get("stdout") in (None, "closed", "read-one-line", "full"), case["id"]


def _make(tmp_path: Path, name: str, spec: dict[str, Any]) -> None:
    """One file of a case: text, a link, a device node, a named pipe, a mode, an owner."""
    path = tmp_path / name
    if "text" in spec:
        path.write_bytes(spec["text"].encode("utf-8"))
    elif "symlink" in spec:
        path.symlink_to(spec["symlink"])
    elif "hardlink" in spec:
        os.link(tmp_path / spec["hardlink"], path)
    elif "device" in spec:
        # Character devices 1,3 (null), 1,5 (zero: endless) and 1,7 (full), made here:
        # never the machine's own.
        minor = {"sink": 3, "zero": 5, "full": 7}[spec["device"]]
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    elif "fifo" in spec:
        os.mkfifo(path)
    elif "directory" in spec:
        path.mkdir()
    if "mode" in spec:
        path.chmod(spec["mode"])
    if "owner" in spec:
        os.chown(path, *spec["owner"])


def _fifo_readers(tmp_path: Path, files: dict[str, Any]) -> dict[str, Any]:
    """A thread reading each named pipe to its end, as ``cat fifo`` would."""
    readers: dict[str, Any] = {}
    for name, spec in files.items():
        if "fifo" in spec:
            got: list[bytes] = []

            def read(path: Path = tmp_path / name, into: list[bytes] = got) -> None:
                with path.open("rb") as handle:
                    into.append(handle.read())

            thread = threading.Thread(target=read, daemon=True)
            thread.start()
            readers[name] = (thread, got)
    return readers


def _file_state(path: Path) -> dict[str, Any]:
    st = path.lstat()
    kind = ("symlink" if stat.S_ISLNK(st.st_mode) else "fifo" if stat.S_ISFIFO(st.st_mode)
            else "device" if stat.S_ISCHR(st.st_mode) else "directory"
            if stat.S_ISDIR(st.st_mode) else "file")
    return {"kind": kind, "mode": st.st_mode & 0o7777, "owner": [st.st_uid, st.st_gid]}


def _run_cli_case(case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                  capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    for key, value in case.get("env", {}).items():
        monkeypatch.setenv(key, value)
    if case.get("stdout"):
        # Standard output closed (>&-), a reader that stops after one line (| head -1), or
        # a full disk (> a device like /dev/full, made in the test's directory).
        closed = case["stdout"] == "closed"
        target: Any = subprocess.PIPE
        if case["stdout"] == "full":
            os.mknod(tmp_path / "stdout-full", stat.S_IFCHR | 0o666, os.makedev(1, 7))
            target = (tmp_path / "stdout-full").open("wb")
            closed = True  # nothing to read back
        process = subprocess.Popen(
            [sys.executable, "-m", "regimens", *case["argv"]], cwd=tmp_path,
            stdin=subprocess.DEVNULL, stdout=None if target is subprocess.PIPE and closed
            else target,
            stderr=subprocess.PIPE, pass_fds=(), close_fds=True,
            preexec_fn=(lambda: os.close(1)) if case["stdout"] == "closed" else None)
        if target is not subprocess.PIPE:
            target.close()
        out = ""
        if not closed:
            assert process.stdout is not None
            out = process.stdout.readline().decode("utf-8")
            process.stdout.close()
        err = process.communicate(timeout=60)[1].decode("utf-8")
        return process.returncode, out, err
    if "stdin" in case:  # a file of the case's directory, as with < FILE
        handle = (tmp_path / case["stdin"]).open("rb")
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(handle))
    try:
        code = main(case["argv"])
    except SystemExit as exc:  # the argument parser's errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("case", [pytest.param(c, id=f"cli:{c['id']}") for c in CLI_CASES])
def test_cli_case(case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                  capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "case.yaml").write_bytes(document(case))
    files = case.get("files", {})
    for name, spec in files.items():
        _make(tmp_path, name, spec)
    readers = _fifo_readers(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()
              if p.is_file() and not p.is_symlink() and stat.S_ISREG(p.stat().st_mode)}
    code, out, err = _run_cli_case(case, tmp_path, monkeypatch, capsys)
    for name, (thread, got) in readers.items():
        if not got:  # the command never opened the pipe: release the reader
            with (tmp_path / name).open("wb"):
                pass
        thread.join(timeout=60)
    expect = case["expect"]
    assert "Traceback" not in err
    assert code == expect["exit"], err
    lines = err.splitlines()
    if "usage" in expect:
        assert lines[0].startswith(f"usage: regimens {expect['usage']} ".replace("  ", " "))
        lines = [line for line in lines if not line.startswith(" ")][1:]
    if "stderr" in expect:
        assert lines == expect["stderr"]
    if "stdout" in expect:
        assert out == expect["stdout"]
    for line in expect.get("stdout_lines", []):
        assert line in out.splitlines()
    if "secret" in expect:
        assert expect["secret"] not in err + out
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    for name, wanted in expect.get("files", {}).items():
        path = tmp_path / name
        if wanted == "unchanged":
            assert path.read_bytes() == before[name]
            continue
        if wanted == "absent":
            assert not path.exists()
            continue
        state = _file_state(path)
        for key in ("kind", "mode", "owner"):
            if key in wanted:
                assert state[key] == wanted[key], (name, key)
        if "starts" in wanted:
            assert path.read_text(encoding="utf-8").startswith(wanted["starts"])
        if "read" in wanted:  # what the reader of a named pipe received
            assert readers[name][1][0].decode("utf-8").startswith(wanted["read"])
        if "lines" in wanted:
            text = path.read_bytes().decode("utf-8")  # CRLF or LF
            assert all(line in text.splitlines() for line in wanted["lines"]), text
