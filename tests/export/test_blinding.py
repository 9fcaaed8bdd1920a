"""Blinding holds in every blinded output: every arm of a blinded period reads the same.

A participant's calendar (iCalendar file, month calendar, handout and dosing diary, the
warnings printed with them)
must not tell an active arm from a placebo arm: not by text, order, count, UID, SEQUENCE,
cycle numbering, warnings or size. The property test draws blinded designs the way
protocols write them (one course per arm, active and placebo in any order, cycles written
out or not, alike on every arm: a placebo as a list of days for an active course in cycles
is refused, tests/format/test_blinded_placing.py; escalation steps, an open background
drug, times near a clock change, reminders, a previous export, a subset of drugs) and
compares every pair of arms.
"""

from __future__ import annotations

import itertools
import json
import warnings
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import regimens
from regimens.cli import main
from regimens.export import shown_warnings

STAMP = datetime(2027, 1, 1, tzinfo=UTC)
LENGTH = 14  # days of the blinded period
TIMES = ["02:30", "03:00", "08:00"]
ACTIVE_DOSES = [{"dose": "1 MIU"}, {"dose": "2 MIU"},
                # 70 mg rounded to a multiple of 50 mg: a rounding warning, active arms only.
                {"dose": "1 mg/kg", "round": "50 mg"},
                {"dose": "375 mg/m2", "max": "600 mg"}]


@st.composite
def schedules_of_a_drug(draw: st.DrawFn) -> dict[str, Any]:
    """The days (and times) every arm's course of one blinded drug gives, and how the
    courses write them: as days, or as cycles (every course of the drug alike: a placebo
    is written in the cycles of its active course, so that a record's cycle and day name
    the same dose on every arm; docs/format.md, "Blinded periods")."""
    cycles = draw(st.integers(1, 2))
    in_cycle = sorted(draw(st.sets(st.integers(1, 7), min_size=1, max_size=4)))
    times = sorted(draw(st.sets(st.sampled_from(TIMES), max_size=2)))
    return {"cycles": cycles, "in_cycle": in_cycle, "times": times,
            "as_cycles": draw(st.booleans())}


@st.composite
def blinded_course(draw: st.DrawFn, drug: str, shape: dict[str, Any], arms: list[str],
                   active: bool) -> dict[str, Any]:
    course: dict[str, Any] = {"drug": drug, "arms": arms}
    flat_days = [7 * k + d for k in range(shape["cycles"]) for d in shape["in_cycle"]]
    as_cycles = shape["as_cycles"]
    if as_cycles:
        course.update({"cycle": "7 days", "days": shape["in_cycle"]})
        if not (active and draw(st.booleans())):
            course["cycles"] = shape["cycles"]
    else:
        course["days"] = flat_days
    if shape["times"]:
        course["times"] = shape["times"]
    if not active:
        course["placebo"] = True
    elif as_cycles and "cycles" not in course:
        # Escalation by cycle: one step per cycle.
        course["steps"] = [{"dose": f"{n + 1} MIU", "cycles": 1} for n in range(shape["cycles"])]
    elif not as_cycles and len(flat_days) > 1 and draw(st.booleans()):
        cut = draw(st.integers(1, len(flat_days) - 1))
        del course["days"]  # steps by days are the course's pattern
        course["steps"] = [{"dose": "1 MIU", "days": flat_days[:cut]},
                           {"dose": "2 MIU", "days": flat_days[cut:]}]
    else:
        course.update(draw(st.sampled_from(ACTIVE_DOSES)))
    return course


@st.composite
def background_course(draw: st.DrawFn) -> dict[str, Any]:
    course: dict[str, Any] = {"drug": "pred", "dose": f"{draw(st.integers(1, 60))} mg"}
    if draw(st.booleans()):
        course.update({"cycle": "7 days", "cycles": 2,
                       "days": sorted(draw(st.sets(st.integers(1, 7), min_size=1)))})
    else:
        course["days"] = sorted(draw(st.sets(st.integers(1, LENGTH), min_size=1, max_size=6)))
    if draw(st.booleans()):
        course["times"] = sorted(draw(st.sets(st.sampled_from(TIMES), min_size=1, max_size=2)))
    return course


