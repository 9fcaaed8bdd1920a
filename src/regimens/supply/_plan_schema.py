"""The declaration of the planning file ``regimens-supply/1``: its structure, checked with
``format``'s shapes before any value is read, and its JSON Schema (:func:`plan_schema`)."""

from __future__ import annotations

from typing import Any

from ..format import (
    Either,
    Field,
    ListOf,
    MapOf,
    Record,
    Text,
    Whole,
    bare_number,
    id_text,
    with_unit,
)
from ._plan import FORMAT

__all__ = ["PLAN", "plan_schema"]


_STATISTIC = r"p(?:100|[1-9]?[0-9](?:\.[0-9]+)?)"


_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


def _id(what: str) -> Text:
    return id_text(what, "paris")


def _date(what: str) -> Text:
    return Text(what, pattern=_DATE, pattern_help="a calendar date is written YYYY-MM-DD")


def _length(what: str) -> Text:
    return with_unit(what, "a length", "'30 days' or '2 weeks'")


def _percent(what: str) -> Text:
    # A minus sign is read, so that a negative percentage is refused with its range
    # (the pattern alone said "written with %" of '-5%').
    return Text(what, pattern=r"\s*-?[0-9]+(?:\.[0-9]+)?\s*%\s*",
                pattern_help="a percentage is written with %, e.g. '10%'",
                number_help="a bare number is not a percentage: write it with %, e.g. '10%'")


_MEASURE = "'{}' (a number and its unit)"


PARTICIPANT = Record({
    "id": Field(Text("the participant's label (never a name)", single_line=True,
                     nonblank=True, max_length=100), required=True),
    "site": Field(_id("the site's id"), required=True),
    "arm": Field(_id("the arm's id in the regimen"), required=True),
    "start": Field(_date("the date of Study Day 1, in the site's calendar"), required=True),
    "weight": Field(with_unit("weight, e.g. '70 kg' or '154 lb'", "a weight",
                              "'70 kg' or '154 lb'")),
    "height": Field(with_unit("height, e.g. '175 cm'", "a height", "'175 cm'")),
    "bsa": Field(with_unit("body surface area, e.g. '1.8 m2'", "a body surface area",
                           "'1.8 m2'")),
    "lengths": Field(MapOf(_length("the length chosen"),
                           "period id: the length chosen for a variable period")),
}, "one participant of a fixed list")


_RATE = r"\s*[0-9]+(?:\.[0-9]+)?\s*/\s*week\s*"


SITE = Record({
    "id": Field(_id("the site's id"), required=True),
    "tz": Field(Text("IANA time zone of the site, for timed doses (e.g. Europe/Paris)")),
    "opens": Field(_date("the date the site opens to enrolment")),
    "rate": Field(Text("participants screened per week (Poisson), e.g. '1.5/week'",
                       pattern=_RATE, pattern_help="a rate is written N/week, e.g. '1.5/week'",
                       number_help="a bare number is not a rate: write it N/week, e.g. "
                       "'1.5/week'")),
    "rate_sd": Field(Text("the uncertainty of the rate: the standard deviation of the gamma "
                          "distribution it is drawn from (Poisson-gamma), e.g. '0.5/week'",
                          pattern=_RATE,
                          pattern_help="a rate is written N/week, e.g. '0.5/week'",
                          number_help="a bare number is not a rate: write it N/week, e.g. "
                          "'0.5/week'")),
    "activation": Field(_length("an uncertain activation: opens this many days or weeks "
                                "after 'opens', uniformly, e.g. '0-8 weeks'")),
}, "a site")


_BARE = bare_number("a body size", "'75 kg' or '172 cm'")


_MOMENTS = Record({
    "mean": Field(Text("the mean, e.g. '75 kg'", number_help=_BARE), required=True),
    "sd": Field(Text("the standard deviation, e.g. '12 kg'", number_help=_BARE),
                required=True),
}, "a mean and standard deviation")


DISTRIBUTION = Record({
    "distribution": Field(Text("the distribution", enum=("normal", "log-normal")),
                          required=True),
    "mean": Field(Text("the mean, for everyone, e.g. '75 kg'", number_help=_BARE)),
    "sd": Field(Text("the standard deviation, for everyone, e.g. '12 kg'",
                     number_help=_BARE)),
    "female": Field(_MOMENTS),
    "male": Field(_MOMENTS),
}, "a body-size distribution, for everyone or by sex")


_LENGTH_KEY = r"[0-9]+ (?:days?|weeks?)"


