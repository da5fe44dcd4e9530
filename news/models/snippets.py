"""Records the newsroom links to: kinds of article and categories."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class NewsKind(models.TextChoices):
    PRESS_RELEASE = "press-release", "Press release"
    NEWS = "news", "News"
    OPINION = "opinion", "Opinion"


class NewsCategory(index.Indexed, models.Model):
    """A section of the newsroom, e.g. Governance; each has its own page and feed."""

    name = models.CharField(max_length=80, unique=True, help_text='e.g. "Governance".')
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="Used in the category's web address, e.g. /news/category/governance/. "
        "Changing it breaks links and feed subscriptions.",
    )
    description = models.TextField(
        blank=True,
        max_length=400,
        help_text="One or two sentences shown at the top of the category's page and feed.",
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = "news category"
        verbose_name_plural = "news categories"

    def __str__(self) -> str:
        return self.name
