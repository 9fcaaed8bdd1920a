"""The one decimal context every calculation of regimens runs in.

Python's :mod:`decimal` arithmetic, and even :meth:`~decimal.Decimal.normalize`,
formatting with a precision and ``abs()``, use the *calling thread's* context.
A program that sets ``decimal.getcontext().prec = 3`` for its own purposes would
otherwise change the doses regimens computes (72.45 kg read as 72.4 kg,
1.25 mg/kg giving 90.5 mg instead of 90.5625 mg). So every function that
does Decimal arithmetic, or builds a Decimal from text or a float, runs in a
local copy of :data:`EXACT`, whatever the caller's context is.

:data:`EXACT` has 100 significant digits: the products regimens forms (a dose
of at most 30 significant digits times a weight converted from pounds) are
exact well within that, and quotients are rounded half-even far below any
digit that is shown or compared. Invalid operations, division by zero and
overflow raise, as in Python's default context.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import ParamSpec, TypeVar

__all__ = ["EXACT", "MAX_SIGNIFICANT_DIGITS", "exactly"]

#: The most significant digits a dose or a body measurement may be written with.
MAX_SIGNIFICANT_DIGITS = 30

#: The context of all of regimens' decimal arithmetic (used through local copies only).
EXACT = Context(prec=100, rounding=ROUND_HALF_EVEN, Emin=-999_999, Emax=999_999, capitals=1,
                clamp=0, flags=[], traps=[InvalidOperation, DivisionByZero, Overflow])

_P = ParamSpec("_P")
_R = TypeVar("_R")


def exactly(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``func`` in a local copy of :data:`EXACT` (not for generators)."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with localcontext(EXACT):
            return func(*args, **kwargs)

    return wrapper
