"""Themes: the subject tags visitors filter case studies and publications by."""

from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index


class Theme(index.Indexed, models.Model):
    """A subject such as "Housing" or "Net zero and energy"; tags case studies and reports."""

    name = models.CharField(
        max_length=80, unique=True, help_text='Short and plain, e.g. "Housing".'
    )
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="Used in filtered web addresses such as /case-studies/?theme=housing. "
        "Changing it breaks links people have shared.",
    )
    description = models.TextField(
        blank=True, help_text="One or two sentences saying what the theme covers."
    )

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = "theme"

    def __str__(self) -> str:
        return self.name
