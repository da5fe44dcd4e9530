"""News articles: the page, its authors, tags and public change notes."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urljoin

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, PageQuerySet, Site
from wagtail.search import index

from caching.versions import remember
from home.api_fields import NameSlugField, TagNamesField, body_api_fields
from home.blocks import RICH_TEXT_FEATURES, BaseStreamBlock
from home.images import (
    card_renditions,
    prefetch_page_renditions,
    rendition_or_none,
)
from home.models import BasePage, PoliticalFlagMixin
from home.structured_data import organization

from .snippets import NewsCategory, NewsKind

RELATED_COUNT = 3
# What a card reads (NewsPage.listing_meta, its URL and picture); see for_cards.
CARD_FIELDS = (
    "id",
    "title",
    "url_path",
    "path",
    "depth",
    "live",
    "summary",
    "kind",
    "release_date",
    "go_live_at",
    "first_published_at",
    "listing_image",
)
CARD_RENDITION = "fill-640x360"
SOCIAL_RENDITION = "fill-1200x630"
# Sub-routes of the news index; an article slug equal to one of these would be unreachable.
RESERVED_SLUGS = frozenset({"feed", "category", "tag"})


def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.NewsPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class NewsPageQuerySet(PageQuerySet):
    def newest_first(self) -> NewsPageQuerySet:
        return self.order_by(
            models.F("release_date").desc(nulls_last=True), "-first_published_at", "-pk"
        )

    def for_listing(self, rendition: str = CARD_RENDITION) -> NewsPageQuerySet:
        """Live, public articles, newest first, with what a card shows loaded up front."""
        return self.live().public().with_card_data(rendition).newest_first()

    def with_card_fields(self) -> NewsPageQuerySet:
        """What a card shows but its renditions: for lists that are remembered
        (home.images: remember pages, never renditions)."""
        return self.defer_streamfields().select_related("category", "listing_image")

    def for_cards(self) -> NewsPageQuerySet:
        """Only the fields a card shows (components/card.html: link, title, summary, kind and
        date) and its image: a page of cards builds a dozen articles, and each field loaded
        is work on every one of them."""
        return self.only(*CARD_FIELDS).select_related("listing_image")

    def with_card_data(self, rendition: str = CARD_RENDITION) -> NewsPageQuerySet:
        """What a card shows: category and the listing image with its renditions.

        The image comes in the articles' query and its renditions in one more (what
        ``prefetch_renditions`` would store), rather than one query for images and another
        for their renditions.
        """
        return self.with_card_fields().prefetch_related(
            models.Prefetch(
                "listing_image__renditions",
                queryset=card_renditions(rendition),
                to_attr="prefetched_renditions",
            )
        )

    def with_feed_data(self, rendition: str) -> NewsPageQuerySet:
        """A card's data plus what a feed item also shows: authors, tags and change notes.

        Prefetched into lists (``to_attr``): prefetching into the relations' managers builds
        a queryset per article and relation, which cost more than the three queries.
        """
        return self.with_card_data(rendition).prefetch_related(
            models.Prefetch("authors", to_attr="author_list"),
            models.Prefetch("tags", to_attr="prefetched_tags"),
            models.Prefetch("change_notes", to_attr="prefetched_change_notes"),
        )


class NewsPage(PoliticalFlagMixin, BasePage):
    """An article: a press release, a news story or an opinion piece."""

    kind = models.CharField(
        max_length=20,
        choices=NewsKind.choices,
        default=NewsKind.NEWS,
        help_text="Press releases also show notes to editors and the media contact.",
    )
    release_date = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The date shown on the article and in feeds. Leave empty to use the moment "
        "it is first published (or its embargo time). Set it to date older articles.",
    )
    category = models.ForeignKey(
        NewsCategory,
        null=True,
        blank=False,
        on_delete=models.PROTECT,
        help_text="The newsroom section this belongs to. Each category has its own page and feed.",
    )
    tags = ClusterTaggableManager(
        through=NewsPageTag,
        blank=True,
        help_text="A few topics, e.g. “local elections 2026”. Each tag has its own page and feed.",
    )
    body = StreamField(BaseStreamBlock(), blank=True, help_text="The article itself.")
    notes_to_editors = RichTextField(
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text="Press releases only: background for journalists. The “About CCIN” note from "
        "site settings is always added after these notes.",
    )
    media_contact_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="Press releases only. Leave empty to use the press office from site settings.",
    )
    media_contact_email = models.EmailField(
        blank=True, help_text="Leave empty to use the press office email."
    )
    media_contact_phone = models.CharField(
        max_length=40, blank=True, help_text="Leave empty to use the press office phone."
    )
    feed_guid = models.CharField(
        max_length=255,
        blank=True,
        editable=False,
        help_text="The id feed readers already know the article by, when it came from the old "
        "site (its WordPress guid), so a reader that followed the old feed does not show it "
        "again as new. Empty: the article's address.",
    )

    objects = PageManager.from_queryset(NewsPageQuerySet)()

    api_fields = [
        *BasePage.api_fields,
        APIField("kind"),
        APIField("release_date"),
        APIField("category", serializer=NameSlugField()),
        APIField("tags", serializer=TagNamesField()),
        APIField("authors"),
        *body_api_fields("body"),
        APIField("notes_to_editors"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("release_date"), FieldPanel("category")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel(
            "authors",
            heading="Authors",
            label="Author",
            help_text="Who wrote it. Leave empty for articles from the network itself.",
        ),
        FieldPanel("tags"),
    ]
    press_panels = [
        FieldPanel("notes_to_editors"),
        MultiFieldPanel(
            [
                FieldPanel("media_contact_name"),
                FieldRowPanel(
                    [FieldPanel("media_contact_email"), FieldPanel("media_contact_phone")]
                ),
            ],
            heading="Media contact",
            help_text="Shown under press releases. Empty fields use the press office.",
        ),
    ]
    history_panels = [
        InlinePanel(
            "change_notes",
            heading="Public change notes",
            label="Change note",
            help_text="When you republish with a change readers should know about, add a note, "
            "e.g. “Corrected the list of councils”. Notes are shown on the article and update "
            "its date in feeds. Typo fixes need no note.",
        )
    ]
    promote_panels = [
        MultiFieldPanel(Page.promote_panels, heading="Address and search engines"),
        FieldPanel("listing_image", heading="Listing and sharing image"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Article"),
            ObjectList(press_panels, heading="Press release"),
            ObjectList(history_panels, heading="Corrections"),
            ObjectList(promote_panels, heading="Promote"),
            ObjectList(PoliticalFlagMixin.settings_panels, heading="Embargo and settings"),
        ]
    )

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("body"),
        index.SearchField("notes_to_editors"),
        index.AutocompleteField("title"),
        index.FilterField("kind"),
        index.FilterField("release_date"),
        index.FilterField("category"),
        index.RelatedFields("category", [index.SearchField("name")]),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.RelatedFields("authors", [index.SearchField("name")]),
    ]

    # Loaded with the page when it is served (caching.routing): the page shows them anyway.
    route_select_related = ("category", "listing_image")
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []
    # Comms staff check how a press release prints (for journalists who print it) before it goes.
    preview_modes = [("", "Web page"), ("print", "Printed press release")]

    class Meta:
        verbose_name = "news article"

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": f"“{self.slug}” is used by the news section itself; choose another slug."}
            )

    def save(self, *args, **kwargs):
        if self.live and self.release_date is None:
            # Embargoed articles are released at their go-live time, others when first published.
            self.release_date = self.go_live_at or self.first_published_at or timezone.now()
        return super().save(*args, **kwargs)

    def with_content_json(self, content):
        # A draft saved before first publication has no release date; keep the one set then.
        page = super().with_content_json(content)
        if page.release_date is None:
            page.release_date = self.release_date
        return page

    @property
    def is_press_release(self) -> bool:
        return self.kind == NewsKind.PRESS_RELEASE

    @property
    def display_date(self) -> datetime | None:
        """The release date, or for a draft in preview the embargo or today."""
        return self.release_date or self.go_live_at or self.first_published_at

    @property
    def embargoed_until(self) -> datetime | None:
        if self.go_live_at and self.go_live_at > timezone.now():
            return self.go_live_at
        return None

    @property
    def listing_meta(self) -> str:
        """“Press release · 15 May 2026”: the line above the title on cards."""
        parts = [self.get_kind_display()]
        if self.display_date:
            parts.append(date_format(timezone.localtime(self.display_date), "j F Y"))
        return " · ".join(parts)

    @cached_property
    def change_history(self) -> list[NewsPageChangeNote]:
        """Public change notes, newest first."""
        notes = getattr(self, "prefetched_change_notes", None)
        if notes is None:
            notes = self.change_notes.all()
        return sorted(notes, key=lambda note: note.changed_at, reverse=True)

    @property
    def updated_date(self) -> datetime | None:
        """When readers were last told of a change: the newest change note, else release."""
        history = self.change_history
        return history[0].changed_at if history else self.display_date

    @cached_property
    def author_list(self) -> list[NewsPageAuthor]:
        return list(self.authors.all())

    @cached_property
    def tag_list(self) -> list[Tag]:
        tags = getattr(self, "prefetched_tags", None)
        if tags is None:
            tags = self.tags.all()
        return sorted(tags, key=lambda tag: tag.name.lower())

    def related_articles(self) -> list[NewsPage]:
        """Other live articles sharing this one's category or a tag, newest first, for cards.

        The same for every reader until content changes, so the pages are remembered once per
        content version and their images' renditions read per request (home.images). The key
        names the inputs, not just the article: a preview of a draft with other tags neither
        sees nor stores the published article's list.
        """
        tag_ids = sorted(tag.pk for tag in self.tag_list if tag.pk is not None)
        key = f"news:related:{self.pk}:{self.category_id}:{','.join(map(str, tag_ids))}"
        articles = remember(key, lambda: self.related_pages(tag_ids))
        # With the article's own picture: one query for every picture on the page.
        prefetch_page_renditions(self, articles, CARD_RENDITION)
        return articles

    def related_pages(self, tag_ids: list[int]) -> list[NewsPage]:
        """The related articles without renditions: what ``related_articles`` remembers."""
        related = Q(pk__in=NewsPageTag.objects.filter(tag_id__in=tag_ids).values("content_object"))
        if self.category_id:
            related |= Q(category_id=self.category_id)
        articles = (
            NewsPage.objects.exclude(pk=self.pk)
            .filter(related)
            .live()
            .public()
            .for_cards()
            .newest_first()
        )
        return list(articles[:RELATED_COUNT])

    def get_structured_data_node(self, request: HttpRequest | None = None) -> dict:
        """schema.org NewsArticle: what search engines and link previews read."""
        url = self.get_full_url(request)
        root = f"{Site.find_for_request(request).root_url}/" if request else url
        publisher = organization(request)
        authors = [
            {"@type": "Person", "name": a.name, **({"jobTitle": a.role} if a.role else {})}
            for a in self.author_list
        ]
        data = {
            "@type": "NewsArticle",
            "headline": self.title[:110],
            "url": url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "datePublished": _iso(self.display_date),
            "dateModified": _iso(self.updated_date),
            "author": authors or [{"@type": "Organization", "name": publisher["name"]}],
            "publisher": publisher,
            "inLanguage": "en-GB",
        }
        if self.meta_description:
            data["description"] = self.meta_description
        if self.category:
            data["articleSection"] = self.category.name
        if self.tag_list:
            data["keywords"] = [tag.name for tag in self.tag_list]
        rendition = (
            rendition_or_none(self.listing_image, SOCIAL_RENDITION) if self.listing_image else None
        )
        if rendition is not None:
            data["image"] = [urljoin(root, rendition.url)]
        return data

    def get_preview_template(self, request, mode_name):
        if mode_name == "print":
            return "news/news_page_print_preview.html"
        return super().get_preview_template(request, mode_name)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # A new article in preview has no place in the tree yet; link to the one news index
        # (by name: the index module imports this one).
        if self.pk:
            news_index = self.get_parent()
        else:
            news_index = apps.get_model("news", "NewsIndexPage").objects.first()
        context.update(news_index=news_index, related_articles=self.related_articles())
        return context


class NewsPageAuthor(Orderable):
    """Someone credited on an article, with their role at the time of writing."""

    page = ParentalKey(NewsPage, on_delete=models.CASCADE, related_name="authors")
    name = models.CharField(max_length=120, help_text='e.g. "Cllr Jim McMahon".')
    role = models.CharField(
        max_length=200,
        blank=True,
        help_text='Their role when they wrote it, e.g. "Leader of Oldham Council and Chair of '
        'the CCIN".',
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional head-and-shoulders photo, shown small beside the name.",
    )

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("role")]), FieldPanel("image")]
    api_fields = [APIField("name"), APIField("role")]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}" if self.role else self.name


class NewsPageChangeNote(Orderable):
    """A public note about a significant change to a published article."""

    page = ParentalKey(NewsPage, on_delete=models.CASCADE, related_name="change_notes")
    changed_at = models.DateTimeField(
        default=timezone.now, help_text="When the change was published. Defaults to now."
    )
    note = models.CharField(
        max_length=300,
        help_text="What changed, for readers, e.g. “Corrected the list of councils”.",
    )

    panels = [FieldRowPanel([FieldPanel("changed_at"), FieldPanel("note")])]

    class Meta(Orderable.Meta):
        verbose_name = "change note"

    def __str__(self) -> str:
        return self.note
