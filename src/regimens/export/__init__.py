"""Exports: schedules and reports as text, data, iCalendar, and on a CalDAV server.

Reads the engine's records and writes; nothing below imports this layer,
except the one-line ``Schedule.to_*`` and ``CheckReport.to_*`` delegates named
in the layer contract (``pyproject.toml``).
"""

from ._caldav import PublishSummary, publish
from ._handout import render_diary, render_html
from ._i18n import LANGUAGES
from ._ics import Reminder, to_ics
from ._pdf import render_pdf
from ._render import (
    check_dict,
    check_json,
    check_text,
    grid,
    render_calendar,
    render_csv,
    render_json,
    render_table,
    schedule_dict,
    shown_warnings,
)

__all__ = [
    "LANGUAGES",
    "PublishSummary",
    "Reminder",
    "check_dict",
    "check_json",
    "check_text",
    "grid",
    "publish",
    "render_calendar",
    "render_csv",
    "render_diary",
    "render_html",
    "render_json",
    "render_pdf",
    "render_table",
    "schedule_dict",
    "shown_warnings",
    "to_ics",
]
