"""Compare the arms of a catalogue regimen: administrations and cumulative doses per drug.

    python examples/compare_arms.py                 # NCT04055623, 70 kg, 1.80 m2
    python examples/compare_arms.py imodals
    python examples/compare_arms.py nct04055623 --weight "80 kg" --bsa "2.0 m2"

For each arm and drug it prints the count of administrations (placebo ones
apart), the cumulative dose as the protocol writes it (per kg or per m2 where
the dose is relative, from Regimen.check()), and the absolute cumulative dose
for the given participant (from Regimen.expand()).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from decimal import Decimal

import regimens


def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    whole, _, frac = text.partition(".")
    return f"{int(whole):,}" + (f".{frac}" if frac else "")


#: Words for each dimension's base unit (safe notation: "units", never "IU" or "U").
BASE_WORDS = {regimens.Dimension.MASS: "mg", regimens.Dimension.ACTIVITY: "units",
              regimens.Dimension.CELLS: "cells", regimens.Dimension.VOLUME: "mL"}


def absolute_totals(schedule: regimens.Schedule) -> dict[str, dict[str, Decimal]]:
    """drug id -> base unit word -> cumulative amount; placebo and unfixed doses left out."""
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for a in schedule.administrations:
        if a.dose.amount is not None:
            unit = a.dose.amount.unit
            totals[a.drug][BASE_WORDS[unit.dimension]] += a.dose.amount.magnitude * unit.factor
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compare a regimen's arms.")
    parser.add_argument("regimen", nargs="?", default="nct04055623")
    parser.add_argument("--weight", default="70 kg")
    parser.add_argument("--bsa", default="1.8 m2")
    parser.add_argument("--start", default="2027-01-04")
    args = parser.parse_args(argv)
    try:
        regimen = regimens.load(args.regimen)
        participant = regimens.Participant(weight=args.weight, bsa=args.bsa)
        report = regimen.check()
        schedules = {arm.id: regimen.expand(arm.id, args.start, participant)
                     for arm in regimen.arms}
    except regimens.RegimenError as exc:
        print(f"compare_arms: {exc}", file=sys.stderr)
        return 2

    print(f"{regimen.title} ({regimen.registry or regimen.id})")
    print(f"Participant: weight {args.weight}, body surface area {args.bsa}; "
          f"Study Day 1 on {args.start}")
    print()
    header = ["Arm", "Drug", "Given", "Placebo", "Cumulative (protocol)",
              "Cumulative (participant)"]
    rows = []
    for s in report.summaries:
        schedule = schedules[s.arm]
        given = sum(1 for a in schedule.administrations if a.drug == s.drug)
        placebo = sum(1 for a in schedule.administrations if a.drug == s.drug and a.placebo)
        totals = absolute_totals(schedule).get(s.drug, {})
        absolute = " + ".join(f"{_plain(v)} {u}" for u, v in sorted(totals.items())) or (
            "none (placebo)" if placebo == given else "not fixed")
        rows.append([s.arm, s.drug_name, str(given), str(placebo), s.total_text(), absolute])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
