"""Image files served by the app itself (no bucket, SERVE_MEDIA on).

Renditions (``images/``) are what pages show. An original (``original_images/``) is served
only while the API would list that image: used by a live, public page, or a listed member's
or active supplier's logo. The picture of an embargoed press release or of a private page
stays private even to someone who guesses its file name.
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.static import serve
from wagtail.images import get_image_model

from api.endpoints import used_publicly


def rendition(request: HttpRequest, name: str) -> HttpResponse:
    return serve(request, f"images/{name}", document_root=settings.MEDIA_ROOT)


def original(request: HttpRequest, name: str) -> HttpResponse:
    images = get_image_model().objects.filter(file=f"original_images/{name}")
    if not used_publicly(images, request, logos=True).exists():
        raise Http404("No such image")
    return serve(request, f"original_images/{name}", document_root=settings.MEDIA_ROOT)
