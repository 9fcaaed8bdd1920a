"""Publish a schedule to a CalDAV calendar collection (RFC 4791).

One calendar object resource per UID, each a complete VCALENDAR with the
VTIMEZONEs its times need (RFC 4791 §4.1: one UID per resource, no METHOD).
Publishing again updates the resources in place: an event whose content did
not change is left alone, a changed one is written with a higher SEQUENCE, and
an event that left the schedule is deleted. Every write is conditional on the
resource being as it was read (RFC 7232: ``If-Match`` with its ETag for an
update or a deletion, ``If-None-Match: *`` for a creation), so two publishes
running at once never silently overwrite each other: the one that finds a
resource changed stops with :class:`PublishError` and says to run it again.
Only events this tool made for this regimen and participant (UIDs
``uid_prefix(schedule)...@regimens``) are ever touched; anything else in the
collection is left as it is.

The ``caldav`` package is imported only here (``pip install 'regimens[caldav]'``).
The password is never printed, logged or put into an error message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from ..errors import ExpandOptionError, ExpandOptionTypeError, PublishError
from ..format import INVISIBLE
from ._ics import to_ics
from ._ics_text import UID_DOMAIN, clean_text, uid_prefix
from ._reminders import Reminder

if TYPE_CHECKING:
    from ..engine import Schedule

__all__ = ["PublishSummary", "publish"]

#: Seconds to wait for the server on each request.
TIMEOUT = 30
_CALDAV_CALENDAR = "{urn:ietf:params:xml:ns:caldav}calendar"
_ICS = {"Content-Type": "text/calendar; charset=utf-8"}
_CALENDAR_DATA = "{urn:ietf:params:xml:ns:caldav}calendar-data"
# RFC 4791 §7.8: every VEVENT resource, with its ETag (RFC 4918 §15.6) and its data.
_EVENTS_QUERY = ('<?xml version="1.0" encoding="utf-8"?>'
                 '<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
                 "<D:prop><D:getetag/><C:calendar-data/></D:prop>"
                 '<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/>'
                 "</C:comp-filter></C:filter></C:calendar-query>")


@dataclass(frozen=True)
class PublishSummary:
    """What one publication did to the collection: counts of this schedule's events.

    ``str(summary)`` is the line ``regimens publish`` prints.
    """

    url: str  # the collection, without any credentials
    created: int
    updated: int
    unchanged: int
    deleted: int

    @property
    def events(self) -> int:
        """Events of the schedule now on the server."""
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        return (f"published {self.events} event{'s' if self.events != 1 else ''} to {self.url}: "
                f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.deleted} deleted")


def safe_url(url: str) -> str:
    """The URL without a user name, password or query, fit for a message.

    A query may carry a token (``?token=...``): it is shown as ``?...``.

    >>> safe_url("https://bot:s3cret@cal.example.org:8443/bot/p-017/")
    'https://cal.example.org:8443/bot/p-017/'
    >>> safe_url("ftp://cal.example.org/x/?token=s3cret")
    'ftp://cal.example.org/x/?...'
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host + (f":{port}" if port is not None else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "..." if parts.query else "", ""))


