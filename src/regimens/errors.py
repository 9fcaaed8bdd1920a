"""Exceptions and warnings: one root, structured fields, messages derived from them.

The tree (each class also inherits the built-in exception a caller would
naturally catch, so ``except ValueError`` keeps working for code that does not
know this library)::

    RegimenError
    ├── InvalidRegimenError (ValueError)    a file or document; .problems: tuple[Problem, ...]
    │   └── InvalidRecordError              ... a participant's record (not the regimen)
    ├── RegimenNotFoundError (LookupError)  no file, no catalogue entry: .name, .known
    ├── RegimenLookupError (LookupError)    Regimen.drug/arm/period: .kind, .key, .known
    ├── UnitError (ValueError)              a quantity's text: .text, .reason, .allowed
    ├── QuantityError (ValueError)          a number out of its domain: .quantity, .reason, .value
    │   └── QuantityTypeError (TypeError)   ... of the wrong type (StudyDay("3"))
    ├── ParticipantError (ValueError)       a measurement or label: .field, .reason, .value,
    │   │                                   .participant (a cohort row)
    │   ├── ParticipantTypeError (TypeError) ... of the wrong type (Participant(label=5))
    │   └── MissingMeasurementError         ... that a dose needs: .needed, .file, .line, .loc
    ├── ExpandOptionError (ValueError)      an option (arm, start, lengths, stamp, ...):
    │   │                                   .option, .reason, .value, .participant
    │   └── ExpandOptionTypeError (TypeError) ... of the wrong type (tz=timezone.utc)
    ├── DoseError (ValueError)              a dose not computable safely: .reason, .participant,
    │                                       .file, .line, .loc (a dose read from a file)
    ├── BlindedOutputError (ValueError)     a blinded output that would differ between the
    │                                       arms of its blinded period: .periods, .arms,
    │                                       .difference
    └── PublishError (OSError)              CalDAV publishing: .reason, .url, .status

    RegimenWarning (UserWarning)
    ├── RoundingWarning                     rounding moved a dose by more than 10%
    │   └── StandardDoseWarning             no standard dose within the tolerance
    ├── TimeShiftWarning                    a time of day moved out of a daylight-saving gap
    ├── ClosedDayWarning                    clinic work stays on a day the site is closed
    ├── AnchorLengthWarning                 a date placed by a period's length assumed
    ├── CumulativeDoseWarning               a dose would take a drug past its max_cumulative
    ├── OverdoseWarning                     a record gives more than the planned dose
    ├── ImplausibleMeasurementWarning       a record's measurement changed implausibly
    └── RecordWarning                       a record row the replay takes only in part
        ├── GivenAfterArmWarning            a dose recorded after the arm's last day
        └── UnitSlipWarning                 a dose given a power of 1000 off the one due

Every error keeps its parts as attributes and builds its message from them in
``__str__``; nothing in the library reads a message back. Every error pickles
(``pickle.loads(pickle.dumps(exc))`` gives an error with equal fields and an
equal message), so errors cross process pools. An offending value is kept as given
(``exc.value is`` the object passed); in the pickled copy plain data (numbers, text,
dates, ``Decimal``, ``None``, and tuples, lists, sets and dicts of them, even one that
contains itself) is kept, another value as it is when it pickles and reads back with
the same ``repr()`` and ``str()`` (a named tuple stays ``P(x=1, y=2)``), and any other
(an open file, a lock, a generator) is an :class:`UnpicklableValue` with the value's
``str()`` and ``repr()``, so the message reads the same; pickling an error never
raises. Each class has a stable
kebab-case ``code``; each :class:`Problem` has its own ``code`` naming the rule
it breaks and a ``loc`` tuple locating it in the document, as pydantic's
error records do (``type``, ``loc``).
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import field
from datetime import date, time, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar

from ._records import dataclass

__all__ = [
    "NO_VALUE",
    "AnchorLengthWarning",
    "BlindedOutputError",
    "ClosedDayWarning",
    "CumulativeDoseWarning",
    "DoseError",
    "ExpandOptionError",
    "ExpandOptionTypeError",
    "GivenAfterArmWarning",
    "ImplausibleMeasurementWarning",
    "InvalidRecordError",
    "InvalidRegimenError",
    "Loc",
    "MissingMeasurementError",
    "OverdoseWarning",
    "ParticipantError",
    "ParticipantTypeError",
    "Problem",
    "PublishError",
    "QuantityError",
    "QuantityTypeError",
    "RecordWarning",
    "RegimenError",
    "RegimenLookupError",
    "RegimenNotFoundError",
    "RegimenWarning",
    "RoundingWarning",
    "StandardDoseWarning",
    "TimeShiftWarning",
    "UnitError",
    "UnitSlipWarning",
    "UnpicklableValue",
    "format_loc",
]

#: Where a problem is in a document: mapping keys and list indices from the root.
Loc = tuple[str | int, ...]


class _NoValue(enum.Enum):
    """The type of :data:`NO_VALUE` (an enum member so that it pickles to itself)."""

    NO_VALUE = "no value"

    def __repr__(self) -> str:
        return "NO_VALUE"


#: "No offending value to show": distinct from ``None``, which is YAML's null.
NO_VALUE = _NoValue.NO_VALUE


def show(value: object) -> str:
    """The offending value as it appears in a message: strings quoted, long values cut."""
    if isinstance(value, str):
        text = repr(value)
    elif isinstance(value, bool) or value is None:
        text = {True: "true", False: "false", None: "null"}[value]
    elif isinstance(value, dict):
        text = "a mapping"
    elif isinstance(value, list):
        text = "a list"
    elif isinstance(value, UnpicklableValue) and value.noun is not None:
        text = value.noun  # a pickled copy's mapping or list, shown as the original was
    else:
        text = str(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return text


def _detail(reason: str, value: object, participant: int | None) -> str:
    """``[participant ROW: ]REASON[ (got VALUE)]``: the part of a message after its name."""
    row = "" if participant is None else f"participant {participant}: "
    return row + reason + ("" if value is None else f" (got {show(value)})")


def format_loc(loc: Loc) -> str:
    """The field path of a location as messages print it.

    >>> format_loc(("periods", 1, "courses", 0, "days"))
    'periods[1].courses[0].days'
    >>> format_loc(())
    ''
    """
    text = ""
    for key in loc:
        if isinstance(key, int):
            text += f"[{key}]"
        else:
            text += f".{key}" if text else key
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a regimen file.

    Fields: ``file`` (the name given to ``load``/``loads``), ``line`` (1-based, or
    ``None`` when the problem has no line, e.g. an unreadable file), ``loc`` (the
    field's location from the document root: ``("periods", 0, "courses", 1,
    "days")``; ``()`` for the whole document), ``message`` (what is wrong and what
    is allowed), ``value`` (the offending value, or :data:`NO_VALUE`) and ``code``
    (a stable kebab-case name of the rule, e.g. ``"unknown-field"``,
    ``"day-outside-cycle"``; the English may be reworded, the code is not).

    ``str(problem)`` is the line printed for the user::

        FILE:LINE: field.path: what is wrong (got VALUE)
    """

    file: str
    line: int | None
    loc: Loc
    message: str
    value: object = NO_VALUE
    code: str = field(kw_only=True)

    def __post_init__(self) -> None:
        if not isinstance(self.loc, tuple):
            raise TypeError(f"Problem.loc is a tuple of keys and indices (got {self.loc!r})")
        if not self.code:
            raise TypeError("a Problem needs a code naming the rule it breaks")

    @property
    def path(self) -> str:
        """The location as text: ``periods[0].courses[1].days`` (``""`` for the document)."""
        return format_loc(self.loc)

    @property
    def has_value(self) -> bool:
        """Whether the message shows an offending value (``None`` is one: YAML null)."""
        return self.value is not NO_VALUE

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        text = f"{where}: {self.path or '(document)'}: {self.message}"
        if self.has_value:
            text += f" (got {show(self.value)})"
        return text


