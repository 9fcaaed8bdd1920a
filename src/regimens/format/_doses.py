"""Reading one dose field: a dose with its cap, rounding and basis options, banded doses,
standard doses, measure limits, a cumulative limit and vial sizes."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..errors import UnitError
from ..model import (
    BandBy,
    Dose,
    DoseBand,
    DoseRange,
    OutsideTolerance,
    Rounding,
    StandardDoses,
    WeightBasis,
    band_edge_text,
    table_problem,
)
from ..quantities import (
    Amount,
    Basis,
    Dimension,
    DoseQuantity,
    form_part_problem,
    parse_amount,
    parse_creatinine,
    parse_dose_quantity,
    parse_gfr,
    parse_measure,
    same_amount,
)
from ._fail import fail, unit_fail
from ._source import Cursor

__all__ = [
    "DOSE_OPTIONS",
    "read_banded_dose",
    "read_dose",
    "read_max_cumulative",
    "read_measure_limit",
    "read_vials",
]


#: The keys of a dose that belong to one basis, with that basis.
_BASIS_KEYS = {"weight": Basis.PER_KG, "bsa_max": Basis.PER_M2, "gfr_max": Basis.AUC,
               "creatinine_min": Basis.AUC, "crcl_weight": Basis.AUC}
_BASIS_TEXT = {Basis.FLAT: "flat", Basis.PER_KG: "per-kg", Basis.PER_M2: "per-m2",
               Basis.AUC: "AUC"}
#: Every key of a course or step that only a computed dose takes.
DOSE_OPTIONS = ("max", "round", "rounding", *_BASIS_KEYS)


def read_measure_limit(cur: Cursor, key: str) -> Any:
    """A ``bsa_max`` (m2, Decimal), ``gfr_max`` (mL/min, Decimal) or ``creatinine_min``
    ((value, factor), value / factor in mg/dL) at ``cur``."""
    try:
        if key == "bsa_max":
            return parse_measure("bsa", cur.value)
        if key == "gfr_max":
            return parse_gfr(cur.value)
        return parse_creatinine(cur.value)
    except UnitError as exc:
        raise unit_fail(cur, exc) from None


def read_max_cumulative(cur: Cursor) -> DoseQuantity:
    """A drug's ``max_cumulative``: flat, per kg or per m2, never a target AUC."""
    try:
        limit = parse_dose_quantity(cur.value)
    except UnitError as exc:
        raise unit_fail(cur, exc) from None
    if limit.basis is Basis.AUC:
        raise fail(cur, "a cumulative limit is an amount (flat, per kg or per m2), not a "
                   "target AUC", code="bad-quantity")
    return limit


_AGE_EDGE = re.compile(r"\s*(?P<num>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>years?|months?)\s*\Z")


def _band_edge(cur: Cursor, by: BandBy) -> Decimal:
    """A band edge at ``cur``: kg (weight), m2 (bsa) or whole months (age: '2 years' is 24,
    '18 months' is 18; a birth date gives the age in completed months)."""
    if by is BandBy.AGE:
        match = _AGE_EDGE.match(cur.value)
        months = None if match is None else Decimal(match["num"]) * (
            1 if match["unit"].startswith("month") else 12)
        if months is None or months % 1 or not months > 0:
            raise fail(cur, "an age band edge is a number of years or months that is a whole "
                       "number of months, e.g. '2 years' or '18 months'", code="bad-band")
        return months.normalize() if months % 1 == 0 else months
    try:
        return parse_measure(by.value, cur.value)
    except UnitError as exc:
        raise unit_fail(cur, exc) from None


