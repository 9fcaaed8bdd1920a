"""The engine's fast constructor, Administration._unchecked: the same record as __init__."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, reject, settings

from regimens.engine import Administration, AdministrationStatus, ComputedDose
from regimens.quantities import Amount, Basis, StudyDay, unit
from support.strategies import documents, starts

FIELDS = {
    "study_day": StudyDay(3), "date": date(2027, 1, 6), "time": time(8, 0),
    "at": datetime(2027, 1, 6, 7, 0, tzinfo=UTC), "period": "treatment", "drug": "il2",
    "drug_name": "aldesleukin", "route": "subcutaneous", "course": 1, "cycle": 2,
    "cycle_day": 3, "dose": ComputedDose(Amount(Decimal("1"), unit("MIU")), "1 MIU", "flat",
                                         Basis.FLAT),
    "placebo": False, "step": None, "blinded": True, "note": "with food", "avoid": ("x",),
    "planned_date": date(2027, 1, 5), "calendar_note": "moved from Tue 2027-01-05: site closure",
    "status": AdministrationStatus.GIVEN,
    "planned_dose": ComputedDose(Amount(Decimal("2"), unit("MIU")), "2 MIU", "flat", Basis.FLAT),
    "record_note": "given (line 3)", "revision": 2, "unplanned": False, "plan": None,
    "revising_note": None,
}


def test_parameters_are_the_dataclass_fields_in_order() -> None:
    names = [f.name for f in dataclasses.fields(Administration)]
    parameters = list(inspect.signature(Administration._unchecked).parameters)
    assert parameters == names
    assert not hasattr(Administration, "__post_init__")  # nothing for the fast path to skip


def test_sets_exactly_the_fields_and_equals_the_checked_record() -> None:
    fast = Administration._unchecked(*FIELDS.values())
    slow = Administration(**FIELDS)
    assert vars(fast) == FIELDS
    assert list(vars(fast)) == list(FIELDS)
    assert fast == slow
    assert hash(fast) == hash(slow)
    assert repr(fast) == repr(slow)
    assert pickle.loads(pickle.dumps(fast)) == slow


def test_the_record_stays_frozen() -> None:
    fast = Administration._unchecked(*FIELDS.values())
    try:
        fast.drug = "other"
    except dataclasses.FrozenInstanceError:
        return
    raise AssertionError("an unchecked administration could be changed")


def test_two_expansions_with_a_rounding_warning_are_equal() -> None:
    # A RoundingWarning is an exception, equal only to itself: the dose that carries one
    # must still compare equal across expansions (found by a property test).
    import warnings

    import regimens
    from support import load

    regimen = load("""\
        periods:
          - id: p
            length: 1 day
            courses:
              - {drug: il2, days: [1], dose: 1 mg/kg, round: 20 mg}
        """)
    participant = regimens.Participant(weight="70 kg")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first = regimen.expand("a", "2000-01-01", participant)
        second = regimen.expand("a", "2000-01-01", participant)
    assert first.administrations[0].dose.warnings  # 70 mg rounds to 80 mg: more than 10%
    assert first.administrations == second.administrations



PARTICIPANT_ALL = {"weight": "70 kg", "height": "175 cm", "sex": "female",
                   "creatinine": "1 mg/dL"}


def _shipped_schedules() -> list[tuple[str, str, Any]]:
    """Every arm of the catalogue, the examples and docs/format.md, expanded for one
    participant whose measurements dose every kind of course (arms that cannot be dosed
    for them, tested elsewhere, are left out); with a birth date for the blocks, so that
    doses chosen by the age on each date take the per-row path."""
    import warnings

    import regimens
    from support import EXAMPLES, format_md_blocks

    shipped = [(f"catalog:{c}", regimens.load(c)) for c in regimens.catalog_ids()]
    shipped += [(f"examples/{p.name}", regimens.load(p)) for p in sorted(EXAMPLES.glob("*.yaml"))]
    for line, block in format_md_blocks():
        if not block.lstrip("\n").startswith("# invalid"):
            shipped.append((f"format.md:{line}", regimens.loads(block, f"format.md:{line}")))
    people = [regimens.Participant(age=60, **PARTICIPANT_ALL),
              regimens.Participant(birth_date="1966-03-01", **PARTICIPANT_ALL)]
    out = []
    for name, regimen in shipped:
        for arm in regimen.arms:
            for participant in people:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    try:
                        schedule = regimen.expand(arm.id, "2027-01-04", participant,
                                                  tz="Europe/Paris")
                    except regimens.RegimenError:
                        continue
                out.append((name, arm.id, schedule))
    return out


def _assert_checked_records(schedule: Any, where: object) -> None:
    names = [f.name for f in dataclasses.fields(Administration)]
    for row in schedule.administrations:
        assert list(vars(row)) == names, where
        slow = Administration(**vars(row))
        assert row == slow, where
        assert repr(row) == repr(slow), where
        assert hash(row) == hash(slow), where


def test_expanded_rows_are_the_checked_records() -> None:
    # expand() builds each row by copying a per-course dict of the shared fields (the fast
    # path, engine/_layout.py): every row must be the record Administration(...) makes from
    # the same fields, with exactly the dataclass fields, in order.
    schedules = _shipped_schedules()
    assert len(schedules) > 60
    assert sum(bool(s.administrations) for _, _, s in schedules) > 60
    for name, arm, schedule in schedules:
        _assert_checked_records(schedule, (name, arm))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(documents(), starts)
def test_generated_rows_are_the_checked_records(doc: dict[str, Any], start: date) -> None:
    import json
    import warnings

    import regimens

    try:
        regimen = regimens.loads(json.dumps(doc))
    except regimens.InvalidRegimenError:
        reject()
    for arm in regimen.arms:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                schedule = regimen.expand(arm.id, start, regimens.Participant(
                    age=60, **PARTICIPANT_ALL))
            except regimens.RegimenError:
                reject()
        _assert_checked_records(schedule, arm.id)


def test_rows_of_one_course_do_not_share_their_fields() -> None:
    from support import expand

    schedule = expand("""\
        periods:
          - id: p
            length: 3 days
            courses:
              - {drug: il2, daily: true, dose: 1 MIU, times: ["08:00", "20:00"]}
        """)
    rows = schedule.administrations
    assert len(rows) == 6
    assert len({id(vars(a)) for a in rows}) == 6
    assert [(a.study_day.value, a.time.hour if a.time else None) for a in rows] == [
        (1, 8), (1, 20), (2, 8), (2, 20), (3, 8), (3, 20)]
    assert [a.date for a in rows] == [date(2027, 1, 4)] * 2 + [date(2027, 1, 5)] * 2 + [
        date(2027, 1, 6)] * 2
