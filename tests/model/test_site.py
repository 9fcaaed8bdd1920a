"""SiteCalendar and Closure: checked when made; closures named as people read them."""

from __future__ import annotations

import datetime as dt
import pickle
import subprocess
import sys

import pytest

import regimens
from regimens import Closure, ExpandOptionError, SiteCalendar

D = dt.date


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"closed": ("sat", "sunday")}, "closed: weekday names, each one of: mon, tue, wed, thu, "
     "fri, sat, sun (got ('sat', 'sunday'))"),
    # A list of the right names: the message says the type (it listed the names given).
    ({"closed": ["sat"]}, "closed: a tuple of weekday names, each one of: mon, tue, wed, thu, "
     "fri, sat, sun (one day: ('sat',); a list: tuple(...)) (got a list)"),
    ({"closed": ("sat", "sat")}, "closed: a weekday is given twice (got 'sat,sat')"),
    ({"closed": ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
     "closed: every weekday is closed: the site could never see a participant "
     "(got 'mon,tue,wed,thu,fri,sat,sun')"),
    ({"holidays": "XX"}, "holidays: unknown country; give an ISO 3166-1 alpha-2 code such as "
     "FR or US, optionally with a subdivision: US-CA (got 'XX')"),
    ({"holidays": 33}, "holidays: a country code such as FR, or US-CA (got 33)"),
    # Named as the argument it is (it was named "holidays").
    ({"observed": "yes"}, "observed: True (close on the holidays' observed dates) or False "
     "(on their own dates) (got 'yes')"),
    ({"closed_dates": (D(2027, 1, 1),)}, "closed_dates: a tuple of Closure records "
     "(got (datetime.date(2027, 1, 1),))"),
])
def test_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ExpandOptionError) as caught:
        SiteCalendar(**kwargs)  # type: ignore[arg-type]
    assert str(caught.value) == message
    # The structured field holds the value given, not its repr.
    ((_, given),) = kwargs.items()
    joined = ",".join(map(str, given)) if isinstance(given, tuple) else given  # "sat,sat"
    assert caught.value.value in (given, joined)


def test_an_unknown_subdivision_names_the_known_ones() -> None:
    with pytest.raises(ExpandOptionError) as caught:
        SiteCalendar(holidays="US-XX")
    assert str(caught.value) == (
        "holidays: US has no subdivision 'XX' in the holidays package (its subdivisions: AK, "
        "AL, AR, AS, AZ, CA, CO, CT, DC, DE, FL, GA, ...) (got 'US-XX')")


@pytest.mark.parametrize(("value", "message"), [
    (dt.datetime(2027, 1, 1, 9, 0), "closed_dates: a closure is a calendar date "
     "(datetime.date, not datetime) (got 2027-01-01 09:00:00)"),
    ("2027-01-01", "closed_dates: a closure is a calendar date (datetime.date, not str) "
     "(got '2027-01-01')"),
])
def test_a_closure_is_a_date(value: object, message: str) -> None:
    with pytest.raises(ExpandOptionError) as caught:
        Closure(value)  # type: ignore[arg-type]
    assert str(caught.value) == message
    assert caught.value.value == value  # the value itself, not its repr


# Public holidays in France (Code du travail, art. L3133-1) in 2027, by hand: Easter
# Sunday is 28 March, so Easter Monday 29 March, Ascension (Easter + 39) Thursday 6 May,
# Whit Monday (Easter + 50) 17 May.
FRANCE_2027 = {
    D(2027, 1, 1): "New Year's Day", D(2027, 3, 29): "Easter Monday", D(2027, 5, 1): "Labor Day",
    D(2027, 5, 6): "Ascension Day", D(2027, 5, 8): "Victory Day",
    D(2027, 5, 17): "Pentecost Monday", D(2027, 7, 14): "National Day",
    D(2027, 8, 15): "Assumption Day", D(2027, 11, 1): "All Saints' Day",
    D(2027, 11, 11): "Armistice Day", D(2027, 12, 25): "Christmas Day",
}


def test_french_holidays_of_2027() -> None:
    site = SiteCalendar(holidays="FR")
    day, found = D(2027, 1, 1), {}
    while day.year == 2027:
        name = site.holiday(day)
        if name is not None:
            found[day] = name
        day += dt.timedelta(days=1)
    assert found == FRANCE_2027


def test_reasons_in_order_and_joined() -> None:
    site = SiteCalendar(closed=("sat", "sun"), holidays="FR",
                        closed_dates=(Closure(D(2027, 12, 25), "staff party"),
                                      Closure(D(2027, 12, 25), "staff party"),
                                      Closure(D(2027, 12, 28))))
    assert site.closure(D(2027, 12, 25)) == ("public holiday (Christmas Day); site closure "
                                             "(staff party); closed on Saturdays")
    assert site.closure(D(2027, 12, 28)) == "site closure"
    assert site.closure(D(2027, 12, 27)) is None
    assert site.describe() == (
        "closed on Saturdays and Sundays; public holidays of FR (holidays "
        f"{site.holidays_version}, observed dates); 2 site closures")
    assert SiteCalendar().describe() == "no closed days"
    assert SiteCalendar(closed=("sun",)).describe() == "closed on Sundays"
    assert SiteCalendar(closed=("sat", "mon", "sun")).describe() == (
        "closed on Mondays, Saturdays and Sundays")


def test_the_holidays_version_is_the_package_version() -> None:
    import holidays

    assert SiteCalendar(holidays="FR").holidays_version == holidays.__version__
    assert SiteCalendar(closed=("sun",)).holidays_version is None


def test_frozen_hashable_and_pickled() -> None:
    site = SiteCalendar(closed=("sat",), holidays="US-CA", closed_dates=(Closure(D(2027, 1, 5)),))
    assert pickle.loads(pickle.dumps(site)) == site
    assert hash(site) == hash(SiteCalendar(closed=("sat",), holidays="US-CA",
                                           closed_dates=(Closure(D(2027, 1, 5)),)))
    with pytest.raises(AttributeError):
        site.closed = ()  # type: ignore[misc]


def test_names_do_not_follow_the_process_locale() -> None:
    program = ("import datetime, regimens; print(regimens.SiteCalendar(holidays='FR')"
               ".holiday(datetime.date(2027, 12, 25)))")
    for lang in ("C", "fr_FR.UTF-8", "de_DE.UTF-8"):
        out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                             check=True, env={"LANG": lang, "LC_ALL": lang, "LANGUAGE": "fr"})
        assert out.stdout == "Christmas Day\n"


def test_a_missing_holidays_package_names_the_extra() -> None:
    program = ("import sys; sys.modules['holidays'] = None\n"
               "import regimens\n"
               "try:\n    regimens.SiteCalendar(holidays='FR')\n"
               "except regimens.ExpandOptionError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True)
    assert out.stdout == ("holidays: public holidays need the holidays package: pip install "
                          "'regimens[holidays]'\n")


def test_the_holidays_package_is_imported_only_when_used() -> None:
    program = ("import sys, regimens\n"
               "regimens.SiteCalendar(closed=('sat',))\n"
               "print('holidays' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True)
    assert out.stdout == "False\n"
    assert regimens.SiteCalendar.__module__ == "regimens"
