"""A cumulative limit is compared exactly: a plan that adds up to the limit is not above it.

Per-m² (per-kg) totals add up doses divided by a BSA (weight); the quotients rarely end,
and summing them rounded at the 100th digit put a plan exactly at its limit a hair above
it (100 mg over 1.5 m² is 66.66...67 rounded up; six of them made 400.00...02 > 400).
Every path is checked: expand (no record, a record), check (text and JSON) and the batch
API.

Hand-computed: 6 x 100 mg over 1.5 m² = 600 / 1.5 = 400 mg per m² (five: 333.33...);
6 x 40 mg over 60 kg = 240 / 60 = 4 mg per kg (five: 3.33...); 3 x 100 mg over 1.7 m² =
300 / 1.7 = 176.470588... mg per m² (176.47 to two decimals), above 176.47 and below
176.48. Day 1 of cycle n of a 21-day cycle from Monday 2027-01-04 is 21 (n - 1) days
later: cycle 6 on 2027-04-19 (Study Day 106), cycle 3 on 2027-02-15 (Study Day 43).
"""

from __future__ import annotations

import json
import warnings
from datetime import date, timedelta
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import regimens
from regimens import Participant
from regimens.quantities import Amount, cumulative_decimal, cumulative_share, unit
from regimens.record import BodyUsed, CumulativeEntry, cumulative_flags, read_record
from support.records import RECORD_HEADER

DOC = """\
format: regimens/1
id: c
title: C
drugs:
  d: {name: drugd, route: intravenous, max_cumulative: %s}
arms:
  a: {label: A}
periods:
  - id: t
    length: 18 weeks
    courses:
      - {drug: d, dose: %s, cycle: 21 days, cycles: %d, days: [1]}
"""

BSA15 = Participant(bsa="1.5 m2")
BSA17 = Participant(bsa="1.7 m2")
KG60 = Participant(weight="60 kg")


def _warned(limit: str, dose: str, cycles: int, person: Participant,
            record: str | None = None) -> list[str]:
    r = regimens.loads(DOC % (limit, dose, cycles), "c.yaml")
    options = {} if record is None else {"record": read_record(RECORD_HEADER + record,
                                                               name="r.csv")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = r.expand("a", "2027-01-04", participant=person, **options)  # type: ignore[arg-type]
    return [str(w) for w in s.warnings if isinstance(w, regimens.CumulativeDoseWarning)]


def _flag(on: str, cycle: int, after: str, limit: str, before: str, per: str = "m²") -> str:
    return (f"d (drugd): the administration planned on {on} (cycle {cycle}, day 1) would "
            f"bring the cumulative dose to {after} mg per {per}, above max_cumulative "
            f"{limit} mg per {per} ({before} mg per {per} before it); review before "
            "giving it")


# (limit, dose, cycles, participant, expected warnings)
CASES = [
    ("400 mg/m2", "100 mg", 6, BSA15, []),
    ("399.99 mg/m2", "100 mg", 6, BSA15,
     [_flag("2027-04-19", 6, "400", "399.99", "333.33")]),
    ("4 mg/kg", "40 mg", 6, KG60, []),
    ("3.99 mg/kg", "40 mg", 6, KG60, [_flag("2027-04-19", 6, "4", "3.99", "3.33", "kg")]),
    ("176.48 mg/m2", "100 mg", 3, BSA17, []),
    # 300 mg / 1.7 m2 = 176.4705... mg/m2: 176.47 to 2 decimals would read as the limit it is
    # above, so one decimal more, half up: 176.471.
    ("176.47 mg/m2", "100 mg", 3, BSA17,
     [_flag("2027-02-15", 3, "176.471", "176.47", "117.65")]),
    # The same in grams: units are converted before dividing.
    ("0.4 g/m2", "100 mg", 6, BSA15, []),
]


@pytest.mark.parametrize(("limit", "dose", "cycles", "person", "expected"), CASES)
def test_expand_compares_the_total_with_the_limit_exactly(
        limit: str, dose: str, cycles: int, person: Participant, expected: list[str]) -> None:
    assert _warned(limit, dose, cycles, person) == expected


@pytest.mark.parametrize(("limit", "dose", "cycles", "person", "expected"), CASES)
def test_a_record_is_compared_exactly_too(
        limit: str, dose: str, cycles: int, person: Participant, expected: list[str]) -> None:
    # The first dose given as planned: the replay adds up given and planned doses alike.
    given_row = f"2027-01-04,given,d,1,1,{dose},,\n"
    assert _warned(limit, dose, cycles, person, given_row) == expected


# (limit, dose, cycles, participant, passed, total as JSON shows it)
CHECKS = [
    ("400 mg/m2", "100 mg", 6, BSA15, True, "400"),
    ("399.99 mg/m2", "100 mg", 6, BSA15, False, "400"),
    ("4 mg/kg", "40 mg", 6, KG60, True, "4"),
    ("176.48 mg/m2", "100 mg", 3, BSA17, True, "176.47"),
    # 300 / 1.7 = 176.4705...: above 176.47, so shown with the decimal that says so.
    ("176.47 mg/m2", "100 mg", 3, BSA17, False, "176.471"),
]


@pytest.mark.parametrize(("limit", "dose", "cycles", "person", "passed", "total"), CHECKS)
def test_check_compares_the_total_with_the_limit_exactly(
        limit: str, dose: str, cycles: int, person: Participant, passed: bool,
        total: str) -> None:
    r = regimens.loads(DOC % (limit, dose, cycles), "c.yaml")
    report = r.check(participant=person)
    (result,) = report.cumulative
    assert result.passed is passed
    assert report.ok is passed
    (shown,) = json.loads(report.to_json())["cumulative_limits"]
    assert (shown["passed"], shown["total"]) == (passed, total)


def test_check_at_the_limit_says_pass_with_the_exact_total() -> None:
    r = regimens.loads(DOC % ("400 mg/m2", "100 mg", 6), "c.yaml")
    (result,) = r.check(participant=BSA15).cumulative
    assert result.total == Decimal(400)
    assert str(result) == "PASS  a / d: max_cumulative 400 mg per m²: the plan gives 400 mg per m²"


def test_check_just_above_says_where_with_the_rounded_totals() -> None:
    r = regimens.loads(DOC % ("176.47 mg/m2", "100 mg", 3), "c.yaml")
    (result,) = r.check(participant=BSA17).cumulative
    assert result.total is not None
    assert result.total > Decimal("176.47")
    # 300 mg / 1.7 m2 = 176.4705...: to 2 decimals it would read as the limit, so 176.471;
    # 200 / 1.7 = 117.647... -> 117.65.
    assert result.crossing == ("Day 43 (cycle 3, day 1) would bring it to 176.471 mg per m² "
                               "(117.65 mg per m² before it)")


@pytest.mark.parametrize(("bsa", "expected"), [(1.5, ()), (1.7, ())])
def test_the_batch_api_compares_exactly(bsa: float, expected: tuple[str, ...]) -> None:
    pytest.importorskip("numpy")
    from regimens.cohort import expand_cohort

    limit = {1.5: "400 mg/m2", 1.7: "176.48 mg/m2"}[bsa]
    cycles = {1.5: 6, 1.7: 3}[bsa]
    r = regimens.loads(DOC % (limit, "100 mg", cycles), "c.yaml")
    assert expand_cohort(r, "a", ["2027-01-04"], bsas=[bsa]).warnings_of(0) == expected


# The shared arithmetic -------------------------------------------------------------------

@pytest.mark.parametrize(("total", "expected"), [
    (Fraction(400), "400"),
    (Fraction(600) / Fraction(Decimal("1.5")), "400"),
    (Fraction(1, 8), "0.125"),
    # Not ending: rounded up at the 100th significant digit, never down.
    (Fraction(2, 3), "0." + "6" * 99 + "7"),
    (Fraction(1, 3), "0." + "3" * 99 + "4"),
])
def test_cumulative_decimal_is_exact_when_it_ends_and_rounded_up_otherwise(
        total: Fraction, expected: str) -> None:
    with localcontext() as ctx:
        ctx.prec = 3  # the caller's context changes nothing
        assert str(cumulative_decimal(total)) == expected


def test_cumulative_share() -> None:
    assert cumulative_share(Decimal(100), Decimal("1.5")) == Fraction(200, 3)
    assert cumulative_share(Decimal("2.5")) == Fraction(5, 2)


_AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(500), places=2)
_SIZES = st.sampled_from([Decimal(s) for s in ("0.5", "0.75", "1.2", "1.25", "1.5", "1.6",
                                               "1.7", "1.82", "2", "2.4", "3")])


