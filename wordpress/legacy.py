"""The addresses under /media/ that are not pages: this site's old file URLs, WordPress's archive.

Uploaded files used to be served at /media/ (the old ``MEDIA_URL``); the addresses storage
handed out then (/media/images/…, /media/original_images/…) live on in cached pages, feeds,
e-mails and search engines, so each answers one 301 to where storage serves that file now
(``default_storage.url``: /media-files/… on this server, or the bucket). Nothing is read from
disk here: whether the file exists, and whether an original may be shown, is for the address
redirected to.

On the old WordPress site /media/ was the news archive: it, its numbered pages and its feed go
to the news section. Nothing else under /media/ matches here, so an old post's address
(/media/<slug>/) falls through to Wagtail, whose redirects app turns the 404 into the
imported redirect.
"""

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from django.urls import path, re_path
from django.views.decorators.http import require_safe

NEWS = "/news/"
FEEDS = {"": "feed/", "rss2/": "feed/", "rss/": "feed/", "rdf/": "feed/", "atom/": "feed/atom/"}


@require_safe
def old_file(request: HttpRequest, folder: str, name: str) -> HttpResponsePermanentRedirect:
    """/media/<folder>/<name> → the same file's address now, with the query string kept."""
    if "/" in name or "\\" in name or ".." in name or "\0" in name:
        raise Http404("No such file")
    url = default_storage.url(f"{folder}/{name}")
    query = request.META.get("QUERY_STRING", "")
    if query:
        url += ("&" if "?" in url else "?") + query
    return HttpResponsePermanentRedirect(url)


@require_safe
def news_archive(request: HttpRequest, page: int = 1) -> HttpResponsePermanentRedirect:
    return HttpResponsePermanentRedirect(NEWS if page <= 1 else f"{NEWS}?page={page}")


@require_safe
def news_feed(request: HttpRequest, kind: str = "") -> HttpResponsePermanentRedirect:
    return HttpResponsePermanentRedirect(NEWS + FEEDS[kind])


urlpatterns = [
    re_path(
        r"^(?P<folder>images|original_images)/(?P<name>.+)$", old_file, name="legacy_media_file"
    ),
    path("", news_archive, name="legacy_news_archive"),
    path("page/<int:page>/", news_archive, name="legacy_news_archive_page"),
    re_path(r"^feed/(?P<kind>(?:rss2|rss|rdf|atom)/)?$", news_feed, name="legacy_news_feed"),
]
