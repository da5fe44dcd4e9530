"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 of Members' Update, the newsletter's archive.

Each item is a whole issue (summary, body and a link to its PDF), so a feed reader, or the
e-mail alerts that follow ``/members-update/feed/``, carry the issue itself.
"""

from __future__ import annotations

import mimetypes
from datetime import datetime, time
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.contrib.syndication.views import Feed
from django.db.models import Count, Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.feedgenerator import SyndicationFeed
from django.utils.html import escape, format_html
from wagtail.models import PageLogEntry

from caching.versions import remember
from home.feeds import ConditionalFeedMixin, ExtendedRssFeed, absolutise_urls, page_identity
from home.hosts import absolute_url, site_root_url
from home.images import SOCIAL_FILTER, rendition_or_none
from home.models import SiteSettings

if TYPE_CHECKING:
    from home.listing import FilterSet

    from .models.newsletter import MembersUpdateIndexPage, MembersUpdatePage, MembersUpdateQuerySet

FEED_SIZE = 20
NEWSLETTER_NAME = "Members' Update"


def issue_published(issue: MembersUpdatePage) -> datetime:
    """When the issue came out: the moment it was first published if that was on its issue
    date, else midday UK time that day (an old issue added to the archive later is dated by
    its issue date, not by the day it was put online; midday, so every time zone a reader
    is in shows that date)."""
    zone = timezone.get_current_timezone()
    first = issue.first_published_at
    if first is not None and timezone.localtime(first, zone).date() == issue.issue_date:
        return first
    return timezone.make_aware(datetime.combine(issue.issue_date, time(12)), zone)


class MembersUpdateFeed(ConditionalFeedMixin, Feed):
    """The newest issues of one Members' Update archive, in the format ``feed_type`` names."""

    feed_type: type[SyndicationFeed] = ExtendedRssFeed

    def __init__(
        self,
        index: MembersUpdateIndexPage,
        feed_type: type[SyndicationFeed],
        filters: FilterSet,
    ):
        super().__init__()
        self.index = index
        self.feed_type = feed_type
        self.filters = filters
        self._state: dict | None = None
        self._urls: dict[int, str] = {}

    # Conditional GET ---------------------------------------------------------------------

    def state(self) -> dict:
        """How many issues there are and when one was last (re)published: one query per
        content version (a publish, unpublish or move bumps it)."""
        if self._state is None:
            self._state = remember(
                f"members-update:feed-state:{self.index.pk}:{self.filters.query_string}",
                lambda: (
                    self.issues()
                    .order_by()
                    .aggregate(count=Count("pk"), latest=Max("last_published_at"))
                ),
            )
        return self._state

    def issues(self) -> MembersUpdateQuerySet:
        """The archive's live, public issues that the filters keep, newest first."""
        return self.filters.narrow(self.index.issues())

    def validators(self) -> list[str]:
        latest = self.state()["latest"]
        return [
            self.filters.query_string,
            str(self.state()["count"]),
            latest.isoformat() if latest else "",
        ]

    def last_changed(self) -> datetime | None:
        """When Wagtail last logged a change to the archive or an issue (a publish, an
        unpublish, a move, a privacy setting): an issue that leaves the feed makes nothing
        it still holds newer, but a reader sending only If-Modified-Since must still get
        the feed without it. Remembered until content changes."""

        def read() -> datetime | None:
            types = [
                ContentType.objects.get_for_model(model)
                for model in (self.index.issues().model, type(self.index))
            ]
            return PageLogEntry.objects.filter(content_type__in=types).aggregate(
                latest=Max("timestamp")
            )["latest"]

        return remember("members-update:feed-logged", read)

    def last_modified(self, request: HttpRequest, *args, **kwargs) -> datetime | None:
        candidates = (self.state()["latest"], self.index.last_published_at, self.last_changed())
        dates = [d for d in candidates if d]
        return max(dates) if dates else None

    # Channel -----------------------------------------------------------------------------

    def site_settings(self) -> SiteSettings:
        return SiteSettings.for_request(self.request)

    def title(self) -> str:
        title = f"{self.site_settings().short_name} {NEWSLETTER_NAME}"
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
        return self.index.feed_description or (
            f"Every issue of {NEWSLETTER_NAME}, the newsletter of the "
            f"{self.site_settings().organisation_name} to its members."
        )

    def subtitle(self) -> str:  # Atom's name for the description
        return self.description()

    def author_name(self) -> str:
        return self.site_settings().organisation_name

    # Items -------------------------------------------------------------------------------

    def items(self) -> list[MembersUpdatePage]:
        return list(self.issues().select_related("listing_image", "document")[:FEED_SIZE])

    def full_url(self, item: MembersUpdatePage) -> str:
        if item.pk not in self._urls:
            self._urls[item.pk] = item.get_full_url(self.request)
        return self._urls[item.pk]

    def item_title(self, item: MembersUpdatePage) -> str:
        return item.title

    def item_description(self, item: MembersUpdatePage) -> str:
        return escape(item.summary or item.search_description or item.listing_meta)

    def item_link(self, item: MembersUpdatePage) -> str:
        return self.full_url(item)

    def item_guid(self, item: MembersUpdatePage) -> str:
        # The permalink: Wagtail redirects the old address if an editor changes the slug.
        return self.full_url(item)

    def item_guid_is_permalink(self, item: MembersUpdatePage) -> bool:
        return True

    def item_pubdate(self, item: MembersUpdatePage) -> datetime:
        return issue_published(item)

    def item_updateddate(self, item: MembersUpdatePage) -> datetime:
        return max(filter(None, (item.last_published_at, issue_published(item))))

    def item_author_name(self, item: MembersUpdatePage) -> str:
        return self.author_name()

    def item_categories(self, item: MembersUpdatePage) -> list[str]:
        return [NEWSLETTER_NAME, str(item.issue_date.year)]

    def item_extra_kwargs(self, item: MembersUpdatePage) -> dict:
        return {
            "content_html": self.content(item),
            "image": self.image(item),
            **page_identity(item),
        }

    def content(self, item: MembersUpdatePage) -> str:
        """The issue as its page shows it, links made absolute; rendered once per content
        version and site address."""
        link = self.full_url(item)

        def render() -> str:
            parts = [format_html("<p>{}</p>", item.summary)] if item.summary else []
            if item.body:
                parts.append(item.body.render_as_block(context={"request": self.request}))
            if item.document is not None:
                parts.append(
                    format_html(
                        '<p><a href="{}">Download this issue</a> ({}{})</p>',
                        item.document.url,
                        item.document.file_extension.upper(),
                        f", {item.document.file_size // 1024} KB"
                        if item.document.file_size
                        else "",
                    )
                )
            return absolutise_urls("\n".join(str(part) for part in parts), link)

        root = site_root_url(self.request)
        return remember(f"members-update:feed-content:{item.pk}:{root}", render)

    def image(self, item: MembersUpdatePage) -> dict[str, str] | None:
        if item.listing_image is None:
            return None
        rendition = rendition_or_none(item.listing_image, SOCIAL_FILTER)
        if rendition is None:
            return None
        return {
            "url": absolute_url(self.request, rendition.url),
            "type": mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg",
            "width": str(rendition.width),
            "height": str(rendition.height),
        }
