"""What the command line does for an output that blinds the arm: whether it blinds
(:func:`_blinds`), the blinded outputs it refuses before expanding
(:func:`refuse_unblindable`), the arms the blind guard compares, the warnings a blinded
output may print and the note it always prints (:data:`WITHHELD`; docs/cli.md,
"Blinding")."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from . import _handout as sheets

if TYPE_CHECKING:
    from ..engine import Schedule
    from ..model import Regimen

__all__ = ["WITHHELD", "refuse_unblindable"]


def _blinds(args: argparse.Namespace, regimen: Regimen) -> bool:
    """Whether the output asked for blinds the arm (``--blinded``; or, neither option
    given, a blinded period on the arm's path): its record is then checked alike on every
    arm (docs/record.md, "Dose changes")."""
    fmt = getattr(args, "format", "ics")  # publish: an iCalendar file
    if fmt not in ("ics", "calendar", *sheets.FORMATS):
        return False
    blinded = getattr(args, "blinded", None)
    if blinded is not None:
        return bool(blinded)
    arm = getattr(args, "arm", None)
    if arm not in {a.id for a in regimen.arms}:
        return False
    return any(p.blinded for p in regimen.path(arm))


def refuse_unblindable(regimen: Regimen, arm: str, blinded: bool | None) -> None:
    """Refuse, before expanding, an output that blinds a period of the arm's path (marked
    blinded; every one with ``--blinded``) whose arms are not given its drugs alike
    (``blinded-unmatched``, :func:`regimens.export.blindable`), laid at its shortest and
    longest length: whatever else expanding the arm might refuse (a measurement its own
    doses need) would differ from arm to arm. An unknown arm is left to expand."""
    from ..errors import InvalidRegimenError
    from ..export import unmatched_problem
    from ..model import unmatched_anywhere

    if blinded is False or arm not in {a.id for a in regimen.arms}:
        return
    periods = [p for p in regimen.path(arm) if blinded or p.blinded]
    gaps = unmatched_anywhere(regimen, periods)
    if gaps:
        raise InvalidRegimenError([unmatched_problem(g, regimen.period(g.period).blinded)
                                   for g in gaps])


def _shown_warnings(schedule: Schedule, blinded: bool | None) -> tuple[Any, ...]:
    """The warnings a blinded output may print (none that tells an arm; see export)."""
    from ..export import shown_warnings

    return shown_warnings(schedule, blinded)


#: Said on standard error by every output that blinds administrations, on every arm alike:
#: saying it only when a warning was withheld would tell the arm that has one (an active
#: dose rounded or near its limit) from the placebo's, which has none. So it is a note
#: ("regimens: note:"), never a warning: it is printed whether anything was withheld or not.
WITHHELD = ("regimens: note: this output blinds administrations, so it lists no warning "
            "that could tell the arm (one about a dose, a cumulative dose or a dose "
            "recorded), whether there is one or not; unblinded staff see every warning with "
            "--unblinded, or in the table, JSON or CSV")


def _withheld(schedule: Schedule, blinded: bool | None) -> bool:
    """Whether to say :data:`WITHHELD`: the output blinds administrations (``blinded``:
    True, or None and a period of the arm's path is marked blinded), so that no warning
    is lost unsaid."""
    return blinded if blinded is not None else any(p.blinded for p in schedule.periods)


def _blinded_arms(regimen: Regimen, arm: str) -> tuple[str, ...]:
    from ..export import blinded_arms

    return blinded_arms(regimen, arm)[0]
