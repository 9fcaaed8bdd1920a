"""Hypothesis strategies for valid regimen documents, shared by the property tests.

Documents are generated as plain data; ``as_text`` writes them as JSON or YAML.
"""

from __future__ import annotations

import io
import itertools
import json
from datetime import date
from typing import Any

from hypothesis import reject
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
            _maybe(draw, out, "rounding", st.sampled_from(["nearest", "up", "down"]))
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
    _maybe(draw, c, "route", ROUTES)
    _maybe(draw, c, "label", TEXTS)
    _maybe(draw, c, "notes", TEXTS)
    return c


#: Text for optional labels and notes (plain, one line, and beyond ASCII).
TEXTS = st.sampled_from(["Loading dose", "Ünïcødé 💉 note", "Take with food; see §4.2",
                         "20:00", "yes", "1e3"])
ROUTES = st.sampled_from(["oral", "intravenous", "subcutaneous", "SC"])


def _maybe(draw: st.DrawFn, out: dict[str, Any], key: str,
           values: st.SearchStrategy[Any]) -> None:
    """Set the optional ``key`` of ``out`` one time in three."""
    if draw(st.integers(0, 2)) == 0:
        out[key] = draw(values)


def _not_on(draw: st.DrawFn, periods: list[dict[str, Any]]) -> None:
    """Sometimes, every course of one drug skips the days of another (``not_on``).

    Only a drug none of whose courses is excluded itself may be named (no chains), and only
    courses without steps skip (a skipped step is refused, tested in test_limits.py); in a
    period where one course of the drug has steps, none skips, so that blinded arms match.
    """
    if draw(st.integers(0, 2)) != 0:
        return
    skipping = draw(st.sampled_from(DRUGS))
    other = draw(st.sampled_from([d for d in DRUGS if d != skipping]))
    everywhere = True
    for period in periods:
        mine = [c for c in period["courses"] if c["drug"] == skipping]
        if all("steps" not in c for c in mine):
            for c in mine:
                c["not_on"] = [other]
        else:
            everywhere = False
    # When every course of the skipping drug skips the other's days, the other drug's
    # courses may say so (no_same_day): the two are then never given on one day. Every
    # course of the drug gets the same list (a blinded period requires it).
    if everywhere and draw(st.booleans()):
        for period in periods:
            for c in period["courses"]:
                if c["drug"] == other:
                    c["no_same_day"] = [skipping]


