"""Wagtail documents as search results: those the public can already reach from a page.

The rule is the JSON API's (api/endpoints.py ``used_publicly``), restated here because search
sits below the API: a document is public when it is outside every private collection (a
collection with a view restriction, and the collections below it) and a live, public page
links to it (Wagtail's reference index). Otherwise the PDF of an embargoed press release or
a draft report would be found before its page goes live.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, CharField, Exists, F, OuterRef, QuerySet
from django.db.models.functions import Cast
from django.db.models.lookups import StartsWith
from django.template.defaultfilters import filesizeformat
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page, ReferenceIndex

from .sources import Hit, SearchSource


def private_collections() -> QuerySet[Collection]:
    """Collections with a view restriction on themselves or on a collection above them."""
    # A collection's path starts with the path of every collection above it (treebeard).
    restricted_above = Collection.objects.filter(
        StartsWith(OuterRef("path"), F("path")), view_restrictions__isnull=False
    )
    return Collection.objects.filter(Exists(restricted_above))


def public_documents() -> QuerySet:
    """Documents outside private collections that a live, public page links to."""
    model = get_document_model()
    public_pages = Page.objects.live().public().annotate(key=Cast("pk", output_field=CharField()))
    linked = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=public_pages.values("key"),
        to_content_type=ContentType.objects.get_for_model(model),
    ).values(target=Cast("to_object_id", output_field=BigIntegerField()))
    # Filters on the primary key and the collection only: the search backend reads no others.
    return model.objects.filter(pk__in=linked).exclude(
        collection__in=private_collections().values("pk")
    )


class DocumentsSource(SearchSource):
    name = "documents"
    label = "Documents"
    order = 40

    def querysets(self) -> list[QuerySet]:
        return [public_documents()]

    def hits(self, objects: list) -> list[Hit]:
        return [
            Hit(
                title=document.title,
                url=document.url,
                snippet=document_facts(document),
                type_label="Document",
            )
            for document in objects
        ]


def document_facts(document) -> str:
    """ "PDF, 1.2 MB": what a visitor downloads."""
    kind = (document.file_extension or "file").upper()
    if document.file_size:
        return f"{kind}, {filesizeformat(document.file_size)}"
    return kind
