"""RSS 2.0 and Atom 1.0 feeds of the news, all of it or one category or tag.

Feed readers poll, so each feed answers conditional GETs from one aggregate query,
and the full HTML of each article is rendered once per published version and cached.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.utils.http import urlencode
from django.views.decorators.http import condition
from taggit.models import Tag
from wagtail.models import Site

from caching.versions import content_version, remember
from home.feeds import FEED_MAX_AGE, ExtendedAtomFeed, ExtendedRssFeed, absolutise_urls
from home.images import rendition_or_none
from home.models import SiteSettings

from .filters import CATEGORY, KIND, TAG
from .models.articles import SOCIAL_RENDITION, NewsPage, NewsPageQuerySet
from .models.snippets import NewsCategory, NewsKind

if TYPE_CHECKING:
    from .models.index import NewsIndexPage

FEED_SIZE = 20
# How a kind-only feed's title names what it carries (?kind=).
KIND_TITLES = {
    NewsKind.PRESS_RELEASE: "press releases",
    NewsKind.NEWS: "news stories",
    NewsKind.OPINION: "opinion",
}
CONTENT_CACHE_SECONDS = 60 * 60


class NewsFeed(Feed):
    """All live, public news under one index, or one category's or tag's."""

    feed_type = ExtendedRssFeed

    def __init__(
        self,
        index: NewsIndexPage,
        *,
        category: NewsCategory | None = None,
        tag: Tag | None = None,
        kind: str = "",
    ):
        self.index = index
        self.category = category
        self.tag = tag
        self.kind = kind  # a NewsKind value, or "" for every kind
        self._state: dict | None = None
        self._articles: NewsPageQuerySet | None = None
        self._urls: dict[int, str] = {}
        self._images: dict[int, dict[str, str]] = {}

    @classmethod
    def view(cls, index: NewsIndexPage, **kwargs) -> Callable[[HttpRequest], HttpResponse]:
        feed = cls(index, **kwargs)
        conditional = condition(etag_func=feed.etag, last_modified_func=feed.last_modified)
        return conditional(feed)

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.request = request
        response = super().__call__(request, *args, **kwargs)
        # Syndication sets Last-Modified from the newest item date; the conditional-GET
        # decorator sets the one that really changes when something is (un)published.
        del response.headers["Last-Modified"]
        patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
        return response

    # Conditional GET ---------------------------------------------------------------

    def articles(self) -> NewsPageQuerySet:
        """The feed's live, public articles; view restrictions are looked up once per request."""
        if self._articles is not None:
            return self._articles
        articles = NewsPage.objects.child_of(self.index).live().public()
        # What the listing's category and tag filters keep (news/filters.py).
        if self.category is not None:
            articles = articles.filter(CATEGORY.where(self.category.pk))
        if self.tag is not None:
            articles = articles.filter(TAG.where(self.tag.pk))
        if self.kind:
            articles = articles.filter(KIND.where(self.kind))
        self._articles = articles
        return articles

    def memo_key(self, name: str) -> str:
        """A remember() key for this feed's articles (any site: links are not in it)."""
        category = self.category.pk if self.category is not None else ""
        tag = self.tag.pk if self.tag is not None else ""
        return f"news:feed-{name}:{self.index.pk}:{category}:{tag}:{self.kind}"

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

    def last_modified(self, request: HttpRequest, *args, **kwargs) -> datetime | None:
        dates = [d for d in (self.state()["latest"], self.index.last_published_at) if d]
        return max(dates) if dates else None

    def etag(self, request: HttpRequest, *args, **kwargs) -> str:
        state = self.state()
        parts = [
            type(self).__name__,
            request.get_host(),
            self.category.slug if self.category else "",
            self.tag.slug if self.tag else "",
            self.kind,
            str(state["count"]),
            state["latest"].isoformat() if state["latest"] else "",
            self.index.last_published_at.isoformat() if self.index.last_published_at else "",
            str(content_version()),  # anything an item shows changed: not a 304
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]

    # Channel -----------------------------------------------------------------------

    def organisation(self) -> str:
        return self.site_settings().organisation_name

    def site_settings(self) -> SiteSettings:
        return SiteSettings.for_request(self.request)

    def title(self) -> str:
        name = f"{self.site_settings().short_name} news"
        if self.kind:
            name = f"{name} ({KIND_TITLES[self.kind]})"
        if self.category is not None:
            return f"{name}: {self.category.name}"
        if self.tag is not None:
            return f"{name} tagged “{self.tag.name}”"
        return name

    def kind_query(self) -> str:
        return f"?{urlencode({'kind': self.kind})}" if self.kind else ""

    def link(self) -> str:
        base = self.index.get_full_url(self.request)
        if self.category is not None:
            base = f"{base}category/{self.category.slug}/"
        elif self.tag is not None:
            base = f"{base}tag/{self.tag.slug}/"
        return f"{base}{self.kind_query()}"

    def description(self) -> str:
        if self.category is not None and self.category.description:
            return self.category.description
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
        return f"{self.root_url()}{self.request.path}{self.kind_query()}"

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
        return {"content_html": self._contents.get(item.pk, ""), "image": self.image(item)}

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
