"""The regimen file format ``regimens/1``: read, check, build, write, and the catalogue.

The only layer that knows files, YAML and JSON, source lines and field paths:
bytes -> :class:`Document` (``_source``) -> structure (``_schema``, which also
gives the JSON Schema) -> meaning and cross-references (the field readers
``_lengths``, ``_doses``, ``_course_doses``, ``_timing``, ``_policy``, each raising a
located :class:`Fail` from ``_fail``; then ``_build``) -> a
:class:`~regimens.model.Regimen`; and back (``_write``).
"""

from ._closures import read_closed_dates
from ._fail import Fail, fail, unit_fail
from ._lengths import read_duration, read_length
from ._load import catalog_ids, load, loads
from ._schema import json_schema
from ._shapes import (
    ID_PATTERN,
    INVISIBLE,
    Either,
    Field,
    Flag,
    ListOf,
    MapOf,
    Record,
    Shape,
    Text,
    Whole,
    bare_number,
    id_text,
    with_unit,
)
from ._source import MAX_BYTES, Cursor, Document, parse_document, wide_encoding
from ._write import dumps

# The second line: the shapes, cursor and field readers that the library's other document
# format (the supply plan, regimens.supply) is read with, so that its errors have the same
# form (FILE:LINE: field.path: ...) and its JSON Schema the same source as its checks.
__all__ = [
    "ID_PATTERN",
    "INVISIBLE",
    "MAX_BYTES",
    "Cursor",
    "Document",
    "Either",
    "Fail",
    "Field",
    "Flag",
    "ListOf",
    "MapOf",
    "Record",
    "Shape",
    "Text",
    "Whole",
    "bare_number",
    "catalog_ids",
    "dumps",
    "fail",
    "id_text",
    "json_schema",
    "load",
    "loads",
    "parse_document",
    "read_closed_dates",
    "read_duration",
    "read_length",
    "unit_fail",
    "wide_encoding",
    "with_unit",
]

from .._public import claim

claim(globals())
