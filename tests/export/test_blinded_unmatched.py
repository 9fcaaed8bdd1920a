"""A blinded period whose arms are not given each drug alike (a drug on some arms with no
placebo standing for it on the others, a course of a drug on one arm with no course of
the same days on the others, other times of day) has no blinded output: every blinded
output (expand in every blinded format, publish, a blinded supply forecast) refuses it on
every arm alike (``blinded-unmatched``), naming the period and the drug and pointing to
``--unblinded``; a matched design (placebo on the same days, doses of the arms' own) is
not refused, and its blinded outputs are the same bytes on every arm.

Table-driven over the shapes; each expectation worked out by hand from the regimen: its
lines, its arms and their courses.
"""

from __future__ import annotations

import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import regimens
from regimens import InvalidRegimenError
from regimens.cli import main

# Lines 13 and 14: il2 to arm a, its matching placebo to arm p (replaced by some shapes);
# line 15 on: the shape's courses. Arms a and p, and b for the shapes that name it.
REGIMEN = """\
format: regimens/1
id: shaped
title: Blinded, shapes of matching
drugs:
  il2: {name: aldesleukin, route: subcutaneous}
  dex: {name: dexamethasone, route: oral}
arms: ARMS
periods:
  - id: treatment
    length: 4 weeks
    blinded: true
    courses:
      - {drug: il2, arms: [a], dose: 2 MIU, days: 1-5}
      - {drug: il2, arms: [P], placebo: true, days: 1-5}
"""

TWO = "{a: {label: active}, p: {label: placebo}}"
THREE = "{a: {label: low}, b: {label: high}, p: {label: placebo}}"

WHY = (": a blinded output would show these administrations on some arms and not on others, "
       "and so tell the arms apart; ")
UNBLIND = "or make the output unblinded (--unblinded, blinded=False) for unblinded staff"
FORECAST = (": a blinded forecast would count these administrations for some arms' "
            "participants and not for others', and so tell a site's arms apart; ")
UNBLIND_FORECAST = ("or forecast unblinded (--unblinded, unblinded=True) for the unblinded "
                    "supply team")

# shape: (arms, the placebo course's arms (line 14), the lines after it, the refusal's
# place and reason (None: not refused), and what it tells to do).
SHAPES: dict[str, tuple[str, str, str, tuple[str, str, str] | None]] = {
    # The reproducer of the review: dexamethasone on day 1 of arm a only.
    "a drug on one arm only": (
        TWO, "p", "      - {drug: dex, arms: [a], dose: 4 mg, days: [1]}\n",
        ("r.yaml:15: periods[0].courses[2]",
         "in the blinded period 'treatment', 'dex' is given to arm a only: arm p has no "
         "course of it there and no placebo standing for it",
         "give arm p a matching placebo course of 'dex' (placebo: true, the same days and "
         "times), ")),
    "a drug on two arms of three": (
        THREE, "b, p", "      - {drug: dex, arms: [a, b], dose: 4 mg, days: [1]}\n",
        ("r.yaml:15: periods[0].courses[2]",
         "in the blinded period 'treatment', 'dex' is given to arms a, b only: arm p has no "
         "course of it there and no placebo standing for it",
         "give arm p a matching placebo course of 'dex' (placebo: true, the same days and "
         "times), ")),
    # il2 on days 1-5 on both arms, and day 15 too on arm a: 6 administrations against 5.
    "a course on one arm only of a drug both arms have": (
        TWO, "p", "      - {drug: il2, arms: [a], dose: 2 MIU, days: [15]}\n",
        ("r.yaml:13: periods[0].courses[0]",
         "in the blinded period 'treatment', 'il2' is given to the arms on days or at "
         "times that differ (arms given it alike: a; p)",
         "match the placebo courses to the active ones (the same days and times), ")),
    # The placebo on days 1-4 only: one administration fewer on arm p.
    "a placebo a day short": (
        TWO, "p", "",
        ("r.yaml:13: periods[0].courses[0]",
         "in the blinded period 'treatment', 'il2' is given to the arms on days or at "
         "times that differ (arms given it alike: a; p)",
         "match the placebo courses to the active ones (the same days and times), ")),
    # Two arms alike (a and b, il2 at 2 MIU on days 1-5), the placebo arm on days 1-4.
    "three arms, the placebo's days of its own": (
        THREE, "p", "      - {drug: il2, arms: [b], dose: 1 MIU, days: 1-5}\n",
        ("r.yaml:13: periods[0].courses[0]",
         "in the blinded period 'treatment', 'il2' is given to the arms on days or at "
         "times that differ (arms given it alike: a, b; p)",
         "match the placebo courses to the active ones (the same days and times), ")),
    "other times of day": (
        TWO, "p", "",
        ("r.yaml:13: periods[0].courses[0]",
         "in the blinded period 'treatment', 'il2' is given to the arms on days or at "
         "times that differ (arms given it alike: a; p)",
         "match the placebo courses to the active ones (the same days and times), ")),
    # Matched: not refused, and the same bytes on every arm.
    "matched by placebo": (
        TWO, "p", "      - {drug: dex, arms: [a], dose: 4 mg, days: [1]}\n"
                  "      - {drug: dex, arms: [p], placebo: true, days: [1]}\n", None),
    "a second course on both arms": (
        TWO, "p", "      - {drug: il2, arms: [a], dose: 2 MIU, days: [15]}\n"
                  "      - {drug: il2, arms: [p], placebo: true, days: [15]}\n", None),
    "an open drug on every arm": (
        TWO, "p", "      - {drug: dex, dose: 4 mg, days: [1]}\n", None),
    # Every 7 days (days 1, 8, 15, 22) against the same days written out. (Cycles against a
    # list of the same days are refused when the regimen is read, blinded-cycles-differ:
    # tests/format/test_blinded_placing.py.)
    "every 7 days against a list of days": (
        TWO, "p", "", None),
    # Dose-ranging arms with no placebo: blinding hides the dose (docs/ics.md); a blinded
    # supply forecast refuses it by the rule it has (blinded-doses-differ).
    "dose-ranging": (THREE, "b, p", "", None),
}

