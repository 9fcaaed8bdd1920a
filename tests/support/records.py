"""Shared pieces of the record tests (tests/record/): the record header and the regimen
documents more than one test file replays records over, written once so the files and the
line numbers pinned in their messages stay the same everywhere."""

from __future__ import annotations

import regimens
from regimens import read_record

#: The columns of a CSV record, with its newline: the header most record tests start from.
RECORD_HEADER = "date,event,drug,cycle,day,amount,level,reason\n"

# The arm and the course of the doxdoc regimens below: doxorubicin 60 mg/m2 on day 1 of
# six 21-day cycles in an 18-week period; arm x.
_DOX_SIX = """\
arms:
  x: {label: X}
periods:
  - id: treatment
    length: 18 weeks
    courses:
      - {drug: dox, dose: 60 mg/m2, cycle: 21 days, cycles: 6, days: [1]}
"""

#: The regimen of the sample record at the top of docs/record.md (P-017): doxorubicin
#: 60 mg/m2 on day 1 of six 21-day cycles, levels -1 (80%) and -2 (60%), max_delay 14 days,
#: max_cumulative 450 mg/m2; arm x.
DOXDOC = """\
format: regimens/1
id: doxdoc
title: Dox doc example
max_delay: 14 days
drugs:
  dox: {name: doxorubicin, route: intravenous, max_cumulative: 450 mg/m2,
        levels: {-1: 80%, -2: 60%}}
""" + _DOX_SIX

#: Bleomycin 30 USP units every week for 14 weeks under a flat max_cumulative of 400 USP
#: units (the 14th dose would bring the total to 420); arm x.
BLEO = """\
format: regimens/1
id: bleo
title: Bleomycin
drugs:
  bleo: {name: bleomycin, route: intravenous, max_cumulative: 400 USP units}
arms:
  x: {label: X}
periods:
  - id: t
    length: 14 weeks
    courses:
      - {drug: bleo, dose: 30 USP units, every: 1 week}
"""


#: The same doxorubicin course with none of max_delay, max_cumulative or levels.
DOXDOC_PLAIN = """\
format: regimens/1
id: doxdoc
title: Dox doc example
drugs:
  dox: {name: doxorubicin, route: intravenous}
""" + _DOX_SIX

_AC = """\
format: regimens/1
id: ac
title: AC
drugs:
  dox: {name: doxorubicin, route: intravenous, levels: {-1: 48 mg/m2, -2: 36 mg/m2}LIMIT}
arms:
  x: {label: X}
periods:
  - id: t
    length: 18 weeks
    courses:
      - {drug: dox, dose: 60 mg/m2, cycle: 21 days, cycles: 6, days: [1]POLICY}
"""


def ac_text(limit: str = "", policy: str = "") -> str:
    """Doxorubicin 60 mg/m2 on day 1 of six 21-day cycles with levels -1 (48 mg/m2) and -2
    (36 mg/m2); arm x. ``limit`` is added inside the drug's mapping (e.g.
    ``", max_cumulative: 300 mg/m2"``), ``policy`` inside the course's (e.g.
    ``", on_delay: keep"``); with neither, the plain document."""
    return _AC.replace("LIMIT", limit).replace("POLICY", policy)


def replay_rows(regimen: regimens.Regimen, rows: str, header: str = RECORD_HEADER,
                arm: str = "a", start: str = "2027-01-04") -> regimens.Schedule:
    """``regimen`` expanded for ``arm`` from ``start`` with the record ``header + rows``
    (read as the CSV file R.csv, so a row's line is its line in that text)."""
    return regimen.expand(arm, start, record=read_record(header + rows, name="R.csv"))
