"""Loading regimens: a file path, text, or an id from the shipped catalogue."""

from __future__ import annotations

import hashlib
import os

from ..errors import (
    ExpandOptionTypeError,
    InvalidRegimenError,
    Problem,
    RegimenNotFoundError,
)
from ..model import Regimen
from ._build import build
from ._source import MAX_BYTES, parse_document

__all__ = ["catalog_ids", "load", "loads"]

#: The shipped catalogue: the package's ``catalog`` folder, read as plain files. (Not
#: through ``importlib.resources``, whose import and traversal cost a cold
#: ``regimens expand`` about 5 ms; the package is installed as files, never run zipped;
#: nor through :mod:`pathlib`, whose import costs it about 2 ms more.)
_CATALOG = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "catalog")


def loads(text: str | bytes, name: str = "<string>") -> Regimen:
    """Parse and validate regimen text: format ``regimens/1`` as YAML 1.2 or JSON.

    ``text``: at most 2 MiB, UTF-8 when given as bytes. ``name`` is the file name
    that messages cite (``name:LINE: field.path: ...``). The result records the
    SHA-256 of the bytes (``Regimen.sha256``) for provenance. See docs/format.md.

    Raises:
        InvalidRegimenError: every problem found, at once, each with its line, field
            path, offending value and what is allowed.
    """
    if not isinstance(text, (str, bytes)):
        raise ExpandOptionTypeError("text", "a regimen's text is str or bytes; to read a file, "
                                    "use load(path)", type(text).__name__)
    data = text.encode("utf-8") if isinstance(text, str) else text
    doc = parse_document(data, name)
    return build(doc, sha256=hashlib.sha256(data).hexdigest())


def fspath(source: object) -> str:
    """``os.fspath(source)``, refusing what is not a path with an :class:`ExpandOptionError`
    (a ``TypeError`` is not a :class:`RegimenError`)."""
    try:
        return os.fspath(source)  # type: ignore[call-overload, no-any-return]
    except TypeError:
        raise ExpandOptionTypeError("source", "a regimen's path or catalogue id is str or "
                                    "os.PathLike; to read text, use loads(text)",
                                    type(source).__name__) from None


def catalog_ids() -> tuple[str, ...]:
    """Ids of the regimens shipped with the library, sorted (``regimens catalog``)."""
    if not os.path.isdir(_CATALOG):
        return ()
    return tuple(sorted(f[:-5] for f in os.listdir(_CATALOG) if f.endswith(".yaml")))


def load(source: str | os.PathLike[str]) -> Regimen:
    """Load a regimen from a file path, or by catalogue id (``load("mirocals")``).

    A path to an existing file wins over a catalogue id of the same name.

    Raises:
        InvalidRegimenError: the file is unreadable, a directory, over 2 MiB, or not a
            valid regimen (as for :func:`loads`).
        RegimenNotFoundError: neither a file nor a catalogue id (the message lists the
            catalogue).
    """
    name = fspath(source)
    if os.path.isfile(name):
        try:
            size = os.stat(name).st_size
            if size > MAX_BYTES:
                raise InvalidRegimenError([Problem(
                    name, None, (), f"the file is {size:,} bytes; regimen files are limited to "
                    f"{MAX_BYTES:,} bytes", code="file-too-large")])
            with open(name, "rb") as file:
                data = file.read()
        except OSError as exc:
            raise InvalidRegimenError([Problem(name, None, (), f"cannot read the file: "
                                               f"{exc.strerror}",
                                               code="unreadable-file")]) from None
        return loads(data, name)
    if os.path.isdir(name):
        raise InvalidRegimenError([Problem(name, None, (), "is a directory, not a regimen file",
                                           code="is-a-directory")])
    if name in catalog_ids():
        with open(os.path.join(_CATALOG, f"{name}.yaml"), "rb") as file:
            regimen = loads(file.read(), f"{name}.yaml")
        return regimen
    raise RegimenNotFoundError(name, catalog_ids())
