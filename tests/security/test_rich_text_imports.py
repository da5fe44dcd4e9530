"""Rich text that arrives outside the editor (imports, demo content, scripts) is cleaned on
save, so hostile markup never reaches a rendered page."""

import pytest
from wagtail.models import Page

from demo.shell import ensure_child, paragraphs, stream
from home.models import StandardPage
from membership.models import MemberCouncil
from security.sanitise import clean_rich_text

HOSTILE = (
    '<p>Opening words<script>alert("script")</script></p>'
    '<p><img src="x" onerror="alert(\'img\')">After the image</p>'
    '<p><a href="javascript:alert(1)">first link</a> '
    '<a href="JaVaScRiPt&#58;alert(2)">second link</a> '
    '<a href=" jav&#x09;ascript:alert(3)">third link</a></p>'
    '<iframe src="https://evil.example/frame"></iframe>'
    '<p onclick="alert(4)" style="color: red">Styled words</p>'
    "<svg><script>alert(5)</script></svg>"
    '<p><a href="https://www.councils.coop/" target="_blank">A real link</a></p>'
    '<p>Britain\'s "quoted" words &amp; more</p>'
)
VISIBLE = ["Opening words", "After the image", "first link", "Styled words", "A real link"]


def assert_harmless(html: str) -> None:
    lowered = html.lower()
    for marker in ("alert(", "onerror", "onclick", "javascript:", "<iframe", "evil.example"):
        assert marker not in lowered, marker
    assert 'style="color' not in lowered
    for words in VISIBLE:
        assert words in html


def test_clean_rich_text_keeps_editor_markup_and_drops_the_rest():
    cleaned = clean_rich_text(HOSTILE)
    assert_harmless(cleaned)
    assert '<a href="https://www.councils.coop/">A real link</a>' in cleaned
    assert '<p>Britain\'s "quoted" words &amp; more</p>' in cleaned


def test_database_format_survives_unchanged():
    """Page links and image embeds, as Wagtail stores them, come through cleaning intact."""
    stored = (
        '<h2>Heading</h2><p>See <a linktype="page" id="3">our news</a> and '
        '<a linktype="document" id="7">the report</a>.</p>'
        '<embed alt="A chart" embedtype="image" format="left" id="12"/>'
        "<ul><li><b>Bold</b> and <i>italic</i></li></ul>"
    )
    assert clean_rich_text(stored) == stored
    assert clean_rich_text(clean_rich_text(HOSTILE)) == clean_rich_text(HOSTILE)


def test_a_demo_style_import_renders_harmlessly(client, home_page):
    """Through demo.shell's helpers, exactly as the demo content modules build pages."""
    page = ensure_child(
        home_page,
        StandardPage,
        "imported",
        title="Imported page",
        body=stream(
            *paragraphs("Plain paragraph."),
            ("paragraph", HOSTILE),
            (
                "call_to_action",
                {"title": "Act", "text": "", "url": "javascript:alert(6)", "button_label": "Go"},
            ),
        ),
    )
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert_harmless(html)
    assert "Plain paragraph." in html
    # The draft history holds the cleaned version too (previews and comparisons render it).
    revision = Page.objects.get(pk=page.pk).get_latest_revision()
    assert "alert(" not in str(revision.content)


def test_rich_text_fields_on_pages_are_cleaned(client, home_page):
    home_page.intro = HOSTILE
    home_page.save_revision().publish()
    html = client.get(home_page.url).content.decode()
    assert_harmless(html)


def test_snippet_rich_text_is_cleaned(db):
    member = MemberCouncil.objects.create(name="Testshire County Council", profile=HOSTILE)
    member.refresh_from_db()
    assert_harmless(member.profile)


@pytest.mark.parametrize("raw", ["", "<p></p>", "Plain words with no markup"])
def test_trivial_values_pass_through(raw):
    assert clean_rich_text(raw) == raw