class UnpicklableValue:
    """Stands in, in a pickled error, for an offending value that is not plain data (an
    open file, a lock, a generator, any object): ``text`` is the value's ``repr()`` and
    ``shown`` its ``str()``, which this object's ``repr()`` and ``str()`` return, so the
    error's message reads as it did; ``noun`` is ``"a mapping"`` or ``"a list"`` for a
    mapping or list of a caller's type that does not pickle (messages show those so),
    else None. Equal when all three are equal."""

    __slots__ = ("noun", "shown", "text")

    def __init__(self, text: str, shown: str, noun: str | None = None) -> None:
        self.text = text
        self.shown = shown
        self.noun = noun

    def __repr__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.shown

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, UnpicklableValue):
            return NotImplemented
        return (self.text, self.shown, self.noun) == (other.text, other.shown, other.noun)

    def __hash__(self) -> int:
        return hash((self.text, self.shown, self.noun))

    def __reduce__(self) -> tuple[Any, ...]:
        return (UnpicklableValue, (self.text, self.shown, self.noun))


#: Values an error's pickled copy keeps as they are: plain data, which pickles (these
#: types exactly: a subclass, an IntEnum of a caller's, may not pickle or may read back
#: otherwise, and is tried as any other object is).
_PLAIN = frozenset({type(None), bool, int, float, complex, str, bytes, Decimal, Fraction, date,
                    time, timedelta, _NoValue})


