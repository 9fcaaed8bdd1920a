"""The command line's parser: its commands, options and their words in messages.

Building it imports none of the library (``regimens --help`` stays fast): the choices the
library defines are written out here, and a test checks them against it.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, NoReturn

from .._version import __version__
from . import _handout as sheets
from . import _supply as supply
from ._participant import FLAGS, participant_arguments
from ._site import site_arguments, site_check_arguments

_OPTION_FLAGS = {"arm": "--arm", "start": "--start", "anchor": "--anchor", "tz": "--tz",
                 "lengths": "--length",
                 "bsa_formula": "--bsa-formula", "bsa_decimals": "--bsa-decimals",
                 **FLAGS, "label": "--participant", "stamp": "--stamp", "remind": "--remind",
                 "previous": "--previous", "password": "--password-file", "drug": "--drug",
                 "calendar": "--calendar-name", "blinded": "--blinded",
                 "unblinded": "--unblinded", "closed": "--closed", "holidays": "--holidays",
                 "closed_dates": "--closed-dates", **sheets.FLAGS, **supply.FLAGS}


_COMMANDS = ("expand", "publish", "check", "schema", "catalog", "supply")
#: ``--bsa-formula`` choices: the values of ``quantities.BSAFormula`` (a test checks), written
#: out so that building the parser (``--help``) imports none of the library.
_BSA_FORMULAS = ("mosteller", "dubois", "haycock", "gehan-george", "boyd")


class _Parser(argparse.ArgumentParser):
    """An argument parser that never accepts an abbreviated option.

    ``allow_abbrev`` is off for the top-level parser and every subcommand: with it on,
    ``publish --pass S3cret`` was read as ``--password-file S3cret``, and the error
    that followed quoted the password.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)

    def _print_message(self, message: str, file: Any = None) -> None:
        # argparse drops a failed write silently (--help > /dev/full would end with
        # success and nothing written): let main report it.
        if message:
            (file or sys.stdout or sys.stderr).write(message)
            if file is None or file is sys.stdout:
                (file or sys.stdout or sys.stderr).flush()

    def error(self, message: str) -> NoReturn:
        if message.startswith("argument COMMAND: invalid choice"):
            # The word may be a value typed after a misspelled option: never quote it.
            message = "unknown command; choose from " + ", ".join(_COMMANDS)
        from ..quantities import printable

        self.print_usage(sys.stderr)
        # An option name may hold control characters: escaped, like every message.
        self.exit(2, f"{self.prog}: error: {printable(message)}\n")


def _option_name(word: str) -> str:
    """An unknown option as it may be shown: its name, never a value stuck to it.

    ``--pass=S3cret`` is shown ``--pass=...``, and a short option with its value attached
    (``-pS3cret``) ``-p...``.
    """
    if "=" in word:
        return word.split("=", 1)[0] + "=..."
    if not word.startswith("--") and len(word) > 2:
        return word[:2] + "..."
    return word


