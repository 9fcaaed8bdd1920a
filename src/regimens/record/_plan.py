"""The schedule :meth:`Regimen.expand` returns: the plan, replayed over a record when one
is given.

Without a record (most expansions, and every one of ``regimens expand`` without
``--record``) this is the engine's plan with its cumulative limits checked; the replay
(:mod:`._replay`) and the limits' arithmetic (:mod:`._cumulative`) are reached through the
package's names, which import them at their first use (PEP 562), so that such an
expansion imports neither.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from .. import record as package
from ..engine import Schedule, resolve
from ..engine import expand as expand_plan

if TYPE_CHECKING:
    from ..model import Participant, Regimen, SiteCalendar
    from ..quantities import BSAFormula
    from ._record import Record

__all__ = ["expand", "with_limits"]


def expand(
    regimen: Regimen,
    *,
    arm: str,
    start: date | str | None = None,
    participant: Participant | None = None,
    lengths: dict[str, str] | None = None,
    tz: str | None = None,
    bsa_formula: BSAFormula | str | None = None,
    bsa_decimals: int | None = 2,
    calendar: SiteCalendar | None = None,
    levels: Mapping[str, int] | None = None,
    anchor: Mapping[str, date | str] | str | None = None,
    record: Record | None = None,
) -> Schedule:
    """The plan for a participant (:func:`regimens.engine.resolve` then
    :func:`regimens.engine.expand`), replayed over ``record`` when one is given: what
    :meth:`Regimen.expand` returns (its options and errors, without issuing warnings).

    Raises:
        ExpandOptionError: as :meth:`Regimen.expand` says, and a ``record`` that is not
            a :class:`Record`.
        InvalidRecordError: every row of ``record`` that names what the regimen lacks
            (:meth:`Record.check_against`, all in one error); then as :func:`replay` says.
    """
    timeline = resolve(regimen, arm=arm, start=start, participant=participant,
                       lengths=lengths, tz=tz, bsa_formula=bsa_formula,
                       bsa_decimals=bsa_decimals, calendar=calendar, levels=levels,
                       anchor=anchor)
    if record is not None:
        return package.expand_with_record(regimen, arm, timeline, record, levels)
    # No record: the plan, with its own cumulative limits checked (a plan that crosses
    # one is flagged before anything is given).
    return with_limits(expand_plan(regimen, timeline))


def with_limits(schedule: Schedule) -> Schedule:
    """:func:`regimens.record.planned_limits` of the plan ``schedule``, which leaves a
    regimen without a ``max_cumulative`` alone (imported only for one that has one)."""
    if all(drug.max_cumulative is None for drug in schedule.regimen.drugs):
        return schedule
    planned: Schedule = package.planned_limits(schedule)
    return planned
