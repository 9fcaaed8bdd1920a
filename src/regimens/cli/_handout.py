"""``expand --format html|diary|pdf|diary-pdf``: the participant's handout and diary.

Kept out of the command's main module; the library does the work
(``Schedule.to_html``, ``to_diary``, ``to_pdf``).
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

from ..errors import ExpandOptionError
from ._stamp import SOURCE_DATE_EPOCH, parse_stamp

if TYPE_CHECKING:
    from ..engine import Schedule

__all__ = ["FLAGS", "FORMATS", "arguments", "refuse_unused", "render"]

#: The formats for participants: HTML and PDF, calendar handout and dosing diary.
FORMATS = ("html", "diary", "pdf", "diary-pdf")
#: The options of these formats by the field an error names (``regimens: --lang: ...``).
FLAGS = {"lang": "--lang", "paper": "--paper", "contact": "--contact",
                 "format": "--format", "sheet": "--format"}


def arguments(command: argparse.ArgumentParser) -> None:
    """The options of the handout formats."""
    group = command.add_argument_group("handout and diary (--format html, diary, pdf, "
                                       "diary-pdf)")
    group.add_argument("--lang", default=None, metavar="LANG",
                       help="language of the handout's words and dates: en (default), fr; "
                       "drug names and notes stay as written")
    group.add_argument("--paper", default=None, metavar="PAPER",
                       help="page size to print on: a4 (default) or letter")
    group.add_argument("--contact", action="append", default=[], metavar="LINE",
                       help="a line of the site's contact details (repeatable; default: "
                       "blank lines to write them in)")


def refuse_unused(args: argparse.Namespace) -> None:
    """Refuses handout options given with another format (they would be ignored), and
    ``--stamp`` with a format that writes no creation time."""
    if args.stamp and args.format not in ("ics", "pdf", "diary-pdf"):
        raise ExpandOptionError("stamp", "only with --format ics, pdf or diary-pdf")
    if args.format in FORMATS:
        return
    for option, given in (("lang", args.lang), ("paper", args.paper),
                          ("contact", args.contact)):
        if given:
            raise ExpandOptionError(option, "only with --format html, diary, pdf or "
                                    "diary-pdf")


def render(schedule: Schedule,
                   args: argparse.Namespace) -> tuple[str | bytes, tuple[Any, ...]]:
    """The handout or diary the arguments ask for, and the warnings it may print (none
    that tells an arm when the sheet is blinded)."""
    from ..export import shown_warnings

    options: dict[str, Any] = {"lang": args.lang or "en", "blinded": args.blinded,
                               "paper": args.paper or "a4", "contact": args.contact}
    # Blinded as the sheet blinds its doses (per period by default), as to_ics.
    warnings = shown_warnings(schedule, args.blinded)
    if args.format == "html":
        return schedule.to_html(**options), warnings
    if args.format == "diary":
        return schedule.to_diary(**options), warnings
    # A PDF's creation date only from --stamp or SOURCE_DATE_EPOCH, never the clock.
    stamp = (parse_stamp(args.stamp) if args.stamp or SOURCE_DATE_EPOCH in os.environ
             else None)
    return schedule.to_pdf(sheet="diary" if args.format == "diary-pdf" else "handout",
                           stamp=stamp, **options), warnings
