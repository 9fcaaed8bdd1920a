"""The participant's handout and dosing diary: what each day says, checked by hand.

The HTML is parsed as a browser parses it (html5lib) and every day cell, diary line and
instruction of a small known schedule is compared with expectations written out here
from the regimen text below, not from the code's output. The PDF's text (pypdf) must
hold every administration and visit of the same schedule.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, date, datetime
from io import BytesIO
from typing import Any

import html5lib
import pytest

import regimens
from regimens.errors import ExpandOptionError

DEMO = """\
format: regimens/1
id: handout-demo
title: Handout demo
registry: NCT00000000
drugs:
  cap:
    name: capecitabine
    route: oral
    food: within 30 minutes after a meal
    storage: below 25 °C, in the original pack
    missed_dose: do not take an extra dose; take the next dose at the usual time
    vomited_dose: do not take another dose
    clinic_day: bring your tablets and this diary
  inj: {name: aldesleukin, route: SC}
arms:
  a: {label: Arm A}
periods:
  - id: treatment
    length: 3 weeks
    courses:
      - {drug: cap, dose: 1000 mg, days: 1-3, times: ["08:00", "20:00"]}
      - {drug: inj, dose: 1 MIU, every: 1 week, count: 2}
visits:
  - {id: baseline, label: Baseline, day: 1}
  - {id: week2, label: Week 2, day: 8, window: 1 day}
