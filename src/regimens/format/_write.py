"""Model -> format-1 document: ``load(dump(regimen)) == regimen``."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

from ..errors import ExpandOptionError, ExpandOptionTypeError
from ..model import (
    BAND_UNITS,
    DRUG_INSTRUCTIONS,
    WEEKDAYS,
    AdministrationStep,
    AfterLastAnchor,
    BandBy,
    Course,
    CourseAnchor,
    CycleStep,
    DailyPattern,
    DaysPattern,
    Dose,
    Drug,
    EveryPattern,
    HoursPattern,
    MonthAnchor,
    MonthsPattern,
    OutsideTolerance,
    PeriodAnchor,
    Policy,
    Regimen,
    RepeatAnchor,
    Rounding,
    StandardDoses,
    Step,
    Visit,
    WeekdaysPattern,
    WeightBasis,
    Window,
)
from ..quantities import Amount, plain

__all__ = ["dumps", "to_dict"]


def _amount(a: Amount) -> str:
    return str(a)


def _edge(value: Decimal, by: BandBy) -> str:
    """A band edge as written: kg, m2, or ages in years when whole, else months."""
    if by is BandBy.AGE:
        return f"{plain(value / 12)} years" if value % 12 == 0 else f"{plain(value)} months"
    return f"{plain(value)} {BAND_UNITS[by]}"


def _standard(st: StandardDoses) -> dict[str, Any]:
    """``round:`` as a mapping: dose bands, a dose-banding table or whole vials."""
    out: dict[str, Any] = {}
    if st.bands:
        out["bands"] = [_amount(b) for b in st.bands]
    elif st.table:
        out["table"] = [{"from": _amount(r.low), "below": _amount(r.below),
                         "dose": _amount(r.dose)} for r in st.table]
    else:
        out["to_vial"] = True
    if st.tolerance is not None:
        out["tolerance"] = f"{plain(st.tolerance)}%"
    if st.outside is not OutsideTolerance.REFUSE:
        out["outside"] = st.outside.value
    return out


def _dose(d: Dose, out: dict[str, Any]) -> None:
    if d.band_by is not None:
        by = d.band_by
        bands: list[dict[str, str]] = []
        for i, band in enumerate(d.bands):
            written: dict[str, str] = {}
            if i == 0 and d.band_from:
                written["from"] = _edge(d.band_from, by)
            if band.below is not None:
                written["below"] = _edge(band.below, by)
            written["dose"] = str(band.dose)
            bands.append(written)
        out["dose"] = {"by": by.value, "bands": bands}
        return
    if d.divided is not None:
        # A divided daily dose: its parts are the course's times (divided says how many).
        out["daily_dose"] = str(d.quantity)
        out["divided"] = d.divided
    else:
        out["dose"] = str(d.quantity)
    if d.max is not None:
        out["max"] = _amount(d.max)
    if d.round is not None:
        out["round"] = _amount(d.round)
        if d.rounding is not Rounding.NEAREST:
            out["rounding"] = d.rounding.value
    if d.standard is not None:
        out["round"] = _standard(d.standard)
    if d.weight is not WeightBasis.ACTUAL:
        out["weight"] = d.weight.value
    if d.bsa_max is not None:
        out["bsa_max"] = f"{plain(d.bsa_max)} m2"
    if d.gfr_max is not None:
        out["gfr_max"] = f"{plain(d.gfr_max)} mL/min"
    if d.creatinine_min is not None:
        value, factor = d.creatinine_min
        out["creatinine_min"] = f"{plain(value)} {'mg/dL' if factor == 1 else 'µmol/L'}"
    if d.crcl_weight is not WeightBasis.ACTUAL:
        out["crcl_weight"] = d.crcl_weight.value


def _step(s: Step) -> dict[str, Any]:
    out: dict[str, Any] = {}
    _dose(s.dose, out)
    out.pop("divided", None)  # a step's daily_dose is divided among the course's times
    if isinstance(s, CycleStep):
        if s.cycles is not None:  # None: open-ended, written without a count
            out["cycles"] = s.cycles
    elif isinstance(s, AdministrationStep):
        if s.administrations is not None:
            out["administrations"] = s.administrations
    else:
        out["days"] = list(s.days)
    return out


def _course(c: Course) -> dict[str, Any]:
    out: dict[str, Any] = {"drug": c.drug}
    if c.arms is not None:
        out["arms"] = list(c.arms)
    if c.placebo:
        out["placebo"] = True
    elif c.dose is not None:
        _dose(c.dose, out)
    elif c.steps:
        out["steps"] = [_step(s) for s in c.steps]
    else:
        out["dose"] = "unspecified"
    if c.levels:
        out["levels"] = {str(x.level): f"{plain(x.percent)}%" if x.percent is not None
                         else str(x.quantity) for x in c.levels}
    if c.dose_note:
        out["dose_note"] = c.dose_note
    if c.start != 1:
        out["start"] = c.start
    if c.span is not None:
        out["for"] = str(c.span)
    if c.cycle is not None:
        out["cycle"] = str(c.cycle)
        if c.cycles is not None and not any(isinstance(s, CycleStep) and s.cycles is not None
                                            for s in c.steps):
            out["cycles"] = c.cycles
        elif c.cycles is not None and any(isinstance(s, CycleStep) and s.cycles is None
                                          for s in c.steps):
            out["cycles"] = c.cycles  # with an open-ended last step, cycles is its own
        if c.first_cycle != 1:
            out["first_cycle"] = c.first_cycle
    p = c.pattern
    if isinstance(p, DaysPattern):
        out["days"] = list(p.days)
    elif isinstance(p, EveryPattern | MonthsPattern):
        out["every"] = str(p.every)
        if p.count is not None:
            out["count"] = p.count
    elif isinstance(p, HoursPattern):
        out["every"] = str(p.every)
        out["at"] = p.at.strftime("%H:%M")
        if p.count is not None:
            out["count"] = p.count
    elif isinstance(p, WeekdaysPattern):
        out["weekdays"] = [WEEKDAYS[d] for d in p.weekdays]
        if p.count is not None:
            out["count"] = p.count
    elif isinstance(p, DailyPattern):
        out["daily"] = True
    if c.times:
        out["times"] = [t.strftime("%H:%M") for t in c.times]
    if c.method is not None:
        out["method"] = c.method
    if c.duration is not None:
        out["duration"] = str(c.duration)
    for key, value in (("route", c.route), ("label", c.label), ("id", c.id),
                       ("notes", c.notes)):
        if value:
            out[key] = value
    if c.not_on:
        out["not_on"] = list(c.not_on)
    if c.no_same_day:
        out["no_same_day"] = list(c.no_same_day)
    if c.clinic:
        out["clinic"] = True
    if c.window is not None:
        out["window"] = _window(c.window)
    if c.min_interval is not None:
        out["min_interval"] = str(c.min_interval)
    out.update(policy_dict(c.policy))
    return out


def policy_dict(p: Policy) -> dict[str, Any]:
    """The record policy keys written (docs/record.md, "Policies"), in the format's order."""
    out: dict[str, Any] = {}
    if p.on_delay is not None:
        out["on_delay"] = p.on_delay
    if p.max_delay is not None:
        out["max_delay"] = str(p.max_delay)
    if p.missed is not None:
        out["missed"] = p.missed
    if p.re_escalate is not None:
        out["re_escalate"] = p.re_escalate
    if p.redose_weight_change is not None:
        out["redose"] = {"weight_change": f"{plain(p.redose_weight_change)}%"}
    return out


