"""Exceptions and warnings.

One root, :class:`RegimenError`; every subclass also inherits the built-in
exception a caller would naturally catch (``ValueError``, ``LookupError``), so
``except ValueError`` keeps working for code that does not know this library.
Every error carries structured fields as well as its message.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DoseError",
    "ExpandOptionError",
    "InvalidRegimenError",
    "MissingMeasurementError",
    "ParticipantError",
    "Problem",
    "PublishError",
    "RegimenError",
    "RegimenLookupError",
    "RegimenNotFoundError",
    "RegimenWarning",
    "RoundingWarning",
    "TimeShiftWarning",
    "UnitError",
]


def show(value: object) -> str:
    """The offending value as it appears in a message: strings quoted, long values cut."""
    if isinstance(value, str):
        text = repr(value)
    elif isinstance(value, bool) or value is None:
        text = {True: "true", False: "false", None: "null"}[value]
    elif isinstance(value, dict):
        text = "a mapping"
    elif isinstance(value, list):
        text = "a list"
    else:
        text = str(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a regimen file.

    ``str(problem)`` is the line printed for the user::

        FILE:LINE: field.path: what is wrong (got VALUE)
    """

    file: str
    line: int | None
    path: str
    message: str
    value: object = None
    has_value: bool = True

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        text = f"{where}: {self.path or '(document)'}: {self.message}"
        if self.has_value:
            text += f" (got {show(self.value)})"
        return text


class RegimenError(Exception):
    """Root of every error this library raises on purpose."""


class InvalidRegimenError(RegimenError, ValueError):
    """A regimen file or document is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class RegimenNotFoundError(RegimenError, LookupError):
    """No file at that path and no catalogue entry with that id."""

    def __init__(self, name: str, known: tuple[str, ...] = ()) -> None:
        self.name = name
        self.known = known
        message = f"no regimen file or catalogue entry named {name!r}"
        if known:
            message += f"; catalogue ids: {', '.join(known)}"
        super().__init__(message)


class UnitError(RegimenError, ValueError):
    """A quantity (dose, weight, height, duration) could not be read.

    ``text`` is the offending input and ``allowed`` says what would be accepted.
    """

    def __init__(self, text: object, reason: str, allowed: str = "") -> None:
        self.text = text
        self.reason = reason
        self.allowed = allowed
        message = reason if not allowed else f"{reason}; {allowed}"
        super().__init__(message)


class ParticipantError(RegimenError, ValueError):
    """A participant measurement is missing, malformed or implausible."""

    def __init__(self, field: str, message: str, value: object = None) -> None:
        self.field = field
        self.value = value
        text = f"{field}: {message}"
        if value is not None:
            text += f" (got {show(value)})"
        super().__init__(text)


class MissingMeasurementError(ParticipantError):
    """A body-size dose needs a measurement that was not given."""

    def __init__(self, field: str, message: str, needed: tuple[str, ...]) -> None:
        self.needed = needed
        super().__init__(field, message)


class RegimenLookupError(RegimenError, LookupError):
    """A regimen has no drug, arm or period with this id (``Regimen.drug("nope")``)."""

    def __init__(self, kind: str, key: object, known: tuple[str, ...] = ()) -> None:
        self.kind = kind
        self.key = key
        self.known = tuple(known)
        super().__init__(kind, key, self.known)

    def __str__(self) -> str:
        listed = f" ({self.kind}s: {', '.join(self.known)})" if self.known else ""
        return f"no {self.kind} has the id {show(self.key)}{listed}"


class DoseError(RegimenError, ValueError):
    """A dose cannot be computed safely for this participant (e.g. it rounds to nothing)."""


class ExpandOptionError(RegimenError, ValueError):
    """An expansion option (arm, start, lengths, time zone, formula) is invalid."""

    def __init__(self, option: str, message: str, value: object = None) -> None:
        self.option = option
        self.value = value
        text = f"{option}: {message}"
        if value is not None:
            text += f" (got {show(value)})"
        super().__init__(text)


class PublishError(RegimenError, OSError):
    """Publishing to a CalDAV server failed: unreachable, credentials refused, not a calendar.

    The message never contains the password (nor credentials written into the URL).
    """


class RegimenWarning(UserWarning):
    """Legal but risky: the schedule is produced, and the warning names the fix."""


class RoundingWarning(RegimenWarning):
    """Rounding moved a dose by more than 10% of the computed amount."""


class TimeShiftWarning(RegimenWarning):
    """A local time of day does not exist on that date (daylight-saving gap) and was moved."""