@st.composite
def blinded_designs(draw: st.DrawFn) -> dict[str, Any]:
    arms = ["a", "b", "c"][:draw(st.integers(2, 3))]
    courses = []
    for drug in draw(st.lists(st.sampled_from(["il2", "treg"]), min_size=1, max_size=2,
                              unique=True)):
        shape = draw(schedules_of_a_drug())
        # Which arms get the active drug (at least one: a placebo matches an active course),
        # and which arms share a course.
        active = draw(st.lists(st.booleans(), min_size=len(arms), max_size=len(arms)).filter(any))
        groups = [[arm] for arm in arms]
        if draw(st.booleans()):
            same = [arm for arm, on in zip(arms, active, strict=True) if on]
            groups = [same] + [[arm] for arm, on in zip(arms, active, strict=True) if not on]
        for group in groups:
            courses.append(draw(blinded_course(drug, shape, group, active[arms.index(group[0])])))
    courses += draw(st.lists(background_course(), max_size=2))
    # Course order as the protocol's author happened to write it.
    courses = draw(st.permutations(courses))
    periods: list[dict[str, Any]] = [{"id": "treatment", "length": f"{LENGTH} days",
                                      "blinded": True, "courses": courses}]
    if draw(st.booleans()):
        periods.append({"id": "follow-up", "length": "7 days", "courses": [
            {"drug": "pred", "dose": "5 mg", "days": [1, 3]}]})
    doc: dict[str, Any] = {
        "format": "regimens/1", "id": "blinded", "title": "Generated blinded design",
        "drugs": {"il2": {"name": "aldesleukin", "route": "subcutaneous"},
                  "treg": {"name": "Treg cells", "route": "intravenous"},
                  "pred": {"name": "prednisone", "route": "oral"}},
        "arms": {arm: {"label": arm.upper()} for arm in arms},
        "periods": periods,
    }
    if draw(st.booleans()):
        doc["visits"] = [{"id": "w2", "day": 8, "window": "2 days"}]
    return doc


def _expand(regimen: regimens.Regimen, arm: str, options: dict[str, Any]) -> regimens.Schedule:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        return regimen.expand(arm, options["start"], options["participant"], tz=options["tz"])


def _outputs(schedule: regimens.Schedule, options: dict[str, Any],
             previous: bytes | None) -> dict[str, Any]:
    """Every blinded output of one schedule, by name."""
    if options["drugs"]:
        schedule = schedule.only(options["drugs"])
    out: dict[str, Any] = {}
    for blinded in (None, True):
        out[f"ics blinded={blinded}"] = schedule.to_ics(
            stamp=STAMP, blinded=blinded, reminders=options["reminders"], previous=previous)
        out[f"calendar blinded={blinded}"] = schedule.to_calendar(blinded=blinded)
        # The participant's handout and diary (their PDF is drawn from the same records).
        out[f"html blinded={blinded}"] = schedule.to_html(blinded=blinded)
        out[f"diary blinded={blinded}"] = schedule.to_diary(blinded=blinded, lang="fr")
        out[f"warnings blinded={blinded}"] = [str(w) for w in shown_warnings(schedule, blinded)]
    return out


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=blinded_designs(),
       start=st.sampled_from([date(2027, 1, 4), date(2027, 3, 27), date(2027, 3, 13)]),
       tz=st.sampled_from(["Europe/Berlin", "America/New_York"]),
       body=st.sampled_from([{}, {"weight": "70 kg", "height": "175 cm"},
                             {"weight": "300 kg", "height": "150 cm"}]),
       label=st.sampled_from(["", "P-017", "P 017"]),
       reminders=st.lists(st.sampled_from(["1h", "24h", "1d", "09:00-day-before"]),
                          max_size=2, unique=True),
       drugs=st.sampled_from([(), ("il2",), ("pred",), ("il2", "treg")]),
       with_previous=st.booleans())
def test_every_arm_of_a_blinded_design_gives_the_same_outputs(
        doc: dict[str, Any], start: date, tz: str, body: dict[str, str], label: str,
        reminders: list[str], drugs: tuple[str, ...], with_previous: bool) -> None:
    regimen = regimens.loads(json.dumps(doc), "blinded.json")
    participant = regimens.Participant(label=label, **body)
    options = {"start": start, "tz": tz, "participant": participant, "reminders": reminders,
               "drugs": list(drugs)}
    arms = [a.id for a in regimen.arms]
    try:
        schedules = {arm: _expand(regimen, arm, options) for arm in arms}
    except regimens.MissingMeasurementError:
        return  # a per-kg or per-m2 active dose and no body measurements: refused alike
    previous = None
    if with_previous:
        # What was exported last time: the first arm's calendar a week earlier (a blinded
        # export is the same for every arm, so any arm's would do).
        earlier = _expand(regimen, arms[0], {**options, "start": start - timedelta(days=7)})
        previous = earlier.to_ics(stamp=STAMP, blinded=True)
    outputs = {arm: _outputs(s, options, previous) for arm, s in schedules.items()}
    for first, second in itertools.combinations(arms, 2):
        for name, value in outputs[first].items():
            assert value == outputs[second][name], (name, first, second)


# The example, through the command line ---------------------------------------------

BLIND_ORDER = """\
format: regimens/1
id: blind-order
title: Blinded study drug with an open background drug
drugs: {sd: {name: aldesleukin, route: subcutaneous}, bg: {name: riluzole, route: oral}}
arms: {active: {label: Active}, placebo: {label: Placebo}}
periods:
  - id: treatment
    length: 1 week
    blinded: true
    courses:
      - {drug: sd, arms: [active], dose: 1 mg/kg, round: 50 mg, days: 1-2, times: ["02:30"]}
      - {drug: bg, dose: 50 mg, days: 1-2, times: ["02:30"]}
      - {drug: sd, arms: [placebo], placebo: true, days: 1-2, times: ["02:30"]}
"""
BASE = ["--start", "2027-03-28", "--tz", "Europe/Berlin", "--weight", "70kg"]