"""
START = date(2027, 1, 4)  # a Monday: Study Day 1


def _demo() -> regimens.Schedule:
    regimen = regimens.loads(DEMO, "demo.yaml")
    return regimen.expand("a", START, regimens.Participant(label="P-009"))


def _parse(text: str) -> Any:
    return html5lib.parse(text, namespaceHTMLElements=False)


def _raw(element: Any) -> str:
    # A line break reads as a space, as on the page.
    parts = [element.text or ""]
    for child in element:
        parts += [" " if child.tag == "br" else _raw(child), child.tail or ""]
    return "".join(parts)


def _text(element: Any) -> str:
    # Collapses what HTML collapses; a no-break space (French numbers) stays.
    return re.sub(r"[ \t\n\r\f]+", " ", _raw(element)).strip(" ")


def _days(text: str) -> dict[str, list[str]]:
    """Each dated cell of the month grids: its date and the text of each entry."""
    tree = _parse(text)
    return {td.get("data-date"): [_text(li) for li in td.iter("li")]
            for td in tree.iter("td") if td.get("data-date")}


# Written from DEMO: capsules on Days 1-3 at 08:00 and 20:00, an injection on Days 1 and
# 8; visits on Day 1 and Day 8 (window one day either side). A day lists Study Day 1, its
# visits, then its doses in the schedule's order (a dose without a time first).
EXPECTED_DAYS = {
    "2027-01-04": ["★ Study Day 1", "▲ Visit: Baseline",
                   "■ aldesleukin 1 million units, injection under the skin",
                   "■ 08:00 capecitabine 1,000 mg, by mouth",
                   "■ 20:00 capecitabine 1,000 mg, by mouth"],
    "2027-01-05": ["■ 08:00 capecitabine 1,000 mg, by mouth",
                   "■ 20:00 capecitabine 1,000 mg, by mouth"],
    "2027-01-06": ["■ 08:00 capecitabine 1,000 mg, by mouth",
                   "■ 20:00 capecitabine 1,000 mg, by mouth"],
    "2027-01-11": ["▲ Visit: Week 2 (any day from 10 January to 12 January)",
                   "■ aldesleukin 1 million units, injection under the skin"],
}


def test_every_day_of_the_month_says_what_happens_in_words() -> None:
    days = _days(_demo().to_html())
    assert sorted(days) == [f"2027-01-{d:02d}" for d in range(1, 32)]  # one month page
    assert {d: e for d, e in days.items() if e} == EXPECTED_DAYS


def test_the_handout_heading_legend_contact_and_instructions() -> None:
    tree = _parse(_demo().to_html(contact=["Dr A. Martin, research nurse",
                                           "+33 1 23 45 67 89"]))
    assert _text(tree.find(".//h1")) == "Your treatment calendar"
    assert _text(tree.find(".//p[@class='title']")) == "Handout demo (NCT00000000)"
    facts = [_text(x) for x in tree.iter() if x.tag in ("dt", "dd")]
    assert facts == ["Participant", "P-009", "Treatment", "Arm A", "Study Day 1",
                     "Monday 4 January 2027"]
    sections = {_text(s.find("h2")): s for s in tree.iter("section") if s.find("h2") is not None}
    assert [_text(p) for p in sections["Your study team"].iter("p")] == [
        "Dr A. Martin, research nurse", "+33 1 23 45 67 89"]
    assert [_text(li) for li in sections["How to read this calendar"].iter("li")] == [
        "■ a dose: the medicine, how much, how it is given, and the time if set",
        "▲ a visit at the study site, with the days it may take place on",
        "★ Study Day 1, the first day of the study"]
    assert [_text(p) for p in sections["Instructions"].iter("p")] == [
        "Food: within 30 minutes after a meal",
        "Storage: below 25 °C, in the original pack",
        "If you miss a dose: do not take an extra dose; take the next dose at the usual time",
        "If you vomit after a dose: do not take another dose",
        "On clinic days: bring your tablets and this diary"]
    assert list(sections) == ["Your study team", "Instructions", "How to read this calendar",
                              "Notes", "January 2027"]


def test_without_contact_lines_the_handout_leaves_space_to_write_them() -> None:
    tree = _parse(_demo().to_html())
    team = next(s for s in tree.iter("section") if "contact" in s.get("class", ""))
    assert [_text(p) for p in team.iter("p")] == ["Name:", "Telephone:", "Out of hours:"]


def test_the_page_is_self_contained() -> None:
    """No script, no fetch: nothing with a src or an external href, no @import or url()."""
    text = _demo().to_html()
    tree = _parse(text)
    tags = {e.tag for e in tree.iter()}
    assert not tags & {"script", "img", "link", "iframe", "object", "embed"}
    assert not [e for e in tree.iter() if e.get("src") or e.get("href")]
    assert "url(" not in text
    assert "@import" not in text
    assert "http" not in text


def test_print_css_names_the_paper_and_keeps_weeks_whole() -> None:
    for paper, size in (("a4", "size: A4"), ("letter", "size: letter")):
        style = _text(_parse(_demo().to_html(paper=paper)).find(".//style"))
        assert f"@page {{ {size}; margin: 12mm; }}" in style
        assert "tr { break-inside: avoid; page-break-inside: avoid; }" in style
        assert ".month { break-before: page;" in style


# The diary ----------------------------------------------------------------------------------

# One line per administration, grouped by study week; the Day 8 visit is on its line.
EXPECTED_DIARY = {
    "Study week 1 · 4 January to Sunday 10 January 2027": [
        ["Monday 4 January 2027", "any time",
         "aldesleukin 1 million units, injection under the skin clinic visit: Baseline"],
        ["Monday 4 January 2027", "08:00",
         "capecitabine 1,000 mg, by mouth clinic visit: Baseline"],
        ["Monday 4 January 2027", "20:00",
         "capecitabine 1,000 mg, by mouth clinic visit: Baseline"],
        ["Tuesday 5 January 2027", "08:00", "capecitabine 1,000 mg, by mouth"],
        ["Tuesday 5 January 2027", "20:00", "capecitabine 1,000 mg, by mouth"],
        ["Wednesday 6 January 2027", "08:00", "capecitabine 1,000 mg, by mouth"],
        ["Wednesday 6 January 2027", "20:00", "capecitabine 1,000 mg, by mouth"],
    ],
    "Study week 2 · 11 January to Sunday 17 January 2027": [
        ["Monday 11 January 2027", "any time",
         "aldesleukin 1 million units, injection under the skin clinic visit: Week 2"],
    ],
}


def _diary_weeks(text: str) -> dict[str, list[list[str]]]:
    tree = _parse(text)
    out = {}
    for section in tree.iter("section"):
        if section.get("class") != "week":
            continue
        rows = []
        for tr in section.iter("tr"):
            cells = [_text(td) for td in tr.findall("td")]
            if cells:
                assert cells[3:] == ["☐", "", ""]  # a box to tick, time taken, notes
                rows.append(cells[:3])
        out[_text(section.find("h3"))] = rows
    return out


def test_the_diary_has_a_line_per_dose_by_week() -> None:
    assert _diary_weeks(_demo().to_diary()) == EXPECTED_DIARY


def test_the_diary_columns_clinic_days_other_medicines_and_12_point_text() -> None:
    text = _demo().to_diary()
    tree = _parse(text)
    head = [_text(th) for th in tree.find(".//section[@class='week']").iter("th")]
    assert head == ["Date", "When", "Medicine and dose", "Taken", "Time taken", "Notes"]
    sections = {_text(s.find("h2")): s for s in tree.iter("section") if s.find("h2") is not None}
    assert [_text(li) for li in sections["Clinic visits"].iter("li")] == [
        "Monday 4 January 2027: Baseline",
        "Monday 11 January 2027: Week 2 (any day from 10 January to 12 January)"]
    other = sections["Other medicines"]
    assert len([tr for tr in other.iter("tr") if tr.get("class") == "blank"]) == 12
    assert "If you vomit after a dose:" in _text(sections["Instructions"])
    # Every font size is 12 pt or more: the page's is 12pt, nothing is set smaller.
    style = _text(tree.find(".//style"))
    assert "font-size: 12pt" in style
    assert not re.search(r"font-size: 0\.", style.split(".month")[0] + text.split("</style>")[1])


def test_a_cycle_is_named_in_the_diary() -> None:
    regimen = regimens.loads(DEMO.replace(
        "{drug: cap, dose: 1000 mg, days: 1-3,",
        "{drug: cap, dose: 1000 mg, cycle: 1 week, cycles: 2, days: 1-3,"), "cycles.yaml")
    weeks = _diary_weeks(regimen.expand("a", START).to_diary())
    assert list(weeks) == ["Study week 1 · cycle 1 · 4 January to Sunday 10 January 2027",
                           "Study week 2 · cycle 2 · 11 January to Sunday 17 January 2027"]
    tree = _parse(regimen.expand("a", START).to_diary())
    smalls = [_text(s) for s in tree.iter("span") if s.get("class") == "where"]
    assert smalls[:2] == ["cycle 1, day 1", "cycle 1, day 1"]
    assert smalls[-1] == "cycle 2, day 3"


# Blinding -----------------------------------------------------------------------------------

def _imodals(arm: str, **options: Any) -> regimens.Schedule:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)
        return regimens.load("imodals").expand(arm, START, regimens.Participant(label="P-017"))


def test_a_blinded_period_says_study_drug_never_dose_or_arm() -> None:
    text = _imodals("il2-2miu").to_html()
    days = _days(text)
    assert days["2027-01-05"] == [
        "■ study drug (aldesleukin or placebo), injection under the skin"]
    for word in ("million", "units", "2 million", "Placebo", "il2-2miu", "Treatment"):
        assert word not in text.replace("aldesleukin or placebo", "")
    assert [_imodals(a).to_html() for a in ("il2-1miu", "placebo")] == [text, text]
    diary = _imodals("placebo").to_diary()
    assert diary == _imodals("il2-1miu").to_diary()
    assert "cycle" not in diary


def test_unblinded_shows_the_dose_of_a_blinded_period() -> None:
    days = _days(_imodals("il2-2miu").to_html(blinded=False))
    assert days["2027-01-05"] == ["■ aldesleukin 2 million units, injection under the skin"]


# French -------------------------------------------------------------------------------------

def test_french_words_dates_numbers_and_doses() -> None:
    text = _demo().to_html(lang="fr")
    tree = _parse(text)
    assert tree.get("lang") == "fr"
    assert _text(tree.find(".//h1")) == "Votre calendrier de traitement"
    facts = [_text(x) for x in tree.iter() if x.tag in ("dt", "dd")]
    assert facts == ["Participant", "P-009", "Traitement", "Arm A", "Jour 1 de l'étude",
                     "lundi 4 janvier 2027"]
    days = _days(text)
    # 1 000 with a no-break space: "1,000" reads as one in French.
    assert days["2027-01-04"][2:] == [
        "■ aldesleukin 1 million d'unités, injection sous-cutanée",
        "■ 08:00 capecitabine 1\u00a0000 mg, par voie orale",
        "■ 20:00 capecitabine 1\u00a0000 mg, par voie orale"]
    assert days["2027-01-11"][0] == ("▲ Visite\u00a0: Week 2 (n'importe quel jour du "
                                     "10 janvier au 12 janvier)")
    # Drug names and instructions stay as written.
    assert "Alimentation\u00a0: within 30 minutes after a meal" in _text(tree)


@pytest.mark.parametrize(("dose", "english", "french"), [
    ("2 MIU", "2 million units", "2 millions d'unités"),
    ("1.5 MIU", "1.5 million units", "1,5 million d'unités"),
    ("368000 IU", "368,000 units", "368\u00a0000 unités"),
    ("1 IU", "1 unit", "1 unité"),
    ("0.5 IU", "0.5 units", "0,5 unité"),
    ("500 mIU", "500 thousandths of a unit", "500 millièmes d'unité"),
    ("70000000 cells", "70 million cells", "70 millions de cellules"),
    ("2500000000 cells", "2.5 billion cells", "2,5 milliards de cellules"),
    ("0.25 mg", "0.25 mg", "0,25 mg"),
    # USP units never read as "units" (international units), in either language.
    ("30000 USP units", "30,000 USP units", "30\u00a0000 unités USP"),
    ("1234.5 mg", "1,234.5 mg", "1\u00a0234,5 mg"),
])
def test_doses_in_each_language(dose: str, english: str, french: str) -> None:
    regimen = regimens.loads(DEMO.replace("dose: 1 MIU", f"dose: {dose}"), "d.yaml")
    schedule = regimen.expand("a", START)
    cell = {lang: _days(schedule.to_html(lang=lang))["2027-01-11"][1]
            for lang in ("en", "fr")}
    assert cell["en"] == f"■ aldesleukin {english}, injection under the skin"
    assert cell["fr"] == f"■ aldesleukin {french}, injection sous-cutanée"


def test_the_first_of_the_month_in_french() -> None:
    schedule = regimens.loads(DEMO, "d.yaml").expand("a", date(2027, 2, 1))
    facts = [_text(x) for x in _parse(schedule.to_html(lang="fr")).iter("dd")]
    assert facts[-1] == "lundi 1er février 2027"


# Options ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("options", "field", "detail"), [
    ({"lang": "de"}, "lang", "no handout in this language; choose from en, fr"),
    ({"paper": "a5"}, "paper", "choose from a4, letter"),
    ({"contact": [" "]}, "contact", "a contact line is one line of printable text"),
    ({"contact": ["a\nb"]}, "contact", "a contact line is one line of printable text"),
])
def test_options_refused(options: dict[str, Any], field: str, detail: str) -> None:
    for render in (_demo().to_html, _demo().to_diary, _demo().to_pdf):
        with pytest.raises(ExpandOptionError) as caught:
            render(**options)
        assert (caught.value.option, caught.value.reason) == (field, detail)


def test_outputs_are_deterministic() -> None:
    schedule = _demo()
    for render in (schedule.to_html, schedule.to_diary, schedule.to_pdf):
        assert render() == render()  # type: ignore[operator]
    assert schedule.to_pdf(sheet="diary") == _demo().to_pdf(sheet="diary")


# PDF ----------------------------------------------------------------------------------------

def _pdf_text(data: bytes) -> str:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(BytesIO(data))
    return re.sub(r"[ \t\n\r\f]+", " ", " ".join(p.extract_text() for p in reader.pages))


def test_the_pdf_handout_holds_every_administration_and_visit() -> None:
    text = _pdf_text(_demo().to_pdf(contact=["Dr A. Martin, research nurse"]))
    for cell in EXPECTED_DAYS.values():
        for entry in cell:
            assert entry in text
    for word in ("Your treatment calendar", "Handout demo (NCT00000000)", "P-009",
                 "Monday 4 January 2027", "Dr A. Martin, research nurse", "January 2027",
                 "If you vomit after a dose: do not take another dose"):
        assert word in text


def test_the_pdf_diary_holds_every_line() -> None:
    text = _pdf_text(_demo().to_pdf(sheet="diary"))
    for title, rows in EXPECTED_DIARY.items():
        assert title in text
        for day, when, what in rows:
            assert f"{day} {when} {what}" in text
    assert "Other medicines" in text


def test_the_pdf_in_french_and_its_glyphs() -> None:
    text = _pdf_text(_demo().to_pdf(lang="fr", sheet="diary"))
    assert "Carnet de suivi des prises" in text
    assert "lundi 4 janvier 2027" in text


def test_the_shipped_font_has_every_glyph_the_sheets_use() -> None:
    """DejaVu Sans covers the catalogue's words and the dose signs (m², µ, ×, ≥, ☐)."""
    ttfont = pytest.importorskip("fontTools.ttLib")
    from importlib import resources

    root = resources.files("regimens.export")
    catalogue = (root / "locale" / "fr" / "LC_MESSAGES" / "regimens.po").read_text("utf-8")
    used = set(catalogue) | set("m²µ×≥☐■▲★–·\u00a0") | set(DEMO)
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        with resources.as_file(root / "fonts" / name) as path:
            cmap = ttfont.TTFont(str(path)).getBestCmap()
        missing = sorted(c for c in used if c.isprintable() and ord(c) not in cmap)
        assert missing == [], name