def read_banded_dose(cur: Cursor) -> Dose:
    """The banded dose at ``cur`` (a course's ``dose`` mapping: ``by`` and ``bands``)."""
    raw = cur.value
    by = BandBy(raw["by"])
    bands: list[DoseBand] = []
    previous: Decimal | None = None
    first_start = Decimal(0)
    last = len(raw["bands"]) - 1
    dimension = None
    for i, band in cur.at("bands").items():
        value = band.value
        try:
            quantity = parse_dose_quantity(value["dose"])
        except UnitError as exc:
            raise unit_fail(band.at("dose"), exc) from None
        if quantity.basis is not Basis.FLAT:
            raise fail(band.at("dose"), "a band's dose is flat (e.g. '10 mg'): the band "
                       "already stands for the body size", code="bad-band")
        if dimension is None:
            dimension = quantity.amount.unit.dimension
        elif quantity.amount.unit.dimension is not dimension:
            raise fail(band.at("dose"), f"every band's dose is in one dimension "
                       f"({dimension.value})", code="bad-band")
        start = _band_edge(band.at("from"), by) if "from" in value else previous
        if i == 0 and start is not None:
            first_start = start
        elif i > 0 and start != previous:
            assert start is not None
            assert previous is not None
            gap = start > previous
            message = (f"{'bands leave a gap' if gap else 'bands overlap'}: this band starts at "
                       f"{band_edge_text(start, by)} but the band before it ends below "
                       f"{band_edge_text(previous, by)}; each band starts where the one "
                       "before it ends")
            if gap:
                raise fail(band.at("from"), message, code="band-gap")
            raise fail(band.at("from"), message, code="band-overlap")
        if "below" not in value:
            if i != last:
                raise fail(band, "only the last band is open (no below); give this band's "
                           "below", show=False, code="band-not-open")
            bands.append(DoseBand(None, quantity))
            continue
        below = _band_edge(band.at("below"), by)
        if i == last:
            raise fail(band.at("below"), "the last band is open: remove its below, so that "
                       "every body size has a band", code="band-not-open")
        low = first_start if i == 0 else previous
        assert low is not None
        if not below > low:
            raise fail(band.at("below"), f"bands are in increasing order: below must be "
                       f"above {band_edge_text(low, by)}, where this band starts",
                       code="bands-unordered")
        bands.append(DoseBand(below, quantity))
        previous = below
    return Dose(bands[0].dose, band_by=by, bands=tuple(bands), band_from=first_start,
                where=_where(cur))


def _standard_amount(cur: Cursor, dimension: Dimension) -> Amount:
    """An amount of a ``round:`` mapping (a band, a table edge or dose), in ``dimension``."""
    try:
        amount = parse_amount(cur.value, cur.path[-1] if isinstance(cur.path[-1], str)
                              else "band")
    except UnitError as exc:
        raise unit_fail(cur, exc) from None
    if amount.unit.dimension is not dimension:
        raise fail(cur, f"must be in the dose's dimension ({dimension.value})",
                   code="wrong-dimension")
    if not amount.magnitude > 0:
        raise fail(cur, "a standard dose is greater than 0", code="too-small")
    return amount


def _base(amount: Amount) -> Decimal:
    return amount.magnitude * amount.unit.factor


