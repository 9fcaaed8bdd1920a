"""The shape of a format-1 regimen document, declared once.

The same declarations check a document's structure (types, required and
unknown fields, simple ranges) in :func:`structure_problems` and produce the
JSON Schema printed by ``regimens schema`` in :func:`json_schema`, so the two
cannot drift apart. Meaning (cross-references, day ranges inside cycles, one
pattern per course) is checked afterwards by :mod:`regimens.format._build`.
The shapes these declarations are made of (``Text``, ``Record``, ...) are in ``_shapes``.
"""

from __future__ import annotations

from typing import Any

from .._records import dataclass
from ..errors import Problem
from ..model import METHODS, MISSED_RULES, ON_DELAY_RULES, WEEKDAYS
from ..quantities import MAX_DAYS, MAX_MONTHS
from ._shapes import (
    Either,
    Field,
    Flag,
    ListOf,
    MapOf,
    Record,
    Text,
    Whole,
    bare_number,
    id_text,
    with_unit,
)
from ._source import Cursor

__all__ = ["REGIMEN", "json_schema", "structure_problems"]


def _id(description: str) -> Text:
    return id_text(description, "il2-1miu")


_DURATION_HELP = "a whole number of days or weeks, e.g. '28 days' or '4 weeks'"
_BARE_DURATION = bare_number("a length", "'28 days' or '4 weeks'")
_BARE_DOSE = bare_number("a dose", "'20 mg', '1 mg/kg' or '375 mg/m2'")
_BARE_AMOUNT = bare_number("an amount", "'2 mg'")


def _line(description: str = "") -> Text:
    """One-line text: a name or label that goes into one table cell or calendar title."""
    return Text(description, single_line=True, nonblank=True)


def _duration(description: str) -> Text:
    return Text(description, number_help=_BARE_DURATION)
_DAY_ITEM = Either((Whole(minimum=1), Text(pattern=r"\s*[0-9]+\s*-\s*[0-9]+\s*",
                                         pattern_help="a day range is written 'A-B', e.g. '1-5'")))
DAYS = Either((Whole(minimum=1), _DAY_ITEM.options[1], ListOf(_DAY_ITEM, min_items=1)),
              description="days, 1-based: 3, '1-5' or a list mixing both ([1, 8, 15], ['2-7'])")
# A course's days may come before day 1 (-1 is the day before day 1, there is no day 0).
_CYCLE_DAY = Whole(minimum=-MAX_DAYS, not_zero=True,
                   zero_help="there is no day 0: day -1 is the day before day 1")
_COURSE_DAY_ITEM = Either((_CYCLE_DAY, _DAY_ITEM.options[1]))
COURSE_DAYS = Either((_CYCLE_DAY, _DAY_ITEM.options[1], ListOf(_COURSE_DAY_ITEM, min_items=1)),
                     description="days, 1-based, negative before day 1: 3, '1-5' or a list "
                     "mixing both ([1, 8, 15], ['2-7'], [-1, 1, 2])")
@dataclass
class _TextOrBands(Either):
    """Text, or a mapping (a course's banded dose; ``round``'s standard doses). Anything
    else is checked as the text, whose messages (a bare number is not a dose) are the ones
    people need."""

    def problems(self, cur: Cursor) -> list[Problem]:
        text, banded = self.options
        return (banded if isinstance(cur.value, dict) else text).problems(cur)


_STANDARD_AMOUNT = Text("an amount, e.g. '1600 mg'", number_help=_BARE_AMOUNT)
#: Rounding to a standard dose (``round:`` as a mapping): dose bands, a dose-banding table
#: or whole vials (docs/format.md, "Standard doses").
STANDARD_DOSES = Record({
    "bands": Field(ListOf(_STANDARD_AMOUNT, min_items=1,
                          description="standard doses in increasing order; the nearest "
                          "within the tolerance is given (equally near: the higher)")),
    "table": Field(ListOf(Record({
        "from": Field(_STANDARD_AMOUNT, required=True),
        "below": Field(_STANDARD_AMOUNT, required=True),
        "dose": Field(_STANDARD_AMOUNT, required=True),
    }, "one row: a calculated dose from 'from' (inclusive) up to 'below' (exclusive) is "
       "given as 'dose'"), min_items=1,
        description="a dose-banding table: rows in increasing order, each from where the "
        "one before ends")),
    "to_vial": Field(Flag("round to the nearest amount whole vials of the drug's 'vials' "
                          "make up")),
    "tolerance": Field(Text("how far the standard dose may be from the calculated one, "
                            "|standard - calculated| / calculated, e.g. '5%' (bands and "
                            "to_vial)", pattern=r"\s*[0-9]+(\.[0-9]+)?\s*%\s*",
                            pattern_help="a tolerance is a percentage, e.g. '5%'",
                            number_help="a bare number is not a tolerance: write a "
                            "percentage, e.g. '5%'")),
    "outside": Field(Text("when no standard dose is within the tolerance: refuse (default) "
                          "or give the calculated dose with a warning",
                          enum=("refuse", "calculated"))),
}, "rounding to a standard dose: exactly one of bands, table or to_vial")


