"""Regimen arithmetic: counts, cumulative dose and dose intensity, and ``expect``.

A regimen's counts can depend on the participant's timeline: a weekday
pattern on the start weekday, a course that runs to the end of a
variable-length period on the length chosen. ``check`` therefore evaluates
every arm at each start weekday (when a weekday pattern is involved) and at
the shortest and longest period lengths, and reports a range where the
results differ. Relative doses are summed in their basis (cells per kg,
units per m²) before caps and rounding, which depend on the participant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ..errors import (
    AnchorLengthWarning,
    CumulativeDoseWarning,
    ExpandOptionError,
    ExpandOptionTypeError,
    RegimenError,
    RegimenWarning,
)
from ..model import (
    MONTHS_REFERENCE,
    MONTHS_STARTS,
    Expectation,
    Participant,
    Regimen,
    SiteCalendar,
    WeekdaysPattern,
)
from ..quantities import (
    Amount,
    Basis,
    BSAFormula,
    DoseQuantity,
    cumulative_decimal,
    exactly,
    half_up,
    human_dose_quantity,
    normal,
)
from ._layout import expand
from ._options import parse_start
from ._resolve import resolve
from ._schedule import CourseSpan
from ._site_check import SiteCount, site_counts
from ._tally import Totals, _extremes, _quantities, _rounded, _said, _Tally, _tally
from ._timeline import Timeline

__all__ = ["CheckReport", "CumulativeResult", "DrugSummary", "ExpectationResult", "check"]

#: A Monday; reference Study Day 1 for arithmetic that does not depend on dates.
REFERENCE_START = date(2001, 1, 1)


@dataclass(frozen=True)
class DrugSummary:
    """What one arm receives of one drug, computed from the regimen alone (no participant).

    Per-kg and per-m2 totals stay per kg and per m2 (``totals`` holds one
    :class:`DoseQuantity` per basis and dimension). Where period lengths vary, or a
    weekday pattern makes counts depend on the start, ``administrations`` and the
    totals give the least and the most (``totals_most``). Intensity is the total per
    week of the drug's span, off days included, to 3 decimals.
    """

    arm: str
    drug: str
    drug_name: str
    administrations: tuple[int, int]  # (fewest, most) over the conditions evaluated
    placebo: int
    unspecified: int
    totals: tuple[DoseQuantity, ...]  # cumulative, one per basis and dimension: the least
    span_days: int  # first to last day of the drug's courses, off days included
    first_day: int | None  # the earliest over the conditions evaluated
    last_day: int | None  # the latest over the conditions evaluated
    intensities: tuple[DoseQuantity, ...]  # total per week of span, reference condition
    before_caps: bool  # a total is summed before caps/rounding that apply per participant
    totals_most: tuple[DoseQuantity, ...] = ()  # the most, aligned with totals
    #: Divided daily doses: the dose given a day, each distinct one in the order first given
    #: (as written, 40 mg per m2, without a participant; with one, what its parts add up
    #: to, 3 x 25 mg = 75 mg, after their rounding); () without divided doses.
    daily: tuple[DoseQuantity, ...] = ()

    def count_text(self) -> str:
        """The number of administrations: ``"95"``, or ``"92 to 95"`` where it varies."""
        low, high = self.administrations
        return str(low) if low == high else f"{low} to {high}"

    def total_text(self) -> str:
        """The cumulative dose in safe notation, a range where it varies, or
        ``"none (placebo)"`` / ``"not fixed"``."""
        if not self.totals:
            return "none (placebo)" if self.placebo else "not fixed"
        most = self.totals_most or self.totals
        text = " + ".join(
            human_dose_quantity(low) if low == high else
            f"{human_dose_quantity(low)} to {human_dose_quantity(high)}"
            for low, high in zip(self.totals, most, strict=True))
        return text + (" (before caps and rounding)" if self.before_caps else "")

    def daily_text(self) -> str:
        """The daily doses of divided daily doses in safe notation (``"40 mg per m² a day"``),
        or ``"-"`` without any."""
        return " then ".join(f"{human_dose_quantity(q)} a day" for q in self.daily) or "-"

    def intensity_text(self) -> str:
        """The dose per week of span in safe notation, or ``"-"`` with no fixed amount."""
        return " + ".join(human_dose_quantity(t) for t in self.intensities) or "-"


@dataclass(frozen=True)
class ExpectationResult:
    """One ``expect`` entry checked: passed or not, with one message per quantity compared.

    ``str()`` is the report line: ``PASS  arm / drug: ...`` or ``FAIL  ...``.
    """

    expectation: Expectation
    passed: bool
    messages: tuple[str, ...]

    def __str__(self) -> str:
        e = self.expectation
        head = f"{'PASS' if self.passed else 'FAIL'}  {e.arm} / {e.drug}"
        return head + ": " + "; ".join(self.messages)


@dataclass(frozen=True)
class CumulativeResult:
    """A drug's ``max_cumulative`` against what one arm's plan adds up to (``check``).

    ``limit``: the drug's limit; ``total``: the most the plan gives over the conditions
    evaluated, in the limit's unit and basis (per m²: each amount over the BSA it is
    computed from; without a participant, the doses as written, summed before caps and
    rounding when ``before_caps``); None when it cannot be added up (``reason`` says why:
    flat doses against a per-m² limit need the participant's measurements). ``crossing``:
    the administration that takes the plan past the limit, in words ("Day 148 (cycle 8,
    day 1) would bring it to 480 mg per m² (420 mg per m² before it)"), or "".
    ``passed``: the plan stays within the limit (True when it cannot be added up: ``str()``
    says it was not checked). ``str()`` is the report line: ``PASS``, ``FAIL`` or ``NOT
    CHECKED``, the arm and drug.
    """

    arm: str
    drug: str
    drug_name: str
    limit: DoseQuantity
    total: Decimal | None
    crossing: str = ""
    before_caps: bool = False
    reason: str = ""

    def total_text(self) -> str:
        """The plan's total in safe notation: exact, or to 2 decimals (a per-m² or per-kg
        share that does not end: 800 mg over 1.82 m² is "439.56 mg per m²"); "" when not
        checked."""
        return "" if self.total is None else _said(self.total, self.limit)

    @property
    def rounded_total(self) -> Decimal | None:
        """``total`` exact, or half up to 2 decimals when it does not end there, with more
        when 2 would read as the limit it is not equal to (None: not checked)."""
        return None if self.total is None else _rounded(self.total, self.limit.amount.magnitude)

    @property
    def passed(self) -> bool:
        """False when the plan's total is above the limit."""
        return self.total is None or self.total <= self.limit.amount.magnitude

    def __str__(self) -> str:
        head = f"{self.arm} / {self.drug}: max_cumulative {human_dose_quantity(self.limit)}"
        if self.total is None:
            return f"NOT CHECKED  {head}: {self.reason}"
        total = self.total_text()
        caps = " (before caps and rounding)" if self.before_caps else ""
        if self.passed:
            return f"PASS  {head}: the plan gives {total}{caps}"
        return (f"FAIL  {head}: the plan gives {total}{caps}; the administration on "
                f"{self.crossing}")


