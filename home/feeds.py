"""Feed machinery every listing's feeds share: RSS 2.0, Atom 1.0 and JSON Feed 1.1.

The convention (docs/feeds.md): a listing at ``<listing>/`` has its RSS at
``<listing>/feed/``, Atom at ``<listing>/feed/atom/`` and JSON Feed at
``<listing>/feed/json/``, each taking the listing's own filter query string.

The stable API, for any app's ``feeds.py``:

- ``ExtendedRssFeed``, ``ExtendedAtomFeed``, ``JsonFeed``: feed generators. Each reads the
  same item kwargs from ``Feed.item_extra_kwargs``: ``content_html`` (the full article, with
  absolute URLs), ``image`` (``{"url", "type", "width", "height"}``, strings) and Django's own
  ``updateddate``. A ``django.contrib.syndication.views.Feed`` subclass switches format by
  setting ``feed_type``. ``item_title`` should return plain text, ``item_description``
  HTML (JSON Feed's ``summary`` is that description as plain text).
- ``FEED_TYPES``: ``{"rss": ExtendedRssFeed, "atom": ExtendedAtomFeed, "json": JsonFeed}``,
  the format names in the address (``feed/``, ``feed/atom/``, ``feed/json/``).
- ``absolutise_urls(html, base_url)``: every href/src made absolute, for ``content_html``.
- ``feed_urls(rss_url)``: ``{"rss", "atom", "json"}`` addresses from the RSS one (the
  query string kept). ``feed_links(rss_url, subject)``: the same three as
  ``{"title", "type", "url", "format", "spoken", "subject"}`` dicts, for
  ``<link rel="alternate">`` (``title``: "Press releases (RSS)"; base.html's ``feeds``
  block loops over any type) and for ``{% include "components/feed_links.html" with
  feeds=... %}`` (the visible "Follow: RSS Atom JSON Feed", each link's accessible name
  "Press releases, RSS feed").
- ``ConditionalFeedMixin``: for a feed that can say cheaply, before it builds anything, what
  it would hold (``validators()``, ``last_modified()``): ETag and Last-Modified from those,
  a 304 without building the feed, and ``Cache-Control: public, max-age=FEED_MAX_AGE``.
  Use ``SomeFeed.view(*args, **kwargs)`` to get the view.
- ``revalidate(request, response)``: for a feed that builds anyway: an ETag of the bytes, the
  Last-Modified syndication set, a 304 when they match, and the same Cache-Control.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed, rfc3339_date
from django.utils.html import strip_tags
from django.utils.http import parse_http_date_safe
from django.views.decorators.http import condition

from caching.versions import content_version

__all__ = [
    "FEED_MAX_AGE",
    "FEED_TYPES",
    "ConditionalFeedMixin",
    "ExtendedAtomFeed",
    "ExtendedRssFeed",
    "JsonFeed",
    "absolutise_urls",
    "feed_links",
    "feed_urls",
    "revalidate",
]

# Readers and CDNs may reuse a feed for a few minutes; conditional GETs keep polling cheap.
FEED_MAX_AGE = 300
URL_ATTRIBUTE = re.compile(r"""(\s(?:href|src|poster)=)(["'])(.*?)\2""", re.IGNORECASE)
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def absolutise_urls(html_text: str, base_url: str) -> str:
    """Make every href/src in rendered HTML absolute, so feed readers can follow them."""

    def replace(match: re.Match) -> str:
        attribute, quote, url = match.groups()
        return f"{attribute}{quote}{urljoin(base_url, url)}{quote}"

    return URL_ATTRIBUTE.sub(replace, html_text)


# Generators ----------------------------------------------------------------------------------


def add_media_element(handler, item: dict) -> None:
    """The listing image as Media RSS, which most readers show as the item's picture."""
    image = item.get("image")
    if image:
        handler.addQuickElement("media:content", "", {"medium": "image", **image})


class ExtendedRssFeed(Rss201rev2Feed):
    """RSS 2.0 with full content, the updated date and the listing image (as an enclosure
    and as Media RSS)."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dcterms": "http://purl.org/dc/terms/",
            "xmlns:media": "http://search.yahoo.com/mrss/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("updateddate") is not None:
            handler.addQuickElement("dcterms:modified", rfc3339_date(item["updateddate"]))
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        image = item.get("image")
        if image and not item.get("enclosures"):
            # RSS allows one enclosure; its length is required, and 0 is what the RSS
            # Advisory Board's profile says to give when the size is not known.
            handler.addQuickElement(
                "enclosure",
                "",
                {"url": image["url"], "length": image.get("length", "0"), "type": image["type"]},
            )
        add_media_element(handler, item)


class ExtendedAtomFeed(Atom1Feed):
    """Atom 1.0 with full content and the listing image (an enclosure link and Media RSS)."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": "http://search.yahoo.com/mrss/"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        image = item.get("image")
        if image and not item.get("enclosures"):
            handler.addQuickElement(
                "link", "", {"rel": "enclosure", "href": image["url"], "type": image["type"]}
            )
        add_media_element(handler, item)


class JsonFeed(SyndicationFeed):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1) from what the XML feeds are given."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding):
        json.dump(self.document(), outfile, ensure_ascii=False, separators=(",", ":"))

    def document(self) -> dict[str, Any]:
        feed = self.feed
        document: dict[str, Any] = {
            "version": JSON_FEED_VERSION,
            "title": feed["title"] or "",
            "home_page_url": feed["link"],
        }
        if feed.get("feed_url"):
            document["feed_url"] = feed["feed_url"]
        description = feed.get("subtitle") or feed.get("description")
        if description:
            document["description"] = plain_text(description)
        if feed.get("language"):
            document["language"] = feed["language"]
        authors = self.authors(feed)
        if authors:
            document["authors"] = authors
        document["items"] = [self.item(item) for item in self.items]
        return document

    @staticmethod
    def authors(source: dict) -> list[dict[str, str]]:
        if not source.get("author_name"):
            return []
        author = {"name": source["author_name"]}
        if source.get("author_link"):
            author["url"] = source["author_link"]
        return [author]

    def item(self, item: dict) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": item["unique_id"] or item["link"], "url": item["link"]}
        if item.get("title"):
            entry["title"] = item["title"]
        # One of content_html and content_text is required: the full article, or failing that
        # the description the XML feeds carry (HTML).
        entry["content_html"] = item.get("content_html") or item.get("description") or ""
        summary = plain_text(item.get("description") or "")
        if summary:
            entry["summary"] = summary
        image = item.get("image")
        if image:
            entry["image"] = image["url"]
        if item.get("pubdate") is not None:
            entry["date_published"] = rfc3339_date(item["pubdate"])
        if item.get("updateddate") is not None:
            entry["date_modified"] = rfc3339_date(item["updateddate"])
        authors = self.authors(item)
        if authors:
            entry["authors"] = authors
        if item.get("categories"):
            entry["tags"] = list(item["categories"])
        # For the site's own e-mail alerts (alerts/feeds.py): which page an item is, whatever
        # its address becomes, and when it was first published, whatever date it carries (a
        # case study is dated by the year of the work, a report by its own date).
        extension = {}
        if item.get("page_id") is not None:
            extension["page"] = item["page_id"]
        if item.get("first_published") is not None:
            extension["first_published"] = rfc3339_date(item["first_published"])
        if extension:
            entry["_ccin"] = extension
        return entry