def _unrecognized(extras: list[str]) -> str:
    """The parser error for arguments no option takes, without quoting any value.

    Only option names are shown (``--pass``, or ``--pass=...``): a word that is not an
    option may be a secret typed after a misspelled option (``--pass S3cret``).
    """
    names = [_option_name(e) for e in extras if e.startswith("-") and e != "-"]
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
    expand.add_argument("--format", default="table", help="output format (html, diary, pdf, "
                        "diary-pdf: docs/handouts.md)",
                        choices=["table", "calendar", "json", "csv", "ics", *sheets.FORMATS])
    ics = expand.add_argument_group("iCalendar (--format ics)")
    _calendar_arguments(ics)
    ics.add_argument("--previous", metavar="FILE",
                     help="the calendar exported last time: changed events get a higher "
                     "SEQUENCE, removed ones are cancelled")
    sheets.arguments(expand)
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
    publish.add_argument("--drug", action="append", default=[], metavar="DRUG",
                         help="publish only this drug's administrations (repeatable), e.g. to "
                         "leave a daily background drug out of a phone's calendar; visits are "
                         "kept")

    check = sub.add_parser("check", help="regimen arithmetic and expectations",
                           description="Validate a regimen, print its arithmetic and verify "
                           "every 'expect' (exit 1 if one fails).")
    check.add_argument("regimen", metavar="REGIMEN", help="regimen file, or a catalogue id")
    participant = check.add_argument_group("participant (absolute totals; --age, not "
                                           "--birth-date)")
    participant_arguments(participant)
    _bsa_arguments(participant)
    participant.add_argument("--participant", default="", metavar="LABEL", help="a label")
    check.add_argument("--format", default="table", choices=["table", "json"])
    check.add_argument("-o", "--output", default="-", metavar="FILE")
    site_check_arguments(check)
    followed = check.add_argument_group(
        "a participant's record (the protocol's expect is about the plan; the record's report "
        "is about the participant: needs --arm and --start or --anchor)")
    followed.add_argument("--record", metavar="FILE",
                          help="the participant's record of treatment (.csv, or .yaml/.json); "
                          "the report ends with what it did: statuses, changes, protocol "
                          "deviations, the summary (docs/record.md)")
    followed.add_argument("--arm", help="the participant's arm (with --record)")
    followed.add_argument("--anchor", metavar="PERIOD=YYYY-MM-DD",
                          help="with --record, instead of --start: the date of the first day "
                          "of another period of the arm")
    followed.add_argument("--length", action="append", default=[], metavar="PERIOD=LENGTH",
                          help="with --record: the length chosen for a variable period "
                          "(repeatable)")
    followed.add_argument("--tz", help="with --record: the participant's IANA time zone")

    schema = sub.add_parser("schema", help="JSON Schema of the regimen format",
                            description="Print the JSON Schema of regimen format 1 (with "
                            "--record: of a participant's record file read as YAML or JSON).")
    schema.add_argument("--record", action="store_true",
                        help="the schema of a record file (docs/record.md), not a regimen's")
    schema.add_argument("-o", "--output", default="-", metavar="FILE")

    catalog = sub.add_parser("catalog", help="list the regimens shipped with the library",
                             description="List the catalogue: id, title, registry, arms, "
                             "periods.")
    catalog.add_argument("--format", default="table", choices=["table", "json"])
    supply.arguments(sub)
    parser.set_defaults(subcommands=sub.choices)
    return parser


def _schedule_arguments(command: argparse.ArgumentParser) -> None:
    """The regimen, arm and participant options shared by ``expand`` and ``publish``."""
    command.add_argument("regimen", metavar="REGIMEN", help="regimen file, or a catalogue id")
    command.add_argument("--arm", required=True, help="arm id")
    when = command.add_mutually_exclusive_group(required=True)
    when.add_argument("--start", metavar="YYYY-MM-DD",
                      help="calendar date of the day_one period's first day: Study "
                      "Day 1 (Day 0 with day_zero)")
    when.add_argument("--anchor", metavar="PERIOD=YYYY-MM-DD",
                      help="instead of --start: the date of the first day of another period "
                      "of the arm, e.g. run-in=2027-01-04 (a run-in of variable length "
                      "starts before Day 1 is known)")
    participant_arguments(command)
    _bsa_arguments(command)
    command.add_argument("--length", action="append", default=[], metavar="PERIOD=LENGTH",
                         help="length chosen for a variable period, e.g. run-in=14weeks "
                         "(repeatable)")
    command.add_argument("--tz",
                         help="IANA time zone for timed administrations, e.g. Europe/Paris")
    command.add_argument("--participant", default="", metavar="LABEL",
                         help="participant label, e.g. P-017 (never a name)")
    command.add_argument("--record", metavar="FILE",
                         help="the participant's record of treatment as it happens (.csv, or "
                         ".yaml/.json): doses given and missed, delays, holds, reductions, "
                         "measurements, stops; the schedule is the plan replayed over it "
                         "(docs/record.md)")
    site_arguments(command.add_argument_group(
        "the site's calendar (visits and clinic doses move off closed days within their "
        "window)"))


def _bsa_arguments(command: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    command.add_argument("--bsa-formula", default="mosteller",
                         choices=_BSA_FORMULAS,
                         help="body surface area formula (default: mosteller)")
    command.add_argument("--bsa-decimals", type=int, default=2, metavar="N",
                         help="decimals the body surface area is rounded to (default: 2)")


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