def test_the_pdf_has_no_creation_date_unless_stamped() -> None:
    pypdf = pytest.importorskip("pypdf")
    plain = _demo().to_pdf()
    assert b"CreationDate" not in plain
    assert b"ModDate" not in plain
    assert "/CreationDate" not in (pypdf.PdfReader(BytesIO(plain)).metadata or {})
    stamped = _demo().to_pdf(stamp=datetime(2027, 1, 1, 9, 0, tzinfo=UTC))
    assert pypdf.PdfReader(BytesIO(stamped)).metadata["/CreationDate"] == "D:20270101090000Z"
    with pytest.raises(ExpandOptionError):
        _demo().to_pdf(stamp=datetime(2027, 1, 1, 9, 0))


_PYTHON_EXAMPLE = ", e.g. datetime(2027, 1, 1, tzinfo=timezone.utc)"


@pytest.mark.parametrize(("stamp", "message"), [
    # Text raised AttributeError ('str' object has no attribute 'tzinfo'); a naive datetime
    # was given an ISO-text example ('give a time zone (e.g. 2027-01-01T09:00:00Z)'). Each
    # message is to_ics's, word for word (tests/export/test_ics.py pins the same text).
    ("2027-01-01T09:00:00Z", "stamp: give a datetime, not text" + _PYTHON_EXAMPLE
     + " (got '2027-01-01T09:00:00Z')"),
    (20270101, "stamp: give an aware datetime (with its tzinfo)" + _PYTHON_EXAMPLE
     + " (got 20270101)"),
    (datetime(2027, 1, 1, 9, 0), "stamp: give an aware datetime (with its tzinfo)"
     + _PYTHON_EXAMPLE + " (got 2027-01-01 09:00:00)"),
])
def test_a_pdf_stamp_that_is_not_an_aware_datetime_is_refused(stamp: object,
                                                              message: str) -> None:
    pytest.importorskip("fpdf")
    with pytest.raises(ExpandOptionError) as caught:
        _demo().to_pdf(stamp=stamp)  # type: ignore[arg-type]
    assert (caught.value.option, caught.value.value) == ("stamp", stamp)
    assert str(caught.value) == message


