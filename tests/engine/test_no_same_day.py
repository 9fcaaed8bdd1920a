"""The same-day exclusion ``no_same_day``: "no edaravone on Treg infusion days"."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

import regimens
from support import HEAD, problems

HEAD_EDARAVONE = HEAD.replace(
    "  treg: {name: Treg cells, route: intravenous}\n",
    "  treg: {name: Treg cells, route: intravenous}\n"
    "  eda: {name: edaravone, route: as prescribed}\n")

TREG = ("periods:\n  - id: t\n    length: 8 weeks\n    courses:\n"
        "      - {drug: treg, dose: 1e6 cells/kg, every: 4 weeks, no_same_day: [eda]}\n")


def _schedule(body: str) -> regimens.Schedule:
    regimen = regimens.loads(HEAD_EDARAVONE + body, "r.yaml")
    return regimen.expand("a", "2027-01-04", regimens.Participant(weight="70 kg"))


def test_every_output_carries_the_instruction() -> None:
    s = _schedule(TREG)
    assert [(a.study_day.value, a.avoid) for a in s.administrations] == [
        (1, ("edaravone",)), (29, ("edaravone",))]
    data = json.loads(s.to_json())
    assert data["administrations"][0]["avoid_same_day"] == ["edaravone"]
    assert s.to_csv().splitlines()[1].endswith(",edaravone")
    table = s.to_table()
    assert "Not the same day" in table
    ics = s.to_ics(stamp=datetime(2027, 1, 1, tzinfo=UTC), blinded=True).decode()
    unfolded = ics.replace("\r\n ", "")
    assert "Do not take edaravone on this day." in unfolded


def test_a_scheduled_dose_on_an_excluded_day_is_refused() -> None:
    body = TREG + "      - {drug: eda, dose: 60 mg, daily: true, for: 2 weeks}\n"
    with pytest.raises(regimens.InvalidRegimenError) as caught:
        _schedule(body)
    assert [str(p) for p in caught.value.problems] == [
        "r.yaml:16: periods[0].courses[0]: edaravone is scheduled on Study Day 1, a Treg cells "
        "day, which excludes it (no_same_day); give its course 'not_on: [treg]'"]


def test_not_on_resolves_the_clash() -> None:
    body = TREG + "      - {drug: eda, dose: 60 mg, daily: true, for: 2 weeks, not_on: [treg]}\n"
    s = _schedule(body)
    eda = [a.study_day.value for a in s.administrations if a.drug == "eda"]
    assert eda == list(range(2, 15))


def test_blinded_courses_of_one_drug_share_the_instruction() -> None:
    body = ("periods:\n  - id: t\n    length: 8 weeks\n    blinded: true\n    courses:\n"
            "      - {drug: treg, arms: [a], dose: 1e6 cells/kg, every: 4 weeks, "
            "no_same_day: [eda]}\n"
            "      - {drug: treg, arms: [b], placebo: true, every: 4 weeks}\n")
    assert problems(body, head=HEAD_EDARAVONE) == [
        "r.yaml:17: periods[0].courses[0].no_same_day: in a blinded period every course of a "
        "drug has the same no_same_day list, so that every arm's calendar reads the same"]


def test_unknown_or_own_drug_is_refused() -> None:
    body = ("periods:\n  - id: t\n    length: 8 weeks\n    courses:\n"
            "      - {drug: treg, dose: 1e6 cells/kg, every: 4 weeks, no_same_day: [treg]}\n")
    assert problems(body, head=HEAD_EDARAVONE) == [
        "r.yaml:16: periods[0].courses[0].no_same_day[0]: must name another drug of this "
        "regimen (got 'treg')"]


def test_round_trip_keeps_it() -> None:
    regimen = regimens.loads(HEAD_EDARAVONE + TREG, "r.yaml")
    assert regimens.loads(regimens.dumps(regimen)) == regimen
    assert regimen.periods[0].courses[0].no_same_day == ("eda",)


def test_exclusions_do_not_chain() -> None:
    body = ("periods:\n  - id: t\n    length: 1 week\n    courses:\n"
            "      - {drug: treg, dose: 1e6 cells/kg, daily: true, not_on: [il2]}\n"
            "      - {drug: il2, dose: 1 MIU, daily: true, not_on: [treg]}\n")
    assert problems(body, head=HEAD_EDARAVONE) == [
        "r.yaml:16: periods[0].courses[0].not_on: 'il2' has courses with not_on of their own; "
        "exclusions do not chain: give one of the two drugs not_on"]
