"""JSON-LD structured data in the page head."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The same escapes as Django's json_script: no "</script>" or HTML can break out of the block.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def structured_data(context) -> str:
    """Render the page's ``get_structured_data(request)`` as an ld+json script block."""
    page = context.get("page")
    request = context.get("request")
    if page is None or not hasattr(page, "get_structured_data"):
        return ""
    data = page.get_structured_data(request)
    if not data:
        return ""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308
