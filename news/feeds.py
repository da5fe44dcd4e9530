"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the news: all of it, or any combination of the
listing's filters (kind, category, tag, year).

Feed readers poll, so each feed answers conditional GETs from one aggregate query,
and the full HTML of each article is rendered once per published version and cached.
The generators and the conditional-GET plumbing are home/feeds.py's.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from django.contrib.contenttypes.models import ContentType
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.html import escape
from taggit.models import Tag
from wagtail.models import PageLogEntry, Site

from caching.versions import content_version, remember
from home.feeds import (
    ConditionalFeedMixin,
    ExtendedAtomFeed,
    ExtendedRssFeed,
    JsonFeed,
    absolutise_urls,
    page_identity,
)
from home.hosts import absolute_url
from home.images import rendition_or_none
from home.models import SiteSettings

from .filters import CATEGORY, KIND, TAG, YEAR
from .models.articles import SOCIAL_RENDITION, NewsPage, NewsPageQuerySet
from .models.snippets import NewsCategory, NewsKind

if TYPE_CHECKING:
    from .models.index import NewsIndexPage

FEED_SIZE = 20
# How feed titles and links name the kind of article a feed carries (?kind=).
KIND_TITLES = {
    NewsKind.PRESS_RELEASE: "press releases",
    NewsKind.NEWS: "news stories",
    NewsKind.OPINION: "opinion",
}
CONTENT_CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class NewsSelection:
    """What a news feed carries: every article, or those of one kind, category, tag and
    year, in any combination; and the listing that shows the same articles."""

    kind: str = ""  # a NewsKind value, or "" for every kind
    category: NewsCategory | None = None
    tag: Tag | None = None
    year: int | None = None
    listing_path: str = ""  # /news/, /news/category/<slug>/ or /news/tag/<slug>/
    query: str = ""  # the listing's filters as a query string (no "?")

    @property
    def key(self) -> str:
        """The same for the same articles, whichever address asked for them."""
        category = self.category.pk if self.category is not None else ""
        tag = self.tag.pk if self.tag is not None else ""
        return f"{category}:{tag}:{self.kind}:{self.year or ''}"

    def parts(self) -> list[str]:
        """What it narrows to, in words: ["press releases", "Governance", "2026",
        "tagged “Elections”"]."""
        parts = [KIND_TITLES[self.kind]] if self.kind else []
        if self.category is not None:
            parts.append(self.category.name)
        if self.year is not None:
            parts.append(str(self.year))
        if self.tag is not None:
            parts.append(f"tagged “{self.tag.name}”")
        return parts

    def title(self, name: str) -> str:
        """The feed's title: "CCIN news: press releases, 2026, tagged “Elections”"."""
        parts = self.parts()
        if self.tag is not None and len(parts) == 1:
            return f"{name} {parts[0]}"  # "CCIN news tagged “Devolution”"
        return f"{name}: {', '.join(parts)}" if parts else name

    def subject(self) -> str:
        """What a link to the feed says it carries: "All news", "Governance news",
        "Press releases in Governance from 2026 tagged “Elections”"."""
        if not self.parts():
            return "All news"
        if self.kind:
            words = KIND_TITLES[self.kind].capitalize()
            if self.category is not None:
                words = f"{words} in {self.category.name}"
        else:
            words = f"{self.category.name} news" if self.category is not None else "News"
        if self.year is not None:
            words = f"{words} from {self.year}"
        if self.tag is not None:
            words = f"{words} tagged “{self.tag.name}”"
        return words

    def alert_label(self) -> str:
        """What an e-mail alert for it follows, inside a sentence: "news articles", "press
        releases in Governance from 2026", "Governance news tagged “Elections”"."""
        if not self.parts():
            return "news articles"
        words = self.subject()
        if self.kind:
            return words[0].lower() + words[1:]
        if words.startswith("News "):
            return f"news articles {words.removeprefix('News ')}"
        return words