def _without_userinfo(url: str) -> str:
    """``url`` without ``user:password@``.

    >>> _without_userinfo("https://bot:pass word@cal.example.org/x/")
    'https://cal.example.org/x/'
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    authority, slash, path = rest.partition("/")
    return scheme + sep + authority.rpartition("@")[2] + slash + path


def _collection_url(url: str) -> str:
    if isinstance(url, str) and any(ch.isspace() or not ch.isprintable()
                                    for ch in _without_userinfo(url.strip())):
        # A URL holds no space or control character (RFC 3986 section 2): the HTTP
        # client would fail deep inside with a traceback. (The user name and password
        # are sent apart, and may hold spaces.)
        raise PublishError("not a CalDAV URL (it contains a space or a control character; "
                           "write a space as %20): give http://HOST/PATH/ or "
                           "https://HOST/PATH/")
    try:
        parts = urlsplit(url.strip() if isinstance(url, str) else "")
        _ = parts.port  # raises ValueError for a port out of range
    except ValueError as exc:
        raise PublishError(f"not a CalDAV URL ({exc}): give http://HOST/PATH/ or "
                           "https://HOST/PATH/") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PublishError(f"not a CalDAV URL: give http://HOST/PATH/ or https://HOST/PATH/ "
                           f"(got {safe_url(url) if isinstance(url, str) else url!r})")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _xml_text(text: str) -> str:
    """``text`` as XML character data (``xml.sax.saxutils.escape``, whose import pulls in
    ``urllib.request``, ``http.client`` and ``email``: tens of milliseconds at every start)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _os_reason(exc: BaseException) -> str | None:
    """The system's words for the failure under ``exc`` (``Connection refused``), or None.

    HTTP clients wrap the socket's ``OSError`` in their own exceptions (as a cause, a
    context, a ``reason`` attribute or an argument); the first one that carries an errno
    and its text is the failure a person can act on. Read from the fields, never by
    parsing an exception's message."""
    queue, seen = [exc], set()
    while queue:
        err = queue.pop(0)
        if id(err) in seen:
            continue
        seen.add(id(err))
        if isinstance(err, OSError) and err.errno is not None and err.strerror:
            return str(err.strerror).strip()
        queue.extend(x for x in (err.__cause__, err.__context__, getattr(err, "reason", None),
                                 *err.args) if isinstance(x, BaseException))
    return None


def _unreachable(url: str, exc: BaseException) -> PublishError:
    reason = _os_reason(exc) or type(exc).__name__
    return PublishError(f"cannot reach the CalDAV server at {safe_url(url)}: {reason}",
                        url=safe_url(url))


def _refused(url: str, status: int | None, what: str) -> PublishError:
    if status == 401:
        return PublishError(f"the CalDAV server refused the credentials for {safe_url(url)} "
                            f"(HTTP {status}); check --user and --password-file",
                            url=safe_url(url), status=status)
    if status == 403:
        # Forbidden is not "wrong password": the server knows who asks and says no.
        return PublishError(f"the CalDAV account lacks permission to {what} at "
                            f"{safe_url(url)} (HTTP 403 Forbidden); the server accepted who "
                            "is asking but denies this on that calendar: ask its administrator "
                            "for write access, or publish to a calendar the account may write",
                            url=safe_url(url), status=status)
    code = f" (HTTP {status})" if status else ""
    return PublishError(f"the CalDAV server at {safe_url(url)} refused to {what}{code}",
                        url=safe_url(url), status=status)


class _Changed(Exception):
    """A conditional write found the resource changed since it was read (HTTP 412)."""

    def __init__(self, href: str) -> None:
        self.href = href


