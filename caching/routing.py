"""Find the page for a URL in two queries instead of two per level of the tree.

Wagtail routes ``/news/some-article/`` one level at a time: look up the child by slug,
load its specific type, ask it to route the rest; five queries for an article. Here one
query reads the whole chain of pages by their URL paths, then only the deepest page is
loaded as its specific type and asked to route what is left (a routable page's
sub-route, or nothing). The answer is Wagtail's own: the shortcut is taken only when every
page above the deepest one would simply have passed the request on to its child (plain
``Page.route``, or a routable page none of whose routes match), and otherwise the caller
falls back to the normal walk.

``SiteLookupMiddleware`` saves the query before that: which Wagtail site a host name
belongs to, kept in the cache until content (sites included) changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import suppress

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import DisallowedHost
from django.db import Error as DatabaseLayerError
from django.http import HttpRequest, HttpResponseBase
from django.http.request import split_domain_port
from django.urls import Resolver404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from .versions import remember


class SiteLookupMiddleware:
    """Set Wagtail's per-request site (``request._wagtail_site``) from the cache.

    ``Site.find_for_request`` runs one query on every request that reaches a page, the
    settings or the menu; the answer changes only when a site is saved, which empties the
    cache. Only allowed hosts get this far (a disallowed one is left to Django's 400).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            hostname = split_domain_port(request.get_host())[0]
        except DisallowedHost:
            return self.get_response(request)
        port = request.get_port()
        # In an outage the view meets the database too, and that becomes the friendly 503.
        with suppress(DatabaseLayerError):
            request._wagtail_site = remember(
                f"site-for:{hostname}:{port}", lambda: site_with_root(request)
            )
        return self.get_response(request)


def site_root_paths() -> list:
    """Wagtail's ``Site.get_site_root_paths()``, remembered until content changes.

    Wagtail keeps the list in the default cache and reads it there for every page URL built
    without a request (rich text links, ``page.url``): one Redis round trip each. Saving a
    site, and publishing, moving or deleting a page (a root page's path), moves the content
    version on, as Wagtail's own clearing of its entry does.
    """
    return remember("site-root-paths", _wagtail_site_root_paths)


_wagtail_site_root_paths = Site.get_site_root_paths


def install() -> None:
    """Point Wagtail's ``Site.get_site_root_paths`` at the remembered list (from
    ``CachingConfig.ready``; tests/performance/test_process_memory.py checks it holds)."""
    Site.get_site_root_paths = staticmethod(site_root_paths)


def site_with_root(request: HttpRequest) -> Site | None:
    """The request's site with its root page loaded as its specific type.

    Wagtail's serve view starts every page's routing at ``site.root_page.specific``: loaded
    here, the remembered site carries it (``specific`` is cached on the instance), which
    saves that query on every page.
    """
    site = Site._find_for_request(request)
    if site is not None:
        site.root_page.specific  # noqa: B018 - loads and caches the specific root page
    return site


def passes_on(page: Page, remaining: list[str]) -> bool:
    """Whether Wagtail's walk at ``page`` would go straight on to its child."""
    model = ContentType.objects.get_for_id(page.content_type_id).model_class()
    if model is None:
        return False
    if model.route is Page.route:
        return True
    if model.route is RoutablePageMixin.route:
        if not page.live:
            return True
        path = "/" + "".join(f"{component}/" for component in remaining)
        try:
            model.get_resolver().resolve(path)
        except Resolver404:  # no sub-route of this page claims the path
            return True
    return False


def read_chain(root: Page, components: list[str]) -> list[Page]:
    """The pages whose URL paths are the leading parts of ``components``, top down (one
    query), as far as they reach."""
    prefixes = [root.url_path + "/".join(components[: n + 1]) + "/" for n in range(len(components))]
    found = {
        page.url_path: page
        # The slugs too: SQLite reads them from the slug index, where url_path (not
        # indexed) and the path prefix (a LIKE) alone make it walk every page of the site.
        for page in Page.objects.filter(
            slug__in=components,
            url_path__in=prefixes,
            path__startswith=root.path,
            depth__gt=root.depth,
        )
    }
    chain: list[Page] = []
    for prefix in prefixes:
        page = found.get(prefix)
        parent_path = chain[-1].path if chain else root.path
        if page is None or page.depth != len(chain) + root.depth + 1:
            break
        if not page.path.startswith(parent_path):
            break
        chain.append(page)
    return chain


def page_chain(root: Page, components: list[str]) -> list[Page]:
    """``read_chain``, remembered until content changes when it reaches the last component.

    Publishing, moving or deleting a page moves the content version on, so a remembered
    chain is never out of date. A chain that stops short (a routable page's sub-route, or a
    mistyped address) is read each time, so junk addresses cannot fill the cache.
    """
    path = "/".join(components)
    digest = hashlib.sha256(path.encode()).hexdigest()[:32]
    read: list[list[Page]] = []

    def whole_chain() -> list[Page] | None:
        read.append(read_chain(root, components))
        return read[-1] if len(read[-1]) == len(components) else None

    chain = remember(f"route:{root.pk}:{digest}", whole_chain)
    return chain if chain is not None else read[-1]


def fast_route(root: Page, request: HttpRequest, components: list[str]) -> RouteResult | None:
    """Wagtail's route result for ``components`` below ``root``, or None to walk normally."""
    chain = page_chain(root, components)
    if not chain:
        return None
    for level, page in enumerate(chain[:-1]):
        if not passes_on(page, components[level + 1 :]):
            return None
    deepest = chain[-1]
    model = ContentType.objects.get_for_id(deepest.content_type_id).model_class()
    # A page type can name the relations its page shows anyway (``route_select_related``),
    # so they come with the page instead of one query each.
    related = getattr(model, "route_select_related", ())
    if model is not None and related:
        specific = model._default_manager.select_related(*related).get(pk=deepest.pk)
    else:
        specific = deepest.specific
    # As Wagtail's own walk does: the parent is known, so get_parent() needs no query.
    specific._cached_parent_obj = chain[-2] if len(chain) > 1 else root
    return specific.route(request, components[len(chain) :])
