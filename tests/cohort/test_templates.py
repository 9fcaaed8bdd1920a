"""A cohort's templates, checked on every case: which way each is made, and what it holds.

The engine lays a schedule out in bulk (columns, no row object per administration)
unless a course moves, drops or re-times rows by their day (docs/performance.md, "One
participant"); :func:`template` then reads the engine's columns, else the schedule's
rows. Every case asserts which of the two ways was taken, from the regimen's own
constructs (never from the engine's choice), and that the template's rows are those
``Regimen.expand`` gives the same participant, read through the template's codes. Where
the bulk way is taken, the rows made the other way from the same schedule are also
equal to it: every column, the day offsets, the scaled doses' rows, the exact amounts,
and the codes given to labels, units and doses, in the same order.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, Verbosity, find, given, settings
from hypothesis import strategies as st

import regimens
from regimens.engine import columns_of, expand, resolve
from regimens.model import Dose, HoursPattern
from regimens.quantities import Basis, BSAFormula
from support.strategies import documents

np = pytest.importorskip("numpy")

from regimens.cohort import _templates  # noqa: E402
from regimens.cohort._templates import (  # noqa: E402
    REFERENCE_MONDAY,
    Template,
    _columns,
    _rows,
    template,
)

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: The participant ``Regimen.expand`` is given (per-kg and per-m2 doses need one); the
#: template leaves those doses' amounts to fill, so only their rows and doses compare.
PARTICIPANT = regimens.Participant(weight="70 kg", height="175 cm")

#: The two ways a template is made: from the engine's columns, or from its rows.
BULK, ROW_BY_ROW = "columns", "rows"

#: Every arm of the catalogue, one case each.
CATALOGUE = [(name, arm.id) for name in regimens.catalog_ids()
             for arm in regimens.load(name).arms]


def _expected_way(regimen: regimens.Regimen, arm: str) -> str:
    """The way a template of ``arm`` must be made, from the regimen's constructs alone.

    Row by row when a course on the arm's path skips days (``not_on``), keeps off the
    days of other drugs (``no_same_day``) or is timed in elapsed hours. The engine's
    other reasons never hold for a template: it is laid out without a site calendar,
    a time zone or a participant (so no dose dated by a birth date).
    """
    row_by_row = any(c.not_on or c.no_same_day or isinstance(c.pattern, HoursPattern)
                     for p in regimen.path(arm) for c in p.courses
                     if c.arms is None or arm in c.arms)
    return ROW_BY_ROW if row_by_row else BULK


@dataclass
class _Made:
    way: str  # BULK or ROW_BY_ROW: the function template() called
    template: Template
    codes: dict[str, dict[str, int]]  # kind -> label -> code, as template() filled them
    keys: dict[Dose, int]  # dose -> key of its scaled rows


def _template(regimen: regimens.Regimen, arm: str, weekday: int,
              lengths: dict[str, str]) -> _Made:
    """The template :func:`template` makes, and which of the two ways made it."""
    codes: dict[str, dict[str, int]] = {k: {} for k in ("unit", "period", "drug", "visit")}
    keys: dict[Dose, int] = {}
    with mock.patch.object(_templates, "_columns", wraps=_columns) as bulk, \
            mock.patch.object(_templates, "_rows", wraps=_rows) as rows:
        made = template(regimen, arm, 0, weekday, lengths, BSAFormula.MOSTELLER, 2, codes,
                        keys, np)
    ways = [BULK] * bulk.call_count + [ROW_BY_ROW] * rows.call_count
    assert len(ways) == 1, ways  # one way, exactly once
    return _Made(ways[0], made, codes, keys)


def _assert_template(regimen: regimens.Regimen, arm: str, weekday: int,
                     lengths: dict[str, str] | None = None) -> str:
    """Assert everything a template of this group must be; the way it was made."""
    lengths = lengths or {}
    made = _template(regimen, arm, weekday, lengths)
    expected = _expected_way(regimen, arm)
    assert made.way == expected, (regimen.id, arm, weekday)
    line = resolve(regimen, arm=arm, start=REFERENCE_MONDAY + timedelta(days=weekday),
                   lengths=lengths)
    schedule = expand(regimen, line, symbolic=True)
    if expected == BULK:
        assert columns_of(schedule) is not None
        _assert_same_both_ways(schedule)
    else:
        assert columns_of(schedule) is None
    _assert_as_expand(made, regimen, arm, weekday, lengths)
    return made.way


def _assert_as_expand(made: _Made, regimen: regimens.Regimen, arm: str, weekday: int,
                      lengths: dict[str, str]) -> None:
    """The template's rows are ``Regimen.expand``'s for a start on ``weekday``, field by
    field, its codes read back through the tables the template filled."""
    start = REFERENCE_MONDAY + timedelta(days=weekday)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        schedule = regimen.expand(arm, start, PARTICIPANT, lengths=lengths)
    admins = schedule.administrations
    rows = made.template.rows
    label = {kind: {c: name for name, c in table.items()} for kind, table in made.codes.items()}
    dose_of = {key: dose for dose, key in made.keys.items()}
    scaled_key = {i: key for key, where in made.template.scaled for i in where.tolist()}
    assert made.template.size == len(admins) == len(made.template.exact)
    assert sorted(scaled_key) == [k for k, a in enumerate(admins) if a.dose.basis in (
        Basis.PER_KG, Basis.PER_M2) and a.dose.per_basis is not None]
    for k, a in enumerate(admins):
        assert start + timedelta(days=int(rows["offset"][k])) == a.date, k
        assert rows["study_day"][k] == a.study_day.value, k
        assert label["drug"][rows["drug"][k]] == a.drug, k
        assert label["period"][rows["period"][k]] == a.period, k
        assert rows["course"][k] == a.course, k
        assert rows["cycle"][k] == (-1 if a.cycle is None else a.cycle), k
        assert rows["cycle_day"][k] == (-1 if a.cycle_day is None else a.cycle_day), k
        assert rows["step"][k] == (-1 if a.step is None else a.step + 1), k
        assert rows["placebo"][k] == a.placebo, k
        assert rows["blinded"][k] == a.blinded, k
        if a.time is None:
            assert np.isnat(rows["time"][k]), k
        else:
            assert rows["time"][k] == np.timedelta64(a.time.hour * 60 + a.time.minute, "m")
        if k in scaled_key:  # per kg or per m2: the dose as written, scaled later
            assert a.dose.per_basis is not None
            assert dose_of[scaled_key[k]] == a.dose.per_basis, k
            assert np.isnan(rows["amount"][k]), k
            assert label["unit"][rows["unit"][k]] == (
                a.dose.per_basis.quantity.amount.unit.symbol), k
            assert made.template.exact[k] is None, k
        elif a.dose.amount is None:  # placebo, or no amount fixed by the protocol
            assert np.isnan(rows["amount"][k]), k
            assert rows["unit"][k] == -1, k
            assert made.template.exact[k] is None, k
        else:
            assert rows["amount"][k] == float(a.dose.amount.magnitude), k
            assert label["unit"][rows["unit"][k]] == a.dose.amount.unit.symbol, k
            assert made.template.exact[k] == a.dose.amount, k


def _assert_same_both_ways(schedule: regimens.Schedule) -> None:
    """The template's parts made from the engine's columns equal those made from the
    schedule's rows, with the same codes given in the same order."""
    columns = columns_of(schedule)
    assert columns is not None
    tables: list[tuple[dict[str, dict[str, int]], dict[Any, int]]] = []
    made = []
    for way in (BULK, ROW_BY_ROW):
        codes: dict[str, dict[str, int]] = {k: {} for k in ("unit", "period", "drug")}
        keys: dict[Any, int] = {}

        def code(kind: str, value: str, codes: dict[str, dict[str, int]] = codes) -> int:
            return codes[kind].setdefault(value, len(codes[kind]))

        made.append(_columns(columns, code, keys, np) if way == BULK
                    else _rows(schedule.administrations, code, keys, np))
        tables.append((codes, keys))
    (bulk, bulk_offsets, bulk_scaled, bulk_exact), (rows, offsets, scaled, exact) = made
    assert list(bulk) == list(rows)
    for name in rows:
        assert bulk[name].dtype == rows[name].dtype, name
        assert np.array_equal(bulk[name], rows[name], equal_nan=name in ("amount", "time")), name
    assert bulk_offsets == offsets
    assert [k for k, _ in bulk_scaled] == [k for k, _ in scaled]
    for (_, a), (_, b) in zip(bulk_scaled, scaled, strict=True):
        assert a.dtype == b.dtype
        assert np.array_equal(a, b)
    assert bulk_exact == exact
    # The same codes, given in the same order (dicts compare their order only as lists).
    assert [list(t.items()) for t in tables[0][0].values()] == [
        list(t.items()) for t in tables[1][0].values()]
    assert list(tables[0][1].items()) == list(tables[1][1].items())


