"""The SEO tests use the API tests' published site, and read pages the way a crawler does."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from tests.api.conftest import image, published_site  # noqa: F401  (fixtures)


class Head:
    """What search engines and link previews read from a page."""

    def __init__(self, html: str):
        self.soup = BeautifulSoup(html, "html.parser")

    @property
    def title(self) -> str:
        return self.soup.title.get_text()

    def meta(self, key: str) -> str | None:
        tag = self.soup.find("meta", attrs={"property": key}) or self.soup.find(
            "meta", attrs={"name": key}
        )
        return tag["content"] if tag else None

    @property
    def canonical(self) -> str | None:
        link = self.soup.find("link", rel="canonical")
        return link["href"] if link else None

    @property
    def json_ld(self) -> list[dict]:
        """Every schema.org node on the page, parsed as JSON (a parse error fails the test)."""
        nodes = []
        for script in self.soup.find_all("script", type="application/ld+json"):
            data = json.loads(script.string)
            assert data["@context"] == "https://schema.org"
            nodes.extend(data.get("@graph", [data]))
        return nodes

    def node(self, schema_type: str) -> dict:
        [found] = [n for n in self.json_ld if n["@type"] == schema_type]
        return found

    @property
    def visible_breadcrumbs(self) -> list[str]:
        nav = self.soup.find("nav", attrs={"aria-label": "Breadcrumb"})
        return [li.get_text(strip=True) for li in nav.find_all("li")] if nav else []


@pytest.fixture
def head(client):
    def read(url: str) -> Head:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return Head(response.content.decode())

    return read
