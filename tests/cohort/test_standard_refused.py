"""The batch API refuses a dose rounded to standard doses by name (dose bands, a dose-banding
table or whole vials: each may refuse or warn per participant, which its templates do not
do)."""

from __future__ import annotations

import pytest

import regimens
from regimens import DoseError
from regimens.cohort import expand_cohort

DOC = """\
format: regimens/1
id: standard
title: Standard doses
drugs:
  gem: {{name: gemcitabine, route: intravenous, vials: [200 mg, 1 g]}}
arms:
  x: {{label: X}}
periods:
  - id: t
    length: 1 week
    courses:
      - {{drug: gem, dose: 1000 mg/m2, round: {round}, days: 1}}
"""


@pytest.mark.parametrize("round_", [
    "{bands: [1600 mg, 1800 mg], tolerance: 5%}",
    "{table: [{from: 1520 mg, below: 1710 mg, dose: 1600 mg}]}",
    "{to_vial: true, tolerance: 10%}",
])
def test_the_batch_api_refuses_standard_doses_by_name(round_: str) -> None:
    regimen = regimens.loads(DOC.format(round=round_), "r.yaml")
    with pytest.raises(DoseError, match=r"^r.yaml:12: periods\[0\].courses\[0\].dose: the "
                       r"batch API cannot compute a dose rounded to "
                       r"standard doses \(round: \{bands, table or to_vial\}\), whose rounding "
                       r"may refuse or warn per participant \(1000 mg/m2\); expand these "
                       r"participants one by one with Regimen.expand$"):
        expand_cohort(regimen, "x", ["2027-01-04"], bsas=[1.7])
