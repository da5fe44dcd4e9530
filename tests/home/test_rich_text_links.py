"""Page links in rich text come from the site's lean handler (home/rich_text.py) and say
exactly what Wagtail's own handler says."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site
from wagtail.rich_text import expand_db_html, features
from wagtail.rich_text.pages import PageLinkHandler

from caching import versions
from home.models import StandardPage
from home.rich_text import LeanPageLinkHandler

pytestmark = pytest.mark.django_db


def test_the_lean_handler_is_the_one_wagtail_uses():
    assert features.get_link_types()["page"] is LeanPageLinkHandler


def test_links_match_wagtails_own_handler(home_page):
    about = StandardPage(title="About", slug="about")
    home_page.add_child(instance=about)
    about.save_revision().publish()
    team = StandardPage(title="Team", slug="team")
    about.add_child(instance=team)
    team.save_revision().publish()
    draft = StandardPage(title="Draft", slug="draft", live=False)
    home_page.add_child(instance=draft)
    elsewhere = StandardPage(title="Elsewhere", slug="elsewhere")
    home_page.add_child(instance=elsewhere)
    elsewhere.save_revision().publish()
    Site.objects.create(hostname="other.example", port=443, root_page=elsewhere)
    attrs = [{"id": str(page.pk)} for page in (about, team, draft, elsewhere)]
    attrs += [{"id": "999999"}]

    lean = LeanPageLinkHandler.expand_db_attributes_many(attrs)
    assert lean == PageLinkHandler.expand_db_attributes_many(attrs)
    # Two sites: Wagtail writes full URLs, each on its own site.
    assert lean[:2] == [
        '<a href="http://testserver/about/">',
        '<a href="http://testserver/about/team/">',
    ]
    assert lean[3] == '<a href="https://other.example/">'
    assert lean[4] == "<a>"
    # Where Wagtail's handler raises a ValueError, a broken link is only a broken link.
    assert LeanPageLinkHandler.expand_db_attributes_many([{"id": "junk"}, {}]) == ["<a>", "<a>"]


def test_a_body_of_links_costs_one_query(home_page):
    pages = []
    for n in range(5):
        page = StandardPage(title=f"Page {n}", slug=f"page-{n}")
        home_page.add_child(instance=page)
        page.save_revision().publish()
        pages.append(page)
    html = "".join(f'<p><a linktype="page" id="{page.pk}">{page.title}</a></p>' for page in pages)
    expand_db_html(html)  # site root paths remembered
    versions.request_started()  # as in a request: the content version read once
    try:
        with CaptureQueriesContext(connection) as queries:
            expanded = expand_db_html(html)
    finally:
        versions.request_finished()
    assert len(queries) == 2, [query["sql"] for query in queries]  # the version, the pages
    assert '<a href="/page-4/">Page 4</a>' in expanded
