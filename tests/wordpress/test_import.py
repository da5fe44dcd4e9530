"""Importing the live site's WordPress export into the demo site, as a moderator would.

Each test imports a small export written item by item (tests/wordpress/wxr_builder.py) on
top of the demo content, and checks what a visitor, an editor and an old link then meet.
"""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from casestudies.models import CaseStudyPage, PublicationPage
from home.models import StandardPage
from news.models import NewsPage
from wordpress import importer as importer_module
from wordpress.importer import Importer
from wordpress.models import ImportedItem
from wordpress.uploads import Uploads
from wordpress.wxr import parse

from .wxr_builder import SITE, Post, export

pytestmark = pytest.mark.django_db

CASE_STUDY = Post(
    101,
    "Kirklees community energy",
    post_type="case-study",
    slug="kirklees-community-energy",
    link=f"{SITE}/case-study/kirklees-community-energy/",
    content=(
        "Kirklees Council worked with residents to put solar panels on 40 schools.\n\n"
        '<img class="wp-image-201" src="{SITE}/wp-content/uploads/2021/05/solar-300x200.png" '
        'alt="Solar panels on a school roof">\n\n'
        'Read the <a href="{SITE}/publication/energy-report/">energy report</a>.\n\n'
        '<script>alert("x")</script>[contact-form-7 id="5" title="Contact"]'
    ).replace("{SITE}", SITE),
    categories=[("energy", "Energy"), ("kirklees", "Kirklees")],
    tags=[("solar", "solar")],
    meta={"_thumbnail_id": "201"},
)
IMAGE = Post(
    201,
    "Solar panels",
    post_type="attachment",
    slug="solar",
    link=f"{SITE}/case-study/kirklees-community-energy/solar/",
    parent=101,
    attachment_url=f"{SITE}/wp-content/uploads/2021/05/solar.png",
    meta={"_wp_attachment_image_alt": "Solar panels on a school roof"},
)
REPORT = Post(
    102,
    "Energy report",
    post_type="publication",
    slug="energy-report",
    link=f"{SITE}/publication/energy-report/",
    content="The network's report on community energy.",
)
REPORT_PDF = Post(
    202,
    "Energy report (PDF)",
    post_type="attachment",
    slug="energy-report-pdf",
    link=f"{SITE}/publication/energy-report/energy-report-pdf/",
    parent=102,
    attachment_url=f"{SITE}/wp-content/uploads/2021/05/energy-report.pdf",
)
PRESS = Post(
    103,
    "Statement on the local elections",
    slug="statement-on-the-local-elections",
    link=f"{SITE}/media/statement-on-the-local-elections/",
    content="<p>The network congratulates every member council.</p>",
    categories=[("media", "Media"), ("press-release", "Press Release")],
    tags=[("elections", "elections")],
)
ABOUT = Post(
    104,
    "About us",
    post_type="page",
    slug="about-us",
    link=f"{SITE}/about-us/",
    content="<p>Who we are.</p>",
)
TEAM = Post(
    105,
    "Our team",
    post_type="page",
    slug="our-team",
    link=f"{SITE}/about-us/our-team/",
    parent=104,
    content="<p>Cllr Paul Cassidy, Interim Chair.</p>",
)
EVERYTHING = (CASE_STUDY, IMAGE, REPORT, REPORT_PDF, PRESS, ABOUT, TEAM)


def run(data: bytes, uploads=None, **options):
    return Importer(parse(data), uploads, **options).run_import()


def get(client, site, url):
    return client.get(url, HTTP_HOST=f"{site.hostname}:{site.port}")


