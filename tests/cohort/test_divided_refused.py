"""The batch API refuses a divided daily dose by name (its parts are rounded one by one)."""

from __future__ import annotations

import pytest

import regimens
from regimens import DoseError
from regimens.cohort import expand_cohort

DOC = """\
format: regimens/1
id: divided
title: Divided
drugs:
  a: {name: drug A, route: oral}
arms:
  x: {label: X}
periods:
  - id: t
    length: 1 week
    courses:
      - {drug: a, daily_dose: 100 mg, times: ["08:00", "20:00"], days: 1}
"""


def test_the_batch_api_refuses_a_divided_daily_dose_by_name() -> None:
    regimen = regimens.loads(DOC, "r.yaml")
    with pytest.raises(DoseError, match=r"^r\.yaml:12: periods\[0\]\.courses\[0\]"
                       r"\.daily_dose: the batch API cannot compute a divided daily dose "
                       r"\(daily_dose\), whose parts are rounded one by one "):
        expand_cohort(regimen, "x", ["2027-01-04"])
