"""A figure shown next to the bound it is compared with never reads as that bound.

Every message that compares a computed figure with a limit rounds the figure as
:func:`regimens.quantities.shown_beside` does: half up, with more decimals while the
rounded figure would equal the limit it is not equal to ("a body-mass index of 80.0,
outside 10 to 80" contradicted itself for 80.04). One row per kind of comparison; every
figure worked by hand (BMI = kg / m²; at 100 cm of height, the BMI is the weight itself).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable

import pytest

import regimens
from regimens import ExpandOptionError, Participant, read_record
from regimens.record import implausible_measurements
from regimens.supply import BodySizes, Moments, SizeDistribution
from support.records import RECORD_HEADER

BODY = """\
format: regimens/1
id: b
title: B
drugs:
  pac: {name: paclitaxel, route: intravenous}
  carbo: {name: carboplatin, route: intravenous}
arms:
  x: {label: X}
periods:
  - id: t
    length: 3 weeks
    courses:
      - {drug: pac, dose: 1 mg, days: [1]}
"""
CARBO = BODY.replace("{drug: pac, dose: 1 mg, days: [1]}",
                     "{drug: carbo, dose: AUC 5, crcl_weight: auto, days: [1]}")
CHECK = "; check both measurements and their units"
TAIL = ". The doses after it are computed from it: check the number and its unit"


def _schedule_warning(weight: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = regimens.loads(BODY, "b.yaml").expand("x", "2027-01-04",
                                                  Participant(weight=weight, height="100 cm"))
    (w,) = s.warnings
    return str(w)


def _record_warning(before: str, measured: str) -> str:
    record = read_record(RECORD_HEADER + f"2027-01-25,measure,,,,{measured},,\n", name="P.csv")
    (m,) = implausible_measurements(Participant(weight=before, height="100 cm"),
                                    record.effective())
    return str(m.warning)


def _carboplatin(weight: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = regimens.loads(CARBO, "c.yaml").expand("x", "2027-01-04", Participant(
            weight=weight, height="175 cm" if weight == "76.44 kg" else "200 cm", age=64,
            sex="female", creatinine="1.1 mg/dL"))
    found = re.search(r"the body-mass index [^;),]*", s.administrations[0].dose.derivation)
    assert found is not None
    return found[0]


def _share(high: float) -> str:
    with pytest.raises(ExpandOptionError) as info:
        BodySizes(weight=SizeDistribution("normal", everyone=Moments(100, 10), low=100,
                                          high=high))
    return info.value.reason.split(" of this")[0]


# kind -> (the message, as computed by hand)
CASES: dict[str, tuple[Callable[[], str], str]] = {
    # 80.04 kg / (1 m)² = 80.04, above 80: one decimal would read 80.0.
    "schedule BMI above 80": (lambda: _schedule_warning("80.04 kg"),
                              "weight and height give a body-mass index of 80.04 kg/m², "
                              f"outside 10 to 80{CHECK}"),
    # 9.96, below 10: one decimal would read 10.0.
    "schedule BMI below 10": (lambda: _schedule_warning("9.96 kg"),
                              "weight and height give a body-mass index of 9.96 kg/m², "
                              f"outside 10 to 80{CHECK}"),
    # 80 -> 80.04 kg (0.05%): BMI 80.04; it read "80 kg/m², outside 10 to 80".
    "record BMI above 80": (lambda: _record_warning("80 kg", "80.04 kg"),
                            "P.csv:2: weight 80.04 kg measured 2027-01-25: with height "
                            "100 cm it gives a body-mass index of 80.04 kg/m², outside 10 "
                            f"to 80{TAIL}"),
    # 10 -> 9.996 kg (0.04%): BMI 9.996, 10.0 to one and 10.00 to two decimals.
    "record BMI below 10": (lambda: _record_warning("10 kg", "9.996 kg"),
                            "P.csv:2: weight 9.996 kg measured 2027-01-25: with height "
                            "100 cm it gives a body-mass index of 9.996 kg/m², outside 10 "
                            f"to 80{TAIL}"),
    # 76.44 kg / 1.75² = 76.44 / 3.0625 = 24.96 exactly: under 25, actual weight.
    "crcl_weight auto under 25": (lambda: _carboplatin("76.44 kg"),
                                  "the body-mass index 24.96 kg/m² is under 25"),
    # 100.016 kg / 2² = 25.004: 25.0 and 25.00 would read as 25; adjusted weight.
    "crcl_weight auto at 25 or more": (lambda: _carboplatin("100.016 kg"),
                                       "the body-mass index 25.004 kg/m² is 25 or more"),
    # N(100, 10) on 100-140 kg: Phi(4) - Phi(0) = 0.9999683 - 0.5 = 0.4999683, under the
    # half that may be kept: 49.99683% reads 50.0 and 50.00, so 49.997%.
    "supply share under 50%": (lambda: _share(140),
                               "the range 100-140 kg holds only 49.997%"),
    # Away from the bound one decimal is enough: Phi(1) - Phi(0) = 0.3413447: 34.1%.
    "supply share far from 50%": (lambda: _share(110),
                                  "the range 100-110 kg holds only 34.1%"),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_a_figure_beside_its_bound_never_reads_as_the_bound(kind: str) -> None:
    compute, expected = CASES[kind]
    assert compute() == expected
