"""The shapes a document's structure is declared with (text, whole numbers, flags, lists,
alternatives, records, mappings): each checks a value at a cursor and gives its part of
the JSON Schema. The regimen file's declarations, made of them, are in ``_schema``."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from .._records import dataclass
from ..errors import Problem
from ..model import closest
from ._source import Cursor

__all__ = [
    "ID_PATTERN",
    "INVISIBLE",
    "Either",
    "Field",
    "Flag",
    "ListOf",
    "MapOf",
    "Record",
    "Shape",
    "Text",
    "Whole",
    "bare_number",
    "id_text",
    "with_unit",
]

#: Refused in every text field: bidirectional controls (U+202A-U+202E, U+2066-U+2069,
#: U+200E, U+200F, U+061C), which reorder the characters around them when printed
#: ("Trojan Source", CVE-2021-42574), and zero-width characters (U+200B-U+200D, U+2060,
#: U+FEFF), which hide a difference between two texts that look the same, and the other
#: characters that print as nothing: the soft hyphen (U+00AD), the combining grapheme
#: joiner (U+034F), the Mongolian vowel separator (U+180E), the invisible operators
#: (U+2061-U+2064), the deprecated format controls (U+206A-U+206F), the Hangul fillers
#: (U+115F, U+1160, U+3164, U+FFA0: a title of one of them looks empty) and the tag
#: characters (U+E0001, U+E0020-U+E007F), which can carry hidden text.
INVISIBLE = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    "\u200b\u200c\u200d\u2060\ufeff"
    "\u00ad\u034f\u180e\u2061\u2062\u2063\u2064\u206a\u206b\u206c\u206d\u206e\u206f"
    "\u115f\u1160\u3164\uffa0\U000e0001"
    + "".join(chr(c) for c in range(0xE0020, 0xE0080)))


class Shape:
    description: str = ""

    def problems(self, cur: Cursor) -> list[Problem]:  # pragma: no cover - abstract
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def noun(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def _with_description(self, out: dict[str, Any]) -> dict[str, Any]:
        if self.description:
            out["description"] = self.description
        return out


@dataclass
class Text(Shape):
    """A text value: its allowed values or pattern, length and which characters it refuses."""

    description: str = ""
    pattern: str | None = None
    pattern_help: str = ""
    enum: tuple[str, ...] = ()
    max_length: int = 10_000
    single_line: bool = False  # a name or label shown in one table cell or one SUMMARY
    nonblank: bool = False  # a name, route, title or label: nothing to print is refused
    number_help: str = ""  # said instead of "expected text" when a bare number is given

    def noun(self) -> str:
        return "text"

    def problems(self, cur: Cursor) -> list[Problem]:
        value = cur.value
        if not isinstance(value, str):
            if self.number_help and isinstance(value, int | Decimal) and not isinstance(
                    value, bool):
                return [cur.problem(self.number_help, code="bare-number")]
            return [cur.problem(f"expected {self.noun()}", code="wrong-type")]
        if self.enum and value not in self.enum:
            options = ", ".join(self.enum)
            return [cur.problem(f"must be one of: {options}", code="not-one-of")]
        if self.pattern and not re.fullmatch(self.pattern, value):
            helped = self.pattern_help or f"must match {self.pattern}"
            if "\\." in self.pattern and re.search(r"[0-9],[0-9]", value):
                # "10,5%": a decimal comma, said as every quantity's is (the pattern takes a
                # decimal point).
                helped = ("the number has a comma: write a decimal point and no thousands "
                          f"separators; {helped}")
            return [cur.problem(helped, code="pattern-mismatch")]
        if len(value) > self.max_length:
            return [cur.problem(f"is longer than {self.max_length:,} characters",
                                value=value[:40] + "...", code="too-long")]
        # C0 and C1 controls and DEL: invisible, and some are terminal escapes (U+009B).
        if any((ord(c) < 32 and c not in "\t\n") or 0x7f <= ord(c) <= 0x9f for c in value):
            return [cur.problem("contains control characters (only tab and newline are allowed)",
                                code="control-characters")]
        if self.single_line and any(c in "\n\u2028\u2029" for c in value):
            return [cur.problem("must be one line: line breaks are allowed in notes only",
                                code="not-one-line")]
        hidden = next((c for c in value if c in INVISIBLE), None)
        if hidden is not None:
            # A right-to-left override in a drug name reverses the dose printed after it.
            return [cur.problem(
                f"contains U+{ord(hidden):04X} ({unicodedata.name(hidden).lower()}), an "
                "invisible character that can reorder or hide the text around it; remove it",
                code="invisible-character")]
        if self.nonblank and not value.strip():
            return [cur.problem("must not be empty (an optional field is left out instead)",
                                code="empty-text")]
        return []

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string"}
        if self.enum:
            out["enum"] = list(self.enum)
        if self.pattern:
            out["pattern"] = f"^(?:{self.pattern})$"
        elif self.nonblank:
            out["pattern"] = r"\S"
        return self._with_description(out)


@dataclass
class Whole(Shape):
    """A whole number (never a bool), within bounds; 0 refused where there is no Day 0."""

    description: str = ""
    minimum: int | None = None
    not_zero: bool = False
    maximum: int | None = None
    zero_help: str = "there is no day 0: the day before Day 1 is Day -1"
    #: A top-level flag that allows 0 after all (``day_zero``: the protocol has a Day 0).
    zero_unless: str = ""

    def noun(self) -> str:
        return "a whole number"

    def problems(self, cur: Cursor) -> list[Problem]:
        value = cur.value
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, Decimal) and value == value.to_integral_value():
                return [cur.problem("expected a whole number without a decimal point",
                                    code="not-whole-number")]
            return [cur.problem("expected a whole number", code="wrong-type")]
        if self.minimum is not None and value < self.minimum:
            return [cur.problem(f"must be at least {self.minimum:,}", code="too-small")]
        if self.maximum is not None and value > self.maximum:
            return [cur.problem(f"must be at most {self.maximum:,}", code="too-large")]
        if self.not_zero and value == 0 and not self._zero_allowed(cur):
            return [cur.problem(self.zero_help, code="day-zero")]
        return []

    def _zero_allowed(self, cur: Cursor) -> bool:
        root = cur.doc.value
        return bool(self.zero_unless) and isinstance(root, dict) and (
            root.get(self.zero_unless) is True)

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "integer"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        if self.not_zero and not self.zero_unless:  # else: the root's "if day_zero" rule
            out["not"] = {"const": 0}
        return self._with_description(out)


@dataclass
class Flag(Shape):
    """true or false."""

    description: str = ""

    def noun(self) -> str:
        return "true or false"

    def problems(self, cur: Cursor) -> list[Problem]:
        if not isinstance(cur.value, bool):
            return [cur.problem("expected true or false", code="wrong-type")]
        return []

    def schema(self) -> dict[str, Any]:
        return self._with_description({"type": "boolean"})


@dataclass
class ListOf(Shape):
    """A list whose items all have one shape."""

    items: Shape
    description: str = ""
    min_items: int = 0

    def noun(self) -> str:
        return "a list"

    def problems(self, cur: Cursor) -> list[Problem]:
        if not isinstance(cur.value, list):
            return [cur.problem("expected a list", code="wrong-type")]
        if len(cur.value) < self.min_items:
            return [cur.problem(f"needs at least {self.min_items} item(s)", code="too-few-items")]
        out: list[Problem] = []
        for _, item in cur.items():
            out += self.items.problems(item)
        return out

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "array", "items": self.items.schema()}
        if self.min_items:
            out["minItems"] = self.min_items
        return self._with_description(out)


@dataclass
class Either(Shape):
    """One of several shapes (a problem is reported for the one of the value's type)."""

    options: tuple[Shape, ...]
    description: str = ""

    def noun(self) -> str:
        return " or ".join(o.noun() for o in self.options)

    def problems(self, cur: Cursor) -> list[Problem]:
        results = [o.problems(cur) for o in self.options]
        if any(not r for r in results):
            return []
        # Report the option of the right type if there is one, else the choice.
        for option, found in zip(self.options, results, strict=True):
            if _type_matches(option, cur.value):
                return found
        return [cur.problem(f"expected {self.noun()}", code="wrong-type")]

    def schema(self) -> dict[str, Any]:
        return self._with_description({"anyOf": [o.schema() for o in self.options]})


def _type_matches(shape: Shape, value: Any) -> bool:
    if isinstance(shape, Text):
        return isinstance(value, str)
    if isinstance(shape, Whole):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(shape, Flag):
        return isinstance(value, bool)
    if isinstance(shape, ListOf):
        return isinstance(value, list)
    return isinstance(value, dict)


@dataclass
class Field:
    """A field of a :class:`Record`: its shape, and whether it is required and listed."""

    shape: Shape
    required: bool = False
    #: Named in the "allowed here" list of an unknown field's error (``$schema`` is not:
    #: it is for editors, and would only distract from the field meant).
    listed: bool = True


@dataclass
class Record(Shape):
    """A mapping with named fields (an unknown one is refused, with the closest name)."""

    fields: dict[str, Field]
    description: str = ""
    title: str = ""

    def noun(self) -> str:
        return "a mapping"

    def problems(self, cur: Cursor) -> list[Problem]:
        value = cur.value
        if not isinstance(value, dict):
            return [cur.problem("expected a mapping (key: value)", code="wrong-type")]
        out: list[Problem] = []
        for key in value:
            if key not in self.fields:
                near = closest(key, self.fields)
                hint = f"; did you mean {near!r}?" if near else ""
                allowed = ", ".join(k for k, f in self.fields.items() if f.listed)
                out.append(cur.at(key).problem(
                    f"unknown field{hint} (allowed here: {allowed})", value=key,
                    code="unknown-field"))
        for name, spec in self.fields.items():
            if name in value:
                out += spec.shape.problems(cur.at(name))
            elif spec.required:
                out.append(cur.problem(f"missing required field {name!r}", show_value=False,
                                       code="missing-field"))
        return out

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": "object",
            "properties": {k: f.shape.schema() for k, f in self.fields.items()},
            "additionalProperties": False,
        }
        required = [k for k, f in self.fields.items() if f.required]
        if required:
            out["required"] = required
        if self.title:
            out["title"] = self.title
        return self._with_description(out)


