"""A cohort's templates are the same whether made from the engine's columns (its bulk
layout, no row object per administration) or from its rows: every column, the day
offsets, the scaled doses' rows, the exact amounts, and the codes given to labels, units
and doses, in the same order."""

from __future__ import annotations

import contextlib
import json
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import regimens
from regimens.engine import columns_of, expand, resolve
from support.strategies import documents

np = pytest.importorskip("numpy")

from regimens.cohort._templates import REFERENCE_MONDAY, _columns, _rows  # noqa: E402

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _made_both_ways(regimen: regimens.Regimen, arm: str, weekday: int,
                    lengths: dict[str, str] | None = None) -> bool:
    """Compare both ways for one group; False when the engine did not lay it out in bulk."""
    line = resolve(regimen, arm=arm, start=REFERENCE_MONDAY + timedelta(days=weekday),
                   lengths=lengths or {})
    schedule = expand(regimen, line, symbolic=True)
    columns = columns_of(schedule)
    if columns is None:
        return False
    tables: list[tuple[dict[str, dict[str, int]], dict[Any, int]]] = []
    made = []
    for way in ("columns", "rows"):
        codes: dict[str, dict[str, int]] = {k: {} for k in ("unit", "period", "drug")}
        keys: dict[Any, int] = {}

        def code(kind: str, value: str, codes: dict[str, dict[str, int]] = codes) -> int:
            return codes[kind].setdefault(value, len(codes[kind]))

        made.append(_columns(columns, code, keys, np) if way == "columns"
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
    return True


@pytest.mark.parametrize("name", regimens.catalog_ids())
def test_catalogue_templates_are_the_same_both_ways(name: str) -> None:
    regimen = regimens.load(name)
    for arm in regimen.arms:
        for weekday in (0, 3):
            _made_both_ways(regimen, arm.id, weekday)


def test_mirocals_run_in_lengths_take_the_columns() -> None:
    regimen = regimens.load("mirocals")
    for weeks in range(12, 19):
        assert _made_both_ways(regimen, "il2", 0, {"run-in": f"{weeks} weeks"})


@SETTINGS
@given(documents(), st.sampled_from(["a", "b"]), st.integers(0, 6))
def test_templates_are_the_same_both_ways(doc: dict[str, Any], arm: str, weekday: int
                                          ) -> None:
    regimen = regimens.loads(json.dumps(doc))
    # (A document the engine refuses has nothing to compare.)
    with contextlib.suppress(regimens.RegimenError):
        _made_both_ways(regimen, arm, weekday)
