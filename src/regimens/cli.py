"""The ``regimens`` command.

Exit codes: 0 success, 1 a check failed, 2 usage error or invalid input.
User mistakes print one line per problem on stderr, never a traceback.
Output is UTF-8 whatever the locale, and ``-o FILE`` is written atomically.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from ._version import __version__
from .quantities import BSAFormula

if TYPE_CHECKING:
    from .engine import Schedule
    from .model import Regimen

__all__ = ["main"]

#: The name of standard input in error messages (``regimens check -``).
_STDIN = "<stdin>"

_OPTION_FLAGS = {"arm": "--arm", "start": "--start", "tz": "--tz", "lengths": "--length",
                 "bsa_formula": "--bsa-formula", "bsa_decimals": "--bsa-decimals",
                 "weight": "--weight", "height": "--height", "bsa": "--bsa",
                 "label": "--participant", "stamp": "--stamp", "remind": "--remind",
                 "previous": "--previous", "password": "--password-file", "drug": "--drug",
                 "calendar": "--calendar-name", "blinded": "--blinded",
                 "unblinded": "--unblinded"}


def _say(text: object) -> None:
    """One message line on standard error, made printable."""
    from .quantities import printable

    print(printable(str(text)), file=sys.stderr)


_COMMANDS = ("expand", "publish", "check", "schema", "catalog")


class _Parser(argparse.ArgumentParser):
    """An argument parser that never accepts an abbreviated option.

    ``allow_abbrev`` is off for the top-level parser and every subcommand: with it on,
    ``publish --pass S3cret`` was read as ``--password-file S3cret``, and the error
    that followed quoted the password.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        if message.startswith("argument COMMAND: invalid choice"):
            # The word may be a value typed after a misspelled option: never quote it.
            message = "unknown command; choose from " + ", ".join(_COMMANDS)
        from .quantities import printable

        self.print_usage(sys.stderr)
        # An option name may hold control characters: escaped, like every message.
        self.exit(2, f"{self.prog}: error: {printable(message)}\n")


def _unrecognized(extras: list[str]) -> str:
    """The parser error for arguments no option takes, without quoting any value.

    Only option names are shown (``--pass``, or ``--pass=...``): a word that is not an
    option may be a secret typed after a misspelled option (``--pass S3cret``).
    """
    names = [e.split("=", 1)[0] + ("=..." if "=" in e else "") for e in extras
             if e.startswith("-") and e != "-"]
    others = len(extras) - len(names)
    parts = []
    if names:
        parts.append(("unrecognized option " if len(names) == 1 else "unrecognized options ")
                     + ", ".join(names) + " (options are never abbreviated)")
    if others == 1:
        parts.append("1 unexpected argument (not shown: it may be a secret)")
    elif others:
        parts.append(f"{others} unexpected arguments (not shown: they may be secrets)")
    return "; ".join(parts)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="regimens",
        description="Expand clinical-trial dosing regimens into exact, dated schedules.",
        epilog="Exit status: 0 success, 1 a check failed, 2 usage error or invalid input.",
    )
    parser.add_argument("--version", action="version", version=f"regimens {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    expand = sub.add_parser("expand", help="a participant's dated schedule",
                            description="Expand a regimen for one participant.")
    _schedule_arguments(expand)
    expand.add_argument("--drug", action="append", default=[], metavar="DRUG",
                        help="show only this drug's administrations (repeatable); visits "
                        "are kept")
    expand.add_argument("--format", default="table",
                        choices=["table", "calendar", "json", "csv", "ics"], help="output format")
    ics = expand.add_argument_group("iCalendar (--format ics)")
    _calendar_arguments(ics)
    ics.add_argument("--previous", metavar="FILE",
                     help="the calendar exported last time: changed events get a higher "
                     "SEQUENCE, removed ones are cancelled")
    expand.add_argument("-o", "--output", default="-", metavar="FILE",
                        help="write to FILE (atomically) instead of standard output")

    publish = sub.add_parser("publish", help="upload a participant's calendar to CalDAV",
                             description="Expand a regimen for one participant and upload it "
                             "to a CalDAV calendar, one event per resource. Publishing again "
                             "updates changed events and deletes those no longer in the "
                             "schedule; other events in the calendar are left alone.")
    _schedule_arguments(publish)
    server = publish.add_argument_group("CalDAV")
    server.add_argument("--caldav", required=True, metavar="URL",
                        help="URL of the calendar collection, e.g. "
                        "https://cal.example.org/trialbot/p-017/ (created if missing)")
    server.add_argument("--user", metavar="USER", help="user name on the CalDAV server")
    server.add_argument("--password-file", metavar="FILE",
                        help="file holding the password (one trailing newline is ignored); "
                        "never given on the command line")
    server.add_argument("--calendar-name", metavar="NAME",
                        help="display name of the calendar if it is created "
                        "(default: regimen title and participant label)")
    _calendar_arguments(publish.add_argument_group("iCalendar"))

    check = sub.add_parser("check", help="regimen arithmetic and expectations",
                           description="Validate a regimen, print its arithmetic and verify "
                           "every 'expect' (exit 1 if one fails).")
    check.add_argument("regimen", metavar="REGIMEN", help="regimen file, or a catalogue id")
    check.add_argument("--format", default="table", choices=["table", "json"])
    check.add_argument("-o", "--output", default="-", metavar="FILE")

    schema = sub.add_parser("schema", help="JSON Schema of the regimen format",
                            description="Print the JSON Schema of regimen format 1.")
    schema.add_argument("-o", "--output", default="-", metavar="FILE")

    catalog = sub.add_parser("catalog", help="list the regimens shipped with the library",
                             description="List the catalogue: id, title, registry, arms, "
                             "periods.")
    catalog.add_argument("--format", default="table", choices=["table", "json"])
    parser.set_defaults(subcommands=sub.choices)
    return parser


