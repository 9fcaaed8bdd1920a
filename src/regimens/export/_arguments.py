"""Arguments every output takes, checked once: ``blinded``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ExpandOptionTypeError

if TYPE_CHECKING:
    from ..engine import Schedule

__all__ = ["blinded_argument", "blinded_record"]


def blinded_argument(blinded: object) -> bool | None:
    """``blinded`` as the outputs take it: True (hide arm, dose and placebo everywhere),
    None (only in blinded periods) or False (nowhere).

    Raises:
        ExpandOptionTypeError: anything else: text such as ``"no"`` would be true and
            blind the whole output without a word.
    """
    if blinded is None or isinstance(blinded, bool):
        return blinded
    raise ExpandOptionTypeError("blinded", "True (hide arm, dose and placebo everywhere), None "
                                "(only in blinded periods) or False (nowhere)", blinded)


def blinded_record(s: Schedule, blinded: bool | None) -> None:
    """Refuse an output that blinds the arm (``blinded`` True, or None with a blinded
    period on the path) of a schedule replayed over a record with a ``reduce`` row the
    arms' courses of a blinded period take differently: every arm's output would not be
    the same (docs/record.md, "Dose changes"; the command line refuses it as it reads the
    record).

    Raises:
        InvalidRecordError: such a row (code ``blinded-levels-differ``), the same on
            every arm.
    """
    replayed = s.replayed
    if replayed is None:
        return
    if blinded is False or (blinded is None and not any(p.blinded for p in s.periods)):
        return
    replayed.record.check_against(s.regimen, s.arm, blinded=True)