@dataclass
class MapOf(Shape):
    """A mapping from keys to entries of one shape: by default the keys are ids
    (lower-case letters, digits, hyphens); ``key_pattern`` and ``key_help`` say what else
    they are where they are not (a dose level's number, ``LEVELS``: ``-1``, ``+2``; a
    length as written, a plan's length ``choices``: ``12 weeks``)."""

    values: Shape
    description: str = ""
    key_pattern: str = r"[a-z0-9][a-z0-9-]*"
    min_items: int = 0
    key_help: str = "ids use lower-case letters, digits and hyphens"

    def noun(self) -> str:
        return "a mapping"

    def problems(self, cur: Cursor) -> list[Problem]:
        value = cur.value
        if not isinstance(value, dict):
            return [cur.problem("expected a mapping of id: entry", code="wrong-type")]
        out: list[Problem] = []
        if len(value) < self.min_items:
            out.append(cur.problem(f"needs at least {self.min_items} entry", show_value=False,
                                   code="too-few-items"))
        for key in value:
            if not re.fullmatch(self.key_pattern, key):
                out.append(cur.at(key).problem(self.key_help, value=key, code="bad-id"))
            out += self.values.problems(cur.at(key))
        return out

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": "object",
            "propertyNames": {"pattern": f"^{self.key_pattern}$"},
            "additionalProperties": self.values.schema(),
        }
        if self.min_items:
            out["minProperties"] = self.min_items
        return self._with_description(out)


# The words of a declaration, shared by the library's document formats (the regimen file,
# the supply plan), so that the same kind of field says the same thing in both.

#: An id: lower-case letters, digits and hyphens, not starting with a hyphen.
ID_PATTERN = r"[a-z0-9][a-z0-9-]*"


def id_text(description: str, example: str) -> Text:
    """An id field (:data:`ID_PATTERN`); one that does not match is told what ids are made of,
    with ``example`` (an id of the document's own kind: ``'il2-1miu'``, ``'paris'``)."""
    return Text(description, pattern=ID_PATTERN,
                pattern_help=f"ids use lower-case letters, digits and hyphens (e.g. '{example}')")


def bare_number(what: str, example: str) -> str:
    """What a bare number is told where a quantity with its unit is wanted: ``a bare number
    is not WHAT: give its unit, e.g. EXAMPLE`` (``what`` with its article: ``"a length"``)."""
    return f"a bare number is not {what}: give its unit, e.g. {example}"


def with_unit(description: str, what: str, example: str) -> Text:
    """A quantity written with its unit (``'70 kg'``); a bare number is refused with
    :func:`bare_number`'s words."""
    return Text(description, number_help=bare_number(what, example))