class _Cycle(Exception):
    """A tuple, set or frozenset that contains itself (through a list or a mapping)."""


_BUSY = object()  # in the memo: a tuple or set being copied (it cannot be made first)


def _picklable(value: object) -> object:
    """``value`` for an error's pickled copy, read back with the same ``str()``, ``repr()``
    and message: plain data as it is (lists, mappings, tuples and sets item by item, a
    list or mapping that contains itself with the same shape), another object as it is
    when it pickles and reads back the same (a named tuple: ``P(x=1, y=2)``, not
    ``(1, 2)``), else an :class:`UnpicklableValue` with its text (a file, a lock, a
    generator). Never raises: any value falls back to its text."""
    try:
        return _copy(value, {})
    except (_Cycle, RecursionError):  # a tuple in a cycle; nesting deeper than Python's
        return _whole(value)


def _copy(value: object, memo: dict[int, object]) -> object:
    kind = type(value)
    if kind in _PLAIN:
        return value
    seen = memo.get(id(value))
    if seen is _BUSY:
        raise _Cycle
    if seen is not None:
        return seen  # the copy of a list or mapping met again: the same shape, a cycle kept
    # A list or mapping is made before its items, so an item that is the container
    # itself is the copy.
    if kind is list and isinstance(value, list):
        items: list[object] = []
        memo[id(value)] = items
        items.extend(_copy(v, memo) for v in value)
        return items
    if kind is dict and isinstance(value, dict):
        mapping: dict[object, object] = {}
        memo[id(value)] = mapping
        for k, v in value.items():
            mapping[_copy(k, memo)] = _copy(v, memo)
        return mapping
    if kind is tuple or kind is set or kind is frozenset:
        memo[id(value)] = _BUSY
        made = kind(_copy(v, memo) for v in value)  # type: ignore[attr-defined]
        memo[id(value)] = made
        return made
    if isinstance(value, Problem) and kind is Problem:
        return dataclasses.replace(value, value=_copy(value.value, memo))
    if isinstance(value, enum.Enum) and kind.__module__.startswith("regimens."):
        return value  # the library's own (pickled by name)
    return _whole(value)


def _whole(value: object) -> object:
    """``value`` itself when it pickles and reads back with the same ``repr()`` and
    ``str()`` (a named tuple, a caller's mapping type); else an :class:`UnpicklableValue`
    with its text."""
    try:
        text, shown = repr(value), str(value)
    except Exception:  # any object's repr may fail; the error must still pickle
        return UnpicklableValue(f"<{type(value).__name__} object>",
                                f"<{type(value).__name__} object>")
    import pickle  # (only when an error is pickled: not on a command's cold path)

    try:
        copy = pickle.loads(pickle.dumps(value))
        if repr(copy) == text and str(copy) == shown:
            return value
    except Exception:  # not picklable, or reads back otherwise: its text
        pass
    # A mapping or list of a caller's type (a YAML loader's mapping) is shown as one.
    noun = "a mapping" if isinstance(value, dict) else "a list" if isinstance(
        value, list) else None
    return UnpicklableValue(text, shown, noun)