def _schedule_arguments(command: argparse.ArgumentParser) -> None:
    """The regimen, arm and participant options shared by ``expand`` and ``publish``."""
    command.add_argument("regimen", metavar="REGIMEN", help="regimen file, or a catalogue id")
    command.add_argument("--arm", required=True, help="arm id")
    command.add_argument("--start", required=True, metavar="YYYY-MM-DD",
                         help="calendar date of Study Day 1")
    command.add_argument("--weight", help="body weight with its unit: 70kg, 154lb")
    command.add_argument("--height", help="height with its unit: 175cm, 1.75m, 69in")
    command.add_argument("--bsa", help="body surface area in m2 (instead of height and weight)")
    command.add_argument("--bsa-formula", default="mosteller",
                         choices=[f.value for f in BSAFormula],
                         help="body surface area formula (default: mosteller)")
    command.add_argument("--bsa-decimals", type=int, default=2, metavar="N",
                         help="decimals the body surface area is rounded to (default: 2)")
    command.add_argument("--length", action="append", default=[], metavar="PERIOD=LENGTH",
                         help="length chosen for a variable period, e.g. run-in=14weeks "
                         "(repeatable)")
    command.add_argument("--tz",
                         help="IANA time zone for timed administrations, e.g. Europe/Paris")
    command.add_argument("--participant", default="", metavar="LABEL",
                         help="participant label, e.g. P-017 (never a name)")


def _calendar_arguments(group: argparse._ArgumentGroup) -> None:
    """The iCalendar options shared by ``expand --format ics`` and ``publish``."""
    group.add_argument("--stamp", metavar="DATETIME",
                       help="creation time written as DTSTAMP, e.g. 2027-01-01T09:00:00Z "
                       "(default: SOURCE_DATE_EPOCH when it is set, for reproducible "
                       "builds; otherwise the current time)")
    blind = group.add_mutually_exclusive_group()
    blind.add_argument("--blinded", dest="blinded", action="store_const", const=True,
                       default=None, help="hide arm, dose and placebo everywhere (ics and "
                       "calendar; default: in periods marked blinded)")
    blind.add_argument("--unblinded", dest="blinded", action="store_const", const=False,
                       help="show everything, even in blinded periods")
    group.add_argument("--remind", action="append", default=[], metavar="WHEN",
                       help="add a reminder: 1h, 30m, 1d, or 09:00-day-before (repeatable)")


#: The reproducible-builds convention for "the time this was made": whole seconds since
#: 1970-01-01T00:00:00Z (https://reproducible-builds.org/specs/source-date-epoch/).
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
#: 9999-12-31T23:59:59Z, the last second a DTSTAMP can hold.
_LAST_EPOCH_SECOND = 253402300799