# The shapes whose first two courses are not those of REGIMEN (lines 13 and 14).
REPLACED = {
    "a placebo a day short": ("      - {drug: il2, arms: [a], dose: 2 MIU, days: 1-5}\n"
                              "      - {drug: il2, arms: [p], placebo: true, days: 1-4}\n"),
    "three arms, the placebo's days of its own": (
        "      - {drug: il2, arms: [a], dose: 2 MIU, days: 1-5}\n"
        "      - {drug: il2, arms: [p], placebo: true, days: 1-4}\n"),
    "other times of day": (
        "      - {drug: il2, arms: [a], dose: 2 MIU, days: 1-5, times: ['08:00']}\n"
        "      - {drug: il2, arms: [p], placebo: true, days: 1-5, times: ['20:00']}\n"),
    "every 7 days against a list of days": (
        "      - {drug: il2, arms: [a], dose: 2 MIU, every: 7 days}\n"
        "      - {drug: il2, arms: [p], placebo: true, days: [1, 8, 15, 22]}\n"),
    "dose-ranging": ("      - {drug: il2, arms: [a], dose: 1 MIU, days: 1-5}\n"
                     "      - {drug: il2, arms: [b, p], dose: 2 MIU, days: 1-5}\n"),
}


def _text(shape: str) -> str:
    arms, placebo_arms, extra, _ = SHAPES[shape]
    text = REGIMEN.replace("ARMS", arms).replace("arms: [P]", f"arms: [{placebo_arms}]")
    if shape in REPLACED:
        head, _, _ = text.partition("      - {drug: il2, arms: [a]")
        text = head + REPLACED[shape]
    return text + extra


def _arms(shape: str) -> list[str]:
    return ["a", "b", "p"] if SHAPES[shape][0] == THREE else ["a", "p"]


def _refusal(shape: str, forecast: bool = False) -> str:
    refused = SHAPES[shape][3]
    assert refused is not None
    where, what, fix = refused
    return (f"{where}: {what}{FORECAST if forecast else WHY}{fix}"
            f"{UNBLIND_FORECAST if forecast else UNBLIND}")


FORMATS = ["ics", "calendar", "html", "diary", "pdf", "diary-pdf"]


def _expand(tmp_path: Path, capsys: Any, arm: str, fmt: str, *blinding: str
            ) -> tuple[int, bytes | None, str, str]:
    out = tmp_path / f"{arm}.{fmt}"
    out.unlink(missing_ok=True)
    code = main(["expand", "r.yaml", "--arm", arm, "--start", "2027-01-04",
                 "--tz", "Europe/Paris", "--participant", "P-1", "--format", fmt,
                 "-o", str(out), *blinding,
                 *(["--stamp", "2027-01-01T00:00:00Z"] if fmt in ("ics", "pdf", "diary-pdf")
                   else [])])
    captured = capsys.readouterr()
    return code, out.read_bytes() if out.exists() else None, captured.out, captured.err


@pytest.mark.parametrize("blinding", [(), ("--blinded",)], ids=["default", "--blinded"])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_blinded_format_is_alike_on_every_arm_or_refused_on_every_arm(
        tmp_path: Path, capsys: Any, monkeypatch: Any, shape: str, fmt: str,
        blinding: tuple[str, ...]) -> None:
    if fmt.endswith("pdf"):
        pytest.importorskip("fpdf")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.yaml").write_text(_text(shape), encoding="utf-8")
    got = {arm: _expand(tmp_path, capsys, arm, fmt, *blinding) for arm in _arms(shape)}
    first = got["a"]
    for arm, result in got.items():
        assert result == first, arm
    if SHAPES[shape][3] is None:
        assert first[0] == 0
        assert first[1]
    else:
        # Nothing written, nothing on standard output, the one refusal on standard error.
        assert first == (2, None, "", _refusal(shape) + "\n")
        # Unblinded staff get every arm's own output.
        for arm in _arms(shape):
            assert _expand(tmp_path, capsys, arm, fmt, "--unblinded")[0] == 0


