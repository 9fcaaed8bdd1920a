"""The participant's calendar handout and dosing diary as HTML.

One self-contained file each: styles inline, no script, no image, no font or
anything else fetched, so it opens and prints the same anywhere. Print CSS sets
the page (A4 or US Letter) and keeps every week on one page; text is black on
white (contrast 21:1, WCAG AA asks 4.5:1) and nothing is told by colour alone:
doses, visits and Study Day 1 have their own mark and words.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ..engine import Schedule
from ._i18n import N_, Words, words
from ._sheets import PAPERS, Common, Diary, Handout, diary, handout

__all__ = ["render_diary", "render_html"]

_MARKS = {"dose": "■", "visit": "▲", "start": "★"}

_CSS = """\
@page { size: %(paper)s; margin: 12mm; }
* { box-sizing: border-box; }
html { color: #000; background: #fff; font-family: "DejaVu Sans", Verdana, Arial,
  sans-serif; font-size: %(size)s; line-height: 1.35; }
body { margin: 0 auto; max-width: %(width)smm; padding: 0 4mm; }
h1 { font-size: 1.6em; margin: 0 0 .3em; }
h2 { font-size: 1.25em; margin: .3em 0 .2em; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 1.05em; margin: .5em 0 .2em; break-after: avoid; page-break-after: avoid; }
p { margin: .25em 0; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: .15em 1em;
  margin: .4em 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
.box { border: 2px solid #000; padding: .3em .7em; margin: .5em 0; break-inside: avoid; }
.line { border-bottom: 1px solid #000; height: 1.8em; margin: 0; }
table { border-collapse: collapse; width: 100%%; table-layout: fixed; }
th, td { border: 1px solid #000; vertical-align: top; text-align: left; padding: 2px 4px; }
th { background: #e8e8e8; }
tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
.month { break-before: page; page-break-before: always; }
.month td { height: 5.2em; font-size: 0.8em; }
.month td.out { background: #f2f2f2; }
.month .num { font-weight: bold; font-size: 1.15em; }
.month ul { list-style: none; margin: 0; padding: 0; }
.month li { margin: .15em 0; overflow-wrap: break-word; }
li.visit, tr.clinic td { font-weight: bold; }
.mark { font-weight: bold; }
.moved { font-style: italic; }
.tick { width: 3.2em; text-align: center; font-size: 1.4em; }
.week { break-inside: avoid; page-break-inside: avoid; }
.page { break-before: page; page-break-before: always; }
footer { margin-top: 1em; font-size: 0.85em; }
"""


def _style(common: Common, size: str) -> str:
    width, _ = PAPERS[common.paper]
    return _CSS % {"paper": "A4" if common.paper == "a4" else "letter", "size": size,
                   "width": f"{width - 24:g}"}


def _head(common: Common, heading: str, size: str) -> list[str]:
    e = escape
    out = ["<!DOCTYPE html>", f'<html lang="{common.lang}">', "<head>",
           '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f'<meta name="generator" content="{e(common.generator)}">',
           f"<title>{e(heading)}: {e(common.title)}</title>",
           f"<style>\n{_style(common, size)}</style>", "</head>", "<body>",
           f"<h1>{e(heading)}</h1>", f'<p class="title">{e(common.title)}</p>',
           '<dl class="facts">']
    out += [f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in common.facts]
    out.append("</dl>")
    return out


def _contact(common: Common, w: Words) -> list[str]:
    out = ['<section class="box contact">', f"<h2>{escape(w.t('Your study team'))}</h2>"]
    if common.contact:
        out += [f"<p>{escape(line)}</p>" for line in common.contact]
    else:
        # Space for the site to write in its details.
        for label in (w.t("Name"), w.t("Telephone"), w.t("Out of hours")):
            out.append(f'<p class="line">{escape(w.t("{label}:", label=label))}</p>')
    out.append("</section>")
    return out


def _instructions(common: Common, w: Words) -> list[str]:
    if not common.instructions and not common.dose_notes:
        return []
    out = ['<section class="box instructions">', f"<h2>{escape(w.t('Instructions'))}</h2>"]
    for drug, lines in common.instructions:
        out.append(f"<h3>{escape(drug)}</h3>")
        out += [f"<p><b>{escape(w.t('{label}:', label=title))}</b> {escape(text)}</p>"
                for title, text in lines]
    if common.dose_notes:
        out.append(f"<h3>{escape(w.t('About the doses'))}</h3>")
        out += [f"<p><b>{escape(w.t('{label}:', label=drug))}</b> {escape(note)}</p>"
                for drug, note in common.dose_notes]
    out.append("</section>")
    return out


def _notes(w: Words, lines: int) -> list[str]:
    return (['<section class="box notes">', f"<h2>{escape(w.t('Notes'))}</h2>"]
            + ['<p class="line"></p>'] * lines + ["</section>"])


def _footer(common: Common, w: Words) -> list[str]:
    out = ["<footer>"]
    if common.warnings:
        out.append(f"<p><b>{escape(w.t('{label}:', label=w.t('For your study team')))}</b>"
                   "</p><ul>")
        out += [f"<li>{escape(x)}</li>" for x in common.warnings]
        out.append("</ul>")
    out.append(f"<p>{escape(w.t('Made by {generator}. Check every date with your study team.', generator=common.generator))}</p>")  # noqa: E501
    out += ["</footer>", "</body>", "</html>"]
    return out


def html_handout(h: Handout) -> str:
    """The handout records as one HTML page (see :func:`render_html`)."""
    c = h.common
    w = words(c.lang)
    e = escape
    out = _head(c, w.t("Your treatment calendar"), "12pt")
    out += _contact(c, w)
    out += _instructions(c, w)
    out += ['<section class="box legend">', f"<h2>{e(w.t('How to read this calendar'))}</h2>",
            "<ul>"]
    out += [f'<li><span class="mark">{_MARKS[k]}</span> {e(w.t(text))}</li>' for k, text in (
        ("dose", N_("a dose: the medicine, how much, how it is given, and the time if set")),
        ("visit", N_("a visit at the study site, with the days it may take place on")),
        ("start", N_("Study Day 0, the day the study counts from") if c.day_zero else
         N_("Study Day 1, the first day of the study")))]
    out += ["</ul>", "</section>"]
    out += _notes(w, 3)
    # The front page ends with the footer, so that each month starts a page and the
    # printed handout has one front page and the months' pages.
    out += _footer(c, w)[:-2]
    for title, weeks in h.months:
        out += ['<section class="month">', f"<h2>{e(title)}</h2>", "<table>", "<thead><tr>"]
        out += [f'<th scope="col">{e(w.weekday_short(i))}</th>' for i in range(7)]
        out += ["</tr></thead>", "<tbody>"]
        for week in weeks:
            out.append("<tr>")
            for day in week:
                if day.date is None:
                    out.append('<td class="out"></td>')
                    continue
                cell = [f'<td data-date="{day.date.isoformat()}">'
                        f'<div class="num">{day.date.day}</div>']
                if day.entries:
                    cell.append("<ul>")
                    for entry in day.entries:
                        time = f"{e(entry.time)} " if entry.time else ""
                        moved = (f'<br><span class="moved">{e(entry.moved)}</span>'
                                 if entry.moved else "")
                        cell.append(f'<li class="{entry.kind}"><span class="mark">'
                                    f"{_MARKS[entry.kind]}</span> {time}{e(entry.text)}"
                                    f"{moved}</li>")
                    cell.append("</ul>")
                cell.append("</td>")
                out.append("".join(cell))
            out.append("</tr>")
        out += ["</tbody>", "</table>", "</section>"]
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def html_diary(d: Diary) -> str:
    """The diary records as one HTML page (see :func:`render_diary`)."""
    c = d.common
    w = words(c.lang)
    e = escape
    out = _head(c, w.t("Dosing diary"), "12pt")
    out += ['<section class="box how">', f"<h2>{e(w.t('How to fill in this diary'))}</h2>"]
    out += [f"<p>{e(w.t(text))}</p>" for text in (
        N_("Tick the box when you have taken a dose, and write the time you took it."),
        N_("Write in the notes anything that went differently: a dose missed, late, "
           "vomited or only partly taken, and any side effect."),
        N_("Bring this diary and your medicine, even empty packs, to every clinic visit."))]
    out.append("</section>")
    out += _instructions(c, w)
    if d.clinic_days:
        out += ['<section class="box clinic">', f"<h2>{e(w.t('Clinic visits'))}</h2>", "<ul>"]
        out += [f"<li>{e(x)}</li>" for x in d.clinic_days]
        out += ["</ul>", "</section>"]
    out += _contact(c, w)
    heads = (w.t("Date"), w.t("When"), w.t("Medicine and dose"), w.t("Taken"),
             w.t("Time taken"), w.t("Notes"))
    widths = ("20%", "10%", "29%", "10%", "11%", "20%")
    for week in d.weeks:
        out += ['<section class="week">', f"<h3>{e(week.title)}</h3>", "<table>", "<colgroup>"]
        out += [f'<col style="width: {x}">' for x in widths]
        out += ["</colgroup>", "<thead><tr>"]
        out += [f'<th scope="col">{e(x)}</th>' for x in heads]
        out += ["</tr></thead>", "<tbody>"]
        for row in week.rows:
            what = e(row.what) + (f'<br><span class="where">{e(row.where)}</span>'
                                  if row.where else "")
            if row.clinic:
                what += f"<br><b>{e(row.clinic)}</b>"
            out.append(f'<tr class="dose"><td>{e(row.date)}</td><td>{e(row.time)}</td>'
                       f'<td>{what}</td><td class="tick">☐</td><td></td><td></td></tr>')
        out += ["</tbody>", "</table>", "</section>"]
    out += ['<section class="page other">', f"<h2>{e(w.t('Other medicines'))}</h2>",
            f"<p>{e(w.t('Write down every other medicine you take during the study, including medicines bought without a prescription, vitamins and herbal remedies.'))}</p>",  # noqa: E501
            "<table>", "<thead><tr>"]
    out += [f'<th scope="col">{e(x)}</th>' for x in (
        w.t("Medicine"), w.t("Dose and how often"), w.t("Started"), w.t("Stopped"),
        w.t("Why"))]
    out += ["</tr></thead>", "<tbody>"]
    out += ['<tr class="blank"><td class="line"></td><td></td><td></td><td></td><td></td>'
            "</tr>"] * 12
    out += ["</tbody>", "</table>", "</section>"]
    out += _footer(c, w)
    return "\n".join(out) + "\n"


def render_html(s: Schedule, *, lang: str = "en", blinded: bool | None = None,
                paper: str = "a4", contact: Sequence[str] = ()) -> str:
    """The participant's calendar handout: one self-contained HTML page (see docs/handouts.md).

    ``lang``: ``"en"`` or ``"fr"``; ``blinded`` as in :meth:`Schedule.to_calendar`;
    ``paper``: ``"a4"`` or ``"letter"`` (the print CSS page); ``contact``: lines of
    the site's contact details (default: blank lines to write them in).

    Raises:
        ExpandOptionError: an unknown language or paper, or a contact line that is
            empty or not printable.
    """
    return html_handout(handout(s, lang=lang, blinded=blinded, paper=paper, contact=contact))


def render_diary(s: Schedule, *, lang: str = "en", blinded: bool | None = None,
                 paper: str = "a4", contact: Sequence[str] = ()) -> str:
    """The participant's dosing diary: one self-contained HTML page, 12-point text.

    One line per administration to tick, grouped by study week (and cycle), with the
    drugs' instructions (``missed_dose``, ``vomited_dose``, ``food``, ``storage``,
    ``clinic_day``), the clinic visits, a page for other medicines and the site's
    contact lines. Options as in :func:`render_html`.

    Raises:
        ExpandOptionError: as :func:`render_html`.
    """
    return html_diary(diary(s, lang=lang, blinded=blinded, paper=paper, contact=contact))
