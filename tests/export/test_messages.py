"""The handout's message catalogues are complete and compiled.

Every message the handout and diary use (``w.t(...)``, ``w.p(...)``, ``N_(...)`` in the
source) has a French translation with the same ``{fields}``; the template and the
compiled ``.mo`` files are what ``scripts/compile_messages.py`` makes of them now.
"""

from __future__ import annotations

import gettext
import importlib.util
import re
from pathlib import Path

import pytest

from support import ROOT

babel = pytest.importorskip("babel")
SCRIPT = ROOT / "scripts" / "compile_messages.py"
spec = importlib.util.spec_from_file_location("compile_messages", SCRIPT)
assert spec is not None
assert spec.loader is not None
compile_messages = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compile_messages)
LOCALE: Path = compile_messages.LOCALE


def _catalogue(lang: str) -> dict[tuple[str | None, str], str]:
    from babel.messages.pofile import read_po

    with (LOCALE / lang / "LC_MESSAGES" / "regimens.po").open("rb") as handle:
        catalog = read_po(handle)
    return {(m.context, m.id): m.string for m in catalog if m.id}


def test_the_source_uses_messages() -> None:
    used = compile_messages.messages()
    # The scan must find the calls, or the checks below would prove nothing.
    assert (None, "Your treatment calendar") in used
    assert (None, "January") in used
    assert ("day of the month", "1") in used
    assert len(used) > 90


def test_every_message_has_a_french_translation_with_the_same_fields() -> None:
    french = _catalogue("fr")
    used = compile_messages.messages()
    missing = sorted(str(k) for k in used if not french.get(k))
    assert missing == []
    unused = sorted(str(k) for k in french if k not in used)
    assert unused == []
    for key, text in french.items():
        assert set(re.findall(r"{\w+}", text)) == set(re.findall(r"{\w+}", key[1])), key


def test_the_template_and_compiled_catalogues_are_current() -> None:
    assert (LOCALE / "regimens.pot").read_bytes() == compile_messages.template(), (
        "run python scripts/compile_messages.py")
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/regimens.po")):
        # Compared by content, not bytes: another Babel may lay the same .mo out otherwise.
        with po.with_suffix(".mo").open("rb") as handle:
            shipped = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
        expected = {(k[1] if k[0] is None else f"{k[0]}\x04{k[1]}"): v
                    for k, v in _catalogue(po.parent.parent.name).items()}
        assert {k: v for k, v in shipped.items() if k} == expected, (
            "run python scripts/compile_messages.py")
