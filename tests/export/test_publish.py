"""`regimens publish`: upload to a real CalDAV server (Radicale, in-process on 127.0.0.1)."""

from __future__ import annotations

import io
import socket
import textwrap
import threading
import warnings
import wsgiref.simple_server
from collections.abc import Generator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

import regimens
from regimens.export import PublishSummary, publish
from support import HEAD

radicale = pytest.importorskip("radicale")
pytest.importorskip("caldav")

ROOT = Path(__file__).resolve().parents[2]
IMODALS = ROOT / "examples" / "imodals.yaml"
STAMP = datetime(2027, 1, 1, tzinfo=UTC)
USER, PASSWORD = "trialbot", "s3cret-Pa55 word"



def schedule(courses: str, *, start: str = "2027-03-08", label: str = "P-017",
             tz: str | None = "America/New_York") -> regimens.Schedule:
    text = HEAD + "periods:\n  - id: t\n    length: 2 weeks\n    courses:\n" + textwrap.indent(
        textwrap.dedent(courses), "      ") + "visits:\n  - {id: v1, day: 8, window: 2 days}\n"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        return regimens.loads(text, "r.yaml").expand("a", start,
                                                     regimens.Participant(label=label), tz=tz)


V1 = """\
- {drug: il2, dose: 1 MIU, days: 1-5}
- {drug: pred, dose: 5 mg, days: [1, 8], times: ["08:00"]}
"""
# Days 1-3 at a higher dose, days 4-5 dropped; prednisone and the visit unchanged.
V2 = """\
- {drug: il2, dose: 2 MIU, days: 1-3}
- {drug: pred, dose: 5 mg, days: [1, 8], times: ["08:00"]}
"""


