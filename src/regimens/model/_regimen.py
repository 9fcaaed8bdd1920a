"""The regimen model: frozen, validated value objects.

Objects here are built by :mod:`regimens.format` from a document (which
checks every cross-reference and reports file lines), or directly in Python.
Either way each record checks its own invariants when it is made: local rules
in its ``__post_init__`` (a day inside its cycle, one timing pattern per
course), and :class:`Regimen` checks every cross-reference (drug, arm and
period ids; courses that fit their periods; visits and expectations). A
violation raises :class:`~regimens.errors.InvalidRegimenError` listing every
:class:`~regimens.errors.Problem` found in that record, with the record type
in ``file`` (``<Course>``, ``<Regimen>``) and the field path in ``path``
(for a regimen, the same path as in a regimen file: ``periods[0].courses[1].drug``).
The engine (:mod:`regimens.engine`) only ever sees valid objects.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .._records import dataclass
from ..errors import ExpandOptionTypeError, RegimenLookupError
from ._course import Course
from ._invariants import Problems
from ._participant import Participant
from ._parts import Arm, Drug, Expectation, Period
from ._policy import NO_POLICY, Policy
from ._references import check_regimen
from ._site import SiteCalendar
from ._visits import Visit

if TYPE_CHECKING:
    from ..engine import CheckReport, Schedule
    from ..quantities import BSAFormula
    from ..record import Record

__all__ = [
    "Regimen",
]


@dataclass(frozen=True)
class Regimen:
    """A protocol's dosing regimen, ready to expand for any participant.

    Built by :func:`regimens.load` or directly in Python; either way every
    cross-reference is checked when it is made (ids unique and known, arm paths,
    courses that fit their periods, steps that cover their administrations,
    visits and expectations that name known arms, drugs and periods).

    ``day_zero``: the first day of the ``day_one`` period is Study Day 0 (Day -1
    before it, Day 1 after it), as transplant and cell-therapy protocols count;
    otherwise it is Day 1 and there is no Day 0. Visits, expectations and every
    output follow the convention; ``start`` is always the date of that first day.

    ``policy``: the record policy of every course (:class:`Policy`; a course's own keys
    win; :meth:`policy_for`), read when a participant's record is replayed.

    Raises:
        InvalidRegimenError: every problem found, each with its field path
            (``periods[0].courses[1].drug``) and ``<Regimen>`` as its file.
    """

    id: str
    title: str
    drugs: tuple[Drug, ...]
    arms: tuple[Arm, ...]
    periods: tuple[Period, ...]
    visits: tuple[Visit, ...] = ()
    expect: tuple[Expectation, ...] = ()
    day_one: str | None = None
    registry: str = ""
    version: str = ""
    sources: tuple[Any, ...] = ()
    notes: str = ""
    format: str = "regimens/1"
    day_zero: bool = False  # the first day of the day_one period is Study Day 0
    #: The record policy of every course (a course's own keys win): docs/record.md.
    policy: Policy = NO_POLICY
    origin: str = field(default="", compare=False)  # file name or catalogue id
    sha256: str = field(default="", compare=False)  # of the source bytes, for provenance

    def __post_init__(self) -> None:
        problems = Problems("Regimen")
        for key in ("id", "title"):
            value = getattr(self, key)
            if not isinstance(value, str) or not value.strip():
                problems.add(key, "non-empty text", value, code="wrong-type")
        if not isinstance(self.policy, Policy):
            problems.add("policy", "a Policy", self.policy, code="wrong-type")
        check_regimen(self, problems)
        problems.raise_any()

    # Lookups -----------------------------------------------------------------

    @cached_property
    def _index(self) -> tuple[dict[str, Drug], dict[str, Arm], dict[str, Period]]:
        # Computed once per regimen (the engine looks up a drug per course); kept in
        # the instance __dict__, so not a field: not compared, hashed or printed.
        return ({d.id: d for d in self.drugs}, {a.id: a for a in self.arms},
                {p.id: p for p in self.periods})

    def drug(self, drug_id: str) -> Drug:
        """The drug with this id.

        Raises:
            RegimenLookupError: no drug has this id (a ``LookupError``).
        """
        # (An id that is not text, a list, would fail to hash: it is no id either.)
        found = self._index[0].get(drug_id) if isinstance(drug_id, str) else None
        if found is None:
            raise RegimenLookupError("drug", drug_id, tuple(self._index[0]))
        return found

    def arm(self, arm_id: str) -> Arm:
        """The arm with this id.

        Raises:
            RegimenLookupError: no arm has this id (a ``LookupError``).
        """
        # (An id that is not text, a list, would fail to hash: it is no id either.)
        found = self._index[1].get(arm_id) if isinstance(arm_id, str) else None
        if found is None:
            raise RegimenLookupError("arm", arm_id, tuple(self._index[1]))
        return found

    def period(self, period_id: str) -> Period:
        """The period with this id.

        Raises:
            RegimenLookupError: no period has this id (a ``LookupError``).
        """
        # (An id that is not text, a list, would fail to hash: it is no id either.)
        found = self._index[2].get(period_id) if isinstance(period_id, str) else None
        if found is None:
            raise RegimenLookupError("period", period_id, tuple(self._index[2]))
        return found

    def policy_for(self, course: Course) -> Policy:
        """The record policy that applies to ``course``: its own keys, then the regimen's
        (``policy``), then the defaults (:meth:`Policy.resolved`: on_delay shift, missed
        skip, no re-escalation, no max_delay, recompute from each measurement).

        Raises:
            ExpandOptionTypeError: ``course`` is not a :class:`Course`.
        """
        if not isinstance(course, Course):
            raise ExpandOptionTypeError("course", "a Course (regimen.periods[0].courses[0])",
                                        course)
        return course.policy.over(self.policy).resolved()

    def path(self, arm_id: str) -> tuple[Period, ...]:
        """The periods an arm goes through, in order."""
        arm = self.arm(arm_id)
        if arm.periods is None:
            return self.periods
        return tuple(self.period(p) for p in arm.periods)

    def date_dependent(self, arm_id: str) -> bool:
        """True when an arm's days depend on the calendar (a weekday pattern on its path).

        Its counts then vary with the weekday of Study Day 1: ``check`` evaluates
        every start weekday, and the batch API groups participants by it.
        """
        return any(c.date_dependent for p in self.path(arm_id) for c in p.courses
                   if c.arms is None or arm_id in c.arms)

    def months_dependent(self, arm_id: str) -> bool:
        """True when an arm's days depend on the date of Study Day 1, not only on its
        weekday: a period in calendar months on its path, or a course that counts them
        (``every`` or ``cycle`` in months). ``check`` then evaluates every start of a
        four-year leap cycle (docs/format.md, "Calendar months")."""
        return any(p.length.months is not None or any(
            c.in_months for c in p.courses if c.arms is None or arm_id in c.arms)
            for p in self.path(arm_id))

    def day_one_period(self, arm_id: str) -> str:
        """The id of the period whose first day is Study Day 1 on this arm.

        The arm's ``day_one``, else the regimen's, else the arm's first period; the
        periods before it fall on negative Study Days (a run-in: Day -14 to Day -1).
        """
        arm = self.arm(arm_id)
        return arm.day_one or self.day_one or self.path(arm_id)[0].id

    # The flow ------------------------------------------------------------------

    def expand(
        self,
        arm: str,
        start: date | str | None = None,
        participant: Participant | None = None,
        *,
        lengths: dict[str, str] | None = None,
        tz: str | None = None,
        bsa_formula: BSAFormula | str | None = None,
        bsa_decimals: int | None = 2,
        calendar: SiteCalendar | None = None,
        levels: Mapping[str, int] | None = None,
        record: Record | None = None,
        anchor: Mapping[str, date | str] | str | None = None,
    ) -> Schedule:
        """Expand for one participant on ``arm``, with Study Day 1 (Day 0 with
        ``day_zero``) on ``start``.

        Args:
            arm: an arm id of this regimen.
            start: the date of the first day of the ``day_one`` period (Study Day 1, or
                Day 0 with ``day_zero``), a :class:`~datetime.date` or ``"YYYY-MM-DD"``
                (a datetime is refused). The day before is Day -1.
            participant: body measurements, needed only by per-kg and per-m2 doses.
            lengths: period id -> chosen length (``{"maintenance": "14 weeks"}``) for
                periods on the arm's path with a range; it must lie within the range.
                A range not chosen takes its shortest length.
            tz: an IANA time zone name (``"Europe/Paris"``) placing the regimen's times
                of day; fixed offsets and the machine's zone are refused. Without it,
                times stay local wall times.
            bsa_formula: a :class:`BSAFormula` or its name; Mosteller by default.
            bsa_decimals: decimals of the computed BSA, a whole number from 1 to 6,
                rounded half up before it scales a dose.
            calendar: the site's closed days (:class:`SiteCalendar`): visits, and
                administrations of courses or drugs marked ``clinic``, move off them
                within their window; ``planned_date`` and ``calendar_note`` say so.
                Home-taken doses never move.
            levels: drug id -> dose level (``{"carbo": -1}``): each course of the drug
                is given at that level (0, the default, is the written dose; another
                level must be declared by the course or its drug, or is refused).
            record: the participant's record of treatment as it happens (a
                :class:`regimens.record.Record`): the schedule is the plan replayed over
                it (:func:`regimens.record.replay`; docs/record.md): every
                administration's status, the day given or now planned, later cycles
                moved by delays, and ``schedule.replayed``.
            anchor: instead of ``start``, one period of the arm's path and the date of
                its first day (``{"run-in": "2027-01-04"}`` or ``"run-in=2027-01-04"``):
                a run-in of variable length starts before Day 1 is known. Give exactly
                one of ``start`` and ``anchor``.

        Returns:
            A :class:`Schedule`: exact amounts (:class:`~decimal.Decimal`) with their
            derivations, doses in safe notation (ISMP List of Error-Prone
            Abbreviations), visits with their windows.

        Raises:
            ExpandOptionError: an unknown arm, a malformed start, time zone, formula,
                ``bsa_decimals``, length or calendar, or a date outside the years 1 to
                9999.
            MissingMeasurementError: a per-kg or per-m2 dose without the weight (and
                height, or BSA) it needs; an AUC dose without a GFR or the inputs of
                Cockcroft-Gault; an ideal or adjusted weight without height and sex.
            DoseError: a dose that rounds to nothing.
            InvalidRegimenError: a course whose days or steps do not fit the chosen
                period lengths.
            InvalidRecordError: (an ``InvalidRegimenError``) a ``record`` with a row
                that names what the regimen or the schedule lacks, or that the replay
                cannot apply (docs/record.md).

        Risky but legal situations (a rounding that moves a dose by more than
        10%, a time of day in a daylight-saving gap, clinic work left on a closed
        day: :class:`ClosedDayWarning`) are issued as
        :class:`RegimenWarning` and kept in ``schedule.warnings``.
        """
        from ..record import expand

        _argument_types(participant, lengths, levels)
        schedule = expand(self, arm=arm, start=start, participant=participant,
                          lengths=lengths, tz=tz, bsa_formula=bsa_formula,
                          bsa_decimals=bsa_decimals, calendar=calendar, levels=levels,
                          anchor=anchor, record=record)
        for warning in schedule.warnings:
            warnings.warn(warning, stacklevel=2)
        return schedule

    def check(self, participant: Participant | None = None, *,
              levels: Mapping[str, int] | None = None,
              bsa_formula: BSAFormula | str | None = None,
              bsa_decimals: int | None = 2,
              calendar: SiteCalendar | None = None,
              start: date | str | None = None) -> CheckReport:
        """Regimen arithmetic per arm and drug, and every ``expect`` (``regimens check``).

        Needs no participant: per-kg and per-m2 totals stay per kg and per m2, AUC doses
        total as AUC. With a ``participant`` (an age, not a birth date), every dose is
        computed for them and the totals are absolute; ``levels``, ``bsa_formula`` and
        ``bsa_decimals`` are as in :meth:`expand`.

        With a site ``calendar``, the report also counts per arm the administrations and
        visits it moves or leaves on a closed day, with Study Day 1 on each of the seven
        days from ``start`` (default 2001-01-01).
        Where period lengths vary, or a weekday pattern makes the counts depend on
        the start, every case is evaluated and the report gives the least and the
        most (see :class:`CheckReport`).
        """
        from ..engine import check

        _argument_types(participant, None, levels)
        return check(self, participant, levels=levels, bsa_formula=bsa_formula,
                     bsa_decimals=bsa_decimals, calendar=calendar, start=start)


def _argument_types(participant: object, lengths: object, levels: object) -> None:
    """Refuse arguments of the wrong type with an :class:`ExpandOptionTypeError` (a plain
    ``AttributeError`` deep inside is no message for a caller)."""
    if participant is not None and not isinstance(participant, Participant):
        raise ExpandOptionTypeError("participant", "a Participant (regimens.Participant(weight="
                                    "'70 kg', ...)) or None", type(participant).__name__)
    for name, value in (("lengths", lengths), ("levels", levels)):
        if value is not None and not isinstance(value, Mapping):
            raise ExpandOptionTypeError(name, "a mapping (dict) or None", type(value).__name__)
