"""``regimens._records.dataclass`` behaves as ``dataclasses.dataclass``.

Each case defines the same class twice, once with each decorator, and compares what a
program can see: repr, equality, hash, immutability, ``fields``, ``replace``,
``__dataclass_params__``, methods the class defines itself, and inheritance. Then every
dataclass instance reachable from a real schedule is checked against the standard
decorator's formulas written out by hand (repr text, tuple equality, tuple hash).
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

import regimens
from regimens._records import dataclass as ours

Decorator = Callable[..., Any]
DECORATORS = pytest.mark.parametrize("decorate", [dataclasses.dataclass, ours],
                                     ids=["standard", "ours"])


def _point(decorate: Decorator, frozen: bool) -> type:
    @decorate(frozen=frozen)
    class Point:
        """A point."""

        x: int
        y: Any = 0
        label: str = dataclasses.field(default="", repr=False)
        note: str = dataclasses.field(default="", compare=False)
        tag: str = dataclasses.field(default="", hash=False)
        extra: list[int] = dataclasses.field(default_factory=list, compare=False, hash=False)

    return Point


def _behaviour(cls: type) -> dict[str, Any]:
    """What a program sees of a class made by either decorator."""
    nan = Decimal("NaN")
    a = cls(1, 2, label="L", note="n1", tag="t")
    b = cls(1, 2, label="L", note="n2", tag="t")
    c = cls(1, 3)
    d = cls(1, nan)
    seen: dict[str, Any] = {
        "repr": [repr(a), repr(c), repr(d)],
        "eq": [a == b, a == c, a != c, d == d, d == cls(1, nan), d == cls(1, Decimal("NaN")),
               a == (1, 2), a.__eq__(object())],
        "fields": [(f.name, f.repr, f.compare, f.hash) for f in dataclasses.fields(cls)],
        "params": repr(cls.__dataclass_params__),  # type: ignore[attr-defined]
        "replace": repr(dataclasses.replace(a, y=5)),
        "asdict": dataclasses.asdict(a),
        "match_args": cls.__match_args__,  # type: ignore[attr-defined]
        "doc": cls.__doc__,
        "copy": [copy.copy(a) == a, copy.deepcopy(a) == a],
    }
    if cls.__hash__ is None:
        seen["hash"] = None
        a.x = 9
        seen["set"] = a.x
    else:
        seen["hash"] = [hash(a) == hash(b), hash(a) == hash((1, 2, "L")),
                        hash(c) == hash((1, 3, ""))]
        with pytest.raises(dataclasses.FrozenInstanceError):
            a.x = 9
        with pytest.raises(dataclasses.FrozenInstanceError):
            del a.x
        seen["set"] = "frozen"
    return seen


@pytest.mark.parametrize("frozen", [True, False], ids=["frozen", "mutable"])
def test_same_behaviour_as_the_standard_decorator(frozen: bool) -> None:
    standard = _behaviour(_point(dataclasses.dataclass, frozen))
    assert _behaviour(_point(ours, frozen)) == standard
    # Worked by hand, as the standard decorator documents it.
    assert standard["repr"][0] == "_point.<locals>.Point(x=1, y=2, note='n1', tag='t', extra=[])"
    # Compared: x, y, label and tag (note and extra are compare=False); the same NaN
    # object is equal to itself inside the tuples, two NaNs are not.
    assert standard["eq"] == [True, False, True, True, True, False, False, NotImplemented]
    if frozen:
        # Hashed: x, y and label (tag is hash=False).
        assert standard["hash"] == [True, True, True]


def _variants(decorate: Decorator) -> dict[str, Any]:
    @decorate(frozen=True)
    class Empty:
        """No fields."""

    @decorate(frozen=True)
    class One:
        """One field."""

        only: int

    @decorate(frozen=True)
    class OwnEq:
        """Equality of its own (the fields' hash is still added, as for a frozen class)."""

        a: int
        b: int

        def __eq__(self, other: object) -> bool:
            return isinstance(other, OwnEq) and self.a == other.a

    @decorate(frozen=True)
    class OwnHash:
        """A hash of its own, kept."""

        a: int

        def __hash__(self) -> int:
            return 42

    @decorate(frozen=True)
    class OwnRepr:
        """A repr of its own, kept."""

        a: int

        def __repr__(self) -> str:
            return "own"

    @decorate
    class Mutable:
        """Bare @dataclass: mutable, equal by fields, unhashable."""

        a: int

    @decorate(frozen=True)
    class Base:
        """A base."""

        a: int

    @decorate(frozen=True)
    class Child(Base):
        """A child adds a field."""

        b: int = 2

    class Plain(Base):
        """Not a dataclass itself: inherits the base's methods."""

    @decorate(frozen=True)
    class Node:
        """Holds a list that may hold itself."""

        items: list[Any]

    loop = Node([])
    loop.items.append(loop)
    return {
        "empty": [repr(Empty()), Empty() == Empty(), hash(Empty()) == hash(())],
        "one": [repr(One(3)), One(3) == One(3), hash(One(3)) == hash((3,)),
                One.__match_args__],  # type: ignore[attr-defined]
        "own_eq": [OwnEq(1, 2) == OwnEq(1, 3), hash(OwnEq(1, 2)) == hash((1, 2)),
                   hash(OwnEq(1, 2)) == hash(OwnEq(1, 3))],
        "own_hash": [hash(OwnHash(1)), OwnHash(1) == OwnHash(1)],
        "own_repr": [repr(OwnRepr(1)), OwnRepr(1) == OwnRepr(2)],
        "mutable": [Mutable.__hash__, Mutable(1) == Mutable(1), repr(Mutable(1))],
        "child": [repr(Child(1)), Child(1) == Child(1, 2), Child(1) == Base(1),
                  hash(Child(1)) == hash((1, 2)), [f.name for f in dataclasses.fields(Child)]],
        "plain": [repr(Plain(1)), Plain(1) == Plain(1), Plain(1) == Base(1),
                  hash(Plain(1)) == hash((1,))],
        "recursive": repr(loop),
        "qualnames": [getattr(One, m).__qualname__.rsplit(".", 2)[-2:]
                      for m in ("__eq__", "__hash__")],
    }


def test_variants_as_the_standard_decorator() -> None:
    standard = _variants(dataclasses.dataclass)
    assert _variants(ours) == standard
    assert standard["recursive"].endswith("Node(items=[...])")
    assert standard["mutable"][0] is None


@DECORATORS
def test_other_options_are_the_standard_decorators(decorate: Decorator) -> None:
    @decorate(frozen=True, order=True, slots=True)
    class Ordered:
        a: int

    assert Ordered(1) < Ordered(2)
    assert Ordered.__slots__ == ("a",)  # type: ignore[attr-defined]


def test_methods_are_the_standard_code_after_first_use() -> None:
    # The stand-in puts the standard decorator's methods on the class at its first call.
    @ours(frozen=True)
    class Late:
        a: int
        b: str = "x"

    eq_before = Late.__eq__
    assert Late(1) == Late(1)
    assert Late.__eq__ is not eq_before
    assert eq_before(Late(1), Late(2)) is False  # a stand-in kept elsewhere still answers
    for name in ("__repr__", "__eq__", "__hash__"):
        assert getattr(Late, name).__qualname__.endswith(f"Late.{name}")
    assert not Late.__eq__.__code__.co_filename.endswith("_records.py")


def test_instances_pickle_alike() -> None:
    value = regimens.Participant(weight="70 kg", height="175 cm")
    assert pickle.loads(pickle.dumps(value)) == value


# Every dataclass instance a real schedule holds, against the standard formulas.


def _reachable(root: Any) -> list[Any]:
    seen: dict[int, Any] = {}
    todo = [root]
    while todo:
        obj = todo.pop()
        if id(obj) in seen:
            continue
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            seen[id(obj)] = obj
            todo.extend(getattr(obj, f.name) for f in dataclasses.fields(obj))
        elif isinstance(obj, list | tuple | frozenset | set):
            todo.extend(obj)
        elif isinstance(obj, dict):
            todo.extend(obj.keys())
            todo.extend(obj.values())
    return list(seen.values())


def _from_decorator(cls: type, name: str) -> bool:
    """Whether ``cls``'s ``name`` is a dataclass decorator's (not written in the library)."""
    method = getattr(cls, name)
    code = getattr(getattr(method, "__wrapped__", method), "__code__", None)
    if code is None:
        return False
    # Generated code has no file ("<string>"); the stand-ins are in _records.py.
    return not code.co_filename.endswith(".py") or code.co_filename.endswith("_records.py")


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def test_every_instance_of_a_schedule_as_the_standard_formulas() -> None:
    regimen = regimens.load("mirocals")
    schedule = regimen.expand("il2", "2027-01-04",
                              regimens.Participant(weight="70 kg", height="175 cm"))
    objects = [o for o in _reachable(schedule) + _reachable(regimen)
               if type(o).__module__.startswith("regimens")]
    assert len({type(o) for o in objects}) >= 15  # schedule, regimen, amounts, days...
    checked = set()
    for obj in objects:
        cls = type(obj)
        fields = dataclasses.fields(obj)
        if _from_decorator(cls, "__repr__"):
            assert repr(obj) == (cls.__qualname__ + "(" + ", ".join(
                f"{f.name}={getattr(obj, f.name)!r}" for f in fields if f.repr) + ")")
            checked.add((cls, "repr"))
        if _from_decorator(cls, "__eq__"):
            assert obj == copy.copy(obj)
            assert obj.__eq__(object()) is NotImplemented
            checked.add((cls, "eq"))
        if cls.__hash__ is not None and _from_decorator(cls, "__hash__"):
            hashed = tuple(getattr(obj, f.name) for f in fields
                           if (f.compare if f.hash is None else f.hash))
            if _hashable(hashed):
                assert hash(obj) == hash(hashed)
                checked.add((cls, "hash"))
    assert len(checked) >= 30


def test_no_method_is_compiled_at_import_for_the_records() -> None:
    # In a fresh interpreter, the model's records have the stand-ins until first used.
    program = (
        "import regimens.model as m\n"
        "names = ('__repr__', '__eq__', '__hash__')\n"
        "print(all(getattr(c, n).__code__.co_filename.endswith('_records.py') "
        "for c in (m.Course, m.Regimen, m.Drug, m.Period) for n in names))\n")
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True)
    assert run.stdout.strip() == "True"


