"""A check report (``regimens check``) as a table for people, as data and as JSON.

Amounts are exact decimal strings in the data; the text says the same in safe notation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..quantities import counted, human_dose_quantity, measure_text, plain, typed_text
from ._grid import _day, grid
from ._json import dumps_indent2
from ._schedule_data import site_calendar_dict

if TYPE_CHECKING:
    from ..engine import CheckReport

__all__ = ["check_dict", "check_json", "check_text"]


def check_text(report: CheckReport) -> str:
    """A check report as a table for people."""

    r = report.regimen
    lines = [f"{r.title} ({r.id}{', ' + r.registry if r.registry else ''})", ""]
    given = participant_text(report)
    if given:
        lines += [given, ""]
    # A Daily dose column only when a drug has divided daily doses: other reports keep
    # their columns.
    daily = any(s.daily for s in report.summaries)
    rows = [[s.arm, s.drug_name, s.count_text(), s.total_text()]
            + ([s.daily_text()] if daily else [])
            + [s.intensity_text(),
               f"Day {s.first_day} to {s.last_day}" if s.first_day is not None else "-"]
            for s in report.summaries]
    lines += grid(["Arm", "Drug", "Administrations", "Cumulative dose"]
                  + (["Daily dose"] if daily else []) + ["Per week", "Days"], rows, {2})
    lines += ["", "Evaluated " + "; ".join(report.conditions) + "."]
    if report.results:
        lines += ["", "Expectations:"] + [f"  {x}" for x in report.results]
        failed = sum(not x.passed for x in report.results)
        total = len(report.results)
        lines += ["", ("1 expectation holds." if total == 1 else f"All {total} expectations hold.")
                  if not failed else f"{failed} of {counted(total, 'expectation')} "
                  f"{'fails' if failed == 1 else 'fail'}."]
    else:
        lines += ["", "No expectations to verify (add an 'expect' list)."]
    if report.cumulative:
        # Only for drugs with a max_cumulative: every other report keeps its bytes.
        lines += ["", "Cumulative limits (max_cumulative):"] + [
            f"  {c}" for c in report.cumulative]
    lines += _site_text(report)
    return "\n".join(lines) + "\n"


#: A participant's inputs as a check report names them, in this order.
_INPUTS = (("label", "participant"), ("weight", "weight"), ("height", "height"),
           ("bsa", "body surface area"), ("age", "age"), ("sex", "sex"), ("gfr", "GFR"),
           ("creatinine", "serum creatinine"))


def _inputs(report: CheckReport) -> list[tuple[str, str]]:
    p = report.participant
    if p is None:
        return []
    return [(key, str(getattr(p, key))) for key, _ in _INPUTS
            if getattr(p, key) not in (None, "")]


def participant_text(report: CheckReport) -> str:
    """The line naming what a check report's absolute totals are for ("" for none); body
    sizes written as every output writes them ("weight 70 kg" whether typed 70kg; a GFR
    "80 mL/min"), the JSON's ``participant`` keeping the inputs as given."""
    names = dict(_INPUTS)
    parts = [f"{names[k]} {_written(k, v)}" for k, v in _inputs(report)]
    levels = ", ".join(f"{d} {n}" for d, n in report.levels)
    if parts:
        return ("Absolute totals for " + ", ".join(parts)
                + (f"; dose levels: {levels}" if levels else "") + ".")
    return f"At dose levels: {levels}." if levels else ""


def _written(key: str, value: str) -> str:
    """An input as the heading writes it: a body size in kg, cm or m² (what was typed in
    another unit after it), a GFR or creatinine one space before its unit."""
    if key in ("weight", "height", "bsa"):
        return measure_text(key, value)
    return typed_text(value) if key in ("gfr", "creatinine") else value


