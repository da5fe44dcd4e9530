"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the publications and the policy projects.

Each listing's feeds take the listing's own filters as a query string
(``/publications/feed/?theme=housing&year=2022``, ``/policy-labs/feed/json/?status=active``);
a value the listing does not know is a plain 404 saying so. Each item carries the whole page
(summary, body, the report's download link or the project's outputs) and its themes or
type as categories; the rest is the shared ``home.listing_feeds.ListingFeed``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from home.listing_feeds import FEED_SIZE, ListingFeed, social_renditions

if TYPE_CHECKING:
    from .models.policy import PolicyProjectPage
    from .models.publications import PublicationPage


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
