"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the publications and the policy projects.

Each listing's feeds take the listing's own filters as a query string
(``/publications/feed/?theme=housing&year=2022``, ``/policy-labs/feed/json/?status=active``);
a value the listing does not know is a plain 404 saying so. Each item carries the whole page
(summary, body, the report's download link or the project's outputs), its image as an
enclosure when it has one, its address as the GUID, and its themes or type as categories.
A reader that polls gets a 304 from one remembered aggregate query when nothing changed.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from django.contrib.contenttypes.models import ContentType
from django.contrib.syndication.views import Feed
from django.db.models import Count, F, Max, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import SyndicationFeed
from django.utils.html import escape, format_html, format_html_join
from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry

from caching.versions import remember
from home.feeds import FEED_TYPES, ConditionalFeedMixin, absolutise_urls, feed_links, page_identity
from home.hosts import absolute_url, site_root_url
from home.images import SOCIAL_FILTER, rendition_or_none
from home.models import SiteSettings

if TYPE_CHECKING:
    from home.listing import FilterSet

    from .models.policy import PolicyProjectPage
    from .models.publications import PublicationPage

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


class PublicationFeed(ListingFeed):
    """The newest reports, as /publications/ lists them (by their own date)."""

    noun = "publications"
    memo = "publications"

    def pages(self) -> QuerySet:
        return self.filters.narrow(self.index.publications())

    def items(self) -> list[PublicationPage]:
        return list(
            self.pages()
            .select_related("cover_image", "listing_image", "document")
            .prefetch_related(
                "partner_councils",
                "themes",
                Prefetch(
                    "cover_image__renditions",
                    queryset=social_renditions(),
                    to_attr="prefetched_renditions",
                ),
                Prefetch(
                    "listing_image__renditions",
                    queryset=social_renditions(),
                    to_attr="prefetched_renditions",
                ),
            )
            .order_by(
                F("year").desc(nulls_last=True),
                F("month").desc(nulls_last=True),
                "-first_published_at",
                "-pk",
            )[:FEED_SIZE]
        )

    def item_pubdate(self, item: PublicationPage) -> datetime | None:
        """The report's own date (the first of its month, or of its year), not the day it
        was put online; a report with no date, the day it was."""
        if not item.year:
            return item.first_published_at
        zone = timezone.get_current_timezone()
        return datetime(item.year, item.month or 1, 1, tzinfo=zone)

    def item_author_name(self, item: PublicationPage) -> str:
        names = [c.name for c in item.partner_councils.all()] + item.organisation_list
        return ", ".join(names) or self.author_name()

    def item_categories(self, item: PublicationPage) -> list[str]:
        return ["Publication", *(theme.name for theme in item.themes.all())]

    def content_parts(self, item: PublicationPage) -> list[str]:
        parts = [format_html("<p>{}</p>", item.summary)] if item.summary else []
        names = [c.name for c in item.partner_councils.all()] + item.organisation_list
        if names:
            parts.append(format_html("<p>Written with {}.</p>", ", ".join(names)))
        if item.date_display:
            parts.append(format_html("<p>Published {}.</p>", item.date_display))
        parts.append(self.body_html(item.body))
        if item.document is not None:
            label = "Download the " + ("summary sheet" if item.has_summary_sheet else "report")
            parts.append(format_html('<p><a href="{}">{}</a></p>', item.document.url, label))
        return parts


class PolicyProjectFeed(ListingFeed):
    """Policy Labs and Prototypes, newest on the site first, as /policy-labs/ filters them."""

    noun = "policy labs and prototypes"
    memo = "policy-labs"

    def pages(self) -> QuerySet:
        return self.filters.narrow(self.index.live_projects())

    def items(self) -> list[PolicyProjectPage]:
        return list(
            self.pages()
            .select_related("listing_image")
            .prefetch_related(
                "lead_councils",
                "partner_councils",
                Prefetch(
                    "listing_image__renditions",
                    queryset=social_renditions(),
                    to_attr="prefetched_renditions",
                ),
            )
            .order_by("-first_published_at", "-pk")[:FEED_SIZE]
        )

    def item_pubdate(self, item: PolicyProjectPage) -> datetime | None:
        return item.first_published_at

    def item_author_name(self, item: PolicyProjectPage) -> str:
        return item.lead_names or self.author_name()

    def item_categories(self, item: PolicyProjectPage) -> list[str]:
        return [item.get_project_type_display(), f"Round {item.round}", item.get_status_display()]

    def content_parts(self, item: PolicyProjectPage) -> list[str]:
        parts = [format_html("<p>{}</p>", item.summary)] if item.summary else []
        facts = [
            ("Type", f"{item.get_project_type_display()} (funding {item.funding_band})"),
            ("Round", item.round),
            ("Status", item.get_status_display()),
        ]
        if item.lead_names:
            facts.append(("Led by", item.lead_names))
        partners = [c.name for c in item.partner_councils.all()] + item.partner_list
        if partners:
            facts.append(("Partners", ", ".join(partners)))
        parts.append(
            format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", facts))
        )
        parts.append(self.body_html(item.body))
        if item.outputs:
            parts.append(format_html("<h2>{}</h2>", "Outputs"))
            parts.append(self.body_html(item.outputs))
        return parts
