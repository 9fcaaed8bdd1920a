"""The sample record at the top of docs/record.md (CSV and YAML) is read and replayed over
the regimen it is written for, and both forms give the same administrations; the worked
examples at its end (whole treatments, first visit to last) print what the doc shows."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

import regimens
from regimens.cli import main
from support.records import DOXDOC

DOCS = Path(__file__).parents[2] / "docs" / "record.md"

# Doxorubicin 60 mg/m2 on day 1 every 21 days, from 2027-01-04: cycle 3 is due 2027-02-15.
REGIMEN = DOXDOC


def _expand(text: str, kind: str) -> regimens.Schedule:
    regimen = regimens.loads(REGIMEN, "dox.yaml")
    record = regimens.read_record(text, name=f"P-017.{kind}", kind=kind)
    return regimen.expand("x", "2027-01-04",
                          regimens.Participant(weight="62 kg", height="170 cm"), record=record)


def test_the_sample_record_in_both_forms_replays_to_the_same_schedule() -> None:
    text = DOCS.read_text(encoding="utf-8")
    csv = re.search(r"```text\n(date,event.*?)```", text, re.S)
    yaml = re.search(r"```yaml\n(- \{date.*?)```", text, re.S)
    assert csv is not None
    assert yaml is not None
    from_csv = _expand(csv.group(1), "csv")
    from_yaml = _expand(yaml.group(1), "yaml")
    # The same rows (only the line numbers the notes cite differ: a CSV has a header line).
    def rows(schedule: regimens.Schedule) -> list[tuple[object, ...]]:
        return [(a.date, a.status, a.dose.amount) for a in schedule.administrations]

    assert rows(from_csv) == rows(from_yaml)
    # Cycle 3, due 2027-02-15, is delayed a week to 2027-02-22 (shift: cycles 4-6 follow).
    dates = [a.date.isoformat() for a in from_csv.administrations]
    assert dates == ["2027-01-04", "2027-01-25", "2027-02-22", "2027-03-15", "2027-04-05",
                     "2027-04-26"]


def test_the_totals_say_they_add_given_and_planned_doses_with_a_record() -> None:
    text = DOCS.read_text(encoding="utf-8")
    csv = re.search(r"```text\n(date,event.*?)```", text, re.S)
    assert csv is not None
    table = _expand(csv.group(1), "csv").to_table()
    assert "\nTotals for this participant (doses given and still planned):\n" in table
    plain = regimens.loads(REGIMEN, "dox.yaml").expand(
        "x", "2027-01-04", regimens.Participant(weight="62 kg", height="170 cm")).to_table()
    assert "\nTotals for this participant:\n" in plain


def test_doses_not_given_show_the_dose_they_would_have_had() -> None:
    # BSA (Mosteller) sqrt(62 x 170 / 3600) = 1.711 -> 1.71 m2; 60 mg/m2 x 1.71 = 102.6 mg;
    # dose level -1 (80%) from 2027-01-20: 82.08 mg. Cycle 2 missed, cycles 3-6 stopped.
    record = ("date,event,drug,cycle,day,amount,level,reason\n"
              "2027-01-04,given,dox,,,,,\n"
              "2027-01-20,reduce,dox,,,,-1,neutropenia\n"
              "2027-01-25,missed,dox,,,,,\n"
              "2027-02-10,stop,dox,,,,,toxicity\n")
    schedule = _expand(record, "csv")
    shown = [(a.date.isoformat(), a.status.value, str(a.dose.amount.magnitude))
             for a in schedule.administrations if a.dose.amount is not None]
    assert shown == [("2027-01-04", "given", "102.6"), ("2027-01-25", "missed", "82.08"),
                     ("2027-02-15", "stopped", "82.08"), ("2027-03-08", "stopped", "82.08"),
                     ("2027-03-29", "stopped", "82.08"), ("2027-04-19", "stopped", "82.08")]


# -- The worked examples, first visit to last ------------------------------------------

GOLDEN = Path(__file__).resolve().parent / "golden"
WORKED = "## A worked example, first visit to last"
#: The files each example shows (in tests/record/golden), in the order the doc shows them.
EXAMPLES = {"gemcitabine-redose": ("gemcitabine-redose.yaml", "P-202.csv"),
            "mirocals-like": ("mirocals-like.yaml", "P-101.csv")}


def _worked_blocks() -> list[tuple[str, str]]:
    """(kind, text) of each fenced block of the worked-example section, in order."""
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index(WORKED):]
    end = section.find("\n## ", 1)
    section = section if end < 0 else section[:end]
    return re.findall(r"^```(\w+)\n(.*?)^```$", section, re.S | re.M)


def _chunks(shown: list[str]) -> list[list[str]]:
    """The runs of lines between the lines ``...`` (lines left out)."""
    out: list[list[str]] = [[]]
    for line in shown:
        if line == "...":
            out.append([])
        else:
            out[-1].append(line)
    return out


def _assert_shown(shown: str, actual: str) -> None:
    """Every line the doc shows is in ``actual``, in order, each run between ``...`` lines
    contiguous; the doc starts (ends) where ``actual`` does unless it starts (ends) with
    ``...``."""
    lines, real = shown.splitlines(), actual.splitlines()
    chunks = _chunks(lines)
    at = 0
    for i, chunk in enumerate(chunks):
        if not chunk:
            continue
        found = next((k for k in range(at, len(real) - len(chunk) + 1)
                      if real[k:k + len(chunk)] == chunk), None)
        assert found is not None, f"not printed as the doc shows it, from: {chunk[0]!r}"
        if i == 0:
            assert found == 0, "the doc leaves out the first lines without a '...'"
        at = found + len(chunk)
    if chunks[-1]:
        assert at == len(real), "the doc leaves out the last lines without a '...'"


def test_each_worked_example_shows_a_regimen_a_record_and_a_command() -> None:
    kinds = [kind for kind, _ in _worked_blocks()]
    assert kinds == ["yaml", "text", "console"] * len(EXAMPLES)


@pytest.mark.parametrize("case", list(EXAMPLES))
def test_a_worked_example_prints_what_the_doc_shows(
        case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    regimen_file, record_file = EXAMPLES[case]
    i = 3 * list(EXAMPLES).index(case)
    (_, regimen), (_, record), (_, console) = _worked_blocks()[i:i + 3]
    # The regimen is shown whole; the record whole or with '...' for rows left out, from
    # its header to its last row.
    assert regimen == (GOLDEN / regimen_file).read_text(encoding="utf-8")
    _assert_shown(record, (GOLDEN / record_file).read_text(encoding="utf-8"))
    # The command, run on those files, prints what the doc shows after it.
    command, _, shown = console.partition("\n")
    assert command.startswith("$ regimens ")
    for name in (regimen_file, record_file):
        (tmp_path / name).write_bytes((GOLDEN / name).read_bytes())
    monkeypatch.chdir(tmp_path)
    assert main(shlex.split(command)[2:]) == 0
    out = capsys.readouterr().out
    # What it prints is the golden table, checked by hand (tests/record/test_golden.py).
    assert out == (GOLDEN / f"{case}.table.txt").read_text(encoding="utf-8")
    _assert_shown(shown, out)
    # The summary is shown whole: from the record's summary heading to the totals.
    summary = out[out.index(f"\nRecord {record_file}:\n") + 1:].splitlines()
    assert any(chunk[-len(summary):] == summary for chunk in _chunks(shown.splitlines()))


def test_the_check_of_what_the_doc_shows_finds_a_line_left_out() -> None:
    actual = "a\nb\nc\nd\n"
    _assert_shown("a\n...\nc\nd\n", actual)
    _assert_shown("...\nb\nc\n...\n", actual)
    for shown in ("a\nc\nd\n", "b\nc\nd\n", "a\nb\nc\n", "a\n...\nd\nc\n"):
        with pytest.raises(AssertionError):
            _assert_shown(shown, actual)
