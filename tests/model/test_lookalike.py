"""Ids that differ only by look-alike characters are named, never taken in place of the id."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import regimens
from regimens.cli import main
from regimens.model import lookalike

IDS = ["placebo", "il2", "run-in", "riluzole", "w12"]


@pytest.mark.parametrize(
    ("given_id", "meant"),
    [
        ("PLACEBO", "placebo"),  # letter case
        ("Placebo", "placebo"),
        ("plac\u0435bo", "placebo"),  # Cyrillic е
        ("\u0440lacebo", "placebo"),  # Cyrillic р
        ("pl\u03b1cebo", "placebo"),  # Greek alpha
        ("\uff50\uff4c\uff41\uff43\uff45\uff42\uff4f", "placebo"),  # full-width
        ("place\u200bbo", "placebo"),  # a zero-width space inside
        (" placebo ", "placebo"),  # spaces around
        ("IL2", "il2"),
        ("iI2", "il2"),  # capital I for l
        ("run\u2013in", "run-in"),  # en dash
        ("run\u2212in", "run-in"),  # minus sign
        ("run_in", "run-in"),
        ("riluzoIe", "riluzole"),  # capital I for l
        ("wl2", "w12"),  # l for 1
        ("il2", None),  # the id itself is no look-alike
        ("il3", None),
        ("plazebo", None),  # a misspelling is not a look-alike
        ("", None),
    ],
)
def test_lookalike(given_id: str, meant: str | None) -> None:
    assert lookalike(given_id, IDS) == meant


@given(st.sampled_from(IDS), st.data())
def test_a_changed_letter_case_finds_the_id(ident: str, data: st.DataObject) -> None:
    letters = [i for i, c in enumerate(ident) if c.isalpha()]
    i = data.draw(st.sampled_from(letters))
    variant = ident[:i] + ident[i].upper() + ident[i + 1:]
    assert lookalike(variant, IDS) == ident


def test_the_schedule_is_never_made_for_a_lookalike() -> None:
    regimen = regimens.load("mirocals")
    with pytest.raises(regimens.ExpandOptionError) as caught:
        regimen.expand("PLACEBO", "2027-01-04")
    assert str(caught.value) == (
        "arm: no such arm in 'mirocals'; did you mean 'placebo'? the given id differs only by "
        "look-alike characters: ids are lower-case; arms: il2, placebo (got 'PLACEBO')")


@pytest.mark.parametrize(
    ("drug", "line"),
    [
        ("IL2", "regimens: --drug: no drug has this id (did you mean 'il2'? the given id differs "
         "only by look-alike characters: ids are lower-case; drugs: il2, riluzole) (got 'IL2')"),
        ("\u0456l2", "regimens: --drug: no drug has this id (did you mean 'il2'? the given id "
         "differs only by look-alike characters: '\u0456' is U+0456 CYRILLIC SMALL LETTER "
         "BYELORUSSIAN-UKRAINIAN I; drugs: il2, riluzole) (got '\u0456l2')"),
        ("aspirin", "regimens: --drug: no drug has this id (drugs: il2, riluzole) "
         "(got 'aspirin')"),
    ],
)
def test_cli_drug(drug: str, line: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["expand", "mirocals", "--arm", "il2", "--start", "2027-01-04",
                 "--drug", drug])
    assert (code, capsys.readouterr().err.splitlines()) == (2, [line])