def _expectations(draw: st.DrawFn, periods: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Expectations for arm a (every period is on its path) about drugs it receives."""
    received = [c for p in periods for c in p["courses"]]  # arms: absent or [a]
    out: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(0, 2)) if received else 0):
        course = draw(st.sampled_from(received))
        e: dict[str, Any] = {"arm": "a", "drug": course["drug"]}
        _maybe(draw, e, "administrations", st.integers(0, 200))
        _maybe(draw, e, "first_day", st.integers(1, 200))
        _maybe(draw, e, "last_day", st.integers(1, 200))
        dose = str(course.get("dose", ""))
        if dose and dose != "unspecified" and draw(st.booleans()):
            e["total"] = f"{draw(st.integers(1, 10_000))} {dose.split(' ', 1)[1]}"
        _maybe(draw, e, "weight", st.sampled_from(["70 kg", "154 lb"]))
        _maybe(draw, e, "height", st.sampled_from(["175 cm", "1.6 m"]))
        _maybe(draw, e, "bsa", st.sampled_from(["1.8 m2"]))
        _maybe(draw, e, "start", starts.map(str))
        _maybe(draw, e, "notes", TEXTS)
        out.append(e)
    return out


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid regimen document, with every optional field of the format now and then."""
    periods = []
    for index in range(draw(st.integers(1, 3))):
        length = draw(st.integers(1, 70))
        period: dict[str, Any] = {"id": f"p{index}", "length": f"{length} days"}
        _maybe(draw, period, "label", TEXTS)
        _maybe(draw, period, "notes", TEXTS)
        period["courses"] = [draw(courses(length)) for _ in range(draw(st.integers(0, 3)))]
        # A blinded period's placebo must match an active course of the same drug.
        active = {c["drug"] for c in period["courses"] if not c.get("placebo")}
        if draw(st.integers(0, 3)) == 0 and all(
                c["drug"] in active for c in period["courses"] if c.get("placebo")):
            period["blinded"] = True
            # Every course of a drug has the same route there (it is in every summary).
            routes: dict[str, Any] = {}
            for c in period["courses"]:
                routes.setdefault(c["drug"], c.get("route"))
                c.pop("route", None)
                if routes[c["drug"]] is not None:
                    c["route"] = routes[c["drug"]]
        periods.append(period)
    doc: dict[str, Any] = {
        "format": "regimens/1", "id": "generated", "title": "Generated",
        "drugs": {"il2": {"name": "aldesleukin", "route": "subcutaneous"},
                  "pred": {"name": "prednisone", "route": "oral"},
                  "treg": {"name": "Treg cells", "route": "intravenous"}},
        "arms": {"a": {"label": "A"}, "b": {"label": "B"}},
        "periods": periods,
    }
    _not_on(draw, periods)
    ids = [p["id"] for p in periods]
    if len(periods) > 1 and draw(st.booleans()):
        doc["day_one"] = draw(st.sampled_from(ids))
    _maybe(draw, doc, "registry", st.sampled_from(["NCT01234567", "EudraCT 2020-000001-23"]))
    _maybe(draw, doc, "version", st.sampled_from(["1.0", "Amendment 3"]))
    _maybe(draw, doc, "notes", TEXTS)
    _maybe(draw, doc, "sources", st.lists(st.one_of(
        TEXTS, st.fixed_dictionaries({"id": st.just("S1"), "title": TEXTS}, optional={
            "url": st.just("https://example.org/protocol.pdf"), "note": TEXTS,
            "confidence": st.sampled_from(["verified", "inferred", "unknown", "conflict"])})),
        min_size=1, max_size=2))
    _maybe(draw, doc["arms"]["a"], "notes", TEXTS)
    # Arm b may go through some periods only (no course names it, so any path is valid);
    # its own day_one is then on its path.
    if draw(st.integers(0, 2)) == 0:
        path = sorted(draw(st.sets(st.sampled_from(ids), min_size=1)), key=ids.index)
        doc["arms"]["b"]["periods"] = path
        doc["arms"]["b"]["day_one"] = draw(st.sampled_from(path))
    elif len(periods) > 1 and draw(st.integers(0, 2)) == 0:
        doc["arms"]["b"]["day_one"] = draw(st.sampled_from(ids))
    _maybe(draw, doc["arms"]["b"], "notes", TEXTS)
    visits = []
    for index in range(draw(st.integers(0, 3))):
        visit: dict[str, Any] = {"id": f"v{index}"}
        anchor = draw(st.sampled_from(["day", "week", "period"]))
        if anchor == "day":
            visit["day"] = draw(st.integers(-30, 200).filter(bool))
        elif anchor == "week":
            visit["week"] = draw(st.integers(0, 30))
        else:
            index = draw(st.integers(0, len(periods) - 1))
            visit["period"] = periods[index]["id"]
            if draw(st.booleans()):
                visit["at"] = draw(st.sampled_from(["start", "end"]))
            else:  # day N of the period
                visit["day"] = draw(st.integers(1, int(periods[index]["length"].split()[0])))
        if draw(st.booleans()):
            visit["window"] = (f"{draw(st.integers(0, 7))} days" if draw(st.booleans()) else
                               {"before": f"{draw(st.integers(0, 7))} days",
                                "after": f"{draw(st.integers(0, 7))} days"})
        _maybe(draw, visit, "label", TEXTS)
        # A visit at a period names only arms that go through that period.
        b_path = doc["arms"]["b"].get("periods", ids)
        arm_sets = [["a"], ["b"], ["a", "b"]] if visit.get("period", b_path[0]) in b_path else [
            ["a"]]
        # ... and none in a blinded design: one arm's visit there would reveal the arm.
        if not any(p.get("blinded") for p in periods):
            _maybe(draw, visit, "arms", st.sampled_from(arm_sets))
        _maybe(draw, visit, "notes", TEXTS)
        visits.append(visit)
    if visits:
        doc["visits"] = visits
    expect = _expectations(draw, periods)
    if expect:
        doc["expect"] = expect
    _every_course_given(doc)
    return doc


def _every_course_given(doc: dict[str, Any]) -> None:
    """Reject a document in which ``not_on`` takes every day of a course.

    Such a course is refused on purpose (tested in test_bad_inputs.py, limits.yaml);
    ``check`` expands every arm at every start weekday, so it sees every case.
    """
    import regimens

    try:
        regimens.loads(json.dumps(doc)).check()
    except regimens.InvalidRegimenError as exc:
        if any(p.code == "course-without-administrations" for p in exc.problems):
            reject()
    except regimens.RegimenError:
        pass