def _window(w: Window) -> str | dict[str, str]:
    return (_days(w.before.days) if w.before == w.after else
            {"before": _days(w.before.days), "after": _days(w.after.days)})


def _days(n: int) -> str:
    """A window side as people write it: ``1 day``, ``3 days``, ``0 days``."""
    return f"{n} day" if n == 1 else f"{n} days"


def _visit(v: Visit, day_zero: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"id": v.id}
    if v.label:
        out["label"] = v.label
    a = v.anchor
    if isinstance(a, AfterLastAnchor):
        out["after_last"] = a.drug
        out["offset"] = str(a.offset) if a.offset.days else "0 days"
    elif isinstance(a, CourseAnchor):
        out.update(course=a.course, cycle=a.cycle, day=a.day)
    elif isinstance(a, RepeatAnchor):
        out.update(period=a.period, every=str(a.every))
    elif isinstance(a, MonthAnchor):
        out["month"] = a.months
    elif isinstance(a, PeriodAnchor):
        out["period"] = a.period
        if a.at is not None:
            out["at"] = a.at
        else:
            out["day"] = a.day
    elif v.week is not None and 7 * v.week + (0 if day_zero else 1) == a.day:
        out["week"] = v.week
    else:
        out["day"] = a.day
    if v.window is not None:
        out["window"] = _window(v.window)
    if v.arms is not None:
        out["arms"] = list(v.arms)
    if v.notes:
        out["notes"] = v.notes
    return out



