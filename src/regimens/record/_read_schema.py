"""The JSON Schema of a record file read as YAML or JSON (:mod:`._read`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ._model import EventKind

__all__ = ["record_schema"]


def _cell(description: str, *types: str, pattern: str | None = None,
          enum: Iterable[str] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {"description": description}
    kinds: list[dict[str, Any]] = []
    for kind in types:
        option: dict[str, Any] = {"type": kind}
        if kind == "string" and pattern is not None:
            option["pattern"] = pattern
        if kind == "string" and enum:
            option["enum"] = list(enum)
        kinds.append(option)
    # Not given: null in YAML or JSON, an empty cell in CSV (read as not given, as an
    # empty string in YAML is): each CSV row fits the schema as it is.
    kinds.append({"type": "string", "maxLength": 0})
    kinds.append({"type": "null"})
    out["anyOf"] = kinds
    return out


def record_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a record file read as YAML or JSON: a list of rows.

    A CSV record is the same rows, every cell text: each row of a CSV file, as a mapping
    of its header's columns to its cells (an empty cell an empty string, allowed wherever a
    cell may be empty), fits the schema of a row. It checks structure
    only (columns, types, spellings); :func:`read_record` checks each event's fields and
    :meth:`Record.check_against` the regimen.
    """
    whole = r"^[-+]?[0-9]{1,9}$"
    row = {
        "type": "object",
        "description": "one event of a participant's treatment (docs/record.md)",
        "additionalProperties": False,
        "required": ["date", "event"],
        "properties": {
            "date": _cell("the day it happened or takes effect, YYYY-MM-DD (a void: the "
                          "date of the row it withdraws)", "string",
                          pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
            "event": {"description": "what happened; a void is 'void' and the event of the "
                      "row it withdraws ('void given'), and restates that row's other cells "
                      "but its reason", "type": "string",
                      "enum": [*(k.value for k in EventKind),
                               *(f"void {k.value}" for k in EventKind
                                 if k is not EventKind.VOID)]},
            "drug": _cell("a drug id of the regimen (empty: every drug, where the event "
                          "allows it)", "string"),
            "cycle": _cell("the protocol's cycle number, from 1", "integer", "string",
                           pattern=whole),
            "day": _cell("the cycle day (no day 0; -1 is the day before day 1)", "integer",
                         "string", pattern=whole),
            "amount": _cell("given: the amount given ('60 mg'); measure: the measurement "
                            "with its unit ('68 kg')", "string"),
            "level": _cell("reduce: a dose level (-1), a percentage of the level-0 dose "
                           "('80%'), or both ('-1 (80%)')", "integer", "string",
                           pattern=r"^(?:[-+]?[0-9]{1,3}|[0-9]+(?:\.[0-9]+)?\s*%|[-+]?[0-9]"
                           r"{1,3}\s*\(\s*[0-9]+(?:\.[0-9]+)?\s*%\s*\))$"),
            "reason": _cell("free text, at most 1,000 characters", "string"),
            "time": _cell("the local time of day, HH:MM", "string",
                          pattern=r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$"),
            "line": _cell("void: the line of the row it withdraws", "integer", "string",
                          pattern=whole),
            "planned": _cell("given: the date the administration it fulfils was planned on "
                             "(YYYY-MM-DD), when it was given on another day", "string",
                             pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
        },
    }
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://regimens.invalid/schema/record-1.json",
            "title": "regimens record of treatment",
            "description": "a participant's record of treatment as it happens: one row per "
                           "event, appended to, never edited",
            "type": "array", "items": row}
