"""Every keyword of the public exports given a value of the wrong type (a list, a mapping, a
set, a number, an object) is refused naming the keyword, as ``to_html(lang=['en'])`` is:
an :class:`ExpandOptionError` (an :class:`ExpandOptionTypeError` where the type is wrong),
never a raw ``TypeError`` from inside (``paper not in PAPERS``: "unhashable type: 'list'"),
an ``AttributeError`` (``calendar.strip()``), nor a wrong value taken silently (a set of
contact lines, in no fixed order; a mapping's keys), and before a server is contacted.
Messages are written out by hand (a value shown as errors show it: a list or a mapping by
its kind, a short set as written).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import regimens
from regimens import ExpandOptionError, ExpandOptionTypeError

REGIMEN = regimens.loads("""\
format: regimens/1
id: demo
title: Demo
drugs: {il2: {name: interleukin-2, route: subcutaneous}}
arms: {a: {label: A}}
periods:
  - id: treatment
    length: 3 weeks
    courses:
      - {drug: il2, dose: 1 MIU, days: 1-5, times: ["08:00"]}
""", "demo.yaml")
SCHEDULE = REGIMEN.expand("a", "2027-01-04", tz="Europe/Paris")
STAMP = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
#: Port 9 (discard) on the loopback: never reached, the arguments are refused first.
URL = "http://127.0.0.1:9/cal/"


def _publish(**options: Any) -> object:
    return regimens.publish(SCHEDULE, URL, **{"stamp": STAMP, **options})


def _cohort() -> Any:
    pytest.importorskip("numpy")
    from regimens.cohort import expand_cohort

    return expand_cohort(REGIMEN, "a", ["2027-01-04", "2027-01-05"])


def _parquet(tmp: Path) -> Callable[..., object]:
    pytest.importorskip("pyarrow")
    return lambda **options: _cohort().to_parquet(tmp / "c.parquet", **options)


#: Each export and its keywords: (call, keyword, values of a wrong type).
WRONG = [["a4"], {"a4": 1}, {"a4"}, 5, 1.5, object()]
TEXTS = [["a4"], {"a4": 1}, {"a4"}, 5, 1.5, object(), b"a4"]
CALLS: dict[str, tuple[Callable[[Path], Callable[..., object]], dict[str, list[object]]]] = {
    "to_ics": (lambda _: lambda **o: SCHEDULE.to_ics(**{"stamp": STAMP, **o}),
               {"stamp": TEXTS, "blinded": TEXTS, "reminders": [{"1h": 1}, {"1h"}, 5, 1.5,
                                                                object(), [5]],
                "previous": WRONG}),
    "to_html": (lambda _: SCHEDULE.to_html,
                {"lang": TEXTS, "blinded": TEXTS, "paper": TEXTS,
                 "contact": [{"a4": 1}, {"a4"}, 5, 1.5, object(), b"a4", [5]]}),
    "to_diary": (lambda _: SCHEDULE.to_diary,
                 {"lang": TEXTS, "blinded": TEXTS, "paper": TEXTS,
                  "contact": [{"a4": 1}, {"a4"}, 5, 1.5, object(), b"a4", [5]]}),
    "to_pdf": (lambda _: SCHEDULE.to_pdf,
               {"sheet": TEXTS, "lang": TEXTS, "blinded": TEXTS, "paper": TEXTS,
                "contact": [{"a4": 1}, {"a4"}, 5, 1.5, object(), b"a4", [5]],
                "stamp": TEXTS}),
    "to_calendar": (lambda _: SCHEDULE.to_calendar, {"blinded": TEXTS}),
    "publish": (lambda _: _publish,
                {"stamp": TEXTS, "user": TEXTS, "password": TEXTS, "blinded": TEXTS,
                 "reminders": [{"1h"}, 5, object()], "calendar": TEXTS,
                 "progress": [["a4"], 5, "a4", object()]}),
    "to_numpy": (lambda _: _cohort().to_numpy,
                 {"columns": [5, 1.5, object(), "date", b"date", {"date"}, {"date": 1}],
                  "participants": TEXTS}),
    "to_arrow": (lambda _: _cohort().to_arrow,
                 {"columns": [5, 1.5, object(), "date", b"date", {"date"}, {"date": 1}],
                  "participants": TEXTS}),
    "to_parquet": (_parquet,
                   {"columns": [5, 1.5, object(), "date", b"date", {"date"}, {"date": 1}],
                    "rows": [["a4"], {"a4": 1}, {"a4"}, 1.5, object(), b"a4", "5"]}),
}
#: The option an error names for a keyword, where it is not the keyword's own name.
NAMED = {"reminders": ("reminders", "remind"), "progress": ("progress",)}
SWEEP = [(name, keyword, value) for name, (_, keywords) in CALLS.items()
         for keyword, values in keywords.items() for value in values]


@pytest.mark.parametrize(("name", "keyword", "value"), SWEEP,
                         ids=[f"{n}-{k}-{type(v).__name__}" for n, k, v in SWEEP])
def test_a_wrong_type_is_refused_naming_the_keyword(name: str, keyword: str, value: object,
                                                    tmp_path: Path) -> None:
    call = CALLS[name][0](tmp_path)
    with pytest.raises(regimens.RegimenError) as caught:
        call(**{keyword: value})
    assert isinstance(caught.value, ExpandOptionError)
    assert caught.value.option in NAMED.get(keyword, (keyword,))


#: The refusals this sweep found, written out: (call, class, message).
MESSAGES: dict[str, tuple[Callable[[], object], type[Exception], str]] = {
    # "unhashable type: 'list'" from 'paper not in PAPERS'; the wording of to_html(lang=...).
    "paper a list": (lambda: SCHEDULE.to_html(paper=["a4"]), ExpandOptionTypeError,
                     "paper: choose from a4, letter (got a list)"),
    "diary paper a set": (lambda: SCHEDULE.to_diary(paper={"a4"}), ExpandOptionTypeError,
                          "paper: choose from a4, letter (got {'a4'})"),
    "pdf paper a mapping": (lambda: SCHEDULE.to_pdf(paper={"a4": 1}), ExpandOptionTypeError,
                            "paper: choose from a4, letter (got a mapping)"),
    # A set's lines were taken in no fixed order, a mapping's keys as the lines.
    "contact a set": (lambda: SCHEDULE.to_html(contact={"Dr A. Martin"}),
                      ExpandOptionTypeError,
                      "contact: lines of text, a list or tuple: contact=['Dr A. Martin', "
                      "'+33 1 23 45 67 89'] (got {'Dr A. Martin'})"),
    "contact a mapping": (lambda: SCHEDULE.to_html(contact={"Dr A. Martin": 1}),
                          ExpandOptionTypeError,
                          "contact: lines of text, a list or tuple: contact=['Dr A. Martin', "
                          "'+33 1 23 45 67 89'] (got a mapping)"),
    # 'calendar.strip()': a raw AttributeError.
    "publish calendar a list": (lambda: _publish(calendar=["Trial"]), ExpandOptionTypeError,
                                "calendar: a calendar name is one line of visible text: no "
                                "control, bidirectional or zero-width characters, not empty "
                                "(got a list)"),
    # Sent to the server (user, password), or called after it stored the events (progress).
    "publish user a number": (lambda: _publish(user=5), ExpandOptionTypeError,
                              "user: the user name, text, or None (got 5)"),
    "publish password bytes": (lambda: _publish(password=b"secret"), ExpandOptionTypeError,
                               "password: the password, text, or None"),
    "publish progress a number": (lambda: _publish(progress=5), ExpandOptionTypeError,
                                  "progress: a function called with (done, total) after each "
                                  "event stored or deleted, or None (got 5)"),
    # 'int' object is not iterable; one text read a character at a time ('d', 'a', ...).
    "columns a number": (lambda: _cohort().to_numpy(5), ExpandOptionTypeError,
                         "columns: column names, a list or tuple: ['participant', 'date'] "
                         "(got 5)"),
    "columns one text": (lambda: _cohort().to_arrow("date"), ExpandOptionTypeError,
                         "columns: column names, a list or tuple: ['participant', 'date'] "
                         "(got 'date')"),
}


@pytest.mark.parametrize("case", MESSAGES)
def test_the_refusal_is_written_out(case: str) -> None:
    call, cls, message = MESSAGES[case]
    with pytest.raises(regimens.RegimenError) as caught:
        call()
    assert type(caught.value) is cls
    assert str(caught.value) == message
