"""Admin for the newsroom: a flat list of articles and the categories, under one menu."""

import django_filters
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import NewsCategory, NewsKind, NewsPage


class NewsPageFilterSet(PageFilterSet):
    kind = django_filters.ChoiceFilter(choices=NewsKind.choices, label="Kind")
    category = django_filters.ModelChoiceFilter(
        queryset=NewsCategory.objects.all(), label="Category"
    )

    class Meta:
        model = NewsPage
        fields = []


class NewsPageListingViewSet(PageListingViewSet):
    model = NewsPage
    icon = "doc-full"
    menu_label = "Articles"
    name = "news_articles"
    filterset_class = NewsPageFilterSet
    columns = [
        *PageListingViewSet.columns,
        Column("kind", label="Kind", accessor="get_kind_display"),
        Column("category", label="Category"),
        DateColumn("release_date", label="Release date"),
    ]


class NewsCategoryViewSet(SnippetViewSet):
    model = NewsCategory
    icon = "folder-open-inverse"
    menu_label = "Categories"
    list_display = ["name", "slug", "description"]
    search_fields = ["name", "description"]
    list_export = ["name", "slug", "description"]
    ordering = ["name"]


class NewsViewSetGroup(ViewSetGroup):
    menu_label = "News"
    menu_icon = "doc-full-inverse"
    menu_order = 210
    items = (NewsPageListingViewSet, NewsCategoryViewSet)


@hooks.register("register_admin_viewset")
def register_news_viewsets():
    return NewsViewSetGroup()