@dataclass(frozen=True)
class CheckReport:
    """The regimen's own arithmetic (from :meth:`Regimen.check`, ``regimens check``).

    ``summaries``: one :class:`DrugSummary` per arm and drug; ``results``: one
    :class:`ExpectationResult` per ``expect`` entry of the regimen; ``conditions``:
    the period lengths and start weekdays the figures were evaluated over, in words.
    ``participant``: the participant the totals are absolute for (None: totals per kg,
    per m² and as AUC, before caps and rounding); ``levels``: the dose levels chosen,
    ``(drug id, level)`` pairs.
    With a site calendar (``check(calendar=...)``): ``calendar`` and ``site``, one
    :class:`SiteCount` per arm and start (seven consecutive starts from ``site_start``).
    ``warnings``: with a participant, the warnings ``expand`` gives for them on any arm
    and condition evaluated (a rounding that moves a dose by more than 10%, an implausible
    body-mass index...), each once, in the order found; not the
    :class:`regimens.CumulativeDoseWarning`, which ``cumulative`` reports, nor an
    :class:`regimens.AnchorLengthWarning` (``check`` places no date: it evaluates at the
    shortest period lengths, and the longest where they vary). Empty without a
    participant.
    """

    regimen: Regimen
    summaries: tuple[DrugSummary, ...]
    results: tuple[ExpectationResult, ...]
    conditions: tuple[str, ...]
    participant: Participant | None = None
    levels: tuple[tuple[str, int], ...] = ()
    calendar: SiteCalendar | None = None
    site: tuple[SiteCount, ...] = ()
    #: One :class:`CumulativeResult` per arm and drug with a ``max_cumulative``.
    cumulative: tuple[CumulativeResult, ...] = ()
    #: The participant's warnings, as ``expand`` gives them (see above); each once.
    warnings: tuple[RegimenWarning, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every expectation passed (and when there are none) and no arm's plan
        goes past a drug's ``max_cumulative``."""
        return all(r.passed for r in self.results) and all(c.passed for c in self.cumulative)

    def to_text(self) -> str:
        """The report as a table for people (see :func:`regimens.export.check_text`)."""
        from ..export import check_text

        return check_text(self)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data (see :func:`regimens.export.check_dict`)."""
        from ..export import check_dict

        return check_dict(self)

    def to_json(self) -> str:
        """The report as JSON (see :func:`regimens.export.check_json`)."""
        from ..export import check_json

        return check_json(self)


#: The condition ``check`` states when it evaluates every start of a leap cycle.
MONTHS_CONDITION = ("with Study Day 1 on each day from 2001-01-01 to 2004-12-31 (a four-year "
                    "leap cycle) where calendar months are counted")


def _starts(regimen: Regimen, arm: str) -> list[date]:
    """The dates of Study Day 1 an arm is evaluated at.

    Calendar months: every day of a four-year leap cycle, 1,461 starts (every day of the
    month in every month, each month's length in leap and common years, every weekday);
    a weekday pattern: the seven weekdays; otherwise one start (the date does not matter).
    """
    if regimen.months_dependent(arm):
        return [MONTHS_REFERENCE + timedelta(days=k) for k in range(MONTHS_STARTS)]
    if regimen.date_dependent(arm):
        return [REFERENCE_START + timedelta(days=k) for k in range(7)]
    return [REFERENCE_START]


def _layout_key(line: Timeline) -> tuple[object, ...]:
    """What a start changes in an arm's slots: the periods' places and lengths, the weekday
    (for weekday patterns), and where the courses in calendar months fall.

    ``check``'s tallies depend on the slots only (it has no birth date, time zone or site
    calendar), so two starts with one key have the same counts, totals and days, and one
    is laid out for both: 1,461 starts of a leap cycle give far fewer layouts.
    """
    key: list[object] = [tuple((p.id, first, n) for p, first, n in line.periods)]
    for period, first, length in line.periods:
        for course in period.courses:
            if course.arms is not None and line.arm not in course.arms:
                continue
            if isinstance(course.pattern, WeekdaysPattern):
                key.append(line.start.weekday())
            elif course.in_months:
                key.append(course.calendar_key(first, length, line.start))
    return tuple(key)


def _length_options(regimen: Regimen, arm: str) -> list[dict[str, str]]:
    ranged = [p for p in regimen.path(arm) if not p.length.fixed]
    if not ranged:
        return [{}]
    return [{}, {p.id: f"{p.length.longest.days} days" for p in ranged}]


@exactly
def check(regimen: Regimen, participant: Participant | None = None, *,
          levels: Mapping[str, int] | None = None,
          bsa_formula: BSAFormula | str | None = None,
          bsa_decimals: int | None = 2,
          calendar: SiteCalendar | None = None,
          start: date | str | None = None) -> CheckReport:
    """Counts, cumulative doses and intensities per arm and drug, and the ``expect`` results.

    With a ``participant``, every dose is computed for that participant (as
    ``expand`` computes it, with ``bsa_formula`` and ``bsa_decimals``) and the totals
    are absolute; ``levels`` (drug id -> dose level) evaluates at those dose levels.
    The ``expect`` entries keep their own reference participants.

    With ``calendar``, also how many administrations and visits it moves or leaves on a
    closed day, per arm, with Study Day 1 on each of the seven days from ``start``
    (default 2001-01-01, a Monday; holidays fall on dates, so give the week that matters).

    Each condition's schedule is tallied as soon as it is made and then dropped, so
    ``check`` holds one schedule at a time, and a schedule holds at most
    :data:`regimens.model.MAX_ADMINISTRATIONS` rows.

    Raises:
        InvalidRegimenError: a schedule the expansion refuses (too many
            administrations, a step that no administration receives).
        ExpandOptionError: a participant with a birth date (``check`` has no calendar
            dates: give the age), or an undeclared dose level.
        MissingMeasurementError: a dose needs an input the participant lacks.
    """
    if participant is not None and participant.birth is not None:
        raise ExpandOptionError("birth_date", "check has no calendar dates to take an age on: "
                                "give the age instead", participant.birth_date)
    summaries: list[DrugSummary] = []
    cumulative: list[CumulativeResult] = []
    conditions = {"at the shortest period lengths, and the longest where they vary"}
    # The participant's warnings (by value: each once, whatever the arms and conditions).
    said: dict[RegimenWarning, None] = {}
    for arm in regimen.arms:
        starts = _starts(regimen, arm.id)
        if len(starts) == MONTHS_STARTS:
            conditions.add(MONTHS_CONDITION)
        elif len(starts) > 1:
            conditions.add("with Study Day 1 on each weekday where a course uses weekdays")
        tallies: list[dict[str, _Tally]] = []
        courses: tuple[CourseSpan, ...] = ()
        for lengths in _length_options(regimen, arm.id):
            seen: dict[tuple[object, ...], dict[str, _Tally]] = {}
            for s in starts:
                line = resolve(regimen, arm=arm.id, start=s, lengths=lengths,
                               participant=participant, levels=levels,
                               bsa_formula=bsa_formula, bsa_decimals=bsa_decimals)
                key = _layout_key(line)
                if key in seen:  # the same slots as a start already laid out
                    tallies.append(seen[key])
                    continue
                schedule = expand(regimen, line, symbolic=participant is None)
                if participant is not None:
                    # Not the lengths assumed for check's own reference start: check
                    # evaluates at the shortest lengths (and the longest where they
                    # vary), as its report says, and places no date the user gave.
                    said.update((w, None) for w in schedule.warnings
                                if not isinstance(w, (CumulativeDoseWarning,
                                                      AnchorLengthWarning)))
                if not tallies:  # the reference condition
                    courses = schedule.courses
                tallies.append(seen.setdefault(key, _tally(schedule)))
                del schedule  # before the next condition is expanded
        drugs = list(tallies[0])
        drugs += [c.drug for c in courses if c.drug not in drugs]
        for drug in drugs:
            per = [t.get(drug, _Tally()) for t in tallies]
            main = per[0]
            counts = [t.count for t in per]
            least, most = _extremes([t.totals for t in per])
            spans = [c for c in courses if c.drug == drug]
            span_days = ((max(c.last_date for c in spans) - min(c.first_date for c in spans)).days
                         + 1) if spans else 0
            quantities = _quantities(main.totals)
            intensities = tuple(
                DoseQuantity(Amount(half_up(q.amount.magnitude * 7 / span_days, 3),
                                    q.amount.unit), q.basis)
                for q in quantities) if span_days else ()
            firsts = [t.first_day for t in per if t.first_day is not None]
            lasts = [t.last_day for t in per if t.last_day is not None]
            summaries.append(DrugSummary(
                arm.id, drug, regimen.drug(drug).name, (min(counts), max(counts)),
                main.placebo, main.unspecified, least, span_days,
                min(firsts) if firsts else None, max(lasts) if lasts else None, intensities,
                main.before_caps, most, tuple(main.daily)))
            limit = regimen.drug(drug).max_cumulative
            if limit is not None:
                cumulative.append(_cumulative_result(arm.id, regimen.drug(drug).name, drug,
                                                     limit, per))
    results = tuple(_verify(regimen, e) for e in regimen.expect)
    site: tuple[SiteCount, ...] = ()
    if calendar is not None:
        if not isinstance(calendar, SiteCalendar):
            raise ExpandOptionTypeError("calendar", "a SiteCalendar (regimens.SiteCalendar("
                                        "closed=('sat', 'sun'), holidays='FR')) or None",
                                        calendar)
        first = REFERENCE_START if start is None else parse_start(start)
        site = site_counts(regimen, calendar, first)
    elif start is not None:
        raise ExpandOptionError("start", "goes with a site calendar: it is the first of the "
                                "seven starts the site calendar is checked over")
    return CheckReport(regimen, tuple(summaries), results, tuple(sorted(conditions)),
                       participant, tuple(sorted((levels or {}).items())), calendar, site,
                       tuple(cumulative), tuple(said))


def _cumulative_result(arm: str, name: str, drug: str, limit: DoseQuantity,
                       per: list[_Tally]) -> CumulativeResult:
    """One arm's plan of ``drug`` against its limit, over the conditions' tallies: the
    most it adds up to, and where the condition giving the most crosses the limit."""
    reasons = [t.limit_reason for t in per if t.limit_reason]
    if reasons:
        return CumulativeResult(arm, drug, name, limit, None, reason=reasons[0])
    most = max(per, key=lambda t: t.limit_total)
    return CumulativeResult(arm, drug, name, limit, cumulative_decimal(most.limit_total),
                            most.crossing,
                            any(t.before_caps for t in per))


@exactly
def _verify(regimen: Regimen, e: Expectation) -> ExpectationResult:
    participant = Participant(weight=e.weight, height=e.height, bsa=e.bsa)
    measured = any((e.weight, e.height, e.bsa))
    lengths = dict(e.lengths)
    starts = [date.fromisoformat(e.start)] if e.start is not None else _starts(regimen, e.arm)
    absolute = e.total is not None and e.total.basis is Basis.FLAT
    outcomes: list[tuple[int, Totals, int | None, int | None]] = []
    seen: dict[tuple[object, ...], tuple[int, Totals, int | None, int | None]] = {}
    try:
        for start in starts:
            # Only the expected drug is computed for the reference participant, so
            # other drugs' doses need no measurements.
            line = resolve(regimen, arm=e.arm, start=start, participant=participant,
                           lengths=lengths)
            key = _layout_key(line)
            if key not in seen:  # else the same slots as a start already laid out
                s = expand(regimen, line, symbolic=True, exact_drugs=frozenset(
                    {e.drug}) if absolute and measured else frozenset())
                t = _tally(s).get(e.drug, _Tally())
                seen[key] = (t.count, t.totals, t.first_day, t.last_day)
            outcomes.append(seen[key])
    except RegimenError as exc:
        return ExpectationResult(e, False, (f"cannot evaluate: {exc}",))
    messages: list[str] = []
    passed = True

    def compare(label: str, wanted: object, found: list[object], show: Any = str) -> None:
        nonlocal passed
        distinct = list(dict.fromkeys(found))
        if len(distinct) == 1 and distinct[0] == wanted:
            messages.append(f"{label} {show(wanted)}")
            return
        passed = False
        seen = " or ".join(show(x) for x in distinct)
        vary = ((" (varies with the start date: give 'start')" if len(starts) == MONTHS_STARTS
                 else " (varies with the start weekday: give 'start')")
                if len(distinct) > 1 else "")
        messages.append(f"expected {label} {show(wanted)}, found {seen}{vary}")

    if e.administrations is not None:
        compare("administrations", e.administrations, [o[0] for o in outcomes])
    if e.first_day is not None:
        compare("first on Day", e.first_day, [o[2] for o in outcomes])
    if e.last_day is not None:
        compare("last on Day", e.last_day, [o[3] for o in outcomes])
    if e.total is not None:
        wanted = e.total
        found: list[object] = []
        for _, totals, _, _ in outcomes:
            if absolute and any(b is not Basis.FLAT for b, _ in totals):
                # An absolute total of relative doses needs a body size; never a partial sum.
                found.append("relative")
                continue
            held = totals.get((wanted.basis, wanted.amount.unit.dimension))
            found.append(None if held is None else held.to(wanted.amount.unit).magnitude)

        def show_total(x: object) -> str:
            if x == "relative":
                return ("per-kg or per-m² doses, which need a reference participant to total "
                        "(give weight, height or bsa)")
            if x is None:
                return "nothing in that basis"
            if isinstance(x, Decimal):
                return human_dose_quantity(DoseQuantity(Amount(x, wanted.amount.unit),
                                                        wanted.basis))
            return human_dose_quantity(wanted)

        distinct = list(dict.fromkeys(found))
        target = normal(wanted.amount.magnitude)
        if len(distinct) == 1 and distinct[0] == target:
            messages.append(f"total {human_dose_quantity(wanted)}")
        else:
            passed = False
            messages.append(f"expected total {human_dose_quantity(wanted)}, found "
                            + " or ".join(show_total(x) for x in distinct))
    if not messages:
        messages.append("nothing to verify")
    where = ""
    if measured:
        parts = [f"{k} {v}" for k, v in (("weight", e.weight), ("height", e.height),
                                            ("bsa", e.bsa)) if v]
        where = " for " + ", ".join(parts)
    if where:
        messages[-1] += where
    return ExpectationResult(e, passed, tuple(messages))
