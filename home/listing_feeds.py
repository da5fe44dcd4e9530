"""The feed of a listing's pages, for any listing built on ``home.listing``'s filters.

A content app subclasses ``ListingFeed`` with its listing's pages (``pages()``), its items
(``items()``), how an item's content reads (``content_parts()``) and its date
(``item_pubdate()``); everything else (the 304s from one remembered aggregate, the log-based
Last-Modified, the channel, GUIDs, full content rendered once per content version, the image
enclosure, the ``_ccin`` identity) is here, the same for every listing. ``serve_feed`` answers
one format, or a plain 404 naming the filter values the listing does not know; the listing
advertises its feeds with ``listing_feed_links``.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from django.contrib.contenttypes.models import ContentType
from django.contrib.syndication.views import Feed
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.feedgenerator import SyndicationFeed
from django.utils.html import escape
from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry

from caching.versions import remember

from .feeds import FEED_TYPES, ConditionalFeedMixin, absolutise_urls, feed_links, page_identity
from .hosts import absolute_url, site_root_url
from .images import SOCIAL_FILTER, rendition_or_none
from .models import SiteSettings

if TYPE_CHECKING:
    from .listing import FilterSet

FEED_SIZE = 20


def social_renditions() -> QuerySet:
    """The rendition rows an item's image enclosure uses, for ``Prefetch(…renditions)``."""
    return get_image_model().get_rendition_model().objects.filter(filter_spec=SOCIAL_FILTER)


def latest_logged(name: str, models: list[type[Page]]) -> datetime | None:
    """The newest entry Wagtail logged for pages of these types (remembered until content
    changes, as every logged action changes content)."""

    def read() -> datetime | None:
        types = [ContentType.objects.get_for_model(model) for model in models]
        return PageLogEntry.objects.filter(content_type__in=types).aggregate(
            latest=Max("timestamp")
        )["latest"]

    return remember(f"{name}:feed-logged", read)


def serve_feed(
    feed: type[ListingFeed], index: Page, filters: FilterSet, name: str
) -> Callable[[HttpRequest], HttpResponse]:
    """The view of one listing's feed in one format (``rss``, ``atom``, ``json``), or a plain
    404 naming the filter values the listing does not know."""
    if filters.unknown:
        return lambda request: filters.not_found()
    return feed.view(index, FEED_TYPES[name], filters)


def listing_feed_links(index: Page, filters: FilterSet, subject: str) -> list[dict[str, str]]:
    """The feeds of a listing as shown, its filters kept: for ``<link rel="alternate">`` and
    ``components/feed_links.html``."""
    query = filters.query_string
    if filters.labels:
        subject = f"{subject}: {', '.join(filters.labels)}"
    return feed_links(f"{index.url or ''}feed/{'?' + query if query else ''}", subject)