@pytest.mark.parametrize("shape", [s for s in SHAPES if SHAPES[s][3] is not None])
def test_every_blinded_output_of_the_api_refuses_it(shape: str) -> None:
    regimen = regimens.loads(_text(shape), "r.yaml")
    for arm in _arms(shape):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            schedule = regimen.expand(arm, "2027-01-04", tz="Europe/Paris")
        stamp = datetime(2027, 1, 1, tzinfo=UTC)
        for blinded in (None, True):
            outputs: list[tuple[Any, dict[str, Any]]] = [
                (schedule.to_ics, {"stamp": stamp}), (schedule.to_calendar, {}),
                (schedule.to_html, {}), (schedule.to_diary, {}),
                (regimens.publish, {"schedule": schedule, "url": "http://localhost:9/cal/",
                                    "stamp": stamp})]
            for output, options in outputs:
                with pytest.raises(InvalidRegimenError) as caught:
                    output(blinded=blinded, **options)
                assert [p.code for p in caught.value.problems] == ["blinded-unmatched"]
                assert str(caught.value) == _refusal(shape)
        # Unblinded, and the staff formats: every arm's own schedule.
        assert schedule.to_ics(stamp=stamp, blinded=False)
        assert schedule.to_calendar(blinded=False)
        assert schedule.to_table()
        assert schedule.to_json()
        assert schedule.to_csv()


def test_an_open_period_told_apart_is_refused_with_blinded_only(
        tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    """--blinded blinds every period: an open one whose arms differ is refused then (by
    the same rule, 'in the period'), and by default shown as it is."""
    text = _text("a drug on one arm only").replace("    blinded: true\n", "")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
    for arm in ("a", "p"):
        assert _expand(tmp_path, capsys, arm, "ics")[0] == 0
        assert _expand(tmp_path, capsys, arm, "ics", "--blinded") == (
            2, None, "", _refusal("a drug on one arm only").replace(
                "in the blinded period", "in the period").replace(
                "r.yaml:15:", "r.yaml:14:") + "\n")  # one line fewer: no 'blinded: true'


# The supply forecast ------------------------------------------------------------------------

PLAN = """\
plan: regimens-supply/1
participants:
  - {id: P-001, site: paris, arm: ARM, start: 2027-01-04}
"""


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_blinded_forecast_is_alike_on_every_arm_or_refused_on_every_arm(
        tmp_path: Path, capsys: Any, monkeypatch: Any, shape: str) -> None:
    pytest.importorskip("numpy")
    pytest.importorskip("pyarrow")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.yaml").write_text(_text(shape), encoding="utf-8")
    got = {}
    for arm in _arms(shape):
        (tmp_path / "plan.yaml").write_text(PLAN.replace("ARM", arm), encoding="utf-8")
        code = main(["supply", "r.yaml", "plan.yaml", "--simulations", "2"])
        captured = capsys.readouterr()
        got[arm] = (code, captured.out, captured.err)
    if shape == "dose-ranging":
        # The rule a forecast had already: one refusal, the same on every arm.
        assert {g[0] for g in got.values()} == {2}
        assert all("by courses of their own that differ (dose-ranging)" in g[2]
                   for g in got.values())
    for arm, result in got.items():
        assert result == got["a"], arm
    if shape == "dose-ranging":
        return
    if SHAPES[shape][3] is None:
        assert got["a"][0] == 0
    else:
        assert got["a"] == (2, "", _refusal(shape, forecast=True) + "\n")
        # Unblinded, for the supply team: every arm's own forecast.
        for arm in _arms(shape):
            (tmp_path / "plan.yaml").write_text(PLAN.replace("ARM", arm), encoding="utf-8")
            assert main(["supply", "r.yaml", "plan.yaml", "--simulations", "2",
                         "--unblinded"]) == 0
            capsys.readouterr()


def test_every_catalogue_arm_is_not_refused_blinded() -> None:
    """No catalogue protocol is refused: their blinded periods are matched."""
    stamp = datetime(2027, 1, 1, tzinfo=UTC)
    for name in regimens.catalog_ids():
        regimen = regimens.load(name)
        for arm in regimen.arms:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                schedule = regimen.expand(arm.id, "2027-01-04",
                                          regimens.Participant(weight="70 kg", height="170 cm"))
            for blinded in (None, True):
                schedule.to_ics(stamp=stamp, blinded=blinded)
                schedule.to_calendar(blinded=blinded)


@pytest.mark.parametrize("shape", list(SHAPES))
def test_check_warns_of_it_naming_period_drug_and_arms(
        tmp_path: Path, capsys: Any, monkeypatch: Any, shape: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.yaml").write_text(_text(shape), encoding="utf-8")
    code = main(["check", "r.yaml"])
    err = capsys.readouterr().err
    assert code == 0
    said = [line for line in err.splitlines() if "blinded-unmatched" in line]
    if SHAPES[shape][3] is None:
        assert said == []
    else:
        assert said == [f"regimens: warning: {_refusal(shape)} (blinded-unmatched: every "
                        "blinded output refuses it)"]
