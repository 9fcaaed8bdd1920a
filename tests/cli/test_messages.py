"""Messages never pass a control sequence to the terminal, whatever text they quote."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from regimens.cli import main
from regimens.quantities import printable

ESC = "\x1b[2J"  # clears the screen
STAMP = "2027-01-01T00:00:00Z"


def _previous(tmp_path: Path, change: Callable[[str], str]) -> str:
    """A --previous calendar: the real export of the il2 arm, changed by ``change``."""
    path = tmp_path / "previous.ics"
    assert main(["expand", "mirocals", "--arm", "il2", "--start", "2027-01-04", "--format",
                 "ics", "--stamp", STAMP, "-o", str(path)]) == 0
    text = path.read_bytes().decode("utf-8")
    path.write_bytes(change(text).encode("utf-8"))
    return str(path)


def _uid_with_escape(text: str) -> str:
    uid = re.search(r"UID:(\S+)", text)
    assert uid is not None
    old = uid.group(1)
    changed = text.replace("UID:" + old, "UID:" + old.replace("@", ESC + "@"), 1)
    return changed.replace("SEQUENCE:0", "SEQUENCE:99999999999", 1)


CASES: dict[str, Callable[[Path], list[str]]] = {
    "uid in a previous file": lambda tmp: [
        "--format", "ics", "--stamp", STAMP, "-o", str(tmp / "out.ics"),
        "--previous", _previous(tmp, _uid_with_escape)],
    "unreadable previous file": lambda tmp: [
        "--format", "ics", "--stamp", STAMP, "-o", str(tmp / "out.ics"),
        "--previous", _previous(tmp, lambda t: f"BEGIN:VCALENDAR\r\nBROKEN{ESC}\r\n")],
    "summary in a previous file": lambda tmp: [
        "--format", "ics", "--stamp", STAMP, "-o", str(tmp / "out.ics"),
        "--previous", _previous(tmp, lambda t: t.replace("SUMMARY:", f"SUMMARY:{ESC}", 1)
                                .replace("SEQUENCE:0", "SEQUENCE:99999999999", 1))],
    "missing previous file name": lambda tmp: [
        "--format", "ics", "--stamp", STAMP, "-o", str(tmp / "out.ics"),
        "--previous", str(tmp / f"no{ESC}file.ics")],
    "output file name": lambda tmp: ["-o", str(tmp / f"missing{ESC}dir" / "out.txt")],
    "arm": lambda tmp: ["--arm", f"il{ESC}2"],
    "weight": lambda tmp: ["--weight", f"70{ESC}kg"],
    "participant label": lambda tmp: ["--participant", f"P-1{ESC}"],
    "length": lambda tmp: ["--length", f"run-in={ESC}"],
    "bidirectional override": lambda tmp: ["--arm", "il2\u202e"],
}


@pytest.mark.parametrize("name", list(CASES))
def test_no_raw_control_sequence_reaches_the_terminal(
        name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["expand", "mirocals", "--arm", "placebo", "--start", "2027-01-04",
            *CASES[name](tmp_path)]
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err
    assert all(c.isprintable() for line in err.splitlines() for c in line), err
    if name != "summary in a previous file":  # the message quotes the text, escaped
        assert "\\x1b[2J" in err or "\\u202e" in err


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\x1b[2Jb", "a\\x1b[2Jb"),
        ("\x9b31m", "\\x9b31m"),  # C1 CSI
        ("x\u202ey", "x\\u202ey"),
        ("tab\there", "tab\\there"),
        ("m² – ok", "m² – ok"),
        ("", ""),
    ],
)
def test_printable(text: str, shown: str) -> None:
    assert printable(text) == shown


@pytest.mark.parametrize(("size", "accepted"), [
    (1, True), (4096, True), (4097, False), (1_000_000, False)])
def test_password_file_is_read_up_to_a_bound(tmp_path: Path, size: int,
                                              accepted: bool) -> None:
    # An endless or huge file (/dev/zero, a document given by mistake) was read whole.
    from regimens.cli import read_password
    from regimens.errors import ExpandOptionError

    path = tmp_path / "pw"
    path.write_bytes(b"s" * size)
    if accepted:
        assert read_password(str(path)) == "s" * size
    else:
        with pytest.raises(ExpandOptionError, match="longer than 4,096 bytes") as info:
            read_password(str(path))
        assert "sss" not in str(info.value)


@pytest.mark.parametrize(("content", "limit", "message"), [
    (b"BEGIN:VCALENDAR\r\n", 10, "longer than 10 bytes"),
    (b"BEGIN:VCALENDAR\0", 1000, "holds NUL bytes"),
])
def test_previous_file_is_read_up_to_a_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             content: bytes, limit: int, message: str) -> None:
    # An endless device (/dev/zero) given as --previous was read until memory ran out.
    import regimens.cli
    from regimens.errors import ExpandOptionError

    monkeypatch.setattr(regimens.cli, "_PREVIOUS_LIMIT", limit)
    path = tmp_path / "previous.ics"
    path.write_bytes(content)
    with pytest.raises(ExpandOptionError, match=message):
        regimens.cli.read_previous(str(path))
    path.write_bytes(content[:limit].replace(b"\0", b""))
    assert regimens.cli.read_previous(str(path)) == content[:limit].replace(b"\0", b"")
