"""JSON-LD structured data in the page head."""

import hashlib
import json
import re

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.models import Site

from caching.versions import remember

from ..hosts import absolute_url as site_absolute_url

register = template.Library()

# The same escapes as Django's json_script: no "</script>" or HTML can break out of the block.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def structured_data(context) -> str:
    """Render the page's ``get_structured_data(request)`` as an ld+json script block.

    It describes the live page at its address, so it is remembered per site, page and path
    until content changes; a preview (a draft) or an address with a query string (a
    filtered listing, or junk) is worked out each time and not kept.
    """
    page = context.get("page")
    request = context.get("request")
    if page is None or not hasattr(page, "get_structured_data"):
        return ""
    if request is None or getattr(request, "is_preview", False) or request.GET or not page.pk:
        return _script(page, request)
    site = Site.find_for_request(request)
    digest = hashlib.sha256(request.path.encode()).hexdigest()[:32]
    key = f"jsonld:{site.pk if site else ''}:{page.pk}:{digest}"
    return remember(key, lambda: _script(page, request), shared=True)


def _script(page, request) -> str:
    data = page.get_structured_data(request)
    if not data:
        return ""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    # Reviewed: the payload's <, > and & are escaped above, so it cannot leave the block.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308  # nosec B308 B703


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    """``path`` on the site's own address (home/hosts.py), never the request's Host header."""
    return site_absolute_url(context.get("request"), path)


class CaptureNode(template.Node):
    """Renders its contents into a context variable instead of the page."""

    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: template.NodeList, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context) -> str:
        context[self.name] = self.nodelist.render(context)
        return ""


@register.tag("capture")
def capture(parser, token) -> CaptureNode:
    """``{% capture as name %}…{% endcapture %}``: render once, use many times.

    ``base.html`` wraps its title, description and canonical blocks in it, so the
    Open Graph and Twitter tags repeat whatever a page type's template put in those
    blocks (a category page's own title, a filtered listing's canonical address)
    without each template overriding them twice. Blocks inside still inherit.
    """
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


_ATTRIBUTE = {name: re.compile(rf'\s{name}="([^"]*)"') for name in ("content", "href")}


@register.filter
def attribute_value(html: str, name: str) -> str:
    """The (already escaped) value of ``name="…"`` in a rendered tag, e.g. a canonical href."""
    pattern = _ATTRIBUTE.get(name)
    match = pattern.search(str(html)) if pattern else None
    # Reviewed: the value was escaped when the tag was first rendered.
    return mark_safe(match.group(1)) if match else ""  # noqa: S308  # nosec B308 B703


@register.filter(is_safe=True)
def collapse(text: str) -> str:
    """Collapse the whitespace a multi-line block leaves, for use inside an attribute."""
    return " ".join(str(text).split())