class RegimenError(Exception):
    """Root of every error this library raises on purpose.

    ``code`` is a stable kebab-case name of the class, for programs that report
    errors without matching English text.
    """

    code: ClassVar[str] = "regimen-error"

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuild from the fields, not from the message (Exception's default would call
        # __init__(*self.args)); subclasses list their fields in _fields(). An offending
        # value that is not plain data goes as its text: a file or a lock given as an
        # option would make the error itself unpicklable.
        memo: dict[int, object] = {}  # one copy per object: shared values stay shared
        try:
            state = {name: _copy(value, memo) for name, value in self.__dict__.items()}
            fields = _copy(self._fields(), memo)
        except (_Cycle, RecursionError):
            state = {name: _picklable(value) for name, value in self.__dict__.items()}
            fields = tuple(_picklable(v) for v in self._fields())
        return (type(self), fields, state or None)

    def _fields(self) -> tuple[object, ...]:
        return tuple(self.args)


class InvalidRegimenError(RegimenError, ValueError):
    """A regimen file or document is invalid.

    ``problems`` is a tuple of every :class:`Problem` found (at least one); the
    message is their lines, one per problem.
    """

    code = "invalid-regimen"

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self.problems)

    def _fields(self) -> tuple[object, ...]:
        return (self.problems,)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class InvalidRecordError(InvalidRegimenError):
    """A participant's record of treatment is invalid, not the regimen: a record file that
    cannot be read, a row with a problem of its own, a row that names what the regimen or
    the participant's schedule lacks, a row the replay cannot apply (docs/record.md).

    Raised by every route that reads or replays a record: ``read_record``,
    ``load_record``, ``Record(...)`` and ``RecordRow(...)``, ``Record.check_against``,
    ``regimens.record.replay`` and ``Regimen.expand(..., record=...)`` (and the command
    line's ``--record``). A subclass of :class:`InvalidRegimenError`, with the same
    fields (``problems``, one :class:`Problem` per mistake, each with its own ``code``:
    ``record-outside-arm``, ...) and the same message, so that code catching
    ``InvalidRegimenError`` or ``ValueError`` still catches it, and code that must tell a
    wrong record from a wrong regimen catches this class first.
    """

    code = "invalid-record"


class RegimenNotFoundError(RegimenError, LookupError):
    """No file at that path and no catalogue entry with that id.

    ``name`` is what was asked for; ``known`` the catalogue ids.
    """

    code = "regimen-not-found"

    def __init__(self, name: str, known: tuple[str, ...] = ()) -> None:
        self.name = name
        self.known = tuple(known)
        super().__init__(name, self.known)

    def __str__(self) -> str:
        message = f"no regimen file or catalogue entry named {self.name!r}"
        if self.known:
            message += f"; catalogue ids: {', '.join(self.known)}"
        return message


class UnitError(RegimenError, ValueError):
    """A quantity (dose, weight, height, duration) could not be read.

    ``text`` is the offending input, ``reason`` what is wrong with it and
    ``allowed`` what would be accepted (may be empty). Message: ``REASON; ALLOWED``.
    """

    code = "unit"

    def __init__(self, text: object, reason: str, allowed: str = "") -> None:
        self.text = text
        self.reason = reason
        self.allowed = allowed
        super().__init__(text, reason, allowed)

    def __str__(self) -> str:
        return self.reason if not self.allowed else f"{self.reason}; {self.allowed}"


class QuantityError(RegimenError, ValueError):
    """A number given in Python is outside its domain (``StudyDay(0)``, ``bsa()`` of 0 cm).

    ``quantity`` names what was given (``"study day"``, ``"bsa"``), ``reason`` what
    is wrong, ``value`` the offending value or :data:`NO_VALUE`. Message: ``REASON``,
    followed by ``(got repr(VALUE))`` when there is a value.
    """

    code = "quantity"

    def __init__(self, quantity: str, reason: str, value: object = NO_VALUE) -> None:
        self.quantity = quantity
        self.reason = reason
        self.value = value
        super().__init__(quantity, reason, value)

    def __str__(self) -> str:
        return self.reason + ("" if self.value is NO_VALUE else f" (got {self.value!r})")


class QuantityTypeError(QuantityError, TypeError):
    """A value of the wrong type where a number was expected (``StudyDay("3")``).

    Same fields as :class:`QuantityError`; also a ``TypeError``.
    """

    code = "quantity-type"


class ParticipantError(RegimenError, ValueError):
    """A participant measurement or label is missing, malformed or implausible.

    ``field`` names it (``"weight"``, ``"label"``; ``"weights"`` for a cohort column),
    ``reason`` says what is wrong and what is allowed, ``value`` is the offending
    value (``None``: not shown), ``participant`` the cohort row (0-based) or ``None``.
    Message: ``FIELD: [participant ROW: ]REASON (got VALUE)``.
    """

    code = "participant"

    def __init__(self, field: str, reason: str, value: object = None,
                 participant: int | None = None) -> None:
        self.field = field
        self.reason = reason
        self.value = value
        self.participant = participant
        super().__init__(field, reason, value, participant)

    @property
    def detail(self) -> str:
        """The message without the field name: ``[participant ROW: ]REASON (got VALUE)``."""
        return _detail(self.reason, self.value, self.participant)

    def __str__(self) -> str:
        return f"{self.field}: {self.detail}"


