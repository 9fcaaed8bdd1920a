"""The figures a record's notes, warnings and summary show: the same whatever the caller's
decimal context, rounded half up, and never shown equal to the threshold they are above or
below (issue 13 review: R3, R4, the half-even percentages). Expected values by hand."""

from __future__ import annotations

import decimal
import warnings
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import regimens
from regimens import Participant, read_record
from regimens.cli import main
from regimens.errors import QuantityTypeError
from regimens.quantities import Amount, Basis, half_up, shown_beside, unit
from regimens.record import (
    BodyUsed,
    EventKind,
    Outcome,
    RecordRow,
    implausible_measurements,
    intensity_band,
    one_decimal,
    relative_dose_intensity,
    summarize,
)
from support.records import BLEO, RECORD_HEADER

ALL_SIGNALS = [decimal.Clamped, decimal.DivisionByZero, decimal.Inexact, decimal.Overflow,
               decimal.Rounded, decimal.Subnormal, decimal.Underflow, decimal.InvalidOperation,
               decimal.FloatOperation]

#: Contexts a caller might leave behind (tests/test_decimal_context.py has the same idea
#: for plain schedules): 2 digits and rounding toward minus infinity; rounding half up (a
#: half-even rounding inside would show through); 3 digits with every signal trapped (any
#: arithmetic done in the caller's context raises).
HOSTILE = {
    "prec 2, ROUND_FLOOR": decimal.Context(prec=2, rounding=decimal.ROUND_FLOOR, traps=[]),
    "ROUND_HALF_UP": decimal.Context(rounding=decimal.ROUND_HALF_UP),
    "ROUND_HALF_DOWN": decimal.Context(rounding=decimal.ROUND_HALF_DOWN),
    "prec 3, every trap": decimal.Context(prec=3, rounding=decimal.ROUND_DOWN,
                                          traps=ALL_SIGNALS),
}

#: Gemcitabine 1,000 mg/m2 on days 1, 8, 15 of three 28-day cycles, redose 10%.
GEM = """\
format: regimens/1
id: gem
title: Gemcitabine
redose: {weight_change: 10%}
drugs:
  gem: {name: gemcitabine, route: intravenous}
arms:
  gem: {label: gemcitabine}
periods:
  - id: treatment
    length: 12 weeks
    courses:
      - {id: gem, drug: gem, dose: 1000 mg/m2, round: 10 mg, cycle: 28 days, cycles: 3,
         days: [1, 8, 15]}
"""

#: Doxorubicin 100 mg/m2 on day 1 of four 21-day cycles, max_cumulative 400 mg/m2.
M2LIM = """\
format: regimens/1
id: m2lim
title: Per m2 limit
drugs:
  dox: {name: doxorubicin, route: intravenous, max_cumulative: 400 mg/m2,
        levels: {-1: 83.33%}}
arms:
  x: {label: X}
periods:
  - id: t
    length: 12 weeks
    courses:
      - {drug: dox, dose: 100 mg/m2, cycle: 21 days, cycles: 4, days: [1]}
"""


