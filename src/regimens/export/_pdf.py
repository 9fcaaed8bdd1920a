"""The participant's handout and dosing diary as PDF, laid out natively with fpdf2.

fpdf2 (``pip install 'regimens[pdf]'``) is pure Python and installs from PyPI alone:
no system library, no browser. The text is set in DejaVu Sans, shipped with this
package (``fonts/``, Bitstream Vera licence: free to redistribute with its notice,
``fonts/LICENSE``), which has every glyph the sheets use (m², µ, ×, ≥, ☐, accented
letters). The PDF says what the HTML says (:mod:`._sheets`), week rows are never
split across pages, and the bytes depend only on the inputs: no creation date is
written unless a ``stamp`` is given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from importlib import resources
from typing import Any

from ..engine import Schedule
from ..errors import ExpandOptionError
from ._i18n import N_, Words, words
from ._sheets import PAPERS, Common, Diary, Handout, diary, handout

__all__ = ["render_pdf"]

_MARKS = {"dose": "■", "visit": "▲", "start": "★"}
_MARGIN = 12.0  # mm, as the print CSS
_FONT = "DejaVu"
# fpdf2 always writes a creation date: this placeholder is blanked out afterwards.
_NO_DATE = datetime.fromisoformat("1969-12-31T19:00:00+00:00")


def _fpdf() -> Any:
    try:
        import fpdf
    except ImportError:
        raise ExpandOptionError("format", "PDF output needs the fpdf2 package: "
                                "pip install 'regimens[pdf]'") from None
    return fpdf


class _Page:
    """An fpdf2 document with the sheets' font, page and a few layout helpers."""

    def __init__(self, common: Common, title: str, stamp: datetime | None) -> None:
        fpdf = _fpdf()
        width, height = PAPERS[common.paper]
        pdf = fpdf.FPDF(orientation="P", unit="mm",
                        format="A4" if common.paper == "a4" else "Letter")
        pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
        pdf.set_auto_page_break(True, margin=_MARGIN)
        fonts = resources.files("regimens.export") / "fonts"
        with resources.as_file(fonts / "DejaVuSans.ttf") as regular:
            pdf.add_font(_FONT, "", str(regular))
        with resources.as_file(fonts / "DejaVuSans-Bold.ttf") as bold:
            pdf.add_font(_FONT, "B", str(bold))
        pdf.set_title(f"{title}: {common.title}")
        pdf.set_creator(common.generator)
        pdf.set_producer(f"fpdf2 {fpdf.__version__}")
        pdf.set_lang(common.lang)
        pdf.set_creation_date(stamp if stamp is not None else _NO_DATE)
        self.pdf = pdf
        self.stamp = stamp
        self.width = width - 2 * _MARGIN
        self.bottom = height - _MARGIN

    def text(self, text: str, size: float, bold: bool = False, after: float = 1.0) -> None:
        pdf = self.pdf
        pdf.set_font(_FONT, "B" if bold else "", size)
        pdf.multi_cell(self.width, size * 0.45, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(after)

    def facts(self, common: Common, size: float) -> None:
        pdf = self.pdf
        pdf.set_font(_FONT, "B", size)
        label = max(pdf.get_string_width(k) for k, _ in common.facts) + 4
        for key, value in common.facts:
            pdf.set_font(_FONT, "B", size)
            pdf.cell(label, size * 0.45, key)
            pdf.set_font(_FONT, "", size)
            pdf.multi_cell(self.width - label, size * 0.45, value, align="L",
                           new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def lines(self, labels: Sequence[str], size: float) -> None:
        """Ruled lines to write on, each after its label."""
        pdf = self.pdf
        pdf.set_font(_FONT, "", size)
        for label in labels:
            pdf.cell(self.width, size * 0.75, label, border="B", new_x="LMARGIN", new_y="NEXT")

    def ensure(self, height: float) -> None:
        if self.pdf.get_y() + height > self.bottom:
            self.pdf.add_page()

    def row(self, widths: Sequence[float], cells: Sequence[Sequence[tuple[str, bool]]],
            size: float, header: Callable[[], None] | None = None, min_height: float = 0,
            fill: Sequence[bool] = ()) -> None:
        """One table row: each cell a list of (text, bold) paragraphs; never split.

        When the row does not fit on the page, a new page starts (with ``header``
        drawn again); a row taller than a page is drawn from the top and continues
        past it, as fpdf2 allows (no sheet makes one).
        """
        pdf = self.pdf
        line = size * 0.45
        pad = 1.0
        heights = []
        for width, paragraphs in zip(widths, cells, strict=True):
            total = 0.0
            for text, bold in paragraphs:
                pdf.set_font(_FONT, "B" if bold else "", size)
                found = pdf.multi_cell(width - 2 * pad, line, text, dry_run=True,
                                       output="LINES")
                total += len(found) * line
            heights.append(total)
        height = max(max(heights, default=0.0) + 2 * pad, min_height)
        if pdf.get_y() + height > self.bottom:
            pdf.add_page()
            if header is not None:
                header()
        y = pdf.get_y()
        x = pdf.l_margin
        for i, (width, paragraphs) in enumerate(zip(widths, cells, strict=True)):
            if i < len(fill) and fill[i]:
                pdf.set_fill_color(235, 235, 235)
                pdf.rect(x, y, width, height, style="DF")
            else:
                pdf.rect(x, y, width, height)
            pdf.set_xy(x + pad, y + pad)
            for text, bold in paragraphs:
                pdf.set_font(_FONT, "B" if bold else "", size)
                pdf.multi_cell(width - 2 * pad, line, text, align="L", new_x="LEFT",
                               new_y="NEXT")
            x += width
        pdf.set_xy(pdf.l_margin, y + height)

    def box(self, title: str, paragraphs: Sequence[tuple[str, bool]], size: float,
            lines: Sequence[str] = ()) -> None:
        """A framed section: a heading, paragraphs, then ruled lines to write on."""
        pdf = self.pdf
        line = size * 0.45
        needed = line * 2 + 4 + len(lines) * size * 0.75
        for text, bold in paragraphs:
            pdf.set_font(_FONT, "B" if bold else "", size)
            needed += len(pdf.multi_cell(self.width - 6, line, text, dry_run=True,
                                         output="LINES")) * line + 1
        self.ensure(needed + 4)
        top = pdf.get_y()
        pdf.set_x(pdf.l_margin + 3)
        pdf.set_font(_FONT, "B", size * 1.15)
        pdf.cell(self.width - 6, line * 1.4, title, new_x="LEFT", new_y="NEXT")
        for text, bold in paragraphs:
            pdf.set_font(_FONT, "B" if bold else "", size)
            pdf.set_x(pdf.l_margin + 3)
            pdf.multi_cell(self.width - 6, line, text, align="L", new_x="LEFT", new_y="NEXT")
            pdf.ln(1)
        pdf.set_font(_FONT, "", size)
        for label in lines:
            pdf.set_x(pdf.l_margin + 3)
            pdf.cell(self.width - 6, size * 0.75, label, border="B", new_x="LEFT",
                     new_y="NEXT")
        pdf.ln(2)
        pdf.set_line_width(0.5)
        pdf.rect(pdf.l_margin, top - 1, self.width, pdf.get_y() - top + 1)
        pdf.set_line_width(0.2)
        pdf.set_xy(pdf.l_margin, pdf.get_y() + 3)

    def output(self) -> bytes:
        data = bytes(self.pdf.output())
        if self.stamp is None:
            # Blank the placeholder date out with spaces (whitespace in a PDF dictionary):
            # every object keeps its offset, so the cross-reference table stays right.
            placeholder = b"/CreationDate (D:19691231190000Z)"
            assert data.count(placeholder) == 1, "fpdf2 wrote the creation date differently"
            data = data.replace(placeholder, b" " * len(placeholder))
        return data


def _head(page: _Page, common: Common, heading: str, size: float) -> None:
    page.pdf.add_page()
    page.text(heading, size * 1.6, bold=True)
    page.text(common.title, size)
    page.facts(common, size)


def _contact(page: _Page, common: Common, w: Words, size: float) -> None:
    if common.contact:
        page.box(w.t("Your study team"), [(x, False) for x in common.contact], size)
    else:
        page.box(w.t("Your study team"), [], size,
                 [w.t("{label}:", label=w.t(x)) for x in (N_("Name"), N_("Telephone"),
                                                          N_("Out of hours"))])


def _instructions(page: _Page, common: Common, w: Words, size: float) -> None:
    paragraphs: list[tuple[str, bool]] = []
    for drug, lines in common.instructions:
        paragraphs.append((drug, True))
        paragraphs += [(w.t("{label}: {text}", label=title, text=text), False)
                       for title, text in lines]
    if common.dose_notes:
        paragraphs.append((w.t("About the doses"), True))
        paragraphs += [(w.t("{label}: {text}", label=drug, text=note), False)
                       for drug, note in common.dose_notes]
    if paragraphs:
        page.box(w.t("Instructions"), paragraphs, size)


def _footer(page: _Page, common: Common, w: Words, size: float) -> None:
    if common.warnings:
        page.ensure(20)
        page.text(w.t("{label}:", label=w.t("For your study team")), size, bold=True)
        for warning in common.warnings:
            page.text(warning, size * 0.9)
    page.text(w.t("Made by {generator}. Check every date with your study team.",
                  generator=common.generator), size * 0.85)


def pdf_handout(h: Handout, stamp: datetime | None = None) -> bytes:
    """The handout records as PDF (see :func:`render_pdf`)."""
    c = h.common
    w = words(c.lang)
    size = 12.0
    page = _Page(c, w.t("Your treatment calendar"), stamp)
    _head(page, c, w.t("Your treatment calendar"), size)
    _contact(page, c, w, size)
    _instructions(page, c, w, size)
    page.box(w.t("How to read this calendar"), [(f"{_MARKS[k]} {w.t(text)}", False) for k, text in (
        ("dose", N_("a dose: the medicine, how much, how it is given, and the time if set")),
        ("visit", N_("a visit at the study site, with the days it may take place on")),
        ("start", N_("Study Day 0, the day the study counts from") if c.day_zero else
         N_("Study Day 1, the first day of the study")))], size)
    page.box(w.t("Notes"), [], size, ["", "", ""])
    _footer(page, c, w, size * 0.8)
    widths = [page.width / 7] * 7
    cell_size = 9.5
    for title, weeks in h.months:
        page.pdf.add_page()

        def header(title: str = title) -> None:
            page.text(title, size * 1.3, bold=True)
            page.row(widths, [[(w.weekday_short(i), True)] for i in range(7)], cell_size,
                     fill=[True] * 7)

        header()
        for week in weeks:
            cells: list[list[tuple[str, bool]]] = []
            for day in week:
                if day.date is None:
                    cells.append([])
                    continue
                paragraphs = [(str(day.date.day), True)]
                for entry in day.entries:
                    time = f"{entry.time} " if entry.time else ""
                    paragraphs.append((f"{_MARKS[entry.kind]} {time}{entry.text}",
                                       entry.kind != "dose"))
                    if entry.moved:
                        paragraphs.append((entry.moved, False))
                cells.append(paragraphs)
            page.row(widths, cells, cell_size, header, min_height=22,
                     fill=[day.date is None for day in week])
    return page.output()


def pdf_diary(d: Diary, stamp: datetime | None = None) -> bytes:
    """The diary records as PDF (see :func:`render_pdf`); 12-point text throughout."""
    c = d.common
    w = words(c.lang)
    size = 12.0
    page = _Page(c, w.t("Dosing diary"), stamp)
    _head(page, c, w.t("Dosing diary"), size)
    page.box(w.t("How to fill in this diary"), [(w.t(x), False) for x in (
        N_("Tick the box when you have taken a dose, and write the time you took it."),
        N_("Write in the notes anything that went differently: a dose missed, late, "
           "vomited or only partly taken, and any side effect."),
        N_("Bring this diary and your medicine, even empty packs, to every clinic visit."))],
        size)
    _instructions(page, c, w, size)
    if d.clinic_days:
        page.box(w.t("Clinic visits"), [(x, False) for x in d.clinic_days], size)
    _contact(page, c, w, size)
    fractions = (0.19, 0.10, 0.30, 0.10, 0.11, 0.20)
    widths = [page.width * f for f in fractions]
    heads = [w.t("Date"), w.t("When"), w.t("Medicine and dose"), w.t("Taken"),
             w.t("Time taken"), w.t("Notes")]
    for week in d.weeks:
        page.ensure(40)

        def header(title: str = week.title) -> None:
            page.text(title, size, bold=True)
            page.row(widths, [[(x, True)] for x in heads], size, fill=[True] * 6)

        page.pdf.ln(2)
        header()
        for row in week.rows:
            what = [(row.what, False)]
            if row.where:
                what.append((row.where, False))
            if row.clinic:
                what.append((row.clinic, True))
            page.row(widths, [[(row.date, False)], [(row.time, False)], what, [("☐", False)],
                          [], []], size, header, min_height=11)
    page.pdf.add_page()
    page.text(w.t("Other medicines"), size * 1.3, bold=True)
    page.text(w.t("Write down every other medicine you take during the study, including "
                  "medicines bought without a prescription, vitamins and herbal remedies."),
              size)
    other = [w.t("Medicine"), w.t("Dose and how often"), w.t("Started"), w.t("Stopped"),
             w.t("Why")]
    other_widths = [page.width * f for f in (0.28, 0.24, 0.14, 0.14, 0.20)]
    page.row(other_widths, [[(x, True)] for x in other], size, fill=[True] * 5)
    for _ in range(12):
        page.row(other_widths, [[], [], [], [], []], size, min_height=12)
    page.pdf.ln(3)
    _footer(page, c, w, size)
    return page.output()


def render_pdf(s: Schedule, *, sheet: str = "handout", lang: str = "en",
               blinded: bool | None = None, paper: str = "a4",
               contact: Sequence[str] = (), stamp: datetime | None = None) -> bytes:
    """The calendar handout (``sheet="handout"``) or dosing diary (``"diary"``) as PDF.

    Laid out natively with fpdf2 (``pip install 'regimens[pdf]'``), DejaVu Sans
    embedded. Options as in :func:`render_html`; ``stamp``, an aware datetime, is
    written as the document's creation date (none is written without it), so the
    same inputs give the same bytes.

    Raises:
        ExpandOptionError: fpdf2 not installed (field ``format``), an unknown sheet
            (field ``sheet``), a ``stamp`` that is not an aware datetime (field
            ``stamp``: text, another object or a naive datetime; the message gives a
            Python example, as :func:`to_ics` does), or what :func:`render_html` refuses.
    """
    if sheet not in ("handout", "diary"):
        raise ExpandOptionError("sheet", "choose from handout, diary", sheet)
    if stamp is not None and (not isinstance(stamp, datetime) or stamp.tzinfo is None):
        # Text or another object has no tzinfo to read (it raised AttributeError); a naive
        # datetime has none. The example is Python, word for word as to_ics gives it: text
        # such as 2027-01-01T09:00:00Z is what the command line reads (--stamp), not this
        # argument (the naive case showed that text as its example).
        raise ExpandOptionError("stamp", ("give a datetime, not text" if isinstance(stamp, str)
                                          else "give an aware datetime (with its tzinfo)")
                                + ", e.g. datetime(2027, 1, 1, tzinfo=timezone.utc)", stamp)
    if sheet == "diary":
        return pdf_diary(diary(s, lang=lang, blinded=blinded, paper=paper, contact=contact),
                         stamp)
    return pdf_handout(handout(s, lang=lang, blinded=blinded, paper=paper, contact=contact),
                       stamp)
