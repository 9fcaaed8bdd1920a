"""Every DoseError raised while expanding a regimen read from a file names the file, the
line and the path of the dose field it was raised for (issue 16, "the kind of fault").

The table has one row per ``DoseError`` that the engine's dose modules (engine/_dose.py and
the modules it calls: ``DOSE_MODULES``) raise while computing a dose (checked against their
source below), each for a dose written on a line
counted by hand: ``support.HEAD`` is 10 lines, then ``periods:`` (11), ``- id: t`` (12),
``length`` (13), ``courses:`` (14), and the course on line 15.
"""

from __future__ import annotations

import ast
import dataclasses
import pickle
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import regimens
from regimens import DoseError, Participant
from regimens.quantities import parse_amount, parse_dose_quantity
from support import HEAD

#: The modules that compute a dose: the arithmetic, the body size, bands, standard doses, forms.
DOSE_MODULES = [Path(regimens.__file__).parent / "engine" / f"{name}.py"
                for name in ("_dose", "_computed", "_body_size", "_bands", "_standard", "_forms")]

# The same head (10 lines) with dosage forms: prednisone 5 mg tablets, aldesleukin 250 mg
# capsules, Treg cells 30 mg/mL (for the rows whose id starts with "form-").
FORMS = (HEAD.replace("pred: {name: prednisone, route: oral}",
                      "pred: {name: prednisone, route: oral, strength: 5 mg/tablet}")
         .replace("il2: {name: aldesleukin, route: subcutaneous}",
                  "il2: {name: aldesleukin, route: subcutaneous, strength: 250 mg/capsule}")
         .replace("treg: {name: Treg cells, route: intravenous}",
                  "treg: {name: Treg cells, route: intravenous, strength: 30 mg/mL}"))
assert FORMS.count("\n") == HEAD.count("\n") == 10
COURSE = "periods:\n  - id: t\n    length: 4 weeks\n    courses:\n      - {course}\n"

# (id, course text, participant, expand options, path of the dose field, reason)
CASES: list[tuple[str, str, dict[str, str], dict[str, Any], str, str]] = [
    ("ideal-weight-under-60-inches",
     "{drug: pred, dose: 1 mg/kg, weight: ideal, days: [1]}",
     {"weight": "50 kg", "height": "150 cm", "sex": "female"}, {}, "dose",
     "weight: ideal uses Devine's ideal body weight, which starts at 60 inches (152.4 cm); "
     "the height is 150 cm: use the actual weight"),
    ("cockcroft-gault-under-18",
     "{drug: il2, dose: AUC 5, days: [1]}",
     {"weight": "40 kg", "age": "12", "sex": "male", "creatinine": "0.5 mg/dL"}, {}, "dose",
     "Cockcroft-Gault is for adults (18 years and over); the participant is 12 years old: "
     "give a measured GFR (--gfr)"),
    ("daily-dose-not-exact",
     '{drug: pred, daily_dose: 40 mg/m2, times: ["08:00", "14:00", "20:00"], days: [1]}',
     # 40 x 1.7 = 68 mg; 68 / 3 = 22.666... mg.
     {"bsa": "1.7 m2"}, {}, "daily_dose",
     "the daily dose 68 mg does not divide exactly into 3 administrations; give 'round' "
     "(e.g. 'round: 1 mg') to round each administration"),
    ("below-the-first-band",
     "{drug: pred, days: [1], dose: {by: weight, bands: [{from: 3 kg, below: 15 kg, "
     "dose: 5 mg}, {dose: 20 mg}]}}",
     {"weight": "2.5 kg"}, {}, "dose",
     "the weight 2.5 kg is below the first band, which starts at 3 kg: the protocol gives "
     "no dose for it"),
    ("rounds-to-nothing",
     "{drug: pred, dose: 1 mg/kg, round: 50 mg, rounding: down, days: [1]}",
     {"weight": "30 kg"}, {}, "dose",
     "1 mg per kg gives 30 mg, which rounds down to a multiple of 50 mg as 0; use a smaller "
     "'round' increment"),
    # Dosage forms (FORMS): 1 x 10 = 10 mg of 30 mg/mL is 0.333... mL, not exact.
    ("form-count-not-exact",
     "{drug: treg, dose: 1 mg/kg, days: [1]}", {"weight": "10 kg"}, {}, "dose",
     "10 mg is not an exact number of mL of 30 mg: round the dose ('round') to what can be "
     "measured"),
    # 1 x 12 = 12 mg of 5 mg tablets is 2.4 tablets: neither whole nor half.
    ("form-count-not-given",
     "{drug: pred, dose: 1 mg/kg, days: [1]}", {"weight": "12 kg"}, {}, "dose",
     "12 mg is 2.4 tablets of 5 mg; tablets are split in halves at most: give whole or half "
     "tablets (round the dose with 'round: 0.5 tablet')"),
    # 50% of 3 capsules is 1.5 capsules: a capsule is never split.
    ("form-level-half-a-capsule",
     "{drug: il2, dose: 3 capsules, days: [1], levels: {-1: 50%}}", {},
     {"levels": {"il2": -1}}, "dose",
     "the dose is 1.5 capsules; capsules are not split: give whole capsules"),
    ("no-standard-dose-within-the-tolerance",
     # 1,000 x 1.7 = 1,700 mg: 1,600 and 1,800 mg equally near, the higher by the tie rule,
     # 100 / 1,700 = 5.88% away: over 5%.
     "{drug: pred, dose: 1000 mg/m2, round: {bands: [1600 mg, 1800 mg], tolerance: 5%}, "
     "days: [1]}",
     {"bsa": "1.7 m2"}, {}, "dose",
     "1,000 mg per m² gives 1,700 mg: no standard dose is within 5% of it: the nearest, "
     "1,800 mg, is about 5.88% above it (dose bands 1,600 mg, 1,800 mg; 1,600 mg is as near: "
     "the higher is given); the regimen gives "
     "no dose outside its standard doses ('outside: refuse', the default; 'outside: "
     "calculated' gives the calculated dose with a warning)"),
]

