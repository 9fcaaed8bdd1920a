"""``dataclass`` as the standard library's, with the methods it writes made when first
used rather than at import.

Importing the library defines about a hundred dataclasses, and on Python 3.11 most of
what that costs is :mod:`dataclasses` writing Python source for each class's methods and
compiling it with ``exec``: ``__init__``, ``__repr__``, ``__eq__``, ``__hash__``,
``__setattr__`` and ``__delattr__``, six compilations a class, about a third of the CPU
time of a cold ``regimens expand ... --format json``. Few of those methods are ever
called in one process: expanding and writing a schedule makes instances of fewer than
half of the classes it imports, compares or hashes instances of five, and prints the
repr of none.

:func:`dataclass` applies :func:`dataclasses.dataclass` itself for the fields (their
defaults and factories, ``fields()``, ``replace()``), ``__match_args__`` and
``__dataclass_params__``, without its methods; then:

- ``__init__``: a stand-in (:class:`_Init`) that, at the first instance, compiles the
  ``__init__`` the standard decorator writes (the same source text, :func:`_init`), puts
  it on the class and calls it; ``inspect.signature`` gives the real signature before
  that too. A class that defines ``__init__`` keeps it.
- ``__repr__``, ``__eq__`` and ``__hash__``: stand-ins that, at their first call, have
  :func:`dataclasses.dataclass` make the three for a bare class with the same fields (the
  same names, in the same order, with the same ``repr=``, ``compare=`` and ``hash=``),
  put them on the class, and call the one asked for. Methods the class defines itself
  are kept, under the standard decorator's rules (a class that defines ``__eq__`` still
  gets the fields' ``__hash__`` when frozen).
- frozen: ``__setattr__`` and ``__delattr__`` are the standard decorator's code written
  as closures (:func:`_frozen`), not compiled text; for a class with a dataclass base
  (whose frozen flag the standard decorator checks) or with either method of its own
  (which it refuses), it makes them itself.

From then on the class's methods are the standard decorator's own code; a first call
differs only in taking longer. A class with no docstring (the standard decorator writes
one from the signature of ``__init__``), an ``InitVar`` or a ``KW_ONLY`` marker, or a
parameter without a default after one with a default (refused), gets ``__init__`` from
the standard decorator at once. tests/test_records.py compares both decorators over
every option the library uses and over every dataclass of the library.

``@dataclass`` with no options or any of ``frozen``, ``repr``, ``order`` and ``slots``
takes this path (``order=True``: the four comparisons are stand-ins too, made with the
others; ``slots=True``: the class the standard decorator remakes with slots gets the
stand-ins, and a frozen one keeps the standard ``__setattr__``, ``__delattr__`` and
pickling methods); a class that defines a comparison of its own with ``order=True``, or
any other option (``eq=False``, ``init=False``, ``kw_only``...), goes to
:func:`dataclasses.dataclass` unchanged.
Type checkers see :func:`dataclasses.dataclass`. The modules on the path of
``regimens expand`` use it; the others keep the standard decorator.
"""

from __future__ import annotations

import dataclasses
import inspect  # (imported by dataclasses already)
import sys
from collections.abc import Callable
from types import MethodType
from typing import TYPE_CHECKING, Any

__all__ = ["dataclass"]


#: The comparison methods of ``order=True``.
_ORDER = ("__lt__", "__le__", "__gt__", "__ge__")