@pytest.mark.parametrize("stamp", ["2027-01-01T09:00:00Z", 20270101, datetime(2027, 1, 1, 9, 0)])
def test_pdf_and_ics_refuse_a_bad_stamp_in_the_same_words(stamp: object) -> None:
    pytest.importorskip("fpdf")
    with pytest.raises(ExpandOptionError) as pdf:
        _demo().to_pdf(stamp=stamp)  # type: ignore[arg-type]
    with pytest.raises(ExpandOptionError) as ics:
        _demo().to_ics(stamp=stamp)  # type: ignore[arg-type]
    assert str(pdf.value) == str(ics.value)


@pytest.mark.parametrize(("paper", "size"), [("a4", (595.28, 841.89)), ("letter", (612, 792))])
def test_the_pdf_page_size(paper: str, size: tuple[float, float]) -> None:
    pypdf = pytest.importorskip("pypdf")
    box = pypdf.PdfReader(BytesIO(_demo().to_pdf(paper=paper))).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(size, abs=0.01)


def test_without_fpdf2_pdf_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "fpdf", None)  # import fpdf raises ImportError
    with pytest.raises(ExpandOptionError) as caught:
        _demo().to_pdf()
    assert caught.value.reason == ("PDF output needs the fpdf2 package: "
                                   "pip install 'regimens[pdf]'")


