"""Every page type previews as visitors will see it; press releases also in print."""

from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Page


@pytest.mark.django_db
def test_every_page_type_previews_in_every_mode():
    call_command("load_demo_content", stdout=StringIO())  # one build for both checks: it is slow
    seen = set()
    for page in Page.objects.live().specific().filter(depth__gt=1):
        kind = type(page)
        if kind in seen:
            continue
        seen.add(kind)
        for mode, _label in page.preview_modes:
            response = page.make_preview_request(preview_mode=mode)
            assert response.status_code == 200, (kind, mode)
            html = response.render().content.decode()
            assert '<main id="main"' in html and "<h1" in html, (kind, mode)
    assert len(seen) >= 14

    from news.models import NewsPage

    release = NewsPage.objects.get(slug="statement-2026-local-elections")
    assert ("print", "Printed press release") in release.preview_modes
    html = release.make_preview_request(preview_mode="print").render().content.decode()
    assert '/print.css">' in html  # applied on screen here, not only media="print"
    assert "Notes to editors" in html
