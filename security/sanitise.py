"""Rich text that did not come through Wagtail's editor is cleaned before it is stored.

Draftail cleans what editors type, but Wagtail renders stored rich text as it finds it. Demo
content, the CSV importer, shell scripts and anything else that saves a model directly would
otherwise store <script>, event handlers or javascript: links verbatim. A pre_save handler
(connected in HomeConfig.ready) runs every RichTextField and every RichTextBlock inside a
StreamField through `clean_rich_text`, which keeps only Wagtail's database format: the
elements the editor can produce, page/document links and image/media embeds. Data migrations
and QuerySet.update() bypass signals; they must call `clean_rich_text` themselves.
"""

import json

from bs4 import BeautifulSoup, Tag
from bs4.formatter import HTMLFormatter
from django.core.serializers.json import DjangoJSONEncoder
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Revision
from wagtail.rich_text import RichText
from wagtail.whitelist import (
    DEFAULT_ELEMENT_RULES,
    Whitelister,
    allow_without_attributes,
    attribute_rule,
    check_url,
)

# Dropped with everything inside them (unwrapping would show their code as text).
DROP_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "noscript",
    "template",
    "textarea",
    "select",
    "svg",
    "math",
    "head",
    "title",
}


def _digits(value: str) -> str | None:
    return value if value.isdigit() else None


def _linktype(value: str) -> str | None:
    return value if value in {"page", "document"} else None


def _embedtype(value: str) -> str | None:
    return value if value in {"image", "media"} else None


RICH_TEXT_RULES = {
    **{name: rule for name, rule in DEFAULT_ELEMENT_RULES.items() if name not in {"img", "div"}},
    "a": attribute_rule({"href": check_url, "linktype": _linktype, "id": _digits}),
    "blockquote": allow_without_attributes,
    "code": allow_without_attributes,
    "s": allow_without_attributes,
    "embed": attribute_rule(
        {
            "embedtype": _embedtype,
            "id": _digits,
            "format": True,
            "alt": True,
            "url": check_url,
        }
    ),
}


class MinimalFormatter(HTMLFormatter):
    """Escape only what must be: & < > in text, and " as well inside (double-quoted) attributes.

    Wagtail's own formatter also escapes apostrophes in text; leaving them keeps clean input
    exactly as it was.
    """

    def substitute(self, ns: str) -> str:
        return ns.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def attribute_value(self, value: str) -> str:
        return self.substitute(value).replace('"', "&quot;")

    def attributes(self, tag: Tag):
        return list(tag.attrs.items())  # in their original order, not sorted


class RichTextWhitelister(Whitelister):
    """Wagtail's whitelisting engine with the rules of its rich-text database format."""

    element_rules = RICH_TEXT_RULES
    formatter = MinimalFormatter(void_element_close_prefix="/")

    def clean(self, html: str) -> str:
        doc = BeautifulSoup(html, "html.parser")
        self.clean_node(doc, doc)
        return doc.decode(formatter=self.formatter)

    def clean_tag_node(self, doc, tag: Tag) -> None:
        if tag.name in DROP_WITH_CONTENT:
            tag.decompose()
            return
        super().clean_tag_node(doc, tag)
        if tag.name == "embed" and tag.parent is not None and not tag.get("embedtype"):
            tag.decompose()


_whitelister = RichTextWhitelister()


def clean_rich_text(html: str) -> str:
    """Stored rich text reduced to what Wagtail's editor could have produced."""
    if not html:
        return html
    return _whitelister.clean(html)


def _clean_raw(block: blocks.Block, raw):
    """Clean the rich text inside one block's raw (JSON) value."""
    if isinstance(block, blocks.RichTextBlock):
        return clean_rich_text(raw) if isinstance(raw, str) else raw
    if isinstance(block, blocks.URLBlock):
        # URLBlock validates only in forms; a javascript: URL from an import would be a link.
        return (check_url(raw) or "") if isinstance(raw, str) else raw
    if isinstance(block, blocks.StreamBlock) and isinstance(raw, list):
        for child in raw:
            if isinstance(child, dict) and child.get("type") in block.child_blocks:
                child["value"] = _clean_raw(block.child_blocks[child["type"]], child.get("value"))
        return raw
    if isinstance(block, blocks.StructBlock) and isinstance(raw, dict):
        for name, child_block in block.child_blocks.items():
            if name in raw:
                raw[name] = _clean_raw(child_block, raw[name])
        return raw
    if isinstance(block, blocks.ListBlock) and isinstance(raw, list):
        for index, item in enumerate(raw):
            if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
                item["value"] = _clean_raw(block.child_block, item["value"])
            else:
                raw[index] = _clean_raw(block.child_block, item)
        return raw
    return raw


def _rich_text_fields(model) -> list:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, (RichTextField, StreamField))
    ]


def clean_instance(instance) -> None:
    """Clean every rich text value on a model instance in place."""
    for field in _rich_text_fields(type(instance)):
        value = getattr(instance, field.attname)
        if isinstance(field, RichTextField):
            if isinstance(value, RichText):
                value = value.source
            if isinstance(value, str):
                cleaned = clean_rich_text(value)
                if cleaned != value:
                    setattr(instance, field.attname, cleaned)
            continue
        raw = field.get_prep_value(value)
        if isinstance(raw, str):
            raw = json.loads(raw)
        if not raw:
            continue
        before = json.dumps(raw, cls=DjangoJSONEncoder)
        after = json.dumps(_clean_raw(field.stream_block, raw), cls=DjangoJSONEncoder)
        if after != before:
            setattr(instance, field.attname, after)


def clean_revision(revision: Revision) -> None:
    """Clean the rich text in a revision's stored copy of its object (what previews and
    comparisons render), as clean_instance does for the object itself."""
    model = revision.content_type.model_class()
    content = revision.content
    if model is None or not isinstance(content, dict):
        return
    for field in _rich_text_fields(model):
        value = content.get(field.name)
        if not value:
            continue
        if isinstance(field, RichTextField):
            if isinstance(value, str):
                content[field.name] = clean_rich_text(value)
            continue
        raw = json.loads(value) if isinstance(value, str) else value
        cleaned = _clean_raw(field.stream_block, raw)
        content[field.name] = (
            json.dumps(cleaned, cls=DjangoJSONEncoder) if isinstance(value, str) else cleaned
        )


def clean_rich_text_before_save(sender, instance, raw: bool = False, **kwargs) -> None:
    """pre_save receiver; skips fixture loading (raw), which stores data exactly as dumped."""
    if raw:
        return
    if sender is Revision:
        clean_revision(instance)
    elif _rich_text_fields(sender):
        clean_instance(instance)
