"""The news index at /news/: listing, filters, category and tag pages, feeds."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Max
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from taggit.models import Tag
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page
from wagtail.search import index

from home.models import BasePage
from home.views import page_number

from ..forms import NewsFilterForm
from .articles import NewsPage, NewsPageQuerySet
from .snippets import NewsCategory

NEWS_PAGE_SIZE = 12


class NewsIndexPage(RoutablePageMixin, BasePage):
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
        """The newest live, public articles, ready for cards (the home page's latest news)."""
        return self.articles().with_card_data()[:count]

    @staticmethod
    def years(articles: NewsPageQuerySet) -> list[int]:
        dates = articles.order_by().dates("release_date", "year", order="DESC")
        return [d.year for d in dates]

    @staticmethod
    def tags_in_use(articles: NewsPageQuerySet):
        return (
            Tag.objects.filter(news_newspagetag_items__content_object__in=articles.order_by())
            .distinct()
            .order_by("name")
        )

    def get_context(self, request, *args, category=None, tag=None, **kwargs):
        """The listing; ``category`` or ``tag`` are set on /news/category|tag/<slug>/."""
        context = super().get_context(request, *args, **kwargs)
        published = self.articles()
        form = NewsFilterForm(
            request.GET,
            years=self.years(published),
            tags=self.tags_in_use(published),
            fixed_category=category,
            fixed_tag=tag,
        )
        articles = published.with_card_data()
        no_such_filter = not form.is_valid()
        if no_such_filter:
            articles = articles.none()
            feed_category = category
        else:
            articles = form.filter(articles)
            feed_category = category or form.cleaned_data.get("category")
        paginator = Paginator(articles, NEWS_PAGE_SIZE)
        # Out-of-range page numbers show the nearest page; junk shows the first.
        page_obj = paginator.get_page(page_number(request.GET.get("page")))
        base_url = request.path if (category or tag) else self.url
        canonical_url = request.build_absolute_uri(base_url)
        if page_obj.number > 1:
            canonical_url += f"?page={page_obj.number}"
        page_feeds = self.feeds_for(category=feed_category, tag=tag)
        site_feed_urls = {feed["url"] for feed in getattr(settings, "SITE_FEEDS", [])}
        context.update(
            category=category,
            tag=tag,
            form=form,
            no_such_filter=no_such_filter,
            filter_errors=form.error_list(),
            active_filters=form.active_filters(base_url),
            base_url=base_url,
            canonical_url=canonical_url,
            articles=page_obj.object_list,
            page_obj=page_obj,
            paginator=paginator,
            query_string=form.query_string(),
            page_feeds=page_feeds,
            # Every page already advertises the site-wide feeds; add only this listing's own.
            extra_feeds=[feed for feed in page_feeds if feed["url"] not in site_feed_urls],
        )
        return context

    def feeds_for(self, *, category=None, tag=None) -> list[dict[str, str]]:
        """The feeds a listing advertises (autodiscovery links and subscribe links)."""
        base = self.url or ""
        if category is not None:
            prefix = f"{base}category/{category.slug}/feed/"
            return [
                {
                    "title": f"{category.name} news (RSS)",
                    "type": "application/rss+xml",
                    "url": prefix,
                },
                {
                    "title": f"{category.name} news (Atom)",
                    "type": "application/atom+xml",
                    "url": f"{prefix}atom/",
                },
            ]
        if tag is not None:
            prefix = f"{base}tag/{tag.slug}/feed/"
            return [
                {
                    "title": f"News tagged “{tag.name}” (RSS)",
                    "type": "application/rss+xml",
                    "url": prefix,
                },
                {
                    "title": f"News tagged “{tag.name}” (Atom)",
                    "type": "application/atom+xml",
                    "url": f"{prefix}atom/",
                },
            ]
        return [
            {"title": "All news (RSS)", "type": "application/rss+xml", "url": f"{base}feed/"},
            {
                "title": "All news (Atom)",
                "type": "application/atom+xml",
                "url": f"{base}feed/atom/",
            },
        ]

    def _listing_response(self, request: HttpRequest, **kwargs) -> TemplateResponse:
        response = self.render(request, **kwargs)
        if response.context_data["no_such_filter"]:
            # A clear message for people, and a 404 so crawlers drop the bad address.
            response.status_code = 404
        return response

    @path("")
    def index_route(self, request: HttpRequest) -> TemplateResponse:
        return self._listing_response(request)

    @path("category/<slug:slug>/")
    def category_route(self, request: HttpRequest, slug: str) -> TemplateResponse:
        category = get_object_or_404(NewsCategory, slug=slug)
        return self._listing_response(request, category=category)

    @path("tag/<slug:slug>/")
    def tag_route(self, request: HttpRequest, slug: str) -> TemplateResponse:
        return self._listing_response(request, tag=self._tag_or_404(slug))

    @path("feed/", name="feed")
    def rss_feed(self, request: HttpRequest):
        from ..feeds import NewsRssFeed

        return NewsRssFeed.view(self)(request)

    @path("feed/atom/", name="atom_feed")
    def atom_feed(self, request: HttpRequest):
        from ..feeds import NewsAtomFeed

        return NewsAtomFeed.view(self)(request)

    @path("category/<slug:slug>/feed/")
    def category_rss_feed(self, request: HttpRequest, slug: str):
        from ..feeds import NewsRssFeed

        category = get_object_or_404(NewsCategory, slug=slug)
        return NewsRssFeed.view(self, category=category)(request)

    @path("category/<slug:slug>/feed/atom/")
    def category_atom_feed(self, request: HttpRequest, slug: str):
        from ..feeds import NewsAtomFeed

        category = get_object_or_404(NewsCategory, slug=slug)
        return NewsAtomFeed.view(self, category=category)(request)

    @path("tag/<slug:slug>/feed/")
    def tag_rss_feed(self, request: HttpRequest, slug: str):
        from ..feeds import NewsRssFeed

        return NewsRssFeed.view(self, tag=self._tag_or_404(slug))(request)

    @path("tag/<slug:slug>/feed/atom/")
    def tag_atom_feed(self, request: HttpRequest, slug: str):
        from ..feeds import NewsAtomFeed

        return NewsAtomFeed.view(self, tag=self._tag_or_404(slug))(request)

    def _tag_or_404(self, slug: str) -> Tag:
        """A tag used by at least one live article here; other tags have no page or feed."""
        tag = self.tags_in_use(self.articles()).filter(slug=slug).first()
        if tag is None:
            raise Http404("No such tag")
        return tag

    def get_subpage_crumbs(self, request: HttpRequest | None = None) -> list[tuple[str, str]]:
        """On a category or tag page, that listing below the news index in the JSON-LD."""
        match = getattr(request, "routable_resolver_match", None)
        if match is None or match.url_name not in ("category_route", "tag_route"):
            return []
        slug = match.kwargs.get("slug")
        url = request.build_absolute_uri(request.path)
        if match.url_name == "category_route":
            category = NewsCategory.objects.filter(slug=slug).first()
            return [(category.name, url)] if category else []
        tag = Tag.objects.filter(slug=slug).first()
        return [(f"Tagged “{tag.name}”", url)] if tag else []

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        used = NewsCategory.objects.filter(
            pk__in=self.articles().order_by().values("category")
        ).annotate(lastmod=Max("newspage__last_published_at"))
        urls += [{"location": f"{base}category/{c.slug}/", "lastmod": c.lastmod} for c in used]
        return urls
