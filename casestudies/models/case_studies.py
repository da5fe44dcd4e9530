"""The case study library: an index with facets and feeds, and the case studies."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import (
    CharField,
    F,
    IntegerField,
    Prefetch,
    Value,
    Window,
)
from django.db.models.functions import Cast, RowNumber
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
from home.images import prefetch_card_renditions, prefetch_page_renditions
from home.models import BasePage
from home.structured_data import article, organisations
from membership.api_fields import MemberRefField, MemberRefListField
from membership.models import Nation

from ..blocks import DocumentsBlock, OutcomesBlock

FIRST_YEAR = 2000
CARD_RENDITION = "fill-640x360"  # the size components/card.html asks for
PRINCIPLE_ICON_RENDITION = "fill-48x48"  # components/casestudies_principles.html
# What a case study lists besides its lead (CaseStudyFacts).
FACT_KINDS = ("councils", "themes", "principles", "tags")
# In the key of what a case study remembers (CaseStudyPage.remembered): a deploy that changes
# its shape bumps it, so values pickled by the previous code are never read.
REMEMBERED_FORMAT = 1


def this_year() -> int:
    return timezone.localdate().year


def organisation_list(other_organisations: str) -> list[str]:
    return [name.strip() for name in other_organisations.split(",") if name.strip()]


def listing_meta(lead_council: str, other_organisations: str, year: int) -> str:
    """ "Kirklees Council · 2024": the lead council, else the first other organisation,
    and the year."""
    who = lead_council or next(iter(organisation_list(other_organisations)), "")
    return " · ".join(part for part in (who, str(year)) if part)


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
        facts = self.facts_for(request)
        councils = [self.lead_council.name] if self.lead_council_id else []
        names = councils + [council.name for council in facts.councils] + self.organisation_list
        return article(
            self,
            request,
            authors=organisations(names),
            about=[theme.name for theme in facts.themes],
            keywords=facts.tags,
        )

    def facts_for(self, request: HttpRequest | None) -> CaseStudyFacts:
        """The councils, themes, principles and keywords the page and its JSON-LD list.

        Read once per request (``get_context`` reads them, the JSON-LD reuses them): a live
        page's from what is remembered for it (``remembered``), a preview's from the editor's
        unsaved choices.
        """
        facts = self.__dict__.get("_facts")
        if facts is None:
            if getattr(request, "is_preview", False) or self.pk is None:
                facts = CaseStudyFacts.from_relations(self)
            else:
                facts = CaseStudyFacts.from_rows(self.remembered[1])
            self._facts = facts
        return facts

    @cached_property
    def remembered(self) -> tuple[list[CaseStudyPage], dict[str, list[tuple]]]:
        """What every visitor of the live page shares until content changes, in one
        remembered value (one cache read): the related pages (``related_pages``) and the
        rows of the lists it shows (``CaseStudyFacts.read_rows``). Pages and rows only: their
        renditions are read per request."""
        return remember(
            f"casestudies:page:{REMEMBERED_FORMAT}:{self.pk}",
            lambda: (self.related_pages(), CaseStudyFacts.read_rows(self.pk)),
        )

    @property
    def listing_meta(self) -> str:
        """ "Kirklees Council · 2024": who and when, for cards and feeds."""
        lead = self.lead_council.name if self.lead_council_id else ""
        return listing_meta(lead, self.other_organisations, self.year)

    @property
    def index_url(self) -> str:
        """The library's address, from this page's own (no query for the parent page)."""
        url = self.url or ""
        return url[: url.rstrip("/").rfind("/") + 1] if url else ""

    @property
    def organisation_list(self) -> list[str]:
        return organisation_list(self.other_organisations)

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
        related = self.related_for(request)
        context["facts"] = self.facts_for(request)
        context["related"] = related
        # Every picture the page shows (its own at every size it asks for, the cards') in
        # one query: home.images.prefetch_page_renditions.
        prefetch_page_renditions(self, related, CARD_RENDITION)
        context["main_image"] = self.listing_image
        return context

    def related_for(self, request: HttpRequest) -> list[CaseStudyPage]:
        """The related cards this request shows, their renditions not read yet
        (``with_picture_renditions``).

        A preview shows the editor's unsaved choices; the live page's list is the same for
        every visitor until content changes, so its pages are remembered (two queries and
        2–4 ms of building pages otherwise).
        """
        if getattr(request, "is_preview", False):
            return self.related_pages()
        return self.remembered[0]


def with_card_renditions(pages: list[CaseStudyPage]) -> list[CaseStudyPage]:
    """``pages`` with their card images' renditions read for this request (one query, if any
    has an image)."""
    prefetch_card_renditions(pages, CARD_RENDITION)
    return pages


@dataclass(frozen=True)
class Listed:
    """A council, theme or principle as a case study lists it: its name, the library's filter
    for it and, for principles, the icon (its rendition read with it)."""

    name: str
    slug: str
    icon: object = None

    @property
    def title(self) -> str:
        """Principles' name, as components/casestudies_principles.html calls it."""
        return self.name


