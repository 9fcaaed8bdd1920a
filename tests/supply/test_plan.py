"""The planning file: the issue's contract as written, the schema, and file:line errors."""

from __future__ import annotations

import json
import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from regimens import InvalidRegimenError
from regimens.supply import (
    Packaging,
    Plan,
    PlannedParticipant,
    PlanSite,
    load_plan,
    loads_plan,
    plan_schema,
)

CONTRACT = """\
plan: regimens-supply/1
participants:                      # a fixed list instead of simulated enrolment
  - {id: P-001, site: paris, arm: il2, start: 2027-01-04, weight: 70 kg, height: 175 cm}
"""


def test_the_issue_contract_reads_as_written() -> None:
    plan = loads_plan(CONTRACT, "plan.yaml")
    assert plan.participants == (PlannedParticipant(
        "P-001", "paris", "il2", date(2027, 1, 4), Decimal(70), Decimal(175)),)
    assert plan.period == "week"
    assert plan.statistics == ("p50", "p90", "p95")
    assert plan.overage == 0
    assert plan.service_level is None
    assert plan.site("paris") == PlanSite("paris")
    assert plan.packaging("il2") == Packaging("il2")


def test_every_key(tmp_path: Path) -> None:
    text = textwrap.dedent("""\
        plan: regimens-supply/1
        title: MIROCALS-like, 2 sites
        period: month
        statistics: [p50, p97.5]
        overage: 12.5%
        service_level: 95%
        sites:
          - {id: paris, tz: Europe/Paris, opens: 2027-01-04}
          - {id: lyon}
        participants:
          - {id: P-001, site: paris, arm: il2, start: 2027-01-04, weight: 154 lb,
             lengths: {run-in: 14 weeks}}
          - {id: P-002, site: lyon, arm: placebo, start: 2027-02-01, weight: 80 kg}
        drugs:
          il2: {vials: [1 MIU, 5 MIU], placebo_vials: 2, shelf_life: 104 weeks,
                do_not_dispense: 30 days, lead_time: 2 weeks, buffer: 4 weeks}
          riluzole: {kit: 28}
        """)
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    plan = load_plan(path)
    assert plan.title == "MIROCALS-like, 2 sites"
    assert plan.period == "month"
    assert plan.statistics == ("p50", "p97.5")
    assert plan.overage == Decimal("0.125")
    assert plan.service_level == Decimal("0.95")
    assert plan.sites == (PlanSite("paris", "Europe/Paris", date(2027, 1, 4)), PlanSite("lyon"))
    # 154 lb is 69.85322498 kg exactly (0.45359237 kg per lb).
    assert plan.participants[0].weight == Decimal("69.85322498")
    assert plan.participants[0].lengths == (("run-in", "14 weeks"),)
    il2 = plan.packaging("il2")
    assert [str(v) for v in il2.vials] == ["1 MIU", "5 MIU"]
    assert (il2.placebo_vials, il2.shelf_life, il2.do_not_dispense, il2.lead_time,
            il2.buffer) == (2, 728, 30, 14, 28)
    assert plan.packaging("riluzole").kit == 28
    assert plan.name == str(path)
    assert isinstance(plan, Plan)


HEAD = "plan: regimens-supply/1\n"
ONE = "participants:\n  - {id: P-1, site: paris, arm: il2, start: 2027-01-04}\n"

