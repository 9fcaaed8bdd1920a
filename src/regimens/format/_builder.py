"""What every part of the builder shares: the document, the problems found so far, the
ids read at the top level, and placing the model's own problems in the file."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidRegimenError, Loc, Problem
from ..model import Arm, Drug, Period, Regimen
from ..quantities import Amount, LengthRange
from ._fail import Fail
from ._source import Cursor, Document

__all__: list[str] = []


def _located(doc: Document, error: InvalidRegimenError, base: Cursor) -> list[Problem]:
    """The model's problems, placed in the file: each ``loc``, relative to ``base``,
    gets the line of the nearest part of the document that has one.

    The builder checks every rule the model checks, with lines, before it makes a
    record; this only keeps a rule added to the model later from printing
    ``<Regimen>`` instead of the file and line.
    """
    located = []
    for problem in error.problems:
        loc = (*base.path, *problem.loc)
        probe = loc
        while probe and probe not in doc.lines:
            probe = probe[:-1]
        line = doc.lines.get(probe, base.line)
        located.append(Problem(doc.name, line, loc, problem.message, problem.value,
                               code=problem.code))
    return located


class _BuilderBase:
    """The builder's shared state and helpers. ``_Builder.regimen`` sets the ids it reads
    at the top level before it builds the periods, courses and visits that use them."""

    clinic_drugs: set[str]
    drug_ids: set[str]
    bsa_max: Any
    regimen_policy: Any
    drug_routes: dict[str, str]
    drug_vials: dict[str, tuple[Amount, ...]]
    drugs_by_id: dict[str, Drug]
    periods_raw: Cursor
    course_ids: set[str]
    periods: list[Period]
    period_ids: list[str]
    period_lengths: dict[str, LengthRange]
    period_min: dict[str, int]
    arms: dict[str, Arm]
    excluding: set[str]
    course_drugs: set[tuple[str, str]]

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.root = doc.root()
        self.problems: list[Problem] = []

    def attempt(self, make: Any, *args: Any) -> Any:
        try:
            return make(*args)
        except Fail as fail:
            self.problems.append(fail.problem)
            return None

    def no_drug(self) -> str:
        return f"no drug has this id (drugs: {', '.join(sorted(self.drug_ids))})"

    def no_arm(self) -> str:
        return f"no arm has this id (arms: {', '.join(self.arms)})"

    def where(self, cur: Cursor) -> tuple[str, int | None, Loc]:
        return (self.doc.name, cur.line, cur.path)


    def make(self, cur: Cursor, record: Any, *args: Any, **fields: Any) -> Any:
        """``record(*args, **fields)``, with the model's own problems placed in the file."""
        try:
            return record(*args, **fields)
        except InvalidRegimenError as exc:
            problems = _located(self.doc, exc, cur)
            if record is Regimen:
                self.problems.extend(problems)
                return None
            raise Fail(problems[0]) from None


    def items(self, key: str) -> list[tuple[int, Cursor]]:
        if not self.root.has(key):
            return []
        return list(self.root.at(key).items())
