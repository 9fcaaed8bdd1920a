"""How a dose goes in: the rules, in one place, and the words of the events and tables.

The route, the course's ``method`` and ``duration`` decide it:

- a ``duration`` by an infusion route (``INFUSION_ROUTES`` in :mod:`regimens.model`)
  without a ``method`` is an infusion (:func:`delivery`);
- an intravenous dose without ``method`` or ``duration`` is said as "intravenous": it
  is not called an infusion, since a bolus is an injection and the regimen did not
  say which;
- blinded, the method and duration are said only when every course of the drug in
  the period has the same ones (:func:`shown_delivery`): arms' matching courses may
  differ, and the text or the event's end would then tell them apart.

Every output words the same :class:`Delivery`: the events and summaries here
(:func:`delivery_text`: "subcutaneous injection", "by mouth", "intravenous bolus
injection", "by continuous intravenous infusion over 46 hours"), the table's column
(:func:`method_text`) and the participant's handout in their language
(``Words.delivery`` in :mod:`._i18n`).
"""

from __future__ import annotations

from .._records import dataclass
from ..engine import Administration, Schedule
from ..model import INFUSION_ROUTES
from ..quantities import Elapsed

__all__ = ["Delivery", "delivery", "delivery_text", "method_text", "shown_delivery"]

# What a route alone says (the text of events and their summaries).
_ROUTE_ACTION = {"subcutaneous": "subcutaneous injection", "oral": "by mouth",
                 "intramuscular": "intramuscular injection"}
#: From 24 hours an infusion is said to be continuous (the protocols' "46-hour
#: continuous infusion"); shorter ones run "over 30 minutes".
_CONTINUOUS_MINUTES = 24 * 60


@dataclass(frozen=True)
class Delivery:
    """How a dose goes in: its route, the method said (None: the route alone) and how
    long it runs (None: given at once, or not said)."""

    route: str
    method: str | None
    duration: Elapsed | None


def delivery(route: str, method: str | None, duration: Elapsed | None) -> Delivery:
    """The delivery of a dose by ``route`` with a course's ``method`` and ``duration``:
    a duration by an infusion route without a method is an infusion."""
    if method is None and duration is not None and route in INFUSION_ROUTES:
        method = "infusion"
    return Delivery(route, method, duration)


def shown_delivery(s: Schedule, a: Administration, blinded: bool) -> Delivery:
    """The delivery an output shows for ``a``: blinded, the route alone unless every
    course of the drug in the period has the same method and duration."""
    period = s.regimen.period(a.period)
    course = period.courses[a.course]
    if blinded and len({(c.method, c.duration) for c in period.courses
                        if c.drug == a.drug}) > 1:
        return delivery(a.route, None, None)
    return delivery(a.route, course.method, course.duration)


def method_text(route: str, method: str | None, duration: Elapsed | None = None) -> str:
    """The route with its method, as a table column shows it: ``intravenous bolus``.

    A duration by an infusion route without a method is an infusion.
    """
    d = delivery(route, method, duration)
    return d.route if d.method is None else f"{d.route} {d.method}"


def delivery_text(route: str, method: str | None, duration: Elapsed | None) -> str:
    """The route, method and duration of an administration in words.

    ``route`` is written out already (``human_route``). With a duration the dose
    runs over that time: an infusion when the method is ``infusion``, or when no
    method is given for a route such as intravenous (``INFUSION_ROUTES`` in
    :mod:`regimens.model`); otherwise "transdermal, over 72 hours".
    """
    d = delivery(route, method, duration)
    if d.duration is not None:
        if d.method == "infusion":
            how = "continuous " if d.duration.minutes >= _CONTINUOUS_MINUTES else ""
            return f"by {how}{route} infusion over {d.duration}"
        return f"{route}, over {d.duration}"
    if d.method in ("bolus", "push"):
        return f"{route} {d.method} injection"
    if d.method == "infusion":
        return f"{route} infusion"
    return _ROUTE_ACTION.get(route, route)
