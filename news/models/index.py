"""The news index at /news/: listing, filters, category and tag pages, feeds."""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from taggit.models import Tag
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.models import Page
from wagtail.search import index

from caching.versions import remember
from home.feeds import feed_links
from home.hosts import absolute_url
from home.images import card_renditions
from home.listing import FilteredListingMixin, FilterSet, not_found, paginate
from home.models import BasePage

from ..feeds import NEWS_FEEDS, NewsSelection
from ..filters import CATEGORY, TAG, news_choices, news_filters
from .articles import CARD_RENDITION, NewsPage, NewsPageQuerySet, NewsPageTag
from .snippets import NewsCategory

NEWS_PAGE_SIZE = 12
LISTING_FILTERS = ("kind", "category", "tag", "year")


class ListingSnapshot(NamedTuple):
    """The live, public articles of a news index, newest first, as the filters see them."""

    # (pk, kind, category id, year of release or None, tag ids)
    entries: list[tuple[int, str, int | None, int | None, tuple[int, ...]]]
    years: list[int]  # newest first
    tags: list[Tag]  # in use, by name
    # filter name → value (a kind, category id, tag id or year) → the articles that have it,
    # so a filter looks its articles up instead of walking every entry (news/filters.py)
    index: dict[str, dict[object, frozenset[int]]]
    position: dict[int, int]  # pk → its place, newest first


