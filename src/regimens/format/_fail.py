"""Located problems while reading a field: :class:`Fail` carries one, :func:`fail` makes one
at a cursor (file, line, field path, offending value, what is allowed).

Each field reader (``_lengths``, ``_doses``, ``_course_doses``, ``_timing``, ``_policy``)
takes a :class:`~regimens.format.Cursor` on the field and either returns the value or
raises :class:`Fail`. Rules that relate fields to each other (a day inside its cycle, one
pattern per course) are checked where the field is read; cross-references between parts
of the document are checked by ``_build``.
"""

from __future__ import annotations

from typing import Any

from ..errors import ParticipantError, Problem, UnitError
from ._source import Cursor

__all__ = [
    "Fail",
    "fail",
    "unit_fail",
]


class Fail(Exception):
    """One problem; stops reading the item it is found in."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def fail(cur: Cursor, message: str, value: Any = None, *, code: str, show: bool = True) -> Fail:
    """A located problem: ``code`` names the rule, ``value`` defaults to the value at ``cur``."""
    return Fail(cur.problem(message, code=code, value=value, show_value=show))


def unit_fail(cur: Cursor, exc: UnitError | ParticipantError) -> Fail:
    """The problem for a quantity that could not be read, told in the error's own words."""
    if isinstance(exc, UnitError):
        return fail(cur, str(exc), code="bad-quantity")
    return fail(cur, exc.reason, code="bad-measurement")
