"""Heavy optional modules stay out of a process that does not use them.

NumPy is installed with the test extras, and pint imports it at its own import when it
is installed. The command line, which owns its process, has pint imported without it
(``quantities.lean_pint``, as ``cli.main`` calls it), so load, expand and every text
output leave NumPy out of ``sys.modules``. icalendar stays out of an all-day calendar
(``to_ics`` writes RFC 5545 itself) and comes in for a time zone's VTIMEZONE or for
reading a previous export. A
program that embeds the library keeps pint as pint made it. Each case runs in a fresh
interpreter, since this test process has imported both long ago.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

_PROGRAM = """\
import json, sys, warnings
import regimens
from regimens.quantities import lean_pint
lean_pint()  # what the command line does first
warnings.simplefilter("ignore")
seen = {}
def note(step):
    seen[step] = [m for m in ("numpy", "icalendar") if m in sys.modules]
note("import")
regimen = regimens.load("mirocals")
note("load")
schedule = regimen.expand("il2", "2027-01-04", regimens.Participant(weight="70 kg",
                                                                    height="175 cm"))
note("expand")
schedule.to_json(); schedule.to_csv(); schedule.to_table(); schedule.to_calendar()
regimen.check().to_json()
note("outputs")
regimens.Participant(weight="154 lb", height="69 in").weight_kg
note("units")
import datetime
stamp = datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)
schedule.to_ics(stamp=stamp, reminders=["1h", "09:00-day-before"])
note("ics")
timed = regimens.loads('''\
format: regimens/1
id: timed
title: Timed
drugs: {a: {name: drug A, route: oral}}
arms: {x: {label: X}}
periods:
  - {id: t, length: 1 weeks, courses: [{drug: a, dose: 5 mg, daily: true, times: ["08:00"]}]}
''', "timed.yaml").expand("x", "2027-01-04", tz="Europe/Paris")
timed.to_ics(stamp=stamp)
note("ics_timed")
try:
    import numpy  # still importable normally afterwards
    seen["numpy_after"] = [numpy.__name__]
except ImportError:
    seen["numpy_after"] = []
print(json.dumps(seen))
"""


@pytest.fixture(scope="module")
def seen() -> dict[str, list[str]]:
    run = subprocess.run([sys.executable, "-c", _PROGRAM], capture_output=True, text=True,
                         check=True)
    result: dict[str, list[str]] = json.loads(run.stdout)
    return result


@pytest.mark.parametrize("step", ["import", "load", "expand", "outputs", "units"])
def test_no_numpy_or_icalendar_until_used(seen: dict[str, list[str]], step: str) -> None:
    assert seen[step] == []


def test_all_day_ics_imports_no_icalendar(seen: dict[str, list[str]]) -> None:
    assert seen["ics"] == []


def test_zoned_ics_imports_icalendar_only(seen: dict[str, list[str]]) -> None:
    # For the VTIMEZONE, built from the zone's rules by icalendar.
    assert seen["ics_timed"] == ["icalendar"]


@pytest.mark.skipif(importlib.util.find_spec("numpy") is None, reason="NumPy not installed")
def test_numpy_imports_normally_afterwards(seen: dict[str, list[str]]) -> None:
    assert seen["numpy_after"] == ["numpy"]


def test_pint_keeps_numpy_when_numpy_came_first() -> None:
    # Not blocked when the program has NumPy already: pint then supports arrays as usual.
    if importlib.util.find_spec("numpy") is None:
        pytest.skip("NumPy not installed")
    program = ("import numpy, regimens, pint.compat; "
               "regimens.Participant(weight='70 kg').weight_kg; "
               "print(pint.compat.HAS_NUMPY)")
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True)
    assert run.stdout.strip() == "True"


def test_the_command_line_leaves_numpy_out() -> None:
    program = ("import sys; from regimens import cli; "
               "code = cli.main(['expand', 'mirocals', '--arm', 'il2', '--start', '2027-01-04', "
               "'--format', 'json', '-o', '-']); "
               "sys.stderr.write(repr(['numpy' in sys.modules, code]))")
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True)
    assert run.stderr.strip().splitlines()[-1] == "[False, 0]"


def test_an_embedding_program_keeps_pint_with_numpy() -> None:
    # The library alone never changes pint: with NumPy installed, pint supports arrays.
    if importlib.util.find_spec("numpy") is None:
        pytest.skip("NumPy not installed")
    program = ("import regimens, pint.compat; "
               "regimens.Participant(weight='70 kg').weight_kg; "
               "print(pint.compat.HAS_NUMPY)")
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True)
    assert run.stdout.strip() == "True"


def _modules_after(program: str) -> list[str]:
    run = subprocess.run([sys.executable, "-c", program + "\nimport sys, json\n"
                          "print(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True)
    loaded: list[str] = json.loads(run.stdout.splitlines()[-1])
    return loaded


_HEAVY = ("numpy", "icalendar", "pint", "ruamel", "caldav", "pyarrow", "jsonschema")


def test_import_regimens_imports_no_package_of_it() -> None:
    # PEP 562: each package comes in when one of its names is first used.
    loaded = _modules_after("import regimens")
    assert [m for m in loaded if m.startswith("regimens")] == [
        "regimens", "regimens._public", "regimens._version"]
    assert not [m for m in loaded if m.split(".")[0] in _HEAVY]


def test_help_builds_the_parser_without_the_library() -> None:
    loaded = _modules_after(
        "import contextlib, io\nfrom regimens.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])\n"
        "for command in ('expand', 'publish', 'check', 'schema', 'catalog', 'supply'):\n"
        "    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "        main([command, '--help'])\n")
    ours = [m for m in loaded if m.startswith("regimens")]
    # The command line itself and the exceptions it may report; no engine, model, format,
    # export, quantities or cohort.
    library = {"regimens", "regimens._public", "regimens._records", "regimens._version",
               "regimens.errors"}
    assert [m for m in ours if m not in library and not m.startswith("regimens.cli")] == []
    assert not [m for m in loaded if m.split(".")[0] in _HEAVY]
    assert "tempfile" not in loaded  # for -o FILE only, imported when it writes one



#: What the standard library would cost a cold `regimens expand ... --format json` for
#: nothing: a regimen without a time zone needs no zoneinfo (nor the sysconfig it reads),
#: a valid one no difflib ("did you mean"), one counting weeks no calendar, JSON no csv,
#: standard output no threading and no pathlib (with urllib.parse and ipaddress).
#: docs/performance.md
_UNUSED_ON_THE_COLD_PATH = ("zoneinfo", "sysconfig", "difflib", "calendar", "csv",
                            "threading", "pathlib", "urllib.parse", "ipaddress", "tempfile",
                            "pickle")


def test_a_plain_json_expand_leaves_unused_standard_modules_out() -> None:
    loaded = _modules_after(
        "import os\nfrom regimens.cli import main\n"
        "kept = os.dup(1)\nos.dup2(os.open(os.devnull, os.O_WRONLY), 1)\n"
        "code = main(['expand', 'mirocals', '--arm', 'il2', '--start', '2027-01-04', "
        "'--weight', '70kg', '--format', 'json'])\n"
        "assert code == 0, code\nos.dup2(kept, 1)\n")
    assert [m for m in _UNUSED_ON_THE_COLD_PATH if m in loaded] == []

def test_lazy_names_are_the_packages_names() -> None:
    program = """\
