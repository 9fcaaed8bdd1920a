"""A record's summary as JSON-ready values and as lines of text (docs/record.md, "Summary").

Amounts are exact decimal text with their unit, as everywhere in the JSON; every
percentage (a relative dose intensity, a ratio of totals) is shown rounded half up to one
decimal, the decimal always written ("100.0", "85.0", "0.0"), from its exact value (a ratio
of days and doses, with no finite decimal form in general: :func:`regimens.record.one_decimal`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .. import record
from ..quantities import Amount, Basis, human_amount, plain

if TYPE_CHECKING:
    from ..record import Delay, DrugSummary, Intensity, RecordSummary

# `record.OUTCOMES` is read when a summary is written: a schedule without a record has
# none, and its outputs import no module of the record but `expand`'s (PEP 562).

__all__ = ["summary_json", "summary_lines"]


def _percent(value: Decimal | None) -> str | None:
    """A percentage as shown (already rounded to one decimal): "85.0", never "85"."""
    return None if value is None else f"{value:f}"


def _amounts(amounts: tuple[Amount, ...]) -> list[dict[str, str]]:
    return [{"amount": plain(a.magnitude), "unit": a.unit.symbol} for a in amounts]


def _intensity(rdi: Intensity | None, own_lengths: bool = False) -> dict[str, Any] | None:
    if rdi is None:
        return None
    out: dict[str, Any] = {"percent": _percent(rdi.shown), "band": rdi.band,
                           "delivered_over_planned": _percent(rdi.ratio_shown),
                           "actual_days": rdi.actual_days, "planned_days": rdi.planned_days}
    if own_lengths:
        # Cycles in calendar months, or a course by interval (a list of days): the two
        # times add different lengths (only then, so every other summary keeps its bytes).
        out["cycle_days"] = {"actual": rdi.actual_cycle_days,
                             "planned": rdi.planned_cycle_days}
    return out


#: How a dose written per body size reads in the RDI's note.
_PER = {Basis.PER_M2: "per m²", Basis.PER_KG: "per kg", Basis.AUC: "as a target AUC"}

#: The RDI's basis in the table: (the words after "relative dose intensity", what each
#: dose is), by ``DrugSummary.rdi_basis``.
_BASIS_TEXT = {
    "per_m2": ("per m² ", "each amount over the BSA it was computed from"),
    "per_kg": ("per kg ", "each amount over the weight it was computed from"),
    "auc": ("in AUC ", "each amount over the GFR + 25 mL/min it was computed from "
                       "(Calvert)"),
}


def _amounts_text(d: DrugSummary) -> str:
    """What the RDI compares: doses per body size, or absolute amounts (flat doses, or
    body-size doses whose sizes are not all known on one basis)."""
    if d.rdi_basis in _BASIS_TEXT:
        return (f"{_BASIS_TEXT[d.rdi_basis][1]}; the totals above and their percentages "
                "are absolute amounts")
    per = _PER.get(d.dose_basis)
    return "absolute amounts" + (f", not {per}" if per else "")


def _cycle_text(d: DrugSummary) -> str:
    """The cycle length the RDI's times add: one length, or in calendar months each time's
    own last cycle, or for a course by interval (a list of days) the planned interval
    after each time's last dose."""
    if not d.in_months and not d.by_interval:
        return f"one {d.cycle_days}-day cycle"
    lengths = [(d.cycle_days, "given")]
    for rdi, what in ((d.intensity, "planned"), (d.intensity_started,
                                                  "for the cycles started")):
        if rdi is not None and rdi.planned_cycle_days is not None:
            lengths.append((rdi.planned_cycle_days, what))
    if not d.in_months:
        what = "the planned interval after the last dose"
        if len({n for n, _ in lengths}) == 1:
            return f"{what}, {lengths[0][0]} day{'' if lengths[0][0] == 1 else 's'}"
    else:
        what = ("the planned length of the last cycle" if not d.by_interval else
                "the planned length of the last cycle or interval after the last dose")
    return what + ": " + ", ".join(f"{n} days {w}" for n, w in lengths)


def _drug(d: DrugSummary) -> dict[str, Any]:
    return {
        "drug": d.drug,
        "name": d.name,
        **{status: d.count(status) for status in record.OUTCOMES},
        "given_total": _amounts(d.given_total),
        "planned_total": _amounts(d.planned_total),
        "started_total": _amounts(d.started_total),
        # The matching placebo's administrations (in the counts above, never in a total),
        # those given, and what was given of it as labelled.
        "placebo": d.placebo,
        "placebo_given": d.placebo_given,
        "placebo_labelled": _amounts(d.placebo_labelled),
        "cycle_days": d.cycle_days,
        # What the RDI compares ("basis": per_m2 is each amount over the BSA it was computed
        # from; absolute the amounts); delivered_over_planned is always of the amounts.
        "rdi": {"basis": d.rdi_basis, "dose_basis": d.dose_basis.value,
                "protocol": _intensity(d.intensity, d.in_months or d.by_interval),
                "cycles_started": _intensity(d.intensity_started,
                                             d.in_months or d.by_interval)},
    }


def _delay(d: Delay) -> dict[str, Any]:
    return {"text": d.text, "line": d.line, "date": d.date.isoformat(), "drug": d.drug,
            "cycle": d.cycle, "day": d.day, "due": d.due.isoformat(), "days": d.days,
            "total_days": d.total, "max_delay_days": d.max_delay, "deviation": d.deviation,
            "reason": d.reason}


