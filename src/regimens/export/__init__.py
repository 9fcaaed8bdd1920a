"""Exports: schedules and reports as text, data, iCalendar, and on a CalDAV server.

Reads the engine's records and writes; nothing below imports this layer,
except the one-line ``Schedule.to_*`` and ``CheckReport.to_*`` delegates named
in the layer contract (``pyproject.toml``).
"""

import importlib
from typing import TYPE_CHECKING, Any

from .._public import PUBLIC

# PEP 562: each module is imported when one of its names is first used (``to_json``
# needs neither CalDAV nor the handouts). Type checkers see the names here.
if TYPE_CHECKING:
    from ._arguments import unmatched_problem
    from ._blind_guard import Outcome, blind_guard, blinded_arms, check_alike
    from ._caldav import PublishSummary, publish
    from ._check_report import check_dict, check_json, check_text
    from ._csv import render_csv
    from ._grid import grid
    from ._handout import render_diary, render_html
    from ._i18n import LANGUAGES
    from ._ics import to_ics
    from ._pdf import render_pdf
    from ._reminders import Reminder
    from ._schedule_data import schedule_dict
    from ._schedule_json import render_json
    from ._schedule_text import record_lines, render_calendar, render_table, shown_warnings
    from ._summary import summary_json, summary_lines

__all__ = [
    "LANGUAGES",
    "Outcome",
    "PublishSummary",
    "Reminder",
    "blind_guard",
    "blinded_arms",
    "check_alike",
    "check_dict",
    "check_json",
    "check_text",
    "grid",
    "publish",
    "record_lines",
    "render_calendar",
    "render_csv",
    "render_diary",
    "render_html",
    "render_json",
    "render_pdf",
    "render_table",
    "schedule_dict",
    "shown_warnings",
    "summary_json",
    "summary_lines",
    "to_ics",
    "unmatched_problem",
]

#: The module of each name.
_WHERE = {
    "LANGUAGES": "_i18n",
    "Outcome": "_blind_guard",
    "PublishSummary": "_caldav",
    "Reminder": "_reminders",
    "blind_guard": "_blind_guard",
    "blinded_arms": "_blind_guard",
    "check_alike": "_blind_guard",
    "check_dict": "_check_report",
    "check_json": "_check_report",
    "check_text": "_check_report",
    "grid": "_grid",
    "publish": "_caldav",
    "record_lines": "_schedule_text",
    "render_calendar": "_schedule_text",
    "render_csv": "_csv",
    "render_diary": "_handout",
    "render_html": "_handout",
    "render_json": "_schedule_json",
    "render_pdf": "_pdf",
    "render_table": "_schedule_text",
    "schedule_dict": "_schedule_data",
    "shown_warnings": "_schedule_text",
    "summary_json": "_summary",
    "summary_lines": "_summary",
    "to_ics": "_ics",
    "unmatched_problem": "_arguments",
}


def __getattr__(name: str) -> Any:
    """``export.X``: imports the module that defines ``X`` on first use."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    if name in PUBLIC["export"]:
        value.__module__ = "regimens"  # regimens.Reminder, as regimens exports it
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
