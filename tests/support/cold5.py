"""The regimen of cold try 5's reproducers (cp.yaml), which more than one test file replays
records over: carboplatin AUC 5 on day 1 (levels -1: AUC 4, -2: AUC 3) and weekly
paclitaxel 80 mg/m2 on days 1, 8, 15 (levels -1: 70 mg/m2, -2: 60 mg/m2) of four 21-day
cycles, re_escalate true, redose at a 10% weight change; arm cp."""

from __future__ import annotations

#: cp.yaml as the cold try wrote it.
CP = """\
format: regimens/1
id: cp-weekly
title: Carboplatin AUC 5 day 1 + weekly paclitaxel 80 mg/m2, every 21 days
on_delay: shift
max_delay: 14 days
re_escalate: true
redose: {weight_change: 10%}
drugs:
  carbo: {name: carboplatin, route: intravenous, clinic: true, levels: {-1: AUC 4, -2: AUC 3}}
  pac: {name: paclitaxel, route: intravenous, clinic: true, levels: {-1: 70 mg/m2, -2: 60 mg/m2}}
arms:
  cp: {label: carboplatin + weekly paclitaxel}
periods:
  - id: treatment
    length: 12 weeks
    courses:
      - {id: carbo, drug: carbo, dose: AUC 5, cycle: 21 days, cycles: 4, days: [1]}
      - {id: pac, drug: pac, dose: 80 mg/m2, cycle: 21 days, cycles: 4, days: [1, 8, 15]}
"""
