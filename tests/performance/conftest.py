"""The demo site, built once per module: seed content, then generated content on top."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from home.models import StandardPage

# Generated content added in tests: enough for several pages of every listing, images on a
# third, many councils and tags. `make bench` measures the true volume (600 case studies,
# 1,000 articles, 100 more members); the query bounds do not depend on the size.
TEST_VOLUME = {"news": 150, "case_studies": 90, "members": 30}


def add_volume(news: int, case_studies: int, members: int) -> None:
    from casestudies.models import CaseStudyIndexPage
    from demo.casestudies import generate_case_studies
    from demo.volume import generate_members, generate_news
    from news.models import NewsCategory, NewsIndexPage

    generate_members(members)
    generate_news(
        NewsIndexPage.objects.get(),
        {category.slug: category for category in NewsCategory.objects.all()},
        news,
    )
    generate_case_studies(CaseStudyIndexPage.objects.get(), case_studies)


def count_queries(client: Client, url: str) -> tuple[int, int]:
    """(status, SQL queries) of a warm request: caches, renditions and templates ready."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries)


@pytest.fixture(scope="module")
def demo_database(django_db_setup, django_db_blocker):
    """Seed demo content for the module, rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo_content", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def section(home_page, title: str) -> StandardPage:
    """A published standard page below the home page, shown in the menu."""
    page = StandardPage(title=title, slug=title.lower(), show_in_menus=True)
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page
