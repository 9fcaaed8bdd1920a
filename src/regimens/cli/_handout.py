"""``expand --format html|diary|pdf|diary-pdf``: the participant's handout and diary.

Kept out of the command's main module; the library does the work
(``Schedule.to_html``, ``to_diary``, ``to_pdf``).
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from ..errors import ExpandOptionError
from ._stamp import SOURCE_DATE_EPOCH, parse_stamp

if TYPE_CHECKING:
    from ..engine import Schedule

__all__ = ["HANDOUT_FORMATS", "handout_arguments", "handout_options", "render_handout"]

#: The formats for participants: HTML and PDF, calendar handout and dosing diary.
HANDOUT_FORMATS = ("html", "diary", "pdf", "diary-pdf")


def handout_arguments(command: argparse.ArgumentParser) -> None:
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


def handout_options(args: argparse.Namespace) -> None:
    """Refuses handout options given with another format (they would be ignored)."""
    if args.format in HANDOUT_FORMATS:
        return
    for option, given in (("lang", args.lang), ("paper", args.paper),
                          ("contact", args.contact)):
        if given:
            raise ExpandOptionError(option, "only with --format html, diary, pdf or "
                                    "diary-pdf")


def render_handout(schedule: Schedule, args: argparse.Namespace) -> str | bytes:
    """The handout or diary the arguments ask for."""
    options = {"lang": args.lang or "en", "blinded": args.blinded,
               "paper": args.paper or "a4", "contact": args.contact}
    if args.format == "html":
        return schedule.to_html(**options)
    if args.format == "diary":
        return schedule.to_diary(**options)
    # A PDF's creation date only from --stamp or SOURCE_DATE_EPOCH, never the clock.
    stamp = (parse_stamp(args.stamp) if args.stamp or SOURCE_DATE_EPOCH in os.environ
             else None)
    return schedule.to_pdf(sheet="diary" if args.format == "diary-pdf" else "handout",
                           stamp=stamp, **options)