def page_identity(page) -> dict[str, Any]:
    """Item kwargs naming the page an item is (``JsonFeed`` writes them as ``_ccin``); a
    deferred ``first_published_at`` is left out rather than read with a query per item."""
    identity: dict[str, Any] = {"page_id": page.pk}
    if "first_published_at" not in page.get_deferred_fields():
        identity["first_published"] = page.first_published_at
    return identity


def plain_text(html_text: str) -> str:
    """HTML (an RSS description) as the plain text JSON Feed's summary expects."""
    return html.unescape(strip_tags(html_text)).strip()


FEED_TYPES: dict[str, type[SyndicationFeed]] = {
    "rss": ExtendedRssFeed,
    "atom": ExtendedAtomFeed,
    "json": JsonFeed,
}
# How each format is named and served: (name in the address, label, what screen readers
# hear after the label, MIME type). The label is what the visible link says.
FORMATS = (
    ("", "RSS", " feed", "application/rss+xml"),
    ("atom/", "Atom", " feed", "application/atom+xml"),
    ("json/", "JSON Feed", "", "application/feed+json"),
)


# Links ---------------------------------------------------------------------------------------


def _split(rss_url: str) -> tuple[str, str]:
    path, _, query = rss_url.partition("?")
    return (path if path.endswith("/") else f"{path}/"), (f"?{query}" if query else "")