def _standard(cls: type, names: tuple[str, ...]) -> dict[str, Any]:
    """The methods ``names`` that :func:`dataclasses.dataclass` makes for ``cls``'s fields.

    Made on a bare class with the same name, module and fields; none of these methods
    refers to its class (``__eq__`` and the comparisons compare ``other.__class__`` with
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
                                       order="__lt__" in names,
                                       unsafe_hash="__hash__" in names, match_args=False)
    return {name: bare.__dict__[name] for name in names}


def _install_lazily(cls: type, frozen: bool, repr_: bool = True, order: bool = False) -> None:
    """Stand-ins for the ``__repr__`` (with ``repr_``), ``__eq__``, comparisons (with
    ``order``) and ``__hash__`` that ``dataclasses.dataclass(frozen=frozen, repr=repr_,
    order=order)`` would add to ``cls``, which ``dataclasses.dataclass(..., repr=False,
    eq=False)`` has processed."""
    own = cls.__dict__
    # Decided as dataclasses decides it, before anything is added: a class that defines
    # __eq__ has __hash__ None in its namespace, which is not an explicit __hash__.
    class_hash = own.get("__hash__", dataclasses.MISSING)
    explicit_hash = not (class_hash is dataclasses.MISSING
                         or (class_hash is None and "__eq__" in own))
    lazy = [name for name in ("__repr__", "__eq__") if name not in own
            and (repr_ or name != "__repr__")]
    if order:
        lazy += _ORDER  # (a class defining one of them is the standard decorator's to refuse)
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

    def __lt__(self: Any, other: Any) -> Any:
        return made("__lt__")(self, other)

    def __le__(self: Any, other: Any) -> Any:
        return made("__le__")(self, other)

    def __gt__(self: Any, other: Any) -> Any:
        return made("__gt__")(self, other)

    def __ge__(self: Any, other: Any) -> Any:
        return made("__ge__")(self, other)

    for stand_in in (__repr__, __eq__, __hash__, __lt__, __le__, __gt__, __ge__):
        if stand_in.__name__ in names:
            stand_in.__qualname__ = f"{cls.__qualname__}.{stand_in.__name__}"
            setattr(cls, stand_in.__name__, stand_in)
    params = own["__dataclass_params__"]
    # What the standard decorator records.
    params.repr, params.eq, params.order = repr_, True, order


class _Init:
    """The stand-in for a class's ``__init__`` until the first instance is made.

    Called (at the first ``cls(...)``), it compiles the ``__init__`` that
    :func:`dataclasses.dataclass` would have written (:func:`_init`), puts it on the
    class, and calls it; from then on the class's ``__init__`` is that function. A
    descriptor rather than a function so that ``inspect.signature(cls)`` is the real
    one before the first instance too (``__signature__``).
    """

    __slots__ = ("cls", "frozen", "globals", "made", "slots")

    def __init__(self, cls: type, frozen: bool, slots: bool, namespace: dict[str, Any]) -> None:
        self.cls = cls
        self.frozen = frozen
        self.slots = slots
        self.globals = namespace
        self.made: Callable[..., None] | None = None

    def real(self) -> Callable[..., None]:
        """The standard ``__init__`` of the class, compiled at the first call."""
        if self.made is None:  # (a stand-in kept elsewhere reuses it)
            self.made = _init(self.cls, self.frozen, self.slots, self.globals)
            if self.cls.__dict__.get("__init__") is self:
                self.cls.__init__ = self.made
        return self.made

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        return self if obj is None else MethodType(self, obj)

    def __call__(self, obj: object, /, *args: Any, **kwargs: Any) -> None:
        self.real()(obj, *args, **kwargs)

    @property
    def __signature__(self) -> inspect.Signature:
        return inspect.signature(self.real())


#: The marker default of a parameter whose field has a ``default_factory`` (shown as
#: ``<factory>`` in signatures): the standard decorator's own object.
_FACTORY: Any = getattr(dataclasses, "_HAS_DEFAULT_FACTORY", object())


def _init(cls: type, frozen: bool, slots: bool,
          namespace: dict[str, Any]) -> Callable[..., None]:
    """The ``__init__`` :func:`dataclasses.dataclass` writes for ``cls``'s fields.

    The same source text as the standard decorator's (Python 3.11, ``_init_fn``),
    compiled the same way: one parameter per ``init`` field in field order, keyword-only
    ones after ``*``, ``default`` values and ``default_factory`` markers as its
    defaults, each field set with ``object.__setattr__`` when frozen, a factory called
    for a field without a parameter (and, with ``slots``, the default of one), then
    ``__post_init__()``. Only for classes without ``InitVar`` pseudo-fields or
    ``KW_ONLY`` markers (:func:`dataclass` leaves those to the standard decorator).
    """
    fields = dataclasses.fields(cls)
    self_name = "__dataclass_self__" if "self" in {f.name for f in fields} else "self"
    local: dict[str, Any] = {f"_type_{f.name}": f.type for f in fields}
    local.update({"MISSING": dataclasses.MISSING, "_HAS_DEFAULT_FACTORY": _FACTORY,
                  "__dataclass_builtins_object__": object})
    body = []
    for f in fields:
        default = f"_dflt_{f.name}"
        if f.default_factory is not dataclasses.MISSING:
            local[default] = f.default_factory
            value = (f"{default}() if {f.name} is _HAS_DEFAULT_FACTORY else {f.name}"
                     if f.init else f"{default}()")
        elif f.init:
            if f.default is not dataclasses.MISSING:
                local[default] = f.default
            value = f.name
        elif slots and f.default is not dataclasses.MISSING:
            local[default] = f.default  # (slots: no class attribute holds the default)
            value = default
        else:
            continue  # read from the class attribute that holds the default
        body.append(f"__dataclass_builtins_object__.__setattr__({self_name},{f.name!r},{value})"
                    if frozen else f"{self_name}.{f.name}={value}")
    if hasattr(cls, "__post_init__"):
        body.append(f"{self_name}.__post_init__()")

    def parameter(f: dataclasses.Field[Any]) -> str:
        if f.default is not dataclasses.MISSING:
            return f"{f.name}:_type_{f.name}=_dflt_{f.name}"
        if f.default_factory is not dataclasses.MISSING:
            return f"{f.name}:_type_{f.name}=_HAS_DEFAULT_FACTORY"
        return f"{f.name}:_type_{f.name}"

    parameters = [parameter(f) for f in fields if f.init and not f.kw_only]
    keywords = [parameter(f) for f in fields if f.init and f.kw_only]
    if keywords:
        parameters += ["*", *keywords]
    local["_return_type"] = None
    lines = "\n".join(f"  {b}" for b in body or ["pass"])
    text = (f"def __create_fn__({', '.join(local)}):\n"
            f" def __init__({','.join([self_name, *parameters])})->_return_type:\n{lines}\n"
            f" return __init__")
    made: dict[str, Any] = {}
    # Compiled without this module's `from __future__ import annotations` (which exec
    # would inherit): the annotations are the field types, as the standard decorator's.
    exec(compile(text, "<string>", "exec", dont_inherit=True), namespace, made)
    function: Callable[..., None] = made["__create_fn__"](**local)
    function.__qualname__ = f"{cls.__qualname__}.__init__"
    return function


def _frozen(cls: type) -> None:
    """The ``__setattr__`` and ``__delattr__`` of a frozen dataclass: the standard
    decorator's code, as closures rather than compiled text."""
    names = frozenset(f.name for f in dataclasses.fields(cls))
    error = dataclasses.FrozenInstanceError
    owner: Any = cls  # (typed Any: mypy reads `type(self) is cls` as narrowing cls)

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is owner or name in names:
            raise error(f"cannot assign to field {name!r}")
        super(owner, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is owner or name in names:
            raise error(f"cannot delete field {name!r}")
        super(owner, self).__delattr__(name)

    for method in (__setattr__, __delattr__):
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        setattr(cls, method.__name__, method)


def _standard_init(cls: type) -> bool:
    """Whether ``cls`` needs the standard decorator's own ``__init__`` at once: its
    annotations (or a dataclass base's pseudo-fields) may declare an ``InitVar`` or a
    ``KW_ONLY`` marker, or it has no docstring (the standard decorator writes one from
    the signature of ``__init__``)."""
    if not cls.__doc__:
        return True
    annotations = list(inspect.get_annotations(cls).values())
    for base in cls.__mro__[1:]:
        base_fields = base.__dict__.get("__dataclass_fields__")
        if base_fields:
            real = {f.name for f in dataclasses.fields(base)}
            annotations += [f.type for name, f in base_fields.items() if name not in real]
    return any("InitVar" in str(a) or "KW_ONLY" in str(a) for a in annotations)


def _dataclass_bases(cls: type) -> bool:
    return any(getattr(b, "__dataclass_fields__", None) is not None for b in cls.__mro__[1:])


def _defaults_in_order(cls: type) -> bool:
    """Whether no ``__init__`` parameter without a default follows one with a default
    (else the standard decorator refuses the class, in its own words)."""
    seen_default = False
    for f in dataclasses.fields(cls):
        if f.init and not f.kw_only:
            if not (f.default is dataclasses.MISSING
                    and f.default_factory is dataclasses.MISSING):
                seen_default = True
            elif seen_default:
                return False
    return True


def _process(cls: type, frozen: bool, repr_: bool, order: bool, slots: bool) -> type:
    """``dataclasses.dataclass(cls, frozen=frozen, repr=repr_, order=order, slots=slots)``,
    with ``__init__``, ``__repr__``, ``__eq__``, the comparisons and ``__hash__`` made at
    first use and the frozen ``__setattr__`` and ``__delattr__`` as closures."""
    own = cls.__dict__
    if order and any(name in own for name in _ORDER):
        # Refused by the standard decorator (it will not overwrite them).
        return dataclasses.dataclass(cls, frozen=frozen, repr=repr_, order=order, slots=slots)
    if _standard_init(cls):
        standard: type = dataclasses.dataclass(cls, frozen=frozen, repr=False, eq=False,
                                               slots=slots)
        _install_lazily(standard, frozen, repr_, order)
        return standard
    # The standard decorator refuses a frozen class that defines __setattr__ or
    # __delattr__, and checks frozen against a dataclass base: left to it there, and with
    # slots (a frozen class with slots gets its own pickling methods).
    closures = frozen and not (slots or _dataclass_bases(cls) or "__setattr__" in own
                               or "__delattr__" in own)
    namespace = sys.modules[cls.__module__].__dict__ if cls.__module__ in sys.modules else {}
    processed: type = dataclasses.dataclass(cls, init=False, repr=False, eq=False,
                                            frozen=frozen and not closures, slots=slots)
    if not _defaults_in_order(processed):
        # Refused by the standard decorator, in its own words (which vary by version).
        return dataclasses.dataclass(cls, frozen=frozen, repr=repr_, order=order, slots=slots)
    if closures:
        _frozen(processed)
    if "__init__" not in own:
        init = _Init(processed, frozen, slots, namespace)
        processed.__init__ = init  # type: ignore[misc]
    params = processed.__dict__["__dataclass_params__"]
    params.init = True
    params.frozen = frozen
    _install_lazily(processed, frozen, repr_, order)
    return processed


#: The options :func:`dataclass` makes methods for at first use; with any other, the
#: class goes to :func:`dataclasses.dataclass` unchanged.
_OPTIONS = frozenset({"frozen", "repr", "order", "slots"})

if TYPE_CHECKING:
    from dataclasses import dataclass as dataclass
else:

    def dataclass(cls=None, /, **options):
        """``@dataclass(...)`` with ``frozen``, ``repr``, ``order`` or ``slots``; other
        options as the standard."""
        if set(options) - _OPTIONS:
            return dataclasses.dataclass(cls, **options)
        frozen = bool(options.get("frozen", False))
        repr_ = bool(options.get("repr", True))
        order = bool(options.get("order", False))
        slots = bool(options.get("slots", False))

        def wrap(c):
            return _process(c, frozen, repr_, order, slots)

        return wrap if cls is None else wrap(cls)
