"""Ids that differ only by look-alike characters.

An arm id typed as ``plaсebo`` (with a Cyrillic ``с``), ``PLACEBO`` or
``ｐｌａｃｅｂｏ`` (full-width) looks like ``placebo`` but is another string.
Refusing it with "no such arm" alone leaves the person staring at two ids
that look the same; :func:`lookalike` finds the id that was meant so the
message can say so. The match is never used in place of what was given.

The comparison folds Unicode compatibility forms (NFKC: full-width letters,
ligatures), letter case, invisible format characters (zero-width, bidi
controls), the dashes and minus signs that look like a hyphen, and the
Cyrillic and Greek letters that look like Latin ones (a subset of Unicode
Technical Standard #39 confusables, for the letters and digits ids use).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

__all__ = ["closest", "lookalike", "lookalike_text", "suggestion"]

_CONFUSABLES = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "с": "c", "ԁ": "d", "е": "e", "һ": "h", "і": "i", "ј": "j",
    "к": "k", "ӏ": "l", "м": "m", "н": "h", "о": "o", "р": "p", "ԛ": "q", "ѕ": "s",
    "т": "t", "ս": "u", "ѵ": "v", "ԝ": "w", "х": "x", "у": "y", "ɡ": "g",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y",
    # Latin look-alikes and digits
    "ı": "i", "ℓ": "l", "0": "o", "1": "l",
    # Dashes and minus signs
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "﹣": "-",
    "_": "-",
})


def _skeleton(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return text.strip().translate(_CONFUSABLES)


def lookalike(given: str, known: Iterable[str]) -> str | None:
    """The one id of ``known`` that ``given`` resembles, if ``given`` is not itself one.

    >>> lookalike("PLACEBO", ["il2", "placebo"])
    'placebo'
    >>> lookalike("plac\\u0435bo", ["placebo"])  # Cyrillic 'е'
    'placebo'
    >>> lookalike("il3", ["il2", "placebo"]) is None
    True
    """
    ids = list(known)
    if not isinstance(given, str) or given in ids:
        return None
    # A capital I looks like a lower-case l ("riluzoIe"), and like an i once lower-cased.
    targets = {_skeleton(given), _skeleton(given.replace("I", "l"))}
    matches = [i for i in ids if _skeleton(i) in targets]
    return matches[0] if len(matches) == 1 else None


def lookalike_text(given: str, known: Iterable[str]) -> str:
    """``"did you mean 'placebo'? ...; "`` to put before a list of ids, or ``""``."""
    match = lookalike(given, known)
    if match is None:
        return ""
    odd = next((c for c in given if not c.isascii() or unicodedata.category(c) == "Cf"), None)
    detail = ""
    if odd is not None:
        detail = f": {odd!r} is U+{ord(odd):04X} {unicodedata.name(odd, 'unnamed')}"
    elif given.strip() != given:
        detail = ": it has spaces around it"
    elif given.lower() == match:
        detail = ": ids are lower-case"
    return (f"did you mean {match!r}? the given id differs only by look-alike characters"
            f"{detail}; ")


def closest(given: str, known: Iterable[str]) -> str | None:
    """The one of ``known`` closest in spelling to ``given`` (difflib's ratio 0.6 or more),
    or None: the one "did you mean" of regimen files' fields, records' columns, events
    and drug ids.

    >>> closest("doxo", ["dox", "cis"])
    'dox'
    >>> closest("zzz", ["dox"]) is None
    True
    """
    import difflib  # (only when a message needs it: 1 ms of a cold start)

    near = difflib.get_close_matches(given, list(known), n=1)
    return near[0] if near else None


def suggestion(given: str, known: Iterable[str],
               names: Mapping[str, str] | None = None) -> str:
    """``"did you mean 'dox'? "`` to put before a list of ids, or ``""``: the id ``given``
    resembles by look-alike characters (:func:`lookalike_text`, which says which
    character differs); else, with ``names`` (id -> name, e.g. a drug's: ``{"pac":
    "paclitaxel"}``), the id whose name ``given`` is, whatever its case (``"did you mean
    'pac'? 'Paclitaxel' is its name, not its id; "``); else the id closest in spelling
    (:func:`closest`), else the id whose name is closest in spelling (``paclitaxl``:
    ``pac``).

    >>> suggestion("paclitaxl", ["carbo", "pac"], {"carbo": "carboplatin",
    ...                                             "pac": "paclitaxel"})
    "did you mean 'pac'? "
    """
    ids = list(known)
    text = lookalike_text(given, ids)
    if text or not isinstance(given, str) or given in ids:
        return text
    named = {i: names[i] for i in ids if names is not None and i in names}
    exact = [i for i, name in named.items() if _skeleton(name) == _skeleton(given)]
    if len(exact) == 1:
        return f"did you mean {exact[0]!r}? {given!r} is its name, not its id; "
    near = closest(given, ids)
    if near is None and named:
        # Spelt after the name (difflib compares case: both folded).
        by_name = {name.casefold(): i for i, name in reversed(named.items())}
        close = closest(given.strip().casefold(), by_name)
        near = by_name[close] if close is not None else None
    return f"did you mean {near!r}? " if near is not None else ""