_DOSE_EXTRAS = {
    "max": Field(Text("cap on the computed dose, e.g. '2 mg'", number_help=_BARE_AMOUNT)),
    "round": Field(_TextOrBands((Text("round the computed dose to a multiple of this amount, "
                                      "e.g. '5 mg'", number_help=_BARE_AMOUNT),
                                 STANDARD_DOSES))),
    "rounding": Field(Text("rounding rule: nearest (halves up), up or down",
                           enum=("nearest", "up", "down"))),
    "weight": Field(Text("per-kg doses: the weight used (default actual)",
                         enum=("actual", "ideal", "adjusted"))),
    "bsa_max": Field(with_unit("per-m2 doses: cap on the body surface area, e.g. '2 m2'",
                               "a body surface area", "'2 m2'")),
    "gfr_max": Field(with_unit("AUC doses: cap on the GFR (default '125 mL/min')", "a GFR",
                               "'125 mL/min'")),
    "creatinine_min": Field(with_unit("AUC doses: floor of the serum creatinine, e.g. "
                                      "'0.7 mg/dL'", "a creatinine", "'0.7 mg/dL'")),
    "crcl_weight": Field(Text("AUC doses: the weight Cockcroft-Gault uses (default actual; "
                              "auto: adjusted when BMI >= 25)",
                              enum=("actual", "ideal", "adjusted", "auto"))),
}
#: Dose levels: level number -> a percentage of the level-0 dose or an absolute dose.
LEVELS = MapOf(Text("a percentage of the level-0 dose ('80%') or a dose ('75 mg/m2')",
                    number_help="a bare number is not a dose level: write a percentage "
                    "('80%') or a dose with its unit ('75 mg/m2')"),
               description="dose levels: level (a whole number other than 0, e.g. -1) -> "
               "'80%' or a dose", key_pattern=r"[-+]?[1-9][0-9]{0,2}",
               key_help="a dose level is a whole number other than 0, e.g. -1 or -2")

_BAND_EDGE_HELP = bare_number("a band edge", "'15 kg', '2 years', '18 months' or '1 m2'")
#: A banded dose: the band the participant's weight, age or BSA falls in gives the dose.
BANDED_DOSE = Record({
    "by": Field(Text("what the bands are measured in", enum=("weight", "age", "bsa")),
                required=True),
    "bands": Field(ListOf(Record({
        "from": Field(Text("where the band starts (inclusive; default: where the band "
                           "before it ends, or 0)", number_help=_BAND_EDGE_HELP)),
        "below": Field(Text("where the band ends (exclusive); the last band has none",
                            number_help=_BAND_EDGE_HELP)),
        "dose": Field(Text("the flat dose of this band, e.g. '10 mg'", number_help=_BARE_DOSE),
                      required=True),
    }, "one band: from (inclusive) up to below (exclusive)"), min_items=2),
        required=True),
}, "a banded dose: bands in increasing order without gaps or overlaps, the last one open")

STEP = Record({
    "dose": Field(_TextOrBands((Text("the dose of each administration of this step",
                                     number_help=_BARE_DOSE), BANDED_DOSE))),
    "daily_dose": Field(Text("the dose for a day of this step, given in equal parts at each "
                             "of the course's 'times'", number_help=_BARE_DOSE)),
    "cycles": Field(Whole("this dose for the next N cycles (the last step may leave its "
                          "count out: until the course ends)", minimum=1)),
    "administrations": Field(Whole("this dose for the next N administrations", minimum=1)),
    "days": Field(DAYS),
    **_DOSE_EXTRAS,
    "notes": Field(Text()),
}, "one escalation or taper step: exactly one of cycles, administrations or days (the last "
   "step may give none: it lasts until the course ends)")

WINDOW = Either((
    _duration(_DURATION_HELP + ", before and after the target day"),
    Record({"before": Field(_duration(_DURATION_HELP)),
            "after": Field(_duration(_DURATION_HELP))}),
))


