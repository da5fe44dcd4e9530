"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the newest case studies, for the whole library or
any combination of the finder's filters (``/case-studies/feed/``, ``feed/atom/``,
``feed/json/``; the order a visitor chose does not apply: a feed is newest added first).

Each item carries the whole case study (summary, outcomes and story, rendered as the page
shows them), its picture as an enclosure, its themes as categories, dated by the case study's
own year, and the date it was last updated.
"""

from __future__ import annotations

import mimetypes
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from django.contrib.contenttypes.models import ContentType
from django.contrib.syndication.views import Feed
from django.db.models import Max, Prefetch
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import http_date
from wagtail.images import get_image_model
from wagtail.models import PageLogEntry

from caching.versions import remember
from home.feeds import (
    ExtendedAtomFeed,
    ExtendedRssFeed,
    JsonFeed,
    absolutise_urls,
    page_identity,
    revalidate,
)
from home.hosts import absolute_url, site_root_url
from home.images import rendition_or_none
from home.models import SiteSettings

from .models.case_studies import CaseStudyPage

if TYPE_CHECKING:
    from .facets import CaseStudySearch
    from .models.library import CaseStudyIndexPage

FEED_LENGTH = 20
# What an item shows: title, link, summary or "council · year", dates, author, full content.
ITEM_FIELDS = (
    "title",
    "url_path",
    "summary",
    "outcomes",
    "body",
    "first_published_at",
    "last_published_at",
    "year",
    "other_organisations",
    "lead_council__name",
    "listing_image",
)
# The picture an item carries: the size the site's pages share (social cards, news feeds).
FEED_RENDITION = "fill-1200x630"


class CaseStudyFeed(Feed):
    """The most recently added case studies that match the library's filters."""

    # RSS 2.0 with content:encoded and dcterms:modified, as the news feeds.
    feed_type = ExtendedRssFeed

    def __init__(self, index_page: CaseStudyIndexPage, search: CaseStudySearch):
        super().__init__()
        self.index = index_page
        self.search = search
        self.request: HttpRequest | None = None

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.request = request
        response = super().__call__(request, *args, **kwargs)
        # Readers poll: let them and any CDN keep it a few minutes, and revalidate cheaply
        # (the ETag from the feed's bytes).
        changed = self.last_changed()
        if changed is not None:
            response["Last-Modified"] = http_date(changed.timestamp())
        return revalidate(request, response)

    def last_changed(self) -> datetime | None:
        """When anything in the library last changed: a publish, an unpublish, a move, a
        deletion, a privacy setting (Wagtail logs each). The newest item's date would not
        move when a case study leaves the feed, and a reader sending only If-Modified-Since
        would be told nothing changed. One query per content version."""
        dates = remember(
            f"casestudies:feed-changed:{self.index.pk}",
            lambda: PageLogEntry.objects.filter(
                content_type__in=[
                    ContentType.objects.get_for_model(CaseStudyPage),
                    ContentType.objects.get_for_model(type(self.index)),
                ]
            ).aggregate(latest=Max("timestamp"))["latest"],
        )
        candidates = [dates, self.index.last_published_at]
        return max((d for d in candidates if d), default=None)

    def title(self) -> str:
        description = self.search.description
        return "CCIN case studies" + (f": {description}" if description else "")

    def link(self) -> str:
        query = self.search.filter_query
        return self.index.get_full_url(self.request) + (f"?{query}" if query else "")

    def feed_url(self) -> str:
        # The site's address, as the links: not whatever host the request names.
        return absolute_url(self.request, self.request.get_full_path())

    def description(self) -> str:
        return (
            "The newest case studies from the Co-operative Councils' Innovation Network: "
            "how councils work with local people."
        )

    def author_name(self) -> str:
        # Atom wants an author for entries that have none (led by a non-member).
        return SiteSettings.for_request(self.request).organisation_name

    def items(self) -> list[CaseStudyPage]:
        """The newest matches, with only what an item shows (a page and a council are
        costly to build whole), and each one's theme names from one light query."""
        items = list(
            self.search.matching()
            .only(*ITEM_FIELDS)
            .select_related("lead_council", "listing_image")
            .prefetch_related(
                Prefetch(
                    "listing_image__renditions",
                    queryset=get_image_model()
                    .get_rendition_model()
                    .objects.filter(filter_spec=FEED_RENDITION),
                )
            )
            .order_by("-first_published_at", "-pk")[:FEED_LENGTH]
        )
        self.images: dict[int, dict[str, str] | None] = {}
        self.theme_names: dict[int, list[str]] = {}
        themes = (
            CaseStudyPage.themes.through.objects.filter(casestudypage_id__in=[i.pk for i in items])
            .order_by("theme__name")
            .values_list("casestudypage_id", "theme__name")
        )
        for pk, name in themes:
            self.theme_names.setdefault(pk, []).append(name)
        return items

    def item_title(self, item: CaseStudyPage) -> str:
        return item.title

    def item_description(self, item: CaseStudyPage) -> str:
        # HTML, as RSS descriptions are read: a summary's "&" or "<" is text.
        return escape(item.summary or item.listing_meta)

    def item_link(self, item: CaseStudyPage) -> str:
        return item.get_full_url(self.request)

    def item_guid(self, item: CaseStudyPage) -> str:
        return item.get_full_url(self.request)

    def item_pubdate(self, item: CaseStudyPage) -> datetime:
        """The work's own date: a case study has a year only, so 1 January of that year
        (not the day it was added to the site, which made 2014 work look new)."""
        return datetime(item.year, 1, 1, tzinfo=timezone.get_current_timezone())

    def item_updateddate(self, item: CaseStudyPage) -> datetime | None:
        return item.last_published_at

    def item_extra_kwargs(self, item: CaseStudyPage) -> dict:
        return {
            "content_html": self.content(item),
            "image": self.image(item),
            **page_identity(item),
        }

    def image(self, item: CaseStudyPage) -> dict[str, str] | None:
        """The case study's picture for the enclosure (``home.feeds``), once per image."""
        if item.listing_image is None:
            return None
        if item.listing_image_id not in self.images:
            rendition = rendition_or_none(item.listing_image, FEED_RENDITION)
            self.images[item.listing_image_id] = rendition and {
                "url": urljoin(site_root_url(self.request), rendition.url),
                "type": mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg",
                "width": str(rendition.width),
                "height": str(rendition.height),
            }
        found = self.images[item.listing_image_id]
        return dict(found) if found else None

    def content(self, item: CaseStudyPage) -> str:
        """The case study as its page tells it, links made absolute; rendered once per content
        version and site address."""
        link = item.get_full_url(self.request)

        def render() -> str:
            html = render_to_string(
                "casestudies/feed_item_content.html", {"page": item}, request=self.request
            )
            return absolutise_urls(html.strip(), link)

        return remember(f"casestudies:feed-content:{item.pk}:{site_root_url(self.request)}", render)

    def item_categories(self, item: CaseStudyPage) -> list[str]:
        return self.theme_names.get(item.pk, [])

    def item_author_name(self, item: CaseStudyPage) -> str:
        return item.lead_council.name if item.lead_council_id else ""


class CaseStudyAtomFeed(CaseStudyFeed):
    feed_type = ExtendedAtomFeed

    def subtitle(self) -> str:
        return self.description()


class CaseStudyJsonFeed(CaseStudyFeed):
    feed_type = JsonFeed


# The format in the address (feed/, feed/atom/, feed/json/) → the feed.
CASE_STUDY_FEEDS: dict[str, type[CaseStudyFeed]] = {
    "rss": CaseStudyFeed,
    "atom": CaseStudyAtomFeed,
    "json": CaseStudyJsonFeed,
}