def test_a_published_import_puts_each_item_where_its_type_lives(demo, uploads, client):
    report = run(export(*EVERYTHING), uploads, publish=True)

    assert not report.failed, report.failed
    assert report.counts()["created"] == 7
    study = CaseStudyPage.objects.get(slug="kirklees-community-energy")
    assert study.live and study.url == "/case-studies/kirklees-community-energy/"
    assert study.lead_council.name == "Kirklees Council"
    assert [theme.name for theme in study.themes.all()] == ["Energy"]
    assert study.listing_image.title == "Solar panels"
    assert study.year == 2021
    press = NewsPage.objects.get(slug="statement-on-the-local-elections")
    assert press.kind == "press-release" and press.release_date.year == 2021
    assert [author.name for author in press.authors.all()] == ["Pete Vallance"]
    publication = PublicationPage.objects.get(slug="energy-report")
    assert publication.document.title == "Energy report (PDF)"
    team = Page.objects.get(slug="our-team")
    assert team.url == "/about-us/our-team/"

    html = get(client, demo, study.url).content.decode()
    assert "solar panels on 40 schools" in html
    assert 'alt="Solar panels on a school roof"' in html
    assert "contact-form-7" not in html and "alert(" not in html


def test_links_between_imported_items_become_page_links(demo, uploads):
    run(export(*EVERYTHING), uploads, publish=True)
    study = CaseStudyPage.objects.get(slug="kirklees-community-energy")
    report = PublicationPage.objects.get(slug="energy-report")
    stored = str(study.body.raw_data)
    assert re.search(
        rf'<a (?=[^>]*linktype="page")(?=[^>]*id="{report.pk}")[^>]*>energy report', stored
    )


def test_every_old_address_redirects_once_to_the_new_page(demo, uploads, client):
    run(export(*EVERYTHING), uploads, publish=True)
    expected = {
        "/case-study/kirklees-community-energy/": "/case-studies/kirklees-community-energy/",
        "/case-study/kirklees-community-energy": "/case-studies/kirklees-community-energy/",
        "/?p=101": "/case-studies/kirklees-community-energy/",
        "/media/statement-on-the-local-elections/": "/news/statement-on-the-local-elections/",
        "/?p=103&utm_source=newsletter": "/news/statement-on-the-local-elections/",
        "/?page_id=105": "/about-us/our-team/",
        "/publication/energy-report/": "/publications/energy-report/",
        "/case-study/kirklees-community-energy/solar/": "/case-studies/kirklees-community-energy/",
        "/feed/": "/news/feed/",
        "/category/press-release/": "/news/?kind=press-release",
        "/tag/elections/": "/news/tag/elections/",
        "/case-study/": "/case-studies/",
    }
    for old, new in expected.items():
        response = get(client, demo, old)
        assert response.status_code == 301, old
        assert response["Location"] == new, old
        assert get(client, demo, new).status_code == 200, new


def test_old_upload_addresses_lead_to_the_imported_files(demo, uploads, client):
    run(export(*EVERYTHING), uploads, publish=True)
    document = get_document_model().objects.get(title="Energy report (PDF)")
    response = get(client, demo, "/wp-content/uploads/2021/05/energy-report.pdf")
    assert response.status_code == 301 and response["Location"] == document.url
    resized = get(client, demo, "/wp-content/uploads/2021/05/solar-300x200.png")
    assert resized.status_code == 301
    assert resized["Location"].startswith("/media-files/images/")
    assert get(client, demo, "/wp-content/uploads/2021/05/unknown.png").status_code == 404


def test_imported_news_keeps_its_old_feed_guid_so_readers_do_not_see_it_again(
    demo, uploads, client
):
    import feedparser

    run(export(*EVERYTHING), uploads, publish=True)
    for feed in ("/news/feed/", "/news/feed/atom/"):
        entries = {
            entry.title: entry
            for entry in feedparser.parse(get(client, demo, feed).content).entries
        }
        imported = entries["Statement on the local elections"]
        assert imported.id == f"{SITE}/?p={PRESS.wp_id}", feed  # as the old site's feed said
        assert imported.link.endswith("/news/statement-on-the-local-elections/")
        native = next(entry for title, entry in entries.items() if title != imported.title)
        assert native.id == native.link  # the site's own articles: their address
    rss = get(client, demo, "/news/feed/").content.decode()
    assert f'<guid isPermaLink="false">{SITE}/?p={PRESS.wp_id}</guid>' in rss


