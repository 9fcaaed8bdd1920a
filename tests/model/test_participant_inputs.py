"""The participant inputs of AUC dosing and weight bases: age, birth date, sex, GFR, creatinine."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from regimens import Participant, ParticipantError, Sex


@pytest.mark.parametrize(("age", "years"), [
    (64, D(64)), ("64", D(64)), ("64 years", D(64)), ("1 year", D(1)), ("18 months", D("1.5")),
    ("0", D(0)), ("120", D(120))])
def test_age(age: object, years: D) -> None:
    assert Participant(age=age).age_years == years  # type: ignore[arg-type]


@pytest.mark.parametrize("age", ["121", "-1", "sixty", True, "64 yrs", "64 weeks"])
def test_age_refused(age: object) -> None:
    with pytest.raises(ParticipantError) as caught:
        Participant(age=age)  # type: ignore[arg-type]
    assert caught.value.field == "age"


@pytest.mark.parametrize(("born", "on", "age"), [
    ("1962-05-01", date(2027, 4, 30), 64),  # the day before the birthday
    ("1962-05-01", date(2027, 5, 1), 65),  # on it
    ("1964-02-29", date(2027, 2, 28), 62),  # a 29 February birthday in a common year...
    ("1964-02-29", date(2027, 3, 1), 63),  # ...is completed on 1 March
    ("1964-02-29", date(2028, 2, 29), 64),
    (date(2000, 1, 1), date(2000, 1, 1), 0),
])
def test_age_on_a_date(born: str | date, on: date, age: int) -> None:
    assert Participant(birth_date=born).age_on(on) == age


def test_age_given_is_the_age_on_every_date() -> None:
    assert Participant(age="64").age_on(date(2030, 1, 1)) == 64
    assert Participant().age_on(date(2030, 1, 1)) is None


def test_age_and_birth_date_are_not_both_given() -> None:
    with pytest.raises(ParticipantError, match="give an age or a birth date, not both"):
        Participant(age="64", birth_date="1962-05-01")


def test_birth_date_is_a_date_not_a_datetime() -> None:
    from datetime import datetime

    with pytest.raises(ParticipantError):
        Participant(birth_date=datetime(1962, 5, 1))  # type: ignore[arg-type]


@pytest.mark.parametrize(("sex", "value"), [("female", Sex.FEMALE), ("Male", Sex.MALE),
                                            (" male ", Sex.MALE), (Sex.FEMALE, Sex.FEMALE)])
def test_sex(sex: object, value: Sex) -> None:
    assert Participant(sex=sex).sex_value is value  # type: ignore[arg-type]


@pytest.mark.parametrize(("gfr", "ok"), [("1 mL/min", True), ("250 mL/min", True),
                                         ("0.9 mL/min", False), ("251 mL/min", False)])
def test_gfr_plausible_range_bounds_included(gfr: str, ok: bool) -> None:
    if ok:
        assert Participant(gfr=gfr).gfr_ml_min == D(gfr.split()[0])
    else:
        with pytest.raises(ParticipantError, match="is not a plausible GFR"):
            Participant(gfr=gfr)


@pytest.mark.parametrize(("creatinine", "ok"), [
    ("0.1 mg/dL", True), ("20 mg/dL", True), ("0.09 mg/dL", False), ("20.1 mg/dL", False),
    # 0.1 and 20 mg/dL in umol/L: 8.84 and 1,768
    ("8.84 umol/L", True), ("1768 µmol/L", True), ("8.83 umol/L", False),
    ("1769 umol/L", False)])
def test_creatinine_plausible_range_bounds_included(creatinine: str, ok: bool) -> None:
    if ok:
        Participant(creatinine=creatinine)
    else:
        with pytest.raises(ParticipantError, match="is not a plausible serum creatinine"):
            Participant(creatinine=creatinine)


def test_creatinine_is_kept_as_given() -> None:
    p = Participant(creatinine="97 umol/L")
    assert (p.creatinine_value, p.creatinine_factor) == (D(97), D("88.4"))


def test_new_inputs_do_not_change_equality_of_old_participants() -> None:
    assert Participant(weight="70 kg") == Participant("70 kg")
    assert Participant(weight="70 kg", age="64") != Participant(weight="70 kg")
