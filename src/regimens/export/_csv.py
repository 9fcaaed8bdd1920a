"""A schedule as CSV (``to_csv``): one row per administration, the fields of the JSON.

The columns are :data:`ADMINISTRATION_FIELDS`, then the optional, site-calendar, record
and vial columns only when the schedule has them; a cell is the JSON's value as text
(null empty, booleans lower case, lists ``"; "``-separated).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..engine import Schedule
from ..quantities import VialCombination, plain
from ._schedule_data import (
    ADMINISTRATION_FIELDS,
    CALENDAR_FIELDS,
    RECORD_FIELDS,
    administration_dict,
    course_extras,
)

__all__ = ["VIAL_CSV_FIELDS", "render_csv"]

#: The CSV columns of a dose's vials, at the end of each row when the regimen declares vials.
VIAL_CSV_FIELDS = ("vials", "vial_count", "waste_amount", "waste_unit")


def _vial_cells(vials: VialCombination | None) -> list[str]:
    """``["1 x 500 mg + 2 x 100 mg", "3", "80", "mg"]``; empty cells without vials."""
    if vials is None:
        return ["", "", "", ""]
    used = " + ".join(f"{n} x {size}" for size, n in vials.vials)
    return [used, str(vials.count), plain(vials.waste.magnitude), vials.waste.unit.symbol]


def render_csv(s: Schedule) -> str:
    """One row per administration; with a site calendar, ``planned_date`` and
    ``calendar_note`` columns end each row; with a record, :data:`RECORD_FIELDS`; when a
    drug of the regimen has vials, :data:`VIAL_CSV_FIELDS` end it (the vials of the dose by
    the vial rule, their number and the waste; empty for a dose without vials)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    optional, extras = course_extras(s)
    site = s.calendar is not None
    recorded = s.replayed is not None
    fields = ADMINISTRATION_FIELDS + optional + (CALENDAR_FIELDS if site else ()) + (
        tuple(f for f in RECORD_FIELDS if not (site and f in CALENDAR_FIELDS))
        if recorded else ())
    # Decided by the regimen, not by this arm's doses: every arm's file has the same columns.
    vials = any(d.vials for d in s.regimen.drugs)
    writer.writerow(fields + (VIAL_CSV_FIELDS if vials else ()))
    for a in s.administrations:
        row = administration_dict(a, extras[(a.period, a.course)], site, recorded)
        writer.writerow([_cell(row[k]) for k in fields]
                        + (_vial_cells(a.dose.vials) if vials else []))
    return out.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "; ".join(value)
    return value
