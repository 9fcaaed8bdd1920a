"""Reading the planning file ``regimens-supply/1`` into a :class:`~._plan.Plan`.

Read like a regimen file (YAML 1.2 or JSON, the same reader: line numbers, no tags or
aliases, a size cap), checked against one declaration (:data:`~._plan_schema.PLAN`) and
built into a frozen :class:`Plan`. Every problem is reported as ``FILE:LINE: field.path:
what is wrong (got VALUE)``, all of them at once, in the order of the file: the
structure's, then every value whose structure is right is read (:func:`read_plan`; a value
is not read when its own structure, or one it needs, is wrong), and, given a check against
the regimen (``against``: :func:`regimens.supply.load_plan` with ``regimen=``), what the
plan says about the regimen (its arms, periods, drugs, vials) is checked on what could be
read (:class:`Partial`). Read on its own, a plan meets its regimen in
:func:`regimens.supply.simulate`, which reports those problems then.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from ..errors import InvalidRegimenError, Problem
from ..format import MAX_BYTES, Document, parse_document
from ._plan import FORMAT, Plan
from ._plan_reader import Partial, _Reader
from ._plan_schema import PLAN

__all__ = ["read_file", "read_text"]


#: Checks a plan read so far against a regimen: what :func:`read_plan` is given to
#: report a plan's problems with the regimen together with the file's own.
Against = Callable[[Plan, Partial], list[Problem]]


def read_plan(doc: Document, sha256: str = "", against: Against | None = None) -> Plan:
    """The :class:`Plan` of a parsed document, or InvalidRegimenError with every problem
    found at once: the structure's, the values' (every value whose structure is right is
    read; a value is not checked when its own structure, or one it needs, is wrong) and,
    with ``against``, the plan's problems with its regimen, in the order of the file."""
    structure = PLAN.problems(doc.root())
    # An unknown field is left unread; any other structure problem makes its value, and
    # what is under it, unreadable.
    broken = frozenset(p.loc for p in structure if p.code != "unknown-field")
    if () in broken or ("plan",) in broken:
        # Not a mapping, or another format: nothing else in it can be read as this one.
        raise InvalidRegimenError(structure)
    misspelt = frozenset(p.loc[:-1] for p in structure if p.code == "unknown-field")
    reader = _Reader(doc, broken, misspelt)
    plan, partial = reader.plan(sha256)
    problems = structure + reader.problems
    if against is not None:
        problems += against(plan, partial)
    if problems:
        raise InvalidRegimenError(sorted(problems, key=lambda p: p.line or 0))
    return plan


def build_plan(doc: Document, sha256: str = "") -> Plan:
    """The :class:`Plan` of a parsed document, or InvalidRegimenError with every problem
    (see :func:`read_plan`)."""
    return read_plan(doc, sha256)


def read_text(text: str | bytes, name: str, against: Against | None = None) -> Plan:
    """A planning file's text, read (see :func:`regimens.supply.loads_plan`); with
    ``against``, the plan's problems with a regimen too."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if not data.strip():
        raise InvalidRegimenError([Problem(name, None, (), "the file is empty; a plan starts "
                                           f"with 'plan: {FORMAT}'", code="empty-file")])
    return read_plan(parse_document(data, name), hashlib.sha256(data).hexdigest(), against)


def read_file(path: str | os.PathLike[str], against: Against | None = None) -> Plan:
    """A planning file, read (see :func:`regimens.supply.load_plan`); at most 2 MiB."""
    name = os.fspath(path)
    file = Path(name)
    if file.is_dir():
        raise InvalidRegimenError([Problem(name, None, (), "is a directory, not a plan file",
                                           code="is-a-directory")])
    try:
        with file.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InvalidRegimenError([Problem(name, None, (), f"cannot read the file: "
                                           f"{exc.strerror}", code="unreadable-file")]) from None
    if len(data) > MAX_BYTES:
        raise InvalidRegimenError([Problem(
            name, None, (), f"the file is larger than {MAX_BYTES:,} bytes; plan files are "
            f"limited to {MAX_BYTES:,} bytes", code="file-too-large")])
    return read_text(data, name, against)