class _Collection:
    """The few WebDAV requests publishing needs, each checked, none raising caldav errors."""

    def __init__(self, url: str, user: str | None, password: str | None) -> None:
        from caldav.davclient import DAVClient
        from caldav.lib import error

        self.url = url
        self.error: Any = error
        client: Any = DAVClient(url=url, username=user, password=password, timeout=TIMEOUT)
        self.client = client
        self.calendar: Any = client.calendar(url=url)

    def _call(self, what: str, func: Any, *args: Any) -> Any:
        try:
            return func(*args)
        except self.error.AuthorizationError as exc:
            raise _refused(self.url, getattr(exc, "status", None) or 401, what) from None
        except self.error.NotFoundError:
            raise
        except self.error.DAVError as exc:
            raise _refused(self.url, getattr(exc, "status", None), what) from None
        except OSError as exc:  # connection refused, DNS, TLS, timeout
            raise _unreachable(self.url, exc) from None

    def _request(self, what: str, url: str, method: str, body: str = "",
                 headers: dict[str, str] | None = None, ok: tuple[int, ...] = (200,)) -> int:
        response = self._call(what, self.client.request, url, method, body, headers or {})
        status = int(getattr(response, "status", 0) or 0)
        if status == 412 and headers and ("If-Match" in headers or "If-None-Match" in headers):
            raise _Changed(url)
        if status not in ok:
            raise _refused(url, status, what)
        return status

    def resource_type(self) -> list[str] | None:
        """The collection's resource types, or None if nothing is at the URL."""
        from caldav.elements import dav

        try:
            props = self._call("describe the collection", self.calendar.get_properties,
                               [dav.ResourceType()])
        except self.error.NotFoundError:
            return None
        kinds = props.get("{DAV:}resourcetype") if isinstance(props, dict) else None
        if kinds is None:
            return []
        return [str(k) for k in (kinds if isinstance(kinds, list | tuple) else [kinds])]

    def create(self, name: str) -> None:
        body = ('<?xml version="1.0" encoding="utf-8"?>'
                '<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
                f"<D:set><D:prop><D:displayname>{_xml_text(name)}</D:displayname>"
                '<C:supported-calendar-component-set><C:comp name="VEVENT"/>'
                "</C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>")
        headers = {"Content-Type": "application/xml; charset=utf-8"}
        what = "create the calendar"
        response = self._call(what, self.client.request, self.url, "MKCALENDAR", body, headers)
        status = int(getattr(response, "status", 0) or 0)
        if status == 409:
            # RFC 4791 §5.3.1.2: the parent is missing; create it (one level only).
            parent = self.url.rstrip("/").rsplit("/", 1)[0] + "/"
            self._request(what, parent, "MKCOL", ok=(200, 201))
            status = self._request(what, self.url, "MKCALENDAR", body, headers, ok=(200, 201))
        elif status not in (200, 201):
            raise _refused(self.url, status, what)

    def events(self) -> list[tuple[str, str, str]]:
        """(href, ETag, iCalendar text) of every event resource in the collection."""
        what = "list the calendar's events"
        response = self._call(what, self.client.request, self.url, "REPORT", _EVENTS_QUERY,
                              {"Content-Type": "application/xml; charset=utf-8", "Depth": "1"})
        status = int(getattr(response, "status", 0) or 0)
        if status != 207:
            raise _refused(self.url, status, what)
        tree = getattr(response, "tree", None)
        out: list[tuple[str, str, str]] = []
        for item in tree.iter("{DAV:}response") if tree is not None else ():
            href = (item.findtext("{DAV:}href") or "").strip()
            etag = data = ""
            for prop in item.iter("{DAV:}prop"):
                etag = etag or (prop.findtext("{DAV:}getetag") or "").strip()
                data = data or prop.findtext(_CALENDAR_DATA) or ""
            if href and data:
                out.append((urljoin(self.url, href), etag, data))
        return out

    def put(self, href: str, data: bytes, *, etag: str | None) -> None:
        """Store a resource: a new one (``etag`` None) only if nothing is there, an existing
        one only if it still has ``etag``."""
        condition = ({"If-None-Match": "*"} if etag is None else
                     {"If-Match": etag} if etag else {})  # no ETag given: cannot condition
        self._request("store an event", href, "PUT", data.decode("utf-8"),
                      dict(_ICS, **condition), ok=(200, 201, 204))

    def delete(self, href: str, etag: str) -> None:
        self._request("delete an event", href, "DELETE",
                      headers={"If-Match": etag} if etag else None, ok=(200, 204, 404))

    def close(self) -> None:
        close = getattr(self.client, "close", None)
        if close is not None:
            close()


def _ours(data: str, prefix: str) -> list[Any]:
    """The VEVENTs of one resource that this tool made for this participant."""
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(data)
    except ValueError:
        return []
    return [e for e in calendar.walk("VEVENT")
            if str(e.get("UID", "")).startswith(prefix)
            and str(e.get("UID", "")).endswith(UID_DOMAIN)]