def summary_json(s: RecordSummary) -> dict[str, Any]:
    """The ``summary`` object of a schedule replayed over a record, in a fixed key order."""
    return {
        "record": s.source,
        "drugs": [_drug(d) for d in s.drugs],
        "delays": [_delay(d) for d in s.delay_details],
        "reductions": list(s.reductions),
        "deviations": list(s.deviations),
        "cumulative": [str(f.warning) for f in s.cumulative],
        "measurements": list(s.measurements),
        "voided": list(s.voided),
    }


def _totals_text(amounts: tuple[Amount, ...]) -> str:
    return " + ".join(human_amount(a) for a in amounts) if amounts else "nothing"


def _rdi_text(rdi: Intensity | None, against: str) -> str:
    if rdi is None or rdi.percent is None:
        return f"none against {against}"
    return f"{_percent(rdi.shown)}% ({rdi.band}) against {against}"


def _no_intensity(d: DrugSummary, per: str) -> str | None:
    """Why a drug's summary has no RDI line of two figures, in words a pharmacist reads
    (docs/record.md, "Summary"), to follow "relative dose intensity"; None when it has one.

    - no dose given and none still planned: the treatment ended with none of the drug
      given, so nothing was delivered over its planned time: 0%;
    - no dose given yet, doses still planned: not defined yet (the actual time runs from
      the first dose given);
    - doses in units that do not add up (mg and USP units), or no planned amount: not
      computed;
    - every administration of the drug a placebo: none (no amount of the drug; a placebo
      given is no dose given, whatever its label says).
    """
    rdi, name = d.intensity, d.name
    if rdi is None and d.placebo and d.placebo == sum(n for _, n in d.counts):
        return f": none: every administration of {name} is a placebo"
    if rdi is None:
        if not d.planned_total:
            return (f": not computed: no planned dose of {name} has an amount to compare "
                    "the doses given with")
        kinds = list(dict.fromkeys(a.unit.dimension.value
                                   for a in (*d.planned_total, *d.given_total)))
        return (f": not computed: the doses of {name} are in {' and '.join(kinds)}, which "
                "do not add up to one total")
    if d.count("given") > d.placebo_given or d.given_total:
        return None
    if rdi.percent is not None:
        return (f" {per}{_percent(rdi.shown)}% ({rdi.band}) against the protocol: no dose "
                f"of {name} was given and none is still planned, so nothing was delivered "
                f"over its planned {rdi.planned_days} days; none against the cycles "
                "started: none was started")
    return (f": not yet defined: no dose of {name} has been given so far, and the intensity "
            "counts from the first dose given (it is 0% if the treatment ends with none "
            "given)")


def summary_lines(s: RecordSummary) -> list[str]:
    """The summary as the table and calendar print it, after the administrations."""
    lines = [f"Record {s.source}:"]
    for d in s.drugs:
        # The doses given that fulfil no planned administration are among the given ones:
        # said beside that count, never after the planned one ("4 given (1 of them ...),
        # 6 planned").
        said = []
        if d.unplanned:
            said.append(f"{len(d.unplanned)} of them fulfilling no planned administration: "
                        f"line{'s' if len(d.unplanned) > 1 else ''} "
                        f"{', '.join(str(n) for n in d.unplanned)}")
        if d.placebo_given:
            # A placebo given is no dose of the drug: said, with its label's amount.
            labelled = " + ".join(human_amount(a) for a in d.placebo_labelled)
            said.append(f"{d.placebo_given} as placebo"
                        + (f": {labelled} as labelled" if labelled else ""))
        unplanned = f" ({'; '.join(said)})" if said else ""
        counts = ", ".join(f"{d.count(status)} {status}"
                           + (unplanned if status == "given" else "")
                           for status in record.OUTCOMES if d.count(status))
        lines.append(f"  {d.name} ({d.drug}): {counts or 'no administrations'}")
        ratio = ""
        if d.intensity is not None and d.intensity.ratio is not None:
            ratio = f" ({_percent(d.intensity.ratio_shown)}%)"
        started = ""
        if d.intensity_started is not None and d.intensity_started.ratio is not None:
            started = f" ({_percent(d.intensity_started.ratio_shown)}%)"
        lines.append(f"    given {_totals_text(d.given_total)} of "
                     f"{_totals_text(d.planned_total)} planned{ratio}; cycles started: "
                     f"{_totals_text(d.started_total)} planned{started}")
        per = _BASIS_TEXT[d.rdi_basis][0] if d.rdi_basis in _BASIS_TEXT else ""
        why = _no_intensity(d, per)
        if why is not None:
            # Nothing given, or doses that do not add up: say which and why, once.
            lines.append(f"    relative dose intensity{why}")
            continue
        protocol = _rdi_text(d.intensity, 'the protocol')
        if d.intensity is not None and d.intensity.at_least_planned:
            protocol += (f" (over its planned {d.intensity.planned_days} days: the treatment "
                         "ended with doses not given)")
        lines.append(f"    relative dose intensity {per}{protocol}, "
                     f"{_rdi_text(d.intensity_started, 'the cycles started')} (first to last "
                     f"dose + {_cycle_text(d)}; {_amounts_text(d)})")
    for title, items in (("Delays", s.delays), ("Reductions", s.reductions),
                         ("Deviations", s.deviations),
                         # Planned doses only: one given past the limit is a deviation.
                         ("Cumulative limits", tuple(str(f.warning) for f in s.cumulative
                                                     if not f.given)),
                         ("Implausible measurements", s.measurements),
                         ("Voided rows", s.voided)):
        if items:
            lines.append(f"  {title}:")
            lines += [f"    - {item}" for item in items]
    return lines