def _expand(doc: str, arm: str, person: Participant, rows: str) -> regimens.Schedule:
    regimen = regimens.loads(doc, "r.yaml")
    record = read_record(RECORD_HEADER + rows, name="r.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return regimen.expand(arm, "2027-01-04", person, record=record)


def _gem(rows: str, weight: str = "80 kg") -> regimens.Schedule:
    return _expand(GEM, "gem", Participant(weight=weight, height="170 cm"), rows)


def _notes(s: regimens.Schedule) -> str:
    return "\n".join(a.record_note or "" for a in s.administrations)


def _warnings(s: regimens.Schedule) -> str:
    return "\n".join(str(w) for w in s.warnings)


# -- Half up, by hand -------------------------------------------------------------------

def test_a_weight_change_note_rounds_half_up() -> None:
    # 80 kg -> 75.5 kg: 4.5 / 80 = 5.625% exactly, under the 10% rule: half up 5.63%
    # (half even said 5.62%).
    notes = _notes(_gem("2027-01-04,given,gem,,,,,\n2027-01-10,measure,,,,75.5 kg,,\n"))
    assert "is within 10% of 80 kg the dose was computed from (5.63% change)" in notes
    assert "5.62%" not in notes


def test_a_change_just_under_the_rule_is_not_shown_as_the_rule() -> None:
    # 80 kg -> 72.0032 kg: 7.9968 / 80 = 9.996%, under 10%: 2 decimals (10.00%) would read
    # as the threshold it is below, so 3: 9.996%.
    notes = _notes(_gem("2027-01-10,measure,,,,72.0032 kg,,\n"))
    assert "is within 10% of 80 kg the dose was computed from (9.996% change)" in notes


def test_an_implausible_change_is_not_shown_as_the_threshold() -> None:
    # 100 kg -> 79.996 kg: 20.004 / 100 = 20.004% below, more than the 20% taken as
    # plausible; 2 decimals (20.00%) would read as the threshold.
    rows = read_record(RECORD_HEADER + "2027-01-10,measure,,,,79.996 kg,,\n",
                       name="r.csv").rows
    found = implausible_measurements(Participant(weight="100 kg"), rows)
    assert len(found) == 1
    assert "20.004% below the previous weight" in found[0].text
    # 100 kg -> 79.995 kg: 20.005% exactly, half up to 2 decimals: 20.01%.
    rows = read_record(RECORD_HEADER + "2027-01-10,measure,,,,79.995 kg,,\n",
                       name="r.csv").rows
    found = implausible_measurements(Participant(weight="100 kg"), rows)
    assert "20.01% below the previous weight" in found[0].text


@pytest.mark.parametrize(("value", "bound", "shown"), [
    ("5.625", "10", "5.63"),      # half up, not half even
    ("5.635", "10", "5.64"),
    ("400.004", "400", "400.004"),  # 400.00 would read as the bound
    ("399.996", "400", "399.996"),
    ("399.9951", "400", "399.995"),  # 400.00 at 2; 399.995 at 3
    ("400", "400", "400"),          # equal to it: shown as it
    ("176.4705882352941176470588235", "176.47", "176.471"),
    ("300", "400", "300"),
])
def test_shown_beside_by_hand(value: str, bound: str, shown: str) -> None:
    assert shown_beside(decimal.Decimal(value), decimal.Decimal(bound)) == \
        decimal.Decimal(shown)


@settings(max_examples=200, deadline=None)
@given(value=st.decimals(min_value=0, max_value=10_000, places=6, allow_nan=False),
       bound=st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False))
def test_a_figure_shown_beside_its_bound_compares_as_the_exact_one(
        value: decimal.Decimal, bound: decimal.Decimal) -> None:
    shown = shown_beside(value, bound)
    # The shown figure is on the same side of the bound as the exact one, never equal to it
    # unless the exact one is; and it is the exact value rounded half up to some decimals.
    assert (shown > bound, shown == bound, shown < bound) == (value > bound, value == bound,
                                                             value < bound)
    assert any(shown == half_up(value, places) for places in range(2, 7))


# -- Cumulative limits -------------------------------------------------------------------

def test_a_total_just_above_the_limit_is_shown_above_it() -> None:
    # BSA 1.5 m2; 150 + 150 + 150 + 150.006 mg = 600.006 mg / 1.5 = 400.004 mg/m2 > 400
    # (300 mg/m2 before it: 450 / 1.5).
    s = _expand(M2LIM, "x", Participant(bsa="1.5 m2"),
                "2027-01-04,given,dox,,,150 mg,,\n2027-01-25,given,dox,,,150 mg,,\n"
                "2027-02-15,given,dox,,,150 mg,,\n2027-03-08,given,dox,,,150.006 mg,,\n")
    assert ("the administration given on 2027-03-08 (cycle 4, day 1) brought the cumulative "
            "dose to 400.004 mg per m², above max_cumulative 400 mg per m² (300 mg per m² "
            "before it)") in _warnings(s)
    assert "to 400 mg per m²" not in _warnings(s)


