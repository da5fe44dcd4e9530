"""After an import: does every address the export names still lead somewhere?

Each public item's permalink, its ``?p=``/``?page_id=`` id, its attachment page and file, and
the category and tag archives and feeds are requested from this site; each must answer 200,
directly or after exactly one redirect. The counts per type are compared with the export's.
Requests go through Django's own handler by default (no server needed), or over HTTP to a
running site with ``base_url``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.error import HTTPError, URLError
from urllib.parse import urljoin, urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

from django.conf import settings
from django.test import Client
from wagtail.models import Site

from . import mapping
from .addresses import site_path
from .models import ImportedItem
from .uploads import relative_upload_path
from .wxr import Export

REDIRECTS = {301, 302, 303, 307, 308}


@dataclass
class Checked:
    url: str
    kind: str
    status: int
    hops: int
    final: str

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.hops <= 1


@dataclass
class Parity:
    checked: list[Checked] = field(default_factory=list)
    export_counts: dict[str, int] = field(default_factory=dict)
    imported_counts: dict[str, int] = field(default_factory=dict)

    @property
    def resolved(self) -> int:
        return sum(1 for check in self.checked if check.ok)

    def summary(self) -> str:
        total = len(self.checked)
        share = 100 * self.resolved / total if total else 100.0
        return f"Resolved {self.resolved} of {total} URLs ({share:.1f}%)"

    def lines(self) -> list[str]:
        lines = ["Counts (public items in the export / on this site):"]
        for post_type in sorted(self.export_counts):
            lines.append(
                f"  {post_type:<14} {self.export_counts[post_type]:>5} / "
                f"{self.imported_counts.get(post_type, 0):>5}"
            )
        failed = [check for check in self.checked if not check.ok]
        if failed:
            lines.append("Not resolved:")
            lines += [
                f"  {check.status} after {check.hops} redirect(s): {check.url} ({check.kind})"
                + (f" -> {check.final}" if check.final != check.url else "")
                for check in failed
            ]
        lines.append(self.summary())
        return lines


def addresses(export: Export) -> list[tuple[str, str]]:
    """(path, kind) of every old address that should still work, each once."""
    seen: dict[str, str] = {}

    def add(path: str, kind: str) -> None:
        if path and path not in seen:
            seen[path] = kind

    items = {item.wp_id: item for item in export.items}
    for item in export.items:
        target = mapping.target_for(item)
        if target is None or item.post_type in mapping.NOT_CONTENT:
            continue
        if target is mapping.ATTACHMENT:
            parent = items.get(item.parent_id)
            if parent is not None and parent.status != "publish":
                continue
            add(site_path(item.attachment_url, export.site_url), "upload")
            add(site_path(item.link, export.site_url), "attachment page")
            continue
        if item.status != "publish":
            continue
        add(site_path(item.link, export.site_url), item.post_type)
        add(f"/?p={item.wp_id}", "id link")
        if item.post_type == "page":
            add(f"/?page_id={item.wp_id}", "id link")
        for term in item.terms:
            if term.taxonomy == "category":
                add(f"/category/{term.slug}/", "category archive")
                add(f"/category/{term.slug}/feed/", "category feed")
            elif term.taxonomy in mapping.TAG_TAXONOMIES:
                add(f"/tag/{term.slug}/", "tag archive")
    if any(item.post_type == "post" and item.status == "publish" for item in export.items):
        add("/feed/", "feed")  # WordPress's main feed is of its posts
    return list(seen.items())


def public_counts(export: Export) -> Counter:
    return Counter(
        item.post_type
        for item in export.items
        if item.status == "publish" or item.post_type == "attachment"
        if mapping.target_for(item) is not None
    )


def check(export: Export, base_url: str = "") -> Parity:
    parity = Parity(export_counts=dict(public_counts(export)))
    imported = ImportedItem.objects.filter(source=export.site_url or export.blog_url)
    live = Counter()
    for row in imported.select_related("page"):
        if row.page is not None and row.page.live or row.image_id or row.document_id:
            live[row.post_type] += 1
    parity.imported_counts = dict(live)
    fetch = _http(base_url) if base_url else _client()
    for path, kind in addresses(export):
        if kind == "upload" and not relative_upload_path(path):
            continue
        status, hops, final = fetch(path)
        parity.checked.append(Checked(path, kind, status, hops, final))
    return parity


def _client():
    site = Site.objects.filter(is_default_site=True).first()
    host = site.hostname if site else "localhost"
    if host not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"), host)
    client = Client(HTTP_HOST=host)
    secure = bool(getattr(settings, "SECURE_SSL_REDIRECT", False))

    def fetch(path: str) -> tuple[int, int, str]:
        url, hops = path, 0
        while True:
            response = client.get(url, secure=secure)
            if response.status_code not in REDIRECTS or hops == 2:
                return response.status_code, hops, url
            hops += 1
            location = response["Location"]
            parts = urlsplit(location)
            url = parts.path + (f"?{parts.query}" if parts.query else "")

    return fetch


class _NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _http(base_url: str):
    opener = build_opener(_NoRedirects)

    def fetch(path: str) -> tuple[int, int, str]:
        url, hops = urljoin(base_url, path), 0
        while True:
            try:
                with opener.open(Request(url, method="GET"), timeout=30) as response:  # noqa: S310
                    return response.status, hops, url
            except HTTPError as error:
                if error.code not in REDIRECTS or hops == 2:
                    return error.code, hops, url
                hops += 1
                url = urljoin(url, error.headers.get("Location", ""))
            except URLError as error:
                return 0, hops, f"{url} ({error.reason})"

    return fetch
