"""A cumulative limit crossed by a dose given: every later planned administration of the
drug is flagged before it happens, in expand's words (docs/record.md, "Cumulative limits").

Bleomycin 30 USP units every week for 14 weeks from Mon 2027-01-04 (doses on the Mondays
2027-01-04 ... 2027-04-05) under a flat max_cumulative of 400 USP units. Totals by hand.
"""

from __future__ import annotations

import warnings
from datetime import date, timedelta

import pytest

import regimens
from regimens import AdministrationStatus as S
from regimens import CumulativeDoseWarning, read_record
from support.records import BLEO, RECORD_HEADER


def replay(rows: str) -> regimens.Schedule:
    regimen = regimens.loads(BLEO, "bleo.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return regimen.expand("x", "2027-01-04",
                              record=read_record(RECORD_HEADER + rows, name="P.csv"))


def planned(on: date, before: int) -> str:
    return (f"bleo (bleomycin): the administration planned on {on.isoformat()} would bring "
            f"the cumulative dose to {before + 30} USP units, above max_cumulative 400 USP "
            f"units ({before} USP units before it); review before giving it")


def given(on: date, before: int, after: int) -> str:
    return (f"bleo (bleomycin): the administration given on {on.isoformat()} brought the "
            f"cumulative dose to {after} USP units, above max_cumulative 400 USP units "
            f"({before} USP units before it)")


MONDAY = [date(2027, 1, 4) + timedelta(weeks=n) for n in range(14)]
OVER = ("2027-01-04,given,bleo,,,200 USP units,,\n"
        "2027-01-11,given,bleo,,,190 USP units,,\n"
        "2027-01-18,given,bleo,,,,,\n")


@pytest.mark.parametrize(("rows", "given_flags", "planned_flags"), [
    # 200 + 190 = 390, + 30 = 420 on 01-18 (given: a deviation); the 11 doses planned
    # after it would bring 450, 480, ..., 750: each flagged before it happens.
    (OVER, [given(MONDAY[2], 390, 420)],
     [planned(MONDAY[n], 420 + 30 * (n - 3)) for n in range(3, 14)]),
    # A fourth dose given on 01-25 (450): a deviation too; 10 planned after it.
    (OVER + "2027-01-25,given,bleo,,,,,\n",
     [given(MONDAY[2], 390, 420), given(MONDAY[3], 420, 450)],
     [planned(MONDAY[n], 420 + 30 * (n - 3)) for n in range(4, 14)]),
    # A dose missed after the crossing counts nothing and is not flagged: 02-01 planned
    # at 450 (420 + 30) after 01-25 missed.
    (OVER + "2027-01-25,missed,bleo,,,,,\n", [given(MONDAY[2], 390, 420)],
     [planned(MONDAY[n], 420 + 30 * (n - 4)) for n in range(4, 14)]),
    # Crossed only by a planned dose (30 x 13 = 390 given and planned, the 14th brings
    # 420): that one is flagged; nothing after it to flag.
    ("2027-01-04,given,bleo,,,,,\n", [], [planned(MONDAY[13], 390)]),
    # Crossed by a planned dose with planned doses after it: the first only (the later
    # ones depend on it being given). 100 + 30 x 10 (01-11 ... 03-15) = 400; the 03-22
    # dose brings 430.
    ("2027-01-04,given,bleo,,,100 USP units,,\n", [], [planned(MONDAY[11], 400)]),
])
def test_every_planned_dose_after_a_given_crossing_is_flagged(
        rows: str, given_flags: list[str], planned_flags: list[str]) -> None:
    s = replay(rows)
    assert s.replayed is not None
    warned = [str(w) for w in s.warnings if isinstance(w, CumulativeDoseWarning)]
    assert warned == given_flags + planned_flags
    # Each planned flag is the note of its administration, and listed in the summary.
    notes = {a.date: a.record_note for a in s.administrations if a.status is S.PLANNED}
    for text in planned_flags:
        on = date.fromisoformat(text.split("planned on ")[1][:10])
        assert text in notes[on]
    flagged = list(s.replayed.summary.cumulative)
    assert [str(f.warning) for f in flagged] == given_flags + planned_flags
    # A given one is a protocol deviation, once, naming its line.
    for text in given_flags:
        assert sum(text in d for d in s.replayed.deviations) == 1