def _bleo(weeks: int) -> str:
    return BLEO.replace("length: 14 weeks", f"length: {weeks} weeks")


def test_a_dose_given_past_the_limit_is_flagged_when_the_record_lags_a_row() -> None:
    # Bleomycin 30 USP units weekly x 15 from Mon 2027-01-04, limit 400: every dose given
    # but 2027-04-05 (week 14, no row yet). Given in order: 13 x 30 = 390 by 2027-03-29,
    # then 2027-04-12 (week 15) brings the doses given to 420 > 400: a deviation. The one
    # still planned on 2027-04-05 would bring them to 450 (420 before it).
    days = [f"2027-{m:02d}-{d:02d}" for m, d in (
        (1, 4), (1, 11), (1, 18), (1, 25), (2, 1), (2, 8), (2, 15), (2, 22), (3, 1), (3, 8),
        (3, 15), (3, 22), (3, 29), (4, 12))]
    s = _expand(_bleo(15), "x", Participant(), "".join(f"{d},given,bleo,,,,,\n" for d in days))
    said = [str(w) for w in s.warnings if isinstance(w, regimens.CumulativeDoseWarning)]
    assert ("bleo (bleomycin): the administration given on 2027-04-12 brought the cumulative "
            "dose to 420 USP units, above max_cumulative 400 USP units (390 USP units before "
            "it)") in said
    assert ("bleo (bleomycin): the administration planned on 2027-04-05 would bring the "
            "cumulative dose to 450 USP units, above max_cumulative 400 USP units (420 USP "
            "units before it); review before giving it") in said
    assert len(said) == 2
    assert s.replayed is not None
    summary = s.replayed.summary
    assert any("given on 2027-04-12 brought" in d for d in summary.deviations)


def test_every_dose_given_past_the_limit_is_flagged_after_a_planned_one() -> None:
    # 390 given on 2027-01-04 (an overdose), 2027-01-11 still planned, 2027-01-18 given:
    # the doses given reach 420 > 400 on 2027-01-18 (390 before it); each of the 12 doses
    # still planned is past the limit already, the first would bring 420 to 450.
    s = _expand(_bleo(14), "x", Participant(),
                "2027-01-04,given,bleo,,,390 USP units,,\n2027-01-18,given,bleo,,,,,\n")
    said = [str(w) for w in s.warnings if isinstance(w, regimens.CumulativeDoseWarning)]
    assert ("bleo (bleomycin): the administration given on 2027-01-18 brought the cumulative "
            "dose to 420 USP units, above max_cumulative 400 USP units (390 USP units before "
            "it)") in said
    planned = [w for w in said if "planned on" in w]
    assert len(planned) == 12
    assert planned[0].startswith("bleo (bleomycin): the administration planned on 2027-01-11 "
                                 "would bring the cumulative dose to 450 USP units")
    assert "(750 USP units before it)" in planned[-1]  # 420 + 11 x 30


# -- The caller's decimal context ---------------------------------------------------------

STAMP = datetime(2027, 1, 1, 9, tzinfo=UTC)


def _outputs(s: regimens.Schedule) -> list[str]:
    # The table, JSON and CSV carry the record's summary and notes, the calendar and ICS
    # the notes and derivations.
    return [s.to_table(), s.to_json(), s.to_csv(), s.to_calendar(),
            s.to_ics(stamp=STAMP).decode("utf-8"), _warnings(s)]


