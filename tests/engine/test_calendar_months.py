"""Calendar months (issue 12 item 6): ``every: N months``, ``cycle: N months``, a period of
``N months`` and ``month: N`` visits, against dates computed by hand from a calendar.

Calendar-month arithmetic keeps the day of the month, clamped to the month's last day,
and always counts from the anchor (31 January + 1 month = 28 February, + 2 months =
31 March, never 28 March).
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import regimens
from support import dates, expand, load

# --- Months.after, by hand from a calendar ------------------------------------------------

AFTER = [
    (date(2027, 1, 31), 1, 1, date(2027, 2, 28)),   # clamped: February 2027 has 28 days
    (date(2028, 1, 31), 1, 1, date(2028, 2, 29)),   # leap year
    (date(2027, 1, 31), 1, 2, date(2027, 3, 31)),   # from the anchor, not from 28 February
    (date(2027, 3, 31), 1, 1, date(2027, 4, 30)),
    (date(2027, 8, 31), 6, 1, date(2028, 2, 29)),
    (date(2028, 2, 29), 12, 1, date(2029, 2, 28)),
    (date(2028, 2, 29), 12, 4, date(2032, 2, 29)),  # 48 months on: a leap year again
    (date(2096, 2, 29), 48, 1, date(2100, 2, 28)),  # 2100 is not a leap year
    (date(2027, 1, 15), 3, 0, date(2027, 1, 15)),   # k = 0 is the anchor
    (date(2027, 12, 31), 2, 1, date(2028, 2, 29)),
]


@pytest.mark.parametrize(("anchor", "months", "k", "expected"), AFTER)
def test_months_after(anchor: date, months: int, k: int, expected: date) -> None:
    assert regimens.Months(months).after(anchor, k) == expected


@pytest.mark.parametrize(("months", "fewest", "most"), [
    (1, 28, 31),        # 1 February (common year) to 1 March; 1 January to 1 February
    (2, 59, 62),        # 1 January to 1 March (common); 1 July to 1 September
    (12, 365, 366),
    (48, 1460, 1461),   # four years through 2100 (not a leap year); any other four years
])
def test_months_fewest_and_most_days(months: int, fewest: int, most: int) -> None:
    assert (regimens.Months(months).days, regimens.Months(months).most_days) == (fewest, most)


@pytest.mark.parametrize(("text", "months", "shown"), [
    ("6 months", 6, "6 months"), ("1 month", 1, "1 month"), ("18Months", 18, "18 months")])
def test_months_parse(text: str, months: int, shown: str) -> None:
    assert regimens.Months.parse(text) == regimens.Months(months)
    assert str(regimens.Months(months)) == shown


@pytest.mark.parametrize("text", ["0 months", "1201 months", "1.5 months", "6 weeks", 6])
def test_months_parse_refused(text: object) -> None:
    with pytest.raises(regimens.UnitError):
        regimens.Months.parse(text)


# --- Courses and periods --------------------------------------------------------------------


def one_period(length: str, *courses: str, visits: tuple[str, ...] = (),
               expect: tuple[str, ...] = (), head: str = "") -> str:
    """A regimen body (after the shared drugs and arms) of one period ``t`` of ``length``
    with ``courses``, ``visits`` and ``expect`` items, each a YAML flow mapping; ``head``
    (top-level keys) first."""
    lines = [f"{head}periods:", "  - id: t", f"    length: {length}"]
    lines += ["    courses:", *(f"      - {c}" for c in courses)] if courses else []
    lines += ["visits:", *(f"  - {v}" for v in visits)] if visits else []
    lines += ["expect:", *(f"  - {e}" for e in expect)] if expect else []
    return "\n".join(lines) + "\n"


MONTHLY = one_period("4 months", "{drug: il2, dose: 1 MIU, every: 1 month}")


@pytest.mark.parametrize(("start", "expected"), [
    ("2027-01-31", ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]),
    ("2028-01-31", ["2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30"]),
    ("2027-11-30", ["2027-11-30", "2027-12-30", "2028-01-30", "2028-02-29"]),
    ("2027-03-15", ["2027-03-15", "2027-04-15", "2027-05-15", "2027-06-15"]),
])
def test_every_month_from_the_anchor(start: str, expected: list[str]) -> None:
    schedule = expand(MONTHLY, start=start)
    assert dates(schedule) == expected
    # The period is 4 calendar months from its first day: it ends the day before.
    period = schedule.periods[0]
    last = regimens.Months(4).after(date.fromisoformat(start)) - timedelta(days=1)
    assert period.last_date == last


def test_every_six_months_with_a_count() -> None:
    body = one_period("24 months", "{drug: il2, dose: 1 MIU, every: 6 months, count: 3}")
    assert dates(expand(body, start="2028-02-29")) == ["2028-02-29", "2028-08-29", "2029-02-28"]


def test_cycle_of_one_month() -> None:
    body = one_period("3 months", "{drug: il2, dose: 1 MIU, cycle: 1 month, days: [1, 15]}")
    schedule = expand(body, start="2027-01-31")
    assert dates(schedule) == ["2027-01-31", "2027-02-14", "2027-02-28", "2027-03-14",
                               "2027-03-31", "2027-04-14"]
    assert [(a.cycle, a.cycle_day) for a in schedule.administrations] == [
        (1, 1), (1, 15), (2, 1), (2, 15), (3, 1), (3, 15)]


def test_cycles_in_months_are_cut_at_a_period_in_days() -> None:
    # Cycle 2 starts 2027-02-28 (a 28-day first cycle); the 40-day period ends 2027-03-11.
    body = one_period("40 days", "{drug: il2, dose: 1 MIU, cycle: 1 month, daily: true}")
    schedule = expand(body, start="2027-01-31")
    assert [a.cycle for a in schedule.administrations] == [1] * 28 + [2] * 12
    assert dates(schedule)[-1] == "2027-03-11"


def test_consecutive_periods_in_months_count_from_the_first_one_never_chained() -> None:
    # From 2027-08-31: 6 months end 2028-02-29 (clamped), 12 months end 2028-08-31. Chained
    # from 2028-02-29 the second would end on 2028-08-29 instead.
    body = """\
    periods:
      - id: treatment
        length: 6 months
      - id: follow-up
        length: 6 months
      - id: extension
        length: 2 weeks
    visits:
      - {id: m12, month: 12}
    """
    schedule = expand(body, start="2027-08-31")
    spans = [(p.first_date.isoformat(), p.last_date.isoformat(), p.length.days)
             for p in schedule.periods]
    assert spans == [("2027-08-31", "2028-02-28", 182), ("2028-02-29", "2028-08-30", 184),
                     ("2028-08-31", "2028-09-13", 14)]
    # Month 12 is the first day after twelve months: the extension's first day.
    assert [(v.id, v.date.isoformat()) for v in schedule.visits] == [("m12", "2028-08-31")]


@pytest.mark.parametrize(("start", "day_zero", "expected"), [
    ("2027-11-30", False, "2028-02-29"),
    ("2026-11-30", False, "2027-02-28"),
    ("2027-01-31", False, "2027-04-30"),
    ("2027-01-31", True, "2027-04-30"),  # --start is the date of Day 0 with day_zero
])
def test_month_visit(start: str, day_zero: bool, expected: str) -> None:
    body = one_period("26 weeks", "{drug: il2, dose: 1 MIU, days: 1}",
                      visits=("{id: m3, month: 3, window: 7 days}",),
                      head="day_zero: true\n" if day_zero else "")
    schedule = expand(body, start=start)
    (visit,) = schedule.visits
    assert visit.date.isoformat() == expected
    offset = (date.fromisoformat(expected) - date.fromisoformat(start)).days
    assert visit.study_day.value == (offset if day_zero else offset + 1)
    assert (visit.earliest, visit.latest) == (visit.date - timedelta(days=7),
                                              visit.date + timedelta(days=7))


def test_round_trip_through_dumps() -> None:
    body = one_period("18 months", "{drug: il2, dose: 1 MIU, every: 6 months, count: 3}",
                      "{drug: pred, dose: 5 mg, cycle: 1 month, cycles: 18, days: 1-5}",
                      visits=("{id: m6, month: 6}",))
    regimen = load(body)
    again = regimens.loads(regimens.dumps(regimen), "again.yaml")
    assert again.periods == regimen.periods
    assert again.visits == regimen.visits


# --- check: counts as ranges over start dates ----------------------------------------------

def test_check_reports_counts_over_start_dates() -> None:
    # 30 days: from 1 January, 1 February is day 32 (one dose); from 1 February (common
    # year), 1 March is day 29 (two doses).
    body = one_period("30 days", "{drug: il2, dose: 1 MIU, every: 1 month}",
                      expect=("{arm: a, drug: il2, administrations: 2}",
                              "{arm: a, drug: il2, administrations: 2, start: 2027-02-01}"))
    report = load(body).check()
    summary = next(s for s in report.summaries if s.arm == "a")
    assert summary.administrations == (1, 2)
    assert any("2004-12-31" in c for c in report.conditions)
    first, second = report.results
    assert not first.passed
    assert "varies with the start date: give 'start'" in str(first)
    assert second.passed


def test_check_counts_are_exact_when_the_months_divide() -> None:
    body = one_period("24 months", "{drug: il2, dose: 1 MIU, every: 3 months}",
                      expect=("{arm: a, drug: il2, administrations: 8, total: 8 MIU}",))
    report = load(body).check()
    assert report.ok
    assert report.summaries[0].administrations == (8, 8)


# --- Refused, naming both keys -----------------------------------------------------------

@pytest.mark.parametrize(("course", "loc", "words"), [
    ("{drug: il2, dose: 1 MIU, cycle: 1 month, weekdays: [mon]}", "weekdays",
     "a cycle in calendar months (1 month) with weekdays"),
    ("{drug: il2, dose: 1 MIU, cycle: 1 month, days: [-1, 1]}", "days",
     "a day before day 1 in a cycle in calendar months (1 month)"),
    ("{drug: il2, dose: 1 MIU, cycle: 28 days, every: 1 month}", "every",
     "a cycle ('cycle') would restart it"),
])
def test_ambiguous_combinations_are_refused(course: str, loc: str, words: str) -> None:
    body = one_period("6 months", course)
    with pytest.raises(regimens.InvalidRegimenError) as info:
        load(body)
    problem = info.value.problems[0]
    assert problem.code == "calendar-months-combination"
    assert problem.loc == ("periods", 0, "courses", 0, loc)
    assert words in problem.message


# --- Invariants ------------------------------------------------------------------------

starts = st.dates(min_value=date(2001, 1, 1), max_value=date(2090, 12, 31))


@settings(max_examples=40, deadline=None)
@given(start=starts, every=st.sampled_from([1, 2, 3, 6]), times=st.integers(2, 6))
def test_every_n_months_over_n_times_k_months_gives_k_doses(start: date, every: int,
                                                           times: int) -> None:
    # The period ends N x k months after its first day and the doses come N months apart
    # from it: exactly k of them, each on anchor + j x N months, whatever the start.
    body = one_period(f"{every * times} months",
                      f"{{drug: il2, dose: 1 MIU, every: {every} months}}")
    got = dates(expand(body, start=start.isoformat()))
    assert got == [regimens.Months(every).after(start, j).isoformat() for j in range(times)]


@settings(max_examples=40, deadline=None)
@given(start=starts.filter(lambda d: d.day <= 28), shift=st.integers(0, 60))
def test_a_start_shifted_by_whole_months_shifts_every_date_by_them(start: date,
                                                                   shift: int) -> None:
    # No day of the month is clamped from a start on day 1 to 28: a start N calendar months
    # later gives every administration and visit N calendar months later.
    body = one_period("12 months", "{drug: il2, dose: 1 MIU, every: 2 months}",
                      visits=("{id: m5, month: 5}",))
    moved = regimens.Months(1).after(start, shift)
    one, other = expand(body, start=start.isoformat()), expand(body, start=moved.isoformat())
    assert [regimens.Months(1).after(a.date, shift) for a in one.administrations] == [
        a.date for a in other.administrations]
    assert [regimens.Months(1).after(v.date, shift) for v in one.visits] == [
        v.date for v in other.visits]


def test_an_anchor_places_months_from_the_study_day_one_it_gives() -> None:
    # A 2-week run-in anchored on 2027-01-17 puts Study Day 1 on 2027-01-31; the 4-month
    # period then counts its months from there, as with start.
    body = "day_one: t\n" + MONTHLY.replace(
        "periods:\n", "periods:\n  - id: run-in\n    length: 2 weeks\n")
    regimen = load(body)
    by_anchor = regimen.expand("a", anchor={"run-in": date(2027, 1, 17)})
    assert by_anchor == regimen.expand("a", date(2027, 1, 31))
    assert dates(by_anchor) == ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]


def test_an_anchor_after_a_period_in_months_is_refused() -> None:
    body = MONTHLY + "  - id: follow-up\n    length: 4 weeks\n"
    with pytest.raises(regimens.ExpandOptionError) as info:
        load(body).expand("a", anchor={"follow-up": date(2027, 6, 1)})
    assert str(info.value) == (
        "anchor: period 'follow-up' comes after period 't' (4 months, in calendar months), "
        "whose days follow from the date of Study Day 1: give the start instead, or anchor a "
        "period before it (got 'follow-up')")


def test_a_period_in_months_has_no_length_to_choose() -> None:
    with pytest.raises(regimens.ExpandOptionError) as info:
        load(MONTHLY).expand("a", "2027-01-31", lengths={"t": "120 days"})
    assert str(info.value) == (
        "lengths.t: this period lasts 4 months (calendar months from its first day): its days "
        "follow from the start date, not from a choice (got '120 days')")


def test_a_monthly_course_in_python_needs_a_date_to_be_laid_out() -> None:
    course = load(MONTHLY).periods[0].courses[0]
    assert course.in_months
    with pytest.raises(ValueError, match="laid out from a date"):
        course.slots(0, 120, 0)
    assert [s[0] for s in course.slots(0, 120, 6, day_one=date(2027, 1, 31))[0]] == [
        0, 28, 59, 89]  # 31 January, 28 February, 31 March, 30 April 2027


@settings(max_examples=300, deadline=None)
@given(anchor=st.dates(min_value=date(1, 1, 1), max_value=date(9000, 12, 31)),
       months=st.integers(1, 1200), k=st.integers(0, 10))
def test_months_after_is_relativedelta(anchor: date, months: int, k: int) -> None:
    from dateutil.relativedelta import relativedelta

    assert regimens.Months(months).after(anchor, k) == anchor + relativedelta(
        months=months * k)


def test_the_model_refuses_the_same_combinations_in_python() -> None:
    with pytest.raises(regimens.InvalidRegimenError) as info:
        regimens.Course("il2", regimens.WeekdaysPattern((0, 2)),
                        placebo=True, cycle=regimens.Months(1))
    problem = info.value.problems[0]
    assert (problem.code, problem.loc) == ("calendar-months-combination",
                                           ("pattern", "weekdays"))
    regimen = load(MONTHLY)
    before = regimen.periods[0]
    run_in = regimens.Period("run-in", regimens.LengthRange.of_months(regimens.Months(1)))
    with pytest.raises(regimens.InvalidRegimenError) as info:
        dataclasses.replace(regimen, periods=(run_in, before), day_one="t")
    problem = info.value.problems[0]
    assert (problem.code, problem.loc) == ("months-before-day-one",
                                           ("periods", 0, "length"))


def test_an_expectation_cannot_choose_the_length_of_a_period_in_months() -> None:
    body = MONTHLY + "expect:\n  - {arm: a, drug: il2, lengths: {t: 120 days}}\n"
    with pytest.raises(regimens.InvalidRegimenError) as info:
        load(body)
    assert str(info.value.problems[0]) == (
        "r.yaml:17: expect[0].lengths.t: this period lasts 4 months (calendar months from its "
        "first day): its days follow from the start date, not from a choice (got '120 days')")