# (document, the whole message: FILE:LINE: field.path: what is wrong (got VALUE)).
BAD = [
    ("plan: regimens-supply/2\n" + ONE,
     "p.yaml:1: plan: must be one of: regimens-supply/1 (got 'regimens-supply/2')"),
    (HEAD, "p.yaml:1: (document): give participants (a fixed list) or sample_size, arms and "
     "sites (simulated enrolment)"),
    (HEAD + ONE + "sitse: []\n",
     "p.yaml:4: sitse: unknown field; did you mean 'sites'? (allowed here: plan, title, "
     "participants, arms, block, sample_size, screen_failure, dropout, progression, weight, "
     "height, female, body_sizes, lengths, sites, drugs, period, statistics, overage, "
     "service_level) (got 'sitse')"),
    (HEAD + "participants:\n  - {id: P-1, site: paris, arm: il2, start: 2027-02-30}\n",
     "p.yaml:3: participants[0].start: not a calendar date (YYYY-MM-DD) (got '2027-02-30')"),
    (HEAD + "participants:\n  - {id: P-1, site: paris, arm: il2, start: 4 Jan 2027}\n",
     "p.yaml:3: participants[0].start: a calendar date is written YYYY-MM-DD "
     "(got '4 Jan 2027')"),
    (HEAD + "participants:\n  - {id: P-1, site: paris, arm: il2, start: 2027-01-04,"
     " weight: 700 kg}\n",
     "p.yaml:3: participants[0].weight: 700 kg is not a plausible weight (allowed: 0.5 to "
     "400 kg); check the number and its unit (got '700 kg')"),
    (HEAD + "participants:\n  - {id: P-1, site: paris, arm: il2, start: 2027-01-04,"
     " weight: 70}\n",
     "p.yaml:3: participants[0].weight: a bare number is not a weight: give its unit, e.g. "
     "'70 kg' or '154 lb' (got 70)"),
    (HEAD + "participants:\n  - {id: P-1, site: paris, arm: il2, start: 2027-01-04,"
     " weight: 70 kg}\n  - {id: P-2, site: paris, arm: il2, start: 2027-01-04}\n",
     "p.yaml:4: participants[1]: missing weight: give it for every participant or for none "
     "(1 of 2 have one)"),
    (HEAD + "participants:\n  - {id: P-1, site: paris, arm: il2, start: 2027-01-04}\n"
     "  - {id: P-1, site: paris, arm: il2, start: 2027-01-04}\n",
     "p.yaml:4: participants[1].id: duplicate participant id (got 'P-1')"),
    (HEAD + ONE + "sites: [{id: lyon}]\n",
     "p.yaml:3: participants[0].site: no site has this id (sites: lyon) (got 'paris')"),
    (HEAD + ONE + "sites: [{id: paris, tz: Paris}]\n",
     "p.yaml:4: sites[0].tz: unknown time zone; give an IANA name such as Europe/Paris "
     "(got 'Paris')"),
    (HEAD + ONE + "overage: 10\n",
     "p.yaml:4: overage: a bare number is not a percentage: write it with %, e.g. '10%' "
     "(got 10)"),
    (HEAD + ONE + "service_level: 100%\n",
     "p.yaml:4: service_level: a service level is above 0% and below 100% (got '100%')"),
    # A negative percentage: its range, not "a percentage is written with %".
    (HEAD + ONE + "overage: -5%\n",
     "p.yaml:4: overage: an overage is from 0% to 1000% (it adds to what is shipped) "
     "(got '-5%')"),
    (HEAD + ONE + "service_level: -5%\n",
     "p.yaml:4: service_level: a service level is above 0% and below 100% (got '-5%')"),
    (HEAD + ONE + "overage: 0%\nservice_level: 95%\n", None),
    (HEAD + ONE + "statistics: [p50, p50]\n",
     "p.yaml:4: statistics[1]: this statistic is listed twice (got 'p50')"),
    (HEAD + ONE + "statistics: [median]\n",
     "p.yaml:4: statistics[0]: a statistic is pN, a quantile in percent from p0 to p100, "
     "e.g. p50 or p97.5 (got 'median')"),
    (HEAD + ONE + "drugs: {il2: {vials: [1 MIU, 1000000 IU]}}\n",
     "p.yaml:4: drugs.il2.vials[1]: a vial size is listed twice (got '1000000 IU')"),
    (HEAD + ONE + "drugs: {il2: {vials: [1 MIU, 5 mg]}}\n",
     "p.yaml:4: drugs.il2.vials[1]: vial sizes measure one dimension (got '5 mg')"),
    (HEAD + ONE + "drugs: {il2: {kit: 0}}\n",
     "p.yaml:4: drugs.il2.kit: must be at least 1 (got 0)"),
    (HEAD + ONE + "drugs: {il2: {lead_time: 2}}\n",
     "p.yaml:4: drugs.il2.lead_time: a bare number is not a length: give its unit, e.g. "
     "'30 days' or '2 weeks' (got 2)"),
    (HEAD + ONE + "drugs:\n  il2: {shelf_life: 4 weeks, lead_time: 2 weeks, "
     "buffer: 2 weeks}\n",
     "p.yaml:5: drugs.il2.shelf_life: stock would expire before it is used: the shelf life "
     "less do_not_dispense (28 days) must cover lead_time + buffer + one week (35 days) "
     "(got '4 weeks')"),
]


