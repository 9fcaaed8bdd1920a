"""Comparing a cohort's rows with ``expand``'s schedule for one participant (needs NumPy)."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import numpy as np

import regimens


def assert_same_rows(cohort: Any, columns: dict[str, Any], i: int,
                     schedule: regimens.Schedule, first: int | None = None) -> None:
    """Participant ``i``'s rows of ``columns`` (starting at row ``first``, by default
    ``cohort.rows_of(i).start``) equal ``schedule``'s administrations, field by field."""
    start = cohort.rows_of(i).start if first is None else first
    admins = schedule.administrations
    assert cohort.rows_of(i).stop - cohort.rows_of(i).start == len(admins)
    cats = cohort.categories
    for k, a in zip(range(start, start + len(admins)), admins, strict=True):
        assert columns["participant"][k] == i
        if "arm" in columns:
            assert cats["arm"][columns["arm"][k]] == schedule.arm
        assert columns["study_day"][k] == a.study_day.value
        assert columns["date"][k] == np.datetime64(a.date, "D")
        if a.time is None:
            assert np.isnat(columns["time"][k])
        else:
            assert columns["time"][k] == np.timedelta64(a.time.hour * 60 + a.time.minute, "m")
        if "at" in columns:
            if a.at is None:
                assert np.isnat(columns["at"][k])
            else:
                utc = a.at.astimezone(UTC).replace(tzinfo=None)
                assert columns["at"][k] == np.datetime64(utc, "s")
        assert cats["period"][columns["period"][k]] == a.period
        assert cats["drug"][columns["drug"][k]] == a.drug
        assert cohort.drug_names[columns["drug"][k]] == a.drug_name
        assert columns["course"][k] == a.course
        assert columns["cycle"][k] == (-1 if a.cycle is None else a.cycle)
        assert columns["cycle_day"][k] == (-1 if a.cycle_day is None else a.cycle_day)
        assert columns["step"][k] == (-1 if a.step is None else a.step + 1)
        assert columns["placebo"][k] == a.placebo
        assert columns["blinded"][k] == a.blinded
        if a.dose.amount is None:
            assert np.isnan(columns["amount"][k])
            assert columns["unit"][k] == -1
        else:
            # float64 of the exact decimal amount, correctly rounded.
            assert columns["amount"][k] == float(a.dose.amount.magnitude)
            assert cats["unit"][columns["unit"][k]] == a.dose.amount.unit.symbol