def read_standard(cur: Cursor, quantity: DoseQuantity, divided: int | None) -> StandardDoses:
    """Rounding to a standard dose: ``round:`` as a mapping with ``bands``, ``table`` or
    ``to_vial`` (docs/format.md, "Standard doses"); every rule checked here, with its line."""
    raw = cur.value
    kinds = [k for k in ("bands", "table", "to_vial") if k in raw]
    if len(kinds) != 1:
        raise fail(cur.at(kinds[1]) if kinds else cur, "give exactly one of bands, table or "
                   "to_vial", show=False, code="standard-dose-kind")
    kind = kinds[0]
    if quantity.basis is Basis.FLAT:
        raise fail(cur, "standard doses round a computed (per kg, per m2 or AUC) dose; this "
                   "dose is flat", show=False, code="limit-on-flat-dose")
    if divided is not None:
        raise fail(cur, "standard doses round a whole dose; each part of a divided daily dose "
                   "is rounded to a multiple ('round: 1 mg')", show=False,
                   code="standard-with-divided-dose")
    if kind == "to_vial" and raw["to_vial"] is not True:
        raise fail(cur.at("to_vial"), "to_vial: true rounds to whole vials (leave round out "
                   "not to round)", code="to-vial-false")
    if kind == "table" and "tolerance" in raw:
        raise fail(cur.at("tolerance"), "a dose-banding table's ranges are its tolerance: "
                   "remove tolerance", code="tolerance-with-table")
    tolerance = None
    if kind != "table":
        if "tolerance" not in raw:
            raise fail(cur, f"{kind} needs a tolerance: how far the standard dose may be "
                       "from the calculated one, as a percentage ('tolerance: 5%')",
                       show=False, code="standard-dose-without-tolerance")
        match = _PERCENT.match(str(raw["tolerance"]))
        tolerance = Decimal(match["num"]) if match is not None else None
        if tolerance is None or not 0 < tolerance <= 100:
            raise fail(cur.at("tolerance"), "a percentage above 0% and at most 100%, e.g. "
                       "'5%'", code="bad-tolerance")
    dimension = quantity.amount.unit.dimension
    bands: list[Amount] = []
    table: list[DoseRange] = []
    if kind == "bands":
        for _, at in cur.at("bands").items():
            amount = _standard_amount(at, dimension)
            if bands and not _base(amount) > _base(bands[-1]):
                raise fail(at, f"standard doses in increasing order, each once: this one "
                           f"is not above {bands[-1]}", code="bands-unordered")
            bands.append(amount)
    elif kind == "table":
        for _, row in cur.at("table").items():
            low = _standard_amount(row.at("from"), dimension)
            below = _standard_amount(row.at("below"), dimension)
            table.append(DoseRange(low, below, _standard_amount(row.at("dose"), dimension)))
            found = table_problem(tuple(table))
            if found is not None:
                raise fail(row.at(found.field), found.message, code=found.code)
    return StandardDoses(tuple(bands), tuple(table), kind == "to_vial", tolerance,
                         OutsideTolerance(raw.get("outside", "refuse")))