class _Quiet(wsgiref.simple_server.WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


#: The running servers by URL (a test may stop one part-way through a publish).
SERVERS: dict[str, Any] = {}


def _serve(folder: Path, auth: dict[str, str],
           rights: dict[str, str] | None = None) -> Generator[str, None, None]:
    import radicale.config

    configuration = radicale.config.load()
    # "_filesystem_fsync" is Radicale's own switch for test suites.
    configuration.update({"auth": auth, "storage": {"filesystem_folder": str(folder),
                                                    "_filesystem_fsync": "False"},
                          "logging": {"level": "critical"}, **({"rights": rights} if rights
                                                                else {})},
                         "test", privileged=True)
    server = wsgiref.simple_server.make_server("127.0.0.1", 0,
                                               radicale.Application(configuration),
                                               handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/"
    SERVERS[url] = server
    try:
        yield url
    finally:
        SERVERS.pop(url, None)
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A Radicale server without authentication (any user name is accepted)."""
    yield from _serve(tmp_path / "collections", {"type": "none"})


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[str]:
    """A Radicale server that wants USER / PASSWORD."""
    users = tmp_path / "users"
    users.write_text(f"{USER}:{PASSWORD}\n")
    yield from _serve(tmp_path / "collections", {
        "type": "htpasswd", "htpasswd_filename": str(users), "htpasswd_encryption": "plain",
        "delay": "0"})  # no brute-force delay after a refused password


@pytest.fixture
def owner_only(tmp_path: Path) -> Iterator[str]:
    """A Radicale server that wants USER / PASSWORD and lets each user write only below
    /USER/ (anything else is 403 Forbidden)."""
    users = tmp_path / "users"
    users.write_text(f"{USER}:{PASSWORD}\n")
    yield from _serve(tmp_path / "collections", {
        "type": "htpasswd", "htpasswd_filename": str(users), "htpasswd_encryption": "plain",
        "delay": "0"}, {"type": "owner_only"})


def contents(url: str, user: str | None = None, password: str | None = None
             ) -> dict[str, Calendar]:
    """UID -> the resource's calendar, read back from the server independently."""
    import caldav

    with caldav.DAVClient(url=url, username=user, password=password) as client:
        out: dict[str, Calendar] = {}
        for obj in client.calendar(url=url).events():
            calendar = Calendar.from_ical(obj.data)
            found = list(calendar.walk("VEVENT"))
            assert len(found) == 1, obj.url  # one UID per resource (RFC 4791 §4.1)
            uid = str(found[0]["UID"])
            assert uid not in out, f"duplicate {uid}"
            out[uid] = calendar
        return out


def expected_uids(s: regimens.Schedule, **options: Any) -> set[str]:
    return {str(e["UID"]) for e in Calendar.from_ical(s.to_ics(stamp=STAMP, **options))
            .walk("VEVENT")}


def test_publish_republish_and_change(server: str) -> None:
    url = server + "trialbot/p-017/"
    first = schedule(V1)
    n = len(first.administrations) + len(first.visits)
    assert n == 8
    summary = publish(first, url, stamp=STAMP, reminders=["1h"])
    assert summary == PublishSummary(url, created=n, updated=0, unchanged=0, deleted=0)
    assert str(summary) == (f"published 8 events to {url}: 8 created, 0 updated, "
                            "0 unchanged, 0 deleted")
    stored = contents(url)
    assert set(stored) == expected_uids(first)
    for uid, calendar in stored.items():
        assert "METHOD" not in calendar
        event = calendar.walk("VEVENT")[0]
        assert int(event["SEQUENCE"]) == 0
        zones = [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")]
        timed = isinstance(event.decoded("DTSTART"), datetime)
        assert zones == (["America/New_York"] if timed else []), uid
        assert not calendar.get_missing_tzids()

    # Again, later: nothing changed, nothing duplicated.
    again = publish(schedule(V1), url, stamp=datetime(2027, 2, 1, tzinfo=UTC),
                    reminders=["1h"])
    assert (again.created, again.updated, again.unchanged, again.deleted) == (0, 0, n, 0)
    assert set(contents(url)) == set(stored)

    # The schedule changes: 3 updated, 2 deleted, prednisone and the visit unchanged.
    second = schedule(V2)
    changed = publish(second, url, stamp=STAMP, reminders=["1h"])
    assert (changed.created, changed.updated, changed.unchanged, changed.deleted) == (
        0, 3, 3, 2)
    stored = contents(url)
    assert set(stored) == expected_uids(second)
    for uid, calendar in stored.items():
        event = calendar.walk("VEVENT")[0]
        assert int(event["SEQUENCE"]) == (1 if ".il2." in uid else 0), uid
        if ".il2." in uid:
            assert "2 million units" in str(event["SUMMARY"])

    # A later start moves every event: all updated in place, none created or deleted.
    moved = schedule(V2, start="2027-03-15")
    result = publish(moved, url, stamp=STAMP, reminders=["1h"])
    assert (result.created, result.updated, result.unchanged, result.deleted) == (0, 6, 0, 0)
    stored = contents(url)
    assert set(stored) == expected_uids(moved)
    starts = sorted(c.walk("VEVENT")[0].decoded("DTSTART").isoformat() for c in stored.values())
    assert starts[0].startswith("2027-03-15")


def test_blinded_publication_of_imodals(server: str) -> None:
    url = server + "trialbot/imodals-p-017/"
    regimen = regimens.load(IMODALS)
    for arm in ("il2-1miu", "placebo"):
        s = regimen.expand(arm, "2027-01-04", regimens.Participant(label="P-017"))
        summary = publish(s, url, stamp=STAMP)
        # Blinded UIDs and text do not depend on the arm: the second arm changes nothing.
        assert summary.events == 18
        assert summary.created == (18 if arm == "il2-1miu" else 0)
    stored = contents(url)
    assert len(stored) == 18
    assert all("million" not in c.to_ical().decode() for c in stored.values())


def test_other_events_in_the_collection_are_left_alone(server: str) -> None:
    url = server + "trialbot/site-3/"
    other = schedule(V1, label="P-018")
    publish(other, url, stamp=STAMP)
    publish(schedule(V1, label="P 017"), url, stamp=STAMP)  # not P-017, and not P-018
    mine = publish(schedule(V1), url, stamp=STAMP)
    assert mine.created == 8
    # P-017 drops to V2: only P-017's two events go.
    result = publish(schedule(V2), url, stamp=STAMP)
    assert result.deleted == 2
    stored = contents(url)
    assert len(stored) == 8 + 8 + 6
    assert expected_uids(other) <= set(stored)


def test_not_a_calendar(server: str) -> None:
    publish(schedule(V1), server + "trialbot/cal/", stamp=STAMP)  # creates /trialbot/
    with pytest.raises(regimens.PublishError, match="not a CalDAV calendar collection"):
        publish(schedule(V1), server + "trialbot/", stamp=STAMP)


def test_unreachable_server() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(regimens.PublishError, match="cannot reach") as caught:
        publish(schedule(V1), f"http://bot:{PASSWORD}@127.0.0.1:{port}/x/", stamp=STAMP)
    assert PASSWORD not in str(caught.value)
    assert isinstance(caught.value, OSError)
    # The socket's own words, found in the HTTP client's exception chain (not in its text).
    assert str(caught.value) == f"cannot reach the CalDAV server at http://127.0.0.1:{port}/x/: " \
        "Connection refused"


def test_not_a_url() -> None:
    with pytest.raises(regimens.PublishError, match="not a CalDAV URL"):
        publish(schedule(V1), "ftp://example.org/x/", stamp=STAMP)


def test_credentials(locked: str) -> None:
    url = locked + f"{USER}/p-017/"
    with pytest.raises(regimens.PublishError, match="refused the credentials") as caught:
        publish(schedule(V1), url, stamp=STAMP, user=USER, password="wrong")
    assert "401" in str(caught.value)
    assert "wrong" not in str(caught.value)
    summary = publish(schedule(V1), url, stamp=STAMP, user=USER, password=PASSWORD)
    assert summary.created == 8
    assert len(contents(url, USER, PASSWORD)) == 8


def test_cli_publish(locked: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                     monkeypatch: pytest.MonkeyPatch) -> None:
    from regimens.cli import main

    url = locked + f"{USER}/imodals/"
    secret = tmp_path / "password"
    secret.write_text(PASSWORD + "\n")
    args = ["publish", str(IMODALS), "--arm", "placebo", "--start", "2027-01-04",
            "--participant", "P-017", "--caldav", url, "--user", USER,
            "--stamp", "2027-01-01T00:00:00Z", "--remind", "09:00-day-before"]
    assert main([*args, "--password-file", str(secret)]) == 0
    out, err = capsys.readouterr()
    assert out == f"published 18 events to {url}: 18 created, 0 updated, 0 unchanged, " \
                  "0 deleted\n"
    assert main([*args, "--password-file", str(secret)]) == 0
    assert ": 0 created, 0 updated, 18 unchanged, 0 deleted" in capsys.readouterr().out
    wrong = tmp_path / "wrong"
    wrong.write_text("not it\n")
    assert main([*args, "--password-file", str(wrong)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("regimens: the CalDAV server refused the credentials")
    assert "not it" not in err
    assert PASSWORD not in err
    # Without --stamp, SOURCE_DATE_EPOCH is the stamp: 1798761600 s is 2027-01-01T00:00:00Z
    # (20819 days of 86400 s), the stamp above, so nothing changed.
    unstamped = [a for a in args if a not in ("--stamp", "2027-01-01T00:00:00Z")]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")
    assert main([*unstamped, "--password-file", str(secret)]) == 0
    assert ": 0 created, 0 updated, 18 unchanged, 0 deleted" in capsys.readouterr().out
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "2027-01-01")
    assert main([*unstamped, "--password-file", str(secret)]) == 2
    assert capsys.readouterr().err.startswith("regimens: SOURCE_DATE_EPOCH: write whole seconds")
    # A password file without a user is refused.
    no_user = [a for a in args if a not in ("--user", USER)]
    assert main([*no_user, "--password-file", str(secret)]) == 2
    assert "--password-file" in capsys.readouterr().err
    # A password file that cannot be read: its name is not shown (it may be the password).
    assert main([*args, "--password-file", str(tmp_path / "missing")]) == 2
    assert capsys.readouterr().err == (
        "regimens: --password-file: cannot read the password file (its name is not shown, in "
        "case it is the password): No such file or directory\n")


def test_password_file_loses_one_newline_only(tmp_path: Path) -> None:
    from regimens.cli import read_password

    path = tmp_path / "p"
    for written, read in [("abc\n", "abc"), ("abc\r\n", "abc"), ("abc\n\n", "abc\n"),
                          ("abc", "abc"), (" abc \n", " abc ")]:
        path.write_bytes(written.encode())
        assert read_password(str(path)) == read


def test_nothing_is_created_for_a_publish_that_cannot_succeed(server: str) -> None:
    # Timed doses without a time zone cannot be written: refused before the server is touched.
    url = server + "trialbot/never/"
    with pytest.raises(regimens.ExpandOptionError, match="need a time zone"):
        publish(schedule(V1, tz=None), url, stamp=STAMP)
    with pytest.raises(regimens.ExpandOptionError, match="up to a year"):
        publish(schedule(V1), url, stamp=STAMP, reminders=["0m"])
    import caldav

    with caldav.DAVClient(url=server) as client, pytest.raises(caldav.error.NotFoundError):
        client.calendar(url=url).events()


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999/x/", "http://[::1/x/"])
def test_malformed_urls_are_publish_errors(url: str) -> None:
    with pytest.raises(regimens.PublishError, match="not a CalDAV URL"):
        publish(schedule(V1), url, stamp=STAMP)


def test_a_password_file_that_is_not_text_is_not_quoted(tmp_path: Path) -> None:
    from regimens.cli import read_password

    path = tmp_path / "pw"
    path.write_bytes(b"s3cr\xe9t\n")
    with pytest.raises(regimens.ExpandOptionError) as caught:
        read_password(str(path))
    assert str(caught.value) == "password: the password file is not UTF-8 text"


# Conditional writes, permissions, part-way failures, progress -----------------------------

# Every il2 dose changed again (3 MIU, days 1-5): a publish that conflicts with V2.
V3 = """\
- {drug: il2, dose: 3 MIU, days: 1-5}
- {drug: pred, dose: 5 mg, days: [1, 8], times: ["08:00"]}
"""


def _summaries(url: str) -> dict[str, str]:
    return {uid: str(next(iter(c.walk("VEVENT")))["SUMMARY"]) for uid, c in contents(url).items()}


def test_two_publishes_never_overwrite_each_other(server: str) -> None:
    url = server + "trialbot/p-017/"
    publish(schedule(V1), url, stamp=STAMP)
    other = schedule(V3)
    calls: list[tuple[int, int]] = []

    def meanwhile(done: int, total: int) -> None:
        calls.append((done, total))
        if len(calls) == 1:  # another publish runs between this one's first and second write
            assert publish(other, url, stamp=STAMP).updated == 5

    with pytest.raises(regimens.PublishError) as caught:
        publish(schedule(V2), url, stamp=STAMP, progress=meanwhile)
    # V2 updates the il2 events of days 1-3 and deletes days 4-5: 5 writes; the first was
    # stored, the second found its event rewritten by the other publish.
    assert calls == [(1, 5)]
    second = sorted(expected_uids(schedule(V2)) & expected_uids(other))
    message = str(caught.value)
    assert message.startswith("the event http://127.0.0.1:")
    assert message.endswith(
        "changed on the CalDAV server after this publish read it (HTTP 412 Precondition "
        "Failed: another publish or another client wrote it meanwhile), so it was not "
        "overwritten; run the publish again to merge with what the calendar holds now; before "
        "that, 1 of 5 changes was stored (0 created, 1 updated, 0 deleted), and publishing "
        "again completes the rest")
    assert second  # the conflicting events exist in both schedules
    # Nothing the other publish wrote was overwritten: the server holds its schedule.
    held = _summaries(url)
    assert set(held) == expected_uids(other)
    assert all("2 million" not in s for s in held.values())
    # Running it again merges: the calendar then holds V2 exactly.
    summary = publish(schedule(V2), url, stamp=STAMP)
    assert (summary.updated, summary.deleted) == (3, 2)
    assert set(contents(url)) == expected_uids(schedule(V2))


def test_a_create_never_replaces_an_event_made_meanwhile(server: str) -> None:
    url = server + "trialbot/p-017/"
    first = schedule(V1)
    done: list[int] = []

    def meanwhile(n: int, total: int) -> None:
        done.append(n)
        if n == 1:
            publish(schedule(V3), url, stamp=STAMP)  # creates every event but the first

    with pytest.raises(regimens.PublishError, match="HTTP 412") as caught:
        publish(first, url, stamp=STAMP, progress=meanwhile)
    assert "1 of 8 changes was stored (1 created, 0 updated, 0 deleted)" in str(caught.value)
    assert all("1 million" not in s for u, s in _summaries(url).items()
               if "il2" in u and "day-1." not in u)


def test_forbidden_is_not_wrong_credentials(owner_only: str) -> None:
    # The account exists and its password is right; the calendar belongs to someone else.
    url = owner_only + "someone-else/p-017/"
    with pytest.raises(regimens.PublishError) as caught:
        publish(schedule(V1), url, stamp=STAMP, user=USER, password=PASSWORD)
    message = str(caught.value)
    assert "HTTP 403 Forbidden" in message
    assert "lacks permission" in message
    assert "credentials" not in message
    assert PASSWORD not in message
    assert message.startswith("the CalDAV account lacks permission to ")
    assert message.endswith(f"at {url} (HTTP 403 Forbidden); the server accepted who is "
                            "asking but denies this on that calendar: ask its administrator "
                            "for write access, or publish to a calendar the account may write")
    # Its own calendar is fine.
    assert publish(schedule(V1), owner_only + f"{USER}/p-017/", stamp=STAMP, user=USER,
                   password=PASSWORD).created == 8


def test_a_failure_part_way_says_what_was_stored(tmp_path: Path) -> None:
    folder = tmp_path / "collections"
    serving = _serve(folder, {"type": "none"})
    url = next(serving) + "trialbot/p-017/"
    stopped: list[int] = []

    def server_stops(done: int, total: int) -> None:
        if done == 3:
            SERVERS[url.split("trialbot")[0]].shutdown()
            SERVERS[url.split("trialbot")[0]].server_close()
            stopped.append(done)

    try:
        with pytest.raises(regimens.PublishError) as caught:
            publish(schedule(V1), url, stamp=STAMP, progress=server_stops)
    finally:
        serving.close()
    assert stopped == [3]
    message = str(caught.value)
    assert message.startswith("cannot reach the CalDAV server at http://127.0.0.1:")
    assert message.endswith("; before that, 3 of 8 changes were stored (3 created, 0 updated, "
                            "0 deleted), and publishing again completes the rest")
    # A new server on the same storage: publishing again completes it.
    again = _serve(folder, {"type": "none"})
    url = next(again) + "trialbot/p-017/"
    try:
        summary = publish(schedule(V1), url, stamp=STAMP)
        assert (summary.created, summary.unchanged) == (5, 3)
        assert set(contents(url)) == expected_uids(schedule(V1))
    finally:
        again.close()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("terminal", [True, False])
def test_cli_progress_on_a_terminal_only(server: str, monkeypatch: pytest.MonkeyPatch,
                                         terminal: bool) -> None:
    from regimens.cli import WITHHELD, main

    stderr = _Terminal() if terminal else io.StringIO()
    stdout = io.StringIO()
    monkeypatch.setattr("sys.stderr", stderr)
    monkeypatch.setattr("sys.stdout", stdout)
    url = server + "trialbot/imodals/"
    assert main(["publish", str(IMODALS), "--arm", "placebo", "--start", "2027-01-04",
                 "--caldav", url, "--stamp", "2027-01-01T00:00:00Z"]) == 0
    assert stdout.getvalue().startswith("published 18 events to ")
    if terminal:
        shown = stderr.getvalue()
        assert shown.startswith("\rregimens: publishing: 1 of 18 changes stored")
        assert "\rregimens: publishing: 18 of 18 changes stored\n" in shown
        assert shown.endswith("\n")
    else:
        # No progress off a terminal; only what every blinded output says (imodals blinds):
        # a note, not a warning (it is said on every arm, whether anything was withheld).
        assert stderr.getvalue() == WITHHELD + "\n"
        assert stderr.getvalue().startswith("regimens: note: this output blinds "
                                            "administrations, so it lists no warning ")


@pytest.mark.parametrize("name", ["", "  ", "P-017 \u202eenilnO", "Trial\u200b", "a\x1b[2Jb",
                                  "two\nlines"])
def test_calendar_names_people_read_are_visible_text(server: str, name: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from regimens.cli import main

    url = server + "trialbot/named/"
    with pytest.raises(regimens.ExpandOptionError) as caught:
        publish(schedule(V1), url, stamp=STAMP, calendar=name)
    assert caught.value.detail.startswith(
        "a calendar name is one line of visible text: no control, bidirectional or zero-width "
        "characters, not empty (got ")
    assert main(["publish", str(IMODALS), "--arm", "placebo", "--start", "2027-01-04",
                 "--caldav", url, "--stamp", "2027-01-01T00:00:00Z",
                 "--calendar-name", name]) == 2
    err = capsys.readouterr().err
    assert err.startswith("regimens: --calendar-name: a calendar name is one line")
    assert all(c.isprintable() for c in err.rstrip("\n"))
    import caldav

    # Refused before the server was touched: no calendar was created.
    with caldav.DAVClient(url=server) as client, pytest.raises(caldav.error.NotFoundError):
        client.calendar(url=url).events()