SCENARIOS: dict[str, Callable[[], regimens.Schedule]] = {
    "weight-change note": lambda: _gem("2027-01-04,given,gem,,,,,\n"
                                       "2027-01-10,measure,,,,75.5 kg,,\n"),
    "weight just under the rule": lambda: _gem("2027-01-10,measure,,,,72.0032 kg,,\n"),
    "implausible weight, recomputed": lambda: _gem("2027-01-04,given,gem,,,,,\n"
                                                   "2027-01-10,measure,,,,63.9 kg,,\n"),
    "cumulative just above": lambda: _expand(
        M2LIM, "x", Participant(bsa="1.5 m2"),
        "2027-01-04,given,dox,,,150 mg,,\n2027-01-25,given,dox,,,150 mg,,\n"
        "2027-02-15,given,dox,,,150 mg,,\n2027-03-08,given,dox,,,150.006 mg,,\n"),
    "reduction by percentage": lambda: _expand(
        M2LIM, "x", Participant(bsa="1.73 m2"),
        "2027-01-04,given,dox,,,,,\n2027-01-20,reduce,dox,,,,83.33%,toxicity\n"
        "2027-01-25,given,dox,,,140 mg,,\n"),
    "reduction to a percentage level": lambda: _expand(
        M2LIM, "x", Participant(weight="70.3 kg", height="171 cm"),
        "2027-01-04,given,dox,,,,,\n2027-01-20,reduce,dox,,,,-1,toxicity\n"),
}


@pytest.mark.parametrize("context", list(HOSTILE))
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_outputs_do_not_depend_on_the_callers_context(scenario: str, context: str) -> None:
    with decimal.localcontext(decimal.Context()):
        default = _outputs(SCENARIOS[scenario]())
    hostile = HOSTILE[context].copy()
    with decimal.localcontext(hostile):
        got = _outputs(SCENARIOS[scenario]())
        # Nothing was computed in the caller's context (every signal traps in one of them).
        assert not any(hostile.flags.values())
    assert got == default


# -- Floats given to record/'s public API (R6) -------------------------------------------

ONE_DOSE = """\
format: regimens/1
id: r
title: R
drugs:
  d: {name: drugd, route: intravenous}
arms:
  a: {label: A}
periods:
  - id: t
    length: 21 days
    courses:
      - {drug: d, dose: 100 mg/m2, cycle: 21 days, cycles: 1, days: [1]}
"""


def _outcome(size: object) -> Outcome:
    mg = unit("mg")
    return Outcome("d", "t", 0, 1, "given", date(2027, 1, 4), date(2027, 1, 4),
                   Amount(Decimal(100), mg), Amount(Decimal("93.445"), mg), line=2,
                   basis=Basis.PER_M2, planned_size=Decimal(1),
                   size=size)  # type: ignore[arg-type]


@pytest.mark.parametrize("size", [Decimal("1.1"), 1.1], ids=["Decimal", "float"])
def test_a_float_body_size_is_read_as_written(size: object) -> None:
    # 93.445 mg / 1.1 m2 = 84.95 mg/m2 against 100 mg / 1 m2 on the same day: 84.95%
    # exactly, half up 85.0% (>= 85%). The binary 1.1 (1.100000000000000088...) gave 84.9%.
    outcome = _outcome(size)
    assert outcome.size == Decimal("1.1")
    regimen = regimens.loads(ONE_DOSE, "r.yaml")
    record = read_record(RECORD_HEADER + "2027-01-04,given,d,,,,,\n", name="r.csv")
    (drug,) = summarize(regimen, record, [outcome]).drugs
    assert drug.rdi_basis == "per_m2"
    assert drug.intensity is not None
    assert (drug.intensity.exact, drug.intensity.shown, drug.intensity.band) == (
        Fraction(8495, 100), Decimal("85.0"), ">= 85%")


@pytest.mark.parametrize("size", ["1.1", True, [1]], ids=["text", "bool", "list"])
def test_a_body_size_that_is_not_a_number_is_refused(size: object) -> None:
    with pytest.raises(QuantityTypeError) as caught:
        _outcome(size)
    assert "size must be a number" in str(caught.value)