import regimens.engine as engine
assert engine.Schedule.__module__ == "regimens"  # claimed when its package came in
import regimens
from regimens import Regimen, Schedule, load
assert Schedule is engine.Schedule and regimens.Schedule is Schedule
assert Regimen.__module__ == "regimens" and load.__module__ == "regimens"
assert set(regimens.__all__) <= set(dir(regimens))
try:
    regimens.no_such_name
except AttributeError as exc:
    assert "no_such_name" in str(exc)
else:
    raise AssertionError("no AttributeError")
"""
    _modules_after(program)


def test_bsa_formula_choices_are_the_formulas() -> None:
    from regimens import BSAFormula
    from regimens.cli._arguments import _BSA_FORMULAS

    assert tuple(f.value for f in BSAFormula) == _BSA_FORMULAS


# Without lean_pint: the closed unit table is exact constants, so reading, expanding and
# writing a regimen imports no pint at all, in the library as in the command line.
_NO_PINT = """\
import json, sys
import regimens
heavy = ("pint", "numpy", "icalendar")
schedule = regimens.load("mirocals").expand(
    "il2", "2027-01-04", regimens.Participant(weight="154 lb", height="69 in"))
schedule.to_json()
seen = {"expand_json": [m for m in heavy if m in sys.modules]}
from regimens.quantities import parse_amount, parse_dose_quantity
messages = []
for parse, text in ((parse_dose_quantity, "5 mg/h"), (parse_amount, "2 mm"),
                    (parse_amount, "3 mol")):
    try:
        parse(text)
    except regimens.UnitError as exc:
        messages.append(str(exc))