LENGTH = Either((
    Text("'uniform': every whole week (or day) of the range equally likely",
         enum=("uniform",)),
    Record({"choices": Field(MapOf(Whole("relative weight", minimum=1),
                                   "length: relative weight, e.g. {14 weeks: 2, 18 weeks: 1}",
                                   key_pattern=_LENGTH_KEY, min_items=1,
                                   key_help="a length is written N days or N weeks"),
                             required=True)}, "the lengths to choose from, with weights"),
), "how a variable period's length is chosen per participant")


PACKAGING = Record({
    "vials": Field(ListOf(Text("a vial size, e.g. '1 MIU' or '100 mg'"),
                          "the vial sizes stocked (default: the regimen's vials for the drug)",
                          min_items=1)),
    "placebo_vials": Field(Whole("vials one matching-placebo administration takes",
                                 minimum=1)),
    "kit": Field(Whole("administrations per kit, e.g. 28 (28 tablets, one a day)",
                       minimum=1)),
    "shelf_life": Field(_length("shelf life from release at the depot, e.g. '104 weeks'")),
    "do_not_dispense": Field(_length("days before expiry after which stock is not "
                                     "dispensed, e.g. '30 days'")),
    "lead_time": Field(_length("time from the depot to the site, e.g. '2 weeks'")),
    "buffer": Field(_length("stock kept at the site, in days or weeks of demand, e.g. "
                            "'4 weeks'")),
}, "how a drug is packed and shipped")


PLAN = Record({
    "plan": Field(Text("the planning-file format", enum=(FORMAT,)), required=True),
    "$schema": Field(Text("the JSON Schema, for editors"), listed=False),
    "title": Field(Text("a title", single_line=True, nonblank=True)),
    "participants": Field(ListOf(PARTICIPANT, "a fixed list of participants", min_items=1)),
    "arms": Field(MapOf(Whole("the arm's share of the randomisation ratio", minimum=1),
                        "arm id: ratio, e.g. {il2: 1, placebo: 1}", min_items=1)),
    "block": Field(Whole("the size of the permuted blocks (a multiple of the sum of the "
                         "ratios; default twice it)", minimum=1)),
    "sample_size": Field(Whole("participants randomised before enrolment stops", minimum=1)),
    "screen_failure": Field(_percent("screened participants not randomised, e.g. '20%'")),
    "dropout": Field(Text("the probability per week on treatment of dropping out, e.g. "
                          "'0.5%/week'", pattern=r"\s*[0-9]+(?:\.[0-9]+)?\s*%\s*/\s*week\s*",
                          pattern_help="a dropout rate is written N%/week, e.g. '0.5%/week'")),
    "progression": Field(Record({
        "distribution": Field(Text("the time to progression", enum=("exponential",)),
                              required=True),
        "median": Field(_length("the median time on treatment, e.g. '40 weeks'"),
                        required=True),
    }, "treatment until progression: the time on treatment, a time to event")),
    "weight": Field(DISTRIBUTION),
    "height": Field(DISTRIBUTION),
    "female": Field(_percent("the proportion of participants who are female, e.g. '50%'")),
    "body_sizes": Field(Text("a CSV file of weights, heights and sexes to resample (its "
                             "path from the plan's folder)", single_line=True,
                             nonblank=True)),
    "lengths": Field(MapOf(LENGTH, "period id: how its length is chosen")),
    "sites": Field(ListOf(SITE, min_items=1)),
    "drugs": Field(MapOf(PACKAGING, "drug id: its packaging")),
    "period": Field(Text("the time unit of the forecast", enum=("week", "month"))),
    "statistics": Field(ListOf(Text("a quantile over simulations, e.g. p50 or p95",
                                    pattern=_STATISTIC,
                                    pattern_help="a statistic is pN, a quantile in percent "
                                    "from p0 to p100, e.g. p50 or p97.5"), min_items=1)),
    "overage": Field(_percent("added to what is shipped, e.g. '10%'")),
    "service_level": Field(_percent("the quantile of demand shipped, e.g. '95%'")),
}, "a drug-supply plan for one regimen", title="regimens supply plan 1")


def plan_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the planning file ``regimens-supply/1``.

    It checks structure (types, required and unknown fields, simple forms);
    meaning (dates, quantities, sites) is checked by :func:`loads_plan`.
    """
    out: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                           "$id": "https://regimens.invalid/schema/regimens-supply-1.json"}
    out.update(PLAN.schema())
    # A fixed list of participants, or simulated enrolment.
    out["anyOf"] = [{"required": ["participants"]}, {"required": ["sample_size"]}]
    return out