def test_re_importing_the_same_export_changes_nothing(demo, uploads):
    run(export(*EVERYTHING), uploads, publish=True)
    counts = (Page.objects.count(), Revision.objects.count(), Redirect.objects.count())
    images = get_image_model().objects.count()

    again = run(export(*EVERYTHING), uploads, publish=True)

    assert again.counts()["unchanged"] == 7 and again.counts()["created"] == 0
    assert (Page.objects.count(), Revision.objects.count(), Redirect.objects.count()) == counts
    assert get_image_model().objects.count() == images
    assert again.redirects_created == 0


def test_a_newer_export_updates_what_changed_but_keeps_editors_changes(demo, uploads):
    run(export(*EVERYTHING), uploads, publish=True)
    edited_by_editor = NewsPage.objects.get(slug="statement-on-the-local-elections")
    edited_by_editor.title = "Statement on the 2021 local elections"
    edited_by_editor.save_revision().publish()

    newer_study = Post(**{**CASE_STUDY.__dict__, "content": "Now 60 schools have panels."})
    newer_press = Post(**{**PRESS.__dict__, "content": "<p>A corrected statement.</p>"})
    report = run(
        export(newer_study, IMAGE, REPORT, REPORT_PDF, newer_press, ABOUT, TEAM),
        uploads,
        publish=True,
    )

    verbs = {action.wp_id: action.verb for action in report.actions}
    assert verbs[101] == "updated" and verbs[103] == "conflict"
    study = CaseStudyPage.objects.get(slug="kirklees-community-energy")
    assert "60 schools" in str(study.body.raw_data)
    press = NewsPage.objects.get(pk=edited_by_editor.pk)
    assert press.title == "Statement on the 2021 local elections"
    assert "corrected" not in str(press.body.raw_data)


def test_a_newer_export_without_an_item_lists_it_and_leaves_it_alone(demo, uploads):
    run(export(*EVERYTHING), uploads, publish=True)
    press = NewsPage.objects.get(slug="statement-on-the-local-elections")

    report = run(export(CASE_STUDY, IMAGE, REPORT, REPORT_PDF, ABOUT, TEAM), uploads, publish=True)

    assert [(gone["wp_id"], gone["title"], gone["live"]) for gone in report.absent] == [
        (PRESS.wp_id, press.title, True)
    ]
    assert report.absent[0]["new_url"] == press.url and report.absent[0]["old_url"]
    assert report.summary().endswith(" 1 imported earlier, not in this export: left as they are.")
    assert any(line.lstrip().startswith("absent  post") for line in report.lines())
    assert NewsPage.objects.get(pk=press.pk).live  # left as it is
    again = run(export(*EVERYTHING), uploads, publish=True)
    assert again.absent == [] and "not in this export" not in again.summary()


def test_without_publishing_everything_arrives_as_a_draft(demo, uploads, client):
    run(export(*EVERYTHING), uploads, publish=False)
    study = CaseStudyPage.objects.get(slug="kirklees-community-energy")
    assert not study.live and study.has_unpublished_changes
    assert get(client, demo, "/case-studies/kirklees-community-energy/").status_code == 404
    assert "kirklees-community-energy" not in get(client, demo, "/sitemap.xml").content.decode()
    assert (
        "Kirklees community energy" not in get(client, demo, "/case-studies/feed/").content.decode()
    )


def test_a_dry_run_reports_the_same_and_writes_nothing(demo, uploads, settings, tmp_path):
    before = (Page.objects.count(), Redirect.objects.count(), ImportedItem.objects.count())
    media = sorted(p for p in settings_media(settings))

    preview = run(export(*EVERYTHING), uploads, publish=True, dry_run=True)

    assert (Page.objects.count(), Redirect.objects.count(), ImportedItem.objects.count()) == before
    assert sorted(settings_media(settings)) == media
    real = run(export(*EVERYTHING), uploads, publish=True)
    assert preview.counts() == real.counts()
    assert preview.redirects_created == real.redirects_created