#: The record policy (docs/record.md, "Policies"): on a course, or at the top level for
#: every course (a course's own keys win).
POLICY_FIELDS = {
    "on_delay": Field(Text("after a delayed cycle, later cycles of the course move with it "
                           "(shift, the default) or stay on the grid (keep)",
                           enum=ON_DELAY_RULES)),
    "max_delay": Field(_duration("a longer delay is reported as a protocol deviation, e.g. "
                                 "'14 days'")),
    "missed": Field(Text("a missed dose is not made up (skip, the default) or is given later "
                         "(make_up)", enum=MISSED_RULES)),
    "re_escalate": Field(Flag("a reduced dose level may be raised again (default false: "
                              "reductions are permanent)")),
    "redose": Field(Record({
        "weight_change": Field(Text(
            "recompute doses after a new weight only when it differs by at least this much "
            "from the weight the current dose was computed from, e.g. '10%'",
            pattern=r"\s*[0-9]+(\.[0-9]+)?\s*%\s*",
            pattern_help="a percentage is written with %, e.g. '10%'",
            number_help="a bare number is not a percentage: write '10%'"), required=True),
    }, "the re-dosing rule (default: doses are recomputed from each new measurement)")),
}

COURSE = Record({
    "drug": Field(_id("the drug's id (a key of drugs)"), required=True),
    "arms": Field(ListOf(_id("arm id"), min_items=1), ),
    "dose": Field(_TextOrBands((Text("a number and a unit, flat or per kg or per m2; a "
                                     "target AUC ('AUC 5'); or 'unspecified'",
                                     number_help=_BARE_DOSE), BANDED_DOSE))),
    "daily_dose": Field(Text("the dose for a day, given in equal parts at each of 'times' "
                             "(or 'divided' parts), flat or per kg or per m2",
                             number_help=_BARE_DOSE)),
    "divided": Field(Whole("into how many equal administrations a day the daily_dose is "
                           "divided (equal to the number of 'times')", minimum=2)),
    **_DOSE_EXTRAS,
    "levels": Field(LEVELS),
    "placebo": Field(Flag("matching placebo: same schedule, no active amount")),
    "dose_note": Field(Text("why the amount is not fixed, or a remark shown with each dose",
                            single_line=True)),
    "start": Field(Whole("day of the period the course starts on (default 1)", minimum=1)),
    "for": Field(_duration("how long the course lasts (default: to the end of its period)")),
    "cycle": Field(_duration("cycle length: " + _DURATION_HELP + "; or calendar months "
                             "('1 month': each cycle starts on the same day of the month)")),
    "cycles": Field(Whole("number of cycles (default: until the course ends)", minimum=1)),
    "first_cycle": Field(Whole("the protocol's number of the course's first cycle (default 1)",
                               minimum=1)),
    "days": Field(COURSE_DAYS),
    "every": Field(_duration("interval: " + _DURATION_HELP + "; or elapsed hours or "
                             "minutes ('8 hours', with 'at'); or calendar months ('6 months', "
                             "no cycle)")),
    "count": Field(Whole("number of administrations for 'every', or of 'weekdays' (per cycle "
                         "when cycled)", minimum=1)),
    "weekdays": Field(ListOf(Text(enum=WEEKDAYS),
                             min_items=1)),
    "daily": Field(Flag("every day of the cycle or course")),
    "times": Field(ListOf(Text("local time of day, HH:MM",
                               pattern=r"([01][0-9]|2[0-3]):[0-5][0-9]",
                               pattern_help="a time of day is written HH:MM, e.g. '08:00'"),
                          min_items=1)),
    "steps": Field(ListOf(STEP, min_items=1)),
    "route": Field(_line("route for this course, overriding the drug's")),
    "not_on": Field(ListOf(_id("drug id"), min_items=1,
                           description="skip days on which these drugs are given")),
    "no_same_day": Field(ListOf(_id("drug id"), min_items=1,
                                description="drugs that must not be given on this course's "
                                "days (e.g. a participant's background drug)")),
    "label": Field(_line("shown with each administration of the course")),
    "id": Field(_id("course id, unique in the regimen: visits anchored to its cycles name it")),
    "duration": Field(with_unit("how long each administration lasts, elapsed time: "
                                "'30 minutes', '46 hours'", "a duration",
                                "'30 minutes' or '46 hours'")),
    "method": Field(Text("how the dose goes in: a bolus or push is an injection, an "
                         "infusion runs over its duration", enum=METHODS)),
    "at": Field(Text("with an interval in hours: local time of the first administration on "
                     "day 1, HH:MM", pattern=r"([01][0-9]|2[0-3]):[0-5][0-9]",
                     pattern_help="a time of day is written HH:MM, e.g. '08:00'")),
    "notes": Field(Text()),
    "clinic": Field(Flag("given at the site: moved off the site's closed days within its "
                         "window (home-taken doses never move)")),
    "window": Field(WINDOW),
    "min_interval": Field(_duration("least time between a moved administration and the "
                                    "previous and next doses of the drug, e.g. '19 days'")),
    **POLICY_FIELDS,
}, "one drug on one timing pattern within a period")

