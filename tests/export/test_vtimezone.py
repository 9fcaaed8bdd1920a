"""Every VTIMEZONE written gives the zone's own UTC offset on every day of its range
(RFC 5545 §3.6.5), including offsets that change and change back within weeks
(Morocco's +00 for Ramadan), which a coarse search for changes misses."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Timezone

from regimens.export._rfc5545 import _vtimezone

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
