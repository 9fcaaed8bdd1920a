"""The end of the dose sheet: a participant's totals per drug, and each dose's vials.

Text in safe medication notation (``human_amount``); JSON with exact decimal
strings and unit symbols, as everywhere else.
"""

from __future__ import annotations

from typing import Any

from ..engine import ComputedDose, DrugTotal, Schedule
from ..quantities import Amount, VialCombination, counted, human_amount, plain

__all__ = ["totals_json", "totals_lines", "vials_json", "vials_text"]


def _sizes_text(vials: tuple[tuple[Amount, int], ...]) -> str:
    return " + ".join(f"{n} × {human_amount(size)}" for size, n in vials)


def vials_text(vials: VialCombination) -> str:
    """``'1 × 500 mg + 3 × 100 mg (80 mg waste)'``: the vials of one dose."""
    return f"{_sizes_text(vials.vials)} ({human_amount(vials.waste)} waste)"


def _amount_json(amount: Amount) -> dict[str, str]:
    return {"amount": plain(amount.magnitude), "unit": amount.unit.symbol}


def _sizes_json(vials: tuple[tuple[Amount, int], ...]) -> list[dict[str, Any]]:
    return [{"size": plain(size.magnitude), "unit": size.unit.symbol, "count": n}
            for size, n in vials]


def vials_json(vials: VialCombination) -> dict[str, Any]:
    """``{"vials": [{"size": "500", "unit": "mg", "count": 1}, ...], "waste": {...}}``."""
    return {"vials": _sizes_json(vials.vials), "waste": _amount_json(vials.waste)}


def form_json(dose: ComputedDose) -> dict[str, Any]:
    """``{"form": {"count": "2", "unit": "tablet", "content": {"amount": "1000", "unit":
    "mg"}}}`` for a dose counted in its drug's dosage form; ``{}`` otherwise."""
    if dose.form is None or dose.content is None:
        return {}
    return {"form": {"count": plain(dose.form.magnitude), "unit": dose.form.unit.symbol,
                     "content": _amount_json(dose.content)}}


def _count_text(t: DrugTotal) -> str:
    parts = []
    if t.placebo:
        parts.append(f"{t.placebo} placebo")
    if t.unspecified:
        parts.append(f"{t.unspecified} without a stated amount")
    return str(t.administrations) + (f" ({', '.join(parts)})" if parts else "")


def _dose_text(t: DrugTotal) -> str:
    """The cumulative dose: the drug's amounts; a placebo's, given as labelled, apart
    ("none (placebo: 4 million units as labelled)"), never as drug."""
    labelled = " and ".join(human_amount(a) for a in t.placebo_labelled)
    if t.amounts:
        text = " and ".join(human_amount(a) for a in t.amounts)
        return text + (f" (placebo: {labelled} as labelled)" if labelled else "")
    if t.placebo == t.administrations:
        return f"none (placebo: {labelled} as labelled)" if labelled else "none (placebo)"
    return "not stated" + (f" (placebo: {labelled} as labelled)" if labelled else "")


def _vials_total_text(t: DrugTotal) -> str:
    if not t.vials:
        return ""
    assert t.waste is not None
    return f"{_sizes_text(t.vials)} ({human_amount(t.waste)} waste)"


def totals_title(s: Schedule) -> str:
    """The totals' heading: with a participant's record they add the doses given and those
    still planned (never missed, held, cancelled or stopped ones), and say so."""
    if s.replayed is None:
        return "Totals for this participant:"
    lines = [n for d in s.replayed.summary.drugs for n in d.unplanned]
    if lines:
        # Never add a dose that fulfils nothing to the doses still planned silently.
        which = ", ".join(str(n) for n in sorted(lines))
        return ("Totals for this participant (doses given and still planned; they count "
                f"{counted(len(lines), 'dose')} given that fulfil"
                f"{'s' if len(lines) == 1 else ''} no planned administration (record "
                f"line{'s' if len(lines) > 1 else ''} {which}) beside the doses still planned: "
                "see the deviations):")
    return "Totals for this participant (doses given and still planned):"


def totals_rows(s: Schedule) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the totals table (a Vials column only when a drug has vials)."""
    totals = s.totals
    with_vials = any(t.vials for t in totals)
    header = ["Drug", "Administrations", "Cumulative dose"] + (["Vials"] if with_vials else [])
    rows = [[t.drug_name, _count_text(t), _dose_text(t)]
            + ([_vials_total_text(t)] if with_vials else []) for t in totals]
    return header, rows


def totals_lines(s: Schedule) -> list[str]:
    """One line per drug, for the month calendar: ``'demo-mab: 2 administrations, 1,440 mg'``."""
    out = []
    for t in s.totals:
        line = f"  {t.drug_name}: {counted(t.administrations, 'administration')}"
        line += f", {_dose_text(t)}"
        if t.placebo and t.amounts:
            line += f" ({t.placebo} placebo)"
        if t.vials:
            line += f"; vials {_vials_total_text(t)}"
        out.append(line)
    return out


def totals_json(s: Schedule) -> list[dict[str, Any]]:
    """The totals as JSON-ready values (the schedule's ``"totals"``)."""
    return [
        {"drug": t.drug, "drug_name": t.drug_name, "administrations": t.administrations,
         "placebo": t.placebo, "unspecified": t.unspecified,
         "amounts": [{**_amount_json(a), "text": human_amount(a)} for a in t.amounts],
         "vials": _sizes_json(t.vials),
         "waste": _amount_json(t.waste) if t.waste is not None else None,
         # A placebo given as labelled: never in "amounts" (no amount of the drug).
         "placebo_labelled": [{**_amount_json(a), "text": human_amount(a)}
                              for a in t.placebo_labelled]}
        for t in s.totals
    ]
