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
from regimens import _records
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
    # Frozen with slots and order (their own pickling methods, from the standard decorator).
    from regimens.quantities import unit

    for other in (regimens.Duration(3), regimens.Months(2), regimens.StudyDay(5),
                  regimens.Elapsed(90), unit("mg")):
        assert pickle.loads(pickle.dumps(other)) == other


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
import regimens.format, regimens.engine, regimens.record
import regimens.export._schedule_json, regimens.export._schedule_text
for name in regimens.record.__all__:  # (imported on first use, PEP 562)
    getattr(regimens.record, name)
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
        # (An __init__ is compiled at the first instance: the schema's shapes are made at
        # import.)
        for method in ("__eq__", "__setattr__"):
            code = getattr(value.__dict__.get(method), "__code__", None)
            if code is not None and code.co_filename == "<string>":
                compiled.append(f"{name}.{value.__qualname__}.{method}")
print(seen, sorted(set(compiled)))
"""
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True)
    seen, compiled = run.stdout.split(" ", 1)
    assert int(seen) >= 60
    # A class listed here was made by dataclasses.dataclass: import the decorator as
    # `from .._records import dataclass` in its module (docs/architecture.md).
    assert compiled.strip() == "[]"


def _library_dataclasses() -> list[type]:
    import regimens.engine
    import regimens.export._schedule_json
    import regimens.export._schedule_text
    import regimens.format
    import regimens.record

    for name in regimens.record.__all__:  # (imported on first use, PEP 562)
        getattr(regimens.record, name)
    found = {}
    for name, module in list(sys.modules.items()):
        if name.startswith("regimens"):
            for value in vars(module).values():
                if isinstance(value, type) and "__dataclass_params__" in value.__dict__:
                    found[id(value)] = value
    return list(found.values())


def test_every_library_init_has_the_standard_signature() -> None:
    # Each dataclass's __init__ (whichever decorator made it) against the standard
    # decorator's for a class with the same fields: the same parameters, in the same
    # order, kinds, defaults (the same objects) and annotations.
    import inspect

    checked = 0
    for cls in _library_dataclasses():
        own = getattr(cls.__dict__.get("__init__"), "__code__", None)
        if own is not None and own.co_filename != "<string>":
            continue  # written in the class
        params = cls.__dict__["__dataclass_params__"]
        fields = dataclasses.fields(cls)
        namespace: dict[str, Any] = {"__annotations__": {f.name: f.type for f in fields},
                                     "__doc__": "twin", "__module__": cls.__module__}
        if hasattr(cls, "__post_init__"):
            namespace["__post_init__"] = cls.__post_init__
        for f in fields:
            namespace[f.name] = dataclasses.field(
                default=f.default, default_factory=f.default_factory,  # type: ignore[arg-type]
                init=f.init, kw_only=f.kw_only)
        twin = dataclasses.dataclass(type(cls.__name__, (), namespace), frozen=params.frozen,
                                     eq=False, repr=False)
        assert inspect.signature(cls) == inspect.signature(twin), cls
        assert cls.__init__.__annotations__ == twin.__init__.__annotations__, cls
        checked += 1
    assert checked >= 80


# __init__ made at the first instance, and the frozen __setattr__/__delattr__ as closures.


def _init_cases(decorate: Decorator) -> dict[str, type]:
    @decorate(frozen=True)
    class Full:
        """Every kind of field an __init__ treats apart."""

        a: int
        b: str = "b"
        c: list[int] = dataclasses.field(default_factory=list)
        d: int = dataclasses.field(default=4, init=False)
        e: list[str] = dataclasses.field(default_factory=lambda: ["e"], init=False)
        f: int = dataclasses.field(default=6, kw_only=True)
        g: str = dataclasses.field(kw_only=True, default="g")

    @decorate(frozen=True)
    class Keyword:
        """A keyword-only field without a default, after defaults (as errors.Problem)."""

        a: int
        b: int = 2
        code: str = dataclasses.field(kw_only=True)

    @decorate
    class Self:
        """A field named self."""

        self: int
        other: int = 0

    @decorate(frozen=True)
    class Post:
        """Checks itself after __init__."""

        a: int

        def __post_init__(self) -> None:
            if self.a < 0:
                raise ValueError(f"negative: {self.a}")

    @decorate(frozen=True)
    class OwnInit:
        """An __init__ of its own, kept."""

        a: int

        def __init__(self, text: str) -> None:
            object.__setattr__(self, "a", int(text))

    @decorate(frozen=True)
    class Empty:
        """No fields."""

    @decorate(frozen=True)
    class Base:
        """A base."""

        a: int

    @decorate(frozen=True)
    class Child(Base):
        """Adds a field after the base's."""

        b: int = 2

    class Plain(Base):
        """Not a dataclass: takes the base's __init__."""

    return {"full": Full, "keyword": Keyword, "self": Self, "post": Post, "own": OwnInit,
            "empty": Empty, "base": Base, "child": Child, "plain": Plain}


