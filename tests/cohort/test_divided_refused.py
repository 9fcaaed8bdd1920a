"""The batch API refuses a divided daily dose by name (its parts are rounded one by one)."""

from __future__ import annotations

import pytest

from regimens import DoseError
from regimens.cohort import expand_cohort
from support import load

# The shared head (tests/support) takes lines 1-10: the course is on line 15.
BODY = """\
periods:
  - id: t
    length: 1 week
    courses:
      - {drug: pred, daily_dose: 100 mg, times: ["08:00", "20:00"], days: 1}
"""


def test_the_batch_api_refuses_a_divided_daily_dose_by_name() -> None:
    regimen = load(BODY)
    with pytest.raises(DoseError, match=r"^r\.yaml:15: periods\[0\]\.courses\[0\]"
                       r"\.daily_dose: the batch API cannot compute a divided daily dose "
                       r"\(daily_dose\), whose parts are rounded one by one "):
        expand_cohort(regimen, "a", ["2027-01-04"])
