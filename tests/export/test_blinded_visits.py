"""A visit in a blinded period is for every arm that goes through it (issue 10, blinding).

A visit only one arm has would appear in that arm's calendar alone and reveal the arm:
refused when the file is loaded (a visit anchored to the blinded period), or when the
participant is expanded (a visit on a Study Day that falls in the blinded period).
"""

from __future__ import annotations

import pytest

import regimens

HEAD = """\
format: regimens/1
id: blinded-visits
title: Blinded visits
drugs: {sd: {name: aldesleukin, route: subcutaneous}}
arms: {active: {label: Active}, placebo: {label: Placebo}, open: {label: Open, periods: [ole]}}
periods:
  - id: treatment
    length: 4 weeks
    blinded: true
    courses:
      - {drug: sd, arms: [active], dose: 1 MIU, days: 1-5}
      - {drug: sd, arms: [placebo], placebo: true, days: 1-5}
  - id: ole
    length: 4 weeks
    courses:
      - {drug: sd, dose: 1 MIU, days: 1-5}
"""

REASON = ("a visit in a blinded period is for every arm that goes through the period, so "
          "that no participant's calendar reveals the arm; remove 'arms' or list every such "
          "arm")


def test_a_visit_anchored_to_the_blinded_period_for_one_arm_is_refused_on_load() -> None:
    text = HEAD + "visits:\n  - {id: pk, period: treatment, day: 3, arms: [active]}\n"
    with pytest.raises(regimens.InvalidRegimenError) as caught:
        regimens.loads(text, "v.yaml")
    (problem,) = caught.value.problems
    assert problem.code == "blinded-visit-arms"
    assert problem.line == 18  # the visit's line
    assert problem.message == REASON + " (not for: placebo)"


def test_a_study_day_visit_in_the_blinded_period_for_one_arm_is_refused_on_expand() -> None:
    text = HEAD + "visits:\n  - {id: pk, day: 8, arms: [placebo]}\n"
    regimen = regimens.loads(text, "v.yaml")  # where Day 8 falls depends on the arm's path
    for arm in ("active", "placebo"):
        with pytest.raises(regimens.InvalidRegimenError) as caught:
            regimen.expand(arm, "2027-01-04")
        (problem,) = caught.value.problems
        assert problem.code == "blinded-visit-arms"
        assert problem.path == "visits[0].arms"
        assert problem.message == (REASON + " (not for: active; its Day 8 falls in "
                                   "period 'treatment')")


@pytest.mark.parametrize("visit", [
    "{id: pk, period: treatment, day: 3}",                            # every arm
    "{id: pk, period: treatment, day: 3, arms: [active, placebo]}",   # every arm through it
    "{id: ole-1, period: ole, day: 1, arms: [open]}",                 # an open period
    "{id: pk, day: 8, arms: [open]}",                                 # Day 8 of ole: open
])
def test_visits_every_blinded_arm_shares_are_accepted(visit: str) -> None:
    regimen = regimens.loads(HEAD + f"visits:\n  - {visit}\n", "v.yaml")
    for arm in ("active", "placebo", "open"):
        regimen.expand(arm, "2027-01-04")
