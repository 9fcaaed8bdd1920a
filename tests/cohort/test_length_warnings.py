"""The batch API says a length assumed as ``expand`` does, for each participant with their
own dates (cold try 4, C3): a group's warnings are never shared across starts.

By hand: FIRST's run-in (1-3 weeks, Study Day 1 on its first day) lasts 7 days at the
shortest, so a participant starting on 2027-03-01 has treatment from 2027-03-08; PLACEBO's
run-in of daily placebo (2-4 weeks) before Study Day 1 starts 14 days before it.
"""

from __future__ import annotations

import warnings
from datetime import date

import pytest

import regimens

np = pytest.importorskip("numpy")

FIRST = """\
format: regimens/1
id: first
title: First
drugs:
  a: {name: tacrolimus, route: oral}
arms:
  x: {label: X}
periods:
  - {id: run-in, length: 1-3 weeks}
  - id: treatment
    length: 2 weeks
    courses:
      - {drug: a, dose: 2 mg, daily: true}
"""

PLACEBO = """\
format: regimens/1
id: placebo
title: Placebo
day_one: treatment
drugs:
  a: {name: study drug, route: oral}
arms:
  x: {label: X}
periods:
  - id: run-in
    length: 2-4 weeks
    courses:
      - {drug: a, placebo: true, daily: true}
  - id: treatment
    length: 2 weeks
    courses:
      - {drug: a, dose: 10 mg, daily: true}
"""

GIVE = "give its length (--length run-in=LENGTH, or lengths={'run-in': LENGTH})"


@pytest.mark.parametrize(("text", "lengths", "first"), [
    (FIRST, None,
     "--start 2027-03-01: the schedule is placed with period run-in lasting 7 days, the "
     "shortest of its length 1-3 weeks, as no length was given for it; every date after it "
     f"(from 2027-03-08 on) depends on it: {GIVE}"),
    (FIRST.replace("drugs:", "day_one: treatment\ndrugs:", 1), None, None),
    (PLACEBO, None,
     "--start 2027-03-01: the schedule is placed with period run-in lasting 14 days, the "
     "shortest of its length 2-4 weeks, as no length was given for it; every date before "
     f"2027-03-01 depends on it: {GIVE}"),
    (PLACEBO, {"run-in": "3 weeks"}, None),
])
def test_each_participant_is_told_with_their_dates(text: str, lengths: dict[str, str] | None,
                                                   first: str | None) -> None:
    from regimens.cohort import expand_cohort

    regimen = regimens.loads(text, "assumed.yaml")
    starts = np.datetime64("2027-03-01") + np.arange(10).astype("timedelta64[D]")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cohort = expand_cohort(regimen, "x", starts, lengths=lengths)
        expected = [[str(w) for w in regimen.expand("x", starts[i].astype(date),
                                                    lengths=lengths).warnings]
                    for i in range(10)]
    assert [list(cohort.warnings_of(i)) for i in range(10)] == expected
    assert (expected[0][:1] or [None])[0] == first
    if first is not None:  # another start, its own dates
        assert expected[7][0] == first.replace("2027-03-08", "2027-03-15").replace(
            "2027-03-01", "2027-03-08")


def test_participants_sharing_a_body_size_keep_their_own_dates() -> None:
    # 30 kg and 200 cm: a body-mass index of 7.5 (30 / 2.0**2), warned for each; the
    # participants of one group and size share that warning, never another's dates.
    from regimens.cohort import expand_cohort

    regimen = regimens.loads(FIRST.replace("dose: 2 mg", "dose: 0.03 mg/kg"), "first.yaml")
    starts = np.datetime64("2027-03-01") + np.arange(6).astype("timedelta64[D]")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cohort = expand_cohort(regimen, "x", starts, weights=np.full(6, 30.0),
                               heights=np.full(6, 200.0))
    bmi = ("weight and height give a body-mass index of 7.5 kg/m², outside 10 to 80; check both "
           "measurements and their units")
    assert list(cohort.warnings_of(3)) == [
        "--start 2027-03-04: the schedule is placed with period run-in lasting 7 days, the "
        "shortest of its length 1-3 weeks, as no length was given for it; every date after "
        f"it (from 2027-03-11 on) depends on it: {GIVE}", bmi]