@pytest.mark.parametrize(("name", "arm"), CATALOGUE)
def test_catalogue_templates(name: str, arm: str) -> None:
    regimen = regimens.load(name)
    for weekday in (0, 3):
        _assert_template(regimen, arm, weekday)


def test_the_catalogue_has_arms_of_both_ways() -> None:
    # Were every arm made one way, the cases above would test the other way nowhere.
    found: dict[str, list[str]] = {BULK: [], ROW_BY_ROW: []}
    neither: list[str] = []
    for name, arm in CATALOGUE:
        regimen = regimens.load(name)
        try:
            way = _template(regimen, arm, 0, {}).way
        except regimens.RegimenError as exc:
            neither.append(f"{name}/{arm}: {exc}")
            continue
        found[way].append(f"{name}/{arm}")
    assert neither == [], "arms whose template is made neither way"
    assert found[BULK], found
    assert found[ROW_BY_ROW], found
    # Row by row: the NCT04055623 arms, whose Treg infusions have no_same_day.
    assert found[ROW_BY_ROW] == ["nct04055623/active", "nct04055623/placebo",
                                 "nct04055623/ole-only"]


def test_mirocals_run_in_lengths_take_the_columns() -> None:
    regimen = regimens.load("mirocals")
    for weeks in range(12, 19):
        assert _assert_template(regimen, "il2", 0, {"run-in": f"{weeks} weeks"}) == BULK


