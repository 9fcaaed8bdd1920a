"""Reading regimen documents: bytes -> plain values, with the line of every field.

YAML 1.2 only (ruamel.yaml's composer), walked by hand so that nothing but
plain data comes out: no tags, no anchors or aliases (a billion-laughs
document is refused before anything is expanded), no duplicate keys, a size
cap and a depth cap. JSON is read by the same path: it is YAML 1.2.

Floats come out as :class:`~decimal.Decimal` built from the text, so ``1.10``
stays one point one zero and never passes through binary floating point.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import field
from decimal import Decimal
from typing import Any

from .._records import dataclass
from ..errors import NO_VALUE, InvalidRegimenError, Loc, Problem, format_loc

__all__ = ["MAX_BYTES", "Cursor", "Document", "parse_document", "wide_encoding"]

#: Regimen files are small; anything larger is a mistake or an attack.
MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40
#: Longest whole number read from a file (a typing mistake long before this).
MAX_DIGITS = 30

PathKey = str | int
Path = Loc

# YAML 1.2 core schema integers (no octal "010", no sexagesimal "8:30").
_INT_DEC = re.compile(r"[-+]?[0-9]+\Z")
_INT_OCT = re.compile(r"0o[0-7]+\Z")
_INT_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_STANDARD = "tag:yaml.org,2002:"
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Document:
    """A parsed document: its plain value and the line of each field path."""

    name: str
    value: Any
    lines: dict[Path, int] = field(default_factory=dict, compare=False, repr=False)

    def root(self) -> Cursor:
        return Cursor(self, ())


@dataclass(frozen=True)
class Cursor:
    """A position in a document: reads values and makes located problems."""

    doc: Document
    path: Path

    @property
    def value(self) -> Any:
        value = self.doc.value
        for key in self.path:
            value = value[key]
        return value

    @property
    def line(self) -> int | None:
        path = self.path
        while path:
            if path in self.doc.lines:
                return self.doc.lines[path]
            path = path[:-1]
        return self.doc.lines.get((), None)

    @property
    def where(self) -> str:
        return format_loc(self.path)

    def at(self, key: PathKey) -> Cursor:
        return Cursor(self.doc, (*self.path, key))

    def has(self, key: str) -> bool:
        value = self.value
        return isinstance(value, dict) and key in value

    def get(self, key: str, default: Any = None) -> Any:
        value = self.value
        if isinstance(value, dict):
            return value.get(key, default)
        return default

    def items(self) -> Iterator[tuple[int, Cursor]]:
        for index in range(len(self.value)):
            yield index, self.at(index)

    def problem(self, message: str, *, code: str, value: Any = None,
                show_value: bool = True) -> Problem:
        """A problem at this position; its value is ``value``, else the value here.

        ``show_value=False`` for a problem about the field as a whole (a missing
        key, a combination) whose value would say nothing.
        """
        shown = (self.value if value is None else value) if show_value else NO_VALUE
        return Problem(self.doc.name, self.line, self.path, message, shown, code=code)


@dataclass(frozen=True)
class _Joined:
    """A value joined from a number and the rest a comma split off it (``80,5 mg/m2``):
    a plain scalar spanning both, as :meth:`_Walker.comma_split` reads the previous value."""

    start_mark: Any
    end_mark: Any
    style: None = None


class _Walker:
    def __init__(self, name: str, text: str = "") -> None:
        self.name = name
        self.text = text
        self.lines: dict[Path, int] = {}
        self.seen: set[int] = set()

    def comma_split(self, before: Any, key_node: Any, value_node: Any) -> bool:
        """Whether the entry ``key_node`` of a flow mapping is the rest of a number the
        comma before it split off ``before`` (the previous entry's value node): in
        ``{dose: 80,5 mg/m2}`` the comma ends the value, leaving ``dose: 80`` and a key
        ``5 mg/m2`` with no value (no colon). Such a key (plain, starting with a digit,
        written right after the comma that follows a plain value ending in a digit) is
        joined back to the value as written, so that the field reading it says what is
        wrong with the number ("has a comma"), as in a block mapping, rather than report
        an unknown field and a bare number."""
        if before is None or type(key_node).__name__ != "ScalarNode":
            return False
        key_end = key_node.end_mark.index
        return (key_node.style is None and str(key_node.value)[:1].isdigit()
                and type(value_node).__name__ == "ScalarNode"
                and str(value_node.tag) == _STANDARD + "null"
                and value_node.start_mark.index == key_end
                and self.text[key_end:key_end + 1] != ":"
                and type(before).__name__ in ("ScalarNode", "_Joined")
                and before.style is None
                and self.text[before.start_mark.index:before.end_mark.index][-1:].isdigit()
                and self.text[before.end_mark.index:key_node.start_mark.index] == ",")

    def fail(self, line: int | None, path: Path, message: str, value: Any = NO_VALUE, *,
             code: str) -> None:
        raise InvalidRegimenError([Problem(self.name, line, path, message, value, code=code)])

    def walk(self, node: Any, path: Path, depth: int) -> Any:
        line = node.start_mark.line + 1
        # An alias is the same node object reached twice; refusing it stops
        # "billion laughs" documents before any expansion happens.
        if id(node) in self.seen or getattr(node, "anchor", None):
            self.fail(line, path, "anchors and aliases (& and *) are not allowed in regimen files",
                      code="yaml-alias")
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self.fail(line, path, f"the document is nested more than {MAX_DEPTH} levels deep",
                      code="too-deep")
        tag = str(node.tag)
        kind = type(node).__name__
        if kind == "MappingNode":
            self.check_tag(tag, "map", line, path)
            result: dict[str, Any] = {}
            last: tuple[str, Any] | None = None  # the previous entry: its key, value node
            for key_node, value_node in node.value:
                if node.flow_style and last is not None and self.comma_split(
                        last[1], key_node, value_node):
                    # "80,5 mg/m2": the value as written, with its comma (see comma_split).
                    start = last[1].start_mark.index
                    result[last[0]] = self.text[start:key_node.end_mark.index]
                    last = (last[0], _Joined(last[1].start_mark, key_node.end_mark))
                    continue
                key_line = key_node.start_mark.line + 1
                if type(key_node).__name__ != "ScalarNode":
                    self.fail(key_line, path, "mapping keys must be plain text",
                              code="key-not-text")
                key = str(key_node.value)
                if key in result:
                    self.fail(key_line, (*path, key), "duplicate key", key, code="duplicate-key")
                self.lines[(*path, key)] = key_line
                result[key] = self.walk(value_node, (*path, key), depth + 1)
                last = (key, value_node)
            return result
        if kind == "SequenceNode":
            self.check_tag(tag, "seq", line, path)
            items = []
            for index, item in enumerate(node.value):
                self.lines[(*path, index)] = item.start_mark.line + 1
                items.append(self.walk(item, (*path, index), depth + 1))
            return items
        return self.scalar(node, tag, line, path)

    def check_tag(self, tag: str, expected: str, line: int, path: Path) -> None:
        if tag != _STANDARD + expected:
            self.fail(line, path, "YAML tags (!!...) are not allowed in regimen files", tag,
                      code="yaml-tag")

    def scalar(self, node: Any, tag: str, line: int, path: Path) -> Any:
        if tag not in _IMPLICIT:
            self.fail(line, path, "YAML tags (!!...) are not allowed in regimen files", tag,
                      code="yaml-tag")
        text: str = node.value
        kind = tag[len(_STANDARD) :]
        if kind == "null":
            return None
        if kind == "bool":
            return text.lower() == "true"
        if kind == "int":
            if len(text) > MAX_DIGITS:
                # int() refuses more than 4,300 digits; no regimen value needs more than a few.
                self.fail(line, path, f"the number has more than {MAX_DIGITS} digits; no "
                          "value in a regimen file is that large", text, code="too-many-digits")
            if _INT_DEC.match(text):
                return int(text, 10)
            if _INT_OCT.match(text):
                return int(text[2:], 8)
            if _INT_HEX.match(text):
                return int(text[2:], 16)
            return text
        if kind == "float" and _FLOAT.match(text):
            return Decimal(text)
        if node.style == ">":
            # ruamel marks each fold of a folded (>) block with \a; the fold itself is kept.
            text = text.replace("\x07", "")
        if _SURROGATE.search(text):
            # "\ud83d\udc89" escapes give UTF-16 halves: pair them into one character. A lone
            # half is no character at all, and UTF-8 output could not encode it.
            try:
                text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
            except UnicodeDecodeError:
                self.fail(line, path, "the text has an unpaired UTF-16 surrogate escape "
                          "(\\ud800 to \\udfff); write the character itself or a \\U escape",
                          text, code="unpaired-surrogate")
        # str, timestamp, and .inf/.nan: text, refused by the field that reads it.
        return text


_IMPLICIT = {_STANDARD + k for k in ("str", "int", "float", "bool", "null", "timestamp")}


#: Byte-order marks of the encodings a file saved as "Unicode text" has, longest first (a
#: UTF-32 LE mark starts with the UTF-16 LE one).
_MARKS = ((b"\xff\xfe\x00\x00", "UTF-32 LE"), (b"\x00\x00\xfe\xff", "UTF-32 BE"),
          (b"\xff\xfe", "UTF-16 LE"), (b"\xfe\xff", "UTF-16 BE"))


def wide_encoding(data: bytes) -> str | None:
    """The UTF-16 or UTF-32 encoding ``data`` is in, as a message names it ("UTF-16 LE":
    little-endian), or None. Known by its byte-order mark, or, without one, by text whose
    every other byte is NUL from the first byte on (as ASCII text in UTF-16 is), or in
    UTF-32 whose every character is in the Basic Multilingual Plane and not NUL (the two
    high bytes of every four NUL, the two others not both): Excel's "Unicode Text" and
    Windows editors write these, and a file in them is not UTF-8. UTF-32 is told first:
    its ASCII text also has every other byte NUL."""
    for mark, encoding in _MARKS:
        if data.startswith(mark):
            return encoding
    sample = data[:256]
    if len(sample) >= 4 and len(sample) % 4 == 0:
        units = range(0, len(sample), 4)
        if (not any(sample[2::4]) and not any(sample[3::4])
                and all(sample[i] or sample[i + 1] for i in units)):
            return "UTF-32 LE (with no byte-order mark)"
        if (not any(sample[0::4]) and not any(sample[1::4])
                and all(sample[i + 2] or sample[i + 3] for i in units)):
            return "UTF-32 BE (with no byte-order mark)"
    if len(sample) >= 4 and len(sample) % 2 == 0:
        if not any(sample[1::2]) and all(sample[0::2]):
            return "UTF-16 LE (with no byte-order mark)"
        if not any(sample[0::2]) and all(sample[1::2]):
            return "UTF-16 BE (with no byte-order mark)"
    return None


def parse_document(data: bytes | str, name: str = "<string>") -> Document:
    """Parse YAML 1.2 or JSON text into a :class:`Document`.

    >>> doc = parse_document("a: 1\\nb: [x, 8:30]\\n", "demo.yaml")
    >>> doc.value
    {'a': 1, 'b': ['x', '8:30']}
    >>> doc.lines[("b", 1)]
    2
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    def fail(message: str, line: int | None = None, *, code: str) -> InvalidRegimenError:
        return InvalidRegimenError([Problem(name, line, (), message, code=code)])

    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    if size > MAX_BYTES:
        raise fail(f"the file is {size:,} bytes; regimen files are limited to {MAX_BYTES:,} bytes",
                   code="file-too-large")
    if isinstance(data, bytes):
        wide = wide_encoding(data)
        if wide is not None:
            raise fail(f"the file is {wide} text, not UTF-8: save it as UTF-8", 1,
                       code="not-utf8")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise fail(
                f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                line,
             code="not-utf8") from None
    else:
        text = data.removeprefix("\ufeff")
    if "\x00" in text:
        raise fail("the file contains a NUL character; regimen files are text", None,
                   code="nul-character")
    if not text.strip():
        raise fail("the file is empty; a regimen starts with 'format: regimens/1'",
                   code="empty-file")

    yaml = YAML(typ="rt", pure=True)
    yaml.version = (1, 2)
    try:
        node = yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where: int | None = mark.line + 1 if mark is not None else None
        reason = exc.problem or exc.context or "not valid YAML"
        if "\t" in text and "\\t" in reason:
            reason += " (YAML does not allow tabs for indentation: use spaces)"
        raise fail(f"not valid YAML: {reason}", where, code="invalid-yaml") from None
    except YAMLError as exc:
        raise fail(f"not valid YAML: {exc}", code="invalid-yaml") from None
    except RecursionError:
        raise fail(f"the document is nested more than {MAX_DEPTH} levels deep",
                   code="too-deep") from None
    if node is None:
        raise fail("the file is empty; a regimen starts with 'format: regimens/1'",
                   code="empty-file")
    walker = _Walker(name, text)
    walker.lines[()] = node.start_mark.line + 1
    value = walker.walk(node, (), 0)
    return Document(name=name, value=value, lines=walker.lines)
