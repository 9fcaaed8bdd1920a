"""docs/supply.md: every example runs (the Python ones, with their asserts hand-computed:
5 doses of 2 MIU in the first week, 2 vials of 1 MIU each; the plans shown; the error
example, word for word; the worked example's command, its first rows and its plot);
every planning-file key is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import regimens
from regimens.supply._plan_schema import PACKAGING, PLAN
from support import ROOT

SUPPLY_MD = ROOT / "docs" / "supply.md"


def test_python_examples_run() -> None:
    pytest.importorskip("numpy")
    pytest.importorskip("pyarrow")
    text = SUPPLY_MD.read_text(encoding="utf-8")
    blocks = re.findall(r"^```python[ \t]*\n(.*?)^```[ \t]*$", text, re.DOTALL | re.MULTILINE)
    local = [b for b in blocks if "Client(" not in b]  # the cluster example needs a cluster
    assert local
    namespace: dict[str, object] = {}
    for block in local:
        exec(compile(block, str(SUPPLY_MD), "exec"), namespace)


def test_every_key_is_documented() -> None:
    text = SUPPLY_MD.read_text(encoding="utf-8")
    keys = [k for k in PLAN.fields if not k.startswith("$")] + list(PACKAGING.fields)
    missing = [k for k in keys if f"| `{k}` |" not in text]
    assert missing == []


def _example(name: str, kind: str = "supply-error-example") -> str:
    text = SUPPLY_MD.read_text(encoding="utf-8")
    found = re.search(rf"<!-- {kind}:{name} -->\n```[a-z]*\n(.*?)```", text, re.DOTALL)
    assert found, name
    return found.group(1)


def test_error_example_reports_every_problem_at_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The errors shown in docs/supply.md are what ``regimens supply`` gives for its plan,
    word for word and all at once (structure, values and the regimen's); the API gives the
    same with the regimen, and the file's own without it."""
    pytest.importorskip("numpy")
    pytest.importorskip("pyarrow")
    from regimens import InvalidRegimenError
    from regimens.cli import main
    from regimens.supply import load_plan, loads_plan, simulate

    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.yaml").write_text(_example("plan"), encoding="utf-8")
    expected = _example("errors").splitlines()
    assert main(["supply", "mirocals", "plan.yaml"]) == 2
    out, err = capsys.readouterr()
    assert (out, err.splitlines()) == ("", expected)
    with pytest.raises(InvalidRegimenError) as caught:
        load_plan("plan.yaml", regimen=regimens.load("mirocals"))
    assert [str(p) for p in caught.value.problems] == expected
    with pytest.raises(InvalidRegimenError) as caught:
        simulate("mirocals", "plan.yaml")
    assert [str(p) for p in caught.value.problems] == expected
    # Read alone, the plan has no regimen to meet: its own problems, the same words.
    own = [line for line in expected if "mirocals" not in line and "MIU" not in line]
    assert len(own) == len(expected) - 2
    with pytest.raises(InvalidRegimenError) as caught:
        loads_plan(_example("plan"), "plan.yaml")
    assert [str(p) for p in caught.value.problems] == own


def test_blind_error_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    """The refusal of placebo vials unlike the active dose's shown in docs/supply.md, word
    for word; the plan reads, and is forecast unblinded."""
    pytest.importorskip("numpy")
    pytest.importorskip("pyarrow")
    from regimens.cli import main
    from regimens.supply import load_plan, simulate

    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.yaml").write_text(_example("blind-plan"), encoding="utf-8")
    assert main(["supply", "mirocals", "plan.yaml"]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", _example("blind-errors"))
    plan = load_plan("plan.yaml", regimen=regimens.load("mirocals"))
    assert simulate("mirocals", plan, unblinded=True).summary.num_rows


def test_the_plans_shown_run() -> None:
    """The simplest plan (the issue's contract, as written) and the simulated one."""
    pytest.importorskip("numpy")
    pytest.importorskip("pyarrow")
    from regimens.supply import loads_plan, simulate

    simplest = simulate("mirocals", loads_plan(_example("simplest", "supply-example"), "p.yaml"))
    # P-001 on il2 from 2027-01-04: 19 cycles of 5 doses of aldesleukin.
    il2 = [r for r in simplest.summary.to_pylist()
           if r["drug"] == "il2" and r["statistic"] == "p50"]
    assert sum(r["administrations"] for r in il2) == 19 * 5
    simulated = simulate("mirocals", loads_plan(_example("simulated", "supply-example"),
                                                "p.yaml"), simulations=2, seed=1)
    assert simulated.summary.num_rows > 0


def test_worked_example_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    """The worked example's command, as written (its plot into a temporary folder): its
    first rows are the ones shown, and its plot is docs/supply-forecast.png byte for byte
    (the same seed, the same file)."""
    pytest.importorskip("numpy")
    pytest.importorskip("dask")
    pytest.importorskip("matplotlib")
    from regimens.cli import main

    command = _example("command", "supply-example").replace("\\\n", " ").split()
    assert command[:2] == ["regimens", "supply"]
    argv = command[1:]
    plot = argv.index("--plot") + 1
    assert argv[plot] == "docs/supply-forecast.png"
    argv[plot] = str(tmp_path / "supply-forecast.png")
    monkeypatch.chdir(ROOT)
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert err == ""
    shown = _example("shipments", "supply-example").splitlines()
    assert out.splitlines()[:len(shown)] == shown
    made = (tmp_path / "supply-forecast.png").read_bytes()
    assert made == (ROOT / "docs" / "supply-forecast.png").read_bytes(), (
        "docs/supply-forecast.png is not what the worked example's command draws: run it "
        "from the repository's root (docs/supply.md)")
