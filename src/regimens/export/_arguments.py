"""Arguments every output takes, checked once: ``blinded``, and whether the schedule can be
blinded at all (:func:`blindable`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ExpandOptionTypeError, InvalidRegimenError, Problem
from ..model import Unmatched, unmatched

if TYPE_CHECKING:
    from ..engine import Schedule

__all__ = ["blindable", "blinded_argument", "blinded_record", "unmatched_problem"]


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


def unmatched_problem(gap: Unmatched, marked: bool = True, *, forecast: bool = False
                      ) -> Problem:
    """The refusal of a blinded output for ``gap``, at the drug's first course in the
    period (the same words on every arm: they describe the regimen, not the participant).
    ``marked``: the period is marked blinded (else the output blinds it: ``--blinded``);
    ``forecast``: the output is a blinded supply forecast."""
    file, line, loc = gap.where
    return Problem(file, line, loc, gap.text(marked, forecast=forecast),
                   code="blinded-unmatched")


def blindable(schedule: Schedule, blinded: object) -> bool | None:
    """``blinded`` checked (:func:`blinded_argument`), and the schedule's periods that the
    output blinds (those marked blinded; every one with True) checked to give every arm
    going through them the same administrations: the same drugs on the same days and
    times, active or placebo (:func:`regimens.model.unmatched`, laid where the schedule
    lays them). Checked first, before anything else the output may refuse, so that the
    refusal is the same on every arm.

    Raises:
        ExpandOptionTypeError: as :func:`blinded_argument`.
        InvalidRegimenError: a drug or a course given on some arms of such a period and
            not matched on the others (``blinded-unmatched``): blinding cannot hide it.
    """
    blinded = blinded_argument(blinded)
    if blinded is False:
        return blinded
    problems = []
    for span in schedule.periods:
        if blinded or span.blinded:
            first = (span.first_date - schedule.start).days
            problems += [unmatched_problem(gap, span.blinded) for gap in unmatched(
                schedule.regimen, span.id, first, span.length.days, schedule.start)]
    if problems:
        raise InvalidRegimenError(problems)
    return blinded
