"""A BSA measured in a record is compared with the BSA in use before it, also when that
one was computed from the weight and height (docs/record.md: "else the participant's value
at enrolment"); it was compared only with a BSA given.

Hand-computed (Mosteller, sqrt(cm x kg / 3600), rounded to 2 decimals as doses use it):
175 cm, 70 kg: sqrt(3.402777...) = 1.84466... -> 1.84 m²; 175 cm, 60 kg: sqrt(2.916666...)
= 1.70782... -> 1.71 m². DuBois, 0.007184 x kg^0.425 x cm^0.725, 70 kg and 175 cm:
1.84814... -> 1.85 m². Changes: (1.84 - 1.2) / 1.84 = 34.78%; (1.84 - 1.47) / 1.84 =
20.11%; (1.84 - 1.5) / 1.84 = 18.48%; (1.71 - 1.35) / 1.71 = 21.05% (from 1.84 it would be
26.63%, the computed BSA follows the weight measured); 1.475 m² is (1.84 - 1.475) / 1.84 =
19.84% below Mosteller's 1.84 and (1.85 - 1.475) / 1.85 = 20.27% below DuBois's 1.85.
"""

from __future__ import annotations

import warnings

import pytest

import regimens
from regimens import ImplausibleMeasurementWarning, Participant, read_record
from regimens.quantities import BSAFormula
from regimens.record import implausible_measurements
from support.records import DOXDOC, RECORD_HEADER

TAIL = (", more than the 20% change taken as plausible between two measurements. The doses "
        "after it are computed from it: check the number and its unit")
TALL70 = Participant(weight="70 kg", height="175 cm")


def _said(line: int, measured: str, percent: str, previous: str) -> str:
    # Every BSA written in m², typed "1.2 m2" or given "1.84 m2" (cold try 5, finding 3).
    return (f"P.csv:{line}: BSA {measured} measured 2027-01-20: {percent}% below the "
            f"previous BSA, {previous}{TAIL}")


COMPUTED_184 = "1.84 m² (computed from weight 70 kg and height 175 cm)"

# (participant, record rows, options, expected warnings)
CASES = {
    "35% below a computed BSA": (TALL70, "2027-01-20,measure,,,,1.2 m2,,\n", {}, [
        _said(2, "1.2 m²", "34.78", COMPUTED_184)]),
    "just above 20%": (TALL70, "2027-01-20,measure,,,,1.47 m2,,\n", {}, [
        _said(2, "1.47 m²", "20.11", COMPUTED_184)]),
    "within 20%": (TALL70, "2027-01-20,measure,,,,1.5 m2,,\n", {}, []),
    # The weight measured before it changes the BSA in use (60 kg is 14.29% below 70).
    "after a new weight": (TALL70, "2027-01-10,measure,,,,60 kg,,\n"
                                   "2027-01-20,measure,,,,1.35 m2,,\n", {}, [
        _said(3, "1.35 m²", "21.05",
              "1.71 m² (computed from weight 60 kg and height 175 cm)")]),
    # The schedule's formula: 1.475 m2 is plausible next to Mosteller's 1.84, not DuBois's.
    "Mosteller": (TALL70, "2027-01-20,measure,,,,1.475 m2,,\n", {}, []),
    "DuBois": (TALL70, "2027-01-20,measure,,,,1.475 m2,,\n", {"bsa_formula": "dubois"}, [
        _said(2, "1.475 m²", "20.27",
              "1.85 m² (computed from weight 70 kg and height 175 cm)")]),
    # A BSA given at enrolment is the previous value, as before.
    "given BSA": (Participant(bsa="1.84 m2"), "2027-01-20,measure,,,,1.2 m2,,\n", {}, [
        _said(2, "1.2 m²", "34.78", "1.84 m² (at enrolment)")]),
}


@pytest.mark.parametrize(("participant", "rows", "options", "expected"), list(CASES.values()),
                         ids=list(CASES))
def test_a_measured_bsa_is_compared_with_the_bsa_in_use(
        participant: Participant, rows: str, options: dict[str, str],
        expected: list[str]) -> None:
    regimen = regimens.loads(DOXDOC, "dox.yaml")
    record = read_record(RECORD_HEADER + rows, name="P.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        schedule = regimen.expand("x", "2027-01-04", participant, record=record,
                                  **options)  # type: ignore[arg-type]
    said = [str(w) for w in schedule.warnings if isinstance(w, ImplausibleMeasurementWarning)]
    assert said == expected


def test_the_function_takes_the_formula_and_decimals() -> None:
    record = read_record(RECORD_HEADER + "2027-01-20,measure,,,,1.475 m2,,\n", name="P.csv")
    assert implausible_measurements(TALL70, record.effective()) == ()
    (found,) = implausible_measurements(TALL70, record.effective(),
                                        bsa_formula=BSAFormula.DUBOIS)
    assert str(found.warning) == _said(2, "1.475 m²", "20.27",
                                       "1.85 m² (computed from weight 70 kg and height 175 cm)")
    # One decimal: 1.84814 -> 1.8 m²; (1.8 - 1.475) / 1.8 = 18.06%, plausible.
    assert implausible_measurements(TALL70, record.effective(), bsa_formula=BSAFormula.DUBOIS,
                                    bsa_decimals=1) == ()


def test_no_bsa_to_compare_with() -> None:
    # A weight alone gives no BSA in use: the measured one is compared with nothing.
    record = read_record(RECORD_HEADER + "2027-01-20,measure,,,,1.2 m2,,\n", name="P.csv")
    assert implausible_measurements(Participant(weight="70 kg"), record.effective()) == ()
