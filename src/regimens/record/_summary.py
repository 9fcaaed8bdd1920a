"""The summary of a participant's treatment: what was given and missed, delays, reductions,
deviations, cumulative doses and relative dose intensity (docs/record.md, "Summary").

A pure function of the regimen, the record and each planned administration's outcome
(:class:`Outcome`, as the replay leaves it), so that it is tested against hand-computed
values without a replay, and the replay only has to say what became of each dose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from decimal import Decimal, localcontext
from fractions import Fraction

from .._records import dataclass
from ..model import Regimen
from ..quantities import EXACT, Amount, Basis, Dimension, normal
from ._cumulative import CumulativeFlag
from ._intensity import Intensity, relative_dose_intensity
from ._model import EventKind, RecordRow
from ._numbers import number_fields
from ._rdi_time import _by_interval, _course, _in_months, _last_cycle_days, cycle_length
from ._record import Record
from ._row_words import reduction_text, void_text

__all__ = ["OUTCOMES", "Delay", "DrugSummary", "Outcome", "RecordSummary", "summarize"]

#: What became of a planned administration (the replay's statuses).
OUTCOMES = ("given", "planned", "missed", "held", "cancelled", "stopped")


def _days(n: int) -> str:
    """``n`` days as a person reads it: "1 day", "2 days" (every count of days the
    record's messages write)."""
    return f"{n} day{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class Outcome:
    """One planned administration as the record leaves it.

    ``drug``; ``period`` and ``course`` (its course's index in the period) and ``cycle``
    (the protocol's number, None when not cycled) place it; ``status`` is one of
    :data:`OUTCOMES`; ``planned_date`` the date the plan had, ``date`` the day given (or now
    planned); ``planned_amount`` the plan's amount and ``amount`` the amount given (or now
    planned; None: no amount); ``placebo``: an administration of the drug's matching
    placebo, whose amount (the label's, when a record gives one) is no amount of the
    drug: never in its totals or RDI; ``line`` the record row that fulfilled it
    (given) or missed it; ``due`` the date it was due after the record's delays and
    moves; ``unplanned``: a dose given that fulfils no planned administration.

    ``basis`` is how the plan's dose scales with the body (:class:`Basis`: ``per_m2``,
    ``per_kg``, ``auc``; ``flat`` otherwise); ``planned_size`` and ``size`` are the body
    size in that basis that ``planned_amount`` and ``amount`` were computed from: the BSA
    in m² (after ``bsa_max``), the weight in kg (actual, ideal or adjusted, as the dose
    says), or GFR + 25 in mL/min for an AUC dose (Calvert; the GFR after ``gfr_max``).
    None when flat, unknown, or when ``amount`` was computed on another basis (a dose of
    another course of the drug, dosed otherwise): the RDI is then of absolute amounts.
    Sizes given as ints or floats are read as the quantities API reads numbers (a float
    as written: 1.1 is 1.1 m², never the binary 1.100000000000000088...); anything else
    raises :class:`~regimens.errors.QuantityTypeError`.
    """

    drug: str
    period: str
    course: int
    cycle: int | None
    status: str
    planned_date: date
    date: date
    planned_amount: Amount | None
    amount: Amount | None
    line: int | None = None
    due: dt.date | None = None
    #: A dose given that fulfils no planned administration (a deviation).
    unplanned: bool = False
    basis: Basis = Basis.FLAT
    planned_size: Decimal | None = None
    size: Decimal | None = None
    placebo: bool = False

    def __post_init__(self) -> None:
        if self.status not in OUTCOMES:
            raise ValueError(f"status is one of {', '.join(OUTCOMES)} (got {self.status!r})")
        # A body size given as a float is read as written (1.1 m², not 1.1000000000000000888).
        number_fields(self, "body size", "planned_size", "size")


@dataclass(frozen=True)
class Delay:
    """One delay a ``delay`` row causes, as the replay measured it (the single source of the
    summary's delays and of the ``max_delay`` deviations).

    ``line``, ``date`` (the day the delayed cycle, or its part from ``day``, now starts),
    ``cycle``, ``day`` (None: the whole cycle) and ``reason`` come from the row; ``drug``
    is the drug id (None: every cycled course of the period, when the row names no drug
    and all of them moved alike). ``due`` is the date the delayed item was due just before
    this row (after the shifts of earlier delays, of this cycle or inherited from earlier
    cycles), and ``days`` = ``date`` - ``due``: the delay this row itself causes.
    ``total`` is the cycle's delay in all from the record's delays of that same cycle
    (days; equal to ``days`` for a cycle delayed once), the figure ``max_delay`` (days, None:
    no limit) is compared with: a ``total`` over it is a protocol deviation
    (:attr:`deviation`).
    """

    line: int
    date: dt.date
    drug: str | None
    cycle: int
    day: int | None
    due: dt.date
    days: int
    total: int
    max_delay: int | None = None
    reason: str | None = None

    @property
    def deviation(self) -> bool:
        """Whether the cycle's delay in all exceeds ``max_delay``."""
        return self.max_delay is not None and self.total > self.max_delay

    @property
    def text(self) -> str:
        """The delay in one line, as the summary lists it: "2027-02-22 (line 4): cycle 3
        of dox delayed 7 days from 2027-02-15: neutropenia"."""
        what = f"cycle {self.cycle}" + (f" day {self.day}" if self.day is not None else "")
        whose = self.drug if self.drug is not None else "every cycled course"
        text = (f"{self.date.isoformat()} (line {self.line}): {what} of {whose} delayed "
                f"{_days(self.days)} from {self.due.isoformat()}")
        if self.total != self.days:
            text += f" ({_days(self.total)} in all)"
        if self.deviation:
            assert self.max_delay is not None
            text += f", more than max_delay ({_days(self.max_delay)})"
        return text + (f": {self.reason}" if self.reason else "")


@dataclass(frozen=True)
class DrugSummary:
    """One drug's treatment so far.

    ``counts``: administrations by status (every status of :data:`OUTCOMES`, 0 included);
    ``given_total`` and ``planned_total``: the cumulative dose given and the whole
    protocol's planned total, exactly, one :class:`Amount` per dimension (in the unit of the
    drug's first dose of it); ``started_total``: the planned total of the cycles started (a
    cycle with a dose given; without cycles, the administrations planned up to the last dose
    given, by the later of its date and its planned date). ``intensity`` is the RDI against
    the whole protocol and ``intensity_started`` against the cycles started (None when the
    drug's doses are in more than one dimension, or have no amounts); ``cycle_days`` the
    cycle length the RDI added to the actual time (the planned length of the last cycle
    given; for a course without cycles or a fixed interval, the planned interval after the
    last dose given);
    ``reductions`` the drug's ``reduce`` rows that count.
    """

    drug: str
    name: str
    counts: tuple[tuple[str, int], ...]
    given_total: tuple[Amount, ...]
    planned_total: tuple[Amount, ...]
    started_total: tuple[Amount, ...]
    intensity: Intensity | None
    intensity_started: Intensity | None
    cycle_days: int
    reductions: tuple[RecordRow, ...] = ()
    #: The record lines of doses given that fulfil no planned administration: counted in
    #: ``given_total`` and in the schedule's totals beside the doses still planned.
    unplanned: tuple[int, ...] = ()
    #: A course of the drug counts calendar months: each RDI adds the planned length of its
    #: own last cycle (``Intensity.actual_cycle_days``, ``planned_cycle_days``).
    in_months: bool = False
    #: A course of the drug has no cycle nor fixed interval (a list of days, weekdays, day
    #: steps, hours): each RDI adds the planned interval after its own last dose
    #: (``Intensity.actual_cycle_days``, ``planned_cycle_days``).
    by_interval: bool = False
    #: How the drug's doses are written (``Basis``: ``per_m2``, ``per_kg``, ``auc`` when
    #: any course scales with the body; else ``flat``).
    dose_basis: Basis = Basis.FLAT
    #: What the RDIs compare (one of :data:`RDI_BASES`): ``per_m2``, ``per_kg`` or ``auc``
    #: when every dose given and planned scales with the body on that basis and its body
    #: size is known (each amount over the size it was computed from, Hryniuk's mg/m² per
    #: week: a dose recomputed for a smaller body is the full dose per m²); else
    #: ``absolute`` (the amounts). The ratios of the totals are always of the amounts.
    rdi_basis: str = "absolute"
    #: The administrations of the drug's matching placebo (counted in ``counts`` by
    #: status, never in a total or the RDI: no amount of the drug), those given, and
    #: what the record says was given of it, as labelled (one :class:`Amount` per
    #: dimension).
    placebo: int = 0
    placebo_given: int = 0
    placebo_labelled: tuple[Amount, ...] = ()

    def count(self, status: str) -> int:
        """How many administrations have ``status``."""
        return dict(self.counts)[status]


@dataclass(frozen=True)
class RecordSummary:
    """The summary of a participant's record: ``drugs`` (a :class:`DrugSummary` per drug
    the arm receives, in the regimen's order), ``delays`` and ``reductions`` (one line
    each, naming the record's line), ``deviations`` (protocol deviations: those the replay
    found, a dose given outside its course's window, a given dose past ``max_cumulative``)
    and ``cumulative`` (the :class:`CumulativeFlag` of each drug whose limit is crossed,
    given or planned)."""

    source: str
    drugs: tuple[DrugSummary, ...]
    delays: tuple[str, ...]
    reductions: tuple[str, ...]
    deviations: tuple[str, ...]
    cumulative: tuple[CumulativeFlag, ...] = ()
    #: The delays as the replay measured them (``delays`` is their :attr:`Delay.text`).
    delay_details: tuple[Delay, ...] = ()
    #: The ``measure`` rows implausible next to the previous measurement of their kind
    #: (docs/record.md, "Implausible measurements"), one line each naming its line.
    measurements: tuple[str, ...] = ()
    #: The rows withdrawn by ``void`` rows, one line each (:func:`void_text`).
    voided: tuple[str, ...] = ()


def _totals(amounts: Sequence[Amount]) -> tuple[Amount, ...]:
    """Exact sums per dimension, each in the unit of its first amount."""
    sums: dict[Dimension, Amount] = {}
    for amount in amounts:
        dimension = amount.unit.dimension
        if dimension not in sums:
            sums[dimension] = amount
            continue
        base = sums[dimension]
        with localcontext(EXACT):
            sums[dimension] = Amount(normal(base.magnitude + amount.to(base.unit).magnitude),
                                     base.unit)
    return tuple(sums.values())


def _in_unit(amounts: list[tuple[date, Amount]], unit: Amount) -> list[tuple[date, Decimal]]:
    return [(d, a.to(unit.unit).magnitude) for d, a in amounts]


#: A dose for the RDI: its date, its amount and the body size it was computed from (None:
#: not known, or flat).
_Dose = tuple[date, Amount, Decimal | None]


def _per_size(doses: list[_Dose], unit: Amount) -> list[tuple[date, Decimal | Fraction]]:
    """Each amount (in ``unit``'s unit) over its body size, exactly."""
    out: list[tuple[date, Decimal | Fraction]] = []
    for d, a, size in doses:
        assert size is not None
        out.append((d, Fraction(a.to(unit.unit).magnitude) / Fraction(size)))
    return out


def _intensity(delivered: list[_Dose], planned: list[_Dose], cycle_days: int,
               planned_cycle_days: int, per_size: bool,
               at_least_planned: bool = False) -> Intensity | None:
    """The RDI of ``delivered`` against ``planned``: per body size when ``per_size``
    (every dose's size known), with the ratio of the absolute totals beside it."""
    dimensions = {a.unit.dimension for _, a, _ in delivered + planned}
    if len(dimensions) != 1 or not planned:
        return None
    unit = planned[0][1]
    given = _in_unit([(d, a) for d, a, _ in delivered], unit)
    wanted = _in_unit([(d, a) for d, a, _ in planned], unit)
    if not per_size:
        return relative_dose_intensity(given, wanted, cycle_days, planned_cycle_days,
                                       at_least_planned=at_least_planned)
    with localcontext(EXACT):
        totals = (sum((a for _, a in given), Decimal(0)),
                  sum((a for _, a in wanted), Decimal(0)))
    return relative_dose_intensity(_per_size(delivered, unit), _per_size(planned, unit),
                                   cycle_days, planned_cycle_days,
                                   at_least_planned=at_least_planned, totals=totals)


def _rdi_basis(given: Sequence[Outcome], planned: Sequence[Outcome]) -> str:
    """The basis the drug's RDI compares (docs/record.md, "Summary"): the one its doses
    scale on when every dose given and planned scales on it with a known body size; else
    ``absolute``."""
    bases = {o.basis for o in [*given, *planned]}
    if len(bases) != 1:
        return "absolute"
    (basis,) = bases
    if basis is Basis.FLAT or any(o.size is None for o in given) \
            or any(o.planned_size is None for o in planned):
        return "absolute"
    return str(basis.value)


def _drug_summary(regimen: Regimen, drug: str, outcomes: list[Outcome],
                  reductions: tuple[RecordRow, ...],
                  starts: Mapping[str, date] | None = None,
                  ends: Mapping[str, date] | None = None) -> DrugSummary:
    counts = tuple((s, sum(1 for o in outcomes if o.status == s)) for s in OUTCOMES)
    # A placebo administration is no amount of the drug (its label's amount is said
    # apart): in the counts, never in a total or the RDI.
    placebos = [o for o in outcomes if o.placebo]
    placebo_given = [o for o in placebos if o.status == "given"]
    outcomes_all, outcomes = outcomes, [o for o in outcomes if not o.placebo]
    given = [o for o in outcomes if o.status == "given" and o.amount is not None]
    planned = [o for o in outcomes if o.planned_amount is not None]
    started_cycles = {(o.period, o.course, o.cycle) for o in given if o.cycle is not None}
    # Without cycles, the doses started are those planned up to the last dose given, by
    # the later of its date and its planned date: a dose given early was started too.
    last_given = max((d for o in given
                      for d in (o.date, *(() if o.unplanned else (o.planned_date,)))),
                     default=None)
    started = [o for o in planned if (o.period, o.course, o.cycle) in started_cycles
               or (o.cycle is None and last_given is not None
                   and o.planned_date <= last_given)]
    fixed = cycle_length(regimen, drug)
    # The planned dates of each course (every planned administration, whatever became of
    # it): the planned interval a dose of a course without cycles opens ends at the next.
    plans: dict[tuple[str, int], set[date]] = {}
    for o in outcomes:
        if not o.unplanned:
            plans.setdefault((o.period, o.course), set()).add(o.planned_date)
    # "One planned cycle length": the planned length after each time's last dose (the last
    # given, the last planned), which differs from one to the next only in calendar months
    # and for a course by interval (a list of days: the interval each dose opens).
    cycle_days = _last_cycle_days(regimen, given, "date", starts, fixed, ends, plans)
    wanted_with = [o for o in planned if o.planned_amount is not None]
    started_with = [o for o in started if o.planned_amount is not None]
    planned_days = _last_cycle_days(regimen, wanted_with, "planned_date", starts, fixed,
                                    ends, plans)
    started_days = _last_cycle_days(regimen, started_with, "planned_date", starts, fixed,
                                    ends, plans)
    # Ended with doses not given (stopped, held, cancelled, missed) and none still planned:
    # against the whole protocol, the actual time is at least the planned time, so a
    # treatment stopped after 1 of 6 doses is not at 100% (the time no longer shrinks with
    # the doses not given).
    ended = (not any(o.status == "planned" for o in outcomes)  # make-ups included
             and any(o.status not in ("given", "planned") for o in planned))
    delivered: list[_Dose] = [(o.date, o.amount, o.size) for o in given
                              if o.amount is not None]
    wanted: list[_Dose] = [(o.planned_date, o.planned_amount, o.planned_size)
                           for o in wanted_with if o.planned_amount is not None]
    wanted_started: list[_Dose] = [(o.planned_date, o.planned_amount, o.planned_size)
                                   for o in started_with if o.planned_amount is not None]
    basis = _rdi_basis(given, wanted_with)
    per_size = basis != "absolute"
    return DrugSummary(
        drug=drug, name=regimen.drug(drug).name, counts=counts,
        given_total=_totals([a for _, a, _ in delivered]),
        planned_total=_totals([a for _, a, _ in wanted]),
        started_total=_totals([a for _, a, _ in wanted_started]),
        intensity=_intensity(delivered, wanted, cycle_days, planned_days, per_size, ended),
        intensity_started=(_intensity(delivered, wanted_started, cycle_days, started_days,
                                      per_size)
                           if wanted_started else None),
        cycle_days=cycle_days, reductions=reductions,
        unplanned=tuple(sorted(o.line for o in outcomes_all
                               if o.unplanned and o.line is not None)),
        in_months=any(_in_months(_course(regimen, o)) for o in outcomes_all),
        by_interval=any(_by_interval(_course(regimen, o)) for o in outcomes_all),
        dose_basis=_dose_basis(regimen, outcomes_all), rdi_basis=basis,
        placebo=len(placebos), placebo_given=len(placebo_given),
        placebo_labelled=_totals([o.amount for o in placebo_given if o.amount is not None]))


def _dose_basis(regimen: Regimen, outcomes: Sequence[Outcome]) -> Basis:
    """How the drug's courses write their doses: the first that scales with the body
    (per m2, per kg, AUC), else flat."""
    for o in outcomes:
        course = _course(regimen, o)
        doses = [course.dose] if course.dose is not None else [s.dose for s in course.steps]
        for dose in doses:
            if dose is not None and dose.quantity.basis is not Basis.FLAT:
                return dose.quantity.basis
    return Basis.FLAT


def _outside_window(regimen: Regimen, outcomes: Sequence[Outcome]) -> list[str]:
    out = []
    for o in outcomes:
        due = o.due or o.planned_date
        if o.status != "given" or o.date == due:
            continue
        window = _course(regimen, o).window
        if window is None:
            continue
        early = (due - o.date).days
        if early > window.before.days or -early > window.after.days:
            where = f" (line {o.line})" if o.line is not None else ""
            out.append(f"{o.drug}: given on {o.date.isoformat()}{where}, outside its window "
                       f"around {due.isoformat()} ({_days(window.before.days)} before, "
                       f"{_days(window.after.days)} after)")
    return out


def found_deviations(regimen: Regimen, outcomes: Sequence[Outcome], deviations: Sequence[str],
                     cumulative: Sequence[CumulativeFlag]) -> list[str]:
    """Every protocol deviation, one list: the replay's ``deviations`` (in their order),
    then each dose given outside its course's window, then each given dose past
    ``max_cumulative`` the replay did not list already. ``outcomes`` need no body sizes."""
    # A given dose past max_cumulative is a deviation: once (the replay lists it already,
    # naming its line, when it found it).
    return [*deviations, *_outside_window(regimen, outcomes),
            *(str(f.warning) for f in cumulative if f.given
              and not any(d.endswith(str(f.warning)) for d in deviations))]


def summarize(regimen: Regimen, record: Record, outcomes: Sequence[Outcome], *,
              deviations: Sequence[str] = (),
              cumulative: Sequence[CumulativeFlag] = (),
              delays: Sequence[Delay] = (),
              measurements: Sequence[str] = (),
              reduction_notes: Mapping[int, str] | None = None,
              starts: Mapping[str, date] | None = None,
              idle_lines: Collection[int] = (),
              ends: Mapping[str, date] | None = None) -> RecordSummary:
    """The summary of ``record`` replayed over the plan, from each planned administration's
    ``outcomes``; ``deviations`` are those the replay found (kept first, in its order);
    ``cumulative`` the flags of :func:`cumulative_flags`; ``delays`` the :class:`Delay` of
    each delay row, as the replay measured them (listed in the record's line order);
    ``measurements`` the implausible measurements, one line each (kept in order);
    ``reduction_notes``: by a reduce row's line, what the replay says of it (a reduction
    that applies only to doses not yet given), added to its line; ``starts`` each period's
    first date (needed when a course counts calendar months: the RDI adds the planned
    length of the last cycle, :func:`planned_cycle_days`) and ``ends`` each period's last
    date (needed when a course has no cycle nor fixed interval, a list of days: the RDI adds
    the planned interval after the last dose, to the end of the course's window for its
    last planned dose); ``idle_lines`` the lines of the
    reduce rows that change nothing (no dose of the drug dated on or after them): no
    reduction, left out of the reductions.

    Raises:
        ValueError: a course in calendar months and no ``starts``; the last planned dose
            of a course by interval counts and no ``ends`` (or ``starts``, with a span).
    """
    notes = reduction_notes or {}
    drugs = list(dict.fromkeys(o.drug for o in outcomes))
    order = {d.id: i for i, d in enumerate(regimen.drugs)}
    rows = tuple(r for r in record.effective()
                 if not (r.event is EventKind.REDUCE and r.line in idle_lines))
    summaries = tuple(
        _drug_summary(regimen, drug, [o for o in outcomes if o.drug == drug],
                      tuple(r for r in rows if r.event is EventKind.REDUCE and r.drug == drug),
                      starts, ends)
        for drug in sorted(drugs, key=lambda d: order[d]))
    found = found_deviations(regimen, outcomes, deviations, cumulative)
    reductions = [f"{r.drug}: {reduction_text(r)}" + (f"; {notes[r.line]}" if r.line in notes
                                                       else "")
                  for r in rows if r.event is EventKind.REDUCE]
    ordered = tuple(sorted(delays, key=lambda d: (d.date, d.line)))
    return RecordSummary(record.source, summaries, tuple(d.text for d in ordered),
                         tuple(reductions), tuple(found), tuple(cumulative), ordered,
                         tuple(measurements),
                         tuple(void_text(v, w) for v, w in record.voided()))

