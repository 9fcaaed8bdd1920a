"""The participant's handout in the participant's language: words, dates, numbers, doses.

The fixed words of the handout and the dosing diary come from a gettext message
catalogue (``locale/LANG/LC_MESSAGES/regimens.mo`` beside this module, compiled from
the ``.po`` file by ``scripts/compile_messages.py``), read with the standard
library's :mod:`gettext`: nothing here reads the process locale, so the same
language gives the same bytes everywhere. Dates are written with month and weekday
names from the catalogue; numbers and doses follow the language's conventions (in
French ``1 000,5`` rather than ``1,000.5``: a French reader takes ``1,000`` for one).
Drug names, routes that are not among the known ones, and notes stay as written.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources

from ..engine import Administration
from ..errors import ExpandOptionError
from ..quantities import Amount, Dimension, Elapsed, exactly, human_number, normal, unit
from ._delivery import delivery

__all__ = ["LANGUAGES", "Words", "words"]

#: The languages with a message catalogue; English is the source language.
LANGUAGES = ("en", "fr")


def N_(message: str) -> str:
    """Marks a message for the catalogue without translating it here."""
    return message


_MONTHS = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
           N_("July"), N_("August"), N_("September"), N_("October"), N_("November"),
           N_("December"))
_WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
             N_("Saturday"), N_("Sunday"))
_WEEKDAYS_SHORT = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"),
                   N_("Sun"))
# Routes people read; any other route is shown as written in the regimen.
_ROUTES = {"subcutaneous": N_("injection under the skin"),
           # Not called an infusion unless the regimen says so: a bolus is an injection.
           "intravenous": N_("into a vein"),
           "oral": N_("by mouth"),
           "intramuscular": N_("injection into a muscle"),
           # Puffs of an inhaler; radiotherapy fractions (kind: radiotherapy).
           "inhaled": N_("by inhalation"),
           "external beam": N_("by external beam")}
# The same routes with the course's method (``method``, or an infusion route with a
# ``duration``).
_METHODS = {("intravenous", "infusion"): N_("infusion into a vein"),
            ("intravenous", "bolus"): N_("injection into a vein"),
            ("intravenous", "push"): N_("injection into a vein"),
            ("subcutaneous", "infusion"): N_("infusion under the skin")}


# Which counts take the plural noun: English "1 unit", "0.5 units"; French "0,5 unité",
# "1,5 million", "2 unités" (the plural from 2).
_PLURAL = {"en": lambda v: v != 1, "fr": lambda v: v >= 2}


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    data = (resources.files("regimens.export") / "locale" / lang / "LC_MESSAGES"
            / "regimens.mo").read_bytes()
    return gettext.GNUTranslations(io.BytesIO(data))


class Words:
    """The handout's words in one language (from :func:`words`)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._catalogue = _catalogue(lang)

    def t(self, message: str, **values: object) -> str:
        """``message`` translated, with ``{name}`` fields filled from ``values``."""
        text = self._catalogue.gettext(message)
        return text.format(**values) if values else text

    def p(self, context: str, message: str, **values: object) -> str:
        """``message`` translated in ``context`` (gettext's ``msgctxt``)."""
        text = self._catalogue.pgettext(context, message)
        return text.format(**values) if values else text

    def _day(self, d: date) -> str:
        # The day of the month as the language writes it ("1er janvier" in French).
        return self.p("day of the month", "1") if d.day == 1 else str(d.day)

    def month(self, year: int, month: int) -> str:
        """``January 2027`` / ``janvier 2027``."""
        return self.t("{month} {year}", month=self.t(_MONTHS[month - 1]), year=year)

    def weekday_short(self, index: int) -> str:
        """Monday (0) to Sunday (6), abbreviated for a calendar's head."""
        return self.t(_WEEKDAYS_SHORT[index])

    def date(self, d: date) -> str:
        """A date in full, never in digits alone: ``Monday 4 January 2027``.

        Written out so that no reader can take the day for the month (04/01 is
        4 January in France and April 1 in the United States).
        """
        return self.t("{weekday} {day} {month} {year}", weekday=self.t(_WEEKDAYS[d.weekday()]),
                      day=self._day(d), month=self.t(_MONTHS[d.month - 1]), year=d.year)

    def day_month(self, d: dt.date) -> str:
        """A date without its year or weekday: ``4 January``."""
        return self.t("{day} {month}", day=self._day(d), month=self.t(_MONTHS[d.month - 1]))

    def route(self, route: str) -> str:
        """How the drug is given, in words; an unknown route as written."""
        known = _ROUTES.get(route)
        return route if known is None else self.t(known)

    def delivery(self, route: str, method: str | None, duration: Elapsed | None) -> str:
        """How the dose goes in, in words: route, method and how long it runs.

        ``injection into a vein``, ``infusion into a vein, over 46 hours``; a route
        without a phrase is shown as written, with its method.
        """
        method = delivery(route, method, duration).method
        known = _METHODS.get((route, method)) if method is not None else None
        if known is not None:
            how = self.t(known)
        elif method is not None and route not in _ROUTES:
            how = f"{route} {method}"
        else:
            how = self.route(route)
        if duration is None:
            return how
        minutes = duration.minutes
        if minutes % 60 == 0:
            hours = minutes // 60
            time = self.t(N_("{n} hour") if hours == 1 else N_("{n} hours"), n=hours)
        else:
            time = self.t(N_("{n} minute") if minutes == 1 else N_("{n} minutes"), n=minutes)
        return self.t("{how}, over {time}", how=how, time=time)

    @exactly
    def number(self, value: Decimal) -> str:
        """A number as this language writes it: ``1,000.5`` or ``1 000,5`` (no-break space)."""
        text = human_number(value)
        if self.lang == "en":
            return text
        return text.replace(",", "\u00a0").replace(".", ",")

    def dose(self, a: Administration) -> str:
        """The administration's dose in this language, in safe notation.

        English is the engine's own text. Otherwise the amount is written anew from
        its exact value (the engine's text has English numbers and nouns); a dose
        without an amount (placebo, not fixed by the protocol) keeps a translated word
        or the engine's text.
        """
        if self.lang == "en":
            return a.dose.text
        amount = a.dose.amount
        if amount is None:
            return self.t("placebo") if a.placebo else a.dose.text
        if a.dose.form is not None and a.dose.content is not None:
            # "2 comprimés (1 000 mg)": the count of the drug's form, then what it holds.
            return f"{self.amount(a.dose.form)} ({self.amount(a.dose.content)})"
        return self.amount(amount)

    def amount(self, amount: Amount) -> str:
        """An exact amount in this language, in safe notation (``2 comprimés``,
        ``1 000 mg``, ``30 unités USP``)."""
        dimension = amount.unit.dimension
        if dimension.form:
            many = _PLURAL[self.lang](amount.magnitude)
            return self.t(_FORMS[amount.unit.symbol, many], n=self.number(amount.magnitude))
        if dimension is Dimension.ACTIVITY:
            if amount.unit.symbol == "mIU":
                # Thousandths of a unit stay thousandths (as the engine writes them).
                one = not _PLURAL[self.lang](amount.magnitude)
                return self.t(N_("{n} thousandth of a unit") if one
                              else N_("{n} thousandths of a unit"),
                              n=self.number(amount.magnitude))
            return self._counted(amount.to(unit("IU")).magnitude, "unit")
        if dimension is Dimension.CELLS:
            return self._counted(amount.magnitude, "cell")
        if dimension is Dimension.USP:
            # Always "USP units", never "units", which people read as international units.
            return self._counted(amount.magnitude, "USP unit")
        return f"{self.number(amount.magnitude)} {amount.unit.symbol}"

    @exactly
    def _counted(self, value: Decimal, noun: str) -> str:
        # Whole words for millions and billions, but only where exact (as the engine).
        for size, scale in ((Decimal(10**9), "billion"), (Decimal(10**6), "million")):
            if value >= size:
                scaled = normal(value / size)
                if -scaled.as_tuple().exponent <= 3:  # type: ignore[operator]
                    return self._scaled(scaled, scale, noun)
        many = _PLURAL[self.lang](value)
        message = {("unit", False): N_("{n} unit"), ("unit", True): N_("{n} units"),
                   ("cell", False): N_("{n} cell"), ("cell", True): N_("{n} cells"),
                   ("USP unit", False): N_("{n} USP unit"),
                   ("USP unit", True): N_("{n} USP units")}
        return self.t(message[noun, many], n=self.number(value))

    def _scaled(self, value: Decimal, scale: str, noun: str) -> str:
        # French: "1,5 million d'unités", "2 millions d'unités" (plural from 2).
        many = _PLURAL[self.lang](value)
        message = {
            ("million", "unit", False): N_("{n} million unit"),
            ("million", "unit", True): N_("{n} million units"),
            ("million", "cell", False): N_("{n} million cell"),
            ("million", "cell", True): N_("{n} million cells"),
            ("billion", "unit", False): N_("{n} billion unit"),
            ("billion", "unit", True): N_("{n} billion units"),
            ("billion", "cell", False): N_("{n} billion cell"),
            ("billion", "cell", True): N_("{n} billion cells"),
            ("million", "USP unit", False): N_("{n} million USP unit"),
            ("million", "USP unit", True): N_("{n} million USP units"),
            ("billion", "USP unit", False): N_("{n} billion USP unit"),
            ("billion", "USP unit", True): N_("{n} billion USP units"),
        }
        return self.t(message[scale, noun, many], n=self.number(value))


#: A count of each dosage form, singular and plural.
_FORMS = {
    ("tablet", False): N_("{n} tablet"), ("tablet", True): N_("{n} tablets"),
    ("capsule", False): N_("{n} capsule"), ("capsule", True): N_("{n} capsules"),
    ("puff", False): N_("{n} puff"), ("puff", True): N_("{n} puffs"),
    ("drop", False): N_("{n} drop"), ("drop", True): N_("{n} drops"),
    ("patch", False): N_("{n} patch"), ("patch", True): N_("{n} patches"),
    ("sachet", False): N_("{n} sachet"), ("sachet", True): N_("{n} sachets"),
    ("vial", False): N_("{n} vial"), ("vial", True): N_("{n} vials"),
}


def words(lang: str) -> Words:
    """The words of the handout in ``lang`` (one of :data:`LANGUAGES`).

    Raises:
        ExpandOptionError: a language without a catalogue (field ``lang``).
    """
    if lang not in LANGUAGES:
        raise ExpandOptionError("lang", f"no handout in this language; choose from "
                                f"{', '.join(LANGUAGES)}", lang)
    return Words(lang)
