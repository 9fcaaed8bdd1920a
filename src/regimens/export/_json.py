"""``json.dumps(obj, indent=2, ensure_ascii=False)``, byte for byte, at the C encoder's speed.

With ``indent`` set, the standard library falls back to its pure-Python encoder,
which spent 8 to 10 times as long as the expansion itself on a schedule. Most of
a schedule's JSON is objects and arrays whose members are all scalars (an
administration's fields, a list of warnings): the C encoder writes those in one
call if its item separator carries the newline and the indentation of that
depth; only the brackets' own line breaks are added here. Objects and arrays
holding non-empty containers are written member by member, recursively.

The output equals ``json.dumps(obj, indent=2, ensure_ascii=False)`` for every
value json.dumps accepts made of dict, list, tuple, str, int, float, bool and
None (tests/export/test_json_fast.py compares them over every catalogue arm and
generated values); other types raise ``TypeError`` as json.dumps does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["dumps_indent2"]

_STEP = "  "
_CONTAINERS = (dict, list, tuple)
_encoder_for: dict[int, Callable[[Any], str]] = {}


def _unserialisable(o: object) -> Any:
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


def _flat_encoder(level: int) -> Callable[[Any], str]:
    """The C encoder writing a flat container's members at depth ``level + 1``."""
    found = _encoder_for.get(level)
    if found is None:
        encoder = json.JSONEncoder(ensure_ascii=False, separators=(
            ",\n" + _STEP * (level + 1), ": "), default=_unserialisable)
        found = _encoder_for[level] = encoder.encode
    return found


def _encode(o: Any, level: int) -> str:
    members: Iterable[Any]
    if isinstance(o, dict):
        is_dict, members = True, o.values()
    elif isinstance(o, (list, tuple)):
        is_dict, members = False, o
    else:
        return _flat_encoder(level)(o)
    if not o:
        return "{}" if is_dict else "[]"
    inner = "\n" + _STEP * (level + 1)
    outer = "\n" + _STEP * level
    for member in members:
        if isinstance(member, _CONTAINERS) and member:
            break
    else:  # flat: one C call, then the brackets' line breaks
        text = _flat_encoder(level)(o)
        return f"{text[0]}{inner}{text[1:-1]}{outer}{text[-1]}"
    glue = "," + inner
    if is_dict:
        keys = _flat_encoder(level)
        parts = [f"{keys(k if type(k) is str else _key(k))}: {_encode(v, level + 1)}"
                 for k, v in o.items()]
        return f"{{{inner}{glue.join(parts)}{outer}}}"
    return f"[{inner}{glue.join([_encode(v, level + 1) for v in o])}{outer}]"


def _key(k: object) -> str:
    """A non-string key as json.dumps writes it (True -> "true", 1.5 -> "1.5")."""
    if k is True:
        return "true"
    if k is False:
        return "false"
    if k is None:
        return "null"
    if isinstance(k, (int, float)):
        return json.dumps(k)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(k).__name__}")


def dumps_indent2(obj: Any) -> str:
    """``json.dumps(obj, indent=2, ensure_ascii=False)``, the same string, faster.

    Raises:
        TypeError: a value or key json.dumps would not serialise either.
    """
    return _encode(obj, 0)
