"""``dataclass`` as the standard library's, with ``__repr__``, ``__eq__`` and ``__hash__``
made when first used rather than at import.

Importing the library defines about a hundred dataclasses, and on Python 3.11 most of
what that costs is :mod:`dataclasses` writing Python source for each class's methods and
compiling it with ``exec``: ``__init__``, ``__repr__``, ``__eq__``, ``__hash__``,
``__setattr__`` and ``__delattr__``, six compilations a class, about a third of the CPU
time of a cold ``regimens expand ... --format json``. Few of those methods are ever
called in one process: expanding and writing a schedule compares or hashes instances
of five classes, and prints the repr of none.

:func:`dataclass` applies :func:`dataclasses.dataclass` itself for everything but those
three methods (fields, ``__init__``, defaults and factories, ``__post_init__``, the frozen
``__setattr__`` and ``__delattr__``, ``__match_args__``). In their place the class gets
a stand-in that, at its first call, has :func:`dataclasses.dataclass` make the three
methods for a class with the same fields (the same names, in the same order, with the
same ``repr=``, ``compare=`` and ``hash=``), puts them on the class, and calls the one
asked for. From then on the class's methods are the standard decorator's own code; the
first call differs only in taking longer. Methods the class defines itself are kept,
under the standard decorator's rules (a class that defines ``__eq__`` still gets the
fields' ``__hash__`` when frozen). ``__dataclass_params__`` reads as the standard
decorator's. tests/test_records.py compares both decorators over every option the
library uses and over every dataclass of the library.

Only ``@dataclass`` and ``@dataclass(frozen=True)`` take this path; any other option
(``slots``, ``order``, ``eq=False``...) goes to :func:`dataclasses.dataclass` unchanged.
Type checkers see :func:`dataclasses.dataclass`. The modules on the path of
``regimens expand`` use it; the others keep the standard decorator.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

__all__ = ["dataclass"]


def _standard(cls: type, names: tuple[str, ...]) -> dict[str, Any]:
    """The methods ``names`` that :func:`dataclasses.dataclass` makes for ``cls``'s fields.

    Made on a bare class with the same name, module and fields; none of these three
    methods refers to its class (``__eq__`` compares ``other.__class__`` with
    ``self.__class__``, ``__repr__`` reads ``self.__class__.__qualname__``), so they are
    the methods the decorator would have put on ``cls`` itself.
    """
    fields = dataclasses.fields(cls)
    namespace: dict[str, Any] = {
        "__module__": cls.__module__,
        "__qualname__": cls.__qualname__,
        "__doc__": cls.__doc__ or cls.__name__,  # (no signature to work out for it)
        "__annotations__": {f.name: object for f in fields},
    }
    for f in fields:
        namespace[f.name] = dataclasses.field(repr=f.repr, compare=f.compare, hash=f.hash)
    bare: type = dataclasses.dataclass(type(cls.__name__, (), namespace), init=False,
                                       repr="__repr__" in names, eq=True,
                                       unsafe_hash="__hash__" in names, match_args=False)
    return {name: bare.__dict__[name] for name in names}


def _install_lazily(cls: type, frozen: bool) -> None:
    """Stand-ins for the ``__repr__``, ``__eq__`` and ``__hash__`` that
    ``dataclasses.dataclass(frozen=frozen)`` would add to ``cls``, which
    ``dataclasses.dataclass(..., repr=False, eq=False)`` has processed."""
    own = cls.__dict__
    # Decided as dataclasses decides it, before anything is added: a class that defines
    # __eq__ has __hash__ None in its namespace, which is not an explicit __hash__.
    class_hash = own.get("__hash__", dataclasses.MISSING)
    explicit_hash = not (class_hash is dataclasses.MISSING
                         or (class_hash is None and "__eq__" in own))
    lazy = [name for name in ("__repr__", "__eq__") if name not in own]
    if not explicit_hash:
        if frozen:
            lazy.append("__hash__")
        else:
            cls.__hash__ = None  # type: ignore[assignment]  # eq without frozen: unhashable
    names = tuple(lazy)
    memo: dict[str, Any] = {}

    def made(name: str) -> Callable[..., Any]:
        if not memo:  # (a stand-in kept elsewhere before the first call reuses them)
            memo.update(_standard(cls, names))
            for each, standard in memo.items():
                setattr(cls, each, standard)
        method: Callable[..., Any] = memo[name]
        return method

    def __repr__(self: Any) -> Any:
        return made("__repr__")(self)

    def __eq__(self: Any, other: Any) -> Any:
        return made("__eq__")(self, other)

    def __hash__(self: Any) -> Any:
        return made("__hash__")(self)

    for stand_in in (__repr__, __eq__, __hash__):
        if stand_in.__name__ in names:
            stand_in.__qualname__ = f"{cls.__qualname__}.{stand_in.__name__}"
            setattr(cls, stand_in.__name__, stand_in)
    params = own["__dataclass_params__"]
    params.repr = params.eq = True  # what the standard decorator records


if TYPE_CHECKING:
    from dataclasses import dataclass as dataclass
else:

    def dataclass(cls=None, /, **options):
        """``@dataclass`` or ``@dataclass(frozen=True)``; other options as the standard."""
        if set(options) - {"frozen"}:
            return dataclasses.dataclass(cls, **options)
        frozen = bool(options.get("frozen", False))

        def wrap(c):
            processed = dataclasses.dataclass(c, frozen=frozen, repr=False, eq=False)
            _install_lazily(processed, frozen)
            return processed

        return wrap if cls is None else wrap(cls)
