"""Every address of the old site that an export names, as a redirect in Wagtail's redirects app.

One hop to the final address: each item's permalink (with and without its trailing slash),
its ``?p=`` and ``?page_id=`` ids, its guid and comment feed; attachment pages; category and
tag archives and their feeds; post-type archives (``/newsletter/`` is the Members' Update
archive) and the site feed. Redirects already in the table are left as they are (an editor's
redirect wins), so re-importing adds nothing twice.
Old upload addresses (/wp-content/uploads/…) are answered by `wordpress.legacy_uploads`, which
also knows resized copies, rather than one row per file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from django.utils.text import slugify
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from membership.models import MemberCouncil

from . import mapping
from .addresses import site_path

if TYPE_CHECKING:
    from .importer import Importer

MAX_PATH = 255
FEEDS = {
    "/feed": "feed/",
    "/feed/rss2": "feed/",
    "/feed/rss": "feed/",
    "/feed/atom": "feed/atom/",
    "/rss": "feed/",
    "/comments/feed": "feed/",
}
ARCHIVE_TARGETS = {
    "case_study": "case_study",
    "project": "project",
    "publication": "publication",
    "members_update": "members_update",
}
# Archives whose old feed goes to the listing's own feed rather than to the listing.
ARCHIVE_FEEDS = {"case_study", "members_update"}


def add_redirects(importer: Importer) -> tuple[int, int]:
    """Create the redirects for this import; (created, already there)."""
    wanted: dict[str, tuple[object, str]] = {}  # old path -> (page or None, link)

    def want(old: str, page=None, link: str = "") -> None:
        path = Redirect.normalise_path(old)
        if not path or path == "/" or len(path) > MAX_PATH or path in wanted:
            return
        if page is not None and _page_path(page) == path:
            return  # the new page is at its old address
        wanted[path] = (page, link)

    pages = importer.pages
    for item in importer.export.items:
        page = pages.get(item.wp_id)
        if page is None:
            continue
        old = importer._old_paths(item, _site_path(importer, item.link))
        for path in old:
            want(path, page)
        if old and "?" not in old[0]:
            want(old[0].rstrip("/") + "/feed/", page)

    _attachments(importer, want)
    _archives(importer, want)
    _terms(importer, want)

    existing = set()
    paths = list(wanted)
    for start in range(0, len(paths), 500):
        existing.update(
            Redirect.objects.filter(site=None, old_path__in=paths[start : start + 500]).values_list(
                "old_path", flat=True
            )
        )
    new = [
        Redirect(
            old_path=path,
            site=None,
            is_permanent=True,
            redirect_page=page,
            redirect_link="" if page is not None else link[:255],
        )
        for path, (page, link) in wanted.items()
        if path not in existing
    ]
    Redirect.objects.bulk_create(new, batch_size=500)
    return len(new), len(existing)


def _site_path(importer: Importer, url: str) -> str:
    return site_path(url, importer.source)


def _page_path(page) -> str:
    url = page.url or ""
    return Redirect.normalise_path(url) if url.startswith("/") else ""


def _attachments(importer: Importer, want) -> None:
    """An attachment's page goes to the page it belongs to, else to the file itself."""
    Document = get_document_model()
    Image = get_image_model()
    for item in importer.export.items:
        if item.post_type != "attachment":
            continue
        link = ""
        page = importer.pages.get(item.parent_id)
        if page is None and item.wp_id in importer.documents:
            document = Document.objects.filter(pk=importer.documents[item.wp_id]).first()
            link = document.url if document else ""
        elif page is None and item.wp_id in importer.images and not importer.dry_run:
            image = Image.objects.filter(pk=importer.images[item.wp_id]).first()
            link = image.get_rendition("original").url if image else ""
        elif page is None and item.wp_id in importer.images:
            link = "/"  # a dry run writes no files; the real run links the image itself
        if page is None and not link:
            continue
        for old in (
            _site_path(importer, item.link),
            f"/?attachment_id={item.wp_id}",
            f"/?p={item.wp_id}",
            _site_path(importer, item.guid),
        ):
            if old and "/wp-content/uploads/" not in old:
                want(old, page, link)


