"""Study days (no Day 0), durations and period length ranges."""

from __future__ import annotations

from datetime import date

import pytest

from regimens import Duration, LengthRange, StudyDay, UnitError

DAY_ONE = date(2027, 1, 4)


@pytest.mark.parametrize(
    ("offset", "value", "iso"),
    [
        (0, 1, "2027-01-04"),
        (1, 2, "2027-01-05"),
        (27, 28, "2027-01-31"),
        (28, 29, "2027-02-01"),
        (-1, -1, "2027-01-03"),
        (-2, -2, "2027-01-02"),
        (-14, -14, "2026-12-21"),
        (365, 366, "2028-01-04"),
    ],
)
def test_offsets_and_dates(offset: int, value: int, iso: str) -> None:
    day = StudyDay.from_offset(offset)
    assert day.value == value
    assert day.offset == offset
    assert day.to_date(DAY_ONE).isoformat() == iso
    assert StudyDay.from_date(date.fromisoformat(iso), DAY_ONE) == day


def test_no_day_zero() -> None:
    with pytest.raises(ValueError, match="there is no Study Day 0: the day before Day 1 is Day -1"):
        StudyDay(0)


@pytest.mark.parametrize("value", [True, 1.0, "1"], ids=["bool", "float", "str"])
def test_study_day_is_an_int(value: object) -> None:
    with pytest.raises(TypeError, match="a study day is an int"):
        StudyDay(value)  # type: ignore[arg-type]


def test_consecutive_dates_skip_zero() -> None:
    seen = [StudyDay.from_date(date.fromordinal(DAY_ONE.toordinal() + k), DAY_ONE).value
            for k in range(-3, 3)]
    assert seen == [-3, -2, -1, 1, 2, 3]


def test_ordering_str_repr_int() -> None:
    assert StudyDay(-1) < StudyDay(1) < StudyDay(2)
    assert sorted([StudyDay(3), StudyDay(-2), StudyDay(1)]) == [
        StudyDay(-2), StudyDay(1), StudyDay(3)]
    assert str(StudyDay(-1)) == "Day -1"
    assert repr(StudyDay(8)) == "StudyDay(8)"
    assert int(StudyDay(8)) == 8


def test_leap_day() -> None:
    assert StudyDay(2).to_date(date(2028, 2, 28)) == date(2028, 2, 29)
    assert StudyDay(3).to_date(date(2027, 2, 27)) == date(2027, 3, 1)


@pytest.mark.parametrize(
    ("text", "days", "shown"),
    [
        ("1 day", 1, "1 day"),
        ("28 days", 28, "4 weeks"),
        ("4 weeks", 28, "4 weeks"),
        ("1 week", 7, "1 week"),
        ("10 days", 10, "10 days"),
        ("21days", 21, "3 weeks"),
        ("  2 Weeks ", 14, "2 weeks"),
    ],
)
def test_duration(text: str, days: int, shown: str) -> None:
    d = Duration.parse(text)
    assert d == Duration(days)
    assert str(d) == shown


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("3 months", "'months' is ambiguous as a length (a month is 28 to 31 days); "
                     "write weeks or days, e.g. '12 weeks' or '84 days'"),
        ("1 month", "'month' is ambiguous as a length (a month is 28 to 31 days); "
                    "write weeks or days, e.g. '12 weeks' or '84 days'"),
        ("1 year", "'year' is ambiguous as a length (a year is 365 or 366 days); "
                   "write weeks or days, e.g. '12 weeks' or '84 days'"),
        ("2 fortnights", "unknown duration unit 'fortnights'; write whole days or weeks, "
                         "e.g. '28 days' or '4 weeks'"),
        ("0 days", "a duration must be at least 1 day; write whole days or weeks, "
                   "e.g. '28 days' or '4 weeks'"),
        ("1.5 weeks", "not a duration; write whole days or weeks, e.g. '28 days' or '4 weeks'"),
        ("-2 days", "not a duration; write whole days or weeks, e.g. '28 days' or '4 weeks'"),
        ("28", "not a duration; write whole days or weeks, e.g. '28 days' or '4 weeks'"),
    ],
)
def test_duration_refused(text: str, message: str) -> None:
    with pytest.raises(UnitError) as info:
        Duration.parse(text)
    assert str(info.value) == message


def test_duration_refuses_non_text() -> None:
    with pytest.raises(UnitError, match="a duration is text with a unit"):
        Duration.parse(28)


def test_zero_duration_when_allowed() -> None:
    assert Duration.parse("0 days", allow_zero=True) == Duration(0)
    assert str(Duration(0)) == "0 days"


@pytest.mark.parametrize(("text", "longest", "shown"), [
    ("0-14 days", 14, "0-2 weeks"), ("0-4 weeks", 28, "0-4 weeks"), ("0 to 3 days", 3, "0-3 days")])
def test_length_range_from_zero(text: str, longest: int, shown: str) -> None:
    # An optional gap (a delay window) that a participant may not have: issue 12, item 7.
    r = LengthRange.parse(text)
    assert (r.shortest.days, r.longest.days, r.fixed, str(r)) == (0, longest, False, shown)
    assert Duration(0) in r
    assert Duration(longest) in r
    assert Duration(longest + 1) not in r
    assert LengthRange.parse(str(r)) == r


@pytest.mark.parametrize(
    ("text", "shortest", "longest", "fixed", "shown"),
    [
        ("12 weeks", 84, 84, True, "12 weeks"),
        ("12-18 weeks", 84, 126, False, "12-18 weeks"),
        ("12 to 18 weeks", 84, 126, False, "12-18 weeks"),
        ("12–18 weeks", 84, 126, False, "12-18 weeks"),
        ("10-20 days", 10, 20, False, "10-20 days"),
        ("14-14 days", 14, 14, True, "2 weeks"),
    ],
)
def test_length_range(text: str, shortest: int, longest: int, fixed: bool, shown: str) -> None:
    r = LengthRange.parse(text)
    assert (r.shortest.days, r.longest.days, r.fixed, str(r)) == (shortest, longest, fixed, shown)
    assert Duration(shortest) in r
    assert Duration(longest) in r
    assert Duration(longest + 1) not in r
    assert Duration(shortest - 1) not in r


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("18-12 weeks", "the range's minimum (18) exceeds its maximum (12); "
                        "write the shorter length first, e.g. '12-18 weeks'"),
        ("0-0 weeks", "a length must be at least 1 day; write whole days or weeks, "
                      "e.g. '28 days' or '4 weeks'"),
        ("0 to 0 days", "a length must be at least 1 day; write whole days or weeks, "
                        "e.g. '28 days' or '4 weeks'"),
        ("3-6 months", "'months' is ambiguous as a length (a month is 28 to 31 days); "
                       "write weeks or days, e.g. '12 weeks' or '84 days'"),
    ],
)
def test_length_range_refused(text: str, message: str) -> None:
    with pytest.raises(UnitError) as info:
        LengthRange.parse(text)
    assert str(info.value) == message