@SETTINGS
@given(documents(), st.sampled_from(["a", "b"]), st.integers(0, 6))
def test_templates_of_generated_regimens(doc: dict[str, Any], arm: str, weekday: int
                                         ) -> None:
    regimen = regimens.loads(json.dumps(doc))
    try:
        expand(regimen, resolve(regimen, arm=arm, start=REFERENCE_MONDAY + timedelta(
            days=weekday), lengths={}), symbolic=True)
    except regimens.RegimenError as exc:
        refused = exc
    else:
        _assert_template(regimen, arm, weekday)
        return
    # A document the engine refuses: the template refuses it too, with the same error
    # (never a template of no rows).
    with pytest.raises(type(refused)) as caught:
        _template(regimen, arm, weekday, {})
    assert str(caught.value) == str(refused)


def _laid_out(doc: dict[str, Any]) -> regimens.Schedule | None:
    """Arm a of ``doc`` from a Monday, as a template lays it out; None if refused."""
    regimen = regimens.loads(json.dumps(doc))
    try:
        return expand(regimen, resolve(regimen, arm="a", start=REFERENCE_MONDAY,
                                       lengths={}), symbolic=True)
    except regimens.RegimenError:
        return None


@pytest.mark.parametrize("way", [BULK, ROW_BY_ROW])
def test_generated_regimens_come_in_both_ways(way: str) -> None:
    # The property above covers both ways only if the documents it is given do.
    found = find(documents(), lambda doc: _expected_way(
        regimens.loads(json.dumps(doc)), "a") == way and _laid_out(doc) is not None,
        settings=settings(max_examples=200, database=None, verbosity=Verbosity.quiet,
                          suppress_health_check=[HealthCheck.too_slow]))
    schedule = _laid_out(found)
    assert schedule is not None
    assert (columns_of(schedule) is None) == (way == ROW_BY_ROW)
