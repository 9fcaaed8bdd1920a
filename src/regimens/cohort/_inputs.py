"""The batch API's inputs, one per participant: start dates, arms, lengths, time zones.

Each is read as a NumPy array (or one value for everyone) and checked with the
engine's own option checks, so a rule and its message live in one place; an
error about one participant's value names that participant (``participant``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, tzinfo
from typing import TYPE_CHECKING, Any

from ..engine import check_arm, parse_start, parse_zone
from ..errors import ExpandOptionError, ExpandOptionTypeError
from ..model import Regimen
from ..quantities import Duration, counted

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = ["EXTRA", "arms", "lengths", "numpy", "pyarrow", "starts", "zones"]

EXTRA = "regimens[cohort]"


def numpy() -> Any:
    """The ``numpy`` module, or an ImportError naming the ``regimens[cohort]`` extra."""
    try:
        import numpy
    except ImportError:
        raise ImportError(
            f"regimens.cohort needs NumPy: install the extra with pip install '{EXTRA}'"
        ) from None
    return numpy


def pyarrow() -> Any:
    """The ``pyarrow`` module, or an ImportError naming the ``regimens[cohort]`` extra."""
    try:
        import pyarrow
    except ImportError:
        raise ImportError(
            f"Cohort.to_arrow needs pyarrow: install the extra with pip install '{EXTRA}'"
        ) from None
    return pyarrow


def starts(given: Any, np: Any) -> NDArray[np.datetime64]:
    """Study Day 1 per participant, as ``datetime64[D]``.

    A ``datetime64`` array is checked as a whole; any other sequence item by
    item with the engine's :func:`~regimens.engine.parse_start`, whose error
    names the item (``starts[3]``).
    """
    if isinstance(given, (str, date)) or not isinstance(given, Iterable):
        raise ExpandOptionTypeError("starts", "give one start date per participant (a "
                                    "sequence)", given)
    if isinstance(given, np.ndarray) and given.dtype.kind == "M":
        if np.isnat(given).any():
            raise ExpandOptionError("starts", "a start date is missing (NaT)")
        if np.datetime_data(given.dtype)[0] in ("Y", "M", "W"):
            # datetime64[M] would silently mean the 1st of each month.
            raise ExpandOptionError("starts", "give each start to the day (datetime64[D])",
                                    str(given.dtype))
        days = given.astype("datetime64[D]")
        if (days != given).any():
            raise ExpandOptionError("starts", "the starts are calendar dates, not dates and "
                                    "times")
    else:
        days = np.array([parse_start(item, f"starts[{i}]") for i, item in enumerate(given)],
                        dtype="datetime64[D]")
    days = np.ascontiguousarray(days, dtype="datetime64[D]").reshape(-1)
    if np.isnat(days).any():
        raise ExpandOptionError("starts", "a start date is missing (NaT)")
    return days  # type: ignore[no-any-return]


def _coded(option: str, given: Any, n: int, what: str, np: Any) -> tuple[list[str], Any]:
    """Texts, one per participant: the distinct ones (sorted) and each participant's code.

    A dict maps each text to its code in one pass (no sort of n Python strings); the
    distinct values are then checked and sorted, so codes do not depend on input order.
    """
    if not isinstance(given, Iterable):
        # (None or a number: "not iterable" from inside says nothing of the argument.)
        raise ExpandOptionTypeError(option, f"one {what} for everyone (text), or a sequence "
                                    "with one per participant", given)
    items = given if isinstance(given, (list, tuple)) else list(given)
    if len(items) != n:
        raise ExpandOptionError(option, f"{counted(len(items), what)} for "
                                f"{counted(n, 'participant')}")
    table: dict[Any, int] = {}
    try:
        first = np.fromiter((table.setdefault(item, len(table)) for item in items),
                            dtype="int64", count=n)
    except TypeError:  # an unhashable item (a list...): not text
        first = None
    labels = list(table)
    # (any, not next(..., None): None is itself a label that is not text.)
    if first is None or any(not isinstance(label, str) for label in labels):
        row = next(i for i, item in enumerate(items) if not isinstance(item, str))
        raise ExpandOptionTypeError(option, f"each {what} is text", items[row],
                                    participant=row)
    order = sorted(range(len(labels)), key=labels.__getitem__)
    remap = np.empty(len(labels), dtype="int64")
    remap[order] = np.arange(len(labels))
    return [labels[i] for i in order], remap[first] if n else first


def arms(regimen: Regimen, given: Any, n: int, np: Any) -> tuple[tuple[str, ...], Any]:
    """The arms in the regimen's order (those given), and each participant's code into them.

    ``given``: one arm id for everyone, or a sequence with one per participant.
    """
    if isinstance(given, str):
        check_arm(regimen, given)
        return (given,), np.zeros(n, dtype="int64")
    labels, inverse = _coded("arm", given, n, "arm", np)
    for code, label in enumerate(labels):
        try:
            check_arm(regimen, label)
        except ExpandOptionError as exc:
            row = int(np.flatnonzero(inverse == code)[0])
            raise type(exc)(exc.option, exc.reason, exc.value, participant=row) from None
    # Codes in the regimen's order of arms, so the result does not depend on spelling order.
    order = [a.id for a in regimen.arms if a.id in labels]
    remap = np.array([order.index(label) for label in labels], dtype="int64")
    return tuple(order), remap[inverse] if n else inverse


def lengths(given: Mapping[str, Any] | None, n: int, np: Any) -> list[
        tuple[str, list[str], Any]]:
    """Per period id: the distinct length texts and each participant's code into them."""
    found = []
    for period_id, value in (given or {}).items():
        if isinstance(value, Duration):
            value = str(value)  # "12 weeks": read back to the same days, as expand takes it
        if isinstance(value, str):
            found.append((period_id, [value], np.zeros(n, dtype="int64")))
            continue
        labels, inverse = _coded(f"lengths.{period_id}", value, n, "length", np)
        found.append((period_id, labels, inverse))
    return found


def zones(given: Any, n: int, np: Any) -> tuple[tuple[str, ...], Any] | None:
    """The IANA zones given (sorted) and each participant's code into them, or None."""
    if given is None:
        return None
    if isinstance(given, str | tzinfo):
        # One zone for everyone: a name, or a ZoneInfo taken by its key (as expand takes it).
        return (str(parse_zone(given)),), np.zeros(n, dtype="int64")
    if isinstance(given, (list, tuple)) and any(isinstance(g, tzinfo) for g in given):
        # A ZoneInfo of a participant's is taken by its key; another tzinfo is refused by
        # the engine's rule, at its row (its text, "UTC", would read as a name).
        keyed = []
        for row, item in enumerate(given):
            if isinstance(item, tzinfo):
                try:
                    item = str(parse_zone(item))
                except ExpandOptionError as exc:
                    raise type(exc)(exc.option, exc.reason, exc.value,
                                    participant=row) from None
            keyed.append(item)
        given = keyed
    labels, inverse = _coded("tz", given, n, "time zone", np)
    for code, label in enumerate(labels):
        try:
            parse_zone(label)
        except ExpandOptionError as exc:
            row = int(np.flatnonzero(inverse == code)[0])
            raise type(exc)(exc.option, exc.reason, exc.value, participant=row) from None
    return tuple(labels), inverse