seen["error_path"] = [m for m in heavy if m in sys.modules]
seen["messages"] = messages
print(json.dumps(seen))
"""


@pytest.fixture(scope="module")
def no_pint() -> dict[str, list[str]]:
    run = subprocess.run([sys.executable, "-c", _NO_PINT], capture_output=True, text=True,
                         check=True)
    result: dict[str, list[str]] = json.loads(run.stdout)
    return result


def test_expand_and_json_import_no_pint(no_pint: dict[str, list[str]]) -> None:
    assert no_pint["expand_json"] == []


def test_unit_text_outside_the_table_asks_pint(no_pint: dict[str, list[str]]) -> None:
    # pint comes in only to explain what the text is, and says it word for word as before.
    assert "pint" in no_pint["error_path"]
    assert no_pint["messages"] == [
        "a dose must be an amount, not a rate ('mg/h' is per unit of time); write a number "
        "and a unit (mg, g, mcg, ng, IU, kIU, MIU, mIU, cells, mL or L), optionally per kg "
        "or per m2, e.g. '20 mg', '1e6 cells/kg', '2e5 IU/m2'",
        "amount must be an amount of drug; 'mm' is not one of the dose units; write a number "
        "and a unit (mg, g, mcg, ng, IU, kIU, MIU, mIU, cells, mL or L), e.g. '20 mg' or "
        "'2 MIU'",
        "unknown unit 'mol'; write a number and a unit (mg, g, mcg, ng, IU, kIU, MIU, mIU, "
        "cells, mL or L), e.g. '20 mg' or '2 MIU'",
    ]


def test_the_command_line_imports_no_pint() -> None:
    program = ("import sys; from regimens import cli; "
               "code = cli.main(['expand', 'mirocals', '--arm', 'il2', '--start', '2027-01-04', "
               "'--format', 'json', '-o', '-']); "
               "sys.stderr.write(repr([[m for m in ('pint', 'numpy', 'icalendar') "
               "if m in sys.modules], code]))")
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True)
    assert run.stderr.strip().splitlines()[-1] == "[[], 0]"


def test_expand_json_on_the_command_line_imports_only_what_it_uses() -> None:
    # `regimens expand ... --format json` to standard output: the regimen's arithmetic
    # (check), the site-calendar counts, the handouts, iCalendar and CalDAV export stay
    # out of the process (each comes in when used).
    loaded = _modules_after(
        "import contextlib, io\nfrom regimens import cli\n"
        "with contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO())):\n"
        "    code = cli.main(['expand', 'mirocals', '--arm', 'il2', '--start', '2027-01-04',"
        " '--format', 'json'])\n"
        "assert code == 0, code\n")
    unused = {"regimens.engine._arithmetic", "regimens.engine._tally",
              "regimens.engine._site_check",
              "regimens.export._ics", "regimens.export._ics_text", "regimens.export._ics_write",
              "regimens.export._reminders", "regimens.export._caldav", "regimens.export._handout",
              "regimens.export._pdf", "regimens.cohort",
              # The texts for people, CSV and the check report: JSON needs none.
              "regimens.export._schedule_text", "regimens.export._check_report",
              "regimens.export._csv", "regimens.export._grid",
              "regimens.supply",
              # Without --record: nothing of the record but `expand` (record._plan), and
              # no heavy library (pint: the unit table is exact constants).
              "regimens.record._replay", "regimens.record._replay_state",
              "regimens.record._replay_moves", "regimens.record._replay_status",
              "regimens.record._replay_makeup", "regimens.record._replay_holds",
              "regimens.record._replay_doses", "regimens.record._dosing", "regimens.record._read",
              "regimens.record._cumulative",
              "regimens.record._read_row", "regimens.record._read_csv",
              "regimens.record._read_yaml", "regimens.record._read_schema",
              "regimens.record._summary", "regimens.record._model", "regimens.record._record",
              "regimens.record._intensity", "regimens.record._plausible",
              "regimens.record._check", "numpy", "icalendar", "pint", "pyarrow",

              # The catalogue is read from the package's folder as plain files; the
              # version is a string in the package; -o FILE alone needs tempfile.
              "importlib.resources", "importlib.metadata", "zipfile", "tempfile",
              # Nothing on this path runs a process or opens a connection.
              "subprocess", "socket", "ssl"}
    assert sorted(unused & set(loaded)) == []
    assert "regimens.engine._layout" in loaded
    assert "regimens.export._schedule_json" in loaded
    assert "regimens.record._plan" in loaded


def test_expand_with_a_record_imports_the_replay(tmp_path: Path) -> None:
    # The other side of the guard above: --record brings the record's modules in.
    record = tmp_path / "record.csv"
    record.write_text("date,event,drug,cycle,day,amount,level,reason\n"
                      "2027-01-04,given,il2,,,,,\n", encoding="utf-8")
    loaded = _modules_after(
        "import contextlib, io\nfrom regimens import cli\n"
        "with contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO())):\n"
        "    code = cli.main(['expand', 'mirocals', '--arm', 'il2', '--start', '2027-01-04',"
        f" '--format', 'json', '--record', {str(record)!r}])\n"
        "assert code == 0, code\n")
    assert {"regimens.record._replay", "regimens.record._read",
            "regimens.record._summary"} <= set(loaded)


def test_check_names_come_in_when_used_and_are_claimed() -> None:
    program = """\
import sys
import regimens.engine as engine
assert "regimens.engine._arithmetic" not in sys.modules
assert "regimens.engine._site_check" not in sys.modules
from regimens.engine import CheckReport, check
assert "regimens.engine._arithmetic" in sys.modules
assert CheckReport.__module__ == "regimens" and engine.check is check
import regimens
assert regimens.CheckReport is CheckReport and regimens.DrugSummary is engine.DrugSummary
assert regimens.ExpectationResult.__module__ == "regimens"
assert engine.SiteCount is engine.site_counts.__globals__["SiteCount"]
assert {"check", "CheckReport", "site_counts"} <= set(dir(engine))
try:
    engine.no_such_name
except AttributeError as exc:
    assert "no_such_name" in str(exc)
else:
    raise AssertionError("no AttributeError")
report = regimens.load("mirocals").check()
assert isinstance(report, CheckReport)
"""
    _modules_after(program)