def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], arm: str,
         extra: list[str]) -> tuple[int, bytes, str]:
    out = tmp_path / f"{arm}.out"
    code = main(["expand", str(tmp_path / "r.yaml"), "--arm", arm, *BASE, *extra,
                 "-o", str(out)])
    err = capsys.readouterr().err
    return code, out.read_bytes() if out.exists() else b"", err


@pytest.mark.parametrize("extra", [
    ["--format", "ics", "--stamp", "2027-01-01T00:00:00Z"],
    ["--format", "ics", "--stamp", "2027-01-01T00:00:00Z", "--participant", "P-1",
     "--remind", "24h", "--remind", "09:00-day-before"],
    ["--format", "ics", "--stamp", "2027-01-01T00:00:00Z", "--blinded", "--drug", "sd"],
    ["--format", "ics", "--stamp", "2027-01-01T00:00:00Z", "--drug", "bg"],
    ["--format", "ics", "--stamp", "2027-01-01T00:00:00Z", "--previous", "PREVIOUS"],
    ["--format", "calendar"],
    ["--format", "calendar", "--blinded", "--drug", "sd"],
], ids=["ics", "ics-remind-label", "ics-blinded-drug", "ics-background-only", "ics-previous",
        "calendar", "calendar-blinded-drug"])
def test_blind_order_is_the_same_on_both_arms(
        extra: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "r.yaml").write_text(BLIND_ORDER, encoding="utf-8")
    if "PREVIOUS" in extra:
        previous = tmp_path / "previous.ics"
        previous.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\n"
                             b"UID:blind-order.no_label.sd.day3.0230@regimens\r\n"
                             b"DTSTAMP:20270101T000000Z\r\nSEQUENCE:4\r\n"
                             b"DTSTART;VALUE=DATE:20270330\r\nSUMMARY:old\r\nEND:VEVENT\r\n"
                             b"END:VCALENDAR\r\n")
        extra = [str(previous) if x == "PREVIOUS" else x for x in extra]
    active = _run(tmp_path, capsys, "active", extra)
    placebo = _run(tmp_path, capsys, "placebo", extra)
    assert active[0] == placebo[0] == 0
    assert active == placebo
    # The moved times are named (the same on both arms); the active dose's rounding is not.
    assert "rounding" not in active[2]
    if "--drug" not in extra or "bg" in extra:
        assert "riluzole, Study Day 1: 02:30 does not exist" in active[2] + active[1].decode()


def test_blind_order_events_are_in_time_then_text_order(tmp_path: Path) -> None:
    # Hand-ordered: on each day the riluzole event ("study drug (riluzole), by mouth")
    # sorts after "study drug (aldesleukin or placebo), subcutaneous injection".
    regimen = regimens.loads(BLIND_ORDER.replace(', times: ["02:30"]', ""), "r.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        data = regimen.expand("placebo", "2027-01-04", regimens.Participant(label="P-1")).to_ics(
            stamp=STAMP)
    uids = [line for line in data.decode().split("\r\n") if line.startswith("UID:")]
    assert uids == ["UID:blind-order.P-1.sd.day1@regimens", "UID:blind-order.P-1.bg.day1@regimens",
                    "UID:blind-order.P-1.sd.day2@regimens", "UID:blind-order.P-1.bg.day2@regimens"]


@pytest.mark.parametrize(("fmt", "flag", "message"), [
    (fmt, "--blinded", "regimens: --blinded: only with --format ics, calendar, html, diary, pdf "
     "or diary-pdf; the table, JSON and CSV are for unblinded staff and always show the arm "
     "and every dose")
    for fmt in ("table", "json", "csv")
] + [
    (fmt, "--unblinded", "regimens: --unblinded: only with --format ics, calendar, html, "
     "diary, pdf or diary-pdf; the table, JSON and CSV always show the arm and every dose")
    for fmt in ("table", "json", "csv")
])
def test_blinding_options_with_staff_formats_are_refused(
        fmt: str, flag: str, message: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "r.yaml").write_text(BLIND_ORDER, encoding="utf-8")
    code = main(["expand", str(tmp_path / "r.yaml"), "--arm", "active", *BASE, "--format", fmt,
                 flag])
    captured = capsys.readouterr()
    assert (code, captured.out, captured.err.splitlines()) == (2, "", [message])


def test_a_blinded_route_must_match() -> None:
    text = BLIND_ORDER.replace("dose: 1 mg/kg, round: 50 mg, days: 1-2",
                               "dose: 1 MIU, route: intravenous, days: 1-2")
    with pytest.raises(regimens.InvalidRegimenError) as info:
        regimens.loads(text, "r.yaml")
    assert [str(p) for p in info.value.problems] == [
        "r.yaml:11: periods[0].courses[0].route: in a blinded period every course of a drug has "
        "the same route, so that every arm's calendar reads the same"]