def read_dose(cur: Cursor, bsa_max: Decimal | None = None, *, divided: int | None = None,
              key: str = "dose", equivalence: tuple[Amount, Amount] | None = None) -> Dose:
    """The dose at ``cur`` (a course or a step); ``bsa_max``: the regimen's, for a per-m2
    dose that gives none of its own; ``divided``: a ``daily_dose`` (``key``) given in that
    many administrations a day; ``equivalence``: the drug's, which lets ``max`` and ``round``
    be in the other of USP units and international units."""
    raw = cur.value
    where = _where(cur.at(key))
    converted = False
    if isinstance(raw[key], dict):
        options = [k for k in DOSE_OPTIONS if k in raw]
        if options:
            raise fail(cur.at(options[0]), f"{options[0]} applies to a computed dose; a "
                       "banded dose takes its amount from its band", code="option-on-banded-dose")
        return read_banded_dose(cur.at("dose"))
    try:
        quantity = parse_dose_quantity(raw[key])
    except UnitError as exc:
        raise unit_fail(cur.at(key), exc) from None
    limits: dict[str, Amount] = {}
    standard = None
    if isinstance(raw.get("round"), dict):
        standard = read_standard(cur.at("round"), quantity, divided)
    for key in ("max", "round"):
        if key in raw and not (key == "round" and standard is not None):
            try:
                limits[key] = parse_amount(raw[key], key)
            except UnitError as exc:
                raise unit_fail(cur.at(key), exc) from None
            dimension = limits[key].unit.dimension
            if key == "round" and dimension.form and not quantity.amount.unit.dimension.form:
                # Whole or half tablets, by the drug's strength (checked with the drug).
                split = form_part_problem(limits[key])
                if split is not None:
                    raise fail(cur.at(key), split, code="form-not-split")
            elif equivalence is not None and {dimension, quantity.amount.unit.dimension} == {
                    a.unit.dimension for a in equivalence}:
                converted = True  # by the drug's sourced equivalence, stated when applied
            elif dimension is not quantity.amount.unit.dimension:
                raise fail(cur.at(key),
                            f"must be in the dose's dimension "
                            f"({quantity.amount.unit.dimension.value})", code="wrong-dimension")
    if "rounding" in raw and "round" not in raw:
        raise fail(cur.at("rounding"), "rounding goes with round ('round: 5 mg')",
                   code="rounding-without-round")
    if "rounding" in raw and standard is not None:
        raise fail(cur.at("rounding"), "rounding (up, down) goes with rounding to a multiple "
                   "('round: 5 mg'); standard doses take the nearest",
                   code="rounding-with-standard")
    flat_limits = [k for k in limits if not (k == "round" and divided is not None)]
    if quantity.basis is Basis.FLAT and flat_limits:
        # A flat daily dose's parts may be rounded (100 mg in 3: 33.5 mg each).
        key = flat_limits[0]
        raise fail(cur.at(key), f"{key} applies to computed (per kg or per m2) doses; "
                    "this dose is flat", code="limit-on-flat-dose")
    for key, owner in _BASIS_KEYS.items():
        if key in raw and quantity.basis is not owner:
            # On another basis the option would be silently ignored.
            raise fail(cur.at(key), f"{key} applies to {_BASIS_TEXT[owner]} doses; this dose "
                       f"is {_BASIS_TEXT[quantity.basis]}", code="option-for-other-basis")
    measured = {key: read_measure_limit(cur.at(key), key)
                for key in ("bsa_max", "gfr_max", "creatinine_min") if key in raw}
    if quantity.basis is Basis.PER_M2 and "bsa_max" not in measured and bsa_max is not None:
        measured["bsa_max"] = bsa_max
    if divided is not None and "max" in limits:
        # A cap could be meant for the day or for each administration: never guess.
        raise fail(cur.at("max"), "max is not allowed with a divided daily dose (it could mean "
                   "the day's or each administration's)", code="max-with-divided-dose")
    return Dose(quantity, limits.get("max"), limits.get("round"),
                Rounding(raw.get("rounding", "nearest")),
                weight=WeightBasis(raw.get("weight", "actual")),
                crcl_weight=WeightBasis(raw.get("crcl_weight", "actual")), divided=divided,
                where=where, equivalence=equivalence if converted else None,
                standard=standard, **measured)


def _where(cur: Cursor) -> tuple[str, int | None, tuple[str | int, ...]]:
    """The dose field at ``cur`` as a :class:`~regimens.model.Dose` locates itself."""
    return (cur.doc.name, cur.line, cur.path)


_PERCENT = re.compile(r"\s*(?P<num>[0-9]+(?:\.[0-9]+)?)\s*%\s*\Z")


def read_vials(cur: Cursor) -> tuple[Amount, ...]:
    """A drug's vial sizes: amounts of one dimension, no size twice (``100 mg``, ``0.1 g``)."""
    vials: list[Amount] = []
    for _, item in cur.items():
        try:
            size = parse_amount(item.value, "vial size")
        except UnitError as exc:
            raise unit_fail(item, exc) from None
        if vials and size.unit.dimension is not vials[0].unit.dimension:
            raise fail(item, f"vial sizes measure one dimension ({vials[0]} is "
                       f"{vials[0].unit.dimension.value})", code="mixed-vial-dimensions")
        same = next((v for v in vials if same_amount(v, size)), None)
        if same is not None:
            raise fail(item, f"this vial size is listed already, as {same} "
                       f"(vials[{vials.index(same)}])", code="duplicate-vial")
        vials.append(size)
    return tuple(vials)
