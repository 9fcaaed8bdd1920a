"""Text fields: no invisible reordering or hiding characters anywhere, no empty names."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import regimens
from regimens.format import INVISIBLE


def _document() -> dict[str, Any]:
    return {
        "format": "regimens/1", "id": "t", "title": "Trial", "registry": "NCT00000000",
        "version": "2", "notes": "notes",
        "drugs": {"a": {"name": "aspirin", "route": "oral", "notes": "n"}},
        "arms": {"x": {"label": "Active", "notes": "n"}},
        "periods": [{"id": "p", "label": "Treatment", "length": "1 week", "notes": "n",
                     "courses": [{"drug": "a", "dose": "unspecified", "dose_note": "titrated",
                                  "route": "oral", "days": [1], "notes": "n"}]}],
        "visits": [{"id": "v", "label": "Baseline", "day": 1, "notes": "n"}],
    }


#: Every free-text field of a regimen (a path of keys and indices into the document).
TEXT_FIELDS: list[tuple[Any, ...]] = [
    ("title",), ("registry",), ("version",), ("notes",),
    ("drugs", "a", "name"), ("drugs", "a", "route"), ("drugs", "a", "notes"),
    ("arms", "x", "label"), ("arms", "x", "notes"),
    ("periods", 0, "label"), ("periods", 0, "notes"),
    ("periods", 0, "courses", 0, "dose_note"), ("periods", 0, "courses", 0, "route"),
    ("periods", 0, "courses", 0, "notes"),
    ("visits", 0, "label"), ("visits", 0, "notes"),
]
#: Names, routes, titles and labels: printed as the only text of a cell or an event.
NONBLANK = [f for f in TEXT_FIELDS if f[-1] in ("title", "name", "route", "label", "registry",
                                                 "version")]


def _with(path: tuple[Any, ...], value: str) -> str:
    doc = _document()
    node: Any = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return json.dumps(doc)


def _codes(text: str) -> list[str]:
    with pytest.raises(regimens.InvalidRegimenError) as caught:
        regimens.loads(text, "r.json")
    return [p.code for p in caught.value.problems]


def test_the_document_itself_loads() -> None:
    regimens.loads(json.dumps(_document()), "r.json")


@given(field=st.sampled_from(TEXT_FIELDS), char=st.sampled_from(sorted(INVISIBLE)),
       before=st.text("abc -", max_size=5), after=st.text("abc -", max_size=5))
def test_invisible_characters_are_refused_in_every_text_field(
        field: tuple[Any, ...], char: str, before: str, after: str) -> None:
    assert _codes(_with(field, f"x{before}{char}{after}")) == ["invisible-character"]


@pytest.mark.parametrize("field", NONBLANK, ids=lambda f: ".".join(map(str, f)))
@pytest.mark.parametrize("blank", ["", " ", "\t"])
def test_empty_names_routes_titles_and_labels_are_refused(field: tuple[Any, ...],
                                                          blank: str) -> None:
    assert _codes(_with(field, blank)) == ["empty-text"]


def test_right_to_left_text_is_text() -> None:
    regimens.loads(_with(("drugs", "a", "name"), "أسبرين"), "r.json")
    regimens.loads(_with(("title",), "ניסוי"), "r.json")


def test_the_invisible_set_is_the_documented_one() -> None:
    expected = ({chr(c) for c in range(0x202A, 0x202F)} | {chr(c) for c in range(0x2066, 0x206A)}
                | {"\u200e", "\u200f", "\u061c", "\u200b", "\u200c", "\u200d", "\u2060",
                   "\ufeff"}
                # Characters that print as nothing (docs/format.md): soft hyphen, CGJ,
                # Mongolian vowel separator, invisible operators, deprecated format
                # controls, Hangul fillers, tag characters.
                | {"\u00ad", "\u034f", "\u180e", "\u115f", "\u1160", "\u3164", "\uffa0"}
                | {chr(c) for c in range(0x2061, 0x2065)} | {chr(c) for c in range(0x206A, 0x2070)}
                | {chr(0xE0001)} | {chr(c) for c in range(0xE0020, 0xE0080)})
    assert expected == INVISIBLE
