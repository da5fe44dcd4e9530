"""Pages and settings shared by the whole site: home, standard pages, site settings."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
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
from wagtail.models import Page
from wagtail.search import index

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


class BasePage(ListingFieldsMixin, Page):
    """Every page type of the site: listing fields, meta description, social image."""

    search_fields = [*Page.search_fields, index.SearchField("summary")]
    promote_panels = [
        MultiFieldPanel(Page.promote_panels, heading="Address and search engines"),
        MultiFieldPanel(ListingFieldsMixin.listing_panels, heading="Listings and sharing"),
    ]

    class Meta:
        abstract = True

    @property
    def meta_description(self) -> str:
        return self.search_description or self.summary

    @property
    def social_image(self):
        return self.listing_image


class HomePage(BasePage):
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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Each content app adds its own home-page section below (news, case studies).
        return context


class StandardPage(BasePage):
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
    edit_handler = TabbedInterface(
        [
            ObjectList(contact_panels, heading="Contacts and footer"),
            ObjectList(figures_panels, heading="Network figures"),
        ]
    )

    class Meta:
        verbose_name = "site settings"

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
