"""A regimen built in Python is checked like one read from a file.

Each case builds one record that breaks one invariant and pins the library's
error and its exact message. Records check what they hold themselves
(``<Course>``, ``<Dose>``...); :class:`Regimen` checks cross-references and
reports each with its field path, the same path a regimen file would have.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any

import pytest

import regimens
from regimens import (
    AdministrationStep,
    Arm,
    Course,
    CycleStep,
    DaysPattern,
    DayStep,
    Dose,
    Drug,
    Duration,
    EveryPattern,
    Expectation,
    InvalidRegimenError,
    LengthRange,
    Period,
    PeriodAnchor,
    QuantityError,
    QuantityTypeError,
    Regimen,
    RegimenLookupError,
    StudyDayAnchor,
    Visit,
    WeekdaysPattern,
    Window,
)
from regimens.quantities import parse_amount, parse_dose_quantity

MG = Dose(parse_dose_quantity("1 mg"))
PER_KG = Dose(parse_dose_quantity("0.5 mg/kg"))
DAY1 = DaysPattern((1,))


def weeks(n: int) -> LengthRange:
    return LengthRange(Duration(7 * n), Duration(7 * n))


def course(**fields: Any) -> Course:
    base: dict[str, Any] = {"drug": "a", "pattern": DAY1, "dose": MG}
    base.update(fields)
    return Course(**base)


def regimen(*courses: Course, **fields: Any) -> Regimen:
    """Drugs a and b, arms x and y, one 4-week period ``t`` with ``courses``."""
    base: dict[str, Any] = {
        "id": "py", "title": "Built in Python",
        "drugs": (Drug("a", "drug A", "oral"), Drug("b", "drug B", "oral")),
        "arms": (Arm("x", "X"), Arm("y", "Y")),
        "periods": (Period("t", weeks(4), courses or (course(),)),),
    }
    base.update(fields)
    return Regimen(**base)


def two_periods(**fields: Any) -> Regimen:
    periods = (Period("run-in", weeks(2), (course(),)), Period("t", weeks(4), (course(),)))
    return regimen(periods=periods, **fields)


# Records that check what they hold ---------------------------------------------------

RECORD_CASES: list[tuple[str, Callable[[], object], type[Exception], str]] = [
    ("duration-negative", lambda: Duration(-5), QuantityError,
     "a duration cannot be negative: give a whole number of days from 0 up (got -5)"),
    ("duration-not-int", lambda: Duration("5"), QuantityTypeError,  # type: ignore[arg-type]
     "a duration is a whole number of days, an int (got '5')"),
    ("duration-bool", lambda: Duration(True), QuantityTypeError,
     "a duration is a whole number of days, an int (got True)"),
    ("length-reversed", lambda: LengthRange(Duration(9), Duration(2)), QuantityError,
     "the shortest length (9 days) exceeds the longest (2 days): give the shorter length first"),
    ("length-zero", lambda: LengthRange(Duration(0), Duration(0)), QuantityError,
     "a length must be at least 1 day"),
    ("length-not-durations", lambda: LengthRange(7, 7),  # type: ignore[arg-type]
     QuantityTypeError, "a length's bounds are Durations (got 7)"),
    ("days-empty", lambda: DaysPattern(()), InvalidRegimenError,
     "<DaysPattern>: days: give at least one day, as a tuple of ints (got ())"),
    ("days-list", lambda: DaysPattern([1, 8]), InvalidRegimenError,  # type: ignore[arg-type]
     "<DaysPattern>: days: give at least one day, as a tuple of ints (got a list)"),
    ("day-zero", lambda: DaysPattern((0, 1)), InvalidRegimenError,
     "<DaysPattern>: days: days are whole numbers counted from 1: there is no day 0 (got 0)"),
    ("days-unsorted", lambda: DaysPattern((8, 1)), InvalidRegimenError,
     "<DaysPattern>: days: list the days in increasing order, each once (got (8, 1))"),
    ("days-twice", lambda: DaysPattern((1, 1)), InvalidRegimenError,
     "<DaysPattern>: days: list the days in increasing order, each once (got (1, 1))"),
    ("every-zero", lambda: EveryPattern(Duration(0)), InvalidRegimenError,
     "<EveryPattern>: every: an interval is a Duration of at least 1 day (got 0 days)"),
    ("every-count-zero", lambda: EveryPattern(Duration(2), 0), InvalidRegimenError,
     "<EveryPattern>: count: a count is a whole number from 1 (None: to the end) (got 0)"),
    ("weekday-seven", lambda: WeekdaysPattern((0, 7)), InvalidRegimenError,
     "<WeekdaysPattern>: weekdays: weekdays are a non-empty tuple of ints from 0 (Monday) to 6 "
     "(Sunday) (got (0, 7))"),
    ("weekdays-unsorted", lambda: WeekdaysPattern((4, 0)), InvalidRegimenError,
     "<WeekdaysPattern>: weekdays: list the weekdays in increasing order, each once "
     "(got (4, 0))"),
    ("cycle-step-zero", lambda: CycleStep(MG, 0), InvalidRegimenError,
     "<CycleStep>: cycles: a step lasts a whole number of cycles, from 1 (got 0)"),
    # None is an open-ended last step (issue 12, item 7); text is still refused.
    ("administration-step-text", lambda: AdministrationStep(MG, "3"),  # type: ignore[arg-type]
     InvalidRegimenError, "<AdministrationStep>: administrations: a step lasts a whole number "
     "of administrations, from 1 (got '3')"),
    ("day-step-empty", lambda: DayStep(MG, ()), InvalidRegimenError,
     "<DayStep>: days: give at least one day, as a tuple of ints (got ())"),
    ("dose-cap-other-dimension",
     lambda: Dose(parse_dose_quantity("1 mg/kg"), max=parse_amount("2 mL")),
     InvalidRegimenError, "<Dose>: max: must be in the dose's dimension (mass) (got '2 mL')"),
    ("dose-round-other-dimension",
     lambda: Dose(parse_dose_quantity("1 MIU/m2"), round=parse_amount("5 mg")),
     InvalidRegimenError,
     "<Dose>: round: must be in the dose's dimension (international units) (got '5 mg')"),
    ("dose-round-flat", lambda: Dose(parse_dose_quantity("1 mg"), round=parse_amount("5 mg")),
     InvalidRegimenError, "<Dose>: round: round applies to computed (per kg or per m2) doses; "
     "this dose is flat (got '5 mg')"),
    ("course-no-pattern", lambda: Course("a", None, MG), InvalidRegimenError,
     "<Course>: pattern: a course needs exactly one timing pattern (DaysPattern, EveryPattern, "
     "WeekdaysPattern, DailyPattern or HoursPattern) or steps by days"),
    ("course-pattern-and-day-steps",
     lambda: Course("a", DAY1, steps=(DayStep(MG, (1, 2)),)), InvalidRegimenError,
     "<Course>: pattern: day steps are the course's pattern: give pattern=None "
     "(got DaysPattern(days=(1,)))"),
    ("course-day-outside-cycle",
     lambda: course(pattern=DaysPattern((1, 29)), cycle=Duration(28)), InvalidRegimenError,
     "<Course>: pattern.days: day 29 is outside a 28-day cycle (got 29)"),
    ("course-day-outside-span",
     lambda: course(pattern=DaysPattern((1, 15)), span=Duration(14)), InvalidRegimenError,
     "<Course>: pattern.days: day 15 is outside the course (14 days) (got 15)"),
    ("course-day-step-outside-cycle",
     lambda: Course("a", None, steps=(DayStep(MG, (1,)), DayStep(MG, (2, 8))),
                    cycle=Duration(7)), InvalidRegimenError,
     "<Course>: steps[1].days: day 8 is outside a 7-day cycle (got 8)"),
    ("course-steps-of-two-bases",
     lambda: Course("a", None, steps=(DayStep(MG, (1,)), DayStep(PER_KG, (2, 30)))),
     InvalidRegimenError,
     "<Course>: steps: all steps of a course use the same dose basis and dimension"),
    ("course-day-steps-overlap",
     lambda: Course("a", None, steps=(DayStep(MG, (1, 2)), DayStep(MG, (2, 3)))),
     InvalidRegimenError,
     "<Course>: steps[1].days: day 2 is already in steps[0]: steps overlap (got 2)"),
    ("course-every-longer-than-cycle",
     lambda: course(pattern=EveryPattern(Duration(14)), cycle=Duration(7)), InvalidRegimenError,
     "<Course>: pattern.every: an interval of 14 days is longer than a 7-day cycle; give one "
     "dose per cycle with days (1,), or a longer cycle (got '2 weeks')"),
    ("course-count-past-cycle",
     lambda: course(pattern=EveryPattern(Duration(2), 8), cycle=Duration(14)),
     InvalidRegimenError, "<Course>: pattern.count: 8 administrations every 2 days end on day "
     "15, outside a 14-day cycle (got 8)"),
    ("course-dose-and-steps",
     lambda: course(steps=(CycleStep(MG, 1),), cycle=Duration(7), cycles=1),
     InvalidRegimenError, "<Course>: steps: give either dose or steps, not both"),
    ("course-placebo-with-dose", lambda: course(placebo=True), InvalidRegimenError,
     "<Course>: placebo: a placebo course has no active dose or steps: remove them"),
    ("course-unspecified-without-note", lambda: course(dose=None), InvalidRegimenError,
     "<Course>: dose_note: a course with no dose, steps or placebo needs a dose_note saying why "
     "the amount is not fixed (e.g. 'titrated to trough level')"),
    ("course-cycles-without-cycle", lambda: course(cycles=3), InvalidRegimenError,
     "<Course>: cycles: cycles needs a cycle length (cycle=Duration(28)) (got 3)"),
    ("course-cycle-steps-without-cycle",
     lambda: course(dose=None, steps=(CycleStep(MG, 2),)), InvalidRegimenError,
     "<Course>: steps: steps by cycles need a cycle length (cycle=Duration(28))"),
    ("course-cycle-steps-miscount",
     lambda: course(dose=None, steps=(CycleStep(MG, 2), CycleStep(PER_KG, 1))),
     InvalidRegimenError,
     "<Course>: steps: all steps of a course use the same dose basis and dimension\n"
     "<Course>: steps: steps by cycles need a cycle length (cycle=Duration(28))"),
    ("course-cycles-not-the-steps",
     lambda: course(dose=None, steps=(CycleStep(MG, 2), CycleStep(MG, 1)), cycle=Duration(7),
                    cycles=4), InvalidRegimenError,
     "<Course>: cycles: the steps cover 3 cycles but the course has 4"),
    ("course-cycle-steps-no-count",
     lambda: course(dose=None, steps=(CycleStep(MG, 2),), cycle=Duration(7)),
     InvalidRegimenError, "<Course>: cycles: the steps cover 2 cycles: give cycles=2"),
    ("course-cycles-past-span",
     lambda: course(cycle=Duration(7), cycles=3, span=Duration(14)), InvalidRegimenError,
     "<Course>: cycles: 3 cycles of 7 days need 21 days, but the course has 14 (got 3)"),
    ("course-steps-of-two-kinds",
     lambda: course(dose=None, steps=(CycleStep(MG, 1), AdministrationStep(MG, 2)),
                    cycle=Duration(7), cycles=1), InvalidRegimenError,
     "<Course>: steps: all steps of a course count the same thing (cycles, administrations "
     "or days)"),
    ("course-start-zero", lambda: course(start=0), InvalidRegimenError,
     "<Course>: start: the day of the period the course starts on, from 1 (got 0)"),
    ("course-time-twice", lambda: course(times=(time(8), time(8))), InvalidRegimenError,
     "<Course>: times: a time of day is listed twice"),
    ("course-no-arms", lambda: course(arms=()), InvalidRegimenError,
     "<Course>: arms: a non-empty tuple of arm ids (None: every arm) (got ())"),
    ("course-not-on-itself", lambda: course(not_on=("a",)), InvalidRegimenError,
     "<Course>: not_on[0]: must name another drug of this regimen (got 'a')"),
    ("drug-empty-name", lambda: Drug("a", " ", "oral"), InvalidRegimenError,
     "<Drug>: name: non-empty text (got ' ')"),
    ("expect-lengths-mapping",
     lambda: Expectation("x", "a", lengths={"t": "4 weeks"}),  # type: ignore[arg-type]
     InvalidRegimenError, "<Expectation>: lengths: a tuple of (period id, length text) pairs, "
     "e.g. (('treatment', '12 weeks'),) (got a mapping)"),
    ("period-length-text", lambda: Period("t", "4 weeks"),  # type: ignore[arg-type]
     InvalidRegimenError, "<Period>: length: a LengthRange (got '4 weeks')"),
    ("arm-empty-path", lambda: Arm("x", "X", ()), InvalidRegimenError,
     "<Arm>: periods: a path is a non-empty tuple of period ids (None: every period) (got ())"),
    ("arm-period-twice", lambda: Arm("x", "X", ("t", "t")), InvalidRegimenError,
     "<Arm>: periods: a period appears twice in the path (got 't, t')"),
    ("study-day-text", lambda: StudyDayAnchor("3"), InvalidRegimenError,  # type: ignore[arg-type]
     "<StudyDayAnchor>: day: a Study Day is an int (got '3')"),
    ("period-anchor-neither", lambda: PeriodAnchor("t"), InvalidRegimenError,
     "<PeriodAnchor>: at: a visit in a period gives either at ('start' or 'end') or day "
     "(day N of the period)"),
    ("period-anchor-both", lambda: PeriodAnchor("t", "start", 3), InvalidRegimenError,
     "<PeriodAnchor>: at: a visit in a period gives either at ('start' or 'end') or day "
     "(day N of the period)"),
    ("period-anchor-at", lambda: PeriodAnchor("t", "middle"), InvalidRegimenError,
     "<PeriodAnchor>: at: must be one of: start, end (got 'middle')"),
    ("period-anchor-day-zero", lambda: PeriodAnchor("t", day=0), InvalidRegimenError,
     "<PeriodAnchor>: day: day N of the period is a whole number from 1 (got 0)"),
    ("window-not-duration", lambda: Window(Duration(1), 2),  # type: ignore[arg-type]
     InvalidRegimenError, "<Window>: after: a Duration (0 days or more) (got 2)"),
    ("visit-no-arms", lambda: Visit("v", StudyDayAnchor(1), arms=()), InvalidRegimenError,
     "<Visit>: arms: a non-empty tuple of arm ids (None: every arm) (got ())"),
    ("expect-day-text", lambda: Expectation("x", "a", first_day="3"),  # type: ignore[arg-type]
     InvalidRegimenError, "<Expectation>: first_day: a Study Day: an int (got '3')"),
    ("expect-negative-count", lambda: Expectation("x", "a", administrations=-1),
     InvalidRegimenError, "<Expectation>: administrations: a whole number from 0 (got -1)"),
    ("expect-weight", lambda: Expectation("x", "a", weight="700 kg"), InvalidRegimenError,
     "<Expectation>: weight: 700 kg is not a plausible weight (allowed: 0.5 to 400 kg); check "
     "the number and its unit (got '700 kg')"),
    ("expect-start", lambda: Expectation("x", "a", start="2027-13-01"), InvalidRegimenError,
     "<Expectation>: start: not a calendar date (YYYY-MM-DD) (got '2027-13-01')"),
]


@pytest.mark.parametrize(("make", "error", "message"),
                         [pytest.param(*case[1:], id=case[0]) for case in RECORD_CASES])
def test_a_record_refuses_what_it_cannot_hold(make: Callable[[], object],
                                              error: type[Exception], message: str) -> None:
    with pytest.raises(error) as caught:
        make()
    assert type(caught.value) is error
    assert str(caught.value) == message


# The regimen's cross-references --------------------------------------------------------

WEEK = Duration(7)
REGIMEN_CASES: list[tuple[str, Callable[[], object], str]] = [
    # Day 0 exists only with day_zero (issue 12, item 2): the regimen knows the convention,
    # so it checks the days of its visits and expectations.
    ("study-day-zero", lambda: regimen(visits=(Visit("v", StudyDayAnchor(0)),)),
     "visits[0].anchor.day: there is no Study Day 0: the day before Day 1 is Day -1 (a "
     "protocol that counts from Day 0 says so with day_zero: true) (got 0)"),
    ("expect-day-zero", lambda: regimen(expect=(Expectation("x", "a", first_day=0),)),
     "expect[0].first_day: there is no Study Day 0: the day before Day 1 is Day -1 (a "
     "protocol that counts from Day 0 says so with day_zero: true) (got 0)"),
    ("unknown-drug", lambda: regimen(course(drug="nope")),
     "periods[0].courses[0].drug: no drug has this id (drugs: a, b) (got 'nope')"),
    ("unknown-not-on", lambda: regimen(course(not_on=("c",))),
     "periods[0].courses[0].not_on[0]: must name another drug of this regimen (got 'c')"),
    ("unknown-no-same-day", lambda: regimen(course(no_same_day=("c",))),
     "periods[0].courses[0].no_same_day[0]: must name another drug of this regimen (got 'c')"),
    ("unknown-course-arm", lambda: regimen(course(arms=("x", "z"))),
     "periods[0].courses[0].arms[1]: no arm has this id (arms: x, y) (got 'z')"),
    ("course-arm-off-path",
     lambda: regimen(arms=(Arm("x", "X", ("t",)), Arm("y", "Y")),
                     periods=(Period("run-in", weeks(2), (course(arms=("x",)),)),
                              Period("t", weeks(4), (course(),)))),
     "periods[0].courses[0].arms[0]: this arm does not go through period 'run-in' (got 'x')"),
    ("start-after-period", lambda: regimen(course(start=29)),
     "periods[0].courses[0].start: the course starts after the end of its period (28 days) "
     "(got 29)"),
    ("start-after-shortest",
     lambda: regimen(periods=(Period("t", LengthRange(Duration(14), Duration(28)),
                                     (course(start=15),)),)),
     "periods[0].courses[0].start: the course starts after the end of its period (14 days at "
     "the shortest length) (got 15)"),
    ("span-past-period", lambda: regimen(course(start=8, span=Duration(28))),
     "periods[0].courses[0].span: the course would run past the end of its period (from day 8, "
     "21 days remain of 28) (got '4 weeks')"),
    ("day-past-period", lambda: regimen(course(pattern=DaysPattern((1, 29)))),
     "periods[0].courses[0].pattern.days: day 29 is outside the course (28 days) (got 29)"),
    ("day-past-period-after-start", lambda: regimen(course(pattern=DaysPattern((20,)), start=10)),
     "periods[0].courses[0].pattern.days: day 20 is outside the course (19 days) (got 20)"),
    ("day-step-past-period",
     lambda: regimen(Course("a", None, steps=(DayStep(MG, (1,)), DayStep(MG, (2, 30))))),
     "periods[0].courses[0].steps[1].days: day 30 is outside the course (28 days) (got 30)"),
    ("every-past-period", lambda: regimen(course(pattern=EveryPattern(Duration(29)))),
     "periods[0].courses[0].pattern.every: an interval of 29 days is longer than the course "
     "(28 days); give one dose per cycle with days (1,), or a longer cycle (got '29 days')"),
    ("cycles-past-period", lambda: regimen(course(cycle=Duration(14), cycles=3)),
     "periods[0].courses[0].cycles: 3 cycles of 14 days need 42 days, but the course has 28 "
     "(got 3)"),
    ("steps-do-not-cover",
     lambda: regimen(course(dose=None, pattern=EveryPattern(Duration(7)),
                            steps=(AdministrationStep(MG, 1), AdministrationStep(MG, 2)))),
     "periods[0].courses[0].steps: the steps cover 3 administrations but the course gives 4"),
    ("steps-do-not-cover-the-longest",
     lambda: regimen(periods=(Period("t", LengthRange(Duration(28), Duration(35)), (
         course(dose=None, pattern=EveryPattern(Duration(7)),
                steps=(AdministrationStep(MG, 1), AdministrationStep(MG, 3))),)),)),
     "periods[0].courses[0].steps: the steps cover 4 administrations but the course gives 5 "
     "(with a 35-day t period)"),
    ("empty-title", lambda: regimen(title=""), "title: non-empty text (got '')"),
    ("no-drugs", lambda: regimen(drugs=(), periods=(Period("t", weeks(1)),)),
     "drugs: a regimen has at least one drug"),
    ("no-arms", lambda: regimen(arms=()), "arms: a regimen has at least one arm"),
    ("no-periods", lambda: regimen(periods=()), "periods: a regimen has at least one period"),
    ("drugs-not-records", lambda: regimen(drugs=["a"]),
     "drugs: a tuple of Drug (got a list)"),
    ("duplicate-drug", lambda: regimen(drugs=(Drug("a", "A", "oral"), Drug("a", "A2", "oral"))),
     "drugs: duplicate drug id (got 'a')"),
    ("duplicate-arm", lambda: regimen(arms=(Arm("x", "X"), Arm("x", "X2"))),
     "arms: duplicate arm id (got 'x')"),
    ("duplicate-period",
     lambda: regimen(periods=(Period("t", weeks(1)), Period("t", weeks(2)))),
     "periods: duplicate period id (got 't')"),
    ("duplicate-visit",
     lambda: regimen(visits=(Visit("v", StudyDayAnchor(1)), Visit("v", StudyDayAnchor(8)))),
     "visits: duplicate visit id (got 'v')"),
    ("arm-unknown-period", lambda: regimen(arms=(Arm("x", "X", ("t", "u")),)),
     "arms.x.periods[1]: no period has this id (periods: t) (got 'u')"),
    ("arm-path-out-of-order", lambda: two_periods(arms=(Arm("x", "X", ("t", "run-in")),)),
     "arms.x.periods: the path must follow the order of periods (run-in, t) (got 't, run-in')"),
    ("arm-unknown-day-one", lambda: regimen(arms=(Arm("x", "X", day_one="u"),)),
     "arms.x.day_one: no period has this id (periods: t) (got 'u')"),
    ("arm-day-one-off-path",
     lambda: two_periods(arms=(Arm("x", "X", ("t",), day_one="run-in"),)),
     "arms.x.day_one: this period is not on the arm's path (t) (got 'run-in')"),
    ("unknown-day-one", lambda: regimen(day_one="u"),
     "day_one: no period has this id (periods: t) (got 'u')"),
    ("day-one-off-an-arm-path",
     lambda: two_periods(arms=(Arm("x", "X", ("t",)),), day_one="run-in"),
     "arms.x: day_one period 'run-in' is not on this arm's path (t); give the arm its own "
     "day_one (got 'x')"),
    ("visit-unknown-period", lambda: regimen(visits=(Visit("v", PeriodAnchor("u", "end")),)),
     "visits[0].anchor.period: no period has this id (periods: t) (got 'u')"),
    ("visit-day-outside-period",
     lambda: regimen(visits=(Visit("v", PeriodAnchor("t", day=29)),)),
     "visits[0].anchor.day: day 29 is outside period 't' (1 to 28) (got 29)"),
    ("visit-unknown-arm",
     lambda: regimen(visits=(Visit("v", StudyDayAnchor(1), arms=("z",)),)),
     "visits[0].arms[0]: no arm has this id (arms: x, y) (got 'z')"),
    ("visit-arm-off-period",
     lambda: two_periods(arms=(Arm("x", "X", ("t",)),),
                         visits=(Visit("v", PeriodAnchor("run-in", "end"), arms=("x",)),)),
     "visits[0].arms[0]: this arm does not go through period 'run-in' (got 'x')"),
    ("expect-unknown-arm", lambda: regimen(expect=(Expectation("z", "a"),)),
     "expect[0].arm: no arm has this id (arms: x, y) (got 'z')"),
    ("expect-unknown-drug", lambda: regimen(expect=(Expectation("x", "c"),)),
     "expect[0].drug: no drug has this id (drugs: a, b) (got 'c')"),
    ("expect-drug-never-given", lambda: regimen(expect=(Expectation("x", "b"),)),
     "expect[0].drug: arm 'x' never receives this drug (got 'b')"),
    ("expect-drug-not-on-arm",
     lambda: regimen(course(arms=("y",)), expect=(Expectation("x", "a"),)),
     "expect[0].drug: arm 'x' never receives this drug (got 'a')"),
    ("expect-unknown-period",
     lambda: regimen(expect=(Expectation("x", "a", lengths=(("u", "2 weeks"),)),)),
     "expect[0].lengths.u: no period has this id (got 'u')"),
    ("expect-period-off-path",
     lambda: two_periods(arms=(Arm("x", "X", ("t",)),),
                         expect=(Expectation("x", "a", lengths=(("run-in", "2 weeks"),)),)),
     "expect[0].lengths.run-in: arm 'x' does not go through this period (got 'run-in')"),
    ("expect-length-fixed",
     lambda: regimen(expect=(Expectation("x", "a", lengths=(("t", "5 weeks"),)),)),
     "expect[0].lengths.t: this period has a fixed length of 4 weeks (got '5 weeks')"),
    ("expect-length-outside",
     lambda: regimen(periods=(Period("t", LengthRange(Duration(14), Duration(28)), (course(),)),),
                     expect=(Expectation("x", "a", lengths=(("t", "5 weeks"),)),)),
     "expect[0].lengths.t: must be within 2-4 weeks (14-28 days) (got '5 weeks')"),
    ("expect-length-unreadable",
     lambda: regimen(expect=(Expectation("x", "a", lengths=(("t", "1 month"),)),)),
     "expect[0].lengths.t: 'month' is ambiguous as a length (a month is 28 to 31 days); "
     "write weeks or days, e.g. '12 weeks' or '84 days' (got '1 month')"),
    ("not-on-chain",
     lambda: regimen(course(not_on=("b",)), course(drug="b", not_on=("a",))),
     "periods[0].courses[0].not_on: 'b' has courses with not_on of their own; exclusions do "
     "not chain: give one of the two drugs not_on\n"
     "<Regimen>: periods[0].courses[1].not_on: 'a' has courses with not_on of their own; "
     "exclusions do not chain: give one of the two drugs not_on"),
    ("not-on-with-administration-steps",
     lambda: regimen(course(dose=None, pattern=EveryPattern(Duration(7)), not_on=("b",),
                            steps=(AdministrationStep(MG, 1), AdministrationStep(MG, 3))),
                     course(drug="b")),
     "periods[0].courses[0].not_on: steps by administrations cannot be combined with not_on: "
     "a skipped day would shift the steps; use steps by days or cycles"),
    ("blinded-same-day-lists-differ",
     lambda: regimen(periods=(Period("t", weeks(4), (
         course(arms=("x",), no_same_day=("b",)), course(arms=("y",), placebo=True, dose=None),
         course(drug="b", pattern=DaysPattern((2,)))), blinded=True),)),
     "periods[0].courses[0].no_same_day: in a blinded period every course of a drug has the "
     "same no_same_day list, so that every arm's calendar reads the same\n"
     "<Regimen>: periods[0].courses[1].no_same_day: in a blinded period every course of a drug "
     "has the same no_same_day list, so that every arm's calendar reads the same"),
    ("blinded-placebo-of-no-drug",
     lambda: regimen(periods=(Period("t", weeks(4), (
         course(arms=("x",)), course(drug="b", arms=("y",), placebo=True, dose=None)),
         blinded=True),)),
     "periods[0].courses[1].drug: in a blinded period a placebo course uses the id of the drug "
     "it matches (with placebo: true), so that every arm's calendar reads the same; no active "
     "course gives this drug here (got 'b')"),
]


@pytest.mark.parametrize(("make", "message"),
                         [pytest.param(*case[1:], id=case[0]) for case in REGIMEN_CASES])
def test_a_regimen_refuses_broken_cross_references(make: Callable[[], object],
                                                   message: str) -> None:
    with pytest.raises(InvalidRegimenError) as caught:
        make()
    assert type(caught.value) is InvalidRegimenError
    assert str(caught.value) == "<Regimen>: " + message
    assert all(p.file == "<Regimen>" and p.line is None for p in caught.value.problems)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(InvalidRegimenError) as caught:
        regimen(course(drug="nope"), course(arms=("z",)), day_one="u")
    assert [(p.loc, p.value, p.code) for p in caught.value.problems] == [
        (("day_one",), "u", "unknown-period"),
        (("periods", 0, "courses", 0, "drug"), "nope", "unknown-drug"),
        (("periods", 0, "courses", 1, "arms", 0), "z", "unknown-arm"),
    ]


def test_a_regimen_pickles_with_its_lookups() -> None:
    # Cohorts may send a regimen to worker processes: the lookup index travels with it.
    import pickle

    loaded = regimens.load("mirocals")
    loaded.drug("riluzole")  # the index is built
    copy = pickle.loads(pickle.dumps(loaded))
    assert copy == loaded
    assert copy.drug("riluzole") == loaded.drug("riluzole")
    with pytest.raises(RegimenLookupError):
        copy.arm("nope")


def test_replace_checks_again() -> None:
    loaded = regimens.load("mirocals")
    with pytest.raises(InvalidRegimenError, match=r"^<Regimen>: drugs: duplicate drug id"):
        dataclasses.replace(loaded, drugs=loaded.drugs + loaded.drugs[:1])


# Lookups -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("drug", "no drug has the id 'nope' (drugs: a, b)"),
        ("arm", "no arm has the id 'nope' (arms: x, y)"),
        ("period", "no period has the id 'nope' (periods: t)"),
    ],
)
def test_lookups_raise_the_library_error(kind: str, message: str) -> None:
    r = regimen()
    with pytest.raises(RegimenLookupError) as caught:
        getattr(r, kind)("nope")
    assert not isinstance(caught.value, KeyError)
    assert isinstance(caught.value, LookupError)
    assert (caught.value.kind, caught.value.key) == (kind, "nope")
    assert str(caught.value) == message


def test_lookups_find_each_record() -> None:
    r = two_periods()
    assert r.drug("b") is r.drugs[1]
    assert r.arm("y") is r.arms[1]
    assert r.period("t") is r.periods[1]
    assert r == dataclasses.replace(r)  # the lookup index is not a field


# Checked when laid out: steps by administrations on weekdays -----------------------------


def test_weekday_steps_that_do_not_cover_are_refused_when_laid_out() -> None:
    # How many Mondays fall in the period depends on the start date, so the count
    # can only be checked for a participant: the error names the course's record.
    r = regimen(course(dose=None, pattern=WeekdaysPattern((0,)),
                       steps=(AdministrationStep(MG, 1), AdministrationStep(MG, 2))))
    with pytest.raises(InvalidRegimenError) as caught:
        r.expand("x", "2027-01-04")
    assert str(caught.value) == ("<Course>: (document): the steps cover 3 administrations "
                                 "but the course gives 4")


# A file goes through the same records and keeps its own messages ------------------------


def test_a_model_rule_the_format_does_not_know_is_placed_in_the_file(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Every rule is checked by the format first, with lines; should a rule be added to
    # the model only, its problem still names the file and the nearest line.
    from regimens.model import _regimen

    def extra(r: Regimen, problems: Any) -> None:
        problems.add(("periods", 0, "courses", 0, "drug"), "a rule only the model knows", "il2",
                     code="unknown-drug")

    monkeypatch.setattr(_regimen, "check_regimen", extra)
    text = ("format: regimens/1\nid: x\ntitle: X\ndrugs:\n  il2: {name: IL-2, route: sc}\n"
            "arms:\n  a: {label: A}\nperiods:\n  - id: t\n    length: 1 week\n    courses:\n"
            "      - {drug: il2, dose: 1 MIU, daily: true}\n")
    with pytest.raises(InvalidRegimenError) as caught:
        regimens.loads(text, "r.yaml")
    assert str(caught.value) == ("r.yaml:12: periods[0].courses[0].drug: a rule only the "
                                 "model knows (got 'il2')")
    problem = caught.value.problems[0]
    assert (problem.file, problem.line, problem.loc, problem.code) == (
        "r.yaml", 12, ("periods", 0, "courses", 0, "drug"), "unknown-drug")


# A regimen written in Python is the catalogue entry -------------------------------------


def nct04952155() -> Regimen:
    """NCT04952155 written by hand from the protocol (see its catalogue file): 6 cycles of
    28 days, 1 MIU every other day 7 times from day 1 of each, then 24 weeks of follow-up."""
    loaded = regimens.load("nct04952155")  # the prose only: notes, sources, labels
    miu = Dose(parse_dose_quantity("1 MIU"))
    return Regimen(
        id="nct04952155", title=loaded.title, registry="NCT04952155",
        sources=loaded.sources, notes=loaded.notes,
        drugs=(Drug("il2", "interleukin-2", "subcutaneous", loaded.drugs[0].notes),),
        arms=(Arm("il2", loaded.arms[0].label),),
        periods=(
            Period("treatment", weeks(24), (
                Course("il2", EveryPattern(Duration(2), 7), miu, cycle=Duration(28),
                       cycles=6),), label="administration period"),
            Period("follow-up", weeks(24), label="follow-up"),
        ),
        visits=(Visit("week-0", StudyDayAnchor(1), label="week 0 (baseline)", week=0),
                Visit("week-24", StudyDayAnchor(169), label="week 24 (end of administration)",
                      week=24),
                Visit("week-48", StudyDayAnchor(337), label="week 48 (end of follow-up)",
                      week=48)),
        expect=(Expectation("il2", "il2", administrations=42,
                            total=parse_dose_quantity("42 MIU"), first_day=1, last_day=153),),
    )


def test_a_regimen_built_in_python_expands_like_the_catalogue_entry() -> None:
    built, loaded = nct04952155(), regimens.load("nct04952155")
    assert built == loaded
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours, theirs = built.expand("il2", "2027-01-04"), loaded.expand("il2", "2027-01-04")
    assert ours.administrations == theirs.administrations
    assert ours.visits == theirs.visits
    assert ours.to_csv() == theirs.to_csv()
    # By hand: days 1, 3, ..., 13 of each of 6 cycles of 28 days from Monday 2027-01-04.
    first = date(2027, 1, 4)
    days = [28 * cycle + day for cycle in range(6) for day in range(1, 14, 2)]
    assert [a.date for a in ours.administrations] == [first + timedelta(d - 1) for d in days]
    assert [a.amount for a in ours.administrations] == ["1"] * 42
    assert [v.date for v in ours.visits] == [date(2027, 1, 4), date(2027, 6, 21),
                                              date(2027, 12, 6)]
    assert built.check().ok