VISIT = Record({
    "id": Field(_id("visit id"), required=True),
    "label": Field(_line()),
    "day": Field(Whole("Study Day, or with period: day N of that period (0 only with "
                       "day_zero)", not_zero=True, minimum=-MAX_DAYS, maximum=MAX_DAYS,
                       zero_unless="day_zero")),
    "week": Field(Whole("week N is Study Day 7N+1 (with day_zero: Day 7N)", minimum=0,
                        maximum=MAX_DAYS // 7)),
    "month": Field(Whole("the date of Study Day 1 (with day_zero: Day 0) + N calendar "
                         "months, the same day of the month or the month's last day",
                         minimum=1, maximum=MAX_MONTHS)),
    "period": Field(_id("period id")),
    "at": Field(Text("the period's first or last day", enum=("start", "end"))),
    "every": Field(_duration("with period: a visit every N days or weeks of the period, "
                             "from its first day + N")),
    "after_last": Field(_id("drug id: the visit follows the last administration of it")),
    "offset": Field(_duration("with after_last: how long after the last administration "
                              "('30 days'; '0 days' is its day)")),
    "course": Field(_id("course id: the visit is on a day of one of its cycles")),
    "cycle": Field(Whole("with course: the cycle", minimum=1)),
    "window": Field(WINDOW),
    "arms": Field(ListOf(_id("arm id"), min_items=1)),
    "notes": Field(Text()),
}, "a visit: day, week, month, period with at, day or every, after_last with offset, or "
   "course with cycle and day")

EXPECT = Record({
    "arm": Field(_id("arm id"), required=True),
    "drug": Field(_id("drug id"), required=True),
    "administrations": Field(Whole(minimum=0)),
    "total": Field(Text("cumulative dose: absolute, or per kg or per m2 for relative doses",
                        number_help=_BARE_DOSE.replace("a dose", "a total"))),
    "first_day": Field(Whole("Study Day of the first administration", not_zero=True,
                             zero_unless="day_zero")),
    "last_day": Field(Whole("Study Day of the last administration", not_zero=True,
                            zero_unless="day_zero")),
    "weight": Field(Text("reference participant's weight, e.g. '70 kg'")),
    "height": Field(Text("reference participant's height, e.g. '175 cm'")),
    "bsa": Field(Text("reference participant's body surface area, e.g. '1.8 m2'")),
    "lengths": Field(MapOf(_duration(_DURATION_HELP), description="period id: chosen length")),
    "start": Field(Text("date of Study Day 1, YYYY-MM-DD (weekday patterns)",
                        pattern=r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
                        pattern_help="a date is written YYYY-MM-DD")),
    "notes": Field(Text()),
}, "arithmetic the protocol states")

SOURCE = Either((Text(), Record({
    "id": Field(Text()), "title": Field(Text()), "url": Field(Text()), "note": Field(Text()),
    "confidence": Field(Text(enum=("verified", "inferred", "unknown", "conflict"))),
})))

PERIOD = Record({
    "id": Field(_id("period id"), required=True),
    "label": Field(_line()),
    "length": Field(_duration("fixed ('12 weeks') or a range chosen per participant "
                              "('12-18 weeks'; may start at 0: '0-14 days'); or calendar "
                              "months ('18 months', from the period's first day)"),
                    required=True),
    "blinded": Field(Flag("the calendar must not reveal arm, dose level or placebo")),
    "courses": Field(ListOf(COURSE)),
    "notes": Field(Text()),
}, "a period; each starts the day after the previous one ends")

REGIMEN = Record({
    # How editors (VS Code, JetBrains, yaml-language-server) link a file to its JSON Schema.
    # Accepted, not checked, and not kept: it says nothing about the regimen.
    "$schema": Field(Text("URI of a JSON Schema for editors (e.g. the output of "
                          "'regimens schema'); ignored by regimens"), listed=False),
    "format": Field(Text("format version", enum=("regimens/1",)), required=True),
    "id": Field(_id("regimen id"), required=True),
    "title": Field(_line(), required=True),
    "registry": Field(_line("registry number, e.g. NCT02059759")),
    "version": Field(_line("protocol version or amendment")),
    "sources": Field(ListOf(SOURCE)),
    "notes": Field(Text()),
    "day_one": Field(_id("period whose first day is Study Day 1 (default: the arm's first)")),
    "day_zero": Field(Flag("the first day of the day_one period is Study Day 0 (Day -1 "
                           "before it, Day 1 after it), as transplant protocols count")),
    "bsa_max": Field(with_unit("cap on the body surface area of every per-m2 dose without its "
                               "own, e.g. '2 m2'", "a body surface area", "'2 m2'")),
    **POLICY_FIELDS,
    "drugs": Field(MapOf(Record({
        "name": Field(_line(), required=True),
        "route": Field(_line("e.g. subcutaneous, intravenous, oral"), required=True),
        "kind": Field(Text("drug (default) or radiotherapy (doses in Gy, e.g. route: "
                           "external beam)", enum=("drug", "radiotherapy"))),
        "levels": Field(LEVELS),
        "equivalence": Field(Text("a sourced equivalence between USP units and international "
                                  "units, e.g. '1 USP unit = 1000 IU' (bleomycin); without it "
                                  "the two never convert",
                                  number_help="a bare number is not an equivalence: write "
                                  "'1 USP unit = 1000 IU'")),
        "strength": Field(Text("what one unit of the dosage form holds, e.g. '500 mg/tablet', "
                               "'250 mg per capsule' or '10 mg/mL'",
                               number_help="a bare number is not a strength: write an amount "
                               "per dosage form, e.g. '500 mg/tablet'")),
        "vials": Field(ListOf(Text("a vial size, e.g. '500 mg'", number_help=_BARE_AMOUNT),
                              min_items=1, description="the vial sizes stocked; each dose "
                              "is made up of whole vials with the least waste")),
        "notes": Field(Text()),
        # The participant's instructions, printed as written on the handout and diary.
        "food": Field(Text("with or without food, e.g. 'take with a meal'")),
        "storage": Field(Text("how to keep the drug, e.g. 'below 25 °C, in its box'")),
        "missed_dose": Field(Text("what to do after a missed dose, e.g. 'do not take an "
                                  "extra dose'")),
        "vomited_dose": Field(Text("what to do after vomiting a dose")),
        "clinic_day": Field(Text("what to do on a clinic-visit day, e.g. 'bring your "
                                 "tablets and this diary'")),
        "clinic": Field(Flag("every course of the drug is given at the site")),
        "max_cumulative": Field(with_unit("the most the participant may receive in all, flat, "
                                          "per kg or per m2 ('450 mg/m2', '400 USP units'), "
                                          "checked when a record is replayed",
                                          "a cumulative limit",
                                          "'450 mg/m2' or '400 USP units'")),
    }), "drug id: drug", min_items=1), required=True),
    "arms": Field(MapOf(Record({
        "label": Field(_line(), required=True),
        "periods": Field(ListOf(_id("period id"), min_items=1)),
        "day_one": Field(_id("period whose first day is Study Day 1 for this arm")),
        "notes": Field(Text()),
    }), "arm id: arm, in display order", min_items=1), required=True),
    "periods": Field(ListOf(PERIOD, min_items=1), required=True),
    "visits": Field(ListOf(VISIT)),
    "expect": Field(ListOf(EXPECT)),
}, "a clinical-trial dosing regimen", title="regimens format 1")


def structure_problems(cur: Cursor) -> list[Problem]:
    """Every structural problem in a document (types, fields, simple ranges)."""
    return REGIMEN.problems(cur)


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of format 1, as ``regimens schema`` prints it.

    It checks structure (types, required and unknown fields, simple ranges); meaning
    (cross-references, days inside cycles) is checked by :func:`loads` only.
    """
    out: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                           "$id": "https://regimens.invalid/schema/regimens-1.json"}
    out.update(REGIMEN.schema())
    # Day 0 only with day_zero: true (visit days, and the days an expectation states).
    not_zero = {"not": {"const": 0}}
    out["if"] = {"not": {"properties": {"day_zero": {"const": True}},
                         "required": ["day_zero"]}}
    out["then"] = {"properties": {
        "visits": {"items": {"properties": {"day": not_zero}}},
        "expect": {"items": {"properties": {"first_day": not_zero, "last_day": not_zero}}},
    }}
    return out

