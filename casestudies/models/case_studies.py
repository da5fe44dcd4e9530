"""The case study library: an index with facets and feeds, and the case studies."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page
from wagtail.search import index

from caching.versions import remember
from home.api_fields import (
    CommaListField,
    NameSlugListField,
    TagNamesField,
    TitleListField,
    body_api_fields,
)
from home.blocks import BaseStreamBlock
from home.images import prefetch_card_renditions
from home.models import BasePage
from home.structured_data import article, organisations
from membership.api_fields import MemberRefField, MemberRefListField
from membership.models import Nation

from ..blocks import DocumentsBlock, OutcomesBlock

FIRST_YEAR = 2000
CARD_RENDITION = "fill-640x360"  # the size components/card.html asks for
PRINCIPLE_ICON_RENDITION = "fill-48x48"  # components/casestudies_principles.html
# What a card shows (components/card.html): title, link, summary, image, "council · year".
CARD_FIELDS = (
    "title",
    "url_path",
    "summary",
    "listing_image",
    "lead_council__name",
    "other_organisations",
    "year",
)


def this_year() -> int:
    return timezone.localdate().year


class CaseStudyStatus(models.TextChoices):
    ONGOING = "ongoing", "Ongoing"
    COMPLETED = "completed", "Completed"


class CaseStudyTag(TaggedItemBase):
    content_object = ParentalKey(
        "casestudies.CaseStudyPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class CaseStudyRelatedPage(Orderable):
    page = ParentalKey(
        "casestudies.CaseStudyPage", on_delete=models.CASCADE, related_name="related_links"
    )
    related = models.ForeignKey(
        "casestudies.CaseStudyPage",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Another case study a reader of this one should see.",
    )

    panels = [PageChooserPanel("related", page_type="casestudies.CaseStudyPage")]


class CaseStudyPage(BasePage):
    """How a council, or several, put co-operative values into practice."""

    lead_council = models.ForeignKey(
        "membership.MemberCouncil",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_studies_led",
        help_text="The member council that led the work. Leave empty if the lead was not a "
        "member, and name it under other organisations.",
    )
    participating_councils = ParentalManyToManyField(
        "membership.MemberCouncil",
        blank=True,
        related_name="case_studies_joined",
        help_text="Other member councils that took part (not the lead council).",
    )
    other_organisations = models.CharField(
        max_length=400,
        blank=True,
        help_text="Partners that are not members, separated by commas, e.g. "
        '"Co-operative Futures, a local housing co-operative".',
    )
    status = models.CharField(
        max_length=20,
        choices=CaseStudyStatus.choices,
        default=CaseStudyStatus.COMPLETED,
        help_text="Is the work still going on?",
    )
    year = models.PositiveSmallIntegerField(
        default=this_year,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(2100)],
        help_text="The year the work started, or the year it reported. Visitors filter by it.",
    )
    nation = models.CharField(
        max_length=20,
        choices=Nation.choices,
        blank=True,
        help_text="Set automatically from the lead council, or from the participating "
        "councils when they are all in one nation; choose it yourself otherwise.",
    )
    themes = ParentalManyToManyField(
        "casestudies.Theme",
        blank=True,
        related_name="case_studies",
        help_text="One to three themes. Visitors filter the library by them.",
    )
    principles = ParentalManyToManyField(
        "membership.Principle",
        blank=True,
        related_name="case_studies",
        help_text="The network's principles this work puts into practice.",
    )
    featured = models.BooleanField(
        default=False,
        help_text="Show on the home page. The newest featured case studies appear first.",
    )
    body = StreamField(BaseStreamBlock(), blank=True, help_text="The story: what, why and how.")
    outcomes = StreamField(
        OutcomesBlock(),
        blank=True,
        help_text="Key figures with labels, only as the council has published them.",
    )
    documents = StreamField(
        DocumentsBlock(), blank=True, help_text="Reports, plans or evaluations to download."
    )
    tags = ClusterTaggableManager(
        through=CaseStudyTag,
        blank=True,
        help_text="Free keywords for site search, e.g. community energy, participatory budgeting.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("outcomes"),
        FieldPanel("documents"),
    ]
    about_panels = [
        MultiFieldPanel(
            [
                FieldPanel("lead_council"),
                FieldPanel("participating_councils"),
                FieldPanel("other_organisations"),
            ],
            heading="Who did it",
        ),
        FieldRowPanel([FieldPanel("status"), FieldPanel("year"), FieldPanel("nation")]),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("principles", widget=forms.CheckboxSelectMultiple),
        FieldPanel("tags"),
        FieldPanel("featured"),
        InlinePanel("related_links", label="Related case studies", max_num=3),
    ]
    promote_panels = [
        MultiFieldPanel(Page.promote_panels, heading="Address and search engines"),
        FieldPanel("listing_image"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(about_panels, heading="Councils, themes and principles"),
            ObjectList(promote_panels, heading="Promote"),
            ObjectList(BasePage.settings_panels, heading="Settings"),
        ]
    )
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("body"),
        index.SearchField("other_organisations"),
        index.RelatedFields("lead_council", [index.SearchField("name")]),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("year"),
        index.FilterField("nation"),
    ]

    api_fields = [
        *BasePage.api_fields,
        APIField("lead_council", serializer=MemberRefField()),
        APIField("participating_councils", serializer=MemberRefListField()),
        APIField("other_organisations", serializer=CommaListField()),
        APIField("status"),
        APIField("year"),
        APIField("nation"),
        APIField("themes", serializer=NameSlugListField()),
        APIField("principles", serializer=TitleListField()),
        APIField("tags", serializer=TagNamesField()),
        *body_api_fields("body"),
        APIField("outcomes"),
        APIField("documents"),
    ]

    # Loaded with the page when it is served (caching.routing): the page shows them anyway.
    route_select_related = ("lead_council", "listing_image")
    parent_page_types = ["casestudies.CaseStudyIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "case study"
        verbose_name_plural = "case studies"

    @classmethod
    def for_home(cls, limit: int = 3) -> list[CaseStudyPage]:
        """Editor-featured case studies first, then the newest, for the home page.

        Renditions are not read here: the list is remembered (casestudies_tags), and its
        renditions are read per request (home.images.prefetch_card_renditions).
        """
        return list(
            cls.objects.live()
            .public()
            .defer_streamfields()
            .select_related("lead_council", "listing_image")
            .order_by("-featured", "-first_published_at", "-pk")[:limit]
        )

    def clean(self) -> None:
        super().clean()
        if self.lead_council_id is None and not self.other_organisations.strip():
            raise ValidationError(
                {
                    "lead_council": "Choose the lead member council, or name the lead "
                    "organisation under other organisations."
                }
            )

    def save(self, *args, **kwargs):
        self.nation = self.derived_nation()
        return super().save(*args, **kwargs)

    def derived_nation(self) -> str:
        """The lead council's nation; else the participating councils' if they share one."""
        if self.lead_council_id is not None:
            return self.lead_council.nation
        nations = {council.nation for council in self.participating_councils.all()}
        return nations.pop() if len(nations) == 1 else self.nation

    def get_structured_data_node(self, request: HttpRequest | None = None) -> dict:
        """schema.org Article written by the councils that did the work."""
        # Loaded once here and reused by the page template, which lists the same records.
        prefetch_related_objects([self], "participating_councils", "themes", "tags")

        councils = [self.lead_council] if self.lead_council_id else []
        councils += list(self.participating_councils.all())
        names = [council.name for council in councils] + self.organisation_list
        return article(
            self,
            request,
            authors=organisations(names),
            about=[theme.name for theme in self.themes.all()],
            keywords=[tag.name for tag in self.tags.all()],
        )

    @property
    def listing_meta(self) -> str:
        """ "Kirklees Council · 2024": who and when, for cards and feeds."""
        if self.lead_council_id:
            who = self.lead_council.name
        else:
            who = next(iter(self.organisation_list), "")
        return " · ".join(part for part in (who, str(self.year)) if part)

    @property
    def index_url(self) -> str:
        """The library's address, from this page's own (no query for the parent page)."""
        url = self.url or ""
        return url[: url.rstrip("/").rfind("/") + 1] if url else ""

    @property
    def organisation_list(self) -> list[str]:
        return [name.strip() for name in self.other_organisations.split(",") if name.strip()]

    @cached_property
    def principle_list(self) -> list:
        """The principles met, each with its icon and the icon's rendition (one query, or
        two when there are icons; a query per icon otherwise)."""
        renditions = (
            get_image_model()
            .get_rendition_model()
            .objects.filter(filter_spec=PRINCIPLE_ICON_RENDITION)
        )
        return list(
            self.principles.select_related("icon").prefetch_related(
                Prefetch("icon__renditions", queryset=renditions)
            )
        )

    @cached_property
    def related_case_studies(self) -> list[CaseStudyPage]:
        """Editors' choices, else the newest others sharing a theme; ready for cards."""
        return with_card_renditions(self.related_pages())

    def related_pages(self) -> list[CaseStudyPage]:
        """Editors' choices (this page's own, a preview's included), else the newest others
        sharing a theme. Pages only, so they may be remembered: ``with_card_renditions``
        reads their renditions."""
        visible = (
            CaseStudyPage.objects.live()
            .public()
            .defer_streamfields()
            .select_related("lead_council", "listing_image")
        )
        chosen_ids = [link.related_id for link in self.related_links.all()]
        if chosen_ids:
            by_id = {page.pk: page for page in visible.filter(pk__in=chosen_ids)}
            return [by_id[pk] for pk in chosen_ids if pk in by_id]
        theme_ids = CaseStudyPage.themes.through.objects.filter(casestudypage_id=self.pk)
        same_theme = CaseStudyPage.themes.through.objects.filter(
            theme_id__in=theme_ids.values("theme_id")
        ).values("casestudypage_id")
        return list(
            visible.filter(pk__in=same_theme)
            .exclude(pk=self.pk)
            .order_by("-year", "-first_published_at")[:3]
        )

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["related"] = self.related_for(request)
        return context

    def related_for(self, request: HttpRequest) -> list[CaseStudyPage]:
        """The related cards this request shows.

        A preview shows the editor's unsaved choices; the live page's list is the same for
        every visitor until content changes, so its pages are remembered (two queries and
        2–4 ms of building pages otherwise) and their renditions read per request
        (home.images).
        """
        if getattr(request, "is_preview", False):
            return self.related_case_studies
        pages = remember(f"casestudies:related:{self.pk}", self.related_pages)
        return with_card_renditions(pages)


def with_card_renditions(pages: list[CaseStudyPage]) -> list[CaseStudyPage]:
    """``pages`` with their card images' renditions read for this request (one query, if any
    has an image)."""
    prefetch_card_renditions(pages, CARD_RENDITION)
    return pages