class ListingFeed(ConditionalFeedMixin, Feed):
    """A feed of one listing's live, public pages, narrowed by its filters."""

    feed_type: type[SyndicationFeed]
    noun: ClassVar[str]  # "publications": the channel's title after the site's short name
    memo: ClassVar[str]  # the remember() key's prefix

    def __init__(self, index: Page, feed_type: type[SyndicationFeed], filters: FilterSet):
        super().__init__()
        self.index = index
        self.feed_type = feed_type
        self.filters = filters
        self._state: dict | None = None
        self._urls: dict[int, str] = {}

    def pages(self) -> QuerySet:
        """The listing's live, public pages the filters keep (nothing loaded with them)."""
        raise NotImplementedError

    # Conditional GET ---------------------------------------------------------------------

    def state(self) -> dict:
        """How many pages the feed has and when one was last (re)published: one query per
        content version and filter combination."""
        if self._state is None:
            self._state = remember(
                f"{self.memo}:feed-state:{self.index.pk}:{self.filters.query_string}",
                lambda: (
                    self.pages()
                    .order_by()
                    .aggregate(count=Count("pk"), latest=Max("last_published_at"))
                ),
            )
        return self._state

    def validators(self) -> list[str]:
        latest = self.state()["latest"]
        return [
            self.filters.query_string,
            str(self.state()["count"]),
            latest.isoformat() if latest else "",
        ]

    def last_changed(self) -> datetime | None:
        """When Wagtail last logged a change to the listing or one of its pages (a publish,
        an unpublish, a move, a privacy setting): a page that leaves the feed makes nothing
        the feed still holds newer, but a reader sending only If-Modified-Since must still
        get the feed without it."""
        return latest_logged(self.memo, [self.pages().model, type(self.index)])

    def last_modified(self, request: HttpRequest, *args, **kwargs) -> datetime | None:
        candidates = (self.state()["latest"], self.index.last_published_at, self.last_changed())
        dates = [d for d in candidates if d]
        return max(dates) if dates else None

    # Channel -----------------------------------------------------------------------------

    def site_settings(self) -> SiteSettings:
        return SiteSettings.for_request(self.request)

    def title(self) -> str:
        title = f"{self.site_settings().short_name} {self.noun}"
        return f"{title}: {', '.join(self.filters.labels)}" if self.filters.labels else title

    def query(self) -> str:
        query = self.filters.query_string
        return f"?{query}" if query else ""

    def link(self) -> str:
        return self.index.get_full_url(self.request) + self.query()

    def feed_url(self) -> str:
        # The site's address, as the item links: not whatever host the request names.
        return absolute_url(self.request, self.request.path) + self.query()

    def description(self) -> str:
        summary = getattr(self.index, "summary", "") or self.index.search_description
        return summary or f"{self.noun.capitalize()} of the {self.author_name()}."

    def subtitle(self) -> str:  # Atom's name for the description
        return self.description()

    def author_name(self) -> str:
        return self.site_settings().organisation_name

    # Items -------------------------------------------------------------------------------

    def full_url(self, item: Page) -> str:
        if item.pk not in self._urls:
            self._urls[item.pk] = item.get_full_url(self.request)
        return self._urls[item.pk]

    def item_title(self, item: Page) -> str:
        return item.title

    def item_description(self, item: Page) -> str:
        return escape(item.summary or item.search_description or item.listing_meta)

    def item_link(self, item: Page) -> str:
        return self.full_url(item)

    def item_guid(self, item: Page) -> str:
        # The permalink: Wagtail redirects the old address if an editor changes the slug.
        return self.full_url(item)

    def item_guid_is_permalink(self, item: Page) -> bool:
        return True

    def item_updateddate(self, item: Page) -> datetime | None:
        return item.last_published_at

    def item_extra_kwargs(self, item: Page) -> dict:
        return {
            "content_html": self.content(item),
            "image": self.image(item),
            **page_identity(item),
        }

    def content_parts(self, item: Page) -> list[str]:
        """The page's content as HTML fragments, in the order its page shows them."""
        raise NotImplementedError

    def content(self, item: Page) -> str:
        """The page's full content with absolute links, rendered once per content version
        and site address."""
        link = self.full_url(item)

        def render() -> str:
            return absolutise_urls("\n".join(str(p) for p in self.content_parts(item)), link)

        root = site_root_url(self.request)
        return remember(f"{self.memo}:feed-content:{item.pk}:{root}", render)

    def body_html(self, stream) -> str:
        return stream.render_as_block(context={"request": self.request}) if stream else ""

    def image(self, item: Page) -> dict[str, str] | None:
        """The page's sharing image at the size social sites use, as an enclosure."""
        image = item.social_image
        if image is None:
            return None
        rendition = rendition_or_none(image, SOCIAL_FILTER)
        if rendition is None:
            return None
        return {
            "url": absolute_url(self.request, rendition.url),
            "type": mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg",
            "width": str(rendition.width),
            "height": str(rendition.height),
        }