class NewsIndexPage(FilteredListingMixin, RoutablePageMixin, BasePage):
    """/news/: every article, filterable, with category and tag pages and the feeds."""

    intro = models.TextField(
        blank=True,
        max_length=500,
        help_text="A sentence or two under the heading, e.g. who the news is for.",
    )
    feed_description = models.CharField(
        max_length=250,
        blank=True,
        help_text="What feed readers show under the feed's name. Leave empty to use the intro.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("feed_description")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = "news index page"

    def articles(self) -> NewsPageQuerySet:
        """Live, public articles under this index, newest first (nothing prefetched)."""
        return NewsPage.objects.child_of(self).live().public().newest_first()

    def latest_articles(self, count: int) -> NewsPageQuerySet:
        """The newest live, public articles for cards, without their renditions (the home
        page's latest news, remembered; news_tags reads the renditions per request)."""
        return self.articles().for_cards()[:count]

    # What the listing filters on is the same for every request until content changes (a
    # publish, unpublish, move, tag or category save bumps the content version), so it is
    # read once per version into a snapshot: each live, public article as a small tuple,
    # newest first, plus the years and tags in use. A request filters the snapshot in
    # Python and loads only the dozen articles its page shows.

    def listing(self) -> ListingSnapshot:
        """This index's snapshot (three queries on a miss, none after)."""
        # The format in the key: a deploy that changes the snapshot never reads an old one.
        return remember(f"news:listing:2:{self.pk}", self._read_listing, shared=True)

    def _read_listing(self) -> ListingSnapshot:
        articles = self.articles()
        tag_ids: dict[int, list[int]] = defaultdict(list)
        tagged = NewsPageTag.objects.filter(content_object__in=articles.order_by())
        for article_id, tag_id in tagged.values_list("content_object_id", "tag_id"):
            tag_ids[article_id].append(tag_id)
        # Years in the site's time zone, as a ``release_date__year`` filter sees them.
        zone = timezone.get_current_timezone()
        entries = [
            (
                pk,
                kind,
                category_id,
                released.astimezone(zone).year if released else None,
                tuple(tag_ids[pk]),
            )
            for pk, kind, category_id, released in articles.values_list(
                "pk", "kind", "category_id", "release_date"
            )
        ]
        in_use = {tag_id for tags in tag_ids.values() for tag_id in tags}
        index: dict[str, dict[object, set[int]]] = {name: {} for name in LISTING_FILTERS}
        for pk, kind, category_id, year, tags in entries:
            index["kind"].setdefault(kind, set()).add(pk)
            index["category"].setdefault(category_id, set()).add(pk)
            index["year"].setdefault(year, set()).add(pk)
            for tag_id in tags:
                index["tag"].setdefault(tag_id, set()).add(pk)
        return ListingSnapshot(
            entries=entries,
            years=sorted({entry[3] for entry in entries if entry[3] is not None}, reverse=True),
            tags=list(Tag.objects.filter(pk__in=in_use).order_by("name")),
            index={
                name: {value: frozenset(ids) for value, ids in by_value.items()}
                for name, by_value in index.items()
            },
            position={entry[0]: n for n, entry in enumerate(entries)},
        )

    def years(self) -> list[int]:
        """Years with at least one live, public article, newest first."""
        return self.listing().years

    def tags_in_use(self) -> list[Tag]:
        """Tags of at least one live, public article, by name."""
        return self.listing().tags

    @staticmethod
    def categories() -> list[NewsCategory]:
        return remember("news:categories", lambda: list(NewsCategory.objects.all()))

    def get_context(self, request, *args, category=None, tag=None, **kwargs):
        """The listing; ``category`` or ``tag`` are set on /news/category|tag/<slug>/."""
        context = super().get_context(request, *args, **kwargs)
        base_url = request.path if (category or tag) else self.url
        filters = self.filters(request, base_url, category=category, tag=tag)
        matching = self.matching(filters, category=category, tag=tag)
        # Out-of-range page numbers show the nearest page; junk shows the first.
        page_obj = paginate(matching, NEWS_PAGE_SIZE, request.GET.get("page"))
        page_obj.object_list = self.cards(page_obj.object_list)
        selection = self.selection(filters, base_url, category=category, tag=tag)
        query = f"?{selection.query}" if selection.query else ""
        page_feeds = feed_links(f"{base_url}feed/{query}", selection.subject())
        context.update(
            category=category,
            tag=tag,
            filters=filters,
            active_filters=filters.active,
            base_url=base_url,
            canonical_url=self.canonical_url(request, base_url, page_obj.number),
            articles=page_obj.object_list,
            page_obj=page_obj,
            paginator=page_obj.paginator,
            query_string=filters.query_string,
            feed_label=self.feed_label(filters, category=category, tag=tag),
            page_feeds=page_feeds,
            extra_feeds=self.extra_feeds(page_feeds),
            alert_feed=page_feeds[0]["url"],
            alert_label=selection.alert_label(),
        )
        return context

    def filters(self, request: HttpRequest, base_url: str, *, category=None, tag=None) -> FilterSet:
        """The visitor's filters, checked against the snapshot's years and tags."""
        listing = self.listing()
        return FilterSet(
            request.GET,
            news_filters(fixed_category=category, fixed_tag=tag),
            news_choices(years=listing.years, tags=listing.tags, categories=self.categories()),
            base_url=base_url,
        )

    def matching(self, filters: FilterSet, *, category=None, tag=None) -> list[int]:
        """Ids of the articles the filters and the page's own category or tag keep, newest
        first (from the snapshot: no query)."""
        listing = self.listing()
        kept = filters.pick(listing, listing.position.keys())
        if category is not None:
            kept &= CATEGORY.picks(listing, category.pk)
        if tag is not None:
            kept &= TAG.picks(listing, tag.pk)
        if len(kept) * 8 < len(listing.entries):  # a few: put them in order
            return sorted(kept, key=listing.position.__getitem__)
        return [entry[0] for entry in listing.entries if entry[0] in kept]

    def selection(
        self, filters: FilterSet, listing_path: str, *, category=None, tag=None
    ) -> NewsSelection:
        """What the filters (and the page's own category or tag) keep, for its feeds."""
        applied = filters.applied
        if category is None and "category" in applied:
            category = self._category(applied["category"].value)
        if tag is None and "tag" in applied:
            tag = self._tag(applied["tag"].value)
        return NewsSelection(
            kind=applied["kind"].value if "kind" in applied else "",
            category=category,
            tag=tag,
            year=applied["year"].target if "year" in applied else None,
            listing_path=listing_path,
            query=filters.query_string,
        )

    @staticmethod
    def feed_label(filters: FilterSet, *, category=None, tag=None) -> str:
        """What the visible feed links say they follow (each link's name says exactly)."""
        if filters.applied:
            return "Follow these articles in a feed reader"
        if category is not None or tag is not None:
            return f"Follow this {'category' if category is not None else 'tag'} in a feed reader"
        return "Follow the news in a feed reader"

    def canonical_url(self, request: HttpRequest, base_url: str, number: int) -> str:
        url = absolute_url(request, base_url)
        return f"{url}?page={number}" if number > 1 else url

    @staticmethod
    def extra_feeds(page_feeds: list[dict[str, str]]) -> list[dict[str, str]]:
        """Every page already advertises the site-wide feeds; add only this listing's own."""
        site_feed_urls = {feed["url"] for feed in getattr(settings, "SITE_FEEDS", [])}
        return [feed for feed in page_feeds if feed["url"] not in site_feed_urls]

    @staticmethod
    def cards(pks: list[int]) -> list[NewsPage]:
        """The articles with these ids, in this order, ready for cards."""
        if not pks:
            return []
        found = (
            NewsPage.objects.filter(pk__in=pks)
            .live()
            .for_cards()
            .prefetch_related(
                models.Prefetch(
                    "listing_image__renditions",
                    queryset=card_renditions(CARD_RENDITION),
                    to_attr="prefetched_renditions",
                )
            )
            .in_bulk()
        )
        return [found[pk] for pk in pks if pk in found]

    @path("")
    def index_route(self, request: HttpRequest) -> TemplateResponse:
        return self.render(request)

    @path("category/<slug:slug>/")
    def category_route(self, request: HttpRequest, slug: str) -> TemplateResponse:
        category = self._category_or_404(slug)
        return self.render(request, category=category)

    # Tag slugs keep accents (taggit: "ynys-môn"), so these match any word character.
    @re_path(r"^tag/(?P<slug>[-\w]+)/$")
    def tag_route(self, request: HttpRequest, slug: str) -> TemplateResponse:
        return self.render(request, tag=self._tag_or_404(slug))

    # Feeds: RSS at <listing>/feed/, Atom at <listing>/feed/atom/, JSON Feed at
    # <listing>/feed/json/, each taking the listing's filters as its query string.

    @path("feed/", name="feed")
    def rss_feed(self, request: HttpRequest) -> HttpResponse:
        return self._filtered_feed("rss", request)

    @path("feed/atom/", name="atom_feed")
    def atom_feed(self, request: HttpRequest) -> HttpResponse:
        return self._filtered_feed("atom", request)

    @path("feed/json/", name="json_feed")
    def json_feed(self, request: HttpRequest) -> HttpResponse:
        return self._filtered_feed("json", request)

    @path("category/<slug:slug>/feed/")
    def category_rss_feed(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self._filtered_feed("rss", request, category=slug)

    @path("category/<slug:slug>/feed/atom/")
    def category_atom_feed(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self._filtered_feed("atom", request, category=slug)

    @path("category/<slug:slug>/feed/json/")
    def category_json_feed(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self._filtered_feed("json", request, category=slug)

    @re_path(r"^tag/(?P<slug>[-\w]+)/feed/$")
    def tag_rss_feed(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self._filtered_feed("rss", request, tag=slug)

    @re_path(r"^tag/(?P<slug>[-\w]+)/feed/atom/$")
    def tag_atom_feed(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self._filtered_feed("atom", request, tag=slug)

    @re_path(r"^tag/(?P<slug>[-\w]+)/feed/json/$")
    def tag_json_feed(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self._filtered_feed("json", request, tag=slug)

    def _filtered_feed(
        self, fmt: str, request: HttpRequest, *, category: str = "", tag: str = ""
    ) -> HttpResponse:
        """The feed of what the listing at the same address shows: any combination of kind,
        category, tag and year. A value that names nothing is a plain 404 saying which, not
        a feed of everything."""
        fixed_category = fixed_tag = None
        base = self.url or ""
        listing_path = base
        if category:
            fixed_category = self._category(category)
            if fixed_category is None:
                return not_found([CATEGORY.unknown(category)])
            listing_path = f"{base}category/{fixed_category.slug}/"
        elif tag:
            fixed_tag = self._tag(tag)
            if fixed_tag is None:
                return not_found([TAG.unknown(tag)])
            listing_path = f"{base}tag/{fixed_tag.slug}/"
        filters = self.filters(request, listing_path, category=fixed_category, tag=fixed_tag)
        if filters.unknown:
            return filters.not_found()
        selection = self.selection(filters, listing_path, category=fixed_category, tag=fixed_tag)
        return NEWS_FEEDS[fmt].view(self, selection)(request)

    def _category_or_404(self, slug: str) -> NewsCategory:
        category = self._category(slug)
        if category is None:
            raise Http404("No such category")
        return category

    def _category(self, slug: str) -> NewsCategory | None:
        return next((category for category in self.categories() if category.slug == slug), None)

    def _tag(self, slug: str) -> Tag | None:
        return next((tag for tag in self.tags_in_use() if tag.slug == slug), None)

    def _tag_or_404(self, slug: str) -> Tag:
        """A tag used by at least one live article here; other tags have no page or feed."""
        tag = self._tag(slug)
        if tag is None:
            raise Http404("No such tag")
        return tag

    def get_subpage_crumbs(self, request: HttpRequest | None = None) -> list[tuple[str, str]]:
        """On a category or tag page, that listing below the news index in the JSON-LD."""
        match = getattr(request, "routable_resolver_match", None)
        if match is None or match.url_name not in ("category_route", "tag_route"):
            return []
        slug = match.kwargs.get("slug")
        url = absolute_url(request, request.path)
        if match.url_name == "category_route":
            category = self._category(slug)
            return [(category.name, url)] if category else []
        tag = self._tag(slug)
        return [(f"Tagged “{tag.name}”", url)] if tag else []

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        used = NewsCategory.objects.filter(
            pk__in=self.articles().order_by().values("category")
        ).annotate(lastmod=Max("newspage__last_published_at"))
        urls += [{"location": f"{base}category/{c.slug}/", "lastmod": c.lastmod} for c in used]
        return urls
