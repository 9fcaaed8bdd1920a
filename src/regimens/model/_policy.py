"""What a regimen says to do when treatment does not go as planned (docs/record.md, "Policies").

A :class:`Policy` is written on a course or at the top level of a regimen (for every
course); a course's own keys win over the regimen's, and a key written nowhere takes its
default. The policy does nothing to a plain expansion: it is read when a participant's
record (delays, missed doses, reductions, new measurements) is replayed over the plan.
"""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal

from .._records import dataclass
from ..quantities import Duration
from ._invariants import Problems

__all__ = ["MISSED_RULES", "NO_POLICY", "ON_DELAY_RULES", "Policy"]

#: ``on_delay``: later cycles of the course move with a delayed one (``shift``, the default
#: in oncology), or stay on the grid (``keep``).
ON_DELAY_RULES = ("shift", "keep")
#: ``missed``: a missed dose is not made up (``skip``, the default) or is given later.
MISSED_RULES = ("skip", "make_up")


@dataclass(frozen=True)
class Policy:
    """The record policy of a course, or of the whole regimen: None is "not written here".

    ``on_delay`` (one of :data:`ON_DELAY_RULES`; default ``shift``): after a delayed cycle,
    later cycles of the course move with it (``shift``), or the delayed cycle restarts on
    the delay date and its doses run until the next cycle's nominal start, none made up
    after that, later cycles staying on the grid (``keep``). ``max_delay``: a longer delay
    is reported as a protocol deviation, and so is a dose moved, given or made up later
    than that after the day it was due (None: no limit). ``missed`` (one of
    :data:`MISSED_RULES`; default ``skip``). ``re_escalate`` (default False): whether a
    ``reduce`` row may raise a dose level again (reductions are permanent otherwise).
    ``redose_weight_change``: the re-dosing rule ``redose: {weight_change: 10%}``, in
    percent (above 0, below 100): doses are recomputed after a new weight only when it
    differs from the weight the current dose was computed from by at least this much
    (None: recomputed from each new measurement).

    :meth:`over` lays this policy over another (the course's over the regimen's);
    :meth:`resolved` fills in the defaults.

    Raises:
        InvalidRegimenError: a value outside the rules above.
    """

    on_delay: str | None = None
    max_delay: Duration | None = None
    missed: str | None = None
    re_escalate: bool | None = None
    redose_weight_change: Decimal | None = None

    def __post_init__(self) -> None:
        problems = Problems("Policy")
        for key, rules in (("on_delay", ON_DELAY_RULES), ("missed", MISSED_RULES)):
            value = getattr(self, key)
            if value is not None and value not in rules:
                problems.add(key, "one of " + ", ".join(rules), value, code="not-one-of")
        if self.max_delay is not None and (
                not isinstance(self.max_delay, Duration) or self.max_delay.days < 1):
            problems.add("max_delay", "a Duration of at least 1 day", self.max_delay,
                         code="wrong-type")
        if self.re_escalate is not None and not isinstance(self.re_escalate, bool):
            problems.add("re_escalate", "true or false", self.re_escalate, code="wrong-type")
        change = self.redose_weight_change
        if change is not None and (
                not isinstance(change, Decimal) or not change.is_finite()
                or not Decimal(0) < change < Decimal(100)):
            problems.add("redose_weight_change", "a percentage above 0% and below 100%",
                         change, code="bad-percentage")
        problems.raise_any()

    def over(self, base: Policy) -> Policy:
        """This policy, with ``base``'s value for every key not written here."""
        return Policy(**{f.name: getattr(base, f.name) if getattr(self, f.name) is None
                         else getattr(self, f.name) for f in fields(self)})

    def resolved(self) -> Policy:
        """This policy with the defaults in place: ``on_delay`` shift, ``missed`` skip,
        ``re_escalate`` False (``max_delay`` and ``redose_weight_change`` stay None: no
        limit, recompute from each measurement)."""
        return self.over(Policy(on_delay="shift", missed="skip", re_escalate=False))

    @property
    def written(self) -> bool:
        """Whether any key is written (not every one None)."""
        return any(getattr(self, f.name) is not None for f in fields(self))


#: No key written: the default of :attr:`Course.policy` and :attr:`Regimen.policy`.
NO_POLICY = Policy()