# The same faults where the dose is a step's, or reached through a dose level: the path
# still names the dose field as written.
MORE: list[tuple[str, str, dict[str, str], dict[str, Any], str, str]] = [
    ("rounds-to-nothing-in-a-step",
     "{drug: pred, cycle: 2 weeks, days: [1], steps: [{cycles: 1, dose: 0.5 mg/kg}, "
     "{cycles: 1, dose: 1 mg/kg, round: 50 mg, rounding: down}]}",
     {"weight": "30 kg"}, {}, "steps[1].dose",
     "1 mg per kg gives 30 mg, which rounds down to a multiple of 50 mg as 0; use a smaller "
     "'round' increment"),
    ("rounds-to-nothing-at-a-level",
     # Level 0: 80 mg rounded down to 50 mg; level -1: 50% of 50 mg = 25 mg, rounds to 0.
     "{drug: pred, dose: 1 mg/kg, round: 50 mg, rounding: down, days: [1], "
     "levels: {-1: 50%}}",
     {"weight": "80 kg"}, {"levels": {"pred": -1}}, "dose",
     "50% of 50 mg gives 25 mg, which rounds down to a multiple of 50 mg as 0; use a "
     "smaller 'round' increment"),
]


def _expand(head: str, course: str, participant: dict[str, str],
            options: dict[str, Any]) -> None:
    regimen = regimens.loads(head + COURSE.format(course=course), "r.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        regimen.expand("a", "2027-01-04", Participant(**participant), **options)


@pytest.mark.parametrize(("case", "course", "participant", "options", "field", "reason"),
                         CASES + MORE, ids=[c[0] for c in CASES + MORE])
def test_a_dose_error_names_file_line_and_dose_field(
        case: str, course: str, participant: dict[str, str], options: dict[str, Any],
        field: str, reason: str) -> None:
    with pytest.raises(DoseError) as caught:
        _expand(FORMS if case.startswith("form-") else HEAD, course, participant, options)
    error = caught.value
    path = f"periods[0].courses[0].{field}"
    assert (error.file, error.line, error.path, error.reason) == ("r.yaml", 15, path, reason)
    assert str(error) == f"r.yaml:15: {path}: {reason}"
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.file, copy.line, copy.loc, str(copy)) == (
        error.file, error.line, error.loc, str(error))


def _raised_in_dose_py() -> int:
    """How many ``raise DoseError(...)`` there are in the dose modules, apart from the batch
    API's refusals (tests/cohort) and :func:`dosing_area`'s (below)."""
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in DOSE_MODULES]
    count = 0
    for node in (node for tree in trees for node in ast.walk(tree)):
        if not isinstance(node, ast.FunctionDef) or node.name in ("refuse_unsupported",
                                                                  "dosing_area"):
            continue
        for inner in ast.walk(node):
            if (isinstance(inner, ast.Raise) and isinstance(inner.exc, ast.Call)
                    and isinstance(inner.exc.func, ast.Name) and inner.exc.func.id == "DoseError"):
                count += 1
    return count


def test_the_table_covers_every_dose_error_of_the_engine() -> None:
    # One row of CASES per DoseError the engine raises while computing a dose.
    assert _raised_in_dose_py() == len(CASES)


def test_a_bsa_that_rounds_to_nothing_is_refused() -> None:
    # Not reachable from plausible measurements (30 cm and 0.5 kg give 0.0645 m2 by
    # Mosteller, 0.1 m2 at 1 decimal, the fewest allowed): the guard is tested alone.
    from regimens.engine import dosing_area

    with pytest.raises(DoseError, match=r"^the body surface area 0\.04 m² rounds to 0 m² at 1 "
                       "decimals; use more decimals$"):
        dosing_area(Decimal("0.04"), 1)


def test_a_dose_built_in_python_keeps_its_message() -> None:
    # No file: the reason alone, as before.
    dose = regimens.Dose(parse_dose_quantity("1 mg/kg"), round=parse_amount("50 mg"),
                         rounding=regimens.Rounding.DOWN)
    course = regimens.Course("pred", regimens.DaysPattern((1,)), dose)
    regimen = regimens.loads(HEAD + COURSE.format(course="{drug: pred, dose: 1 mg, days: 1}"))
    period = regimen.periods[0]
    built = dataclasses.replace(regimen, periods=(dataclasses.replace(period,
                                                                      courses=(course,)),))
    with pytest.raises(DoseError) as caught:
        built.expand("a", "2027-01-04", Participant(weight="30 kg"))
    assert caught.value.file is None
    assert str(caught.value) == ("1 mg per kg gives 30 mg, which rounds down to a multiple of "
                                 "50 mg as 0; use a smaller 'round' increment")