# How a dose goes in ------------------------------------------------------------------------

@pytest.mark.parametrize(("course", "english", "french"), [
    ("route: IV", "into a vein", "par voie intraveineuse"),
    ("route: IV, method: bolus", "injection into a vein", "injection intraveineuse"),
    ("route: IV, method: infusion, duration: 30 minutes",
     "infusion into a vein, over 30 minutes", "perfusion intraveineuse, en 30 minutes"),
    # A duration by an infusion route is an infusion, without a method.
    ("route: IV, duration: 46 hours", "infusion into a vein, over 46 hours",
     "perfusion intraveineuse, en 46 heures"),
    ("route: SC, duration: 1 hour", "infusion under the skin, over 1 hour",
     "perfusion sous-cutanée, en 1 heure"),
    ("route: intrathecal, method: bolus", "intrathecal bolus", "intrathecal bolus"),
])
def test_route_method_and_duration_in_words(course: str, english: str, french: str) -> None:
    regimen = regimens.loads(DEMO.replace("{drug: inj, dose: 1 MIU,",
                                          f"{{drug: inj, dose: 1 MIU, {course},"), "d.yaml")
    schedule = regimen.expand("a", START)
    cell = {lang: _days(schedule.to_html(lang=lang))["2027-01-11"][1]
            for lang in ("en", "fr")}
    assert cell["en"] == f"■ aldesleukin 1 million units, {english}"
    assert cell["fr"] == f"■ aldesleukin 1 million d'unités, {french}"


