"""The accessibility checker editors see runs WCAG 2.x A and AA, not Wagtail's ten rules."""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

WCAG_TAGS = {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}


def axe_run_only(html: str) -> set[str]:
    """The ``runOnly`` list of the checker's axe configuration embedded in a page."""
    marker = 'id="checker-axe-configuration"'
    assert marker in html, "no checker configuration on the page"
    start = html.index(">", html.index(marker)) + 1
    config = json.loads(html[start : html.index("</script>", start)])
    return set(config["options"]["runOnly"])


def test_the_userbar_on_a_live_page_checks_wcag(editor_client, home_page):
    html = editor_client.get("/").content.decode()
    assert axe_run_only(html) == WCAG_TAGS


def test_the_editors_checks_panel_checks_wcag(editor_client, home_page):
    html = editor_client.get(reverse("wagtailadmin_pages:edit", args=[home_page.pk])).content
    assert axe_run_only(html.decode()) == WCAG_TAGS
