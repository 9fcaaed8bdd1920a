"""A schedule's administrations as the engine lays them out in bulk
(:class:`AdministrationColumns`): one group per course, one slot per row, no
:class:`Administration` made until one is asked for."""

from __future__ import annotations

import datetime as dt
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar

from .._records import dataclass
from ..quantities import shared_study_days
from ._administration import Administration, _new
from ._computed import ComputedDose

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["AdministrationColumns", "Slot"]


#: A slot of a course (``Course.slots``): offset from Study Day 1, cycle, cycle day, time of
#: day and step index.
Slot = tuple[int, int | None, int | None, dt.time | None, int | None]


@dataclass(frozen=True, eq=False)
class AdministrationColumns:
    """A schedule's administrations as the engine lays them out in bulk: one group per
    course, one slot per row, no :class:`Administration` object until one is asked for.

    ``groups``: per course, the fields every row of it shares (a complete field
    dictionary, in field order; its per-row fields are overwritten) and the dose of each
    step index (``None`` without steps); ``slots``: each group's slots (offset from Study
    Day 1, cycle, cycle day, time, step), in the course's order; ``order``: the schedule's
    order, as indexes into the groups' slots laid end to end; ``day_one``: the proleptic
    ordinal of the date of offset 0; ``day_zero``: the regimen counts a Day 0; ``plain``:
    see below. :meth:`rows` makes the same administrations the row by row path makes (a property
    test holds them equal field by field).
    """

    groups: tuple[tuple[dict[str, Any], dict[int | None, ComputedDose]], ...]
    slots: tuple[list[Slot], ...]
    order: list[int]
    day_one: int
    day_zero: bool
    #: Per group: True when none of its slots has a cycle, cycle day or time (the course
    #: has no cycle and no times), so that its rows differ only in their day.
    plain: tuple[bool, ...] = ()

    def __len__(self) -> int:
        """The number of administrations."""
        return len(self.order)

    def in_order(self, per_group: Sequence[Sequence[_T]]) -> tuple[_T, ...]:
        """Values given group by group, one per slot, in the schedule's order."""
        flat = list(chain.from_iterable(per_group))
        if len(flat) < 2:
            return tuple(flat)
        taken: tuple[_T, ...] = itemgetter(*self.order)(flat)
        return taken

    def rows(self) -> tuple[Administration, ...]:
        """The administrations, in schedule order (made on each call)."""
        return self.in_order([self.group_rows(group) for group in range(len(self.groups))])

    def group_rows(self, group: int, slots: Sequence[Slot] | None = None
                   ) -> list[Administration]:
        """The administrations of ``group`` (of ``slots``, default its own), made as the
        engine makes each row: the group's fields, then the row's day, date, time, cycle,
        cycle day, step and the dose of its step."""
        template, doses = self.groups[group]
        study_day = shared_study_days(self.day_zero).__getitem__
        from_ordinal, day_one = dt.date.fromordinal, self.day_one
        out: list[Administration] = []
        append = out.append
        for offset, cycle, cycle_day, at, step in self.slots[group] if slots is None else slots:
            admin = _new(Administration)
            row = admin.__dict__
            row.update(template)
            row["study_day"] = study_day(offset)
            row["date"] = from_ordinal(day_one + offset)  # in range: the span was dated
            row["time"] = at
            row["cycle"] = cycle
            row["cycle_day"] = cycle_day
            row["dose"] = doses[step]
            row["step"] = step
            append(admin)
        return out

    def weighted(self) -> list[tuple[Administration, int]]:
        """One administration per group and dose (a representative), with how many rows
        it stands for, in the order of each one's first row in the schedule: what the
        totals need, without a row per administration."""
        firsts: dict[tuple[int, int | None], list[Any]] = {}
        if all(len(doses) == 1 for _, doses in self.groups):
            # One dose per group: the groups in the order of their first rows.
            owners = self.in_order([[g] * len(s) for g, s in enumerate(self.slots)])
            for group in dict.fromkeys(owners):
                slots = self.slots[group]
                firsts[(group, slots[0][4])] = [slots[0], len(slots)]
        else:
            pairs = self.in_order([[(g, slot) for slot in s] for g, s in enumerate(self.slots)])
            for group, slot in pairs:
                found = firsts.get((group, slot[4]))
                if found is None:
                    firsts[(group, slot[4])] = [slot, 1]
                else:
                    found[1] += 1
        return [(self.group_rows(group, (slot,))[0], count)
                for (group, _), (slot, count) in firsts.items()]


_T = TypeVar("_T")
