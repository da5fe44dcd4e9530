"""The news index's filters: kind, category, tag and year, combined."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from .models.snippets import NewsKind


def _text(value) -> str:
    """A value as the templates' ``|stringformat:'s'`` gives it."""
    if isinstance(value, tuple):
        value = str(value)
    return "%s" % value  # noqa: UP031 - what the filter does


def _attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html, in Python."""
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(" {}", name)
                if value is True
                else format_html(' {}="{}"', name, _text(value)),
            )
            for name, value in attrs.items()
            if value is not False
        ),
    )


class QuickSelect(forms.Select):
    """A ``<select>`` with exactly the HTML of Django's template, built without the renderer.

    Django renders a select through two templates plus one include per option; for the news
    filters (about forty options) that was a quarter of the listing's time. For flat choices
    with string labels (option groups go to Django's templates). tests/news/test_remembered.py
    checks the output against Django's own.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = widget["optgroups"]
        if any(group_name for group_name, _choices, _index in groups):
            return super().render(name, value, attrs, renderer)
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>\n',
            (
                (_text(option["value"]), _attrs_html(option["attrs"]), option["label"])
                for _group_name, choices, _index in groups
                for option in choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            _attrs_html(widget["attrs"]),
            options,
        )


class NewsFilterForm(forms.Form):
    """GET filters for the news listing. Unknown values are errors, shown as a clear message."""

    kind = forms.ChoiceField(
        required=False,
        widget=QuickSelect,
        error_messages={"invalid_choice": "There is no kind of article called “%(value)s”."},
    )
    # Chosen by slug from the categories passed in (read once per content version), not a
    # ModelChoiceField: that queried the table to list the choices and again to validate.
    category = forms.ChoiceField(
        required=False,
        widget=QuickSelect,
        error_messages={"invalid_choice": "There is no news category called “%(value)s”."},
    )
    tag = forms.ChoiceField(
        required=False,
        widget=QuickSelect,
        error_messages={"invalid_choice": "No published article is tagged “%(value)s”."},
    )
    year = forms.ChoiceField(
        required=False,
        widget=QuickSelect,
        error_messages={"invalid_choice": "There is no news from “%(value)s”."},
    )

    def __init__(
        self,
        data,
        *,
        years: list[int],
        tags,
        categories,
        fixed_category=None,
        fixed_tag=None,
    ):
        super().__init__(data)
        self.categories = {category.slug: category for category in categories}
        self.fields["kind"].choices = [("", "All kinds"), *NewsKind.choices]
        self.fields["category"].choices = [
            ("", "All categories"),
            *((category.slug, str(category)) for category in categories),
        ]
        self.tags = {tag.slug: tag for tag in tags}
        self.fields["tag"].choices = [("", "All tags"), *((t.slug, t.name) for t in tags)]
        self.fields["year"].choices = [("", "All years"), *((str(y), str(y)) for y in years)]
        # On /news/category/<slug>/ and /news/tag/<slug>/ that filter is the page itself.
        if fixed_category is not None:
            del self.fields["category"]
        if fixed_tag is not None:
            del self.fields["tag"]
        self.fixed_category = fixed_category
        self.fixed_tag = fixed_tag

    def clean_category(self):
        """The chosen NewsCategory, or None for all."""
        slug = self.cleaned_data.get("category")
        return self.categories[slug] if slug else None

    def select(self, entries) -> list[int]:
        """The ids of the articles the valid filters (and the page's own category or tag) keep.

        ``entries`` are a listing snapshot's (pk, kind, category id, year, tag ids), newest
        first; the ids keep that order.
        """
        data = self.cleaned_data
        kind = data.get("kind") or None
        category = self.fixed_category or data.get("category")
        category_id = category.pk if category is not None else None
        tag = self.fixed_tag
        if tag is None and data.get("tag"):
            tag = self.tags[data["tag"]]
        tag_id = tag.pk if tag is not None else None
        year = int(data["year"]) if data.get("year") else None
        return [
            pk
            for pk, article_kind, article_category_id, article_year, tag_ids in entries
            if (kind is None or article_kind == kind)
            and (category_id is None or article_category_id == category_id)
            and (tag_id is None or tag_id in tag_ids)
            and (year is None or article_year == year)
        ]

    def _params(self) -> dict[str, str]:
        """The valid, non-empty filters as query-string values."""
        if not self.is_valid():
            return {}
        params = {}
        for name, value in self.cleaned_data.items():
            if value:
                params[name] = getattr(value, "slug", value)
        return params

    def query_string(self) -> str:
        return urlencode(self._params())

    def active_filters(self, base_url: str) -> list[dict[str, str]]:
        """Each applied filter with a link that removes just that one."""
        params = self._params()
        active = []
        for name, value in params.items():
            field = self[name]
            if name == "category":
                label = self.cleaned_data["category"].name
            else:
                label = dict(self.fields[name].choices).get(value, value)
            others = {key: val for key, val in params.items() if key != name}
            remove_url = f"{base_url}?{urlencode(others)}" if others else base_url
            active.append({"label": f"{field.label}: {label}", "remove_url": remove_url})
        return active

    def error_list(self) -> list[str]:
        return [message for errors in self.errors.values() for message in errors]
