"""The engine's fast constructor, Administration._unchecked: the same record as __init__."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from datetime import UTC, date, datetime, time
from decimal import Decimal

from regimens.engine import Administration, ComputedDose
from regimens.quantities import Amount, Basis, StudyDay, unit

FIELDS = {
    "study_day": StudyDay(3), "date": date(2027, 1, 6), "time": time(8, 0),
    "at": datetime(2027, 1, 6, 7, 0, tzinfo=UTC), "period": "treatment", "drug": "il2",
    "drug_name": "aldesleukin", "route": "subcutaneous", "course": 1, "cycle": 2,
    "cycle_day": 3, "dose": ComputedDose(Amount(Decimal("1"), unit("MIU")), "1 MIU", "flat",
                                         Basis.FLAT),
    "placebo": False, "step": None, "blinded": True, "note": "with food", "avoid": ("x",),
    "planned_date": date(2027, 1, 5), "calendar_note": "moved from Tue 2027-01-05: site closure",
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