class ParticipantTypeError(ParticipantError, TypeError):
    """A participant's field of the wrong type (``Participant(label=5)``: a label is
    text).

    Same fields and message as :class:`ParticipantError`; also a ``TypeError``.
    """

    code = "participant-type"


class MissingMeasurementError(ParticipantError):
    """A body-size dose needs a measurement that was not given.

    ``needed`` lists every missing measurement (``("height", "weight")``); ``field``
    is the first of them. The dose that needs it, when read from a file, is located as
    :class:`DoseError` locates one: ``file``, ``line`` and ``loc`` (the dose field's path:
    ``("periods", 0, "courses", 1, "dose")``); ``file`` is None otherwise (a dose built in
    Python, a cohort's arguments). Message: ``FIELD: REASON``, then with a file ``; the
    dose that needs it is at FILE:LINE (PATH)``; :attr:`detail` the same without
    ``FIELD: ``.
    """

    code = "missing-measurement"

    def __init__(self, field: str, reason: str, needed: tuple[str, ...],
                 file: str | None = None, line: int | None = None, loc: Loc = ()) -> None:
        super().__init__(field, reason)
        self.needed = tuple(needed)
        self.file = file
        self.line = line
        self.loc: Loc = tuple(loc)
        self.args = (field, reason, self.needed)

    def _fields(self) -> tuple[object, ...]:
        return (self.field, self.reason, self.needed, self.file, self.line, self.loc)

    @property
    def path(self) -> str:
        """The dose field's path as text: ``periods[0].courses[1].dose`` (``""``: none)."""
        return format_loc(self.loc)

    @property
    def detail(self) -> str:
        """The message without the field name: ``REASON[; the dose that needs it is at
        FILE:LINE (PATH)]``."""
        text = super().detail
        if self.file is None:
            return text
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return text + f"; the dose that needs it is at {where}" + (
            f" ({self.path})" if self.path else "")


class RegimenLookupError(RegimenError, LookupError):
    """A regimen has no drug, arm or period with this id (``Regimen.drug("nope")``).

    ``kind`` is ``"drug"``, ``"arm"`` or ``"period"``; ``key`` the id asked for;
    ``known`` the ids the regimen has.
    """

    code = "regimen-lookup"

    def __init__(self, kind: str, key: object, known: tuple[str, ...] = ()) -> None:
        self.kind = kind
        self.key = key
        self.known = tuple(known)
        super().__init__(kind, key, self.known)

    def __str__(self) -> str:
        listed = f" ({self.kind}s: {', '.join(self.known)})" if self.known else ""
        return f"no {self.kind} has the id {show(self.key)}{listed}"


class DoseError(RegimenError, ValueError):
    """A dose cannot be computed safely for this participant (e.g. it rounds to nothing).

    ``reason`` says why and what to change; ``participant`` is the cohort row
    (0-based) it happened for, or ``None`` for a single participant. A dose read from
    a file is located as a :class:`Problem` is: ``file`` (the name given to ``load``),
    ``line`` (1-based) and ``loc`` (the dose field's path from the document root:
    ``("periods", 0, "courses", 1, "dose")``); ``file`` is ``None`` for a dose built in
    Python. Message: ``[FILE:LINE: PATH: ][participant ROW: ]REASON``.
    """

    code = "dose"

    def __init__(self, reason: str, participant: int | None = None, file: str | None = None,
                 line: int | None = None, loc: Loc = ()) -> None:
        self.reason = reason
        self.participant = participant
        self.file = file
        self.line = line
        self.loc: Loc = tuple(loc)
        super().__init__(reason, participant, file, line, self.loc)

    @property
    def path(self) -> str:
        """The dose field's path as text: ``periods[0].courses[1].dose`` (``""``: none)."""
        return format_loc(self.loc)

    def __str__(self) -> str:
        text = self.reason if self.participant is None else (
            f"participant {self.participant}: {self.reason}")
        if self.file is None:
            return text
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.path or '(document)'}: {text}"


