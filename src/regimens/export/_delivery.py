"""How a dose goes in, said in full for people: route, method and duration.

"subcutaneous injection", "by mouth", "intravenous bolus injection", "by continuous
intravenous infusion over 46 hours". An intravenous dose without ``method`` or
``duration`` is said as "intravenous": it is not called an infusion, since a bolus
is an injection and the regimen did not say which.
"""

from __future__ import annotations

from ..model import INFUSION_ROUTES, Course
from ..quantities import Elapsed

__all__ = ["delivery_text", "method_text"]

# What a route alone says (the text of events and their summaries).
_ROUTE_ACTION = {"subcutaneous": "subcutaneous injection", "oral": "by mouth",
                 "intramuscular": "intramuscular injection"}
#: From 24 hours an infusion is said to be continuous (the protocols' "46-hour
#: continuous infusion"); shorter ones run "over 30 minutes".
_CONTINUOUS_MINUTES = 24 * 60


def method_text(route: str, method: str | None, duration: Elapsed | None = None) -> str:
    """The route with its method, as a table column shows it: ``intravenous bolus``.

    A duration by an infusion route without a method is an infusion.
    """
    if method is None and duration is not None and route in INFUSION_ROUTES:
        method = "infusion"
    return route if method is None else f"{route} {method}"


def delivery_text(route: str, method: str | None, duration: Elapsed | None) -> str:
    """The route, method and duration of an administration in words.

    ``route`` is written out already (``human_route``). With a duration the dose
    runs over that time: an infusion when the method is ``infusion``, or when no
    method is given for a route such as intravenous (``INFUSION_ROUTES`` in
    :mod:`regimens.model`); otherwise "transdermal, over 72 hours".
    """
    if duration is not None:
        infusion = method == "infusion" or (method is None and route in INFUSION_ROUTES)
        if infusion:
            how = "continuous " if duration.minutes >= _CONTINUOUS_MINUTES else ""
            return f"by {how}{route} infusion over {duration}"
        return f"{route}, over {duration}"
    if method in ("bolus", "push"):
        return f"{route} {method} injection"
    if method == "infusion":
        return f"{route} infusion"
    return _ROUTE_ACTION.get(route, route)


def course_delivery(course: Course, route: str) -> str:
    """:func:`delivery_text` for an administration of ``course`` by ``route``."""
    return delivery_text(route, course.method, course.duration)