def _ends(value: Fraction) -> Decimal | None:
    """``value`` as a decimal when it ends (its denominator has no prime but 2 and 5)."""
    d = value.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d != 1:
        return None
    with localcontext() as ctx:
        ctx.prec = 500
        return Decimal(value.numerator) / Decimal(value.denominator)


@settings(max_examples=150, deadline=None)
@given(doses=st.lists(st.tuples(_AMOUNTS, _SIZES), min_size=1, max_size=12),
       cut=st.integers(min_value=0, max_value=11), nudge=st.sampled_from([-1, 0, 1]))
def test_above_iff_the_exact_sum_exceeds_the_limit(
        doses: list[tuple[Decimal, Decimal]], cut: int, nudge: int) -> None:
    """The flag falls on the first dose whose exact rational running total exceeds the
    limit. The limit is a prefix's exact total when that ends (else it to 2 decimals),
    nudged by a cent, so limits equal to a total are drawn often."""
    exact = [Fraction(a) / Fraction(s) for a, s in doses]
    prefix = sum(exact[: cut % len(doses) + 1], Fraction(0))
    limit = _ends(prefix)
    if limit is None:
        limit = Decimal(round(prefix * 100)) / 100
    limit += Decimal(nudge) / 100
    if limit <= 0:
        limit = Decimal("0.01")
    r = regimens.loads(DOC % (f"{limit} mg/m2", "100 mg", 1), "c.yaml")
    start = date(2027, 1, 4)
    entries = [CumulativeEntry("d", start + timedelta(days=i), Amount(a, unit("mg")), False,
                               BodyUsed(Participant(bsa=f"{s} m2"), bsa_m2=s), i + 1, 1)
               for i, (a, s) in enumerate(doses)]
    running = Fraction(0)
    expected = None
    for i, share in enumerate(exact):
        running += share
        if running > Fraction(limit):
            expected = i
            break
    flags = cumulative_flags(r, entries)
    assert [f.index for f in flags] == ([] if expected is None else [expected])
    for f in flags:
        assert f.after > limit >= f.before