@pytest.mark.parametrize(("document", "message"), BAD)
def test_bad_plans_say_file_line_field_and_value(document: str, message: str | None) -> None:
    if message is None:  # the edge of a range is accepted
        loads_plan(document, "p.yaml")
        return
    with pytest.raises(InvalidRegimenError) as caught:
        loads_plan(document, "p.yaml")
    assert str(caught.value) == message


def test_every_problem_at_once() -> None:
    document = (HEAD + "participants:\n"
                "  - {id: P-1, site: paris, arm: il2, start: 2027-13-01, weight: 70 kg}\n"
                "  - {id: P-2, site: paris, arm: il2, start: 2027-01-04, weight: 0.1 kg}\n"
                "  - {id: P-3, site: paris, arm: il2, start: 2027-01-04, weight: 9 stone}\n")
    with pytest.raises(InvalidRegimenError) as caught:
        loads_plan(document, "p.yaml")
    assert [(p.line, p.path) for p in caught.value.problems] == [
        (3, "participants[0].start"), (4, "participants[1].weight"),
        (5, "participants[2].weight")]


ALL_AT_ONCE = [
    # A fixed list: structure (wieght, p101, ten, fortnight), values (a 30 February, an
    # unknown site, a shelf life too short, a service level of 120%) and the regimen's
    # (an unknown arm and drug, mass vials for a dose in MIU), in one report.
    (HEAD + """\
participants:
  - {id: P-001, site: paris, arm: active, start: 2027-02-30, weight: 70 kg}
  - {id: P-002, site: pariss, arm: il2, start: 2027-01-04, wieght: 70 kg}
sites: [{id: paris, opens: 2027-01-04}]
drugs:
  il3: {vials: [1 MIU]}
  il2: {vials: [1 mg], shelf_life: 4 weeks, do_not_dispense: 28 days, lead_time: 2 weeks,
        buffer: 4 weeks}
statistics: [p50, p101]
overage: ten
service_level: 120%
period: fortnight
""", [
        "p.yaml:3: participants[0].start: not a calendar date (YYYY-MM-DD) (got '2027-02-30')",
        "p.yaml:3: participants[0].arm: no arm has this id in 'mirocals' (arms: il2, placebo) "
        "(got 'active')",
        "p.yaml:4: participants[1].wieght: unknown field; did you mean 'weight'? (allowed "
        "here: id, site, arm, start, weight, height, bsa, lengths) (got 'wieght')",
        "p.yaml:4: participants[1].site: no site has this id (sites: paris) (got 'pariss')",
        "p.yaml:7: drugs.il3: no drug has this id in 'mirocals' (drugs: il2, riluzole) "
        "(got 'il3')",
        # 4 weeks less 28 days is 0 days; 2 + 4 weeks and one week are 49 days.
        "p.yaml:8: drugs.il2.shelf_life: stock would expire before it is used: the shelf "
        "life less do_not_dispense (0 days) must cover lead_time + buffer + one week (49 "
        "days) (got '4 weeks')",
        "p.yaml:8: drugs.il2.vials: vials of mass cannot hold the doses of 'il2' (MIU)",
        "p.yaml:10: statistics[1]: a statistic is pN, a quantile in percent from p0 to p100, "
        "e.g. p50 or p97.5 (got 'p101')",
        "p.yaml:11: overage: a percentage is written with %, e.g. '10%' (got 'ten')",
        "p.yaml:12: service_level: a service level is above 0% and below 100% (got '120%')",
        "p.yaml:13: period: must be one of: week, month (got 'fortnight')"]),
    # Simulated enrolment: an unknown arm, a site's rate and date, a proportion, a bare sd,
    # periods the regimen does not have or cannot vary, and a kit of 0.
    (HEAD + """\
arms: {il2: 1, active: 1}
sites:
  - {id: paris, opens: 2027-01-04, rate: 2/week, rate_sd: 0.5/week}
  - {id: lyon, opens: 2027-02-31, rate: 2/wk}
sample_size: 40
screen_failure: 120%
dropout: 0.5%/week
weight: {distribution: normal, mean: 75 kg, sd: 12}
lengths: {runin: uniform, treatment: uniform}
drugs:
  il2: {vials: [2 MIU], kit: 0}
""", [
        "p.yaml:2: arms.active: no arm has this id in 'mirocals' (arms: il2, placebo) "
        "(got 'active')",
        "p.yaml:5: sites[1].rate: a rate is written N/week, e.g. '1.5/week' (got '2/wk')",
        "p.yaml:5: sites[1].opens: not a calendar date (YYYY-MM-DD) (got '2027-02-31')",
        "p.yaml:7: screen_failure: a proportion is from 0% to below 100% (got '120%')",
        "p.yaml:9: weight.sd: a bare number is not a body size: give its unit, e.g. '75 kg' "
        "or '172 cm' (got 12)",
        "p.yaml:10: lengths.runin: no period has this id in 'mirocals' (periods: run-in, "
        "treatment) (got 'runin')",
        "p.yaml:10: lengths.treatment: the period 'treatment' has one length (78 weeks): "
        "nothing to choose (got 'treatment')",
        "p.yaml:12: drugs.il2.kit: must be at least 1 (got 0)"]),
    # Another format: nothing else is read as this one.
    ("plan: regimens-supply/2\nparticipants:\n  - {id: P-1, site: paris, arm: x, "
     "start: 2027-13-01}\n",
     ["p.yaml:1: plan: must be one of: regimens-supply/1 (got 'regimens-supply/2')"]),
]