def _outcome(call: Callable[[], Any]) -> Any:
    """What a call returns (as text), or the exception it raises (type and message)."""
    try:
        return repr(call())
    except (TypeError, ValueError, AttributeError, dataclasses.FrozenInstanceError) as exc:
        return (type(exc).__name__, str(exc))


def _init_behaviour(classes: dict[str, type]) -> dict[str, Any]:
    import inspect

    # The signatures first, before any instance: ours are the stand-ins' then.
    seen: dict[str, Any] = {name: [str(inspect.signature(cls))]
                            for name, cls in classes.items()}
    full, keyword, self_, post = (classes[k] for k in ("full", "keyword", "self", "post"))
    base, child, plain = classes["base"], classes["child"], classes["plain"]
    calls: dict[str, list[Callable[[], Any]]] = {
        "full": [lambda: full(1), lambda: full(1, "x", [2], f=7, g="h"), lambda: full(),
                 lambda: full(1, d=5), lambda: full(1, 2, 3, 4), lambda: full(a=1, b="z")],
        "keyword": [lambda: keyword(1, code="c"), lambda: keyword(1),
                    lambda: keyword(1, 2, "c")],
        "self": [lambda: self_(1), lambda: self_(self=2, other=3), lambda: self_()],
        "post": [lambda: post(1), lambda: post(-1), lambda: post(a=2)],
        "own": [lambda: classes["own"]("5"), lambda: classes["own"](a=5)],
        "empty": [lambda: classes["empty"](), lambda: classes["empty"](1)],
        "base": [lambda: base(1), lambda: base()],
        "child": [lambda: child(1), lambda: child(1, 3), lambda: child(b=3)],
        "plain": [lambda: plain(1), lambda: plain()],
    }
    for name, tries in calls.items():
        seen[name] += [_outcome(call) for call in tries]
    seen["factories"] = [full(1).c is not full(1).c, full(1).e == ["e"], full(1).d]
    a, p = base(1), plain(1)
    # Frozen: no field assigned or deleted; on the class itself no attribute at all; a
    # plain subclass may add attributes that are not fields.
    seen["frozen"] = [_outcome(lambda: setattr(a, "a", 2)), _outcome(lambda: delattr(a, "a")),
                      _outcome(lambda: setattr(a, "new", 2)),
                      _outcome(lambda: setattr(p, "a", 2)), _outcome(lambda: setattr(p, "n", 3)),
                      p.n, _outcome(lambda: delattr(p, "n")), hasattr(p, "n")]
    s = self_(1)
    s.other = 5
    seen["mutable"] = [s.other, self_.__hash__ is None]
    seen["after"] = {name: str(inspect.signature(cls)) for name, cls in classes.items()}
    seen["annotations"] = {name: cls.__init__.__annotations__ for name, cls in classes.items()
                           if name != "plain"}
    seen["params"] = {name: repr(cls.__dataclass_params__)  # type: ignore[attr-defined]
                      for name, cls in classes.items()}
    seen["match_args"] = {name: getattr(cls, "__match_args__", None)
                          for name, cls in classes.items()}
    return seen