def test_relative_dose_intensity_reads_floats_as_written() -> None:
    # 0.8495 given against 1 planned on the same day, one 21-day cycle: 84.95% exactly
    # (the binary 0.8495 is 0.84950000000000003286...).
    day = date(2027, 1, 4)
    rdi = relative_dose_intensity([(day, 0.8495)], [(day, 1)], 21)
    assert rdi.exact == Fraction(8495, 100)
    assert rdi.percent == Decimal("84.95")
    assert (rdi.shown, rdi.band) == (Decimal("85.0"), ">= 85%")
    rdi = relative_dose_intensity([(day, 2)], [(day, 4)], 21, totals=(0.1, 0.3))
    assert rdi.ratio_exact == Fraction(100, 3)  # 0.1 / 0.3 as written, in percent: 100/3
    with pytest.raises(QuantityTypeError):
        relative_dose_intensity([(day, "0.8495")], [(day, 1)], 21)  # type: ignore[list-item]


@pytest.mark.parametrize(("call", "expected"), [
    (lambda: one_decimal(84.95), Decimal("85.0")),     # binary 84.9500000000000028...
    (lambda: one_decimal(0.05), Decimal("0.1")),       # binary 0.05000000000000000277
    (lambda: one_decimal(64.95), Decimal("65.0")),     # binary 64.9500000000000028...
    (lambda: intensity_band(84.95), "65-85%"),          # 84.95 < 85, as written
    (lambda: intensity_band(85.0), ">= 85%"),
    (lambda: intensity_band(100), ">= 85%"),
    (lambda: BodyUsed(Participant(), bsa_m2=1.1).bsa_m2, Decimal("1.1")),  # type: ignore[arg-type]
    (lambda: RecordRow("r.csv", 2, date(2027, 1, 4), EventKind.REDUCE, drug="d",
                       percent=82.5).percent, Decimal("82.5")),  # type: ignore[arg-type]
    (lambda: RecordRow("r.csv", 2, date(2027, 1, 4), EventKind.REDUCE, drug="d",
                       percent=80).percent, Decimal(80)),  # type: ignore[arg-type]
])
def test_record_values_read_floats_as_written(call: Callable[[], object],
                                              expected: object) -> None:
    got = call()
    assert got == expected
    assert type(got) is type(expected)


# -- A level and a percentage that agree to the decimals written (A6) --------------------

EPI = """\
format: regimens/1
id: epi
title: Epirubicin
drugs:
  epi: {name: epirubicin, route: intravenous, levels: {-1: 75 mg/m2, -2: 60 mg/m2}}
arms:
  a: {label: A}
periods:
  - id: t
    length: 12 weeks
    courses:
      - {drug: epi, dose: 90 mg/m2, cycle: 21 days, cycles: 4, days: [1]}
"""


def _epi(level: str) -> regimens.Schedule:
    return _expand(EPI, "a", Participant(bsa="2 m2"),
                   f"2027-01-20,reduce,epi,,,,{level},toxicity\n")


# Level -1 is 75 of 90 mg/m2: 83.333...% of the level-0 dose; -2 is 60 / 90 = 66.666...%.
@pytest.mark.parametrize("level", ["-1 (83.33%)", "-1 (83.3%)", "-1 (83%)",
                                   "-1 (83.33333333333333333333333333%)", "-2 (66.67%)",
                                   "-2 (66.7%)", "-2 (67%)"])
def test_a_percentage_agrees_with_its_level_to_the_decimals_written(level: str) -> None:
    s = _epi(level)
    # Dosed at the level, never at the percentage written: 75 mg/m2 x 2 m2 = 150 mg (not
    # 83.33% of 180 mg = 149.994 mg); -2: 60 x 2 = 120 mg.
    amounts = [a.dose.amount for a in s.administrations]
    expected = "150" if level.startswith("-1") else "120"
    assert [str(x.magnitude) for x in amounts if x is not None] == ["180"] + [expected] * 3


