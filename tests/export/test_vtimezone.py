"""Every VTIMEZONE written gives the zone's own UTC offset on every day of its range
(RFC 5545 §3.6.5), including offsets that change and change back within weeks
(Morocco's +00 for Ramadan), which a coarse search for changes misses; and every
observance starts at the instant the zone changes: its DTSTART is the local time in
force before the change (DTSTART - TZOFFSETFROM is the change in UTC, §3.8.2.4,
§3.8.3.3), checked against zoneinfo's own changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Timezone

from regimens.export._rfc5545 import _vtimezone
from support.zones import offset_at, transitions

CASES = [
    # Ramadan 2031-32: +01 -> +00 on 2031-12-14, back to +01 on 2032-01-18 (tzdata).
    ("Africa/El_Aaiun", date(2031, 12, 1), date(2032, 3, 1)),
    ("Africa/Casablanca", date(2024, 1, 1), date(2026, 1, 1)),
    ("Africa/Casablanca", date(2030, 11, 1), date(2031, 2, 1)),
    ("Europe/Paris", date(2027, 1, 1), date(2029, 1, 1)),
    ("America/New_York", date(2026, 6, 1), date(2028, 6, 1)),
    # Half-hour daylight saving time.
    ("Australia/Lord_Howe", date(2027, 1, 1), date(2028, 6, 1)),
    # No daylight saving time since 2019.
    ("America/Sao_Paulo", date(2018, 1, 1), date(2021, 1, 1)),
]


def _onsets(text: str) -> list[tuple[datetime, timedelta]]:
    """Each observance's onsets as UTC wall times, with the offset they bring: the local
    DTSTART (and RDATEs) less TZOFFSETFROM (RFC 5545 §3.6.5), read independently of any
    zone database (a reader may resolve a known TZID to its own copy of the zone)."""
    onsets = []
    for part in Timezone.from_ical(text).walk():
        if part.name not in ("STANDARD", "DAYLIGHT"):
            continue
        before = part["TZOFFSETFROM"].td
        after = part["TZOFFSETTO"].td
        starts = [part["DTSTART"].dt]
        rdates = part.get("RDATE", [])
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            starts.extend(period.dt for period in rdate.dts)
        onsets.extend((start - before, after) for start in starts)
    return sorted(onsets)


@pytest.mark.parametrize(("key", "first", "last"), CASES)
def test_the_vtimezone_gives_the_zone_offset_at_noon_every_day(key: str, first: date,
                                                               last: date) -> None:
    onsets = _onsets(_vtimezone(key, first, last).decode())
    zone = ZoneInfo(key)
    day = first
    while day < last:
        # Local noon: far from the night-time changes of these zones.
        noon = datetime.combine(day, time(12), zone)
        utc = noon.replace(tzinfo=None) - noon.utcoffset()  # type: ignore[operator]
        offset = [after for onset, after in onsets if onset <= utc][-1]
        assert offset == noon.utcoffset(), (key, day)
        day += timedelta(days=1)


def test_el_aaiun_has_both_ramadan_changes() -> None:
    # zoneinfo: at 2031-12-14 02:00 UTC (03:00 at +01) the offset becomes +00, and on
    # 2032-01-18 it is +01 again.
    text = _vtimezone("Africa/El_Aaiun", date(2031, 12, 1), date(2032, 3, 1)).decode()
    assert "DTSTART:20311214T030000\r\nTZNAME:+00\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000" in text
    assert "DTSTART:20320118T" in text
    assert "TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100" in text


# --- onsets: DTSTART in the offset before the change (RFC 5545 §3.6.5) ---------------------

ONSET_CASES = [
    # Northern hemisphere, changes at 01:00 UTC.
    ("Europe/Paris", date(2027, 1, 1), date(2029, 1, 1)),
    ("America/New_York", date(2027, 1, 1), date(2029, 1, 1)),
    # Southern hemisphere: daylight time over the new year.
    ("Australia/Sydney", date(2027, 1, 1), date(2029, 1, 1)),
    ("America/Santiago", date(2027, 1, 1), date(2029, 1, 1)),
    # Half-hour daylight saving time, and offsets that are not whole hours.
    ("Australia/Lord_Howe", date(2027, 1, 1), date(2029, 1, 1)),
    ("Pacific/Chatham", date(2027, 1, 1), date(2029, 1, 1)),
    # Winter is the "negative daylight saving time" of tzdata.
    ("Europe/Dublin", date(2027, 1, 1), date(2029, 1, 1)),
    # Historical changes: Moscow on +04 all year from 2011, +03 from 2014-10-26; Samoa
    # skipping 2011-12-30 (-10 to +14); Pyongyang on +0830 from 2015-08-15 to 2018-05-05;
    # Sao Paulo's last daylight saving time ending 2019-02-17.
    ("Europe/Moscow", date(2010, 1, 1), date(2015, 6, 1)),
    ("Pacific/Apia", date(2011, 6, 1), date(2012, 6, 1)),
    ("Asia/Pyongyang", date(2015, 1, 1), date(2019, 1, 1)),
    ("America/Sao_Paulo", date(2018, 1, 1), date(2021, 1, 1)),
    # Morocco's +00 for Ramadan, about 30 days.
    ("Africa/El_Aaiun", date(2031, 12, 1), date(2032, 3, 1)),
    # No change at all.
    ("Asia/Kathmandu", date(2027, 1, 1), date(2029, 1, 1)),
]


def _observances(text: str) -> list[tuple[datetime, datetime, timedelta, timedelta]]:
    """(local onset as written, onset in UTC, TZOFFSETFROM, TZOFFSETTO) of every
    observance onset (DTSTART and RDATEs), in time order."""
    found = []
    for part in Timezone.from_ical(text).walk():
        if part.name not in ("STANDARD", "DAYLIGHT"):
            continue
        before, after = part["TZOFFSETFROM"].td, part["TZOFFSETTO"].td
        starts = [part["DTSTART"].dt]
        rdates = part.get("RDATE", [])
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            starts.extend(period.dt for period in rdate.dts)
        found.extend((start, start - before, before, after) for start in starts)
    return sorted(found, key=lambda row: row[1])


@pytest.mark.parametrize(("key", "first", "last"), ONSET_CASES)
def test_each_onset_is_the_zone_change_in_the_offset_before_it(key: str, first: date,
                                                                last: date) -> None:
    zone = ZoneInfo(key)
    first_observance, *changes = _observances(_vtimezone(key, first, last).decode())
    # The first observance gives the offset at the start of the range: no change.
    start, _, before, after = first_observance
    assert start == datetime.combine(first, time())
    assert before == after == offset_at(zone, start - after)
    # Every other one is a change zoneinfo has, at the same instant, and none is left out
    # (the range ends at local midnight of ``last``; no case has a change near it).
    begin = datetime.combine(first, time()) - before
    end = datetime.combine(last, time()) - offset_at(zone, datetime.combine(last, time()))
    assert [(onset, before, after) for _, onset, before, after in changes] == (
        transitions(zone, begin, end))


# Worked by hand from the zones' rules (2027): Paris and the EU change at 01:00 UTC on the
# last Sundays of March and October; the United States at 02:00 local on the second Sunday
# of March and the first of November (RFC 5545's own example: DAYLIGHT 02:00 from -0500,
# STANDARD 02:00 from -0400); New South Wales at 02:00 standard time on the first Sunday of
# October, back at 03:00 daylight time on the first Sunday of April; Lord Howe Island at
# 02:00 local both ways, by half an hour.
HAND = [
    ("Europe/Paris", "DAYLIGHT", "20270328T020000", "+0100", "+0200"),
    ("Europe/Paris", "STANDARD", "20271031T030000", "+0200", "+0100"),
    ("America/New_York", "DAYLIGHT", "20270314T020000", "-0500", "-0400"),
    ("America/New_York", "STANDARD", "20271107T020000", "-0400", "-0500"),
    ("Australia/Sydney", "STANDARD", "20270404T030000", "+1100", "+1000"),
    ("Australia/Sydney", "DAYLIGHT", "20271003T020000", "+1000", "+1100"),
    ("Australia/Lord_Howe", "STANDARD", "20270404T020000", "+1100", "+1030"),
    ("Australia/Lord_Howe", "DAYLIGHT", "20271003T020000", "+1030", "+1100"),
]


@pytest.mark.parametrize(("key", "kind", "onset", "before", "after"), HAND)
def test_onsets_worked_by_hand(key: str, kind: str, onset: str, before: str,
                               after: str) -> None:
    text = _vtimezone(key, date(2027, 1, 1), date(2028, 1, 1)).decode()
    assert (f"BEGIN:{kind}\r\nDTSTART:{onset}\r\nTZNAME:" in text)
    block = text.partition(f"DTSTART:{onset}\r\n")[2].partition(f"END:{kind}")[0]
    assert f"TZOFFSETFROM:{before}\r\nTZOFFSETTO:{after}\r\n" in block


def _wall_times_around(zone: ZoneInfo, instant: datetime) -> list[datetime]:
    """Local times every 15 minutes from 2 hours before to 2 hours after a change (given
    in UTC), leaving out those the change skips (they do not exist)."""
    local = instant.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None, fold=0)
    walls = [local + timedelta(minutes=15 * step) for step in range(-8, 9)]
    return [wall for wall in walls if wall.replace(tzinfo=zone).astimezone(UTC).astimezone(
        zone).replace(tzinfo=None, fold=0) == wall]


@pytest.mark.parametrize(("key", "first", "last"), ONSET_CASES)
def test_icalendar_reads_times_near_each_change_at_the_right_instant(
        key: str, first: date, last: date) -> None:
    zone = ZoneInfo(key)
    begin = datetime.combine(first, time()) + timedelta(days=1)
    end = datetime.combine(last, time()) - timedelta(days=1)
    walls = [wall for instant, _, _ in transitions(zone, begin, end)
             for wall in _wall_times_around(zone, instant)]
    # The zone's name is hidden, so that only the VTIMEZONE written is used (under a name
    # of its own: icalendar keeps the zones it has read by TZID for the whole process).
    hidden = "X-Hidden-" + key.replace("/", "-")
    vtimezone = _vtimezone(key, first, last).decode().replace(f"TZID:{key}", f"TZID:{hidden}")
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:{n}@test\r\nDTSTAMP:20270101T000000Z\r\n"
        f"DTSTART;TZID={hidden}:{wall:%Y%m%dT%H%M%S}\r\nEND:VEVENT\r\n"
        for n, wall in enumerate(walls))
    data = (f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{vtimezone}\r\n"
            f"{events}END:VCALENDAR\r\n")
    read = [event.decoded("DTSTART") for event in Calendar.from_ical(data).walk("VEVENT")]
    assert len(read) == len(walls) > 0 or key == "Asia/Kathmandu"
    for wall, value in zip(walls, read, strict=True):
        # RFC 5545 §3.3.5: a local time that occurs twice is the first of the two (fold=0).
        assert value.astimezone(UTC) == wall.replace(tzinfo=zone).astimezone(UTC), wall


# Every zone and year from 1970 to 2037 (run with 400 examples once: all passed).
@settings(max_examples=15, deadline=None)
@given(key=st.sampled_from(sorted(available_timezones() - {"localtime"})),
       year=st.integers(min_value=1970, max_value=2037))
def test_every_zone_onsets_are_its_changes(key: str, year: int) -> None:
    zone = ZoneInfo(key)
    first, last = date(year, 1, 1), date(year + 1, 1, 1)
    changes = _observances(_vtimezone(key, first, last).decode())[1:]
    for _, onset, before, after in changes:
        assert (offset_at(zone, onset - timedelta(seconds=1)), offset_at(zone, onset)) == (
            before, after), onset
    # None is left out (a day's margin at the ends of the range, which are local times).
    begin = datetime.combine(first, time()) + timedelta(days=1)
    end = datetime.combine(last, time()) - timedelta(days=1)
    onsets = {onset for _, onset, _, _ in changes}
    assert [instant for instant, _, _ in transitions(zone, begin, end)
            if instant not in onsets] == []
