"""The direct RFC 5545 writer (``export._rfc5545``, ``Schedule.to_ics``) against icalendar.

icalendar is the oracle: each test builds the same values or the same calendar with
icalendar's object model (as ``to_ics`` did before it wrote the lines itself) and
compares bytes. Every file is then read back by icalendar and by the strict ``ical``
parser.
"""

from __future__ import annotations

import warnings
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from icalendar import Alarm, Calendar, Event, Timezone, vDDDTypes, vDuration, vText
from icalendar.parser.string import _foldline

import regimens
from regimens.export import Reminder, _ics, _ics_write, _rfc5545
from support.zones import transitions

STAMP = datetime(2027, 1, 1, tzinfo=UTC)
_ZONES = zoneinfo.available_timezones() - {"localtime"}
ZONES = st.sampled_from(sorted(_ZONES))
# Texts with everything TEXT escaping and folding must handle: commas, semicolons,
# backslashes, line breaks, carets, multi-octet characters and long runs.
TEXTS = st.text(st.sampled_from(list(",;\\\n\r^:\"' aZ9é€李\U0001f489\t")) | st.characters(
    codec="utf-8"), max_size=300)


# --- content-line primitives ------------------------------------------------------------

@settings(max_examples=300)
@given(value=TEXTS)
def test_text_escapes_as_icalendar(value: str) -> None:
    # icalendar reads a literal "\N" as a line break before escaping (RFC 5545 §3.3.11
    # has it as "\\N"); export texts never hold a backslash (clean_text).
    if "\\N" in value:
        value = value.replace("\\N", "\\ N")
    assert _rfc5545.text(value) == vText(value).to_ical().decode()


@settings(max_examples=500)
@given(value=TEXTS, name=st.sampled_from(["X", "SUMMARY", "DESCRIPTION", "X-WR-CALNAME"]))
@example(value="a" * 71 + "\\n" * 3, name="X")
@example(value="é" * 200, name="X")
@example(value="\U0001f489" * 100, name="DESCRIPTION")
@example(value="^" * 200, name="X")
def test_fold_as_icalendar(value: str, name: str) -> None:
    line = f"{name}:{_rfc5545.text(value)}"
    folded = _rfc5545.fold(line.encode())
    assert folded == _foldline(line).encode()
    # RFC 5545 §3.1: at most 75 octets a line, no UTF-8 sequence split, unfolds back.
    parts = folded.split(b"\r\n")
    assert all(len(p) <= 75 for p in parts)
    assert all(p.startswith(b" ") for p in parts[1:])
    for p in parts:
        p.decode("utf-8")
    assert b"".join([parts[0], *(p[1:] for p in parts[1:])]).decode() == line


@settings(max_examples=300)
@given(td=st.timedeltas(min_value=timedelta(days=-800), max_value=timedelta(days=800)))
def test_duration_as_icalendar(td: timedelta) -> None:
    td = timedelta(seconds=int(td.total_seconds()))
    assert _rfc5545.duration(td) == vDuration(td).to_ical().decode()  # type: ignore[no-untyped-call]


@settings(max_examples=300)
@given(value=st.dates() | st.datetimes(), zone=st.none() | ZONES)
def test_dates_and_times_as_icalendar(value: date, zone: str | None) -> None:
    if isinstance(value, datetime) and zone is not None:
        value = value.replace(tzinfo=zoneinfo.ZoneInfo(zone))
    prop = vDDDTypes(value)
    params = prop.params.to_ical().decode()
    expected = (f";{params}" if params else "", prop.to_ical().decode())
    if isinstance(value, datetime) and value.tzinfo is not None:
        tzid = _rfc5545.Zones().line("X", value).decode().partition("TZID=")[2]
        assert _rfc5545.date_time(value, prop.to_ical().endswith(b"Z"),
                                  tzid.partition(":")[0] or None) == expected
    else:
        assert _rfc5545.date_time(value, False, None) == expected


def test_utc_zones_are_written_with_z_as_icalendar_does() -> None:
    # icalendar holds a few zones equal to UTC (its TZID is then "UTC", written with Z).
    from icalendar.timezone import tzid_from_tzinfo

    for key in sorted(_ZONES):
        line = _rfc5545.Zones().line("DTSTART", datetime(2027, 1, 4, 8,
                                                         tzinfo=zoneinfo.ZoneInfo(key)))
        assert line.endswith(b"Z") == (tzid_from_tzinfo(zoneinfo.ZoneInfo(key)) == "UTC"), key


# --- whole calendars ---------------------------------------------------------------------

