"""The old site's file addresses (/wp-content/uploads/…) answer with the imported file.

Posts, other sites and search engines link the old upload URLs, often a resized copy
(kirklees-energy-300x200.jpg) that WordPress made. One row per address would not know those
copies, so this view finds the imported attachment by its path and redirects once: documents
to Wagtail's document view (which keeps its privacy checks and download headers), images to
a rendition of the same size (the original, for the original).
"""

import re

from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from wagtail.images.exceptions import InvalidFilterSpecError

from .models import ImportedItem
from .uploads import original_of, relative_upload_path

SIZE = re.compile(r"-(\d{1,4})x(\d{1,4})\.[A-Za-z0-9]+$")


def old_upload(request: HttpRequest, path: str) -> HttpResponsePermanentRedirect:
    relative = relative_upload_path(f"uploads/{path}")
    if not relative:
        raise Http404("No such file")
    original = original_of(relative)
    imported = (
        ImportedItem.objects.filter(file_path__in={relative, original})
        .select_related("image", "document")
        .order_by("-updated_at")
        .first()
    )
    if imported is None:
        raise Http404("No such file")
    if imported.document is not None:
        return HttpResponsePermanentRedirect(imported.document.url)
    if imported.image is None:
        raise Http404("No such file")
    size = SIZE.search(relative) if relative != imported.file_path else None
    spec = f"max-{size.group(1)}x{size.group(2)}" if size else "original"
    try:
        rendition = imported.image.get_rendition(spec)
    except (InvalidFilterSpecError, OSError, ValueError):
        raise Http404("No such file") from None
    return HttpResponsePermanentRedirect(rendition.url)
