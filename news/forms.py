"""The news index's filters: kind, category, tag and year, combined."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.http import urlencode


class NewsFilterForm(forms.Form):
    """GET filters for the news listing. Unknown values are errors, shown as a clear message."""

    kind = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "There is no kind of article called “%(value)s”."},
    )
    category = forms.ModelChoiceField(
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label="All categories",
        error_messages={"invalid_choice": "There is no news category called “%(value)s”."},
    )
    tag = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "No published article is tagged “%(value)s”."},
    )
    year = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "There is no news from “%(value)s”."},
    )

    def __init__(self, data, *, years: list[int], tags, fixed_category=None, fixed_tag=None):
        from .models import NewsCategory, NewsKind

        super().__init__(data)
        self.fields["kind"].choices = [("", "All kinds"), *NewsKind.choices]
        self.fields["category"].queryset = NewsCategory.objects.all()
        self.fields["tag"].choices = [("", "All tags"), *((t.slug, t.name) for t in tags)]
        self.fields["year"].choices = [("", "All years"), *((str(y), str(y)) for y in years)]
        # On /news/category/<slug>/ and /news/tag/<slug>/ that filter is the page itself.
        if fixed_category is not None:
            del self.fields["category"]
        if fixed_tag is not None:
            del self.fields["tag"]
        self.fixed_category = fixed_category
        self.fixed_tag = fixed_tag

    def filter(self, articles: QuerySet) -> QuerySet:
        """Apply the valid filters (and the page's own category or tag) to a NewsPage queryset."""
        data = self.cleaned_data
        category = self.fixed_category or data.get("category")
        tag_slug = self.fixed_tag.slug if self.fixed_tag is not None else data.get("tag")
        if data.get("kind"):
            articles = articles.filter(kind=data["kind"])
        if category is not None:
            articles = articles.filter(category=category)
        if tag_slug:
            articles = articles.filter(tagged_items__tag__slug=tag_slug)
        if data.get("year"):
            articles = articles.filter(release_date__year=int(data["year"]))
        return articles

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
