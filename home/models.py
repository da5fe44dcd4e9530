"""Pages and settings shared by the whole site: home, standard pages, site settings."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    AbstractGroupApprovalTask,
    Page,
    PageViewRestriction,
    Site,
    TaskState,
)
from wagtail.search import index

from .api_fields import listing_api_fields
from .blocks import RICH_TEXT_FEATURES, SOCIAL_PLATFORMS, BaseStreamBlock, SocialLinkBlock

MISSION = "People-centred councils driving social innovation, putting people first"


class ListingFieldsMixin(models.Model):
    """A summary and image used in listings, feeds, search results and social cards."""

    summary = models.TextField(
        blank=True,
        max_length=400,
        help_text="One or two plain sentences. Shown in listings, feeds, search results "
        "and as the description search engines and social sites display.",
    )
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown on cards and when the page is shared. Landscape, at least 1200×630.",
    )

    listing_panels = [FieldPanel("summary"), FieldPanel("listing_image")]

    class Meta:
        abstract = True


class PoliticalFlagMixin(models.Model):
    """Marks pages that need a second approval during the pre-election period."""

    political = models.BooleanField(
        "politically sensitive",
        default=False,
        help_text="Tick if this page comments on parties, candidates, elections or council "
        "control. During the pre-election period such pages need a second moderator's "
        "approval before they go live.",
    )

    settings_panels = [*Page.settings_panels, FieldPanel("political")]

    class Meta:
        abstract = True


class BasePage(ListingFieldsMixin, Page):
    """Every page type of the site: listing fields, meta description, social image."""

    search_fields = [*Page.search_fields, index.SearchField("summary")]
    promote_panels = [
        MultiFieldPanel(Page.promote_panels, heading="Address and search engines"),
        MultiFieldPanel(ListingFieldsMixin.listing_panels, heading="Listings and sharing"),
    ]
    # Fields of the public API (/api/v2/pages/); page types add theirs.
    api_fields = listing_api_fields()

    class Meta:
        abstract = True

    @property
    def meta_description(self) -> str:
        return self.search_description or self.summary

    @property
    def social_image(self):
        return self.listing_image

    def get_structured_data(self, request=None) -> dict | None:
        """schema.org JSON-LD for this page; page types add their own node (articles)."""
        from .structured_data import breadcrumb_list, graph

        return graph(
            self.get_structured_data_node(request),
            breadcrumb_list(self, request, self.get_subpage_crumbs(request)),
        )

    def get_subpage_crumbs(self, request=None) -> list[tuple[str, str]]:
        """(name, absolute URL) crumbs below this page when a routable sub-page is shown."""
        return []

    def get_structured_data_node(self, request=None) -> dict | None:
        """The page's own schema.org node, e.g. a NewsArticle; none for plain pages."""
        return None

    def get_view_restrictions(self):
        """Wagtail's check, skipped without a query outside every private section."""
        from .restrictions import in_private_section

        if self.alias_of_id is None and not in_private_section(self):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class HomePage(PoliticalFlagMixin, BasePage):
    """The site root: mission, network figures, latest news, featured case studies."""

    mission = models.CharField(
        max_length=200,
        default=MISSION,
        help_text="The network's one-line mission, shown as the page's main heading.",
    )
    intro = RichTextField(
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text="A short paragraph under the mission: who the network is.",
    )
    body = StreamField(
        BaseStreamBlock(),
        blank=True,
        help_text="Optional sections shown after the network figures.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("mission"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def route(self, request, path_components):
        """Wagtail's routing, with the chain of pages below the root read in one query."""
        from .routing import fast_route

        if path_components:
            result = fast_route(self, request, path_components)
            if result is not None:
                return result
        return super().route(request, path_components)

    def get_structured_data_node(self, request=None) -> dict | None:
        from .structured_data import organization

        return organization(request)

    def get_context(self, request, *args, **kwargs):
        from django.db.models import Prefetch, prefetch_related_objects

        from .images import card_renditions
        from .page_cache import remember

        context = super().get_context(request, *args, **kwargs)
        sections = remember(f"home-sections:{self.pk}", self.sections)
        # Renditions per request, not remembered: an image published without its renditions
        # would otherwise look for them in a stale list, and make them, on every request.
        cards = [*sections["latest_news"], *sections["featured_case_studies"]]
        images = [card.listing_image for card in cards if card.listing_image_id]
        prefetch_related_objects(images, Prefetch("renditions", queryset=card_renditions()))
        context.update(sections)
        return context

    @staticmethod
    def sections() -> dict:
        """The latest news and featured case studies: the same for every visitor until an edit."""
        from casestudies.models import CaseStudyIndexPage, CaseStudyPage
        from news.models import NewsIndexPage

        from .images import forget_renditions

        # Articles live under the index, so a private index has no public articles to list.
        news_index = NewsIndexPage.objects.live().first()
        latest_news = list(news_index.latest_articles(3)) if news_index else []
        featured = CaseStudyPage.for_home()
        for card in [*latest_news, *featured]:  # loaded per request (get_context)
            if card.listing_image_id:
                forget_renditions(card.listing_image)
        return {
            "news_index": news_index,
            "latest_news": latest_news,
            "featured_case_studies": featured,
            "case_study_index": CaseStudyIndexPage.objects.live().public().first(),
        }


class StandardPage(PoliticalFlagMixin, BasePage):
    """A plain content page: about, accessibility statement, privacy, contact."""

    intro = models.TextField(blank=True, help_text="An optional lead paragraph in plain text.")
    body = StreamField(BaseStreamBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = "standard page"

    @property
    def meta_description(self) -> str:
        return self.search_description or self.summary or self.intro


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Contacts, social links, press boilerplate and the network's published figures."""

    organisation_name = models.CharField(
        max_length=200, default="Co-operative Councils' Innovation Network"
    )
    short_name = models.CharField(max_length=20, default="CCIN")
    contact_email = models.EmailField(default="info@councils.coop")
    press_office_name = models.CharField(
        max_length=200, default="CCIN Press Office", help_text="Shown on every press release."
    )
    press_office_email = models.EmailField(default="press@councils.coop")
    press_office_phone = models.CharField(max_length=40, blank=True)
    social_links = StreamField([("link", SocialLinkBlock())], blank=True)
    accessibility_statement = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Linked from the footer of every page.",
    )
    about_boilerplate = RichTextField(
        features=["bold", "italic", "link"],
        blank=True,
        verbose_name="About CCIN boilerplate",
        help_text='The "About CCIN" note to editors under each press release.',
    )

    full_members = models.PositiveIntegerField(default=44)
    associate_members = models.PositiveIntegerField(default=28)
    affiliates = models.PositiveIntegerField(default=45)
    supporters = models.PositiveIntegerField(default=23)
    citizens_served = models.PositiveBigIntegerField(
        default=12_270_000, help_text="People living in full member areas, e.g. 12270000."
    )
    combined_budget = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("20.94"),
        verbose_name="combined budget (£bn)",
        help_text="Members' combined annual budget in billions of pounds, e.g. 20.94.",
    )
    figures_as_of = models.DateField(
        null=True, blank=True, help_text="When the network published these figures."
    )

    pre_election_start = models.DateTimeField(
        "pre-election period starts",
        null=True,
        blank=True,
        help_text="The start of the pre-election period (\u201cpurdah\u201d) before local "
        "elections. While it runs, public pages show a notice and politically sensitive "
        "pages need a second moderator's approval.",
    )
    pre_election_end = models.DateTimeField(
        "pre-election period ends",
        null=True,
        blank=True,
        help_text="Usually the close of polls on election day.",
    )
    pre_election_notice = models.TextField(
        blank=True,
        default="We are in the pre-election period before local elections. Until polling "
        "day we are not publishing new material that could be seen as seeking to influence "
        "voters; our existing pages remain available.",
        help_text="Shown at the top of every public page during the pre-election period.",
    )

    contact_panels = [
        FieldRowPanel([FieldPanel("organisation_name"), FieldPanel("short_name")]),
        FieldPanel("contact_email"),
        MultiFieldPanel(
            [
                FieldPanel("press_office_name"),
                FieldRowPanel([FieldPanel("press_office_email"), FieldPanel("press_office_phone")]),
            ],
            heading="Press office",
        ),
        FieldPanel("social_links"),
        FieldPanel("accessibility_statement"),
        FieldPanel("about_boilerplate"),
    ]
    figures_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("full_members"),
                        FieldPanel("associate_members"),
                        FieldPanel("affiliates"),
                        FieldPanel("supporters"),
                    ]
                ),
                FieldRowPanel([FieldPanel("citizens_served"), FieldPanel("combined_budget")]),
                FieldPanel("figures_as_of"),
            ],
            heading="Network figures, as the network publishes them",
            help_text="Affiliates can be individuals, so these are entered here rather than "
            "counted from the member directory.",
        )
    ]
    pre_election_panels = [
        FieldRowPanel([FieldPanel("pre_election_start"), FieldPanel("pre_election_end")]),
        FieldPanel("pre_election_notice"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(contact_panels, heading="Contacts and footer"),
            ObjectList(figures_panels, heading="Network figures"),
            ObjectList(pre_election_panels, heading="Pre-election period"),
        ]
    )

    class Meta:
        verbose_name = "site settings"

    @classmethod
    def base_queryset(cls):
        # The footer links the accessibility statement on every page.
        return super().base_queryset().select_related("accessibility_statement")

    @classmethod
    def for_site(cls, site):
        """The settings, from the cache until any content (these settings included) changes."""
        from .page_cache import remember

        if site is None:
            return super().for_site(site)
        return remember(f"site-settings:{site.pk}", lambda: super(SiteSettings, cls).for_site(site))

    def clean(self):
        super().clean()
        if (
            self.pre_election_start
            and self.pre_election_end
            and self.pre_election_end <= self.pre_election_start
        ):
            raise ValidationError({"pre_election_end": "The period must end after it starts."})

    def in_pre_election_period(self, at: datetime | None = None) -> bool:
        """Whether the pre-election period is running at the given time (default: now)."""
        if not (self.pre_election_start and self.pre_election_end):
            return False
        at = at or timezone.now()
        return self.pre_election_start <= at < self.pre_election_end

    @property
    def pre_election_active(self) -> bool:
        return self.in_pre_election_period()

    @property
    def total_members(self) -> int:
        return self.full_members + self.associate_members + self.affiliates + self.supporters

    @property
    def citizens_display(self) -> str:
        """12270000 → "12.27m"."""
        return f"{self.citizens_served / 1_000_000:.2f}".rstrip("0").rstrip(".") + "m"

    @property
    def budget_display(self) -> str:
        """Decimal("20.94") → "£20.94bn"."""
        return f"£{self.combined_budget.normalize():f}bn"

    @cached_property
    def social_link_list(self) -> list[dict]:
        """[{"label": "LinkedIn", "url": …}, …] for the footer."""
        labels = dict(SOCIAL_PLATFORMS)
        return [
            {
                "label": labels.get(block.value["platform"], block.value["platform"]),
                "url": block.value["url"],
            }
            for block in self.social_links
        ]