BLINDED_DURATIONS = """\
format: regimens/1
id: blinded-durations
title: Blinded infusions
drugs: {sd: {name: abatacept, route: IV}}
arms: {active: {label: Active}, placebo: {label: Placebo}}
periods:
  - id: treatment
    length: 1 week
    blinded: true
    courses:
      - {drug: sd, arms: [active], dose: 500 mg, days: 1, duration: %s}
      - {drug: sd, arms: [placebo], placebo: true, days: 1, duration: 30 minutes}
"""


@pytest.mark.parametrize(("active", "shown"), [
    ("30 minutes", "■ study drug (abatacept or placebo), infusion into a vein, over 30 minutes"),
    # Arms that differ in how long the infusion runs: neither the time nor the method.
    ("1 hour", "■ study drug (abatacept or placebo), into a vein"),
])
def test_a_blinded_duration_is_shown_only_when_every_arm_has_it(active: str, shown: str) -> None:
    regimen = regimens.loads(BLINDED_DURATIONS % active, "b.yaml")
    pages = [regimen.expand(arm, START).to_html() for arm in ("active", "placebo")]
    assert pages[0] == pages[1]
    assert _days(pages[0])["2027-01-04"] == ["★ Study Day 1", shown]


# The site's calendar -------------------------------------------------------------------------

# DEMO with the injection given at the site (clinic: true), movable up to 2 days later.
CLINIC = DEMO.replace(
    "inj: {name: aldesleukin, route: SC}", "inj: {name: aldesleukin, route: SC, clinic: true}"
).replace("{drug: inj, dose: 1 MIU, every: 1 week, count: 2}",
          "{drug: inj, dose: 1 MIU, every: 1 week, count: 2, "
          "window: {before: 0 days, after: 2 days}}")
SATURDAY = date(2027, 1, 9)  # Study Day 1 on a Saturday, at a site closed at weekends