def _drug(d: Drug) -> dict[str, Any]:
    out: dict[str, Any] = {"name": d.name, "route": d.route}
    if d.kind != "drug":
        out["kind"] = d.kind
    if d.vials:
        out["vials"] = [str(v) for v in d.vials]
    if d.strength is not None:
        out["strength"] = str(d.strength)
    if d.equivalence is not None:
        out["equivalence"] = f"{d.equivalence[0]} = {d.equivalence[1]}"
    out.update({k: getattr(d, k) for k in ("notes", *DRUG_INSTRUCTIONS) if getattr(d, k)})
    if d.clinic:
        out["clinic"] = True
    if d.max_cumulative is not None:
        out["max_cumulative"] = str(d.max_cumulative)
    return out

def to_dict(r: Regimen) -> dict[str, Any]:
    out: dict[str, Any] = {"format": r.format, "id": r.id, "title": r.title}
    for key in ("registry", "version"):
        if getattr(r, key):
            out[key] = getattr(r, key)
    if r.sources:
        out["sources"] = [s if isinstance(s, str) else dict(s) for s in r.sources]
    if r.notes:
        out["notes"] = r.notes
    if r.day_one is not None:
        out["day_one"] = r.day_one
    if r.day_zero:
        out["day_zero"] = True
    out.update(policy_dict(r.policy))
    out["drugs"] = {d.id: _drug(d) for d in r.drugs}
    arms: dict[str, Any] = {}
    for a in r.arms:
        arm: dict[str, Any] = {"label": a.label}
        if a.periods is not None:
            arm["periods"] = list(a.periods)
        if a.day_one is not None:
            arm["day_one"] = a.day_one
        if a.notes:
            arm["notes"] = a.notes
        arms[a.id] = arm
    out["arms"] = arms
    periods = []
    for p in r.periods:
        period: dict[str, Any] = {"id": p.id, "length": str(p.length)}
        if p.label:
            period["label"] = p.label
        if p.blinded:
            period["blinded"] = True
        if p.notes:
            period["notes"] = p.notes
        if p.courses:
            period["courses"] = [_course(c) for c in p.courses]
        periods.append(period)
    out["periods"] = periods
    if r.visits:
        out["visits"] = [_visit(v, r.day_zero) for v in r.visits]
    if r.expect:
        expect = []
        for e in r.expect:
            item: dict[str, Any] = {"arm": e.arm, "drug": e.drug}
            if e.administrations is not None:
                item["administrations"] = e.administrations
            if e.total is not None:
                item["total"] = str(e.total)
            for key in ("first_day", "last_day"):
                if getattr(e, key) is not None:  # Day 0 (day_zero) is written too
                    item[key] = getattr(e, key)
            for key in ("weight", "height", "bsa", "start", "notes"):
                if getattr(e, key):
                    item[key] = getattr(e, key)
            if e.lengths:
                item["lengths"] = dict(e.lengths)
            expect.append(item)
        out["expect"] = expect
    return out


_YAML11_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false", "null", "~"}


def _quote_risky(value: Any) -> Any:
    """Quote text a YAML 1.1 reader would retype (``20:00`` as 1200, ``NO`` as false)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, dict):
        return {k: _quote_risky(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_quote_risky(v) for v in value]
    if isinstance(value, str) and (
        value.lower() in _YAML11_WORDS or (value and set(value) <= set("0123456789:._-+eE"))
    ):
        return DoubleQuotedScalarString(value)
    return value


def dumps(regimen: Regimen, fmt: str = "yaml") -> str:
    """The regimen as format-1 YAML (or JSON with ``fmt="json"``), readable by :func:`loads`.

    ``loads(dumps(regimen))`` equals ``regimen``; the comments of the original file
    are not kept. Key order is the regimen's (arms and drugs as declared).
    """
    if fmt not in ("yaml", "json"):
        raise ExpandOptionError("fmt", "a regimen is written as 'yaml' or 'json'", fmt)
    if not isinstance(regimen, Regimen):
        raise ExpandOptionTypeError("regimen", "dumps writes a Regimen (from load or loads)",
                                    type(regimen).__name__)
    data = to_dict(regimen)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)  # "rt" knows quoted scalar strings
    yaml.default_flow_style = None
    yaml.width = 100
    # Key order carries meaning (arms display order, drugs as declared): keep it.
    yaml.representer.sort_base_mapping_type_on_output = False
    stream = io.StringIO()
    yaml.dump(_quote_risky(data), stream)
    return stream.getvalue()