class SchedulerRun(models.Model):
    """One run of `publish_scheduled`, so the admin can tell when the scheduler has stopped."""

    started_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published = models.PositiveIntegerField(default=0)
    succeeded = models.BooleanField(default=False)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"publish_scheduled at {self.started_at:%Y-%m-%d %H:%M}"


class PreElectionApprovalTask(AbstractGroupApprovalTask):
    """A second approval, needed only for politically sensitive pages in the pre-election period.

    Outside the period, or for other content, the task skips itself when it starts, so the
    workflow moves straight on and editors see no extra step.
    """

    def start(self, workflow_state, user=None):
        obj = workflow_state.content_object
        page = obj.specific if isinstance(obj, Page) else obj
        needed = getattr(page, "political", False) and self._in_period(page)
        if needed:
            return super().start(workflow_state, user=user)
        task_state = TaskState(
            workflow_state=workflow_state,
            task=self,
            revision=obj.get_latest_revision(),
            status=TaskState.STATUS_SKIPPED,
            finished_at=timezone.now(),
            comment="Not needed: not politically sensitive, or outside the pre-election period.",
        )
        task_state.save()
        return task_state

    @staticmethod
    def _in_period(page) -> bool:
        site = page.get_site() if isinstance(page, Page) else None
        site = site or Site.objects.filter(is_default_site=True).first()
        return site is not None and SiteSettings.for_site(site).in_pre_election_period()

    class Meta:
        verbose_name = "pre-election approval task"
        verbose_name_plural = "pre-election approval tasks"