def parse_stamp(text: str | None, environ: Mapping[str, str] | None = None,
                now: Callable[[], datetime] | None = None) -> datetime:
    """The creation time written as DTSTAMP, an aware datetime in UTC.

    ``text`` (``--stamp``: ``2027-01-01T09:00:00Z`` or with a UTC offset) wins; without
    it, ``SOURCE_DATE_EPOCH`` from ``environ`` (default ``os.environ``) when set, so that
    builds are reproducible; otherwise ``now()`` (default: the clock, to the second).
    The library never reads the clock: ``Schedule.to_ics`` takes its stamp explicitly.

    Raises ExpandOptionError (option ``stamp`` or ``SOURCE_DATE_EPOCH``) for a time
    without an offset, one that is not a date and time, or one outside the years 1 to
    9999 in UTC.
    """
    from .errors import ExpandOptionError

    if text is None:
        env = os.environ if environ is None else environ
        epoch = env.get(SOURCE_DATE_EPOCH)
        if epoch is not None:
            # The convention allows only ASCII digits: no sign, no fraction, no spaces.
            if not (epoch.isascii() and epoch.isdigit()) or int(epoch) > _LAST_EPOCH_SECOND:
                raise ExpandOptionError(
                    SOURCE_DATE_EPOCH, "write whole seconds since 1970-01-01T00:00:00Z, "
                    f"from 0 to {_LAST_EPOCH_SECOND} (year 9999), e.g. 1798761600 for "
                    "2027-01-01T00:00:00Z; or unset it, or give --stamp", epoch)
            return datetime.fromtimestamp(int(epoch), UTC)
        return (now or (lambda: datetime.now(UTC)))().astimezone(UTC).replace(microsecond=0)
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise ExpandOptionError("stamp", "write a date and time with Z or an offset, e.g. "
                                "2027-01-01T09:00:00Z", text)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        # 9999-12-31T23:00-01:00 is in the year 10000 in UTC, which no calendar holds.
        raise ExpandOptionError("stamp", "the time falls outside the years 1 to 9999 in UTC",
                                text) from None


def _ics(schedule: Schedule, args: argparse.Namespace) -> bytes:
    previous = None
    if args.previous:
        previous = Path(args.previous).read_bytes()
    return schedule.to_ics(stamp=parse_stamp(args.stamp), blinded=args.blinded,
                           reminders=args.remind, previous=previous)


#: Signals that end the process: a temporary output file is removed before it ends.
_FATAL_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                       if hasattr(signal, name))