def _resource(calendar: Any, event: Any) -> bytes:
    """One VCALENDAR holding ``event`` and the VTIMEZONEs it refers to."""
    from icalendar import Calendar

    out = Calendar()
    for key in ("PRODID", "VERSION", "CALSCALE"):
        out.add(key, calendar[key])
    tzids = {str(event[key].params["TZID"]) for key in ("DTSTART", "DTEND")
             if key in event and "TZID" in event[key].params}
    for zone in calendar.walk("VTIMEZONE"):
        if str(zone["TZID"]) in tzids:
            out.add_component(zone)
    out.add_component(event)
    data: bytes = out.to_ical()
    return data


def _same(old: Any, new: Any) -> bool:
    def key(event: Any) -> tuple[str, str, str]:
        return (str(event.get("X-REGIMENS-DIGEST", "")), str(event.get("SEQUENCE", "0")),
                str(event.get("STATUS", "")))

    return key(old) == key(new)


@dataclass
class _Progress:
    """The writes of one publication, counted as they succeed."""

    total: int
    report: Callable[[int, int], None] | None
    created: int = 0
    updated: int = 0
    deleted: int = 0

    def done(self, kind: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        if self.report is not None:
            self.report(self.created + self.updated + self.deleted, self.total)

    def stored(self) -> str:
        """``"; before that, 3 of 7 changes were stored (...)"`` or ``""`` if none was."""
        n = self.created + self.updated + self.deleted
        if not n:
            return ""
        return (f"; before that, {n} of {self.total} change{'s' if self.total != 1 else ''} "
                f"{'was' if n == 1 else 'were'} stored ({self.created} created, {self.updated} "
                f"updated, {self.deleted} deleted), and publishing again completes the rest")


#: What a calendar name (``publish(calendar=...)``) is.
_CALENDAR_NAME = ("a calendar name is one line of visible text: no control, bidirectional or "
                  "zero-width characters, not empty")


def publish(
    schedule: Schedule,
    url: str,
    *,
    stamp: datetime,
    user: str | None = None,
    password: str | None = None,
    blinded: bool | None = None,
    reminders: Sequence[Reminder | str] = (),
    calendar: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PublishSummary:
    """Upload ``schedule`` to the CalDAV collection at ``url``; return what changed.

    The collection is created if nothing is at ``url`` (``calendar`` is then
    its display name; default: the regimen's title and the participant label).
    ``stamp``, ``blinded`` and ``reminders`` are those of :meth:`Schedule.to_ics`.
    One calendar object resource per event UID (:rfc:`4791#section-4.1`).
    ``progress(done, total)`` is called after each event stored or deleted.

    Every write is conditional (:rfc:`7232`): an update or a deletion carries
    ``If-Match`` with the ETag read, a creation ``If-None-Match: *``, so a
    concurrent publish is never overwritten silently.

    Raises:
        ExpandOptionError: what :meth:`Schedule.to_ics` refuses, or a ``calendar``
            name that is empty or holds invisible characters, before the server is
            contacted.
        PublishError: the ``caldav`` package missing (``regimens[caldav]``), a
            malformed URL, the server unreachable, the credentials refused (401),
            the permission denied (403), ``url`` not a calendar collection, or an
            event changed on the server since it was read (412). One that stops a
            publication part-way says what was stored; publishing again completes
            it. The password is never in a message.
    """
    from icalendar import Calendar


    target = _collection_url(url)
    prefix = uid_prefix(schedule)
    # Everything that can be refused without the server is checked before it is touched
    # (nothing is created for a publish that would fail on a time zone or a reminder).
    to_ics(schedule, stamp=stamp, blinded=blinded, reminders=reminders)
    for option, given, what in (("user", user, "the user name"),
                                ("password", password, "the password")):
        if given is not None and not isinstance(given, str):
            # A password is never shown in a message.
            raise ExpandOptionTypeError(option, f"{what}, text, or None",
                                        given if option == "user" else None)
    if progress is not None and not callable(progress):
        raise ExpandOptionTypeError("progress", "a function called with (done, total) after "
                                    "each event stored or deleted, or None", progress)
    if calendar is not None and not isinstance(calendar, str):
        raise ExpandOptionTypeError("calendar", _CALENDAR_NAME, calendar)
    if calendar is not None and (not calendar.strip() or any(
            c in INVISIBLE or not (c.isprintable() or c == " ") for c in calendar)):
        # The name a participant reads in their calendar app, as the regimen's own names.
        raise ExpandOptionError("calendar", _CALENDAR_NAME, calendar)
    try:
        import caldav  # noqa: F401
    except ImportError:
        raise PublishError("publishing needs the caldav package: "
                           "pip install 'regimens[caldav]'") from None
    collection = _Collection(target, user, password)
    try:
        kinds = collection.resource_type()
        if kinds is None:
            label = schedule.participant.label
            name = calendar if calendar is not None else (
                schedule.regimen.title + (f" - {label}" if label else ""))
            collection.create(clean_text(name, single_line=True) or schedule.regimen.id)
        elif _CALDAV_CALENDAR not in kinds:
            raise PublishError(f"{safe_url(target)} is not a CalDAV calendar collection; "
                               "give the URL of a calendar (or of a new one to create)",
                               url=safe_url(target))

        existing: dict[str, tuple[str, str, Any]] = {}
        for href, etag, data in collection.events() if kinds is not None else []:
            for event in _ours(data, prefix):
                existing[str(event["UID"])] = (href, etag, event)
        previous = Calendar()
        previous.add("PRODID", "-//regimens//published//EN")
        previous.add("VERSION", "2.0")
        for _, _, event in existing.values():
            previous.add_component(event)
        exported = Calendar.from_ical(to_ics(schedule, stamp=stamp, blinded=blinded,
                                             reminders=reminders,
                                             previous=previous.to_ical() if existing else None))

        # The plan first, so that progress can say how many writes there are.
        writes: list[tuple[str, str, Any, str | None]] = []  # kind, href, event, ETag
        unchanged = 0
        current = set()
        for event in exported.walk("VEVENT"):
            if str(event.get("STATUS", "")) == "CANCELLED":
                continue  # removed events are deleted below, not sent as cancelled
            uid = str(event["UID"])
            current.add(uid)
            if uid in existing:
                href, etag, old = existing[uid]
                if _same(old, event):
                    unchanged += 1
                else:
                    writes.append(("updated", href, event, etag))
            else:
                writes.append(("created", target + quote(uid, safe="") + ".ics", event, None))
        writes += [("deleted", href, None, etag) for uid, (href, etag, _) in existing.items()
                   if uid not in current]
        done = _Progress(len(writes), progress)
        try:
            for kind, where, event, tag in writes:
                if kind == "deleted":
                    collection.delete(where, tag or "")
                else:
                    collection.put(where, _resource(exported, event), etag=tag)
                done.done(kind)
        except _Changed as exc:
            raise PublishError(
                f"the event {safe_url(exc.href)} changed on the CalDAV server after this "
                "publish read it (HTTP 412 Precondition Failed: another publish or another "
                "client wrote it meanwhile), so it was not overwritten; run the publish "
                f"again to merge with what the calendar holds now{done.stored()}",
                url=safe_url(target), status=412) from None
        except PublishError as exc:
            if not done.stored():
                raise
            raise PublishError(f"{exc.reason}{done.stored()}", url=exc.url,
                               status=exc.status) from None
    finally:
        collection.close()
    return PublishSummary(safe_url(target), done.created, done.updated, unchanged,
                          done.deleted)
