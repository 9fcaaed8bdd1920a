"""Without the supply extra, `regimens supply` says which extra to install in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from regimens.cli import main
from regimens.supply import MissingExtra


def test_a_missing_extra_is_one_line_and_exit_status_2(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("plan: regimens-supply/1\nparticipants:\n  - {id: P-001, site: paris, arm: il2,"
                    " start: 2027-01-04, weight: 70 kg, height: 175 cm}\n", encoding="utf-8")

    def missing(*args: object, **kwargs: object) -> object:
        raise MissingExtra("regimens.supply needs NumPy: install the extra with pip install "
                           "'regimens[supply]'")

    monkeypatch.setattr("regimens.supply.simulate", missing)
    assert main(["supply", "mirocals", str(plan)]) == 2
    err = capsys.readouterr().err
    assert err == ("regimens: regimens.supply needs NumPy: install the extra with pip install "
                   "'regimens[supply]'\n")
