"""Print one participant's dated schedule for a regimen of the shipped catalogue.

    python examples/print_schedule.py                      # MIROCALS, arm il2, from 2027-01-04
    python examples/print_schedule.py nct04055623 --arm active --weight "70 kg" --bsa "1.8 m2"
    python examples/print_schedule.py mirocals --length run-in="18 weeks" --drug il2
    python examples/print_schedule.py imodals --calendar

Uses only the public API: regimens.load, Regimen.expand, Participant, and the
schedule's own renderers. REGIMEN may also be a path to a regimen file.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys

import regimens


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print a participant's dosing schedule.")
    parser.add_argument("regimen", nargs="?", default="mirocals",
                        help=f"catalogue id ({', '.join(regimens.catalog_ids())}) or a file")
    parser.add_argument("--arm", help="arm id (default: the regimen's first arm)")
    parser.add_argument("--start", default="2027-01-04", help="date of Study Day 1, YYYY-MM-DD")
    parser.add_argument("--weight", help="e.g. '70 kg'")
    parser.add_argument("--height", help="e.g. '175 cm'")
    parser.add_argument("--bsa", help="body surface area, e.g. '1.8 m2'")
    parser.add_argument("--participant", default="", help="study label, e.g. P-017")
    parser.add_argument("--length", action="append", default=[], metavar="PERIOD=LENGTH",
                        help="length of a variable period, e.g. run-in='18 weeks'")
    parser.add_argument("--drug", action="append", default=[],
                        help="show only this drug id (repeatable)")
    parser.add_argument("--calendar", action="store_true", help="month calendars, not a table")
    args = parser.parse_args(argv)

    try:
        regimen = regimens.load(args.regimen)
        arm = args.arm or regimen.arms[0].id
        participant = regimens.Participant(weight=args.weight, height=args.height, bsa=args.bsa,
                                           label=args.participant)
        lengths = dict(item.split("=", 1) for item in args.length)
        schedule = regimen.expand(arm, args.start, participant, lengths=lengths)
    except (regimens.RegimenError, ValueError) as exc:
        print(f"print_schedule: {exc}", file=sys.stderr)
        return 2
    if args.drug:
        kept = tuple(a for a in schedule.administrations if a.drug in args.drug)
        schedule = dataclasses.replace(schedule, administrations=kept)
    sys.stdout.write(schedule.to_calendar() if args.calendar else schedule.to_table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
