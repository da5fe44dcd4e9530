"""The old site's Members' Update newsletters arrive as issues in the Members' Update archive.

Each test imports a small export (tests/wordpress/wxr_builder.py) into the demo site, which
has the archive at /members-update/, and checks what a reader, an editor and an old link meet.
"""

from datetime import date

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Revision

from casestudies.models import PublicationPage
from news.models import MembersUpdateIndexPage, MembersUpdatePage
from wordpress import mapping, parity
from wordpress.importer import Importer
from wordpress.models import ImportedItem
from wordpress.uploads import Uploads
from wordpress.wxr import parse

from .exports import write_export
from .wxr_builder import SITE, Post, export

pytestmark = pytest.mark.django_db

ISSUE = Post(
    430,
    "Members’ Update – Issue 12, March 2025",
    post_type="newsletter",
    slug="members-update-march-2025",
    link=f"{SITE}/newsletter/members-update-march-2025/",
    date="2025-03-03 09:00:00",
    excerpt="Policy Labs applications are open, with £10,000 to £20,000 for each lab.",
    content=(
        "<!-- wp:heading --><h2>Policy Labs 2026</h2><!-- /wp:heading -->\n"
        "<!-- wp:paragraph --><p>Applications for this year’s Policy Labs are open: more "
        "significant collaborative pieces of work, eligible for between £10,000 and £20,000 "
        "of funding.</p><!-- /wp:paragraph -->"
    ),
)
ISSUE_PDF = Post(
    431,
    "Members’ Update March 2025 (PDF)",
    post_type="attachment",
    slug="members-update-march-2025-pdf",
    link=f"{SITE}/newsletter/members-update-march-2025/members-update-march-2025-pdf/",
    parent=430,
    attachment_url=f"{SITE}/wp-content/uploads/2021/05/energy-report.pdf",
)
UNDATED = Post(
    432,
    "Members’ Update – summer",
    post_type="newsletter",
    slug="feed",
    link=f"{SITE}/newsletter/feed-2/",
    date="",
    content="<p>Sign up for the Officer Network and join the WhatsApp groups.</p>",
)


def run(*posts: Post, uploads=None, publish: bool = True):
    report = Importer(parse(export(*posts)), uploads, publish=publish).run_import()
    assert not report.failed, report.failed
    return report


def get(client, site, url):
    return client.get(url, HTTP_HOST=f"{site.hostname}:{site.port}")


def action_for(report, wp_id: int):
    return next(action for action in report.actions if action.wp_id == wp_id)


def test_a_newsletter_becomes_an_issue_with_its_date_summary_and_pdf(demo, uploads, client):
    report = run(ISSUE, ISSUE_PDF, uploads=uploads)

    assert action_for(report, 430).verb == "created"
    assert action_for(report, 430).target == "Members' Update issue"
    issue = MembersUpdatePage.objects.get(slug="members-update-march-2025")
    assert issue.get_parent().specific_class is MembersUpdateIndexPage
    assert issue.live and issue.url == "/members-update/members-update-march-2025/"
    assert issue.issue_date == date(2025, 3, 3)
    assert issue.issue_number == 12
    assert issue.summary.startswith("Policy Labs applications are open")
    assert issue.document.title == "Members’ Update March 2025 (PDF)"
    assert [block.block_type for block in issue.body][:1] == ["heading"]
    assert not PublicationPage.objects.filter(slug="members-update-march-2025").exists()

    html = get(client, demo, issue.url).content.decode()
    assert "eligible for between £10,000 and £20,000" in html
    assert issue.document.url in html
    assert "wp:paragraph" not in html
    archive = get(client, demo, "/members-update/").content.decode()
    assert "Members’ Update – Issue 12, March 2025" in archive


def test_the_old_addresses_of_a_newsletter_reach_its_issue_in_one_redirect(demo, uploads, client):
    run(ISSUE, ISSUE_PDF, uploads=uploads)
    issue = "/members-update/members-update-march-2025/"
    for old, new in {
        "/newsletter/members-update-march-2025/": issue,
        "/newsletter/members-update-march-2025": issue,
        "/?p=430": issue,
        "/newsletter/members-update-march-2025/members-update-march-2025-pdf/": issue,
        "/newsletter/": "/members-update/",
        "/newsletter/feed/": "/members-update/feed/",
    }.items():
        response = get(client, demo, old)
        assert (response.status_code, response["Location"]) == (301, new), old
        assert get(client, demo, new).status_code == 200, new


