"""The demo's case studies, policy projects and publications are whole, honest content.

No page, feed, API answer or download of theirs promises text to come; every publication's
download says what it is; case studies tell something the policy projects and news do not,
and link the reports they name; a database an earlier demo loaded is brought up to date.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.documents import get_document_model

from casestudies.models import (
    CaseStudyPage,
    PolicyProjectPage,
    PublicationPage,
)
from demo import casestudies as demo
from demo.records import read
from news.models import NewsPage
from tests.casestudies.wording import PLACEHOLDER, visible_text

SECTIONS = (CaseStudyPage, PolicyProjectPage, PublicationPage)


@pytest.fixture(scope="module")
def _demo_loaded(module_atomic):
    call_command("load_demo_content", stdout=StringIO())


@pytest.fixture
def demo_site(_demo_loaded, db):
    """The whole demo site; what a test writes on top is rolled back after it."""


def page_text(client, page) -> str:
    response = client.get(page.url)
    assert response.status_code == 200, page.url
    return response.content.decode()


def said(html: str) -> str:
    """The page's visible text, its white space collapsed."""
    return " ".join(visible_text(html).split())


def normalised(title: str) -> str:
    return re.sub(r"[^a-z0-9]", "", title.lower().replace("cooperative", "co-operative"))


@pytest.mark.django_db
class TestWholeContent:
    def test_no_page_feed_api_answer_or_document_has_placeholder_wording(self, demo_site, client):
        found = {}
        pages = [page for model in SECTIONS for page in model.objects.live()]
        for url in ["/case-studies/", "/policy-labs/", "/publications/"]:
            text = visible_text(client.get(url).content.decode())
            found.update({url: PLACEHOLDER.findall(text)} if PLACEHOLDER.search(text) else {})
        for page in pages:
            text = visible_text(page_text(client, page))
            found.update({page.url: PLACEHOLDER.findall(text)} if PLACEHOLDER.search(text) else {})
        for url in [
            "/case-studies/feed/",
            "/api/v2/pages/?limit=100&fields=*&type=casestudies.CaseStudyPage",
            "/api/v2/pages/?limit=100&fields=*&type=casestudies.PolicyProjectPage",
            "/api/v2/pages/?limit=100&fields=*&type=casestudies.PublicationPage",
            "/api/v2/documents/?limit=100",
        ]:
            response = client.get(url)
            assert response.status_code == 200, url
            text = response.content.decode()
            found.update({url: PLACEHOLDER.findall(text)} if PLACEHOLDER.search(text) else {})
        for document in get_document_model().objects.all():
            with document.open_file() as stored:
                data = stored.read().decode("latin-1")
            if PLACEHOLDER.search(data) or PLACEHOLDER.search(document.title):
                found[document.title] = PLACEHOLDER.findall(data + document.title)
        assert found == {}

    def test_every_publication_says_what_its_download_is(self, demo_site, client):
        for spec in read("publications.toml")["publication"]:
            page = PublicationPage.objects.get(title=spec["title"])
            assert page.has_summary_sheet, page.title
            text = said(page_text(client, page))
            assert re.search(r"Download the summary sheet \(PDF, [\d.]+\s(bytes|KB)\)", text)
            assert "The full report is not available online" in text
            assert "info@councils.coop" in text
            with page.document.open_file() as stored:
                data = stored.read()
            assert data.startswith(b"%PDF")
            assert b"(Summary sheet) Tj" in data
            assert b"info@councils.coop" in data
            # The sheet is made from the record: its title and the start of its summary.
            assert demo._pdf_string(demo._wrapped(spec["title"], 20)[0]) in data
            assert demo._pdf_string(demo._wrapped(spec["summary"], 11)[0]) in data
        listing = said(client.get("/publications/").content.decode())
        assert listing.count("Summary sheet for") == 10
        assert "Download " not in listing

    def test_a_publication_without_a_file_says_how_to_request_it(self, demo_site, client):
        page = PublicationPage.objects.get(slug="beyond-asset-transfer")
        page.document = None
        page.save_revision().publish()
        text = said(page_text(client, page))
        assert "This report is not available online. To request a copy, email" in text
        assert "Not available online" in said(client.get("/publications/").content.decode())

    def test_policy_projects_say_what_the_seed_gives(self, demo_site, client):
        for spec in read("policy_projects.toml")["project"]:
            page = PolicyProjectPage.objects.get(title=spec["title"])
            html = page_text(client, page)
            text = said(html)
            if spec["type"] == "lab":
                assert "Policy Lab" in text and "£10,000–£20,000" in text
            else:
                assert "Policy Prototype" in text and "Up to £2,000" in text
            assert f"Round {spec['round']}" in text and "Active" in text
            assert "member led projects to find co-operative policy solutions" in text
            assert "the more innovative the better" in text
            for name in spec["leads"]:
                council = page.lead_councils.get(name=name)
                assert f'<a href="/membership/members/{council.slug}/">{name}</a>' in html
            assert len(text.split(page.title, 2)[-1].split()) > 60, "a few sentences at least"

    def test_case_studies_are_distinct_from_policy_projects_and_news(self, demo_site):
        others = {normalised(p.title) for p in PolicyProjectPage.objects.all()}
        others |= {normalised(p.title) for p in NewsPage.objects.all()}
        studies = CaseStudyPage.objects.exclude(slug__startswith="generated-")
        titles = [normalised(page.title) for page in studies]
        assert len(titles) == len(set(titles)) == 9
        for title in titles:
            assert not any(title in other or other in title for other in others), title

    def test_case_studies_link_the_reports_and_projects_they_name(self, demo_site, client):
        named = {
            page.title: page.url
            for model in (PublicationPage, PolicyProjectPage)
            for page in model.objects.live()
        }
        linked_any = 0
        for page in CaseStudyPage.objects.live():
            soup = BeautifulSoup(page_text(client, page), "html.parser")
            body = " ".join(p.get_text(" ") for p in soup.select(".prose p"))
            links = {a.get_text(): a["href"] for a in soup.select(".prose a[href]")}
            for title, url in named.items():
                if title in body:
                    assert links.get(title) == url, (page.title, title)
                    linked_any += 1
        assert linked_any >= 9