def settings_media(settings):
    return [str(path) for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_a_failure_part_way_leaves_nothing_behind(demo, uploads, monkeypatch, settings):
    settings.WORDPRESS_IMPORT_RAISE = False
    before = (Page.objects.count(), get_image_model().objects.count(), Redirect.objects.count())
    media = sorted(settings_media(settings))
    calls = []

    def fail_on_third(self, item, action):
        calls.append(item.wp_id)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return original(self, item, action)

    original = importer_module.Importer._fill
    monkeypatch.setattr(importer_module.Importer, "_fill", fail_on_third)
    report = run(export(*EVERYTHING), uploads, publish=True)

    assert "the database went away" in report.failed
    after = (Page.objects.count(), get_image_model().objects.count(), Redirect.objects.count())
    assert after == before
    assert ImportedItem.objects.count() == 0
    assert sorted(settings_media(settings)) == media


def test_a_missing_file_is_reported_and_the_rest_imports(demo):
    report = run(export(*EVERYTHING), Uploads.empty(), publish=True)
    problems = {action.wp_id: action.problems for action in report.actions}
    assert any("2021/05/solar.png" in problem for problem in problems[201])
    assert CaseStudyPage.objects.filter(slug="kirklees-community-energy", live=True).exists()


def test_a_case_study_naming_no_member_waits_as_a_draft(demo, uploads):
    orphan = Post(
        110,
        "A co-operative bakery",
        post_type="case-study",
        slug="a-co-operative-bakery",
        link=f"{SITE}/case-study/a-co-operative-bakery/",
        content="A community bakery run by its workers.",
    )
    report = run(export(orphan), uploads, publish=True)
    page = CaseStudyPage.objects.get(slug="a-co-operative-bakery")
    assert not page.live
    assert any("lead council" in problem for problem in report.actions[0].problems)


def test_a_wordpress_page_at_an_address_this_site_uses_is_not_imported_over_it(demo):
    membership = Post(
        120,
        "Membership",
        post_type="page",
        slug="membership",
        link=f"{SITE}/membership/",
        content="<p>Old membership text.</p>",
    )
    associate = Post(
        121,
        "Associate membership",
        post_type="page",
        slug="associate-membership",
        link=f"{SITE}/membership/associate-membership/",
        parent=120,
        content="<p>Associate members are organisations that share our values.</p>",
    )
    report = run(export(membership, associate), publish=True)
    verbs = {action.wp_id: action.verb for action in report.actions}
    assert verbs == {120: "skipped", 121: "created"}
    assert not StandardPage.objects.filter(title="Membership").exists()
    page = Page.objects.get(slug="associate-membership")
    assert (
        Redirect.objects.filter(old_path="/membership/associate-membership").get().link == page.url
    )


def test_the_command_reports_and_refuses_a_broken_file(demo, tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_bytes(export(*EVERYTHING)[:900])
    with pytest.raises(CommandError, match="line"):
        call_command("import_wordpress", str(broken), stdout=StringIO())
    assert ImportedItem.objects.count() == 0


def test_the_command_imports_and_parity_resolves_every_address(demo, tmp_path, uploads):
    file = tmp_path / "export.xml"
    file.write_bytes(export(*EVERYTHING))
    folder = tmp_path
    out = StringIO()
    call_command("import_wordpress", str(file), "--uploads", str(folder), "--publish", stdout=out)
    assert "Created 7" in out.getvalue()
    parity = StringIO()
    try:
        call_command("wordpress_parity", str(file), stdout=parity)
    except CommandError:
        pytest.fail(parity.getvalue())
    assert "Resolved 27 of 27 URLs (100.0%)" in parity.getvalue(), parity.getvalue()