@dataclass(frozen=True)
class CaseStudyFacts:
    """What a case study lists besides its lead: participating councils, themes and
    principles (each in its own order) and keywords (in the order they were added)."""

    councils: list[Listed] = field(default_factory=list)
    themes: list[Listed] = field(default_factory=list)
    principles: list[Listed] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    @classmethod
    def from_rows(cls, found: dict[str, list[tuple]]) -> CaseStudyFacts:
        """From ``read_rows``' rows, which may be remembered; the principles' icons are read
        per request, as renditions are never remembered."""
        icons = _icons({icon_id for _name, _slug, icon_id in found["principles"] if icon_id})
        return cls(
            councils=[Listed(name, slug) for name, slug, _icon in found["councils"]],
            themes=[Listed(name, slug) for name, slug, _icon in found["themes"]],
            principles=[
                Listed(name, slug, icons.get(icon_id))
                for name, slug, icon_id in found["principles"]
            ],
            tags=[name for name, _slug, _icon in found["tags"]],
        )

    @staticmethod
    def read_rows(pk: int) -> dict[str, list[tuple]]:
        """Kind → ``(name, slug, icon id)`` rows in the page's order, in one query.

        Rows, not records: the page shows names and slugs only, and a related-manager query
        per list, building a model per row, cost several times this. Each part numbers its
        rows in the database's own order, so names sort as the database collates them.
        """

        def rows(kind: str, model, name: str, slug: str, order: list, icon=None, **where):
            return (
                model.objects.filter(**where)
                .order_by()
                .annotate(
                    fact_kind=Value(kind, output_field=CharField()),
                    fact_position=Window(RowNumber(), order_by=order),
                    fact_name=F(name),
                    fact_slug=F(slug),
                    # A typed NULL: PostgreSQL reads two bare NULLs as text.
                    fact_icon=icon or Cast(Value(None), output_field=IntegerField()),
                )
                .values_list("fact_kind", "fact_position", "fact_name", "fact_slug", "fact_icon")
            )

        first, *rest = (
            rows(
                "councils",
                CaseStudyPage.participating_councils.through,
                "membercouncil__name",
                "membercouncil__slug",
                ["membercouncil__name", "membercouncil_id"],
                casestudypage_id=pk,
            ),
            rows(
                "themes",
                CaseStudyPage.themes.through,
                "theme__name",
                "theme__slug",
                ["theme__name", "theme_id"],
                casestudypage_id=pk,
            ),
            rows(
                "principles",
                CaseStudyPage.principles.through,
                "principle__title",
                "principle__slug",
                ["principle__sort_order", "principle_id"],
                icon=F("principle__icon_id"),
                casestudypage_id=pk,
            ),
            rows("tags", CaseStudyTag, "tag__name", "tag__slug", ["id"], content_object_id=pk),
        )
        numbered: dict[str, list[tuple]] = {kind: [] for kind in FACT_KINDS}
        for kind, position, name, slug, icon_id in first.union(*rest, all=True):
            numbered[kind].append((position, name, slug, icon_id))
        return {kind: [row[1:] for row in sorted(found)] for kind, found in numbered.items()}

    @classmethod
    def from_relations(cls, page: CaseStudyPage) -> CaseStudyFacts:
        """From the page's own relations: a preview's are the editor's unsaved choices."""
        return cls(
            councils=[Listed(c.name, c.slug) for c in page.participating_councils.all()],
            themes=[Listed(t.name, t.slug) for t in page.themes.all()],
            principles=[Listed(p.title, p.slug, p.icon) for p in page.principle_list],
            tags=[tag.name for tag in page.tags.all()],
        )


def _icons(ids: set[int]) -> dict:
    """Principle icons by id, with the rendition the principle list shows."""
    if not ids:
        return {}
    renditions = (
        get_image_model().get_rendition_model().objects.filter(filter_spec=PRINCIPLE_ICON_RENDITION)
    )
    images = get_image_model().objects.filter(pk__in=ids)
    return {
        image.pk: image
        for image in images.prefetch_related(Prefetch("renditions", queryset=renditions))
    }