def _exact(td: timedelta, days: int = 0) -> vText:
    # RFC 5545 §3.3.6 exact hours (the pre-writer ExactDuration): no icalendar type writes it.
    seconds = int(td.total_seconds())
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    value = f"{sign}P{f'{days}D' if days else ''}T{hours}H"
    value += f"{minutes}M" if minutes or seconds else ""
    value += f"{seconds}S" if seconds else ""
    return _Raw(value)


class _Raw(vText):
    def to_ical(self) -> bytes:
        return str(self).encode()


def _trigger(reminder: Reminder, start: date | datetime) -> Any:
    trigger = reminder.trigger(start)
    if reminder.day_before_at is not None:
        return _exact(trigger)
    exact = -trigger - timedelta(days=reminder.days)
    if exact < timedelta(days=1):
        return vDuration(trigger)
    return _exact(-exact, reminder.days)


def _onsets_in_the_offset_before(component: Any) -> None:
    """Each observance's onsets written, as RFC 5545 §3.6.5 has them, in the local time
    before the change (DTSTART - TZOFFSETFROM is the change in UTC): the change zoneinfo
    has nearest to the local time icalendar wrote (for a change forward, icalendar writes
    the time after it)."""
    zone = zoneinfo.ZoneInfo(str(component["TZID"]))
    for observance in component.subcomponents:
        before, after = observance["TZOFFSETFROM"].td, observance["TZOFFSETTO"].td
        if before == after:  # the offset at the start of the range, not a change
            continue

        def onset(wall: datetime, before: timedelta = before,
                  after: timedelta = after) -> datetime:
            changes = [instant for instant, old, new in transitions(
                zone, wall - timedelta(days=2), wall + timedelta(days=2))
                       if (old, new) == (before, after)]
            return min(changes, key=lambda instant: abs(instant + before - wall)) + before

        observance.DTSTART = onset(observance.DTSTART)
        rdates = observance.pop("RDATE", None)
        if rdates is not None:
            observance.add("RDATE", [onset(value.dt) for value in rdates.dts])


