"""``|remembered_richtext``: Wagtail's ``|richtext``, written once per content version.

Expanding rich text (links to pages and documents, embedded images) parses the HTML and
looks up what it links to: most of the cost of a paragraph, for the same text on every
request. The output depends on the text and on the pages, documents and images it names,
all of which move the content version on when they change, so it is remembered under the
text's digest until then (caching.versions.remember). The value is Wagtail's own markup,
safe as Wagtail marks it.
"""

from __future__ import annotations

import hashlib

from django import template
from wagtail.rich_text import RichText
from wagtail.templatetags.wagtailcore_tags import richtext

from caching.versions import remember

register = template.Library()


def _expanded(value) -> str:
    shown = richtext(value)  # a RichText comes back as it is: its __html__ expands it
    return shown.__html__() if isinstance(shown, RichText) else shown


@register.filter
def remembered_richtext(value):
    source = value.source if isinstance(value, RichText) else value
    if not source:
        return richtext(value)
    digest = hashlib.sha256(str(source).encode()).hexdigest()[:40]
    return remember(f"richtext:{digest}", lambda: _expanded(value), shared=True)
