"""Post content from WordPress becomes blocks an editor would have written here."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.test import RequestFactory
from wagtail.documents import get_document_model
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from home.models import StandardPage
from wordpress.content import convert, plain_text
from wordpress.shortcodes import parse as parse_shortcodes

SITE = "https://www.councils.coop"
UPLOADS = f"{SITE}/wp-content/uploads"


class FakeResolver:
    """What the importer would answer, for a handful of known addresses."""

    def __init__(self, images=None, wp_images=None, documents=None, pages=None):
        self.images = images or {f"{UPLOADS}/2020/01/kirklees-town-hall.jpg": 7}
        self.wp_images = wp_images or {12: 8, 13: 9}
        self.documents = documents or {f"{UPLOADS}/2021/03/co-op-councils-report.pdf": 3}
        self.pages = pages or {
            f"{SITE}/case-study/kirklees-community-energy/": 21,
            f"{SITE}/?p=45": 22,
        }
        self.asked: list[str] = []

    def image(self, url):
        self.asked.append(url)
        original = re.sub(r"-\d+x\d+(\.\w+)$", r"\1", url)
        return self.images.get(original)

    def image_by_wp_id(self, wp_id):
        return self.wp_images.get(wp_id)

    def document(self, url):
        return self.documents.get(url)

    def page(self, url):
        return self.pages.get(url)


def run(html, resolver=None, **kwargs):
    return convert(html, resolver or FakeResolver(), site_url=SITE, **kwargs)


def shapes(result) -> list:
    return [(block["type"], block["value"]) for block in result.blocks]


KIRKLEES = (
    "<p>Kirklees Council set up a <strong>community energy</strong> co-operative with "
    "residents in Huddersfield, so that the savings stay in the borough.</p>"
)


def test_a_case_study_paragraph_keeps_its_bold_text_and_becomes_one_paragraph_block():
    result = run(KIRKLEES)

    assert shapes(result) == [
        (
            "paragraph",
            "<p>Kirklees Council set up a <b>community energy</b> co-operative with residents "
            "in Huddersfield, so that the savings stay in the borough.</p>",
        )
    ]
    assert result.problems == []
    assert result.summary.startswith("Kirklees Council set up a community energy")


def test_consecutive_paragraphs_and_lists_merge_into_one_block():
    html = (
        "<p>Members:</p><ul><li>Oldham</li><li>Preston</li></ul><ol><li>First</li></ol><p>End.</p>"
    )

    [(kind, value)] = shapes(run(html))

    assert kind == "paragraph"
    assert value == (
        "<p>Members:</p><ul><li>Oldham</li><li>Preston</li></ul><ol><li>First</li></ol><p>End.</p>"
    )


def test_a_classic_post_without_p_tags_gets_paragraphs_and_line_breaks():
    html = (
        "Sunderland City Council joined the network in 2014.\n"
        "It leads on social value.\n\n"
        "Its co-operative schools programme followed."
    )

    [(kind, value)] = shapes(run(html))

    assert value == (
        "<p>Sunderland City Council joined the network in 2014.<br/>It leads on social value."
        "</p><p>Its co-operative schools programme followed.</p>"
    )


def test_gutenberg_content_is_not_wrapped_twice_and_no_block_comment_survives():
    html = (
        "<!-- wp:paragraph -->\n<p>Plymouth City Council&#8217;s plan.</p>\n<!-- /wp:paragraph -->"
        "\n\n<!-- wp:paragraph -->\n<p>Second line.</p>\n<!-- /wp:paragraph -->"
    )

    result = run(html)

    assert shapes(result) == [
        ("paragraph", "<p>Plymouth City Council\u2019s plan.</p><p>Second line.</p>")
    ]
    assert "wp:" not in str(result.blocks)


def test_a_gutenberg_post_uses_the_blocks_attributes():
    report = f"{UPLOADS}/2021/03/co-op-councils-report.pdf"
    html = "\n".join(
        [
            '<!-- wp:heading {"level":2} -->',
            '<h2 class="wp-block-heading">What happened</h2>',
            "<!-- /wp:heading -->",
            '<!-- wp:image {"id":13,"sizeSlug":"large"} -->',
            '<figure class="wp-block-image size-large"><img src="https://cdn.example.net/p.jpg"'
            ' alt="Plymouth Hoe at sunset"/><figcaption>Plymouth Hoe</figcaption></figure>',
            "<!-- /wp:image -->",
            '<!-- wp:embed {"url":"https://www.youtube.com/watch?v=dQw4w9WgXcQ","type":"video",'
            '"providerNameSlug":"youtube"} -->',
            '<figure class="wp-block-embed is-type-video"><div class="wp-block-embed__wrapper">',
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "</div><figcaption>Our film</figcaption></figure>",
            "<!-- /wp:embed -->",
            f'<!-- wp:file {{"id":99,"href":"{report}"}} -->',
            f'<div class="wp-block-file"><a href="{report}">Co-op councils report</a>'
            f'<a href="{report}" class="wp-block-file__button" download>Download</a></div>',
            "<!-- /wp:file -->",
        ]
    )

    result = run(html)

    assert shapes(result) == [
        ("heading", {"text": "What happened", "level": "h2"}),
        (
            "image",
            {
                "image": 9,
                "alt_text": "Plymouth Hoe at sunset",
                "decorative": False,
                "caption": "Plymouth Hoe",
                "credit": "",
            },
        ),
        ("embed", {"embed": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "caption": "Our film"}),
        ("document", {"document": 3, "title": "Co-op councils report"}),
    ]
    assert result.problems == []


def test_an_unknown_gutenberg_block_keeps_its_text_and_is_reported_once():
    html = (
        '<!-- wp:yoast/faq-block {"questions":[]} --><div class="schema-faq"><p>Who can join?</p>'
        "</div><!-- /wp:yoast/faq-block --><!-- wp:yoast/faq-block --><p>Any council.</p>"
        "<!-- /wp:yoast/faq-block -->"
    )

    result = run(html)

    assert shapes(result) == [("paragraph", "<p>Who can join?</p><p>Any council.</p>")]
    assert result.problems == [
        "WordPress block “yoast/faq-block” was not converted; its text, if any, was kept"
    ]


@pytest.mark.parametrize(
    ("tag", "level"), [("h1", "h2"), ("h2", "h2"), ("h3", "h3"), ("h4", "h3"), ("h6", "h3")]
)
def test_headings_map_to_the_two_levels_this_site_has(tag, level):
    result = run(f"<{tag}>Our members</{tag}><p>Text.</p>")

    assert shapes(result)[0] == ("heading", {"text": "Our members", "level": level})
    assert result.problems == []


def test_empty_headings_are_dropped_and_bold_only_paragraphs_stay_paragraphs():
    result = run("<h2>&nbsp;</h2><p><strong>Key facts</strong></p>")

    assert shapes(result) == [("paragraph", "<p><b>Key facts</b></p>")]


def test_a_caption_shortcode_becomes_an_image_with_its_caption_and_no_wrapping_link():
    html = (
        '[caption id="attachment_12" align="alignnone" width="300"]'
        f'<a href="{UPLOADS}/2020/01/kirklees-town-hall.jpg"><img class="size-medium wp-image-12" '
        f'src="{UPLOADS}/2020/01/kirklees-town-hall-300x200.jpg" alt="Kirklees town hall" '
        'width="300" height="200" /></a> Huddersfield, home of Kirklees Council[/caption]'
    )

    result = run(html)

    assert shapes(result) == [
        (
            "image",
            {
                "image": 8,
                "alt_text": "Kirklees town hall",
                "decorative": False,
                "caption": "Huddersfield, home of Kirklees Council",
                "credit": "",
            },
        )
    ]
    assert result.problems == []


def test_an_image_is_resolved_by_its_address_when_it_has_no_attachment_class():
    html = (
        f'<p>Intro.</p><p><img src="{UPLOADS}/2020/01/kirklees-town-hall-1024x683.jpg" '
        'alt="Town hall"></p><p>After.</p>'
    )

    result = run(html)

    assert [kind for kind, _ in shapes(result)] == ["paragraph", "image", "paragraph"]
    assert result.blocks[1]["value"]["image"] == 7


def test_an_image_without_alt_text_gets_words_from_its_file_name_and_a_problem():
    html = f'<img src="{UPLOADS}/2020/01/kirklees-town-hall-1024x683.jpg" alt="">'

    result = run(html)

    assert result.blocks[0]["value"]["alt_text"] == "Kirklees town hall"
    assert result.blocks[0]["value"]["decorative"] is False
    assert result.problems == [
        f"Image {UPLOADS}/2020/01/kirklees-town-hall-1024x683.jpg had no alt text; check the "
        "words used: “Kirklees town hall”"
    ]


def test_an_image_that_cannot_be_found_is_dropped_with_its_address():
    result = run(f'<p>Before <img src="{UPLOADS}/2019/05/lost.png" alt="Lost"> after.</p>')

    assert shapes(result) == [("paragraph", "<p>Before</p><p>after.</p>")]
    assert result.problems == [
        f"Image {UPLOADS}/2019/05/lost.png was removed: it is not among the imported images"
    ]


def test_a_link_to_an_old_permalink_becomes_a_page_link_whatever_the_host_spelling():
    html = (
        '<p>See <a href="http://councils.coop/case-study/kirklees-community-energy/">the case '
        'study</a>, <a href="/?p=45">the post</a> and <a href="https://example.org/x">elsewhere</a>.</p>'
    )

    [(_, value)] = shapes(run(html))

    assert value == (
        '<p>See <a linktype="page" id="21">the case study</a>, <a linktype="page" id="22">the '
        'post</a> and <a href="https://example.org/x">elsewhere</a>.</p>'
    )


def test_a_link_to_an_uploaded_pdf_becomes_a_document_link():
    html = (
        '<p>Read <a href="/wp-content/uploads/2021/03/co-op-councils-report.pdf">the report</a>.'
        "</p>"
    )

    [(_, value)] = shapes(run(html))

    assert value == '<p>Read <a linktype="document" id="3">the report</a>.</p>'


def test_a_document_link_on_its_own_line_becomes_a_document_block():
    html = (
        f'<p>Intro.</p><p><a href="{UPLOADS}/2021/03/co-op-councils-report.pdf">Annual report'
        "</a></p>"
    )

    assert shapes(run(html))[1] == ("document", {"document": 3, "title": "Annual report"})


def test_javascript_and_data_links_lose_the_link_and_keep_the_text():
    html = '<p><a href="javascript:alert(1)">Click</a> and <a href="data:text/html,x">this</a></p>'

    [(_, value)] = shapes(run(html))

    assert value == "<p>Click and this</p>"


@pytest.mark.parametrize(
    "html",
    [
        "<p>Watch:</p>\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n<p>More.</p>",
        "<p>Watch:</p>[embed]https://youtu.be/dQw4w9WgXcQ[/embed]<p>More.</p>",
        '<p>Watch:</p>[video src="https://www.youtube.com/watch?v=dQw4w9WgXcQ"][/video]<p>More.</p>',
        '<p>Watch:</p><iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0" '
        'width="560"></iframe><p>More.</p>',
    ],
)
def test_youtube_videos_in_every_spelling_become_an_embed_block(html):
    result = run(html)

    assert shapes(result) == [
        ("paragraph", "<p>Watch:</p>"),
        ("embed", {"embed": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "caption": ""}),
        ("paragraph", "<p>More.</p>"),
    ]


def test_a_vimeo_player_frame_becomes_an_embed_with_the_watch_address():
    result = run('<iframe src="https://player.vimeo.com/video/76979871?h=8272103f6e"></iframe>')

    assert shapes(result) == [("embed", {"embed": "https://vimeo.com/76979871", "caption": ""})]


def test_other_frames_scripts_forms_and_styles_are_removed_and_reported():
    html = (
        '<p>Find us.</p><iframe src="https://www.google.com/maps/embed?pb=1"></iframe>'
        "<script>track()</script><style>p{color:red}</style>"
        '<form action="/subscribe"><input name="email"></form>'
    )

    result = run(html)

    assert shapes(result) == [("paragraph", "<p>Find us.</p>")]
    assert result.problems == [
        "An embedded frame from www.google.com was removed; only YouTube and Vimeo embed",
        "A script was removed; nothing replaces it",
        "Styling (a <style> element) was removed; nothing replaces it",
        "A form was removed; nothing replaces it",
    ]


def test_contact_form_7_is_removed_and_reported_once():
    html = (
        '<p>Get in touch.</p>\n[contact-form-7 id="123" title="Contact"]\n[contact-form-7 id="9"]'
    )

    result = run(html)

    assert shapes(result) == [("paragraph", "<p>Get in touch.</p>")]
    assert result.problems == ["Shortcode [contact-form-7] was removed; nothing replaces it"]


def test_page_builder_shortcodes_are_removed_and_their_text_kept():
    html = (
        '[vc_row][vc_column width="1/2"][vc_column_text]<p>Cardiff Council leads on '
        "co-operative housing.</p>[/vc_column_text][/vc_column][/vc_row]"
        "[et_pb_section][et_pb_text]<p>Lambeth too [sic].</p>[/et_pb_text][/et_pb_section]"
    )

    result = run(html)

    assert shapes(result) == [
        (
            "paragraph",
            "<p>Cardiff Council leads on co-operative housing.</p><p>Lambeth too [sic].</p>",
        )
    ]
    assert "Shortcode [vc_row] was removed; its text was kept" in result.problems
    assert "Shortcode [et_pb_text] was removed; its text was kept" in result.problems


def test_no_shortcode_ever_reaches_the_page():
    html = (
        '[vc_row][vc_column][wpforms id="5"][et_pb_button button_url="/join/"]Join[/et_pb_button]'
        '[gallery ids="12,13"][audio mp3="https://www.councils.coop/wp-content/uploads/a.mp3"]'
        "[playlist][unclosed_thing open=1]<p>Text</p>[/vc_column][/vc_row][/stray_closer]"
    )

    result = run(html)

    names = {"vc_row", "vc_column", "wpforms", "et_pb_button", "gallery", "audio", "playlist"}
    text = str(result.blocks)
    assert not [name for name in names | {"unclosed_thing", "stray_closer"} if f"[{name}" in text]
    assert not re.search(r"\[/?[a-z_-]+(?:\s[^\]]*)?\]", text)


def test_escaped_shortcodes_are_printed_as_written():
    result = run("<p>Type [[gallery]] to show a gallery.</p>")

    assert shapes(result) == [("paragraph", "<p>Type [gallery] to show a gallery.</p>")]


def test_the_shortcode_parser_reads_attributes_nesting_and_self_closing_tags():
    [outer] = [
        node
        for node in parse_shortcodes("""[button url="https://x.org" style='big' wide data=1 /]""")
        if not isinstance(node, str)
    ]
    assert outer.name == "button"
    assert outer.attrs == {"url": "https://x.org", "style": "big", "data": "1"}
    assert outer.positional == ["wide"]

    nodes = parse_shortcodes("[vc_row][vc_column]a[/vc_column][/vc_row]")
    [row] = [node for node in nodes if not isinstance(node, str)]
    [column] = [node for node in row.children if not isinstance(node, str)]
    assert (row.enclosing, column.name, column.children) == (True, "vc_column", ["a"])


def test_button_shortcodes_become_paragraph_links():
    html = (
        '[button url="https://www.councils.coop/membership/associate-membership/"]'
        "Become an associate[/button]"
    )
    resolver = FakeResolver(pages={f"{SITE}/membership/associate-membership/": 30})

    assert shapes(run(html, resolver)) == [
        ("paragraph", '<p><a linktype="page" id="30">Become an associate</a></p>')
    ]


def test_a_gallery_becomes_one_image_per_attachment():
    result = run('[gallery ids="12,13,14"]')

    assert [block["value"]["image"] for block in result.blocks] == [8, 9]
    assert "Gallery image 14 was removed: it is not among the imported images" in result.problems


def test_a_video_file_that_is_not_youtube_or_vimeo_becomes_a_link_to_the_file():
    resolver = FakeResolver(documents={f"{UPLOADS}/2020/07/congress.mp4": 5})
    result = run(f'[video width="640" mp4="{UPLOADS}/2020/07/congress.mp4"][/video]', resolver)

    assert shapes(result) == [("document", {"document": 5, "title": "Congress"})]
    assert result.problems == [
        f"The [video] player for {UPLOADS}/2020/07/congress.mp4 became a link to the file"
    ]


def test_a_table_keeps_its_cells_header_row_and_caption():
    html = (
        '<figure class="wp-block-table"><table><thead><tr><th>Council</th><th>Joined</th></tr>'
        "</thead><tbody><tr><td>Oldham Council</td><td>2013</td></tr><tr><td>Rochdale Borough "
        "Council</td></tr></tbody></table><figcaption>Founding members</figcaption></figure>"
    )

    assert shapes(run(html)) == [
        (
            "table",
            {
                "data": [
                    ["Council", "Joined"],
                    ["Oldham Council", "2013"],
                    ["Rochdale Borough Council", ""],
                ],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_header_choice": "row",
                "table_caption": "Founding members",
            },
        )
    ]


def test_a_table_without_header_cells_has_no_header_row():
    [(_, value)] = shapes(run("<table><tr><td>a</td><td>b</td></tr></table>"))

    assert (value["first_row_is_table_header"], value["table_caption"]) == (False, "")


def test_a_blockquote_with_cite_becomes_a_quote_with_attribution():
    html = (
        '<blockquote class="wp-block-quote"><p>Co-operation is the only sensible way to make '
        "progress.</p><cite>Cllr Paul Cassidy, Interim Chair of CCIN</cite></blockquote>"
    )

    assert shapes(run(html)) == [
        (
            "quote",
            {
                "quote": "Co-operation is the only sensible way to make progress.",
                "attribution": "Cllr Paul Cassidy",
                "role": "Interim Chair of CCIN",
            },
        )
    ]


def test_a_trailing_dash_line_in_a_blockquote_is_the_attribution():
    html = (
        "<blockquote>We are stronger together.\n"
        "\u2014 Pete Vallance, Strategy &amp; Events Lead</blockquote>"
    )

    [(_, value)] = shapes(run(html))

    assert value == {
        "quote": "We are stronger together.",
        "attribution": "Pete Vallance",
        "role": "Strategy & Events Lead",
    }


def test_nbsp_runs_collapse_while_smart_quotes_and_emoji_stay_and_control_characters_go():
    html = "<p>Stevenage\u2019s \u201cco-op\u201d&nbsp;&nbsp;&nbsp;plan \U0001f389\x00\x0b done</p>"

    [(_, value)] = shapes(run(html))

    assert value == "<p>Stevenage\u2019s \u201cco-op\u201d plan \U0001f389 done</p>"


@pytest.mark.parametrize(
    "html", ["", "   \n\n ", "<p>&nbsp;</p>", "<!-- wp:paragraph --><p></p><!-- /wp:paragraph -->"]
)
def test_empty_content_gives_no_blocks(html):
    result = run(html)

    assert (result.blocks, result.summary) == ([], "")


def test_block_ids_are_random_unless_a_seed_is_given_and_then_stable():
    html = KIRKLEES + "<h2>Results</h2><p>More.</p>"

    first, second = run(html, seed="101"), run(html, seed="101")
    other, unseeded = run(html, seed="102"), run(html)

    assert first.blocks == second.blocks
    assert [b["id"] for b in first.blocks] != [b["id"] for b in other.blocks]
    assert [b["id"] for b in unseeded.blocks] != [b["id"] for b in first.blocks]
    assert len({b["id"] for b in first.blocks}) == 3


def test_plain_text_strips_tags_and_shortcodes_and_cuts_at_a_word():
    html = (
        '<p>Preston&#8217;s <b>community wealth</b> model [contact-form-7 id="1"] '
        + "grows " * 100
        + "</p>"
    )

    text = plain_text(html, limit=60)

    assert text.startswith("Preston\u2019s community wealth model grows grows")
    assert len(text) <= 60
    assert text.endswith("grows\u2026")


@pytest.mark.django_db
def test_a_converted_body_is_valid_on_a_standard_page_and_renders(home_page):
    image = get_image_model().objects.create(
        title="Kirklees town hall", file=get_test_image_file(filename="kirklees-town-hall.png")
    )
    document = get_document_model().objects.create(
        title="Co-op councils report", file=ContentFile(b"%PDF-1.4\n", name="report.pdf")
    )
    watch = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    Embed.objects.create(
        url=watch,
        max_width=None,
        hash=get_embed_hash(watch, None),
        type="video",
        html='<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>',
        provider_name="YouTube",
    )
    target = home_page.add_child(instance=StandardPage(title="Kirklees", slug="kirklees"))
    resolver = FakeResolver(
        images={f"{UPLOADS}/2020/01/kirklees-town-hall.jpg": image.pk},
        documents={f"{UPLOADS}/2021/03/co-op-councils-report.pdf": document.pk},
        pages={f"{SITE}/case-study/kirklees-community-energy/": target.pk},
    )
    html = (
        KIRKLEES + '<p>See <a href="/case-study/kirklees-community-energy/">the case study</a> and '
        '<a href="/wp-content/uploads/2021/03/co-op-councils-report.pdf">report</a>.</p>'
        f'<h2>Gallery</h2><img src="{UPLOADS}/2020/01/kirklees-town-hall-300x200.jpg" alt="">'
        f"\n\n{watch}\n\n"
        "<blockquote><p>It works.</p><cite>Cllr Paul Cassidy</cite></blockquote>"
        "<table><tr><th>Council</th></tr><tr><td>Kirklees</td></tr></table>"
        f'<p><a href="{UPLOADS}/2021/03/co-op-councils-report.pdf">The report</a></p>'
        '[contact-form-7 id="1"]<script>alert(1)</script>'
    )
    converted = run(html, resolver, seed="5")
    assert [block["type"] for block in converted.blocks] == [
        "paragraph",
        "heading",
        "image",
        "embed",
        "quote",
        "table",
        "document",
    ]

    page = home_page.add_child(
        instance=StandardPage(title="Imported", slug="imported", summary=converted.summary)
    )
    page.body = converted.blocks
    page.full_clean()
    page.save()
    page.refresh_from_db()
    stored = [block.block_type for block in page.body]
    response = page.serve(_request(page))
    rendered = response.render().content.decode()

    assert stored == ["paragraph", "heading", "image", "embed", "quote", "table", "document"]
    assert page.body.raw_data[0]["value"] == converted.blocks[0]["value"]
    assert f'href="{target.url}"' in rendered or target.url in rendered
    assert "It works." in rendered and "Kirklees</td>" in rendered
    assert "youtube.com/embed/dQw4w9WgXcQ" in rendered
    assert "<script>alert" not in rendered and "contact-form-7" not in rendered


def _request(page):
    return RequestFactory().get(page.url, HTTP_HOST="localhost")
