"""What an alert follows: a feed key, and the items its feed holds right now.

A feed key is a listing's RSS feed path and its filter query, sorted: ``/news/feed/?kind=
press-release&year=2026``. The alerts app knows no content app. It reads a feed by asking the
site itself, in-process, for the feed's JSON Feed variant (``/news/feed/json/?…``) at the default
site's address, through the whole middleware stack: the answer is exactly what a visitor gets,
so only live, public items are ever in it (never an embargoed, private or withdrawn page).
"""

from __future__ import annotations

import io
import json
import logging
import sys
import threading
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponseBase
from django.utils.dateparse import parse_datetime
from wagtail.models import Site

from caching.versions import forget_memo

logger = logging.getLogger(__name__)

MAX_KEY_LENGTH = 500
# Query parameters that choose a page of a listing, not what it holds.
# Parameters a listing's address may carry that do not change what its feed holds: paging,
# a table's order, campaign and click trackers.
NOT_FILTERS = {
    "page",
    "sort",
    "csort",
    "ksort",
    "format",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "fbclid",
    "gclid",
}
VARIANTS = ("atom/", "json/", "rss/")


@dataclass(frozen=True)
class Item:
    id: str
    url: str
    title: str
    summary: str = ""
    content_html: str = ""
    published: datetime | None = None


@dataclass
class FeedContent:
    key: str
    title: str
    home_page_url: str = ""
    items: list[Item] = field(default_factory=list)

    def item(self, item_id: str) -> Item | None:
        return next((item for item in self.items if item.id == item_id), None)


def normalise(value: str) -> str | None:
    """The feed key for a feed or listing address (any variant, any parameter order), or None.

    ``/news/feed/atom/?year=2026&kind=news`` and ``https://host/news/?kind=news&year=2026``
    both give ``/news/feed/?kind=news&year=2026``: one key, whichever address a visitor had.
    """
    if not value or len(value) > 2 * MAX_KEY_LENGTH or "\x00" in value:
        return None
    parts = urlsplit(value.strip())
    path = parts.path or "/"
    if not path.startswith("/") or "//" in path or ".." in path:
        return None
    if not path.endswith("/"):
        path += "/"
    if "/feed/" in path:
        path = path[: path.rindex("/feed/")] + "/feed/"
    else:
        path += "feed/"
    query = {}
    for name, item in parse_qsl(parts.query, keep_blank_values=False):
        if name not in NOT_FILTERS:  # the last of a repeated one, as the listings read it
            query[name] = item.strip()
    query = {name: item for name, item in query.items() if item}
    key = path + (f"?{urlencode(sorted(query.items()))}" if query else "")
    return key if len(key) <= MAX_KEY_LENGTH else None


def json_path(key: str) -> str:
    path, _, query = key.partition("?")
    return path + "json/" + (f"?{query}" if query else "")


def feed_url(key: str) -> str:
    """The feed's RSS address, absolute."""
    return site_root_url() + key


def site_root_url() -> str:
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site is not None else ""


_handler: BaseHandler | None = None
_handler_lock = threading.Lock()


def handler() -> BaseHandler:
    """Django's request handler with the site's middleware, loaded once per process."""
    global _handler
    with _handler_lock:
        if _handler is None:
            loaded = BaseHandler()
            loaded.load_middleware()
            _handler = loaded
    return _handler


def get(site: Site, path: str) -> HttpResponseBase:
    """GET ``path`` from the site in this process, as a visitor at the site's address would.

    Not through ``django.test.Client``: it fires request_started and request_finished and
    unhooks Django's connection clean-up for every thread while it does.
    """
    # Over "https" where the site is served so (or redirects there), as a visitor asks.
    secure = site.port == 443 or getattr(settings, "SECURE_SSL_REDIRECT", False)
    path_info, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": site.hostname,
        "SERVER_PORT": str(site.port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}",
        "HTTP_ACCEPT": "application/feed+json, application/json",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "https" if secure else "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    return handler().get_response(WSGIRequest(environ))


def fetch(key: str) -> FeedContent | None:
    """The feed's title and items now, as a visitor would read them; None if it is no feed."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    # A worker between requests may hold the content version it read a moment ago; read it
    # afresh, so the page cache cannot answer with the feed as it was before a publish.
    forget_memo()
    try:
        response = get(site, json_path(key))
    except Exception:  # a broken feed must not stop the others being sent
        logger.exception("Reading the feed %s failed", key)
        return None
    if response.status_code != 200 or "json" not in response.get("Content-Type", ""):
        return None
    try:
        data = json.loads(response.content)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        return None
    items = []
    for entry in data["items"]:
        if not isinstance(entry, dict) or not entry.get("id"):
            continue
        # The site's feeds name the page an item is and when it was first published
        # (home.feeds.JsonFeed's "_ccin"): an item keeps its identity when its address
        # changes, and a case study dated by an older year is still new when it is added.
        own = entry.get("_ccin") if isinstance(entry.get("_ccin"), dict) else {}
        page = own.get("page")
        first_published = own.get("first_published") or entry.get("date_published") or ""
        items.append(
            Item(
                id=f"page:{page}" if isinstance(page, int) else str(entry["id"])[:500],
                url=str(entry.get("url") or ""),
                title=str(entry.get("title") or ""),
                summary=str(entry.get("summary") or ""),
                content_html=str(entry.get("content_html") or ""),
                published=parse_datetime(str(first_published)),
            )
        )
    return FeedContent(
        key=key,
        title=str(data.get("title") or key)[:255],
        home_page_url=str(data.get("home_page_url") or ""),
        items=items,
    )