def oracle(plan: Any) -> bytes:
    """The plan's calendar built with icalendar's object model, as to_ics was written."""
    calendar = Calendar()
    calendar.add("PRODID", _ics_write.PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("X-WR-CALNAME", vText(plan.name), parameters={"VALUE": "TEXT"})
    for t, digest, sequence in plan.events:
        event = Event()
        event.add("UID", t.uid)
        event.add("DTSTAMP", plan.stamp)
        event.add("SEQUENCE", sequence)
        event.add("DTSTART", t.start)
        event.add("DTEND", t.end)
        event.add("SUMMARY", t.summary)
        event.add("DESCRIPTION", t.description)
        event.add("CATEGORIES", list(t.categories))
        if t.cancelled:
            event.add("STATUS", "CANCELLED")
        event.add("TRANSP", "TRANSPARENT")
        event.add("X-REGIMENS-DIGEST", vText(digest), parameters={"VALUE": "TEXT"})
        for spec in plan.alarms:
            alarm = Alarm()
            alarm.add("ACTION", "DISPLAY")
            alarm.add("DESCRIPTION", t.summary)
            alarm.add("TRIGGER", _trigger(spec, t.start))
            event.add_component(alarm)
        calendar.add_component(event)
    for uid, old, lowest in plan.cancelled:
        cancelled = Event()
        cancelled.add("UID", uid)
        for key in ("DTSTART", "DTEND"):
            if key in old:
                cancelled.add(key, _ics_write._cancelled_time(old.decoded(key)))
        cancelled.add("SUMMARY", "Cancelled: no longer in the schedule")
        cancelled.add("DTSTAMP", plan.stamp)
        already = str(old.get("STATUS", "")) == "CANCELLED"
        cancelled.add("SEQUENCE", max(lowest, _ics_write._sequence(old) + (0 if already else 1)))
        cancelled.add("STATUS", "CANCELLED")
        calendar.add_component(cancelled)
    for t, sequence in plan.gone:
        gone = Event()
        gone.add("UID", t.uid)
        gone.add("DTSTART", t.start)
        gone.add("DTEND", t.end)
        gone.add("SUMMARY", "Cancelled: no longer in the schedule")
        gone.add("DTSTAMP", plan.stamp)
        gone.add("SEQUENCE", sequence)
        gone.add("STATUS", "CANCELLED")
        calendar.add_component(gone)
    zoned = [value for event in calendar.walk("VEVENT") for key in ("DTSTART", "DTEND")
             if key in event and isinstance(value := event.decoded(key), datetime)
             and isinstance(value.tzinfo, zoneinfo.ZoneInfo)]
    if zoned:
        first, last = min(zoned), max(zoned)
        year, margin = timedelta(days=366), timedelta(days=70)
        # icalendar looks for the next change in steps of 64, 32, ... days and misses a
        # change undone within them (Morocco's and Gaza's Ramadan offsets, about 30 days);
        # the writer searches in steps of a day (_rfc5545._vtimezone), so the oracle does.
        search = Timezone._from_tzinfo_skip_search
        Timezone._from_tzinfo_skip_search = (  # type: ignore[assignment]
            timedelta(days=1), *(step for step in search if step < timedelta(days=1)))
        try:
            calendar.add_missing_timezones(
                first_date=max(first.date(), date.min + margin + year) - year,
                last_date=min(last.date(), date.max - margin - year) + year)
        finally:
            Timezone._from_tzinfo_skip_search = search
        for component in calendar.walk("VTIMEZONE"):
            component.pop("COMMENT", None)
            _onsets_in_the_offset_before(component)
        # icalendar adds them in the order of a set (hash-seed dependent); ours by TZID.
        zones = sorted(calendar.walk("VTIMEZONE"), key=lambda c: str(c["TZID"]))
        calendar.subcomponents[:len(zones)] = zones
    data: bytes = calendar.to_ical()
    return data


def _check(schedule: regimens.Schedule, **options: Any) -> bytes:
    plans: list[Any] = []
    write = _ics._write

    def spy(plan: Any) -> bytes:
        plans.append(plan)
        return write(plan)

    _ics._write = spy
    try:
        data = schedule.to_ics(stamp=STAMP, **options)
    finally:
        _ics._write = write
    assert data == oracle(plans[0])
    calendar = Calendar.from_ical(data)
    assert len(calendar.walk("VEVENT")) == (len(plans[0].events) + len(plans[0].cancelled)
                                            + len(plans[0].gone))
    from ical.calendar_stream import IcsCalendarStream

    assert len(IcsCalendarStream.calendar_from_ics(data.decode()).events) == len(
        calendar.walk("VEVENT"))
    return data


HEAD = """\
format: regimens/1
id: writer
title: {title}
drugs:
  a: {{name: {drug}, route: oral}}
  b: {{name: drug B, route: intravenous}}
arms:
  x: {{label: X}}
  y: {{label: Y}}
periods:
  - id: run-in
    length: {weeks} weeks
    courses:
      - {{drug: a, dose: 5 mg, every: {every} days{times}}}
  - id: t
    length: 2 weeks
    blinded: {blinded}
    courses:
      - {{drug: b, dose: 1 mg, days: [1, 8], arms: [x]{times}}}
      - {{drug: b, placebo: true, days: [1, 8], arms: [y]{times}}}
"""

LABELS = st.text(st.sampled_from(list(",;\\^:\"' aZ9é€李\U0001f489")), max_size=64)
YAML_SAFE = st.text(st.sampled_from(list("abc XYZ,;.-éü李€\U0001f489")), min_size=1,
                    max_size=120).map(str.strip).filter(bool)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Zones whose offset changes and changes back within 64 days (Ramadan), which icalendar's
# own search for changes misses: found by this test, kept.
@example(title=";", drug="a", weeks=1, every=1, times=["08:00"], period_blinded=False,
         zone="Africa/Abidjan", start=date(2027, 1, 4), label="P", blinded=None,
         reminders=[], moved=-3, previous_zone="Africa/Casablanca")
@example(title="a", drug="a", weeks=1, every=1, times=["00:30", "21:15"],
         period_blinded=False, zone="Asia/Gaza", start=date(2039, 11, 1), label="P",
         blinded=None, reminders=[], moved=0, previous_zone=None)
@given(title=YAML_SAFE, drug=YAML_SAFE, weeks=st.integers(1, 3), every=st.integers(1, 3),
       times=st.sampled_from([None, ["08:00"], ["00:30", "21:15"]]),
       period_blinded=st.booleans(), zone=ZONES,
       start=st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)),
       label=LABELS, blinded=st.sampled_from([None, True, False]),
       reminders=st.lists(st.sampled_from(["1h", "30m", "2d", "24h", "1d36h30m",
                                           "09:00-day-before", "23:59-day-before"]),
                          max_size=3),
       moved=st.integers(-3, 3), previous_zone=st.none() | ZONES)
