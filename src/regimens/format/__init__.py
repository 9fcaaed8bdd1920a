"""The regimen file format ``regimens/1``: read, check, build, write, and the catalogue.

The only layer that knows files, YAML and JSON, source lines and field paths:
bytes -> :class:`Document` (``_source``) -> structure (``_schema``, which also
gives the JSON Schema) -> meaning and cross-references (``_fields``,
``_build``) -> a :class:`~regimens.model.Regimen`; and back (``_write``).
"""

from ._closures import read_closed_dates
from ._load import catalog_ids, load, loads
from ._schema import INVISIBLE, json_schema
from ._source import MAX_BYTES, parse_document
from ._write import dumps

__all__ = ["INVISIBLE", "MAX_BYTES", "catalog_ids", "dumps", "json_schema", "load", "loads",
           "parse_document", "read_closed_dates"]

from .._public import claim

claim(globals())