class NewsFeed(ConditionalFeedMixin, Feed):
    """The live, public news under one index that a selection of filters keeps."""

    feed_type = ExtendedRssFeed

    def __init__(self, index: NewsIndexPage, selection: NewsSelection | None = None):
        self.index = index
        self.selection = selection or NewsSelection(listing_path=index.url or "")
        self._state: dict | None = None
        self._articles: NewsPageQuerySet | None = None
        self._urls: dict[int, str] = {}
        self._images: dict[int, dict[str, str]] = {}

    # Conditional GET ---------------------------------------------------------------

    def articles(self) -> NewsPageQuerySet:
        """The feed's live, public articles; view restrictions are looked up once per request."""
        if self._articles is not None:
            return self._articles
        articles = NewsPage.objects.child_of(self.index).live().public()
        # What the listing's filters keep (news/filters.py), in SQL.
        selection = self.selection
        if selection.kind:
            articles = articles.filter(KIND.where(selection.kind))
        if selection.category is not None:
            articles = articles.filter(CATEGORY.where(selection.category.pk))
        if selection.tag is not None:
            articles = articles.filter(TAG.where(selection.tag.pk))
        if selection.year is not None:
            articles = articles.filter(YEAR.where(selection.year))
        self._articles = articles
        return articles

    def memo_key(self, name: str) -> str:
        """A remember() key for this feed's articles (any site: links are not in it)."""
        return f"news:feed-{name}:{self.index.pk}:{self.selection.key}"

    def state(self) -> dict:
        """How many articles there are and when one was last (re)published.

        One query per content version: publishing, unpublishing or moving an article bumps it.
        """
        if self._state is None:
            self._state = remember(
                self.memo_key("state"),
                lambda: (
                    self.articles()
                    .order_by()
                    .aggregate(count=Count("pk"), latest=Max("last_published_at"))
                ),
            )
        return self._state

    def last_changed(self) -> datetime | None:
        """When anything under the news index last changed: a publish, an unpublish, a move,
        a deletion, a privacy setting (Wagtail logs each). An article that leaves the feed
        (unpublished, or moved to another category) leaves no trace in what the feed still
        holds, so a reader that sends only If-Modified-Since would otherwise get a 304."""
        return remember(
            f"news:feed-changed:{self.index.pk}",
            lambda: PageLogEntry.objects.filter(
                content_type__in=[
                    ContentType.objects.get_for_model(NewsPage),
                    ContentType.objects.get_for_model(type(self.index)),
                ]
            ).aggregate(latest=Max("timestamp"))["latest"],
        )

    def last_modified(self, request: HttpRequest, *args, **kwargs) -> datetime | None:
        candidates = (self.state()["latest"], self.index.last_published_at, self.last_changed())
        dates = [d for d in candidates if d]
        return max(dates) if dates else None

    def validators(self) -> list[str]:
        state = self.state()
        return [
            self.selection.key,
            str(state["count"]),
            state["latest"].isoformat() if state["latest"] else "",
            self.index.last_published_at.isoformat() if self.index.last_published_at else "",
        ]

    # Channel -----------------------------------------------------------------------

    def organisation(self) -> str:
        return self.site_settings().organisation_name

    def site_settings(self) -> SiteSettings:
        return SiteSettings.for_request(self.request)

    def title(self) -> str:
        return self.selection.title(f"{self.site_settings().short_name} news")

    def query(self) -> str:
        return f"?{self.selection.query}" if self.selection.query else ""

    def link(self) -> str:
        """The listing that shows what the feed carries."""
        return f"{absolute_url(self.request, self.selection.listing_path)}{self.query()}"

    def description(self) -> str:
        category = self.selection.category
        if category is not None and category.description and len(self.selection.parts()) == 1:
            return category.description
        return (
            self.index.feed_description
            or self.index.intro
            or f"Press releases, news and opinion from the {self.organisation()}."
        )

    def author_name(self) -> str:
        return self.organisation()

    def root_url(self) -> str:
        return Site.find_for_request(self.request).root_url

    def feed_url(self) -> str:
        # The same host as the item links: the site's canonical address.
        return f"{self.root_url()}{self.request.path}{self.query()}"

    # Items -------------------------------------------------------------------------

    def items(self) -> list[NewsPage]:
        """The newest articles with what their items show, read once per content version."""

        def newest() -> list[NewsPage]:
            articles = list(
                self.articles().with_feed_data(SOCIAL_RENDITION).newest_first()[:FEED_SIZE]
            )
            # Make any missing rendition now, so the remembered images carry it and later
            # requests do not look it up again.
            for article in articles:
                if article.listing_image is not None:
                    rendition_or_none(article.listing_image, SOCIAL_RENDITION)
            return articles

        items = remember(self.memo_key("items"), newest)
        self._contents = self.rendered_contents(items)
        return items

    def item_title(self, item: NewsPage) -> str:
        return item.title

    def item_description(self, item: NewsPage) -> str:
        return escape(item.summary or item.search_description)

    def item_link(self, item: NewsPage) -> str:
        return self.full_url(item)

    def item_guid(self, item: NewsPage) -> str:
        # The permalink (Wagtail redirects the old address if an editor changes the slug), or
        # for an article from the old site the guid its old feed gave it: readers that
        # followed the old feed here know the article by that and do not show it as new.
        return item.feed_guid or self.full_url(item)

    def full_url(self, item: NewsPage) -> str:
        """The article's address, worked out once per request (link, guid and content)."""
        if item.pk not in self._urls:
            self._urls[item.pk] = item.get_full_url(self.request)
        return self._urls[item.pk]

    def item_guid_is_permalink(self, item: NewsPage) -> bool:
        return not item.feed_guid

    def item_pubdate(self, item: NewsPage) -> datetime | None:
        return item.display_date

    def item_updateddate(self, item: NewsPage) -> datetime | None:
        return item.updated_date

    def item_author_name(self, item: NewsPage) -> str:
        names = [author.name for author in item.author_list]
        return ", ".join(names) if names else self.organisation()

    def item_categories(self, item: NewsPage) -> list[str]:
        names = [item.category.name] if item.category else []
        return names + [tag.name for tag in item.tag_list]

    def item_extra_kwargs(self, item: NewsPage) -> dict:
        return {
            "content_html": self._contents.get(item.pk, ""),
            "image": self.image(item),
            **page_identity(item),
        }

    def image(self, item: NewsPage) -> dict[str, str] | None:
        if item.listing_image is None:
            return None
        # Articles often share an image; look each one's rendition up once per request.
        if item.listing_image_id not in self._images:
            rendition = rendition_or_none(item.listing_image, SOCIAL_RENDITION)
            if rendition is None:
                return None
            mime_type = mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg"
            self._images[item.listing_image_id] = {
                "url": urljoin(self.root_url(), rendition.url),
                "type": mime_type,
                "width": str(rendition.width),
                "height": str(rendition.height),
            }
        return dict(self._images[item.listing_image_id])

    def rendered_contents(self, items: list[NewsPage]) -> dict[int, str]:
        """Each article's full HTML with absolute URLs, cached until content changes."""
        root = self.root_url() if items else ""
        # Under the content version, not the article's publish time: an item shows more than
        # its article (the press office's contacts, the titles of pages it links to).
        version = content_version()
        keys = {
            item.pk: f"news:feed-content:{version}:{item.pk}:{root}"
            for item in items
            if version is not None
        }
        cached = cache.get_many(keys.values())
        contents = {pk: cached[key] for pk, key in keys.items() if key in cached}
        missing = [item for item in items if item.pk not in contents]
        if missing:
            bodies = {
                page.pk: page.body
                for page in NewsPage.objects.filter(pk__in=[i.pk for i in missing]).only("body")
            }
            fresh = {}
            for item in missing:
                if item.pk in bodies:
                    item.body = bodies[item.pk]
                html = render_to_string(
                    "news/feed_item_content.html", {"page": item}, request=self.request
                )
                contents[item.pk] = absolutise_urls(html.strip(), self.full_url(item))
                if item.pk in keys:
                    fresh[keys[item.pk]] = contents[item.pk]
            cache.set_many(fresh, CONTENT_CACHE_SECONDS)
        return contents


class NewsRssFeed(NewsFeed):
    feed_type = ExtendedRssFeed


class NewsAtomFeed(NewsFeed):
    feed_type = ExtendedAtomFeed

    def subtitle(self) -> str:
        return self.description()


class NewsJsonFeed(NewsFeed):
    feed_type = JsonFeed


# The format in the address (feed/, feed/atom/, feed/json/) → the feed.
NEWS_FEEDS: dict[str, type[NewsFeed]] = {
    "rss": NewsRssFeed,
    "atom": NewsAtomFeed,
    "json": NewsJsonFeed,
}