def test_re_importing_the_newsletters_changes_nothing(demo, uploads):
    run(ISSUE, ISSUE_PDF, uploads=uploads)
    counts = (Page.objects.count(), Revision.objects.count(), Redirect.objects.count())
    again = run(ISSUE, ISSUE_PDF, uploads=uploads)
    assert action_for(again, 430).verb == "unchanged"
    assert (Page.objects.count(), Revision.objects.count(), Redirect.objects.count()) == counts


def test_without_an_archive_each_newsletter_is_skipped_and_says_why(demo, uploads):
    MembersUpdateIndexPage.objects.get().delete()
    report = run(ISSUE, ISSUE_PDF, uploads=uploads)

    action = action_for(report, 430)
    assert action.verb == "skipped"
    assert "no Members' Update archive" in action.problems[0]
    assert not MembersUpdatePage.objects.exists()
    assert not PublicationPage.objects.filter(slug="members-update-march-2025").exists()


def test_an_issue_an_earlier_import_made_a_publication_is_left_alone_and_reported(
    demo, uploads, client, monkeypatch
):
    with monkeypatch.context() as patch:  # the import as it was before issues had a type
        patch.setitem(mapping.POST_TYPES, "newsletter", mapping.PUBLICATION)
        run(ISSUE, ISSUE_PDF, uploads=uploads)
    publication = PublicationPage.objects.get(slug="members-update-march-2025")
    counts = (Page.objects.count(), Revision.objects.count(), Redirect.objects.count())

    report = run(ISSUE, ISSUE_PDF, uploads=uploads)

    action = action_for(report, 430)
    assert action.verb == "skipped"
    assert action.new_url == publication.url
    assert "An earlier import made this newsletter a publication" in action.problems[0]
    assert not MembersUpdatePage.objects.filter(slug="members-update-march-2025").exists()
    assert (Page.objects.count(), Revision.objects.count(), Redirect.objects.count()) == counts
    response = get(client, demo, "/newsletter/members-update-march-2025/")
    assert (response.status_code, response["Location"]) == (301, publication.url)


def test_a_newsletter_without_a_date_or_with_the_archives_feed_slug_stays_a_draft(demo):
    report = run(UNDATED)

    action = action_for(report, 432)
    assert action.verb == "created"
    assert any("no date in the export" in problem for problem in action.problems)
    issue = MembersUpdatePage.objects.get(title="Members’ Update – summer")
    assert not issue.live
    assert issue.slug == "feed-issue"  # /members-update/feed/ stays the archive's feed


def test_the_benchmark_exports_newsletters_become_issues_and_every_address_resolves(demo, tmp_path):
    counts = write_export(tmp_path / "export.xml", items=100, uploads=tmp_path / "up", seed=3)
    assert counts["newsletter"] == 3
    data = (tmp_path / "export.xml").read_bytes()
    uploads = Uploads.from_folder(tmp_path / "up")
    report = Importer(parse(data), uploads, publish=True).run_import()
    assert not report.failed, report.failed

    newsletters = ImportedItem.objects.filter(post_type="newsletter").values("page")
    issues = MembersUpdatePage.objects.live().filter(pk__in=newsletters)
    assert issues.count() == 3
    assert all(issue.url.startswith("/members-update/") for issue in issues)
    result = parity.check(parse(data))
    assert [check for check in result.checked if not check.ok] == []
    assert result.imported_counts["newsletter"] == 3

    counts = (Page.objects.count(), Revision.objects.count(), Redirect.objects.count())
    again = Importer(parse(data), uploads, publish=True).run_import()
    assert again.counts()["created"] == again.counts()["updated"] == 0
    assert (Page.objects.count(), Revision.objects.count(), Redirect.objects.count()) == counts