class _Signalled(BaseException):
    """A fatal signal arrived while a temporary output file existed (see :func:`main`)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _removed_if_interrupted(tmp: str) -> Iterator[None]:
    """Remove ``tmp`` if the block ends by an exception or a fatal signal.

    SIGINT already raises KeyboardInterrupt; SIGTERM and SIGHUP would end the process
    without unwinding, so for the duration of the block they raise :class:`_Signalled`
    instead. A signal the caller ignores (``nohup``) stays ignored.
    """
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        def interrupted(signum: int, _frame: object) -> None:
            raise _Signalled(signum)

        for signum in _FATAL_SIGNALS:
            if signum != signal.SIGINT and signal.getsignal(signum) is signal.SIG_DFL:
                previous[signum] = signal.signal(signum, interrupted)
    try:
        yield
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _write_all(fd: int, data: bytes, name: str) -> None:
    """Write every byte of ``data`` to ``fd``; an error names the file (``name``)."""
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(fd, view):]
    except BrokenPipeError:
        raise
    except OSError as exc:
        # A full disk (ENOSPC) or a quota says which file it could not write.
        raise OSError(exc.errno, exc.strerror, name) from None


def _stdout_fd() -> int | None:
    """The file descriptor of standard output, or None when it is closed (``>&-``)."""
    if sys.stdout is None:
        return None
    try:
        return sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # replaced by an object without one
        return None


def _write_stdout(data: bytes) -> None:
    if sys.stdout is None:
        # Python sets sys.stdout to None when descriptor 1 was closed at start.
        raise OSError(errno.EBADF, "closed; write to a file with -o FILE", "standard output")
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except OSError as exc:
        # Nothing more can reach standard output: point it at the null device so that
        # the interpreter's final flush does not fail again with a traceback.
        fd = _stdout_fd()
        if fd is not None:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, fd)
            os.close(devnull)
        if isinstance(exc, BrokenPipeError):
            raise
        raise OSError(exc.errno, exc.strerror, "standard output") from None


def _same_inode(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _same_file(st: os.stat_result, source: str) -> bool:
    """Whether ``source`` (a REGIMEN argument; ``-`` is standard input) is the file ``st``.

    Compared by device and inode, so a symbolic or hard link to the file is the file.
    """
    try:
        other = os.fstat(sys.stdin.fileno()) if source == "-" else os.stat(source)
    except (AttributeError, OSError, ValueError):
        return False  # a catalogue id, or no standard input
    return _same_inode(st, other)


def write_output(text: str | bytes, target: str, *, inputs: Sequence[str] = ()) -> None:
    """Write UTF-8 text to ``target``: ``-`` is standard output.

    A regular file is replaced atomically (a temporary file beside it, renamed over it;
    nothing partial is left, even on SIGINT, SIGTERM or SIGHUP), keeping its mode and
    owner; a symbolic link stays a link. Anything else (a device, a named pipe,
    /dev/stdout) is written into, as a shell redirect would: never replaced. Refused,
    with the file named: a directory, a write-protected file, a file that cannot keep
    its owner, and one of ``inputs`` (the regimen being read, by inode, so also through
    a link). Errors are OSError with ``filename`` set to ``target``.
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    if target == "-":
        _write_stdout(data)
        return
    if not target.strip():
        raise OSError(errno.EINVAL, "needs a file name (or - for standard output)", "-o")
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, target) from None
    if st is not None:
        if any(_same_file(st, source) for source in inputs):
            raise OSError(errno.EINVAL, "this is the regimen file being read; write the "
                          "output to another file", target)
        if stat.S_ISDIR(st.st_mode):
            raise OSError(errno.EISDIR, "Is a directory", target)
        out = _stdout_fd()
        if out is not None and _same_inode(st, os.fstat(out)):
            _write_stdout(data)  # -o /dev/stdout, or the file standard output goes to
            return
        if not stat.S_ISREG(st.st_mode):
            _write_into(data, target)
            return
        _check_writable(st, target)
    _replace(data, target, st)


