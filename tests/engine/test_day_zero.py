"""Issue 12 item 2: Day 0 protocols (``day_zero: true``). Dates worked out by hand in the
comments (2027-03-01 is a Monday; February 2027 has 28 days)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import regimens
from regimens import InvalidRegimenError, StudyDay
from support import HEAD, days, expand, load, problems

TRANSPLANT = """\
day_one: transplant
day_zero: true
periods:
  - id: conditioning
    length: 7 days
    courses:
      - {drug: pred, dose: 10 mg, days: [1, 2, 3, 4]}
  - id: transplant
    length: 4 weeks
    courses:
      - {drug: treg, dose: 1e6 cells/kg, days: 1}
      - {drug: il2, dose: 1 MIU, cycle: 1 week, days: [-1, 2]}
visits:
  - {id: d0, day: 0}
  - {id: w2, week: 2, window: 1 day}
  - {id: minus-3, day: -3}
  - {id: end, period: transplant, at: end}
expect:
  - {arm: a, drug: pred, first_day: -7, last_day: -4, administrations: 4}
  - {arm: a, drug: treg, first_day: 0, last_day: 0}
"""


def test_day_zero_numbering_by_hand() -> None:
    s = expand(TRANSPLANT, start="2027-03-01",
               participant=regimens.Participant(weight="60 kg"))
    # Conditioning is the 7 days before Day 0: Days -7 to -1 (2027-02-22 to 2027-02-28).
    assert days(s, "pred") == [-7, -6, -5, -4]
    assert [a.date.isoformat() for a in s.administrations if a.drug == "pred"] == [
        "2027-02-22", "2027-02-23", "2027-02-24", "2027-02-25"]
    # The cells on Day 0, 2027-03-01 (the --start date).
    cells = next(a for a in s.administrations if a.drug == "treg")
    assert (cells.study_day, cells.date) == (StudyDay(0, day_zero=True), dt.date(2027, 3, 1))
    assert str(cells.study_day) == "Day 0"
    # IL-2 in weekly cycles from Day 0: day -1 of each cycle and day 2 (the day after Day 0
    # is Day 1, so cycle day 2 is Day 1): Days -1, 1; 6, 8; 13, 15; 20, 22.
    assert days(s, "il2") == [-1, 1, 6, 8, 13, 15, 20, 22]
    assert [(p.id, p.first_day.value, p.last_day.value) for p in s.periods] == [
        ("conditioning", -7, -1), ("transplant", 0, 27)]
    # Visits: Day 0; week 2 is Day 14 (2027-03-15); Day -3 (2027-02-26); the period's last
    # day, Day 27 (2027-03-28).
    assert [(v.id, v.study_day.value, v.date.isoformat()) for v in s.visits] == [
        ("minus-3", -3, "2027-02-26"), ("d0", 0, "2027-03-01"), ("w2", 14, "2027-03-15"),
        ("end", 27, "2027-03-28")]


def test_day_zero_in_every_output() -> None:
    s = expand(TRANSPLANT, start="2027-03-01",
               participant=regimens.Participant(weight="60 kg"))
    data = json.loads(s.to_json())
    assert data["day_zero"] is True
    assert [a["study_day"] for a in data["administrations"] if a["drug"] == "treg"] == [0]
    assert "\n0,2027-03-01," in s.to_csv()
    assert "Study Day 0: Mon 2027-03-01" in s.to_table()
    assert "> Study Day 0" in s.to_calendar()
    ics = s.to_ics(stamp=dt.datetime(2027, 1, 1, tzinfo=dt.UTC)).decode().replace("\r\n ", "")
    assert ".treg.day0@regimens" in ics
    assert "Study Day 0\\," in ics
    # Without day_zero nothing changes: no key, Study Day 1.
    plain = expand("periods:\n  - id: t\n    length: 1 week\n    courses:\n"
                   "      - {drug: pred, dose: 1 mg, days: 1}\n")
    assert "day_zero" not in json.loads(plain.to_json())
    assert "Study Day 1: Mon 2027-01-04" in plain.to_table()


def test_day_zero_check_and_expectations() -> None:
    report = load(TRANSPLANT).check()
    assert report.ok, report.to_text()
    summary = {s.drug: s for s in report.summaries}
    assert (summary["treg"].first_day, summary["treg"].last_day) == (0, 0)
    assert (summary["il2"].first_day, summary["il2"].last_day) == (-1, 22)


def test_day_zero_writes_back() -> None:
    regimen = load(TRANSPLANT)
    again = regimens.loads(regimens.dumps(regimen))
    assert again == regimen
    assert again.day_zero is True
    assert "week: 2" in regimens.dumps(regimen)


def test_day_zero_refused_without_the_flag() -> None:
    body = ("periods:\n  - id: t\n    length: 1 week\n    courses:\n"
            "      - {drug: pred, dose: 1 mg, days: 1}\n")
    assert problems(body + "visits:\n  - {id: v, day: 0}\n") == [
        "r.yaml:17: visits[0].day: there is no day 0: the day before Day 1 is Day -1 (got 0)"]
    assert problems(body + "expect:\n  - {arm: a, drug: pred, first_day: 0}\n") == [
        "r.yaml:17: expect[0].first_day: there is no day 0: the day before Day 1 is Day -1 "
        "(got 0)"]


def test_study_day_zero_value() -> None:
    assert StudyDay.from_offset(0, True) == StudyDay(0, day_zero=True)
    assert StudyDay.from_offset(0) == StudyDay(1)
    assert StudyDay(1, day_zero=True) != StudyDay(1)  # not the same day
    assert StudyDay.from_date(dt.date(2027, 2, 28), dt.date(2027, 3, 1), True).value == -1
    assert StudyDay(5, day_zero=True).to_date(dt.date(2027, 3, 1)) == dt.date(2027, 3, 6)
    with pytest.raises(regimens.QuantityError):
        StudyDay(0)


def test_the_batch_api_numbers_from_day_zero() -> None:
    cohort = pytest.importorskip("regimens.cohort")
    pytest.importorskip("numpy")
    # Without the IL-2 course (days before day 1 are refused by the batch API).
    regimen = load(TRANSPLANT.replace(
        "      - {drug: il2, dose: 1 MIU, cycle: 1 week, days: [-1, 2]}\n", ""))
    result = cohort.expand_cohort(regimen, "a", ["2027-03-01", "2027-03-03"],
                                  weights=[60, 70])
    columns = result.to_numpy(["study_day", "date"])
    first = result.rows_of(0)
    single = regimen.expand("a", "2027-03-01", regimens.Participant(weight="60 kg"))
    assert [int(d) for d in columns["study_day"][first]] == days(single)
    assert 0 in [int(d) for d in columns["study_day"][first]]


@settings(max_examples=30, deadline=None)
@given(st.integers(-3000, 3000))
def test_day_zero_shifts_with_the_start(shift: int) -> None:
    # Study days do not depend on the start; every date moves by the shift.
    regimen = load(TRANSPLANT)
    kg = regimens.Participant(weight="60 kg")
    base = dt.date(2027, 3, 1)
    a = regimen.expand("a", base, kg)
    b = regimen.expand("a", base + dt.timedelta(days=shift), kg)
    assert days(a) == days(b)
    assert [x.date + dt.timedelta(days=shift) for x in a.administrations] == [
        x.date for x in b.administrations]
    # Day N is N days after the start, Day 0 the start itself.
    assert all(x.date == base + dt.timedelta(days=x.study_day.value) for x in a.administrations)


def test_same_regimen_without_day_zero_is_one_day_later() -> None:
    # The same file without day_zero: every positive day number is one more, and a visit on
    # Day 0 is refused.
    body = TRANSPLANT.replace("day_zero: true\n", "").replace("  - {id: d0, day: 0}\n", "")
    body = body.replace("first_day: 0, last_day: 0", "first_day: 1, last_day: 1")
    s = expand(body, start="2027-03-01", participant=regimens.Participant(weight="60 kg"))
    assert days(s, "il2") == [-1, 2, 7, 9, 14, 16, 21, 23]
    with pytest.raises(InvalidRegimenError):
        regimens.loads(HEAD + TRANSPLANT.replace("day_zero: true\n", ""), "r.yaml")


def test_handout_and_diary_say_day_zero() -> None:
    # The participant's sheets name the start as Study Day 0 and count study weeks from it:
    # Days 0-6 are week 1 (Monday 1 to Sunday 7 March 2027), Days -7 to -1 week -1.
    regimen = regimens.load(Path(__file__).resolve().parents[2] / "examples" /
                            "car-t-day-zero.yaml")
    s = regimen.expand("car-t", "2027-03-01", regimens.Participant(weight="70 kg",
                                                                   height="175 cm"))
    html = s.to_html()
    assert "Study Day 0" in html
    assert "Study Day 0, the day the study counts from" in html
    assert "Study Day 1" not in html
    assert "Jour 0 de l" in s.to_html(lang="fr")
    diary = s.to_diary()
    assert "Study Day 0" in diary
    assert "Study Day 1" not in diary
    assert "Study week 1 · 1 March to Sunday 7 March 2027" in diary
    assert "Study week -1 · 22 February to Sunday 28 February 2027" in diary
    assert "Study week 0" not in diary