def feed_urls(rss_url: str) -> dict[str, str]:
    """The RSS, Atom and JSON Feed addresses of a listing from its RSS one (``…/feed/?q``)."""
    path, suffix = _split(rss_url)
    return {
        "rss": f"{path}{suffix}",
        "atom": f"{path}atom/{suffix}",
        "json": f"{path}json/{suffix}",
    }


def feed_links(rss_url: str, subject: str) -> list[dict[str, str]]:
    """The three feeds a listing advertises. ``subject`` says what they carry ("Press
    releases"); ``title`` is for ``<link rel="alternate">`` ("Press releases (RSS)");
    ``format`` is the visible link and ``spoken`` what its accessible name adds after it
    ("Press releases, RSS feed")."""
    path, suffix = _split(rss_url)
    return [
        {
            "title": f"{subject} ({label})",
            "type": mime_type,
            "url": f"{path}{name}{suffix}",
            "format": label,
            "spoken": spoken,
            "subject": subject,
        }
        for name, label, spoken, mime_type in FORMATS
    ]


# Conditional GET -----------------------------------------------------------------------------


def finish(response: HttpResponse, max_age: int = FEED_MAX_AGE) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=max_age)
    return response


def revalidate(
    request: HttpRequest, response: HttpResponse, *, max_age: int = FEED_MAX_AGE
) -> HttpResponse:
    """A built feed with an ETag of its bytes: a 304 when the reader has it already."""
    finish(response, max_age)
    set_response_etag(response)
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=response,
    )


class ConditionalFeedMixin:
    """For a ``Feed`` that knows cheaply what it would hold: answers a conditional GET with
    a 304 before building anything.

    A subclass gives ``validators()``: strings that change whenever the feed would (its
    filters, how many items, the newest date); the ETag adds the format, the host, the
    address and the content version. ``last_modified(request)`` gives the Last-Modified.
    """

    max_age = FEED_MAX_AGE
    request: HttpRequest

    @classmethod
    def view(cls, *args, **kwargs) -> Callable[[HttpRequest], HttpResponse]:
        feed = cls(*args, **kwargs)
        return condition(etag_func=feed.etag, last_modified_func=feed.last_modified)(feed)

    def validators(self) -> Iterable[str]:
        raise NotImplementedError

    def last_modified(self, request: HttpRequest, *args, **kwargs) -> datetime | None:
        raise NotImplementedError

    def etag(self, request: HttpRequest, *args, **kwargs) -> str:
        self.request = request
        parts = [
            type(self).__name__,
            getattr(self.feed_type, "__name__", ""),
            request.get_host(),
            request.get_full_path(),
            *self.validators(),
            str(content_version()),  # anything an item shows changed: not a 304
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.request = request
        response = super().__call__(request, *args, **kwargs)
        # Syndication sets Last-Modified from the newest item date; the conditional-GET
        # decorator sets the one that really changes when something is (un)published.
        if "Last-Modified" in response.headers:
            del response.headers["Last-Modified"]
        return finish(response, self.max_age)
