"""Extract the handout's messages and compile the message catalogues.

``python scripts/compile_messages.py`` writes ``regimens.pot`` (every message the
handout and diary use, found in the source: ``w.t("...")`` and ``N_("...")``) and
compiles each ``locale/LANG/LC_MESSAGES/regimens.po`` into its ``.mo`` beside it
(src/regimens/export/locale/). tests/export/test_messages.py checks that the
catalogues are complete and the ``.mo`` files current. Needs Babel (a test dependency).
"""

from __future__ import annotations

import ast
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

EXPORT = Path(__file__).resolve().parents[1] / "src" / "regimens" / "export"
LOCALE = EXPORT / "locale"
SOURCES = ("_i18n.py", "_sheets.py", "_handout.py", "_pdf.py")


def messages() -> dict[tuple[str | None, str], list[str]]:
    """Every (context, message id) in the source, with where it is used (file:line)."""
    found: dict[str, list[str]] = {}
    for name in SOURCES:
        tree = ast.parse((EXPORT / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            texts = [a.value for a in node.args[:2]
                     if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if isinstance(func, ast.Attribute) and func.attr == "p" and len(texts) == 2:
                key = (texts[0], texts[1])  # (msgctxt, msgid)
            elif ((isinstance(func, ast.Attribute) and func.attr == "t")
                  or (isinstance(func, ast.Name) and func.id == "N_")) and texts:
                key = (None, texts[0])
            else:
                continue
            found.setdefault(key, []).append(f"{name}:{node.lineno}")
    return found


def template() -> bytes:
    catalog = Catalog(project="regimens", charset="utf-8", creation_date=None,
                      revision_date=None, fuzzy=False)
    # No line numbers: the template changes only when a message does.
    for context, message in sorted(messages(), key=lambda k: (k[1], k[0] or "")):
        catalog.add(message, context=context)
    out = io.BytesIO()
    write_po(out, catalog, omit_header=True, sort_output=True)
    return out.getvalue()


def compiled(po: Path) -> bytes:
    with po.open("rb") as handle:
        catalog = read_po(handle)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def main() -> int:
    (LOCALE / "regimens.pot").write_bytes(template())
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/regimens.po")):
        po.with_suffix(".mo").write_bytes(compiled(po))
        print(f"compiled {po.relative_to(EXPORT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