def _archives(importer: Importer, want) -> None:
    """A post type's archive (/case-study/, /project/…) and its feed go to the listing."""
    indexes = importer.indexes
    news = indexes.get("news")
    if news is not None:
        for old, route in FEEDS.items():
            want(old, None, news.url + route)
    bases: dict[str, str] = {}
    for item in importer.export.items:
        target = mapping.target_for(item)
        if target is None or target.key not in ARCHIVE_TARGETS or item.wp_id not in importer.pages:
            continue
        path = _site_path(importer, item.link)
        parts = [part for part in path.split("?")[0].split("/") if part]
        if len(parts) >= 2:
            bases.setdefault("/" + "/".join(parts[:-1]) + "/", ARCHIVE_TARGETS[target.key])
    for base, key in bases.items():
        index = indexes.get(key)
        if index is None or not index.url:
            continue
        want(base, index)
        if key in ARCHIVE_FEEDS:
            want(base + "feed/", None, index.url + "feed/")
        else:
            want(base + "feed/", index)


def _terms(importer: Importer, want) -> None:
    """Category and tag archives (and feeds): the news section or tag, else the library."""
    news = importer.indexes.get("news")
    library = importer.indexes.get("case_study")
    by_slug = {term.slug: term for term in importer.export.terms}
    listed = set(MemberCouncil.objects.listed().values_list("pk", flat=True))
    # The site's own slug for each tag (taggit keeps accents: "ynys-môn").
    tag_slugs = {name.lower(): tag for name, tag in Tag.objects.values_list("name", "slug")}
    used: dict[tuple[str, str], set[str]] = {}
    for item in importer.export.items:
        target = mapping.target_for(item)
        if target is None or item.wp_id not in importer.pages:
            continue
        for term in item.terms:
            used.setdefault((term.taxonomy, term.slug), set()).add(target.key)
    for (taxonomy, slug), keys in used.items():
        if taxonomy == "category":
            paths = {f"/category/{slug}/"}
            chain, seen, term = [slug], set(), by_slug.get(slug)
            while term is not None and term.parent and term.parent not in seen:
                seen.add(term.parent)
                chain.insert(0, term.parent)
                term = by_slug.get(term.parent)
            paths.add("/category/" + "/".join(chain) + "/")
        elif taxonomy in mapping.TAG_TAXONOMIES:
            paths = {f"/tag/{slug}/"}
        elif taxonomy in mapping.THEME_TAXONOMIES:
            paths = {f"/{taxonomy}/{slug}/"}
        else:
            continue
        link = feed = ""
        if "news" in keys and news is not None:
            if slug in mapping.PRESS_RELEASE_SLUGS:
                link, feed = f"{news.url}?kind=press-release", f"{news.url}feed/"
            elif slug in mapping.OPINION_SLUGS:
                link, feed = f"{news.url}?kind=opinion", f"{news.url}feed/"
            elif slug in mapping.SECTION_SLUGS:
                link, feed = news.url, f"{news.url}feed/"
            elif taxonomy == "category":
                section = slugify(slug)
                link, feed = f"{news.url}category/{section}/", f"{news.url}category/{section}/feed/"
            else:
                name = by_slug[slug].name if slug in by_slug else slug
                tag = tag_slugs.get(name.lower()) or slugify(name, allow_unicode=True)
                link, feed = f"{news.url}tag/{tag}/", f"{news.url}tag/{tag}/feed/"
        elif library is not None:
            name = by_slug[slug].name if slug in by_slug else slug
            member = importer._member_named(name)
            if slugify(slug) in importer.themes:
                link = f"{library.url}?theme={slugify(slug)}"
            elif member is not None and member.pk in listed:
                link = f"{library.url}?council={member.slug}"
            else:
                link = f"{library.url}?q={quote(name)}"
            feed = f"{library.url}feed/"
        if not link:
            continue
        for path in paths:
            want(path, None, link)
            want(path + "feed/", None, feed)