def _clinic(**options: Any) -> regimens.Schedule:
    regimen = regimens.loads(CLINIC, "clinic.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regimens.RegimenWarning)  # the Baseline conflict
        return regimen.expand("a", SATURDAY, calendar=regimens.SiteCalendar(
            closed=("sat", "sun"),
            closed_dates=(regimens.Closure(date(2027, 1, 18), "audit"),)), **options)


def test_moved_items_say_from_which_day_and_why() -> None:
    """Written from CLINIC: the injections of Sat 9 and Sat 16 January move to the next open
    day within two days, Mon 11 and (Mon 18 being a closure) nothing: Tue 19 is 3 days
    late, so the second stays, a conflict. The Week 2 visit (Sat 16, window Fri 15 to Sun
    17) moves to Friday; Baseline (no window) stays on its Saturday, a conflict. Capsules
    are taken at home: never moved."""
    days = {d: e for d, e in _days(_clinic().to_html()).items() if e}
    check = "the site is closed that day: check this date with your study team"
    assert days == {
        "2027-01-09": ["★ Study Day 1", f"▲ Visit: Baseline {check}",
                       "■ 08:00 capecitabine 1,000 mg, by mouth",
                       "■ 20:00 capecitabine 1,000 mg, by mouth"],
        "2027-01-10": ["■ 08:00 capecitabine 1,000 mg, by mouth",
                       "■ 20:00 capecitabine 1,000 mg, by mouth"],
        "2027-01-11": ["■ aldesleukin 1 million units, injection under the skin moved from "
                       "Saturday 9 January 2027: closed on Saturdays",
                       "■ 08:00 capecitabine 1,000 mg, by mouth",
                       "■ 20:00 capecitabine 1,000 mg, by mouth"],
        "2027-01-15": ["▲ Visit: Week 2 (any day from 15 January to 17 January) moved from "
                       "Saturday 16 January 2027: closed on Saturdays"],
        "2027-01-16": [f"■ aldesleukin 1 million units, injection under the skin {check}"],
    }
    footer = _text(_parse(_clinic().to_html()).find(".//footer"))
    assert footer.startswith("For your study team: Site calendar: closed on Saturdays and "
                             "Sundays; 1 site closure ")
    french = _days(_clinic().to_html(lang="fr"))["2027-01-11"][0]
    assert french == ("■ aldesleukin 1 million d'unités, injection sous-cutanée déplacé du "
                      "samedi 9 janvier 2027\u00a0: fermé le samedi")


def test_the_diary_lists_home_doses_and_clinic_days() -> None:
    tree = _parse(_clinic().to_diary())
    weeks = _diary_weeks(_clinic().to_diary())
    assert [row[2] for rows in weeks.values() for row in rows] == [
        "capecitabine 1,000 mg, by mouth clinic visit: Baseline"] * 2 + [
        "capecitabine 1,000 mg, by mouth"] * 2 + [
        "capecitabine 1,000 mg, by mouth clinic visit"] * 2
    clinic = next(s for s in tree.iter("section") if "clinic" in s.get("class", ""))
    assert [_text(li) for li in clinic.iter("li")] == [
        "Saturday 9 January 2027: Baseline (the site is closed that day: check this date "
        "with your study team)",
        "Monday 11 January 2027: aldesleukin 1 million units, injection under the skin "
        "(moved from Saturday 9 January 2027: closed on Saturdays)",
        "Friday 15 January 2027: Week 2 (any day from 15 January to 17 January) (moved from "
        "Saturday 16 January 2027: closed on Saturdays)",
        "Saturday 16 January 2027: aldesleukin 1 million units, injection under the skin "
        "(the site is closed that day: check this date with your study team)"]


def test_a_site_closure_is_named_with_its_reason() -> None:
    regimen = regimens.loads(CLINIC, "clinic.yaml")
    with pytest.warns(regimens.RegimenWarning, match="visit Baseline"):
        schedule = regimen.expand("a", date(2027, 1, 11), calendar=regimens.SiteCalendar(
            closed_dates=(regimens.Closure(date(2027, 1, 11), "audit"),)))
    cell = _days(schedule.to_html())["2027-01-12"]
    assert cell[0] == ("■ aldesleukin 1 million units, injection under the skin moved from "
                       "Monday 11 January 2027: site closure (audit)")
    assert "moved from Monday 11 January 2027: site closure (audit)" in _pdf_text(
        schedule.to_pdf())
