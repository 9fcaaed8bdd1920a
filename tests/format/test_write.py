"""The writer (``regimens.dumps``) round-trips every regimen the project ships.

For every catalogue entry, every example under examples/ and every docs/format.md example
that loads, in YAML and in JSON (``expect`` blocks, sources and notes included):

- ``loads(dumps(r)) == r``: nothing is lost or changed;
- ``dumps(loads(dumps(r))) == dumps(r)``: the written text is a fixed point, so writing a
  regimen twice never drifts.

Generated documents with every optional field are round-tripped in
``tests/format/test_properties.py``.
"""

from __future__ import annotations

import pytest

import regimens
from support import EXAMPLES, format_md_blocks


def _shipped() -> list[tuple[str, regimens.Regimen]]:
    out = [(f"catalog:{cid}", regimens.load(cid)) for cid in regimens.catalog_ids()]
    out += [(f"examples/{p.name}", regimens.load(p)) for p in sorted(EXAMPLES.glob("*.yaml"))]
    for line, block in format_md_blocks():
        if block.lstrip("\n").startswith("# invalid"):
            continue
        out.append((f"format.md:{line}", regimens.loads(block, f"format.md:{line}")))
    return out


SHIPPED = _shipped()


def test_every_shipped_regimen_is_covered() -> None:
    names = [n for n, _ in SHIPPED]
    assert {f"catalog:{c}" for c in regimens.catalog_ids()} <= set(names)
    assert "examples/imodals.yaml" in names
    assert sum(n.startswith("format.md:") for n in names) >= 20
    # The expect blocks are part of what is round-tripped.
    assert sum(bool(r.expect) for _, r in SHIPPED) >= 5
    assert any(r.sources for _, r in SHIPPED)
    assert any(r.registry for _, r in SHIPPED)
    # The participant's instructions (handout and diary) are round-tripped too.
    assert any(d.missed_dose and d.food for _, r in SHIPPED for d in r.drugs)


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize("regimen", [r for _, r in SHIPPED], ids=[n for n, _ in SHIPPED])
def test_dumps_round_trips(regimen: regimens.Regimen, fmt: str) -> None:
    text = regimens.dumps(regimen, fmt=fmt)
    again = regimens.loads(text, f"dumped.{fmt}")
    assert again == regimen
    assert again.expect == regimen.expect  # (also inside ==; named for the failure message)
    assert regimens.dumps(again, fmt=fmt) == text


_WINDOW_DOC = """\
format: regimens/1
id: w
title: Windows
drugs: {a: {name: drug A, route: oral}}
arms: {x: {label: X}}
periods:
  - id: t
    length: 4 weeks
visits:
  - {id: v, day: 8, window: %s}
"""


@pytest.mark.parametrize(("written", "dumped"), [
    ("1 day", "window: 1 day"),
    ("2 days", "window: 2 days"),
    ("{before: 1 day}", "window: {before: 1 day, after: 0 days}"),
    ("{before: 2 days, after: 1 day}", "window: {before: 2 days, after: 1 day}"),
    ("1 week", "window: 7 days"),
])
def test_window_days_are_singular_and_plural_as_people_write_them(written: str,
                                                                 dumped: str) -> None:
    # "1 days" was written for a one-day window.
    text = regimens.dumps(regimens.loads(_WINDOW_DOC % written))
    assert dumped in text
    assert "1 days" not in text
    assert regimens.loads(text) == regimens.loads(_WINDOW_DOC % written)


_DOSING_DOC = """\
format: regimens/1
id: dosing
title: Dosing constructs
bsa_max: 2 m2
drugs:
  carbo: {name: carboplatin, route: intravenous, levels: {-1: AUC 4, -2: 75%}}
  pac: {name: paclitaxel, route: intravenous}
  gent: {name: gentamicin, route: intravenous}
arms: {x: {label: X}}
periods:
  - id: t
    length: 3 weeks
    courses:
      - {drug: carbo, dose: AUC 5, gfr_max: 120 mL/min, creatinine_min: 61.88 umol/L,
         crcl_weight: auto, max: 750 mg, days: 1}
      - {drug: pac, dose: 175 mg/m2, days: 1, levels: {-1: 135 mg/m2, +1: 110%}}
      - {drug: pac, dose: 80 mg/m2, bsa_max: 2.2 m2, days: 8}
      - drug: gent
        cycle: 1 week
        days: 1
        levels: {-1: 50%}
        steps: [{dose: 5 mg/kg, weight: adjusted, cycles: 1}, {dose: 7 mg/kg, weight: ideal,
                cycles: 2}]
"""


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_dosing_constructs_round_trip(fmt: str) -> None:
    regimen = regimens.loads(_DOSING_DOC, "dosing.yaml")
    text = regimens.dumps(regimen, fmt=fmt)
    assert regimens.loads(text, f"dumped.{fmt}") == regimen
    if fmt == "yaml":
        # The drug's levels are written on each course they serve; the regimen's bsa_max
        # on each per-m2 dose without its own.
        assert "levels: {'-1': AUC 4, '-2': 75%}" in text
        assert "bsa_max: 2 m2" in text
        assert "creatinine_min: 61.88 µmol/L" in text
