"""``-o`` and the standard streams: a full disk, signals, /dev/stdout, the default stamp,
secrets. More cases are in the bad-input catalogue (tests/bad_inputs/cli.yaml)."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from regimens.cli import main, parse_stamp
from support import IMODALS, ROOT

EXPAND = ["expand", str(IMODALS), "--arm", "il2-1miu", "--start", "2027-01-04"]


def test_a_full_disk_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.json"
    target.write_text("previous\n", encoding="utf-8")

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    assert main([*EXPAND, "--format", "json", "-o", str(target)]) == 2
    monkeypatch.undo()
    assert capsys.readouterr().err == f"regimens: {target}: No space left on device\n"
    assert target.read_text(encoding="utf-8") == "previous\n"  # kept as it was
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # no temporary file


# A wrapper that runs the command with os.fsync replaced by a pause: it says "ready" once
# the temporary file is written, then waits to be signalled (no timing involved).
HOOK = """
import os, sys, time
from regimens import cli
def pause(fd):
    sys.stderr.write("ready\\n"); sys.stderr.flush()
    while True:
        time.sleep(3600)
cli.os.fsync = pause
sys.exit(cli.main(sys.argv[1:]))
"""


def _default_signals() -> None:
    """In the child: the signals as an interactive shell leaves them (a CI runner or a
    background job may start the suite with SIGINT ignored, which the command respects)."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP],
                         ids=["SIGINT", "SIGTERM", "SIGHUP"])
def test_an_interrupted_write_leaves_no_temporary_file(signum: int, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("previous\n", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-c", HOOK, *EXPAND, "--format", "csv",
                                "-o", str(target)], stderr=subprocess.PIPE, cwd=ROOT,
                               preexec_fn=_default_signals)
    assert process.stderr is not None
    assert process.stderr.readline() == b"ready\n"
    assert len(list(tmp_path.glob(".out.csv.*.tmp"))) == 1  # the write is under way
    process.send_signal(signum)
    err = process.communicate(timeout=60)[1]
    assert b"Traceback" not in err
    # Ctrl-C exits with status 130; SIGTERM and SIGHUP end the process as they would have.
    assert process.returncode == (130 if signum == signal.SIGINT else -signum)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
    assert target.read_text(encoding="utf-8") == "previous\n"


def test_a_signal_while_a_named_pipe_waits_for_its_reader(tmp_path: Path) -> None:
    # Writing into a pipe makes no temporary file; the process still ends cleanly.
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    process = subprocess.Popen([sys.executable, "-m", "regimens", *EXPAND, "-o", str(pipe)],
                               stderr=subprocess.PIPE, cwd=ROOT, preexec_fn=_default_signals)
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGTERM
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]
    assert pipe.is_fifo()


def test_dev_stdout_is_standard_output() -> None:
    # /dev/stdout is a pipe here: written into, never replaced (and nothing is renamed).
    result = subprocess.run([sys.executable, "-m", "regimens", *EXPAND, "--format", "csv",
                             "-o", "/dev/stdout"], capture_output=True, cwd=ROOT, timeout=60,
                            check=False)
    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout.startswith(b"study_day,date,")
    assert result.stdout.count(b"\n") == 16  # header and 15 administrations


def test_stdout_on_a_full_device_names_standard_output(tmp_path: Path) -> None:
    full = tmp_path / "full"
    os.mknod(full, 0o020666, os.makedev(1, 7))  # a character device like /dev/full
    with full.open("wb") as out:
        result = subprocess.run([sys.executable, "-m", "regimens", *EXPAND], stdout=out,
                                stderr=subprocess.PIPE, cwd=ROOT, timeout=60, check=False)
    assert (result.returncode, result.stderr) == (
        2, b"regimens: standard output: No space left on device\n")


def test_the_stamp_defaults_to_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    fixed = datetime(2027, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
    assert parse_stamp(None, now=lambda: fixed) == datetime(2027, 5, 6, 7, 8, 9, tzinfo=UTC)
    before = datetime.now(UTC).replace(microsecond=0)
    stamp = parse_stamp(None)
    assert before <= stamp <= datetime.now(UTC)
    assert parse_stamp(None, environ={"SOURCE_DATE_EPOCH": "0"}) == datetime(1970, 1, 1,
                                                                             tzinfo=UTC)
    # 253402300799 s = 9999-12-31T23:59:59Z: 2932896 days of 86400 s, plus 86399 s.
    assert parse_stamp(None, environ={"SOURCE_DATE_EPOCH": "253402300799"}) == datetime(
        9999, 12, 31, 23, 59, 59, tzinfo=UTC)


def test_help_names_the_stamp_default() -> None:
    for command in ("expand", "publish"):
        result = subprocess.run([sys.executable, "-m", "regimens", command, "--help"],
                                capture_output=True, cwd=ROOT, timeout=60, check=False,
                                env={**os.environ, "COLUMNS": "200"})
        assert b"default: SOURCE_DATE_EPOCH when it is set" in result.stdout
        assert b"otherwise the current time" in result.stdout


SECRET = "S3cret-Pa55"


@pytest.mark.parametrize("extra", [
    ["--pass", SECRET], [f"--pass={SECRET}"], ["--password", SECRET], [f"--password={SECRET}"],
    ["--passw", SECRET], ["--password-fil", SECRET], [SECRET], ["--user", "bot", SECRET],
    ["--user", "bot", "--password-file", SECRET], ["--user", "bot", f"--password-file={SECRET}"],
    ["--password-file", SECRET],
    ["--user", "bot", "--password-file", SECRET, "--weight", "70"],
    ["--caldav", f"http://bot:{SECRET}@127.0.0.1:9/x/"],
    ["--caldav", f"http://bot:{SECRET}@[::1/x/"],
    ["--caldav", f"ftp://bot:{SECRET}@example.org/x/"],
], ids=lambda extra: "-".join(e.replace(SECRET, "SECRET") for e in extra))
def test_no_error_prints_a_secret(extra: list[str], tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    args = ["publish", str(IMODALS), "--arm", "placebo", "--start", "2027-01-04",
            "--stamp", "2027-01-01T00:00:00Z"]
    if "--caldav" not in extra:
        args += ["--caldav", "http://127.0.0.1:9/x/"]
    try:
        code = main([*args, *extra])
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert code == 2
    assert err
    assert "Traceback" not in err
    assert SECRET not in out + err


@pytest.mark.parametrize("argv", [
    ["--pass", SECRET, "publish"], [SECRET], ["expand", SECRET, SECRET, "--arm", "x"],
])
def test_no_usage_error_prints_a_secret(argv: list[str],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(argv)
    assert SECRET not in capsys.readouterr().err


def test_a_file_that_could_not_keep_its_owner_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # As a user other than root, a new copy of another user's file cannot be given back to
    # its owner (fchown is refused): the command refuses rather than change the owner.
    target = tmp_path / "shared.csv"
    target.write_text("previous\n", encoding="utf-8")
    os.chown(target, 4321, 8765)

    def refused(fd: int, uid: int, gid: int) -> None:
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "fchown", refused)
    assert main([*EXPAND, "--format", "csv", "-o", str(target)]) == 2
    assert capsys.readouterr().err == (
        f"regimens: {target}: belongs to another user or group, which a new copy could not "
        "keep; write it as its owner or to another file\n")
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shared.csv"]