class ExpandOptionError(RegimenError, ValueError):
    """An option is invalid: of ``expand`` (arm, start, lengths, time zone, formula), of a
    calendar (stamp, reminders, previous file), of a cohort (starts), of the CLI, or an
    argument of a public function of the wrong kind (``read_record(kind="xml")``,
    ``dumps(fmt="xml")``, ``load(None)``).

    ``option`` names it (``"start"``, ``"lengths.run-in"``), ``reason`` says what is
    wrong and what is allowed, ``value`` is the offending value (``None``: not
    shown), ``participant`` the cohort row (0-based) or ``None``. Message:
    ``OPTION: [participant ROW: ]REASON (got VALUE)``.

    The name is older than its scope; it is kept because callers catch it and
    reports name it (renaming would break both for no change in behaviour).
    """

    code = "option"

    def __init__(self, option: str, reason: str, value: object = None,
                 participant: int | None = None) -> None:
        self.option = option
        self.reason = reason
        self.value = value
        self.participant = participant
        super().__init__(option, reason, value, participant)

    @property
    def detail(self) -> str:
        """The message without the option name: ``[participant ROW: ]REASON (got VALUE)``."""
        return _detail(self.reason, self.value, self.participant)

    def __str__(self) -> str:
        return f"{self.option}: {self.detail}"


class ExpandOptionTypeError(ExpandOptionError, TypeError):
    """An option or argument of the wrong type (``tz=datetime.timezone.utc``, a tzinfo
    where a zone name is asked; ``to_ics(previous=Path(...))``, a path where the file's
    bytes are asked; ``lengths={"treatment": 15}``).

    Same fields and message as :class:`ExpandOptionError` (``reason`` says what is
    allowed); also a ``TypeError``.
    """

    code = "option-type"


class BlindedOutputError(RegimenError, ValueError):
    """A blinded output (a participant's calendar, month calendar, handout or diary, or a
    publication) that would not be the same on every arm the participant could be on
    behind the blind, and so could tell the arm: refused on every such arm alike.

    ``periods`` are the blinded periods (ids, in the regimen's order), ``arms`` the arms
    that go through them (in the regimen's order), ``difference`` says in words that name
    no arm what differs first (the same text whichever of ``arms`` was asked). Message:
    ``this blinded output would differ between the arms of blinded period PERIOD (ARMS),
    so it could tell the participant's arm: DIFFERENCE; ...``.
    """

    code = "blinded-output-differs"

    def __init__(self, periods: tuple[str, ...], arms: tuple[str, ...],
                 difference: str) -> None:
        self.periods = tuple(periods)
        self.arms = tuple(arms)
        self.difference = difference
        super().__init__(self.periods, self.arms, difference)

    def __str__(self) -> str:
        which = (f"period {self.periods[0]}" if len(self.periods) == 1
                 else f"periods {', '.join(self.periods)}")
        return (f"this blinded output would differ between the arms of blinded {which} "
                f"({', '.join(self.arms)}), so it could tell the participant's arm: "
                f"{self.difference}; it is refused on every one of these arms alike. "
                "Unblinded staff can have it with --unblinded (blinded=False); for "
                "participants, match the placebo courses and the record to the active ones")


class PublishError(RegimenError, OSError):
    """Publishing to a CalDAV server failed: unreachable, credentials refused, not a calendar.

    ``reason`` is the whole sentence shown; ``url`` the collection's URL without
    credentials (``None`` when there is none yet, e.g. a missing package);
    ``status`` the HTTP status when the server answered with one. The message
    never contains the password (nor credentials written into the URL).
    """

    code = "publish"

    def __init__(self, reason: str, *, url: str | None = None,
                 status: int | None = None) -> None:
        # OSError would read (errno, strerror) out of two positional arguments.
        super().__init__(reason)
        self.reason = reason
        self.url = url
        self.status = status

    def __reduce__(self) -> tuple[Any, ...]:
        return (_publish_error, (self.reason, self.url, self.status), self.__dict__)

    def __str__(self) -> str:
        return self.reason


def _publish_error(reason: str, url: str | None, status: int | None) -> PublishError:
    """Unpickle a :class:`PublishError` (its fields after the reason are keyword-only)."""
    return PublishError(reason, url=url, status=status)


class RegimenWarning(UserWarning):
    """Legal but risky: the schedule is produced, and the warning names the fix.

    Warnings compare by value: equal when of the same class with the same message
    arguments and attributes (``blind_safe`` when set, a :class:`GivenAfterArmWarning`'s
    fields), so that a warning, and a :class:`regimens.Schedule` holding it, equals its
    pickled or copied copy (an exception object otherwise compares by identity).
    """

    #: True when every arm of a blinded design gives this warning alike (a moved clock
    #: time, an implausible body measurement), so that a blinded output may show it.
    #: Otherwise (a dose, a step) a blinded output shows it only for an administration it
    #: shows unblinded: the warning could tell an active dose from a placebo.
    blind_safe: bool = False

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RegimenWarning):
            return NotImplemented
        return (type(self) is type(other) and self.args == other.args
                and vars(self) == vars(other))

    def __hash__(self) -> int:
        # Equal warnings have the same class and message; args may hold a caller's
        # unhashable value, their text never does.
        return hash((type(self), str(self)))


