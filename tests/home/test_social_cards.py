"""Link previews: every page has a sized og:image; a page without its own image gets a drawn
card (home/social_cards.py, ccin/social_cards.py) that nobody can make say anything else."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.template.loader import render_to_string
from PIL import Image

from home.social_cards import (
    ACCENT_BRIGHT,
    BRAND_DARK,
    MIN_CONTRAST,
    CardSubject,
    contrast_ratio,
    readable_on,
    render_card,
)
from tests.api import conftest as api_fixtures

pytestmark = pytest.mark.django_db
# tests/api's small published site: one of every public page type.
published_site = api_fixtures.published_site
image = api_fixtures.image


def og(client, path: str) -> dict[str, str]:
    response = client.get(path)
    assert response.status_code == 200, path
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        tag.get("property") or tag.get("name"): tag.get("content")
        for tag in soup.find_all("meta")
        if tag.get("property") or tag.get("name")
    }


def relative(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def pages_without_own_image(s) -> list[str]:
    return [
        s.home.url,
        s.news_index.url,
        s.cs_index.url,
        s.labs_index.url,
        s.project.url,
        s.pub_index.url,
        s.publication.url,
        s.membership.url,
        s.directory.url,
        f"{s.directory.url}oldham-council/",
        s.about.url,
    ]


def test_every_page_type_without_an_image_shares_a_1200x630_png_card(client, published_site):
    for path in pages_without_own_image(published_site):
        meta = og(client, path)
        assert meta["og:image"].startswith("http://testserver/social-cards/"), path
        assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630"), path
        assert meta["og:image:alt"], path
        assert meta["twitter:card"] == "summary_large_image", path
        response = client.get(relative(meta["og:image"]))
        assert response.status_code == 200, path
        assert response["Content-Type"] == "image/png"
        assert Image.open(BytesIO(response.content)).size == (1200, 630)


def test_a_page_with_its_own_image_keeps_it(client, published_site):
    meta = og(client, published_site.article.url)
    assert meta["og:image"].startswith("http://testserver/media-files/images/")
    assert "fill-1200x630" in meta["og:image"]
    assert meta["og:image:alt"] == "Council chamber"


def test_the_card_says_the_section_and_title(client, published_site):
    meta = og(client, published_site.publication.url)
    assert meta["og:image:alt"].startswith("Publication: The co-operative council report.")
    profile = og(client, f"{published_site.directory.url}oldham-council/")
    assert "/social-cards/member/oldham-council.png" in profile["og:image"]
    assert profile["og:image:alt"].startswith("Full member: Oldham Council.")


def test_drafts_embargoes_private_pages_and_unknown_ids_are_404(client, published_site):
    s = published_site
    for page_id in (s.draft.pk, s.embargoed.pk, s.private.pk, 1, 999_999, 10**30):
        assert client.get(f"/social-cards/page/{page_id}.png").status_code == 404, page_id
    for slug in ("an-affiliate-person", "a-supporter-org", "no-such-council"):
        assert client.get(f"/social-cards/member/{slug}.png").status_code == 404, slug
    assert client.get("/social-cards/page/abc.png").status_code == 404
    assert client.post(f"/social-cards/page/{s.about.pk}.png").status_code == 405


def test_the_query_string_cannot_change_the_picture(client, published_site):
    path = f"/social-cards/page/{published_site.about.pk}.png"
    plain = client.get(path)
    forged = client.get(f"{path}?title=Hacked&section=Evil")
    assert forged.content == plain.content
    wrong_version = client.get(f"{path}?v=made-up")
    assert wrong_version.status_code == 302
    assert wrong_version["Location"] == f"{path}?v={plain['ETag'].strip(chr(34))}"


def test_cards_are_cacheable_and_revalidate(client, published_site):
    about = published_site.about
    meta = og(client, about.url)
    response = client.get(relative(meta["og:image"]))
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    assert response["Last-Modified"]
    assert (
        client.get(relative(meta["og:image"]), HTTP_IF_NONE_MATCH=response["ETag"]).status_code
        == 304
    )
    assert client.head(relative(meta["og:image"])).status_code == 200


def test_a_new_title_gets_a_new_card_and_url(client, published_site):
    about = published_site.about
    before = og(client, about.url)["og:image"]
    old = client.get(relative(before))
    about.title = "About the Co-operative Councils' Innovation Network"
    about.save_revision().publish()
    after = og(client, about.url)
    assert after["og:image"] != before
    assert "Innovation Network" in after["og:image:alt"]
    new = client.get(relative(after["og:image"]))
    assert new["ETag"] != old["ETag"] and new.content != old.content
    assert client.get(relative(before)).status_code == 302  # old shares find the new card


def test_a_missing_image_file_falls_back_to_the_card(client, published_site):
    lost = api_fixtures.make_image()
    article = published_site.article
    article.listing_image = lost
    article.save_revision().publish()
    lost.file.storage.delete(lost.file.name)
    meta = og(client, article.url)
    assert meta["og:image"].startswith("http://testserver/social-cards/page/")


def test_card_text_meets_contrast_and_long_titles_fit():
    assert contrast_ratio(readable_on(BRAND_DARK), BRAND_DARK) >= MIN_CONTRAST
    assert contrast_ratio(readable_on(BRAND_DARK, ACCENT_BRIGHT), BRAND_DARK) >= MIN_CONTRAST
    assert readable_on("#ffffff") != "#ffffff"  # white on white is never chosen
    for title in ("", "x" * 500, "word " * 200, "Ünïcödé — “quotes” 🚀"):
        card = Image.open(BytesIO(render_card(CardSubject(title, "News"))))
        assert card.size == (1200, 630)


def test_the_header_brand_is_named_by_its_text_and_its_mark_is_decorative(client, published_site):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    brand = soup.select_one("a.site-header__brand")
    mark = brand.find("img")
    assert mark["alt"] == "" and mark["width"] == "48" and mark["height"] == "48"
    assert mark["src"].endswith(".svg")
    assert brand.get_text(" ", strip=True) == "Co-operative Councils' Innovation Network"


def test_a_card_without_an_image_gets_a_decorative_fallback_and_with_one_a_srcset(image):
    bare = BeautifulSoup(
        render_to_string("components/card.html", {"url": "/x/", "title": "X"}), "html.parser"
    )
    fallback = bare.select_one(".card__fallback")
    assert fallback is not None and fallback["aria-hidden"] == "true"
    assert bare.find("img") is None
    pictured = BeautifulSoup(
        render_to_string("components/card.html", {"url": "/x/", "title": "X", "image": image}),
        "html.parser",
    )
    img = pictured.find("img")
    assert img["alt"] == "" and img["loading"] == "lazy"
    assert img["width"] and img["height"] and " 640w" in img["srcset"]
    assert pictured.find("source", type="image/webp")
