"""The straightforward count of a calendar's SEQUENCE over a record's history: the oracle.

As issue 13 made it, kept here to check the faster count (``export._ics._revisions``, with
the doses computed once for all the parts of the record, the parts replayed without their
summaries and each event's text made once) against: the plan, then the whole schedule
replayed again from nothing over the record's first row, its first two rows... (void rows
included; a part that cannot be replayed on its own left out), each event's digest made
from scratch, and each step that changes an event that was there before counting one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import regimens
from regimens import InvalidRegimenError, Record
from regimens.export._ics import _events
from regimens.export._reminders import Reminder
from regimens.record import replay


def history_by_replay(schedule: regimens.Schedule) -> Iterator[regimens.Schedule]:
    """``record.history`` as first written: each part replayed from nothing."""
    replayed = schedule.replayed
    if replayed is None:
        yield schedule
        return
    plan, record = replayed.planned, replayed.record
    levels = dict(replayed.levels)
    rows = sorted(record.rows, key=lambda r: r.line)
    yield plan
    for n in range(1, len(rows)):
        try:
            yield replay(plan, Record(record.source, tuple(rows[:n])), levels)
        except InvalidRegimenError:
            continue
    yield schedule


def revisions_by_replay(s: regimens.Schedule, blinded: bool | None, label: str,
                        alarms: Sequence[Reminder]) -> dict[str, int]:
    """Each event's UID and the number of times it changed as the record grew."""
    if s.replayed is None:
        return {}
    wanted = sorted({c.drug for c in s.courses})
    state: dict[str, str | None] = {}
    counts: dict[str, int] = {}
    for step in history_by_replay(s):
        if {c.drug for c in step.courses} != set(wanted):
            step = step.only(wanted)
        now = {uid: digest for uid, (digest, _) in _events(step, blinded, label, alarms).items()}
        for uid in state.keys() | now.keys():
            if uid in state and state[uid] != now.get(uid):
                counts[uid] = counts.get(uid, 0) + 1
            state[uid] = now.get(uid)
    return counts