class RoundingWarning(RegimenWarning):
    """Rounding moved a dose by more than 10% of the computed amount."""


class StandardDoseWarning(RoundingWarning):
    """No standard dose (dose band, table row or whole-vial amount) is within the
    tolerance of a calculated dose, and the regimen says ``outside: calculated``: the
    calculated dose is given, not banded (docs/format.md, "Standard doses")."""


class TimeShiftWarning(RegimenWarning):
    """A local time of day does not exist on that date (daylight-saving gap) and was moved.

    Names the drug, the study day, the written time and the time given: the same on
    every arm of a matched blinded design.
    """

    blind_safe = True


class ClosedDayWarning(RegimenWarning):
    """Clinic work (a visit, a ``clinic`` administration) falls on a day the site is
    closed and no open day of its window can take it: it stays, as a reported conflict.

    Names the drug or visit, the Study Day, the date and why the site is closed. The
    courses of a drug in a blinded period share their window rules (refused otherwise),
    so every arm of a matched blinded design gives the same warnings.
    """

    blind_safe = True


class AnchorLengthWarning(RegimenWarning):
    """A date of the schedule is placed with the shortest length of a period of a range
    of lengths, no length being given for it, whatever placed the participant (``--start``,
    ``--anchor run-in=2027-01-04``, ``start=``, ``anchor=``, the batch API's starts): a
    period between the one anchored and the day_one one places Study Day 1 and every date
    from it; one after the period whose first day was given places the periods after it
    (and a visit at its end, or after the last dose of a drug given in it); one before it
    places its own doses and visits and the periods before it. A ranged period whose length
    moves no other date (the last one, nothing dated from its end) is no warning. Names the
    option as given, the period, the length assumed, the dates that depend on it and how
    to give it (``--length``, ``lengths=``): docs/cli.md, "--anchor"."""


class CumulativeDoseWarning(RegimenWarning):
    """An administration would take a drug's cumulative dose (given plus planned, or the
    plan's own) past its ``max_cumulative`` (450 mg/m² of doxorubicin): flagged before it
    happens, naming the drug, the date (and cycle and day) and the totals before and after
    it; or the limit cannot be added up (a per-m² limit without the BSA) and is not checked
    (docs/record.md, "Dose changes")."""


class OverdoseWarning(RegimenWarning):
    """A participant's record gives a drug in an amount above the planned one (500 mg
    where 109.2 mg was planned): never taken silently, also a protocol deviation in the
    record's summary (docs/record.md, "Summary")."""


class ImplausibleMeasurementWarning(RegimenWarning):
    """A participant's record has a measurement that changed implausibly from the previous
    one of the same kind (weight or BSA by more than 20%, height by more than 5 cm, serum
    creatinine or GFR doubled or halved), or that gives, with the other measurements in
    effect, a body-mass index outside 10 to 80 kg/m²: most often a wrong unit (63 lbs
    written for 63 kg). The doses after it are still computed from it, and the warning
    names the file, line, both values and the threshold (docs/record.md, "Dose changes";
    also listed in the record's summary). About the participant, not a dose: blind-safe,
    unless the arms' re-dosing rules differ (a measurement is also compared with the
    weight the arm's own ``redose`` rule kept): then it is not blind-safe on any arm.
    """

    blind_safe = True


class RecordWarning(RegimenWarning):
    """A participant's record has a row the replay takes only in part, or that contradicts
    what an earlier row says happened, and says how it was taken (docs/record.md): a
    ``reduce`` row "from cycle N" dated after doses of cycle N or later were given
    (it applies only to the doses not yet given: a given dose is a fact of its day), or a
    ``reduce`` row to dose level 0 with no reduction before it to undo. Names the file,
    line, drug and the rows concerned."""


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _weekday_date(day: date) -> str:
    """``Mon 2027-03-29``: the weekday in English whatever the locale (deterministic)."""
    return f"{_WEEKDAYS[day.weekday()]} {day.isoformat()}"