@pytest.mark.parametrize(("level", "message"), [
    ("-1 (83.34%)", "dose level -1 of epi is about 83.33% of the level-0 dose, not 83.34%: "
     "when both are given they must agree to the decimals written (83.33%, 83.3% or 83%) "
     "(got '-1 (83.34%)')"),
    ("-1 (83.330%)", "dose level -1 of epi is about 83.33% of the level-0 dose, not "
     "83.330%: when both are given they must agree to the decimals written (83.33%, 83.3% "
     "or 83%) (got '-1 (83.330%)')"),
    ("-1 (70%)", "dose level -1 of epi is about 83.33% of the level-0 dose, not 70%: when "
     "both are given they must agree to the decimals written (83.33%, 83.3% or 83%) (got "
     "'-1 (70%)')"),
    # 66.666...% half up: 66.67, 66.7, 67.
    ("-2 (66.66%)", "dose level -2 of epi is about 66.67% of the level-0 dose, not 66.66%: "
     "when both are given they must agree to the decimals written (66.67%, 66.7% or 67%) "
     "(got '-2 (66.66%)')"),
])
def test_a_percentage_that_does_not_agree_is_refused_in_two_decimals(
        level: str, message: str) -> None:
    with pytest.raises(regimens.InvalidRegimenError) as caught:
        _epi(level)
    assert str(caught.value) == f"r.csv:2: level: {message}"


# -- An error a record row causes names the record's file and line (A7) ------------------

CARBO = """\
format: regimens/1
id: carbo
title: Carboplatin
drugs:
  carbo: {name: carboplatin, route: intravenous}
arms:
  a: {label: A}
periods:
  - id: t
    length: 12 weeks
    courses:
      - {drug: carbo, dose: AUC 5, cycle: 21 days, cycles: 4, days: [1]}
"""

CREATININE_ERROR = (
    "creat.csv:2: amount: the serum creatinine measured here is used from 2027-01-20 on, "
    "and the dose of carbo on 2027-01-25 (carbo.yaml:12) cannot be computed from it: AUC "
    "dosing needs a GFR or a serum creatinine with age and sex; give the participant's age "
    "and sex, or record a GFR (a measure row in mL/min) (got '1.5 mg/dL')")


def test_a_creatinine_that_replaces_the_gfr_given_is_refused_at_its_row(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # --gfr 75 mL/min at enrolment; line 2 measures a creatinine on 2027-01-20, which
    # replaces the GFR from then on; cycle 2 day 1 (2027-01-04 + 21 = 2027-01-25) needs a
    # clearance and there is no age or sex for Cockcroft-Gault.
    regimen = tmp_path / "carbo.yaml"
    regimen.write_text(CARBO, encoding="utf-8")
    record = tmp_path / "creat.csv"
    record.write_text(RECORD_HEADER + "2027-01-20,measure,,,,1.5 mg/dL,,\n", encoding="utf-8")
    with pytest.raises(regimens.InvalidRegimenError) as caught:
        regimens.loads(CARBO, "carbo.yaml").expand(
            "a", "2027-01-04", Participant(weight="80 kg", gfr="75 mL/min"),
            record=regimens.read_record(record.read_text(encoding="utf-8"), name="creat.csv"))
    assert str(caught.value) == CREATININE_ERROR
    assert caught.value.problems[0].code == "measurement-leaves-dose"
    code = main(["expand", str(regimen), "--arm", "a", "--start", "2027-01-04", "--weight",
                 "80kg", "--gfr", "75mL/min", "--record", str(record)])
    err = capsys.readouterr().err
    assert code == 2
    assert "--gfr" not in err
    assert err.strip() == CREATININE_ERROR.replace(
        "creat.csv", str(record)).replace("carbo.yaml", str(regimen))
    # With the age and sex it is the clearance's: no error.
    regimens.load(regimen).expand(
        "a", "2027-01-04", Participant(weight="80 kg", gfr="75 mL/min", age="60",
                                       sex="female"),
        record=regimens.read_record(record.read_text(encoding="utf-8"), name="creat.csv"))