def test_the_packages_on_the_expand_path_compile_no_eq_at_import() -> None:
    # Every plain or frozen dataclass of the packages `regimens expand` imports has the
    # stand-ins (or methods of its own) right after import: none was compiled by
    # dataclasses ("<string>"). Classes with other options (order, slots) are standard.
    program = """\
import dataclasses, sys
import regimens.format, regimens.engine, regimens.record, regimens.export._render
compiled, seen = [], 0
for name, module in list(sys.modules.items()):
    if not name.startswith("regimens"):
        continue
    for value in vars(module).values():
        if not isinstance(value, type) or "__dataclass_params__" not in value.__dict__:
            continue
        params = value.__dict__["__dataclass_params__"]
        if params.order or not params.eq or "__slots__" in value.__dict__:
            continue
        seen += 1
        code = getattr(value.__dict__.get("__eq__"), "__code__", None)
        if code is not None and code.co_filename == "<string>":
            compiled.append(f"{name}.{value.__qualname__}")
print(seen, sorted(set(compiled)))
"""
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True)
    seen, compiled = run.stdout.split(" ", 1)
    assert int(seen) >= 60
    # A class listed here was made by dataclasses.dataclass: import the decorator as
    # `from .._records import dataclass` in its module (docs/architecture.md).
    assert compiled.strip() == "[]"