def test_calendar_as_icalendar(title: str, drug: str, weeks: int, every: int,
                               times: list[str] | None, period_blinded: bool, zone: str,
                               start: date, label: str, blinded: bool | None,
                               reminders: list[str], moved: int,
                               previous_zone: str | None) -> None:
    def quote(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    text = HEAD.format(title=quote(title), drug=quote(drug), weeks=weeks, every=every,
                       blinded=str(period_blinded).lower(),
                       times="" if times is None else f", times: {times}")
    regimen = regimens.loads(text, "writer.yaml")
    participant = _participant(label)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        schedule = regimen.expand("x", start, participant, tz=zone)
        earlier = regimen.expand("x", start + timedelta(days=moved), participant,
                                 tz=previous_zone or zone)
    previous = _check(earlier, reminders=reminders[:1])
    _check(schedule, blinded=blinded, reminders=reminders)
    _check(schedule, blinded=blinded, reminders=reminders, previous=previous)


def _participant(label: str) -> regimens.Participant:
    try:
        return regimens.Participant(label=label)
    except regimens.RegimenError:
        return regimens.Participant(label="P-017")


@pytest.mark.parametrize("source", ["imodals", "mirocals", "nct01884571", "nct04055623",
                                    "nct04952155"])
def test_catalogue_calendars_as_icalendar(source: str) -> None:
    regimen = regimens.load(source)
    participant = regimens.Participant(weight="70 kg", height="175 cm", label="Zoë; P,017")
    for arm in regimen.arms:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", regimens.RegimenWarning)
            schedule = regimen.expand(arm.id, "2027-03-20", participant, tz="Europe/Paris")
        _check(schedule, reminders=["1h", "09:00-day-before"])


def test_two_zones_get_their_vtimezones_in_tzid_order() -> None:
    # The longer run-in's first days are cancelled: they keep their zone.
    earlier, later = (regimens.loads(HEAD.format(
        title="Z", drug="A", weeks=weeks, every=1, blinded="false", times=', times: ["08:00"]'),
        "writer.yaml").expand("x", "2027-01-04", tz=zone)
        for weeks, zone in ((3, "Pacific/Auckland"), (1, "America/Anchorage")))
    data = _check(later, previous=_check(earlier))
    assert data.index(b"TZID:America/Anchorage") < data.index(b"TZID:Pacific/Auckland")
    assert data.index(b"END:VTIMEZONE") < data.index(b"BEGIN:VEVENT")
    assert time(8) == datetime.strptime(
        data.split(b"DTSTART;TZID=America/Anchorage:")[1][:15].decode(), "%Y%m%dT%H%M%S").time()


def test_a_dst_spell_of_a_week_is_in_the_vtimezone() -> None:
    # tzdata (Palestine rules): 2040 DST ends Sep 1, resumes Oct 20 02:00 and ends again
    # on Sat Oct 27 02:00 (local, in the offset before each change: RFC 5545 §3.6.5).
    data = regimens.loads(HEAD.format(
        title="Z", drug="A", weeks=1, every=1, blinded="false", times=', times: ["08:00"]'),
        "writer.yaml").expand("x", "2039-11-01", tz="Asia/Gaza").to_ics(stamp=STAMP)
    assert b"RDATE:20400324T020000,20401020T020000\r\n" in data
    assert b"RDATE:20400901T020000,20401027T020000\r\n" in data


@pytest.mark.parametrize("zone", [None, "Europe/Paris"])
def test_events_gone_from_a_records_history_as_icalendar(zone: str | None) -> None:
    # A make-up (missed on line 2) whose missed row line 3 voids: gone, sent cancelled,
    # timed in a zone (its VTIMEZONE written) or on its day.
    from regimens.record import read_record

    text = ("format: regimens/1\nid: writer\ntitle: Gone\n"
            "drugs: {a: {name: carboplatin, route: intravenous}}\n"
            "arms: {x: {label: X}}\nperiods:\n  - id: t\n    length: 6 weeks\n    courses:\n"
            "      - {drug: a, dose: 300 mg, cycle: 21 days, cycles: 2, days: [1],"
            " missed: make_up" + (', times: ["09:00"]' if zone else "") + "}\n")
    regimen = regimens.loads(text, "gone.yaml")
    record = read_record("date,event,drug,cycle,day,amount,level,reason,line\n"
                         "2027-01-25,missed,a,,,,,unwell,\n"
                         "2027-01-25,void missed,a,,,,,error,2\n", name="P.csv",
                         regimen=regimen)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        schedule = regimen.expand("x", "2027-01-04", tz=zone, record=record)
    data = _check(schedule)
    assert data.count(b"STATUS:CANCELLED") == 1
