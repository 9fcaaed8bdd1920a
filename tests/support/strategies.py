"""Hypothesis strategies for valid regimen documents, shared by the property tests.

Documents are generated as plain data; ``as_text`` writes them as JSON or YAML.
"""

from __future__ import annotations

import io
import itertools
import json
from datetime import date
from typing import Any

from hypothesis import strategies as st
from ruamel.yaml import YAML

DRUGS = ("il2", "pred", "treg")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
starts = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


def _text(data: dict[str, Any], as_json: bool) -> str:
    if as_json:
        return json.dumps(data)
    yaml = YAML(typ="safe", pure=True)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


@st.composite
def doses(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["flat", "per_kg", "per_m2", "placebo", "unspecified"]))
    n = draw(st.integers(1, 500))
    if kind == "flat":
        return {"dose": f"{n} {draw(st.sampled_from(['mg', 'MIU', 'mcg', 'cells']))}"}
    if kind == "per_kg":
        out: dict[str, Any] = {"dose": f"{n} mg/kg"}
        if draw(st.booleans()):
            out["max"] = f"{draw(st.integers(1, 40000))} mg"
        if draw(st.booleans()):
            out["round"] = f"{draw(st.integers(1, 50))} mg"
            out["rounding"] = draw(st.sampled_from(["nearest", "up", "down"]))
        return out
    if kind == "per_m2":
        return {"dose": f"{n}e3 IU/m2"}
    if kind == "placebo":
        return {"placebo": True}
    return {"dose": "unspecified", "dose_note": "titrated to trough level"}


def _day_list(draw: st.DrawFn, window: int) -> list[int]:
    return sorted(draw(st.sets(st.integers(1, window), min_size=1, max_size=min(window, 6))))


def _split(draw: st.DrawFn, total: int, parts: int) -> list[int]:
    """``total`` as ``parts`` positive whole numbers."""
    cuts = sorted(draw(st.sets(st.integers(1, total - 1), min_size=parts - 1,
                               max_size=parts - 1))) if parts > 1 else []
    bounds = [0, *cuts, total]
    return [b - a for a, b in itertools.pairwise(bounds)]


@st.composite
def courses(draw: st.DrawFn, length: int) -> dict[str, Any]:
    c: dict[str, Any] = {"drug": draw(st.sampled_from(DRUGS))}
    start = draw(st.integers(1, length)) if draw(st.booleans()) else 1
    if start != 1:
        c["start"] = start
    span = length - start + 1
    if draw(st.booleans()):
        span = draw(st.integers(1, span))
        c["for"] = f"{span} days"
    window = span
    kind = draw(st.sampled_from(["days", "every", "weekdays", "daily", "day-steps",
                                 "cycle-steps", "admin-steps"]))
    if kind in ("days", "every", "weekdays", "daily", "cycle-steps") and draw(st.booleans()):
        cycle = draw(st.integers(1, span))
        c["cycle"] = f"{cycle} days"
        window = cycle
        if kind == "cycle-steps" or draw(st.booleans()):
            cycles = draw(st.integers(1, span // cycle))
            if kind != "cycle-steps":
                c["cycles"] = cycles
    elif kind == "cycle-steps":
        kind = "days"
    if kind in ("days", "admin-steps"):
        c["days"] = _day_list(draw, window)
    elif kind == "every":
        every = draw(st.integers(1, window))
        c["every"] = f"{every} days"
        if draw(st.booleans()):
            c["count"] = draw(st.integers(1, 1 + (window - 1) // every))
    elif kind == "weekdays":
        c["weekdays"] = sorted(draw(st.sets(st.sampled_from(WEEKDAYS), min_size=1)),
                               key=WEEKDAYS.index)
    elif kind == "daily":
        c["daily"] = True
    if kind == "day-steps":
        chosen = _day_list(draw, window)
        sizes = _split(draw, len(chosen), draw(st.integers(1, len(chosen))))
        steps, at = [], 0
        for size in sizes:
            steps.append({"dose": f"{draw(st.integers(1, 100))} mg", "days": chosen[at:at + size]})
            at += size
        c["steps"] = steps
    elif kind == "cycle-steps":
        parts = _split(draw, cycles, draw(st.integers(1, cycles)))
        c["steps"] = [{"dose": f"{draw(st.integers(1, 9))}e6 cells/kg", "cycles": n}
                      for n in parts]
        c["days"] = _day_list(draw, window)
    elif kind == "admin-steps":
        parts = _split(draw, len(c["days"]), draw(st.integers(1, len(c["days"]))))
        c["steps"] = [{"dose": f"{draw(st.integers(1, 100))} mg", "administrations": n}
                      for n in parts]
    else:
        c.update(draw(doses()))
    if kind != "admin-steps" and draw(st.integers(0, 4)) == 0:
        c["times"] = sorted(draw(st.sets(st.sampled_from(["00:30", "02:30", "08:00", "20:15"]),
                                         min_size=1)))
    if draw(st.integers(0, 3)) == 0:
        c["arms"] = ["a"]
    return c


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    periods = []
    for index in range(draw(st.integers(1, 3))):
        length = draw(st.integers(1, 70))
        period: dict[str, Any] = {"id": f"p{index}", "length": f"{length} days"}
        period["courses"] = [draw(courses(length)) for _ in range(draw(st.integers(0, 3)))]
        # A blinded period's placebo must match an active course of the same drug.
        active = {c["drug"] for c in period["courses"] if not c.get("placebo")}
        if draw(st.integers(0, 3)) == 0 and all(
                c["drug"] in active for c in period["courses"] if c.get("placebo")):
            period["blinded"] = True
        periods.append(period)
    doc: dict[str, Any] = {
        "format": "regimens/1", "id": "generated", "title": "Generated",
        "drugs": {"il2": {"name": "aldesleukin", "route": "subcutaneous"},
                  "pred": {"name": "prednisone", "route": "oral"},
                  "treg": {"name": "Treg cells", "route": "intravenous"}},
        "arms": {"a": {"label": "A"}, "b": {"label": "B"}},
        "periods": periods,
    }
    if len(periods) > 1 and draw(st.booleans()):
        doc["day_one"] = draw(st.sampled_from([p["id"] for p in periods]))
    visits = []
    for index in range(draw(st.integers(0, 3))):
        visit: dict[str, Any] = {"id": f"v{index}"}
        anchor = draw(st.sampled_from(["day", "week", "period"]))
        if anchor == "day":
            visit["day"] = draw(st.integers(-30, 200).filter(bool))
        elif anchor == "week":
            visit["week"] = draw(st.integers(0, 30))
        else:
            visit["period"] = draw(st.sampled_from([p["id"] for p in periods]))
            visit["at"] = draw(st.sampled_from(["start", "end"]))
        if draw(st.booleans()):
            visit["window"] = f"{draw(st.integers(0, 7))} days"
        visits.append(visit)
    if visits:
        doc["visits"] = visits
    return doc