def _write_into(data: bytes, target: str) -> None:
    """Write into an existing device or named pipe, as ``> target`` would."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_NOCTTY)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, target) from None
    try:
        _write_all(fd, data, target)
    finally:
        os.close(fd)


def _check_writable(st: os.stat_result, target: str) -> None:
    """Refuse to replace a file its permissions protect from writing.

    Renaming over a file needs only the directory's permission, so the file's own is
    checked here. Root may write any file, but a file no one may write (``chmod a-w``)
    is taken as a request to keep it, for root too.
    """
    writable = (st.st_mode & 0o222 != 0) if os.geteuid() == 0 else os.access(target, os.W_OK)
    if not writable:
        raise OSError(errno.EACCES, f"Permission denied (mode {st.st_mode & 0o7777:04o}): the "
                      "file is write-protected; make it writable or write to another file",
                      target)


def _replace(data: bytes, target: str, st: os.stat_result | None) -> None:
    """Write a temporary file beside ``target`` and rename it over ``target``."""
    # Write where a symbolic link points, so the link stays a link.
    path = Path(os.path.realpath(target))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        # Name the file asked for, not the temporary one beside it.
        raise OSError(exc.errno, exc.strerror, target) from None
    with _removed_if_interrupted(tmp):
        try:
            _write_all(fd, data, target)
            os.fsync(fd)
            if st is not None:
                if (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
                    try:
                        os.fchown(fd, st.st_uid, st.st_gid)
                    except PermissionError:
                        raise OSError(errno.EPERM, "belongs to another user or group, which "
                                      "a new copy could not keep; write it as its owner or "
                                      "to another file", target) from None
                # Rewriting keeps the file's permissions (a private calendar stays private);
                # after fchown, which clears the set-user-id and set-group-id bits.
                mode = st.st_mode & 0o7777
            else:
                # mkstemp creates the file 0600; give it the permissions open() would.
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o666 & ~umask
            os.fchmod(fd, mode)
        finally:
            os.close(fd)
        try:
            os.replace(tmp, path)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, target) from None


def load_regimen(source: str) -> Regimen:
    """The regimen named by a REGIMEN argument: a file, a catalogue id, or ``-`` (stdin)."""
    from .errors import InvalidRegimenError, Problem
    from .format import MAX_BYTES, load, loads

    if source != "-":
        return load(source)
    if sys.stdin is None:
        raise OSError(errno.EBADF, "closed; give the regimen file's name", "standard input")
    # Read one byte more than the limit: enough to know the input is too long.
    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InvalidRegimenError([Problem(
            _STDIN, None, (), f"more than {MAX_BYTES:,} bytes; regimen files are limited to "
            f"{MAX_BYTES:,} bytes", code="file-too-large")])
    return loads(data, _STDIN)


def _lengths(items: list[str]) -> dict[str, str]:
    from .errors import ExpandOptionError

    out: dict[str, str] = {}
    for item in items:
        period, sep, length = item.partition("=")
        if not sep or not period.strip() or not length.strip():
            raise ExpandOptionError("lengths", "write PERIOD=LENGTH, e.g. run-in=14weeks", item)
        if period.strip() in out:
            raise ExpandOptionError("lengths", "this period is given twice", period.strip())
        out[period.strip()] = length.strip()
    return out


def _schedule(args: argparse.Namespace) -> Schedule:
    """The schedule the shared options (:func:`_schedule_arguments`) describe."""
    import warnings

    from .errors import RegimenWarning
    from .model import Participant

    regimen = load_regimen(args.regimen)
    bsa = args.bsa
    if bsa is not None and bsa.strip().replace(".", "", 1).isdigit():
        bsa = f"{bsa.strip()} m2"  # m² is the only unit of body surface area
    participant = Participant(weight=args.weight, height=args.height, bsa=bsa,
                              label=args.participant)
    with warnings.catch_warnings():
        # The caller prints them as plain lines (table output also lists them).
        warnings.simplefilter("ignore", RegimenWarning)
        schedule = regimen.expand(args.arm, args.start, participant,
                                  lengths=_lengths(args.length), tz=args.tz,
                                  bsa_formula=args.bsa_formula, bsa_decimals=args.bsa_decimals)
    return schedule


def _expand(args: argparse.Namespace) -> int:
    from .errors import ExpandOptionError

    if args.format != "ics":
        # Options that only shape an iCalendar file would otherwise be silently ignored.
        for option, given in (("stamp", args.stamp), ("remind", args.remind),
                              ("previous", args.previous)):
            if given:
                raise ExpandOptionError(option, "only with --format ics")
    if args.format not in ("ics", "calendar") and args.blinded is not None:
        # The staff formats have no blinded form: ignoring the option would print the arm
        # and the active dose to someone who asked for them hidden.
        if args.blinded:
            raise ExpandOptionError("blinded", "only with --format ics or calendar; the table, "
                                    "JSON and CSV are for unblinded staff and always show the "
                                    "arm and every dose")
        raise ExpandOptionError("unblinded", "only with --format ics or calendar; the table, "
                                "JSON and CSV always show the arm and every dose")
    schedule = _schedule(args)
    if args.drug:
        schedule = schedule.only(args.drug)
    warnings = schedule.warnings
    if args.format == "ics":
        write_output(_ics(schedule, args), args.output, inputs=[args.regimen])
        warnings = _shown_warnings(schedule, args.blinded)
    else:
        if args.format == "calendar":
            text = schedule.to_calendar(blinded=args.blinded)
            blinded = args.blinded
            if blinded is None:  # as the page decides
                blinded = any(p.blinded for p in schedule.periods)
            warnings = _shown_warnings(schedule, blinded)
        else:
            text = {"table": schedule.to_table, "json": schedule.to_json,
                    "csv": schedule.to_csv}[args.format]()
        write_output(text, args.output, inputs=[args.regimen])
    if args.format in ("json", "csv", "ics") or args.output != "-":
        for warning in warnings:
            _say(f"regimens: warning: {warning}")
    return 0


def _shown_warnings(schedule: Schedule, blinded: bool | None) -> tuple[Any, ...]:
    """The warnings a blinded output may print (none that tells an arm; see export)."""
    from .export import shown_warnings

    return shown_warnings(schedule, blinded)


def read_password(path: str) -> str:
    """The password in ``path``, without one trailing line break."""
    from .errors import ExpandOptionError

    try:
        text = Path(path).read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        # Never quote the bytes: they are the password.
        raise ExpandOptionError("password", "the password file is not UTF-8 text") from None
    except OSError as exc:
        # Nor the file's name: given by mistake, the password itself may be in its place.
        raise ExpandOptionError("password", "cannot read the password file (its name is not "
                                f"shown, in case it is the password): {exc.strerror}") from None
    if text.endswith("\n"):
        text = text[:-1]
        if text.endswith("\r"):
            text = text[:-1]
    return text


def _publish(args: argparse.Namespace) -> int:
    from .errors import ExpandOptionError
    from .export import publish
    from .quantities import printable

    if args.password_file and not args.user:
        raise ExpandOptionError("password", "give --user with --password-file")
    password = read_password(args.password_file) if args.password_file else None
    stamp = parse_stamp(args.stamp)
    schedule = _schedule(args)
    shown: list[int] = []

    def progress(done: int, total: int) -> None:
        # One line rewritten in place, on a terminal only (never into a log or a pipe).
        sys.stderr.write(f"\rregimens: publishing: {done} of {total} changes stored")
        sys.stderr.flush()
        shown.append(done)

    try:
        summary = publish(schedule, args.caldav, stamp=stamp, user=args.user,
                          password=password, blinded=args.blinded, reminders=args.remind,
                          calendar=args.calendar_name,
                          progress=progress if sys.stderr.isatty() else None)
    finally:
        if shown:
            sys.stderr.write("\n")
    for warning in _shown_warnings(schedule, args.blinded):
        _say(f"regimens: warning: {warning}")
    print(printable(str(summary)))
    return 0


def _check(args: argparse.Namespace) -> int:
    report = load_regimen(args.regimen).check()
    write_output(report.to_json() if args.format == "json" else report.to_text(), args.output,
                 inputs=[args.regimen])
    return 0 if report.ok else 1


def _schema(args: argparse.Namespace) -> int:
    import json

    from .format import json_schema

    write_output(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n", args.output)
    return 0


def _catalog(args: argparse.Namespace) -> int:
    import json

    from .export import grid
    from .format import catalog_ids, load

    entries: list[dict[str, Any]] = []
    for entry_id in catalog_ids():
        r = load(entry_id)
        entries.append({"id": r.id, "title": r.title, "registry": r.registry or None,
                        "arms": [a.id for a in r.arms], "periods": [p.id for p in r.periods]})
    if args.format == "json":
        write_output(json.dumps(entries, indent=2, ensure_ascii=False) + "\n", "-")
    else:
        rows = [[e["id"], e["registry"] or "", ", ".join(e["arms"]), ", ".join(e["periods"]),
                 e["title"]] for e in entries]
        text = "\n".join(grid(["Id", "Registry", "Arms", "Periods", "Title"], rows, set()))
        write_output(text + "\n" if rows else "The catalogue is empty.\n", "-")
    return 0


def _report(exc: Exception) -> None:
    from .errors import (
        ExpandOptionError,
        InvalidRegimenError,
        ParticipantError,
    )

    if isinstance(exc, InvalidRegimenError):
        for problem in exc.problems:
            _say(problem)
        return
    if isinstance(exc, ExpandOptionError | ParticipantError):
        key = exc.option if isinstance(exc, ExpandOptionError) else exc.field
        flag = _OPTION_FLAGS.get(key.split(".")[0], key)
        _say(f"regimens: {flag}: {exc.detail}")
        return
    _say(f"regimens: {exc}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args, extras = parser.parse_known_args(argv)
    if extras:
        # The subcommand's usage line, not the top-level one, for an option it does not know.
        parser = args.subcommands.get(args.command, parser)
        parser.error(_unrecognized(extras))
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    from .errors import RegimenError

    command = {"expand": _expand, "publish": _publish, "check": _check, "schema": _schema,
               "catalog": _catalog}
    try:
        return command[args.command](args)
    except RegimenError as exc:
        _report(exc)
        return 2
    except BrokenPipeError:
        # A closed pipe (| head) is not an error (standard output already points at the
        # null device, so the final flush is silent too).
        return 0
    except _Signalled as exc:
        # The temporary file is gone: now end as the signal would have ended us.
        signal.signal(exc.signum, signal.SIG_DFL)
        os.kill(os.getpid(), exc.signum)
        return 128 + exc.signum  # pragma: no cover - the signal ends the process
    except OSError as exc:
        _say(f"regimens: {exc.filename or ''}: {exc.strerror}")
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
