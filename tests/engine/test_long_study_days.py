"""Study days of long schedules: exact past 4,096 days (the engine once kept them in a
4,096-entry cache, which every row of a longer expansion missed), before and after Day 1,
with no Day 0, and one shared instance per day within an expansion.

Dates below are hand-computed from Day 1 = Monday 2027-01-04:
- Day 5000 = 2027-01-04 + 4,999 days. 2027-01-04 + 13 years = 2040-01-04 is 13 x 365 + 3
  (leap days 2028, 2032, 2036) = 4,748 days; 251 days more, through leap 2040: Jan 27,
  Feb 29, Mar 31, Apr 30, May 31, Jun 30, Jul 31, Aug 31 = 240, then 11 -> 2040-09-11.
- Day 4097 = 2027-01-04 + 4,096 days = 2040-01-04 - 652 days: 2038-01-04 is 730 days
  before 2040-01-04 (no leap day between), + 78 days (Jan 27, Feb 28 = 55, then 23
  of March) -> 2038-03-23.
- Day -4200 = 2027-01-04 - 4,200 days. 2016-01-04 is 11 x 365 + 3 (2016, 2020, 2024)
  = 4,018 days earlier; 182 days before 2016-01-04 is day 365 + 4 - 182 = 187 of 2015:
  Jan-Jun 2015 are 181 days -> 2015-07-06.
"""

from __future__ import annotations

from datetime import date

import pytest

from regimens.quantities import StudyDay, StudyDays
from support import expand

LONG = """\
day_one: treatment
periods:
  - id: run-in
    length: 4200 days
    courses:
      - {drug: pred, dose: 5 mg, daily: true}
  - id: treatment
    length: 5000 days
    courses:
      - {drug: pred, dose: 5 mg, daily: true}
      - {drug: il2, dose: 1 MIU, days: [1, 4096, 4097, 5000]}
"""


@pytest.fixture(scope="module")
def by_day() -> dict[int, list[tuple[str, str]]]:
    schedule = expand(LONG)
    out: dict[int, list[tuple[str, str]]] = {}
    for a in schedule.administrations:
        out.setdefault(a.study_day.value, []).append((a.drug, a.date.isoformat()))
    return out


@pytest.mark.parametrize(("day", "expected"), [
    (-4200, "2015-07-06"),
    (-1, "2027-01-03"),
    (1, "2027-01-04"),
    (4097, "2038-03-23"),
    (5000, "2040-09-11"),
])
def test_study_day_dates_by_hand(by_day: dict[int, list[tuple[str, str]]], day: int,
                                 expected: str) -> None:
    assert {d for _, d in by_day[day]} == {expected}


def test_every_day_once_no_day_zero(by_day: dict[int, list[tuple[str, str]]]) -> None:
    assert 0 not in by_day
    assert sorted(by_day) == [*range(-4200, 0), *range(1, 5001)]
    assert all(sum(d == "pred" for d, _ in rows) == 1 for rows in by_day.values())
    assert [day for day, rows in sorted(by_day.items()) if any(d == "il2" for d, _ in rows)] \
        == [1, 4096, 4097, 5000]


def test_rows_agree_with_study_day_arithmetic_and_share_instances() -> None:
    schedule = expand(LONG)
    day_one = date(2027, 1, 4)
    seen: dict[int, StudyDay] = {}
    for a in schedule.administrations:
        assert a.study_day == StudyDay.from_date(a.date, day_one)
        assert a.study_day.to_date(day_one) == a.date
        assert seen.setdefault(a.study_day.value, a.study_day) is a.study_day


@pytest.mark.parametrize(("offset", "value"), [
    (-36525, -36525), (-4097, -4097), (-1, -1), (0, 1), (1, 2), (4095, 4096), (4096, 4097),
    (36524, 36525)])
def test_study_days_memo(offset: int, value: int) -> None:
    days = StudyDays()
    made = days[offset]
    assert made == StudyDay(value) == StudyDay.from_offset(offset)
    assert made.offset == offset
    assert days[offset] is made
    assert len(days) == 1


@pytest.mark.parametrize("enabled", [True, False])
def test_expand_restores_the_garbage_collector(enabled: bool) -> None:
    # expand pauses the cyclic collector for its rows; the caller's setting comes back,
    # also when the expansion fails.
    import gc

    import regimens

    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        expand(LONG.replace("5000 days", "10 days").replace(", 4096, 4097, 5000", ""))
        assert gc.isenabled() is enabled
        with pytest.raises(regimens.RegimenError):
            expand(LONG, start="9999-06-01")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


@pytest.mark.parametrize("day_zero", [False, True])
def test_shared_study_days_keep_offsets_within_100_years(day_zero: bool) -> None:
    # The engine's process-wide memo: one instance per day within MAX_DAYS of Day 1, made
    # anew (and not kept) further off, so that its memory stays bounded.
    from regimens.quantities import MAX_DAYS, shared_study_days

    days = shared_study_days(day_zero)
    assert shared_study_days(day_zero) is days
    assert days.day_zero is day_zero
    for offset in (-MAX_DAYS, -1, 0, 1, MAX_DAYS):
        made = days[offset]
        assert made == StudyDay.from_offset(offset, day_zero)
        assert days[offset] is made
    for offset in (-MAX_DAYS - 1, MAX_DAYS + 1, 10 * MAX_DAYS):
        made = days[offset]
        assert made == StudyDay.from_offset(offset, day_zero)
        assert offset not in days
    assert all(abs(offset) <= MAX_DAYS for offset in days)


def test_study_days_of_two_expansions_are_one_instance() -> None:
    first, second = expand(LONG), expand(LONG, start="2030-05-05")
    assert first.administrations[0].study_day is second.administrations[0].study_day