def test_init_as_the_standard_decorators() -> None:
    standard = _init_behaviour(_init_cases(dataclasses.dataclass))
    ours_seen = _init_behaviour(_init_cases(ours))
    assert ours_seen == standard
    # Worked by hand, as the standard decorator documents it.
    # (The annotations are text: this module has `from __future__ import annotations`.)
    assert standard["full"][0] == ("(a: 'int', b: 'str' = 'b', c: 'list[int]' = <factory>, "
                                   "*, f: 'int' = 6, g: 'str' = 'g') -> None")
    assert standard["keyword"][2] == ("TypeError", "_init_cases.<locals>.Keyword.__init__() "
                                      "missing 1 required keyword-only argument: 'code'")
    assert standard["post"][2] == ("ValueError", "negative: -1")
    assert standard["frozen"][:3] == [("FrozenInstanceError", "cannot assign to field 'a'"),
                                      ("FrozenInstanceError", "cannot delete field 'a'"),
                                      ("FrozenInstanceError", "cannot assign to field 'new'")]
    assert standard["frozen"][3:] == [("FrozenInstanceError", "cannot assign to field 'a'"),
                                      "None", 3, "None", False]


@DECORATORS
def test_a_field_without_default_after_defaults_is_refused_at_once(decorate: Decorator) -> None:
    with pytest.raises(TypeError, match=r"^non-default argument 'b' follows default argument"):
        @decorate(frozen=True)
        class Wrong:
            """Refused when defined, not at its first instance."""

            a: int = 1
            b: int  # type: ignore[misc]


@DECORATORS
def test_initvar_and_no_docstring_as_the_standard(decorate: Decorator) -> None:
    # Left to the standard decorator: the InitVar pseudo-field, and the docstring it
    # writes from the signature.
    @decorate(frozen=True)
    class Scaled:
        """Takes a factor that is not a field."""

        a: int
        factor: dataclasses.InitVar[int] = 1

        def __post_init__(self, factor: int) -> None:
            object.__setattr__(self, "a", self.a * factor)

    @decorate(frozen=True)
    class Bare:
        a: int
        b: str = "x"

    assert Scaled(2, 3).a == 6
    assert Scaled(2).a == 2
    assert [f.name for f in dataclasses.fields(Scaled)] == ["a"]
    assert Bare.__doc__ == "Bare(a: 'int', b: 'str' = 'x')"


def test_init_is_made_at_the_first_instance() -> None:
    @ours(frozen=True)
    class Late:
        """Made late."""

        a: int
        b: str = "x"

    stand_in = Late.__init__
    assert "_Init" in type(stand_in).__name__
    assert Late(1) == Late(1, "x")
    made = Late.__init__
    assert made is not stand_in
    assert made.__code__.co_filename == "<string>"
    assert made.__qualname__.endswith("Late.__init__")
    assert made.__defaults__ == ("x",)
    assert Late.__setattr__.__qualname__.endswith("Late.__setattr__")
    # A stand-in kept elsewhere still works, with the same function.
    value = Late.__new__(Late)
    stand_in(value, 2)
    assert value == Late(2)


