"""What a case study and the library read from the database to render, and that it still
shows the same: the lists a case study shows in one query, the pictures' renditions in one,
the library's cards from rows."""

from __future__ import annotations

import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from caching.versions import bump_version
from casestudies.models import CaseStudyPage

# The tables of the lists a case study shows (themes' table is left out: the related cards'
# query reads it too).
LISTS = (
    "casestudies_casestudypage_participating_councils",
    "casestudies_casestudypage_principles",
    "casestudies_casestudytag",
)


def queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def touching(sqls: list[str], *tables: str) -> list[str]:
    return [sql for sql in sqls if any(f'"{table}"' in sql for table in tables)]


def json_ld(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_a_case_study_reads_its_councils_themes_principles_and_tags_in_one_query(
    client, library, councils, themes, principles
):
    page = CaseStudyPage.objects.get(pk=library["homes"].pk)
    page.participating_councils = [councils["kirklees-council"], councils["inverclyde-council"]]
    page.themes = [themes["young-people"], themes["housing"]]
    page.tags.add("retrofit", "community energy")
    page.save_revision().publish()
    bump_version("a fresh render, as after a publish")
    cold = queries(client, page.url)
    assert len(touching(cold, *LISTS)) == 1  # one per list before

    html = client.get(page.url).content.decode()
    assert "Inverclyde Council</a>, <a" in html and html.index("Inverclyde") < html.index(
        "Kirklees Council</a></dd>"
    )  # councils by name
    assert re.search(r"<dt>Themes</dt><dd>.*Housing.*Young people", html)
    assert html.index(">Co-production</a>") < html.index(">Innovation</a>")  # their order
    assert re.search(r"Keywords:</span> .*>retrofit<.*>community energy<", html)
    article = json_ld(html)["@graph"][0]
    assert [author["name"] for author in article["author"]] == [
        "Camden Council",
        "Inverclyde Council",
        "Kirklees Council",
    ]
    assert article["about"] == ["Housing", "Young people"]
    assert article["keywords"] == ["retrofit", "community energy"]


def test_a_change_to_a_listed_record_shows_on_the_next_visit(client, library, themes):
    url = library["homes"].url
    assert "Housing" in client.get(url).content.decode()
    housing = themes["housing"]
    housing.name = "Homes and housing"
    housing.save()
    assert "Homes and housing" in client.get(url).content.decode()


def test_a_preview_lists_the_editors_unsaved_choices(client, library, themes):
    page = CaseStudyPage.objects.get(pk=library["homes"].pk)
    client.get(page.url)  # the live lists are remembered
    page.themes = [themes["young-people"]]
    html = page.make_preview_request().render().content.decode()
    assert "?theme=young-people" in html and "?theme=housing" not in html
    assert "?theme=housing" in client.get(page.url).content.decode()


def test_the_main_picture_and_related_cards_share_one_rendition_query(client, library):
    images = [
        get_image_model().objects.create(
            title=f"Image {n}", file=get_test_image_file(filename=f"picture-{n}.png")
        )
        for n in range(3)
    ]
    for name, image in zip(("homes", "land", "heat"), images, strict=True):
        page = CaseStudyPage.objects.get(pk=library[name].pk)
        page.listing_image = image
        page.save_revision().publish()
    url = library["homes"].url
    html = client.get(url).content.decode()  # renditions made once, as on a running site
    assert '<figure class="article-image"><picture>' in html
    assert html.count('class="card__image"') >= 1
    # The og:image and JSON-LD image (another size of the same image) are still found.
    assert '<meta property="og:image" content="http://testserver/media-files/images/' in html
    assert json_ld(html)["@graph"][0]["image"][0].startswith("http://testserver/media-files/")
    assert len(touching(queries(client, url), "wagtailimages_rendition")) == 1  # two before


def test_library_cards_link_to_each_case_study_and_show_who_and_when(client, library, index):
    html = client.get(index.url).content.decode()
    for page in library.values():
        page = CaseStudyPage.objects.get(pk=page.pk)
        card = re.search(
            rf'<p class="card__meta">([^<]*)</p>\s*<h3 class="card__title"><a href="([^"]*)">'
            rf"{re.escape(page.title)}</a>",
            html,
        )
        assert card, page.title
        assert card.group(1) == page.listing_meta
        assert card.group(2) == page.get_url()