@pytest.mark.parametrize(("document", "expected"), ALL_AT_ONCE)
def test_every_problem_of_the_file_at_once_with_its_regimen(document: str,
                                                            expected: list[str]) -> None:
    """With its regimen, every problem of the plan comes in one report, in the order of
    the file; alone, the same less those with the regimen."""
    import regimens

    with pytest.raises(InvalidRegimenError) as caught:
        loads_plan(document, "p.yaml", regimen=regimens.load("mirocals"))
    assert [str(p) for p in caught.value.problems] == expected
    against = {"unknown-arm", "unknown-drug", "unknown-period", "period-not-variable",
               "dose-not-in-vials"}
    own = [str(p) for p in caught.value.problems if p.code not in against]
    assert len(own) < len(expected) or len(expected) == 1
    with pytest.raises(InvalidRegimenError) as caught:
        loads_plan(document, "p.yaml")
    assert [str(p) for p in caught.value.problems] == own


def test_empty_directory_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(InvalidRegimenError, match="the file is empty; a plan starts with "
                       "'plan: regimens-supply/1'"):
        loads_plan("  \n", "p.yaml")
    with pytest.raises(InvalidRegimenError, match="is a directory, not a plan file"):
        load_plan(tmp_path)
    with pytest.raises(InvalidRegimenError, match="cannot read the file"):
        load_plan(tmp_path / "none.yaml")


def test_json_reads_as_yaml() -> None:
    document = json.dumps({"plan": "regimens-supply/1", "participants": [
        {"id": "P-1", "site": "paris", "arm": "il2", "start": "2027-01-04"}]})
    assert loads_plan(document).participants[0].start == date(2027, 1, 4)


def test_schema_accepts_the_valid_plans_and_refuses_structure() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from ruamel.yaml import YAML

    schema = plan_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    yaml = YAML(typ="safe", pure=True)
    contract = json.loads(json.dumps(yaml.load(CONTRACT), default=str))
    assert not list(validator.iter_errors(contract))
    for document, _message in BAD[:3]:
        value = json.loads(json.dumps(yaml.load(document), default=str))
        assert list(validator.iter_errors(value)), document
