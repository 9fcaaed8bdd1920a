"""Reading regimen files safely: YAML 1.2 only, plain data only, every field located."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest

import regimens
from regimens import InvalidRegimenError
from regimens.format import MAX_BYTES, parse_document


def _problems(data: str | bytes) -> list[str]:
    with pytest.raises(InvalidRegimenError) as info:
        parse_document(data, "f.yaml")
    return [str(p) for p in info.value.problems]


LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]"
       for i in range(8)]
) + "\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("a: 1\nb: 2\na: 3\n", "f.yaml:3: a: duplicate key (got 'a')"),
        ("x:\n  a: 1\n  a: 2\n", "f.yaml:3: x.a: duplicate key (got 'a')"),
        ("a: &x 1\nb: *x\n",
         "f.yaml:1: a: anchors and aliases (& and *) are not allowed in regimen files"),
        ("a: &x 1\n",
         "f.yaml:1: a: anchors and aliases (& and *) are not allowed in regimen files"),
        (LAUGHS, "f.yaml:1: a: anchors and aliases (& and *) are not allowed in regimen files"),
        ("a: !!python/object:os.system {}\n",
         "f.yaml:1: a: YAML tags (!!...) are not allowed in regimen files "
         "(got 'tag:yaml.org,2002:python/object:os.system')"),
        ("a: !!python/name:os.system\n",
         "f.yaml:1: a: YAML tags (!!...) are not allowed in regimen files "
         "(got 'tag:yaml.org,2002:python/name:os.system')"),
        ("a: !foo 1\n",
         "f.yaml:1: a: YAML tags (!!...) are not allowed in regimen files (got '!foo')"),
        ("a: !!set {x, y}\n",
         "f.yaml:1: a: YAML tags (!!...) are not allowed in regimen files "
         "(got 'tag:yaml.org,2002:set')"),
        ("a:\n\tb: 1\n",
         "f.yaml:2: (document): not valid YAML: found character '\\t' that cannot start any "
         "token (YAML does not allow tabs for indentation: use spaces)"),
        ("", "f.yaml: (document): the file is empty; a regimen starts with 'format: regimens/1'"),
        ("  \n\n", "f.yaml: (document): the file is empty; a regimen starts with "
                   "'format: regimens/1'"),
        ("# only a comment\n", "f.yaml: (document): the file is empty; a regimen starts with "
                               "'format: regimens/1'"),
        ("a: 1\x00\n",
         "f.yaml: (document): the file contains a NUL character; regimen files are text"),
        ("a: 1\n---\nb: 2\n", "f.yaml:2: (document): not valid YAML: but found another document"),
        ("? [a]\n: 1\n", "f.yaml:1: (document): mapping keys must be plain text"),
        ("a: [1, 2\n", "f.yaml:2: (document): not valid YAML: expected ',' or ']', "
                       "but got '<stream end>'"),
    ],
    ids=["duplicate", "duplicate-nested", "alias", "anchor", "billion-laughs", "python-object",
         "python-name", "local-tag", "set-tag", "tab", "empty", "blank", "comment-only", "nul",
         "two-documents", "complex-key", "unclosed"],
)
def test_refused(data: str, expected: str) -> None:
    assert _problems(data) == [expected]


def test_billion_laughs_fails_fast() -> None:
    # Nine levels of nine aliases: 9^9 "lol"s if anything expanded them.
    began = time.perf_counter()
    with pytest.raises(InvalidRegimenError):
        regimens.loads(LAUGHS)
    assert time.perf_counter() - began < 1.0


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a: \xff\xfe\n",
         "f.yaml:1: (document): the file is not UTF-8 text (byte 0xff at offset 3)"),
        ("a: 1\nb: é\n".encode("latin-1"),
         "f.yaml:2: (document): the file is not UTF-8 text (byte 0xe9 at offset 8)"),
        # A file saved as "Unicode" is named, with what to do (cold try 5, finding 9).
        ("a: 1\n".encode("utf-16"),
         "f.yaml:1: (document): the file is UTF-16 LE text, not UTF-8: save it as UTF-8"),
        (b"\xfe\xff" + "a: 1\n".encode("utf-16-be"),
         "f.yaml:1: (document): the file is UTF-16 BE text, not UTF-8: save it as UTF-8"),
        ("a: 1\n".encode("utf-32"),
         "f.yaml:1: (document): the file is UTF-32 LE text, not UTF-8: save it as UTF-8"),
        (b"\x00\x00\xfe\xff" + "a: 1\n".encode("utf-32-be"),
         "f.yaml:1: (document): the file is UTF-32 BE text, not UTF-8: save it as UTF-8"),
        ("a: 1\n".encode("utf-16-le"),
         "f.yaml:1: (document): the file is UTF-16 LE (with no byte-order mark) text, not "
         "UTF-8: save it as UTF-8"),
        ("a: 1\n".encode("utf-16-be"),
         "f.yaml:1: (document): the file is UTF-16 BE (with no byte-order mark) text, not "
         "UTF-8: save it as UTF-8"),
        # UTF-32 without its mark: three NUL bytes of every four (it said "the file
        # contains a NUL character").
        ("a: 1\n".encode("utf-32-le"),
         "f.yaml:1: (document): the file is UTF-32 LE (with no byte-order mark) text, not "
         "UTF-8: save it as UTF-8"),
        ("a: 1\n".encode("utf-32-be"),
         "f.yaml:1: (document): the file is UTF-32 BE (with no byte-order mark) text, not "
         "UTF-8: save it as UTF-8"),
        # Beyond ASCII (é is U+00E9, € U+20AC): still named.
        ("a: é€\n".encode("utf-32-le"),
         "f.yaml:1: (document): the file is UTF-32 LE (with no byte-order mark) text, not "
         "UTF-8: save it as UTF-8"),
        ("a: é€\n".encode("utf-32-be"),
         "f.yaml:1: (document): the file is UTF-32 BE (with no byte-order mark) text, not "
         "UTF-8: save it as UTF-8"),
    ],
    ids=["ff", "latin-1", "utf-16", "utf-16-be", "utf-32", "utf-32-be", "utf-16-le-no-bom",
         "utf-16-be-no-bom", "utf-32-le-no-bom", "utf-32-be-no-bom", "utf-32-le-no-bom-euro",
         "utf-32-be-no-bom-euro"],
)
def test_non_utf8(data: bytes, expected: str) -> None:
    assert _problems(data) == [expected]


def test_utf8_bom_accepted() -> None:
    assert parse_document(b"\xef\xbb\xbfa: 1\n", "f.yaml").value == {"a": 1}
    assert parse_document("\ufeffa: 1\n", "f.yaml").value == {"a": 1}


def test_oversize_refused() -> None:
    assert _problems(b"#" * (MAX_BYTES + 1)) == [
        "f.yaml: (document): the file is 2,097,153 bytes; regimen files are limited to "
        "2,097,152 bytes"]
    assert MAX_BYTES == 2 * 1024 * 1024


def test_oversize_file_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(InvalidRegimenError) as info:
        regimens.load(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}: (document): the file is 2,097,153 bytes; regimen files are limited to "
        "2,097,152 bytes"]


def test_exactly_max_bytes_is_read() -> None:
    data = b"a: 1\n" + b"#" * (MAX_BYTES - 5)
    assert len(data) == MAX_BYTES
    assert parse_document(data, "f.yaml").value == {"a": 1}


@pytest.mark.parametrize(
    "data",
    ["a: " + "[" * 41 + "]" * 41 + "\n",
     "a: " + "[" * 200 + "]" * 200 + "\n",
     "a: " + "{a: " * 2000 + "1" + "}" * 2000 + "\n"],
    ids=["41", "200-lists", "2000-maps"],
)
def test_deep_nesting_refused(data: str) -> None:
    (line,) = _problems(data)
    assert line.endswith(": the document is nested more than 40 levels deep")


def test_forty_levels_accepted() -> None:
    value = parse_document("a: " + "[" * 39 + "]" * 39 + "\n", "f.yaml").value
    depth = 0
    node = value["a"]
    while node:
        node = node[0]
        depth += 1
    assert depth == 38


@pytest.mark.parametrize(
    ("yaml", "expected"),
    [
        ("8:30", "8:30"),  # YAML 1.1 sexagesimal: 510
        ("12:30", "12:30"),  # YAML 1.1: 750
        ("NO", "NO"),  # YAML 1.1: false
        ("no", "no"),
        ("on", "on"),  # YAML 1.1: true
        ("yes", "yes"),
        ("010", 10),  # YAML 1.1: octal 8
        ("0o17", 15),
        ("0x1F", 31),
        ("1.10", Decimal("1.10")),  # never a float: 1.10 stays one point one zero
        ("1e3", Decimal("1e3")),  # YAML 1.1: the string '1e3'
        ("2027-03-14", "2027-03-14"),  # never a datetime.date
        ("true", True),
        ("True", True),
        ("false", False),
        ("null", None),
        ("~", None),
        (".inf", ".inf"),
        (".nan", ".nan"),
        ("'8'", "8"),
        ("1 MIU", "1 MIU"),
    ],
)
def test_yaml_1_2_typing(yaml: str, expected: object) -> None:
    value = parse_document(f"v: {yaml}\n", "f.yaml").value["v"]
    assert value == expected
    assert type(value) is type(expected)


def test_floats_are_decimals_from_text() -> None:
    value = parse_document("v: 0.1\n", "f.yaml").value["v"]
    assert value == Decimal("0.1")
    assert str(value) == "0.1"


def test_json_is_read() -> None:
    doc = parse_document('{"a": [1, 2.5, "x"], "b": null}', "f.json")
    assert doc.value == {"a": [1, Decimal("2.5"), "x"], "b": None}


def test_line_numbers() -> None:
    doc = parse_document(
        "format: x\n"
        "periods:\n"
        "  - id: a\n"
        "    length: 1 day\n"
        "  - id: b\n"
        "    courses:\n"
        "      - drug: x\n"
        "        days: [1,\n"
        "               2]\n",
        "f.yaml",
    )
    assert doc.lines == {
        (): 1, ("format",): 1, ("periods",): 2, ("periods", 0): 3, ("periods", 0, "id"): 3,
        ("periods", 0, "length"): 4, ("periods", 1): 5, ("periods", 1, "id"): 5,
        ("periods", 1, "courses"): 6, ("periods", 1, "courses", 0): 7,
        ("periods", 1, "courses", 0, "drug"): 7, ("periods", 1, "courses", 0, "days"): 8,
        ("periods", 1, "courses", 0, "days", 0): 8, ("periods", 1, "courses", 0, "days", 1): 9,
    }


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("- a\n- b\n", "f.yaml:1: (document): expected a mapping (key: value) (got a list)"),
        ("hello\n", "f.yaml:1: (document): expected a mapping (key: value) (got 'hello')"),
        ("42\n", "f.yaml:1: (document): expected a mapping (key: value) (got 42)"),
    ],
    ids=["list", "text", "number"],
)
def test_top_level_must_be_a_mapping(data: str, expected: str) -> None:
    with pytest.raises(InvalidRegimenError) as info:
        regimens.loads(data, "f.yaml")
    assert [str(p) for p in info.value.problems] == [expected]


def test_load_directory_and_missing(tmp_path: Path) -> None:
    with pytest.raises(InvalidRegimenError) as info:
        regimens.load(tmp_path)
    assert [str(p) for p in info.value.problems] == [
        f"{tmp_path}: (document): is a directory, not a regimen file"]
    with pytest.raises(regimens.RegimenNotFoundError, match="no regimen file or catalogue entry "
                       "named 'no-such-regimen'"):
        regimens.load("no-such-regimen")
