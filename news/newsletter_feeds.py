"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 of Members' Update, the newsletter's archive.

Each item is a whole issue (summary, body and a link to its PDF), so a feed reader, or the
e-mail alerts that follow ``/members-update/feed/``, carry the issue itself.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.html import format_html

from home.listing_feeds import FEED_SIZE, ListingFeed

if TYPE_CHECKING:
    from .models.newsletter import MembersUpdatePage, MembersUpdateQuerySet

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


class MembersUpdateFeed(ListingFeed):
    """The newest issues of one Members' Update archive (the shared ``ListingFeed``)."""

    noun = NEWSLETTER_NAME
    memo = "members-update"

    def pages(self) -> MembersUpdateQuerySet:
        """The archive's live, public issues that the filters keep, newest first."""
        return self.filters.narrow(self.index.issues())

    def description(self) -> str:
        return self.index.feed_description or (
            f"Every issue of {NEWSLETTER_NAME}, the newsletter of the "
            f"{self.site_settings().organisation_name} to its members."
        )

    def items(self) -> list[MembersUpdatePage]:
        return list(self.pages().select_related("listing_image", "document")[:FEED_SIZE])

    def item_pubdate(self, item: MembersUpdatePage) -> datetime:
        return issue_published(item)

    def item_updateddate(self, item: MembersUpdatePage) -> datetime:
        return max(filter(None, (item.last_published_at, issue_published(item))))

    def item_author_name(self, item: MembersUpdatePage) -> str:
        return self.author_name()

    def item_categories(self, item: MembersUpdatePage) -> list[str]:
        return [NEWSLETTER_NAME, str(item.issue_date.year)]

    def content_parts(self, item: MembersUpdatePage) -> list[str]:
        """The issue as its page shows it: summary, body and a link to its PDF."""
        parts = [format_html("<p>{}</p>", item.summary)] if item.summary else []
        parts.append(self.body_html(item.body))
        if item.document is not None:
            size = item.document.file_size
            parts.append(
                format_html(
                    '<p><a href="{}">Download this issue</a> ({}{})</p>',
                    item.document.url,
                    item.document.file_extension.upper(),
                    f", {size // 1024} KB" if size else "",
                )
            )
        return parts
