"""The ``regimens`` command.

Exit codes: 0 success, 1 a check failed, 2 usage error or invalid input.
User mistakes print one line per problem on stderr, never a traceback.
Output is UTF-8 whatever the locale, and ``-o FILE`` is written atomically.
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from . import _handout as sheets
from . import _supply as supply
from ._arguments import _OPTION_FLAGS, _parser, _unrecognized
from ._blinding import (
    WITHHELD,
    _blinded_arms,
    _blinds,
    _shown_warnings,
    _withheld,
    refuse_unblindable,
)
from ._output import Signalled, write_output
from ._participant import FLAGS, levels_from, participant_from
from ._password import read_password
from ._site import site_calendar
from ._stamp import parse_stamp

if TYPE_CHECKING:
    from ..engine import Schedule
    from ..model import Regimen
    from ..record import Record

__all__ = ["main"]

#: The name of standard input in error messages (``regimens check -``).
_STDIN = "<stdin>"

def _say(text: object) -> None:
    """One message line on standard error, made printable."""
    from ..quantities import printable

    print(printable(str(text)), file=sys.stderr)


def _ics(schedule: Schedule, args: argparse.Namespace, now: datetime | None = None,
         previous: bytes | None = None) -> bytes:
    """The iCalendar file of ``schedule`` (``now``: the clock's time, read once for every
    arm the blind guard renders; ``previous``: the ``--previous`` file, read once)."""
    if previous is None and args.previous:
        previous = read_previous(args.previous)
    return schedule.to_ics(stamp=parse_stamp(args.stamp,
                                             now=None if now is None else (lambda: now)),
                           blinded=args.blinded, reminders=args.remind, previous=previous)


def load_regimen(source: str) -> Regimen:
    """The regimen named by a REGIMEN argument: a file, a catalogue id, or ``-`` (stdin)."""
    from ..errors import InvalidRegimenError, Problem
    from ..format import MAX_BYTES, load, loads

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
    from ..errors import ExpandOptionError

    out: dict[str, str] = {}
    for item in items:
        period, sep, length = item.partition("=")
        if not sep or not period.strip() or not length.strip():
            raise ExpandOptionError("lengths", "write PERIOD=LENGTH, e.g. run-in=14weeks", item)
        if period.strip() in out:
            raise ExpandOptionError("lengths", "this period is given twice", period.strip())
        out[period.strip()] = length.strip()
    return out


def _schedule(args: argparse.Namespace, regimen: Regimen | None = None,
              arm: str | None = None) -> Schedule:
    """The schedule the shared options (:func:`_schedule_arguments`) describe (``regimen``:
    the one ``args.regimen`` names, when read already; ``arm``: another arm than
    ``args.arm``, for the blind guard)."""
    import warnings

    from ..errors import RegimenWarning

    if regimen is None:
        regimen = load_regimen(args.regimen)
    if arm is None:
        arm = args.arm
    participant = participant_from(args, args.participant)
    record = _record(args.record, regimen, arm, _blinds(args, regimen))
    with warnings.catch_warnings():
        # The caller prints them on standard error (the table also lists them).
        warnings.simplefilter("ignore", RegimenWarning)
        schedule = regimen.expand(arm, args.start, participant, anchor=args.anchor,
                                  lengths=_lengths(args.length), tz=args.tz,
                                  bsa_formula=args.bsa_formula, bsa_decimals=args.bsa_decimals,
                                  calendar=site_calendar(args),
                                  levels=levels_from(args.level), record=record)
    return schedule


def _record(path: str | None, regimen: Regimen, arm: str, blinded: bool) -> Record | None:
    """The record file ``--record`` names, read and checked against the regimen and arm
    (None without the option); ``blinded``: for an output that blinds the arm."""
    if path is None:
        return None
    from ..record import load_record

    # Every problem of every row in one error, those against the regimen included; an
    # unknown arm is left to expand, which names the arms.
    known = arm in {a.id for a in regimen.arms}
    return load_record(path, regimen=regimen, arm=arm if known else None,
                       blinded=blinded and known)


def _expand(args: argparse.Namespace) -> int:
    from ..errors import ExpandOptionError

    if args.format != "ics":
        # Options that only shape an iCalendar file would otherwise be silently ignored.
        for option, given in (("remind", args.remind), ("previous", args.previous)):
            if given:
                raise ExpandOptionError(option, "only with --format ics")
    sheets.refuse_unused(args)
    if args.format not in ("ics", "calendar", *sheets.FORMATS) and args.blinded is not None:
        # The staff formats have no blinded form: ignoring the option would print the arm
        # and the active dose to someone who asked for them hidden.
        if args.blinded:
            raise ExpandOptionError("blinded", f"only with --format {_BLINDABLE}; "
                                    "the table, JSON and CSV are for unblinded staff and "
                                    "always show the arm and every dose")
        raise ExpandOptionError("unblinded", f"only with --format {_BLINDABLE}; "
                                "the table, JSON and CSV always show the arm and every dose")
    regimen = load_regimen(args.regimen)
    if args.format in ("ics", "calendar", *sheets.FORMATS):
        refuse_unblindable(regimen, args.arm, args.blinded)
    if args.format == "table" or args.format == "json" or args.format == "csv" or (
            args.blinded is False):
        data, lines = _expand_output(args, regimen, args.arm)
    else:
        data, lines = _guarded(args, regimen, _expand_output)
    write_output(data, args.output, inputs=[args.regimen])
    # Every format says its warnings on standard error, also the table and the calendar,
    # which list them on the page as well: `> sheet.txt` or `| head` would hide them.
    for line in lines:
        _say(line)
    return 0


#: What a command prints: the output's bytes (or text), then its lines on standard error.
_Output = tuple[str | bytes, list[str]]


def _expand_output(args: argparse.Namespace, regimen: Regimen, arm: str,
                   now: datetime | None = None, previous: bytes | None = None) -> _Output:
    """What ``expand`` prints for a participant on ``arm`` (nothing is written)."""
    schedule = _schedule(args, regimen, arm)
    if args.drug:
        schedule = schedule.only(args.drug)
    warnings = schedule.warnings
    data: str | bytes
    if args.format == "ics":
        data = _ics(schedule, args, now, previous)
        warnings = _shown_warnings(schedule, args.blinded)
    elif args.format in sheets.FORMATS:
        data, warnings = sheets.render(schedule, args)
    elif args.format == "calendar":
        data = schedule.to_calendar(blinded=args.blinded)
        blinded = args.blinded
        if blinded is None:  # as the page decides
            blinded = any(p.blinded for p in schedule.periods)
        warnings = _shown_warnings(schedule, blinded)
    else:
        data = {"table": schedule.to_table, "json": schedule.to_json,
                "csv": schedule.to_csv}[args.format]()
    lines = [f"regimens: warning: {warning}" for warning in warnings]
    if args.format in ("ics", "calendar", *sheets.FORMATS) and _withheld(schedule,
                                                                         args.blinded):
        lines.append(WITHHELD)
    return data, lines


def _guarded(args: argparse.Namespace, regimen: Regimen,
             output: Callable[..., _Output]) -> _Output:
    """``output(args, regimen, arm)`` for the participant's arm once it is the same, byte
    for byte (output and standard error), on every arm the participant could be on behind
    the blind (:func:`regimens.blinded_arms`): a blinded output computed from the arm's
    own schedule alone would tell the arm by whatever differs (docs/cli.md, "The blind
    guard"). Otherwise :class:`~regimens.BlindedOutputError`, the same on every arm; when
    every arm fails, the first arm's error (the regimen's order), the same on every arm.
    One expansion and rendering per arm, in memory: nothing is written before."""
    from datetime import UTC

    from ..errors import RegimenError
    from ..export import Outcome, blinded_arms, check_alike

    arms, periods = blinded_arms(regimen, args.arm)
    if len(arms) < 2:
        return output(args, regimen, args.arm)
    # Read once for every arm: the clock (a DTSTAMP without --stamp) and --previous.
    now = datetime.now(UTC).replace(microsecond=0)
    previous = read_previous(args.previous) if getattr(args, "previous", None) else None
    outcomes: list[Outcome] = []
    mine: _Output | None = None
    for arm in arms:
        try:
            data, lines = output(args, regimen, arm, now, previous)
        except (RegimenError, OSError) as exc:
            outcomes.append(exc)
            continue
        raw = data.encode("utf-8") if isinstance(data, str) else data
        outcomes.append((("the output", raw), ("standard error", "\n".join(lines))))
        if arm == args.arm:
            mine = data, lines
    check_alike(periods, arms, outcomes, describe=lambda exc: "; ".join(_report_lines(exc)))
    assert mine is not None  # the arm asked succeeded, as every other did
    return mine


#: The longest --previous file read (bytes): far above the calendar of the most
#: administrations an expansion makes, well below the memory of a machine.
_PREVIOUS_LIMIT = 1024**3


def read_previous(path: str) -> bytes:
    """The bytes of a ``--previous`` calendar, read in chunks up to a bound.

    An endless device (``/dev/zero``) or a huge file given by mistake is refused: a NUL
    byte is never in an iCalendar file, so a device of zeros is refused at once.

    Raises:
        ExpandOptionError: a NUL byte, or more than 1 GiB (field ``previous``).
        OSError: the file cannot be read.
    """
    from ..errors import ExpandOptionError

    chunks: list[bytes] = []
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            if b"\0" in chunk:
                raise ExpandOptionError("previous", "not an iCalendar file: it holds NUL "
                                        "bytes; give the .ics file exported last time")
            size += len(chunk)
            if size > _PREVIOUS_LIMIT:
                raise ExpandOptionError("previous", f"the file is longer than "
                                        f"{_PREVIOUS_LIMIT:,} bytes; give the .ics file "
                                        "exported last time")
            chunks.append(chunk)
    return b"".join(chunks)


def _publish(args: argparse.Namespace) -> int:
    from ..errors import ExpandOptionError
    from ..export import publish
    from ..quantities import printable

    if args.password_file and not args.user:
        raise ExpandOptionError("password", "give --user with --password-file")
    password = read_password(args.password_file) if args.password_file else None
    stamp = parse_stamp(args.stamp)
    regimen = load_regimen(args.regimen)
    refuse_unblindable(regimen, args.arm, args.blinded)
    if args.blinded is not False and len(_blinded_arms(regimen, args.arm)) > 1:
        # What the server would hold and what would be said, compared for every arm
        # behind the blind before the server is touched.
        _guarded(args, regimen, partial(_publish_output, stamp))
    schedule = _schedule(args, regimen)
    if args.drug:
        schedule = schedule.only(args.drug)
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
    if _withheld(schedule, args.blinded):
        _say(WITHHELD)
    print(printable(str(summary)))
    return 0


def _publish_output(stamp: datetime, args: argparse.Namespace, regimen: Regimen, arm: str,
                    now: datetime | None = None, previous: bytes | None = None) -> _Output:
    """What ``publish`` would store (the events, as ``to_ics`` makes them) and say on
    standard error for a participant on ``arm``; nothing is sent."""
    schedule = _schedule(args, regimen, arm)
    if args.drug:
        schedule = schedule.only(args.drug)
    data = schedule.to_ics(stamp=stamp, blinded=args.blinded, reminders=args.remind)
    lines = [f"regimens: warning: {w}" for w in _shown_warnings(schedule, args.blinded)]
    if _withheld(schedule, args.blinded):
        lines.append(WITHHELD)
    return data, lines


#: The formats that have a blinded form, as the blinding options' messages list them.
_BLINDABLE = ", ".join(("ics", "calendar", *sheets.FORMATS[:-1])) + f" or {sheets.FORMATS[-1]}"


def _check(args: argparse.Namespace) -> int:
    from ..errors import ExpandOptionError

    given = any(getattr(args, k) is not None for k in FLAGS if k != "levels")
    if args.record is None:
        # Options of the participant's record would otherwise be silently ignored.
        for option, value in (("arm", args.arm), ("anchor", args.anchor),
                              ("lengths", args.length), ("tz", args.tz)):
            if value:
                raise ExpandOptionError(option, "only with --record")
    regimen = load_regimen(args.regimen)
    calendar = site_calendar(args)
    schedule = None
    if args.record is not None:
        if args.arm is None:
            raise ExpandOptionError("arm", "--record needs the participant's arm (--arm)")
        schedule = _schedule(args, regimen)
    participant = participant_from(args, args.participant) if given else None
    if schedule is not None and participant is not None and participant.birth is not None:
        # The record was replayed with the birth date (its doses have dates); the plan's
        # arithmetic has none, and an age taken on one day would be a guess for the others.
        raise ExpandOptionError("birth_date", "check --record also prints the regimen "
                                "arithmetic, which is not dated and needs an age, not a "
                                "birth date: give --age instead (used for every dose), or "
                                "use expand --record, which takes the birth date",
                                participant.birth_date)
    report = regimen.check(
        participant,
        levels=levels_from(args.level), bsa_formula=args.bsa_formula,
        bsa_decimals=args.bsa_decimals,
        calendar=calendar, start=(args.start if calendar is not None or schedule is None
                                  else None))
    if args.format == "json":
        text = report.to_json()
        if schedule is not None:
            import json

            data = json.loads(text)
            full = schedule.to_dict()
            data["participant_record"] = {key: full[key] for key in ("record", "summary")
                                          if key in full}
            # The schedule's warnings (the record's among them), as expand's JSON has them.
            data["participant_record"]["warnings"] = full["warnings"]
            text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        text = report.to_text()
        if schedule is not None:
            from ..export import record_lines

            text += "\n".join(record_lines(schedule)) + "\n"
    write_output(text, args.output, inputs=[args.regimen])
    # The report lists none of the participant's warnings (an --anchor's assumed length, a
    # dose recorded past max_cumulative, a dose given after the arm's last day, an
    # overdose; without --record, a rounding that moves a dose, an implausible body-mass
    # index): said as expand says them, in every format (staff only: check has no blinded
    # form).
    for warning in (schedule.warnings if schedule is not None else report.warnings):
        _say(f"regimens: warning: {warning}")
    _warn_unblindable(regimen)
    return 0 if report.ok else 1


def _warn_unblindable(regimen: Regimen) -> None:
    """A warning for each drug of a blinded period its arms are not given alike: the
    table, JSON and CSV are made, every blinded output refuses it (``blinded-unmatched``,
    :func:`refuse_unblindable`), said before anyone asks for one."""
    from ..export import unmatched_problem
    from ..model import unmatched_anywhere

    for gap in unmatched_anywhere(regimen):
        _say(f"regimens: warning: {unmatched_problem(gap)} (blinded-unmatched: every "
             "blinded output refuses it)")


def _schema(args: argparse.Namespace) -> int:
    import json

    from ..format import json_schema
    from ..record import record_schema

    schema = record_schema() if args.record else json_schema()
    write_output(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", args.output)
    return 0


def _catalog(args: argparse.Namespace) -> int:
    import json

    from ..export import grid
    from ..format import catalog_ids, load

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


def _report_lines(exc: BaseException) -> list[str]:
    """The lines that :func:`main` prints on standard error for an error."""
    from ..errors import (
        ExpandOptionError,
        InvalidRegimenError,
        ParticipantError,
        RegimenError,
    )

    if isinstance(exc, InvalidRegimenError):
        return [str(problem) for problem in exc.problems]
    if isinstance(exc, ExpandOptionError | ParticipantError):
        key = exc.option if isinstance(exc, ExpandOptionError) else exc.field
        flag = _OPTION_FLAGS.get(key.split(".")[0], key)
        return [f"regimens: {flag}: {exc.detail}"]
    if isinstance(exc, OSError) and not isinstance(exc, RegimenError):
        return [f"regimens: {exc.filename or ''}: {exc.strerror}"]
    return [f"regimens: {exc}"]


def _report(exc: Exception) -> None:
    for line in _report_lines(exc):
        _say(line)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args, extras = parser.parse_known_args(argv)
    except BrokenPipeError:
        return 0  # --help | head
    except OSError as exc:
        # --help or --version onto a full disk: never success with nothing written.
        _say(f"regimens: standard output: {exc.strerror}")
        return 2
    if extras:
        # The subcommand's usage line, not the top-level one, for an option it does not know.
        parser = args.subcommands.get(args.command, parser)
        parser.error(_unrecognized(extras))
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    from ..errors import RegimenError
    from ..quantities import lean_pint

    lean_pint()  # this process is the command's own: pint without NumPy starts faster
    command = {"expand": _expand, "publish": _publish, "check": _check, "schema": _schema,
               "catalog": _catalog, "supply": supply.run}
    try:
        return command[args.command](args)
    except RegimenError as exc:
        _report(exc)
        return 2
    except BrokenPipeError:
        # A closed pipe (| head) is not an error (standard output already points at the
        # null device, so the final flush is silent too).
        return 0
    except Signalled as exc:
        # The temporary file is gone: now end as the signal would have ended us.
        signal.signal(exc.signum, signal.SIG_DFL)
        os.kill(os.getpid(), exc.signum)
        return 128 + exc.signum  # pragma: no cover - the signal ends the process
    except OSError as exc:
        _report(exc)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
