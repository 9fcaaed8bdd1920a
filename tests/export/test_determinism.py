"""Byte-identical JSON, CSV and iCalendar output under different TZ, locale and hash seed.

The command runs in subprocesses whose environments differ in everything regimens must
never read: the system time zone (including zones at UTC+14 and UTC-11, where an all-day
date would shift if a clock or local zone were consulted), the locale (decimal commas,
other month names, a Latin-1 terminal) and PYTHONHASHSEED (set and dict order).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support import ENVIRONMENTS

REGIMEN = """\
format: regimens/1
id: determinism
title: Déterminisme, 1 million units and 375 mg per m²
registry: NCT00000000
day_one: treatment
drugs:
  il2: {name: aldesleukin, route: SC}
  rtx: {name: rituximab, route: IV}
  pred: {name: prednisone, route: oral}
arms:
  active: {label: Active}
  placebo: {label: Placebo}
periods:
  - {id: screening, length: 2 weeks}
  - id: treatment
    length: 6 weeks
    blinded: true
    courses:
      - {drug: il2, arms: [active], dose: 1.5 MIU, cycle: 3 weeks, days: 1-5, times: ["02:30"]}
      - {drug: il2, arms: [placebo], placebo: true, cycle: 3 weeks, days: 1-5, times: ["02:30"]}
      - {drug: rtx, dose: 375 mg/m2, round: 10 mg, max: 700 mg, weekdays: [mon]}
      - drug: pred
        steps:
          - {dose: 1 mg/kg, days: 1-3, max: 60 mg}
          - {dose: 0.5 mg/kg, days: 4-6}
visits:
  - {id: baseline, day: 1}
  - {id: w4, week: 4, window: 3 days}
  - {id: eot, period: treatment, at: end}
"""
SCRIPT = """\
import sys
from regimens.cli import main
base = ["expand", "r.yaml", "--arm", "active", "--start", "2027-03-24", "--weight", "154 lb",
        "--height", "69 in", "--tz", "Europe/Paris", "--participant", "P-001"]
for fmt in ("json", "csv", "ics"):
    extra = ["--stamp", "2027-01-01T00:00:00Z", "--unblinded"] if fmt == "ics" else []
    assert main([*base, "--format", fmt, "-o", "out." + fmt, *extra]) == 0
"""


def test_outputs_are_byte_identical_across_environments(tmp_path: Path) -> None:
    outputs = []
    for index, env in enumerate(ENVIRONMENTS):
        work = tmp_path / str(index)
        work.mkdir()
        (work / "r.yaml").write_text(REGIMEN, encoding="utf-8")
        # timeout= only guards against a hang; it is not a timing assertion.
        result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=work, env=env,
                                capture_output=True, timeout=120, check=False)
        assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
        outputs.append({fmt: (work / f"out.{fmt}").read_bytes() for fmt in ("json", "csv", "ics")})
    for fmt in ("json", "csv", "ics"):
        assert len({o[fmt] for o in outputs}) == 1, fmt
    first = outputs[0]
    assert b"1.5 million units" in first["json"]
    assert b"DTSTART;TZID=Europe/Paris:20270328T033000" in first["ics"]
    assert b"DTSTART;TZID=Europe/Paris:20270414T023000" in first["ics"]