class GivenAfterArmWarning(RecordWarning):
    """A participant's record gives a dose dated after the arm's last day: kept (it may be
    real, a dose given after the protocol's end), counted as given, but never silently
    (it may be a date typed wrong: 2028 for 2027). A dose dated before the arm's first day
    is refused instead (code ``record-outside-arm``); both days are decided by one rule,
    the first day of the arm's first period and the last day of its last period as
    planned: the record's delays and moves do not move them (docs/record.md, "Replay").

    Fields: ``source`` and ``line`` (the record's file and the given row's line),
    ``drug`` (its id) and ``drug_name`` (as the schedule names it), ``given_on`` (the
    row's date) and ``study_day`` (its Study Day number, an int), ``arm`` (the arm's id),
    ``first_day`` and ``last_day`` (the arm's first and last days), ``assumed`` (the
    periods the last day rests on whose length is a range and was given none, each
    placed at its shortest: ``(period id, days, its length as written)``; empty when
    every length is known). The message is derived from them and says what to do: with
    every length known, if the date is wrong, void the row and record the dose again on
    the right date; with a length assumed, give it (``--length``, ``lengths=``), as the
    last day itself is then a guess. Not blind-safe: it names a dose given and the arm.
    """

    def __init__(self, *, source: str, line: int, drug: str, drug_name: str,
                 given_on: date, study_day: int, arm: str, first_day: date,
                 last_day: date, assumed: tuple[tuple[str, int, str], ...] = ()) -> None:
        self.source = source
        self.line = line
        self.drug = drug
        self.drug_name = drug_name
        self.given_on = given_on
        self.study_day = study_day
        self.arm = arm
        self.first_day = first_day
        self.last_day = last_day
        self.assumed = tuple(assumed)
        head = (f"{source}:{line}: {drug_name} given on {_weekday_date(given_on)} (Study Day "
                f"{study_day}), after the arm's last day, {_weekday_date(last_day)} (arm "
                f"{arm} runs from {_weekday_date(first_day)} to {_weekday_date(last_day)}): "
                "kept as given, counted in the totals and the dose intensity; ")
        if not self.assumed:
            super().__init__(head + "if the date is wrong (a year typed wrong), void this "
                             "row and record the dose again on the right date")
            return
        one = len(self.assumed) == 1
        periods = " and ".join(
            f"period {period} lasting {days} day{'' if days == 1 else 's'}, the shortest of "
            f"its length {length}" for period, days, length in self.assumed)
        options = " ".join(f"--length {period}=LENGTH" for period, _, _ in self.assumed)
        mapping = ", ".join(f"'{period}': LENGTH" for period, _, _ in self.assumed)
        super().__init__(
            head + f"that last day rests on {'a length' if one else 'lengths'} assumed, "
            f"{periods}, as no length was given for {'it' if one else 'them'}: give "
            f"{'its length' if one else 'their lengths'} ({options}, or "
            f"lengths={{{mapping}}})")

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only fields: the default (cls, args) would call it with the message.
        # Its __dict__ as the state, as PublishError's: an attribute set after it was made
        # (blind_safe, say) is kept too.
        return (_given_after_arm, (self.source, self.line, self.drug, self.drug_name,
                                   self.given_on, self.study_day, self.arm,
                                   self.first_day, self.last_day, self.assumed), self.__dict__)


class UnitSlipWarning(RecordWarning):
    """A participant's record gives a dose, with no reason, in an amount a unit slip away
    from the dose due that day: within 1% of it times a power of 1000 other than 1
    (1/1,000, 1/1,000,000, 1,000 times...), as ``145.6 mcg`` written for ``145.6 mg``
    makes it. The amount is kept as written (it may be real), but never taken silently as
    a partial dose: a partial dose is recorded with its reason, which leaves this warning
    out. Names the file, line, drug, both amounts, the factor and the unit most likely
    meant (docs/record.md, "Dose changes"). Not blind-safe: it names a dose given.
    """


def _given_after_arm(source: str, line: int, drug: str, drug_name: str, given_on: date,
                     study_day: int, arm: str, first_day: date, last_day: date,
                     assumed: tuple[tuple[str, int, str], ...] = ()) -> GivenAfterArmWarning:
    """Unpickle a :class:`GivenAfterArmWarning` (its fields are keyword-only)."""
    return GivenAfterArmWarning(source=source, line=line, drug=drug, drug_name=drug_name,
                                given_on=given_on, study_day=study_day, arm=arm,
                                first_day=first_day, last_day=last_day, assumed=assumed)


from ._public import claim  # noqa: E402 (after the names it claims)

claim(globals())
