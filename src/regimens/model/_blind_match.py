"""Whether the arms of a blinded period are given each drug alike: on the same days, at the
same times, active or placebo. Blinding hides the arm, the dose and the placebo of an
administration; it cannot hide an administration that one arm has and another has not
(a drug given on some arms only, with no placebo standing for it on the others, or a
course of a drug on one arm with no course of the same days on the others)."""

from __future__ import annotations

from collections import Counter
from datetime import date, time
from typing import TYPE_CHECKING

from .._records import dataclass

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ._parts import Period
    from ._regimen import Regimen

__all__ = ["Unmatched", "unmatched", "unmatched_anywhere"]

#: Where a regimen's blinded periods are laid out to compare their arms (``check``, the
#: supply forecast): a Monday, the first day of the leap cycle ``check`` counts months over.
_REFERENCE = date(2001, 1, 1)


@dataclass(frozen=True)
class Unmatched:
    """A drug the arms going through a blinded period are not given alike there.

    ``period`` and ``drug``: their ids; ``without``: the arms given no course of the drug
    there (no active course, no placebo standing for it); ``apart``: the arms that are
    given it, each group of arms given it on the same days and times; ``where``: the
    first course of the drug in the period (its file, line and place, for the message).
    """

    period: str
    drug: str
    without: tuple[str, ...]
    apart: tuple[tuple[str, ...], ...]
    where: tuple[str, int | None, tuple[str | int, ...]]

    def text(self, marked: bool = True, *, forecast: bool = False) -> str:
        """Why no blinded output of the period is possible, and what to do instead.
        ``marked``: the period is marked blinded (else an output blinds it everywhere:
        ``--blinded``); ``forecast``: said of a blinded supply forecast."""
        given = [a for group in self.apart for a in group]
        if self.without:
            what = (f"{self.drug!r} is given to {_arms(given)} only: {_arms(self.without)} "
                    f"{'has' if len(self.without) == 1 else 'have'} no course of it there "
                    "and no placebo standing for it")
            fix = (f"give {_arms(self.without)} a matching placebo course of {self.drug!r} "
                   "(placebo: true, the same days and times)")
        else:
            groups = "; ".join(", ".join(g) for g in self.apart)
            what = (f"{self.drug!r} is given to the arms on days or at times that differ "
                    f"(arms given it alike: {groups})")
            fix = "match the placebo courses to the active ones (the same days and times)"
        if forecast:
            told = ("a blinded forecast would count these administrations for some arms' "
                    "participants and not for others', and so tell a site's arms apart")
            unblind = ("forecast unblinded (--unblinded, unblinded=True) for the unblinded "
                       "supply team")
        else:
            told = ("a blinded output would show these administrations on some arms and not "
                    "on others, and so tell the arms apart")
            unblind = ("make the output unblinded (--unblinded, blinded=False) for unblinded "
                       "staff")
        return (f"in the {'blinded ' if marked else ''}period {self.period!r}, {what}: {told}; "
                f"{fix}, or {unblind}")


def _arms(ids: list[str] | tuple[str, ...]) -> str:
    """``arm a`` or ``arms a, b``."""
    return f"arm{'' if len(ids) == 1 else 's'} {', '.join(ids)}"


def _through(regimen: Regimen, period: str) -> list[str]:
    return [a.id for a in regimen.arms if a.periods is None or period in a.periods]


def unmatched(regimen: Regimen, period: str, first: int, length: int, day_one: date
              ) -> tuple[Unmatched, ...]:
    """The drugs of ``period`` that its arms are not given alike when it lies ``first``
    days after Study Day 1 (dated ``day_one``) and lasts ``length`` days: compared by the
    days and times of each arm's courses of the drug there (active and placebo alike),
    and the drugs whose administrations those courses skip (``not_on``). Empty when fewer
    than two arms go through it. In the order of the drugs' first courses."""
    arms = _through(regimen, period)
    if len(arms) < 2:
        return ()
    courses = regimen.period(period).courses
    found: list[Unmatched] = []
    for drug in dict.fromkeys(c.drug for c in courses):
        of_drug = [c for c in courses if c.drug == drug]
        shown: dict[str, Counter[tuple[int, time | None, tuple[str, ...]]]] = {}
        for arm in arms:
            days: Counter[tuple[int, time | None, tuple[str, ...]]] = Counter()
            for course in of_drug:
                if course.arms is not None and arm not in course.arms:
                    continue
                slots, _, _ = course.slots(first, length, day_one.weekday(), day_one=day_one)
                skips = tuple(sorted(course.not_on))
                days.update((s[0], s[3], skips) for s in slots)
            shown[arm] = days
        if all(shown[a] == shown[arms[0]] for a in arms):
            continue
        groups: dict[tuple[tuple[tuple[int, time | None, tuple[str, ...]], int], ...],
                     list[str]] = {}
        for arm in arms:
            groups.setdefault(tuple(sorted(shown[arm].items(), key=repr)), []).append(arm)
        without = tuple(a for a in arms if not shown[a])
        apart = tuple(tuple(g) for key, g in groups.items() if key)
        found.append(Unmatched(period, drug, without, apart, of_drug[0].where))
    return tuple(found)


def unmatched_anywhere(regimen: Regimen, periods: Iterable[Period] | None = None
                       ) -> tuple[Unmatched, ...]:
    """:func:`unmatched` over ``periods`` (default: every period marked blinded), each laid
    from Study Day 1 on a reference Monday at its shortest and its longest length: what
    ``check`` warns of, a blinded supply forecast refuses and the command line refuses
    before expanding for a blinded output. Each period and drug once."""
    found: dict[tuple[str, str], Unmatched] = {}
    for period in (periods if periods is not None
                   else [p for p in regimen.periods if p.blinded]):
        for days in dict.fromkeys((period.length.shortest.days, period.length.longest.days)):
            for gap in unmatched(regimen, period.id, 0, days, _REFERENCE):
                found.setdefault((gap.period, gap.drug), gap)
    return tuple(found.values())
