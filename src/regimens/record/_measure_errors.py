"""The errors of ``measure`` rows whose measurement leaves a later dose impossible to
compute: at the row's file and line (:func:`_unusable`, :func:`_stale_bsa`)."""

from __future__ import annotations

from datetime import date

from ..engine import Administration
from ..errors import InvalidRecordError, MissingMeasurementError, Problem
from ._model import RecordRow

__all__ = ["_MEASURE_LABEL", "_stale_bsa", "_unusable"]

_MEASURE_LABEL = {"weight": "weight", "height": "height", "bsa": "BSA",
                  "creatinine": "serum creatinine", "gfr": "GFR"}


def _where(exc: MissingMeasurementError) -> str:
    """Where the dose that cannot be computed is declared: " (FILE:LINE)", or ""."""
    if exc.file is None:
        return ""
    return f" ({exc.file}:{exc.line})" if exc.line is not None else f" ({exc.file})"


def _unusable(row: RecordRow, exc: MissingMeasurementError, a: Administration,
              day: date) -> InvalidRecordError:
    """The error for a ``measure`` row that leaves a later dose without a measurement it
    needs (a serum creatinine replaces the GFR given at enrolment, and the participant's
    age or sex for Cockcroft-Gault is not given), at the row's file and line: the
    participant's options were complete until the record changed them."""
    assert row.measurement is not None
    label = _MEASURE_LABEL[row.measurement.kind]
    where = _where(exc)
    # The reason without its advice to give command-line options (they were given).
    reason = exc.reason.split(": give ")[0]
    kind = row.measurement.kind
    others = [n.replace("_", " ") for n in exc.needed if n != kind
              and not (kind == "creatinine" and n == "gfr")]
    instead = ("a GFR (a measure row in mL/min)" if kind == "creatinine"
               else "the measurement the dose needs")
    give = (f"give the participant's {' and '.join(others)}, or record {instead}" if others
            else f"record {instead}")
    message = (f"the {label} measured here is used from {row.date} on, and the dose of "
               f"{a.drug} on {day.isoformat()}{where} cannot be computed from it: {reason}; "
               f"{give}")
    return InvalidRecordError([Problem(row.source, row.line, ("amount",), message,
                                        row.measurement.text, code="measurement-leaves-dose")])


def _stale_bsa(row: RecordRow, bsa: str, exc: MissingMeasurementError, a: Administration,
               day: date) -> InvalidRecordError:
    """The error for a ``measure`` row of weight or height that makes a BSA (given at
    enrolment or measured: ``bsa`` says which) out of date, when the new BSA cannot be
    computed (no height or no weight).

    Refused rather than dosed from the old BSA: a weight change is exactly what a per-m2
    dose must follow, and keeping the old BSA would hide it (docs/record.md, "Body
    measurements")."""
    assert row.measurement is not None
    kind = row.measurement.kind
    other = "height" if kind == "weight" else "weight"
    where = _where(exc)
    message = (f"a new {kind} makes the body surface area in use ({bsa}) out of date, "
               f"and there is no {other} to compute it from: the dose of {a.drug} on "
               f"{day.isoformat()}{where} is refused rather than computed from the old BSA; "
               f"give the participant's {other}, or record a BSA measured on or after this "
               "row (a measure row in m2)")
    return InvalidRecordError([Problem(row.source, row.line, ("amount",), message,
                                        row.measurement.text, code="bsa-out-of-date")])