def _ordered_cases(decorate: Decorator) -> dict[str, Any]:
    @decorate(frozen=True, order=True)
    class Ordered:
        """Compared by fields, in order (as quantities.Unit)."""

        a: int
        b: str = "b"
        c: int = dataclasses.field(default=0, compare=False)

    @decorate(frozen=True, slots=True, order=True)
    class Slotted:
        """Slots and order (as Duration)."""

        days: int
        note: str = dataclasses.field(default="n", init=False)
        tags: tuple[str, ...] = dataclasses.field(default_factory=tuple)

    @decorate(frozen=True, slots=True)
    class Day:
        """Slots (as StudyDay)."""

        n: int

    @decorate(frozen=True, slots=True, repr=False)
    class Own:
        """Its own repr (as LengthRange)."""

        a: int

        def __repr__(self) -> str:
            return f"Own<{self.a}>"

    @decorate(repr=False)
    class Quiet:
        """No repr of the decorator's: object's."""

        a: int

    o1, o2, o3 = Ordered(1), Ordered(1, "c"), Ordered(2, "a", 9)
    s1, s2 = Slotted(3), Slotted(4, ("x",))
    import inspect

    def compare(x: Any, y: Any) -> Any:
        return [_outcome(lambda: x < y), _outcome(lambda: x <= y), _outcome(lambda: x > y),
                _outcome(lambda: x >= y)]

    return {
        "signatures": [str(inspect.signature(c)) for c in (Ordered, Slotted, Day, Own, Quiet)],
        "ordered": [compare(o1, o2), compare(o3, o2), compare(o1, Ordered(1, "b", 5)),
                    _outcome(lambda: o1 < 1), sorted([o3, o2, o1]) == [o1, o2, o3],
                    hash(o1) == hash((1, "b"))],
        "slotted": [repr(s1), repr(s2), compare(s1, s2), s1.note, s2.tags,
                    hash(s1) == hash((3, "n", ())), Slotted.__slots__,
                    hasattr(s1, "__dict__"), s2.__getstate__(), copy.copy(s2) == s2,
                    copy.deepcopy(s2) == s2, _outcome(lambda: setattr(s1, "days", 5)),
                    _outcome(lambda: setattr(s1, "other", 5)),
                    repr(dataclasses.replace(s2, days=7))],
        "day": [repr(Day(1)), Day(1) == Day(1), hash(Day(2)) == hash((2,)), Day.__slots__,
                Day(5).__getstate__(), Day.__match_args__],
        "own": [repr(Own(1)), Own(1) == Own(1), hash(Own(1)) == hash((1,))],
        "quiet": [repr(Quiet(1)).startswith("<"), Quiet(1) == Quiet(1), Quiet.__hash__],
        "params": [repr(c.__dataclass_params__)  # type: ignore[attr-defined]
                   for c in (Ordered, Slotted, Day, Own, Quiet)],
        "qualnames": [Ordered.__lt__.__qualname__.rsplit(".", 2)[-2:],
                      Slotted.__init__.__qualname__.rsplit(".", 2)[-2:]],
    }


def test_order_slots_and_repr_as_the_standard_decorators() -> None:
    standard = _ordered_cases(dataclasses.dataclass)
    assert _ordered_cases(ours) == standard
    # By hand: (a, b) tuples compared ("b" < "c"), c left out; another type is refused.
    assert standard["ordered"][0] == ["True", "True", "False", "False"]
    assert standard["ordered"][2] == ["False", "True", "False", "True"]
    assert standard["ordered"][3][0] == "TypeError"
    assert standard["slotted"][0] == "_ordered_cases.<locals>.Slotted(days=3, note='n', tags=())"
    assert standard["slotted"][6:8] == [("days", "note", "tags"), False]


@DECORATORS
def test_a_comparison_of_its_own_is_refused_with_order(decorate: Decorator) -> None:
    with pytest.raises(TypeError, match="Cannot overwrite attribute __lt__"):
        @decorate(frozen=True, order=True)
        class Twice:
            """Says how it compares, and asks for order too."""

            a: int

            def __lt__(self, other: object) -> bool:
                return False


@pytest.mark.parametrize("options", [
    {}, {"frozen": True}, {"order": True}, {"frozen": True, "order": True},
    {"slots": True}, {"frozen": True, "slots": True}, {"repr": False}])
def test_the_options_the_docstring_names_take_the_lazy_path(options: dict[str, bool]) -> None:
    # The module docstring said only @dataclass and @dataclass(frozen=True) did, and that
    # order and slots went to the standard decorator unchanged: they take this path.
    @_records.dataclass(**options)
    class Point:
        """A point."""

        x: int

    assert isinstance(Point.__dict__["__init__"], _records._Init)
    if options.get("order"):
        assert Point.__dict__["__lt__"].__code__.co_filename == _records.__file__
    assert Point(1) == Point(1)


@pytest.mark.parametrize("options", [{"eq": False}, {"kw_only": True}, {"init": False}])
def test_other_options_go_to_the_standard_decorator(options: dict[str, bool]) -> None:
    @_records.dataclass(**options)  # type: ignore[call-overload]
    class Point:
        """A point."""

        x: int = 0

    assert not isinstance(Point.__dict__.get("__init__"), _records._Init)