def _site_text(report: CheckReport) -> list[str]:
    """Per arm and start, what the site calendar moves and leaves on closed days."""
    if report.calendar is None or not report.site:
        return []
    first, last = report.site[0].start, report.site[6].start
    lines = ["", f"Site calendar: {report.calendar.describe()}.",
             f"Study Day 1 on each day from {_day(first)} to {_day(last)}, at the shortest "
             "period lengths:"]
    rows = [[c.arm, _day(c.start), str(c.doses_moved), str(c.dose_conflicts),
             str(c.visits_moved), str(c.visit_conflicts)] for c in report.site]
    lines += grid(["Arm", "Study Day 1", "Doses moved", "Dose conflicts", "Visits moved",
                   "Visit conflicts"], rows, {2, 3, 4, 5})
    for arm in dict.fromkeys(c.arm for c in report.site):
        counts = [c for c in report.site if c.arm == arm]
        lines.append(f"{arm}: {_spread([c.doses_moved for c in counts])} doses moved and "
                     f"{_spread([c.dose_conflicts for c in counts])} in conflict, "
                     f"{_spread([c.visits_moved for c in counts])} visits moved and "
                     f"{_spread([c.visit_conflicts for c in counts])} in conflict, "
                     "over the seven start weekdays")
    return lines


def _spread(values: list[int]) -> str:
    low, high = min(values), max(values)
    return str(low) if low == high else f"{low} to {high}"


def check_dict(report: CheckReport) -> dict[str, Any]:
    """A check report as plain data (exact decimal strings); ``participant`` (the inputs
    as given) and ``levels`` (drug id -> level) only when they were given."""
    extra: dict[str, Any] = {}
    if report.participant is not None:
        extra["participant"] = dict(_inputs(report))
    if report.levels:
        extra["levels"] = dict(report.levels)
    out: dict[str, Any] = {
        "regimen": report.regimen.id,
        **extra,
        "ok": report.ok,
        "conditions": list(report.conditions),
        "summaries": [
            {"arm": s.arm, "drug": s.drug, "administrations_min": s.administrations[0],
             "administrations_max": s.administrations[1], "placebo": s.placebo,
             "unspecified": s.unspecified,
             "totals": [{"amount": plain(t.amount.magnitude), "unit": t.amount.unit.symbol,
                         "basis": t.basis.value, "text": human_dose_quantity(t)}
                        for t in s.totals],
             "totals_max": [{"amount": plain(t.amount.magnitude),
                             "unit": t.amount.unit.symbol, "basis": t.basis.value,
                             "text": human_dose_quantity(t)}
                            for t in (s.totals_most or s.totals)],
             "before_caps_and_rounding": s.before_caps,
             "intensity_per_week": [{"amount": plain(t.amount.magnitude),
                                     "unit": t.amount.unit.symbol, "basis": t.basis.value}
                                    for t in s.intensities],
             "first_day": s.first_day, "last_day": s.last_day, "span_days": s.span_days,
             # Only for divided daily doses: every other report keeps its bytes.
             **({"daily": [{"amount": plain(t.amount.magnitude),
                            "unit": t.amount.unit.symbol, "basis": t.basis.value,
                            "text": human_dose_quantity(t)} for t in s.daily]}
                if s.daily else {})}
            for s in report.summaries
        ],
        "expectations": [
            {"arm": x.expectation.arm, "drug": x.expectation.drug, "passed": x.passed,
             "messages": list(x.messages)} for x in report.results
        ],
    }
    if report.cumulative:
        # Only for drugs with a max_cumulative: every other report keeps its bytes.
        out["cumulative_limits"] = [
            {"arm": c.arm, "drug": c.drug, "passed": c.passed,
             "checked": c.total is not None,
             "limit": {"amount": plain(c.limit.amount.magnitude),
                       "unit": c.limit.amount.unit.symbol, "basis": c.limit.basis.value},
             "total": None if c.rounded_total is None else plain(c.rounded_total),
             "before_caps_and_rounding": c.before_caps,
             "crossing": c.crossing or None, "reason": c.reason or None, "text": str(c)}
            for c in report.cumulative]
    if report.calendar is not None:
        # Only with a calendar: every other report keeps its bytes.
        out["site_calendar"] = {
            **site_calendar_dict(report.calendar),
            "starts": [{"arm": c.arm, "start": c.start.isoformat(),
                        "doses_moved": c.doses_moved, "dose_conflicts": c.dose_conflicts,
                        "visits_moved": c.visits_moved, "visit_conflicts": c.visit_conflicts}
                       for c in report.site]}
    return out

def check_json(report: CheckReport) -> str:
    """A check report as JSON."""
    return dumps_indent2(check_dict(report)) + "\n"
